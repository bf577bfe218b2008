//! Time as the domain counts it.

/// Unix seconds: the unit of every timestamp Tessera stores, compares and puts in a token.
pub type Timestamp = i64;
