//! Static assets, embedded in the binary so the pages load nothing from elsewhere.

use actix_web::HttpResponse;
use actix_web::http::header;

use super::state::State;

/// The login page's show-password toggle (the pages' only script file; the CSP allows no inline script).
const SCRIPT: &str = include_str!("../../templates/static/tessera.js");

/// Browsers ask for a favicon on every page; answer "nothing here" rather than a 404 in their console.
pub async fn favicon() -> HttpResponse {
    HttpResponse::NoContent().insert_header((header::CACHE_CONTROL, "public, max-age=86400")).finish()
}

/// The built-in stylesheet with the operator's accent colour and custom CSS (`http::branding`).
pub async fn stylesheet(state: State) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .content_type("text/css; charset=utf-8")
        .body(state.branding.stylesheet.clone())
}

pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .content_type("text/javascript; charset=utf-8")
        .body(SCRIPT)
}

/// The passkey pages' WebAuthn script (`templates/static/passkey.js`): the ceremony's options fetched from our own
/// origin, the browser's answer posted in a form.
const PASSKEY_SCRIPT: &str = include_str!("../../templates/static/passkey.js");

pub async fn passkey_script() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .content_type("text/javascript; charset=utf-8")
        .body(PASSKEY_SCRIPT)
}
