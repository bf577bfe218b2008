//! A client's `logo_uri` (OpenID Connect Dynamic Client Registration §2), fetched once when the client is
//! registered and kept as a `data:` URI, so the consent page shows it without ever loading a third-party URL (which
//! would tell that site who signs in when, and let it change the picture at will).
//!
//! The fetch follows the back-channel logout's rules for where Tessera may connect (`backchannel::resolve_target`):
//! https to public addresses only, checked against the addresses actually connected to, unless
//! `backchannel_logout_allow_private_networks` (development). No redirects, a time limit and a size limit.

use std::time::Duration;

use base64::Engine;

use super::backchannel::{get_from_client, read_at_most};
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
    let response = get_from_client("logo_uri", uri, allow_private_networks, FETCH_TIMEOUT).await?;
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
    let image = read_at_most("logo_uri", uri, response, MAX_LOGO_BYTES).await?;
    if image.is_empty() {
        return Err(refused("empty".into()));
    }
    Ok(format!("data:{media};base64,{}", base64::engine::general_purpose::STANDARD.encode(image)))
}
