//! `/admin/api/v1/`: extract the Bearer value (an admin API key, or an access token of the admin pages) and the
//! input, call the admin core once on the blocking pool, render JSON, or an RFC 9457 `application/problem+json`
//! failure.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::state::{AppState, State};
use utoipa::{Modify, OpenApi};

use crate::admin::api::{
    self, AuditEventView, AuditFilter, AuditPage, ClientView, GroupChange, GroupView, NewGroup, SigningKeyView,
    UserView,
};
use crate::admin::clients::{self, ClientChanges, CreatedClient, NewClient, RotatedSecret, SecretRotation};
use crate::admin::doctor::Diagnosis;
use crate::admin::operations::UserChanges;
use crate::admin::signing_keys::{self, KeyRotation, RotatedKey};
use crate::admin::users::{self, Invitation, InviteRequest, NewUserRequest, SessionView, UserDetail};
use crate::admin::{Actor, AdminError, authenticate};

/// RFC 9457 §3.1 members.
#[derive(Serialize, utoipa::ToSchema)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    status: u16,
    detail: &'a str,
}

/// The admin API's OpenAPI 3.1 document, generated from the annotations of the handlers below.
#[derive(OpenApi)]
#[openapi(
    info(title = "Tessera admin API", description = "Send an admin API key (`tessera admin key create`), or an access token of the admin pages (`tessera-admin`) of a member of `admins`, as Bearer."),
    paths(
        list_groups, create_group, get_group, update_group, delete_group, add_member, remove_member, list_users,
        audit_events, settings, list_clients, get_client, list_signing_keys, client_doctor,
        create_user, get_user, update_user, delete_user, disable_user, enable_user, invite_user, reset_mfa,
        list_sessions, end_all_sessions, end_session, create_client, update_client, delete_client,
        rotate_client_secret, rotate_signing_keys, revoke_signing_key
    ),
    components(schemas(
        GroupView, NewGroup, GroupChange, UserView, AuditPage, AuditEventView, ClientView, SigningKeyView, Diagnosis,
        UserDetail, NewUserRequest, UserChanges, InviteRequest, Invitation, MfaReset, SessionView, NewClient,
        ClientChanges, CreatedClient, SecretRotation, RotatedSecret, KeyRotation, RotatedKey, RevokedKey
    )),
    modifiers(&AdminKeyAuth),
    security(("admin_key" = []))
)]
pub struct AdminApiDoc;

/// The `admin_key` Bearer scheme.
struct AdminKeyAuth;

impl Modify for AdminKeyAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("tsk_<id>_<secret>, or a JWT access token of tessera-admin")
            .build();
        components.add_security_scheme("admin_key", SecurityScheme::Http(scheme));
    }
}

/// `GET /admin/api/openapi.json`.
pub async fn openapi_json() -> HttpResponse {
    match AdminApiDoc::openapi().to_json() {
        Ok(body) => HttpResponse::Ok().content_type("application/json").body(body),
        Err(e) => problem(&AdminError::new(500, "Internal Server Error", e.to_string())),
    }
}

fn problem(e: &AdminError) -> HttpResponse {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = Problem { kind: "about:blank", title: e.title, status: e.status, detail: &e.detail };
    let mut builder = HttpResponse::build(status);
    builder.insert_header((header::CACHE_CONTROL, "no-store"));
    if e.status == 401 {
        builder.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"tessera-admin\""));
    }
    builder.content_type("application/problem+json").body(serde_json::to_string(&body).unwrap_or_default())
}

fn json<T: Serialize>(status: StatusCode, value: &T, etag: Option<String>) -> HttpResponse {
    let mut builder = HttpResponse::build(status);
    builder.insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(etag) = etag {
        builder.insert_header((header::ETAG, etag));
    }
    builder.json(value)
}

/// The Bearer value of `Authorization` (RFC 6750 §2.1).
fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// Authenticates the actor (an admin API key, or an access token of the admin pages), then runs `op` with it, off
/// the async workers (diesel blocks).
async fn call<T, F>(state: State, req: &HttpRequest, op: F) -> Result<T, AdminError>
where
    T: Send + 'static,
    F: FnOnce(&AppState, &Actor) -> Result<T, AdminError> + Send + 'static,
{
    let token = bearer(req).ok_or_else(AdminError::unauthenticated)?;
    let result = web::block(move || {
        let actor = authenticate(&state.provider, &token, state.provider.now())?;
        op(&state, &actor)
    })
    .await;
    result.unwrap_or_else(|e| Err(AdminError::new(500, "Internal Server Error", format!("blocking task: {e}"))))
}

