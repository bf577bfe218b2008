//! Two `tessera serve` processes on one PostgreSQL database, as behind a load balancer without sticky sessions:
//! a browser session, a parked login page, codes and refresh tokens are valid on either node; reuse detection
//! and revocation reach the other node at once; 100-way races across nodes give exactly one success; a key
//! rotation made by the CLI reaches both nodes within a bounded time.
//!
//! The nodes are the real binary with the settings of the environment (`TESSERA_*`), the user and the client are
//! registered with the CLI, and the test looks into the database only to count rows. Each test function starts its
//! own pair of nodes on its own database; the processes are killed when the test ends, also when it panics.

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use diesel::sql_types::{BigInt, Bool, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use reqwest::StatusCode;
use serde_json::Value;
use tempfile::TempDir;

use crate::helpers::{
    CHALLENGE, PASSWORD, PostgresDatabase, VERIFIER, browser, form_field, location, query_param, require_postgres,
};
use crate::helpers::{jwt_part, kid_of};

const CLIENT_ID: &str = "app";
const REDIRECT_URI: &str = "http://127.0.0.1:9/cb";
const USERNAME: &str = "alice";
/// How long a node may take from spawn to `/readyz` = 200 (migrations, key generation, a loaded CI machine).
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Concurrent requests in the races.
const RACERS: usize = 100;

/// One `tessera serve` process, killed (and reaped) when dropped.
struct Node {
    name: &'static str,
    base: String,
    child: Child,
    log: PathBuf,
}

impl Node {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The end of the node's log, for failure messages.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two nodes on one database, a user and a confidential client registered with the CLI.
struct Cluster {
    // Fields drop in order: the processes go before their database and their data dir.
    a: Node,
    b: Node,
    /// The public URL behind the load balancer (node A's URL), the same on both nodes.
    issuer: String,
    secret: String,
    db: PostgresDatabase,
    dir: TempDir,
}

fn free_ports() -> (u16, u16) {
    // Both listeners are held until both ports are known, so the two ports differ.
    let a = TcpListener::bind("127.0.0.1:0").expect("bind");
    let b = TcpListener::bind("127.0.0.1:0").expect("bind");
    (a.local_addr().expect("addr").port(), b.local_addr().expect("addr").port())
}

fn unix_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs() as i64
}

fn millis(d: Duration) -> u128 {
    d.as_millis()
}

impl Cluster {
    /// Starts both nodes at the same moment on an empty database (so they race on migrations and on creating
    /// the first keys), waits until both are ready and registers alice and the client `app` with the CLI.
    async fn start(test: &str) -> Cluster {
        Cluster::start_with_grace(test, 0).await
    }

    /// `grace_secs`: the nodes' refresh_token_reuse_grace_secs (0 makes every replay a reuse).
    async fn start_with_grace(test: &str, grace_secs: u64) -> Cluster {
        Cluster::start_on(test, grace_secs, "127.0.0.1").await
    }

    /// The issuer is `http://{issuer_host}:PORT_A`; the nodes are reached at 127.0.0.1 whatever it is. With
    /// `localhost` the nodes offer passkeys (a WebAuthn RP id must be a domain, not an address), and a ceremony's
    /// origin is the issuer's, as a browser behind a load balancer sends it to either node.
    async fn start_on(test: &str, grace_secs: u64, issuer_host: &str) -> Cluster {
        let db = require_postgres(test);
        let dir = tempfile::tempdir().expect("temp dir");
        let (port_a, port_b) = free_ports();
        let issuer = format!("http://{issuer_host}:{port_a}");
        let started = Instant::now();
        let spawn = |name: &'static str, port: u16| -> Node {
            let log = dir.path().join(format!("node-{name}.log"));
            let file = std::fs::File::create(&log).expect("log file");
            let child = tessera_command(&db, &dir, &issuer)
                .arg("serve")
                .env("TESSERA_BIND", format!("127.0.0.1:{port}"))
                .env("TESSERA_WORKERS", "2")
                .env("TESSERA_REFRESH_TOKEN_REUSE_GRACE_SECS", grace_secs.to_string())
                .env("RUST_LOG", "info")
                .stdin(Stdio::null())
                .stdout(file.try_clone().expect("log file"))
                .stderr(file)
                .spawn()
                .expect("spawn tessera serve");
            Node { name, base: format!("http://127.0.0.1:{port}"), child, log }
        };
        let mut a = spawn("A", port_a);
        let mut b = spawn("B", port_b);
        let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().expect("client");
        let mut ready = [false, false];
        while ready != [true, true] {
            for (i, node) in [&mut a, &mut b].into_iter().enumerate() {
                if ready[i] {
                    continue;
                }
                if let Ok(Some(status)) = node.child.try_wait() {
                    panic!("node {} exited during start ({status}):\n{}", node.name, node.log_tail());
                }
                let response = http.get(node.url("/readyz")).send().await;
                ready[i] = response.is_ok_and(|r| r.status() == StatusCode::OK);
            }
            if started.elapsed() > START_TIMEOUT {
                panic!("nodes not ready after {START_TIMEOUT:?}:\nA:\n{}\nB:\n{}", a.log_tail(), b.log_tail());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        eprintln!("{test}: both nodes ready after {} ms", millis(started.elapsed()));
        let mut cluster = Cluster { a, b, issuer, secret: String::new(), db, dir };
        let added = cluster.cli_ok(
            &["user", "add", USERNAME, "--email", "alice@example.com", "--name", "Alice", "--password-stdin"],
            Some(&format!("{PASSWORD}\n")),
        );
        assert!(added.contains("added user alice"), "{added}");
        let client = cluster.cli_ok(
            &["client", "add", "--id", CLIENT_ID, "--redirect-uri", REDIRECT_URI, "--skip-consent", "--json"],
            None,
        );
        let client: Value = serde_json::from_str(&client).expect("client add --json");
        cluster.secret = client["client_secret"].as_str().expect("client_secret").to_owned();
        cluster
    }

    fn nodes(&self) -> [&Node; 2] {
        [&self.a, &self.b]
    }

    /// `tessera ARGS` against the cluster's database, with the nodes' settings.
    fn cli(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = tessera_command(&self.db, &self.dir, &self.issuer)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn tessera");
        let mut pipe = child.stdin.take().expect("stdin");
        if let Some(input) = stdin {
            pipe.write_all(input.as_bytes()).expect("write stdin");
        }
        drop(pipe);
        child.wait_with_output().expect("tessera output")
    }

    fn cli_ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.cli(args, stdin);
        assert!(out.status.success(), "tessera {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// An authorization URL at `node` for the client, with PKCE (RFC 7636 Appendix B) and `extra` parameters.
    fn authorize_url(&self, node: &Node, extra: &[(&str, &str)]) -> String {
        let mut url = url::Url::parse(&node.url("/oauth/authorize")).expect("url");
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", CLIENT_ID)
            .append_pair("redirect_uri", REDIRECT_URI)
            .append_pair("scope", "openid profile email")
            .append_pair("state", "state-123")
            .append_pair("nonce", "nonce-456")
            .append_pair("code_challenge", CHALLENGE)
            .append_pair("code_challenge_method", "S256")
            .extend_pairs(extra);
        url.to_string()
    }

    /// Starts an authorization request at `authorize_at`; if a login page is needed, shows it and posts the
    /// password through `login_at`. Returns the code of the redirect to the client and whether a login page was
    /// shown.
    async fn authorize(
        &self,
        browser: &reqwest::Client,
        authorize_at: &Node,
        login_at: &Node,
        extra: &[(&str, &str)],
    ) -> (String, bool) {
        let response = browser.get(self.authorize_url(authorize_at, extra)).send().await.expect("authorize");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "authorize at {} should redirect", authorize_at.name);
        let mut next = location(&response);
        let mut logged_in = false;
        if next.starts_with("/interaction/") {
            let page_url = login_at.url(&next);
            let page = browser.get(&page_url).send().await.expect("login page");
            assert_eq!(page.status(), StatusCode::OK, "login page {page_url}");
            let html = page.text().await.expect("body");
            assert!(html.contains("name=\"password\""), "a login page: {html}");
            let csrf = form_field(&html, "csrf_token").expect("csrf token on the login page");
            let response = browser
                .post(format!("{page_url}/login"))
                .form(&[("csrf_token", csrf.as_str()), ("username", USERNAME), ("password", PASSWORD)])
                .send()
                .await
                .expect("post login");
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "login at {} should answer 303", login_at.name);
            next = location(&response);
            logged_in = true;
        }
        assert!(next.starts_with(&format!("{REDIRECT_URI}?")), "redirected to the client, got {next}");
        assert_eq!(query_param(&next, "state").as_deref(), Some("state-123"));
        assert_eq!(query_param(&next, "iss").as_deref(), Some(self.issuer.as_str()), "RFC 9207 iss: the issuer");
        (query_param(&next, "code").expect("code in the redirect"), logged_in)
    }

    async fn token(&self, node: &Node, form: &[(&str, &str)]) -> reqwest::Response {
        let mut form = form.to_vec();
        form.extend([("client_id", CLIENT_ID), ("client_secret", self.secret.as_str())]);
        reqwest::Client::new().post(node.url("/oauth/token")).form(&form).send().await.expect("token request")
    }

    async fn redeem(&self, node: &Node, code: &str) -> reqwest::Response {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
        ];
        self.token(node, &form).await
    }

    async fn refresh(&self, node: &Node, refresh_token: &str) -> reqwest::Response {
        self.token(node, &[("grant_type", "refresh_token"), ("refresh_token", refresh_token)]).await
    }

    /// A fresh sign-in at `node` and the tokens `node` issues for it.
    async fn tokens_from(&self, node: &Node) -> Tokens {
        let (code, _) = self.authorize(&browser(), node, node, &[]).await;
        Tokens::ok(self.redeem(node, &code).await).await
    }

    fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.db.url).expect("connect to the test database")
    }
}

