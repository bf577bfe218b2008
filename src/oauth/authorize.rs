//! The authorization endpoint's protocol core (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2), in two phases.
//!
//! 1. [`verify_client_and_redirect`]: `client_id` and `redirect_uri`. Only it can build a [`VerifiedRedirect`];
//!    until one exists, errors are shown on our own page and never redirected (RFC 6749 §4.1.2.1: "the
//!    authorization server SHOULD inform the resource owner of the error and MUST NOT automatically redirect").
//! 2. [`validate_request`]: the rest. Its errors travel back to the client through the `VerifiedRedirect`, with
//!    `state` and `iss` (RFC 9207).
//!
//! Then [`decide`] says whether the user must log in, consent, or whether a code can be issued now.

use serde::{Deserialize, Serialize};
use url::Url;

use super::Params;
use super::pkce::CodeChallenge;
use crate::domain::{Client, OPENID, Scope};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oidc::claims::ClaimsRequest;
use crate::secrets::{random_token, token_hash};
use crate::storage::{ClientStore, GrantRecord, GrantStore, NewCode, Timestamp};

/// Scopes this server understands; others are dropped from the request (RFC 6749 §3.3).
pub const SUPPORTED_SCOPES: &[&str] = &["openid", "profile", "email", "address", "phone", "offline_access"];

/// How the authorization response travels back (OAuth 2.0 Multiple Response Type Encoding Practices §2.1, OAuth 2.0
/// Form Post Response Mode).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    /// In the redirect URI's query (the default for the code flow).
    #[default]
    Query,
    /// As a form the browser POSTs to the redirect URI.
    FormPost,
}

/// An authorization response (or error) for the browser to carry to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizationResponse {
    /// Redirect to this URL.
    Redirect(String),
    /// Auto-submit these fields to `action` with POST.
    FormPost { action: String, fields: Vec<(String, String)> },
}

/// A redirect URI that exactly matches one registered for the client, with the request's `state` and response
/// mode. Constructed only by phase 1 (or from a request that passed it), so an error can never be sent elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRedirect {
    uri: String,
    state: Option<String>,
    mode: ResponseMode,
}

impl VerifiedRedirect {
    /// The response carrying `params`, `state` and `iss` (RFC 9207 §2). In query mode the registered URI keeps its
    /// own query (RFC 6749 §4.1.2: "retain any existing query component").
    pub fn respond(&self, issuer: &str, params: &[(&str, &str)]) -> AuthorizationResponse {
        let mut fields: Vec<(String, String)> =
            params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        if let Some(state) = &self.state {
            fields.push(("state".into(), state.clone()));
        }
        fields.push(("iss".into(), issuer.to_owned()));
        match self.mode {
            ResponseMode::FormPost => AuthorizationResponse::FormPost { action: self.uri.clone(), fields },
            ResponseMode::Query => {
                let Ok(mut url) = Url::parse(&self.uri) else {
                    // Unreachable for a URI that passed registration; fall back to the bare URI rather than panic.
                    return AuthorizationResponse::Redirect(self.uri.clone());
                };
                url.query_pairs_mut().extend_pairs(&fields);
                AuthorizationResponse::Redirect(url.to_string())
            }
        }
    }

    /// An error response (RFC 6749 §4.1.2.1).
    pub fn error(&self, issuer: &str, error: &OAuthError) -> AuthorizationResponse {
        self.respond(issuer, &[("error", error.code.as_str()), ("error_description", error.description)])
    }

    pub fn uri(&self) -> &str {
        &self.uri
    }
}

