//! `/persons/{id}`: every record linked into one person side by side, the sources and who told
//! them, the count of independent sources, and the weights behind each link.

use super::records::fields;
use super::{PageError, PageResult, layout, render};
use crate::App;
use crate::auth::Ctx;
use crate::i18n::{Lang, t, tf};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use maud::{Markup, html};
use recount_store::StoredRecord;
use recount_types::{PersonId, Source};
use std::collections::BTreeSet;

/// A person as the page and the API show it.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub id: PersonId,
    pub records: Vec<StoredRecord>,
    /// Distinct dependency groups among the records' sources.
    pub independent_sources: usize,
    pub links: Vec<recount_store::desk::PairView>,
}

/// Loads a person; `None` when no record belongs to it.
pub async fn load(
    app: &App,
    id: PersonId,
) -> Result<Option<PersonView>, recount_store::StoreError> {
    app.db
        .call(move |s| {
            let keys = s.person_record_keys(id)?;
            if keys.is_empty() {
                return Ok(None);
            }
            let ids: Vec<_> = keys.iter().map(|(id, _)| *id).collect();
            let records = s.records_by_ids(&ids)?;
            let sources: Vec<Source> = s.sources()?.into_iter().map(|(_, s)| s).collect();
            let groups: BTreeSet<&str> = records
                .iter()
                .filter_map(|r| sources.iter().find(|s| s.name == r.record.source))
                .map(Source::independence_group)
                .collect();
            let links = s.pairs_among(&ids)?;
            Ok(Some(PersonView {
                id,
                independent_sources: groups.len(),
                records,
                links,
            }))
        })
        .await
}

pub async fn page(State(app): State<App>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let lang = ctx.lang;
    let Some(person) = load(&app, PersonId(id)).await? else {
        let mut r = super::error_page(
            lang,
            StatusCode::NOT_FOUND,
            "error.not_found.title",
            "person.not_found",
        );
        *r.status_mut() = StatusCode::NOT_FOUND;
        return Err(PageError::from(r.into_response()));
    };
    let title = tf(lang, "person.title", &[("id", &id.to_string())]);
    let body = html! {
        h1 { (title) }
        p {
            (tf(lang, "person.records", &[("n", &person.records.len().to_string())])) " · "
            strong #independent { (tf(lang, "person.independent", &[("n", &person.independent_sources.to_string())])) }
        }
        (side_by_side(lang, &person.records))
        @if !person.links.is_empty() {
            h2 { (t(lang, "person.links")) }
            (links_table(lang, &person))
        }
    };
    Ok(render(layout(&ctx, &title, body)))
}

/// Records as columns, fields as rows; a field only when some record has it.
pub fn side_by_side(lang: Lang, records: &[StoredRecord]) -> Markup {
    let per_record: Vec<Vec<(&'static str, String)>> =
        records.iter().map(|r| fields(lang, &r.record)).collect();
    let mut keys: Vec<&'static str> = Vec::new();
    for f in &per_record {
        for (k, _) in f {
            if !keys.contains(k) {
                keys.push(k);
            }
        }
    }
    // Keep the record model's field order whatever order the records revealed them in.
    let order = fields_order();
    keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
    html! {
        table.side-by-side {
            tbody {
                @for key in &keys {
                    tr {
                        th scope="row" { (t(lang, key)) }
                        @for f in &per_record {
                            @let value = f.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("");
                            @if *key == "field.quote" { td.quote { (value) } } @else { td { (value) } }
                        }
                    }
                }
            }
        }
    }
}

fn fields_order() -> [&'static str; 18] {
    [
        "field.source",
        "field.record_id",
        "field.name",
        "field.sex",
        "field.birth_date",
        "field.birth_place",
        "field.document_id",
        "field.age",
        "field.citizenship",
        "field.origin",
        "field.residence",
        "field.event",
        "field.event_date",
        "field.place",
        "field.informant",
        "field.report_id",
        "field.quote",
        "field.notes",
    ]
}

fn links_table(lang: Lang, person: &PersonView) -> Markup {
    let label = |id: recount_types::RecordId| {
        person
            .records
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| id.0.to_string(), |r| r.record.key().to_string())
    };
    html! {
        table.links {
            thead { tr {
                th { (t(lang, "field.record_id")) }
                th { (t(lang, "field.record_id")) }
                th.num { (t(lang, "person.link_probability")) }
                th { (t(lang, "review.weights")) }
                th {}
            } }
            tbody {
                @for link in &person.links {
                    tr {
                        td { (label(link.a)) }
                        td { (label(link.b)) }
                        td.num { (format!("{:.3}", link.score)) }
                        td { @for (field, w) in &link.weights { (super::weight_label(lang, field)) ": " (format!("{w:+.2}")) br; } }
                        td { @if let Some(d) = &link.decision { (tf(lang, "person.decided", &[("decision", &t(lang, &format!("review.{d}")))])) } }
                    }
                }
            }
        }
    }
}
