//! The authorization transaction, from a new request to the code: [`start`] takes a new authorization request,
//! [`resume`] a page or form post of a parked one. Both return one [`Step`] for the HTTP layer to render, and both
//! reach [`decide`] through [`proceed`], the one place it is called.
//!
//! start:  phase 1 (client, redirect URI) -> phase 2 (parameters, id_token_hint) -> who is signed in -> proceed
//! resume: the parked interaction (browser-bound) -> its page, or its form: a sign-in step of the chain, then the
//!         session and proceed; or consent, then the code
//! proceed: decide -> park for sign-in / consent, or finish the interaction once and issue the code or the refusal

use super::code::{grant_for, issue_code};
use super::decide::{Decision, decide};
use super::interaction::{Parked, ParkedFor, check_csrf, expired, finish_once, load, park};
use super::par::pushed_params;
use super::redirect::{AuthorizationResponse, VerifiedRedirect, verify_client_and_redirect};
use super::step::{ConsentPage, CookieChanges, Next, NoAccessPage, ScopeLine, SignInPage, Step};
use super::validate::check_request;
use crate::domain::AuditEvent;
use crate::domain::ClientContext;
use crate::domain::scope::{API_SCOPES_KEY, OPENID, describe_scope};
use crate::domain::{Authentication, AuthorizationRequest, Client, ClientId, Interaction, Scope, SignInProgress};
use crate::error::{ErrorCode, Failure, InternalError, OAuthError};
use crate::oauth::audit::record;
use crate::oauth::authentication::{Chain, SignInRefusal, SignInStep, StepOutcome, chain_for, next_step, run_step};
use crate::oauth::provider::Provider;
use crate::oauth::throttle::address_group;
use crate::oidc::session::{current_authentication, end_session, start_session};
use crate::params::Params;
use crate::storage::{ClientStore, ConsentStore, DeviceStore, GroupStore, InteractionStore, ResourceStore, UserStore};

/// The cookies of the browser, as far as the transaction reads them.
#[derive(Debug, Clone, Default)]
pub struct BrowserCookies {
    /// The browser session (single sign-on).
    pub session: Option<String>,
    /// The browser binding of parked requests.
    pub browser: Option<String>,
}

/// A new authorization request as received.
pub enum AuthorizationInput {
    Readable(Params),
    /// A parameter repeated or undecodable (`error`); `single` holds those of `client_id`, `redirect_uri` and
    /// `state` that were readable and sent once.
    Unreadable {
        error: OAuthError,
        single: Params,
    },
}

/// `GET`/`POST /oauth/authorize`, from the address `source`.
pub fn start(provider: &Provider, input: AuthorizationInput, cookies: &BrowserCookies, source: &str) -> Step {
    if let Err(busy) = provider.authorize_rate.check(source) {
        metrics::counter!("tessera_throttled_total", "limit" => "authorize").increment(1);
        return Step::error_page(busy);
    }
    let params = match input {
        AuthorizationInput::Readable(params) => params,
        AuthorizationInput::Unreadable { error, single } => return unreadable(provider, error, &single),
    };
    // RFC 9126 §4: a pushed request comes back as client_id and request_uri; its own parameters replace these.
    // Before phase 1, nothing of it is trusted: an unknown or used request_uri gets our error page.
    let (params, pushed) = match pushed_params(&provider.db, &params, provider.now()) {
        Ok(Some(stored)) => (stored, true),
        Ok(None) => (params, false),
        Err(failure) => return Step::error_page(failure),
    };
    let (client, redirect) = match verify_client_and_redirect(&provider.db, &params) {
        Ok(verified) => verified,
        Err(failure) => {
            refused(provider, &params, &failure, source);
            return Step::error_page(failure);
        }
    };
    let _span = tracing::info_span!("authorize", client_id = %client.id).entered();
    let to_client = |failure: Failure| respond(redirect.error(&provider.issuer, &failure.into_wire()));
    // RFC 9126 §5 (server-wide) and §6 `require_pushed_authorization_requests` (per client): a front-channel request
    // is refused.
    if !pushed && (provider.transaction.require_pushed_requests || client.require_pushed_authorization_requests) {
        return to_client(OAuthError::invalid_request("this client must push its authorization requests (PAR)").into());
    }
    let resources = match provider.db.list_resources() {
        Ok(resources) => resources,
        Err(e) => return to_client(e.into()),
    };
    let request = match check_request(&client, &redirect, &params, &resources, &provider.keys, &provider.issuer) {
        Ok(request) => request,
        Err(error) => {
            let failure = Failure::from(error);
            refused(provider, &params, &failure, source);
            return to_client(failure);
        }
    };
    let session = cookies.session.as_deref();
    let idle = provider.transaction.session_idle_secs;
    let address = address_group(source);
    let parking = Parking::New(ParkedFor { browser: cookies.browser.as_deref(), address: &address });
    let result = current_authentication(&provider.db, session, provider.now(), idle)
        .map_err(Failure::from)
        .and_then(|signed_in| proceed(provider, &client, &request, signed_in, parking));
    // The redirect URI is verified: even our own failure goes back to the client (server_error or
    // temporarily_unavailable, RFC 6749 §4.1.2.1).
    result.unwrap_or_else(to_client)
}

