//! The routes with the cost of waiting (COSTING.md §7), in the fee year's prices (§8).
//!
//! The in-house route is the full in-house cost plus the weeks waited in-house at the group's
//! weekly cost of care; the external route is the net fee plus the weeks waited for an
//! external match; common costs go to both. The sequential route searches in-house first for
//! S weeks, succeeding with probability p.

use rust_decimal::Decimal;
use serde::Serialize;

use super::fee::FeeNodes;
use super::prices::Restater;
use super::{AgencyFigures, Expr, Model, NodeId, default_origin};
use crate::error::{Error, Result};
use crate::explain::{Quantity, Unit};
use crate::input::Case;
use crate::money::{FinancialYear, Money};
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
    /// The in-house cost of placing the group: the full cost of a placement (per household)
    /// plus the sibling uplift for each child beyond the first, in the fee year's prices.
    pub in_house_cost: Money,
    /// For a sibling group, the marginal cost of placing it: the marginal cost of a placement
    /// (per household) plus the sibling uplift of its part in matching and support for each
    /// child beyond the first, in the fee year's prices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_marginal: Option<Money>,
    /// In-house route: the in-house cost of the group + waiting + common.
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

impl Routes {
    /// The sentence that says which route costs less, and by how much (to the pound), as every
    /// front door shows it.
    pub fn verdict(&self) -> String {
        let d = self.difference;
        if d.amount().is_zero() {
            "The two routes cost the same.".to_string()
        } else if d.amount().is_sign_negative() {
            format!("The external route costs {} less than the in-house route.", (-d).display_pounds())
        } else {
            format!("The in-house route costs {} less than the external route.", d.display_pounds())
        }
    }

    /// The break-even wait in words, where there is one.
    pub fn break_even_wait_sentence(&self) -> Option<String> {
        let w = self.break_even_wait?;
        let weeks = crate::money::format_number(w.abs(), 1);
        Some(if w.is_sign_negative() {
            format!(
                "The external route is cheaper even if it finds a match {weeks} weeks later than in-house."
            )
        } else {
            format!(
                "The external route costs no more only if it finds a match at least {weeks} weeks sooner than in-house."
            )
        })
    }
}

/// What a sibling group's additional children add to a household's cost of matching and
/// support, `bc`: the agency's sibling uplift of it for each child beyond the first (COSTING.md,
/// "Sibling groups"). The full and the marginal cost of a group both scale so.
fn uplift(children: NodeId, a: &AgencyFigures, bc: Expr) -> Expr {
    (children.e() - Expr::num(1)) * a.sibling_uplift.e() * bc
}

/// The in-house cost of placing the group: the full cost of a placement (per household) plus
/// what the agency's sibling uplift adds to stages B and C for each child beyond the first;
/// and for a group of more than one child, its marginal cost, scaled the same way.
fn group(
    m: &mut Model,
    a: &AgencyFigures,
    s: &Case,
    household: NodeId,
    year: FinancialYear,
    rs: &mut Restater,
) -> Result<(NodeId, Option<NodeId>)> {
    let n = s.child.children;
    let py = m.quantity(a.per_match).price_year;
    let children = m.leaf(
        "child.children",
        "children in the group",
        "children in the group",
        Quantity::plain(Decimal::from(n), Unit::Count),
        s.provenance.origin("child.children"),
    );
    let extra = m
        .fig("group.extra", "what the group's additional children add to matching and support", "sibling extra")
        .money(py)
        .words(if n == 1 {
            "One child: no additional children, so nothing is added to the cost of a household."
        } else {
            "The full cost of a placement is per household. Each child beyond the first adds the agency's sibling uplift of a household's cost of matching and support (stages B and C); approval (stage A) is the household's once."
        })
        .is(uplift(children, a, a.per_match.e() + a.per_supported.e()))?;
    let extra = rs.apply(m, "restated.group.extra", "what the group's additional children add", extra)?;
    let full = m
        .fig("group.in_house", "full in-house cost of placing the group", "in-house cost of the group")
        .money(Some(year))
        .words("The full cost of a placement (one household) plus what the group's additional children add.")
        .is(household.e() + extra.e())?;
    if n == 1 {
        return Ok((full, None));
    }
    let marginal = m
        .fig("group.marginal", "marginal (short-run cash) cost of placing the group", "marginal cost of the group")
        .money(py)
        .words("The marginal cost of a placement (one household) plus, for each child beyond the first, the agency's sibling uplift of its variable lines of matching and support, as for the full cost.")
        .is(a.marginal.e() + uplift(children, a, a.marginal_bc.e()))?;
    let marginal = rs.apply(m, "restated.group.marginal", "marginal cost of the group", marginal)?;
    Ok((full, Some(marginal)))
}

