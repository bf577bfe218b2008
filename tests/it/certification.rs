//! The OpenID Foundation certification modules (Basic OP, Config OP, Form Post OP, RP-Initiated Logout OP) that no
//! other file covers, one test each, named after the module. Modules tested elsewhere carry the module name in a
//! doc comment on their test; README.md maps every module of the four plans to its test.
//!
//! The relying party is the `openidconnect` crate (discovery, ID token signature via the JWKS, iss, aud, azp, exp,
//! nonce, at_hash, userinfo), driving the browser stand-in of the shared helpers. Like the suite's Basic plan, the
//! client is confidential, uses client_secret_basic and sends no PKCE (it is registered with PKCE optional). The
//! Form Post plan runs the same modules with response_mode=form_post, so the flow tests run once per mode, the
//! form_post run reading code, state and iss from the auto-submitting form.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreIdTokenClaims, CoreProviderMetadata,
    CoreTokenResponse, CoreTokenType, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, NonceVerifier, OAuth2TokenResponse, RedirectUrl, RefreshToken, RequestTokenError,
    Scope, TokenResponse,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera::domain::RedirectUri;
use tessera::domain::{KeyState, SigningAlg};
use tessera::keys::{SigningKey, generate_key, sign_jwt};
use tessera::storage::ClientStore;

use crate::helpers::jwt_part;
use crate::helpers::{
    ClientOptions, PASSWORD, TestApp, TestClient, VERIFIER, browser, exchange_code, form_field, location, obtain_code,
    open_page, spawn_app, spawn_app_with, submit_consent, submit_login, without_params,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Query,
    FormPost,
}

/// The Basic plan runs with the default response mode, the Form Post plan with response_mode=form_post.
const MODES: [Mode; 2] = [Mode::Query, Mode::FormPost];

/// Where the relying party of the logout modules asks to be sent back.
const POST_LOGOUT: &str = "https://rp.example/post_logout_redirect";

/// The `openidconnect` client as built from discovery (authorization endpoint set, token and userinfo discovered).
type Rp = CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// A server with the user alice, a confidential client `rp` (no PKCE, client_secret_basic) and its relying party.
struct Op {
    app: TestApp,
    client: TestClient,
    rp: Rp,
    http: reqwest::Client,
}

/// What came back to the redirect URI (from the query or from the form_post page), and the pages shown on the way.
struct Callback {
    params: Vec<(String, String)>,
    pages: Vec<String>,
}

impl Callback {
    fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn asked_for_password(&self) -> bool {
        self.pages.iter().any(|page| page.contains("name=\"password\""))
    }
}

/// A completed flow: the token response, the verified ID token claims and the callback.
struct Signed {
    tokens: CoreTokenResponse,
    claims: CoreIdTokenClaims,
    callback: Callback,
}

/// Every `<input type="hidden">` of a page, in order.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once("\" value=\"")?;
            Some((name.to_owned(), rest.split_once('"')?.0.to_owned()))
        })
        .collect()
}

/// `url` with the query parameter `name` set to `value` (replacing it when present).
fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    let mut pairs: Vec<(String, String)> =
        parsed.query_pairs().filter(|(k, _)| k != name).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    pairs.push((name.to_owned(), value.to_owned()));
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

fn timestamp(claims: &CoreIdTokenClaims) -> i64 {
    claims.auth_time().expect("auth_time in the ID token").timestamp()
}

/// RFC 6749 §5.2 / §4.1.2.1: error_description, when present, is %x20-21 / %x23-5B / %x5D-7E (the suite checks).
fn valid_description(description: Option<&str>) -> bool {
    description.is_none_or(|d| d.bytes().all(|c| matches!(c, 0x20..=0x21 | 0x23..=0x5b | 0x5d..=0x7e)))
}

/// OpenID Connect Core §3.1.2.6: the errors that say a user interface was needed.
fn needs_interaction(callback: &Callback) -> bool {
    callback.get("code").is_none()
        && valid_description(callback.get("error_description"))
        && matches!(
            callback.get("error"),
            Some("login_required" | "interaction_required" | "consent_required" | "account_selection_required")
        )
}

impl Op {
    async fn start() -> Op {
        let app = spawn_app().await;
        app.add_user("alice");
        let client = app.add_client("rp", ClientOptions { pkce_optional: true, ..ClientOptions::default() });
        // OAuth clients do not follow redirects.
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let metadata =
            CoreProviderMetadata::discover_async(IssuerUrl::new(app.base.clone()).unwrap(), &http).await.unwrap();
        let rp = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(client.id.clone()),
            client.secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(RedirectUrl::new(client.redirect_uri.clone()).unwrap());
        Op { app, client, rp, http }
    }