fn body<T: serde::de::DeserializeOwned>(bytes: &web::Bytes) -> Result<T, AdminError> {
    serde_json::from_slice(bytes).map_err(|e| AdminError::invalid(format!("the JSON body: {e}")))
}

fn respond<T: Serialize>(result: Result<T, AdminError>, status: StatusCode) -> HttpResponse {
    match result {
        Ok(value) => json(status, &value, None),
        Err(e) => problem(&e),
    }
}

#[utoipa::path(get, path = "/admin/api/v1/groups", responses((status = 200, body = Vec<GroupView>), (status = 401), (status = 403)))]
pub async fn list_groups(state: State, req: HttpRequest) -> HttpResponse {
    respond(call(state, &req, |s, key| api::list_groups(&s.provider.db, key)).await, StatusCode::OK)
}

#[utoipa::path(post, path = "/admin/api/v1/groups", request_body = NewGroup, responses((status = 201, body = GroupView), (status = 400), (status = 409)))]
pub async fn create_group(state: State, req: HttpRequest, bytes: web::Bytes) -> HttpResponse {
    let new: NewGroup = match body(&bytes) {
        Ok(new) => new,
        Err(e) => return problem(&e),
    };
    match call(state, &req, move |s, key| api::create_group(&s.provider.db, key, &new, s.provider.now())).await {
        Ok(group) => {
            let etag = api::group_etag(&group);
            let mut response = json(StatusCode::CREATED, &group, Some(etag));
            let location = format!("/admin/api/v1/groups/{}", group.name);
            if let Ok(value) = header::HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Err(e) => problem(&e),
    }
}

#[utoipa::path(get, path = "/admin/api/v1/groups/{name}", params(("name" = String, Path)), responses((status = 200, body = GroupView), (status = 404)))]
pub async fn get_group(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    match call(state, &req, move |s, key| api::get_group(&s.provider.db, key, &name)).await {
        Ok(group) => {
            let etag = api::group_etag(&group);
            json(StatusCode::OK, &group, Some(etag))
        }
        Err(e) => problem(&e),
    }
}

#[utoipa::path(patch, path = "/admin/api/v1/groups/{name}", params(("name" = String, Path), ("If-Match" = String, Header)), request_body = GroupChange, responses((status = 200, body = GroupView), (status = 412), (status = 428)))]
pub async fn update_group(state: State, req: HttpRequest, path: web::Path<String>, bytes: web::Bytes) -> HttpResponse {
    let name = path.into_inner();
    let change: GroupChange = match body(&bytes) {
        Ok(change) => change,
        Err(e) => return problem(&e),
    };
    let if_match = req.headers().get(header::IF_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let result = call(state, &req, move |s, key| {
        api::update_group(&s.provider.db, key, &name, if_match.as_deref(), &change, s.provider.now())
    })
    .await;
    match result {
        Ok(group) => {
            let etag = api::group_etag(&group);
            json(StatusCode::OK, &group, Some(etag))
        }
        Err(e) => problem(&e),
    }
}

#[utoipa::path(delete, path = "/admin/api/v1/groups/{name}", params(("name" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn delete_group(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let name = path.into_inner();
    match call(state, &req, move |s, key| api::delete_group(&s.provider.db, key, &name, s.provider.now())).await {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(e) => problem(&e),
    }
}

async fn member(state: State, req: HttpRequest, path: web::Path<(String, String)>, add: bool) -> HttpResponse {
    let (group, username) = path.into_inner();
    let result =
        call(state, &req, move |s, key| api::set_member(&s.provider.db, key, &group, &username, add, s.provider.now()))
            .await;
    match result {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(e) => problem(&e),
    }
}

#[utoipa::path(put, path = "/admin/api/v1/groups/{name}/members/{username}", params(("name" = String, Path), ("username" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn add_member(state: State, req: HttpRequest, path: web::Path<(String, String)>) -> HttpResponse {
    member(state, req, path, true).await
}

#[utoipa::path(delete, path = "/admin/api/v1/groups/{name}/members/{username}", params(("name" = String, Path), ("username" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn remove_member(state: State, req: HttpRequest, path: web::Path<(String, String)>) -> HttpResponse {
    member(state, req, path, false).await
}

