//! BMA against the dga reference figures for Kosovo (tests/data/README.md).

use super::*;

fn table(name: &str) -> CaptureTable {
    let path = format!("{}/tests/data/{name}.csv", env!("CARGO_MANIFEST_DIR"));
    CaptureTable::from_csv(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .0
}

#[test]
fn counts_of_decomposable_graphs() {
    assert_eq!(decomposable_graphs(3).len(), 8);
    assert_eq!(decomposable_graphs(4).len(), 61);
    assert_eq!(decomposable_graphs(5).len(), 822);
}

#[test]
fn kosovo_matches_dga() {
    let r = estimate_bma(&table("kosovo"), &BmaConfig::default()).unwrap();
    let d = r.bma.as_ref().unwrap();
    eprintln!("{:?} {:?}", r.estimate, &d.top[..3]);
    assert_eq!(d.delta, 1.0 / 16.0);
    // dga: posterior median 12,595, 95% interval 9,827–16,544; the grid is integer, so ±0.1%.
    let close = |a: f64, b: f64| ((a - b) / b).abs() < 0.001;
    assert!(close(r.estimate.median, 12_595.0), "{}", r.estimate.median);
    assert!(close(r.estimate.lower, 9_827.0), "{}", r.estimate.lower);
    assert!(close(r.estimate.upper, 16_544.0), "{}", r.estimate.upper);
    // {EXH, ABA, OSCE} + {EXH, OSCE, HRW} holds 0.986 of the mass.
    assert_eq!(d.top[0].graph, "[123,134]");
    assert!(
        (d.top[0].probability - 0.986).abs() < 0.001,
        "{}",
        d.top[0].probability
    );
}

#[test]
fn five_lists_run_over_822_graphs() {
    let r = estimate_bma(&table("dga_my5"), &BmaConfig::default()).unwrap();
    eprintln!("{:?} {:?}", r.estimate, &r.bma.as_ref().unwrap().top[..3]);
    assert_eq!(r.bma.as_ref().unwrap().graphs, 822);
    assert!(r.estimate.lower >= 537.0 && r.estimate.lower < r.estimate.median);
}
