//! Per-client registration: grant types, the client_credentials grant, the registered authentication method, and
//! per-client token lifetimes.

use reqwest::StatusCode;
use serde_json::Value;
use tessera::domain::{AuthMethod, GrantType, Scope};
use tessera::storage::ClientStore;

use crate::helpers::{
    ClientOptions, TestApp, TestClient, VERIFIER, exchange_code, obtain_code, query_param, spawn_app,
};

fn change(app: &TestApp, id: &str, edit: impl FnOnce(&mut tessera::domain::Client)) {
    let mut client = app.state.provider.db.find_client(id).unwrap().unwrap().client;
    edit(&mut client);
    assert!(app.state.provider.db.update_client(&client).unwrap());
}

async fn client_credentials(app: &TestApp, client: &TestClient, scope: Option<&str>) -> reqwest::Response {
    let mut form = vec![("grant_type", "client_credentials")];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn client_credentials_gives_a_client_token_and_nothing_else() {
    let app = spawn_app().await;
    let service = app.add_client("service", ClientOptions::default());
    // Not registered for it yet: unauthorized_client.
    let refused = client_credentials(&app, &service, None).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(refused.json::<Value>().await.unwrap()["error"], "unauthorized_client");

    change(&app, "service", |c| c.grant_types = vec![GrantType::ClientCredentials]);
    // RFC 6749 §3.3: only the scopes the client is registered for (none by default).
    let unregistered = client_credentials(&app, &service, Some("reports:read")).await;
    assert_eq!(unregistered.status(), StatusCode::BAD_REQUEST);
    assert_eq!(unregistered.json::<Value>().await.unwrap()["error"], "invalid_scope");
    change(&app, "service", |c| c.scope = Scope::parse("reports:read reports:write").unwrap());
    let wider = client_credentials(&app, &service, Some("reports:read admin")).await;
    assert_eq!(wider.json::<Value>().await.unwrap()["error"], "invalid_scope", "one scope too many");
    let response = client_credentials(&app, &service, Some("reports:read")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let body: Value = response.json().await.unwrap();
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none(), "{body}");
    assert_eq!(body["scope"], "reports:read");
    let access = body["access_token"].as_str().unwrap();
    let introspection: Value = reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth("service", service.secret.as_deref())
        .form(&[("token", access)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(introspection["active"], true);
    assert_eq!(introspection["sub"], "service", "the subject is the client");
    assert_eq!(introspection["client_id"], "service");
    // No user behind it: userinfo refuses it.
    let userinfo = reqwest::Client::new().get(app.url("/userinfo")).bearer_auth(access).send().await.unwrap();
    assert_eq!(userinfo.status(), StatusCode::UNAUTHORIZED);
    // User scopes make no sense without a user.
    let openid = client_credentials(&app, &service, Some("openid")).await;
    assert_eq!(openid.json::<Value>().await.unwrap()["error"], "invalid_scope");
    // And this client may not start the code flow.
    let url = app.authorize_url(
        &TestClient { id: "service".into(), secret: None, redirect_uri: service.redirect_uri.clone() },
        &[],
    );
    let authorize = crate::helpers::browser().get(url).send().await.unwrap();
    let to = crate::helpers::location(&authorize);
    assert_eq!(query_param(&to, "error").as_deref(), Some("unauthorized_client"), "{to}");
    // A revoked client token stops at once.
    let revoke = reqwest::Client::new()
        .post(app.url("/oauth/revoke"))
        .basic_auth("service", service.secret.as_deref())
        .form(&[("token", access)])
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::OK);
    let after: Value = reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth("service", service.secret.as_deref())
        .form(&[("token", access)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["active"], false);
}

#[actix_web::test]
async fn a_registered_authentication_method_is_the_only_one_accepted() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    change(&app, "app", |c| c.auth_method = Some(AuthMethod::ClientSecretPost));
    let code = obtain_code(&app, &client, "alice").await;
    let basic = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth("app", client.secret.as_deref())
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", client.redirect_uri.as_str()),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    // exchange_code uses client_secret_post: accepted.
    assert_eq!(exchange_code(&app, &client, &code, VERIFIER).await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn per_client_token_lifetimes_apply() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("short", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    change(&app, "short", |c| {
        c.access_token_ttl_secs = Some(60);
        c.refresh_token_ttl_secs = Some(120);
    });
    let code = obtain_code(&app, &client, "alice").await;
    let body: Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    assert_eq!(body["expires_in"], 60);
    let introspection: Value = reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth("short", client.secret.as_deref())
        .form(&[("token", body["refresh_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let now = app.now();
    let exp = introspection["exp"].as_i64().unwrap();
    assert!((now + 110..=now + 121).contains(&exp), "refresh token lives 120 s: {exp} vs {now}");
}
