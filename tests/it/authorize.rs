//! The authorization endpoint and the pages behind it: two-phase error handling (RFC 6749 §4.1.2.1), PKCE
//! requirements, prompt and max_age, single sign-on, consent memory, CSRF and page security headers.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};

use crate::helpers::{
    ClientOptions, PASSWORD, browser, form_field, location, open_page, query_param, sign_in, spawn_app, spawn_app_with,
    submit_consent, submit_login, without_params,
};
use crate::helpers::{
    TestApp, TestClient, VERIFIER, assert_error_redirect, exchange_code, jwt_part, refresh_status, tessera_fails,
    tessera_on,
};

/// The response is our own error page, never a redirect.
async fn assert_error_page(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get(LOCATION).is_none(), "must not redirect");
    let content_type = response.headers().get(CONTENT_TYPE).unwrap().to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    response.text().await.unwrap()
}

/// oidcc-ensure-registered-redirect-uri: an unregistered redirect URI gets our error page.
#[actix_web::test]
async fn unregistered_or_altered_redirect_uris_get_the_error_page_and_never_a_redirect() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let attacker = "https://attacker.example/cb";
    let slash = format!("{}/", client.redirect_uri);
    let query = format!("{}?x=1", client.redirect_uri);
    let upper = client.redirect_uri.replace("callback", "Callback");
    for uri in [attacker, slash.as_str(), query.as_str(), upper.as_str()] {
        let url = app.authorize_url(&client, &[("redirect_uri", uri)]);
        let html = assert_error_page(browser().get(url).send().await.unwrap()).await;
        assert!(html.contains("redirect_uri is not registered"), "{uri}");
    }
    // Even an otherwise broken request never leaves for an unverified URI.
    let url = app.authorize_url(&client, &[("redirect_uri", attacker), ("response_type", "token")]);
    assert_error_page(browser().get(url).send().await.unwrap()).await;
}

/// oidcc-ensure-redirect-uri-in-authorization-request: without redirect_uri, our error page.
#[actix_web::test]
async fn unknown_client_and_missing_redirect_uri_get_the_error_page() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let url = app.authorize_url(&client, &[("client_id", "nobody")]);
    assert_error_page(browser().get(url).send().await.unwrap()).await;
    let url = app.url("/oauth/authorize?response_type=code&client_id=app&scope=openid");
    assert_error_page(browser().get(url).send().await.unwrap()).await;
}

#[actix_web::test]
async fn repeated_or_malformed_parameters_are_redirected_only_when_the_redirect_uri_verifies() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let b = browser();
    // client_id and redirect_uri verify: invalid_request goes back to the client (RFC 6749 §4.1.2.1), with state
    // when state itself is readable and single.
    for broken in ["&nonce=%ZZ", "&nonce=%FF", "&nonce=a"] {
        let url = format!("{}{broken}", app.authorize_url(&client, &[("nonce", "first")]));
        let url = if broken == "&nonce=a" { url } else { url.replace("&nonce=first", "") };
        let response = b.get(&url).send().await.unwrap();
        assert_error_redirect(&app, &response, &client.redirect_uri, "invalid_request");
    }
    let repeated_state = format!("{}&state=again", app.authorize_url(&client, &[]));
    let response = b.get(repeated_state).send().await.unwrap();
    let to = location(&response);
    assert!(to.starts_with(&client.redirect_uri), "{to}");
    assert_eq!(query_param(&to, "error").as_deref(), Some("invalid_request"));
    assert_eq!(query_param(&to, "state"), None, "an ambiguous state is not echoed");
    // A repeated client_id or redirect_uri cannot be trusted: our page.
    let repeated_client = format!("{}&client_id=app", app.authorize_url(&client, &[]));
    let html = assert_error_page(b.get(repeated_client).send().await.unwrap()).await;
    assert!(html.contains("more than once"));
    let repeated_redirect =
        format!("{}&redirect_uri=https%3A%2F%2Fattacker.example%2F", app.authorize_url(&client, &[]));
    assert_error_page(b.get(repeated_redirect).send().await.unwrap()).await;
    let bad_redirect = app.authorize_url(&client, &[]).replace("redirect_uri=", "redirect_uri=%ZZ");
    assert_error_page(b.get(bad_redirect).send().await.unwrap()).await;
}

/// oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported: a request_uri is answered with
/// request_uri_not_supported.
#[actix_web::test]
async fn errors_after_the_redirect_is_verified_go_back_to_the_client_with_state_and_iss() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let public = app.add_client("spa", ClientOptions { public: true, ..ClientOptions::default() });
    let b = browser();
    let cases = [
        (("response_type", "token"), "unsupported_response_type"),
        (("scope", "profile email"), "invalid_scope"),
        (("code_challenge_method", "plain"), "invalid_request"),
        (("prompt", "none login"), "invalid_request"),
        (("max_age", "soon"), "invalid_request"),
        (("request", "eyJhbGciOiJub25lIn0.e30."), "request_not_supported"),
        (("request_uri", "https://app.example/req"), "request_uri_not_supported"),
        (("prompt", "none"), "login_required"),
    ];
    for (extra, error) in cases {
        let response = b.get(app.authorize_url(&client, &[extra])).send().await.unwrap();
        assert_error_redirect(&app, &response, &client.redirect_uri, error);
    }
    // Missing PKCE: refused for a public client and for a confidential one by default.
    for c in [&client, &public] {
        let bare = without_params(&app.authorize_url(c, &[]), "code_challenge");
        let response = b.get(bare.as_str()).send().await.unwrap();
        assert_error_redirect(&app, &response, &c.redirect_uri, "invalid_request");
    }
}

#[actix_web::test]
async fn a_confidential_client_with_pkce_optional_may_omit_it() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("legacy", ClientOptions { pkce_optional: true, ..ClientOptions::default() });
    let bare = without_params(&app.authorize_url(&client, &[]), "code_challenge");
    let redirect = sign_in(&browser(), &app, bare.as_str(), "alice").await;
    assert!(query_param(&redirect, "code").is_some(), "{redirect}");
}

#[actix_web::test]
async fn post_to_the_authorization_endpoint_works_like_get() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let url = url::Url::parse(&app.authorize_url(&client, &[])).unwrap();
    let form: Vec<(String, String)> = url.query_pairs().map(|(a, b)| (a.into(), b.into())).collect();
    let b = browser();
    let response = b.post(app.url("/oauth/authorize")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/interaction/"));
}

#[actix_web::test]
async fn wrong_password_and_unknown_user_get_the_same_generic_message_and_no_session() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let wrong = submit_login(&b, &page_url, &html, "alice", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::OK, "the form again, with a message");
    assert!(wrong.headers().get(SET_COOKIE).is_none(), "no session on failure");
    let wrong_html = wrong.text().await.unwrap();
    assert!(wrong_html.contains("The username or password is incorrect."));
    assert!(wrong_html.contains("value=\"alice\""), "the username is kept");
    let unknown = submit_login(&b, &page_url, &wrong_html, "mallory", PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::OK);
    let unknown_html = unknown.text().await.unwrap();
    assert!(unknown_html.contains("The username or password is incorrect."));
    // Same page either way, apart from the echoed username.
    assert_eq!(wrong_html.replace("alice", "X"), unknown_html.replace("mallory", "X"));
    // The right password still works afterwards.
    let ok = submit_login(&b, &page_url, &unknown_html, "alice", PASSWORD).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn a_login_without_the_csrf_token_or_from_another_browser_is_refused() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let no_csrf = b
        .post(format!("{page_url}/login"))
        .form(&[("username", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), StatusCode::BAD_REQUEST);
    assert!(no_csrf.headers().get(LOCATION).is_none());
    let wrong_csrf = b
        .post(format!("{page_url}/login"))
        .form(&[("csrf_token", "forged"), ("username", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_csrf.status(), StatusCode::BAD_REQUEST);
    // Another browser (no binding cookie) with the right token cannot complete this interaction.
    let other = submit_login(&browser(), &page_url, &html, "alice", PASSWORD).await;
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
    // The legitimate browser still can.
    let ok = submit_login(&b, &page_url, &html, "alice", PASSWORD).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert!(location(&ok).starts_with(&client.redirect_uri));
}

#[actix_web::test]
async fn the_login_page_carries_security_headers_and_the_session_cookie_is_locked_down() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[("login_hint", "alice\"><script>")])).send().await.unwrap();
    let page = b.get(app.url(&location(&response))).send().await.unwrap();
    let headers = page.headers().clone();
    let csp = headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(headers.get("x-frame-options").unwrap(), "DENY");
    assert_eq!(headers.get("referrer-policy").unwrap(), "no-referrer");
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    let html = page.text().await.unwrap();
    assert!(!html.contains("<script>"), "login_hint is escaped");
    assert!(html.contains("<label for=\"username\">") && html.contains("<label for=\"password\">"));
    assert!(!html.contains("http://") && !html.contains("https://"), "no external URLs");
    let page_url = app.url(&location(&response));
    let login = submit_login(&b, &page_url, &html, "alice", PASSWORD).await;
    let cookie = login.headers().get(SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("tessera_session="), "an http issuer keeps the plain names: {cookie}");
    assert!(set_cookie(&response, "tessera_browser").is_some(), "the browser cookie keeps its plain name");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http issuer on loopback");
    // The stylesheet is served by us.
    let css = b.get(app.url("/static/tessera.css")).send().await.unwrap();
    assert_eq!(css.status(), StatusCode::OK);
}

