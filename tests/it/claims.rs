//! Standard claims (OpenID Connect Core §5.1) released by scope (§5.4), with the `openidconnect` crate as the
//! relying party and through real HTTP: each scope releases exactly its claims, in the ID token and at userinfo,
//! after the code exchange and after a refresh; the `claims` request parameter (§5.5); and `tessera user add |
//! update | show`. Certification modules: oidcc-scope-profile, oidcc-scope-email, oidcc-scope-address,
//! oidcc-scope-phone, oidcc-scope-all, oidcc-claims-essential.

use std::collections::BTreeSet;

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    RedirectUrl, Scope, TokenResponse,
};
use serde_json::Value;
use tessera::domain::{Address, User, UserAttributes};
use tessera::secrets::hash_password;
use tessera::storage::{NewUser, UserStore};

use crate::cli::Cli;
use crate::helpers::{ClientOptions, PASSWORD, TestApp, browser, query_param, sign_in, spawn_app};
use crate::helpers::{assert_error_redirect, jwt_part, relying_party_http};

/// The claims of the ID token that are about the token, not the user.
const TOKEN_CLAIMS: &[&str] =
    &["iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp", "sub", "sid", "acr", "amr"];

const PROFILE: &[&str] = &[
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
];

/// A user with every standard claim set.
pub fn add_full_user(app: &TestApp, username: &str) -> User {
    let attributes = UserAttributes {
        given_name: Some("Alice".into()),
        family_name: Some("Liddell".into()),
        middle_name: Some("Pleasance".into()),
        nickname: Some("Al".into()),
        profile: Some("https://example.com/alice".into()),
        picture: Some("https://example.com/alice.png".into()),
        website: Some("https://alice.example".into()),
        gender: Some("female".into()),
        birthdate: Some("1852-05-04".into()),
        zoneinfo: Some("Europe/London".into()),
        locale: Some("en-GB".into()),
        phone_number: Some("+44 20 7946 0958".into()),
        phone_number_verified: true,
        address: Some(Address {
            street_address: Some("1 Christ Church".into()),
            locality: Some("Oxford".into()),
            region: Some("Oxfordshire".into()),
            postal_code: Some("OX1 1DP".into()),
            country: Some("GB".into()),
            ..Address::default()
        }),
    };
    app.state
        .provider
        .db
        .add_user(
            &NewUser {
                username: username.into(),
                password_hash: hash_password(PASSWORD).expect("hash"),
                email: Some(format!("{username}@example.com")),
                email_verified: true,
                name: Some("Alice Liddell".into()),
                attributes,
            },
            app.now(),
        )
        .expect("add user")
}

/// The user claims in an ID token payload or a userinfo response: every member but `sub` and the token's own.
pub fn user_claims(claims: &Value) -> BTreeSet<String> {
    claims.as_object().expect("a JSON object").keys().filter(|k| !TOKEN_CLAIMS.contains(&k.as_str())).cloned().collect()
}

