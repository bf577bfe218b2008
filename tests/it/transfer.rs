//! Moving a deployment from SQLite to PostgreSQL with `tessera export` and `tessera import`, as an operator would:
//! the users keep their passwords, the clients their secrets, and the signing keys move so tokens keep verifying.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{PASSWORD, TestClient, VERIFIER, exchange_code, obtain_code, require_postgres, spawn_app_with};

/// Where a `tessera` command points: a SQLite data dir, or a PostgreSQL URL (with a data dir that stays empty).
enum Target<'a> {
    Sqlite(&'a Path),
    Postgres { url: &'a str, data_dir: &'a Path },
}

fn run(target: &Target<'_>, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = crate::helpers::tessera_command();
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    match target {
        Target::Sqlite(dir) => command.env("TESSERA_DATA_DIR", dir),
        Target::Postgres { url, data_dir } => {
            command.env("TESSERA_DATA_DIR", data_dir).env("TESSERA_DATABASE_URL", url)
        }
    };
    let mut child = command.spawn().expect("run tessera");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(input) = stdin {
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("tessera output")
}

fn ok(target: &Target<'_>, args: &[&str], stdin: Option<&str>) -> String {
    let out = run(target, args, stdin);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// (kid, state) of every key in `tessera keys list`.
fn listed_keys(list: &str) -> BTreeSet<(String, String)> {
    let mut lines = list.lines();
    assert!(lines.next().is_some_and(|header| header.starts_with("KID")), "{list}");
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut columns = line.split_whitespace();
            let kid = columns.next().expect("kid").to_owned();
            let state = columns.next().expect("state").to_owned();
            (kid, state)
        })
        .collect()
}

/// The row of `username` in `tessera user list`, split into columns.
fn user_row(list: &str, username: &str) -> Vec<String> {
    let rows: Vec<&str> = list.lines().filter(|l| l.split_whitespace().next() == Some(username)).collect();
    assert_eq!(rows.len(), 1, "one {username} in {list}");
    rows[0].split_whitespace().map(str::to_owned).collect()
}

