//! The login and consent pages an authorization request is parked behind, and their form posts.
//! `GET /interaction/{id}` shows the page for the current step; `POST /interaction/{id}/login` and
//! `POST /interaction/{id}/consent` resume the request.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::authorize::granted_scope;
use super::end_session;
use super::extract::{cookie, form_params, source_address};
use super::render::{authorization_response, error_page, html};
use super::{State, blocking};
use crate::error::{ErrorCode, Failure, InternalError, OAuthError};
use crate::oauth::Params;
use crate::oauth::authorize::{
    Authentication, AuthorizationRequest, AuthorizationResponse, Decision, decide, issue_code,
};
use crate::secrets::{constant_time_eq, token_hash, verify_password};
use crate::session::{BROWSER_COOKIE, SESSION_COOKIE, current_authentication, session_cookie, start_session};
use crate::startup::AppState;
use crate::storage::{ClientStore, ConsentStore, InteractionRecord, InteractionStore, ThrottleStore, UserStore};
use crate::throttle;
use crate::views::{ConsentPage, LoginPage, ScopeView, describe_scope};

/// One message for an unknown user and a wrong password, so the page does not reveal which usernames exist.
const LOGIN_FAILED: &str = "The username or password is incorrect.";
/// Shown instead while the account or this address is throttled, whether or not the account exists.
const LOGIN_THROTTLED: &str = "Too many failed sign-in attempts. Wait a few minutes, then try again.";

fn expired() -> Failure {
    OAuthError::invalid_request(
        "this sign-in request has expired or was already completed; start again from the application",
    )
    .into()
}

/// A live interaction started by this browser.
fn load(
    state: &AppState,
    id: &str,
    browser: Option<&str>,
) -> Result<(InteractionRecord, AuthorizationRequest), Failure> {
    let record = state.db.find_interaction(id, state.now())?.ok_or_else(expired)?;
    let same_browser =
        browser.is_some_and(|b| constant_time_eq(token_hash(b).as_bytes(), record.browser_hash.as_bytes()));
    if !same_browser {
        return Err(expired());
    }
    let request: AuthorizationRequest =
        serde_json::from_str(&record.request).map_err(|e| InternalError::new("reading a parked request", e))?;
    Ok((record, request))
}

fn client_name(state: &AppState, client_id: &str) -> Result<String, Failure> {
    state.db.find_client(client_id)?.map(|c| c.client.name).ok_or_else(expired)
}

