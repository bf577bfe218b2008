//! The key state machine, as pure functions over the stored key records (time passed in), so it is unit-tested
//! without a database.

use super::KeyPolicy;
use crate::storage::{KeyRecord, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    Next,
    Current,
    Previous,
    Retired,
}

impl KeyState {
    pub fn parse(raw: &str) -> Option<KeyState> {
        match raw {
            "next" => Some(KeyState::Next),
            "current" => Some(KeyState::Current),
            "previous" => Some(KeyState::Previous),
            "retired" => Some(KeyState::Retired),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Next => "next",
            KeyState::Current => "current",
            KeyState::Previous => "previous",
            KeyState::Retired => "retired",
        }
    }

    /// Next and current keys are published; a previous key until the last token it signed has expired.
    pub fn is_published(self, record: &KeyRecord, now: Timestamp) -> bool {
        match self {
            KeyState::Next | KeyState::Current => true,
            KeyState::Previous => record.publish_until.is_none_or(|until| now < until),
            KeyState::Retired => false,
        }
    }
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
    records.iter().find(|r| r.state == state.as_str())
}

/// Housekeeping that needs no decision: retire previous keys whose tokens have all expired, and make sure a next
/// key exists. `None` when nothing is to be done.
pub fn plan_maintenance(
    records: &[KeyRecord],
    _policy: KeyPolicy,
    now: Timestamp,
) -> Result<Option<RotationPlan>, RotationRefused> {
    let mut updates = Vec::new();
    for record in records {
        if record.state == KeyState::Previous.as_str() && record.publish_until.is_some_and(|until| until <= now) {
            let mut retired = record.clone();
            retired.state = KeyState::Retired.as_str().into();
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
        previous.state = KeyState::Previous.as_str().into();
        previous.deactivated_at = Some(now);
        // Published until every token it signed has expired: servers that have not reloaded yet may sign with it
        // for one more reload interval, and verifiers get a minute for clock skew.
        previous.publish_until = Some(now + policy.reload_interval_secs + policy.longest_token_ttl_secs + 60);
        updates.push(previous);
    }
    let mut promoted = next.clone();
    promoted.state = KeyState::Current.as_str().into();
    promoted.activated_at = Some(now);
    updates.push(promoted);
    Ok(RotationPlan { expected_current: current.map(|r| r.kid.clone()), updates, new_key_state: Some(KeyState::Next) })
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: KeyPolicy = KeyPolicy {
        prepublish_secs: 3600,
        rotation_interval_secs: 86400,
        longest_token_ttl_secs: 300,
        reload_interval_secs: 60,
    };

    fn key(kid: &str, state: KeyState, created_at: Timestamp) -> KeyRecord {
        KeyRecord {
            kid: kid.into(),
            state: state.as_str().into(),
            private_key: vec![],
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
        assert_eq!(a.state, "previous");
        assert_eq!(a.publish_until, Some(3700 + 60 + 300 + 60));
        assert!(KeyState::Previous.is_published(a, 3700 + 60 + 300));
        assert!(!KeyState::Previous.is_published(a, 3700 + 60 + 360));
        let b = plan.updates.iter().find(|k| k.kid == "b").unwrap();
        assert_eq!(b.state, "current");
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
        assert_eq!(plan.updates[0].state, "retired");
        assert_eq!(plan.new_key_state, Some(KeyState::Next));
        assert!(!KeyState::Retired.is_published(&plan.updates[0], 0));
    }

    #[test]
    fn maintenance_of_a_healthy_set_does_nothing() {
        let keys = vec![key("a", KeyState::Current, 0), key("b", KeyState::Next, 10)];
        assert_eq!(plan_maintenance(&keys, POLICY, 20).unwrap(), None);
    }

    #[test]
    fn states_round_trip() {
        for s in [KeyState::Next, KeyState::Current, KeyState::Previous, KeyState::Retired] {
            assert_eq!(KeyState::parse(s.as_str()), Some(s));
        }
        assert_eq!(KeyState::parse("active"), None);
    }
}
