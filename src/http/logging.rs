//! The root span of every request. Like tracing-actix-web's default, but without the query string: the
//! authorization and end-session endpoints take `id_token_hint`, `login_hint` and `claims` in the query, and
//! tokens and personal data must never reach a log line. The client address is the one failures are counted
//! against (`extract::source_address`): forwarding headers count only when `trust_forwarded_headers` says a proxy
//! in front sets them, or a client could write any address into the audit trail.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage, web};
use std::time::Instant;

use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

use super::extract::source_address;
use super::state::AppState;

pub struct PathOnlyRootSpan;

/// When the request started, for its latency.
#[derive(Clone, Copy)]
struct Started(Instant);

impl RootSpanBuilder for PathOnlyRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request.extensions().get::<RequestId>().copied();
        let route = request.match_pattern().unwrap_or_else(|| "unmatched".into());
        // The state is always there (App::app_data); without it, no forwarding header is trusted.
        let trust_forwarded =
            request.app_data::<web::Data<AppState>>().is_some_and(|state| state.settings.trust_forwarded_headers);
        let client_ip = source_address(request.request(), trust_forwarded);
        request.extensions_mut().insert(Started(Instant::now()));
        tracing::info_span!(
            "request",
            http.method = %request.method(),
            http.route = %route,
            http.client_ip = %client_ip,
            request_id = %request_id.map(|id| id.to_string()).unwrap_or_default(),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        if let Ok(response) = outcome {
            finished(&span, response);
        }
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// The request's metrics (a no-op unless `metrics_bind` installed the recorder) and, with `log_format = "json"`, its
/// one access line: route, status and latency, inside the request's span (request id, client address).
fn finished<B>(span: &Span, response: &ServiceResponse<B>) {
    let request = response.request();
    let Some(Started(started)) = request.extensions().get::<Started>().copied() else { return };
    let latency = started.elapsed();
    let route = request.match_pattern().unwrap_or_else(|| "unmatched".into());
    let status = response.status().as_u16();
    let method = request.method().as_str().to_owned();
    metrics::counter!("tessera_http_requests_total", "route" => route.clone(), "method" => method, "status" => status.to_string())
        .increment(1);
    metrics::histogram!("tessera_http_request_duration_seconds", "route" => route.clone())
        .record(latency.as_secs_f64());
    let json = request.app_data::<web::Data<AppState>>().is_some_and(|state| state.settings.log_format == "json");
    if json {
        let _entered = span.enter();
        tracing::info!(
            event = "request",
            http.route = %route,
            http.status_code = status,
            latency_ms = latency.as_secs_f64() * 1000.0,
            "request finished"
        );
    }
}