/// Phase 1: the client exists and `redirect_uri` is one of its registered URIs, compared as exact strings.
/// OpenID Connect Core §3.1.2.1 makes `redirect_uri` required.
pub fn verify_client_and_redirect(
    store: &impl ClientStore,
    params: &Params,
) -> Result<(Client, VerifiedRedirect), Failure> {
    let client_id = params.required("client_id", "client_id is missing")?;
    let record = store
        .find_client(client_id)?
        .ok_or_else(|| OAuthError::invalid_request("unknown client").with_detail(format!("client_id {client_id:?}")))?;
    let requested = params.required("redirect_uri", "redirect_uri is missing")?;
    if record.client.find_redirect_uri(requested).is_none() {
        return Err(OAuthError::invalid_request("redirect_uri is not registered for this client").into());
    }
    // The response goes to the requested URI, which matched a registered one exactly (or, for a loopback one, on
    // every part but the port). An unknown response_mode falls back to query, where check_response_mode reports it.
    let mode =
        if params.get("response_mode") == Some("form_post") { ResponseMode::FormPost } else { ResponseMode::Query };
    let verified = VerifiedRedirect { uri: requested.to_owned(), state: params.get("state").map(str::to_owned), mode };
    Ok((record.client, verified))
}

/// OpenID Connect Core §3.1.2.1 `prompt`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    pub none: bool,
    pub login: bool,
    pub consent: bool,
}

/// A request that passed both phases, parked while the user logs in or consents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    #[serde(default)]
    pub response_mode: ResponseMode,
    /// Space-separated, only supported scopes, always containing `openid`.
    pub scope: String,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    pub prompt: Prompt,
    pub max_age: Option<i64>,
    pub login_hint: Option<String>,
    /// The subject of a verified `id_token_hint`, or of `sub` requested with a value in the `claims` parameter:
    /// the user the client expects to be signed in.
    #[serde(default)]
    pub expected_subject: Option<String>,
    /// The supported claims named in the `claims` parameter (OpenID Connect Core §5.5).
    #[serde(default, skip_serializing_if = "ClaimsRequest::is_empty")]
    pub claims: ClaimsRequest,
}

impl AuthorizationRequest {
    /// The redirect of a request that went through phase 1 when it was first received.
    pub fn redirect(&self) -> VerifiedRedirect {
        VerifiedRedirect { uri: self.redirect_uri.clone(), state: self.state.clone(), mode: self.response_mode }
    }

    pub fn scope(&self) -> Result<Scope, OAuthError> {
        Scope::parse(&self.scope).map_err(|_| OAuthError::new(ErrorCode::InvalidScope, "invalid scope"))
    }

    /// What the user consents to: the scope, plus the scope values whose claims the `claims` parameter asks for
    /// (asking for `email` by name releases what the `email` scope would, so it needs the same consent).
    pub fn consent_scope(&self) -> Result<Scope, OAuthError> {
        let implied: Vec<&str> = self.claims.implied_scopes().into_iter().collect();
        let scope = self.scope()?;
        if implied.is_empty() {
            return Ok(scope);
        }
        Scope::parse(&format!("{scope} {}", implied.join(" ")))
            .map_err(|_| OAuthError::new(ErrorCode::InvalidScope, "invalid scope"))
    }
}

/// Phase 2: everything but client and redirect URI, in the order of OpenID Connect Core §3.1.2.2.
pub fn validate_request(
    client: &Client,
    redirect: &VerifiedRedirect,
    params: &Params,
) -> Result<AuthorizationRequest, OAuthError> {
    check_request_objects(params)?;
    check_response_type(params)?;
    check_client_may_use_code(client)?;
    check_response_mode(params)?;
    let scope = check_scope(params)?;
    let code_challenge = check_pkce(client, params)?;
    let prompt = check_prompt(params)?;
    let scope = check_offline_access(scope, client, prompt);
    let max_age = check_max_age(params)?;
    let (claims, claimed_subject) = check_claims(params)?;
    Ok(AuthorizationRequest {
        client_id: client.id.as_str().to_owned(),
        redirect_uri: redirect.uri.clone(),
        state: redirect.state.clone(),
        response_mode: redirect.mode,
        scope: scope.to_string(),
        code_challenge: code_challenge.map(|c| c.as_str().to_owned()),
        nonce: params.get("nonce").map(str::to_owned),
        prompt,
        max_age,
        login_hint: params.get("login_hint").map(str::to_owned),
        expected_subject: claimed_subject,
        claims,
    })
}

