//! Prices (COSTING.md §8): amounts of other price years brought to the fee year's prices with
//! the user's index, or compared as they are and named in a warning.

use rust_decimal::Decimal;

use super::{Model, NodeId};
use crate::error::{Error, Result};
use crate::explain::{Quantity, Unit};
use crate::input::{Case, PriceIndex, Provenance};
use crate::money::FinancialYear;

/// Brings amounts of other price years to the fee year's prices with the user's index, and
/// records what could not be restated.
#[derive(Debug)]
pub struct Restater<'a> {
    index: Option<&'a PriceIndex>,
    to: FinancialYear,
    provenance: &'a Provenance,
    /// Amounts left in another price year (no index named), for the warnings.
    pub left: Vec<String>,
    /// The price years of those amounts, each once, in the order met.
    pub left_years: Vec<FinancialYear>,
    /// Whether any amount was restated.
    pub restated: bool,
}

impl<'a> Restater<'a> {
    /// A restater to the fee year `to` with the case's index, if it names one.
    pub fn new(case: &Case<'a>, to: FinancialYear) -> Restater<'a> {
        Restater::with(case.price_index, to, case.provenance)
    }

    /// A restater to the year `to` with an index, if one is given, whose fields `provenance`
    /// places.
    pub fn with(
        index: Option<&'a PriceIndex>,
        to: FinancialYear,
        provenance: &'a Provenance,
    ) -> Restater<'a> {
        Restater { index, to, provenance, left: Vec::new(), left_years: Vec::new(), restated: false }
    }

    /// The node in the fee year's prices: itself where it already is, or where no index is
    /// named (then noted); otherwise a figure of its own (`id`), the node × index(fee year) ÷
    /// index(its price year).
    pub fn apply(&mut self, m: &mut Model, id: &str, label: &str, node: NodeId) -> Result<NodeId> {
        let q = m.quantity(node);
        let Some(from) = q.price_year.filter(|y| *y != self.to) else { return Ok(node) };
        let Some(ix) = self.index else {
            self.left.push(format!("{label} ({from} prices)"));
            if !self.left_years.contains(&from) {
                self.left_years.push(from);
            }
            return Ok(node);
        };
        let value = |y: FinancialYear| -> Result<Decimal> {
            ix.values.get(&y).map(|v| v.0).ok_or_else(|| {
                Error::invalid(
                    self.provenance.place("price_index.values"),
                    format!("no {} value for {y}", ix.name),
                    format!("a value for every price year used ({from} and {})", self.to),
                )
            })
        };
        let (i_from, i_to) = (value(from)?, value(self.to)?);
        self.restated = true;
        let mut index_leaf = |y: FinancialYear, v: Decimal, symbol: &'static str| {
            let field = format!("price_index.values.\"{y}\"");
            let origin = self.provenance.origin(&field);
            m.leaf("", format!("{} {y}", ix.name), symbol, Quantity::plain(v, Unit::Index), origin)
        };
        let to = index_leaf(self.to, i_to, "index(fee year)");
        let from_ix = index_leaf(from, i_from, "index(price year)");
        m.fig(id.to_string(), format!("{label}, in {} prices", self.to), label.to_string())
            .money_in(q.unit, Some(self.to))
            .words(format!("Restated from {from} to {} prices with {} (COSTING.md §8).", self.to, ix.name))
            .is(node.e() * (to.e() / from_ix.e()))
    }
}
