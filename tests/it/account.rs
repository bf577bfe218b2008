//! The account page, `/account`, in the browser session of the sign-in: enrol and remove an authenticator app,
//! new recovery codes, sign out one session or everywhere (ending online grants), re-authentication once the
//! sign-in is older than five minutes, CSRF on every form.

use reqwest::StatusCode;
use tessera::oauth::authentication::totp::{code_at, step_of};

use crate::helpers::{
    ClientOptions, PASSWORD, TestApp, TestClient, VERIFIER, browser, exchange_code, form_field, location, query_param,
    refresh_status, sign_in, spawn_app, spawn_app_with,
};

/// Signs `username` in with browser `b`; the refresh token of the grant made.
async fn signed_in(app: &TestApp, b: &reqwest::Client, client: &TestClient, username: &str) -> String {
    let to = sign_in(b, app, &app.authorize_url(client, &[]), username).await;
    let code = query_param(&to, "code").expect("code");
    let tokens: serde_json::Value = exchange_code(app, client, &code, VERIFIER).await.json().await.unwrap();
    tokens["refresh_token"].as_str().expect("a refresh token").to_owned()
}

async fn page(b: &reqwest::Client, url: String) -> String {
    let response = b.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

async fn post(b: &reqwest::Client, app: &TestApp, action: &str, form: &[(&str, &str)]) -> reqwest::Response {
    b.post(app.url(&format!("/account/{action}"))).form(form).send().await.unwrap()
}

fn setup() -> ClientOptions {
    ClientOptions { skip_consent: true, ..Default::default() }
}

#[actix_web::test]
async fn without_a_session_the_page_says_so_and_changes_nothing() {
    let app = spawn_app().await;
    let html = page(&browser(), app.url("/account")).await;
    assert!(html.contains("You are not signed in"), "{html}");
    let response = post(&browser(), &app, "sessions-end-all", &[("csrf_token", "x")]).await;
    assert!(response.text().await.unwrap().contains("You are not signed in"));
}

#[actix_web::test]
async fn an_authenticator_app_is_enrolled_from_the_account_page_confirmed_by_a_code() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", setup());
    let b = browser();
    signed_in(&app, &b, &client, "alice").await;
    let html = page(&b, app.url("/account")).await;
    assert!(html.contains("alice") && html.contains("Not set up"), "{html}");

    let html = page(&b, app.url("/account/totp")).await;
    assert!(html.contains("src=\"data:image/svg+xml;base64,"), "the QR code, drawn on the server: {html}");
    let csrf = form_field(&html, "csrf_token").unwrap();
    let secret_b32 = form_field(&html, "secret").unwrap();
    let secret = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &secret_b32).unwrap();
    // A wrong code: the same page, the same key, nothing stored.
    let response =
        post(&b, &app, "totp-enrol", &[("csrf_token", &csrf), ("secret", &secret_b32), ("code", "000000")]).await;
    let again = response.text().await.unwrap();
    assert!(again.contains("This code is incorrect") && again.contains(&secret_b32), "{again}");
    assert_eq!(crate::helpers::count_rows(&app, "user_totp"), 0);
    let code = code_at(&secret, step_of(app.now())).unwrap();
    let response =
        post(&b, &app, "totp-enrol", &[("csrf_token", &csrf), ("secret", &secret_b32), ("code", &code)]).await;
    let codes_page = response.text().await.unwrap();
    assert!(codes_page.contains("Your recovery codes"), "{codes_page}");
    assert_eq!(codes_page.matches("<li><code>").count(), 10);
    let html = page(&b, app.url("/account")).await;
    assert!(html.contains("Recovery codes left: 10"), "{html}");

    // The next sign-in asks for a code; the one that confirmed the enrolment is spent.
    let other = browser();
    let response = other.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, login) = crate::helpers::open_page(&other, &app, &location(&response)).await;
    let response = crate::helpers::submit_login(&other, &page_url, &login, "alice", PASSWORD).await;
    let next = app.url(&location(&response));
    let html = page(&other, next.clone()).await;
    assert!(html.contains("name=\"code\""));
    let csrf2 = form_field(&html, "csrf_token").unwrap();
    let response =
        other.post(format!("{next}/otp")).form(&[("csrf_token", csrf2.as_str()), ("code", &code)]).send().await;
    assert_eq!(response.unwrap().status(), StatusCode::OK, "the enrolment's code does not sign in again");

    // New recovery codes replace the old; removing the app turns the step off.
    let response = post(&b, &app, "recovery-codes", &[("csrf_token", &csrf)]).await;
    assert_eq!(response.text().await.unwrap().matches("<li><code>").count(), 10);
    let response = post(&b, &app, "totp-remove", &[("csrf_token", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::helpers::count_rows(&app, "user_totp"), 0);
    assert_eq!(crate::helpers::count_rows(&app, "recovery_codes"), 0);
    let to = sign_in(&browser(), &app, &app.authorize_url(&client, &[]), "alice").await;
    assert!(to.starts_with(&client.redirect_uri), "the password alone again");
}

#[actix_web::test]
async fn changes_need_the_password_again_after_five_minutes_and_a_csrf_token() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", setup());
    let b = browser();
    signed_in(&app, &b, &client, "alice").await;
    let html = page(&b, app.url("/account")).await;
    let csrf = form_field(&html, "csrf_token").unwrap();
    assert!(!html.contains("name=\"password\""), "a fresh sign-in needs no password");
    // No CSRF token, or another one: refused.
    assert_eq!(post(&b, &app, "recovery-codes", &[]).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(post(&b, &app, "sessions-end-all", &[("csrf_token", "forged")]).await.status(), StatusCode::BAD_REQUEST);

    app.advance(301);
    let html = page(&b, app.url("/account")).await;
    assert!(html.contains("name=\"password\""), "the forms ask for the password now");
    let response = post(&b, &app, "sessions-end-all", &[("csrf_token", &csrf), ("password", "wrong")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("The password is incorrect"));
    let response = post(&b, &app, "sessions-end-all", &[("csrf_token", &csrf), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(page(&b, app.url("/account")).await.contains("You are not signed in"));
}

#[actix_web::test]
async fn sign_out_one_session_or_everywhere_ends_their_online_grants() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", setup());
    let (laptop, phone) = (browser(), browser());
    let laptop_refresh = signed_in(&app, &laptop, &client, "alice").await;
    app.advance(2);
    let phone_refresh = signed_in(&app, &phone, &client, "alice").await;
    let html = page(&laptop, app.url("/account")).await;
    assert_eq!(html.matches("name=\"sid\"").count(), 2, "{html}");
    assert!(html.contains("This browser"));
    let csrf = form_field(&html, "csrf_token").unwrap();
    // Sessions are listed newest first: the phone's is the first form.
    let phone_sid = form_field(&html, "sid").unwrap();
    let response = post(&laptop, &app, "session-end", &[("csrf_token", &csrf), ("sid", &phone_sid)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(refresh_status(&app, &client, &phone_refresh).await, StatusCode::BAD_REQUEST, "the phone's grant ended");
    let laptop_refresh = refresh(&app, &client, &laptop_refresh).await.expect("the laptop's grant lives");
    assert!(page(&phone, app.url("/account")).await.contains("You are not signed in"));

    // Everywhere: this browser too (signed out, sent to the landing page).
    let html = page(&laptop, app.url("/account")).await;
    let response =
        post(&laptop, &app, "sessions-end-all", &[("csrf_token", &form_field(&html, "csrf_token").unwrap())]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    assert!(page(&laptop, app.url("/account")).await.contains("You are not signed in"));
    assert_eq!(refresh_status(&app, &client, &laptop_refresh).await, StatusCode::BAD_REQUEST, "its grant ended");
    for event in ["account_session_ended", "account_signed_out_everywhere"] {
        let rows = crate::helpers::count_rows(
            &app,
            &format!("audit_events WHERE event = '{event}' AND client_id = 'account'"),
        );
        assert_eq!(rows, 1, "{event}");
    }
}

/// A refresh; the rotated refresh token, or `None` when refused.
async fn refresh(app: &TestApp, client: &TestClient, token: &str) -> Option<String> {
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("grant_type", "refresh_token"), ("refresh_token", token)])
        .send()
        .await
        .unwrap();
    let tokens: serde_json::Value = response.json().await.ok()?;
    tokens["refresh_token"].as_str().map(str::to_owned)
}

#[actix_web::test]
async fn change_password_needs_the_current_one_and_signs_out_everywhere_else() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", setup());
    let (b, other) = (browser(), browser());
    signed_in(&app, &b, &client, "alice").await;
    let other_refresh = signed_in(&app, &other, &client, "alice").await;
    let html = page(&b, app.url("/account")).await;
    let csrf = form_field(&html, "csrf_token").unwrap();
    let new = "violet kettle harbour glimmer";
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let (b, app, csrf) = (&b, &app, csrf.clone());
        async move {
            let form = [("csrf_token", csrf.as_str()), ("current", current), ("new", new), ("confirm", confirm)];
            post(b, app, "password", &form).await
        }
    };
    let refused = change("wrong", new, new).await.text().await.unwrap();
    assert!(refused.contains("The password is incorrect"), "{refused}");
    let refused = change(PASSWORD, new, "violet kettle").await.text().await.unwrap();
    assert!(refused.contains("The two passwords differ"), "{refused}");
    let refused = change(PASSWORD, "password1", "password1").await.text().await.unwrap();
    assert!(refused.contains("too short or too easy to guess"), "{refused}");
    let response = change(PASSWORD, new, new).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/account");
    assert!(page(&b, app.url("/account")).await.contains("Your account"), "this browser stays signed in");
    assert!(!page(&b, app.url("/account")).await.contains("You are not signed in"));
    assert!(page(&other, app.url("/account")).await.contains("You are not signed in"), "the other one is out");
    assert_eq!(refresh_status(&app, &client, &other_refresh).await, StatusCode::BAD_REQUEST);
    // The new password signs in; the old one does not.
    let fresh = browser();
    let response = fresh.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, login) = crate::helpers::open_page(&fresh, &app, &location(&response)).await;
    let old = crate::helpers::submit_login(&fresh, &page_url, &login, "alice", PASSWORD).await;
    assert_eq!(old.status(), StatusCode::OK, "the old password is refused");
    let login = old.text().await.unwrap();
    let ok = crate::helpers::submit_login(&fresh, &page_url, &login, "alice", new).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn revoking_an_application_ends_its_grants_and_forgets_the_consent() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("photos", ClientOptions { name: "Photo App", ..Default::default() });
    let b = browser();
    let refresh = signed_in(&app, &b, &client, "alice").await;
    let html = page(&b, app.url("/account")).await;
    assert!(html.contains("Photo App") && html.contains("active sign-ins: 1"), "{html}");
    let csrf = form_field(&html, "csrf_token").unwrap();
    let response = post(&b, &app, "app-revoke", &[("csrf_token", &csrf), ("client_id", "photos")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(refresh_status(&app, &client, &refresh).await, StatusCode::BAD_REQUEST, "its refresh token is dead");
    assert!(page(&b, app.url("/account")).await.contains("No application has access"));
    // The consent is gone: the next request asks again.
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let html = page(&b, app.url(&location(&response))).await;
    assert!(html.contains("name=\"decision\""), "the consent page again: {html}");
}

/// Signs in on the account page's own form; the response.
async fn account_sign_in(
    b: &reqwest::Client,
    app: &TestApp,
    username: &str,
    password: &str,
    code: &str,
) -> reqwest::Response {
    let html = page(b, app.url("/account")).await;
    let csrf = form_field(&html, "csrf_token").expect("the sign-in form");
    let form = [("csrf_token", csrf.as_str()), ("username", username), ("password", password), ("code", code)];
    post(b, app, "sign-in", &form).await
}

#[actix_web::test]
async fn the_account_page_signs_in_with_the_password_and_the_second_factor() {
    let app = spawn_app().await;
    app.add_user("alice");
    app.add_user("bob");
    let b = browser();
    let refused = account_sign_in(&b, &app, "alice", "wrong", "").await;
    assert_eq!(refused.status(), StatusCode::OK);
    assert!(refused.text().await.unwrap().contains("The password is incorrect"));
    let response = account_sign_in(&b, &app, "alice", PASSWORD, "").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/account");
    assert!(page(&b, app.url("/account")).await.contains("<dd>alice</dd>"));

    // Bob has an authenticator app: the password alone is not enough; with the code it is.
    let out: serde_json::Value =
        serde_json::from_str(&crate::helpers::tessera_ok(&app, &["user", "totp", "add", "bob", "--json"])).unwrap();
    let secret = query_param(out["otpauth_uri"].as_str().unwrap(), "secret").unwrap();
    let secret = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &secret).unwrap();
    let b = browser();
    let refused = account_sign_in(&b, &app, "bob", PASSWORD, "").await;
    assert!(refused.text().await.unwrap().contains("This code is incorrect"));
    let code = code_at(&secret, step_of(app.now())).unwrap();
    let response = account_sign_in(&b, &app, "bob", PASSWORD, &code).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(page(&b, app.url("/account")).await.contains("<dd>bob</dd>"));
    // A form from elsewhere (no token bound to this browser) is refused.
    let response = post(&browser(), &app, "sign-in", &[("username", "bob"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

const FIREFOX_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like \
                             Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/// A browser stand-in with its own User-Agent, connecting from `address` (any 127.0.0.x is this machine), so the
/// server sees a distinct peer address.
fn device(user_agent: &str, address: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .local_address(std::net::IpAddr::from(address))
        .build()
        .expect("client")
}

#[actix_web::test]
async fn sessions_show_the_device_and_address_that_signed_in_and_end_one_by_one() {
    let app = spawn_app().await;
    app.add_user("alice");
    app.add_user("bob");
    let client = app.add_client("app", setup());
    let laptop = device(FIREFOX_LINUX, [127, 0, 0, 2]);
    signed_in(&app, &laptop, &client, "alice").await;
    app.advance(2);
    // The phone signs in on the account page's own form, and claims another address in a forwarded header, which
    // counts for nothing: forwarded headers are not trusted by default.
    let phone = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(SAFARI_IPHONE)
        .local_address(std::net::IpAddr::from([127, 0, 0, 3]))
        .default_headers(reqwest::header::HeaderMap::from_iter([(
            reqwest::header::HeaderName::from_static("x-forwarded-for"),
            reqwest::header::HeaderValue::from_static("203.0.113.9"),
        )]))
        .build()
        .unwrap();
    assert_eq!(account_sign_in(&phone, &app, "alice", PASSWORD, "").await.status(), StatusCode::SEE_OTHER);
    app.advance(2);
    // A browser that sends no User-Agent: its device is unknown.
    signed_in(&app, &browser(), &client, "alice").await;
    // Bob's session is his own: never on Alice's page.
    signed_in(&app, &device("BobBrowser/1.0", [127, 0, 0, 4]), &client, "bob").await;

    let html = page(&laptop, app.url("/account")).await;
    assert_eq!(html.matches("name=\"sid\"").count(), 3, "{html}");
    assert!(
        html.contains(
            "<strong>This browser</strong> · <span class=\"session-client\">Firefox on Linux · address 127.0.0.2"
        ),
        "the laptop's own session, marked as this browser: {html}"
    );
    assert!(html.contains("Safari on iPhone · address 127.0.0.3"), "the phone's session: {html}");
    assert!(html.contains("unknown · address 127.0.0.1"), "no User-Agent: {html}");
    assert!(!html.contains("203.0.113.9"), "an untrusted forwarded header is not the address: {html}");
    assert!(!html.contains("127.0.0.4") && !html.contains("BobBrowser"), "another user's session: {html}");

    // The phone's page marks its own session; ending it from the laptop signs the phone out.
    let phone_html = page(&phone, app.url("/account")).await;
    assert!(phone_html.contains("<strong>This browser</strong> · <span class=\"session-client\">Safari on iPhone"));
    let phone_block = html.split("<li>").find(|li| li.contains("Safari on iPhone")).expect("the phone's line");
    let phone_sid = form_field(phone_block, "sid").unwrap();
    let csrf = form_field(&html, "csrf_token").unwrap();
    let response = post(&laptop, &app, "session-end", &[("csrf_token", &csrf), ("sid", &phone_sid)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = page(&laptop, app.url("/account")).await;
    assert_eq!(html.matches("name=\"sid\"").count(), 2, "{html}");
    assert!(!html.contains("Safari on iPhone") && html.contains("Firefox on Linux"), "{html}");
    assert!(page(&phone, app.url("/account")).await.contains("You are not signed in"));
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_session_shows_the_forwarded_address() {
    let app = spawn_app_with(|s| s.trust_forwarded_headers = true).await;
    app.add_user("alice");
    let b = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(FIREFOX_LINUX)
        .default_headers(reqwest::header::HeaderMap::from_iter([(
            reqwest::header::HeaderName::from_static("x-forwarded-for"),
            // The proxy appended the last entry; the first is whatever the client claimed.
            reqwest::header::HeaderValue::from_static("198.51.100.66, 203.0.113.9"),
        )]))
        .build()
        .unwrap();
    assert_eq!(account_sign_in(&b, &app, "alice", PASSWORD, "").await.status(), StatusCode::SEE_OTHER);
    let html = page(&b, app.url("/account")).await;
    assert!(html.contains("Firefox on Linux · address 203.0.113.9"), "{html}");
    assert!(!html.contains("198.51.100.66"), "{html}");
}

/// `account_profile_edit`: off (the default), the profile is read-only on the account page (no form; a post is
/// refused and changes nothing); on, the person changes their own name and picture under the CLI's rules for those
/// claims, with the CSRF token.
#[actix_web::test]
async fn the_name_and_picture_are_edited_on_the_account_page_only_where_the_operator_allows_it() {
    use tessera::storage::UserStore;
    let off = spawn_app().await;
    let alice = off.add_user("alice");
    let client = off.add_client("app", setup());
    let b = browser();
    signed_in(&off, &b, &client, "alice").await;
    let html = page(&b, off.url("/account")).await;
    assert!(!html.contains("id=\"profile-form\""), "read-only by default: {html}");
    let csrf = form_field(&html, "csrf_token").unwrap();
    let refused = post(&b, &off, "profile", &[("csrf_token", &csrf), ("name", "Mallory")]).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let name = off.state.provider.db.find_user(&alice.subject).unwrap().unwrap().name;
    assert_ne!(name.as_deref(), Some("Mallory"));

    let app = spawn_app_with(|s| s.account_profile_edit = true).await;
    let alice = app.add_user("alice");
    let client = app.add_client("app", setup());
    let b = browser();
    signed_in(&app, &b, &client, "alice").await;
    let html = page(&b, app.url("/account")).await;
    assert!(html.contains("id=\"profile-form\""), "{html}");
    let csrf = form_field(&html, "csrf_token").unwrap();
    let db = &app.state.provider.db;
    let before = db.find_user(&alice.subject).unwrap().unwrap();
    let without_csrf = post(&b, &app, "profile", &[("name", "Alice Liddell")]).await;
    assert_eq!(without_csrf.status(), StatusCode::BAD_REQUEST);
    let bad = [("csrf_token", csrf.as_str()), ("name", "Alice Liddell"), ("picture", "javascript:alert(1)")];
    let response = post(&b, &app, "profile", &bad).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("cannot be used"), "the picture must be an http(s) URL");
    assert_eq!(db.find_user(&alice.subject).unwrap().unwrap(), before, "nothing changed");

    let good = [("csrf_token", csrf.as_str()), ("name", " Alice Liddell "), ("picture", "https://example.com/a.png")];
    assert_eq!(post(&b, &app, "profile", &good).await.status(), StatusCode::SEE_OTHER);
    let after = db.find_user(&alice.subject).unwrap().unwrap();
    assert_eq!(after.name.as_deref(), Some("Alice Liddell"));
    assert_eq!(after.attributes.picture.as_deref(), Some("https://example.com/a.png"));
    assert!(page(&b, app.url("/account")).await.contains("Alice Liddell"));
    // Every change on the account page is an audit event; the refused ones above were not changes.
    assert_eq!(crate::helpers::count_rows(&app, "audit_events WHERE event = 'account_profile_updated'"), 1);
    // Empty removes them.
    let cleared = [("csrf_token", csrf.as_str()), ("name", ""), ("picture", "")];
    assert_eq!(post(&b, &app, "profile", &cleared).await.status(), StatusCode::SEE_OTHER);
    let cleared = db.find_user(&alice.subject).unwrap().unwrap();
    assert_eq!((cleared.name, cleared.attributes.picture), (None, None));
}
