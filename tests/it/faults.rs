//! PostgreSQL going away under a running node, and coming back: the node talks to its database through a TCP proxy
//! the test controls. Cutting the proxy closes every forwarded connection and every new one; the node must answer
//! 503 (`temporarily_unavailable`, `Retry-After`) where it needs the database, keep serving discovery and the JWKS
//! from memory, and recover by itself once the proxy is restored, with nothing lost.

use std::collections::HashMap;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderMap, LOCATION, RETRY_AFTER};
use serde_json::Value;

use crate::helpers::{
    ClientOptions, PASSWORD, PostgresDatabase, TestApp, TestClient, VERIFIER, browser, exchange_code, form_field,
    obtain_code, query_param, require_postgres, spawn_app_with,
};

/// A request that needs the unreachable database must be answered within this (the pool waits 1 s).
const OUTAGE_ANSWER_BOUND: Duration = Duration::from_secs(4);
/// The node must be ready again within this after the database comes back.
const RECOVERY_BOUND: Duration = Duration::from_secs(15);

// -----------------------------------------------------------------------------------------------------------------
// The proxy
// -----------------------------------------------------------------------------------------------------------------

/// A TCP proxy on 127.0.0.1 to `upstream`, on plain threads (the test's own runtime is single-threaded and the
/// test calls the storage layer synchronously, so the proxy must not depend on it being polled).
struct Proxy {
    port: u16,
    shared: Arc<Shared>,
}

struct Shared {
    upstream: SocketAddr,
    state: Mutex<ProxyState>,
    /// Connections forwarded to the upstream since the start.
    forwarded: AtomicUsize,
    /// Connections closed at once because the proxy was cut.
    refused: AtomicUsize,
}

#[derive(Default)]
struct ProxyState {
    cut: bool,
    stopped: bool,
    next_id: u64,
    /// Both ends of every live forwarded connection, to shut them down on a cut.
    live: HashMap<u64, [TcpStream; 2]>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, ProxyState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Proxy {
    fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let shared = Arc::new(Shared {
            upstream,
            state: Mutex::new(ProxyState::default()),
            forwarded: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
        });
        let accepting = shared.clone();
        std::thread::Builder::new()
            .name("pg-proxy-accept".into())
            .spawn(move || accept_loop(listener, accepting))
            .expect("spawn the proxy");
        Proxy { port, shared }
    }

    /// Closes every live forwarded connection; new connections are closed as soon as they are accepted.
    fn cut(&self) {
        let mut state = self.shared.lock();
        state.cut = true;
        for (_, ends) in state.live.drain() {
            for end in ends {
                let _ = end.shutdown(Shutdown::Both);
            }
        }
    }

    fn restore(&self) {
        self.shared.lock().cut = false;
    }

    fn live_connections(&self) -> usize {
        self.shared.lock().live.len()
    }

    fn forwarded(&self) -> usize {
        self.shared.forwarded.load(Ordering::SeqCst)
    }

    fn refused(&self) -> usize {
        self.shared.refused.load(Ordering::SeqCst)
    }

