//! The discovery document: OpenID Connect Discovery 1.0 §3 and RFC 8414 §2. Lists what is supported and
//! nothing that is not.

use openidconnect::LanguageTag;

use crate::i18n::supported_locales;
use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm, CoreResponseMode,
    CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, AuthUrl, AuthenticationContextClass, IssuerUrl, JsonWebKeySetUrl, ProviderMetadata,
    ResponseTypes, Scope, TokenUrl, UserInfoUrl,
};
use serde::{Deserialize, Serialize};

use crate::domain::ACR_VALUES;
use crate::domain::scope::{supported_claims, supported_scopes};
use crate::domain::{DEVICE_CODE, SigningAlg, SigningAlgs, TOKEN_EXCHANGE};

/// Fields of RFC 8414 and RFC 9207 that the OpenID Connect metadata type does not have.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OAuthServerMetadata {
    /// RFC 8414 §2 / RFC 7636 §6.2
    pub code_challenge_methods_supported: Vec<String>,
    /// RFC 9207 §3
    pub authorization_response_iss_parameter_supported: bool,
    /// RFC 8414 §2 (RFC 7009)
    pub revocation_endpoint: String,
    pub revocation_endpoint_auth_methods_supported: Vec<String>,
    /// RFC 8414 §2 (RFC 7662); public clients cannot introspect.
    pub introspection_endpoint: String,
    pub introspection_endpoint_auth_methods_supported: Vec<String>,
    /// RP-Initiated Logout 1.0 §2.1
    pub end_session_endpoint: String,
    /// Back-Channel Logout 1.0 §2.1
    pub backchannel_logout_supported: bool,
    pub backchannel_logout_session_supported: bool,
    /// RFC 8414 §2: the algorithms of private_key_jwt client assertions at the revocation and introspection
    /// endpoints (the token endpoint's list is a field of the OpenID Connect metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    /// RFC 9126 §5: only when PAR is on (`pushed_authorization_requests`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_authorization_request_endpoint: Option<String>,
    /// RFC 9126 §5: only when the server requires PAR of every client (absent means false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_pushed_authorization_requests: bool,
    /// RFC 8414 §2 / RFC 7591 §3: only when registration is not off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_endpoint: Option<String>,
    /// RFC 8628 §4: only when the device flow is on (`device_authorization`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_authorization_endpoint: Option<String>,
    /// RFC 9449 §5.1: only when DPoP is on (`dpop`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
}

impl AdditionalProviderMetadata for OAuthServerMetadata {}

pub type DiscoveryDocument = ProviderMetadata<
    OAuthServerMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The endpoint paths; the issuer URL is prefixed to each.
pub const AUTHORIZATION_PATH: &str = "/oauth/authorize";
pub const TOKEN_PATH: &str = "/oauth/token";
pub const USERINFO_PATH: &str = "/userinfo";
pub const REVOCATION_PATH: &str = "/oauth/revoke";
pub const INTROSPECTION_PATH: &str = "/oauth/introspect";
pub const END_SESSION_PATH: &str = "/oauth/logout";
pub const JWKS_PATH: &str = "/.well-known/jwks.json";
pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";
/// RFC 9126 §2: the pushed authorization request endpoint.
pub const PAR_PATH: &str = "/oauth/par";
/// RFC 7591 §3: the client registration endpoint; RFC 7592's registration client URIs are below it.
pub const REGISTRATION_PATH: &str = "/oauth/register";
/// RFC 8628 §3.1: the device authorization endpoint.
pub const DEVICE_AUTHORIZATION_PATH: &str = "/oauth/device_authorization";
/// RFC 8628 §3.2 `verification_uri`: the page where the person enters the user code.
pub const DEVICE_PATH: &str = "/device";

#[derive(Debug, thiserror::Error)]
#[error("issuer URL: {0}")]
pub struct MetadataError(String);

fn url<T>(
    issuer: &str,
    path: &str,
    make: impl FnOnce(String) -> Result<T, url::ParseError>,
) -> Result<T, MetadataError> {
    make(format!("{issuer}{path}")).map_err(|e| MetadataError(e.to_string()))
}

/// What the server has switched on, for discovery to list exactly that (issue 13: each feature is advertised when it
/// is enabled, and only then).
#[derive(Debug, Clone, Copy)]
pub struct Features {
    /// `signing_algs`.
    pub signing_algs: SigningAlgs,
    /// RFC 9126 §5, server-wide.
    pub require_pushed_authorization_requests: bool,
    /// RFC 7591: the registration endpoint is on (`registration` is not off).
    pub registration: bool,
    /// RFC 9449: DPoP proofs are accepted (`dpop`).
    pub dpop: bool,
    /// RFC 8628 (`device_authorization`).
    pub device_authorization: bool,
    /// RFC 9126 (`pushed_authorization_requests`).
    pub pushed_authorization_requests: bool,
    /// RFC 7523 client assertions (`private_key_jwt`).
    pub private_key_jwt: bool,
    /// RFC 8693 (`token_exchange`).
    pub token_exchange: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            signing_algs: SigningAlgs::rs256_only(),
            require_pushed_authorization_requests: false,
            registration: false,
            dpop: true,
            device_authorization: true,
            pushed_authorization_requests: true,
            private_key_jwt: true,
            token_exchange: true,
        }
    }
}

