//! The storage traits, named after the protocol actions they serve. [`super::Database`] implements them all;
//! the protocol core asks for the narrowest set it needs.

use super::error::StorageResult;
use super::records::{ClientRecord, NewCode, NewToken, NewUser, UserRecord};
use crate::domain::{AdminKey, AuditEvent, AuditQuery, AuditRecord, Group, GroupName};
use crate::domain::{
    AuthorizationCode, Client, ClientContext, ClientId, Grant, Interaction, KeyRecord, RefreshToken, Resource, Scope,
    Session, SignInProgress, SigningAlg, Timestamp, User,
};

pub trait ClientStore {
    fn find_client(&self, client_id: &str) -> StorageResult<Option<ClientRecord>>;
    /// Registers a client that follows the registration rules (`Client::check_registration`), else refuses it.
    fn register_client(&self, client: &Client, secret_hash: Option<&str>, now: Timestamp) -> StorageResult<()>;
    /// Replaces the client's metadata (not its secret), under the same rules; false if there is no such client.
    fn update_client(&self, client: &Client) -> StorageResult<bool>;
    fn list_clients(&self) -> StorageResult<Vec<ClientRecord>>;
    /// Whether any client is registered; from this node's copy (`storage::catalog`), so `GET /` costs no query.
    fn any_client_registered(&self) -> StorageResult<bool>;
    fn remove_client(&self, client_id: &str) -> StorageResult<bool>;
}

/// What only an operator does to clients (`tessera client rotate-secret`, `client list`).
pub trait ClientAdmin {
    /// Replaces the client's secret hash; with `previous_until`, the old secret keeps working until then. False if
    /// there is no such confidential client.
    fn rotate_secret(&self, client_id: &str, new_hash: &str, previous_until: Option<Timestamp>) -> StorageResult<bool>;
    /// When each client was registered, by id.
    fn client_created_at(&self) -> StorageResult<Vec<(String, Timestamp)>>;
}

pub trait ResourceStore {
    /// Every registered API (a short list: read whole).
    fn list_resources(&self) -> StorageResult<Vec<Resource>>;
    /// Registers a resource that follows the rules (`Resource::check_registration`): none of its scopes belongs to
    /// another resource.
    fn register_resource(&self, resource: &Resource, now: Timestamp) -> StorageResult<()>;
    /// Replaces its scopes and lifetime, under the same rules; false if there is no such resource.
    fn update_resource(&self, resource: &Resource) -> StorageResult<bool>;
    fn remove_resource(&self, id: &str) -> StorageResult<bool>;
}

pub trait UserStore {
    fn add_user(&self, user: &NewUser, now: Timestamp) -> StorageResult<User>;
    fn find_user_by_username(&self, username: &str) -> StorageResult<Option<UserRecord>>;
    fn find_user(&self, subject: &str) -> StorageResult<Option<User>>;
    /// The user with this subject and whether the account is disabled, in one read (the token endpoint needs both
    /// for every response it signs).
    fn find_user_record(&self, subject: &str) -> StorageResult<Option<UserRecord>>;
    /// A refresh token with its grant, and the grant's user as `find_user_record` gives it, in one read: the
    /// refresh grant needs all three.
    fn find_refresh_token_and_holder(&self, token_hash: &str) -> StorageResult<Option<(RefreshToken, UserRecord)>>;
    fn list_users(&self) -> StorageResult<Vec<UserRecord>>;
    /// Whether any user exists (one row read, whatever the number of users).
    fn any_user(&self) -> StorageResult<bool>;
    /// Changes the password, ends the user's sessions, revokes their grants and drops their pending interactions;
    /// returns the revoked grants (to notify their clients), or `None` if there is no such user.
    fn set_password(&self, username: &str, password_hash: &str, now: Timestamp) -> StorageResult<Option<Vec<Grant>>>;
    /// Stores `user`'s email, name and attributes (found by subject) and sets updated_at to `now`; false if no
    /// such user.
    fn update_user(&self, user: &User, now: Timestamp) -> StorageResult<bool>;
    fn remove_user(&self, username: &str) -> StorageResult<bool>;
}

