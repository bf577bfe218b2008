//! `POST /oauth/register` (RFC 7591 §3) and `GET`/`PUT`/`DELETE /oauth/register/{client_id}` (RFC 7592 §2): read the
//! Bearer token and the JSON body, call the core once, answer JSON with `no-store`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::blocking;
use super::extract::{BearerToken, bearer_token, source_address};
use super::render::{bearer_error, no_store};
use super::state::State;
use crate::error::OAuthError;
use crate::oauth::registration::{self, RegistrationError};

/// The Bearer token, `Ok(None)` without one; a malformed header is answered at once (RFC 6750 §3.1).
fn token(req: &HttpRequest) -> Result<Option<String>, RegistrationError> {
    match bearer_token(req, None) {
        BearerToken::Present(token) => Ok(Some(token)),
        BearerToken::Missing => Ok(None),
        BearerToken::Malformed | BearerToken::Ambiguous => {
            Err(RegistrationError::Failure(OAuthError::invalid_request("malformed Authorization header").into()))
        }
    }
}

/// The core on the blocking pool; its failures and the pool's in one type.
async fn run<T: Send + 'static>(
    pool: tokio::runtime::Handle,
    f: impl FnOnce() -> Result<T, RegistrationError> + Send + 'static,
) -> Result<T, RegistrationError> {
    match blocking(pool, move || Ok(f())).await {
        Ok(result) => result,
        Err(failure) => Err(RegistrationError::Failure(failure)),
    }
}

fn refused(error: RegistrationError) -> HttpResponse {
    match error {
        RegistrationError::Off => HttpResponse::NotFound().finish(),
        // RFC 7591 §3.2.2: 400 with the error and a description for the developer.
        RegistrationError::Metadata { error, description } => {
            tracing::info!(error, detail = %description, "registration refused");
            no_store(&mut HttpResponse::BadRequest()).json(json!({ "error": error, "error_description": description }))
        }
        RegistrationError::Failure(failure) => bearer_error(failure),
    }
}

pub async fn register(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let token = match token(&req) {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    let source = source_address(&req, state.settings.trust_forwarded_headers);
    match run(state.core(), move || registration::register(&state.provider, token.as_deref(), &source, &body)).await {
        // RFC 7591 §3.2.1: "201 Created".
        Ok(info) => no_store(&mut HttpResponse::Created()).json(info),
        Err(e) => refused(e),
    }
}

pub async fn read(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let token = match token(&req) {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    let id = path.into_inner();
    match run(state.core(), move || registration::read(&state.provider, &id, token.as_deref())).await {
        Ok(info) => no_store(&mut HttpResponse::Ok()).json(info),
        Err(e) => refused(e),
    }
}

pub async fn replace(state: State, req: HttpRequest, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let token = match token(&req) {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    let id = path.into_inner();
    match run(state.core(), move || registration::replace(&state.provider, &id, token.as_deref(), &body)).await {
        // RFC 7592 §2.2: "200 OK" with the client information.
        Ok(info) => no_store(&mut HttpResponse::Ok()).json(info),
        Err(e) => refused(e),
    }
}

pub async fn delete(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let token = match token(&req) {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    let id = path.into_inner();
    match run(state.core(), move || registration::delete(&state.provider, &id, token.as_deref())).await {
        // RFC 7592 §2.3: "204 No Content".
        Ok(()) => no_store(&mut HttpResponse::NoContent()).finish(),
        Err(e) => refused(e),
    }
}
