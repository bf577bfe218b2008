//! private_key_jwt (RFC 7523 §2.2 and §3, OpenID Connect Core §9): a client registered with `tessera client add
//! --token-endpoint-auth-method private_key_jwt --jwks-file PATH` (or `--jwks-uri URI`) authenticates at the token,
//! introspection and revocation endpoints with a JWT it signs with its own key. The client's keys are generated per
//! test with aws-lc-rs (`tessera::keys::generate_key`), and each assertion is built and signed here, over real HTTP.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{App, HttpResponse, HttpServer, web};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera::domain::{KeyRecord, KeyState, SigningAlg};
use tessera::keys::{SigningKey, generate_key, public_jwk, sign_jwt};

use crate::helpers::{TestApp, spawn_app, spawn_app_with, tessera_fails, tessera_ok};

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A client's key pair, made for the test.
struct ClientKey {
    record: KeyRecord,
}

impl ClientKey {
    fn new(alg: SigningAlg) -> ClientKey {
        ClientKey { record: generate_key(alg, KeyState::Current, 0).expect("key generation") }
    }

    fn jwk(&self) -> Value {
        serde_json::to_value(public_jwk(&self.record).expect("public JWK")).unwrap()
    }

    /// Signs `claims` with this key (its kid in the header).
    fn sign(&self, claims: &Value) -> String {
        self.sign_as(&self.record.kid, self.record.alg, claims)
    }

    fn sign_as(&self, kid: &str, alg: SigningAlg, claims: &Value) -> String {
        let key = SigningKey::from_pkcs8(kid, alg, &self.record.private_key).expect("signing key");
        sign_jwt(&key, "JWT", claims).expect("sign")
    }
}

fn jwks(keys: &[&ClientKey]) -> String {
    json!({ "keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>() }).to_string()
}

/// RFC 7523 §3 claims for `client_id`, audience `aud`, valid for `ttl` seconds from the server's clock.
fn claims(app: &TestApp, client_id: &str, aud: &str, ttl: i64) -> Value {
    json!({
        "iss": client_id,
        "sub": client_id,
        "aud": aud,
        "exp": app.now() + ttl,
        "iat": app.now(),
        "jti": uuid::Uuid::new_v4().to_string(),
    })
}

/// Registers `id` with the CLI: private_key_jwt with the keys in a JWKS file, client_credentials for `api:read`.
fn register(app: &TestApp, id: &str, keys: &[&ClientKey]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwks.json");
    std::fs::write(&path, jwks(keys)).unwrap();
    let out = tessera_ok(
        app,
        &[
            "client",
            "add",
            "--id",
            id,
            "--grant-types",
            "client_credentials",
            "--scope",
            "api:read",
            "--token-endpoint-auth-method",
            "private_key_jwt",
            "--jwks-file",
            path.to_str().unwrap(),
            "--json",
        ],
    );
    let view: Value = serde_json::from_str(&out).unwrap();
    assert!(view.get("client_secret").is_none(), "a private_key_jwt client gets no secret: {view}");
    assert_eq!(view["token_endpoint_auth_method"], json!(["private_key_jwt"]));
}

async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = reqwest::Client::new().post(app.url(path)).form(form).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn token_with(app: &TestApp, assertion: &str) -> (StatusCode, Value) {
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "api:read"),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion),
    ];
    post(app, "/oauth/token", &form).await
}

