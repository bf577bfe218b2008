//! What an operator does, shared by the CLI (`cli/`) and the admin API (`api.rs`, `users.rs`, `clients.rs`): the
//! same parsing, the same rules, the same storage calls, whoever asks. No actor and no scope here: the caller has
//! checked them.

use serde::Deserialize;

use super::error::AdminError;
use crate::domain::attributes::{
    parse_birthdate, parse_email, parse_locale, parse_phone_number, parse_text, parse_url, parse_zoneinfo,
};
use crate::domain::{
    Client, ClientKind, GroupName, InvalidValue, SigningAlg, Timestamp, User, UserAttributes, Username,
    parse_client_jwks, parse_web_page_uri,
};
use crate::oauth::invitation::invite;
use crate::oidc::client_logo::logo_as_data_uri;
use crate::secrets::{SecretString, random_token, token_hash};
use crate::storage::{
    ClientAdmin, ClientStore, Database, GroupStore, InvitationStore, NewUser, PasskeyStore, SecondFactorStore,
    ThrottleStore, UserStore,
};

/// Changes to a user's claims: a field left out (`None`) keeps its value, an empty string removes it, anything
/// else must parse as the claim (OpenID Connect Core §5.1). `tessera user update` and `PATCH /users/{username}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChanges {
    pub email: Option<String>,
    pub name: Option<String>,
    pub email_verified: Option<bool>,
    pub phone_number_verified: Option<bool>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub middle_name: Option<String>,
    pub nickname: Option<String>,
    pub profile: Option<String>,
    pub picture: Option<String>,
    pub website: Option<String>,
    pub gender: Option<String>,
    pub birthdate: Option<String>,
    pub zoneinfo: Option<String>,
    pub locale: Option<String>,
    pub phone_number: Option<String>,
    pub address_formatted: Option<String>,
    pub address_street: Option<String>,
    pub address_locality: Option<String>,
    pub address_region: Option<String>,
    pub address_postal_code: Option<String>,
    pub address_country: Option<String>,
}

/// Applies one given value: `None` keeps `field`, an empty string removes it, anything else must `parse`.
/// Returns whether the stored value changes.
fn set_claim(
    field: &mut Option<String>,
    given: Option<String>,
    parse: impl Fn(&str) -> Result<String, InvalidValue>,
) -> Result<bool, InvalidValue> {
    let Some(given) = given else { return Ok(false) };
    let value = if given.trim().is_empty() { None } else { Some(parse(&given)?) };
    let changed = *field != value;
    *field = value;
    Ok(changed)
}

impl UserChanges {
    pub fn is_empty(&self) -> bool {
        self == &UserChanges::default()
    }

    /// Validates and applies the standard claims beside email and name; returns whether the phone number changed.
    pub fn apply_attributes(&mut self, claims: &mut UserAttributes) -> Result<bool, InvalidValue> {
        let text = |claim: &'static str| move |v: &str| parse_text(claim, v, false);
        let url = |claim: &'static str| move |v: &str| parse_url(claim, v);
        set_claim(&mut claims.given_name, self.given_name.take(), text("given_name"))?;
        set_claim(&mut claims.family_name, self.family_name.take(), text("family_name"))?;
        set_claim(&mut claims.middle_name, self.middle_name.take(), text("middle_name"))?;
        set_claim(&mut claims.nickname, self.nickname.take(), text("nickname"))?;
        set_claim(&mut claims.profile, self.profile.take(), url("profile"))?;
        set_claim(&mut claims.picture, self.picture.take(), url("picture"))?;
        set_claim(&mut claims.website, self.website.take(), url("website"))?;
        set_claim(&mut claims.gender, self.gender.take(), text("gender"))?;
        set_claim(&mut claims.birthdate, self.birthdate.take(), parse_birthdate)?;
        set_claim(&mut claims.zoneinfo, self.zoneinfo.take(), parse_zoneinfo)?;
        set_claim(&mut claims.locale, self.locale.take(), parse_locale)?;
        let phone_changed = set_claim(&mut claims.phone_number, self.phone_number.take(), parse_phone_number)?;
        let mut address = claims.address.take().unwrap_or_default();
        let multiline = |claim: &'static str| move |v: &str| parse_text(claim, v, true);
        set_claim(&mut address.formatted, self.address_formatted.take(), multiline("address formatted"))?;
        set_claim(&mut address.street_address, self.address_street.take(), multiline("address street"))?;
        set_claim(&mut address.locality, self.address_locality.take(), text("address locality"))?;
        set_claim(&mut address.region, self.address_region.take(), text("address region"))?;
        set_claim(&mut address.postal_code, self.address_postal_code.take(), text("address postal code"))?;
        set_claim(&mut address.country, self.address_country.take(), text("address country"))?;
        claims.address = (!address.is_empty()).then_some(address);
        if let Some(verified) = self.phone_number_verified {
            claims.phone_number_verified = verified;
        }
        Ok(phone_changed)
    }