/// OpenID Connect Core §6: we support neither request objects; saying so beats silently ignoring them
/// (§3.1.2.6 `request_not_supported`, `request_uri_not_supported`).
fn check_request_objects(params: &Params) -> Result<(), OAuthError> {
    if params.get("request").is_some() {
        return Err(OAuthError::new(ErrorCode::RequestNotSupported, "the request parameter is not supported"));
    }
    if params.get("request_uri").is_some() {
        return Err(OAuthError::new(ErrorCode::RequestUriNotSupported, "the request_uri parameter is not supported"));
    }
    Ok(())
}

/// RFC 6749 §4.1.1: `response_type` REQUIRED, "code".
fn check_response_type(params: &Params) -> Result<(), OAuthError> {
    match params.get("response_type") {
        None => Err(OAuthError::invalid_request("response_type is missing")),
        Some("code") => Ok(()),
        Some(_) => Err(OAuthError::new(ErrorCode::UnsupportedResponseType, "only response_type=code is supported")),
    }
}

/// RFC 6749 §4.1.2.1 unauthorized_client: "The client is not authorized to request an authorization code using
/// this method" (a client registered for client_credentials only).
fn check_client_may_use_code(client: &Client) -> Result<(), OAuthError> {
    if client.may_use(crate::domain::GrantType::AuthorizationCode) {
        Ok(())
    } else {
        Err(OAuthError::new(ErrorCode::UnauthorizedClient, "this client may not use the authorization code flow"))
    }
}

/// OAuth 2.0 Multiple Response Type Encoding Practices §2.1 and Form Post Response Mode: `query` or `form_post`
/// (`fragment` would put the code where scripts and the Referer header can read it).
fn check_response_mode(params: &Params) -> Result<(), OAuthError> {
    match params.get("response_mode") {
        None | Some("query") | Some("form_post") => Ok(()),
        Some(_) => Err(OAuthError::invalid_request("unsupported response_mode")),
    }
}

/// OpenID Connect Core §3.1.2.1: `scope` REQUIRED and MUST contain `openid`.
fn check_scope(params: &Params) -> Result<Scope, OAuthError> {
    // RFC 6749 §3.3: without a default scope, a missing scope fails "indicating an invalid scope".
    let raw = params.get("scope").ok_or_else(|| OAuthError::new(ErrorCode::InvalidScope, "scope is missing"))?;
    let scope = Scope::parse(raw).map_err(|_| OAuthError::new(ErrorCode::InvalidScope, "scope is malformed"))?;
    if !scope.contains(OPENID) {
        return Err(OAuthError::new(ErrorCode::InvalidScope, "scope must contain openid"));
    }
    Ok(scope.intersect(SUPPORTED_SCOPES))
}

/// OpenID Connect Core §11: "the Authorization Server MUST ensure that the prompt parameter contains consent
/// unless other conditions for processing the request permitting offline access to the requested resources are
/// in place" (here: a first-party client registered with skip_consent); otherwise offline_access is ignored.
/// An offline grant outlives the browser session: logging out does not end it.
fn check_offline_access(scope: Scope, client: &Client, prompt: Prompt) -> Scope {
    if !scope.contains("offline_access") || prompt.consent || client.skip_consent {
        return scope;
    }
    let kept: Vec<&str> = scope.iter().filter(|s| *s != "offline_access").collect();
    scope.intersect(&kept)
}

/// RFC 9700 §2.1.1: PKCE for public clients always, for confidential clients unless the client was registered
/// with PKCE optional; a challenge that is sent is always enforced, S256 only.
fn check_pkce(client: &Client, params: &Params) -> Result<Option<CodeChallenge>, OAuthError> {
    let challenge = CodeChallenge::parse(params.get("code_challenge"), params.get("code_challenge_method"))?;
    if challenge.is_none() && client.requires_pkce() {
        return Err(OAuthError::invalid_request("code_challenge is required (PKCE with S256)"));
    }
    Ok(challenge)
}

