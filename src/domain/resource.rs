//! APIs as resources (RFC 8707): an access token is issued for one resource, its audience, and carries only that
//! resource's scopes. A scope token belongs to at most one resource.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use super::error::InvalidValue;
use super::scope::{Scope, standard_scope};
use super::signing_alg::SigningAlg;

/// A resource indicator: RFC 8707 §2, "an absolute URI ... MUST NOT include a fragment component" and "SHOULD NOT
/// include a query component" (refused here, so that one API has one name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(String);

impl ResourceId {
    pub fn parse(raw: &str) -> Result<ResourceId, InvalidValue> {
        if raw.is_empty() || raw.len() > 2000 {
            return Err(InvalidValue("a resource indicator has 1 to 2000 characters".into()));
        }
        let url = Url::parse(raw).map_err(|e| InvalidValue(format!("resource {raw:?} is not an absolute URI: {e}")))?;
        if url.fragment().is_some() || raw.contains('#') {
            return Err(InvalidValue(format!("resource {raw:?} has a fragment (RFC 8707 §2)")));
        }
        if url.query().is_some() {
            return Err(InvalidValue(format!("resource {raw:?} has a query (RFC 8707 §2)")));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InvalidValue(format!("resource {raw:?} has whitespace")));
        }
        Ok(ResourceId(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ResourceId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ResourceId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ResourceId, D::Error> {
        ResourceId::parse(&String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// A registered API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub id: ResourceId,
    /// The scopes that belong to it.
    pub scope: Scope,
    /// Its access tokens' lifetime, instead of the server's or the client's when shorter.
    pub access_token_ttl_secs: Option<i64>,
    /// The algorithm of its access tokens; `None`, the server's first `signing_algs`.
    pub access_token_signed_response_alg: Option<SigningAlg>,
}

impl Resource {
    /// The rules a resource follows whoever registers it, given the others already registered.
    pub fn check_registration(&self, others: &[Resource]) -> Result<(), InvalidValue> {
        if let Some(standard) = self.scope.iter().find(|s| standard_scope(s).is_some()) {
            return Err(InvalidValue(format!(
                "{standard} is an OpenID Connect scope of the default audience; a resource has API scopes only"
            )));
        }
        for other in others.iter().filter(|o| o.id != self.id) {
            if let Some(shared) = self.scope.iter().find(|s| other.scope.contains(s)) {
                return Err(InvalidValue(format!("scope {shared} already belongs to resource {}", other.id)));
            }
        }
        if self.access_token_ttl_secs.is_some_and(|ttl| !(1..=super::client::MAX_TOKEN_TTL_SECS).contains(&ttl)) {
            return Err(InvalidValue("token lifetimes are between 1 s and ten years".into()));
        }
        Ok(())
    }
}

/// The resource that owns a scope token, among `resources`.
pub fn owner_of<'a>(scope_token: &str, resources: &'a [Resource]) -> Option<&'a Resource> {
    resources.iter().find(|r| r.scope.contains(scope_token))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(id: &str, scope: &str) -> Resource {
        Resource {
            id: ResourceId::parse(id).unwrap(),
            scope: Scope::parse_list(scope).unwrap(),
            access_token_ttl_secs: None,
            access_token_signed_response_alg: None,
        }
    }

    #[test]
    fn resource_indicators_are_absolute_uris_without_fragment_or_query() {
        assert!(ResourceId::parse("https://api.example.com").is_ok());
        assert!(ResourceId::parse("https://api.example.com/v1/").is_ok());
        assert!(ResourceId::parse("urn:example:api").is_ok());
        for bad in ["", "/api", "api.example.com", "https://api.example.com#x", "https://api.example.com?a=1"] {
            assert!(ResourceId::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_scope_belongs_to_one_resource_and_never_to_openid() {
        let api = resource("https://api.example.com", "api:read api:write");
        let other = resource("https://other.example.com", "api:read");
        assert!(other.check_registration(std::slice::from_ref(&api)).is_err());
        assert!(resource("https://x.example", "openid").check_registration(&[]).is_err());
        assert!(api.check_registration(std::slice::from_ref(&api)).is_ok(), "updating a resource keeps its own");
        let resources = [api.clone()];
        assert_eq!(owner_of("api:write", &resources).map(|r| r.id.as_str()), Some("https://api.example.com"));
        assert!(owner_of("reports:read", &resources).is_none());
    }
}
