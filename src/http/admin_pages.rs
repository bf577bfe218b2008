//! `/admin`: the admin pages, server-rendered, an OpenID Connect client of this server (`oauth::admin_sign_in`).
//! Every handler reads the admin cookie and the input, then runs once on the blocking pool: the admin session
//! (`admin::authenticate` on the cookie's access token) and one admin operation (`admin::pages`, `admin::api`), then renders. Without
//! an admin session a page answers with a new sign-in (a redirect to the authorization endpoint).

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::account_pages::where_from;
use super::blocking;
use super::extract::{form_params, query_params};
use super::pages::Look;
use super::render::{error_page, html, look, see_other};
use super::state::State;
use crate::admin::api::{self, AuditEventView, AuditFilter, ClientView, GroupView, SigningKeyView, UserView};
use crate::admin::pages::{ClientPage, UserPage, client_page, search_users, user_page};
use crate::admin::users::SessionView;
use crate::admin::{Actor, AdminError, clients, signing_keys, users};
use crate::domain::{ADMINS_GROUP, ClientContext, Timestamp};
use crate::error::{Failure, InternalError, OAuthError};
use crate::i18n::Arg;
use crate::oauth::admin_sign_in::{
    ADMIN_CLIENT_ID, AdminUser, Callback, SIGN_IN_TTL_SECS, csrf_token, finish_sign_in, sign_out, start_sign_in,
};
use crate::oauth::provider::Provider;
use crate::oidc::metadata::END_SESSION_PATH;
use crate::params::Params;

// ---------------------------------------------------------------------------------------------------------------
// Cookies

/// The admin session cookie (the access token) and the sign-in cookie, `__Host-` under https like the others.
fn cookie_names(secure: bool) -> (&'static str, &'static str) {
    if secure {
        ("__Host-tessera_admin", "__Host-tessera_admin_signin")
    } else {
        ("tessera_admin", "tessera_admin_signin")
    }
}

/// HttpOnly, SameSite=Lax (the callback is a top-level navigation from the authorization endpoint), Secure under
/// https, Path=/ (what `__Host-` asks).
fn admin_cookie(state: &State, name: &'static str, value: String, max_age: Option<i64>) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.cookies.secure)
        .finish();
    match max_age {
        Some(secs) => cookie.set_max_age(CookieDuration::seconds(secs)),
        None => cookie.make_removal(),
    }
    cookie
}

/// A cookie's value, bounded (an access token is a JWT of a kilobyte or two).
fn read_cookie(req: &HttpRequest, name: &str) -> Option<String> {
    req.cookie(name).map(|c| c.value().to_owned()).filter(|v| !v.is_empty() && v.len() <= 8192)
}

fn session_token(state: &State, req: &HttpRequest) -> Option<String> {
    read_cookie(req, cookie_names(state.cookies.secure).0)
}

/// A new sign-in that comes back to `return_to`: the sign-in cookie, and a redirect to the authorization endpoint.
fn sign_in_redirect(state: &State, return_to: &str) -> HttpResponse {
    let start = start_sign_in(&state.provider, return_to);
    let mut response = see_other(&start.authorize_url);
    let name = cookie_names(state.cookies.secure).1;
    let _ = response.add_cookie(&admin_cookie(state, name, start.cookie, Some(SIGN_IN_TTL_SECS)));
    response
}

// ---------------------------------------------------------------------------------------------------------------
// One call of the core per request

/// What an admin page's call can end with besides its value.
pub enum PageError {
    Failure(Failure),
    Admin(AdminError),
}

impl From<Failure> for PageError {
    fn from(f: Failure) -> PageError {
        PageError::Failure(f)
    }
}

impl From<AdminError> for PageError {
    fn from(e: AdminError) -> PageError {
        PageError::Admin(e)
    }
}

/// The administrator the session cookie's access token stands for (`admin::authenticate`, the admin API's own
/// check), or `None`: no cookie, a token no longer good, or a user no longer in `admins` (sign in again). Only the
/// admin pages' tokens count here: an admin API key in the cookie is nobody.
fn session(provider: &Provider, token: Option<&str>) -> Result<Option<(AdminUser, Actor)>, Failure> {
    let Some(token) = token else { return Ok(None) };
    match crate::admin::authenticate(provider, token, provider.now()) {
        Ok(Actor::User { id, username }) => {
            let me = AdminUser { subject: id.clone(), username: username.clone(), csrf_token: csrf_token(token) };
            Ok(Some((me, Actor::User { id, username })))
        }
        Ok(Actor::Key(_)) => Ok(None),
        Err(e) if e.status == 401 || e.status == 403 => Ok(None),
        Err(e) if e.status == 503 => Err(Failure::Unavailable(e.detail)),
        Err(e) => Err(InternalError::new("the admin session", anyhow::anyhow!(e.detail)).into()),
    }
}

/// A page's view of the call: who is signed in and what the operation returned.
struct Called<T> {
    me: AdminUser,
    value: T,
}