    /// `url` (a postgres:// URL of the upstream server) pointing at this proxy instead.
    fn proxied_url(&self, url: &str) -> String {
        let mut parsed = url::Url::parse(url).expect("database URL");
        parsed.set_host(Some("127.0.0.1")).expect("set host");
        parsed.set_port(Some(self.port)).expect("set port");
        parsed.to_string()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        {
            let mut state = self.shared.lock();
            state.stopped = true;
            for (_, ends) in state.live.drain() {
                for end in ends {
                    let _ = end.shutdown(Shutdown::Both);
                }
            }
        }
        // Wake the accept loop so it sees `stopped` and drops the listener.
        let _ = TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], self.port)), Duration::from_secs(1));
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for incoming in listener.incoming() {
        let Ok(client) = incoming else { continue };
        {
            let state = shared.lock();
            if state.stopped {
                return;
            }
            if state.cut {
                shared.refused.fetch_add(1, Ordering::SeqCst);
                let _ = client.shutdown(Shutdown::Both);
                continue;
            }
        }
        let Ok(upstream) = TcpStream::connect_timeout(&shared.upstream, Duration::from_secs(2)) else {
            let _ = client.shutdown(Shutdown::Both);
            continue;
        };
        let _ = client.set_nodelay(true);
        let _ = upstream.set_nodelay(true);
        let (Ok(client_reader), Ok(upstream_reader), Ok(client_end), Ok(upstream_end)) =
            (client.try_clone(), upstream.try_clone(), client.try_clone(), upstream.try_clone())
        else {
            continue;
        };
        let id = {
            let mut state = shared.lock();
            // Cut while we were connecting: this one dies too.
            if state.cut || state.stopped {
                shared.refused.fetch_add(1, Ordering::SeqCst);
                let _ = client.shutdown(Shutdown::Both);
                let _ = upstream.shutdown(Shutdown::Both);
                continue;
            }
            state.next_id += 1;
            let id = state.next_id;
            state.live.insert(id, [client_end, upstream_end]);
            id
        };
        shared.forwarded.fetch_add(1, Ordering::SeqCst);
        let (to_upstream, to_client) = (shared.clone(), shared.clone());
        std::thread::spawn(move || pump(client_reader, upstream, id, &to_upstream));
        std::thread::spawn(move || pump(upstream_reader, client, id, &to_client));
    }
}

/// Copies one direction until either side ends, then closes the whole connection.
fn pump(mut from: TcpStream, mut to: TcpStream, id: u64, shared: &Shared) {
    let _ = io::copy(&mut from, &mut to);
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
    shared.lock().live.remove(&id);
}

/// host:port of a postgres:// URL (5432 when the URL has no port).
fn upstream_of(url: &str) -> SocketAddr {
    let parsed = url::Url::parse(url).expect("database URL");
    let host = parsed.host_str().filter(|h| !h.is_empty()).unwrap_or("127.0.0.1").to_owned();
    let port = parsed.port().unwrap_or(5432);
    (host.as_str(), port).to_socket_addrs().expect("resolve PostgreSQL").next().expect("a PostgreSQL address")
}

// -----------------------------------------------------------------------------------------------------------------
// Requests, each checked for a 500
// -----------------------------------------------------------------------------------------------------------------

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
    took: Duration,
}

impl Answer {
    fn header(&self, name: reqwest::header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends a request and reads the whole answer. Never a 500: an unreachable database is not an internal error.
async fn send(what: &str, request: reqwest::RequestBuilder) -> Answer {
    let started = Instant::now();
    let response = request.timeout(Duration::from_secs(30)).send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_else(|e| panic!("{what}: body: {e}"));
    let took = started.elapsed();
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{what} answered 500: {body}");
    assert!(!status.is_server_error() || status == StatusCode::SERVICE_UNAVAILABLE, "{what} answered {status}: {body}");
    Answer { status, headers, body, took }
}

/// The database is unreachable: 503, Retry-After, quickly.
fn assert_unavailable(what: &str, answer: &Answer) {
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{what}: {}", answer.body);
    let retry_after = answer.header(RETRY_AFTER).unwrap_or_else(|| panic!("{what}: no Retry-After"));
    let seconds: u64 = retry_after.parse().unwrap_or_else(|_| panic!("{what}: Retry-After {retry_after:?}"));
    assert!((1..=60).contains(&seconds), "{what}: Retry-After {seconds}");
    assert!(answer.took < OUTAGE_ANSWER_BOUND, "{what} took {:?}: it must not hang on the database", answer.took);
    eprintln!("{what}: {} in {:?}", answer.status, answer.took);
}

/// The JSON error of RFC 6749 §5.2 for an unreachable database, never cached.
fn assert_temporarily_unavailable_json(what: &str, answer: &Answer) {
    assert_unavailable(what, answer);
    assert_eq!(answer.json()["error"], "temporarily_unavailable", "{what}: {}", answer.body);
    assert_eq!(answer.header(CACHE_CONTROL), Some("no-store"), "{what}");
}

fn refresh(app: &TestApp, client: &TestClient, refresh_token: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().post(app.url("/oauth/token")).form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("client_id", client.id.as_str()),
        ("client_secret", client.secret.as_deref().expect("confidential client")),
    ])
}

