//! The token endpoint's core (RFC 6749 §3.2): authenticate the client, check it may use the grant, run the grant.

use super::issue::TokenResponse;
use super::policy::TokenPolicy;
use super::request::TokenRequest;
use super::{authorization_code, client_credentials, device_code, refresh_token, token_exchange};
use crate::domain::{AuditEvent, Client, GrantType, Timestamp};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oauth::audit::record;
use crate::oauth::client_auth::{ClientCredentials, authenticate_client};
use crate::oauth::dpop::{ProofRequest, check_proof};
use crate::oauth::provider::Provider;
use crate::oidc::metadata::TOKEN_PATH;

/// Authenticates the client and runs the grant. Called off the async workers (diesel and RSA are blocking).
pub fn handle_token_request(
    provider: &Provider,
    credentials: &ClientCredentials,
    source: &str,
    request: TokenRequest,
    proof: &ProofRequest,
) -> Result<TokenResponse, Failure> {
    let (store, now) = (&provider.db, provider.now());
    let client = authenticate_client(store, &provider.assertion_context(TOKEN_PATH), credentials, source, now)?;
    let grant_type = request.grant_type();
    let result = dpop_key(provider, &client, proof, now).and_then(|jkt| {
        let dpop = jkt.is_some();
        let mut response = run_grant(provider, &client, request, jkt, now)?;
        // RFC 9449 §5: "the token_type value in the response MUST be DPoP" when the access token is bound.
        if dpop {
            response.token_type = "DPoP";
        }
        Ok(response)
    });
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

/// The thumbprint of the key of the request's DPoP proof (RFC 9449 §4.3), if it has one.
fn dpop_key(
    provider: &Provider,
    client: &Client,
    proof: &ProofRequest,
    now: Timestamp,
) -> Result<Option<String>, Failure> {
    let jkt = check_proof(&provider.db, &provider.dpop, proof, None, now)?;
    // RFC 9449 §5.2 dpop_bound_access_tokens: "If the value is true, the authorization server MUST reject token
    // requests from the client that do not contain the DPoP header." The RFC names no code; a required header is
    // missing, so RFC 6749 §5.2 invalid_request ("The request is missing a required parameter").
    if jkt.is_none() && client.dpop_bound_access_tokens {
        return Err(OAuthError::invalid_request("this client must send a DPoP proof")
            .with_detail("dpop_bound_access_tokens: the token request has no DPoP header")
            .into());
    }
    Ok(jkt)
}

/// Checks the client may use the grant, and runs it; with `dpop_jkt`, its access token is bound to that key.
fn run_grant(
    provider: &Provider,
    client: &Client,
    request: TokenRequest,
    dpop_jkt: Option<String>,
    now: Timestamp,
) -> Result<TokenResponse, Failure> {
    let (store, keys) = (&provider.db, provider.keys.as_ref());
    // RFC 6749 §5.2 unsupported_grant_type: "The authorization grant type is not supported by the authorization
    // server" (a grant switched off in the settings).
    let off = match request.grant_type() {
        GrantType::TokenExchange => !provider.tokens.token_exchange,
        GrantType::DeviceCode => !provider.tokens.device_code,
        _ => false,
    };
    if off {
        return Err(OAuthError::new(ErrorCode::UnsupportedGrantType, "unsupported grant_type")
            .with_detail("the grant type is switched off in the settings")
            .into());
    }
    // RFC 6749 §5.2 unauthorized_client: "The authenticated client is not authorized to use this authorization
    // grant type."
    if !client.may_use(request.grant_type()) {
        return Err(OAuthError::new(ErrorCode::UnauthorizedClient, "this client may not use this grant type").into());
    }
    let policy = &TokenPolicy { dpop_jkt, ..provider.tokens.for_client(client) };
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
