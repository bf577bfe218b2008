//! OpenID Connect RP-Initiated Logout 1.0: the request (§2, §3) and the decision. A request is trusted when its
//! `id_token_hint` names the user signed in here; then the session ends at once. Otherwise the user confirms on a
//! page whose form carries a CSRF token derived from the browser cookie. Ending a session ends its online grants
//! and tells their clients (Back-Channel Logout, [`super::backchannel`]).

use super::backchannel::Backchannel;
use super::id_token::{IdTokenHint, verify_id_token_hint};
use super::session;
use crate::domain::{Client, Timestamp};
use crate::error::{Failure, OAuthError};
use crate::keys::KeyStore;
use crate::params::Params;
use crate::secrets::{SecretString, constant_time_eq, random_token, token_hash};
use crate::storage::{ClientStore, SessionStore, UserStore};

/// A checked logout request.
#[derive(Debug, Clone)]
pub struct LogoutRequest {
    pub hint: Option<IdTokenHint>,
    /// The registered post-logout redirect URI to return to (with `state`), when one was asked for and matches.
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
    pub client: Option<Client>,
}

/// RP-Initiated Logout §2 and §3: every failure here is shown on our page, never redirected.
fn check_logout_request(
    store: &impl ClientStore,
    keys: &KeyStore,
    issuer: &str,
    params: &Params,
) -> Result<LogoutRequest, Failure> {
    let hint = params
        .get("id_token_hint")
        .map(|h| {
            verify_id_token_hint(keys, h, issuer).map_err(|e| {
                OAuthError::invalid_request("id_token_hint is not an ID token issued here").with_detail(e.to_string())
            })
        })
        .transpose()?;
    // §2: "When both client_id and id_token_hint are present, the OP MUST verify that the Client Identifier
    // matches the one used when issuing the ID Token."
    let client_id = match (params.get("client_id"), &hint) {
        (Some(id), Some(h)) if id != h.client_id => {
            return Err(OAuthError::invalid_request("client_id does not match the id_token_hint").into());
        }
        (Some(id), _) => Some(id.to_owned()),
        (None, Some(h)) => Some(h.client_id.clone()),
        (None, None) => None,
    };
    let client = match &client_id {
        Some(id) => Some(store.find_client(id)?.ok_or_else(|| OAuthError::invalid_request("unknown client"))?.client),
        None => None,
    };
    // §3: the URI "MUST have been previously registered with the OP" and is compared exactly.
    let post_logout_redirect_uri = match params.get("post_logout_redirect_uri") {
        None => None,
        Some(uri) => {
            let client = client.as_ref().ok_or_else(|| {
                OAuthError::invalid_request("post_logout_redirect_uri needs client_id or id_token_hint")
            })?;
            if !client.post_logout_redirect_uris.iter().any(|r| r.as_str() == uri) {
                return Err(OAuthError::invalid_request("post_logout_redirect_uri is not registered").into());
            }
            Some(uri.to_owned())
        }
    };
    Ok(LogoutRequest { hint, post_logout_redirect_uri, state: params.get("state").map(str::to_owned), client })
}

/// Everything logout reads and writes.
pub trait LogoutStore: ClientStore + SessionStore + UserStore {}
impl<T: ClientStore + SessionStore + UserStore> LogoutStore for T {}

/// What the end-session endpoint was given.
pub struct EndSessionInput<'a> {
    pub params: &'a Params,
    pub session_cookie: Option<&'a str>,
    pub browser_cookie: Option<&'a str>,
}

/// What happens next.
#[derive(Debug)]
pub enum LogoutOutcome {
    /// Logged out (or nothing to log out): back to the client when it asked, else our signed-out page, with a link
    /// back to the application when one is known. The browser's session cookie is cleared either way.
    Done { redirect: Option<String>, back_link: Option<BackLink> },
    /// Ask the user first, on a form carrying `fields` and `csrf_token`; `new_browser_cookie` binds a browser
    /// that had no binding cookie yet.
    Confirm {
        client_name: Option<String>,
        username: String,
        fields: Vec<(String, String)>,
        csrf_token: String,
        new_browser_cookie: Option<SecretString>,
    },
}

/// The way back to the application from the signed-out page: its registered `client_uri`, else its first registered
/// post-logout redirect URI (never a URI from the request: only registered ones are linked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackLink {
    pub name: String,
    pub uri: String,
}

fn back_link(request: &LogoutRequest) -> Option<BackLink> {
    let client = request.client.as_ref()?;
    let uri = client
        .client_uri
        .clone()
        .or_else(|| client.post_logout_redirect_uris.first().map(|u| u.as_str().to_owned()))?;
    Some(BackLink { name: client.name.clone(), uri })
}

/// The confirmation form's CSRF token: derived from the browser cookie, which a cross-site page cannot read.
fn csrf_for(browser: &str) -> String {
    token_hash(&format!("logout:{browser}"))
}

/// RP-Initiated Logout: checks the request, then ends the browser's session (trusted or confirmed) or asks.
pub fn end_session(
    store: &impl LogoutStore,
    keys: &KeyStore,
    backchannel: &Backchannel,
    issuer: &str,
    input: EndSessionInput<'_>,
    now: Timestamp,
) -> Result<LogoutOutcome, Failure> {
    let EndSessionInput { params, session_cookie, browser_cookie } = input;
    let confirmed = params.get("confirm") == Some("yes");
    if confirmed {
        let sent = params.get("csrf_token").unwrap_or("");
        let valid = browser_cookie.is_some_and(|b| constant_time_eq(sent.as_bytes(), csrf_for(b).as_bytes()));
        if !valid {
            return Err(OAuthError::invalid_request("the sign-out form has expired; try again").into());
        }
    }
    let request = check_logout_request(store, keys, issuer, params)?;
    let redirect = back_to_client(&request);
    let current = match session_cookie {
        Some(cookie) => session::find_session(store, cookie, now)?,
        None => None,
    };
    let (Some(cookie), Some(current)) = (session_cookie, current) else {
        // Nobody is signed in here: nothing to end.
        return Ok(LogoutOutcome::Done { back_link: back_link(&request), redirect });
    };
    let trusted = request.hint.as_ref().is_some_and(|h| h.subject == current.user_id);
    if !trusted && !confirmed {
        let username = store.find_user(&current.user_id)?.map(|u| u.username).unwrap_or_default();
        let mut fields: Vec<(String, String)> = ["post_logout_redirect_uri", "state", "ui_locales"]
            .iter()
            .filter_map(|name| params.get(name).map(|v| ((*name).to_owned(), v.to_owned())))
            .collect();
        // The client as identified by client_id or the id_token_hint, so the confirmed request can still return to
        // its post_logout_redirect_uri (the hint itself is not carried through the page).
        if let Some(client) = &request.client {
            fields.push(("client_id".to_owned(), client.id.to_string()));
        }
        let (browser, new_browser_cookie) = match browser_cookie {
            Some(b) => (b.to_owned(), None),
            None => {
                let fresh = random_token(32);
                (fresh.expose().to_owned(), Some(fresh))
            }
        };
        return Ok(LogoutOutcome::Confirm {
            client_name: request.client.map(|c| c.name),
            username,
            fields,
            csrf_token: csrf_for(&browser),
            new_browser_cookie,
        });
    }
    let ended = session::end_session(store, cookie, now)?;
    tracing::info!(event = "logout", sub = %current.user_id, grants = ended.len(), "session ended");
    backchannel.notify(store, keys, issuer, &ended, now);
    Ok(LogoutOutcome::Done { back_link: back_link(&request), redirect })
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
