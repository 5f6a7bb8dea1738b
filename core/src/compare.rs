//! The comparison of routes, with the cost of waiting (COSTING.md §7): the method's figures
//! ([`crate::method`]) assembled into the answer every front door renders.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::explain::{Explanation, Origin, Quantity};
use crate::input::{Agency, Case, Scenario};
use crate::method::fee::Fee;
use crate::method::{AgencyFigures, CostBase, Model, Placed};
use crate::money::Money;
use crate::reference::Reference;

pub use crate::method::break_even::ApprovalsBasis;
pub use crate::method::routes::Routes;

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
#[derive(Debug, Clone, Serialize)]
pub struct CostedAgency {
    /// The cost base and unit costs.
    pub cost: CostBase,
    /// Net cost of the adopter pool, where defined.
    pub pool_net_cost: Option<Money>,
    /// Things a reader must know about the agency (an illustrative agency, say).
    pub warnings: Vec<String>,
    /// The agency's figures.
    pub explanation: Explanation,
    /// The model the figures are worked out in, which each placement against the agency
    /// cites.
    #[serde(skip)]
    pub model: Model,
}

/// Two costings are equal when their results and figures are: the model they were worked out
/// in is how, not what.
impl PartialEq for CostedAgency {
    fn eq(&self, other: &Self) -> bool {
        self.cost == other.cost
            && self.pool_net_cost == other.pool_net_cost
            && self.warnings == other.warnings
            && self.explanation == other.explanation
    }
}

/// How much of a placement's derivation [`place_into`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every figure with its derivation.
    Full,
    /// Of the fee's figures, only what set them ([`Model::sources_of`]); nothing of the
    /// others. For a batch, where most rows need only to know what set their fee.
    FeeSources,
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
    let mut model = Model::new();
    let (cost, pool_net_cost) = crate::method::cost_agency(&mut model, agency, reference)?;
    let explanation = model.explanation();
    Ok(CostedAgency { cost, pool_net_cost, warnings: agency_warnings(agency), explanation, model })
}

fn agency_warnings(agency: &Agency) -> Vec<String> {
    let mut warnings = Vec::new();
    if agency.illustrative {
        warnings.push(format!(
            "{} is illustrative: its figures are made up to show the method, not any real agency's costs.",
            agency.name
        ));
    }
    warnings
}

/// Places one child against a costed agency: checks the child and route, then works out the
/// fee and the routes with the cost of waiting.
pub fn place(costed: &CostedAgency, case: &Case, reference: &Reference) -> Result<Placement> {
    place_into(costed, case, reference, Detail::Full)
}

/// [`place`], keeping as much of the derivation as `detail` says. The results are the same.
pub fn place_into(
    costed: &CostedAgency,
    case: &Case,
    reference: &Reference,
    detail: Detail,
) -> Result<Placement> {
    case.validate()?;
    let mut m = Model::new();
    let agency = AgencyFigures::find(&mut m, Some(&costed.model))
        .ok_or_else(|| Error::internal("a costed agency without the figures a placement uses"))?;
    let placed = crate::method::place(&mut m, &agency, case, reference)?;
    let explanation = match detail {
        Detail::Full => m.explanation(),
        Detail::FeeSources => m.sources_of("fee."),
    };
    let warnings = placement_warnings(&placed, case);
    Ok(Placement { fee: placed.fee, routes: placed.routes, warnings, explanation })
}

fn placement_warnings(placed: &Placed, case: &Case) -> Vec<String> {
    let year = placed.fee.year;
    let mut warnings = Vec::new();
    if !placed.left_unrestated.is_empty() {
        warnings.push(format!(
            "Compared as they are, in different price years from the fee year {year}: {}. Name a price index (a [price_index] table in the scenario file) to restate them, or give figures in {year} prices.",
            placed.left_unrestated.join("; "),
        ));
    } else if let Some(ix) = case.price_index
        && placed.restated
    {
        warnings
            .push(format!("Amounts of other price years are restated to {year} prices with {}.", ix.name));
    }
    warnings
}

/// Compares the in-house and external routes for a scenario: the agency's figures and the
/// placement's in one model, so an analysis can move any input of either.
pub fn compare(s: &Scenario, reference: &Reference) -> Result<Comparison> {
    compare_model(s, reference).map(|(c, _)| c)
}

/// [`compare`], with the model its figures were worked out in.
pub fn compare_model(s: &Scenario, reference: &Reference) -> Result<(Comparison, Model)> {
    s.agency.validate()?;
    let case = s.case();
    case.validate()?;
    let mut m = Model::new();
    let (cost, pool_net_cost) = crate::method::cost_agency(&mut m, &s.agency, reference)?;
    let agency = AgencyFigures::find(&mut m, None)
        .ok_or_else(|| Error::internal("an agency's model without the figures a placement uses"))?;
    let placed = crate::method::place(&mut m, &agency, &case, reference)?;
    let explanation = m.explanation();
    let mut warnings = agency_warnings(&s.agency);
    warnings.extend(placement_warnings(&placed, &case));
    let references = Comparison::references_in(&explanation);
    let comparison = Comparison {
        agency: s.agency.name.clone(),
        illustrative: s.agency.illustrative,
        cost,
        fee: placed.fee,
        pool_net_cost,
        routes: placed.routes,
        warnings,
        references,
        explanation,
    };
    Ok((comparison, m))
}