/// The algorithms a client assertion (private_key_jwt) may be signed with, whatever the server signs with.
const ASSERTION_ALGS: [&str; 4] = ["RS256", "PS256", "ES256", "EdDSA"];

/// RFC 9449 §5.1 `dpop_signing_alg_values_supported`: the algorithms a DPoP proof may be signed with (asymmetric
/// only, the ones Tessera verifies elsewhere too).
pub const DPOP_ALG_NAMES: [&str; 4] = ASSERTION_ALGS;

fn jws_alg(alg: SigningAlg) -> CoreJwsSigningAlgorithm {
    match alg {
        SigningAlg::RS256 => CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        SigningAlg::PS256 => CoreJwsSigningAlgorithm::RsaSsaPssSha256,
        SigningAlg::ES256 => CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        SigningAlg::EdDSA => CoreJwsSigningAlgorithm::EdDsa,
    }
}

pub fn discovery_document(issuer: &str) -> Result<DiscoveryDocument, MetadataError> {
    discovery_document_for(issuer, Features::default())
}

/// The client authentication methods, with private_key_jwt when it is on.
fn with_private_key_jwt(mut methods: Vec<String>, features: Features) -> Vec<String> {
    if features.private_key_jwt {
        methods.push("private_key_jwt".into());
    }
    methods
}

