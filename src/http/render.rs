//! Rendering, each kind in one place. Every error rendering starts from the failure's one wire form
//! (`Failure::into_wire`) and only formats it: token JSON (RFC 6749 §5.2), Bearer challenges (RFC 6750 §3), our
//! error page, and the authorization error redirect (`VerifiedRedirect::error`). Pages and the authorization
//! transaction's steps are rendered here too.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use askama::Template;
use serde::Serialize;

use super::pages::{
    ConsentHtml, DeviceDoneHtml, ErrorHtml, ErrorKind, FORM_POST_CSP, FORM_POST_SCRIPT, FormPostHtml, LOGIN_CSP,
    LoginHtml, Look, NoAccessHtml, PASSKEY_CSP, SecondFactorHtml,
};
use super::state::AppState;
use crate::error::{ErrorCode, Failure, InternalError, WireError};
use crate::i18n;
use crate::oauth::authentication::SignInStep;
use crate::oauth::authorize::{AuthorizationResponse, ConsentPage, EXPIRED, Next, SignInPage, Step};
use crate::oidc::metadata::DPOP_ALG_NAMES;

/// Where a person reviews what they allowed (the account pages).
pub const ACCOUNT_URL: &str = "/account";

/// The look of a page for this request: the language from `ui_locales` (the authorization or logout request's),
/// then `Accept-Language`, then the configured default; the operator's brand.
pub fn look<'a>(state: &'a AppState, req: &HttpRequest, ui_locales: Option<&str>) -> Look<'a> {
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    Look { t: i18n::choose(ui_locales, accept, &state.settings.default_locale), brand: &state.branding }
}

/// RFC 6749 §5.1: "Cache-Control: no-store" and "Pragma: no-cache" on every response with tokens or credentials.
pub fn no_store(builder: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    builder.insert_header((header::CACHE_CONTROL, "no-store")).insert_header((header::PRAGMA, "no-cache"))
}

