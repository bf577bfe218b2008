//! Persistence. The traits ([`actions`]) are named after protocol actions; [`Database`] implements them with
//! diesel over one [`AnyConnection`] enum, so SQLite (the default) and PostgreSQL share one code path. Each table
//! has its row structs, read and written by column name, in the module of the records it holds; rows are mapped
//! to domain records once, here at the edge, and never leave this module.
//!
//! Every method is synchronous (diesel is): the HTTP layer calls the core through its blocking pool.
//!
//! Single-row lookups use `get_result`, never `first`: `first` adds `LIMIT ?`, and SQLite's planner reads a bound
//! LIMIT, so binding it expires the cached statement and every such query was parsed and planned again (a tenth of
//! a refresh's CPU in the profile). Every lookup here is by a unique key or an aggregate: one row at most.

mod account_page;
mod accounts;
mod actions;
mod admin_keys;
mod admin_writes;
mod audit;
mod catalog;
mod clients;
mod connection;
mod consents;
mod db;
mod device;
mod dpop;
mod error;
mod grants;
mod groups;
mod housekeeping;
mod interactions;
mod invitations;
mod key_encryption;
mod keys;
mod passkeys;
mod pushed;
mod records;
mod registrations;
mod replay;
mod resources;
mod schema;
mod second_factors;
mod sessions;
mod throttle;
mod transfer;
mod users;

pub use actions::AdminWrites;
pub use actions::DpopStore;
pub use actions::{AccountPageStore, InvitationRecord, InvitationStore, SecondFactorStore, TotpFactor};
pub use actions::{
    AccountStore, ClientAdmin, ClientStore, ConsentStore, GrantStore, Housekeeping, InteractionStore,
    KeyStoreRepository, Reservation, ResourceStore, SessionInfo, SessionStore, ThrottleStore, UserStore,
};
pub use actions::{AdminKeyStore, AuditLog, GroupStore, MembershipChange};
pub use actions::{DeviceRecord, DeviceStore};
pub use actions::{PasskeyRecord, PasskeyStore, PasskeyUse};
pub use actions::{PushedRequestStore, ReplayStore};
pub use actions::{RegistrationStore, RegistrationTokenInfo};
pub use connection::{AnyConnection, redact_url};
pub use db::{Backend, Database, PoolOptions};
pub use error::{StorageError, StorageResult};
pub use key_encryption::KeyEncryptionKey;
pub use records::{ClientRecord, NewCode, NewToken, NewUser, PreviousSecret, UserRecord};
pub use transfer::{ExportRecord, Transfer};
