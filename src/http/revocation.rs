//! `POST /oauth/revoke` (RFC 7009) and `POST /oauth/introspect` (RFC 7662).

use actix_web::{HttpRequest, HttpResponse, web};

use super::extract::{client_credentials, form_params, source_address};
use super::render::{json_error, no_store};
use super::{State, blocking};
use crate::domain::{Client, ClientKind};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oauth::client_auth::authenticate_client;
use crate::oauth::revocation::{introspect, revoke};
use crate::startup::AppState;

/// What both endpoints start with: the form, the `token` parameter, and the client authenticated (RFC 7009 §2.1,
/// RFC 7662 §2.1); then `f` runs on the blocking pool with the client, the token and the `token_type_hint`.
async fn for_authenticated_client<T: Send + 'static>(
    state: State,
    req: &HttpRequest,
    body: &[u8],
    f: impl FnOnce(&AppState, &Client, &str, Option<&str>) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let params = form_params(req, body).map_err(|e| e.to_oauth())?;
    let credentials = client_credentials(req, &params)?;
    let token = params.required("token", "token is missing")?.to_owned();
    let source = source_address(req, state.settings.trust_forwarded_headers);
    blocking(move || {
        let client = authenticate_client(&state.db, &credentials, &source, state.now())?;
        f(&state, &client, &token, params.get("token_type_hint"))
    })
    .await
}

pub async fn revocation(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let result = for_authenticated_client(state, &req, &body, |state, client, token, hint| {
        revoke(&state.db, &state.keys, &state.token_policy, client, token, hint, state.now())
    })
    .await;
    match result {
        // RFC 7009 §2.2: 200 whether or not the token was valid.
        Ok(()) => no_store(&mut HttpResponse::Ok()).finish(),
        Err(failure) => json_error(failure),
    }
}

pub async fn introspection(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let result = for_authenticated_client(state, &req, &body, |state, client, token, hint| {
        // RFC 7662 §2.1: the endpoint "MUST also require some form of authorization"; a public client proves
        // nothing, so only confidential clients may introspect.
        if client.kind == ClientKind::Public {
            return Err(OAuthError::new(ErrorCode::InvalidClient, "client authentication failed")
                .with_detail("public clients cannot introspect")
                .into());
        }
        introspect(&state.db, &state.keys, &state.token_policy, client, token, hint, state.now())
    })
    .await;
    match result {
        Ok(answer) => no_store(&mut HttpResponse::Ok()).json(answer),
        Err(failure) => json_error(failure),
    }
}
