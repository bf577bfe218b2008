//! The rotating key store: one ring of signing keys per algorithm in `signing_algs` (RS256 and PS256 with RSA-2048,
//! ES256 with P-256, EdDSA with Ed25519), each key with a kid and a state.
//!
//! States: `next` (published in the JWKS, not signing yet) -> `current` (signs) -> `previous` (published until
//! the last token it signed has expired) -> `retired` (no longer published, private half deleted); `revoked` for a
//! key taken out at once. A key becomes current only after it has been published for `key_prepublish_secs`, which
//! is longer than the JWKS cache lifetime plus the reload interval, so a relying party never meets a kid its cached
//! JWKS lacks.
//!
//! Keys are generated and signed with aws-lc-rs (constant-time, blinded), from a key pair parsed once per key set;
//! the `rsa` crate's private-key operations (RUSTSEC-2023-0071) never run. Keys it generated before still load.
//! Private keys live in the database as PKCS#8 DER and never reach a log line (`KeyRecord`'s `Debug` redacts).
//! Operators: see keys/README.md at the top of the repository.

mod error;
mod generate;
mod jwt;
mod rotation;
mod signing_key;
mod store;

pub use error::KeyError;
pub use generate::{generate_key, public_jwk};
pub use jwt::{JwtError, sign_jwt};
pub use rotation::{KeyPolicy, RotationPlan, RotationRefused, plan_maintenance, plan_revocation, plan_rotation};
pub use signing_key::SigningKey;
pub use store::{KeySet, KeyStore, NoVerifier, jws_algorithm};
