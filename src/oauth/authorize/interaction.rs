//! The parked interaction: a validated request parked behind the sign-in and consent pages, bound to the browser
//! that started it, and finished exactly once.

use crate::domain::{AuthorizationRequest, Interaction, SignInProgress, Timestamp};
use crate::error::{Failure, OAuthError};
use crate::params::Params;
use crate::secrets::{SecretString, constant_time_eq, random_token, token_hash};
use crate::storage::InteractionStore;

/// Every way an interaction cannot go on looks the same to the browser: gone, expired or finished.
pub fn expired() -> Failure {
    OAuthError::invalid_request(EXPIRED).into()
}

/// The description of [`expired`]: the error page explains it in the person's words.
pub const EXPIRED: &str = "this sign-in request has expired or was already completed; start again from the application";

/// A request parked for a browser.
pub struct Parked {
    pub id: String,
    /// The browser-binding cookie to set, when the browser had none.
    pub new_browser_cookie: Option<SecretString>,
}

/// A browser keeps at most this many requests parked: opening one more drops its oldest (tabs left open).
pub const MAX_PARKED_PER_BROWSER: i64 = 20;
/// An address keeps at most this many requests parked; past that, new ones are refused until some expire, so
/// anonymous requests cannot grow the database without bound (a whole office behind one NAT stays far below).
pub const MAX_PARKED_PER_ADDRESS: i64 = 500;

/// Where a request is parked from: the browser's binding cookie (if it has one) and the requester's address group.
pub struct ParkedFor<'a> {
    pub browser: Option<&'a str>,
    pub address: &'a str,
}

/// Parks `request` (with the sign-in already done, if any) for the browser whose binding cookie is `browser`,
/// or for a new binding cookie, within the caps per browser and per address.
pub fn park(
    store: &impl InteractionStore,
    request: &AuthorizationRequest,
    sign_in: Option<SignInProgress>,
    parked_for: ParkedFor<'_>,
    now: Timestamp,
    ttl_secs: i64,
) -> Result<Parked, Failure> {
    if store.count_parked_by_address(parked_for.address, now)? >= MAX_PARKED_PER_ADDRESS {
        return Err(Failure::Unavailable(format!("too many parked requests from {}", parked_for.address)));
    }
    let new_browser_cookie = parked_for.browser.is_none().then(|| random_token(32));
    let browser = parked_for.browser.or(new_browser_cookie.as_ref().map(SecretString::expose)).unwrap_or_default();
    let browser_hash = token_hash(browser);
    store.trim_parked_for_browser(&browser_hash, MAX_PARKED_PER_BROWSER - 1, now)?;
    let interaction = Interaction {
        id: random_token(16).expose().to_owned(),
        browser_hash,
        csrf_token: random_token(32).expose().to_owned(),
        request: request.clone(),
        sign_in,
        address: Some(parked_for.address.to_owned()),
        expires_at: now + ttl_secs,
    };
    store.park_interaction(&interaction, now)?;
    Ok(Parked { id: interaction.id, new_browser_cookie })
}

/// A live interaction started by this browser; any other browser is told it expired.
pub fn load(
    store: &impl InteractionStore,
    id: &str,
    browser: Option<&str>,
    now: Timestamp,
) -> Result<Interaction, Failure> {
    let interaction = store.find_interaction(id, now)?.ok_or_else(expired)?;
    let same_browser =
        browser.is_some_and(|b| constant_time_eq(token_hash(b).as_bytes(), interaction.browser_hash.as_bytes()));
    if !same_browser {
        return Err(expired());
    }
    Ok(interaction)
}

/// The form's CSRF token must equal the one stored with the interaction (and the interaction is bound to the
/// browser cookie, which SameSite=Lax keeps off cross-site POSTs).
pub fn check_csrf(interaction: &Interaction, form: &Params) -> Result<(), Failure> {
    let sent = form.get("csrf_token").unwrap_or("");
    if constant_time_eq(sent.as_bytes(), interaction.csrf_token.as_bytes()) {
        Ok(())
    } else {
        Err(OAuthError::invalid_request("the form has expired; go back and try again")
            .with_detail("CSRF token mismatch")
            .into())
    }
}

/// Ends the interaction: of two submits racing to finish it, exactly one gets through; the other is told it
/// expired. Every way out of a parked request (a code, a refusal, a denial) passes here first.
pub fn finish_once(store: &impl InteractionStore, interaction: &Interaction) -> Result<(), Failure> {
    if store.finish_interaction(&interaction.id)? { Ok(()) } else { Err(expired()) }
}
