//! The token endpoint: RFC 6749 §4.1.3 and §5.2 errors, PKCE verification, single-use codes, client
//! authentication, refresh rotation, no-store, CORS.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    ClientOptions, TestApp, TestClient, VERIFIER, exchange_code, obtain_code, spawn_app, spawn_app_with,
};
use crate::helpers::{jwt_part, tessera_fails, tessera_ok, userinfo_status};

async fn json(response: reqwest::Response) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.json().await.expect("JSON body"))
}

async fn assert_error(response: reqwest::Response, status: StatusCode, error: &str) -> reqwest::header::HeaderMap {
    let (got, headers, body) = json(response).await;
    assert_eq!(got, status, "{body}");
    assert_eq!(body["error"], error, "{body}");
    assert!(body["error_description"].is_string());
    assert_eq!(headers.get("cache-control").unwrap(), "no-store", "RFC 6749 §5.2 errors are no-store too");
    headers
}

async fn setup() -> (TestApp, TestClient) {
    setup_with(|_| {}).await
}

/// A server with `configure`d settings, the user alice and the client app (consent skipped).
async fn setup_with(configure: impl FnOnce(&mut tessera::config::Settings)) -> (TestApp, TestClient) {
    let app = spawn_app_with(configure).await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    (app, client)
}

#[actix_web::test]
async fn a_successful_exchange_is_no_store_and_has_every_token() {
    let (app, client) = setup().await;
    let code = obtain_code(&app, &client, "alice").await;
    let (status, headers, body) = json(exchange_code(&app, &client, &code, VERIFIER).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    assert_eq!(headers.get("pragma").unwrap(), "no-cache");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 300);
    assert!(body["id_token"].is_string() && body["access_token"].is_string());
    let refresh = body["refresh_token"].as_str().unwrap();
    assert!(refresh.len() >= 43, "at least 256 bits");
    assert_eq!(body["scope"], "email openid profile");
    // RFC 9068 access token: typ at+jwt, the claims, no secret in the payload.
    let access = body["access_token"].as_str().unwrap();
    let header = jwt_part(access, 0);
    assert_eq!(header["typ"], "at+jwt");
    assert_eq!(header["alg"], "RS256");
    assert!(header["kid"].is_string());
    let claims = jwt_part(access, 1);
    for claim in ["iss", "sub", "aud", "client_id", "scope", "exp", "iat", "jti"] {
        assert!(!claims[claim].is_null(), "missing {claim}: {claims}");
    }
    assert_eq!(claims["iss"], app.base.as_str());
    assert_eq!(claims["client_id"], "app");
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 300);
    let payload = claims.to_string();
    assert!(
        !payload.contains(client.secret.as_deref().unwrap()) && !payload.contains(refresh) && !payload.contains(&code)
    );
}