    /// Validates and applies every change to `user`. A new email address or phone number is not verified, whatever
    /// the old one was, unless the change says so.
    pub fn apply(mut self, user: &mut User) -> Result<(), InvalidValue> {
        let email_changed = set_claim(&mut user.email, self.email.take(), parse_email)?;
        set_claim(&mut user.name, self.name.take(), |v| parse_text("name", v, false))?;
        let phone_verified = self.phone_number_verified.take();
        let phone_changed = self.apply_attributes(&mut user.attributes)?;
        if email_changed {
            user.email_verified = false;
        }
        if phone_changed {
            user.attributes.phone_number_verified = false;
        }
        if let Some(verified) = self.email_verified {
            user.email_verified = verified;
        }
        if let Some(verified) = phone_verified {
            user.attributes.phone_number_verified = verified;
        }
        Ok(())
    }
}

/// `tessera user mfa reset`, `POST /users/{username}/mfa/reset`: removes every second factor of a user (after
/// their identity was checked out of band), their passkeys, and the failed second-factor counts against them.
/// `None`: no such user; else the user, whether anything was removed, and how many passkeys.
pub fn reset_second_factors(db: &Database, username: &str) -> Result<Option<(User, bool, usize)>, AdminError> {
    let Some(record) = db.find_user_by_username(username)? else { return Ok(None) };
    let user = record.user;
    let factors = db.remove_second_factors(&user.subject)?;
    // Passkeys go too: whoever lost the authenticator app may have lost the device holding them.
    let passkeys = db.remove_passkeys(&user.subject)?;
    let account = format!("otp:{}", user.subject);
    db.clear_failures_matching(&|key| {
        key == format!("user:{account}") || key.starts_with(&format!("login:{account}@"))
    })?;
    Ok(Some((user, factors || passkeys > 0, passkeys)))
}

/// The longest an invitation link lives (30 days).
pub const MAX_INVITATION_HOURS: u32 = 24 * 30;

/// `tessera user invite`, `POST /users/{username}/invite`: makes the account (without any credential) if it does
/// not exist, and a single-use link that lets the person set a password and signs them in: the path
/// (`/invite/<token>`) to append to the issuer, shown once.
pub fn invite_user(
    db: &Database,
    username: &str,
    email: &str,
    ttl_hours: u32,
    now: Timestamp,
) -> Result<(User, String), AdminError> {
    use crate::oauth::invitation::invitation_path;
    if !(1..=MAX_INVITATION_HOURS).contains(&ttl_hours) {
        return Err(AdminError::invalid(format!("ttl_hours must be between 1 and {MAX_INVITATION_HOURS}")));
    }
    let username = Username::parse(username)?;
    let email = parse_email(email)?;
    let user = match db.find_user_by_username(username.as_str())? {
        Some(record) if !record.password_hash.is_empty() => {
            return Err(AdminError::new(
                409,
                "Conflict",
                format!("{username} already has a password; `tessera user passwd {username}` changes it"),
            ));
        }
        Some(record) => record.user,
        None => db.add_user(
            &NewUser {
                username: username.to_string(),
                // No credential until the link is used: nobody can sign in to the account before then.
                password_hash: String::new(),
                email: Some(email),
                email_verified: false,
                name: None,
                attributes: Default::default(),
            },
            now,
        )?,
    };
    let token = invite_token(db, &user.subject, now, i64::from(ttl_hours) * 3600)?;
    Ok((user, invitation_path(token.expose())))
}

fn invite_token(
    db: &impl InvitationStore,
    subject: &str,
    now: Timestamp,
    ttl: i64,
) -> Result<SecretString, AdminError> {
    invite(db, subject, now, ttl).map_err(|e| {
        let id = uuid::Uuid::new_v4().to_string();
        tracing::error!(error_id = %id, error = ?e, "making an invitation");
        AdminError::new(500, "Internal Server Error", format!("error id {id}"))
    })
}

