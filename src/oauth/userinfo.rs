//! The userinfo endpoint's core (OpenID Connect Core §5.3): the access token verified offline, its grant checked
//! live, and the claims released for it (`oidc::claim_release`).

use super::access_token::{AccessTokenClaims, Standing, standing, verify_access_token};
use super::dpop::{ProofRequest, check_proof};
use super::provider::Provider;
use crate::domain::{OPENID, Scope};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oidc::claim_release::{TesseraUserInfoClaims, userinfo_claims};
use crate::storage::{GroupStore, UserStore};

/// RFC 6750 §3.1 invalid_token: one description for every reason, which only the log sees.
fn invalid_token(detail: impl Into<String>) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidToken, "the access token is invalid or expired").with_detail(detail)
}

/// How the access token came: `Authorization: Bearer` (or the body), or `Authorization: DPoP` with the request's
/// proof (RFC 9449 §7.1).
pub enum Presented {
    Bearer,
    Dpop(ProofRequest),
}

/// The claims for an access token. Refusals are Bearer errors (RFC 6750 §3.1), or DPoP ones for a DPoP request.
pub fn userinfo_request(
    provider: &Provider,
    token: &str,
    presented: &Presented,
) -> Result<TesseraUserInfoClaims, Failure> {
    // Userinfo serves the default audience: a token issued for a resource (RFC 8707) is not for it.
    let audience = [provider.tokens.access_token_audience.as_str()];
    let claims = verify_access_token(&provider.keys, token, &provider.issuer, &audience, provider.now())
        .map_err(|reason| invalid_token(reason.to_string()))?;
    check_binding(provider, &claims, token, presented)?;
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

/// RFC 9449 §7: a DPoP-bound token only with a proof of its key.
fn check_binding(
    provider: &Provider,
    claims: &AccessTokenClaims,
    token: &str,
    presented: &Presented,
) -> Result<(), Failure> {
    match (presented, &claims.cnf) {
        // §7.2: "such a protected resource MUST reject a DPoP-bound access token received as a bearer token".
        (Presented::Bearer, Some(_)) => Err(invalid_token("a DPoP-bound access token sent as a Bearer token").into()),
        (Presented::Bearer, None) => Ok(()),
        (Presented::Dpop(_), None) => Err(invalid_token("Authorization: DPoP with a token that is not bound").into()),
        (Presented::Dpop(proof), Some(cnf)) => {
            let jkt =
                check_proof(&provider.db, &provider.dpop, proof, Some(token), provider.now())?.ok_or_else(|| {
                    OAuthError::new(ErrorCode::InvalidDpopProof, "the DPoP proof is invalid")
                        .with_detail("Authorization: DPoP without a DPoP header")
                })?;
            // §4.3: "confirm that the public key to which the access token is bound matches the public key from the
            // DPoP proof".
            if jkt != cnf.jkt {
                return Err(OAuthError::new(ErrorCode::InvalidDpopProof, "the DPoP proof is invalid")
                    .with_detail("the proof's key is not the one the token is bound to")
                    .into());
            }
            Ok(())
        }
    }
}
