//! Pushed authorization requests (RFC 9126), over real HTTP: the client pushes its request's parameters with its
//! credentials, gets a single-use `request_uri`, and the browser comes to the authorization endpoint with only
//! `client_id` and `request_uri`; the pushed parameters go through the same checks as a front-channel request.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    CHALLENGE, ClientOptions, TestApp, TestClient, VERIFIER, browser, exchange_code, location, query_param, sign_in,
    spawn_app, spawn_app_with, tessera_ok,
};

/// The parameters of a code request with PKCE, as pushed.
fn request_params(client: &TestClient) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".into()),
        ("redirect_uri", client.redirect_uri.clone()),
        ("scope", "openid profile".into()),
        ("state", "pushed-state".into()),
        ("nonce", "pushed-nonce".into()),
        ("code_challenge", CHALLENGE.into()),
        ("code_challenge_method", "S256".into()),
    ]
}

async fn push(app: &TestApp, client: &TestClient, params: &[(&str, String)]) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(app.url("/oauth/par"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(params)
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(response.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
    (status, response.json().await.unwrap())
}

fn authorize_with(app: &TestApp, client: &TestClient, request_uri: &str) -> String {
    let mut url = url::Url::parse(&app.url("/oauth/authorize")).unwrap();
    url.query_pairs_mut().append_pair("client_id", &client.id).append_pair("request_uri", request_uri);
    url.to_string()
}

/// RFC 9126 §2.2 and §4: 201 with a `urn:ietf:params:oauth:request_uri:` and `expires_in` (60 s by default); the
/// browser request with client_id + request_uri runs the pushed request (its state comes back, its PKCE challenge
/// binds the code); a second use of the request_uri, or another client's, is `invalid_request_uri` on our page.
#[actix_web::test]
async fn a_pushed_request_is_used_once_through_the_authorization_endpoint() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let other = app.add_client("other", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let (status, body) = push(&app, &client, &request_params(&client)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let request_uri = body["request_uri"].as_str().unwrap().to_owned();
    assert!(request_uri.starts_with("urn:ietf:params:oauth:request_uri:"), "{request_uri}");
    assert_eq!(body["expires_in"], 60);

    // Another client cannot use it (and trying does not spend it).
    let stolen = browser().get(authorize_with(&app, &other, &request_uri)).send().await.unwrap();
    assert_eq!(stolen.status(), StatusCode::BAD_REQUEST);
    assert!(stolen.text().await.unwrap().contains("invalid_request_uri"));

    // Front-channel parameters beside request_uri are ignored: the pushed state comes back.
    let url = authorize_with(&app, &client, &request_uri) + "&state=front-channel";
    let redirect = sign_in(&browser(), &app, &url, "alice").await;
    assert!(redirect.starts_with(&client.redirect_uri), "{redirect}");
    assert_eq!(query_param(&redirect, "state").as_deref(), Some("pushed-state"));
    let code = query_param(&redirect, "code").expect("a code");
    let exchange = exchange_code(&app, &client, &code, VERIFIER).await;
    assert_eq!(exchange.status(), StatusCode::OK, "the pushed PKCE challenge binds the code");

    let again = browser().get(authorize_with(&app, &client, &request_uri)).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST, "single use");
    assert!(again.text().await.unwrap().contains("invalid_request_uri"));

    // RFC 9126 §2.1 expiry: pushed, then the server's clock passes expires_in.
    let (_, body) = push(&app, &client, &request_params(&client)).await;
    app.advance(61);
    let late =
        browser().get(authorize_with(&app, &client, body["request_uri"].as_str().unwrap())).send().await.unwrap();
    assert_eq!(late.status(), StatusCode::BAD_REQUEST, "expired");
}

/// The push is checked as the authorization endpoint would check the request (phase 1 and phase 2), answered with
/// JSON errors (RFC 9126 §2.3): an unregistered redirect_uri, a request without PKCE, a `request_uri` inside a
/// push; an unauthenticated push is `invalid_client`.
#[actix_web::test]
async fn a_push_is_checked_like_an_authorization_request() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let mut bad_redirect = request_params(&client);
    bad_redirect[1].1 = "https://evil.example/cb".into();
    let without_pkce: Vec<(&str, String)> =
        request_params(&client).into_iter().filter(|(k, _)| !k.starts_with("code_challenge")).collect();
    let mut nested = request_params(&client);
    nested.push(("request_uri", "urn:ietf:params:oauth:request_uri:x".into()));
    for (what, params, error) in [
        ("an unregistered redirect_uri", bad_redirect, "invalid_request"),
        ("no PKCE", without_pkce, "invalid_request"),
        ("a request_uri inside the push", nested, "invalid_request"),
    ] {
        let (status, body) = push(&app, &client, &params).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some(error)), "{what}: {body}");
    }
    let wrong_secret =
        TestClient { id: client.id.clone(), secret: Some("wrong".into()), redirect_uri: client.redirect_uri.clone() };
    let (status, body) = push(&app, &wrong_secret, &request_params(&client)).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")));
}