/// Every group a client may be restricted to must exist: a typo would lock everyone out.
pub fn check_allowed_groups(db: &impl GroupStore, groups: &[GroupName]) -> Result<(), AdminError> {
    for group in groups {
        if db.find_group(group.as_str())?.is_none() {
            return Err(AdminError::invalid(format!(
                "no group {:?}: create it first with `tessera group add {group}`",
                group.as_str()
            )));
        }
    }
    Ok(())
}

/// The longest a replaced client secret may keep working (30 days).
pub const MAX_OVERLAP_SECS: i64 = 30 * 24 * 3600;

/// `tessera client rotate-secret`, `POST /clients/{id}/secret`: a new secret for a confidential client (shown
/// once; only its hash is kept). The old one keeps working for `overlap_secs` more (0: it stops at once), so the
/// application can be redeployed without a gap; client authentication accepts either until then. The new secret
/// and when the old one stops.
pub fn rotate_client_secret(
    db: &Database,
    client_id: &str,
    overlap_secs: i64,
    now: Timestamp,
) -> Result<(SecretString, Option<Timestamp>), AdminError> {
    if !(0..=MAX_OVERLAP_SECS).contains(&overlap_secs) {
        return Err(AdminError::invalid(format!("the overlap is between 0 and {MAX_OVERLAP_SECS} s (30 days)")));
    }
    let record = db.find_client(client_id)?.ok_or_else(|| AdminError::not_found(format!("no client {client_id:?}")))?;
    if record.client.kind == ClientKind::Public {
        return Err(AdminError::new(
            409,
            "Conflict",
            format!("{client_id} is a public client: it has no secret to rotate"),
        ));
    }
    let secret = random_token(32);
    let until = (overlap_secs > 0).then_some(now + overlap_secs);
    if !db.rotate_secret(client_id, &token_hash(secret.expose()), until)? {
        return Err(AdminError::new(409, "Conflict", format!("{client_id} has no secret to rotate")));
    }
    Ok((secret, until))
}

/// `client add/update --id-token-signed-response-alg`, the admin API's `id_token_signed_response_alg`: an
/// algorithm the server signs with (`enabled`, its `signing_algs`), or empty for the default (`None`).
pub fn parse_enabled_alg(raw: &str, enabled: &[SigningAlg]) -> Result<Option<SigningAlg>, AdminError> {
    if raw.is_empty() {
        return Ok(None);
    }
    let alg = SigningAlg::parse(raw)?;
    if !enabled.contains(&alg) {
        let names: Vec<&str> = enabled.iter().map(|a| a.as_str()).collect();
        return Err(AdminError::invalid(format!(
            "{alg} is not in the server's signing_algs ({}): add it there first (TESSERA_SIGNING_ALGS)",
            names.join(", ")
        )));
    }
    Ok(Some(alg))
}

/// The keys of a private_key_jwt client (`--jwks-file`/`--jwks-uri`, the API's `jwks`/`jwks_uri`): one source
/// replaces the other; the JWKS must parse, the URI must be a web address. An empty `jwks_uri` removes it.
pub fn set_client_keys(client: &mut Client, jwks: Option<&str>, jwks_uri: Option<&str>) -> Result<(), AdminError> {
    if let Some(text) = jwks {
        parse_client_jwks(text)?;
        client.jwks = Some(text.to_owned());
        client.jwks_uri = None;
    }
    if let Some(uri) = jwks_uri {
        if uri.is_empty() {
            client.jwks_uri = None;
        } else {
            client.jwks_uri = Some(parse_web_page_uri("jwks_uri", uri)?);
            client.jwks = None;
        }
    }
    Ok(())
}

/// `--logo-uri`, the API's `logo_uri`: a data URI checked, or an https URL fetched once now (under the
/// back-channel's address rules, `allow_private_networks` for development) and kept as a data URI; empty removes it.
pub fn set_client_logo(client: &mut Client, logo: &str, allow_private_networks: bool) -> Result<(), AdminError> {
    client.logo_uri = if logo.is_empty() {
        None
    } else {
        Some(
            logo_as_data_uri(logo, allow_private_networks)
                .map_err(|e| AdminError::invalid(format!("logo_uri: {e}")))?,
        )
    };
    Ok(())
}
