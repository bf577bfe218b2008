//! DPoP (RFC 9449) over real HTTP: proofs built and signed here with keys generated per test (ES256 and EdDSA,
//! aws-lc-rs), at the token endpoint (client credentials, code, refresh), userinfo and introspection; each check of
//! §4.3 refused on its own; server nonces (§8); the per-client requirement (§5.2); discovery (§5.1).

use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, ThumbprintHash};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera::domain::{GrantType, KeyRecord, KeyState, Scope, SigningAlg};
use tessera::keys::{generate_key, public_jwk};

use crate::clients::change;
use crate::helpers::{
    ClientOptions, TestApp, TestClient, VERIFIER, jwt_part, obtain_code, spawn_app, spawn_app_with, tessera_ok,
};

/// A client's DPoP key pair, made for the test.
struct DpopKey {
    record: KeyRecord,
}

impl DpopKey {
    fn new(alg: SigningAlg) -> DpopKey {
        DpopKey { record: generate_key(alg, KeyState::Current, 0).expect("key generation") }
    }

    /// The public JWK, without the server-side members (`kid`, `use`, `alg`).
    fn jwk(&self) -> Value {
        let mut jwk = serde_json::to_value(public_jwk(&self.record).expect("public JWK")).unwrap();
        for member in ["kid", "use", "alg"] {
            jwk.as_object_mut().unwrap().remove(member);
        }
        jwk
    }

    /// RFC 7638 thumbprint, computed independently of the server (by jsonwebtoken).
    fn thumbprint(&self) -> String {
        serde_json::from_value::<Jwk>(self.jwk()).unwrap().thumbprint(ThumbprintHash::SHA256).unwrap()
    }

    fn sign(&self, input: &[u8]) -> Vec<u8> {
        match self.record.alg {
            SigningAlg::ES256 => {
                let pair =
                    EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &self.record.private_key).unwrap();
                pair.sign(&aws_lc_rs::rand::SystemRandom::new(), input).unwrap().as_ref().to_vec()
            }
            SigningAlg::EdDSA => Ed25519KeyPair::from_pkcs8(&self.record.private_key)
                .or_else(|_| Ed25519KeyPair::from_pkcs8_maybe_unchecked(&self.record.private_key))
                .unwrap()
                .sign(input)
                .as_ref()
                .to_vec(),
            other => panic!("no test signer for {other}"),
        }
    }

    /// A JWS with this header and these claims, signed with this key.
    fn jws(&self, header: &Value, claims: &Value) -> String {
        let input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    fn header(&self) -> Value {
        json!({ "typ": "dpop+jwt", "alg": self.record.alg.as_str(), "jwk": self.jwk() })
    }

    /// A proof for `method` at `url`, now by the server's clock, with `extra` claims.
    fn proof(&self, app: &TestApp, method: &str, url: &str, extra: Value) -> String {
        self.jws(&self.header(), &claims(app, method, url, extra))
    }
}

fn claims(app: &TestApp, method: &str, url: &str, extra: Value) -> Value {
    let mut claims = json!({
        "jti": uuid::Uuid::new_v4().to_string(),
        "htm": method,
        "htu": url,
        "iat": app.now(),
    });
    for (k, v) in extra.as_object().unwrap() {
        claims[k] = v.clone();
    }
    claims
}

fn ath(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes()).as_ref())
}

/// A confidential client registered for client_credentials with the `api:read` scope.
fn service_client(app: &TestApp, id: &str) -> TestClient {
    let client = app.add_client(id, ClientOptions::default());
    change(app, id, |c| {
        c.grant_types = vec![GrantType::ClientCredentials];
        c.scope = Scope::parse("api:read").unwrap();
    });
    client
}

/// A client_credentials request with these `DPoP` header values.
async fn client_credentials(app: &TestApp, client: &TestClient, proofs: &[String]) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("grant_type", "client_credentials"), ("scope", "api:read")]);
    for proof in proofs {
        request = request.header("DPoP", proof);
    }
    request.send().await.unwrap()
}

