//! The comparison of routes, with the cost of waiting (COSTING.md §7).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Result;
use crate::explain::{Explanation, Origin, Quantity, Unit, fig};
use crate::fee::{Fee, fee, schedule_id};
use crate::input::{Agency, Case, PriceIndex, Scenario};
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
    /// What the full in-house cost is made of, as approvals change: for
    /// [`Routes::approvals_curve`].
    pub approvals_basis: ApprovalsBasis,
}

/// The parts of the full in-house cost that the break-even approvals formula holds (COSTING.md
/// §7), in the fee year's prices: full cost at N approvals = (fixed A ÷ N + variable A per
/// approval) ÷ utilisation + cost per match + cost per supported placement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ApprovalsBasis {
    /// Approvals a year as given.
    pub approvals: Decimal,
    /// Stage A total less its variable lines.
    pub fixed_a: Money,
    /// Variable lines of stage A ÷ approvals.
    pub variable_a_per_approval: Money,
    /// Utilisation, as a fraction.
    pub utilisation: Decimal,
    /// Cost per match.
    pub per_match: Money,
    /// Cost per supported placement.
    pub per_supported: Money,
    /// The net fee.
    pub net_fee: Money,
}

/// One point of [`Routes::approvals_curve`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ApprovalsPoint {
    /// Approvals a year.
    pub approvals: Decimal,
    /// The full in-house cost of a placement at that many approvals.
    pub full: Money,
    /// The in-house route at that many approvals (the waits as they are).
    pub in_house: Money,
    /// The net fee.
    pub net_fee: Money,
    /// The external route.
    pub external: Money,
}

/// The figures the break-even curves stand on, whose workings go with them (`adoptcost
/// breakeven`, its workbook and the browser's curves).
pub const BREAKEVEN_FIGURES: [&str; 4] =
    ["breakeven.wait", "breakeven.approvals", "route.in_house", "route.external"];

/// The full in-house cost and the in-house route against approvals a year, everything else
/// held as it is: the chart behind the break-even approvals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovalsCurve {
    /// Twelve points from a twelfth of the furthest value of interest to it (whole approvals).
    pub points: Vec<ApprovalsPoint>,
    /// The agency's own approvals.
    pub actual: ApprovalsPoint,
    /// The break-even approvals N*, where defined: the full cost equals the net fee there.
    pub break_even: Option<ApprovalsPoint>,
}

/// One point of [`Routes::wait_curve`]: the cost of each route when the in-house route takes
/// `weeks` to find a match.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WaitPoint {
    /// Weeks from placement order to an in-house match.
    pub weeks: Decimal,
    /// The in-house route at that wait.
    pub in_house: Money,
    /// The external route (it does not depend on the in-house wait).
    pub external: Money,
}

/// The total cost of each route against the weeks the in-house route takes to find a match,
/// for a chart: the in-house route at W weeks is the in-house route + (W − W_in) × weekly care
/// cost (COSTING.md §7, with W in place of W_in); the external route is as worked out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaitCurve {
    /// Points every 13 weeks (a quarter) from 0 to past the expected wait and the break-even.
    pub points: Vec<WaitPoint>,
    /// The expected in-house wait W_in, with the routes as worked out.
    pub expected: WaitPoint,
    /// The in-house wait at which the routes cost the same (W_in + difference ÷ weekly care
    /// cost, which is W_ext + Δ*), where that is a wait of zero weeks or more and the weekly
    /// care cost is above zero.
    pub break_even: Option<WaitPoint>,
}

impl Routes {
    /// The in-house route if the match took `weeks`.
    pub fn in_house_at(&self, weeks: Decimal) -> Money {
        self.in_house + self.weekly_care.times(weeks - self.weeks_in_house)
    }

