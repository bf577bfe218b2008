//! Observability (issue 12, item 2): Prometheus metrics on the separate `metrics_bind` listener, and
//! `log_format = "json"` (one JSON object per line, a line per request with its id, route, status and latency).

use std::process::{Child, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{ClientOptions, TestApp, VERIFIER, exchange_code, obtain_code, spawn_app_with, tessera_command};

/// A test server with metrics on a port of its own; the server and the metrics address.
async fn spawn_with_metrics() -> (TestApp, std::net::SocketAddr) {
    // A free port, as the binary's tests find theirs (the settings take an address, not a listener).
    let metrics = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let app = spawn_app_with(|s| s.metrics_bind = metrics.to_string()).await;
    (app, metrics)
}

/// The value of the sample `name{labels}` in a Prometheus text page (labels as rendered, in their order).
fn sample(page: &str, series: &str) -> Option<f64> {
    page.lines().find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

#[actix_web::test]
async fn metrics_are_served_on_their_own_listener() {
    let (app, metrics) = spawn_with_metrics().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let code = obtain_code(&app, &client, "alice").await;
    assert_eq!(exchange_code(&app, &client, &code, VERIFIER).await.status(), StatusCode::OK);

    // Not on the public listener.
    assert_eq!(reqwest::get(app.url("/metrics")).await.unwrap().status(), StatusCode::NOT_FOUND);
    let response = reqwest::get(format!("http://{metrics}/metrics")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let page = response.text().await.unwrap();
    let token_ok = r#"tessera_http_requests_total{route="/oauth/token",method="POST",status="200"}"#;
    assert!(sample(&page, token_ok).is_some_and(|n| n >= 1.0), "{page}");
    assert!(
        sample(&page, r#"tessera_tokens_issued_total{grant_type="authorization_code"}"#).is_some_and(|n| n >= 1.0),
        "{page}"
    );
    assert!(sample(&page, r#"tessera_logins_total{outcome="succeeded"}"#).is_some_and(|n| n >= 1.0), "{page}");
    assert!(
        page.contains(r#"tessera_http_request_duration_seconds_bucket{route="/oauth/token",le="0.005"}"#),
        "a histogram with buckets: {page}"
    );
    assert!(page.contains("# HELP tessera_tokens_issued_total token responses by grant type"), "{page}");
    assert!(sample(&page, r#"tessera_db_pool_connections{state="idle"}"#).is_some(), "{page}");
    assert!(page.contains("tessera_db_pool_wait_seconds_bucket"), "{page}");

    // The maintenance publishes the key's age and the time to its rotation.
    app.state.provider.maintain().expect("maintenance");
    let page = reqwest::get(format!("http://{metrics}/metrics")).await.unwrap().text().await.unwrap();
    let age = sample(&page, "tessera_signing_key_age_seconds").expect("key age");
    let next = sample(&page, "tessera_signing_key_next_rotation_seconds").expect("next rotation");
    assert!(age >= 0.0 && next > 0.0, "{age} {next}");
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The real binary with `TESSERA_LOG_FORMAT=json`: every line of its log is a JSON object, and each request has one
/// with its id, route, status and latency.
#[actix_web::test]
async fn json_logs_have_one_object_per_line_with_request_id_route_status_and_latency() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let child = tessera_command()
        .arg("serve")
        .env("TESSERA_DATA_DIR", dir.path())
        .env("TESSERA_BIND", format!("127.0.0.1:{port}"))
        .env("TESSERA_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let _server = Server(child);
    let mut ready = false;
    for _ in 0..200 {
        if reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status() == StatusCode::OK) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "tessera serve did not become ready");
    assert_eq!(reqwest::get(format!("{base}/healthz")).await.unwrap().status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(200)).await;

    let text = std::fs::read_to_string(&log_path).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    assert!(lines.len() > 1, "the start lines and the requests' lines: {text}");
    let request = lines
        .iter()
        .find(|l| l["fields"]["event"] == "request" && l["fields"]["http.route"] == "/healthz")
        .unwrap_or_else(|| panic!("no request line for /healthz in:\n{text}"));
    assert_eq!(request["fields"]["http.status_code"], 200);
    assert!(request["fields"]["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{request}");
    let request_id = request["span"]["request_id"].as_str().unwrap_or_default();
    assert_eq!(request_id.len(), 36, "a UUID request id: {request}");
    assert_eq!(request["level"], "INFO");
    assert!(request["timestamp"].is_string());
}
