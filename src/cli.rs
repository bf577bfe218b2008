//! The `tessera` command line: serve, user, client, keys, migrate. Commands that change data work against the
//! same database as the server, also while it runs (SQLite WAL + busy timeout).

use std::io::{BufRead, IsTerminal, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::DateTime;
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::domain::claims::{
    parse_birthdate, parse_email, parse_locale, parse_phone_number, parse_text, parse_url, parse_zoneinfo,
};
use crate::domain::{
    AuthMethod, Client, ClientId, ClientKind, GrantType, InvalidValue, PkcePolicy, RedirectUri, User, UserClaims,
    Username, parse_backchannel_logout_uri,
};
use crate::http::end_session::deliver;
use crate::keys::{KeyState, KeyStore};
use crate::oidc::logout::logout_notices;
use crate::secrets::{hash_password, random_token, token_hash};
use crate::startup::{Application, key_policy};
use crate::storage::{
    ClientStore, Database, ExportRecord, GrantRecord, KeyStoreRepository, NewUser, PoolOptions, Transfer, UserStore,
};

#[derive(Debug, Parser)]
#[command(name = "tessera", version, about = "An OAuth 2.0 / OpenID Connect authorization server")]
pub struct Cli {
    /// TOML configuration file (keys as in the README; TESSERA_* variables override it).
    #[arg(long, global = true, env = "TESSERA_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the server (the default).
    Serve,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage clients (relying parties).
    #[command(subcommand)]
    Client(ClientCommand),
    /// Manage signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Write users, clients, consents and signing keys as JSON lines (to move to another backend).
    Export {
        /// Output file, created with mode 0600 (it holds password hashes and private keys); default: stdout.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Read an export into this (empty) database.
    Import {
        /// The export file; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is prompted for, or read from stdin with --password-stdin.
    Add {
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
        /// Mark the email address as verified.
        #[arg(long)]
        email_verified: bool,
        /// Mark the phone number as verified.
        #[arg(long)]
        phone_number_verified: bool,
        #[command(flatten)]
        claims: Box<ClaimArgs>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change a user's email, name or claims: only those given; an empty value removes one. Sets updated_at.
    Update {
        username: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// A changed email address is unverified unless this says otherwise.
        #[arg(long, value_name = "true|false")]
        email_verified: Option<bool>,
        /// A changed phone number is unverified unless this says otherwise.
        #[arg(long, value_name = "true|false")]
        phone_number_verified: Option<bool>,
        #[command(flatten)]
        claims: Box<ClaimArgs>,
    },
    /// Show a user's stored claims.
    Show { username: String },
    /// List users.
    List,
    /// Change a user's password (ends their sessions and revokes their tokens).
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove a user and everything issued to them.
    Remove { username: String },
}

/// Standard claims (OpenID Connect Core §5.1) of `user add` and `user update`.
#[derive(Debug, Default, PartialEq, Eq, Args)]
pub struct ClaimArgs {
    #[arg(long)]
    pub given_name: Option<String>,
    #[arg(long)]
    pub family_name: Option<String>,
    #[arg(long)]
    pub middle_name: Option<String>,
    #[arg(long)]
    pub nickname: Option<String>,
    /// URL of the user's profile page (http or https).
    #[arg(long)]
    pub profile: Option<String>,
    /// URL of the user's picture (http or https).
    #[arg(long)]
    pub picture: Option<String>,
    /// URL of the user's web site (http or https).
    #[arg(long)]
    pub website: Option<String>,
    #[arg(long)]
    pub gender: Option<String>,
    /// YYYY-MM-DD, or YYYY alone (0000-MM-DD when the year is withheld).
    #[arg(long)]
    pub birthdate: Option<String>,
    /// IANA time zone name, e.g. Europe/Paris.
    #[arg(long)]
    pub zoneinfo: Option<String>,
    /// BCP 47 language tag, e.g. fr-FR.
    #[arg(long)]
    pub locale: Option<String>,
    /// International format: + and the country code, e.g. "+33 1 23 45 67 89".
    #[arg(long)]
    pub phone_number: Option<String>,
    /// The whole postal address as it is printed on a label.
    #[arg(long)]
    pub address_formatted: Option<String>,
    #[arg(long)]
    pub address_street: Option<String>,
    #[arg(long)]
    pub address_locality: Option<String>,
    #[arg(long)]
    pub address_region: Option<String>,
    #[arg(long)]
    pub address_postal_code: Option<String>,
    #[arg(long)]
    pub address_country: Option<String>,
}

/// Applies one given value: `None` keeps `field`, an empty string removes it, anything else must `parse`.
/// Returns whether the stored value changes.
fn set_claim(
    field: &mut Option<String>,
    given: Option<String>,
    parse: impl Fn(&str) -> Result<String, InvalidValue>,
) -> anyhow::Result<bool> {
    let Some(given) = given else { return Ok(false) };
    let value = if given.trim().is_empty() { None } else { Some(parse(&given)?) };
    let changed = *field != value;
    *field = value;
    Ok(changed)
}

impl ClaimArgs {
    fn is_empty(&self) -> bool {
        self == &ClaimArgs::default()
    }

    /// Validates and applies the given claims; returns whether the phone number changed.
    fn apply(self, claims: &mut UserClaims) -> anyhow::Result<bool> {
        let text = |claim: &'static str| move |v: &str| parse_text(claim, v, false);
        let url = |claim: &'static str| move |v: &str| parse_url(claim, v);
        set_claim(&mut claims.given_name, self.given_name, text("given_name"))?;
        set_claim(&mut claims.family_name, self.family_name, text("family_name"))?;
        set_claim(&mut claims.middle_name, self.middle_name, text("middle_name"))?;
        set_claim(&mut claims.nickname, self.nickname, text("nickname"))?;
        set_claim(&mut claims.profile, self.profile, url("profile"))?;
        set_claim(&mut claims.picture, self.picture, url("picture"))?;
        set_claim(&mut claims.website, self.website, url("website"))?;
        set_claim(&mut claims.gender, self.gender, text("gender"))?;
        set_claim(&mut claims.birthdate, self.birthdate, parse_birthdate)?;
        set_claim(&mut claims.zoneinfo, self.zoneinfo, parse_zoneinfo)?;
        set_claim(&mut claims.locale, self.locale, parse_locale)?;
        let phone_changed = set_claim(&mut claims.phone_number, self.phone_number, parse_phone_number)?;
        let mut address = claims.address.take().unwrap_or_default();
        let multiline = |claim: &'static str| move |v: &str| parse_text(claim, v, true);
        set_claim(&mut address.formatted, self.address_formatted, multiline("address formatted"))?;
        set_claim(&mut address.street_address, self.address_street, multiline("address street"))?;
        set_claim(&mut address.locality, self.address_locality, text("address locality"))?;
        set_claim(&mut address.region, self.address_region, text("address region"))?;
        set_claim(&mut address.postal_code, self.address_postal_code, text("address postal code"))?;
        set_claim(&mut address.country, self.address_country, text("address country"))?;
        claims.address = (!address.is_empty()).then_some(address);
        Ok(phone_changed)
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PkceArg {
    Required,
    Optional,
}

#[derive(Debug, Args)]
pub struct ClientAddArgs {
    #[arg(long)]
    pub id: String,
    /// Shown on the login and consent pages; defaults to the id.
    #[arg(long)]
    pub name: Option<String>,
    /// A redirect URI, matched exactly; repeat for several. Required with the authorization_code grant.
    #[arg(long = "redirect-uri")]
    pub redirect_uris: Vec<String>,
    /// A public client (native or browser app): no secret, PKCE always required.
    #[arg(long)]
    pub public: bool,
    /// Trusted first-party client: never ask the user for consent.
    #[arg(long)]
    pub skip_consent: bool,
    /// Whether a confidential client must use PKCE.
    #[arg(long, value_enum, default_value_t = PkceArg::Required)]
    pub pkce: PkceArg,
    #[command(flatten)]
    pub metadata: ClientMetadataArgs,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Registration metadata shared by `client add` and `client update`.
#[derive(Debug, Args)]
pub struct ClientMetadataArgs {
    /// Grant types, comma-separated: authorization_code, refresh_token, client_credentials
    /// (default authorization_code,refresh_token).
    #[arg(long)]
    pub grant_types: Option<String>,
    /// client_secret_basic, client_secret_post or none (default: any method the client type allows).
    #[arg(long)]
    pub token_endpoint_auth_method: Option<String>,
    /// Where RP-Initiated Logout may return the browser (exact match); repeat for several.
    #[arg(long = "post-logout-redirect-uri")]
    pub post_logout_redirect_uris: Vec<String>,
    /// OpenID Connect Back-Channel Logout: where logout tokens are POSTed when a session ends.
    #[arg(long)]
    pub backchannel_logout_uri: Option<String>,
    /// This client's access token lifetime (default: the server's access_token_ttl_secs).
    #[arg(long)]
    pub access_token_ttl_secs: Option<i64>,
    /// This client's refresh token lifetime (default: the server's refresh_token_ttl_secs).
    #[arg(long)]
    pub refresh_token_ttl_secs: Option<i64>,
}

#[derive(Debug, Args)]
pub struct ClientUpdateArgs {
    pub id: String,
    #[arg(long)]
    pub name: Option<String>,
    /// Replaces the redirect URIs; repeat for several.
    #[arg(long = "redirect-uri")]
    pub redirect_uris: Vec<String>,
    #[arg(long)]
    pub skip_consent: Option<bool>,
    #[arg(long, value_enum)]
    pub pkce: Option<PkceArg>,
    #[command(flatten)]
    pub metadata: ClientMetadataArgs,
    /// Removes every post-logout redirect URI.
    #[arg(long)]
    pub clear_post_logout_redirect_uris: bool,
    /// Removes the back-channel logout URI.
    #[arg(long)]
    pub clear_backchannel_logout_uri: bool,
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Register a client; a confidential client's secret is printed once.
    Add(ClientAddArgs),
    /// Change a client's registration (only what is given).
    Update(ClientUpdateArgs),
    /// List clients.
    List,
    /// Show one client.
    Show { id: String },
    /// Remove a client and everything issued to it.
    Remove { id: String },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List signing keys: kid, state, created, published until.
    List,
    /// Promote the next key to current now (refused until it has been published long enough).
    Rotate,
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => {
            open_db(&settings)?;
            println!("database at {} is up to date", settings.database_display());
            Ok(())
        }
        Command::User(cmd) => user(&settings, cmd),
        Command::Client(cmd) => client(&settings, cmd),
        Command::Keys(cmd) => keys(&settings, cmd),
        Command::Export { output } => export(&settings, output),
        Command::Import { file } => import(&settings, file),
    }
}

fn export(settings: &Settings, output: Option<PathBuf>) -> anyhow::Result<()> {
    let records = open_db(settings)?.export_records()?;
    let mut writer: Box<dyn Write> = match &output {
        Some(path) => {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            Box::new(options.open(path).with_context(|| format!("creating {}", path.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    for record in &records {
        serde_json::to_writer(&mut writer, record)?;
        writer.write_all(b"\n")?;
    }
    writer.flush()?;
    eprintln!("exported {} records; the export holds password hashes and private keys: keep it secret", records.len());
    Ok(())
}

fn import(settings: &Settings, file: Option<PathBuf>) -> anyhow::Result<()> {
    let reader: Box<dyn BufRead> = match file.as_deref() {
        Some(path) if path.as_os_str() != "-" => Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?,
        )),
        _ => Box::new(std::io::stdin().lock()),
    };
    let mut records = Vec::new();
    for (number, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        records.push(serde_json::from_str::<ExportRecord>(&line).with_context(|| format!("line {}", number + 1))?);
    }
    let count = open_db(settings)?.import_records(&records)?;
    println!("imported {count} records into {}", settings.database_display());
    Ok(())
}

fn open_db(settings: &Settings) -> anyhow::Result<Database> {
    Database::open(&settings.database_location(), PoolOptions::small())
        .with_context(|| format!("opening the database at {}", settings.database_display()))
}

fn now() -> i64 {
    SystemClock.now().timestamp()
}

fn serve(settings: Settings) -> anyhow::Result<()> {
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

/// The password from stdin (first line) or an interactive prompt; never from the command line.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Repeat password: ")?;
        if first != second {
            bail!("the passwords differ");
        }
        first
    } else {
        bail!("standard input is not a terminal: pass --password-stdin and write the password to stdin");
    };
    if password.chars().count() < 8 {
        bail!("a password has at least 8 characters");
    }
    if password.len() > 1024 {
        bail!("a password has at most 1024 bytes");
    }
    Ok(password)
}

/// Back-Channel Logout for sessions the CLI ended (a password change): the same logout tokens the server sends.
fn notify_logout(settings: &Settings, db: &Database, grants: &[GrantRecord]) -> anyhow::Result<()> {
    let keys = KeyStore::open(db, key_policy(settings), now())?;
    let issuer = settings.issuer_url()?.to_string().trim_end_matches('/').to_owned();
    let notices = logout_notices(db, &keys.signer(), &issuer, grants, now());
    if notices.is_empty() {
        return Ok(());
    }
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(5))
        .build()?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let count = notices.len();
    runtime.block_on(async move {
        for notice in notices {
            deliver(http.clone(), notice).await;
        }
    });
    println!("{count} client(s) notified by back-channel logout");
    Ok(())
}

fn user(settings: &Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    match cmd {
        UserCommand::Add { username, email, name, email_verified, phone_number_verified, claims, password_stdin } => {
            let username = Username::parse(&username)?;
            let email = parse_email(&email)?;
            let mut name_claim = None;
            set_claim(&mut name_claim, name, |v| parse_text("name", v, false))?;
            let mut user_claims = UserClaims { phone_number_verified, ..UserClaims::default() };
            claims.apply(&mut user_claims)?;
            let password = read_password(password_stdin)?;
            let password_hash = hash_password(&password).map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
            let user = db.add_user(
                &NewUser {
                    username: username.to_string(),
                    password_hash,
                    email: Some(email),
                    email_verified,
                    name: name_claim,
                    claims: user_claims,
                },
                now(),
            )?;
            println!("added user {} (subject {})", user.username, user.subject);
        }
        UserCommand::Update { username, email, name, email_verified, phone_number_verified, claims } => {
            if email.is_none()
                && name.is_none()
                && email_verified.is_none()
                && phone_number_verified.is_none()
                && claims.is_empty()
            {
                bail!("nothing to change: give at least one claim option (see tessera user update --help)");
            }
            let mut user = db.find_user_by_username(&username)?.with_context(|| format!("no user {username:?}"))?.user;
            let email_changed = set_claim(&mut user.email, email, parse_email)?;
            set_claim(&mut user.name, name, |v| parse_text("name", v, false))?;
            let phone_changed = claims.apply(&mut user.claims)?;
            // A new address or number has not been verified, whatever the old one was.
            if email_changed {
                user.email_verified = false;
            }
            if phone_changed {
                user.claims.phone_number_verified = false;
            }
            if let Some(verified) = email_verified {
                user.email_verified = verified;
            }
            if let Some(verified) = phone_number_verified {
                user.claims.phone_number_verified = verified;
            }
            if !db.update_user(&user, now())? {
                bail!("no user {username:?}");
            }
            println!("updated user {username}");
        }
        UserCommand::Show { username } => {
            let user = db.find_user_by_username(&username)?.with_context(|| format!("no user {username:?}"))?.user;
            print_user(&user)?;
        }
        UserCommand::List => {
            println!("{:<24} {:<38} {:<32} NAME", "USERNAME", "SUBJECT", "EMAIL");
            for u in db.list_users()? {
                println!(
                    "{:<24} {:<38} {:<32} {}",
                    u.username,
                    u.subject,
                    u.email.unwrap_or_default(),
                    u.name.unwrap_or_default()
                );
            }
        }
        UserCommand::Passwd { username, password_stdin } => {
            let password = read_password(password_stdin)?;
            let hash = hash_password(&password).map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
            let Some(revoked) = db.set_password(&username, &hash, now())? else {
                bail!("no user {username:?}");
            };
            println!("password changed for {username}; their sessions and tokens were revoked");
            notify_logout(settings, &db, &revoked)?;
        }
        UserCommand::Remove { username } => {
            if !db.remove_user(&username)? {
                bail!("no user {username:?}");
            }
            println!("removed user {username}");
        }
    }
    Ok(())
}

/// One line per stored claim (never the password hash); unset claims are left out.
fn print_user(user: &User) -> anyhow::Result<()> {
    let c = &user.claims;
    let line = |claim: &str, value: &Option<String>| {
        if let Some(value) = value {
            println!("{:<22} {}", format!("{claim}:"), value.replace('\n', "\\n"));
        }
    };
    line("username", &Some(user.username.clone()));
    line("sub", &Some(user.subject.clone()));
    line("name", &user.name);
    line("given_name", &c.given_name);
    line("family_name", &c.family_name);
    line("middle_name", &c.middle_name);
    line("nickname", &c.nickname);
    line("profile", &c.profile);
    line("picture", &c.picture);
    line("website", &c.website);
    line("gender", &c.gender);
    line("birthdate", &c.birthdate);
    line("zoneinfo", &c.zoneinfo);
    line("locale", &c.locale);
    line("email", &user.email);
    line("email_verified", &user.email.as_ref().map(|_| user.email_verified.to_string()));
    line("phone_number", &c.phone_number);
    line("phone_number_verified", &c.phone_number.as_ref().map(|_| c.phone_number_verified.to_string()));
    if let Some(address) = &c.address {
        line("address", &Some(serde_json::to_string(address)?));
    }
    let updated = DateTime::from_timestamp(user.updated_at, 0).map_or("-".to_owned(), |d| d.to_rfc3339());
    line("updated_at", &Some(format!("{} ({updated})", user.updated_at)));
    Ok(())
}

#[derive(Serialize)]
struct ClientView<'a> {
    client_id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
    client_type: &'static str,
    token_endpoint_auth_method: Vec<&'static str>,
    grant_types: Vec<&'static str>,
    redirect_uris: Vec<&'a str>,
    post_logout_redirect_uris: Vec<&'a str>,
    backchannel_logout_uri: Option<&'a str>,
    skip_consent: bool,
    pkce: &'static str,
    access_token_ttl_secs: Option<i64>,
    refresh_token_ttl_secs: Option<i64>,
}

fn view<'a>(client: &'a Client, secret: Option<&'a str>) -> ClientView<'a> {
    let methods = match (client.auth_method, client.kind) {
        (Some(method), _) => vec![method.as_str()],
        (None, ClientKind::Public) => vec![AuthMethod::None.as_str()],
        (None, ClientKind::Confidential) => {
            vec![AuthMethod::ClientSecretBasic.as_str(), AuthMethod::ClientSecretPost.as_str()]
        }
    };
    ClientView {
        client_id: client.id.as_str(),
        name: &client.name,
        client_secret: secret,
        client_type: if client.kind == ClientKind::Public { "public" } else { "confidential" },
        token_endpoint_auth_method: methods,
        grant_types: client.grant_types.iter().map(|g| g.as_str()).collect(),
        redirect_uris: client.redirect_uris.iter().map(RedirectUri::as_str).collect(),
        post_logout_redirect_uris: client.post_logout_redirect_uris.iter().map(RedirectUri::as_str).collect(),
        backchannel_logout_uri: client.backchannel_logout_uri.as_deref(),
        skip_consent: client.skip_consent,
        pkce: if client.requires_pkce() { "required" } else { "optional" },
        access_token_ttl_secs: client.access_token_ttl_secs,
        refresh_token_ttl_secs: client.refresh_token_ttl_secs,
    }
}

fn print_client(v: &ClientView<'_>) {
    println!("client_id:                  {}", v.client_id);
    println!("name:                       {}", v.name);
    println!("type:                       {}", v.client_type);
    println!("token_endpoint_auth_method: {}", v.token_endpoint_auth_method.join(" "));
    println!("grant_types:                {}", v.grant_types.join(" "));
    for uri in &v.redirect_uris {
        println!("redirect_uri:               {uri}");
    }
    for uri in &v.post_logout_redirect_uris {
        println!("post_logout_redirect_uri:   {uri}");
    }
    if let Some(uri) = v.backchannel_logout_uri {
        println!("backchannel_logout_uri:     {uri}");
    }
    println!("skip_consent:               {}", v.skip_consent);
    println!("pkce:                       {}", v.pkce);
    let ttl = |t: Option<i64>| t.map_or("server default".to_owned(), |t| format!("{t} s"));
    println!("access_token_ttl:           {}", ttl(v.access_token_ttl_secs));
    println!("refresh_token_ttl:          {}", ttl(v.refresh_token_ttl_secs));
}

fn parse_uris(raw: &[String]) -> anyhow::Result<Vec<RedirectUri>> {
    Ok(raw.iter().map(|u| RedirectUri::parse(u)).collect::<Result<Vec<_>, _>>()?)
}

/// Applies the metadata flags that were given.
fn apply_metadata(client: &mut Client, args: &ClientMetadataArgs) -> anyhow::Result<()> {
    if let Some(grants) = &args.grant_types {
        client.grant_types = GrantType::parse_list(grants)?;
    }
    if let Some(method) = &args.token_endpoint_auth_method {
        client.auth_method = Some(AuthMethod::parse(method)?);
    }
    if !args.post_logout_redirect_uris.is_empty() {
        client.post_logout_redirect_uris = parse_uris(&args.post_logout_redirect_uris)?;
    }
    if let Some(uri) = &args.backchannel_logout_uri {
        client.backchannel_logout_uri = Some(parse_backchannel_logout_uri(uri)?);
    }
    if args.access_token_ttl_secs.is_some() {
        client.access_token_ttl_secs = args.access_token_ttl_secs;
    }
    if args.refresh_token_ttl_secs.is_some() {
        client.refresh_token_ttl_secs = args.refresh_token_ttl_secs;
    }
    Ok(())
}

/// Rules a registration must satisfy as a whole.
fn check_client(client: &Client) -> anyhow::Result<()> {
    if client.kind == ClientKind::Public {
        if client.pkce == PkcePolicy::Optional {
            bail!("a public client always uses PKCE (RFC 9700 §2.1.1); drop --pkce optional");
        }
        if client.auth_method.is_some_and(|m| m != AuthMethod::None) {
            bail!("a public client has no secret: its token_endpoint_auth_method is none");
        }
        if client.may_use(GrantType::ClientCredentials) {
            bail!("client_credentials is for confidential clients only (RFC 6749 §4.4)");
        }
    } else if client.auth_method == Some(AuthMethod::None) {
        bail!("a confidential client authenticates with its secret; use --public for a client without one");
    }
    if client.may_use(GrantType::AuthorizationCode) && client.redirect_uris.is_empty() {
        bail!("the authorization_code grant needs at least one --redirect-uri");
    }
    if client.may_use(GrantType::RefreshToken) && !client.may_use(GrantType::AuthorizationCode) {
        bail!("refresh_token comes with authorization_code");
    }
    for ttl in [client.access_token_ttl_secs, client.refresh_token_ttl_secs].into_iter().flatten() {
        if !(1..=10 * 365 * 24 * 3600).contains(&ttl) {
            bail!("token lifetimes are between 1 s and ten years");
        }
    }
    Ok(())
}

fn client(settings: &Settings, cmd: ClientCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    match cmd {
        ClientCommand::Add(args) => {
            let id = ClientId::parse(&args.id)?;
            let kind = if args.public { ClientKind::Public } else { ClientKind::Confidential };
            let name = args.name.clone().unwrap_or_else(|| id.to_string());
            let mut client = Client::new(id, name, kind, parse_uris(&args.redirect_uris)?);
            client.skip_consent = args.skip_consent;
            client.pkce = if args.pkce == PkceArg::Optional { PkcePolicy::Optional } else { PkcePolicy::Required };
            apply_metadata(&mut client, &args.metadata)?;
            check_client(&client)?;
            let secret = (!args.public).then(|| random_token(32));
            let secret_hash = secret.as_ref().map(|s| token_hash(s.expose()));
            db.register_client(&client, secret_hash.as_deref(), now())?;
            let shown = view(&client, secret.as_ref().map(|s| s.expose()));
            if args.json {
                println!("{}", serde_json::to_string_pretty(&shown)?);
            } else {
                print_client(&shown);
                if let Some(secret) = &secret {
                    println!("client_secret:              {}", secret.expose());
                    println!("\nThe secret is shown only now; Tessera keeps only its hash.");
                }
            }
        }
        ClientCommand::Update(args) => {
            let mut client = db.find_client(&args.id)?.with_context(|| format!("no client {:?}", args.id))?.client;
            if let Some(name) = &args.name {
                client.name = name.clone();
            }
            if !args.redirect_uris.is_empty() {
                client.redirect_uris = parse_uris(&args.redirect_uris)?;
            }
            if let Some(skip) = args.skip_consent {
                client.skip_consent = skip;
            }
            if let Some(pkce) = args.pkce {
                client.pkce = if pkce == PkceArg::Optional { PkcePolicy::Optional } else { PkcePolicy::Required };
            }
            if args.clear_post_logout_redirect_uris {
                client.post_logout_redirect_uris.clear();
            }
            if args.clear_backchannel_logout_uri {
                client.backchannel_logout_uri = None;
            }
            apply_metadata(&mut client, &args.metadata)?;
            check_client(&client)?;
            db.update_client(&client)?;
            print_client(&view(&client, None));
        }
        ClientCommand::List => {
            println!("{:<24} {:<13} {:<24} REDIRECT URIS", "CLIENT ID", "TYPE", "NAME");
            for record in db.list_clients()? {
                let v = view(&record.client, None);
                println!("{:<24} {:<13} {:<24} {}", v.client_id, v.client_type, v.name, v.redirect_uris.join(" "));
            }
        }
        ClientCommand::Show { id } => {
            let record = db.find_client(&id)?.with_context(|| format!("no client {id:?}"))?;
            print_client(&view(&record.client, None));
        }
        ClientCommand::Remove { id } => {
            if !db.remove_client(&id)? {
                bail!("no client {id:?}");
            }
            println!("removed client {id}");
        }
    }
    Ok(())
}

fn keys(settings: &Settings, cmd: KeysCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    let store = KeyStore::open(&db, key_policy(settings), now())?;
    match cmd {
        KeysCommand::List => {
            let format = |t: Option<i64>| {
                t.and_then(|t| DateTime::from_timestamp(t, 0)).map_or("-".to_owned(), |d| d.to_rfc3339())
            };
            println!("{:<44} {:<9} {:<26} PUBLISHED UNTIL", "KID", "STATE", "CREATED");
            for key in db.load_keys()? {
                let until = match KeyState::parse(&key.state) {
                    Some(KeyState::Previous) => format(key.publish_until),
                    Some(KeyState::Retired) => "no longer published".to_owned(),
                    _ => "while in use".to_owned(),
                };
                println!("{:<44} {:<9} {:<26} {}", key.kid, key.state, format(Some(key.created_at)), until);
            }
        }
        KeysCommand::Rotate => {
            let kid = store.rotate(&db, now())?;
            println!(
                "rotated: {kid} now signs; running servers pick it up within {} s",
                settings.key_reload_interval_secs
            );
        }
    }
    let _ = std::io::stdout().flush();
    Ok(())
}
