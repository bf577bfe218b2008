//! The pages, as askama templates. Every value is HTML-escaped by the template engine, the catalogue's words too.
//!
//! Every page gets a [`Look`]: the language chosen for the request (`lang` and `dir` on `<html>`, every word from
//! the catalogue) and the operator's brand (name, embedded logo). Messages with arguments are methods of the page's
//! struct, so the templates stay free of argument plumbing.

use askama::Template;

use super::branding::Branding;
use crate::i18n::{Arg, Locale};
use crate::oauth::authentication::SignInRefusal;
use crate::oauth::authorize::{AuthorizationResponse, ScopeLine, UserCodeRefusal};
use crate::oauth::invitation::InvitationRefusal;

/// What every page is drawn with: the request's language and the operator's brand.
#[derive(Clone, Copy)]
pub struct Look<'a> {
    pub t: &'static Locale,
    pub brand: &'a Branding,
}

impl Look<'_> {
    /// `<title>`: the page's own title, then the product.
    pub fn title(&self, key: &str) -> String {
        let title = self.t.text(key);
        self.t
            .text_with("page-title", &[("title", Arg::Text(&title)), ("product", Arg::Text(&self.brand.product_name))])
    }

    fn with_product(&self, key: &str) -> String {
        self.t.text_with(key, &[("product", Arg::Text(&self.brand.product_name))])
    }
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginHtml<'a> {
    pub look: Look<'a>,
    pub client_name: &'a str,
    pub action: &'a str,
    pub csrf_token: &'a str,
    pub username: &'a str,
    pub error: Option<SignInRefusal>,
    /// Where "Not you?" leads: the same page with the username field empty.
    pub other_account: &'a str,
    /// With passkeys on: the interaction's passkey form (`/interaction/{id}/passkey`; its options at `…/options`).
    pub passkey: Option<&'a str>,
}

impl LoginHtml<'_> {
    fn lead(&self) -> String {
        self.look.t.text_with("login-lead", &[("app", Arg::Text(self.client_name))])
    }

    fn error_text(&self) -> Option<String> {
        let t = self.look.t;
        self.error.map(|refusal| match refusal {
            SignInRefusal::Failed => t.text("signin-error-failed"),
            // Seconds up to a minute and a half, then whole minutes (rounded up: never promise too short a wait).
            SignInRefusal::Throttled { wait_secs } if wait_secs <= 90 => {
                t.text_with("signin-error-throttled", &[("seconds", Arg::Number(wait_secs))])
            }
            SignInRefusal::Throttled { wait_secs } => {
                t.text_with("signin-error-throttled-minutes", &[("minutes", Arg::Number((wait_secs + 59) / 60))])
            }
            SignInRefusal::Disabled => self.look.with_product("signin-error-disabled"),
            SignInRefusal::WrongCode => t.text("signin-error-wrong-code"),
            SignInRefusal::SecondFactorMissing => self.look.with_product("signin-error-second-factor-missing"),
            SignInRefusal::PasskeyFailed => t.text("signin-error-passkey"),
        })
    }

    /// The fields are marked invalid only when what was typed is wrong (not while throttled).
    fn invalid(&self) -> bool {
        self.error == Some(SignInRefusal::Failed)
    }
}

/// An invitation link's page: set the account's first password; or, `gone`, the link no longer works.
#[derive(Template)]
#[template(path = "invitation.html")]
pub struct InvitationHtml<'a> {
    pub look: Look<'a>,
    pub username: &'a str,
    pub csrf_token: &'a str,
    pub error: Option<InvitationRefusal>,
    pub gone: bool,
    /// With passkeys on: the page's passkey form (`/invite/{token}/passkey`; its options at `…/options`).
    pub passkey: Option<&'a str>,
}

impl InvitationHtml<'_> {
    fn lead(&self) -> String {
        self.look.t.text_with(
            "invite-lead",
            &[("username", Arg::Text(self.username)), ("product", Arg::Text(&self.look.brand.product_name))],
        )
    }

    fn error_text(&self) -> Option<String> {
        self.error.map(|error| match error {
            InvitationRefusal::Mismatch => self.look.t.text("invite-error-mismatch"),
            InvitationRefusal::Weak => self.look.t.text("invite-error-weak"),
            InvitationRefusal::Passkey => self.look.t.text("account-error-passkey"),
        })
    }
}

/// `/device` (RFC 8628 §3.3): the person types the user code the device shows, or confirms it when it came in the
/// `verification_uri_complete`.
#[derive(Template)]
#[template(path = "device.html")]
pub struct DeviceHtml<'a> {
    pub look: Look<'a>,
    pub csrf_token: &'a str,
    /// The code to confirm (from `?user_code=`), or empty.
    pub user_code: &'a str,
    pub error: Option<UserCodeRefusal>,
}

