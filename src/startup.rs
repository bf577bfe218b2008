//! Builds the shared state and THE route table; binds the listener (port 0 in tests).

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::HttpMessage;
use actix_web::dev::Server;
use actix_web::dev::Service;
use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::clock::SharedClock;
use crate::config::{RegistrationMode, Settings};
use crate::domain::{SigningAlg, SigningAlgs};
use crate::http::blocking::CorePool;
use crate::http::branding::Branding;
use crate::http::connections::{ConnectionLimit, refuse, with_deadline};
use crate::http::cookies::CookiePolicy;
use crate::http::device;
use crate::http::logging::PathOnlyRootSpan;
use crate::http::par;
use crate::http::registration;
use crate::http::state::AppState;
use crate::http::{
    account, assets, authorize, discovery, end_session, health, interaction, invitation, landing, revocation, token,
    userinfo,
};
use crate::i18n::{Locale, supported_locales};
use crate::keys::{KeyPolicy, KeyStore};
use crate::oauth::authentication::PasswordChecker;
use crate::oauth::authentication::passkey::Passkeys;
use crate::oauth::dpop::{DpopPolicy, NONCE_SECRET_NAME};
use crate::oauth::provider::{OPEN_REGISTRATIONS_PER_SECOND, Provider, RegistrationPolicy, TransactionPolicy};
use crate::oauth::rate_limit::AddressRateLimit;
use crate::oauth::token::TokenPolicy;
use crate::oidc::backchannel::Backchannel;
use crate::oidc::client_jwks::ClientJwksCache;
use crate::oidc::metadata::PAR_PATH;
use crate::oidc::metadata::REGISTRATION_PATH;
use crate::oidc::metadata::{
    AUTHORIZATION_PATH, DISCOVERY_PATH, END_SESSION_PATH, Features, INTROSPECTION_PATH, JWKS_PATH, REVOCATION_PATH,
    TOKEN_PATH, USERINFO_PATH, discovery_document_for,
};
use crate::oidc::metadata::{DEVICE_AUTHORIZATION_PATH, DEVICE_PATH};
use crate::secrets::random_bytes;
use crate::storage::DpopStore;
use crate::storage::{Backend, Database, KeyEncryptionKey, KeyStoreRepository, PoolOptions, SecondFactorStore};

pub fn key_policy(settings: &Settings) -> KeyPolicy {
    KeyPolicy {
        prepublish_secs: settings.key_prepublish_secs as i64,
        rotation_interval_secs: settings.key_rotation_interval_secs as i64,
        longest_token_ttl_secs: settings.longest_signed_token_ttl_secs() as i64,
        reload_interval_secs: settings.key_reload_interval_secs as i64,
        algs: signing_algs(settings),
    }
}

/// `signing_algs` as the key store takes it (the settings were validated: every name parses).
pub fn signing_algs(settings: &Settings) -> SigningAlgs {
    let list: Vec<SigningAlg> = settings.signing_algs.iter().filter_map(|a| SigningAlg::parse(a).ok()).collect();
    SigningAlgs::new(&list).unwrap_or_else(|_| SigningAlgs::rs256_only())
}

/// The token endpoint's policy from the settings.
fn token_policy(settings: &Settings, issuer: &str) -> TokenPolicy {
    TokenPolicy {
        issuer: issuer.to_owned(),
        access_token_audience: if settings.access_token_audience.is_empty() {
            issuer.to_owned()
        } else {
            settings.access_token_audience.clone()
        },
        access_token_ttl_secs: settings.access_token_ttl_secs as i64,
        id_token_ttl_secs: settings.id_token_ttl_secs as i64,
        refresh_token_ttl_secs: settings.refresh_token_ttl_secs as i64,
        refresh_token_reuse_grace_secs: settings.refresh_token_reuse_grace_secs as i64,
        session_idle_secs: settings.session_idle_secs as i64,
        id_token_alg: None,
        access_token_alg: None,
        dpop_jkt: None,
        token_exchange: settings.token_exchange,
        device_code: settings.device_authorization,
    }
}