/// The routes for the case into `m`, against the agency's figures and the fee.
pub fn routes(
    m: &mut Model,
    a: &AgencyFigures,
    s: &Case,
    reference: &Reference,
    fee: &FeeNodes,
    rs: &mut Restater,
) -> Result<Routes> {
    let year = fee.year;
    let household = rs.apply(m, "restated.unit.full", "full in-house cost", a.full)?;
    let (full, group_marginal) = group(m, a, s, household, year, rs)?;
    let weekly = weekly_care(m, s, reference, year)?;
    let weekly = rs.apply(m, "restated.care.weekly", "weekly cost of care for the group", weekly)?;
    let [w_in, w_ext] = waits(m, s, reference)?;
    let (amount, origin) = match s.route.common_costs {
        Some(c) => (c.money(), s.provenance.origin("route.common_costs")),
        None => (
            Money::ZERO,
            default_origin(
                "no common costs entered; they would be added to both routes and not change the difference",
            ),
        ),
    };
    let q = Quantity::money(amount, Unit::Gbp, Some(year));
    let common = m.input_leaf("route.common_costs", "common costs", "common costs", q, origin);
    let in_house = m
        .fig("route.in_house", "in-house route", "in-house route")
        .money(Some(year))
        .is(full.e() + weekly.e() * w_in.e() + common.e())?;
    let external = m
        .fig("route.external", "external route (parallel search: go external now)", "external route")
        .money(Some(year))
        .is(fee.net.e() + weekly.e() * w_ext.e() + common.e())?;
    let sequential = sequential(m, s, year, [full, weekly, w_in, w_ext, common, fee.net, external])?;
    let difference = m
        .fig("route.difference", "external route − in-house route", "difference")
        .money(Some(year))
        .words(
            "Positive: the in-house route costs less by this much. Negative: the external route costs less.",
        )
        .is(external.e() - in_house.e())?;
    let wait = super::break_even::wait(m, fee.net, full, weekly)?;
    let approvals = super::break_even::approvals(m, a, fee, rs)?;
    Ok(Routes {
        weekly_care: m.money(weekly),
        weeks_in_house: m.value(w_in).unwrap_or_default(),
        weeks_external: m.value(w_ext).unwrap_or_default(),
        common: m.money(common),
        in_house_cost: m.money(full),
        group_marginal: group_marginal.map(|n| m.money(n)),
        in_house: m.money(in_house),
        external: m.money(external),
        sequential: sequential.and_then(|n| m.value(n)).map(Money),
        difference: m.money(difference),
        break_even_wait: m.value(wait),
        break_even_approvals: m.value(approvals),
    })
}

/// The weekly cost of care of the group: its own figure, or the weekly cost per child (the
/// user's, or the published average IFA price) × children in the group.
fn weekly_care(m: &mut Model, s: &Case, reference: &Reference, year: FinancialYear) -> Result<NodeId> {
    let c = s.child;
    if let Some(g) = c.group_weekly_care_cost {
        let q = Quantity::money(g.money(), Unit::GbpPerWeek, Some(year));
        let own = m.input_leaf(
            "child.group_weekly_care_cost",
            "group weekly cost",
            "group weekly cost",
            q,
            s.provenance.origin("child.group_weekly_care_cost"),
        );
        return m
            .fig("care.weekly", "weekly cost of care for the group", "weekly care cost")
            .money_in(Unit::GbpPerWeek, Some(year))
            .formula("the group's own weekly cost")
            .is(own.e());
    }
    let (q, origin) = match c.weekly_care_cost {
        Some(w) => (
            Quantity::money(w.money(), Unit::GbpPerWeek, Some(year)),
            s.provenance.origin("child.weekly_care_cost"),
        ),
        None => {
            let found = reference.latest("care.weekly.ifa").ok_or_else(|| {
                Error::invalid(
                    "child.weekly_care_cost",
                    "not given",
                    "the weekly cost of the child's current placement",
                )
            })?;
            (found.quantity(), found.origin())
        }
    };
    let py = q.price_year.or(Some(year));
    let each =
        m.input_leaf("child.weekly_care_cost", "weekly cost per child", "weekly cost per child", q, origin);
    let per_child = m
        .fig("care.weekly_per_child", "weekly cost of care per child", "weekly cost per child")
        .money_in(Unit::GbpPerWeek, py)
        .formula("the weekly cost of the child's current placement")
        .words(if c.weekly_care_cost.is_some() {
            "Your figure for the child's current placement."
        } else {
            "No weekly cost was given for the child, so the published average weekly price of an independent fostering agency placement is used."
        })
        .is(each.e())?;
    let children = m.leaf(
        "child.children",
        "children in the group",
        "children in the group",
        Quantity::plain(Decimal::from(c.children), Unit::Count),
        s.provenance.origin("child.children"),
    );
    m.fig("care.weekly", "weekly cost of care for the group", "weekly care cost")
        .money_in(Unit::GbpPerWeek, py)
        .is(per_child.e() * children.e())
}

