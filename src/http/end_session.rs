//! `GET`/`POST /oauth/logout`: OpenID Connect RP-Initiated Logout 1.0. The decision is the core's
//! (`oidc::logout`); this extracts, calls it once, and renders its outcome.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::blocking;
use super::extract::{cookie, form_params, query_params};
use super::pages::{LoggedOutHtml, LogoutHtml};
use super::render::{error_page, html, look, see_other};
use super::state::State;
use crate::oidc::logout::{EndSessionInput, LogoutOutcome, end_session};
use crate::params::Params;

pub async fn end_session_get(state: State, req: HttpRequest) -> HttpResponse {
    match query_params(&req) {
        Ok(params) => logout(state, req, params).await,
        Err(e) => error_page(look(&state, &req, None), e.to_oauth().into()),
    }
}

pub async fn end_session_post(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    match form_params(&req, &body) {
        Ok(params) => logout(state, req, params).await,
        Err(e) => error_page(look(&state, &req, None), e.to_oauth().into()),
    }
}

async fn logout(state: State, req: HttpRequest, params: Params) -> HttpResponse {
    let session = cookie(&req, state.cookies.session);
    let browser = cookie(&req, state.cookies.browser);
    // RP-Initiated Logout §2: `ui_locales`, the languages of the pages shown.
    let ui_locales = params.get("ui_locales").map(|v| v.chars().take(512).collect::<String>());
    let worker = state.clone();
    let outcome = blocking(state.core(), move || {
        let p = &worker.provider;
        let input =
            EndSessionInput { params: &params, session_cookie: session.as_deref(), browser_cookie: browser.as_deref() };
        end_session(&p.db, &p.keys, &p.backchannel, &p.issuer, input, p.now())
    })
    .await;
    let look = look(&state, &req, ui_locales.as_deref());
    match outcome {
        Ok(LogoutOutcome::Done { redirect, back_link }) => {
            let mut response = match redirect {
                Some(location) => see_other(&location),
                None => {
                    let back = back_link.as_ref().map(|b| (b.name.as_str(), b.uri.as_str()));
                    html(StatusCode::OK, &LoggedOutHtml { look, back })
                }
            };
            let _ = response.add_cookie(&state.cookies.session_cookie_removal());
            response
        }
        Ok(LogoutOutcome::Confirm { client_name, username, fields, csrf_token, new_browser_cookie }) => {
            let page = LogoutHtml {
                look,
                client_name: client_name.as_deref(),
                username: &username,
                csrf_token: &csrf_token,
                fields: &fields,
            };
            let mut response = html(StatusCode::OK, &page);
            if let Some(value) = new_browser_cookie {
                let _ = response.add_cookie(&state.cookies.browser_cookie(value.expose()));
            }
            response
        }
        Err(failure) => error_page(look, failure),
    }
}
