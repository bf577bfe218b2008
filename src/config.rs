//! Settings: defaults < TOML file (`--config FILE`) < `TESSERA_*` environment variables.
//!
//! Every key is documented in the README's configuration reference; the environment variable of a key is
//! `TESSERA_` followed by the key in upper case (`access_token_ttl_secs` -> `TESSERA_ACCESS_TOKEN_TTL_SECS`).
//! An unknown key in the file is an error: a typo must not silently fall back to a default. Unknown `TESSERA_*`
//! environment variables are ignored and reported (the caller warns once): Kubernetes injects `TESSERA_PORT`,
//! `TESSERA_SERVICE_HOST`, `TESSERA_PORT_8080_TCP_ADDR`… into every pod of a namespace with a service named
//! `tessera`, and those must not stop the server.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Public URL of the server; every endpoint URL derives from it. May be https behind a proxy.
    pub issuer: String,
    /// Address the HTTP server listens on.
    pub bind: String,
    /// Where the SQLite database lives by default.
    pub data_dir: PathBuf,
    /// A SQLite file path, a `sqlite://` URL or a `postgres://` URL. Empty: `<data_dir>/tessera.db`.
    pub database_url: String,
    pub database_pool_size: u32,
    /// How long a request waits for a database connection before it is answered 503 (temporarily unavailable).
    pub database_connect_timeout_secs: u64,
    /// Each node keeps clients and resources in memory; a change made elsewhere (the CLI, another node) is seen
    /// within this many milliseconds. 0 checks at every use.
    pub catalog_cache_ms: u64,
    pub authorization_code_ttl_secs: u64,
    pub access_token_ttl_secs: u64,
    pub id_token_ttl_secs: u64,
    pub refresh_token_ttl_secs: u64,
    /// A refresh token presented again within this many seconds of its rotation returns the same successor
    /// instead of counting as reuse (two tabs refreshing at once). 0 (the default) turns the grace off, as RFC 9700
    /// §4.14.2 is written; a client may opt in with its own `refresh_token_reuse_grace_secs`.
    pub refresh_token_reuse_grace_secs: u64,
    /// A grant with offline_access ends this long after it was made, whatever happens (online grants end with
    /// their browser session).
    pub offline_grant_ttl_secs: u64,
    /// New authorization requests a second from one address (an IPv6 /64), with bursts of five times as many;
    /// counted in each node's memory. 0 turns the limit off.
    pub authorization_requests_per_second: u32,
    /// `aud` of access tokens (RFC 9068 §3: the default resource). Empty: the issuer URL.
    pub access_token_audience: String,
    /// How long a browser session lasts after a login (absolute lifetime).
    pub session_ttl_secs: u64,
    /// A browser session unused for this long ends (idle lifetime).
    pub session_idle_secs: u64,
    /// How long a parked authorization request (login or consent page) waits for the user.
    pub interaction_ttl_secs: u64,
    /// A key signs for this long before the next one takes over (automatic rotation).
    pub key_rotation_interval_secs: u64,
    /// `Cache-Control: max-age` of the JWKS document.
    pub jwks_max_age_secs: u64,
    /// How long a new key is published before it may sign. Must exceed `jwks_max_age_secs` plus
    /// `key_reload_interval_secs`, so every cached JWKS has it before the first token it signs.
    pub key_prepublish_secs: u64,
    /// How often the server re-reads the key set from the database (rotations made by the CLI or another node).
    pub key_reload_interval_secs: u64,
    /// Take the client address for throttling and for the request log from the last `X-Forwarded-For` entry (only
    /// behind a proxy that sets it; otherwise a client could choose its own address).
    pub trust_forwarded_headers: bool,
    /// Deliver back-channel logout tokens over plain http and to loopback, link-local and private addresses
    /// (development only: in production a client could make Tessera POST into its own network).
    pub backchannel_logout_allow_private_networks: bool,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Threads that run the protocol core (the database, signing) for requests, shared by the workers; 0 means
    /// automatic (`blocking_threads_for`). Fewer threads than requests in flight keep each busy from one request
    /// to the next instead of waking a thread per request.
    pub blocking_threads: usize,
    /// How long a client may take to send a request, head and body.
    pub request_timeout_secs: u64,
    /// Open connections one address may hold; 0 means no limit. Behind a reverse proxy every connection comes from
    /// the proxy: raise this or set 0 there.
    pub max_connections_per_address: usize,
    /// The language of the pages when neither `ui_locales` nor the browser's `Accept-Language` names a shipped one.
    pub default_locale: String,
    /// The name the pages show (title, heading, landing page).
    pub product_name: String,
    /// The logo on every page: a PNG, JPEG, GIF, WebP or SVG file (read once at start and embedded in the pages) or
    /// a `data:image/…` URI. Empty: the built-in mark. Never fetched from anywhere at render time.
    pub logo: String,
    /// The accent colour of buttons, links and focus rings, `#rrggbb`. Empty: the built-in blue. The text on it is
    /// black or white, whichever contrasts more.
    pub accent_color: String,
    /// A stylesheet appended to the built-in one (read once at start). Empty: none.
    pub custom_css_file: String,
    /// Audit events older than this many days are purged by the maintenance.
    pub audit_retention_days: u64,
    /// `text` (the default) or `json`: one JSON object per line, with the request id, route, status and latency.
    pub log_format: String,
    /// Where the Prometheus metrics are served (`GET /metrics`), a listener of its own. Empty (the default): off.
    pub metrics_bind: String,
    /// The JWS algorithms Tessera signs with, one rotating key ring each: RS256, PS256, ES256, EdDSA. The first
    /// signs whatever names no algorithm of its own. A list, or one string separated by spaces or commas (as
    /// `TESSERA_SIGNING_ALGS=RS256,ES256` is).
    #[serde(deserialize_with = "string_or_list")]
    pub signing_algs: Vec<String>,
    /// RFC 9126 §5: every client's authorization requests must come by PAR (the per-client switch is
    /// `--require-pushed-authorization-requests`).
    pub require_pushed_authorization_requests: bool,
    /// How long a pushed request's `request_uri` may be used (once), RFC 9126 §2.2 `expires_in`.
    pub pushed_authorization_request_ttl_secs: u64,
    /// The key-encryption key that seals private signing keys at rest (base64 of 32 random bytes), given directly;
    /// meant for the environment (`TESSERA_KEY_ENCRYPTION_KEY`) or a secret store. Empty: keys stored unsealed.
    pub key_encryption_key: String,
    /// A file holding that key (its base64 text) instead. Empty: none.
    pub key_encryption_key_file: String,
    /// Second factors: `off` (never asked), `optional` (asked of users who enrolled one, or when a client or the
    /// request requires it) or `required` (every user must have one to sign in).
    pub mfa: MfaPolicy,
    /// RFC 8628 §3.2 `expires_in`: how long a device code and its user code live.
    pub device_code_ttl_secs: u64,
    /// Dynamic client registration (RFC 7591 / 7592) at `/oauth/register`: `off`, `initial-access-token` (a token
    /// from `tessera registration token create` is needed to register) or `open` (anyone may register: for
    /// development only).
    pub registration: RegistrationMode,
    /// Passkeys (WebAuthn): "Sign in with a passkey", passkeys as a second factor, on the account and invitation
    /// pages. The relying party id is the issuer's host; an https issuer is needed (http only on a loopback host).
    pub passkeys: bool,
    /// DPoP (RFC 9449): proofs are accepted at the token endpoint and bind the access token to the client's key.
    /// Off: a `DPoP` header is refused and discovery does not list DPoP.
    pub dpop: bool,
    /// RFC 9449 §8: every DPoP proof must carry a nonce the server gave (`use_dpop_nonce`, `DPoP-Nonce`).
    pub dpop_nonce: bool,
    /// RFC 9449 §4.3 and §11.1: a proof's `iat` may be this many seconds before or after the server's clock, and its
    /// `jti` is kept that long after `iat`.
    pub dpop_proof_window_secs: u64,
    /// RFC 8628: the device authorization endpoint, `/device` and the device_code grant. Off: 404 there,
    /// `unsupported_grant_type`, and not in discovery.
    pub device_authorization: bool,
    /// RFC 9126: the pushed authorization request endpoint. Off: 404 there and not in discovery.
    pub pushed_authorization_requests: bool,
    /// RFC 7523 / OpenID Connect Core §9: client assertions (`private_key_jwt`). Off: an assertion is
    /// `invalid_client` and discovery lists neither the method nor its algorithms.
    pub private_key_jwt: bool,
    /// RFC 8693: the token exchange grant. Off (the default): `unsupported_grant_type` and not in discovery.
    pub token_exchange: bool,
    /// People may change their own `name` and `picture` on the account page. Off (the default): the profile is
    /// read-only there and only an operator changes it.
    pub account_profile_edit: bool,
}

