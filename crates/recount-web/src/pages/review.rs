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
            // After a linkage run its queue (the pairs whose decision changes the most persons
            // first); before any, every undecided pair of uncertain score.
            let (pairs, total) = if s.linkage_runs()? > 0 {
                s.review_queue(1)?
            } else {
                s.undecided_pairs(REVIEW_RANGE.0, REVIEW_RANGE.1, 1)?
            };
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
    /// Set after "Link records": how many persons the run made.
    linked: Option<u64>,
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
        @if let Some(n) = q.linked { p.notice.good #linked role="status" { (tf(lang, "review.linked", &[("n", &n.to_string())])) } }
        form.link method="post" action="/review/link" {
            input type="hidden" name="csrf_token" value=(ctx.csrf());
            button.secondary type="submit" { (t(lang, "review.link")) }
            " " span.hint { (t(lang, "review.link_hint")) }
        }
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
                    tbody { @for (field, w) in &pair.weights { tr { td { (super::weight_label(lang, field)) } td.num { (format!("{w:+.2}")) } } } }
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

/// "Link records": runs the pipeline's link step over every record (pairs, persons, the review
/// queue, honouring every decision so far), writes the audit line, and shows the queue.
pub async fn link(State(app): State<App>, ctx: Ctx) -> PageResult {
    let user = ctx.user()?.id;
    let outcome = app
        .db
        .call(move |s| {
            let request = recount_pipeline::link::LinkRequest::default();
            match recount_pipeline::link::run(s, &request, &mut ()) {
                Ok(o) => {
                    s.append_audit(
                        Some(user),
                        "link",
                        &format!(
                            "{} records, {} persons, {} pairs to review",
                            o.records, o.persons, o.review_queue
                        ),
                    )?;
                    Ok(Ok(o.persons))
                }
                Err(recount_pipeline::PipelineError::Store(e)) => Err(e),
                Err(e) => {
                    // Linkage reads no file, so this is not expected; the log has it, the page
                    // says so in the reader's language.
                    eprintln!("link: {e}");
                    Ok(Err(()))
                }
            }
        })
        .await?;
    match outcome {
        Ok(persons) => Ok(Redirect::to(&format!("/review?linked={persons}")).into_response()),
        Err(()) => {
            let lang = ctx.lang;
            let body = html! {
                h1 { (t(lang, "review.title")) }
                p.notice.bad role="alert" { (t(lang, "review.link_failed")) }
            };
            Ok(render(layout(&ctx, &t(lang, "review.title"), body)))
        }
    }
}
