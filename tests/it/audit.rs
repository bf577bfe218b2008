//! The audit trail: the real binary's log has a structured event for each security-relevant action, and never a
//! password, secret, code or token.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{CHALLENGE, VERIFIER, form_field, query_param, tessera_command};

const PASSWORD: &str = "audit-trail-password-123";
const WRONG: &str = "not-the-password-456";

struct Server {
    child: Child,
    dir: tempfile::TempDir,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tessera(dir: &tempfile::TempDir, issuer: &str) -> Command {
    let mut command = tessera_command();
    command
        .env("TESSERA_DATA_DIR", dir.path())
        .env("TESSERA_ISSUER", issuer)
        .env("TESSERA_JWKS_MAX_AGE_SECS", "0")
        .env("TESSERA_KEY_RELOAD_INTERVAL_SECS", "1")
        .env("TESSERA_KEY_PREPUBLISH_SECS", "1")
        .env("RUST_LOG", "info")
        .stdin(Stdio::piped());
    command
}

async fn start() -> Server {
    start_with(&[]).await
}

/// `tessera serve` with `env` added to the test's settings.
async fn start_with(env: &[(&str, &str)]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
    let child = tessera(&dir, &base)
        .arg("serve")
        .env("TESSERA_BIND", format!("127.0.0.1:{port}"))
        .envs(env.iter().copied())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    // From here on, Drop kills and reaps the process, whatever happens.
    let server = Server { child, dir, base };
    for _ in 0..200 {
        if reqwest::get(format!("{}/readyz", server.base)).await.is_ok_and(|r| r.status() == StatusCode::OK) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("tessera serve did not become ready");
}

fn cli(server: &Server, args: &[&str], stdin: &str) -> (String, String) {
    let mut child =
        tessera(&server.dir, &server.base).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[actix_web::test]
async fn security_events_are_logged_without_secrets() {
    let server = start().await;
    cli(
        &server,
        &["user", "add", "alice", "--email", "alice@example.com", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    let (out, _) = cli(
        &server,
        &["client", "add", "--id", "app", "--redirect-uri", "http://127.0.0.1:9/cb", "--skip-consent", "--json"],
        "",
    );
    let secret = serde_json::from_str::<Value>(&out).unwrap()["client_secret"].as_str().unwrap().to_owned();

    let b = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let authorize = format!(
        "{}/oauth/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&scope=openid&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256",
        server.base
    );
    let parked = b.get(&authorize).send().await.unwrap();
    let page_url = format!("{}{}", server.base, parked.headers()["location"].to_str().unwrap());
    let html = b.get(&page_url).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").unwrap();
    let login = |password: &'static str| {
        let form = [("csrf_token", csrf.clone()), ("username", "alice".into()), ("password", password.into())];
        b.post(format!("{page_url}/login")).form(&form).send()
    };
    assert_eq!(login(WRONG).await.unwrap().status(), StatusCode::OK);
    let signed_in = login(PASSWORD).await.unwrap();
    let code = query_param(signed_in.headers()["location"].to_str().unwrap(), "code").unwrap();
    let http = reqwest::Client::new();
    let token = |form: Vec<(&'static str, String)>| {
        http.post(format!("{}/oauth/token", server.base)).basic_auth("app", Some(&secret)).form(&form).send()
    };
    let tokens: Value = token(vec![
        ("grant_type", "authorization_code".into()),
        ("code", code.clone()),
        ("redirect_uri", "http://127.0.0.1:9/cb".into()),
        ("code_verifier", VERIFIER.into()),
    ])
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let (access, refresh, id_token) = (
        tokens["access_token"].as_str().unwrap().to_owned(),
        tokens["refresh_token"].as_str().unwrap().to_owned(),
        tokens["id_token"].as_str().unwrap().to_owned(),
    );
    let refreshed: Value = token(vec![("grant_type", "refresh_token".into()), ("refresh_token", refresh.clone())])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let successor = refreshed["refresh_token"].as_str().unwrap().to_owned();
    // Replaying the rotated token after the default grace window would wait; the reuse shows after its successor.
    token(vec![("grant_type", "refresh_token".into()), ("refresh_token", successor.clone())]).await.unwrap();
    token(vec![("grant_type", "refresh_token".into()), ("refresh_token", refresh.clone())]).await.unwrap();
    // A wrong client secret: refused, and logged with the reason (never the secret sent).
    let refused = http
        .post(format!("{}/oauth/token", server.base))
        .basic_auth("app", Some(WRONG))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", successor.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    http.post(format!("{}/oauth/revoke", server.base))
        .basic_auth("app", Some(&secret))
        .form(&[("token", access.as_str())])
        .send()
        .await
        .unwrap();
    let logout = b.get(format!("{}/oauth/logout?id_token_hint={id_token}", server.base)).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::OK);
    // The next key must have been published for key_prepublish_secs (1 s here) before it may sign.
    let mut rotation = String::new();
    for _ in 0..30 {
        let (out, err) = cli(&server, &["keys", "rotate"], "");
        rotation = err;
        if out.contains("rotated") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = std::fs::read_to_string(server.dir.path().join("server.log")).unwrap() + &rotation;
    for event in [
        "login_failed",
        "login_succeeded",
        "token_issued",
        "refresh_token_reuse_detected",
        "token_revoked",
        "client_authentication_failed",
        "logout",
        "key_rotated",
    ] {
        assert!(log.contains(&format!("event=\"{event}\"")), "no {event} event in:\n{log}");
    }
    for secret_value in [
        PASSWORD,
        WRONG,
        secret.as_str(),
        code.as_str(),
        access.as_str(),
        refresh.as_str(),
        successor.as_str(),
        id_token.as_str(),
        VERIFIER,
    ] {
        let at = log.find(secret_value).map(|i| &log[i.saturating_sub(300)..(i + 40).min(log.len())]);
        assert!(at.is_none(), "a secret reached the log: {at:?}");
    }
}

/// The `http.client_ip` of every log line of a refused request to `/oauth/authorize` sent with `headers`.
async fn logged_client_ips(server: &Server, headers: &[(&str, &str)]) -> Vec<String> {
    let mut request = reqwest::Client::new().get(format!("{}/oauth/authorize", server.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    // No parameters: refused on our error page, and the refusal is logged inside the request's span.
    assert_eq!(request.send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = std::fs::read_to_string(server.dir.path().join("server.log")).unwrap();
    let ips: Vec<String> = log
        .lines()
        .filter(|line| line.contains("request refused"))
        .filter_map(|line| line.split("http.client_ip=").nth(1))
        .map(|rest| rest.split([' ', '}']).next().unwrap_or_default().to_owned())
        .collect();
    assert!(!ips.is_empty(), "no request line with a client_ip in:\n{log}");
    assert!(!log.contains("6.6.6.6") && !log.contains("7.7.7.7"), "a client-chosen address reached the log:\n{log}");
    ips
}

/// The log names the address the throttle counts against (`http::extract::source_address`): the peer unless
/// `trust_forwarded_headers` is on, and then the last `X-Forwarded-For` hop, the one the trusted proxy appended.
/// Otherwise a client could write any address into the audit trail.
#[actix_web::test]
async fn the_logged_client_address_is_the_throttled_one() {
    let forged = [("x-forwarded-for", "6.6.6.6"), ("forwarded", "for=7.7.7.7")];
    let untrusting = start().await;
    assert_eq!(logged_client_ips(&untrusting, &forged).await, ["127.0.0.1"]);

    let behind_proxy = start_with(&[("TESSERA_TRUST_FORWARDED_HEADERS", "true")]).await;
    let proxied = [("x-forwarded-for", "6.6.6.6, 203.0.113.9"), ("forwarded", "for=7.7.7.7")];
    assert_eq!(logged_client_ips(&behind_proxy, &proxied).await, ["203.0.113.9"]);
}

/// The real server with the production default (no private back-channel targets): a client registered with an http
/// loopback back-channel logout URI gets nothing at logout, and the log says why (`backchannel_logout_refused`).
#[actix_web::test]
async fn a_back_channel_logout_to_a_private_address_is_refused_and_logged() {
    use std::io::Read;
    let receiver = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    receiver.set_nonblocking(true).unwrap();
    let target = format!("http://{}/backchannel", receiver.local_addr().unwrap());
    let server = start().await;
    cli(
        &server,
        &["user", "add", "alice", "--email", "alice@example.com", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    let (out, err) = cli(
        &server,
        &[
            "client",
            "add",
            "--id",
            "app",
            "--redirect-uri",
            "http://127.0.0.1:9/cb",
            "--skip-consent",
            "--backchannel-logout-uri",
            &target,
            "--json",
        ],
        "",
    );
    let secret = serde_json::from_str::<Value>(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"))["client_secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let authorize = format!(
        "{}/oauth/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&scope=openid&state=s&code_challenge={CHALLENGE}&code_challenge_method=S256",
        server.base
    );
    let parked = b.get(&authorize).send().await.unwrap();
    let page_url = format!("{}{}", server.base, parked.headers()["location"].to_str().unwrap());
    let html = b.get(&page_url).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").unwrap();
    let form = [("csrf_token", csrf.as_str()), ("username", "alice"), ("password", PASSWORD)];
    let signed_in = b.post(format!("{page_url}/login")).form(&form).send().await.unwrap();
    let code = query_param(signed_in.headers()["location"].to_str().unwrap(), "code").unwrap();
    let tokens: Value = reqwest::Client::new()
        .post(format!("{}/oauth/token", server.base))
        .basic_auth("app", Some(&secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", "http://127.0.0.1:9/cb"),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_token = tokens["id_token"].as_str().unwrap();
    let logout = b.get(format!("{}/oauth/logout?id_token_hint={id_token}", server.base)).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::OK);

    let log_path = server.dir.path().join("server.log");
    let mut log = String::new();
    for _ in 0..50 {
        log = std::fs::read_to_string(&log_path).unwrap();
        if log.contains("backchannel_logout_refused") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(log.contains("event=\"backchannel_logout_refused\""), "no refusal event in:\n{log}");
    assert!(!log.contains("event=\"backchannel_logout_sent\""), "{log}");
    match receiver.accept() {
        Ok((mut stream, _)) => {
            let mut request = String::new();
            let _ = stream.read_to_string(&mut request);
            panic!("the server connected to the private target: {request}");
        }
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}"),
    }
}