/// The `registration` setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationMode {
    /// No registration endpoint: clients are registered with `tessera client add`.
    #[default]
    Off,
    /// RFC 7591 §3: a registration request carries an initial access token as a Bearer token.
    InitialAccessToken,
    /// Anyone may register a client (rate-limited per address). For development only.
    Open,
}

/// The `mfa` setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MfaPolicy {
    /// No second factor is ever asked; a client or request that requires one cannot be satisfied.
    Off,
    /// Users who enrolled a second factor are asked for it; those who did not, only when a client
    /// (`--require-mfa`) or the request (`acr_values`, an essential `acr`) requires one, and then cannot sign in.
    #[default]
    Optional,
    /// Every sign-in needs a second factor.
    Required,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            issuer: DEFAULT_ISSUER.into(),
            bind: DEFAULT_BIND.into(),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            database_pool_size: 8,
            database_connect_timeout_secs: 5,
            catalog_cache_ms: 1000,
            authorization_code_ttl_secs: 60,
            access_token_ttl_secs: 300,
            id_token_ttl_secs: 300,
            refresh_token_ttl_secs: 24 * 3600,
            refresh_token_reuse_grace_secs: 0,
            offline_grant_ttl_secs: 30 * 24 * 3600,
            authorization_requests_per_second: 20,
            access_token_audience: String::new(),
            session_ttl_secs: 8 * 3600,
            session_idle_secs: 3600,
            interaction_ttl_secs: 15 * 60,
            key_rotation_interval_secs: 30 * 24 * 3600,
            jwks_max_age_secs: 600,
            key_prepublish_secs: 3600,
            key_reload_interval_secs: 60,
            trust_forwarded_headers: false,
            backchannel_logout_allow_private_networks: false,
            workers: 0,
            blocking_threads: 0,
            request_timeout_secs: 10,
            max_connections_per_address: 1024,
            default_locale: "en".into(),
            product_name: "Tessera".into(),
            logo: String::new(),
            accent_color: String::new(),
            custom_css_file: String::new(),
            key_encryption_key: String::new(),
            key_encryption_key_file: String::new(),
            mfa: MfaPolicy::Optional,
            signing_algs: vec!["RS256".into()],
            require_pushed_authorization_requests: false,
            pushed_authorization_request_ttl_secs: 60,
            audit_retention_days: 90,
            log_format: "text".into(),
            metrics_bind: String::new(),
            registration: RegistrationMode::Off,
            device_code_ttl_secs: 600,
            passkeys: true,
            dpop: true,
            dpop_nonce: false,
            dpop_proof_window_secs: 60,
            device_authorization: true,
            pushed_authorization_requests: true,
            private_key_jwt: true,
            token_exchange: false,
            account_profile_edit: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// Each problem once, in words (figment's own text repeats itself and lists every key).
    #[error("configuration: {0}")]
    Invalid(String),
}

