//! `tessera admin key …`: admin API keys. A key is printed once, when made; Tessera keeps only its hash.

use anyhow::bail;
use clap::Subcommand;

use super::audit::{audit, cli_event};
use super::open::{now, open_db};
use crate::admin::issue_key;
use crate::config::Settings;
use crate::domain::admin_key::parse_admin_scopes;
use crate::storage::AdminKeyStore;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Admin API keys.
    #[command(subcommand)]
    Key(KeyCommand),
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Make a key (printed once) with the scopes it may use.
    Create {
        #[arg(long)]
        name: String,
        /// Space- or comma-separated: users:read users:write groups:read groups:write clients:read clients:write
        /// keys:read keys:write audit:read settings:read.
        #[arg(long)]
        scope: String,
        /// The key stops working after this many days (default: never).
        #[arg(long)]
        ttl_days: Option<u32>,
        /// Print JSON (for scripts).
        #[arg(long)]
        json: bool,
    },
    /// List keys (never their secrets).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key: it stops working at once, on every node.
    Revoke { id: String },
}

pub fn run(settings: &Settings, cmd: AdminCommand) -> anyhow::Result<()> {
    let db = open_db(settings)?;
    let AdminCommand::Key(cmd) = cmd;
    match cmd {
        KeyCommand::Create { name, scope, ttl_days, json } => {
            if name.trim().is_empty() || name.chars().count() > 100 {
                bail!("--name: 1 to 100 characters");
            }
            if ttl_days == Some(0) {
                bail!("--ttl-days is at least 1");
            }
            let scopes = parse_admin_scopes(&scope)?;
            let issued = issue_key(&db, name.trim(), scopes, ttl_days, "cli", now())?;
            if json {
                let out = serde_json::json!({
                    "id": issued.key.id, "name": issued.key.name, "scopes": issued.key.scopes,
                    "expires_at": issued.key.expires_at, "key": issued.value.expose(),
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("id:      {}", issued.key.id);
                println!("scopes:  {}", issued.key.scopes.join(" "));
                println!("key:     {}", issued.value.expose());
                println!(
                    "\nThe key is shown only now; Tessera keeps only its hash. Send it as `Authorization: Bearer …`."
                );
            }
        }
        KeyCommand::List { json } => {
            let keys = db.list_admin_keys()?;
            let t = now();
            if json {
                let list: Vec<serde_json::Value> = keys
                    .iter()
                    .map(|k| {
                        serde_json::json!({"id": k.id, "name": k.name, "scopes": k.scopes, "created_at": k.created_at,
                            "expires_at": k.expires_at, "revoked_at": k.revoked_at, "live": k.is_live(t)})
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                println!("{:<18} {:<24} {:<8} SCOPES", "ID", "NAME", "STATE");
                for k in &keys {
                    let state = if k.revoked_at.is_some() {
                        "revoked"
                    } else if k.is_live(t) {
                        "live"
                    } else {
                        "expired"
                    };
                    println!("{:<18} {:<24} {:<8} {}", k.id, k.name, state, k.scopes.join(" "));
                }
            }
        }
        KeyCommand::Revoke { id } => {
            if !db.revoke_admin_key(&id, now())? {
                bail!("no live admin key {id:?}");
            }
            audit(&db, cli_event("admin_key_revoked").with("key", &id));
            println!("revoked admin key {id}");
        }
    }
    Ok(())
}
