//! A resource server (an API) that accepts Tessera's access tokens, verified offline against its JWKS.
//!
//! One protected route, `GET /api/me`, takes `Authorization: Bearer <access token>` (RFC 6750 §2.1) and answers
//! with the `sub`, `client_id` and `scope` of the token. The token is an RFC 9068 JWT, so the API needs no call
//! to Tessera per request: it checks the signature with a public key from Tessera's JWKS (fetched once, cached,
//! refetched when a token names a key it has not seen) and the claims itself.
//!
//! Run it against a local Tessera:
//!
//! ```text
//! cargo run -- serve          # Tessera, on http://127.0.0.1:8080 by default
//! cargo run --example resource_server -- --issuer http://127.0.0.1:8080
//! curl -i -H "Authorization: Bearer $ACCESS_TOKEN" http://127.0.0.1:9090/api/me
//! ```
//!
//! `--audience` is the `aud` this API expects; it defaults to the issuer URL because that is Tessera's default
//! access-token audience (`access_token_audience` in Tessera's settings). In production the issuer must be an
//! `https://` URL: the JWKS is what every signature check trusts, so it must not travel over plain HTTP.
//!
//! Keys are cached until a token names a kid the cache lacks; the refetch then replaces the whole set. Tessera
//! publishes a key before it signs with it and keeps publishing it until its last token has expired, so a
//! healthy rotation never makes this API refuse a valid token. (A key withdrawn in an emergency keeps verifying
//! here until the next refetch or a restart.)
//!
//! DPoP-bound tokens (RFC 9449: the token's `cnf.jkt` names the client's key) are accepted only as
//! `Authorization: DPoP <token>` with a `DPoP` proof of that key over this request (`htm`, `htu`, a fresh `iat`, `ath`
//! the token's hash, a `jti` not seen before, kept in this process's memory), never as Bearer (§7.2).
//!
//! Set `RUST_LOG=debug` to see why a token was refused; the caller never learns the reason (RFC 6750 §3.1
//! allows a description, but a precise one would help an attacker probe the checks).

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::Context;
use clap::Parser;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};

/// Command-line configuration. (Not environment variables: Tessera reserves the `TESSERA_` prefix.)
#[derive(Debug, Clone, Parser)]
#[command(about = "An example API that verifies Tessera access tokens offline")]
pub struct Config {
    /// The issuer, exactly as in Tessera's discovery document; the JWKS is read from
    /// `{issuer}/.well-known/jwks.json`.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub issuer: String,
    /// The `aud` this API requires in access tokens (default: the issuer, Tessera's default audience).
    #[arg(long)]
    pub audience: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9090")]
    pub bind: String,
    /// Least time between two JWKS fetches caused by tokens with an unknown `kid`, so that a flood of made-up
    /// kids cannot turn this API into a JWKS request amplifier.
    #[arg(long, default_value_t = 10)]
    pub jwks_refetch_interval_secs: u64,
}

/// The claims this API reads. `exp`, `iss` and `aud` are checked by `jsonwebtoken` (see [`Verifier::new`]).
#[derive(Debug, Clone, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    /// RFC 9068 §2.2: the client the token was issued to.
    pub client_id: String,
    /// RFC 9068 §2.2.3: present when the grant had a scope. A real API checks it per route and answers
    /// 403 `insufficient_scope` (RFC 6750 §3.1) when it lacks what the route needs.
    #[serde(default)]
    pub scope: String,
    /// Required by RFC 9068 §2.2. `jsonwebtoken`'s required-claims list cannot express `iat`, so it is required
    /// here instead: a token without it fails to deserialise.
    #[allow(dead_code)]
    iat: u64,
    /// RFC 9449 §6.1: the thumbprint of the DPoP key the token is bound to.
    #[serde(default)]
    pub cnf: Option<Confirmation>,
}

/// RFC 7800 `cnf` with RFC 9449's `jkt`.
#[derive(Debug, Clone, Deserialize)]
pub struct Confirmation {
    pub jkt: String,
}

/// RFC 9449 §4.2: a DPoP proof's claims.
#[derive(Debug, Deserialize)]
struct ProofClaims {
    jti: String,
    htm: String,
    htu: String,
    iat: i64,
    #[serde(default)]
    ath: Option<String>,
}

/// How far a proof's `iat` may be from this server's clock, either way; its jti is remembered that long.
const PROOF_WINDOW_SECS: i64 = 60;

