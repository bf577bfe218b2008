//! Groups (issue 12, item 1), through the real binary and real HTTP with the `openidconnect` crate as the relying
//! party: `tessera group …`, the `groups` claim in the ID token and at userinfo (and in access tokens for a client
//! registered with `--access-token-groups`), recomputed at every refresh; a client restricted with
//! `--allowed-groups`; and groups moving with `tessera export` / `tessera import`.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreTokenResponse};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl, RefreshToken, Scope, TokenResponse,
};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    ClientOptions, TestApp, TestClient, browser, jwt_part, location, open_page, query_param, refresh_status,
    relying_party_http, sign_in, spawn_app, submit_login, tessera_fails, tessera_ok, tessera_on,
};

type Rp = CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// The relying party for `registered`, from discovery.
async fn relying_party(app: &TestApp, registered: &TestClient) -> Rp {
    let metadata =
        CoreProviderMetadata::discover_async(IssuerUrl::new(app.base.clone()).unwrap(), &relying_party_http())
            .await
            .expect("discovery");
    CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(registered.id.clone()),
        registered.secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(RedirectUrl::new(registered.redirect_uri.clone()).unwrap())
}

/// Signs `username` in through `rp` with `openid` and `scopes`; the token response, its verified ID token's payload,
/// and the userinfo response.
async fn sign_in_with(app: &TestApp, rp: &Rp, username: &str, scopes: &[&str]) -> (CoreTokenResponse, Value, Value) {
    let http = relying_party_http();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = rp
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .set_pkce_challenge(challenge);
    for scope in scopes {
        request = request.add_scope(Scope::new((*scope).to_owned()));
    }
    let (url, _, nonce) = request.url();
    let redirect = sign_in(&browser(), app, url.as_str(), username).await;
    let code = query_param(&redirect, "code").unwrap_or_else(|| panic!("no code in {redirect}"));
    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token");
    id_token.claims(&rp.id_token_verifier(), &nonce).expect("the ID token verifies");
    let id_claims = jwt_part(&id_token.to_string(), 1);
    let userinfo = userinfo(app, tokens.access_token().secret()).await;
    (tokens, id_claims, userinfo)
}

async fn userinfo(app: &TestApp, access_token: &str) -> Value {
    let response =
        reqwest::Client::new().get(app.url("/userinfo")).bearer_auth(access_token).send().await.expect("userinfo");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("userinfo JSON")
}

/// A refresh through the relying party: the new ID token (verified) and access token payloads.
async fn refresh(rp: &Rp, refresh_token: &RefreshToken) -> (CoreTokenResponse, Value, Value) {
    let refreshed = rp
        .exchange_refresh_token(refresh_token)
        .expect("token endpoint")
        .request_async(&relying_party_http())
        .await
        .expect("refresh");
    let id_token = refreshed.id_token().expect("an ID token on refresh");
    id_token.claims(&rp.id_token_verifier(), |_: Option<&Nonce>| Ok(())).expect("the refreshed ID token verifies");
    let id_claims = jwt_part(&id_token.to_string(), 1);
    let access = jwt_part(refreshed.access_token().secret(), 1);
    (refreshed, id_claims, access)
}