/// `tessera` with only the cluster's settings in the environment (unknown `TESSERA_*` variables are errors, and
/// the caller's own must not leak in).
fn tessera_command(db: &PostgresDatabase, dir: &TempDir, issuer: &str) -> Command {
    let mut command = crate::helpers::tessera_command();
    command
        .env("TESSERA_DATABASE_URL", &db.url)
        .env("TESSERA_ISSUER", issuer)
        .env("TESSERA_DATA_DIR", dir.path())
        .env("TESSERA_JWKS_MAX_AGE_SECS", "1")
        .env("TESSERA_KEY_RELOAD_INTERVAL_SECS", "1")
        .env("TESSERA_KEY_PREPUBLISH_SECS", "2")
        .env("TESSERA_REGISTRATION", "initial-access-token");
    command
}

/// A successful token response.
struct Tokens {
    access: String,
    refresh: String,
    id: String,
}

impl Tokens {
    async fn ok(response: reqwest::Response) -> Tokens {
        let status = response.status();
        let body: Value = response.json().await.expect("JSON body");
        assert_eq!(status, StatusCode::OK, "{body}");
        let field = |name: &str| body[name].as_str().unwrap_or_else(|| panic!("no {name} in {body}")).to_owned();
        Tokens { access: field("access_token"), refresh: field("refresh_token"), id: field("id_token") }
    }
}

