//! `/estimates`: per stratum, the people documented and the estimated total with its interval,
//! as a table and a chart drawn on the server; the model and its warnings in the reader's
//! language. Every role sees this page; it holds aggregates only. Analysts run and publish a new
//! estimate from it (the same library path and settings as `recount estimate`), computed in the
//! background (see [`crate::jobs`]).

use super::{PageResult, layout, render};
use crate::App;
use crate::auth::Ctx;
use crate::chart::{self, Bar, Labels};
use crate::estimation::{By, EstimateMethod, EstimateRun, Note, Request, Unavailable};
use crate::i18n::{Lang, lookup, t, tf};
use crate::jobs;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect};
use maud::{Markup, html};
use recount_store::accounts::Role;
use serde::Deserialize;
use serde_json::Value;

/// How often the "computing" page reloads itself, in seconds.
const REFRESH_SECONDS: &str = "3";

/// The latest published run and when it was published (runs in an older published form are
/// not shown: run the estimate again).
pub async fn latest(app: &App) -> Result<Option<(String, EstimateRun)>, recount_store::StoreError> {
    let found = app.db.call(|s| s.latest_estimate()).await?;
    Ok(found.and_then(|(at, json)| {
        serde_json::from_str::<EstimateRun>(&json)
            .ok()
            .map(|run| (at, run))
    }))
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    problem: Option<String>,
}

/// A number for a placeholder, as the estimator rounded it (see
/// [`crate::estimation::warning_note`]); a decimal comma in Russian.
fn value_text(lang: Lang, v: &Value) -> String {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => return s.clone(),
        other => other.to_string(),
    };
    match lang {
        Lang::Ru => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A note in the reader's language. The estimator's warnings and refusals are the library's
/// own English sentences (what `recount estimate` prints) in English, and the catalogue's
/// `note.<code>` with its values in other languages; other notes come from the catalogue in
/// every language. A note without a wording keeps its English text (a test checks that Russian
/// words every warning and refusal the library has).
pub fn note_text(lang: Lang, note: &Note) -> String {
    let from_library = note
        .code
        .as_deref()
        .is_some_and(|c| c.starts_with("warning.") || c.starts_with("refusal."));
    if lang == Lang::En && from_library {
        return note.text.clone();
    }
    let worded = note.code.as_deref().and_then(|code| {
        let mut s = lookup(lang, &format!("note.{code}"))?;
        for (name, value) in &note.values {
            s = s.replace(&format!("{{{name}}}"), &value_text(lang, value));
        }
        Some(s)
    });
    worded.unwrap_or_else(|| note.text.clone())
}

/// A stratum's name in the reader's language.
pub fn stratum_label(lang: Lang, name: &str) -> String {
    match name {
        "" => t(lang, "estimates.stratum.all"),
        "unknown" => t(lang, "estimates.stratum.unknown"),
        other => other.to_owned(),
    }
}

fn method_label(lang: Lang, method: EstimateMethod) -> String {
    t(lang, &format!("estimates.method.{}", method.as_str()))
}

fn chains_text(lang: Lang, c: &crate::estimation::Chains) -> String {
    tf(
        lang,
        "estimates.chains",
        &[
            ("chains", &c.chains.to_string()),
            (
                "rhat",
                &c.rhat.map_or("—".to_owned(), |r| format!("{r:.3}")),
            ),
            ("ess", &format!("{:.0}", c.effective_draws)),
        ],
    )
}

fn published(lang: Lang, at: &str, run: &EstimateRun) -> Markup {
    let event = run
        .event
        .as_deref()
        .map_or_else(|| t(lang, "records.any"), |e| super::event_label(lang, e));
    let bars: Vec<Bar> = run
        .strata
        .iter()
        .map(|s| Bar {
            label: stratum_label(lang, &s.name),
            documented: s.documented as f64,
            estimate: s.estimate.as_ref().map(|e| (e.median, e.lower, e.upper)),
        })
        .collect();
    let level = run
        .strata
        .iter()
        .find_map(|s| s.estimate.as_ref().map(|e| e.level))
        .unwrap_or(0.95);
    let percent = format!("{:.0}", level * 100.0);
    html! {
        p.muted #run-summary {
            (tf(lang, "estimates.summary", &[
                ("method", &method_label(lang, run.method)),
                ("event", &event),
                ("by", &t(lang, &format!("estimates.by.{}", run.by.as_str()))),
                ("lists", &run.lists.join(", ")),
                ("at", at),
            ]))
        }
        (chart::draw(&bars, &Labels {
            title: &t(lang, "estimates.chart"),
            documented: &t(lang, "estimates.legend.documented"),
            estimated: &tf(lang, "estimates.legend.estimated", &[("level", &percent)]),
        }))
        @if let Some(l) = &run.linkage {
            p.notice.warn #estimate-linkage { (note_text(lang, l)) }
        }
        table #estimates {
            thead { tr {
                th { (t(lang, "estimates.stratum")) }
                th.num { (t(lang, "estimates.documented")) }
                th.num { (t(lang, "estimates.estimated")) }
                th.num { (tf(lang, "estimates.interval", &[("level", &percent)])) }
                th { (t(lang, "estimates.model")) }
                th { (t(lang, "estimates.warnings")) }
            } }
            tbody {
                @for s in &run.strata { tr {
                    td { (stratum_label(lang, &s.name)) }
                    td.num { (s.documented) }
                    @if let Some(e) = &s.estimate {
                        td.num { (format!("{:.0}", e.median)) }
                        td.num { (format!("{:.0}–{:.0}", e.lower, e.upper)) }
                    } @else { td.num { "—" } td.num { "—" } }
                    td {
                        @if let Some(m) = &s.model {
                            @if m.code.is_some() { (note_text(lang, m)) } @else { code { (m.text) } }
                        }
                        @if let Some(c) = &s.chains { br; span.muted { (chains_text(lang, c)) } }
                    }
                    td.warn {
                        @if let Some(r) = &s.refused { strong { (t(lang, "estimates.refused")) } " " (note_text(lang, r)) br; }
                        @for w in &s.warnings { (note_text(lang, w)) br; }
                    }
                } }
                @if let Some(total) = &run.total { tr.total {
                    th scope="row" { (t(lang, "estimates.total")) }
                    td.num { (total.documented) }
                    td.num { (format!("{:.0}", total.estimate.median)) }
                    td.num { (format!("{:.0}–{:.0}", total.estimate.lower, total.estimate.upper)) }
                    td { (note_text(lang, &total.combination)) }
                    td.warn { @for w in &run.warnings { (note_text(lang, w)) br; } }
                } }
            }
        }
    }
}

