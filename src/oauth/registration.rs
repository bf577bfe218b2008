//! Dynamic client registration (RFC 7591) and its management protocol (RFC 7592).
//!
//! The metadata a client sends becomes a domain [`Client`] through the same parsers `tessera client add` uses, and
//! [`Client::check_registration`] judges it as a whole: there is no second copy of the registration rules here.
//! A client registered this way never skips consent (nobody vouched for it), and its registration access token,
//! like the initial access token, is kept only as a hash.

use serde::Deserialize;
use serde_json::{Value, json};

use super::provider::Provider;
use crate::config::RegistrationMode;
use crate::domain::scope::standard_scope;
use crate::domain::{
    AuthMethod, Client, ClientId, ClientKind, GrantType, InvalidValue, RedirectUri, Scope, SigningAlg, Timestamp,
    parse_backchannel_logout_uri, parse_web_page_uri,
};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oidc::client_logo::logo_as_data_uri;
use crate::oidc::metadata::REGISTRATION_PATH;
use crate::secrets::{constant_time_eq, random_token, token_hash};
use crate::storage::{ClientStore, RegistrationStore};

/// Why a registration request is refused.
#[derive(Debug)]
pub enum RegistrationError {
    /// Registration is off: the endpoint does not exist (404).
    Off,
    /// RFC 7591 §3.2.2: `invalid_redirect_uri` or `invalid_client_metadata`, with what is wrong (the client's own
    /// metadata, so nothing is revealed by saying it).
    Metadata { error: &'static str, description: String },
    /// A bad token (401 with a Bearer challenge, RFC 6750 §3), an outage or our own failure.
    Failure(Failure),
}

impl<E: Into<Failure>> From<E> for RegistrationError {
    fn from(e: E) -> Self {
        RegistrationError::Failure(e.into())
    }
}

fn invalid_metadata(e: impl std::fmt::Display) -> RegistrationError {
    RegistrationError::Metadata { error: "invalid_client_metadata", description: e.to_string() }
}

fn invalid_redirect_uri(e: InvalidValue) -> RegistrationError {
    RegistrationError::Metadata { error: "invalid_redirect_uri", description: e.to_string() }
}

fn invalid_token(detail: &str) -> RegistrationError {
    let error = OAuthError::new(ErrorCode::InvalidToken, "the access token is invalid, expired or used up");
    RegistrationError::Failure(error.with_detail(detail.to_owned()).into())
}

/// RFC 7591 §2 client metadata (and OpenID Connect Registration §2's names). RFC 7591 §2: "The authorization
/// server MUST ignore any client metadata sent by the client that it does not understand", so unknown members are.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Metadata {
    redirect_uris: Vec<String>,
    token_endpoint_auth_method: Option<String>,
    grant_types: Option<Vec<String>>,
    response_types: Option<Vec<String>>,
    client_name: Option<String>,
    logo_uri: Option<String>,
    client_uri: Option<String>,
    policy_uri: Option<String>,
    tos_uri: Option<String>,
    scope: Option<String>,
    jwks: Option<Value>,
    jwks_uri: Option<String>,
    post_logout_redirect_uris: Vec<String>,
    backchannel_logout_uri: Option<String>,
    id_token_signed_response_alg: Option<String>,
    require_pushed_authorization_requests: bool,
    /// RFC 9449 §5.2.
    dpop_bound_access_tokens: bool,
    /// RFC 7592 §2.2: in an update, the client's own id.
    client_id: Option<String>,
    /// RFC 7592 §2.2: in an update, if present, the secret it was issued.
    client_secret: Option<String>,
}

fn parse_metadata(body: &[u8]) -> Result<Metadata, RegistrationError> {
    serde_json::from_slice(body)
        .map_err(|e| invalid_metadata(format!("the body is not a JSON object of RFC 7591 §2 metadata: {e}")))
}

fn optional(name: &str, raw: &Option<String>) -> Result<Option<String>, RegistrationError> {
    match raw.as_deref() {
        None | Some("") => Ok(None),
        Some(uri) => parse_web_page_uri(name, uri).map(Some).map_err(invalid_metadata),
    }
}