async fn assert_invalid_grant(response: reqwest::Response, what: &str) {
    let status = response.status();
    let body: Value = response.json().await.expect("JSON body");
    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert_eq!(body["error"], "invalid_grant", "{what}: {body}");
}

async fn userinfo(node: &Node, access_token: &str) -> StatusCode {
    let response = reqwest::Client::new().get(node.url("/userinfo")).bearer_auth(access_token).send().await;
    response.expect("userinfo request").status()
}

/// The kids a node publishes, sorted.
async fn jwks_kids(node: &Node) -> Vec<String> {
    let response = reqwest::get(node.url("/.well-known/jwks.json")).await.expect("jwks");
    assert_eq!(response.status(), StatusCode::OK);
    let cache = response.headers().get("cache-control").expect("cache-control").to_str().expect("ascii").to_owned();
    assert_eq!(cache, "public, max-age=1", "node {}: the configured JWKS cache lifetime", node.name);
    let jwks: Value = response.json().await.expect("JSON");
    let mut kids: Vec<String> =
        jwks["keys"].as_array().expect("keys").iter().map(|k| k["kid"].as_str().expect("kid").to_owned()).collect();
    kids.sort();
    kids
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct GrantOf {
    #[diesel(sql_type = Text)]
    grant_id: String,
    #[diesel(sql_type = Bool)]
    revoked: bool,
}

#[derive(QueryableByName)]
struct KeyRow {
    #[diesel(sql_type = Text)]
    kid: String,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = BigInt)]
    created_at: i64,
}

/// The grant a refresh token belongs to, and whether it is revoked.
fn grant_of_refresh_token(conn: &mut PgConnection, refresh_token: &str) -> GrantOf {
    diesel::sql_query(
        "SELECT r.grant_id, g.revoked_at IS NOT NULL AS revoked FROM refresh_tokens r \
         JOIN grants g ON g.id = r.grant_id WHERE r.token_hash = $1",
    )
    .bind::<Text, _>(tessera::secrets::token_hash(refresh_token))
    .get_result(conn)
    .expect("the refresh token is stored")
}

fn refresh_tokens_of_grant(conn: &mut PgConnection, grant_id: &str) -> i64 {
    diesel::sql_query("SELECT count(*) AS n FROM refresh_tokens WHERE grant_id = $1")
        .bind::<Text, _>(grant_id)
        .get_result::<Count>(conn)
        .expect("count refresh tokens")
        .n
}

fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).expect("count").n
}

fn keys(conn: &mut PgConnection) -> Vec<KeyRow> {
    diesel::sql_query("SELECT kid, state, created_at FROM signing_keys ORDER BY created_at, kid")
        .load(conn)
        .expect("signing keys")
}

fn key_in_state(keys: &[KeyRow], state: &str) -> String {
    let matching: Vec<&KeyRow> = keys.iter().filter(|k| k.state == state).collect();
    assert_eq!(matching.len(), 1, "exactly one {state} key");
    matching[0].kid.clone()
}

