//! A user's stored attributes: the standard claims a user holds beyond username, name and email (OpenID Connect
//! Core §5.1), and the rules their values follow before they are stored. The parsers return the value to store, or
//! a message for the operator (the values come from `tessera user add` / `user update`, never from a client).
//! Which of them a response releases is decided elsewhere (`oidc::claim_release`).

use serde::{Deserialize, Serialize};
use url::Url;

use super::error::InvalidValue;

/// OpenID Connect Core §5.1 claims besides `sub`, `name`, `preferred_username`, `email`, `email_verified` and
/// `updated_at` (which [`super::User`] holds itself). Every value here has passed its parser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserAttributes {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub middle_name: Option<String>,
    pub nickname: Option<String>,
    /// URL of the user's profile page.
    pub profile: Option<String>,
    /// URL of the user's picture.
    pub picture: Option<String>,
    pub website: Option<String>,
    pub gender: Option<String>,
    /// `YYYY-MM-DD` or `YYYY`.
    pub birthdate: Option<String>,
    /// An IANA time zone name, e.g. `Europe/Paris`.
    pub zoneinfo: Option<String>,
    /// A BCP 47 language tag, e.g. `fr-FR`.
    pub locale: Option<String>,
    pub phone_number: Option<String>,
    pub phone_number_verified: bool,
    pub address: Option<Address>,
}

/// OpenID Connect Core §5.1.1, the address claim; stored as this JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        self == &Address::default()
    }
}

fn invalid(message: String) -> InvalidValue {
    InvalidValue(message)
}

/// A human-readable value (names, nickname, gender, address parts): trimmed, 1 to 256 characters, no control
/// characters (a newline only where `multiline`, for street addresses and formatted addresses, §5.1.1).
pub fn parse_text(claim: &str, raw: &str, multiline: bool) -> Result<String, InvalidValue> {
    let value = raw.trim();
    if value.is_empty() || value.chars().count() > 256 {
        return Err(invalid(format!("{claim} has 1 to 256 characters")));
    }
    if value.chars().any(|c| c.is_control() && !(multiline && c == '\n')) {
        return Err(invalid(format!("{claim} must not contain control characters")));
    }
    Ok(value.to_owned())
}

/// An addr-spec shape (RFC 5322 §3.4.1, without quoted or commented forms): one `@`, a local part of 1 to 64
/// characters, a domain of dot-separated labels of letters, digits and `-`; at most 254 characters in all
/// (RFC 5321 §4.5.3.1.3).
pub fn parse_email(raw: &str) -> Result<String, InvalidValue> {
    let value = raw.trim();
    let bad = || invalid(format!("{value:?} is not an email address"));
    if value.len() > 254 {
        return Err(invalid("an email address has at most 254 characters".into()));
    }
    let (local, domain) = value.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
    {
        return Err(bad());
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if !domain.split('.').all(label_ok) {
        return Err(bad());
    }
    Ok(value.to_owned())
}

/// OpenID Connect Core §5.1 `phone_number`: "E.164 is RECOMMENDED as the format of this Claim, for example,
/// +1 (425) 555-1212 or +56 (2) 687 2400", with an optional RFC 3966 extension (`;ext=5678`). Accepted: `+`,
/// then 7 to 15 digits (E.164 §6.1 allows at most 15) with optional spaces, dots, hyphens and parentheses.
pub fn parse_phone_number(raw: &str) -> Result<String, InvalidValue> {
    let value = raw.trim();
    let bad = || {
        invalid(format!(
            "{value:?} is not an international phone number: write + and the country code, e.g. +1 425 555 1212"
        ))
    };
    let (number, extension) = match value.split_once(";ext=") {
        Some((number, ext)) => (number, Some(ext)),
        None => (value, None),
    };
    let rest = number.strip_prefix('+').ok_or_else(bad)?;
    if !rest.starts_with(|c: char| c.is_ascii_digit() || c == '(') {
        return Err(bad());
    }
    if !rest.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')')) {
        return Err(bad());
    }
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return Err(bad());
    }
    if let Some(ext) = extension
        && (ext.is_empty() || ext.len() > 10 || !ext.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(bad());
    }
    Ok(value.to_owned())
}

