//! `GET` and `POST /oauth/authorize` (RFC 6749 §3.1: both methods; OpenID Connect Core §3.1.2.1): extract the
//! parameters and cookies, start the authorization transaction, render its step.

use actix_web::{HttpRequest, HttpResponse, web};

use super::blocking;
use super::cookies::CookiePolicy;
use super::extract::{ExtractError, cookie, decodable_single_params, form_params, query_params, source_address};
use super::render;
use super::state::State;
use crate::oauth::authorize::{AuthorizationInput, BrowserCookies, start};
use crate::params::Params;

pub async fn authorize_get(state: State, req: HttpRequest) -> HttpResponse {
    let params = query_params(&req);
    authorize(state, &req, params, req.query_string().as_bytes()).await
}

pub async fn authorize_post(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let params = form_params(&req, &body);
    authorize(state, &req, params, &body).await
}

async fn authorize(state: State, req: &HttpRequest, params: Result<Params, ExtractError>, raw: &[u8]) -> HttpResponse {
    // For the error page, should the request be refused: the language it asked for (bounded like when parked).
    let ui_locales =
        params.as_ref().ok().and_then(|p| p.get("ui_locales")).map(|v| v.chars().take(512).collect::<String>());
    let input = match params {
        Ok(params) => AuthorizationInput::Readable(params),
        Err(e) => AuthorizationInput::Unreadable {
            error: e.to_oauth(),
            single: decodable_single_params(raw, &["client_id", "redirect_uri", "state"]),
        },
    };
    let cookies = browser_cookies(req, &state.cookies);
    let source = source_address(req, state.settings.trust_forwarded_headers);
    let worker = state.clone();
    match blocking(state.core(), move || Ok(start(&worker.provider, input, &cookies, &source))).await {
        Ok(step) => {
            let hints = render::StepHints { ui_locales: ui_locales.as_deref(), other_account: false };
            render::step(&state, req, step, hints)
        }
        Err(failure) => render::error_page(render::look(&state, req, ui_locales.as_deref()), failure),
    }
}

/// The cookies the authorization transaction reads, under the names they were set with.
pub fn browser_cookies(req: &HttpRequest, names: &CookiePolicy) -> BrowserCookies {
    BrowserCookies { session: cookie(req, names.session), browser: cookie(req, names.browser) }
}