/// `--require-pushed-authorization-requests` (per client) and `require_pushed_authorization_requests` (server):
/// a front-channel request is refused back to the client with invalid_request; discovery names the PAR endpoint,
/// and says PAR is required only when the server requires it.
#[actix_web::test]
async fn pushed_requests_can_be_required() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    tessera_ok(&app, &["client", "update", "app", "--require-pushed-authorization-requests"]);
    let front = browser().get(app.authorize_url(&client, &[])).send().await.unwrap();
    assert_eq!(front.status(), StatusCode::SEE_OTHER);
    let to = location(&front);
    assert!(to.starts_with(&client.redirect_uri), "{to}");
    assert_eq!(query_param(&to, "error").as_deref(), Some("invalid_request"));
    let (_, body) = push(&app, &client, &request_params(&client)).await;
    let redirect =
        sign_in(&browser(), &app, &authorize_with(&app, &client, body["request_uri"].as_str().unwrap()), "alice").await;
    assert!(query_param(&redirect, "code").is_some(), "{redirect}");
    let doc: Value = reqwest::get(app.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert_eq!(doc["pushed_authorization_request_endpoint"], app.url("/oauth/par"));
    assert!(doc.get("require_pushed_authorization_requests").is_none(), "not required server-wide");
    drop(app);

    let strict = spawn_app_with(|s| s.require_pushed_authorization_requests = true).await;
    let client = strict.add_client("app", ClientOptions::default());
    let front = browser().get(strict.authorize_url(&client, &[])).send().await.unwrap();
    assert_eq!(query_param(&location(&front), "error").as_deref(), Some("invalid_request"));
    let doc: Value = reqwest::get(strict.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert_eq!(doc["require_pushed_authorization_requests"], true);
}

/// Issue 13, several nodes: pushed requests live in the database, so a request_uri pushed at one node is used at
/// another (the browser may land on any node behind the load balancer), and only once across them.
#[actix_web::test]
async fn a_request_uri_pushed_at_one_node_is_used_at_another_once() {
    let first = spawn_app().await;
    first.add_user("alice");
    let client = first.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let location = first.state.settings.database_location();
    let second = spawn_app_with(move |s| s.database_url = location).await;
    let (status, body) = push(&first, &client, &request_params(&client)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let request_uri = body["request_uri"].as_str().unwrap().to_owned();

    let redirect = sign_in(&browser(), &second, &authorize_with(&second, &client, &request_uri), "alice").await;
    assert!(redirect.starts_with(&client.redirect_uri), "{redirect}");
    assert_eq!(query_param(&redirect, "state").as_deref(), Some("pushed-state"), "the request pushed at the first");
    let code = query_param(&redirect, "code").expect("a code");
    assert_eq!(exchange_code(&second, &client, &code, VERIFIER).await.status(), StatusCode::OK);

    let again = browser().get(authorize_with(&first, &client, &request_uri)).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST, "used at the second node: spent at the first too");
    assert!(again.text().await.unwrap().contains("invalid_request_uri"));
}
