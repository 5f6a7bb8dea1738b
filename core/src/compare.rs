//! The comparison of routes, with the cost of waiting (COSTING.md §7).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Result;
use crate::explain::{Explanation, Origin, Quantity, Unit, fig};
use crate::fee::{Fee, fee, schedule_id};
use crate::input::Scenario;
use crate::model::{CostBase, cost_base};
use crate::money::{FinancialYear, Money, Percent};
use crate::reference::Reference;

/// The routes for the child, with the cost of waiting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Routes {
    /// Weekly cost of care for the whole group.
    pub weekly_care: Money,
    /// Expected weeks to match in-house.
    pub weeks_in_house: Decimal,
    /// Expected weeks to match externally.
    pub weeks_external: Decimal,
    /// Common costs added to both routes.
    pub common: Money,
    /// In-house route: full in-house cost + waiting + common.
    pub in_house: Money,
    /// External route, parallel search: net fee + waiting + common.
    pub external: Money,
    /// Sequential search, where its inputs are given.
    pub sequential: Option<Money>,
    /// external − in-house: positive where the in-house route costs less.
    pub difference: Money,
    /// Break-even wait in weeks, where defined.
    pub break_even_wait: Option<Decimal>,
    /// Break-even approvals a year, where defined.
    pub break_even_approvals: Option<Decimal>,
}

/// A reference figure the comparison used, with its source and grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferenceUse {
    /// The figure that used it.
    pub used_by: String,
    /// The input's name.
    pub name: String,
    /// Its value.
    pub value: Quantity,
    /// Its origin (always [`Origin::Reference`]).
    pub origin: Origin,
}

/// The whole answer to one comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The agency's name.
    pub agency: String,
    /// True where the agency is made up for illustration.
    pub illustrative: bool,
    /// The costed agency.
    pub cost: CostBase,
    /// The fee.
    pub fee: Fee,
    /// Net cost of the adopter pool, where defined.
    pub pool_net_cost: Option<Money>,
    /// The routes.
    pub routes: Routes,
    /// Things a reader must know (mixed price years, illustrative figures).
    pub warnings: Vec<String>,
    /// Every reference figure used, once each, with its source and grade.
    pub references: Vec<ReferenceUse>,
    /// Every figure with its derivation.
    pub explanation: Explanation,
}

impl Comparison {
    /// Every reference figure an explanation uses, once each, in the order first used.
    pub fn references_in(explanation: &Explanation) -> Vec<ReferenceUse> {
        let mut out: Vec<ReferenceUse> = Vec::new();
        for f in &explanation.figures {
            for t in &f.inputs {
                if let Origin::Reference { parameter, from, .. } = &t.origin {
                    let seen = out.iter().any(|r| match &r.origin {
                        Origin::Reference { parameter: p, from: fr, .. } => p == parameter && fr == from,
                        _ => false,
                    });
                    if !seen {
                        out.push(ReferenceUse {
                            used_by: f.id.clone(),
                            name: t.name.clone(),
                            value: t.value.clone(),
                            origin: t.origin.clone(),
                        });
                    }
                }
            }
        }
        out
    }
}

/// Compares the in-house and external routes for a scenario.
pub fn compare(s: &Scenario, reference: &Reference) -> Result<Comparison> {
    s.validate()?;
    let mut ex = Explanation::new();
    let cost = cost_base(&s.agency, reference, &mut ex)?;
    let fee = fee(s, reference, &mut ex)?;
    let pool_net_cost = pool(s, reference, &cost, &fee, &mut ex);
    let routes = routes(s, reference, &cost, &fee, &mut ex)?;

    let mut warnings = Vec::new();
    if s.agency.illustrative {
        warnings.push(format!(
            "{} is illustrative: its figures are made up to show the method, not any real agency's costs.",
            s.agency.name
        ));
    }
    if cost.price_year != fee.year {
        warnings.push(format!(
            "The in-house cost is in {} prices and the fee is for fee year {}: the two are in different price years and are compared as they are.",
            cost.price_year, fee.year
        ));
    }
    if let Some(f) = ex.get("care.weekly_per_child")
        && let Some(py) = f.inputs.first().and_then(|t| t.value.price_year)
        && py != fee.year
    {
        warnings.push(format!(
                    "The weekly care cost is a {py} price (a published average); give the child's own weekly cost for a figure in {} prices.",
                    fee.year
                ));
    }
    let references = Comparison::references_in(&ex);
    Ok(Comparison {
        agency: s.agency.name.clone(),
        illustrative: s.agency.illustrative,
        cost,
        fee,
        pool_net_cost,
        routes,
        warnings,
        references,
        explanation: ex,
    })
}

