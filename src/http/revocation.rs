//! `POST /oauth/revoke` (RFC 7009) and `POST /oauth/introspect` (RFC 7662).

use actix_web::{HttpRequest, HttpResponse, web};

use super::blocking;
use super::extract::{client_credentials, form_params, source_address};
use super::render::{json_error, no_store};
use super::state::State;
use crate::error::Failure;
use crate::oauth::revocation::{TokenQuery, introspection_request, revocation_request};

/// What both endpoints read (RFC 7009 §2.1, RFC 7662 §2.1): the form, the client's credentials, the `token`.
fn token_query(state: &State, req: &HttpRequest, body: &[u8]) -> Result<TokenQuery, Failure> {
    let params = form_params(req, body).map_err(|e| e.to_oauth())?;
    let credentials = client_credentials(req, &params)?;
    let token = params.required("token", "token is missing")?.to_owned();
    Ok(TokenQuery {
        credentials,
        source: source_address(req, state.settings.trust_forwarded_headers),
        token,
        token_type_hint: params.get("token_type_hint").map(str::to_owned),
    })
}

pub async fn revocation(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let query = match token_query(&state, &req, &body) {
        Ok(query) => query,
        Err(failure) => return json_error(failure),
    };
    match blocking(state.core(), move || revocation_request(&state.provider, &query)).await {
        // RFC 7009 §2.2: 200 whether or not the token was valid.
        Ok(()) => no_store(&mut HttpResponse::Ok()).finish(),
        Err(failure) => json_error(failure),
    }
}

pub async fn introspection(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let query = match token_query(&state, &req, &body) {
        Ok(query) => query,
        Err(failure) => return json_error(failure),
    };
    match blocking(state.core(), move || introspection_request(&state.provider, &query)).await {
        Ok(answer) => no_store(&mut HttpResponse::Ok()).json(answer),
        Err(failure) => json_error(failure),
    }
}