fn exchange(app: &TestApp, client: &TestClient, code: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().post(app.url("/oauth/token")).form(&[
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", VERIFIER),
        ("client_id", client.id.as_str()),
        ("client_secret", client.secret.as_deref().expect("confidential client")),
    ])
}

fn userinfo(app: &TestApp, access_token: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().get(app.url("/userinfo")).bearer_auth(access_token)
}

fn get(app: &TestApp, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().get(app.url(path))
}

/// A token response: 200 with the three tokens.
fn tokens(what: &str, answer: &Answer) -> Value {
    assert_eq!(answer.status, StatusCode::OK, "{what}: {}", answer.body);
    let json = answer.json();
    for field in ["access_token", "refresh_token", "id_token"] {
        assert!(json[field].as_str().is_some_and(|t| !t.is_empty()), "{what}: no {field} in {json}");
    }
    json
}

// -----------------------------------------------------------------------------------------------------------------
// The test
// -----------------------------------------------------------------------------------------------------------------

#[actix_web::test]
#[ignore = "needs PostgreSQL at IT_POSTGRES_URL (see README)"]
async fn postgres_fault_the_node_answers_503_without_its_database_and_recovers_by_itself() {
    let db = require_postgres("postgres_fault_the_node_answers_503_without_its_database_and_recovers_by_itself");
    let proxy = Proxy::start(upstream_of(&db.url));
    let proxied = proxy.proxied_url(&db.url);
    let app = spawn_app_with(|s| {
        s.database_url = proxied.clone();
        s.database_connect_timeout_secs = 1;
    })
    .await;
    assert!(proxy.forwarded() > 0, "the node must reach its database through the proxy");

    // Before the outage: a user, a client, a sign-in and tokens.
    app.add_user("alice");
    let client = app.add_client("faulty", ClientOptions::default());
    // A client no request has used yet: this node has not read it into memory.
    let unread = app.add_client("unread", ClientOptions::default());
    let code = obtain_code(&app, &client, "alice").await;
    let first = exchange_code(&app, &client, &code, VERIFIER).await;
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.expect("token JSON");
    let access_token = first["access_token"].as_str().expect("access token").to_owned();
    let refresh_token = first["refresh_token"].as_str().expect("refresh token").to_owned();
    let before = send("userinfo before the outage", userinfo(&app, &access_token)).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    let subject = before.json()["sub"].as_str().expect("sub").to_owned();
    // A second code, not yet redeemed, and a sign-in parked on its login page: both must survive the outage.
    let pending_code = obtain_code(&app, &client, "alice").await;
    let parked_browser = browser();
    let started = send("authorize before the outage", parked_browser.get(app.authorize_url(&client, &[]))).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let parked_page = app.url(started.header(LOCATION).expect("Location"));
    assert!(parked_page.contains("/interaction/"), "{parked_page}");
    let login_page = send("login page before the outage", parked_browser.get(&parked_page)).await;
    assert_eq!(login_page.status, StatusCode::OK);
    let csrf = form_field(&login_page.body, "csrf_token").expect("csrf token");

    let discovery = send("discovery before the outage", get(&app, "/.well-known/openid-configuration")).await;
    let jwks = send("JWKS before the outage", get(&app, "/.well-known/jwks.json")).await;
    assert_eq!((discovery.status, jwks.status), (StatusCode::OK, StatusCode::OK));
    assert!(!jwks.json()["keys"].as_array().expect("keys").is_empty());
    let ready = send("readyz before the outage", get(&app, "/readyz")).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    assert!(proxy.live_connections() > 0, "the pool holds connections through the proxy");

    // The outage.
    proxy.cut();
    assert_eq!(proxy.live_connections(), 0);

    let refused = send("refresh during the outage", refresh(&app, &client, &refresh_token)).await;
    assert_temporarily_unavailable_json("refresh during the outage", &refused);
    let refused = send("code exchange during the outage", exchange(&app, &client, &pending_code)).await;
    assert_temporarily_unavailable_json("code exchange during the outage", &refused);

    // A client this node knows from memory (clients are cached, `catalog_cache_ms`) has its redirect URI verified:
    // the outage goes back to it as temporarily_unavailable (RFC 6749 §4.1.2.1), at once.
    let known =
        send("authorize a known client during the outage", browser().get(app.authorize_url(&client, &[]))).await;
    assert_eq!(known.status, StatusCode::SEE_OTHER, "{}", known.body);
    let to = known.header(LOCATION).expect("Location").to_owned();
    assert!(to.starts_with(&client.redirect_uri), "{to}");
    assert_eq!(query_param(&to, "error").as_deref(), Some("temporarily_unavailable"), "{to}");
    assert!(known.took < OUTAGE_ANSWER_BOUND, "took {:?}", known.took);
    // A client that cannot be verified without the database gets our error page, never a redirect.
    let page = send("authorize during the outage", browser().get(app.authorize_url(&unread, &[]))).await;
    assert_unavailable("authorize during the outage", &page);
    assert!(page.header(LOCATION).is_none(), "an unverified client is never redirected to");
    assert!(page.header(CONTENT_TYPE).is_some_and(|t| t.starts_with("text/html")), "our error page");
    assert!(page.body.contains("temporarily unavailable"), "{}", page.body);
    assert_eq!(page.header(CACHE_CONTROL), Some("no-store"));

    let info = send("userinfo during the outage", userinfo(&app, &access_token)).await;
    assert_unavailable("userinfo during the outage", &info);
    assert_eq!(info.json()["error"], "temporarily_unavailable", "{}", info.body);

    let parked = send("login page during the outage", parked_browser.get(&parked_page)).await;
    assert_unavailable("login page during the outage", &parked);
    let login = send(
        "login during the outage",
        parked_browser.post(format!("{parked_page}/login")).form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "alice"),
            ("password", PASSWORD),
        ]),
    )
    .await;
    assert_unavailable("login during the outage", &login);

    let not_ready = send("readyz during the outage", get(&app, "/readyz")).await;
    assert_unavailable("readyz during the outage", &not_ready);
    let alive = send("healthz during the outage", get(&app, "/healthz")).await;
    assert_eq!(alive.status, StatusCode::OK, "the process is up: {}", alive.body);
    let discovery_now = send("discovery during the outage", get(&app, "/.well-known/openid-configuration")).await;
    assert_eq!(discovery_now.status, StatusCode::OK, "discovery is served from memory");
    assert_eq!(discovery_now.body, discovery.body);
    let jwks_now = send("JWKS during the outage", get(&app, "/.well-known/jwks.json")).await;
    assert_eq!(jwks_now.status, StatusCode::OK, "the JWKS is served from memory");
    assert_eq!(jwks_now.json(), jwks.json());
    assert!(proxy.refused() > 0, "the node tried to reconnect and was turned away");
    assert_eq!(proxy.live_connections(), 0, "nothing got through while cut");

    // The database comes back: no restart, the node is ready again by itself.
    proxy.restore();
    let restored = Instant::now();
    loop {
        let ready = send("readyz after the outage", get(&app, "/readyz")).await;
        if ready.status == StatusCode::OK {
            break;
        }
        assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE, "{}", ready.body);
        assert!(restored.elapsed() < RECOVERY_BOUND, "not ready {RECOVERY_BOUND:?} after the database came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("ready again {:?} after the database came back", restored.elapsed());

    // Nothing lost: the old refresh token, the pending code, the parked sign-in, and a new sign-in all work.
    let refreshed = send("refresh after the outage", refresh(&app, &client, &refresh_token)).await;
    let refreshed = tokens("refresh after the outage", &refreshed);
    assert_ne!(refreshed["refresh_token"], first["refresh_token"], "rotated");
    let info = send("userinfo after the outage", userinfo(&app, refreshed["access_token"].as_str().unwrap())).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.body);
    assert_eq!(info.json()["sub"], subject.as_str());
    let old = send("userinfo with the pre-outage token", userinfo(&app, &access_token)).await;
    assert_eq!(old.status, StatusCode::OK, "an access token from before the outage is still live: {}", old.body);

    let pending = send("pending code after the outage", exchange(&app, &client, &pending_code)).await;
    tokens("pending code after the outage", &pending);

    let login = send(
        "parked login after the outage",
        parked_browser.post(format!("{parked_page}/login")).form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "alice"),
            ("password", PASSWORD),
        ]),
    )
    .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "the parked sign-in resumes: {}", login.body);
    let next = login.header(LOCATION).expect("Location").to_owned();
    assert!(next.starts_with(&client.redirect_uri), "consent was given before the outage: {next}");
    let parked_code = query_param(&next, "code").expect("code");
    let exchanged = send("parked code after the outage", exchange(&app, &client, &parked_code)).await;
    tokens("parked code after the outage", &exchanged);

    let fresh_code = obtain_code(&app, &client, "alice").await;
    let fresh = exchange_code(&app, &client, &fresh_code, VERIFIER).await;
    let status = fresh.status();
    let body = fresh.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "a whole new sign-in after the outage: {body}");
}

