//! `tessera user invite`: a single-use link to set the first password of an account that has no credential,
//! which then signs the person in.

use reqwest::StatusCode;

use crate::helpers::{
    ClientOptions, TestApp, browser, form_field, location, open_page, query_param, spawn_app, submit_login,
    tessera_fails, tessera_ok,
};

const NEW_PASSWORD: &str = "violet kettle harbour glimmer";

/// `tessera user invite USERNAME --email E [--ttl-hours H]`: the link it prints.
fn invite(app: &TestApp, username: &str, extra: &[&str]) -> String {
    let mut args = vec!["user", "invite", username, "--email", "new@example.com"];
    args.extend_from_slice(extra);
    let out = tessera_ok(app, &args);
    let link = out.lines().find(|l| l.starts_with("http")).unwrap_or_else(|| panic!("no link in {out}"));
    assert!(link.starts_with(&format!("{}/invite/", app.base)), "{link}");
    link.to_owned()
}

async fn set_password(b: &reqwest::Client, link: &str, password: &str, confirm: &str) -> reqwest::Response {
    let html = b.get(link).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").unwrap_or_else(|| panic!("no form on the invitation page: {html}"));
    b.post(link)
        .form(&[("csrf_token", csrf.as_str()), ("password", password), ("confirm", confirm)])
        .send()
        .await
        .unwrap()
}

/// Tries the password page of an authorization request; true when it signed in.
async fn can_sign_in(app: &TestApp, username: &str, password: &str) -> bool {
    let client = crate::helpers::TestClient {
        id: "app".into(),
        secret: None,
        redirect_uri: "http://127.0.0.1:9/app/callback".into(),
    };
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, app, &location(&response)).await;
    let response = submit_login(&b, &page_url, &html, username, password).await;
    response.status() == StatusCode::SEE_OTHER
}

#[actix_web::test]
async fn an_invitation_sets_the_password_signs_in_and_works_once() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let link = invite(&app, "newcomer", &[]);
    // No credential yet: nothing signs in to the account, not even an empty password.
    assert!(!can_sign_in(&app, "newcomer", "").await);
    assert!(!can_sign_in(&app, "newcomer", NEW_PASSWORD).await);

    let b = browser();
    let html = b.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("newcomer"), "the page names the account: {html}");
    let response = set_password(&b, &link, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed in and sent on");
    // Signed in: an authorization request in this browser needs no password.
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let to = location(&response);
    assert!(to.starts_with(&client.redirect_uri) && query_param(&to, "code").is_some(), "{to}");
    // And the password works from anywhere.
    assert!(can_sign_in(&app, "newcomer", NEW_PASSWORD).await);

    // Used: the link shows a clear page, and its form no longer posts.
    let response = browser().get(&link).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(response.text().await.unwrap().contains("expired or was already used"));
    let response = browser()
        .post(&link)
        .form(&[("csrf_token", "x"), ("password", "another long passphrase"), ("confirm", "another long passphrase")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(can_sign_in(&app, "newcomer", NEW_PASSWORD).await, "the password set stays");
}

#[actix_web::test]
async fn an_expired_invitation_shows_a_clear_page() {
    let app = spawn_app().await;
    let link = invite(&app, "late", &["--ttl-hours", "2"]);
    // The CLI dates the link by the real clock, a few seconds after the app's test clock was set (longer on
    // PostgreSQL): ten minutes past the two hours is past the link's end whatever that delay was.
    app.advance(2 * 3600 + 600);
    let response = browser().get(&link).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(response.text().await.unwrap().contains("expired or was already used"));
    let made_up = format!("{}/invite/not-a-token", app.base);
    assert_eq!(browser().get(&made_up).send().await.unwrap().status(), StatusCode::GONE);
}

#[actix_web::test]
async fn the_invitation_form_checks_its_csrf_token_and_the_password() {
    let app = spawn_app().await;
    let link = invite(&app, "careful", &[]);
    let b = browser();
    let response = b.post(&link).form(&[("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "no CSRF token: refused");
    let response = set_password(&b, &link, NEW_PASSWORD, "something else entirely").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("The two passwords differ"));
    let response = set_password(&b, &link, "password1", "password1").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("too short or too easy to guess"));
    // None of that spent the link.
    assert_eq!(set_password(&b, &link, NEW_PASSWORD, NEW_PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn invite_refuses_an_account_that_has_a_password_and_user_add_still_works() {
    let app = spawn_app().await;
    app.add_user("alice");
    let refused = tessera_fails(&app, &["user", "invite", "alice", "--email", "a@example.com"]);
    assert!(refused.contains("already has a password"), "{refused}");
    // Inviting again before the first link was used: a new link, both single-use.
    let first = invite(&app, "bob", &[]);
    let second = invite(&app, "bob", &[]);
    assert_ne!(first, second);
    assert_eq!(set_password(&browser(), &second, NEW_PASSWORD, NEW_PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        browser().get(&first).send().await.unwrap().status(),
        StatusCode::GONE,
        "the account has a password now"
    );
}
