//! How a person gets credentials from an operator: `tessera user totp add`, `tessera user mfa reset` and `tessera user
//! invite`.

use anyhow::{Context, bail};
use serde::Serialize;

use super::open::now;
use crate::admin::operations::reset_second_factors;
use crate::config::Settings;
use crate::oauth::authentication::totp::{new_recovery_codes, new_secret};
use crate::storage::{Database, SecondFactorStore, UserStore};

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
/// second-factor counts against them: the admin API's operation (`admin::operations`).
pub fn mfa_reset(db: &Database, username: &str) -> anyhow::Result<()> {
    let (user, removed) = reset_second_factors(db, username)?.with_context(|| format!("no user {username:?}"))?;
    tracing::info!(event = "mfa_reset", sub = %user.subject, by = "cli", removed, "second factors removed");
    if removed {
        println!("removed the second factors and recovery codes of {username}");
    } else {
        println!("{username} had no second factor; nothing removed");
    }
    Ok(())
}

/// `tessera user invite`: makes the account (without any credential) if it does not exist, and prints a
/// single-use link that lets the person set a password and signs them in.
pub fn invite_user(
    db: &Database,
    settings: &Settings,
    username: &str,
    email: &str,
    ttl_hours: u32,
) -> anyhow::Result<()> {
    let (user, path) = crate::admin::operations::invite_user(db, username, email, ttl_hours, now())?;
    let issuer = settings.issuer.trim_end_matches('/');
    tracing::info!(event = "invitation_created", sub = %user.subject, ttl_hours, "an invitation link was made");
    println!("invitation for {} (single use, valid {ttl_hours} h):", user.username);
    println!("{issuer}{path}");
    Ok(())
}