fn money(m: Money, year: FinancialYear) -> Quantity {
    Quantity::money(m, Unit::Gbp, Some(year))
}

/// Net cost of the adopter pool: (A + B + C − fee income from sales) ÷ matches with own
/// children. A lookup failure for the default fee income makes the figure undefined (with the
/// reason) rather than stopping the comparison.
fn pool(
    s: &Scenario,
    reference: &Reference,
    cost: &CostBase,
    _fee: &Fee,
    ex: &mut Explanation,
) -> Option<Money> {
    let a = &s.agency;
    let year = a.price_year;
    let sales = a.activity.sales;
    let income_per_sale = if sales.is_zero() {
        Ok((
            Money::ZERO,
            Quantity::money(Money::ZERO, Unit::Gbp, Some(year)),
            Origin::Default { reason: "no sales, so no fee income".into() },
        ))
    } else if let Some(f) = a.activity.fee_income_per_sale {
        Ok((f.money(), money(f.money(), year), a.provenance.origin("activity.fee_income_per_sale")))
    } else {
        // The schedule's fee for a sale by this agency: its own provider type and nation, one
        // child, in the fee year matching the cost base's price year, with the London weighting
        // where the agency is in London.
        let provider = a.kind.provider();
        let id = schedule_id(a.nation, provider, 1);
        let date = year.first_day();
        let what = format!("fee income per sale ({}, {}, one child)", a.nation.name(), provider.name());
        match reference.lookup(&id, date, &what, "activity.fee_income_per_sale") {
            Ok(found) => {
                let mut v = Money(found.value);
                if a.london {
                    match reference.lookup(
                        "fee.london_weighting",
                        date,
                        "London weighting",
                        "activity.fee_income_per_sale",
                    ) {
                        Ok(lw) => v = v.times(Decimal::ONE + Percent(lw.value).fraction()),
                        Err(e) => return undefined_pool(ex, e.to_string()),
                    }
                }
                Ok((v, found.quantity(), found.origin()))
            }
            Err(e) => Err(e.to_string()),
        }
    };
    let (per_sale, q, o) = match income_per_sale {
        Ok(x) => x,
        Err(reason) => return undefined_pool(ex, reason),
    };
    let income = per_sale.times(sales);
    let abc = cost.stage_totals.a + cost.stage_totals.b + cost.stage_totals.c;
    let b = fig("unit.pool_net", "net cost of the adopter pool, per match with own children")
        .formula("(stage A + B + C totals − sales × fee income per sale) ÷ matches with own children")
        .words(if a.london && !sales.is_zero() && a.activity.fee_income_per_sale.is_none() {
            "Fee income per sale defaults to the schedule's fee for the agency's own provider type, with the London weighting."
        } else {
            "Fee income per sale defaults to the schedule's fee for the agency's own provider type (one child, the cost base's year)."
        })
        .input("stage A + B + C totals", money(abc, year), Origin::Figure { id: "stage.*.total".into() })
        .input("sales", Quantity::plain(sales, Unit::Count), a.provenance.origin("activity.sales"))
        .input("fee income per sale", q, o)
        .input("matches with own children", Quantity::plain(a.activity.matches_own, Unit::Count), a.provenance.origin("activity.matches_own"));
    match (abc - income).per(a.activity.matches_own) {
        Some(v) => {
            ex.push(b.value(money(v, year)));
            Some(v)
        }
        None => {
            ex.push(b.not_defined("the agency made no matches with its own children"));
            None
        }
    }
}

