//! Links the demo's synthetic world (recount-synth's six sources) in memory with the default
//! settings and prints pairwise precision, recall and F1 against its truth, with where the
//! missed and the false pairs come from (by source pair; blocking or score). The same world and
//! settings as `recount demo`, without the database and the estimate.
//!
//! cargo run --release -p recount-link --example demo_linkage -- [SEED] [PEOPLE] [--examples N] [--threshold P]

use recount_link::{Dataset, DedupePolicy, LinkConfig, Model, Pair, explain, link};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed: u64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(1);
    let people: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(3000);
    let examples: usize = args
        .iter()
        .position(|a| a == "--examples")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let world = recount_synth::generate(&recount_synth::WorldConfig {
        seed,
        people,
        ..recount_synth::WorldConfig::default()
    });
    let policy = DedupePolicy::marked(&world.sources);
    let ds = Dataset::from_records(&world.records, &policy);
    let t = Instant::now();
    let mut cfg = LinkConfig::with_seed(seed);
    if let Some(t) = args
        .iter()
        .position(|a| a == "--threshold")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
    {
        cfg.threshold = t;
    }
    let run = link(&ds, &Model::default(), &[], &cfg);
    let elapsed = t.elapsed();
    let truth: HashMap<_, u32> = world.truth.iter().map(|(k, p)| (k.clone(), p.0)).collect();
    let true_of: Vec<u32> = (0..ds.len() as u32).map(|i| truth[&ds.key(i)]).collect();
    let same = |i: u32, j: u32| {
        run.clustering.cluster_of[i as usize] == run.clustering.cluster_of[j as usize]
    };
    let source = |i: u32| ds.source_of(i).as_str().to_owned();
    let pair_key = |i: u32, j: u32| {
        let (a, b) = (source(i), source(j));
        if a <= b {
            format!("{a}~{b}")
        } else {
            format!("{b}~{a}")
        }
    };

    // Every true pair.
    let mut by_person: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (i, &t) in true_of.iter().enumerate() {
        by_person.entry(t).or_default().push(i as u32);
    }
    let candidates: HashMap<Pair, usize> = run
        .blocking
        .pairs
        .iter()
        .enumerate()
        .map(|(k, p)| (*p, k))
        .collect();
    let mut true_pairs = 0u64;
    let mut found = 0u64;
    let mut not_proposed: BTreeMap<String, u64> = BTreeMap::new();
    let mut below: BTreeMap<String, u64> = BTreeMap::new();
    let mut linkable_true = 0u64;
    let mut examples_np = Vec::new();
    let mut examples_below = Vec::new();
    for members in by_person.values() {
        for x in 0..members.len() {
            for y in x + 1..members.len() {
                let (i, j) = (members[x], members[y]);
                true_pairs += 1;
                if !ds.may_link(i, j) {
                    continue;
                }
                linkable_true += 1;
                if same(i, j) {
                    found += 1;
                    continue;
                }
                let p = Pair::new(i, j);
                match candidates.get(&p) {
                    None => {
                        *not_proposed.entry(pair_key(i, j)).or_default() += 1;
                        examples_np.push(p);
                    }
                    Some(&k) => {
                        *below.entry(pair_key(i, j)).or_default() += 1;
                        examples_below.push((p, k));
                    }
                }
            }
        }
    }
    let mut linked = 0u64;
    let mut correct = 0u64;
    let mut false_by: BTreeMap<String, u64> = BTreeMap::new();
    let clusters = run.clustering.clusters();
    let mut false_examples = Vec::new();
    for c in &clusters {
        for x in 0..c.len() {
            for y in x + 1..c.len() {
                linked += 1;
                if true_of[c[x] as usize] == true_of[c[y] as usize] {
                    correct += 1;
                } else {
                    *false_by.entry(pair_key(c[x], c[y])).or_default() += 1;
                    false_examples.push(Pair::new(c[x], c[y]));
                }
            }
        }
    }
    // Calibration: candidate pairs by their match probability (pair weight with the
    // one-to-one adjustment), against the share truly the same person.
    let mut bins = [(0u64, 0u64, 0f64); 10];
    for (k, p) in run.blocking.pairs.iter().enumerate() {
        let w = f64::from(run.weights[k] + run.one_to_one[k]);
        let prob = 1.0 / (1.0 + (-w * std::f64::consts::LN_2).exp());
        let b = ((prob * 10.0) as usize).min(9);
        bins[b].0 += 1;
        bins[b].1 += u64::from(true_of[p.a as usize] == true_of[p.b as usize]);
        bins[b].2 += prob;
    }
    let calibration: Vec<String> = bins
        .iter()
        .enumerate()
        .filter(|(_, b)| b.0 > 0)
        .map(|(i, b)| {
            format!(
                "{:.1}-{:.1}: {} pairs, mean p {:.2}, true {:.2}",
                i as f64 / 10.0,
                (i + 1) as f64 / 10.0,
                b.0,
                b.2 / b.0 as f64,
                b.1 as f64 / b.0 as f64
            )
        })
        .collect();
    let precision = correct as f64 / linked.max(1) as f64;
    let recall = correct as f64 / true_pairs.max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(1e-12);
    println!(
        "seed {seed}: {} records -> {} persons (truly documented {}); candidates {}; {:.2} s",
        ds.len(),
        run.clustering.persons(),
        world.documented(),
        run.blocking.pairs.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "precision {precision:.4} recall {recall:.4} F1 {f1:.4} (true pairs {true_pairs}, linkable {linkable_true}, found {found}, linked {linked})"
    );
    for r in &run.blocking.rules {
        println!("  rule {}: {} pairs, {} new", r.rule, r.pairs, r.new_pairs);
    }
    println!("  training: {:?}", run.training);
    let w = run.model.weights();
    println!("  prior {:.2} bits", w.prior);
    println!("  calibration (candidate pairs by match probability):");
    for line in &calibration {
        println!("    {line}");
    }
    for (c, cp) in run.model.comparisons.iter().enumerate() {
        let levels: Vec<String> = cp
            .levels
            .iter()
            .enumerate()
            .map(|(l, lp)| {
                format!(
                    "{} m={:.3} u={:.4} ({:+.1})",
                    lp.level,
                    lp.m.value,
                    lp.u.value,
                    w.level(c, l as u8 + 1)
                )
            })
            .collect();
        println!("  {}: {}", cp.comparison, levels.join(", "));
    }
    println!("missed, never proposed: {not_proposed:?}");
    println!("missed, proposed but apart: {below:?}");
    println!("false links: {false_by:?}");
    let show = |p: Pair| {
        let r = |i: u32| {
            let rec = &world.records[i as usize];
            format!(
                "{} {:?} [{}|{}|{}|{}] b={:?} age={:?} res={:?} bp={:?} ev={:?} {:?} cit={:?} o={:?} doc={:?}",
                rec.record_id,
                rec.report_id.as_deref().unwrap_or(""),
                rec.name.as_deref().unwrap_or(""),
                rec.given_name.as_deref().unwrap_or(""),
                rec.family_name.as_deref().unwrap_or(""),
                rec.patronymic.as_deref().unwrap_or(""),
                rec.birth_date.map(|d| d.to_string()),
                rec.age.map(|a| a.to_string()),
                rec.residence,
                rec.birth_place,
                rec.event.as_ref().map(|e| e.as_str().to_owned()),
                rec.event_date.map(|d| d.to_string()),
                rec.citizenship
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>(),
                rec.origin.map(|c| c.as_str().to_owned()),
                rec.document_id,
            )
        };
        format!("  {}\n  {}", r(p.a), r(p.b))
    };
    let explain_line = |p: Pair| {
        let e = explain(&ds, &run.model, p);
        let parts: Vec<String> = e
            .contributions
            .iter()
            .filter(|c| c.level != "null")
            .map(|c| format!("{}={}({:+.1})", c.comparison, c.level, c.weight))
            .collect();
        format!(
            "  w={:+.1} prior={:+.1} tf={:+.1} {}",
            e.match_weight,
            e.prior,
            e.term_frequency,
            parts.join(" ")
        )
    };
    if examples > 0 {
        let mut seen = HashSet::new();
        println!("--- never proposed");
        for p in examples_np
            .iter()
            .step_by((examples_np.len() / examples.max(1)).max(1))
            .take(examples)
        {
            if seen.insert(*p) {
                println!("{}\n{}", show(*p), explain_line(*p));
            }
        }
        println!("--- proposed, apart");
        for (p, k) in examples_below
            .iter()
            .step_by((examples_below.len() / examples.max(1)).max(1))
            .take(examples)
        {
            println!(
                "{}\n{} one_to_one={:+.1}",
                show(*p),
                explain_line(*p),
                run.one_to_one[*k]
            );
        }
        println!("--- false links");
        for p in false_examples
            .iter()
            .step_by((false_examples.len() / examples.max(1)).max(1))
            .take(examples)
        {
            println!("{}\n{}", show(*p), explain_line(*p));
        }
    }
}
