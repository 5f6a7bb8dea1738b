//! Keys and allocation (COSTING.md §3): every line of the cost base split across stages A, B,
//! C and other, by its own shares or by a key, and the totals by stage and by category.
//!
//! Staff and direct non-staff lines go by their own shares; office running, regulation and
//! capital by their own shares or the FTE key; back office by the direct-cost key. Each line's
//! part of a stage is carried to 18 decimal places of a pound with the remainder to its
//! largest share ([`crate::expr::allocate`]), so the parts of every line, and every total of
//! parts, add up exactly.

use rust_decimal::Decimal;

use super::on_costs::StaffNodes;
use super::{AgencyCtx, Category, Expr, Model, NodeId, Stage};
use crate::error::{Error, Result};
use crate::explain::{Origin, Quantity, Unit};
use crate::input::OverheadLine;
use crate::money::{Money, Percent};

/// The figures of the allocation.
#[derive(Debug, Clone)]
pub struct Stages {
    /// Σ FTE.
    pub fte_total: NodeId,
    /// The FTE key of each stage.
    pub fte_key: [NodeId; 4],
    /// The direct-cost key of each stage.
    pub direct_key: [NodeId; 4],
    /// The totals of office running, regulation, capital and back office.
    pub office: NodeId,
    /// Regulation total.
    pub regulation: NodeId,
    /// Capital total.
    pub capital: NodeId,
    /// Back office total.
    pub back_office: NodeId,
    /// Each stage's cost by category (in [`Category::ALL`] order).
    pub by_category: [[NodeId; 7]; 4],
    /// Each stage's total.
    pub totals: [NodeId; 4],
    /// Each category's total.
    pub category_totals: [NodeId; 7],
    /// The year's total.
    pub total: NodeId,
    /// Variable lines by stage.
    pub variable: [NodeId; 4],
}

/// One line's parts of the four stages, for the stage figures to add up.
struct Contribution {
    category: Category,
    variable: bool,
    parts: [NodeId; 4],
}

/// A line's amount split by four fractions, as four parts of the model.
fn parts(
    m: &mut Model,
    (name, how, origin): (&str, &str, &Origin),
    amount: Expr,
    fractions: &[Expr; 4],
    year: crate::money::FinancialYear,
) -> Result<[NodeId; 4]> {
    let mut out = [NodeId::default(); 4];
    for stage in Stage::ALL {
        out[stage as usize] = m.part(
            format!("{name}: {how}"),
            name.to_string(),
            origin.clone(),
            (Unit::Gbp, Some(year)),
            Expr::allocate(stage as usize, amount.clone(), fractions.clone()),
        )?;
    }
    Ok(out)
}

fn pct(d: Decimal) -> String {
    Percent(d).display(4)
}

/// `£40,000.00 by its own shares (A 40%, B 20%, C 20%, other 20%)`.
fn share_words(m: &Model, amount: &Expr, shares: &[NodeId; 4]) -> String {
    let [a, b, c, o] = shares.map(|s| pct(m.value(s).unwrap_or_default()));
    let amount = Money(m.eval(amount).unwrap_or_default()).display_pence();
    format!("{amount} by its own shares (A {a}, B {b}, C {c}, other {o})")
}

/// `£12,000.00 by the FTE key (A 36.8966%, …)`.
fn key_words(m: &Model, amount: &Expr, key: &str, fractions: &[Expr; 4]) -> String {
    let [a, b, c, o] =
        fractions.clone().map(|f| Percent::from_fraction(m.eval(&f).unwrap_or_default()).display(4));
    let amount = Money(m.eval(amount).unwrap_or_default()).display_pence();
    format!("{amount} by the {key} (A {a}, B {b}, C {c}, other {o})")
}

