//! `spawn_app` and the small tools the tests share: a cookie-keeping HTTP client that does not follow redirects,
//! a browser-like walk through the login and consent pages, and direct registration of users and clients.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::web;
use reqwest::StatusCode;
use tempfile::TempDir;
use tessera::clock::{Clock, FixedClock, SystemClock};
use tessera::config::Settings;
use tessera::domain::{Client, ClientId, ClientKind, PkcePolicy, RedirectUri, User};
use tessera::http::state::AppState;
use tessera::secrets::{hash_password, random_token, token_hash};
use tessera::startup::Application;
use tessera::storage::{ClientStore, NewUser, UserStore};

pub const PASSWORD: &str = "correct horse battery staple";
/// RFC 7636 Appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

pub struct TestApp {
    pub base: String,
    pub state: web::Data<AppState>,
    /// The server's clock: starts at the real time and moves only when a test says so (`advance`).
    pub clock: Arc<FixedClock>,
    handle: actix_web::dev::ServerHandle,
    _dir: TempDir,
    /// Dropped after the server: the per-test PostgreSQL database, when the suite runs on PostgreSQL.
    _postgres: Option<PostgresDatabase>,
}

/// The backend the suite runs on: `IT_BACKEND=postgres` runs every test on its own PostgreSQL database
/// (created from `IT_POSTGRES_URL`, default `postgres://127.0.0.1:5432/test`); anything else, SQLite.
pub fn suite_uses_postgres() -> bool {
    std::env::var("IT_BACKEND").is_ok_and(|b| b == "postgres")
}

fn postgres_admin_url() -> String {
    std::env::var("IT_POSTGRES_URL").unwrap_or_else(|_| "postgres://127.0.0.1:5432/test".into())
}

/// A throw-away PostgreSQL database, dropped (with its connections) when this value is.
pub struct PostgresDatabase {
    pub url: String,
    name: String,
}

impl PostgresDatabase {
    pub fn create() -> Result<PostgresDatabase, String> {
        use diesel::{Connection, RunQueryDsl};
        let admin = postgres_admin_url();
        let mut conn = diesel::PgConnection::establish(&admin).map_err(|e| e.to_string())?;
        let name = format!("tessera_it_{}", uuid::Uuid::new_v4().simple());
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).map_err(|e| e.to_string())?;
        let mut url = url::Url::parse(&admin).map_err(|e| e.to_string())?;
        url.set_path(&format!("/{name}"));
        Ok(PostgresDatabase { url: url.to_string(), name })
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        use diesel::{Connection, RunQueryDsl};
        if let Ok(mut conn) = diesel::PgConnection::establish(&postgres_admin_url()) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut conn);
        }
    }
}

/// A PostgreSQL database for a test that needs one whatever the suite's backend: the `postgres_*` tests, which are
/// `#[ignore]`d so that `cargo test` needs no PostgreSQL, and run with `cargo test -- --include-ignored`. Without a
/// reachable server the test fails, saying what it needs; it never passes without having run.
pub fn require_postgres(test: &str) -> PostgresDatabase {
    PostgresDatabase::create().unwrap_or_else(|e| {
        panic!(
            "{test} needs PostgreSQL at {} (IT_POSTGRES_URL, a role allowed to CREATE DATABASE; see README): {e}",
            postgres_admin_url()
        )
    })
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the server without waiting; the runtime of the test ends right after.
        drop(self.handle.stop(false));
    }
}

