//! `/.well-known/openid-configuration` and `/.well-known/jwks.json`, served from memory.

use actix_web::HttpResponse;
use actix_web::http::header;

use super::state::State;

pub async fn openid_configuration(state: State) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .content_type("application/json")
        .body(state.discovery_json.clone())
}

/// The published keys. max-age is shorter than the pre-publication window (checked when settings load), so a
/// relying party always refetches in time to see a key before it signs.
pub async fn jwks(state: State) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, format!("public, max-age={}", state.settings.jwks_max_age_secs)))
        .content_type("application/json")
        .body(state.provider.keys.jwks_json().to_string())
}
