//! Domain values that validate themselves when built ("parse, don't validate"), and the records of the
//! authorization transaction. No HTTP, SQL or crypto here.

pub mod admin_key;
pub mod attributes;
pub mod audit;
pub mod authorization;
pub mod claims_request;
pub mod client;
pub mod client_context;
pub mod error;
pub mod grant;
pub mod group;
pub mod interaction;
pub mod key;
pub mod password;
pub mod pkce;
pub mod resource;
pub mod scope;
pub mod session;
pub mod signing_alg;
pub mod time;
pub mod user;

pub use admin_key::{ADMIN_SCOPES, AdminKey};
pub use attributes::{Address, UserAttributes};
pub use audit::{AUDIT_EVENTS, AuditEvent, AuditQuery, AuditRecord};
pub use authorization::{AcrRequest, AuthorizationRequest, Prompt, ResponseMode};
pub use claims_request::ClaimsRequest;
pub use client::{
    AuthMethod, Client, ClientId, ClientKind, GrantType, LOGO_TYPES, MAX_LOGO_BYTES, PkcePolicy, RedirectUri,
    parse_backchannel_logout_uri, parse_logo_data_uri, parse_web_page_uri,
};
pub use client::{DEVICE_CODE, MAX_CLIENT_JWKS_BYTES, TOKEN_EXCHANGE, parse_client_jwks};
pub use client_context::{ClientContext, Device};
pub use error::InvalidValue;
pub use grant::{AuthorizationCode, Grant, RefreshToken};
pub use group::{ADMINS_GROUP, Group, GroupName};
pub use interaction::{Interaction, SignInProgress};
pub use key::{KeyRecord, KeyState};
pub use password::NewPassword;
pub use pkce::CodeChallenge;
pub use resource::{Resource, ResourceId};
pub use scope::{OFFLINE_ACCESS, OPENID, Scope};
pub use session::{ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR, ACR_VALUES, Authentication, AuthenticationMethod, Session};
pub use signing_alg::{SigningAlg, SigningAlgs};
pub use time::Timestamp;
pub use user::{User, Username};