/// Allocates every line of the cost base to the stages, with the keys and totals.
pub fn allocate(m: &mut Model, cx: &AgencyCtx, staff: &[StaffNodes]) -> Result<Stages> {
    let mut lines = staff_parts(m, cx, staff)?;
    lines.extend(direct_parts(m, cx)?);
    let fte_total = fte_total(m, staff)?;
    let fte_key = fte_keys(m, staff, fte_total)?;
    let (office, regulation, capital) = overheads(m, cx, fte_total, &fte_key, &mut lines)?;
    // The direct categories of each stage come first: the direct-cost key is made of them.
    let direct_categories =
        [Category::Salary, Category::OnCosts, Category::Direct, Category::Office, Category::Regulation];
    let mut by_category = [[fte_total; 7]; 4];
    for stage in Stage::ALL {
        for cat in direct_categories {
            by_category[stage as usize][cat as usize] = stage_category(m, cx, stage, cat, &lines)?;
        }
    }
    let base = direct_base(m, cx, staff, office, regulation)?;
    let direct_key = direct_keys(m, base, &by_category)?;
    let back_office = back_office(m, cx, base, &direct_key, &mut lines)?;
    let mut totals = [fte_total; 4];
    for stage in Stage::ALL {
        let k = stage as usize;
        for cat in [Category::BackOffice, Category::Capital] {
            by_category[k][cat as usize] = stage_category(m, cx, stage, cat, &lines)?;
        }
        totals[k] = m
            .fig(
                format!("stage.{}.total", stage.id()),
                format!("stage {} total", stage.name()),
                format!("stage {}", stage.short()),
            )
            .money(Some(cx.year))
            .words("Each category's figure lists every line's contribution and the allocation key used.")
            .is(Expr::sum_of("categories of the stage", by_category[k].map(NodeId::e)))?;
    }
    let (category_totals, total) = totals_of(m, cx, &by_category, &totals)?;
    let variable = variable(m, cx, &lines)?;
    Ok(Stages {
        fte_total,
        fte_key,
        direct_key,
        office,
        regulation,
        capital,
        back_office,
        by_category,
        totals,
        category_totals,
        total,
        variable,
    })
}

/// Each staff line's salary and on-costs, by its own shares.
fn staff_parts(m: &mut Model, cx: &AgencyCtx, staff: &[StaffNodes]) -> Result<Vec<Contribution>> {
    let mut out = Vec::with_capacity(staff.len() * 2);
    for (i, (s, line)) in staff.iter().zip(&cx.agency.staff).enumerate() {
        let paid = if line.variable { " (paid by the case)" } else { "" };
        let name = format!("staff[{}] {}{paid}", i + 1, line.role);
        let fractions = s.shares.map(NodeId::e);
        for (category, amount, cites) in
            [(Category::Salary, s.salary_cost.e(), s.salary_cost), (Category::OnCosts, s.on_costs(), s.cost)]
        {
            let how = share_words(m, &amount, &s.shares);
            let origin = Origin::Figure { id: m.id(cites).to_string() };
            let parts = parts(m, (&name, &how, &origin), amount, &fractions, cx.year)?;
            out.push(Contribution { category, variable: line.variable, parts });
        }
    }
    Ok(out)
}

/// Each direct non-staff line, by its own shares.
fn direct_parts(m: &mut Model, cx: &AgencyCtx) -> Result<Vec<Contribution>> {
    let mut out = Vec::with_capacity(cx.agency.direct.len());
    for (i, d) in cx.agency.direct.iter().enumerate() {
        let n = i + 1;
        let kind = if d.variable { "variable" } else { "fixed" };
        let name = format!("direct[{n}] {} ({kind})", d.label);
        let amount = cx.input(
            m,
            format!("direct[{n}].amount"),
            (name.clone(), "amount"),
            cx.money(d.amount.0, Unit::Gbp),
        );
        let shares = own_shares(m, cx, &format!("direct[{n}]"), &name, &d.shares.percents());
        let how = share_words(m, &amount.e(), &shares);
        let origin = m.origin(amount);
        let parts = parts(m, (&name, &how, &origin), amount.e(), &shares.map(NodeId::e), cx.year)?;
        out.push(Contribution { category: Category::Direct, variable: d.variable, parts });
    }
    Ok(out)
}

/// A line's own shares of the four stages, as inputs.
fn own_shares(m: &mut Model, cx: &AgencyCtx, line: &str, name: &str, percents: &[Decimal; 4]) -> [NodeId; 4] {
    Stage::ALL.map(|stage| {
        cx.input(
            m,
            format!("{line}.shares.{}", stage.id()),
            (format!("{name}: share of stage {}", stage.short()), "share"),
            Quantity::plain(percents[stage as usize], Unit::Percent),
        )
    })
}