/// Test settings: short JWKS cache and pre-publication window so rotation can be exercised quickly.
pub fn test_settings(dir: &TempDir, port: u16) -> Settings {
    Settings {
        issuer: format!("http://127.0.0.1:{port}"),
        bind: format!("127.0.0.1:{port}"),
        data_dir: dir.path().to_path_buf(),
        workers: 2,
        jwks_max_age_secs: 1,
        key_reload_interval_secs: 1,
        key_prepublish_secs: 2,
        // Every replay of a rotated refresh token is reuse, unless a test opens the grace window itself.
        refresh_token_reuse_grace_secs: 0,
        // Tests fire authorization requests from one address far faster than people do; the limit has its own test.
        authorization_requests_per_second: 0,
        // The tests' back-channel receivers listen on loopback over http.
        backchannel_logout_allow_private_networks: true,
        // Tests change clients with the CLI and use them at once; the copy's bound has its own test.
        catalog_cache_ms: 0,
        ..Settings::default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mut settings = test_settings(&dir, port);
    let postgres =
        suite_uses_postgres().then(|| PostgresDatabase::create().expect("IT_BACKEND=postgres needs PostgreSQL"));
    if let Some(db) = &postgres {
        settings.database_url = db.url.clone();
    }
    configure(&mut settings);
    settings.validate().expect("valid test settings");
    let clock = Arc::new(FixedClock::at(SystemClock.now().timestamp()));
    let app = Application::build(settings, listener, clock.clone()).expect("build app");
    let state = app.state.clone();
    let handle = app.server_handle();
    actix_web::rt::spawn(app.run_until_stopped());
    TestApp { base: format!("http://127.0.0.1:{port}"), state, clock, handle, _dir: dir, _postgres: postgres }
}

/// A registered client and, for a confidential one, its secret.
pub struct TestClient {
    pub id: String,
    pub secret: Option<String>,
    pub redirect_uri: String,
}

pub struct ClientOptions {
    pub public: bool,
    pub skip_consent: bool,
    pub pkce_optional: bool,
    pub name: &'static str,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions { public: false, skip_consent: false, pkce_optional: false, name: "Test App" }
    }
}

impl TestApp {
    pub fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    /// Moves the server's clock forward (instead of sleeping). Tokens stay verifiable by relying parties on the
    /// real clock as long as the advance stays within their leeway.
    pub fn advance(&self, seconds: i64) {
        self.clock.advance(seconds);
    }

    pub fn add_user(&self, username: &str) -> User {
        self.state
            .provider
            .db
            .add_user(
                &NewUser {
                    username: username.into(),
                    password_hash: hash_password(PASSWORD).expect("hash"),
                    email: Some(format!("{username}@example.com")),
                    email_verified: true,
                    name: Some(format!("{username} Example")),
                    attributes: Default::default(),
                },
                self.now(),
            )
            .expect("add user")
    }

    pub fn add_client(&self, id: &str, options: ClientOptions) -> TestClient {
        let redirect_uri = format!("http://127.0.0.1:9/{id}/callback");
        let mut client = Client::new(
            ClientId::parse(id).expect("client id"),
            options.name.into(),
            if options.public { ClientKind::Public } else { ClientKind::Confidential },
            vec![RedirectUri::parse(&redirect_uri).expect("redirect uri")],
        );
        client.skip_consent = options.skip_consent;
        client.pkce = if options.pkce_optional { PkcePolicy::Optional } else { PkcePolicy::Required };
        let secret = (!options.public).then(|| random_token(32).expose().to_owned());
        self.state
            .provider
            .db
            .register_client(&client, secret.as_deref().map(token_hash).as_deref(), self.now())
            .expect("register client");
        TestClient { id: id.into(), secret, redirect_uri }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// An authorization URL with PKCE (RFC 7636 Appendix B values) plus `extra` parameters.
    pub fn authorize_url(&self, client: &TestClient, extra: &[(&str, &str)]) -> String {
        let mut url = url::Url::parse(&self.url("/oauth/authorize")).expect("url");
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &client.id)
            .append_pair("redirect_uri", &client.redirect_uri)
            .append_pair("scope", "openid profile email")
            .append_pair("state", "state-123")
            .append_pair("nonce", "nonce-456")
            .append_pair("code_challenge", CHALLENGE)
            .append_pair("code_challenge_method", "S256");
        let mut url = url.to_string();
        for (k, v) in extra {
            // Extra parameters replace defaults of the same name.
            let mut parsed = url::Url::parse(&url).expect("url");
            let kept: Vec<(String, String)> = parsed
                .query_pairs()
                .filter(|(name, _)| name != k)
                .map(|(a, b)| (a.into_owned(), b.into_owned()))
                .collect();
            parsed.query_pairs_mut().clear().extend_pairs(kept).append_pair(k, v);
            url = parsed.to_string();
        }
        url
    }
}

