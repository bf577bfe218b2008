//! Turning requests into protocol values: parameters without repeats, client credentials, bearer tokens.

use actix_web::HttpRequest;
use actix_web::http::header;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::domain::ClientContext;
use crate::error::{ErrorCode, OAuthError};
use crate::oauth::client_auth::{ClientCredentials, JWT_BEARER_ASSERTION};
use crate::oauth::dpop::ProofRequest;
use crate::params::{Params, ParamsError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// Not `application/x-www-form-urlencoded`, bad percent-encoding or not UTF-8.
    Malformed(&'static str),
    Params(ParamsError),
}

impl ExtractError {
    pub fn to_oauth(&self) -> OAuthError {
        match self {
            ExtractError::Malformed(what) => OAuthError::invalid_request(what),
            ExtractError::Params(e) => e.to_oauth(),
        }
    }
}

/// Parses `application/x-www-form-urlencoded` strictly: invalid percent-encoding or UTF-8 is an error rather
/// than silently replaced (the `form_urlencoded` crate decodes lossily, hence this small parser).
pub fn parse_urlencoded(input: &[u8]) -> Result<Params, ExtractError> {
    let mut pairs = Vec::new();
    for piece in input.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match piece.iter().position(|b| *b == b'=') {
            Some(i) => (&piece[..i], &piece[i + 1..]),
            None => (piece, &[][..]),
        };
        pairs.push((decode_component(name)?, decode_component(value)?));
    }
    Params::from_pairs(pairs).map_err(ExtractError::Params)
}

/// The parameters among `names` that occur exactly once and decode cleanly, from an input that failed strict
/// parsing; used only to find out whether an error may be redirected.
pub fn decodable_single_params(input: &[u8], names: &[&str]) -> Params {
    let mut found: Vec<(String, Option<String>)> = Vec::new();
    for piece in input.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match piece.iter().position(|b| *b == b'=') {
            Some(i) => (&piece[..i], &piece[i + 1..]),
            None => (piece, &[][..]),
        };
        let Ok(name) = decode_component(name) else { continue };
        if !names.contains(&name.as_str()) {
            continue;
        }
        let value = decode_component(value).ok().filter(|v| v.len() <= crate::params::MAX_PARAM_LEN);
        match found.iter_mut().find(|(n, _)| *n == name) {
            // Seen twice: unusable.
            Some(entry) => entry.1 = None,
            None => found.push((name, value)),
        }
    }
    let usable: Vec<(String, String)> = found.into_iter().filter_map(|(n, v)| v.map(|v| (n, v))).collect();
    Params::from_pairs(usable).unwrap_or_default()
}

fn decode_component(raw: &[u8]) -> Result<String, ExtractError> {
    let plus_as_space: Vec<u8> = raw.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
    // Reject a '%' not followed by two hex digits instead of passing it through.
    let mut i = 0;
    while i < plus_as_space.len() {
        if plus_as_space[i] == b'%' {
            let ok = plus_as_space.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !ok {
                return Err(ExtractError::Malformed("malformed percent-encoding"));
            }
        }
        i += 1;
    }
    percent_encoding::percent_decode(&plus_as_space)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ExtractError::Malformed("parameters must be UTF-8"))
}

pub fn query_params(req: &HttpRequest) -> Result<Params, ExtractError> {
    parse_urlencoded(req.query_string().as_bytes())
}

/// A form body; RFC 6749 §3.2 requires `application/x-www-form-urlencoded` at the token endpoint.
pub fn form_params(req: &HttpRequest, body: &[u8]) -> Result<Params, ExtractError> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(ExtractError::Malformed("the body must be application/x-www-form-urlencoded"));
    }
    parse_urlencoded(body)
}

/// The value of an `Authorization` header with the given scheme (case-insensitive, RFC 7235 §2.1).
fn authorization<'a>(req: &'a HttpRequest, scheme: &str) -> Option<Result<&'a str, ()>> {
    let value = req.headers().get(header::AUTHORIZATION)?;
    let Ok(value) = value.to_str() else { return Some(Err(())) };
    let (got, rest) = value.split_once(' ').unwrap_or((value, ""));
    got.eq_ignore_ascii_case(scheme).then(|| Ok(rest.trim()))
}

/// RFC 9449 §4.1: the values of the request's `DPoP` headers (each one is a proof; more than one is refused by the
/// core), and what the proof must name: the method and the endpoint's URL under the issuer.
pub fn dpop_proof(req: &HttpRequest, method: &'static str, url: String) -> ProofRequest {
    let proofs =
        req.headers().get_all("dpop").map(|v| v.to_str().map(str::to_owned).unwrap_or_default()).collect::<Vec<_>>();
    ProofRequest { proofs, method, url }
}