async fn token_request(app: &TestApp, client: &TestClient, form: &[(&str, &str)], proof: Option<String>) -> Value {
    let mut request = reqwest::Client::new().post(app.url("/oauth/token")).form(form);
    if let Some(secret) = &client.secret {
        request = request.basic_auth(&client.id, Some(secret));
    }
    if let Some(proof) = proof {
        request = request.header("DPoP", proof);
    }
    request.send().await.unwrap().json().await.unwrap()
}

async fn error_of(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, body["error"].as_str().unwrap_or_default().to_owned())
}

#[actix_web::test]
async fn a_proof_at_the_token_endpoint_binds_the_access_token_to_the_key() {
    let app = spawn_app().await;
    let client = service_client(&app, "service");
    let key = DpopKey::new(SigningAlg::ES256);
    let token_url = app.url("/oauth/token");

    // Without a proof: Bearer as before, no cnf.
    let bearer: Value = client_credentials(&app, &client, &[]).await.json().await.unwrap();
    assert_eq!(bearer["token_type"], "Bearer");
    assert!(jwt_part(bearer["access_token"].as_str().unwrap(), 1).get("cnf").is_none());

    // RFC 9449 §5: token_type DPoP and the access token's cnf.jkt is the key's thumbprint (§6.1).
    let response = client_credentials(&app, &client, &[key.proof(&app, "POST", &token_url, json!({}))]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "DPoP", "{body}");
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(jwt_part(access, 1)["cnf"]["jkt"], key.thumbprint());

    // RFC 9449 §6.2: introspection says DPoP and gives the cnf.
    let introspection: Value = reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("token", access)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(introspection["active"], true);
    assert_eq!(introspection["token_type"], "DPoP");
    assert_eq!(introspection["cnf"]["jkt"], key.thumbprint());
}

#[actix_web::test]
async fn every_proof_check_of_section_4_3_refuses_on_its_own() {
    let app = spawn_app().await;
    let client = service_client(&app, "service");
    let key = DpopKey::new(SigningAlg::EdDSA);
    let url = app.url("/oauth/token");
    let now = app.now();

    let mut private_jwk_header = key.header();
    private_jwk_header["jwk"]["d"] = json!(URL_SAFE_NO_PAD.encode([7u8; 32]));
    let hs256 = {
        let header = json!({ "typ": "dpop+jwt", "alg": "HS256", "jwk": { "kty": "oct", "k": "c2VjcmV0" } });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims(&app, "POST", &url, json!({})).to_string())
        );
        let tag = aws_lc_rs::hmac::sign(
            &aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, b"secret"),
            input.as_bytes(),
        );
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    };
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(json!({ "typ": "dpop+jwt", "alg": "none", "jwk": key.jwk() }).to_string()),
        URL_SAFE_NO_PAD.encode(claims(&app, "POST", &url, json!({})).to_string())
    );
    let mut other_signer = DpopKey::new(SigningAlg::EdDSA).header();
    other_signer["jwk"] = key.jwk();
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("wrong htm", vec![key.proof(&app, "GET", &url, json!({}))]),
        ("wrong htu", vec![key.proof(&app, "POST", &app.url("/oauth/par"), json!({}))]),
        ("stale iat", vec![key.proof(&app, "POST", &url, json!({ "iat": now - 120 }))]),
        ("future iat", vec![key.proof(&app, "POST", &url, json!({ "iat": now + 120 }))]),
        (
            "typ JWT",
            vec![key.jws(
                &json!({ "typ": "JWT", "alg": "EdDSA", "jwk": key.jwk() }),
                &claims(&app, "POST", &url, json!({})),
            )],
        ),
        ("private key in the jwk", vec![key.jws(&private_jwk_header, &claims(&app, "POST", &url, json!({})))]),
        ("symmetric alg", vec![hs256]),
        ("alg none", vec![none]),
        (
            "signature of another key",
            vec![DpopKey::new(SigningAlg::EdDSA).jws(&other_signer, &claims(&app, "POST", &url, json!({})))],
        ),
        ("no jti", vec![key.jws(&key.header(), &json!({ "htm": "POST", "htu": url, "iat": now }))]),
        ("two DPoP headers", vec![key.proof(&app, "POST", &url, json!({})), key.proof(&app, "POST", &url, json!({}))]),
        ("not a JWT", vec!["not-a-jwt".to_owned()]),
    ];
    for (case, proofs) in cases {
        let (status, error) = error_of(client_credentials(&app, &client, &proofs).await).await;
        assert_eq!((status, error.as_str()), (StatusCode::BAD_REQUEST, "invalid_dpop_proof"), "{case}");
    }

    // §4.3 htu compared after RFC 3986 normalisation: an upper-case scheme, a dot segment, a query.
    let normalised = url.replacen("http://", "HTTP://", 1).replace("/oauth/token", "/oauth/./token") + "?x=1";
    let accepted = client_credentials(&app, &client, &[key.proof(&app, "POST", &normalised, json!({}))]).await;
    assert_eq!(accepted.status(), StatusCode::OK, "{normalised}");

    // §11.1: a jti is used once.
    let proof = key.proof(&app, "POST", &url, json!({}));
    assert_eq!(client_credentials(&app, &client, std::slice::from_ref(&proof)).await.status(), StatusCode::OK);
    let (status, error) = error_of(client_credentials(&app, &client, &[proof]).await).await;
    assert_eq!((status, error.as_str()), (StatusCode::BAD_REQUEST, "invalid_dpop_proof"), "replayed jti");
}

