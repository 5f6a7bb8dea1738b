//! The agency's cost base and unit costs (COSTING.md §3–5).
//!
//! [`cost_base`] works through the method in order: each staff line's on-costs, the FTE key,
//! office running, regulation and capital by the FTE key (or a line's own shares), back office on
//! the direct cost and by the direct-cost key, then every stage's total by category, the unit
//! costs, the full hourly cost of each role and the marginal cost. Each step pushes its figure to
//! the [`Explanation`], and the typed results are kept in [`CostBase`].
//!
//! Allocations are exact: a line allocated by a key (a quotient, which may not terminate) is
//! carried to 18 decimal places of a pound and gives the remainder to the stage with the largest
//! share, so the stages of every line add up to the line exactly, and stage totals and category
//! totals add up to the total exactly.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::explain::{Explanation, Figure, Origin, Quantity, Unit, fig};
use crate::input::{Agency, OverheadLine};
use crate::money::{FinancialYear, Money, Percent};
use crate::reference::Reference;

/// A stage of the work (COSTING.md §2), with `Other` for work outside the fee's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// A. approval.
    A,
    /// B. matching.
    B,
    /// C. support to the order.
    C,
    /// Other work, excluded from the unit cost.
    Other,
}

impl Stage {
    /// All four, in order.
    pub const ALL: [Stage; 4] = [Stage::A, Stage::B, Stage::C, Stage::Other];

    /// `a`, `b`, `c`, `other`.
    pub fn id(self) -> &'static str {
        match self {
            Stage::A => "a",
            Stage::B => "b",
            Stage::C => "c",
            Stage::Other => "other",
        }
    }

    /// `A. approval` and so on.
    pub fn name(self) -> &'static str {
        match self {
            Stage::A => "A. approval",
            Stage::B => "B. matching",
            Stage::C => "C. support",
            Stage::Other => "other (outside the fee)",
        }
    }

    fn short(self) -> &'static str {
        match self {
            Stage::A => "A",
            Stage::B => "B",
            Stage::C => "C",
            Stage::Other => "other",
        }
    }
}

/// A cost category, the columns of the in-house cost table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Staff salaries.
    Salary,
    /// Employer NI, pension and apprenticeship levy.
    OnCosts,
    /// Direct non-staff lines.
    Direct,
    /// Office running.
    Office,
    /// Regulation.
    Regulation,
    /// Back office.
    BackOffice,
    /// Capital.
    Capital,
}

impl Category {
    /// All seven, in order.
    pub const ALL: [Category; 7] = [
        Category::Salary,
        Category::OnCosts,
        Category::Direct,
        Category::Office,
        Category::Regulation,
        Category::BackOffice,
        Category::Capital,
    ];

    /// The id used in figure ids.
    pub fn id(self) -> &'static str {
        match self {
            Category::Salary => "salary",
            Category::OnCosts => "on_costs",
            Category::Direct => "direct",
            Category::Office => "office",
            Category::Regulation => "regulation",
            Category::BackOffice => "back_office",
            Category::Capital => "capital",
        }
    }

    /// The name shown.
    pub fn name(self) -> &'static str {
        match self {
            Category::Salary => "salary",
            Category::OnCosts => "on-costs",
            Category::Direct => "direct non-staff",
            Category::Office => "office running",
            Category::Regulation => "regulation",
            Category::BackOffice => "back office",
            Category::Capital => "capital",
        }
    }
}

/// One value per stage.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ByStage<T> {
    /// A. approval.
    pub a: T,
    /// B. matching.
    pub b: T,
    /// C. support.
    pub c: T,
    /// Other.
    pub other: T,
}

impl<T: Copy> ByStage<T> {
    /// From an array in stage order.
    pub fn from_array(v: [T; 4]) -> Self {
        ByStage { a: v[0], b: v[1], c: v[2], other: v[3] }
    }

    /// The value for a stage.
    pub fn get(&self, s: Stage) -> T {
        match s {
            Stage::A => self.a,
            Stage::B => self.b,
            Stage::C => self.c,
            Stage::Other => self.other,
        }
    }

    /// As an array in stage order.
    pub fn to_array(&self) -> [T; 4] {
        [self.a, self.b, self.c, self.other]
    }
}

/// Cost of each category in one stage, or per placement.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ByCategory {
    /// Salary.
    pub salary: Money,
    /// On-costs.
    pub on_costs: Money,
    /// Direct non-staff.
    pub direct: Money,
    /// Office running.
    pub office: Money,
    /// Regulation.
    pub regulation: Money,
    /// Back office.
    pub back_office: Money,
    /// Capital.
    pub capital: Money,
}

impl ByCategory {
    /// The value of a category.
    pub fn get(&self, c: Category) -> Money {
        match c {
            Category::Salary => self.salary,
            Category::OnCosts => self.on_costs,
            Category::Direct => self.direct,
            Category::Office => self.office,
            Category::Regulation => self.regulation,
            Category::BackOffice => self.back_office,
            Category::Capital => self.capital,
        }
    }

    pub(crate) fn set(&mut self, c: Category, v: Money) {
        match c {
            Category::Salary => self.salary = v,
            Category::OnCosts => self.on_costs = v,
            Category::Direct => self.direct = v,
            Category::Office => self.office = v,
            Category::Regulation => self.regulation = v,
            Category::BackOffice => self.back_office = v,
            Category::Capital => self.capital = v,
        }
    }

