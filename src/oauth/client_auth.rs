//! Client authentication at the token, introspection and revocation endpoints, RFC 6749 §2.3 and §3.2.1.
//!
//! Methods: client_secret_basic, client_secret_post, none (public clients, RFC 6749 §2.1 / RFC 7636), and
//! private_key_jwt (RFC 7523 §2.2 and §3, OpenID Connect Core §9): a JWT the client signs with its own key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use crate::domain::AuditEvent;
use crate::domain::{AuthMethod, Client, ClientKind, Timestamp};
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oauth::audit::record;
use crate::oidc::client_jwks::ClientJwksCache;
use crate::secrets::{constant_time_eq, token_hash};
use crate::storage::{AuditLog, ClientRecord, ClientStore, ReplayStore};

/// RFC 7523 §2.2: `client_assertion_type` of a JWT client assertion.
pub const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The algorithms a client assertion may be signed with: asymmetric only (no `client_secret_jwt`, no `none`).
pub const ASSERTION_ALGS: [Algorithm; 4] = [Algorithm::RS256, Algorithm::PS256, Algorithm::ES256, Algorithm::EdDSA];

/// The longest a client assertion may still be valid when it arrives: "a few minutes" (issue 13; RFC 7523 §3 asks
/// for an `exp` and lets the server limit it). Its jti is kept that long.
pub const MAX_ASSERTION_LIFETIME_SECS: i64 = 300;

/// What verifying a client assertion needs besides the client: who may be its audience, and the cache of fetched
/// `jwks_uri` documents.
pub struct AssertionContext<'a> {
    /// The issuer, and the token endpoint's and this endpoint's URLs (RFC 7523 §3: "the token endpoint URL ... MAY
    /// be used"; OpenID Connect Core §9: "The Audience SHOULD be the URL of the Authorization Server's Token
    /// Endpoint"; the issuer is what RFC 7523bis and FAPI 2.0 recommend).
    pub audiences: [String; 3],
    pub jwks: &'a ClientJwksCache,
    /// `private_key_jwt` is on; off, every assertion is refused.
    pub enabled: bool,
}

/// How the client presented itself, as extracted from the request (at most one method, RFC 6749 §2.3).
#[derive(Clone, PartialEq, Eq)]
pub enum ClientCredentials {
    /// `Authorization: Basic`, id and secret already form-decoded (RFC 6749 §2.3.1).
    Basic { client_id: String, secret: String },
    /// `client_id` and `client_secret` in the body.
    Post { client_id: String, secret: String },
    /// Only `client_id` in the body: a public client.
    None { client_id: String },
    /// `client_assertion` (RFC 7523 §2.2); the client id is the assertion's `sub`, read before verification only to
    /// find the client whose keys verify it.
    Assertion { client_id: String, assertion: String },
}

impl ClientCredentials {
    /// The `token_endpoint_auth_method` these credentials use.
    fn method(&self) -> AuthMethod {
        match self {
            ClientCredentials::Basic { .. } => AuthMethod::ClientSecretBasic,
            ClientCredentials::Post { .. } => AuthMethod::ClientSecretPost,
            ClientCredentials::None { .. } => AuthMethod::None,
            ClientCredentials::Assertion { .. } => AuthMethod::PrivateKeyJwt,
        }
    }
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientCredentials::Basic { client_id, .. } => write!(f, "Basic({client_id}, <redacted>)"),
            ClientCredentials::Post { client_id, .. } => write!(f, "Post({client_id}, <redacted>)"),
            ClientCredentials::None { client_id } => write!(f, "None({client_id})"),
            ClientCredentials::Assertion { client_id, .. } => write!(f, "Assertion({client_id}, <redacted>)"),
        }
    }
}

impl ClientCredentials {
    pub fn client_id(&self) -> &str {
        match self {
            ClientCredentials::Basic { client_id, .. }
            | ClientCredentials::Post { client_id, .. }
            | ClientCredentials::None { client_id }
            | ClientCredentials::Assertion { client_id, .. } => client_id,
        }
    }

    /// A JWT client assertion (RFC 7523 §3: `sub` is the client id). `client_id` in the body is optional (RFC 7521
    /// §4.2) and must then name the same client.
    pub fn assertion(assertion: &str, body_client_id: Option<&str>) -> Result<ClientCredentials, OAuthError> {
        let sub = unverified_subject(assertion).ok_or_else(|| invalid_client("client assertion without a sub"))?;
        if body_client_id.is_some_and(|id| id != sub) {
            return Err(invalid_client("client_id differs from the assertion's sub"));
        }
        Ok(ClientCredentials::Assertion { client_id: sub, assertion: assertion.to_owned() })
    }
}

/// The `sub` of a JWT, unverified: only which client's keys to verify it with.
fn unverified_subject(jwt: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    claims.get("sub")?.as_str().map(str::to_owned)
}

/// `invalid_client`; the HTTP layer adds the `WWW-Authenticate` challenge (RFC 6749 §5.2).
fn invalid_client(detail: &str) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidClient, "client authentication failed").with_detail(detail.to_owned())
}

