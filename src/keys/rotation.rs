//! The key life cycle, as pure functions over the stored key records (time passed in), so it is unit-tested
//! without a database: rotation, housekeeping, and revocation of a compromised key.

use crate::domain::{KeyRecord, KeyState, SigningAlgs, Timestamp};

/// Timing rules for rotation, from the settings, and the algorithms a ring is kept for. The functions below take
/// the records of one ring.
#[derive(Debug, Clone, Copy)]
pub struct KeyPolicy {
    pub prepublish_secs: i64,
    pub rotation_interval_secs: i64,
    pub longest_token_ttl_secs: i64,
    /// A server may keep signing with a key for this long after another process rotated it away.
    pub reload_interval_secs: i64,
    /// `signing_algs`: one ring each.
    pub algs: SigningAlgs,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RotationRefused {
    #[error(
        "the next key {kid} has been published for {published_secs} s; it may sign after {required_secs} s \
         (key_prepublish_secs), so that every cached JWKS has it"
    )]
    NextNotPublishedLongEnough { kid: String, published_secs: i64, required_secs: i64 },
    #[error("there is no next key to promote")]
    NoNextKey,
    #[error("the key set was changed by someone else at the same time; try again")]
    Concurrent,
    #[error("there is no key {0}")]
    UnknownKey(String),
    #[error("key {0} is already revoked")]
    AlreadyRevoked(String),
}

/// What to change: updated records (by kid), the state of a key to generate, and the current key the plan was
/// made against (the storage applies it only if that key is still current).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationPlan {
    pub expected_current: Option<String>,
    pub updates: Vec<KeyRecord>,
    pub new_key_state: Option<KeyState>,
}

fn find(records: &[KeyRecord], state: KeyState) -> Option<&KeyRecord> {
    records.iter().find(|r| r.state == state)
}

/// Housekeeping that needs no decision: retire previous keys whose tokens have all expired (and delete their
/// private half, which can never sign again), and make sure a next key exists. `None` when nothing is to be done.
pub fn plan_maintenance(
    records: &[KeyRecord],
    _policy: KeyPolicy,
    now: Timestamp,
) -> Result<Option<RotationPlan>, RotationRefused> {
    let mut updates = Vec::new();
    for record in records {
        if record.state == KeyState::Previous && record.publish_until.is_some_and(|until| until <= now) {
            let mut retired = record.clone();
            retired.state = KeyState::Retired;
            retired.private_key.clear();
            updates.push(retired);
        }
    }
    let new_key_state = find(records, KeyState::Next).is_none().then_some(KeyState::Next);
    if updates.is_empty() && new_key_state.is_none() {
        return Ok(None);
    }
    let expected_current = find(records, KeyState::Current).map(|r| r.kid.clone());
    Ok(Some(RotationPlan { expected_current, updates, new_key_state }))
}

/// next -> current, current -> previous (published until its last token expires), and a fresh next key.
pub fn plan_rotation(
    records: &[KeyRecord],
    policy: KeyPolicy,
    now: Timestamp,
) -> Result<RotationPlan, RotationRefused> {
    let next = find(records, KeyState::Next).ok_or(RotationRefused::NoNextKey)?;
    let published_secs = now - next.created_at;
    if published_secs < policy.prepublish_secs {
        return Err(RotationRefused::NextNotPublishedLongEnough {
            kid: next.kid.clone(),
            published_secs,
            required_secs: policy.prepublish_secs,
        });
    }
    let mut updates = Vec::new();
    let current = find(records, KeyState::Current);
    if let Some(current) = current {
        let mut previous = current.clone();
        previous.state = KeyState::Previous;
        previous.deactivated_at = Some(now);
        // Published until every token it signed has expired: servers that have not reloaded yet may sign with it
        // for one more reload interval, and verifiers get a minute for clock skew.
        previous.publish_until = Some(now + policy.reload_interval_secs + policy.longest_token_ttl_secs + 60);
        updates.push(previous);
    }
    let mut promoted = next.clone();
    promoted.state = KeyState::Current;
    promoted.activated_at = Some(now);
    updates.push(promoted);
    Ok(RotationPlan { expected_current: current.map(|r| r.kid.clone()), updates, new_key_state: Some(KeyState::Next) })
}

