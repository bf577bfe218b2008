//! The authorization transaction driven through the protocol core, with no HTTP: `start` and `resume` return a
//! `Step`, a small in-test browser keeps the cookies each step sets, and the token endpoint's core exchanges the
//! codes. Time is a `FixedClock` the tests move; nothing sleeps. Each test is a table of named cases where the
//! behaviour has variants, and every assertion names its case.

use std::sync::{Arc, Barrier};

use tempfile::TempDir;
use tessera::clock::{Clock, FixedClock, SystemClock};
use tessera::config::Settings;
use tessera::domain::{Client, ClientId, ClientKind, PkcePolicy, RedirectUri, Scope, User};
use tessera::error::{ErrorCode, Failure};
use tessera::http::state::AppState;
use tessera::oauth::authentication::SignInRefusal;
use tessera::oauth::authentication::SignInStep;
use tessera::oauth::authorize::{
    AuthorizationInput, AuthorizationResponse, BrowserCookies, ConsentPage, Next, PageAction, SignInPage, Step, resume,
    start,
};
use tessera::oauth::client_auth::ClientCredentials;
use tessera::oauth::dpop::ProofRequest;
use tessera::oauth::token::{TokenRequest, TokenResponse, handle_token_request};
use tessera::params::Params;
use tessera::secrets::{hash_password, random_token, token_hash};
use tessera::storage::{ClientStore, ConsentStore, NewUser, UserStore};

use crate::helpers::{
    CHALLENGE, PASSWORD, PostgresDatabase, VERIFIER, jwt_part, query_param, suite_uses_postgres, test_settings,
};

/// What the browser is told for an interaction that is gone, finished, or another browser's.
const EXPIRED: &str = "this sign-in request has expired or was already completed; start again from the application";
/// The caller's address for the password throttle.
const SOURCE: &str = "203.0.113.7";

/// The protocol core on its own database, with a clock that moves only when told to.
struct Core {
    state: AppState,
    clock: Arc<FixedClock>,
    _dir: TempDir,
    /// Dropped after the state (fields drop in order): the per-test PostgreSQL database, if the suite uses one.
    _postgres: Option<PostgresDatabase>,
}

/// A confidential client registered for the tests.
#[derive(Clone)]
struct TestClient {
    id: String,
    secret: String,
    redirect_uri: String,
}

impl Core {
    fn new() -> Core {
        Core::with(|_| {})
    }

    fn with(configure: impl FnOnce(&mut Settings)) -> Core {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = test_settings(&dir, 9);
        let postgres =
            suite_uses_postgres().then(|| PostgresDatabase::create().expect("IT_BACKEND=postgres needs PostgreSQL"));
        if let Some(db) = &postgres {
            settings.database_url = db.url.clone();
        }
        configure(&mut settings);
        settings.validate().expect("valid test settings");
        let clock = Arc::new(FixedClock::at(SystemClock.now().timestamp()));
        let state = tessera::startup::open_state(settings, clock.clone()).expect("open state");
        Core { state, clock, _dir: dir, _postgres: postgres }
    }

    fn provider(&self) -> &tessera::oauth::provider::Provider {
        &self.state.provider
    }

    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    fn issuer(&self) -> &str {
        &self.state.provider.issuer
    }

    fn add_user(&self, username: &str) -> User {
        self.provider()
            .db
            .add_user(
                &NewUser {
                    username: username.into(),
                    password_hash: hash_password(PASSWORD).expect("hash"),
                    email: Some(format!("{username}@example.com")),
                    email_verified: true,
                    name: Some(format!("{username} Example")),
                    attributes: Default::default(),
                },
                self.now(),
            )
            .expect("add user")
    }

    fn add_client(&self, id: &str, skip_consent: bool) -> TestClient {
        let redirect_uri = format!("https://{id}.example/callback");
        let mut client = Client::new(
            ClientId::parse(id).expect("client id"),
            format!("{id} app"),
            ClientKind::Confidential,
            vec![RedirectUri::parse(&redirect_uri).expect("redirect uri")],
        );
        client.skip_consent = skip_consent;
        client.pkce = PkcePolicy::Required;
        let secret = random_token(32).expose().to_owned();
        self.provider().db.register_client(&client, Some(&token_hash(&secret)), self.now()).expect("register client");
        TestClient { id: id.into(), secret, redirect_uri }
    }

