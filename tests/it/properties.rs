//! Property tests: arbitrary input to the request parsers and the token verification path never panics, and
//! never yields a 5xx through HTTP.

use proptest::prelude::*;
use tessera::domain::{Client, ClientId, ClientKind, RedirectUri};
use tessera::http::extract::parse_urlencoded;
use tessera::oauth::authorize::{validate_request, verify_client_and_redirect};
use tessera::oauth::pkce::{parse_challenge, verify};
use tessera::oauth::token::TokenRequest;
use tessera::params::Params;
use tessera::storage::{ClientRecord, ClientStore, StorageResult};

use crate::helpers::{ClientOptions, spawn_app};

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn form_parsing_never_panics(input in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_urlencoded(&input);
    }

    #[test]
    fn form_parsing_round_trips_single_pairs(name in "[a-z_]{1,20}", value in "\\PC{0,64}") {
        let encoded: String = url::form_urlencoded::Serializer::new(String::new()).append_pair(&name, &value).finish();
        let params = parse_urlencoded(encoded.as_bytes()).unwrap();
        prop_assert_eq!(params.get(&name), if value.is_empty() { None } else { Some(value.as_str()) });
    }

    #[test]
    fn token_and_pkce_parsing_never_panic(
        pairs in proptest::collection::vec(("(grant_type|code|redirect_uri|code_verifier|refresh_token|scope|x)", "\\PC{0,40}"), 0..8),
        challenge in "\\PC{0,60}",
        verifier in "\\PC{0,130}",
    ) {
        if let Ok(params) = Params::from_pairs(pairs) {
            let _ = TokenRequest::parse(&params);
        }
        if let Ok(Some(c)) = parse_challenge(Some(&challenge), Some("S256")) {
            let _ = verify(&c, &verifier);
        }
    }

    #[test]
    fn authorization_request_validation_never_panics(
        pairs in proptest::collection::vec(
            ("(response_type|scope|code_challenge|code_challenge_method|prompt|max_age|nonce|state|request|response_mode)", "\\PC{0,50}"),
            0..10,
        ),
    ) {
        let mut all = vec![("client_id".to_owned(), "app".to_owned()), ("redirect_uri".to_owned(), "https://app.example/cb".to_owned())];
        all.extend(pairs);
        if let Ok(params) = Params::from_pairs(all) {
            let (client, redirect) = verify_client_and_redirect(&OneClient, &params).expect("phase 1");
            let _ = validate_request(&client, &redirect, &params, &[]);
        }
    }
}

/// A client store holding one public client, `app`.
struct OneClient;

impl ClientStore for OneClient {
    fn find_client(&self, id: &str) -> StorageResult<Option<ClientRecord>> {
        let client = Client::new(
            ClientId::parse("app").unwrap(),
            "App".into(),
            ClientKind::Public,
            vec![RedirectUri::parse("https://app.example/cb").unwrap()],
        );
        Ok((id == "app").then_some(ClientRecord { client, secret_hash: None, previous_secret: None }))
    }
    fn register_client(&self, _: &Client, _: Option<&str>, _: i64) -> StorageResult<()> {
        Ok(())
    }
    fn update_client(&self, _: &Client) -> StorageResult<bool> {
        Ok(false)
    }
    fn list_clients(&self) -> StorageResult<Vec<ClientRecord>> {
        Ok(vec![])
    }
    fn any_client_registered(&self) -> StorageResult<bool> {
        Ok(true)
    }
    fn remove_client(&self, _: &str) -> StorageResult<bool> {
        Ok(false)
    }
}

/// Arbitrary bytes through real HTTP: parameters for the authorization, token, userinfo and introspection
/// endpoints, and bearer tokens. Whatever arrives, the answer is a 2xx, 3xx or 4xx.
#[actix_web::test]
async fn arbitrary_requests_never_get_a_5xx() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let mut runner = TestRunner::deterministic();
    let bytes = proptest::collection::vec(any::<u8>(), 0..300);
    let token_like = "[A-Za-z0-9_.=+/-]{0,400}";
    let http = reqwest::Client::new();
    for _ in 0..150 {
        let raw = bytes.new_tree(&mut runner).unwrap().current();
        let query = percent_encoding::percent_encode(&raw, percent_encoding::NON_ALPHANUMERIC).to_string();
        // A valid prefix gets the request past phase 1, so phase 2 sees the noise too.
        let prefix = format!(
            "client_id=app&redirect_uri={}&",
            url::form_urlencoded::byte_serialize(client.redirect_uri.as_bytes()).collect::<String>()
        );
        for url in [
            app.url(&format!("/oauth/authorize?{query}")),
            app.url(&format!("/oauth/authorize?{prefix}{}", String::from_utf8_lossy(&raw).replace('#', ""))),
        ] {
            if let Ok(response) = http.get(&url).send().await {
                assert!(response.status().as_u16() < 500, "{url}: {}", response.status());
            }
        }
        for path in ["/oauth/token", "/oauth/introspect", "/oauth/revoke", "/userinfo"] {
            let response = http
                .post(app.url(path))
                .basic_auth("app", client.secret.as_deref())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(raw.clone())
                .send()
                .await
                .unwrap();
            assert!(response.status().as_u16() < 500, "{path}: {}", response.status());
        }
        let token = token_like.new_tree(&mut runner).unwrap().current();
        let response =
            http.get(app.url("/userinfo")).header("authorization", format!("Bearer {token}")).send().await.unwrap();
        assert!(response.status().as_u16() < 500);
    }
}
