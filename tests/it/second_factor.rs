//! The second factor after the password: TOTP codes (RFC 6238) and recovery codes, provisioned with
//! `tessera user totp add`, throttled like passwords, and proved in the ID token's `amr`/`acr` (RFC 8176), with
//! step-up of an existing session when a request asks for the multi-factor level.

use reqwest::StatusCode;
use tessera::oauth::authentication::totp::{code_at, step_of};

use crate::helpers::{
    ClientOptions, PASSWORD, TestApp, TestClient, VERIFIER, browser, exchange_code, form_field, jwt_part, location,
    open_page, query_param, sign_in, spawn_app, spawn_app_with, submit_login, tessera_ok,
};

const MULTI_FACTOR: &str = "urn:tessera:acr:multi-factor";
const SINGLE_FACTOR: &str = "urn:tessera:acr:single-factor";

/// `tessera user totp add USERNAME --json`: the secret (from the otpauth URI) and the recovery codes.
fn enrol(app: &TestApp, username: &str) -> (Vec<u8>, Vec<String>) {
    let out: serde_json::Value = serde_json::from_str(&tessera_ok(app, &["user", "totp", "add", username, "--json"]))
        .expect("JSON from totp add");
    let uri = out["otpauth_uri"].as_str().expect("otpauth_uri");
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    let secret = query_param(uri, "secret").expect("secret in the URI");
    let secret = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &secret).expect("base32 secret");
    assert_eq!(secret.len(), 20, "160-bit secret");
    let codes: Vec<String> =
        out["recovery_codes"].as_array().expect("codes").iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

fn current_code(app: &TestApp, secret: &[u8]) -> String {
    code_at(secret, step_of(app.now())).expect("code")
}

/// Opens the authorization URL in `b` and posts the password; returns the page that follows (URL and HTML).
async fn password_step(app: &TestApp, b: &reqwest::Client, authorize_url: &str, username: &str) -> (String, String) {
    let response = b.get(authorize_url).send().await.expect("authorize");
    let (page_url, html) = open_page(b, app, &location(&response)).await;
    let response = submit_login(b, &page_url, &html, username, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let next = location(&response);
    let html = b.get(app.url(&next)).send().await.expect("page").text().await.expect("body");
    (app.url(&next), html)
}

async fn submit_code(b: &reqwest::Client, page_url: &str, html: &str, code: &str) -> reqwest::Response {
    let csrf = form_field(html, "csrf_token").expect("csrf token on the code page");
    b.post(format!("{page_url}/otp")).form(&[("csrf_token", csrf.as_str()), ("code", code)]).send().await.expect("post")
}

/// Follows consent (if asked) to the client's redirect and exchanges its code; the ID token's payload.
async fn finish(
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

#[actix_web::test]
async fn a_totp_code_signs_in_once_and_the_id_token_says_so() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let (secret, _) = enrol(&app, "alice");

    let b = browser();
    let (page_url, html) = password_step(&app, &b, &app.authorize_url(&client, &[]), "alice").await;
    assert!(html.contains("name=\"code\""), "the second-factor page follows the password:\n{html}");
    assert!(!html.contains("name=\"password\""));
    let code = current_code(&app, &secret);
    let claims = finish(&app, &b, &client, submit_code(&b, &page_url, &html, &code).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]));
    assert_eq!(claims["acr"], MULTI_FACTOR);

    // RFC 6238 §5.2: the same code, in its own window, from another browser: refused.
    let other = browser();
    let (page_url, html) = password_step(&app, &other, &app.authorize_url(&client, &[]), "alice").await;
    let response = submit_code(&other, &page_url, &html, &code).await;
    assert_eq!(response.status(), StatusCode::OK, "the page again");
    let page = response.text().await.unwrap();
    assert!(page.contains("incorrect or was already used"), "{page}");
    // The next step's code works (the clock moved on).
    app.advance(30);
    let next = current_code(&app, &secret);
    let claims = finish(&app, &other, &client, submit_code(&other, &page_url, &html, &next).await).await;
    assert_eq!(claims["acr"], MULTI_FACTOR);
}

#[actix_web::test]
async fn a_code_of_the_previous_step_is_accepted_but_not_one_further_off() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let (secret, _) = enrol(&app, "alice");
    let b = browser();
    let (page_url, html) = password_step(&app, &b, &app.authorize_url(&client, &[]), "alice").await;
    let two_steps_ago = code_at(&secret, step_of(app.now()) - 2).unwrap();
    let response = submit_code(&b, &page_url, &html, &two_steps_ago).await;
    assert_eq!(response.status(), StatusCode::OK, "two steps off: refused");
    let previous = code_at(&secret, step_of(app.now()) - 1).unwrap();
    let claims = finish(&app, &b, &client, submit_code(&b, &page_url, &html, &previous).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]));
}

