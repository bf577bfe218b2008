//! Passkeys (WebAuthn, issue 11) over HTTP: a software authenticator built here (a P-256 key from aws-lc-rs, CBOR
//! and authenticator data written by hand, WebAuthn §6.1 and §6.5) answers the server's ceremonies the way a
//! browser would, so each test can also break one thing (the origin, the RP id, the counter, the challenge).

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use reqwest::StatusCode;
use tessera::storage::PasskeyStore;

use crate::helpers::{
    ClientOptions, PASSWORD, TestApp, TestClient, VERIFIER, browser, exchange_code, form_field, jwt_part, location,
    open_page, query_param, spawn_app_with, submit_login,
};

const MULTI_FACTOR: &str = "urn:tessera:acr:multi-factor";

/// A test server whose issuer is `http://localhost:PORT` (a WebAuthn RP id must be a domain, not an address).
pub async fn spawn_passkey_app() -> TestApp {
    let mut app = spawn_app_with(|s| s.issuer = s.issuer.replace("127.0.0.1", "localhost")).await;
    // Requests go where browsers would: the issuer's origin.
    app.base = app.state.provider.issuer.clone();
    app
}

pub fn origin_of(app: &TestApp) -> String {
    app.state.provider.issuer.clone()
}

fn sha256(data: &[u8]) -> Vec<u8> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data).as_ref().to_vec()
}

// Minimal CBOR (RFC 8949) for the few shapes WebAuthn needs.
fn cbor_head(major: u8, len: usize) -> Vec<u8> {
    match len {
        0..=23 => vec![(major << 5) | len as u8],
        24..=255 => vec![(major << 5) | 24, len as u8],
        _ => vec![(major << 5) | 25, (len >> 8) as u8, len as u8],
    }
}
fn cbor_bytes(b: &[u8]) -> Vec<u8> {
    [cbor_head(2, b.len()), b.to_vec()].concat()
}
fn cbor_text(t: &str) -> Vec<u8> {
    [cbor_head(3, t.len()), t.as_bytes().to_vec()].concat()
}

pub const UP: u8 = 0x01;
pub const UV: u8 = 0x04;
pub const BE: u8 = 0x08;
pub const BS: u8 = 0x10;
const AT: u8 = 0x40;

/// A software passkey: one P-256 credential, its counter, and the flags it reports.
pub struct SoftKey {
    key: EcdsaKeyPair,
    pub credential_id: Vec<u8>,
    pub counter: u32,
    pub flags: u8,
    /// The user handle it was registered with (returned in assertions, WebAuthn §6.3.3).
    pub user_handle: Vec<u8>,
}