/// Checks a DPoP proof for a request to `url` with `method` carrying `token` bound to `jkt` (RFC 9449 §4.3), and
/// spends its jti in `seen`.
fn check_dpop_proof(
    proof: &str,
    method: &str,
    url: &str,
    token: &str,
    jkt: &str,
    seen: &std::sync::Mutex<HashMap<String, i64>>,
) -> Result<(), &'static str> {
    use base64::Engine;
    let header = jsonwebtoken::decode_header(proof).map_err(|_| "malformed proof")?;
    if header.typ.as_deref() != Some("dpop+jwt") {
        return Err("typ is not dpop+jwt");
    }
    if !ALGORITHMS.contains(&header.alg) {
        return Err("alg is not an asymmetric one");
    }
    // The raw header: jsonwebtoken's Jwk drops members it does not know, such as a private key's `d`.
    let raw = proof.split('.').next().unwrap_or_default();
    let raw: serde_json::Value = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or("malformed proof header")?;
    if ["d", "p", "q", "dp", "dq", "qi", "k"].iter().any(|m| raw["jwk"].get(m).is_some()) {
        return Err("the jwk holds a private key");
    }
    let jwk = header.jwk.ok_or("no jwk")?;
    // §4.3 item 12: the proof's key is the one the token is bound to.
    if jwk.thumbprint(jsonwebtoken::jwk::ThumbprintHash::SHA256).map_err(|_| "bad jwk")? != jkt {
        return Err("the proof's key is not the token's");
    }
    let key = DecodingKey::from_jwk(&jwk).map_err(|_| "bad jwk")?;
    let mut validation = Validation::new(header.alg);
    validation.set_required_spec_claims::<&str>(&[]);
    validation.validate_exp = false;
    validation.validate_aud = false;
    let claims = jsonwebtoken::decode::<ProofClaims>(proof, &key, &validation).map_err(|_| "bad signature")?.claims;
    let htu = reqwest::Url::parse(&claims.htu).map_err(|_| "bad htu")?;
    let here = reqwest::Url::parse(url).map_err(|_| "bad url")?;
    if claims.htm != method || (htu.origin(), htu.path()) != (here.origin(), here.path()) {
        return Err("htm or htu is not this request");
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    if (now - claims.iat).abs() > PROOF_WINDOW_SECS {
        return Err("iat outside the window");
    }
    let hash = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes());
    if claims.ath.as_deref() != Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash).as_str()) {
        return Err("ath is not the token's hash");
    }
    let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    seen.retain(|_, expires| *expires > now);
    if seen.insert(format!("{jkt}:{}", claims.jti), claims.iat + PROOF_WINDOW_SECS).is_some() {
        return Err("jti replayed");
    }
    Ok(())
}

/// Why a token was not accepted. Logged; the caller only ever sees a generic `invalid_token`.
#[derive(Debug)]
pub enum Rejection {
    /// Not a JWT, or its header does not parse (`alg: none` ends here too: it is no algorithm we know).
    Malformed,
    /// `alg` is not one Tessera signs with (RS256, PS256, ES256, EdDSA), or not the one its kid is published for.
    WrongAlgorithm,
    /// `typ` is not `at+jwt`: an ID token or some other JWT signed by the same keys.
    WrongType,
    /// No `kid`, or one the JWKS does not have even after a refetch.
    UnknownKey,
    /// The signature or a claim (iss, aud, exp, required claims) was rejected.
    Invalid(jsonwebtoken::errors::Error),
    /// The JWKS could not be fetched, so the token could not be checked either way: 503, not 401.
    KeysUnavailable,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::Malformed => f.write_str("malformed token"),
            Rejection::WrongAlgorithm => f.write_str("alg is not the algorithm of its key"),
            Rejection::WrongType => f.write_str("typ is not at+jwt"),
            Rejection::UnknownKey => f.write_str("unknown or missing kid"),
            Rejection::Invalid(e) => write!(f, "rejected: {e}"),
            Rejection::KeysUnavailable => f.write_str("JWKS unavailable"),
        }
    }
}

/// When the JWKS was last fetched, and whether that fetch failed.
#[derive(Default)]
struct LastFetch {
    at: Option<Instant>,
    failed: bool,
}

