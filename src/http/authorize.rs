//! `GET` and `POST /oauth/authorize` (RFC 6749 §3.1: both methods; OpenID Connect Core §3.1.2.1).

use actix_web::{HttpRequest, HttpResponse, web};

use super::extract::{ExtractError, cookie, decodable_single_params, form_params, query_params};
use super::render::{authorization_response, error_page, see_other};
use super::{State, blocking};
use crate::domain::Scope;
use crate::error::{Failure, OAuthError};
use crate::oauth::Params;
use crate::oauth::authorize::{
    Authentication, AuthorizationRequest, AuthorizationResponse, Decision, decide, issue_code, validate_request,
    verify_client_and_redirect,
};
use crate::oidc::id_token::verify_id_token_hint;
use crate::secrets::{random_token, token_hash};
use crate::session::{BROWSER_COOKIE, SESSION_COOKIE, browser_cookie, current_authentication, new_browser_id};
use crate::startup::AppState;
use crate::storage::{ConsentStore, InteractionRecord, InteractionStore};

pub async fn authorize_get(state: State, req: HttpRequest) -> HttpResponse {
    let raw = req.query_string().as_bytes().to_vec();
    let params = query_params(&req);
    authorize(state, req, params, raw).await
}

pub async fn authorize_post(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let params = form_params(&req, &body);
    authorize(state, req, params, body.to_vec()).await
}

enum Outcome {
    /// Shown on our page: client or redirect URI not verified.
    Page(Failure),
    /// Sent back to the client (an authorization response or an error with state and iss).
    Respond(AuthorizationResponse),
    /// Parked: the user must log in or consent.
    Interaction { id: String, new_browser_id: Option<String> },
}

async fn authorize(state: State, req: HttpRequest, params: Result<Params, ExtractError>, raw: Vec<u8>) -> HttpResponse {
    let params = match params {
        Ok(p) => p,
        Err(e) => return unreadable_request(state, e, raw).await,
    };
    let session = cookie(&req, SESSION_COOKIE);
    let browser = cookie(&req, BROWSER_COOKIE);
    let worker_state = state.clone();
    let outcome = blocking(move || Ok(run(&worker_state, &params, session.as_deref(), browser.as_deref()))).await;
    match outcome {
        Ok(Outcome::Page(failure)) | Err(failure) => error_page(failure),
        Ok(Outcome::Respond(response)) => authorization_response(response),
        Ok(Outcome::Interaction { id, new_browser_id }) => {
            let mut response = see_other(&format!("/interaction/{id}"));
            if let Some(value) = new_browser_id {
                let _ = response.add_cookie(&browser_cookie(&value, state.secure_cookies));
            }
            response
        }
    }
}

/// A request with a repeated or undecodable parameter. RFC 6749 §4.1.2.1: errors other than a missing or invalid
/// redirection URI go back to the client, so if `client_id` and `redirect_uri` are each readable, sent once and
/// verify, the client gets `invalid_request` (with `state` only if that too is readable and single). Otherwise the
/// request cannot be trusted to name a redirect URI: our page, never a redirect.
async fn unreadable_request(state: State, error: ExtractError, raw: Vec<u8>) -> HttpResponse {
    let oauth_error = error.to_oauth();
    let single = decodable_single_params(&raw, &["client_id", "redirect_uri", "state"]);
    let worker_state = state.clone();
    let verified = blocking(move || Ok(verify_client_and_redirect(&worker_state.db, &single).ok())).await;
    match verified {
        Ok(Some((_, redirect))) => authorization_response(redirect.error(&state.issuer, &oauth_error)),
        Ok(None) => error_page(oauth_error.into()),
        Err(failure) => error_page(failure),
    }
}

