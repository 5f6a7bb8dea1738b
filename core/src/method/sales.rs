//! What a placement the agency sells costs it, against the fee it charges: the view a VAA needs
//! (and a section for any agency that sells placements). The cost of a placement is the full
//! (and marginal) in-house cost per household; the fee is the agency's fee income per sale for
//! one child, and the schedule's amount for each sibling band it could sell, in the cost base's
//! year. A surplus is positive, a shortfall negative.

use rust_decimal::Decimal;
use serde::Serialize;

use super::allocation::Stages;
use super::unit_costs::Units;
use super::{AgencyCtx, Expr, Model, NodeId, fee::schedule_id, fee::top_band};
use crate::error::Result;
use crate::explain::Unit;
use crate::money::{FinancialYear, Money};

/// The agency's placements sold, against the fee it charges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SalesView {
    /// The year (the cost base's price year).
    pub year: FinancialYear,
    /// Placements sold to other agencies in the year.
    pub sales: Decimal,
    /// The fee it charges for one child, where known.
    pub fee_per_sale: Option<Money>,
    /// Fee income from the year's sales.
    pub income: Option<Money>,
    /// The full cost of a placement (per household).
    pub full_cost: Money,
    /// The marginal cost of a placement.
    pub marginal_cost: Money,
    /// Fee − full cost, per placement: a surplus (positive) or shortfall (negative).
    pub margin_full: Option<Money>,
    /// Fee − marginal cost, per placement.
    pub margin_marginal: Option<Money>,
    /// The year's sales × the margin at full cost.
    pub year_full: Option<Money>,
    /// The year's sales × the margin at marginal cost.
    pub year_marginal: Option<Money>,
    /// Fee income as a percentage of the whole service's cost (other work included).
    pub coverage: Option<Decimal>,
    /// The fee at which a placement sold covers its full cost.
    pub break_even_fee: Money,
    /// Each sibling band of the schedule the agency sells at.
    pub bands: Vec<Band>,
}

impl SalesView {
    /// The margin per placement sold, in words: what every front door says.
    pub fn verdict(&self) -> String {
        match (self.margin_full, self.margin_marginal) {
            (Some(full), Some(marginal)) if full.0.is_sign_negative() => format!(
                "Each placement sold costs {} more than its fee at full cost; at marginal cost the fee {} {}.",
                Money(-full.0).display_pounds(),
                if marginal.0.is_sign_negative() { "falls short by" } else { "covers it, with" },
                if marginal.0.is_sign_negative() {
                    Money(-marginal.0).display_pounds()
                } else {
                    format!("{} over", marginal.display_pounds())
                }
            ),
            (Some(full), _) => {
                format!("Each placement sold earns {} more than its full cost.", full.display_pounds())
            }
            _ => "The fee is not known, so the surplus or shortfall is not worked out.".to_string(),
        }
    }
}

/// One band of the agency's own schedule against the cost of a placement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// Children in the group.
    pub children: u32,
    /// The schedule's fee for the band, where published.
    pub fee: Option<Money>,
    /// Fee − full cost, per placement.
    pub margin_full: Option<Money>,
    /// Why there is no fee, where there is none.
    pub missing: Option<String>,
}

/// Works out the sales figures into `m`. `per_sale` is the adopter pool's fee income per sale,
/// or why it could not be found.
pub fn sales(
    m: &mut Model,
    cx: &AgencyCtx,
    s: &Stages,
    u: &Units,
    per_sale: std::result::Result<NodeId, String>,
) -> Result<SalesView> {
    let year = cx.year;
    let money = |m: &Model, n: NodeId| m.value(n).map(Money);
    let sold = match &per_sale {
        Ok(per_sale) => sold(m, year, s, u, *per_sale)?,
        Err(reason) => {
            m.fig("sales.margin_full", "surplus or shortfall per placement sold, at full cost", "margin")
                .money(Some(year))
                .formula("fee income per sale − full cost of a placement")
                .none(reason.clone());
            Sold::default()
        }
    };
    let [fee_per_sale, margin_full, margin_marginal, year_full, year_marginal, income] =
        [sold.fee, sold.margin_full, sold.margin_marginal, sold.year_full, sold.year_marginal, sold.income]
            .map(|n| n.and_then(|n| money(m, n)));
    let coverage =
        sold.coverage.and_then(|n| m.value(n)).and_then(|v| crate::expr::mul(v, Decimal::ONE_HUNDRED));
    let break_even = m
        .fig("sales.break_even_fee", "fee at which a placement sold breaks even, at full cost", "break-even fee")
        .money(Some(year))
        .words("A placement sold covers its full cost when the fee equals it; at marginal cost, when the fee equals the marginal cost.")
        .is(u.full.e())?;
    let bands = bands(m, cx, u.full)?;
    Ok(SalesView {
        year,
        sales: cx.agency.activity.sales,
        fee_per_sale,
        income,
        full_cost: m.money(u.full),
        marginal_cost: m.money(u.marginal),
        margin_full,
        margin_marginal,
        year_full,
        year_marginal,
        coverage,
        break_even_fee: m.money(break_even),
        bands,
    })
}

