//! The device authorization grant (RFC 8628), over real HTTP: the device asks for codes at the device authorization
//! endpoint, a person enters the user code at `/device` in a browser, signs in with a real password and approves or
//! denies on the consent page, while the device polls the token endpoint.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    ClientOptions, PASSWORD, TestApp, TestClient, browser, form_field, jwt_part, location, open_page, spawn_app,
    spawn_app_with, submit_consent, submit_login, tessera_ok,
};

const DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// A public client (a TV app) registered for the device code grant (and the code flow), with its own device code
/// lifetime of 300 s.
fn tv_client(app: &TestApp) -> TestClient {
    let client = app.add_client("tv", ClientOptions { public: true, ..ClientOptions::default() });
    let grants = format!("authorization_code,refresh_token,{DEVICE_CODE}");
    tessera_ok(app, &["client", "update", "tv", "--grant-types", &grants, "--device-code-ttl-secs", "300"]);
    client
}

/// POST /oauth/device_authorization as a public client (client_id in the body) or a confidential one (Basic).
async fn device_request(app: &TestApp, client: &TestClient, scope: &str) -> (StatusCode, Value) {
    let request = reqwest::Client::new().post(app.url("/oauth/device_authorization"));
    let request = match &client.secret {
        Some(secret) => request.basic_auth(&client.id, Some(secret)).form(&[("scope", scope)]),
        None => request.form(&[("client_id", client.id.as_str()), ("scope", scope)]),
    };
    let response = request.send().await.unwrap();
    let status = response.status();
    assert_eq!(response.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
    (status, response.json().await.unwrap())
}

async fn poll(app: &TestApp, client: &TestClient, device_code: &str) -> (StatusCode, Value) {
    let form = [("grant_type", DEVICE_CODE), ("device_code", device_code), ("client_id", client.id.as_str())];
    let response = reqwest::Client::new().post(app.url("/oauth/token")).form(&form).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn expect_error(app: &TestApp, client: &TestClient, device_code: &str, error: &str) {
    let (status, body) = poll(app, client, device_code).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some(error)), "{body}");
}

/// Opens `/device` (with `?user_code=` when given) and posts `entered`; the response to the post.
async fn enter_code(
    browser: &reqwest::Client,
    app: &TestApp,
    prefill: Option<&str>,
    entered: &str,
) -> reqwest::Response {
    let page = match prefill {
        Some(code) => {
            let mut url = url::Url::parse(&app.url("/device")).unwrap();
            url.query_pairs_mut().append_pair("user_code", code);
            url.to_string()
        }
        None => app.url("/device"),
    };
    let (_, html) = open_page(browser, app, &page).await;
    let csrf = form_field(&html, "csrf_token").expect("csrf token on /device");
    browser
        .post(app.url("/device"))
        .form(&[("csrf_token", csrf.as_str()), ("user_code", entered)])
        .send()
        .await
        .unwrap()
}

