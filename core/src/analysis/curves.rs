//! The break-even curves (COSTING.md §7): each route against the weeks the in-house route
//! takes to find a match, and the full in-house cost and the routes against approvals a year.
//!
//! Both are the comparison's own model worked out again at each point: a copy of it with the
//! in-house wait (or the approvals of the break-even formula) pinned to the point's value, so
//! every point comes from the method's expressions, not from a formula of the chart's own.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::explain::{Origin, Quantity, Unit};
use crate::method::{Expr, Model, NodeId};
use crate::money::Money;

/// One point of [`approvals_curve`].
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

/// One point of [`wait_curve`]: the cost of each route when the in-house route takes
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
/// for a chart: the routes worked out again with W in place of W_in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaitCurve {
    /// Points every 13 weeks (a quarter) from 0 to past the expected wait and the break-even.
    pub points: Vec<WaitPoint>,
    /// The expected in-house wait W_in, with the routes as worked out.
    pub expected: WaitPoint,
    /// The in-house wait at which the routes cost the same (W_ext + Δ*), where that is a wait
    /// of zero weeks or more and the weekly care cost is above zero.
    pub break_even: Option<WaitPoint>,
}

/// Finds a figure of the comparison, or says which is missing (a bug).
fn find(m: &Model, id: &str) -> Result<NodeId> {
    m.find(id).ok_or_else(|| Error::internal(format!("a comparison without its figure {id}")))
}

/// The figure as the routes used it: restated to the fee year's prices where it was.
fn used(m: &Model, id: &str) -> Result<NodeId> {
    m.find(&format!("restated.{id}")).map_or_else(|| find(m, id), Ok)
}

/// The routes against the in-house wait, for a chart and its table.
pub fn wait_curve(model: &Model) -> Result<WaitCurve> {
    let mut m = model.clone();
    let [w_in, w_ext, in_house, external, delta] =
        ["wait.in_house", "wait.external", "route.in_house", "route.external", "breakeven.wait"]
            .map(|id| find(&m, id));
    let (w_in, in_house, external) = (w_in?, in_house?, external?);
    // W_ext + Δ*: the in-house wait at which the routes cost the same.
    let crossing = m
        .fig("curve.break_even_wait", "in-house wait at which the routes cost the same", "W*")
        .unit(Unit::Weeks)
        .is(w_ext?.e() + delta?.e())?;
    let crossing = m.value(crossing).filter(|w| *w >= Decimal::ZERO);
    m.focus(&[in_house, external]);
    let mut at = |weeks: Decimal| -> Result<WaitPoint> {
        m.pin(w_in, weeks);
        m.recompute()?;
        Ok(WaitPoint { weeks, in_house: m.money(in_house), external: m.money(external) })
    };
    let expected = at(model.value(w_in).unwrap_or_default())?;
    let break_even = crossing.map(&mut at).transpose()?;
    let quarter = Decimal::from(13);
    let furthest =
        [Some(expected.weeks), model.value(find(model, "wait.external")?), break_even.map(|b| b.weeks)]
            .into_iter()
            .flatten()
            .fold(Decimal::ZERO, Decimal::max);
    // Two years (104 weeks) at least; past that, a quarter beyond the furthest wait of
    // interest, so a marked point is never at the edge; ten years at most.
    // The furthest wait is 0 or more, so truncating is flooring; a wait too large to count
    // quarters of takes the ten years.
    let quarters =
        crate::expr::div(furthest, quarter).and_then(|q| crate::expr::add(q.trunc(), Decimal::ONE));
    let quarters = quarters.unwrap_or(Decimal::MAX).max(Decimal::from(8)).min(Decimal::from(40));
    let n = rust_decimal::prelude::ToPrimitive::to_u32(&quarters).unwrap_or(40);
    let points = (0..=n).map(|q| at(quarter * Decimal::from(q))).collect::<Result<_>>()?;
    Ok(WaitCurve { points, expected, break_even })
}

/// The full in-house cost at `n` approvals a year, everything else held as the break-even
/// approvals formula holds it: (fixed A ÷ n + variable A per approval) ÷ utilisation + cost
/// per match + cost per supported placement.
fn full_at(parts: &[NodeId; 5], n: Expr) -> Expr {
    let [fixed, variable, utilisation, per_match, per_supported] = parts.map(NodeId::e);
    (fixed / n + variable) / utilisation + per_match + per_supported
}

/// The routes against approvals a year, for a chart and its table.
pub fn approvals_curve(model: &Model) -> Result<ApprovalsCurve> {
    let mut m = model.clone();
    let parts = [
        used(&m, "unit.fixed_a")?,
        used(&m, "unit.variable_a_per_approval")?,
        find(&m, "activity.utilisation")?,
        used(&m, "unit.per_match")?,
        used(&m, "unit.per_supported")?,
    ];
    let approvals = find(&m, "activity.approvals")?;
    let [in_house, external, net] = ["route.in_house", "route.external", "fee.net"].map(|id| find(&m, id));
    let (in_house, external, net) = (in_house?, external?, net?);
    let actual = m.value(approvals).unwrap_or_default();
    let origin = Origin::Default { reason: "a point of the approvals curve".into() };
    let n = m.leaf("", "approvals a year", "N", Quantity::plain(actual, Unit::Count), origin);
    let full_now = m
        .fig("curve.full_now", "full in-house cost at the approvals given", "full now")
        .money(None)
        .is(full_at(&parts, approvals.e()))?;
    let full = m
        .fig("curve.full", "full in-house cost at N approvals", "full at N")
        .money(None)
        .is(full_at(&parts, n.e()))?;
    // The in-house route moves with the full cost; the waits and common costs stay.
    let route = m
        .fig("curve.in_house", "in-house route at N approvals", "in-house at N")
        .money(None)
        .is(in_house.e() + (full.e() - full_now.e()))?;
    m.focus(&[full, route]);
    let (net_fee, external) = (m.money(net), m.money(external));
    let mut at = |approvals: Decimal| -> Result<ApprovalsPoint> {
        m.pin(n, approvals);
        m.recompute()?;
        Ok(ApprovalsPoint { approvals, full: m.money(full), in_house: m.money(route), net_fee, external })
    };
    let star = model.find("breakeven.approvals").and_then(|b| model.value(b));
    let break_even = star.filter(|n| *n > Decimal::ZERO).map(&mut at).transpose()?;
    let furthest = [Some(actual * Decimal::TWO), star.map(|n| n * Decimal::new(125, 2))]
        .into_iter()
        .flatten()
        .fold(Decimal::from(12), Decimal::max)
        .min(actual * Decimal::TEN);
    let step = (furthest / Decimal::from(12)).ceil().max(Decimal::ONE);
    let points = (1..=12).map(|k| at(step * Decimal::from(k))).collect::<Result<_>>()?;
    Ok(ApprovalsCurve { points, actual: at(actual)?, break_even })
}

/// Both curves of a comparison's model.
pub fn curves(model: &Model) -> Result<(WaitCurve, ApprovalsCurve)> {
    Ok((wait_curve(model)?, approvals_curve(model)?))
}