#[actix_web::test]
async fn group_commands_manage_groups_and_members() {
    let app = spawn_app().await;
    app.add_user("alice");
    app.add_user("bob");
    tessera_ok(&app, &["group", "add", "staff", "--description", "Everyone on the payroll"]);
    tessera_ok(&app, &["group", "add", "ops"]);
    assert!(tessera_fails(&app, &["group", "add", "staff"]).contains("already exists"));
    assert!(tessera_fails(&app, &["group", "add", "no spaces"]).contains("group name"));
    assert!(tessera_ok(&app, &["group", "add-member", "staff", "alice"]).contains("added alice to staff"));
    assert!(tessera_ok(&app, &["group", "add-member", "staff", "alice"]).contains("already in staff"));
    tessera_ok(&app, &["group", "add-member", "staff", "bob"]);
    tessera_ok(&app, &["group", "add-member", "ops", "bob"]);
    assert!(tessera_fails(&app, &["group", "add-member", "staff", "nobody"]).contains("no user \"nobody\""));
    assert!(tessera_fails(&app, &["group", "add-member", "nogroup", "alice"]).contains("no group \"nogroup\""));

    let show: Value = serde_json::from_str(&tessera_ok(&app, &["group", "show", "staff", "--json"])).unwrap();
    assert_eq!(show["name"], "staff");
    assert_eq!(show["description"], "Everyone on the payroll");
    assert_eq!(show["members"], serde_json::json!(["alice", "bob"]));
    let text = tessera_ok(&app, &["group", "show", "staff"]);
    assert!(text.contains("members:     alice bob"), "{text}");

    tessera_ok(&app, &["group", "remove-member", "staff", "bob"]);
    assert!(tessera_ok(&app, &["group", "remove-member", "staff", "bob"]).contains("was not in staff"));
    let list: Value = serde_json::from_str(&tessera_ok(&app, &["group", "list", "--json"])).unwrap();
    let listed: Vec<(&str, usize)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["name"].as_str().unwrap(), g["members"].as_array().unwrap().len()))
        .collect();
    assert_eq!(listed, [("ops", 1), ("staff", 1)]);
    let table = tessera_ok(&app, &["group", "list"]);
    assert!(table.lines().any(|l| l.starts_with("staff") && l.contains("Everyone on the payroll")), "{table}");

    // Removing a user takes them out of their groups; removing a group leaves its members.
    tessera_ok(&app, &["user", "remove", "bob"]);
    let ops: Value = serde_json::from_str(&tessera_ok(&app, &["group", "show", "ops", "--json"])).unwrap();
    assert_eq!(ops["members"], serde_json::json!([]));
    tessera_ok(&app, &["group", "remove", "staff"]);
    assert!(tessera_fails(&app, &["group", "show", "staff"]).contains("no group \"staff\""));
    assert!(tessera_fails(&app, &["group", "remove", "staff"]).contains("no group"));
    assert!(tessera_ok(&app, &["user", "show", "alice"]).contains("alice"));

    // `user add --admin` makes the first administrator: a member of `admins`, created if missing.
    let mut add = tessera_on(&app);
    add.args(["user", "add", "root", "--email", "root@example.com", "--password-stdin", "--admin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = add.spawn().expect("tessera user add");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"a long and unusual passphrase 42\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let admins: Value = serde_json::from_str(&tessera_ok(&app, &["group", "show", "admins", "--json"])).unwrap();
    assert_eq!(admins["members"], serde_json::json!(["root"]));
}

/// The `groups` scope releases the `groups` claim in the ID token and at userinfo; the access token carries it only
/// for a client registered with `--access-token-groups`; every refresh recomputes it, so a removed membership is
/// gone from the next tokens.
#[actix_web::test]
async fn the_groups_scope_releases_the_groups_claim_recomputed_at_every_refresh() {
    let app = spawn_app().await;
    app.add_user("alice");
    tessera_ok(&app, &["group", "add", "staff"]);
    tessera_ok(&app, &["group", "add", "ops"]);
    tessera_ok(&app, &["group", "add-member", "staff", "alice"]);
    tessera_ok(&app, &["group", "add-member", "ops", "alice"]);
    let registered = app.add_client("app", ClientOptions::default());
    let rp = relying_party(&app, &registered).await;

    // Discovery advertises the scope and the claim.
    let discovery: Value =
        reqwest::get(app.url("/.well-known/openid-configuration")).await.unwrap().json().await.unwrap();
    assert!(discovery["scopes_supported"].as_array().unwrap().contains(&"groups".into()));
    assert!(discovery["claims_supported"].as_array().unwrap().contains(&"groups".into()));

    // Without the scope: no groups anywhere.
    let (tokens, id_claims, info) = sign_in_with(&app, &rp, "alice", &[]).await;
    assert!(id_claims.get("groups").is_none(), "{id_claims}");
    assert!(info.get("groups").is_none(), "{info}");
    assert!(jwt_part(tokens.access_token().secret(), 1).get("groups").is_none());

    // With it: in the ID token and at userinfo, sorted; not in the access token of a client that did not ask.
    let (tokens, id_claims, info) = sign_in_with(&app, &rp, "alice", &["groups"]).await;
    assert_eq!(id_claims["groups"], serde_json::json!(["ops", "staff"]));
    assert_eq!(info["groups"], serde_json::json!(["ops", "staff"]));
    assert!(jwt_part(tokens.access_token().secret(), 1).get("groups").is_none());

    // The client asks for them in access tokens: the next refresh has them there too.
    tessera_ok(&app, &["client", "update", "app", "--access-token-groups"]);
    let shown = tessera_ok(&app, &["client", "show", "app"]);
    assert!(shown.contains("access_token_groups:        true"), "{shown}");
    let (refreshed, id_claims, access) = refresh(&rp, tokens.refresh_token().expect("refresh token")).await;
    assert_eq!(id_claims["groups"], serde_json::json!(["ops", "staff"]));
    assert_eq!(access["groups"], serde_json::json!(["ops", "staff"]));

    // A membership removed: gone from the next refresh's tokens, and from userinfo at once.
    tessera_ok(&app, &["group", "remove-member", "ops", "alice"]);
    assert_eq!(userinfo(&app, refreshed.access_token().secret()).await["groups"], serde_json::json!(["staff"]));
    let (refreshed, id_claims, access) = refresh(&rp, refreshed.refresh_token().expect("refresh token")).await;
    assert_eq!(id_claims["groups"], serde_json::json!(["staff"]));
    assert_eq!(access["groups"], serde_json::json!(["staff"]));
    tessera_ok(&app, &["group", "remove-member", "staff", "alice"]);
    let (_, id_claims, access) = refresh(&rp, refreshed.refresh_token().expect("refresh token")).await;
    assert_eq!(id_claims["groups"], serde_json::json!([]), "no group left: an empty list, still released");
    assert_eq!(access["groups"], serde_json::json!([]));

    // Switched off again: the access token no longer carries them.
    tessera_ok(&app, &["client", "update", "app", "--access-token-groups", "false"]);
    let (tokens, _, _) = sign_in_with(&app, &rp, "alice", &["groups"]).await;
    assert!(jwt_part(tokens.access_token().secret(), 1).get("groups").is_none());
}

/// `--allowed-groups`: a user outside them sees our "no access" page, whose way back gives the client
/// `access_denied` (at once with prompt=none); a member signs in; a grant of a user who leaves the groups stops
/// refreshing (invalid_grant), and refreshes again once they are back.
#[actix_web::test]
async fn allowed_groups_keep_other_users_out_of_a_client() {
    let app = spawn_app().await;
    app.add_user("alice");
    app.add_user("bob");
    tessera_ok(&app, &["group", "add", "staff"]);
    tessera_ok(&app, &["group", "add-member", "staff", "alice"]);
    let registered = app.add_client("app", ClientOptions::default());
    assert!(
        tessera_fails(&app, &["client", "update", "app", "--allowed-groups", "staff,typo"])
            .contains("no group \"typo\"")
    );
    tessera_ok(&app, &["client", "update", "app", "--allowed-groups", "staff"]);
    let shown: Value = serde_json::from_str(&tessera_ok(&app, &["client", "list", "--json"])).unwrap();
    assert_eq!(shown[0]["allowed_groups"], serde_json::json!(["staff"]));

    // bob signs in and is turned away by our page; its button gives the client access_denied with state and iss.
    let bob = browser();
    let response = bob.get(app.authorize_url(&registered, &[])).send().await.unwrap();
    let (page_url, html) = open_page(&bob, &app, &location(&response)).await;
    let response = submit_login(&bob, &page_url, &html, "bob", crate::helpers::PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "the no-access page, not a code");
    let page = response.text().await.unwrap();
    assert!(page.contains("You don&#39;t have access to this application"), "{page}");
    assert!(page.contains("Your account bob is not allowed to use Test App."), "{page}");
    let back = page
        .split("class=\"button primary\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a way back");
    let back = back.replace("&amp;", "&").replace("&#38;", "&");
    assert!(back.starts_with(&registered.redirect_uri), "{back}");
    assert_eq!(query_param(&back, "error").as_deref(), Some("access_denied"), "{back}");
    assert_eq!(query_param(&back, "state").as_deref(), Some("state-123"));
    assert_eq!(query_param(&back, "iss").as_deref(), Some(app.base.as_str()));
    assert!(query_param(&back, "code").is_none());
    // Signed in already, with prompt=none: no page may be shown, the client gets access_denied at once.
    let silent = bob.get(app.authorize_url(&registered, &[("prompt", "none")])).send().await.unwrap();
    crate::helpers::assert_error_redirect(&app, &silent, &registered.redirect_uri, "access_denied");

    // alice is in staff: she gets a code and tokens.
    let rp = relying_party(&app, &registered).await;
    let (tokens, _, _) = sign_in_with(&app, &rp, "alice", &["offline_access"]).await;
    let refresh_token = tokens.refresh_token().expect("refresh token").secret().clone();
    let (tokens, _, _) = refresh(&rp, &RefreshToken::new(refresh_token)).await;
    let refresh_token = tokens.refresh_token().expect("refresh token").secret().clone();

    // She leaves the group: her grant stops refreshing; back in it, it refreshes again.
    tessera_ok(&app, &["group", "remove-member", "staff", "alice"]);
    let refused = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&registered.id, registered.secret.as_deref())
        .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(refused.json::<Value>().await.unwrap()["error"], "invalid_grant");
    tessera_ok(&app, &["group", "add-member", "staff", "alice"]);
    assert_eq!(refresh_status(&app, &registered, &refresh_token).await, StatusCode::OK);

    // The restriction lifted: bob gets through.
    tessera_ok(&app, &["client", "update", "app", "--allowed-groups", ""]);
    let redirect = sign_in(&browser(), &app, &app.authorize_url(&registered, &[]), "bob").await;
    assert!(query_param(&redirect, "code").is_some(), "{redirect}");
}

