//! Phase 2 of the authorization endpoint: everything but client and redirect URI, in the order of OpenID Connect
//! Core §3.1.2.2, ending with the `id_token_hint`. Its errors travel back to the client through the
//! [`VerifiedRedirect`] of phase 1.

use super::redirect::VerifiedRedirect;
use crate::domain::{
    ACR_VALUES, AcrRequest, AuthorizationRequest, ClaimsRequest, Client, CodeChallenge, GrantType, OFFLINE_ACCESS,
    OPENID, Prompt, Resource, Scope,
};
use crate::error::{ErrorCode, OAuthError};
use crate::keys::KeyStore;
use crate::oauth::pkce::parse_challenge;
use crate::oauth::resource::{check_resource, grantable_scope};
use crate::oidc::id_token::verify_id_token_hint;
use crate::params::Params;

/// Phase 2 whole: the parameters (`resources` are the registered APIs), then the `id_token_hint`, which must name
/// an ID token we issued to this client.
pub fn check_request(
    client: &Client,
    redirect: &VerifiedRedirect,
    params: &Params,
    resources: &[Resource],
    keys: &KeyStore,
    issuer: &str,
) -> Result<AuthorizationRequest, OAuthError> {
    let mut request = validate_request(client, redirect, params, resources)?;
    if let Some(hint) = params.get("id_token_hint") {
        request.expected_subject = Some(check_id_token_hint(client, &request, hint, keys, issuer)?);
    }
    Ok(request)
}

/// OpenID Connect Core §3.1.2.1 `id_token_hint`: an ID token we issued (expired or not) to this client; its subject
/// is the user the client expects. The claims parameter may name a subject too (§5.5.1): both must agree.
fn check_id_token_hint(
    client: &Client,
    request: &AuthorizationRequest,
    hint: &str,
    keys: &KeyStore,
    issuer: &str,
) -> Result<String, OAuthError> {
    let invalid = || OAuthError::invalid_request("id_token_hint is not a valid ID token");
    let hint = verify_id_token_hint(keys, hint, issuer).map_err(|e| invalid().with_detail(e.to_string()))?;
    if hint.client_id != client.id.as_str() {
        return Err(invalid().with_detail("aud"));
    }
    if request.expected_subject.as_ref().is_some_and(|claimed| *claimed != hint.subject) {
        return Err(OAuthError::invalid_request("id_token_hint and the claims parameter name different users"));
    }
    Ok(hint.subject)
}

/// Phase 2: everything but client and redirect URI, in the order of OpenID Connect Core §3.1.2.2.
pub fn validate_request(
    client: &Client,
    redirect: &VerifiedRedirect,
    params: &Params,
    resources: &[Resource],
) -> Result<AuthorizationRequest, OAuthError> {
    check_request_objects(params)?;
    check_response_type(params)?;
    check_client_may_use_code(client)?;
    check_response_mode(params)?;
    check_stored_lengths(params)?;
    let resource = check_resource(params.get("resource"), resources)?;
    let scope = check_scope(params, client, resource.as_ref(), resources)?;
    let code_challenge = check_pkce(client, params)?;
    let prompt = check_prompt(params)?;
    let scope = check_offline_access(scope, client, prompt);
    let max_age = check_max_age(params)?;
    let (claims, claimed_subject) = check_claims(params)?;
    Ok(AuthorizationRequest {
        client_id: client.id.clone(),
        redirect_uri: redirect.uri().to_owned(),
        state: redirect.state().map(str::to_owned),
        response_mode: redirect.mode(),
        scope,
        code_challenge,
        nonce: params.get("nonce").map(str::to_owned),
        prompt,
        max_age,
        login_hint: params.get("login_hint").map(str::to_owned),
        expected_subject: claimed_subject,
        claims,
        resource: resource.map(|r| r.id),
        ui_locales: params.get("ui_locales").map(str::to_owned),
        acr: check_acr(params)?,
        device: None,
        dpop_jkt: check_dpop_jkt(params)?,
    })
}

/// RFC 9449 §10 `dpop_jkt`: "the JWK SHA-256 Thumbprint ... of the proof-of-possession key" the code will be bound
/// to: base64url of 32 bytes (43 characters).
fn check_dpop_jkt(params: &Params) -> Result<Option<String>, OAuthError> {
    let Some(jkt) = params.get("dpop_jkt") else { return Ok(None) };
    let well_formed = jkt.len() == 43 && jkt.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !well_formed {
        return Err(OAuthError::invalid_request("dpop_jkt is not a JWK SHA-256 thumbprint"));
    }
    Ok(Some(jkt.to_owned()))
}

/// OpenID Connect Core §3.1.2.1 `acr_values` and §5.5.1.1 an `acr` requested in the ID token. "If this is an
/// Essential Claim and the requirement cannot be met, then the Authorization Server MUST treat that outcome as a
/// failed authentication attempt": an essential `acr` naming only values Tessera never issues is refused at once.
fn check_acr(params: &Params) -> Result<AcrRequest, OAuthError> {
    let claim = params.get("claims").and_then(ClaimsRequest::requested_acr);
    if let Some((values, true)) = &claim
        && !values.iter().any(|v| ACR_VALUES.contains(&v.as_str()))
    {
        return Err(OAuthError::new(ErrorCode::AccessDenied, "the essential acr requested cannot be met")
            .with_detail(values.join(" ")));
    }
    Ok(AcrRequest::from_request(params.get("acr_values"), claim))
}

