//! `recount estimate`: how many people no source recorded, from how the sources overlap.

use std::io::Write;
use std::path::PathBuf;

use super::export::ByArg;
use anyhow::Context;
use recount_estimate::{
    BmaConfig, CaptureTable, Criterion, EstimateResult, Heterogeneity, LcmcrConfig,
    LoglinearConfig, Method, StrataMethod, StrataResult, estimate_bma,
    estimate_lcmcr_with_progress, estimate_loglinear, estimate_strata_with_progress,
};
use recount_pipeline::estimate::{StrataTables, capture_tables, linkage_uncertainty};
use recount_pipeline::export::CaptureRequest;
use recount_store::Store;

use super::{Global, thousands};
use crate::exit::bad_input;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// The latent-class model of Manrique-Vallier (2016), as the R package LCMCR (default).
    Lcmcr,
    /// The log-linear model with the lowest BIC (or AIC), with a profile-likelihood interval.
    Loglinear,
    /// Bayesian model averaging over decomposable graphs (Madigan & York 1997), as dga.
    Bma,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CriterionArg {
    Bic,
    Aic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HeterogeneityArg {
    None,
    Chao,
    Darroch,
    Poisson2,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  recount estimate --captures kosovo.csv
  recount estimate --captures kosovo.csv --method loglinear --criterion aic --json
  recount estimate --captures kosovo.csv --seed 7 --chains 8 --draws draws.csv
  recount estimate --event exit_refused --by month      # from the project database

CAPTURES.csv has one column per list holding 0 or 1, and optionally a `count` column (then each
row is a capture pattern with its frequency; otherwise each row is one person). The all-zero
pattern is invalid: the people no list recorded are what is estimated.

The default method is lcmcr, with the R package's documented run per chain (K = 10, a = b = 0.25,
burn-in 10,000, 1,000 draws thinned by 100) and 4 chains whose draws are pooled.")]
pub struct Args {
    /// Capture patterns to estimate from (the standalone mode).
    #[arg(long, value_name = "CAPTURES.csv")]
    pub captures: Option<PathBuf>,

    /// The estimator.
    #[arg(long, value_enum, default_value = "lcmcr")]
    pub method: MethodArg,

    /// Log-linear model selection: BIC (n = the number documented, as Rcapture) or AIC.
    #[arg(long, value_enum, default_value = "bic")]
    pub criterion: CriterionArg,

    /// Log-linear heterogeneity columns added to every model.
    #[arg(long, value_enum, default_value = "none")]
    pub heterogeneity: HeterogeneityArg,

    /// Seed of the random draws (lcmcr, bma); the same seed gives the same result.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// LCMCR: the most latent classes (truncation K).
    #[arg(long, default_value_t = 10)]
    pub k: usize,

    /// LCMCR: sweeps discarded per chain before draws are kept.
    #[arg(long, default_value_t = 10_000)]
    pub burnin: usize,

    /// LCMCR: draws of N kept per chain.
    #[arg(long, default_value_t = 1_000)]
    pub samples: usize,

    /// LCMCR: sweeps between kept draws.
    #[arg(long, default_value_t = 100)]
    pub thin: usize,

    /// LCMCR: independent chains (run on threads; R-hat compares them).
    #[arg(long, default_value_t = 4)]
    pub chains: usize,

    /// Write the posterior draws of N to this CSV (`chain,draw,n`).
    #[arg(long, value_name = "FILE")]
    pub draws: Option<PathBuf>,

    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Project database mode: the event type whose victims are counted.
    #[arg(long, value_name = "TERM")]
    pub event: Option<String>,

    /// Project database mode: one estimate per stratum.
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let Some(path) = args.captures.as_ref() else {
        return run_database(global, &args);
    };
    if args.event.is_some() || args.by.is_some() {
        return Err(bad_input(
            "--captures cannot be combined with --event or --by",
        ));
    }
    if args.draws.is_some() && args.method == MethodArg::Loglinear {
        return Err(bad_input(
            "--draws needs a method with posterior draws (lcmcr or bma)",
        ));
    }
    let text = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = String::from_utf8(text)
        .map_err(|_| bad_input(format!("{}: not UTF-8 text", path.display())))?;
    let (table, notices) =
        CaptureTable::from_csv(&text).map_err(|e| bad_input(format!("{}: {e}", path.display())))?;
    for n in &notices {
        eprintln!("notice: {n}");
    }

    let result = match args.method {
        MethodArg::Lcmcr => run_lcmcr(&table, &args)?,
        MethodArg::Loglinear => estimate_loglinear(&table, &loglinear_config(&args))
            .map_err(|e| bad_input(format!("refused: {e}")))?,
        MethodArg::Bma => {
            let config = BmaConfig {
                seed: args.seed,
                ..BmaConfig::default()
            };
            estimate_bma(&table, &config).map_err(|e| bad_input(format!("refused: {e}")))?
        }
    };

    if let Some(draws) = &args.draws {
        write_draws(draws, &result)?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let output = JsonOutput {
            result: &result,
            notices: notices.iter().map(|n| n.to_string()).collect(),
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&output)?)?;
    } else {
        write!(out, "{}", render(&table, &result))?;
    }
    Ok(())
}