    /// The relying party's authorization URL: scope openid (plus `scope` in `extra`), random state (unless `state` is
    /// in `extra`) and nonce, the other `extra` parameters, and response_mode=form_post in that mode.
    fn auth_url(&self, mode: Mode, extra: &[(&str, &str)]) -> (String, CsrfToken, Nonce) {
        let state = extra.iter().find(|(k, _)| *k == "state").map(|(_, v)| CsrfToken::new((*v).to_owned()));
        let mut request = self.rp.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || state.unwrap_or_else(CsrfToken::new_random),
            Nonce::new_random,
        );
        for (name, value) in extra {
            request = match *name {
                "scope" => {
                    request.add_scopes(value.split(' ').filter(|s| *s != "openid").map(|s| Scope::new(s.into())))
                }
                "state" => request,
                _ => request.add_extra_param(*name, *value),
            };
        }
        if mode == Mode::FormPost {
            request = request.add_extra_param("response_mode", "form_post");
        }
        let (url, state, nonce) = request.url();
        (url.to_string(), state, nonce)
    }

    /// Follows the browser from the authorization endpoint's `response` through the login and consent pages (as
    /// alice, allowing) to what the client receives.
    async fn walk(&self, b: &reqwest::Client, mut response: reqwest::Response, mode: Mode) -> Callback {
        let mut pages = Vec::new();
        for _ in 0..4 {
            match response.status() {
                StatusCode::SEE_OTHER => {
                    let to = location(&response);
                    if !to.starts_with("/interaction/") {
                        assert_eq!(mode, Mode::Query, "form_post answers with a page, never a redirect: {to}");
                        assert!(to.starts_with(&self.client.redirect_uri), "{to}");
                        let url = url::Url::parse(&to).unwrap();
                        let params = url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
                        return Callback { params, pages };
                    }
                    let (page_url, html) = open_page(b, &self.app, &to).await;
                    response = if html.contains("name=\"password\"") {
                        submit_login(b, &page_url, &html, "alice", PASSWORD).await
                    } else {
                        submit_consent(b, &page_url, &html, "allow").await
                    };
                    pages.push(html);
                }
                StatusCode::OK => {
                    assert_eq!(mode, Mode::FormPost, "only form_post answers the client with a page");
                    let html = response.text().await.unwrap();
                    let form = format!("<form method=\"post\" action=\"{}\">", self.client.redirect_uri);
                    assert!(html.contains(&form), "{html}");
                    return Callback { params: hidden_fields(&html), pages };
                }
                status => panic!("{status} in the middle of the authorization flow"),
            }
        }
        panic!("too many interaction steps");
    }

    /// Sends the browser to `url` and checks that state and iss (RFC 9207) come back.
    async fn run(&self, b: &reqwest::Client, mode: Mode, url: &str, state: &CsrfToken) -> Callback {
        let callback = self.walk(b, b.get(url).send().await.unwrap(), mode).await;
        assert_eq!(callback.get("state"), Some(state.secret().as_str()), "{:?}", callback.params);
        assert_eq!(callback.get("iss"), Some(self.app.base.as_str()));
        callback
    }

    /// Redeems the callback's code with client_secret_basic and verifies the ID token.
    async fn finish(&self, callback: Callback, nonce: impl NonceVerifier) -> Signed {
        let code = callback.get("code").unwrap_or_else(|| panic!("no code: {:?}", callback.params));
        let tokens = self
            .rp
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .unwrap()
            .request_async(&self.http)
            .await
            .expect("code exchange");
        assert_eq!(*tokens.token_type(), CoreTokenType::Bearer);
        assert!(tokens.expires_in().is_some());
        let claims = self.verify(&tokens, nonce);
        Signed { tokens, claims, callback }
    }

    /// The relying party's checks: signature (kid in the JWKS), iss, aud, exp, nonce; then at_hash and azp.
    fn verify(&self, tokens: &CoreTokenResponse, nonce: impl NonceVerifier) -> CoreIdTokenClaims {
        let id_token = tokens.id_token().expect("an ID token");
        let verifier = self.rp.id_token_verifier();
        let claims = id_token.claims(&verifier, nonce).expect("the ID token verifies").clone();
        let alg = id_token.signing_alg().unwrap();
        let hash = AccessTokenHash::from_token(tokens.access_token(), alg, id_token.signing_key(&verifier).unwrap());
        assert_eq!(claims.access_token_hash(), Some(&hash.unwrap()), "at_hash");
        assert_eq!(claims.authorized_party().map(|a| a.as_str()), Some(self.client.id.as_str()));
        claims
    }

    /// A whole authorization code flow in `mode`.
    async fn sign_in(&self, b: &reqwest::Client, mode: Mode, extra: &[(&str, &str)]) -> Signed {
        let (url, state, nonce) = self.auth_url(mode, extra);
        let callback = self.run(b, mode, &url, &state).await;
        self.finish(callback, &nonce).await
    }

    /// Userinfo with the access token in the header (GET), checked against the ID token's subject.
    async fn userinfo(&self, signed: &Signed) -> CoreUserInfoClaims {
        let request = self.rp.user_info(signed.tokens.access_token().clone(), Some(signed.claims.subject().clone()));
        request.unwrap().request_async(&self.http).await.expect("userinfo")
    }

    async fn userinfo_status(&self, access_token: &str) -> StatusCode {
        self.http.get(self.app.url("/userinfo")).bearer_auth(access_token).send().await.unwrap().status()
    }

    /// A prompt=none request: what the client hears from a browser that may or may not be signed in.
    async fn silently(&self, b: &reqwest::Client) -> Callback {
        let (url, state, _) = self.auth_url(Mode::Query, &[("prompt", "none")]);
        self.run(b, Mode::Query, &url, &state).await
    }

    fn register_post_logout_redirect_uri(&self) {
        let mut client = self.app.state.provider.db.find_client(&self.client.id).unwrap().unwrap().client;
        client.post_logout_redirect_uris = vec![RedirectUri::parse(POST_LOGOUT).unwrap()];
        self.app.state.provider.db.update_client(&client).unwrap();
    }

    /// The end-session endpoint with these query parameters.
    async fn logout(&self, b: &reqwest::Client, params: &[(&str, &str)]) -> reqwest::Response {
        b.get(self.app.url("/oauth/logout")).query(params).send().await.unwrap()
    }
}

