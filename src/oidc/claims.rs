//! Which user claims a scope releases (OpenID Connect Core §5.4).

use openidconnect::core::CoreGenderClaim;
use openidconnect::{EndUserEmail, EndUserName, EndUserUsername, LocalizedClaim, StandardClaims, SubjectIdentifier};

use crate::domain::{Scope, User};

/// The claims every scope-aware endpoint advertises (discovery `claims_supported`).
pub const SUPPORTED_CLAIMS: &[&str] = &[
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "at_hash",
    "azp",
    "name",
    "preferred_username",
    "email",
    "email_verified",
];

/// `sub` always; `profile` adds name and preferred_username; `email` adds email and email_verified.
pub fn standard_claims(user: &User, scope: &Scope) -> StandardClaims<CoreGenderClaim> {
    let mut claims = StandardClaims::new(SubjectIdentifier::new(user.subject.clone()));
    if scope.contains("profile") {
        claims = claims
            .set_name(user.name.clone().map(|n| LocalizedClaim::from(EndUserName::new(n))))
            .set_preferred_username(Some(EndUserUsername::new(user.username.clone())));
    }
    if scope.contains("email")
        && let Some(email) = &user.email
    {
        claims = claims.set_email(Some(EndUserEmail::new(email.clone()))).set_email_verified(Some(user.email_verified));
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        User {
            subject: "f1d2".into(),
            username: "alice".into(),
            email: Some("alice@example.com".into()),
            email_verified: true,
            name: Some("Alice Liddell".into()),
            claims: Default::default(),
            updated_at: 0,
        }
    }

    fn json(scope: &str) -> serde_json::Value {
        serde_json::to_value(standard_claims(&user(), &Scope::parse(scope).unwrap())).unwrap()
    }

    #[test]
    fn openid_alone_releases_only_the_subject() {
        let v = json("openid");
        assert_eq!(v, serde_json::json!({"sub": "f1d2"}));
    }

    #[test]
    fn profile_and_email_release_their_claims() {
        let v = json("openid profile");
        assert_eq!(v["name"], "Alice Liddell");
        assert_eq!(v["preferred_username"], "alice");
        assert!(v.get("email").is_none());
        let v = json("openid email");
        assert_eq!(v["email"], "alice@example.com");
        assert_eq!(v["email_verified"], true);
        assert!(v.get("name").is_none());
    }
}
