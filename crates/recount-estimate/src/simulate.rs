//! Simulated populations with a known size, for parameter recovery and coverage studies: each
//! person belongs to a latent class, and each list records them independently with the class's
//! probability (the LCMCR model; one class is the independence model).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::captures::{CaptureTable, Pattern};
use crate::error::CaptureError;

/// A latent-class population: class weights and, per class, each list's recording probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// The true number of people.
    pub size: u64,
    /// Class weights (need not sum to one; they are normalised).
    pub weights: Vec<f64>,
    /// `probabilities[class][list]`.
    pub probabilities: Vec<Vec<f64>>,
}

impl Population {
    /// Draws who each list recorded; returns the documented people's capture table (lists named
    /// `L1`, `L2`, …).
    pub fn simulate(&self, seed: u64) -> Result<CaptureTable, CaptureError> {
        let lists = self.probabilities.first().map_or(0, Vec::len);
        let names = (1..=lists).map(|j| format!("L{j}")).collect();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let total: f64 = self.weights.iter().sum();
        let mut counts = std::collections::BTreeMap::new();
        for _ in 0..self.size {
            let mut u = unit(&mut rng) * total;
            let mut class = self.weights.len() - 1;
            for (c, w) in self.weights.iter().enumerate() {
                if u < *w {
                    class = c;
                    break;
                }
                u -= w;
            }
            let mut p = 0u32;
            for (j, &pr) in self.probabilities[class].iter().enumerate() {
                if unit(&mut rng) < pr {
                    p |= 1 << j;
                }
            }
            if p != 0 {
                *counts.entry(Pattern(p)).or_insert(0u64) += 1;
            }
        }
        CaptureTable::from_counts(names, counts)
    }
}

fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}
