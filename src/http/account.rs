//! `/account`: the account page, the authenticator app's enrolment, and the page's form posts. Extract, call
//! `oauth::account` once, render.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::account_pages::{AccountHtml, RecoveryCodesHtml, TotpSetupHtml, qr_data_uri};
use super::authorize::browser_cookies;
use super::extract::{client_context, form_params};
use super::pages::Look;
use super::render::{error_page, html, look, see_other};
use super::state::State;
use super::{blocking, blocking_with_password_check};
use crate::error::InternalError;
use crate::oauth::account::{
    AccountOutcome, AccountRefusal, AccountSignIn, TotpSetup, account_action, account_sign_in, account_view,
    sign_in_form, totp_setup,
};
use crate::oauth::account::{account_passkey_options, account_reauth_options};

pub async fn show(state: State, req: HttpRequest) -> HttpResponse {
    let session = browser_cookies(&req, &state.cookies).session;
    let worker = state.clone();
    let view = blocking(state.core(), move || account_view(&worker.provider, session.as_deref())).await;
    let look = look(&state, &req, None);
    match view {
        Ok(Some(view)) => with_passkey_csp(
            html(StatusCode::OK, &AccountHtml { look, view: Some(&view), error: None, sign_in_csrf: "" }),
            view.passkeys.is_some(),
        ),
        Ok(None) => sign_in_page(&state, &req, look, None),
        Err(failure) => error_page(look, failure),
    }
}

/// The account page of a browser nobody is signed in to: its sign-in form (and the browser-binding cookie its CSRF
/// token is bound to, when the browser has none yet).
fn sign_in_page(state: &State, req: &HttpRequest, look: Look<'_>, error: Option<AccountRefusal>) -> HttpResponse {
    let browser = browser_cookies(req, &state.cookies).browser;
    let (csrf, new_cookie) = sign_in_form(browser.as_deref());
    let mut response = html(StatusCode::OK, &AccountHtml { look, view: None, error, sign_in_csrf: &csrf });
    if let Some(value) = new_cookie {
        let _ = response.add_cookie(&state.cookies.browser_cookie(value.expose()));
    }
    response
}

async fn sign_in(state: State, req: HttpRequest, params: crate::params::Params) -> HttpResponse {
    let cookies = browser_cookies(&req, &state.cookies);
    let client = client_context(&req, state.settings.trust_forwarded_headers);
    let worker = state.clone();
    let outcome = blocking_with_password_check(move || {
        account_sign_in(&worker.provider, cookies.browser.as_deref(), cookies.session.as_deref(), &params, &client)
    })
    .await;
    let look = look(&state, &req, None);
    match outcome {
        Ok(AccountSignIn::SignedIn { session_cookie }) => {
            let mut response = see_other("/account");
            let ttl = state.provider.transaction.session_ttl_secs;
            let _ = response.add_cookie(&state.cookies.session_cookie(session_cookie.expose(), ttl));
            response
        }
        Ok(AccountSignIn::Refused(refusal)) => sign_in_page(&state, &req, look, Some(refusal)),
        Err(failure) => error_page(look, failure),
    }
}

pub async fn totp(state: State, req: HttpRequest) -> HttpResponse {
    let session = browser_cookies(&req, &state.cookies).session;
    let worker = state.clone();
    let setup = blocking(state.core(), move || totp_setup(&worker.provider, session.as_deref())).await;
    let look = look(&state, &req, None);
    match setup {
        Ok(Some(setup)) => setup_page(look, &setup, None),
        Ok(None) => sign_in_page(&state, &req, look, None),
        Err(failure) => error_page(look, failure),
    }
}

fn setup_page(look: Look<'_>, setup: &TotpSetup, error: Option<AccountRefusal>) -> HttpResponse {
    let Some(qr) = qr_data_uri(&setup.otpauth_uri) else {
        return error_page(look, InternalError::new("drawing a QR code", anyhow::anyhow!("too long")).into());
    };
    let page = TotpSetupHtml {
        look,
        qr_data_uri: &qr,
        secret: &setup.secret,
        csrf_token: &setup.csrf_token,
        reauth: setup.reauth,
        error,
    };
    html(StatusCode::OK, &page)
}