fn status(wire: &WireError) -> StatusCode {
    StatusCode::from_u16(wire.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_id: Option<&'a str>,
}

/// The JSON error body with its status, `no-store` and `Retry-After`, and the challenge the error calls for.
fn json(wire: &WireError, challenge: Option<String>) -> HttpResponse {
    let mut builder = HttpResponse::build(status(wire));
    no_store(&mut builder);
    if let Some(secs) = wire.retry_after_secs {
        builder.insert_header((header::RETRY_AFTER, secs.to_string()));
    }
    if let Some(challenge) = challenge {
        builder.insert_header((header::WWW_AUTHENTICATE, challenge));
    }
    builder.json(ErrorBody {
        error: wire.code.as_str(),
        error_description: wire.description,
        error_id: wire.error_id.as_deref(),
    })
}

/// A JSON error (token, revocation and introspection endpoints, RFC 6749 §5.2). invalid_client is a 401 and always
/// carries a Basic challenge: RFC 6749 §5.2 requires it when the client tried Basic, and RFC 9110 §15.5.2 for every
/// 401.
pub fn json_error(failure: Failure) -> HttpResponse {
    let wire = failure.into_wire();
    let challenge =
        (wire.code == ErrorCode::InvalidClient).then(|| "Basic realm=\"tessera\", charset=\"UTF-8\"".to_owned());
    json(&wire, challenge)
}

/// A Bearer error (RFC 6750 §3): the challenge with the code and the fixed description; our own failures are
/// plain JSON errors.
pub fn bearer_error(failure: Failure) -> HttpResponse {
    let wire = failure.into_wire();
    let ours = matches!(wire.code, ErrorCode::ServerError | ErrorCode::TemporarilyUnavailable);
    let challenge = (!ours).then(|| {
        format!(
            "Bearer realm=\"tessera\", error=\"{}\", error_description=\"{}\"",
            wire.code.as_str(),
            wire.description
        )
    });
    json(&wire, challenge)
}

/// RFC 9449 §8 and §9: the server's current nonce in `DPoP-Nonce`, when nonces are on.
pub fn with_dpop_nonce(mut response: HttpResponse, nonce: Option<String>) -> HttpResponse {
    if let Some(value) = nonce.and_then(|n| header::HeaderValue::from_str(&n).ok()) {
        response.headers_mut().insert(header::HeaderName::from_static("dpop-nonce"), value);
    }
    response
}

/// A DPoP error at a protected resource (RFC 9449 §7.1): 401 with `WWW-Authenticate: DPoP` naming the error and the
/// algorithms a proof may use (`insufficient_scope` stays 403); our own failures are plain JSON errors.
pub fn dpop_error(failure: Failure) -> HttpResponse {
    let mut wire = failure.into_wire();
    let ours = matches!(wire.code, ErrorCode::ServerError | ErrorCode::TemporarilyUnavailable);
    if matches!(wire.code, ErrorCode::InvalidDpopProof | ErrorCode::UseDpopNonce) {
        wire.status = 401;
    }
    let challenge = (!ours).then(|| {
        format!(
            "DPoP algs=\"{}\", error=\"{}\", error_description=\"{}\"",
            DPOP_ALG_NAMES.join(" "),
            wire.code.as_str(),
            wire.description
        )
    });
    json(&wire, challenge)
}

/// Our own error page: used whenever the error must not (or cannot) go back to the client. It says in the person's
/// words what happened and what to do, with an error id to give the operator (logged with the failure), and the
/// registered code and fixed description in a collapsed section for the application's developer.
pub fn error_page(look: Look<'_>, failure: Failure) -> HttpResponse {
    let wire = failure.into_wire_with_id();
    let kind = match wire.code {
        ErrorCode::ServerError => ErrorKind::Server,
        ErrorCode::TemporarilyUnavailable => ErrorKind::Unavailable,
        _ if wire.description == EXPIRED => ErrorKind::Expired,
        _ => ErrorKind::Refused,
    };
    let page = ErrorHtml {
        look,
        kind,
        code: wire.code.as_str(),
        description: wire.description,
        error_id: wire.error_id.as_deref(),
    };
    let mut response = html(status(&wire), &page);
    if let Some(secs) = wire.retry_after_secs {
        response.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    response
}

/// A 303 to `location`: after a POST the browser must follow with GET (RFC 9700 §4.12), and it is as good after GET.
pub fn see_other(location: &str) -> HttpResponse {
    let mut builder = HttpResponse::SeeOther();
    no_store(&mut builder);
    builder.insert_header((header::LOCATION, location)).finish()
}

/// Carries an authorization response to the client: a 303 redirect, or the auto-submitting form of the Form Post
/// Response Mode (its own CSP allows its one script by hash).
pub fn authorization_response(look: Look<'_>, response: AuthorizationResponse) -> HttpResponse {
    match response {
        AuthorizationResponse::Redirect(location) => see_other(&location),
        AuthorizationResponse::FormPost { action, fields } => {
            let page = FormPostHtml { look, action: &action, fields: &fields, script: FORM_POST_SCRIPT };
            let mut page = html(StatusCode::OK, &page);
            page.headers_mut().insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(FORM_POST_CSP));
            page
        }
    }
}

/// An HTML page with `no-store` (pages carry CSRF tokens and personal data).
pub fn html(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => {
            let mut builder = HttpResponse::build(status);
            no_store(&mut builder);
            builder.content_type("text/html; charset=utf-8").body(body)
        }
        Err(e) => {
            let id = Failure::from(InternalError::new("rendering a page", e)).into_wire().error_id.unwrap_or_default();
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body(format!("Internal error. Error id: {id}"))
        }
    }
}