/// Verifies access tokens against the issuer's published keys.
pub struct Verifier {
    jwks_url: String,
    validation: Validation,
    http: reqwest::Client,
    /// kid -> the one algorithm it is published for, and the key. Read on every request, written only when the
    /// JWKS is (re)fetched.
    keys: RwLock<HashMap<String, (Algorithm, DecodingKey)>>,
    /// Held across a fetch, so that concurrent requests with the same new kid cause one fetch, not one each.
    last_fetch: tokio::sync::Mutex<LastFetch>,
    refetch_interval: Duration,
    /// DPoP proof jtis seen (key thumbprint and jti), until their proof window has passed.
    seen_jtis: std::sync::Mutex<HashMap<String, i64>>,
}

impl Verifier {
    pub fn new(config: &Config) -> anyhow::Result<Verifier> {
        // Tessera's issuer never ends with '/'; accept `--issuer http://host/` too rather than fail every token.
        let issuer = config.issuer.trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&issuer).with_context(|| format!("--issuer {issuer:?} is not a URL"))?;
        anyhow::ensure!(matches!(parsed.scheme(), "http" | "https"), "--issuer must be an http(s) URL");
        let audience = config.audience.clone().unwrap_or_else(|| issuer.clone());

        // RFC 8725 §3.1: accept exactly the algorithms the issuer signs with, each pinned to the key its kid names
        // (set per token in `verify`). That refuses `none` and the HS256 key-confusion attack (an HMAC keyed with
        // the public key), and an RSA key asked to check a PS256 signature when it is published for RS256.
        let mut validation = Validation::new(Algorithm::RS256);
        // RFC 9068 §4: iss must match exactly, aud must contain this API, exp must not have passed.
        validation.set_issuer(&[&issuer]);
        validation.set_audience(&[&audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        // A little slack for clock skew between Tessera and this API; small, since it extends every token.
        validation.leeway = 30;

        let http = reqwest::Client::builder()
            // The JWKS URL is fixed by configuration; a redirect could point it at keys an attacker controls.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(5))
            // Fetches are rare, and the workers run separate runtimes: no pooled connection to share between them.
            .pool_max_idle_per_host(0)
            .build()
            .context("building the HTTP client")?;

        Ok(Verifier {
            jwks_url: format!("{issuer}/.well-known/jwks.json"),
            validation,
            http,
            keys: RwLock::new(HashMap::new()),
            last_fetch: tokio::sync::Mutex::new(LastFetch::default()),
            refetch_interval: Duration::from_secs(config.jwks_refetch_interval_secs),
            seen_jtis: std::sync::Mutex::new(HashMap::new()),
        })
    }

    /// Checks a token the way RFC 9068 §4 describes: header first (cheap, and decides which key), then the
    /// signature, then the claims.
    pub async fn verify(&self, token: &str) -> Result<AccessClaims, Rejection> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| Rejection::Malformed)?;
        if !ALGORITHMS.contains(&header.alg) {
            return Err(Rejection::WrongAlgorithm);
        }
        // RFC 9068 §4 and RFC 8725 §3.11: explicit typing keeps an ID token, signed by the same key, from being
        // replayed here as an access token. Media types are case-insensitive, and the prefix is optional.
        let typ = header.typ.as_deref().unwrap_or_default();
        if !(typ.eq_ignore_ascii_case("at+jwt") || typ.eq_ignore_ascii_case("application/at+jwt")) {
            return Err(Rejection::WrongType);
        }
        let kid = header.kid.ok_or(Rejection::UnknownKey)?;
        let (alg, key) = self.key(&kid).await?;
        if alg != header.alg {
            return Err(Rejection::WrongAlgorithm);
        }
        let mut validation = self.validation.clone();
        validation.algorithms = vec![alg];
        jsonwebtoken::decode::<AccessClaims>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(Rejection::Invalid)
    }

    fn cached(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        self.keys.read().unwrap_or_else(PoisonError::into_inner).get(kid).cloned()
    }

    /// The key for `kid`, fetching the JWKS when it is not cached: on first use, and after Tessera rotated to
    /// a key published since the last fetch.
    async fn key(&self, kid: &str) -> Result<(Algorithm, DecodingKey), Rejection> {
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let mut last = self.last_fetch.lock().await;
        // Another request may have fetched the key while this one waited for the lock.
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        if let Some(at) = last.at
            && at.elapsed() < self.refetch_interval
        {
            // Fetched moments ago: the kid is made up (or Tessera is unreachable). Do not fetch again.
            return Err(if last.failed { Rejection::KeysUnavailable } else { Rejection::UnknownKey });
        }
        last.at = Some(Instant::now());
        match self.fetch_jwks().await {
            Ok(keys) => {
                last.failed = false;
                // Replace, not merge: keys Tessera stopped publishing stop verifying here too.
                *self.keys.write().unwrap_or_else(PoisonError::into_inner) = keys;
            }
            Err(error) => {
                // Keep the keys we had: a failed fetch must not lock out tokens signed by known keys.
                last.failed = true;
                tracing::warn!(url = %self.jwks_url, error = format!("{error:#}"), "JWKS fetch failed");
                return Err(Rejection::KeysUnavailable);
            }
        }
        self.cached(kid).ok_or(Rejection::UnknownKey)
    }

    async fn fetch_jwks(&self) -> anyhow::Result<HashMap<String, (Algorithm, DecodingKey)>> {
        #[derive(Deserialize)]
        struct JwkSet {
            keys: Vec<serde_json::Value>,
        }

        let response = self.http.get(&self.jwks_url).send().await?;
        // Checked by hand: `error_for_status` would let a 3xx (redirects are not followed) through.
        anyhow::ensure!(response.status().is_success(), "status {}", response.status());
        let set: JwkSet = response.json().await.context("parsing the JWKS")?;
        let mut keys = HashMap::new();
        for value in set.keys {
            // RFC 7517 §5: ignore keys of a type we do not understand instead of rejecting the whole set.
            let Ok(jwk) = serde_json::from_value::<Jwk>(value) else { continue };
            let signing = jwk.common.public_key_use.as_ref().is_none_or(|u| *u == PublicKeyUse::Signature);
            let (true, Some(alg), Some(kid)) = (signing, key_algorithm(&jwk), jwk.common.key_id.clone()) else {
                continue;
            };
            match DecodingKey::from_jwk(&jwk) {
                Ok(key) => {
                    keys.insert(kid, (alg, key));
                }
                Err(error) => tracing::warn!(%kid, %error, "skipping an unusable JWK"),
            }
        }
        anyhow::ensure!(!keys.is_empty(), "the JWKS has no RS256, PS256, ES256 or EdDSA signing key");
        tracing::info!(url = %self.jwks_url, keys = keys.len(), "JWKS fetched");
        Ok(keys)
    }
}

