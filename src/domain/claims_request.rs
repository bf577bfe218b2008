//! The `claims` authorization request parameter (OpenID Connect Core §5.5), as Tessera keeps it: which supported
//! user claims were asked for in the ID token and at userinfo. Not to be confused with the user's stored
//! attributes ([`super::attributes`]) or with the claims a response releases (`oidc::claim_release`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::scope::{Scope, scope_of_claim};

/// The `claims` request parameter (OpenID Connect Core §5.5), reduced to what Tessera acts on: the names of the
/// supported user claims requested for the ID token and for userinfo. Each is released there whether or not the
/// scope would release it, and whether it is essential or voluntary; unknown claims are ignored (§5.5: "Claims
/// that are not understood by the Authorization Server ... MUST be ignored"). Stored with the grant as this JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsRequest {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub userinfo: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub id_token: BTreeSet<String>,
}

/// The `claims` parameter is not the JSON object §5.5 describes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("claims parameter: {0}")]
pub struct InvalidClaimsRequest(String);

impl ClaimsRequest {
    /// The request as it applies to a response narrower than the grant (a refresh with a smaller `scope`,
    /// RFC 6749 §6): a requested claim stays only if the scope that releases it is still in `scope`, so narrowing
    /// the scope narrows the claims too. Unchanged when `scope` is the grant's.
    pub fn within(mut self, scope: &Scope, grant_scope: &Scope) -> ClaimsRequest {
        if grant_scope == scope {
            return self;
        }
        let keep = |claim: &String| scope_of_claim(claim).is_some_and(|s| scope.contains(s));
        self.userinfo.retain(keep);
        self.id_token.retain(keep);
        self
    }

    /// Parses the parameter's value. Returns the request and, if `sub` is requested in the ID token with a
    /// `value`, that subject (§5.5.1: "the Authorization Server MUST only send a positive response if the End-User
    /// identified by that sub value has an active session with the Authorization Server or has been
    /// Authenticated as a result of the request").
    pub fn parse(raw: &str) -> Result<(ClaimsRequest, Option<String>), InvalidClaimsRequest> {
        let bad = |m: &str| InvalidClaimsRequest(m.to_owned());
        let value: Value = serde_json::from_str(raw).map_err(|e| InvalidClaimsRequest(e.to_string()))?;
        let Value::Object(top) = value else { return Err(bad("not a JSON object")) };
        let userinfo = member(&top, "userinfo")?;
        let id_token = member(&top, "id_token")?;
        let subject = match id_token.and_then(|m| m.get("sub")) {
            Some(Value::Object(sub)) => match sub.get("value") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err(bad("the value of sub is not a string")),
                None => None,
            },
            _ => None,
        };
        let supported = |m: Option<&Map<String, Value>>| -> BTreeSet<String> {
            m.into_iter().flat_map(|m| m.keys()).filter(|c| scope_of_claim(c).is_some()).cloned().collect()
        };
        Ok((ClaimsRequest { userinfo: supported(userinfo), id_token: supported(id_token) }, subject))
    }

    pub fn is_empty(&self) -> bool {
        self.userinfo.is_empty() && self.id_token.is_empty()
    }

    /// The scope values whose claims are requested: what the user is asked to consent to on top of the scope.
    pub fn implied_scopes(&self) -> BTreeSet<&'static str> {
        self.userinfo.iter().chain(&self.id_token).filter_map(|c| scope_of_claim(c)).collect()
    }

    /// The `acr` claim requested in the ID token (§5.5.1.1): its `values` (or `value`) and whether it is
    /// essential; `None` when not requested there. Call on a value [`ClaimsRequest::parse`] accepted.
    pub fn requested_acr(raw: &str) -> Option<(Vec<String>, bool)> {
        let value: Value = serde_json::from_str(raw).ok()?;
        let acr = value.get("id_token")?.get("acr")?;
        let essential = acr.get("essential").and_then(Value::as_bool).unwrap_or(false);
        let mut values: Vec<String> = match (acr.get("value"), acr.get("values")) {
            (Some(Value::String(v)), _) => vec![v.clone()],
            (_, Some(Value::Array(list))) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        if values.is_empty() {
            // Essential without values: any level we issue will do (§5.5.1.1 leaves the choice to the server).
            values.push(super::session::ACR_SINGLE_FACTOR.to_owned());
        }
        Some((values, essential))
    }

    /// The stored form (`None` when nothing supported was requested).
    pub fn to_stored(&self) -> Option<String> {
        (!self.is_empty()).then(|| serde_json::to_string(self).unwrap_or_default())
    }

    pub fn from_stored(stored: Option<&str>) -> Result<ClaimsRequest, serde_json::Error> {
        stored.map_or(Ok(ClaimsRequest::default()), serde_json::from_str)
    }
}