/// Sends `RACERS` requests at once, alternating between the two nodes, and returns each status with its body.
async fn race(cluster: &Cluster, form: Vec<(&'static str, String)>) -> Vec<(StatusCode, Value)> {
    let mut form = form;
    form.extend([("client_id", CLIENT_ID.to_owned()), ("client_secret", cluster.secret.clone())]);
    // Open the connections first (RACERS at once, kept idle), so the racers do not trickle in one TCP handshake
    // after another; the barrier then releases them together.
    let http = reqwest::Client::builder().pool_max_idle_per_host(RACERS).build().expect("client");
    let warm: Vec<_> = (0..RACERS)
        .map(|i| {
            let (http, url) = (http.clone(), cluster.nodes()[i % 2].url("/healthz"));
            tokio::spawn(async move {
                let response = http.get(url).send().await.expect("healthz");
                // Read to the end, so the connection goes back to the pool.
                (response.status(), response.text().await.expect("body"))
            })
        })
        .collect();
    for task in warm {
        assert_eq!(task.await.expect("warm-up").0, StatusCode::OK);
    }
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
    let tasks: Vec<_> = (0..RACERS)
        .map(|i| {
            let url = cluster.nodes()[i % 2].url("/oauth/token");
            let (http, form, start) = (http.clone(), form.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                let response = http.post(url).form(&form).send().await.expect("token request");
                let status = response.status();
                let body = response.json::<Value>().await.unwrap_or(Value::Null);
                (status, body)
            })
        })
        .collect();
    let mut results = Vec::with_capacity(RACERS);
    for task in tasks {
        results.push(task.await.expect("racer"));
    }
    results
}

/// Exactly one 200; every other answer 400 invalid_grant (in particular no 5xx). Returns the winner's body.
fn exactly_one_success(results: Vec<(StatusCode, Value)>, what: &str) -> Value {
    let statuses: Vec<u16> = results.iter().map(|(s, _)| s.as_u16()).collect();
    assert!(statuses.iter().all(|s| *s < 500), "{what}: no 5xx under the race: {statuses:?}");
    let (winners, losers): (Vec<_>, Vec<_>) = results.into_iter().partition(|(s, _)| *s == StatusCode::OK);
    assert_eq!(winners.len(), 1, "{what}: exactly one success: {statuses:?}");
    for (status, body) in &losers {
        assert_eq!(*status, StatusCode::BAD_REQUEST, "{what}: {body}");
        assert_eq!(body["error"], "invalid_grant", "{what}: {body}");
    }
    winners.into_iter().next().expect("one winner").1
}