impl DeviceHtml<'_> {
    fn error_text(&self) -> Option<String> {
        self.error.map(|error| match error {
            UserCodeRefusal::Unknown => self.look.t.text("device-error-unknown"),
            UserCodeRefusal::Throttled => self.look.t.text("device-error-throttled"),
        })
    }
}

/// A device request answered: go back to the device.
#[derive(Template)]
#[template(path = "device_done.html")]
pub struct DeviceDoneHtml<'a> {
    pub look: Look<'a>,
    pub approved: bool,
}

/// The second step of signing in: a TOTP code or a recovery code.
#[derive(Template)]
#[template(path = "second_factor.html")]
pub struct SecondFactorHtml<'a> {
    pub look: Look<'a>,
    pub client_name: &'a str,
    pub action: &'a str,
    pub csrf_token: &'a str,
    pub error: Option<SignInRefusal>,
    /// The user's passkey may be the second factor: the interaction's passkey form.
    pub passkey: Option<&'a str>,
    /// The TOTP (or recovery code) form is offered.
    pub totp: bool,
}

impl SecondFactorHtml<'_> {
    fn lead(&self) -> String {
        // Without an authenticator app, the page asks for the passkey only.
        let key = if self.totp { "otp-lead" } else { "passkey-lead" };
        self.look.t.text_with(key, &[("app", Arg::Text(self.client_name))])
    }

    /// The same words as the password page's for the same refusal.
    fn error_text(&self) -> Option<String> {
        let login = LoginHtml {
            look: self.look,
            client_name: self.client_name,
            action: self.action,
            csrf_token: self.csrf_token,
            username: "",
            error: self.error,
            other_account: "",
            passkey: None,
        };
        login.error_text()
    }

    fn invalid(&self) -> bool {
        self.error == Some(SignInRefusal::WrongCode)
    }
}

#[derive(Template)]
#[template(path = "consent.html")]
pub struct ConsentHtml<'a> {
    pub look: Look<'a>,
    pub client_name: &'a str,
    pub action: &'a str,
    pub csrf_token: &'a str,
    pub username: &'a str,
    pub scopes: &'a [ScopeLine],
    pub raw_scope: &'a str,
    pub logo_uri: Option<&'a str>,
    pub client_uri: Option<&'a str>,
    pub policy_uri: Option<&'a str>,
    pub tos_uri: Option<&'a str>,
    /// Where the user changes their choices later.
    pub account_url: &'a str,
}

impl ConsentHtml<'_> {
    fn app(&self, key: &str) -> String {
        self.look.t.text_with(key, &[("app", Arg::Text(self.client_name))])
    }

    fn signed_in_as(&self) -> String {
        self.look.t.text_with("consent-signed-in-as", &[("user", Arg::Text(self.username))])
    }

    fn scope_text(&self, line: &ScopeLine) -> String {
        self.look.t.text_with(line.key, &[("count", Arg::Number(line.count as i64))])
    }
}

/// Which kind of failure the error page explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request was refused (the application's doing).
    Refused,
    /// The sign-in page expired or was completed already.
    Expired,
    /// Our own failure.
    Server,
    /// The database or a queue is out of reach for now.
    Unavailable,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorHtml<'a> {
    pub look: Look<'a>,
    pub kind: ErrorKind,
    /// The registered error code and its fixed description (for the application's developer).
    pub code: &'a str,
    pub description: &'a str,
    pub error_id: Option<&'a str>,
}

impl ErrorHtml<'_> {
    fn key(&self, part: &str) -> String {
        let kind = match self.kind {
            ErrorKind::Refused => "refused",
            ErrorKind::Expired => "expired",
            ErrorKind::Server => "server",
            ErrorKind::Unavailable => "unavailable",
        };
        format!("error-{part}-{kind}")
    }

    fn heading(&self) -> String {
        self.look.t.text(&self.key("title"))
    }

    fn page_title(&self) -> String {
        self.look.title(&self.key("title"))
    }

    fn what(&self) -> String {
        self.look.t.text(&self.key("what"))
    }

    /// Trying again helps with an outage or our own failure; a refused or expired request starts again at the app.
    fn retry(&self) -> bool {
        matches!(self.kind, ErrorKind::Server | ErrorKind::Unavailable)
    }
}

#[derive(Template)]
#[template(path = "logout.html")]
pub struct LogoutHtml<'a> {
    pub look: Look<'a>,
    pub client_name: Option<&'a str>,
    pub username: &'a str,
    pub csrf_token: &'a str,
    /// The request's own parameters, carried through the confirmation.
    pub fields: &'a [(String, String)],
}