impl SoftKey {
    pub fn new(flags: u8) -> SoftKey {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref()).unwrap();
        let credential_id = tessera::secrets::random_bytes(16);
        SoftKey { key, credential_id, counter: 0, flags, user_handle: Vec::new() }
    }

    fn cose_key(&self) -> Vec<u8> {
        let public = self.key.public_key().as_ref();
        assert_eq!(public.len(), 65, "uncompressed P-256 point");
        // {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
        let mut out = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21];
        out.extend(cbor_bytes(&public[1..33]));
        out.push(0x22);
        out.extend(cbor_bytes(&public[33..65]));
        out
    }

    /// The browser's answer to `navigator.credentials.create` for the server's options (`{"publicKey": …}`).
    pub fn register(&mut self, options: &serde_json::Value, origin: &str) -> serde_json::Value {
        let pk = &options["publicKey"];
        let rp_id = pk["rp"]["id"].as_str().expect("rp.id");
        self.user_handle = B64.decode(pk["user"]["id"].as_str().expect("user.id")).expect("user id b64");
        let client_data = serde_json::json!({
            "type": "webauthn.create",
            "challenge": pk["challenge"],
            "origin": origin,
            "crossOrigin": false,
        })
        .to_string();
        let mut auth_data = sha256(rp_id.as_bytes());
        auth_data.push(self.flags | AT);
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0u8; 16]); // AAGUID
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(self.cose_key());
        let mut attestation = vec![0xa3];
        attestation.extend(cbor_text("fmt"));
        attestation.extend(cbor_text("none"));
        attestation.extend(cbor_text("attStmt"));
        attestation.push(0xa0);
        attestation.extend(cbor_text("authData"));
        attestation.extend(cbor_bytes(&auth_data));
        serde_json::json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "extensions": {},
            "response": {
                "attestationObject": B64.encode(&attestation),
                "clientDataJSON": B64.encode(client_data.as_bytes()),
            },
        })
    }

    /// The browser's answer to `navigator.credentials.get`, signed for `rp_id` from `origin`; the counter moves on.
    pub fn assert_for(&mut self, options: &serde_json::Value, origin: &str, rp_id: &str) -> serde_json::Value {
        let pk = &options["publicKey"];
        self.counter += 1;
        let client_data = serde_json::json!({
            "type": "webauthn.get",
            "challenge": pk["challenge"],
            "origin": origin,
            "crossOrigin": false,
        })
        .to_string();
        let mut auth_data = sha256(rp_id.as_bytes());
        auth_data.push(self.flags);
        auth_data.extend(self.counter.to_be_bytes());
        let signed = [auth_data.clone(), sha256(client_data.as_bytes())].concat();
        let signature = self.key.sign(&SystemRandom::new(), &signed).expect("sign");
        serde_json::json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "extensions": {},
            "response": {
                "authenticatorData": B64.encode(&auth_data),
                "clientDataJSON": B64.encode(client_data.as_bytes()),
                "signature": B64.encode(signature.as_ref()),
                "userHandle": B64.encode(&self.user_handle),
            },
        })
    }

    /// An assertion as the real authenticator gives it, for the RP id of the options.
    pub fn assert(&mut self, options: &serde_json::Value, origin: &str) -> serde_json::Value {
        let rp_id = options["publicKey"]["rpId"].as_str().expect("rpId").to_owned();
        self.assert_for(options, origin, &rp_id)
    }
}

/// Opens the authorization URL in `b`: the login page's URL and HTML.
pub async fn login_page(app: &TestApp, b: &reqwest::Client, authorize_url: &str) -> (String, String) {
    let response = b.get(authorize_url).send().await.expect("authorize");
    open_page(b, app, &location(&response)).await
}

/// `POST {page}/passkey/options` with the page's CSRF token: the ceremony id and options.
pub async fn passkey_options(b: &reqwest::Client, page_url: &str, html: &str) -> (String, serde_json::Value) {
    let csrf = form_field(html, "csrf_token").expect("csrf token");
    let response = b
        .post(format!("{page_url}/passkey/options"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("options");
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    (body["ceremony"].as_str().expect("ceremony").to_owned(), body["options"].clone())
}

pub async fn post_assertion(
    b: &reqwest::Client,
    page_url: &str,
    html: &str,
    ceremony: &str,
    credential: &serde_json::Value,
) -> reqwest::Response {
    let csrf = form_field(html, "csrf_token").expect("csrf token");
    let credential = credential.to_string();
    b.post(format!("{page_url}/passkey"))
        .form(&[("csrf_token", csrf.as_str()), ("ceremony", ceremony), ("credential", credential.as_str())])
        .send()
        .await
        .expect("post passkey")
}

/// Registers a passkey for `username` through the core (the HTTP registration pages have their own tests).
pub fn register_directly(app: &TestApp, username: &str, key: &mut SoftKey) {
    use tessera::oauth::authentication::passkey::{RegistrationAnswer, register_passkey, registration_options};
    use tessera::storage::UserStore;
    let provider = &app.state.provider;
    let user = provider.db.find_user_by_username(username).unwrap().expect("user").user;
    let passkeys = provider.passkeys.as_ref().expect("passkeys on");
    let begun = registration_options(&provider.db, passkeys, "test", &user, app.now()).unwrap();
    let answer = key.register(&begun.options, &origin_of(app)).to_string();
    let answer = RegistrationAnswer { binding: "test", ceremony: &begun.ceremony, credential: &answer };
    register_passkey(&provider.db, passkeys, answer, &user.subject, "Test key", app.now())
        .unwrap()
        .expect("registered");
}

/// Follows consent (if asked) to the client's redirect and exchanges its code; the ID token's payload.
pub async fn finish(
    app: &TestApp,
    b: &reqwest::Client,
    client: &TestClient,
    response: reqwest::Response,
) -> serde_json::Value {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut next = location(&response);
    if next.starts_with("/interaction/") {
        let (page_url, html) = open_page(b, app, &next).await;
        next = location(&crate::helpers::submit_consent(b, &page_url, &html, "allow").await);
    }
    assert!(next.starts_with(&client.redirect_uri), "{next}");
    let code = query_param(&next, "code").expect("code");
    let tokens: serde_json::Value = exchange_code(app, client, &code, VERIFIER).await.json().await.expect("tokens");
    jwt_part(tokens["id_token"].as_str().expect("id_token"), 1)
}

fn setup_client(app: &TestApp) -> TestClient {
    app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() })
}

