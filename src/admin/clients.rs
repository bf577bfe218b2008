//! The admin API's client writes (`clients:write`): register, update (ETag and `If-Match`), remove, and rotate the
//! secret with an overlap, on the CLI's rules: the domain's parsers, `Client::check_registration` (enforced by
//! storage for every way a client is made), the allowed groups' existence and the rotation (`operations.rs`).

use serde::{Deserialize, Serialize};

use super::actor::Actor;
use super::api::{ClientView, audit, require};
use super::error::AdminError;
use super::operations::{
    check_allowed_groups, parse_enabled_alg, rotate_client_secret, set_client_keys, set_client_logo,
};
use super::users::stale;
use crate::domain::{
    AuthMethod, Client, ClientId, ClientKind, GrantType, GroupName, PkcePolicy, RedirectUri, Scope, SigningAlg,
    Timestamp, parse_backchannel_logout_uri, parse_web_page_uri,
};
use crate::oauth::provider::Provider;
use crate::secrets::{random_token, token_hash};
use crate::storage::{AdminWrites, AuditLog, ClientStore};

/// The entity tag of a client's registration (RFC 9110 §8.8.3): every field of it, never the secret; strong, quoted.
pub fn client_etag(client: &Client) -> String {
    let digest = crate::secrets::token_hash(&format!("client\n{client:?}"));
    format!("\"{}\"", &digest[..22])
}

/// A client's registration as the API changes it: a field left out keeps its value (`tessera client update`'s
/// options; at creation, the defaults of `tessera client add`). An empty string removes an optional URI.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientChanges {
    pub name: Option<String>,
    /// Replaces the redirect URIs (matched exactly).
    pub redirect_uris: Option<Vec<String>>,
    /// authorization_code, refresh_token, client_credentials, …
    pub grant_types: Option<Vec<String>>,
    /// client_secret_basic, client_secret_post, private_key_jwt or none.
    pub token_endpoint_auth_method: Option<String>,
    /// The API scopes it may ask for, space-separated.
    pub scope: Option<String>,
    pub skip_consent: Option<bool>,
    /// Whether a confidential client must use PKCE (`required`, the default, or `optional`).
    pub pkce: Option<String>,
    pub post_logout_redirect_uris: Option<Vec<String>>,
    pub backchannel_logout_uri: Option<String>,
    pub access_token_ttl_secs: Option<i64>,
    pub refresh_token_ttl_secs: Option<i64>,
    pub client_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub tos_uri: Option<String>,
    pub require_mfa: Option<bool>,
    pub access_token_groups: Option<bool>,
    /// Only members of these groups may use it; empty: everyone.
    pub allowed_groups: Option<Vec<String>>,
    /// The app's logo on the consent page: an https URL, fetched once now and stored, or a data:image/…;base64 URI;
    /// at most 64 KiB. Empty removes it.
    pub logo_uri: Option<String>,
    /// private_key_jwt: the client's public keys, a JWKS (RFC 7517 §5); replaces `jwks_uri`.
    #[schema(value_type = Option<Object>)]
    pub jwks: Option<serde_json::Value>,
    /// private_key_jwt: where Tessera fetches the client's public keys (https); replaces `jwks`. Empty removes it.
    pub jwks_uri: Option<String>,
    /// RS256, PS256, ES256 or EdDSA, one of the server's signing_algs; empty: the server's default.
    pub id_token_signed_response_alg: Option<String>,
    /// A just-rotated refresh token presented again this soon gets the same successor (0 to 60 s).
    pub refresh_token_reuse_grace_secs: Option<i64>,
    /// RFC 9126: accept its authorization requests only by PAR.
    pub require_pushed_authorization_requests: Option<bool>,
    /// RFC 8628: this client's device code lifetime (1 to 86400 s).
    pub device_code_ttl_secs: Option<i64>,
}

fn uris(raw: &[String]) -> Result<Vec<RedirectUri>, AdminError> {
    Ok(raw.iter().map(|u| RedirectUri::parse(u)).collect::<Result<Vec<_>, _>>()?)
}

