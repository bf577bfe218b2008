//! The decision of the authorization endpoint (OpenID Connect Core §3.1.2.3 to §3.1.2.4): must the user sign in,
//! consent, or can a code be issued now. A pure function of the request, who is signed in, and the stored consent.

use crate::domain::{Authentication, AuthorizationRequest, Client, ClientKind, Scope, Timestamp};
use crate::error::{ErrorCode, OAuthError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The user must sign in (walk the sign-in chain).
    SignIn,
    Consent(Authentication),
    Issue(Authentication),
    /// An error to send back to the client (prompt=none could not be satisfied).
    Refuse(OAuthError),
}

/// What happens next, from the request, who is signed in, and the stored consent. Called from exactly one place,
/// `transaction::proceed`, for a new request and after a sign-in alike.
pub fn decide(
    request: &AuthorizationRequest,
    client: &Client,
    authentication: Option<Authentication>,
    granted_scope: Option<&Scope>,
    now: Timestamp,
) -> Decision {
    let authentication = authentication.filter(|auth| {
        auth.fresh
            || (!request.prompt.login
                && request.max_age.is_none_or(|max_age| now - auth.auth_time <= max_age)
                // OpenID Connect Core §3.1.2.1 id_token_hint: a session of another user does not count (with
                // prompt=none that is login_required; otherwise the user signs in again).
                && request.expected_subject.as_ref().is_none_or(|sub| *sub == auth.user_id))
    });
    let Some(authentication) = authentication else {
        // OpenID Connect Core §3.1.2.1 prompt=none: "The Authorization Server MUST NOT display any authentication
        // or consent user interface pages. An error is returned if an End-User is not already authenticated".
        return if request.prompt.none {
            Decision::Refuse(OAuthError::new(ErrorCode::LoginRequired, "the user is not signed in"))
        } else {
            Decision::SignIn
        };
    };
    // OpenID Connect Core §5.5.1: "The Authorization Server MUST NOT reply with an ID Token or Access Token for a
    // different user" than the one the client named (claims sub value or id_token_hint), not even after a fresh
    // login as someone else.
    if request.expected_subject.as_ref().is_some_and(|sub| *sub != authentication.user_id) {
        return Decision::Refuse(OAuthError::new(ErrorCode::LoginRequired, "signed in as another user than requested"));
    }
    // RFC 8252 §8.6: a public client's identity cannot be verified, so a stored consent never answers for it: the
    // user is asked every time (and prompt=none gets consent_required).
    let consented = client.skip_consent
        || (client.kind != ClientKind::Public
            && !request.prompt.consent
            && granted_scope.is_some_and(|granted| request.consent_scope().is_subset_of(granted)));
    if consented {
        Decision::Issue(authentication)
    } else if request.prompt.none {
        Decision::Refuse(OAuthError::new(ErrorCode::ConsentRequired, "the user has not consented"))
    } else {
        Decision::Consent(authentication)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Prompt;
    use crate::oauth::authorize::validate::tests::{client, params, redirect, valid};
    use crate::oauth::authorize::validate::validate_request;

    #[test]
    fn the_claims_parameter_is_kept_and_widens_what_needs_consent() {
        let mut p = valid();
        p.push((
            "claims",
            r#"{"userinfo": {"phone_number": {"essential": true}, "acr": null},
                              "id_token": {"sub": {"value": "u"}, "given_name": null}}"#,
        ));
        let req = validate_request(&client(), &redirect(), &params(&p), &[]).unwrap();
        assert_eq!(req.claims.userinfo, ["phone_number".to_owned()].into());
        assert_eq!(req.claims.id_token, ["given_name".to_owned()].into());
        assert_eq!(req.expected_subject.as_deref(), Some("u"), "OpenID Connect Core §5.5.1 sub value");
        assert_eq!(req.scope.to_string(), "email openid", "the scope itself is unchanged");
        assert_eq!(req.consent_scope().to_string(), "email openid phone profile");
        // A consent to the scope alone does not cover the claims asked for by name.
        let c = client();
        let scope_only = Scope::parse("openid email").unwrap();
        assert!(matches!(decide(&req, &c, auth(0, false), Some(&scope_only), 100), Decision::Consent(_)));
        let wider = Scope::parse("openid email phone profile").unwrap();
        assert!(matches!(decide(&req, &c, auth(0, false), Some(&wider), 100), Decision::Issue(_)));
        // The subject requested with a value must be the one signed in.
        let mut other = req.clone();
        other.expected_subject = Some("someone-else".into());
        assert_eq!(decide(&other, &c, auth(0, false), Some(&wider), 100), Decision::SignIn);
    }

    fn request(prompt: Prompt, max_age: Option<i64>) -> AuthorizationRequest {
        let mut r = validate_request(&client(), &redirect(), &params(&valid()), &[]).unwrap();
        r.prompt = prompt;
        r.max_age = max_age;
        r
    }

    fn auth(auth_time: Timestamp, fresh: bool) -> Option<Authentication> {
        Some(Authentication { user_id: "u".into(), auth_time, fresh, session_id: None, methods: vec![] })
    }

    #[test]
    fn decisions() {
        let granted = Scope::parse("openid email profile").unwrap();
        let none = Prompt { none: true, ..Prompt::default() };
        let login = Prompt { login: true, ..Prompt::default() };
        let consent = Prompt { consent: true, ..Prompt::default() };
        let c = client();
        let r = request(Prompt::default(), None);
        assert_eq!(decide(&r, &c, None, None, 100), Decision::SignIn);
        assert!(matches!(decide(&r, &c, auth(0, false), None, 100), Decision::Consent(_)));
        assert!(matches!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::Issue(_)));
        let narrower = Scope::parse("openid").unwrap();
        assert!(matches!(decide(&r, &c, auth(0, false), Some(&narrower), 100), Decision::Consent(_)));
        // prompt=none
        let r = request(none, None);
        assert!(matches!(decide(&r, &c, None, None, 100), Decision::Refuse(e) if e.code == ErrorCode::LoginRequired));
        assert!(
            matches!(decide(&r, &c, auth(0, false), None, 100), Decision::Refuse(e) if e.code == ErrorCode::ConsentRequired)
        );
        assert!(matches!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::Issue(_)));
        // prompt=login asks again unless the login just happened
        let r = request(login, None);
        assert_eq!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::SignIn);
        assert!(matches!(decide(&r, &c, auth(100, true), Some(&granted), 100), Decision::Issue(_)));
        // max_age
        let r = request(Prompt::default(), Some(60));
        assert_eq!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::SignIn);
        assert!(matches!(decide(&r, &c, auth(50, false), Some(&granted), 100), Decision::Issue(_)));
        // A public client is asked every time: a stored consent does not count (RFC 8252 §8.6).
        let mut public = client();
        public.kind = crate::domain::ClientKind::Public;
        let r = request(Prompt::default(), None);
        assert!(matches!(decide(&r, &public, auth(0, false), Some(&granted), 100), Decision::Consent(_)));
        let r = request(none, None);
        let refused = decide(&r, &public, auth(0, false), Some(&granted), 100);
        assert!(matches!(refused, Decision::Refuse(e) if e.code == ErrorCode::ConsentRequired));
        // prompt=consent asks again even with a stored consent; skip_consent never asks
        let r = request(consent, None);
        assert!(matches!(decide(&r, &c, auth(0, false), Some(&granted), 100), Decision::Consent(_)));
        let mut trusted = client();
        trusted.skip_consent = true;
        assert!(matches!(decide(&r, &trusted, auth(0, false), None, 100), Decision::Issue(_)));
        // id_token_hint naming another user: that session does not count.
        let mut hinted = request(Prompt::default(), None);
        hinted.expected_subject = Some("someone-else".into());
        assert_eq!(decide(&hinted, &c, auth(0, false), Some(&granted), 100), Decision::SignIn);
        hinted.prompt = none;
        let refused = decide(&hinted, &c, auth(0, false), Some(&granted), 100);
        assert!(matches!(refused, Decision::Refuse(e) if e.code == ErrorCode::LoginRequired));
        hinted.expected_subject = Some("u".into());
        assert!(matches!(decide(&hinted, &c, auth(0, false), Some(&granted), 100), Decision::Issue(_)));
        // Even a fresh login as someone else gets no code for the named user's client.
        hinted.prompt = Prompt::default();
        hinted.expected_subject = Some("someone-else".into());
        let fresh = decide(&hinted, &c, auth(100, true), Some(&granted), 100);
        assert!(matches!(fresh, Decision::Refuse(e) if e.code == ErrorCode::LoginRequired));
    }
}
