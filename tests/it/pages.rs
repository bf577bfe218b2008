//! The pages as a person meets them (issue 10, items 9 to 14), over HTTP: the error page in plain words with an
//! error id, the throttled wait, the way back from the signed-out page, the landing page, the language chosen from
//! `ui_locales`, `Accept-Language` and the default, the operator's brand and the client's logo and links, and the
//! login and consent pages' accessibility details. Headless Chromium walks the same pages in `browser.rs`.

use std::io::{Read, Write};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    self, ClientOptions, browser, location, open_page, spawn_app, spawn_app_with, submit_login, tessera_fails,
    tessera_ok, tessera_on,
};

async fn get_with_language(url: &str, language: &str) -> (StatusCode, String) {
    let response = browser().get(url).header("Accept-Language", language).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Item 9: our error page says what happened and what to do, in the person's language, with an error id, and the
/// registered code and description collapsed for the developer.
#[actix_web::test]
async fn the_error_page_speaks_to_a_person() {
    let app = spawn_app().await;
    let client = app.add_client("app", ClientOptions::default());
    let url = app.authorize_url(&client, &[("client_id", "nobody")]);
    let (status, html) = get_with_language(&url, "en").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("<h1>This sign-in request cannot be completed</h1>"), "{html}");
    assert!(html.contains("Go back to the application and start again."), "{html}");
    assert!(
        html.contains("<summary>Technical details (for the application&#39;s developer)</summary>")
            || html.contains("<summary>Technical details (for the application&#x27;s developer)</summary>"),
        "{html}"
    );
    assert!(html.contains("<code>invalid_request</code>") && html.contains("unknown client"), "{html}");
    let id_at = html.find("class=\"error-id\">").expect("an error id") + "class=\"error-id\">".len();
    let id = &html[id_at..id_at + 32];
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    let (_, french) = get_with_language(&url, "fr-CA,fr;q=0.9,en;q=0.5").await;
    assert!(french.contains("<html lang=\"fr\" dir=\"ltr\">"), "{french}");
    assert!(french.contains("Cette demande de connexion ne peut pas aboutir"), "{french}");
    // The request's own ui_locales wins over the browser's language, on its error page too.
    let asked = app.authorize_url(&client, &[("client_id", "nobody"), ("ui_locales", "pl")]);
    let (_, polish) = get_with_language(&asked, "fr").await;
    assert!(polish.contains("Nie można dokończyć tego logowania"), "{polish}");
    // An expired sign-in page says so, and what to do.
    let (status, expired) = get_with_language(&app.url("/interaction/gone"), "de").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(expired.contains("Diese Seite ist abgelaufen"), "{expired}");
}

/// Item 12: the language is the first shipped one of `ui_locales`, then of `Accept-Language`, then the configured
/// default; `<html>` carries `lang` and `dir`; discovery lists the languages.
#[actix_web::test]
async fn the_language_comes_from_ui_locales_then_the_browser_then_the_default() {
    let app = spawn_app_with(|s| s.default_locale = "nl".into()).await;
    let client = app.add_client("app", ClientOptions::default());
    let login_page = |extra: Vec<(&'static str, &'static str)>, language: Option<&'static str>| {
        let url = app.authorize_url(&client, &extra);
        let app = &app;
        async move {
            let b = browser();
            let mut request = b.get(url);
            if let Some(language) = language {
                request = request.header("Accept-Language", language);
            }
            let parked = request.send().await.unwrap();
            let mut page = b.get(app.url(&location(&parked)));
            if let Some(language) = language {
                page = page.header("Accept-Language", language);
            }
            page.send().await.unwrap().text().await.unwrap()
        }
    };
    let html = login_page(vec![("ui_locales", "ja de")], Some("fr")).await;
    assert!(html.contains("<html lang=\"ja\" dir=\"ltr\">") && html.contains("<h1>サインイン</h1>"), "{html}");
    let html = login_page(vec![("ui_locales", "tlh")], Some("pt-PT, es;q=0.5")).await;
    assert!(html.contains("<html lang=\"pt-BR\"") && html.contains("<h1>Entrar</h1>"), "{html}");
    let html = login_page(vec![], Some("zh-CN")).await;
    assert!(html.contains("<html lang=\"zh-Hans\"") && html.contains("<h1>登录</h1>"), "{html}");
    let html = login_page(vec![], None).await;
    assert!(html.contains("<html lang=\"nl\"") && html.contains("<h1>Inloggen</h1>"), "the default: {html}");
    let discovery: Value =
        reqwest::get(app.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert_eq!(
        discovery["ui_locales_supported"],
        serde_json::json!(["en", "fr", "de", "es", "pt-BR", "it", "nl", "pl", "ja", "zh-Hans"])
    );
}

