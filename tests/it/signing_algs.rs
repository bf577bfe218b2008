//! Signing algorithms (issue 13): `signing_algs` keeps one rotating key ring per algorithm (RS256, PS256, ES256,
//! EdDSA), all published in the JWKS; a client's `id_token_signed_response_alg` signs its ID tokens, a resource's
//! `access_token_signed_response_alg` its access tokens; verification accepts exactly the algorithms Tessera signs
//! with, each pinned to its kid's key (RFC 8725 §3.1). Tokens are verified by the `openidconnect` relying party and
//! by the example resource server, over real HTTP.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    RedirectUrl, TokenResponse,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera::domain::{GrantType, KeyState, Resource, ResourceId, Scope, SigningAlg};
use tessera::keys::{SigningKey, generate_key, sign_jwt};
use tessera::storage::{ClientStore, KeyStoreRepository, ResourceStore};

use crate::clients::change;
use crate::helpers::{
    ClientOptions, TestApp, TestClient, browser, jwt_part, kid_of, query_param, relying_party_http, sign_in, spawn_app,
    spawn_app_with, tessera_fails, tessera_ok, userinfo_status,
};

const ALL: [&str; 4] = ["RS256", "PS256", "ES256", "EdDSA"];
const API: &str = "https://api.example.com";

async fn spawn_with_algs(algs: &[&str]) -> TestApp {
    let algs: Vec<String> = algs.iter().map(|a| (*a).to_owned()).collect();
    spawn_app_with(move |s| s.signing_algs = algs).await
}

async fn jwks(app: &TestApp) -> Vec<Value> {
    let body: Value = reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap().json().await.unwrap();
    body["keys"].as_array().expect("keys").clone()
}

