//! Prometheus metrics: the recorder (installed once per process, only when `metrics_bind` is set, so without it
//! every `metrics::counter!` in the code is a no-op) and `GET /metrics` on the separate listener.

use std::sync::Mutex;

use actix_web::{HttpResponse, web};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::state::AppState;

/// Latency buckets in seconds: from a cached JWKS (sub-millisecond) to a slow argon2 sign-in or database.
const SECONDS_BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

static HANDLE: Mutex<Option<PrometheusHandle>> = Mutex::new(None);

/// The process's Prometheus recorder, installed on first use (several servers in one process, as in the tests,
/// share it).
pub fn prometheus() -> anyhow::Result<PrometheusHandle> {
    let mut handle = HANDLE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(handle) = handle.as_ref() {
        return Ok(handle.clone());
    }
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("seconds".into()), SECONDS_BUCKETS)?
        .build_recorder();
    let new = recorder.handle();
    metrics::set_global_recorder(recorder).map_err(|e| anyhow::anyhow!("installing the metrics recorder: {e}"))?;
    describe();
    *handle = Some(new.clone());
    Ok(new)
}

/// The help text of each metric (the README lists them too).
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!("tessera_http_requests_total", "HTTP requests by route, method and status");
    describe_histogram!("tessera_http_request_duration_seconds", "HTTP request latency by route");
    describe_counter!("tessera_tokens_issued_total", "token responses by grant type");
    describe_counter!("tessera_logins_total", "password sign-ins by outcome");
    describe_counter!("tessera_throttled_total", "attempts refused by a limit (login, authorize)");
    describe_gauge!("tessera_password_check_queue", "sign-ins waiting for or running a password check");
    describe_gauge!("tessera_db_pool_connections", "database connections of this node by state");
    describe_histogram!("tessera_db_pool_wait_seconds", "time waited for a database connection");
    describe_counter!("tessera_db_errors_total", "database query errors");
    describe_gauge!("tessera_signing_key_age_seconds", "how long the current signing key has signed");
    describe_gauge!("tessera_signing_key_next_rotation_seconds", "time until the scheduled key rotation");
    describe_counter!("tessera_backchannel_deliveries_total", "back-channel logout deliveries by outcome");
}

/// `GET /metrics` (Prometheus text format), with the pool's gauges read now.
pub async fn render(state: web::Data<AppState>, handle: web::Data<PrometheusHandle>) -> HttpResponse {
    let (open, idle) = state.provider.db.pool_state();
    metrics::gauge!("tessera_db_pool_connections", "state" => "in_use").set(f64::from(open.saturating_sub(idle)));
    metrics::gauge!("tessera_db_pool_connections", "state" => "idle").set(f64::from(idle));
    handle.run_upkeep();
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(handle.render())
}
