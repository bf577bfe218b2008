//! What storage hands out and takes in beside the domain's own records: the parts that stay in storage (password
//! and secret hashes) and the inputs of a write.

use crate::domain::{Client, CodeChallenge, Timestamp, User, UserAttributes};

#[derive(Debug, Clone)]
pub struct ClientRecord {
    pub client: Client,
    /// SHA-256 of the secret; `None` for public clients.
    pub secret_hash: Option<String>,
    /// The secret replaced by the last rotation, accepted until it expires (`client rotate-secret --overlap-secs`).
    pub previous_secret: Option<PreviousSecret>,
}

/// A replaced client secret during its overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousSecret {
    /// SHA-256, like the current secret's.
    pub hash: String,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub user: User,
    pub password_hash: String,
    /// A disabled account cannot sign in, and its grants do not refresh (`tessera user disable`).
    pub disabled: bool,
    pub created_at: Timestamp,
    /// The last completed password check.
    pub last_login_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub attributes: UserAttributes,
}

/// An authorization code about to be stored: only its hash.
#[derive(Debug, Clone)]
pub struct NewCode {
    pub code_hash: String,
    pub redirect_uri: String,
    pub code_challenge: Option<CodeChallenge>,
    pub expires_at: Timestamp,
}

/// A refresh token about to be stored: only its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewToken<'a> {
    pub hash: &'a str,
    pub expires_at: Timestamp,
}
