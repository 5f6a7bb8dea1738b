//! The break-evens (COSTING.md §7): how far the inputs would have to move for the routes to
//! cost the same.
//!
//! - The break-even wait Δ* = (net fee − full in-house cost) ÷ weekly care cost: how many
//!   weeks sooner the external route must find a match to cost no more than the in-house one.
//! - The break-even approvals N* = fixed A ÷ (utilisation × (net fee − cost per match − cost
//!   per supported placement) − variable A per approval): the approvals a year at which the
//!   full in-house cost equals the net fee, everything else held.

use super::fee::FeeNodes;
use super::prices::Restater;
use super::{AgencyFigures, Model, NodeId};
use crate::error::Result;
use crate::explain::Unit;

/// The break-even wait.
pub fn wait(m: &mut Model, net: NodeId, full: NodeId, weekly: NodeId) -> Result<NodeId> {
    m.fig("breakeven.wait", "break-even wait", "Δ*")
        .unit(Unit::Weeks)
        .words("How many weeks sooner the external route must find a match for it to cost no more than the in-house route. Negative: the external route is cheaper even if it is that many weeks slower.")
        .undefined("the weekly care cost is 0, so waiting costs nothing and no wait breaks even")
        .is((net.e() - full.e()) / weekly.e())
}

/// The break-even approvals.
pub fn approvals(m: &mut Model, a: &AgencyFigures, fee: &FeeNodes, rs: &mut Restater) -> Result<NodeId> {
    let fixed = rs.apply(m, "restated.unit.fixed_a", "fixed A (stage A total − variable A)", a.fixed_a)?;
    let variable = rs.apply(
        m,
        "restated.unit.variable_a_per_approval",
        "variable A per approval (variable A ÷ approvals)",
        a.variable_a_per_approval,
    )?;
    let per_match = rs.apply(m, "restated.unit.per_match", "cost per match", a.per_match)?;
    let per_supported =
        rs.apply(m, "restated.unit.per_supported", "cost per supported placement", a.per_supported)?;
    m.fig("breakeven.approvals", "break-even approvals a year", "N*")
        .words("The approvals a year at which the full in-house cost equals the net fee, everything but approvals held as it is.")
        .undefined("the denominator is {} (zero or negative): even with unlimited approvals the in-house cost would not come down to the net fee")
        .is(fixed.e()
            / ((fee.net.e() - per_match.e() - per_supported.e()) * a.utilisation.e() - variable.e()).positive())
}
