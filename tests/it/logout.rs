//! RP-Initiated Logout 1.0 and Back-Channel Logout 1.0 (OpenID certification: the RP-Initiated Logout OP plan).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use reqwest::StatusCode;
use serde_json::Value;
use tessera::domain::RedirectUri;
use tessera::storage::ClientStore;

use crate::helpers::{
    ClientOptions, TestApp, TestClient, VERIFIER, browser, exchange_code, location, query_param, sign_in, spawn_app,
    spawn_app_with,
};
use crate::helpers::{jwt_part, refresh_status, tessera_command};

const AFTER_LOGOUT: &str = "https://app.example/signed-out";

/// A one-shot receiver of back-channel logout POSTs: answers 200 and hands over the form body.
pub(crate) fn backchannel_receiver() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}/backchannel", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            let _ = tx.send(String::from_utf8_lossy(&body).into_owned());
        }
    });
    (uri, rx)
}

fn register_logout_uris(app: &TestApp, id: &str, backchannel: Option<String>) {
    let mut client = app.state.provider.db.find_client(id).unwrap().unwrap().client;
    client.post_logout_redirect_uris = vec![RedirectUri::parse(AFTER_LOGOUT).unwrap()];
    client.backchannel_logout_uri = backchannel;
    app.state.provider.db.update_client(&client).unwrap();
}

/// Signs in through the browser stand-in and exchanges the code: (ID token, refresh token).
async fn signed_in(
    app: &TestApp,
    b: &reqwest::Client,
    client: &TestClient,
    extra: &[(&str, &str)],
) -> (String, String) {
    let to = sign_in(b, app, &app.authorize_url(client, extra), "alice").await;
    let code = query_param(&to, "code").expect("code");
    let body: Value = exchange_code(app, client, &code, VERIFIER).await.json().await.unwrap();
    (body["id_token"].as_str().unwrap().to_owned(), body["refresh_token"].as_str().unwrap().to_owned())
}

async fn still_signed_in(app: &TestApp, b: &reqwest::Client, client: &TestClient) -> bool {
    let silent = b.get(app.authorize_url(client, &[("prompt", "none")])).send().await.unwrap();
    query_param(&location(&silent), "code").is_some()
}