    /// An authorization request with PKCE, state and nonce; `extra` replaces defaults of the same name.
    fn request(&self, client: &TestClient, extra: &[(&str, &str)]) -> Params {
        let defaults = [
            ("response_type", "code"),
            ("client_id", client.id.as_str()),
            ("redirect_uri", client.redirect_uri.as_str()),
            ("scope", "openid profile email"),
            ("state", "state-123"),
            ("nonce", "nonce-456"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ];
        let kept = defaults.into_iter().filter(|(name, _)| !extra.iter().any(|(e, _)| e == name));
        Params::from_pairs(kept.chain(extra.iter().copied())).expect("params")
    }

    fn token(&self, client: &TestClient, request: TokenRequest) -> Result<TokenResponse, Failure> {
        let credentials = ClientCredentials::Basic { client_id: client.id.clone(), secret: client.secret.clone() };
        let no_proof = ProofRequest { proofs: Vec::new(), method: "POST", url: String::new() };
        handle_token_request(self.provider(), &credentials, SOURCE, request, &no_proof)
    }

    fn exchange(&self, client: &TestClient, code: &str) -> Result<TokenResponse, Failure> {
        self.token(
            client,
            TokenRequest::AuthorizationCode {
                code: code.to_owned(),
                redirect_uri: Some(client.redirect_uri.clone()),
                code_verifier: Some(VERIFIER.to_owned()),
                resource: None,
            },
        )
    }

    fn refresh(&self, client: &TestClient, refresh_token: &str) -> Result<TokenResponse, Failure> {
        self.token(
            client,
            TokenRequest::RefreshToken { refresh_token: refresh_token.to_owned(), scope: None, resource: None },
        )
    }
}

/// A browser: the binding and session cookie values the steps set, sent with every later call.
#[derive(Debug, Clone, Default)]
struct Browser {
    browser: Option<String>,
    session: Option<String>,
}

impl Browser {
    fn cookies(&self) -> BrowserCookies {
        BrowserCookies { session: self.session.clone(), browser: self.browser.clone() }
    }

    /// Keeps the cookies `step` sets and returns where it goes.
    fn keep(&mut self, step: Step) -> Next {
        if let Some(value) = step.cookies.browser {
            self.browser = Some(value.expose().to_owned());
        }
        if let Some(value) = step.cookies.session {
            self.session = Some(value.expose().to_owned());
        }
        step.next
    }

    fn start(&mut self, core: &Core, params: Params) -> Next {
        let step = start(core.provider(), AuthorizationInput::Readable(params), &self.cookies(), "127.0.0.1");
        self.keep(step)
    }

    fn show(&mut self, core: &Core, id: &str) -> Next {
        let step = resume(core.provider(), id, PageAction::Show, &self.cookies());
        self.keep(step)
    }

    fn submit(&mut self, core: &Core, id: &str, form: &str, fields: &[(&str, &str)]) -> Next {
        let params = Params::from_pairs(fields.iter().copied()).expect("form");
        let step = resume(
            core.provider(),
            id,
            PageAction::Submit { form, params: &params, client: &tessera::domain::ClientContext::new("", SOURCE) },
            &self.cookies(),
        );
        self.keep(step)
    }

    fn login(&mut self, core: &Core, id: &str, csrf: &str, username: &str, password: &str) -> Next {
        self.submit(core, id, "login", &[("csrf_token", csrf), ("username", username), ("password", password)])
    }

    fn decide(&mut self, core: &Core, id: &str, csrf: &str, decision: &str) -> Next {
        self.submit(core, id, "consent", &[("csrf_token", csrf), ("decision", decision)])
    }