/// DPoP from the settings, with the nonce key every node shares (made by the first node that starts).
fn dpop_policy(settings: &Settings, db: &Database, now: i64) -> anyhow::Result<DpopPolicy> {
    let secret = db.server_secret(NONCE_SECRET_NAME, &random_bytes(32), now)?;
    Ok(DpopPolicy::new(settings.dpop, settings.dpop_nonce, settings.dpop_proof_window_secs as i64, &secret))
}

/// The core pool's size (`http::blocking`): the setting, or two threads per core, so that a thread can run while
/// another waits on the database or a lock. On PostgreSQL every query waits a network round trip, so at least as
/// many threads as the node's database connections, which are what bounds its concurrent queries.
fn blocking_threads_for(settings: &Settings, backend: Backend, cores: usize) -> usize {
    match (settings.blocking_threads, backend) {
        (0, Backend::Sqlite) => 2 * cores,
        (0, Backend::Postgres) => (2 * cores).max(settings.database_pool_size as usize),
        (threads, _) => threads,
    }
}

/// Opens the database (migrating it) and the key store, and assembles the protocol core and the HTTP state.
pub fn open_state(settings: Settings, clock: SharedClock) -> anyhow::Result<AppState> {
    let issuer = settings.issuer_url()?.to_string().trim_end_matches('/').to_owned();
    let pool = PoolOptions {
        max_size: settings.database_pool_size,
        connect_timeout: Duration::from_secs(settings.database_connect_timeout_secs),
        catalog_staleness: Duration::from_millis(settings.catalog_cache_ms),
    };
    let db = Database::open(&settings.database_location(), pool)
        .with_context(|| format!("opening the database at {}", settings.database_display()))?
        .with_key_encryption(key_encryption(&settings)?);
    let (cleared, sealed) = db.secure_stored_keys().context("securing the stored signing keys")?;
    if cleared + sealed > 0 {
        tracing::info!(
            cleared,
            sealed,
            "stored signing keys: private halves of retired keys deleted, the others sealed"
        );
    }
    let sealed_totp = db.seal_totp_secrets().context("sealing the stored TOTP secrets")?;
    if sealed_totp > 0 {
        tracing::info!(sealed = sealed_totp, "stored TOTP secrets sealed under the key-encryption key");
    }
    let keys =
        Arc::new(KeyStore::open(&db, key_policy(&settings), clock.now().timestamp()).context("loading signing keys")?);
    let features = Features {
        signing_algs: signing_algs(&settings),
        require_pushed_authorization_requests: settings.require_pushed_authorization_requests,
        registration: settings.registration != RegistrationMode::Off,
        dpop: settings.dpop,
        device_authorization: settings.device_authorization,
        pushed_authorization_requests: settings.pushed_authorization_requests,
        private_key_jwt: settings.private_key_jwt,
        token_exchange: settings.token_exchange,
    };
    let discovery_json = serde_json::to_string(&discovery_document_for(&issuer, features)?)?;
    // One argon2 check per core at once (each holds 19 MiB and a core); up to 32 per core wait their turn, and past
    // that a sign-in is answered 503 at once instead of queueing without limit.
    let cores = std::thread::available_parallelism().map(std::num::NonZeroUsize::get).unwrap_or(2);
    let provider = Provider {
        tokens: token_policy(&settings, &issuer),
        transaction: TransactionPolicy {
            interaction_ttl_secs: settings.interaction_ttl_secs as i64,
            authorization_code_ttl_secs: settings.authorization_code_ttl_secs as i64,
            session_ttl_secs: settings.session_ttl_secs as i64,
            session_idle_secs: settings.session_idle_secs as i64,
            offline_grant_ttl_secs: settings.offline_grant_ttl_secs as i64,
            mfa: settings.mfa,
            pushed_request_ttl_secs: settings.pushed_authorization_request_ttl_secs as i64,
            require_pushed_requests: settings.require_pushed_authorization_requests,
            device_code_ttl_secs: settings.device_code_ttl_secs as i64,
        },
        passwords: PasswordChecker::new(cores, 32 * cores),
        backchannel: Backchannel::new(settings.backchannel_logout_allow_private_networks)
            .with_failure_log(backchannel_failure_log(&db)),
        client_jwks: ClientJwksCache::new(settings.backchannel_logout_allow_private_networks),
        authorize_rate: AddressRateLimit::per_second(settings.authorization_requests_per_second),
        audit_retention_secs: settings.audit_retention_days as i64 * 24 * 3600,
        dpop: dpop_policy(&settings, &db, clock.now().timestamp())?,
        private_key_jwt: settings.private_key_jwt,
        account_profile_edit: settings.account_profile_edit,
        registration: RegistrationPolicy {
            mode: settings.registration,
            allow_private_networks: settings.backchannel_logout_allow_private_networks,
            open_rate: AddressRateLimit::per_second(OPEN_REGISTRATIONS_PER_SECOND),
        },
        passkeys: match settings.passkeys {
            true => Passkeys::for_issuer(&issuer, &settings.product_name)?,
            false => None,
        },
        issuer,
        db,
        keys,
        clock,
    };
    // The admin pages' own client (`tessera-admin`), on every node and at every start (idempotent).
    crate::oauth::admin_sign_in::ensure_admin_client(&provider.db, &provider.issuer, provider.now())
        .map_err(|failure| anyhow::anyhow!("registering the admin pages' client tessera-admin: {failure:?}"))?;
    let cookies = CookiePolicy::for_issuer(settings.issuer_is_https());
    let branding = branding(&settings)?;
    let core_pool = CorePool::new(blocking_threads_for(&settings, provider.db.backend(), cores))
        .context("starting the core's threads")?;
    tracing::info!(threads = core_pool.threads(), "core pool ready");
    Ok(AppState { cookies, settings, discovery_json, provider, branding, core_pool })
}

