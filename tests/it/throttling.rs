//! Brute-force throttling of sign-ins (per account and address, per address, per account across failing addresses;
//! known accounts or not, alike), and client authentication that no burst can lock out.

use reqwest::StatusCode;

use crate::helpers::{
    ClientOptions, PASSWORD, TestApp, VERIFIER, browser, location, obtain_code, open_page, spawn_app, submit_login,
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

/// A browser stand-in that connects from `address` (any 127.0.0.x reaches the test server on Linux).
fn browser_at(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(address.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

/// Posts each of `passwords` on a fresh login page, from `address`; returns each outcome.
async fn attempts_from(app: &TestApp, address: &str, username: &str, passwords: &[&str]) -> Vec<String> {
    let client = app.add_client(
        &format!("c{}", uuid::Uuid::new_v4().simple()),
        ClientOptions { skip_consent: true, ..ClientOptions::default() },
    );
    let b = browser_at(address);
    let mut out = Vec::new();
    for password in passwords {
        let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
        let (page_url, html) = open_page(&b, app, &location(&response)).await;
        let response = submit_login(&b, &page_url, &html, username, password).await;
        out.push(outcome(response).await);
    }
    out
}

async fn outcome(response: reqwest::Response) -> String {
    if response.status() == StatusCode::SEE_OTHER {
        return "signed in".to_owned();
    }
    let html = response.text().await.unwrap();
    if html.contains(THROTTLED) {
        "throttled"
    } else if html.contains(FAILED) {
        "failed"
    } else {
        "?"
    }
    .to_owned()
}

#[actix_web::test]
async fn wrong_passwords_from_one_address_never_lock_the_account_out_from_another() {
    let app = spawn_app().await;
    app.add_user("alice");
    let wrong = "wrong password!";
    let guesses = attempts_from(&app, "127.0.0.2", "alice", &[wrong; 10]).await;
    assert_eq!(guesses.iter().filter(|o| *o == "failed").count(), 5, "{guesses:?}");
    assert!(guesses[5..].iter().all(|o| o == "throttled"), "the guessing address waits: {guesses:?}");
    // The right password, at once, from an address that has not been failing.
    assert_eq!(attempts_from(&app, "127.0.0.3", "alice", &[PASSWORD]).await, ["signed in"]);
    // ... while the guessing address still waits, even with the right password.
    assert_eq!(attempts_from(&app, "127.0.0.2", "alice", &[PASSWORD]).await, ["throttled"]);
}

#[actix_web::test]
async fn an_account_guessed_from_many_addresses_slows_down_only_those_addresses() {
    let app = spawn_app().await;
    app.add_user("alice");
    let wrong = "wrong password!";
    // Two failures from each of eleven addresses: the second of each counts against the account's own rate (ten
    // free), and the eleventh sets a wait.
    for n in 10..21 {
        let address = format!("127.0.0.{n}");
        assert_eq!(attempts_from(&app, &address, "alice", &[wrong, wrong]).await, ["failed", "failed"]);
    }
    let next = attempts_from(&app, "127.0.0.21", "alice", &[wrong, wrong]).await;
    assert_eq!(
        next,
        ["failed", "throttled"],
        "a first attempt is never refused; a failing address meets the account's rate"
    );
    // A fresh address with the right password: in.
    assert_eq!(attempts_from(&app, "127.0.0.30", "alice", &[PASSWORD]).await, ["signed in"]);
}

#[actix_web::test]
async fn concurrent_guesses_are_counted_before_the_password_is_checked() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let guesses = (0..24).map(|_| submit_login(&b, &page_url, &html, "alice", "wrong password!"));
    let outcomes = futures_util::future::join_all(guesses).await;
    let mut checked = 0;
    for response in outcomes {
        if outcome(response).await == "failed" {
            checked += 1;
        }
    }
    // Four free failures, then the fifth blocks: of 24 guesses sent at once, at most five reach argon2.
    assert!(checked <= 5, "{checked} concurrent guesses were checked");
    assert!(checked >= 1);
}

#[actix_web::test]
async fn a_correct_client_secret_always_authenticates_even_after_a_burst_of_wrong_ones() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let http = reqwest::Client::new();
    // 3,000 wrong secrets and malformed requests from the real client's own address.
    for i in 0..3000 {
        let request = http.post(app.url("/oauth/token"));
        let r = match i % 3 {
            0 => request.basic_auth("app", Some("guess")).form(&[("grant_type", "client_credentials")]),
            1 => request.basic_auth(format!("invented-{i}"), Some("x")).form(&[("grant_type", "refresh_token")]),
            _ => request.header("content-type", "application/x-www-form-urlencoded").body("grant_type=%zz"),
        }
        .send()
        .await
        .unwrap();
        assert!(r.status().is_client_error(), "{}", r.status());
    }
    // The right secret works at once.
    let code = obtain_code(&app, &client, "alice").await;
    let ok = http
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
    assert_eq!(ok.status(), StatusCode::OK);
    // And no throttle row was stored for any of it: invented clients and wrong secrets leave nothing behind.
    use tessera::storage::ThrottleStore;
    let keys = ["client:app", "client:app@127.0.0.1", "client:invented-1"];
    assert_eq!(app.state.provider.db.blocked_until(&keys).unwrap(), 0);
}
