//! The device authorization grant, RFC 8628: the device authorization endpoint (§3.1, §3.2) and the user code
//! entered at `/device` (§3.3), which becomes a new way into the authorization transaction: the request is parked
//! behind the same sign-in steps and consent page as a browser's, and its outcome goes to the device's row.

use rand::Rng;
use serde::Serialize;

use crate::domain::{AuthorizationRequest, Client, ClientId, GrantType, Prompt, Resource, ResourceId, Scope};
use crate::error::{ErrorCode, Failure, InternalError, OAuthError};
use crate::oauth::client_auth::{ClientCredentials, authenticate_client};
use crate::oauth::provider::Provider;
use crate::oauth::resource::{check_resource, grantable_scope};
use crate::oauth::throttle::{Rule, WINDOW_SECS, address_group};
use crate::oidc::metadata::{DEVICE_AUTHORIZATION_PATH, DEVICE_PATH};
use crate::params::Params;
use crate::secrets::{SecretString, constant_time_eq, random_token, token_hash};
use crate::storage::{DeviceRecord, DeviceStore, ResourceStore, ThrottleStore};

/// RFC 8628 §6.1: "a limited character set ... that are readable and simple to type"; consonants only (no vowels,
/// so no words), 20 of them: 8 characters give 20^8 ≈ 2^34.6 codes, against a handful of guesses per address.
pub const USER_CODE_ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
pub const USER_CODE_LENGTH: usize = 8;
/// RFC 8628 §3.2 `interval`: "If no value is provided, clients MUST use 5 as the default."
pub const DEFAULT_INTERVAL_SECS: i64 = 5;
/// RFC 8628 §3.5 `slow_down`: "the interval MUST be increased by 5 seconds for this and all subsequent requests".
pub const SLOW_DOWN_SECS: i64 = 5;
/// RFC 8628 §5.1: user code entry is rate limited per address: 5 free wrong codes, then waits doubling from 2 s,
/// then 15 minutes after 10.
pub const USER_CODE_GUESSES: Rule = Rule { free_failures: 5, lock_after: 10, lock_secs: 15 * 60 };

/// RFC 8628 §3.2, answered with 200 and `no-store`.
#[derive(Debug, Serialize)]
pub struct DeviceAuthorization {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    pub expires_in: i64,
    pub interval: i64,
}

/// Eight characters of [`USER_CODE_ALPHABET`], each drawn uniformly from the OS CSPRNG.
fn draw_user_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..USER_CODE_LENGTH).map(|_| USER_CODE_ALPHABET[rng.gen_range(0..USER_CODE_ALPHABET.len())] as char).collect()
}

/// `BCDFGHJK` shown as `BCDF-GHJK` (RFC 8628 §6.1: "separate the characters ... to make it easier to type").
pub fn display_user_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len().min(USER_CODE_LENGTH / 2));
    format!("{a}-{b}")
}

/// RFC 8628 §6.1: "case-insensitive" and punctuation ignored: upper case, without dashes and spaces. `None` for
/// anything that cannot be a user code (so it is not looked up).
pub fn normalise_user_code(entered: &str) -> Option<String> {
    let code: String =
        entered.chars().filter(|c| !matches!(c, '-' | ' ')).take(64).map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == USER_CODE_LENGTH && code.bytes().all(|b| USER_CODE_ALPHABET.contains(&b))).then_some(code)
}

/// `POST /oauth/device_authorization` (RFC 8628 §3.1): the client authenticated as at the token endpoint
/// (confidential) or named by `client_id` (public, as TVs and CLIs are), registered for the device code grant.
pub fn device_authorization(
    provider: &Provider,
    credentials: &ClientCredentials,
    source: &str,
    params: &Params,
) -> Result<DeviceAuthorization, Failure> {
    let now = provider.now();
    let context = provider.assertion_context(DEVICE_AUTHORIZATION_PATH);
    let client = authenticate_client(&provider.db, &context, credentials, source, now)?;
    // RFC 8628 §3.1 with RFC 6749 §5.2 unauthorized_client.
    if !client.may_use(GrantType::DeviceCode) {
        return Err(
            OAuthError::new(ErrorCode::UnauthorizedClient, "this client may not use the device code grant").into()
        );
    }
    // RFC 8707 §2.1 at the device endpoint as at the authorization endpoint: an unknown resource is invalid_target,
    // and the scopes kept are those that fit the audience.
    let resources = provider.db.list_resources()?;
    let resource = check_resource(params.get("resource"), &resources)?;
    let scope = check_scope(params, &client, resource.as_ref(), &resources)?;
    let device_code = random_token(32);
    let ttl = client.device_code_ttl_secs.unwrap_or(provider.transaction.device_code_ttl_secs);
    let mut record = DeviceRecord {
        device_code_hash: token_hash(device_code.expose()),
        user_code: String::new(),
        client_id: client.id.to_string(),
        scope: scope.to_string(),
        interval_secs: DEFAULT_INTERVAL_SECS,
        last_polled_at: None,
        expires_at: now + ttl,
        status: "pending".into(),
        grant_id: None,
        resource: resource.map(|r| r.id.to_string()),
    };
    // A user code is unique among live requests: a collision (2^-34 per live code) draws again.
    for _ in 0..5 {
        record.user_code = draw_user_code();
        if provider.db.create_device_authorization(&record, now)? {
            let shown = display_user_code(&record.user_code);
            tracing::info!(event = "device_authorization", client_id = %client.id, "device authorization requested");
            return Ok(DeviceAuthorization {
                device_code: device_code.expose().to_owned(),
                verification_uri: format!("{}{DEVICE_PATH}", provider.issuer),
                verification_uri_complete: format!("{}{DEVICE_PATH}?user_code={shown}", provider.issuer),
                user_code: shown,
                expires_in: ttl,
                interval: DEFAULT_INTERVAL_SECS,
            });
        }
    }
    Err(InternalError::new("drawing a user code", anyhow::anyhow!("five collisions in a row")).into())
}

