//! The admin API's core (`/admin/api/v1/`): admin API keys checked with their scopes, then the same storage and
//! domain rules as the CLI (group names, descriptions, membership), every write an audit event with the acting key.

pub mod api;
pub mod doctor;
pub mod error;
pub mod keys;
pub mod pages;

pub use error::AdminError;
pub use keys::{AdminKeyIssued, authenticate_key, issue_key};
