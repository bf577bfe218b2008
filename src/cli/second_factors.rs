//! `tessera user totp add` and `tessera user mfa reset`: an operator's hand on a user's second factors.

use anyhow::{Context, bail};
use serde::Serialize;

use super::open::now;
use crate::config::Settings;
use crate::oauth::authentication::totp::{new_recovery_codes, new_secret};
use crate::storage::{Database, SecondFactorStore, ThrottleStore, UserStore};

#[derive(Serialize)]
struct Provisioned<'a> {
    username: &'a str,
    otpauth_uri: &'a str,
    recovery_codes: &'a [String],
}

/// Provisions a TOTP secret (for an authenticator app, or a hardware token that carries a seed) and ten recovery
/// codes, and prints them once: only the secret (needed to check codes) and the codes' hashes are kept.
pub fn totp_add(db: &Database, settings: &Settings, username: &str, json: bool) -> anyhow::Result<()> {
    let user = db.find_user_by_username(username)?.with_context(|| format!("no user {username:?}"))?.user;
    if db.find_totp(&user.subject)?.is_some() {
        bail!("{username} already has a TOTP second factor; remove it first with `tessera user mfa reset {username}`");
    }
    // The label an authenticator app shows: the issuer's host, then the username.
    let issuer = url::Url::parse(&settings.issuer).ok().and_then(|u| u.host_str().map(str::to_owned));
    let issuer = issuer.unwrap_or_else(|| settings.product_name.clone());
    let (secret, uri) = new_secret(&issuer, &user.username).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let (codes, hashes) = new_recovery_codes();
    db.enrol_totp(&user.subject, &secret, &hashes, now())?;
    tracing::info!(event = "totp_enrolled", sub = %user.subject, by = "cli", "a TOTP second factor was provisioned");
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&Provisioned { username, otpauth_uri: &uri, recovery_codes: &codes })?
        );
    } else {
        println!("TOTP second factor added for {username}. Shown once; give it to the user over a safe channel.");
        println!("otpauth URI (scan as a QR code or enter in the authenticator app):");
        println!("{uri}");
        println!("recovery codes (each works once, instead of a code):");
        for code in &codes {
            println!("  {code}");
        }
    }
    Ok(())
}

/// Removes every second factor of a user (after their identity was checked out of band), and the failed
/// second-factor counts against them.
pub fn mfa_reset(db: &Database, username: &str) -> anyhow::Result<()> {
    let user = db.find_user_by_username(username)?.with_context(|| format!("no user {username:?}"))?.user;
    let removed = db.remove_second_factors(&user.subject)?;
    let account = format!("otp:{}", user.subject);
    db.clear_failures_matching(&|key| {
        key == format!("user:{account}") || key.starts_with(&format!("login:{account}@"))
    })?;
    tracing::info!(event = "mfa_reset", sub = %user.subject, by = "cli", removed, "second factors removed");
    if removed {
        println!("removed the second factors and recovery codes of {username}");
    } else {
        println!("{username} had no second factor; nothing removed");
    }
    Ok(())
}