/// The issuer when none is configured.
pub const DEFAULT_ISSUER: &str = "http://127.0.0.1:8080";
/// The listen address when none is configured.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// The prefix of every setting's environment variable.
const ENV_PREFIX: &str = "TESSERA_";

/// Environment variables read by the CLI itself rather than by [`Settings`] (`TESSERA_CONFIG`).
const CLI_ENV_KEYS: &[&str] = &["config"];

/// Settings as loaded, with the `TESSERA_*` variables that were ignored because no setting has their name.
#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    /// Full variable names (`TESSERA_PORT`), sorted; empty when every variable was known.
    pub ignored_env: Vec<String>,
    /// The configuration file read, if any.
    pub config_file: Option<PathBuf>,
    /// What the operator should know about how the settings were completed (an issuer derived from the bind), or
    /// should fix (a bind that clients cannot reach at the issuer): one line each, for the caller to log.
    pub warnings: Vec<String>,
}

impl Loaded {
    /// The one warning line for the ignored variables, if any, with the setting each one most likely meant.
    pub fn ignored_env_warning(&self) -> Option<String> {
        (!self.ignored_env.is_empty()).then(|| {
            let named: Vec<String> = self
                .ignored_env
                .iter()
                .map(|var| {
                    let key = var.trim_start_matches(ENV_PREFIX).to_ascii_lowercase();
                    match did_you_mean(&key) {
                        Some(close) => format!("{var} (did you mean {ENV_PREFIX}{}?)", close.to_ascii_uppercase()),
                        None => var.clone(),
                    }
                })
                .collect();
            format!(
                "ignoring environment variables that name no setting: {} (unknown TESSERA_* variables are \
                 ignored; check for a typo)",
                named.join(", ")
            )
        })
    }
}

