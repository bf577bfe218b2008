//! The account page's askama pages (`/account`, the authenticator app's enrolment, the recovery codes shown once).

use askama::Template;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::DateTime;

use super::pages::Look;
use crate::domain::Device;
use crate::i18n::Arg;
use crate::oauth::account::{AccountRefusal, AccountView, AppLine, PasskeyLine, SessionLine};

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountHtml<'a> {
    pub look: Look<'a>,
    /// `None`: nobody is signed in to this browser.
    pub view: Option<&'a AccountView>,
    pub error: Option<AccountRefusal>,
    /// The CSRF token of the sign-in form shown when nobody is signed in.
    pub sign_in_csrf: &'a str,
}

/// What a refused change says, on the account page or the enrolment page.
fn refusal_text(look: &Look<'_>, refusal: AccountRefusal) -> String {
    match refusal {
        AccountRefusal::WrongPassword => look.t.text("account-error-password"),
        AccountRefusal::Throttled { wait_secs } if wait_secs <= 90 => {
            look.t.text_with("signin-error-throttled", &[("seconds", Arg::Number(wait_secs))])
        }
        AccountRefusal::Throttled { wait_secs } => {
            look.t.text_with("signin-error-throttled-minutes", &[("minutes", Arg::Number((wait_secs + 59) / 60))])
        }
        AccountRefusal::WrongCode => look.t.text("account-error-code"),
        AccountRefusal::PasswordMismatch => look.t.text("invite-error-mismatch"),
        AccountRefusal::PasswordWeak => look.t.text("invite-error-weak"),
        AccountRefusal::PasskeyFailed => look.t.text("account-error-passkey"),
        AccountRefusal::LastCredential => look.t.text("account-error-last-credential"),
        AccountRefusal::ProfileInvalid => look.t.text("account-error-profile"),
    }
}

/// A time for people: UTC, to the minute.
fn time(t: i64) -> String {
    DateTime::from_timestamp(t, 0).map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

impl AccountHtml<'_> {
    fn error_text(&self) -> Option<String> {
        self.error.map(|refusal| refusal_text(&self.look, refusal))
    }

    fn totp_on(&self) -> String {
        let left = self.view.map_or(0, |v| v.recovery_codes_left);
        self.look.t.text_with("account-totp-on", &[("count", Arg::Number(left))])
    }

    fn app_text(&self, app: &AppLine) -> String {
        self.look.t.text_with(
            "account-app-line",
            &[
                ("app", Arg::Text(&app.name)),
                ("scope", Arg::Text(app.scope.as_deref().unwrap_or("-"))),
                ("grants", Arg::Number(app.grants)),
            ],
        )
    }

    fn passkey_text(&self, passkey: &PasskeyLine) -> String {
        let used = passkey.last_used_at.map_or_else(|| "-".to_owned(), time);
        let key = if passkey.backed_up { "account-passkey-line-synced" } else { "account-passkey-line" };
        self.look.t.text_with(key, &[("created", Arg::Text(&time(passkey.created_at))), ("used", Arg::Text(&used))])
    }

    fn session_text(&self, session: &SessionLine) -> String {
        let apps = if session.clients.is_empty() { "-".to_owned() } else { session.clients.join(", ") };
        self.look.t.text_with(
            "account-session-line",
            &[
                ("started", Arg::Text(&time(session.auth_time))),
                ("seen", Arg::Text(&time(session.last_seen_at))),
                ("apps", Arg::Text(&apps)),
            ],
        )
    }

    /// The session's device ("Firefox on Linux") and address.
    fn session_client(&self, session: &SessionLine) -> String {
        where_from(&self.look, &session.device, &session.address)
    }
}

#[derive(Template)]
#[template(path = "account_totp.html")]
pub struct TotpSetupHtml<'a> {
    pub look: Look<'a>,
    /// The QR code of the otpauth URI, an SVG `data:` URI (drawn here: no external service, no script).
    pub qr_data_uri: &'a str,
    pub secret: &'a str,
    pub csrf_token: &'a str,
    pub reauth: bool,
    pub error: Option<AccountRefusal>,
}

