//! The audience of the access tokens a token request issues (RFC 8707 §2.2) and the part of the scope they carry
//! there (`oauth::resource`).

use crate::domain::scope::standard_scope;
use crate::domain::{Grant, Resource, Scope};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oauth::resource::{check_resource, scope_for_audience};
use crate::storage::ResourceStore;

/// Who an access token is for, and what it carries there.
pub(super) struct Audience {
    /// None: the default audience.
    pub resource: Option<Resource>,
    pub scope: Scope,
}

fn invalid_target(detail: &str) -> Failure {
    OAuthError::new(ErrorCode::InvalidTarget, "the resource is not one this grant was made for")
        .with_detail(detail.to_owned())
        .into()
}

/// The audience of tokens from `grant`: the resource it was made for. RFC 8707 §2.2: a `resource` in the token
/// request must be one the grant was authorized for ("invalid_target" otherwise).
pub(super) fn of_grant(
    store: &impl ResourceStore,
    grant: &Grant,
    requested: Option<&str>,
    scope: &Scope,
) -> Result<Audience, Failure> {
    let only_standard = scope.iter().all(|t| standard_scope(t).is_some());
    if grant.resource.is_none() && requested.is_none() && only_standard {
        // The common OpenID Connect case: nothing to look up.
        return Ok(Audience { resource: None, scope: scope.clone() });
    }
    let resources = store.list_resources()?;
    let resource = match (&grant.resource, requested) {
        (None, None) => None,
        (Some(granted), requested) if requested.is_none_or(|r| r == granted.as_str()) => Some(
            resources
                .iter()
                .find(|r| r.id == *granted)
                .cloned()
                .ok_or_else(|| invalid_target("the grant's resource is no longer registered"))?,
        ),
        _ => return Err(invalid_target("resource differs from the grant's")),
    };
    let scope = scope_for_audience(scope, resource.as_ref(), &resources);
    Ok(Audience { resource, scope })
}

/// The audience of a client's own token (client_credentials): the requested resource, if any. Every scope asked
/// for must fit it: a resource's scopes only with its `resource`, unowned ones only without (RFC 8707 §2).
pub(super) fn of_request(
    store: &impl ResourceStore,
    requested: Option<&str>,
    scope: &Scope,
) -> Result<Audience, Failure> {
    let resources = if requested.is_some() || !scope.is_empty() { store.list_resources()? } else { Vec::new() };
    let resource = check_resource(requested, &resources)?;
    let fitting = scope_for_audience(scope, resource.as_ref(), &resources);
    if fitting != *scope {
        return Err(OAuthError::new(ErrorCode::InvalidScope, "a scope does not belong to the requested resource")
            .with_detail(format!("asked {scope}, fits {fitting}"))
            .into());
    }
    Ok(Audience { resource, scope: fitting })
}
