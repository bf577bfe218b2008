//! The browser login session (cookie <-> row), apart from OAuth grants, and the browser-binding cookie that ties
//! a parked authorization request to the browser that started it.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};

use crate::oauth::authorize::Authentication;
use crate::secrets::{SecretString, random_token, token_hash};
use crate::storage::{GrantRecord, SessionRecord, SessionStore, StorageResult, Timestamp};

pub const SESSION_COOKIE: &str = "tessera_session";
pub const BROWSER_COOKIE: &str = "tessera_browser";

/// Cookie attributes: HttpOnly, SameSite=Lax (sent on the top-level navigation back from a client, not on
/// cross-site POSTs), Secure when the issuer is https, Path=/.
fn cookie(name: &'static str, value: String, secure: bool, max_age_secs: Option<i64>) -> Cookie<'static> {
    let mut builder = Cookie::build(name, value).path("/").http_only(true).same_site(SameSite::Lax).secure(secure);
    if let Some(secs) = max_age_secs {
        builder = builder.max_age(CookieDuration::seconds(secs));
    }
    builder.finish()
}

/// The signed-in user of this browser, if the session cookie names a live session.
/// A session ends at `session_ttl_secs` after login (absolute) or after `session_idle_secs` without use.
pub fn current_authentication(
    store: &impl SessionStore,
    session_cookie: Option<&str>,
    now: Timestamp,
    idle_secs: i64,
) -> StorageResult<Option<Authentication>> {
    let Some(value) = session_cookie else { return Ok(None) };
    Ok(store.find_session(&token_hash(value), now, now - idle_secs)?.map(|s| Authentication {
        user_id: s.user_id,
        auth_time: s.auth_time,
        fresh: false,
        session_id: Some(s.sid),
    }))
}

/// A session started by a password login.
pub struct NewSession {
    /// The cookie value (secret; only its hash is stored).
    pub cookie: SecretString,
    /// The public session id (`sid`).
    pub sid: String,
    /// Grants of a previous session of another user in this browser, ended by this login (to notify).
    pub ended: Vec<GrantRecord>,
}

/// Starts a new session after a password login. The cookie value changes at every login (no session fixation).
/// A re-login of the same user (prompt=login, max_age) keeps the `sid`, so the apps signed in during the session
/// stay signed in; a login as someone else ends the previous user's session.
pub fn start_session(
    store: &impl SessionStore,
    previous_cookie: Option<&str>,
    user_id: &str,
    now: Timestamp,
    ttl_secs: i64,
) -> StorageResult<NewSession> {
    let mut sid = None;
    let mut ended = Vec::new();
    if let Some(previous) = previous_cookie {
        let hash = token_hash(previous);
        match store.find_session(&hash, now, i64::MIN)? {
            Some(session) if session.user_id == user_id => {
                sid = Some(session.sid);
                store.forget_session(&hash)?;
            }
            Some(_) => ended = store.end_session(&hash, now)?,
            None => store.forget_session(&hash)?,
        }
    }
    let sid = sid.filter(|s| !s.is_empty()).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let cookie = random_token(32);
    let record =
        SessionRecord { sid: sid.clone(), user_id: user_id.to_owned(), auth_time: now, expires_at: now + ttl_secs };
    store.start_session(&token_hash(cookie.expose()), &record)?;
    Ok(NewSession { cookie, sid, ended })
}

pub fn session_cookie(id: &SecretString, secure: bool, ttl_secs: i64) -> Cookie<'static> {
    cookie(SESSION_COOKIE, id.expose().to_owned(), secure, Some(ttl_secs))
}

/// A browser cookie lasting as long as the browser runs.
pub fn browser_cookie(value: &str, secure: bool) -> Cookie<'static> {
    cookie(BROWSER_COOKIE, value.to_owned(), secure, None)
}

pub fn new_browser_id() -> SecretString {
    random_token(32)
}
