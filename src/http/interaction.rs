//! The pages an authorization request is parked behind: `GET /interaction/{id}` shows the current one (a sign-in
//! step or consent), `POST /interaction/{id}/{form}` submits one. Both resume the transaction in the core.

use actix_web::{HttpRequest, HttpResponse, web};

use super::authorize::browser_cookies;
use super::extract::{client_context, form_params};
use super::render;
use super::state::State;
use super::{blocking, blocking_with_password_check};
use crate::oauth::authorize::{PageAction, passkey_options, resume};

pub async fn show(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let id = path.into_inner();
    let cookies = browser_cookies(&req, &state.cookies);
    // "Not you? Use another account" comes back here with `account=other`: the same page, username field empty.
    let other_account = req.query_string().split('&').any(|pair| pair == "account=other");
    let worker = state.clone();
    match blocking(state.core(), move || Ok(resume(&worker.provider, &id, PageAction::Show, &cookies))).await {
        Ok(step) => render::step(&state, &req, step, render::StepHints { ui_locales: None, other_account }),
        Err(failure) => render::error_page(render::look(&state, &req, None), failure),
    }
}

pub async fn submit(
    state: State,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (id, form) = path.into_inner();
    let params = match form_params(&req, &body) {
        Ok(params) => params,
        Err(e) => return render::error_page(render::look(&state, &req, None), e.to_oauth().into()),
    };
    let cookies = browser_cookies(&req, &state.cookies);
    let client = client_context(&req, state.settings.trust_forwarded_headers);
    let worker = state.clone();
    let step = blocking_with_password_check(move || {
        let action = PageAction::Submit { form: &form, params: &params, client: &client };
        Ok(resume(&worker.provider, &id, action, &cookies))
    })
    .await;
    match step {
        Ok(step) => render::step(&state, &req, step, render::StepHints::default()),
        Err(failure) => render::error_page(render::look(&state, &req, None), failure),
    }
}

/// `POST /interaction/{id}/passkey/options`: the WebAuthn options of the page's passkey ceremony, as JSON for the
/// page's script (a form post with the interaction's CSRF token). A refusal is a JSON error with its status.
pub async fn passkey(state: State, req: HttpRequest, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let id = path.into_inner();
    let params = match form_params(&req, &body) {
        Ok(params) => params,
        Err(e) => return render::json_error(e.to_oauth().into()),
    };
    let cookies = browser_cookies(&req, &state.cookies);
    let worker = state.clone();
    match blocking(state.core(), move || passkey_options(&worker.provider, &id, &params, &cookies)).await {
        Ok(json) => HttpResponse::Ok()
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .content_type("application/json")
            .body(json),
        Err(failure) => render::json_error(failure),
    }
}
