//! Token exchange (RFC 8693) over real HTTP: a client registered for
//! `urn:ietf:params:oauth:grant-type:token-exchange` exchanges a user's access token (the subject token) for one with
//! an equal or narrower scope; with an actor token the new token carries `act` (delegation); the RFC's errors for
//! what it refuses; the exchanged token dies with the subject's grant.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera::domain::{GrantType, Scope};

use crate::clients::change;
use crate::helpers::{
    ClientOptions, TestApp, TestClient, VERIFIER, exchange_code, jwt_part, spawn_app_with, tessera_ok,
};

const ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";
const GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

async fn token(app: &TestApp, client: &TestClient, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn introspect(app: &TestApp, client: &TestClient, token: &str) -> Value {
    reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// alice's access token from the `web` client, with `api:read api:write`; and the `gateway` service, registered
/// for token exchange with the CLI.
async fn setup(app: &TestApp) -> (TestClient, TestClient, String, String) {
    app.add_user("alice");
    let web = app.add_client("web", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    change(app, "web", |c| c.scope = Scope::parse("api:read api:write").unwrap());
    let url = app.authorize_url(&web, &[("scope", "openid api:read api:write")]);
    let to = crate::helpers::sign_in(&crate::helpers::browser(), app, &url, "alice").await;
    let code = crate::helpers::query_param(&to, "code").expect("code");
    let body: Value = exchange_code(app, &web, &code, VERIFIER).await.json().await.unwrap();
    let subject = body["access_token"].as_str().unwrap().to_owned();
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let gateway = app.add_client("gateway", ClientOptions::default());
    tessera_ok(app, &["client", "update", "gateway", "--grant-types", &format!("client_credentials,{GRANT}")]);
    (web, gateway, subject, refresh)
}

/// The exchange gives a token for the same subject, to the exchanging client, with the narrower scope asked
/// (`issued_token_type` access_token); with an actor token (the gateway's own), `act.sub` names the actor.
#[actix_web::test]
async fn a_subject_token_is_exchanged_for_a_narrower_one_with_an_actor() {
    let app = spawn_app_with(|s| s.token_exchange = true).await;
    let (_, gateway, subject, _) = setup(&app).await;
    let (status, body) = token(
        &app,
        &gateway,
        &[
            ("grant_type", GRANT),
            ("subject_token", &subject),
            ("subject_token_type", ACCESS_TOKEN),
            ("scope", "api:read"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["issued_token_type"], ACCESS_TOKEN);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "api:read");
    let exchanged = jwt_part(body["access_token"].as_str().unwrap(), 1);
    let original = jwt_part(&subject, 1);
    assert_eq!(exchanged["sub"], original["sub"], "the same subject");
    assert_eq!(exchanged["client_id"], "gateway");
    assert!(exchanged.get("act").is_none(), "no actor, no act: {exchanged}");
    assert!(exchanged["exp"].as_i64() <= original["exp"].as_i64(), "never outlives the subject token");

    // Delegation: the gateway's own token as the actor.
    change(&app, "gateway", |c| c.scope = Scope::parse("gateway:self").unwrap());
    let (_, own) = token(&app, &gateway, &[("grant_type", "client_credentials"), ("scope", "gateway:self")]).await;
    let actor = own["access_token"].as_str().unwrap();
    let (status, body) = token(
        &app,
        &gateway,
        &[
            ("grant_type", GRANT),
            ("subject_token", &subject),
            ("subject_token_type", ACCESS_TOKEN),
            ("actor_token", actor),
            ("actor_token_type", ACCESS_TOKEN),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let delegated = jwt_part(body["access_token"].as_str().unwrap(), 1);
    assert_eq!(delegated["act"], json!({ "sub": "gateway" }), "{delegated}");
    assert_eq!(body["scope"], original["scope"], "without scope: the subject token's");
    let introspection = introspect(&app, &gateway, body["access_token"].as_str().unwrap()).await;
    assert_eq!(introspection["active"], true, "{introspection}");
}

/// RFC 8693 §2.2.2's errors: a wider scope (invalid_scope), an unknown resource (invalid_target), an unsupported
/// subject or requested token type and a subject token that is not ours or is revoked (invalid_request); a client
/// not registered for the grant (unauthorized_client). Revoking the subject's grant ends the exchanged token.
#[actix_web::test]
async fn exchanges_are_refused_with_the_rfc_errors() {
    let app = spawn_app_with(|s| s.token_exchange = true).await;
    let (web, gateway, subject, refresh) = setup(&app).await;
    let base = [("grant_type", GRANT), ("subject_token", subject.as_str()), ("subject_token_type", ACCESS_TOKEN)];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut form: Vec<(&str, &str)> = base.to_vec();
        form.extend_from_slice(extra);
        form
    };
    for (what, form, status, error) in [
        ("a wider scope", with(&[("scope", "api:read admin")]), StatusCode::BAD_REQUEST, "invalid_scope"),
        (
            "an unknown resource",
            with(&[("resource", "https://unknown.example")]),
            StatusCode::BAD_REQUEST,
            "invalid_target",
        ),
        (
            "a refresh token type",
            vec![
                ("grant_type", GRANT),
                ("subject_token", subject.as_str()),
                ("subject_token_type", "urn:ietf:params:oauth:token-type:refresh_token"),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            "an ID token requested",
            with(&[("requested_token_type", "urn:ietf:params:oauth:token-type:id_token")]),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            "a token that is not ours",
            vec![
                ("grant_type", GRANT),
                ("subject_token", "eyJhbGciOiJub25lIn0.e30."),
                ("subject_token_type", ACCESS_TOKEN),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        ("an actor token without its type", with(&[("actor_token", "x")]), StatusCode::BAD_REQUEST, "invalid_request"),
    ] {
        let (got, body) = token(&app, &gateway, &form).await;
        assert_eq!((got, body["error"].as_str()), (status, Some(error)), "{what}: {body}");
    }
    let (status, body) = token(&app, &web, &base).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("unauthorized_client")), "{body}");
    change(&app, "web", |c| assert!(!c.may_use(GrantType::TokenExchange)));

    let (_, body) = token(&app, &gateway, &base).await;
    let exchanged = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(introspect(&app, &gateway, &exchanged).await["active"], true);
    // RFC 7009: web revokes its refresh token, which ends the grant; the exchanged token goes with it.
    let revoked = reqwest::Client::new()
        .post(app.url("/oauth/revoke"))
        .basic_auth(&web.id, web.secret.as_deref())
        .form(&[("token", refresh.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(introspect(&app, &gateway, &exchanged).await["active"], false, "the subject's grant is revoked");
    let (status, body) = token(&app, &gateway, &base).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_request")), "{body}");
}
