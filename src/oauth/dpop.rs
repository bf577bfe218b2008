//! DPoP, RFC 9449: a client proves with every request that it holds a private key, by a JWT it signs over the
//! request's method and URL (the proof, in the `DPoP` header). Tokens issued with a proof are bound to the key
//! (`cnf.jkt`, the RFC 7638 thumbprint), so a stolen token is useless without the key.
//!
//! The proof's `jti` is spent in the database (every node refuses a replay); server nonces (§8) are derived without
//! state: an HMAC of the current time period under a secret every node reads from the database, so any node accepts
//! another's nonce and they rotate by themselves.

use aws_lc_rs::{digest, hmac};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, ThumbprintHash};
use jsonwebtoken::{DecodingKey, Validation};
use serde::Deserialize;

use crate::domain::Timestamp;
use crate::error::{ErrorCode, Failure, OAuthError};
use crate::oidc::metadata::DPOP_ALG_NAMES;
use crate::secrets::constant_time_eq;
use crate::storage::DpopStore;

/// RFC 9449 §4.2: "typ: with value dpop+jwt".
pub const DPOP_TYP: &str = "dpop+jwt";

/// A nonce (§8) is good for the period it was made in and the next one: between 5 and 10 minutes.
pub const NONCE_PERIOD_SECS: i64 = 300;

/// The name of the secret the nonces are derived from, in the `server_secrets` table.
pub const NONCE_SECRET_NAME: &str = "dpop_nonce_key";

/// The longest `jti` kept (a UUID is 36 characters; the RFC asks for 96 random bits at least).
const MAX_JTI_LEN: usize = 256;

/// DPoP at this server, from the settings (`dpop`, `dpop_nonce`, `dpop_proof_window_secs`).
pub struct DpopPolicy {
    pub enabled: bool,
    pub require_nonce: bool,
    /// A proof's `iat` may be this far from the server's clock, either way.
    pub window_secs: i64,
    nonce_key: hmac::Key,
}

impl DpopPolicy {
    /// `nonce_secret`: the shared secret of the `server_secrets` table (the same on every node).
    pub fn new(enabled: bool, require_nonce: bool, window_secs: i64, nonce_secret: &[u8]) -> DpopPolicy {
        DpopPolicy { enabled, require_nonce, window_secs, nonce_key: hmac::Key::new(hmac::HMAC_SHA256, nonce_secret) }
    }

    /// The nonce to send in `DPoP-Nonce` now, when nonces are required.
    pub fn nonce(&self, now: Timestamp) -> Option<String> {
        (self.enabled && self.require_nonce).then(|| self.nonce_of_period(now.div_euclid(NONCE_PERIOD_SECS)))
    }

    fn nonce_of_period(&self, period: i64) -> String {
        URL_SAFE_NO_PAD.encode(hmac::sign(&self.nonce_key, &period.to_be_bytes()).as_ref())
    }

    /// A nonce of this period or of the one before.
    fn accepts_nonce(&self, nonce: &str, now: Timestamp) -> bool {
        let period = now.div_euclid(NONCE_PERIOD_SECS);
        [period, period - 1].into_iter().any(|p| constant_time_eq(nonce.as_bytes(), self.nonce_of_period(p).as_bytes()))
    }
}

/// The request a proof is checked against: the values of its `DPoP` headers, its method, and the URL of the
/// endpoint it reached (the issuer's URL and the path: what the client was told, whatever proxy is in between).
pub struct ProofRequest {
    pub proofs: Vec<String>,
    pub method: &'static str,
    pub url: String,
}

/// RFC 9449 §4.2: the claims of a proof (all required except `ath` and `nonce`).
#[derive(Deserialize)]
struct ProofClaims {
    jti: String,
    htm: String,
    htu: String,
    iat: i64,
    #[serde(default)]
    ath: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
}

/// `invalid_dpop_proof` (§5 at the token endpoint, §7.1 at a resource): one description, the reason in the log.
fn invalid_proof(detail: impl Into<String>) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidDpopProof, "the DPoP proof is invalid").with_detail(detail)
}

/// RFC 9449 §4.2 `ath`: "the base64url encoding of the SHA-256 hash of the ASCII encoding of the associated access
/// token's value".
pub fn access_token_hash(access_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, access_token.as_bytes()).as_ref())
}

