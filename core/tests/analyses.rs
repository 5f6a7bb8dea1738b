//! The analyses against figures worked by hand (`fixtures/analyses/WORKING.md`), on the worked
//! example. Every test also runs on the wasm build, so native and wasm give the same draws.

use adoptcost::analysis::{
    Distribution, LowHigh, Range, SensitivityOptions, SimulationOptions, sensitivity, simulate,
};
use adoptcost::input::{Agency, ChildAndRoute, Provenance, Scenario};
use adoptcost::{Money, Reference, TextFormat, compare};
use rust_decimal::{Decimal, MathematicalOps};

fn worked() -> Scenario {
    let agency =
        Agency::from_text(include_str!("../../fixtures/worked/agency.toml"), TextFormat::Toml, "worked")
            .expect("agency");
    let cr = ChildAndRoute::from_text(include_str!("../../fixtures/worked/child.toml"), TextFormat::Toml)
        .expect("child");
    Scenario::new(agency, cr, Provenance::named("worked"))
}

fn reference() -> &'static Reference {
    Reference::embedded().expect("reference")
}

fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

fn pence(m: Money) -> Decimal {
    m.amount().round_dp(2)
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn sensitivity_matches_the_hand_working() {
    let r = sensitivity(&worked(), reference(), &SensitivityOptions::default()).expect("sensitivity");
    assert_eq!(pence(r.base_difference), d("-18450.22"));
    // input, low, high, difference at low, at high, swing: fixtures/analyses/WORKING.md.
    let expected = [
        ("route.weeks_in_house", "27", "33", "-15750.22", "-21150.22", "5400.00"),
        ("route.fee", "35320.5", "43169.5", "-20608.69", "-16291.74", "4316.95"),
        ("route.weeks_external", "18", "22", "-20250.22", "-16650.22", "3600.00"),
        ("activity.approvals", "9", "11", "-20283.92", "-16949.91", "3334.02"),
        ("child.weekly_care_cost", "810", "990", "-17550.22", "-19350.22", "1800.00"),
    ];
    for (input, low, high, at_low, at_high, swing) in expected {
        let w = r.swings.iter().find(|w| w.input == input).unwrap_or_else(|| panic!("no swing for {input}"));
        assert_eq!((w.low, w.high), (d(low), d(high)), "{input}");
        assert_eq!(pence(w.at_low), d(at_low), "{input} at low");
        assert_eq!(pence(w.at_high), d(at_high), "{input} at high");
        assert_eq!(pence(w.swing), d(swing), "{input} swing");
        // Its workings are in the explanation and give its value from its inputs.
        let f = r.explanation.get(&w.figure).expect("workings");
        assert_eq!(f.money(), Some(w.swing));
    }
    // Ranked: the order of the hand-worked swings.
    let order: Vec<&str> =
        r.swings.iter().map(|w| w.input.as_str()).filter(|i| expected.iter().any(|e| e.0 == *i)).collect();
    assert_eq!(order, expected.map(|e| e.0));
    // Inputs that cannot move the difference are listed as such.
    for none in ["route.common_costs", "route.search_weeks", "route.success_probability"] {
        assert!(r.no_effect.iter().any(|w| w.input == none), "{none} should have no effect");
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn sensitivity_takes_the_users_range() {
    let opts = SensitivityOptions {
        change: Decimal::TEN,
        ranges: vec![LowHigh { input: "route.weeks_in_house".into(), low: d("13"), high: d("52") }],
    };
    let r = sensitivity(&worked(), reference(), &opts).expect("sensitivity");
    let w = &r.swings[0];
    assert_eq!(w.input, "route.weeks_in_house");
    assert_eq!(
        (pence(w.at_low), pence(w.at_high), pence(w.swing)),
        (d("-3150.22"), d("-38250.22"), d("35100.00"))
    );
    assert_eq!(w.how, "your range");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn sensitivity_refuses_a_bad_range_by_name() {
    for (input, low, high, says) in [
        ("route.weeks_in_hose", "1", "2", "range[1].input"),
        ("staff[9].salary", "1", "2", "the agency has 3 staff line(s)"),
        ("route.weeks_in_house", "40", "20", "range[1].low"),
        ("activity.utilisation", "50", "120", "range[1].high"),
    ] {
        let opts = SensitivityOptions {
            change: Decimal::TEN,
            ranges: vec![LowHigh { input: input.into(), low: d(low), high: d(high) }],
        };
        let e = sensitivity(&worked(), reference(), &opts).expect_err("a bad range").to_string();
        assert!(e.contains(says), "{input}: {e}");
    }
}

/// The triangle's quantile function, worked with rust_decimal's own square root (not the one
/// the simulation uses).
fn triangle_quantile(q: Decimal, a: Decimal, m: Decimal, b: Decimal) -> Decimal {
    let split = (m - a) / (b - a);
    if q < split {
        a + (q * (b - a) * (m - a)).sqrt().expect("root")
    } else {
        b - ((Decimal::ONE - q) * (b - a) * (b - m)).sqrt().expect("root")
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn monte_carlo_matches_the_closed_form() {
    let s = worked();
    let ranges = vec![Range {
        input: "route.weeks_in_house".into(),
        low: d("0"),
        likely: d("10"),
        high: d("40"),
        distribution: Distribution::Triangular,
    }];
    let sim = simulate(&s, &ranges, reference(), &SimulationOptions { draws: 20_000, seed: 7, threads: 1 })
        .expect("simulates");
    let base = compare(&s, reference()).expect("compares").routes.difference.amount();
    let weekly = d("900");
    let at = |w: Decimal| base - weekly * (w - d("30"));
    let (a, m, b) = (d("0"), d("10"), d("40"));
    let near = |got: Money, want: Decimal, tol: &str, what: &str| {
        assert!((got.amount() - want).abs() <= d(tol), "{what}: {} against {want}", got.amount());
    };
    near(sim.mean, at((a + m + b) / d("3")), "250", "mean");
    for p in &sim.percentiles {
        let q = Decimal::ONE - Decimal::from(p.percent) / Decimal::ONE_HUNDRED;
        near(p.difference, at(triangle_quantile(q, a, m, b)), "450", &format!("percentile {}", p.percent));
    }
    let w_star = d("30") + base / weekly;
    let p_cheaper = Decimal::ONE - w_star * w_star / ((b - a) * (m - a));
    assert!(
        (sim.p_external_cheaper - p_cheaper).abs() <= d("0.01"),
        "{} against {p_cheaper}",
        sim.p_external_cheaper
    );
    // One input: it drives all the spread, and D falls as W_in rises.
    assert_eq!(sim.drivers.len(), 1);
    assert!(
        (sim.drivers[0].rank_correlation + Decimal::ONE).abs() < d("1e-20"),
        "{}",
        sim.drivers[0].rank_correlation
    );
    // The histogram holds every draw.
    assert_eq!(sim.histogram.iter().map(|b| b.count).sum::<u32>(), 20_000);
}

fn golden_run(threads: usize) -> adoptcost::analysis::Simulation {
    let ranges = vec![
        Range {
            input: "staff[1].salary".into(),
            low: d("36000"),
            likely: d("40000"),
            high: d("47000"),
            distribution: Distribution::Pert,
        },
        Range {
            input: "activity.approvals".into(),
            low: d("7"),
            likely: d("10"),
            high: d("12"),
            distribution: Distribution::Triangular,
        },
        Range {
            input: "route.weeks_in_house".into(),
            low: d("10"),
            likely: d("30"),
            high: d("60"),
            distribution: Distribution::Pert,
        },
        Range {
            input: "route.fee".into(),
            low: d("37000"),
            likely: d("39245"),
            high: d("41000"),
            distribution: Distribution::Triangular,
        },
    ];
    simulate(&worked(), &ranges, reference(), &SimulationOptions { draws: 3000, seed: 20_261_123, threads })
        .expect("simulates")
}

/// The run's answer as text: what must not change between runs, thread counts or platforms.
fn summary(sim: &adoptcost::analysis::Simulation) -> String {
    let mut out = format!("mean {}\n", sim.mean.amount());
    for p in &sim.percentiles {
        out.push_str(&format!("p{} {}\n", p.percent, p.difference.amount()));
    }
    out.push_str(&format!("p_external_cheaper {}\n", sim.p_external_cheaper));
    for x in &sim.drivers {
        out.push_str(&format!("rho {} {}\n", x.input, x.rank_correlation));
    }
    for (i, s) in sim.samples.iter().take(5).enumerate() {
        let v: Vec<String> = s.inputs.iter().map(|v| v.to_string()).collect();
        out.push_str(&format!("draw {} {} -> {}\n", i + 1, v.join(" "), s.difference.amount()));
    }
    out
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn monte_carlo_is_the_same_everywhere() {
    let one = summary(&golden_run(1));
    assert_eq!(one, summary(&golden_run(1)), "the same seed, the same answer");
    assert_eq!(one, summary(&golden_run(3)), "threads do not change the answer");
    // The golden file was written by a native run (UPDATE_GOLDEN=1); the wasm build checks
    // itself against the same file, so native and wasm draw the same numbers.
    let golden = include_str!("../../fixtures/golden/simulate-worked.txt");
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/golden/simulate-worked.txt"), &one)
            .expect("golden written");
        return;
    }
    assert_eq!(
        one, golden,
        "differs from fixtures/golden/simulate-worked.txt; regenerate with UPDATE_GOLDEN=1 only if intended"
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn break_even_curves_match_the_hand_working() {
    let (c, model) = adoptcost::compare::compare_model(&worked(), reference()).expect("compares");
    let (w, a) = adoptcost::analysis::curves::curves(&model).expect("curves");
    assert_eq!(w.points.first().map(|p| (p.weeks, pence(p.in_house))), Some((d("0"), d("37934.97"))));
    assert_eq!(w.points.last().map(|p| (p.weeks, pence(p.in_house))), Some((d("104"), d("131534.97"))));
    let be = w.break_even.expect("a break-even wait");
    assert_eq!(be.weeks.round_dp(2), d("9.50"));
    assert_eq!(be.in_house, be.external);
    assert_eq!(
        a.actual.in_house, c.routes.in_house,
        "the agency's own approvals give the route as worked out"
    );
    let n = a.break_even.expect("a break-even approvals");
    assert_eq!(n.approvals.round_dp(2), d("24.70"));
    assert_eq!(pence(n.full), d("23484.75"));
    // More approvals, lower full cost.
    assert!(a.points.windows(2).all(|p| p[1].full < p[0].full));
}