/// What an operator does to an account beside its claims and password (`tessera user disable|enable|sessions|signout`).
pub trait AccountStore {
    /// Disables or enables the account `username`; `None` if there is no such user. Disabling also ends the user's
    /// browser sessions as [`SessionStore::end_session`] does and returns the grants made in them (their clients are
    /// told); the offline grants left stop refreshing while the account is disabled.
    fn set_disabled(&self, username: &str, disabled: bool, now: Timestamp) -> StorageResult<Option<Vec<Grant>>>;
    /// Whether the user with this subject is disabled (a user that no longer exists counts as disabled).
    fn is_disabled(&self, subject: &str) -> StorageResult<bool>;
    /// Notes a completed sign-in.
    fn record_login(&self, subject: &str, now: Timestamp) -> StorageResult<()>;
    /// The user's live browser sessions, newest first; `None` if there is no such user.
    fn sessions_of(&self, username: &str, now: Timestamp) -> StorageResult<Option<Vec<SessionInfo>>>;
    /// Ends every browser session of the user as [`SessionStore::end_session`] does; returns the grants made in
    /// them, or `None` if there is no such user.
    fn sign_out_everywhere(&self, username: &str, now: Timestamp) -> StorageResult<Option<Vec<Grant>>>;
}

/// A browser session as an operator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub sid: String,
    pub auth_time: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
    /// The clients that got grants in it.
    pub clients: Vec<String>,
    /// The browser and address it was opened from (empty when not known).
    pub client: ClientContext,
}

pub trait ConsentStore {
    /// The scope the user has already granted the client, if any.
    fn find_consent(&self, user_id: &str, client_id: &ClientId) -> StorageResult<Option<Scope>>;
    fn remember_consent(&self, user_id: &str, client_id: &ClientId, scope: &Scope, now: Timestamp)
    -> StorageResult<()>;
}

pub trait SessionStore {
    fn start_session(&self, id_hash: &str, session: &Session) -> StorageResult<()>;
    /// A live session: before its absolute expiry, and used since `idle_since`; marks it used at `now`.
    fn find_session(&self, id_hash: &str, now: Timestamp, idle_since: Timestamp) -> StorageResult<Option<Session>>;
    /// Whether the session `sid` is live (before its absolute end, used since `idle_since`); if so, marks it used.
    fn touch_session(&self, sid: &str, now: Timestamp, idle_since: Timestamp) -> StorageResult<bool>;
    /// Deletes the session, revokes its grants that lack offline_access, and drops its user's pending
    /// interactions; returns every grant made in it, so their clients can be told (back-channel logout).
    fn end_session(&self, id_hash: &str, now: Timestamp) -> StorageResult<Vec<Grant>>;
    /// Ends, as [`SessionStore::end_session`] does, every session past its absolute end or unused since
    /// `idle_since`; returns the grants made in them.
    fn end_expired_sessions(&self, now: Timestamp, idle_since: Timestamp) -> StorageResult<Vec<Grant>>;
    /// Deletes the session row only (its cookie is being replaced; its grants live on under the same sid).
    fn forget_session(&self, id_hash: &str) -> StorageResult<()>;
}

pub trait InteractionStore {
    fn park_interaction(&self, interaction: &Interaction, now: Timestamp) -> StorageResult<()>;
    /// A live interaction (not expired at `now`).
    fn find_interaction(&self, id: &str, now: Timestamp) -> StorageResult<Option<Interaction>>;
    fn record_sign_in(&self, id: &str, progress: &SignInProgress) -> StorageResult<()>;
    /// Forgets who signed in to the interaction: its chain starts again ("Not you?" on the consent page).
    fn forget_sign_in(&self, id: &str) -> StorageResult<()>;
    /// How many live interactions the address group `address` has parked.
    fn count_parked_by_address(&self, address: &str, now: Timestamp) -> StorageResult<i64>;
    /// Deletes this browser's oldest live interactions beyond the newest `keep`.
    fn trim_parked_for_browser(&self, browser_hash: &str, keep: i64, now: Timestamp) -> StorageResult<()>;
    /// Deletes the interaction; true for the one caller that actually removed it (single use).
    fn finish_interaction(&self, id: &str) -> StorageResult<bool>;
}