/// The key-encryption key the settings give, if any (`storage::key_encryption`); a broken one stops the start.
pub fn key_encryption(settings: &Settings) -> anyhow::Result<Option<KeyEncryptionKey>> {
    KeyEncryptionKey::from_settings(&settings.key_encryption_key, &settings.key_encryption_key_file)
        .map_err(anyhow::Error::msg)
}

/// The brand from the settings: the logo file read once and embedded as a `data:` URI (a page never loads a logo
/// from elsewhere), the custom stylesheet read once. A missing or unusable file stops the start, with the reason.
fn branding(settings: &Settings) -> anyhow::Result<Branding> {
    if Locale::by_tag(&settings.default_locale).is_none() {
        anyhow::bail!(
            "default_locale {:?} is not a shipped language; choose one of {}",
            settings.default_locale,
            supported_locales().collect::<Vec<_>>().join(", ")
        );
    }
    let logo = match settings.logo.as_str() {
        "" => None,
        data if data.starts_with("data:") => {
            Some(crate::domain::parse_logo_data_uri(data).map_err(|e| anyhow::anyhow!("logo: {e}"))?)
        }
        path => Some(logo_from_file(path)?),
    };
    let custom_css = match settings.custom_css_file.as_str() {
        "" => None,
        path => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("reading custom_css_file {path:?} (TESSERA_CUSTOM_CSS_FILE)"))?,
        ),
    };
    if let Some(ratio) = Branding::accent_text_contrast(&settings.accent_color).filter(|r| *r < 4.5) {
        tracing::warn!(
            accent_color = %settings.accent_color,
            "the text on accent_color reaches only {ratio:.1}:1 contrast (WCAG asks 4.5:1): buttons will be hard \
             to read; choose a darker or a lighter colour"
        );
    }
    Ok(Branding::new(&settings.product_name, logo, &settings.accent_color, custom_css.as_deref()))
}

