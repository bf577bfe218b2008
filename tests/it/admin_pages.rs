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