pub trait GrantStore {
    /// Creates the grant and its authorization code in one transaction.
    fn issue_code(&self, grant: &Grant, code: &NewCode, now: Timestamp) -> StorageResult<()>;
    fn find_code(&self, code_hash: &str) -> StorageResult<Option<AuthorizationCode>>;
    /// Marks the code used with one conditional UPDATE: true for exactly one caller, ever.
    fn redeem_code(&self, code_hash: &str, now: Timestamp) -> StorageResult<bool>;
    /// Revokes the grant: its refresh tokens and access tokens stop working.
    fn revoke_grant(&self, grant_id: &str, now: Timestamp) -> StorageResult<()>;
    /// A grant by id (revoked or not: check it).
    fn find_grant(&self, grant_id: &str) -> StorageResult<Option<Grant>>;
    /// Revokes one access token (RFC 7009): kept as revoked until its `exp`, when it would die anyway.
    fn revoke_access_token(&self, jti: &str, expires_at: Timestamp) -> StorageResult<()>;
    /// Whether the access token with this `jti` was revoked.
    fn access_token_revoked(&self, jti: &str) -> StorageResult<bool>;
    fn store_refresh_token(&self, grant_id: &str, token: NewToken<'_>, now: Timestamp) -> StorageResult<()>;
    fn find_refresh_token(&self, token_hash: &str) -> StorageResult<Option<RefreshToken>>;
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

/// One attempt counted against a throttled key before it is made (so concurrent attempts cannot all slip past the
/// check), and what is needed to take it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    /// False when the key is blocked: nothing was counted and the attempt must not be made.
    pub granted: bool,
    /// The failures counted in the window before this attempt.
    pub prior_failures: i32,
    pub prior_blocked_until: Timestamp,
}

pub trait ThrottleStore {
    /// The latest `blocked_until` among `keys` (0 when none is blocked).
    fn blocked_until(&self, keys: &[&str]) -> StorageResult<Timestamp>;
    /// Counts one attempt against `key` unless it is blocked now (restarting the count when the last one is older
    /// than `window_secs`), and blocks it until `now + delay(attempts)`.
    fn reserve(
        &self,
        key: &str,
        now: Timestamp,
        window_secs: i64,
        delay: &dyn Fn(i32) -> i64,
    ) -> StorageResult<Reservation>;
    /// Takes back a granted reservation (the attempt succeeded, or was not made after all).
    fn release(&self, key: &str, reservation: &Reservation) -> StorageResult<()>;
    fn clear_failures(&self, key: &str) -> StorageResult<()>;
    /// Deletes every attempt count whose key `matches`; returns how many.
    fn clear_failures_matching(&self, matches: &dyn Fn(&str) -> bool) -> StorageResult<usize>;
}

pub trait Housekeeping {
    /// Deletes expired interactions, sessions, codes and revoked-token records, refresh tokens expired for longer
    /// than `longest_access_token_ttl_secs` (an access token issued with one may live that long), grants with
    /// nothing left, and attempt counts past `throttle_window_secs` that block nothing; returns the count.
    fn purge_expired(
        &self,
        now: Timestamp,
        throttle_window_secs: i64,
        longest_access_token_ttl_secs: i64,
    ) -> StorageResult<usize>;
}

pub trait KeyStoreRepository {
    fn load_keys(&self) -> StorageResult<Vec<KeyRecord>>;
    /// The longest access token lifetime any client or resource is registered with, if any is: a key that stops
    /// signing stays published at least this long.
    fn longest_registered_token_ttl(&self) -> StorageResult<Option<i64>>;
    /// Inserts the first keys of `alg`'s ring; false (nothing inserted) if that ring has keys already.
    fn bootstrap_keys(&self, alg: SigningAlg, keys: &[KeyRecord]) -> StorageResult<bool>;
    /// Applies a rotation of `alg`'s ring atomically, only if `expected_current` is still its current key (so two
    /// nodes or a node and the CLI cannot rotate twice). Returns false if someone else changed the key set first.
    fn apply_rotation(
        &self,
        alg: SigningAlg,
        expected_current: Option<&str>,
        updates: &[KeyRecord],
        new_key: Option<&KeyRecord>,
    ) -> StorageResult<bool>;
    /// Brings the stored private keys to the rules of today: a retired or revoked key keeps no private half (rows
    /// from before that rule), and with a key-encryption key every private half is sealed. Returns how many rows
    /// were (cleared, sealed).
    fn secure_stored_keys(&self) -> StorageResult<(usize, usize)>;
}

/// A user's TOTP second factor as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpFactor {
    /// The shared secret (RFC 6238 §5.1: the verifier needs it in clear to compute codes).
    pub secret: Vec<u8>,
    /// The last time step a code was accepted for.
    pub last_used_step: Option<i64>,
    pub created_at: Timestamp,
}