    /// The routes against the in-house wait, for a chart and its table.
    pub fn wait_curve(&self) -> WaitCurve {
        let at =
            |weeks: Decimal| WaitPoint { weeks, in_house: self.in_house_at(weeks), external: self.external };
        let break_even = self
            .difference
            .per(self.weekly_care.0)
            .filter(|_| self.weekly_care.0 > Decimal::ZERO)
            .map(|extra| self.weeks_in_house + extra.0)
            .filter(|w| *w >= Decimal::ZERO)
            .map(at);
        let quarter = Decimal::from(13);
        let furthest = [Some(self.weeks_in_house), Some(self.weeks_external), break_even.map(|b| b.weeks)]
            .into_iter()
            .flatten()
            .fold(Decimal::ZERO, Decimal::max);
        // Two years (104 weeks) at least; past that, a quarter beyond the furthest wait of
        // interest, so a marked point is never at the edge; ten years at most.
        let quarters =
            ((furthest / quarter).floor() + Decimal::ONE).max(Decimal::from(8)).min(Decimal::from(40));
        let n = rust_decimal::prelude::ToPrimitive::to_u32(&quarters).unwrap_or(40);
        let points = (0..=n).map(|q| at(quarter * Decimal::from(q))).collect();
        WaitCurve { points, expected: at(self.weeks_in_house), break_even }
    }
}

impl Routes {
    /// The full in-house cost at `approvals` a year (more than 0), everything else held.
    pub fn full_at(&self, approvals: Decimal) -> Money {
        let b = &self.approvals_basis;
        let per_approval = b.fixed_a.per(approvals).unwrap_or_default() + b.variable_a_per_approval;
        per_approval.per(b.utilisation).unwrap_or_default() + b.per_match + b.per_supported
    }

    /// The routes against approvals a year, for a chart and its table.
    pub fn approvals_curve(&self) -> ApprovalsCurve {
        let b = self.approvals_basis;
        // The in-house route moves with the full cost; the waits and common costs stay.
        let full_now = self.full_at(b.approvals);
        let at = |n: Decimal| {
            let full = self.full_at(n);
            ApprovalsPoint {
                approvals: n,
                full,
                in_house: self.in_house + (full - full_now),
                net_fee: b.net_fee,
                external: self.external,
            }
        };
        let break_even = self.break_even_approvals.filter(|n| *n > Decimal::ZERO).map(at);
        let furthest =
            [Some(b.approvals * Decimal::TWO), self.break_even_approvals.map(|n| n * Decimal::new(125, 2))]
                .into_iter()
                .flatten()
                .fold(Decimal::from(12), Decimal::max)
                .min(b.approvals * Decimal::TEN);
        let step = (furthest / Decimal::from(12)).ceil().max(Decimal::ONE);
        let points = (1..=12).map(|k| at(step * Decimal::from(k))).collect();
        ApprovalsCurve { points, actual: at(b.approvals), break_even }
    }
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

/// An agency costed once: its cost base, the net cost of its adopter pool, and their figures.
/// A batch costs every child of the agency against this.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostedAgency {
    /// The cost base and unit costs.
    pub cost: CostBase,
    /// Net cost of the adopter pool, where defined.
    pub pool_net_cost: Option<Money>,
    /// Things a reader must know about the agency (an illustrative agency, say).
    pub warnings: Vec<String>,
    /// The agency's figures.
    pub explanation: Explanation,
}

/// One child's placement against a costed agency: the fee and the routes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    /// The fee.
    pub fee: Fee,
    /// The routes.
    pub routes: Routes,
    /// Things a reader must know about the placement (amounts in other price years, say).
    pub warnings: Vec<String>,
    /// The placement's figures (they cite the agency's figures by id).
    pub explanation: Explanation,
}

/// Costs an agency: checks it, then works out its cost base, unit costs and adopter pool.
pub fn cost_agency(agency: &Agency, reference: &Reference) -> Result<CostedAgency> {
    agency.validate()?;
    let mut ex = Explanation::new();
    let cost = cost_base(agency, reference, &mut ex)?;
    let pool_net_cost = pool(agency, reference, &cost, &mut ex);
    let mut warnings = Vec::new();
    if agency.illustrative {
        warnings.push(format!(
            "{} is illustrative: its figures are made up to show the method, not any real agency's costs.",
            agency.name
        ));
    }
    Ok(CostedAgency { cost, pool_net_cost, warnings, explanation: ex })
}

