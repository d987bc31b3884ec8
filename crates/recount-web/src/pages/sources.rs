//! `/sources`: the project's sources with their dependency groups, editable by analysts.

use super::{PageResult, layout, render};
use crate::App;
use crate::auth::Ctx;
use crate::i18n::t;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use maud::html;
use recount_types::{Source, SourceName};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn page(State(app): State<App>, ctx: Ctx, Query(q): Query<Saved>) -> PageResult {
    let (sources, counts) = app
        .db
        .call(|s| Ok((s.sources()?, s.records_per_source()?)))
        .await?;
    let lang = ctx.lang;
    let count_of = |name: &str| {
        counts
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, c)| *c)
    };
    let body = html! {
        h1 { (t(lang, "sources.title")) }
        p.intro { (t(lang, "sources.intro")) }
        @if q.saved.is_some() { p.notice.good role="status" { (t(lang, "sources.saved")) } }
        @if sources.is_empty() {
            p { (t(lang, "sources.none")) " " a href="/import" { (t(lang, "nav.import")) } }
        } @else {
            table {
                thead { tr {
                    th { (t(lang, "sources.name")) }
                    th.num { (t(lang, "sources.records")) }
                    th { (t(lang, "sources.group")) }
                    th { (t(lang, "sources.duplicates")) }
                    th {}
                } }
                tbody {
                    @for (id, source) in &sources {
                        @let form_id = format!("source-{}", id.0);
                        tr {
                            td { (source.name) }
                            td.num { (count_of(source.name.as_str())) }
                            td { input form=(form_id) name="dependency_group" value=[source.dependency_group.as_deref()] placeholder=(t(lang, "sources.own_group")) aria-label=(t(lang, "sources.group")); }
                            td { input form=(form_id) type="checkbox" name="contains_duplicates" value="1" checked[source.contains_duplicates] aria-label=(t(lang, "sources.duplicates")); }
                            td {
                                form id=(form_id) method="post" action="/sources" {
                                    input type="hidden" name="csrf_token" value=(ctx.csrf());
                                    input type="hidden" name="name" value=(source.name);
                                    button type="submit" { (t(lang, "sources.save")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(render(layout(&ctx, &t(lang, "sources.title"), body)))
}

#[derive(Debug, Deserialize)]
pub struct SourceForm {
    name: String,
    #[serde(default)]
    dependency_group: String,
    contains_duplicates: Option<String>,
}

pub async fn save(State(app): State<App>, ctx: Ctx, Form(form): Form<SourceForm>) -> PageResult {
    let user = ctx.user()?.id;
    let group = form.dependency_group.trim();
    let source = Source {
        name: SourceName(form.name.clone()),
        dependency_group: (!group.is_empty()).then(|| group.to_owned()),
        contains_duplicates: form.contains_duplicates.is_some(),
    };
    app.db
        .call(move |s| {
            let Some((id, _)) = s.source(source.name.as_str())? else {
                return Ok(());
            };
            s.put_source(&source)?;
            s.append_audit(Some(user), "source.update", &format!("source {}", id.0))
        })
        .await?;
    Ok(Redirect::to("/sources?saved=1").into_response())
}