fn undefined_pool(ex: &mut Explanation, reason: String) -> Option<Money> {
    ex.push(
        fig("unit.pool_net", "net cost of the adopter pool, per match with own children")
            .formula("(stage A + B + C totals − sales × fee income per sale) ÷ matches with own children")
            .not_defined(reason),
    );
    None
}

fn routes(
    s: &Scenario,
    reference: &Reference,
    cost: &CostBase,
    fee: &Fee,
    ex: &mut Explanation,
) -> Result<Routes> {
    let c = &s.child;
    let r = &s.route;
    let year = fee.year;
    let input = |f: &str| s.provenance.origin(f);
    let per_week = |m: Money, py: Option<FinancialYear>| Quantity::money(m, Unit::GbpPerWeek, py);
    let full = cost.unit.full;
    let full_q = Quantity::money(full, Unit::Gbp, Some(cost.price_year));
    let net_q = money(fee.net, year);

    // Weekly care cost of the group.
    let children = Decimal::from(c.children);
    let weekly_care = if let Some(g) = c.group_weekly_care_cost {
        let f = fig("care.weekly", "weekly cost of care for the group")
            .formula("the group's own weekly cost")
            .input(
                "group weekly cost",
                per_week(g.money(), Some(year)),
                input("child.group_weekly_care_cost"),
            )
            .value(per_week(g.money(), Some(year)));
        ex.push(f);
        g.money()
    } else {
        let (each, q, o) = match c.weekly_care_cost {
            Some(w) => (w.money(), per_week(w.money(), Some(year)), input("child.weekly_care_cost")),
            None => {
                let found = reference.latest("care.weekly.ifa").ok_or_else(|| {
                    crate::error::Error::invalid(
                        "child.weekly_care_cost",
                        "not given",
                        "the weekly cost of the child's current placement",
                    )
                })?;
                (Money(found.value), found.quantity(), found.origin())
            }
        };
        let per_child = fig("care.weekly_per_child", "weekly cost of care per child")
            .formula("the weekly cost of the child's current placement")
            .words(if c.weekly_care_cost.is_some() { "Your figure for the child's current placement." } else { "No weekly cost was given for the child, so the published average weekly price of an independent fostering agency placement is used." })
            .input("weekly cost per child", q.clone(), o)
            .value(q);
        let per_child = {
            ex.push(per_child.clone());
            per_child
        };
        let total = each.times(children);
        ex.push(
            fig("care.weekly", "weekly cost of care for the group")
                .formula("weekly cost per child × children in the group")
                .from_figure("weekly cost per child", &per_child)
                .input(
                    "children in the group",
                    Quantity::plain(children, Unit::Count),
                    input("child.children"),
                )
                .value(per_week(total, Some(year))),
        );
        total
    };
    let weekly_q = per_week(weekly_care, Some(year));

    // Expected waits: the user's, or the published average from placement order to match.
    let wait_default = || -> Result<(Decimal, Quantity, Origin)> {
        let found = reference.latest("wait.placement_order_to_match").ok_or_else(|| {
            crate::error::Error::invalid(
                "route.weeks_in_house",
                "not given",
                "expected weeks from placement order to match",
            )
        })?;
        Ok((found.value / Decimal::from(7), found.quantity(), found.origin()))
    };
    let mut weeks = [Decimal::ZERO; 2];
    for (k, (field, id, label)) in [
        ("route.weeks_in_house", "wait.in_house", "expected weeks from placement order to match, in-house"),
        ("route.weeks_external", "wait.external", "expected weeks from placement order to match, external"),
    ]
    .into_iter()
    .enumerate()
    {
        let own = if k == 0 { r.weeks_in_house } else { r.weeks_external };
        let f = match own {
            Some(w) => fig(id, label)
                .formula("your figure")
                .input("weeks", Quantity::plain(w, Unit::Weeks), input(field))
                .value(Quantity::plain(w, Unit::Weeks)),
            None => {
                let (w, q, o) = wait_default()?;
                fig(id, label)
                    .formula("published average days from placement order to match ÷ 7")
                    .words(
                        "No wait was given for this route, so the published national average is used for it.",
                    )
                    .input("days from placement order to match", q, o)
                    .input(
                        "days a week",
                        Quantity::plain(Decimal::from(7), Unit::Count),
                        Origin::Default { reason: "7 days a week".into() },
                    )
                    .value(Quantity::plain(w, Unit::Weeks))
            }
        };
        weeks[k] = f.value().unwrap_or_default();
        ex.push(f);
    }
    let [w_in, w_ext] = weeks;

    let common = r.common_costs.map(|m| m.money()).unwrap_or(Money::ZERO);
    let common_o = match r.common_costs {
        Some(_) => input("route.common_costs"),
        None => Origin::Default {
            reason:
                "no common costs entered; they would be added to both routes and not change the difference"
                    .into(),
        },
    };
    let common_q = money(common, year);

    let in_house = full + weekly_care.times(w_in) + common;
    ex.push(
        fig("route.in_house", "in-house route")
            .formula("full in-house cost + W_in × weekly care cost + common costs")
            .input("full in-house cost", full_q.clone(), Origin::Figure { id: "unit.full".into() })
            .input("W_in", Quantity::plain(w_in, Unit::Weeks), Origin::Figure { id: "wait.in_house".into() })
            .input("weekly care cost", weekly_q.clone(), Origin::Figure { id: "care.weekly".into() })
            .input("common costs", common_q.clone(), common_o.clone())
            .value(money(in_house, year)),
    );
    let external = fee.net + weekly_care.times(w_ext) + common;
    let f_ext = fig("route.external", "external route (parallel search: go external now)")
        .formula("net fee + W_ext × weekly care cost + common costs")
        .input("net fee", net_q.clone(), Origin::Figure { id: "fee.net".into() })
        .input("W_ext", Quantity::plain(w_ext, Unit::Weeks), Origin::Figure { id: "wait.external".into() })
        .input("weekly care cost", weekly_q.clone(), Origin::Figure { id: "care.weekly".into() })
        .input("common costs", common_q.clone(), common_o.clone())
        .value(money(external, year));
    ex.push(f_ext.clone());

    let sequential = match (r.search_weeks, r.success_probability) {
        (Some(sw), Some(p)) => {
            let pf = Percent(p).fraction();
            let v = (full + weekly_care.times(w_in)).times(pf)
                + (weekly_care.times(sw) + fee.net + weekly_care.times(w_ext)).times(Decimal::ONE - pf)
                + common;
            ex.push(
                fig("route.sequential", "in-house first (sequential search)")
                    .formula("p × (full in-house cost + W_in × weekly) + (1 − p) × (S × weekly + net fee + W_ext × weekly) + common costs")
                    .words("Search in-house for S weeks; with probability p it succeeds, otherwise the child waits those S weeks and then goes external.")
                    .input("p, probability the in-house search succeeds", Quantity::plain(p, Unit::Percent), input("route.success_probability"))
                    .input("full in-house cost", full_q.clone(), Origin::Figure { id: "unit.full".into() })
                    .input("W_in", Quantity::plain(w_in, Unit::Weeks), Origin::Figure { id: "wait.in_house".into() })
                    .input("weekly care cost", weekly_q.clone(), Origin::Figure { id: "care.weekly".into() })
                    .input("S, weeks searching in-house first", Quantity::plain(sw, Unit::Weeks), input("route.search_weeks"))
                    .input("net fee", net_q.clone(), Origin::Figure { id: "fee.net".into() })
                    .input("W_ext", Quantity::plain(w_ext, Unit::Weeks), Origin::Figure { id: "wait.external".into() })
                    .input("common costs", common_q.clone(), common_o.clone())
                    .value(money(v, year)),
            );
            Some(v)
        }
        _ => {
            ex.push(
                fig("route.sequential", "in-house first (sequential search)")
                    .formula("p × (full in-house cost + W_in × weekly) + (1 − p) × (S × weekly + net fee + W_ext × weekly) + common costs")
                    .not_defined("give the weeks to search in-house first (S) and the probability that search succeeds (p)"),
            );
            None
        }
    };
    if let Some(seq) = sequential {
        ex.push(
            fig("route.sequential_vs_external", "sequential search against going external now")
                .formula("in-house-first route − external route")
                .words("Positive: searching in-house first is expected to cost more than going external now.")
                .input(
                    "in-house-first route",
                    money(seq, year),
                    Origin::Figure { id: "route.sequential".into() },
                )
                .from_figure("external route", &f_ext)
                .value(money(seq - external, year)),
        );
    }

    let difference = external - in_house;
    ex.push(
        fig("route.difference", "external route − in-house route")
            .formula("external route − in-house route")
            .words("Positive: the in-house route costs less by this much. Negative: the external route costs less.")
            .from_figure("external route", &f_ext)
            .input("in-house route", money(in_house, year), Origin::Figure { id: "route.in_house".into() })
            .value(money(difference, year)),
    );

    // Break-even wait: how many weeks sooner the external route must match.
    let bw = fig("breakeven.wait", "break-even wait")
        .formula("Δ* = (net fee − full in-house cost) ÷ weekly care cost")
        .words("How many weeks sooner the external route must find a match for it to cost no more than the in-house route. Negative: the external route is cheaper even if it is that many weeks slower.")
        .input("net fee", net_q.clone(), Origin::Figure { id: "fee.net".into() })
        .input("full in-house cost", full_q.clone(), Origin::Figure { id: "unit.full".into() })
        .input("weekly care cost", weekly_q.clone(), Origin::Figure { id: "care.weekly".into() });
    let break_even_wait = (fee.net - full).per(weekly_care.amount()).map(|m| m.amount());
    match break_even_wait {
        Some(w) => ex.push(bw.value(Quantity::plain(w, Unit::Weeks))),
        None => ex.push(
            bw.not_defined("the weekly care cost is 0, so waiting costs nothing and no wait breaks even"),
        ),
    }

    // Break-even approvals.
    let u = cost.volumes.utilisation;
    let var_a = cost.variable.a;
    let fixed_a = cost.stage_totals.a - var_a;
    let approvals = cost.volumes.approvals;
    let var_a_per = var_a.per(approvals).unwrap_or_default();
    let denom = (fee.net - cost.unit.per_match - cost.unit.per_supported).times(u) - var_a_per;
    let py = Some(cost.price_year);
    let ba = fig("breakeven.approvals", "break-even approvals a year")
        .formula("N* = fixed A ÷ (utilisation × (net fee − cost per match − cost per supported placement) − variable A per approval)")
        .words("The approvals a year at which the full in-house cost equals the net fee, everything but approvals held as it is.")
        .input("fixed A (stage A total − variable A)", Quantity::money(fixed_a, Unit::Gbp, py), Origin::Figure { id: "stage.a.total".into() })
        .input("utilisation", Quantity::percent(Percent::from_fraction(u)), Origin::Figure { id: "unit.full".into() })
        .input("net fee", net_q.clone(), Origin::Figure { id: "fee.net".into() })
        .input("cost per match", Quantity::money(cost.unit.per_match, Unit::Gbp, py), Origin::Figure { id: "unit.per_match".into() })
        .input("cost per supported placement", Quantity::money(cost.unit.per_supported, Unit::Gbp, py), Origin::Figure { id: "unit.per_supported".into() })
        .input("variable A per approval (variable A ÷ approvals)", Quantity::money(var_a_per, Unit::Gbp, py), Origin::Figure { id: "variable.a".into() });
    let break_even_approvals = if denom.amount() > Decimal::ZERO {
        let n = fixed_a.amount() / denom.amount();
        ex.push(ba.value(Quantity::plain(n, Unit::Count)));
        Some(n)
    } else {
        ex.push(ba.not_defined(format!(
            "the denominator is {} (zero or negative): even with unlimited approvals the in-house cost would not come down to the net fee",
            denom.display_pence()
        )));
        None
    };

    Ok(Routes {
        weekly_care,
        weeks_in_house: w_in,
        weeks_external: w_ext,
        common,
        in_house,
        external,
        sequential,
        difference,
        break_even_wait,
        break_even_approvals,
    })
}