/// The result's fields in the contract's order, with the parser's notices.
#[derive(serde::Serialize)]
struct JsonOutput<'a> {
    #[serde(flatten)]
    result: &'a EstimateResult,
    notices: Vec<String>,
}

fn lcmcr_config(args: &Args) -> LcmcrConfig {
    LcmcrConfig {
        k: args.k,
        burnin: args.burnin,
        samples: args.samples,
        thin: args.thin,
        chains: args.chains,
        seed: args.seed,
        ..LcmcrConfig::default()
    }
}

fn loglinear_config(args: &Args) -> LoglinearConfig {
    LoglinearConfig {
        criterion: match args.criterion {
            CriterionArg::Bic => Criterion::Bic,
            CriterionArg::Aic => Criterion::Aic,
        },
        heterogeneity: match args.heterogeneity {
            HeterogeneityArg::None => Heterogeneity::None,
            HeterogeneityArg::Chao => Heterogeneity::Chao,
            HeterogeneityArg::Darroch => Heterogeneity::Darroch,
            HeterogeneityArg::Poisson2 => Heterogeneity::Poisson(2.0),
        },
        ..LoglinearConfig::default()
    }
}

/// Estimates per stratum from the project database's linked persons.
fn run_database(global: &Global, args: &Args) -> anyhow::Result<()> {
    if args.draws.is_some() {
        return Err(bad_input(
            "--draws applies to --captures FILE.csv only (export one stratum's captures with \
             `recount export captures` to keep its draws)",
        ));
    }
    let store = Store::open(&global.db)
        .with_context(|| format!("cannot open the project database {}", global.db.display()))?;
    if let Some(term) = &args.event
        && store.event_vocabulary()?.term(term).is_err()
    {
        return Err(bad_input(format!(
            "{term:?} is not in the project's event vocabulary"
        )));
    }
    let by = args.by.unwrap_or(ByArg::All).period();
    let request = CaptureRequest {
        event: args.event.clone(),
        by,
    };
    let tables = match capture_tables(&store, &request)? {
        StrataTables::Tables(t) => t,
        StrataTables::NoPersons => {
            return Err(bad_input(
                "no record has been linked to a person yet; run `recount link` first",
            ));
        }
        StrataTables::NoRecords => {
            return Err(bad_input(match &args.event {
                Some(e) => format!("no linked person has a record of the event {e:?}"),
                None => "no linked person has a record".to_owned(),
            }));
        }
        StrataTables::Unusable(why) => return Err(bad_input(format!("refused: {why}"))),
    };
    let linkage = linkage_uncertainty(&store)?;
    drop(store);
    let method = match args.method {
        MethodArg::Lcmcr => StrataMethod::Lcmcr(lcmcr_config(args)),
        MethodArg::Loglinear => StrataMethod::Loglinear(loglinear_config(args)),
        MethodArg::Bma => StrataMethod::Bma(BmaConfig {
            seed: args.seed,
            ..BmaConfig::default()
        }),
    };
    let bar = sweep_bar(match &method {
        StrataMethod::Lcmcr(c) => c.sweeps_per_chain() * c.chains as u64 * tables.len() as u64,
        _ => 0,
    });
    let progress = |n: u64| bar.inc(n);
    let mut result = estimate_strata_with_progress(&tables, &method, &progress);
    bar.finish_and_clear();
    // The persons counted depend on the pairs the linkage could not decide.
    result.warnings.extend(linkage);
    let by_name = match args.by.unwrap_or(ByArg::All) {
        ByArg::All => "all",
        ByArg::Year => "year",
        ByArg::Month => "month",
        ByArg::Place => "place",
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = serde_json::json!({
            "event": args.event,
            "by": by_name,
            "lists": tables.first().map(|(_, t)| t.lists().to_vec()).unwrap_or_default(),
            "strata": result.strata,
            "total": result.total,
            "warnings": result.warnings,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        write!(out, "{}", render_strata(args, &tables, &result))?;
    }
    Ok(())
}

fn render_strata(args: &Args, tables: &[(String, CaptureTable)], r: &StrataResult) -> String {
    let mut s = String::new();
    let lists = tables
        .first()
        .map(|(_, t)| t.lists().join(", "))
        .unwrap_or_default();
    s.push_str(&format!(
        "Estimate of people{} by {} — lists: {lists}\n\n",
        args.event
            .as_ref()
            .map(|e| format!(" with event {e}"))
            .unwrap_or_default(),
        match args.by.unwrap_or(ByArg::All) {
            ByArg::All => "all (one stratum)",
            ByArg::Year => "year",
            ByArg::Month => "month",
            ByArg::Place => "place",
        }
    ));
    s.push_str(&format!(
        "{:<24} {:>10} {:>10} {:>24}  {}\n",
        "stratum", "documented", "estimate", "95% interval", "note"
    ));
    for st in &r.strata {
        let name = if st.name.is_empty() { "all" } else { &st.name };
        match (&st.result, &st.refused) {
            (Some(res), _) => s.push_str(&format!(
                "{:<24} {:>10} {:>10} {:>24}  {}\n",
                name,
                thousands(st.observed as f64),
                thousands(res.estimate.median),
                format!(
                    "{} – {}",
                    thousands(res.estimate.lower),
                    thousands(res.estimate.upper)
                ),
                res.warnings
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            (None, why) => s.push_str(&format!(
                "{:<24} {:>10} {:>10} {:>24}  refused: {}\n",
                name,
                thousands(st.observed as f64),
                "—",
                "",
                why.as_ref().map(ToString::to_string).unwrap_or_default()
            )),
        }
    }
    if let Some(t) = &r.total
        && r.strata.len() > 1
    {
        s.push_str(&format!(
            "{:<24} {:>10} {:>10} {:>24}  {}\n",
            "total",
            "",
            thousands(t.estimate.median),
            format!(
                "{} – {}",
                thousands(t.estimate.lower),
                thousands(t.estimate.upper)
            ),
            t.combination
        ));
    }
    for w in &r.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}

fn sweep_bar(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {percent}% eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("Gibbs sweeps");
    bar
}

fn run_lcmcr(table: &CaptureTable, args: &Args) -> anyhow::Result<EstimateResult> {
    let config = lcmcr_config(args);
    let bar = sweep_bar(config.sweeps_per_chain() * config.chains as u64);
    let progress = |n: u64| bar.inc(n);
    let result = estimate_lcmcr_with_progress(table, &config, &progress)
        .map_err(|e| bad_input(format!("refused: {e}")));
    bar.finish_and_clear();
    result
}

fn write_draws(path: &PathBuf, result: &EstimateResult) -> anyhow::Result<()> {
    let mut text = String::from("chain,draw,n\n");
    for (c, chain) in result.draws.iter().enumerate() {
        for (i, n) in chain.iter().enumerate() {
            text.push_str(&format!("{},{},{}\n", c + 1, i + 1, n));
        }
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn render(table: &CaptureTable, r: &EstimateResult) -> String {
    let mut s = String::new();
    let e = &r.estimate;
    let pct = (e.level * 100.0).round();
    let method = match r.method {
        Method::Lcmcr => "latent-class model (LCMCR)",
        Method::Loglinear => "log-linear model",
        Method::Bma => "Bayesian model averaging over decomposable graphs (dga)",
    };
    s.push_str(&format!("Method:     {method}\n"));
    let totals = table.list_totals();
    let lists: Vec<String> = r
        .lists
        .iter()
        .zip(&totals)
        .enumerate()
        .map(|(i, (name, t))| format!("{} {name} ({})", i + 1, thousands(*t as f64)))
        .collect();
    s.push_str(&format!("Lists:      {}\n", lists.join(", ")));
    s.push_str(&format!(
        "Documented: {} people on at least one list\n",
        thousands(r.observed as f64)
    ));
    let what = if r.method == Method::Loglinear {
        "estimate"
    } else {
        "posterior median"
    };
    s.push_str(&format!(
        "Total:      {} ({what}); {pct}% interval {} – {}\n",
        thousands(e.median),
        thousands(e.lower),
        thousands(e.upper)
    ));
    let n = r.observed as f64;
    s.push_str(&format!(
        "Unrecorded: about {} ({} – {})\n",
        thousands(e.median - n),
        thousands(e.lower - n),
        thousands(e.upper - n)
    ));
    if let Some(m) = &r.model {
        s.push_str(&format!("Model:      {m}\n"));
    }
    if let Some(d) = &r.lcmcr {
        let c = &d.config;
        s.push_str(&format!(
            "Settings:   K = {}, a = b = {}, {} chain(s) × ({} warm-up + {} burn-in + {} draws × \
             thin {}), seed {}\n",
            c.k, c.a_alpha, c.chains, c.warmup, c.burnin, c.samples, c.thin, c.seed
        ));
        let medians: Vec<String> = d.chain_medians.iter().map(|m| thousands(*m)).collect();
        s.push_str(&format!(
            "Chains:     R-hat {}, effective draws {:.0}, chain medians {}\n",
            d.rhat.map_or("n/a".to_string(), |r| format!("{r:.3}")),
            d.ess,
            medians.join(", ")
        ));
    }
    if let Some(d) = &r.loglinear {
        s.push_str(&format!(
            "Profile:    multinomial estimate {} (Cormack 1992, as Rcapture)\n",
            thousands(d.interval.n_hat)
        ));
        s.push_str(&format!(
            "\n{} models fitted ({}); the best by {}:\n",
            d.models_fitted,
            d.search,
            match d.criterion {
                Criterion::Aic => "AIC",
                _ => "BIC",
            }
        ));
        s.push_str(&format!(
            "  {:<24} {:>10} {:>8} {:>9} {:>4} {:>9} {:>9}\n",
            "model", "N", "stderr", "deviance", "df", "AIC", "BIC"
        ));
        for f in &d.best {
            s.push_str(&format!(
                "  {:<24} {:>10.1} {:>8.1} {:>9.3} {:>4} {:>9.2} {:>9.2}\n",
                f.name, f.n_hat, f.stderr, f.deviance, f.df, f.aic, f.bic
            ));
        }
    }
    if let Some(d) = &r.bma {
        s.push_str(&format!(
            "Prior:      δ = {} per cell, {}; {} graphs, grid to {} unrecorded\n",
            d.delta,
            d.prior_n,
            d.graphs,
            thousands(d.grid_max as f64)
        ));
        s.push_str("\nGraphs with the most posterior mass:\n");
        for g in d.top.iter().take(5) {
            s.push_str(&format!(
                "  {:<24} {:>6.3}  median {}\n",
                g.graph,
                g.probability,
                thousands(g.median)
            ));
        }
    }
    if !r.warnings.is_empty() {
        s.push_str("\nWarnings:\n");
        for w in &r.warnings {
            s.push_str(&format!("  - {w}\n"));
        }
    }
    s
}