/// The algorithms Tessera signs access tokens with (its `signing_algs` choose among them).
const ALGORITHMS: [Algorithm; 4] = [Algorithm::RS256, Algorithm::PS256, Algorithm::ES256, Algorithm::EdDSA];

/// The one algorithm a JWK verifies: its `alg` when that is one of ours and fits the key's type (an RSA key for
/// RS256/PS256, P-256 for ES256, Ed25519 for EdDSA); without `alg`, the one algorithm of its type Tessera would
/// use. `None` for any other key.
fn key_algorithm(jwk: &Jwk) -> Option<Algorithm> {
    let fits = |alg: Algorithm| match (&jwk.algorithm, alg) {
        (AlgorithmParameters::RSA(_), Algorithm::RS256 | Algorithm::PS256) => true,
        (AlgorithmParameters::EllipticCurve(p), Algorithm::ES256) => p.curve == EllipticCurve::P256,
        (AlgorithmParameters::OctetKeyPair(p), Algorithm::EdDSA) => p.curve == EllipticCurve::Ed25519,
        _ => false,
    };
    let alg = match jwk.common.key_algorithm {
        Some(KeyAlgorithm::RS256) => Algorithm::RS256,
        Some(KeyAlgorithm::PS256) => Algorithm::PS256,
        Some(KeyAlgorithm::ES256) => Algorithm::ES256,
        Some(KeyAlgorithm::EdDSA) => Algorithm::EdDSA,
        Some(_) => return None,
        None => match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => Algorithm::RS256,
            AlgorithmParameters::EllipticCurve(_) => Algorithm::ES256,
            AlgorithmParameters::OctetKeyPair(_) => Algorithm::EdDSA,
            _ => return None,
        },
    };
    fits(alg).then_some(alg)
}

/// What `/api/me` answers.
#[derive(Serialize)]
struct Me<'a> {
    sub: &'a str,
    client_id: &'a str,
    scope: &'a str,
}

/// RFC 6750 §3.1: a request without credentials gets the challenge alone, no error code.
const CHALLENGE: &str = r#"Bearer realm="api""#;
/// RFC 6750 §3.1 `invalid_token`, with one fixed description whatever the reason.
const INVALID_TOKEN: &str =
    r#"Bearer realm="api", error="invalid_token", error_description="The access token is invalid or has expired""#;

