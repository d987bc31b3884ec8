//! The **classify** step's model: Fellegi–Sunter, as data. Every m and u probability per
//! comparison level and the prior λ (the probability that two linkable records, drawn at
//! random, are the same person) is a [`Parameter`] that keeps the history of how it was
//! estimated. Models are saved as versioned JSON and reload exactly.

use crate::compare::{COMPARISONS, Comparison, Gamma, MAX_CODES};
use serde::{Deserialize, Serialize};

/// The `format` field of a saved model.
pub const MODEL_FORMAT: &str = "recount-linkage-model";
/// The version of the saved form. Versions 1 (before the event comparison took in the event's
/// place) and 2 (before it told an undated event from one months away, and a summons from the
/// events that follow it, and before the levels `one_part_other_family_form` and
/// `russian_and_other`) are read too: their event levels start again from the defaults, the
/// new levels are added with their defaults, and everything else is kept with its history.
pub const MODEL_VERSION: u32 = 3;

/// How a value of a parameter was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The built-in starting value (no data).
    Default,
    /// u: the share of this level among randomly sampled pairs.
    RandomSampling,
    /// u: the level never occurred among the sampled pairs; the value is the 95% upper bound
    /// (1 − 0.05^(1/n), "the rule of three") for n sampled pairs.
    RandomSamplingBound,
    /// m or λ: expectation–maximisation over the candidate pairs.
    Em,
    /// m or λ: expectation–maximisation with reviewers' decisions fixed (semi-supervised).
    EmWithDecisions,
}

/// One estimate in a parameter's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The model revision that made this estimate.
    pub revision: u32,
    pub value: f64,
    pub method: Method,
    /// How much data it rests on (sampled pairs, candidate pairs, decisions).
    pub pairs: u64,
}

/// A model parameter: its current value and every estimate it has had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub value: f64,
    pub history: Vec<Estimate>,
}

impl Parameter {
    fn default_value(value: f64) -> Parameter {
        Parameter {
            value,
            history: vec![Estimate {
                revision: 0,
                value,
                method: Method::Default,
                pairs: 0,
            }],
        }
    }

    pub(crate) fn set(&mut self, revision: u32, value: f64, method: Method, pairs: u64) {
        self.value = value;
        self.history.push(Estimate {
            revision,
            value,
            method,
            pairs,
        });
    }

    /// How this value was estimated.
    pub fn method(&self) -> Method {
        self.history.last().map_or(Method::Default, |e| e.method)
    }
}

/// m and u of one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelParams {
    pub level: String,
    /// P(level | same person).
    pub m: Parameter,
    /// P(level | different people).
    pub u: Parameter,
}

/// The levels of one comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonParams {
    pub comparison: Comparison,
    pub levels: Vec<LevelParams>,
}

/// One training run, as the model remembers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRun {
    pub revision: u32,
    pub records: u64,
    pub candidate_pairs: u64,
    pub sampled_pairs: u64,
    pub decisions: u64,
    pub em_iterations: u32,
    pub converged: bool,
    pub expected_matches: f64,
    pub seed: u64,
}

/// A Fellegi–Sunter model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub format: String,
    pub version: u32,
    /// 0 for the built-in defaults; each successful training run adds one.
    pub revision: u32,
    /// λ: the probability that two linkable records drawn at random are the same person.
    pub prior: Parameter,
    pub comparisons: Vec<ComparisonParams>,
    /// Names are term-frequency adjusted: on the exact, transliteration and skeleton levels
    /// the weight moves by log2(average name frequency / this name's frequency).
    pub name_term_frequency: bool,
    pub training: Vec<TrainingRun>,
}

/// Why a saved model could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    #[error("not a linkage model: {0}")]
    NotJson(#[from] serde_json::Error),
    #[error("not a linkage model (format is '{0}', expected '{MODEL_FORMAT}')")]
    WrongFormat(String),
    #[error(
        "linkage model version {0} is not supported (this build reads version {MODEL_VERSION})"
    )]
    UnsupportedVersion(u32),
    #[error("the linkage model does not match this build's comparisons: {0}")]
    Mismatch(String),
}

