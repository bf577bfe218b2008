//! The admin API's signing-key writes (`keys:write`), the same calls as `tessera keys rotate|revoke` on this node's
//! key store (so this node follows at once; the others within `key_reload_interval_secs`).

use serde::{Deserialize, Serialize};

use super::actor::Actor;
use super::api::{audit, require};
use super::error::AdminError;
use crate::domain::{SigningAlg, Timestamp};
use crate::keys::{KeyError, RotationRefused};
use crate::oauth::provider::Provider;
use crate::storage::AuditLog;

fn key_error(e: KeyError) -> AdminError {
    match e {
        KeyError::Storage(e) => e.into(),
        KeyError::Refused(RotationRefused::UnknownKey(kid)) => AdminError::not_found(format!("there is no key {kid}")),
        KeyError::Refused(refused) => AdminError::new(409, "Conflict", refused.to_string()),
        e => {
            let id = uuid::Uuid::new_v4().to_string();
            tracing::error!(error_id = %id, error = %e, "admin API key operation failure");
            AdminError::new(500, "Internal Server Error", format!("error id {id}"))
        }
    }
}

/// `POST /keys/rotate`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyRotation {
    /// RS256, PS256, ES256 or EdDSA; absent: every algorithm of `signing_algs`.
    #[serde(default)]
    pub alg: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RotatedKey {
    pub alg: String,
    /// The kid that signs now.
    pub kid: String,
}

/// Promotes each ring's next key to current now (refused, 409, until it has been published for
/// `key_prepublish_secs`, so that every cached JWKS has it).
pub fn rotate_keys(
    provider: &Provider,
    actor: &Actor,
    rotation: &KeyRotation,
    now: Timestamp,
) -> Result<Vec<RotatedKey>, AdminError> {
    require(actor, "keys:write")?;
    let algs: Vec<SigningAlg> = match &rotation.alg {
        Some(alg) => {
            let alg = SigningAlg::parse(alg)?;
            if !provider.keys.algs().contains(alg) {
                return Err(AdminError::invalid(format!("{alg} is not in signing_algs")));
            }
            vec![alg]
        }
        None => provider.keys.algs().iter().collect(),
    };
    let mut rotated = Vec::new();
    for alg in algs {
        let kid = provider.keys.rotate_ring(&provider.db, alg, now).map_err(key_error)?;
        let event = audit(actor, "signing_key_rotated", now).with("kid", &kid).with("alg", alg.as_str());
        provider.db.record_audit(&event)?;
        rotated.push(RotatedKey { alg: alg.as_str().to_owned(), kid });
    }
    Ok(rotated)
}

/// Takes a compromised key out of signing and out of the JWKS at once: every token it signed stops verifying.
/// The kid that signs in its place.
pub fn revoke_key(provider: &Provider, actor: &Actor, kid: &str, now: Timestamp) -> Result<String, AdminError> {
    require(actor, "keys:write")?;
    let signer = provider.keys.revoke(&provider.db, kid, now).map_err(key_error)?;
    provider.db.record_audit(&audit(actor, "signing_key_revoked", now).with("kid", kid).with("signer", &signer))?;
    Ok(signer)
}