    /// The sum of all categories.
    pub fn total(&self) -> Money {
        Category::ALL.iter().map(|&c| self.get(c)).sum()
    }
}

/// The full hourly cost of one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleCost {
    /// The role.
    pub role: String,
    /// Staff line cost plus its share of office, regulation, back office and capital.
    pub full_cost: Money,
    /// Full cost per productive hour.
    pub hourly: Option<Money>,
    /// Full cost ÷ salary cost.
    pub ratio_to_salary: Option<Decimal>,
}

/// Unit costs (COSTING.md §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitCosts {
    /// Stage A total ÷ approvals.
    pub per_approval: Money,
    /// Stage B total ÷ matches.
    pub per_match: Money,
    /// Stage C total ÷ supported placements.
    pub per_supported: Money,
    /// Cost per approval ÷ utilisation + cost per match + cost per supported placement.
    pub full: Money,
    /// The full cost split by category.
    pub full_by_category: ByCategory,
    /// Variable direct lines only.
    pub marginal: Money,
}

/// The activity volumes used, with defaults applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Volumes {
    /// Approvals.
    pub approvals: Decimal,
    /// Matches, own and sales.
    pub matches: Decimal,
    /// Matches with the agency's own children.
    pub matches_own: Decimal,
    /// Sales.
    pub sales: Decimal,
    /// Supported placements.
    pub supported: Decimal,
    /// Utilisation as a fraction.
    pub utilisation: Decimal,
}

/// The costed agency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostBase {
    /// The price year of every amount.
    pub price_year: FinancialYear,
    /// Total cost by stage.
    pub stage_totals: ByStage<Money>,
    /// Cost by category within each stage.
    pub stage_categories: ByStage<ByCategory>,
    /// Total cost by category, all stages.
    pub category_totals: ByCategory,
    /// The whole year's cost.
    pub total: Money,
    /// Variable direct lines by stage.
    pub variable: ByStage<Money>,
    /// The FTE key.
    pub fte_key: ByStage<Decimal>,
    /// The direct-cost key.
    pub direct_key: ByStage<Decimal>,
    /// Volumes used.
    pub volumes: Volumes,
    /// Unit costs.
    pub unit: UnitCosts,
    /// The full hourly cost of each staff line.
    pub roles: Vec<RoleCost>,
}

/// Decimal places of a pound that an allocated part is carried to: 18, a billionth of a
/// billionth of a penny. A key is a quotient that may not terminate, and a `Decimal` holds 28
/// significant digits, so a part is cut at a fixed place; with every part at 18 places the
/// parts of any line, and every total of parts, add up exactly.
pub const ALLOCATION_PLACES: u32 = 18;

/// Splits an amount by fractions that sum to one, exactly: each part is carried to
/// [`ALLOCATION_PLACES`] and the remainder goes to the stage with the largest fraction, so the
/// parts always add up to the amount.
pub fn allocate(amount: Money, fractions: [Decimal; 4]) -> [Money; 4] {
    let mut parts = fractions.map(|f| Money(amount.times(f).amount().round_dp(ALLOCATION_PLACES)));
    let sum: Money = parts.iter().sum();
    let remainder = amount - sum;
    if !remainder.amount().is_zero() {
        let mut largest = 0;
        for i in 1..4 {
            if fractions[i] > fractions[largest] {
                largest = i;
            }
        }
        parts[largest] += remainder;
    }
    parts
}

struct Ctx<'a> {
    ex: &'a mut Explanation,
    year: FinancialYear,
    agency: &'a Agency,
}

impl Ctx<'_> {
    fn money(&self, m: Money) -> Quantity {
        Quantity::money(m, Unit::Gbp, Some(self.year))
    }

    fn input(&self, field: &str) -> Origin {
        self.agency.provenance.origin(field)
    }

    fn push(&mut self, f: Figure) -> Figure {
        self.ex.push(f.clone());
        f
    }
}

fn pct(d: Decimal) -> String {
    Percent(d).display(4)
}

fn key_pct(fraction: Decimal) -> String {
    Percent::from_fraction(fraction).display(4)
}

/// A rate or threshold: the user's own or the reference figure on a date.
#[allow(clippy::too_many_arguments)] // each argument is one plain fact of the lookup
fn rate_or_reference(
    reference: &Reference,
    own: Option<Decimal>,
    own_field: &str,
    ctx: &Ctx,
    id: &str,
    date: Date,
    what: &str,
    unit: Unit,
) -> Result<(Decimal, Quantity, Origin)> {
    match own {
        Some(v) => Ok((v, Quantity::plain(v, unit), ctx.input(own_field))),
        None => {
            let f = reference.lookup(id, date, what, own_field)?;
            let q = f.quantity();
            Ok((f.value, Quantity { value: f.value, unit, price_year: q.price_year }, f.origin()))
        }
    }
}