/// A person at a browser: enters the code, signs in as `username` with the real password, and answers the consent
/// page with `decision`; the final page's HTML.
async fn answer(app: &TestApp, user_code: &str, entered: &str, username: &str, decision: &str) -> String {
    let browser = browser();
    let response = enter_code(&browser, app, Some(user_code), entered).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (page_url, html) = open_page(&browser, app, &location(&response)).await;
    assert!(html.contains("name=\"password\""), "the sign-in page comes first: {html}");
    let response = submit_login(&browser, &page_url, &html, username, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (page_url, html) = open_page(&browser, app, &location(&response)).await;
    // The consent page names the application and what it asks for.
    assert!(html.contains("Test App"), "{html}");
    assert!(html.contains("name=\"decision\""), "{html}");
    let response = submit_consent(&browser, &page_url, &html, decision).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// RFC 8628 §3.1-§3.5 end to end: the codes (a consonant user code shown XXXX-XXXX, /device, the complete URI, the
/// client's lifetime, interval 5); polling before an answer is authorization_pending, polling again at once is
/// slow_down, and each slow_down adds 5 s to the interval (5 s later is too soon again; 15 s after that, pending);
/// the
/// person enters the code in lower case without the dash, signs in, approves; the next poll gets the same tokens
/// as the code flow (an ID token for openid, a refresh token), and a second redemption is refused.
#[actix_web::test]
async fn a_device_is_approved_at_the_device_page_and_redeems_its_code_once() {
    let app = spawn_app().await;
    let alice = app.add_user("alice");
    let client = tv_client(&app);
    let (status, codes) = device_request(&app, &client, "openid profile").await;
    assert_eq!(status, StatusCode::OK, "{codes}");
    let user_code = codes["user_code"].as_str().unwrap().to_owned();
    let (first, second) = user_code.split_once('-').expect("XXXX-XXXX");
    for half in [first, second] {
        assert_eq!(half.len(), 4, "{user_code}");
        assert!(half.chars().all(|c| "BCDFGHJKLMNPQRSTVWXZ".contains(c)), "{user_code}");
    }
    assert_eq!(codes["verification_uri"], app.url("/device"));
    assert_eq!(codes["verification_uri_complete"], format!("{}?user_code={user_code}", app.url("/device")));
    assert_eq!(codes["expires_in"], 300);
    assert_eq!(codes["interval"], 5);
    let device_code = codes["device_code"].as_str().unwrap().to_owned();

    expect_error(&app, &client, &device_code, "authorization_pending").await;
    expect_error(&app, &client, &device_code, "slow_down").await;
    app.advance(5);
    expect_error(&app, &client, &device_code, "slow_down").await;
    app.advance(15);
    expect_error(&app, &client, &device_code, "authorization_pending").await;

    let typed = user_code.replace('-', "").to_lowercase();
    let done = answer(&app, &user_code, &typed, "alice", "allow").await;
    assert!(done.contains("Device connected"), "{done}");

    app.advance(10);
    let (status, tokens) = poll(&app, &client, &device_code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["refresh_token"].is_string(), "{tokens}");
    let id_token = jwt_part(tokens["id_token"].as_str().expect("an ID token for openid"), 1);
    assert_eq!(id_token["sub"], alice.subject.as_str());
    assert_eq!(id_token["aud"], serde_json::json!(["tv"]));
    let access = jwt_part(tokens["access_token"].as_str().unwrap(), 1);
    assert_eq!(access["sub"], alice.subject.as_str());
    assert_eq!(access["client_id"], "tv");

    app.advance(10);
    expect_error(&app, &client, &device_code, "invalid_grant").await;
    // The code is answered: entering it again finds nothing.
    let response = enter_code(&browser(), &app, None, &user_code).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

/// RFC 8628 §3.5 access_denied: the person denies on the consent page; the device's next poll is refused, and so
/// is every later one.
#[actix_web::test]
async fn a_denied_device_request_answers_access_denied() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = tv_client(&app);
    let (_, codes) = device_request(&app, &client, "openid").await;
    let (user_code, device_code) = (codes["user_code"].as_str().unwrap(), codes["device_code"].as_str().unwrap());
    let done = answer(&app, user_code, user_code, "alice", "deny").await;
    assert!(done.contains("Device not connected"), "{done}");
    expect_error(&app, &client, device_code, "access_denied").await;
    app.advance(10);
    expect_error(&app, &client, device_code, "access_denied").await;
}

/// RFC 8628 §3.5 expired_token once `expires_in` has passed; the user code no longer works at /device either.
#[actix_web::test]
async fn an_expired_device_code_answers_expired_token() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = tv_client(&app);
    let (_, codes) = device_request(&app, &client, "openid").await;
    let (user_code, device_code) = (codes["user_code"].as_str().unwrap(), codes["device_code"].as_str().unwrap());
    app.advance(300);
    expect_error(&app, &client, device_code, "expired_token").await;
    let response = enter_code(&browser(), &app, None, user_code).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = response.text().await.unwrap();
    assert!(html.contains("This code is not valid"), "{html}");
}

/// A wrong user code gets the form again with the reason (400); a post without the form's CSRF token is refused
/// before any code is looked up; a device code of another client, or an unknown one, is invalid_grant.
#[actix_web::test]
async fn wrong_user_codes_csrf_and_foreign_device_codes_are_refused() {
    let app = spawn_app().await;
    let client = tv_client(&app);
    let (_, codes) = device_request(&app, &client, "openid").await;
    let user_code = codes["user_code"].as_str().unwrap();
    let wrong = if user_code == "BBBB-BBBB" { "CCCC-CCCC" } else { "BBBB-BBBB" };
    let browser = browser();
    let response = enter_code(&browser, &app, None, wrong).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("This code is not valid"));
    let response = enter_code(&browser, &app, None, "not a code at all").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let response = browser.post(app.url("/device")).form(&[("user_code", user_code)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(!response.text().await.unwrap().contains("name=\"user_code\""), "refused, not the form again");

    let other = app.add_client("other", ClientOptions { public: true, ..ClientOptions::default() });
    let grants = format!("authorization_code,{DEVICE_CODE}");
    tessera_ok(&app, &["client", "update", "other", "--grant-types", &grants]);
    expect_error(&app, &other, codes["device_code"].as_str().unwrap(), "invalid_grant").await;
    expect_error(&app, &client, "no-such-device-code", "invalid_grant").await;
}

/// RFC 8628 §5.1: user code entry is throttled per address. Five wrong codes are free, the sixth blocks the address
/// for 2 s: then even the right code is refused (429, and not looked up), until the wait is over.
#[actix_web::test]
async fn guessing_user_codes_is_throttled_per_address() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = tv_client(&app);
    let (_, codes) = device_request(&app, &client, "openid").await;
    let user_code = codes["user_code"].as_str().unwrap();
    let wrong = if user_code == "BBBB-BBBB" { "CCCC-CCCC" } else { "BBBB-BBBB" };
    let browser = browser();
    for _ in 0..6 {
        assert_eq!(enter_code(&browser, &app, None, wrong).await.status(), StatusCode::BAD_REQUEST);
    }
    let response = enter_code(&browser, &app, None, user_code).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.text().await.unwrap().contains("Too many wrong codes"));
    app.advance(3);
    assert_eq!(enter_code(&browser, &app, None, user_code).await.status(), StatusCode::SEE_OTHER);
}