/// Runs `op` for the signed-in administrator on the blocking pool; without an admin session, a new sign-in.
/// A form (`form` given) must carry the session's CSRF token.
async fn call<T, F>(state: &State, req: &HttpRequest, form: Option<Params>, op: F) -> Result<Called<T>, HttpResponse>
where
    T: Send + 'static,
    F: FnOnce(&Provider, &AdminUser, &Actor, Params) -> Result<T, PageError> + Send + 'static,
{
    let token = session_token(state, req);
    let worker = state.clone();
    let is_form = form.is_some();
    let outcome = blocking(state.core(), move || {
        let Some((me, actor)) = session(&worker.provider, token.as_deref())? else { return Ok(None) };
        let form = form.unwrap_or_default();
        if is_form && !me.csrf_ok(form.get("csrf_token")) {
            let refusal = OAuthError::invalid_request("the form has expired; go back and try again")
                .with_detail("admin pages: CSRF token mismatch");
            return Ok(Some((me, Err(PageError::Failure(refusal.into())))));
        }
        let result = op(&worker.provider, &me, &actor, form);
        Ok(Some((me, result)))
    })
    .await;
    match outcome {
        Ok(None) => {
            let here = if is_form {
                "/admin".to_owned()
            } else {
                req.uri().path_and_query().map_or("/admin".to_owned(), |p| p.as_str().to_owned())
            };
            Err(sign_in_redirect(state, &here))
        }
        Ok(Some((me, Ok(value)))) => Ok(Called { me, value }),
        Ok(Some((me, Err(PageError::Admin(problem))))) => Err(problem_page(state, req, &me, &problem)),
        Ok(Some((_, Err(PageError::Failure(failure))))) | Err(failure) => {
            Err(error_page(look(state, req, None), failure))
        }
    }
}