/// A logo file as a `data:` URI, by its extension; at most `MAX_LOGO_BYTES`.
fn logo_from_file(path: &str) -> anyhow::Result<String> {
    use base64::Engine;
    let media = match std::path::Path::new(path).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) {
        Some(ext) if ext == "png" => "image/png",
        Some(ext) if ext == "jpg" || ext == "jpeg" => "image/jpeg",
        Some(ext) if ext == "gif" => "image/gif",
        Some(ext) if ext == "webp" => "image/webp",
        Some(ext) if ext == "svg" => "image/svg+xml",
        _ => anyhow::bail!("logo {path:?}: a .png, .jpg, .gif, .webp or .svg file, or a data:image/… URI"),
    };
    let bytes = std::fs::read(path).with_context(|| format!("reading the logo {path:?} (TESSERA_LOGO)"))?;
    if bytes.len() > crate::domain::MAX_LOGO_BYTES {
        anyhow::bail!(
            "logo {path:?} is {} KiB; at most {} KiB",
            bytes.len() / 1024,
            crate::domain::MAX_LOGO_BYTES / 1024
        );
    }
    Ok(format!("data:{media};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

/// A failed back-channel delivery becomes an audit event, written off the async runtime (diesel blocks).
fn backchannel_failure_log(db: &Database) -> crate::oidc::backchannel::FailureLog {
    let db = db.clone();
    Arc::new(move |event| {
        let db = db.clone();
        drop(tokio::task::spawn_blocking(move || crate::oauth::audit::record(&db, event)));
    })
}

/// CORS for the endpoints browser apps call directly (discovery, JWKS, token, userinfo). No credentials: these
/// endpoints authenticate with parameters and headers, never cookies.
fn cors() -> Cors {
    Cors::default()
        .allow_any_origin()
        .allowed_methods(vec!["GET", "POST"])
        .allowed_headers(vec![
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("dpop"),
        ])
        // RFC 9449 §8.2: a browser client must be able to read the nonce.
        .expose_headers(vec![header::HeaderName::from_static("dpop-nonce")])
        .max_age(3600)
}

/// Security headers on every response. The CSP allows our own stylesheet and images embedded as `data:` URIs (the
/// logos), and no script at all (the login and form post pages set their own, adding exactly their script).
/// No `form-action`: Chrome applies it to the redirect after a form post, which would block the redirect back to
/// the client.
fn security_headers(https: bool) -> DefaultHeaders {
    let mut headers = DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
        ))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if https {
        headers = headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"));
    }
    headers
}