/// The authentication request succeeds with these extra parameters, in both response modes, from a fresh browser.
async fn accepted(extra: &[(&str, &str)]) {
    let op = Op::start().await;
    for mode in MODES {
        let b = browser();
        let signed = op.sign_in(&b, mode, extra).await;
        assert!(signed.callback.asked_for_password(), "a fresh browser signs in");
        op.userinfo(&signed).await;
    }
}

/// The server's clock moves by `seconds` (the test clock moves only when told, so no test sleeps).
fn wait(op: &Op, seconds: i64) {
    op.app.advance(seconds);
}

/// Redeems an already redeemed code: invalid_grant (JSON, 400), and the first access token no longer works.
async fn assert_reuse_is_refused_and_revokes(op: &Op, signed: &Signed) {
    let code = signed.callback.get("code").unwrap();
    let again = op
        .http
        .post(op.app.url("/oauth/token"))
        .basic_auth(&op.client.id, op.client.secret.as_deref())
        .form(&[("grant_type", "authorization_code"), ("code", code), ("redirect_uri", &op.client.redirect_uri)])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant", "{body}");
    assert!(valid_description(body["error_description"].as_str()), "{body}");
    let access = signed.tokens.access_token().secret();
    assert_eq!(op.userinfo_status(access).await, StatusCode::UNAUTHORIZED, "RFC 6749 §4.1.2: tokens revoked");
}

// ---------------------------------------------------------------------------------------------------------------
// Basic OP (and Form Post OP: the same modules with response_mode=form_post)
// ---------------------------------------------------------------------------------------------------------------

/// oidcc-server: the code flow end to end, the ID token verified, the access token accepted by userinfo.
#[actix_web::test]
async fn oidcc_server() {
    let op = Op::start().await;
    for mode in MODES {
        let signed = op.sign_in(&browser(), mode, &[]).await;
        assert_eq!(signed.claims.issuer().as_str(), op.app.base);
        let userinfo = op.userinfo(&signed).await;
        assert_eq!(userinfo.subject(), signed.claims.subject());
    }
}

/// oidcc-response-type-missing: an error back to the client (or an error page), never a code.
#[actix_web::test]
async fn oidcc_response_type_missing() {
    let op = Op::start().await;
    let (url, state, _) = op.auth_url(Mode::Query, &[]);
    let callback = op.run(&browser(), Mode::Query, &without_params(&url, "response_type"), &state).await;
    assert!(matches!(callback.get("error"), Some("invalid_request" | "unsupported_response_type")));
    assert!(valid_description(callback.get("error_description")));
    assert!(callback.get("code").is_none());
}