/// Groups, their members and the clients' group settings move with `tessera export` and `tessera import`.
#[actix_web::test]
async fn groups_move_with_export_and_import() {
    let source = spawn_app().await;
    let alice = source.add_user("alice");
    source.add_client("app", ClientOptions::default());
    tessera_ok(&source, &["group", "add", "staff", "--description", "Payroll"]);
    tessera_ok(&source, &["group", "add", "empty"]);
    tessera_ok(&source, &["group", "add-member", "staff", "alice"]);
    tessera_ok(&source, &["client", "update", "app", "--allowed-groups", "staff", "--access-token-groups"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.jsonl");
    tessera_ok(&source, &["export", "--output", file.to_str().unwrap()]);
    let exported = std::fs::read_to_string(&file).unwrap();
    let group_line: Value = exported
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["type"] == "group" && r["name"] == "staff")
        .expect("the staff group exported");
    assert_eq!(group_line["members"], serde_json::json!([alice.subject]), "members by subject");

    let target = spawn_app().await;
    tessera_ok(&target, &["import", file.to_str().unwrap()]);
    let staff: Value = serde_json::from_str(&tessera_ok(&target, &["group", "show", "staff", "--json"])).unwrap();
    assert_eq!(staff["description"], "Payroll");
    assert_eq!(staff["members"], serde_json::json!(["alice"]));
    assert!(tessera_ok(&target, &["group", "list"]).contains("empty"));
    let client = tessera_ok(&target, &["client", "show", "app"]);
    assert!(client.contains("allowed_groups:             staff"), "{client}");
    assert!(client.contains("access_token_groups:        true"), "{client}");
}