/// The setting whose name is closest to `key`, if one is close enough to be a typo of it.
pub fn did_you_mean(key: &str) -> Option<String> {
    let key = key.to_ascii_lowercase();
    Settings::keys()
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(&key, &k), k))
        .filter(|(distance, k)| *distance <= (k.len() / 4).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

/// figment's error list in words, each problem once: an unknown key with the closest known one, a bad value with
/// its key and where it came from.
fn describe_load_error(error: figment::Error) -> SettingsError {
    use figment::error::Kind;
    let lines: Vec<String> = error
        .into_iter()
        .map(|e| {
            let source = e.metadata.as_ref().and_then(|m| m.source.as_ref()).map(|s| format!(" in {s}"));
            let source = source.unwrap_or_default();
            match &e.kind {
                Kind::UnknownField(field, _) => match did_you_mean(field) {
                    Some(close) => format!("unknown setting `{field}`{source}: did you mean `{close}`?"),
                    None => format!("unknown setting `{field}`{source} (the settings are listed in the README)"),
                },
                kind => {
                    let key = e.path.last().map(|k| format!("`{k}`")).unwrap_or_else(|| "a setting".into());
                    format!("{key}{source}: {kind}")
                }
            }
        })
        .collect();
    SettingsError::Invalid(lines.join("; "))
}

impl Settings {
    /// The keys of the settings, as in the file and (upper-cased, after `TESSERA_`) in the environment.
    fn keys() -> Vec<String> {
        match serde_json::to_value(Settings::default()) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// Loads defaults, then the TOML file if given, then the `TESSERA_*` variables that name a setting; validates
    /// the result. Other `TESSERA_*` variables are left out and returned for the caller to warn about.
    pub fn load(config_file: Option<&Path>) -> Result<Loaded, SettingsError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        // The same sources without the defaults: whether the operator chose the issuer themselves.
        let mut chosen = Figment::new();
        if let Some(path) = config_file {
            if !path.exists() {
                return Err(SettingsError::Invalid(format!("config file {} does not exist", path.display())));
            }
            figment = figment.merge(Toml::file(path));
            chosen = chosen.merge(Toml::file(path));
        }
        let known = Settings::keys();
        // figment hands the filter the variable's own case; settings are matched case-insensitively, as figment does.
        let is_known = move |key: &str| known.iter().any(|k| k.eq_ignore_ascii_case(key));
        let env = Env::prefixed(ENV_PREFIX).ignore(CLI_ENV_KEYS);
        let mut ignored_env: Vec<String> = env
            .iter()
            .map(|(key, _)| key.to_string())
            .filter(|key| !is_known(key))
            .map(|key| format!("{ENV_PREFIX}{}", key.to_ascii_uppercase()))
            .collect();
        ignored_env.sort();
        ignored_env.dedup();
        let known_env = env.filter(move |key| is_known(key.as_str()));
        figment = figment.merge(known_env.clone());
        chosen = chosen.merge(known_env);
        let mut settings: Settings = figment.extract().map_err(describe_load_error)?;
        let issuer_chosen = chosen.find_value("issuer").is_ok();
        let warnings = settings.complete(issuer_chosen);
        settings.validate()?;
        Ok(Loaded { settings, ignored_env, config_file: config_file.map(Path::to_path_buf), warnings })
    }

    /// Normalises what has one meaning under several spellings, and derives the issuer from the bind when only the
    /// bind was changed; returns what the operator should hear about it.
    fn complete(&mut self, issuer_chosen: bool) -> Vec<String> {
        // One spelling of the issuer everywhere (`iss` is compared as a string by relying parties).
        let trimmed = self.issuer.trim_end_matches('/');
        if trimmed.len() != self.issuer.len() && !trimmed.ends_with(':') {
            self.issuer = trimmed.to_owned();
        }
        let mut warnings = Vec::new();
        if issuer_chosen || self.bind == DEFAULT_BIND {
            return warnings;
        }
        let Some((host, port)) = self.bind.rsplit_once(':') else { return warnings };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let ip = host.parse::<std::net::IpAddr>().ok();
        if host == "localhost" || ip.is_some_and(|ip| ip.is_loopback()) {
            let host = if ip.is_some_and(|ip| ip.is_ipv6()) { format!("[{host}]") } else { host.to_owned() };
            self.issuer = format!("http://{host}:{port}");
            warnings.push(format!(
                "issuer not set: using {} (derived from bind = {:?}); set issuer (TESSERA_ISSUER) to the public URL \
                 when clients reach the server another way",
                self.issuer, self.bind
            ));
        } else {
            let local = if ip.is_some_and(|ip| ip.is_unspecified()) { "127.0.0.1" } else { host };
            let host = if local.contains(':') { format!("[{local}]") } else { local.to_owned() };
            self.issuer = format!("http://{host}:{port}");
            warnings.push(format!(
                "!!! issuer not set while bind = {:?}: using {}, which only this machine may reach. Set issuer \
                 (TESSERA_ISSUER) to the URL clients and browsers use (https behind a TLS proxy): it is the `iss` of \
                 every token and the base of every endpoint URL. !!!",
                self.bind, self.issuer
            ));
        }
        warnings
    }

    pub fn validate(&self) -> Result<(), SettingsError> {
        let issuer = self.issuer_url()?;
        if issuer.scheme() != "https" && issuer.scheme() != "http" {
            return Err(SettingsError::Invalid("issuer must be an http or https URL".into()));
        }
        // OpenID Connect Discovery §3: the issuer has no query or fragment.
        if issuer.query().is_some() || issuer.fragment().is_some() {
            return Err(SettingsError::Invalid("issuer must not have a query or fragment".into()));
        }
        check_bind(&self.bind)?;
        if let Err(reason) = check_accent_color(&self.accent_color) {
            return Err(SettingsError::Invalid(format!("accent_color {:?}: {reason}", self.accent_color)));
        }
        if self.product_name.trim().is_empty() || self.product_name.chars().count() > 60 {
            return Err(SettingsError::Invalid("product_name must have 1 to 60 characters".into()));
        }
        const TEN_YEARS: u64 = 10 * 365 * 24 * 3600;
        for (name, value) in
            [("jwks_max_age_secs", self.jwks_max_age_secs), ("key_prepublish_secs", self.key_prepublish_secs)]
        {
            if value > TEN_YEARS {
                return Err(SettingsError::Invalid(format!("{name} is longer than ten years")));
            }
        }
        for (name, value) in [
            ("authorization_code_ttl_secs", self.authorization_code_ttl_secs),
            ("access_token_ttl_secs", self.access_token_ttl_secs),
            ("id_token_ttl_secs", self.id_token_ttl_secs),
            ("refresh_token_ttl_secs", self.refresh_token_ttl_secs),
            ("session_ttl_secs", self.session_ttl_secs),
            ("session_idle_secs", self.session_idle_secs),
            ("offline_grant_ttl_secs", self.offline_grant_ttl_secs),
            ("interaction_ttl_secs", self.interaction_ttl_secs),
            ("key_rotation_interval_secs", self.key_rotation_interval_secs),
            ("key_reload_interval_secs", self.key_reload_interval_secs),
            ("database_connect_timeout_secs", self.database_connect_timeout_secs),
            ("request_timeout_secs", self.request_timeout_secs),
            ("pushed_authorization_request_ttl_secs", self.pushed_authorization_request_ttl_secs),
            ("device_code_ttl_secs", self.device_code_ttl_secs),
        ] {
            if value == 0 {
                return Err(SettingsError::Invalid(format!("{name} must be greater than 0")));
            }
            if value > TEN_YEARS {
                return Err(SettingsError::Invalid(format!("{name} is longer than ten years")));
            }
        }
        if self.require_pushed_authorization_requests && !self.pushed_authorization_requests {
            return Err(SettingsError::Invalid(
                "require_pushed_authorization_requests needs pushed_authorization_requests on".into(),
            ));
        }
        if !(1..=600).contains(&self.dpop_proof_window_secs) {
            return Err(SettingsError::Invalid("dpop_proof_window_secs is between 1 and 600".into()));
        }
        if self.refresh_token_reuse_grace_secs > 60 {
            return Err(SettingsError::Invalid("refresh_token_reuse_grace_secs is at most 60".into()));
        }
        if self.key_prepublish_secs < self.jwks_max_age_secs + self.key_reload_interval_secs {
            return Err(SettingsError::Invalid(
                "key_prepublish_secs must be at least jwks_max_age_secs + key_reload_interval_secs, \
                 or a relying party could meet a kid its cached JWKS does not have"
                    .into(),
            ));
        }
        check_signing_algs(&self.signing_algs)?;
        if self.database_pool_size == 0 {
            return Err(SettingsError::Invalid("database_pool_size must be greater than 0".into()));
        }
        if !(1..=3650).contains(&self.audit_retention_days) {
            return Err(SettingsError::Invalid("audit_retention_days is between 1 and 3650".into()));
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(SettingsError::Invalid(format!("log_format {:?}: text or json", self.log_format)));
        }
        if !self.metrics_bind.is_empty() {
            check_bind(&self.metrics_bind).map_err(|e| SettingsError::Invalid(format!("metrics_bind: {e}")))?;
        }
        check_passkeys_issuer(self.passkeys, &issuer)?;
        Ok(())
    }

    /// The SQLite database file, absolute, or `None` for PostgreSQL: what a command names when it finds none.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let location = self.database_location();
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            return None;
        }
        let path =
            PathBuf::from(location.strip_prefix("sqlite://").or(location.strip_prefix("sqlite:")).unwrap_or(&location));
        Some(std::path::absolute(&path).unwrap_or(path))
    }

    /// The issuer as a URL, without a trailing slash in the path (so `{issuer}/oauth/token` is well formed).
    pub fn issuer_url(&self) -> Result<Url, SettingsError> {
        Url::parse(self.issuer.trim_end_matches('/'))
            .map_err(|e| SettingsError::Invalid(format!("issuer {:?}: {e}", self.issuer)))
    }

    /// The database location: `database_url` if set, else the SQLite file under `data_dir`.
    pub fn database_location(&self) -> String {
        if self.database_url.is_empty() {
            self.data_dir.join("tessera.db").to_string_lossy().into_owned()
        } else {
            self.database_url.clone()
        }
    }

    /// The database location for logs and error messages: a URL's password is replaced.
    pub fn database_display(&self) -> String {
        let location = self.database_location();
        match Url::parse(&location) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("redacted"));
                url.to_string()
            }
            _ => location,
        }
    }

    /// Whether the issuer's scheme is https. The scheme is case-insensitive (RFC 3986 §3.1): `HTTPS://…` is https.
    pub fn issuer_is_https(&self) -> bool {
        self.issuer_url().is_ok_and(|url| url.scheme() == "https")
    }

    /// True when the issuer is plain http on a host other than loopback: tokens and passwords would cross the
    /// network in clear. Allowed (a TLS proxy may sit in front with a wrong issuer during setup) but warned about.
    pub fn issuer_is_insecure(&self) -> bool {
        match self.issuer_url() {
            Ok(url) if url.scheme() == "http" => !matches!(
                url.host(),
                Some(url::Host::Domain("localhost"))
                    | Some(url::Host::Ipv4(std::net::Ipv4Addr::LOCALHOST))
                    | Some(url::Host::Ipv6(std::net::Ipv6Addr::LOCALHOST))
            ),
            _ => false,
        }
    }

    /// The longest a signed token can live; a retired key stays published at least this long.
    pub fn longest_signed_token_ttl_secs(&self) -> u64 {
        self.access_token_ttl_secs.max(self.id_token_ttl_secs)
    }
}

