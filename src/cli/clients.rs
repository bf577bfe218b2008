//! `tessera client …`: registered clients (relying parties). The rules a registration follows are the domain's
//! (`Client::check_registration`), enforced by storage for every way a client is made.

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::audit::{audit, cli_event};
use super::open::{now, open_db};
use crate::admin::operations::{self, check_allowed_groups, rotate_client_secret, set_client_keys, set_client_logo};
use crate::config::Settings;
use crate::domain::{
    AuthMethod, Client, ClientId, ClientKind, GrantType, GroupName, PkcePolicy, RedirectUri, Scope, SigningAlg,
    parse_backchannel_logout_uri, parse_web_page_uri,
};
use crate::secrets::{random_token, token_hash};
use crate::storage::{ClientAdmin, ClientStore, Database};

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
    /// Trusted first-party client: never ask the user for consent (`--skip-consent` alone means true).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "true|false")]
    pub skip_consent: Option<bool>,
    /// Whether a confidential client must use PKCE (default required).
    #[arg(long, value_enum)]
    pub pkce: Option<PkceArg>,
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
    /// The API scopes the client may ask for, space-separated (RFC 7591 `scope`): in the code flow beside the
    /// OpenID Connect scopes, and all it may get with client_credentials. Default: none.
    #[arg(long)]
    pub scope: Option<String>,
    /// A just-rotated refresh token presented again this soon gets the same successor (0 to 60 s; default: the
    /// server's refresh_token_reuse_grace_secs, 0). For a browser app whose tabs refresh at once.
    #[arg(long)]
    pub refresh_token_reuse_grace_secs: Option<i64>,
    /// The app's logo on the consent page: an https URL, fetched once now and stored (the page never loads it from
    /// there), or a data:image/…;base64 URI; at most 64 KiB. An empty value removes it.
    #[arg(long)]
    pub logo_uri: Option<String>,
    /// The app's home page (linked from the consent page, and the way back from the signed-out page). Empty: none.
    #[arg(long)]
    pub client_uri: Option<String>,
    /// The app's privacy policy (linked from the consent page). Empty: none.
    #[arg(long)]
    pub policy_uri: Option<String>,
    /// The app's terms of service (linked from the consent page). Empty: none.
    #[arg(long)]
    pub tos_uri: Option<String>,
    /// Every user signing in to this client must prove a second factor (`--require-mfa` alone means true).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "true|false")]
    pub require_mfa: Option<bool>,
    /// The algorithm of its ID tokens and logout tokens: RS256, PS256, ES256 or EdDSA, one of the server's
    /// signing_algs (default: the first of them). An empty value goes back to the default.
    #[arg(long)]
    pub id_token_signed_response_alg: Option<String>,
    /// private_key_jwt: a file holding the client's public keys as a JWKS (RFC 7517 §5), stored with the client.
    #[arg(long, value_name = "PATH")]
    pub jwks_file: Option<std::path::PathBuf>,
    /// private_key_jwt: where Tessera fetches the client's public keys (https; fetched with a time and size limit
    /// under the back-channel's address rules, and cached).
    #[arg(long, value_name = "URI")]
    pub jwks_uri: Option<String>,
    /// RFC 9126: accept its authorization requests only by PAR (`--require-pushed-authorization-requests` alone
    /// means true; false accepts front-channel requests again).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "true|false")]
    pub require_pushed_authorization_requests: Option<bool>,
    /// Put the `groups` claim in this client's access tokens too, when the `groups` scope is granted
    /// (`--access-token-groups` alone means true).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "true|false")]
    pub access_token_groups: Option<bool>,
    /// Only members of these groups (comma-separated) may use the client; others see "you don't have access to this
    /// application" and the client gets access_denied. Empty: everyone.
    #[arg(long, value_name = "g1,g2")]
    pub allowed_groups: Option<String>,
    /// RFC 8628: this client's device code lifetime (default: the server's device_code_ttl_secs).
    #[arg(long, value_name = "SECS")]
    pub device_code_ttl_secs: Option<i64>,
    /// RFC 9449 §5.2: every token request of this client must carry a DPoP proof (`--dpop-bound-access-tokens`
    /// alone means true).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "true|false")]
    pub dpop_bound_access_tokens: Option<bool>,
}