/// The audit event of a refused authorization request (the integration doctor explains it): the client it named, the
/// redirect URI and scope it sent, the error and the reason only the log sees. Nothing for our own failures.
fn refused(provider: &Provider, params: &Params, failure: &Failure, source: &str) {
    let Failure::OAuth(e) = failure else { return };
    let mut event = AuditEvent::new("authorization_refused", provider.now()).address(source);
    if let Some(client_id) = params.get("client_id") {
        event = event.client(client_id);
    }
    for name in ["redirect_uri", "scope", "response_type", "code_challenge_method"] {
        if let Some(value) = params.get(name) {
            event = event.with(name, value);
        }
    }
    event = event.with("pkce", if params.get("code_challenge").is_some() { "sent" } else { "absent" });
    record(
        &provider.db,
        event.with("error", e.code.as_str()).with("reason", e.detail.as_deref().unwrap_or(e.description)),
    );
}

/// RFC 6749 §4.1.2.1: errors other than a missing or invalid redirection URI go back to the client, so if
/// `client_id` and `redirect_uri` are each readable, sent once and verify, the client gets the error (with `state`
/// only if that too is readable and single). Otherwise the request cannot be trusted to name a redirect URI: our
/// page, never a redirect.
fn unreadable(provider: &Provider, error: OAuthError, single: &Params) -> Step {
    match verify_client_and_redirect(&provider.db, single) {
        Ok((_, redirect)) => respond(redirect.error(&provider.issuer, &Failure::from(error).into_wire())),
        Err(Failure::OAuth(_)) => Step::error_page(error.into()),
        Err(failure) => Step::error_page(failure),
    }
}

/// What a form or page of a parked interaction asks.
pub enum PageAction<'a> {
    /// Show the interaction's current page.
    Show,
    /// A form post to `/interaction/{id}/{form}`: a sign-in step (by its path) or `consent`.
    /// `client`: the request's User-Agent and address (throttling counts by the address; a session records both).
    Submit { form: &'a str, params: &'a Params, client: &'a ClientContext },
}

/// `GET /interaction/{id}` and `POST /interaction/{id}/{form}`. Every failure shows our error page.
pub fn resume(provider: &Provider, interaction_id: &str, action: PageAction<'_>, cookies: &BrowserCookies) -> Step {
    let run = || -> Result<Step, Failure> {
        let interaction = load(&provider.db, interaction_id, cookies.browser.as_deref(), provider.now())?;
        match action {
            PageAction::Show => show(provider, &interaction),
            PageAction::Submit { form: "consent", params, .. } => {
                check_csrf(&interaction, params)?;
                consent(provider, &interaction, params, cookies)
            }
            PageAction::Submit { form, params, client } => {
                let step = SignInStep::from_path(form)
                    .ok_or_else(|| OAuthError::invalid_request("unknown form").with_detail(form.to_owned()))?;
                check_csrf(&interaction, params)?;
                sign_in(provider, &interaction, step, params, client, cookies)
            }
        }
    };
    run().unwrap_or_else(Step::error_page)
}

