//! `/audit`: who changed what, newest first (administrators only).

use super::{PageResult, layout, render};
use crate::App;
use crate::auth::Ctx;
use crate::i18n::t;
use axum::extract::State;
use maud::html;

pub async fn page(State(app): State<App>, ctx: Ctx) -> PageResult {
    let lang = ctx.lang;
    let entries = app.db.call(|s| s.audit_log(500)).await?;
    let body = html! {
        h1 { (t(lang, "audit.title")) }
        @if entries.is_empty() { p { (t(lang, "audit.none")) } } @else {
            table {
                thead { tr {
                    th { (t(lang, "audit.when")) } th { (t(lang, "audit.who")) }
                    th { (t(lang, "audit.action")) } th { (t(lang, "audit.detail")) }
                } }
                tbody { @for e in &entries { tr {
                    td { (e.at) } td { (e.user.as_deref().unwrap_or("—")) }
                    td { code { (e.action) } } td { (e.detail) }
                } } }
            }
        }
    };
    Ok(render(layout(&ctx, &t(lang, "audit.title"), body)))
}
