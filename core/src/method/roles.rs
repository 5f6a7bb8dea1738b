//! The full hourly cost of each role (COSTING.md §5): the staff line's cost with its share of
//! office running, regulation and capital (by its FTE) and of back office (by its staff cost),
//! over its productive hours; and its ratio to salary, which shows what "the staff are already
//! paid for" leaves out.

use super::allocation::Stages;
use super::on_costs::StaffNodes;
use super::{AgencyCtx, Expr, Model, RoleCost};
use crate::error::Result;
use crate::explain::{Origin, Quantity, Unit};
use crate::money::Money;

/// Each role's full cost, hourly cost and ratio to salary.
pub fn roles(m: &mut Model, cx: &AgencyCtx, staff: &[StaffNodes], s: &Stages) -> Result<Vec<RoleCost>> {
    let hours = cx.input(
        m,
        "productive_hours",
        ("productive hours a year per FTE", "productive hours"),
        Quantity::plain(cx.agency.productive_hours, Unit::HoursPerYear),
    );
    let all_staff = Expr::sum(staff.iter().map(|l| l.cost.e()));
    let no_fte = m.value(s.fte_total).is_none_or(|v| v.is_zero());
    let no_staff_cost = m.eval(&all_staff).is_ok_and(|v| v.is_zero());
    let mut out = Vec::with_capacity(staff.len());
    for (i, (l, line)) in staff.iter().zip(&cx.agency.staff).enumerate() {
        let n = i + 1;
        let who = format!("staff line {n}, {}", line.role);
        // With no FTE or no staff cost at all there is nothing to share by: the shares are 0.
        let fte_share = if no_fte { Expr::num(0) } else { l.fte.e() / s.fte_total.e() }.part(
            "FTE share (line FTE ÷ total FTE)",
            "FTE share",
            Origin::Figure { id: "fte.total".into() },
            Unit::Percent,
        );
        let staff_share = if no_staff_cost { Expr::num(0) } else { l.cost.e() / all_staff.clone() }.part(
            "staff-cost share (line cost ÷ all staff lines)",
            "staff-cost share",
            Origin::Figure { id: "staff[*].cost".into() },
            Unit::Percent,
        );
        let full = m
            .fig(format!("role[{n}].full_cost"), format!("{who}: full cost"), "full cost")
            .money(Some(cx.year))
            .words("The line's share of office running, regulation and capital is by its FTE; its share of back office is in proportion to its staff line cost among all staff lines (COSTING.md §5).")
            .is(l.cost.e()
                + s.office.e() * fte_share.clone()
                + s.regulation.e() * fte_share.clone()
                + s.back_office.e() * staff_share
                + s.capital.e() * fte_share)?;
        let hourly = m
            .fig(format!("role[{n}].hourly"), format!("{who}: full hourly cost"), "full hourly cost")
            .money_in(Unit::GbpPerHour, Some(cx.year))
            .undefined("the line has no FTE")
            .is(full.e() / (l.fte.e() * hours.e()))?;
        let ratio = m
            .fig(format!("role[{n}].ratio_to_salary"), format!("{who}: full cost to salary"), "full cost to salary")
            .unit(Unit::Ratio)
            .words("What \"the staff are already paid for\" leaves out: every pound of salary carries this much cost in all.")
            .undefined("the line's salary cost is 0")
            .is(full.e() / l.salary_cost.e())?;
        out.push(RoleCost {
            role: line.role.clone(),
            full_cost: m.money(full),
            hourly: m.value(hourly).map(Money),
            ratio_to_salary: m.value(ratio),
        });
    }
    Ok(out)
}
