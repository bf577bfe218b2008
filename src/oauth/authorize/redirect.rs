//! Phase 1 of the authorization endpoint: `client_id` and `redirect_uri`. Only [`verify_client_and_redirect`] can
//! build a [`VerifiedRedirect`]; until one exists, errors are shown on our own page and never redirected
//! (RFC 6749 §4.1.2.1: "the authorization server SHOULD inform the resource owner of the error and MUST NOT
//! automatically redirect"). Afterwards every response, error or code, travels through it with `state` and `iss`
//! (RFC 9207) in the requested response mode.

use url::Url;

use crate::domain::{AuthorizationRequest, Client, ResponseMode};
use crate::error::{Failure, OAuthError, WireError};
use crate::params::Params;
use crate::storage::ClientStore;

/// An authorization response (or error) for the browser to carry to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizationResponse {
    /// Redirect to this URL.
    Redirect(String),
    /// Auto-submit these fields to `action` with POST.
    FormPost { action: String, fields: Vec<(String, String)> },
}

/// A redirect URI that exactly matches one registered for the client, with the request's `state` and response
/// mode. Constructed only by phase 1 (or from a request that passed it), so an error can never be sent elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRedirect {
    uri: String,
    state: Option<String>,
    mode: ResponseMode,
}

impl VerifiedRedirect {
    /// The response carrying `params`, `state` and `iss` (RFC 9207 §2). In query mode the registered URI keeps its
    /// own query (RFC 6749 §4.1.2: "retain any existing query component").
    pub fn respond(&self, issuer: &str, params: &[(&str, &str)]) -> AuthorizationResponse {
        let mut fields: Vec<(String, String)> =
            params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        if let Some(state) = &self.state {
            fields.push(("state".into(), state.clone()));
        }
        fields.push(("iss".into(), issuer.to_owned()));
        match self.mode {
            ResponseMode::FormPost => AuthorizationResponse::FormPost { action: self.uri.clone(), fields },
            ResponseMode::Query => {
                let Ok(mut url) = Url::parse(&self.uri) else {
                    // Unreachable for a URI that passed registration; fall back to the bare URI rather than panic.
                    return AuthorizationResponse::Redirect(self.uri.clone());
                };
                url.query_pairs_mut().extend_pairs(&fields);
                AuthorizationResponse::Redirect(url.to_string())
            }
        }
    }

    /// An error response (RFC 6749 §4.1.2.1), from the one wire form of the failure.
    pub fn error(&self, issuer: &str, error: &WireError) -> AuthorizationResponse {
        self.respond(issuer, &[("error", error.code.as_str()), ("error_description", error.description)])
    }

    /// The redirect of a request that went through phase 1 when it was first received.
    pub fn of_request(request: &AuthorizationRequest) -> VerifiedRedirect {
        VerifiedRedirect {
            uri: request.redirect_uri.clone(),
            state: request.state.clone(),
            mode: request.response_mode,
        }
    }

    pub fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }

    pub fn mode(&self) -> ResponseMode {
        self.mode
    }

    pub fn uri(&self) -> &str {
        &self.uri
    }
}

/// Phase 1: the client exists and `redirect_uri` is one of its registered URIs, compared as exact strings.
/// OpenID Connect Core §3.1.2.1 makes `redirect_uri` required.
pub fn verify_client_and_redirect(
    store: &impl ClientStore,
    params: &Params,
) -> Result<(Client, VerifiedRedirect), Failure> {
    let client_id = params.required("client_id", "client_id is missing")?;
    let record = store
        .find_client(client_id)?
        .ok_or_else(|| OAuthError::invalid_request("unknown client").with_detail(format!("client_id {client_id:?}")))?;
    let requested = params.required("redirect_uri", "redirect_uri is missing")?;
    if record.client.find_redirect_uri(requested).is_none() {
        // The audit line names what was tried (a redirect URI is no secret): the operator sees the typo or the
        // attack at once. Bounded and printed with Debug, so it cannot forge log lines.
        let tried: String = requested.chars().take(300).collect();
        return Err(OAuthError::invalid_request("redirect_uri is not registered for this client")
            .with_detail(format!("client_id {client_id:?}: unregistered redirect_uri {tried:?}"))
            .into());
    }
    // The response goes to the requested URI, which matched a registered one exactly (or, for a loopback one, on
    // every part but the port). An unknown response_mode falls back to query, where check_response_mode reports it.
    let mode =
        if params.get("response_mode") == Some("form_post") { ResponseMode::FormPost } else { ResponseMode::Query };
    let verified = VerifiedRedirect { uri: requested.to_owned(), state: params.get("state").map(str::to_owned), mode };
    Ok((record.client, verified))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect() -> VerifiedRedirect {
        VerifiedRedirect {
            uri: "https://app.example/cb?x=1".into(),
            state: Some("s t&".into()),
            mode: ResponseMode::Query,
        }
    }

    #[test]
    fn locations_keep_the_registered_query_and_carry_state_and_iss() {
        let loc = redirect().respond("https://id.example", &[("code", "abc")]);
        assert_eq!(
            loc,
            AuthorizationResponse::Redirect(
                "https://app.example/cb?x=1&code=abc&state=s+t%26&iss=https%3A%2F%2Fid.example".into()
            )
        );
        let form = VerifiedRedirect { mode: ResponseMode::FormPost, ..redirect() }
            .respond("https://id.example", &[("code", "abc")]);
        assert_eq!(
            form,
            AuthorizationResponse::FormPost {
                action: "https://app.example/cb?x=1".into(),
                fields: vec![
                    ("code".into(), "abc".into()),
                    ("state".into(), "s t&".into()),
                    ("iss".into(), "https://id.example".into())
                ],
            }
        );
    }
}
