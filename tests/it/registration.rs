//! Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), over real HTTP: an initial access
//! token from `tessera registration token create`, the metadata judged by the CLI's own rules, the new client used
//! by the `openidconnect` relying party, and its registration read, replaced and deleted with the registration
//! access token.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    RedirectUrl, TokenResponse,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera::config::RegistrationMode;

use crate::helpers::{
    ClientOptions, PASSWORD, TestApp, browser, form_field, location, open_page, query_param, relying_party_http,
    spawn_app, spawn_app_with, submit_consent, submit_login, tessera_ok,
};

const REDIRECT: &str = "http://127.0.0.1:9/dcr/callback";

async fn spawn(mode: RegistrationMode) -> TestApp {
    spawn_app_with(|s| s.registration = mode).await
}

/// `tessera registration token create …`: the printed token.
fn create_token(app: &TestApp, args: &[&str]) -> String {
    let mut all = vec!["registration", "token", "create"];
    all.extend_from_slice(args);
    let out = tessera_ok(app, &all);
    out.lines()
        .find_map(|l| l.strip_prefix("initial_access_token:"))
        .map(|t| t.trim().to_owned())
        .unwrap_or_else(|| panic!("no token printed: {out}"))
}

async fn post(app: &TestApp, token: Option<&str>, body: &Value) -> (StatusCode, Value, Option<String>) {
    let mut request = reqwest::Client::new().post(app.url("/oauth/register")).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("register");
    answer(response).await
}

async fn answer(response: reqwest::Response) -> (StatusCode, Value, Option<String>) {
    let status = response.status();
    let challenge = response.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned());
    if status != StatusCode::NOT_FOUND && status != StatusCode::NO_CONTENT {
        assert_eq!(response.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"));
    }
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null), challenge)
}

