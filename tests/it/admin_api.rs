//! The admin API (issue 12, item 3, part): admin API keys made with `tessera admin key create`, stored hashed, each
//! endpoint driven with a scoped key, refusals for a missing or revoked key, a key without the scope and a stale
//! ETag, RFC 9457 problem details, and every write an audit event with the acting key.

use reqwest::StatusCode;
use serde_json::{Value, json};

use tessera::storage::AdminKeyStore;

use crate::helpers::{TestApp, spawn_app, tessera_fails, tessera_ok};

/// `tessera admin key create` with `scope`; (id, key).
fn create_key(app: &TestApp, scope: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec!["admin", "key", "create", "--name", "test", "--scope", scope, "--json"];
    args.extend_from_slice(extra);
    let out: Value = serde_json::from_str(&tessera_ok(app, &args)).unwrap();
    (out["id"].as_str().unwrap().to_owned(), out["key"].as_str().unwrap().to_owned())
}

fn api(app: &TestApp, path: &str) -> String {
    app.url(&format!("/admin/api/v1{path}"))
}

/// A problem (RFC 9457) with `status`; its detail.
async fn assert_problem(response: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    assert!(body["title"].is_string() && body["type"] == "about:blank", "{body}");
    body["detail"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn every_admin_endpoint_with_a_scoped_key_and_its_refusals() {
    let app = spawn_app().await;
    app.add_user("alice");
    let http = reqwest::Client::new();
    let all = "groups:read groups:write users:read audit:read settings:read clients:read keys:read";
    let (id, key) = create_key(&app, all, &[]);
    let (_, reader) = create_key(&app, "groups:read", &[]);
    assert!(key.starts_with(&format!("tsk_{id}_")));
    // Stored hashed: the row holds the SHA-256 of the secret, not the secret. (The test does not read the SQLite
    // file itself: closing a descriptor of it would drop the server's POSIX locks in this process.)
    let secret = key.strip_prefix(&format!("tsk_{id}_")).unwrap().to_owned();
    let (stored, hash) = app.state.provider.db.find_admin_key(&id).unwrap().expect("stored");
    assert_eq!(hash, tessera::secrets::token_hash(&secret));
    assert_ne!(hash, secret);
    assert_eq!(stored.scopes, all.split(' ').collect::<Vec<_>>());
    assert!(
        tessera_fails(&app, &["admin", "key", "create", "--name", "x", "--scope", "users:admin"])
            .contains("unknown admin scope")
    );

    // No key, a wrong one: 401 with a Bearer challenge.
    let none = http.get(api(&app, "/groups")).send().await.unwrap();
    assert_eq!(none.headers()["www-authenticate"], "Bearer realm=\"tessera-admin\"");
    assert_problem(none, StatusCode::UNAUTHORIZED).await;
    let wrong = http.get(api(&app, "/groups")).bearer_auth(format!("tsk_{id}_wrong")).send().await.unwrap();
    assert_problem(wrong, StatusCode::UNAUTHORIZED).await;

    // A key without the scope: 403.
    let refused =
        http.post(api(&app, "/groups")).bearer_auth(&reader).json(&json!({"name": "x"})).send().await.unwrap();
    assert!(assert_problem(refused, StatusCode::FORBIDDEN).await.contains("groups:write"));
    let refused = http.get(api(&app, "/audit")).bearer_auth(&reader).send().await.unwrap();
    assert_problem(refused, StatusCode::FORBIDDEN).await;

    // Groups: create, read with its ETag, update with If-Match, members, delete.
    let created =
        http.post(api(&app, "/groups")).bearer_auth(&key).json(&json!({"name": "staff", "description": "Payroll"}));
    let created = created.send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.headers()["location"], "/admin/api/v1/groups/staff");
    let again = http.post(api(&app, "/groups")).bearer_auth(&key).json(&json!({"name": "staff"})).send().await.unwrap();
    assert_problem(again, StatusCode::CONFLICT).await;
    let bad = http.post(api(&app, "/groups")).bearer_auth(&key).json(&json!({"name": "no spaces"})).send().await;
    assert!(assert_problem(bad.unwrap(), StatusCode::BAD_REQUEST).await.contains("group name"));
    let read = http.get(api(&app, "/groups/staff")).bearer_auth(&reader).send().await.unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let group: Value = read.json().await.unwrap();
    assert_eq!(group["description"], "Payroll");

    let patch = |if_match: Option<&str>, description: &str| {
        let mut request = http.patch(api(&app, "/groups/staff")).bearer_auth(&key);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.json(&json!({"description": description})).send()
    };
    assert_problem(patch(None, "x").await.unwrap(), StatusCode::PRECONDITION_REQUIRED).await;
    let changed = patch(Some(&etag), "Everyone on the payroll").await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let new_etag = changed.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    // The other admin still holds the old ETag: refused, nothing overwritten.
    assert_problem(patch(Some(&etag), "Stale").await.unwrap(), StatusCode::PRECONDITION_FAILED).await;
    let now: Value = http.get(api(&app, "/groups/staff")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert_eq!(now["description"], "Everyone on the payroll");

    let put = http.put(api(&app, "/groups/staff/members/alice")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(put.status(), StatusCode::NO_CONTENT);
    let nobody = http.put(api(&app, "/groups/staff/members/nobody")).bearer_auth(&key).send().await.unwrap();
    assert!(assert_problem(nobody, StatusCode::NOT_FOUND).await.contains("no user"));
    let list: Value = http.get(api(&app, "/groups")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["members"], json!(["alice"]));
    assert!(tessera_ok(&app, &["group", "show", "staff"]).contains("alice"), "the CLI sees the API's change");
    let removed = http.delete(api(&app, "/groups/staff/members/alice")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);

    // Users (never a password hash).
    let users: Value = http.get(api(&app, "/users")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert_eq!(users[0]["username"], "alice");
    assert!(!users.to_string().contains("argon2"), "{users}");

    // Clients and signing keys, read-only, never a secret.
    app.add_client("app", crate::helpers::ClientOptions::default());
    let clients: Value = http.get(api(&app, "/clients")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert_eq!(clients[0]["client_id"], "app");
    assert!(!clients.to_string().contains("secret"), "{clients}");
    let one = http.get(api(&app, "/clients/app")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(one.json::<Value>().await.unwrap()["client_type"], "confidential");
    let none = http.get(api(&app, "/clients/none")).bearer_auth(&key).send().await.unwrap();
    assert_problem(none, StatusCode::NOT_FOUND).await;
    let keys: Value = http.get(api(&app, "/keys")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert!(keys.as_array().unwrap().iter().any(|k| k["state"] == "current"), "{keys}");
    assert!(!keys.to_string().contains("private"), "{keys}");
    let refused = http.get(api(&app, "/keys")).bearer_auth(&reader).send().await.unwrap();
    assert_problem(refused, StatusCode::FORBIDDEN).await;

    // Settings, read-only.
    let settings: Value =
        http.get(api(&app, "/settings")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert_eq!(settings["audit_retention_days"], 90);

    // The audit log: every write with the acting key, newest first, a page at a time.
    let page: Value = http
        .get(api(&app, "/audit?event=group_member_added"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["events"][0]["actor"], format!("key:{id}"));
    assert_eq!(page["events"][0]["detail"]["username"], "alice");
    let mut seen = Vec::new();
    let mut url = api(&app, "/audit?limit=1&since=0");
    loop {
        let page: Value = http.get(&url).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
        seen.extend(page["events"].as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => url = api(&app, &format!("/audit?limit=1&cursor={cursor}")),
            None => break,
        }
        assert!(seen.len() < 100, "the cursor never ends");
    }
    for event in ["admin_key_created", "group_added", "group_updated", "group_member_added", "group_member_removed"] {
        assert!(seen.iter().any(|e| e == event), "{event} not in {seen:?}");
    }
    let bad = http.get(api(&app, "/audit?cursor=nonsense")).bearer_auth(&key).send().await.unwrap();
    assert_problem(bad, StatusCode::BAD_REQUEST).await;
    let bad = http.get(api(&app, "/audit?unknown=1")).bearer_auth(&key).send().await.unwrap();
    assert_problem(bad, StatusCode::BAD_REQUEST).await;

    let deleted = http.delete(api(&app, "/groups/staff")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = http.get(api(&app, "/groups/staff")).bearer_auth(&key).send().await.unwrap();
    assert_problem(gone, StatusCode::NOT_FOUND).await;
    let unknown = http.get(api(&app, "/nothing-here")).bearer_auth(&key).send().await.unwrap();
    assert_problem(unknown, StatusCode::NOT_FOUND).await;

    // Revoked: refused at once.
    let listed = tessera_ok(&app, &["admin", "key", "list"]);
    assert!(listed.lines().any(|l| l.starts_with(&id) && l.contains("live")), "{listed}");
    tessera_ok(&app, &["admin", "key", "revoke", &id]);
    let revoked = http.get(api(&app, "/groups")).bearer_auth(&key).send().await.unwrap();
    assert_problem(revoked, StatusCode::UNAUTHORIZED).await;
    assert!(tessera_fails(&app, &["admin", "key", "revoke", &id]).contains("no live admin key"));
}

#[actix_web::test]
async fn a_key_stops_working_after_its_ttl() {
    let app = spawn_app().await;
    let (_, key) = create_key(&app, "groups:read", &["--ttl-days", "1"]);
    let http = reqwest::Client::new();
    assert_eq!(http.get(api(&app, "/groups")).bearer_auth(&key).send().await.unwrap().status(), StatusCode::OK);
    // The CLI stamped the key with the real clock, ahead of the server's fixed one by however long the test has run:
    // a day and ten minutes is past its end whatever the load.
    app.advance(24 * 3600 + 600);
    let expired = http.get(api(&app, "/groups")).bearer_auth(&key).send().await.unwrap();
    assert_problem(expired, StatusCode::UNAUTHORIZED).await;
}

/// A key made with the CLI while the server runs, after it served requests, works at once.
#[actix_web::test]
async fn a_key_made_while_the_server_runs_works_at_once() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let (id1, _) = create_key(&app, "groups:read", &[]);
    let wrong = http.get(api(&app, "/groups")).bearer_auth(format!("tsk_{id1}_x")).send().await.unwrap();
    assert_problem(wrong, StatusCode::UNAUTHORIZED).await;
    let (_, key) = create_key(&app, "groups:read", &[]);
    assert_eq!(http.get(api(&app, "/groups")).bearer_auth(&key).send().await.unwrap().status(), StatusCode::OK);
}

/// The OpenAPI 3.1 document parses, describes every route the admin API serves (the router's own table), each with
/// the Bearer scheme, and every route it describes is served (a request without a key reaches its handler: 401 or,
/// for a body that does not parse, 400; never the 404 of an unknown path).
#[actix_web::test]
async fn the_openapi_document_describes_every_served_route() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/admin/api/openapi.json")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.expect("the document is JSON");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["components"]["securitySchemes"]["admin_key"]["scheme"], "bearer");
    let served = tessera::startup::ADMIN_API_ROUTES;
    let mut described = 0;
    for (path, methods) in doc["paths"].as_object().expect("paths") {
        for method in methods.as_object().unwrap().keys() {
            described += 1;
            assert!(served.contains(&(method.as_str(), path.as_str())), "{method} {path} is described but not served");
        }
    }
    assert_eq!(described, served.len(), "every served route is described once");
    let http = reqwest::Client::new();
    for (method, path) in served {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} is not in the document");
        let url = app.url(&path.replace("{name}", "staff").replace("{username}", "alice"));
        let response = http.request(method.to_uppercase().parse().unwrap(), url).send().await.unwrap();
        assert!(
            matches!(response.status(), StatusCode::UNAUTHORIZED | StatusCode::BAD_REQUEST),
            "{method} {path}: {}",
            response.status()
        );
    }
}

/// The integration doctor: a misconfigured client's failed requests, explained in plain words with the fix, never
/// with a secret.
#[actix_web::test]
async fn the_doctor_explains_a_misconfigured_clients_failures() {
    let app = spawn_app().await;
    let client = app.add_client("app", crate::helpers::ClientOptions::default());
    tessera_ok(&app, &["client", "update", "app", "--token-endpoint-auth-method", "client_secret_basic"]);
    let (_, key) = create_key(&app, "clients:read", &[]);
    let http = reqwest::Client::new();
    // A trailing slash, no PKCE, then client_secret_post.
    let slash = app.authorize_url(&client, &[("redirect_uri", &format!("{}/", client.redirect_uri))]);
    assert_eq!(reqwest::get(&slash).await.unwrap().status(), StatusCode::BAD_REQUEST);
    let no_pkce = crate::helpers::without_params(&app.authorize_url(&client, &[]), "code_challenge");
    // Refused back to the client (a redirect, not followed).
    let refused = crate::helpers::browser().get(&no_pkce).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    let secret = client.secret.clone().unwrap();
    let post = http
        .post(app.url("/oauth/token"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
            ("client_id", "app"),
            ("client_secret", &secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::UNAUTHORIZED);

    let response = http.get(api(&app, "/clients/app/doctor")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let found: Vec<Value> = serde_json::from_str(&text).unwrap();
    let problems: Vec<&str> = found.iter().map(|d| d["problem"].as_str().unwrap()).collect();
    let registered = &client.redirect_uri;
    assert!(
        problems.contains(
            &format!("redirect_uri `{registered}/` is not registered; registered: `{registered}` (trailing slash)")
                .as_str()
        ),
        "{problems:?}"
    );
    assert!(problems.contains(&"the client sent no PKCE (no code_challenge)"), "{problems:?}");
    assert!(
        problems.contains(
            &"client authentication used client_secret_post but the client is registered for client_secret_basic"
        ),
        "{problems:?}"
    );
    assert!(found.iter().all(|d| !d["fix"].as_str().unwrap().is_empty()));
    assert!(!text.contains(&secret), "a secret in the doctor's answer");
}

/// An access token of `client` for `username` (code flow, PKCE).
async fn access_token(app: &TestApp, client: &crate::helpers::TestClient, username: &str) -> String {
    use crate::helpers::{VERIFIER, exchange_code, obtain_code};
    let code = obtain_code(app, client, username).await;
    let body: Value = exchange_code(app, client, &code, VERIFIER).await.json().await.unwrap();
    body["access_token"].as_str().expect("an access token").to_owned()
}

/// The actor: an admin API key still works; an access token of Tessera's own admin client (`tessera-admin`) acts
/// for a member of `admins` (audited as `user:<username>`), while a token of another client is 401 and the token of
/// a user outside `admins` is 403, checked at each call (a membership removed since is refused at once).
#[actix_web::test]
async fn an_admin_pages_access_token_acts_for_a_member_of_admins() {
    use crate::helpers::ClientOptions;
    let app = spawn_app().await;
    app.add_user("alice");
    tessera_ok(&app, &["group", "add", "admins"]);
    tessera_ok(&app, &["group", "add-member", "admins", "alice"]);
    let http = reqwest::Client::new();
    let (_, key) = create_key(&app, "groups:read", &[]);
    assert_eq!(http.get(api(&app, "/groups")).bearer_auth(&key).send().await.unwrap().status(), StatusCode::OK);

    // The admin pages' own client is registered at start; its token comes through the pages' sign-in.
    let admin = crate::admin_pages::admin_pages_token(&app, "alice").await;
    let created =
        http.post(api(&app, "/groups")).bearer_auth(&admin).json(&json!({"name": "staff"})).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let page: Value =
        http.get(api(&app, "/audit?event=group_added")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    let staff = page["events"].as_array().unwrap().iter().find(|e| e["detail"]["group"] == "staff").cloned();
    assert_eq!(staff.expect("the audit event")["actor"], "user:alice");

    // Alice's token of another client is not for the admin API.
    let app_client = app.add_client("app", ClientOptions { skip_consent: true, ..Default::default() });
    let other = access_token(&app, &app_client, "alice").await;
    let refused = http.get(api(&app, "/groups")).bearer_auth(&other).send().await.unwrap();
    assert_problem(refused, StatusCode::UNAUTHORIZED).await;
    let refused = http.get(api(&app, "/groups")).bearer_auth("not-a-token").send().await.unwrap();
    assert_problem(refused, StatusCode::UNAUTHORIZED).await;

    // Alice leaves admins: her token no longer acts.
    tessera_ok(&app, &["group", "remove-member", "admins", "alice"]);
    let refused = http.get(api(&app, "/groups")).bearer_auth(&admin).send().await.unwrap();
    assert!(assert_problem(refused, StatusCode::FORBIDDEN).await.contains("admins"));
}

/// The status of a token request authenticated with `secret` (client_secret_basic): a refresh token that does not
/// exist is `invalid_grant` (400) once the client authenticated, `invalid_client` (401) before.
async fn token_endpoint_authenticates(app: &TestApp, client_id: &str, secret: &str) -> StatusCode {
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(client_id, Some(secret))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "none")])
        .send()
        .await
        .unwrap();
    response.status()
}

/// A request to the admin API with `key` and an optional JSON body and If-Match.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: &str,
    body: Option<Value>,
    if_match: Option<&str>,
) -> reqwest::Response {
    let mut request = reqwest::Client::new().request(method, api(app, path)).bearer_auth(key);
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

fn etag(response: &reqwest::Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}

/// Users through the API with a scoped key: create (the CLI's password rule), read with an ETag, update with
/// If-Match (428 without, 412 stale), sessions listed and ended as logout ends them (the online grant stops
/// refreshing), disable/enable, invite (the link opens the page), MFA reset, delete; 403 for a key without
/// `users:write`; every write audited with the key.
#[actix_web::test]
async fn users_are_managed_through_the_api() {
    use reqwest::Method;
    let app = spawn_app().await;
    let (id, key) = create_key(&app, "users:read users:write audit:read", &[]);
    let (_, reader) = create_key(&app, "users:read", &[]);
    let new = json!({"username": "carol", "email": "carol@example.com", "password": crate::helpers::PASSWORD,
        "name": "Carol Example"});

    let refused = send(&app, Method::POST, "/users", &reader, Some(new.clone()), None).await;
    assert!(assert_problem(refused, StatusCode::FORBIDDEN).await.contains("users:write"));
    let weak = json!({"username": "carol", "email": "carol@example.com", "password": "carol123"});
    assert_problem(send(&app, Method::POST, "/users", &key, Some(weak), None).await, StatusCode::BAD_REQUEST).await;
    let created = send(&app, Method::POST, "/users", &key, Some(new.clone()), None).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.headers()["location"], "/admin/api/v1/users/carol");
    let created_tag = etag(&created);
    let carol: Value = created.json().await.unwrap();
    assert_eq!((carol["username"].as_str(), carol["has_password"].as_bool()), (Some("carol"), Some(true)));
    assert!(!carol.to_string().contains("argon2"), "{carol}");
    let again = send(&app, Method::POST, "/users", &key, Some(new), None).await;
    assert_problem(again, StatusCode::CONFLICT).await;

    // Read, update with If-Match; a stale tag is refused and nothing is overwritten.
    let read = send(&app, Method::GET, "/users/carol", &reader, None, None).await;
    assert_eq!(read.status(), StatusCode::OK);
    let tag = etag(&read);
    assert_eq!(tag, created_tag);
    let change = json!({"given_name": "Carol", "email": "c@example.com"});
    let missing = send(&app, Method::PATCH, "/users/carol", &key, Some(change.clone()), None).await;
    assert_problem(missing, StatusCode::PRECONDITION_REQUIRED).await;
    let refused = send(&app, Method::PATCH, "/users/carol", &reader, Some(change.clone()), Some(&tag)).await;
    assert_problem(refused, StatusCode::FORBIDDEN).await;
    let changed = send(&app, Method::PATCH, "/users/carol", &key, Some(change), Some(&tag)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(etag(&changed), tag);
    let now: Value = changed.json().await.unwrap();
    assert_eq!((now["given_name"].as_str(), now["email"].as_str()), (Some("Carol"), Some("c@example.com")));
    assert_eq!(now["email_verified"], false, "a new address is not verified");
    let stale = send(&app, Method::PATCH, "/users/carol", &key, Some(json!({"given_name": "Stale"})), Some(&tag));
    assert_problem(stale.await, StatusCode::PRECONDITION_FAILED).await;
    let bad = send(&app, Method::PATCH, "/users/carol", &key, Some(json!({"email": "nope"})), Some("*")).await;
    assert_problem(bad, StatusCode::BAD_REQUEST).await;
    let shown: Value = send(&app, Method::GET, "/users/carol", &key, None, None).await.json().await.unwrap();
    assert_eq!(shown["given_name"], "Carol");
    assert!(tessera_ok(&app, &["user", "show", "carol"]).contains("Carol"), "the CLI sees the API's change");

    // Sessions: listed, one ended, then all; ending one revokes its online grant, as logout does.
    let client = app.add_client("app", crate::helpers::ClientOptions { skip_consent: true, ..Default::default() });
    let code = crate::helpers::obtain_code(&app, &client, "carol").await;
    let tokens: Value =
        crate::helpers::exchange_code(&app, &client, &code, crate::helpers::VERIFIER).await.json().await.unwrap();
    let refresh = tokens["refresh_token"].as_str().expect("a refresh token").to_owned();
    let sessions: Value =
        send(&app, Method::GET, "/users/carol/sessions", &reader, None, None).await.json().await.unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 1, "{sessions}");
    assert_eq!(sessions[0]["clients"], json!(["app"]));
    let sid = sessions[0]["sid"].as_str().unwrap().to_owned();
    let refused = send(&app, Method::DELETE, &format!("/users/carol/sessions/{sid}"), &reader, None, None).await;
    assert_problem(refused, StatusCode::FORBIDDEN).await;
    let none = send(&app, Method::DELETE, "/users/carol/sessions/no-such-sid", &key, None, None).await;
    assert_problem(none, StatusCode::NOT_FOUND).await;
    let ended = send(&app, Method::DELETE, &format!("/users/carol/sessions/{sid}"), &key, None, None).await;
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    let sessions: Value =
        send(&app, Method::GET, "/users/carol/sessions", &key, None, None).await.json().await.unwrap();
    assert_eq!(sessions, json!([]));
    assert_ne!(crate::helpers::refresh_status(&app, &client, &refresh).await, StatusCode::OK, "the grant is revoked");
    crate::helpers::obtain_code(&app, &client, "carol").await;
    crate::helpers::obtain_code(&app, &client, "carol").await;
    let listed: Value = send(&app, Method::GET, "/users/carol/sessions", &key, None, None).await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let all = send(&app, Method::DELETE, "/users/carol/sessions", &key, None, None).await;
    assert_eq!(all.status(), StatusCode::NO_CONTENT);
    let sessions: Value =
        send(&app, Method::GET, "/users/carol/sessions", &key, None, None).await.json().await.unwrap();
    assert_eq!(sessions, json!([]));

    // Disable, enable.
    assert_eq!(
        send(&app, Method::POST, "/users/carol/disable", &key, None, None).await.status(),
        StatusCode::NO_CONTENT
    );
    let shown: Value = send(&app, Method::GET, "/users/carol", &key, None, None).await.json().await.unwrap();
    assert_eq!(shown["disabled"], true);
    assert_eq!(
        send(&app, Method::POST, "/users/carol/enable", &key, None, None).await.status(),
        StatusCode::NO_CONTENT
    );
    let shown: Value = send(&app, Method::GET, "/users/carol", &key, None, None).await.json().await.unwrap();
    assert_eq!(shown["disabled"], false);
    let nobody = send(&app, Method::POST, "/users/nobody/disable", &key, None, None).await;
    assert_problem(nobody, StatusCode::NOT_FOUND).await;

    // Invite: a new account without a password and a link that opens the invitation page; not for carol.
    let invited =
        send(&app, Method::POST, "/users/dave/invite", &key, Some(json!({"email": "dave@example.com"})), None);
    let invited = invited.await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let invitation: Value = invited.json().await.unwrap();
    let link = invitation["link"].as_str().unwrap();
    assert!(link.starts_with(&app.url("/invite/")), "{link}");
    assert_eq!(reqwest::get(link).await.unwrap().status(), StatusCode::OK);
    let dave: Value = send(&app, Method::GET, "/users/dave", &key, None, None).await.json().await.unwrap();
    assert_eq!(dave["has_password"], false);
    let refused = send(&app, Method::POST, "/users/carol/invite", &key, Some(json!({"email": "c@example.com"})), None);
    assert_problem(refused.await, StatusCode::CONFLICT).await;

    // MFA reset: nothing to remove, then a TOTP factor removed.
    let reset: Value = send(&app, Method::POST, "/users/carol/mfa/reset", &key, None, None).await.json().await.unwrap();
    assert_eq!(reset["removed"], false);
    tessera_ok(&app, &["user", "totp", "add", "carol"]);
    let reset: Value = send(&app, Method::POST, "/users/carol/mfa/reset", &key, None, None).await.json().await.unwrap();
    assert_eq!(reset["removed"], true);
    assert!(tessera_ok(&app, &["user", "totp", "add", "carol"]).contains("otpauth://"), "the factor was removed");

    // Delete.
    let refused = send(&app, Method::DELETE, "/users/carol", &reader, None, None).await;
    assert_problem(refused, StatusCode::FORBIDDEN).await;
    assert_eq!(send(&app, Method::DELETE, "/users/carol", &key, None, None).await.status(), StatusCode::NO_CONTENT);
    assert_problem(send(&app, Method::GET, "/users/carol", &key, None, None).await, StatusCode::NOT_FOUND).await;

    let page: Value =
        send(&app, Method::GET, "/audit?limit=1000&since=0", &key, None, None).await.json().await.unwrap();
    let actor = format!("key:{id}");
    for event in [
        "user_added",
        "user_updated",
        "user_sessions_ended",
        "user_disabled",
        "user_enabled",
        "user_invited",
        "user_mfa_reset",
        "user_removed",
    ] {
        let found = page["events"].as_array().unwrap().iter().any(|e| e["event"] == event && e["actor"] == actor);
        assert!(found, "no {event} by {actor}");
    }
}

/// Clients through the API with a scoped key: create (the secret once), update with If-Match (428, 412), the
/// registration rules of the CLI (400), rotate the secret with an overlap (old and new both authenticate at the
/// token endpoint until it ends, then only the new), delete; and signing keys rotated and revoked (the revoked kid
/// leaves the JWKS); 403 without the write scopes; every write audited.
#[actix_web::test]
async fn clients_and_signing_keys_are_managed_through_the_api() {
    use reqwest::Method;
    let app = spawn_app().await;
    let (id, key) = create_key(&app, "clients:read clients:write keys:read keys:write audit:read", &[]);
    let (_, reader) = create_key(&app, "clients:read keys:read", &[]);
    let new = json!({"client_id": "web", "name": "Web", "redirect_uris": ["http://127.0.0.1:9/web/callback"]});

    let refused = send(&app, Method::POST, "/clients", &reader, Some(new.clone()), None).await;
    assert!(assert_problem(refused, StatusCode::FORBIDDEN).await.contains("clients:write"));
    let bad = json!({"client_id": "bad", "redirect_uris": ["not a uri"]});
    assert_problem(send(&app, Method::POST, "/clients", &key, Some(bad), None).await, StatusCode::BAD_REQUEST).await;
    let bad = json!({"client_id": "bad", "redirect_uris": ["http://127.0.0.1:9/cb"], "allowed_groups": ["nogroup"]});
    let detail =
        assert_problem(send(&app, Method::POST, "/clients", &key, Some(bad), None).await, StatusCode::BAD_REQUEST);
    assert!(detail.await.contains("no group"));
    let created = send(&app, Method::POST, "/clients", &key, Some(new.clone()), None).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.headers()["location"], "/admin/api/v1/clients/web");
    let body: Value = created.json().await.unwrap();
    let first = body["client_secret"].as_str().expect("the secret, once").to_owned();
    assert_eq!(body["client_type"], "confidential");
    assert_eq!(token_endpoint_authenticates(&app, "web", &first).await, StatusCode::BAD_REQUEST);
    assert_problem(send(&app, Method::POST, "/clients", &key, Some(new), None).await, StatusCode::CONFLICT).await;
    let shown = send(&app, Method::GET, "/clients/web", &reader, None, None).await;
    let tag = etag(&shown);
    assert!(!shown.text().await.unwrap().contains(&first), "the secret is shown once");

    let change = json!({"name": "Web app", "skip_consent": true});
    let missing = send(&app, Method::PATCH, "/clients/web", &key, Some(change.clone()), None).await;
    assert_problem(missing, StatusCode::PRECONDITION_REQUIRED).await;
    let changed = send(&app, Method::PATCH, "/clients/web", &key, Some(change), Some(&tag)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(etag(&changed), tag);
    let stale = send(&app, Method::PATCH, "/clients/web", &key, Some(json!({"name": "Stale"})), Some(&tag)).await;
    assert_problem(stale, StatusCode::PRECONDITION_FAILED).await;
    let shown: Value = send(&app, Method::GET, "/clients/web", &key, None, None).await.json().await.unwrap();
    assert_eq!((shown["name"].as_str(), shown["skip_consent"].as_bool()), (Some("Web app"), Some(true)));
    let broken = json!({"redirect_uris": []});
    let broken = send(&app, Method::PATCH, "/clients/web", &key, Some(broken), Some("*")).await;
    assert_problem(broken, StatusCode::BAD_REQUEST).await;

    // The secret, rotated with an hour's overlap: both work until it ends, then only the new one.
    let refused = send(&app, Method::POST, "/clients/web/secret", &reader, Some(json!({})), None).await;
    assert_problem(refused, StatusCode::FORBIDDEN).await;
    let rotated = send(&app, Method::POST, "/clients/web/secret", &key, Some(json!({"overlap_secs": 3600})), None);
    let rotated: Value = rotated.await.json().await.unwrap();
    let second = rotated["client_secret"].as_str().unwrap().to_owned();
    assert_eq!(rotated["previous_secret_expires_at"], app.now() + 3600);
    assert_eq!(token_endpoint_authenticates(&app, "web", &first).await, StatusCode::BAD_REQUEST, "old, in the overlap");
    assert_eq!(token_endpoint_authenticates(&app, "web", &second).await, StatusCode::BAD_REQUEST, "new");
    assert_eq!(token_endpoint_authenticates(&app, "web", "wrong").await, StatusCode::UNAUTHORIZED);
    app.advance(3601);
    assert_eq!(token_endpoint_authenticates(&app, "web", &first).await, StatusCode::UNAUTHORIZED, "old, after it");
    assert_eq!(token_endpoint_authenticates(&app, "web", &second).await, StatusCode::BAD_REQUEST);
    // Without a body: a day's overlap.
    let rotated: Value = send(&app, Method::POST, "/clients/web/secret", &key, None, None).await.json().await.unwrap();
    assert_eq!(rotated["previous_secret_expires_at"], app.now() + 24 * 3600);
    let too_long =
        send(&app, Method::POST, "/clients/web/secret", &key, Some(json!({"overlap_secs": 99_999_999})), None);
    assert_problem(too_long.await, StatusCode::BAD_REQUEST).await;

    // Signing keys: rotated once the next key was published long enough, then the old one revoked.
    let keys: Value = send(&app, Method::GET, "/keys", &key, None, None).await.json().await.unwrap();
    let current = |keys: &Value| {
        keys.as_array().unwrap().iter().find(|k| k["state"] == "current").unwrap()["kid"].as_str().unwrap().to_owned()
    };
    let old = current(&keys);
    let refused = send(&app, Method::POST, "/keys/rotate", &reader, None, None).await;
    assert_problem(refused, StatusCode::FORBIDDEN).await;
    app.advance(10);
    let rotated = send(&app, Method::POST, "/keys/rotate", &key, None, None).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let rotated: Value = rotated.json().await.unwrap();
    let signer = rotated[0]["kid"].as_str().unwrap().to_owned();
    assert_ne!(signer, old);
    let keys: Value = send(&app, Method::GET, "/keys", &key, None, None).await.json().await.unwrap();
    assert_eq!(current(&keys), signer);
    let jwks = reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap().text().await.unwrap();
    assert!(jwks.contains(&old), "the previous key is still published");
    let revoked = send(&app, Method::POST, &format!("/keys/{old}/revoke"), &key, None, None).await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(revoked.json::<Value>().await.unwrap()["signer"], signer);
    let jwks = reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap().text().await.unwrap();
    assert!(!jwks.contains(&old), "a revoked key leaves the JWKS at once");
    let unknown = send(&app, Method::POST, "/keys/no-such-kid/revoke", &key, None, None).await;
    assert_problem(unknown, StatusCode::NOT_FOUND).await;

    // Delete.
    assert_eq!(send(&app, Method::DELETE, "/clients/web", &key, None, None).await.status(), StatusCode::NO_CONTENT);
    assert_problem(send(&app, Method::GET, "/clients/web", &key, None, None).await, StatusCode::NOT_FOUND).await;
    assert_eq!(token_endpoint_authenticates(&app, "web", &second).await, StatusCode::UNAUTHORIZED);

    let page: Value =
        send(&app, Method::GET, "/audit?limit=1000&since=0", &key, None, None).await.json().await.unwrap();
    let actor = format!("key:{id}");
    for event in [
        "client_registered",
        "client_updated",
        "client_secret_rotated",
        "client_removed",
        "signing_key_rotated",
        "signing_key_revoked",
    ] {
        let found = page["events"].as_array().unwrap().iter().any(|e| e["event"] == event && e["actor"] == actor);
        assert!(found, "no {event} by {actor}");
    }
}

/// `tessera client rotate-secret --overlap-hours N`: the CLI's rotation is the API's (same core), hours or seconds.
#[actix_web::test]
async fn the_cli_rotates_a_secret_with_an_overlap_in_hours() {
    let app = spawn_app().await;
    let client = app.add_client("api", crate::helpers::ClientOptions::default());
    let old = client.secret.clone().unwrap();
    let out = tessera_ok(&app, &["client", "rotate-secret", "api", "--overlap-hours", "2", "--json"]);
    let rotated: Value = serde_json::from_str(&out).unwrap();
    let new = rotated["client_secret"].as_str().unwrap().to_owned();
    let until = rotated["previous_secret_expires_at"].as_i64().unwrap();
    // The CLI dates it by the real clock, a little ahead of the server's fixed one.
    assert!((app.now() + 7200..app.now() + 7200 + 600).contains(&until), "{until}");
    assert_eq!(token_endpoint_authenticates(&app, "api", &old).await, StatusCode::BAD_REQUEST);
    assert_eq!(token_endpoint_authenticates(&app, "api", &new).await, StatusCode::BAD_REQUEST);
    app.advance(7200 + 600);
    assert_eq!(token_endpoint_authenticates(&app, "api", &old).await, StatusCode::UNAUTHORIZED);
    let both = crate::helpers::tessera_fails(
        &app,
        &["client", "rotate-secret", "api", "--overlap-hours", "1", "--overlap-secs", "5"],
    );
    assert!(both.contains("cannot be used with"), "{both}");
}

/// The client fields the CLI has beside the basic registration, through the API under the CLI's rules: a logo (a
/// data URI checked and stored), the keys of private_key_jwt (a JWKS, then a jwks_uri replacing it), the ID token's
/// algorithm (one of signing_algs), the refresh reuse grace, PAR required, the device code lifetime; the CLI shows
/// what the API stored, and each rule refuses (400) a value the CLI refuses.
#[actix_web::test]
async fn the_api_takes_the_clis_other_client_fields_under_its_rules() {
    use reqwest::Method;
    let app = spawn_app().await;
    let (_, key) = create_key(&app, "clients:read clients:write", &[]);
    let logo = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==";
    let jwks = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]});
    let new = json!({
        "client_id": "svc",
        "redirect_uris": ["http://127.0.0.1:9/svc/callback"],
        "token_endpoint_auth_method": "private_key_jwt",
        "logo_uri": logo,
        "jwks": jwks,
        "id_token_signed_response_alg": "RS256",
        "refresh_token_reuse_grace_secs": 5,
        "require_pushed_authorization_requests": true,
        "device_code_ttl_secs": 600,
    });
    let created = send(&app, Method::POST, "/clients", &key, Some(new.clone()), None).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body: Value = created.json().await.unwrap();
    assert!(body.get("client_secret").is_none(), "a private_key_jwt client gets no secret: {body}");
    for (field, value) in [
        ("logo", json!(true)),
        ("jwks", json!(true)),
        ("jwks_uri", Value::Null),
        ("id_token_signed_response_alg", json!("RS256")),
        ("refresh_token_reuse_grace_secs", json!(5)),
        ("require_pushed_authorization_requests", json!(true)),
        ("device_code_ttl_secs", json!(600)),
    ] {
        assert_eq!(body[field], value, "{field}: {body}");
    }
    let shown = tessera_ok(&app, &["client", "show", "svc"]);
    for line in [
        "logo:                       stored",
        "jwks:                       registered",
        "require_par:                true",
        "device_code_ttl:            600 s",
    ] {
        assert!(shown.contains(line), "{line}: {shown}");
    }

    // jwks_uri replaces the registered keys.
    let read = send(&app, Method::GET, "/clients/svc", &key, None, None).await;
    let tag = etag(&read);
    let change = json!({"jwks_uri": "https://keys.example/jwks.json", "require_pushed_authorization_requests": false});
    let changed = send(&app, Method::PATCH, "/clients/svc", &key, Some(change), Some(&tag)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let body: Value = changed.json().await.unwrap();
    assert_eq!(
        (body["jwks"].as_bool(), body["jwks_uri"].as_str()),
        (Some(false), Some("https://keys.example/jwks.json"))
    );
    assert_eq!(body["require_pushed_authorization_requests"], false);

    // The CLI's refusals.
    for (field, value) in [
        ("refresh_token_reuse_grace_secs", json!(61)),
        ("device_code_ttl_secs", json!(0)),
        ("id_token_signed_response_alg", json!("ES256")),
        ("id_token_signed_response_alg", json!("none")),
        ("logo_uri", json!("data:text/html;base64,PGI+")),
        ("jwks_uri", json!("http://keys.example/jwks.json")),
        ("jwks", json!({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})),
    ] {
        let mut bad = json!({"client_id": "bad", "redirect_uris": ["http://127.0.0.1:9/cb"],
            "token_endpoint_auth_method": "private_key_jwt", "jwks": jwks});
        bad[field] = value;
        let refused = send(&app, Method::POST, "/clients", &key, Some(bad), None).await;
        assert_problem(refused, StatusCode::BAD_REQUEST).await;
    }
    // Keys without private_key_jwt are refused as the CLI refuses them.
    let keyless = json!({"client_id": "bad", "redirect_uris": ["http://127.0.0.1:9/cb"], "jwks": jwks});
    assert_problem(send(&app, Method::POST, "/clients", &key, Some(keyless), None).await, StatusCode::BAD_REQUEST)
        .await;
    assert_problem(send(&app, Method::GET, "/clients/bad", &key, None, None).await, StatusCode::NOT_FOUND).await;
}
