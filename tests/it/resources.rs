//! APIs as resources (RFC 8707): `tessera resource …` on the running server's database, and the `resource`
//! parameter at the authorization and token endpoints: a token for a resource names it as its audience, carries
//! only its scopes and lives no longer than its lifetime; an unknown or different resource is `invalid_target`.

use reqwest::StatusCode;
use serde_json::Value;
use tessera::domain::{GrantType, Resource, ResourceId, Scope};
use tessera::storage::ResourceStore;

use crate::clients::change;
use crate::helpers::{
    ClientOptions, TestApp, TestClient, VERIFIER, assert_error_redirect, browser, exchange_code, jwt_part, query_param,
    sign_in, spawn_app, tessera_fails, tessera_ok, userinfo_status,
};

const API: &str = "https://api.example.com";
const REPORTS: &str = "https://reports.example.com";

fn register(app: &TestApp, id: &str, scope: &str, access_token_ttl_secs: Option<i64>) {
    let resource = Resource {
        id: ResourceId::parse(id).unwrap(),
        scope: Scope::parse_list(scope).unwrap(),
        access_token_ttl_secs,
        access_token_signed_response_alg: None,
    };
    app.state.provider.db.register_resource(&resource, app.now()).expect("register resource");
}

/// The API of these tests (its tokens live 120 s), and a client allowed `api:read` and the unowned `reports`.
fn setup(app: &TestApp, id: &str) -> TestClient {
    app.add_user("alice");
    register(app, API, "api:read api:write", Some(120));
    let client = app.add_client(id, ClientOptions { skip_consent: true, ..ClientOptions::default() });
    change(app, id, |c| c.scope = Scope::parse("api:read reports").unwrap());
    client
}

async fn code_for(app: &TestApp, client: &TestClient, extra: &[(&str, &str)]) -> String {
    let to = sign_in(&browser(), app, &app.authorize_url(client, extra), "alice").await;
    query_param(&to, "code").unwrap_or_else(|| panic!("no code: {to}"))
}

async fn token_request(app: &TestApp, client: &TestClient, form: &[(&str, &str)]) -> (StatusCode, Value) {
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

async fn exchange_with_resource(app: &TestApp, client: &TestClient, code: &str, resource: &str) -> (StatusCode, Value) {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", client.redirect_uri.as_str()),
        ("code_verifier", VERIFIER),
        ("resource", resource),
    ];
    token_request(app, client, &form).await
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

/// The access token of a token response is for `audience`, carries `scope` (as the response says) and lives `ttl`.
fn assert_access_token(body: &Value, audience: &str, scope: &str, ttl: i64) -> String {
    assert_eq!(body["scope"], scope, "the response's scope is the access token's: {body}");
    assert_eq!(body["expires_in"], ttl, "{body}");
    let access = body["access_token"].as_str().unwrap_or_else(|| panic!("no access token: {body}"));
    let claims = jwt_part(access, 1);
    assert_eq!(claims["aud"], audience, "{claims}");
    assert_eq!(claims["scope"], scope, "{claims}");
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), ttl, "{claims}");
    access.to_owned()
}

