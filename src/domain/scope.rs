//! Scope values (RFC 6749 §3.3) and the registry of the scopes Tessera knows.
//!
//! [`STANDARD_SCOPES`] is the one place a scope is described: its wire name, whether it needs a user, the claims
//! it releases (OpenID Connect Core §5.4) and what the consent page says about it. The supported scope list of
//! discovery, the claims of each scope, `claims_supported` and the consent texts all derive from it, so adding a
//! scope touches this file only.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::InvalidValue;

/// A scope Tessera understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardScope {
    /// The scope token on the wire.
    pub name: &'static str,
    /// It describes a user: meaningless in a token without one (the client_credentials grant refuses it).
    pub needs_user: bool,
    /// The user claims it releases (OpenID Connect Core §5.4), in the order discovery lists them.
    pub claims: &'static [&'static str],
    /// The message (in the pages' catalogues, `locales/*/tessera.ftl`) that says on the consent page what it gives
    /// the application.
    pub consent_key: &'static str,
}

/// The scope that makes an OAuth request an OpenID Connect one (OpenID Connect Core §3.1.2.1).
pub const OPENID: &str = "openid";
/// OpenID Connect Core §11: a grant that outlives the browser session it was made in.
pub const OFFLINE_ACCESS: &str = "offline_access";

/// Every scope Tessera understands, in the order discovery lists them. Others are dropped from a request
/// (RFC 6749 §3.3: "The authorization server MAY fully or partially ignore the scope requested").
pub const STANDARD_SCOPES: &[StandardScope] = &[
    StandardScope { name: OPENID, needs_user: true, claims: &[], consent_key: "scope-openid" },
    // §5.4: "profile ... name, family_name, given_name, middle_name, nickname, preferred_username, profile,
    // picture, website, gender, birthdate, zoneinfo, locale, and updated_at."
    StandardScope {
        name: "profile",
        needs_user: true,
        claims: &[
            "name",
            "given_name",
            "family_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "gender",
            "birthdate",
            "zoneinfo",
            "locale",
            "updated_at",
        ],
        consent_key: "scope-profile",
    },
    // §5.4: "email ... email and email_verified Claims."
    StandardScope { name: "email", needs_user: true, claims: &["email", "email_verified"], consent_key: "scope-email" },
    // §5.4: "address ... the address Claim."
    StandardScope { name: "address", needs_user: true, claims: &["address"], consent_key: "scope-address" },
    // §5.4: "phone ... phone_number and phone_number_verified Claims."
    StandardScope {
        name: "phone",
        needs_user: true,
        claims: &["phone_number", "phone_number_verified"],
        consent_key: "scope-phone",
    },
    StandardScope { name: OFFLINE_ACCESS, needs_user: true, claims: &[], consent_key: "scope-offline_access" },
    // Not in OpenID Connect Core: the names of the user's groups (`tessera group`), as a JSON array of strings, the
    // claim most identity providers call `groups`.
    StandardScope { name: GROUPS, needs_user: true, claims: &[GROUPS], consent_key: "scope-groups" },
];

/// The scope that releases the `groups` claim, and the claim's name.
pub const GROUPS: &str = "groups";

/// The ID token's own claims (OpenID Connect Core §2, Back-Channel Logout §2.1 `sid`), advertised in discovery
/// before the user claims of the scopes.
pub const ID_TOKEN_CLAIMS: &[&str] =
    &["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp", "sid"];

/// The message the consent page shows for the scopes no registry entry describes (API scopes), together.
pub const API_SCOPES_KEY: &str = "scope-api";

/// The registry entry of a scope token.
pub fn standard_scope(name: &str) -> Option<&'static StandardScope> {
    STANDARD_SCOPES.iter().find(|s| s.name == name)
}

/// The scope tokens this server understands (discovery `scopes_supported`).
pub fn supported_scopes() -> impl Iterator<Item = &'static str> {
    STANDARD_SCOPES.iter().map(|s| s.name)
}

/// Every claim discovery advertises (`claims_supported`): the ID token's own, then each scope's.
pub fn supported_claims() -> Vec<&'static str> {
    ID_TOKEN_CLAIMS.iter().copied().chain(STANDARD_SCOPES.iter().flat_map(|s| s.claims.iter().copied())).collect()
}

/// The user claims a scope value releases (none for openid, offline_access or an unknown value).
pub fn claims_of_scope(scope_value: &str) -> &'static [&'static str] {
    standard_scope(scope_value).map_or(&[], |s| s.claims)
}

/// The scope value that releases a user claim, if any.
pub fn scope_of_claim(claim: &str) -> Option<&'static str> {
    STANDARD_SCOPES.iter().find(|s| s.claims.contains(&claim)).map(|s| s.name)
}

/// The message key of what the consent page says a scope gives the application; `None` for a scope outside the
/// registry (an API scope: those are shown together, as [`API_SCOPES_KEY`]).
pub fn describe_scope(scope_value: &str) -> Option<&'static str> {
    standard_scope(scope_value).map(|s| s.consent_key)
}

/// A set of scope tokens. Order is not significant (RFC 6749 §3.3), so it is kept sorted; it is written (and
/// stored) as the space-separated string of its sorted tokens. A requested scope is never empty ([`Scope::parse`]);
/// a registered list may be ([`Scope::parse_list`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope(BTreeSet<String>);

impl Scope {
    /// No scope at all.
    pub fn empty() -> Scope {
        Scope::default()
    }