/// oidcc-rp-initiated-logout: with a valid id_token_hint the session ends at once, the browser goes back to the
/// registered URI with state, the session's grants end, and each client gets a logout token.
#[actix_web::test]
async fn oidcc_rp_initiated_logout_with_back_channel_logout() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let (backchannel, received) = backchannel_receiver();
    register_logout_uris(&app, "app", Some(backchannel));
    let b = browser();
    let (id_token, refresh) = signed_in(&app, &b, &client, &[]).await;
    let sid = jwt_part(&id_token, 1)["sid"].as_str().expect("sid in the ID token").to_owned();
    assert!(still_signed_in(&app, &b, &client).await);

    let logout = format!(
        "{}?id_token_hint={id_token}&post_logout_redirect_uri={}&state=bye-123",
        app.url("/oauth/logout"),
        url::form_urlencoded::byte_serialize(AFTER_LOGOUT.as_bytes()).collect::<String>()
    );
    let response = b.get(logout).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("{AFTER_LOGOUT}?state=bye-123"));
    assert!(!still_signed_in(&app, &b, &client).await, "the session is over");
    assert_eq!(refresh_status(&app, &client, &refresh).await, StatusCode::BAD_REQUEST, "online grants end with it");

    let body = received.recv_timeout(std::time::Duration::from_secs(5)).expect("a logout token was POSTed");
    let token = url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "logout_token")
        .map(|(_, v)| v.into_owned())
        .expect("logout_token parameter");
    assert_eq!(jwt_part(&token, 0)["typ"], "logout+jwt");
    let logout_claims = jwt_part(&token, 1);
    assert_eq!(logout_claims["iss"], app.base.as_str());
    assert_eq!(logout_claims["aud"], "app");
    assert_eq!(logout_claims["sub"], jwt_part(&id_token, 1)["sub"]);
    assert_eq!(logout_claims["sid"], sid.as_str());
    assert!(logout_claims["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    assert!(logout_claims.get("nonce").is_none(), "Back-Channel Logout §2.4: no nonce");
    // The signature verifies against the published keys.
    let jwks: jsonwebtoken::jwk::JwkSet =
        reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap().json().await.unwrap();
    let jwk = jwks.find(jwt_part(&token, 0)["kid"].as_str().unwrap()).expect("published kid");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["app"]);
    validation.set_required_spec_claims(&["iss", "aud"]);
    jsonwebtoken::decode::<Value>(&token, &jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .expect("logout token signature");
}

/// oidcc-rp-initiated-logout-bad-post-logout-redirect-uri: an unregistered URI is an error on our page, and the
/// session survives. oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri: the registered URI with
/// `?x=1` added is refused the same way.
#[actix_web::test]
async fn oidcc_rp_initiated_logout_bad_post_logout_redirect_uri() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    register_logout_uris(&app, "app", None);
    let b = browser();
    let (id_token, _) = signed_in(&app, &b, &client, &[]).await;
    for uri in ["https://attacker.example/", "https://app.example/signed-out/", "https://app.example/signed-out?x=1"] {
        let url = format!(
            "{}?id_token_hint={id_token}&post_logout_redirect_uri={}",
            app.url("/oauth/logout"),
            url::form_urlencoded::byte_serialize(uri.as_bytes()).collect::<String>()
        );
        let response = b.get(url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{uri}");
        assert!(response.headers().get("location").is_none());
    }
    // Without a client to check it against, a post_logout_redirect_uri is refused too.
    let anonymous = format!("{}?post_logout_redirect_uri={}", app.url("/oauth/logout"), AFTER_LOGOUT);
    assert_eq!(b.get(anonymous).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    // A forged hint is refused.
    let forged = format!("{}?id_token_hint=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", app.url("/oauth/logout"));
    assert_eq!(b.get(forged).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    assert!(still_signed_in(&app, &b, &client).await, "nothing was ended");
}

/// oidcc-rp-initiated-logout-no-params: without a hint the user confirms; the form needs its CSRF token.
#[actix_web::test]
async fn oidcc_rp_initiated_logout_without_hint_asks_for_confirmation() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    signed_in(&app, &b, &client, &[]).await;
    let page = b.get(app.url("/oauth/logout")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Sign out?") && html.contains("alice"), "{html}");
    assert!(still_signed_in(&app, &b, &client).await, "a page, not yet a logout");
    let forged =
        b.post(app.url("/oauth/logout")).form(&[("confirm", "yes"), ("csrf_token", "x")]).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert!(still_signed_in(&app, &b, &client).await);
    let csrf = crate::helpers::form_field(&html, "csrf_token").unwrap();
    let confirmed =
        b.post(app.url("/oauth/logout")).form(&[("confirm", "yes"), ("csrf_token", &csrf)]).send().await.unwrap();
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert!(confirmed.text().await.unwrap().contains("You are signed out"));
    assert!(!still_signed_in(&app, &b, &client).await);
}

/// OpenID Connect Core §11: an offline_access grant outlives the session; a re-login keeps the session's apps.
#[actix_web::test]
async fn offline_access_outlives_logout() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    let (id_token, online) = signed_in(&app, &b, &client, &[]).await;
    let (_, offline) = signed_in(&app, &b, &client, &[("scope", "openid offline_access"), ("prompt", "login")]).await;
    // The re-login (prompt=login) did not end the first grant.
    assert_eq!(refresh_status(&app, &client, &online).await, StatusCode::OK);
    let response = b.get(format!("{}?id_token_hint={id_token}", app.url("/oauth/logout"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(refresh_status(&app, &client, &offline).await, StatusCode::OK, "offline access survives logout");
}

/// A password change (`tessera user passwd`) ends the user's sessions and revokes their refresh tokens.
#[actix_web::test]
async fn a_password_change_ends_sessions_and_revokes_refresh_tokens() {
    use tessera::storage::UserStore;
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    let (_, refresh) = signed_in(&app, &b, &client, &[("scope", "openid offline_access"), ("prompt", "consent")]).await;
    let hash = tessera::secrets::hash_password("a brand new password").unwrap();
    assert!(
        app.state
            .provider
            .db
            .set_password("alice", &hash, app.now())
            .unwrap()
            .is_some_and(|revoked| !revoked.is_empty())
    );
    assert!(!still_signed_in(&app, &b, &client).await, "the session is over");
    assert_eq!(refresh_status(&app, &client, &refresh).await, StatusCode::BAD_REQUEST, "even offline grants end");
}

/// A hint naming someone other than the signed-in user is not trusted: the user confirms, and the confirmed
/// logout still returns to the client's registered URI with state.
#[actix_web::test]
async fn an_untrusted_hint_is_confirmed_and_still_returns_to_the_client() {
    let app = spawn_app().await;
    app.add_user("alice");
    app.add_user("bob");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    register_logout_uris(&app, "app", None);
    let (alice_id_token, _) = signed_in(&app, &browser(), &client, &[]).await;
    let b = browser();
    let to = sign_in(&b, &app, &app.authorize_url(&client, &[]), "bob").await;
    assert!(query_param(&to, "code").is_some());
    let url = format!(
        "{}?id_token_hint={alice_id_token}&post_logout_redirect_uri={}&state=st",
        app.url("/oauth/logout"),
        url::form_urlencoded::byte_serialize(AFTER_LOGOUT.as_bytes()).collect::<String>()
    );
    let page = b.get(url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Sign out?") && html.contains("bob"));
    let mut form: Vec<(String, String)> = ["csrf_token", "post_logout_redirect_uri", "state", "client_id"]
        .iter()
        .filter_map(|name| crate::helpers::form_field(&html, name).map(|v| ((*name).to_owned(), v)))
        .collect();
    form.push(("confirm".into(), "yes".into()));
    let confirmed = b.post(app.url("/oauth/logout")).form(&form).send().await.unwrap();
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&confirmed), format!("{AFTER_LOGOUT}?state=st"));
    assert!(!still_signed_in(&app, &b, &client).await);
}

/// `tessera user passwd` ends the user's sessions from the command line and tells the clients by back-channel
/// logout, as a logout in the browser would.
#[actix_web::test]
async fn a_password_change_from_the_cli_sends_back_channel_logout() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let (backchannel, received) = backchannel_receiver();
    register_logout_uris(&app, "app", Some(backchannel));
    let (id_token, _) = signed_in(&app, &browser(), &client, &[]).await;
    let mut cli = tessera_command();
    let mut child = cli
        .args(["user", "passwd", "alice", "--password-stdin"])
        .env("TESSERA_DATABASE_URL", app.state.settings.database_location())
        .env("TESSERA_ISSUER", &app.base)
        .env("TESSERA_BACKCHANNEL_LOGOUT_ALLOW_PRIVATE_NETWORKS", "true")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"another long password\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 client(s) notified"));
    let body = received.recv_timeout(std::time::Duration::from_secs(5)).expect("a logout token was POSTed");
    let token = url::form_urlencoded::parse(body.as_bytes()).find(|(k, _)| k == "logout_token").unwrap().1.into_owned();
    assert_eq!(jwt_part(&token, 1)["sub"], jwt_part(&id_token, 1)["sub"]);
    assert_eq!(jwt_part(&token, 1)["sid"], jwt_part(&id_token, 1)["sid"]);
}

/// Sessions end after `session_idle_secs` without use, and after `session_ttl_secs` from login whatever the use.
#[actix_web::test]
async fn sessions_have_idle_and_absolute_lifetimes() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let (idle, absolute) = (app.state.settings.session_idle_secs as i64, app.state.settings.session_ttl_secs as i64);
    // Idle: unused for longer than the idle lifetime.
    let b = browser();
    signed_in(&app, &b, &client, &[]).await;
    app.advance(idle + 1);
    assert!(!still_signed_in(&app, &b, &client).await, "idle session ended");
    // Absolute: used often enough never to be idle, but older than the absolute lifetime.
    let b = browser();
    signed_in(&app, &b, &client, &[]).await;
    let step = idle / 2;
    let mut elapsed = 0;
    while elapsed + step < absolute {
        app.advance(step);
        elapsed += step;
        assert!(still_signed_in(&app, &b, &client).await, "in use after {elapsed} s");
    }
    app.advance(absolute - elapsed + 1);
    assert!(!still_signed_in(&app, &b, &client).await, "absolute lifetime reached");
}