#[utoipa::path(get, path = "/admin/api/v1/users", responses((status = 200, body = Vec<UserView>)))]
pub async fn list_users(state: State, req: HttpRequest) -> HttpResponse {
    respond(call(state, &req, |s, key| api::list_users(&s.provider.db, key)).await, StatusCode::OK)
}

#[utoipa::path(get, path = "/admin/api/v1/audit", params(AuditFilter), responses((status = 200, body = AuditPage), (status = 400)))]
pub async fn audit_events(state: State, req: HttpRequest) -> HttpResponse {
    let filter = match web::Query::<AuditFilter>::from_query(req.query_string()) {
        Ok(filter) => filter.into_inner(),
        Err(e) => return problem(&AdminError::invalid(format!("the query: {e}"))),
    };
    respond(call(state, &req, move |s, key| api::audit_events(&s.provider.db, key, &filter)).await, StatusCode::OK)
}

#[utoipa::path(get, path = "/admin/api/v1/settings", responses((status = 200, description = "the effective settings, secrets redacted")))]
pub async fn settings(state: State, req: HttpRequest) -> HttpResponse {
    respond(call(state, &req, |s, key| api::settings(key, &s.settings)).await, StatusCode::OK)
}

#[utoipa::path(get, path = "/admin/api/v1/clients", responses((status = 200, body = Vec<ClientView>)))]
pub async fn list_clients(state: State, req: HttpRequest) -> HttpResponse {
    respond(call(state, &req, |s, key| api::list_clients(&s.provider.db, key)).await, StatusCode::OK)
}

#[utoipa::path(get, path = "/admin/api/v1/clients/{id}", params(("id" = String, Path)), responses((status = 200, body = ClientView), (status = 404)))]
pub async fn get_client(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let id = path.into_inner();
    tagged(
        call(state, &req, move |s, actor| clients::get_client_tagged(&s.provider, actor, &id)).await,
        StatusCode::OK,
        None,
    )
}

#[utoipa::path(get, path = "/admin/api/v1/keys", responses((status = 200, body = Vec<SigningKeyView>)))]
pub async fn list_signing_keys(state: State, req: HttpRequest) -> HttpResponse {
    respond(call(state, &req, |s, key| api::list_signing_keys(&s.provider.db, key)).await, StatusCode::OK)
}

#[utoipa::path(get, path = "/admin/api/v1/clients/{id}/doctor", params(("id" = String, Path)), responses((status = 200, body = Vec<Diagnosis>), (status = 404)))]
pub async fn client_doctor(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let id = path.into_inner();
    respond(call(state, &req, move |s, key| api::doctor(&s.provider.db, key, &id)).await, StatusCode::OK)
}

/// Any other path under `/admin/api/`: a problem, not the HTML 404.
pub async fn not_found() -> HttpResponse {
    problem(&AdminError::not_found("no such admin API resource"))
}

// ---- Users, clients and signing keys: the writes (issue 12). ----