/// Authenticates the client. Every failure is the same `invalid_client` on the wire, so the response does not
/// tell an unknown client from a wrong secret.
///
/// Nothing throttles it: a client secret is 256 random bits that no burst of guesses can find, while a lock would
/// let anyone who shares the real client's address (a NAT, the reverse proxy) lock it out. So a correct secret
/// always authenticates, and a failure is logged with the caller's address `source`, never stored.
///
/// After `tessera client rotate-secret --overlap-secs N`, the previous secret works too until `now` passes its end.
pub fn authenticate_client(
    store: &(impl ClientStore + ReplayStore + AuditLog),
    context: &AssertionContext<'_>,
    credentials: &ClientCredentials,
    source: &str,
    now: Timestamp,
) -> Result<Client, Failure> {
    let result = check_credentials(store, context, credentials, now);
    if let Err(Failure::OAuth(e)) = &result {
        tracing::warn!(
            event = "client_authentication_failed",
            client_id = %credentials.client_id(),
            source,
            reason = e.detail.as_deref().unwrap_or(""),
            "client authentication failed"
        );
        let method = credentials.method();
        let event =
            AuditEvent::new("client_authentication_failed", now).client(credentials.client_id()).address(source);
        record(store, event.with("reason", e.detail.as_deref().unwrap_or("")).with("method", method.as_str()));
    }
    result
}

fn check_credentials(
    store: &(impl ClientStore + ReplayStore),
    context: &AssertionContext<'_>,
    credentials: &ClientCredentials,
    now: Timestamp,
) -> Result<Client, Failure> {
    let record = store.find_client(credentials.client_id())?.ok_or_else(|| invalid_client("unknown client_id"))?;
    // A client registered with one token_endpoint_auth_method may not use another (OpenID Connect Core §9).
    let used = credentials.method();
    if record.client.auth_method.is_some_and(|registered| registered != used) {
        return Err(invalid_client("authentication method differs from the registered one").into());
    }
    if let ClientCredentials::Assertion { assertion, .. } = credentials {
        if !context.enabled {
            return Err(invalid_client("client assertion while private_key_jwt is switched off").into());
        }
        // Only a client registered for private_key_jwt has keys to verify with.
        if record.client.auth_method != Some(AuthMethod::PrivateKeyJwt) {
            return Err(invalid_client("client assertion from a client not registered for private_key_jwt").into());
        }
        check_assertion(store, context, &record, assertion, now)?;
        return Ok(record.client);
    }
    match (credentials, record.client.kind, &record.secret_hash) {
        (
            ClientCredentials::Basic { secret, .. } | ClientCredentials::Post { secret, .. },
            ClientKind::Confidential,
            Some(expected),
        ) => {
            // Secrets are 256-bit random values stored as SHA-256; comparing the hashes in constant time reveals
            // nothing about the secret. Both comparisons always run (`|`, not `||`), so the time does not tell
            // which secret matched, or whether a previous one exists.
            let presented = token_hash(secret);
            let current = constant_time_eq(presented.as_bytes(), expected.as_bytes());
            let previous = record.previous_secret.as_ref().filter(|p| now < p.expires_at);
            let previous_hash = previous.map_or(expected.as_bytes(), |p| p.hash.as_bytes());
            let matches_previous = constant_time_eq(presented.as_bytes(), previous_hash) && previous.is_some();
            if current | matches_previous {
                Ok(record.client)
            } else {
                Err(invalid_client("wrong client secret").into())
            }
        }
        (ClientCredentials::None { .. }, ClientKind::Public, _) => Ok(record.client),
        (ClientCredentials::None { .. }, ClientKind::Confidential, _) => {
            Err(invalid_client("confidential client sent no secret").into())
        }
        _ => Err(invalid_client("public client sent a secret, or the client has no secret").into()),
    }
}

