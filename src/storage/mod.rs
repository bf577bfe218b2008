//! Persistence. The traits are named after protocol actions; [`Database`] implements them with diesel over one
//! [`AnyConnection`] enum, so SQLite (the default) and other backends share one code path. Row structs and the
//! schema never leave this module: callers get records built from domain types.
//!
//! Every method is synchronous (diesel is): the HTTP layer calls them through `web::block`.

mod clients;
mod db;
mod grants;
mod housekeeping;
mod interactions;
mod keys;
mod schema;
mod sessions;
mod throttle;
mod transfer;
mod users;

pub use db::{AnyConnection, Backend, Database, PoolOptions, redact_url};
pub use transfer::ExportRecord;

use crate::domain::{Client, User, UserClaims};
use crate::error::InternalError;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database cannot be reached right now (no connection within the pool's timeout, or the connection
    /// dropped). Answered "temporarily unavailable"; the pool reconnects by itself.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("connecting to {location}: {message}")]
    Connect { location: String, message: String },
    #[error("query: {0}")]
    Query(diesel::result::Error),
    #[error("migration: {0}")]
    Migration(String),
    #[error("{0} already exists")]
    AlreadyExists(&'static str),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl From<diesel::result::Error> for StorageError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _) => {
                StorageError::Unavailable(e.to_string())
            }
            e => StorageError::Query(e),
        }
    }
}

impl From<StorageError> for InternalError {
    fn from(e: StorageError) -> Self {
        InternalError::new("storage", e)
    }
}

pub type StorageResult<T> = Result<T, StorageError>;

/// Unix seconds, the unit of every stored timestamp.
pub type Timestamp = i64;

// ---------------------------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub client: Client,
    /// SHA-256 of the secret; `None` for public clients.
    pub secret_hash: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub user: User,
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub claims: UserClaims,
}