/// Costs an agency: its stage totals, unit costs and roles, with every figure explained.
///
/// The agency must already be valid ([`Agency::validate`]).
pub fn cost_base(agency: &Agency, reference: &Reference, ex: &mut Explanation) -> Result<CostBase> {
    let year = agency.price_year;
    let mut ctx = Ctx { ex, year, agency };
    let oc = &agency.on_costs;

    // Employer on-costs: dated NI parameters on the NI date, the employer's own pension rate.
    let ni_date = oc.ni_date_in(year);
    let (ni_rate, ni_rate_q, ni_rate_o) = rate_or_reference(
        reference,
        oc.ni_rate,
        "on_costs.ni_rate",
        &ctx,
        "employer_ni.rate",
        ni_date,
        "employer National Insurance rate",
        Unit::Percent,
    )?;
    let (ni_threshold, ni_thr_q, ni_thr_o) = rate_or_reference(
        reference,
        oc.ni_threshold.map(|m| m.0),
        "on_costs.ni_threshold",
        &ctx,
        "employer_ni.threshold",
        ni_date,
        "employer National Insurance secondary threshold",
        Unit::GbpPerYear,
    )?;
    let ni_thr_q = Quantity { price_year: Some(year), ..ni_thr_q };
    let levy = if oc.apprenticeship_levy {
        Some(rate_or_reference(
            reference,
            oc.levy_rate,
            "on_costs.levy_rate",
            &ctx,
            "apprenticeship_levy.rate",
            ni_date,
            "apprenticeship levy rate",
            Unit::Percent,
        )?)
    } else {
        None
    };
    let pension = oc.pension_rate;

    // Staff lines.
    struct StaffCost {
        salary: Money,
        on_costs: Money,
        total: Money,
        fte: Decimal,
    }
    let mut staff_costs = Vec::with_capacity(agency.staff.len());
    for (i, s) in agency.staff.iter().enumerate() {
        let n = i + 1;
        let id = format!("staff[{n}]");
        let who = format!("staff line {n}, {}", s.role);
        let fte_q = Quantity::plain(s.fte, Unit::Fte);
        let sal_q = Quantity::money(s.salary.money(), Unit::GbpPerYear, Some(year));
        let salary_cost = s.salary.money().times(s.fte);
        let f_sal = ctx.push(
            fig(format!("{id}.salary_cost"), format!("{who}: salary cost"))
                .formula("salary cost = FTE × salary")
                .calc("$0 * $1")
                .input("FTE", fte_q.clone(), ctx.input(&format!("{id}.fte")))
                .input("salary per FTE", sal_q.clone(), ctx.input(&format!("{id}.salary")))
                .value(ctx.money(salary_cost)),
        );
        let above = (s.salary.money() - Money(ni_threshold)).at_least_zero();
        let ni = above.times(s.fte).times(Percent(ni_rate).fraction());
        let f_ni = ctx.push(
            fig(format!("{id}.employer_ni"), format!("{who}: employer National Insurance"))
                .formula("employer NI = FTE × rate × max(0, salary − secondary threshold)")
                .calc("$0 * $1 * max(0, $2 - $3)")
                .words("Worked out as if each FTE were one full-time employee on the line's salary: an approximation for part-time staff (COSTING.md §3).")
                .input("FTE", fte_q.clone(), ctx.input(&format!("{id}.fte")))
                .input("employer NI rate", ni_rate_q.clone(), ni_rate_o.clone())
                .input("salary per FTE", sal_q.clone(), ctx.input(&format!("{id}.salary")))
                .input("secondary threshold", ni_thr_q.clone(), ni_thr_o.clone())
                .value(ctx.money(ni)),
        );
        let pen = salary_cost.times(Percent(pension).fraction());
        let f_pen = ctx.push(
            fig(format!("{id}.pension"), format!("{who}: employer pension"))
                .formula("employer pension = FTE × pension rate × salary")
                .calc("$0 * $1 * $2")
                .input("FTE", fte_q.clone(), ctx.input(&format!("{id}.fte")))
                .input(
                    "employer pension rate",
                    Quantity::plain(pension, Unit::Percent),
                    ctx.input("on_costs.pension_rate"),
                )
                .input("salary per FTE", sal_q, ctx.input(&format!("{id}.salary")))
                .value(ctx.money(pen)),
        );
        let mut total_fig = fig(format!("{id}.cost"), format!("{who}: staff line cost"))
            .formula("staff line cost = salary cost + employer NI + employer pension + apprenticeship levy")
            .calc("sum")
            .from_figure("salary cost", &f_sal)
            .from_figure("employer NI", &f_ni)
            .from_figure("employer pension", &f_pen);
        let mut lev = Money::ZERO;
        if let Some((rate, q, o)) = &levy {
            lev = salary_cost.times(Percent(*rate).fraction());
            let f_lev = ctx.push(
                fig(format!("{id}.levy"), format!("{who}: apprenticeship levy"))
                    .formula("apprenticeship levy = levy rate × salary cost")
                    .calc("$0 * $1")
                    .words("The employer says it pays the levy (pay bill over £3m).")
                    .input("levy rate", q.clone(), o.clone())
                    .from_figure("salary cost", &f_sal)
                    .value(ctx.money(lev)),
            );
            total_fig = total_fig.from_figure("apprenticeship levy", &f_lev);
        } else {
            total_fig = total_fig.words("The employer does not pay the apprenticeship levy, so it is 0.");
        }
        let on = ni + pen + lev;
        let total = salary_cost + on;
        ctx.push(total_fig.value(ctx.money(total)));
        staff_costs.push(StaffCost { salary: salary_cost, on_costs: on, total, fte: s.fte });
    }

    // The FTE key: Σ(FTE × share) / Σ FTE, over all staff lines, other included.
    let total_fte = agency.total_fte();
    let f_fte = ctx.push({
        let mut b = fig("fte.total", "total FTE of the staff lines")
            .formula("Σ FTE over all staff lines")
            .calc("sum");
        for (i, s) in agency.staff.iter().enumerate() {
            b = b.input(
                format!("staff[{}] {}", i + 1, s.role),
                Quantity::plain(s.fte, Unit::Fte),
                ctx.input(&format!("staff[{}].fte", i + 1)),
            );
        }
        b.value(Quantity::plain(total_fte, Unit::Fte))
    });
    let mut fte_key = [Decimal::ZERO; 4];
    for (k, stage) in Stage::ALL.iter().enumerate() {
        let mut b = fig(format!("key.fte.{}", stage.id()), format!("FTE key, stage {}", stage.name()))
            .formula(format!("Σ(FTE × share {}) ÷ Σ FTE", stage.short()))
                .calc(format!("sum($0:${0}) / ${1}", agency.staff.len().saturating_sub(1), agency.staff.len()))
            .words("The share of staff time in the stage, used to allocate office running, regulation and capital (COSTING.md §3).");
        let mut num = Decimal::ZERO;
        for (i, s) in agency.staff.iter().enumerate() {
            let share = s.shares.percents()[k];
            let part = s.fte * Percent(share).fraction();
            num += part;
            b = b.input(
                format!("staff[{}] {}: {} FTE × {}", i + 1, s.role, s.fte.normalize(), pct(share)),
                Quantity::plain(part, Unit::Fte),
                ctx.input(&format!("staff[{}].shares.{}", i + 1, stage.id())),
            );
        }
        b = b.from_figure("Σ FTE", &f_fte);
        if total_fte.is_zero() {
            ctx.push(b.not_defined("the staff lines have no FTE"));
        } else {
            fte_key[k] = num / total_fte;
            ctx.push(b.value(Quantity::percent(Percent::from_fraction(fte_key[k]))));
        }
    }

    // Office running, regulation and capital: amounts, allocated by own shares or the FTE key.
    let mut per_stage: [ByCategory; 4] = Default::default();
    // Staff and direct lines by their own shares.
    let mut contributions: Vec<(Category, usize, String, Origin, [Money; 4], String)> = Vec::new();
    for (i, (s, c)) in agency.staff.iter().zip(&staff_costs).enumerate() {
        let fr = s.shares.fractions();
        let sal = allocate(c.salary, fr);
        let on = allocate(c.on_costs, fr);
        add_parts(Category::Salary, sal, &mut per_stage);
        add_parts(Category::OnCosts, on, &mut per_stage);
        let label = format!("staff[{}] {}", i + 1, s.role);
        contributions.push((
            Category::Salary,
            i,
            label.clone(),
            Origin::Figure { id: format!("staff[{}].salary_cost", i + 1) },
            sal,
            share_words(c.salary, &s.shares.percents()),
        ));
        contributions.push((
            Category::OnCosts,
            i,
            label,
            Origin::Figure { id: format!("staff[{}].cost", i + 1) },
            on,
            share_words(c.on_costs, &s.shares.percents()),
        ));
    }
    let mut variable = [Money::ZERO; 4];
    for (i, d) in agency.direct.iter().enumerate() {
        let parts = allocate(d.amount.money(), d.shares.fractions());
        add_parts(Category::Direct, parts, &mut per_stage);
        if d.variable {
            for k in 0..4 {
                variable[k] += parts[k];
            }
        }
        let kind = if d.variable { "variable" } else { "fixed" };
        contributions.push((
            Category::Direct,
            i,
            format!("direct[{}] {} ({kind})", i + 1, d.label),
            ctx.input(&format!("direct[{}].amount", i + 1)),
            parts,
            share_words(d.amount.money(), &d.shares.percents()),
        ));
    }
    let mut overhead_totals = ByCategory::default();
    for (cat, group, lines) in [
        (Category::Office, "office", &agency.office),
        (Category::Regulation, "regulation", &agency.regulation),
        (Category::Capital, "capital", &agency.capital),
    ] {
        let mut total_b = fig(format!("{group}.total"), format!("{} total", cat.name()))
            .formula(format!("Σ {} lines", cat.name()))
            .calc("sum");
        let mut total = Money::ZERO;
        for (i, l) in lines.iter().enumerate() {
            let n = i + 1;
            let (amount, origin) = overhead_amount(&mut ctx, group, n, l, &f_fte);
            total += amount;
            total_b = total_b.input(format!("{group}[{n}] {}", l.label), ctx.money(amount), origin.clone());
            let (fractions, how) = match &l.shares {
                Some(s) => (s.fractions(), share_words(amount, &s.percents())),
                None => (fte_key, key_words(amount, "FTE key", &fte_key)),
            };
            let parts = allocate(amount, fractions);
            add_parts(cat, parts, &mut per_stage);
            contributions.push((cat, i, format!("{group}[{n}] {}", l.label), origin, parts, how));
        }
        overhead_totals.set(cat, total);
        ctx.push(total_b.value(ctx.money(total)));
    }

    // Back office: amounts, or recharges on direct cost; allocated by the direct-cost key.
    let direct_total: Money = staff_costs.iter().map(|c| c.total).sum::<Money>()
        + agency.direct.iter().map(|d| d.amount.money()).sum::<Money>()
        + overhead_totals.office
        + overhead_totals.regulation;
    let f_base = ctx.push(
        fig("back_office.base", "direct cost (the base of back-office recharges)")
            .formula("direct cost = staff + direct non-staff + office running + regulation")
            .calc("sum")
            .words("Capital is not in the base (COSTING.md §3).")
            .input(
                "staff lines",
                ctx.money(staff_costs.iter().map(|c| c.total).sum()),
                Origin::Figure { id: "staff[*].cost".into() },
            )
            .input(
                "direct non-staff lines",
                ctx.money(agency.direct.iter().map(|d| d.amount.money()).sum()),
                ctx.input("direct[*].amount"),
            )
            .input(
                "office running",
                ctx.money(overhead_totals.office),
                Origin::Figure { id: "office.total".into() },
            )
            .input(
                "regulation",
                ctx.money(overhead_totals.regulation),
                Origin::Figure { id: "regulation.total".into() },
            )
            .value(ctx.money(direct_total)),
    );
    let mut direct_key = [Decimal::ZERO; 4];
    for (k, stage) in Stage::ALL.iter().enumerate() {
        let d = per_stage[k].salary
            + per_stage[k].on_costs
            + per_stage[k].direct
            + per_stage[k].office
            + per_stage[k].regulation;
        let b = fig(format!("key.direct.{}", stage.id()), format!("direct-cost key, stage {}", stage.name()))
            .formula(format!("direct cost of stage {} ÷ direct cost", stage.short()))
            .calc("$0 / $1")
            .words("Used to allocate back office to the stages, other included (COSTING.md §3).")
            .input(
                format!("direct cost of stage {}", stage.short()),
                ctx.money(d),
                Origin::Figure { id: format!("stage.{}.*", stage.id()) },
            )
            .from_figure("direct cost", &f_base);
        if direct_total.amount().is_zero() {
            ctx.push(b.not_defined("there is no direct cost to allocate back office by"));
        } else {
            direct_key[k] = d.amount() / direct_total.amount();
            ctx.push(b.value(Quantity::percent(Percent::from_fraction(direct_key[k]))));
        }
    }
    let mut bo_total_b = fig("back_office.total", "back office total")
        .formula("Σ back-office lines (amounts, and recharge rate × direct cost)")
        .calc("sum");
    let mut bo_total = Money::ZERO;
    for (i, l) in agency.back_office.iter().enumerate() {
        let n = i + 1;
        let (amount, origin) = match (l.amount, l.recharge) {
            (Some(a), _) => (a.money(), ctx.input(&format!("back_office[{n}].amount"))),
            (None, Some(rate)) => {
                let a = direct_total.times(Percent(rate).fraction());
                let f = ctx.push(
                    fig(
                        format!("back_office[{n}].amount"),
                        format!("back office line {n}, {}: recharge", l.label),
                    )
                    .formula("recharge = rate × direct cost")
                    .calc("$0 * $1")
                    .input(
                        "recharge rate",
                        Quantity::plain(rate, Unit::Percent),
                        ctx.input(&format!("back_office[{n}].recharge")),
                    )
                    .from_figure("direct cost", &f_base)
                    .value(ctx.money(a)),
                );
                (a, Origin::Figure { id: f.id })
            }
            (None, None) => (Money::ZERO, ctx.input(&format!("back_office[{n}].amount"))),
        };
        bo_total += amount;
        bo_total_b =
            bo_total_b.input(format!("back_office[{n}] {}", l.label), ctx.money(amount), origin.clone());
        if !amount.amount().is_zero() && direct_total.amount().is_zero() {
            return Err(Error::invalid(
                agency.provenance.place(&format!("back_office[{n}]")),
                "a back-office cost with no direct cost to allocate it by",
                "staff, direct non-staff, office or regulation costs",
            ));
        }
        let parts = allocate(amount, direct_key);
        add_parts(Category::BackOffice, parts, &mut per_stage);
        contributions.push((
            Category::BackOffice,
            i,
            format!("back_office[{n}] {}", l.label),
            origin,
            parts,
            key_words(amount, "direct-cost key", &direct_key),
        ));
    }
    overhead_totals.back_office = bo_total;
    ctx.push(bo_total_b.value(ctx.money(bo_total)));

    // Stage × category, stage totals, category totals.
    let mut stage_totals = [Money::ZERO; 4];
    for (k, stage) in Stage::ALL.iter().enumerate() {
        let mut total_b = fig(format!("stage.{}.total", stage.id()), format!("stage {} total", stage.name()))
            .formula("Σ categories of the stage")
            .calc("sum")
            .words("Each category's figure lists every line's contribution and the allocation key used.");
        for cat in Category::ALL {
            let mut b = fig(
                format!("stage.{}.{}", stage.id(), cat.id()),
                format!("stage {}: {}", stage.name(), cat.name()),
            )
            .formula(format!("Σ each line's {} × its share of stage {}", cat.name(), stage.short()))
            .calc("sum");
            for (c, _, label, origin, parts, how) in &contributions {
                if *c == cat {
                    b = b.input(format!("{label}: {how}"), ctx.money(parts[k]), origin.clone());
                }
            }
            let v = per_stage[k].get(cat);
            let f = ctx.push(b.value(ctx.money(v)));
            total_b = total_b.from_figure(cat.name(), &f);
        }
        stage_totals[k] = per_stage[k].total();
        ctx.push(total_b.value(ctx.money(stage_totals[k])));
    }
    let mut category_totals = ByCategory::default();
    for cat in Category::ALL {
        let mut b = fig(format!("category.{}.total", cat.id()), format!("{} total, all stages", cat.name()))
            .formula("Σ stages A, B, C and other")
            .calc("sum");
        let mut t = Money::ZERO;
        for (k, stage) in Stage::ALL.iter().enumerate() {
            let v = per_stage[k].get(cat);
            t += v;
            b = b.input(
                format!("stage {}", stage.short()),
                ctx.money(v),
                Origin::Figure { id: format!("stage.{}.{}", stage.id(), cat.id()) },
            );
        }
        category_totals.set(cat, t);
        ctx.push(b.value(ctx.money(t)));
    }
    let total: Money = stage_totals.iter().sum();
    {
        let mut b = fig("cost.total", "the year's total cost of the service")
            .formula("Σ stage totals (equally, Σ category totals)")
            .calc("sum");
        for (k, stage) in Stage::ALL.iter().enumerate() {
            b = b.input(
                format!("stage {}", stage.name()),
                ctx.money(stage_totals[k]),
                Origin::Figure { id: format!("stage.{}.total", stage.id()) },
            );
        }
        ctx.push(b.value(ctx.money(total)));
    }
    for (k, stage) in Stage::ALL.iter().enumerate() {
        let mut b = fig(
            format!("variable.{}", stage.id()),
            format!("variable direct cost, stage {}", stage.name()),
        )
        .formula(format!("Σ variable direct lines × share {}", stage.short()))
        .calc("sum")
        .words("Lines flagged variable grow with cases (a medical, a panel fee): the short-run cash cost.");
        for (c, i, label, origin, parts, how) in &contributions {
            if *c == Category::Direct && agency.direct[*i].variable {
                b = b.input(format!("{label}: {how}"), ctx.money(parts[k]), origin.clone());
            }
        }
        ctx.push(b.value(ctx.money(variable[k])));
    }

    // Volumes, with the method's defaults.
    let act = &agency.activity;
    let f_approvals = Quantity::plain(act.approvals, Unit::Count);
    let matches = agency.matches();
    let f_matches = ctx.push(
        fig("activity.matches", "matches in the year")
            .formula("matches = matches with own children + sales")
            .calc("$0 + $1")
            .input(
                "matches with own children",
                Quantity::plain(act.matches_own, Unit::Count),
                ctx.input("activity.matches_own"),
            )
            .input(
                "sales to other agencies",
                Quantity::plain(act.sales, Unit::Count),
                ctx.input("activity.sales"),
            )
            .value(Quantity::plain(matches, Unit::Count)),
    );
    let (supported, supported_origin) = match act.supported_placements {
        Some(s) => (s, ctx.input("activity.supported_placements")),
        None => (
            matches,
            Origin::Default { reason: "supported placements default to matches (COSTING.md §4)".into() },
        ),
    };
    let (utilisation_pct, util_origin) = match act.utilisation {
        Some(u) => (u, ctx.input("activity.utilisation")),
        None => (
            Decimal::ONE_HUNDRED,
            Origin::Default { reason: "utilisation defaults to 100% (COSTING.md §5)".into() },
        ),
    };
    let u = Percent(utilisation_pct).fraction();
    let volumes = Volumes {
        approvals: act.approvals,
        matches,
        matches_own: act.matches_own,
        sales: act.sales,
        supported,
        utilisation: u,
    };

    // Unit costs.
    let st = ByStage::from_array(stage_totals);
    let per_approval = st.a.per(act.approvals).unwrap_or_default();
    let f_pa = ctx.push(
        fig("unit.per_approval", "cost per approval")
            .formula("stage A total ÷ approvals")
            .calc("$0 / $1")
            .words(
                "Dividing by approvals already carries the cost of applicants who withdrew before approval.",
            )
            .input("stage A total", ctx.money(st.a), Origin::Figure { id: "stage.a.total".into() })
            .input("approvals", f_approvals.clone(), ctx.input("activity.approvals"))
            .value(ctx.money(per_approval)),
    );
    let per_match = st.b.per(matches).unwrap_or_default();
    let f_pm = ctx.push(
        fig("unit.per_match", "cost per match")
            .formula("stage B total ÷ matches")
            .calc("$0 / $1")
            .input("stage B total", ctx.money(st.b), Origin::Figure { id: "stage.b.total".into() })
            .from_figure("matches", &f_matches)
            .value(ctx.money(per_match)),
    );
    let per_supported = st.c.per(supported).unwrap_or_default();
    let f_ps = ctx.push(
        fig("unit.per_supported", "cost per supported placement")
            .formula("stage C total ÷ supported placements")
            .calc("$0 / $1")
            .input("stage C total", ctx.money(st.c), Origin::Figure { id: "stage.c.total".into() })
            .input("supported placements", Quantity::plain(supported, Unit::Count), supported_origin.clone())
            .value(ctx.money(per_supported)),
    );
    let util_q = Quantity::plain(utilisation_pct, Unit::Percent);
    let full = per_approval.per(u).unwrap_or_default() + per_match + per_supported;
    ctx.push(
        fig("unit.full", "full cost of an in-house placement (one household)")
            .formula("cost per approval ÷ utilisation + cost per match + cost per supported placement")
                .calc("$0 / $1 + $2 + $3")
            .words("Utilisation is the share of approved households ever matched: each match carries the approvals that are never used.")
            .from_figure("cost per approval", &f_pa)
            .input("utilisation", util_q.clone(), util_origin.clone())
            .from_figure("cost per match", &f_pm)
            .from_figure("cost per supported placement", &f_ps)
            .value(ctx.money(full)),
    );
    let mut full_by_category = ByCategory::default();
    for cat in Category::ALL {
        let [a, b, c, _] = per_stage.map(|s| s.get(cat));
        let v = a.per(act.approvals).unwrap_or_default().per(u).unwrap_or_default()
            + b.per(matches).unwrap_or_default()
            + c.per(supported).unwrap_or_default();
        full_by_category.set(cat, v);
        ctx.push(
            fig(format!("unit.full.{}", cat.id()), format!("full in-house cost: {}", cat.name()))
                .formula(format!("{0} of A ÷ approvals ÷ utilisation + {0} of B ÷ matches + {0} of C ÷ supported placements", cat.name()))
                .calc("$0 / $1 / $2 + $3 / $4 + $5 / $6")
                .input(format!("{} of stage A", cat.name()), ctx.money(a), Origin::Figure { id: format!("stage.a.{}", cat.id()) })
                .input("approvals", f_approvals.clone(), ctx.input("activity.approvals"))
                .input("utilisation", util_q.clone(), util_origin.clone())
                .input(format!("{} of stage B", cat.name()), ctx.money(b), Origin::Figure { id: format!("stage.b.{}", cat.id()) })
                .from_figure("matches", &f_matches)
                .input(format!("{} of stage C", cat.name()), ctx.money(c), Origin::Figure { id: format!("stage.c.{}", cat.id()) })
                .input("supported placements", Quantity::plain(supported, Unit::Count), supported_origin.clone())
                .value(ctx.money(v)),
        );
    }
    let var = ByStage::from_array(variable);
    let marginal = var.a.per(act.approvals).unwrap_or_default().per(u).unwrap_or_default()
        + var.b.per(matches).unwrap_or_default()
        + var.c.per(supported).unwrap_or_default();
    ctx.push(
        fig("unit.marginal", "marginal (short-run cash) cost of an in-house placement")
            .formula("variable A ÷ approvals ÷ utilisation + variable B ÷ matches + variable C ÷ supported placements")
                .calc("$0 / $1 / $2 + $3 / $4 + $5 / $6")
            .words("Only the direct lines flagged variable: what one more placement adds in cash this year. Shown beside the full cost, not instead of it.")
            .input("variable A", ctx.money(var.a), Origin::Figure { id: "variable.a".into() })
            .input("approvals", f_approvals.clone(), ctx.input("activity.approvals"))
            .input("utilisation", util_q, util_origin)
            .input("variable B", ctx.money(var.b), Origin::Figure { id: "variable.b".into() })
            .from_figure("matches", &f_matches)
            .input("variable C", ctx.money(var.c), Origin::Figure { id: "variable.c".into() })
            .input("supported placements", Quantity::plain(supported, Unit::Count), supported_origin)
            .value(ctx.money(marginal)),
    );

    // Full hourly cost of each role: its line cost plus its share of the overheads.
    let staff_total: Money = staff_costs.iter().map(|c| c.total).sum();
    let mut roles = Vec::with_capacity(agency.staff.len());
    for (i, (s, c)) in agency.staff.iter().zip(&staff_costs).enumerate() {
        let n = i + 1;
        let fte_share = if total_fte.is_zero() { Decimal::ZERO } else { c.fte / total_fte };
        let office = overhead_totals.office.times(fte_share);
        let regulation = overhead_totals.regulation.times(fte_share);
        let capital = overhead_totals.capital.times(fte_share);
        let back = match c.total.ratio_to(staff_total) {
            Some(r) => overhead_totals.back_office.times(r),
            None => Money::ZERO,
        };
        let full_cost = c.total + office + regulation + back + capital;
        let who = format!("staff line {n}, {}", s.role);
        let f_full = ctx.push(
            fig(format!("role[{n}].full_cost"), format!("{who}: full cost"))
                .formula("staff line cost + FTE share × (office + regulation + capital) + staff-cost share × back office")
                .calc("$0 + $1 * ($2 + $3 + $4) + $5 * $6")
                .words("The line's share of office running, regulation and capital is by its FTE; its share of back office is in proportion to its staff line cost among all staff lines (COSTING.md §5).")
                .input("staff line cost", ctx.money(c.total), Origin::Figure { id: format!("staff[{n}].cost") })
                .input("FTE share (line FTE ÷ total FTE)", Quantity::percent(Percent::from_fraction(fte_share)), Origin::Figure { id: "fte.total".into() })
                .input("office running total", ctx.money(overhead_totals.office), Origin::Figure { id: "office.total".into() })
                .input("regulation total", ctx.money(overhead_totals.regulation), Origin::Figure { id: "regulation.total".into() })
                .input("capital total", ctx.money(overhead_totals.capital), Origin::Figure { id: "capital.total".into() })
                .input("staff-cost share (line cost ÷ all staff lines)", Quantity::percent(Percent::from_fraction(c.total.ratio_to(staff_total).unwrap_or_default())), Origin::Figure { id: "staff[*].cost".into() })
                .input("back office total", ctx.money(overhead_totals.back_office), Origin::Figure { id: "back_office.total".into() })
                .value(ctx.money(full_cost)),
        );
        let hours = c.fte * agency.productive_hours;
        let hb = fig(format!("role[{n}].hourly"), format!("{who}: full hourly cost"))
            .formula("full cost ÷ (FTE × productive hours a year)")
            .calc("$0 / ($1 * $2)")
            .from_figure("full cost", &f_full)
            .input("FTE", Quantity::plain(c.fte, Unit::Fte), ctx.input(&format!("staff[{n}].fte")))
            .input(
                "productive hours a year per FTE",
                Quantity::plain(agency.productive_hours, Unit::HoursPerYear),
                ctx.input("productive_hours"),
            );
        let hourly = full_cost.per(hours);
        match hourly {
            Some(h) => ctx.push(hb.value(Quantity::money(h, Unit::GbpPerHour, Some(year)))),
            None => ctx.push(hb.not_defined("the line has no FTE")),
        };
        let ratio = full_cost.ratio_to(c.salary);
        let rb = fig(format!("role[{n}].ratio_to_salary"), format!("{who}: full cost to salary"))
            .formula("full cost ÷ salary cost")
                .calc("$0 / $1")
            .words("What \"the staff are already paid for\" leaves out: every pound of salary carries this much cost in all.")
            .from_figure("full cost", &f_full)
            .input("salary cost", ctx.money(c.salary), Origin::Figure { id: format!("staff[{n}].salary_cost") });
        match ratio {
            Some(r) => ctx.push(rb.value(Quantity::plain(r, Unit::Ratio))),
            None => ctx.push(rb.not_defined("the line's salary cost is 0")),
        };
        roles.push(RoleCost { role: s.role.clone(), full_cost, hourly, ratio_to_salary: ratio });
    }

    Ok(CostBase {
        price_year: year,
        stage_totals: st,
        stage_categories: ByStage::from_array(per_stage),
        category_totals,
        total,
        variable: var,
        fte_key: ByStage::from_array(fte_key),
        direct_key: ByStage::from_array(direct_key),
        volumes,
        unit: UnitCosts { per_approval, per_match, per_supported, full, full_by_category, marginal },
        roles,
    })
}