/// Second factors: a TOTP secret and single-use recovery codes per user.
pub trait SecondFactorStore {
    fn find_totp(&self, user_id: &str) -> StorageResult<Option<TotpFactor>>;
    /// Sets the user's TOTP secret (replacing any) and replaces their recovery codes with `recovery_hashes`, in one
    /// transaction.
    fn enrol_totp(&self, user_id: &str, secret: &[u8], recovery_hashes: &[String], now: Timestamp)
    -> StorageResult<()>;
    /// Accepts a code of time step `step` once: one conditional UPDATE, true only if no code of this step or a later
    /// one was accepted before (RFC 6238 §5.2, no replay), for exactly one caller.
    fn use_totp_step(&self, user_id: &str, step: i64) -> StorageResult<bool>;
    /// Marks the user's recovery code with this hash used: true for exactly one caller, ever.
    fn use_recovery_code(&self, user_id: &str, code_hash: &str, now: Timestamp) -> StorageResult<bool>;
    /// How many of the user's recovery codes are still unused.
    fn remaining_recovery_codes(&self, user_id: &str) -> StorageResult<i64>;
    /// With a key-encryption key, seals every TOTP secret still stored in clear (rows from before the KEK was set);
    /// returns how many. Without one, nothing.
    fn seal_totp_secrets(&self) -> StorageResult<usize>;
    /// Removes the user's TOTP secret and recovery codes; true if there was anything to remove.
    fn remove_second_factors(&self, user_id: &str) -> StorageResult<bool>;
}

/// An invitation link as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    pub user_id: String,
    pub expires_at: Timestamp,
    pub used: bool,
}

/// Single-use invitation links (`tessera user invite`).
pub trait InvitationStore {
    fn create_invitation(
        &self,
        token_hash: &str,
        user_id: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StorageResult<()>;
    fn find_invitation(&self, token_hash: &str) -> StorageResult<Option<InvitationRecord>>;
    /// Spends the invitation and sets its user's password, in one transaction, only if it is unused and live at
    /// `now`: true for exactly one caller. The user's other unused invitations are spent with it.
    fn accept_invitation(&self, token_hash: &str, password_hash: &str, now: Timestamp) -> StorageResult<bool>;
}

/// What the account page (`/account`) changes beyond the other stores.
pub trait AccountPageStore {
    /// Ends the user's session `sid` as [`SessionStore::end_session`] does; the grants made in it (none if the
    /// user has no such session).
    fn end_session_of_user(&self, user_id: &str, sid: &str, now: Timestamp) -> StorageResult<Vec<Grant>>;
    /// Replaces the user's recovery codes with `hashes` (the old ones stop working).
    fn replace_recovery_codes(&self, user_id: &str, hashes: &[String], now: Timestamp) -> StorageResult<()>;
    /// The applications the user consented to or holds live grants with: client id, the consented scope (if any),
    /// and how many live grants; by client id.
    fn connected_apps(&self, user_id: &str) -> StorageResult<Vec<(String, Option<String>, i64)>>;
    /// Forgets the user's consent to `client_id` and revokes their grants with it (their refresh and access tokens
    /// stop working); returns the grants revoked.
    fn revoke_app(&self, user_id: &str, client_id: &str, now: Timestamp) -> StorageResult<Vec<Grant>>;
}

/// Single-use values that must hold across nodes (issue 13: client assertion jtis), each kept until it expires.
pub trait ReplayStore {
    /// Records the `jti` of a client assertion (RFC 7523 §3, "used only once") until `expires_at`; false when the
    /// client used it before.
    fn use_assertion_jti(&self, client_id: &str, jti: &str, expires_at: Timestamp) -> StorageResult<bool>;
}

/// Pushed authorization requests (RFC 9126), single use across nodes.
pub trait PushedRequestStore {
    /// Keeps a pushed request's parameters (JSON) under `request_uri` until `expires_at`.
    fn push_request(
        &self,
        request_uri: &str,
        client_id: &str,
        params: &str,
        expires_at: Timestamp,
    ) -> StorageResult<()>;
    /// Takes the parameters of `request_uri` if it was pushed by `client_id` and has not expired, and deletes it:
    /// RFC 9126 §4 "one-time use". `None` for an unknown, used, expired or other client's request_uri.
    fn take_pushed_request(&self, request_uri: &str, client_id: &str, now: Timestamp) -> StorageResult<Option<String>>;
}

/// What became of a membership change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipChange {
    Done,
    /// Nothing to do: the user was already (or was not) a member.
    Unchanged,
    NoSuchGroup,
    NoSuchUser,
}

