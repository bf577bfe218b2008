//! The pages, as askama templates. Every value is HTML-escaped by the template engine.

use askama::Template;

use crate::oauth::authorize::ScopeLine;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginHtml<'a> {
    pub client_name: &'a str,
    pub action: &'a str,
    pub csrf_token: &'a str,
    pub username: &'a str,
    pub error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "consent.html")]
pub struct ConsentHtml<'a> {
    pub client_name: &'a str,
    pub action: &'a str,
    pub csrf_token: &'a str,
    pub username: &'a str,
    pub scopes: &'a [ScopeLine],
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorHtml<'a> {
    pub title: &'a str,
    pub message: &'a str,
    pub error_id: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "logout.html")]
pub struct LogoutHtml<'a> {
    pub client_name: Option<&'a str>,
    pub username: &'a str,
    pub csrf_token: &'a str,
    /// The request's own parameters, carried through the confirmation.
    pub fields: &'a [(String, String)],
}

#[derive(Template)]
#[template(path = "logged_out.html")]
pub struct LoggedOutHtml;

/// The Form Post Response Mode page: hidden fields, submitted by a one-line script allowed by its CSP hash, with a
/// button for browsers without JavaScript.
#[derive(Template)]
#[template(path = "form_post.html")]
pub struct FormPostHtml<'a> {
    pub action: &'a str,
    pub fields: &'a [(String, String)],
    pub script: &'static str,
}

pub const FORM_POST_SCRIPT: &str = "document.forms[0].submit();";

/// The CSP of the form post page: our stylesheet, and exactly the one script (CSP Level 2 hash source: the
/// base64 SHA-256 of [`FORM_POST_SCRIPT`], checked by a test).
pub const FORM_POST_CSP: &str = "default-src 'none'; style-src 'self'; \
    script-src 'sha256-8lDeP0UDwCO6/RhblgeH/ctdBzjVpJxrXizsnIk3cEQ='; frame-ancestors 'none'; base-uri 'none'";

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

    #[test]
    fn values_are_escaped() {
        let html = LoginHtml {
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
