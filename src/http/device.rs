//! The device authorization grant's HTTP side (RFC 8628): `POST /oauth/device_authorization` (§3.1), answered as
//! JSON with `no-store`; and `/device` (§3.3), where the person enters or confirms the user code, after which the
//! request walks the authorization transaction's sign-in and consent pages.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::authorize::browser_cookies;
use super::blocking;
use super::extract::{client_credentials, form_params, query_params, source_address};
use super::pages::DeviceHtml;
use super::render::{self, html, json_error, look, no_store};
use super::state::State;
use crate::oauth::authorize::{
    UserCodeEntry, UserCodeRefusal, device_authorization, display_user_code, enter_user_code, entry_form,
    normalise_user_code, start_device,
};

pub async fn device_authorization_request(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    // `device_authorization = false`: the endpoint does not exist.
    if !state.settings.device_authorization {
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
    match blocking(state.core(), move || device_authorization(&state.provider, &credentials, &source, &params)).await {
        // RFC 8628 §3.2: "200 (OK) status code", with the parameters as JSON.
        Ok(answer) => no_store(&mut HttpResponse::Ok()).json(answer),
        Err(failure) => json_error(failure),
    }
}

/// `GET /device[?user_code=…]`: the entry form, filled in when the code came with `verification_uri_complete`
/// (RFC 8628 §3.3.1: the person still confirms it, so a link alone never approves anything).
pub async fn show(state: State, req: HttpRequest) -> HttpResponse {
    if !state.settings.device_authorization {
        return HttpResponse::NotFound().finish();
    }
    let user_code = query_params(&req)
        .ok()
        .and_then(|p| p.get("user_code").and_then(normalise_user_code))
        .map(|code| display_user_code(&code))
        .unwrap_or_default();
    form_page(&state, &req, &user_code, None)
}

/// `POST /device`: the code entered; a live one parks the device's request for this browser and goes on to its
/// sign-in or consent page.
pub async fn submit(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    if !state.settings.device_authorization {
        return HttpResponse::NotFound().finish();
    }
    let params = match form_params(&req, &body) {
        Ok(params) => params,
        Err(e) => return render::error_page(look(&state, &req, None), e.to_oauth().into()),
    };
    let cookies = browser_cookies(&req, &state.cookies);
    let source = source_address(&req, state.settings.trust_forwarded_headers);
    let worker = state.clone();
    let outcome = blocking(state.core(), move || {
        Ok(match enter_user_code(&worker.provider, cookies.browser.as_deref(), &params, &source)? {
            UserCodeEntry::Request(request) => Ok(start_device(&worker.provider, &request, &cookies, &source)),
            UserCodeEntry::Refused(refusal) => Err(refusal),
        })
    })
    .await;
    match outcome {
        Ok(Ok(step)) => render::step(&state, &req, step, render::StepHints::default()),
        Ok(Err(refusal)) => form_page(&state, &req, "", Some(refusal)),
        Err(failure) => render::error_page(look(&state, &req, None), failure),
    }
}

fn form_page(state: &State, req: &HttpRequest, user_code: &str, error: Option<UserCodeRefusal>) -> HttpResponse {
    let browser = browser_cookies(req, &state.cookies).browser;
    let (csrf, new_cookie) = entry_form(browser.as_deref());
    let status = match error {
        None => StatusCode::OK,
        Some(UserCodeRefusal::Unknown) => StatusCode::BAD_REQUEST,
        Some(UserCodeRefusal::Throttled) => StatusCode::TOO_MANY_REQUESTS,
    };
    let page = DeviceHtml { look: look(state, req, None), csrf_token: &csrf, user_code, error };
    let mut response = html(status, &page);
    if let Some(value) = new_cookie {
        let _ = response.add_cookie(&state.cookies.browser_cookie(value.expose()));
    }
    response
}
