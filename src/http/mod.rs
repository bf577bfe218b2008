//! The HTTP layer: extract -> call the protocol core once -> render. No SQL and no crypto here.

pub mod account;
pub mod account_pages;
pub mod admin_api;
pub mod admin_pages;
pub mod assets;
pub mod authorize;
pub mod branding;
pub mod connections;
pub mod cookies;
pub mod device;
pub mod discovery;
pub mod end_session;
pub mod extract;
pub mod health;
pub mod interaction;
pub mod invitation;
pub mod landing;
pub mod logging;
pub mod metrics;
pub mod pages;
pub mod par;
pub mod registration;
pub mod render;
pub mod revocation;
pub mod state;
pub mod token;
pub mod userinfo;

use actix_web::web;

use crate::error::{Failure, InternalError};

/// Runs blocking work (the core: diesel, RSA, argon2) on actix's blocking thread pool, never on an async worker.
pub async fn blocking<T, F>(f: F) -> Result<T, Failure>
where
    F: FnOnce() -> Result<T, Failure> + Send + 'static,
    T: Send + 'static,
{
    // Keep the request's span (request id, client_id) on the log lines the blocking work emits.
    let span = tracing::Span::current();
    match web::block(move || span.in_scope(f)).await {
        Ok(result) => result,
        Err(e) => Err(InternalError::new("blocking task", anyhow::anyhow!("{e}")).into()),
    }
}