impl LogoutHtml<'_> {
    fn lead(&self) -> String {
        let product = Arg::Text(&self.look.brand.product_name);
        match self.client_name {
            Some(app) => self.look.t.text_with("logout-asks", &[("app", Arg::Text(app)), ("product", product)]),
            None => self.look.t.text_with("logout-about", &[("product", product)]),
        }
    }

    fn signed_in_as(&self) -> String {
        let product = Arg::Text(&self.look.brand.product_name);
        self.look.t.text_with("logout-signed-in-as", &[("user", Arg::Text(self.username)), ("product", product)])
    }
}

#[derive(Template)]
#[template(path = "logged_out.html")]
pub struct LoggedOutHtml<'a> {
    pub look: Look<'a>,
    /// The application to go back to: its name and registered address.
    pub back: Option<(&'a str, &'a str)>,
}

impl LoggedOutHtml<'_> {
    fn back_text(&self, app: &str) -> String {
        self.look.t.text_with("logged-out-back", &[("app", Arg::Text(app))])
    }
}

/// "You don't have access to this application" (the client's `allowed_groups`), with the way back to the application
/// that tells it `access_denied`.
#[derive(Template)]
#[template(path = "no_access.html")]
pub struct NoAccessHtml<'a> {
    pub look: Look<'a>,
    pub client_name: &'a str,
    pub username: &'a str,
    pub back: &'a AuthorizationResponse,
}

impl NoAccessHtml<'_> {
    fn lead(&self) -> String {
        let args = [("app", Arg::Text(self.client_name)), ("user", Arg::Text(self.username))];
        self.look.t.text_with("no-access-lead", &args)
    }

    fn back_text(&self) -> String {
        self.look.t.text_with("no-access-back", &[("app", Arg::Text(self.client_name))])
    }
}

/// `GET /`.
#[derive(Template)]
#[template(path = "index.html")]
pub struct LandingHtml<'a> {
    pub look: Look<'a>,
    /// No client is registered yet: the page says what to do next.
    pub fresh: bool,
    pub account_url: &'a str,
}

impl LandingHtml<'_> {
    fn lead(&self) -> String {
        self.look.with_product("landing-lead")
    }
}

/// The Form Post Response Mode page: hidden fields, submitted by a one-line script allowed by its CSP hash, with a
/// button for browsers without JavaScript.
#[derive(Template)]
#[template(path = "form_post.html")]
pub struct FormPostHtml<'a> {
    pub look: Look<'a>,
    pub action: &'a str,
    pub fields: &'a [(String, String)],
    pub script: &'static str,
}

pub const FORM_POST_SCRIPT: &str = "document.forms[0].submit();";

/// The CSP of the form post page: our stylesheet, and exactly the one script (CSP Level 2 hash source: the
/// base64 SHA-256 of [`FORM_POST_SCRIPT`], checked by a test).
pub const FORM_POST_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
    script-src 'sha256-8lDeP0UDwCO6/RhblgeH/ctdBzjVpJxrXizsnIk3cEQ='; frame-ancestors 'none'; base-uri 'none'";

/// The CSP of the login page: as every page's, plus our own script file (the show-password toggle), no inline script.
pub const LOGIN_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; \
    frame-ancestors 'none'; base-uri 'none'";