/// Places one child against a costed agency: checks the child and route, then works out the
/// fee and the routes with the cost of waiting.
pub fn place(costed: &CostedAgency, case: &Case, reference: &Reference) -> Result<Placement> {
    place_into(costed, case, reference, Explanation::new())
}

/// [`place`], recording its figures into `ex`: an [`Explanation::sources_of`] keeps less of them,
/// which is quicker (the figures' text is most of the work). The results are the same.
pub fn place_into(
    costed: &CostedAgency,
    case: &Case,
    reference: &Reference,
    mut ex: Explanation,
) -> Result<Placement> {
    case.validate()?;
    let fee = fee(case, reference, &mut ex)?;
    let (routes, restater) = routes(case, reference, &costed.cost, &fee, &mut ex)?;
    let left_unrestated = restater.left;
    let mut warnings = Vec::new();
    if !left_unrestated.is_empty() {
        warnings.push(format!(
            "Compared as they are, in different price years from the fee year {}: {}. Name a price index (a [price_index] table in the scenario file) to restate them, or give figures in {} prices.",
            fee.year,
            left_unrestated.join("; "),
            fee.year
        ));
    } else if let Some(ix) = case.price_index
        && restater.restated
    {
        warnings.push(format!(
            "Amounts of other price years are restated to {} prices with {}.",
            fee.year, ix.name
        ));
    }
    Ok(Placement { fee, routes, warnings, explanation: ex })
}

/// Compares the in-house and external routes for a scenario: [`cost_agency`] then [`place`],
/// with their figures in one explanation.
pub fn compare(s: &Scenario, reference: &Reference) -> Result<Comparison> {
    let costed = cost_agency(&s.agency, reference)?;
    let placement = place(&costed, &s.case(), reference)?;
    let mut explanation = costed.explanation;
    explanation.extend(placement.explanation);
    let mut warnings = costed.warnings;
    warnings.extend(placement.warnings);
    let references = Comparison::references_in(&explanation);
    Ok(Comparison {
        agency: s.agency.name.clone(),
        illustrative: s.agency.illustrative,
        cost: costed.cost,
        fee: placement.fee,
        pool_net_cost: costed.pool_net_cost,
        routes: placement.routes,
        warnings,
        references,
        explanation,
    })
}

/// Brings amounts of other price years to the fee year's prices with the user's index, and
/// records what could not be restated.
struct Restater<'a> {
    index: Option<&'a PriceIndex>,
    to: FinancialYear,
    provenance: &'a crate::input::Provenance,
    /// Amounts left in another price year (no index named), for the warnings.
    left: Vec<String>,
    /// Whether any amount was restated.
    restated: bool,
}