/// oidcc-idtoken-signature (and oidcc-idtoken-rs256 of the Dynamic plan): without asking for an algorithm, the ID
/// token is RS256, with a kid published in the JWKS.
#[actix_web::test]
async fn oidcc_idtoken_signature() {
    let op = Op::start().await;
    let signed = op.sign_in(&browser(), Mode::Query, &[]).await;
    let header = jwt_part(&signed.tokens.id_token().unwrap().to_string(), 0);
    assert_eq!(header["alg"], "RS256");
    let jwks: Value = op.http.get(op.app.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    let key = jwks["keys"].as_array().unwrap().iter().find(|k| k["kid"] == header["kid"]).expect("kid in the JWKS");
    assert_eq!((&key["kty"], &key["alg"], &key["use"]), (&json!("RSA"), &json!("RS256"), &json!("sig")));
}

/// oidcc-idtoken-unsigned: skipped by the suite when discovery does not offer `none`, which it must not: ID tokens
/// are always signed.
#[actix_web::test]
async fn oidcc_idtoken_unsigned() {
    let op = Op::start().await;
    let doc: Value =
        op.http.get(op.app.url("/.well-known/openid-configuration")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["id_token_signing_alg_values_supported"], json!(["RS256"]));
    for (name, values) in doc.as_object().unwrap().iter().filter(|(k, _)| k.ends_with("_alg_values_supported")) {
        assert!(!values.as_array().unwrap().iter().any(|v| v.as_str().unwrap().eq_ignore_ascii_case("none")), "{name}");
    }
    let signed = op.sign_in(&browser(), Mode::Query, &[]).await;
    assert_eq!(jwt_part(&signed.tokens.id_token().unwrap().to_string(), 0)["alg"], "RS256");
}

/// oidcc-userinfo-post-header: POST to userinfo with the token in the Authorization header.
#[actix_web::test]
async fn oidcc_userinfo_post_header() {
    let op = Op::start().await;
    let signed = op.sign_in(&browser(), Mode::Query, &[("scope", "openid email")]).await;
    let response =
        op.http.post(op.app.url("/userinfo")).bearer_auth(signed.tokens.access_token().secret()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["sub"], signed.claims.subject().as_str());
    assert_eq!(body["email"], "alice@example.com");
}

/// oidcc-ensure-request-without-nonce-succeeds-for-code-flow: nonce is optional in the code flow; the ID token then
/// has none.
#[actix_web::test]
async fn oidcc_ensure_request_without_nonce_succeeds_for_code_flow() {
    let op = Op::start().await;
    for mode in MODES {
        let (url, state, _) = op.auth_url(mode, &[]);
        let callback = op.run(&browser(), mode, &without_params(&url, "nonce"), &state).await;
        let no_nonce = |n: Option<&Nonce>| n.map_or(Ok(()), |_| Err("a nonce nobody sent".to_owned()));
        op.finish(callback, no_nonce).await;
    }
}

/// oidcc-ensure-other-scope-order-succeeds: `scope=email openid` (RFC 6749 §3.3: order does not matter).
#[actix_web::test]
async fn oidcc_ensure_other_scope_order_succeeds() {
    let op = Op::start().await;
    let b = browser();
    for mode in MODES {
        let (url, state, nonce) = op.auth_url(mode, &[("scope", "openid email")]);
        let callback = op.run(&b, mode, &with_param(&url, "scope", "email openid"), &state).await;
        let signed = op.finish(callback, &nonce).await;
        assert_eq!(op.userinfo(&signed).await.email().map(|e| e.as_str()), Some("alice@example.com"));
    }
}

/// oidcc-display-page
#[actix_web::test]
async fn oidcc_display_page() {
    accepted(&[("display", "page")]).await;
}

/// oidcc-display-popup
#[actix_web::test]
async fn oidcc_display_popup() {
    accepted(&[("display", "popup")]).await;
}

/// oidcc-prompt-login: a signed-in user asked again for the password; the new ID token has a later auth_time.
#[actix_web::test]
async fn oidcc_prompt_login() {
    let op = Op::start().await;
    for mode in MODES {
        let b = browser();
        let first = op.sign_in(&b, mode, &[]).await;
        wait(&op, 1);
        let second = op.sign_in(&b, mode, &[("prompt", "login")]).await;
        assert!(second.callback.asked_for_password());
        assert_eq!(second.claims.subject(), first.claims.subject());
        assert!(timestamp(&second.claims) > timestamp(&first.claims), "auth_time differs");
    }
}

/// oidcc-prompt-none-not-logged-in: login_required, with a long state returned intact.
#[actix_web::test]
async fn oidcc_prompt_none_not_logged_in() {
    let op = Op::start().await;
    let long_state: String = (0..128).map(|i| char::from(b"abcXYZ019-_"[i % 11])).collect();
    for mode in MODES {
        let (url, state, _) = op.auth_url(mode, &[("prompt", "none"), ("state", &long_state)]);
        let callback = op.run(&browser(), mode, &url, &state).await;
        assert!(needs_interaction(&callback), "{:?}", callback.params);
        assert!(callback.pages.is_empty(), "prompt=none shows no page");
    }
}

/// oidcc-prompt-none-logged-in: no page at all; same subject and auth_time as the first login.
#[actix_web::test]
async fn oidcc_prompt_none_logged_in() {
    let op = Op::start().await;
    for mode in MODES {
        let b = browser();
        let first = op.sign_in(&b, mode, &[]).await;
        let second = op.sign_in(&b, mode, &[("prompt", "none")]).await;
        assert!(second.callback.pages.is_empty());
        assert_eq!(second.claims.subject(), first.claims.subject());
        assert_eq!(timestamp(&second.claims), timestamp(&first.claims));
    }
}

/// oidcc-max-age-1: after more than a second, max_age=1 asks for the password again; auth_time is returned and
/// later than the first one. The suite waits 2 s; here the server's clock is moved 2 s instead.
#[actix_web::test]
async fn oidcc_max_age_1() {
    let op = Op::start().await;
    for mode in MODES {
        let b = browser();
        let first = op.sign_in(&b, mode, &[]).await;
        wait(&op, 2);
        let second = op.sign_in(&b, mode, &[("max_age", "1")]).await;
        assert!(second.callback.asked_for_password(), "re-authentication");
        assert!(timestamp(&second.claims) > timestamp(&first.claims));
        assert_eq!(timestamp(&second.claims), op.app.now(), "auth_time is recent");
    }
}

/// oidcc-max-age-10000: a recent enough login is reused silently; auth_time (returned because of max_age) and sub
/// match the first ID token's.
#[actix_web::test]
async fn oidcc_max_age_10000() {
    let op = Op::start().await;
    for mode in MODES {
        let b = browser();
        let first = op.sign_in(&b, mode, &[("max_age", "15000")]).await;
        let second = op.sign_in(&b, mode, &[("max_age", "10000")]).await;
        assert!(second.callback.pages.is_empty(), "no login page");
        assert_eq!(second.claims.subject(), first.claims.subject());
        assert_eq!(timestamp(&second.claims), timestamp(&first.claims));
    }
}

/// oidcc-ensure-request-with-unknown-parameter-succeeds (RFC 6749 §3.1: unknown parameters are ignored).
#[actix_web::test]
async fn oidcc_ensure_request_with_unknown_parameter_succeeds() {
    accepted(&[("extra", "foobar")]).await;
}

/// oidcc-login-hint: the hint does no harm, and prefills the username.
#[actix_web::test]
async fn oidcc_login_hint() {
    let op = Op::start().await;
    for mode in MODES {
        let signed = op.sign_in(&browser(), mode, &[("login_hint", "alice")]).await;
        assert!(signed.callback.pages[0].contains("name=\"username\" type=\"text\""));
        assert!(signed.callback.pages[0].contains("value=\"alice\""), "prefilled");
    }
}

/// oidcc-ui-locales
#[actix_web::test]
async fn oidcc_ui_locales() {
    accepted(&[("ui_locales", "se")]).await;
}

/// oidcc-claims-locales
#[actix_web::test]
async fn oidcc_claims_locales() {
    accepted(&[("claims_locales", "se")]).await;
}

/// oidcc-ensure-request-with-acr-values-succeeds
#[actix_web::test]
async fn oidcc_ensure_request_with_acr_values_succeeds() {
    accepted(&[("acr_values", "1 2")]).await;
}

/// oidcc-codereuse, Form Post variant (the query variant is token.rs). The code read from the auto-submitting form
/// works once; a second use fails and revokes the tokens of the first.
#[actix_web::test]
async fn oidcc_codereuse_form_post() {
    let op = Op::start().await;
    let signed = op.sign_in(&browser(), Mode::FormPost, &[]).await;
    assert_eq!(op.userinfo_status(signed.tokens.access_token().secret()).await, StatusCode::OK);
    assert_reuse_is_refused_and_revokes(&op, &signed).await;
}

/// oidcc-codereuse-30seconds: a code reused 30 s after its first use is refused and revokes the first use's access
/// token. The code lives 60 s, so it is still unexpired then: the refusal is about reuse. No test sleeps 30 s: the
/// server's clock is moved 30 s.
#[actix_web::test]
async fn oidcc_codereuse_30seconds() {
    let op = Op::start().await;
    for mode in MODES {
        let signed = op.sign_in(&browser(), mode, &[]).await;
        wait(&op, 30);
        assert_eq!(op.userinfo_status(signed.tokens.access_token().secret()).await, StatusCode::OK, "still valid");
        assert_reuse_is_refused_and_revokes(&op, &signed).await;
    }
}

/// oidcc-ensure-post-request-succeeds: the authorization request POSTed as a form, through to the redirect URI.
#[actix_web::test]
async fn oidcc_ensure_post_request_succeeds() {
    let op = Op::start().await;
    for mode in MODES {
        let b = browser();
        let (url, state, nonce) = op.auth_url(mode, &[]);
        let url = url::Url::parse(&url).unwrap();
        let form: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
        let response = b.post(op.app.url("/oauth/authorize")).form(&form).send().await.unwrap();
        let callback = op.walk(&b, response, mode).await;
        assert_eq!(callback.get("state"), Some(state.secret().as_str()));
        op.finish(callback, &nonce).await;
    }
}

/// An unsigned (alg none) request object with the parameters of a normal request, and the registered redirect URI.
fn unsigned_request_object(op: &Op, redirect_uri: &str) -> String {
    let claims = json!({
        "iss": op.client.id, "aud": op.app.base, "client_id": op.client.id, "response_type": "code",
        "redirect_uri": redirect_uri, "scope": "openid", "state": "in-the-object", "nonce": "n-0S6_WzA2Mj",
    });
    format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode(claims.to_string()))
}

/// oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported: request objects are not supported,
/// discovery says so, and one sent anyway gets request_not_supported, never a code from its ignored content.
#[actix_web::test]
async fn oidcc_unsigned_request_object_supported_correctly_or_rejected_as_unsupported() {
    let op = Op::start().await;
    let doc: Value =
        op.http.get(op.app.url("/.well-known/openid-configuration")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["request_parameter_supported"], false);
    let b = browser();
    op.sign_in(&b, Mode::Query, &[]).await; // signed in, so ignoring the object would yield a code
    let request = unsigned_request_object(&op, &op.client.redirect_uri);
    let outer = [("request", request.as_str()), ("response_type", "code"), ("client_id", "rp"), ("scope", "openid")];
    let response = b
        .get(op.app.url("/oauth/authorize"))
        .query(&outer)
        .query(&[("redirect_uri", &op.client.redirect_uri)])
        .send()
        .await
        .unwrap();
    let callback = op.walk(&b, response, Mode::Query).await;
    assert_eq!(callback.get("error"), Some("request_not_supported"));
    assert_eq!(callback.get("state"), None, "state was only inside the object");
    assert!(callback.get("code").is_none());
}

/// oidcc-ensure-request-object-with-redirect-uri: the registered redirect URI only inside the request object, an
/// unregistered one outside. Request objects are not processed, so the outside URI is the one checked: our own
/// error page, never a redirect to it.
#[actix_web::test]
async fn oidcc_ensure_request_object_with_redirect_uri() {
    let op = Op::start().await;
    let request = unsigned_request_object(&op, &op.client.redirect_uri);
    let params = [
        ("request", request.as_str()),
        ("response_type", "code"),
        ("client_id", "rp"),
        ("scope", "openid"),
        ("redirect_uri", "https://rp.example/not-registered"),
    ];
    let response = browser().get(op.app.url("/oauth/authorize")).query(&params).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("location").is_none());
    assert!(response.text().await.unwrap().contains("redirect_uri is not registered"));
}

