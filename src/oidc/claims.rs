//! Which user claims a response releases: those of the granted scope values (OpenID Connect Core §5.4), plus
//! those the client named in the `claims` request parameter (§5.5) for that response (the ID token or userinfo).

use std::collections::BTreeSet;

use chrono::DateTime;
use openidconnect::core::CoreGenderClaim;
use openidconnect::{
    AddressClaim, AddressCountry, AddressLocality, AddressPostalCode, AddressRegion, EndUserBirthday, EndUserEmail,
    EndUserFamilyName, EndUserGivenName, EndUserMiddleName, EndUserName, EndUserNickname, EndUserPhoneNumber,
    EndUserPictureUrl, EndUserProfileUrl, EndUserTimezone, EndUserUsername, EndUserWebsiteUrl, FormattedAddress,
    LanguageTag, LocalizedClaim, StandardClaims, StreetAddress, SubjectIdentifier,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::{Address, Scope, User};

/// OpenID Connect Core §5.4: "profile OPTIONAL. This scope value requests access to the End-User's default
/// profile Claims, which are: name, family_name, given_name, middle_name, nickname, preferred_username, profile,
/// picture, website, gender, birthdate, zoneinfo, locale, and updated_at."
pub const PROFILE_CLAIMS: &[&str] = &[
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
/// §5.4: "email ... email and email_verified Claims."
pub const EMAIL_CLAIMS: &[&str] = &["email", "email_verified"];
/// §5.4: "address ... the address Claim."
pub const ADDRESS_CLAIMS: &[&str] = &["address"];
/// §5.4: "phone ... phone_number and phone_number_verified Claims."
pub const PHONE_CLAIMS: &[&str] = &["phone_number", "phone_number_verified"];

/// The scope values that release user claims, with their claims.
const SCOPE_CLAIMS: &[(&str, &[&str])] =
    &[("profile", PROFILE_CLAIMS), ("email", EMAIL_CLAIMS), ("address", ADDRESS_CLAIMS), ("phone", PHONE_CLAIMS)];

/// The claims every scope-aware endpoint advertises (discovery `claims_supported`): the ID token's own claims and
/// every user claim of §5.4.
pub const SUPPORTED_CLAIMS: &[&str] = &[
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "at_hash",
    "azp",
    "sid",
    "name",
    "given_name",
    "family_name",
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
    "email",
    "email_verified",
    "address",
    "phone_number",
    "phone_number_verified",
];

/// The user claims a scope value releases (none for openid, offline_access or unknown values).
pub fn claims_of_scope(scope_value: &str) -> &'static [&'static str] {
    SCOPE_CLAIMS.iter().find(|(s, _)| *s == scope_value).map_or(&[], |(_, claims)| claims)
}

/// The scope value that releases a user claim, if any.
fn scope_of_claim(claim: &str) -> Option<&'static str> {
    SCOPE_CLAIMS.iter().find(|(_, claims)| claims.contains(&claim)).map(|(scope, _)| *scope)
}

/// The names of the user claims one response releases: those of the scope, and those requested for it.
fn released_claims<'a>(scope: &'a Scope, requested: &'a BTreeSet<String>) -> BTreeSet<&'a str> {
    let mut released: BTreeSet<&str> = scope.iter().flat_map(|s| claims_of_scope(s).iter().copied()).collect();
    released.extend(requested.iter().map(String::as_str).filter(|c| scope_of_claim(c).is_some()));
    released
}

/// `sub` always; then each released claim the user has a value for (OpenID Connect Core §5.3.2: "If a Claim is
/// not returned, that Claim Name SHOULD be omitted"). `requested` is the ID token's or userinfo's member of the
/// `claims` request parameter.
pub fn standard_claims(user: &User, scope: &Scope, requested: &BTreeSet<String>) -> StandardClaims<CoreGenderClaim> {
    let released = released_claims(scope, requested);
    let wants = |claim: &str| released.contains(claim);
    let pick = |claim: &str, value: &Option<String>| value.clone().filter(|_| wants(claim));
    let c = &user.claims;
    let mut claims = StandardClaims::new(SubjectIdentifier::new(user.subject.clone()))
        .set_name(localized(pick("name", &user.name), EndUserName::new))
        .set_given_name(localized(pick("given_name", &c.given_name), EndUserGivenName::new))
        .set_family_name(localized(pick("family_name", &c.family_name), EndUserFamilyName::new))
        .set_middle_name(localized(pick("middle_name", &c.middle_name), EndUserMiddleName::new))
        .set_nickname(localized(pick("nickname", &c.nickname), EndUserNickname::new))
        .set_preferred_username(pick("preferred_username", &Some(user.username.clone())).map(EndUserUsername::new))
        .set_profile(localized(pick("profile", &c.profile), EndUserProfileUrl::new))
        .set_picture(localized(pick("picture", &c.picture), EndUserPictureUrl::new))
        .set_website(localized(pick("website", &c.website), EndUserWebsiteUrl::new))
        .set_gender(pick("gender", &c.gender).map(CoreGenderClaim::new))
        .set_birthdate(pick("birthdate", &c.birthdate).map(EndUserBirthday::new))
        .set_zoneinfo(pick("zoneinfo", &c.zoneinfo).map(EndUserTimezone::new))
        .set_locale(pick("locale", &c.locale).map(LanguageTag::new))
        .set_updated_at(wants("updated_at").then(|| DateTime::from_timestamp(user.updated_at, 0)).flatten())
        .set_email(pick("email", &user.email).map(EndUserEmail::new))
        .set_phone_number(pick("phone_number", &c.phone_number).map(EndUserPhoneNumber::new))
        .set_address(c.address.as_ref().filter(|a| wants("address") && !a.is_empty()).map(address_claim));
    // The verified flags say something only about a value the user has.
    if user.email.is_some() && wants("email_verified") {
        claims = claims.set_email_verified(Some(user.email_verified));
    }
    if c.phone_number.is_some() && wants("phone_number_verified") {
        claims = claims.set_phone_number_verified(Some(c.phone_number_verified));
    }
    claims
}

