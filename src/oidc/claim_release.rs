//! Claim release: which of a user's attributes a response carries. Those of the granted scope values (OpenID
//! Connect Core §5.4, the scope registry in `domain::scope`), plus those the client named in the `claims` request
//! parameter (§5.5) for that response (the ID token or userinfo).

use std::collections::BTreeSet;

use crate::domain::scope::{GROUPS, claims_of_scope, scope_of_claim};
use crate::domain::{Address, Grant, Scope, User};
use chrono::DateTime;
use openidconnect::UserInfoClaims;
use openidconnect::core::CoreGenderClaim;
use openidconnect::{
    AddressClaim, AddressCountry, AddressLocality, AddressPostalCode, AddressRegion, EndUserBirthday, EndUserEmail,
    EndUserFamilyName, EndUserGivenName, EndUserMiddleName, EndUserName, EndUserNickname, EndUserPhoneNumber,
    EndUserPictureUrl, EndUserProfileUrl, EndUserTimezone, EndUserUsername, EndUserWebsiteUrl, FormattedAddress,
    LanguageTag, LocalizedClaim, StandardClaims, StreetAddress, SubjectIdentifier,
};

/// The names of the user claims one response releases: those of the scope, and those requested for it.
fn released_claims<'a>(scope: &'a Scope, requested: &'a BTreeSet<String>) -> BTreeSet<&'a str> {
    let mut released: BTreeSet<&str> = scope.iter().flat_map(|s| claims_of_scope(s).iter().copied()).collect();
    released.extend(requested.iter().map(String::as_str).filter(|c| scope_of_claim(c).is_some()));
    released
}

/// Whether one response releases the `groups` claim: the `groups` scope was granted, or the claim was requested.
pub fn releases_groups(scope: &Scope, requested: &BTreeSet<String>) -> bool {
    released_claims(scope, requested).contains(GROUPS)
}

/// The claims of a response beyond OpenID Connect's standard ones: `groups`, the names of the user's groups, when
/// released.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GroupsClaim {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub groups: Option<Vec<String>>,
}

impl openidconnect::AdditionalClaims for GroupsClaim {}

/// The userinfo response with its additional claims.
pub type TesseraUserInfoClaims = UserInfoClaims<GroupsClaim, CoreGenderClaim>;

/// `sub` always; then each released claim the user has a value for (OpenID Connect Core §5.3.2: "If a Claim is
/// not returned, that Claim Name SHOULD be omitted"). `requested` is the ID token's or userinfo's member of the
/// `claims` request parameter.
pub fn standard_claims(user: &User, scope: &Scope, requested: &BTreeSet<String>) -> StandardClaims<CoreGenderClaim> {
    let released = released_claims(scope, requested);
    let wants = |claim: &str| released.contains(claim);
    let pick = |claim: &str, value: &Option<String>| value.clone().filter(|_| wants(claim));
    let c = &user.attributes;
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

/// The userinfo response (OpenID Connect Core §5.3.2) for an access token of `scope` issued from `grant`: the
/// claims of the scope, plus those the `claims` parameter asked for at userinfo (§5.5), narrowed with the scope.
/// `groups` is asked for (from storage) only when it is released.
pub fn userinfo_claims<E>(
    user: &User,
    grant: &Grant,
    scope: &Scope,
    groups: impl FnOnce() -> Result<Vec<String>, E>,
) -> Result<TesseraUserInfoClaims, E> {
    let requested = grant.claims.clone().within(scope, &grant.scope);
    let groups = if releases_groups(scope, &requested.userinfo) { Some(groups()?) } else { None };
    Ok(UserInfoClaims::new(standard_claims(user, scope, &requested.userinfo), GroupsClaim { groups }))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UserAttributes;
    use crate::domain::scope::{ID_TOKEN_CLAIMS, supported_claims};

    fn user() -> User {
        User {
            subject: "f1d2".into(),
            username: "alice".into(),
            email: Some("alice@example.com".into()),
            email_verified: true,
            name: Some("Alice Liddell".into()),
            attributes: UserAttributes {
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
    fn the_groups_scope_or_request_releases_groups() {
        let none = BTreeSet::new();
        assert!(!releases_groups(&Scope::parse("openid profile").unwrap(), &none));
        assert!(releases_groups(&Scope::parse("openid groups").unwrap(), &none));
        assert!(releases_groups(&Scope::parse("openid").unwrap(), &BTreeSet::from(["groups".to_owned()])));
    }

    #[test]
    fn openid_alone_releases_only_the_subject() {
        let v = json("openid");
        assert_eq!(v, serde_json::json!({"sub": "f1d2"}));
    }

    #[test]
    fn each_scope_releases_exactly_its_claims() {
        let profile: BTreeSet<&str> = claims_of_scope("profile").iter().copied().chain(["sub"]).collect();
        assert_eq!(names(&json("openid profile")), profile);
        assert_eq!(names(&json("openid email")), set(&["sub", "email", "email_verified"]));
        assert_eq!(names(&json("openid address")), set(&["sub", "address"]));
        assert_eq!(names(&json("openid phone")), set(&["sub", "phone_number", "phone_number_verified"]));
        // `groups` is not a standard claim: it is released beside them (`releases_groups`).
        let all: BTreeSet<&str> = supported_claims()
            .into_iter()
            .filter(|c| (*c == "sub" || !ID_TOKEN_CLAIMS.contains(c)) && *c != GROUPS)
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
        u.attributes = UserAttributes::default();
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
}
