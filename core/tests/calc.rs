//! Every figure that carries arithmetic (`Figure::calc`, written to the costed workbook as a
//! live Excel formula) gives its own value from its own inputs, exactly, across the example,
//! the worked example and the filled workbook's rows; and the figures left as values are only
//! choices and lookups, named here.

use adoptcost::calc::{input_value, result_value};
use adoptcost::explain::{Explanation, Outcome};
use adoptcost::input::{ChildAndRoute, Provenance};
use adoptcost::text::{TextFormat, from_text};
use adoptcost::{Agency, Reference, Scenario, compare, example};

fn explanations() -> Vec<(String, Explanation)> {
    let reference = Reference::embedded().expect("reference");
    let mut out = Vec::new();
    let example = compare(&example::scenario().expect("example"), reference).expect("compares");
    out.push(("example".to_string(), example.explanation));
    let agency =
        Agency::from_text(include_str!("../../fixtures/worked/agency.toml"), TextFormat::Toml, "worked")
            .expect("agency");
    let cr: ChildAndRoute =
        from_text(include_str!("../../fixtures/worked/child.toml"), TextFormat::Toml).expect("child");
    let worked =
        compare(&Scenario::new(agency, cr, Provenance::named("worked")), reference).expect("compares");
    out.push(("worked".to_string(), worked.explanation));
    // Embedded, not read from disk, so the test also runs on the wasm build.
    let bytes: &[u8] = include_bytes!("../../fixtures/workbooks/filled.xlsx");
    let batch = adoptcost::workbook::run(bytes, reference, &mut |_, _| {}).expect("runs");
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

/// Figures whose value is a choice, a lookup or a user's figure rather than arithmetic over
/// their inputs (by id prefix).
/// A benchmark rank counts the agencies below (a choice of ranking, not arithmetic).
const NOT_ARITHMETIC: &[&str] = &["fee.year", "benchmark.rank."];

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn every_figure_with_arithmetic_gives_its_value_from_its_inputs() {
    let mut without = std::collections::BTreeSet::new();
    let mut checked = 0;
    for (name, ex) in explanations() {
        for f in &ex.figures {
            let Some(calc) = &f.calc else {
                if matches!(f.result, Outcome::Value { .. })
                    // A figure copied under a prefix (`NORTH/`, `profile[1].Q1/`) by its own id.
                    && !NOT_ARITHMETIC.iter().any(|p| f.id.rsplit('/').next().is_some_and(|id| id.starts_with(p)))
                {
                    without.insert(f.id.clone());
                }
                continue;
            };
            let Some(want) = result_value(f) else { continue };
            let got = calc
                .eval(&|n| input_value(f, n as usize).ok_or(adoptcost::method::expr::Stop::Undefined(n)))
                .unwrap_or_else(|s| panic!("{name}: {}: `{calc:?}` has no value: {s:?}", f.id));
            assert_eq!(got, want, "{name}: {}: `{calc:?}` gives {got} from its inputs as shown", f.id);
            checked += 1;
        }
    }
    assert!(without.is_empty(), "figures with a value but no arithmetic: {without:#?}");
    assert!(checked > 500, "only {checked} figures checked");
}
