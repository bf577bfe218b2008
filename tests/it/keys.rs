//! The rotating key store seen from outside: the JWKS publishes the next key before it signs, tokens signed
//! before a rotation still verify after it, new tokens carry the new kid, keys survive a restart.

use reqwest::StatusCode;
use serde_json::Value;
use tessera::keys::{KeyError, KeyStore, RotationRefused};
use tessera::startup::key_policy;
use tessera::storage::{Database, PoolOptions};

use crate::helpers::kid_of;
use crate::helpers::{ClientOptions, TestApp, VERIFIER, exchange_code, obtain_code, spawn_app, userinfo_status};

async fn jwks_kids(app: &TestApp) -> Vec<String> {
    let response = reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap();
    let cache = response.headers().get("cache-control").unwrap().to_str().unwrap().to_owned();
    assert_eq!(cache, "public, max-age=1", "max-age is the configured JWKS cache lifetime");
    let jwks: Value = response.json().await.unwrap();
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            assert_eq!(k["kty"], "RSA");
            assert_eq!(k["alg"], "RS256");
            assert_eq!(k["use"], "sig");
            assert!(k["n"].is_string() && k["e"].is_string());
            for private in ["d", "p", "q", "dp", "dq", "qi"] {
                assert!(k.get(private).is_none(), "private parameter {private} published");
            }
            k["kid"].as_str().unwrap().to_owned()
        })
        .collect()
}

async fn tokens(app: &TestApp) -> (String, String) {
    let client = app.add_client(
        &format!("app-{}", uuid::Uuid::new_v4().simple()),
        ClientOptions { skip_consent: true, ..ClientOptions::default() },
    );
    let code = obtain_code(app, &client, "alice").await;
    let body: Value = exchange_code(app, &client, &code, VERIFIER).await.json().await.unwrap();
    (body["access_token"].as_str().unwrap().to_owned(), body["id_token"].as_str().unwrap().to_owned())
}

#[actix_web::test]
async fn rotation_publishes_before_signing_and_keeps_old_tokens_valid() {
    let app = spawn_app().await;
    app.add_user("alice");
    let published = jwks_kids(&app).await;
    assert_eq!(published.len(), 2, "current and next");
    let (old_access, old_id) = tokens(&app).await;
    let signing_kid = kid_of(&old_access);
    assert_eq!(kid_of(&old_id), signing_kid);
    let next_kid = published.iter().find(|k| **k != signing_kid).unwrap().clone();

    // Too early: the next key has not been published for key_prepublish_secs.
    let refused = app.state.provider.keys.rotate(&app.state.provider.db, app.now());
    assert!(
        matches!(refused, Err(KeyError::Refused(RotationRefused::NextNotPublishedLongEnough { .. }))),
        "{refused:?}"
    );

    app.advance(3);
    let now_signing = app.state.provider.keys.rotate(&app.state.provider.db, app.now()).expect("rotation");
    assert_eq!(now_signing, next_kid, "the key that was published in advance is the one that signs");

    let after = jwks_kids(&app).await;
    assert_eq!(after.len(), 3, "previous, current and a new next");
    assert!(after.contains(&signing_kid) && after.contains(&next_kid));
    let (new_access, new_id) = tokens(&app).await;
    assert_eq!(kid_of(&new_access), next_kid);
    assert_eq!(kid_of(&new_id), next_kid);
    // Tokens signed before the rotation still verify.
    let userinfo = |token: String| {
        let url = app.url("/userinfo");
        async move { reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap().status() }
    };
    assert_eq!(userinfo(old_access).await, StatusCode::OK);
    assert_eq!(userinfo(new_access).await, StatusCode::OK);
}

