//! Audit events in the database (issue 12, item 2): a failed login, a client authentication failure with its
//! reason, a refused token request, a refused authorization request with what it sent, an operator's change with
//! the actor `cli`; none holds a secret; cursor pagination; purged after `audit_retention_days` by the maintenance.

use reqwest::StatusCode;
use tessera::domain::{AuditQuery, AuditRecord};
use tessera::storage::AuditLog;

use crate::helpers::{
    ClientOptions, PASSWORD, TestApp, browser, location, open_page, spawn_app, spawn_app_with, submit_login, tessera_ok,
};

fn events(app: &TestApp, event: &str) -> Vec<AuditRecord> {
    let query = AuditQuery { event: Some(event.into()), limit: 100, ..AuditQuery::default() };
    app.state.provider.db.audit_events(&query).expect("audit query")
}

#[actix_web::test]
async fn security_events_are_stored_with_their_reason_and_no_secret() {
    let app = spawn_app().await;
    let alice = app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let secret = client.secret.clone().expect("confidential");

    // A wrong password, then the right one.
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let wrong = "not-the-password-at-all";
    submit_login(&b, &page_url, &html, "alice", wrong).await;
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let ok = submit_login(&b, &page_url, &html, "alice", PASSWORD).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let failed = events(&app, "login_failed");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].client_id.as_deref(), Some("app"));
    assert_eq!(failed[0].detail["username"], "alice");
    assert_eq!(failed[0].address.as_deref(), Some("127.0.0.1"));
    let succeeded = events(&app, "login_succeeded");
    assert_eq!(succeeded[0].user_id.as_deref(), Some(alice.subject.as_str()));
    assert_eq!(succeeded[0].detail["amr"], "pwd");

    // Client authentication with the wrong method: the reason says so.
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth("app", Some("wrong-secret"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let auth = events(&app, "client_authentication_failed");
    assert_eq!(auth[0].detail["reason"], "wrong client secret");
    assert_eq!(auth[0].detail["method"], "client_secret_basic");

    // A refused token request after authentication.
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth("app", Some(&secret))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "never-issued")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let refused = events(&app, "token_refused");
    assert_eq!(refused[0].detail["grant_type"], "refresh_token");
    assert_eq!(refused[0].detail["error"], "invalid_grant");
    assert_eq!(refused[0].detail["reason"], "unknown refresh token");

    // An authorization request with an unregistered redirect URI (a trailing slash).
    let bad = app.authorize_url(&client, &[("redirect_uri", &format!("{}/", client.redirect_uri))]);
    assert_eq!(reqwest::get(&bad).await.unwrap().status(), StatusCode::BAD_REQUEST);
    let authz = events(&app, "authorization_refused");
    assert_eq!(authz[0].client_id.as_deref(), Some("app"));
    assert_eq!(authz[0].detail["redirect_uri"], format!("{}/", client.redirect_uri));
    assert_eq!(authz[0].detail["pkce"], "sent");

    // An operator's change at the command line.
    tessera_ok(&app, &["group", "add", "staff"]);
    let added = events(&app, "group_added");
    assert_eq!((added[0].actor.as_deref(), added[0].detail["group"].as_str()), (Some("cli"), "staff"));

    // No secret in any stored event.
    let all = app.state.provider.db.audit_events(&AuditQuery { limit: 1000, ..AuditQuery::default() }).unwrap();
    let text = format!("{all:?}");
    for secret_text in [secret.as_str(), PASSWORD, wrong, "wrong-secret"] {
        assert!(!text.contains(secret_text), "a secret reached the audit log: {secret_text}");
    }
}

#[actix_web::test]
async fn queries_page_with_a_cursor_and_old_events_are_purged() {
    let app = spawn_app_with(|s| s.audit_retention_days = 1).await;
    for n in 0..5 {
        tessera_ok(&app, &["group", "add", &format!("g{n}")]);
    }
    let db = &app.state.provider.db;
    let mut query = AuditQuery { event: Some("group_added".into()), limit: 2, ..AuditQuery::default() };
    let mut seen = Vec::new();
    loop {
        let page = db.audit_events(&query).unwrap();
        if page.is_empty() {
            break;
        }
        let last = page.last().unwrap();
        query.before = Some((last.at, last.id.clone()));
        seen.extend(page.into_iter().map(|e| e.detail["group"].clone()));
    }
    assert_eq!(seen, ["g4", "g3", "g2", "g1", "g0"], "newest first, each once");
    let filtered = AuditQuery { client_id: Some("nobody".into()), limit: 10, ..AuditQuery::default() };
    assert!(db.audit_events(&filtered).unwrap().is_empty());

    // A day and ten minutes later (the CLI stamps events with the real clock, ahead of the server's fixed one by the
    // test's own run time), the maintenance purges them.
    app.advance(24 * 3600 + 600);
    app.state.provider.maintain().expect("maintenance");
    assert!(events(&app, "group_added").is_empty());
}