/// Checks the request's DPoP proof (RFC 9449 §4.3) and returns the thumbprint of its key (RFC 7638, SHA-256,
/// base64url: the `jkt` of §6.1); `None` when the request has no `DPoP` header. With `access_token` (a resource
/// request), the proof must carry its hash. A proof that passes every check has its `jti` spent.
pub fn check_proof(
    store: &impl DpopStore,
    policy: &DpopPolicy,
    request: &ProofRequest,
    access_token: Option<&str>,
    now: Timestamp,
) -> Result<Option<String>, Failure> {
    let proof = match request.proofs.as_slice() {
        [] => return Ok(None),
        // §4.3: "There is not more than one DPoP HTTP request header field."
        [proof] => proof,
        _ => return Err(invalid_proof("more than one DPoP header").into()),
    };
    if !policy.enabled {
        return Err(invalid_proof("DPoP is switched off (dpop = false)").into());
    }
    let jwk = check_header(proof)?;
    // §4.3: "The JWT signature verifies with the public key contained in the jwk JOSE Header Parameter."
    let alg = jsonwebtoken::decode_header(proof).map_err(|e| invalid_proof(format!("header: {e}")))?.alg;
    let key = DecodingKey::from_jwk(&jwk).map_err(|e| invalid_proof(format!("jwk: {e}")))?;
    let mut validation = Validation::new(alg);
    validation.algorithms = vec![alg];
    validation.set_required_spec_claims::<&str>(&[]);
    validation.validate_exp = false;
    validation.validate_aud = false;
    // §4.3: "All required claims per Section 4.2 are contained in the JWT" (the fields of ProofClaims).
    let claims = jsonwebtoken::decode::<ProofClaims>(proof, &key, &validation)
        .map_err(|e| invalid_proof(format!("signature or claims: {e}")))?
        .claims;
    check_claims(policy, request, &claims, access_token, now)?;
    let jkt = jwk.thumbprint(ThumbprintHash::SHA256).map_err(|e| invalid_proof(format!("thumbprint: {e}")))?;
    // §11.1: "the server MUST ... check that the jti value has not been used before" within the window in which the
    // proof would be accepted; kept in the database until then, so every node refuses a replay.
    if claims.jti.is_empty() || claims.jti.len() > MAX_JTI_LEN {
        return Err(invalid_proof("jti is empty or too long").into());
    }
    if !store.use_dpop_jti(&jkt, &claims.jti, claims.iat + policy.window_secs)? {
        return Err(invalid_proof("jti used before (replayed proof)").into());
    }
    Ok(Some(jkt))
}

/// The JOSE header's checks that need its raw JSON: `typ`, `alg`, and a public `jwk`.
fn check_header(proof: &str) -> Result<Jwk, OAuthError> {
    // §4.3: "The DPoP HTTP request header field value is a single and well-formed JWT."
    let mut parts = proof.split('.');
    let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(invalid_proof("not a compact JWS"));
    };
    let header: serde_json::Value = URL_SAFE_NO_PAD
        .decode(header)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| invalid_proof("unreadable header"))?;
    // §4.3: "The typ JOSE Header Parameter has the value dpop+jwt."
    if header.get("typ").and_then(|t| t.as_str()) != Some(DPOP_TYP) {
        return Err(invalid_proof("typ is not dpop+jwt"));
    }
    // §4.3: "The alg JOSE Header Parameter indicates a registered asymmetric digital signature algorithm ..., is not
    // none, is supported by the application, and is acceptable per local policy."
    let alg = header.get("alg").and_then(|a| a.as_str()).unwrap_or("");
    if !DPOP_ALG_NAMES.contains(&alg) {
        return Err(invalid_proof(format!("alg {alg:?} is not one of {}", DPOP_ALG_NAMES.join(", "))));
    }
    let jwk = header.get("jwk").ok_or_else(|| invalid_proof("no jwk in the header"))?;
    // §4.3: "The jwk JOSE Header Parameter does not contain a private key." (RFC 7518 §6.3.2 and §6.2.2 private
    // members, RFC 8037 §2 `d`, and the symmetric `k` of §6.4.)
    const PRIVATE: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
    if PRIVATE.iter().any(|member| jwk.get(member).is_some()) {
        return Err(invalid_proof("the jwk holds a private or symmetric key"));
    }
    serde_json::from_value::<Jwk>(jwk.clone()).map_err(|e| invalid_proof(format!("jwk: {e}")))
}

