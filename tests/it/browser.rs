//! The pages in a real headless Chromium, in two languages and both colour themes: the landing page, the error page,
//! the login page (labelled fields, typed into and submitted with real clicks, the show-password toggle), the
//! consent page, the redirect back to the client with a code that the token endpoint accepts, and the sign-out
//! confirmation and signed-out pages. On every page: the stylesheet applied, no console or CSP error, and no
//! violation found by axe-core (WCAG 2.1 A and AA rules, colour contrast included, so both themes are checked).
//! Each page is photographed; with `TESSERA_UPDATE_SCREENSHOTS=1` the pictures replace those under
//! `docs/screenshots/` that the README shows, otherwise they go to `target/screenshots/`.
//!
//! axe-core is vendored, pinned, under `tests/it/vendor/axe-core/` (version 4.14.1 from the npm registry, with its
//! MPL-2.0 licence), so the test runs offline and always with the same rules.
//!
//! The test starts its own chromedriver on a free port and speaks W3C WebDriver to it directly over `reqwest`
//! (already a dev-dependency; the few commands needed do not justify a WebDriver crate and its TLS stack).
//! Chromium and chromedriver come from Debian's `chromium` and `chromium-driver` packages
//! (`.ci/install-browser.sh`); `TESSERA_CHROMIUM` and `TESSERA_CHROMEDRIVER` override their paths. The test is
//! `#[ignore]`d, so that `cargo test` needs no browser; `cargo test -- --include-ignored` (as CI does) runs it, and
//! then it fails, saying what is missing, when either program is not there.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{self, ClientOptions, exchange_code, query_param, spawn_app};

/// The key under which WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// Console errors that are not the pages' fault: Chromium asks for /favicon.ico on its own, and the server has none
/// (a 404).
const ALLOWED_IN_CONSOLE: &[&str] = &["/favicon.ico"];
/// How long to wait for chromedriver to start, a page to appear or a redirect to land.
const PATIENCE: Duration = Duration::from_secs(20);

fn tool(variable: &str, default: &str) -> PathBuf {
    std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// A chromedriver process (in its own process group, with the browsers it starts) and a throwaway profile
/// directory. Dropping it kills the whole group, so a failing test leaves no browser behind.
struct Chromedriver {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Chromedriver {
    async fn start(path: &Path) -> Chromedriver {
        use std::os::unix::process::CommandExt;

        let dir = tempfile::tempdir().expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", dir.path().join("chromedriver.log").display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", path.display()));
        let mut driver = Chromedriver { child, port, dir };
        let http = http_client();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = driver.child.try_wait().expect("chromedriver status") {
                panic!("chromedriver exited at start ({status}):\n{}", driver.log());
            }
            let status = http.get(format!("http://127.0.0.1:{port}/status")).send().await;
            if let Ok(response) = status
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver not ready after {PATIENCE:?}:\n{}", driver.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("chromedriver.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- chromedriver log (last lines) ---\n{}", self.log());
        }
        // The browsers chromedriver started share its process group; killing chromedriver alone would orphan them.
        let group = format!("-{}", self.child.id());
        let killed = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        if !killed.is_ok_and(|s| s.success()) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(60)).build().expect("http client")
}

/// One WebDriver session: just the commands this test needs.
struct Browser {
    http: reqwest::Client,
    session: String,
}

#[derive(Debug)]
struct WebDriverError {
    error: String,
    message: String,
}

/// axe-core, pinned (see the module documentation).
const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