/// The code flow of a public client with EdDSA proofs: the grant is bound to the key (§5), userinfo takes the token
/// with `Authorization: DPoP` and a proof with `ath` (§7.1), refuses it as a Bearer token (§7.2), and a refresh
/// needs a proof of the same key.
#[actix_web::test]
async fn a_public_client_s_tokens_and_refresh_tokens_are_bound_to_its_key() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("spa", ClientOptions { public: true, ..Default::default() });
    let key = DpopKey::new(SigningAlg::EdDSA);
    let token_url = app.url("/oauth/token");
    let userinfo_url = app.url("/userinfo");
    let code = obtain_code(&app, &client, "alice").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", VERIFIER),
        ("client_id", "spa"),
    ];
    let tokens = token_request(&app, &client, &form, Some(key.proof(&app, "POST", &token_url, json!({})))).await;
    assert_eq!(tokens["token_type"], "DPoP", "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(jwt_part(&access, 1)["cnf"]["jkt"], key.thumbprint());

    let http = reqwest::Client::new();
    let userinfo = |proof: String| {
        http.get(&userinfo_url).header("Authorization", format!("DPoP {access}")).header("DPoP", proof).send()
    };
    let ok = userinfo(key.proof(&app, "GET", &userinfo_url, json!({ "ath": ath(&access) }))).await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(ok.json::<Value>().await.unwrap()["sub"].is_string());
    // A wrong ath: 401 with a DPoP challenge naming invalid_dpop_proof (§7.1).
    let wrong_ath =
        userinfo(key.proof(&app, "GET", &userinfo_url, json!({ "ath": ath("another token") }))).await.unwrap();
    assert_eq!(wrong_ath.status(), StatusCode::UNAUTHORIZED);
    let challenge = wrong_ath.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(challenge.starts_with("DPoP ") && challenge.contains("error=\"invalid_dpop_proof\""), "{challenge}");
    // No ath at all, and a proof of another key with the right ath.
    let no_ath = userinfo(key.proof(&app, "GET", &userinfo_url, json!({}))).await.unwrap();
    assert_eq!(no_ath.status(), StatusCode::UNAUTHORIZED);
    let thief = DpopKey::new(SigningAlg::EdDSA);
    let stolen = userinfo(thief.proof(&app, "GET", &userinfo_url, json!({ "ath": ath(&access) }))).await.unwrap();
    assert_eq!(stolen.status(), StatusCode::UNAUTHORIZED);
    // §7.2: the bound token as a Bearer token is refused.
    let as_bearer = http.get(&userinfo_url).bearer_auth(&access).send().await.unwrap();
    assert_eq!(as_bearer.status(), StatusCode::UNAUTHORIZED);

    // §5: the refresh token is bound too: no proof, or another key's, is refused; the key's own works.
    let refresh_form = [("grant_type", "refresh_token"), ("refresh_token", refresh.as_str()), ("client_id", "spa")];
    let without = token_request(&app, &client, &refresh_form, None).await;
    assert_eq!(without["error"], "invalid_dpop_proof", "{without}");
    let other =
        token_request(&app, &client, &refresh_form, Some(thief.proof(&app, "POST", &token_url, json!({})))).await;
    assert_eq!(other["error"], "invalid_grant", "{other}");
    let refreshed =
        token_request(&app, &client, &refresh_form, Some(key.proof(&app, "POST", &token_url, json!({})))).await;
    assert_eq!(refreshed["token_type"], "DPoP", "{refreshed}");
    assert_eq!(jwt_part(refreshed["access_token"].as_str().unwrap(), 1)["cnf"]["jkt"], key.thumbprint());
}