/// An operation refused (a name already taken, a weak input, nothing of that name): the admin page that says so.
fn problem_page(state: &State, req: &HttpRequest, me: &AdminUser, problem: &AdminError) -> HttpResponse {
    let back = req
        .headers()
        .get(actix_web::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .map(|u| u.path().to_owned())
        .filter(|p| p.starts_with("/admin"))
        .unwrap_or_else(|| "/admin".to_owned());
    let stale = problem.status == 412;
    let page =
        ProblemHtml { look: look(state, req, None), me, section: "", detail: &problem.detail, back: &back, stale };
    html(StatusCode::from_u16(problem.status).unwrap_or(StatusCode::BAD_REQUEST), &page)
}

// The error is the page to answer with, returned once per request: boxing it buys nothing.
#[allow(clippy::result_large_err)]
fn form(req: &HttpRequest, body: &[u8], state: &State) -> Result<Params, HttpResponse> {
    form_params(req, body).map_err(|e| error_page(look(state, req, None), e.to_oauth().into()))
}

#[allow(clippy::result_large_err)]
fn query(req: &HttpRequest, state: &State) -> Result<Params, HttpResponse> {
    query_params(req).map_err(|e| error_page(look(state, req, None), e.to_oauth().into()))
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-in and sign-out

/// `GET /admin/callback`: the authorization response.
pub async fn callback(state: State, req: HttpRequest) -> HttpResponse {
    let params = match query(&req, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let (session_name, sign_in_name) = cookie_names(state.cookies.secure);
    let cookie = read_cookie(&req, sign_in_name);
    let worker = state.clone();
    let outcome = blocking(state.core(), move || {
        finish_sign_in(&worker.provider, cookie.as_deref(), params.get("code"), params.get("state"))
    })
    .await;
    let look = look(&state, &req, None);
    let mut response = match outcome {
        Ok(Callback::SignedIn { access_token, expires_in, return_to }) => {
            let mut response = see_other(&return_to);
            let _ = response.add_cookie(&admin_cookie(&state, session_name, access_token, Some(expires_in)));
            response
        }
        Ok(Callback::NotAdmin { username }) => {
            let logout = format!("{END_SESSION_PATH}?client_id={ADMIN_CLIENT_ID}");
            let page = SignInHtml { look, denied: true, username: &username, logout: &logout };
            html(StatusCode::FORBIDDEN, &page)
        }
        Ok(Callback::Restart) => {
            html(StatusCode::BAD_REQUEST, &SignInHtml { look, denied: false, username: "", logout: "" })
        }
        Err(failure) => error_page(look, failure),
    };
    let _ = response.add_cookie(&admin_cookie(&state, sign_in_name, String::new(), None));
    response
}

/// `POST /admin/sign-out`: the session's grant revoked, the cookie removed, then the single sign-on session ends
/// at the end-session endpoint (which asks to confirm).
pub async fn sign_out_submit(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let params = match form(&req, &body, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let token = session_token(&state, &req);
    let called = call(&state, &req, Some(params), move |provider, _, _, _| {
        sign_out(provider, token.as_deref())?;
        Ok(())
    })
    .await;
    match called {
        Ok(_) => {
            let mut response = see_other(&format!("{END_SESSION_PATH}?client_id={ADMIN_CLIENT_ID}"));
            let name = cookie_names(state.cookies.secure).0;
            let _ = response.add_cookie(&admin_cookie(&state, name, String::new(), None));
            response
        }
        Err(response) => response,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Users

/// `GET /admin`, `GET /admin/users?q=`.
pub async fn users(state: State, req: HttpRequest) -> HttpResponse {
    let params = match query(&req, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let q = params.get("q").unwrap_or("").to_owned();
    let search = q.clone();
    match call(&state, &req, None, move |provider, _, key, _| Ok(search_users(&provider.db, key, &search)?)).await {
        Ok(Called { me, value }) => {
            let page =
                UsersHtml { look: look(&state, &req, None), me: &me, section: "users", users: &value, query: &q };
            html(StatusCode::OK, &page)
        }
        Err(response) => response,
    }
}

/// `GET /admin/users/{username}`.
pub async fn user(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let username = path.into_inner();
    match call(&state, &req, None, move |provider, _, key, _| Ok(user_page(provider, key, &username)?)).await {
        Ok(Called { me, value }) => render_user(&state, &req, &me, &value, None),
        Err(response) => response,
    }
}

fn render_user(state: &State, req: &HttpRequest, me: &AdminUser, page: &UserPage, link: Option<&str>) -> HttpResponse {
    let page = UserHtml { look: look(state, req, None), me, section: "users", page, invitation: link };
    html(StatusCode::OK, &page)
}

/// `POST /admin/users/{username}/{action}`: `group-add` (the user joins the chosen group), `disable`, `enable`,
/// `invite`, `sessions-end` (all of them), `session-end` (the one `sid`), and, after a confirmation page,
/// `mfa-reset` and `delete`: each the admin API's own operation, audited with the acting admin.
pub async fn user_action(
    state: State,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (username, action) = path.into_inner();
    let params = match form(&req, &body, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let here = format!("/admin/users/{}", urlencoding(&username));
    if !confirmed(&params) {
        let question = match action.as_str() {
            "delete" => Some(("admin-confirm-user-delete", "admin-user-delete")),
            "mfa-reset" => Some(("admin-confirm-user-mfa-reset", "admin-user-mfa-reset")),
            _ => None,
        };
        if let Some((question, button)) = question {
            let confirm = Confirm {
                section: "users",
                question,
                subject: username.clone(),
                warning: None,
                action: format!("{here}/{action}"),
                button,
                back: here,
            };
            return ask_confirmation(&state, &req, params, confirm).await;
        }
    }
    let name = username.clone();
    let deleting = action == "delete";
    let called = call(&state, &req, Some(params), move |provider, _, key, form| {
        let now = provider.now();
        match action.as_str() {
            "session-end" => users::end_sessions(provider, key, &name, Some(form.get("sid").unwrap_or("")), now)?,
            "mfa-reset" => {
                users::reset_mfa(provider, key, &name, now)?;
            }
            "delete" => users::delete_user(provider, key, &name, now)?,
            "group-add" => {
                api::set_member(&provider.db, key, form.get("group").unwrap_or(""), &name, true, now)?;
            }
            "disable" | "enable" => users::set_disabled(provider, key, &name, action == "disable", now)?,
            "sessions-end" => users::end_sessions(provider, key, &name, None, now)?,
            "invite" => {
                let email = api::list_users(&provider.db, key)?
                    .into_iter()
                    .find(|u| u.username == name)
                    .and_then(|u| u.email)
                    .unwrap_or_default();
                let request = users::InviteRequest { email, ttl_hours: None };
                let link = users::invite(provider, key, &name, &request, now)?.link;
                return Ok(Some((user_page(provider, key, &name)?, link)));
            }
            other => return Err(AdminError::not_found(format!("no action {other:?}")).into()),
        }
        Ok(None)
    })
    .await;
    match called {
        Ok(Called { me, value: Some((page, link)) }) => render_user(&state, &req, &me, &page, Some(&link)),
        Ok(_) if deleting => see_other("/admin/users"),
        Ok(_) => see_other(&format!("/admin/users/{}", urlencoding(&username))),
        Err(response) => response,
    }
}

/// `POST /admin/users`: a new account without a password, and its invitation link (shown once on its page).
pub async fn create_user(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let params = match form(&req, &body, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let called = call(&state, &req, Some(params), |provider, _, key, form| {
        let username = form.get("username").unwrap_or("").trim().to_owned();
        let request =
            users::InviteRequest { email: form.get("email").unwrap_or("").trim().to_owned(), ttl_hours: None };
        let link = users::invite(provider, key, &username, &request, provider.now())?.link;
        Ok((user_page(provider, key, &username)?, link))
    })
    .await;
    match called {
        Ok(Called { me, value: (page, link) }) => render_user(&state, &req, &me, &page, Some(&link)),
        Err(response) => response,
    }
}

fn urlencoding(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect::<String>().replace('+', "%20")
}

// ---------------------------------------------------------------------------------------------------------------
// Confirmation of a destructive form

/// Whether a destructive form comes from its confirmation page.
fn confirmed(form: &Params) -> bool {
    form.get("confirmed") == Some("yes")
}

/// What the confirmation page asks (`question`, a message whose `$name` is `subject`) and where its form posts.
#[derive(Debug, Clone)]
struct Confirm {
    section: &'static str,
    question: &'static str,
    subject: String,
    /// A further message for a case the operation allows but the operator should think twice about.
    warning: Option<&'static str>,
    action: String,
    button: &'static str,
    back: String,
}

/// A destructive form's first post: the session and its CSRF token checked, nothing changed, and the page that
/// asks to confirm (no JavaScript), whose form posts the same action again with `confirmed=yes`.
async fn ask_confirmation(state: &State, req: &HttpRequest, params: Params, confirm: Confirm) -> HttpResponse {
    match call(state, req, Some(params), |_, _, _, _| Ok(())).await {
        Ok(Called { me, .. }) => {
            let page =
                ConfirmHtml { look: look(state, req, None), me: &me, section: confirm.section, confirm: &confirm };
            html(StatusCode::OK, &page)
        }
        Err(response) => response,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Groups

/// `GET /admin/groups`.
pub async fn groups(state: State, req: HttpRequest) -> HttpResponse {
    match call(&state, &req, None, |provider, _, key, _| Ok(api::list_groups(&provider.db, key)?)).await {
        Ok(Called { me, value }) => html(
            StatusCode::OK,
            &GroupsHtml { look: look(&state, &req, None), me: &me, section: "groups", groups: &value },
        ),
        Err(response) => response,
    }
}

/// `POST /admin/groups`: a new group.
pub async fn create_group(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let params = match form(&req, &body, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let called = call(&state, &req, Some(params), |provider, _, key, form| {
        let new = api::NewGroup {
            name: form.get("name").unwrap_or("").trim().to_owned(),
            description: form.get("description").map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned),
        };
        Ok(api::create_group(&provider.db, key, &new, provider.now())?)
    })
    .await;
    match called {
        Ok(Called { value, .. }) => see_other(&format!("/admin/groups/{}", urlencoding(&value.name))),
        Err(response) => response,
    }
}

/// `GET /admin/groups/{name}`.
pub async fn group(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    match call(&state, &req, None, move |provider, _, key, _| Ok(api::get_group(&provider.db, key, &name)?)).await {
        Ok(Called { me, value }) => {
            let version = api::group_etag(&value);
            let page = GroupHtml {
                look: look(&state, &req, None),
                me: &me,
                section: "groups",
                group: &value,
                version: &version,
            };
            html(StatusCode::OK, &page)
        }
        Err(response) => response,
    }
}

/// `POST /admin/groups/{name}/add-member`, `…/remove-member`: back to the group's page (or the user's, `back=user`);
/// `…/edit`: the description, under the version the form was drawn from; `…/delete`, after a confirmation page.
pub async fn group_member(
    state: State,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (name, action) = path.into_inner();
    let params = match form(&req, &body, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let username = params.get("username").unwrap_or("").trim().to_owned();
    let back = if params.get("back") == Some("user") {
        format!("/admin/users/{}", urlencoding(&username))
    } else {
        format!("/admin/groups/{}", urlencoding(&name))
    };
    let group_page = format!("/admin/groups/{}", urlencoding(&name));
    if action == "delete" && !confirmed(&params) {
        // The API does not refuse it; the page says what deleting `admins` means before anyone confirms.
        let warning = (name == ADMINS_GROUP).then_some("admin-confirm-admins-warning");
        let confirm = Confirm {
            section: "groups",
            question: "admin-confirm-group-delete",
            subject: name.clone(),
            warning,
            action: format!("{group_page}/delete"),
            button: "admin-group-delete",
            back: group_page,
        };
        return ask_confirmation(&state, &req, params, confirm).await;
    }
    let back = match action.as_str() {
        "delete" => "/admin/groups".to_owned(),
        "edit" => group_page,
        _ => back,
    };
    let called = call(&state, &req, Some(params), move |provider, _, key, form| {
        let now = provider.now();
        let add = match action.as_str() {
            "add-member" => true,
            "remove-member" => false,
            "edit" => {
                // The version the form was drawn from is the If-Match of the API: a stale form is refused (412).
                let description = form.get("description").unwrap_or("").trim().to_owned();
                let change = api::GroupChange { description: Some(description) };
                api::update_group(&provider.db, key, &name, form.get("version"), &change, now)?;
                return Ok(());
            }
            "delete" => return Ok(api::delete_group(&provider.db, key, &name, now)?),
            other => return Err(AdminError::not_found(format!("no action {other:?}")).into()),
        };
        Ok(api::set_member(&provider.db, key, &name, &username, add, now)?)
    })
    .await;
    match called {
        Ok(_) => see_other(&back),
        Err(response) => response,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Clients

/// `GET /admin/clients`.
pub async fn clients(state: State, req: HttpRequest) -> HttpResponse {
    match call(&state, &req, None, |provider, _, key, _| Ok(api::list_clients(&provider.db, key)?)).await {
        Ok(Called { me, value }) => html(
            StatusCode::OK,
            &ClientsHtml { look: look(&state, &req, None), me: &me, section: "clients", clients: &value },
        ),
        Err(response) => response,
    }
}

/// `GET /admin/clients/new`: the form that explains each field.
pub async fn new_client(state: State, req: HttpRequest) -> HttpResponse {
    match call(&state, &req, None, |_, _, _, _| Ok(())).await {
        Ok(Called { me, .. }) => {
            html(StatusCode::OK, &NewClientHtml { look: look(&state, &req, None), me: &me, section: "clients" })
        }
        Err(response) => response,
    }
}

/// `GET /admin/clients/{id}`: the client, its configuration, the integration doctor.
pub async fn client(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let id = path.into_inner();
    let called =
        call(&state, &req, None, move |provider, _, key, _| Ok(client_page(&provider.db, key, &id, &provider.issuer)?))
            .await;
    match called {
        Ok(Called { me, value }) => render_client(&state, &req, &me, &value, None),
        Err(response) => response,
    }
}

/// `POST /admin/clients`: registered under the CLI's rules; a confidential client's secret is shown once.
pub async fn create_client(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let params = match form(&req, &body, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let called = call(&state, &req, Some(params), |provider, _, key, form| {
        let registration = client_changes(&form);
        let new = clients::NewClient {
            client_id: form.get("client_id").unwrap_or("").trim().to_owned(),
            public: form.get("client_type") == Some("public"),
            registration,
        };
        let (created, _) = clients::create_client(provider, key, &new, provider.now())?;
        let page = client_page(&provider.db, key, &created.client.client_id, &provider.issuer)?;
        Ok((page, created.client_secret))
    })
    .await;
    match called {
        Ok(Called { me, value: (page, secret) }) => render_client(&state, &req, &me, &page, secret.as_deref()),
        Err(response) => response,
    }
}

/// The fields the creation and edit forms share (the edit form cannot change the id or the type).
fn client_changes(form: &Params) -> clients::ClientChanges {
    let text = |name: &str| form.get(name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let redirect_uris = form.get("redirect_uris").unwrap_or("").lines().map(str::trim).filter(|l| !l.is_empty());
    clients::ClientChanges {
        name: text("name"),
        redirect_uris: Some(redirect_uris.map(str::to_owned).collect()),
        scope: Some(form.get("scope").unwrap_or("").trim().to_owned()),
        skip_consent: Some(form.get("skip_consent") == Some("true")),
        ..Default::default()
    }
}

/// `GET /admin/clients/{id}/edit`: the creation form's fields, filled in, with the version (the API's ETag) they
/// were read at.
pub async fn edit_client(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let id = path.into_inner();
    let called =
        call(&state, &req, None, move |provider, _, key, _| Ok(clients::get_client_tagged(provider, key, &id)?)).await;
    match called {
        Ok(Called { me, value: (client, version) }) => {
            let page = EditClientHtml {
                look: look(&state, &req, None),
                me: &me,
                section: "clients",
                client: &client,
                version: &version,
                redirect_uris: client.redirect_uris.join("\n"),
            };
            html(StatusCode::OK, &page)
        }
        Err(response) => response,
    }
}

/// `POST /admin/clients/{id}/{action}`: `edit` (the API's update with the form's version as If-Match: a form
/// drawn before someone else's change is refused, 412), `secret` (a new secret with the chosen overlap, shown once
/// on the answer, which is never stored by the browser), `delete` after a confirmation page.
pub async fn client_action(
    state: State,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (id, action) = path.into_inner();
    client_form(state, req, id, action, body).await
}

/// `POST /admin/clients/{id}/edit` (its resource also serves the form).
pub async fn client_edit_submit(
    state: State,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    client_form(state, req, path.into_inner(), "edit".to_owned(), body).await
}

async fn client_form(state: State, req: HttpRequest, id: String, action: String, body: web::Bytes) -> HttpResponse {
    let params = match form(&req, &body, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let here = format!("/admin/clients/{}", urlencoding(&id));
    if action == "delete" && !confirmed(&params) {
        let confirm = Confirm {
            section: "clients",
            question: "admin-confirm-client-delete",
            subject: id.clone(),
            warning: None,
            action: format!("{here}/delete"),
            button: "admin-client-delete",
            back: here,
        };
        return ask_confirmation(&state, &req, params, confirm).await;
    }
    let deleting = action == "delete";
    let called = call(&state, &req, Some(params), move |provider, _, key, form| {
        let now = provider.now();
        match action.as_str() {
            "edit" => {
                clients::update_client(provider, key, &id, form.get("version"), &client_changes(&form), now)?;
                Ok(None)
            }
            "delete" => {
                clients::delete_client(provider, key, &id, now)?;
                Ok(None)
            }
            "secret" => {
                let hours: i64 = form
                    .get("overlap_hours")
                    .unwrap_or("")
                    .parse()
                    .map_err(|_| AdminError::invalid("choose how long the old secret keeps working"))?;
                let rotation = clients::SecretRotation { overlap_secs: Some(hours.saturating_mul(3600)) };
                let rotated = clients::rotate_secret(provider, key, &id, &rotation, now)?;
                let page = client_page(&provider.db, key, &id, &provider.issuer)?;
                Ok(Some((page, rotated)))
            }
            other => Err(AdminError::not_found(format!("no action {other:?}")).into()),
        }
    })
    .await;
    match called {
        Ok(Called { me, value: Some((page, rotated)) }) => {
            let page = ClientHtml {
                look: look(&state, &req, None),
                me: &me,
                section: "clients",
                page: &page,
                secret: Some(&rotated.client_secret),
                previous_until: rotated.previous_secret_expires_at,
            };
            html(StatusCode::OK, &page)
        }
        Ok(_) if deleting => see_other("/admin/clients"),
        Ok(Called { .. }) => see_other(&here),
        Err(response) => response,
    }
}

fn render_client(
    state: &State,
    req: &HttpRequest,
    me: &AdminUser,
    page: &ClientPage,
    secret: Option<&str>,
) -> HttpResponse {
    html(
        StatusCode::OK,
        &ClientHtml { look: look(state, req, None), me, section: "clients", page, secret, previous_until: None },
    )
}

// ---------------------------------------------------------------------------------------------------------------
// Signing keys and the audit log

/// `GET /admin/keys`.
pub async fn keys(state: State, req: HttpRequest) -> HttpResponse {
    let called = call(&state, &req, None, |provider, _, key, _| {
        Ok((api::list_signing_keys(&provider.db, key)?, provider.now()))
    })
    .await;
    match called {
        Ok(Called { me, value: (keys, now) }) => html(
            StatusCode::OK,
            &KeysHtml { look: look(&state, &req, None), me: &me, section: "keys", keys: &keys, now },
        ),
        Err(response) => response,
    }
}

/// `POST /admin/keys/rotate`: every algorithm's next key becomes current now.
pub async fn rotate_keys(state: State, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let params = match form(&req, &body, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let called = call(&state, &req, Some(params), |provider, _, key, _| {
        Ok(signing_keys::rotate_keys(provider, key, &signing_keys::KeyRotation { alg: None }, provider.now())?)
    })
    .await;
    match called {
        Ok(_) => see_other("/admin/keys"),
        Err(response) => response,
    }
}

/// `POST /admin/keys/{kid}/revoke`: after a confirmation page, the API's revocation (refused, 409, for the current
/// key of an algorithm without a next key to take its place).
pub async fn revoke_key(state: State, req: HttpRequest, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    let kid = path.into_inner();
    let params = match form(&req, &body, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    if !confirmed(&params) {
        let confirm = Confirm {
            section: "keys",
            question: "admin-confirm-key-revoke",
            subject: kid.clone(),
            warning: None,
            action: format!("/admin/keys/{}/revoke", urlencoding(&kid)),
            button: "admin-key-revoke",
            back: "/admin/keys".to_owned(),
        };
        return ask_confirmation(&state, &req, params, confirm).await;
    }
    let called = call(&state, &req, Some(params), move |provider, _, key, _| {
        Ok(signing_keys::revoke_key(provider, key, &kid, provider.now())?)
    })
    .await;
    match called {
        Ok(_) => see_other("/admin/keys"),
        Err(response) => response,
    }
}

/// The audit filter as the form shows it (times as `datetime-local` values, UTC).
#[derive(Debug, Clone, Default)]
pub struct AuditForm {
    pub since: String,
    pub until: String,
    pub user: String,
    pub client: String,
    pub event: String,
}

/// A `datetime-local` value (`2026-12-01T23:05`, UTC) as a timestamp.
fn parse_local(value: &str) -> Option<Timestamp> {
    chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .map(|t| t.and_utc().timestamp())
}

/// `GET /admin/audit?since&until&user&client&event&cursor`: newest first, a page at a time.
pub async fn audit(state: State, req: HttpRequest) -> HttpResponse {
    let params = match query(&req, &state) {
        Ok(params) => params,
        Err(response) => return response,
    };
    let text = |name: &str| params.get(name).unwrap_or("").trim().to_owned();
    let shown = AuditForm {
        since: text("since"),
        until: text("until"),
        user: text("user"),
        client: text("client"),
        event: text("event"),
    };
    let some = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    let filter = AuditFilter {
        since: parse_local(&shown.since),
        until: parse_local(&shown.until),
        user: some(&shown.user),
        client: some(&shown.client),
        event: some(&shown.event),
        cursor: params.get("cursor").map(str::to_owned),
        limit: Some(AUDIT_PAGE),
    };
    let called =
        call(&state, &req, None, move |provider, _, key, _| Ok(api::audit_events(&provider.db, key, &filter)?)).await;
    match called {
        Ok(Called { me, value }) => {
            let next = value.next_cursor.as_ref().map(|cursor| {
                let mut query = url::form_urlencoded::Serializer::new(String::new());
                for (name, value) in [
                    ("since", &shown.since),
                    ("until", &shown.until),
                    ("user", &shown.user),
                    ("client", &shown.client),
                    ("event", &shown.event),
                ] {
                    if !value.is_empty() {
                        query.append_pair(name, value);
                    }
                }
                format!("/admin/audit?{}", query.append_pair("cursor", cursor).finish())
            });
            let page = AuditHtml {
                look: look(&state, &req, None),
                me: &me,
                section: "audit",
                filter: &shown,
                events: &value.events,
                next: next.as_deref(),
            };
            html(StatusCode::OK, &page)
        }
        Err(response) => response,
    }
}

/// Events a page of the audit log.
const AUDIT_PAGE: i64 = 50;

// ---------------------------------------------------------------------------------------------------------------
// The pages

/// A time as the admin pages show it (UTC, to the minute).
fn when(look: &Look<'_>, at: Option<Timestamp>) -> String {
    match at.and_then(|at| chrono::DateTime::from_timestamp(at, 0)) {
        Some(at) => at.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => look.t.text("admin-never"),
    }
}

fn signed_in_as(look: &Look<'_>, me: &AdminUser) -> String {
    look.t.text_with("admin-signed-in-as", &[("user", Arg::Text(&me.username))])
}

fn kind(look: &Look<'_>, client_type: &str) -> String {
    look.t.text(if client_type == "public" { "admin-type-public" } else { "admin-type-confidential" })
}

/// The methods every admin page's template calls.
macro_rules! admin_page {
    ($name:ident) => {
        impl $name<'_> {
            fn signed_in_as(&self) -> String {
                signed_in_as(&self.look, self.me)
            }

            #[allow(dead_code)]
            fn when(&self, at: &Option<Timestamp>) -> String {
                when(&self.look, *at)
            }

            /// A session's device and address, as the account page shows them.
            #[allow(dead_code)]
            fn session_client(&self, session: &SessionView) -> String {
                let context = ClientContext::new(&session.user_agent, &session.address);
                where_from(&self.look, &context.device(), &context.address)
            }

            #[allow(dead_code)]
            fn at(&self, at: &Timestamp) -> String {
                when(&self.look, Some(*at))
            }

            #[allow(dead_code)]
            fn kind(&self, client_type: &str) -> String {
                kind(&self.look, client_type)
            }
        }
    };
}

#[derive(Template)]
#[template(path = "admin_users.html")]
pub struct UsersHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub users: &'a [UserView],
    pub query: &'a str,
}
admin_page!(UsersHtml);

#[derive(Template)]
#[template(path = "admin_user.html")]
pub struct UserHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub page: &'a UserPage,
    /// An invitation link just made (shown once).
    pub invitation: Option<&'a str>,
}
admin_page!(UserHtml);

#[derive(Template)]
#[template(path = "admin_groups.html")]
pub struct GroupsHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub groups: &'a [GroupView],
}
admin_page!(GroupsHtml);

#[derive(Template)]
#[template(path = "admin_group.html")]
pub struct GroupHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub group: &'a GroupView,
    /// The group's ETag, sent back by the description's form as the update's If-Match.
    pub version: &'a str,
}
admin_page!(GroupHtml);

#[derive(Template)]
#[template(path = "admin_clients.html")]
pub struct ClientsHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub clients: &'a [ClientView],
}
admin_page!(ClientsHtml);

#[derive(Template)]
#[template(path = "admin_client_new.html")]
pub struct NewClientHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
}
admin_page!(NewClientHtml);

#[derive(Template)]
#[template(path = "admin_client.html")]
pub struct ClientHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub page: &'a ClientPage,
    /// A secret just made (shown once).
    pub secret: Option<&'a str>,
    /// Until when the secret it replaced still works.
    pub previous_until: Option<Timestamp>,
}
admin_page!(ClientHtml);

impl ClientHtml<'_> {
    fn overlap_text(&self, until: &Timestamp) -> String {
        let until = when(&self.look, Some(*until));
        self.look.t.text_with("admin-client-secret-overlap", &[("until", Arg::Text(&until))])
    }
}

#[derive(Template)]
#[template(path = "admin_keys.html")]
pub struct KeysHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub keys: &'a [SigningKeyView],
    pub now: Timestamp,
}
admin_page!(KeysHtml);

impl KeysHtml<'_> {
    fn age(&self, created_at: &Timestamp) -> String {
        let days = (self.now - *created_at).max(0) / 86_400;
        self.look.t.text_with("admin-age-days", &[("days", Arg::Number(days))])
    }
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
pub struct AuditHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub filter: &'a AuditForm,
    pub events: &'a [AuditEventView],
    pub next: Option<&'a str>,
}
admin_page!(AuditHtml);

#[derive(Template)]
#[template(path = "admin_problem.html")]
pub struct ProblemHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub detail: &'a str,
    pub back: &'a str,
    /// A form drawn from a version someone has changed since (412): nothing was saved.
    pub stale: bool,
}
admin_page!(ProblemHtml);

#[derive(Template)]
#[template(path = "admin_confirm.html")]
struct ConfirmHtml<'a> {
    look: Look<'a>,
    me: &'a AdminUser,
    section: &'static str,
    confirm: &'a Confirm,
}
admin_page!(ConfirmHtml);

impl ConfirmHtml<'_> {
    fn question(&self) -> String {
        self.look.t.text_with(self.confirm.question, &[("name", Arg::Text(&self.confirm.subject))])
    }
}

#[derive(Template)]
#[template(path = "admin_client_edit.html")]
pub struct EditClientHtml<'a> {
    pub look: Look<'a>,
    pub me: &'a AdminUser,
    pub section: &'static str,
    pub client: &'a ClientView,
    /// The ETag the form was filled from, sent back as the update's If-Match.
    pub version: &'a str,
    pub redirect_uris: String,
}
admin_page!(EditClientHtml);

/// The callback's own pages: not an administrator (403), or a sign-in to start again.
#[derive(Template)]
#[template(path = "admin_signin.html")]
pub struct SignInHtml<'a> {
    pub look: Look<'a>,
    pub denied: bool,
    pub username: &'a str,
    pub logout: &'a str,
}

impl SignInHtml<'_> {
    fn denied_text(&self) -> String {
        self.look.t.text_with("admin-denied-lead", &[("user", Arg::Text(self.username))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::doctor::Diagnosis;
    use crate::http::branding::Branding;
    use crate::i18n::Locale;

    /// Every admin page in every shipped language: no message is missing (a missing one renders as `⟦key⟧`), and
    /// every form carries the session's CSRF token.
    #[test]
    fn every_admin_page_renders_in_every_language_without_a_missing_message() {
        let brand = Branding::default();
        let me = AdminUser { subject: "s".into(), username: "root".into(), csrf_token: "tok".into() };
        let user = UserView {
            username: "dana".into(),
            sub: "s2".into(),
            email: Some("dana@example.com".into()),
            name: None,
            disabled: false,
            created_at: 0,
            last_login_at: None,
        };
        let session = crate::admin::users::SessionView {
            sid: "sid1".into(),
            auth_time: 0,
            last_seen_at: 60,
            expires_at: 3600,
            clients: vec!["shop".into()],
            user_agent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0".into(),
            address: "203.0.113.7".into(),
        };
        let user_page = UserPage {
            user: user.clone(),
            groups: vec!["staff".into()],
            other_groups: vec!["ops".into()],
            sessions: vec![session],
        };
        let group = GroupView { name: "staff".into(), description: None, created_at: 0, members: vec!["dana".into()] };
        let client = ClientView {
            client_id: "shop".into(),
            name: "Shop".into(),
            client_type: "public",
            redirect_uris: vec!["https://shop.example/cb".into()],
            grant_types: vec!["authorization_code"],
            scope: String::new(),
            skip_consent: false,
            access_token_groups: false,
            allowed_groups: vec![],
            logo: false,
            jwks: false,
            jwks_uri: None,
            id_token_signed_response_alg: None,
            refresh_token_reuse_grace_secs: None,
            require_pushed_authorization_requests: false,
            device_code_ttl_secs: None,
        };
        let diagnosis =
            Diagnosis { at: 5, event: "authorization_refused".into(), problem: "p".into(), fix: "f".into() };
        let client_page = ClientPage {
            client: client.clone(),
            issuer: "https://id.example".into(),
            endpoints: vec![("token_endpoint", "https://id.example/oauth/token".into())],
            snippet: "OIDC_ISSUER=https://id.example".into(),
            diagnoses: vec![diagnosis],
        };
        let key = SigningKeyView {
            kid: "k1".into(),
            state: "current",
            created_at: 0,
            activated_at: None,
            deactivated_at: None,
            publish_until: None,
        };
        let event = AuditEventView {
            id: "1".into(),
            at: 5,
            event: "login_failed".into(),
            actor: None,
            user_id: None,
            client_id: None,
            address: None,
            detail: Default::default(),
        };
        let filter = AuditForm::default();
        let confirm = Confirm {
            section: "groups",
            question: "admin-confirm-group-delete",
            subject: "admins".into(),
            warning: Some("admin-confirm-admins-warning"),
            action: "/admin/groups/admins/delete".into(),
            button: "admin-group-delete",
            back: "/admin/groups/admins".into(),
        };
        // Every other question the confirmation page asks, in every language.
        let questions = [
            "admin-confirm-user-delete",
            "admin-confirm-user-mfa-reset",
            "admin-confirm-client-delete",
            "admin-confirm-key-revoke",
        ];
        for locale in Locale::all() {
            let look = Look { t: locale, brand: &brand };
            let forms = [
                UsersHtml { look, me: &me, section: "users", users: std::slice::from_ref(&user), query: "" }.render(),
                UserHtml { look, me: &me, section: "users", page: &user_page, invitation: Some("https://x/invite/t") }
                    .render(),
                GroupsHtml { look, me: &me, section: "groups", groups: std::slice::from_ref(&group) }.render(),
                GroupHtml { look, me: &me, section: "groups", group: &group, version: "\"v\"" }.render(),
                ClientsHtml { look, me: &me, section: "clients", clients: std::slice::from_ref(&client) }.render(),
                NewClientHtml { look, me: &me, section: "clients" }.render(),
                ClientHtml {
                    look,
                    me: &me,
                    section: "clients",
                    page: &client_page,
                    secret: Some("s"),
                    previous_until: Some(86_400),
                }
                .render(),
                EditClientHtml {
                    look,
                    me: &me,
                    section: "clients",
                    client: &client,
                    version: "\"v\"",
                    redirect_uris: "https://shop.example/cb".into(),
                }
                .render(),
                ConfirmHtml { look, me: &me, section: "groups", confirm: &confirm }.render(),
                KeysHtml { look, me: &me, section: "keys", keys: std::slice::from_ref(&key), now: 86_400 * 3 }.render(),
                AuditHtml {
                    look,
                    me: &me,
                    section: "audit",
                    filter: &filter,
                    events: std::slice::from_ref(&event),
                    next: Some("/admin/audit?cursor=c"),
                }
                .render(),
                ProblemHtml { look, me: &me, section: "", detail: "d", back: "/admin", stale: true }.render(),
            ];
            for html in forms {
                let html = html.unwrap();
                assert!(!html.contains('⟦'), "{}: {html}", locale.tag);
                assert_eq!(
                    html.matches("method=\"post\"").count(),
                    html.matches("name=\"csrf_token\" value=\"tok\"").count(),
                    "{html}"
                );
            }
            for question in questions {
                let other = Confirm { question, warning: None, subject: "x".into(), ..confirm.clone() };
                let html = ConfirmHtml { look, me: &me, section: "users", confirm: &other }.render().unwrap();
                assert!(!html.contains('⟦'), "{}: {html}", locale.tag);
            }
            for denied in [true, false] {
                let html = SignInHtml { look, denied, username: "bob", logout: "/oauth/logout" }.render().unwrap();
                assert!(!html.contains('⟦'), "{}: {html}", locale.tag);
            }
        }
    }
}