fn run(state: &AppState, params: &Params, session: Option<&str>, browser: Option<&str>) -> Outcome {
    let now = state.now();
    let (client, redirect) = match verify_client_and_redirect(&state.db, params) {
        Ok(verified) => verified,
        Err(failure) => return Outcome::Page(failure),
    };
    let _span = tracing::info_span!("authorize", client_id = %client.id).entered();
    let to_client = |error: &OAuthError| {
        tracing::info!(error = %error.code, detail = error.detail.as_deref().unwrap_or(""), "authorization error sent to the client");
        Outcome::Respond(redirect.error(&state.issuer, error))
    };
    let mut request = match validate_request(&client, &redirect, params) {
        Ok(r) => r,
        Err(error) => return to_client(&error),
    };
    if let Some(hint) = params.get("id_token_hint") {
        // The hint must have been issued to this client.
        match verify_id_token_hint(&state.keys, hint, &state.issuer).map(|h| (h.client_id == client.id.as_str(), h)) {
            Ok((false, _)) => {
                return to_client(
                    &OAuthError::invalid_request("id_token_hint is not a valid ID token").with_detail("aud"),
                );
            }
            // The claims parameter may name a subject too (OpenID Connect Core §5.5.1): both must agree.
            Ok((true, hint)) if request.expected_subject.as_ref().is_some_and(|claimed| *claimed != hint.subject) => {
                let error = OAuthError::invalid_request("id_token_hint and the claims parameter name different users");
                return to_client(&error);
            }
            Ok((true, hint)) => request.expected_subject = Some(hint.subject),
            Err(e) => {
                let error = OAuthError::invalid_request("id_token_hint is not a valid ID token");
                return to_client(&error.with_detail(e.to_string()));
            }
        }
    }
    let result = (|| -> Result<Outcome, Failure> {
        let authentication = current_authentication(&state.db, session, now, state.settings.session_idle_secs as i64)?;
        let granted = granted_scope(state, authentication.as_ref(), &request)?;
        match decide(&request, &client, authentication, granted.as_ref(), now) {
            Decision::Login => park(state, &request, None, browser),
            Decision::Consent(auth) => park(state, &request, Some(auth), browser),
            Decision::Issue(auth) => Ok(Outcome::Respond(issue_code(
                &state.db,
                &request,
                &auth,
                &state.issuer,
                now,
                state.settings.authorization_code_ttl_secs as i64,
            )?)),
            Decision::Refuse(error) => Ok(to_client(&error)),
        }
    })();
    match result {
        Ok(outcome) => outcome,
        // The redirect URI is verified: even our own failure goes back to the client as server_error.
        Err(Failure::Internal(internal)) => {
            internal.log();
            to_client(&OAuthError::new(crate::error::ErrorCode::ServerError, "internal error"))
        }
        Err(Failure::OAuth(error)) => to_client(&error),
        Err(Failure::Unavailable(reason)) => {
            tracing::warn!(%reason, "database unavailable");
            to_client(&OAuthError::new(
                crate::error::ErrorCode::TemporarilyUnavailable,
                "the service is temporarily unavailable; retry later",
            ))
        }
    }
}

pub(super) fn granted_scope(
    state: &AppState,
    authentication: Option<&Authentication>,
    request: &AuthorizationRequest,
) -> Result<Option<Scope>, Failure> {
    let Some(auth) = authentication else { return Ok(None) };
    Ok(state.db.find_consent(&auth.user_id, &request.client_id)?.and_then(|s| Scope::parse(&s).ok()))
}

/// Parks the request behind a login or consent page, bound to this browser.
fn park(
    state: &AppState,
    request: &AuthorizationRequest,
    authentication: Option<Authentication>,
    browser: Option<&str>,
) -> Result<Outcome, Failure> {
    let now = state.now();
    let (browser_id, new_browser_id) = match browser {
        Some(existing) => (existing.to_owned(), None),
        None => {
            let fresh = new_browser_id().expose().to_owned();
            (fresh.clone(), Some(fresh))
        }
    };
    let id = random_token(16).expose().to_owned();
    let record = InteractionRecord {
        id: id.clone(),
        browser_hash: token_hash(&browser_id),
        csrf_token: random_token(32).expose().to_owned(),
        request: serde_json::to_string(request)
            .map_err(|e| crate::error::InternalError::new("serialising a parked request", e))?,
        login: authentication.map(|a| (a.user_id, a.auth_time)),
        expires_at: now + state.settings.interaction_ttl_secs as i64,
    };
    state.db.park_interaction(&record, now)?;
    Ok(Outcome::Interaction { id, new_browser_id })
}