/// Body size limit for every form: far above any legitimate request, far below anything that hurts.
const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn build_server(state: web::Data<AppState>, listener: TcpListener) -> anyhow::Result<Server> {
    let https = state.cookies.secure;
    let workers = state.settings.workers;
    let request_timeout = Duration::from_secs(state.settings.request_timeout_secs);
    let connections = ConnectionLimit::new(state.settings.max_connections_per_address);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
            .wrap_fn(move |mut req, service| {
                // The body must arrive within the request timeout too (the head is bounded by the server below).
                let payload = req.take_payload();
                req.set_payload(with_deadline(payload, request_timeout));
                service.call(req)
            })
            .wrap(security_headers(https))
            .wrap(TracingLogger::<PathOnlyRootSpan>::new())
            .service(web::resource(DISCOVERY_PATH).wrap(cors()).route(web::get().to(discovery::openid_configuration)))
            .service(web::resource(JWKS_PATH).wrap(cors()).route(web::get().to(discovery::jwks)))
            .service(
                web::resource(AUTHORIZATION_PATH)
                    .route(web::get().to(authorize::authorize_get))
                    .route(web::post().to(authorize::authorize_post)),
            )
            .service(web::resource(TOKEN_PATH).wrap(cors()).route(web::post().to(token::token)))
            .service(web::resource(REVOCATION_PATH).wrap(cors()).route(web::post().to(revocation::revocation)))
            .service(web::resource(INTROSPECTION_PATH).route(web::post().to(revocation::introspection)))
            .service(
                web::resource(USERINFO_PATH)
                    .wrap(cors())
                    .route(web::get().to(userinfo::userinfo_get))
                    .route(web::post().to(userinfo::userinfo_post)),
            )
            .service(
                web::resource(END_SESSION_PATH)
                    .route(web::get().to(end_session::end_session_get))
                    .route(web::post().to(end_session::end_session_post)),
            )
            .service(web::resource("/interaction/{id}").route(web::get().to(interaction::show)))
            .service(web::resource("/interaction/{id}/{form}").route(web::post().to(interaction::submit)))
            .service(web::resource("/interaction/{id}/passkey/options").route(web::post().to(interaction::passkey)))
            .service(web::resource("/").route(web::get().to(landing::index)))
            .service(web::resource("/static/tessera.css").route(web::get().to(assets::stylesheet)))
            .service(web::resource("/static/tessera.js").route(web::get().to(assets::script)))
            .service(web::resource("/static/passkey.js").route(web::get().to(assets::passkey_script)))
            .service(web::resource("/favicon.ico").route(web::get().to(assets::favicon)))
            .service(web::resource("/healthz").route(web::get().to(health::healthz)))
            .service(web::resource("/account").route(web::get().to(account::show)))
            .service(web::resource("/account/totp").route(web::get().to(account::totp)))
            .service(web::resource("/account/{action}").route(web::post().to(account::submit)))
            .service(web::resource("/account/passkey/options").route(web::post().to(account::passkey_options)))
            .service(web::resource("/account/reauth/options").route(web::post().to(account::reauth_options)))
            .service(
                web::resource("/invite/{token}")
                    .route(web::get().to(invitation::show))
                    .route(web::post().to(invitation::submit)),
            )
            .service(web::resource("/invite/{token}/passkey").route(web::post().to(invitation::submit_passkey)))
            .service(
                web::resource("/invite/{token}/passkey/options").route(web::post().to(invitation::passkey_options)),
            )
            .service(web::resource("/readyz").route(web::get().to(health::readyz)))
            .service(web::resource(PAR_PATH).wrap(cors()).route(web::post().to(par::pushed_authorization_request)))
            .service(
                web::resource("/admin/api/openapi.json").route(web::get().to(crate::http::admin_api::openapi_json)),
            )
            .service(admin_api_routes())
            .service(web::resource(REGISTRATION_PATH).route(web::post().to(registration::register)))
            .service(
                web::resource(format!("{REGISTRATION_PATH}/{{client_id}}"))
                    .route(web::get().to(registration::read))
                    .route(web::put().to(registration::replace))
                    .route(web::delete().to(registration::delete)),
            )
            .service(
                web::resource(DEVICE_AUTHORIZATION_PATH)
                    .wrap(cors())
                    .route(web::post().to(device::device_authorization_request)),
            )
            .service(
                web::resource(DEVICE_PATH).route(web::get().to(device::show)).route(web::post().to(device::submit)),
            )
            .configure(admin_page_routes)
    })
    .client_request_timeout(request_timeout)
    .on_connect(move |connection, extensions| {
        let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() else { return };
        let Ok(peer) = stream.peer_addr() else { return };
        match connections.admit(peer.ip()) {
            // Kept with the connection: its place is given back when the connection closes.
            Some(slot) => {
                extensions.insert(slot);
            }
            None => {
                tracing::warn!(address = %peer.ip(), "connection refused: too many from this address");
                refuse(stream);
            }
        }
    })
    .listen(listener)?;
    let server = if workers > 0 { server.workers(workers) } else { server };
    Ok(server.run())
}

/// The admin API's routes (`/admin/api/v1/`, issue 12), from one table: the router and [`ADMIN_API_ROUTES`] (which
/// the OpenAPI test checks against the document) cannot differ.
macro_rules! admin_api {
    ($( $method:ident $path:literal => $handler:path ),* $(,)?) => {
        /// Every (method, path) the admin API serves.
        pub const ADMIN_API_ROUTES: &[(&str, &str)] = &[$( (stringify!($method), concat!("/admin/api/v1", $path)) ),*];

        fn admin_api_routes() -> actix_web::Scope {
            let scope = web::scope(ADMIN_API_PREFIX);
            $( let scope = scope.route($path, web::$method().to($handler)); )*
            scope.default_service(web::to(crate::http::admin_api::not_found))
        }
    };
}