/// The expected weeks from placement order to match in each route: the user's, or the
/// published average days ÷ 7.
fn waits(m: &mut Model, s: &Case, reference: &Reference) -> Result<[NodeId; 2]> {
    let mut days = None;
    let mut out = [NodeId::default(); 2];
    for (k, (field, id, label, symbol)) in [
        (
            "route.weeks_in_house",
            "wait.in_house",
            "expected weeks from placement order to match, in-house",
            "W_in",
        ),
        (
            "route.weeks_external",
            "wait.external",
            "expected weeks from placement order to match, external",
            "W_ext",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let own = if k == 0 { s.route.weeks_in_house } else { s.route.weeks_external };
        out[k] = match own {
            Some(w) => {
                let q = Quantity::plain(w, Unit::Weeks);
                let leaf = m.input_leaf(field, "weeks", "weeks", q, s.provenance.origin(field));
                m.fig(id, label, symbol).unit(Unit::Weeks).formula("your figure").is(leaf.e())?
            }
            None => {
                let days = match days {
                    Some(d) => d,
                    None => {
                        let found = reference.latest("wait.placement_order_to_match").ok_or_else(|| {
                            Error::invalid(field, "not given", "expected weeks from placement order to match")
                        })?;
                        let d = m.leaf(
                            "wait.placement_order_to_match",
                            "days from placement order to match",
                            "days from placement order to match",
                            found.quantity(),
                            found.origin(),
                        );
                        *days.insert(d)
                    }
                };
                m.fig(id, label, symbol)
                    .unit(Unit::Weeks)
                    .words(
                        "No wait was given for this route, so the published national average is used for it.",
                    )
                    .stands_for(field)
                    .is(days.e() / Expr::num(7))?
            }
        };
    }
    Ok(out)
}

/// The sequential route, where its inputs (S and p) are given, and how it compares with
/// going external now.
fn sequential(m: &mut Model, s: &Case, year: FinancialYear, nodes: [NodeId; 7]) -> Result<Option<NodeId>> {
    let [full, weekly, w_in, w_ext, common, net, external] = nodes;
    let (Some(sw), Some(p)) = (s.route.search_weeks, s.route.success_probability) else {
        m.fig("route.sequential", "in-house first (sequential search)", "in-house-first route")
            .money(Some(year))
            .formula("p × (full in-house cost + W_in × weekly) + (1 − p) × (S × weekly + net fee + W_ext × weekly) + common costs")
            .none("give the weeks to search in-house first (S) and the probability that search succeeds (p)");
        return Ok(None);
    };
    let p = m.input_leaf(
        "route.success_probability",
        "p, probability the in-house search succeeds",
        "p",
        Quantity::plain(p, Unit::Percent),
        s.provenance.origin("route.success_probability"),
    );
    let sw = m.input_leaf(
        "route.search_weeks",
        "S, weeks searching in-house first",
        "S",
        Quantity::plain(sw, Unit::Weeks),
        s.provenance.origin("route.search_weeks"),
    );
    let w = || weekly.e();
    let seq = m
        .fig("route.sequential", "in-house first (sequential search)", "in-house-first route")
        .money(Some(year))
        .words("Search in-house for S weeks; with probability p it succeeds, otherwise the child waits those S weeks and then goes external.")
        .is((full.e() + w() * w_in.e()) * p.e()
            + (w() * sw.e() + net.e() + w() * w_ext.e()) * (Expr::num(1) - p.e())
            + common.e())?;
    m.fig(
        "route.sequential_vs_external",
        "sequential search against going external now",
        "sequential − external",
    )
    .money(Some(year))
    .words("Positive: searching in-house first is expected to cost more than going external now.")
    .is(seq.e() - external.e())?;
    Ok(Some(seq))
}
