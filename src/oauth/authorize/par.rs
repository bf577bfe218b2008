//! Pushed authorization requests, RFC 9126: the client sends its authorization request's parameters to the PAR
//! endpoint, authenticated, and gets a `request_uri` to send the browser with instead. The pushed parameters go
//! through the same phase-1 and phase-2 checks as a front-channel request, here and again when the request_uri
//! comes back to `start` (a new way into the transaction).

use serde::Serialize;

use super::redirect::verify_client_and_redirect;
use super::validate::check_request;
use crate::domain::Timestamp;
use crate::error::{ErrorCode, Failure, InternalError, OAuthError};
use crate::oauth::client_auth::{ClientCredentials, authenticate_client};
use crate::oauth::provider::Provider;
use crate::oidc::metadata::PAR_PATH;
use crate::params::Params;
use crate::secrets::random_token;
use crate::storage::{PushedRequestStore, ResourceStore};

/// RFC 9126 §2.2: "urn:ietf:params:oauth:request_uri:" followed by a reference the server can find the request
/// by; here 256 random bits.
pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

/// RFC 9126 §2.2, answered with 201 Created.
#[derive(Debug, Serialize)]
pub struct PushedRequest {
    pub request_uri: String,
    pub expires_in: i64,
}

/// Client authentication parameters: they authenticate the push and are not part of the request.
const AUTHENTICATION_PARAMS: [&str; 3] = ["client_secret", "client_assertion", "client_assertion_type"];

/// `POST /oauth/par`: authenticates the client (RFC 9126 §2: "MUST ... authenticate the client in the same way as at
/// the token endpoint"), checks the request as the authorization endpoint would (§2.1), and keeps it under a fresh
/// single-use request_uri.
pub fn push(
    provider: &Provider,
    credentials: &ClientCredentials,
    source: &str,
    params: &Params,
) -> Result<PushedRequest, Failure> {
    let now = provider.now();
    let context = provider.assertion_context(PAR_PATH);
    let client = authenticate_client(&provider.db, &context, credentials, source, now)?;
    // §2.1: "The request_uri authorization request parameter MUST NOT be provided in this case."
    if params.get("request_uri").is_some() {
        return Err(OAuthError::invalid_request("request_uri is not allowed in a pushed request").into());
    }
    // The request is the authenticated client's (client_id, if sent, was matched to it when extracting).
    let pairs = params
        .pairs()
        .filter(|(name, _)| !AUTHENTICATION_PARAMS.contains(name) && *name != "client_id")
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .chain([("client_id".to_owned(), client.id.to_string())]);
    let request = Params::from_pairs(pairs).map_err(|e| e.to_oauth())?;
    // §2.1: "the authorization server MUST validate the pushed request as it would an authorization request sent to
    // the authorization endpoint"; errors are answered here, as JSON (§2.3), never by a redirect.
    let (_, redirect) = verify_client_and_redirect(&provider.db, &request)?;
    let resources = provider.db.list_resources()?;
    check_request(&client, &redirect, &request, &resources, &provider.keys, &provider.issuer)?;
    let request_uri = format!("{REQUEST_URI_PREFIX}{}", random_token(32).expose());
    let map: serde_json::Map<String, serde_json::Value> =
        request.pairs().map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.to_owned()))).collect();
    let stored = serde_json::to_string(&map).map_err(|e| InternalError::new("storing a pushed request", e))?;
    let ttl = provider.transaction.pushed_request_ttl_secs;
    provider.db.push_request(&request_uri, client.id.as_str(), &stored, now + ttl)?;
    tracing::info!(event = "authorization_request_pushed", client_id = %client.id, "authorization request pushed");
    Ok(PushedRequest { request_uri, expires_in: ttl })
}

/// RFC 9126 §4: an authorization request naming a pushed request_uri is that pushed request: its parameters, taken
/// once (the request_uri is deleted), for the client that pushed it, before it expires; the other front-channel
/// parameters are ignored. `None` when the request names no pushed request_uri.
pub(super) fn pushed_params(
    store: &impl PushedRequestStore,
    params: &Params,
    now: Timestamp,
) -> Result<Option<Params>, Failure> {
    let Some(request_uri) = params.get("request_uri").filter(|u| u.starts_with(REQUEST_URI_PREFIX)) else {
        return Ok(None);
    };
    let invalid = |detail: &str| {
        OAuthError::new(ErrorCode::InvalidRequestUri, "the request_uri is unknown, used or expired")
            .with_detail(detail.to_owned())
    };
    let client_id = params.required("client_id", "client_id is missing")?;
    let stored = store
        .take_pushed_request(request_uri, client_id, now)?
        .ok_or_else(|| invalid("no live pushed request of this client with this request_uri"))?;
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&stored).map_err(|e| InternalError::new("reading a pushed request", e))?;
    let pairs = map.into_iter().filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())));
    Ok(Some(Params::from_pairs(pairs).map_err(|e| e.to_oauth())?))
}