/// §5.5: `userinfo` and `id_token` are JSON objects whose members are claim names, each with null or an object
/// (§5.5.1: `essential` a boolean, `value` any JSON value, `values` an array).
fn member<'a>(top: &'a Map<String, Value>, name: &str) -> Result<Option<&'a Map<String, Value>>, InvalidClaimsRequest> {
    let bad = |m: String| Err(InvalidClaimsRequest(m));
    let claims = match top.get(name) {
        None => return Ok(None),
        Some(Value::Object(claims)) => claims,
        Some(_) => return bad(format!("{name} is not a JSON object")),
    };
    for (claim, request) in claims {
        match request {
            Value::Null => {}
            Value::Object(request) => {
                if request.get("essential").is_some_and(|e| !e.is_boolean()) {
                    return bad(format!("essential of {claim} is not a boolean"));
                }
                if request.get("values").is_some_and(|v| !v.is_array()) {
                    return bad(format!("values of {claim} is not an array"));
                }
            }
            _ => return bad(format!("the request for {claim} is neither null nor an object")),
        }
    }
    Ok(Some(claims))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&'static str]) -> BTreeSet<&'static str> {
        names.iter().copied().collect()
    }

    #[test]
    fn the_claims_parameter() {
        let (request, subject) = ClaimsRequest::parse(
            r#"{"userinfo": {"email": {"essential": true}, "nickname": null, "foo": null},
                "id_token": {"phone_number": {"essential": true}, "auth_time": {"essential": true},
                             "address": {"values": []}, "email_verified": {"value": true}},
                "other": 1}"#,
        )
        .unwrap();
        assert_eq!(request.userinfo, ["email".to_owned(), "nickname".to_owned()].into());
        assert_eq!(
            request.id_token,
            ["address".to_owned(), "email_verified".to_owned(), "phone_number".to_owned()].into()
        );
        assert_eq!(subject, None);
        assert_eq!(request.implied_scopes(), set(&["address", "email", "phone", "profile"]));
        let stored = request.to_stored().unwrap();
        assert_eq!(ClaimsRequest::from_stored(Some(&stored)).unwrap(), request);
        assert_eq!(ClaimsRequest::from_stored(None).unwrap(), ClaimsRequest::default());

        let (empty, _) = ClaimsRequest::parse(r#"{"id_token": {"acr": {"essential": true}}}"#).unwrap();
        assert!(empty.is_empty() && empty.to_stored().is_none());
        let (_, subject) = ClaimsRequest::parse(r#"{"id_token": {"sub": {"value": "f1d2"}}}"#).unwrap();
        assert_eq!(subject.as_deref(), Some("f1d2"));

        for bad in [
            "",
            "{",
            "[]",
            "\"email\"",
            "null",
            r#"{"userinfo": []}"#,
            r#"{"userinfo": "email"}"#,
            r#"{"id_token": {"email": true}}"#,
            r#"{"id_token": {"email": {"essential": "yes"}}}"#,
            r#"{"id_token": {"email": {"values": "a"}}}"#,
            r#"{"id_token": {"sub": {"value": 1}}}"#,
        ] {
            assert!(ClaimsRequest::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