/// Adds a line's stage parts to a category of the per-stage totals.
pub(crate) fn add_parts(cat: Category, parts: [Money; 4], per_stage: &mut [ByCategory; 4]) {
    for (stage, part) in per_stage.iter_mut().zip(parts) {
        let cur = stage.get(cat);
        stage.set(cat, cur + part);
    }
}

fn overhead_amount(
    ctx: &mut Ctx,
    group: &str,
    n: usize,
    l: &OverheadLine,
    f_fte: &Figure,
) -> (Money, Origin) {
    match (l.amount, l.per_fte) {
        (Some(a), _) => (a.money(), ctx.input(&format!("{group}[{n}].amount"))),
        (None, Some(per)) => {
            let a = per.money().times(f_fte.value().unwrap_or_default());
            let f = fig(format!("{group}[{n}].amount"), format!("{group} line {n}, {}", l.label))
                .formula("amount = amount per FTE × total FTE")
                .calc("$0 * $1")
                .input(
                    "amount per FTE",
                    Quantity::money(per.money(), Unit::GbpPerFte, Some(ctx.year)),
                    ctx.input(&format!("{group}[{n}].per_fte")),
                )
                .from_figure("total FTE", f_fte)
                .value(ctx.money(a));
            let id = f.id.clone();
            ctx.push(f);
            (a, Origin::Figure { id })
        }
        (None, None) => (Money::ZERO, ctx.input(&format!("{group}[{n}].amount"))),
    }
}

fn share_words(amount: Money, shares: &[Decimal; 4]) -> String {
    format!(
        "{} by its own shares (A {}, B {}, C {}, other {})",
        amount.display_pence(),
        pct(shares[0]),
        pct(shares[1]),
        pct(shares[2]),
        pct(shares[3])
    )
}

fn key_words(amount: Money, key: &str, fractions: &[Decimal; 4]) -> String {
    format!(
        "{} by the {key} (A {}, B {}, C {}, other {})",
        amount.display_pence(),
        key_pct(fractions[0]),
        key_pct(fractions[1]),
        key_pct(fractions[2]),
        key_pct(fractions[3])
    )
}

// They read the worked agency from its TOML file (fixtures/worked), so they need `toml`.
#[cfg(all(test, feature = "toml"))]
mod tests;
