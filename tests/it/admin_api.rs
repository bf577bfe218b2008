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
