//! Tessera: an OAuth 2.0 / OpenID Connect authorization server.
//!
//! Layers (arrows point down only): `http` knows actix; `oauth` and `oidc` know the RFCs; `storage` knows diesel;
//! `domain` knows none of them. See ../shared/ARCHITECTURE.md.

pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod keys;
pub mod oauth;
pub mod oidc;
pub mod secrets;
pub mod session;
pub mod startup;
pub mod storage;
pub mod throttle;
pub mod views;