/// The figures of the year's sales at a known fee per sale.
#[derive(Debug, Default)]
struct Sold {
    fee: Option<NodeId>,
    margin_full: Option<NodeId>,
    margin_marginal: Option<NodeId>,
    year_full: Option<NodeId>,
    year_marginal: Option<NodeId>,
    income: Option<NodeId>,
    coverage: Option<NodeId>,
}

/// The sales figures at the fee income per sale `per_sale`.
fn sold(m: &mut Model, year: FinancialYear, s: &Stages, u: &Units, per_sale: NodeId) -> Result<Sold> {
    let fee = m
        .fig("sales.fee", "fee charged for a placement of one child", "fee charged")
        .money(Some(year))
        .words("The agency's fee income per sale: its own figure where given, otherwise the schedule's fee for its provider type, nation and year.")
        .is(per_sale.e())?;
    let income = m
        .fig("sales.income", "fee income from the year's sales", "fee income")
        .money(Some(year))
        .words("Placements sold to other agencies in the year, each at the fee income per sale.")
        .is(u.sales.e() * fee.e())?;
    let margin_full = margin(m, "sales.margin_full", "full", fee, u.full, year)?;
    let margin_marginal = margin(m, "sales.margin_marginal", "marginal", fee, u.marginal, year)?;
    let year_full = m
        .fig("sales.year_full", "surplus or shortfall on the year's sales, at full cost", "year at full cost")
        .money(Some(year))
        .is(u.sales.e() * margin_full.e())?;
    let year_marginal = m
        .fig(
            "sales.year_marginal",
            "surplus or shortfall on the year's sales, at marginal cost",
            "year at marginal cost",
        )
        .money(Some(year))
        .is(u.sales.e() * margin_marginal.e())?;
    let coverage = m
        .fig("sales.coverage", "share of the whole service's cost the fee income covers", "coverage")
        .unit(Unit::Percent)
        .words("The whole service includes its other work (adoption support after the order and so on), which no fee pays for.")
        .undefined("the service has no cost")
        .is(income.e() / s.total.e())?;
    Ok(Sold {
        fee: Some(fee),
        margin_full: Some(margin_full),
        margin_marginal: Some(margin_marginal),
        year_full: Some(year_full),
        year_marginal: Some(year_marginal),
        income: Some(income),
        coverage: Some(coverage),
    })
}

/// Fee − a cost of a placement: a surplus or a shortfall per placement sold.
fn margin(
    m: &mut Model,
    id: &'static str,
    at: &str,
    fee: NodeId,
    cost: NodeId,
    year: FinancialYear,
) -> Result<NodeId> {
    m.fig(id, format!("surplus or shortfall per placement sold, at {at} cost"), format!("margin at {at} cost"))
        .money(Some(year))
        .words("Positive: each placement sold earns more than it costs. Negative: a shortfall the agency meets from elsewhere.")
        .is(fee.e() - cost.e())
}

/// Each band of the agency's own schedule (its nation and provider type, the cost base's year,
/// with the London weighting where it is in London) against the full cost of a placement.
fn bands(m: &mut Model, cx: &AgencyCtx, full: NodeId) -> Result<Vec<Band>> {
    let a = cx.agency;
    let provider = a.kind.provider();
    let date = cx.year.first_day();
    let top = top_band(cx.reference, a.nation, provider).unwrap_or(0);
    let weighting = if a.london {
        cx.reference.lookup("fee.london_weighting", date, "London weighting", "").ok()
    } else {
        None
    };
    let mut out = Vec::with_capacity(top as usize);
    for children in 1..=top {
        let id = format!("sales.band.{children}");
        let what = format!("fee, {} {}", children, if children == 1 { "child" } else { "children" });
        let label = format!("surplus or shortfall per placement of {children} sold, at full cost");
        match cx.reference.lookup(&schedule_id(a.nation, provider, children), date, &what, "fee") {
            Ok(found) => {
                let fee =
                    m.leaf("", format!("schedule {what}"), "schedule fee", found.quantity(), found.origin());
                let fee = match &weighting {
                    Some(lw) => {
                        let w =
                            m.leaf("", "London weighting", "London weighting", lw.quantity(), lw.origin());
                        fee.e() * (Expr::num(1) + w.e())
                    }
                    None => fee.e(),
                };
                let fee_value = m.eval(&fee).ok().map(Money);
                let n = m
                    .fig(id, label, format!("margin, {children}"))
                    .money(Some(cx.year))
                    .words("The band's schedule fee less the full cost of a placement, which is per household: a group costs the agency as one household.")
                    .is(fee - full.e())?;
                out.push(Band {
                    children,
                    fee: fee_value,
                    margin_full: m.value(n).map(Money),
                    missing: None,
                });
            }
            Err(e) => {
                m.fig(id, label, format!("margin, {children}"))
                    .money(Some(cx.year))
                    .formula("schedule fee for the band − full cost of a placement")
                    .none(e.to_string());
                out.push(Band { children, fee: None, margin_full: None, missing: Some(e.to_string()) });
            }
        }
    }
    Ok(out)
}
