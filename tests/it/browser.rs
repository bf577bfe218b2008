//! The sign-in flow in a real headless Chromium: the authorization URL, our login page (labelled fields, typed into
//! and submitted with real clicks), our consent page, and the redirect back to the client with a code that the
//! token endpoint accepts. Also checks that the pages load their stylesheet and log no console or CSP errors.
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

impl Browser {
    async fn open(driver: &Chromedriver, chromium: &Path) -> Browser {
        let profile = driver.dir.path().join("profile");
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
                            "--window-size=1024,768",
                            format!("--user-data-dir={}", profile.display()),
                        ],
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

    async fn quit(self) {
        self.command(Method::DELETE, "", None).await;
    }
}

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
    let authorize_url = app.authorize_url(&client, &[]);

    let driver = Chromedriver::start(&chromedriver).await;
    let browser = Browser::open(&driver, &chromium).await;

    // The login page.
    browser.goto(&authorize_url).await;
    browser.wait_for_heading("Sign in").await;
    assert!(browser.url().await.starts_with(&app.url("/interaction/")), "{}", browser.url().await);
    assert_eq!(browser.title().await, "Sign in · Tessera");
    assert_eq!(browser.text(&browser.css(".lead strong").await).await, "Browser Test App");
    // Each field is found through its visible label, and the browser gives it that accessible name.
    let username = browser.xpath("//input[@id = //label[normalize-space() = 'Username']/@for]").await;
    let password = browser.xpath("//input[@id = //label[normalize-space() = 'Password']/@for]").await;
    assert_eq!(browser.label(&username).await, "Username");
    assert_eq!(browser.label(&password).await, "Password");
    assert_eq!(browser.attribute(&username, "type").await.as_deref(), Some("text"));
    assert_eq!(browser.attribute(&password, "type").await.as_deref(), Some("password"));
    assert_eq!(browser.attribute(&username, "autocomplete").await.as_deref(), Some("username"));
    assert_eq!(browser.attribute(&password, "autocomplete").await.as_deref(), Some("current-password"));
    browser.assert_styled("login").await;
    browser.assert_clean_console("login", ALLOWED_IN_CONSOLE).await;

    browser.click(&username).await;
    browser.type_into(&username, "alice").await;
    browser.click(&password).await;
    browser.type_into(&password, helpers::PASSWORD).await;
    browser.click(&browser.xpath("//button[@type = 'submit' and normalize-space() = 'Sign in']").await).await;

    // The consent page.
    browser.wait_for_heading("Allow access?").await;
    assert_eq!(browser.title().await, "Allow access · Tessera");
    assert_eq!(browser.text(&browser.css(".lead strong").await).await, "Browser Test App");
    let mut scopes = Vec::new();
    for item in browser.find_all("css selector", "ul.scopes > li").await {
        let text = browser.text(&item).await;
        scopes.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    // "Who you are" comes first; the rest in the server's (sorted) order.
    assert_eq!(
        scopes,
        [
            "openid Know who you are (a stable identifier)",
            "email Your email address",
            "profile Your name, username and other profile details"
        ],
    );
    let body = browser.text(&browser.css("main").await).await;
    assert!(body.contains("Signed in as alice"), "{body}");
    browser.assert_styled("consent").await;
    browser.assert_clean_console("consent", ALLOWED_IN_CONSOLE).await;

    browser.click(&browser.xpath("//button[normalize-space() = 'Allow']").await).await;

    // Back at the client (nothing listens there: the browser shows its error page, but the URL is what counts).
    let deadline = Instant::now() + PATIENCE;
    let landed = loop {
        let url = browser.url().await;
        if url.starts_with(&client.redirect_uri) {
            break url;
        }
        assert!(Instant::now() < deadline, "never redirected to the client; at {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(landed.split('?').next(), Some(client.redirect_uri.as_str()), "{landed}");
    let sent_state = query_param(&authorize_url, "state").expect("the authorization URL has a state");
    assert_eq!(query_param(&landed, "state"), Some(sent_state), "{landed}");
    assert_eq!(query_param(&landed, "iss").as_deref(), Some(app.base.as_str()), "{landed}");
    assert_eq!(query_param(&landed, "error"), None, "{landed}");
    let code = query_param(&landed, "code").unwrap_or_else(|| panic!("no code in {landed}"));
    // Only the failed load of the unreachable redirect URI may be logged now.
    browser.assert_clean_console("redirect", &[ALLOWED_IN_CONSOLE, &["127.0.0.1:9/"]].concat()).await;
    browser.quit().await;
    drop(driver);

    let response = exchange_code(&app, &client, &code, helpers::VERIFIER).await;
    assert_eq!(response.status(), StatusCode::OK);
    let tokens: Value = response.json().await.expect("token response");
    let id_token = tokens["id_token"].as_str().unwrap_or_else(|| panic!("no id_token: {tokens}"));
    assert_eq!(id_token.split('.').count(), 3, "a compact JWS: {id_token}");
}