fn check_claims(
    policy: &DpopPolicy,
    request: &ProofRequest,
    claims: &ProofClaims,
    access_token: Option<&str>,
    now: Timestamp,
) -> Result<(), OAuthError> {
    // §4.3: "The htm claim matches the HTTP method of the current request."
    if claims.htm != request.method {
        return Err(invalid_proof(format!("htm {:?}, the request is {}", claims.htm, request.method)));
    }
    // §4.3: "The htu claim matches the HTTP URI value for the HTTP request in which the JWT was received, ignoring
    // any query and fragment parts", after "syntax-based normalization (Section 6.2.2 of [RFC3986]) and scheme-based
    // normalization (Section 6.2.3 of [RFC3986])".
    if !same_uri(&claims.htu, &request.url) {
        return Err(invalid_proof(format!("htu {:?} is not {}", truncate(&claims.htu), request.url)));
    }
    // §4.3: "If the server provided a nonce value to the client, the nonce claim matches the server-provided nonce
    // value." With `dpop_nonce` on, every proof needs one (§8: use_dpop_nonce, and the new nonce in DPoP-Nonce).
    if policy.require_nonce && !claims.nonce.as_deref().is_some_and(|n| policy.accepts_nonce(n, now)) {
        return Err(OAuthError::new(ErrorCode::UseDpopNonce, "the DPoP proof needs the server's current nonce")
            .with_detail(if claims.nonce.is_some() { "stale or unknown nonce" } else { "no nonce" }));
    }
    // §4.3: "The creation time of the JWT, as determined by either the iat claim or a server managed timestamp via
    // the nonce claim, is within an acceptable window (see Section 11.1)."
    if (now - claims.iat).abs() > policy.window_secs {
        return Err(invalid_proof(format!("iat is {} s from the server's clock", now - claims.iat)));
    }
    // §4.3: "If presented to a protected resource in conjunction with an access token, ensure that the value of the
    // ath claim equals the hash of that access token".
    if let Some(token) = access_token {
        let expected = access_token_hash(token);
        if !claims.ath.as_deref().is_some_and(|ath| constant_time_eq(ath.as_bytes(), expected.as_bytes())) {
            return Err(invalid_proof("ath is missing or is not the access token's hash"));
        }
    }
    Ok(())
}

fn truncate(s: &str) -> String {
    s.chars().take(200).collect()
}

/// Two http(s) URIs equal after RFC 3986 §6.2.2 and §6.2.3 normalisation (the `url` crate lower-cases the scheme
/// and host, drops a default port, resolves dot segments and normalises percent-encoding), ignoring query and
/// fragment.
fn same_uri(a: &str, b: &str) -> bool {
    let (Ok(a), Ok(b)) = (url::Url::parse(a), url::Url::parse(b)) else { return false };
    let path = |u: &url::Url| if u.path().is_empty() { "/".to_owned() } else { u.path().to_owned() };
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
        && a.username().is_empty()
        && a.password().is_none()
        && path(&a) == path(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_compare_after_normalisation() {
        assert!(same_uri("https://ID.example:443/oauth/token?x=1#f", "https://id.example/oauth/token"));
        assert!(same_uri("http://127.0.0.1:80/a/../oauth/token", "http://127.0.0.1/oauth/token"));
        assert!(!same_uri("https://id.example/oauth/token", "http://id.example/oauth/token"));
        assert!(!same_uri("https://id.example/oauth/token2", "https://id.example/oauth/token"));
        assert!(!same_uri("https://id.example:8443/oauth/token", "https://id.example/oauth/token"));
        assert!(!same_uri("not a url", "https://id.example/oauth/token"));
    }

    #[test]
    fn nonces_rotate_and_the_previous_one_still_works() {
        let policy = DpopPolicy::new(true, true, 60, b"secret");
        let now = 1_000_000;
        let nonce = policy.nonce(now).unwrap();
        assert!(policy.accepts_nonce(&nonce, now));
        assert!(policy.accepts_nonce(&nonce, now + NONCE_PERIOD_SECS));
        assert!(!policy.accepts_nonce(&nonce, now + 2 * NONCE_PERIOD_SECS));
        assert_ne!(policy.nonce(now + 2 * NONCE_PERIOD_SECS), Some(nonce.clone()));
        // Another node with the same secret accepts it; one with another secret does not.
        assert!(DpopPolicy::new(true, true, 60, b"secret").accepts_nonce(&nonce, now));
        assert!(!DpopPolicy::new(true, true, 60, b"other").accepts_nonce(&nonce, now));
        assert_eq!(DpopPolicy::new(true, false, 60, b"secret").nonce(now), None);
    }

    #[test]
    fn ath_is_the_base64url_sha256_of_the_token() {
        // SHA-256("abc") = ba7816bf...
        assert_eq!(access_token_hash("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }
}