/// Whether a request is parked yet: a new one is parked for the browser with this binding cookie (if any).
enum Parking<'a> {
    New(ParkedFor<'a>),
    Parked(&'a Interaction),
}

/// The one place [`decide`] is called, for a new request and after a sign-in alike, and what follows from it.
fn proceed(
    provider: &Provider,
    client: &Client,
    request: &AuthorizationRequest,
    signed_in: Option<Authentication>,
    parking: Parking<'_>,
) -> Result<Step, Failure> {
    let now = provider.now();
    let granted = match &signed_in {
        Some(auth) => provider.db.find_consent(&auth.user_id, &request.client_id)?,
        None => None,
    };
    let signed_in_user = signed_in.as_ref().map(|auth| auth.user_id.clone());
    // The admin pages' built-in client is first party (`admin_sign_in::is_built_in_first_party`).
    let first_party;
    let client = if crate::oauth::admin_sign_in::is_built_in_first_party(client, &provider.issuer) {
        first_party = Client { skip_consent: true, ..client.clone() };
        &first_party
    } else {
        client
    };
    let decision = decide(request, client, signed_in, granted.as_ref(), now);
    // The user who would go on to consent or get a code (with prompt=none, one who would be asked for consent):
    // one outside the client's groups is turned away first, whatever else is missing.
    let going_on = match &decision {
        Decision::Consent(auth) | Decision::Issue(auth) => Some(auth.user_id.as_str()),
        Decision::Refuse(e) if e.code == ErrorCode::ConsentRequired => signed_in_user.as_deref(),
        Decision::SignIn | Decision::Refuse(_) => None,
    };
    if let Some(user_id) = going_on
        && let Some(refused) = check_allowed_groups(provider, client, request, user_id)?
    {
        if let Parking::Parked(interaction) = parking {
            finish_once(&provider.db, interaction)?;
        }
        return Ok(refused);
    }
    if let (Decision::Consent(auth) | Decision::Issue(auth), Parking::New(parked_for)) = (&decision, &parking)
        && !auth.fresh
    {
        // Step-up: the session is enough to skip the password, but the request asks for a second factor it lacks.
        // Only the missing step is asked (the request is parked with the session's progress); a user who must
        // have a factor but has none walks the chain from the start, and is told after the password.
        let chain = chain_for(provider, request, Some(&auth.user_id))?;
        let short = chain.second_factor_asked && next_step(&chain.steps, &auth.methods).is_some();
        if short || chain.second_factor_missing {
            if request.prompt.none {
                // OpenID Connect Core §3.1.2.6 interaction_required: "the Authorization Server needs End-User
                // interaction of some form to proceed" (prompt=none).
                let error = OAuthError::new(ErrorCode::InteractionRequired, "a second factor is needed");
                let redirect = VerifiedRedirect::of_request(request);
                return Ok(respond(redirect.error(&provider.issuer, &Failure::from(error).into_wire())));
            }
            let progress = (!chain.second_factor_missing).then(|| progress_of(auth));
            let parked_for = ParkedFor { browser: parked_for.browser, address: parked_for.address };
            return park_for(provider, request, progress, parked_for);
        }
    }
    match (decision, parking) {
        (Decision::SignIn, Parking::New(parked_for)) => park_for(provider, request, None, parked_for),
        // A completed sign-in satisfies every sign-in condition.
        (Decision::SignIn, Parking::Parked(_)) => {
            Err(InternalError::new("resuming after sign-in", anyhow::anyhow!("sign-in asked again")).into())
        }
        (Decision::Consent(auth), Parking::New(parked_for)) => {
            park_for(provider, request, Some(progress_of(&auth)), parked_for)
        }
        (Decision::Consent(auth), Parking::Parked(interaction)) => {
            provider.db.record_sign_in(&interaction.id, &progress_of(&auth))?;
            Ok(Step::to(Next::Interaction(interaction.id.clone())))
        }
        (Decision::Issue(auth), parking) => {
            if let Parking::Parked(interaction) = parking {
                finish_once(&provider.db, interaction)?;
            }
            code_for(provider, request, &auth)
        }
        // Signed in as someone other than the user the client named, or prompt=none unsatisfied.
        (Decision::Refuse(error), parking) => {
            if let Parking::Parked(interaction) = parking {
                finish_once(&provider.db, interaction)?;
            }
            if let Some(device_code_hash) = &request.device {
                return deny_device(provider, device_code_hash);
            }
            let redirect = VerifiedRedirect::of_request(request);
            Ok(respond(redirect.error(&provider.issuer, &Failure::from(error).into_wire())))
        }
    }
}

/// `client add --allowed-groups`: a signed-in user in none of the client's groups may not use it. RFC 6749 §4.1.2.1
/// `access_denied`: "The resource owner or authorization server denied the request." The person first sees why, on
/// our page, whose way back carries the error to the client; with prompt=none (no page may be shown, OpenID Connect
/// Core §3.1.2.1) the client gets it at once. `None`: the user may go on.
fn check_allowed_groups(
    provider: &Provider,
    client: &Client,
    request: &AuthorizationRequest,
    user_id: &str,
) -> Result<Option<Step>, Failure> {
    if client.allowed_groups.is_empty() || client.admits(&provider.db.groups_of(user_id)?) {
        return Ok(None);
    }
    tracing::info!(event = "access_denied_by_group", client_id = %client.id, sub = %user_id, "the user is in none of the client's allowed groups");
    let event = AuditEvent::new("access_denied_by_group", provider.now()).user(user_id).client(client.id.as_str());
    let allowed = client.allowed_groups.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(",");
    record(
        &provider.db,
        event.with("reason", "in none of the client's allowed groups").with("allowed_groups", allowed),
    );
    let error = OAuthError::new(ErrorCode::AccessDenied, "the user may not use this application")
        .with_detail(format!("sub {user_id} is in none of the client's allowed groups"));
    let back = VerifiedRedirect::of_request(request).error(&provider.issuer, &Failure::from(error).into_wire());
    if request.prompt.none {
        return Ok(Some(respond(back)));
    }
    let username = provider.db.find_user(user_id)?.map(|u| u.username).unwrap_or_default();
    Ok(Some(Step::to(Next::NoAccess(NoAccessPage {
        client_name: client.name.clone(),
        username,
        back,
        ui_locales: request.ui_locales.clone(),
    }))))
}

fn park_for(
    provider: &Provider,
    request: &AuthorizationRequest,
    sign_in: Option<SignInProgress>,
    parked_for: ParkedFor<'_>,
) -> Result<Step, Failure> {
    let ttl = provider.transaction.interaction_ttl_secs;
    let Parked { id, new_browser_cookie } = park(&provider.db, request, sign_in, parked_for, provider.now(), ttl)?;
    Ok(Step { next: Next::Interaction(id), cookies: CookieChanges { browser: new_browser_cookie, session: None } })
}

fn code_for(provider: &Provider, request: &AuthorizationRequest, auth: &Authentication) -> Result<Step, Failure> {
    let policy = &provider.transaction;
    // RFC 8628 §3.3: a device request's approval goes to the device's row; the device picks its tokens up by polling.
    if let Some(device_code_hash) = &request.device {
        return approve_device(provider, device_code_hash, request, auth);
    }
    Ok(respond(issue_code(&provider.db, request, auth, &provider.issuer, policy, provider.now())?))
}

fn respond(response: AuthorizationResponse) -> Step {
    Step::to(Next::RespondToClient(response))
}

fn progress_of(auth: &Authentication) -> SignInProgress {
    SignInProgress { user_id: auth.user_id.clone(), auth_time: auth.auth_time, methods: auth.methods.clone() }
}

/// The sign-in progress of an interaction, if its chain is complete.
fn signed_in<'a>(provider: &Provider, interaction: &'a Interaction) -> Result<Option<&'a SignInProgress>, Failure> {
    let Some(progress) = interaction.sign_in.as_ref() else { return Ok(None) };
    let chain = chain_for(provider, &interaction.request, Some(&progress.user_id))?;
    Ok(next_step(&chain.steps, &progress.methods).is_none().then_some(progress))
}

