//! The HTTP layer: extract -> call the protocol core once -> render. No SQL and no crypto here.

pub mod account;
pub mod account_pages;
pub mod admin_api;
pub mod admin_pages;
pub mod assets;
pub mod authorize;
pub mod blocking;
pub mod branding;
pub mod connections;
pub mod cookies;
pub mod device;
pub mod discovery;
pub mod end_session;
pub mod extract;
pub mod health;
pub mod interaction;
pub mod invitation;
pub mod landing;
pub mod logging;
pub mod metrics;
pub mod pages;
pub mod par;
pub mod registration;
pub mod render;
pub mod revocation;
pub mod state;
pub mod token;
pub mod userinfo;

pub use blocking::{blocking, blocking_with_password_check};
