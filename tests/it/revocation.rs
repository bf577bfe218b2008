//! Token revocation (RFC 7009) and introspection (RFC 7662).

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{ClientOptions, TestApp, TestClient, VERIFIER, exchange_code, obtain_code, spawn_app};
use crate::helpers::{refresh_status, userinfo_status};

struct Tokens {
    access: String,
    refresh: String,
}

async fn tokens(app: &TestApp, client: &TestClient) -> Tokens {
    let code = obtain_code(app, client, "alice").await;
    let body: Value = exchange_code(app, client, &code, VERIFIER).await.json().await.unwrap();
    Tokens {
        access: body["access_token"].as_str().unwrap().into(),
        refresh: body["refresh_token"].as_str().unwrap().into(),
    }
}

async fn post(app: &TestApp, path: &str, client: &TestClient, form: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new().post(app.url(path));
    let mut body = form.to_vec();
    match &client.secret {
        Some(secret) => request = request.basic_auth(&client.id, Some(secret)),
        None => body.push(("client_id", &client.id)),
    }
    request.form(&body).send().await.unwrap()
}

async fn introspect(app: &TestApp, client: &TestClient, token: &str) -> Value {
    let response = post(app, "/oauth/introspect", client, &[("token", token)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    response.json().await.unwrap()
}

async fn setup() -> (TestApp, TestClient, TestClient) {
    let app = spawn_app().await;
    app.add_user("alice");
    let a = app.add_client("app-a", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = app.add_client("app-b", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    (app, a, b)
}

#[actix_web::test]
async fn introspection_describes_live_tokens_of_the_caller_only() {
    let (app, a, b) = setup().await;
    let t = tokens(&app, &a).await;
    let access = introspect(&app, &a, &t.access).await;
    assert_eq!(access["active"], true);
    assert_eq!(access["client_id"], "app-a");
    assert_eq!(access["token_type"], "Bearer");
    assert_eq!(access["iss"], app.base.as_str());
    assert_eq!(access["scope"], "email openid profile");
    for claim in ["sub", "aud", "exp", "iat"] {
        assert!(!access[claim].is_null(), "{claim}");
    }
    let refresh = introspect(&app, &a, &t.refresh).await;
    assert_eq!(refresh["active"], true);
    assert_eq!(refresh["token_type"], "refresh_token");
    assert_eq!(refresh["sub"], access["sub"]);
    // Another client learns nothing about app-a's tokens, and garbage is simply inactive.
    assert_eq!(introspect(&app, &b, &t.access).await, serde_json::json!({"active": false}));
    assert_eq!(introspect(&app, &b, &t.refresh).await, serde_json::json!({"active": false}));
    assert_eq!(introspect(&app, &a, "not-a-token").await, serde_json::json!({"active": false}));
    // A rotated refresh token is inactive.
    assert_eq!(refresh_status(&app, &a, &t.refresh).await, StatusCode::OK);
    assert_eq!(introspect(&app, &a, &t.refresh).await["active"], false);
}

#[actix_web::test]
async fn introspection_requires_a_confidential_client() {
    let (app, a, _) = setup().await;
    let t = tokens(&app, &a).await;
    let public = app.add_client("spa", ClientOptions { public: true, ..ClientOptions::default() });
    let response = post(&app, "/oauth/introspect", &public, &[("token", &t.access)]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let anonymous =
        reqwest::Client::new().post(app.url("/oauth/introspect")).form(&[("token", &t.access)]).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let missing = post(&app, "/oauth/introspect", &a, &[]).await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn revoking_a_refresh_token_ends_the_whole_grant() {
    let (app, a, _) = setup().await;
    let t = tokens(&app, &a).await;
    assert_eq!(userinfo_status(&app, &t.access).await, StatusCode::OK);
    let response =
        post(&app, "/oauth/revoke", &a, &[("token", &t.refresh), ("token_type_hint", "refresh_token")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(refresh_status(&app, &a, &t.refresh).await, StatusCode::BAD_REQUEST);
    assert_eq!(userinfo_status(&app, &t.access).await, StatusCode::UNAUTHORIZED, "its access tokens go too");
    assert_eq!(introspect(&app, &a, &t.access).await["active"], false);
}

#[actix_web::test]
async fn revoking_an_access_token_stops_it_and_leaves_the_grant() {
    let (app, a, _) = setup().await;
    let t = tokens(&app, &a).await;
    // No hint: the server finds out what the token is.
    let response = post(&app, "/oauth/revoke", &a, &[("token", &t.access)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(userinfo_status(&app, &t.access).await, StatusCode::UNAUTHORIZED);
    assert_eq!(introspect(&app, &a, &t.access).await["active"], false);
    assert_eq!(refresh_status(&app, &a, &t.refresh).await, StatusCode::OK, "the refresh token still works");
}

#[actix_web::test]
async fn unknown_tokens_get_200_and_foreign_ones_are_refused() {
    let (app, a, b) = setup().await;
    let t = tokens(&app, &a).await;
    let unknown = post(&app, "/oauth/revoke", &b, &[("token", "unknown"), ("token_type_hint", "bogus")]).await;
    assert_eq!(unknown.status(), StatusCode::OK, "RFC 7009 §2.2");
    // RFC 7009 §2.1: a token of another client is refused, and nothing happens to it.
    for token in [t.refresh.as_str(), t.access.as_str()] {
        let response = post(&app, "/oauth/revoke", &b, &[("token", token)]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.json::<Value>().await.unwrap()["error"], "unauthorized_client");
    }
    assert_eq!(userinfo_status(&app, &t.access).await, StatusCode::OK, "app-b cannot revoke app-a's tokens");
    assert_eq!(refresh_status(&app, &a, &t.refresh).await, StatusCode::OK);
    // Revocation needs client authentication.
    let anonymous =
        reqwest::Client::new().post(app.url("/oauth/revoke")).form(&[("token", &t.access)]).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = reqwest::Client::new()
        .post(app.url("/oauth/revoke"))
        .basic_auth("app-a", Some("wrong"))
        .form(&[("token", &t.access)])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(userinfo_status(&app, &t.access).await, StatusCode::OK);
}

/// RFC 7519 §4.1.4: "the current date/time MUST be before the expiration date/time listed in the exp claim", and
/// Tessera checks its own tokens without leeway, on the server's clock (RFC 7662 §4). 1 s before `exp` the access token still works at `/userinfo` and
/// introspects as active; 1 s after, it is `invalid_token` and `{"active": false}`.
#[actix_web::test]
async fn an_access_token_stops_working_the_second_it_expires() {
    let (app, a, _) = setup().await;
    let t = tokens(&app, &a).await;
    let exp = crate::helpers::jwt_part(&t.access, 1)["exp"].as_i64().unwrap();
    app.advance(exp - 1 - app.now());
    assert_eq!(userinfo_status(&app, &t.access).await, StatusCode::OK, "1 s before exp");
    assert_eq!(introspect(&app, &a, &t.access).await["active"], true, "1 s before exp");
    app.advance(2);
    let expired = reqwest::Client::new().get(app.url("/userinfo")).bearer_auth(&t.access).send().await.unwrap();
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED, "1 s after exp");
    let challenge = expired.headers().get("www-authenticate").unwrap().to_str().unwrap().to_owned();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert_eq!(introspect(&app, &a, &t.access).await, serde_json::json!({"active": false}), "1 s after exp");
}

/// The JWS checks of an access token (RFC 7515 §5.2), at introspection and userinfo: a changed payload under the
/// original signature, a changed signature, a token of four parts, a signature that is not base64url, and a
/// header naming another alg are all inactive (and 401 at userinfo), while the untouched token is live.
#[actix_web::test]
async fn an_altered_access_token_is_inactive_and_refused() {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let (app, a, _) = setup().await;
    let token = tokens(&app, &a).await.access;
    let parts: Vec<&str> = token.split('.').collect();
    let (header, payload, signature) = (parts[0], parts[1], parts[2]);
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["scope"] = "email openid profile admin".into();
    let widened = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    let mut flipped = URL_SAFE_NO_PAD.decode(signature).unwrap();
    flipped[10] ^= 1;
    let mut other_alg: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    other_alg["alg"] = "PS256".into();
    let other_alg = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&other_alg).unwrap());
    let altered = [
        format!("{header}.{widened}.{signature}"),
        format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(&flipped)),
        format!("{header}.{payload}.{payload}.{signature}"),
        format!("{header}.{payload}.{signature}!"),
        format!("{other_alg}.{payload}.{signature}"),
    ];
    for token in &altered {
        assert_eq!(introspect(&app, &a, token).await, serde_json::json!({"active": false}), "{token}");
        assert_eq!(userinfo_status(&app, token).await, StatusCode::UNAUTHORIZED, "{token}");
    }
    assert_eq!(introspect(&app, &a, &token).await["active"], true);
    assert_eq!(userinfo_status(&app, &token).await, StatusCode::OK);
}