/// The page of the interaction's current step: the next sign-in step, or consent once signed in.
fn show(provider: &Provider, interaction: &Interaction) -> Result<Step, Failure> {
    let request = &interaction.request;
    if let Some(progress) = signed_in(provider, interaction)? {
        let client = provider.db.find_client(request.client_id.as_str())?.ok_or_else(expired)?.client;
        let username = provider.db.find_user(&progress.user_id)?.ok_or_else(expired)?.username;
        let scope = request.consent_scope();
        return Ok(Step::to(Next::Consent(ConsentPage {
            interaction_id: interaction.id.clone(),
            client_name: client.name,
            csrf_token: interaction.csrf_token.clone(),
            username,
            scopes: scope_lines(&scope),
            raw_scope: scope.to_string(),
            ui_locales: request.ui_locales.clone(),
            logo_uri: client.logo_uri,
            client_uri: client.client_uri,
            policy_uri: client.policy_uri,
            tos_uri: client.tos_uri,
        })));
    }
    let client_name = client_name(provider, &request.client_id)?;
    let progress = interaction.sign_in.as_ref();
    let done = progress.map_or(&[][..], |p| &p.methods[..]);
    let chain = chain_for(provider, &interaction.request, progress.map(|p| p.user_id.as_str()))?;
    let step = next_step(&chain.steps, done).ok_or_else(expired)?;
    let username = interaction.request.login_hint.clone().unwrap_or_default();
    Ok(Step::to(Next::SignIn(sign_in_page(provider, interaction, step, &chain, client_name, username, None))))
}