/// §5: only public clients' refresh tokens are bound; a confidential client authenticates its refreshes.
#[actix_web::test]
async fn a_confidential_client_s_refresh_token_is_not_bound() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("web", ClientOptions { skip_consent: true, ..Default::default() });
    let key = DpopKey::new(SigningAlg::ES256);
    let token_url = app.url("/oauth/token");
    let code = obtain_code(&app, &client, "alice").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", VERIFIER),
    ];
    let tokens = token_request(&app, &client, &form, Some(key.proof(&app, "POST", &token_url, json!({})))).await;
    assert_eq!(tokens["token_type"], "DPoP", "{tokens}");
    let refresh_form = [("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"].as_str().unwrap())];
    let refreshed = token_request(&app, &client, &refresh_form, None).await;
    assert_eq!(refreshed["token_type"], "Bearer", "{refreshed}");
}

#[actix_web::test]
async fn with_server_nonces_a_proof_without_the_current_nonce_gets_use_dpop_nonce() {
    let app = spawn_app_with(|s| s.dpop_nonce = true).await;
    let client = service_client(&app, "service");
    let key = DpopKey::new(SigningAlg::ES256);
    let url = app.url("/oauth/token");
    // §8: use_dpop_nonce, with the nonce to use in DPoP-Nonce.
    let first = client_credentials(&app, &client, &[key.proof(&app, "POST", &url, json!({}))]).await;
    let nonce = first.headers().get("dpop-nonce").expect("DPoP-Nonce").to_str().unwrap().to_owned();
    assert_eq!(error_of(first).await, (StatusCode::BAD_REQUEST, "use_dpop_nonce".to_owned()));
    let made_up =
        client_credentials(&app, &client, &[key.proof(&app, "POST", &url, json!({ "nonce": "made-up" }))]).await;
    assert_eq!(error_of(made_up).await.1, "use_dpop_nonce");
    let second = client_credentials(&app, &client, &[key.proof(&app, "POST", &url, json!({ "nonce": nonce }))]).await;
    assert_eq!(second.status(), StatusCode::OK);
    assert!(second.headers().get("dpop-nonce").is_some());
    assert_eq!(second.json::<Value>().await.unwrap()["token_type"], "DPoP");
    // Nonces rotate: two periods on, the old one is refused and a new one is given.
    app.advance(2 * tessera::oauth::dpop::NONCE_PERIOD_SECS);
    let stale = client_credentials(&app, &client, &[key.proof(&app, "POST", &url, json!({ "nonce": nonce }))]).await;
    let fresh = stale.headers()["dpop-nonce"].to_str().unwrap().to_owned();
    assert_ne!(fresh, nonce);
    assert_eq!(error_of(stale).await.1, "use_dpop_nonce");
}

#[actix_web::test]
async fn a_client_registered_with_dpop_bound_access_tokens_must_send_a_proof() {
    let app = spawn_app().await;
    let client = service_client(&app, "service");
    let key = DpopKey::new(SigningAlg::ES256);
    tessera_ok(&app, &["client", "update", "service", "--dpop-bound-access-tokens"]);
    let shown = tessera_ok(&app, &["client", "show", "service"]);
    assert!(shown.contains("dpop_bound_access_tokens:   true"), "{shown}");
    let (status, error) = error_of(client_credentials(&app, &client, &[]).await).await;
    assert_eq!((status, error.as_str()), (StatusCode::BAD_REQUEST, "invalid_request"));
    let proof = key.proof(&app, "POST", &app.url("/oauth/token"), json!({}));
    let ok = client_credentials(&app, &client, &[proof]).await;
    assert_eq!(ok.json::<Value>().await.unwrap()["token_type"], "DPoP");
}