impl Restater<'_> {
    /// The amount in the fee year's prices: unchanged where it already is, or where no index is
    /// named (then noted); otherwise multiplied by index(to) ÷ index(from), as a figure of its
    /// own (`restated_id`).
    #[allow(clippy::too_many_arguments)] // each argument is one plain fact of the figure
    fn apply(
        &mut self,
        ex: &mut Explanation,
        restated_id: &str,
        label: &str,
        amount: Money,
        unit: Unit,
        from: FinancialYear,
        source_id: &str,
    ) -> Result<(Money, Quantity, Origin)> {
        let unchanged =
            (amount, Quantity::money(amount, unit, Some(from)), Origin::Figure { id: source_id.into() });
        if from == self.to {
            return Ok(unchanged);
        }
        let Some(ix) = self.index else {
            self.left.push(format!("{label} ({from} prices)"));
            return Ok(unchanged);
        };
        let value = |y: FinancialYear| -> Result<Decimal> {
            ix.values.get(&y).map(|v| v.0).ok_or_else(|| {
                crate::error::Error::invalid(
                    self.provenance.place("price_index.values"),
                    format!("no {} value for {y}", ix.name),
                    format!("a value for every price year used ({from} and {})", self.to),
                )
            })
        };
        let (i_from, i_to) = (value(from)?, value(self.to)?);
        let restated = amount.times(i_to / i_from);
        self.restated = true;
        let field = |y: FinancialYear| format!("price_index.values.\"{y}\"");
        ex.push(
            ex.fig(restated_id, format!("{label}, in {} prices", self.to))
                .formula("amount × index(fee year) ÷ index(price year)")
                .calc("$0 * $1 / $2")
                .words_with(|| {
                    format!("Restated from {from} to {} prices with {} (COSTING.md §8).", self.to, ix.name)
                })
                .input(
                    label,
                    Quantity::money(amount, unit, Some(from)),
                    Origin::Figure { id: source_id.into() },
                )
                .input(
                    format!("{} {}", ix.name, self.to),
                    Quantity::plain(i_to, Unit::Index),
                    self.provenance.origin(&field(self.to)),
                )
                .input(
                    format!("{} {from}", ix.name),
                    Quantity::plain(i_from, Unit::Index),
                    self.provenance.origin(&field(from)),
                )
                .value(Quantity::money(restated, unit, Some(self.to))),
        );
        Ok((
            restated,
            Quantity::money(restated, unit, Some(self.to)),
            Origin::Figure { id: restated_id.into() },
        ))
    }
}

fn money(m: Money, year: FinancialYear) -> Quantity {
    Quantity::money(m, Unit::Gbp, Some(year))
}

