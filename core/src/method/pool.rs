//! The net cost of the adopter pool (COSTING.md §5): (stage A + B + C totals − fee income
//! from sales) ÷ matches with the agency's own children. Fee income per sale is the agency's
//! own figure, or the schedule's fee for its own provider type.

use rust_decimal::Decimal;

use super::allocation::Stages;
use super::unit_costs::Units;
use super::{AgencyCtx, Expr, Model, NodeId, default_origin, fee::schedule_id};
use crate::error::Result;
use crate::explain::Unit;
use crate::money::Money;

const ID: &str = "unit.pool_net";
const LABEL: &str = "net cost of the adopter pool, per match with own children";

/// The fee income per sale, or why it could not be found.
pub type PerSale = std::result::Result<NodeId, String>;

/// The net cost of the adopter pool, and the fee income per sale it uses. A lookup failure for
/// the default fee income makes the figure undefined (with the reason) rather than stopping the
/// costing.
pub fn pool(m: &mut Model, cx: &AgencyCtx, s: &Stages, u: &Units) -> Result<(Option<Money>, PerSale)> {
    let per_sale = match income_per_sale(m, cx) {
        Ok(n) => n,
        Err(reason) => {
            m.fig(ID, LABEL, "net cost of the adopter pool")
                .money(Some(cx.year))
                .formula("(stage A + B + C totals − sales × fee income per sale) ÷ matches with own children")
                .none(reason.clone());
            return Ok((None, Err(reason)));
        }
    };
    let a = cx.agency;
    let [sa, sb, sc, _] = s.totals;
    let n = m
        .fig(ID, LABEL, "net cost of the adopter pool")
        .money(Some(cx.year))
        .words(if a.london && !a.activity.sales.is_zero() && a.activity.fee_income_per_sale.is_none() {
            "Fee income per sale defaults to the schedule's fee for the agency's own provider type, with the London weighting."
        } else {
            "Fee income per sale defaults to the schedule's fee for the agency's own provider type (one child, the cost base's year)."
        })
        .undefined("the agency made no matches with its own children")
        .is((sa.e() + sb.e() + sc.e() - u.sales.e() * per_sale.e()) / u.matches_own.e())?;
    Ok((m.value(n).map(Money), Ok(per_sale)))
}

/// Fee income per sale: none without sales; the agency's own figure; or the schedule's fee for
/// one child for its own provider type and nation in the cost base's year, with the London
/// weighting where it is in London (a figure of its own). `Err` with the reason where the
/// reference data has no such amount.
fn income_per_sale(m: &mut Model, cx: &AgencyCtx) -> std::result::Result<NodeId, String> {
    let a = cx.agency;
    let path = "activity.fee_income_per_sale";
    if a.activity.sales.is_zero() {
        let q = cx.money(Decimal::ZERO, Unit::Gbp);
        return Ok(m.input_leaf(
            path,
            "fee income per sale",
            "fee income per sale",
            q,
            default_origin("no sales, so no fee income"),
        ));
    }
    if let Some(f) = a.activity.fee_income_per_sale {
        return Ok(cx.input(
            m,
            path,
            ("fee income per sale", "fee income per sale"),
            cx.money(f.0, Unit::Gbp),
        ));
    }
    let provider = a.kind.provider();
    let date = cx.year.first_day();
    let what = format!("fee income per sale ({}, {}, one child)", a.nation.name(), provider.name());
    let found = cx
        .reference
        .lookup(&schedule_id(a.nation, provider, 1), date, &what, path)
        .map_err(|e| e.to_string())?;
    if !a.london {
        return Ok(m.input_leaf(
            path,
            "fee income per sale",
            "fee income per sale",
            found.quantity(),
            found.origin(),
        ));
    }
    let lw = cx
        .reference
        .lookup("fee.london_weighting", date, "London weighting", path)
        .map_err(|e| e.to_string())?;
    let schedule = m.leaf("", "schedule fee (one child)", "schedule fee", found.quantity(), found.origin());
    let weighting = m.leaf("", "London weighting", "London weighting", lw.quantity(), lw.origin());
    // The weighted fee is a figure of its own, so the pool's workings show the amount they use.
    m.fig(path, "fee income per sale, with the London weighting", "fee income per sale")
        .money(Some(cx.year))
        .words("The agency is in London, so the fee it earns on a sale carries the London weighting (COSTING.md §6).")
        .stands_for(path)
        .is(schedule.e() * (Expr::num(1) + weighting.e()))
        .map_err(|e| e.to_string())
}