admin_api! {
    get "/groups" => crate::http::admin_api::list_groups,
    post "/groups" => crate::http::admin_api::create_group,
    get "/groups/{name}" => crate::http::admin_api::get_group,
    patch "/groups/{name}" => crate::http::admin_api::update_group,
    delete "/groups/{name}" => crate::http::admin_api::delete_group,
    put "/groups/{name}/members/{username}" => crate::http::admin_api::add_member,
    delete "/groups/{name}/members/{username}" => crate::http::admin_api::remove_member,
    get "/users" => crate::http::admin_api::list_users,
    get "/audit" => crate::http::admin_api::audit_events,
    get "/settings" => crate::http::admin_api::settings,
    get "/clients" => crate::http::admin_api::list_clients,
    get "/clients/{id}" => crate::http::admin_api::get_client,
    get "/keys" => crate::http::admin_api::list_signing_keys,
    get "/clients/{id}/doctor" => crate::http::admin_api::client_doctor,
    post "/users" => crate::http::admin_api::create_user,
    get "/users/{username}" => crate::http::admin_api::get_user,
    patch "/users/{username}" => crate::http::admin_api::update_user,
    delete "/users/{username}" => crate::http::admin_api::delete_user,
    post "/users/{username}/disable" => crate::http::admin_api::disable_user,
    post "/users/{username}/enable" => crate::http::admin_api::enable_user,
    post "/users/{username}/invite" => crate::http::admin_api::invite_user,
    post "/users/{username}/mfa/reset" => crate::http::admin_api::reset_mfa,
    get "/users/{username}/sessions" => crate::http::admin_api::list_sessions,
    delete "/users/{username}/sessions" => crate::http::admin_api::end_all_sessions,
    delete "/users/{username}/sessions/{sid}" => crate::http::admin_api::end_session,
    post "/clients" => crate::http::admin_api::create_client,
    patch "/clients/{id}" => crate::http::admin_api::update_client,
    delete "/clients/{id}" => crate::http::admin_api::delete_client,
    post "/clients/{id}/secret" => crate::http::admin_api::rotate_client_secret,
    post "/keys/rotate" => crate::http::admin_api::rotate_signing_keys,
    post "/keys/{kid}/revoke" => crate::http::admin_api::revoke_signing_key,
}

/// The admin pages (`/admin`, `http/admin_pages.rs`); after the admin API's scope, which keeps `/admin/api/`.
fn admin_page_routes(config: &mut web::ServiceConfig) {
    use crate::http::admin_pages as pages;
    config
        .service(web::resource("/admin").route(web::get().to(pages::users)))
        .service(web::resource("/admin/callback").route(web::get().to(pages::callback)))
        .service(web::resource("/admin/sign-out").route(web::post().to(pages::sign_out_submit)))
        .service(
            web::resource("/admin/users").route(web::get().to(pages::users)).route(web::post().to(pages::create_user)),
        )
        .service(web::resource("/admin/users/{username}").route(web::get().to(pages::user)))
        .service(web::resource("/admin/users/{username}/{action}").route(web::post().to(pages::user_action)))
        .service(
            web::resource("/admin/groups")
                .route(web::get().to(pages::groups))
                .route(web::post().to(pages::create_group)),
        )
        .service(web::resource("/admin/groups/{name}").route(web::get().to(pages::group)))
        .service(web::resource("/admin/groups/{name}/{action}").route(web::post().to(pages::group_member)))
        .service(
            web::resource("/admin/clients")
                .route(web::get().to(pages::clients))
                .route(web::post().to(pages::create_client)),
        )
        .service(web::resource("/admin/clients/new").route(web::get().to(pages::new_client)))
        .service(web::resource("/admin/clients/{id}").route(web::get().to(pages::client)))
        .service(web::resource("/admin/keys").route(web::get().to(pages::keys)))
        .service(web::resource("/admin/keys/rotate").route(web::post().to(pages::rotate_keys)))
        .service(web::resource("/admin/audit").route(web::get().to(pages::audit)))
        .service(
            web::resource("/admin/clients/{id}/edit")
                .route(web::get().to(pages::edit_client))
                .route(web::post().to(pages::client_edit_submit)),
        )
        .service(web::resource("/admin/clients/{id}/{action}").route(web::post().to(pages::client_action)))
        .service(web::resource("/admin/keys/{kid}/revoke").route(web::post().to(pages::revoke_key)));
}

