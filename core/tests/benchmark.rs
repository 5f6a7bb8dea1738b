//! Benchmarking across agencies against results worked out independently of the code:
//! `fixtures/benchmark/make.py` builds the 13-agency workbook and works out every unit cost,
//! quartile, fence, rank and flag in exact fractions (COSTING.md §3–5 and Python's
//! `statistics.quantiles(method="inclusive")`, Excel's QUARTILE.INC), into `expected.toml`.
//! Runs natively and on the wasm build.

use adoptcost::Reference;
use adoptcost::analysis::benchmark::{Flag, quartile};
use adoptcost::money::Money;
use adoptcost::workbook::benchmark_workbook;
use rust_decimal::Decimal;

const WORKBOOK: &[u8] = include_bytes!("../../fixtures/benchmark/agencies.xlsx");
const EXPECTED: &str = include_str!("../../fixtures/benchmark/expected.toml");

fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

fn pence(m: Money) -> Decimal {
    m.round_pence()
}

fn text<'a>(t: &'a toml_edit::Table, key: &str) -> &'a str {
    t.get(key).and_then(|v| v.as_str()).unwrap_or_else(|| panic!("{key} missing in expected.toml"))
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_benchmark_matches_the_independent_working() {
    let run = benchmark_workbook(WORKBOOK, Reference::embedded().expect("reference")).expect("benchmarks");
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    let b = &run.benchmark;
    let expected: toml_edit::DocumentMut = EXPECTED.parse().expect("expected.toml parses");

    let agencies = expected["agency"].as_array_of_tables().expect("[[agency]]");
    assert_eq!(b.agencies.len(), agencies.len());
    for (got, want) in b.agencies.iter().zip(agencies.iter()) {
        assert_eq!(got.code, text(want, "code"));
        let empty: Vec<&str> = got.empty.iter().map(|c| c.id()).collect();
        let want_empty: Vec<&str> =
            want["empty"].as_array().expect("empty").iter().filter_map(|v| v.as_str()).collect();
        assert_eq!(empty, want_empty, "{}: empty categories", got.code);
    }

    let measures = expected["measure"].as_array_of_tables().expect("[[measure]]");
    let mut checked = 0;
    for want in measures.iter() {
        let id = text(want, "id");
        let m = b.measure(id).unwrap_or_else(|| panic!("no measure {id}"));
        let s = m.stats.as_ref().expect("stats");
        assert_eq!(s.n as i64, want["n"].as_integer().expect("n"), "{id}: n");
        for (key, got) in [
            ("q1", s.q1),
            ("median", s.median),
            ("q3", s.q3),
            ("lower_fence", s.lower_fence),
            ("upper_fence", s.upper_fence),
        ] {
            assert_eq!(pence(got), d(text(want, key)), "{id}: {key}");
        }
        for (i, a) in b.agencies.iter().enumerate() {
            let Some(row) = want.get(&a.code) else {
                assert_eq!(m.values[i], None, "{id}: {} has a value the working lacks", a.code);
                continue;
            };
            let row = row.as_inline_table().expect("an inline table");
            let value = m.values[i].unwrap_or_else(|| panic!("{id}: {} has no value", a.code));
            assert_eq!(pence(value), d(row["value"].as_str().expect("value")), "{id}: {} value", a.code);
            let p = m.positions[i].as_ref().expect("a position");
            assert_eq!(p.rank as i64, row["rank"].as_integer().expect("rank"), "{id}: {} rank", a.code);
            let flag = match p.flag {
                Some(Flag::Low) => "low",
                Some(Flag::High) => "high",
                None => "",
            };
            assert_eq!(flag, row["flag"].as_str().expect("flag"), "{id}: {} flag", a.code);
            checked += 1;
        }
    }
    // 13 agencies × (5 stage + 7 category measures + 3 shared roles) + 3 + 1 lone-role values.
    assert_eq!(checked, 13 * 15 + 3 + 1);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_fixture_triggers_every_kind_of_result() {
    let run = benchmark_workbook(WORKBOOK, Reference::embedded().expect("reference")).expect("benchmarks");
    let b = &run.benchmark;
    let at = |code: &str| b.agencies.iter().position(|a| a.code == code).expect("agency");
    let full = b.measure("unit.full").expect("unit.full");
    assert_eq!(full.positions[at("LOWCOUNT")].as_ref().and_then(|p| p.flag), Some(Flag::Low));
    assert_eq!(full.positions[at("TINY")].as_ref().and_then(|p| p.flag), Some(Flag::High));
    // SHIRE and TWIN tie: both take the better rank, and the next agency's rank skips one.
    let shire = full.positions[at("SHIRE")].as_ref().expect("SHIRE").rank;
    assert_eq!(full.positions[at("TWIN")].as_ref().expect("TWIN").rank, shire);
    assert!(full.positions.iter().flatten().all(|p| p.rank != shire + 1));
    // One role across spellings and lines; a role only one agency has is never flagged.
    let sw = b.measure("hourly.social worker").expect("social worker");
    assert!(sw.values.iter().all(Option::is_some), "VALE's \"social  worker\" is the same role");
    assert!(sw.sources[at("DUOSW")].as_deref().is_some_and(|s| s.contains("benchmark.hourly")));
    let panel = b.measure("hourly.panel adviser").expect("panel adviser");
    let s = panel.stats.as_ref().expect("stats");
    assert_eq!((s.n, s.flags_apply), (1, false));
    assert_eq!(b.agencies[at("LOWCOUNT")].empty.len(), 4);
}

/// QUARTILE.INC on small cases worked by hand: positions (n − 1) × q ÷ 4.
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn quartiles_are_quartile_inc() {
    let m = |v: &[i64]| v.iter().map(|&x| Money::new(Decimal::from(x))).collect::<Vec<_>>();
    // 1, 2, 3, 4: Q1 at 0.75 → 1.75; median at 1.5 → 2.5; Q3 at 2.25 → 3.25.
    let v = m(&[1, 2, 3, 4]);
    assert_eq!(quartile(&v, 1).amount(), d("1.75"));
    assert_eq!(quartile(&v, 2).amount(), d("2.5"));
    assert_eq!(quartile(&v, 3).amount(), d("3.25"));
    // 10, 20, 30, 40, 50: positions 1, 2, 3 exactly.
    let v = m(&[10, 20, 30, 40, 50]);
    assert_eq!(
        [quartile(&v, 1), quartile(&v, 2), quartile(&v, 3)].map(|q| q.amount()),
        [d("20"), d("30"), d("40")]
    );
    // One value: every quartile is that value.
    assert_eq!(quartile(&m(&[7]), 3).amount(), d("7"));
}
