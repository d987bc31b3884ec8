//! A seeded, clearly labelled synthetic world: people, sources, the lists they keep, and the truth.