/// `url` without the query parameters whose name starts with `prefix` (e.g. "code_challenge" drops PKCE).
pub fn without_params(url: &str, prefix: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("url");
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(name, _)| !name.starts_with(prefix))
        .map(|(a, b)| (a.into_owned(), b.into_owned()))
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(kept);
    parsed.to_string()
}

/// A browser stand-in: keeps cookies, never follows redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no Location header on a {} response", response.status()))
}

/// The value of a hidden form field named `name` in an HTML page.
pub fn form_field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// A query parameter of a URL.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url).ok()?.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Follows the redirect to the login page and returns its URL and HTML.
pub async fn open_page(browser: &reqwest::Client, app: &TestApp, location: &str) -> (String, String) {
    let url = if location.starts_with('/') { app.url(location) } else { location.to_owned() };
    let response = browser.get(&url).send().await.expect("get page");
    assert_eq!(response.status(), StatusCode::OK, "page {url}");
    (url, response.text().await.expect("body"))
}

/// Posts the login form on `page_url` and returns the response.
pub async fn submit_login(
    browser: &reqwest::Client,
    page_url: &str,
    html: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let csrf = form_field(html, "csrf_token").expect("csrf token on the login page");
    browser
        .post(format!("{page_url}/login"))
        .form(&[("csrf_token", csrf.as_str()), ("username", username), ("password", password)])
        .send()
        .await
        .expect("post login")
}

pub async fn submit_consent(
    browser: &reqwest::Client,
    page_url: &str,
    html: &str,
    decision: &str,
) -> reqwest::Response {
    let csrf = form_field(html, "csrf_token").expect("csrf token on the consent page");
    browser
        .post(format!("{page_url}/consent"))
        .form(&[("csrf_token", csrf.as_str()), ("decision", decision)])
        .send()
        .await
        .expect("post consent")
}

/// Walks an authorization URL through login and consent like a user would, and returns the final redirect to
/// the client (its Location).
pub async fn sign_in(browser: &reqwest::Client, app: &TestApp, authorize_url: &str, username: &str) -> String {
    let response = browser.get(authorize_url).send().await.expect("authorize");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "authorize should redirect");
    let mut next = location(&response);
    for _ in 0..4 {
        if !next.starts_with("/interaction/") {
            return next;
        }
        let (page_url, html) = open_page(browser, app, &next).await;
        let response = if html.contains("name=\"password\"") {
            submit_login(browser, &page_url, &html, username, PASSWORD).await
        } else {
            submit_consent(browser, &page_url, &html, "allow").await
        };
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "form post should answer 303");
        next = location(&response);
    }
    panic!("too many interaction steps");
}

/// Signs in and returns the authorization code.
pub async fn obtain_code(app: &TestApp, client: &TestClient, username: &str) -> String {
    let location = sign_in(&browser(), app, &app.authorize_url(client, &[]), username).await;
    assert!(location.starts_with(&client.redirect_uri), "redirected to {location}");
    query_param(&location, "code").expect("code in the redirect")
}

/// Exchanges a code with client_secret_post, by hand.
pub async fn exchange_code(app: &TestApp, client: &TestClient, code: &str, verifier: &str) -> reqwest::Response {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", verifier),
        ("client_id", client.id.as_str()),
    ];
    if let Some(secret) = &client.secret {
        form.push(("client_secret", secret));
    }
    reqwest::Client::new().post(app.url("/oauth/token")).form(&form).send().await.expect("token request")
}

/// Segment `index` of a JWT (0 the header, 1 the payload), decoded.
pub fn jwt_part(jwt: &str, index: usize) -> serde_json::Value {
    let part = jwt.split('.').nth(index).expect("a JWT segment");
    let bytes = base64::engine::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, part).expect("b64");
    serde_json::from_slice(&bytes).expect("JSON")
}

/// The `kid` in a JWT's header.
pub fn kid_of(jwt: &str) -> String {
    jwt_part(jwt, 0)["kid"].as_str().expect("kid").to_owned()
}

