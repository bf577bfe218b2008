//! The token endpoint's core (RFC 6749 §3.2): authenticate the client, check it may use the grant, run the grant.

use super::issue::TokenResponse;
use super::request::TokenRequest;
use super::{authorization_code, client_credentials, device_code, refresh_token, token_exchange};
use crate::domain::{AuditEvent, Client, Timestamp};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oauth::audit::record;
use crate::oauth::client_auth::{ClientCredentials, authenticate_client};
use crate::oauth::provider::Provider;
use crate::oidc::metadata::TOKEN_PATH;

/// Authenticates the client and runs the grant. Called off the async workers (diesel and RSA are blocking).
pub fn handle_token_request(
    provider: &Provider,
    credentials: &ClientCredentials,
    source: &str,
    request: TokenRequest,
) -> Result<TokenResponse, Failure> {
    let (store, now) = (&provider.db, provider.now());
    let client = authenticate_client(store, &provider.assertion_context(TOKEN_PATH), credentials, source, now)?;
    let grant_type = request.grant_type();
    let result = run_grant(provider, &client, request, now);
    if result.is_ok() {
        metrics::counter!("tessera_tokens_issued_total", "grant_type" => grant_type.as_str()).increment(1);
    }
    // Refusals after the client authenticated, with the reason only the log saw (the integration doctor explains
    // them); client authentication failures were recorded by `authenticate_client`. Nothing is written for a success.
    if let Err(Failure::OAuth(e)) = &result {
        tracing::info!(event = "token_refused", client_id = %client.id, grant_type = grant_type.as_str(), error = e.code.as_str(), reason = e.detail.as_deref().unwrap_or(""), "token request refused");
        let event = AuditEvent::new("token_refused", now).client(client.id.as_str()).address(source);
        let event = event.with("grant_type", grant_type.as_str()).with("error", e.code.as_str());
        record(store, event.with("reason", e.detail.as_deref().unwrap_or(e.description)));
    }
    result
}

/// Checks the client may use the grant, and runs it.
fn run_grant(
    provider: &Provider,
    client: &Client,
    request: TokenRequest,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let (store, keys) = (&provider.db, provider.keys.as_ref());
    // RFC 6749 §5.2 unauthorized_client: "The authenticated client is not authorized to use this authorization
    // grant type."
    if !client.may_use(request.grant_type()) {
        return Err(OAuthError::new(ErrorCode::UnauthorizedClient, "this client may not use this grant type").into());
    }
    let policy = &provider.tokens.for_client(client);
    match request {
        TokenRequest::AuthorizationCode { code, redirect_uri, code_verifier, resource } => {
            authorization_code::exchange(
                store,
                keys,
                policy,
                client,
                authorization_code::CodeExchange {
                    code: &code,
                    redirect_uri: redirect_uri.as_deref(),
                    code_verifier: code_verifier.as_deref(),
                    resource: resource.as_deref(),
                },
                now,
            )
        }
        TokenRequest::RefreshToken { refresh_token, scope, resource } => {
            let request = refresh_token::Refresh {
                refresh_token: &refresh_token,
                scope: scope.as_deref(),
                resource: resource.as_deref(),
            };
            refresh_token::refresh(store, keys, policy, client, request, now)
        }
        TokenRequest::ClientCredentials { scope, resource } => {
            client_credentials::grant(store, keys, policy, client, scope.as_deref(), resource.as_deref(), now)
        }
        TokenRequest::TokenExchange {
            subject_token,
            subject_token_type,
            actor_token,
            actor_token_type,
            requested_token_type,
            scope,
            resource,
            audience,
        } => {
            let request = token_exchange::Exchange {
                subject_token: &subject_token,
                subject_token_type: &subject_token_type,
                actor_token: actor_token.as_deref(),
                actor_token_type: actor_token_type.as_deref(),
                requested_token_type: requested_token_type.as_deref(),
                scope: scope.as_deref(),
                resource: resource.as_deref(),
                audience: audience.as_deref(),
            };
            token_exchange::exchange(store, keys, policy, client, request, now)
        }
        TokenRequest::DeviceCode { device_code } => {
            device_code::exchange(store, keys, policy, client, &device_code, now)
        }
    }
}