impl Browser {
    /// A browser whose language (its `Accept-Language`) is `language`.
    async fn open(driver: &Chromedriver, chromium: &Path, language: &str) -> Browser {
        let profile = driver.dir.path().join(format!("profile-{language}"));
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "timeouts": { "implicit": 5000, "pageLoad": 30000, "script": 10000 },
                    "goog:chromeOptions": {
                        "binary": chromium,
                        "args": [
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--disable-dev-shm-usage",
                            "--no-proxy-server",
                            "--window-size=900,1000",
                            "--hide-scrollbars",
                            format!("--lang={language}"),
                            format!("--user-data-dir={}", profile.display()),
                        ],
                        "prefs": { "intl.accept_languages": language },
                    },
                    "goog:loggingPrefs": { "browser": "ALL" },
                },
            },
        });
        let http = http_client();
        let response = http
            .post(format!("http://127.0.0.1:{}/session", driver.port))
            .json(&capabilities)
            .send()
            .await
            .expect("new session request");
        let body: Value = response.json().await.expect("new session response");
        let session = body["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {body}\n{}", driver.log()))
            .to_owned();
        Browser { http, session: format!("http://127.0.0.1:{}/session/{session}", driver.port) }
    }

    async fn try_command(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, WebDriverError> {
        let mut request = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response =
            request.send().await.map_err(|e| WebDriverError { error: "http".into(), message: e.to_string() })?;
        let mut body: Value =
            response.json().await.map_err(|e| WebDriverError { error: "json".into(), message: e.to_string() })?;
        let value = body["value"].take();
        match value["error"].as_str() {
            Some(error) => Err(WebDriverError { error: error.into(), message: value["message"].to_string() }),
            None => Ok(value),
        }
    }

    async fn command(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        self.try_command(method.clone(), path, body)
            .await
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e:?}"))
    }

    async fn goto(&self, url: &str) {
        self.command(Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    async fn url(&self) -> String {
        self.command(Method::GET, "/url", None).await.as_str().expect("url").to_owned()
    }

    async fn title(&self) -> String {
        self.command(Method::GET, "/title", None).await.as_str().expect("title").to_owned()
    }

    async fn find_all(&self, using: &str, value: &str) -> Vec<String> {
        let found = self.command(Method::POST, "/elements", Some(json!({ "using": using, "value": value }))).await;
        found
            .as_array()
            .expect("elements")
            .iter()
            .map(|e| e[ELEMENT_KEY].as_str().expect("element").to_owned())
            .collect()
    }

    /// Exactly one element matching the CSS selector.
    async fn css(&self, selector: &str) -> String {
        self.one("css selector", selector).await
    }

    /// Exactly one element matching the XPath.
    async fn xpath(&self, path: &str) -> String {
        self.one("xpath", path).await
    }

    async fn one(&self, using: &str, value: &str) -> String {
        let mut found = self.find_all(using, value).await;
        assert_eq!(found.len(), 1, "expected one element for {using} {value:?} on {}", self.url().await);
        found.remove(0)
    }

    async fn text(&self, element: &str) -> String {
        let text = self.command(Method::GET, &format!("/element/{element}/text"), None).await;
        text.as_str().expect("text").to_owned()
    }

    async fn attribute(&self, element: &str, name: &str) -> Option<String> {
        let value = self.command(Method::GET, &format!("/element/{element}/attribute/{name}"), None).await;
        value.as_str().map(str::to_owned)
    }

    /// The accessible name the browser computes for an element (what a screen reader announces).
    async fn label(&self, element: &str) -> String {
        let label = self.command(Method::GET, &format!("/element/{element}/computedlabel"), None).await;
        label.as_str().expect("label").to_owned()
    }

    async fn click(&self, element: &str) {
        self.command(Method::POST, &format!("/element/{element}/click"), Some(json!({}))).await;
    }

    async fn type_into(&self, element: &str, text: &str) {
        self.command(Method::POST, &format!("/element/{element}/value"), Some(json!({ "text": text }))).await;
    }

    async fn execute(&self, script: &str) -> Result<Value, WebDriverError> {
        self.try_command(Method::POST, "/execute/sync", Some(json!({ "script": script, "args": [] }))).await
    }

    /// Waits until a loaded page shows `heading` as its `h1` (form posts navigate after the click returns).
    async fn wait_for_heading(&self, heading: &str) {
        let script = "return document.readyState === 'complete' && document.querySelector('h1') \
                      ? document.querySelector('h1').textContent.trim() : null";
        let deadline = Instant::now() + PATIENCE;
        loop {
            // Errors are expected while a navigation replaces the document.
            if let Ok(Value::String(shown)) = self.execute(script).await
                && shown == heading
            {
                return;
            }
            assert!(Instant::now() < deadline, "no page titled {heading:?}; at {}", self.url().await);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Console messages since the last call (chromedriver's legacy log endpoint).
    async fn console(&self) -> Vec<Value> {
        let log = self.command(Method::POST, "/se/log", Some(json!({ "type": "browser" }))).await;
        log.as_array().expect("log entries").clone()
    }

    /// No console errors or warnings (CSP violations are logged as errors) except those mentioning one of
    /// `allowed`.
    async fn assert_clean_console(&self, page: &str, allowed: &[&str]) {
        let entries = self.console().await;
        let bad: Vec<&Value> = entries
            .iter()
            .filter(|e| e["level"] != "INFO" && e["level"] != "DEBUG")
            .filter(|e| !allowed.iter().any(|a| e["message"].as_str().unwrap_or("").contains(a)))
            .collect();
        assert!(bad.is_empty(), "console errors on the {page} page: {bad:#?}");
    }

    /// The page uses our stylesheet, and it applied (the card's rounded corners come from it).
    async fn assert_styled(&self, page: &str) {
        let script = "const card = document.querySelector('main.card');
            return {
                sheets: Array.from(document.styleSheets).map(s => [s.href, s.cssRules.length]),
                radius: card ? getComputedStyle(card).borderTopLeftRadius : null,
            };";
        let styled = self.execute(script).await.expect("inspecting styles");
        let sheets = styled["sheets"].as_array().expect("sheets");
        assert_eq!(sheets.len(), 1, "one stylesheet on the {page} page: {styled}");
        assert!(sheets[0][0].as_str().is_some_and(|h| h.ends_with("/static/tessera.css")), "{styled}");
        assert!(sheets[0][1].as_u64().is_some_and(|n| n > 0), "stylesheet has rules: {styled}");
        assert_eq!(styled["radius"], "12px", "stylesheet applied on the {page} page: {styled}");
    }

    /// Light or dark, as the page's `prefers-color-scheme` sees it (Chrome DevTools Protocol media emulation,
    /// kept across navigations).
    async fn theme(&self, dark: bool) {
        let scheme = if dark { "dark" } else { "light" };
        let params = json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] });
        self.command(
            Method::POST,
            "/goog/cdp/execute",
            Some(json!({ "cmd": "Emulation.setEmulatedMedia", "params": params })),
        )
        .await;
    }

    /// axe-core's WCAG 2.1 A and AA rules on the current page: none may be violated.
    async fn assert_accessible(&self, page: &str) {
        self.execute(&format!("{AXE}\n;return true;")).await.expect("loading axe-core");
        let run = "const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                                resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                                        nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary) }))))
              .catch(e => done([{ id: 'axe-error', help: String(e) }]));";
        let violations = self.command(Method::POST, "/execute/async", Some(json!({ "script": run, "args": [] }))).await;
        assert_eq!(violations, json!([]), "axe-core violations on the {page} page at {}", self.url().await);
    }

    /// A PNG of the viewport, saved as `name`.png (see the module documentation for where).
    async fn screenshot(&self, name: &str) {
        use base64::Engine;
        let png = self.command(Method::GET, "/screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD.decode(png.as_str().expect("base64 PNG")).expect("PNG");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = if std::env::var_os("TESSERA_UPDATE_SCREENSHOTS").is_some() {
            root.join("docs/screenshots")
        } else {
            root.join("target/screenshots")
        };
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), bytes).expect("writing a screenshot");
    }

    /// Every page's checks, then its picture.
    async fn check_page(&self, page: &str, picture: &str, allowed: &[&str]) {
        self.assert_styled(page).await;
        self.assert_clean_console(page, allowed).await;
        self.assert_accessible(page).await;
        self.screenshot(picture).await;
    }

    async fn quit(self) {
        self.command(Method::DELETE, "", None).await;
    }
}