fn fte_total(m: &mut Model, staff: &[StaffNodes]) -> Result<NodeId> {
    m.fig("fte.total", "total FTE of the staff lines", "Σ FTE")
        .unit(Unit::Fte)
        .is(Expr::sum_of("FTE over all staff lines", staff.iter().map(|s| s.fte.e())))
}

/// The FTE key: Σ(FTE × share) ÷ Σ FTE, over all staff lines, other included.
fn fte_keys(m: &mut Model, staff: &[StaffNodes], fte_total: NodeId) -> Result<[NodeId; 4]> {
    let mut keys = [fte_total; 4];
    for stage in Stage::ALL {
        let k = stage as usize;
        let time = Expr::sum_of(
            format!("(FTE × share {}) over all staff lines", stage.short()),
            staff.iter().map(|s| s.fte.e() * s.shares[k].e()),
        );
        keys[k] = m
            .fig(format!("key.fte.{}", stage.id()), format!("FTE key, stage {}", stage.name()), format!("FTE key {}", stage.short()))
            .unit(Unit::Percent)
            .words("The share of staff time in the stage, used to allocate office running, regulation and capital (COSTING.md §3).")
            .undefined("the staff lines have no FTE")
            .is(time / fte_total.e())?;
    }
    Ok(keys)
}

/// Office running, regulation and capital: each line's amount (or amount per FTE × Σ FTE),
/// allocated by its own shares or the FTE key; and each group's total.
fn overheads(
    m: &mut Model,
    cx: &AgencyCtx,
    fte_total: NodeId,
    fte_key: &[NodeId; 4],
    lines: &mut Vec<Contribution>,
) -> Result<(NodeId, NodeId, NodeId)> {
    let a = cx.agency;
    let mut totals = [fte_total; 3];
    for (slot, (category, group, list)) in totals.iter_mut().zip([
        (Category::Office, "office", &a.office),
        (Category::Regulation, "regulation", &a.regulation),
        (Category::Capital, "capital", &a.capital),
    ]) {
        let mut amounts = Vec::with_capacity(list.len());
        for (i, l) in list.iter().enumerate() {
            let amount = overhead_amount(m, cx, group, i + 1, l, fte_total)?;
            amounts.push(amount.e());
            let name = format!("{group}[{}] {}", i + 1, l.label);
            let (fractions, how) = match &l.shares {
                Some(s) => {
                    let shares = own_shares(m, cx, &format!("{group}[{}]", i + 1), &name, &s.percents());
                    (shares.map(NodeId::e), share_words(m, &amount.e(), &shares))
                }
                None => {
                    let key = fte_key.map(NodeId::e);
                    let how = key_words(m, &amount.e(), "FTE key", &key);
                    (key, how)
                }
            };
            let origin = m.origin(amount);
            let parts = parts(m, (&name, &how, &origin), amount.e(), &fractions, cx.year)?;
            lines.push(Contribution { category, variable: false, parts });
        }
        *slot = m
            .fig(
                format!("{group}.total"),
                format!("{} total", category.name()),
                format!("{} total", category.name()),
            )
            .money(Some(cx.year))
            .is(Expr::sum_of(format!("{} lines", category.name()), amounts))?;
    }
    Ok((totals[0], totals[1], totals[2]))
}

