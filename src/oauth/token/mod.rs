//! The token endpoint's protocol core (RFC 6749 §3.2, §4.1.3, §6): one file per grant type, one issuer of token
//! responses.

mod audience;
mod authorization_code;
mod client_credentials;
mod device_code;
mod endpoint;
mod issue;
mod policy;
mod refresh_token;
mod request;
mod token_exchange;

pub use endpoint::handle_token_request;
pub use issue::{TokenResponse, TokenStore};
pub use policy::TokenPolicy;
pub use request::TokenRequest;
pub use token_exchange::ACCESS_TOKEN_TYPE;
