//! `/review`: the most uncertain pair side by side with its per-field weights; same, different
//! or unsure (keys s, d, u through our script; plain buttons without it). A decision changes the
//! persons at once.

use super::persons::side_by_side;
use super::{PageResult, layout, render};
use crate::App;
use crate::auth::Ctx;
use crate::i18n::{t, tf};
use crate::linkage::{self, Decision, REVIEW_RANGE};
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use maud::html;
use recount_store::StoredRecord;
use recount_store::desk::PairView;
use recount_types::RecordId;
use serde::Deserialize;

/// The next pair to review with its two records, and how many wait.
pub async fn next_pair(
    app: &App,
) -> Result<(Option<(PairView, Vec<StoredRecord>)>, u64), recount_store::StoreError> {
    app.db
        .call(|s| {
            let (pairs, total) = s.undecided_pairs(REVIEW_RANGE.0, REVIEW_RANGE.1, 1)?;
            let Some(pair) = pairs.into_iter().next() else {
                return Ok((None, total));
            };
            let records = s.records_by_ids(&[pair.a, pair.b])?;
            Ok((Some((pair, records)), total))
        })
        .await
}

#[derive(Debug, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn page(State(app): State<App>, ctx: Ctx, Query(q): Query<Saved>) -> PageResult {
    let lang = ctx.lang;
    let (next, total) = next_pair(&app).await?;
    let saved = q.saved.as_deref().and_then(|d| match d {
        "same" | "different" | "unsure" => Some(t(lang, &format!("review.{d}"))),
        _ => None,
    });
    let body = html! {
        h1 { (t(lang, "review.title")) }
        p.intro { (t(lang, "review.intro")) }
        @if let Some(d) = saved { p.notice.good role="status" { (tf(lang, "review.saved", &[("decision", &d)])) } }
        @match &next {
            None => p #review-empty { (t(lang, "review.none")) },
            Some((pair, records)) => {
                p { (tf(lang, "review.left", &[("n", &total.to_string())])) " · "
                    strong { (tf(lang, "review.probability", &[("p", &format!("{:.3}", pair.score))])) } }
                (side_by_side(lang, records))
                form.decisions method="post" action="/review" {
                    input type="hidden" name="csrf_token" value=(ctx.csrf());
                    input type="hidden" name="a" value=(pair.a.0);
                    input type="hidden" name="b" value=(pair.b.0);
                    button type="submit" name="decision" value="same" data-key="s" { (t(lang, "review.same")) kbd { "s" } }
                    button.secondary type="submit" name="decision" value="different" data-key="d" { (t(lang, "review.different")) kbd { "d" } }
                    button.secondary type="submit" name="decision" value="unsure" data-key="u" { (t(lang, "review.unsure")) kbd { "u" } }
                }
                h2 { (t(lang, "review.weights")) }
                table.weights {
                    thead { tr { th { (t(lang, "review.field")) } th.num { (t(lang, "review.weight")) } } }
                    tbody { @for (field, w) in &pair.weights { tr { td { (field) } td.num { (format!("{w:+.2}")) } } } }
                }
            }
        }
    };
    Ok(render(layout(&ctx, &t(lang, "review.title"), body)))
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    a: i64,
    b: i64,
    decision: Decision,
}

/// Applies a decision and writes the audit line.
pub async fn apply(
    app: &App,
    ctx: &Ctx,
    a: RecordId,
    b: RecordId,
    decision: Decision,
) -> Result<(), recount_store::StoreError> {
    let user = ctx.user.as_ref().map(|u| (u.id, u.name.clone()));
    app.db
        .call(move |s| {
            let (id, name) = user.unzip();
            linkage::decide(s, a, b, decision, name.as_deref().unwrap_or("?"))?;
            s.append_audit(
                id,
                "review",
                &format!("records {} and {}: {}", a.0, b.0, decision.as_str()),
            )
        })
        .await
}

pub async fn decide(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<DecisionForm>,
) -> PageResult {
    ctx.user()?;
    apply(
        &app,
        &ctx,
        RecordId(form.a),
        RecordId(form.b),
        form.decision,
    )
    .await?;
    Ok(Redirect::to(&format!("/review?saved={}", form.decision.as_str())).into_response())
}
