//! The browser login session (single sign-on), apart from OAuth grants: who is signed in to this browser, opened
//! when the sign-in chain completes and named by a secret cookie (stored hashed) and a public `sid`.

use crate::domain::{Authentication, AuthenticationMethod, ClientContext, Grant, Session, Timestamp};
use crate::secrets::{SecretString, random_token, token_hash};
use crate::storage::{SessionStore, StorageResult};

/// The signed-in user of this browser, if the session cookie names a live session.
/// A session ends at `session_ttl_secs` after login (absolute) or after `session_idle_secs` without use.
pub fn current_authentication(
    store: &impl SessionStore,
    session_cookie: Option<&str>,
    now: Timestamp,
    idle_secs: i64,
) -> StorageResult<Option<Authentication>> {
    let Some(value) = session_cookie else { return Ok(None) };
    Ok(store.find_session(&token_hash(value), now, now - idle_secs)?.map(Authentication::of_session))
}

/// The live session a cookie names, idle or not (logout ends idle sessions too).
pub fn find_session(store: &impl SessionStore, session_cookie: &str, now: Timestamp) -> StorageResult<Option<Session>> {
    store.find_session(&token_hash(session_cookie), now, i64::MIN)
}

/// Ends the session a cookie names and returns every grant made in it; the online ones are revoked.
pub fn end_session(store: &impl SessionStore, session_cookie: &str, now: Timestamp) -> StorageResult<Vec<Grant>> {
    store.end_session(&token_hash(session_cookie), now)
}

/// A session opened by a completed sign-in.
pub struct NewSession {
    /// The cookie value (secret; only its hash is stored).
    pub cookie: SecretString,
    /// The public session id (`sid`).
    pub sid: String,
    /// Grants of a previous session of another user in this browser, ended by this sign-in (to notify).
    pub ended: Vec<Grant>,
}

/// Opens a session for `user_id`, signed in with `methods`. The cookie value changes at every sign-in (no session
/// fixation). A re-login of the same user (prompt=login, max_age) keeps the `sid`, so the apps signed in during the
/// session stay signed in; a sign-in as someone else ends the previous user's session. `client` is the request that
/// signed in (the account page lists sessions by it).
pub fn start_session(
    store: &impl SessionStore,
    previous_cookie: Option<&str>,
    user_id: &str,
    methods: &[AuthenticationMethod],
    client: &ClientContext,
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
    let session = Session {
        sid: sid.clone(),
        user_id: user_id.to_owned(),
        auth_time: now,
        expires_at: now + ttl_secs,
        methods: methods.to_vec(),
        client: client.clone(),
    };
    store.start_session(&token_hash(cookie.expose()), &session)?;
    Ok(NewSession { cookie, sid, ended })
}
