//! Budget planning against the hand working in `fixtures/budget/WORKING.md`: the forecast in
//! `fixtures/budget/forecast.toml` against the worked example agency. Runs natively and on wasm.

use adoptcost::analysis::budget::{Count, Forecast, Quarters, budget, plan};
use adoptcost::money::FinancialYear;
use adoptcost::text::{TextFormat, from_text};
use adoptcost::{Agency, Money, Reference, example};
use rust_decimal::Decimal;

fn reference() -> &'static Reference {
    Reference::embedded().expect("reference")
}

fn worked() -> Agency {
    Agency::from_text(include_str!("../../fixtures/worked/agency.toml"), TextFormat::Toml, "worked")
        .expect("agency")
}

fn forecast() -> Forecast {
    from_text(include_str!("../../fixtures/budget/forecast.toml"), TextFormat::Toml).expect("forecast")
}

fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

fn pence(m: Money) -> Decimal {
    m.round_pence()
}

fn quarters(q: [Money; 4]) -> [Decimal; 4] {
    q.map(pence)
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_budget_matches_the_hand_working() {
    let b = budget(&worked(), &forecast(), "forecast", reference()).expect("budget");
    assert_eq!(b.year.to_string(), "2025/26");
    assert!(b.latest_year_used);
    // External placements by profile (WORKING.md, "External placements").
    let ext: Vec<[Decimal; 4]> = b.profiles.iter().map(|p| p.external.quarters).collect();
    assert_eq!(ext[0], [d("1"), d("0.75"), d("1.25"), d("1")]);
    assert_eq!(ext[1], [d("0.5"), d("0.5"), d("0"), d("1")]);
    assert_eq!(ext[2], [d("1"); 4]);
    // Fees.
    assert_eq!(
        quarters(b.gross_fees.quarters),
        [d("99990.00"), d("90178.75"), d("88301.25"), d("121490.00")]
    );
    assert_eq!(pence(b.gross_fees.total), d("399960.00"));
    assert_eq!(quarters(b.contributions.quarters), [d("19622.50"); 4]);
    assert_eq!(pence(b.contributions.total), d("78490.00"));
    assert_eq!(quarters(b.net_fees.quarters), [d("80367.50"), d("70556.25"), d("68678.75"), d("101867.50")]);
    assert_eq!(pence(b.net_fees.total), d("321470.00"));
    // Sales.
    assert_eq!(pence(b.income_per_sale), d("39245.00"));
    assert_eq!(quarters(b.sales_income.quarters), [d("39245.00"), d("0.00"), d("39245.00"), d("0.00")]);
    // The budget.
    assert_eq!(
        quarters(b.net_budget.quarters),
        [d("41122.50"), d("70556.25"), d("29433.75"), d("101867.50")]
    );
    assert_eq!(pence(b.net_budget.total), d("242980.00"));
    // The in-house side.
    assert_eq!((b.in_house_placements, b.external_placements), (d("14"), d("10")));
    assert_eq!(pence(b.in_house_full), d("469305.31"));
    assert_eq!(pence(b.in_house_marginal), d("14187.50"));
    assert_eq!(pence(b.avoided_full), d("337565.45"));
    // What each additional child of a sibling group adds, and how many there are.
    let per = b.explanation.get("budget.sibling.extra").expect("the sibling extra is a figure");
    assert_eq!(per.money().map(pence), Some(d("4107.90")));
    let per = b.explanation.get("budget.sibling.marginal_extra").expect("and at marginal cost");
    assert_eq!(per.money().map(pence), Some(d("93.75")));
    for (id, want) in
        [("budget.in_house.additional_children", "2"), ("budget.external.additional_children", "2")]
    {
        let f = b.explanation.get(id).expect("a count of additional children");
        assert_eq!(f.result.quantity().map(|q| q.value.normalize()), Some(d(want)), "{id}");
    }
    assert_eq!(pence(b.avoided_marginal), d("10187.50"));
    // The explanation holds each figure the budget shows.
    for id in [
        "budget.year.net_budget",
        "budget.Q4.net_fees",
        "budget.avoided.full",
        "profile[3].Q1/fee.contribution",
    ] {
        assert!(b.explanation.get(id).is_some(), "no figure {id}");
    }
    // Each profile's net fees for the year (WORKING.md, under "Fees").
    for (n, want) in [(1, "156980.00"), (2, "86000.00"), (3, "78490.00")] {
        let f = b.explanation.get(&format!("budget.profile[{n}].net_fees")).expect("profile net fees");
        assert_eq!(f.money().map(pence), Some(d(want)), "profile {n}");
        assert_eq!(pence(b.profiles[n - 1].net_fees.total), d(want));
    }
    let f = b.explanation.get("budget.year.net_budget").expect("figure");
    assert_eq!(f.money().map(pence), Some(d("242980.00")));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_year_the_reference_data_does_not_cover_asks_for_the_fees() {
    let mut f = forecast();
    f.year = adoptcost::money::FinancialYear::parse("2026/27");
    let e = budget(&worked(), &f, "forecast", reference()).expect_err("no 2026/27 fees");
    let m = e.to_string();
    assert!(m.contains("profile[1] (single child under 5)"), "{m}");
    assert!(
        m.contains("none in 2026/27 for 1 child placed with a VAA in England, so give your own fee for them"),
        "{m}"
    );
    // With the fees given, the budget is worked out in that year.
    let overrides = r#"
        [[fee_override]]
        nation = "england"
        provider = "vaa"
        children = 1
        year = "2026/27"
        amount = 40000
        [[fee_override]]
        nation = "england"
        provider = "la"
        children = 2
        year = "2026/27"
        amount = 44000
    "#;
    let extra: Forecast = from_text(overrides, TextFormat::Toml).expect("overrides");
    f.fee_overrides = extra.fee_overrides;
    let b = budget(&worked(), &f, "forecast", reference()).expect("budget with the fees given");
    // Net fees: 4 × 40,000 + 2 × 44,000 + 4 × 20,000 = 328,000; sales 2 × 40,000.
    assert_eq!(pence(b.net_fees.total), d("328000.00"));
    assert_eq!(pence(b.net_budget.total), d("248000.00"));
    assert!(!b.latest_year_used);
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_bad_profile_is_named() {
    let mut f = forecast();
    f.profiles[1].external_share = d("150");
    let m = budget(&worked(), &f, "forecast", reference()).expect_err("bad share").to_string();
    assert!(m.starts_with("profile[2].external_share (forecast): 150%"), "{m}");
    let mut f = forecast();
    f.profiles[0].children = 0;
    let m = budget(&worked(), &f, "forecast", reference()).expect_err("no children").to_string();
    assert!(m.contains("profile[1].children"), "{m}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_example_forecast_budgets_against_the_example_agency() {
    let b = budget(
        &example::agency().expect("agency"),
        &example::forecast().expect("forecast"),
        "example",
        reference(),
    )
    .expect("budget");
    assert_eq!(b.profiles.len(), 6);
    assert_eq!(b.net_budget.total, b.net_fees.total - b.sales_income.total);
}

/// The sign-off block carries the names the forecast gives, or blanks to fill in by hand.
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_sign_off_names_come_from_the_forecast() {
    let b = budget(&worked(), &forecast(), "forecast", reference()).expect("budget");
    assert_eq!(b.sign_off, [String::new(), String::new()]);
    let mut f = forecast();
    f.prepared_by = "A. Finance Officer".into();
    f.approved_by = "Head of Service".into();
    let b = budget(&worked(), &f, "forecast", reference()).expect("budget");
    assert_eq!(b.sign_off, ["A. Finance Officer".to_string(), "Head of Service".to_string()]);
}

/// The same forecast for 2026/27 with a price index (`fixtures/budget/restated.toml`): the
/// agency's 2025/26 costs restated to 2026/27 prices (WORKING.md, "Restated").
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_price_index_restates_the_in_house_side_to_the_budget_year() {
    let f: Forecast =
        from_text(include_str!("../../fixtures/budget/restated.toml"), TextFormat::Toml).expect("forecast");
    let b = budget(&worked(), &f, "forecast", reference()).expect("budget");
    assert_eq!(b.year.to_string(), "2026/27");
    assert_eq!(pence(b.in_house_full), d("486200.30"));
    assert_eq!(pence(b.in_house_marginal), d("14698.25"));
    assert_eq!(pence(b.avoided_full), d("349717.81"));
    assert_eq!(pence(b.avoided_marginal), d("10554.25"));
    let full = b.explanation.get("budget.restated.full").expect("the restated full cost is a figure");
    assert_eq!(
        full.result.quantity().and_then(|q| q.price_year).map(|y| y.to_string()).as_deref(),
        Some("2026/27")
    );
    assert!(
        b.notes
            .iter()
            .any(|n| n.contains("restated from 2025/26 to 2026/27 prices with CPIH (illustrative)"))
    );
    // Without the index the costs are compared as they are, and the note says how to restate.
    let mut plain = f.clone();
    plain.price_index = None;
    let b = budget(&worked(), &plain, "forecast", reference()).expect("budget");
    assert_eq!(pence(b.in_house_full), d("469305.31"));
    assert!(b.notes.iter().any(|n| n.contains("a price index in the forecast restates them")));
}

/// A forecast that places more children in a year than all of England adopted from care is
/// pointed out (REFERENCE.md: 3,040 in the year ending 31 March 2025); an ordinary one is not.
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_forecast_beyond_the_national_scale_is_pointed_out() {
    let b = budget(&worked(), &forecast(), "forecast", reference()).expect("budget");
    assert!(!b.notes.iter().any(|n| n.contains("adopted from care")), "{:?}", b.notes);
    let mut big = forecast();
    let groups = |n: &str| Quarters::Every([n, "1", "0", "2"].map(|c| Count(d(c))));
    big.profiles[1].placements = groups("1500");
    let b = budget(&worked(), &big, "forecast", reference()).expect("budget");
    // 16 + (1,500 + 1 + 0 + 2) × 2 + 4 = 3,026 children: not more than 3,040.
    assert!(!b.notes.iter().any(|n| n.contains("adopted from care")), "{:?}", b.notes);
    big.profiles[1].placements = groups("1508");
    let b = budget(&worked(), &big, "forecast", reference()).expect("budget");
    // 16 + 1,511 × 2 + 4 = 3,042.
    assert!(
        b.notes.iter().any(|n| n.contains(
            "The forecast places 3,042 children in the year, more than the 3,040 adopted from care in all of England in 2024/25"
        )),
        "{:?}",
        b.notes
    );
}

fn two_years() -> Forecast {
    from_text(include_str!("../../fixtures/budget/two-years.toml"), TextFormat::Toml).expect("forecast")
}

/// Two years with monthly fees and commitments (`fixtures/budget/two-years.toml`): each year's
/// fees due on earlier placements, what it leaves due after it, and its net budget, as worked
/// by hand in WORKING.md, "Two years".
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn two_years_carry_monthly_fees_and_commitments_as_worked_by_hand() {
    let years = plan(&worked(), &two_years(), "forecast", reference()).expect("plan");
    assert_eq!(years.iter().map(|b| b.year.to_string()).collect::<Vec<_>>(), ["2025/26", "2026/27"]);
    let (y1, y2) = (&years[0], &years[1]);
    assert_eq!(quarters(y1.net_fees.quarters), [d("39245.00"), d("0.00"), d("27000.00"), d("0.00")]);
    assert_eq!(quarters(y1.earlier.quarters), [d("15961.67"), d("2880.00"), d("1920.00"), d("2880.00")]);
    assert_eq!(pence(y1.earlier.total), d("23641.67"));
    assert_eq!(pence(y1.due_later), d("7380.00"));
    assert_eq!(
        quarters(y1.net_budget.quarters),
        [d("55206.67"), d("-36365.00"), d("28920.00"), d("2880.00")]
    );
    assert_eq!(pence(y1.net_budget.total), d("50641.67"));
    assert!(
        y1.notes
            .iter()
            .any(|n| n.contains("C-17") && n.contains("2 of its 8 months beyond 12 fell before 2025/26")),
        "{:?}",
        y1.notes
    );
    assert_eq!(quarters(y2.net_fees.quarters), [d("0.00"), d("40657.82"), d("27000.00"), d("0.00")]);
    assert_eq!(quarters(y2.earlier.quarters), [d("5880.00"), d("1500.00"), d("0.00"), d("0.00")]);
    assert_eq!(y2.earlier.total, y1.due_later, "what one year leaves due is what the next budgets");
    assert_eq!(pence(y2.due_later), d("4500.00"));
    assert_eq!(quarters(y2.net_budget.quarters), [d("5880.00"), d("42157.82"), d("27000.00"), d("0.00")]);
    assert_eq!(pence(y2.net_budget.total), d("75037.82"));
    assert_eq!(pence(y1.in_house_full), d("131739.86"));
    assert_eq!(pence(y2.avoided_full), d("65869.93"));
    // Each quarter's share of a carried amount is a figure with its working, citing the earlier
    // year's figure by its id.
    let q1 = y2.explanation.figures.iter().find(|f| f.id == "budget.Q1.earlier").expect("figure");
    assert!(
        q1.inputs.iter().any(|t| format!("{:?}", t.origin).contains("budget.profile[1].Q1.monthly_fees")),
        "{q1:?}"
    );
    // `budget` prices one year only.
    let e = budget(&worked(), &two_years(), "forecast", reference()).expect_err("two years");
    assert!(e.to_string().contains("2 years"), "{e}");
}

/// A forecast's years and commitments within their rules, each named by its field.
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn bad_years_and_commitments_are_named() {
    let with = |edit: &dyn Fn(&mut Forecast)| {
        let mut f = two_years();
        edit(&mut f);
        plan(&worked(), &f, "forecast", reference()).expect_err("refused").to_string()
    };
    let e = with(&|f| f.years = vec![FinancialYear(2025), FinancialYear(2027)]);
    assert!(e.contains("years (forecast)") && e.contains("one after another"), "{e}");
    let e = with(&|f| f.year = Some(FinancialYear(2025)));
    assert!(e.contains("not both"), "{e}");
    let e = with(&|f| f.profiles[0].placements = Quarters::ByYear(vec![[Count(d("1")); 4]]));
    assert!(e.contains("profile[1].placements") && e.contains("1 sets of four quarters"), "{e}");
    let e = with(&|f| f.commitments[0].placed = jiff::civil::date(2025, 4, 1));
    assert!(e.contains("commitment[1].placed") && e.contains("before the budget's first day"), "{e}");
    let e = with(&|f| f.commitments[2].due = None);
    assert!(e.contains("commitment[3].due"), "{e}");
    let e = with(&|f| f.commitments[0].months_beyond_12 = Some(d("121")));
    assert!(e.contains("commitment[1].months_beyond_12"), "{e}");
    let e = with(&|f| f.commitments[0].monthly_fee = None);
    assert!(
        e.contains("commitment[1].monthly_fee (forecast)")
            && e.contains("the reference data covers only up to"),
        "{e}"
    );
}