/// OpenID Connect Core §5.1 `birthdate`: "ISO 8601-1 YYYY-MM-DD format. The year MAY be 0000, indicating that
/// it is omitted. To represent only the year, YYYY format is allowed."
pub fn parse_birthdate(raw: &str) -> Result<String, InvalidValue> {
    let value = raw.trim();
    let bad = || invalid(format!("{value:?} is not a birthdate: write YYYY-MM-DD or YYYY"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match value.len() {
        4 if digits(value) && value != "0000" => Ok(value.to_owned()),
        10 => {
            let mut parts = value.split('-');
            let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
                return Err(bad());
            };
            if y.len() != 4 || m.len() != 2 || d.len() != 2 || !digits(y) || !digits(m) || !digits(d) {
                return Err(bad());
            }
            let parse = |s: &str| s.parse::<u32>().map_err(|_| bad());
            // Year 0000 (omitted) is a leap year in the proleptic Gregorian calendar, so 0000-02-29 passes.
            let year = i32::try_from(parse(y)?).map_err(|_| bad())?;
            chrono::NaiveDate::from_ymd_opt(year, parse(m)?, parse(d)?).ok_or_else(bad)?;
            Ok(value.to_owned())
        }
        _ => Err(bad()),
    }
}

/// `profile`, `picture` and `website`: an absolute http or https URL with a host, at most 2000 characters.
pub fn parse_url(claim: &str, raw: &str) -> Result<String, InvalidValue> {
    let value = raw.trim();
    if value.is_empty() || value.len() > 2000 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(format!("{claim} must be an http or https URL of at most 2000 characters")));
    }
    let url = Url::parse(value).map_err(|e| invalid(format!("{claim} {value:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(format!("{claim} {value:?} must be an http or https URL")));
    }
    Ok(value.to_owned())
}

/// OpenID Connect Core §5.1 `locale`: a BCP 47 language tag (RFC 5646) such as `en-US`: a language of 2 to 8
/// letters, then subtags of 1 to 8 letters or digits, separated by `-`; at most 35 characters.
pub fn parse_locale(raw: &str) -> Result<String, InvalidValue> {
    let value = raw.trim();
    let bad = || invalid(format!("{value:?} is not a language tag such as en-US"));
    if value.is_empty() || value.len() > 35 {
        return Err(bad());
    }
    let mut subtags = value.split('-');
    let language = subtags.next().unwrap_or_default();
    if !(2..=8).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(bad());
    }
    if !subtags.all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric())) {
        return Err(bad());
    }
    Ok(value.to_owned())
}

