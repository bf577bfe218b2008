//! The admin pages (`/admin`) are an OpenID Connect client of this very server: the built-in public client
//! `tessera-admin` (authorization code + PKCE S256, first party: no consent), registered at every start.
//!
//! Sign-in: a short-lived cookie holds one random value `r`; the `state`, the `nonce` and the PKCE verifier are
//! hashes of `r` under their own labels, so what travels in URLs (state, nonce, the S256 challenge) reveals nothing
//! of the cookie, and nothing is kept in memory or in the database between the two requests (any node answers the
//! callback). The callback redeems the code with the token endpoint's own core (no HTTP to ourselves), verifies the
//! ID token and its nonce, and requires membership of `admins`. The admin session is the access token issued to
//! `tessera-admin`, kept in an HttpOnly cookie and verified at every request by `admin::authenticate` (the admin
//! API's own check of such a token: offline, then its grant live, the user enabled and still in `admins`, in the
//! database): a session works on every node and ends as soon as any of these changes.

use crate::domain::{
    ADMINS_GROUP, AuthMethod, Client, ClientId, ClientKind, GrantType, PkcePolicy, RedirectUri, Timestamp,
};
use crate::error::{Failure, InternalError, OAuthError};
use crate::oauth::access_token::verify_access_token;
use crate::oauth::client_auth::ClientCredentials;
use crate::oauth::provider::Provider;
use crate::oauth::token::{TokenRequest, handle_token_request};
use crate::oidc::metadata::AUTHORIZATION_PATH;
use crate::secrets::{constant_time_eq, random_token, token_hash};
use crate::storage::{ClientStore, GrantStore, GroupStore, StorageError, UserStore};

/// The built-in client's id.
pub const ADMIN_CLIENT_ID: &str = crate::domain::client::BUILT_IN_ADMIN_CLIENT_ID;
/// Where the authorization server sends the admin pages' browser back.
pub const ADMIN_CALLBACK_PATH: &str = "/admin/callback";
/// The scopes the admin pages ask for.
pub const ADMIN_SCOPE: &str = "openid profile groups";
/// How long a sign-in may take, from `/admin` to the callback (the sign-in cookie's lifetime).
pub const SIGN_IN_TTL_SECS: i64 = 600;

/// The built-in client as this issuer registers it.
pub fn admin_client(issuer: &str) -> Result<Client, Failure> {
    let internal =
        |what: &'static str| move |e: crate::domain::InvalidValue| InternalError::new(what, anyhow::anyhow!(e.0));
    let id = ClientId::parse(ADMIN_CLIENT_ID).map_err(internal("the admin client's id"))?;
    let redirect = RedirectUri::parse(&format!("{issuer}{ADMIN_CALLBACK_PATH}"))
        .map_err(internal("the admin client's redirect URI"))?;
    let mut client = Client::new(id, "Tessera admin".to_owned(), ClientKind::Public, vec![redirect]);
    client.pkce = PkcePolicy::Required;
    client.grant_types = vec![GrantType::AuthorizationCode];
    client.auth_method = Some(AuthMethod::None);
    Ok(client)
}

/// Whether `client` is this server's own admin client, which the authorization transaction treats as first party
/// (no consent asked). RFC 8252 §8.6 asks consent of public clients because "the authorization server cannot
/// verify the identity of the client"; this one's can be: its one redirect URI is on the issuer's own origin, so
/// no other application can receive its codes. (The registration rules keep `skip_consent` off for every public
/// client, so the row says false; this is the one exception, decided from the row and the issuer.)
pub fn is_built_in_first_party(client: &Client, issuer: &str) -> bool {
    client.id.as_str() == ADMIN_CLIENT_ID
        && client.kind == ClientKind::Public
        && matches!(client.redirect_uris.as_slice(), [only] if only.as_str() == format!("{issuer}{ADMIN_CALLBACK_PATH}"))
}

/// Registers `tessera-admin` if it is missing, or puts back its redirect URI and settings if the issuer changed
/// or someone edited them. Idempotent; several nodes starting at once is fine (the loser of the insert finds it).
pub fn ensure_admin_client(db: &impl ClientStore, issuer: &str, now: Timestamp) -> Result<(), Failure> {
    let wanted = admin_client(issuer)?;
    match db.find_client(ADMIN_CLIENT_ID)? {
        None => match db.register_client(&wanted, None, now) {
            Ok(()) | Err(StorageError::AlreadyExists(_)) => {}
            Err(e) => return Err(e.into()),
        },
        Some(record) => {
            let current = &record.client;
            if current.redirect_uris != wanted.redirect_uris
                || current.kind != wanted.kind
                || current.grant_types != wanted.grant_types
                || current.pkce != wanted.pkce
            {
                let fixed = Client { name: current.name.clone(), ..wanted };
                db.update_client(&fixed)?;
            }
        }
    }
    Ok(())
}

