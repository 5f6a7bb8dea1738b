//! Unit tests of the fee (COSTING.md §6) and the routes (§7), through the library's API, on the
//! worked example's agency (fixtures/worked) with the child varied one input at a time.

use adoptcost::input::{ChildAndRoute, ContributionIn, MoneyIn, Provenance, Provider};
use adoptcost::text::TextFormat;
use adoptcost::{Agency, Comparison, Error, Money, Reference, Scenario, compare};
use rust_decimal::{Decimal, dec};

const AGENCY: &str = include_str!("../../fixtures/worked/agency.toml");
const CHILD: &str = include_str!("../../fixtures/worked/child.toml");

fn scenario() -> Scenario {
    let agency = Agency::from_text(AGENCY, TextFormat::Toml, "worked agency").expect("agency");
    let cr = ChildAndRoute::from_text(CHILD, TextFormat::Toml).expect("child");
    Scenario::new(agency, cr, Provenance::named("worked child"))
}

fn run(s: &Scenario) -> Result<Comparison, Error> {
    compare(s, Reference::embedded().expect("reference"))
}

fn value(c: &Comparison, id: &str) -> Option<Decimal> {
    c.explanation.get(id).unwrap_or_else(|| panic!("no figure {id}")).value()
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn london_weighting_applies_to_the_placement_fee_only() {
    let c = run(&scenario()).expect("compares");
    assert_eq!(c.fee.schedule, Money(dec!(39245)));
    assert_eq!(c.fee.placement, Money(dec!(43169.5)));
    // The monthly fee is not weighted: 2 × £950.
    assert_eq!(c.fee.monthly_total, Money(dec!(1900)));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn contribution_is_a_share_of_the_weighted_placement_fee_capped_at_it() {
    let mut s = scenario();
    let c = run(&s).expect("compares");
    assert_eq!(c.fee.contribution, Money(dec!(21584.75)));
    s.route.contribution = Some(ContributionIn { share: None, amount: Some(MoneyIn(dec!(99999))) });
    let c = run(&s).expect("compares");
    assert_eq!(c.fee.contribution, c.fee.placement, "a fixed amount is capped at the placement fee");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_monthly_fee_is_asked_for_where_the_record_ends() {
    let mut s = scenario();
    s.route.monthly_fee = None;
    let e = run(&s).expect_err("no monthly fee for 2025/26");
    assert!(matches!(e, Error::ReferenceEnded { .. }), "{e}");
    assert_eq!(e.field(), Some("monthly_fee"));
    // Month 13 of a placement on 2021-09-01 begins on 2022-09-01: the 2022/23 rate (£939),
    // not the 2021/22 one (£896), prices the months after 12.
    s.route.placement_date = Some(jiff::civil::date(2021, 9, 1));
    s.route.fee = Some(MoneyIn(dec!(35000)));
    let c = run(&s).expect("compares");
    assert_eq!(c.fee.monthly_total, Money(dec!(1878)));
    let words = &c.explanation.get("fee.monthly_total").expect("monthly").words;
    assert!(words.contains("in force on 2022-09-01, when month 13 of the placement begins"), "{words}");
    // Its source covers VAA placements: for a council's, the rate is asked for.
    s.route.provider = Some(Provider::La);
    let e = run(&s).expect_err("no monthly fee for LA/RAA placements");
    assert_eq!(e.field(), Some("route.monthly_fee"));
    assert!(e.to_string().contains("no published monthly fee for LA/RAA placements in England"), "{e}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn no_monthly_fee_is_looked_up_when_no_months_are_expected() {
    let mut s = scenario();
    s.route.monthly_fee = None;
    s.route.months_beyond_12 = None;
    let c = run(&s).expect("compares");
    assert_eq!(c.fee.monthly_total, Money::ZERO);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn sibling_bands_and_the_top_band() {
    let mut s = scenario();
    s.route.provider = Some(Provider::La);
    s.route.london = false;
    s.child.children = 3;
    assert_eq!(run(&s).expect("compares").fee.schedule, Money(dec!(60000)));
    s.child.children = 6;
    let e = run(&s).expect_err("beyond the top band");
    assert!(matches!(e, Error::BeyondTopBand { top: 5, .. }), "{e}");
    s.route.fee = Some(MoneyIn(dec!(95000)));
    assert_eq!(run(&s).expect("an own fee answers it").fee.schedule, Money(dec!(95000)));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_group_weekly_cost_replaces_the_per_child_cost() {
    let mut s = scenario();
    s.child.children = 2;
    s.route.provider = Some(Provider::La);
    assert_eq!(run(&s).expect("compares").routes.weekly_care, Money(dec!(1800)));
    s.child.group_weekly_care_cost = Some(MoneyIn(dec!(1500)));
    assert_eq!(run(&s).expect("compares").routes.weekly_care, Money(dec!(1500)));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn routes_and_the_difference() {
    let c = run(&scenario()).expect("compares");
    let r = &c.routes;
    assert_eq!(r.in_house, c.cost.unit.full + Money(dec!(27000)) + Money(dec!(5000)));
    assert_eq!(r.external, c.fee.net + Money(dec!(18000)) + Money(dec!(5000)));
    assert_eq!(r.difference, r.external - r.in_house);
    let seq = (c.cost.unit.full + Money(dec!(27000))).times(dec!(0.6))
        + (Money(dec!(9000)) + c.fee.net + Money(dec!(18000))).times(dec!(0.4))
        + Money(dec!(5000));
    assert_eq!(r.sequential, Some(seq));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_sequential_route_needs_both_inputs() {
    let mut s = scenario();
    s.route.search_weeks = None;
    s.route.success_probability = None;
    let c = run(&s).expect("compares");
    assert_eq!(c.routes.sequential, None);
    assert!(value(&c, "route.sequential").is_none());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn break_even_wait_and_its_absence_when_waiting_is_free() {
    let mut s = scenario();
    let c = run(&s).expect("compares");
    let want = (c.fee.net - c.cost.unit.full).amount() / dec!(900);
    assert_eq!(c.routes.break_even_wait, Some(want));
    s.child.weekly_care_cost = Some(MoneyIn(Decimal::ZERO));
    let c = run(&s).expect("compares");
    assert_eq!(c.routes.break_even_wait, None);
    assert!(value(&c, "breakeven.wait").is_none());
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn break_even_approvals_has_no_such_number_when_the_fee_is_too_low() {
    let mut s = scenario();
    // A net fee below cost per match + cost per supported placement: no number of approvals helps.
    s.route.contribution = Some(ContributionIn { share: Some(dec!(100)), amount: None });
    s.route.months_beyond_12 = None;
    let c = run(&s).expect("compares");
    assert_eq!(c.routes.break_even_approvals, None);
    let f = c.explanation.get("breakeven.approvals").expect("figure");
    assert!(
        matches!(&f.result, adoptcost::explain::Outcome::NotDefined { reason } if reason.contains("zero or negative"))
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn with_no_placement_date_the_latest_covered_fee_year_is_used_and_said() {
    let mut s = scenario();
    s.route.placement_date = None;
    let c = run(&s).expect("compares");
    assert_eq!(c.fee.date_from, adoptcost::method::fee::FeeDate::LatestYear);
    assert_eq!(c.fee.year, adoptcost::FinancialYear(2025));
    let words = &c.explanation.get("fee.year").expect("fee.year").words;
    assert!(words.contains("latest fee year the reference data covers"), "{words}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn with_no_placement_date_today_is_the_placement_date_where_the_front_door_gives_it() {
    let mut s = scenario();
    s.route.placement_date = None;
    s.route.provider = Some(Provider::La);
    s.today = Some(jiff::civil::date(2026, 12, 6));
    let c = run(&s).expect("compares");
    assert_eq!(c.fee.date_from, adoptcost::method::fee::FeeDate::Today);
    assert_eq!(c.fee.year, adoptcost::FinancialYear(2026));
    let words = &c.explanation.get("fee.year").expect("fee.year").words;
    assert!(words.contains("today's date is taken as the placement date: 2026-12-06"), "{words}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_fee_its_source_says_continues_is_used_after_it_was_last_confirmed_and_says_so() {
    let mut s = scenario();
    s.route.provider = Some(Provider::La);
    s.route.placement_date = Some(jiff::civil::date(2026, 12, 6));
    let c = run(&s).expect("compares");
    assert_eq!(c.fee.schedule, Money::new(dec!(27000)));
    let la = c.references.iter().find(|r| r.used_by == "fee.schedule").expect("the schedule's reference");
    assert!(la.origin.describe().contains("last confirmed for 2025/26"), "{}", la.origin.describe());
    assert!(c.warnings.iter().any(|w| w.contains("last confirmed for 2025/26")), "{:?}", c.warnings);
    // Within the year it was confirmed for, nothing is said.
    s.route.placement_date = Some(jiff::civil::date(2025, 12, 6));
    let c = run(&s).expect("compares");
    assert!(!c.warnings.iter().any(|w| w.contains("last confirmed")), "{:?}", c.warnings);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn an_unpublished_fee_year_is_estimated_only_with_the_users_uplift_and_labelled() {
    let mut s = scenario();
    s.route.provider = Some(Provider::Vaa);
    s.route.fee = None;
    s.route.placement_date = Some(jiff::civil::date(2026, 12, 6));
    let e = run(&s).expect_err("not published");
    assert!(e.to_string().contains("fee uplift of 3.6"), "{e}");
    // £39,245 × 1.036 = £40,657.82 (REFERENCE.md works the same sum).
    s.route.fee_uplift = Some(dec!(3.6));
    let c = run(&s).expect("estimated");
    assert!(c.fee.estimated);
    assert_eq!(c.fee.schedule, Money::new(dec!(40657.82)));
    assert!(c.warnings.iter().any(|w| w.contains("ESTIMATE")), "{:?}", c.warnings);
    // In a year that is published, the uplift is not used, and that is said.
    s.route.placement_date = Some(jiff::civil::date(2025, 12, 6));
    let c = run(&s).expect("published");
    assert!(!c.fee.estimated);
    assert_eq!(c.fee.schedule, Money::new(dec!(39245)));
    assert!(c.warnings.iter().any(|w| w.contains("fee uplift was not used")), "{:?}", c.warnings);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn net_cost_of_the_pool_without_own_matches_has_no_such_number() {
    let mut s = scenario();
    s.agency.activity.matches_own = Decimal::ZERO;
    let c = run(&s).expect("compares");
    assert_eq!(c.pool_net_cost, None);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_user_figure_overrides_a_reference_figure_and_the_explanation_says_so() {
    let mut s = scenario();
    s.route.fee = Some(MoneyIn(dec!(41000)));
    let c = run(&s).expect("compares");
    let f = c.explanation.get("fee.schedule").expect("fee.schedule");
    assert!(matches!(f.inputs[0].origin, adoptcost::explain::Origin::Input { .. }));
    assert!(f.words.contains("Your own figure"));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn placing_into_an_explanation_that_keeps_only_the_fees_sources_gives_the_same_results() {
    use adoptcost::compare::{Detail, cost_agency, place, place_into};
    use adoptcost::explain::{Explanation, Origin};
    let reference = Reference::embedded().expect("reference");
    let mut s = scenario();
    // The worked child in London with a contribution share and monthly fees, then the same
    // without them and with no placement date (the reference's scheme and latest year).
    for variant in 0..2 {
        if variant == 1 {
            s.route.contribution = None;
            s.route.london = false;
            s.route.placement_date = None;
        }
        let costed = cost_agency(&s.agency, reference).expect("agency");
        let full = place(&costed, &s.case(), reference).expect("places");
        let brief = place_into(&costed, &s.case(), reference, Detail::FeeSources).expect("places");
        assert_eq!((&brief.fee, &brief.routes, &brief.warnings), (&full.fee, &full.routes, &full.warnings));
        // Kept: the fee figures, each with its result and the inputs from outside the run.
        let ids = |e: &Explanation| e.figures.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
        let fee_ids: Vec<String> =
            ids(&full.explanation).into_iter().filter(|i| i.starts_with("fee.")).collect();
        assert_eq!(ids(&brief.explanation), fee_ids);
        for f in &brief.explanation.figures {
            let whole = full.explanation.get(&f.id).expect("the same figure");
            assert_eq!(f.result, whole.result, "{}", f.id);
            let outside: Vec<_> = whole
                .inputs
                .iter()
                .filter(|t| !matches!(t.origin, Origin::Figure { .. }))
                .map(|t| (&t.value, &t.origin))
                .collect();
            assert_eq!(
                f.inputs.iter().map(|t| (&t.value, &t.origin)).collect::<Vec<_>>(),
                outside,
                "{}",
                f.id
            );
            assert!(f.label.is_empty() && f.words.is_empty() && f.formula.is_empty(), "{}: no text", f.id);
        }
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_placer_gives_each_child_what_a_placement_of_its_own_gives() {
    use adoptcost::compare::{Detail, Placer, cost_agency, place};
    let reference = Reference::embedded().expect("reference");
    let s = scenario();
    let costed = cost_agency(&s.agency, reference).expect("agency");
    // A sibling group, a group beyond the schedule's top band (its costing stops part way, after
    // the child's first figures are added), then a lone child in London with no contribution.
    let mut group = scenario();
    group.route.provider = Some(Provider::La);
    group.child.children = 3;
    let mut beyond = group.clone();
    beyond.child.children = 6;
    let mut lone = scenario();
    lone.child.children = 1;
    lone.route.london = true;
    lone.route.contribution = None;
    let mut placer = Placer::new(&costed);
    for (k, s) in [&group, &beyond, &lone, &group].into_iter().enumerate() {
        let alone = place(&costed, &s.case(), reference);
        let after = placer.place(&s.case(), reference, Detail::Full);
        match (alone, after) {
            (Ok(a), Ok(b)) => {
                assert_eq!((&a.fee, &a.routes, &a.warnings), (&b.fee, &b.routes, &b.warnings), "child {k}");
                assert_eq!(a.explanation, b.explanation, "child {k}");
            }
            (Err(a), Err(b)) => {
                assert!(matches!(a, Error::BeyondTopBand { .. }), "child {k}: {a}");
                assert_eq!(a.to_string(), b.to_string(), "child {k}");
            }
            (a, b) => panic!("child {k}: alone {a:?}, after the others {b:?}"),
        }
    }
}
