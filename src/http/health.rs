//! Probes for load balancers and orchestrators.

use actix_web::HttpResponse;
use actix_web::http::header;

use super::{State, blocking};
use crate::error::RETRY_AFTER_SECS;

/// `/healthz`: the process is up and serving HTTP.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).body("ok\n")
}

/// `/readyz`: the database answers and signing keys are loaded, so this node can take traffic.
pub async fn readyz(state: State) -> HttpResponse {
    let has_signer = !state.keys.signer().kid.is_empty();
    let database = blocking(move || Ok(state.db.ping()?)).await;
    match database {
        Ok(()) if has_signer => HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).body("ready\n"),
        Ok(()) => HttpResponse::ServiceUnavailable().body("no signing key\n"),
        Err(_) => HttpResponse::ServiceUnavailable()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS.to_string()))
            .body("database unavailable\n"),
    }
}