    /// A whole authorization: the request, the password of `username` if asked, "allow" if asked; returns the
    /// response to the client.
    fn authorize(&mut self, core: &Core, params: Params, username: &str, case: &str) -> AuthorizationResponse {
        let mut next = self.start(core, params);
        for _ in 0..8 {
            next = match next {
                Next::Interaction(id) => self.show(core, &id),
                Next::SignIn(page) => self.login(core, &page.interaction_id, &page.csrf_token, username, PASSWORD),
                Next::Consent(page) => self.decide(core, &page.interaction_id, &page.csrf_token, "allow"),
                Next::RespondToClient(response) => return response,
                Next::ErrorPage(failure) => panic!("{case}: error page {failure:?}"),
                Next::NoAccess(page) => panic!("{case}: no access to {}", page.client_name),
                Next::DeviceDone { .. } => panic!("{case}: a device page for a browser request"),
            };
        }
        panic!("{case}: too many steps");
    }

    /// Signs in as `username` through a skip-consent client, so the browser has a session.
    fn sign_in(&mut self, core: &Core, client: &TestClient, username: &str, case: &str) {
        let response = self.authorize(core, core.request(client, &[]), username, case);
        code_of(core, client, response, case);
        assert!(self.session.is_some(), "{case}: signed in, a session cookie");
    }
}

fn interaction(next: Next, case: &str) -> String {
    match next {
        Next::Interaction(id) => id,
        other => panic!("{case}: expected the interaction, got {other:?}"),
    }
}

fn sign_in_page(next: Next, case: &str) -> SignInPage {
    match next {
        Next::SignIn(page) => page,
        other => panic!("{case}: expected the sign-in page, got {other:?}"),
    }
}

fn consent_page(next: Next, case: &str) -> ConsentPage {
    match next {
        Next::Consent(page) => page,
        other => panic!("{case}: expected the consent page, got {other:?}"),
    }
}

fn error_page(next: Next, case: &str) -> Failure {
    match next {
        Next::ErrorPage(failure) => failure,
        other => panic!("{case}: expected our error page, got {other:?}"),
    }
}

/// Our error page saying the interaction expired (gone, finished, or another browser's).
fn assert_expired(next: Next, case: &str) {
    match error_page(next, case) {
        Failure::OAuth(error) => {
            assert_eq!(error.code, ErrorCode::InvalidRequest, "{case}");
            assert_eq!(error.description, EXPIRED, "{case}");
        }
        other => panic!("{case}: expected the expired page, got {other:?}"),
    }
}

fn redirect(next: Next, case: &str) -> String {
    match next {
        Next::RespondToClient(response) => redirect_url(response, case),
        other => panic!("{case}: expected a response to the client, got {other:?}"),
    }
}

fn redirect_url(response: AuthorizationResponse, case: &str) -> String {
    match response {
        AuthorizationResponse::Redirect(url) => url,
        other => panic!("{case}: expected a redirect, got {other:?}"),
    }
}

/// The code of a successful response to `client`, which carries the request's state and our issuer too.
fn code_of(core: &Core, client: &TestClient, response: AuthorizationResponse, case: &str) -> String {
    let url = redirect_url(response, case);
    assert!(url.starts_with(&client.redirect_uri), "{case}: to the client's redirect URI: {url}");
    assert_eq!(query_param(&url, "error"), None, "{case}: {url}");
    assert_eq!(query_param(&url, "state").as_deref(), Some("state-123"), "{case}: {url}");
    assert_eq!(query_param(&url, "iss").as_deref(), Some(core.issuer()), "{case}: {url}");
    query_param(&url, "code").unwrap_or_else(|| panic!("{case}: no code in {url}"))
}

fn code(core: &Core, client: &TestClient, next: Next, case: &str) -> String {
    match next {
        Next::RespondToClient(response) => code_of(core, client, response, case),
        other => panic!("{case}: expected a code, got {other:?}"),
    }
}

/// The error of a response to `client`, which carries no code.
fn client_error(core: &Core, client: &TestClient, next: Next, case: &str) -> String {
    let url = redirect(next, case);
    assert!(url.starts_with(&client.redirect_uri), "{case}: to the client's redirect URI: {url}");
    assert_eq!(query_param(&url, "code"), None, "{case}: no code with an error: {url}");
    assert_eq!(query_param(&url, "state").as_deref(), Some("state-123"), "{case}: {url}");
    assert_eq!(query_param(&url, "iss").as_deref(), Some(core.issuer()), "{case}: {url}");
    query_param(&url, "error").unwrap_or_else(|| panic!("{case}: no error in {url}"))
}

fn error_code(result: Result<TokenResponse, Failure>, case: &str) -> ErrorCode {
    match result {
        Err(Failure::OAuth(error)) => error.code,
        other => panic!("{case}: expected an OAuth error, got {other:?}"),
    }
}

/// a. A request parks for its browser; only that browser can see and complete it.
#[test]
fn a_parked_request_resumes_only_in_its_own_browser() {
    struct Case {
        name: &'static str,
        skip_consent: bool,
    }
    let cases = [
        Case { name: "a client that asks for consent", skip_consent: false },
        Case { name: "a skip-consent client", skip_consent: true },
    ];
    let core = Core::new();
    core.add_user("alice");
    for (i, case) in cases.iter().enumerate() {
        let name = case.name;
        let client = core.add_client(&format!("app{i}"), case.skip_consent);
        let mut browser = Browser::default();
        let next = browser.start(&core, core.request(&client, &[("login_hint", "alice")]));
        let id = interaction(next, name);
        assert!(browser.browser.is_some(), "{name}: a new request sets the binding cookie");
        assert!(browser.session.is_none(), "{name}: no session before signing in");

        let page = sign_in_page(browser.show(&core, &id), name);
        assert_eq!((page.step, page.error), (SignInStep::Password, None), "{name}");
        assert_eq!(page.username, "alice", "{name}: the login hint fills the username");
        assert_eq!(page.interaction_id, id, "{name}");
        assert!(!page.csrf_token.is_empty(), "{name}");
        let csrf = page.csrf_token;

        let wrong = browser.login(&core, &id, &csrf, "alice", "not the password");
        assert!(browser.session.is_none(), "{name}: a wrong password opens no session");
        let again = sign_in_page(wrong, name);
        assert_eq!(again.error, Some(SignInRefusal::Failed), "{name}: the step again, with the reason");
        assert_eq!((again.username.as_str(), again.csrf_token.as_str()), ("alice", csrf.as_str()), "{name}");

        // Another browser: the interaction is not found for it, whatever it sends.
        let mut other = Browser::default();
        interaction(other.start(&core, core.request(&client, &[])), name);
        let strangers = [
            ("another browser's binding cookie", other.browser.clone()),
            ("no binding cookie", None),
            ("a made-up binding cookie", Some("forged".to_owned())),
        ];
        for (stranger, cookie) in strangers {
            let label = format!("{name}, {stranger}");
            let mut intruder = Browser { browser: cookie, session: None };
            assert_expired(intruder.show(&core, &id), &label);
            assert_expired(intruder.login(&core, &id, &csrf, "alice", PASSWORD), &label);
            assert!(intruder.session.is_none(), "{label}: no session for a stranger");
        }

        let right = browser.login(&core, &id, &csrf, "alice", PASSWORD);
        assert!(browser.session.is_some(), "{name}: the right password sets the session cookie");
        if case.skip_consent {
            code(&core, &client, right, name);
        } else {
            assert_eq!(interaction(right, name), id, "{name}: on to the same interaction");
            let consent = consent_page(browser.show(&core, &id), name);
            assert_eq!(consent.username, "alice", "{name}");
            assert_eq!(consent.csrf_token, csrf, "{name}");
            let scopes: Vec<_> = consent.scopes.iter().map(|s| s.key.trim_start_matches("scope-")).collect();
            assert_eq!(scopes, ["openid", "email", "profile"], "{name}: openid first, then the rest sorted");
            // A stranger cannot consent in its place either.
            let mut intruder = Browser { browser: other.browser.clone(), session: browser.session.clone() };
            assert_expired(intruder.decide(&core, &id, &csrf, "allow"), name);
            code(&core, &client, browser.decide(&core, &id, &csrf, "allow"), name);
        }
        assert_expired(browser.show(&core, &id), &format!("{name}, after the code"));
    }
}

/// b. However often its forms are posted, an interaction ends once: one code at most.
#[test]
fn an_interaction_finishes_once_under_repeated_submits() {
    #[derive(Debug, PartialEq)]
    enum Outcome {
        Code,
        Error(&'static str),
        Expired,
    }
    struct Case {
        name: &'static str,
        decisions: [&'static str; 2],
        outcomes: [Outcome; 2],
    }
    let cases = [
        Case { name: "allow twice", decisions: ["allow", "allow"], outcomes: [Outcome::Code, Outcome::Expired] },
        Case {
            name: "deny, then allow",
            decisions: ["deny", "allow"],
            outcomes: [Outcome::Error("access_denied"), Outcome::Expired],
        },
        Case { name: "allow, then deny", decisions: ["allow", "deny"], outcomes: [Outcome::Code, Outcome::Expired] },
    ];
    let core = Core::new();
    for (i, case) in cases.iter().enumerate() {
        let name = case.name;
        let user = core.add_user(&format!("user{i}"));
        let client = core.add_client(&format!("app{i}"), false);
        let mut browser = Browser::default();
        let id = interaction(browser.start(&core, core.request(&client, &[])), name);
        let csrf = sign_in_page(browser.show(&core, &id), name).csrf_token;
        interaction(browser.login(&core, &id, &csrf, &user.username, PASSWORD), name);
        let mut codes = Vec::new();
        for (decision, expected) in case.decisions.iter().zip(&case.outcomes) {
            let label = format!("{name}: {decision}");
            let next = browser.decide(&core, &id, &csrf, decision);
            match expected {
                Outcome::Code => codes.push(code(&core, &client, next, &label)),
                Outcome::Error(error) => assert_eq!(client_error(&core, &client, next, &label), *error, "{label}"),
                Outcome::Expired => assert_expired(next, &label),
            }
        }
        assert_eq!(codes.len(), case.outcomes.iter().filter(|o| **o == Outcome::Code).count(), "{name}");
        for code in &codes {
            core.exchange(&client, code).unwrap_or_else(|e| panic!("{name}: the one code is good: {e:?}"));
        }
        let consent = core.provider().db.find_consent(&user.subject, &ClientId::parse(&client.id).unwrap()).unwrap();
        let allowed_first = case.decisions[0] == "allow";
        assert_eq!(consent.is_some(), allowed_first, "{name}: consent stored only by an allow that went through");
    }
}

/// Runs `post` for each of `n` copies of `browser` on its own thread, all released at once; returns each copy
/// with the step it got.
fn race(browser: &Browser, n: usize, post: impl Fn(&mut Browser, usize) -> Next + Sync) -> Vec<(Browser, Next)> {
    let barrier = Barrier::new(n);
    std::thread::scope(|scope| {
        let racers: Vec<_> = (0..n)
            .map(|i| {
                let (mut racer, barrier, post) = (browser.clone(), &barrier, &post);
                scope.spawn(move || {
                    barrier.wait();
                    let next = post(&mut racer, i);
                    (racer, next)
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().expect("racer")).collect()
    })
}

/// b. Two sign-ins racing on one interaction (two threads, one browser), then two consents racing: never two codes.
#[test]
fn racing_sign_ins_and_consents_on_one_interaction_issue_at_most_one_code() {
    struct Case {
        name: &'static str,
        skip_consent: bool,
        /// The usernames the two racing posts sign in with.
        users: [&'static str; 2],
    }
    let cases = [
        Case { name: "skip-consent client, same user", skip_consent: true, users: ["alice", "alice"] },
        Case { name: "skip-consent client, two users", skip_consent: true, users: ["alice", "bob"] },
        Case { name: "consent client, same user", skip_consent: false, users: ["alice", "alice"] },
    ];
    let core = Core::new();
    core.add_user("alice");
    core.add_user("bob");
    const ROUNDS: usize = 3;
    for (i, case) in cases.iter().enumerate() {
        for round in 0..ROUNDS {
            let name = format!("{}, round {round}", case.name);
            let name = name.as_str();
            // A client per round: a consent given in one round must not skip the page in the next.
            let client = core.add_client(&format!("app{i}-{round}"), case.skip_consent);
            let mut browser = Browser::default();
            let id = interaction(browser.start(&core, core.request(&client, &[])), name);
            let csrf = sign_in_page(browser.show(&core, &id), name).csrf_token;
            let sign_ins = race(&browser, 2, |racer, i| racer.login(&core, &id, &csrf, case.users[i], PASSWORD));
            let mut codes = Vec::new();
            let mut onward = Vec::new();
            for (racer, next) in sign_ins {
                match next {
                    Next::RespondToClient(response) => codes.push(code_of(&core, &client, response, name)),
                    Next::Interaction(to) => {
                        assert_eq!(to, id, "{name}: on to the same interaction");
                        assert!(racer.session.is_some(), "{name}: a completed sign-in sets the session");
                        onward.push(racer);
                    }
                    other => assert_expired(other, name),
                }
            }
            if case.skip_consent {
                assert_eq!(codes.len(), 1, "{name}: exactly one of the racing sign-ins gets the code");
                assert!(onward.is_empty(), "{name}: nothing left to consent to");
                let tokens = core.exchange(&client, &codes[0]).expect("the code is good");
                let sub = jwt_part(tokens.id_token.as_deref().expect("an ID token"), 1)["sub"].clone();
                let racers: Vec<String> = case.users.iter().map(|u| subject_of(&core, u)).collect();
                assert!(racers.iter().any(|s| sub == s.as_str()), "{name}: the code is for a user who signed in");
            } else {
                assert!(codes.is_empty(), "{name}: no code before consent");
                browser = onward.pop().unwrap_or_else(|| panic!("{name}: a sign-in goes on to consent"));
                let consent = consent_page(browser.show(&core, &id), name);
                assert_eq!(consent.username, "alice", "{name}");
                // Two "allow" posts at once: one code, the other is told the request is gone.
                let allows = race(&browser, 2, |racer, _| racer.decide(&core, &id, &csrf, "allow"));
                let mut codes = Vec::new();
                for (_, next) in allows {
                    match next {
                        Next::RespondToClient(response) => codes.push(code_of(&core, &client, response, name)),
                        other => assert_expired(other, &format!("{name}: the second allow")),
                    }
                }
                assert_eq!(codes.len(), 1, "{name}: exactly one of the racing consents gets the code");
                core.exchange(&client, &codes[0]).expect("the code is good");
            }
            assert_expired(browser.show(&core, &id), &format!("{name}: finished"));
        }
    }
}

/// c. A stored consent covers what it named and nothing more.
#[test]
fn consent_is_asked_again_only_for_something_new() {
    enum Expect {
        /// A code without any page.
        Code,
        /// The consent page, listing these scopes.
        Consent(&'static [&'static str]),
    }
    let core = Core::new();
    core.add_user("alice");
    let asks = core.add_client("asks", false);
    let trusted = core.add_client("trusted", true);
    let mut browser = Browser::default();
    browser.sign_in(&core, &trusted, "alice", "sign-in");
    // Consent to "openid email" for `asks`.
    let id = interaction(browser.start(&core, core.request(&asks, &[("scope", "openid email")])), "first consent");
    let page = consent_page(browser.show(&core, &id), "first consent");
    let scopes: Vec<_> = page.scopes.iter().map(|s| s.key.trim_start_matches("scope-")).collect();
    assert_eq!(scopes, ["openid", "email"], "first consent");
    code(&core, &asks, browser.decide(&core, &id, &page.csrf_token, "allow"), "first consent");

    let phone_by_name = r#"{"userinfo": {"phone_number": null}}"#;
    struct Case<'a> {
        name: &'static str,
        client: &'a TestClient,
        params: Vec<(&'static str, &'static str)>,
        expect: Expect,
    }
    let case = |name, client, params, expect| Case { name, client, params, expect };
    let cases = [
        case("the same scope", &asks, vec![("scope", "openid email")], Expect::Code),
        case("a narrower scope", &asks, vec![("scope", "openid")], Expect::Code),
        case(
            "a wider scope",
            &asks,
            vec![("scope", "openid email phone")],
            Expect::Consent(&["openid", "email", "phone"]),
        ),
        case(
            "the claims parameter asking for phone_number",
            &asks,
            vec![("scope", "openid email"), ("claims", phone_by_name)],
            Expect::Consent(&["openid", "email", "phone"]),
        ),
        case(
            "prompt=consent",
            &asks,
            vec![("scope", "openid email"), ("prompt", "consent")],
            Expect::Consent(&["openid", "email"]),
        ),
        case("a skip-consent client, wider scope", &trusted, vec![("scope", "openid email phone")], Expect::Code),
        case(
            "a skip-consent client, claims by name",
            &trusted,
            vec![("scope", "openid"), ("claims", phone_by_name)],
            Expect::Code,
        ),
        case("a skip-consent client, prompt=consent", &trusted, vec![("prompt", "consent")], Expect::Code),
    ];
    for Case { name, client, params, expect } in cases {
        let next = browser.start(&core, core.request(client, &params));
        match expect {
            Expect::Code => {
                code(&core, client, next, name);
            }
            Expect::Consent(expected) => {
                let id = interaction(next, name);
                let page = consent_page(browser.show(&core, &id), name);
                let scopes: Vec<_> = page.scopes.iter().map(|s| s.key.trim_start_matches("scope-")).collect();
                assert_eq!(scopes, expected, "{name}");
                // Left unanswered: the stored consent stays "openid email" for the next case.
            }
        }
    }
    let stored = core.provider().db.find_consent(&subject_of(&core, "alice"), &ClientId::parse("asks").unwrap());
    assert_eq!(stored.unwrap(), Some(Scope::parse("openid email").unwrap()), "unanswered consent pages change nothing");
}

fn subject_of(core: &Core, username: &str) -> String {
    core.provider().db.find_user_by_username(username).unwrap().expect("user").user.subject
}

/// d. A request naming its user (claims `sub` value) gets a code for that user only; prompt=none never shows a page.
#[test]
fn a_request_pinned_to_a_user_gets_a_code_for_that_user_only() {
    let core = Core::new();
    let alice = core.add_user("alice");
    core.add_user("bob");
    let trusted = core.add_client("trusted", true);
    let pin_alice = serde_json::json!({"id_token": {"sub": {"value": alice.subject}}}).to_string();
    let cases = [
        ("a client that asks for consent", core.add_client("asks", false)),
        ("a skip-consent client", trusted.clone()),
    ];
    for (name, client) in &cases {
        let mut browser = Browser::default();
        browser.sign_in(&core, &trusted, "bob", name);
        let pinned = || core.request(client, &[("claims", pin_alice.as_str())]);

        // Signed in as bob, the request for alice asks to sign in.
        let id = interaction(browser.start(&core, pinned()), name);
        let page = sign_in_page(browser.show(&core, &id), name);
        let as_bob = format!("{name}: signing in as bob");
        let refused = browser.login(&core, &id, &page.csrf_token, "bob", PASSWORD);
        assert_eq!(client_error(&core, client, refused, &as_bob), "login_required", "{as_bob}");
        assert_expired(browser.show(&core, &id), &as_bob);

        // Signing in as alice gets a code, and the tokens are alice's.
        let as_alice = format!("{name}: signing in as alice");
        let response = browser.authorize(&core, pinned(), "alice", &as_alice);
        let code = code_of(&core, client, response, &as_alice);
        let tokens = core.exchange(client, &code).unwrap_or_else(|e| panic!("{as_alice}: {e:?}"));
        let id_token = tokens.id_token.as_deref().expect("an ID token");
        assert_eq!(jwt_part(id_token, 1)["sub"], alice.subject.as_str(), "{as_alice}: ID token");
        assert_eq!(jwt_part(&tokens.access_token, 1)["sub"], alice.subject.as_str(), "{as_alice}: access token");
    }

    // prompt=none: an answer at once, never a page.
    let asks = core.add_client("asks-none", false);
    let mut signed_in = Browser::default();
    signed_in.sign_in(&core, &trusted, "bob", "prompt=none setup");
    let none = [("prompt", "none")];
    let none_pinned = [("prompt", "none"), ("claims", pin_alice.as_str())];
    struct Case<'a> {
        name: &'static str,
        browser: Browser,
        client: &'a TestClient,
        params: &'a [(&'a str, &'a str)],
        /// The error at the client; `None`: a code.
        error: Option<&'static str>,
    }
    let case = |name, browser, client, params, error| Case { name, browser, client, params, error };
    let cases = [
        case("no session", Browser::default(), &trusted, &none, Some("login_required")),
        case("signed in, no consent", signed_in.clone(), &asks, &none, Some("consent_required")),
        case("signed in, skip-consent client", signed_in.clone(), &trusted, &none, None),
        case("signed in, not as the pinned user", signed_in.clone(), &trusted, &none_pinned, Some("login_required")),
        case("no session, pinned user", Browser::default(), &trusted, &none_pinned, Some("login_required")),
    ];
    for Case { name, mut browser, client, params, error } in cases {
        let next = browser.start(&core, core.request(client, params));
        match error {
            Some(error) => assert_eq!(client_error(&core, client, next, name), error, "{name}"),
            None => {
                code(&core, client, next, name);
            }
        }
    }
}

/// e. Refresh token rotation (RFC 9700 §4.14.2): a replay is reuse, except within the grace window while the
/// successor is unused, where it yields the same successor.
#[test]
fn a_replayed_refresh_token_is_reuse_except_within_the_grace_window() {
    struct Case {
        name: &'static str,
        grace_secs: u64,
        /// The successor is used before the replay.
        successor_used: bool,
        /// Seconds between the rotation and the replay.
        after_secs: i64,
        replay_succeeds: bool,
    }
    let cases = [
        Case { name: "no grace", grace_secs: 0, successor_used: false, after_secs: 0, replay_succeeds: false },
        Case {
            name: "grace 5 s, replay after 3 s",
            grace_secs: 5,
            successor_used: false,
            after_secs: 3,
            replay_succeeds: true,
        },
        Case {
            name: "grace 5 s, replay after 6 s",
            grace_secs: 5,
            successor_used: false,
            after_secs: 6,
            replay_succeeds: false,
        },
        Case {
            name: "grace 5 s, successor used, replay after 3 s",
            grace_secs: 5,
            successor_used: true,
            after_secs: 3,
            replay_succeeds: false,
        },
    ];
    for case in &cases {
        let name = case.name;
        let core = Core::with(|s| s.refresh_token_reuse_grace_secs = case.grace_secs);
        core.add_user("alice");
        let client = core.add_client("app", true);
        let response = Browser::default().authorize(&core, core.request(&client, &[]), "alice", name);
        let code = code_of(&core, &client, response, name);
        let first = core.exchange(&client, &code).expect("code exchange");
        let r0 = first.refresh_token.expect("a refresh token");
        let r1 = core.refresh(&client, &r0).expect("the first refresh").refresh_token.expect("a successor");
        assert_ne!(r0, r1, "{name}: rotated");
        let mut latest = r1.clone();
        if case.successor_used {
            latest = core.refresh(&client, &r1).expect("the successor refreshes").refresh_token.expect("its successor");
        }
        core.clock.advance(case.after_secs);
        let replay = core.refresh(&client, &r0);
        if case.replay_succeeds {
            let again = replay.unwrap_or_else(|e| panic!("{name}: the replay within the grace window: {e:?}"));
            assert_eq!(again.refresh_token.as_deref(), Some(r1.as_str()), "{name}: the same successor");
            core.refresh(&client, &latest).unwrap_or_else(|e| panic!("{name}: the grant lives on: {e:?}"));
        } else {
            assert_eq!(error_code(replay, name), ErrorCode::InvalidGrant, "{name}: the replay is reuse");
            let after = core.refresh(&client, &latest);
            assert_eq!(
                error_code(after, name),
                ErrorCode::InvalidGrant,
                "{name}: the grant is revoked, its latest token too"
            );
        }
    }
}
