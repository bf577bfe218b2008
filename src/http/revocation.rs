//! `POST /oauth/revoke` (RFC 7009) and `POST /oauth/introspect` (RFC 7662).

use actix_web::{HttpRequest, HttpResponse, web};

use super::extract::{client_credentials, form_params, source_address};
use super::render::{json_error, no_store};
use super::{State, blocking};
use crate::domain::ClientKind;
use crate::error::{ErrorCode, OAuthError};
use crate::oauth::Params;
use crate::oauth::client_auth::{ClientCredentials, authenticate_client};
use crate::oauth::revocation::{introspect, revoke};

/// The form, the client's credentials and the `token` parameter.
fn read(req: &HttpRequest, body: &[u8]) -> Result<(Params, ClientCredentials, String), OAuthError> {
    let params = form_params(req, body).map_err(|e| e.to_oauth())?;
    let credentials = client_credentials(req, &params)?;
    let token = params.required("token", "token is missing")?.to_owned();
    Ok((params, credentials, token))
}

pub async fn revocation(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let (params, credentials, token) = match read(&req, &body) {
        Ok(read) => read,
        Err(error) => return json_error(error.into()),
    };
    let source = source_address(&req, state.settings.trust_forwarded_headers);
    let result = blocking(move || {
        let client = authenticate_client(&state.db, &credentials, &source, state.now())?;
        let hint = params.get("token_type_hint");
        revoke(&state.db, &state.keys, &state.token_policy, &client, &token, hint, state.now())
    })
    .await;
    match result {
        // RFC 7009 §2.2: 200 whether or not the token was valid.
        Ok(()) => no_store(&mut HttpResponse::Ok()).finish(),
        Err(failure) => json_error(failure),
    }
}

pub async fn introspection(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let (params, credentials, token) = match read(&req, &body) {
        Ok(read) => read,
        Err(error) => return json_error(error.into()),
    };
    let source = source_address(&req, state.settings.trust_forwarded_headers);
    let result = blocking(move || {
        let client = authenticate_client(&state.db, &credentials, &source, state.now())?;
        // RFC 7662 §2.1: the endpoint "MUST also require some form of authorization"; a public client proves
        // nothing, so only confidential clients may introspect.
        if client.kind == ClientKind::Public {
            return Err(OAuthError::new(ErrorCode::InvalidClient, "client authentication failed")
                .with_detail("public clients cannot introspect")
                .into());
        }
        let hint = params.get("token_type_hint");
        introspect(&state.db, &state.keys, &state.token_policy, &client, &token, hint, state.now())
    })
    .await;
    match result {
        Ok(answer) => no_store(&mut HttpResponse::Ok()).json(answer),
        Err(failure) => json_error(failure),
    }
}