// -----------------------------------------------------------------------------------------------------------------
// With the default connect timeout: the breaker answers at once
// -----------------------------------------------------------------------------------------------------------------

/// While the database is unreachable a request that needs it must be answered within this, whatever the connect
/// timeout (the breaker answers at once instead of waiting it out).
const FAIL_FAST_BOUND: Duration = Duration::from_secs(1);

fn introspect(app: &TestApp, client: &TestClient, token: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().post(app.url("/oauth/introspect")).form(&[
        ("token", token),
        ("client_id", client.id.as_str()),
        ("client_secret", client.secret.as_deref().expect("confidential client")),
    ])
}

fn revoke(app: &TestApp, client: &TestClient, token: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().post(app.url("/oauth/revoke")).form(&[
        ("token", token),
        ("client_id", client.id.as_str()),
        ("client_secret", client.secret.as_deref().expect("confidential client")),
    ])
}

/// The measured latencies, printed as one table at the end (`--nocapture` shows it).
#[derive(Default)]
struct Latencies(Vec<(String, StatusCode, Duration)>);

impl Latencies {
    fn record(&mut self, what: &str, answer: &Answer) {
        self.0.push((what.to_owned(), answer.status, answer.took));
    }

    fn print(&self) {
        eprintln!("\n{:<52} {:>6} {:>12}", "request", "status", "latency");
        for (what, status, took) in &self.0 {
            eprintln!("{what:<52} {:>6} {:>9.1} ms", status.as_u16(), took.as_secs_f64() * 1000.0);
        }
    }
}

