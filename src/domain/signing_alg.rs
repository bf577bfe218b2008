//! The JWS algorithms Tessera signs with (RFC 7518 §3, RFC 8037 §3.1): one rotating key ring each.

use std::fmt;

use super::error::InvalidValue;

/// A signing algorithm and the key type it is pinned to: RS256 and PS256 sign with RSA-2048 keys (separate rings:
/// a key is published for one `alg` only, RFC 7517 §4.4), ES256 with P-256, EdDSA with Ed25519.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SigningAlg {
    RS256,
    PS256,
    ES256,
    EdDSA,
}

impl SigningAlg {
    pub const ALL: [SigningAlg; 4] = [SigningAlg::RS256, SigningAlg::PS256, SigningAlg::ES256, SigningAlg::EdDSA];

    /// The JWS `alg` names, case-sensitive as RFC 7515 §4.1.1 has them.
    pub fn parse(raw: &str) -> Result<SigningAlg, InvalidValue> {
        SigningAlg::ALL
            .into_iter()
            .find(|alg| alg.as_str() == raw)
            .ok_or_else(|| InvalidValue(format!("unknown signing algorithm {raw:?} (RS256, PS256, ES256, EdDSA)")))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::RS256 => "RS256",
            SigningAlg::PS256 => "PS256",
            SigningAlg::ES256 => "ES256",
            SigningAlg::EdDSA => "EdDSA",
        }
    }

    /// A list written as `RS256 ES256` or `RS256,ES256`: at least one, without repeats, in the order given.
    pub fn parse_list(raw: &str) -> Result<Vec<SigningAlg>, InvalidValue> {
        let mut out = Vec::new();
        for item in raw.split([' ', ',']).filter(|s| !s.is_empty()) {
            let alg = SigningAlg::parse(item)?;
            if out.contains(&alg) {
                return Err(InvalidValue(format!("signing algorithm {alg} is listed twice")));
            }
            out.push(alg);
        }
        if out.is_empty() {
            return Err(InvalidValue("at least one signing algorithm".into()));
        }
        Ok(out)
    }
}

impl fmt::Display for SigningAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The algorithms a server signs with: a small set (so it is `Copy`, like the key policy it sits in) and the first
/// one listed, which signs whatever names no algorithm of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningAlgs {
    enabled: [bool; 4],
    default: SigningAlg,
}

impl SigningAlgs {
    pub fn new(list: &[SigningAlg]) -> Result<SigningAlgs, InvalidValue> {
        let default = *list.first().ok_or_else(|| InvalidValue("at least one signing algorithm".into()))?;
        let mut enabled = [false; 4];
        for alg in list {
            enabled[*alg as usize] = true;
        }
        Ok(SigningAlgs { enabled, default })
    }

    /// RS256 alone, as before there was a choice (and OpenID Connect Discovery §3 requires RS256 be supported).
    pub const fn rs256_only() -> SigningAlgs {
        SigningAlgs { enabled: [true, false, false, false], default: SigningAlg::RS256 }
    }

    pub fn contains(self, alg: SigningAlg) -> bool {
        self.enabled[alg as usize]
    }

    pub fn default_alg(self) -> SigningAlg {
        self.default
    }

    /// The enabled algorithms, the default first, then in the order of [`SigningAlg::ALL`].
    pub fn iter(self) -> impl Iterator<Item = SigningAlg> {
        std::iter::once(self.default)
            .chain(SigningAlg::ALL.into_iter().filter(move |a| *a != self.default && self.contains(*a)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lists() {
        for alg in SigningAlg::ALL {
            assert_eq!(SigningAlg::parse(alg.as_str()), Ok(alg));
        }
        assert!(SigningAlg::parse("rs256").is_err(), "JWS alg names are case-sensitive");
        assert!(SigningAlg::parse("HS256").is_err());
        assert!(SigningAlg::parse("none").is_err());
        assert_eq!(SigningAlg::parse_list("ES256, RS256").unwrap(), vec![SigningAlg::ES256, SigningAlg::RS256]);
        assert!(SigningAlg::parse_list("RS256 RS256").is_err());
        assert!(SigningAlg::parse_list(" ").is_err());
    }

    #[test]
    fn the_first_listed_is_the_default() {
        let algs = SigningAlgs::new(&[SigningAlg::EdDSA, SigningAlg::RS256]).unwrap();
        assert_eq!(algs.default_alg(), SigningAlg::EdDSA);
        assert_eq!(algs.iter().collect::<Vec<_>>(), vec![SigningAlg::EdDSA, SigningAlg::RS256]);
        assert!(!algs.contains(SigningAlg::ES256));
        assert!(SigningAlgs::new(&[]).is_err());
    }
}