/// Groups of users (`tessera group …`), and the groups of a user as tokens and the authorization endpoint read them.
pub trait GroupStore {
    /// Adds an empty group; refuses a name that is taken.
    fn add_group(&self, name: &GroupName, description: Option<&str>, now: Timestamp) -> StorageResult<()>;
    /// Every group with its members' usernames, by name.
    fn list_groups(&self) -> StorageResult<Vec<Group>>;
    fn find_group(&self, name: &str) -> StorageResult<Option<Group>>;
    /// Removes the group and its memberships; false if there is no such group.
    fn remove_group(&self, name: &str) -> StorageResult<bool>;
    fn add_member(&self, group: &str, username: &str, now: Timestamp) -> StorageResult<MembershipChange>;
    fn remove_member(&self, group: &str, username: &str) -> StorageResult<MembershipChange>;
    /// The names of the groups the user with this subject belongs to, sorted.
    fn groups_of(&self, subject: &str) -> StorageResult<Vec<String>>;
    /// Sets the description of the group `name` if it is still `expected`; false if it changed (or no such group).
    fn set_group_description(&self, name: &str, expected: Option<&str>, new: Option<&str>) -> StorageResult<bool>;
}

/// The audit log: security events in the database, kept for `audit_retention_days`.
pub trait AuditLog {
    fn record_audit(&self, event: &AuditEvent) -> StorageResult<()>;
    /// Events matching `query`, newest first, at most `query.limit`.
    fn audit_events(&self, query: &AuditQuery) -> StorageResult<Vec<AuditRecord>>;
    /// Deletes the events older than `before`; returns how many.
    fn purge_audit(&self, before: Timestamp) -> StorageResult<usize>;
}

/// Admin API keys (`tessera admin key …`), kept hashed.
pub trait AdminKeyStore {
    fn add_admin_key(&self, key: &AdminKey, secret_hash: &str) -> StorageResult<()>;
    fn list_admin_keys(&self) -> StorageResult<Vec<AdminKey>>;
    /// The key with this id and the hash of its secret.
    fn find_admin_key(&self, id: &str) -> StorageResult<Option<(AdminKey, String)>>;
    /// Marks it revoked at `now`; false if there is no such live key.
    fn revoke_admin_key(&self, id: &str, now: Timestamp) -> StorageResult<bool>;
}

/// An initial access token as `tessera registration token list` shows it (never the token itself).
#[derive(Debug, Clone)]
pub struct RegistrationTokenInfo {
    pub id: String,
    pub expires_at: Timestamp,
    pub uses_left: i64,
    pub created_at: Timestamp,
}

