//! Registered clients (relying parties).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use super::error::InvalidValue;
use super::group::{GroupName, admits};
use super::scope::{Scope, standard_scope};
use super::signing_alg::SigningAlg;

/// A client identifier: 1 to 128 visible ASCII characters without `:` (RFC 6749 §2.3.1 puts the id in a Basic
/// user-id, where `:` would be ambiguous even after form-encoding by a sloppy client), and never shaped like a UUID:
/// a client's own tokens carry its id as `sub` (RFC 9068 §2.2), and users' subjects are UUIDs, so the two can never
/// name the same subject.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    pub fn parse(raw: &str) -> Result<ClientId, InvalidValue> {
        if raw.is_empty() || raw.len() > 128 {
            return Err(InvalidValue("a client id has 1 to 128 characters".into()));
        }
        if !raw.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            return Err(InvalidValue("a client id has only visible ASCII characters and no ':'".into()));
        }
        if uuid::Uuid::try_parse(raw).is_ok() {
            return Err(InvalidValue("a client id cannot be a UUID: user subjects are UUIDs".into()));
        }
        Ok(ClientId(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ClientId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ClientId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ClientId, D::Error> {
        ClientId::parse(&String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// A redirect URI accepted at registration. Requests are matched against it by exact string comparison
/// (RFC 9700 §4.1.3, OpenID Connect Core §3.1.2.1), so it is kept exactly as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUri(String);

/// A web page of a client's registration metadata (`client_uri`, `policy_uri`, `tos_uri`): an absolute https URL, or
/// http on loopback for development; at most 2000 characters.
pub fn parse_web_page_uri(name: &str, raw: &str) -> Result<String, InvalidValue> {
    let url = Url::parse(raw).map_err(|e| InvalidValue(format!("{name} {raw:?} is not an absolute URL: {e}")))?;
    let loopback = matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
        || url.host_str() == Some("localhost");
    if raw.len() > 2000 || !(url.scheme() == "https" || (url.scheme() == "http" && loopback)) {
        return Err(InvalidValue(format!(
            "{name} {raw:?}: an https URL of at most 2000 characters (http only on a loopback address)"
        )));
    }
    Ok(raw.to_owned())
}

/// The largest logo kept, in bytes of the image (its data URI is about a third longer).
pub const MAX_LOGO_BYTES: usize = 64 * 1024;

/// Image types a logo may have; SVG is served inside an `<img>`, where it cannot run scripts.
pub const LOGO_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"];

/// A logo as stored: `data:<image type>;base64,<data>`, an allowed type, at most [`MAX_LOGO_BYTES`] of image.
pub fn parse_logo_data_uri(raw: &str) -> Result<String, InvalidValue> {
    let refuse = || {
        InvalidValue(format!(
            "logo_uri: a data:image/…;base64 URI of a PNG, JPEG, GIF, WebP or SVG image of at most {} KiB, or an \
             https URL to fetch it from once",
            MAX_LOGO_BYTES / 1024
        ))
    };
    let rest = raw.strip_prefix("data:").ok_or_else(refuse)?;
    let (media, data) = rest.split_once(";base64,").ok_or_else(refuse)?;
    let len = data.len() / 4 * 3;
    let base64_ok = data.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    if !LOGO_TYPES.contains(&media) || len > MAX_LOGO_BYTES || data.is_empty() || !base64_ok {
        return Err(refuse());
    }
    Ok(raw.to_owned())
}

impl RedirectUri {
    /// Registration rules: an absolute URI (RFC 6749 §3.1.2) without a fragment (§3.1.2: "MUST NOT include a
    /// fragment component"); https, or http on a loopback address (RFC 8252 §7.3), or a private-use scheme with
    /// a dot in it for native apps (RFC 8252 §7.1).
    pub fn parse(raw: &str) -> Result<RedirectUri, InvalidValue> {
        if raw.len() > 2000 {
            return Err(InvalidValue("redirect URI is longer than 2000 characters".into()));
        }
        let url =
            Url::parse(raw).map_err(|e| InvalidValue(format!("redirect URI {raw:?} is not an absolute URI: {e}")))?;
        if url.fragment().is_some() || raw.contains('#') {
            return Err(InvalidValue(format!("redirect URI {raw:?} has a fragment")));
        }
        match url.scheme() {
            "https" => {}
            "http" => {
                let loopback = matches!(
                    url.host(),
                    Some(url::Host::Ipv4(ip)) if ip.is_loopback()
                ) || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
                    || url.host_str() == Some("localhost");
                if !loopback {
                    return Err(InvalidValue(format!(
                        "redirect URI {raw:?}: plain http is allowed only on a loopback address (RFC 8252 §7.3)"
                    )));
                }
            }
            "javascript" | "data" | "file" | "vbscript" | "blob" | "about" | "ftp" | "ws" | "wss" => {
                return Err(InvalidValue(format!("redirect URI {raw:?}: scheme not allowed")));
            }
            scheme if scheme.contains('.') => {}
            _ => {
                return Err(InvalidValue(format!(
                    "redirect URI {raw:?}: a private-use scheme must be a reverse domain name (RFC 8252 §7.1)"
                )));
            }
        }
        Ok(RedirectUri(raw.to_owned()))
    }

    /// A registered URI is compared with the request's as a string (RFC 9700 §4.1.3), so one written as a pattern
    /// can never match: refused with the reason, rather than kept and never used.
    pub fn check_can_match(&self) -> Result<(), InvalidValue> {
        let raw = &self.0;
        if raw.contains('*') {
            return Err(InvalidValue(format!(
                "redirect URI {raw:?} has a wildcard: redirect URIs are matched exactly (RFC 9700 §4.1.3), so `*` \
                 would only ever match a literal `*`; register every URI the application uses, each with its own \
                 --redirect-uri"
            )));
        }
        if raw.contains('{') || raw.contains('}') {
            return Err(InvalidValue(format!(
                "redirect URI {raw:?} looks like a template: redirect URIs are matched exactly (RFC 9700 §4.1.3); \
                 register each complete URI"
            )));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InvalidValue(format!(
                "redirect URI {raw:?} has a space or control character, which a browser would never send as is"
            )));
        }
        Ok(())
    }

    /// Exact string comparison, RFC 9700 §4.1.3. No normalisation: a trailing slash, a different case or an added
    /// query is a different URI. One exception, RFC 8252 §7.3: for an http loopback IP literal, "the authorization
    /// server MUST allow any port to be specified at the time of the request" (native apps take a free port), so
    /// the port is the only part allowed to differ.
    pub fn matches(&self, requested: &str) -> bool {
        if self.0 == requested {
            return true;
        }
        match (without_loopback_port(&self.0), without_loopback_port(requested)) {
            (Some(registered), Some(requested)) => registered == requested,
            _ => false,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `http://127.0.0.1:PORT/rest` -> `http://127.0.0.1/rest` (also `[::1]`); `None` for anything else. Works on the
/// string, so every other character still has to match exactly.
fn without_loopback_port(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("http://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    let loopback = host.starts_with("127.") && host.parse::<std::net::Ipv4Addr>().is_ok() || host == "[::1]";
    loopback.then(|| format!("http://{host}{tail}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// Has a secret (client_secret_basic or client_secret_post).
    Confidential,
    /// Cannot keep a secret (native and browser apps): authenticates with `none` and must use PKCE.
    Public,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkcePolicy {
    Required,
    /// Only for confidential clients; a challenge that is sent is still enforced.
    Optional,
}

/// Grant types a client may use at the token endpoint (RFC 7591 §2 `grant_types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
    /// RFC 8693 §2.1.
    TokenExchange,
    /// RFC 8628 §3.4.
    DeviceCode,
}

/// RFC 8693 §2.1: the grant type of a token exchange.
pub const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// RFC 8628 §3.4: the grant type of a device access token request.
pub const DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";

impl GrantType {
    pub fn parse(raw: &str) -> Result<GrantType, InvalidValue> {
        match raw {
            "authorization_code" => Ok(GrantType::AuthorizationCode),
            "refresh_token" => Ok(GrantType::RefreshToken),
            "client_credentials" => Ok(GrantType::ClientCredentials),
            TOKEN_EXCHANGE => Ok(GrantType::TokenExchange),
            DEVICE_CODE => Ok(GrantType::DeviceCode),
            other => Err(InvalidValue(format!(
                "unknown grant type {other:?} (authorization_code, refresh_token, client_credentials, \
                 {TOKEN_EXCHANGE}, {DEVICE_CODE})"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::RefreshToken => "refresh_token",
            GrantType::ClientCredentials => "client_credentials",
            GrantType::TokenExchange => TOKEN_EXCHANGE,
            GrantType::DeviceCode => DEVICE_CODE,
        }
    }

    /// A space- or comma-separated list, without repeats.
    pub fn parse_list(raw: &str) -> Result<Vec<GrantType>, InvalidValue> {
        let mut out = Vec::new();
        for item in raw.split([' ', ',']).filter(|s| !s.is_empty()) {
            let grant = GrantType::parse(item)?;
            if !out.contains(&grant) {
                out.push(grant);
            }
        }
        if out.is_empty() {
            return Err(InvalidValue("at least one grant type".into()));
        }
        Ok(out)
    }
}

/// How a client authenticates at the token endpoint (OpenID Connect Core §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    ClientSecretBasic,
    ClientSecretPost,
    None,
    /// RFC 7523 §2.2 / OpenID Connect Core §9: a JWT signed with the client's own private key; its public keys are
    /// registered (`jwks`) or fetched (`jwks_uri`).
    PrivateKeyJwt,
}

impl AuthMethod {
    pub fn parse(raw: &str) -> Result<AuthMethod, InvalidValue> {
        match raw {
            "client_secret_basic" => Ok(AuthMethod::ClientSecretBasic),
            "client_secret_post" => Ok(AuthMethod::ClientSecretPost),
            "none" => Ok(AuthMethod::None),
            "private_key_jwt" => Ok(AuthMethod::PrivateKeyJwt),
            other => Err(InvalidValue(format!(
                "unknown token endpoint auth method {other:?} (client_secret_basic, client_secret_post, none, \
                 private_key_jwt)"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::None => "none",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
        }
    }
}

/// A back-channel logout URI (OpenID Connect Back-Channel Logout 1.0 §2.2): absolute, no fragment; https, or
/// http on loopback (tests and local development).
pub fn parse_backchannel_logout_uri(raw: &str) -> Result<String, InvalidValue> {
    let uri = RedirectUri::parse(raw)?;
    if !(uri.as_str().starts_with("https://") || uri.as_str().starts_with("http://")) {
        return Err(InvalidValue(format!("back-channel logout URI {raw:?} must be https")));
    }
    Ok(uri.as_str().to_owned())
}

#[derive(Debug, Clone)]
pub struct Client {
    pub id: ClientId,
    pub name: String,
    pub kind: ClientKind,
    pub redirect_uris: Vec<RedirectUri>,
    pub skip_consent: bool,
    pub pkce: PkcePolicy,
    pub grant_types: Vec<GrantType>,
    /// `None`: any method of its kind (both secret methods for a confidential client, `none` for a public one).
    pub auth_method: Option<AuthMethod>,
    /// Where RP-Initiated Logout may send the browser back to (exact match).
    pub post_logout_redirect_uris: Vec<RedirectUri>,
    pub backchannel_logout_uri: Option<String>,
    /// Overrides of the server's token lifetimes.
    pub access_token_ttl_secs: Option<i64>,
    pub refresh_token_ttl_secs: Option<i64>,
    /// The scopes beyond OpenID Connect's that the client may ask for (RFC 7591 `scope`): API scopes in the
    /// code flow, and all it may get with client_credentials. Empty by default.
    pub scope: Scope,
    /// How long a just-rotated refresh token still yields the same successor (RFC 9700 §4.14.2); none by default.
    pub refresh_token_reuse_grace_secs: Option<i64>,
    /// OpenID Connect Dynamic Client Registration §2 `logo_uri`, kept as a `data:image/…` URI (fetched once at
    /// registration): the consent page shows it without loading anything from elsewhere.
    pub logo_uri: Option<String>,
    /// `client_uri`: the app's home page (consent, and the signed-out page's way back).
    pub client_uri: Option<String>,
    /// `policy_uri`: how the app uses the data it gets (linked from the consent page).
    pub policy_uri: Option<String>,
    /// `tos_uri`: the app's terms of service (linked from the consent page).
    pub tos_uri: Option<String>,
    /// Every user signing in to this client must prove a second factor (`tessera client add --require-mfa`).
    pub require_mfa: bool,
    /// OpenID Connect Dynamic Client Registration §2 `id_token_signed_response_alg`: the algorithm of its ID tokens
    /// (and logout tokens); `None`, the server's first `signing_algs`.
    pub id_token_signed_response_alg: Option<SigningAlg>,
    /// OpenID Connect Dynamic Client Registration §2 `jwks`: the client's public keys for private_key_jwt, a JWKS
    /// document as registered ([`parse_client_jwks`]).
    pub jwks: Option<String>,
    /// `jwks_uri`: where Tessera fetches them instead (https; http only on loopback).
    pub jwks_uri: Option<String>,
    /// RFC 9126 §6 `require_pushed_authorization_requests`: its authorization requests come only by PAR.
    pub require_pushed_authorization_requests: bool,
    /// Its access tokens carry the `groups` claim too (when the `groups` scope was granted).
    pub access_token_groups: bool,
    /// Only members of one of these groups may use it; empty: everyone.
    pub allowed_groups: Vec<GroupName>,
    /// RFC 8628 §3.2 `expires_in` of this client's device codes; none: the server's `device_code_ttl_secs`.
    pub device_code_ttl_secs: Option<i64>,
    /// RFC 9449 §5.2 `dpop_bound_access_tokens`: a token request without a DPoP proof is refused.
    pub dpop_bound_access_tokens: bool,
}

/// The admin pages' own client (`oauth::admin_sign_in`), registered by every start: export leaves it out, import
/// and "is any client registered?" do not count it.
pub const BUILT_IN_ADMIN_CLIENT_ID: &str = "tessera-admin";

impl Client {
    /// A client with the defaults of `tessera client add`.
    pub fn new(id: ClientId, name: String, kind: ClientKind, redirect_uris: Vec<RedirectUri>) -> Client {
        Client {
            id,
            name,
            kind,
            redirect_uris,
            skip_consent: false,
            pkce: PkcePolicy::Required,
            grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            auth_method: None,
            post_logout_redirect_uris: Vec::new(),
            backchannel_logout_uri: None,
            access_token_ttl_secs: None,
            refresh_token_ttl_secs: None,
            scope: Scope::empty(),
            refresh_token_reuse_grace_secs: None,
            logo_uri: None,
            client_uri: None,
            policy_uri: None,
            tos_uri: None,
            require_mfa: false,
            id_token_signed_response_alg: None,
            jwks: None,
            jwks_uri: None,
            require_pushed_authorization_requests: false,
            access_token_groups: false,
            allowed_groups: Vec::new(),
            device_code_ttl_secs: None,
            dpop_bound_access_tokens: false,
        }
    }

    /// Whether a user who belongs to `member_of` may use this client (its `allowed_groups`).
    pub fn admits(&self, member_of: &[String]) -> bool {
        admits(&self.allowed_groups, member_of)
    }

    pub fn may_use(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }

    /// The registered redirect URI equal to `requested`, if any.
    pub fn find_redirect_uri(&self, requested: &str) -> Option<&RedirectUri> {
        self.redirect_uris.iter().find(|r| r.matches(requested))
    }

    /// PKCE is required for public clients always (RFC 9700 §2.1.1), for confidential ones unless relaxed.
    pub fn requires_pkce(&self) -> bool {
        self.kind == ClientKind::Public || self.pkce == PkcePolicy::Required
    }

    /// The rules a registration must follow as a whole, whoever registers the client (the CLI, an import, an
    /// administrator): storage refuses to keep a client that breaks one.
    pub fn check_registration(&self) -> Result<(), InvalidValue> {
        let refuse = |message: &str| Err(InvalidValue(message.to_owned()));
        if self.kind == ClientKind::Public {
            if self.pkce == PkcePolicy::Optional {
                return refuse("a public client always uses PKCE (RFC 9700 §2.1.1); drop --pkce optional");
            }
            if self.auth_method.is_some_and(|m| m != AuthMethod::None) {
                return refuse("a public client has no secret: its token_endpoint_auth_method is none");
            }
            if self.may_use(GrantType::ClientCredentials) {
                return refuse("client_credentials is for confidential clients only (RFC 6749 §4.4)");
            }
            if self.may_use(GrantType::TokenExchange) {
                return refuse("token exchange is for confidential clients only (they act for the token's subject)");
            }
            // RFC 8252 §8.6: a public client's identity cannot be verified, so the user is always asked.
            if self.skip_consent {
                return refuse("a public client cannot skip consent: its identity cannot be verified (RFC 8252 §8.6)");
            }
        } else if self.auth_method == Some(AuthMethod::None) {
            return refuse(
                "a confidential client authenticates with its secret; use --public for a client without one",
            );
        }
        // RFC 7523 §2.2 with OpenID Connect Registration §2: the keys come from exactly one place.
        if self.auth_method == Some(AuthMethod::PrivateKeyJwt) {
            if self.jwks.is_some() == self.jwks_uri.is_some() {
                return refuse("private_key_jwt needs the client's public keys: --jwks-file or --jwks-uri, not both");
            }
        } else if self.jwks.is_some() || self.jwks_uri.is_some() {
            return refuse("--jwks-file and --jwks-uri are for --token-endpoint-auth-method private_key_jwt");
        }
        if let Some(jwks) = &self.jwks {
            parse_client_jwks(jwks)?;
        }
        if let Some(uri) = &self.jwks_uri {
            parse_web_page_uri("jwks_uri", uri)?;
        }
        if self.grant_types.is_empty() {
            return refuse("a client has at least one grant type");
        }
        for uri in self.redirect_uris.iter().chain(&self.post_logout_redirect_uris) {
            uri.check_can_match()?;
        }
        for (name, uri) in
            [("client_uri", &self.client_uri), ("policy_uri", &self.policy_uri), ("tos_uri", &self.tos_uri)]
        {
            if let Some(uri) = uri {
                parse_web_page_uri(name, uri)?;
            }
        }
        if let Some(logo) = &self.logo_uri {
            parse_logo_data_uri(logo)?;
        }
        if self.may_use(GrantType::AuthorizationCode) && self.redirect_uris.is_empty() {
            return refuse("the authorization_code grant needs at least one --redirect-uri");
        }
        if self.may_use(GrantType::RefreshToken)
            && !self.may_use(GrantType::AuthorizationCode)
            && !self.may_use(GrantType::DeviceCode)
        {
            return refuse("refresh_token comes with authorization_code or the device code grant");
        }
        for ttl in [self.access_token_ttl_secs, self.refresh_token_ttl_secs].into_iter().flatten() {
            if !(1..=MAX_TOKEN_TTL_SECS).contains(&ttl) {
                return refuse("token lifetimes are between 1 s and ten years");
            }
        }
        if self.device_code_ttl_secs.is_some_and(|t| !(1..=86_400).contains(&t)) {
            return refuse("the device code lifetime is between 1 s and one day");
        }
        if self.refresh_token_reuse_grace_secs.is_some_and(|g| !(0..=60).contains(&g)) {
            return refuse("the refresh token reuse grace is between 0 and 60 s");
        }
        if let Some(standard) = self.scope.iter().find(|s| standard_scope(s).is_some()) {
            return Err(InvalidValue(format!(
                "{standard} is an OpenID Connect scope, always allowed in the code flow; --scope lists API scopes"
            )));
        }
        Ok(())
    }
}

/// The largest JWKS a client may register or publish, in bytes.
pub const MAX_CLIENT_JWKS_BYTES: usize = 64 * 1024;

/// A client's public keys (RFC 7517 §5): a JSON object whose `keys` hold at least one public signing key of a type
/// private_key_jwt can use (RSA, EC, OKP), none with a private member (a client that sends its private key has
/// leaked it). The keys themselves are checked when an assertion is verified.
pub fn parse_client_jwks(raw: &str) -> Result<serde_json::Value, InvalidValue> {
    let refuse = |why: &str| InvalidValue(format!("jwks: {why}"));
    if raw.len() > MAX_CLIENT_JWKS_BYTES {
        return Err(refuse("larger than 64 KiB"));
    }
    let doc: serde_json::Value = serde_json::from_str(raw).map_err(|e| refuse(&format!("not JSON: {e}")))?;
    let keys = doc.get("keys").and_then(|k| k.as_array()).ok_or_else(|| refuse("no \"keys\" array"))?;
    let mut usable = 0;
    for key in keys {
        let Some(key) = key.as_object() else { return Err(refuse("a key is not a JSON object")) };
        if ["d", "p", "q", "dp", "dq", "qi", "k"].iter().any(|m| key.contains_key(*m)) {
            return Err(refuse("a key has a private member: register the public keys only"));
        }
        if key.get("use").is_some_and(|u| u != "sig") {
            continue;
        }
        if matches!(key.get("kty").and_then(|k| k.as_str()), Some("RSA" | "EC" | "OKP")) {
            usable += 1;
        }
    }
    if usable == 0 {
        return Err(refuse("no RSA, EC or OKP signing key"));
    }
    Ok(doc)
}

/// The longest token lifetime a client may be registered with.
pub const MAX_TOKEN_TTL_SECS: i64 = 10 * 365 * 24 * 3600;

#[cfg(test)]
mod tests {
    use super::*;

    fn client(uris: &[&str]) -> Client {
        Client::new(
            ClientId::parse("app").unwrap(),
            "App".into(),
            ClientKind::Confidential,
            uris.iter().map(|u| RedirectUri::parse(u).unwrap()).collect(),
        )
    }

    #[test]
    fn grant_type_lists() {
        assert_eq!(
            GrantType::parse_list("authorization_code, refresh_token client_credentials refresh_token").unwrap(),
            vec![GrantType::AuthorizationCode, GrantType::RefreshToken, GrantType::ClientCredentials]
        );
        assert!(GrantType::parse_list("password").is_err());
        assert!(GrantType::parse_list(" ").is_err());
        assert_eq!(AuthMethod::parse("private_key_jwt").unwrap(), AuthMethod::PrivateKeyJwt);
        assert!(AuthMethod::parse("client_secret_jwt").is_err(), "no shared-secret JWTs");
    }

    #[test]
    fn redirect_uri_matching_is_exact() {
        let c = client(&["https://app.example.com/cb", "http://127.0.0.1:9000/cb"]);
        assert!(c.find_redirect_uri("https://app.example.com/cb").is_some());
        assert!(c.find_redirect_uri("http://127.0.0.1:9000/cb").is_some());
        assert!(c.find_redirect_uri("https://app.example.com/cb/").is_none());
        assert!(c.find_redirect_uri("https://app.example.com/cb?x=1").is_none());
        assert!(c.find_redirect_uri("https://APP.example.com/cb").is_none());
        assert!(c.find_redirect_uri("https://app.example.com/cb#f").is_none());
        assert!(c.find_redirect_uri("https://app.example.com:443/cb").is_none());
        assert!(c.find_redirect_uri("https://app.example.com/").is_none());
        assert!(c.find_redirect_uri("").is_none());
    }

    #[test]
    fn loopback_redirects_may_use_any_port() {
        let c = client(&["http://127.0.0.1:9000/cb", "http://[::1]/cb", "http://localhost:8000/cb"]);
        assert!(c.find_redirect_uri("http://127.0.0.1:51234/cb").is_some());
        assert!(c.find_redirect_uri("http://127.0.0.1/cb").is_some());
        assert!(c.find_redirect_uri("http://[::1]:4000/cb").is_some());
        // Everything but the port still matches exactly.
        assert!(c.find_redirect_uri("http://127.0.0.1:51234/cb/").is_none());
        assert!(c.find_redirect_uri("http://127.0.0.1:51234/cb?x").is_none());
        assert!(c.find_redirect_uri("http://127.0.0.2:9000/cb").is_none());
        assert!(c.find_redirect_uri("https://127.0.0.1:9000/cb").is_none());
        assert!(c.find_redirect_uri("http://127.0.0.1:9000@evil.example/cb").is_none());
        assert!(c.find_redirect_uri("http://127.0.0.1:x/cb").is_none());
        // RFC 8252 §8.3: "localhost" is not a loopback IP literal and keeps exact matching.
        assert!(c.find_redirect_uri("http://localhost:8001/cb").is_none());
    }

    #[test]
    fn registration_rules() {
        assert!(RedirectUri::parse("https://app.example.com/cb").is_ok());
        assert!(RedirectUri::parse("https://app.example.com/cb?tenant=1").is_ok());
        assert!(RedirectUri::parse("http://127.0.0.1:8000/cb").is_ok());
        assert!(RedirectUri::parse("http://[::1]:8000/cb").is_ok());
        assert!(RedirectUri::parse("http://localhost/cb").is_ok());
        assert!(RedirectUri::parse("com.example.app:/oauth2redirect").is_ok());
        assert!(RedirectUri::parse("https://app.example.com/cb#frag").is_err());
        assert!(RedirectUri::parse("https://app.example.com/cb#").is_err());
        assert!(RedirectUri::parse("http://app.example.com/cb").is_err());
        assert!(RedirectUri::parse("javascript:alert(1)").is_err());
        assert!(RedirectUri::parse("myapp:/cb").is_err());
        assert!(RedirectUri::parse("/relative").is_err());
    }

    #[test]
    fn pkce_is_always_required_for_public_clients() {
        let mut c = client(&["https://a.example/cb"]);
        c.pkce = PkcePolicy::Optional;
        assert!(!c.requires_pkce());
        c.kind = ClientKind::Public;
        assert!(c.requires_pkce());
    }

    #[test]
    fn registration_rules_hold_for_every_way_a_client_is_made() {
        let ok = client(&["https://a.example/cb"]);
        assert!(ok.check_registration().is_ok());
        type Edit = fn(&mut Client);
        let broken: [(&str, Edit); 11] = [
            ("public skipping consent", |c| {
                c.kind = ClientKind::Public;
                c.skip_consent = true;
            }),
            ("an OpenID scope in the allowed list", |c| c.scope = Scope::parse("openid").unwrap()),
            ("a grace over a minute", |c| c.refresh_token_reuse_grace_secs = Some(61)),
            ("public with optional PKCE", |c| {
                c.kind = ClientKind::Public;
                c.pkce = PkcePolicy::Optional;
            }),
            ("public with a secret method", |c| {
                c.kind = ClientKind::Public;
                c.auth_method = Some(AuthMethod::ClientSecretBasic);
            }),
            ("public with client_credentials", |c| {
                c.kind = ClientKind::Public;
                c.grant_types.push(GrantType::ClientCredentials);
            }),
            ("confidential without a secret", |c| c.auth_method = Some(AuthMethod::None)),
            ("code flow without a redirect URI", |c| c.redirect_uris.clear()),
            ("refresh without the code flow", |c| c.grant_types = vec![GrantType::RefreshToken]),
            ("a zero lifetime", |c| c.access_token_ttl_secs = Some(0)),
            ("no grant type", |c| c.grant_types.clear()),
        ];
        for (what, edit) in broken {
            let mut c = ok.clone();
            edit(&mut c);
            assert!(c.check_registration().is_err(), "{what} accepted");
        }
        let mut service = ok.clone();
        service.redirect_uris.clear();
        service.grant_types = vec![GrantType::ClientCredentials];
        assert!(service.check_registration().is_ok(), "a service client needs no redirect URI");
    }

    #[test]
    fn client_ids() {
        assert!(ClientId::parse("my-app_1").is_ok());
        assert!(ClientId::parse("").is_err());
        assert!(ClientId::parse("a:b").is_err());
        assert!(ClientId::parse("a b").is_err());
        assert!(ClientId::parse("8a6f1b2e-1d1f-4f8b-9c1d-2f3e4a5b6c7d").is_err(), "the shape of a user's subject");
        assert!(ClientId::parse("8A6F1B2E1D1F4F8B9C1D2F3E4A5B6C7D").is_err());
    }
}
