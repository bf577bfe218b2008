//! What an operator meets at the command line (issue 10, items 1 to 7), through the real binary: a command run
//! from the wrong place cannot lose them, the issuer follows the bind, wildcards are refused with the reason, the
//! account and client commands scripts need, config errors with the key meant, a start log that says what runs
//! where, and the README's backup and restore.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    self, ClientOptions, TestApp, browser, exchange_code, location, open_page, refresh_status, spawn_app, submit_login,
    tessera_command, tessera_fails, tessera_ok,
};

/// `tessera args…` in `cwd`, with `env` and no other TESSERA_* variable.
fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    tessera_command()
        .current_dir(cwd)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("tessera {args:?}: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Item 1: only `serve` and `migrate` create a database. Every other command run where there is none refuses,
/// naming the database it looked for and the settings that choose it, and creates nothing; every command says on
/// stderr which database it used, unless `--quiet`.
#[test]
fn only_serve_and_migrate_create_a_database_and_every_command_names_the_one_it_used() {
    let dir = tempfile::tempdir().unwrap();
    let expected = std::fs::canonicalize(dir.path()).unwrap().join("data").join("tessera.db");
    for args in [
        &["user", "list"][..],
        &["user", "add", "alice", "--email", "a@example.com", "--password-stdin"],
        &["client", "add", "--id", "app", "--redirect-uri", "https://app.example/cb"],
        &["keys", "list"],
        &["export"],
    ] {
        let out = run_in(dir.path(), args, &[]);
        let stderr = text(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded without a database");
        assert!(stderr.contains(&format!("no Tessera database at {}", expected.display())), "{args:?}: {stderr}");
        for hint in ["data_dir", "TESSERA_DATABASE_URL", "tessera migrate"] {
            assert!(stderr.contains(hint), "{args:?} does not mention {hint}: {stderr}");
        }
        assert!(!dir.path().join("data").exists(), "{args:?} created something: {stderr}");
    }
    let migrated = run_in(dir.path(), &["migrate"], &[]);
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    assert!(expected.exists());
    let listed = run_in(dir.path(), &["user", "list"], &[]);
    assert!(listed.status.success());
    assert!(
        text(&listed.stderr).contains(&format!("using database {} (SQLite)", expected.display())),
        "{}",
        text(&listed.stderr)
    );
    let quiet = run_in(dir.path(), &["user", "list", "--quiet"], &[]);
    assert!(quiet.status.success() && !text(&quiet.stderr).contains("using database"), "{}", text(&quiet.stderr));
    // From another directory, the same command finds nothing there and says so, instead of making a new database.
    let elsewhere = tempfile::tempdir().unwrap();
    let lost = run_in(elsewhere.path(), &["user", "list"], &[]);
    assert!(!lost.status.success() && !elsewhere.path().join("data").exists());
    // Pointed at the right one, it works from anywhere.
    let data_dir = expected.parent().unwrap().to_str().unwrap();
    let found = run_in(elsewhere.path(), &["user", "list"], &[("TESSERA_DATA_DIR", data_dir)]);
    assert!(found.status.success(), "{}", text(&found.stderr));
}

/// A `tessera serve` child, killed when dropped; its stderr lines as they come.
struct Served {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn start(mut command: Command) -> Served {
        let mut child = command.arg("serve").stdin(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Served { child, lines, seen: Vec::new() }
    }

    /// Waits for a log line containing `needle`; every line so far is kept in `seen`.
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(line) = self.seen.iter().find(|l| l.contains(needle)) {
                return line.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("no log line with {needle:?}; the log:\n{}", self.seen.join("\n")),
            }
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Items 2, 6, 8 (audit lines) and 11: the real server started with only a changed port. The issuer follows the
/// bind (the discovery URL it logs answers, and tokens would carry it); the start log says the version, the
/// database, the config file, the issuer and the listener, and on a fresh database the two commands to run;
/// `/healthz` and `tessera --version` say the version; `GET /` says what to do next. Refusals are logged with the
/// offending non-secret value: the unregistered redirect URI tried, and the username of a failed sign-in.
#[actix_web::test]
async fn the_real_server_follows_its_bind_and_says_what_runs_where() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut command = tessera_command();
    command.env("TESSERA_DATA_DIR", dir.path()).env("TESSERA_BIND", format!("127.0.0.1:{port}"));
    command.env("RUST_LOG", "info");
    let mut server = Served::start(command);
    let base = format!("http://127.0.0.1:{port}");
    let version = env!("CARGO_PKG_VERSION");
    server.wait_for(&format!("Tessera {version} starting"));
    server.wait_for("no configuration file");
    let database = server.wait_for("database ");
    assert!(database.contains("tessera.db (SQLite)"), "{database}");
    let issuer = server.wait_for("discovery at");
    assert!(issuer.contains(&format!("{base}/.well-known/openid-configuration")), "{issuer}");
    server.wait_for(&format!("listening on http://127.0.0.1:{port}"));
    let fresh = server.wait_for("nothing to sign in to yet");
    assert!(fresh.contains("tessera user add") && fresh.contains("tessera client add"), "{fresh}");

    let discovery: Value =
        reqwest::get(format!("{base}/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert_eq!(discovery["issuer"], base.as_str(), "the issuer follows the bind");
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap().text().await.unwrap();
    assert_eq!(health, format!("ok\ntessera {version}\n"));
    let cli_version = text(&tessera_command().arg("--version").output().unwrap().stdout);
    assert_eq!(cli_version.trim(), format!("tessera {version}"));

    // GET /: a fresh install says what to do next; with a client, it no longer does.
    let landing = reqwest::get(format!("{base}/")).await.unwrap();
    assert_eq!(landing.status(), StatusCode::OK);
    let landing = landing.text().await.unwrap();
    assert!(landing.contains("tessera client add --id ID") && landing.contains("href=\"/account\""), "{landing}");

    let env = [("TESSERA_DATA_DIR", dir.path().to_str().unwrap()), ("TESSERA_BIND", &format!("127.0.0.1:{port}"))];
    let mut add = tessera_command()
        .args(["user", "add", "alice", "--email", "alice@example.com", "--password-stdin", "--quiet"])
        .envs(env)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut add.stdin.take().unwrap(), b"scarlet ibis notebook\n").unwrap();
    assert!(add.wait().unwrap().success());
    let client = run_in(
        dir.path(),
        &["client", "add", "--id", "app", "--redirect-uri", "http://127.0.0.1:9/cb", "--quiet"],
        &env,
    );
    assert!(client.status.success(), "{}", text(&client.stderr));
    let landing = reqwest::get(format!("{base}/")).await.unwrap().text().await.unwrap();
    assert!(!landing.contains("tessera client add"), "{landing}");

    // Audit lines: the redirect URI that was tried, and whose sign-in failed.
    let tried = "http://127.0.0.1:9/not-registered";
    let authorize = format!(
        "{base}/oauth/authorize?response_type=code&client_id=app&scope=openid&redirect_uri={tried}&code_challenge={}\
         &code_challenge_method=S256",
        helpers::CHALLENGE
    );
    assert_eq!(browser().get(&authorize).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    let refused = server.wait_for("unregistered redirect_uri");
    assert!(refused.contains(tried) && refused.contains("client_id \\\"app\\\""), "{refused}");
    let b = browser();
    let authorize = authorize.replace("not-registered", "cb");
    let parked = b.get(&authorize).send().await.unwrap();
    let page_url = format!("{base}{}", location(&parked));
    let html = b.get(&page_url).send().await.unwrap().text().await.unwrap();
    submit_login(&b, &page_url, &html, "alice", "hunter2-not-it").await;
    let failed = server.wait_for("event=\"login_failed\"");
    assert!(failed.contains("username=alice") && !failed.contains("hunter2"), "never the password: {failed}");
}

/// Item 3: a redirect URI that can never match (a wildcard, a template, a fragment) is refused with the reason,
/// by `client add` and `client update` alike.
#[actix_web::test]
async fn redirect_uris_that_cannot_match_are_refused_with_the_reason() {
    let app = spawn_app().await;
    for (uri, reason) in [
        ("https://grafana.lan/login/*", "wildcard"),
        ("https://*.example.com/cb", "wildcard"),
        ("https://app.example/{tenant}/cb", "template"),
        ("https://app.example/cb#done", "fragment"),
    ] {
        let refused = tessera_fails(&app, &["client", "add", "--id", "grafana", "--redirect-uri", uri]);
        assert!(refused.contains(reason) && refused.contains(uri), "{uri}: {refused}");
    }
    tessera_ok(
        &app,
        &["client", "add", "--id", "grafana", "--redirect-uri", "https://grafana.lan/login/generic_oauth"],
    );
    let refused = tessera_fails(&app, &["client", "update", "grafana", "--redirect-uri", "https://grafana.lan/*"]);
    assert!(refused.contains("matched exactly"), "{refused}");
}

/// Signs `user` in through `client` (consent allowed) and exchanges the code; the token response.
async fn tokens_for(app: &TestApp, client: &helpers::TestClient, extra: &[(&str, &str)], user: &str) -> Value {
    let location = helpers::sign_in(&browser(), app, &app.authorize_url(client, extra), user).await;
    let code = helpers::query_param(&location, "code").unwrap_or_else(|| panic!("no code: {location}"));
    let response = exchange_code(app, client, &code, helpers::VERIFIER).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Item 4, accounts: `user list --json` with created and last sign-in; `user disable` (no sign-in, no refresh,
/// sessions ended) and `user enable`; `user sessions`; `user signout` (sessions and online grants end);
/// `user unlock` (the throttle forgets the account's failures at once).
#[actix_web::test]
async fn accounts_are_listed_disabled_enabled_signed_out_and_unlocked_from_the_command_line() {
    let app = spawn_app().await;
    app.add_user("alice");
    let before: Value = serde_json::from_str(&tessera_ok(&app, &["user", "list", "--json"])).unwrap();
    assert_eq!(before[0]["username"], "alice");
    assert!(before[0]["created_at"].as_i64().is_some() && before[0]["last_login_at"].is_null(), "{before}");
    assert_eq!(before[0]["disabled"], false);

    let first_party = app.add_client("first", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    // An offline grant (it outlives the session), and an online one.
    let offline = tokens_for(&app, &first_party, &[("scope", "openid offline_access")], "alice").await;
    let offline_refresh = offline["refresh_token"].as_str().unwrap().to_owned();
    let online = tokens_for(&app, &first_party, &[], "alice").await;
    let online_refresh = online["refresh_token"].as_str().unwrap().to_owned();

    let listed: Value = serde_json::from_str(&tessera_ok(&app, &["user", "list", "--json"])).unwrap();
    assert!(listed[0]["last_login_at"].as_i64().is_some(), "{listed}");
    assert!(tessera_ok(&app, &["user", "list"]).contains("LAST LOGIN"));
    let sessions: Value = serde_json::from_str(&tessera_ok(&app, &["user", "sessions", "alice", "--json"])).unwrap();
    assert!(!sessions.as_array().unwrap().is_empty(), "{sessions}");
    assert!(sessions.as_array().unwrap().iter().any(|s| s["clients"] == serde_json::json!(["first"])), "{sessions}");
    // Where each session signed in from (the test's HTTP client connects from 127.0.0.1).
    assert!(sessions.as_array().unwrap().iter().all(|s| s["address"] == "127.0.0.1"), "{sessions}");
    assert!(tessera_ok(&app, &["user", "sessions", "alice"]).contains("ADDRESS"));

    // Disabled: sessions end, nothing refreshes, sign-in says why after a correct password.
    tessera_ok(&app, &["user", "disable", "alice"]);
    assert_eq!(refresh_status(&app, &first_party, &offline_refresh).await, StatusCode::BAD_REQUEST);
    assert_eq!(refresh_status(&app, &first_party, &online_refresh).await, StatusCode::BAD_REQUEST);
    assert!(tessera_ok(&app, &["user", "sessions", "alice"]).contains("no live browser session"));
    let b = browser();
    let parked = b.get(app.authorize_url(&first_party, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&parked)).await;
    let refused = submit_login(&b, &page_url, &html, "alice", helpers::PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::OK, "the login page again");
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("This account is disabled"), "{refused}");
    let listed: Value = serde_json::from_str(&tessera_ok(&app, &["user", "list", "--json"])).unwrap();
    assert_eq!(listed[0]["disabled"], true);

    // Enabled again: the offline grant refreshes again (the online one ended with its session).
    tessera_ok(&app, &["user", "enable", "alice"]);
    assert_eq!(refresh_status(&app, &first_party, &offline_refresh).await, StatusCode::OK);
    assert_eq!(refresh_status(&app, &first_party, &online_refresh).await, StatusCode::BAD_REQUEST);

    // Signed out everywhere: the online grant made after that stops; the offline one stays.
    let online = tokens_for(&app, &first_party, &[], "alice").await;
    let online_refresh = online["refresh_token"].as_str().unwrap().to_owned();
    let out = tessera_ok(&app, &["user", "signout", "alice"]);
    assert!(out.contains("signed alice out"), "{out}");
    assert_eq!(refresh_status(&app, &first_party, &online_refresh).await, StatusCode::BAD_REQUEST);
    assert!(tessera_ok(&app, &["user", "sessions", "alice"]).contains("no live browser session"));
    tessera_fails(&app, &["user", "signout", "nobody"]);

    // Throttled after five failures from this address; unlocked, the right password works at once.
    let b = browser();
    let parked = b.get(app.authorize_url(&first_party, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&b, &app, &location(&parked)).await;
    let mut last = String::new();
    for _ in 0..6 {
        last = submit_login(&b, &page_url, &html, "alice", "wrong password").await.text().await.unwrap();
    }
    assert!(last.contains("Too many failed sign-in attempts. Try again in 2 seconds."), "{last}");
    let out = tessera_ok(&app, &["user", "unlock", "alice"]);
    assert!(out.contains("cleared"), "{out}");
    let passed = submit_login(&b, &page_url, &html, "alice", helpers::PASSWORD).await;
    assert_eq!(passed.status(), StatusCode::SEE_OTHER, "unlocked: signed in at once");
}

/// The status of an introspection request authenticated with `secret` (client authentication is what is tested).
async fn authenticates(app: &TestApp, client_id: &str, secret: &str) -> StatusCode {
    reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth(client_id, Some(secret))
        .form(&[("token", "nothing")])
        .send()
        .await
        .unwrap()
        .status()
}

/// Item 4, clients: `client rotate-secret ID --overlap-secs N` (both secrets work during the overlap, only the new
/// one after), without an overlap the old one stops at once; `client list --json` with the registration time;
/// `client update` takes `--skip-consent` as `client add` does.
#[actix_web::test]
async fn client_secrets_rotate_with_an_overlap_and_update_takes_the_flags_of_add() {
    let app = spawn_app().await;
    let client = app.add_client("api", ClientOptions::default());
    let old = client.secret.clone().unwrap();
    assert_eq!(authenticates(&app, "api", &old).await, StatusCode::OK);
    let rotated: Value =
        serde_json::from_str(&tessera_ok(&app, &["client", "rotate-secret", "api", "--overlap-secs", "60", "--json"]))
            .unwrap();
    let new = rotated["client_secret"].as_str().unwrap().to_owned();
    assert_eq!(authenticates(&app, "api", &old).await, StatusCode::OK, "the old secret during the overlap");
    assert_eq!(authenticates(&app, "api", &new).await, StatusCode::OK);
    // The CLI dates the overlap by the real clock, which has moved on from the server's fixed one by the time it
    // ran (seconds on a loaded machine): the server's clock goes well past the end.
    app.advance(120);
    assert_eq!(authenticates(&app, "api", &old).await, StatusCode::UNAUTHORIZED, "after the overlap");
    assert_eq!(authenticates(&app, "api", &new).await, StatusCode::OK);
    let out = tessera_ok(&app, &["client", "rotate-secret", "api"]);
    assert!(out.contains("stopped working now"), "{out}");
    assert_eq!(authenticates(&app, "api", &new).await, StatusCode::UNAUTHORIZED, "no overlap: stopped at once");
    let public = app.add_client("spa", ClientOptions { public: true, ..ClientOptions::default() });
    assert!(tessera_fails(&app, &["client", "rotate-secret", &public.id]).contains("public client"));
    assert!(tessera_fails(&app, &["client", "rotate-secret", "api", "--overlap-secs=-1"]).contains("between"));

    let listed: Value = serde_json::from_str(&tessera_ok(&app, &["client", "list", "--json"])).unwrap();
    let api = listed.as_array().unwrap().iter().find(|c| c["client_id"] == "api").unwrap().clone();
    assert!(api["created_at"].as_i64().is_some_and(|t| t > 0), "{api}");
    assert!(tessera_ok(&app, &["client", "list"]).contains("CREATED"));

    // The same flag forms in add and update.
    let shown = tessera_ok(&app, &["client", "update", "api", "--skip-consent"]);
    assert!(shown.contains("skip_consent:               true"), "{shown}");
    let shown = tessera_ok(&app, &["client", "update", "api", "--skip-consent", "false"]);
    assert!(shown.contains("skip_consent:               false"), "{shown}");
    let added = tessera_ok(
        &app,
        &["client", "add", "--id", "web", "--skip-consent", "true", "--redirect-uri", "https://w.example/cb"],
    );
    assert!(added.contains("skip_consent:               true"), "{added}");
}

/// Item 5: a mistyped key is reported once, with the key meant; `bind = "localhost:PORT"` works and a host name
/// that would need a lookup is refused with the reason; a non-loopback bind with the default issuer is warned about
/// loudly; the issuer's trailing slash is dropped everywhere (discovery and tokens).
#[actix_web::test]
async fn configuration_mistakes_get_one_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let config = dir.path().join("tessera.toml");
    std::fs::write(
        &config,
        "session_ttl_sec = 600
",
    )
    .unwrap();
    let out = run_in(dir.path(), &["--config", config.to_str().unwrap(), "migrate"], &[]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(stderr.matches("session_ttl_sec`").count(), 1, "said once: {stderr}");
    assert!(stderr.contains("did you mean `session_ttl_secs`?"), "{stderr}");
    assert!(!stderr.contains("access_token_ttl_secs"), "not the list of every key: {stderr}");

    let env = [("TESSERA_DATA_DIR", data), ("TESSERA_BIND", "localhost:8080")];
    let out = run_in(dir.path(), &["migrate"], &env);
    assert!(out.status.success(), "localhost:PORT is a bind: {}", text(&out.stderr));
    let out = run_in(dir.path(), &["migrate"], &[("TESSERA_DATA_DIR", data), ("TESSERA_BIND", "id.example.com:80")]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success() && stderr.contains("not an IP address"), "{stderr}");
    let out = run_in(dir.path(), &["migrate"], &[("TESSERA_DATA_DIR", data), ("TESSERA_BIND", "0.0.0.0")]);
    assert!(text(&out.stderr).contains("no port"), "{}", text(&out.stderr));
    let out = run_in(dir.path(), &["migrate"], &[("TESSERA_DATA_DIR", data), ("TESSERA_BIND", "0.0.0.0:9000")]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("!!! issuer not set while bind = \"0.0.0.0:9000\""), "{stderr}");
    let out = run_in(dir.path(), &["migrate"], &[("TESSERA_DATA_DIR", data), ("TESSERA_ACCES_TOKEN_TTL_SECS", "1")]);
    assert!(text(&out.stderr).contains("did you mean TESSERA_ACCESS_TOKEN_TTL_SECS?"), "{}", text(&out.stderr));

    let app = helpers::spawn_app_with(|s| s.issuer = format!("{}/", s.issuer)).await;
    let discovery: Value =
        reqwest::get(app.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert_eq!(discovery["issuer"], app.base.as_str(), "no trailing slash");
    assert_eq!(discovery["token_endpoint"], format!("{}/oauth/token", app.base));
}

/// Item 7: the README's backup and restore, as written: `tessera export` to a file, then on a new machine
/// `tessera migrate` and `tessera import`; the user can sign in with the same password and the client keeps its
/// secret.
#[actix_web::test]
async fn the_readme_backup_and_restore_round_trip() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let backup_dir = tempfile::tempdir().unwrap();
    let backup = backup_dir.path().join("tessera-backup.jsonl");
    tessera_ok(&app, &["export", "--output", backup.to_str().unwrap()]);
    let restored = tempfile::tempdir().unwrap();
    let data = restored.path().join("data");
    let env = [("TESSERA_DATA_DIR", data.to_str().unwrap())];
    let refused = run_in(restored.path(), &["import", backup.to_str().unwrap()], &env);
    assert!(!refused.status.success(), "import does not create a database either");
    assert!(run_in(restored.path(), &["migrate"], &env).status.success());
    let imported = run_in(restored.path(), &["import", backup.to_str().unwrap()], &env);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let users = text(&run_in(restored.path(), &["user", "list"], &env).stdout);
    assert!(users.contains("alice"), "{users}");
    let clients = text(&run_in(restored.path(), &["client", "list"], &env).stdout);
    assert!(clients.contains(&client.id), "{clients}");
}

/// A binary refuses a database that a newer version has migrated (after an upgrade, the previous binary would
/// ignore what the new columns mean), naming the migration and the way back; commands and the server alike.
#[actix_web::test]
async fn a_database_migrated_by_a_newer_version_is_refused() {
    let app = crate::helpers::spawn_app().await;
    crate::helpers::tessera_ok(&app, &["user", "list"]);
    crate::helpers::execute_sql(&app, "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231235959')");
    let refused = crate::helpers::tessera_fails(&app, &["user", "list"]);
    assert!(refused.contains("migrated by a newer Tessera") && refused.contains("29991231235959"), "{refused}");
    let location = app.state.settings.database_location();
    let opened = tessera::storage::Database::open(&location, tessera::storage::PoolOptions::small());
    assert!(opened.is_err_and(|e| e.to_string().contains("newer Tessera")));
}
