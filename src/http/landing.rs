//! `GET /`: a small page saying what this server is, with a link to the account page and, on a fresh install with
//! no client yet, what to do next.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

use super::blocking;
use super::pages::LandingHtml;
use super::render::{ACCOUNT_URL, error_page, html, look};
use super::state::State;
use crate::oauth::landing::landing;

pub async fn index(state: State, req: HttpRequest) -> HttpResponse {
    let worker = state.clone();
    let facts = blocking(state.core(), move || landing(&worker.provider)).await;
    let look = look(&state, &req, None);
    match facts {
        Ok(facts) => html(StatusCode::OK, &LandingHtml { look, fresh: facts.fresh, account_url: ACCOUNT_URL }),
        Err(failure) => error_page(look, failure),
    }
}