/// RFC 8628 §3.1: a confidential client authenticates as at the token endpoint (a wrong secret is invalid_client);
/// a client not registered for the grant is unauthorized_client, at the device endpoint and the token endpoint.
#[actix_web::test]
async fn the_device_endpoint_authenticates_clients_and_requires_the_grant() {
    let app = spawn_app().await;
    let service = app.add_client("console", ClientOptions::default());
    let (status, body) = device_request(&app, &service, "openid").await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("unauthorized_client")), "{body}");
    let grants = format!("authorization_code,{DEVICE_CODE}");
    tessera_ok(&app, &["client", "update", "console", "--grant-types", &grants]);
    let (status, codes) = device_request(&app, &service, "openid").await;
    assert_eq!(status, StatusCode::OK, "{codes}");
    assert_eq!(codes["expires_in"], 600, "the server's device_code_ttl_secs");
    let wrong = TestClient { id: "console".into(), secret: Some("wrong".into()), redirect_uri: String::new() };
    let (status, body) = device_request(&app, &wrong, "openid").await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")), "{body}");
    let (status, body) = device_request(&app, &service, "").await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_scope")), "{body}");
    let plain = app.add_client("plain", ClientOptions { public: true, ..ClientOptions::default() });
    let (status, body) = poll(&app, &plain, codes["device_code"].as_str().unwrap()).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("unauthorized_client")), "{body}");
}

