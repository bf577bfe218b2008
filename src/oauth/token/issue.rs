//! What every grant ends with: a signed RFC 9068 access token, an ID token where there is a user, a fresh refresh
//! token where the grant has one, assembled into the RFC 6749 §5.1 response.

use serde::Serialize;

use super::audience::Audience;
use super::policy::TokenPolicy;
use std::sync::Arc;

use crate::domain::scope::GROUPS;
use crate::domain::{Client, ClientKind, Grant, Scope, SigningAlg, Timestamp, User};
use crate::error::{ErrorCode, Failure, InternalError, OAuthError};
use crate::keys::{KeyStore, SigningKey};
use crate::oauth::access_token::{AccessTokenClaims, Confirmation, new_jti, sign_access_token};
use crate::oidc::claim_release::releases_groups;
use crate::oidc::id_token::{IdTokenInput, sign_id_token};
use crate::secrets::{SecretString, random_token, token_hash};
use crate::storage::{
    AccountStore, AuditLog, ClientStore, DpopStore, GrantStore, GroupStore, NewToken, ResourceStore, SessionStore,
    UserRecord, UserStore,
};

/// RFC 6749 §5.1 successful response.
#[derive(Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    pub scope: String,
    /// RFC 8693 §2.2.1, token exchange only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_token_type: Option<&'static str>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse").field("scope", &self.scope).finish_non_exhaustive()
    }
}

/// Everything the token endpoint needs from storage.
pub trait TokenStore:
    ClientStore + GrantStore + UserStore + ResourceStore + SessionStore + AccountStore + GroupStore + AuditLog + DpopStore
{
}
impl<
    T: ClientStore
        + GrantStore
        + UserStore
        + ResourceStore
        + SessionStore
        + AccountStore
        + GroupStore
        + AuditLog
        + DpopStore,
> TokenStore for T
{
}

/// RFC 9449 §5 and §10: a grant bound to a DPoP key gives tokens only to a request proving that key. A public
/// client's grant is bound to the key of its first proof (§5: "the refresh token MUST be bound to the respective
/// public key"); a confidential client's refresh tokens are bound by its authentication instead.
pub(super) fn check_grant_key(
    store: &impl TokenStore,
    policy: &TokenPolicy,
    client: &Client,
    grant: &Grant,
) -> Result<(), Failure> {
    match (&grant.dpop_jkt, &policy.dpop_jkt) {
        (Some(bound), Some(proved)) if bound == proved => Ok(()),
        (Some(_), Some(_)) => Err(OAuthError::invalid_grant("the grant is bound to another DPoP key")
            .with_detail("DPoP proof made with another key than the grant's")
            .into()),
        (Some(_), None) => Err(OAuthError::new(ErrorCode::InvalidDpopProof, "a DPoP proof is required")
            .with_detail("the grant is bound to a DPoP key; the request has no proof")
            .into()),
        (None, Some(proved)) if client.kind == ClientKind::Public => {
            store.bind_grant_to_dpop_key(&grant.id, proved)?;
            Ok(())
        }
        (None, _) => Ok(()),
    }
}

/// The new refresh token of a response, before it is stored.
pub(super) struct FreshRefreshToken {
    pub(super) value: SecretString,
    pub(super) hash: String,
    pub(super) expires_at: Timestamp,
}

/// A refresh token never outlives its grant.
pub(super) fn refresh_token_expiry(policy: &TokenPolicy, grant: &Grant, now: Timestamp) -> Timestamp {
    let expires_at = now + policy.refresh_token_ttl_secs;
    grant.expires_at.map_or(expires_at, |end| expires_at.min(end))
}

pub(super) fn new_refresh_token(policy: &TokenPolicy, grant: &Grant, now: Timestamp) -> FreshRefreshToken {
    // 256 bits, opaque; only the hash is stored.
    let value = random_token(32);
    let hash = token_hash(value.expose());
    FreshRefreshToken { value, hash, expires_at: refresh_token_expiry(policy, grant, now) }
}

impl FreshRefreshToken {
    pub(super) fn as_new(&self) -> NewToken<'_> {
        NewToken { hash: &self.hash, expires_at: self.expires_at }
    }
}

/// The key for the policy's access tokens (the resource's algorithm) or ID tokens (the client's).
pub(super) fn signer(keys: &KeyStore, alg: Option<SigningAlg>) -> Result<Arc<SigningKey>, Failure> {
    keys.signer_for(alg).map_err(|e| InternalError::new("choosing the signing key", e).into())
}

/// Signs an RFC 9068 access token for `sub` (a user, or the client itself for client_credentials) from `grant_id`
/// (none for a client's own token), with the algorithm of its audience. Nothing is stored: its jti names the grant.
#[allow(clippy::too_many_arguments)] // each is one claim of the token
pub(super) fn issue_access_token(
    keys: &KeyStore,
    policy: &TokenPolicy,
    sub: &str,
    client_id: &str,
    scope: &str,
    grant_id: Option<&str>,
    auth_time: Option<Timestamp>,
    groups: Option<Vec<String>>,
    now: Timestamp,
) -> Result<String, Failure> {
    issue_access_token_with(keys, policy, sub, client_id, scope, grant_id, auth_time, groups, None, now)
}

