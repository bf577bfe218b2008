//! Brute-force throttling: failed logins per account (known or not, alike) and failed client authentications.

use reqwest::StatusCode;

use crate::helpers::{
    ClientOptions, PASSWORD, VERIFIER, browser, location, obtain_code, open_page, spawn_app, submit_login,
};

const FAILED: &str = "The username or password is incorrect.";
const THROTTLED: &str = "Too many failed sign-in attempts";

/// Posts `passwords` one after the other on one login page and returns each answer's message.
async fn attempts(app: &crate::helpers::TestApp, username: &str, passwords: &[&str]) -> Vec<String> {
    let client = app.add_client(
        &format!("c{}", uuid::Uuid::new_v4().simple()),
        ClientOptions { skip_consent: true, ..ClientOptions::default() },
    );
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, mut html) = open_page(&b, app, &location(&response)).await;
    let mut out = Vec::new();
    for password in passwords {
        let response = submit_login(&b, &page_url, &html, username, password).await;
        if response.status() == StatusCode::SEE_OTHER {
            out.push("signed in".to_owned());
            continue;
        }
        html = response.text().await.unwrap();
        out.push(
            if html.contains(THROTTLED) {
                "throttled"
            } else if html.contains(FAILED) {
                "failed"
            } else {
                "?"
            }
            .to_owned(),
        );
    }
    out
}

#[actix_web::test]
async fn failed_logins_slow_an_account_down_whether_or_not_it_exists() {
    let app = spawn_app().await;
    app.add_user("alice");
    let wrong = "wrong password!";
    let alice = attempts(&app, "alice", &[wrong, wrong, wrong, wrong, wrong, PASSWORD]).await;
    assert_eq!(alice, ["failed", "failed", "failed", "failed", "failed", "throttled"], "even the right password waits");
    let mallory = attempts(&app, "mallory", &[wrong, wrong, wrong, wrong, wrong, wrong]).await;
    assert_eq!(mallory, ["failed", "failed", "failed", "failed", "failed", "throttled"], "unknown accounts alike");
    // Other accounts are not affected, and the wait ends.
    app.add_user("bob");
    assert_eq!(attempts(&app, "bob", &[PASSWORD]).await, ["signed in"]);
    app.advance(3);
    assert_eq!(attempts(&app, "alice", &[PASSWORD]).await, ["signed in"]);
}

#[actix_web::test]
async fn failed_client_authentications_are_throttled_per_client() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let other = app.add_client("other", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let code = obtain_code(&app, &client, "alice").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", VERIFIER),
    ];
    let http = reqwest::Client::new();
    for _ in 0..5 {
        let r = http.post(app.url("/oauth/token")).basic_auth("app", Some("guess")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // Now even the right secret is refused, with the same answer, for a while.
    let right = http
        .post(app.url("/oauth/token"))
        .basic_auth("app", client.secret.as_deref())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = right.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    // Another client is unaffected.
    let other_code = obtain_code(&app, &other, "alice").await;
    let ok = crate::helpers::exchange_code(&app, &other, &other_code, VERIFIER).await;
    assert_eq!(ok.status(), StatusCode::OK);
    app.advance(3);
    let later = http
        .post(app.url("/oauth/token"))
        .basic_auth("app", client.secret.as_deref())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(later.status(), StatusCode::OK, "the wait ends");
}