#[actix_web::test]
async fn wrong_codes_are_throttled_per_account_and_address() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let (secret, _) = enrol(&app, "alice");
    let b = browser();
    let (page_url, html) = password_step(&app, &b, &app.authorize_url(&client, &[]), "alice").await;
    let mut pages = Vec::new();
    for _ in 0..6 {
        let response = submit_code(&b, &page_url, &html, "000000").await;
        assert_eq!(response.status(), StatusCode::OK);
        pages.push(response.text().await.unwrap());
    }
    assert!(pages[..4].iter().all(|p| p.contains("incorrect or was already used")), "four free tries");
    assert!(pages[5].contains("Too many failed"), "then a wait:\n{}", pages[5]);
    // Even the right code waits while throttled: no global lock-out, but no guessing through it either.
    let response = submit_code(&b, &page_url, &html, &current_code(&app, &secret)).await;
    assert!(response.text().await.unwrap().contains("Too many failed"));
    // Once the wait is over, the right code gets through.
    app.advance(60);
    let code = current_code(&app, &secret);
    let claims = finish(&app, &b, &client, submit_code(&b, &page_url, &html, &code).await).await;
    assert_eq!(claims["acr"], MULTI_FACTOR);
}

#[actix_web::test]
async fn a_recovery_code_works_once() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let (_, codes) = enrol(&app, "alice");
    let b = browser();
    let (page_url, html) = password_step(&app, &b, &app.authorize_url(&client, &[]), "alice").await;
    // Typed in capitals with spaces instead of dashes: the same code.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let claims = finish(&app, &b, &client, submit_code(&b, &page_url, &html, &typed).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]));

    let other = browser();
    let (page_url, html) = password_step(&app, &other, &app.authorize_url(&client, &[]), "alice").await;
    let response = submit_code(&other, &page_url, &html, &codes[3]).await;
    assert_eq!(response.status(), StatusCode::OK, "a spent recovery code is refused");
    assert!(response.text().await.unwrap().contains("incorrect or was already used"));
    let claims = finish(&app, &other, &client, submit_code(&other, &page_url, &html, &codes[4]).await).await;
    assert_eq!(claims["acr"], MULTI_FACTOR);
}

#[actix_web::test]
async fn acr_values_step_up_an_existing_password_only_session() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let b = browser();
    let first = sign_in(&b, &app, &app.authorize_url(&client, &[]), "alice").await;
    let code = query_param(&first, "code").expect("code");
    let tokens: serde_json::Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    let claims = jwt_part(tokens["id_token"].as_str().unwrap(), 1);
    assert_eq!(claims["amr"], serde_json::json!(["pwd"]));
    assert_eq!(claims["acr"], SINGLE_FACTOR);

    let (secret, _) = enrol(&app, "alice");
    // The session still serves a request that asks nothing more.
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    assert!(location(&response).starts_with(&client.redirect_uri), "no step-up without acr_values");
    // prompt=none cannot step up: interaction_required (OpenID Connect Core §3.1.2.6).
    let response = b.get(app.authorize_url(&client, &[("acr_values", MULTI_FACTOR), ("prompt", "none")])).send().await;
    let to = location(&response.unwrap());
    assert_eq!(query_param(&to, "error").as_deref(), Some("interaction_required"), "{to}");
    // acr_values asking for the multi-factor level: only the missing step, no password.
    let response = b.get(app.authorize_url(&client, &[("acr_values", MULTI_FACTOR)])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    assert!(html.contains("name=\"code\"") && !html.contains("name=\"password\""), "{html}");
    let claims = finish(&app, &b, &client, submit_code(&b, &page_url, &html, &current_code(&app, &secret)).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]));
    assert_eq!(claims["acr"], MULTI_FACTOR);
    // The session now has both factors: the same request goes straight through.
    let response = b.get(app.authorize_url(&client, &[("acr_values", MULTI_FACTOR)])).send().await.unwrap();
    assert!(location(&response).starts_with(&client.redirect_uri));
}