fn sign_in_page(look: Look<'_>, page: &SignInPage, other_account: bool) -> HttpResponse {
    let action = format!("/interaction/{}/{}", page.interaction_id, page.step.path());
    // "Not you?": the same page, without the remembered username.
    let username = if other_account { "" } else { page.username.as_str() };
    let other = format!("/interaction/{}?account=other", page.interaction_id);
    let passkey_action = format!("/interaction/{}/{}", page.interaction_id, SignInStep::Passkey.path());
    let passkey = page.passkey.then_some(passkey_action.as_str());
    // The password page runs the show-password script; a page with a passkey also fetches its ceremony's options.
    // The second-factor page without a passkey keeps every page's CSP (no script).
    let csp = match (page.passkey, page.step) {
        (true, _) => Some(PASSKEY_CSP),
        (false, SignInStep::SecondFactor) => None,
        (false, _) => Some(LOGIN_CSP),
    };
    let mut response = match page.step {
        SignInStep::Password | SignInStep::Passkey => {
            let login = LoginHtml {
                look,
                client_name: &page.client_name,
                action: &action,
                csrf_token: &page.csrf_token,
                username,
                error: page.error,
                other_account: &other,
                passkey,
            };
            html(StatusCode::OK, &login)
        }
        SignInStep::SecondFactor => {
            let page = SecondFactorHtml {
                look,
                client_name: &page.client_name,
                action: &action,
                csrf_token: &page.csrf_token,
                error: page.error,
                passkey,
                totp: page.totp,
            };
            html(StatusCode::OK, &page)
        }
    };
    if let Some(csp) = csp {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(csp));
    }
    response
}

fn consent_page(look: Look<'_>, page: &ConsentPage) -> HttpResponse {
    html(
        StatusCode::OK,
        &ConsentHtml {
            look,
            client_name: &page.client_name,
            action: &format!("/interaction/{}/consent", page.interaction_id),
            csrf_token: &page.csrf_token,
            username: &page.username,
            scopes: &page.scopes,
            raw_scope: &page.raw_scope,
            logo_uri: page.logo_uri.as_deref(),
            client_uri: page.client_uri.as_deref(),
            policy_uri: page.policy_uri.as_deref(),
            tos_uri: page.tos_uri.as_deref(),
            account_url: ACCOUNT_URL,
        },
    )
}

/// How a step's page is drawn beyond what the step says.
#[derive(Debug, Clone, Copy, Default)]
pub struct StepHints<'a> {
    /// The `ui_locales` of a new authorization request, for the pages of a step that carries none (its error page,
    /// the form post page).
    pub ui_locales: Option<&'a str>,
    /// The person asked to sign in as someone other than the remembered username.
    pub other_account: bool,
}

/// One step of the authorization transaction, with the cookies it sets.
pub fn step(state: &AppState, req: &HttpRequest, step: Step, hints: StepHints<'_>) -> HttpResponse {
    let other_account = hints.other_account;
    let mut response = match step.next {
        Next::ErrorPage(failure) => error_page(look(state, req, hints.ui_locales), failure),
        Next::RespondToClient(response) => authorization_response(look(state, req, hints.ui_locales), response),
        Next::Interaction(id) => see_other(&format!("/interaction/{id}")),
        Next::SignIn(page) => sign_in_page(look(state, req, page.ui_locales.as_deref()), &page, other_account),
        Next::Consent(page) => consent_page(look(state, req, page.ui_locales.as_deref()), &page),
        Next::NoAccess(page) => {
            let look = look(state, req, page.ui_locales.as_deref());
            let html_page =
                NoAccessHtml { look, client_name: &page.client_name, username: &page.username, back: &page.back };
            html(StatusCode::FORBIDDEN, &html_page)
        }
        Next::DeviceDone { approved } => {
            html(StatusCode::OK, &DeviceDoneHtml { look: look(state, req, None), approved })
        }
    };
    if let Some(value) = step.cookies.browser {
        let _ = response.add_cookie(&state.cookies.browser_cookie(value.expose()));
    }
    if let Some(value) = step.cookies.session {
        let ttl = state.provider.transaction.session_ttl_secs;
        let _ = response.add_cookie(&state.cookies.session_cookie(value.expose(), ttl));
    }
    response
}