/// The page of sign-in step `step`, with what it offers: a passkey (on the password page whenever passkeys are on;
/// on the second-factor page when the user has one) and the TOTP form (when the user has a secret).
fn sign_in_page(
    provider: &Provider,
    interaction: &Interaction,
    step: SignInStep,
    chain: &Chain,
    client_name: String,
    username: String,
    error: Option<SignInRefusal>,
) -> SignInPage {
    let (passkey, totp) = match step {
        SignInStep::SecondFactor => (chain.has_passkey, chain.has_totp || !chain.has_passkey),
        _ => (provider.passkeys.is_some(), false),
    };
    SignInPage {
        interaction_id: interaction.id.clone(),
        step,
        client_name,
        csrf_token: interaction.csrf_token.clone(),
        username,
        error,
        ui_locales: interaction.request.ui_locales.clone(),
        passkey,
        totp,
    }
}

/// `openid` ("who you are") first, then the rest of the registry's in their sorted order, each with what it gives
/// the application; the API scopes last, on one line.
fn scope_lines(scope: &Scope) -> Vec<ScopeLine> {
    let openid = scope.iter().filter(|s| *s == OPENID);
    let mut lines: Vec<ScopeLine> = openid
        .chain(scope.iter().filter(|s| *s != OPENID))
        .filter_map(describe_scope)
        .map(|key| ScopeLine { key, count: 1 })
        .collect();
    let api = scope.iter().filter(|s| describe_scope(s).is_none()).count();
    if api > 0 {
        lines.push(ScopeLine { key: API_SCOPES_KEY, count: api });
    }
    lines
}

fn client_name(provider: &Provider, client_id: &ClientId) -> Result<String, Failure> {
    Ok(provider.db.find_client(client_id.as_str())?.ok_or_else(expired)?.client.name)
}