/// Dynamic client registration (RFC 7591 / 7592): initial access tokens and the registration access token of each
/// client registered over HTTP, all kept as hashes.
pub trait RegistrationStore {
    fn create_registration_token(
        &self,
        id: &str,
        token_hash: &str,
        expires_at: Timestamp,
        uses: i64,
        now: Timestamp,
    ) -> StorageResult<()>;
    /// Whether an initial access token with this hash is known, unexpired and not used up (nothing is spent).
    fn registration_token_usable(&self, token_hash: &str, now: Timestamp) -> StorageResult<bool>;
    fn list_registration_tokens(&self, now: Timestamp) -> StorageResult<Vec<RegistrationTokenInfo>>;
    fn revoke_registration_token(&self, id: &str) -> StorageResult<bool>;
    /// Registers `client` with its registration access token's hash, spending one use of the initial access token
    /// (`None` in open registration) in the same transaction: `false`, and nothing written, when that token is
    /// unknown, expired or used up by now (two nodes racing for its last use: one wins).
    fn register_dynamic_client(
        &self,
        client: &Client,
        secret_hash: Option<&str>,
        access_token_hash: &str,
        initial_token_hash: Option<&str>,
        now: Timestamp,
    ) -> StorageResult<bool>;
    /// The client a registration access token names, with when it was registered; `None` when the token does not
    /// name this client (compared in constant time).
    fn find_dynamic_client(
        &self,
        client_id: &str,
        access_token_hash: &str,
    ) -> StorageResult<Option<(ClientRecord, Timestamp)>>;
}

/// A device authorization request (RFC 8628 §3.1) as stored: the device code only as its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    pub device_code_hash: String,
    /// Normalised: the eight characters, upper case, without the dash.
    pub user_code: String,
    pub client_id: String,
    pub scope: String,
    /// The polling interval the client must keep (RFC 8628 §3.2 `interval`, grown by `slow_down`, §3.5).
    pub interval_secs: i64,
    pub last_polled_at: Option<Timestamp>,
    pub expires_at: Timestamp,
    /// `pending`, `approved`, `denied` or `redeemed`.
    pub status: String,
    /// The grant the user approved (set with `approved`).
    pub grant_id: Option<String>,
    /// The resource the request named (RFC 8707), the audience of the grant's access tokens.
    pub resource: Option<String>,
}

/// Device authorization requests (RFC 8628), shared by every node.
pub trait DeviceStore {
    /// Keeps a new request; false if its user code is taken already (the caller draws another).
    fn create_device_authorization(&self, record: &DeviceRecord, now: Timestamp) -> StorageResult<bool>;
    /// The live, pending request with this (normalised) user code.
    fn find_pending_by_user_code(&self, user_code: &str, now: Timestamp) -> StorageResult<Option<DeviceRecord>>;
    fn find_device_authorization(&self, device_code_hash: &str) -> StorageResult<Option<DeviceRecord>>;
    /// Records a poll at `now` with the interval the client must keep from now on.
    fn record_device_poll(&self, device_code_hash: &str, now: Timestamp, interval_secs: i64) -> StorageResult<()>;
    /// The user approved: the grant is kept and the pending request points to it, both or neither. False if the
    /// request was no longer pending (answered before, or expired).
    fn approve_device(&self, device_code_hash: &str, grant: &Grant, now: Timestamp) -> StorageResult<bool>;
    /// The user denied: false if the request was no longer pending.
    fn deny_device(&self, device_code_hash: &str, now: Timestamp) -> StorageResult<bool>;
    /// RFC 8628 §3.5 with RFC 6749 §4.1.2's single use: one conditional UPDATE from approved to redeemed; of
    /// concurrent polls exactly one gets true.
    fn redeem_device(&self, device_code_hash: &str) -> StorageResult<bool>;
}

/// The admin API's conditional writes (ETag and `If-Match`): the row is locked, read and judged by `unchanged`, then
/// written, in one transaction. `None`: no such row; `Some(false)`: it changed since the caller read it.
pub trait AdminWrites {
    /// Stores `user`'s email, name and attributes (found by subject) with an `updated_at` later than the last one.
    fn update_user_if(
        &self,
        user: &User,
        unchanged: &dyn Fn(&User) -> bool,
        now: Timestamp,
    ) -> StorageResult<Option<bool>>;
    /// Replaces the client's metadata (not its secret) under the registration rules.
    fn update_client_if(&self, client: &Client, unchanged: &dyn Fn(&Client) -> bool) -> StorageResult<Option<bool>>;
}

