//! Staff lines and their employer on-costs (COSTING.md §3): salary cost, employer National
//! Insurance, employer pension and the apprenticeship levy.

use rust_decimal::Decimal;

use super::{AgencyCtx, Expr, Model, NodeId};
use crate::error::Result;
use crate::explain::{Quantity, Unit};
use crate::input::StaffLine;

/// The on-cost rates every staff line uses.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    /// Employer NI rate.
    pub ni_rate: NodeId,
    /// Employer NI secondary threshold, a year.
    pub ni_threshold: NodeId,
    /// Employer pension rate.
    pub pension: NodeId,
    /// Apprenticeship levy rate, where the employer pays it.
    pub levy: Option<NodeId>,
}

/// One staff line's inputs and figures.
#[derive(Debug, Clone, Copy)]
pub struct StaffNodes {
    /// FTE.
    pub fte: NodeId,
    /// Salary per FTE.
    pub salary: NodeId,
    /// Its shares of stages A, B, C and other.
    pub shares: [NodeId; 4],
    /// FTE × salary.
    pub salary_cost: NodeId,
    /// Employer NI.
    pub ni: NodeId,
    /// Employer pension.
    pub pension: NodeId,
    /// Apprenticeship levy, where paid.
    pub levy: Option<NodeId>,
    /// Salary cost + on-costs.
    pub cost: NodeId,
}

impl StaffNodes {
    /// The line's on-costs: employer NI + pension + levy.
    pub fn on_costs(&self) -> Expr {
        let ni_and_pension = self.ni.e() + self.pension.e();
        match self.levy {
            Some(l) => ni_and_pension + l.e(),
            None => ni_and_pension,
        }
    }
}

/// The on-cost rates: the employer's own, or the reference figures on the NI date (the
/// employer's pension rate is always its own).
pub fn rates(m: &mut Model, cx: &AgencyCtx) -> Result<Rates> {
    let oc = &cx.agency.on_costs;
    let date = oc.ni_date_in(cx.year);
    let ni_rate = cx.rate_or_reference(
        m,
        oc.ni_rate,
        ("on_costs.ni_rate", "employer_ni.rate"),
        date,
        ("employer National Insurance rate", "rate"),
        Unit::Percent,
    )?;
    let ni_threshold = cx.rate_or_reference(
        m,
        oc.ni_threshold.map(|t| t.0),
        ("on_costs.ni_threshold", "employer_ni.threshold"),
        date,
        ("employer National Insurance secondary threshold", "secondary threshold"),
        Unit::GbpPerYear,
    )?;
    let levy = if oc.apprenticeship_levy {
        Some(cx.rate_or_reference(
            m,
            oc.levy_rate,
            ("on_costs.levy_rate", "apprenticeship_levy.rate"),
            date,
            ("apprenticeship levy rate", "levy rate"),
            Unit::Percent,
        )?)
    } else {
        None
    };
    let pension = cx.input(
        m,
        "on_costs.pension_rate",
        ("employer pension rate", "pension rate"),
        Quantity::plain(oc.pension_rate, Unit::Percent),
    );
    Ok(Rates { ni_rate, ni_threshold, pension, levy })
}

/// A staff line's inputs, salary cost and on-costs.
pub fn staff_line(m: &mut Model, cx: &AgencyCtx, n: usize, s: &StaffLine, r: &Rates) -> Result<StaffNodes> {
    let id = format!("staff[{n}]");
    let who = format!("staff line {n}, {}", s.role);
    let fte =
        cx.input(m, format!("{id}.fte"), (format!("{who}: FTE"), "FTE"), Quantity::plain(s.fte, Unit::Fte));
    let salary = cx.input(
        m,
        format!("{id}.salary"),
        (format!("{who}: salary per FTE"), "salary"),
        Quantity::money(s.salary.money(), Unit::GbpPerYear, Some(cx.year)),
    );
    let percents = s.shares.percents();
    let shares = super::Stage::ALL.map(|stage| {
        let k = stage as usize;
        cx.input(
            m,
            format!("{id}.shares.{}", stage.id()),
            (format!("{who}: share of stage {}", stage.short()), "share"),
            Quantity::plain(percents[k], Unit::Percent),
        )
    });
    let salary_cost = m
        .fig(format!("{id}.salary_cost"), format!("{who}: salary cost"), "salary cost")
        .money(Some(cx.year))
        .is(fte.e() * salary.e())?;
    let ni = m
        .fig(format!("{id}.employer_ni"), format!("{who}: employer National Insurance"), "employer NI")
        .money(Some(cx.year))
        .words("Worked out as if each FTE were one full-time employee on the line's salary: an approximation for part-time staff (COSTING.md §3).")
        .is(Expr::max(Expr::num(Decimal::ZERO), salary.e() - r.ni_threshold.e()) * fte.e() * r.ni_rate.e())?;
    let pension = m
        .fig(format!("{id}.pension"), format!("{who}: employer pension"), "employer pension")
        .money(Some(cx.year))
        .is(salary_cost.e() * r.pension.e())?;
    let levy = match r.levy {
        Some(rate) => Some(
            m.fig(format!("{id}.levy"), format!("{who}: apprenticeship levy"), "apprenticeship levy")
                .money(Some(cx.year))
                .words("The employer says it pays the levy (pay bill over £3m).")
                .is(salary_cost.e() * rate.e())?,
        ),
        None => None,
    };
    let mut nodes = StaffNodes { fte, salary, shares, salary_cost, ni, pension, levy, cost: salary_cost };
    nodes.cost = m
        .fig(format!("{id}.cost"), format!("{who}: staff line cost"), "staff line cost")
        .money(Some(cx.year))
        .words(if levy.is_some() {
            ""
        } else {
            "The employer does not pay the apprenticeship levy, so there is none."
        })
        .is(salary_cost.e() + nodes.on_costs())?;
    Ok(nodes)
}