/// RFC 8628 §3.1 `scope` with RFC 6749 §3.3: required here (no default scope), and as at the authorization endpoint
/// the server keeps the OpenID Connect scopes and the API scopes the client is registered for that fit the audience.
fn check_scope(
    params: &Params,
    client: &Client,
    resource: Option<&Resource>,
    resources: &[Resource],
) -> Result<Scope, OAuthError> {
    let raw = params.get("scope").ok_or_else(|| OAuthError::new(ErrorCode::InvalidScope, "scope is missing"))?;
    let scope = Scope::parse(raw).map_err(|_| OAuthError::new(ErrorCode::InvalidScope, "scope is malformed"))?;
    let kept = grantable_scope(&scope, &client.scope, resource, resources);
    if kept.is_empty() {
        return Err(OAuthError::new(ErrorCode::InvalidScope, "none of the requested scopes may be granted"));
    }
    Ok(kept)
}

/// The CSRF token of the code entry form, bound to the browser-binding cookie (a new one when the browser has
/// none): a form posted from another site lacks it (against login CSRF, as the account page's sign-in form).
pub fn entry_form(browser_cookie: Option<&str>) -> (String, Option<SecretString>) {
    let new = browser_cookie.is_none().then(|| random_token(32));
    let value = browser_cookie.or(new.as_ref().map(SecretString::expose)).unwrap_or_default();
    (token_hash(&format!("device-entry:{value}")), new)
}

/// Why a user code was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserCodeRefusal {
    /// Unknown, expired, already answered, or not a user code at all: one answer for all (nothing to probe).
    Unknown,
    /// Too many wrong codes from this address (RFC 8628 §5.1).
    Throttled,
}

/// What a user code entered at `/device` leads to.
pub enum UserCodeEntry {
    /// The request to sign in for and confirm: a parked interaction (authorization request with `device` set).
    Request(Box<AuthorizationRequest>),
    Refused(UserCodeRefusal),
}

/// `POST /device`: the form's CSRF token, the address's guess budget (counted before the lookup so concurrent
/// guesses cannot slip past), then the pending request with that user code.
pub fn enter_user_code(
    provider: &Provider,
    browser_cookie: Option<&str>,
    form: &Params,
    source: &str,
) -> Result<UserCodeEntry, Failure> {
    let expected = browser_cookie.map(|c| entry_form(Some(c)).0).unwrap_or_default();
    let sent = form.get("csrf_token").unwrap_or("");
    if expected.is_empty() || !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        return Err(OAuthError::invalid_request("the form has expired; go back and try again")
            .with_detail("CSRF token mismatch")
            .into());
    }
    let now = provider.now();
    let key = format!("device:{}", address_group(source));
    let reservation = provider.db.reserve(&key, now, WINDOW_SECS, &|failures| USER_CODE_GUESSES.delay(failures))?;
    if !reservation.granted {
        tracing::warn!(event = "user_code_throttled", source, "user code entry throttled");
        return Ok(UserCodeEntry::Refused(UserCodeRefusal::Throttled));
    }
    let found = match normalise_user_code(form.get("user_code").unwrap_or("")) {
        Some(code) => provider.db.find_pending_by_user_code(&code, now)?,
        None => None,
    };
    let Some(record) = found else {
        // The guess stays counted.
        tracing::info!(event = "user_code_unknown", source, "unknown user code entered");
        return Ok(UserCodeEntry::Refused(UserCodeRefusal::Unknown));
    };
    provider.db.release(&key, &reservation)?;
    Ok(UserCodeEntry::Request(Box::new(device_request(&record)?)))
}

/// The authorization request a device request stands for: its client and scope; consent is always asked
/// (`prompt=consent`: RFC 8628 §5.4, the person must see which app on which device asks, even for an app they
/// allowed before), no redirect URI (the outcome goes to the device's row).
fn device_request(record: &DeviceRecord) -> Result<AuthorizationRequest, Failure> {
    let corrupt = |what: &str| InternalError::new("reading a device request", anyhow::anyhow!("{what}"));
    Ok(AuthorizationRequest {
        client_id: ClientId::parse(&record.client_id).map_err(|_| corrupt("client_id"))?,
        redirect_uri: String::new(),
        state: None,
        response_mode: Default::default(),
        scope: Scope::parse(&record.scope).map_err(|_| corrupt("scope"))?,
        code_challenge: None,
        nonce: None,
        prompt: Prompt { consent: true, ..Prompt::default() },
        max_age: None,
        login_hint: None,
        expected_subject: None,
        claims: Default::default(),
        resource: record.resource.as_deref().map(ResourceId::parse).transpose().map_err(|_| corrupt("resource"))?,
        ui_locales: None,
        acr: Default::default(),
        device: Some(record.device_code_hash.clone()),
        dpop_jkt: None,
    })
}