/// What the sign-in cookie's value `r` gives, each under its own label.
fn derived(r: &str, label: &str) -> String {
    token_hash(&format!("tessera-admin-{label}:{r}"))
}

/// A sign-in to start: the cookie to set and the authorization request to send the browser to.
#[derive(Debug)]
pub struct SignInStart {
    /// `r` and the admin page to come back to, as the sign-in cookie holds them.
    pub cookie: String,
    pub authorize_url: String,
}

/// Only an admin page is a place to come back to (no open redirect).
fn safe_return(path: &str) -> &str {
    let admin = path == "/admin" || path.starts_with("/admin/") || path.starts_with("/admin?");
    if admin && !path.contains(['\\', '\r', '\n']) && !path.starts_with(ADMIN_CALLBACK_PATH) { path } else { "/admin" }
}

/// `GET /admin…` without an admin session: a new sign-in that comes back to `return_to`.
pub fn start_sign_in(provider: &Provider, return_to: &str) -> SignInStart {
    let r = random_token(32);
    let r = r.expose();
    let verifier = derived(r, "pkce");
    // RFC 7636 §4.2: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))).
    let challenge = token_hash(&verifier);
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", ADMIN_CLIENT_ID)
        .append_pair("redirect_uri", &format!("{}{ADMIN_CALLBACK_PATH}", provider.issuer))
        .append_pair("scope", ADMIN_SCOPE)
        .append_pair("state", &derived(r, "state"))
        .append_pair("nonce", &derived(r, "nonce"))
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .finish();
    SignInStart {
        cookie: format!("{r}.{}", safe_return(return_to)),
        authorize_url: format!("{}{AUTHORIZATION_PATH}?{query}", provider.issuer),
    }
}

/// How a callback ended.
#[derive(Debug)]
pub enum Callback {
    /// An admin signed in: the session cookie's value (the access token), its lifetime, and where to go.
    SignedIn { access_token: String, expires_in: i64, return_to: String },
    /// Signed in, but not a member of `admins`.
    NotAdmin { username: String },
    /// No sign-in cookie, a state that is not ours, or the authorization server's refusal: start again.
    Restart,
}

/// `GET /admin/callback?code&state` (or `?error&state`), with the sign-in cookie.
pub fn finish_sign_in(
    provider: &Provider,
    cookie: Option<&str>,
    code: Option<&str>,
    state: Option<&str>,
) -> Result<Callback, Failure> {
    let Some((r, return_to)) = cookie.and_then(|c| c.split_once('.')) else { return Ok(Callback::Restart) };
    // RFC 6749 §10.12: the client "MUST implement CSRF protection for its redirection URI": the state must be the
    // one bound to this browser's sign-in cookie.
    let expected_state = derived(r, "state");
    if !constant_time_eq(state.unwrap_or("").as_bytes(), expected_state.as_bytes()) {
        return Ok(Callback::Restart);
    }
    let Some(code) = code else { return Ok(Callback::Restart) };
    let request = TokenRequest::AuthorizationCode {
        code: code.to_owned(),
        redirect_uri: Some(format!("{}{ADMIN_CALLBACK_PATH}", provider.issuer)),
        code_verifier: Some(derived(r, "pkce")),
        resource: None,
    };
    let credentials = ClientCredentials::None { client_id: ADMIN_CLIENT_ID.to_owned() };
    // No DPoP: the admin pages' tokens stay in this server's own cookie.
    let no_proof = crate::oauth::dpop::ProofRequest {
        proofs: Vec::new(),
        method: "POST",
        url: format!("{}{}", provider.issuer, crate::oidc::metadata::TOKEN_PATH),
    };
    let tokens = handle_token_request(provider, &credentials, "admin pages", request, &no_proof)?;
    let id_token = tokens.id_token.as_deref().ok_or_else(|| bad_id_token("no ID token"))?;
    let subject = verify_id_token(provider, id_token, &derived(r, "nonce"))?;
    let user = provider.db.find_user(&subject)?.ok_or_else(|| bad_id_token("the user vanished"))?;
    if !provider.db.groups_of(&subject)?.iter().any(|g| g == ADMINS_GROUP) {
        // The grant just made is of no use to anyone: revoke it.
        if let Ok(claims) = verify_access_token(
            &provider.keys,
            &tokens.access_token,
            &provider.issuer,
            &[provider.tokens.access_token_audience.as_str()],
            provider.now(),
        ) && let Some(grant) = crate::oauth::access_token::grant_of(&claims.jti)
        {
            provider.db.revoke_grant(grant, provider.now())?;
        }
        tracing::info!(event = "admin_sign_in_refused", sub = %subject, "signed in, but not a member of admins");
        return Ok(Callback::NotAdmin { username: user.username });
    }
    tracing::info!(event = "admin_signed_in", sub = %subject, username = %user.username, "signed in to the admin pages");
    Ok(Callback::SignedIn {
        access_token: tokens.access_token,
        expires_in: tokens.expires_in,
        return_to: safe_return(return_to).to_owned(),
    })
}

