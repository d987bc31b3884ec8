//! The estimates chart, drawn on the server as SVG: per stratum, a bar for the people documented
//! and a point with a whisker for the estimate and its interval. No script, no external font.

use maud::{Markup, html};

/// One stratum's figures.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub documented: f64,
    pub estimate: Option<(f64, f64, f64)>,
}

/// Labels for the legend and the accessible title.
pub struct Labels<'a> {
    pub title: &'a str,
    pub documented: &'a str,
    pub estimated: &'a str,
}

/// A round number at or above `x` for the axis (1, 2 or 5 times a power of ten).
fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(x.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * power >= x {
            return m * power;
        }
    }
    10.0 * power
}

/// The axis's ticks from 0 to `max` (a [`nice_ceiling`]) at round steps: fifths of 1 or 5
/// times a power of ten, quarters of 2 times one.
fn ticks(max: f64) -> Vec<f64> {
    let mantissa = max / 10f64.powf(max.log10().floor());
    let parts = if (mantissa - 2.0).abs() < 1e-9 { 4 } else { 5 };
    (0..=parts)
        .map(|i| max * f64::from(i) / f64::from(parts))
        .collect()
}

/// The narrowest chart: room for the legend's longer label beside the axis.
const MIN_WIDTH: f64 = 480.0;

pub fn draw(bars: &[Bar], labels: &Labels) -> Markup {
    let top = bars
        .iter()
        .map(|b| {
            b.estimate
                .map_or(b.documented, |(_, _, hi)| hi.max(b.documented))
        })
        .fold(0.0, f64::max);
    let max = nice_ceiling(top);
    let (left, right, top_pad, bottom) = (60.0, 20.0, 30.0, 84.0);
    let slot = 70.0;
    let width = (left + right + slot * bars.len().max(1) as f64).max(MIN_WIDTH);
    let height = 330.0;
    let plot_h = height - top_pad - bottom;
    let y = |v: f64| top_pad + plot_h * (1.0 - (v / max).clamp(0.0, 1.0));
    let ticks = ticks(max);
    // The legend: two rows under the stratum labels, a bar for the documented and a point
    // with its whisker for the estimate and interval.
    let (row1, row2) = (height - 40.0, height - 18.0);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" role="img" viewBox={ "0 0 " (width) " " (height) }
            width=(width) height=(height) aria-label=(labels.title) {
            title { (labels.title) }
            @for tick in &ticks {
                line x1=(left) x2=(width - right) y1=(y(*tick)) y2=(y(*tick)) stroke="#d5dbe0" {}
                text x=(left - 6.0) y=(y(*tick) + 4.0) text-anchor="end" font-size="11" fill="#5b6770" { (if tick.fract() == 0.0 { format!("{tick:.0}") } else { format!("{tick}") }) }
            }
            @for (i, bar) in bars.iter().enumerate() {
                @let cx = left + slot * i as f64 + slot / 2.0;
                rect x=(cx - 18.0) y=(y(bar.documented)) width="20" height=(y(0.0) - y(bar.documented)) fill="#0b5cad" {
                    title { (labels.documented) ": " (format!("{:.0}", bar.documented)) }
                }
                @if let Some((median, lo, hi)) = bar.estimate {
                    line x1=(cx + 12.0) x2=(cx + 12.0) y1=(y(lo)) y2=(y(hi)) stroke="#a4161a" stroke-width="2" {}
                    line x1=(cx + 7.0) x2=(cx + 17.0) y1=(y(lo)) y2=(y(lo)) stroke="#a4161a" stroke-width="2" {}
                    line x1=(cx + 7.0) x2=(cx + 17.0) y1=(y(hi)) y2=(y(hi)) stroke="#a4161a" stroke-width="2" {}
                    circle cx=(cx + 12.0) cy=(y(median)) r="4" fill="#a4161a" {
                        title { (labels.estimated) ": " (format!("{median:.0} ({lo:.0}–{hi:.0})")) }
                    }
                }
                text x=(cx) y=(height - bottom + 16.0) text-anchor="middle" font-size="11" fill="#1d2327" { (bar.label) }
            }
            g.legend {
                rect x=(left) y=(row1 - 10.0) width="12" height="12" fill="#0b5cad" {}
                text.legend-documented x=(left + 22.0) y=(row1) font-size="12" fill="#1d2327" { (labels.documented) }
                line x1=(left + 6.0) x2=(left + 6.0) y1=(row2 - 12.0) y2=(row2 + 2.0) stroke="#a4161a" stroke-width="2" {}
                line x1=(left + 2.0) x2=(left + 10.0) y1=(row2 - 12.0) y2=(row2 - 12.0) stroke="#a4161a" stroke-width="2" {}
                line x1=(left + 2.0) x2=(left + 10.0) y1=(row2 + 2.0) y2=(row2 + 2.0) stroke="#a4161a" stroke-width="2" {}
                circle cx=(left + 6.0) cy=(row2 - 5.0) r="4" fill="#a4161a" {}
                text.legend-estimated x=(left + 22.0) y=(row2) font-size="12" fill="#1d2327" { (labels.estimated) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_ceilings_are_round() {
        for (x, want) in [
            (0.0, 1.0),
            (7.0, 10.0),
            (12.0, 20.0),
            (430.0, 500.0),
            (1000.0, 1000.0),
        ] {
            assert_eq!(nice_ceiling(x), want, "{x}");
        }
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(50.0), [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(ticks(20.0), [0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(ticks(1000.0), [0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]);
        assert_eq!(ticks(1.0), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    #[test]
    fn bars_scale_to_the_axis_and_labels_are_escaped() {
        let bars = [
            Bar {
                label: "<script>".into(),
                documented: 50.0,
                estimate: Some((80.0, 60.0, 100.0)),
            },
            Bar {
                label: "2022-10".into(),
                documented: 25.0,
                estimate: None,
            },
        ];
        let svg = draw(
            &bars,
            &Labels {
                title: "t",
                documented: "d",
                estimated: "e",
            },
        )
        .into_string();
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
        // Max 100: the plot spans y 30..246, so 50 documented starts at y = 138 and is 108 high.
        assert!(svg.contains(r#"y="138" width="20" height="108""#), "{svg}");
        assert_eq!(
            svg.matches("<circle").count(),
            2,
            "one estimate point and the legend's"
        );
        // Both legend entries, inside the drawing even with one or two strata.
        assert!(
            svg.contains(r#"class="legend-documented" x="82" y="290""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"class="legend-estimated" x="82" y="312""#),
            "{svg}"
        );
        assert!(svg.contains(r#"viewBox="0 0 480 330""#), "{svg}");
    }
}
