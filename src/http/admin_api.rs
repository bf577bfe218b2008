//! `/admin/api/v1/`: extract the admin API key and the input, call the admin core once on the blocking pool, render
//! JSON, or an RFC 9457 `application/problem+json` failure.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::state::{AppState, State};
use utoipa::{Modify, OpenApi};

use crate::admin::api::{
    self, AuditEventView, AuditFilter, AuditPage, ClientView, GroupChange, GroupView, NewGroup, SigningKeyView,
    UserView,
};
use crate::admin::doctor::Diagnosis;
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
        audit_events, settings, list_clients, get_client, list_signing_keys, client_doctor
    ),
    components(schemas(
        GroupView, NewGroup, GroupChange, UserView, AuditPage, AuditEventView, ClientView, SigningKeyView, Diagnosis
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
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("tsk_<id>_<secret>").build();
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
    respond(call(state, &req, move |s, key| api::get_client(&s.provider.db, key, &id)).await, StatusCode::OK)
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