pub async fn submit(state: State, req: HttpRequest, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let action = path.into_inner();
    let params = match form_params(&req, &body) {
        Ok(params) => params,
        Err(e) => return error_page(look(&state, &req, None), e.to_oauth().into()),
    };
    if action == "sign-in" {
        return sign_in(state, req, params).await;
    }
    let session = browser_cookies(&req, &state.cookies).session;
    let client = client_context(&req, state.settings.trust_forwarded_headers);
    let worker = state.clone();
    let cookie = session.clone();
    let outcome = blocking_with_password_check(move || {
        account_action(&worker.provider, cookie.as_deref(), &action, &params, &client)
    })
    .await;
    let look = look(&state, &req, None);
    match outcome {
        Ok(None) => sign_in_page(&state, &req, look, None),
        Ok(Some(AccountOutcome::Done)) => see_other("/account"),
        Ok(Some(AccountOutcome::RecoveryCodes(codes))) => {
            html(StatusCode::OK, &RecoveryCodesHtml { look, codes: &codes })
        }
        Ok(Some(AccountOutcome::SignedOut)) => {
            let mut response = see_other("/");
            let _ = response.add_cookie(&state.cookies.session_cookie_removal());
            response
        }
        Ok(Some(AccountOutcome::TotpSetupAgain(setup, refusal))) => setup_page(look, &setup, Some(refusal)),
        Ok(Some(
            AccountOutcome::PasswordChanged { session_cookie } | AccountOutcome::Reauthenticated { session_cookie },
        )) => {
            let mut response = see_other("/account");
            let ttl = state.provider.transaction.session_ttl_secs;
            let _ = response.add_cookie(&state.cookies.session_cookie(session_cookie.expose(), ttl));
            response
        }
        Ok(Some(AccountOutcome::Refused(refusal))) => {
            let worker = state.clone();
            match blocking(state.core(), move || account_view(&worker.provider, session.as_deref())).await {
                Ok(view) => with_passkey_csp(
                    html(
                        StatusCode::OK,
                        &AccountHtml { look, view: view.as_ref(), error: Some(refusal), sign_in_csrf: "" },
                    ),
                    view.as_ref().is_some_and(|v| v.passkeys.is_some()),
                ),
                Err(failure) => error_page(look, failure),
            }
        }
        Err(failure) => error_page(look, failure),
    }
}

/// The account page with passkeys runs the passkey script, which fetches its ceremony's options (same origin).
fn with_passkey_csp(mut response: HttpResponse, passkeys: bool) -> HttpResponse {
    if passkeys {
        response.headers_mut().insert(
            actix_web::http::header::CONTENT_SECURITY_POLICY,
            actix_web::http::header::HeaderValue::from_static(super::pages::PASSKEY_CSP),
        );
    }
    response
}

/// `POST /account/reauth/options`: the options of a passkey assertion that signs in again (re-authentication).
pub async fn reauth_options(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    options_json(state, req, body, account_reauth_options).await
}

/// `POST /account/passkey/options`: the registration options of a new passkey, as JSON for the page's script.
pub async fn passkey_options(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    options_json(state, req, body, account_passkey_options).await
}

type OptionsCore = fn(
    &crate::oauth::provider::Provider,
    Option<&str>,
    &crate::params::Params,
) -> Result<Option<String>, crate::error::Failure>;

async fn options_json(state: State, req: HttpRequest, body: web::Bytes, core: OptionsCore) -> HttpResponse {
    let params = match form_params(&req, &body) {
        Ok(params) => params,
        Err(e) => return super::render::json_error(e.to_oauth().into()),
    };
    let session = browser_cookies(&req, &state.cookies).session;
    let worker = state.clone();
    match blocking(state.core(), move || core(&worker.provider, session.as_deref(), &params)).await {
        Ok(Some(json)) => HttpResponse::Ok()
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .content_type("application/json")
            .body(json),
        Ok(None) => HttpResponse::Unauthorized().finish(),
        Err(failure) => super::render::json_error(failure),
    }
}
