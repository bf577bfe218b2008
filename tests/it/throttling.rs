//! Brute-force throttling of sign-ins (per account and address, per address, per account across failing addresses;
//! known accounts or not, alike), and client authentication that no burst can lock out.

use reqwest::StatusCode;

use crate::helpers::{
    ClientOptions, PASSWORD, TestApp, VERIFIER, browser, count_rows, location, obtain_code, open_page, spawn_app,
    spawn_app_with, submit_login,
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

// ---------------------------------------------------------------------------------------------------------------
// Anonymous requests cannot grow the server without bound
// ---------------------------------------------------------------------------------------------------------------

/// A burst of authorization requests from one address beyond its rate (2 a second, bursts of 10) is answered 503
/// with Retry-After on our error page, before anything is stored; another address still gets through, and the
/// first one does again after a while.
#[actix_web::test]
async fn a_burst_of_authorization_requests_from_one_address_gets_503_while_others_get_through() {
    let app = spawn_app_with(|s| s.authorization_requests_per_second = 2).await;
    let client = app.add_client("app", ClientOptions::default());
    let (busy, quiet) = (browser_at("127.0.0.1"), browser_at("127.0.0.2"));
    // Sent one after the other until one is refused (requests take milliseconds; the rate refills at 2 a second).
    let mut statuses = Vec::new();
    let refused = loop {
        let response = busy.get(app.authorize_url(&client, &[])).send().await.unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            break response;
        }
        assert!(statuses.len() < 60, "never refused: {statuses:?}");
    };
    assert!(statuses.len() > 10, "the burst of ten passes: {statuses:?}");
    assert!(statuses[..statuses.len() - 1].iter().all(|s| *s == 303), "{statuses:?}");
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(refused.headers().get("location").is_none(), "our page, not a redirect");
    assert!(refused.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(refused.text().await.unwrap().contains("temporarily unavailable"));
    let parked = count_rows(&app, "interactions");
    let passed = statuses.len() - 1;
    assert_eq!(parked as usize, passed.min(20), "the refused request parked nothing (one browser keeps 20)");

    let other = quiet.get(app.authorize_url(&client, &[])).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::SEE_OTHER, "another address has its own rate");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let later = busy.get(app.authorize_url(&client, &[])).send().await.unwrap();
    assert_eq!(later.status(), StatusCode::SEE_OTHER, "the rate refills");
}

/// Opens `count` authorization requests in browser `b`, `spacing` seconds of server time apart; their page URLs.
async fn open_requests(app: &TestApp, b: &reqwest::Client, count: usize, spacing: i64) -> Vec<String> {
    let client = app.add_client(
        &format!("c{}", uuid::Uuid::new_v4().simple()),
        ClientOptions { skip_consent: true, ..ClientOptions::default() },
    );
    let mut pages = Vec::new();
    for _ in 0..count {
        let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
        pages.push(app.url(&location(&response)));
        app.advance(spacing);
    }
    pages
}

/// Which of `pages` still open in `b`.
async fn live_pages(b: &reqwest::Client, pages: &[String]) -> Vec<usize> {
    let mut live = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let status = b.get(page).send().await.unwrap().status();
        assert!(status == StatusCode::OK || status == StatusCode::BAD_REQUEST, "{status}");
        if status == StatusCode::OK {
            live.push(i);
        }
    }
    live
}

/// A browser keeps at most 20 parked requests: opening more drops the oldest (tabs left open), whose pages are then
/// expired.
#[actix_web::test]
async fn a_browser_keeps_at_most_20_parked_requests_and_loses_the_oldest() {
    let app = spawn_app().await;
    let b = browser();
    let pages = open_requests(&app, &b, 25, 1).await;
    assert_eq!(live_pages(&b, &pages).await, (5..25).collect::<Vec<_>>(), "the newest twenty");
    let expired = b.get(&pages[0]).send().await.unwrap();
    assert_eq!(expired.status(), StatusCode::BAD_REQUEST);
    assert!(expired.text().await.unwrap().contains("expired"));
    // Another browser has its own twenty.
    let other = browser();
    let theirs = open_requests(&app, &other, 3, 0).await;
    assert_eq!(live_pages(&other, &theirs).await, [0, 1, 2]);
    assert_eq!(live_pages(&b, &pages).await.len(), 20);
    // Within one second too, never more than twenty.
    let burst = browser();
    let opened = open_requests(&app, &burst, 25, 0).await;
    assert_eq!(live_pages(&burst, &opened).await.len(), 20);
}

