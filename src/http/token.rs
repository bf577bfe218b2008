//! `POST /oauth/token` (RFC 6749 §3.2). Every response, success or error, is `no-store` (§5.1, §5.2).

use actix_web::{HttpRequest, HttpResponse, web};
use tracing::Instrument;

use super::blocking;
use super::extract::{client_credentials, form_params, source_address};
use super::render::{json_error, no_store};
use super::state::State;
use crate::oauth::token::{TokenRequest, handle_token_request};

pub async fn token(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let params = match form_params(&req, &body) {
        Ok(p) => p,
        Err(e) => return json_error(e.to_oauth().into()),
    };
    let credentials = match client_credentials(&req, &params) {
        Ok(c) => c,
        Err(e) => return json_error(e.into()),
    };
    let request = match TokenRequest::parse(&params) {
        Ok(r) => r,
        Err(e) => return json_error(e.into()),
    };
    let source = source_address(&req, state.settings.trust_forwarded_headers);
    let span =
        tracing::info_span!("token", client_id = %credentials.client_id(), grant_type = request.grant_type().as_str());
    async move {
        match blocking(move || handle_token_request(&state.provider, &credentials, &source, request)).await {
            Ok(response) => {
                tracing::info!(event = "token_issued", scope = %response.scope, "tokens issued");
                no_store(&mut HttpResponse::Ok()).json(response)
            }
            Err(failure) => json_error(failure),
        }
    }
    .instrument(span)
    .await
}
