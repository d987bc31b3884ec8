//! `/audit`: who changed what, newest first (administrators only). Each entry's action and
//! detail are worded in the reader's language; the entry itself is kept as the desk wrote it.

use super::{PageResult, layout, render};
use crate::App;
use crate::auth::Ctx;
use crate::i18n::{Lang, lookup, t, tf};
use axum::extract::State;
use maud::html;

/// An action's label; the code itself when the catalogue has none.
fn action_label(lang: Lang, action: &str) -> String {
    lookup(lang, &format!("audit.action.{action}")).unwrap_or_else(|| action.to_owned())
}

/// A detail in the reader's language. The desk writes details in English from fixed forms
/// (see the `append_audit` calls); the form is recognised by writing it again from the numbers
/// and words found, and only an exact match is reworded, so anything else shows as written.
fn detail_text(lang: Lang, action: &str, detail: &str) -> String {
    if lang == Lang::En || detail.is_empty() {
        return detail.to_owned();
    }
    let n: Vec<&str> = detail
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let last = detail.rsplit([' ', ',']).next().unwrap_or("");
    let word = |prefix: &str, w: &str| t(lang, &format!("{prefix}.{w}"));
    let (english, key, args): (String, &str, Vec<(&str, String)>) = match (action, n.as_slice()) {
        ("import", [records, rows]) => (
            format!("{records} records, {rows} rows"),
            "audit.detail.import",
            vec![("records", records.to_string()), ("rows", rows.to_string())],
        ),
        ("link", [records, persons, pairs]) => (
            format!("{records} records, {persons} persons, {pairs} pairs to review"),
            "audit.detail.link",
            vec![
                ("records", records.to_string()),
                ("persons", persons.to_string()),
                ("pairs", pairs.to_string()),
            ],
        ),
        ("review", [a, b]) => (
            format!("records {a} and {b}: {last}"),
            "audit.detail.review",
            vec![
                ("a", a.to_string()),
                ("b", b.to_string()),
                ("decision", word("review", last)),
            ],
        ),
        ("estimate", [strata]) => {
            let by = detail
                .split(", ")
                .nth(1)
                .and_then(|b| b.strip_prefix("by "))
                .unwrap_or("");
            (
                format!("{strata} strata, by {by}, {last}"),
                "audit.detail.estimate",
                vec![
                    ("strata", strata.to_string()),
                    ("by", word("estimates.by", by)),
                    ("method", word("estimates.method", last)),
                ],
            )
        }
        ("source.update", [id]) => (
            format!("source {id}"),
            "audit.detail.source",
            vec![("id", id.to_string())],
        ),
        ("user.add", [id]) => (
            format!("user {id} with role {last}"),
            "audit.detail.user_add",
            vec![("id", id.to_string()), ("role", word("role", last))],
        ),
        ("export", []) if matches!(detail, "records" | "persons") => (
            detail.to_owned(),
            "audit.detail.export",
            vec![("what", word("audit.export", detail))],
        ),
        _ => return detail.to_owned(),
    };
    if english != detail {
        return detail.to_owned();
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    tf(lang, key, &args)
}

pub async fn page(State(app): State<App>, ctx: Ctx) -> PageResult {
    let lang = ctx.lang;
    let entries = app.db.call(|s| s.audit_log(500)).await?;
    let body = html! {
        h1 { (t(lang, "audit.title")) }
        @if entries.is_empty() { p { (t(lang, "audit.none")) } } @else {
            table #audit {
                thead { tr {
                    th { (t(lang, "audit.when")) } th { (t(lang, "audit.who")) }
                    th { (t(lang, "audit.action")) } th { (t(lang, "audit.detail")) }
                } }
                tbody { @for e in &entries { tr {
                    td { (e.at) } td { (e.user.as_deref().unwrap_or("—")) }
                    td data-action=(e.action) { (action_label(lang, &e.action)) }
                    td { (detail_text(lang, &e.action, &e.detail)) }
                } } }
            }
        }
    };
    Ok(render(layout(&ctx, &t(lang, "audit.title"), body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_the_desk_writes_are_reworded_and_others_kept() {
        for (action, detail, want) in [
            ("import", "3 records, 3 rows", "записей: 3, строк: 3"),
            (
                "link",
                "14 records, 10 persons, 2 pairs to review",
                "записей: 14, лиц: 10, пар на проверку: 2",
            ),
            (
                "review",
                "records 4 and 9: same",
                "записи 4 и 9: Один человек",
            ),
            (
                "estimate",
                "2 strata, by month, lcmcr",
                "групп: 2, по месяцам, латентные классы (LCMCR)",
            ),
            (
                "user.add",
                "user 3 with role viewer",
                "пользователь 3 с ролью наблюдатель",
            ),
            ("export", "persons", "люди"),
            // Not the form the desk writes: kept as written.
            ("import", "source 1: 3 records", "source 1: 3 records"),
            ("unknown", "7 things", "7 things"),
        ] {
            assert_eq!(detail_text(Lang::Ru, action, detail), want, "{action}");
            assert_eq!(detail_text(Lang::En, action, detail), detail);
        }
    }
}
