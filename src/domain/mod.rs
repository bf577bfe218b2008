//! Domain values that validate themselves when built ("parse, don't validate"). No HTTP, SQL or crypto here.

pub mod claims;
mod client;
mod scope;
mod user;

pub use claims::{Address, UserClaims};
pub use client::{
    AuthMethod, Client, ClientId, ClientKind, GrantType, PkcePolicy, RedirectUri, parse_backchannel_logout_uri,
};
pub use scope::{OPENID, Scope};
pub use user::{User, Username};

/// Error from parsing a domain value; the message is safe to show to an operator (CLI), not meant for clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String);
