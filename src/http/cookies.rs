//! The cookies Tessera sets: the browser session (single sign-on) and the browser binding that ties a parked
//! request to the browser that started it. Their values come from the core; this is only their attributes.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};

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

pub fn session_cookie(value: &str, secure: bool, ttl_secs: i64) -> Cookie<'static> {
    cookie(SESSION_COOKIE, value.to_owned(), secure, Some(ttl_secs))
}

/// Removes the session cookie (logout).
pub fn session_cookie_removal() -> Cookie<'static> {
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").http_only(true).finish();
    gone.make_removal();
    gone
}

/// A browser cookie lasting as long as the browser runs.
pub fn browser_cookie(value: &str, secure: bool) -> Cookie<'static> {
    cookie(BROWSER_COOKIE, value.to_owned(), secure, None)
}
