//! The cookies Tessera sets: the browser session (single sign-on) and the browser binding that ties a parked
//! request to the browser that started it. Their values come from the core; this is only their names and
//! attributes, fixed at start from the issuer's scheme and read back under the same names.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};

/// The names and the `Secure` attribute of Tessera's two cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookiePolicy {
    /// The issuer is https: cookies are `Secure` (and responses carry HSTS).
    pub secure: bool,
    /// The browser session cookie's name.
    pub session: &'static str,
    /// The browser binding cookie's name.
    pub browser: &'static str,
}

impl CookiePolicy {
    /// Under an https issuer the names take the `__Host-` prefix (RFC 6265bis §4.1.3.2: "Secure", "Path=/" and no
    /// "Domain"), so a sibling subdomain or a plain-http page cannot plant or overwrite them. Plain http (a local
    /// setup) keeps the unprefixed names, which browsers would refuse with the prefix.
    pub fn for_issuer(https: bool) -> CookiePolicy {
        if https {
            CookiePolicy { secure: true, session: "__Host-tessera_session", browser: "__Host-tessera_browser" }
        } else {
            CookiePolicy { secure: false, session: "tessera_session", browser: "tessera_browser" }
        }
    }

    /// Cookie attributes: HttpOnly, SameSite=Lax (sent on the top-level navigation back from a client, not on
    /// cross-site POSTs), Secure when the issuer is https, Path=/, never a Domain.
    fn cookie(&self, name: &'static str, value: String, max_age_secs: Option<i64>) -> Cookie<'static> {
        let mut builder =
            Cookie::build(name, value).path("/").http_only(true).same_site(SameSite::Lax).secure(self.secure);
        if let Some(secs) = max_age_secs {
            builder = builder.max_age(CookieDuration::seconds(secs));
        }
        builder.finish()
    }

    pub fn session_cookie(&self, value: &str, ttl_secs: i64) -> Cookie<'static> {
        self.cookie(self.session, value.to_owned(), Some(ttl_secs))
    }

    /// Removes the session cookie (logout). With the same attributes as the cookie: a browser ignores a `__Host-`
    /// cookie without Secure and Path=/, the removal included.
    pub fn session_cookie_removal(&self) -> Cookie<'static> {
        let mut gone = self.cookie(self.session, String::new(), None);
        gone.make_removal();
        gone
    }

    /// A browser cookie lasting as long as the browser runs.
    pub fn browser_cookie(&self, value: &str) -> Cookie<'static> {
        self.cookie(self.browser, value.to_owned(), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_names_take_the_host_prefix_and_its_attributes() {
        let https = CookiePolicy::for_issuer(true);
        let set = https.browser_cookie("v").to_string();
        assert_eq!(set, "__Host-tessera_browser=v; HttpOnly; SameSite=Lax; Secure; Path=/");
        let removal = https.session_cookie_removal().to_string();
        assert!(removal.starts_with("__Host-tessera_session=;") && removal.contains("; Secure; Path=/"), "{removal}");
        let http = CookiePolicy::for_issuer(false);
        assert_eq!(
            http.session_cookie("v", 60).to_string(),
            "tessera_session=v; HttpOnly; SameSite=Lax; Path=/; Max-Age=60"
        );
    }
}