/// OpenID Connect Core §5.1 `zoneinfo`: a name from the IANA time zone database such as `Europe/Paris`:
/// letters, digits, `_`, `-` and `+` in `/`-separated parts; at most 64 characters.
pub fn parse_zoneinfo(raw: &str) -> Result<String, InvalidValue> {
    let value = raw.trim();
    let part_ok =
        |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'));
    if value.is_empty() || value.len() > 64 || !value.split('/').all(part_ok) {
        return Err(invalid(format!("{value:?} is not a time zone name such as Europe/Paris")));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["alice@example.com", "a.b+tag@sub.example.org", "x@localhost", "élise@exemple.fr"] {
            assert_eq!(parse_email(ok).as_deref(), Ok(ok), "{ok}");
        }
        assert_eq!(parse_email("  alice@example.com ").unwrap(), "alice@example.com");
        for bad in [
            "",
            "alice",
            "@example.com",
            "alice@",
            "a@b@example.com",
            "alice smith@example.com",
            "alice@exa mple.com",
            "alice@example..com",
            "alice@-example.com",
            ".alice@example.com",
            "al..ice@example.com",
            "<alice>@example.com",
        ] {
            assert!(parse_email(bad).is_err(), "{bad:?} accepted");
        }
        assert!(parse_email("alice@example.com\nBcc: x@example.com").is_err());
        assert!(parse_email(&format!("{}@example.com", "a".repeat(65))).is_err());
        assert!(parse_email(&format!("a@{}.com", "b".repeat(250))).is_err());
    }

    #[test]
    fn phone_numbers() {
        for ok in
            ["+14255551212", "+1 (425) 555-1212", "+56 (2) 687 2400", "+33 1.23.45.67.89", "+1 604 555 1234;ext=5678"]
        {
            assert_eq!(parse_phone_number(ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in [
            "",
            "4255551212",
            "+",
            "+123456",
            "+1234567890123456",
            "+1 425 555 CALL",
            "+-1 425 555 1212",
            "+1 425 555 1212;ext=",
            "+1 425 555 1212;ext=12a",
            "tel:+14255551212",
        ] {
            assert!(parse_phone_number(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn birthdates() {
        for ok in ["1990-04-01", "0000-12-25", "2000-02-29", "0000-02-29", "1984"] {
            assert_eq!(parse_birthdate(ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in [
            "",
            "0000",
            "84",
            "19840",
            "1990-4-1",
            "1990-13-01",
            "1990-02-30",
            "2001-02-29",
            "1990/04/01",
            "1990-04-01T00:00:00Z",
            "199a-01-01",
            "+990-01-01",
        ] {
            assert!(parse_birthdate(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn urls() {
        for ok in ["https://example.com/alice", "http://127.0.0.1:8080/me.png"] {
            assert_eq!(parse_url("website", ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in [
            "",
            "example.com",
            "/alice",
            "javascript:alert(1)",
            "ftp://example.com/x",
            "https://",
            "https://exa mple.com",
            "data:image/png;base64,AAAA",
        ] {
            assert!(parse_url("website", bad).is_err(), "{bad:?} accepted");
        }
        let err = parse_url("picture", "nope").unwrap_err();
        assert!(err.0.contains("picture"), "{err}");
        assert!(parse_url("website", &format!("https://example.com/{}", "a".repeat(2000))).is_err());
    }

    #[test]
    fn locales_and_zones() {
        for ok in ["en", "en-US", "fr-CA", "zh-Hant-TW", "de-CH-1996"] {
            assert_eq!(parse_locale(ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in ["", "e", "en_US", "en--US", "englishlanguage-US", "en-US-", "12-US", &"a".repeat(36)] {
            assert!(parse_locale(bad).is_err(), "{bad:?} accepted");
        }
        for ok in ["Europe/Paris", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+5", "America/Port-au-Prince"] {
            assert_eq!(parse_zoneinfo(ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in
            ["", "/Paris", "Europe//Paris", "Europe/Paris/", "Europe/Paris <b>", "Europe\\Paris", &"A".repeat(65)]
        {
            assert!(parse_zoneinfo(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn texts() {
        assert_eq!(parse_text("given_name", "  Alice ", false).unwrap(), "Alice");
        assert!(parse_text("given_name", "   ", false).is_err());
        assert!(parse_text("given_name", &"a".repeat(257), false).is_err());
        assert!(parse_text("given_name", "Al\nice", false).is_err());
        assert!(parse_text("given_name", "Al\u{1b}[31mice", false).is_err());
        assert_eq!(parse_text("street_address", "1 Main St\nApt 2", true).unwrap(), "1 Main St\nApt 2");
    }

    #[test]
    fn addresses_serialise_only_their_parts() {
        let address = Address { locality: Some("Paris".into()), country: Some("FR".into()), ..Address::default() };
        assert_eq!(serde_json::to_string(&address).unwrap(), r#"{"locality":"Paris","country":"FR"}"#);
        assert!(!address.is_empty());
        assert!(Address::default().is_empty());
    }
}
