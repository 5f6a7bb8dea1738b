#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the model over generated agencies (proptest):
//! stage totals and category totals each sum exactly to the total; doubling every cost doubles
//! every unit cost; more approvals never raise the cost per approval; no valid input panics.

use adoptcost::analysis::InputId;
use adoptcost::analysis::inputs::Baseline;
use adoptcost::input::{
    Activity, Agency, AgencyKind, AgencyOverrides, BackOfficeLine, Child, DirectLine, MoneyIn, Nation,
    OnCosts, OverheadLine, Provenance, Route, Scenario, Shares, StaffLine,
};
use adoptcost::{FinancialYear, Money, Reference, compare};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn pounds(pence: u64) -> MoneyIn {
    MoneyIn(Decimal::new(pence as i64, 2))
}

fn shares() -> impl Strategy<Value = Shares> {
    // Three cut points in 0..=100 give four shares summing to exactly 100.
    (0u32..=100, 0u32..=100, 0u32..=100).prop_map(|(x, y, z)| {
        let mut c = [x, y, z];
        c.sort_unstable();
        Shares {
            a: c[0].into(),
            b: (c[1] - c[0]).into(),
            c: (c[2] - c[1]).into(),
            other: (100 - c[2]).into(),
        }
    })
}

fn staff() -> impl Strategy<Value = StaffLine> {
    (1u32..=200, 0u64..=12_000_000, shares(), any::<bool>()).prop_map(|(tenths, pence, shares, variable)| {
        StaffLine {
            role: "role".into(),
            fte: Decimal::new(tenths.into(), 1),
            salary: pounds(pence),
            shares,
            variable,
            notes: String::new(),
        }
    })
}

fn direct() -> impl Strategy<Value = DirectLine> {
    (0u64..=20_000_000, any::<bool>(), shares()).prop_map(|(pence, variable, shares)| DirectLine {
        label: "line".into(),
        amount: pounds(pence),
        variable,
        shares,
        notes: String::new(),
    })
}

fn overhead() -> impl Strategy<Value = OverheadLine> {
    (0u64..=10_000_000, any::<bool>(), proptest::option::of(shares())).prop_map(|(pence, per_fte, shares)| {
        OverheadLine {
            label: "overhead".into(),
            amount: (!per_fte).then(|| pounds(pence)),
            per_fte: per_fte.then(|| pounds(pence / 10)),
            shares,
            reference: None,
            notes: String::new(),
        }
    })
}

fn back_office() -> impl Strategy<Value = BackOfficeLine> {
    (0u64..=10_000_000, any::<bool>(), 0u32..=30).prop_map(|(pence, recharge, pct)| BackOfficeLine {
        label: "back office".into(),
        amount: (!recharge).then(|| pounds(pence)),
        recharge: recharge.then(|| pct.into()),
        notes: String::new(),
    })
}

prop_compose! {
    fn agency()(
        staff in proptest::collection::vec(staff(), 1..6),
        direct in proptest::collection::vec(direct(), 0..5),
        office in proptest::collection::vec(overhead(), 0..3),
        regulation in proptest::collection::vec(overhead(), 0..3),
        capital in proptest::collection::vec(overhead(), 0..3),
        back_office in proptest::collection::vec(back_office(), 0..3),
        approvals in 1u32..=300,
        matches_own in 1u32..=200,
        sales in 0u32..=30,
        supported in proptest::option::of(1u32..=300),
        utilisation in 1u32..=100,
        pension in 0u32..=30,
        levy in any::<bool>(),
        sibling_uplift in proptest::option::of(0u32..=100),
    ) -> Agency {
        Agency {
            name: "generated".into(),
            code: String::new(),
            kind: AgencyKind::Vaa,
            nation: Nation::England,
            london: false,
            price_year: FinancialYear(2025),
            productive_hours: Decimal::from(1600),
            illustrative: true,
            on_costs: OnCosts {
                pension_rate: pension.into(),
                apprenticeship_levy: levy,
                ni_rate: Some(Decimal::from(15)),
                ni_threshold: Some(MoneyIn(Decimal::from(5000))),
                levy_rate: None,
                ni_date: None,
            },
            staff, direct, office, regulation, back_office, capital,
            activity: Activity {
                approvals: approvals.into(),
                matches_own: matches_own.into(),
                sales: sales.into(),
                supported_placements: supported.map(Decimal::from),
                children_placed: None,
                utilisation: Some(utilisation.into()),
                fee_income_per_sale: None,
                sibling_uplift: sibling_uplift.map(Decimal::from),
            },
            overrides: AgencyOverrides::default(),
            provenance: Provenance::named("generated"),
        }
    }
}

