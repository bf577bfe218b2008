//! OpenID Connect building blocks on top of the OAuth records: ID tokens, claim release, the browser session,
//! RP-Initiated and Back-Channel Logout, the discovery document. The `openidconnect` crate's provider-side types
//! give the wire shapes, so they match what relying parties parse.

pub mod backchannel;
pub mod claim_release;
pub mod client_jwks;
pub mod client_logo;
pub mod id_token;
pub mod logout;
pub mod metadata;
pub mod session;