/// The maintenance purges grants that nothing hangs off any more; an approved device request holds its grant (no
/// code, no refresh token yet) until the device redeems it, so maintenance between the approval and the device's
/// next poll must leave it (found by the /device browser test, where the poll came a few seconds later).
#[actix_web::test]
async fn maintenance_between_the_approval_and_the_poll_keeps_the_grant() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = tv_client(&app);
    let (status, codes) = device_request(&app, &client, "openid profile").await;
    assert_eq!(status, StatusCode::OK, "{codes}");
    let user_code = codes["user_code"].as_str().unwrap().to_owned();
    let device_code = codes["device_code"].as_str().unwrap().to_owned();
    let done = answer(&app, &user_code, &user_code, "alice", "allow").await;
    assert!(done.contains("Device connected"), "{done}");
    app.advance(10);
    app.state.provider.maintain().expect("maintenance");
    let (status, tokens) = poll(&app, &client, &device_code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert!(tokens["access_token"].is_string(), "{tokens}");
}

/// RFC 8707 §2.1 at the device endpoint (RFC 8628 §3.1 takes the authorization endpoint's extension parameters):
/// with `resource`, the approved grant's access token is for that API (aud) and carries only its scopes the client
/// has; an unknown resource is `invalid_target` before any code is issued.
#[actix_web::test]
async fn a_device_request_for_a_resource_gets_tokens_for_it() {
    const API: &str = "https://tv-api.example";
    let app = spawn_app().await;
    app.add_user("alice");
    let client = tv_client(&app);
    tessera_ok(&app, &["resource", "add", "--id", API, "--scope", "tv:watch tv:admin"]);
    tessera_ok(&app, &["client", "update", "tv", "--scope", "tv:watch"]);

    let request = |resource: &'static str| {
        let form = [("client_id", "tv"), ("scope", "openid tv:watch tv:admin"), ("resource", resource)];
        reqwest::Client::new().post(app.url("/oauth/device_authorization")).form(&form).send()
    };
    let refused = request("https://unknown.example").await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "invalid_target", "{body}");

    let codes: Value = request(API).await.unwrap().json().await.unwrap();
    let user_code = codes["user_code"].as_str().expect("user_code").to_owned();
    let device_code = codes["device_code"].as_str().unwrap().to_owned();
    let done = answer(&app, &user_code, &user_code, "alice", "allow").await;
    assert!(done.contains("Device connected"), "{done}");
    app.advance(10);
    let (status, tokens) = poll(&app, &client, &device_code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["scope"], "tv:watch", "the resource's scope the client has, nothing else: {tokens}");
    let access = jwt_part(tokens["access_token"].as_str().unwrap(), 1);
    assert_eq!(access["aud"], API, "{access}");
    assert!(tokens["id_token"].is_string(), "still an OpenID Connect sign-in: {tokens}");
}

/// Issue 13, several nodes: device requests live in the database, so the device may ask one node, the person
/// approve at another node's /device page, and the device poll either; the code is still redeemed once.
#[actix_web::test]
async fn a_device_request_made_at_one_node_is_approved_and_redeemed_at_another_once() {
    let first = spawn_app().await;
    let alice = first.add_user("alice");
    let client = tv_client(&first);
    let location = first.state.settings.database_location();
    let second = spawn_app_with(move |s| s.database_url = location).await;
    let (status, codes) = device_request(&first, &client, "openid").await;
    assert_eq!(status, StatusCode::OK, "{codes}");
    let user_code = codes["user_code"].as_str().unwrap().to_owned();
    let device_code = codes["device_code"].as_str().unwrap().to_owned();

    let done = answer(&second, &user_code, &user_code, "alice", "allow").await;
    assert!(done.contains("Device connected"), "{done}");
    let (status, tokens) = poll(&second, &client, &device_code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(jwt_part(tokens["access_token"].as_str().unwrap(), 1)["sub"], alice.subject.as_str());

    first.advance(10);
    expect_error(&first, &client, &device_code, "invalid_grant").await;
}
