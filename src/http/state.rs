//! What every handler receives: the protocol core and the few settings the HTTP layer reads itself.

use actix_web::web;

use super::blocking::CorePool;
use super::branding::Branding;
use super::cookies::CookiePolicy;
use crate::config::Settings;
use crate::oauth::provider::Provider;

pub struct AppState {
    pub provider: Provider,
    pub settings: Settings,
    /// The discovery document, serialised once.
    pub discovery_json: String,
    /// The cookies' names and attributes: `__Host-` names and `Secure` (and HSTS is sent) when the issuer is https.
    pub cookies: CookiePolicy,
    /// The operator's brand on the pages (made once at start).
    pub branding: Branding,
    /// The threads most requests' core runs on (`http::blocking`).
    pub core_pool: CorePool,
}

impl AppState {
    /// The core pool's handle, for `http::blocking`.
    pub fn core(&self) -> tokio::runtime::Handle {
        self.core_pool.handle()
    }
}

/// Shared state as handlers receive it.
pub type State = web::Data<AppState>;
