//! Unit tests of each formula of the cost base, on small agencies whose answers are worked out
//! in the comments.

use super::*;
use crate::explain::{Explanation, Figure};
use crate::input::{Agency, BackOfficeLine, MoneyIn, OverheadLine, Shares};
use crate::money::Money;
use crate::text::TextFormat;
use rust_decimal::dec;

const WORKED: &str = include_str!("../../../fixtures/worked/agency.toml");

fn worked() -> Agency {
    Agency::from_text(WORKED, TextFormat::Toml, "test").expect("worked agency parses")
}

fn cost(a: &Agency) -> (CostBase, Explanation) {
    a.validate().expect("valid");
    let mut m = Model::new();
    let (c, _) = cost_agency(&mut m, a, Reference::embedded().expect("reference")).expect("costs");
    (c, m.explanation())
}

fn value(ex: &Explanation, id: &str) -> Decimal {
    ex.get(id).and_then(Figure::value).unwrap_or_else(|| panic!("no value for {id}"))
}

fn shares(a: u32, b: u32, c: u32, o: u32) -> Shares {
    Shares { a: a.into(), b: b.into(), c: c.into(), other: o.into() }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn allocate_gives_exact_parts_and_the_remainder_to_the_largest_share() {
    let third = Decimal::ONE / dec!(3);
    let parts = expr::allocate(dec!(100), [third, third, third, Decimal::ZERO]).expect("allocates");
    assert_eq!(parts.iter().sum::<Decimal>(), dec!(100));
    assert_eq!(parts[3], Decimal::ZERO, "a zero share gets nothing, not the remainder");
    let parts = expr::allocate(dec!(10), [dec!(0.5), dec!(0.3), dec!(0.2), dec!(0)]).expect("allocates");
    assert_eq!(parts, [dec!(5), dec!(3), dec!(2), Decimal::ZERO]);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn staff_line_on_costs() {
    // Line 1: 2 FTE at £40,000: NI 2 × 15% × (40,000 − 5,000) = 10,500; pension 2 × 20% ×
    // 40,000 = 16,000; levy 0.5% × 80,000 = 400; cost 106,900.
    let (_, ex) = cost(&worked());
    assert_eq!(value(&ex, "staff[1].salary_cost"), dec!(80000));
    assert_eq!(value(&ex, "staff[1].employer_ni"), dec!(10500));
    assert_eq!(value(&ex, "staff[1].pension"), dec!(16000));
    assert_eq!(value(&ex, "staff[1].levy"), dec!(400));
    assert_eq!(value(&ex, "staff[1].cost"), dec!(106900));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn no_ni_below_the_threshold_and_no_levy_unless_paid() {
    let mut a = worked();
    a.staff[2].salary = MoneyIn(dec!(4000));
    a.on_costs.apprenticeship_levy = false;
    let (_, ex) = cost(&a);
    assert_eq!(value(&ex, "staff[3].employer_ni"), Decimal::ZERO);
    assert!(ex.get("staff[3].levy").is_none());
    // 4,000 + 20% pension = 4,800.
    assert_eq!(value(&ex, "staff[3].cost"), dec!(4800));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn ni_of_2024_25_applies_to_a_2024_25_cost_base() {
    let mut a = worked();
    a.price_year = crate::money::FinancialYear(2024);
    let (_, ex) = cost(&a);
    // 2 × 13.8% × (40,000 − 9,100) = 8,528.40.
    assert_eq!(value(&ex, "staff[1].employer_ni"), dec!(8528.4));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn own_ni_rate_and_threshold_override_the_reference() {
    let mut a = worked();
    a.on_costs.ni_rate = Some(dec!(10));
    a.on_costs.ni_threshold = Some(MoneyIn(dec!(10000)));
    let (_, ex) = cost(&a);
    // 2 × 10% × 30,000 = 6,000.
    assert_eq!(value(&ex, "staff[1].employer_ni"), dec!(6000));
    let f = ex.get("staff[1].employer_ni").expect("figure");
    assert!(matches!(f.inputs[1].origin, Origin::Input { .. }));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_cost_base_before_the_ni_record_asks_for_the_rate() {
    let mut a = worked();
    a.price_year = crate::money::FinancialYear(2020);
    let e =
        cost_agency(&mut Model::new(), &a, Reference::embedded().expect("ref")).expect_err("no NI for 2020");
    assert!(e.to_string().contains("give the amount yourself as `on_costs.ni_rate`"), "{e}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn fte_key_is_staff_time_by_stage() {
    // (2 × 50% + 40% + 25%) / 4 = 41.25%, and so on.
    let (c, ex) = cost(&worked());
    assert_eq!(c.fte_key.to_array(), [dec!(0.4125), dec!(0.2625), dec!(0.2125), dec!(0.1125)]);
    assert_eq!(value(&ex, "key.fte.a"), dec!(41.25));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn office_per_fte_and_own_shares() {
    let mut a = worked();
    // Rent 5,000 per FTE × 4 FTE = 20,000; IT given its own shares: all to stage C.
    a.office[1] = OverheadLine {
        label: "IT".into(),
        amount: Some(MoneyIn(dec!(4000))),
        per_fte: None,
        reference: None,
        shares: Some(shares(0, 0, 100, 0)),
        notes: String::new(),
    };
    let (c, ex) = cost(&a);
    assert_eq!(value(&ex, "office[1].amount"), dec!(20000));
    // C: 20,000 × 21.25% + 4,000 = 8,250.
    assert_eq!(c.stage_categories.c.office, Money(dec!(8250)));
    assert_eq!(c.category_totals.office, Money(dec!(24000)));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn back_office_recharge_on_direct_cost_by_the_direct_key() {
    let (c, ex) = cost(&worked());
    assert_eq!(value(&ex, "back_office.base"), dec!(257025));
    assert_eq!(value(&ex, "back_office[1].amount"), dec!(25702.5));
    assert_eq!(c.category_totals.back_office, Money(dec!(28000)));
    // A: 28,000 × 116,081.25 / 257,025.
    let want = dec!(28000) * dec!(116081.25) / dec!(257025);
    assert_eq!(c.stage_categories.a.back_office.round_pence(), Money(want).round_pence());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn back_office_with_no_direct_cost_is_an_error() {
    let mut a = worked();
    a.staff.clear();
    a.direct.clear();
    a.office.clear();
    a.regulation.clear();
    a.capital.clear();
    a.back_office = vec![BackOfficeLine {
        label: "x".into(),
        amount: Some(MoneyIn(dec!(100))),
        recharge: None,
        notes: String::new(),
    }];
    let e = cost_agency(&mut Model::new(), &a, Reference::embedded().expect("ref")).expect_err("no base");
    assert!(e.to_string().contains("no direct cost to allocate it by"), "{e}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn totals_tie_out_exactly() {
    let (c, _) = cost(&worked());
    let by_stage: Money = c.stage_totals.to_array().iter().sum();
    assert_eq!(by_stage, c.total);
    assert_eq!(c.category_totals.total(), c.total);
    assert_eq!(c.total, Money(dec!(293025)));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn unit_costs_with_defaults_for_supported_placements_and_utilisation() {
    let mut a = worked();
    a.activity.utilisation = None;
    let (c, ex) = cost(&a);
    assert_eq!(c.volumes.supported, dec!(8), "supported placements default to matches");
    assert_eq!(c.volumes.utilisation, Decimal::ONE);
    let f = ex.get("unit.full").expect("full");
    assert!(
        f.inputs.iter().any(|t| matches!(&t.origin, Origin::Default { reason } if reason.contains("100%")))
    );
    let want = c.stage_totals.a.amount() / dec!(10)
        + c.stage_totals.b.amount() / dec!(8)
        + c.stage_totals.c.amount() / dec!(8);
    assert_eq!(c.unit.full.amount(), want);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn full_cost_divides_approval_cost_by_utilisation() {
    let (c, _) = cost(&worked());
    let want =
        c.unit.per_approval.amount() / dec!(0.8) + c.unit.per_match.amount() + c.unit.per_supported.amount();
    assert_eq!(c.unit.full.amount(), want);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn marginal_cost_counts_only_variable_lines() {
    // 5,000 / 10 / 0.8 + 3,000 / 8 = 625 + 375.
    let (c, _) = cost(&worked());
    assert_eq!(c.unit.marginal, Money(dec!(1000)));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn staff_paid_by_the_case_count_in_the_marginal_cost() {
    // Staff line 1 (cost 106,900: salary 80,000 + on-costs 26,900) paid by the case, shares
    // A 50%, B 30%, C 20%: A 53,450 / 10 approvals / 0.8 = 6,681.25; B 32,070 / 8 matches =
    // 4,008.75; C 21,380 / 8 supported = 2,672.50; with the direct lines' 1,000: 14,362.50.
    let mut a = worked();
    a.staff[0].variable = true;
    let (c, _) = cost(&a);
    assert_eq!(c.unit.marginal, Money(dec!(14362.50)));
    assert_eq!(c.unit.full, cost(&worked()).0.unit.full, "the full cost does not change");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn full_hourly_cost_and_ratio_to_salary() {
    let (c, _) = cost(&worked());
    // 106,900 + 2/4 × 36,000 + 28,000 × 106,900 / 207,025, over 2 × 1,500 hours.
    let full = dec!(106900) + dec!(18000) + dec!(28000) * dec!(106900) / dec!(207025);
    assert_eq!(c.roles[0].full_cost.round_pence(), Money(full).round_pence());
    assert_eq!(c.roles[0].hourly.expect("hourly").round_pence(), Money(full / dec!(3000)).round_pence());
    assert_eq!(c.roles[0].ratio_to_salary.expect("ratio").round_dp(6), (full / dec!(80000)).round_dp(6));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn every_figure_id_is_unique_and_every_figure_input_cites_an_origin() {
    let (_, ex) = cost(&worked());
    let mut ids: Vec<_> = ex.figures.iter().map(|f| f.id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
    for f in &ex.figures {
        assert!(!f.formula.is_empty(), "{} has no formula", f.id);
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn month_13_begins_a_year_after_the_placement_and_29_february_goes_to_the_28th() {
    use jiff::civil::date;
    assert_eq!(fee::a_year_on(date(2025, 9, 1)), date(2026, 9, 1));
    assert_eq!(fee::a_year_on(date(2024, 2, 29)), date(2025, 2, 28));
    assert_eq!(fee::a_year_on(date(2024, 12, 31)), date(2025, 12, 31));
}
