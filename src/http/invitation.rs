//! `GET`/`POST /invite/{token}`: the page of an invitation link (set a password, then signed in).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::authorize::browser_cookies;
use super::extract::{client_context, form_params};
use super::pages::InvitationHtml;
use super::render::{error_page, html, look, see_other};
use super::state::State;
use super::{blocking, blocking_with_password_check};
use crate::oauth::invitation::{InvitationStep, accept_invitation, open_invitation};
use crate::oauth::invitation::{accept_invitation_with_passkey, invitation_passkey_options};

pub async fn show(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let token = path.into_inner();
    let worker = state.clone();
    let step = blocking(state.core(), move || open_invitation(&worker.provider, &token)).await;
    render(&state, &req, step)
}

pub async fn submit(state: State, req: HttpRequest, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let token = path.into_inner();
    let params = match form_params(&req, &body) {
        Ok(params) => params,
        Err(e) => return error_page(look(&state, &req, None), e.to_oauth().into()),
    };
    let session = browser_cookies(&req, &state.cookies).session;
    let client = client_context(&req, state.settings.trust_forwarded_headers);
    let worker = state.clone();
    let step = blocking_with_password_check(move || {
        accept_invitation(&worker.provider, &token, &params, session.as_deref(), &client)
    })
    .await;
    render(&state, &req, step)
}

fn render(state: &State, req: &HttpRequest, step: Result<InvitationStep, crate::error::Failure>) -> HttpResponse {
    let look = look(state, req, None);
    let passkey_path = format!("{}/passkey", req.path().trim_end_matches("/passkey"));
    match step {
        Ok(InvitationStep::Form { username, csrf_token, error, passkey }) => {
            let passkey = passkey.then_some(passkey_path.as_str());
            let page =
                InvitationHtml { look, username: &username, csrf_token: &csrf_token, error, gone: false, passkey };
            let mut response = html(StatusCode::OK, &page);
            if passkey.is_some() {
                response.headers_mut().insert(
                    actix_web::http::header::CONTENT_SECURITY_POLICY,
                    actix_web::http::header::HeaderValue::from_static(super::pages::PASSKEY_CSP),
                );
            }
            response
        }
        // Expired, used or unknown: a page that says so (410: the link will not work again).
        Ok(InvitationStep::Gone) => html(
            StatusCode::GONE,
            &InvitationHtml { look, username: "", csrf_token: "", error: None, gone: true, passkey: None },
        ),
        Ok(InvitationStep::SignedIn { session_cookie }) => {
            let mut response = see_other("/");
            let ttl = state.provider.transaction.session_ttl_secs;
            let _ = response.add_cookie(&state.cookies.session_cookie(session_cookie.expose(), ttl));
            response
        }
        Err(failure) => error_page(look, failure),
    }
}

/// `POST /invite/{token}/passkey`: the passkey registered from the invitation's page.
pub async fn submit_passkey(state: State, req: HttpRequest, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let token = path.into_inner();
    let params = match form_params(&req, &body) {
        Ok(params) => params,
        Err(e) => return error_page(look(&state, &req, None), e.to_oauth().into()),
    };
    let session = browser_cookies(&req, &state.cookies).session;
    let client = client_context(&req, state.settings.trust_forwarded_headers);
    let worker = state.clone();
    let step = blocking(state.core(), move || {
        accept_invitation_with_passkey(&worker.provider, &token, &params, session.as_deref(), &client)
    })
    .await;
    render(&state, &req, step)
}

/// `POST /invite/{token}/passkey/options`: the registration options, as JSON for the page's script.
pub async fn passkey_options(
    state: State,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let token = path.into_inner();
    let params = match form_params(&req, &body) {
        Ok(params) => params,
        Err(e) => return super::render::json_error(e.to_oauth().into()),
    };
    let worker = state.clone();
    match blocking(state.core(), move || invitation_passkey_options(&worker.provider, &token, &params)).await {
        Ok(Some(json)) => HttpResponse::Ok()
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .content_type("application/json")
            .body(json),
        Ok(None) => HttpResponse::Gone().finish(),
        Err(failure) => super::render::json_error(failure),
    }
}
