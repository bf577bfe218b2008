//! `tessera keys …`: the signing keys: list, rotate, and revoke a compromised one.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::bail;
use chrono::DateTime;
use clap::Subcommand;

use super::open::{now, open_db};
use crate::config::Settings;
use crate::domain::{KeyState, SigningAlg};
use crate::keys::KeyStore;
use crate::startup::key_policy;
use crate::storage::KeyStoreRepository;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List signing keys: kid, state, algorithm, created, published until.
    List,
    /// Promote the next key to current now (refused until it has been published long enough): in every
    /// algorithm's ring of signing_algs, or in one with --alg.
    Rotate {
        /// RS256, PS256, ES256 or EdDSA.
        #[arg(long)]
        alg: Option<String>,
    },
    /// Take a compromised key out of signing and out of the JWKS at once: every token it signed stops verifying.
    Revoke {
        /// The kid `tessera keys list` shows (it may start with `-`).
        // A kid is a base64url RFC 7638 thumbprint: one in 64 starts with `-`, which clap would take for an option.
        #[arg(allow_hyphen_values = true)]
        kid: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(settings: &Settings, cmd: KeysCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    let store = KeyStore::open(&db, key_policy(settings), now())?;
    match cmd {
        KeysCommand::List => {
            let format = |t: Option<i64>| {
                t.and_then(|t| DateTime::from_timestamp(t, 0)).map_or("-".to_owned(), |d| d.to_rfc3339())
            };
            // ALG after STATE, so that scripts reading the first two columns (kid, state) keep working.
            println!("{:<44} {:<9} {:<6} {:<26} PUBLISHED UNTIL", "KID", "STATE", "ALG", "CREATED");
            for key in db.load_keys()? {
                let until = match key.state {
                    KeyState::Previous => format(key.publish_until),
                    KeyState::Retired | KeyState::Revoked => "no longer published".to_owned(),
                    KeyState::Next | KeyState::Current => "while in use".to_owned(),
                };
                println!(
                    "{:<44} {:<9} {:<6} {:<26} {}",
                    key.kid,
                    key.state.as_str(),
                    key.alg.as_str(),
                    format(Some(key.created_at)),
                    until
                );
            }
        }
        KeysCommand::Rotate { alg } => {
            let algs: Vec<SigningAlg> = match alg {
                Some(alg) => {
                    let alg = SigningAlg::parse(&alg)?;
                    if !store.algs().contains(alg) {
                        bail!("{alg} is not in signing_algs ({})", settings.signing_algs.join(", "));
                    }
                    vec![alg]
                }
                None => store.algs().iter().collect(),
            };
            for alg in algs {
                let kid = store.rotate_ring(&db, alg, now())?;
                println!(
                    "rotated: {kid} now signs {alg}; running servers pick it up within {} s",
                    settings.key_reload_interval_secs
                );
            }
        }
        KeysCommand::Revoke { kid, yes } => {
            let reload = settings.key_reload_interval_secs;
            eprintln!(
                "Revoking {kid}: it leaves the JWKS and never signs again; its private key is deleted. Every token it \
                 signed (ID tokens, access tokens, logout tokens) stops verifying, here at once and at running \
                 servers within {reload} s; users and APIs holding such tokens must get new ones."
            );
            if !yes {
                confirm(&kid)?;
            }
            let signer = store.revoke(&db, &kid, now())?;
            println!("revoked: {kid}; {signer} signs; running servers pick the change up within {reload} s");
        }
    }
    let _ = std::io::stdout().flush();
    Ok(())
}

/// Asks for the kid to be typed again; refuses without a terminal (scripts pass `--yes`).
fn confirm(kid: &str) -> anyhow::Result<()> {
    if !std::io::stdin().is_terminal() {
        bail!("not revoking without confirmation: standard input is not a terminal; pass --yes");
    }
    eprint!("Type the kid again to confirm: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    if line.trim() != kid {
        bail!("not confirmed; nothing was changed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::KeysCommand;
    use crate::cli::{Cli, Command};

    fn revoked_kid(args: &[&str]) -> (String, bool) {
        match Cli::try_parse_from(args).map(|cli| cli.command) {
            Ok(Some(Command::Keys(KeysCommand::Revoke { kid, yes }))) => (kid, yes),
            other => panic!("{args:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn a_kid_that_starts_with_a_hyphen_is_the_kid_not_an_option() {
        assert_eq!(revoked_kid(&["tessera", "keys", "revoke", "-RfQ2x", "--yes"]), ("-RfQ2x".into(), true));
        assert_eq!(revoked_kid(&["tessera", "keys", "revoke", "--yes", "-RfQ2x"]), ("-RfQ2x".into(), true));
        assert_eq!(revoked_kid(&["tessera", "keys", "revoke", "-RfQ2x"]), ("-RfQ2x".into(), false));
    }
}