/// The words the walk expects, per language.
struct Words {
    tag: &'static str,
    error: &'static str,
    sign_in: &'static str,
    submit: &'static str,
    username: &'static str,
    password: &'static str,
    show_password: &'static str,
    consent: &'static str,
    allow: &'static str,
    scopes: [&'static str; 3],
    sign_out: &'static str,
    sign_out_button: &'static str,
    signed_out: &'static str,
    back: &'static str,
}

const ENGLISH: Words = Words {
    tag: "en",
    error: "This sign-in request cannot be completed",
    sign_in: "Sign in",
    submit: "Sign in",
    username: "Username",
    password: "Password",
    show_password: "Show password",
    consent: "Allow access?",
    allow: "Allow",
    scopes: [
        "Know who you are (a stable identifier that is the same each time you sign in)",
        "See your email address",
        "See your name, username and other profile details",
    ],
    sign_out: "Sign out?",
    sign_out_button: "Sign out",
    signed_out: "You are signed out",
    back: "Back to Browser Test App",
};

const FRENCH: Words = Words {
    tag: "fr",
    error: "Cette demande de connexion ne peut pas aboutir",
    sign_in: "Connexion",
    submit: "Se connecter",
    username: "Nom d’utilisateur",
    password: "Mot de passe",
    show_password: "Afficher le mot de passe",
    consent: "Autoriser l’accès ?",
    allow: "Autoriser",
    scopes: [
        "Savoir qui vous êtes (un identifiant stable, le même à chaque connexion)",
        "Voir votre adresse e-mail",
        "Voir votre nom, votre nom d’utilisateur et les autres informations de votre profil",
    ],
    sign_out: "Se déconnecter ?",
    sign_out_button: "Se déconnecter",
    signed_out: "Vous êtes déconnecté",
    back: "Retour à Browser Test App",
};

/// The client's logo, a small SVG camera, given as a data: URI (stored as it is).
const LOGO: &str = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCA1NiA1NiI+PHJlY3Qgd2lkdGg9IjU2IiBoZWlnaHQ9IjU2IiByeD0iMTIiIGZpbGw9IiNjMjQxMGMiLz48cmVjdCB4PSIxMiIgeT0iMTgiIHdpZHRoPSIzMiIgaGVpZ2h0PSIyNCIgcng9IjQiIGZpbGw9IiNmZmYiLz48Y2lyY2xlIGN4PSIyOCIgY3k9IjMwIiByPSI3IiBmaWxsPSIjYzI0MTBjIi8+PHJlY3QgeD0iMjIiIHk9IjEzIiB3aWR0aD0iMTIiIGhlaWdodD0iNiIgcng9IjIiIGZpbGw9IiNmZmYiLz48L3N2Zz4=";

#[actix_web::test]
#[ignore = "needs chromium and chromedriver (bash .ci/install-browser.sh)"]
async fn sign_in_with_a_real_browser() {
    let chromium = tool("TESSERA_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = tool("TESSERA_CHROMEDRIVER", "/usr/bin/chromedriver");
    let missing: Vec<String> =
        [&chromium, &chromedriver].into_iter().filter(|p| !p.is_file()).map(|p| p.display().to_string()).collect();
    assert!(
        missing.is_empty(),
        "sign_in_with_a_real_browser needs {} (install with `bash .ci/install-browser.sh`, or set TESSERA_CHROMIUM \
         and TESSERA_CHROMEDRIVER)",
        missing.join(" and ")
    );

    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("browser-app", ClientOptions { name: "Browser Test App", ..ClientOptions::default() });
    helpers::tessera_ok(
        &app,
        &[
            "client",
            "update",
            "browser-app",
            "--logo-uri",
            LOGO,
            "--client-uri",
            "https://app.example/",
            "--policy-uri",
            "https://app.example/privacy",
            "--tos-uri",
            "https://app.example/terms",
        ],
    );
    let driver = Chromedriver::start(&chromedriver).await;
    for words in [ENGLISH, FRENCH] {
        let browser = Browser::open(&driver, &chromium, words.tag).await;
        for dark in [false, true] {
            browser.theme(dark).await;
            let shot = |page: &str| format!("{page}-{}-{}", words.tag, if dark { "dark" } else { "light" });
            let lang = format!("<html lang=\"{}\"", words.tag);

            // The landing page.
            browser.goto(&app.url("/")).await;
            browser.wait_for_heading("Tessera").await;
            browser.check_page("landing", &shot("landing"), ALLOWED_IN_CONSOLE).await;

            // Our error page (an unknown client): a 400, which Chromium logs.
            let unknown = app.authorize_url(&client, &[("client_id", "nobody")]);
            browser.goto(&unknown).await;
            browser.wait_for_heading(words.error).await;
            let source = browser.execute("return document.documentElement.outerHTML").await.expect("source");
            assert!(source.as_str().is_some_and(|s| s.starts_with(&lang)), "{source}");
            let details = browser.css("details summary").await;
            browser.click(&details).await;
            assert!(browser.text(&browser.css("details").await).await.contains("invalid_request"));
            browser.check_page("error", &shot("error"), &[ALLOWED_IN_CONSOLE, &["status of 400"]].concat()).await;

            // The login page.
            // prompt=consent: the consent page every time, though the first walk already allowed access.
            let authorize_url = app.authorize_url(&client, &[("prompt", "consent")]);
            browser.goto(&authorize_url).await;
            browser.wait_for_heading(words.sign_in).await;
            assert!(browser.url().await.starts_with(&app.url("/interaction/")), "{}", browser.url().await);
            assert_eq!(browser.title().await, format!("{} · Tessera", words.sign_in));
            assert!(browser.text(&browser.css(".lead").await).await.contains("Browser Test App"));
            // Each field is found through its visible label, and the browser gives it that accessible name.
            let username = browser
                .xpath(&format!("//input[@id = //label[normalize-space() = \"{}\"]/@for]", words.username))
                .await;
            let password = browser
                .xpath(&format!("//input[@id = //label[normalize-space() = \"{}\"]/@for]", words.password))
                .await;
            assert_eq!(browser.label(&username).await, words.username);
            assert_eq!(browser.label(&password).await, words.password);
            assert_eq!(browser.attribute(&username, "autocomplete").await.as_deref(), Some("username"));
            assert_eq!(browser.attribute(&password, "autocomplete").await.as_deref(), Some("current-password"));
            // The show-password toggle, shown by its script: the field's characters appear and hide again.
            let toggle = browser
                .xpath(&format!("//input[@id = //label[normalize-space() = \"{}\"]/@for]", words.show_password))
                .await;
            browser.click(&username).await;
            browser.type_into(&username, "alice").await;
            browser.click(&password).await;
            browser.type_into(&password, helpers::PASSWORD).await;
            browser.click(&toggle).await;
            assert_eq!(browser.attribute(&password, "type").await.as_deref(), Some("text"));
            browser.check_page("login", &shot("login"), ALLOWED_IN_CONSOLE).await;
            browser.click(&toggle).await;
            assert_eq!(browser.attribute(&password, "type").await.as_deref(), Some("password"));
            let submit = format!("//button[@type = 'submit' and normalize-space() = \"{}\"]", words.submit);
            browser.click(&browser.xpath(&submit).await).await;

            // The consent page: the app's logo and links, the scopes in words, the raw ones collapsed.
            browser.wait_for_heading(words.consent).await;
            let mut scopes = Vec::new();
            for item in browser.find_all("css selector", "ul.scopes > li").await {
                scopes.push(browser.text(&item).await.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            assert_eq!(scopes, words.scopes, "openid first, then the rest in the server's order");
            let logo = browser.css("img.client-logo").await;
            assert!(browser.attribute(&logo, "src").await.is_some_and(|s| s.starts_with("data:image/svg+xml")));
            assert_eq!(browser.find_all("css selector", "ul.links a").await.len(), 3, "site, policy, terms");
            assert_eq!(browser.find_all("css selector", "a[href='/account']").await.len(), 1);
            browser.check_page("consent", &shot("consent"), ALLOWED_IN_CONSOLE).await;
            browser.click(&browser.xpath(&format!("//button[normalize-space() = \"{}\"]", words.allow)).await).await;

            // Back at the client (nothing listens there: the browser shows its error page, but the URL is what
            // counts).
            let deadline = Instant::now() + PATIENCE;
            let landed = loop {
                let url = browser.url().await;
                if url.starts_with(&client.redirect_uri) {
                    break url;
                }
                assert!(Instant::now() < deadline, "never redirected to the client; at {url}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            let sent_state = query_param(&authorize_url, "state").expect("the authorization URL has a state");
            assert_eq!(query_param(&landed, "state"), Some(sent_state), "{landed}");
            assert_eq!(query_param(&landed, "iss").as_deref(), Some(app.base.as_str()), "{landed}");
            let code = query_param(&landed, "code").unwrap_or_else(|| panic!("no code in {landed}"));
            // Exchanged now: signing out below ends the grant it belongs to.
            let response = exchange_code(&app, &client, &code, helpers::VERIFIER).await;
            assert_eq!(response.status(), StatusCode::OK);
            let tokens: Value = response.json().await.expect("token response");
            let id_token = tokens["id_token"].as_str().unwrap_or_else(|| panic!("no id_token: {tokens}"));
            assert_eq!(id_token.split('.').count(), 3, "a compact JWS: {id_token}");
            // Only the failed load of the unreachable redirect URI may be logged now.
            browser.assert_clean_console("redirect", &[ALLOWED_IN_CONSOLE, &["127.0.0.1:9/"]].concat()).await;

            // Signing out: the confirmation, then the signed-out page with the way back to the app.
            browser.goto(&app.url("/oauth/logout?client_id=browser-app")).await;
            browser.wait_for_heading(words.sign_out).await;
            browser
                .click(&browser.xpath(&format!("//button[normalize-space() = \"{}\"]", words.sign_out_button)).await)
                .await;
            browser.wait_for_heading(words.signed_out).await;
            let back = browser.css("a.button").await;
            assert_eq!(browser.text(&back).await, words.back);
            assert_eq!(browser.attribute(&back, "href").await.as_deref(), Some("https://app.example/"));
            browser.check_page("signed-out", &shot("signed-out"), ALLOWED_IN_CONSOLE).await;
        }
        browser.quit().await;
    }
    drop(driver);
}

/// The invitation page and the second-factor page in a real browser: an invited person sets a password (and is
/// signed in), an operator gives them a TOTP second factor, and a request asking for the multi-factor level steps
/// their session up through the code page; the ID token then says `pwd`, `otp`, `mfa`. Both pages pass the same
/// checks as the others, in both themes, and are photographed for the README.
#[actix_web::test]
#[ignore = "needs chromium and chromedriver (bash .ci/install-browser.sh)"]
async fn invitation_and_second_factor_in_a_real_browser() {
    let chromium = tool("TESSERA_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = tool("TESSERA_CHROMEDRIVER", "/usr/bin/chromedriver");
    assert!(chromium.is_file() && chromedriver.is_file(), "needs chromium and chromedriver (.ci/install-browser.sh)");
    let app = spawn_app().await;
    let client = app.add_client(
        "browser-app",
        ClientOptions { name: "Browser Test App", skip_consent: true, ..ClientOptions::default() },
    );
    let out = helpers::tessera_ok(&app, &["user", "invite", "dana", "--email", "dana@example.com"]);
    let link = out.lines().find(|l| l.starts_with("http")).expect("a link").to_owned();

    let driver = Chromedriver::start(&chromedriver).await;
    let browser = Browser::open(&driver, &chromium, "en").await;
    let both_themes = |page: &'static str| {
        let browser = &browser;
        async move {
            for dark in [false, true] {
                browser.theme(dark).await;
                let picture = format!("{page}-en-{}", if dark { "dark" } else { "light" });
                browser.check_page(page, &picture, ALLOWED_IN_CONSOLE).await;
            }
            browser.theme(false).await;
        }
    };

    // The account page of a browser nobody is signed in to: its own sign-in form.
    browser.goto(&app.url("/account")).await;
    browser.wait_for_heading("Your account").await;
    assert_eq!(
        browser.find_all("css selector", "form[action='/account/sign-in'] input[name='password']").await.len(),
        1
    );
    browser.check_page("account-sign-in", "account-sign-in-en-light", ALLOWED_IN_CONSOLE).await;

    // The invitation: a new password twice, then signed in (the landing page).
    browser.goto(&link).await;
    browser.wait_for_heading("Set up your account").await;
    assert!(browser.text(&browser.css(".lead").await).await.contains("dana"));
    let password = browser.xpath("//input[@id = //label[normalize-space() = 'New password']/@for]").await;
    let confirm = browser.xpath("//input[@id = //label[normalize-space() = 'Repeat the password']/@for]").await;
    assert_eq!(browser.attribute(&password, "autocomplete").await.as_deref(), Some("new-password"));
    browser.click(&password).await;
    browser.type_into(&password, "violet kettle harbour glimmer").await;
    browser.click(&confirm).await;
    browser.type_into(&confirm, "violet kettle harbour glimmer").await;
    both_themes("invitation").await;
    browser.click(&browser.xpath("//button[normalize-space() = 'Set password and sign in']").await).await;
    browser.wait_for_heading("Tessera").await;

    // The account page, in the same session; from there an authenticator app, confirmed by its first code.
    browser.goto(&app.url("/account")).await;
    browser.wait_for_heading("Your account").await;
    assert!(browser.text(&browser.css("dl.profile").await).await.contains("dana"));
    both_themes("account").await;
    browser.click(&browser.xpath("//a[normalize-space() = 'Set up an authenticator app']").await).await;
    browser.wait_for_heading("Set up an authenticator app").await;
    let qr = browser.css("img.qr").await;
    assert!(browser.attribute(&qr, "src").await.is_some_and(|s| s.starts_with("data:image/svg+xml;base64,")));
    let shown = browser.text(&browser.css("code.secret").await).await;
    let secret = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, shown.trim()).expect("base32 key");
    both_themes("totp-setup").await;
    let step = tessera::oauth::authentication::totp::step_of(app.now());
    let first = tessera::oauth::authentication::totp::code_at(&secret, step).expect("code");
    let field = browser.xpath("//input[@id = //label[normalize-space() = 'Code']/@for]").await;
    browser.click(&field).await;
    browser.type_into(&field, &first).await;
    browser.click(&browser.xpath("//button[normalize-space() = 'Turn on']").await).await;
    browser.wait_for_heading("Your recovery codes").await;
    assert_eq!(browser.find_all("css selector", "ul.recovery-codes li").await.len(), 10);
    both_themes("recovery-codes").await;

    // A request that asks for the second factor: only the code page, no password (the next step's code: the
    // enrolment's one is spent).
    app.advance(30);
    let authorize_url = app.authorize_url(&client, &[("acr_values", "urn:tessera:acr:multi-factor")]);
    browser.goto(&authorize_url).await;
    browser.wait_for_heading("Two-step verification").await;
    assert!(browser.find_all("css selector", "input[name='password']").await.is_empty());
    let code = browser.xpath("//input[@id = //label[normalize-space() = 'Code']/@for]").await;
    assert_eq!(browser.attribute(&code, "autocomplete").await.as_deref(), Some("one-time-code"));
    both_themes("second-factor").await;
    let now = tessera::oauth::authentication::totp::step_of(app.now());
    browser.click(&code).await;
    browser.type_into(&code, &tessera::oauth::authentication::totp::code_at(&secret, now).expect("code")).await;
    browser.click(&browser.xpath("//button[normalize-space() = 'Verify']").await).await;
    let deadline = Instant::now() + PATIENCE;
    let landed = loop {
        let url = browser.url().await;
        if url.starts_with(&client.redirect_uri) {
            break url;
        }
        assert!(Instant::now() < deadline, "never redirected to the client; at {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let code = query_param(&landed, "code").unwrap_or_else(|| panic!("no code in {landed}"));
    let tokens: Value = exchange_code(&app, &client, &code, helpers::VERIFIER).await.json().await.expect("tokens");
    let claims = helpers::jwt_part(tokens["id_token"].as_str().expect("id_token"), 1);
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa"]));
    assert_eq!(claims["acr"], "urn:tessera:acr:multi-factor");
    browser.quit().await;
    drop(driver);
}

/// Passkeys in Chromium with chromedriver's virtual authenticator (W3C WebAuthn §11, the WebDriver extension:
/// CTAP2, internal transport, resident keys, user verification that always succeeds). The issuer is
/// `http://localhost:PORT` (a relying party id must be a domain; browsers treat loopback http as secure). An
/// invitation registers a passkey; signed out, the passkey alone signs in through the login page's autofill, and the
/// relying party (the `openidconnect` crate) verifies the ID token and reads `amr`; then, with no autofill offered,
/// by a click on "Sign in with a passkey"; then a password user adds a passkey on the account page and it is asked
/// as the second factor. The login, second-factor and account pages are photographed.
#[actix_web::test]
#[ignore = "needs chromium and chromedriver (bash .ci/install-browser.sh)"]
async fn passkeys_in_a_real_browser() {
    use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
    use openidconnect::{
        AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge, RedirectUrl, Scope,
    };

    let chromium = tool("TESSERA_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = tool("TESSERA_CHROMEDRIVER", "/usr/bin/chromedriver");
    assert!(chromium.is_file() && chromedriver.is_file(), "needs chromium and chromedriver (.ci/install-browser.sh)");
    let app = crate::passkeys::spawn_passkey_app().await;
    assert!(app.base.starts_with("http://localhost:"), "{}", app.base);
    let registered = app.add_client(
        "browser-app",
        ClientOptions { name: "Browser Test App", skip_consent: true, ..ClientOptions::default() },
    );
    let out = helpers::tessera_ok(&app, &["user", "invite", "erin", "--email", "erin@example.com"]);
    let link = out.lines().find(|l| l.starts_with("http")).expect("a link").to_owned();
    assert!(link.starts_with(&app.base), "{link}");

    let driver = Chromedriver::start(&chromedriver).await;
    let browser = Browser::open(&driver, &chromium, "en").await;

    // The login page, before the browser has an authenticator (with one, its autofill request would be answered
    // at once): the username field takes passkeys in its autofill, and the button is there.
    browser.goto(&app.authorize_url(&registered, &[])).await;
    browser.wait_for_heading("Sign in").await;
    let username = browser.css("#username").await;
    assert_eq!(browser.attribute(&username, "autocomplete").await.as_deref(), Some("username webauthn"));
    browser.xpath("//button[normalize-space() = 'Sign in with a passkey']").await;
    browser.check_page("login-passkey", "login-passkey-en-light", ALLOWED_IN_CONSOLE).await;

    let authenticator = browser
        .command(
            Method::POST,
            "/webauthn/authenticator",
            Some(json!({
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": true,
                "hasUserVerification": true,
                "isUserVerified": true,
            })),
        )
        .await;
    let authenticator = authenticator.as_str().expect("authenticator id").to_owned();
    let credentials = || {
        let browser = &browser;
        let path = format!("/webauthn/authenticator/{authenticator}/credentials");
        async move { browser.command(Method::GET, &path, None).await.as_array().expect("credentials").clone() }
    };
    let wait_for_client = || {
        let browser = &browser;
        let redirect_uri = registered.redirect_uri.clone();
        async move {
            let deadline = Instant::now() + PATIENCE;
            loop {
                let url = browser.url().await;
                if url.starts_with(&redirect_uri) {
                    return url;
                }
                assert!(Instant::now() < deadline, "never redirected to the client; at {url}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };

    // The invitation: a passkey instead of a password, then signed in.
    browser.goto(&link).await;
    browser.wait_for_heading("Set up your account").await;
    browser.click(&browser.xpath("//button[normalize-space() = 'Use a passkey instead and sign in']").await).await;
    browser.wait_for_heading("Tessera").await;
    let stored = credentials().await;
    assert_eq!(stored.len(), 1, "one credential on the authenticator: {stored:?}");
    assert_eq!(stored[0]["isResidentCredential"], true, "a discoverable credential");
    assert_eq!(helpers::count_rows(&app, "passkeys"), 1);

    // Its account page lists it.
    browser.goto(&app.url("/account")).await;
    browser.wait_for_heading("Your account").await;
    assert_eq!(browser.find_all("css selector", "ul.passkeys li").await.len(), 1);
    browser.check_page("account-passkeys", "account-passkeys-en-light", ALLOWED_IN_CONSOLE).await;

    // Signed out (the cookies gone), the relying party sends the browser to sign in: the passkey alone.
    sign_out(&browser, &app).await;
    let http = helpers::relying_party_http();
    let metadata = CoreProviderMetadata::discover_async(IssuerUrl::new(app.base.clone()).unwrap(), &http)
        .await
        .expect("discovery");
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(registered.id.clone()),
        registered.secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(RedirectUrl::new(registered.redirect_uri.clone()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, _csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    // No username typed, no click: Chromium offers the passkey to the login page's conditional (autofill) request
    // and the virtual authenticator, which needs no person, answers it at once; the page posts the assertion.
    browser.goto(auth_url.as_str()).await;
    let landed = wait_for_client().await;
    let code = query_param(&landed, "code").unwrap_or_else(|| panic!("no code in {landed}"));
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchange");
    let id_token = openidconnect::TokenResponse::id_token(&tokens).expect("an ID token");
    let claims = id_token.claims(&client.id_token_verifier(), &nonce).expect("the ID token verifies");
    let amr: Vec<String> = claims.auth_method_refs().expect("amr").iter().map(|a| a.to_string()).collect();
    assert_eq!(amr, ["hwk", "user", "mfa"], "a device-bound passkey, user verified, two factors");
    assert_eq!(claims.auth_context_ref().map(|a| a.to_string()).as_deref(), Some("urn:tessera:acr:multi-factor"));

    // The button, not the autofill: in a browser that offers no conditional mediation (Chromium told so before the
    // page's script runs, through the DevTools protocol), the page makes no autofill request, so only a click on
    // "Sign in with a passkey" (a modal request, answered by the authenticator) can sign in.
    sign_out(&browser, &app).await;
    // (Guarded: it also runs on the client's redirect page, an insecure context without WebAuthn.)
    let no_autofill = "if (window.PublicKeyCredential) { \
                       PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false); }";
    let injected = browser
        .command(
            Method::POST,
            "/goog/cdp/execute",
            Some(json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": no_autofill } })),
        )
        .await;
    browser.goto(&app.authorize_url(&registered, &[])).await;
    browser.wait_for_heading("Sign in").await;
    browser.click(&browser.xpath("//button[normalize-space() = 'Sign in with a passkey']").await).await;
    let landed = wait_for_client().await;
    let code = query_param(&landed, "code").unwrap_or_else(|| panic!("no code in {landed}"));
    let tokens: Value = exchange_code(&app, &registered, &code, helpers::VERIFIER).await.json().await.expect("tokens");
    let claims = helpers::jwt_part(tokens["id_token"].as_str().expect("id_token"), 1);
    assert_eq!(claims["amr"], json!(["hwk", "user", "mfa"]), "the passkey alone, by the button");
    let identifier = injected["identifier"].clone();
    let params = json!({ "cmd": "Page.removeScriptToEvaluateOnNewDocument", "params": { "identifier": identifier } });
    browser.command(Method::POST, "/goog/cdp/execute", Some(params)).await;

    // A password user adds a passkey on the account page; their next sign-in asks for it after the password.
    sign_out(&browser, &app).await;
    app.add_user("frank");
    browser.goto(&app.url("/account")).await;
    browser.wait_for_heading("Your account").await;
    let field = browser.css("#username").await;
    browser.type_into(&field, "frank").await;
    browser.type_into(&browser.css("#password").await, helpers::PASSWORD).await;
    browser.click(&browser.xpath("//button[normalize-space() = 'Sign in']").await).await;
    browser.wait_for_heading("Your account").await;
    assert!(browser.find_all("css selector", "ul.passkeys li").await.is_empty());
    browser.click(&browser.xpath("//button[normalize-space() = 'Add a passkey']").await).await;
    let deadline = Instant::now() + PATIENCE;
    while browser.find_all("css selector", "ul.passkeys li").await.len() != 1 {
        assert!(Instant::now() < deadline, "the passkey never appeared on the account page");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(credentials().await.len(), 2);

    sign_out(&browser, &app).await;
    // The person types a password instead of picking a passkey from the autofill: the authenticator refuses user
    // verification while the login page is shown, so its autofill request fails quietly (as a dismissed prompt).
    let uv = format!("/webauthn/authenticator/{authenticator}/uv");
    browser.command(Method::POST, &uv, Some(json!({ "isUserVerified": false }))).await;
    browser.goto(&app.authorize_url(&registered, &[])).await;
    browser.wait_for_heading("Sign in").await;
    browser.type_into(&browser.css("#username").await, "frank").await;
    browser.type_into(&browser.css("#password").await, helpers::PASSWORD).await;
    browser.click(&browser.xpath("//form[@autocomplete='on']//button[@type='submit']").await).await;
    browser.wait_for_heading("Two-step verification").await;
    browser.command(Method::POST, &uv, Some(json!({ "isUserVerified": true }))).await;
    browser.check_page("second-factor-passkey", "second-factor-passkey-en-light", ALLOWED_IN_CONSOLE).await;
    browser.click(&browser.xpath("//button[normalize-space() = 'Use a passkey']").await).await;
    let landed = wait_for_client().await;
    let code = query_param(&landed, "code").unwrap_or_else(|| panic!("no code in {landed}"));
    let tokens: Value = exchange_code(&app, &registered, &code, helpers::VERIFIER).await.json().await.expect("tokens");
    let claims = helpers::jwt_part(tokens["id_token"].as_str().expect("id_token"), 1);
    assert_eq!(claims["amr"], json!(["pwd", "hwk", "mfa"]));
    browser.quit().await;
    drop(driver);
}

/// Signs the browser out of Tessera: every cookie of the issuer's origin deleted (WebDriver deletes the cookies of
/// the current document's origin, so the browser goes there first).
async fn sign_out(browser: &Browser, app: &helpers::TestApp) {
    browser.goto(&app.url("/")).await;
    browser.wait_for_heading("Tessera").await;
    browser.command(Method::DELETE, "/cookie", None).await;
}

/// The admin pages in a real browser: an operator in `admins` opens `/admin`, signs in through the normal login
/// page, creates a group, a user (its invitation link shown once) and adds the user to the group, registers an
/// application through the form, and, after a request of that application with a redirect URI that is not
/// registered (a trailing slash), sees it explained by the integration doctor on the application's page, and deletes
/// the group through its confirmation page. Each page passes the same checks as the others (stylesheet, clean
/// console, axe-core) and is photographed for the README.
#[actix_web::test]
#[ignore = "needs chromium and chromedriver (bash .ci/install-browser.sh)"]
async fn the_admin_pages_in_a_real_browser() {
    let chromium = tool("TESSERA_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = tool("TESSERA_CHROMEDRIVER", "/usr/bin/chromedriver");
    assert!(chromium.is_file() && chromedriver.is_file(), "needs chromium and chromedriver (.ci/install-browser.sh)");
    let app = spawn_app().await;
    app.add_user("root");
    {
        use tessera::storage::GroupStore;
        let db = &app.state.provider.db;
        let admins = tessera::domain::GroupName::parse("admins").expect("name");
        db.add_group(&admins, None, app.now()).expect("admins");
        db.add_member("admins", "root", app.now()).expect("member");
    }
    let driver = Chromedriver::start(&chromedriver).await;
    let browser = Browser::open(&driver, &chromium, "en").await;
    let field = |label: &str| format!("//input[@id = //label[normalize-space() = '{label}']/@for]");
    let both_themes = |page: &'static str| {
        let browser = &browser;
        async move {
            for dark in [false, true] {
                browser.theme(dark).await;
                let picture = format!("{page}-en-{}", if dark { "dark" } else { "light" });
                browser.check_page(page, &picture, ALLOWED_IN_CONSOLE).await;
            }
            browser.theme(false).await;
        }
    };

    // /admin without a session: the normal login page, then back to /admin.
    browser.goto(&app.url("/admin")).await;
    browser.wait_for_heading("Sign in").await;
    let username = browser.xpath(&field("Username")).await;
    browser.click(&username).await;
    browser.type_into(&username, "root").await;
    let password = browser.xpath(&field("Password")).await;
    browser.click(&password).await;
    browser.type_into(&password, helpers::PASSWORD).await;
    browser.click(&browser.xpath("//button[normalize-space() = 'Sign in']").await).await;
    browser.wait_for_heading("Users").await;
    assert!(browser.url().await.ends_with("/admin"), "{}", browser.url().await);
    assert!(browser.text(&browser.css(".admin-nav .who").await).await.contains("root"));

    // A group.
    browser.goto(&app.url("/admin/groups")).await;
    browser.wait_for_heading("Groups").await;
    let name = browser.xpath(&field("Name")).await;
    browser.click(&name).await;
    browser.type_into(&name, "staff").await;
    browser.click(&browser.xpath("//form[@id='create-group']//button").await).await;
    browser.wait_for_heading("staff").await;

    // A user, with an invitation link shown once, then added to the group.
    browser.goto(&app.url("/admin/users")).await;
    browser.wait_for_heading("Users").await;
    let new_username = browser.xpath("//form[@id='create-user']//input[@name='username']").await;
    browser.click(&new_username).await;
    browser.type_into(&new_username, "dana").await;
    let email = browser.xpath("//form[@id='create-user']//input[@name='email']").await;
    browser.click(&email).await;
    browser.type_into(&email, "dana@example.com").await;
    both_themes("admin-users").await;
    browser.click(&browser.xpath("//form[@id='create-user']//button").await).await;
    browser.wait_for_heading("dana").await;
    assert!(browser.text(&browser.css("#invitation").await).await.contains(&app.url("/invite/")));
    browser.click(&browser.xpath("//select[@id='group']/option[@value='staff']").await).await;
    browser.click(&browser.xpath("//form[@id='add-to-group']//button").await).await;
    // The same heading before and after the post: wait for the group list to appear.
    let deadline = Instant::now() + PATIENCE;
    while browser.find_all("css selector", "#user-groups").await.is_empty() {
        assert!(Instant::now() < deadline, "dana never joined staff; at {}", browser.url().await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser.wait_for_heading("dana").await;
    assert!(browser.text(&browser.css("#user-groups").await).await.contains("staff"));
    both_themes("admin-user").await;

    // An application, registered through the form that explains each field; its secret shown once.
    browser.goto(&app.url("/admin/clients/new")).await;
    browser.wait_for_heading("Register an application").await;
    let id = browser.xpath(&field("Client ID")).await;
    browser.click(&id).await;
    browser.type_into(&id, "shop").await;
    let display = browser.xpath(&field("Display name")).await;
    browser.click(&display).await;
    browser.type_into(&display, "Shop").await;
    let uris = browser.css("#redirect-uris").await;
    browser.click(&uris).await;
    browser.type_into(&uris, "https://shop.example/callback").await;
    both_themes("admin-client-new").await;
    browser.click(&browser.xpath("//form[@id='create-client']//button").await).await;
    browser.wait_for_heading("Shop").await;
    assert!(!browser.text(&browser.css("#client-secret code").await).await.trim().is_empty());
    assert!(browser.text(&browser.css("#snippet").await).await.contains("OIDC_CLIENT_ID=shop"));

    // The application sends a redirect URI with a trailing slash: refused, and explained by the doctor.
    let misconfigured = format!(
        "{}?response_type=code&client_id=shop&scope=openid&redirect_uri=https%3A%2F%2Fshop.example%2Fcallback%2F\
         &code_challenge={}&code_challenge_method=S256",
        app.url("/oauth/authorize"),
        helpers::CHALLENGE
    );
    let refused = helpers::browser().get(misconfigured).send().await.expect("authorize");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    browser.goto(&app.url("/admin/clients/shop")).await;
    browser.wait_for_heading("Shop").await;
    let diagnosis = browser.text(&browser.css(".diagnosis").await).await;
    assert!(
        diagnosis.contains("redirect_uri `https://shop.example/callback/` is not registered")
            && diagnosis.contains("(trailing slash)"),
        "{diagnosis}"
    );
    both_themes("admin-client").await;
    for (path, heading, picture) in
        [("/admin/keys", "Signing keys", "admin-keys"), ("/admin/audit", "Audit log", "admin-audit")]
    {
        browser.goto(&app.url(path)).await;
        browser.wait_for_heading(heading).await;
        both_themes(picture).await;
    }

    // A destructive form asks first, on a page of its own (no JavaScript): the group is deleted only from there.
    browser.goto(&app.url("/admin/groups/staff")).await;
    browser.wait_for_heading("staff").await;
    browser.click(&browser.css("#delete-group").await).await;
    browser.wait_for_heading("Are you sure?").await;
    assert!(browser.text(&browser.css("#confirm-question").await).await.contains("Delete the group staff?"));
    both_themes("admin-confirm").await;
    {
        use tessera::storage::GroupStore;
        assert!(app.state.provider.db.find_group("staff").expect("groups").is_some(), "asking changes nothing");
    }
    browser.click(&browser.css("#confirm-button").await).await;
    browser.wait_for_heading("Groups").await;
    assert!(!browser.text(&browser.css("#groups").await).await.contains("staff"));
    browser.quit().await;
    drop(driver);
}

/// The device authorization grant's page (RFC 8628 §3.3) in Chromium: a TV app asks for codes; the person opens the
/// verification URI, types the user code as a person would (lower case, no dash), signs in with the normal login
/// page, sees the app and its scopes on the consent page and allows; the page says the device is connected, and the
/// device's next poll of the token endpoint gets its tokens. The code page is checked like every page and
/// photographed for the README.
#[actix_web::test]
#[ignore = "needs chromium and chromedriver (bash .ci/install-browser.sh)"]
async fn the_device_page_in_a_real_browser() {
    const DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
    let chromium = tool("TESSERA_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = tool("TESSERA_CHROMEDRIVER", "/usr/bin/chromedriver");
    assert!(chromium.is_file() && chromedriver.is_file(), "needs chromium and chromedriver (.ci/install-browser.sh)");
    let app = spawn_app().await;
    app.add_user("alice");
    app.add_client("tv", ClientOptions { name: "Living Room TV", public: true, ..ClientOptions::default() });
    let grants = format!("authorization_code,refresh_token,{DEVICE_CODE}");
    helpers::tessera_ok(&app, &["client", "update", "tv", "--grant-types", &grants]);
    let codes: Value = reqwest::Client::new()
        .post(app.url("/oauth/device_authorization"))
        .form(&[("client_id", "tv"), ("scope", "openid profile")])
        .send()
        .await
        .expect("device authorization")
        .json()
        .await
        .expect("JSON");
    let user_code = codes["user_code"].as_str().expect("user_code").to_owned();
    let device_code = codes["device_code"].as_str().expect("device_code").to_owned();
    // Each poll after the interval (RFC 8628 §3.5: sooner is slow_down); the test's clock moves instead of waiting.
    let poll = || async {
        app.advance(15);
        let form = [("grant_type", DEVICE_CODE), ("device_code", device_code.as_str()), ("client_id", "tv")];
        let response = reqwest::Client::new().post(app.url("/oauth/token")).form(&form).send().await.expect("poll");
        let status = response.status();
        (status, response.json::<Value>().await.expect("JSON"))
    };
    let (status, pending) = poll().await;
    assert_eq!((status, pending["error"].as_str()), (StatusCode::BAD_REQUEST, Some("authorization_pending")));

    let driver = Chromedriver::start(&chromedriver).await;
    let browser = Browser::open(&driver, &chromium, "en").await;
    browser.goto(codes["verification_uri"].as_str().expect("verification_uri")).await;
    browser.wait_for_heading("Connect a device").await;
    let field = browser.xpath("//input[@id = //label[normalize-space() = 'Code']/@for]").await;
    assert_eq!(browser.attribute(&field, "autocomplete").await, None, "the form turns autocomplete off");
    for dark in [false, true] {
        browser.theme(dark).await;
        let picture = format!("device-en-{}", if dark { "dark" } else { "light" });
        browser.check_page("device", &picture, ALLOWED_IN_CONSOLE).await;
    }
    browser.theme(false).await;
    browser.click(&field).await;
    browser.type_into(&field, &user_code.replace('-', "").to_lowercase()).await;
    browser.click(&browser.xpath("//button[normalize-space() = 'Continue']").await).await;

    // The normal login page, then the consent page that names the app and what it asks for.
    browser.wait_for_heading("Sign in").await;
    let username = browser.xpath("//input[@id = //label[normalize-space() = 'Username']/@for]").await;
    let password = browser.xpath("//input[@id = //label[normalize-space() = 'Password']/@for]").await;
    browser.click(&username).await;
    browser.type_into(&username, "alice").await;
    browser.click(&password).await;
    browser.type_into(&password, helpers::PASSWORD).await;
    browser.click(&browser.xpath("//button[@type = 'submit' and normalize-space() = 'Sign in']").await).await;
    browser.wait_for_heading("Allow access?").await;
    let page = browser.text(&browser.css("main").await).await;
    assert!(page.contains("Living Room TV"), "{page}");
    let (status, still) = poll().await;
    assert_eq!((status, still["error"].as_str()), (StatusCode::BAD_REQUEST, Some("authorization_pending")));
    browser.click(&browser.xpath("//button[normalize-space() = 'Allow']").await).await;
    browser.wait_for_heading("Device connected").await;
    browser.check_page("device-done", "device-done-en-light", ALLOWED_IN_CONSOLE).await;

    // The device's next poll: its tokens, once.
    let (status, tokens) = poll().await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let claims = helpers::jwt_part(tokens["id_token"].as_str().expect("id_token"), 1);
    assert_eq!(claims["aud"], json!(["tv"]));
    assert!(tokens["access_token"].is_string() && tokens["refresh_token"].is_string(), "{tokens}");
    let (status, again) = poll().await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a device code is redeemed once: {again}");
    browser.quit().await;
    drop(driver);
}