/// The CSP of a page that offers a passkey: the login page's, plus `connect-src 'self'` for the script's one kind of
/// request (the ceremony's options, `POST …/passkey/options` on our own origin). Still no inline script.
pub const PASSKEY_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; \
    connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_post_csp_allows_exactly_its_script() {
        use base64::Engine;
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, FORM_POST_SCRIPT.as_bytes());
        let hash = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(FORM_POST_CSP.contains(&format!("script-src 'sha256-{hash}';")), "{FORM_POST_CSP}");
    }

    fn look(tag: &str) -> Look<'static> {
        static BRAND: std::sync::OnceLock<Branding> = std::sync::OnceLock::new();
        let brand = BRAND.get_or_init(Branding::default);
        Look { t: Locale::by_tag(tag).unwrap(), brand }
    }

    #[test]
    fn values_are_escaped() {
        let html = LoginHtml {
            look: look("en"),
            client_name: "<script>alert(1)</script>",
            action: "/interaction/x/login",
            csrf_token: "t\"><b>",
            username: "a'b",
            error: None,
            other_account: "/interaction/x?account=other",
            passkey: None,
        }
        .render()
        .unwrap();
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"));
        assert!(!html.contains("t\"><b>"));
    }

    /// Every page, in every shipped language, in each of its states: no message is missing (a missing one renders
    /// as `⟦key⟧`), and `<html>` carries the language and its direction.
    #[test]
    fn every_page_renders_in_every_language_without_a_missing_message() {
        let scopes = [
            ScopeLine { key: "scope-openid", count: 1 },
            ScopeLine { key: "scope-profile", count: 1 },
            ScopeLine { key: "scope-email", count: 1 },
            ScopeLine { key: "scope-address", count: 1 },
            ScopeLine { key: "scope-phone", count: 1 },
            ScopeLine { key: "scope-offline_access", count: 1 },
            ScopeLine { key: "scope-groups", count: 1 },
            ScopeLine { key: "scope-api", count: 3 },
        ];
        let fields = [("state".to_owned(), "s".to_owned())];
        for locale in Locale::all() {
            let look = look(locale.tag);
            let mut pages = Vec::new();
            for error in [
                None,
                Some(SignInRefusal::Failed),
                Some(SignInRefusal::Throttled { wait_secs: 4 }),
                Some(SignInRefusal::Throttled { wait_secs: 900 }),
                Some(SignInRefusal::Disabled),
                Some(SignInRefusal::SecondFactorMissing),
                Some(SignInRefusal::PasskeyFailed),
            ] {
                let page = LoginHtml {
                    look,
                    client_name: "App",
                    action: "/a",
                    csrf_token: "c",
                    username: "alice",
                    error,
                    other_account: "/o",
                    passkey: Some("/p"),
                };
                pages.push(("login", page.render().unwrap()));
            }
            for error in [None, Some(SignInRefusal::WrongCode), Some(SignInRefusal::Throttled { wait_secs: 4 })] {
                for totp in [true, false] {
                    let passkey = Some("/p");
                    let page = SecondFactorHtml {
                        look,
                        client_name: "App",
                        action: "/a",
                        csrf_token: "c",
                        error,
                        passkey,
                        totp,
                    };
                    pages.push(("second_factor", page.render().unwrap()));
                }
            }
            for (error, gone) in [
                (None, false),
                (Some(InvitationRefusal::Mismatch), false),
                (Some(InvitationRefusal::Weak), false),
                (Some(InvitationRefusal::Passkey), false),
                (None, true),
            ] {
                let page =
                    InvitationHtml { look, username: "alice", csrf_token: "c", error, gone, passkey: Some("/p") };
                pages.push(("invitation", page.render().unwrap()));
            }
            for (user_code, error) in [
                ("", None),
                ("BCDF-GHJK", None),
                ("", Some(UserCodeRefusal::Unknown)),
                ("", Some(UserCodeRefusal::Throttled)),
            ] {
                pages.push(("device", DeviceHtml { look, csrf_token: "c", user_code, error }.render().unwrap()));
            }
            for approved in [true, false] {
                pages.push(("device_done", DeviceDoneHtml { look, approved }.render().unwrap()));
            }
            let consent = ConsentHtml {
                look,
                client_name: "App",
                action: "/a",
                csrf_token: "c",
                username: "alice",
                scopes: &scopes,
                raw_scope: "openid api:read",
                logo_uri: Some("data:image/png;base64,AAAA"),
                client_uri: Some("https://app.example"),
                policy_uri: Some("https://app.example/privacy"),
                tos_uri: Some("https://app.example/terms"),
                account_url: "/account",
            };
            pages.push(("consent", consent.render().unwrap()));
            for kind in [ErrorKind::Refused, ErrorKind::Expired, ErrorKind::Server, ErrorKind::Unavailable] {
                let page = ErrorHtml { look, kind, code: "invalid_request", description: "d", error_id: Some("id") };
                pages.push(("error", page.render().unwrap()));
            }
            for client_name in [None, Some("App")] {
                let page = LogoutHtml { look, client_name, username: "alice", csrf_token: "c", fields: &fields };
                pages.push(("logout", page.render().unwrap()));
            }
            for back in [None, Some(("App", "https://app.example"))] {
                pages.push(("logged_out", LoggedOutHtml { look, back }.render().unwrap()));
            }
            for fresh in [true, false] {
                pages.push(("landing", LandingHtml { look, fresh, account_url: "/account" }.render().unwrap()));
            }
            let form_post = FormPostHtml { look, action: "https://app.example/cb", fields: &fields, script: "" };
            pages.push(("form_post", form_post.render().unwrap()));
            for back in [
                AuthorizationResponse::Redirect("https://app.example/cb?error=access_denied".into()),
                AuthorizationResponse::FormPost { action: "https://app.example/cb".into(), fields: fields.to_vec() },
            ] {
                let page = NoAccessHtml { look, client_name: "App", username: "alice", back: &back };
                pages.push(("no_access", page.render().unwrap()));
            }
            for (name, html) in pages {
                assert!(!html.contains('⟦'), "{name} in {}: a message is missing:\n{html}", locale.tag);
                let root = format!("<html lang=\"{}\" dir=\"{}\">", locale.tag, locale.direction());
                assert!(html.contains(&root), "{name} in {}: no {root}", locale.tag);
            }
        }
    }
}
