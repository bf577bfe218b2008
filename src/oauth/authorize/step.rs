//! What the authorization transaction hands the HTTP layer: one [`Step`] per request, which it only renders.

use super::redirect::AuthorizationResponse;
use crate::error::Failure;
use crate::oauth::authentication::SignInStep;
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
    pub error: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentPage {
    pub interaction_id: String,
    pub client_name: String,
    pub csrf_token: String,
    pub username: String,
    /// Each scope asked for and what it gives the application, `openid` first.
    pub scopes: Vec<ScopeLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeLine {
    pub name: String,
    pub description: &'static str,
}

impl Step {
    pub fn to(next: Next) -> Step {
        Step { next, cookies: CookieChanges::default() }
    }

    pub fn error_page(failure: Failure) -> Step {
        Step::to(Next::ErrorPage(failure))
    }
}