#[actix_web::test]
async fn pkce_wrong_or_missing_verifier_is_invalid_grant() {
    let (app, client) = setup().await;
    let code = obtain_code(&app, &client, "alice").await;
    let wrong = "x".repeat(43);
    assert_error(exchange_code(&app, &client, &code, &wrong).await, StatusCode::BAD_REQUEST, "invalid_grant").await;
    let missing = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", &client.redirect_uri)])
        .send()
        .await
        .unwrap();
    assert_error(missing, StatusCode::BAD_REQUEST, "invalid_grant").await;
    // A failed verification does not burn the code for its rightful owner.
    assert_eq!(exchange_code(&app, &client, &code, VERIFIER).await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn a_verifier_without_a_challenge_is_refused() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client =
        app.add_client("legacy", ClientOptions { pkce_optional: true, skip_consent: true, ..ClientOptions::default() });
    let bare = crate::helpers::without_params(&app.authorize_url(&client, &[]), "code_challenge");
    let redirect = crate::helpers::sign_in(&crate::helpers::browser(), &app, bare.as_str(), "alice").await;
    let code = crate::helpers::query_param(&redirect, "code").unwrap();
    assert_error(exchange_code(&app, &client, &code, VERIFIER).await, StatusCode::BAD_REQUEST, "invalid_grant").await;
}

/// oidcc-codereuse: a second use fails and revokes what the first one issued (RFC 6749 §4.1.2).
#[actix_web::test]
async fn a_reused_code_fails_and_revokes_the_tokens_of_its_first_use() {
    let (app, client) = setup().await;
    let code = obtain_code(&app, &client, "alice").await;
    let (status, _, first) = json(exchange_code(&app, &client, &code, VERIFIER).await).await;
    assert_eq!(status, StatusCode::OK);
    let access = first["access_token"].as_str().unwrap();
    assert_eq!(userinfo_status(&app, access).await, StatusCode::OK);
    assert_error(exchange_code(&app, &client, &code, VERIFIER).await, StatusCode::BAD_REQUEST, "invalid_grant").await;
    assert_eq!(userinfo_status(&app, access).await, StatusCode::UNAUTHORIZED, "first access token revoked");
    let refresh = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("grant_type", "refresh_token"), ("refresh_token", first["refresh_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_error(refresh, StatusCode::BAD_REQUEST, "invalid_grant").await;
}

#[actix_web::test]
async fn concurrent_redemptions_of_one_code_give_exactly_one_success() {
    let (app, client) = setup().await;
    let code = obtain_code(&app, &client, "alice").await;
    let form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("code", code),
        ("redirect_uri", client.redirect_uri.clone()),
        ("code_verifier", VERIFIER.to_owned()),
    ];
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (url, form, secret) = (app.url("/oauth/token"), form.clone(), client.secret.clone());
            actix_web::rt::spawn(async move {
                reqwest::Client::new().post(url).basic_auth("app", secret).form(&form).send().await.unwrap().status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::BAD_REQUEST), "{statuses:?}");
}

#[actix_web::test]
async fn a_code_is_bound_to_its_client_and_redirect_uri() {
    let (app, client) = setup().await;
    let other = app.add_client("other", ClientOptions::default());
    let code = obtain_code(&app, &client, "alice").await;
    let stolen = TestClient {
        redirect_uri: client.redirect_uri.clone(),
        ..TestClient { id: other.id.clone(), secret: other.secret.clone(), redirect_uri: String::new() }
    };
    assert_error(exchange_code(&app, &stolen, &code, VERIFIER).await, StatusCode::BAD_REQUEST, "invalid_grant").await;
    let moved = TestClient {
        redirect_uri: format!("{}/", client.redirect_uri),
        id: client.id.clone(),
        secret: client.secret.clone(),
    };
    assert_error(exchange_code(&app, &moved, &code, VERIFIER).await, StatusCode::BAD_REQUEST, "invalid_grant").await;
    assert_eq!(exchange_code(&app, &client, &code, VERIFIER).await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn an_expired_code_is_refused() {
    let (app, client) = setup_with(|s| s.authorization_code_ttl_secs = 1).await;
    let code = obtain_code(&app, &client, "alice").await;
    app.advance(2);
    assert_error(exchange_code(&app, &client, &code, VERIFIER).await, StatusCode::BAD_REQUEST, "invalid_grant").await;
}

#[actix_web::test]
async fn client_authentication_failures_are_invalid_client() {
    let (app, client) = setup().await;
    let code = obtain_code(&app, &client, "alice").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", VERIFIER),
    ];
    let http = reqwest::Client::new();
    // Basic with a wrong secret: 401 and a Basic challenge (RFC 6749 §5.2).
    let basic = http.post(app.url("/oauth/token")).basic_auth("app", Some("wrong")).form(&form).send().await.unwrap();
    let headers = assert_error(basic, StatusCode::UNAUTHORIZED, "invalid_client").await;
    assert!(headers.get("www-authenticate").unwrap().to_str().unwrap().starts_with("Basic"));
    // Post with a wrong secret, an unknown client, and a confidential client without its secret.
    for extra in [
        vec![("client_id", "app"), ("client_secret", "wrong")],
        vec![("client_id", "nobody"), ("client_secret", "x")],
        vec![("client_id", "app")],
        vec![],
    ] {
        let mut body = form.to_vec();
        body.extend(extra);
        let response = http.post(app.url("/oauth/token")).form(&body).send().await.unwrap();
        let headers = assert_error(response, StatusCode::UNAUTHORIZED, "invalid_client").await;
        // RFC 9110 §15.5.2: every 401 carries a challenge, also without a Basic attempt.
        assert!(headers.get("www-authenticate").is_some());
    }
    // Two methods at once is invalid_request.
    let mut body = form.to_vec();
    body.push(("client_secret", client.secret.as_deref().unwrap()));
    let both = http
        .post(app.url("/oauth/token"))
        .basic_auth("app", client.secret.as_deref())
        .form(&body)
        .send()
        .await
        .unwrap();
    assert_error(both, StatusCode::BAD_REQUEST, "invalid_request").await;
    // A malformed Basic header is invalid_client with a Basic challenge too.
    let garbage =
        http.post(app.url("/oauth/token")).header("authorization", "Basic %%%").form(&form).send().await.unwrap();
    let headers = assert_error(garbage, StatusCode::UNAUTHORIZED, "invalid_client").await;
    assert!(headers.get("www-authenticate").unwrap().to_str().unwrap().starts_with("Basic"));
}

/// RFC 6749 §2.3.1: id and secret are form-urlencoded before they go into the Basic header.
#[actix_web::test]
async fn basic_credentials_are_form_decoded() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("my+app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let code = obtain_code(&app, &client, "alice").await;
    let header = format!("Basic {}", STANDARD.encode(format!("my%2Bapp:{}", client.secret.as_deref().unwrap())));
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", VERIFIER),
    ];
    let http = reqwest::Client::new();
    // Undecoded, "my+app" would read as "my app": unknown.
    let raw = format!("Basic {}", STANDARD.encode(format!("my+app:{}", client.secret.as_deref().unwrap())));
    let wrong = http.post(app.url("/oauth/token")).header("authorization", raw).form(&form).send().await.unwrap();
    assert_error(wrong, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let ok = http.post(app.url("/oauth/token")).header("authorization", header).form(&form).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[actix_web::test]
async fn malformed_requests_get_rfc6749_errors() {
    let (app, client) = setup().await;
    let http = reqwest::Client::new();
    let secret = client.secret.as_deref();
    let unknown = http
        .post(app.url("/oauth/token"))
        .basic_auth("app", secret)
        .form(&[("grant_type", "password"), ("username", "alice"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_error(unknown, StatusCode::BAD_REQUEST, "unsupported_grant_type").await;
    let missing =
        http.post(app.url("/oauth/token")).basic_auth("app", secret).form(&[("code", "x")]).send().await.unwrap();
    assert_error(missing, StatusCode::BAD_REQUEST, "invalid_request").await;
    let repeated = http
        .post(app.url("/oauth/token"))
        .basic_auth("app", secret)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=authorization_code&code=a&code=b")
        .send()
        .await
        .unwrap();
    assert_error(repeated, StatusCode::BAD_REQUEST, "invalid_request").await;
    let json_body = http
        .post(app.url("/oauth/token"))
        .basic_auth("app", secret)
        .json(&serde_json::json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .unwrap();
    assert_error(json_body, StatusCode::BAD_REQUEST, "invalid_request").await;
    let not_utf8 = http
        .post(app.url("/oauth/token"))
        .basic_auth("app", secret)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"grant_type=authorization_code&code=%FF%FE".to_vec())
        .send()
        .await
        .unwrap();
    assert_error(not_utf8, StatusCode::BAD_REQUEST, "invalid_request").await;
    let unknown_code = http
        .post(app.url("/oauth/token"))
        .basic_auth("app", secret)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", "nope"),
            ("redirect_uri", &client.redirect_uri),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    assert_error(unknown_code, StatusCode::BAD_REQUEST, "invalid_grant").await;
    let huge = http
        .post(app.url("/oauth/token"))
        .basic_auth("app", secret)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=authorization_code&code={}", "a".repeat(200_000)))
        .send()
        .await
        .unwrap();
    assert!(huge.status().is_client_error(), "{}", huge.status());
}

#[actix_web::test]
async fn refresh_tokens_rotate_are_bound_to_their_client_and_cannot_widen_scope() {
    let (app, client) = setup().await;
    let other = app.add_client("other", ClientOptions::default());
    let code = obtain_code(&app, &client, "alice").await;
    let (_, _, first) = json(exchange_code(&app, &client, &code, VERIFIER).await).await;
    let refresh = first["refresh_token"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    let refresh_as = |id: &str, secret: Option<String>, token: String, scope: Option<&'static str>| {
        let mut form = vec![("grant_type", "refresh_token".to_owned()), ("refresh_token", token)];
        if let Some(scope) = scope {
            form.push(("scope", scope.to_owned()));
        }
        http.post(app.url("/oauth/token")).basic_auth(id, secret).form(&form).send()
    };
    // Another client cannot use it.
    let foreign = refresh_as("other", other.secret.clone(), refresh.clone(), None).await.unwrap();
    assert_error(foreign, StatusCode::BAD_REQUEST, "invalid_grant").await;
    // A wider scope is refused; a narrower one is granted.
    let wider = refresh_as("app", client.secret.clone(), refresh.clone(), Some("openid phone")).await.unwrap();
    assert_error(wider, StatusCode::BAD_REQUEST, "invalid_scope").await;
    let (status, _, narrowed) =
        json(refresh_as("app", client.secret.clone(), refresh.clone(), Some("openid")).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{narrowed}");
    assert_eq!(narrowed["scope"], "openid");
    let successor = narrowed["refresh_token"].as_str().unwrap().to_owned();
    // Replaying the rotated token is reuse: the grant goes, successor and access tokens included (RFC 9700 §4.14.2).
    let replay = refresh_as("app", client.secret.clone(), refresh, None).await.unwrap();
    assert_error(replay, StatusCode::BAD_REQUEST, "invalid_grant").await;
    let after = refresh_as("app", client.secret.clone(), successor, None).await.unwrap();
    assert_error(after, StatusCode::BAD_REQUEST, "invalid_grant").await;
    assert_eq!(userinfo_status(&app, narrowed["access_token"].as_str().unwrap()).await, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn browser_apps_can_call_the_token_endpoint_cross_origin() {
    let (app, _) = setup().await;
    let preflight = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, app.url("/oauth/token"))
        .header("origin", "https://spa.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert!(preflight.headers().get("access-control-allow-origin").is_some());
    for path in ["/.well-known/openid-configuration", "/.well-known/jwks.json"] {
        let r = reqwest::Client::new().get(app.url(path)).header("origin", "https://spa.example").send().await.unwrap();
        assert!(r.headers().get("access-control-allow-origin").is_some(), "{path}");
    }
}

/// RFC 9700 §4.14.2 with a grace window: a just-rotated refresh token yields the same successor again (two tabs
/// refreshing at once); after the window, or once the successor is used, it is reuse and the grant ends.
#[actix_web::test]
async fn a_rotated_refresh_token_gets_the_same_successor_within_the_grace_window() {
    let (app, client) = setup_with(|s| s.refresh_token_reuse_grace_secs = 1).await;
    let refresh = |token: String| {
        let (url, secret) = (app.url("/oauth/token"), client.secret.clone());
        async move {
            let response = reqwest::Client::new()
                .post(url)
                .basic_auth("app", secret)
                .form(&[("grant_type", "refresh_token"), ("refresh_token", token.as_str())])
                .send()
                .await
                .unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    // Twice within the window: the same successor, and a fresh access token each time.
    let code = obtain_code(&app, &client, "alice").await;
    let (_, _, first) = json(exchange_code(&app, &client, &code, VERIFIER).await).await;
    let original = first["refresh_token"].as_str().unwrap().to_owned();
    let (s1, tab1) = refresh(original.clone()).await;
    let (s2, tab2) = refresh(original.clone()).await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK), "{tab1} {tab2}");
    assert_eq!(tab1["refresh_token"], tab2["refresh_token"], "the same successor");
    assert_ne!(tab1["access_token"], tab2["access_token"]);
    // Once the successor has been used, the original is reuse even within the window.
    let successor = tab1["refresh_token"].as_str().unwrap().to_owned();
    let (s3, third) = refresh(successor).await;
    assert_eq!(s3, StatusCode::OK);
    let (s4, _) = refresh(original).await;
    assert_eq!(s4, StatusCode::BAD_REQUEST);
    let (s5, _) = refresh(third["refresh_token"].as_str().unwrap().to_owned()).await;
    assert_eq!(s5, StatusCode::BAD_REQUEST, "reuse revoked the grant");

    // After the window, a replay is reuse.
    let code = obtain_code(&app, &client, "alice").await;
    let (_, _, second) = json(exchange_code(&app, &client, &code, VERIFIER).await).await;
    let original = second["refresh_token"].as_str().unwrap().to_owned();
    let (_, rotated) = refresh(original.clone()).await;
    app.advance(3);
    let (late, _) = refresh(original).await;
    assert_eq!(late, StatusCode::BAD_REQUEST);
    let (after, _) = refresh(rotated["refresh_token"].as_str().unwrap().to_owned()).await;
    assert_eq!(after, StatusCode::BAD_REQUEST, "the successor went with the grant");
}

/// Sixteen refreshes of one refresh token at once, within the grace window: the token is rotated exactly once (one
/// successor, the same in every answer), none of them counts as reuse, and that successor then refreshes once.
#[actix_web::test]
async fn concurrent_refreshes_of_one_token_rotate_it_once() {
    let (app, client) = setup_with(|s| s.refresh_token_reuse_grace_secs = 30).await;
    let first = fresh_grant(&app, &client).await;
    let original = first["refresh_token"].as_str().unwrap().to_owned();
    let answers = futures_util::future::join_all((0..16).map(|_| refresh_with(&app, &client, &original))).await;
    let mut successors = std::collections::BTreeSet::new();
    for (status, body) in answers {
        assert_eq!(status, StatusCode::OK, "{body}");
        successors.insert(body["refresh_token"].as_str().unwrap().to_owned());
    }
    assert_eq!(successors.len(), 1, "one successor: {successors:?}");
    let successor = successors.pop_first().unwrap();
    let (status, next) = refresh_with(&app, &client, &successor).await;
    assert_eq!(status, StatusCode::OK, "the grant lives on: {next}");
    assert_ne!(next["refresh_token"].as_str(), Some(successor.as_str()));
}

/// Refreshes with `token` as `client`: status and body.
async fn refresh_with(app: &TestApp, client: &TestClient, token: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("grant_type", "refresh_token"), ("refresh_token", token)])
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// A fresh grant of `client`: its first token response.
async fn fresh_grant(app: &TestApp, client: &TestClient) -> Value {
    let code = obtain_code(app, client, "alice").await;
    let (status, _, body) = json(exchange_code(app, client, &code, VERIFIER).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// RFC 9700 §4.14.2 as written, by default: with the server's DEFAULT settings (no grace), a rotated refresh token
/// replayed at once is reuse, and the whole grant ends.
#[actix_web::test]
async fn by_default_an_immediately_replayed_refresh_token_is_reuse() {
    let default_grace = tessera::config::Settings::default().refresh_token_reuse_grace_secs;
    assert_eq!(default_grace, 0, "the default grace is off");
    let (app, client) = setup_with(|s| s.refresh_token_reuse_grace_secs = default_grace).await;
    let first = fresh_grant(&app, &client).await;
    let original = first["refresh_token"].as_str().unwrap();
    let (status, rotated) = refresh_with(&app, &client, original).await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let (status, replay) = refresh_with(&app, &client, original).await;
    assert_eq!((status, replay["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")), "{replay}");
    let (status, _) = refresh_with(&app, &client, rotated["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the successor went with the grant");
    assert_eq!(userinfo_status(&app, rotated["access_token"].as_str().unwrap()).await, StatusCode::UNAUTHORIZED);
}

/// A client registered with its own grace (5 s) gets the same successor for a replay within it, on a server whose
/// grace is 0; after it, the replay is reuse. Another client on the same server has no grace.
#[actix_web::test]
async fn a_client_with_its_own_refresh_grace_gets_the_same_successor_within_it() {
    let app = spawn_app().await;
    assert_eq!(app.state.settings.refresh_token_reuse_grace_secs, 0);
    app.add_user("alice");
    let tabs = app.add_client("tabs", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    crate::clients::change(&app, "tabs", |c| c.refresh_token_reuse_grace_secs = Some(5));
    let strict = app.add_client("strict", ClientOptions { skip_consent: true, ..ClientOptions::default() });

    let original = fresh_grant(&app, &tabs).await["refresh_token"].as_str().unwrap().to_owned();
    let (s1, first) = refresh_with(&app, &tabs, &original).await;
    app.advance(4);
    let (s2, second) = refresh_with(&app, &tabs, &original).await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK), "{first} {second}");
    assert_eq!(first["refresh_token"], second["refresh_token"], "the same successor within 5 s");
    app.advance(2);
    let (late, _) = refresh_with(&app, &tabs, &original).await;
    assert_eq!(late, StatusCode::BAD_REQUEST, "6 s after the rotation: reuse");
    let (after, _) = refresh_with(&app, &tabs, first["refresh_token"].as_str().unwrap()).await;
    assert_eq!(after, StatusCode::BAD_REQUEST, "reuse ended the grant");

    let original = fresh_grant(&app, &strict).await["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(refresh_with(&app, &strict, &original).await.0, StatusCode::OK);
    assert_eq!(refresh_with(&app, &strict, &original).await.0, StatusCode::BAD_REQUEST, "no grace for others");
}

/// `tessera client add … --refresh-token-reuse-grace-secs 5` registers the grace (`client show` prints it, and the
/// running server applies it); more than 60 s is refused.
#[actix_web::test]
async fn a_client_refresh_grace_is_registered_from_the_cli() {
    let app = spawn_app().await;
    app.add_user("alice");
    let redirect_uri = "http://127.0.0.1:9/tabs/callback";
    let base = ["client", "add", "--redirect-uri", redirect_uri, "--skip-consent", "--json"];
    let args = [&base[..], &["--id", "tabs", "--refresh-token-reuse-grace-secs", "5"]].concat();
    let added: Value = serde_json::from_str(&tessera_ok(&app, &args)).unwrap();
    assert_eq!(added["refresh_token_reuse_grace_secs"], 5, "{added}");
    let shown = tessera_ok(&app, &["client", "show", "tabs"]);
    let line = shown.lines().find(|l| l.starts_with("refresh_reuse_grace:")).unwrap_or_else(|| panic!("{shown}"));
    assert!(line.ends_with("5 s"), "{line}");
    let refused =
        tessera_fails(&app, &[&base[..], &["--id", "other", "--refresh-token-reuse-grace-secs", "61"]].concat());
    assert!(refused.contains("60"), "{refused}");

    let tabs = TestClient {
        id: "tabs".into(),
        secret: added["client_secret"].as_str().map(str::to_owned),
        redirect_uri: redirect_uri.into(),
    };
    let original = fresh_grant(&app, &tabs).await["refresh_token"].as_str().unwrap().to_owned();
    let (_, first) = refresh_with(&app, &tabs, &original).await;
    let (status, second) = refresh_with(&app, &tabs, &original).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(first["refresh_token"], second["refresh_token"]);
}

/// Item 8 of issue 10: where the reason tells a caller nothing it does not know already, `error_description` names
/// it, so the application's developer knows what to fix. An unknown code (or another client's) stays one generic
/// message, so nobody can probe which codes exist.
#[actix_web::test]
async fn code_exchange_errors_name_their_reason() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions::default());
    let description = |body: &Value| body["error_description"].as_str().unwrap_or_default().to_owned();

    let code = obtain_code(&app, &client, "alice").await;
    let (status, _, body) =
        json(exchange_code(&app, &client, &code, "wrong-verifier-wrong-verifier-wrong-verifier-x").await).await;
    assert_eq!(
        (status, description(&body).as_str()),
        (StatusCode::BAD_REQUEST, "code_verifier does not match the code_challenge")
    );

    let code = obtain_code(&app, &client, "alice").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:9/app/other"),
        ("code_verifier", VERIFIER),
    ];
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&form)
        .send()
        .await
        .unwrap();
    let (_, _, body) = json(response).await;
    assert_eq!(description(&body), "redirect_uri does not match the authorization request");

    let code = obtain_code(&app, &client, "alice").await;
    assert_eq!(exchange_code(&app, &client, &code, VERIFIER).await.status(), StatusCode::OK);
    let (_, _, body) = json(exchange_code(&app, &client, &code, VERIFIER).await).await;
    assert_eq!(
        (body["error"].as_str(), description(&body).as_str()),
        (Some("invalid_grant"), "authorization code already used")
    );

    let code = obtain_code(&app, &client, "alice").await;
    app.advance(61);
    let (_, _, body) = json(exchange_code(&app, &client, &code, VERIFIER).await).await;
    assert_eq!(description(&body), "authorization code expired");

    let (_, _, body) = json(exchange_code(&app, &client, "no-such-code", VERIFIER).await).await;
    assert_eq!(description(&body), "invalid authorization code", "unknown codes stay generic");
}