#[actix_web::test]
async fn a_passkey_alone_signs_in_without_a_username_and_the_id_token_says_how() {
    let app = spawn_passkey_app().await;
    app.add_user("alice");
    let client = setup_client(&app);
    let mut key = SoftKey::new(UP | UV);
    register_directly(&app, "alice", &mut key);

    let b = browser();
    let (page_url, html) = login_page(&app, &b, &app.authorize_url(&client, &[])).await;
    assert!(html.contains("Sign in with a passkey"), "{html}");
    assert!(html.contains("autocomplete=\"username webauthn\""), "conditional mediation: {html}");
    assert!(html.contains("/static/passkey.js"));
    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    assert!(options["publicKey"]["allowCredentials"].as_array().is_none_or(|a| a.is_empty()), "discoverable");
    assert_eq!(options["publicKey"]["userVerification"], "required");
    assert_eq!(options["publicKey"]["rpId"], "localhost");
    let assertion = key.assert(&options, &origin_of(&app));
    let claims = finish(&app, &b, &client, post_assertion(&b, &page_url, &html, &ceremony, &assertion).await).await;
    // A device-bound key (BE clear): hwk; the user verified: user; two factors: mfa.
    assert_eq!(claims["amr"], serde_json::json!(["hwk", "user", "mfa"]));
    assert_eq!(claims["acr"], MULTI_FACTOR);
    let stored = app.state.provider.db.find_passkey(&B64.encode(&key.credential_id)).unwrap().unwrap();
    assert_eq!(stored.sign_count, 1, "the counter is recorded");
    assert!(stored.last_used_at.is_some());

    // A synced passkey (backup eligible) is a software key.
    app.add_user("bob");
    let mut synced = SoftKey::new(UP | UV | BE | BS);
    register_directly(&app, "bob", &mut synced);
    let b = browser();
    let (page_url, html) = login_page(&app, &b, &app.authorize_url(&client, &[])).await;
    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let assertion = synced.assert(&options, &origin_of(&app));
    let claims = finish(&app, &b, &client, post_assertion(&b, &page_url, &html, &ceremony, &assertion).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["swk", "user", "mfa"]));
}

#[actix_web::test]
async fn a_passkey_is_offered_as_the_second_factor_after_the_password() {
    let app = spawn_passkey_app().await;
    app.add_user("alice");
    let client = setup_client(&app);
    let mut key = SoftKey::new(UP | UV);
    register_directly(&app, "alice", &mut key);

    let b = browser();
    let (page_url, html) = login_page(&app, &b, &app.authorize_url(&client, &[])).await;
    let response = submit_login(&b, &page_url, &html, "alice", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    assert!(html.contains("Use a passkey"), "the second-factor page offers the passkey:\n{html}");
    assert!(!html.contains("name=\"code\""), "no TOTP form for a user without a TOTP secret");
    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let allowed = options["publicKey"]["allowCredentials"].as_array().expect("the user's credentials");
    assert_eq!(allowed.len(), 1);
    assert_eq!(allowed[0]["id"], B64.encode(&key.credential_id));
    let assertion = key.assert(&options, &origin_of(&app));
    let claims = finish(&app, &b, &client, post_assertion(&b, &page_url, &html, &ceremony, &assertion).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "hwk", "mfa"]));
    assert_eq!(claims["acr"], MULTI_FACTOR);
}