#[actix_web::test]
async fn keys_survive_a_restart_and_rotations_by_another_process_are_picked_up() {
    let app = spawn_app().await;
    let before = jwks_kids(&app).await;
    let location = app.state.settings.database_location();
    // What `tessera keys rotate` does, from another connection to the same database.
    let db = Database::open(&location, PoolOptions::small()).unwrap();
    let store = KeyStore::open(&db, key_policy(&app.state.settings), app.now()).unwrap();
    assert_eq!(store.signer().kid, app.state.provider.keys.signer().kid, "the same keys after reopening");
    app.advance(3);
    let rotated = store.rotate(&db, app.now()).unwrap();
    assert_ne!(app.state.provider.keys.signer().kid, rotated);
    // The server's reload loop (key_reload_interval_secs = 1 in tests) picks it up.
    let mut picked_up = false;
    for _ in 0..40 {
        if app.state.provider.keys.signer().kid == rotated {
            picked_up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(picked_up, "the running server signs with the rotated key");
    let after = jwks_kids(&app).await;
    assert!(before.iter().all(|k| after.contains(k)));
}

/// With an https issuer every response carries HSTS (RFC 6797) and cookies are Secure.
#[actix_web::test]
async fn an_https_issuer_turns_on_hsts() {
    let plain = spawn_app().await;
    let response = reqwest::get(plain.url("/.well-known/openid-configuration")).await.unwrap();
    assert!(response.headers().get("strict-transport-security").is_none(), "not on plain http");
    let app = crate::helpers::spawn_app_with(|s| s.issuer = "https://id.example.com".into()).await;
    let response = reqwest::get(app.url("/.well-known/openid-configuration")).await.unwrap();
    let hsts = response.headers().get("strict-transport-security").expect("HSTS").to_str().unwrap().to_owned();
    assert!(hsts.contains("max-age=31536000"), "{hsts}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["issuer"], "https://id.example.com");
    assert!(app.state.cookies.secure);
}

/// Expired codes, tokens, sessions and interactions are deleted by the maintenance task's purge.
#[actix_web::test]
async fn expired_rows_are_purged() {
    use tessera::storage::Housekeeping;
    let app = spawn_app().await;
    app.add_user("alice");
    tokens(&app).await;
    // A sign-in left on its login page: an interaction row.
    let client = app.add_client("waiting", ClientOptions::default());
    let parked = crate::helpers::browser().get(app.authorize_url(&client, &[])).send().await.unwrap();
    assert_eq!(parked.status(), StatusCode::SEE_OTHER);
    let db = &app.state.provider.db;
    assert_eq!(db.purge_expired(app.now(), 900, 300).unwrap(), 0, "nothing has expired yet");
    // A day later everything but the users, clients and keys is gone: the code, the session, the interaction,
    // the refresh token, and the grant they hung off (access tokens are not stored).
    let purged = db.purge_expired(app.now() + 2 * 86_400, 900, 300).unwrap();
    assert!(purged >= 5, "purged {purged} rows");
    assert_eq!(db.purge_expired(app.now() + 2 * 86_400, 900, 300).unwrap(), 0, "idempotent");
}

/// `tessera keys …` run as an operator would, against the database of the running test server `app`.
async fn keys_cli(app: &TestApp, args: &[&str]) -> std::process::Output {
    let data_dir = tempfile::tempdir().unwrap();
    let mut command = crate::helpers::tessera_command();
    command
        .arg("keys")
        .args(args)
        .env("TESSERA_DATABASE_URL", app.state.settings.database_location())
        .env("TESSERA_DATA_DIR", data_dir.path())
        .env("TESSERA_ISSUER", &app.base)
        .env("TESSERA_KEY_RELOAD_INTERVAL_SECS", "1")
        // Not a terminal: a script, or CI.
        .stdin(std::process::Stdio::null());
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
    drop(data_dir);
    output
}

/// The state `keys list` shows for each kid, in its order.
async fn listed_states(app: &TestApp) -> Vec<(String, String)> {
    let out = keys_cli(app, &["list"]).await;
    assert!(out.status.success(), "keys list: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout
        .lines()
        .skip(1)
        .map(|line| {
            let mut columns = line.split_whitespace();
            (columns.next().unwrap().to_owned(), columns.next().unwrap().to_owned())
        })
        .collect()
}

fn kid_in(states: &[(String, String)], state: &str) -> Vec<String> {
    states.iter().filter(|(_, s)| s == state).map(|(kid, _)| kid.clone()).collect()
}

/// `tessera keys revoke KID`: refused without `--yes` when nobody can confirm; with it, the compromised current key
/// leaves signing and the JWKS of a running server (after its reload), and every token it signed stops working.
#[actix_web::test]
async fn revoking_the_current_key_with_the_cli_takes_it_out_of_a_running_server() {
    let app = spawn_app().await;
    app.add_user("alice");
    let (old_access, old_id) = tokens(&app).await;
    let revoked = kid_of(&old_access);
    assert_eq!(kid_of(&old_id), revoked);
    assert_eq!(userinfo_status(&app, &old_access).await, StatusCode::OK, "before the revocation");
    let before = listed_states(&app).await;
    assert_eq!(kid_in(&before, "current"), std::slice::from_ref(&revoked), "{before:?}");
    let next = kid_in(&before, "next");
    assert_eq!(next.len(), 1, "{before:?}");

    // Without --yes and without a terminal to confirm on: refused, and nothing changes.
    let refused = keys_cli(&app, &["revoke", &revoked]).await;
    assert!(!refused.status.success(), "revoke without --yes on a non-terminal must fail");
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("--yes"), "{message}");
    assert_eq!(listed_states(&app).await, before, "a refused revocation changes nothing");
    assert_eq!(app.state.provider.keys.signer().kid, revoked);

    let done = keys_cli(&app, &["revoke", &revoked, "--yes"]).await;
    let (stdout, stderr) = (String::from_utf8_lossy(&done.stdout), String::from_utf8_lossy(&done.stderr));
    assert!(done.status.success(), "revoke --yes: {stderr}");
    assert!(stdout.contains(&format!("revoked: {revoked}; {} signs", next[0])), "{stdout}");
    let after = listed_states(&app).await;
    assert_eq!(kid_in(&after, "revoked"), std::slice::from_ref(&revoked), "{after:?}");
    assert_eq!(kid_in(&after, "current"), next, "the next key signs at once: {after:?}");
    assert_eq!(kid_in(&after, "next").len(), 1, "a fresh next key: {after:?}");
    assert!(!kid_in(&after, "next").contains(&next[0]), "{after:?}");

    // The running server picks the change up within key_reload_interval_secs (1 s in tests).
    let mut published = jwks_kids(&app).await;
    for _ in 0..50 {
        if !published.contains(&revoked) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        published = jwks_kids(&app).await;
    }
    assert!(!published.contains(&revoked), "the revoked kid left the served JWKS: {published:?}");
    assert!(published.contains(&next[0]), "{published:?}");
    assert_eq!(userinfo_status(&app, &old_access).await, StatusCode::UNAUTHORIZED, "a token of the revoked key");
    let (new_access, new_id) = tokens(&app).await;
    assert_eq!((kid_of(&new_access), kid_of(&new_id)), (next[0].clone(), next[0].clone()));
    assert_eq!(userinfo_status(&app, &new_access).await, StatusCode::OK, "a token of the new key");

    // An unknown kid, and the same kid again: refused, saying why.
    for (kid, expected) in [("no-such-kid", "there is no key no-such-kid"), (revoked.as_str(), "already revoked")] {
        let out = keys_cli(&app, &["revoke", kid, "--yes"]).await;
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "revoking {kid} must fail");
        assert!(message.contains(expected), "revoking {kid}: {message}");
    }
    assert_eq!(listed_states(&app).await, after, "failed revocations change nothing");
}

/// A key that stops signing stays published until the last token it signed has expired, whatever lifetime a client
/// is registered with: one client's access tokens live 7200 s (the server's 300 s), so after a rotation the previous
/// key is published until at least now + 7200, and relying parties still find it in the JWKS 7000 s later.
#[actix_web::test]
async fn a_rotated_out_key_stays_published_for_the_longest_registered_token_lifetime() {
    use tessera::domain::KeyState;
    use tessera::storage::KeyStoreRepository;
    let app = spawn_app().await;
    assert_eq!(app.state.settings.access_token_ttl_secs, 300);
    app.add_user("alice");
    let client = app.add_client("long-lived", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    crate::clients::change(&app, "long-lived", |c| c.access_token_ttl_secs = Some(7200));
    let code = obtain_code(&app, &client, "alice").await;
    let body: Value = exchange_code(&app, &client, &code, VERIFIER).await.json().await.unwrap();
    let access = body["access_token"].as_str().unwrap();
    let claims = crate::helpers::jwt_part(access, 1);
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 7200);
    let signing = kid_of(access);

    // After the pre-publication window, rotate (what `tessera keys rotate` does).
    app.advance(3);
    let rotated_at = app.now();
    app.state.provider.keys.rotate(&app.state.provider.db, rotated_at).expect("rotation");
    let keys = app.state.provider.db.load_keys().unwrap();
    let previous = keys.iter().find(|k| k.kid == signing).expect("the key that signed");
    assert_eq!(previous.state, KeyState::Previous);
    let until = previous.publish_until.expect("a previous key has an end of publication");
    assert!(until >= rotated_at + 7200, "published until {} s after the rotation only", until - rotated_at);

    // 7000 s later the token is still live, so its key must still be published, also after the server's reload.
    app.advance(7000);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(jwks_kids(&app).await.contains(&signing), "the key of a live token left the JWKS");
}

/// Issue 8, item 16, for resources: an API registered with a longer access-token lifetime than any client keeps a
/// rotated-out key published that long too.
#[actix_web::test]
async fn a_resource_lifetime_also_keeps_a_rotated_out_key_published() {
    use tessera::domain::KeyState;
    use tessera::storage::KeyStoreRepository;
    let app = spawn_app().await;
    let api = "https://reports.example.com";
    crate::helpers::tessera_ok(
        &app,
        &["resource", "add", "--id", api, "--scope", "reports:read", "--access-token-ttl-secs", "9000"],
    );
    assert_eq!(app.state.provider.db.longest_registered_token_ttl().unwrap(), Some(9000));
    let signing = app.state.provider.keys.signer().kid.clone();
    app.advance(3);
    let rotated_at = app.now();
    app.state.provider.keys.rotate(&app.state.provider.db, rotated_at).expect("rotation");
    let keys = app.state.provider.db.load_keys().unwrap();
    let previous = keys.iter().find(|k| k.kid == signing).expect("the key that signed");
    assert_eq!(previous.state, KeyState::Previous);
    let until = previous.publish_until.expect("a previous key has an end of publication");
    assert!(until >= rotated_at + 9000, "published until {} s after the rotation only", until - rotated_at);
}

/// A key-encryption key for the tests: 32 bytes, base64.
fn test_kek(byte: u8) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([byte; 32])
}

/// The private halves as stored (an export keeps them as stored), by kid.
fn stored_private_keys(db: &Database) -> Vec<(String, String, Vec<u8>)> {
    use base64::Engine;
    use tessera::storage::{ExportRecord, Transfer};
    db.export_records()
        .unwrap()
        .into_iter()
        .filter_map(|record| match record {
            ExportRecord::Key { kid, state, private_key, .. } => {
                Some((kid, state, base64::engine::general_purpose::STANDARD.decode(private_key).unwrap()))
            }
            _ => None,
        })
        .collect()
}

/// Issue 8, item 15: with a key-encryption key, no private key is stored in the clear; the server signs with the
/// sealed keys, and a database without the KEK (or with another one) is refused with a message naming the setting.
#[actix_web::test]
async fn private_keys_are_sealed_at_rest_under_a_key_encryption_key() {
    let app = crate::helpers::spawn_app_with(|s| s.key_encryption_key = test_kek(7)).await;
    app.add_user("alice");
    let (access, _) = tokens(&app).await;
    assert_eq!(userinfo_status(&app, &access).await, StatusCode::OK, "the sealed key signs");

    let location = app.state.settings.database_location();
    let plain = Database::open(&location, PoolOptions::small()).unwrap();
    let stored = stored_private_keys(&plain);
    assert_eq!(stored.len(), 2, "current and next");
    for (kid, _, bytes) in &stored {
        assert!(bytes.starts_with(b"TKEK1"), "key {kid} is sealed");
        assert!(aws_lc_rs::signature::RsaKeyPair::from_pkcs8(bytes).is_err(), "key {kid} is not PKCS#8 in the clear");
    }

    let refused = KeyStore::open(&plain, key_policy(&app.state.settings), app.now()).map(|_| ()).unwrap_err();
    let message = format!("{refused:#}");
    assert!(message.contains("encrypted at rest") && message.contains("key_encryption_key_file"), "{message}");

    let wrong = plain.clone().with_key_encryption(tessera::storage::KeyEncryptionKey::from_base64(&test_kek(8)).ok());
    let refused = KeyStore::open(&wrong, key_policy(&app.state.settings), app.now()).map(|_| ()).unwrap_err();
    assert!(format!("{refused:#}").contains("another key-encryption key"), "{refused:#}");

    let right = plain.with_key_encryption(tessera::storage::KeyEncryptionKey::from_base64(&test_kek(7)).ok());
    let store = KeyStore::open(&right, key_policy(&app.state.settings), app.now()).unwrap();
    assert_eq!(store.signer().kid, kid_of(&access), "the right KEK opens the keys");

    // The CLI takes the KEK from the environment like the server; without it, it says what is missing.
    let listed = crate::helpers::tessera_on(&app)
        .env("TESSERA_KEY_ENCRYPTION_KEY", test_kek(7))
        .args(["keys", "list"])
        .output()
        .unwrap();
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let stderr = crate::helpers::tessera_fails(&app, &["keys", "list"]);
    assert!(stderr.contains("TESSERA_KEY_ENCRYPTION_KEY"), "{stderr}");
}

/// Issue 8, item 15: a database written before (plain keys, and a retired key that kept its private half) is
/// brought to the rules at the first start with a KEK: the retired key's private half is deleted, the others sealed.
#[actix_web::test]
async fn a_start_with_a_kek_seals_plain_keys_and_deletes_retired_private_halves() {
    use tessera::storage::{ExportRecord, KeyEncryptionKey, KeyStoreRepository, Transfer};
    let app = spawn_app().await;
    let location = app.state.settings.database_location();
    let db = Database::open(&location, PoolOptions::small()).unwrap();
    let mut records = db.export_records().unwrap();
    let Some(ExportRecord::Key { private_key, .. }) = records.iter().find(|r| matches!(r, ExportRecord::Key { .. }))
    else {
        panic!("no key exported")
    };
    // A key retired by an older version, which kept private halves of retired keys.
    let old_private = private_key.clone();
    records.push(ExportRecord::Key {
        kid: "old-retired".into(),
        state: "retired".into(),
        private_key: old_private,
        created_at: app.now() - 100,
        activated_at: Some(app.now() - 90),
        deactivated_at: Some(app.now() - 80),
        publish_until: Some(app.now() - 70),
        alg: "RS256".into(),
    });
    db.import_records(&records).unwrap();
    assert!(stored_private_keys(&db).iter().all(|(_, _, bytes)| bytes.starts_with(&[0x30])), "plain PKCS#8");

    let sealing = db.with_key_encryption(KeyEncryptionKey::from_base64(&test_kek(3)).ok());
    assert_eq!(sealing.secure_stored_keys().unwrap(), (1, 2), "one private half deleted, two sealed");
    for (kid, state, bytes) in stored_private_keys(&sealing) {
        match state.as_str() {
            "retired" => assert!(bytes.is_empty(), "{kid}"),
            _ => assert!(bytes.starts_with(b"TKEK1"), "{kid}"),
        }
    }
    assert_eq!(sealing.secure_stored_keys().unwrap(), (0, 0), "nothing left to do at the next start");
    assert!(KeyStore::open(&sealing, key_policy(&app.state.settings), app.now()).is_ok());
}
