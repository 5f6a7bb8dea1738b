//! The costing method (COSTING.md) as a model of named figures, each one expression.
//!
//! [`graph`] holds the model and [`crate::expr`] the expressions its figures are written in. The
//! method itself is a handful of steps, one file for each section of COSTING.md, each adding
//! its figures to a [`Model`]:
//!
//! - [`on_costs`]: each staff line's salary cost and employer on-costs (§3);
//! - [`allocation`]: the FTE and direct-cost keys, and every line allocated to the stages (§3);
//! - [`unit_costs`]: activity, the unit costs, the full and marginal cost of a placement (§4–5);
//! - [`roles`]: the full hourly cost of each role (§5);
//! - [`pool`]: the net cost of the adopter pool (§5);
//! - [`fee`]: the interagency fee (§6);
//! - [`routes`]: the routes with the cost of waiting (§7), in the fee year's prices
//!   ([`prices`], §8);
//! - [`break_even`]: the break-even wait and approvals (§7).
//!
//! [`cost_agency`] runs the agency's steps and [`place`] a child's against them; the typed
//! results ([`results`], [`fee::Fee`], [`routes::Routes`]) are read off the model's values.

pub mod allocation;
pub mod break_even;
pub mod fee;
pub mod graph;
pub mod on_costs;
pub mod pool;
pub mod prices;
pub mod results;
pub mod roles;
pub mod routes;
pub mod sales;
pub mod unit_costs;

use jiff::civil::Date;
use rust_decimal::Decimal;

pub use crate::expr::{self, Expr, Text};
pub use graph::{Model, NodeId};
// They read the worked agency from its TOML file (fixtures/worked), so they need `toml`.
#[cfg(all(test, feature = "toml"))]
mod tests;

pub use results::{ByCategory, ByStage, Category, CostBase, RoleCost, Stage, UnitCosts, Volumes};

use crate::error::Result;
use crate::explain::{Origin, Quantity, Unit};
use crate::input::{Agency, Case};
use crate::money::FinancialYear;
use crate::reference::Reference;

/// What the agency's steps share: the agency, its price year and the reference data.
#[derive(Debug, Clone, Copy)]
pub struct AgencyCtx<'a> {
    /// The agency.
    pub agency: &'a Agency,
    /// Its cost base's price year.
    pub year: FinancialYear,
    /// The reference data.
    pub reference: &'a Reference,
}

impl AgencyCtx<'_> {
    /// One of the agency's inputs, cited where the agency's file or workbook has it.
    pub fn input(
        &self,
        m: &mut Model,
        path: impl Into<Text>,
        (label, symbol): (impl Into<Text>, impl Into<Text>),
        value: Quantity,
    ) -> NodeId {
        let path = path.into();
        let mut origin = self.agency.provenance.origin(&path);
        if let (Origin::Input { note, .. }, Some(n)) = (&mut origin, self.agency.line_note(&path)) {
            *note = Some(n.to_string());
        }
        m.input_leaf(path, label, symbol, value, origin)
    }

    /// Money in the cost base's price year.
    pub fn money(&self, amount: Decimal, unit: Unit) -> Quantity {
        Quantity { value: amount, unit, price_year: Some(self.year) }
    }

    /// A rate or threshold: the agency's own (`field`), or the reference figure `id` on `date`.
    pub fn rate_or_reference(
        &self,
        m: &mut Model,
        own: Option<Decimal>,
        (field, id): (impl Into<Text>, &str),
        date: Date,
        (label, symbol): (impl Into<Text>, impl Into<Text>),
        unit: Unit,
    ) -> Result<NodeId> {
        let (field, label) = (field.into(), label.into());
        // A money threshold is in the cost base's price year, whoever gives it.
        let year = unit.is_money().then_some(self.year);
        Ok(match own {
            Some(v) => self.input(m, field, (label, symbol), Quantity { value: v, unit, price_year: year }),
            None => {
                let f = self.reference.lookup(id, date, &label, &field)?;
                let q = Quantity { value: f.value, unit, price_year: year.or(f.quantity().price_year) };
                m.input_leaf(field, label, symbol, q, f.origin())
            }
        })
    }
}

/// Defaults that the method supplies where the input leaves a figure out.
pub fn default_origin(reason: impl Into<String>) -> Origin {
    Origin::Default { reason: reason.into() }
}