async fn discovery(app: &TestApp) -> Value {
    reqwest::get(app.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap()
}

/// The published JWK of `kid`.
async fn published(app: &TestApp, kid: &str) -> Value {
    jwks(app).await.into_iter().find(|k| k["kid"] == kid).unwrap_or_else(|| panic!("{kid} is not published"))
}

fn register_resource(app: &TestApp, alg: Option<SigningAlg>) {
    let resource = Resource {
        id: ResourceId::parse(API).unwrap(),
        scope: Scope::parse_list("api:read").unwrap(),
        access_token_ttl_secs: None,
        access_token_signed_response_alg: alg,
    };
    app.state.provider.db.register_resource(&resource, app.now()).expect("register resource");
}

fn service(app: &TestApp) -> TestClient {
    let client = app.add_client("service", ClientOptions::default());
    change(app, "service", |c| {
        c.grant_types = vec![GrantType::ClientCredentials];
        c.redirect_uris.clear();
        c.scope = Scope::parse("api:read").unwrap();
    });
    client
}

async fn client_credentials(app: &TestApp, client: &TestClient, resource: Option<&str>) -> Value {
    let mut form = vec![("grant_type", "client_credentials"), ("scope", "api:read")];
    if let Some(resource) = resource {
        form.push(("resource", resource));
    }
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn introspect(app: &TestApp, client: &TestClient, token: &str) -> Value {
    reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn core_alg(alg: &str) -> CoreJwsSigningAlgorithm {
    serde_json::from_value(json!(alg)).expect("a JWS algorithm openidconnect knows")
}

/// Every enabled algorithm has its own ring: a current and a next key each, published with kid, alg, use and (for
/// the curves) crv; discovery lists exactly the enabled algorithms, the default first. RS256 alone by default.
#[actix_web::test]
async fn every_enabled_algorithm_has_a_published_key_ring() {
    let default = spawn_app().await;
    let keys = jwks(&default).await;
    assert!(keys.iter().all(|k| k["alg"] == "RS256" && k["kty"] == "RSA"), "{keys:?}");
    assert_eq!(discovery(&default).await["id_token_signing_alg_values_supported"], json!(["RS256"]));
    drop(default);

    let app = spawn_with_algs(&["ES256", "RS256", "PS256", "EdDSA"]).await;
    assert_eq!(
        discovery(&app).await["id_token_signing_alg_values_supported"],
        json!(["ES256", "RS256", "PS256", "EdDSA"]),
        "the default first"
    );
    let keys = jwks(&app).await;
    let stored = app.state.provider.db.load_keys().unwrap();
    for alg in ALL {
        let ring: Vec<&Value> = keys.iter().filter(|k| k["alg"] == alg).collect();
        assert_eq!(ring.len(), 2, "{alg}: a current and a next key published: {keys:?}");
        for key in ring {
            assert_eq!(key["use"], "sig");
            let kid = key["kid"].as_str().expect("a kid");
            let record = stored.iter().find(|r| r.kid == kid).expect("stored");
            assert_eq!(record.alg.as_str(), alg, "the stored key's ring");
            let (kty, crv) = match alg {
                "ES256" => ("EC", Some("P-256")),
                "EdDSA" => ("OKP", Some("Ed25519")),
                _ => ("RSA", None),
            };
            assert_eq!(key["kty"], kty, "{key}");
            assert_eq!(key["crv"].as_str(), crv, "{key}");
            assert!(key.get("d").is_none() && key.get("p").is_none(), "no private part: {key}");
        }
        let states: Vec<KeyState> =
            stored.iter().filter(|r| r.alg.as_str() == alg).map(|r| r.state).collect::<Vec<_>>();
        assert!(states.contains(&KeyState::Current) && states.contains(&KeyState::Next), "{alg}: {states:?}");
    }
}

/// A client's `id_token_signed_response_alg` signs its ID tokens: the `openidconnect` relying party, allowed only
/// that algorithm, verifies each through discovery and the JWKS; the access token keeps the default algorithm and
/// works at userinfo; the ID token works as `id_token_hint` at logout.
#[actix_web::test]
async fn id_tokens_are_signed_with_the_clients_algorithm() {
    let app = spawn_with_algs(&ALL).await;
    app.add_user("alice");
    let http = relying_party_http();
    let metadata = CoreProviderMetadata::discover_async(IssuerUrl::new(app.base.clone()).unwrap(), &http)
        .await
        .expect("discovery");
    for alg in ALL {
        let id = format!("app-{}", alg.to_ascii_lowercase());
        let registered = app.add_client(&id, ClientOptions { skip_consent: true, ..ClientOptions::default() });
        change(&app, &id, |c| c.id_token_signed_response_alg = Some(SigningAlg::parse(alg).unwrap()));
        let client = CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(id.clone()),
            registered.secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(RedirectUrl::new(registered.redirect_uri.clone()).unwrap());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, _, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(challenge)
            .url();
        let redirect = sign_in(&browser(), &app, url.as_str(), "alice").await;
        let code = query_param(&redirect, "code").unwrap_or_else(|| panic!("no code: {redirect}"));
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .unwrap()
            .set_pkce_verifier(verifier)
            .request_async(&http)
            .await
            .expect("code exchange");
        let id_token = tokens.id_token().expect("an ID token");
        let only_this = client.id_token_verifier().set_allowed_algs(vec![core_alg(alg)]);
        let claims = id_token.claims(&only_this, &nonce).unwrap_or_else(|e| panic!("{alg}: {e}"));
        let raw = id_token.to_string();
        assert_eq!(jwt_part(&raw, 0)["alg"], alg);
        assert_eq!(published(&app, &kid_of(&raw)).await["alg"], alg, "signed by a key of its own ring");
        // at_hash verified above (openidconnect checks it against the token's algorithm); the access token is the
        // default algorithm's and works at userinfo.
        assert!(claims.access_token_hash().is_some());
        let access = tokens.access_token().secret();
        assert_eq!(jwt_part(access, 0)["alg"], "RS256");
        assert_eq!(userinfo_status(&app, access).await, StatusCode::OK);
        // The ID token is a valid hint at logout: the confirmation page, not an error.
        let hint = reqwest::Client::new()
            .get(app.url("/oauth/logout"))
            .query(&[("id_token_hint", raw.as_str()), ("client_id", id.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(hint.status(), StatusCode::OK, "{alg}: id_token_hint refused");
    }
}

/// A resource's `access_token_signed_response_alg` signs its access tokens (client_credentials here); introspection
/// and the example resource server accept each algorithm, and the default audience keeps the default algorithm.
#[actix_web::test]
async fn access_tokens_are_signed_with_the_resources_algorithm() {
    let app = spawn_with_algs(&ALL).await;
    let client = service(&app);
    let default = client_credentials(&app, &client, None).await;
    assert_eq!(jwt_part(default["access_token"].as_str().unwrap(), 0)["alg"], "RS256");
    register_resource(&app, None);
    let config = crate::resource_server::config(&app, &["--audience", API]);
    for alg in ALL {
        change_resource_alg(&app, Some(SigningAlg::parse(alg).unwrap()));
        let body = client_credentials(&app, &client, Some(API)).await;
        let token = body["access_token"].as_str().unwrap();
        assert_eq!(jwt_part(token, 0)["alg"], alg);
        assert_eq!(jwt_part(token, 0)["typ"], "at+jwt");
        assert_eq!(published(&app, &kid_of(token)).await["alg"], alg);
        let introspection = introspect(&app, &client, token).await;
        assert_eq!(introspection["active"], true, "{alg}: {introspection}");
        assert_eq!(introspection["aud"], API);
        let verified = crate::resource_server::example::Verifier::new(&config).unwrap().verify(token).await;
        let claims = verified.unwrap_or_else(|e| panic!("the example refused {alg}: {e}"));
        assert_eq!(claims.sub, "service");
    }
}

fn change_resource_alg(app: &TestApp, alg: Option<SigningAlg>) {
    let mut resource = app.state.provider.db.list_resources().unwrap().into_iter().next().expect("a resource");
    resource.access_token_signed_response_alg = alg;
    assert!(app.state.provider.db.update_resource(&resource).unwrap());
}

/// RFC 8725 §3.1: each kid is pinned to its algorithm and key type. Tessera's own RSA key of the RS256 ring,
/// signing the same claims with PS256 under its own kid, is refused at introspection, userinfo and as an
/// id_token_hint; so is a token whose header names a published kid of another ring, an HS256 token keyed with the
/// public key, and a token from a key of an algorithm the server does not enable.
#[actix_web::test]
async fn a_kid_verifies_only_its_own_algorithm() {
    let app = spawn_with_algs(&["RS256", "ES256"]).await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let code = crate::helpers::obtain_code(&app, &client, "alice").await;
    let body: Value =
        crate::helpers::exchange_code(&app, &client, &code, crate::helpers::VERIFIER).await.json().await.unwrap();
    let access = body["access_token"].as_str().unwrap().to_owned();
    let id_token = body["id_token"].as_str().unwrap().to_owned();
    assert_eq!(introspect(&app, &client, &access).await["active"], true, "the genuine token");
    let rs256_kid = kid_of(&access);
    let stored = app.state.provider.db.load_keys().unwrap();
    let rsa = stored.iter().find(|r| r.kid == rs256_kid).expect("the signing key");
    let ec = stored.iter().find(|r| r.alg == SigningAlg::ES256 && r.state == KeyState::Current).expect("ES256 key");

    let resign = |kid: &str, alg: SigningAlg, der: &[u8], token: &str, typ: &str| {
        let key = SigningKey::from_pkcs8(kid, alg, der).expect("key");
        sign_jwt(&key, typ, &jwt_part(token, 1)).expect("sign")
    };
    let forged = [
        (
            "PS256 with the RS256 kid's own key",
            resign(&rs256_kid, SigningAlg::PS256, &rsa.private_key, &access, "at+jwt"),
        ),
        ("ES256 under the RS256 kid", resign(&rs256_kid, SigningAlg::ES256, &ec.private_key, &access, "at+jwt")),
        ("RS256 under the ES256 kid", resign(&ec.kid, SigningAlg::RS256, &rsa.private_key, &access, "at+jwt")),
        ("an HS256 token keyed with the public JWK", hs256_with(&published(&app, &rs256_kid).await, &access)),
    ];
    let eddsa = generate_key(SigningAlg::EdDSA, KeyState::Current, app.now()).unwrap();
    let not_enabled = resign(&eddsa.kid, SigningAlg::EdDSA, &eddsa.private_key, &access, "at+jwt");
    for (what, token) in
        forged.iter().map(|(w, t)| (*w, t.as_str())).chain([("EdDSA, not enabled", not_enabled.as_str())])
    {
        assert_eq!(introspect(&app, &client, token).await["active"], false, "introspection accepted {what}");
        assert_eq!(userinfo_status(&app, token).await, StatusCode::UNAUTHORIZED, "userinfo accepted {what}");
    }
    // The same for the ID token as a hint: our own key under another algorithm is not ours.
    let forged_hint = resign(&rs256_kid, SigningAlg::PS256, &rsa.private_key, &id_token, "JWT");
    let genuine_kid = kid_of(&id_token);
    assert_eq!(genuine_kid, rs256_kid, "the default algorithm signs both");
    let refused = reqwest::Client::new()
        .get(app.url("/oauth/logout"))
        .query(&[("id_token_hint", forged_hint.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "a PS256 hint under an RS256 kid");
}

/// An HS256 token whose HMAC key is the RSA public key's `n` (the key-confusion attack, RFC 8725 §2.1).
fn hs256_with(jwk: &Value, token: &str) -> String {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = jwk["kid"].as_str().map(str::to_owned);
    header.typ = Some("at+jwt".into());
    let secret = jwk["n"].as_str().unwrap_or_default().as_bytes().to_vec();
    jsonwebtoken::encode(&header, &jwt_part(token, 1), &jsonwebtoken::EncodingKey::from_secret(&secret)).unwrap()
}

/// Each ring rotates on its own life cycle: `tessera keys rotate --alg ES256` promotes ES256's next key and leaves
/// RS256's current key signing; `tessera keys rotate` rotates them all; revoking the ES256 current key promotes
/// its next key at once; `keys list` shows each key's algorithm.
#[actix_web::test]
async fn each_ring_rotates_and_is_revoked_on_its_own() {
    let app = spawn_with_algs(&["RS256", "ES256"]).await;
    let current = |alg: SigningAlg| {
        let keys = app.state.provider.db.load_keys().unwrap();
        keys.iter().find(|r| r.alg == alg && r.state == KeyState::Current).map(|r| r.kid.clone()).unwrap()
    };
    let next = |alg: SigningAlg| {
        let keys = app.state.provider.db.load_keys().unwrap();
        keys.iter().find(|r| r.alg == alg && r.state == KeyState::Next).map(|r| r.kid.clone()).unwrap()
    };
    let list = tessera_ok(&app, &["keys", "list"]);
    assert!(list.contains("ES256") && list.contains("RS256"), "{list}");
    let (rs, es, es_next) = (current(SigningAlg::RS256), current(SigningAlg::ES256), next(SigningAlg::ES256));
    app.advance(3);
    let keys = &app.state.provider.keys;
    let promoted = keys.rotate_ring(&app.state.provider.db, SigningAlg::ES256, app.now()).expect("rotate ES256");
    assert_eq!(promoted, es_next);
    assert_eq!((current(SigningAlg::RS256), current(SigningAlg::ES256)), (rs.clone(), es_next.clone()));
    let previous = app.state.provider.db.load_keys().unwrap().into_iter().find(|r| r.kid == es).unwrap();
    assert_eq!(previous.state, KeyState::Previous, "the ES256 key that signed stays published");
    assert!(jwks(&app).await.iter().any(|k| k["kid"] == es.as_str()));

    let es_next = next(SigningAlg::ES256);
    let signer = keys.revoke(&app.state.provider.db, &promoted, app.now()).expect("revoke");
    assert_eq!(signer, es_next, "the ES256 ring's next key signs at once");
    assert_eq!(current(SigningAlg::RS256), rs, "RS256 untouched by an ES256 revocation");
    assert!(!jwks(&app).await.iter().any(|k| k["kid"] == promoted.as_str()), "a revoked key leaves the JWKS");

    app.advance(3);
    let rs_next = next(SigningAlg::RS256);
    keys.rotate(&app.state.provider.db, app.now()).expect("rotate every ring");
    assert_eq!(current(SigningAlg::RS256), rs_next);
    assert_ne!(current(SigningAlg::ES256), es_next, "every ring rotated");
}

/// `client add/update --id-token-signed-response-alg` and `resource add/update --access-token-signed-response-alg`
/// take an algorithm of the server's `signing_algs` only, and the tokens follow.
#[actix_web::test]
async fn the_cli_sets_algorithms_the_server_signs_with() {
    let app = spawn_with_algs(&["RS256", "EdDSA"]).await;
    let with_algs = |args: &[&str]| {
        let mut command = crate::helpers::tessera_on(&app);
        command.env("TESSERA_SIGNING_ALGS", "RS256,EdDSA").args(args).stdin(std::process::Stdio::null());
        command.output().unwrap()
    };
    let refused = tessera_fails(
        &app,
        &[
            "client",
            "add",
            "--id",
            "web",
            "--redirect-uri",
            "https://app.example/cb",
            "--id-token-signed-response-alg",
            "EdDSA",
        ],
    );
    assert!(refused.contains("signing_algs"), "EdDSA is not enabled for this CLI's settings: {refused}");
    let added = with_algs(&[
        "client",
        "add",
        "--id",
        "web",
        "--redirect-uri",
        "https://app.example/cb",
        "--id-token-signed-response-alg",
        "EdDSA",
        "--json",
    ]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let view: Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!(view["id_token_signed_response_alg"], "EdDSA");
    let stored = app.state.provider.db.find_client("web").unwrap().unwrap().client;
    assert_eq!(stored.id_token_signed_response_alg, Some(SigningAlg::EdDSA));
    let bad = with_algs(&["client", "update", "web", "--id-token-signed-response-alg", "HS256"]);
    assert!(!bad.status.success(), "HS256 is never a signing algorithm");
    let back = with_algs(&["client", "update", "web", "--id-token-signed-response-alg", ""]);
    assert!(back.status.success(), "{}", String::from_utf8_lossy(&back.stderr));
    assert_eq!(app.state.provider.db.find_client("web").unwrap().unwrap().client.id_token_signed_response_alg, None);

    let client = service(&app);
    let added = with_algs(&[
        "resource",
        "add",
        "--id",
        API,
        "--scope",
        "api:read",
        "--access-token-signed-response-alg",
        "EdDSA",
    ]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let body = client_credentials(&app, &client, Some(API)).await;
    assert_eq!(jwt_part(body["access_token"].as_str().unwrap(), 0)["alg"], "EdDSA");
    let refused = tessera_fails(&app, &["resource", "update", API, "--access-token-signed-response-alg", "ES256"]);
    assert!(refused.contains("signing_algs"), "{refused}");
}
