//! Coverage study: over simulated heterogeneous populations of known size, how often does the 95%
//! interval contain the truth? Prints what it finds, whatever it finds.
//!
//! `cargo run --release -p recount-estimate --example coverage`
//!
//! Each population has a size N drawn between 500 and 5,000, four or five lists, and two or three
//! latent classes whose recording probabilities are drawn at random (between 0.05 and 0.6), so the
//! latent-class model holds. LCMCR runs with K = 10, a = b = 0.25, 2 chains of 1,000 burn-in sweeps
//! after the 500 warm-up and 1,000 draws thinned by 10 (shorter than the documented run, to keep the
//! study near a minute on two cores; RECOUNT_COVERAGE_THIN=100 and RECOUNT_COVERAGE_BURNIN=10000 give
//! the documented settings). The log-linear model is the BIC-best hierarchical model with its
//! profile interval. Set RECOUNT_COVERAGE_POPULATIONS to change the number of populations (200).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use recount_estimate::simulate::Population;
use recount_estimate::{LcmcrConfig, LoglinearConfig, estimate_lcmcr, estimate_loglinear};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn unit(rng: &mut Xoshiro256PlusPlus) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

#[derive(Default)]
struct Tally {
    runs: usize,
    covered: usize,
    below: usize,
    above: usize,
    refused: usize,
    rel_error: f64,
    width: f64,
}

impl Tally {
    fn add(&mut self, truth: f64, outcome: Option<(f64, f64, f64)>) {
        self.runs += 1;
        let Some((median, lower, upper)) = outcome else {
            self.refused += 1;
            return;
        };
        if truth < lower {
            self.above += 1;
        } else if truth > upper {
            self.below += 1;
        } else {
            self.covered += 1;
        }
        self.rel_error += (median - truth).abs() / truth;
        self.width += (upper - lower) / truth;
    }

    fn print(&self, name: &str) {
        let done = (self.runs - self.refused).max(1) as f64;
        println!(
            "{name:<10} coverage {:.1}% ({} of {}); interval above the truth {}, below {}; \
             refused {}; mean |error| {:.1}% of N; mean width {:.0}% of N",
            100.0 * self.covered as f64 / done,
            self.covered,
            self.runs - self.refused,
            self.above,
            self.below,
            self.refused,
            100.0 * self.rel_error / done,
            100.0 * self.width / done
        );
    }
}

fn main() {
    let populations = env("RECOUNT_COVERAGE_POPULATIONS", 200);
    let config = LcmcrConfig {
        burnin: env("RECOUNT_COVERAGE_BURNIN", 1_000),
        samples: 1_000,
        thin: env("RECOUNT_COVERAGE_THIN", 10),
        chains: 2,
        ..LcmcrConfig::default()
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2016);
    let mut lcmcr = Tally::default();
    let mut loglinear = Tally::default();
    let start = std::time::Instant::now();
    for i in 0..populations {
        let size = 500 + (unit(&mut rng) * 4_500.0) as u64;
        let lists = 4 + (unit(&mut rng) < 0.5) as usize;
        let classes = 2 + (unit(&mut rng) < 0.5) as usize;
        let weights: Vec<f64> = (0..classes).map(|_| 0.2 + unit(&mut rng)).collect();
        let probabilities = (0..classes)
            .map(|_| (0..lists).map(|_| 0.05 + 0.55 * unit(&mut rng)).collect())
            .collect();
        let pop = Population {
            size,
            weights,
            probabilities,
        };
        let table = pop.simulate(i as u64).expect("a simulated table");
        let truth = size as f64;
        let c = LcmcrConfig {
            seed: i as u64,
            ..config
        };
        lcmcr.add(
            truth,
            estimate_lcmcr(&table, &c)
                .ok()
                .map(|r| (r.estimate.median, r.estimate.lower, r.estimate.upper)),
        );
        loglinear.add(
            truth,
            estimate_loglinear(&table, &LoglinearConfig::default())
                .ok()
                .map(|r| (r.estimate.median, r.estimate.lower, r.estimate.upper)),
        );
    }
    println!(
        "{populations} simulated heterogeneous populations (N 500–5,000, 4–5 lists, 2–3 latent \
         classes), {:.0} s",
        start.elapsed().as_secs_f64()
    );
    println!(
        "LCMCR settings: K = {}, {} chains × ({} warm-up + {} burn-in + {} draws × thin {})",
        config.k, config.chains, config.warmup, config.burnin, config.samples, config.thin
    );
    lcmcr.print("lcmcr");
    loglinear.print("loglinear");
    println!(
        "(\"above the truth\": the whole interval is above N; \"below\": the whole interval is \
         below N, an underestimate)"
    );
}