/// The `If-Match` header, if any.
fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers().get(header::IF_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// A JSON body that may be left out (`{}`).
fn optional_body<T: serde::de::DeserializeOwned + Default>(bytes: &web::Bytes) -> Result<T, AdminError> {
    if bytes.iter().all(u8::is_ascii_whitespace) { Ok(T::default()) } else { body(bytes) }
}

/// A tagged value (ETag), or a problem.
fn tagged<T: Serialize>(
    result: Result<(T, String), AdminError>,
    status: StatusCode,
    location: Option<String>,
) -> HttpResponse {
    match result {
        Ok((value, etag)) => {
            let mut response = json(status, &value, Some(etag));
            if let Some(value) = location.and_then(|l| header::HeaderValue::from_str(&l).ok()) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Err(e) => problem(&e),
    }
}

fn no_content(result: Result<(), AdminError>) -> HttpResponse {
    match result {
        Ok(()) => HttpResponse::NoContent().insert_header((header::CACHE_CONTROL, "no-store")).finish(),
        Err(e) => problem(&e),
    }
}

#[utoipa::path(post, path = "/admin/api/v1/users", request_body = NewUserRequest, responses((status = 201, body = UserDetail), (status = 400), (status = 403), (status = 409)))]
pub async fn create_user(state: State, req: HttpRequest, bytes: web::Bytes) -> HttpResponse {
    let new: NewUserRequest = match body(&bytes) {
        Ok(new) => new,
        Err(e) => return problem(&e),
    };
    let location = format!("/admin/api/v1/users/{}", new.username);
    let result =
        call(state, &req, move |s, actor| users::create_user(&s.provider, actor, &new, s.provider.now())).await;
    tagged(result, StatusCode::CREATED, Some(location))
}

#[utoipa::path(get, path = "/admin/api/v1/users/{username}", params(("username" = String, Path)), responses((status = 200, body = UserDetail), (status = 404)))]
pub async fn get_user(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let username = path.into_inner();
    tagged(
        call(state, &req, move |s, actor| users::get_user(&s.provider, actor, &username)).await,
        StatusCode::OK,
        None,
    )
}

#[utoipa::path(patch, path = "/admin/api/v1/users/{username}", params(("username" = String, Path), ("If-Match" = String, Header)), request_body = UserChanges, responses((status = 200, body = UserDetail), (status = 412), (status = 428)))]
pub async fn update_user(state: State, req: HttpRequest, path: web::Path<String>, bytes: web::Bytes) -> HttpResponse {
    let username = path.into_inner();
    let changes: UserChanges = match body(&bytes) {
        Ok(changes) => changes,
        Err(e) => return problem(&e),
    };
    let if_match = if_match(&req);
    let result = call(state, &req, move |s, actor| {
        users::update_user(&s.provider, actor, &username, if_match.as_deref(), &changes, s.provider.now())
    })
    .await;
    tagged(result, StatusCode::OK, None)
}

#[utoipa::path(delete, path = "/admin/api/v1/users/{username}", params(("username" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn delete_user(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let username = path.into_inner();
    no_content(
        call(state, &req, move |s, actor| users::delete_user(&s.provider, actor, &username, s.provider.now())).await,
    )
}

async fn disabled(state: State, req: HttpRequest, username: String, disabled: bool) -> HttpResponse {
    let result = call(state, &req, move |s, actor| {
        users::set_disabled(&s.provider, actor, &username, disabled, s.provider.now())
    })
    .await;
    no_content(result)
}

#[utoipa::path(post, path = "/admin/api/v1/users/{username}/disable", params(("username" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn disable_user(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    disabled(state, req, path.into_inner(), true).await
}

#[utoipa::path(post, path = "/admin/api/v1/users/{username}/enable", params(("username" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn enable_user(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    disabled(state, req, path.into_inner(), false).await
}

#[utoipa::path(post, path = "/admin/api/v1/users/{username}/invite", params(("username" = String, Path)), request_body = InviteRequest, responses((status = 201, body = Invitation), (status = 409)))]
pub async fn invite_user(state: State, req: HttpRequest, path: web::Path<String>, bytes: web::Bytes) -> HttpResponse {
    let username = path.into_inner();
    let request: InviteRequest = match body(&bytes) {
        Ok(request) => request,
        Err(e) => return problem(&e),
    };
    let result =
        call(state, &req, move |s, actor| users::invite(&s.provider, actor, &username, &request, s.provider.now()))
            .await;
    respond(result, StatusCode::CREATED)
}

/// `POST /users/{username}/mfa/reset`'s answer.
#[derive(Serialize, utoipa::ToSchema)]
struct MfaReset {
    /// Whether the user had a second factor to remove.
    removed: bool,
}

#[utoipa::path(post, path = "/admin/api/v1/users/{username}/mfa/reset", params(("username" = String, Path)), responses((status = 200, body = MfaReset), (status = 404)))]
pub async fn reset_mfa(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let username = path.into_inner();
    let result = call(state, &req, move |s, actor| users::reset_mfa(&s.provider, actor, &username, s.provider.now()));
    respond(result.await.map(|removed| MfaReset { removed }), StatusCode::OK)
}

#[utoipa::path(get, path = "/admin/api/v1/users/{username}/sessions", params(("username" = String, Path)), responses((status = 200, body = Vec<SessionView>), (status = 404)))]
pub async fn list_sessions(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let username = path.into_inner();
    let result =
        call(state, &req, move |s, actor| users::list_sessions(&s.provider, actor, &username, s.provider.now()));
    respond(result.await, StatusCode::OK)
}

#[utoipa::path(delete, path = "/admin/api/v1/users/{username}/sessions", params(("username" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn end_all_sessions(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let username = path.into_inner();
    let result =
        call(state, &req, move |s, actor| users::end_sessions(&s.provider, actor, &username, None, s.provider.now()));
    no_content(result.await)
}

