//! Per-client registration: grant types, the client_credentials grant, the registered authentication method, and
//! per-client token lifetimes.

use reqwest::StatusCode;
use serde_json::Value;
use tessera::domain::{AuthMethod, GrantType, Scope};
use tessera::storage::ClientStore;

use crate::helpers::{
    ClientOptions, TestApp, TestClient, VERIFIER, browser, exchange_code, jwt_part, location, obtain_code, open_page,
    query_param, spawn_app, spawn_app_with, submit_consent, submit_login, tessera_fails, tessera_ok,
};

/// Edits a registered client in place (what `tessera client update` does).
pub(crate) fn change(app: &TestApp, id: &str, edit: impl FnOnce(&mut tessera::domain::Client)) {
    let mut client = app.state.provider.db.find_client(id).unwrap().unwrap().client;
    edit(&mut client);
    assert!(app.state.provider.db.update_client(&client).unwrap());
}

async fn client_credentials(app: &TestApp, client: &TestClient, scope: Option<&str>) -> reqwest::Response {
    let mut form = vec![("grant_type", "client_credentials")];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn client_credentials_gives_a_client_token_and_nothing_else() {
    let app = spawn_app().await;
    let service = app.add_client("service", ClientOptions::default());
    // Not registered for it yet: unauthorized_client.
    let refused = client_credentials(&app, &service, None).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(refused.json::<Value>().await.unwrap()["error"], "unauthorized_client");

    change(&app, "service", |c| c.grant_types = vec![GrantType::ClientCredentials]);
    // RFC 6749 §3.3: only the scopes the client is registered for (none by default).
    let unregistered = client_credentials(&app, &service, Some("reports:read")).await;
    assert_eq!(unregistered.status(), StatusCode::BAD_REQUEST);
    assert_eq!(unregistered.json::<Value>().await.unwrap()["error"], "invalid_scope");
    change(&app, "service", |c| c.scope = Scope::parse("reports:read reports:write").unwrap());
    let wider = client_credentials(&app, &service, Some("reports:read admin")).await;
    assert_eq!(wider.json::<Value>().await.unwrap()["error"], "invalid_scope", "one scope too many");
    let response = client_credentials(&app, &service, Some("reports:read")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let body: Value = response.json().await.unwrap();
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none(), "{body}");
    assert_eq!(body["scope"], "reports:read");
    let access = body["access_token"].as_str().unwrap();
    let introspection: Value = reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth("service", service.secret.as_deref())
        .form(&[("token", access)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(introspection["active"], true);
    assert_eq!(introspection["sub"], "service", "the subject is the client");
    assert_eq!(introspection["client_id"], "service");
    // No user behind it: userinfo refuses it.
    let userinfo = reqwest::Client::new().get(app.url("/userinfo")).bearer_auth(access).send().await.unwrap();
    assert_eq!(userinfo.status(), StatusCode::UNAUTHORIZED);
    // User scopes make no sense without a user.
    let openid = client_credentials(&app, &service, Some("openid")).await;
    assert_eq!(openid.json::<Value>().await.unwrap()["error"], "invalid_scope");
    // And this client may not start the code flow.
    let url = app.authorize_url(
        &TestClient { id: "service".into(), secret: None, redirect_uri: service.redirect_uri.clone() },
        &[],
    );
    let authorize = crate::helpers::browser().get(url).send().await.unwrap();
    let to = crate::helpers::location(&authorize);
    assert_eq!(query_param(&to, "error").as_deref(), Some("unauthorized_client"), "{to}");
    // A revoked client token stops at once.
    let revoke = reqwest::Client::new()
        .post(app.url("/oauth/revoke"))
        .basic_auth("service", service.secret.as_deref())
        .form(&[("token", access)])
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::OK);
    let after: Value = reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth("service", service.secret.as_deref())
        .form(&[("token", access)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["active"], false);
}

#[actix_web::test]
async fn a_registered_authentication_method_is_the_only_one_accepted() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    change(&app, "app", |c| c.auth_method = Some(AuthMethod::ClientSecretPost));
    let code = obtain_code(&app, &client, "alice").await;
    let basic = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth("app", client.secret.as_deref())
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", client.redirect_uri.as_str()),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    // exchange_code uses client_secret_post: accepted.
    assert_eq!(exchange_code(&app, &client, &code, VERIFIER).await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn per_client_token_lifetimes_apply() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("short", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    change(&app, "short", |c| {
        c.access_token_ttl_secs = Some(60);
        c.refresh_token_ttl_secs = Some(120);
    });
    let code = obtain_code(&app, &client, "alice").await;
    let body: Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    assert_eq!(body["expires_in"], 60);
    let introspection: Value = reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth("short", client.secret.as_deref())
        .form(&[("token", body["refresh_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let now = app.now();
    let exp = introspection["exp"].as_i64().unwrap();
    assert!((now + 110..=now + 121).contains(&exp), "refresh token lives 120 s: {exp} vs {now}");
}

/// RFC 6749 §3.3 in the code flow: the OpenID Connect scopes always pass, an API scope passes when the client is
/// registered for it (`Client.scope`), and every other requested scope is dropped without an error. The allowed API
/// scope is shown on the consent page and ends up in the access token and the token response.
#[actix_web::test]
async fn the_code_flow_keeps_the_api_scopes_the_client_is_registered_for_and_drops_the_others() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    change(&app, "app", |c| c.scope = Scope::parse("reports:read").unwrap());
    let b = browser();
    let url = app.authorize_url(&client, &[("scope", "openid email reports:read reports:write admin")]);
    let response = b.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "unregistered scopes are dropped, not an error");
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let response = submit_login(&b, &page_url, &html, "alice", crate::helpers::PASSWORD).await;
    let (page_url, consent) = open_page(&b, &app, &location(&response)).await;
    assert!(consent.contains("reports:read"), "the allowed API scope is asked for: {consent}");
    assert!(consent.contains("Use other services on your behalf (one permission)"), "{consent}");
    assert!(!consent.contains("reports:write") && !consent.contains("admin"), "dropped scopes are not shown");
    let response = submit_consent(&b, &page_url, &consent, "allow").await;
    let to = location(&response);
    let code = query_param(&to, "code").unwrap_or_else(|| panic!("no code: {to}"));
    let response = exchange_code(&app, &client, &code, VERIFIER).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["scope"], "email openid reports:read", "{body}");
    let claims = jwt_part(body["access_token"].as_str().unwrap(), 1);
    assert_eq!(claims["scope"], "email openid reports:read", "{claims}");
    assert_eq!(claims["aud"], app.base.as_str(), "no resource asked: the default audience");
}

/// `tessera client add … --scope` registers the API scopes (on the running server's database: the next request
/// sees them), `client show` prints them, and `client update ID --scope ""` clears them.
#[actix_web::test]
async fn client_scopes_are_set_shown_and_cleared_from_the_cli() {
    let app = spawn_app().await;
    let redirect = "http://127.0.0.1:9/cb";
    let added = tessera_ok(
        &app,
        &["client", "add", "--id", "api-app", "--redirect-uri", redirect, "--scope", "api:write api:read"],
    );
    assert!(added.contains("api:read api:write"), "{added}");
    let shown = tessera_ok(&app, &["client", "show", "api-app"]);
    let line = shown.lines().find(|l| l.starts_with("scope:")).unwrap_or_else(|| panic!("no scope line: {shown}"));
    assert!(line.ends_with("api:read api:write"), "{line}");
    let stored = app.state.provider.db.find_client("api-app").unwrap().unwrap().client;
    assert_eq!(stored.scope.to_string(), "api:read api:write", "the server reads what the CLI wrote");

    tessera_ok(&app, &["client", "update", "api-app", "--scope", ""]);
    let shown = tessera_ok(&app, &["client", "show", "api-app"]);
    let line = shown.lines().find(|l| l.starts_with("scope:")).unwrap();
    assert!(line.contains("OpenID Connect scopes only") && !line.contains("api:"), "{line}");
    assert!(app.state.provider.db.find_client("api-app").unwrap().unwrap().client.scope.is_empty());
    // OpenID Connect scopes are not registered: they are always allowed in the code flow.
    let refused = tessera_fails(&app, &["client", "update", "api-app", "--scope", "openid api:read"]);
    assert!(refused.contains("openid"), "{refused}");
}

/// Each node keeps clients in memory (`catalog_cache_ms`): a change made by another process (the CLI, another
/// node) reaches it within that bound, and a change made through this node's own storage at once.
#[actix_web::test]
async fn a_client_changed_elsewhere_is_seen_within_the_catalog_bound() {
    let app = spawn_app_with(|s| s.catalog_cache_ms = 500).await;
    let service = app.add_client("service", ClientOptions::default());
    change(&app, "service", |c| {
        c.grant_types = vec![GrantType::ClientCredentials];
        c.scope = Scope::parse("reports:read").unwrap();
    });
    // Seen at once: the change went through this node's own storage.
    assert_eq!(client_credentials(&app, &service, Some("reports:read")).await.status(), StatusCode::OK);
    // Another process takes the scope away.
    crate::helpers::tessera_ok(&app, &["client", "update", "service", "--scope", ""]);
    let changed = std::time::Instant::now();
    let mut refused_after = None;
    while changed.elapsed() < std::time::Duration::from_secs(3) {
        if client_credentials(&app, &service, Some("reports:read")).await.status() == StatusCode::BAD_REQUEST {
            refused_after = Some(changed.elapsed());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let after = refused_after.expect("the change made elsewhere was never seen");
    assert!(after < std::time::Duration::from_millis(1500), "seen after {after:?}, the bound is 500 ms");
}
