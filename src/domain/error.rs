//! The one error of the domain: a value that does not follow its rules.

/// Error from parsing a domain value; the message is safe to show to an operator (CLI, import, admin API), not
/// meant for clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String);