fn run_form(lang: Lang, csrf: &str, events: &[String], busy: bool) -> Markup {
    html! {
        form.filters method="post" action="/estimates/run" {
            input type="hidden" name="csrf_token" value=(csrf);
            label { (t(lang, "estimates.event"))
                select name="event" {
                    option value="" { (t(lang, "records.any")) }
                    @for e in events { option value=(e) { (super::event_label(lang, e)) } }
                }
            }
            label { (t(lang, "estimates.by"))
                select name="by" {
                    @for by in By::ALL { option value=(by.as_str()) { (t(lang, &format!("estimates.by.{}", by.as_str()))) } }
                }
            }
            label { (t(lang, "estimates.method"))
                select name="method" {
                    @for m in EstimateMethod::ALL { option value=(m.as_str()) { (method_label(lang, m)) } }
                }
            }
            button type="submit" disabled[busy] { (t(lang, "estimates.run")) }
        }
        p.hint.muted { (t(lang, "estimates.method_hint")) }
    }
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
    let running = app.estimates.running();
    // A problem named in the address (this request's run) or left by the last background run.
    let problem = q
        .problem
        .as_deref()
        .and_then(Unavailable::from_code)
        .or_else(|| app.estimates.failed().filter(|_| is_analyst));
    let body = html! {
        h1 { (t(lang, "estimates.title")) }
        p.intro { (t(lang, "estimates.intro")) }
        @if let Some(problem) = problem {
            p.notice.bad #estimate-problem role="alert" { (t(lang, &format!("estimates.problem.{}", problem.code()))) }
        }
        @if let Some(r) = &running {
            div.notice #computing role="status" {
                (tf(lang, "estimates.computing", &[
                    ("method", &method_label(lang, r.method)),
                    ("seconds", &r.started.elapsed().as_secs().to_string()),
                ]))
                @if let Some(p) = r.percent() {
                    " " progress max="100" value=(p) { (p) "%" } " " (p) "%"
                }
                br; span.muted { (t(lang, "estimates.computing_hint")) }
            }
        }
        @match &latest {
            None => p #no-estimates { (t(lang, "estimates.none")) },
            Some((at, run)) => (published(lang, at, run)),
        }
        @if is_analyst { (run_form(lang, ctx.csrf(), &events, running.is_some())) }
    };
    let mut response = render(layout(&ctx, &t(lang, "estimates.title"), body));
    if running.is_some() {
        // A plain reload (the Refresh header) keeps the page free of script.
        response
            .headers_mut()
            .insert(header::REFRESH, HeaderValue::from_static(REFRESH_SECONDS));
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct RunForm {
    #[serde(default)]
    event: String,
    by: By,
    #[serde(default = "default_method")]
    method: EstimateMethod,
}

fn default_method() -> EstimateMethod {
    EstimateMethod::Loglinear
}

fn with_problem(problem: Unavailable) -> axum::response::Response {
    Redirect::to(&format!("/estimates?problem={}", problem.code())).into_response()
}

/// Starts an estimate; answers with its result when it is ready within `estimate_wait`, else
/// with the page's "computing" state.
pub async fn run(State(app): State<App>, ctx: Ctx, Form(form): Form<RunForm>) -> PageResult {
    let user = ctx.user()?.id;
    let event = (!form.event.trim().is_empty()).then(|| form.event.trim().to_owned());
    let request = Request {
        event,
        by: form.by,
        method: form.method,
    };
    let mut handle = match jobs::start(&app, user, request) {
        Ok(h) => h,
        Err(problem) => return Ok(with_problem(problem)),
    };
    if app.settings.estimate_wait.is_zero() {
        return Ok(Redirect::to("/estimates").into_response());
    }
    match tokio::time::timeout(app.settings.estimate_wait, &mut handle).await {
        Ok(Ok(Ok(()))) => Ok(Redirect::to("/estimates").into_response()),
        Ok(Ok(Err(problem))) => {
            // Reported in this answer: later visits need not repeat it.
            app.estimates.clear_failed();
            Ok(with_problem(problem))
        }
        Ok(Err(_)) => Ok(with_problem(Unavailable::Failed)),
        // Still computing: the task goes on; the page shows its progress.
        Err(_) => Ok(Redirect::to("/estimates").into_response()),
    }
}
