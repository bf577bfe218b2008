//! The admin API's core (`/admin/api/v1/`): the actor (an admin API key with its scopes, or a signed-in member of
//! `admins`), then the same storage and
//! domain rules as the CLI (group names, descriptions, membership), every write an audit event with the acting key.

pub mod actor;
pub mod api;
pub mod clients;
pub mod doctor;
pub mod error;
pub mod keys;
pub mod operations;
pub mod pages;
pub mod signing_keys;
pub mod users;

pub use actor::{ADMIN_CLIENT_ID, Actor, authenticate};
pub use error::AdminError;
pub use keys::{AdminKeyIssued, authenticate_key, issue_key};
