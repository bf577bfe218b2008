//! Wire-format snapshots (insta): what a relying party sees over real HTTP from a server started by `spawn_app`,
//! pinned so that rewrites of the server's internals keep the same discovery document, the same JWKS shape and the
//! same four error renderings (token JSON, authorization redirect, our HTML page, Bearer challenge), headers
//! included.
//!
//! Snapshots live in `tests/it/snapshots/`. A change on the wire fails the test; if the change is intended, review
//! the `.snap.new` file insta writes next to the old one and rename it over it (or run with `INSTA_UPDATE=always`,
//! or `cargo insta review`). Under CI (`CI=true`) insta never writes or accepts anything: a mismatch, or a missing
//! snapshot, fails.
//!
//! Per-run values never reach a snapshot: the port of the test server is replaced by `PORT` everywhere, key ids and
//! moduli are redacted, cookie values and error ids would be too.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::Value;

use crate::helpers::{ClientOptions, TestApp, browser, spawn_app};

/// What the test server's base URL (`http://127.0.0.1:<random port>`) becomes in every snapshot.
const BASE: &str = "http://127.0.0.1:PORT";

/// The headers every snapshot shows, `null` when absent (so that one appearing or disappearing is a change too).
const HEADERS: &[&str] = &["cache-control", "content-type", "location", "pragma", "retry-after", "www-authenticate"];

/// The security headers our HTML pages carry on top of [`HEADERS`].
const PAGE_HEADERS: &[&str] = &[
    "content-security-policy",
    "referrer-policy",
    "set-cookie",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
];

/// A response as the snapshots show it: the status, the chosen headers and the body (parsed JSON, text, or `null`
/// when empty), with the server's base URL normalised.
#[derive(Serialize)]
struct Wire {
    status: u16,
    headers: BTreeMap<&'static str, Option<String>>,
    body: Value,
}

impl Wire {
    async fn capture(app: &TestApp, response: reqwest::Response, headers: &[&'static str]) -> Wire {
        let status = response.status().as_u16();
        let headers = headers
            .iter()
            .map(|&name| {
                let values: Vec<String> = response
                    .headers()
                    .get_all(name)
                    .iter()
                    .map(|v| {
                        let v = v.to_str().unwrap_or_else(|_| panic!("{name} is not visible ASCII"));
                        let v = normalise(app, v);
                        if name == "set-cookie" { redact_cookie_value(&v) } else { v }
                    })
                    .collect();
                (name, (!values.is_empty()).then(|| values.join("\n")))
            })
            .collect();
        let is_json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let text = normalise(app, &response.text().await.expect("body"));
        let body = if text.is_empty() {
            Value::Null
        } else if is_json {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("a JSON content type with a body that is not: {e}"))
        } else {
            Value::String(text)
        };
        Wire { status, headers, body }
    }