/// The client the metadata describes, under the id `id`: each value through the parser the CLI uses, then the
/// registration rules of the domain.
fn client_from(provider: &Provider, id: ClientId, m: &Metadata) -> Result<Client, RegistrationError> {
    let mut redirect_uris = Vec::new();
    for raw in &m.redirect_uris {
        let uri = RedirectUri::parse(raw).map_err(invalid_redirect_uri)?;
        uri.check_can_match().map_err(invalid_redirect_uri)?;
        redirect_uris.push(uri);
    }
    // RFC 7591 §2: "If unspecified or omitted, the default is client_secret_basic".
    let method = AuthMethod::parse(m.token_endpoint_auth_method.as_deref().unwrap_or("client_secret_basic"))
        .map_err(invalid_metadata)?;
    let kind = if method == AuthMethod::None { ClientKind::Public } else { ClientKind::Confidential };
    let name = m.client_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| id.to_string());
    let mut client = Client::new(id, name, kind, redirect_uris);
    client.auth_method = Some(method);
    // RFC 7591 §2: "If omitted, the default behavior is that the client will use only the authorization_code
    // Grant Type."
    client.grant_types = match &m.grant_types {
        None => vec![GrantType::AuthorizationCode],
        Some(list) => GrantType::parse_list(&list.join(" ")).map_err(invalid_metadata)?,
    };
    // RFC 7591 §2.1: the response types must agree with the grant types; Tessera's only one is `code`.
    let code_flow = client.may_use(GrantType::AuthorizationCode);
    if let Some(types) = &m.response_types {
        if let Some(other) = types.iter().find(|t| *t != "code") {
            return Err(invalid_metadata(format!("response type {other:?} is not supported (only code)")));
        }
        if types.is_empty() == code_flow {
            return Err(invalid_metadata(
                "response_types [\"code\"] goes with the authorization_code grant type (RFC 7591 §2.1)",
            ));
        }
    }
    client.client_uri = optional("client_uri", &m.client_uri)?;
    client.policy_uri = optional("policy_uri", &m.policy_uri)?;
    client.tos_uri = optional("tos_uri", &m.tos_uri)?;
    client.jwks_uri = optional("jwks_uri", &m.jwks_uri)?;
    client.jwks = m.jwks.as_ref().map(Value::to_string);
    if let Some(logo) = m.logo_uri.as_deref().filter(|l| !l.is_empty()) {
        // Fetched once and kept (under the back-channel's address rules), as `client add --logo-uri` does.
        client.logo_uri =
            Some(logo_as_data_uri(logo, provider.registration.allow_private_networks).map_err(invalid_metadata)?);
    }
    // The OpenID Connect scopes are always allowed in the code flow; the list keeps the API scopes.
    let scope = Scope::parse_list(m.scope.as_deref().unwrap_or("")).map_err(invalid_metadata)?;
    client.scope = scope.retain(|s| standard_scope(s).is_none());
    for raw in &m.post_logout_redirect_uris {
        client.post_logout_redirect_uris.push(RedirectUri::parse(raw).map_err(invalid_metadata)?);
    }
    if let Some(uri) = m.backchannel_logout_uri.as_deref().filter(|u| !u.is_empty()) {
        client.backchannel_logout_uri = Some(parse_backchannel_logout_uri(uri).map_err(invalid_metadata)?);
    }
    if let Some(raw) = m.id_token_signed_response_alg.as_deref().filter(|a| !a.is_empty()) {
        let alg = SigningAlg::parse(raw).map_err(invalid_metadata)?;
        if !provider.keys.algs().contains(alg) {
            return Err(invalid_metadata(format!(
                "id_token_signed_response_alg {alg} is not one this server signs with"
            )));
        }
        client.id_token_signed_response_alg = Some(alg);
    }
    client.require_pushed_authorization_requests = m.require_pushed_authorization_requests;
    client.dpop_bound_access_tokens = m.dpop_bound_access_tokens;
    // Never `skip_consent`: nobody vouched for a client that registered itself.
    client.skip_consent = false;
    client.check_registration().map_err(invalid_metadata)?;
    Ok(client)
}

