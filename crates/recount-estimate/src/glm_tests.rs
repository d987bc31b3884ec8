use super::*;

#[test]
fn ln_gamma_matches_factorials() {
    let mut f = 1.0f64;
    for n in 1..30 {
        f *= n as f64;
        assert!((ln_gamma(n as f64 + 1.0) - f.ln()).abs() < 1e-10 * f.ln().max(1.0));
    }
    assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
}

#[test]
fn a_saturated_design_reproduces_the_counts() {
    // Two cells, intercept and one indicator: fitted values equal the counts exactly.
    let x = Design::from_rows(&[vec![1.0, 0.0], vec![1.0, 1.0]]);
    let f = fit_poisson(&x, &[10.0, 30.0]).unwrap();
    assert!((f.beta[0] - 10f64.ln()).abs() < 1e-9);
    assert!((f.beta[1] - 3f64.ln()).abs() < 1e-9);
    assert!(f.deviance.abs() < 1e-9);
    // var(β₀) = 1/10 for a Poisson cell.
    assert!((f.var_intercept - 0.1).abs() < 1e-9);
}

#[test]
fn a_collinear_design_is_refused() {
    let x = Design::from_rows(&[vec![1.0, 1.0], vec![1.0, 1.0], vec![1.0, 1.0]]);
    assert_eq!(
        fit_poisson(&x, &[1.0, 2.0, 3.0]).unwrap_err(),
        GlmFailure::NotFullRank
    );
}