    /// The response as text, like on the wire: status line, headers, a blank line, the body. For HTML pages.
    fn to_text(&self) -> String {
        let reason = StatusCode::from_u16(self.status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
        let mut text = format!("HTTP {} {reason}\n", self.status);
        for (name, value) in &self.headers {
            match value {
                Some(value) => value.lines().for_each(|v| text.push_str(&format!("{name}: {v}\n"))),
                None => text.push_str(&format!("{name}: (absent)\n")),
            }
        }
        text.push('\n');
        match &self.body {
            Value::String(body) => text.push_str(&redact_error_id_in_html(body)),
            Value::Null => {}
            json => text.push_str(&serde_json::to_string_pretty(json).expect("JSON")),
        }
        text
    }
}

/// The server's base URL, plain or percent-encoded (as in a query parameter), becomes [`BASE`].
fn normalise(app: &TestApp, text: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(app.base.as_bytes()).collect();
    let encoded_base: String = url::form_urlencoded::byte_serialize(BASE.as_bytes()).collect();
    text.replace(&app.base, BASE).replace(&encoded, &encoded_base)
}

/// `name=value; attributes` keeps its name and attributes, not its (random) value.
fn redact_cookie_value(cookie: &str) -> String {
    let (pair, attributes) = cookie.split_once(';').map_or((cookie, None), |(p, a)| (p, Some(a)));
    let name = pair.split_once('=').map_or(pair, |(n, _)| n);
    match attributes {
        Some(attributes) => format!("{name}=[value];{attributes}"),
        None => format!("{name}=[value]"),
    }
}

/// Our error page shows the id of an internal error (random per failure) as `Error id: <code>…</code>`.
fn redact_error_id_in_html(html: &str) -> String {
    const MARKER: &str = "<code class=\"error-id\">";
    let Some(start) = html.find(MARKER).map(|i| i + MARKER.len()) else { return html.to_owned() };
    let end = html[start..].find("</code>").map_or(html.len(), |i| start + i);
    format!("{}[error id]{}", &html[..start], &html[end..])
}

fn all_headers(extra: &[&'static str]) -> Vec<&'static str> {
    HEADERS.iter().chain(extra).copied().collect()
}

// -----------------------------------------------------------------------------------------------------------------
// Discovery and keys
// -----------------------------------------------------------------------------------------------------------------

#[actix_web::test]
async fn discovery_document() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/.well-known/openid-configuration")).await.expect("discovery");
    let wire = Wire::capture(&app, response, HEADERS).await;
    assert!(wire.body.is_object(), "{}", wire.body);
    insta::assert_json_snapshot!(wire);
}

#[actix_web::test]
async fn jwks_shape() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/.well-known/jwks.json")).await.expect("jwks");
    let wire = Wire::capture(&app, response, HEADERS).await;
    let keys = wire.body["keys"].as_array().unwrap_or_else(|| panic!("no keys array: {}", wire.body));
    let kids: std::collections::BTreeSet<&str> =
        keys.iter().map(|k| k["kid"].as_str().unwrap_or_else(|| panic!("a key without kid: {k}"))).collect();
    assert_eq!(kids.len(), keys.len(), "every key has its own kid: {}", wire.body);
    // Key ids and moduli change with every server: the snapshot keeps the modulus's size only.
    insta::assert_json_snapshot!(wire, {
        ".body.keys[].kid" => "[kid]",
        ".body.keys[].n" => insta::dynamic_redaction(|value, _| {
            let n = value.as_str().expect("n is a string");
            let bytes = URL_SAFE_NO_PAD.decode(n).expect("n is base64url without padding");
            format!("[{}-bit modulus]", bytes.len() * 8)
        }),
    });
}

// -----------------------------------------------------------------------------------------------------------------
// a. Token endpoint JSON errors (RFC 6749 §5.2)
// -----------------------------------------------------------------------------------------------------------------

#[actix_web::test]
async fn token_error_unsupported_grant_type() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("grant_type", "password"), ("username", "alice"), ("password", "x")])
        .send()
        .await
        .expect("token request");
    let wire = Wire::capture(&app, response, HEADERS).await;
    insta::assert_json_snapshot!(wire, { ".body.error_id" => "[error id]" });
}

#[actix_web::test]
async fn token_error_invalid_client_with_basic_auth() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, Some("wrong-secret"))
        .form(&[("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", client.redirect_uri.as_str())])
        .send()
        .await
        .expect("token request");
    let wire = Wire::capture(&app, response, HEADERS).await;
    insta::assert_json_snapshot!(wire, { ".body.error_id" => "[error id]" });
}

// -----------------------------------------------------------------------------------------------------------------
// b. The authorization error redirect to the client (RFC 6749 §4.1.2.1, RFC 9207)
// -----------------------------------------------------------------------------------------------------------------

#[actix_web::test]
async fn authorization_error_redirect_to_the_client() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let url = app.authorize_url(&client, &[("response_type", "token")]);
    let response = browser().get(url).send().await.expect("authorize");
    let wire = Wire::capture(&app, response, &all_headers(&["set-cookie"])).await;
    insta::assert_json_snapshot!(wire);
}

// -----------------------------------------------------------------------------------------------------------------
// c. Our HTML error page
// -----------------------------------------------------------------------------------------------------------------

#[actix_web::test]
async fn html_error_page_for_an_unknown_client() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let url = app.authorize_url(&client, &[("client_id", "nobody")]);
    let response = browser().get(url).send().await.expect("authorize");
    let wire = Wire::capture(&app, response, &all_headers(PAGE_HEADERS)).await;
    insta::assert_snapshot!(wire.to_text());
}

// -----------------------------------------------------------------------------------------------------------------
// d. The Bearer challenge at /userinfo (RFC 6750 §3)
// -----------------------------------------------------------------------------------------------------------------

#[actix_web::test]
async fn bearer_challenge_without_a_token() {
    let app = spawn_app().await;
    let response = reqwest::Client::new().get(app.url("/userinfo")).send().await.expect("userinfo");
    let wire = Wire::capture(&app, response, HEADERS).await;
    insta::assert_json_snapshot!(wire, { ".body.error_id" => "[error id]" });
}