/// The `Set-Cookie` header of `response` for the cookie `name`, if any.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// `name=value` of a `Set-Cookie` header, as a browser sends it back.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// RFC 6265bis §4.1.3.2: under an https issuer both cookies are named `__Host-…` (Secure, Path=/, no Domain), so a
/// sibling subdomain or a plain-http page cannot plant or overwrite them. The issuer's scheme is read as a URL
/// scheme, case-insensitively: `HTTPS://` is https too (Secure cookies, HSTS). The test client talks plain http to
/// 127.0.0.1, where a cookie store may refuse Secure cookies: the cookies are carried by hand.
#[actix_web::test]
async fn an_https_issuer_names_the_cookies_with_the_host_prefix_and_signs_in_with_them() {
    let app = spawn_app_with(|s| s.issuer = "HTTPS://ID.EXAMPLE.COM".into()).await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let locked_down = |header: &str, name: &str| {
        let attributes: Vec<&str> = header.split("; ").skip(1).collect();
        for expected in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(attributes.contains(&expected), "{name}: no {expected} in {header}");
        }
        assert!(!header.contains("Domain="), "{name}: a __Host- cookie has no Domain: {header}");
    };

    let started = http.get(app.authorize_url(&client, &[])).send().await.unwrap();
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let browser_header = set_cookie(&started, "__Host-tessera_browser").expect("a __Host-tessera_browser cookie");
    locked_down(&browser_header, "browser cookie");
    assert!(set_cookie(&started, "tessera_browser").is_none(), "no unprefixed cookie");
    let browser_cookie = cookie_pair(&browser_header);

    let page_url = app.url(&location(&started));
    let page = http.get(&page_url).header(COOKIE, &browser_cookie).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the interaction reads the prefixed browser cookie");
    let hsts = page.headers().get("strict-transport-security").expect("HSTS on a page").to_str().unwrap().to_owned();
    assert!(hsts.contains("max-age=31536000"), "{hsts}");
    let html = page.text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").unwrap();
    let signed_in = http
        .post(format!("{page_url}/login"))
        .header(COOKIE, &browser_cookie)
        .form(&[("csrf_token", csrf.as_str()), ("username", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let to = location(&signed_in);
    assert!(to.starts_with(&client.redirect_uri) && query_param(&to, "code").is_some(), "{to}");
    let session_header = set_cookie(&signed_in, "__Host-tessera_session").expect("a __Host-tessera_session cookie");
    locked_down(&session_header, "session cookie");
    let both = format!("{browser_cookie}; {}", cookie_pair(&session_header));

    // The session cookie is read back under its prefixed name: single sign-on straight to the client.
    let again = http.get(app.authorize_url(&client, &[("prompt", "none")])).header(COOKIE, &both).send().await.unwrap();
    assert!(query_param(&location(&again), "code").is_some(), "{}", location(&again));
    // The unprefixed names mean nothing under https.
    let unprefixed = both.replace("__Host-", "");
    let plain = http.get(app.authorize_url(&client, &[])).header(COOKIE, &unprefixed).send().await.unwrap();
    assert!(location(&plain).starts_with("/interaction/"), "{}", location(&plain));

    // Logout reads both cookies (the session to end, the browser for the form's CSRF token) and clears the session
    // cookie with a removal a browser accepts for a __Host- name (Secure, Path=/).
    let ask = http.get(app.url("/oauth/logout")).header(COOKIE, &both).send().await.unwrap();
    assert_eq!(ask.status(), StatusCode::OK);
    let html = ask.text().await.unwrap();
    assert!(html.contains("Sign out?"), "{html}");
    let csrf = form_field(&html, "csrf_token").unwrap();
    let confirmed = http
        .post(app.url("/oauth/logout"))
        .header(COOKIE, &both)
        .form(&[("csrf_token", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::OK);
    let removal = set_cookie(&confirmed, "__Host-tessera_session").expect("the session cookie is cleared");
    assert!(removal.contains("Max-Age=0") && removal.contains("; Secure") && removal.contains("Path=/"), "{removal}");
    let after = http.get(app.authorize_url(&client, &[("prompt", "none")])).header(COOKIE, &both).send().await.unwrap();
    assert_eq!(query_param(&location(&after), "error").as_deref(), Some("login_required"), "the session ended");
}

#[actix_web::test]
async fn single_sign_on_prompt_login_max_age_and_remembered_consent() {
    let app = spawn_app().await;
    app.add_user("alice");
    let first = app.add_client("first", ClientOptions::default());
    let second = app.add_client("second", ClientOptions { name: "Second <App>", ..ClientOptions::default() });
    let b = browser();
    // First app: login and consent.
    let to = sign_in(&b, &app, &app.authorize_url(&first, &[]), "alice").await;
    assert!(query_param(&to, "code").is_some());

    // Second app: no password (SSO), but its own consent page, showing its (escaped) name.
    let response = b.get(app.authorize_url(&second, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    assert!(!html.contains("name=\"password\""), "SSO: no login page");
    assert!(html.contains("Second &#60;App&#62;") || html.contains("Second &lt;App&gt;"), "{html}");
    assert!(html.contains("email") && html.contains("profile"));
    let allowed = submit_consent(&b, &page_url, &html, "allow").await;
    assert!(query_param(&location(&allowed), "code").is_some());

    // Consent is remembered: straight to the code, and prompt=none works silently.
    let again = b.get(app.authorize_url(&second, &[])).send().await.unwrap();
    assert!(query_param(&location(&again), "code").is_some());
    let silent = b.get(app.authorize_url(&second, &[("prompt", "none")])).send().await.unwrap();
    assert!(query_param(&location(&silent), "code").is_some());

    // prompt=consent asks again.
    let consent = b.get(app.authorize_url(&second, &[("prompt", "consent")])).send().await.unwrap();
    assert!(location(&consent).starts_with("/interaction/"));

    // prompt=login asks for the password again.
    let login = b.get(app.authorize_url(&second, &[("prompt", "login")])).send().await.unwrap();
    let (_, html) = open_page(&b, &app, &location(&login)).await;
    assert!(html.contains("name=\"password\""));

    // max_age: an authentication older than max_age needs the password again.
    app.advance(2);
    let stale = b.get(app.authorize_url(&second, &[("max_age", "0")])).send().await.unwrap();
    let (_, html) = open_page(&b, &app, &location(&stale)).await;
    assert!(html.contains("name=\"password\""));
    let fresh_enough = b.get(app.authorize_url(&second, &[("max_age", "3600")])).send().await.unwrap();
    assert!(query_param(&location(&fresh_enough), "code").is_some());
}

#[actix_web::test]
async fn prompt_none_without_consent_returns_consent_required() {
    let app = spawn_app().await;
    app.add_user("alice");
    let first = app.add_client("first", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let second = app.add_client("second", ClientOptions::default());
    let b = browser();
    sign_in(&b, &app, &app.authorize_url(&first, &[]), "alice").await;
    let response = b.get(app.authorize_url(&second, &[("prompt", "none")])).send().await.unwrap();
    assert_error_redirect(&app, &response, &second.redirect_uri, "consent_required");
}

#[actix_web::test]
async fn denying_consent_returns_access_denied_and_an_interaction_cannot_be_replayed() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let after_login = submit_login(&b, &page_url, &html, "alice", PASSWORD).await;
    let (consent_url, consent_html) = open_page(&b, &app, &location(&after_login)).await;
    assert!(form_field(&consent_html, "csrf_token").is_some());
    let denied = submit_consent(&b, &consent_url, &consent_html, "deny").await;
    assert_error_redirect(&app, &denied, &client.redirect_uri, "access_denied");
    // The interaction is finished: allowing afterwards does nothing.
    let replay = submit_consent(&b, &consent_url, &consent_html, "allow").await;
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    assert!(replay.headers().get(LOCATION).is_none());
}

#[actix_web::test]
async fn skip_consent_clients_go_straight_to_the_code() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("first-party", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let after_login = submit_login(&b, &page_url, &html, "alice", PASSWORD).await;
    let to = location(&after_login);
    assert!(to.starts_with(&client.redirect_uri), "{to}");
    assert_eq!(query_param(&to, "state").as_deref(), Some("state-123"));
    assert_eq!(query_param(&to, "iss").as_deref(), Some(app.base.as_str()));
}

/// OAuth 2.0 Form Post Response Mode (OpenID certification: the Form Post OP plan).
#[actix_web::test]
async fn form_post_response_mode_returns_an_auto_submitting_form() {
    use base64::Engine;
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    let response = b.get(app.authorize_url(&client, &[("response_mode", "form_post")])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&response)).await;
    let posted = submit_login(&b, &page_url, &html, "alice", PASSWORD).await;
    assert_eq!(posted.status(), StatusCode::OK, "a page, not a redirect");
    assert!(posted.headers().get(LOCATION).is_none());
    let csp = posted.headers().get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    let page = posted.text().await.unwrap();
    assert!(page.contains(&format!("<form method=\"post\" action=\"{}\">", client.redirect_uri)), "{page}");
    let code = form_field(&page, "code").expect("code field");
    assert_eq!(form_field(&page, "state").as_deref(), Some("state-123"));
    assert_eq!(form_field(&page, "iss").as_deref(), Some(app.base.as_str()));
    assert!(page.contains("<noscript>") && page.contains("type=\"submit\""), "works without JavaScript");
    // The one inline script is allowed by its hash, nothing else is.
    let script_start = page.find("<script>").unwrap() + "<script>".len();
    let script = &page[script_start..page[script_start..].find("</script>").unwrap() + script_start];
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, script.as_bytes());
    let hash = base64::engine::general_purpose::STANDARD.encode(digest);
    assert!(csp.contains(&format!("script-src 'sha256-{hash}'")), "{csp}");
    assert!(!csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"));
    // The code in the form is a real one.
    let token = crate::helpers::exchange_code(&app, &client, &code, crate::helpers::VERIFIER).await;
    assert_eq!(token.status(), StatusCode::OK);

    // Errors travel the same way once the redirect URI is verified.
    let silent = browser()
        .get(app.authorize_url(&client, &[("response_mode", "form_post"), ("prompt", "none")]))
        .send()
        .await
        .unwrap();
    assert_eq!(silent.status(), StatusCode::OK);
    let page = silent.text().await.unwrap();
    assert_eq!(form_field(&page, "error").as_deref(), Some("login_required"));
    assert_eq!(form_field(&page, "state").as_deref(), Some("state-123"));
    // An unknown response mode is an error, sent in the default (query) mode.
    let bad = browser().get(app.authorize_url(&client, &[("response_mode", "fragment")])).send().await.unwrap();
    assert_error_redirect(&app, &bad, &client.redirect_uri, "invalid_request");
}

/// oidcc-id-token-hint: prompt=none with the ID token of the signed-in user succeeds silently; with another
/// user's, it fails; a forged or non-ID token hint is invalid_request.
#[actix_web::test]
async fn id_token_hint_must_name_the_signed_in_user() {
    let app = spawn_app().await;
    app.add_user("alice");
    app.add_user("bob");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let alice = browser();
    let code = query_param(&sign_in(&alice, &app, &app.authorize_url(&client, &[]), "alice").await, "code").unwrap();
    let tokens: serde_json::Value =
        crate::helpers::exchange_code(&app, &client, &code, crate::helpers::VERIFIER).await.json().await.unwrap();
    let id_token = tokens["id_token"].as_str().unwrap();
    let access_token = tokens["access_token"].as_str().unwrap();

    let silent =
        alice.get(app.authorize_url(&client, &[("prompt", "none"), ("id_token_hint", id_token)])).send().await.unwrap();
    assert!(query_param(&location(&silent), "code").is_some(), "{}", location(&silent));

    let bob = browser();
    sign_in(&bob, &app, &app.authorize_url(&client, &[]), "bob").await;
    let mismatch =
        bob.get(app.authorize_url(&client, &[("prompt", "none"), ("id_token_hint", id_token)])).send().await.unwrap();
    assert_error_redirect(&app, &mismatch, &client.redirect_uri, "login_required");
    // Without prompt=none, bob is asked to sign in (as alice, presumably).
    let relogin = bob.get(app.authorize_url(&client, &[("id_token_hint", id_token)])).send().await.unwrap();
    let (_, html) = open_page(&bob, &app, &location(&relogin)).await;
    assert!(html.contains("name=\"password\""));

    for bad in [access_token, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "garbage"] {
        let response = alice.get(app.authorize_url(&client, &[("id_token_hint", bad)])).send().await.unwrap();
        assert_error_redirect(&app, &response, &client.redirect_uri, "invalid_request");
    }
    // Parameters OpenID Connect Core §3.1.2.1 defines and we do not act on are accepted.
    let extra = alice
        .get(app.authorize_url(
            &client,
            &[
                ("display", "popup"),
                ("ui_locales", "fr-CA fr en"),
                ("claims_locales", "fr"),
                ("acr_values", "urn:mace:incommon:iap:silver"),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert!(query_param(&location(&extra), "code").is_some());
}

/// OpenID Connect Core §3.1.2.1 prompt=select_account: the login page is the account chooser, even with a live
/// session; with prompt=none it is a contradiction.
#[actix_web::test]
async fn prompt_select_account_shows_the_login_page_as_the_account_chooser() {
    let app = spawn_app().await;
    app.add_user("alice");
    app.add_user("bob");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    sign_in(&b, &app, &app.authorize_url(&client, &[]), "alice").await;
    let choose = b.get(app.authorize_url(&client, &[("prompt", "select_account")])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&choose)).await;
    assert!(html.contains("name=\"password\""), "a chooser, not a silent code");
    let as_bob = submit_login(&b, &page_url, &html, "bob", PASSWORD).await;
    assert!(query_param(&location(&as_bob), "code").is_some(), "the chosen account signs in");
    let contradiction = b.get(app.authorize_url(&client, &[("prompt", "none select_account")])).send().await.unwrap();
    assert_error_redirect(&app, &contradiction, &client.redirect_uri, "invalid_request");
}

// ---------------------------------------------------------------------------------------------------------------
// Public clients (RFC 8252 §8.6)
// ---------------------------------------------------------------------------------------------------------------

/// RFC 8252 §8.6: a public client's identity cannot be verified, so a stored consent never answers for it: the
/// user is asked every time, and prompt=none gets consent_required; a confidential client beside it is not asked
/// again.
#[actix_web::test]
async fn a_public_client_is_asked_for_consent_every_time() {
    let app = spawn_app().await;
    app.add_user("alice");
    let spa = app.add_client("spa", ClientOptions { public: true, ..ClientOptions::default() });
    let web = app.add_client("web", ClientOptions::default());
    let b = browser();
    for client in [&spa, &web] {
        let to = sign_in(&b, &app, &app.authorize_url(client, &[]), "alice").await;
        assert!(query_param(&to, "code").is_some(), "{to}");
    }
    let again = b.get(app.authorize_url(&web, &[])).send().await.unwrap();
    assert!(query_param(&location(&again), "code").is_some(), "the confidential client's consent is remembered");

    for round in 0..2 {
        let response = b.get(app.authorize_url(&spa, &[])).send().await.unwrap();
        let next = location(&response);
        assert!(next.starts_with("/interaction/"), "round {round}: asked again, not {next}");
        let (page_url, html) = open_page(&b, &app, &next).await;
        assert!(html.contains("name=\"decision\"") && !html.contains("name=\"password\""), "consent only: {html}");
        let allowed = submit_consent(&b, &page_url, &html, "allow").await;
        assert!(query_param(&location(&allowed), "code").is_some());
    }
    let silent = b.get(app.authorize_url(&spa, &[("prompt", "none")])).send().await.unwrap();
    assert_error_redirect(&app, &silent, &spa.redirect_uri, "consent_required");
}

/// A public client cannot be registered to skip consent, by `client add` or `client update`.
#[actix_web::test]
async fn a_public_client_cannot_be_registered_to_skip_consent() {
    let app = spawn_app().await;
    let refused = tessera_fails(
        &app,
        &["client", "add", "--id", "spa", "--public", "--skip-consent", "--redirect-uri", "http://127.0.0.1:9/cb"],
    );
    assert!(refused.contains("RFC 8252"), "{refused}");
    use tessera::storage::ClientStore;
    assert!(app.state.provider.db.find_client("spa").unwrap().is_none(), "nothing stored");
    crate::helpers::tessera_ok(
        &app,
        &["client", "add", "--id", "spa", "--public", "--redirect-uri", "http://127.0.0.1:9/cb"],
    );
    let refused = tessera_fails(&app, &["client", "update", "spa", "--skip-consent", "true"]);
    assert!(refused.contains("RFC 8252"), "{refused}");
    assert!(!app.state.provider.db.find_client("spa").unwrap().unwrap().client.skip_consent);
}

// ---------------------------------------------------------------------------------------------------------------
// Consent belongs to the live browser session
// ---------------------------------------------------------------------------------------------------------------

/// Walks `client`'s authorization request through the login page to the consent page; its URL and HTML.
async fn park_at_consent(app: &TestApp, b: &reqwest::Client, client: &TestClient) -> (String, String) {
    let response = b.get(app.authorize_url(client, &[])).send().await.unwrap();
    let mut next = location(&response);
    let (page_url, html) = open_page(b, app, &next).await;
    if html.contains("name=\"password\"") {
        let signed_in = submit_login(b, &page_url, &html, "alice", PASSWORD).await;
        next = location(&signed_in);
    }
    let (page_url, html) = open_page(b, app, &next).await;
    assert!(html.contains("name=\"decision\""), "a consent page: {html}");
    (page_url, html)
}

/// Allowing on the consent page is refused with our error page and no code.
async fn assert_consent_refused(b: &reqwest::Client, page_url: &str, html: &str) {
    let allowed = submit_consent(b, page_url, html, "allow").await;
    assert_eq!(allowed.status(), StatusCode::BAD_REQUEST);
    assert!(allowed.headers().get(LOCATION).is_none(), "no redirect, so no code");
    assert!(allowed.text().await.unwrap().contains("expired"), "the expired page");
}

/// A logout in the browser that holds a consent page (by a trusted id_token_hint, or by the confirmed form) ends
/// the page with the session: allowing afterwards gives the error page and no code.
#[actix_web::test]
async fn a_logout_ends_a_pending_consent_page() {
    let app = spawn_app().await;
    app.add_user("alice");
    let first = app.add_client("first", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let app_client = app.add_client("app", ClientOptions::default());

    // By id_token_hint: signed in through a first-party app, then parked at the other app's consent page.
    let b = browser();
    let to = sign_in(&b, &app, &app.authorize_url(&first, &[]), "alice").await;
    let code = query_param(&to, "code").unwrap();
    let tokens: serde_json::Value = exchange_code(&app, &first, &code, VERIFIER).await.json().await.unwrap();
    let (page_url, html) = park_at_consent(&app, &b, &app_client).await;
    let id_token = tokens["id_token"].as_str().unwrap();
    let logout = b.get(format!("{}?id_token_hint={id_token}", app.url("/oauth/logout"))).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::OK);
    assert!(logout.text().await.unwrap().contains("You are signed out"));
    assert_consent_refused(&b, &page_url, &html).await;

    // By the confirmed logout form, the sign-in having happened on the parked request itself.
    let b = browser();
    let (page_url, html) = park_at_consent(&app, &b, &app_client).await;
    let confirm = b.get(app.url("/oauth/logout")).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&confirm, "csrf_token").expect("logout confirmation form");
    let confirmed =
        b.post(app.url("/oauth/logout")).form(&[("confirm", "yes"), ("csrf_token", &csrf)]).send().await.unwrap();
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert_consent_refused(&b, &page_url, &html).await;
}

/// `tessera user passwd` (the real binary, on the server's database) while a consent page is pending: the page is
/// gone.
#[actix_web::test]
async fn a_password_change_from_the_cli_ends_a_pending_consent_page() {
    use std::io::Write;
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let b = browser();
    let (page_url, html) = park_at_consent(&app, &b, &client).await;
    let mut child = tessera_on(&app)
        .args(["user", "passwd", "alice", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a brand new long password\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = b.get(&page_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    let text = page.text().await.unwrap();
    assert!(text.contains("expired") && !text.contains("name=\"decision\""), "{text}");
    assert_consent_refused(&b, &page_url, &html).await;
}

/// Issue 8, item 4: removing a user ends their pending consent pages (the interaction rows go with the user).
#[actix_web::test]
async fn removing_the_user_ends_a_pending_consent_page() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let b = browser();
    let (page_url, html) = park_at_consent(&app, &b, &client).await;
    assert_eq!(crate::helpers::count_rows(&app, "interactions"), 1);
    crate::helpers::tessera_ok(&app, &["user", "remove", "alice"]);
    assert_eq!(crate::helpers::count_rows(&app, "interactions"), 0, "the parked page is gone with its user");
    let page = b.get(&page_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert_consent_refused(&b, &page_url, &html).await;
}

/// A consent page outliving its browser session (idle lifetime passed while the user hesitated): allowing gives
/// the expired page and no code, rather than a code for a grant with no session behind it.
#[actix_web::test]
async fn consent_after_the_session_went_idle_gives_no_code() {
    let app = spawn_app_with(|s| s.session_idle_secs = 300).await;
    assert!(app.state.settings.interaction_ttl_secs > 301, "the page itself is still live");
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let b = browser();
    let (page_url, html) = park_at_consent(&app, &b, &client).await;
    app.advance(301);
    assert_consent_refused(&b, &page_url, &html).await;
}

/// The code issued after consent belongs to the live session: its ID token's `sid` is the session's (the one a
/// silent request in the same browser gets, and the one its logout token names), and its online grant ends with
/// that session.
#[actix_web::test]
async fn the_grant_made_at_consent_is_bound_to_the_browser_session() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let (backchannel, received) = crate::logout::backchannel_receiver();
    use tessera::storage::ClientStore;
    let mut record = app.state.provider.db.find_client("app").unwrap().unwrap().client;
    record.backchannel_logout_uri = Some(backchannel);
    app.state.provider.db.update_client(&record).unwrap();
    let b = browser();
    let (page_url, html) = park_at_consent(&app, &b, &client).await;
    let allowed = submit_consent(&b, &page_url, &html, "allow").await;
    let code = query_param(&location(&allowed), "code").expect("code");
    let tokens: serde_json::Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    let id_token = tokens["id_token"].as_str().unwrap();
    let sid = jwt_part(id_token, 1)["sid"].as_str().expect("sid in the ID token").to_owned();

    let silent = b.get(app.authorize_url(&client, &[("prompt", "none")])).send().await.unwrap();
    let code = query_param(&location(&silent), "code").expect("silent code");
    let again: serde_json::Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    assert_eq!(jwt_part(again["id_token"].as_str().unwrap(), 1)["sid"], sid.as_str(), "one session");

    let logout = b.get(format!("{}?id_token_hint={id_token}", app.url("/oauth/logout"))).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::OK);
    let body = received.recv_timeout(std::time::Duration::from_secs(5)).expect("a logout token");
    let token = url::form_urlencoded::parse(body.as_bytes()).find(|(k, _)| k == "logout_token").unwrap().1;
    assert_eq!(jwt_part(&token, 1)["sid"], sid.as_str());
    let refresh = tokens["refresh_token"].as_str().unwrap();
    assert_eq!(refresh_status(&app, &client, refresh).await, StatusCode::BAD_REQUEST, "the online grant ended");
}

// ---------------------------------------------------------------------------------------------------------------
// Stored parameters stay small
// ---------------------------------------------------------------------------------------------------------------

/// state, nonce and login_hint are stored with a parked request: longer than 512 bytes is invalid_request (sent
/// back to the client with state), 512 bytes exactly is accepted.
#[actix_web::test]
async fn state_nonce_and_login_hint_longer_than_512_bytes_are_refused() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let b = browser();
    // Multi-byte characters: the limit is in bytes.
    let fits = format!("{}{}", "é".repeat(255), "ab");
    assert_eq!(fits.len(), 512);
    let long = format!("{fits}x");
    for name in ["nonce", "login_hint"] {
        let refused = b.get(app.authorize_url(&client, &[(name, long.as_str())])).send().await.unwrap();
        assert_error_redirect(&app, &refused, &client.redirect_uri, "invalid_request");
        let accepted = b.get(app.authorize_url(&client, &[(name, fits.as_str())])).send().await.unwrap();
        assert!(location(&accepted).starts_with("/interaction/"), "{name} of 512 bytes: {}", location(&accepted));
    }
    let refused = b.get(app.authorize_url(&client, &[("state", long.as_str())])).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    let to = location(&refused);
    assert!(to.starts_with(&client.redirect_uri), "{to}");
    assert_eq!(query_param(&to, "error").as_deref(), Some("invalid_request"), "{to}");
    assert_eq!(query_param(&to, "state").as_deref(), Some(long.as_str()), "state is echoed as sent");
    assert!(query_param(&to, "code").is_none());
    let accepted = b.get(app.authorize_url(&client, &[("state", fits.as_str())])).send().await.unwrap();
    assert!(location(&accepted).starts_with("/interaction/"));
}