/// oidcc-refresh-token: refresh tokens are VSCHAR strings; a refresh gives a working access token and an ID token
/// with the same iss, sub, aud, azp and auth_time and no other nonce (OpenID Connect Core §12.2); a refresh token
/// issued to another client is refused.
#[actix_web::test]
async fn oidcc_refresh_token() {
    let op = Op::start().await;
    for mode in MODES {
        let first = op.sign_in(&browser(), mode, &[("scope", "openid email")]).await;
        let refresh = first.tokens.refresh_token().expect("a refresh token");
        assert!(refresh.secret().bytes().all(|c| (0x20..=0x7e).contains(&c)), "RFC 6749 Appendix A.17");
        wait(&op, 1);
        let refreshed = op.rp.exchange_refresh_token(refresh).unwrap().request_async(&op.http).await.unwrap();
        let nonce = first.claims.nonce().cloned();
        let claims = op.verify(&refreshed, |n: Option<&Nonce>| match n {
            Some(n) if Some(n.secret()) != nonce.as_ref().map(|n| n.secret()) => Err("another nonce".to_owned()),
            _ => Ok(()),
        });
        assert_eq!(claims.issuer(), first.claims.issuer());
        assert_eq!(claims.subject(), first.claims.subject());
        assert_eq!(claims.audiences(), first.claims.audiences());
        assert_eq!(timestamp(&claims), timestamp(&first.claims), "auth_time of the original authentication");
        assert!(claims.issue_time() > first.claims.issue_time());
        assert_eq!(op.userinfo_status(refreshed.access_token().secret()).await, StatusCode::OK);
        assert!(refreshed.refresh_token().is_some_and(|r| r.secret() != refresh.secret()), "rotated");
    }
    // A second client's refresh token, presented by the first client.
    let other = op.app.add_client("rp2", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let code = obtain_code(&op.app, &other, "alice").await;
    let body: Value = exchange_code(&op.app, &other, &code, VERIFIER).await.json().await.unwrap();
    let foreign = RefreshToken::new(body["refresh_token"].as_str().unwrap().to_owned());
    match op.rp.exchange_refresh_token(&foreign).unwrap().request_async(&op.http).await {
        Err(RequestTokenError::ServerResponse(e)) => assert_eq!(*e.error(), CoreErrorResponseType::InvalidGrant),
        other => panic!("expected invalid_grant, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Config OP
// ---------------------------------------------------------------------------------------------------------------

/// oidcc-discovery-endpoint-verification: the document parses for an RP, names the required endpoints and values,
/// the JWKS holds public keys only, and with an https issuer every endpoint is https.
#[actix_web::test]
async fn oidcc_discovery_endpoint_verification() {
    let op = Op::start().await; // the openidconnect crate has discovered and accepted the document already
    let response = op.http.get(op.app.url("/.well-known/openid-configuration")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["issuer"], op.app.base.as_str());
    for (name, path) in [
        ("authorization_endpoint", "/oauth/authorize"),
        ("token_endpoint", "/oauth/token"),
        ("userinfo_endpoint", "/userinfo"),
        ("jwks_uri", "/.well-known/jwks.json"),
    ] {
        assert_eq!(doc[name], op.app.url(path), "{name}");
    }
    let has = |name: &str, value: &str| doc[name].as_array().unwrap().contains(&json!(value));
    assert!(has("response_types_supported", "code") && has("grant_types_supported", "authorization_code"));
    assert!(has("scopes_supported", "openid") && has("id_token_signing_alg_values_supported", "RS256"));
    assert!(has("subject_types_supported", "public") && has("claims_supported", "sub"));
    assert!(doc["scopes_supported"].as_array().unwrap().iter().all(|s| !s.as_str().unwrap().contains(' ')));
    assert!(doc["code_challenge_methods_supported"].is_array());
    for flag in ["request_parameter_supported", "request_uri_parameter_supported", "claims_parameter_supported"] {
        assert!(doc[flag].is_boolean(), "{flag}");
    }
    let jwks: Value = op.http.get(op.app.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert!(!keys.is_empty());
    for key in keys {
        assert!(key["kty"] == "RSA" && key["kid"].is_string() && key["n"].is_string() && key["e"].is_string());
        for private in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
            assert!(key.get(private).is_none(), "private member {private} published");
        }
    }
    let kids: std::collections::HashSet<_> = keys.iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(kids.len(), keys.len(), "unique kids");

    let behind_tls = spawn_app_with(|s| s.issuer = "https://id.example.test".into()).await;
    let doc: Value =
        reqwest::get(behind_tls.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert_eq!(doc["issuer"], "https://id.example.test");
    for (name, value) in doc.as_object().unwrap().iter().filter(|(k, _)| k.ends_with("_endpoint") || *k == "jwks_uri") {
        assert!(value.as_str().unwrap().starts_with("https://id.example.test/"), "{name}: {value}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// RP-Initiated Logout OP
// ---------------------------------------------------------------------------------------------------------------

/// A server whose client registered POST_LOGOUT, and a browser signed in to it: (op, browser, raw ID token).
async fn signed_in_for_logout() -> (Op, reqwest::Client, String) {
    let op = Op::start().await;
    op.register_post_logout_redirect_uri();
    let b = browser();
    let signed = op.sign_in(&b, Mode::Query, &[]).await;
    assert!(!needs_interaction(&op.silently(&b).await));
    (op, b, signed.tokens.id_token().unwrap().to_string())
}

/// The OP refused to act on the request without the user: no redirect back, an error or a confirmation page, and
/// the session is still there.
async fn assert_not_honoured(op: &Op, b: &reqwest::Client, response: reqwest::Response) {
    assert!(response.headers().get("location").is_none(), "redirected to {}", location(&response));
    let status = response.status();
    let html = response.text().await.unwrap();
    assert!(status == StatusCode::BAD_REQUEST || (status == StatusCode::OK && html.contains("Sign out?")), "{html}");
    assert!(!needs_interaction(&op.silently(b).await), "the session survives");
}

/// oidcc-rp-initiated-logout-discovery-endpoint-verification: end_session_endpoint is advertised (https behind
/// TLS) and answers.
#[actix_web::test]
async fn oidcc_rp_initiated_logout_discovery_endpoint_verification() {
    let app = spawn_app_with(|s| s.issuer = "https://id.example.test".into()).await;
    let doc: Value = reqwest::get(app.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert_eq!(doc["end_session_endpoint"], "https://id.example.test/oauth/logout");
    let response = reqwest::get(app.url("/oauth/logout")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "nobody signed in: nothing to do");
}

/// oidcc-rp-initiated-logout-bad-id-token-hint: an id_token_hint signed by someone else (its own kid, or ours) is an
/// error, never a redirect, and logs nobody out.
#[actix_web::test]
async fn oidcc_rp_initiated_logout_bad_id_token_hint() {
    let (op, b, id_token) = signed_in_for_logout().await;
    let foreign = generate_key(SigningAlg::RS256, KeyState::Current, op.app.now()).unwrap();
    let our_kid = jwt_part(&id_token, 0)["kid"].as_str().unwrap().to_owned();
    for kid in [foreign.kid.as_str(), our_kid.as_str()] {
        let key = SigningKey::from_pkcs8(kid, SigningAlg::RS256, &foreign.private_key).unwrap();
        let fake = sign_jwt(&key, "JWT", &jwt_part(&id_token, 1)).unwrap();
        let params = [("id_token_hint", fake.as_str()), ("post_logout_redirect_uri", POST_LOGOUT), ("state", "s")];
        let response = op.logout(&b, &params).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_not_honoured(&op, &b, response).await;
    }
}

/// oidcc-rp-initiated-logout-modified-id-token-hint: our own ID token turned into alg none (signature dropped) is
/// not a hint to trust.
#[actix_web::test]
async fn oidcc_rp_initiated_logout_modified_id_token_hint() {
    let (op, b, id_token) = signed_in_for_logout().await;
    let payload = id_token.split('.').nth(1).unwrap();
    for header in [r#"{"alg":"none"}"#, r#"{"alg":"none","typ":"JWT"}"#] {
        let modified = format!("{}.{payload}.", URL_SAFE_NO_PAD.encode(header));
        let params = [("id_token_hint", modified.as_str()), ("post_logout_redirect_uri", POST_LOGOUT), ("state", "s")];
        assert_not_honoured(&op, &b, op.logout(&b, &params).await).await;
    }
}

/// oidcc-rp-initiated-logout-no-id-token-hint: a post_logout_redirect_uri without a hint is not followed without
/// asking: an error without client_id (nothing to check the URI against), a confirmation with it; once the user
/// confirms, the session ends and the browser goes back with state.
#[actix_web::test]
async fn oidcc_rp_initiated_logout_no_id_token_hint() {
    let (op, b, _) = signed_in_for_logout().await;
    let response = op.logout(&b, &[("post_logout_redirect_uri", POST_LOGOUT), ("state", "s-1")]).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_not_honoured(&op, &b, response).await;

    let params = [("client_id", "rp"), ("post_logout_redirect_uri", POST_LOGOUT), ("state", "s-2")];
    let page = op.logout(&b, &params).await.text().await.unwrap();
    assert!(page.contains("Sign out?"), "{page}");
    assert!(!needs_interaction(&op.silently(&b).await), "not before the user confirms");
    let confirmed = b.post(op.app.url("/oauth/logout")).form(&hidden_fields(&page)).send().await.unwrap();
    assert_eq!(location(&confirmed), format!("{POST_LOGOUT}?state=s-2"));
    assert!(needs_interaction(&op.silently(&b).await), "signed out");
}

/// oidcc-rp-initiated-logout-no-post-logout-redirect-uri: with a valid hint the user is logged out and sees our
/// signed-out page; nothing goes back to the client.
#[actix_web::test]
async fn oidcc_rp_initiated_logout_no_post_logout_redirect_uri() {
    let (op, b, id_token) = signed_in_for_logout().await;
    let response = op.logout(&b, &[("id_token_hint", &id_token), ("state", "s")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("location").is_none());
    assert!(response.text().await.unwrap().contains("You are signed out"));
    assert!(needs_interaction(&op.silently(&b).await), "prompt=none after logout");
}

/// oidcc-rp-initiated-logout-no-state: back to the registered URI exactly, with no state and nothing else.
#[actix_web::test]
async fn oidcc_rp_initiated_logout_no_state() {
    let (op, b, id_token) = signed_in_for_logout().await;
    let response = op.logout(&b, &[("id_token_hint", &id_token), ("post_logout_redirect_uri", POST_LOGOUT)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), POST_LOGOUT);
    assert!(needs_interaction(&op.silently(&b).await));
}

/// oidcc-rp-initiated-logout-only-state: no hint, so the user confirms; then signed out, on our page (there is no
/// URI to go back to, whatever state says).
#[actix_web::test]
async fn oidcc_rp_initiated_logout_only_state() {
    let (op, b, _) = signed_in_for_logout().await;
    let page = op.logout(&b, &[("state", "s")]).await.text().await.unwrap();
    assert!(page.contains("Sign out?"), "{page}");
    assert!(form_field(&page, "post_logout_redirect_uri").is_none());
    let confirmed = b.post(op.app.url("/oauth/logout")).form(&hidden_fields(&page)).send().await.unwrap();
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert!(confirmed.headers().get("location").is_none());
    assert!(confirmed.text().await.unwrap().contains("You are signed out"));
    assert!(needs_interaction(&op.silently(&b).await));
}
