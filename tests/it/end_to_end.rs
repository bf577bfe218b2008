//! The whole flow with the `openidconnect` crate as the relying party, through real HTTP: discovery, an
//! authorization URL with PKCE and nonce, the login and consent pages, the code exchange (client_secret_basic
//! and client_secret_post), ID token verification (signature via JWKS, nonce, at_hash), userinfo and refresh.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims};
use openidconnect::{
    AccessTokenHash, AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};

use crate::helpers::relying_party_http;
use crate::helpers::{ClientOptions, TestApp, browser, query_param, sign_in, spawn_app};

pub struct Signed {
    pub access_token: String,
    pub refresh_token: String,
}

/// Runs the flow for one client and authentication method; returns the tokens.
pub async fn sign_in_with_openidconnect(app: &TestApp, client_id: &str, auth_type: AuthType, public: bool) -> Signed {
    let http = relying_party_http();
    let metadata = CoreProviderMetadata::discover_async(IssuerUrl::new(app.base.clone()).unwrap(), &http)
        .await
        .expect("discovery");
    let registered = app.add_client(client_id, ClientOptions { public, ..ClientOptions::default() });
    let secret = registered.secret.clone().map(ClientSecret::new);
    let client = CoreClient::from_provider_metadata(metadata, ClientId::new(registered.id.clone()), secret)
        .set_redirect_uri(RedirectUrl::new(registered.redirect_uri.clone()).unwrap())
        .set_auth_type(auth_type);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();

    let redirect = sign_in(&browser(), app, auth_url.as_str(), "alice").await;
    assert!(redirect.starts_with(&registered.redirect_uri), "{redirect}");
    assert_eq!(query_param(&redirect, "state").as_deref(), Some(csrf.secret().as_str()));
    assert_eq!(query_param(&redirect, "iss").as_deref(), Some(app.base.as_str()), "RFC 9207 iss");
    let code = query_param(&redirect, "code").expect("code");
    assert!(code.len() >= 22, "at least 128 bits");

    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint known")
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token");
    let verifier = client.id_token_verifier();
    let claims = id_token.claims(&verifier, &nonce).expect("ID token verifies: signature, iss, aud, exp, nonce");
    // at_hash binds the access token to the ID token (OpenID Connect Core §3.1.3.8).
    let expected_hash = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().expect("alg"),
        id_token.signing_key(&verifier).expect("key"),
    )
    .expect("hash");
    assert_eq!(claims.access_token_hash(), Some(&expected_hash));
    assert_eq!(claims.authorized_party().map(|a| a.as_str()), Some(client_id));
    assert!(claims.auth_time().is_some());
    assert_eq!(claims.email().map(|e| e.as_str()), Some("alice@example.com"));
    assert_ne!(claims.subject().as_str(), "alice", "the subject is never the username");
    assert_eq!(tokens.token_type().as_ref(), "bearer");

    let userinfo: CoreUserInfoClaims = client
        .user_info(tokens.access_token().clone(), None)
        .expect("userinfo endpoint known")
        .request_async(&http)
        .await
        .expect("userinfo");
    assert_eq!(userinfo.subject(), claims.subject());
    assert_eq!(userinfo.email().map(|e| e.as_str()), Some("alice@example.com"));
    assert_eq!(userinfo.preferred_username().map(|u| u.as_str()), Some("alice"));

    let refresh_token = tokens.refresh_token().expect("a refresh token").clone();
    let refreshed = client
        .exchange_refresh_token(&refresh_token)
        .expect("token endpoint known")
        .request_async(&http)
        .await
        .expect("refresh");
    let new_refresh = refreshed.refresh_token().expect("rotated refresh token").clone();
    assert_ne!(new_refresh.secret(), refresh_token.secret(), "rotated on use");
    // The old refresh token stops working.
    let replay = client.exchange_refresh_token(&refresh_token).expect("token endpoint").request_async(&http).await;
    assert!(replay.is_err(), "a rotated refresh token must be refused");

    Signed { access_token: tokens.access_token().secret().clone(), refresh_token: new_refresh.secret().clone() }
}

/// oidcc-ensure-request-with-valid-pkce-succeeds: the whole flow with PKCE S256.
#[actix_web::test]
async fn confidential_client_with_client_secret_basic() {
    let app = spawn_app().await;
    app.add_user("alice");
    sign_in_with_openidconnect(&app, "basic-app", AuthType::BasicAuth, false).await;
}

/// oidcc-server-client-secret-post: the whole flow with the client authenticating by client_secret_post.
#[actix_web::test]
async fn confidential_client_with_client_secret_post() {
    let app = spawn_app().await;
    app.add_user("alice");
    sign_in_with_openidconnect(&app, "post-app", AuthType::RequestBody, false).await;
}

#[actix_web::test]
async fn public_client_with_pkce_and_no_secret() {
    let app = spawn_app().await;
    app.add_user("alice");
    sign_in_with_openidconnect(&app, "native-app", AuthType::RequestBody, true).await;
}