/// Issue 8, item 8: one address keeps at most 500 parked requests (cookieless requests each park one); past that
/// its new requests are answered `temporarily_unavailable` (RFC 6749 §4.1.2.1) until some expire, while another
/// address parks as before.
#[actix_web::test]
async fn an_address_keeps_at_most_500_parked_requests() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let from = |ip: &str| {
        reqwest::Client::builder()
            .local_address(ip.parse::<std::net::IpAddr>().unwrap())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    };
    let (crowded, other) = (from("127.0.0.5"), from("127.0.0.6"));
    let url = app.authorize_url(&client, &[]);
    let parks = |response: reqwest::Response| location(&response).starts_with("/interaction/");
    for i in 0..500 {
        assert!(parks(crowded.get(&url).send().await.unwrap()), "request {i} parks");
    }
    let refused = crowded.get(&url).send().await.unwrap();
    crate::helpers::assert_error_redirect(&app, &refused, &client.redirect_uri, "temporarily_unavailable");
    assert!(parks(other.get(&url).send().await.unwrap()), "another address parks");
    app.advance(app.state.settings.interaction_ttl_secs as i64 + 1);
    assert!(parks(crowded.get(&url).send().await.unwrap()), "room again once they expired");
}

/// Client authentication is never throttled and stores nothing: token requests with invented client ids or wrong
/// secrets leave no row in auth_failures (a failed sign-in, for comparison, does).
#[actix_web::test]
async fn invented_clients_at_the_token_endpoint_store_no_throttle_rows() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let http = reqwest::Client::new();
    for i in 0..30 {
        let (id, secret) = if i % 2 == 0 { (format!("invented-{i}"), "x") } else { ("app".to_owned(), "wrong") };
        let response = http
            .post(app.url("/oauth/token"))
            .basic_auth(id, Some(secret))
            .form(&[("grant_type", "refresh_token"), ("refresh_token", "whatever")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(count_rows(&app, "auth_failures"), 0, "nothing stored for client authentication");
    app.add_user("alice");
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    submit_login(&b, &page_url, &html, "alice", "wrong password!").await;
    assert!(count_rows(&app, "auth_failures") > 0, "a failed sign-in is counted (the count above is meaningful)");
}

/// Attempt counts whose window (15 minutes) has ended and that block nothing are purged by housekeeping, not kept
/// for a day.
#[actix_web::test]
async fn throttle_rows_are_purged_once_their_window_has_ended() {
    use tessera::oauth::throttle::WINDOW_SECS;
    use tessera::storage::Housekeeping;
    let app = spawn_app().await;
    app.add_user("alice");
    assert_eq!(attempts(&app, "alice", &["wrong password!"]).await, ["failed"]);
    let rows = count_rows(&app, "auth_failures");
    assert!(rows > 0);
    assert_eq!(WINDOW_SECS, 15 * 60);
    app.advance(14 * 60);
    app.state.provider.db.purge_expired(app.now(), WINDOW_SECS, 300).unwrap();
    assert_eq!(count_rows(&app, "auth_failures"), rows, "still within the window");
    app.advance(2 * 60);
    app.state.provider.db.purge_expired(app.now(), WINDOW_SECS, 300).unwrap();
    assert_eq!(count_rows(&app, "auth_failures"), 0, "16 minutes later, nothing is left");
}

/// Many people behind one address (an office NAT) sign in at the same moment: their correct passwords never wait on
/// each other's pending checks, however many are in flight at once.
#[actix_web::test]
async fn many_people_behind_one_address_sign_in_at_once() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let people: Vec<String> = (0..40).map(|n| format!("person{n}")).collect();
    let mut pages = Vec::new();
    for name in &people {
        app.add_user(name);
        let b = browser();
        let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
        let (page_url, html) = open_page(&b, &app, &location(&response)).await;
        pages.push((b, page_url, html));
    }
    let logins =
        pages.iter().zip(&people).map(|((b, page_url, html), name)| submit_login(b, page_url, html, name, PASSWORD));
    let outcomes = futures_util::future::join_all(logins).await;
    let mut signed_in = 0;
    for response in outcomes {
        if outcome(response).await == "signed in" {
            signed_in += 1;
        }
    }
    assert_eq!(signed_in, people.len(), "every correct password from the shared address got in");
}