/// An overhead line's amount: as given, its amount per FTE × Σ FTE (a figure), or the published
/// fee it names on the first day of the price year.
fn overhead_amount(
    m: &mut Model,
    cx: &AgencyCtx,
    group: &str,
    n: usize,
    l: &OverheadLine,
    fte_total: NodeId,
) -> Result<NodeId> {
    let name = format!("{group}[{n}] {}", l.label);
    match (l.amount, l.per_fte) {
        (None, Some(per)) => {
            let per = cx.input(
                m,
                format!("{group}[{n}].per_fte"),
                (format!("{name}: amount per FTE"), "amount per FTE"),
                cx.money(per.0, Unit::GbpPerFte),
            );
            m.fig(format!("{group}[{n}].amount"), format!("{group} line {n}, {}", l.label), "amount")
                .money(Some(cx.year))
                .is(per.e() * fte_total.e())
        }
        (None, None) if let Some(id) = l.regulation_fee() => cx.rate_or_reference(
            m,
            None,
            (format!("{group}[{n}].amount"), id),
            cx.year.first_day(),
            (format!("{name}: published fee"), "published fee".to_string()),
            Unit::Gbp,
        ),
        (amount, _) => Ok(cx.input(
            m,
            format!("{group}[{n}].amount"),
            (name, "amount"),
            cx.money(amount.map_or(Decimal::ZERO, |a| a.0), Unit::Gbp),
        )),
    }
}

/// One stage's cost in one category: Σ each line's part of the stage.
fn stage_category(
    m: &mut Model,
    cx: &AgencyCtx,
    stage: Stage,
    cat: Category,
    lines: &[Contribution],
) -> Result<NodeId> {
    let k = stage as usize;
    let parts = lines.iter().filter(|l| l.category == cat).map(|l| l.parts[k].e());
    m.fig(
        format!("stage.{}.{}", stage.id(), cat.id()),
        format!("stage {}: {}", stage.name(), cat.name()),
        format!("{} of {}", cat.name(), stage.short()),
    )
    .money(Some(cx.year))
    .is(Expr::sum_of(format!("each line's {} × its share of stage {}", cat.name(), stage.short()), parts))
}

/// The direct cost, the base of back-office recharges: staff + direct non-staff + office
/// running + regulation (capital is not in the base).
fn direct_base(
    m: &mut Model,
    cx: &AgencyCtx,
    staff: &[StaffNodes],
    office: NodeId,
    regulation: NodeId,
) -> Result<NodeId> {
    let staff_lines = Expr::sum(staff.iter().map(|s| s.cost.e())).part(
        "staff lines",
        "staff",
        Origin::Figure { id: "staff[*].cost".into() },
        Unit::Gbp,
    );
    let direct: Vec<Expr> = (1..=cx.agency.direct.len())
        .filter_map(|n| m.find(&format!("direct[{n}].amount")).map(NodeId::e))
        .collect();
    let direct = Expr::sum(direct).part(
        "direct non-staff lines",
        "direct non-staff",
        cx.agency.provenance.origin("direct[*].amount"),
        Unit::Gbp,
    );
    m.fig("back_office.base", "direct cost (the base of back-office recharges)", "direct cost")
        .money(Some(cx.year))
        .words("Capital is not in the base (COSTING.md §3).")
        .is(with_year(staff_lines, cx) + with_year(direct, cx) + office.e() + regulation.e())
}

fn with_year(mut e: Expr, cx: &AgencyCtx) -> Expr {
    if let Expr::Part(p) = &mut e {
        p.price_year = Some(cx.year);
    }
    e
}

/// The direct-cost key: each stage's direct cost ÷ the direct cost, other included.
fn direct_keys(m: &mut Model, base: NodeId, by_category: &[[NodeId; 7]; 4]) -> Result<[NodeId; 4]> {
    let mut keys = [base; 4];
    for stage in Stage::ALL {
        let k = stage as usize;
        let stage_direct = Expr::sum(
            [Category::Salary, Category::OnCosts, Category::Direct, Category::Office, Category::Regulation]
                .map(|c| by_category[k][c as usize].e()),
        );
        keys[k] = m
            .fig(
                format!("key.direct.{}", stage.id()),
                format!("direct-cost key, stage {}", stage.name()),
                format!("direct-cost key {}", stage.short()),
            )
            .unit(Unit::Percent)
            .words("Used to allocate back office to the stages, other included (COSTING.md §3).")
            .undefined("there is no direct cost to allocate back office by")
            .is(stage_direct / base.e())?;
    }
    Ok(keys)
}

