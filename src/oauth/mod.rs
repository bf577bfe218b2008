//! The OAuth 2.0 protocol core: every endpoint's transaction, no actix types. Each check is a small named
//! function called in the order the RFC lists it; every entry point takes the [`provider::Provider`].

pub mod access_token;
pub mod account;
pub mod admin_sign_in;
pub mod audit;
pub mod authentication;
pub mod authorize;
pub mod client_auth;
pub mod dpop;
pub mod invitation;
pub mod landing;
pub mod pkce;
pub mod provider;
pub mod rate_limit;
pub mod registration;
pub mod resource;
pub mod revocation;
pub mod throttle;
pub mod token;
pub mod userinfo;