/// The levels added in version 3, as (comparison, index among its levels):
/// `one_part_other_family_form` and `russian_and_other`.
const LEVELS_ADDED_IN_3: [(Comparison, usize); 2] =
    [(Comparison::Name, 8), (Comparison::Citizenship, 2)];

/// Starting m probabilities per comparison, best level first (no data behind them: EM moves
/// them; they only need the right order of magnitude and the right ranking).
fn default_m(c: Comparison) -> &'static [f64] {
    match c {
        Comparison::Name => &[
            0.45, 0.12, 0.12, 0.06, 0.1, 0.04, 0.06, 0.03, 0.005, 0.005, 0.01,
        ],
        Comparison::BirthDate => &[0.75, 0.02, 0.05, 0.08, 0.03, 0.03, 0.04],
        Comparison::AgeVsBirth => &[0.6, 0.3, 0.07, 0.03],
        Comparison::Sex => &[0.97, 0.03],
        Comparison::BirthPlace => &[0.8, 0.1, 0.1],
        Comparison::Residence => &[0.6, 0.15, 0.1, 0.15],
        Comparison::Citizenship => &[0.75, 0.15, 0.05, 0.05],
        Comparison::Document => &[0.9, 0.06, 0.04],
        Comparison::Event => &[
            0.2, 0.1, 0.1, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03, 0.05, 0.05, 0.26,
        ],
    }
}

/// Starting u probabilities (rough shares among random pairs of people), used only until pairs
/// are sampled.
fn default_u(c: Comparison) -> Vec<f64> {
    let u: &[f64] = match c {
        Comparison::Name => &[1e-5, 1e-5, 2e-5, 1e-5, 1e-4, 1e-4, 2e-3, 1e-3, 2e-3, 0.02],
        Comparison::BirthDate => &[5e-5, 1e-5, 4e-4, 5e-4, 0.02, 0.05],
        Comparison::AgeVsBirth => &[0.05, 0.1, 0.1],
        Comparison::Sex => &[0.5],
        Comparison::BirthPlace => &[0.01, 0.01],
        Comparison::Residence => &[0.01, 0.01, 0.02],
        Comparison::Citizenship => &[0.3, 0.2, 0.1],
        Comparison::Document => &[1e-6, 1e-5],
        Comparison::Event => &[
            0.001, 0.002, 0.005, 0.01, 0.005, 0.02, 0.02, 0.1, 0.1, 0.1, 0.05,
        ],
    };
    let mut u = u.to_vec();
    u.push(1.0 - u.iter().sum::<f64>());
    u
}

impl Default for Model {
    fn default() -> Self {
        Model {
            format: MODEL_FORMAT.to_owned(),
            version: MODEL_VERSION,
            revision: 0,
            prior: Parameter::default_value(1e-4),
            comparisons: Comparison::ALL
                .iter()
                .map(|&c| ComparisonParams {
                    comparison: c,
                    levels: c
                        .levels()
                        .iter()
                        .zip(default_m(c))
                        .zip(default_u(c))
                        .map(|((label, &m), u)| LevelParams {
                            level: (*label).to_owned(),
                            m: Parameter::default_value(m),
                            u: Parameter::default_value(u),
                        })
                        .collect(),
                })
                .collect(),
            name_term_frequency: true,
            training: Vec::new(),
        }
    }
}

