//! Probes for load balancers and orchestrators.

use actix_web::HttpResponse;
use actix_web::http::header;

use super::blocking;
use super::state::State;
use crate::error::{ErrorCode, Failure};

/// `/healthz`: the process is up and serving HTTP; the second line says which version (what is deployed where).
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).body(concat!(
        "ok\ntessera ",
        env!("CARGO_PKG_VERSION"),
        "\n"
    ))
}

/// `/readyz`: the database answers and signing keys are loaded, so this node can take traffic.
pub async fn readyz(state: State) -> HttpResponse {
    match blocking(state.core(), move || state.provider.readiness()).await {
        Ok(()) => HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).body("ready\n"),
        Err(failure) => {
            let wire = Failure::into_wire(failure);
            let mut response = HttpResponse::ServiceUnavailable();
            response.insert_header((header::CACHE_CONTROL, "no-store"));
            if let Some(secs) = wire.retry_after_secs {
                response.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            let reason =
                if wire.code == ErrorCode::TemporarilyUnavailable { "database unavailable" } else { "not ready" };
            response.body(format!("{reason}\n"))
        }
    }
}