#[actix_web::test]
async fn an_essential_acr_or_a_client_requiring_mfa_refuses_a_user_without_a_second_factor() {
    let app = spawn_app().await;
    app.add_user("bob");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let claims = format!(r#"{{"id_token": {{"acr": {{"essential": true, "values": ["{MULTI_FACTOR}"]}}}}}}"#);
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[("claims", &claims)])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let response = submit_login(&b, &page_url, &html, "bob", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "refused after the password");
    assert!(response.text().await.unwrap().contains("needs a second factor"));
    // A voluntary acr_values does not stop him: the ID token says what was reached.
    let location = sign_in(&browser(), &app, &app.authorize_url(&client, &[("acr_values", MULTI_FACTOR)]), "bob").await;
    assert!(location.starts_with(&client.redirect_uri));

    // A client registered with --require-mfa.
    tessera_ok(&app, &["client", "update", "app", "--require-mfa"]);
    app.advance(2);
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &crate::helpers::location(&response)).await;
    let response = submit_login(&b, &page_url, &html, "bob", PASSWORD).await;
    assert!(response.text().await.unwrap().contains("needs a second factor"));
    // With a factor, he gets through that client, with both in the ID token.
    let (secret, _) = enrol(&app, "bob");
    let (page_url, html) = password_step(&app, &b, &app.authorize_url(&client, &[]), "bob").await;
    let claims = finish(&app, &b, &client, submit_code(&b, &page_url, &html, &current_code(&app, &secret)).await).await;
    assert_eq!(claims["acr"], MULTI_FACTOR);
}

#[actix_web::test]
async fn mfa_required_refuses_users_without_a_factor_and_off_never_asks() {
    let app = spawn_app_with(|s| s.mfa = tessera::config::MfaPolicy::Required).await;
    app.add_user("carol");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let response = submit_login(&b, &page_url, &html, "carol", PASSWORD).await;
    assert!(response.text().await.unwrap().contains("needs a second factor"));

    let app = spawn_app_with(|s| s.mfa = tessera::config::MfaPolicy::Off).await;
    app.add_user("dave");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    enrol(&app, "dave");
    let location = sign_in(&browser(), &app, &app.authorize_url(&client, &[]), "dave").await;
    assert!(location.starts_with(&client.redirect_uri), "mfa = off: the password alone");
}

#[actix_web::test]
async fn mfa_reset_removes_the_factor_and_totp_add_refuses_a_second_one() {
    let app = spawn_app().await;
    app.add_user("erin");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    enrol(&app, "erin");
    let refused = crate::helpers::tessera_fails(&app, &["user", "totp", "add", "erin"]);
    assert!(refused.contains("already has a TOTP"), "{refused}");
    let out = tessera_ok(&app, &["user", "mfa", "reset", "erin"]);
    assert!(out.contains("removed"), "{out}");
    assert_eq!(crate::helpers::count_rows(&app, "recovery_codes"), 0);
    let location = sign_in(&browser(), &app, &app.authorize_url(&client, &[]), "erin").await;
    assert!(location.starts_with(&client.redirect_uri), "password alone again");
    // The text output shows the URI and the codes once.
    let out = tessera_ok(&app, &["user", "totp", "add", "erin"]);
    assert!(out.contains("otpauth://totp/") && out.lines().filter(|l| l.starts_with("  ")).count() == 10, "{out}");
}

#[actix_web::test]
async fn a_second_factor_form_without_its_csrf_token_is_refused() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let (secret, _) = enrol(&app, "alice");
    let b = browser();
    let (page_url, _) = password_step(&app, &b, &app.authorize_url(&client, &[]), "alice").await;
    let response =
        b.post(format!("{page_url}/otp")).form(&[("code", current_code(&app, &secret))]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // Nor can the step be skipped: the consent form before the second factor is "expired".
    let html = b.get(&page_url).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").unwrap();
    let response = b
        .post(format!("{page_url}/consent"))
        .form(&[("csrf_token", csrf.as_str()), ("decision", "allow")])
        .send()
        .await
        .unwrap();
    assert_ne!(response.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn an_essential_acr_that_cannot_be_met_is_a_failed_authentication() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let claims = r#"{"id_token": {"acr": {"essential": true, "values": ["urn:example:loa:4"]}}}"#;
    let response = browser().get(app.authorize_url(&client, &[("claims", claims)])).send().await.unwrap();
    // OpenID Connect Core §5.5.1.1: "MUST treat that outcome as a failed authentication attempt".
    crate::helpers::assert_error_redirect(&app, &response, &client.redirect_uri, "access_denied");
    // Voluntary, the same value is skipped.
    let claims = r#"{"id_token": {"acr": {"values": ["urn:example:loa:4"]}}}"#;
    let response = browser().get(app.authorize_url(&client, &[("claims", claims)])).send().await.unwrap();
    assert!(location(&response).starts_with("/interaction/"));
}

#[actix_web::test]
async fn max_age_zero_asks_for_both_factors_again() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let (secret, _) = enrol(&app, "alice");
    let b = browser();
    let (page_url, html) = password_step(&app, &b, &app.authorize_url(&client, &[]), "alice").await;
    finish(&app, &b, &client, submit_code(&b, &page_url, &html, &current_code(&app, &secret)).await).await;
    // OpenID Connect Core §3.1.2.1 max_age=0: a fresh sign-in, the whole chain (the password, then the next code).
    app.advance(30);
    let (page_url, html) = password_step(&app, &b, &app.authorize_url(&client, &[("max_age", "0")]), "alice").await;
    assert!(html.contains("name=\"code\""), "{html}");
    let claims = finish(&app, &b, &client, submit_code(&b, &page_url, &html, &current_code(&app, &secret)).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]));
    assert_eq!(claims["auth_time"].as_i64(), Some(app.now()), "a new authentication");
}

