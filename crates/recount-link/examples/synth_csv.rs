//! Writes one of recount-synth's linkage benchmark sets as Records CSV v1 plus its truth, for
//! the side-by-side benchmark in bench/linkage/ (recount and Splink read the same files).
//!
//! cargo run --release -p recount-link --example synth_csv -- duplicated 1000000 7 records.csv truth.csv
//! cargo run --release -p recount-link --example synth_csv -- cross_script 5000 7 records.csv truth.csv

use recount_types::RECORDS_CSV_V1_COLUMNS;
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, n, seed, records, truth] = args.as_slice() else {
        return Err("usage: synth_csv duplicated|cross_script N SEED RECORDS.csv TRUTH.csv".into());
    };
    let n: usize = n.parse()?;
    let seed: u64 = seed.parse()?;
    let set = match kind.as_str() {
        "duplicated" => recount_synth::duplicated_records(seed, n),
        "cross_script" => recount_synth::cross_script_lists(seed, n),
        other => return Err(format!("unknown set '{other}'").into()),
    };
    let mut w = csv::Writer::from_path(records)?;
    w.write_record(RECORDS_CSV_V1_COLUMNS)?;
    for r in &set.records {
        w.write_record(r.to_csv_v1_row())?;
    }
    w.flush()?;
    let mut t = csv::Writer::from_path(truth)?;
    t.write_record(["source", "record_id", "true_person"])?;
    for (k, id) in &set.truth {
        t.write_record([k.source.as_str(), k.record_id.as_str(), &id.0.to_string()])?;
    }
    t.flush()?;
    let dedupe: Vec<&str> = set
        .sources
        .iter()
        .filter(|s| s.contains_duplicates)
        .map(|s| s.name.as_str())
        .collect();
    println!(
        "{} records, {} true pairs; dedupe: {}",
        set.records.len(),
        set.true_pairs(),
        dedupe.join(",")
    );
    Ok(())
}
