//! The one source of randomness: a seeded PCG stream with the few draws the generator needs.
//!
//! The draws are written here on top of `next_u64` (rather than taken from `rand`'s
//! distributions) so that a seed's output depends only on the PCG stream, not on how a future
//! `rand` release implements ranges or floats.

use rand_pcg::Pcg64Mcg;
use rand_pcg::rand_core::{Rng, SeedableRng};

/// A seeded random stream.
#[derive(Debug, Clone)]
pub(crate) struct Dice {
    rng: Pcg64Mcg,
}

impl Dice {
    pub(crate) fn new(seed: u64) -> Self {
        Dice {
            rng: Pcg64Mcg::seed_from_u64(seed),
        }
    }

    /// An independent stream for one part of the world (`stream` names the part), so that
    /// changing how one part draws does not shift every other part's numbers.
    pub(crate) fn derive(seed: u64, stream: u64) -> Self {
        let mixed = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
        Dice::new(mixed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A uniform number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p` (clamped to `[0, 1]`).
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniform integer in `0..n`; `n` must be positive.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A uniform integer in `lo..=hi`.
    pub(crate) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with probability proportional to `weights` (not all zero).
    pub(crate) fn weighted_index(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
    }

    /// One of `items`, drawn with the weight beside it.
    pub(crate) fn weighted<'a, T>(&mut self, items: &'a [(T, f64)]) -> &'a T {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.unit() * total;
        for (item, w) in items {
            if x < *w {
                return item;
            }
            x -= w;
        }
        &items[items.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_streams_differ() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut d = Dice::new(7);
                move |_| d.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut d = Dice::new(7);
                move |_| d.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(Dice::derive(7, 1).next_u64(), Dice::derive(7, 2).next_u64());
    }

    #[test]
    fn draws_stay_in_range_and_are_roughly_uniform() {
        let mut d = Dice::new(1);
        let mut counts = [0usize; 4];
        for _ in 0..40_000 {
            let u = d.unit();
            assert!((0.0..1.0).contains(&u));
            counts[d.below(4)] += 1;
            let b = d.between(-2, 2);
            assert!((-2..=2).contains(&b));
        }
        for c in counts {
            assert!((9_400..10_600).contains(&c), "{counts:?}");
        }
        let heads = (0..10_000).filter(|_| d.chance(0.3)).count();
        assert!((2_800..3_200).contains(&heads), "{heads}");
        let w = [0.0, 1.0, 3.0];
        let picks: Vec<usize> = (0..8_000).map(|_| d.weighted_index(&w)).collect();
        assert_eq!(picks.iter().filter(|&&i| i == 0).count(), 0);
        let twos = picks.iter().filter(|&&i| i == 2).count();
        assert!((5_700..6_300).contains(&twos), "{twos}");
    }
}
