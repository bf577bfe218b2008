//! What the admin pages (`/admin`, `http/admin_pages.rs`) show, composed from the admin API's operations
//! (`api.rs`): the same scopes, rules and audit events as the API, no query of its own.

use super::actor::Actor;
use super::api::{self, ClientView, GroupView, UserView};
use super::doctor::Diagnosis;
use super::error::AdminError;
use super::users::{self, SessionView};
use crate::oauth::provider::Provider;
use crate::oidc::metadata::{
    AUTHORIZATION_PATH, DISCOVERY_PATH, END_SESSION_PATH, JWKS_PATH, TOKEN_PATH, USERINFO_PATH,
};
use crate::storage::Database;

/// The users whose username, email or name contains `query` (any case); all of them for an empty query.
pub fn search_users(db: &Database, actor: &Actor, query: &str) -> Result<Vec<UserView>, AdminError> {
    let query = query.trim().to_lowercase();
    let users = api::list_users(db, actor)?;
    if query.is_empty() {
        return Ok(users);
    }
    let hit = |field: Option<&str>| field.is_some_and(|f| f.to_lowercase().contains(&query));
    Ok(users
        .into_iter()
        .filter(|u| hit(Some(&u.username)) || hit(u.email.as_deref()) || hit(u.name.as_deref()))
        .collect())
}

/// One user's page: the user, the groups they are in and the others they could join.
#[derive(Debug, Clone)]
pub struct UserPage {
    pub user: UserView,
    pub groups: Vec<String>,
    pub other_groups: Vec<String>,
    /// Their live browser sessions, each with a button that ends it.
    pub sessions: Vec<SessionView>,
}

pub fn user_page(provider: &Provider, actor: &Actor, username: &str) -> Result<UserPage, AdminError> {
    let db = &provider.db;
    let user = api::list_users(db, actor)?
        .into_iter()
        .find(|u| u.username == username)
        .ok_or_else(|| AdminError::not_found(format!("no user {username:?}")))?;
    let (groups, other_groups): (Vec<GroupView>, Vec<GroupView>) =
        api::list_groups(db, actor)?.into_iter().partition(|g| g.members.iter().any(|m| m == username));
    let sessions = users::list_sessions(provider, actor, username, provider.now())?;
    Ok(UserPage {
        user,
        groups: groups.into_iter().map(|g| g.name).collect(),
        other_groups: other_groups.into_iter().map(|g| g.name).collect(),
        sessions,
    })
}

/// A client's page: its registration, where a library finds the server, a configuration to start from, and the
/// integration doctor's explanations of its recent failed requests.
#[derive(Debug, Clone)]
pub struct ClientPage {
    pub client: ClientView,
    pub issuer: String,
    /// (name, URL) of each endpoint an application uses.
    pub endpoints: Vec<(&'static str, String)>,
    /// A ready configuration for a generic OpenID Connect client library.
    pub snippet: String,
    pub diagnoses: Vec<Diagnosis>,
}

pub fn client_page(db: &Database, actor: &Actor, id: &str, issuer: &str) -> Result<ClientPage, AdminError> {
    let client = api::get_client(db, actor, id)?;
    let diagnoses = api::doctor(db, actor, id)?;
    let endpoints = vec![
        ("discovery", format!("{issuer}{DISCOVERY_PATH}")),
        ("authorization_endpoint", format!("{issuer}{AUTHORIZATION_PATH}")),
        ("token_endpoint", format!("{issuer}{TOKEN_PATH}")),
        ("userinfo_endpoint", format!("{issuer}{USERINFO_PATH}")),
        ("jwks_uri", format!("{issuer}{JWKS_PATH}")),
        ("end_session_endpoint", format!("{issuer}{END_SESSION_PATH}")),
    ];
    let snippet = snippet(&client, issuer);
    Ok(ClientPage { client, issuer: issuer.to_owned(), endpoints, snippet, diagnoses })
}

/// The settings most OpenID Connect client libraries take (discovery from the issuer, the code flow with PKCE),
/// as `KEY=value` lines: the names are those of the libraries' documentation, the values this client's.
fn snippet(client: &ClientView, issuer: &str) -> String {
    let mut scope = vec!["openid", "profile", "email"];
    for extra in client.scope.split_whitespace() {
        if !scope.contains(&extra) {
            scope.push(extra);
        }
    }
    let redirect = client.redirect_uris.first().map_or("https://app.example/callback", String::as_str);
    let mut lines = vec![format!("OIDC_ISSUER={issuer}"), format!("OIDC_CLIENT_ID={}", client.client_id)];
    if client.client_type == "confidential" {
        lines.push("OIDC_CLIENT_SECRET=<the secret shown when the client was created>".to_owned());
    }
    lines.push(format!("OIDC_REDIRECT_URI={redirect}"));
    lines.push(format!("OIDC_SCOPES={}", scope.join(" ")));
    lines.push("OIDC_RESPONSE_TYPE=code".to_owned());
    lines.push("OIDC_PKCE=S256".to_owned());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_names_the_issuer_client_redirect_and_pkce() {
        let client = ClientView {
            client_id: "shop".into(),
            name: "Shop".into(),
            client_type: "public",
            redirect_uris: vec!["https://shop.example/cb".into()],
            grant_types: vec!["authorization_code"],
            scope: "orders:read".into(),
            skip_consent: false,
            access_token_groups: false,
            allowed_groups: vec![],
            logo: false,
            jwks: false,
            jwks_uri: None,
            id_token_signed_response_alg: None,
            refresh_token_reuse_grace_secs: None,
            require_pushed_authorization_requests: false,
            device_code_ttl_secs: None,
        };
        let text = snippet(&client, "https://id.example");
        assert!(text.contains("OIDC_ISSUER=https://id.example\nOIDC_CLIENT_ID=shop\n"), "{text}");
        assert!(text.contains("OIDC_REDIRECT_URI=https://shop.example/cb"), "{text}");
        assert!(text.contains("OIDC_SCOPES=openid profile email orders:read"), "{text}");
        assert!(text.contains("OIDC_PKCE=S256") && !text.contains("SECRET"), "{text}");
    }
}
