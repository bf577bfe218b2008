//! `tessera registration token …`: initial access tokens for dynamic client registration (RFC 7591 §3, with
//! `registration = "initial-access-token"`). A token is printed once; Tessera keeps its hash.

use anyhow::bail;
use clap::Subcommand;

use super::open::{now, open_db};
use crate::config::{RegistrationMode, Settings};
use crate::secrets::{random_token, token_hash};
use crate::storage::RegistrationStore;

#[derive(Debug, Subcommand)]
pub enum RegistrationCommand {
    /// Initial access tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an initial access token (printed once): each use registers one client.
    Create {
        /// How long it can be used (default one day; at most a year).
        #[arg(long, default_value_t = 86_400)]
        ttl_secs: i64,
        /// How many clients it may register (default 1).
        #[arg(long, default_value_t = 1)]
        uses: i64,
    },
    /// The tokens that have not expired, with the registrations each still allows.
    List,
    /// Revoke a token by the id `create` and `list` show.
    Revoke {
        /// The id (it may start with `-`).
        // Random base64url: one id in 64 starts with `-`, which clap would take for an option.
        #[arg(allow_hyphen_values = true)]
        id: String,
    },
}

const MAX_TTL_SECS: i64 = 365 * 24 * 3600;

pub fn run(settings: &Settings, cmd: RegistrationCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    let RegistrationCommand::Token(cmd) = cmd;
    match cmd {
        TokenCommand::Create { ttl_secs, uses } => {
            if !(1..=MAX_TTL_SECS).contains(&ttl_secs) {
                bail!("--ttl-secs is between 1 and {MAX_TTL_SECS} (a year)");
            }
            if !(1..=10_000).contains(&uses) {
                bail!("--uses is between 1 and 10000");
            }
            let id = random_token(6).expose().to_owned();
            let token = random_token(32);
            let expires_at = now() + ttl_secs;
            db.create_registration_token(&id, &token_hash(token.expose()), expires_at, uses, now())?;
            println!("id:                   {id}");
            println!("expires_at:           {expires_at}");
            println!("uses:                 {uses}");
            println!("initial_access_token: {}", token.expose());
            println!("\nThe token is shown only now; Tessera keeps only its hash.");
            if settings.registration != RegistrationMode::InitialAccessToken {
                println!(
                    "Note: registration is not \"initial-access-token\" in this configuration (TESSERA_REGISTRATION)."
                );
            }
        }
        TokenCommand::List => {
            println!("{:<10} {:<22} {:>9}  CREATED", "ID", "EXPIRES", "USES LEFT");
            let when = |t: i64| {
                chrono::DateTime::from_timestamp(t, 0)
                    .map_or("-".to_owned(), |d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            };
            for t in db.list_registration_tokens(now())? {
                println!("{:<10} {:<22} {:>9}  {}", t.id, when(t.expires_at), t.uses_left, when(t.created_at));
            }
        }
        TokenCommand::Revoke { id } => {
            if !db.revoke_registration_token(&id)? {
                bail!("no initial access token {id:?}");
            }
            println!("revoked initial access token {id}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::{RegistrationCommand, TokenCommand};
    use crate::cli::{Cli, Command};

    #[test]
    fn a_token_id_that_starts_with_a_hyphen_is_the_id_not_an_option() {
        let parsed = Cli::try_parse_from(["tessera", "registration", "token", "revoke", "-x9Qa"]).map(|c| c.command);
        match parsed {
            Ok(Some(Command::Registration(RegistrationCommand::Token(TokenCommand::Revoke { id })))) => {
                assert_eq!(id, "-x9Qa")
            }
            other => panic!("parsed as {other:?}"),
        }
    }
}
