//! The admin pages (`/admin`): an OpenID Connect client of the server itself (`tessera-admin`, authorization code +
//! PKCE), signed in through the normal login, for members of `admins` only, every form under a CSRF token.

use reqwest::StatusCode;
use tessera::domain::{ADMINS_GROUP, GroupName};
use tessera::storage::{ClientStore, GroupStore};

use crate::helpers::{TestApp, browser, form_field, location, query_param, sign_in, spawn_app};

fn make_admin(app: &TestApp, username: &str) {
    let db = &app.state.provider.db;
    let admins = GroupName::parse(ADMINS_GROUP).unwrap();
    if db.find_group(ADMINS_GROUP).unwrap().is_none() {
        db.add_group(&admins, None, app.now()).unwrap();
    }
    db.add_member(ADMINS_GROUP, username, app.now()).unwrap();
}

/// `GET /admin` in a new browser, through the login, to the callback; the callback's response.
async fn through_login(app: &TestApp, b: &reqwest::Client, username: &str) -> reqwest::Response {
    let response = b.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let authorize = location(&response);
    assert!(authorize.starts_with(&app.url("/oauth/authorize?")), "{authorize}");
    for (name, value) in [("client_id", "tessera-admin"), ("code_challenge_method", "S256")] {
        assert_eq!(query_param(&authorize, name).as_deref(), Some(value), "{authorize}");
    }
    assert!(query_param(&authorize, "nonce").is_some() && query_param(&authorize, "state").is_some());
    let set_cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let callback = sign_in(b, app, &authorize, username).await;
    assert!(callback.starts_with(&app.url("/admin/callback?")), "{callback}");
    b.get(callback).send().await.unwrap()
}

/// The access token an admin's sign-in to the pages puts in the session cookie (for the admin API's tests).
pub async fn admin_pages_token(app: &TestApp, username: &str) -> String {
    let response = through_login(app, &browser(), username).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookies: Vec<String> =
        response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
    let session = cookies.iter().find(|c| c.starts_with("tessera_admin=")).expect("the session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    session["tessera_admin=".len()..].split(';').next().unwrap().to_owned()
}

async fn signed_in_admin(app: &TestApp, username: &str) -> reqwest::Client {
    app.add_user(username);
    make_admin(app, username);
    let b = browser();
    let response = through_login(app, &b, username).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin");
    b
}

#[actix_web::test]
async fn the_built_in_client_is_registered_at_start_as_a_first_party_public_pkce_client() {
    let app = spawn_app().await;
    let record = app.state.provider.db.find_client("tessera-admin").unwrap().expect("registered at start");
    let client = record.client;
    assert_eq!(client.kind, tessera::domain::ClientKind::Public);
    assert!(client.requires_pkce());
    assert!(tessera::oauth::admin_sign_in::is_built_in_first_party(&client, &app.state.provider.issuer));
    assert_eq!(client.redirect_uris[0].as_str(), app.url("/admin/callback"));
}

#[actix_web::test]
async fn an_admin_signs_in_through_the_login_and_sees_the_pages() {
    let app = spawn_app().await;
    let b = signed_in_admin(&app, "root").await;
    for (path, marker) in [
        ("/admin", "id=\"users\""),
        ("/admin/groups", "id=\"groups\""),
        ("/admin/clients", "tessera-admin"),
        ("/admin/clients/tessera-admin", "OIDC_ISSUER="),
        ("/admin/keys", "id=\"keys\""),
        ("/admin/audit", "Audit log"),
        ("/admin/users/root", "admins"),
    ] {
        let response = b.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(marker) && html.contains("Signed in as root"), "{path}: {html}");
    }
    // The search narrows the list.
    app.add_user("bob");
    let html = b.get(app.url("/admin/users?q=BO")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(">bob</a>") && !html.contains(">root</a>"), "{html}");
}

#[actix_web::test]
async fn a_signed_in_user_outside_admins_gets_a_403_page_and_no_session() {
    let app = spawn_app().await;
    app.add_user("mallory");
    let b = browser();
    let response = through_login(&app, &b, "mallory").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let html = response.text().await.unwrap();
    assert!(html.contains("mallory is not a member of the admins group"), "{html}");
    // No admin session was made: the pages still start a sign-in.
    let response = b.get(app.url("/admin/users")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).contains("/oauth/authorize?"));
}

