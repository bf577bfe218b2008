//! OpenID Connect on top of the OAuth core: ID tokens, claims by scope, the discovery document.
//! The `openidconnect` crate's provider-side types give the wire shapes, so they match what relying parties parse.

pub mod claims;
pub mod id_token;
pub mod logout;
pub mod metadata;