/// `bind` is an IP address and a port (`127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:8080`), or `localhost:PORT`. Other
/// host names are refused: one may resolve to several addresses, or to a different one tomorrow.
fn check_bind(bind: &str) -> Result<(), SettingsError> {
    if bind.parse::<SocketAddr>().is_ok() {
        return Ok(());
    }
    let fail = |why: &str| {
        Err(SettingsError::Invalid(format!(
            "bind {bind:?}: {why}; write an IP address and a port: 127.0.0.1:8080 (this machine only), 0.0.0.0:8080 \
             (every IPv4 interface), [::]:8080 (every interface) or localhost:8080"
        )))
    };
    match bind.rsplit_once(':') {
        None => fail("no port"),
        Some((_, port)) if port.parse::<u16>().is_err() => fail("the port is not a number from 0 to 65535"),
        Some(("localhost", _)) => Ok(()),
        Some((host, _)) if host.contains(':') && !host.starts_with('[') => fail("an IPv6 address goes in brackets"),
        Some((host, _)) => {
            fail(&format!("{host:?} is not an IP address (host names other than localhost are not looked up)"))
        }
    }
}

/// Empty, or `#rrggbb`.
fn check_accent_color(color: &str) -> Result<(), &'static str> {
    if color.is_empty() {
        return Ok(());
    }
    let hex = color.strip_prefix('#').ok_or("write it as #rrggbb")?;
    if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) { Ok(()) } else { Err("write it as #rrggbb") }
}