/// [`issue_access_token`] with an `act` claim (RFC 8693 §4.1).
#[allow(clippy::too_many_arguments)] // each is one claim of the token
pub(super) fn issue_access_token_with(
    keys: &KeyStore,
    policy: &TokenPolicy,
    sub: &str,
    client_id: &str,
    scope: &str,
    grant_id: Option<&str>,
    auth_time: Option<Timestamp>,
    groups: Option<Vec<String>>,
    act: Option<serde_json::Value>,
    now: Timestamp,
) -> Result<String, Failure> {
    let claims = AccessTokenClaims {
        iss: policy.issuer.clone(),
        sub: sub.to_owned(),
        aud: policy.access_token_audience.clone(),
        client_id: client_id.to_owned(),
        scope: scope.to_owned(),
        exp: now + policy.access_token_ttl_secs,
        iat: now,
        jti: new_jti(grant_id),
        auth_time,
        act,
        groups,
        cnf: policy.dpop_jkt.clone().map(|jkt| Confirmation { jkt }),
    };
    let signer = signer(keys, policy.access_token_alg)?;
    sign_access_token(&signer, &claims).map_err(|e| InternalError::new("signing access token", e).into())
}

/// The user a grant's tokens are about, read once per token response: refused (RFC 6749 §5.2 invalid_grant, the
/// grant being no longer valid) after the account was removed, or while it is disabled (`tessera user disable`;
/// `disabled` is the refusal's description).
pub(super) fn holder_of(store: &impl TokenStore, grant: &Grant, disabled: &'static str) -> Result<User, Failure> {
    check_holder(store.find_user_record(&grant.user_id)?, grant, disabled)
}

/// [`holder_of`] with the user already read (`None`: deleted).
pub(super) fn check_holder(record: Option<UserRecord>, grant: &Grant, disabled: &'static str) -> Result<User, Failure> {
    let record = record.ok_or_else(|| OAuthError::invalid_grant("the user of this grant no longer exists"))?;
    if record.disabled {
        return Err(OAuthError::invalid_grant(disabled).with_detail(format!("sub {}", grant.user_id)).into());
    }
    Ok(record.user)
}

/// What a successful grant hands to [`respond`].
pub(super) struct Issuance<'a> {
    pub grant: &'a Grant,
    /// The grant's user, from [`holder_of`].
    pub user: &'a User,
    /// The client it is issued to (whether its access tokens carry the groups).
    pub client: &'a Client,
    /// The scope of this response (narrowed on refresh): the ID token's claims follow it.
    pub scope: &'a Scope,
    /// Whom the access token is for and what it carries there (RFC 8707).
    pub audience: Audience,
    /// Only in the ID token of the code exchange (OpenID Connect Core §12.2: not on refresh).
    pub nonce: Option<&'a str>,
    pub refresh_token: Option<FreshRefreshToken>,
}

/// Signs the access token and ID token and assembles the response.
pub(super) fn respond(
    store: &impl TokenStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    issuance: Issuance<'_>,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let Issuance { grant, user, client, scope, audience, nonce, refresh_token } = issuance;
    let access_policy = policy.for_audience(audience.resource.as_ref());
    // RFC 6749 §5.1 and RFC 8707 §2.2: the response's scope is the access token's.
    let scope_text = audience.scope.to_string();
    // OpenID Connect Core §5.5: the claims requested for the ID token, on every ID token of the grant.
    let requested = grant.claims.clone().within(scope, &grant.scope);
    // The groups as they are now (so a removed membership is gone from the next token), read only when a token
    // carries them.
    let groups_in_access_token = client.access_token_groups && scope.contains(GROUPS);
    let groups = if groups_in_access_token || releases_groups(scope, &requested.id_token) {
        store.groups_of(&user.subject)?
    } else {
        Vec::new()
    };
    let access_token = issue_access_token(
        keys,
        &access_policy,
        &user.subject,
        grant.client_id.as_str(),
        &scope_text,
        Some(&grant.id),
        Some(grant.auth_time),
        groups_in_access_token.then(|| groups.clone()),
        now,
    )?;
    let id_token = sign_id_token(
        &*signer(keys, policy.id_token_alg)?,
        &IdTokenInput {
            issuer: &policy.issuer,
            client_id: grant.client_id.as_str(),
            user,
            scope,
            requested_claims: &requested.id_token,
            nonce,
            auth_time: grant.auth_time,
            access_token: &access_token,
            now,
            ttl_secs: policy.id_token_ttl_secs,
            sid: grant.session_id.as_deref(),
            methods: &grant.methods,
            groups: &groups,
        },
    )
    .map_err(|e| InternalError::new("signing ID token", e))?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: access_policy.access_token_ttl_secs,
        refresh_token: refresh_token.map(|t| t.value.expose().to_owned()),
        id_token: Some(id_token),
        scope: scope_text,
        issued_token_type: None,
    })
}
