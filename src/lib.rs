//! Tessera: an OAuth 2.0 / OpenID Connect authorization server.
//!
//! Layers (arrows point down only): `cli` -> `startup` -> `http` (knows actix) -> `oauth` (every endpoint's core)
//! -> `oidc` (OpenID Connect building blocks) -> `keys` -> `storage` (knows diesel) -> `domain` (knows none of
//! them), with `params`, `error`, `clock`, `config`, `i18n` and `secrets` below. See ARCHITECTURE.md.

pub mod admin;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod i18n;
pub mod keys;
pub mod oauth;
pub mod oidc;
pub mod params;
pub mod secrets;
pub mod startup;
pub mod storage;