/// OpenID Connect Core §3.1.2.1: "If this parameter contains none with any other value, an error is returned."
fn check_prompt(params: &Params) -> Result<Prompt, OAuthError> {
    let mut prompt = Prompt::default();
    let Some(raw) = params.get("prompt") else { return Ok(prompt) };
    for value in raw.split(' ').filter(|v| !v.is_empty()) {
        match value {
            "none" => prompt.none = true,
            "login" => prompt.login = true,
            "consent" => prompt.consent = true,
            // Tessera has one account per browser session; the login page is the account chooser.
            "select_account" => prompt.login = true,
            _ => return Err(OAuthError::invalid_request("unsupported prompt value")),
        }
    }
    if prompt.none && (prompt.login || prompt.consent) {
        return Err(OAuthError::invalid_request("prompt=none cannot be combined with other values"));
    }
    Ok(prompt)
}

/// OpenID Connect Core §3.1.2.1 `max_age`: a non-negative number of seconds.
fn check_max_age(params: &Params) -> Result<Option<i64>, OAuthError> {
    params
        .get("max_age")
        .map(|raw| {
            raw.parse::<u32>()
                .map(i64::from)
                .map_err(|_| OAuthError::invalid_request("max_age must be a non-negative integer"))
        })
        .transpose()
}

/// OpenID Connect Core §5.5 `claims`: a JSON object whose `userinfo` and `id_token` members name claims, each
/// with null or a request object. Malformed: invalid_request (§3.1.2.6). Returns the supported claims asked for
/// and the subject if `sub` is asked for with a value (§5.5.1).
fn check_claims(params: &Params) -> Result<(ClaimsRequest, Option<String>), OAuthError> {
    let Some(raw) = params.get("claims") else { return Ok((ClaimsRequest::default(), None)) };
    ClaimsRequest::parse(raw)
        .map_err(|e| OAuthError::invalid_request("the claims parameter is malformed").with_detail(e.to_string()))
}

/// Who is signed in, as far as this request is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authentication {
    pub user_id: String,
    pub auth_time: Timestamp,
    /// True when the password was entered during this very request, so prompt=login and max_age are satisfied.
    pub fresh: bool,
    /// The browser session's `sid`, recorded with the grant (logout ends the grants of a session).
    pub session_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Login,
    Consent(Authentication),
    Issue(Authentication),
    /// An error to send back to the client (prompt=none could not be satisfied).
    Refuse(OAuthError),
}

/// What happens next, from the request, the session and the stored consent.
pub fn decide(
    request: &AuthorizationRequest,
    client: &Client,
    authentication: Option<Authentication>,
    granted_scope: Option<&Scope>,
    now: Timestamp,
) -> Decision {
    let authentication = authentication.filter(|auth| {
        auth.fresh
            || (!request.prompt.login
                && request.max_age.is_none_or(|max_age| now - auth.auth_time <= max_age)
                // OpenID Connect Core §3.1.2.1 id_token_hint: a session of another user does not count (with
                // prompt=none that is login_required; otherwise the user signs in again).
                && request.expected_subject.as_ref().is_none_or(|sub| *sub == auth.user_id))
    });
    let Some(authentication) = authentication else {
        // OpenID Connect Core §3.1.2.1 prompt=none: "The Authorization Server MUST NOT display any authentication
        // or consent user interface pages. An error is returned if an End-User is not already authenticated".
        return if request.prompt.none {
            Decision::Refuse(OAuthError::new(ErrorCode::LoginRequired, "the user is not signed in"))
        } else {
            Decision::Login
        };
    };
    // OpenID Connect Core §5.5.1: "The Authorization Server MUST NOT reply with an ID Token or Access Token for a
    // different user" than the one the client named (claims sub value or id_token_hint), not even after a fresh
    // login as someone else.
    if request.expected_subject.as_ref().is_some_and(|sub| *sub != authentication.user_id) {
        return Decision::Refuse(OAuthError::new(ErrorCode::LoginRequired, "signed in as another user than requested"));
    }
    let consented = client.skip_consent
        || (!request.prompt.consent
            && granted_scope
                .is_some_and(|granted| request.consent_scope().is_ok_and(|requested| requested.is_subset_of(granted))));
    if consented {
        Decision::Issue(authentication)
    } else if request.prompt.none {
        Decision::Refuse(OAuthError::new(ErrorCode::ConsentRequired, "the user has not consented"))
    } else {
        Decision::Consent(authentication)
    }
}