#[actix_web::test]
async fn bearer_challenge_for_a_malformed_authorization_header() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .get(app.url("/userinfo"))
        .header(reqwest::header::AUTHORIZATION, "Bearer a b")
        .send()
        .await
        .expect("userinfo");
    let wire = Wire::capture(&app, response, HEADERS).await;
    insta::assert_json_snapshot!(wire, { ".body.error_id" => "[error id]" });
}

// -----------------------------------------------------------------------------------------------------------------
// e. Per configuration: what discovery and the JWKS say with every signing algorithm enabled (issue 13)
// -----------------------------------------------------------------------------------------------------------------

async fn spawn_with_every_signing_alg() -> TestApp {
    crate::helpers::spawn_app_with(|s| {
        s.signing_algs = ["ES256", "RS256", "PS256", "EdDSA"].map(str::to_owned).to_vec();
    })
    .await
}

#[actix_web::test]
async fn discovery_document_with_every_signing_alg() {
    let app = spawn_with_every_signing_alg().await;
    let response = reqwest::get(app.url("/.well-known/openid-configuration")).await.expect("discovery");
    let wire = Wire::capture(&app, response, HEADERS).await;
    insta::assert_json_snapshot!(wire);
}

#[actix_web::test]
async fn jwks_shape_with_every_signing_alg() {
    let app = spawn_with_every_signing_alg().await;
    let response = reqwest::get(app.url("/.well-known/jwks.json")).await.expect("jwks");
    let wire = Wire::capture(&app, response, HEADERS).await;
    let size = |value: &insta::internals::Content, what: &str| {
        let text = value.as_str().expect("a base64url string");
        let bytes = URL_SAFE_NO_PAD.decode(text).expect("base64url without padding");
        format!("[{}-bit {what}]", bytes.len() * 8)
    };
    insta::assert_json_snapshot!(wire, {
        ".body.keys[].kid" => "[kid]",
        ".body.keys[].n" => insta::dynamic_redaction(move |value, _| size(&value, "modulus")),
        ".body.keys[].x" => insta::dynamic_redaction(move |value, _| size(&value, "coordinate")),
        ".body.keys[].y" => insta::dynamic_redaction(move |value, _| size(&value, "coordinate")),
    });
}

/// RFC 7591 §3 / RFC 8414 §2: `registration_endpoint` is listed when registration is `initial-access-token`.
#[actix_web::test]
async fn discovery_document_with_registration_by_initial_access_token() {
    let app =
        crate::helpers::spawn_app_with(|s| s.registration = tessera::config::RegistrationMode::InitialAccessToken)
            .await;
    let response = reqwest::get(app.url("/.well-known/openid-configuration")).await.expect("discovery");
    let wire = Wire::capture(&app, response, HEADERS).await;
    insta::assert_json_snapshot!(wire);
}

/// The same endpoint in `open` registration (the default, `off`, is `discovery_document`: no endpoint listed).
#[actix_web::test]
async fn discovery_document_with_open_registration() {
    let app = crate::helpers::spawn_app_with(|s| s.registration = tessera::config::RegistrationMode::Open).await;
    let response = reqwest::get(app.url("/.well-known/openid-configuration")).await.expect("discovery");
    let wire = Wire::capture(&app, response, HEADERS).await;
    insta::assert_json_snapshot!(wire);
}

/// Discovery with the optional features switched off (issue 13: each advertised exactly when it is on): no device
/// endpoint or grant, no PAR endpoint, no private_key_jwt nor its algorithm lists, no DPoP algorithms.
#[actix_web::test]
async fn discovery_document_with_optional_features_off() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.device_authorization = false;
        s.pushed_authorization_requests = false;
        s.private_key_jwt = false;
        s.dpop = false;
    })
    .await;
    let response = reqwest::get(app.url("/.well-known/openid-configuration")).await.expect("discovery");
    let wire = Wire::capture(&app, response, HEADERS).await;
    insta::assert_json_snapshot!(wire);
}

/// Discovery with token exchange on (off by default): its grant type is listed.
#[actix_web::test]
async fn discovery_document_with_token_exchange() {
    let app = crate::helpers::spawn_app_with(|s| s.token_exchange = true).await;
    let response = reqwest::get(app.url("/.well-known/openid-configuration")).await.expect("discovery");
    let wire = Wire::capture(&app, response, HEADERS).await;
    insta::assert_json_snapshot!(wire);
}