/// Waits for a back-channel POST without blocking the test's runtime (a logout token sent by `Provider::maintain`
/// called from the test is delivered by a task on that runtime).
pub(crate) async fn receive(received: &mpsc::Receiver<String>, within: std::time::Duration) -> Option<String> {
    let deadline = std::time::Instant::now() + within;
    loop {
        match received.try_recv() {
            Ok(body) => return Some(body),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) if std::time::Instant::now() >= deadline => return None,
            Err(mpsc::TryRecvError::Empty) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
}

/// The `logout_token` of a back-channel POST body.
fn logout_token_of(body: &str) -> String {
    url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "logout_token")
        .expect("logout_token")
        .1
        .into_owned()
}

/// The error code of a refresh with `refresh`.
async fn refresh_error(app: &TestApp, client: &TestClient, refresh: &str) -> Option<String> {
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client.id, client.secret.as_deref())
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh)])
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    body["error"].as_str().map(str::to_owned)
}

/// Settings in which the server's own maintenance does not run during the test (it would run every second), so
/// that the test's call of `Provider::maintain` is the one that acts.
fn without_background_maintenance(s: &mut tessera::config::Settings) {
    s.key_reload_interval_secs = 3600;
    s.key_prepublish_secs = s.jwks_max_age_secs + 3600;
}