#[derive(Debug, Args)]
pub struct ClientUpdateArgs {
    pub id: String,
    #[arg(long)]
    pub name: Option<String>,
    /// Replaces the redirect URIs; repeat for several.
    #[arg(long = "redirect-uri")]
    pub redirect_uris: Vec<String>,
    /// Never ask the user for consent (`--skip-consent` alone means true; `--skip-consent false` asks again).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "true|false")]
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
    /// Back to the server's refresh token reuse grace.
    #[arg(long)]
    pub clear_refresh_token_reuse_grace: bool,
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Register a client; a confidential client's secret is printed once.
    Add(ClientAddArgs),
    /// Change a client's registration (only what is given).
    Update(ClientUpdateArgs),
    /// List clients, with when each was registered.
    List {
        /// Print a JSON array (for scripts).
        #[arg(long)]
        json: bool,
    },
    /// Give a confidential client a new secret (printed once). With --overlap-hours N (or --overlap-secs N) the old
    /// secret keeps working for N more hours (seconds), so the application can be redeployed without a gap.
    RotateSecret {
        id: String,
        /// How long the old secret still works (0, the default: it stops at once; at most 30 days).
        #[arg(long, default_value_t = 0)]
        overlap_secs: i64,
        /// The overlap in hours (at most 720), instead of --overlap-secs.
        #[arg(long, conflicts_with = "overlap_secs")]
        overlap_hours: Option<i64>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one client.
    Show { id: String },
    /// Remove a client and everything issued to it.
    Remove { id: String },
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
    scope: String,
    refresh_token_reuse_grace_secs: Option<i64>,
    /// Whether a logo is stored (the data URI itself is long).
    logo: bool,
    client_uri: Option<&'a str>,
    policy_uri: Option<&'a str>,
    tos_uri: Option<&'a str>,
    require_mfa: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token_signed_response_alg: Option<&'static str>,
    /// Whether public keys are registered (private_key_jwt).
    jwks: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    jwks_uri: Option<&'a str>,
    require_pushed_authorization_requests: bool,
    access_token_groups: bool,
    allowed_groups: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_code_ttl_secs: Option<i64>,
    dpop_bound_access_tokens: bool,
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
        scope: client.scope.to_string(),
        refresh_token_reuse_grace_secs: client.refresh_token_reuse_grace_secs,
        logo: client.logo_uri.is_some(),
        client_uri: client.client_uri.as_deref(),
        policy_uri: client.policy_uri.as_deref(),
        tos_uri: client.tos_uri.as_deref(),
        require_mfa: client.require_mfa,
        created_at: None,
        id_token_signed_response_alg: client.id_token_signed_response_alg.map(SigningAlg::as_str),
        jwks: client.jwks.is_some(),
        jwks_uri: client.jwks_uri.as_deref(),
        require_pushed_authorization_requests: client.require_pushed_authorization_requests,
        access_token_groups: client.access_token_groups,
        allowed_groups: client.allowed_groups.iter().map(GroupName::as_str).collect(),
        device_code_ttl_secs: client.device_code_ttl_secs,
        dpop_bound_access_tokens: client.dpop_bound_access_tokens,
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
    println!("require_mfa:                {}", v.require_mfa);
    println!("pkce:                       {}", v.pkce);
    let ttl = |t: Option<i64>| t.map_or("server default".to_owned(), |t| format!("{t} s"));
    println!("access_token_ttl:           {}", ttl(v.access_token_ttl_secs));
    println!("refresh_token_ttl:          {}", ttl(v.refresh_token_ttl_secs));
    println!(
        "scope:                      {}",
        if v.scope.is_empty() { "(OpenID Connect scopes only)" } else { &v.scope }
    );
    println!(
        "refresh_reuse_grace:        {}",
        v.refresh_token_reuse_grace_secs.map_or("server default".to_owned(), |g| format!("{g} s"))
    );
    println!("logo:                       {}", if v.logo { "stored" } else { "none" });
    for (name, uri) in [("client_uri", v.client_uri), ("policy_uri", v.policy_uri), ("tos_uri", v.tos_uri)] {
        if let Some(uri) = uri {
            println!("{:<28}{uri}", format!("{name}:"));
        }
    }
    if let Some(alg) = v.id_token_signed_response_alg {
        println!("id_token_signed_alg:        {alg}");
    }
    if v.jwks {
        println!("jwks:                       registered");
    }
    if let Some(uri) = v.jwks_uri {
        println!("jwks_uri:                   {uri}");
    }
    if v.require_pushed_authorization_requests {
        println!("require_par:                true");
    }
    println!("access_token_groups:        {}", v.access_token_groups);
    if !v.allowed_groups.is_empty() {
        println!("allowed_groups:             {}", v.allowed_groups.join(","));
    }
    if let Some(secs) = v.device_code_ttl_secs {
        println!("device_code_ttl:            {secs} s");
    }
    if v.dpop_bound_access_tokens {
        println!("dpop_bound_access_tokens:   true");
    }
}

/// `--id-token-signed-response-alg`: an algorithm the server signs with (its `signing_algs`), or empty for the
/// default.
fn apply_signing_alg(client: &mut Client, args: &ClientMetadataArgs, settings: &Settings) -> anyhow::Result<()> {
    if let Some(raw) = &args.id_token_signed_response_alg {
        client.id_token_signed_response_alg = parse_enabled_alg(raw, settings)?;
    }
    // The keys of private_key_jwt: one source replaces the other (the admin API's rule, `admin::operations`).
    let jwks = match &args.jwks_file {
        Some(path) => Some(std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?),
        None => None,
    };
    set_client_keys(client, jwks.as_deref(), args.jwks_uri.as_deref())?;
    if let Some(require) = args.require_pushed_authorization_requests {
        client.require_pushed_authorization_requests = require;
    }
    if args.device_code_ttl_secs.is_some() {
        client.device_code_ttl_secs = args.device_code_ttl_secs;
    }
    if let Some(on) = args.dpop_bound_access_tokens {
        client.dpop_bound_access_tokens = on;
    }
    Ok(())
}

/// An algorithm for a client or a resource: empty for the server's default, else one of `signing_algs` (the admin
/// API's rule, `admin::operations::parse_enabled_alg`).
pub(super) fn parse_enabled_alg(raw: &str, settings: &Settings) -> anyhow::Result<Option<SigningAlg>> {
    let enabled: Vec<SigningAlg> = settings.signing_algs.iter().filter_map(|a| SigningAlg::parse(a).ok()).collect();
    Ok(operations::parse_enabled_alg(raw, &enabled)?)
}

/// `--access-token-groups` and `--allowed-groups`: every allowed group must exist (a typo would lock everyone out).
fn apply_groups(db: &Database, client: &mut Client, args: &ClientMetadataArgs) -> anyhow::Result<()> {
    if let Some(on) = args.access_token_groups {
        client.access_token_groups = on;
    }
    if let Some(raw) = &args.allowed_groups {
        let groups = GroupName::parse_list(raw)?;
        check_allowed_groups(db, &groups)?;
        client.allowed_groups = groups;
    }
    Ok(())
}

fn parse_uris(raw: &[String]) -> anyhow::Result<Vec<RedirectUri>> {
    Ok(raw.iter().map(|u| RedirectUri::parse(u)).collect::<Result<Vec<_>, _>>()?)
}

/// Applies the metadata flags that were given; `allow_private_networks` lets the logo come from a private address
/// (development, as for back-channel logout).
fn apply_metadata(client: &mut Client, args: &ClientMetadataArgs, allow_private_networks: bool) -> anyhow::Result<()> {
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
    if let Some(scope) = &args.scope {
        client.scope = Scope::parse_list(scope)?;
    }
    if args.refresh_token_reuse_grace_secs.is_some() {
        client.refresh_token_reuse_grace_secs = args.refresh_token_reuse_grace_secs;
    }
    for (name, given, field) in [
        ("client_uri", &args.client_uri, &mut client.client_uri),
        ("policy_uri", &args.policy_uri, &mut client.policy_uri),
        ("tos_uri", &args.tos_uri, &mut client.tos_uri),
    ] {
        if let Some(uri) = given {
            *field = if uri.is_empty() { None } else { Some(parse_web_page_uri(name, uri)?) };
        }
    }
    if let Some(require) = args.require_mfa {
        client.require_mfa = require;
    }
    if let Some(logo) = &args.logo_uri {
        set_client_logo(client, logo, allow_private_networks)?;
    }
    Ok(())
}

pub fn run(settings: &Settings, cmd: ClientCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    match cmd {
        ClientCommand::Add(args) => {
            let id = ClientId::parse(&args.id)?;
            let kind = if args.public { ClientKind::Public } else { ClientKind::Confidential };
            let name = args.name.clone().unwrap_or_else(|| id.to_string());
            let mut client = Client::new(id, name, kind, parse_uris(&args.redirect_uris)?);
            client.skip_consent = args.skip_consent.unwrap_or(false);
            client.pkce =
                if args.pkce == Some(PkceArg::Optional) { PkcePolicy::Optional } else { PkcePolicy::Required };
            apply_metadata(&mut client, &args.metadata, settings.backchannel_logout_allow_private_networks)?;
            apply_signing_alg(&mut client, &args.metadata, settings)?;
            apply_groups(&db, &mut client, &args.metadata)?;
            // A private_key_jwt client proves itself with its key: it gets no secret.
            let keyed = client.auth_method == Some(AuthMethod::PrivateKeyJwt);
            let secret = (!args.public && !keyed).then(|| random_token(32));
            let secret_hash = secret.as_ref().map(|s| token_hash(s.expose()));
            db.register_client(&client, secret_hash.as_deref(), now())?;
            audit(&db, cli_event("client_registered").client(client.id.as_str()));
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
            if args.clear_refresh_token_reuse_grace {
                client.refresh_token_reuse_grace_secs = None;
            }
            apply_metadata(&mut client, &args.metadata, settings.backchannel_logout_allow_private_networks)?;
            apply_signing_alg(&mut client, &args.metadata, settings)?;
            apply_groups(&db, &mut client, &args.metadata)?;
            db.update_client(&client)?;
            audit(&db, cli_event("client_updated").client(client.id.as_str()));
            print_client(&view(&client, None));
        }
        ClientCommand::List { json } => {
            let records = db.list_clients()?;
            let created: std::collections::HashMap<String, i64> = db.client_created_at()?.into_iter().collect();
            let views: Vec<ClientView<'_>> = records
                .iter()
                .map(|r| ClientView { created_at: created.get(r.client.id.as_str()).copied(), ..view(&r.client, None) })
                .collect();
            if json {
                println!("{}", serde_json::to_string_pretty(&views)?);
            } else {
                println!("{:<24} {:<13} {:<24} {:<20} REDIRECT URIS", "CLIENT ID", "TYPE", "NAME", "CREATED");
                for v in &views {
                    let created = v
                        .created_at
                        .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                        .map_or("-".to_owned(), |d| d.format("%Y-%m-%d %H:%M:%S").to_string());
                    println!(
                        "{:<24} {:<13} {:<24} {:<20} {}",
                        v.client_id,
                        v.client_type,
                        v.name,
                        created,
                        v.redirect_uris.join(" ")
                    );
                }
            }
        }
        ClientCommand::RotateSecret { id, overlap_secs, overlap_hours, json } => {
            let overlap_secs = overlap_hours.map_or(overlap_secs, |hours| hours.saturating_mul(3600));
            // The admin API's rotation (`POST /admin/api/v1/clients/{id}/secret`): one rule for both.
            let (secret, until) = rotate_client_secret(&db, &id, overlap_secs, now())?;
            audit(&db, cli_event("client_secret_rotated").client(&id).with("overlap_secs", overlap_secs.to_string()));
            if json {
                let out = serde_json::json!({
                    "client_id": id, "client_secret": secret.expose(), "previous_secret_expires_at": until,
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("client_secret:              {}", secret.expose());
                match until {
                    Some(t) => println!("\nThe old secret keeps working for {overlap_secs} s (until Unix time {t})."),
                    None => println!("\nThe old secret stopped working now."),
                }
                println!("The new secret is shown only now; Tessera keeps only its hash.");
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
            audit(&db, cli_event("client_removed").client(&id));
            println!("removed client {id}");
        }
    }
    Ok(())
}
