//! `/` (start page), `/lang/{code}` (the language switch) and `/static/{file}` (embedded assets).

use super::{layout, render};
use crate::App;
use crate::auth::{self, Ctx, LANG_COOKIE};
use crate::i18n::{Lang, t};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use recount_store::accounts::Role;
use serde::Deserialize;

pub async fn page(ctx: Ctx) -> Response {
    let Some(user) = &ctx.user else {
        return Redirect::to("/login").into_response();
    };
    let lang = ctx.lang;
    let body = html! {
        h1 { (t(lang, "app.tagline")) }
        p.intro { (t(lang, "home.intro")) }
        ul {
            @if user.role >= Role::Analyst {
                li { a href="/import" { (t(lang, "nav.import")) } }
                li { a href="/records" { (t(lang, "nav.records")) } }
                li { a href="/review" { (t(lang, "nav.review")) } }
            }
            li { a href="/estimates" { (t(lang, "nav.estimates")) } }
        }
    };
    render(layout(&ctx, &t(lang, "home.title"), body))
}

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Sets the language cookie and goes back to the page (a local path only, never another site).
pub async fn switch_language(
    State(app): State<App>,
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> Response {
    let Some(lang) = Lang::from_code(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let next = q
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".into());
    let mut response = Redirect::to(&next).into_response();
    let cookie = auth::set_cookie(
        LANG_COOKIE,
        lang.code(),
        Some(365 * 24 * 3600),
        app.settings.tls,
    );
    if let Ok(v) = cookie.parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, content_type) = match file.as_str() {
        "app.css" => (
            include_str!("../../assets/app.css"),
            "text/css; charset=utf-8",
        ),
        "app.js" => (
            include_str!("../../assets/app.js"),
            "text/javascript; charset=utf-8",
        ),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}