enum Page {
    Login { client_name: String, csrf: String, username: String, error: Option<&'static str> },
    Consent { client_name: String, csrf: String, username: String, scope: String },
}

fn render(id: &str, page: Page) -> HttpResponse {
    match page {
        Page::Login { client_name, csrf, username, error } => html(
            StatusCode::OK,
            &LoginPage {
                client_name: &client_name,
                action: &format!("/interaction/{id}/login"),
                csrf_token: &csrf,
                username: &username,
                error,
            },
        ),
        Page::Consent { client_name, csrf, username, scope } => html(
            StatusCode::OK,
            &ConsentPage {
                client_name: &client_name,
                action: &format!("/interaction/{id}/consent"),
                csrf_token: &csrf,
                username: &username,
                // `openid` ("who you are") first, then the rest in their stored order.
                scopes: scope
                    .split(' ')
                    .filter(|s| *s == "openid")
                    .chain(scope.split(' ').filter(|s| *s != "openid"))
                    .map(|s| ScopeView { name: s.to_owned(), description: describe_scope(s) })
                    .collect(),
            },
        ),
    }
}

pub async fn show(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let id = path.into_inner();
    let browser = cookie(&req, BROWSER_COOKIE);
    let worker_id = id.clone();
    let page = blocking(move || {
        let (record, request) = load(&state, &worker_id, browser.as_deref())?;
        let client_name = client_name(&state, &request.client_id)?;
        match &record.login {
            None => Ok(Page::Login {
                client_name,
                csrf: record.csrf_token,
                username: request.login_hint.clone().unwrap_or_default(),
                error: None,
            }),
            Some((user_id, _)) => {
                let username = state.db.find_user(user_id)?.ok_or_else(expired)?.username;
                // The scope, and what the claims parameter asks for by name (OpenID Connect Core §5.5).
                let scope = request.consent_scope().map_err(|_| expired())?.to_string();
                Ok(Page::Consent { client_name, csrf: record.csrf_token, username, scope })
            }
        }
    })
    .await;
    match page {
        Ok(page) => render(&id, page),
        Err(failure) => error_page(failure),
    }
}

/// The form's CSRF token must equal the one stored with the interaction (and the interaction is bound to the
/// browser cookie, which SameSite=Lax keeps off cross-site POSTs).
fn check_csrf(record: &InteractionRecord, form: &Params) -> Result<(), Failure> {
    let sent = form.get("csrf_token").unwrap_or("");
    if constant_time_eq(sent.as_bytes(), record.csrf_token.as_bytes()) {
        Ok(())
    } else {
        Err(OAuthError::invalid_request("the form has expired; go back and try again")
            .with_detail("CSRF token mismatch")
            .into())
    }
}

enum LoginOutcome {
    Failed(Page),
    /// Signed in: a new session cookie, then where to go.
    SignedIn {
        session: crate::secrets::SecretString,
        next: AuthorizationResponse,
    },
}

pub async fn login(state: State, req: HttpRequest, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let id = path.into_inner();
    let form = match form_params(&req, &body) {
        Ok(f) => f,
        Err(e) => return error_page(e.to_oauth().into()),
    };
    let browser = cookie(&req, BROWSER_COOKIE);
    let previous_session = cookie(&req, SESSION_COOKIE);
    let address = source_address(&req, state.settings.trust_forwarded_headers);
    // Waiting here costs a parked future; running argon2 costs 19 MiB. Queue, don't pile up.
    let Ok(_permit) = state.password_checks.acquire().await else {
        return error_page(InternalError::new("login", anyhow::anyhow!("password check semaphore closed")).into());
    };
    let worker_state = state.clone();
    let worker_id = id.clone();
    let outcome = blocking(move || {
        let state = worker_state;
        let (record, request) = load(&state, &worker_id, browser.as_deref())?;
        check_csrf(&record, &form)?;
        let username = form.get("username").unwrap_or("").to_owned();
        let password = form.get("password").unwrap_or("");
        let now = state.now();
        let (account_key, address_key) = (throttle::account_key(&username), throttle::address_key(&address));
        let failed_page = |record: InteractionRecord, username: String, error| -> Result<LoginOutcome, Failure> {
            let client_name = client_name(&state, &request.client_id)?;
            Ok(LoginOutcome::Failed(Page::Login { client_name, csrf: record.csrf_token, username, error: Some(error) }))
        };
        if throttle::retry_after(&state.db, &[&account_key, &address_key], now)?.is_some() {
            tracing::info!(event = "login_throttled", client_id = %request.client_id, "login refused while throttled");
            return failed_page(record, username, LOGIN_THROTTLED);
        }
        let user = state.db.find_user_by_username(&username)?;
        // Verify against a dummy hash for unknown users, so both failures take the same time.
        let phc = user.as_ref().map_or(state.dummy_password_hash.as_str(), |u| u.password_hash.as_str());
        let password_ok = verify_password(password, phc);
        let Some(user) = user.filter(|_| password_ok) else {
            tracing::info!(event = "login_failed", client_id = %request.client_id, "login failed");
            throttle::record_failure(&state.db, &account_key, throttle::ACCOUNT, now)?;
            throttle::record_failure(&state.db, &address_key, throttle::ADDRESS, now)?;
            return failed_page(record, username, LOGIN_FAILED);
        };
        state.db.clear_failures(&account_key)?;
        let ttl = state.settings.session_ttl_secs as i64;
        let session = start_session(&state.db, previous_session.as_deref(), &user.user.subject, now, ttl)?;
        tracing::info!(event = "login_succeeded", client_id = %request.client_id, sub = %user.user.subject, "login succeeded");
        if !session.ended.is_empty() {
            end_session::notify_clients(&state, &session.ended);
        }
        let authentication = Authentication {
            user_id: user.user.subject.clone(),
            auth_time: now,
            fresh: true,
            session_id: Some(session.sid.clone()),
        };
        let next = resume_after_login(&state, &record, &request, authentication)?;
        Ok(LoginOutcome::SignedIn { session: session.cookie, next })
    })
    .await;
    match outcome {
        Ok(LoginOutcome::Failed(page)) => render(&id, page),
        Ok(LoginOutcome::SignedIn { session, next }) => {
            let mut response = authorization_response(next);
            let cookie = session_cookie(&session, state.secure_cookies, state.settings.session_ttl_secs as i64);
            let _ = response.add_cookie(&cookie);
            response
        }
        Err(failure) => error_page(failure),
    }
}

/// After a login: the consent page next (a redirect to our own page), or the code for the client.
fn resume_after_login(
    state: &AppState,
    record: &InteractionRecord,
    request: &AuthorizationRequest,
    authentication: Authentication,
) -> Result<AuthorizationResponse, Failure> {
    let client = state.db.find_client(&request.client_id)?.ok_or_else(expired)?.client;
    let granted = granted_scope(state, Some(&authentication), request)?;
    match decide(request, &client, Some(authentication.clone()), granted.as_ref(), state.now()) {
        Decision::Consent(auth) => {
            state.db.record_login(&record.id, &auth.user_id, auth.auth_time)?;
            Ok(AuthorizationResponse::Redirect(format!("/interaction/{}", record.id)))
        }
        Decision::Issue(auth) => finish_with_code(state, record, request, &auth),
        // Signed in as someone other than the user the client named (id_token_hint, claims sub).
        Decision::Refuse(error) => {
            if !state.db.finish_interaction(&record.id)? {
                return Err(expired());
            }
            Ok(request.redirect().error(&state.issuer, &error))
        }
        // A fresh login satisfies every login condition.
        Decision::Login => {
            Err(InternalError::new("resuming after login", anyhow::anyhow!("login asked again after a login")).into())
        }
    }
}

/// Completes the interaction exactly once and issues the code.
fn finish_with_code(
    state: &AppState,
    record: &InteractionRecord,
    request: &AuthorizationRequest,
    auth: &Authentication,
) -> Result<AuthorizationResponse, Failure> {
    if !state.db.finish_interaction(&record.id)? {
        return Err(expired());
    }
    issue_code(&state.db, request, auth, &state.issuer, state.now(), state.settings.authorization_code_ttl_secs as i64)
}

pub async fn consent(state: State, req: HttpRequest, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let id = path.into_inner();
    let form = match form_params(&req, &body) {
        Ok(f) => f,
        Err(e) => return error_page(e.to_oauth().into()),
    };
    let browser = cookie(&req, BROWSER_COOKIE);
    let session = cookie(&req, SESSION_COOKIE);
    let outcome = blocking(move || {
        let (record, request) = load(&state, &id, browser.as_deref())?;
        check_csrf(&record, &form)?;
        let Some((user_id, auth_time)) = record.login.clone() else { return Err(expired()) };
        // The grant belongs to this browser's session, if it is still the same user's.
        let idle = state.settings.session_idle_secs as i64;
        let session_id = current_authentication(&state.db, session.as_deref(), state.now(), idle)?
            .filter(|current| current.user_id == user_id)
            .and_then(|current| current.session_id);
        match form.get("decision") {
            Some("allow") => {
                let scope = request.consent_scope().map_err(|_| expired())?;
                state.db.remember_consent(&user_id, &request.client_id, &scope.to_string(), state.now())?;
                tracing::info!(event = "consent_granted", client_id = %request.client_id, scope = %scope, "consent granted");
                let auth = Authentication { user_id, auth_time, fresh: false, session_id };
                finish_with_code(&state, &record, &request, &auth)
            }
            Some("deny") => {
                if !state.db.finish_interaction(&record.id)? {
                    return Err(expired());
                }
                tracing::info!(event = "consent_denied", client_id = %request.client_id, "consent denied");
                let error = OAuthError::new(ErrorCode::AccessDenied, "the user denied the request");
                Ok(request.redirect().error(&state.issuer, &error))
            }
            _ => Err(OAuthError::invalid_request("choose allow or deny").into()),
        }
    })
    .await;
    match outcome {
        Ok(response) => authorization_response(response),
        Err(failure) => error_page(failure),
    }
}