/// Health probes, a browser session and a parked login page shared by both nodes, codes redeemed on the other
/// node, refresh-token and code reuse detected across nodes.
#[actix_web::test]
#[ignore = "needs PostgreSQL at IT_POSTGRES_URL (see README)"]
async fn postgres_multi_node_sessions_codes_and_reuse_detection_span_nodes() {
    let c = Cluster::start("postgres_multi_node_sessions_codes_and_reuse_detection_span_nodes").await;
    let t0 = Instant::now();

    // Health: /healthz (process up) and /readyz (database reachable, keys loaded) on both nodes; one issuer.
    for node in c.nodes() {
        for probe in ["/healthz", "/readyz"] {
            let response = reqwest::get(node.url(probe)).await.expect("probe");
            assert_eq!(response.status(), StatusCode::OK, "{probe} on node {}", node.name);
        }
        let discovery: Value = reqwest::get(node.url("/.well-known/openid-configuration"))
            .await
            .expect("discovery")
            .json()
            .await
            .expect("JSON");
        assert_eq!(discovery["issuer"], c.issuer.as_str(), "node {}: the public issuer", node.name);
        assert_eq!(discovery["token_endpoint"], format!("{}/oauth/token", c.issuer), "node {}", node.name);
    }

    // 1. No sticky sessions. A login on node A...
    let alice = browser();
    let (code, logged_in) = c.authorize(&alice, &c.a, &c.a, &[]).await;
    assert!(logged_in, "a first visit shows the login page");
    // ... gives a code that node B redeems.
    let first = Tokens::ok(c.redeem(&c.b, &code).await).await;
    let claims = jwt_part(&first.id, 1);
    assert_eq!(claims["iss"], c.issuer.as_str());
    assert_eq!(claims["nonce"], "nonce-456");
    assert_eq!(userinfo(&c.a, &first.access).await, StatusCode::OK, "B's access token accepted by A");
    // The session cookie (cookies ignore ports) is valid on node B: straight to the code, no login page.
    let (code, logged_in) = c.authorize(&alice, &c.b, &c.b, &[]).await;
    assert!(!logged_in, "node B knows the session started on node A");
    let second = Tokens::ok(c.redeem(&c.a, &code).await).await;
    assert_eq!(jwt_part(&second.id, 1)["sub"], claims["sub"], "the same user");
    assert_eq!(jwt_part(&second.id, 1)["auth_time"], claims["auth_time"], "the same session");
    // Without the cookie, node B does ask for a login; the page parked by B is shown and posted on A.
    let (code, logged_in) = c.authorize(&browser(), &c.b, &c.a, &[]).await;
    assert!(logged_in, "a browser without a session logs in");
    Tokens::ok(c.redeem(&c.b, &code).await).await;

    // 2. A refresh token rotated on A and replayed on B: reuse detected, the whole grant revoked everywhere.
    let rotated = Tokens::ok(c.refresh(&c.a, &first.refresh).await).await;
    assert_eq!(userinfo(&c.b, &rotated.access).await, StatusCode::OK, "the rotated grant works on B");
    assert_invalid_grant(c.refresh(&c.b, &first.refresh).await, "a rotated refresh token replayed on B").await;
    assert_invalid_grant(c.refresh(&c.a, &rotated.refresh).await, "the successor after reuse detection, on A").await;
    assert_eq!(userinfo(&c.b, &rotated.access).await, StatusCode::UNAUTHORIZED, "the grant's access token, on B");
    assert_eq!(userinfo(&c.a, &first.access).await, StatusCode::UNAUTHORIZED, "the first access token, on A");
    // Other grants of the same user are untouched.
    assert_eq!(userinfo(&c.b, &second.access).await, StatusCode::OK, "another grant is not revoked");

    // 3. A code redeemed on A and replayed on B: refused, and what A issued for it is revoked on B at once.
    let (code, _) = c.authorize(&alice, &c.a, &c.a, &[]).await;
    let redeemed = Tokens::ok(c.redeem(&c.a, &code).await).await;
    assert_eq!(userinfo(&c.b, &redeemed.access).await, StatusCode::OK);
    assert_invalid_grant(c.redeem(&c.b, &code).await, "a code redeemed on A, replayed on B").await;
    assert_eq!(userinfo(&c.b, &redeemed.access).await, StatusCode::UNAUTHORIZED, "A's access token, on B");
    assert_eq!(userinfo(&c.a, &redeemed.access).await, StatusCode::UNAUTHORIZED, "A's access token, on A");
    assert_invalid_grant(c.refresh(&c.b, &redeemed.refresh).await, "the refresh token of a replayed code").await;

    // 4. Revocation (RFC 7009) on A is seen by B at once: the access token, then the whole grant.
    let (code, _) = c.authorize(&alice, &c.a, &c.a, &[]).await;
    let issued = Tokens::ok(c.redeem(&c.a, &code).await).await;
    let post = |node: &Node, path: &str, token: &str| {
        let form =
            [("token", token.to_owned()), ("client_id", CLIENT_ID.to_owned()), ("client_secret", c.secret.clone())];
        reqwest::Client::new().post(node.url(path)).form(&form).send()
    };
    assert_eq!(post(&c.a, "/oauth/revoke", &issued.access).await.expect("revoke").status(), StatusCode::OK);
    assert_eq!(userinfo(&c.b, &issued.access).await, StatusCode::UNAUTHORIZED, "revoked on A, refused by B");
    let introspection: Value =
        post(&c.b, "/oauth/introspect", &issued.access).await.expect("introspect").json().await.expect("JSON");
    assert_eq!(introspection["active"], false, "inactive on B");
    assert_eq!(post(&c.a, "/oauth/revoke", &issued.refresh).await.expect("revoke").status(), StatusCode::OK);
    assert_invalid_grant(c.refresh(&c.b, &issued.refresh).await, "a refresh token revoked on A, used on B").await;

    // No node fell over on the way.
    for node in c.nodes() {
        let response = reqwest::get(node.url("/readyz")).await.expect("probe");
        assert_eq!(response.status(), StatusCode::OK, "/readyz on node {} at the end", node.name);
    }
    eprintln!("scenarios took {} ms", millis(t0.elapsed()));
}