/// Back office: each line's amount (or recharge rate × direct cost), allocated by the
/// direct-cost key; and its total.
fn back_office(
    m: &mut Model,
    cx: &AgencyCtx,
    base: NodeId,
    direct_key: &[NodeId; 4],
    lines: &mut Vec<Contribution>,
) -> Result<NodeId> {
    let no_direct_cost = m.value(base).is_none_or(|v| v.is_zero());
    let mut amounts = Vec::with_capacity(cx.agency.back_office.len());
    for (i, l) in cx.agency.back_office.iter().enumerate() {
        let n = i + 1;
        let name = format!("back_office[{n}] {}", l.label);
        let amount = match (l.amount, l.recharge) {
            (None, Some(rate)) => {
                let rate = cx.input(
                    m,
                    format!("back_office[{n}].recharge"),
                    (format!("{name}: recharge rate"), "recharge rate"),
                    Quantity::plain(rate, Unit::Percent),
                );
                m.fig(
                    format!("back_office[{n}].amount"),
                    format!("back office line {n}, {}: recharge", l.label),
                    "recharge",
                )
                .money(Some(cx.year))
                .is(base.e() * rate.e())?
            }
            (amount, _) => cx.input(
                m,
                format!("back_office[{n}].amount"),
                (name.clone(), "amount"),
                cx.money(amount.map_or(Decimal::ZERO, |a| a.0), Unit::Gbp),
            ),
        };
        if no_direct_cost && !m.value(amount).unwrap_or_default().is_zero() {
            return Err(Error::invalid(
                cx.agency.provenance.place(&format!("back_office[{n}]")),
                "a back-office cost with no direct cost to allocate it by",
                "staff, direct non-staff, office or regulation costs",
            ));
        }
        amounts.push(amount.e());
        // With no direct cost there is no key; the lines are then all zero.
        let fractions = if no_direct_cost { [0, 0, 0, 0].map(Expr::num) } else { direct_key.map(NodeId::e) };
        let how = key_words(m, &amount.e(), "direct-cost key", &fractions);
        let origin = m.origin(amount);
        let parts = parts(m, (&name, &how, &origin), amount.e(), &fractions, cx.year)?;
        lines.push(Contribution { category: Category::BackOffice, variable: false, parts });
    }
    m.fig("back_office.total", "back office total", "back office total")
        .money(Some(cx.year))
        .is(Expr::sum_of("back-office lines (amounts, and recharge rate × direct cost)", amounts))
}

/// The totals of each category over the stages, and the year's total.
fn totals_of(
    m: &mut Model,
    cx: &AgencyCtx,
    by_category: &[[NodeId; 7]; 4],
    totals: &[NodeId; 4],
) -> Result<([NodeId; 7], NodeId)> {
    let mut category_totals = [totals[0]; 7];
    for cat in Category::ALL {
        category_totals[cat as usize] = m
            .fig(
                format!("category.{}.total", cat.id()),
                format!("{} total, all stages", cat.name()),
                format!("{} total", cat.name()),
            )
            .money(Some(cx.year))
            .is(Expr::sum_of("stages A, B, C and other", by_category.map(|s| s[cat as usize].e())))?;
    }
    let total = m
        .fig("cost.total", "the year's total cost of the service", "total")
        .money(Some(cx.year))
        .is(Expr::sum_of("stage totals (equally, Σ category totals)", totals.map(NodeId::e)))?;
    Ok((category_totals, total))
}

/// The variable lines of each stage: what one more case adds in cash this year.
fn variable(m: &mut Model, cx: &AgencyCtx, lines: &[Contribution]) -> Result<[NodeId; 4]> {
    let mut out = [NodeId::default(); 4];
    for stage in Stage::ALL {
        let k = stage as usize;
        let parts = lines.iter().filter(|l| l.variable).map(|l| l.parts[k].e());
        out[k] = m
            .fig(
                format!("variable.{}", stage.id()),
                format!("variable cost, stage {}", stage.name()),
                format!("variable {}", stage.short()),
            )
            .money(Some(cx.year))
            .words(
                "Lines flagged variable grow with cases: direct lines (a medical, a panel fee) and staff paid by the case (sessional assessors, agency social workers), salary and on-costs. The short-run cash cost.",
            )
            .is(Expr::sum_of(format!("variable lines × share {}", stage.short()), parts))?;
    }
    Ok(out)
}