/// Net cost of the adopter pool: (A + B + C − fee income from sales) ÷ matches with own
/// children. A lookup failure for the default fee income makes the figure undefined (with the
/// reason) rather than stopping the comparison.
fn pool(a: &Agency, reference: &Reference, cost: &CostBase, ex: &mut Explanation) -> Option<Money> {
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
                let v = Money(found.value);
                if !a.london {
                    Ok((v, found.quantity(), found.origin()))
                } else {
                    match reference.lookup(
                        "fee.london_weighting",
                        date,
                        "London weighting",
                        "activity.fee_income_per_sale",
                    ) {
                        // The weighted fee is a figure of its own, so the pool's workings show
                        // the amount they use.
                        Ok(lw) => {
                            let weighted = v.times(Decimal::ONE + Percent(lw.value).fraction());
                            let f = fig("activity.fee_income_per_sale", "fee income per sale, with the London weighting")
                                .formula("schedule fee × (1 + London weighting)")
                                .calc("$0 * (1 + $1)")
                                .words("The agency is in London, so the fee it earns on a sale carries the London weighting (COSTING.md §6).")
                                .input("schedule fee (one child)", found.quantity(), found.origin())
                                .input("London weighting", lw.quantity(), lw.origin())
                                .value(money(weighted, year));
                            ex.push(f);
                            Ok((
                                weighted,
                                money(weighted, year),
                                Origin::Figure { id: "activity.fee_income_per_sale".into() },
                            ))
                        }
                        Err(e) => return undefined_pool(ex, e.to_string()),
                    }
                }
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
        .calc("($0 - $1 * $2) / $3")
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

fn routes<'a>(
    s: &Case<'a>,
    reference: &Reference,
    cost: &CostBase,
    fee: &Fee,
    ex: &mut Explanation,
) -> Result<(Routes, Restater<'a>)> {
    let c = s.child;
    let r = s.route;
    let year = fee.year;
    let input = |f: &str| s.provenance.origin(f);
    let per_week = |m: Money, py: Option<FinancialYear>| Quantity::money(m, Unit::GbpPerWeek, py);
    let net_q = money(fee.net, year);
    let mut rs = Restater {
        index: s.price_index,
        to: year,
        provenance: s.provenance,
        left: Vec::new(),
        restated: false,
    };
    let py = cost.price_year;
    let (full, full_q, full_o) =
        rs.apply(ex, "restated.unit.full", "full in-house cost", cost.unit.full, Unit::Gbp, py, "unit.full")?;

    // Weekly care cost of the group.
    let children = Decimal::from(c.children);
    let (weekly_care, weekly_py) = if let Some(g) = c.group_weekly_care_cost {
        let f = ex
            .fig("care.weekly", "weekly cost of care for the group")
            .formula("the group's own weekly cost")
            .calc("$0")
            .input(
                "group weekly cost",
                per_week(g.money(), Some(year)),
                input("child.group_weekly_care_cost"),
            )
            .value(per_week(g.money(), Some(year)));
        ex.push(f);
        (g.money(), year)
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
        let each_py = q.price_year.unwrap_or(year);
        let per_child = ex.fig("care.weekly_per_child", "weekly cost of care per child")
            .formula("the weekly cost of the child's current placement")
            .calc("$0")
            .words(if c.weekly_care_cost.is_some() { "Your figure for the child's current placement." } else { "No weekly cost was given for the child, so the published average weekly price of an independent fostering agency placement is used." })
            .input("weekly cost per child", q.clone(), o)
            .value(q);
        ex.push(per_child.clone());
        let total = each.times(children);
        ex.push(
            ex.fig("care.weekly", "weekly cost of care for the group")
                .formula("weekly cost per child × children in the group")
                .calc("$0 * $1")
                .from_figure("weekly cost per child", &per_child)
                .input(
                    "children in the group",
                    Quantity::plain(children, Unit::Count),
                    input("child.children"),
                )
                .value(per_week(total, Some(each_py))),
        );
        (total, each_py)
    };
    let (weekly_care, weekly_q, weekly_o) = rs.apply(
        ex,
        "restated.care.weekly",
        "weekly cost of care for the group",
        weekly_care,
        Unit::GbpPerWeek,
        weekly_py,
        "care.weekly",
    )?;

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
            Some(w) => ex
                .fig(id, label)
                .formula("your figure")
                .calc("$0")
                .input("weeks", Quantity::plain(w, Unit::Weeks), input(field))
                .value(Quantity::plain(w, Unit::Weeks)),
            None => {
                let (w, q, o) = wait_default()?;
                ex.fig(id, label)
                    .formula("published average days from placement order to match ÷ 7")
                    .calc("$0 / $1")
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
        ex.fig("route.in_house", "in-house route")
            .formula("full in-house cost + W_in × weekly care cost + common costs")
            .calc("$0 + $1 * $2 + $3")
            .input("full in-house cost", full_q.clone(), full_o.clone())
            .input("W_in", Quantity::plain(w_in, Unit::Weeks), Origin::Figure { id: "wait.in_house".into() })
            .input("weekly care cost", weekly_q.clone(), weekly_o.clone())
            .input("common costs", common_q.clone(), common_o.clone())
            .value(money(in_house, year)),
    );
    let external = fee.net + weekly_care.times(w_ext) + common;
    let f_ext = ex
        .fig("route.external", "external route (parallel search: go external now)")
        .formula("net fee + W_ext × weekly care cost + common costs")
        .calc("$0 + $1 * $2 + $3")
        .input("net fee", net_q.clone(), Origin::Figure { id: "fee.net".into() })
        .input("W_ext", Quantity::plain(w_ext, Unit::Weeks), Origin::Figure { id: "wait.external".into() })
        .input("weekly care cost", weekly_q.clone(), weekly_o.clone())
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
                ex.fig("route.sequential", "in-house first (sequential search)")
                    .formula("p × (full in-house cost + W_in × weekly) + (1 − p) × (S × weekly + net fee + W_ext × weekly) + common costs")
                    .words("Search in-house for S weeks; with probability p it succeeds, otherwise the child waits those S weeks and then goes external.")
                    .calc("$0 * ($1 + $2 * $3) + (1 - $0) * ($4 * $3 + $5 + $6 * $3) + $7")
                    .input("p, probability the in-house search succeeds", Quantity::plain(p, Unit::Percent), input("route.success_probability"))
                    .input("full in-house cost", full_q.clone(), full_o.clone())
                    .input("W_in", Quantity::plain(w_in, Unit::Weeks), Origin::Figure { id: "wait.in_house".into() })
                    .input("weekly care cost", weekly_q.clone(), weekly_o.clone())
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
                ex.fig("route.sequential", "in-house first (sequential search)")
                    .formula("p × (full in-house cost + W_in × weekly) + (1 − p) × (S × weekly + net fee + W_ext × weekly) + common costs")
                    .not_defined("give the weeks to search in-house first (S) and the probability that search succeeds (p)"),
            );
            None
        }
    };
    if let Some(seq) = sequential {
        ex.push(
            ex.fig("route.sequential_vs_external", "sequential search against going external now")
                .formula("in-house-first route − external route")
                .calc("$0 - $1")
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
        ex.fig("route.difference", "external route − in-house route")
            .formula("external route − in-house route")
            .calc("$0 - $1")
            .words("Positive: the in-house route costs less by this much. Negative: the external route costs less.")
            .from_figure("external route", &f_ext)
            .input("in-house route", money(in_house, year), Origin::Figure { id: "route.in_house".into() })
            .value(money(difference, year)),
    );

    // Break-even wait: how many weeks sooner the external route must match.
    let bw = ex.fig("breakeven.wait", "break-even wait")
        .formula("Δ* = (net fee − full in-house cost) ÷ weekly care cost")
        .calc("($0 - $1) / $2")
        .words("How many weeks sooner the external route must find a match for it to cost no more than the in-house route. Negative: the external route is cheaper even if it is that many weeks slower.")
        .input("net fee", net_q.clone(), Origin::Figure { id: "fee.net".into() })
        .input("full in-house cost", full_q.clone(), full_o.clone())
        .input("weekly care cost", weekly_q.clone(), weekly_o.clone());
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
    let approvals = cost.volumes.approvals;
    let (fixed_a, fixed_q, fixed_o) = rs.apply(
        ex,
        "restated.fixed_a",
        "fixed A (stage A total − variable A)",
        cost.stage_totals.a - var_a,
        Unit::Gbp,
        py,
        "stage.a.total",
    )?;
    let (var_a_per, var_q, var_o) = rs.apply(
        ex,
        "restated.variable_a_per_approval",
        "variable A per approval (variable A ÷ approvals)",
        var_a.per(approvals).unwrap_or_default(),
        Unit::Gbp,
        py,
        "variable.a",
    )?;
    let (per_match, pm_q, pm_o) = rs.apply(
        ex,
        "restated.unit.per_match",
        "cost per match",
        cost.unit.per_match,
        Unit::Gbp,
        py,
        "unit.per_match",
    )?;
    let (per_supported, ps_q, ps_o) = rs.apply(
        ex,
        "restated.unit.per_supported",
        "cost per supported placement",
        cost.unit.per_supported,
        Unit::Gbp,
        py,
        "unit.per_supported",
    )?;
    let denom = (fee.net - per_match - per_supported).times(u) - var_a_per;
    let ba = ex.fig("breakeven.approvals", "break-even approvals a year")
        .formula("N* = fixed A ÷ (utilisation × (net fee − cost per match − cost per supported placement) − variable A per approval)")
        .calc("$0 / ($1 * ($2 - $3 - $4) - $5)")
        .words("The approvals a year at which the full in-house cost equals the net fee, everything but approvals held as it is.")
        .input("fixed A (stage A total − variable A)", fixed_q, fixed_o)
        .input("utilisation", Quantity::percent(Percent::from_fraction(u)), Origin::Figure { id: "unit.full".into() })
        .input("net fee", net_q.clone(), Origin::Figure { id: "fee.net".into() })
        .input("cost per match", pm_q, pm_o)
        .input("cost per supported placement", ps_q, ps_o)
        .input("variable A per approval (variable A ÷ approvals)", var_q, var_o);
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

    Ok((
        Routes {
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
            approvals_basis: ApprovalsBasis {
                approvals,
                fixed_a,
                variable_a_per_approval: var_a_per,
                utilisation: u,
                per_match,
                per_supported,
                net_fee: fee.net,
            },
        },
        rs,
    ))
}
