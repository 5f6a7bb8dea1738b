//! Every figure's expression (`Figure::calc`, written to the costed workbook as a live Excel
//! formula) gives its value from the inputs it cites, exactly as they are shown, across the
//! example, the worked example, the filled workbook's rows, the benchmark and the budget; an
//! input that is another figure carries that figure's value; and the figures whose value is
//! chosen rather than worked out are only those named here.

use adoptcost::explain::{Explanation, Origin};
use adoptcost::expr::{Expr, Stop};
use adoptcost::input::{ChildAndRoute, Provenance};
use adoptcost::text::TextFormat;
use adoptcost::{Agency, Reference, Scenario, compare, example};

fn explanations() -> Vec<(String, Explanation)> {
    let reference = Reference::embedded().expect("reference");
    let mut out = Vec::new();
    let example = compare(&example::scenario().expect("example"), reference).expect("compares");
    out.push(("example".to_string(), example.explanation));
    let agency =
        Agency::from_text(include_str!("../../fixtures/worked/agency.toml"), TextFormat::Toml, "worked")
            .expect("agency");
    let cr = ChildAndRoute::from_text(include_str!("../../fixtures/worked/child.toml"), TextFormat::Toml)
        .expect("child");
    let worked =
        compare(&Scenario::new(agency, cr, Provenance::named("worked")), reference).expect("compares");
    out.push(("worked".to_string(), worked.explanation));
    // The worked sibling group, with the worked agency's sibling uplift.
    let agency =
        Agency::from_text(include_str!("../../fixtures/worked/agency.toml"), TextFormat::Toml, "worked")
            .expect("agency");
    let cr = ChildAndRoute::from_text(include_str!("../../fixtures/worked/siblings.toml"), TextFormat::Toml)
        .expect("group");
    let group =
        compare(&Scenario::new(agency, cr, Provenance::named("siblings")), reference).expect("compares");
    out.push(("worked siblings".to_string(), group.explanation));
    // The example VAA (its sales figures), placing the example child in 2026/27: at an
    // estimated VAA fee (the uplift's figures), and at the LA/RAA fee used after it was last
    // confirmed.
    let vaa = Agency::from_text(include_str!("../../fixtures/vaa/agency.toml"), TextFormat::Toml, "vaa")
        .expect("vaa agency");
    let mut s = example::scenario().expect("example");
    s.agency = vaa;
    s.route.placement_date = None;
    s.today = Some(jiff::civil::date(2026, 12, 6));
    s.route.fee_uplift = Some(rust_decimal::Decimal::new(36, 1));
    out.push(("vaa, estimated fee".to_string(), compare(&s, reference).expect("compares").explanation));
    s.route.provider = Some(adoptcost::input::Provider::La);
    out.push(("vaa, continuing fee".to_string(), compare(&s, reference).expect("compares").explanation));
    // Embedded, not read from disk, so the test also runs on the wasm build.
    let bytes: &[u8] = include_bytes!("../../fixtures/workbooks/filled.xlsx");
    let batch =
        adoptcost::workbook::run(bytes, reference, &adoptcost::workbook::options(0, None), &mut |_, _| {})
            .expect("runs");
    for a in batch.agencies {
        out.push((format!("workbook agency {}", a.code), a.costed.explanation));
    }
    for p in batch.placements {
        out.push((format!("workbook row {}", p.row), p.placement.explanation));
    }
    let bytes: &[u8] = include_bytes!("../../fixtures/benchmark/agencies.xlsx");
    let bench = adoptcost::workbook::benchmark_workbook(bytes, reference).expect("benchmarks");
    out.push(("benchmark".to_string(), bench.benchmark.explanation));
    let budget = adoptcost::analysis::budget(
        &example::agency().expect("agency"),
        &example::forecast().expect("forecast"),
        "example",
        reference,
    )
    .expect("budget");
    out.push(("budget".to_string(), budget.explanation));
    out
}

/// Figures whose value the method chooses rather than works out (by id prefix): the fee year
/// from a date, a percentile's rank among the draws, a rank correlation, a benchmark rank.
const CHOSEN: &[&str] = &["fee.year", "uncertainty.p", "uncertainty.driver.", "benchmark.rank."];

/// Walks every figure's cited inputs and works the figure out again from them, as they are
/// shown: a figure that cited the wrong figure, or a value other than the one it used, fails.
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn every_figure_gives_its_value_from_the_inputs_it_cites() {
    let mut checked = 0;
    for (name, ex) in explanations() {
        for f in &ex.figures {
            let calc = f.calc.as_ref().unwrap_or_else(|| panic!("{name}: {} has no expression", f.id));
            // A figure copied under a prefix (`NORTH/`, `profile[1].Q1/`) keeps its own id after it.
            let own = f.id.rsplit('/').next().unwrap_or(&f.id);
            if matches!(calc, Expr::Chosen(..)) && f.expression_value().is_some() {
                assert!(
                    CHOSEN.iter().any(|p| own.starts_with(p)),
                    "{name}: {} is chosen, not worked out",
                    f.id
                );
            }
            let Some(want) = f.expression_value() else { continue };
            let got = calc
                .eval(&|n| f.input_value(n as usize).ok_or(Stop::Undefined(n)))
                .unwrap_or_else(|s| panic!("{name}: {}: `{calc:?}` has no value: {s:?}", f.id));
            assert_eq!(got, want, "{name}: {}: `{calc:?}` gives {got} from its inputs as shown", f.id);
            // Each input that is another figure carries that figure's value.
            for t in &f.inputs {
                if let Origin::Figure { id } = &t.origin
                    && let Some(cited) = ex.get(id)
                {
                    assert_eq!(cited.result.quantity(), Some(&t.value), "{name}: {} cites {id}", f.id);
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} figures checked");
}
