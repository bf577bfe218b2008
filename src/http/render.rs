//! Rendering errors and pages, each in one place: token JSON (RFC 6749 §5.2), authorization redirects
//! (§4.1.2.1), our error page, Bearer challenges (RFC 6750 §3).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, HttpResponseBuilder};
use askama::Template;
use serde::Serialize;

use crate::error::{ErrorCode, Failure, OAuthError, RETRY_AFTER_SECS};
use crate::oauth::authorize::AuthorizationResponse;
use crate::views::{ErrorPage, FORM_POST_SCRIPT, FormPostPage, form_post_csp};

/// RFC 6749 §5.1: "Cache-Control: no-store" and "Pragma: no-cache" on every response with tokens or credentials.
pub fn no_store(builder: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    builder.insert_header((header::CACHE_CONTROL, "no-store")).insert_header((header::PRAGMA, "no-cache"))
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_id: Option<&'a str>,
}

/// A JSON error for the token endpoint (RFC 6749 §5.2). invalid_client is a 401 and always carries a Basic
/// challenge: RFC 6749 §5.2 requires it when the client tried Basic, and RFC 9110 §15.5.2 for every 401.
pub fn json_error(failure: Failure) -> HttpResponse {
    match failure {
        Failure::OAuth(error) => {
            tracing::info!(error = %error.code, detail = error.detail.as_deref().unwrap_or(""), "request refused");
            let mut builder = HttpResponse::build(error.code.http_status());
            no_store(&mut builder);
            if error.code == ErrorCode::InvalidClient {
                builder.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"tessera\", charset=\"UTF-8\""));
            }
            builder.json(ErrorBody { error: error.code.as_str(), error_description: error.description, error_id: None })
        }
        Failure::Internal(internal) => {
            let id = internal.log();
            let mut builder = HttpResponse::InternalServerError();
            no_store(&mut builder);
            builder.json(ErrorBody {
                error: ErrorCode::ServerError.as_str(),
                error_description: "internal error",
                error_id: Some(&id),
            })
        }
        Failure::Unavailable(reason) => {
            tracing::warn!(%reason, "database unavailable");
            let mut builder = HttpResponse::ServiceUnavailable();
            no_store(&mut builder).insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS.to_string()));
            builder.json(ErrorBody {
                error: ErrorCode::TemporarilyUnavailable.as_str(),
                error_description: "the service is temporarily unavailable; retry later",
                error_id: None,
            })
        }
    }
}

/// 401 with a Bearer challenge (RFC 6750 §3). The description is fixed; the reason only goes to the log.
pub fn bearer_error(error: &OAuthError) -> HttpResponse {
    tracing::info!(error = %error.code, detail = error.detail.as_deref().unwrap_or(""), "bearer token refused");
    let challenge = format!(
        "Bearer realm=\"tessera\", error=\"{}\", error_description=\"{}\"",
        error.code.as_str(),
        error.description
    );
    let mut builder = HttpResponse::build(error.code.http_status());
    no_store(&mut builder);
    builder.insert_header((header::WWW_AUTHENTICATE, challenge)).json(ErrorBody {
        error: error.code.as_str(),
        error_description: error.description,
        error_id: None,
    })
}

/// A 303 to `location`: after a POST the browser must follow with GET (RFC 9700 §4.12), and it is as good after GET.
pub fn see_other(location: &str) -> HttpResponse {
    let mut builder = HttpResponse::SeeOther();
    no_store(&mut builder);
    builder.insert_header((header::LOCATION, location)).finish()
}

/// Carries an authorization response to the client: a 303 redirect, or the auto-submitting form of the Form Post
/// Response Mode (its own CSP allows its one script by hash).
pub fn authorization_response(response: AuthorizationResponse) -> HttpResponse {
    match response {
        AuthorizationResponse::Redirect(location) => see_other(&location),
        AuthorizationResponse::FormPost { action, fields } => {
            let mut page =
                html(StatusCode::OK, &FormPostPage { action: &action, fields: &fields, script: FORM_POST_SCRIPT });
            if let Ok(csp) = header::HeaderValue::from_str(&form_post_csp()) {
                page.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
            }
            page
        }
    }
}

/// An HTML page with `no-store` (pages carry CSRF tokens and personal data).
pub fn html(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => {
            let mut builder = HttpResponse::build(status);
            no_store(&mut builder);
            builder.content_type("text/html; charset=utf-8").body(body)
        }
        Err(e) => {
            let id = crate::error::InternalError::new("rendering a page", e).log();
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body(format!("Internal error. Error id: {id}"))
        }
    }
}

/// Our own error page: used whenever the error must not (or cannot) go back to the client.
pub fn error_page(failure: Failure) -> HttpResponse {
    match failure {
        Failure::OAuth(error) => {
            tracing::info!(error = %error.code, detail = error.detail.as_deref().unwrap_or(""), "request refused on the error page");
            let status = match error.code {
                ErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::AccessDenied => StatusCode::FORBIDDEN,
                _ => StatusCode::BAD_REQUEST,
            };
            html(status, &ErrorPage { title: "Sign-in request refused", message: error.description, error_id: None })
        }
        Failure::Internal(internal) => {
            let id = internal.log();
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                &ErrorPage {
                    title: "Something went wrong",
                    message: "The server could not complete the request.",
                    error_id: Some(&id),
                },
            )
        }
        Failure::Unavailable(reason) => {
            tracing::warn!(%reason, "database unavailable");
            let mut response = html(
                StatusCode::SERVICE_UNAVAILABLE,
                &ErrorPage {
                    title: "Temporarily unavailable",
                    message: "The service is temporarily unavailable. Please try again in a moment.",
                    error_id: None,
                },
            );
            response.headers_mut().insert(header::RETRY_AFTER, RETRY_AFTER_SECS.into());
            response
        }
    }
}
