//! `tessera user …`: users, their standard claims, and their passwords.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use chrono::DateTime;
use clap::{Args, Subcommand};

use super::audit::{audit, cli_event};
use super::enrolment::{invite_user, mfa_reset, totp_add};
use super::groups::ensure_member;
use super::open::{now, open_db};
use crate::admin::operations::UserChanges;
use crate::config::Settings;
use crate::domain::attributes::{parse_email, parse_text};
use crate::domain::{ADMINS_GROUP, Grant, GroupName, NewPassword, User, UserAttributes, Username};
use crate::keys::KeyStore;
use crate::oauth::throttle::unlock_account;
use crate::oidc::backchannel::Backchannel;
use crate::secrets::hash_password;
use crate::startup::key_policy;
use crate::storage::{AccountStore, AdminWrites, Database, NewUser, UserRecord, UserStore};

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
        /// Make the user an administrator: a member of the `admins` group (created if missing).
        #[arg(long)]
        admin: bool,
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
    /// List users, with when each was created and last signed in.
    List {
        /// Print a JSON array (for scripts).
        #[arg(long)]
        json: bool,
    },
    /// Disable a user: they cannot sign in, their sessions end (clients are told by back-channel logout), and their
    /// remaining grants stop refreshing until `user enable`.
    Disable { username: String },
    /// Enable a disabled user again.
    Enable { username: String },
    /// List a user's live browser sessions and the clients signed in through each.
    Sessions {
        username: String,
        /// Print a JSON array (for scripts).
        #[arg(long)]
        json: bool,
    },
    /// Sign a user out everywhere: end their browser sessions and the grants made in them (offline_access grants
    /// stay), and tell the clients by back-channel logout.
    Signout { username: String },
    /// Clear the failed sign-in counts of a user's account (from every address), so they can try again at once.
    Unlock { username: String },
    /// Change a user's password (ends their sessions and revokes their tokens).
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove a user and everything issued to them.
    Remove { username: String },
    /// A user's TOTP second factor.
    #[command(subcommand)]
    Totp(TotpCommand),
    /// A user's second factors.
    #[command(subcommand)]
    Mfa(MfaCommand),
    /// Invite a person: makes the account without a credential and prints a single-use link that lets them set a
    /// password and signs them in.
    Invite {
        username: String,
        #[arg(long)]
        email: String,
        /// How long the link works.
        #[arg(long, default_value_t = 24)]
        ttl_hours: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum TotpCommand {
    /// Provision a TOTP secret (an authenticator app, or a hardware token that carries a seed) and ten recovery
    /// codes; prints the otpauth:// URI and the codes once.
    Add {
        username: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MfaCommand {
    /// Remove a user's second factors and recovery codes, after their identity was checked out of band.
    Reset { username: String },
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

impl ClaimArgs {
    fn is_empty(&self) -> bool {
        self == &ClaimArgs::default()
    }

    /// The same changes as the admin API takes (`admin::operations::UserChanges`): one set of parsers and rules.
    fn into_changes(self) -> UserChanges {
        UserChanges {
            given_name: self.given_name,
            family_name: self.family_name,
            middle_name: self.middle_name,
            nickname: self.nickname,
            profile: self.profile,
            picture: self.picture,
            website: self.website,
            gender: self.gender,
            birthdate: self.birthdate,
            zoneinfo: self.zoneinfo,
            locale: self.locale,
            phone_number: self.phone_number,
            address_formatted: self.address_formatted,
            address_street: self.address_street,
            address_locality: self.address_locality,
            address_region: self.address_region,
            address_postal_code: self.address_postal_code,
            address_country: self.address_country,
            ..UserChanges::default()
        }
    }
}

/// The new password from stdin (first line) or an interactive prompt, never from the command line, checked by the
/// domain's rules for new passwords (`NewPassword::parse`) against what is known of the user.
fn read_password(from_stdin: bool, user_inputs: &[&str]) -> anyhow::Result<NewPassword> {
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
    Ok(NewPassword::parse(&password, user_inputs)?)
}

/// Back-Channel Logout for sessions the CLI ended (a password change): the same logout tokens the server sends.
fn notify_logout(settings: &Settings, db: &Database, grants: &[Grant]) -> anyhow::Result<()> {
    let keys = KeyStore::open(db, key_policy(settings), now())?;
    let issuer = settings.issuer_url()?.to_string().trim_end_matches('/').to_owned();
    let backchannel = Backchannel::new(settings.backchannel_logout_allow_private_networks);
    let count = backchannel.notify_and_wait(db, &keys, &issuer, grants, now())?;
    if count > 0 {
        println!("{count} client(s) notified by back-channel logout");
    }
    Ok(())
}

pub fn run(settings: &Settings, cmd: UserCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    match cmd {
        UserCommand::Add {
            username,
            email,
            name,
            email_verified,
            phone_number_verified,
            claims,
            password_stdin,
            admin,
        } => {
            let username = Username::parse(&username)?;
            let email = parse_email(&email)?;
            let name_claim = match name.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(name) => Some(parse_text("name", name, false)?),
            };
            let mut attributes = UserAttributes { phone_number_verified, ..UserAttributes::default() };
            claims.into_changes().apply_attributes(&mut attributes)?;
            let password = read_password(password_stdin, &[username.as_str(), &email])?;
            let password_hash =
                hash_password(password.expose()).map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
            let user = db.add_user(
                &NewUser {
                    username: username.to_string(),
                    password_hash,
                    email: Some(email),
                    email_verified,
                    name: name_claim,
                    attributes,
                },
                now(),
            )?;
            audit(&db, cli_event("user_added").user(&user.subject).with("username", &user.username));
            println!("added user {} (subject {})", user.username, user.subject);
            if admin {
                ensure_member(&db, &GroupName::parse(ADMINS_GROUP)?, &user.username)?;
                println!("{} is a member of {ADMINS_GROUP}", user.username);
            }
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
            let changes = UserChanges { email, name, email_verified, phone_number_verified, ..claims.into_changes() };
            let read = user.clone();
            changes.apply(&mut user)?;
            // Written only if nobody changed the user since it was read (the admin API's conditional write).
            match db.update_user_if(&user, &|current| current == &read, now())? {
                None => bail!("no user {username:?}"),
                Some(false) => bail!("{username} was changed by someone else meanwhile: run the command again"),
                Some(true) => {}
            }
            println!("updated user {username}");
        }
        UserCommand::Show { username } => {
            let user = db.find_user_by_username(&username)?.with_context(|| format!("no user {username:?}"))?.user;
            print_user(&user)?;
        }
        UserCommand::List { json } => {
            let users = db.list_users()?;
            if json {
                let list: Vec<UserListEntry> = users.iter().map(UserListEntry::of).collect();
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                println!(
                    "{:<24} {:<38} {:<32} {:<20} {:<20} {:<9} NAME",
                    "USERNAME", "SUBJECT", "EMAIL", "CREATED", "LAST LOGIN", "STATUS"
                );
                for r in &users {
                    let u = &r.user;
                    println!(
                        "{:<24} {:<38} {:<32} {:<20} {:<20} {:<9} {}",
                        u.username,
                        u.subject,
                        u.email.as_deref().unwrap_or_default(),
                        time(Some(r.created_at)),
                        time(r.last_login_at),
                        if r.disabled { "disabled" } else { "active" },
                        u.name.as_deref().unwrap_or_default()
                    );
                }
            }
        }
        UserCommand::Disable { username } => {
            let ended = db.set_disabled(&username, true, now())?.with_context(|| format!("no user {username:?}"))?;
            audit(&db, cli_event("user_disabled").with("username", &username));
            println!("disabled user {username}: they cannot sign in, and their grants stop refreshing");
            notify_logout(settings, &db, &ended)?;
        }
        UserCommand::Enable { username } => {
            db.set_disabled(&username, false, now())?.with_context(|| format!("no user {username:?}"))?;
            audit(&db, cli_event("user_enabled").with("username", &username));
            println!("enabled user {username}");
        }
        UserCommand::Sessions { username, json } => {
            let sessions = db.sessions_of(&username, now())?.with_context(|| format!("no user {username:?}"))?;
            if json {
                let list: Vec<serde_json::Value> = sessions
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "sid": s.sid, "auth_time": s.auth_time, "last_seen_at": s.last_seen_at,
                            "expires_at": s.expires_at, "clients": s.clients,
                            "user_agent": s.client.user_agent, "address": s.client.address,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if sessions.is_empty() {
                println!("{username} has no live browser session");
            } else {
                println!(
                    "{:<38} {:<20} {:<20} {:<20} {:<24} {:<40} CLIENTS",
                    "SID", "SIGNED IN", "LAST SEEN", "ENDS", "ADDRESS", "DEVICE"
                );
                for s in &sessions {
                    let device = s.client.device();
                    let device = match (device.browser, device.os) {
                        (None, None) => "-".to_owned(),
                        (browser, os) => [browser, os].into_iter().flatten().collect::<Vec<_>>().join(" on "),
                    };
                    let address = if s.client.address.is_empty() { "-" } else { s.client.address.as_str() };
                    println!(
                        "{:<38} {:<20} {:<20} {:<20} {:<24} {:<40} {}",
                        s.sid,
                        time(Some(s.auth_time)),
                        time(Some(s.last_seen_at)),
                        time(Some(s.expires_at)),
                        address,
                        device,
                        s.clients.join(" ")
                    );
                }
            }
        }
        UserCommand::Signout { username } => {
            let ended = db.sign_out_everywhere(&username, now())?.with_context(|| format!("no user {username:?}"))?;
            println!("signed {username} out: their browser sessions and the grants made in them ended");
            notify_logout(settings, &db, &ended)?;
        }
        UserCommand::Unlock { username } => {
            if db.find_user_by_username(&username)?.is_none() {
                bail!("no user {username:?}");
            }
            let cleared = unlock_account(&db, &username)?;
            println!("cleared {cleared} failed sign-in count(s) of {username}; they can sign in again at once");
        }
        UserCommand::Passwd { username, password_stdin } => {
            let user = db.find_user_by_username(&username)?.with_context(|| format!("no user {username:?}"))?.user;
            let known = [user.username.as_str(), user.email.as_deref().unwrap_or_default()];
            let password = read_password(password_stdin, &known)?;
            let hash = hash_password(password.expose()).map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
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
            audit(&db, cli_event("user_removed").with("username", &username));
            println!("removed user {username}");
        }
        UserCommand::Totp(TotpCommand::Add { username, json }) => totp_add(&db, settings, &username, json)?,
        UserCommand::Mfa(MfaCommand::Reset { username }) => mfa_reset(&db, &username)?,
        UserCommand::Invite { username, email, ttl_hours } => invite_user(&db, settings, &username, &email, ttl_hours)?,
    }
    Ok(())
}

/// A time for people: UTC, to the second; `-` for never.
fn time(t: Option<i64>) -> String {
    t.and_then(|t| DateTime::from_timestamp(t, 0)).map_or("-".to_owned(), |d| d.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// One user of `user list --json`; times are Unix seconds.
#[derive(serde::Serialize)]
struct UserListEntry<'a> {
    username: &'a str,
    sub: &'a str,
    email: Option<&'a str>,
    name: Option<&'a str>,
    created_at: i64,
    last_login_at: Option<i64>,
    disabled: bool,
}

impl<'a> UserListEntry<'a> {
    fn of(r: &'a UserRecord) -> UserListEntry<'a> {
        UserListEntry {
            username: &r.user.username,
            sub: &r.user.subject,
            email: r.user.email.as_deref(),
            name: r.user.name.as_deref(),
            created_at: r.created_at,
            last_login_at: r.last_login_at,
            disabled: r.disabled,
        }
    }
}

/// One line per stored claim (never the password hash); unset claims are left out.
fn print_user(user: &User) -> anyhow::Result<()> {
    let c = &user.attributes;
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