/// The algorithms `signing_algs` may list (the JWS names, case-sensitive: RFC 7515 §4.1.1).
pub const SIGNING_ALGS: [&str; 4] = ["RS256", "PS256", "ES256", "EdDSA"];

fn check_signing_algs(algs: &[String]) -> Result<(), SettingsError> {
    if algs.is_empty() {
        return Err(SettingsError::Invalid("signing_algs lists at least one algorithm (RS256)".into()));
    }
    for (i, alg) in algs.iter().enumerate() {
        if !SIGNING_ALGS.contains(&alg.as_str()) {
            return Err(SettingsError::Invalid(format!(
                "signing_algs: unknown algorithm {alg:?} (RS256, PS256, ES256, EdDSA)"
            )));
        }
        if algs[..i].contains(alg) {
            return Err(SettingsError::Invalid(format!("signing_algs lists {alg} twice")));
        }
    }
    Ok(())
}

/// A list setting written either as a list or as one string separated by spaces or commas (environment variables).
fn string_or_list<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Raw::deserialize(deserializer)? {
        Raw::One(text) => text.split([' ', ',']).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        Raw::Many(list) => list,
    })
}

/// WebAuthn §13.4.1 / the Secure Contexts rule browsers apply: a passkey ceremony runs only on a secure origin
/// (https, or http on a loopback host, which browsers treat as potentially trustworthy). A plain-http issuer on
/// another host would offer a button that can never work, so the start is refused.
fn check_passkeys_issuer(passkeys: bool, issuer: &Url) -> Result<(), SettingsError> {
    if !passkeys || issuer.scheme() == "https" {
        return Ok(());
    }
    let loopback = match issuer.host() {
        Some(url::Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if loopback {
        return Ok(());
    }
    Err(SettingsError::Invalid(format!(
        "passkeys need a secure origin, and the issuer {issuer} is plain http on a host that is not loopback: \
         use an https issuer, or set passkeys = false (TESSERA_PASSKEYS=false)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_local() {
        let s = Settings::default();
        s.validate().unwrap();
        assert_eq!(s.issuer, "http://127.0.0.1:8080");
        assert!(!s.issuer_is_insecure());
        assert_eq!(s.database_location(), Path::new("data").join("tessera.db").to_string_lossy());
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's own error type in its test jail
    fn file_then_environment_override_defaults_and_unknown_file_keys_fail() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file("t.toml", "issuer = \"https://id.example.com\"\naccess_token_ttl_secs = 120\n")?;
            jail.set_env("TESSERA_ACCESS_TOKEN_TTL_SECS", "90");
            jail.set_env("TESSERA_CONFIG", "t.toml");
            let loaded = Settings::load(Some(Path::new("t.toml"))).map_err(|e| e.to_string())?;
            let s = loaded.settings;
            assert_eq!(s.issuer, "https://id.example.com");
            assert_eq!(s.access_token_ttl_secs, 90);
            assert!(s.issuer_is_https());
            assert!(loaded.ignored_env.is_empty(), "TESSERA_CONFIG is the CLI's: {:?}", loaded.ignored_env);

            jail.create_file("bad.toml", "isuer = \"https://typo.example\"\n")?;
            let err = Settings::load(Some(Path::new("bad.toml"))).unwrap_err().to_string();
            assert!(err.contains("isuer"), "{err}");
            Ok(())
        });
    }

    /// Kubernetes injects `<SERVICE>_PORT`, `<SERVICE>_SERVICE_HOST`… for a service named `tessera`: ignored and
    /// named, while the known variables still apply.
    #[test]
    #[allow(clippy::result_large_err)] // figment's own error type in its test jail
    fn unknown_environment_variables_are_ignored_and_named() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("TESSERA_PORT", "tcp://10.0.0.1:8080");
            jail.set_env("TESSERA_SERVICE_HOST", "10.0.0.1");
            jail.set_env("TESSERA_ACCES_TOKEN_TTL_SECS", "90");
            jail.set_env("TESSERA_WORKERS", "3");
            let loaded = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(loaded.settings.workers, 3);
            assert_eq!(loaded.settings.access_token_ttl_secs, 300, "a misspelt variable changes nothing");
            assert_eq!(loaded.ignored_env, ["TESSERA_ACCES_TOKEN_TTL_SECS", "TESSERA_PORT", "TESSERA_SERVICE_HOST"]);
            let warning = loaded.ignored_env_warning().unwrap_or_default();
            for name in ["TESSERA_PORT", "TESSERA_SERVICE_HOST", "TESSERA_ACCES_TOKEN_TTL_SECS"] {
                assert!(warning.contains(name), "{warning}");
            }
            assert!(!warning.contains("TESSERA_WORKERS"), "{warning}");

            jail.create_file("typo.toml", "workerz = 2\n")?;
            assert!(Settings::load(Some(Path::new("typo.toml"))).is_err(), "the file stays strict");
            Ok(())
        });
    }

    /// Issue 10, items 2 and 5: the issuer follows a changed bind unless it was chosen, loudly when the bind is not
    /// loopback; a trailing slash is dropped once, at load.
    #[test]
    #[allow(clippy::result_large_err)] // figment's own error type in its test jail
    fn the_issuer_follows_the_bind_and_loses_its_trailing_slash() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("TESSERA_BIND", "127.0.0.1:9000");
            let loaded = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(loaded.settings.issuer, "http://127.0.0.1:9000");
            assert!(!loaded.warnings[0].starts_with("!!!"), "{:?}", loaded.warnings);
            jail.set_env("TESSERA_BIND", "[::1]:9001");
            assert_eq!(Settings::load(None).map_err(|e| e.to_string())?.settings.issuer, "http://[::1]:9001");
            jail.set_env("TESSERA_BIND", "0.0.0.0:9002");
            let loaded = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(loaded.settings.issuer, "http://127.0.0.1:9002");
            assert!(loaded.warnings[0].starts_with("!!!"), "{:?}", loaded.warnings);
            jail.set_env("TESSERA_ISSUER", "https://id.example.com/");
            let loaded = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(loaded.settings.issuer, "https://id.example.com", "chosen, and normalised");
            assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
            jail.set_env("TESSERA_BIND", "localhost:8080");
            assert!(Settings::load(None).is_ok());
            jail.set_env("TESSERA_BIND", "id.example.com:80");
            assert!(Settings::load(None).unwrap_err().to_string().contains("not an IP address"));
            Ok(())
        });
    }

    #[test]
    fn the_issuer_scheme_is_case_insensitive() {
        assert!(Settings { issuer: "HTTPS://ID.EXAMPLE.COM".into(), ..Settings::default() }.issuer_is_https());
        assert!(Settings { issuer: "https://id.example.com".into(), ..Settings::default() }.issuer_is_https());
        assert!(!Settings { issuer: "http://https.example.com".into(), ..Settings::default() }.issuer_is_https());
        assert!(!Settings::default().issuer_is_https());
    }

    #[test]
    fn database_passwords_never_reach_a_log_line() {
        let s =
            Settings { database_url: "postgres://tessera:hunter2@db.internal/tessera".into(), ..Settings::default() };
        assert_eq!(s.database_display(), "postgres://tessera:redacted@db.internal/tessera");
        assert_eq!(s.database_location(), "postgres://tessera:hunter2@db.internal/tessera");
    }

    #[test]
    fn plain_http_on_a_public_host_is_flagged() {
        let s = Settings { issuer: "http://id.example.com".into(), ..Settings::default() };
        assert!(s.issuer_is_insecure());
    }

    #[test]
    fn prepublication_shorter_than_the_jwks_cache_is_refused() {
        let s = Settings { jwks_max_age_secs: 3600, key_prepublish_secs: 600, ..Settings::default() };
        assert!(s.validate().is_err());
    }

    /// `signing_algs` from a file as a list, from the environment as one string; unknown and repeated names fail.
    #[test]
    #[allow(clippy::result_large_err)] // figment's own error type in its test jail
    fn signing_algs_from_a_file_or_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            assert_eq!(Settings::load(None).map_err(|e| e.to_string())?.settings.signing_algs, ["RS256"]);
            jail.create_file("algs.toml", "signing_algs = [\"ES256\", \"RS256\"]\n")?;
            let loaded = Settings::load(Some(Path::new("algs.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(loaded.settings.signing_algs, ["ES256", "RS256"]);
            jail.set_env("TESSERA_SIGNING_ALGS", "EdDSA,PS256 RS256");
            let loaded = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(loaded.settings.signing_algs, ["EdDSA", "PS256", "RS256"]);
            for bad in ["HS256", "RS256,RS256", "rs256", ""] {
                jail.set_env("TESSERA_SIGNING_ALGS", bad);
                assert!(Settings::load(None).is_err(), "{bad:?} accepted");
            }
            Ok(())
        });
    }

    /// `registration` (issue 13): off by default; `TESSERA_REGISTRATION` takes the names as written; others fail.
    #[test]
    #[allow(clippy::result_large_err)] // figment's own error type in its test jail
    fn registration_mode_from_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            assert_eq!(Settings::load(None).map_err(|e| e.to_string())?.settings.registration, RegistrationMode::Off);
            for (raw, mode) in [
                ("off", RegistrationMode::Off),
                ("initial-access-token", RegistrationMode::InitialAccessToken),
                ("open", RegistrationMode::Open),
            ] {
                jail.set_env("TESSERA_REGISTRATION", raw);
                assert_eq!(Settings::load(None).map_err(|e| e.to_string())?.settings.registration, mode);
            }
            jail.set_env("TESSERA_REGISTRATION", "initial_access_token");
            assert!(Settings::load(None).is_err(), "only the names as written");
            Ok(())
        });
    }
}
