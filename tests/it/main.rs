//! The one integration-test binary: each test starts its own server on port 0 with its own SQLite database.
#![allow(dead_code)] // helpers shared by modules; not every module uses every one

mod helpers;

mod account;
mod admin_api;
mod admin_pages;
mod architecture;
mod audit;
mod audit_events;
mod authorize;
mod browser;
mod certification;
mod claims;
mod cli;
mod clients;
mod connections;
mod core;
mod device;
mod dpop;
mod end_to_end;
mod faults;
mod groups;
mod invitations;
mod keys;
mod logout;
mod multi_node;
mod observability;
mod operator;
mod pages;
mod par;
mod passkeys;
mod private_key_jwt;
mod properties;
mod registration;
mod resource_server;
mod resources;
mod revocation;
mod second_factor;
mod signing_algs;
mod snapshots;
mod throttling;
mod token;
mod token_exchange;
mod transfer;
mod userinfo;