/// Issues an authorization code (RFC 6749 §4.1.2) and returns the response that carries it.
/// 256 random bits, stored hashed, single use, bound to client, redirect_uri, PKCE challenge, nonce, scope,
/// user and auth_time through its grant.
pub fn issue_code(
    store: &impl GrantStore,
    request: &AuthorizationRequest,
    authentication: &Authentication,
    issuer: &str,
    now: Timestamp,
    code_ttl_secs: i64,
) -> Result<AuthorizationResponse, Failure> {
    let code = random_token(32);
    let grant = GrantRecord {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: authentication.user_id.clone(),
        client_id: request.client_id.clone(),
        scope: request.scope.clone(),
        nonce: request.nonce.clone(),
        auth_time: authentication.auth_time,
        revoked: false,
        session_id: authentication.session_id.clone(),
        claims: request.claims.to_stored(),
    };
    let new_code = NewCode {
        code_hash: token_hash(code.expose()),
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
        expires_at: now + code_ttl_secs,
    };
    store.issue_code(&grant, &new_code, now)?;
    Ok(request.redirect().respond(issuer, &[("code", code.expose())]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ClientId, ClientKind, PkcePolicy, RedirectUri};

    fn client() -> Client {
        Client::new(
            ClientId::parse("app").unwrap(),
            "App".into(),
            ClientKind::Confidential,
            vec![RedirectUri::parse("https://app.example/cb?x=1").unwrap()],
        )
    }

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()))).unwrap()
    }

    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn valid() -> Vec<(&'static str, &'static str)> {
        vec![
            ("response_type", "code"),
            ("scope", "openid email unknown"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ]
    }

    fn redirect() -> VerifiedRedirect {
        VerifiedRedirect {
            uri: "https://app.example/cb?x=1".into(),
            state: Some("s t&".into()),
            mode: ResponseMode::Query,
        }
    }

    #[test]
    fn offline_access_needs_prompt_consent_or_a_first_party_client() {
        let mut p = valid();
        p.retain(|(k, _)| *k != "scope");
        p.push(("scope", "openid offline_access"));
        assert_eq!(validate_request(&client(), &redirect(), &params(&p)).unwrap().scope, "openid");
        p.push(("prompt", "consent"));
        assert_eq!(validate_request(&client(), &redirect(), &params(&p)).unwrap().scope, "offline_access openid");
        p.pop();
        let mut first_party = client();
        first_party.skip_consent = true;
        assert_eq!(validate_request(&first_party, &redirect(), &params(&p)).unwrap().scope, "offline_access openid");
    }

    #[test]
    fn a_valid_request_keeps_only_supported_scopes() {
        let req = validate_request(&client(), &redirect(), &params(&valid())).unwrap();
        assert_eq!(req.scope, "email openid");
        assert_eq!(req.code_challenge.as_deref(), Some(CHALLENGE));
    }

    #[test]
    fn phase_two_errors() {
        let cases: &[(&str, Option<&str>, ErrorCode)] = &[
            ("response_type", Some("token"), ErrorCode::UnsupportedResponseType),
            ("response_type", None, ErrorCode::InvalidRequest),
            ("scope", Some("email"), ErrorCode::InvalidScope),
            ("scope", None, ErrorCode::InvalidScope),
            ("code_challenge", None, ErrorCode::InvalidRequest),
            ("code_challenge_method", Some("plain"), ErrorCode::InvalidRequest),
        ];
        for (name, value, expected) in cases {
            let mut p: Vec<(&str, &str)> = valid().into_iter().filter(|(k, _)| k != name).collect();
            if let Some(v) = value {
                p.push((name, v));
            }
            let err = validate_request(&client(), &redirect(), &params(&p)).unwrap_err();
            assert_eq!(err.code, *expected, "{name}={value:?}");
        }
        let mut p = valid();
        p.push(("prompt", "none login"));
        assert_eq!(validate_request(&client(), &redirect(), &params(&p)).unwrap_err().code, ErrorCode::InvalidRequest);
        let mut p = valid();
        p.push(("max_age", "-1"));
        assert_eq!(validate_request(&client(), &redirect(), &params(&p)).unwrap_err().code, ErrorCode::InvalidRequest);
        for claims in ["{", "[]", r#"{"userinfo": ["email"]}"#, r#"{"id_token": {"email": {"essential": 1}}}"#] {
            let mut p = valid();
            p.push(("claims", claims));
            let err = validate_request(&client(), &redirect(), &params(&p)).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidRequest, "claims={claims}");
        }
        let mut p = valid();
        p.push(("request", "eyJ..."));
        assert_eq!(
            validate_request(&client(), &redirect(), &params(&p)).unwrap_err().code,
            ErrorCode::RequestNotSupported
        );
    }

    #[test]
    fn the_claims_parameter_is_kept_and_widens_what_needs_consent() {
        let mut p = valid();
        p.push((
            "claims",
            r#"{"userinfo": {"phone_number": {"essential": true}, "acr": null},
                              "id_token": {"sub": {"value": "u"}, "given_name": null}}"#,
        ));
        let req = validate_request(&client(), &redirect(), &params(&p)).unwrap();
        assert_eq!(req.claims.userinfo, ["phone_number".to_owned()].into());
        assert_eq!(req.claims.id_token, ["given_name".to_owned()].into());
        assert_eq!(req.expected_subject.as_deref(), Some("u"), "OpenID Connect Core §5.5.1 sub value");
        assert_eq!(req.scope, "email openid", "the scope itself is unchanged");
        assert_eq!(req.consent_scope().unwrap().to_string(), "email openid phone profile");
        // A consent to the scope alone does not cover the claims asked for by name.
        let c = client();
        let scope_only = Scope::parse("openid email").unwrap();
        assert!(matches!(decide(&req, &c, auth(0, false), Some(&scope_only), 100), Decision::Consent(_)));
        let wider = Scope::parse("openid email phone profile").unwrap();
        assert!(matches!(decide(&req, &c, auth(0, false), Some(&wider), 100), Decision::Issue(_)));
        // The subject requested with a value must be the one signed in.
        let mut other = req.clone();
        other.expected_subject = Some("someone-else".into());
        assert_eq!(decide(&other, &c, auth(0, false), Some(&wider), 100), Decision::Login);
    }

    #[test]
    fn pkce_can_be_optional_for_confidential_clients_only() {
        let mut c = client();
        c.pkce = PkcePolicy::Optional;
        let p: Vec<_> = valid().into_iter().filter(|(k, _)| !k.starts_with("code_challenge")).collect();
        assert!(validate_request(&c, &redirect(), &params(&p)).unwrap().code_challenge.is_none());
        c.kind = ClientKind::Public;
        assert!(validate_request(&c, &redirect(), &params(&p)).is_err());
    }

    #[test]
    fn locations_keep_the_registered_query_and_carry_state_and_iss() {
        let loc = redirect().respond("https://id.example", &[("code", "abc")]);
        assert_eq!(
            loc,
            AuthorizationResponse::Redirect(
                "https://app.example/cb?x=1&code=abc&state=s+t%26&iss=https%3A%2F%2Fid.example".into()
            )
        );
        let form = VerifiedRedirect { mode: ResponseMode::FormPost, ..redirect() }
            .respond("https://id.example", &[("code", "abc")]);
        assert_eq!(
            form,
            AuthorizationResponse::FormPost {
                action: "https://app.example/cb?x=1".into(),
                fields: vec![
                    ("code".into(), "abc".into()),
                    ("state".into(), "s t&".into()),
                    ("iss".into(), "https://id.example".into())
                ],
            }
        );
    }

    fn request(prompt: Prompt, max_age: Option<i64>) -> AuthorizationRequest {
        let mut r = validate_request(&client(), &redirect(), &params(&valid())).unwrap();
        r.prompt = prompt;
        r.max_age = max_age;
        r
    }

    fn auth(auth_time: Timestamp, fresh: bool) -> Option<Authentication> {
        Some(Authentication { user_id: "u".into(), auth_time, fresh, session_id: None })
    }

    #[test]
    fn decisions() {
        let granted = Scope::parse("openid email profile").unwrap();
        let none = Prompt { none: true, ..Prompt::default() };
        let login = Prompt { login: true, ..Prompt::default() };
        let consent = Prompt { consent: true, ..Prompt::default() };
        let c = client();
        let r = request(Prompt::default(), None);
        assert_eq!(decide(&r, &c, None, None, 100), Decision::Login);
        assert!(matches!(decide(&r, &c, auth(0, false), None, 100), Decision::Consent(_)));
        assert!(matches!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::Issue(_)));
        let narrower = Scope::parse("openid").unwrap();
        assert!(matches!(decide(&r, &c, auth(0, false), Some(&narrower), 100), Decision::Consent(_)));
        // prompt=none
        let r = request(none, None);
        assert!(matches!(decide(&r, &c, None, None, 100), Decision::Refuse(e) if e.code == ErrorCode::LoginRequired));
        assert!(
            matches!(decide(&r, &c, auth(0, false), None, 100), Decision::Refuse(e) if e.code == ErrorCode::ConsentRequired)
        );
        assert!(matches!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::Issue(_)));
        // prompt=login asks again unless the login just happened
        let r = request(login, None);
        assert_eq!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::Login);
        assert!(matches!(decide(&r, &c, auth(100, true), Some(&granted), 100), Decision::Issue(_)));
        // max_age
        let r = request(Prompt::default(), Some(60));
        assert_eq!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::Login);
        assert!(matches!(decide(&r, &c, auth(50, false), Some(&granted), 100), Decision::Issue(_)));
        // prompt=consent asks again even with a stored consent; skip_consent never asks
        let r = request(consent, None);
        assert!(matches!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::Consent(_)));
        let mut trusted = client();
        trusted.skip_consent = true;
        assert!(matches!(decide(&r, &trusted, auth(0, false), None, 100), Decision::Issue(_)));
        // id_token_hint naming another user: that session does not count.
        let mut hinted = request(Prompt::default(), None);
        hinted.expected_subject = Some("someone-else".into());
        assert_eq!(decide(&hinted, &c, auth(0, false), Some(&granted), 100), Decision::Login);
        hinted.prompt = none;
        let refused = decide(&hinted, &c, auth(0, false), Some(&granted), 100);
        assert!(matches!(refused, Decision::Refuse(e) if e.code == ErrorCode::LoginRequired));
        hinted.expected_subject = Some("u".into());
        assert!(matches!(decide(&hinted, &c, auth(0, false), Some(&granted), 100), Decision::Issue(_)));
        // Even a fresh login as someone else gets no code for the named user's client.
        hinted.prompt = Prompt::default();
        hinted.expected_subject = Some("someone-else".into());
        let fresh = decide(&hinted, &c, auth(100, true), Some(&granted), 100);
        assert!(matches!(fresh, Decision::Refuse(e) if e.code == ErrorCode::LoginRequired));
    }
}
