//! A private_key_jwt client's `jwks_uri` (OpenID Connect Dynamic Client Registration §2): fetched when one of its
//! assertions is verified, under the back-channel logout's rules for where Tessera may connect
//! (`backchannel::resolve_target`: https to public addresses only, unless
//! `backchannel_logout_allow_private_networks`), with no redirects, a time limit and a size limit, and cached in
//! this node's memory (a document per URI; refetched when stale, or when an assertion names a kid it lacks, at most
//! once per [`REFETCH_AFTER`]). Nothing of it needs to hold across nodes: each node fetches the same document.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::backchannel::{get_from_client, read_at_most};
use crate::domain::{MAX_CLIENT_JWKS_BYTES, parse_client_jwks};

/// How long the whole fetch may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// A fetched document is used this long.
const CACHE_FOR: Duration = Duration::from_secs(300);
/// A kid the cached document lacks refetches it, but not sooner than this after the last fetch (a made-up kid must
/// not turn Tessera into a request amplifier against the client's server).
pub const REFETCH_AFTER: Duration = Duration::from_secs(30);

struct Cached {
    fetched_at: Instant,
    jwks: serde_json::Value,
}

/// The per-node cache of fetched client key sets.
pub struct ClientJwksCache {
    allow_private_networks: bool,
    documents: Mutex<HashMap<String, Cached>>,
}

impl std::fmt::Debug for ClientJwksCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientJwksCache").finish_non_exhaustive()
    }
}

impl ClientJwksCache {
    pub fn new(allow_private_networks: bool) -> ClientJwksCache {
        ClientJwksCache { allow_private_networks, documents: Mutex::new(HashMap::new()) }
    }

    /// The key set at `uri`: cached, or fetched when there is none, it is older than [`CACHE_FOR`], or `refresh`
    /// asks (a kid was missing) and the last fetch is older than [`REFETCH_AFTER`]. Blocking: call it off the
    /// async workers.
    pub fn get(&self, uri: &str, refresh: bool) -> Result<serde_json::Value, String> {
        {
            let documents = self.documents.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(cached) = documents.get(uri) {
                let age = cached.fetched_at.elapsed();
                if age < CACHE_FOR && !(refresh && age >= REFETCH_AFTER) {
                    return Ok(cached.jwks.clone());
                }
            }
        }
        let jwks = fetch_blocking(uri, self.allow_private_networks)?;
        let mut documents = self.documents.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        documents.insert(uri.to_owned(), Cached { fetched_at: Instant::now(), jwks: jwks.clone() });
        Ok(jwks)
    }
}

/// Runs the fetch to completion on a runtime of its own, from the blocking thread the core runs on (the server's
/// workers are single-threaded runtimes that a blocking thread must not drive). Fetches are rare: the cache.
fn fetch_blocking(uri: &str, allow_private_networks: bool) -> Result<serde_json::Value, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(fetch(uri, allow_private_networks))
}

async fn fetch(uri: &str, allow_private_networks: bool) -> Result<serde_json::Value, String> {
    let response = get_from_client("jwks_uri", uri, allow_private_networks, FETCH_TIMEOUT).await?;
    let body = read_at_most("jwks_uri", uri, response, MAX_CLIENT_JWKS_BYTES).await?;
    let refused = |reason: String| format!("jwks_uri {uri:?}: {reason}");
    let text = String::from_utf8(body).map_err(|_| refused("not UTF-8".into()))?;
    parse_client_jwks(&text).map_err(|e| refused(e.to_string()))
}