/// The resource commands, through the real binary on the running server's database: add (text and JSON), list,
/// show, update and remove; a scope belongs to one resource only, and never an OpenID Connect scope.
#[actix_web::test]
async fn resources_are_added_listed_shown_updated_and_removed_from_the_cli() {
    let app = spawn_app().await;
    let added = tessera_ok(
        &app,
        &["resource", "add", "--id", API, "--scope", "api:read api:write", "--access-token-ttl-secs", "120"],
    );
    assert!(added.contains(API) && added.contains("api:read api:write") && added.contains("120 s"), "{added}");
    let json: Value =
        serde_json::from_str(&tessera_ok(&app, &["resource", "add", "--id", REPORTS, "--scope", "reports", "--json"]))
            .unwrap();
    assert_eq!(json, serde_json::json!({ "id": REPORTS, "scope": "reports", "access_token_ttl_secs": null }));
    // The server reads what the CLI wrote.
    let stored: Vec<String> =
        app.state.provider.db.list_resources().unwrap().iter().map(|r| r.id.to_string()).collect();
    assert_eq!(stored, [API, REPORTS]);

    let listed = tessera_ok(&app, &["resource", "list"]);
    assert!(listed.contains(API) && listed.contains(REPORTS) && listed.contains("120 s"), "{listed}");
    let listed: Value = serde_json::from_str(&tessera_ok(&app, &["resource", "list", "--json"])).unwrap();
    assert_eq!(
        listed,
        serde_json::json!([
            { "id": API, "scope": "api:read api:write", "access_token_ttl_secs": 120 },
            { "id": REPORTS, "scope": "reports", "access_token_ttl_secs": null },
        ])
    );
    let shown: Value = serde_json::from_str(&tessera_ok(&app, &["resource", "show", API, "--json"])).unwrap();
    assert_eq!(shown["scope"], "api:read api:write");
    assert!(tessera_ok(&app, &["resource", "show", API]).contains("api:read api:write"));

    // A scope belongs to one resource: a second one claiming api:read is refused, by add and by update.
    let refused = tessera_fails(&app, &["resource", "add", "--id", "https://other.example.com", "--scope", "api:read"]);
    assert!(refused.contains("api:read") && refused.contains(API), "{refused}");
    let refused = tessera_fails(&app, &["resource", "update", REPORTS, "--scope", "reports api:write"]);
    assert!(refused.contains("api:write"), "{refused}");
    // OpenID Connect scopes belong to the default audience.
    let refused = tessera_fails(&app, &["resource", "add", "--id", "https://other.example.com", "--scope", "openid"]);
    assert!(refused.contains("openid"), "{refused}");
    for bad in ["https://other.example.com#x", "https://other.example.com?v=1", "other.example.com"] {
        tessera_fails(&app, &["resource", "add", "--id", bad]);
    }
    tessera_fails(&app, &["resource", "add", "--id", API]);
    let ids: Vec<String> = app.state.provider.db.list_resources().unwrap().iter().map(|r| r.id.to_string()).collect();
    assert_eq!(ids, [API, REPORTS], "nothing refused was stored");

    tessera_ok(&app, &["resource", "update", API, "--scope", "api:read", "--access-token-ttl-secs", "60"]);
    let shown: Value = serde_json::from_str(&tessera_ok(&app, &["resource", "show", API, "--json"])).unwrap();
    assert_eq!((shown["scope"].as_str(), shown["access_token_ttl_secs"].as_i64()), (Some("api:read"), Some(60)));
    tessera_ok(&app, &["resource", "update", API, "--clear-access-token-ttl"]);
    let shown: Value = serde_json::from_str(&tessera_ok(&app, &["resource", "show", API, "--json"])).unwrap();
    assert!(shown["access_token_ttl_secs"].is_null(), "{shown}");
    // api:write is free again.
    tessera_ok(&app, &["resource", "update", REPORTS, "--scope", "reports api:write"]);
    tessera_fails(&app, &["resource", "update", "https://nothing.example.com", "--scope", "x"]);

    assert!(tessera_ok(&app, &["resource", "remove", REPORTS]).contains(REPORTS));
    tessera_fails(&app, &["resource", "show", REPORTS]);
    tessera_fails(&app, &["resource", "remove", REPORTS]);
    let listed: Value = serde_json::from_str(&tessera_ok(&app, &["resource", "list", "--json"])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
}

/// RFC 8707 in the code flow: with `resource`, the access token is for the resource (aud), carries its scopes the
/// client has and nothing else (no OpenID Connect scope, no unowned API scope), lives min(resource, client or
/// server) lifetime, and keeps all that on refresh; introspection knows it, userinfo (the default audience) does
/// not. Without `resource`, the token is for the issuer and carries no resource's scope.
#[actix_web::test]
async fn a_code_flow_for_a_resource_issues_tokens_for_it_with_its_scopes_only() {
    let app = spawn_app().await;
    let client = setup(&app, "app");
    let asked = [("scope", "openid api:read reports"), ("resource", API)];
    let code = code_for(&app, &client, &asked).await;
    let response = exchange_code(&app, &client, &code, VERIFIER).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let access = assert_access_token(&body, API, "api:read", 120);
    assert!(body["id_token"].is_string(), "still an OpenID Connect sign-in: {body}");
    assert_eq!(jwt_part(body["id_token"].as_str().unwrap(), 1)["aud"], serde_json::json!(["app"]));

    let introspection = introspect(&app, &client, &access).await;
    assert_eq!(introspection["active"], true, "{introspection}");
    assert_eq!(introspection["aud"], API);
    assert_eq!(introspection["scope"], "api:read");
    assert_eq!(userinfo_status(&app, &access).await, StatusCode::UNAUTHORIZED, "not a token for userinfo");

    // Refreshes keep the audience, the scope and the lifetime, with or without naming the resource again.
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let (status, refreshed) =
        token_request(&app, &client, &[("grant_type", "refresh_token"), ("refresh_token", &refresh)]).await;
    assert_eq!(status, StatusCode::OK, "{refreshed}");
    assert_access_token(&refreshed, API, "api:read", 120);
    let refresh = refreshed["refresh_token"].as_str().unwrap().to_owned();
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh.as_str()), ("resource", API)];
    let (status, again) = token_request(&app, &client, &form).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let access = assert_access_token(&again, API, "api:read", 120);
    assert_eq!(introspect(&app, &client, &access).await["aud"], API);

    // The same request without a resource: the default audience, the unowned API scope, not the resource's.
    let code = code_for(&app, &client, &[("scope", "openid api:read reports")]).await;
    let body: Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    let access = assert_access_token(&body, app.base.as_str(), "openid reports", 300);
    assert_eq!(userinfo_status(&app, &access).await, StatusCode::OK);

    // A client whose own lifetime is shorter than the resource's: the shorter wins.
    let short = app.add_client("short", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    change(&app, "short", |c| {
        c.scope = Scope::parse("api:read").unwrap();
        c.access_token_ttl_secs = Some(60);
    });
    let code = code_for(&app, &short, &asked).await;
    let body: Value = exchange_code(&app, &short, &code, VERIFIER).await.json().await.unwrap();
    assert_access_token(&body, API, "api:read", 60);
}

