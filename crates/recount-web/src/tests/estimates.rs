//! `/estimates`: the pipeline's estimate step through the desk, the same figures as the library
//! path `recount estimate` takes, refusals and warnings in the reader's language, the
//! background "computing" state.

use super::harness::{Desk, Reply, Session, hidden_value};
use crate::Settings;
use axum::http::{StatusCode, header};
use recount_estimate::{StrataMethod, StrataResult, estimate_strata};
use recount_pipeline::estimate::{StrataTables, capture_tables};
use recount_pipeline::export::{CaptureRequest, Period};
use recount_store::accounts::Role;
use recount_types::RecordId;
use std::time::{Duration, Instant};

/// A record by its source and record id.
type Member = (&'static str, String);

async fn analyst(desk: &Desk) -> Session {
    desk.add_user("aida", Role::Analyst);
    desk.login("aida").await
}

/// The same session with the Russian interface chosen.
async fn russian(desk: &Desk, s: &Session) -> Session {
    let switch = desk.get("/lang/ru?next=/estimates", Some(s)).await;
    let lang = switch.cookie(crate::auth::LANG_COOKIE).unwrap();
    Session {
        cookie: format!("{}; {lang}", s.cookie),
        ..s.clone()
    }
}

async fn import(desk: &Desk, s: &Session, csv: &str) {
    let checked = desk
        .post_file("/import", s, "list.csv", csv.as_bytes(), &[], false)
        .await;
    let token = hidden_value(&checked.body, "upload").expect(&checked.body);
    let done = desk
        .post_form("/import/confirm", Some(s), &[("upload", &token)])
        .await;
    assert!(done.body.contains("Imported"), "{}", done.body);
}

fn id(desk: &Desk, source: &str, record: &str) -> RecordId {
    desk.store().record(source, record).unwrap().unwrap().id
}

/// Gives every record of `records` one new person each, and `together` one person per group.
fn persons(desk: &Desk, records: &[(&str, String)], together: &[Vec<(&str, String)>]) {
    let store = desk.store();
    for group in together {
        let p = store.new_person().unwrap();
        for (source, r) in group {
            store.assign_person(id(desk, source, r), p).unwrap();
        }
    }
    for (source, r) in records {
        let rid = id(desk, source, r);
        let key = store.record_key(rid).unwrap().unwrap();
        if store
            .record(key.source.as_str(), &key.record_id)
            .unwrap()
            .unwrap()
            .person
            .is_none()
        {
            let p = store.new_person().unwrap();
            store.assign_person(rid, p).unwrap();
        }
    }
}

async fn run(desk: &Desk, s: &Session, fields: &[(&str, &str)]) -> Reply {
    desk.post_form("/estimates/run", Some(s), fields).await
}

/// The text of a page without its tags, whitespace folded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Latin words of two letters or more in a page's text that are not in `allowed`.
pub fn english_words(html: &str, allowed: &[&str]) -> Vec<String> {
    let text = text_of(html);
    let mut found: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2 && !allowed.contains(w))
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// A month of Lincoln–Petersen: 40 on list a and 30 on list b, 10 of them on both, gives
/// 40 × 30 / 10 = 120, which the log-linear independence model reproduces exactly.
async fn petersen(desk: &Desk, s: &Session, month: &str, offset: usize) {
    let mut csv = String::from("source,record_id,name,event,event_date\n");
    for i in offset..offset + 40 {
        csv.push_str(&format!("a,{i},Person {i},exit_refused,{month}\n"));
    }
    for i in offset + 30..offset + 60 {
        csv.push_str(&format!("b,{i},Person {i},exit_refused,{month}\n"));
    }
    import(desk, s, &csv).await;
    let all: Vec<(&str, String)> = (offset..offset + 40)
        .map(|i| ("a", i.to_string()))
        .chain((offset + 30..offset + 60).map(|i| ("b", i.to_string())))
        .collect();
    let both: Vec<Vec<(&str, String)>> = (offset + 30..offset + 40)
        .map(|i| vec![("a", i.to_string()), ("b", i.to_string())])
        .collect();
    persons(desk, &all, &both);
}

#[tokio::test]
async fn an_estimate_from_two_lists_is_the_petersen_estimate() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    petersen(&desk, &s, "2022-09", 0).await;
    let r = run(
        &desk,
        &s,
        &[
            ("event", "exit_refused"),
            ("by", "month"),
            ("method", "loglinear"),
        ],
    )
    .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/estimates")
    );
    let page = desk.get("/estimates", Some(&s)).await;
    assert!(
        page.body
            .contains("<td>2022-09</td><td class=\"num\">60</td><td class=\"num\">120</td>"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<svg") && page.body.contains("role=\"img\""),
        "the chart"
    );
    // The legend names both marks: the documented bar and the estimate with its interval.
    assert!(page.body.contains(">documented</text>"), "{}", page.body);
    assert!(
        page.body
            .contains(">estimated, with its 95% interval</text>"),
        "{}",
        page.body
    );
    let api = desk.get("/api/estimates", Some(&s)).await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["method"], "loglinear");
    assert_eq!(json["by"], "month");
    assert_eq!(json["strata"][0]["model"]["text"], "[1,2]");
    let median = json["strata"][0]["estimate"]["median"].as_f64().unwrap();
    assert!((median - 120.0).abs() < 1e-6, "{median}");
    let lower = json["strata"][0]["estimate"]["lower"].as_f64().unwrap();
    let upper = json["strata"][0]["estimate"]["upper"].as_f64().unwrap();
    assert!(lower < 120.0 && upper > 120.0 && lower >= 60.0);

    // A viewer reads the same published figures, and no names.
    desk.add_user("vera", Role::Viewer);
    let v = desk.login("vera").await;
    let page = desk.get("/estimates", Some(&v)).await;
    assert!(page.body.contains("120") && !page.body.contains("Person 1"));
    assert!(
        !page.body.contains("/estimates/run"),
        "viewers cannot run estimates"
    );
    let r = run(&desk, &v, &[("by", "all")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// The figures the desk publishes are the ones the library path of `recount estimate` gives on
/// the same database: `capture_tables` then `estimate_strata` with the command's defaults.
fn cli_figures(
    desk: &Desk,
    event: Option<&str>,
    by: Period,
    method: &StrataMethod,
) -> StrataResult {
    let store = desk.store();
    let request = CaptureRequest {
        event: event.map(str::to_owned),
        by,
    };
    let StrataTables::Tables(tables) = capture_tables(&store, &request).unwrap() else {
        panic!("capture tables");
    };
    estimate_strata(&tables, method)
}

fn assert_same(desk_json: &serde_json::Value, cli: &StrataResult) {
    let strata = desk_json["strata"].as_array().unwrap();
    assert_eq!(strata.len(), cli.strata.len());
    for (d, c) in strata.iter().zip(&cli.strata) {
        assert_eq!(d["name"], c.name.as_str());
        assert_eq!(d["documented"].as_u64(), Some(c.observed));
        match &c.result {
            Some(r) => {
                for (field, want) in [
                    ("median", r.estimate.median),
                    ("lower", r.estimate.lower),
                    ("upper", r.estimate.upper),
                ] {
                    assert_eq!(
                        d["estimate"][field].as_f64(),
                        Some(want),
                        "{} {field}",
                        c.name
                    );
                }
                let warnings: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
                let desk_warnings: Vec<&str> = d["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w["text"].as_str().unwrap())
                    .collect();
                assert_eq!(desk_warnings, warnings);
            }
            None => {
                assert!(d["estimate"].is_null());
                assert_eq!(
                    d["refused"]["text"].as_str(),
                    c.refused.as_ref().map(ToString::to_string).as_deref()
                );
            }
        }
    }
    if cli.strata.len() > 1 {
        let total = cli.total.as_ref().unwrap();
        assert_eq!(
            desk_json["total"]["estimate"]["median"].as_f64(),
            Some(total.estimate.median)
        );
    }
}

/// Three lists of 90 people: who is on which list follows a fixed rule, so the overlaps are
/// uneven (the lists are not independent) and each month's table differs.
fn three_lists() -> (String, Vec<Member>, Vec<Vec<Member>>) {
    let mut csv = String::from("source,record_id,name,event,event_date\n");
    let mut all = Vec::new();
    let mut together = Vec::new();
    for i in 0..90u32 {
        let month = if i % 3 == 0 { "2022-10" } else { "2022-09" };
        let on: Vec<&'static str> = [("a", i % 2 == 0), ("b", i % 3 != 1), ("c", i % 5 < 2)]
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(l, _)| l)
            .collect();
        let on = if on.is_empty() { vec!["a"] } else { on };
        let mut group = Vec::new();
        for l in on {
            csv.push_str(&format!("{l},{i},Person {i},exit_refused,{month}\n"));
            all.push((l, i.to_string()));
            group.push((l, i.to_string()));
        }
        together.push(group);
    }
    (csv, all, together)
}

#[tokio::test]
async fn the_desk_and_recount_estimate_give_the_same_figures() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    let (csv, all, together) = three_lists();
    import(&desk, &s, &csv).await;
    persons(&desk, &all, &together);

    for (by, period) in [("month", Period::Month), ("all", Period::All)] {
        let r = run(
            &desk,
            &s,
            &[
                ("event", "exit_refused"),
                ("by", by),
                ("method", "loglinear"),
            ],
        )
        .await;
        assert_eq!(r.location(), "/estimates", "{by}");
        let json: serde_json::Value =
            serde_json::from_str(&desk.get("/api/estimates", Some(&s)).await.body).unwrap();
        let method = crate::estimation::EstimateMethod::Loglinear.strata_method();
        assert_same(
            &json,
            &cli_figures(&desk, Some("exit_refused"), period, &method),
        );
        assert_eq!(json["lists"], serde_json::json!(["a", "b", "c"]));
    }

    // The latent-class model, with the command's default run (4 chains, seed 1), in one
    // stratum: the same draws, so the same median and interval to the last digit.
    let quick = Desk::with_settings(Settings {
        estimate_wait: Duration::from_secs(600),
        ..Settings::default()
    });
    let s = analyst(&quick).await;
    import(&quick, &s, &csv).await;
    persons(&quick, &all, &together);
    let r = run(&quick, &s, &[("by", "all"), ("method", "lcmcr")]).await;
    assert_eq!(r.location(), "/estimates");
    let json: serde_json::Value =
        serde_json::from_str(&quick.get("/api/estimates", Some(&s)).await.body).unwrap();
    assert_eq!(json["method"], "lcmcr");
    let method = crate::estimation::EstimateMethod::Lcmcr.strata_method();
    assert_same(&json, &cli_figures(&quick, None, Period::All, &method));
    assert_eq!(json["strata"][0]["model"]["code"], "model_lcmcr");
    assert_eq!(json["strata"][0]["chains"]["chains"], 4);
    let page = quick.get("/estimates", Some(&s)).await;
    assert!(
        page.body.contains("latent classes, K = 10"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_long_estimate_computes_in_the_background_and_is_published() {
    let desk = Desk::with_settings(Settings {
        estimate_wait: Duration::ZERO,
        ..Settings::default()
    });
    let s = analyst(&desk).await;
    let (csv, all, together) = three_lists();
    import(&desk, &s, &csv).await;
    persons(&desk, &all, &together);
    let r = run(&desk, &s, &[("by", "all"), ("method", "lcmcr")]).await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/estimates")
    );
    let page = desk.get("/estimates", Some(&s)).await;
    assert!(page.body.contains("id=\"computing\""), "{}", page.body);
    assert!(page.body.contains("latent classes (LCMCR)"));
    assert_eq!(
        page.headers
            .get(header::REFRESH)
            .map(|v| v.to_str().unwrap()),
        Some("3"),
        "the page reloads itself while computing"
    );
    assert!(
        page.body.contains("disabled"),
        "no second run while one computes"
    );
    // A second run meanwhile is refused with a message, and starts nothing.
    let again = run(&desk, &s, &[("by", "all"), ("method", "loglinear")]).await;
    assert_eq!(again.location(), "/estimates?problem=busy");
    let page = desk.get(again.location(), Some(&s)).await;
    assert!(page.body.contains("already computing"), "{}", page.body);

    let started = Instant::now();
    let page = loop {
        let page = desk.get("/estimates", Some(&s)).await;
        if !page.body.contains("id=\"computing\"") {
            break page;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "still computing after 5 minutes"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(page.headers.get(header::REFRESH).is_none());
    assert!(
        page.body.contains("<table id=\"estimates\""),
        "{}",
        page.body
    );
    let log = desk.store().audit_log(1).unwrap();
    assert_eq!(log[0].action, "estimate");
    assert!(log[0].detail.ends_with("lcmcr"), "{}", log[0].detail);
}

#[tokio::test]
async fn an_estimate_before_linkage_says_to_link_first() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    import(&desk, &s, "source,record_id,name\na,1,X\nb,2,Y\n").await;
    let r = run(&desk, &s, &[("by", "all")]).await;
    assert_eq!(r.location(), "/estimates?problem=no_persons");
    let page = desk.get(r.location(), Some(&s)).await;
    assert!(
        page.body
            .contains("Link the records on the Review page first"),
        "{}",
        page.body
    );
    let ru = russian(&desk, &s).await;
    let page = desk.get(r.location(), Some(&ru)).await;
    assert!(
        page.body.contains("Сначала свяжите записи"),
        "{}",
        page.body
    );
    // Reported once: the page without the code no longer shows it.
    let page = desk.get("/estimates", Some(&s)).await;
    assert!(!page.body.contains("estimate-problem"), "{}", page.body);
    // An event outside the vocabulary, and a problem code nobody defined.
    let r = run(&desk, &s, &[("by", "all"), ("event", "<script>")]).await;
    assert_eq!(r.location(), "/estimates?problem=unknown_event");
    let page = desk
        .get(
            "/estimates?problem=%3Cscript%3Ealert(1)%3C/script%3E",
            Some(&s),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("alert(1)"));
    // A method or stratification that does not exist is a bad request, not a crash.
    let r = run(&desk, &s, &[("by", "week")]).await;
    assert!(r.status.is_client_error(), "{:?}", r.status);
    let r = run(&desk, &s, &[("by", "all"), ("method", "magic")]).await;
    assert!(r.status.is_client_error(), "{:?}", r.status);
}

#[tokio::test]
async fn refusals_and_warnings_are_worded_in_the_readers_language() {
    let desk = Desk::new();
    let s = analyst(&desk).await;
    petersen(&desk, &s, "2022-09", 0).await;
    // October: five people on list a, two of them also on b: too few to estimate.
    import(
        &desk,
        &s,
        "source,record_id,name,event,event_date\n\
         a,100,P,exit_refused,2022-10\na,101,Q,exit_refused,2022-10\na,102,R,exit_refused,2022-10\n\
         a,103,S,exit_refused,2022-10\na,104,T,exit_refused,2022-10\n\
         b,100,P,exit_refused,2022-10\nb,101,Q,exit_refused,2022-10\n",
    )
    .await;
    let october: Vec<(&str, String)> = (100..105).map(|i| ("a", i.to_string())).collect();
    let both: Vec<Vec<(&str, String)>> = (100..102)
        .map(|i| vec![("a", i.to_string()), ("b", i.to_string())])
        .collect();
    persons(&desk, &october, &both);
    let r = run(
        &desk,
        &s,
        &[
            ("event", "exit_refused"),
            ("by", "month"),
            ("method", "loglinear"),
        ],
    )
    .await;
    assert_eq!(r.location(), "/estimates");

    let en = desk.get("/estimates", Some(&s)).await;
    assert!(
        en.body
            .contains("only 5 documented people; at least 10 are needed"),
        "{}",
        en.body
    );
    assert!(
        en.body
            .contains("1 stratum/strata were refused; their 5 documented people")
    );
    assert!(en.body.contains("normal approximation"));
    assert!(
        en.body
            .contains("<th scope=\"row\">Total</th><td class=\"num\">65</td>")
    );

    let ru = russian(&desk, &s).await;
    let page = desk.get("/estimates", Some(&ru)).await;
    for text in [
        "Оценки нет:",
        "записано только 5 человек; нужно не меньше 10",
        "групп без оценки: 1; их 5 записанных человек",
        "нормальное приближение",
        "оценка с 95% интервалом",
        "логлинейная модель (BIC)",
        "Итого",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    // No English on the Russian page but the data (the lists, the user's name) and the names
    // of the program, its command, methods and figures.
    let allowed = [
        "recount", "estimate", "EN", "RU", "BIC", "LCMCR", "dga", "aida",
    ];
    assert_eq!(english_words(&page.body, &allowed), Vec::<String>::new());
}

#[test]
fn every_warning_and_refusal_has_a_russian_wording() {
    use crate::i18n::{Lang, lookup};
    use recount_estimate::EstimateWarning as W;
    let warnings = [
        W::ChainsDisagree { r_hat: 1.3 },
        W::FewEffectiveDraws { ess: 42.0 },
        W::OneChain,
        W::ClassesNearTruncation {
            mean_occupied: 9.5,
            k: 10,
        },
        W::PosteriorCutOff {
            tail_mass: 0.004,
            grid_max: 2000,
        },
        W::CoarseGrid { step: 4 },
        W::CloseModelChoice {
            runner_up: "[12,3]".into(),
            runner_up_score: 10.5,
            chosen: "[1,2,3]".into(),
            chosen_score: 9.75,
            runner_up_n_hat: 130.25,
        },
        W::UpperBoundAtSearchLimit { limit: 5000.0 },
        W::LowerBoundAtDocumented,
        W::StepwiseSearch { lists: 7 },
        W::NoStratumEstimated,
        W::StrataRefused {
            strata: 2,
            documented: 17,
        },
        W::NormalApproximationTotal,
    ];
    for w in &warnings {
        let note = crate::estimation::warning_note(w);
        let key = format!("note.{}", note.code.as_deref().unwrap());
        assert!(lookup(Lang::Ru, &key).is_some(), "Russian lacks {key}");
        let ru = crate::pages::estimates::note_text(Lang::Ru, &note);
        assert!(!ru.contains('{'), "{key} left a placeholder: {ru}");
        for value in note.values.values() {
            let shown = match value {
                serde_json::Value::String(s) => s.clone(),
                n => n.to_string().replace('.', ","),
            };
            assert!(ru.contains(&shown), "{key} shows {shown}: {ru}");
        }
        // English is the library's own sentence, as `recount estimate` prints it.
        assert_eq!(
            crate::pages::estimates::note_text(Lang::En, &note),
            w.to_string()
        );
    }
    let ru = crate::pages::estimates::note_text(
        Lang::Ru,
        &crate::estimation::warning_note(&W::ChainsDisagree { r_hat: 1.25 }),
    );
    assert!(ru.starts_with("цепи расходятся (R-hat 1,25"), "{ru}");
    use recount_estimate::Refusal as R;
    let refusals = [
        R::TooFewLists {
            found: 2,
            needed: 3,
        },
        R::TooManyLists { found: 16, max: 15 },
        R::NoOverlap,
        R::TooFewRecords {
            found: 7,
            needed: 10,
        },
        R::NoModel {
            reason: "every candidate failed".into(),
        },
        R::BadSetting("K must be at least 2".into()),
    ];
    for r in &refusals {
        let note = crate::estimation::refusal_note(r);
        let key = format!("note.{}", note.code.as_deref().unwrap());
        assert_eq!(key, format!("note.refusal.{}", r.code()));
        assert!(lookup(Lang::Ru, &key).is_some(), "Russian lacks {key}");
        let ru = crate::pages::estimates::note_text(Lang::Ru, &note);
        assert!(!ru.contains('{'), "{key} left a placeholder: {ru}");
        for value in note.values.values() {
            assert!(ru.contains(&value.to_string()), "{key} shows {value}: {ru}");
        }
        assert_eq!(
            crate::pages::estimates::note_text(Lang::En, &note),
            r.to_string()
        );
    }
    // Runs published before refusals had codes.
    assert!(lookup(Lang::Ru, "note.refusal.other").is_some());
}

#[tokio::test]
async fn a_background_run_that_fails_says_why_to_analysts() {
    let desk = Desk::with_settings(Settings {
        estimate_wait: Duration::ZERO,
        ..Settings::default()
    });
    let s = analyst(&desk).await;
    import(&desk, &s, "source,record_id,name\na,1,X\nb,2,Y\n").await;
    let r = run(&desk, &s, &[("by", "all"), ("method", "lcmcr")]).await;
    assert_eq!(r.location(), "/estimates");
    let started = Instant::now();
    let page = loop {
        let page = desk.get("/estimates", Some(&s)).await;
        if !page.body.contains("id=\"computing\"") {
            break page;
        }
        assert!(started.elapsed() < Duration::from_secs(60));
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        page.body
            .contains("Link the records on the Review page first"),
        "{}",
        page.body
    );
    desk.add_user("vera", Role::Viewer);
    let v = desk.login("vera").await;
    let page = desk.get("/estimates", Some(&v)).await;
    assert!(!page.body.contains("estimate-problem"), "{}", page.body);
    assert!(
        desk.store().latest_estimate().unwrap().is_none(),
        "nothing published"
    );
}

/// A linked project whose linkage left pairs undecided: the estimate says what they could
/// change, with the pipeline's own counts, in English and in Russian.
#[tokio::test]
async fn an_estimate_says_what_the_undecided_pairs_could_change() {
    let desk = Desk::with_settings(Settings {
        estimate_wait: Duration::from_secs(600),
        ..Settings::default()
    });
    let s = analyst(&desk).await;
    {
        let mut store = desk.store();
        let request = recount_pipeline::demo::DemoRequest {
            seed: 3,
            people: 300,
            out: desk.path().with_file_name("demo"),
            estimate: None,
        };
        recount_pipeline::demo::run(&mut store, &request, &mut ()).unwrap();
    }
    let expected = recount_pipeline::estimate::linkage_uncertainty(&desk.store())
        .unwrap()
        .expect("the demo's linkage leaves pairs undecided");
    let recount_estimate::EstimateWarning::UncertainLinkage {
        pairs,
        apart,
        merges,
    } = expected
    else {
        panic!("{expected:?}");
    };
    assert!(pairs > 0 && merges <= apart && apart <= pairs);
    let r = run(&desk, &s, &[("by", "all"), ("method", "loglinear")]).await;
    assert_eq!(r.location(), "/estimates");
    let json: serde_json::Value =
        serde_json::from_str(&desk.get("/api/estimates", Some(&s)).await.body).unwrap();
    assert_eq!(json["linkage"]["code"], "warning.uncertain_linkage");
    assert_eq!(
        json["linkage"]["values"],
        serde_json::json!({ "pairs": pairs, "apart": apart, "merges": merges })
    );
    let page = desk.get("/estimates", Some(&s)).await;
    assert!(
        page.body.contains("id=\"estimate-linkage\""),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!(
            "the linkage left {pairs} pairs of records undecided"
        )),
        "{}",
        page.body
    );
    let ru = russian(&desk, &s).await;
    let page = desk.get("/estimates", Some(&ru)).await;
    assert!(
        page.body.contains(&format!(
            "связывание оставило нерешёнными пар записей: {pairs}"
        )),
        "{}",
        page.body
    );
}
