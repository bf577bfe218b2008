//! `POST /oauth/token` (RFC 6749 §3.2). Every response, success or error, is `no-store` (§5.1, §5.2).

use actix_web::{HttpRequest, HttpResponse, web};
use tracing::Instrument;

use super::blocking;
use super::extract::{client_credentials, dpop_proof, form_params, source_address};
use super::render::{json_error, no_store, with_dpop_nonce};
use super::state::State;
use crate::oauth::token::{TokenRequest, handle_token_request};
use crate::oidc::metadata::TOKEN_PATH;

pub async fn token(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    // RFC 9449 §8: with server nonces on, every answer of the token endpoint carries the current one.
    let nonce = state.provider.dpop.nonce(state.provider.now());
    with_dpop_nonce(token_response(state, req, body).await, nonce)
}

async fn token_response(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
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
    let proof = dpop_proof(&req, "POST", format!("{}{TOKEN_PATH}", state.provider.issuer));
    let source = source_address(&req, state.settings.trust_forwarded_headers);
    let span =
        tracing::info_span!("token", client_id = %credentials.client_id(), grant_type = request.grant_type().as_str());
    async move {
        match blocking(state.core(), move || {
            handle_token_request(&state.provider, &credentials, &source, request, &proof)
        })
        .await
        {
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