fn cost(a: &Agency) -> adoptcost::method::CostBase {
    a.validate().expect("generated agencies are valid");
    adoptcost::compare::cost_agency(a, Reference::embedded().expect("reference")).expect("costs").cost
}

fn doubled(a: &Agency) -> Agency {
    let two = Decimal::TWO;
    let d = |m: MoneyIn| MoneyIn(m.0 * two);
    let mut b = a.clone();
    for s in &mut b.staff {
        s.salary = d(s.salary);
    }
    b.on_costs.ni_threshold = b.on_costs.ni_threshold.map(d);
    for l in &mut b.direct {
        l.amount = d(l.amount);
    }
    for l in b.office.iter_mut().chain(b.regulation.iter_mut()).chain(b.capital.iter_mut()) {
        l.amount = l.amount.map(d);
        l.per_fte = l.per_fte.map(d);
    }
    for l in &mut b.back_office {
        l.amount = l.amount.map(d);
    }
    b
}

fn close(x: Money, y: Money) -> bool {
    // Unit costs are quotients carried to 28 significant digits; compare far below a penny, by
    // the difference (rounding both can split two equal values that straddle a half).
    (x.amount() - y.amount()).abs() <= Decimal::new(1, 10)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn stage_and_category_totals_each_sum_exactly_to_the_total(a in agency()) {
        let c = cost(&a);
        let stages: Money = c.stage_totals.to_array().iter().sum();
        prop_assert_eq!(stages, c.total);
        prop_assert_eq!(c.category_totals.total(), c.total);
        for (cats, total) in c.stage_categories.to_array().iter().zip(c.stage_totals.to_array()) {
            prop_assert_eq!(cats.total(), total);
        }
    }

    #[test]
    fn doubling_every_cost_doubles_every_unit_cost(a in agency()) {
        let one = cost(&a);
        let two = cost(&doubled(&a));
        let t = |m: Money| m.times(Decimal::TWO);
        prop_assert!(close(two.unit.per_approval, t(one.unit.per_approval)));
        prop_assert!(close(two.unit.per_match, t(one.unit.per_match)));
        prop_assert!(close(two.unit.per_supported, t(one.unit.per_supported)));
        prop_assert!(close(two.unit.full, t(one.unit.full)));
        prop_assert!(close(two.unit.marginal, t(one.unit.marginal)));
        prop_assert!(close(two.total, t(one.total)));
    }

    #[test]
    fn more_approvals_never_raise_the_cost_per_approval(a in agency(), more in 1u32..=100) {
        let mut b = a.clone();
        b.activity.approvals += Decimal::from(more);
        prop_assert!(cost(&b).unit.per_approval <= cost(&a).unit.per_approval);
    }

    #[test]
    fn no_valid_input_panics(
        a in agency(),
        children in 1u32..=8,
        age in proptest::option::of(0u32..=18),
        weekly in proptest::option::of(0u64..=500_000),
        w_in in proptest::option::of(0u32..=200),
        w_ext in proptest::option::of(0u32..=200),
        search in proptest::option::of((0u32..=52, 0u32..=100)),
        london in any::<bool>(),
        la in any::<bool>(),
        year in 2010i16..=2030,
        fee in proptest::option::of(0u64..=10_000_000),
        uplift in proptest::option::of(0u32..=100),
        months in proptest::option::of(0u32..=24),
    ) {
        let s = Scenario {
            agency: a,
            child: Child {
                reference: String::new(),
                children,
                age,
                disabled: false,
                minority_ethnic: false,
                waiting_over_18_months: false,
                weekly_care_cost: weekly.map(pounds),
                group_weekly_care_cost: None,
                ..Child::default()
            },
            route: Route {
                provider: Some(if la { adoptcost::input::Provider::La } else { adoptcost::input::Provider::Vaa }),
                nation: None,
                london,
                placement_date: Some(jiff::civil::date(year, 6, 1)),
                weeks_in_house: w_in.map(Decimal::from),
                weeks_external: w_ext.map(Decimal::from),
                search_weeks: search.map(|s| s.0.into()),
                success_probability: search.map(|s| s.1.into()),
                common_costs: None,
                fee: fee.map(pounds),
                fee_uplift: uplift.map(Decimal::from),
                monthly_fee: None,
                months_beyond_12: months.map(Decimal::from),
                contribution: None,
            },
            price_index: None,
            fee_overrides: Vec::new(),
            ranges: Vec::new(),
            provenance: Provenance::named("generated"),
            today: None,
        };
        // Either an answer or a clear error: never a panic.
        let reference = Reference::embedded().expect("reference");
        match compare(&s, reference) {
            Ok(c) => prop_assert_eq!(c.routes.difference, c.routes.external - c.routes.in_house),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn moving_inputs_in_the_model_gives_the_comparison_of_the_moved_scenario(
        a in agency(),
        picks in proptest::collection::vec((0usize..1000, 0u32..=300), 1..6),
        (london, months, share, age) in (any::<bool>(), 1u32..6, proptest::option::of(0u32..=100), 0u32..10),
    ) {
        // Move a few of the scenario's inputs to new values (0% to 300% of their own, percentages
        // kept within 100%), then pin them in the comparison's model and work out again what
        // depends on them: the analyses' way. It must give what costing the moved scenario from
        // scratch gives, to the last digit. The fee varies too: in London or not, with months
        // beyond 12, the user's contribution share or the reference schemes.
        let reference = Reference::embedded().expect("reference");
        let mut s = adoptcost::example::scenario().expect("example");
        s.agency = a;
        s.route.london = london;
        s.route.months_beyond_12 = Some(Decimal::from(months));
        s.route.contribution =
            share.map(|p| adoptcost::input::ContributionIn { share: Some(Decimal::from(p)), amount: None });
        s.child.age = Some(age);
        let Ok((_, model)) = adoptcost::compare::compare_model(&s, reference) else { return Ok(()) };
        let baseline = Baseline::of(&model);
        let ids = InputId::all(&s);
        let mut moved = s.clone();
        let mut m = model.clone();
        for (pick, pct) in picks {
            let id = ids[pick % ids.len()];
            let Some(v) = id.value(&s, &baseline) else { continue };
            let mut nv = v * Decimal::from(pct) / Decimal::ONE_HUNDRED;
            let (min, max) = id.bounds(&s);
            if let Some(max) = max { nv = nv.min(max); }
            if nv < min { nv = Decimal::ONE.max(min); }
            id.set(&mut moved, nv);
            let node = m.for_input(&id.path(&s)).expect("every listed input has its node");
            m.pin(node, nv);
        }
        if let Ok(c) = compare(&moved, reference) {
            m.recompute().expect("works out again");
            let value = |id: &str| m.find(id).and_then(|n| m.value(n)).map(Money);
            prop_assert_eq!(value("route.difference"), Some(c.routes.difference));
            prop_assert_eq!(value("route.sequential"), c.routes.sequential);
            prop_assert_eq!(value("route.in_house"), Some(c.routes.in_house));
        }
    }
}
