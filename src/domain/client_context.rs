//! Where a request came from, as far as a browser session records it: the browser's User-Agent and the client
//! address the server saw. The HTTP layer builds it once per request; the core hands it down to the session it
//! opens, and the account page (and later the admin pages) show it.

/// The User-Agent and address of the request that opened a browser session. Empty strings stand for "not known"
/// (sessions opened before these were recorded, or a request without a User-Agent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientContext {
    /// The `User-Agent` header, at most [`ClientContext::MAX_USER_AGENT`] characters, control characters removed.
    pub user_agent: String,
    /// The client address as `http::extract::source_address` sees it (forwarded headers only when trusted).
    pub address: String,
}

impl ClientContext {
    /// A User-Agent is the client's to choose: a bound keeps a session row small whatever is sent. Real ones are
    /// far shorter (a desktop Chrome's is about 120 characters).
    pub const MAX_USER_AGENT: usize = 256;
    /// An IPv6 address with a zone is under 64 characters; anything longer is not an address.
    pub const MAX_ADDRESS: usize = 64;

    pub fn new(user_agent: &str, address: &str) -> ClientContext {
        ClientContext {
            user_agent: clean(user_agent, Self::MAX_USER_AGENT),
            address: clean(address, Self::MAX_ADDRESS),
        }
    }

    /// The device as a person recognises it ("Firefox" on "Linux"), from the User-Agent by woothee's dataset.
    pub fn device(&self) -> Device {
        let Some(parsed) = woothee::parser::Parser::new().parse(&self.user_agent) else { return Device::default() };
        let known = |name: &str| (!name.is_empty() && name != woothee::woothee::VALUE_UNKNOWN).then(|| name.to_owned());
        Device { browser: known(parsed.name), os: known(parsed.os) }
    }
}

/// A session's device, each part `None` when the User-Agent does not tell it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Device {
    pub browser: Option<String>,
    pub os: Option<String>,
}

/// At most `max` characters, without control characters (a header value may carry none that matter, and a page or
/// a log line must not get them).
fn clean(value: &str, max: usize) -> String {
    value.chars().filter(|c| !c.is_control()).take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIREFOX_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    #[test]
    fn a_user_agent_names_browser_and_system() {
        let device = ClientContext::new(FIREFOX_LINUX, "127.0.0.1").device();
        assert_eq!(device, Device { browser: Some("Firefox".into()), os: Some("Linux".into()) });
        assert_eq!(ClientContext::new("", "").device(), Device::default());
        assert_eq!(ClientContext::new("curl-like/1 (nothing known)", "").device().os, None);
    }

    #[test]
    fn values_are_bounded_and_free_of_control_characters() {
        let long = "a".repeat(1000);
        let context = ClientContext::new(&format!("x\r\ny{long}"), &long);
        assert_eq!(context.user_agent.chars().count(), ClientContext::MAX_USER_AGENT);
        assert!(context.user_agent.starts_with("xya"));
        assert_eq!(context.address.len(), ClientContext::MAX_ADDRESS);
        let multibyte = "é".repeat(300);
        assert_eq!(ClientContext::new(&multibyte, "").user_agent.chars().count(), ClientContext::MAX_USER_AGENT);
    }
}