/// A claim without language tags (§5.2): the default value only.
fn localized<T>(value: Option<String>, make: fn(String) -> T) -> Option<LocalizedClaim<T>> {
    value.map(|v| LocalizedClaim::from(make(v)))
}

fn address_claim(address: &Address) -> AddressClaim {
    AddressClaim {
        formatted: address.formatted.clone().map(FormattedAddress::new),
        street_address: address.street_address.clone().map(StreetAddress::new),
        locality: address.locality.clone().map(AddressLocality::new),
        region: address.region.clone().map(AddressRegion::new),
        postal_code: address.postal_code.clone().map(AddressPostalCode::new),
        country: address.country.clone().map(AddressCountry::new),
    }
}

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
    pub fn within(mut self, scope: &Scope, grant_scope: &str) -> ClaimsRequest {
        if Scope::parse(grant_scope).is_ok_and(|granted| granted == *scope) {
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
    use crate::domain::UserClaims;

    fn user() -> User {
        User {
            subject: "f1d2".into(),
            username: "alice".into(),
            email: Some("alice@example.com".into()),
            email_verified: true,
            name: Some("Alice Liddell".into()),
            claims: UserClaims {
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
                    postal_code: Some("OX1 1DP".into()),
                    country: Some("GB".into()),
                    ..Address::default()
                }),
            },
            updated_at: 1_700_000_000,
        }
    }

    fn json_with(scope: &str, requested: &[&str]) -> serde_json::Value {
        let requested = requested.iter().map(|s| (*s).to_owned()).collect();
        serde_json::to_value(standard_claims(&user(), &Scope::parse(scope).unwrap(), &requested)).unwrap()
    }

    fn json(scope: &str) -> serde_json::Value {
        json_with(scope, &[])
    }

    fn names(v: &serde_json::Value) -> BTreeSet<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    fn set(names: &[&'static str]) -> BTreeSet<&'static str> {
        names.iter().copied().collect()
    }

    #[test]
    fn openid_alone_releases_only_the_subject() {
        let v = json("openid");
        assert_eq!(v, serde_json::json!({"sub": "f1d2"}));
    }

    #[test]
    fn each_scope_releases_exactly_its_claims() {
        let profile: BTreeSet<&str> = PROFILE_CLAIMS.iter().copied().chain(["sub"]).collect();
        assert_eq!(names(&json("openid profile")), profile);
        assert_eq!(names(&json("openid email")), set(&["sub", "email", "email_verified"]));
        assert_eq!(names(&json("openid address")), set(&["sub", "address"]));
        assert_eq!(names(&json("openid phone")), set(&["sub", "phone_number", "phone_number_verified"]));
        let all: BTreeSet<&str> = SUPPORTED_CLAIMS
            .iter()
            .copied()
            .filter(|c| !["iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp", "sid"].contains(c))
            .collect();
        assert_eq!(names(&json("openid profile email address phone offline_access")), all);
    }

    #[test]
    fn values_have_the_shapes_of_section_5_1() {
        let v = json("openid profile email address phone");
        assert_eq!(v["name"], "Alice Liddell");
        assert_eq!(v["given_name"], "Alice");
        assert_eq!(v["family_name"], "Liddell");
        assert_eq!(v["middle_name"], "Pleasance");
        assert_eq!(v["nickname"], "Al");
        assert_eq!(v["preferred_username"], "alice");
        assert_eq!(v["profile"], "https://example.com/alice");
        assert_eq!(v["picture"], "https://example.com/alice.png");
        assert_eq!(v["website"], "https://alice.example");
        assert_eq!(v["gender"], "female");
        assert_eq!(v["birthdate"], "1852-05-04");
        assert_eq!(v["zoneinfo"], "Europe/London");
        assert_eq!(v["locale"], "en-GB");
        assert_eq!(v["updated_at"], 1_700_000_000, "a JSON number of seconds (§5.1)");
        assert_eq!(v["email"], "alice@example.com");
        assert_eq!(v["email_verified"], true);
        assert_eq!(v["phone_number"], "+44 20 7946 0958");
        assert_eq!(v["phone_number_verified"], true);
        assert_eq!(
            v["address"],
            serde_json::json!({"street_address": "1 Christ Church", "locality": "Oxford", "postal_code": "OX1 1DP",
                "country": "GB"})
        );
    }

    #[test]
    fn missing_values_are_omitted() {
        let mut u = user();
        u.claims = UserClaims::default();
        u.email = None;
        u.name = None;
        let scope = Scope::parse("openid profile email address phone").unwrap();
        let v = serde_json::to_value(standard_claims(&u, &scope, &BTreeSet::new())).unwrap();
        assert_eq!(names(&v), set(&["sub", "preferred_username", "updated_at"]));
    }

    #[test]
    fn requested_claims_are_added_to_the_scope_and_unknown_ones_ignored() {
        let v = json_with("openid", &["email", "phone_number", "acr", "sub", "unknown"]);
        assert_eq!(names(&v), set(&["sub", "email", "phone_number"]));
        let v = json_with("openid email", &["address"]);
        assert_eq!(names(&v), set(&["sub", "email", "email_verified", "address"]));
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
