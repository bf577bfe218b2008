//! The userinfo endpoint (OpenID Connect Core §5.3) and its Bearer token handling (RFC 6750): what verification
//! accepts, and the forgeries it must refuse (RFC 8725 §2.1, §3.1: `alg: none`, HS256 key confusion).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera::oauth::access_token::{AccessTokenClaims, sign_access_token};

use crate::helpers::{ClientOptions, TestApp, VERIFIER, exchange_code, obtain_code, spawn_app};

struct Issued {
    app: TestApp,
    access_token: String,
    id_token: String,
    claims: AccessTokenClaims,
}

async fn issued() -> Issued {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let code = obtain_code(&app, &client, "alice").await;
    let body: Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    let access_token = body["access_token"].as_str().unwrap().to_owned();
    let payload = access_token.split('.').nth(1).unwrap();
    let claims: AccessTokenClaims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    Issued { app, access_token, id_token: body["id_token"].as_str().unwrap().to_owned(), claims }
}

async fn get(app: &TestApp, token: &str) -> reqwest::Response {
    reqwest::Client::new().get(app.url("/userinfo")).bearer_auth(token).send().await.unwrap()
}

async fn assert_invalid_token(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge =
        response.headers().get("www-authenticate").expect("a Bearer challenge").to_str().unwrap().to_owned();
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
}

/// oidcc-userinfo-get (token in the header) and oidcc-userinfo-post-body (token in the form body).
#[actix_web::test]
async fn a_valid_token_returns_the_claims_of_its_scope_by_header_or_form_body() {
    let Issued { app, access_token, claims, .. } = issued().await;
    let response = get(&app, &access_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["sub"], claims.sub.as_str());
    assert_eq!(body["email"], "alice@example.com");
    assert_eq!(body["email_verified"], true);
    assert_eq!(body["name"], "alice Example");
    // RFC 6750 §2.2: form-encoded body parameter.
    let posted = reqwest::Client::new()
        .post(app.url("/userinfo"))
        .form(&[("access_token", access_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::OK);
    // Both at once is invalid_request (RFC 6750 §2).
    let both = reqwest::Client::new()
        .post(app.url("/userinfo"))
        .bearer_auth(&access_token)
        .form(&[("access_token", access_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(both.status(), StatusCode::BAD_REQUEST);
    assert!(both.headers().get("www-authenticate").is_some(), "RFC 6750 §3: every error carries the challenge");
}

#[actix_web::test]
async fn missing_malformed_and_tampered_tokens_are_invalid_token() {
    let Issued { app, access_token, .. } = issued().await;
    assert_invalid_token(reqwest::Client::new().get(app.url("/userinfo")).send().await.unwrap()).await;
    assert_invalid_token(get(&app, "not-a-jwt").await).await;
    let wrong_scheme =
        reqwest::Client::new().get(app.url("/userinfo")).header("authorization", "Basic abc").send().await.unwrap();
    assert_invalid_token(wrong_scheme).await;
    // RFC 6750 §3.1: a malformed request is invalid_request / 400, still with a Bearer challenge.
    for header in ["Bearer", "Bearer a b"] {
        let malformed =
            reqwest::Client::new().get(app.url("/userinfo")).header("authorization", header).send().await.unwrap();
        assert_eq!(malformed.status(), StatusCode::BAD_REQUEST, "{header}");
        let challenge = malformed.headers().get("www-authenticate").unwrap().to_str().unwrap().to_owned();
        assert!(challenge.contains("error=\"invalid_request\""), "{challenge}");
    }
    // Flip one character of the payload: the signature no longer matches.
    let mut parts: Vec<String> = access_token.split('.').map(str::to_owned).collect();
    let mut payload = parts[1].clone().into_bytes();
    payload[10] = if payload[10] == b'A' { b'B' } else { b'A' };
    parts[1] = String::from_utf8(payload).unwrap();
    assert_invalid_token(get(&app, &parts.join(".")).await).await;
}

#[actix_web::test]
async fn alg_none_and_hs256_key_confusion_are_refused() {
    let Issued { app, claims, .. } = issued().await;
    let jwks: Value = reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap().json().await.unwrap();
    let kid = jwks["keys"][0]["kid"].as_str().unwrap().to_owned();
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    for alg in ["none", "None", "NONE"] {
        let header = URL_SAFE_NO_PAD.encode(json!({"alg": alg, "typ": "at+jwt", "kid": kid}).to_string());
        assert_invalid_token(get(&app, &format!("{header}.{payload}.")).await).await;
    }
    // HS256 with the public key material as the HMAC secret: the classic key-confusion forgery.
    let public_n = jwks["keys"][0]["n"].as_str().unwrap();
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("at+jwt".into());
    header.kid = Some(kid);
    for secret in [public_n.as_bytes(), jwks.to_string().as_bytes()] {
        let forged = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(secret)).unwrap();
        assert_invalid_token(get(&app, &forged).await).await;
    }
}

#[actix_web::test]
async fn expired_foreign_issuer_wrong_audience_and_id_tokens_are_refused() {
    let Issued { app, claims, id_token, .. } = issued().await;
    let signer = app.state.provider.keys.signer();
    let sign = |c: &AccessTokenClaims| sign_access_token(&signer, c).unwrap();
    // A genuine signature on claims we control proves the refusals come from the claim checks.
    assert_eq!(get(&app, &sign(&claims)).await.status(), StatusCode::OK);
    let expired = AccessTokenClaims { exp: claims.iat - 3600, iat: claims.iat - 4000, ..claims.clone() };
    assert_invalid_token(get(&app, &sign(&expired)).await).await;
    let foreign = AccessTokenClaims { iss: "https://evil.example".into(), ..claims.clone() };
    assert_invalid_token(get(&app, &sign(&foreign)).await).await;
    let audience = AccessTokenClaims { aud: "https://other-api.example".into(), ..claims.clone() };
    assert_invalid_token(get(&app, &sign(&audience)).await).await;
    let unknown_jti = AccessTokenClaims { jti: "never-issued".into(), ..claims.clone() };
    assert_invalid_token(get(&app, &sign(&unknown_jti)).await).await;
    // RFC 9068 §4 / RFC 8725 §3.11: an ID token (typ JWT) is never an access token.
    assert_invalid_token(get(&app, &id_token).await).await;
}
