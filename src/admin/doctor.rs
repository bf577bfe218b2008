//! The integration doctor: a client's recent failed requests, from the audit events, each explained in plain words
//! with the fix. It reads only what the events hold (names, URIs, reasons), never a secret, code or token.

use serde::Serialize;

use crate::domain::{AuditRecord, Client, ClientKind, Timestamp};

/// The failures the doctor explains.
pub const FAILURE_EVENTS: &[&str] = &[
    "authorization_refused",
    "client_authentication_failed",
    "token_refused",
    "access_denied_by_group",
    "backchannel_logout_failed",
];

/// One failed request, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Diagnosis {
    pub at: Timestamp,
    pub event: String,
    /// What went wrong, in plain words.
    pub problem: String,
    /// What to change.
    pub fix: String,
}

fn code(s: &str) -> String {
    format!("`{s}`")
}

/// Explains one failure event of `client`.
pub fn explain(record: &AuditRecord, client: &Client) -> Diagnosis {
    let detail = |name: &str| record.detail.get(name).map(String::as_str).unwrap_or("");
    let reason = detail("reason");
    let id = client.id.as_str();
    let registered: Vec<&str> = client.redirect_uris.iter().map(|u| u.as_str()).collect();
    let (problem, fix) = match record.event.as_str() {
        "authorization_refused" if reason.contains("unregistered redirect_uri") => {
            let sent = detail("redirect_uri");
            let close =
                registered.iter().find(|r| r.trim_end_matches('/') == sent.trim_end_matches('/') && **r != sent);
            let hint = if close.is_some() { " (trailing slash)" } else { "" };
            let list = registered.iter().map(|r| code(r)).collect::<Vec<_>>().join(", ");
            (
                format!("redirect_uri {} is not registered; registered: {list}{hint}", code(sent)),
                match close {
                    Some(r) => {
                        format!("make the application send exactly {} (redirect URIs are compared as strings)", code(r))
                    }
                    None => format!(
                        "register it: `tessera client update {id} --redirect-uri {sent}` (repeat --redirect-uri for each URI to keep)"
                    ),
                },
            )
        }
        "authorization_refused" if reason.contains("code_challenge is required") => (
            "the client sent no PKCE (no code_challenge)".to_owned(),
            if client.kind == ClientKind::Public {
                "turn PKCE on in the client library (S256): a public client always needs it".to_owned()
            } else {
                format!(
                    "turn PKCE on in the client library (S256), or, if it cannot: `tessera client update {id} --pkce optional`"
                )
            },
        ),
        "authorization_refused" if reason.contains("scope must contain openid") => (
            format!("the request's scope {} lacks `openid`", code(detail("scope"))),
            "add openid to the scopes the client library asks for: OpenID Connect needs it".to_owned(),
        ),
        "authorization_refused" => (
            format!("the authorization request was refused: {} ({reason})", detail("error")),
            "check the request's parameters against the client's registration (`tessera client show`)".to_owned(),
        ),
        "client_authentication_failed" if reason.contains("authentication method differs") => {
            let used = detail("method");
            let registered = client.auth_method.map_or("another method", |m| m.as_str());
            (
                format!("client authentication used {used} but the client is registered for {registered}"),
                format!(
                    "configure the library for {registered}, or `tessera client update {id} --token-endpoint-auth-method {used}`"
                ),
            )
        }
        "client_authentication_failed" if reason.contains("wrong client secret") => (
            format!("the client secret sent with {} is wrong", detail("method")),
            format!(
                "give the application its current secret; `tessera client rotate-secret {id} --overlap-secs 3600` makes a new one and keeps the old one working an hour"
            ),
        ),
        "client_authentication_failed" if reason.contains("sent no secret") => (
            "the confidential client sent no secret".to_owned(),
            "configure the client secret in the library (client_secret_basic or client_secret_post)".to_owned(),
        ),
        "client_authentication_failed" => (
            format!("client authentication failed: {reason}"),
            "check the client id and secret the application uses".to_owned(),
        ),
        "token_refused" if reason.starts_with("redirect_uri") => (
            "the token request's redirect_uri differs from the authorization request's".to_owned(),
            "send the same redirect_uri in both requests".to_owned(),
        ),
        // The client credentials grant's refusal says "asked A B, allowed C" (oauth/token/client_credentials.rs).
        "token_refused" if detail("error") == "invalid_scope" && reason.starts_with("asked ") => {
            let (asked, allowed) = reason["asked ".len()..].split_once(", allowed ").unwrap_or((reason, ""));
            let allowed: Vec<&str> = allowed.split_whitespace().collect();
            let refused: Vec<&str> = asked.split_whitespace().filter(|s| !allowed.contains(s)).collect();
            let names = refused.iter().map(|s| code(s)).collect::<Vec<_>>().join(", ");
            let plural = if refused.len() == 1 { "scope" } else { "scopes" };
            let verb = if refused.len() == 1 { "is" } else { "are" };
            let mut wanted = allowed.clone();
            wanted.extend(refused.iter().copied());
            (
                format!("{plural} {names} {verb} not allowed for this client"),
                format!(
                    "ask only for what it may have ({}), or allow it: `tessera client update {id} --scope \"{}\"`",
                    if allowed.is_empty() { "no scope".to_owned() } else { allowed.join(" ") },
                    wanted.join(" ")
                ),
            )
        }
        "token_refused" => (
            format!("a {} token request was refused: {} ({reason})", detail("grant_type"), detail("error")),
            match detail("error") {
                "unauthorized_client" => format!("allow the grant: `tessera client update {id} --grant-types …`"),
                _ => {
                    "start a new sign-in in the application; if it keeps happening, check its token handling".to_owned()
                }
            },
        ),
        "access_denied_by_group" => (
            format!("a user in none of the allowed groups ({}) tried to sign in", detail("allowed_groups")),
            "add the user to one of them (`tessera group add-member GROUP USER`), or change --allowed-groups"
                .to_owned(),
        ),
        "backchannel_logout_failed" => {
            let sessions = detail("sessions");
            let noun = if sessions == "1" { "session" } else { "sessions" };
            (
                format!(
                    "back-channel logout to {} failed: {reason} ({sessions} {noun} not notified)",
                    code(detail("uri"))
                ),
                "make the URI answer a POST with 200 within 5 s, reachable from Tessera over https on a public \
                 address (or set backchannel_logout_allow_private_networks for a development network); the \
                 application keeps those sessions open until it learns of the logout another way"
                    .to_owned(),
            )
        }
        other => (format!("{other}: {reason}"), String::new()),
    };
    Diagnosis { at: record.at, event: record.event.clone(), problem, fix }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AuthMethod, ClientId, RedirectUri};

    fn record(event: &str, detail: &[(&str, &str)]) -> AuditRecord {
        AuditRecord {
            id: "1".into(),
            at: 5,
            event: event.into(),
            actor: None,
            user_id: None,
            client_id: Some("app".into()),
            address: None,
            detail: detail.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    fn client() -> Client {
        let uri = RedirectUri::parse("http://127.0.0.1/callback").unwrap();
        let mut c = Client::new(ClientId::parse("app").unwrap(), "App".into(), ClientKind::Confidential, vec![uri]);
        c.auth_method = Some(AuthMethod::ClientSecretBasic);
        c
    }

    #[test]
    fn explains_the_usual_mistakes() {
        let slash = record(
            "authorization_refused",
            &[
                ("reason", "client_id \"app\": unregistered redirect_uri \"http://127.0.0.1/callback/\""),
                ("redirect_uri", "http://127.0.0.1/callback/"),
            ],
        );
        let d = explain(&slash, &client());
        assert_eq!(
            d.problem,
            "redirect_uri `http://127.0.0.1/callback/` is not registered; registered: `http://127.0.0.1/callback` (trailing slash)"
        );
        let pkce = record("authorization_refused", &[("reason", "code_challenge is required (PKCE with S256)")]);
        assert_eq!(explain(&pkce, &client()).problem, "the client sent no PKCE (no code_challenge)");
        let method = record(
            "client_authentication_failed",
            &[("reason", "authentication method differs from the registered one"), ("method", "client_secret_post")],
        );
        assert_eq!(
            explain(&method, &client()).problem,
            "client authentication used client_secret_post but the client is registered for client_secret_basic"
        );
        let scope = record(
            "token_refused",
            &[
                ("error", "invalid_scope"),
                ("grant_type", "client_credentials"),
                ("reason", "asked read admin, allowed read"),
            ],
        );
        let d = explain(&scope, &client());
        assert_eq!(d.problem, "scope `admin` is not allowed for this client");
        assert!(d.fix.contains("--scope \"read admin\""), "{}", d.fix);
        let openid = record("authorization_refused", &[("reason", "scope must contain openid"), ("scope", "profile")]);
        assert_eq!(explain(&openid, &client()).problem, "the request's scope `profile` lacks `openid`");
        let logout = record(
            "backchannel_logout_failed",
            &[("uri", "https://app.example/logout"), ("reason", "timeout"), ("sessions", "3")],
        );
        assert_eq!(
            explain(&logout, &client()).problem,
            "back-channel logout to `https://app.example/logout` failed: timeout (3 sessions not notified)"
        );
    }
}
