//! The token endpoint's protocol core (RFC 6749 §3.2, §4.1.3, §6): one file per grant type, a shared issuer of
//! token responses.

mod authorization_code;
mod client_credentials;
mod refresh_token;

use serde::Serialize;

use super::Params;
use super::access_token::{AccessTokenClaims, sign_access_token};
use super::client_auth::{ClientCredentials, authenticate_client};
use crate::domain::{Client, GrantType, Scope, User};
use crate::error::{ErrorCode, Failure, InternalError, OAuthError};
use crate::keys::{KeyStore, SigningKey};
use crate::oidc::claims::ClaimsRequest;
use crate::oidc::id_token::{IdTokenInput, sign_id_token};
use crate::secrets::{SecretString, random_token, token_hash};
use crate::storage::{ClientStore, GrantRecord, GrantStore, NewToken, ThrottleStore, Timestamp, UserStore};

/// A token request, parsed at the edge: an unknown grant type never gets further (RFC 6749 §5.2
/// unsupported_grant_type).
#[derive(Clone, PartialEq, Eq)]
pub enum TokenRequest {
    /// RFC 6749 §4.1.3
    AuthorizationCode { code: String, redirect_uri: Option<String>, code_verifier: Option<String> },
    /// RFC 6749 §6
    RefreshToken { refresh_token: String, scope: Option<String> },
    /// RFC 6749 §4.4
    ClientCredentials { scope: Option<String> },
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenRequest::AuthorizationCode { .. } => f.write_str("AuthorizationCode(<redacted>)"),
            TokenRequest::RefreshToken { .. } => f.write_str("RefreshToken(<redacted>)"),
            TokenRequest::ClientCredentials { scope } => write!(f, "ClientCredentials({scope:?})"),
        }
    }
}

impl TokenRequest {
    pub fn parse(params: &Params) -> Result<TokenRequest, OAuthError> {
        match params.get("grant_type") {
            None => Err(OAuthError::invalid_request("grant_type is missing")),
            Some("authorization_code") => Ok(TokenRequest::AuthorizationCode {
                code: params.required("code", "code is missing")?.to_owned(),
                redirect_uri: params.get("redirect_uri").map(str::to_owned),
                code_verifier: params.get("code_verifier").map(str::to_owned),
            }),
            Some("refresh_token") => Ok(TokenRequest::RefreshToken {
                refresh_token: params.required("refresh_token", "refresh_token is missing")?.to_owned(),
                scope: params.get("scope").map(str::to_owned),
            }),
            Some("client_credentials") => {
                Ok(TokenRequest::ClientCredentials { scope: params.get("scope").map(str::to_owned) })
            }
            Some(_) => Err(OAuthError::new(ErrorCode::UnsupportedGrantType, "unsupported grant_type")),
        }
    }

    pub fn grant_type(&self) -> GrantType {
        match self {
            TokenRequest::AuthorizationCode { .. } => GrantType::AuthorizationCode,
            TokenRequest::RefreshToken { .. } => GrantType::RefreshToken,
            TokenRequest::ClientCredentials { .. } => GrantType::ClientCredentials,
        }
    }
}

/// Settings the token endpoint needs, copied out of [`crate::config::Settings`].
#[derive(Debug, Clone)]
pub struct TokenPolicy {
    pub issuer: String,
    pub access_token_audience: String,
    pub access_token_ttl_secs: i64,
    pub id_token_ttl_secs: i64,
    pub refresh_token_ttl_secs: i64,
    /// How long a just-rotated refresh token still yields the same successor (RFC 9700 §4.14.2 leaves room for it).
    pub refresh_token_reuse_grace_secs: i64,
}

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
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse").field("scope", &self.scope).finish_non_exhaustive()
    }
}

/// Everything the token endpoint needs from storage.
pub trait TokenStore: ClientStore + GrantStore + UserStore + ThrottleStore {}
impl<T: ClientStore + GrantStore + UserStore + ThrottleStore> TokenStore for T {}

/// Authenticates the client and runs the grant. Called off the async workers (diesel and RSA are blocking).
pub fn handle_token_request(
    store: &impl TokenStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    credentials: &ClientCredentials,
    source: &str,
    request: TokenRequest,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let client = authenticate_client(store, credentials, source, now)?;
    // RFC 6749 §5.2 unauthorized_client: "The authenticated client is not authorized to use this authorization
    // grant type."
    if !client.may_use(request.grant_type()) {
        return Err(OAuthError::new(ErrorCode::UnauthorizedClient, "this client may not use this grant type").into());
    }
    let policy = &policy.for_client(&client);
    match request {
        TokenRequest::AuthorizationCode { code, redirect_uri, code_verifier } => authorization_code::exchange(
            store,
            keys,
            policy,
            &client,
            authorization_code::CodeExchange {
                code: &code,
                redirect_uri: redirect_uri.as_deref(),
                code_verifier: code_verifier.as_deref(),
            },
            now,
        ),
        TokenRequest::RefreshToken { refresh_token, scope } => {
            refresh_token::refresh(store, keys, policy, &client, &refresh_token, scope.as_deref(), now)
        }
        TokenRequest::ClientCredentials { scope } => {
            client_credentials::grant(store, keys, policy, &client, scope.as_deref(), now)
        }
    }
}