/// A key-encryption key for these tests: 32 bytes, base64.
fn test_kek(byte: u8) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([byte; 32])
}

/// The TOTP secret of `user_id` as its row holds it (an export keeps it as stored).
fn stored_totp(db: &tessera::storage::Database, user_id: &str) -> Vec<u8> {
    use base64::Engine;
    use tessera::storage::{ExportRecord, Transfer};
    db.export_records()
        .expect("export")
        .into_iter()
        .find_map(|record| match record {
            ExportRecord::Totp { user_id: id, secret, .. } if id == user_id => {
                Some(base64::engine::general_purpose::STANDARD.decode(secret).expect("base64"))
            }
            _ => None,
        })
        .expect("a TOTP record")
}

/// With a key-encryption key, TOTP secrets are sealed at rest like private signing keys: a plain one is sealed at
/// the next start, a new one is sealed when it is written, neither opens without the KEK, and an export carries the
/// sealed form with the recovery codes' hashes, so a user keeps their second factor after a move.
#[actix_web::test]
async fn totp_secrets_are_sealed_at_rest_under_the_key_encryption_key() {
    use tessera::storage::{ExportRecord, KeyEncryptionKey, SecondFactorStore, Transfer};
    let app = spawn_app().await;
    let alice = app.add_user("alice");
    let (secret, codes) = enrol(&app, "alice");
    let db = &app.state.provider.db;
    assert_eq!(stored_totp(db, &alice.subject), secret, "no KEK: stored as it is");

    let sealing = db.clone().with_key_encryption(KeyEncryptionKey::from_base64(&test_kek(5)).ok());
    assert_eq!(sealing.seal_totp_secrets().unwrap(), 1, "the plain secret is sealed");
    assert_eq!(sealing.seal_totp_secrets().unwrap(), 0, "nothing left to seal at the next start");
    let stored = stored_totp(db, &alice.subject);
    assert!(stored.starts_with(b"TKEK1"), "sealed");
    assert!(!stored.windows(secret.len()).any(|w| w == secret.as_slice()), "the secret is not in the row");
    assert_eq!(sealing.find_totp(&alice.subject).unwrap().expect("factor").secret, secret, "the KEK opens it");
    let refused = db.find_totp(&alice.subject).unwrap_err().to_string();
    assert!(refused.contains("encrypted at rest") && refused.contains("key_encryption_key"), "{refused}");
    let wrong = db.clone().with_key_encryption(KeyEncryptionKey::from_base64(&test_kek(6)).ok());
    assert!(wrong.find_totp(&alice.subject).unwrap_err().to_string().contains("another key-encryption key"));

    // The export carries the sealed secret and the codes' hashes; a node with the same KEK takes them in, and
    // Alice signs in there with her password, then a code of her secret.
    let mut records = db.export_records().expect("export");
    let hashes: Vec<&ExportRecord> =
        records.iter().filter(|r| matches!(r, ExportRecord::RecoveryCode { .. })).collect();
    assert_eq!(hashes.len(), codes.len(), "every recovery code, as a hash");
    let exported = serde_json::to_string(&records).unwrap();
    assert!(codes.iter().all(|code| !exported.contains(code.as_str())), "no recovery code in the clear");
    records.retain(|r| !matches!(r, ExportRecord::Key { .. }));
    let moved = spawn_app_with(|s| s.key_encryption_key = test_kek(5)).await;
    moved.state.provider.db.import_records(&records).expect("import");
    let client = moved.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let b = browser();
    let (page_url, html) = password_step(&moved, &b, &moved.authorize_url(&client, &[]), "alice").await;
    assert!(html.contains("name=\"code\""), "the second factor moved:\n{html}");
    let claims =
        finish(&moved, &b, &client, submit_code(&b, &page_url, &html, &current_code(&moved, &secret)).await).await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]));

    // On a node with a KEK, a new enrolment is sealed as it is written (the CLI reads the KEK from the environment).
    let bob = moved.add_user("bob");
    let out = crate::helpers::tessera_on(&moved)
        .env("TESSERA_KEY_ENCRYPTION_KEY", test_kek(5))
        .args(["user", "totp", "add", "bob", "--json"])
        .output()
        .expect("tessera");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stored_totp(&moved.state.provider.db, &bob.subject).starts_with(b"TKEK1"));
}