/// A node whose database connections go through a proxy the test controls, with no background maintenance (it runs
/// every second in tests and would reach the database first): the test's requests are its only database users.
async fn node_behind_proxy(db: &PostgresDatabase) -> (Proxy, TestApp) {
    let proxy = Proxy::start(upstream_of(&db.url));
    let proxied = proxy.proxied_url(&db.url);
    let app = spawn_app_with(|s| {
        s.database_url = proxied.clone();
        s.key_reload_interval_secs = 3600;
        s.key_prepublish_secs = s.jwks_max_age_secs + 3600;
    })
    .await;
    (proxy, app)
}

/// alice signs in to a new client `faulty`, which exchanges the code: the client and its token response.
async fn first_tokens(app: &TestApp) -> (TestClient, Value) {
    app.add_user("alice");
    let client = app.add_client("faulty", ClientOptions::default());
    let code = obtain_code(app, &client, "alice").await;
    let first = exchange_code(app, &client, &code, VERIFIER).await;
    assert_eq!(first.status(), StatusCode::OK);
    (client, first.json().await.expect("token JSON"))
}

/// The pool hands out a PostgreSQL connection that answered within the last half second without checking it first
/// (`storage::connection::Liveness`). Connections cut right after they answered (a database restart, a network cut)
/// therefore fail the request that finds out: a 503 with Retry-After, never a 500. That loss makes the pool check
/// every other connection before it hands it out, so every request after it succeeds on a new connection, even
/// though the pool held several connections that had all just answered.
#[actix_web::test]
#[ignore = "needs PostgreSQL at IT_POSTGRES_URL (see README)"]
async fn postgres_fault_connections_cut_right_after_they_answered_fail_at_most_the_request_that_finds_out() {
    let db = require_postgres(
        "postgres_fault_connections_cut_right_after_they_answered_fail_at_most_the_request_that_finds_out",
    );
    let (proxy, app) = node_behind_proxy(&db).await;
    let (_client, first) = first_tokens(&app).await;
    let access_token = first["access_token"].as_str().expect("access token").to_owned();

    // Several pooled connections, each of which answered a moment ago.
    let burst = (0..6).map(|i| {
        let request = userinfo(&app, &access_token);
        async move { send(&format!("userinfo {i} of 6 at once (before the cut)"), request).await }
    });
    for answer in futures_util::future::join_all(burst).await {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    }
    let pooled = proxy.live_connections();
    assert!(pooled >= 2, "the pool holds several connections through the proxy ({pooled})");
    let forwarded = proxy.forwarded();

    proxy.cut();
    proxy.restore();
    let finds_out = send("userinfo right after the cut", userinfo(&app, &access_token)).await;
    if finds_out.status != StatusCode::OK {
        assert_unavailable("userinfo right after the cut", &finds_out);
    }
    // More requests than the pool held connections: without the check after a loss, each would get a dead one.
    for i in 1..=pooled + 1 {
        let what = format!("userinfo {i} after the one that found out");
        let answer = send(&what, userinfo(&app, &access_token)).await;
        assert_eq!(answer.status, StatusCode::OK, "{what}: {}", answer.body);
    }
    assert!(proxy.forwarded() > forwarded, "new connections replaced the cut ones");
}