/// Items 10 and 14, the login page: a failed sign-in marks both fields invalid and links them to the message; a
/// throttled one states the actual wait; a remembered username offers "Not you?", which empties the field; the
/// show-password toggle is hidden until its script runs (the field stays a plain password field without it).
#[actix_web::test]
async fn the_login_page_links_its_error_and_states_the_wait() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let b = browser();
    let parked = b.get(app.authorize_url(&client, &[("login_hint", "alice")])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&parked)).await;
    assert!(html.contains("value=\"alice\""), "{html}");
    assert!(html.contains("<div class=\"show-password\" hidden>"), "{html}");
    assert!(html.contains("<script src=\"/static/tessera.js\"></script>"), "{html}");
    assert!(!html.contains("aria-invalid"), "{html}");
    let not_you = format!("href=\"{}?account=other\"", location(&parked));
    assert!(html.contains(&not_you) && html.contains("Not you? Use another account"), "{html}");
    let other = b.get(format!("{page_url}?account=other")).send().await.unwrap().text().await.unwrap();
    assert!(other.contains("id=\"username\"") && !other.contains("value=\"alice\""), "{other}");

    let failed = submit_login(&b, &page_url, &html, "alice", "wrong password").await.text().await.unwrap();
    assert!(failed.contains("id=\"login-error\">The username or password is incorrect."), "{failed}");
    for field in ["username", "password"] {
        let start = failed.find(&format!("<input id=\"{field}\"")).unwrap();
        let tag = &failed[start..start + failed[start..].find('>').unwrap()];
        assert!(tag.contains("aria-describedby=\"login-error\"") && tag.contains("aria-invalid=\"true\""), "{tag}");
    }
    for _ in 0..4 {
        submit_login(&b, &page_url, &html, "alice", "wrong password").await;
    }
    let throttled = submit_login(&b, &page_url, &html, "alice", "wrong password").await.text().await.unwrap();
    assert!(throttled.contains("Try again in 2 seconds."), "{throttled}");
    app.advance(10);
    for _ in 0..5 {
        submit_login(&b, &page_url, &html, "alice", "wrong password").await;
        app.advance(40);
    }
    let long = submit_login(&b, &page_url, &html, "alice", "wrong password").await.text().await.unwrap();
    assert!(long.contains("Try again in 15 minutes."), "{long}");
    // The script is served from our own origin, under the login page's own CSP.
    let script = reqwest::get(app.url("/static/tessera.js")).await.unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    let parked = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let page = b.get(app.url(&location(&parked))).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
}

/// A one-shot HTTP server on loopback that answers every request with `body` as `content_type`; its URL.
fn serve_once(content_type: &'static str, body: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head =
                format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://127.0.0.1:{port}/logo.png")
}

/// A 1x1 PNG.
const PIXEL: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8,
    6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0,
    0xf0, 0x1f, 0, 5, 0, 1, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Items 13 and 14, the consent page: the client's logo, fetched once at registration and embedded (a page never
/// loads a third-party URL), its links (site, policy, terms), the scopes in words with the raw tokens collapsed,
/// "Not you?", and the note that the choice can be changed on the account page. The operator's brand: product
/// name, logo and accent colour.
#[actix_web::test]
async fn consent_shows_the_app_and_the_operator_brand() {
    let logo = tempfile::NamedTempFile::with_suffix(".png").unwrap();
    std::fs::write(logo.path(), PIXEL).unwrap();
    let logo_path = logo.path().to_str().unwrap().to_owned();
    let app = spawn_app_with(move |s| {
        s.product_name = "Example ID".into();
        s.logo = logo_path;
        s.accent_color = "#0b6e4f".into();
    })
    .await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { name: "Photo App", ..ClientOptions::default() });
    // From a private address the fetch needs the development switch, as back-channel logout does.
    let logo_url = serve_once("image/png", PIXEL.to_vec());
    let refused = tessera_on(&app)
        .env("TESSERA_BACKCHANNEL_LOGOUT_ALLOW_PRIVATE_NETWORKS", "false")
        .args(["client", "update", "app", "--logo-uri", &logo_url])
        .output()
        .unwrap();
    assert!(!refused.status.success(), "a private address is refused by default");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("logo_uri") && stderr.contains("backchannel_logout_allow_private_networks"), "{stderr}");
    let logo_url = serve_once("image/png", PIXEL.to_vec());
    let updated = tessera_on(&app)
        .env("TESSERA_BACKCHANNEL_LOGOUT_ALLOW_PRIVATE_NETWORKS", "true")
        .args([
            "client",
            "update",
            "app",
            "--logo-uri",
            &logo_url,
            "--client-uri",
            "https://photos.example",
            "--policy-uri",
            "https://photos.example/privacy",
            "--tos-uri",
            "https://photos.example/terms",
        ])
        .output()
        .unwrap();
    assert!(updated.status.success(), "{}", String::from_utf8_lossy(&updated.stderr));
    let refused = tessera_fails(&app, &["client", "update", "app", "--policy-uri", "http://photos.example/p"]);
    assert!(refused.contains("https"), "{refused}");
    let refused = tessera_fails(&app, &["client", "update", "app", "--logo-uri", "data:text/html;base64,PGI+"]);
    assert!(refused.contains("logo_uri"), "{refused}");
    assert!(tessera_ok(&app, &["client", "show", "app"]).contains("logo:                       stored"));

    let b = browser();
    let url = app.authorize_url(&client, &[("scope", "openid email offline_access"), ("prompt", "consent")]);
    let parked = b.get(url).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&parked)).await;
    assert!(html.contains("<title>Sign in · Example ID</title>") && html.contains("src=\"data:image/png;base64,"));
    let consent = submit_login(&b, &page_url, &html, "alice", helpers::PASSWORD).await;
    let consent = b.get(app.url(&location(&consent))).send().await.unwrap().text().await.unwrap();
    let expected_logo = format!(
        "src=\"data:image/png;base64,{}\"",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, PIXEL)
    );
    assert!(
        consent.contains(&format!("<img class=\"client-logo\" {expected_logo} alt=\"Logo of Photo App\"")),
        "{consent}"
    );
    assert!(!consent.contains("logo.png"), "no third-party URL: {consent}");
    for expected in [
        "href=\"https://photos.example\"",
        ">About Photo App</a>",
        "href=\"https://photos.example/privacy\"",
        ">Privacy policy</a>",
        ">Terms of service</a>",
        "<li>See your email address</li>",
        "<li>Stay connected to your account after you sign out here</li>",
        "<code>email offline_access openid</code>",
        "value=\"switch\" class=\"link\">Not you? Use another account</button>",
        "href=\"/account\">You can change this choice later on your account page.</a>",
    ] {
        assert!(consent.contains(expected), "{expected} is missing: {consent}");
    }
    let scopes = &consent[consent.find("<ul class=\"scopes\">").unwrap()..consent.find("</ul>").unwrap()];
    assert!(!scopes.contains("offline_access") && !scopes.contains("openid"), "no raw tokens in the list: {scopes}");
    let css = reqwest::get(app.url("/static/tessera.css")).await.unwrap().text().await.unwrap();
    assert!(css.contains("--accent: #0b6e4f; --accent-fg: #ffffff;"), "{css}");
}