/// A sign-in step's form: the step must be the chain's next. Refused, the page again with the reason; passed, the
/// next step, or, at the end of the chain, the browser session and then [`proceed`].
fn sign_in(
    provider: &Provider,
    interaction: &Interaction,
    step: SignInStep,
    form: &Params,
    client_context: &ClientContext,
    cookies: &BrowserCookies,
) -> Result<Step, Failure> {
    let source = client_context.address.as_str();
    let request = &interaction.request;
    let progress = interaction.sign_in.as_ref();
    let chain = chain_for(provider, request, progress.map(|p| p.user_id.as_str()))?;
    // The step's form must answer the chain's next page (a passkey answers the password and second-factor pages).
    let page = next_step(&chain.steps, progress.map_or(&[][..], |p| &p.methods[..]));
    let Some(page) = page.filter(|page| page.accepts(step)) else {
        return Err(expired());
    };
    let now = provider.now();
    let (user_id, proved) = match run_step(provider, &interaction.id, step, form, request, progress, source, now)? {
        StepOutcome::Passed { user_id, methods } => (user_id, methods),
        StepOutcome::Refused { username, refusal } => {
            let name = client_name(provider, &request.client_id)?;
            return Ok(Step::to(Next::SignIn(sign_in_page(
                provider,
                interaction,
                page,
                &chain,
                name,
                username,
                Some(refusal),
            ))));
        }
    };
    let mut methods = progress.filter(|p| p.user_id == user_id).map(|p| p.methods.clone()).unwrap_or_default();
    methods.extend(proved);
    let chain = chain_for(provider, request, Some(&user_id))?;
    // A passkey used alone (user verified) is two factors already: nothing is missing then.
    if chain.second_factor_missing && !crate::domain::AuthenticationMethod::is_multi_factor(&methods) {
        tracing::info!(event = "login_refused", client_id = %request.client_id, sub = %user_id, reason = "a second factor is required and the user has none", "login refused: no second factor");
        let name = client_name(provider, &request.client_id)?;
        let username = form.get("username").unwrap_or_default().to_owned();
        let refusal = Some(SignInRefusal::SecondFactorMissing);
        return Ok(Step::to(Next::SignIn(sign_in_page(provider, interaction, page, &chain, name, username, refusal))));
    }
    if next_step(&chain.steps, &methods).is_some() {
        provider.db.record_sign_in(&interaction.id, &SignInProgress { user_id, auth_time: now, methods })?;
        return Ok(Step::to(Next::Interaction(interaction.id.clone())));
    }
    let ttl = provider.transaction.session_ttl_secs;
    let session =
        start_session(&provider.db, cookies.session.as_deref(), &user_id, &methods, client_context, now, ttl)?;
    tracing::info!(event = "login_succeeded", client_id = %request.client_id, sub = %user_id, "login succeeded");
    let methods_text = crate::domain::AuthenticationMethod::list_to_string(&methods);
    let event = AuditEvent::new("login_succeeded", now).user(&user_id).client(request.client_id.as_str());
    record(&provider.db, event.address(source).with("amr", methods_text));
    metrics::counter!("tessera_logins_total", "outcome" => "succeeded").increment(1);
    provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, &session.ended, now);
    let client = provider.db.find_client(request.client_id.as_str())?.ok_or_else(expired)?.client;
    let auth = Authentication { user_id, auth_time: now, fresh: true, session_id: Some(session.sid), methods };
    let mut next = proceed(provider, &client, request, Some(auth), Parking::Parked(interaction))?;
    next.cookies.session = Some(session.cookie);
    Ok(next)
}

