//! `tessera serve`: the server, until it is stopped.

use std::net::TcpListener;
use std::sync::Arc;

use anyhow::Context;

use crate::clock::SystemClock;
use crate::config::Settings;
use crate::startup::Application;

pub fn serve(settings: Settings) -> anyhow::Result<()> {
    let listener = TcpListener::bind(&settings.bind).with_context(|| format!("binding {}", settings.bind))?;
    if settings.issuer_is_insecure() {
        tracing::warn!(
            issuer = %settings.issuer,
            "!!! The issuer is plain http on a non-loopback host: passwords and tokens cross the network in clear. \
             Put TLS in front and set TESSERA_ISSUER to the https URL. !!!"
        );
    }
    let issuer = settings.issuer.clone();
    let location = settings.database_display();
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings, listener, Arc::new(SystemClock))?;
        tracing::info!(database = %location, "data lives in {location}");
        tracing::info!(issuer = %issuer, "Tessera is listening; discovery at {issuer}/.well-known/openid-configuration");
        app.run_until_stopped().await?;
        Ok(())
    })
}
