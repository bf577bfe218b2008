//! What storage hands out and takes in beside the domain's own records: the parts that stay in storage (password
//! and secret hashes) and the inputs of a write.

use crate::domain::{Client, CodeChallenge, Timestamp, User, UserAttributes};

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
