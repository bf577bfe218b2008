//! The resource-server example (examples/resource_server.rs) in-process, against a real Tessera and real tokens:
//! the genuine access token is accepted; tampered, spliced, `alg: none`, HS256 key-confusion, ID tokens and
//! tokens for another audience are refused with an RFC 6750 challenge; a key Tessera rotates to is fetched.
//!
//! Each refusal is checked twice: over HTTP (status and `WWW-Authenticate`), and through `Verifier::verify` for
//! the precise reason, so a test cannot pass because the token was refused for some other, accidental, reason.

use std::net::TcpListener;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::Parser;
use jsonwebtoken::errors::ErrorKind;
use openidconnect::AuthType;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::end_to_end::sign_in_with_openidconnect;
use crate::helpers::{ClientOptions, TestApp, VERIFIER, exchange_code, obtain_code, spawn_app};

#[allow(dead_code)] // the example's `main` is not called from here
#[path = "../../examples/resource_server.rs"]
pub(crate) mod example;

use example::{Rejection, Verifier};

/// The example running on its own port; stopped when dropped.
pub(crate) struct Api {
    pub(crate) url: String,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for Api {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

/// The example's configuration, parsed from command-line arguments like its `main` does.
pub(crate) fn config(app: &TestApp, extra: &[&str]) -> example::Config {
    let mut args = vec!["resource_server", "--issuer", app.base.as_str()];
    args.extend_from_slice(extra);
    example::Config::try_parse_from(args).expect("valid arguments")
}

pub(crate) fn start_api(config: &example::Config) -> Api {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = example::build(config, listener).expect("build the example");
    let handle = server.handle();
    actix_web::rt::spawn(server);
    Api { url: format!("http://127.0.0.1:{port}/api/me"), handle }
}

fn verifier(config: &example::Config) -> Verifier {
    Verifier::new(config).expect("verifier")
}

async fn call(api: &Api, authorization: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(&api.url);
    if let Some(value) = authorization {
        request = request.header(reqwest::header::AUTHORIZATION, value);
    }
    request.send().await.expect("call the API")
}

fn www_authenticate(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no WWW-Authenticate on a {} response", response.status()))
}

/// 401 with an RFC 6750 `invalid_token` challenge.
async fn assert_invalid_token(api: &Api, token: &str, what: &str) {
    let response = call(api, Some(&format!("Bearer {token}"))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}");
    let challenge = www_authenticate(&response);
    assert!(challenge.starts_with("Bearer realm=\"api\""), "{what}: {challenge}");
    assert!(challenge.contains("error=\"invalid_token\""), "{what}: {challenge}");
}

/// 200 and the body of `/api/me`.
async fn assert_accepted(api: &Api, token: &str) -> Value {
    let response = call(api, Some(&format!("Bearer {token}"))).await;
    assert_eq!(response.status(), StatusCode::OK, "a genuine access token must be accepted");
    response.json().await.expect("JSON body")
}

/// Tessera running, alice signed in through the real flow with the `openidconnect` crate.
struct SignedIn {
    app: TestApp,
    subject: String,
    access_token: String,
}

async fn signed_in() -> SignedIn {
    let app = spawn_app().await;
    let subject = app.add_user("alice").subject;
    let signed = sign_in_with_openidconnect(&app, "client-id", AuthType::BasicAuth, false).await;
    SignedIn { app, subject, access_token: signed.access_token }
}

/// The token response of a code exchanged by hand for a new client (has `access_token` and `id_token`).
async fn exchange_by_hand(app: &TestApp, client_id: &str) -> Value {
    let client = app.add_client(client_id, ClientOptions::default());
    let code = obtain_code(app, &client, "alice").await;
    let response = exchange_code(app, &client, &code, VERIFIER).await;
    assert_eq!(response.status(), StatusCode::OK, "code exchange");
    response.json().await.expect("token response")
}

fn string_field(json: &Value, name: &str) -> String {
    json[name].as_str().unwrap_or_else(|| panic!("no {name} in {json}")).to_owned()
}

fn segments(token: &str) -> [&str; 3] {
    let parts: Vec<&str> = token.split('.').collect();
    parts.try_into().expect("a compact JWS has three segments")
}

fn decode_segment(segment: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).expect("base64url")).expect("JSON")
}

fn encode_segment(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("serialise"))
}

fn kid(token: &str) -> String {
    string_field(&decode_segment(segments(token)[0]), "kid")
}

async fn jwks(app: &TestApp) -> Vec<Value> {
    let jwks: Value = reqwest::get(app.url("/.well-known/jwks.json")).await.expect("JWKS").json().await.expect("JSON");
    jwks["keys"].as_array().expect("keys").clone()
}

fn is_invalid(rejection: &Result<example::AccessClaims, Rejection>, kind: fn(&ErrorKind) -> bool) -> bool {
    matches!(rejection, Err(Rejection::Invalid(error)) if kind(error.kind()))
}

