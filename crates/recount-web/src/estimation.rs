//! The bridge to estimation: capture tables per stratum from the stored persons, estimated by
//! `recount-estimate`, in the desk's published form. (When the pipeline gains its estimate step,
//! this module should call it instead of building the tables itself.)

use recount_estimate::{
    CaptureTable, LoglinearConfig, MAX_LISTS, Pattern, StrataMethod, estimate_strata,
};
use recount_store::Store;
use recount_types::PartialDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// An estimate with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Interval {
    pub median: f64,
    pub lower: f64,
    pub upper: f64,
    pub level: f64,
}

/// One stratum's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stratum {
    /// The stratum's label, e.g. `2022-09` or `all`.
    pub label: String,
    /// Distinct people recorded by any source.
    pub documented: u64,
    /// `None` when the data cannot support an estimate (see `warnings`).
    pub estimate: Option<Interval>,
    /// The model, e.g. `[12,3]` or `lcmcr K=10`.
    pub model: String,
    pub warnings: Vec<String>,
}

/// A published run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EstimateRun {
    pub event: Option<String>,
    /// `none`, `month` or `year`.
    pub by: String,
    pub method: String,
    pub lists: Vec<String>,
    pub strata: Vec<Stratum>,
}

/// How to stratify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum By {
    None,
    Month,
    Year,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::None => "none",
            By::Month => "month",
            By::Year => "year",
        }
    }
}

/// Why an estimate could not run: a message for the analyst.
#[derive(Debug, Clone)]
pub struct Unavailable(pub String);

/// Who a record counts as: its person, or itself while linkage has not placed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Person(i64),
    Record(i64),
}

/// The stratum label of a person's earliest event date.
fn label(by: By, date: Option<PartialDate>) -> String {
    match (by, date) {
        (By::None, _) => "all".into(),
        (By::Year, Some(d)) => format!("{:04}", d.year()),
        (By::Month, Some(d)) if d.month().is_some() => {
            format!("{:04}-{:02}", d.year(), d.month().unwrap_or(1))
        }
        (By::Month, Some(d)) => format!("{:04} (month unknown)", d.year()),
        (_, None) => "undated".into(),
    }
}

/// Builds each stratum's capture table from the stored persons (lists are the sources'
/// independence groups, so sources that share an origin count as one list) and estimates it
/// with the log-linear models chosen by BIC; strata the data cannot support come back refused,
/// with the reason as a warning.
pub fn run(
    store: &Store,
    event: Option<&str>,
    by: By,
) -> Result<Result<EstimateRun, Unavailable>, recount_store::StoreError> {
    let groups: BTreeMap<String, String> = store
        .sources()?
        .into_iter()
        .map(|(_, s)| (s.name.0.clone(), s.independence_group().to_owned()))
        .collect();
    let mut people: BTreeMap<Who, (BTreeSet<String>, Option<PartialDate>)> = BTreeMap::new();
    store.for_each_record(|r| {
        let rec = &r.record;
        if event.is_some_and(|e| rec.event.as_ref().map(|t| t.as_str()) != Some(e)) {
            return Ok::<_, recount_store::StoreError>(());
        }
        let who = r.person.map_or(Who::Record(r.id.0), |p| Who::Person(p.0));
        let group = groups
            .get(rec.source.as_str())
            .cloned()
            .unwrap_or_else(|| rec.source.0.clone());
        let entry = people.entry(who).or_default();
        entry.0.insert(group);
        if let Some(d) = rec.event_date.map(|d| d.start())
            && entry.1.is_none_or(|e| d.first_day() < e.first_day())
        {
            entry.1 = Some(d);
        }
        Ok(())
    })?;
    if people.is_empty() {
        return Ok(Err(Unavailable(
            "there are no records to estimate from".into(),
        )));
    }
    let lists: Vec<String> = people
        .values()
        .flat_map(|(g, _)| g.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if lists.len() > MAX_LISTS {
        return Ok(Err(Unavailable(format!(
            "{} independent sources; at most {MAX_LISTS} can be estimated together",
            lists.len()
        ))));
    }
    let mut strata: BTreeMap<String, Vec<Pattern>> = BTreeMap::new();
    for (groups, date) in people.values() {
        let bits = lists
            .iter()
            .enumerate()
            .filter(|(_, l)| groups.contains(*l))
            .fold(0u32, |acc, (j, _)| acc | (1 << j));
        strata
            .entry(label(by, *date))
            .or_default()
            .push(Pattern(bits));
    }
    let mut tables = Vec::new();
    for (name, patterns) in strata {
        match CaptureTable::from_people(lists.clone(), patterns) {
            Ok(t) => tables.push((name, t)),
            Err(e) => return Ok(Err(Unavailable(e.to_string()))),
        }
    }
    let result = estimate_strata(
        &tables,
        &StrataMethod::Loglinear(LoglinearConfig::default()),
    );
    let mut out: Vec<Stratum> = result
        .strata
        .iter()
        .map(|s| Stratum {
            label: s.name.clone(),
            documented: s.observed,
            estimate: s.result.as_ref().map(|r| interval(&r.estimate)),
            model: s
                .result
                .as_ref()
                .and_then(|r| r.model.clone())
                .unwrap_or_else(|| "—".into()),
            warnings: s
                .result
                .iter()
                .flat_map(|r| r.warnings.iter().map(ToString::to_string))
                .chain(s.refused.iter().cloned())
                .collect(),
        })
        .collect();
    if out.len() > 1
        && let Some(total) = &result.total
    {
        out.push(Stratum {
            label: "total".into(),
            documented: result.strata.iter().map(|s| s.observed).sum(),
            estimate: Some(interval(&total.estimate)),
            model: total.combination.clone(),
            warnings: result.warnings.iter().map(ToString::to_string).collect(),
        });
    }
    Ok(Ok(EstimateRun {
        event: event.map(str::to_owned),
        by: by.as_str().to_owned(),
        method: "loglinear (BIC)".into(),
        lists,
        strata: out,
    }))
}

fn interval(e: &recount_estimate::Estimate) -> Interval {
    Interval {
        median: e.median,
        lower: e.lower,
        upper: e.upper,
        level: e.level,
    }
}