#[actix_web::test]
async fn discovery_lists_dpop_only_when_it_is_on() {
    let on = spawn_app().await;
    let doc: Value = reqwest::get(on.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert_eq!(doc["dpop_signing_alg_values_supported"], json!(["RS256", "PS256", "ES256", "EdDSA"]));

    let off = spawn_app_with(|s| s.dpop = false).await;
    let doc: Value = reqwest::get(off.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert!(doc.get("dpop_signing_alg_values_supported").is_none(), "{doc}");
    let client = service_client(&off, "service");
    let proof = DpopKey::new(SigningAlg::ES256).proof(&off, "POST", &off.url("/oauth/token"), json!({}));
    assert_eq!(error_of(client_credentials(&off, &client, &[proof]).await).await.1, "invalid_dpop_proof");
}

/// The example resource server takes a DPoP-bound token only with a proof of its key over the request (§7.1), never
/// as Bearer (§7.2), and refuses a replayed proof.
#[actix_web::test]
async fn the_example_resource_server_verifies_dpop_bound_tokens() {
    use crate::resource_server::{config, start_api};
    let app = spawn_app().await;
    let client = service_client(&app, "service");
    let key = DpopKey::new(SigningAlg::ES256);
    let body: Value =
        client_credentials(&app, &client, &[key.proof(&app, "POST", &app.url("/oauth/token"), json!({}))])
            .await
            .json()
            .await
            .unwrap();
    let access = body["access_token"].as_str().unwrap().to_owned();
    let api = start_api(&config(&app, &[]));
    let http = reqwest::Client::new();
    let call = |scheme: &str, proof: Option<String>| {
        let mut request = http.get(&api.url).header("Authorization", format!("{scheme} {access}"));
        if let Some(proof) = proof {
            request = request.header("DPoP", proof);
        }
        request.send()
    };
    let proof = key.proof(&app, "GET", &api.url, json!({ "ath": ath(&access) }));
    let ok = call("DPoP", Some(proof.clone())).await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.json::<Value>().await.unwrap()["client_id"], "service");
    assert_eq!(call("DPoP", Some(proof)).await.unwrap().status(), StatusCode::UNAUTHORIZED, "replayed proof");
    assert_eq!(call("Bearer", None).await.unwrap().status(), StatusCode::UNAUTHORIZED, "bound token as Bearer");
    assert_eq!(call("DPoP", None).await.unwrap().status(), StatusCode::UNAUTHORIZED, "no proof");
    let wrong_ath = key.proof(&app, "GET", &api.url, json!({ "ath": ath("other") }));
    assert_eq!(call("DPoP", Some(wrong_ath)).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let thief = DpopKey::new(SigningAlg::ES256).proof(&app, "GET", &api.url, json!({ "ath": ath(&access) }));
    assert_eq!(call("DPoP", Some(thief)).await.unwrap().status(), StatusCode::UNAUTHORIZED, "another key");
    let wrong_htm = key.proof(&app, "POST", &api.url, json!({ "ath": ath(&access) }));
    assert_eq!(call("DPoP", Some(wrong_htm)).await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

/// Two nodes on one database (the second with the first's issuer, as behind one load balancer): a proof used at one
/// is refused at the other (§11.1, the jti in the database), and a nonce one node gave is good at the other (§8, the
/// nonce key in the database).
#[actix_web::test]
async fn jtis_and_nonces_hold_across_nodes() {
    let first = spawn_app_with(|s| s.dpop_nonce = true).await;
    let client = service_client(&first, "service");
    let (location, issuer) = (first.state.settings.database_location(), first.base.clone());
    let second = spawn_app_with(move |s| {
        s.database_url = location;
        s.issuer = issuer;
        s.dpop_nonce = true;
    })
    .await;
    let key = DpopKey::new(SigningAlg::ES256);
    let url = first.url("/oauth/token");
    let refused = client_credentials(&first, &client, &[key.proof(&first, "POST", &url, json!({}))]).await;
    let nonce = refused.headers()["dpop-nonce"].to_str().unwrap().to_owned();
    assert_eq!(second.state.provider.dpop.nonce(second.now()), Some(nonce.clone()), "one nonce for every node");
    let proof = key.proof(&first, "POST", &url, json!({ "nonce": nonce }));
    let at_second = client_credentials(&second, &client, std::slice::from_ref(&proof)).await;
    assert_eq!(at_second.status(), StatusCode::OK, "the first node's nonce at the second");
    let (status, error) = error_of(client_credentials(&first, &client, &[proof]).await).await;
    assert_eq!((status, error.as_str()), (StatusCode::BAD_REQUEST, "invalid_dpop_proof"), "replayed at the other node");
}

/// A feature switched off answers as unsupported at its endpoint: the device and PAR endpoints and /device are 404,
/// token exchange (off by default) and the device grant are unsupported_grant_type, an assertion is invalid_client.
#[actix_web::test]
async fn features_switched_off_answer_as_unsupported() {
    let app = spawn_app_with(|s| {
        s.device_authorization = false;
        s.pushed_authorization_requests = false;
        s.private_key_jwt = false;
    })
    .await;
    let client = service_client(&app, "service");
    let http = reqwest::Client::new();
    for path in ["/oauth/device_authorization", "/oauth/par", "/device"] {
        let response = http.post(app.url(path)).form(&[("client_id", "service")]).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(http.get(app.url("/device")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    for grant_type in
        ["urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:device_code"]
    {
        let form = [
            ("grant_type", grant_type),
            ("device_code", "x"),
            ("subject_token", "x"),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
        ];
        let body = token_request(&app, &client, &form, None).await;
        assert_eq!(body["error"], "unsupported_grant_type", "{grant_type}: {body}");
    }
    // The same private_key_jwt client and assertion: accepted where the switch is on, invalid_client where it is off.
    let key = DpopKey::new(SigningAlg::ES256);
    let on = spawn_app().await;
    let mut statuses = Vec::new();
    for app in [&on, &app] {
        let _ = service_client(app, "keyed");
        let mut jwk = serde_json::to_value(public_jwk(&key.record).unwrap()).unwrap();
        jwk["alg"] = json!("ES256");
        let jwks = json!({ "keys": [jwk] }).to_string();
        change(app, "keyed", |c| {
            c.auth_method = Some(tessera::domain::AuthMethod::PrivateKeyJwt);
            c.jwks = Some(jwks);
        });
        let claims = json!({ "iss": "keyed", "sub": "keyed", "aud": app.base, "exp": app.now() + 60,
            "iat": app.now(), "jti": uuid::Uuid::new_v4().to_string() });
        let assertion = key.jws(&json!({ "alg": "ES256", "typ": "JWT", "kid": key.record.kid }), &claims);
        let response = http
            .post(app.url("/oauth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", "api:read"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", assertion.as_str()),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(error_of(response).await);
    }
    assert_eq!(statuses[0].0, StatusCode::OK, "{statuses:?}");
    assert_eq!(statuses[1], (StatusCode::UNAUTHORIZED, "invalid_client".to_owned()));
}

/// RFC 9449 §10: `dpop_jkt` at the authorization request binds the code to that key: redeemed without a proof or
/// with another key's, it is refused (and still usable); with the key's proof it gives DPoP tokens. A malformed one
/// is invalid_request.
#[actix_web::test]
async fn dpop_jkt_at_the_authorization_request_binds_the_code() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("spa", ClientOptions { public: true, ..Default::default() });
    let key = DpopKey::new(SigningAlg::ES256);
    let token_url = app.url("/oauth/token");
    let url = app.authorize_url(&client, &[("dpop_jkt", &key.thumbprint())]);
    let location = crate::helpers::sign_in(&crate::helpers::browser(), &app, &url, "alice").await;
    let code = crate::helpers::query_param(&location, "code").expect("code");
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", VERIFIER),
        ("client_id", "spa"),
    ];
    let without = token_request(&app, &client, &form, None).await;
    assert_eq!(without["error"], "invalid_dpop_proof", "{without}");
    let thief = DpopKey::new(SigningAlg::ES256);
    let other = token_request(&app, &client, &form, Some(thief.proof(&app, "POST", &token_url, json!({})))).await;
    assert_eq!(other["error"], "invalid_grant", "{other}");
    let tokens = token_request(&app, &client, &form, Some(key.proof(&app, "POST", &token_url, json!({})))).await;
    assert_eq!(tokens["token_type"], "DPoP", "{tokens}");

    let malformed = app.authorize_url(&client, &[("dpop_jkt", "not-a-thumbprint")]);
    let response = crate::helpers::browser().get(malformed).send().await.unwrap();
    crate::helpers::assert_error_redirect(&app, &response, &client.redirect_uri, "invalid_request");
}

/// The secret DPoP nonces derive from is sealed at rest under the key-encryption key like the other secrets: one
/// stored in the clear before a KEK was set is sealed (the same value, so nodes keep agreeing), and it no longer
/// opens without the KEK.
#[actix_web::test]
async fn the_nonce_secret_is_sealed_under_the_key_encryption_key() {
    use base64::Engine;
    use tessera::storage::{DpopStore, KeyEncryptionKey};
    let app = crate::helpers::spawn_app().await;
    let db = app.state.provider.db.clone();
    let plain = db.server_secret("test-secret", &[1; 32], app.now()).unwrap();
    assert_eq!(plain, vec![1; 32], "the first value is kept");
    assert_eq!(db.server_secret("test-secret", &[2; 32], app.now()).unwrap(), plain, "and read back, not replaced");
    let kek = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    let sealing = db.clone().with_key_encryption(KeyEncryptionKey::from_base64(&kek).ok());
    assert_eq!(sealing.server_secret("test-secret", &[3; 32], app.now()).unwrap(), plain, "same value, now sealed");
    let refused = db.server_secret("test-secret", &[4; 32], app.now()).unwrap_err().to_string();
    assert!(refused.contains("encrypted at rest"), "without the KEK it no longer opens: {refused}");
    assert_eq!(sealing.server_secret("test-secret", &[5; 32], app.now()).unwrap(), plain);
}

/// RFC 9449 §7.2 at the admin API: an access token of the admin pages' own client bound to a DPoP key (`cnf.jkt`)
/// is not a bearer token, so sent as Bearer it is refused (401), while the same user's unbound token acts.
#[actix_web::test]
async fn the_admin_api_refuses_a_dpop_bound_token_sent_as_bearer() {
    let app = spawn_app().await;
    app.add_user("alice");
    tessera_ok(&app, &["group", "add", "admins"]);
    tessera_ok(&app, &["group", "add-member", "admins", "alice"]);
    let admin = TestClient { id: "tessera-admin".into(), secret: None, redirect_uri: app.url("/admin/callback") };
    let token_url = app.url("/oauth/token");
    let key = DpopKey::new(SigningAlg::ES256);
    let token = |proof: Option<String>| {
        let app = &app;
        let admin = &admin;
        async move {
            let code = obtain_code(app, admin, "alice").await;
            let form = [
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", admin.redirect_uri.as_str()),
                ("code_verifier", VERIFIER),
                ("client_id", "tessera-admin"),
            ];
            token_request(app, admin, &form, proof).await
        }
    };
    let groups = app.url("/admin/api/v1/groups");
    let http = reqwest::Client::new();

    let unbound = token(None).await;
    let unbound = unbound["access_token"].as_str().expect("an access token").to_owned();
    assert_eq!(http.get(&groups).bearer_auth(&unbound).send().await.unwrap().status(), StatusCode::OK);

    let bound = token(Some(key.proof(&app, "POST", &token_url, json!({})))).await;
    assert_eq!(bound["token_type"], "DPoP", "{bound}");
    let bound = bound["access_token"].as_str().unwrap().to_owned();
    assert_eq!(jwt_part(&bound, 1)["cnf"]["jkt"], key.thumbprint());
    let refused = http.get(&groups).bearer_auth(&bound).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refused.headers()["content-type"], "application/problem+json");
}
