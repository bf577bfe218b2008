//! Why a sign-in step sent its page back: what the page tells the person, in their language (the pages look each
//! variant up in the message catalogue; nothing here is English).

/// A refused sign-in step, as the page explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    /// The username or the password is wrong: one message for both, so the page does not reveal which usernames
    /// exist.
    Failed,
    /// Too many failed attempts: try again in `wait_secs` (the actual wait), whether or not the account exists.
    Throttled { wait_secs: i64 },
    /// The password was right, but an operator disabled the account (`tessera user disable`). Said only after a
    /// correct password, so it reveals nothing to someone who does not know it.
    Disabled,
    /// The second factor's code is wrong, already used, or not the user's recovery code.
    WrongCode,
    /// A second factor is required (the `mfa` setting, the client, or an essential `acr`) and the user has none:
    /// said only after a correct password; an operator enrols one (`tessera user totp add`).
    SecondFactorMissing,
    /// The passkey was not accepted (unknown, expired or replayed challenge, a credential not on the account, a
    /// signature that did not verify, a counter that went backwards).
    PasskeyFailed,
}