/// With the DEFAULT `database_connect_timeout_secs` (5 s): once the database's connections are cut and new ones
/// reset, every request that needs the database (token, userinfo, introspection, revocation, authorize, a login page
/// and its form, readiness) answers 503 with Retry-After (`temporarily_unavailable` where the protocol has a place
/// for it) in under a second, every time, even many at once; discovery and the JWKS stay 200 from memory. Once the
/// database is back, the very first request succeeds: no readiness wait, no restart. Run with `--nocapture` for
/// the latency table.
#[actix_web::test]
#[ignore = "needs PostgreSQL at IT_POSTGRES_URL (see README)"]
async fn postgres_fault_with_the_default_connect_timeout_every_request_fails_fast_and_the_first_after_recovery_succeeds()
 {
    let db = require_postgres(
        "postgres_fault_with_the_default_connect_timeout_every_request_fails_fast_and_the_first_after_recovery_succeeds",
    );
    let (proxy, app) = node_behind_proxy(&db).await;
    let default_timeout = tessera::config::Settings::default().database_connect_timeout_secs;
    assert_eq!(default_timeout, 5);
    assert_eq!(app.state.settings.database_connect_timeout_secs, default_timeout, "the default connect timeout");

    let (client, first) = first_tokens(&app).await;
    let access_token = first["access_token"].as_str().expect("access token").to_owned();
    let refresh_token = first["refresh_token"].as_str().expect("refresh token").to_owned();
    let pending_code = obtain_code(&app, &client, "alice").await;
    let parked_browser = browser();
    let started = send("authorize before the outage", parked_browser.get(app.authorize_url(&client, &[]))).await;
    let parked_page = app.url(started.header(LOCATION).expect("Location"));
    let login_page = send("login page before the outage", parked_browser.get(&parked_page)).await;
    assert_eq!(login_page.status, StatusCode::OK);
    let csrf = form_field(&login_page.body, "csrf_token").expect("csrf token");
    let discovery = send("discovery before the outage", get(&app, "/.well-known/openid-configuration")).await;
    let jwks = send("JWKS before the outage", get(&app, "/.well-known/jwks.json")).await;
    assert!(proxy.live_connections() > 0, "the pool holds connections through the proxy");

    proxy.cut();
    let mut latencies = Latencies::default();
    for round in 1..=3 {
        let what = |name: &str| format!("{name} (outage, round {round})");
        let requests: Vec<(String, reqwest::RequestBuilder, bool)> = vec![
            (what("token: refresh"), refresh(&app, &client, &refresh_token), true),
            (what("token: code exchange"), exchange(&app, &client, &pending_code), true),
            (what("introspection"), introspect(&app, &client, &access_token), true),
            (what("revocation"), revoke(&app, &client, &refresh_token), true),
            (what("userinfo"), userinfo(&app, &access_token), true),
            (what("login page"), parked_browser.get(&parked_page), false),
            (
                what("login form"),
                parked_browser.post(format!("{parked_page}/login")).form(&[
                    ("csrf_token", csrf.as_str()),
                    ("username", "alice"),
                    ("password", PASSWORD),
                ]),
                false,
            ),
            (what("readyz"), get(&app, "/readyz"), false),
        ];
        for (name, request, json) in requests {
            let answer = send(&name, request).await;
            latencies.record(&name, &answer);
            if json {
                assert_temporarily_unavailable_json(&name, &answer);
            } else {
                assert_unavailable(&name, &answer);
            }
            assert!(
                answer.took < FAIL_FAST_BOUND,
                "{name} took {:?} (connect timeout {default_timeout} s)",
                answer.took
            );
        }
        // The client is known from this node's memory, so its redirect URI is verified: the outage goes back to it
        // (RFC 6749 §4.1.2.1 temporarily_unavailable), as fast.
        let name = what("authorize");
        let known = send(&name, browser().get(app.authorize_url(&client, &[]))).await;
        latencies.record(&name, &known);
        assert_eq!(known.status, StatusCode::SEE_OTHER, "{}", known.body);
        let to = known.header(LOCATION).expect("Location");
        assert_eq!(query_param(to, "error").as_deref(), Some("temporarily_unavailable"), "{to}");
        assert!(known.took < FAIL_FAST_BOUND, "{name} took {:?}", known.took);
        for (name, path, expected) in [
            ("discovery", "/.well-known/openid-configuration", &discovery.body),
            ("JWKS", "/.well-known/jwks.json", &jwks.body),
        ] {
            let answer = send(&what(name), get(&app, path)).await;
            latencies.record(&what(name), &answer);
            assert_eq!(answer.status, StatusCode::OK, "{name} is served from memory");
            assert_eq!(&answer.body, expected);
        }
    }
    // Many at once: none waits for another's connection attempt.
    let burst = (0..8).map(|i| {
        let request = userinfo(&app, &access_token);
        async move { send(&format!("userinfo (outage, {i} of 8 at once)"), request).await }
    });
    for (i, answer) in futures_util::future::join_all(burst).await.into_iter().enumerate() {
        let name = format!("userinfo (outage, {} of 8 at once)", i + 1);
        latencies.record(&name, &answer);
        assert_unavailable(&name, &answer);
        assert!(answer.took < FAIL_FAST_BOUND, "{name} took {:?}", answer.took);
    }
    assert_eq!(proxy.live_connections(), 0, "nothing got through while cut");

    // The database comes back: the very first request succeeds.
    proxy.restore();
    let answer = send("token: refresh (first request after the outage)", refresh(&app, &client, &refresh_token)).await;
    latencies.record("token: refresh (first request after the outage)", &answer);
    let refreshed = tokens("the first request after the outage", &answer);
    let after = [
        ("userinfo (after)", userinfo(&app, refreshed["access_token"].as_str().unwrap())),
        ("introspection (after)", introspect(&app, &client, &access_token)),
        ("token: code exchange (after)", exchange(&app, &client, &pending_code)),
        ("readyz (after)", get(&app, "/readyz")),
        ("authorize (after)", browser().get(app.authorize_url(&client, &[]))),
        ("login page (after)", parked_browser.get(&parked_page)),
    ];
    for (name, request) in after {
        let answer = send(name, request).await;
        latencies.record(name, &answer);
        assert!(answer.status == StatusCode::OK || answer.status == StatusCode::SEE_OTHER, "{name}: {}", answer.body);
    }
    latencies.print();
}
