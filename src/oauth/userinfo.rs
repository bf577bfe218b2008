//! The userinfo endpoint's core (OpenID Connect Core §5.3): the access token verified offline, its grant checked
//! live, and the claims released for it (`oidc::claim_release`).

use super::access_token::{Standing, standing, verify_access_token};
use super::provider::Provider;
use crate::domain::{OPENID, Scope};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oidc::claim_release::{TesseraUserInfoClaims, userinfo_claims};
use crate::storage::{GroupStore, UserStore};

/// RFC 6750 §3.1 invalid_token: one description for every reason, which only the log sees.
fn invalid_token(detail: impl Into<String>) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidToken, "the access token is invalid or expired").with_detail(detail)
}

/// The claims for a Bearer access token. Refusals are Bearer errors (RFC 6750 §3.1).
pub fn userinfo_request(provider: &Provider, token: &str) -> Result<TesseraUserInfoClaims, Failure> {
    // Userinfo serves the default audience: a token issued for a resource (RFC 8707) is not for it.
    let audience = [provider.tokens.access_token_audience.as_str()];
    let claims = verify_access_token(&provider.keys, token, &provider.issuer, &audience, provider.now())
        .map_err(|reason| invalid_token(reason.to_string()))?;
    // Offline verification says the token is genuine; the database says whether it or its grant was revoked since
    // (a reused code revokes the tokens issued from it). A client's own token has no user: no userinfo.
    let grant = match standing(&provider.db, &claims, provider.now())? {
        Standing::Live(Some(grant)) => grant,
        Standing::Live(None) => return Err(invalid_token("a client's own token has no user").into()),
        Standing::Dead(reason) => return Err(invalid_token(reason).into()),
    };
    let user = provider.db.find_user(&claims.sub)?.ok_or_else(|| invalid_token("user no longer exists"))?;
    let scope = Scope::parse(&claims.scope).map_err(|_| invalid_token("bad scope claim"))?;
    if !scope.contains(OPENID) {
        return Err(OAuthError::new(ErrorCode::InsufficientScope, "the token lacks the openid scope").into());
    }
    // The groups as they are now: a membership removed since the token was issued is gone here at once.
    Ok(userinfo_claims(&user, &grant, &scope, || provider.db.groups_of(&user.subject))?)
}