pub fn names(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// What one sign-in released, each as the raw JSON the relying party received (after verifying it).
pub struct Released {
    pub id_token: Value,
    pub userinfo: Value,
    pub refreshed_id_token: Value,
    pub refreshed_userinfo: Value,
}

/// Signs `username` in to a new client with the `openidconnect` crate: discovery, an authorization request for
/// `openid` plus `scopes` (and the `claims` parameter if given), login and consent, the code exchange with ID
/// token verification, userinfo, then a refresh and userinfo again.
pub async fn sign_in_for(app: &TestApp, username: &str, scopes: &[&str], claims: Option<&str>) -> Released {
    let http = relying_party_http();
    let metadata = CoreProviderMetadata::discover_async(IssuerUrl::new(app.base.clone()).unwrap(), &http)
        .await
        .expect("discovery");
    let client_id = format!("rp-{}", uuid::Uuid::new_v4().simple());
    let registered = app.add_client(&client_id, ClientOptions::default());
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(registered.id.clone()),
        registered.secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(RedirectUrl::new(registered.redirect_uri.clone()).unwrap());
    let (challenge, pkce_verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .set_pkce_challenge(challenge);
    for scope in scopes {
        request = request.add_scope(Scope::new((*scope).to_owned()));
    }
    if let Some(claims) = claims {
        request = request.add_extra_param("claims", claims);
    }
    let (auth_url, _csrf, nonce) = request.url();
    let redirect = sign_in(&browser(), app, auth_url.as_str(), username).await;
    let code = query_param(&redirect, "code").unwrap_or_else(|| panic!("no code in {redirect}"));

    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint known")
        .set_pkce_verifier(pkce_verifier)
        .request_async(&http)
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token");
    id_token.claims(&client.id_token_verifier(), &nonce).expect("the ID token verifies");
    let userinfo = |access_token: openidconnect::AccessToken| {
        let (client, http) = (client.clone(), http.clone());
        async move {
            // The relying party's parser accepts the response ...
            let typed: CoreUserInfoClaims = client
                .user_info(access_token.clone(), None)
                .expect("userinfo endpoint known")
                .request_async(&http)
                .await
                .expect("userinfo");
            // ... and the raw JSON says exactly what was released.
            let raw: Value = http
                .get(format!("{}/userinfo", app.base))
                .bearer_auth(access_token.secret())
                .send()
                .await
                .expect("userinfo")
                .json()
                .await
                .expect("userinfo JSON");
            assert_eq!(raw["sub"], typed.subject().as_str());
            raw
        }
    };
    let first_userinfo = userinfo(tokens.access_token().clone()).await;

    let refreshed = client
        .exchange_refresh_token(tokens.refresh_token().expect("a refresh token"))
        .expect("token endpoint known")
        .request_async(&http)
        .await
        .expect("refresh");
    let refreshed_id_token = refreshed.extra_fields().id_token().expect("an ID token on refresh");
    // OpenID Connect Core §12.2: no nonce in an ID token from a refresh.
    refreshed_id_token
        .claims(&client.id_token_verifier(), |_: Option<&Nonce>| Ok(()))
        .expect("the refreshed ID token verifies");
    Released {
        id_token: jwt_part(&id_token.to_string(), 1),
        userinfo: first_userinfo,
        refreshed_id_token: jwt_part(&refreshed_id_token.to_string(), 1),
        refreshed_userinfo: userinfo(refreshed.access_token().clone()).await,
    }
}

/// Every response of the sign-in released exactly `expected`.
fn assert_released(released: &Released, expected: &BTreeSet<String>) {
    for (what, claims) in [
        ("ID token", &released.id_token),
        ("userinfo", &released.userinfo),
        ("refreshed ID token", &released.refreshed_id_token),
        ("userinfo after refresh", &released.refreshed_userinfo),
    ] {
        assert_eq!(&user_claims(claims), expected, "{what}: {claims}");
    }
}

/// oidcc-scope-address and oidcc-scope-phone.
#[actix_web::test]
async fn address_and_phone_scopes_release_exactly_their_claims() {
    let app = spawn_app().await;
    add_full_user(&app, "alice");

    let address = sign_in_for(&app, "alice", &["address"], None).await;
    assert_released(&address, &names(&["address"]));
    let expected = serde_json::json!({
        "street_address": "1 Christ Church", "locality": "Oxford", "region": "Oxfordshire", "postal_code": "OX1 1DP",
        "country": "GB"
    });
    assert_eq!(address.id_token["address"], expected);
    assert_eq!(address.userinfo["address"], expected);

    let phone = sign_in_for(&app, "alice", &["phone"], None).await;
    assert_released(&phone, &names(&["phone_number", "phone_number_verified"]));
    for claims in [&phone.id_token, &phone.userinfo] {
        assert_eq!(claims["phone_number"], "+44 20 7946 0958");
        assert_eq!(claims["phone_number_verified"], true);
    }
}

/// oidcc-scope-profile.
#[actix_web::test]
async fn profile_scope_releases_the_profile_claims() {
    let app = spawn_app().await;
    let user = add_full_user(&app, "alice");
    let released = sign_in_for(&app, "alice", &["profile"], None).await;
    assert_released(&released, &names(PROFILE));
    for claims in [&released.id_token, &released.userinfo] {
        assert_eq!(claims["name"], "Alice Liddell");
        assert_eq!(claims["given_name"], "Alice");
        assert_eq!(claims["family_name"], "Liddell");
        assert_eq!(claims["middle_name"], "Pleasance");
        assert_eq!(claims["nickname"], "Al");
        assert_eq!(claims["preferred_username"], "alice");
        assert_eq!(claims["profile"], "https://example.com/alice");
        assert_eq!(claims["picture"], "https://example.com/alice.png");
        assert_eq!(claims["website"], "https://alice.example");
        assert_eq!(claims["gender"], "female");
        assert_eq!(claims["birthdate"], "1852-05-04");
        assert_eq!(claims["zoneinfo"], "Europe/London");
        assert_eq!(claims["locale"], "en-GB");
        assert_eq!(claims["updated_at"], user.updated_at, "seconds since the epoch (§5.1)");
    }
}

/// oidcc-scope-email and oidcc-scope-all: the claims of several scopes are the union of theirs.
#[actix_web::test]
async fn email_alone_and_all_scopes_together() {
    let app = spawn_app().await;
    add_full_user(&app, "alice");
    let email = sign_in_for(&app, "alice", &["email"], None).await;
    assert_released(&email, &names(&["email", "email_verified"]));
    let all = sign_in_for(&app, "alice", &["profile", "email", "address", "phone"], None).await;
    let mut expected = names(PROFILE);
    expected.extend(names(&["email", "email_verified", "address", "phone_number", "phone_number_verified"]));
    assert_released(&all, &expected);
}

/// Discovery lists the scopes and every claim (OpenID Connect Discovery §3), as the relying party reads them.
#[actix_web::test]
async fn discovery_lists_the_scopes_and_claims() {
    let app = spawn_app().await;
    let metadata =
        CoreProviderMetadata::discover_async(IssuerUrl::new(app.base.clone()).unwrap(), &relying_party_http())
            .await
            .expect("discovery");
    let scopes: BTreeSet<String> =
        metadata.scopes_supported().expect("scopes_supported").iter().map(|s| s.to_string()).collect();
    assert_eq!(scopes, names(&["openid", "profile", "email", "address", "phone", "offline_access", "groups"]));
    let claims: BTreeSet<String> =
        metadata.claims_supported().expect("claims_supported").iter().map(|c| c.to_string()).collect();
    let mut expected = names(PROFILE);
    expected.extend(names(&["email", "email_verified", "address", "phone_number", "phone_number_verified"]));
    expected.extend(names(TOKEN_CLAIMS));
    expected.extend(names(&["groups"]));
    assert_eq!(claims, expected);
    assert_eq!(metadata.claims_parameter_supported(), Some(true));
}

/// The consent page says what the address and phone scopes release.
#[actix_web::test]
async fn the_consent_page_describes_address_and_phone() {
    let app = spawn_app().await;
    add_full_user(&app, "alice");
    let client = app.add_client("app", ClientOptions::default());
    let browser = browser();
    let url = app.authorize_url(&client, &[("scope", "openid address phone")]);
    let response = browser.get(&url).send().await.expect("authorize");
    let login = crate::helpers::location(&response);
    let (page_url, html) = crate::helpers::open_page(&browser, &app, &login).await;
    let response = crate::helpers::submit_login(&browser, &page_url, &html, "alice", PASSWORD).await;
    let consent = crate::helpers::location(&response);
    let (_, html) = crate::helpers::open_page(&browser, &app, &consent).await;
    assert!(html.contains("See your postal address"), "{html}");
    assert!(html.contains("See your phone number"), "{html}");
    assert!(!html.contains("See your email address"), "{html}");
}

// ---------------------------------------------------------------------------------------------------------------
// `tessera user add | update | show`
// ---------------------------------------------------------------------------------------------------------------

fn password_line() -> String {
    format!("{PASSWORD}\n")
}

/// `user show`'s lines as claim -> value.
fn shown(output: &str) -> std::collections::BTreeMap<String, String> {
    output
        .lines()
        .map(|line| {
            let (claim, value) = line.split_once(':').unwrap_or_else(|| panic!("not a claim line: {line:?}"));
            (claim.to_owned(), value.trim().to_owned())
        })
        .collect()
}

fn add_alice_with_every_claim(cli: &Cli) {
    cli.ok(
        &[
            "user",
            "add",
            "alice",
            "--email",
            "alice@example.com",
            "--email-verified",
            "--name",
            "Alice Liddell",
            "--given-name",
            "Alice",
            "--family-name",
            "Liddell",
            "--middle-name",
            "Pleasance",
            "--nickname",
            "Al",
            "--profile",
            "https://example.com/alice",
            "--picture",
            "https://example.com/alice.png",
            "--website",
            "https://alice.example",
            "--gender",
            "female",
            "--birthdate",
            "1852-05-04",
            "--zoneinfo",
            "Europe/London",
            "--locale",
            "en-GB",
            "--phone-number",
            "+44 20 7946 0958",
            "--phone-number-verified",
            "--address-street",
            "1 Christ Church",
            "--address-locality",
            "Oxford",
            "--address-region",
            "Oxfordshire",
            "--address-postal-code",
            "OX1 1DP",
            "--address-country",
            "GB",
            "--password-stdin",
        ],
        Some(&password_line()),
    );
}

#[actix_web::test]
async fn cli_user_add_sets_the_claims_that_user_show_prints_and_the_server_releases() {
    let cli = Cli::new();
    add_alice_with_every_claim(&cli);
    let output = cli.ok(&["user", "show", "alice"], None);
    assert!(!output.contains("argon2") && !output.contains(PASSWORD), "never the password or its hash: {output}");
    let show = shown(&output);
    let expected = [
        ("username", "alice"),
        ("name", "Alice Liddell"),
        ("given_name", "Alice"),
        ("family_name", "Liddell"),
        ("middle_name", "Pleasance"),
        ("nickname", "Al"),
        ("profile", "https://example.com/alice"),
        ("picture", "https://example.com/alice.png"),
        ("website", "https://alice.example"),
        ("gender", "female"),
        ("birthdate", "1852-05-04"),
        ("zoneinfo", "Europe/London"),
        ("locale", "en-GB"),
        ("email", "alice@example.com"),
        ("email_verified", "true"),
        ("phone_number", "+44 20 7946 0958"),
        ("phone_number_verified", "true"),
        (
            "address",
            r#"{"street_address":"1 Christ Church","locality":"Oxford","region":"Oxfordshire","postal_code":"OX1 1DP","country":"GB"}"#,
        ),
    ];
    for (claim, value) in expected {
        assert_eq!(show.get(claim).map(String::as_str), Some(value), "{claim} in {output}");
    }
    assert!(show.contains_key("sub") && show.contains_key("updated_at"), "{output}");
    let missing = cli.fails(&["user", "show", "bob"], None);
    assert!(missing.contains("no user \"bob\""), "{missing}");

    // A server on the same database releases what the CLI stored.
    let dir = cli.dir.path().to_path_buf();
    let app = crate::helpers::spawn_app_with(move |s| {
        s.data_dir = dir;
        s.database_url = String::new();
    })
    .await;
    let released = sign_in_for(&app, "alice", &["profile", "email", "address", "phone"], None).await;
    for claims in [&released.id_token, &released.userinfo] {
        assert_eq!(claims["sub"], show["sub"].as_str());
        for (claim, value) in expected.iter().filter(|(c, _)| *c != "username") {
            // As JSON where `user show` prints JSON (address, the verified flags), else as a string.
            let expected = serde_json::from_str(value).unwrap_or_else(|_| Value::String((*value).to_owned()));
            assert_eq!(claims[*claim], expected, "{claim}: {claims}");
        }
    }
}

#[test]
fn cli_user_update_changes_only_what_is_given_and_bumps_updated_at() {
    let cli = Cli::new();
    add_alice_with_every_claim(&cli);
    let before = shown(&cli.ok(&["user", "show", "alice"], None));
    // updated_at counts seconds.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = cli.ok(
        &["user", "update", "alice", "--nickname", "Ally", "--address-street", "", "--phone-number", "+1 425 555 1212"],
        None,
    );
    assert!(out.contains("updated user alice"), "{out}");
    let after = shown(&cli.ok(&["user", "show", "alice"], None));
    assert_eq!(after["nickname"], "Ally");
    assert_eq!(after["phone_number"], "+1 425 555 1212");
    assert_eq!(after["phone_number_verified"], "false", "a new number is not verified");
    assert_eq!(
        after["address"], r#"{"locality":"Oxford","region":"Oxfordshire","postal_code":"OX1 1DP","country":"GB"}"#,
        "an empty value removes that part only"
    );
    let updated = |show: &std::collections::BTreeMap<String, String>| -> i64 {
        show["updated_at"].split_whitespace().next().unwrap().parse().unwrap()
    };
    assert!(updated(&after) > updated(&before), "updated_at bumped: {before:?} -> {after:?}");
    for (claim, value) in &before {
        if !["nickname", "phone_number", "phone_number_verified", "address", "updated_at"].contains(&claim.as_str()) {
            assert_eq!(after.get(claim), Some(value), "{claim} must not change");
        }
    }

    // Email, name and the verified flags; an empty value removes a claim.
    cli.ok(
        &[
            "user",
            "update",
            "alice",
            "--email",
            "alice@new.example",
            "--name",
            "Alice P. Liddell",
            "--phone-number-verified",
            "true",
            "--website",
            "",
        ],
        None,
    );
    let after = shown(&cli.ok(&["user", "show", "alice"], None));
    assert_eq!(after["email"], "alice@new.example");
    assert_eq!(after["email_verified"], "false", "a new address is not verified");
    assert_eq!(after["name"], "Alice P. Liddell");
    assert_eq!(after["phone_number_verified"], "true");
    assert!(!after.contains_key("website"), "{after:?}");
    cli.ok(&["user", "update", "alice", "--email-verified", "true"], None);
    assert_eq!(shown(&cli.ok(&["user", "show", "alice"], None))["email_verified"], "true");

    let nothing = cli.fails(&["user", "update", "alice"], None);
    assert!(nothing.contains("nothing to change"), "{nothing}");
    let missing = cli.fails(&["user", "update", "bob", "--nickname", "B"], None);
    assert!(missing.contains("no user \"bob\""), "{missing}");
    let not_bool = cli.fails(&["user", "update", "alice", "--email-verified", "yes"], None);
    assert!(not_bool.contains("--email-verified"), "{not_bool}");
    // The password is untouched by updates.
    assert!(!cli.ok(&["user", "show", "alice"], None).contains("argon2"));
}

#[test]
fn cli_refuses_malformed_claims_with_a_clear_error_and_changes_nothing() {
    let cli = Cli::new();
    add_alice_with_every_claim(&cli);
    let before = cli.ok(&["user", "show", "alice"], None);
    let cases: &[(&str, &str, &str)] = &[
        ("--email", "alice.example.com", "not an email address"),
        ("--email", "alice@exa mple.com", "not an email address"),
        ("--phone-number", "425 555 1212", "not an international phone number"),
        ("--phone-number", "+1 425 555 CALL", "not an international phone number"),
        ("--birthdate", "04/05/1852", "not a birthdate"),
        ("--birthdate", "1852-02-30", "not a birthdate"),
        ("--website", "alice.example", "website"),
        ("--picture", "javascript:alert(1)", "picture"),
        ("--profile", "ftp://example.com/alice", "profile"),
        ("--locale", "en_GB", "not a language tag"),
        ("--locale", "this-is-far-too-long-to-be-a-language-tag", "not a language tag"),
        ("--zoneinfo", "Europe/London <script>", "not a time zone name"),
        ("--zoneinfo", &"Europe/".repeat(20), "not a time zone name"),
        ("--given-name", "Al\u{7}ice", "control characters"),
    ];
    for (flag, value, message) in cases {
        let err = cli.fails(&["user", "update", "alice", flag, value], None);
        assert!(err.contains(message), "{flag} {value:?}: {err}");
        let mut add = vec!["user", "add", "bob", "--email", "bob@example.com", "--password-stdin"];
        if *flag == "--email" {
            add[4] = value;
        } else {
            add.extend([*flag, *value]);
        }
        let err = cli.fails(&add, Some(&password_line()));
        assert!(err.contains(message), "add {flag} {value:?}: {err}");
    }
    assert_eq!(cli.ok(&["user", "show", "alice"], None), before, "nothing changed");
    assert!(!cli.ok(&["user", "list"], None).contains("bob"), "no user added");
}

/// `tessera export` and `import` carry the claims.
#[test]
fn export_and_import_keep_the_claims() {
    let from = Cli::new();
    add_alice_with_every_claim(&from);
    let export = from.dir.path().join("export.jsonl");
    from.ok(&["export", "--output", export.to_str().unwrap()], None);
    let to = Cli::new();
    to.ok(&["import", export.to_str().unwrap()], None);
    assert_eq!(to.ok(&["user", "show", "alice"], None), from.ok(&["user", "show", "alice"], None));
}

// ---------------------------------------------------------------------------------------------------------------
// The `claims` request parameter (OpenID Connect Core §5.5)
// ---------------------------------------------------------------------------------------------------------------

/// oidcc-claims-essential: with scope `openid` alone, each claim asked for goes where it was asked for (essential
/// or voluntary) and nowhere else, after the code exchange and after a refresh; unknown claims are ignored.
#[actix_web::test]
async fn requested_claims_go_where_asked_and_nowhere_else() {
    let app = spawn_app().await;
    add_full_user(&app, "alice");
    let claims = r#"{
        "userinfo": {"email": {"essential": true}, "given_name": null, "shoe_size": {"essential": true}},
        "id_token": {"phone_number": {"essential": true}, "acr": {"essential": true, "values": ["urn:x", "urn:tessera:acr:single-factor"]},
                     "auth_time": {"essential": true}}
    }"#;
    let released = sign_in_for(&app, "alice", &[], Some(claims)).await;
    for (what, token, userinfo) in [
        ("code exchange", &released.id_token, &released.userinfo),
        ("refresh", &released.refreshed_id_token, &released.refreshed_userinfo),
    ] {
        assert_eq!(user_claims(token), names(&["phone_number"]), "ID token after the {what}: {token}");
        assert_eq!(token["phone_number"], "+44 20 7946 0958");
        // §5.5.1.1: an essential acr gets one of the values asked for (the one Tessera issues).
        assert_eq!(token["acr"], "urn:tessera:acr:single-factor", "{what}");
        assert_eq!(token["amr"], serde_json::json!(["pwd"]), "{what}");
        assert_eq!(user_claims(userinfo), names(&["email", "given_name"]), "userinfo after the {what}: {userinfo}");
        assert_eq!(userinfo["email"], "alice@example.com");
        assert_eq!(userinfo["given_name"], "Alice");
    }

    // With a scope, the claims asked for are added to its claims (§5.5: "the union of the two sets").
    let released = sign_in_for(&app, "alice", &["email"], Some(r#"{"id_token": {"address": null}}"#)).await;
    assert_eq!(user_claims(&released.id_token), names(&["email", "email_verified", "address"]));
    assert_eq!(user_claims(&released.userinfo), names(&["email", "email_verified"]));
    assert_eq!(user_claims(&released.refreshed_id_token), names(&["email", "email_verified", "address"]));
}

/// A `claims` value that is not the JSON object of §5.5 is invalid_request, sent back to the client
/// (OpenID Connect Core §3.1.2.6), before any login.
#[actix_web::test]
async fn a_malformed_claims_parameter_is_invalid_request() {
    let app = spawn_app().await;
    add_full_user(&app, "alice");
    let client = app.add_client("app", ClientOptions::default());
    for bad in [
        "{",
        "email",
        "[\"email\"]",
        "null",
        r#"{"userinfo": ["email"]}"#,
        r#"{"id_token": {"email": true}}"#,
        r#"{"id_token": {"email": {"essential": "true"}}}"#,
    ] {
        let response = browser().get(app.authorize_url(&client, &[("claims", bad)])).send().await.expect("authorize");
        assert_error_redirect(&app, &response, &client.redirect_uri, "invalid_request");
    }
    // The same object, well-formed, is accepted.
    let response = browser()
        .get(app.authorize_url(&client, &[("claims", r#"{"id_token": {"email": {"essential": true}}}"#)]))
        .send()
        .await
        .expect("authorize");
    assert!(crate::helpers::location(&response).starts_with("/interaction/"), "{:?}", response.headers());
}

/// Claims asked for by name need the user's consent like the scope that would release them: a stored consent
/// to `openid` alone does not let `claims` fetch the email silently.
#[actix_web::test]
async fn requested_claims_need_consent() {
    let app = spawn_app().await;
    add_full_user(&app, "alice");
    let client = app.add_client("app", ClientOptions::default());
    let browser = browser();
    let openid_only = app.authorize_url(&client, &[("scope", "openid")]);
    assert!(query_param(&sign_in(&browser, &app, &openid_only, "alice").await, "code").is_some());

    let wants_email = [("scope", "openid"), ("claims", r#"{"userinfo": {"email": {"essential": true}}}"#)];
    let mut silent = wants_email.to_vec();
    silent.push(("prompt", "none"));
    let response = browser.get(app.authorize_url(&client, &silent)).send().await.expect("authorize");
    assert_error_redirect(&app, &response, &client.redirect_uri, "consent_required");

    let response = browser.get(app.authorize_url(&client, &wants_email)).send().await.expect("authorize");
    let (_, html) = crate::helpers::open_page(&browser, &app, &crate::helpers::location(&response)).await;
    assert!(html.contains("See your email address"), "the consent page names what the claims parameter asks: {html}");
    // Once consented, the same request goes through silently.
    assert!(
        query_param(&sign_in(&browser, &app, &app.authorize_url(&client, &wants_email), "alice").await, "code")
            .is_some()
    );
    let response = browser.get(app.authorize_url(&client, &silent)).send().await.expect("authorize");
    let to = crate::helpers::location(&response);
    assert!(query_param(&to, "code").is_some(), "{to}");
}

/// §5.5.1: `sub` asked for with a value: "the Authorization Server MUST only send a positive response if the
/// End-User identified by that sub value has an active session".
#[actix_web::test]
async fn a_requested_sub_value_must_be_the_signed_in_user() {
    let app = spawn_app().await;
    let alice = add_full_user(&app, "alice");
    let bob = app.add_user("bob");
    let client = app.add_client("app", ClientOptions { skip_consent: true, ..ClientOptions::default() });
    let browser = browser();
    let code =
        query_param(&sign_in(&browser, &app, &app.authorize_url(&client, &[]), "alice").await, "code").expect("code");
    let sub_is = |subject: &str| serde_json::json!({"id_token": {"sub": {"value": subject}}}).to_string();

    let for_bob = sub_is(&bob.subject);
    let response = browser
        .get(app.authorize_url(&client, &[("prompt", "none"), ("claims", &for_bob)]))
        .send()
        .await
        .expect("authorize");
    assert_error_redirect(&app, &response, &client.redirect_uri, "login_required");
    let response = browser.get(app.authorize_url(&client, &[("claims", &for_bob)])).send().await.expect("authorize");
    let (_, html) = crate::helpers::open_page(&browser, &app, &crate::helpers::location(&response)).await;
    assert!(html.contains("name=\"password\""), "alice's session does not count for bob");

    let for_alice = sub_is(&alice.subject);
    let response = browser
        .get(app.authorize_url(&client, &[("prompt", "none"), ("claims", &for_alice)]))
        .send()
        .await
        .expect("authorize");
    assert!(query_param(&crate::helpers::location(&response), "code").is_some());

    // An id_token_hint naming alice and a claims parameter naming bob contradict each other.
    let tokens: Value = crate::helpers::exchange_code(&app, &client, &code, crate::helpers::VERIFIER)
        .await
        .json()
        .await
        .expect("token JSON");
    let hint = tokens["id_token"].as_str().expect("id_token");
    let response = browser
        .get(app.authorize_url(&client, &[("id_token_hint", hint), ("claims", &for_bob)]))
        .send()
        .await
        .expect("authorize");
    assert_error_redirect(&app, &response, &client.redirect_uri, "invalid_request");
}