/// RFC 9449 §7.1: the access token of `Authorization: DPoP <token>`; `Some(None)` when the header is malformed.
pub fn dpop_token(req: &HttpRequest) -> Option<Option<String>> {
    authorization(req, "DPoP").map(|value| match value {
        Ok(token) if !token.is_empty() && !token.contains(' ') => Some(token.to_owned()),
        _ => None,
    })
}

/// RFC 6749 §2.3.1: Basic credentials or `client_id`/`client_secret` in the body, never both (§2.3: "MUST NOT
/// use more than one authentication method in each request"); only `client_id` for a public client.
pub fn client_credentials(req: &HttpRequest, params: &Params) -> Result<ClientCredentials, OAuthError> {
    let body_id = params.get("client_id");
    let body_secret = params.get("client_secret");
    // RFC 7521 §4.2 / RFC 7523 §2.2: a JWT client assertion, alone.
    let assertion_type = params.get("client_assertion_type");
    let assertion = params.get("client_assertion");
    if assertion_type.is_some() || assertion.is_some() {
        if authorization(req, "Basic").is_some() || body_secret.is_some() {
            return Err(OAuthError::invalid_request("use one client authentication method, not two"));
        }
        return match (assertion_type, assertion) {
            (Some(JWT_BEARER_ASSERTION), Some(assertion)) => ClientCredentials::assertion(assertion, body_id),
            (Some(JWT_BEARER_ASSERTION), None) => Err(OAuthError::invalid_request("client_assertion is missing")),
            (None, _) => Err(OAuthError::invalid_request("client_assertion_type is missing")),
            // RFC 7521 §4.2.1: an assertion type the server does not support.
            (Some(_), _) => Err(OAuthError::new(ErrorCode::InvalidClient, "client authentication failed")
                .with_detail("unsupported client_assertion_type")),
        };
    }
    if let Some(basic) = authorization(req, "Basic") {
        let basic = basic.map_err(|_| malformed_basic())?;
        if body_secret.is_some() {
            return Err(OAuthError::invalid_request("use one client authentication method, not two"));
        }
        let decoded = STANDARD.decode(basic).map_err(|_| malformed_basic())?;
        let decoded = String::from_utf8(decoded).map_err(|_| malformed_basic())?;
        let (id, secret) = decoded.split_once(':').ok_or_else(malformed_basic)?;
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before being put in the header.
        let client_id = decode_component(id.as_bytes()).map_err(|_| malformed_basic())?;
        let secret = decode_component(secret.as_bytes()).map_err(|_| malformed_basic())?;
        if body_id.is_some_and(|b| b != client_id) {
            return Err(OAuthError::invalid_request("client_id differs from the authenticated client"));
        }
        return Ok(ClientCredentials::Basic { client_id, secret });
    }
    match (body_id, body_secret) {
        (Some(id), Some(secret)) => Ok(ClientCredentials::Post { client_id: id.to_owned(), secret: secret.to_owned() }),
        (Some(id), None) => Ok(ClientCredentials::None { client_id: id.to_owned() }),
        (None, _) => Err(OAuthError::new(ErrorCode::InvalidClient, "client authentication failed")
            .with_detail("no client credentials")),
    }
}

fn malformed_basic() -> OAuthError {
    OAuthError::new(ErrorCode::InvalidClient, "client authentication failed").with_detail("malformed Basic header")
}

/// Where the bearer token came from (RFC 6750 §2.1 header, §2.2 form body).
pub enum BearerToken {
    Present(String),
    Missing,
    /// Sent by two methods at once (RFC 6750 §2: "MUST NOT use more than one method").
    Ambiguous,
    /// `Bearer` with no token, several tokens, or a header that is not visible ASCII.
    Malformed,
}

pub fn bearer_token(req: &HttpRequest, form: Option<&Params>) -> BearerToken {
    let header = authorization(req, "Bearer");
    let body = form.and_then(|p| p.get("access_token"));
    match (header, body) {
        (Some(_), Some(_)) => BearerToken::Ambiguous,
        (Some(Ok(token)), None) if !token.is_empty() && !token.contains(' ') => BearerToken::Present(token.to_owned()),
        (Some(_), None) => BearerToken::Malformed,
        (None, Some(token)) => BearerToken::Present(token.to_owned()),
        // Another scheme (Basic, ...) carries no bearer credentials (RFC 6750 §3.1 "unsupported authentication
        // method"): the same answer as no header at all.
        (None, None) => BearerToken::Missing,
    }
}