/// RFC 7591 §3.2.1 / RFC 7592 §3: the client information response, the registered metadata as stored.
fn information(
    provider: &Provider,
    client: &Client,
    issued_at: Timestamp,
    secret: Option<&str>,
    access_token: &str,
) -> Value {
    let uris = |list: &[RedirectUri]| list.iter().map(|u| u.as_str().to_owned()).collect::<Vec<String>>();
    let mut out = json!({
        "client_id": client.id.as_str(),
        "client_id_issued_at": issued_at,
        "registration_access_token": access_token,
        "registration_client_uri": format!("{}{REGISTRATION_PATH}/{}", provider.issuer, client.id),
        "client_name": client.name,
        "redirect_uris": uris(&client.redirect_uris),
        "token_endpoint_auth_method": client.auth_method.unwrap_or(AuthMethod::ClientSecretBasic).as_str(),
        "grant_types": client.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
        "response_types": if client.may_use(GrantType::AuthorizationCode) { vec!["code"] } else { vec![] },
        "post_logout_redirect_uris": uris(&client.post_logout_redirect_uris),
        "require_pushed_authorization_requests": client.require_pushed_authorization_requests,
    });
    let Some(map) = out.as_object_mut() else { return out };
    if let Some(secret) = secret {
        map.insert("client_secret".into(), json!(secret));
        // RFC 7591 §3.2.1: "REQUIRED if client_secret is issued"; 0, it does not expire.
        map.insert("client_secret_expires_at".into(), json!(0));
    }
    if !client.scope.is_empty() {
        map.insert("scope".into(), json!(client.scope.to_string()));
    }
    for (name, value) in [
        ("logo_uri", &client.logo_uri),
        ("client_uri", &client.client_uri),
        ("policy_uri", &client.policy_uri),
        ("tos_uri", &client.tos_uri),
        ("jwks_uri", &client.jwks_uri),
        ("backchannel_logout_uri", &client.backchannel_logout_uri),
    ] {
        if let Some(value) = value {
            map.insert(name.into(), json!(value));
        }
    }
    if let Some(jwks) = client.jwks.as_deref().and_then(|j| serde_json::from_str::<Value>(j).ok()) {
        map.insert("jwks".into(), jwks);
    }
    if client.dpop_bound_access_tokens {
        map.insert("dpop_bound_access_tokens".into(), json!(true));
    }
    if let Some(alg) = client.id_token_signed_response_alg {
        map.insert("id_token_signed_response_alg".into(), json!(alg.as_str()));
    }
    out
}

fn check_on(provider: &Provider) -> Result<(), RegistrationError> {
    match provider.registration.mode {
        RegistrationMode::Off => Err(RegistrationError::Off),
        _ => Ok(()),
    }
}

/// `POST /oauth/register` (RFC 7591 §3): `initial_token` is the Bearer token the request carried, if any.
pub fn register(
    provider: &Provider,
    initial_token: Option<&str>,
    source: &str,
    body: &[u8],
) -> Result<Value, RegistrationError> {
    check_on(provider)?;
    let now = provider.now();
    // RFC 7591 §3: in initial-access-token mode the request is authorized by that token, checked before the
    // metadata (a stranger learns nothing about the rules); open registration is limited per address instead.
    let initial_hash = match provider.registration.mode {
        RegistrationMode::Open => {
            provider.registration.open_rate.check(source)?;
            None
        }
        _ => {
            let token = initial_token.ok_or_else(|| invalid_token("no initial access token"))?;
            let hash = token_hash(token);
            if !provider.db.registration_token_usable(&hash, now)? {
                return Err(invalid_token("unknown, expired or used-up initial access token"));
            }
            Some(hash)
        }
    };
    let metadata = parse_metadata(body)?;
    let id = ClientId::parse(&format!("dcr-{}", random_token(16).expose())).map_err(invalid_metadata)?;
    let client = client_from(provider, id, &metadata)?;
    let needs_secret = matches!(client.auth_method, Some(AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost));
    let secret = needs_secret.then(|| random_token(32));
    let access_token = random_token(32);
    let registered = provider.db.register_dynamic_client(
        &client,
        secret.as_ref().map(|s| token_hash(s.expose())).as_deref(),
        &token_hash(access_token.expose()),
        initial_hash.as_deref(),
        now,
    )?;
    if !registered {
        return Err(invalid_token("initial access token used up or expired meanwhile"));
    }
    tracing::info!(event = "client_registered", client_id = %client.id, "client registered over HTTP");
    Ok(information(provider, &client, now, secret.as_ref().map(|s| s.expose()), access_token.expose()))
}

