//! `tessera serve`: the server, until it is stopped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;

use super::open::describe;
use crate::clock::SystemClock;
use crate::config::Settings;
use crate::startup::Application;
use crate::storage::{ClientStore, UserStore};

pub fn serve(settings: Settings, config_file: Option<PathBuf>) -> anyhow::Result<()> {
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Tessera {} starting", env!("CARGO_PKG_VERSION"));
    match &config_file {
        Some(path) => tracing::info!(config = %path.display(), "configuration file {}", path.display()),
        None => tracing::info!("no configuration file: defaults and TESSERA_* variables"),
    }
    let listener = TcpListener::bind(&settings.bind).with_context(|| {
        format!("binding {} (the bind setting, TESSERA_BIND): is another server listening there?", settings.bind)
    })?;
    if settings.issuer_is_insecure() {
        tracing::warn!(
            issuer = %settings.issuer,
            "!!! The issuer is plain http on a non-loopback host: passwords and tokens cross the network in clear. \
             Put TLS in front and set TESSERA_ISSUER to the https URL. !!!"
        );
    }
    let issuer = settings.issuer.clone();
    let database = describe(&settings);
    let listening = listener.local_addr().map_or_else(|_| settings.bind.clone(), |a| a.to_string());
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings, listener, Arc::new(SystemClock))?;
        tracing::info!(database = %database, "database {database}");
        tracing::info!(issuer = %issuer, "issuer {issuer}; discovery at {issuer}/.well-known/openid-configuration");
        tracing::info!(listen = %listening, "listening on http://{listening}");
        let db = &app.state.provider.db;
        let (any_user, any_client) = (db.any_user()?, db.any_client_registered()?);
        if !any_user || !any_client {
            tracing::info!(
                any_user,
                any_client,
                "nothing to sign in to yet: add a user with `tessera user add USERNAME --email EMAIL` and a client \
                 with `tessera client add --id ID --redirect-uri URI` (in another terminal, with the same settings)"
            );
        }
        app.run_until_stopped().await?;
        Ok(())
    })
}
