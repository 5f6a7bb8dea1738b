//! Activity and unit costs (COSTING.md §4–5): cost per approval, per match and per supported
//! placement; the full cost of an in-house placement, by category; the marginal cost.

use rust_decimal::Decimal;

use super::allocation::Stages;
use super::{AgencyCtx, Category, Model, NodeId, default_origin};
use crate::error::Result;
use crate::explain::{Quantity, Unit};

/// The activity and unit-cost figures.
#[derive(Debug, Clone, Copy)]
pub struct Units {
    /// Approvals a year.
    pub approvals: NodeId,
    /// Matches with the agency's own children.
    pub matches_own: NodeId,
    /// Sales to other agencies.
    pub sales: NodeId,
    /// Matches (own + sales).
    pub matches: NodeId,
    /// Supported placements.
    pub supported: NodeId,
    /// Utilisation.
    pub utilisation: NodeId,
    /// Cost per approval.
    pub per_approval: NodeId,
    /// Cost per match.
    pub per_match: NodeId,
    /// Cost per supported placement.
    pub per_supported: NodeId,
    /// The full cost of a placement.
    pub full: NodeId,
    /// The full cost by category.
    pub full_by_category: [NodeId; 7],
    /// The marginal cost.
    pub marginal: NodeId,
    /// The marginal cost's part in stages B and C.
    pub marginal_bc: NodeId,
    /// Stage A's total less its variable lines.
    pub fixed_a: NodeId,
    /// Stage A's variable lines per approval.
    pub variable_a_per_approval: NodeId,
    /// What each additional child of a group adds to stages B and C, in percent.
    pub sibling_uplift: NodeId,
}

/// The year's activity, with the method's defaults.
fn activity(m: &mut Model, cx: &AgencyCtx) -> Result<[NodeId; 6]> {
    let act = &cx.agency.activity;
    let count = |v: Decimal| Quantity::plain(v, Unit::Count);
    let approvals = cx.input(m, "activity.approvals", ("approvals", "approvals"), count(act.approvals));
    let matches_own = cx.input(
        m,
        "activity.matches_own",
        ("matches with own children", "matches with own children"),
        count(act.matches_own),
    );
    let sales = cx.input(m, "activity.sales", ("sales to other agencies", "sales"), count(act.sales));
    let matches =
        m.fig("activity.matches", "matches in the year", "matches").is(matches_own.e() + sales.e())?;
    let supported = match act.supported_placements {
        Some(s) => cx.input(
            m,
            "activity.supported_placements",
            ("supported placements", "supported placements"),
            count(s),
        ),
        None => m
            .fig("activity.supported_placements", "supported placements", "supported placements")
            .words("Not given, so supported placements default to matches (COSTING.md §4).")
            .stands_for("activity.supported_placements")
            .is(matches.e())?,
    };
    let utilisation = match act.utilisation {
        Some(u) => cx.input(
            m,
            "activity.utilisation",
            ("utilisation", "utilisation"),
            Quantity::plain(u, Unit::Percent),
        ),
        None => m.input_leaf(
            "activity.utilisation",
            "utilisation",
            "utilisation",
            Quantity::plain(Decimal::ONE_HUNDRED, Unit::Percent),
            default_origin("utilisation defaults to 100% (COSTING.md §5)"),
        ),
    };
    Ok([approvals, matches_own, sales, matches, supported, utilisation])
}

/// The sibling uplift: the agency's, or 0 (a group costs as one household).
fn sibling_uplift(m: &mut Model, cx: &AgencyCtx) -> NodeId {
    let label = ("sibling uplift per additional child, stages B and C", "sibling uplift");
    match cx.agency.activity.sibling_uplift {
        Some(u) => cx.input(m, "activity.sibling_uplift", label, Quantity::plain(u, Unit::Percent)),
        None => m.input_leaf(
            "activity.sibling_uplift",
            label.0,
            label.1,
            Quantity::plain(Decimal::ZERO, Unit::Percent),
            default_origin("no sibling uplift given: a sibling group costs as one household"),
        ),
    }
}

/// The unit costs, the full cost by category and the marginal cost.
pub fn unit_costs(m: &mut Model, cx: &AgencyCtx, s: &Stages) -> Result<Units> {
    let [approvals, matches_own, sales, matches, supported, utilisation] = activity(m, cx)?;
    let sibling_uplift = sibling_uplift(m, cx);
    let py = Some(cx.year);
    let [a, b, c, _] = s.totals;
    let per_approval = m
        .fig("unit.per_approval", "cost per approval", "cost per approval")
        .money(py)
        .words("Dividing by approvals already carries the cost of applicants who withdrew before approval.")
        .is(a.e() / approvals.e())?;
    let per_match =
        m.fig("unit.per_match", "cost per match", "cost per match").money(py).is(b.e() / matches.e())?;
    let per_supported = m
        .fig("unit.per_supported", "cost per supported placement", "cost per supported placement")
        .money(py)
        .is(c.e() / supported.e())?;
    let full = m
        .fig("unit.full", "full cost of an in-house placement (one household)", "full in-house cost")
        .money(py)
        .words("Utilisation is the share of approved households ever matched: each match carries the approvals that are never used.")
        .is(per_approval.e() / utilisation.e() + per_match.e() + per_supported.e())?;
    let per_placement = |[a, b, c]: [NodeId; 3]| {
        a.e() / approvals.e() / utilisation.e() + b.e() / matches.e() + c.e() / supported.e()
    };
    let mut full_by_category = [full; 7];
    for cat in Category::ALL {
        let k = cat as usize;
        full_by_category[k] = m
            .fig(
                format!("unit.full.{}", cat.id()),
                format!("full in-house cost: {}", cat.name()),
                format!("full in-house cost: {}", cat.name()),
            )
            .money(py)
            .is(per_placement([s.by_category[0][k], s.by_category[1][k], s.by_category[2][k]]))?;
    }
    let [va, vb, vc, _] = s.variable;
    let fixed_a = m
        .fig("unit.fixed_a", "fixed A (stage A total − variable A)", "fixed A")
        .money(py)
        .words("What stage A costs whatever the number of approvals, in the short run: the break-even approvals spread it (COSTING.md §7).")
        .is(a.e() - va.e())?;
    let variable_a_per_approval = m
        .fig("unit.variable_a_per_approval", "variable A per approval", "variable A per approval")
        .money(py)
        .is(va.e() / approvals.e())?;
    let marginal_bc = m
        .fig(
            "unit.marginal_bc",
            "marginal cost of matching and support (stages B and C)",
            "marginal B and C",
        )
        .money(py)
        .words("The variable lines of stages B and C per placement: the part of the marginal cost a sibling group's additional children scale, as they do the full cost of matching and support.")
        .is(vb.e() / matches.e() + vc.e() / supported.e())?;
    let marginal = m
        .fig("unit.marginal", "marginal (short-run cash) cost of an in-house placement", "marginal cost")
        .money(py)
        .words("Only the lines flagged variable (direct lines that grow with cases, and staff paid by the case): what one more placement adds in cash this year. Staff on the payroll count as fixed. Shown beside the full cost, not instead of it.")
        .is(variable_a_per_approval.e() / utilisation.e() + marginal_bc.e())?;
    Ok(Units {
        fixed_a,
        variable_a_per_approval,
        sibling_uplift,
        approvals,
        matches_own,
        sales,
        matches,
        supported,
        utilisation,
        per_approval,
        per_match,
        per_supported,
        full,
        full_by_category,
        marginal,
        marginal_bc,
    })
}