/// Asserts that posting `assertion` was refused with the sign-in page again.
async fn assert_refused(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::OK, "the page again, not a redirect");
    let html = response.text().await.unwrap();
    assert!(html.contains("The passkey was not accepted"), "{html}");
}

#[actix_web::test]
async fn a_counter_that_goes_backwards_is_refused_as_a_possible_clone() {
    let app = spawn_passkey_app().await;
    app.add_user("alice");
    let client = setup_client(&app);
    let mut key = SoftKey::new(UP | UV);
    register_directly(&app, "alice", &mut key);
    key.counter = 10;
    let b = browser();
    let (page_url, html) = login_page(&app, &b, &app.authorize_url(&client, &[])).await;
    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let assertion = key.assert(&options, &origin_of(&app));
    finish(&app, &b, &client, post_assertion(&b, &page_url, &html, &ceremony, &assertion).await).await;

    // A clone of the authenticator, behind the original's counter.
    key.counter = 5;
    let b = browser();
    let (page_url, html) = login_page(&app, &b, &app.authorize_url(&client, &[])).await;
    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let assertion = key.assert(&options, &origin_of(&app));
    assert_refused(post_assertion(&b, &page_url, &html, &ceremony, &assertion).await).await;
    let stored = app.state.provider.db.find_passkey(&B64.encode(&key.credential_id)).unwrap().unwrap();
    assert_eq!(stored.sign_count, 11, "the stored counter did not move back");
    assert_eq!(crate::helpers::count_rows(&app, "audit_events WHERE event = 'passkey_possible_clone'"), 1);
}

#[actix_web::test]
async fn an_assertion_for_another_origin_or_rp_id_is_refused() {
    let app = spawn_passkey_app().await;
    app.add_user("alice");
    let client = setup_client(&app);
    let mut key = SoftKey::new(UP | UV);
    register_directly(&app, "alice", &mut key);
    let b = browser();
    let (page_url, html) = login_page(&app, &b, &app.authorize_url(&client, &[])).await;

    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let phished = key.assert(&options, "https://login.evil.example");
    assert_refused(post_assertion(&b, &page_url, &html, &ceremony, &phished).await).await;

    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let other_rp = key.assert_for(&options, &origin_of(&app), "evil.example");
    assert_refused(post_assertion(&b, &page_url, &html, &ceremony, &other_rp).await).await;

    // Without user verification, a passkey alone is not enough.
    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    key.flags = UP;
    let no_uv = key.assert(&options, &origin_of(&app));
    assert_refused(post_assertion(&b, &page_url, &html, &ceremony, &no_uv).await).await;

    // The genuine one still works on the same page.
    key.flags = UP | UV;
    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let good = key.assert(&options, &origin_of(&app));
    finish(&app, &b, &client, post_assertion(&b, &page_url, &html, &ceremony, &good).await).await;
}

#[actix_web::test]
async fn a_replayed_challenge_is_refused() {
    let app = spawn_passkey_app().await;
    app.add_user("alice");
    let client = setup_client(&app);
    let mut key = SoftKey::new(UP | UV);
    register_directly(&app, "alice", &mut key);
    let b = browser();
    let (page_url, html) = login_page(&app, &b, &app.authorize_url(&client, &[])).await;
    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let assertion = key.assert(&options, &origin_of(&app));
    finish(&app, &b, &client, post_assertion(&b, &page_url, &html, &ceremony, &assertion).await).await;

    // The same ceremony and answer again, on a new interaction of the same browser: the challenge is gone.
    let (page_url2, html2) = login_page(&app, &b, &app.authorize_url(&client, &[("prompt", "login")])).await;
    assert_refused(post_assertion(&b, &page_url2, &html2, &ceremony, &assertion).await).await;
    // A fresh assertion over the old challenge, with a counter that moved on: still no challenge to answer.
    let again = key.assert(&options, &origin_of(&app));
    assert_refused(post_assertion(&b, &page_url2, &html2, &ceremony, &again).await).await;
    assert_eq!(crate::helpers::count_rows(&app, "passkey_ceremonies"), 0, "single use");

    // An expired ceremony is refused too.
    let (ceremony, options) = passkey_options(&b, &page_url2, &html2).await;
    app.advance(tessera::oauth::authentication::passkey::CEREMONY_TTL_SECS + 1);
    let late = key.assert(&options, &origin_of(&app));
    let response = post_assertion(&b, &page_url2, &html2, &ceremony, &late).await;
    assert_ne!(response.status(), StatusCode::SEE_OTHER, "not signed in");
}