fn bad_id_token(detail: &str) -> Failure {
    InternalError::new("the admin pages' ID token", anyhow::anyhow!("{detail}")).into()
}

/// OpenID Connect Core §3.1.3.7: the issuer must match, the `aud` must contain the client id, the signature must
/// verify with the issuer's key and the algorithm pinned to it, the current time must be before `exp`, and "the
/// value of the nonce Claim MUST be checked to verify that it is the same value as the one that was sent in the
/// Authentication Request". The subject, once all of these hold.
fn verify_id_token(provider: &Provider, id_token: &str, nonce: &str) -> Result<String, Failure> {
    #[derive(serde::Deserialize)]
    struct Claims {
        sub: String,
        exp: Timestamp,
        nonce: Option<String>,
    }
    let header = jsonwebtoken::decode_header(id_token).map_err(|e| bad_id_token(&e.to_string()))?;
    let kid = header.kid.ok_or_else(|| bad_id_token("no kid"))?;
    let key = provider.keys.verifier(&kid, header.alg).map_err(|_| bad_id_token("unknown kid or algorithm"))?;
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    validation.algorithms = vec![header.alg];
    validation.set_issuer(&[provider.issuer.as_str()]);
    validation.set_audience(&[ADMIN_CLIENT_ID]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.validate_exp = false;
    let claims =
        jsonwebtoken::decode::<Claims>(id_token, &key, &validation).map_err(|e| bad_id_token(&e.to_string()))?.claims;
    if provider.now() >= claims.exp {
        return Err(bad_id_token("expired"));
    }
    if !constant_time_eq(claims.nonce.as_deref().unwrap_or("").as_bytes(), nonce.as_bytes()) {
        return Err(OAuthError::invalid_request("the sign-in did not complete; try again")
            .with_detail("ID token nonce mismatch")
            .into());
    }
    Ok(claims.sub)
}

/// Who is signed in to the admin pages (`admin::authenticate` decides it from the session cookie's access token:
/// verified offline, its grant live, the user enabled and in `admins`, checked at each request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminUser {
    pub subject: String,
    pub username: String,
    /// Every form of the admin pages carries it ([`csrf_token`]).
    pub csrf_token: String,
}

impl AdminUser {
    /// Whether a form's `csrf_token` is this session's.
    pub fn csrf_ok(&self, sent: Option<&str>) -> bool {
        constant_time_eq(sent.unwrap_or("").as_bytes(), self.csrf_token.as_bytes())
    }
}

/// The CSRF token of every form of the admin pages: a hash of the session cookie's value (the access token) under
/// its own label, as the account page derives its own from the browser session.
pub fn csrf_token(session_token: &str) -> String {
    token_hash(&format!("tessera-admin-csrf:{session_token}"))
}

/// Signing out of the admin pages: the session's grant is revoked, so the cookie's token stops working everywhere
/// even if a copy of it survives.
pub fn sign_out(provider: &Provider, token: Option<&str>) -> Result<(), Failure> {
    let Some(token) = token else { return Ok(()) };
    let audience = [provider.tokens.access_token_audience.as_str()];
    if let Ok(claims) = verify_access_token(&provider.keys, token, &provider.issuer, &audience, provider.now())
        && claims.client_id == ADMIN_CLIENT_ID
        && let Some(grant) = crate::oauth::access_token::grant_of(&claims.jti)
    {
        provider.db.revoke_grant(grant, provider.now())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_pages_are_places_to_return_to() {
        assert_eq!(safe_return("/admin/users?q=a"), "/admin/users?q=a");
        assert_eq!(safe_return("/admin"), "/admin");
        for bad in ["//evil.example/admin", "https://evil.example", "/administrator", "/admin/callback?x", "/account"] {
            assert_eq!(safe_return(bad), "/admin", "{bad}");
        }
    }

    #[test]
    fn what_travels_in_urls_reveals_nothing_of_the_cookie() {
        let r = "the-random-value-of-the-cookie";
        let (state, nonce, verifier) = (derived(r, "state"), derived(r, "nonce"), derived(r, "pkce"));
        assert!(state != nonce && nonce != verifier && state != verifier);
        assert!(![&state, &nonce, &token_hash(&verifier)].iter().any(|v| v.contains(r)));
        // RFC 7636 §4.1: a verifier of 43 to 128 unreserved characters.
        assert!(verifier.len() == 43 && crate::oauth::pkce::is_valid_verifier(&verifier));
    }
}