pub fn discovery_document_for(issuer: &str, features: Features) -> Result<DiscoveryDocument, MetadataError> {
    let assertion_algs = features.private_key_jwt.then(|| ASSERTION_ALGS.map(str::to_owned).to_vec());
    let mut grant_types =
        vec![CoreGrantType::AuthorizationCode, CoreGrantType::RefreshToken, CoreGrantType::ClientCredentials];
    // RFC 8693, for the clients registered for it, when it is on.
    if features.token_exchange {
        grant_types.push(CoreGrantType::Extension(TOKEN_EXCHANGE.to_owned()));
    }
    // RFC 8628 §4, for the clients registered for it, when it is on.
    if features.device_authorization {
        grant_types.push(CoreGrantType::Extension(DEVICE_CODE.to_owned()));
    }
    let mut auth_methods = vec![
        CoreClientAuthMethod::ClientSecretBasic,
        CoreClientAuthMethod::ClientSecretPost,
        CoreClientAuthMethod::None,
    ];
    if features.private_key_jwt {
        auth_methods.push(CoreClientAuthMethod::PrivateKeyJwt);
    }
    let metadata = DiscoveryDocument::new(
        IssuerUrl::new(issuer.to_owned()).map_err(|e| MetadataError(e.to_string()))?,
        url(issuer, AUTHORIZATION_PATH, AuthUrl::new)?,
        url(issuer, JWKS_PATH, JsonWebKeySetUrl::new)?,
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        // Discovery §3: the algorithms ID tokens may be signed with (a client picks one with
        // id_token_signed_response_alg), the default first.
        features.signing_algs.iter().map(jws_alg).collect(),
        OAuthServerMetadata {
            code_challenge_methods_supported: vec!["S256".into()],
            authorization_response_iss_parameter_supported: true,
            revocation_endpoint: format!("{issuer}{REVOCATION_PATH}"),
            revocation_endpoint_auth_methods_supported: with_private_key_jwt(
                vec!["client_secret_basic".into(), "client_secret_post".into(), "none".into()],
                features,
            ),
            introspection_endpoint: format!("{issuer}{INTROSPECTION_PATH}"),
            introspection_endpoint_auth_methods_supported: with_private_key_jwt(
                vec!["client_secret_basic".into(), "client_secret_post".into()],
                features,
            ),
            end_session_endpoint: format!("{issuer}{END_SESSION_PATH}"),
            backchannel_logout_supported: true,
            backchannel_logout_session_supported: true,
            revocation_endpoint_auth_signing_alg_values_supported: assertion_algs.clone(),
            introspection_endpoint_auth_signing_alg_values_supported: assertion_algs,
            pushed_authorization_request_endpoint: features
                .pushed_authorization_requests
                .then(|| format!("{issuer}{PAR_PATH}")),
            require_pushed_authorization_requests: features.require_pushed_authorization_requests,
            registration_endpoint: features.registration.then(|| format!("{issuer}{REGISTRATION_PATH}")),
            device_authorization_endpoint: features
                .device_authorization
                .then(|| format!("{issuer}{DEVICE_AUTHORIZATION_PATH}")),
            dpop_signing_alg_values_supported: features.dpop.then(|| DPOP_ALG_NAMES.map(str::to_owned).to_vec()),
        },
    )
    .set_token_endpoint(Some(url(issuer, TOKEN_PATH, TokenUrl::new)?))
    .set_userinfo_endpoint(Some(url(issuer, USERINFO_PATH, UserInfoUrl::new)?))
    .set_scopes_supported(Some(supported_scopes().map(|s| Scope::new(s.to_owned())).collect()))
    .set_response_modes_supported(Some(vec![CoreResponseMode::Query, CoreResponseMode::FormPost]))
    .set_grant_types_supported(Some(grant_types))
    .set_token_endpoint_auth_methods_supported(Some(auth_methods))
    // OpenID Connect Discovery §3: the algorithms of private_key_jwt assertions (asymmetric only; never `none`).
    .set_token_endpoint_auth_signing_alg_values_supported(
        features.private_key_jwt.then(|| SigningAlg::ALL.into_iter().map(jws_alg).collect()),
    )
    .set_claims_supported(Some(supported_claims().into_iter().map(|c| CoreClaimName::new(c.to_owned())).collect()))
    .set_claim_types_supported(Some(vec![CoreClaimType::Normal]))
    // Discovery §3: request_uri_parameter_supported defaults to true when omitted, so say false explicitly.
    .set_request_parameter_supported(Some(false))
    .set_request_uri_parameter_supported(Some(false))
    // OpenID Connect Core §5.5.
    .set_claims_parameter_supported(Some(true))
    // Discovery §3: the languages of the pages (`ui_locales`, OpenID Connect Core §3.1.2.1).
    .set_ui_locales_supported(Some(supported_locales().map(|tag| LanguageTag::new(tag.to_owned())).collect()))
    // Discovery §3 acr_values_supported: the levels ID tokens carry in `acr` (the request's `acr_values`, OpenID
    // Connect Core §3.1.2.1); `acr` and `amr` (RFC 8176) are in every ID token, so they are in claims_supported.
    .set_acr_values_supported(Some(
        ACR_VALUES.iter().map(|acr| AuthenticationContextClass::new((*acr).to_owned())).collect(),
    ));
    let mut claims = metadata.claims_supported().cloned().unwrap_or_default();
    claims.extend(["acr", "amr"].map(|c| CoreClaimName::new(c.to_owned())));
    let metadata = metadata.set_claims_supported(Some(claims));
    Ok(metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_has_every_required_field() {
        let doc = serde_json::to_value(discovery_document("https://id.example").unwrap()).unwrap();
        assert_eq!(doc["issuer"], "https://id.example");
        assert_eq!(doc["authorization_endpoint"], "https://id.example/oauth/authorize");
        assert_eq!(doc["token_endpoint"], "https://id.example/oauth/token");
        assert_eq!(doc["userinfo_endpoint"], "https://id.example/userinfo");
        assert_eq!(doc["jwks_uri"], "https://id.example/.well-known/jwks.json");
        assert_eq!(doc["response_types_supported"], serde_json::json!(["code"]));
        assert_eq!(doc["response_modes_supported"], serde_json::json!(["query", "form_post"]));
        assert_eq!(
            doc["grant_types_supported"],
            serde_json::json!([
                "authorization_code",
                "refresh_token",
                "client_credentials",
                TOKEN_EXCHANGE,
                DEVICE_CODE
            ])
        );
        assert_eq!(doc["device_authorization_endpoint"], "https://id.example/oauth/device_authorization");
        assert_eq!(doc["subject_types_supported"], serde_json::json!(["public"]));
        assert_eq!(doc["id_token_signing_alg_values_supported"], serde_json::json!(["RS256"]));
        assert_eq!(
            doc["token_endpoint_auth_methods_supported"],
            serde_json::json!(["client_secret_basic", "client_secret_post", "none", "private_key_jwt"])
        );
        assert_eq!(doc["code_challenge_methods_supported"], serde_json::json!(["S256"]));
        assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
        assert_eq!(
            doc["scopes_supported"],
            serde_json::json!(["openid", "profile", "email", "address", "phone", "offline_access", "groups"])
        );
        assert_eq!(doc["request_uri_parameter_supported"], false);
        assert_eq!(doc["claims_parameter_supported"], true);
        assert_eq!(doc["revocation_endpoint"], "https://id.example/oauth/revoke");
        assert_eq!(doc["introspection_endpoint"], "https://id.example/oauth/introspect");
        assert_eq!(doc["end_session_endpoint"], "https://id.example/oauth/logout");
        assert_eq!(doc["backchannel_logout_supported"], true);
        let claims: Vec<&str> =
            doc["claims_supported"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        for claim in
            ["sub", "email", "email_verified", "given_name", "birthdate", "updated_at", "address", "phone_number"]
        {
            assert!(claims.contains(&claim), "{claim} missing from {claims:?}");
        }
    }
}