/// An HTTP client for relying parties: OAuth clients must not follow redirects (SSRF); openidconnect asks so.
pub fn relying_party_http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("http client")
}

/// The status of a refresh with `refresh`, the client authenticating as the tests' helpers register it.
pub async fn refresh_status(app: &TestApp, client: &TestClient, refresh: &str) -> StatusCode {
    reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh)])
        .send()
        .await
        .expect("token request")
        .status()
}

/// The status of `/userinfo` with `access_token`.
pub async fn userinfo_status(app: &TestApp, access_token: &str) -> StatusCode {
    reqwest::Client::new().get(app.url("/userinfo")).bearer_auth(access_token).send().await.expect("userinfo").status()
}

/// The response redirects to the client with `error`, the helpers' `state` and `iss`, and no code.
pub fn assert_error_redirect(app: &TestApp, response: &reqwest::Response, redirect_uri: &str, error: &str) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(response);
    assert!(to.starts_with(redirect_uri), "{to}");
    assert_eq!(query_param(&to, "error").as_deref(), Some(error), "{to}");
    assert_eq!(query_param(&to, "state").as_deref(), Some("state-123"), "{to}");
    assert_eq!(query_param(&to, "iss").as_deref(), Some(app.base.as_str()), "{to}");
    assert!(query_param(&to, "code").is_none(), "{to}");
}

/// The `tessera` binary with none of the caller's `TESSERA_*` variables (the caller's own settings must not leak
/// into a test; a test that wants some adds them back).
pub fn tessera_command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tessera"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("TESSERA_") {
            command.env_remove(name);
        }
    }
    command
}

/// The `tessera` binary on this test server's own database (SQLite file or PostgreSQL) and issuer, as an operator
/// would run it beside the running server.
pub fn tessera_on(app: &TestApp) -> std::process::Command {
    let mut command = tessera_command();
    command.env("TESSERA_DATABASE_URL", app.state.settings.database_location()).env("TESSERA_ISSUER", &app.base);
    command
}

/// Runs `tessera args…` on the test server's database; its output.
pub fn run_tessera(app: &TestApp, args: &[&str]) -> std::process::Output {
    tessera_on(app)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("tessera {args:?}: {e}"))
}

/// `tessera args…` succeeds on the test server's database; its stdout.
pub fn tessera_ok(app: &TestApp, args: &[&str]) -> String {
    let out = run_tessera(app, args);
    assert!(out.status.success(), "tessera {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 stdout")
}

/// `tessera args…` fails on the test server's database; its stderr.
pub fn tessera_fails(app: &TestApp, args: &[&str]) -> String {
    let out = run_tessera(app, args);
    assert!(!out.status.success(), "tessera {args:?} should fail; it printed {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).expect("UTF-8 stderr")
}

/// The number of rows of `table` in the test server's database, read through a connection of the test's own
/// (the server's pool is not reachable from outside the crate).
pub fn count_rows(app: &TestApp, table: &str) -> i64 {
    use diesel::sql_types::BigInt;
    use diesel::{Connection, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let location = app.state.settings.database_location();
    let query = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"));
    let counted: Count = if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        query.get_result(&mut diesel::PgConnection::establish(&location).expect("PostgreSQL connection"))
    } else {
        let path = location.strip_prefix("sqlite://").unwrap_or(&location);
        query.get_result(&mut diesel::SqliteConnection::establish(path).expect("SQLite connection"))
    }
    .unwrap_or_else(|e| panic!("counting {table}: {e}"));
    counted.n
}

/// Runs one SQL statement on the test server's database through a connection of the test's own (for what no
/// command does: simulating a database written by another version).
pub fn execute_sql(app: &TestApp, sql: &str) {
    use diesel::{Connection, RunQueryDsl};
    let location = app.state.settings.database_location();
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        diesel::sql_query(sql).execute(&mut diesel::PgConnection::establish(&location).expect("PostgreSQL connection"))
    } else {
        let path = location.strip_prefix("sqlite://").unwrap_or(&location);
        diesel::sql_query(sql).execute(&mut diesel::SqliteConnection::establish(path).expect("SQLite connection"))
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