fn assert_invalid_client((status, body): &(StatusCode, Value), what: &str) {
    assert_eq!(*status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    assert_eq!(body["error"], "invalid_client", "{what}: {body}");
}

/// The token endpoint takes a valid assertion (audience the token endpoint's URL or the issuer) once; a replay,
/// and every assertion that breaks one of RFC 7523 §3's rules, is `invalid_client`.
#[actix_web::test]
async fn a_client_authenticates_with_its_signed_assertion_once() {
    let app = spawn_app().await;
    let key = ClientKey::new(SigningAlg::ES256);
    register(&app, "svc", &[&key]);
    let token_url = app.url("/oauth/token");

    let assertion = key.sign(&claims(&app, "svc", &token_url, 60));
    let (status, body) = token_with(&app, &assertion).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope"], "api:read");
    assert_eq!(crate::helpers::jwt_part(body["access_token"].as_str().unwrap(), 1)["sub"], "svc");
    assert_invalid_client(&token_with(&app, &assertion).await, "the same assertion again (jti replay)");

    // The issuer as audience, and client_id in the body naming the same client: fine.
    let by_issuer = key.sign(&claims(&app, "svc", &app.base, 60));
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "svc"),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", by_issuer.as_str()),
    ];
    assert_eq!(post(&app, "/oauth/token", &form).await.0, StatusCode::OK);

    let stranger = ClientKey::new(SigningAlg::ES256);
    let mut no_jti = claims(&app, "svc", &token_url, 60);
    no_jti.as_object_mut().unwrap().remove("jti");
    let mut other_iss = claims(&app, "svc", &token_url, 60);
    other_iss["iss"] = json!("someone-else");
    let refused = [
        ("another audience", key.sign(&claims(&app, "svc", "https://elsewhere.example/token", 60))),
        ("expired", key.sign(&claims(&app, "svc", &token_url, -1))),
        ("valid for ten minutes: more than a few", key.sign(&claims(&app, "svc", &token_url, 600))),
        ("iss is not the client", key.sign(&other_iss)),
        ("no jti", key.sign(&no_jti)),
        ("signed by a key the client did not register", stranger.sign(&claims(&app, "svc", &token_url, 60))),
        (
            "the registered kid with another key",
            stranger.sign_as(&key.record.kid, SigningAlg::ES256, &claims(&app, "svc", &token_url, 60)),
        ),
        ("an HS256 assertion", hs256(&claims(&app, "svc", &token_url, 60), &key.record.kid)),
        ("a client that does not exist", key.sign(&claims(&app, "nobody", &token_url, 60))),
    ];
    for (what, assertion) in &refused {
        assert_invalid_client(&token_with(&app, assertion).await, what);
    }

    // One method per request (RFC 6749 §2.3): an assertion with a secret is invalid_request; an unknown assertion
    // type is invalid_client; a secret alone finds no secret to check.
    let fresh = key.sign(&claims(&app, "svc", &token_url, 60));
    let both = [
        ("grant_type", "client_credentials"),
        ("client_id", "svc"),
        ("client_secret", "guess"),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", fresh.as_str()),
    ];
    let (status, body) = post(&app, "/oauth/token", &both).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_request")), "{body}");
    let saml = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"),
        ("client_assertion", fresh.as_str()),
    ];
    assert_invalid_client(&post(&app, "/oauth/token", &saml).await, "a SAML assertion type");
    let basic = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth("svc", Some("guess"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED, "a private_key_jwt client has no secret");
    // The assertion refused above for its extra secret was not spent: it still works.
    assert_eq!(token_with(&app, &fresh).await.0, StatusCode::OK);
}

/// An HS256 JWT keyed with a guessable value: no symmetric algorithm is accepted for client assertions.
fn hs256(claims: &Value, kid: &str) -> String {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &jsonwebtoken::EncodingKey::from_secret(b"svc")).unwrap()
}