#[utoipa::path(delete, path = "/admin/api/v1/users/{username}/sessions/{sid}", params(("username" = String, Path), ("sid" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn end_session(state: State, req: HttpRequest, path: web::Path<(String, String)>) -> HttpResponse {
    let (username, sid) = path.into_inner();
    let result = call(state, &req, move |s, actor| {
        users::end_sessions(&s.provider, actor, &username, Some(&sid), s.provider.now())
    });
    no_content(result.await)
}

#[utoipa::path(post, path = "/admin/api/v1/clients", request_body = NewClient, responses((status = 201, body = CreatedClient), (status = 400), (status = 409)))]
pub async fn create_client(state: State, req: HttpRequest, bytes: web::Bytes) -> HttpResponse {
    let new: NewClient = match body(&bytes) {
        Ok(new) => new,
        Err(e) => return problem(&e),
    };
    let location = format!("/admin/api/v1/clients/{}", new.client_id);
    let result = call(state, &req, move |s, actor| clients::create_client(&s.provider, actor, &new, s.provider.now()));
    tagged(result.await, StatusCode::CREATED, Some(location))
}

#[utoipa::path(patch, path = "/admin/api/v1/clients/{id}", params(("id" = String, Path), ("If-Match" = String, Header)), request_body = ClientChanges, responses((status = 200, body = ClientView), (status = 412), (status = 428)))]
pub async fn update_client(state: State, req: HttpRequest, path: web::Path<String>, bytes: web::Bytes) -> HttpResponse {
    let id = path.into_inner();
    let changes: ClientChanges = match body(&bytes) {
        Ok(changes) => changes,
        Err(e) => return problem(&e),
    };
    let if_match = if_match(&req);
    let result = call(state, &req, move |s, actor| {
        clients::update_client(&s.provider, actor, &id, if_match.as_deref(), &changes, s.provider.now())
    });
    tagged(result.await, StatusCode::OK, None)
}

#[utoipa::path(delete, path = "/admin/api/v1/clients/{id}", params(("id" = String, Path)), responses((status = 204), (status = 404)))]
pub async fn delete_client(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let id = path.into_inner();
    no_content(
        call(state, &req, move |s, actor| clients::delete_client(&s.provider, actor, &id, s.provider.now())).await,
    )
}

#[utoipa::path(post, path = "/admin/api/v1/clients/{id}/secret", params(("id" = String, Path)), request_body = SecretRotation, responses((status = 200, body = RotatedSecret), (status = 404), (status = 409)))]
pub async fn rotate_client_secret(
    state: State,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
) -> HttpResponse {
    let id = path.into_inner();
    let rotation: SecretRotation = match optional_body(&bytes) {
        Ok(rotation) => rotation,
        Err(e) => return problem(&e),
    };
    let result =
        call(state, &req, move |s, actor| clients::rotate_secret(&s.provider, actor, &id, &rotation, s.provider.now()));
    respond(result.await, StatusCode::OK)
}

#[utoipa::path(post, path = "/admin/api/v1/keys/rotate", request_body = KeyRotation, responses((status = 200, body = Vec<RotatedKey>), (status = 409)))]
pub async fn rotate_signing_keys(state: State, req: HttpRequest, bytes: web::Bytes) -> HttpResponse {
    let rotation: KeyRotation = match optional_body(&bytes) {
        Ok(rotation) => rotation,
        Err(e) => return problem(&e),
    };
    let result =
        call(state, &req, move |s, actor| signing_keys::rotate_keys(&s.provider, actor, &rotation, s.provider.now()));
    respond(result.await, StatusCode::OK)
}

/// `POST /keys/{kid}/revoke`'s answer.
#[derive(Serialize, utoipa::ToSchema)]
struct RevokedKey {
    kid: String,
    /// The kid that signs in its place.
    signer: String,
}

#[utoipa::path(post, path = "/admin/api/v1/keys/{kid}/revoke", params(("kid" = String, Path)), responses((status = 200, body = RevokedKey), (status = 404), (status = 409)))]
pub async fn revoke_signing_key(state: State, req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let kid = path.into_inner();
    let result = call(state, &req, move |s, actor| {
        let signer = signing_keys::revoke_key(&s.provider, actor, &kid, s.provider.now())?;
        Ok(RevokedKey { kid, signer })
    });
    respond(result.await, StatusCode::OK)
}
