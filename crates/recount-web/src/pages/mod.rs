//! The pages: one module per page with its handlers and its markup; the shared layout and the
//! error pages are here.

pub mod audit;
pub mod estimates;
pub mod exports;
pub mod home;
pub mod import;
pub mod login;
pub mod persons;
pub mod records;
pub mod review;
pub mod sources;

use crate::auth::Ctx;
use crate::i18n::{Lang, lookup, t, tf};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use recount_store::accounts::Role;

/// A rendered page as a response.
pub fn render(markup: Markup) -> Response {
    Html(markup.into_string()).into_response()
}

/// A page's error: the environment failed (logged without personal data) or the request is
/// answered with a finished response (a redirect, a 404).
pub enum PageError {
    Store(recount_store::StoreError),
    Response(Box<Response>),
}

impl From<recount_store::StoreError> for PageError {
    fn from(e: recount_store::StoreError) -> Self {
        PageError::Store(e)
    }
}

impl From<Response> for PageError {
    fn from(r: Response) -> Self {
        PageError::Response(Box::new(r))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Response(r) => *r,
            PageError::Store(e) => {
                eprintln!("database error: {e}");
                error_page(
                    Lang::En,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "error.internal.title",
                    "error.internal.body",
                )
            }
        }
    }
}

pub type PageResult = Result<Response, PageError>;

fn nav_items(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut items = Vec::new();
    if role >= Role::Analyst {
        items.extend([
            ("/sources", "nav.sources"),
            ("/import", "nav.import"),
            ("/records", "nav.records"),
            ("/review", "nav.review"),
        ]);
    }
    items.push(("/estimates", "nav.estimates"));
    if role >= Role::Analyst {
        items.push(("/exports", "nav.exports"));
    }
    if role >= Role::Admin {
        items.push(("/audit", "nav.audit"));
    }
    items
}

/// The page shell: header with navigation, the signed-in user, the language switch and logout.
pub fn layout(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let lang = ctx.lang;
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · " (t(lang, "app.name")) }
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { (t(lang, "app.name")) }
                    nav {
                        @if let Some(user) = &ctx.user {
                            @for (href, key) in nav_items(user.role) {
                                @if ctx.path.starts_with(href) {
                                    a href=(href) aria-current="page" { (t(lang, key)) }
                                } @else {
                                    a href=(href) { (t(lang, key)) }
                                }
                            }
                        }
                    }
                    span.langs title=(t(lang, "nav.language")) {
                        @for l in Lang::ALL {
                            a href={ "/lang/" (l.code()) "?next=" (ctx.path) } aria-current=[(l == lang).then_some("true")] lang=(l.code()) { (l.code().to_uppercase()) }
                        }
                    }
                    @if let Some(user) = &ctx.user {
                        span.who { (tf(lang, "nav.signed_in_as", &[("name", &user.name), ("role", &t(lang, &format!("role.{}", user.role.as_str())))])) }
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf_token" value=(user.csrf);
                            button type="submit" { (t(lang, "nav.logout")) }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A full error page with a status.
pub fn error_page(lang: Lang, status: StatusCode, title_key: &str, body_key: &str) -> Response {
    let ctx = Ctx {
        lang,
        user: None,
        path: "/".into(),
    };
    let markup = layout(
        &ctx,
        &t(lang, title_key),
        html! {
            h1 { (t(lang, title_key)) }
            p { (t(lang, body_key)) }
            p { a href="/" { (t(lang, "error.back_home")) } }
        },
    );
    (status, Html(markup.into_string())).into_response()
}

/// The answer to an upload over the size limit.
pub fn too_large(lang: Lang, limit: usize, is_api: bool) -> Response {
    let limit_text = format!("{} MB", limit.div_ceil(1024 * 1024));
    let message = tf(lang, "import.too_large", &[("limit", &limit_text)]);
    if is_api {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(serde_json::json!({ "error": message })),
        )
            .into_response();
    }
    let ctx = Ctx {
        lang,
        user: None,
        path: "/import".into(),
    };
    let markup = layout(
        &ctx,
        &t(lang, "import.title"),
        html! {
            h1 { (t(lang, "import.title")) }
            p.notice.bad role="alert" { (message) }
            p { a href="/import" { (t(lang, "import.title")) } }
        },
    );
    (StatusCode::PAYLOAD_TOO_LARGE, Html(markup.into_string())).into_response()
}

/// Any address without a route.
pub async fn not_found(ctx: Ctx, request: axum::extract::Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        return crate::auth::api_error(StatusCode::NOT_FOUND, "no such endpoint");
    }
    not_found_page(ctx.lang)
}

pub fn not_found_page(lang: Lang) -> Response {
    error_page(
        lang,
        StatusCode::NOT_FOUND,
        "error.not_found.title",
        "error.not_found.body",
    )
}

/// The label of an informant kind.
pub fn informant_label(lang: Lang, informant: recount_types::Informant) -> String {
    t(lang, &format!("informant.{}", informant.as_str()))
}

/// An event term in the reader's language: the catalogue's label for the terms of vocabulary
/// v1, the term itself for a term an organisation added.
pub fn event_label(lang: Lang, term: &str) -> String {
    lookup(lang, &format!("event.{term}")).unwrap_or_else(|| term.to_owned())
}

/// A record's sex in the reader's language.
pub fn sex_label(lang: Lang, sex: recount_types::Sex) -> String {
    t(lang, &format!("sex.{}", sex.as_str()))
}

/// A link weight's name (a comparison of the linkage model, or one of its adjustments) in the
/// reader's language; a name the catalogue lacks is shown as it is.
pub fn weight_label(lang: Lang, name: &str) -> String {
    lookup(lang, &format!("weight.{name}")).unwrap_or_else(|| name.to_owned())
}
