//! The authorization endpoint's protocol core (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2) and the whole
//! transaction behind it: [`start`] for a new request, [`resume`] for the pages of a parked one, each returning one
//! [`Step`]. See `transaction.rs` for the flow; the phases, the decision, the parked interaction and code issuance
//! each have a file.

mod code;
mod decide;
mod device;
mod interaction;
mod par;
mod passkey;
mod redirect;
mod step;
mod transaction;
mod validate;

pub use decide::{Decision, decide};
pub use device::{
    DeviceAuthorization, SLOW_DOWN_SECS, UserCodeEntry, UserCodeRefusal, device_authorization, display_user_code,
    enter_user_code, entry_form, normalise_user_code,
};
pub use interaction::EXPIRED;
pub use par::{PushedRequest, REQUEST_URI_PREFIX, push};
pub use passkey::passkey_options;
pub use redirect::{AuthorizationResponse, VerifiedRedirect, verify_client_and_redirect};
pub use step::{ConsentPage, CookieChanges, Next, NoAccessPage, ScopeLine, SignInPage, Step};
pub use transaction::{AuthorizationInput, BrowserCookies, PageAction, resume, start, start_device};
pub use validate::{check_request, validate_request};