/// One authorization of a client by a user; codes, refresh tokens and access tokens hang off it and die with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRecord {
    pub id: String,
    pub user_id: String,
    pub client_id: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub auth_time: Timestamp,
    pub revoked: bool,
    /// The `sid` of the browser session the grant was made in.
    pub session_id: Option<String>,
    /// The `claims` request parameter the grant was issued with, as the protocol core stored it.
    pub claims: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewCode {
    pub code_hash: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct CodeRecord {
    pub grant: GrantRecord,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub expires_at: Timestamp,
    pub used: bool,
}

#[derive(Debug, Clone)]
pub struct RefreshTokenRecord {
    pub grant: GrantRecord,
    pub expires_at: Timestamp,
    /// When it was exchanged for its successor, if it was.
    pub rotated_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewToken<'a> {
    pub hash: &'a str,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// The public session id (OpenID Connect `sid`); the cookie value is secret and stored hashed instead.
    pub sid: String,
    pub user_id: String,
    pub auth_time: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionRecord {
    pub id: String,
    pub browser_hash: String,
    pub csrf_token: String,
    /// The validated authorization request, serialised by the protocol core.
    pub request: String,
    /// Set once the user has signed in during this interaction.
    pub login: Option<(String, Timestamp)>,
    pub expires_at: Timestamp,
}

#[derive(Clone, PartialEq, Eq)]
pub struct KeyRecord {
    pub kid: String,
    pub state: String,
    /// PKCS#8 DER of the RSA private key.
    pub private_key: Vec<u8>,
    pub created_at: Timestamp,
    pub activated_at: Option<Timestamp>,
    pub deactivated_at: Option<Timestamp>,
    pub publish_until: Option<Timestamp>,
}

impl std::fmt::Debug for KeyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRecord")
            .field("kid", &self.kid)
            .field("state", &self.state)
            .field("private_key", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("activated_at", &self.activated_at)
            .field("deactivated_at", &self.deactivated_at)
            .field("publish_until", &self.publish_until)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Protocol actions
// ---------------------------------------------------------------------------------------------------------------

pub trait ClientStore {
    fn find_client(&self, client_id: &str) -> StorageResult<Option<ClientRecord>>;
    fn register_client(&self, client: &Client, secret_hash: Option<&str>, now: Timestamp) -> StorageResult<()>;
    /// Replaces the client's metadata (not its secret); false if there is no such client.
    fn update_client(&self, client: &Client) -> StorageResult<bool>;
    fn list_clients(&self) -> StorageResult<Vec<ClientRecord>>;
    fn remove_client(&self, client_id: &str) -> StorageResult<bool>;
}

pub trait UserStore {
    fn add_user(&self, user: &NewUser, now: Timestamp) -> StorageResult<User>;
    fn find_user_by_username(&self, username: &str) -> StorageResult<Option<UserRecord>>;
    fn find_user(&self, subject: &str) -> StorageResult<Option<User>>;
    fn list_users(&self) -> StorageResult<Vec<User>>;
    /// Changes the password, ends the user's sessions and revokes their grants; returns the revoked grants (to
    /// notify their clients), or `None` if there is no such user.
    fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> StorageResult<Option<Vec<GrantRecord>>>;
    /// Stores `user`'s email, name and claims (found by subject) and sets updated_at to `now`; false if no such user.
    fn update_user(&self, user: &User, now: Timestamp) -> StorageResult<bool>;
    fn remove_user(&self, username: &str) -> StorageResult<bool>;
}

pub trait ConsentStore {
    /// The scopes the user has already granted the client, if any.
    fn find_consent(&self, user_id: &str, client_id: &str) -> StorageResult<Option<String>>;
    fn remember_consent(&self, user_id: &str, client_id: &str, scope: &str, now: Timestamp) -> StorageResult<()>;
}

pub trait SessionStore {
    fn start_session(&self, id_hash: &str, session: &SessionRecord) -> StorageResult<()>;
    /// A live session: before its absolute expiry, and used since `idle_since`; marks it used at `now`.
    fn find_session(
        &self,
        id_hash: &str,
        now: Timestamp,
        idle_since: Timestamp,
    ) -> StorageResult<Option<SessionRecord>>;
    /// Deletes the session and revokes its grants that lack offline_access; returns every grant made in it, so
    /// their clients can be told (back-channel logout).
    fn end_session(&self, id_hash: &str, now: Timestamp) -> StorageResult<Vec<GrantRecord>>;
    /// Deletes the session row only (its cookie is being replaced; its grants live on under the same sid).
    fn forget_session(&self, id_hash: &str) -> StorageResult<()>;
}

pub trait InteractionStore {
    fn park_interaction(&self, interaction: &InteractionRecord, now: Timestamp) -> StorageResult<()>;
    /// A live interaction (not expired at `now`).
    fn find_interaction(&self, id: &str, now: Timestamp) -> StorageResult<Option<InteractionRecord>>;
    fn record_login(&self, id: &str, user_id: &str, auth_time: Timestamp) -> StorageResult<()>;
    /// Deletes the interaction; true for the one caller that actually removed it (single use).
    fn finish_interaction(&self, id: &str) -> StorageResult<bool>;
}

pub trait GrantStore {
    /// Creates the grant and its authorization code in one transaction.
    fn issue_code(&self, grant: &GrantRecord, code: &NewCode, now: Timestamp) -> StorageResult<()>;
    fn find_code(&self, code_hash: &str) -> StorageResult<Option<CodeRecord>>;
    /// Marks the code used with one conditional UPDATE: true for exactly one caller, ever.
    fn redeem_code(&self, code_hash: &str, now: Timestamp) -> StorageResult<bool>;
    /// Revokes the grant: its refresh tokens and access tokens stop working.
    fn revoke_grant(&self, grant_id: &str, now: Timestamp) -> StorageResult<()>;
    fn record_access_token(&self, jti: &str, grant_id: &str, expires_at: Timestamp) -> StorageResult<()>;
    /// True if the access token was issued by us, was not revoked, and its grant has not been revoked.
    fn access_token_is_live(&self, jti: &str) -> StorageResult<bool>;
    /// The grant of an access token we issued and did not revoke (the grant itself may be revoked: check it).
    fn find_access_token_grant(&self, jti: &str) -> StorageResult<Option<GrantRecord>>;
    /// Revokes one access token (RFC 7009): it is no longer live.
    fn revoke_access_token(&self, jti: &str) -> StorageResult<()>;
    /// Records an access token of the client_credentials grant (no user, no grant).
    fn record_client_access_token(&self, jti: &str, client_id: &str, expires_at: Timestamp) -> StorageResult<()>;
    fn store_refresh_token(&self, grant_id: &str, token: NewToken<'_>, now: Timestamp) -> StorageResult<()>;
    fn find_refresh_token(&self, token_hash: &str) -> StorageResult<Option<RefreshTokenRecord>>;
    /// Marks `old_hash` rotated and stores its successor in one transaction, conditional on `old_hash` not having
    /// been rotated already: false (and nothing stored) if another request got there first.
    fn rotate_refresh_token(
        &self,
        old_hash: &str,
        grant_id: &str,
        successor: NewToken<'_>,
        now: Timestamp,
    ) -> StorageResult<bool>;
}

pub trait ThrottleStore {
    /// The latest `blocked_until` among `keys` (0 when none is blocked).
    fn blocked_until(&self, keys: &[&str]) -> StorageResult<Timestamp>;
    /// Counts one more failure for `key` (restarting the count when the last one is older than `window_secs`) and
    /// blocks it until `now + delay(failures)`.
    fn record_failure(
        &self,
        key: &str,
        now: Timestamp,
        window_secs: i64,
        delay: &dyn Fn(i32) -> i64,
    ) -> StorageResult<()>;
    fn clear_failures(&self, key: &str) -> StorageResult<()>;
}

pub trait Transfer {
    /// Users, clients, consents and signing keys, for `tessera export`.
    fn export_records(&self) -> StorageResult<Vec<ExportRecord>>;
    /// Inserts exported records in one transaction into a database without users or clients.
    fn import_records(&self, records: &[ExportRecord]) -> StorageResult<usize>;
}

pub trait Housekeeping {
    /// Deletes expired interactions, sessions, codes and tokens, and grants with nothing left; returns the count.
    fn purge_expired(&self, now: Timestamp) -> StorageResult<usize>;
}

pub trait KeyStoreRepository {
    fn load_keys(&self) -> StorageResult<Vec<KeyRecord>>;
    /// Inserts the first keys of an empty database; false (nothing inserted) if keys exist already.
    fn bootstrap_keys(&self, keys: &[KeyRecord]) -> StorageResult<bool>;
    /// Applies a rotation atomically, only if `expected_current` is still the current key (so two nodes or a node
    /// and the CLI cannot rotate twice). Returns false if someone else changed the key set first.
    fn apply_rotation(
        &self,
        expected_current: Option<&str>,
        updates: &[KeyRecord],
        new_key: Option<&KeyRecord>,
    ) -> StorageResult<bool>;
}
