//! `GET`/`POST /oauth/logout`: OpenID Connect RP-Initiated Logout 1.0, and the Back-Channel Logout 1.0 messages
//! sent to every client that signed in during the ended session.
//!
//! A request is trusted when its `id_token_hint` names the user signed in here; then the session ends at once.
//! Otherwise the user confirms on a page whose form carries a CSRF token derived from the browser cookie.

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::extract::{cookie, form_params, query_params};
use super::render::{error_page, html, see_other};
use super::{State, blocking};
use crate::error::{Failure, OAuthError};
use crate::oauth::Params;
use crate::oidc::logout::{LogoutNotice, LogoutRequest, check_logout_request, logout_notices};
use crate::secrets::{constant_time_eq, token_hash};
use crate::session::{BROWSER_COOKIE, SESSION_COOKIE, browser_cookie, new_browser_id};
use crate::startup::AppState;
use crate::storage::{GrantRecord, SessionStore, UserStore};
use crate::views::{LoggedOutPage, LogoutPage};

pub async fn end_session_get(state: State, req: HttpRequest) -> HttpResponse {
    match query_params(&req) {
        Ok(params) => end_session(state, req, params).await,
        Err(e) => error_page(e.to_oauth().into()),
    }
}

pub async fn end_session_post(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    match form_params(&req, &body) {
        Ok(params) => end_session(state, req, params).await,
        Err(e) => error_page(e.to_oauth().into()),
    }
}

/// The confirmation form's CSRF token: derived from the browser cookie, which a cross-site page cannot read.
fn csrf_for(browser: &str) -> String {
    token_hash(&format!("logout:{browser}"))
}

enum Outcome {
    /// Logged out (or nothing to log out): go back to the client, or show the signed-out page.
    Done { redirect: Option<String> },
    /// Ask first.
    Confirm { client_name: Option<String>, username: String, fields: Vec<(String, String)> },
}

async fn end_session(state: State, req: HttpRequest, params: Params) -> HttpResponse {
    let session = cookie(&req, SESSION_COOKIE);
    let browser = cookie(&req, BROWSER_COOKIE);
    let confirmed = params.get("confirm") == Some("yes");
    if confirmed {
        let sent = params.get("csrf_token").unwrap_or("");
        let valid = browser.as_deref().is_some_and(|b| constant_time_eq(sent.as_bytes(), csrf_for(b).as_bytes()));
        if !valid {
            return error_page(OAuthError::invalid_request("the sign-out form has expired; try again").into());
        }
    }
    let worker_state = state.clone();
    let outcome = blocking(move || decide(&worker_state, &params, session.as_deref(), confirmed)).await;
    match outcome {
        Ok(Outcome::Done { redirect }) => {
            let mut response = match redirect {
                Some(location) => see_other(&location),
                None => html(StatusCode::OK, &LoggedOutPage),
            };
            let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").http_only(true).finish();
            gone.make_removal();
            let _ = response.add_cookie(&gone);
            response
        }
        Ok(Outcome::Confirm { client_name, username, fields }) => {
            let (browser_id, fresh) = match browser {
                Some(b) => (b, None),
                None => {
                    let b = new_browser_id().expose().to_owned();
                    (b.clone(), Some(b))
                }
            };
            let page = LogoutPage {
                client_name: client_name.as_deref(),
                username: &username,
                csrf_token: &csrf_for(&browser_id),
                fields: &fields,
            };
            let mut response = html(StatusCode::OK, &page);
            if let Some(value) = fresh {
                let _ = response.add_cookie(&browser_cookie(&value, state.secure_cookies));
            }
            response
        }
        Err(failure) => error_page(failure),
    }
}

fn decide(state: &AppState, params: &Params, session: Option<&str>, confirmed: bool) -> Result<Outcome, Failure> {
    let request = check_logout_request(&state.db, &state.keys, &state.issuer, params)?;
    let redirect = back_to_client(&request);
    let now = state.now();
    let current = match session {
        Some(value) => state.db.find_session(&token_hash(value), now, i64::MIN)?,
        None => None,
    };
    let Some(current) = current else {
        // Nobody is signed in here: nothing to end.
        return Ok(Outcome::Done { redirect });
    };
    let trusted = request.hint.as_ref().is_some_and(|h| h.subject == current.user_id);
    if !trusted && !confirmed {
        let username = state.db.find_user(&current.user_id)?.map(|u| u.username).unwrap_or_default();
        let mut fields: Vec<(String, String)> = ["post_logout_redirect_uri", "state"]
            .iter()
            .filter_map(|name| params.get(name).map(|v| ((*name).to_owned(), v.to_owned())))
            .collect();
        // The client as identified by client_id or the id_token_hint, so the confirmed request can still return to
        // its post_logout_redirect_uri (the hint itself is not carried through the page).
        if let Some(client) = &request.client {
            fields.push(("client_id".to_owned(), client.id.to_string()));
        }
        return Ok(Outcome::Confirm { client_name: request.client.map(|c| c.name), username, fields });
    }
    if let Some(value) = session {
        let ended = state.db.end_session(&token_hash(value), now)?;
        tracing::info!(event = "logout", sub = %current.user_id, grants = ended.len(), "session ended");
        notify_clients(state, &ended);
    }
    Ok(Outcome::Done { redirect })
}

/// RP-Initiated Logout §3: back to the registered URI, with `state` when the client sent one.
fn back_to_client(request: &LogoutRequest) -> Option<String> {
    let uri = request.post_logout_redirect_uri.as_ref()?;
    let mut url = url::Url::parse(uri).ok()?;
    if let Some(state) = &request.state {
        url.query_pairs_mut().append_pair("state", state);
    }
    Some(url.to_string())
}

/// Back-Channel Logout §2.5: a logout token POSTed to each client's `backchannel_logout_uri`, once per client and
/// session. Sent in the background; a client that is down is logged, not retried.
pub fn notify_clients(state: &AppState, grants: &[GrantRecord]) {
    let notices = logout_notices(&state.db, &state.keys.signer(), &state.issuer, grants, state.now());
    let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
    for notice in notices {
        runtime.spawn(deliver(state.http.clone(), notice));
    }
}

/// POSTs one logout token (form parameter `logout_token`, §2.5); the outcome goes to the log.
pub async fn deliver(http: reqwest::Client, notice: LogoutNotice) {
    let client_id = notice.client_id;
    match http.post(&notice.uri).form(&[("logout_token", notice.token)]).send().await {
        Ok(response) if response.status().is_success() => {
            tracing::info!(event = "backchannel_logout_sent", client_id = %client_id, "logout token delivered");
        }
        Ok(response) => {
            tracing::warn!(client_id = %client_id, status = %response.status(), "back-channel logout refused")
        }
        Err(e) => tracing::warn!(client_id = %client_id, error = %e, "back-channel logout failed"),
    }
}
