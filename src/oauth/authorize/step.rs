//! What the authorization transaction hands the HTTP layer: one [`Step`] per request, which it only renders.

use super::redirect::AuthorizationResponse;
use crate::error::Failure;
use crate::oauth::authentication::{SignInRefusal, SignInStep};
use crate::secrets::SecretString;

/// The next thing the browser sees, and the cookies to set with it.
#[derive(Debug)]
pub struct Step {
    pub next: Next,
    pub cookies: CookieChanges,
}

#[derive(Debug)]
pub enum Next {
    /// Our own error page: the client or the redirect URI is not verified, or the interaction cannot go on.
    ErrorPage(Failure),
    /// Back to the client: a redirect, or the form_post page.
    RespondToClient(AuthorizationResponse),
    /// On to the interaction's page (`/interaction/{id}`), which shows whatever step comes next.
    Interaction(String),
    /// A sign-in step's page.
    SignIn(SignInPage),
    /// The consent page.
    Consent(ConsentPage),
    /// "You don't have access to this application": the signed-in user is in none of the client's allowed groups.
    /// The page's way back carries `access_denied` to the client.
    NoAccess(NoAccessPage),
    /// A device request (RFC 8628) answered at `/device`: the page that says so and to go back to the device.
    DeviceDone { approved: bool },
}

/// Cookies the step sets.
#[derive(Debug, Default)]
pub struct CookieChanges {
    /// A browser-binding cookie, for a browser that had none (the interaction is bound to it).
    pub browser: Option<SecretString>,
    /// The browser session cookie: a sign-in completed.
    pub session: Option<SecretString>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInPage {
    pub interaction_id: String,
    pub step: SignInStep,
    pub client_name: String,
    pub csrf_token: String,
    /// What the username field holds (the login hint, or what was typed).
    pub username: String,
    pub error: Option<SignInRefusal>,
    /// The request's `ui_locales`, for the page's language.
    pub ui_locales: Option<String>,
    /// The page offers a passkey (sign in with one, or use one as the second factor) and, on the second-factor
    /// page, a TOTP or recovery code.
    pub passkey: bool,
    pub totp: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentPage {
    pub interaction_id: String,
    pub client_name: String,
    pub csrf_token: String,
    pub username: String,
    /// What the application is given, in the registry's words, `openid` first.
    pub scopes: Vec<ScopeLine>,
    /// The scope tokens as asked (for the developer's details section).
    pub raw_scope: String,
    /// The request's `ui_locales`, for the page's language.
    pub ui_locales: Option<String>,
    /// The client's registration metadata the page shows: its logo (a `data:` URI) and its links.
    pub logo_uri: Option<String>,
    pub client_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub tos_uri: Option<String>,
}

#[derive(Debug)]
pub struct NoAccessPage {
    pub client_name: String,
    pub username: String,
    /// The `access_denied` error response, sent when the person goes back to the application.
    pub back: AuthorizationResponse,
    /// The request's `ui_locales`, for the page's language.
    pub ui_locales: Option<String>,
}

/// One line of the consent page: the message (by key in the pages' catalogues) and the count it may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeLine {
    pub key: &'static str,
    /// How many scope tokens the line stands for (the API scopes share one line).
    pub count: usize,
}

impl Step {
    pub fn to(next: Next) -> Step {
        Step { next, cookies: CookieChanges::default() }
    }

    pub fn error_page(failure: Failure) -> Step {
        Step::to(Next::ErrorPage(failure))
    }
}