/// 100 concurrent redemptions of one code, then 100 concurrent uses of one refresh token, spread over both
/// nodes: exactly one success each, no 5xx, no extra grant or refresh token.
#[actix_web::test]
#[ignore = "needs PostgreSQL at IT_POSTGRES_URL (see README)"]
async fn postgres_multi_node_races_across_nodes_succeed_exactly_once() {
    // A grace window longer than the race: every concurrent use of the refresh token gets the same successor.
    let c = Cluster::start_with_grace("postgres_multi_node_races_across_nodes_succeed_exactly_once", 60).await;
    let t0 = Instant::now();
    let mut conn = c.connect();
    let alice = browser();

    // One code, RACERS redemptions at once.
    let (code, _) = c.authorize(&alice, &c.a, &c.a, &[]).await;
    let form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("code", code),
        ("redirect_uri", REDIRECT_URI.to_owned()),
        ("code_verifier", VERIFIER.to_owned()),
    ];
    let winner = exactly_one_success(race(&c, form).await, "code redemptions");
    let refresh = winner["refresh_token"].as_str().expect("refresh token");
    let access = winner["access_token"].as_str().expect("access token");
    let grant = grant_of_refresh_token(&mut conn, refresh);
    assert_eq!(refresh_tokens_of_grant(&mut conn, &grant.grant_id), 1, "one redemption issued one refresh token");
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM grants"), 1, "one grant per code");
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM authorization_codes WHERE used_at IS NOT NULL"), 1);
    // The losers are replays of a used code (RFC 6749 §4.1.2): what the winner got is revoked on both nodes.
    assert!(grant.revoked, "replays of the code revoke its grant");
    for node in c.nodes() {
        assert_eq!(userinfo(node, access).await, StatusCode::UNAUTHORIZED, "node {}", node.name);
    }
    eprintln!("code race done after {} ms", millis(t0.elapsed()));

    // One refresh token, RACERS uses at once, within the grace window (RFC 9700 §4.14.2 allows it so that two
    // tabs refreshing together do not log the user out): every use succeeds with the SAME successor, the token is
    // rotated exactly once and nothing is duplicated.
    let (code, _) = c.authorize(&alice, &c.b, &c.b, &[]).await;
    let issued = Tokens::ok(c.redeem(&c.a, &code).await).await;
    let grant = grant_of_refresh_token(&mut conn, &issued.refresh);
    assert!(!grant.revoked);
    let form = vec![("grant_type", "refresh_token".to_owned()), ("refresh_token", issued.refresh.clone())];
    let results = race(&c, form).await;
    let statuses: Vec<u16> = results.iter().map(|(s, _)| s.as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "every use within the grace window succeeds: {statuses:?}");
    let successors: std::collections::HashSet<&str> =
        results.iter().map(|(_, body)| body["refresh_token"].as_str().expect("successor")).collect();
    assert_eq!(successors.len(), 1, "one successor for all of them");
    let successor = successors.into_iter().next().expect("successor").to_owned();
    assert_ne!(successor, issued.refresh);
    let after = grant_of_refresh_token(&mut conn, &successor);
    assert_eq!(after.grant_id, grant.grant_id, "the successor belongs to the same grant");
    assert!(!after.revoked);
    assert_eq!(
        refresh_tokens_of_grant(&mut conn, &grant.grant_id),
        2,
        "the original and exactly one successor: no duplicated refresh token"
    );
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM grants"), 2, "no duplicated grant");
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM refresh_tokens WHERE rotated_at IS NOT NULL"),
        1,
        "the token was rotated once"
    );
    // The successor works, on either node; once it is used, the original is a replay again.
    let next = Tokens::ok(c.refresh(&c.b, &successor).await).await;
    assert_invalid_grant(c.refresh(&c.a, &issued.refresh).await, "the original after its successor was used").await;
    assert_invalid_grant(c.refresh(&c.a, &next.refresh).await, "the grant is revoked after that replay").await;
    for node in c.nodes() {
        let response = reqwest::get(node.url("/readyz")).await.expect("probe");
        assert_eq!(response.status(), StatusCode::OK, "/readyz on node {} after the races", node.name);
    }
    eprintln!("races took {} ms", millis(t0.elapsed()));
}

