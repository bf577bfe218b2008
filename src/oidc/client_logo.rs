//! A client's `logo_uri` (OpenID Connect Dynamic Client Registration §2), fetched once when the client is
//! registered and kept as a `data:` URI, so the consent page shows it without ever loading a third-party URL (which
//! would tell that site who signs in when, and let it change the picture at will).
//!
//! The fetch follows the back-channel logout's rules for where Tessera may connect (`backchannel::resolve_target`):
//! https to public addresses only, checked against the addresses actually connected to, unless
//! `backchannel_logout_allow_private_networks` (development). No redirects, a time limit and a size limit.

use std::time::Duration;

use base64::Engine;

use super::backchannel::resolve_target;
use crate::domain::{LOGO_TYPES, MAX_LOGO_BYTES, parse_logo_data_uri};

/// How long the whole fetch may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// `logo` as stored: a `data:` URI is checked and kept as it is; an https URL is fetched once and becomes one.
pub fn logo_as_data_uri(logo: &str, allow_private_networks: bool) -> Result<String, String> {
    if logo.starts_with("data:") {
        return parse_logo_data_uri(logo).map_err(|e| e.to_string());
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(fetch(logo, allow_private_networks))
}

async fn fetch(uri: &str, allow_private_networks: bool) -> Result<String, String> {
    let refused = |reason: String| format!("logo_uri {uri:?}: {reason}");
    let (url, addresses) = resolve_target(uri, allow_private_networks).await.map_err(refused)?;
    let host = url.host_str().unwrap_or_default().to_owned();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(FETCH_TIMEOUT)
        .resolve_to_addrs(&host, &addresses)
        .build()
        .map_err(|e| refused(e.to_string()))?;
    let mut response = http.get(url).send().await.map_err(|e| refused(format!("fetching it failed: {e}")))?;
    if !response.status().is_success() {
        return Err(refused(format!("the server answered {} (redirects are not followed)", response.status())));
    }
    let media = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let Some(media) = LOGO_TYPES.iter().find(|t| **t == media) else {
        return Err(refused(format!("{media:?} is not a PNG, JPEG, GIF, WebP or SVG image")));
    };
    let mut image = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| refused(format!("reading it failed: {e}")))? {
        image.extend_from_slice(&chunk);
        if image.len() > MAX_LOGO_BYTES {
            return Err(refused(format!("larger than {} KiB", MAX_LOGO_BYTES / 1024)));
        }
    }
    if image.is_empty() {
        return Err(refused("empty".into()));
    }
    Ok(format!("data:{media};base64,{}", base64::engine::general_purpose::STANDARD.encode(image)))
}
