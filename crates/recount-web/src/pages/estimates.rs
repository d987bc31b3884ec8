//! `/estimates`: per stratum, the people documented and the estimated total with its interval,
//! as a table and a chart drawn on the server; the model and its warnings. Every role sees this
//! page; it holds aggregates only. Analysts run and publish a new estimate from it.

use super::{PageResult, layout, render};
use crate::App;
use crate::auth::Ctx;
use crate::chart::{self, Bar, Labels};
use crate::estimation::{self, By, EstimateRun};
use crate::i18n::{t, tf};
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use maud::html;
use recount_store::accounts::Role;
use serde::Deserialize;

/// The latest published run and when it was published.
pub async fn latest(app: &App) -> Result<Option<(String, EstimateRun)>, recount_store::StoreError> {
    let found = app.db.call(|s| s.latest_estimate()).await?;
    Ok(found.and_then(|(at, json)| serde_json::from_str(&json).ok().map(|run| (at, run))))
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    problem: Option<String>,
}

pub async fn page(State(app): State<App>, ctx: Ctx, Query(q): Query<Notice>) -> PageResult {
    let lang = ctx.lang;
    let latest = latest(&app).await?;
    let is_analyst = ctx.user.as_ref().is_some_and(|u| u.role >= Role::Analyst);
    let events: Vec<String> = if is_analyst {
        app.db
            .call(|s| s.event_vocabulary())
            .await?
            .terms()
            .map(str::to_owned)
            .collect()
    } else {
        Vec::new()
    };
    let body = html! {
        h1 { (t(lang, "estimates.title")) }
        p.intro { (t(lang, "estimates.intro")) }
        @if let Some(problem) = &q.problem { p.notice.bad role="alert" { (problem) } }
        @match &latest {
            None => p #no-estimates { (t(lang, "estimates.none")) },
            Some((at, run)) => {
                p.muted { (run.method) " · " (run.lists.join(", ")) " · " (at) }
                @let bars: Vec<Bar> = run.strata.iter().map(|s| Bar {
                    label: s.label.clone(),
                    documented: s.documented as f64,
                    estimate: s.estimate.as_ref().map(|e| (e.median, e.lower, e.upper)),
                }).collect();
                (chart::draw(&bars, &Labels {
                    title: &t(lang, "estimates.chart"),
                    documented: &t(lang, "estimates.legend.documented"),
                    estimated: &t(lang, "estimates.legend.estimated"),
                }))
                table #estimates {
                    thead { tr {
                        th { (t(lang, "estimates.stratum")) }
                        th.num { (t(lang, "estimates.documented")) }
                        th.num { (t(lang, "estimates.estimated")) }
                        th.num { (t(lang, "estimates.interval")) }
                        th { (t(lang, "estimates.model")) }
                        th { (t(lang, "estimates.warnings")) }
                    } }
                    tbody { @for s in &run.strata { tr {
                        td { (s.label) }
                        td.num { (s.documented) }
                        @if let Some(e) = &s.estimate {
                            td.num { (format!("{:.0}", e.median)) }
                            td.num { (format!("{:.0}–{:.0}", e.lower, e.upper)) }
                        } @else { td.num { "—" } td.num { "—" } }
                        td { code { (s.model) } }
                        td.warn { @for w in &s.warnings { (w) br; } }
                    } } }
                }
            }
        }
        @if is_analyst {
            form.filters method="post" action="/estimates/run" {
                input type="hidden" name="csrf_token" value=(ctx.csrf());
                label { (t(lang, "estimates.event"))
                    select name="event" {
                        option value="" { (t(lang, "records.any")) }
                        @for e in &events { option value=(e) { (e) } }
                    }
                }
                label { (t(lang, "estimates.by"))
                    select name="by" {
                        option value="none" { (t(lang, "estimates.by.none")) }
                        option value="month" { (t(lang, "estimates.by.month")) }
                        option value="year" { (t(lang, "estimates.by.year")) }
                    }
                }
                button type="submit" { (t(lang, "estimates.run")) }
            }
        }
    };
    Ok(render(layout(
        &ctx,
        &tf(lang, "estimates.title", &[]),
        body,
    )))
}

#[derive(Debug, Deserialize)]
pub struct RunForm {
    #[serde(default)]
    event: String,
    by: By,
}

/// Runs an estimate and publishes it; a run the data cannot support comes back as a message.
pub async fn run(State(app): State<App>, ctx: Ctx, Form(form): Form<RunForm>) -> PageResult {
    let user = ctx.user()?.id;
    let event = (!form.event.trim().is_empty()).then(|| form.event.trim().to_owned());
    let by = form.by;
    let outcome = app
        .db
        .call(move |s| {
            let result = estimation::run(s, event.as_deref(), by)?;
            if let Ok(run) = &result {
                let json = serde_json::to_string(run).unwrap_or_default();
                s.publish_estimate(Some(user), &json)?;
                s.append_audit(
                    Some(user),
                    "estimate",
                    &format!("{} strata, by {}", run.strata.len(), by.as_str()),
                )?;
            }
            Ok(result)
        })
        .await?;
    match outcome {
        Ok(_) => Ok(Redirect::to("/estimates").into_response()),
        Err(estimation::Unavailable(message)) => {
            let q = form_urlencoded::Serializer::new(String::new())
                .append_pair("problem", &message)
                .finish();
            Ok(Redirect::to(&format!("/estimates?{q}")).into_response())
        }
    }
}