enum Credentials<'a> {
    /// No `Authorization` header, or one with another scheme (RFC 6750 §3.1 counts both as no credentials).
    Missing,
    Malformed,
    Bearer(&'a str),
    /// RFC 9449 §7.1: `Authorization: DPoP <token>`.
    Dpop(&'a str),
}

/// RFC 9449 §7.1: a refused DPoP request's challenge.
const INVALID_DPOP: &str = r#"DPoP algs="RS256 PS256 ES256 EdDSA", error="invalid_dpop_proof""#;

/// RFC 6750 §2.1: `Authorization: Bearer <token>`, the scheme case-insensitive (RFC 9110 §11.1).
fn bearer_token(req: &HttpRequest) -> Credentials<'_> {
    let mut values = req.headers().get_all(header::AUTHORIZATION);
    let Some(value) = values.next() else { return Credentials::Missing };
    if values.next().is_some() {
        return Credentials::Malformed;
    }
    let Ok(value) = value.to_str() else { return Credentials::Malformed };
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    let dpop = scheme.eq_ignore_ascii_case("DPoP");
    if !scheme.eq_ignore_ascii_case("Bearer") && !dpop {
        return Credentials::Missing;
    }
    let token = token.trim_matches(' ');
    if token.is_empty() || token.contains(' ') {
        Credentials::Malformed
    } else if dpop {
        Credentials::Dpop(token)
    } else {
        Credentials::Bearer(token)
    }
}

fn unauthorized(challenge: &'static str) -> HttpResponse {
    HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, challenge))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

async fn me(req: HttpRequest, verifier: web::Data<Verifier>) -> HttpResponse {
    let (token, dpop) = match bearer_token(&req) {
        Credentials::Missing => return unauthorized(CHALLENGE),
        Credentials::Malformed => return unauthorized(INVALID_TOKEN),
        Credentials::Bearer(token) => (token, false),
        Credentials::Dpop(token) => (token, true),
    };
    let verified = verifier.verify(token).await;
    if let Ok(claims) = &verified {
        match (&claims.cnf, dpop) {
            // RFC 9449 §7.2: a DPoP-bound token sent as a Bearer token is refused.
            (Some(_), false) => return unauthorized(INVALID_TOKEN),
            (None, true) => return unauthorized(INVALID_TOKEN),
            (Some(cnf), true) => {
                let info = req.connection_info();
                let url = format!("{}://{}{}", info.scheme(), info.host(), req.path());
                let mut proofs = req.headers().get_all("dpop");
                let proof = match (proofs.next().and_then(|p| p.to_str().ok()), proofs.next()) {
                    (Some(proof), None) => proof,
                    _ => return unauthorized(INVALID_DPOP),
                };
                if let Err(reason) =
                    check_dpop_proof(proof, req.method().as_str(), &url, token, &cnf.jkt, &verifier.seen_jtis)
                {
                    tracing::debug!(reason, "DPoP proof refused");
                    return unauthorized(INVALID_DPOP);
                }
            }
            (None, false) => {}
        }
    }
    match verified {
        Ok(claims) => HttpResponse::Ok()
            // The answer is about one user: no shared cache may keep it (RFC 6750 §5.2 asks the same of tokens).
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(Me { sub: &claims.sub, client_id: &claims.client_id, scope: &claims.scope }),
        Err(Rejection::KeysUnavailable) => HttpResponse::ServiceUnavailable()
            .insert_header((header::RETRY_AFTER, verifier.refetch_interval.as_secs().max(1).to_string()))
            .json(serde_json::json!({ "error": "temporarily_unavailable" })),
        Err(rejection) => {
            tracing::debug!(reason = %rejection, "access token refused");
            unauthorized(INVALID_TOKEN)
        }
    }
}

/// Builds the server on an already bound listener (port 0 in tests); the caller runs the returned future.
pub fn build(config: &Config, listener: TcpListener) -> anyhow::Result<Server> {
    let verifier = web::Data::new(Verifier::new(config)?);
    let server = HttpServer::new(move || App::new().app_data(verifier.clone()).route("/api/me", web::get().to(me)))
        .listen(listener)
        .context("listening")?
        .run();
    Ok(server)
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let config = Config::parse();
    let listener = TcpListener::bind(&config.bind).with_context(|| format!("binding {}", config.bind))?;
    tracing::info!(bind = %config.bind, issuer = %config.issuer, "resource server listening");
    build(&config, listener)?.await.context("running the server")
}
