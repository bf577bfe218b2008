//! Page structs rendered by askama. Every value is HTML-escaped by the template engine.

use askama::Template;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage<'a> {
    pub client_name: &'a str,
    pub action: &'a str,
    pub csrf_token: &'a str,
    pub username: &'a str,
    pub error: Option<&'a str>,
}

pub struct ScopeView {
    pub name: String,
    pub description: &'static str,
}

#[derive(Template)]
#[template(path = "consent.html")]
pub struct ConsentPage<'a> {
    pub client_name: &'a str,
    pub action: &'a str,
    pub csrf_token: &'a str,
    pub username: &'a str,
    pub scopes: Vec<ScopeView>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub title: &'a str,
    pub message: &'a str,
    pub error_id: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "logout.html")]
pub struct LogoutPage<'a> {
    pub client_name: Option<&'a str>,
    pub username: &'a str,
    pub csrf_token: &'a str,
    /// The request's own parameters, carried through the confirmation.
    pub fields: &'a [(String, String)],
}

#[derive(Template)]
#[template(path = "logged_out.html")]
pub struct LoggedOutPage;

/// The Form Post Response Mode page: hidden fields, submitted by a one-line script allowed by its CSP hash, with a
/// button for browsers without JavaScript.
#[derive(Template)]
#[template(path = "form_post.html")]
pub struct FormPostPage<'a> {
    pub action: &'a str,
    pub fields: &'a [(String, String)],
    pub script: &'static str,
}

pub const FORM_POST_SCRIPT: &str = "document.forms[0].submit();";

/// The CSP of the form post page: our stylesheet, and exactly the one script (CSP Level 2 hash source).
pub fn form_post_csp() -> String {
    use base64::Engine;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, FORM_POST_SCRIPT.as_bytes());
    format!(
        "default-src 'none'; style-src 'self'; script-src 'sha256-{}'; frame-ancestors 'none'; base-uri 'none'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// What the consent page says a scope gives the app.
pub fn describe_scope(scope: &str) -> &'static str {
    match scope {
        "openid" => "Know who you are (a stable identifier)",
        "profile" => "Your name, username and other profile details",
        "email" => "Your email address",
        "offline_access" => "Stay signed in to it after you sign out here",
        "address" => "Your postal address",
        "phone" => "Your phone number",
        _ => "Access named by the application",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        let html = LoginPage {
            client_name: "<script>alert(1)</script>",
            action: "/interaction/x/login",
            csrf_token: "t\"><b>",
            username: "a'b",
            error: None,
        }
        .render()
        .unwrap();
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"));
        assert!(!html.contains("t\"><b>"));
    }
}
