//! `/exports`: the project's records and persons as CSV downloads (formula-injection safe).

use super::{PageResult, layout, render};
use crate::App;
use crate::auth::Ctx;
use crate::exporting;
use crate::i18n::t;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use maud::html;

pub async fn page(ctx: Ctx) -> PageResult {
    let lang = ctx.lang;
    let body = html! {
        h1 { (t(lang, "exports.title")) }
        p.intro { (t(lang, "exports.intro")) }
        ul {
            li { (t(lang, "exports.records")) " — " a href="/exports/records.csv" download { (t(lang, "exports.download")) } }
            li { (t(lang, "exports.persons")) " — " a href="/exports/persons.csv" download { (t(lang, "exports.download")) } }
        }
    };
    Ok(render(layout(&ctx, &t(lang, "exports.title"), body)))
}

pub async fn download(State(app): State<App>, ctx: Ctx, Path(kind): Path<String>) -> PageResult {
    let user = ctx.user()?.id;
    let kind = match kind.as_str() {
        "records.csv" => "records",
        "persons.csv" => "persons",
        _ => return Ok(super::not_found_page(ctx.lang)),
    };
    let bytes = app
        .db
        .call(move |s| {
            let bytes = if kind == "records" {
                exporting::records_csv(s)?
            } else {
                exporting::persons_csv(s)?
            };
            s.append_audit(Some(user), "export", kind)?;
            Ok(bytes)
        })
        .await?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{kind}.csv\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