/// The agency's figures that a placement uses.
#[derive(Debug, Clone, Copy)]
pub struct AgencyFigures {
    /// The full in-house cost of a placement (per household).
    pub full: NodeId,
    /// Cost per match.
    pub per_match: NodeId,
    /// Cost per supported placement.
    pub per_supported: NodeId,
    /// Stage A's total less its variable lines.
    pub fixed_a: NodeId,
    /// Stage A's variable lines per approval.
    pub variable_a_per_approval: NodeId,
    /// Approvals a year.
    pub approvals: NodeId,
    /// Utilisation.
    pub utilisation: NodeId,
    /// The sibling uplift per additional child, stages B and C.
    pub sibling_uplift: NodeId,
    /// The marginal cost of a placement (per household).
    pub marginal: NodeId,
    /// The marginal cost's part in stages B and C, which the sibling uplift scales.
    pub marginal_bc: NodeId,
}

impl AgencyFigures {
    /// The figures by id: `unit.full` and so on.
    pub const IDS: [&'static str; 10] = [
        "unit.full",
        "unit.per_match",
        "unit.per_supported",
        "unit.fixed_a",
        "unit.variable_a_per_approval",
        "activity.approvals",
        "activity.utilisation",
        "activity.sibling_uplift",
        "unit.marginal",
        "unit.marginal_bc",
    ];

    /// The figures, found by id in a model that holds them.
    pub fn find(m: &Model) -> Option<AgencyFigures> {
        let [
            full,
            per_match,
            per_supported,
            fixed_a,
            variable_a_per_approval,
            approvals,
            utilisation,
            sibling_uplift,
            marginal,
            marginal_bc,
        ] = Self::IDS.map(|id| m.find(id));
        Some(AgencyFigures {
            full: full?,
            per_match: per_match?,
            per_supported: per_supported?,
            fixed_a: fixed_a?,
            variable_a_per_approval: variable_a_per_approval?,
            approvals: approvals?,
            utilisation: utilisation?,
            sibling_uplift: sibling_uplift?,
            marginal: marginal?,
            marginal_bc: marginal_bc?,
        })
    }

    /// The same figures of `agency`'s model imported into `m`, each a leaf citing its figure.
    pub fn import(&self, m: &mut Model, agency: &Model) -> AgencyFigures {
        let mut import = |n: NodeId| m.import_node(agency, n);
        AgencyFigures {
            full: import(self.full),
            per_match: import(self.per_match),
            per_supported: import(self.per_supported),
            fixed_a: import(self.fixed_a),
            variable_a_per_approval: import(self.variable_a_per_approval),
            approvals: import(self.approvals),
            utilisation: import(self.utilisation),
            sibling_uplift: import(self.sibling_uplift),
            marginal: import(self.marginal),
            marginal_bc: import(self.marginal_bc),
        }
    }
}

/// Costs an agency into `m`: its cost base, unit costs, roles and adopter pool. The agency
/// must already be valid ([`Agency::validate`]).
pub fn cost_agency(
    m: &mut Model,
    agency: &Agency,
    reference: &Reference,
) -> Result<(CostBase, Option<crate::Money>)> {
    let cx = AgencyCtx { agency, year: agency.price_year, reference };
    let rates = on_costs::rates(m, &cx)?;
    let mut staff = Vec::with_capacity(agency.staff.len());
    for (i, s) in agency.staff.iter().enumerate() {
        staff.push(on_costs::staff_line(m, &cx, i + 1, s, &rates)?);
    }
    let stages = allocation::allocate(m, &cx, &staff)?;
    let units = unit_costs::unit_costs(m, &cx, &stages)?;
    let roles = roles::roles(m, &cx, &staff, &stages)?;
    let (pool, per_sale) = pool::pool(m, &cx, &stages, &units)?;
    let sales = sales::sales(m, &cx, &stages, &units, per_sale)?;
    let cost = results::cost_base(m, &cx, &stages, &units, roles, sales);
    Ok((cost, pool))
}

/// What placing a child works out: the fee, the routes and what could not be restated.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The fee.
    pub fee: fee::Fee,
    /// The routes.
    pub routes: routes::Routes,
    /// Amounts left in another price year (no index named), for the warnings.
    pub left_unrestated: Vec<String>,
    /// Their price years, each once.
    pub unrestated_years: Vec<crate::money::FinancialYear>,
    /// Whether any amount was restated with the user's index.
    pub restated: bool,
}

/// Places a child against the agency's figures in `m`: the fee, the routes with the cost of
/// waiting, and the break-evens.
pub fn place(m: &mut Model, agency: &AgencyFigures, case: &Case, reference: &Reference) -> Result<Placed> {
    let fee = fee::fee(m, case, reference)?;
    let mut restater = prices::Restater::new(case, fee.year);
    let routes = routes::routes(m, agency, case, reference, &fee, &mut restater)?;
    Ok(Placed {
        fee: fee.fee,
        routes,
        left_unrestated: restater.left,
        unrestated_years: restater.left_years,
        restated: restater.restated,
    })
}