impl Model {
    /// The model as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a saved model, checking its format, version and comparisons.
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        let v: serde_json::Value = serde_json::from_str(text)?;
        let format = v
            .get("format")
            .and_then(|f| f.as_str())
            .unwrap_or("")
            .to_owned();
        if format != MODEL_FORMAT {
            return Err(ModelError::WrongFormat(format));
        }
        let version = v.get("version").and_then(|f| f.as_u64()).unwrap_or(0) as u32;
        if !(1..=MODEL_VERSION).contains(&version) {
            return Err(ModelError::UnsupportedVersion(version));
        }
        let mut model: Model = serde_json::from_value(v)?;
        if version < MODEL_VERSION {
            // Versions 1 and 2 lacked a name level and a citizenship level: they are added
            // with their defaults, the other levels keep their history.
            let defaults = Model::default();
            for (c, at) in LEVELS_ADDED_IN_3 {
                let k = c.index();
                if let Some(p) = model.comparisons.get_mut(k)
                    && p.levels.len() + 1 == c.levels().len()
                    && p.levels.len() >= at
                {
                    p.levels
                        .insert(at, defaults.comparisons[k].levels[at].clone());
                }
            }
            // Version 1's event comparison had six levels, without the place; version 2's
            // had ten.
            let event = Comparison::Event.index();
            if let Some(p) = model.comparisons.get_mut(event) {
                *p = Model::default().comparisons[event].clone();
            }
            model.version = MODEL_VERSION;
        }
        if model.comparisons.len() != COMPARISONS {
            return Err(ModelError::Mismatch(format!(
                "{} comparisons, expected {COMPARISONS}",
                model.comparisons.len()
            )));
        }
        for (p, c) in model.comparisons.iter().zip(Comparison::ALL) {
            if p.comparison != c || p.levels.len() != c.levels().len() {
                return Err(ModelError::Mismatch(format!(
                    "comparison {} has other levels",
                    p.comparison
                )));
            }
        }
        Ok(model)
    }

    /// The weights (log2 of m/u) per comparison and coded level (0, the null level, weighs 0).
    pub fn weights(&self) -> Weights {
        let mut w = [[0f32; MAX_CODES]; COMPARISONS];
        for (ci, c) in self.comparisons.iter().enumerate() {
            for (li, l) in c.levels.iter().enumerate() {
                w[ci][li + 1] = (l.m.value.max(1e-12) / l.u.value.max(1e-12)).log2() as f32;
            }
        }
        let lambda = self.prior.value.clamp(1e-300, 1.0 - 1e-12);
        Weights {
            w,
            prior: (lambda / (1.0 - lambda)).log2() as f32,
            tf: self.name_term_frequency,
        }
    }

    pub fn params(&self, c: Comparison) -> &ComparisonParams {
        &self.comparisons[c.index()]
    }
}

/// The model in the form scoring needs: weights in bits (log2 Bayes factors).
#[derive(Debug, Clone)]
pub struct Weights {
    pub(crate) w: [[f32; MAX_CODES]; COMPARISONS],
    /// log2(λ / (1 − λ)).
    pub prior: f32,
    pub(crate) tf: bool,
}

/// Name levels that are term-frequency adjusted (exact, transliteration, skeleton; coded 1–3).
pub(crate) const TF_LEVELS: u8 = 3;

impl Weights {
    /// The weight of one level.
    pub fn level(&self, c: usize, code: u8) -> f32 {
        self.w[c][usize::from(code)]
    }

    /// The term-frequency adjustment for a name agreeing at `code` on a value whose frequency
    /// among records is `relative` times the average name's: log2(1 / relative), so that a
    /// common name counts for less and a rare one for more, and the average name is unchanged.
    pub fn tf_adjustment(&self, code: u8, relative: f32) -> f32 {
        // A partial name agreeing with another is adjusted by its one part's frequency.
        if !self.tf || code == 0 || (code > TF_LEVELS && code != crate::name::PART_SUBSET + 1) {
            return 0.0;
        }
        (-f64::from(relative).max(1e-9).log2()).clamp(-16.0, 16.0) as f32
    }

    /// The match weight of a comparison vector (without the term-frequency adjustment).
    pub fn gamma_weight(&self, g: &Gamma) -> f32 {
        let mut s = self.prior;
        for (c, &code) in g.iter().enumerate() {
            s += self.w[c][usize::from(code)];
        }
        s
    }
}

/// The probability for a weight in bits.
pub fn probability(bits: f32) -> f64 {
    1.0 / (1.0 + (-f64::from(bits) * std::f64::consts::LN_2).exp())
}

/// The weight in bits for a probability.
pub fn bits(p: f64) -> f64 {
    let p = p.clamp(1e-15, 1.0 - 1e-15);
    (p / (1.0 - p)).log2()
}