async fn manage(
    method: reqwest::Method,
    uri: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (StatusCode, Value, Option<String>) {
    let mut request = reqwest::Client::new().request(method, uri);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    answer(request.send().await.expect("management request")).await
}

fn web_app() -> Value {
    json!({
        "redirect_uris": [REDIRECT],
        "client_name": "Registered App",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "scope": "openid profile",
        "client_uri": "https://app.example.com/",
        "policy_uri": "https://app.example.com/privacy",
        "tos_uri": "https://app.example.com/terms",
        "post_logout_redirect_uris": ["https://app.example.com/bye"],
        "some_extension_we_do_not_know": true,
    })
}

fn assert_unauthorized(status: StatusCode, body: &Value, challenge: Option<String>, what: &str) {
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    assert_eq!(body["error"], "invalid_token", "{what}");
    let challenge = challenge.unwrap_or_else(|| panic!("{what}: no challenge"));
    assert!(challenge.starts_with("Bearer ") && challenge.contains("error=\"invalid_token\""), "{what}: {challenge}");
}

/// RFC 7591 §3.1–3.2.1: with an initial access token, 201 with client_id, client_secret, client_id_issued_at,
/// client_secret_expires_at 0, the registration access token and client URI, and the metadata as stored; the new
/// client then signs a user in through the `openidconnect` relying party, and is asked for consent (a registered
/// client never skips it).
#[actix_web::test]
async fn a_client_registered_with_an_initial_access_token_completes_a_code_flow() {
    let app = spawn(RegistrationMode::InitialAccessToken).await;
    app.add_user("alice");
    let token = create_token(&app, &["--ttl-secs", "600", "--uses", "2"]);
    let (status, body, _) = post(&app, Some(&token), &web_app()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let client_id = body["client_id"].as_str().expect("client_id").to_owned();
    let secret = body["client_secret"].as_str().expect("a confidential client gets a secret").to_owned();
    assert!(secret.len() >= 43, "256 bits");
    assert_eq!(body["client_secret_expires_at"], 0);
    assert_eq!(body["client_id_issued_at"], app.now());
    assert!(body["registration_access_token"].as_str().is_some_and(|t| t.len() >= 43));
    assert_eq!(body["registration_client_uri"], app.url(&format!("/oauth/register/{client_id}")));
    assert_eq!(body["redirect_uris"], json!([REDIRECT]));
    assert_eq!(body["client_name"], "Registered App");
    assert_eq!(body["token_endpoint_auth_method"], "client_secret_basic", "RFC 7591 §2 default");
    assert_eq!(body["grant_types"], json!(["authorization_code", "refresh_token"]));
    assert_eq!(body["response_types"], json!(["code"]));
    assert_eq!(body["policy_uri"], "https://app.example.com/privacy");
    assert_eq!(body["post_logout_redirect_uris"], json!(["https://app.example.com/bye"]));
    assert!(body.get("some_extension_we_do_not_know").is_none(), "unknown metadata is ignored");
    assert!(body.get("scope").is_none(), "OpenID Connect scopes are always allowed; no API scope was asked");
    let listed = tessera_ok(&app, &["registration", "token", "list"]);
    assert!(listed.lines().nth(1).is_some_and(|l| l.split_whitespace().nth(3) == Some("1")), "one use left: {listed}");

    // The relying party uses what registration returned.
    let http = relying_party_http();
    let metadata = CoreProviderMetadata::discover_async(IssuerUrl::new(app.base.clone()).unwrap(), &http)
        .await
        .expect("discovery");
    let rp =
        CoreClient::from_provider_metadata(metadata, ClientId::new(client_id.clone()), Some(ClientSecret::new(secret)))
            .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, csrf, nonce) = rp
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .set_pkce_challenge(challenge)
        .url();
    let browser = browser();
    let response = browser.get(auth_url.as_str()).send().await.unwrap();
    let (page_url, html) = open_page(&browser, &app, &location(&response)).await;
    let response = submit_login(&browser, &page_url, &html, "alice", PASSWORD).await;
    let next = location(&response);
    assert!(next.starts_with("/interaction/"), "consent is asked of a registered client: {next}");
    let (page_url, html) = open_page(&browser, &app, &next).await;
    assert!(html.contains("Registered App"), "the consent page names the client");
    assert!(form_field(&html, "csrf_token").is_some());
    let redirect = location(&submit_consent(&browser, &page_url, &html, "allow").await);
    assert!(redirect.starts_with(REDIRECT), "{redirect}");
    assert_eq!(query_param(&redirect, "state").as_deref(), Some(csrf.secret().as_str()));
    let code = query_param(&redirect, "code").expect("code");
    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchange with client_secret_basic");
    let id_token = tokens.id_token().expect("an ID token");
    let claims = id_token.claims(&rp.id_token_verifier(), &nonce).expect("the ID token verifies");
    assert_eq!(claims.audiences().first().map(|a| a.as_str()), Some(client_id.as_str()));
    assert!(tokens.refresh_token().is_some());
}

/// RFC 7591 §3 with RFC 6750 §3: no token, a wrong one, an expired one, a revoked one and one whose uses ran out
/// are each 401 invalid_token with a Bearer challenge, and register nothing.
#[actix_web::test]
async fn a_bad_expired_revoked_or_used_up_initial_access_token_is_refused() {
    let app = spawn(RegistrationMode::InitialAccessToken).await;
    let (status, body, challenge) = post(&app, None, &web_app()).await;
    assert_unauthorized(status, &body, challenge, "no token");
    let (status, body, challenge) = post(&app, Some("not-a-token"), &web_app()).await;
    assert_unauthorized(status, &body, challenge, "an unknown token");

    let once = create_token(&app, &["--uses", "1"]);
    let (status, body, _) = post(&app, Some(&once), &web_app()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body, challenge) = post(&app, Some(&once), &web_app()).await;
    assert_unauthorized(status, &body, challenge, "a token whose uses ran out");

    let revoked = create_token(&app, &[]);
    let listed = tessera_ok(&app, &["registration", "token", "list"]);
    let id = listed
        .lines()
        .rfind(|l| l.split_whitespace().nth(3) == Some("1"))
        .and_then(|l| l.split_whitespace().next())
        .expect("listed")
        .to_owned();
    tessera_ok(&app, &["registration", "token", "revoke", &id]);
    let (status, body, challenge) = post(&app, Some(&revoked), &web_app()).await;
    assert_unauthorized(status, &body, challenge, "a revoked token");

    let short = create_token(&app, &["--ttl-secs", "60"]);
    app.advance(600);
    let (status, body, challenge) = post(&app, Some(&short), &web_app()).await;
    assert_unauthorized(status, &body, challenge, "an expired token");
    assert_eq!(crate::helpers::count_rows(&app, "client_registrations"), 1, "only the first registration happened");
}

/// RFC 7591 §3.2.2: metadata that breaks a rule of `tessera client add` is 400 `invalid_redirect_uri` or
/// `invalid_client_metadata`, saying what is wrong; a refused registration does not spend the token.
#[actix_web::test]
async fn metadata_breaking_a_registration_rule_is_refused_with_the_rfc_error() {
    let app = spawn(RegistrationMode::InitialAccessToken).await;
    let token = create_token(&app, &["--uses", "1"]);
    let with = |patch: Value| {
        let mut body = web_app();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let bad_redirects = [
        json!({"redirect_uris": ["http://app.example.com/cb"]}),
        json!({"redirect_uris": ["https://app.example.com/cb#fragment"]}),
        json!({"redirect_uris": ["https://*.example.com/cb"]}),
        json!({"redirect_uris": ["javascript:alert(1)"]}),
    ];
    for patch in bad_redirects {
        let (status, body, _) = post(&app, Some(&token), &with(patch.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{patch}: {body}");
        assert_eq!(body["error"], "invalid_redirect_uri", "{patch}: {body}");
        assert!(body["error_description"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let bad_metadata = [
        json!({"grant_types": ["password"]}),
        json!({"token_endpoint_auth_method": "client_secret_jwt"}),
        json!({"token_endpoint_auth_method": "none", "grant_types": ["client_credentials"], "redirect_uris": []}),
        json!({"response_types": ["token"]}),
        json!({"grant_types": ["client_credentials"], "response_types": ["code"]}),
        json!({"redirect_uris": []}),
        json!({"token_endpoint_auth_method": "private_key_jwt"}),
        json!({"token_endpoint_auth_method": "private_key_jwt",
               "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "secret"}]}}),
        json!({"jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}]}}),
        json!({"id_token_signed_response_alg": "ES256"}),
        json!({"id_token_signed_response_alg": "none"}),
        json!({"policy_uri": "ftp://app.example.com/privacy"}),
        json!({"logo_uri": "data:text/html;base64,PHNjcmlwdD4="}),
        json!({"backchannel_logout_uri": "http://app.example.com/logout"}),
        json!({"redirect_uris": "https://app.example.com/cb"}),
    ];
    for patch in bad_metadata {
        let (status, body, _) = post(&app, Some(&token), &with(patch.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{patch}: {body}");
        assert_eq!(body["error"], "invalid_client_metadata", "{patch}: {body}");
    }
    let not_json = reqwest::Client::new()
        .post(app.url("/oauth/register"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, body, _) = answer(not_json).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_client_metadata")));

    // The token's one use is still there.
    let (status, body, _) = post(&app, Some(&token), &web_app()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// RFC 7591 §2 `none` and `private_key_jwt`: no secret is issued to a public client or a client with keys.
#[actix_web::test]
async fn public_and_key_clients_get_no_secret() {
    let app = spawn(RegistrationMode::InitialAccessToken).await;
    let token = create_token(&app, &["--uses", "2"]);
    let (status, body, _) =
        post(&app, Some(&token), &json!({"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["token_endpoint_auth_method"], "none");
    assert!(body.get("client_secret").is_none() && body.get("client_secret_expires_at").is_none(), "{body}");
    assert_eq!(body["grant_types"], json!(["authorization_code"]), "RFC 7591 §2 default");
    let jwks = json!({"keys": [{"kty": "EC", "crv": "P-256", "use": "sig",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]});
    let (status, body, _) = post(
        &app,
        Some(&token),
        &json!({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt", "jwks": jwks,
                "scope": "orders:read"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body.get("client_secret").is_none(), "{body}");
    assert_eq!(body["jwks"], jwks);
    assert_eq!(body["scope"], "orders:read");
    assert_eq!(body["response_types"], json!([]));
}

/// `registration = "open"`: no token needed, and registrations from one address are rate-limited (503).
#[actix_web::test]
async fn open_registration_needs_no_token_and_is_rate_limited_per_address() {
    let app = spawn(RegistrationMode::Open).await;
    let (status, body, _) = post(&app, None, &web_app()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mut refused = 0;
    for _ in 0..20 {
        let (status, _, _) = post(&app, None, &web_app()).await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            refused += 1;
        } else {
            assert_eq!(status, StatusCode::CREATED);
        }
    }
    assert!(refused > 0, "21 registrations at once from one address are not all accepted");
}

/// `registration = "off"` (the default): no endpoint (404), and discovery does not list one.
#[actix_web::test]
async fn registration_off_has_no_endpoint() {
    let app = spawn_app().await;
    let token = create_token(&app, &[]);
    let (status, _, _) = post(&app, Some(&token), &web_app()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = manage(reqwest::Method::GET, &app.url("/oauth/register/anything"), Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let discovery: Value =
        reqwest::get(app.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert!(discovery.get("registration_endpoint").is_none(), "{discovery}");
    let on = spawn(RegistrationMode::InitialAccessToken).await;
    let discovery: Value =
        reqwest::get(on.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert_eq!(discovery["registration_endpoint"], on.url("/oauth/register"));
}

/// RFC 7592 §2: GET reads, PUT replaces under the same rules (200), DELETE removes (204), each with the
/// registration access token; a wrong token, or a token for another client, a CLI client or no client at all, is
/// 401 invalid_token alike.
#[actix_web::test]
async fn a_registration_is_read_replaced_and_deleted_with_its_access_token() {
    let app = spawn(RegistrationMode::Open).await;
    app.add_client("cli-app", ClientOptions::default());
    let (_, first, _) = post(&app, None, &web_app()).await;
    let (_, second, _) = post(&app, None, &web_app()).await;
    let uri = first["registration_client_uri"].as_str().unwrap().to_owned();
    let token = first["registration_access_token"].as_str().unwrap().to_owned();
    let client_id = first["client_id"].as_str().unwrap().to_owned();

    let (status, read, _) = manage(reqwest::Method::GET, &uri, Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    for key in ["client_id", "client_id_issued_at", "redirect_uris", "client_name", "grant_types", "policy_uri"] {
        assert_eq!(read[key], first[key], "{key}");
    }
    assert_eq!(read["registration_client_uri"], uri);
    assert!(read.get("client_secret").is_none(), "the secret is kept only as a hash");

    let other_token = second["registration_access_token"].as_str().unwrap();
    let refusals = [
        (uri.clone(), None, "no token"),
        (uri.clone(), Some("wrong"), "a wrong token"),
        (uri.clone(), Some(other_token), "another client's token"),
        (app.url("/oauth/register/cli-app"), Some(token.as_str()), "a client registered by the CLI"),
        (app.url("/oauth/register/no-such-client"), Some(token.as_str()), "no such client"),
    ];
    for (target, with, what) in &refusals {
        let (status, body, challenge) = manage(reqwest::Method::GET, target, *with, None).await;
        assert_unauthorized(status, &body, challenge, what);
    }

    let mut update = web_app();
    update["client_id"] = json!(client_id);
    update["client_name"] = json!("Renamed App");
    update["redirect_uris"] = json!(["https://app.example.com/new-callback"]);
    let (status, replaced, _) = manage(reqwest::Method::PUT, &uri, Some(&token), Some(&update)).await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    assert_eq!(replaced["client_name"], "Renamed App");
    assert_eq!(replaced["redirect_uris"], json!(["https://app.example.com/new-callback"]));
    let (_, read, _) = manage(reqwest::Method::GET, &uri, Some(&token), None).await;
    assert_eq!(read["client_name"], "Renamed App", "stored");

    let mut bad = update.clone();
    bad["redirect_uris"] = json!(["http://app.example.com/cb"]);
    let (status, body, _) = manage(reqwest::Method::PUT, &uri, Some(&token), Some(&bad)).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_redirect_uri")));
    let mut no_id = update.clone();
    no_id.as_object_mut().unwrap().remove("client_id");
    let (status, body, _) = manage(reqwest::Method::PUT, &uri, Some(&token), Some(&no_id)).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_client_metadata")));
    let mut wrong_secret = update.clone();
    wrong_secret["client_secret"] = json!("not-the-secret");
    let (status, body, _) = manage(reqwest::Method::PUT, &uri, Some(&token), Some(&wrong_secret)).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_client_metadata")));
    let mut right_secret = update.clone();
    right_secret["client_secret"] = first["client_secret"].clone();
    let (status, body, _) = manage(reqwest::Method::PUT, &uri, Some(&token), Some(&right_secret)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut public = update.clone();
    public["token_endpoint_auth_method"] = json!("none");
    let (status, body, _) = manage(reqwest::Method::PUT, &uri, Some(&token), Some(&public)).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_client_metadata")));
    let (status, body, challenge) = manage(reqwest::Method::PUT, &uri, Some(other_token), Some(&update)).await;
    assert_unauthorized(status, &body, challenge, "PUT with another client's token");
    let (status, body, challenge) = manage(reqwest::Method::DELETE, &uri, Some(other_token), None).await;
    assert_unauthorized(status, &body, challenge, "DELETE with another client's token");

    // The client works until it is deleted, then neither it nor its registration exists.
    let credentials = |id: &str, secret: &str| {
        reqwest::Client::new().post(app.url("/oauth/token")).basic_auth(id, Some(secret)).form(&[
            ("grant_type", "authorization_code"),
            ("code", "nothing"),
            ("redirect_uri", REDIRECT),
        ])
    };
    let secret = first["client_secret"].as_str().unwrap();
    let before = credentials(&client_id, secret).send().await.unwrap();
    assert_eq!(before.status(), StatusCode::BAD_REQUEST, "authenticated; the code is what is wrong");
    let (status, _, _) = manage(reqwest::Method::DELETE, &uri, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let after = credentials(&client_id, secret).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED, "the client is gone");
    let (status, body, challenge) = manage(reqwest::Method::GET, &uri, Some(&token), None).await;
    assert_unauthorized(status, &body, challenge, "a deleted registration");
}

/// `tessera export` / `import` move a registered client with its registration access token's hash (RFC 7592), so
/// its owner can still read, replace and delete it after a move; without that record the token would name nothing.
#[actix_web::test]
async fn a_registration_moves_with_an_export() {
    use tessera::storage::{ExportRecord, Transfer};
    let app = spawn(RegistrationMode::Open).await;
    let (status, registered, _) = post(&app, None, &web_app()).await;
    assert_eq!(status, StatusCode::CREATED, "{registered}");
    let client_id = registered["client_id"].as_str().expect("client_id").to_owned();
    let token = registered["registration_access_token"].as_str().expect("token").to_owned();
    let mut records = app.state.provider.db.export_records().expect("export");
    assert!(
        records.iter().any(|r| matches!(r, ExportRecord::Registration { client_id: id, access_token_hash, .. }
            if *id == client_id && !access_token_hash.contains(&token))),
        "the registration is exported, as a hash: {records:?}"
    );
    // The target keeps its own signing keys; the registration needs none.
    records.retain(|r| !matches!(r, ExportRecord::Key { .. }));

    let moved = spawn(RegistrationMode::Open).await;
    moved.state.provider.db.import_records(&records).expect("import");
    let uri = moved.url(&format!("/oauth/register/{client_id}"));
    let (status, read, _) = manage(reqwest::Method::GET, &uri, Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read["client_id"], client_id.as_str());
    assert_eq!(read["client_name"], "Registered App");
    let (status, _, _) = manage(reqwest::Method::GET, &uri, Some("another-token"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = manage(reqwest::Method::DELETE, &uri, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "its owner can still delete it");
}
