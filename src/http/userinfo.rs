//! `GET` and `POST /userinfo`, OpenID Connect Core §5.3, with a Bearer access token (RFC 6750 §2.1, §2.2).

use actix_web::{HttpRequest, HttpResponse, web};
use openidconnect::EmptyAdditionalClaims;
use openidconnect::core::CoreUserInfoClaims;

use super::extract::{BearerToken, bearer_token, form_params};
use super::render::{bearer_error, json_error, no_store};
use super::{State, blocking};
use crate::domain::Scope;
use crate::error::{ErrorCode, Failure, InternalError, OAuthError};
use crate::oauth::Params;
use crate::oauth::access_token::verify_access_token;
use crate::oidc::claims::{ClaimsRequest, standard_claims};
use crate::storage::{GrantStore, UserStore};

pub async fn userinfo_get(state: State, req: HttpRequest) -> HttpResponse {
    userinfo(state, &req, None).await
}

pub async fn userinfo_post(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    if body.is_empty() {
        return userinfo(state, &req, None).await;
    }
    match form_params(&req, &body) {
        Ok(form) => userinfo(state, &req, Some(form)).await,
        Err(e) => bearer_error(&e.to_oauth()),
    }
}

fn invalid_token(detail: impl Into<String>) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidToken, "the access token is invalid or expired").with_detail(detail)
}

async fn userinfo(state: State, req: &HttpRequest, form: Option<Params>) -> HttpResponse {
    let token = match bearer_token(req, form.as_ref()) {
        BearerToken::Present(token) => token,
        BearerToken::Missing => return bearer_error(&invalid_token("no access token")),
        // RFC 6750 §3.1: a malformed request is invalid_request (400), still with the challenge (§3).
        BearerToken::Malformed => {
            return bearer_error(&OAuthError::invalid_request("malformed Authorization header"));
        }
        BearerToken::Ambiguous => {
            return bearer_error(&OAuthError::invalid_request("send the access token one way only"));
        }
    };
    let result = blocking(move || {
        // RSA verification is CPU work: on the blocking pool with the queries, off the async workers.
        let claims = verify_access_token(&state.keys, &token, &state.issuer, &state.token_policy.access_token_audience)
            .map_err(|reason| invalid_token(reason.to_string()))?;
        // Offline verification says the token is genuine; the database says whether its grant was revoked since
        // (a reused code revokes the tokens issued from it).
        let grant = state.db.find_access_token_grant(&claims.jti)?.ok_or_else(|| invalid_token("token revoked"))?;
        if grant.revoked {
            return Err(invalid_token("grant revoked").into());
        }
        let user = state.db.find_user(&claims.sub)?.ok_or_else(|| invalid_token("user no longer exists"))?;
        let scope = Scope::parse(&claims.scope).map_err(|_| invalid_token("bad scope claim"))?;
        if !scope.contains("openid") {
            return Err(OAuthError::new(ErrorCode::InsufficientScope, "the token lacks the openid scope").into());
        }
        // OpenID Connect Core §5.5: plus the claims the authorization request asked for at userinfo.
        let requested = ClaimsRequest::from_stored(grant.claims.as_deref())
            .map_err(|e| InternalError::new("stored claims request", e))?
            .within(&scope, &grant.scope);
        Ok(CoreUserInfoClaims::new(standard_claims(&user, &scope, &requested.userinfo), EmptyAdditionalClaims {}))
    })
    .await;
    match result {
        Ok(claims) => no_store(&mut HttpResponse::Ok()).json(claims),
        Err(Failure::OAuth(error)) => bearer_error(&error),
        Err(failure) => json_error(failure),
    }
}
