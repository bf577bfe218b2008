//! Resource indicators (RFC 8707): which API an access token is for, and which scopes it may carry there. A
//! scope registered on a resource belongs to it alone: a token for one API never carries another API's scopes,
//! and a token for the default audience (the issuer, or `access_token_audience`) carries no resource's scopes.

use crate::domain::resource::owner_of;
use crate::domain::scope::standard_scope;
use crate::domain::{Resource, Scope};
use crate::error::{ErrorCode, OAuthError};

/// RFC 8707 §2 `resource`: when sent, a registered resource; "invalid_target: The requested resource is invalid,
/// missing, unknown, or malformed." One resource per request (a repeated parameter is refused at the edge).
pub fn check_resource(raw: Option<&str>, resources: &[Resource]) -> Result<Option<Resource>, OAuthError> {
    let Some(raw) = raw else { return Ok(None) };
    resources
        .iter()
        .find(|r| r.id.as_str() == raw)
        .cloned()
        .map(Some)
        .ok_or_else(|| OAuthError::new(ErrorCode::InvalidTarget, "unknown resource").with_detail(raw.to_owned()))
}

/// What a user-facing request (authorization or device) may be granted of `scope` (RFC 6749 §3.3: the server "MAY
/// fully or partially ignore the scope requested"): the OpenID Connect scopes, and the API scopes `client_scope`
/// holds that fit the requested audience (`fits_audience`); the rest is dropped.
pub fn grantable_scope(
    scope: &Scope,
    client_scope: &Scope,
    resource: Option<&Resource>,
    resources: &[Resource],
) -> Scope {
    scope.retain(|t| standard_scope(t).is_some() || (client_scope.contains(t) && fits_audience(t, resource, resources)))
}

/// Whether a scope token may go into a token for `resource` (none: the default audience): a resource's own
/// scopes for it, and scopes no resource owns for the default audience.
pub fn fits_audience(token: &str, resource: Option<&Resource>, resources: &[Resource]) -> bool {
    match (owner_of(token, resources), resource) {
        (None, None) => true,
        (Some(owner), Some(resource)) => owner.id == resource.id,
        _ => false,
    }
}

/// The part of `scope` an access token for `resource` carries.
pub fn scope_for_audience(scope: &Scope, resource: Option<&Resource>, resources: &[Resource]) -> Scope {
    match resource {
        // A resource's token carries its scopes only: the OpenID Connect ones serve the default audience.
        Some(resource) => scope.intersection(&resource.scope),
        None => scope.retain(|t| fits_audience(t, None, resources)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ResourceId;

    fn resources() -> Vec<Resource> {
        ["https://a.example api:read api:write", "https://b.example b:read"]
            .iter()
            .map(|line| {
                let (id, scope) = line.split_once(' ').unwrap();
                Resource {
                    id: ResourceId::parse(id).unwrap(),
                    scope: Scope::parse(scope).unwrap(),
                    access_token_ttl_secs: None,
                    access_token_signed_response_alg: None,
                }
            })
            .collect()
    }

    #[test]
    fn unknown_resources_are_invalid_target() {
        let all = resources();
        assert_eq!(check_resource(Some("https://a.example"), &all).unwrap().unwrap().id.as_str(), "https://a.example");
        assert_eq!(check_resource(Some("https://c.example"), &all).unwrap_err().code, ErrorCode::InvalidTarget);
        assert_eq!(check_resource(None, &all).unwrap(), None);
    }

    #[test]
    fn a_token_carries_only_the_scopes_of_its_audience() {
        let all = resources();
        let scope = Scope::parse("openid profile api:read b:read reports").unwrap();
        assert_eq!(scope_for_audience(&scope, Some(&all[0]), &all).to_string(), "api:read");
        assert_eq!(scope_for_audience(&scope, Some(&all[1]), &all).to_string(), "b:read");
        assert_eq!(scope_for_audience(&scope, None, &all).to_string(), "openid profile reports");
        assert!(fits_audience("api:write", Some(&all[0]), &all));
        assert!(!fits_audience("api:write", Some(&all[1]), &all));
        assert!(!fits_audience("api:write", None, &all));
    }
}