impl ClientChanges {
    /// Validates and applies the given fields with the CLI's parsers (the whole registration is judged by storage).
    fn apply(&self, provider: &Provider, client: &mut Client) -> Result<(), AdminError> {
        if let Some(name) = &self.name {
            client.name = name.clone();
        }
        if let Some(raw) = &self.redirect_uris {
            client.redirect_uris = uris(raw)?;
        }
        if let Some(grants) = &self.grant_types {
            client.grant_types = GrantType::parse_list(&grants.join(","))?;
        }
        if let Some(method) = &self.token_endpoint_auth_method {
            client.auth_method = Some(AuthMethod::parse(method)?);
        }
        if let Some(scope) = &self.scope {
            client.scope = Scope::parse_list(scope)?;
        }
        if let Some(skip) = self.skip_consent {
            client.skip_consent = skip;
        }
        if let Some(pkce) = &self.pkce {
            client.pkce = match pkce.as_str() {
                "required" => PkcePolicy::Required,
                "optional" => PkcePolicy::Optional,
                _ => return Err(AdminError::invalid("pkce is `required` or `optional`")),
            };
        }
        if let Some(raw) = &self.post_logout_redirect_uris {
            client.post_logout_redirect_uris = uris(raw)?;
        }
        if let Some(uri) = &self.backchannel_logout_uri {
            client.backchannel_logout_uri =
                if uri.is_empty() { None } else { Some(parse_backchannel_logout_uri(uri)?) };
        }
        if self.access_token_ttl_secs.is_some() {
            client.access_token_ttl_secs = self.access_token_ttl_secs;
        }
        if self.refresh_token_ttl_secs.is_some() {
            client.refresh_token_ttl_secs = self.refresh_token_ttl_secs;
        }
        for (name, given, field) in [
            ("client_uri", &self.client_uri, &mut client.client_uri),
            ("policy_uri", &self.policy_uri, &mut client.policy_uri),
            ("tos_uri", &self.tos_uri, &mut client.tos_uri),
        ] {
            if let Some(uri) = given {
                *field = if uri.is_empty() { None } else { Some(parse_web_page_uri(name, uri)?) };
            }
        }
        if let Some(require) = self.require_mfa {
            client.require_mfa = require;
        }
        if let Some(on) = self.access_token_groups {
            client.access_token_groups = on;
        }
        if let Some(raw) = &self.allowed_groups {
            let groups = GroupName::parse_list(&raw.join(","))?;
            check_allowed_groups(&provider.db, &groups)?;
            client.allowed_groups = groups;
        }
        // The rest as `tessera client add/update` applies it (`operations.rs`); the ranges are judged with the
        // whole registration (`Client::check_registration`).
        if let Some(logo) = &self.logo_uri {
            set_client_logo(client, logo, provider.registration.allow_private_networks)?;
        }
        let jwks = self.jwks.as_ref().map(serde_json::Value::to_string);
        set_client_keys(client, jwks.as_deref(), self.jwks_uri.as_deref())?;
        if let Some(raw) = &self.id_token_signed_response_alg {
            let enabled: Vec<SigningAlg> = provider.keys.algs().iter().collect();
            client.id_token_signed_response_alg = parse_enabled_alg(raw, &enabled)?;
        }
        if self.refresh_token_reuse_grace_secs.is_some() {
            client.refresh_token_reuse_grace_secs = self.refresh_token_reuse_grace_secs;
        }
        if let Some(require) = self.require_pushed_authorization_requests {
            client.require_pushed_authorization_requests = require;
        }
        if self.device_code_ttl_secs.is_some() {
            client.device_code_ttl_secs = self.device_code_ttl_secs;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewClient {
    pub client_id: String,
    /// A public client (native or browser app): no secret, PKCE always required.
    #[serde(default)]
    pub public: bool,
    #[serde(flatten)]
    pub registration: ClientChanges,
}

/// A client just registered: its secret is shown only now (Tessera keeps its hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedClient {
    #[serde(flatten)]
    pub client: ClientView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// Registers a client as `tessera client add` does; a confidential client gets a secret, shown once.
pub fn create_client(
    provider: &Provider,
    actor: &Actor,
    new: &NewClient,
    now: Timestamp,
) -> Result<(CreatedClient, String), AdminError> {
    require(actor, "clients:write")?;
    let id = ClientId::parse(&new.client_id)?;
    let kind = if new.public { ClientKind::Public } else { ClientKind::Confidential };
    let name = new.registration.name.clone().unwrap_or_else(|| id.to_string());
    let mut client = Client::new(id, name, kind, Vec::new());
    new.registration.apply(provider, &mut client)?;
    // A private_key_jwt client proves itself with its key: it gets no secret.
    let keyed = client.auth_method == Some(AuthMethod::PrivateKeyJwt);
    let secret = (!new.public && !keyed).then(|| random_token(32));
    let secret_hash = secret.as_ref().map(|s| token_hash(s.expose()));
    provider.db.register_client(&client, secret_hash.as_deref(), now)?;
    provider.db.record_audit(&audit(actor, "client_registered", now).client(client.id.as_str()))?;
    let created =
        CreatedClient { client: ClientView::of(&client), client_secret: secret.map(|s| s.expose().to_owned()) };
    Ok((created, client_etag(&client)))
}

/// A client's view and its ETag.
pub fn get_client_tagged(provider: &Provider, actor: &Actor, id: &str) -> Result<(ClientView, String), AdminError> {
    require(actor, "clients:read")?;
    let record = provider.db.find_client(id)?.ok_or_else(|| AdminError::not_found(format!("no client {id:?}")))?;
    Ok((ClientView::of(&record.client), client_etag(&record.client)))
}

/// Changes a client's registration if its current ETag is `if_match` (RFC 9110 §13.1.1): 412 when it changed since
/// (checked again under a row lock), 428 (RFC 6585 §3) without `If-Match`.
pub fn update_client(
    provider: &Provider,
    actor: &Actor,
    id: &str,
    if_match: Option<&str>,
    changes: &ClientChanges,
    now: Timestamp,
) -> Result<(ClientView, String), AdminError> {
    require(actor, "clients:write")?;
    let if_match = if_match.ok_or_else(|| {
        AdminError::new(428, "Precondition Required", "send If-Match with the ETag of the client you read")
    })?;
    let matches = |client: &Client| {
        let current = client_etag(client);
        if_match == "*" || if_match.split(',').any(|tag| tag.trim() == current)
    };
    let not_found = || AdminError::not_found(format!("no client {id:?}"));
    // This node's copy may lag (`catalog_cache_ms`); the tag is checked again against the locked row.
    let mut client = provider.db.find_client(id)?.ok_or_else(not_found)?.client;
    changes.apply(provider, &mut client)?;
    match provider.db.update_client_if(&client, &matches)? {
        None => return Err(not_found()),
        Some(false) => return Err(stale("client")),
        Some(true) => {}
    }
    provider.db.record_audit(&audit(actor, "client_updated", now).client(id))?;
    Ok((ClientView::of(&client), client_etag(&client)))
}

pub fn delete_client(provider: &Provider, actor: &Actor, id: &str, now: Timestamp) -> Result<(), AdminError> {
    require(actor, "clients:write")?;
    if !provider.db.remove_client(id)? {
        return Err(AdminError::not_found(format!("no client {id:?}")));
    }
    provider.db.record_audit(&audit(actor, "client_removed", now).client(id))?;
    Ok(())
}

/// `POST /clients/{id}/secret`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretRotation {
    /// How long the old secret keeps working, in seconds (default 86400, a day; 0 stops it at once; at most 30
    /// days).
    #[serde(default)]
    pub overlap_secs: Option<i64>,
}

/// The overlap when the request names none: a day to redeploy the application.
pub const DEFAULT_OVERLAP_SECS: i64 = 24 * 3600;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RotatedSecret {
    pub client_id: String,
    /// The new secret, shown only now.
    pub client_secret: String,
    /// Until when the old secret still works; absent when it stopped at once.
    pub previous_secret_expires_at: Option<Timestamp>,
}

/// As `tessera client rotate-secret`: a new secret, the old one accepted until the overlap ends.
pub fn rotate_secret(
    provider: &Provider,
    actor: &Actor,
    id: &str,
    rotation: &SecretRotation,
    now: Timestamp,
) -> Result<RotatedSecret, AdminError> {
    require(actor, "clients:write")?;
    let overlap = rotation.overlap_secs.unwrap_or(DEFAULT_OVERLAP_SECS);
    let (secret, until) = rotate_client_secret(&provider.db, id, overlap, now)?;
    let event = audit(actor, "client_secret_rotated", now).client(id).with("overlap_secs", overlap.to_string());
    provider.db.record_audit(&event)?;
    Ok(RotatedSecret {
        client_id: id.to_owned(),
        client_secret: secret.expose().to_owned(),
        previous_secret_expires_at: until,
    })
}
