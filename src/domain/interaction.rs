//! A parked authorization request: the request waits here, bound to the browser that started it, while the user
//! walks the sign-in steps and the consent page.

use super::authorization::AuthorizationRequest;
use super::session::AuthenticationMethod;
use super::time::Timestamp;

/// Who has signed in during an interaction, and with which methods so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInProgress {
    pub user_id: String,
    pub auth_time: Timestamp,
    pub methods: Vec<AuthenticationMethod>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interaction {
    /// Random, in the page URL.
    pub id: String,
    /// Hash of the browser cookie of the browser that started it; any other browser is told it expired.
    pub browser_hash: String,
    /// The CSRF token every form of the interaction carries.
    pub csrf_token: String,
    pub request: AuthorizationRequest,
    /// Set once the user has signed in during this interaction (consent is then the next page).
    pub sign_in: Option<SignInProgress>,
    /// The address group of the request that parked it (parked requests are capped per address).
    pub address: Option<String>,
    pub expires_at: Timestamp,
}