/// The decoded JSON of a JWT's header (0) or payload (1).
fn jwt_part(jwt: &str, index: usize) -> Value {
    let part = jwt.split('.').nth(index).expect("JWT part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

#[actix_web::test]
#[ignore = "needs PostgreSQL at IT_POSTGRES_URL (see README)"]
async fn postgres_export_import_moves_a_sqlite_deployment() {
    let postgres = require_postgres("postgres_export_import_moves_a_sqlite_deployment");
    let work = tempfile::tempdir().expect("temp dir");
    let sqlite_dir = work.path().join("sqlite");
    let sqlite = Target::Sqlite(&sqlite_dir);
    let unused_dir = work.path().join("postgres-node");
    let target = Target::Postgres { url: &postgres.url, data_dir: &unused_dir };
    // Only `migrate` (and `serve`) create a database; the other commands need one.
    ok(&sqlite, &["migrate"], None);

    // The SQLite deployment: a user, a confidential client, and its keys.
    let added = ok(
        &sqlite,
        &[
            "user",
            "add",
            "alice",
            "--email",
            "alice@example.com",
            "--name",
            "Alice",
            "--email-verified",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(added.contains("added user alice"), "{added}");
    let redirect_uri = "http://127.0.0.1:9/moved/callback";
    let registered = ok(
        &sqlite,
        &["client", "add", "--id", "moved", "--name", "Moved App", "--redirect-uri", redirect_uri, "--json"],
        None,
    );
    let registered: Value = serde_json::from_str(&registered).expect("client JSON");
    let secret = registered["client_secret"].as_str().expect("client_secret").to_owned();
    let keys_before = listed_keys(&ok(&sqlite, &["keys", "list"], None));
    let states: BTreeSet<&str> = keys_before.iter().map(|(_, state)| state.as_str()).collect();
    assert!(states.contains("current") && states.contains("next"), "{keys_before:?}");
    let kids: BTreeSet<String> = keys_before.iter().map(|(kid, _)| kid.clone()).collect();
    let users_before = ok(&sqlite, &["user", "list"], None);
    let alice_before = user_row(&users_before, "alice");
    let client_before = ok(&sqlite, &["client", "show", "moved"], None);

    // The export: owner-only JSON lines, hashes rather than secrets.
    let export = work.path().join("tessera-export.jsonl");
    let exported = run(&sqlite, &["export", "--output", export.to_str().expect("path")], None);
    assert!(exported.status.success(), "export failed: {}", String::from_utf8_lossy(&exported.stderr));
    assert!(exported.stdout.is_empty(), "the records go to the file, not stdout");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&export).expect("export file").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the export holds password hashes and private keys: owner only");
    let content = std::fs::read_to_string(&export).expect("read export");
    assert!(!content.contains(&secret), "the client secret itself is never stored, only its hash");
    assert!(!content.contains(PASSWORD), "the password itself is never stored, only its hash");
    let records: Vec<Value> =
        content.lines().map(|line| serde_json::from_str(line).expect("each line is one JSON object")).collect();
    let of_type = |t: &str| records.iter().filter(|r| r["type"] == t).collect::<Vec<_>>();
    let types: BTreeSet<&str> = records.iter().map(|r| r["type"].as_str().expect("type")).collect();
    assert_eq!(types, BTreeSet::from(["client", "key", "user"]), "{content}");
    assert_eq!(of_type("user").len(), 1);
    assert_eq!(of_type("user")[0]["username"], "alice");
    assert_eq!(of_type("client").len(), 1);
    assert_eq!(of_type("client")[0]["id"], "moved");
    let exported_kids: BTreeSet<String> =
        of_type("key").iter().map(|k| k["kid"].as_str().expect("kid").to_owned()).collect();
    assert_eq!(exported_kids, kids, "every key is exported");
    let again = run(&sqlite, &["export", "--output", export.to_str().expect("path")], None);
    assert!(!again.status.success(), "an export never overwrites a file");
    assert_eq!(std::fs::read_to_string(&export).expect("read export"), content);

    // The import into a fresh PostgreSQL database, given Tessera's schema first (import does not create it).
    ok(&target, &["migrate"], None);
    let imported = ok(&target, &["import", export.to_str().expect("path")], None);
    assert!(imported.contains(&format!("imported {} records", records.len())), "{imported}");
    assert!(!unused_dir.join("tessera.db").exists(), "the import went to PostgreSQL, not to a SQLite file");

    let users_after = ok(&target, &["user", "list"], None);
    assert_eq!(user_row(&users_after, "alice"), alice_before, "same user, same subject: {users_after}");
    assert_eq!(users_after.lines().count(), users_before.lines().count(), "{users_after}");
    let client_after = ok(&target, &["client", "show", "moved"], None);
    assert_eq!(client_after, client_before);
    assert!(client_after.contains("Moved App") && client_after.contains(redirect_uri), "{client_after}");
    assert!(client_after.contains("confidential"), "{client_after}");
    let keys_after = listed_keys(&ok(&target, &["keys", "list"], None));
    assert_eq!(keys_after, keys_before, "the same kids in the same states");

    let twice = run(&target, &["import", export.to_str().expect("path")], None);
    assert!(!twice.status.success(), "a second import must fail: the target is no longer empty");
    let refusal = String::from_utf8_lossy(&twice.stderr);
    assert!(refusal.contains("empty"), "{refusal}");
    assert_eq!(user_row(&ok(&target, &["user", "list"], None), "alice"), alice_before, "nothing changed");
    assert_eq!(listed_keys(&ok(&target, &["keys", "list"], None)), keys_before);

    // A node on PostgreSQL: the imported user signs in with their password, the client authenticates with its
    // secret, and the tokens are signed with a key that moved.
    let url = postgres.url.clone();
    let app = spawn_app_with(|s| s.database_url = url).await;
    let client = TestClient { id: "moved".into(), secret: Some(secret), redirect_uri: redirect_uri.into() };
    let code = obtain_code(&app, &client, "alice").await;
    let response = exchange_code(&app, &client, &code, VERIFIER).await;
    let status = response.status();
    let body = response.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "the imported client's secret works: {body}");
    let tokens: Value = serde_json::from_str(&body).expect("token JSON");
    let id_token = tokens["id_token"].as_str().expect("id_token");
    let kid = jwt_part(id_token, 0)["kid"].as_str().expect("kid").to_owned();
    assert!(kids.contains(&kid), "ID token signed with {kid}, not one of the exported keys {kids:?}");
    let claims = jwt_part(id_token, 1);
    assert_eq!(claims["sub"], alice_before[1].as_str(), "the subject moved with the user");
    assert!(claims["aud"] == "moved" || claims["aud"] == serde_json::json!(["moved"]), "{claims}");

    let jwks: Value = reqwest::get(app.url("/.well-known/jwks.json")).await.expect("jwks").json().await.expect("JSON");
    let published: BTreeSet<String> =
        jwks["keys"].as_array().expect("keys").iter().map(|k| k["kid"].as_str().expect("kid").to_owned()).collect();
    assert_eq!(published, kids, "the node on PostgreSQL publishes exactly the moved keys");

    let userinfo = reqwest::Client::new()
        .get(app.url("/userinfo"))
        .bearer_auth(tokens["access_token"].as_str().expect("access_token"))
        .send()
        .await
        .expect("userinfo");
    assert_eq!(userinfo.status(), StatusCode::OK);
    let userinfo: Value = userinfo.json().await.expect("JSON");
    assert_eq!(userinfo["email"], "alice@example.com");
    assert_eq!(userinfo["email_verified"], true);
    assert_eq!(userinfo["name"], "Alice");
}

/// An import obeys the rules of every other way in. A user's `sub` is its id, a UUID, which no client id can be: an
/// edited export whose user id is not a UUID (it could then equal a client id, the `sub` of that client's
/// client-credentials tokens) is refused; so is a client that breaks a registration rule.
#[actix_web::test]
async fn import_refuses_records_no_other_way_in_would_make() {
    use tessera::storage::{Database, ExportRecord, PoolOptions, Transfer};
    let source = crate::helpers::spawn_app().await;
    source.add_user("alice");
    let target = crate::helpers::spawn_app().await;
    let open = |app: &crate::helpers::TestApp| {
        Database::open(&app.state.settings.database_location(), PoolOptions::small()).unwrap()
    };
    let mut records = open(&source).export_records().unwrap();
    for record in &mut records {
        if let ExportRecord::User { id, .. } = record {
            *id = "billing-service".into();
        }
    }
    let refused = open(&target).import_records(&records).unwrap_err().to_string();
    assert!(refused.contains("alice") && refused.contains("not a UUID"), "{refused}");
    assert_eq!(crate::helpers::count_rows(&target, "users"), 0, "nothing imported");

    // A client edited to break a registration rule (a public client must use PKCE) is refused the same way.
    source.add_client("spa", crate::helpers::ClientOptions::default());
    let mut records = open(&source).export_records().unwrap();
    for record in &mut records {
        if let ExportRecord::Client { id, token_endpoint_auth_method, secret_hash, pkce_required, .. } = record
            && id == "spa"
        {
            *token_endpoint_auth_method = Some("none".into());
            *secret_hash = None;
            *pkce_required = false;
        }
    }
    let refused = open(&target).import_records(&records).unwrap_err().to_string();
    assert!(refused.contains("PKCE"), "{refused}");
    // The one client there is the built-in admin client every start registers.
    assert_eq!(crate::helpers::count_rows(&target, "clients"), 1, "nothing imported");

    // The same export unedited goes in.
    let records = open(&source).export_records().unwrap();
    assert!(open(&target).import_records(&records).is_ok());
}