/// A compromised key leaves the JWKS and signing at once: it becomes `revoked` and its private half is deleted.
/// If it was the current key, the next key signs from now on without waiting out its pre-publication (a relying
/// party that has not seen it yet refetches the JWKS on the unknown kid; a token signed by the compromised key is
/// worth less than that wait); a fresh next key is made whenever the next key moves or goes.
pub fn plan_revocation(records: &[KeyRecord], kid: &str, now: Timestamp) -> Result<RotationPlan, RotationRefused> {
    let target = records.iter().find(|r| r.kid == kid).ok_or_else(|| RotationRefused::UnknownKey(kid.to_owned()))?;
    if target.state == KeyState::Revoked {
        return Err(RotationRefused::AlreadyRevoked(kid.to_owned()));
    }
    let mut revoked = target.clone();
    revoked.state = KeyState::Revoked;
    revoked.private_key.clear();
    revoked.deactivated_at = Some(now);
    revoked.publish_until = None;
    let mut updates = vec![revoked];
    let current = find(records, KeyState::Current);
    let next = find(records, KeyState::Next);
    if target.state == KeyState::Current {
        let next = next.ok_or(RotationRefused::NoNextKey)?;
        let mut promoted = next.clone();
        promoted.state = KeyState::Current;
        promoted.activated_at = Some(now);
        updates.push(promoted);
    }
    let needs_next = matches!(target.state, KeyState::Current | KeyState::Next);
    Ok(RotationPlan {
        expected_current: current.map(|r| r.kid.clone()),
        updates,
        new_key_state: needs_next.then_some(KeyState::Next),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: KeyPolicy = KeyPolicy {
        prepublish_secs: 3600,
        rotation_interval_secs: 86400,
        longest_token_ttl_secs: 300,
        reload_interval_secs: 60,
        algs: SigningAlgs::rs256_only(),
    };

    fn key(kid: &str, state: KeyState, created_at: Timestamp) -> KeyRecord {
        KeyRecord {
            kid: kid.into(),
            alg: crate::domain::SigningAlg::RS256,
            state,
            private_key: vec![1],
            created_at,
            activated_at: (state == KeyState::Current).then_some(created_at),
            deactivated_at: None,
            publish_until: None,
        }
    }

    #[test]
    fn rotation_promotes_next_and_keeps_current_published_for_the_token_lifetime() {
        let keys = vec![key("a", KeyState::Current, 0), key("b", KeyState::Next, 100)];
        let plan = plan_rotation(&keys, POLICY, 100 + 3600).unwrap();
        assert_eq!(plan.expected_current.as_deref(), Some("a"));
        assert_eq!(plan.new_key_state, Some(KeyState::Next));
        let a = plan.updates.iter().find(|k| k.kid == "a").unwrap();
        assert_eq!(a.state, KeyState::Previous);
        assert_eq!(a.publish_until, Some(3700 + 60 + 300 + 60));
        assert!(KeyState::Previous.is_published(a, 3700 + 60 + 300));
        assert!(!KeyState::Previous.is_published(a, 3700 + 60 + 360));
        let b = plan.updates.iter().find(|k| k.kid == "b").unwrap();
        assert_eq!(b.state, KeyState::Current);
        assert_eq!(b.activated_at, Some(3700));
    }

    #[test]
    fn a_key_signs_only_after_it_was_published_for_the_prepublication_window() {
        let keys = vec![key("a", KeyState::Current, 0), key("b", KeyState::Next, 100)];
        let refused = plan_rotation(&keys, POLICY, 100 + 3599).unwrap_err();
        assert!(matches!(refused, RotationRefused::NextNotPublishedLongEnough { published_secs: 3599, .. }));
    }

    #[test]
    fn rotation_without_a_next_key_is_refused() {
        let keys = vec![key("a", KeyState::Current, 0)];
        assert_eq!(plan_rotation(&keys, POLICY, 10_000).unwrap_err(), RotationRefused::NoNextKey);
    }

    #[test]
    fn maintenance_retires_expired_previous_keys_and_creates_a_missing_next() {
        let mut old = key("old", KeyState::Previous, 0);
        old.publish_until = Some(500);
        let keys = vec![old, key("a", KeyState::Current, 0)];
        assert!(KeyState::Previous.is_published(&keys[0], 499));
        let plan = plan_maintenance(&keys, POLICY, 500).unwrap().unwrap();
        assert_eq!(plan.updates.len(), 1);
        assert_eq!(plan.updates[0].state, KeyState::Retired);
        assert!(plan.updates[0].private_key.is_empty(), "a retired key can never sign again: its private half goes");
        assert_eq!(plan.new_key_state, Some(KeyState::Next));
        assert!(!KeyState::Retired.is_published(&plan.updates[0], 0));
    }

    #[test]
    fn maintenance_of_a_healthy_set_does_nothing() {
        let keys = vec![key("a", KeyState::Current, 0), key("b", KeyState::Next, 10)];
        assert_eq!(plan_maintenance(&keys, POLICY, 20).unwrap(), None);
    }

    #[test]
    fn revoking_the_current_key_promotes_the_next_at_once_and_deletes_the_private_key() {
        let keys = vec![key("a", KeyState::Current, 0), key("b", KeyState::Next, 100)];
        let plan = plan_revocation(&keys, "a", 101).unwrap();
        let a = plan.updates.iter().find(|k| k.kid == "a").unwrap();
        assert_eq!((a.state, a.private_key.is_empty(), a.publish_until), (KeyState::Revoked, true, None));
        let b = plan.updates.iter().find(|k| k.kid == "b").unwrap();
        assert_eq!((b.state, b.activated_at), (KeyState::Current, Some(101)), "no pre-publication wait");
        assert_eq!(plan.new_key_state, Some(KeyState::Next));
        assert_eq!(plan.expected_current.as_deref(), Some("a"));
    }

    #[test]
    fn revoking_other_keys() {
        let mut old = key("old", KeyState::Previous, 0);
        old.publish_until = Some(10_000);
        let keys = vec![old, key("a", KeyState::Current, 0), key("b", KeyState::Next, 100)];
        let plan = plan_revocation(&keys, "old", 200).unwrap();
        assert_eq!(plan.updates.len(), 1);
        assert_eq!(plan.new_key_state, None);
        let plan = plan_revocation(&keys, "b", 200).unwrap();
        assert_eq!(plan.new_key_state, Some(KeyState::Next), "a revoked next key is replaced");
        assert_eq!(plan_revocation(&keys, "nope", 200).unwrap_err(), RotationRefused::UnknownKey("nope".into()));
        let mut revoked = keys.clone();
        revoked[0].state = KeyState::Revoked;
        assert_eq!(plan_revocation(&revoked, "old", 200).unwrap_err(), RotationRefused::AlreadyRevoked("old".into()));
    }
}
