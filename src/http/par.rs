//! `POST /oauth/par` (RFC 9126 §2): read the form and the client's credentials, push the request, answer 201 with
//! the request_uri, or the error as the token endpoint would (§2.3), all `no-store`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::blocking;
use super::extract::{client_credentials, form_params, source_address};
use super::render::{json_error, no_store};
use super::state::State;
use crate::oauth::authorize::push;

pub async fn pushed_authorization_request(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    // `pushed_authorization_requests = false`: the endpoint does not exist.
    if !state.settings.pushed_authorization_requests {
        return HttpResponse::NotFound().finish();
    }
    let params = match form_params(&req, &body) {
        Ok(p) => p,
        Err(e) => return json_error(e.to_oauth().into()),
    };
    let credentials = match client_credentials(&req, &params) {
        Ok(c) => c,
        Err(e) => return json_error(e.into()),
    };
    let source = source_address(&req, state.settings.trust_forwarded_headers);
    match blocking(state.core(), move || push(&state.provider, &credentials, &source, &params)).await {
        // RFC 9126 §2.2: "201 Created".
        Ok(pushed) => no_store(&mut HttpResponse::Created()).json(pushed),
        Err(failure) => json_error(failure),
    }
}