/// The consent form: allow records the consent and issues the code; deny sends `access_denied`. Either way the
/// interaction is finished once, first, so a losing concurrent submit changes nothing. Consent needs the browser
/// session of the user the page was parked for, still live: after a logout, a password change or a sign-in as
/// someone else, the page has expired. The grant belongs to that session.
fn consent(
    provider: &Provider,
    interaction: &Interaction,
    form: &Params,
    cookies: &BrowserCookies,
) -> Result<Step, Failure> {
    let progress = signed_in(provider, interaction)?.ok_or_else(expired)?;
    let request = &interaction.request;
    let now = provider.now();
    let idle = provider.transaction.session_idle_secs;
    let session = current_authentication(&provider.db, cookies.session.as_deref(), now, idle)?
        .filter(|current| current.user_id == progress.user_id)
        .ok_or_else(expired)?;
    match form.get("decision") {
        Some("allow") => {
            finish_once(&provider.db, interaction)?;
            // A membership removed while the consent page was open.
            let client = provider.db.find_client(request.client_id.as_str())?.ok_or_else(expired)?.client;
            if let Some(refused) = check_allowed_groups(provider, &client, request, &progress.user_id)? {
                return Ok(refused);
            }
            // Consents add up: what the user allowed before still stands beside what they allow now.
            let asked = request.consent_scope();
            let scope = match provider.db.find_consent(&progress.user_id, &request.client_id)? {
                Some(before) => before.union(asked.iter().map(str::to_owned)),
                None => asked,
            };
            provider.db.remember_consent(&progress.user_id, &request.client_id, &scope, now)?;
            tracing::info!(event = "consent_granted", client_id = %request.client_id, scope = %scope, "consent granted");
            let auth = Authentication {
                user_id: progress.user_id.clone(),
                auth_time: progress.auth_time,
                fresh: false,
                session_id: session.session_id,
                methods: progress.methods.clone(),
            };
            code_for(provider, request, &auth)
        }
        // "Not you?": the person at the browser is not the one signed in. Their session ends (its online grants
        // too, and the clients are told), and the same request asks for a sign-in again, so the flow goes on with
        // the right account. The interaction forgets its user first: ending a session drops its user's pending pages.
        Some("switch") => {
            provider.db.forget_sign_in(&interaction.id)?;
            if let Some(cookie) = cookies.session.as_deref() {
                let ended = end_session(&provider.db, cookie, now)?;
                provider.backchannel.notify(&provider.db, &provider.keys, &provider.issuer, &ended, now);
            }
            tracing::info!(event = "account_switch", client_id = %request.client_id, sub = %progress.user_id, "signed out to use another account");
            Ok(Step::to(Next::Interaction(interaction.id.clone())))
        }
        Some("deny") => {
            finish_once(&provider.db, interaction)?;
            tracing::info!(event = "consent_denied", client_id = %request.client_id, "consent denied");
            if let Some(device_code_hash) = &request.device {
                return deny_device(provider, device_code_hash);
            }
            let error = OAuthError::new(ErrorCode::AccessDenied, "the user denied the request");
            let redirect = VerifiedRedirect::of_request(request);
            Ok(respond(redirect.error(&provider.issuer, &Failure::from(error).into_wire())))
        }
        _ => Err(OAuthError::invalid_request("choose allow or deny").into()),
    }
}

/// `POST /device` with a live user code (RFC 8628 §3.3): the device's request enters the transaction as a new one
/// would after phase 2 (its client and scope were checked at the device authorization endpoint), parked for this
/// browser behind the sign-in steps and the consent page.
pub fn start_device(
    provider: &Provider,
    request: &AuthorizationRequest,
    cookies: &BrowserCookies,
    source: &str,
) -> Step {
    let run = || -> Result<Step, Failure> {
        let client = provider.db.find_client(request.client_id.as_str())?.ok_or_else(expired)?.client;
        let idle = provider.transaction.session_idle_secs;
        let signed_in = current_authentication(&provider.db, cookies.session.as_deref(), provider.now(), idle)?;
        let address = address_group(source);
        let parking = Parking::New(ParkedFor { browser: cookies.browser.as_deref(), address: &address });
        proceed(provider, &client, request, signed_in, parking)
    };
    run().unwrap_or_else(Step::error_page)
}

/// The person approved the device's request: its grant, kept with the device's row (only while it is pending).
fn approve_device(
    provider: &Provider,
    device_code_hash: &str,
    request: &AuthorizationRequest,
    auth: &Authentication,
) -> Result<Step, Failure> {
    let now = provider.now();
    let grant = grant_for(request, auth, &provider.transaction, now);
    if !provider.db.approve_device(device_code_hash, &grant, now)? {
        return Err(expired());
    }
    tracing::info!(event = "device_approved", client_id = %request.client_id, sub = %auth.user_id, "device request approved");
    Ok(Step::to(Next::DeviceDone { approved: true }))
}

/// The person denied the device's request (RFC 8628 §3.5 access_denied, at the device's next poll).
fn deny_device(provider: &Provider, device_code_hash: &str) -> Result<Step, Failure> {
    if !provider.db.deny_device(device_code_hash, provider.now())? {
        return Err(expired());
    }
    tracing::info!(event = "device_denied", "device request denied");
    Ok(Step::to(Next::DeviceDone { approved: false }))
}