/// RFC 7592 §2: the registration the access token names. A token that does not name `client_id` is refused as
/// invalid, whether or not such a client exists.
fn authorize(
    provider: &Provider,
    client_id: &str,
    access_token: Option<&str>,
) -> Result<(crate::storage::ClientRecord, Timestamp), RegistrationError> {
    check_on(provider)?;
    let token = access_token.ok_or_else(|| invalid_token("no registration access token"))?;
    provider
        .db
        .find_dynamic_client(client_id, &token_hash(token))?
        .ok_or_else(|| invalid_token("the registration access token does not name this client"))
}

/// RFC 7592 §2.1: `GET` on the registration client URI.
pub fn read(provider: &Provider, client_id: &str, access_token: Option<&str>) -> Result<Value, RegistrationError> {
    let (record, issued_at) = authorize(provider, client_id, access_token)?;
    Ok(information(provider, &record.client, issued_at, None, access_token.unwrap_or_default()))
}

/// RFC 7592 §2.2: `PUT` replaces the metadata, under the same rules as a registration.
pub fn replace(
    provider: &Provider,
    client_id: &str,
    access_token: Option<&str>,
    body: &[u8],
) -> Result<Value, RegistrationError> {
    let (record, issued_at) = authorize(provider, client_id, access_token)?;
    let metadata = parse_metadata(body)?;
    // RFC 7592 §2.2: "The client MUST include its client_id field in the request, and it MUST be the same as its
    // currently issued client identifier."
    if metadata.client_id.as_deref() != Some(client_id) {
        return Err(invalid_metadata("client_id must be the registered client's id"));
    }
    // "If the client includes the client_secret field in the request, the value of this field MUST match the
    // currently issued client secret for that client."
    if let Some(secret) = &metadata.client_secret {
        let matches = record
            .secret_hash
            .as_deref()
            .is_some_and(|h| constant_time_eq(h.as_bytes(), token_hash(secret).as_bytes()));
        if !matches {
            return Err(invalid_metadata("client_secret does not match the issued secret"));
        }
    }
    let client = client_from(provider, record.client.id.clone(), &metadata)?;
    // The secret stays as issued: a method with a secret cannot turn into one without (or back).
    let had_secret = record.secret_hash.is_some();
    let wants_secret = matches!(client.auth_method, Some(AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost));
    if had_secret != wants_secret || client.kind != record.client.kind {
        return Err(invalid_metadata(
            "token_endpoint_auth_method cannot change between a secret, a key and none: register a new client",
        ));
    }
    provider.db.update_client(&client)?;
    tracing::info!(event = "client_registration_updated", client_id = %client.id, "client registration replaced");
    Ok(information(provider, &client, issued_at, None, access_token.unwrap_or_default()))
}

/// RFC 7592 §2.3: `DELETE` removes the client and everything issued to it.
pub fn delete(provider: &Provider, client_id: &str, access_token: Option<&str>) -> Result<(), RegistrationError> {
    let (record, _) = authorize(provider, client_id, access_token)?;
    provider.db.remove_client(record.client.id.as_str())?;
    tracing::info!(event = "client_registration_deleted", client_id = %record.client.id, "client removed by its registration access token");
    Ok(())
}