/// A passkey (WebAuthn credential) as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRecord {
    /// The credential id, base64url without padding.
    pub credential_id: String,
    pub user_id: String,
    /// The name the user gave it (or the default "Passkey").
    pub name: String,
    /// webauthn-rs's serialised `Passkey` (public key, algorithm, counter, flags).
    pub credential: String,
    /// The signature counter last seen (WebAuthn §6.1.1).
    pub sign_count: i64,
    /// WebAuthn §6.1 flags BE and BS: the credential may be, and is, backed up (synced).
    pub backup_eligible: bool,
    pub backup_state: bool,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A passkey's state after a verified assertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyUse<'a> {
    pub credential: &'a str,
    pub sign_count: i64,
    pub backup_state: bool,
    pub now: Timestamp,
}

/// Passkeys per user, and the pending WebAuthn ceremonies (challenges) of every node.
pub trait PasskeyStore {
    /// The user's passkeys, oldest first.
    fn passkeys_of(&self, user_id: &str) -> StorageResult<Vec<PasskeyRecord>>;
    fn find_passkey(&self, credential_id: &str) -> StorageResult<Option<PasskeyRecord>>;
    /// Keeps a new passkey; false if its credential id is registered already (to anyone).
    fn add_passkey(&self, record: &PasskeyRecord) -> StorageResult<bool>;
    /// Records a verified use: only if the stored counter is still `seen_count` (one conditional UPDATE, so two
    /// nodes checking one assertion cannot both move it); false otherwise.
    fn use_passkey(&self, credential_id: &str, seen_count: i64, update: &PasskeyUse<'_>) -> StorageResult<bool>;
    /// Renames the user's passkey; false if the user has no such passkey.
    fn rename_passkey(&self, user_id: &str, credential_id: &str, name: &str) -> StorageResult<bool>;
    /// Removes the user's passkey, only if it leaves the user a credential (a password or another passkey);
    /// `Ok(None)` if the user has no such passkey, `Ok(Some(false))` if it is their last credential.
    fn remove_passkey(&self, user_id: &str, credential_id: &str) -> StorageResult<Option<bool>>;
    /// Removes every passkey of the user (`tessera user mfa reset`); how many there were.
    fn remove_passkeys(&self, user_id: &str) -> StorageResult<usize>;
    /// Takes back a passkey just added by a registration whose purpose failed after it (an invitation another
    /// registration spent meanwhile). No last-credential rule: a moment ago the account did not have it.
    fn withdraw_passkey(&self, user_id: &str, credential_id: &str) -> StorageResult<()>;
    /// Keeps a pending ceremony's state until `expires_at`.
    fn begin_ceremony(
        &self,
        id: &str,
        binding: &str,
        kind: &str,
        state: &str,
        expires_at: Timestamp,
    ) -> StorageResult<()>;
    /// Takes (deletes) the ceremony `id` if it was begun for `binding` and `kind` and is live at `now`: its state,
    /// for exactly one caller.
    fn take_ceremony(&self, id: &str, binding: &str, kind: &str, now: Timestamp) -> StorageResult<Option<String>>;
}

/// DPoP (RFC 9449), shared by every node: proof jtis used once, grants bound to a key, the nonce key.
pub trait DpopStore {
    /// Records the `jti` of a DPoP proof made with the key of thumbprint `jkt` until `expires_at`; false when that
    /// key's proof with this jti was seen before (§11.1).
    fn use_dpop_jti(&self, jkt: &str, jti: &str, expires_at: Timestamp) -> StorageResult<bool>;
    /// Binds the grant to the DPoP key `jkt` (§5: a public client's refresh tokens), unless it is bound already.
    fn bind_grant_to_dpop_key(&self, grant_id: &str, jkt: &str) -> StorageResult<()>;
    /// The server secret called `name`: the one stored, or `fresh` if none was (stored then, so every node reads the
    /// same one).
    fn server_secret(&self, name: &str, fresh: &[u8], now: Timestamp) -> StorageResult<Vec<u8>>;
}