#[actix_web::test]
async fn a_callback_without_the_browsers_sign_in_cookie_or_with_another_state_signs_nobody_in() {
    let app = spawn_app().await;
    app.add_user("root");
    make_admin(&app, "root");
    let b = browser();
    let response = b.get(app.url("/admin")).send().await.unwrap();
    let authorize = location(&response);
    let callback = sign_in(&b, &app, &authorize, "root").await;
    // Another browser (no sign-in cookie) brings the code back: refused, and the code is not spent by it.
    let response = browser().get(&callback).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // The right browser with a forged state: refused.
    let forged = callback.replace(&query_param(&callback, "state").unwrap(), "forged");
    let response = b.get(&forged).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn a_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let b = signed_in_admin(&app, "root").await;
    let response = b.post(app.url("/admin/groups")).form(&[("name", "staff")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response =
        b.post(app.url("/admin/groups")).form(&[("name", "staff"), ("csrf_token", "wrong")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(app.state.provider.db.find_group("staff").unwrap().is_none());
    // With the page's token it works.
    let html = b.get(app.url("/admin/groups")).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").unwrap();
    let response =
        b.post(app.url("/admin/groups")).form(&[("name", "staff"), ("csrf_token", &csrf)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/groups/staff");
    assert!(app.state.provider.db.find_group("staff").unwrap().is_some());
}

#[actix_web::test]
async fn leaving_admins_ends_the_admin_session_at_the_next_request_and_sign_out_revokes_it() {
    let app = spawn_app().await;
    let b = signed_in_admin(&app, "root").await;
    assert_eq!(b.get(app.url("/admin/keys")).send().await.unwrap().status(), StatusCode::OK);
    app.state.provider.db.remove_member(ADMINS_GROUP, "root").unwrap();
    let response = b.get(app.url("/admin/keys")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "no longer an admin: sign in again");
    make_admin(&app, "root");
    assert_eq!(b.get(app.url("/admin/keys")).send().await.unwrap().status(), StatusCode::OK);

    let html = b.get(app.url("/admin/keys")).send().await.unwrap().text().await.unwrap();
    let csrf = form_field(&html, "csrf_token").unwrap();
    let cookie = b.get(app.url("/admin/keys")).send().await.unwrap();
    drop(cookie);
    let response = b.post(app.url("/admin/sign-out")).form(&[("csrf_token", &csrf)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/oauth/logout?client_id=tessera-admin"));
    assert_eq!(b.get(app.url("/admin/keys")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
}

/// The page's CSRF token (every admin page carries the session's).
async fn csrf(app: &TestApp, b: &reqwest::Client) -> String {
    let html = b.get(app.url("/admin/keys")).send().await.unwrap().text().await.unwrap();
    form_field(&html, "csrf_token").expect("a CSRF token")
}

/// A form posted with the session's CSRF token (`with_csrf`) or without it.
async fn post(
    app: &TestApp,
    b: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    with_csrf: bool,
) -> reqwest::Response {
    let mut form: Vec<(String, String)> = fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    if with_csrf {
        form.push(("csrf_token".to_owned(), csrf(app, b).await));
    }
    b.post(app.url(path)).form(&form).send().await.unwrap()
}

/// A hidden field's value as the browser sends it back (askama escapes the ETag's quotes).
fn hidden(html: &str, name: &str) -> String {
    form_field(html, name).expect(name).replace("&#34;", "\"").replace("&quot;", "\"")
}

/// Whether the audit log holds `event` by the admin `user:<username>`.
fn audited(app: &TestApp, event: &str, username: &str) -> bool {
    use tessera::storage::AuditLog;
    let query = tessera::domain::AuditQuery { event: Some(event.to_owned()), limit: 100, ..Default::default() };
    let actor = format!("user:{username}");
    app.state.provider.db.audit_events(&query).unwrap().iter().any(|e| e.actor.as_deref() == Some(actor.as_str()))
}

/// The user page's forms: one session ended from its row, removal from a group, and, after a confirmation page
/// that changes nothing, MFA reset and deletion; each refused without the CSRF token; each audited with the admin.
#[actix_web::test]
async fn the_user_forms_end_one_session_remove_from_a_group_reset_mfa_and_delete_after_confirming() {
    use tessera::storage::{AccountStore, SecondFactorStore, UserStore};
    let app = spawn_app().await;
    let b = signed_in_admin(&app, "root").await;
    let carol = app.add_user("carol");
    let db = &app.state.provider.db;
    let client = app.add_client("app", crate::helpers::ClientOptions { skip_consent: true, ..Default::default() });
    crate::helpers::obtain_code(&app, &client, "carol").await;
    crate::helpers::obtain_code(&app, &client, "carol").await;
    let sessions = db.sessions_of("carol", app.now()).unwrap().unwrap();
    assert_eq!(sessions.len(), 2);

    // One session, from its row of the user page.
    let html = b.get(app.url("/admin/users/carol")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"sessions\"") && html.contains(&sessions[0].sid), "{html}");
    // Where each session signed in from, as the account page shows it (the test's client sends no User-Agent).
    assert!(html.contains("unknown · address 127.0.0.1"), "{html}");
    let sid = sessions[0].sid.as_str();
    let refused = post(&app, &b, "/admin/users/carol/session-end", &[("sid", sid)], false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(db.sessions_of("carol", app.now()).unwrap().unwrap().len(), 2);
    let ended = post(&app, &b, "/admin/users/carol/session-end", &[("sid", sid)], true).await;
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&ended), "/admin/users/carol");
    let left = db.sessions_of("carol", app.now()).unwrap().unwrap();
    assert_eq!(left.len(), 1);
    assert_ne!(left[0].sid, sid, "the other session goes on");
    assert!(audited(&app, "user_sessions_ended", "root"));

    // Out of a group, from the user page.
    db.add_group(&GroupName::parse("staff").unwrap(), None, app.now()).unwrap();
    db.add_member("staff", "carol", app.now()).unwrap();
    let fields = [("username", "carol"), ("back", "user")];
    let refused = post(&app, &b, "/admin/groups/staff/remove-member", &fields, false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(db.find_group("staff").unwrap().unwrap().members, vec!["carol".to_owned()]);
    let removed = post(&app, &b, "/admin/groups/staff/remove-member", &fields, true).await;
    assert_eq!(location(&removed), "/admin/users/carol");
    assert!(db.find_group("staff").unwrap().unwrap().members.is_empty());
    assert!(audited(&app, "group_member_removed", "root"));

    // MFA reset: the first post only asks; the confirmation's form does it.
    crate::helpers::tessera_ok(&app, &["user", "totp", "add", "carol"]);
    assert!(db.find_totp(&carol.subject).unwrap().is_some());
    let asked = post(&app, &b, "/admin/users/carol/mfa-reset", &[], true).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let page = asked.text().await.unwrap();
    assert!(page.contains("Remove every second factor and passkey of carol?"), "{page}");
    assert!(
        page.contains("action=\"/admin/users/carol/mfa-reset\"") && page.contains("name=\"confirmed\" value=\"yes\"")
    );
    assert!(db.find_totp(&carol.subject).unwrap().is_some(), "asking changes nothing");
    let refused = post(&app, &b, "/admin/users/carol/mfa-reset", &[("confirmed", "yes")], false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(db.find_totp(&carol.subject).unwrap().is_some());
    let reset = post(&app, &b, "/admin/users/carol/mfa-reset", &[("confirmed", "yes")], true).await;
    assert_eq!(location(&reset), "/admin/users/carol");
    assert!(db.find_totp(&carol.subject).unwrap().is_none());
    assert!(audited(&app, "user_mfa_reset", "root"));

    // Delete.
    let asked = post(&app, &b, "/admin/users/carol/delete", &[], true).await;
    assert!(asked.text().await.unwrap().contains("Delete the user carol?"));
    assert!(db.find_user_by_username("carol").unwrap().is_some());
    let refused = post(&app, &b, "/admin/users/carol/delete", &[("confirmed", "yes")], false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let deleted = post(&app, &b, "/admin/users/carol/delete", &[("confirmed", "yes")], true).await;
    assert_eq!(location(&deleted), "/admin/users");
    assert!(db.find_user_by_username("carol").unwrap().is_none());
    assert!(audited(&app, "user_removed", "root"));
}

/// The status of a token request authenticated with `secret`: `invalid_grant` (400) once the client authenticated,
/// `invalid_client` (401) before.
async fn authenticates(app: &TestApp, client_id: &str, secret: &str) -> StatusCode {
    let response = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(client_id, Some(secret))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "none")])
        .send()
        .await
        .unwrap();
    response.status()
}

/// A client's forms: edit (prefilled, the version it was read at in a hidden field; a form drawn before another
/// change is refused with a clear message and saves nothing), the secret rotated with an overlap (shown once on a
/// no-store page; old and new both work), deletion after a confirmation page; CSRF required; audited.
#[actix_web::test]
async fn the_client_forms_edit_under_a_version_rotate_the_secret_and_delete_after_confirming() {
    let app = spawn_app().await;
    let b = signed_in_admin(&app, "root").await;
    let client = app.add_client("web", crate::helpers::ClientOptions::default());
    let old_secret = client.secret.clone().unwrap();
    let db = &app.state.provider.db;

    let form = b.get(app.url("/admin/clients/web/edit")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("value=\"Test App\"") && form.contains("http://127.0.0.1:9/web/callback"), "{form}");
    assert!(form.contains("id=\"client-name-help\""), "the creation form's explanations");
    let version = hidden(&form, "version");
    let fields = |name: &'static str, version: &str| {
        vec![
            ("name", name.to_owned()),
            ("redirect_uris", "http://127.0.0.1:9/web/callback\nhttp://127.0.0.1:9/web/other".to_owned()),
            ("scope", String::new()),
            ("skip_consent", "true".to_owned()),
            ("version", version.to_owned()),
        ]
    };
    let as_refs = |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let send = |fields: Vec<(&'static str, String)>, with_csrf: bool| {
        let b = b.clone();
        let app = &app;
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(app, &b, "/admin/clients/web/edit", &refs, with_csrf).await
        }
    };
    let refused = send(as_refs(&fields("Web app", &version)), false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(db.find_client("web").unwrap().unwrap().client.name, "Test App");
    let saved = send(as_refs(&fields("Web app", &version)), true).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), "/admin/clients/web");
    let stored = db.find_client("web").unwrap().unwrap().client;
    assert_eq!((stored.name.as_str(), stored.redirect_uris.len(), stored.skip_consent), ("Web app", 2, true));
    // The same (now stale) form again: refused, nothing saved.
    let stale = send(as_refs(&fields("Stale", &version)), true).await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let page = stale.text().await.unwrap();
    assert!(page.contains("id=\"admin-stale\"") && page.contains("Someone changed this"), "{page}");
    assert_eq!(db.find_client("web").unwrap().unwrap().client.name, "Web app");
    assert!(audited(&app, "client_updated", "root"));

    // The secret, rotated with an hour's overlap; shown once, never stored by the browser.
    let refused = post(&app, &b, "/admin/clients/web/secret", &[("overlap_hours", "1")], false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(authenticates(&app, "web", &old_secret).await, StatusCode::BAD_REQUEST);
    let rotated = post(&app, &b, "/admin/clients/web/secret", &[("overlap_hours", "1")], true).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    assert_eq!(rotated.headers()["cache-control"], "no-store");
    let page = rotated.text().await.unwrap();
    let start = page.find("id=\"client-secret\"").expect("the new secret");
    let code = page[start..].find("<code>").unwrap() + start + "<code>".len();
    let new_secret = page[code..code + page[code..].find("</code>").unwrap()].to_owned();
    assert!(page.contains("id=\"secret-overlap\""), "{page}");
    assert_eq!(authenticates(&app, "web", &new_secret).await, StatusCode::BAD_REQUEST);
    assert_eq!(authenticates(&app, "web", &old_secret).await, StatusCode::BAD_REQUEST, "in the overlap");
    app.advance(3601);
    assert_eq!(authenticates(&app, "web", &old_secret).await, StatusCode::UNAUTHORIZED, "after it");
    assert!(audited(&app, "client_secret_rotated", "root"));

    // Delete, after confirming (signed in again: the hour outlived the admin session's access token).
    let b = browser();
    assert_eq!(through_login(&app, &b, "root").await.status(), StatusCode::SEE_OTHER);
    let asked = post(&app, &b, "/admin/clients/web/delete", &[], true).await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert!(asked.text().await.unwrap().contains("Delete the client web?"));
    assert!(db.find_client("web").unwrap().is_some());
    let refused = post(&app, &b, "/admin/clients/web/delete", &[("confirmed", "yes")], false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let deleted = post(&app, &b, "/admin/clients/web/delete", &[("confirmed", "yes")], true).await;
    assert_eq!(location(&deleted), "/admin/clients");
    assert!(db.find_client("web").unwrap().is_none());
    assert!(audited(&app, "client_removed", "root"));
}

/// A signing key revoked after a confirmation page (a second revocation is the API's refusal, shown as a page); a
/// group's description edited under its version (stale refused), the group deleted after confirming, and the
/// confirmation for `admins` explaining what deleting it means.
#[actix_web::test]
async fn keys_are_revoked_and_groups_edited_and_deleted_through_the_pages() {
    use tessera::storage::KeyStoreRepository;
    let app = spawn_app().await;
    let b = signed_in_admin(&app, "root").await;
    let db = &app.state.provider.db;
    let keys = db.load_keys().unwrap();
    // The next key: revoking the current one would also end this admin session (its token is signed by it).
    let next = keys.iter().find(|k| k.state == tessera::domain::KeyState::Next).expect("a next key").kid.clone();
    let html = b.get(app.url("/admin/keys")).send().await.unwrap().text().await.unwrap();
    let path = format!("/admin/keys/{next}/revoke");
    assert!(html.contains(&format!("action=\"{path}\"")), "{html}");
    let asked = post(&app, &b, &path, &[], true).await;
    assert!(asked.text().await.unwrap().contains(&format!("Revoke the signing key {next}?")));
    let refused = post(&app, &b, &path, &[("confirmed", "yes")], false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let state = |kid: &str| db.load_keys().unwrap().into_iter().find(|k| k.kid == kid).unwrap().state;
    assert_eq!(state(&next), tessera::domain::KeyState::Next);
    let revoked = post(&app, &b, &path, &[("confirmed", "yes")], true).await;
    assert_eq!(location(&revoked), "/admin/keys");
    assert_eq!(state(&next), tessera::domain::KeyState::Revoked);
    let jwks = reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap().text().await.unwrap();
    assert!(!jwks.contains(&next), "a revoked key leaves the JWKS");
    assert!(audited(&app, "signing_key_revoked", "root"));
    let again = post(&app, &b, &path, &[("confirmed", "yes")], true).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.unwrap().contains("id=\"admin-error\""));

    // A group's description, under the version the form was drawn from.
    db.add_group(&GroupName::parse("staff").unwrap(), Some("Old"), app.now()).unwrap();
    let html = b.get(app.url("/admin/groups/staff")).send().await.unwrap().text().await.unwrap();
    let version = hidden(&html, "version");
    let fields = [("description", "Everyone on staff"), ("version", version.as_str())];
    let refused = post(&app, &b, "/admin/groups/staff/edit", &fields, false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let saved = post(&app, &b, "/admin/groups/staff/edit", &fields, true).await;
    assert_eq!(location(&saved), "/admin/groups/staff");
    assert_eq!(db.find_group("staff").unwrap().unwrap().description.as_deref(), Some("Everyone on staff"));
    let stale = [("description", "Stale"), ("version", version.as_str())];
    let stale = post(&app, &b, "/admin/groups/staff/edit", &stale, true).await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert!(stale.text().await.unwrap().contains("id=\"admin-stale\""));
    assert_eq!(db.find_group("staff").unwrap().unwrap().description.as_deref(), Some("Everyone on staff"));
    assert!(audited(&app, "group_updated", "root"));

    // Deleting admins is explained before anyone confirms; staff is deleted.
    let asked = post(&app, &b, "/admin/groups/admins/delete", &[], true).await;
    let page = asked.text().await.unwrap();
    assert!(page.contains("id=\"confirm-warning\"") && page.contains("you included"), "{page}");
    assert!(db.find_group(ADMINS_GROUP).unwrap().is_some());
    let asked = post(&app, &b, "/admin/groups/staff/delete", &[], true).await;
    assert!(!asked.text().await.unwrap().contains("id=\"confirm-warning\""));
    let refused = post(&app, &b, "/admin/groups/staff/delete", &[("confirmed", "yes")], false).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let deleted = post(&app, &b, "/admin/groups/staff/delete", &[("confirmed", "yes")], true).await;
    assert_eq!(location(&deleted), "/admin/groups");
    assert!(db.find_group("staff").unwrap().is_none());
    assert!(audited(&app, "group_removed", "root"));
}