/// OpenID Connect Core §11: a grant without offline_access lives as long as its browser session. Unused past the
/// idle lifetime, the session is over: maintenance ends it and tells the client (Back-Channel Logout), and the
/// grant's refresh token is refused.
#[actix_web::test]
async fn an_online_grant_ends_when_its_session_expires_unused() {
    let app = spawn_app_with(without_background_maintenance).await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let (backchannel, received) = backchannel_receiver();
    register_logout_uris(&app, "app", Some(backchannel));
    let b = browser();
    let (id_token, refresh) = signed_in(&app, &b, &client, &[]).await;
    // A refresh while the session is live works (and rotates).
    let refresh = {
        let body: Value = reqwest::Client::new()
            .post(app.url("/oauth/token"))
            .basic_auth("app", client.secret.as_deref())
            .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh.as_str())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(body["error"].is_null(), "{body}");
        body["refresh_token"].as_str().unwrap().to_owned()
    };

    app.advance(app.state.settings.session_idle_secs as i64 + 1);
    app.state.provider.maintain().expect("maintenance");
    let body = receive(&received, std::time::Duration::from_secs(5)).await.expect("a logout token for the session");
    let claims = jwt_part(&logout_token_of(&body), 1);
    assert_eq!(claims["sid"], jwt_part(&id_token, 1)["sid"]);
    assert_eq!(claims["sub"], jwt_part(&id_token, 1)["sub"]);
    assert_eq!(refresh_error(&app, &client, &refresh).await.as_deref(), Some("invalid_grant"));
    assert!(!still_signed_in(&app, &b, &client).await);
}

/// The refresh token of an online grant whose session went idle is refused even before maintenance has run.
#[actix_web::test]
async fn an_online_grant_is_refused_once_its_session_is_idle_even_before_maintenance() {
    let app = spawn_app_with(without_background_maintenance).await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let (_, refresh) = signed_in(&app, &browser(), &client, &[]).await;
    app.advance(app.state.settings.session_idle_secs as i64 + 1);
    assert_eq!(refresh_error(&app, &client, &refresh).await.as_deref(), Some("invalid_grant"));
}

/// A refresh is use of the session: an application that keeps refreshing (every half idle lifetime) keeps its
/// online grant, and the browser's session, alive well past the idle lifetime; once it stops, both end.
#[actix_web::test]
async fn refreshing_keeps_the_session_of_an_online_grant_alive() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    let (_, mut refresh) = signed_in(&app, &b, &client, &[]).await;
    let idle = app.state.settings.session_idle_secs as i64;
    for step in 1..=6 {
        app.advance(idle / 2);
        let body: Value = reqwest::Client::new()
            .post(app.url("/oauth/token"))
            .basic_auth("app", client.secret.as_deref())
            .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh.as_str())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let elapsed = step * idle / 2;
        refresh = body["refresh_token"].as_str().unwrap_or_else(|| panic!("refused after {elapsed} s: {body}")).into();
    }
    assert!(still_signed_in(&app, &b, &client).await, "the refreshes kept the browser's session alive too");
    app.advance(idle + 1);
    assert_eq!(refresh_error(&app, &client, &refresh).await.as_deref(), Some("invalid_grant"));
}