/// Introspection and revocation take the client's assertions too (audience: their own URL, or the token
/// endpoint's), with RSA (RS256 and PS256) and Ed25519 keys of one registered set.
#[actix_web::test]
async fn introspection_and_revocation_take_assertions() {
    let app = spawn_app().await;
    let (rsa, ed) = (ClientKey::new(SigningAlg::RS256), ClientKey::new(SigningAlg::EdDSA));
    register(&app, "svc", &[&rsa, &ed]);
    let first = rsa.sign(&claims(&app, "svc", &app.url("/oauth/token"), 60));
    let (status, body) = token_with(&app, &first).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let access = body["access_token"].as_str().unwrap().to_owned();

    let assertion = ed.sign(&claims(&app, "svc", &app.url("/oauth/introspect"), 60));
    let form = [
        ("token", access.as_str()),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion.as_str()),
    ];
    let (status, body) = post(&app, "/oauth/introspect", &form).await;
    assert_eq!((status, &body["active"]), (StatusCode::OK, &json!(true)), "{body}");
    let (status, body) = post(&app, "/oauth/introspect", &form).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "replayed at introspection: {body}");

    // PS256 with the registered RSA key: its JWK names RS256, so the key is pinned to RS256 and PS256 is refused.
    let ps256 = rsa.sign_as(&rsa.record.kid, SigningAlg::PS256, &claims(&app, "svc", &app.url("/oauth/revoke"), 60));
    let form =
        [("token", access.as_str()), ("client_assertion_type", ASSERTION_TYPE), ("client_assertion", ps256.as_str())];
    assert_eq!(post(&app, "/oauth/revoke", &form).await.0, StatusCode::UNAUTHORIZED, "PS256 with an RS256 key");
    let assertion = rsa.sign(&claims(&app, "svc", &app.url("/oauth/revoke"), 60));
    let form = [
        ("token", access.as_str()),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion.as_str()),
    ];
    assert_eq!(post(&app, "/oauth/revoke", &form).await.0, StatusCode::OK);
    let assertion = ed.sign(&claims(&app, "svc", &app.url("/oauth/token"), 60));
    let form = [
        ("token", access.as_str()),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion.as_str()),
    ];
    let (_, body) = post(&app, "/oauth/introspect", &form).await;
    assert_eq!(body["active"], false, "revoked by the assertion-authenticated revocation: {body}");
}

/// The jti is kept in the database: a second node on the same database refuses an assertion the first accepted.
#[actix_web::test]
async fn a_replay_is_refused_by_every_node() {
    let first = spawn_app().await;
    let key = ClientKey::new(SigningAlg::EdDSA);
    register(&first, "svc", &[&key]);
    let location = first.state.settings.database_location();
    let second = spawn_app_with(move |s| s.database_url = location).await;
    // Both nodes accept the issuer as audience; the assertion is used at the first, replayed at the second.
    let assertion = key.sign(&claims(&first, "svc", &first.base, 60));
    assert_eq!(token_with(&first, &assertion).await.0, StatusCode::OK);
    assert_invalid_client(&token_with(&second, &assertion).await, "replayed at another node");
}