/// Both nodes start at once on an empty database and agree on one key set. `tessera keys rotate` promotes the key
/// both nodes have published since the start; a second rotation right after it is refused (the new next key has
/// not been published for key_prepublish_secs); within a bounded time every node publishes the new set and signs
/// with the new key, while tokens signed before keep working on every node.
#[actix_web::test]
#[ignore = "needs PostgreSQL at IT_POSTGRES_URL (see README)"]
async fn postgres_multi_node_key_rotation_reaches_every_node() {
    let c = Cluster::start("postgres_multi_node_key_rotation_reaches_every_node").await;
    let t0 = Instant::now();
    let mut conn = c.connect();

    // One key set for both nodes (they bootstrapped it concurrently): one current, one next, both published.
    let stored = keys(&mut conn);
    assert_eq!(stored.len(), 2, "one current and one next key, not one pair per node");
    let old_kid = key_in_state(&stored, "current");
    let next_kid = key_in_state(&stored, "next");
    let next_created_at = stored.iter().find(|k| k.kid == next_kid).expect("next").created_at;
    let mut published = vec![old_kid.clone(), next_kid.clone()];
    published.sort();
    // Both nodes publish the next key from the start, so it may sign once it is 2 s old.
    for node in c.nodes() {
        assert_eq!(jwks_kids(node).await, published, "node {} publishes the one key set", node.name);
    }

    // Tokens signed by each node before the rotation.
    let before_a = c.tokens_from(&c.a).await;
    let before_b = c.tokens_from(&c.b).await;
    for tokens in [&before_a, &before_b] {
        assert_eq!(kid_of(&tokens.access), old_kid);
        assert_eq!(kid_of(&tokens.id), old_kid);
    }

    // Wait until the next key has been published for 2 s (timestamps are whole seconds), then rotate.
    let ready_at = UNIX_EPOCH + Duration::from_secs(next_created_at as u64 + 2) + Duration::from_millis(50);
    if let Ok(wait) = ready_at.duration_since(SystemTime::now()) {
        tokio::time::sleep(wait).await;
    }
    let rotated = c.cli_ok(&["keys", "rotate"], None);
    let rotated_at = Instant::now();
    assert!(rotated.contains(&next_kid), "the key published in advance signs now: {rotated}");
    let stored = keys(&mut conn);
    assert_eq!(key_in_state(&stored, "current"), next_kid);
    assert_eq!(key_in_state(&stored, "previous"), old_kid);
    let fresh_next = key_in_state(&stored, "next");
    let fresh_created_at = stored.iter().find(|k| k.kid == fresh_next).expect("next").created_at;
    assert!(!published.contains(&fresh_next), "rotation generated a new next key");

    // Too early: the new next key has just been generated, so rotating again at once is refused. Certain as long
    // as the wall clock is still short of its creation + key_prepublish_secs (a very slow machine may not be).
    let again = c.cli(&["keys", "rotate"], None);
    let too_early = unix_secs() < fresh_created_at + 2;
    let stderr = String::from_utf8_lossy(&again.stderr);
    if again.status.success() {
        assert!(!too_early, "a next key published for less than key_prepublish_secs was promoted");
        eprintln!("note: too slow to observe the refusal of an early rotation; the second rotation went through");
    } else {
        assert!(stderr.contains("published"), "refused for the prepublication window: {stderr}");
        assert_eq!(key_in_state(&keys(&mut conn), "current"), next_kid, "a refused rotation changes nothing");
    }
    // What every node must publish and sign with now, as stored.
    let stored = keys(&mut conn);
    let new_kid = key_in_state(&stored, "current");
    let mut expected: Vec<String> = stored.iter().filter(|k| k.state != "retired").map(|k| k.kid.clone()).collect();
    expected.sort();
    assert!(expected.contains(&old_kid), "the previous key stays published while its tokens live");

    // Both nodes reload the key set (key_reload_interval_secs = 1) within a bounded time.
    let bound = Duration::from_secs(5);
    let mut pending: Vec<&Node> = c.nodes().to_vec();
    while !pending.is_empty() {
        let mut still = Vec::new();
        for node in pending {
            if jwks_kids(node).await != expected {
                still.push(node);
            }
        }
        pending = still;
        if !pending.is_empty() {
            let names: Vec<&str> = pending.iter().map(|n| n.name).collect();
            assert!(rotated_at.elapsed() < bound, "nodes {names:?} still publish the old key set after {bound:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    eprintln!("both nodes publish the new key set {} ms after the rotation", millis(rotated_at.elapsed()));

    // Tokens newly issued by each node carry the new kid, and verify on both nodes.
    for node in c.nodes() {
        let after = c.tokens_from(node).await;
        assert_eq!(kid_of(&after.access), new_kid, "access token newly signed by node {}", node.name);
        assert_eq!(kid_of(&after.id), new_kid, "ID token newly signed by node {}", node.name);
        for verifier in c.nodes() {
            assert_eq!(userinfo(verifier, &after.access).await, StatusCode::OK, "node {}", verifier.name);
        }
    }
    // Tokens signed before the rotation, by either node, still work on both nodes.
    for (signer, tokens) in [("A", &before_a), ("B", &before_b)] {
        for node in c.nodes() {
            assert_eq!(
                userinfo(node, &tokens.access).await,
                StatusCode::OK,
                "a token signed by {signer} before the rotation, at node {}",
                node.name
            );
        }
    }
    eprintln!("key rotation scenario took {} ms", millis(t0.elapsed()));
}

/// RFC 7591 §3 across nodes: an initial access token allowing 3 registrations, used by 20 registrations at once
/// through both nodes, registers exactly 3 clients (its uses are counted in the database); a registration made at
/// one node is read and deleted at the other with its registration access token.
#[actix_web::test]
#[ignore = "needs PostgreSQL at IT_POSTGRES_URL (see README)"]
async fn postgres_multi_node_initial_access_token_uses_are_shared_by_every_node() {
    let c = Cluster::start("postgres_multi_node_initial_access_token_uses_are_shared_by_every_node").await;
    let out = c.cli_ok(&["registration", "token", "create", "--uses", "3"], None);
    let token = out
        .lines()
        .find_map(|l| l.strip_prefix("initial_access_token:"))
        .map(|t| t.trim().to_owned())
        .expect("a token printed");
    let body = serde_json::json!({"redirect_uris": [REDIRECT_URI], "client_name": "Raced"});
    let http = reqwest::Client::new();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let (http, url, token, body) =
                (http.clone(), c.nodes()[i % 2].url("/oauth/register"), token.clone(), body.clone());
            tokio::spawn(async move {
                let response = http.post(url).bearer_auth(token).json(&body).send().await.expect("register");
                (response.status(), response.json::<Value>().await.unwrap_or(Value::Null))
            })
        })
        .collect();
    let mut created = Vec::new();
    for task in tasks {
        let (status, body) = task.await.expect("racer");
        match status {
            StatusCode::CREATED => created.push(body),
            StatusCode::UNAUTHORIZED => assert_eq!(body["error"], "invalid_token"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(created.len(), 3, "exactly the token's uses");
    let first = &created[0];
    let path = first["registration_client_uri"].as_str().unwrap().trim_start_matches(&c.issuer).to_owned();
    let rat = first["registration_access_token"].as_str().unwrap();
    for node in c.nodes() {
        let read = http.get(node.url(&path)).bearer_auth(rat).send().await.unwrap();
        assert_eq!(read.status(), StatusCode::OK, "node {}", node.name);
    }
    let deleted = http.delete(c.b.url(&path)).bearer_auth(rat).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = http.get(c.a.url(&path)).bearer_auth(rat).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED, "deleted at B, gone at A");
}

/// A passkey ceremony begun on one node is finished on the other (its state lives in the database, not in a node's
/// memory): a registration begun on the account page of node A is answered on node B, then a sign-in whose
/// options node A gave is answered on node B, and the code node B issues for it is redeemed on node A.
#[actix_web::test]
#[ignore = "needs PostgreSQL at IT_POSTGRES_URL (see README)"]
async fn postgres_multi_node_passkey_ceremonies_begun_on_one_node_finish_on_the_other() {
    use crate::passkeys::{SoftKey, UP, UV, passkey_options, post_assertion};
    let test = "postgres_multi_node_passkey_ceremonies_begun_on_one_node_finish_on_the_other";
    let c = Cluster::start_on(test, 0, "localhost").await;
    let origin = c.issuer.clone();

    // Registration: signed in on node A's account page, options from node A, the answer to node B.
    let alice = browser();
    let html = alice.get(c.a.url("/account")).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").expect("the account page's sign-in form");
    let form = [("csrf_token", csrf.as_str()), ("username", USERNAME), ("password", PASSWORD), ("code", "")];
    let response = alice.post(c.a.url("/account/sign-in")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed in on the account page");
    let html = alice.get(c.a.url("/account")).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").expect("the account page's CSRF token");
    let response =
        alice.post(c.a.url("/account/passkey/options")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "node A offers passkeys");
    let begun: Value = response.json().await.unwrap();
    let mut key = SoftKey::new(UP | UV);
    let answer = key.register(&begun["options"], &origin).to_string();
    let ceremony = begun["ceremony"].as_str().expect("ceremony");
    let form = [("csrf_token", csrf.as_str()), ("ceremony", ceremony), ("credential", &answer), ("name", "Laptop")];
    let response = alice.post(c.b.url("/account/passkey-add")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "node B finished node A's registration");
    let html = alice.get(c.b.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Laptop"), "the passkey is listed: {html}");
    assert_eq!(count(&mut c.connect(), "SELECT COUNT(*) AS n FROM passkeys"), 1);

    // Authentication: the login page and the options from node A, the assertion to node B.
    let b = browser();
    let response = b.get(c.authorize_url(&c.a, &[])).send().await.unwrap();
    let next = location(&response);
    assert!(next.starts_with("/interaction/"), "{next}");
    let page_a = c.a.url(&next);
    let html = b.get(&page_a).send().await.unwrap().text().await.unwrap();
    let (ceremony, options) = passkey_options(&b, &page_a, &html).await;
    let assertion = key.assert(&options, &origin);
    let response = post_assertion(&b, &c.b.url(&next), &html, &ceremony, &assertion).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "node B finished node A's sign-in ceremony");
    let to = location(&response);
    assert!(to.starts_with(&format!("{REDIRECT_URI}?")), "{to}");
    let tokens = Tokens::ok(c.redeem(&c.a, &query_param(&to, "code").expect("code")).await).await;
    let claims = jwt_part(&tokens.id, 1);
    assert_eq!(claims["amr"], serde_json::json!(["hwk", "user", "mfa"]), "{claims}");
    assert_eq!(claims["iss"], c.issuer.as_str());
}