/// An offline_access grant outlives its session (logout or expiry), but not `offline_grant_ttl_secs`.
#[actix_web::test]
async fn an_offline_grant_outlives_its_session_but_not_the_offline_grant_lifetime() {
    const OFFLINE_TTL: i64 = 3 * 3600;
    let app = spawn_app_with(|s| s.offline_grant_ttl_secs = OFFLINE_TTL as u64).await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let b = browser();
    let granted_at = app.now();
    let (_, mut refresh) = signed_in(&app, &b, &client, &[("scope", "openid offline_access")]).await;
    let idle = app.state.settings.session_idle_secs as i64;
    app.advance(idle + 1);
    app.state.provider.maintain().expect("maintenance");
    assert!(!still_signed_in(&app, &b, &client).await, "the session has expired");
    let refresh_once = |token: String| {
        let (url, secret) = (app.url("/oauth/token"), client.secret.clone());
        async move {
            let body: Value = reqwest::Client::new()
                .post(url)
                .basic_auth("app", secret)
                .form(&[("grant_type", "refresh_token"), ("refresh_token", token.as_str())])
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body
        }
    };
    while app.now() + idle < granted_at + OFFLINE_TTL {
        let body = refresh_once(refresh.clone()).await;
        refresh = body["refresh_token"].as_str().unwrap_or_else(|| panic!("offline grant refused: {body}")).into();
        app.advance(idle);
    }
    // The last refresh token ends with the grant, not a day after its rotation.
    let introspection: Value = reqwest::Client::new()
        .post(app.url("/oauth/introspect"))
        .basic_auth("app", client.secret.as_deref())
        .form(&[("token", refresh.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(introspection["active"], true, "{introspection}");
    let exp = introspection["exp"].as_i64().unwrap();
    assert!(exp <= granted_at + OFFLINE_TTL + 5, "refresh token exp {exp}, grant made at {granted_at}");
    app.advance(granted_at + OFFLINE_TTL - app.now() + 1);
    assert_eq!(refresh_error(&app, &client, &refresh).await.as_deref(), Some("invalid_grant"));
}

/// Back-Channel Logout posts only to https targets on public addresses unless
/// `backchannel_logout_allow_private_networks` (development) says otherwise: with the production default, a client
/// whose back-channel URI is http on loopback receives nothing at logout, and the logout itself still ends the
/// session. (With the setting on, the same receiver gets the token: oidcc_rp_initiated_logout_with_back_channel_logout.)
#[actix_web::test]
async fn back_channel_logout_is_not_sent_to_private_addresses_by_default() {
    assert!(!tessera::config::Settings::default().backchannel_logout_allow_private_networks, "the default");
    let app = spawn_app_with(|s| s.backchannel_logout_allow_private_networks = false).await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let (backchannel, received) = backchannel_receiver();
    assert!(backchannel.starts_with("http://127.0.0.1:"), "{backchannel}");
    register_logout_uris(&app, "app", Some(backchannel));
    let b = browser();
    let (id_token, refresh) = signed_in(&app, &b, &client, &[]).await;
    let response = b.get(format!("{}?id_token_hint={id_token}", app.url("/oauth/logout"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!still_signed_in(&app, &b, &client).await, "the logout itself happened");
    assert_eq!(refresh_status(&app, &client, &refresh).await, StatusCode::BAD_REQUEST);
    let delivered = received.recv_timeout(std::time::Duration::from_secs(3));
    assert!(delivered.is_err(), "a logout token went to a loopback http target: {delivered:?}");
    // The failure is an audit event the integration doctor explains (issue 12).
    let failed = backchannel_failures(&app).await;
    assert_eq!(failed.detail.get("reason").map(String::as_str).unwrap_or("").split(':').next(), Some("target refused"));
    assert_eq!(failed.detail.get("sessions").map(String::as_str), Some("1"));
}

/// Waits (the delivery runs in the background) for the client's `backchannel_logout_failed` audit event.
async fn backchannel_failures(app: &TestApp) -> tessera::domain::AuditRecord {
    use tessera::storage::AuditLog;
    let query = tessera::domain::AuditQuery {
        event: Some("backchannel_logout_failed".into()),
        client_id: Some("app".into()),
        limit: 10,
        ..Default::default()
    };
    for _ in 0..100 {
        if let Some(record) = app.state.provider.db.audit_events(&query).unwrap().into_iter().next() {
            return record;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no backchannel_logout_failed event within 10 s")
}

/// A client whose back-channel endpoint does not answer: the logout still ends the session, and the failed
/// delivery is recorded with its reason and the number of sessions not notified, which the doctor explains.
#[actix_web::test]
async fn a_failed_back_channel_delivery_is_recorded_for_the_doctor() {
    let app = spawn_app().await;
    app.add_user("alice");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    // A port that was just free: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let uri = format!("http://{closed}/backchannel");
    register_logout_uris(&app, "app", Some(uri.clone()));
    let b = browser();
    let (id_token, _) = signed_in(&app, &b, &client, &[]).await;
    let response = b.get(format!("{}?id_token_hint={id_token}", app.url("/oauth/logout"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let failed = backchannel_failures(&app).await;
    assert_eq!(failed.detail.get("uri"), Some(&uri));
    assert_eq!(failed.detail.get("reason").map(String::as_str), Some("connection refused or unreachable"));
    let record = app.state.provider.db.find_client("app").unwrap().unwrap();
    let diagnosis = tessera::admin::doctor::explain(&failed, &record.client);
    assert_eq!(
        diagnosis.problem,
        format!("back-channel logout to `{uri}` failed: connection refused or unreachable (1 session not notified)")
    );
}