/// The address failures are counted against: the peer, or, when `trust_forwarded` says a proxy in front sets it,
/// the last `X-Forwarded-For` entry (the one that proxy appended; earlier entries come from the client and could
/// be anything).
pub fn source_address(req: &HttpRequest, trust_forwarded: bool) -> String {
    let forwarded = trust_forwarded
        .then(|| req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|list| list.rsplit(',').next())
        .map(|last| last.trim().to_owned())
        .filter(|last| !last.is_empty());
    let raw = forwarded.or_else(|| req.peer_addr().map(|a| a.ip().to_string())).unwrap_or_else(|| "unknown".into());
    raw.parse::<std::net::SocketAddr>().map(|a| a.ip().to_string()).unwrap_or(raw)
}

/// The request's User-Agent and source address (as [`source_address`]: forwarded headers only when trusted), the
/// one value the core records on a browser session it opens.
pub fn client_context(req: &HttpRequest, trust_forwarded: bool) -> ClientContext {
    let user_agent = req.headers().get(header::USER_AGENT).map(|v| String::from_utf8_lossy(v.as_bytes()));
    ClientContext::new(user_agent.as_deref().unwrap_or(""), &source_address(req, trust_forwarded))
}

/// A cookie's value, if the browser sent it.
pub fn cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.cookie(name).map(|c| c.value().to_owned()).filter(|v| !v.is_empty() && v.len() <= 256)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn strict_form_parsing() {
        let p = parse_urlencoded(b"a=1&b=x+y%20z&c=%C3%A9&d").unwrap();
        assert_eq!(p.get("a"), Some("1"));
        assert_eq!(p.get("b"), Some("x y z"));
        assert_eq!(p.get("c"), Some("é"));
        assert_eq!(p.get("d"), None);
        assert!(matches!(parse_urlencoded(b"a=%ZZ"), Err(ExtractError::Malformed(_))));
        assert!(matches!(parse_urlencoded(b"a=%C3"), Err(ExtractError::Malformed(_))));
        assert!(matches!(parse_urlencoded(b"a=%"), Err(ExtractError::Malformed(_))));
        assert!(matches!(parse_urlencoded(b"a=1&a=2"), Err(ExtractError::Params(ParamsError::Repeated(_)))));
    }

    #[test]
    fn single_clean_parameters_survive_a_failed_parse() {
        let p = decodable_single_params(
            b"client_id=app&state=%ZZ&redirect_uri=https%3A%2F%2Fa%2Fcb&nonce=1&nonce=2",
            &["client_id", "redirect_uri", "state"],
        );
        assert_eq!(p.get("client_id"), Some("app"));
        assert_eq!(p.get("redirect_uri"), Some("https://a/cb"));
        assert_eq!(p.get("state"), None, "undecodable");
        let twice = decodable_single_params(b"client_id=a&client_id=b&redirect_uri=x", &["client_id", "redirect_uri"]);
        assert_eq!(twice.get("client_id"), None, "repeated");
        assert_eq!(twice.get("redirect_uri"), Some("x"));
    }

    #[test]
    fn only_the_last_forwarded_address_is_trusted() {
        let req = TestRequest::default()
            .insert_header(("x-forwarded-for", "6.6.6.6, 203.0.113.7"))
            .peer_addr("10.0.0.2:4000".parse().unwrap())
            .to_http_request();
        assert_eq!(source_address(&req, true), "203.0.113.7");
        assert_eq!(source_address(&req, false), "10.0.0.2");
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let header = format!("Basic {}", STANDARD.encode("my%20app:s%3Acret"));
        let req = TestRequest::default().insert_header((header::AUTHORIZATION, header)).to_http_request();
        let creds = client_credentials(&req, &Params::default()).unwrap();
        assert_eq!(creds, ClientCredentials::Basic { client_id: "my app".into(), secret: "s:cret".into() });
    }

    #[test]
    fn two_authentication_methods_are_refused() {
        let header = format!("Basic {}", STANDARD.encode("app:secret"));
        let req = TestRequest::default().insert_header((header::AUTHORIZATION, header)).to_http_request();
        let params = Params::from_pairs([("client_secret", "secret")]).unwrap();
        assert_eq!(client_credentials(&req, &params).unwrap_err().code, ErrorCode::InvalidRequest);
    }

    #[test]
    fn body_credentials() {
        let req = TestRequest::default().to_http_request();
        let post = Params::from_pairs([("client_id", "app"), ("client_secret", "s")]).unwrap();
        assert!(matches!(client_credentials(&req, &post).unwrap(), ClientCredentials::Post { .. }));
        let public = Params::from_pairs([("client_id", "app")]).unwrap();
        assert!(matches!(client_credentials(&req, &public).unwrap(), ClientCredentials::None { .. }));
        assert_eq!(client_credentials(&req, &Params::default()).unwrap_err().code, ErrorCode::InvalidClient);
    }
}