    /// A registered list of scope tokens (a client's or a resource's): like [`Scope::parse`], but empty is fine.
    pub fn parse_list(raw: &str) -> Result<Scope, InvalidValue> {
        if raw.trim().is_empty() { Ok(Scope::empty()) } else { Scope::parse(raw.trim()) }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// RFC 6749 §3.3: `scope = scope-token *( SP scope-token )`, `scope-token = 1*NQCHAR`,
    /// `NQCHAR = %x21 / %x23-5B / %x5D-7E`.
    pub fn parse(raw: &str) -> Result<Scope, InvalidValue> {
        let mut tokens = BTreeSet::new();
        for token in raw.split(' ') {
            if token.is_empty() {
                return Err(InvalidValue("scope has an empty token".into()));
            }
            if !token.bytes().all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b)) {
                return Err(InvalidValue("scope token has a character outside NQCHAR".into()));
            }
            tokens.insert(token.to_owned());
        }
        Ok(Scope(tokens))
    }

    pub fn contains(&self, token: &str) -> bool {
        self.0.contains(token)
    }

    pub fn is_subset_of(&self, other: &Scope) -> bool {
        self.0.is_subset(&other.0)
    }

    /// The tokens of both.
    pub fn intersection(&self, other: &Scope) -> Scope {
        Scope(self.0.intersection(&other.0).cloned().collect())
    }

    /// Keeps only the tokens `keep` accepts.
    pub fn retain(&self, keep: impl Fn(&str) -> bool) -> Scope {
        Scope(self.0.iter().filter(|t| keep(t)).cloned().collect())
    }

    /// Keeps only the tokens of the registry; unknown ones are dropped (RFC 6749 §3.3).
    pub fn supported(&self) -> Scope {
        self.retain(|t| standard_scope(t).is_some())
    }

    /// This scope and `other` together.
    pub fn union(&self, other: impl IntoIterator<Item = impl Into<String>>) -> Scope {
        let mut tokens = self.0.clone();
        tokens.extend(other.into_iter().map(Into::into));
        Scope(tokens)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Whether a token of this scope describes a user (see [`StandardScope::needs_user`]).
    pub fn needs_user(&self) -> bool {
        self.iter().any(|t| standard_scope(t).is_some_and(|s| s.needs_user))
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for token in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(token)?;
            first = false;
        }
        Ok(())
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scope, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Scope::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_space_delimited_tokens_without_order_or_duplicates() {
        let s = Scope::parse("profile openid email openid").unwrap();
        assert_eq!(s.to_string(), "email openid profile");
        assert!(s.contains("openid"));
        assert!(!s.contains("phone"));
    }

    #[test]
    fn rejects_empty_tokens_and_forbidden_characters() {
        assert!(Scope::parse("").is_err());
        assert!(Scope::parse("openid  email").is_err());
        assert!(Scope::parse("openid ").is_err());
        assert!(Scope::parse("open\"id").is_err());
        assert!(Scope::parse("open\\id").is_err());
        assert!(Scope::parse("openid\temail").is_err());
        assert!(Scope::parse("é").is_err());
    }

    #[test]
    fn subset_and_the_supported_part() {
        let granted = Scope::parse("openid email profile").unwrap();
        assert!(Scope::parse("openid email").unwrap().is_subset_of(&granted));
        assert!(!Scope::parse("openid phone").unwrap().is_subset_of(&granted));
        let known = Scope::parse("openid unknown email").unwrap().supported();
        assert_eq!(known.to_string(), "email openid");
        assert_eq!(known.union(["phone"]).to_string(), "email openid phone");
    }

    #[test]
    fn registered_lists_may_be_empty() {
        assert!(Scope::parse_list("").unwrap().is_empty());
        assert!(Scope::parse_list("  ").unwrap().is_empty());
        assert_eq!(Scope::parse_list("b a").unwrap().to_string(), "a b");
        assert!(Scope::parse_list("a  b").is_err());
        let both = Scope::parse("a b c").unwrap().intersection(&Scope::parse("b c d").unwrap());
        assert_eq!(both.to_string(), "b c");
    }

    #[test]
    fn serialised_as_the_sorted_string() {
        let s = Scope::parse("profile openid").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"openid profile\"");
        assert_eq!(serde_json::from_str::<Scope>("\"openid profile\"").unwrap(), s);
        assert!(serde_json::from_str::<Scope>("\"\"").is_err());
    }

    #[test]
    fn the_registry_derives_every_list() {
        assert_eq!(
            supported_scopes().collect::<Vec<_>>(),
            ["openid", "profile", "email", "address", "phone", "offline_access", "groups"]
        );
        assert_eq!(claims_of_scope("email"), ["email", "email_verified"]);
        assert!(claims_of_scope("openid").is_empty() && claims_of_scope("unknown").is_empty());
        assert_eq!(scope_of_claim("phone_number_verified"), Some("phone"));
        assert_eq!(scope_of_claim("sub"), None);
        let claims = supported_claims();
        assert_eq!(claims[..ID_TOKEN_CLAIMS.len()], *ID_TOKEN_CLAIMS);
        assert_eq!(claims.len(), ID_TOKEN_CLAIMS.len() + 19 + 1, "every user claim of §5.4 once, and groups");
        assert_eq!(describe_scope("address"), Some("scope-address"));
        assert_eq!(describe_scope("api:read"), None);
        assert!(Scope::parse("openid").unwrap().needs_user());
        assert!(!Scope::parse("api:read").unwrap().needs_user());
    }
}
