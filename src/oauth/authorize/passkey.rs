//! `POST /interaction/{id}/passkey/options`: begins the WebAuthn ceremony of a parked interaction's sign-in page,
//! for its script. The browser's answer comes back as the `passkey` form of the interaction (a sign-in step).

use super::interaction::{check_csrf, expired, load};
use super::transaction::BrowserCookies;
use crate::error::{Failure, OAuthError};
use crate::oauth::authentication::passkey::sign_in_options;
use crate::oauth::authentication::{chain_for, interaction_binding, next_step};
use crate::oauth::provider::Provider;
use crate::params::Params;

/// The ceremony's options as JSON: a discoverable-credential assertion on the password page, an assertion of the
/// identified user's passkeys on the second-factor page. The interaction must be this browser's and the form
/// carry its CSRF token, as every form of the interaction does.
pub fn passkey_options(
    provider: &Provider,
    interaction_id: &str,
    form: &Params,
    cookies: &BrowserCookies,
) -> Result<String, Failure> {
    let Some(passkeys) = provider.passkeys.as_ref() else {
        return Err(OAuthError::invalid_request("passkeys are not offered").into());
    };
    let now = provider.now();
    let interaction = load(&provider.db, interaction_id, cookies.browser.as_deref(), now)?;
    check_csrf(&interaction, form)?;
    let progress = interaction.sign_in.as_ref();
    let chain = chain_for(provider, &interaction.request, progress.map(|p| p.user_id.as_str()))?;
    next_step(&chain.steps, progress.map_or(&[][..], |p| &p.methods[..])).ok_or_else(expired)?;
    // After the password, the user is known: their passkeys, as the second factor. Before, any discoverable one.
    let user = progress.map(|p| p.user_id.as_str());
    let binding = interaction_binding(&interaction.id);
    Ok(sign_in_options(&provider.db, passkeys, &binding, user, now)?.to_json())
}