/// RFC 7523 §3 and OpenID Connect Core §9, in order: an asymmetric algorithm, a key of the client's registered (or
/// fetched) set that is pinned to that algorithm, the signature, `iss` and `sub` the client id, `aud` naming this
/// server, `exp` in the future and at most [`MAX_ASSERTION_LIFETIME_SECS`] away, `nbf`/`iat` not in the future, and a
/// `jti` never seen from this client before (kept until `exp`, in the database: every node refuses a replay).
fn check_assertion(
    store: &impl ReplayStore,
    context: &AssertionContext<'_>,
    record: &ClientRecord,
    assertion: &str,
    now: Timestamp,
) -> Result<(), Failure> {
    let client = &record.client;
    let header =
        jsonwebtoken::decode_header(assertion).map_err(|_| invalid_client("client assertion: malformed header"))?;
    // RFC 8725 §3.1 and RFC 7523 §3 "digital signature": no `none`, no HMAC with a shared secret.
    if !ASSERTION_ALGS.contains(&header.alg) {
        return Err(invalid_client("client assertion: algorithm not allowed").into());
    }
    let key = assertion_key(context, client, header.kid.as_deref(), header.alg)?;
    let mut validation = Validation::new(header.alg);
    validation.algorithms = vec![header.alg];
    validation.set_issuer(&[client.id.as_str()]);
    validation.sub = Some(client.id.to_string());
    validation.set_audience(&context.audiences);
    validation.set_required_spec_claims(&["iss", "sub", "aud", "exp"]);
    // The server's clock decides, below.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.leeway = 0;
    #[derive(serde::Deserialize)]
    struct Claims {
        exp: Timestamp,
        jti: Option<String>,
        nbf: Option<Timestamp>,
        iat: Option<Timestamp>,
    }
    let claims = jsonwebtoken::decode::<Claims>(assertion, &key, &validation)
        .map_err(|e| invalid_client(&format!("client assertion rejected: {e}")))?
        .claims;
    // RFC 7523 §3 item 4: "The authorization server MUST reject any JWT with an expiration time that has passed".
    if now >= claims.exp {
        return Err(invalid_client("client assertion expired").into());
    }
    if claims.exp - now > MAX_ASSERTION_LIFETIME_SECS {
        return Err(invalid_client("client assertion expires too far ahead (at most 5 minutes)").into());
    }
    // Item 5/6: not before `nbf`; an `iat` in the future is a clock gone wrong, not a fresh assertion.
    if claims.nbf.is_some_and(|nbf| nbf > now + 60) || claims.iat.is_some_and(|iat| iat > now + 60) {
        return Err(invalid_client("client assertion not valid yet").into());
    }
    // Item 7: "The JWT MAY contain a jti claim"; OpenID Connect Core §9 makes it REQUIRED and single-use.
    let jti = claims
        .jti
        .filter(|j| !j.is_empty() && j.len() <= 256)
        .ok_or_else(|| invalid_client("client assertion without a jti (or one longer than 256 characters)"))?;
    if !store.use_assertion_jti(client.id.as_str(), &jti, claims.exp)? {
        return Err(invalid_client("client assertion replayed (its jti was used before)").into());
    }
    Ok(())
}

/// The key of the client's set that verifies an assertion: the one with the header's `kid` (or, without one, the
/// only key that fits), of the type the algorithm needs and, when the JWK names an `alg`, that algorithm. A
/// `jwks_uri` set is fetched (cached), and fetched again once when the kid is not in it (the client rotated).
fn assertion_key(
    context: &AssertionContext<'_>,
    client: &Client,
    kid: Option<&str>,
    alg: Algorithm,
) -> Result<DecodingKey, Failure> {
    let from = |jwks: &serde_json::Value| select_key(jwks, kid, alg);
    let found = match (&client.jwks, &client.jwks_uri) {
        (Some(raw), _) => {
            let jwks: serde_json::Value =
                serde_json::from_str(raw).map_err(|_| invalid_client("the registered jwks does not parse"))?;
            from(&jwks)
        }
        (None, Some(uri)) => {
            let fetched = |refresh: bool| {
                context.jwks.get(uri, refresh).map_err(|e| invalid_client(&format!("client keys unavailable: {e}")))
            };
            match from(&fetched(false)?) {
                Some(key) => Some(key),
                None => from(&fetched(true)?),
            }
        }
        (None, None) => None,
    };
    found.ok_or_else(|| invalid_client("no key of the client fits the assertion's kid and alg").into())
}

fn select_key(jwks: &serde_json::Value, kid: Option<&str>, alg: Algorithm) -> Option<DecodingKey> {
    let keys = jwks.get("keys")?.as_array()?;
    let fitting: Vec<Jwk> = keys
        .iter()
        .filter_map(|k| serde_json::from_value::<Jwk>(k.clone()).ok())
        .filter(|jwk| jwk.common.public_key_use.as_ref().is_none_or(|u| *u == PublicKeyUse::Signature))
        .filter(|jwk| kid.is_none_or(|kid| jwk.common.key_id.as_deref() == Some(kid)))
        .filter(|jwk| key_fits(jwk, alg))
        .collect();
    // Without a kid the choice must be unambiguous.
    match fitting.as_slice() {
        [one] => DecodingKey::from_jwk(one).ok(),
        _ => None,
    }
}

/// RFC 8725 §3.1: a key verifies one algorithm of its own type; its `alg`, when given, must be that algorithm.
fn key_fits(jwk: &Jwk, alg: Algorithm) -> bool {
    let declared = jwk.common.key_algorithm.map(|a| match a {
        KeyAlgorithm::RS256 => Some(Algorithm::RS256),
        KeyAlgorithm::PS256 => Some(Algorithm::PS256),
        KeyAlgorithm::ES256 => Some(Algorithm::ES256),
        KeyAlgorithm::EdDSA => Some(Algorithm::EdDSA),
        _ => None,
    });
    if declared.is_some_and(|d| d != Some(alg)) {
        return false;
    }
    match (&jwk.algorithm, alg) {
        (AlgorithmParameters::RSA(_), Algorithm::RS256 | Algorithm::PS256) => true,
        (AlgorithmParameters::EllipticCurve(p), Algorithm::ES256) => p.curve == EllipticCurve::P256,
        (AlgorithmParameters::OctetKeyPair(p), Algorithm::EdDSA) => p.curve == EllipticCurve::Ed25519,
        _ => false,
    }
}
