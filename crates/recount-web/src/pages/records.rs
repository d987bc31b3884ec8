//! `/records`: records filtered by event, date, place and source, and searched by a name in any
//! script through the name engine's keys (`Бекболат` finds `Bekbolat`).

use super::{PageResult, informant_label, layout, render};
use crate::App;
use crate::auth::Ctx;
use crate::i18n::{Lang, t, tf};
use axum::extract::{Query, State};
use maud::{Markup, html};
use recount_store::StoredRecord;
use recount_store::desk::{PageCursor, RecordFilter, RecordPage};
use recount_types::{EventDate, Record};
use serde::Deserialize;

pub const PAGE_SIZE: u64 = 50;
/// Matches are counted up to this many ("more than 1000"): counting further costs every page.
const COUNT_LIMIT: u64 = 1_000;

/// The filter as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct RecordQuery {
    /// A name in any script.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub place: String,
    /// The earliest date, YYYY, YYYY-MM or YYYY-MM-DD.
    #[serde(default)]
    pub from: String,
    /// The latest date.
    #[serde(default)]
    pub to: String,
    /// Where the page starts: the `next` cursor of the page before (absent: the first page).
    #[serde(default)]
    pub after: String,
    /// The page's number, from 1, as shown; `after` says where it starts.
    pub page: Option<u64>,
}

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The name engine's keys of a searched name, one group per token.
///
/// Each word is prepared on its own, so a record matches when every searched word matches one
/// part of its name in any order. Daitch–Mokotoff codes are left out: they serve linkage's
/// recall, and would flood a search with sound-alikes.
pub fn name_key_groups(name: &str) -> Vec<Vec<String>> {
    name.split_whitespace()
        .map(|word| {
            recount_names::PreparedName::parse(word)
                .blocking_keys()
                .into_iter()
                .filter(|k| !k.starts_with("dm:"))
                .collect::<Vec<_>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

impl RecordQuery {
    /// The store's filter; a date that does not parse is ignored and reported back.
    pub fn filter(&self) -> (RecordFilter, Vec<String>) {
        let mut bad = Vec::new();
        let mut day = |s: &str, last: bool| -> Option<i32> {
            let s = some(s)?;
            match s.parse::<EventDate>() {
                Ok(d) => Some(if last { d.last_day() } else { d.first_day() }),
                Err(_) => {
                    bad.push(s);
                    None
                }
            }
        };
        let from_day = day(&self.from, false);
        let to_day = day(&self.to, true);
        let filter = RecordFilter {
            name_key_groups: some(&self.q)
                .map(|q| name_key_groups(&q))
                .unwrap_or_default(),
            event: some(&self.event),
            source: some(&self.source),
            place: some(&self.place),
            from_day,
            to_day,
        };
        (filter, bad)
    }

    /// The page's number, 1 for the first page (which has no cursor).
    pub fn page(&self) -> u64 {
        if self.cursor().is_none() {
            1
        } else {
            self.page.unwrap_or(2).max(2)
        }
    }

    /// The cursor the page starts after; one that does not parse starts from the beginning.
    pub fn cursor(&self) -> Option<PageCursor> {
        some(&self.after).and_then(|a| a.parse().ok())
    }

    fn with_page(&self, page: u64, after: Option<PageCursor>) -> String {
        let pairs = [
            ("q", &self.q),
            ("event", &self.event),
            ("source", &self.source),
            ("place", &self.place),
            ("from", &self.from),
            ("to", &self.to),
        ];
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            if !v.is_empty() {
                out.append_pair(k, v);
            }
        }
        if let Some(after) = after {
            out.append_pair("after", &after.to_string());
            out.append_pair("page", &page.to_string());
        }
        format!("/records?{}", out.finish())
    }
}

/// A page of records found, read in full.
pub struct Found {
    pub page: RecordPage,
    pub records: Vec<StoredRecord>,
}

/// Runs a query: the page's records, read in full, and the count; then `more` with the same
/// connection (the page's other data, in one trip to the database).
pub async fn search<T: Send + 'static>(
    app: &App,
    query: &RecordQuery,
    more: impl FnOnce(&recount_store::Store) -> Result<T, recount_store::StoreError> + Send + 'static,
) -> Result<(Found, T), recount_store::StoreError> {
    let (filter, _) = query.filter();
    let after = query.cursor();
    let names = app.names.clone();
    app.db
        .call(move |s| {
            let page = s.find_records(&filter, after, PAGE_SIZE, COUNT_LIMIT, &names)?;
            let ids: Vec<_> = page.keys.iter().map(|(id, _)| *id).collect();
            let records = s.records_by_ids(&ids)?;
            Ok((Found { page, records }, more(s)?))
        })
        .await
}

pub async fn page(
    State(app): State<App>,
    ctx: Ctx,
    Query(query): Query<RecordQuery>,
) -> PageResult {
    let lang = ctx.lang;
    let (_, bad_dates) = query.filter();
    let (
        Found {
            page: found,
            records,
        },
        (sources, vocab),
    ) = search(&app, &query, |s| Ok((s.sources()?, s.event_vocabulary()?))).await?;
    let events: Vec<String> = vocab.terms().map(str::to_owned).collect();
    let page = query.page();
    let total = if found.total_is_lower_bound {
        format!("> {}", found.total)
    } else {
        found.total.to_string()
    };
    let body = html! {
        h1 { (t(lang, "records.title")) }
        form.filters method="get" action="/records" role="search" {
            label { (t(lang, "records.search")) input name="q" value=(query.q) autofocus; }
            label { (t(lang, "records.event"))
                select name="event" {
                    option value="" { (t(lang, "records.any")) }
                    @for e in &events { option value=(e) selected[*e == query.event] { (super::event_label(lang, e)) } }
                }
            }
            label { (t(lang, "records.source"))
                select name="source" {
                    option value="" { (t(lang, "records.any")) }
                    @for (_, s) in &sources { option value=(s.name) selected[s.name.as_str() == query.source] { (s.name) } }
                }
            }
            label { (t(lang, "records.place")) input name="place" value=(query.place); }
            label { (t(lang, "records.date_from")) input name="from" value=(query.from) placeholder="2022-09" size="10"; }
            label { (t(lang, "records.date_to")) input name="to" value=(query.to) placeholder="2022-12" size="10"; }
            button type="submit" { (t(lang, "records.filter")) }
        }
        @for d in &bad_dates { p.notice.bad { (d) ": " (t(lang, "import.problem.expected")) " " (t(lang, "records.date_forms")) } }
        p #record-count { (tf(lang, "records.count", &[("n", &total)])) }
        @if records.is_empty() {
            p { (t(lang, "records.none")) }
        } @else {
            (record_table(lang, &records))
            nav.pages {
                @if page > 1 {
                    a href=(query.with_page(1, None)) rel="first" { (t(lang, "records.first")) } " "
                    span { (tf(lang, "records.page", &[("n", &page.to_string())])) } " "
                }
                @if let Some(next) = found.next { a href=(query.with_page(page + 1, Some(next))) rel="next" { (t(lang, "records.next")) } }
            }
        }
    };
    Ok(render(layout(&ctx, &t(lang, "records.title"), body)))
}

/// A compact table of records, each linking to its person.
pub fn record_table(lang: Lang, records: &[StoredRecord]) -> Markup {
    html! {
        table.records {
            thead { tr {
                th { (t(lang, "field.source")) }
                th { (t(lang, "field.record_id")) }
                th { (t(lang, "field.name")) }
                th { (t(lang, "field.event")) }
                th { (t(lang, "field.event_date")) }
                th { (t(lang, "field.place")) }
                th { (t(lang, "field.age")) }
                th { (t(lang, "field.informant")) }
                th { (t(lang, "field.person")) }
            } }
            tbody {
                @for r in records {
                    @let rec = &r.record;
                    tr {
                        td { (rec.source) }
                        td { (rec.record_id) }
                        td.name { (rec.full_name().unwrap_or_default()) }
                        td { (rec.event.as_ref().map(|e| super::event_label(lang, e.as_str())).unwrap_or_default()) }
                        td { (opt(rec.event_date.as_ref())) }
                        td { (rec.place.as_deref().unwrap_or("")) }
                        td { (opt(rec.age.as_ref())) }
                        td { (rec.informant.map(|i| informant_label(lang, i)).unwrap_or_default()) }
                        td { @if let Some(p) = r.person { a href={ "/persons/" (p.0) } { (p.0) } } }
                    }
                }
            }
        }
    }
}

pub fn opt<T: std::fmt::Display>(v: Option<&T>) -> String {
    v.map(ToString::to_string).unwrap_or_default()
}

/// Every field of a record as (label key, value) pairs, the empty ones left out.
pub fn fields(lang: Lang, rec: &Record) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("field.source", rec.source.to_string()),
        ("field.record_id", rec.record_id.clone()),
        ("field.name", rec.full_name().unwrap_or_default()),
        (
            "field.sex",
            rec.sex
                .map(|s| super::sex_label(lang, s))
                .unwrap_or_default(),
        ),
        ("field.birth_date", opt(rec.birth_date.as_ref())),
        (
            "field.birth_place",
            rec.birth_place.clone().unwrap_or_default(),
        ),
        (
            "field.document_id",
            rec.document_id.clone().unwrap_or_default(),
        ),
        ("field.age", opt(rec.age.as_ref())),
        (
            "field.citizenship",
            rec.citizenship
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("field.origin", opt(rec.origin.as_ref())),
        ("field.residence", rec.residence.clone().unwrap_or_default()),
        (
            "field.event",
            rec.event
                .as_ref()
                .map(|e| super::event_label(lang, e.as_str()))
                .unwrap_or_default(),
        ),
        ("field.event_date", opt(rec.event_date.as_ref())),
        ("field.place", rec.place.clone().unwrap_or_default()),
        (
            "field.informant",
            rec.informant
                .map(|i| informant_label(lang, i))
                .unwrap_or_default(),
        ),
        ("field.report_id", rec.report_id.clone().unwrap_or_default()),
        ("field.quote", rec.quote.clone().unwrap_or_default()),
        ("field.notes", rec.notes.clone().unwrap_or_default()),
    ];
    out.retain(|(_, v)| !v.is_empty());
    out
}
