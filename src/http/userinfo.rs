//! `GET` and `POST /userinfo`, OpenID Connect Core §5.3, with a Bearer access token (RFC 6750 §2.1, §2.2) or a
//! DPoP-bound one (`Authorization: DPoP` and a `DPoP` proof, RFC 9449 §7.1).

use actix_web::{HttpRequest, HttpResponse, web};

use super::blocking;
use super::extract::{BearerToken, bearer_token, dpop_proof, dpop_token, form_params};
use super::render::{bearer_error, dpop_error, no_store, with_dpop_nonce};
use super::state::State;
use crate::error::{ErrorCode, OAuthError};
use crate::oauth::userinfo::{Presented, userinfo_request};
use crate::oidc::metadata::USERINFO_PATH;
use crate::params::Params;

pub async fn userinfo_get(state: State, req: HttpRequest) -> HttpResponse {
    userinfo(state, &req, None, "GET").await
}

pub async fn userinfo_post(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    if body.is_empty() {
        return userinfo(state, &req, None, "POST").await;
    }
    match form_params(&req, &body) {
        Ok(form) => userinfo(state, &req, Some(form), "POST").await,
        Err(e) => bearer_error(e.to_oauth().into()),
    }
}

async fn userinfo(state: State, req: &HttpRequest, form: Option<Params>, method: &'static str) -> HttpResponse {
    // RFC 9449 §7.1: `Authorization: DPoP <token>` with the request's proof.
    if let Some(token) = dpop_token(req) {
        let nonce = state.provider.dpop.nonce(state.provider.now());
        let Some(token) = token else {
            return dpop_error(OAuthError::invalid_request("malformed Authorization header").into());
        };
        let presented = Presented::Dpop(dpop_proof(req, method, format!("{}{USERINFO_PATH}", state.provider.issuer)));
        let response = match blocking(state.core(), move || userinfo_request(&state.provider, &token, &presented)).await
        {
            Ok(claims) => no_store(&mut HttpResponse::Ok()).json(claims),
            Err(failure) => dpop_error(failure),
        };
        return with_dpop_nonce(response, nonce);
    }
    let token = match bearer_token(req, form.as_ref()) {
        BearerToken::Present(token) => token,
        BearerToken::Missing => {
            let missing = OAuthError::new(ErrorCode::InvalidToken, "the access token is invalid or expired");
            return bearer_error(missing.with_detail("no access token").into());
        }
        // RFC 6750 §3.1: a malformed request is invalid_request (400), still with the challenge (§3).
        BearerToken::Malformed => {
            return bearer_error(OAuthError::invalid_request("malformed Authorization header").into());
        }
        BearerToken::Ambiguous => {
            return bearer_error(OAuthError::invalid_request("send the access token one way only").into());
        }
    };
    // RSA verification is CPU work: on the blocking pool with the queries, off the async workers.
    match blocking(state.core(), move || userinfo_request(&state.provider, &token, &Presented::Bearer)).await {
        Ok(claims) => no_store(&mut HttpResponse::Ok()).json(claims),
        Err(failure) => bearer_error(failure),
    }
}
