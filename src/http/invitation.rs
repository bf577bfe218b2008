//! `GET`/`POST /invite/{token}`: the page of an invitation link (set a password, then signed in).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::authorize::browser_cookies;
use super::blocking;
use super::extract::form_params;
use super::pages::InvitationHtml;
use super::render::{error_page, html, look, see_other};
use super::state::State;
use crate::oauth::invitation::{InvitationStep, accept_invitation, open_invitation};

pub async fn show(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let token = path.into_inner();
    let worker = state.clone();
    let step = blocking(move || open_invitation(&worker.provider, &token)).await;
    render(&state, &req, step)
}

pub async fn submit(state: State, req: HttpRequest, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let token = path.into_inner();
    let params = match form_params(&req, &body) {
        Ok(params) => params,
        Err(e) => return error_page(look(&state, &req, None), e.to_oauth().into()),
    };
    let session = browser_cookies(&req, &state.cookies).session;
    let worker = state.clone();
    let step = blocking(move || accept_invitation(&worker.provider, &token, &params, session.as_deref())).await;
    render(&state, &req, step)
}

fn render(state: &State, req: &HttpRequest, step: Result<InvitationStep, crate::error::Failure>) -> HttpResponse {
    let look = look(state, req, None);
    match step {
        Ok(InvitationStep::Form { username, csrf_token, error }) => {
            let page = InvitationHtml { look, username: &username, csrf_token: &csrf_token, error, gone: false };
            html(StatusCode::OK, &page)
        }
        // Expired, used or unknown: a page that says so (410: the link will not work again).
        Ok(InvitationStep::Gone) => {
            html(StatusCode::GONE, &InvitationHtml { look, username: "", csrf_token: "", error: None, gone: true })
        }
        Ok(InvitationStep::SignedIn { session_cookie }) => {
            let mut response = see_other("/");
            let ttl = state.provider.transaction.session_ttl_secs;
            let _ = response.add_cookie(&state.cookies.session_cookie(session_cookie.expose(), ttl));
            response
        }
        Err(failure) => error_page(look, failure),
    }
}