impl TotpSetupHtml<'_> {
    fn error_text(&self) -> Option<String> {
        self.error.map(|refusal| refusal_text(&self.look, refusal))
    }
}

/// The QR code of `text` as an SVG `data:` URI (the pages' CSP allows `img-src data:`).
pub fn qr_data_uri(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    Some(format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)))
}

#[derive(Template)]
#[template(path = "account_codes.html")]
pub struct RecoveryCodesHtml<'a> {
    pub look: Look<'a>,
    pub codes: &'a [String],
}

/// A session's device ("Firefox on Linux") and address, each "unknown" when not recorded or not recognised (the
/// account page and the admin pages' user page).
pub fn where_from(look: &Look<'_>, device: &Device, address: &str) -> String {
    let unknown = || look.t.text("account-session-unknown");
    let device = match (&device.browser, &device.os) {
        (Some(browser), Some(os)) => {
            look.t.text_with("account-session-device", &[("browser", Arg::Text(browser)), ("os", Arg::Text(os))])
        }
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => unknown(),
    };
    let address = if address.is_empty() { unknown() } else { address.to_owned() };
    look.t.text_with("account-session-client", &[("device", Arg::Text(&device)), ("address", Arg::Text(&address))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::branding::Branding;
    use crate::i18n::Locale;

    #[test]
    fn every_account_page_renders_in_every_language_without_a_missing_message() {
        let brand = Branding::default();
        let view = AccountView {
            username: "alice".into(),
            name: Some("Alice".into()),
            picture: Some("https://example.com/alice.png".into()),
            profile_edit: true,
            email: Some("a@example.com".into()),
            totp: true,
            recovery_codes_left: 9,
            sessions: vec![SessionLine {
                sid: "s".into(),
                auth_time: 0,
                last_seen_at: 60,
                device: crate::domain::Device { browser: Some("Firefox".into()), os: Some("Linux".into()) },
                address: "203.0.113.7".into(),
                current: true,
                clients: vec!["app".into()],
            }],
            apps: vec![AppLine {
                client_id: "app".into(),
                name: "App".into(),
                scope: Some("openid email".into()),
                grants: 2,
            }],
            csrf_token: "c".into(),
            reauth: true,
            passkeys: Some(vec![PasskeyLine {
                credential_id: "id".into(),
                name: "Laptop".into(),
                created_at: 0,
                last_used_at: Some(60),
                backed_up: true,
            }]),
        };
        let off = AccountView { totp: false, reauth: false, ..view.clone() };
        let qr = qr_data_uri("otpauth://totp/x:alice?secret=ABC").unwrap();
        for locale in Locale::all() {
            let look = Look { t: locale, brand: &brand };
            let mut pages = Vec::new();
            for (view, error) in [
                (Some(&view), None),
                (Some(&off), Some(AccountRefusal::WrongPassword)),
                (Some(&view), Some(AccountRefusal::Throttled { wait_secs: 900 })),
                (Some(&view), Some(AccountRefusal::PasswordWeak)),
                (Some(&view), Some(AccountRefusal::PasskeyFailed)),
                (Some(&view), Some(AccountRefusal::ProfileInvalid)),
                (Some(&off), Some(AccountRefusal::LastCredential)),
                (None, None),
            ] {
                pages.push(AccountHtml { look, view, error, sign_in_csrf: "c" }.render().unwrap());
            }
            for (reauth, error) in [(false, None), (true, Some(AccountRefusal::WrongCode))] {
                let page = TotpSetupHtml { look, qr_data_uri: &qr, secret: "ABC", csrf_token: "c", reauth, error };
                pages.push(page.render().unwrap());
            }
            pages.push(RecoveryCodesHtml { look, codes: &["a".into()] }.render().unwrap());
            for html in pages {
                assert!(!html.contains('⟦'), "{}: a message is missing:\n{html}", locale.tag);
            }
        }
    }
}