/// Item 10 and 11: the signed-out page links back to the application (its registered client_uri) instead of a dead
/// end; `GET /` says what the server is and links to the account page.
#[actix_web::test]
async fn the_signed_out_page_leads_back_to_the_app() {
    let app = spawn_app().await;
    app.add_client("app", ClientOptions { name: "Photo App", ..ClientOptions::default() });
    tessera_ok(&app, &["client", "update", "app", "--client-uri", "https://photos.example/"]);
    let (status, html) = get_with_language(&app.url("/oauth/logout?client_id=app"), "it").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Sei uscito</h1>"), "{html}");
    assert!(html.contains("href=\"https://photos.example/\">Torna a Photo App</a>"), "{html}");
    let (_, plain) = get_with_language(&app.url("/oauth/logout"), "en").await;
    assert!(plain.contains("You are signed out") && !plain.contains("Back to"), "{plain}");
    let (status, landing) = get_with_language(&app.url("/"), "es").await;
    assert_eq!(status, StatusCode::OK);
    assert!(landing.contains("servicio de inicio de sesión") && landing.contains("href=\"/account\""), "{landing}");
    assert!(!landing.contains("tessera client add"), "a client exists: {landing}");
}

/// Item 14: "Not you?" on the consent page ends the signed-in person's session and asks for a sign-in again in the
/// same flow; the other account then consents and the application gets its code.
#[actix_web::test]
async fn not_you_on_the_consent_page_switches_the_account_in_the_same_flow() {
    let app = spawn_app().await;
    app.add_user("alice");
    let bob = app.add_user("bob");
    let client = app.add_client("app", ClientOptions::default());
    let b = browser();
    let parked = b.get(app.authorize_url(&client, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&parked)).await;
    let consent = submit_login(&b, &page_url, &html, "alice", helpers::PASSWORD).await;
    let (consent_url, consent) = open_page(&b, &app, &location(&consent)).await;
    assert!(consent.contains("Signed in as alice."), "{consent}");
    let switched = helpers::submit_consent(&b, &consent_url, &consent, "switch").await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&switched), location(&parked), "the same interaction, from its sign-in again");
    let (page_url, html) = open_page(&b, &app, &location(&switched)).await;
    assert!(html.contains("name=\"password\""), "the sign-in page again: {html}");
    let consent = submit_login(&b, &page_url, &html, "bob", helpers::PASSWORD).await;
    let (consent_url, consent) = open_page(&b, &app, &location(&consent)).await;
    assert!(consent.contains("Signed in as bob."), "{consent}");
    let done = helpers::submit_consent(&b, &consent_url, &consent, "allow").await;
    let code = helpers::query_param(&location(&done), "code").expect("a code");
    let tokens: Value = helpers::exchange_code(&app, &client, &code, helpers::VERIFIER).await.json().await.unwrap();
    let id_token = tokens["id_token"].as_str().expect("an ID token");
    assert_eq!(helpers::jwt_part(id_token, 1)["sub"], bob.subject.as_str(), "the code is bob's");
}