#[actix_web::test]
async fn the_genuine_access_token_is_accepted() {
    let s = signed_in().await;
    let api = start_api(&config(&s.app, &[]));

    let body = assert_accepted(&api, &s.access_token).await;
    assert_eq!(body["sub"], s.subject.as_str());
    assert_eq!(body["client_id"], "client-id");
    let scope = body["scope"].as_str().expect("scope");
    assert!(scope.split(' ').any(|s| s == "openid"), "{scope}");
    // The scheme is case-insensitive (RFC 9110 §11.1).
    let response = call(&api, Some(&format!("bearer {}", s.access_token))).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[actix_web::test]
async fn a_tampered_token_is_refused() {
    let s = signed_in().await;
    let api = start_api(&config(&s.app, &[]));
    let [header, payload, signature] = segments(&s.access_token);

    // An attacker's edit: one character of `sub` changed, the payload still well-formed JSON with every claim,
    // so only the signature can catch it.
    let mut claims = decode_segment(payload);
    let mut sub = string_field(&claims, "sub");
    let last = sub.pop().expect("non-empty sub");
    sub.push(if last == 'A' { 'B' } else { 'A' });
    claims["sub"] = json!(sub);
    let edited = format!("{header}.{}.{signature}", encode_segment(&claims));
    assert_invalid_token(&api, &edited, "edited sub").await;
    let verifier = verifier(&config(&s.app, &[]));
    assert!(is_invalid(&verifier.verify(&edited).await, |k| matches!(k, ErrorKind::InvalidSignature)));

    // One character of the payload segment flipped in place.
    let mut flipped = payload.to_owned().into_bytes();
    let middle = flipped.len() / 2;
    flipped[middle] = if flipped[middle] == b'A' { b'B' } else { b'A' };
    let flipped = format!("{header}.{}.{signature}", String::from_utf8(flipped).expect("ASCII"));
    assert_ne!(flipped, s.access_token);
    assert_invalid_token(&api, &flipped, "flipped payload character").await;
    assert!(is_invalid(&verifier.verify(&flipped).await, |k| matches!(k, ErrorKind::InvalidSignature)));

    // The genuine token still verifies with the same verifier: the refusals above were about the edits.
    assert_eq!(verifier.verify(&s.access_token).await.expect("genuine token").sub, s.subject);
}

#[actix_web::test]
async fn a_signature_from_another_token_is_refused() {
    let s = signed_in().await;
    let api = start_api(&config(&s.app, &[]));
    let other = string_field(&exchange_by_hand(&s.app, "other-client").await, "access_token");
    // The other token is genuine on its own, signed by the same key.
    assert_eq!(assert_accepted(&api, &other).await["client_id"], "other-client");
    assert_eq!(kid(&other), kid(&s.access_token));

    let [header, payload, _] = segments(&s.access_token);
    let spliced = format!("{header}.{payload}.{}", segments(&other)[2]);
    assert_invalid_token(&api, &spliced, "signature of another token").await;
    let verifier = verifier(&config(&s.app, &[]));
    assert!(is_invalid(&verifier.verify(&spliced).await, |k| matches!(k, ErrorKind::InvalidSignature)));
}

#[actix_web::test]
async fn alg_none_and_hs256_key_confusion_are_refused() {
    let s = signed_in().await;
    let api = start_api(&config(&s.app, &[]));
    let verifier = verifier(&config(&s.app, &[]));
    let [header, payload, _] = segments(&s.access_token);
    let kid = kid(&s.access_token);
    // Otherwise valid claims: those of the genuine token, which this verifier accepts.
    assert!(verifier.verify(&s.access_token).await.is_ok());
    let claims = decode_segment(payload);
    assert_eq!(decode_segment(header)["typ"], "at+jwt");

    // RFC 7519 §6.1 unsecured JWTs, with an empty and with the genuine signature.
    let genuine_signature = segments(&s.access_token)[2];
    for alg in ["none", "None", "NONE"] {
        let none_header = encode_segment(&json!({ "alg": alg, "typ": "at+jwt", "kid": kid }));
        for signature in ["", genuine_signature] {
            let token = format!("{none_header}.{payload}.{signature}");
            assert_invalid_token(&api, &token, &format!("alg {alg}")).await;
            let refused = verifier.verify(&token).await;
            assert!(matches!(refused, Err(Rejection::Malformed | Rejection::WrongAlgorithm)), "{alg}: {refused:?}");
        }
    }

    // HS256 keyed with the public key: a verifier that let the token pick the algorithm would check the HMAC
    // with the RSA key material and accept it.
    let published = jwks(&s.app).await;
    let jwk = published.iter().find(|k| k["kid"] == kid.as_str()).expect("the signing key is published");
    let n = string_field(jwk, "n");
    let n_bytes = URL_SAFE_NO_PAD.decode(&n).expect("n is base64url");
    let mut hs_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs_header.typ = Some("at+jwt".into());
    hs_header.kid = Some(kid.clone());
    for secret in [n.as_bytes(), n_bytes.as_slice()] {
        let token = jsonwebtoken::encode(&hs_header, &claims, &jsonwebtoken::EncodingKey::from_secret(secret))
            .expect("HS256 token");
        assert_invalid_token(&api, &token, "HS256 keyed with the public key").await;
        let refused = verifier.verify(&token).await;
        assert!(matches!(refused, Err(Rejection::WrongAlgorithm)), "{refused:?}");
    }
}

#[actix_web::test]
async fn the_id_token_is_not_an_access_token() {
    let app = spawn_app().await;
    app.add_user("alice");
    let tokens = exchange_by_hand(&app, "id-client").await;
    let id_token = string_field(&tokens, "id_token");
    // Expect the ID token's audience (the client), so that only its type tells it apart: same issuer, same key,
    // valid signature and exp.
    let config = config(&app, &["--audience", "id-client"]);
    let api = start_api(&config);
    let claims = decode_segment(segments(&id_token)[1]);
    assert_eq!(claims["iss"], app.base.as_str());
    assert!(claims["aud"] == "id-client" || claims["aud"] == json!(["id-client"]), "{claims}");
    assert_eq!(kid(&id_token), kid(&string_field(&tokens, "access_token")));
    assert_ne!(decode_segment(segments(&id_token)[0])["typ"], "at+jwt");

    assert_invalid_token(&api, &id_token, "ID token").await;
    let refused = verifier(&config).verify(&id_token).await;
    assert!(matches!(refused, Err(Rejection::WrongType)), "{refused:?}");
}

#[actix_web::test]
async fn a_token_for_another_audience_is_refused() {
    let s = signed_in().await;
    let config = config(&s.app, &["--audience", "https://other.example"]);
    let api = start_api(&config);

    assert_invalid_token(&api, &s.access_token, "token for the issuer's audience").await;
    let refused = verifier(&config).verify(&s.access_token).await;
    assert!(is_invalid(&refused, |k| matches!(k, ErrorKind::InvalidAudience)), "{refused:?}");
    // The default audience is the issuer, Tessera's default `aud`: the same token passes there.
    assert!(verifier(&self::config(&s.app, &[])).verify(&s.access_token).await.is_ok());
}

#[actix_web::test]
async fn a_request_without_a_bearer_token_gets_a_bare_challenge() {
    let app = spawn_app().await;
    let api = start_api(&config(&app, &[]));

    // RFC 6750 §3.1: no credentials, or another scheme, is answered without an error code.
    for authorization in [None, Some("Basic YWxpY2U6c2VjcmV0")] {
        let response = call(&api, authorization).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert_eq!(www_authenticate(&response), "Bearer realm=\"api\"", "{authorization:?}");
    }
    // A Bearer header without a usable token is an invalid token, never a 500.
    for authorization in ["Bearer", "Bearer ", "Bearer a b", "Bearer not-a-jwt", "Bearer a.b.c"] {
        let response = call(&api, Some(authorization)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert!(www_authenticate(&response).contains("error=\"invalid_token\""), "{authorization:?}");
    }
}

/// Rotates Tessera's keys, once the next key has been published for the pre-publication window (moving the
/// server's clock past it).
async fn rotate(app: &TestApp) -> String {
    app.advance(app.state.settings.key_prepublish_secs as i64 + 1);
    app.state
        .provider
        .keys
        .rotate(&app.state.provider.db, app.now())
        .expect("rotation after the pre-publication window")
}

#[actix_web::test]
async fn a_key_published_after_the_first_fetch_is_fetched_once_and_unknown_kids_are_rate_limited() {
    let s = signed_in().await;
    let eager = start_api(&config(&s.app, &["--jwks-refetch-interval-secs", "0"]));
    let limited = start_api(&config(&s.app, &["--jwks-refetch-interval-secs", "3600"]));
    let first_jwks: Vec<Value> = jwks(&s.app).await;
    // Both fetch the JWKS now.
    assert_accepted(&eager, &s.access_token).await;
    assert_accepted(&limited, &s.access_token).await;

    // Two rotations: the key that signs afterwards was generated by the first one, after the fetch above.
    rotate(&s.app).await;
    let signer = rotate(&s.app).await;
    assert!(first_jwks.iter().all(|k| k["kid"] != signer.as_str()), "the new signer was not published before");
    let token = string_field(&exchange_by_hand(&s.app, "after-rotation").await, "access_token");
    assert_eq!(kid(&token), signer);

    // An unknown kid makes the example refetch, and the new key verifies.
    assert_eq!(assert_accepted(&eager, &token).await["client_id"], "after-rotation");
    // Within the refetch interval, an unknown kid is refused without a fetch (or this would be accepted too).
    assert_invalid_token(&limited, &token, "unknown kid within the refetch interval").await;
    // The key it already has keeps working: the old key is still published as `previous`.
    assert_accepted(&limited, &s.access_token).await;
}

#[actix_web::test]
async fn an_unreachable_jwks_is_a_503_not_a_401() {
    let s = signed_in().await;
    // Nothing listens on the issuer's port once this listener is dropped.
    let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let config = example::Config::try_parse_from(["resource_server", "--issuer", &format!("http://127.0.0.1:{port}")])
        .expect("valid arguments");
    let api = start_api(&config);
    let response = call(&api, Some(&format!("Bearer {}", s.access_token))).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let refused = verifier(&config).verify(&s.access_token).await;
    assert!(matches!(refused, Err(Rejection::KeysUnavailable)), "{refused:?}");
}