/// Where the admin API lives.
pub const ADMIN_API_PREFIX: &str = "/admin/api/v1";

/// Every `key_reload_interval_secs`, the core's maintenance (`Provider::maintain`). A failure (database down) is
/// logged and retried next time; the server keeps signing and publishing from memory meanwhile.
pub fn spawn_key_maintenance(state: web::Data<AppState>) {
    let interval = Duration::from_secs(state.settings.key_reload_interval_secs);
    actix_web::rt::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.tick().await;
        loop {
            ticker.tick().await;
            let worker_state = state.clone();
            let result = web::block(move || worker_state.provider.maintain()).await;
            match result {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %format!("{e:#}"), "maintenance failed; retrying next interval"),
                Err(e) => tracing::error!(error = %e, "maintenance task failed"),
            }
        }
    });
}

/// A running server, as the tests and `tessera serve` use it.
pub struct Application {
    pub port: u16,
    pub state: web::Data<AppState>,
    server: Server,
    /// The metrics listener's address, when `metrics_bind` is set.
    pub metrics_address: Option<std::net::SocketAddr>,
    metrics: Option<Server>,
}

impl Application {
    /// Binds `listener`, opens the state and builds the server (not yet polled).
    pub fn build(settings: Settings, listener: TcpListener, clock: SharedClock) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let state = web::Data::new(open_state(settings, clock)?);
        let server = build_server(state.clone(), listener)?;
        let (metrics, metrics_address) = match build_metrics_server(state.clone())? {
            Some((server, address)) => (Some(server), Some(address)),
            None => (None, None),
        };
        Ok(Application { port, state, server, metrics_address, metrics })
    }

    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        spawn_key_maintenance(self.state.clone());
        if let Some(metrics) = self.metrics {
            actix_web::rt::spawn(metrics);
        }
        self.server.await
    }
}

/// `GET /metrics` on `metrics_bind`, a listener of its own (so it is not exposed where the server is), one worker;
/// `None` when `metrics_bind` is empty (metrics off).
pub fn build_metrics_server(state: web::Data<AppState>) -> anyhow::Result<Option<(Server, std::net::SocketAddr)>> {
    if state.settings.metrics_bind.is_empty() {
        return Ok(None);
    }
    let handle = web::Data::new(crate::http::metrics::prometheus()?);
    let bind = state.settings.metrics_bind.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(handle.clone())
            .service(web::resource("/metrics").route(web::get().to(crate::http::metrics::render)))
    })
    .workers(1);
    let listener = TcpListener::bind(&bind).with_context(|| format!("binding metrics_bind {bind}"))?;
    let address = listener.local_addr()?;
    let server = server.listen(listener)?;
    tracing::info!(%address, "metrics served at /metrics");
    Ok(Some((server.run(), address)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_pool_has_two_threads_a_core_and_on_postgresql_at_least_a_thread_per_connection() {
        let settings = Settings { database_pool_size: 8, ..Settings::default() };
        assert_eq!(blocking_threads_for(&settings, Backend::Sqlite, 2), 4);
        assert_eq!(blocking_threads_for(&settings, Backend::Postgres, 2), 8);
        assert_eq!(blocking_threads_for(&settings, Backend::Postgres, 8), 16);
        let set = Settings { blocking_threads: 3, ..settings };
        assert_eq!(blocking_threads_for(&set, Backend::Sqlite, 2), 3);
        assert_eq!(blocking_threads_for(&set, Backend::Postgres, 2), 3);
    }
}