/// RFC 8707 §2: an unknown resource at the authorization endpoint goes back to the client as invalid_target (with
/// state and iss); at the token endpoint, a resource other than the grant's is invalid_target, and the refused
/// request does not use up the code.
#[actix_web::test]
async fn unknown_or_different_resources_are_invalid_target() {
    let app = spawn_app().await;
    let client = setup(&app, "app");
    register(&app, REPORTS, "reports:read", None);
    let response =
        browser().get(app.authorize_url(&client, &[("resource", "https://unknown.example.com")])).send().await.unwrap();
    assert_error_redirect(&app, &response, &client.redirect_uri, "invalid_target");

    let code = code_for(&app, &client, &[("scope", "openid api:read"), ("resource", API)]).await;
    for other in [REPORTS, "https://unknown.example.com"] {
        let (status, body) = exchange_with_resource(&app, &client, &code, other).await;
        assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_target")), "{body}");
    }
    let (status, body) = exchange_with_resource(&app, &client, &code, API).await;
    assert_eq!(status, StatusCode::OK, "the grant's own resource, and the code was not used up: {body}");
    assert_access_token(&body, API, "api:read", 120);
    let refresh = body["refresh_token"].as_str().unwrap();
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh), ("resource", REPORTS)];
    let (status, body) = token_request(&app, &client, &form).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_target")), "{body}");

    // A grant made without a resource cannot be turned into one for a resource at the token endpoint.
    let code = code_for(&app, &client, &[]).await;
    let (status, body) = exchange_with_resource(&app, &client, &code, API).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_target")), "{body}");
}

/// client_credentials with `resource`: the token is for the resource; a resource's scope without its resource is
/// invalid_scope, an unknown resource invalid_target.
#[actix_web::test]
async fn client_credentials_for_a_resource_gets_a_token_for_it() {
    let app = spawn_app().await;
    register(&app, API, "api:read api:write", Some(120));
    let service = app.add_client("service", ClientOptions::default());
    change(&app, "service", |c| {
        c.grant_types = vec![GrantType::ClientCredentials];
        c.scope = Scope::parse("api:read reports").unwrap();
    });
    let grant = |scope: &'static str, resource: Option<&'static str>| {
        let mut form = vec![("grant_type", "client_credentials"), ("scope", scope)];
        form.extend(resource.map(|r| ("resource", r)));
        let (app, service) = (&app, &service);
        async move { token_request(app, service, &form).await }
    };
    let (status, body) = grant("api:read", Some(API)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let access = assert_access_token(&body, API, "api:read", 120);
    assert_eq!(jwt_part(&access, 1)["sub"], "service");
    let introspection = introspect(&app, &service, &access).await;
    assert_eq!((introspection["active"].as_bool(), introspection["aud"].as_str()), (Some(true), Some(API)));

    let (status, body) = grant("api:read", None).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_scope")), "{body}");
    let (status, body) = grant("api:read", Some("https://unknown.example.com")).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_target")), "{body}");
    let (status, body) = grant("api:write", Some(API)).await;
    assert_eq!(body["error"], "invalid_scope", "the resource's scope the client is not registered for: {status}");
    let (status, body) = grant("reports", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_access_token(&body, app.base.as_str(), "reports", 300);
}

/// `tessera resource remove`: the resource's tokens stop being accepted by introspection, and grants made for it
/// can no longer refresh (invalid_target), while the client's other grants are untouched.
#[actix_web::test]
async fn removing_a_resource_stops_its_tokens_and_its_grants() {
    let app = spawn_app().await;
    let client = setup(&app, "app");
    let code = code_for(&app, &client, &[("scope", "openid api:read"), ("resource", API)]).await;
    let for_api: Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    let code = code_for(&app, &client, &[]).await;
    let plain: Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    let access = for_api["access_token"].as_str().unwrap();
    assert_eq!(introspect(&app, &client, access).await["active"], true);

    tessera_ok(&app, &["resource", "remove", API]);
    assert_eq!(introspect(&app, &client, access).await, serde_json::json!({ "active": false }));
    let refresh = for_api["refresh_token"].as_str().unwrap();
    let (status, body) =
        token_request(&app, &client, &[("grant_type", "refresh_token"), ("refresh_token", refresh)]).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_target")), "{body}");
    let refresh = plain["refresh_token"].as_str().unwrap();
    let (status, body) =
        token_request(&app, &client, &[("grant_type", "refresh_token"), ("refresh_token", refresh)]).await;
    assert_eq!(status, StatusCode::OK, "a grant for the default audience is not affected: {body}");
}
