//! The comparison of routes, with the cost of waiting (COSTING.md §7): the method's figures
//! ([`crate::method`]) assembled into the answer every front door renders.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::explain::{Explanation, Origin, Quantity};
use crate::input::{Agency, Case, Scenario};
use crate::method::fee::Fee;
use crate::method::{AgencyFigures, CostBase, Model, Placed};
use crate::money::Money;
use crate::reference::Reference;
use rust_decimal::Decimal;

pub use crate::method::routes::Routes;

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
    /// The agency's kind.
    pub kind: crate::input::AgencyKind,
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
                // A value used after its source last confirmed it is listed again: that use says so.
                if let Origin::Reference { parameter, from, last_confirmed, .. } = &t.origin {
                    let seen = out.iter().any(|r| match &r.origin {
                        Origin::Reference { parameter: p, from: fr, last_confirmed: c, .. } => {
                            p == parameter && fr == from && c == last_confirmed
                        }
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
    /// The figures of the model a placement uses.
    #[serde(skip)]
    pub figures: AgencyFigures,
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
    /// The price years of amounts compared as they are with the fee year's, for a short
    /// warning where the long one is said once.
    pub unrestated: Vec<crate::money::FinancialYear>,
    /// The placement's figures (they cite the agency's figures by id).
    pub explanation: Explanation,
}

/// How the warning about amounts of other price years begins.
pub const UNRESTATED: &str = "Compared as they are, in different price years";

/// Costs an agency: checks it, then works out its cost base, unit costs and adopter pool.
pub fn cost_agency(agency: &Agency, reference: &Reference) -> Result<CostedAgency> {
    agency.validate()?;
    let mut model = Model::new();
    let (cost, pool_net_cost) = crate::method::cost_agency(&mut model, agency, reference)?;
    let explanation = model.explanation();
    let figures = AgencyFigures::find(&model)
        .ok_or_else(|| Error::internal("an agency's model without the figures a placement uses"))?;
    let warnings = agency_warnings(agency, &cost);
    Ok(CostedAgency { cost, pool_net_cost, warnings, explanation, model, figures })
}

fn agency_warnings(agency: &Agency, cost: &CostBase) -> Vec<String> {
    let mut warnings = Vec::new();
    if agency.illustrative {
        warnings.push(format!(
            "{} is illustrative: its figures are made up to show the method, not any real agency's costs.",
            agency.name
        ));
    }
    warnings.extend(agency.rate_notes());
    warnings.extend(implausible(cost));
    warnings
}

/// The band the full in-house cost of a placement is expected in. Published studies put it in
/// the tens of thousands; a figure outside this much wider band is nearly always a slip in the
/// inputs (monthly salaries, approvals over several years), so it is costed and flagged, not
/// refused.
const PLAUSIBLE_FULL: (i64, i64) = (1_000, 1_000_000);

fn implausible(cost: &CostBase) -> Option<String> {
    let full = cost.unit.full;
    let (low, high) = PLAUSIBLE_FULL;
    let (low, high) = (Money::new(Decimal::from(low)), Money::new(Decimal::from(high)));
    (full < low || full > high).then(|| {
        format!(
            "The full in-house cost of a placement, {full}, is outside the plausible {} to {}: check that salaries and costs are for a year, and approvals are a year's.",
            low.display_pounds(),
            high.display_pounds()
        )
    })
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
    Placer::new(costed).place(case, reference, detail)
}

/// Places children against one costed agency, one after another: the agency's figures are
/// imported into a model once, and each child's figures are added after them and taken off
/// again for the next (a batch places thousands of children against each agency).
#[derive(Debug, Clone)]
pub struct Placer {
    model: Model,
    agency: AgencyFigures,
    /// The model's length with the agency's figures alone.
    base: usize,
}

impl Placer {
    /// A placer for `costed`'s children.
    pub fn new(costed: &CostedAgency) -> Placer {
        let mut model = Model::with_capacity(64);
        let agency = costed.figures.import(&mut model, &costed.model);
        let base = model.len();
        Placer { model, agency, base }
    }

    /// [`place_into`] for the agency's next child: the same results as a placer of its own.
    pub fn place(&mut self, case: &Case, reference: &Reference, detail: Detail) -> Result<Placement> {
        // What a child before this one added (all of it, even where its costing stopped
        // part way) is taken off, so this one starts from the agency's figures alone.
        self.model.truncate(self.base);
        case.validate()?;
        let m = &mut self.model;
        let placed = crate::method::place(m, &self.agency, case, reference)?;
        let explanation = match detail {
            Detail::Full => m.explanation(),
            Detail::FeeSources => m.sources_of("fee."),
        };
        let warnings = placement_warnings(&placed, case);
        let unrestated = placed.unrestated_years;
        Ok(Placement { fee: placed.fee, routes: placed.routes, warnings, unrestated, explanation })
    }
}

fn placement_warnings(placed: &Placed, case: &Case) -> Vec<String> {
    let year = placed.fee.year;
    let mut warnings = case.rate_notes();
    warnings.extend(placed.fee.notes.iter().cloned());
    if !placed.left_unrestated.is_empty() {
        warnings.push(format!(
            "{UNRESTATED} from the fee year {year}: {}. Name a price index covering both years (in a scenario file, or a workbook's Price index sheet) to restate them, or give figures in {year} prices.",
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
    let agency = AgencyFigures::find(&m)
        .ok_or_else(|| Error::internal("an agency's model without the figures a placement uses"))?;
    let placed = crate::method::place(&mut m, &agency, &case, reference)?;
    let explanation = m.explanation();
    let mut warnings = agency_warnings(&s.agency, &cost);
    warnings.extend(placement_warnings(&placed, &case));
    let references = Comparison::references_in(&explanation);
    let comparison = Comparison {
        agency: s.agency.name.clone(),
        kind: s.agency.kind,
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