/// A JWKS served by the test, counting its fetches.
struct KeyServer {
    url: String,
    fetches: Arc<AtomicUsize>,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

fn serve_jwks(document: String) -> KeyServer {
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        let (document, counter) = (document.clone(), counter.clone());
        App::new().route(
            "/jwks.json",
            web::get().to(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                let body = document.clone();
                async move { HttpResponse::Ok().content_type("application/json").body(body) }
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    KeyServer { url: format!("http://127.0.0.1:{port}/jwks.json"), fetches, handle }
}

/// `--jwks-uri`: the keys are fetched when an assertion arrives and cached (one fetch for two assertions); a kid
/// the cached set lacks does not refetch at once (a made-up kid must not make Tessera hammer the client's server);
/// a loopback `jwks_uri` is refused under the back-channel's address rules unless private networks are allowed.
#[actix_web::test]
async fn keys_from_a_jwks_uri_are_fetched_under_the_address_rules_and_cached() {
    let app = spawn_app().await;
    let key = ClientKey::new(SigningAlg::ES256);
    let server = serve_jwks(jwks(&[&key]));
    let refused = tessera_fails(
        &app,
        &[
            "client",
            "add",
            "--id",
            "svc",
            "--grant-types",
            "client_credentials",
            "--token-endpoint-auth-method",
            "private_key_jwt",
        ],
    );
    assert!(refused.contains("jwks"), "private_key_jwt without keys: {refused}");
    tessera_ok(
        &app,
        &[
            "client",
            "add",
            "--id",
            "svc",
            "--grant-types",
            "client_credentials",
            "--scope",
            "api:read",
            "--token-endpoint-auth-method",
            "private_key_jwt",
            "--jwks-uri",
            &server.url,
        ],
    );
    let token_url = app.url("/oauth/token");
    for _ in 0..2 {
        let (status, body) = token_with(&app, &key.sign(&claims(&app, "svc", &token_url, 60))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert_eq!(server.fetches.load(Ordering::SeqCst), 1, "fetched once, then cached");
    let rotated = ClientKey::new(SigningAlg::ES256);
    assert_invalid_client(&token_with(&app, &rotated.sign(&claims(&app, "svc", &token_url, 60))).await, "unknown kid");
    assert_eq!(server.fetches.load(Ordering::SeqCst), 1, "no refetch within a moment of the last one");
    drop(app);

    // The same registration on a server that keeps to public addresses: the loopback URI is never fetched.
    let strict = spawn_app_with(|s| s.backchannel_logout_allow_private_networks = false).await;
    tessera_ok(
        &strict,
        &[
            "client",
            "add",
            "--id",
            "svc",
            "--grant-types",
            "client_credentials",
            "--scope",
            "api:read",
            "--token-endpoint-auth-method",
            "private_key_jwt",
            "--jwks-uri",
            &server.url,
        ],
    );
    let assertion = key.sign(&claims(&strict, "svc", &strict.url("/oauth/token"), 60));
    assert_invalid_client(&token_with(&strict, &assertion).await, "keys on a loopback address");
    assert_eq!(server.fetches.load(Ordering::SeqCst), 1, "a private address is not even fetched");
}

/// Discovery advertises private_key_jwt at the three endpoints, with the assertion algorithms (never `none` or a
/// symmetric one).
#[actix_web::test]
async fn discovery_advertises_private_key_jwt() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(app.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    for field in [
        "token_endpoint_auth_methods_supported",
        "introspection_endpoint_auth_methods_supported",
        "revocation_endpoint_auth_methods_supported",
    ] {
        assert!(doc[field].as_array().unwrap().contains(&json!("private_key_jwt")), "{field}: {}", doc[field]);
    }
    let algs = json!(["RS256", "PS256", "ES256", "EdDSA"]);
    for field in [
        "token_endpoint_auth_signing_alg_values_supported",
        "introspection_endpoint_auth_signing_alg_values_supported",
        "revocation_endpoint_auth_signing_alg_values_supported",
    ] {
        assert_eq!(doc[field], algs, "{field}");
    }
}

/// RFC 9126 §2: the PAR endpoint authenticates the client as the token endpoint does, assertions included (their
/// audience may be the PAR endpoint's URL); a replayed assertion is refused there too.
#[actix_web::test]
async fn a_pushed_request_is_authenticated_with_an_assertion() {
    let app = spawn_app().await;
    let key = ClientKey::new(SigningAlg::PS256);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwks.json");
    std::fs::write(&path, jwks(&[&key])).unwrap();
    let redirect_uri = "http://127.0.0.1:9/web/callback";
    tessera_ok(
        &app,
        &[
            "client",
            "add",
            "--id",
            "web",
            "--redirect-uri",
            redirect_uri,
            "--token-endpoint-auth-method",
            "private_key_jwt",
            "--jwks-file",
            path.to_str().unwrap(),
        ],
    );
    let assertion = key.sign(&claims(&app, "web", &app.url("/oauth/par"), 60));
    let form = [
        ("response_type", "code"),
        ("redirect_uri", redirect_uri),
        ("scope", "openid"),
        ("code_challenge", crate::helpers::CHALLENGE),
        ("code_challenge_method", "S256"),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion.as_str()),
    ];
    let (status, body) = post(&app, "/oauth/par", &form).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["request_uri"].as_str().unwrap().starts_with("urn:ietf:params:oauth:request_uri:"));
    assert_invalid_client(&post(&app, "/oauth/par", &form).await, "the assertion again at PAR");
}