#[actix_web::test]
async fn the_options_and_the_assertion_need_the_csrf_token() {
    let app = spawn_passkey_app().await;
    app.add_user("alice");
    let client = setup_client(&app);
    let mut key = SoftKey::new(UP | UV);
    register_directly(&app, "alice", &mut key);
    let b = browser();
    let (page_url, html) = login_page(&app, &b, &app.authorize_url(&client, &[])).await;
    let response = b.post(format!("{page_url}/passkey/options")).form(&[("x", "y")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "options without the CSRF token");
    assert_eq!(crate::helpers::count_rows(&app, "passkey_ceremonies"), 0);

    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let assertion = key.assert(&options, &origin_of(&app)).to_string();
    let response = b
        .post(format!("{page_url}/passkey"))
        .form(&[("ceremony", ceremony.as_str()), ("credential", assertion.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "assertion without the CSRF token");
    assert!(
        app.state.provider.db.find_passkey(&B64.encode(&key.credential_id)).unwrap().unwrap().last_used_at.is_none()
    );
}

#[actix_web::test]
async fn an_ip_address_issuer_offers_no_passkey_and_passwords_still_work() {
    let app = crate::helpers::spawn_app().await;
    assert!(app.state.provider.passkeys.is_none());
    app.add_user("alice");
    let client = setup_client(&app);
    let b = browser();
    let (page_url, html) = login_page(&app, &b, &app.authorize_url(&client, &[])).await;
    assert!(!html.contains("passkey"), "{html}");
    let response = b.post(format!("{page_url}/passkey/options")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = submit_login(&b, &page_url, &html, "alice", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[test]
fn a_plain_http_issuer_elsewhere_than_loopback_refuses_to_start_with_passkeys() {
    let settings = tessera::config::Settings { issuer: "http://id.example.com".into(), ..Default::default() };
    let error = settings.validate().unwrap_err().to_string();
    assert!(error.contains("use an https issuer, or set passkeys = false"), "{error}");
    let off = tessera::config::Settings { passkeys: false, ..settings };
    assert!(off.validate().is_ok());
    for ok in ["https://id.example.com", "http://localhost:8080", "http://127.0.0.1:8080"] {
        let settings = tessera::config::Settings { issuer: ok.into(), ..Default::default() };
        assert!(settings.validate().is_ok(), "{ok}");
    }
}

#[actix_web::test]
async fn mfa_reset_removes_the_passkeys_too() {
    let app = spawn_passkey_app().await;
    app.add_user("alice");
    let mut key = SoftKey::new(UP | UV);
    register_directly(&app, "alice", &mut key);
    let out = crate::helpers::tessera_ok(&app, &["user", "mfa", "reset", "alice"]);
    assert!(out.contains("passkeys (1)"), "{out}");
    assert_eq!(crate::helpers::count_rows(&app, "passkeys"), 0);
    assert_eq!(crate::helpers::count_rows(&app, "audit_events WHERE event = 'passkeys_reset'"), 1);
}

/// `POST {path}/options` with a CSRF token: the ceremony id and its options.
async fn options_at(b: &reqwest::Client, path: &str, csrf: &str) -> (String, serde_json::Value) {
    let response = b.post(format!("{path}/options")).form(&[("csrf_token", csrf)]).send().await.expect("options");
    assert_eq!(response.status(), StatusCode::OK, "{path}/options");
    let body: serde_json::Value = response.json().await.expect("json");
    (body["ceremony"].as_str().expect("ceremony").to_owned(), body["options"].clone())
}

/// An invitation opened in `b`, a passkey registered instead of a password: signed in (the landing page).
async fn accept_with_passkey(app: &TestApp, b: &reqwest::Client, username: &str, key: &mut SoftKey) -> String {
    let out = crate::helpers::tessera_ok(app, &["user", "invite", username, "--email", "x@example.com"]);
    let link = out.lines().find(|l| l.starts_with("http")).expect("a link").to_owned();
    let html = b.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Use a passkey instead and sign in"), "{html}");
    let csrf = form_field(&html, "csrf_token").expect("csrf");
    let (ceremony, options) = options_at(b, &format!("{link}/passkey"), &csrf).await;
    assert_eq!(options["publicKey"]["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(options["publicKey"]["authenticatorSelection"]["userVerification"], "required");
    let answer = key.register(&options, &origin_of(app)).to_string();
    let response = b
        .post(format!("{link}/passkey"))
        .form(&[("csrf_token", csrf.as_str()), ("ceremony", ceremony.as_str()), ("credential", answer.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "registered and signed in");
    assert_eq!(location(&response), "/");
    link
}

#[actix_web::test]
async fn an_invitation_registers_a_passkey_which_then_signs_in_alone() {
    let app = spawn_passkey_app().await;
    let client = setup_client(&app);
    let b = browser();
    let mut key = SoftKey::new(UP | UV);
    let link = accept_with_passkey(&app, &b, "erin", &mut key).await;
    assert_eq!(crate::helpers::count_rows(&app, "passkeys"), 1);
    // The link is spent: a second use shows the "gone" page.
    assert_eq!(b.get(&link).send().await.unwrap().status(), StatusCode::GONE);
    // The session the invitation opened is the passkey's: a request asking for the multi-factor level needs no
    // sign-in page.
    let url = app.authorize_url(&client, &[("acr_values", MULTI_FACTOR)]);
    let response = b.get(&url).send().await.unwrap();
    assert!(location(&response).starts_with(&client.redirect_uri), "{}", location(&response));
    // Passwordless: the password step knows no password for erin.
    let other = browser();
    let (page_url, html) = login_page(&app, &other, &app.authorize_url(&client, &[])).await;
    let refused = submit_login(&other, &page_url, &html, "erin", "").await;
    assert_eq!(refused.status(), StatusCode::OK);
    let (ceremony, options) = passkey_options(&other, &page_url, &html).await;
    let assertion = key.assert(&options, &origin_of(&app));
    let claims =
        finish(&app, &other, &client, post_assertion(&other, &page_url, &html, &ceremony, &assertion).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["hwk", "user", "mfa"]));
}

#[actix_web::test]
async fn the_account_page_adds_renames_and_removes_passkeys_but_keeps_the_last_credential() {
    let app = spawn_passkey_app().await;
    let b = browser();
    let mut first = SoftKey::new(UP | UV);
    accept_with_passkey(&app, &b, "erin", &mut first).await;
    let page = b.get(app.url("/account")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("connect-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("<h2>Passkeys</h2>"), "{html}");
    let csrf = form_field(&html, "csrf_token").expect("csrf");

    // Add a second passkey.
    let mut second = SoftKey::new(UP | UV | BE | BS);
    let (ceremony, options) = options_at(&b, &app.url("/account/passkey"), &csrf).await;
    let excluded = options["publicKey"]["excludeCredentials"].as_array().expect("excluded");
    assert_eq!(excluded.len(), 1, "the passkey already registered is excluded");
    let answer = second.register(&options, &origin_of(&app)).to_string();
    let form = [("csrf_token", csrf.as_str()), ("ceremony", &ceremony), ("credential", &answer), ("name", "Phone")];
    let response = b.post(app.url("/account/passkey-add")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The same answer again: the ceremony is spent.
    let again = b.post(app.url("/account/passkey-add")).form(&form).send().await.unwrap();
    assert!(again.text().await.unwrap().contains("The passkey was not added"));
    let html = b.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<strong>Phone</strong>") && html.contains("synced across devices"), "{html}");

    // Rename the first.
    let first_id = B64.encode(&first.credential_id);
    let form = [("csrf_token", csrf.as_str()), ("credential_id", first_id.as_str()), ("name", "Laptop")];
    let response = b.post(app.url("/account/passkey-rename")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.provider.db.find_passkey(&first_id).unwrap().unwrap().name, "Laptop");

    // Remove the first: the second remains. Removing the second, the account's last credential, is refused.
    let form = [("csrf_token", csrf.as_str()), ("credential_id", first_id.as_str())];
    let response = b.post(app.url("/account/passkey-remove")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let second_id = B64.encode(&second.credential_id);
    let form = [("csrf_token", csrf.as_str()), ("credential_id", second_id.as_str())];
    let response = b.post(app.url("/account/passkey-remove")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("This is your only way to sign in"));
    assert_eq!(crate::helpers::count_rows(&app, "passkeys"), 1);
    for event in ["account_passkey_added", "account_passkey_renamed", "account_passkey_removed", "account_passkey_kept"]
    {
        let n = crate::helpers::count_rows(&app, &format!("audit_events WHERE event = '{event}'"));
        assert_eq!(n, 1, "{event}");
    }

    // Without the CSRF token, nothing happens.
    let response =
        b.post(app.url("/account/passkey-remove")).form(&[("credential_id", second_id.as_str())]).send().await;
    assert_eq!(response.unwrap().status(), StatusCode::BAD_REQUEST);
    let response = b.post(app.url("/account/passkey/options")).form(&[("x", "y")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn a_user_with_a_password_may_remove_their_only_passkey() {
    let app = spawn_passkey_app().await;
    app.add_user("alice");
    let mut key = SoftKey::new(UP | UV);
    register_directly(&app, "alice", &mut key);
    let user = app.state.provider.db.find_passkey(&B64.encode(&key.credential_id)).unwrap().unwrap().user_id;
    assert_eq!(app.state.provider.db.remove_passkey(&user, &B64.encode(&key.credential_id)).unwrap(), Some(true));
}

#[actix_web::test]
async fn a_passwordless_account_signs_in_again_with_its_passkey_to_make_changes() {
    let app = spawn_passkey_app().await;
    let b = browser();
    let mut key = SoftKey::new(UP | UV);
    accept_with_passkey(&app, &b, "erin", &mut key).await;
    app.advance(tessera::oauth::account::REAUTH_SECS + 1);
    let html = b.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Confirm it&#39;s you with a passkey") || html.contains("with a passkey"), "{html}");
    let csrf = form_field(&html, "csrf_token").expect("csrf");
    let id = B64.encode(&key.credential_id);
    let rename = [("csrf_token", csrf.as_str()), ("credential_id", id.as_str()), ("name", "Laptop")];
    // Too old a sign-in, and no password to type: refused.
    let response = b.post(app.url("/account/passkey-rename")).form(&rename).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "refused: the account page again");
    assert_eq!(app.state.provider.db.find_passkey(&id).unwrap().unwrap().name, "Passkey");

    let (ceremony, options) = options_at(&b, &app.url("/account/reauth"), &csrf).await;
    assert_eq!(options["publicKey"]["allowCredentials"].as_array().map(Vec::len), Some(1));
    let assertion = key.assert(&options, &origin_of(&app)).to_string();
    let form = [("csrf_token", csrf.as_str()), ("ceremony", &ceremony), ("credential", &assertion)];
    let response = b.post(app.url("/account/passkey-verify")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The session has a new cookie (so a new CSRF token) and a fresh sign-in: the change goes through.
    let html = b.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").expect("csrf");
    let rename = [("csrf_token", csrf.as_str()), ("credential_id", id.as_str()), ("name", "Laptop")];
    let response = b.post(app.url("/account/passkey-rename")).form(&rename).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.provider.db.find_passkey(&id).unwrap().unwrap().name, "Laptop");
}

/// `tessera export` / `import` carry passkeys (public credentials, counters, flags): after a move to another node
/// under the same relying-party id, the passkey alone still signs in, and its counter keeps counting from where it was.
#[actix_web::test]
async fn a_passkey_moves_with_an_export() {
    use tessera::storage::{ExportRecord, Transfer};
    let app = spawn_passkey_app().await;
    app.add_user("alice");
    let mut key = SoftKey::new(UP | UV);
    register_directly(&app, "alice", &mut key);
    let mut records = app.state.provider.db.export_records().expect("export");
    let credential_id = B64.encode(&key.credential_id);
    assert!(
        records.iter().any(|r| matches!(r, ExportRecord::Passkey { credential_id: id, .. } if *id == credential_id)),
        "{records:?}"
    );
    records.retain(|r| !matches!(r, ExportRecord::Key { .. }));

    let moved = spawn_passkey_app().await;
    moved.state.provider.db.import_records(&records).expect("import");
    let client = setup_client(&moved);
    let b = browser();
    let (page_url, html) = login_page(&moved, &b, &moved.authorize_url(&client, &[])).await;
    let (ceremony, options) = passkey_options(&b, &page_url, &html).await;
    let assertion = key.assert(&options, &origin_of(&moved));
    let claims = finish(&moved, &b, &client, post_assertion(&b, &page_url, &html, &ceremony, &assertion).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["hwk", "user", "mfa"]));
    assert_eq!(moved.state.provider.db.find_passkey(&credential_id).unwrap().unwrap().sign_count, 1);
}

#[actix_web::test]
async fn an_invitation_redeemed_by_two_concurrent_passkey_registrations_succeeds_once() {
    let app = spawn_passkey_app().await;
    let out = crate::helpers::tessera_ok(&app, &["user", "invite", "erin", "--email", "x@example.com"]);
    let link = out.lines().find(|l| l.starts_with("http")).expect("a link").to_owned();
    // Two browsers open the link and each begins its own registration ceremony with its own authenticator.
    let (first, second) = (browser(), browser());
    let (mut first_key, mut second_key) = (SoftKey::new(UP | UV), SoftKey::new(UP | UV));
    let mut answers = Vec::new();
    for (b, key) in [(&first, &mut first_key), (&second, &mut second_key)] {
        let html = b.get(&link).send().await.unwrap().text().await.unwrap();
        let csrf = form_field(&html, "csrf_token").expect("csrf");
        let (ceremony, options) = options_at(b, &format!("{link}/passkey"), &csrf).await;
        answers.push((csrf, ceremony, key.register(&options, &origin_of(&app)).to_string()));
    }
    let submit = |b: &reqwest::Client, (csrf, ceremony, answer): &(String, String, String)| {
        b.post(format!("{link}/passkey"))
            .form(&[("csrf_token", csrf.as_str()), ("ceremony", ceremony.as_str()), ("credential", answer.as_str())])
            .send()
    };
    let (a, b) = tokio::join!(submit(&first, &answers[0]), submit(&second, &answers[1]));
    let statuses = [a.unwrap().status(), b.unwrap().status()];
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count(),
        1,
        "exactly one registration signs in: {statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::GONE), "the other finds the link spent: {statuses:?}");
    // The losing registration leaves no credential on the account: only the winner's key signs in.
    assert_eq!(crate::helpers::count_rows(&app, "passkeys"), 1);
    assert_eq!(crate::helpers::count_rows(&app, "browser_sessions"), 1);
    // The session the invitation opened records where it was opened from, as every sign-in does.
    assert_eq!(crate::helpers::count_rows(&app, "browser_sessions WHERE address = '127.0.0.1'"), 1);
    let winner = if statuses[0] == StatusCode::SEE_OTHER { first_key } else { second_key };
    let stored = app.state.provider.db.find_passkey(&B64.encode(&winner.credential_id)).unwrap();
    assert!(stored.is_some(), "the winner's passkey is the one kept");
}