impl TokenPolicy {
    /// The policy with the client's own token lifetimes, where it has them.
    fn for_client(&self, client: &Client) -> TokenPolicy {
        TokenPolicy {
            access_token_ttl_secs: client.access_token_ttl_secs.unwrap_or(self.access_token_ttl_secs),
            refresh_token_ttl_secs: client.refresh_token_ttl_secs.unwrap_or(self.refresh_token_ttl_secs),
            ..self.clone()
        }
    }
}

/// The new refresh token of a response, before it is stored.
pub(super) struct FreshRefreshToken {
    value: SecretString,
    hash: String,
    expires_at: Timestamp,
}

fn new_refresh_token(policy: &TokenPolicy, now: Timestamp) -> FreshRefreshToken {
    // 256 bits, opaque; only the hash is stored.
    let value = random_token(32);
    let hash = token_hash(value.expose());
    FreshRefreshToken { value, hash, expires_at: now + policy.refresh_token_ttl_secs }
}

impl FreshRefreshToken {
    fn as_new(&self) -> NewToken<'_> {
        NewToken { hash: &self.hash, expires_at: self.expires_at }
    }
}

/// Signs an RFC 9068 access token for `sub` (a user, or the client itself for client_credentials); the caller
/// records its jti.
fn issue_access_token(
    signer: &SigningKey,
    policy: &TokenPolicy,
    sub: &str,
    client_id: &str,
    scope: &str,
    auth_time: Option<Timestamp>,
    now: Timestamp,
) -> Result<(String, AccessTokenClaims), Failure> {
    let claims = AccessTokenClaims {
        iss: policy.issuer.clone(),
        sub: sub.to_owned(),
        aud: policy.access_token_audience.clone(),
        client_id: client_id.to_owned(),
        scope: scope.to_owned(),
        exp: now + policy.access_token_ttl_secs,
        iat: now,
        jti: uuid::Uuid::new_v4().to_string(),
        auth_time,
    };
    let token = sign_access_token(signer, &claims).map_err(|e| InternalError::new("signing access token", e))?;
    Ok((token, claims))
}

/// What a successful grant hands to [`respond`].
struct Issuance<'a> {
    grant: &'a GrantRecord,
    /// The scope of this response (narrowed on refresh).
    scope: &'a str,
    /// Only in the ID token of the code exchange (OpenID Connect Core §12.2: not on refresh).
    nonce: Option<&'a str>,
    refresh_token: Option<FreshRefreshToken>,
}

/// Signs the access token and ID token and assembles the response.
fn respond(
    store: &impl TokenStore,
    keys: &KeyStore,
    policy: &TokenPolicy,
    issuance: Issuance<'_>,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let Issuance { grant, scope, nonce, refresh_token } = issuance;
    let user: User = store
        .find_user(&grant.user_id)?
        .ok_or_else(|| OAuthError::invalid_grant("the user of this grant no longer exists"))?;
    let signer = keys.signer();
    let (access_token, claims) =
        issue_access_token(&signer, policy, &user.subject, &grant.client_id, scope, Some(grant.auth_time), now)?;
    store.record_access_token(&claims.jti, &grant.id, claims.exp)?;
    // OpenID Connect Core §5.5: the claims requested for the ID token, on every ID token of the grant.
    let requested = ClaimsRequest::from_stored(grant.claims.as_deref())
        .map_err(|e| InternalError::new("stored claims request", e))?
        .within(
            &Scope::parse(scope).map_err(|_| OAuthError::new(ErrorCode::InvalidScope, "invalid scope"))?,
            &grant.scope,
        );
    let id_token = sign_id_token(
        &signer,
        &IdTokenInput {
            issuer: &policy.issuer,
            client_id: &grant.client_id,
            user: &user,
            scope,
            requested_claims: &requested.id_token,
            nonce,
            auth_time: grant.auth_time,
            access_token: &access_token,
            now,
            ttl_secs: policy.id_token_ttl_secs,
            sid: grant.session_id.as_deref(),
        },
    )
    .map_err(|e| InternalError::new("signing ID token", e))?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: policy.access_token_ttl_secs,
        refresh_token: refresh_token.map(|t| t.value.expose().to_owned()),
        id_token: Some(id_token),
        scope: scope.to_owned(),
    })
}