/// The longest `state`, `nonce` or `login_hint` kept: they are stored with a parked request and echoed back, so a
/// request cannot make us store or reflect kilobytes.
pub const MAX_STORED_PARAM_LEN: usize = 512;

/// Values Tessera stores while the request is parked stay small (longer: invalid_request).
fn check_stored_lengths(params: &Params) -> Result<(), OAuthError> {
    for name in ["state", "nonce", "login_hint", "ui_locales"] {
        if params.get(name).is_some_and(|v| v.len() > MAX_STORED_PARAM_LEN) {
            return Err(
                OAuthError::invalid_request("state, nonce and login_hint have at most 512 bytes").with_detail(name)
            );
        }
    }
    Ok(())
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
    if client.may_use(GrantType::AuthorizationCode) {
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
/// RFC 6749 §3.3: the authorization server "MAY fully or partially ignore the scope requested": kept are the
/// OpenID Connect scopes, and the API scopes the client is registered for that fit the requested audience (RFC 8707:
/// a resource's scopes with its `resource`, unowned ones without); the rest is dropped.
fn check_scope(
    params: &Params,
    client: &Client,
    resource: Option<&Resource>,
    resources: &[Resource],
) -> Result<Scope, OAuthError> {
    // RFC 6749 §3.3: without a default scope, a missing scope fails "indicating an invalid scope".
    let raw = params.get("scope").ok_or_else(|| OAuthError::new(ErrorCode::InvalidScope, "scope is missing"))?;
    let scope = Scope::parse(raw).map_err(|_| OAuthError::new(ErrorCode::InvalidScope, "scope is malformed"))?;
    if !scope.contains(OPENID) {
        return Err(OAuthError::new(ErrorCode::InvalidScope, "scope must contain openid"));
    }
    Ok(grantable_scope(&scope, &client.scope, resource, resources))
}

/// OpenID Connect Core §11: "the Authorization Server MUST ensure that the prompt parameter contains consent
/// unless other conditions for processing the request permitting offline access to the requested resources are
/// in place" (here: a first-party client registered with skip_consent); otherwise offline_access is ignored.
/// An offline grant outlives the browser session: logging out does not end it.
fn check_offline_access(scope: Scope, client: &Client, prompt: Prompt) -> Scope {
    if !scope.contains(OFFLINE_ACCESS) || prompt.consent || client.skip_consent {
        return scope;
    }
    scope.retain(|s| s != OFFLINE_ACCESS)
}

/// RFC 9700 §2.1.1: PKCE for public clients always, for confidential clients unless the client was registered
/// with PKCE optional; a challenge that is sent is always enforced, S256 only.
fn check_pkce(client: &Client, params: &Params) -> Result<Option<CodeChallenge>, OAuthError> {
    let challenge = parse_challenge(params.get("code_challenge"), params.get("code_challenge_method"))?;
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::{ClientId, ClientKind, PkcePolicy, RedirectUri};
    use crate::oauth::authorize::redirect::verify_client_and_redirect;

    pub(crate) fn client() -> Client {
        Client::new(
            ClientId::parse("app").unwrap(),
            "App".into(),
            ClientKind::Confidential,
            vec![RedirectUri::parse("https://app.example/cb?x=1").unwrap()],
        )
    }

    pub(crate) fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()))).unwrap()
    }

    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    pub(crate) fn valid() -> Vec<(&'static str, &'static str)> {
        vec![
            ("response_type", "code"),
            ("scope", "openid email unknown"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ]
    }

    pub(crate) fn redirect() -> VerifiedRedirect {
        let p = params(&[("client_id", "app"), ("redirect_uri", "https://app.example/cb?x=1"), ("state", "s t&")]);
        verify_client_and_redirect(&OneClient, &p).unwrap().1
    }

    /// A client store holding [`client`].
    struct OneClient;

    impl crate::storage::ClientStore for OneClient {
        fn find_client(&self, id: &str) -> crate::storage::StorageResult<Option<crate::storage::ClientRecord>> {
            Ok((id == "app").then(|| crate::storage::ClientRecord {
                client: client(),
                secret_hash: Some("h".into()),
                previous_secret: None,
            }))
        }
        fn register_client(&self, _: &Client, _: Option<&str>, _: i64) -> crate::storage::StorageResult<()> {
            Ok(())
        }
        fn update_client(&self, _: &Client) -> crate::storage::StorageResult<bool> {
            Ok(false)
        }
        fn list_clients(&self) -> crate::storage::StorageResult<Vec<crate::storage::ClientRecord>> {
            Ok(vec![])
        }
        fn any_client_registered(&self) -> crate::storage::StorageResult<bool> {
            Ok(true)
        }
        fn remove_client(&self, _: &str) -> crate::storage::StorageResult<bool> {
            Ok(false)
        }
    }

    #[test]
    fn offline_access_needs_prompt_consent_or_a_first_party_client() {
        let mut p = valid();
        p.retain(|(k, _)| *k != "scope");
        p.push(("scope", "openid offline_access"));
        assert_eq!(validate_request(&client(), &redirect(), &params(&p), &[]).unwrap().scope.to_string(), "openid");
        p.push(("prompt", "consent"));
        assert_eq!(
            validate_request(&client(), &redirect(), &params(&p), &[]).unwrap().scope.to_string(),
            "offline_access openid"
        );
        p.pop();
        let mut first_party = client();
        first_party.skip_consent = true;
        assert_eq!(
            validate_request(&first_party, &redirect(), &params(&p), &[]).unwrap().scope.to_string(),
            "offline_access openid"
        );
    }

    #[test]
    fn a_valid_request_keeps_only_supported_scopes() {
        let req = validate_request(&client(), &redirect(), &params(&valid()), &[]).unwrap();
        assert_eq!(req.scope.to_string(), "email openid");
        assert_eq!(req.code_challenge.as_ref().map(CodeChallenge::as_str), Some(CHALLENGE));
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
            let err = validate_request(&client(), &redirect(), &params(&p), &[]).unwrap_err();
            assert_eq!(err.code, *expected, "{name}={value:?}");
        }
        let mut p = valid();
        p.push(("prompt", "none login"));
        assert_eq!(
            validate_request(&client(), &redirect(), &params(&p), &[]).unwrap_err().code,
            ErrorCode::InvalidRequest
        );
        let mut p = valid();
        p.push(("max_age", "-1"));
        assert_eq!(
            validate_request(&client(), &redirect(), &params(&p), &[]).unwrap_err().code,
            ErrorCode::InvalidRequest
        );
        for claims in ["{", "[]", r#"{"userinfo": ["email"]}"#, r#"{"id_token": {"email": {"essential": 1}}}"#] {
            let mut p = valid();
            p.push(("claims", claims));
            let err = validate_request(&client(), &redirect(), &params(&p), &[]).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidRequest, "claims={claims}");
        }
        let mut p = valid();
        p.push(("request", "eyJ..."));
        assert_eq!(
            validate_request(&client(), &redirect(), &params(&p), &[]).unwrap_err().code,
            ErrorCode::RequestNotSupported
        );
    }

    #[test]
    fn api_scopes_pass_when_the_client_has_them_and_they_fit_the_audience() {
        use crate::domain::ResourceId;
        let mut c = client();
        c.scope = Scope::parse("api:read reports").unwrap();
        let api = Resource {
            id: ResourceId::parse("https://api.example").unwrap(),
            scope: Scope::parse("api:read api:write").unwrap(),
            access_token_ttl_secs: None,
            access_token_signed_response_alg: None,
        };
        let resources = [api];
        let mut p: Vec<(&str, &str)> = valid().into_iter().filter(|(k, _)| *k != "scope").collect();
        p.push(("scope", "openid api:read api:write reports other"));
        // Without a resource: the API scope no resource owns, which the client has.
        let plain = validate_request(&c, &redirect(), &params(&p), &resources).unwrap();
        assert_eq!((plain.scope.to_string(), plain.resource), ("openid reports".to_owned(), None));
        p.push(("resource", "https://api.example"));
        let for_api = validate_request(&c, &redirect(), &params(&p), &resources).unwrap();
        assert_eq!(for_api.scope.to_string(), "api:read openid", "the resource's scope the client has, not api:write");
        assert_eq!(for_api.resource.as_ref().map(ResourceId::as_str), Some("https://api.example"));
        p.pop();
        p.push(("resource", "https://unknown.example"));
        let unknown = validate_request(&c, &redirect(), &params(&p), &resources).unwrap_err();
        assert_eq!(unknown.code, ErrorCode::InvalidTarget);
    }

    #[test]
    fn stored_values_stay_small() {
        let long = "s".repeat(MAX_STORED_PARAM_LEN + 1);
        for name in ["state", "nonce", "login_hint"] {
            let mut p = valid();
            p.push((name, &long));
            let err = validate_request(&client(), &redirect(), &params(&p), &[]).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidRequest, "{name}");
        }
        let mut p = valid();
        let fits = "s".repeat(MAX_STORED_PARAM_LEN);
        p.push(("nonce", &fits));
        assert!(validate_request(&client(), &redirect(), &params(&p), &[]).is_ok());
    }

    #[test]
    fn pkce_can_be_optional_for_confidential_clients_only() {
        let mut c = client();
        c.pkce = PkcePolicy::Optional;
        let p: Vec<_> = valid().into_iter().filter(|(k, _)| !k.starts_with("code_challenge")).collect();
        assert!(validate_request(&c, &redirect(), &params(&p), &[]).unwrap().code_challenge.is_none());
        c.kind = ClientKind::Public;
        assert!(validate_request(&c, &redirect(), &params(&p), &[]).is_err());
    }
}
