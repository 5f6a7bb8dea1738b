//! The comparison's arithmetic without its explanations, for analyses that need it many times.
//!
//! [`crate::compare()`] works out every figure and records its derivation: about three quarters of a
//! millisecond for the example agency, nearly all of it building the explanation's text. A Monte
//! Carlo run needs the same arithmetic a hundred thousand times, and none of the text. This is that
//! arithmetic: the same operations on the same exact decimals in the same order as
//! [`crate::model::cost_base`] and the routes of [`crate::compare()`], so its results are equal to
//! theirs to the last digit, not merely close. The tests hold it to that on the example agency,
//! the worked fixture and random agencies (`core/tests/properties.rs`); a change to the method
//! that is not made here too fails them.
//!
//! What it does not redo: the reference lookups (NI rates, the fee schedule, the London
//! weighting, the monthly rate, the contribution scheme, the default weekly care cost and wait)
//! are made once, in [`Kernel::new`]. Where an input of the fee is among those varied, the net
//! fee is worked out again from them by the operations of [`crate::fee::fee`]; where that cannot
//! say (a monthly fee with no rate), by [`crate::fee::fee`] itself, which reports the error.
//!
//! A draw that moves a few of the agency's lines works out only those again ([`Kernel::update`])
//! and sums every line's parts in the same order as before ([`Kernel::totals`]), so the totals
//! are the same decimals as costing the whole agency again.

use rust_decimal::Decimal;

use super::inputs::InputId;
use crate::compare::Comparison;
use crate::error::{Error, Result};
use crate::explain::Explanation;
use crate::input::Scenario;
use crate::model::{ByCategory, Category, add_parts, allocate};
use crate::money::{FinancialYear, Money, Percent};
use crate::reference::Reference;

/// The routes as the kernel works them out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// The full in-house cost, in the fee year's prices.
    pub full: Money,
    /// The in-house route.
    pub in_house: Money,
    /// The external route.
    pub external: Money,
    /// The sequential route, where its inputs are given.
    pub sequential: Option<Money>,
    /// external − in-house.
    pub difference: Money,
}

/// What the caller of [`Kernel::evaluate`] already knows of the agency's cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Known {
    /// Nothing: cost the agency.
    Nothing,
    /// The stage totals (only volumes, or nothing of the agency, have changed).
    StageTotals([Money; 3]),
    /// The full cost in the cost base's prices (nothing of the agency has changed).
    Full(Money),
}

/// The reference on-cost rates on the agency's NI date: looked up whether or not the agency
/// gives its own (a range may be drawn for either); a figure the reference data lacks is an
/// error only when it is used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReferenceRates {
    /// Employer NI rate, percent.
    pub ni_rate: Option<Decimal>,
    /// Employer NI secondary threshold, pounds a year.
    pub ni_threshold: Option<Decimal>,
    /// Apprenticeship levy rate, percent.
    pub levy_rate: Option<Decimal>,
}

impl ReferenceRates {
    /// The rates for an agency.
    pub fn of(a: &crate::input::Agency, reference: &Reference) -> ReferenceRates {
        let date = a.on_costs.ni_date_in(a.price_year);
        let find = |id: &str| reference.lookup(id, date, id, id).map(|f| f.value).ok();
        ReferenceRates {
            ni_rate: find("employer_ni.rate"),
            ni_threshold: find("employer_ni.threshold"),
            levy_rate: find("apprenticeship_levy.rate"),
        }
    }
}

/// The on-cost rates of one evaluation, as fractions.
#[derive(Debug, Clone, Copy)]
struct Rates {
    ni_fraction: Decimal,
    ni_threshold: Money,
    pension_fraction: Decimal,
    levy_fraction: Option<Decimal>,
}

/// One staff line: its salary cost plus on-costs, and each of the two by stage.
#[derive(Debug, Clone, Copy)]
struct StaffPart {
    cost: Money,
    salary: [Money; 4],
    on_costs: [Money; 4],
}

/// One direct, office, regulation or capital line: its amount and its parts by stage.
#[derive(Debug, Clone, Copy)]
struct LinePart {
    amount: Money,
    parts: [Money; 4],
}

/// Every line's cost by stage for one scenario ([`Kernel::lines`]): what a draw that moves a
/// few lines keeps of the others ([`Kernel::update`]).
#[derive(Debug, Clone)]
pub struct Lines {
    staff: Vec<StaffPart>,
    direct: Vec<LinePart>,
    overhead: [Vec<LinePart>; 3],
    total_fte: Decimal,
    fte_key: [Decimal; 4],
}

/// The lines a set of inputs moves, for [`Kernel::update`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    staff: Vec<usize>,
    all_staff: bool,
    fte: bool,
    direct: Vec<usize>,
    overhead: [Vec<usize>; 3],
}

impl Moved {
    /// The lines the inputs move (an on-cost rate moves every staff line; an FTE, every line
    /// costed per FTE or allocated by the FTE key). Volumes, waits and the fee move no line.
    pub fn of(ids: &[InputId]) -> Moved {
        let mut m = Moved::default();
        for id in ids {
            match *id {
                InputId::StaffFte(i) => {
                    m.staff.push(i);
                    m.fte = true;
                }
                InputId::StaffSalary(i) => m.staff.push(i),
                InputId::Direct(i) => m.direct.push(i),
                // Groups in the kernel's order: office, regulation, capital.
                InputId::Overhead(g, i) => m.overhead[g as usize].push(i),
                InputId::PensionRate | InputId::NiRate | InputId::NiThreshold | InputId::LevyRate => {
                    m.all_staff = true;
                }
                _ => {}
            }
        }
        m
    }
}

/// The parts of the fee no draw moves, for working the net fee out again without its
/// explanation, by the same operations as [`crate::fee::fee`].
#[derive(Debug, Clone, Copy)]
struct FeeParts {
    /// The schedule fee where the route gives none (the agency's override, a fee override or the
    /// reference schedule: none of them is an input a draw moves).
    schedule: Money,
    /// 1 + the London weighting as a fraction, where the adopters' agency is in London.
    london: Option<Decimal>,
    /// The monthly rate where the route gives none, where there is one.
    monthly_rate: Option<Money>,
    /// The reference scheme's contribution where the route gives none: its share of the
    /// placement fee as a fraction, or its amount (`None`: no scheme applies).
    scheme: Option<(Option<Decimal>, Option<Money>)>,
}

/// Everything looked up once for a scenario: reference figures, restatement factors and the fee.
#[derive(Debug, Clone)]
pub struct Kernel<'r> {
    reference: &'r Reference,
    ni_rate: Option<Decimal>,
    ni_threshold: Option<Decimal>,
    levy_rate: Option<Decimal>,
    fee_year: FinancialYear,
    net_fee: Money,
    default_weekly: Option<(Money, FinancialYear)>,
    default_weeks: Option<Decimal>,
    /// Each line's stage shares as fractions (the analyses never move shares), worked out once:
    /// staff, direct, then office, regulation and capital (`None` for the FTE key).
    staff_fractions: Vec<[Decimal; 4]>,
    direct_fractions: Vec<[Decimal; 4]>,
    overhead_fractions: [Vec<Option<[Decimal; 4]>>; 3],
    /// For the net fee again (`None`: a London weighting missing from the reference data).
    fee_parts: Option<FeeParts>,
}

impl<'r> Kernel<'r> {
    /// Prepares the kernel for a scenario and its comparison (which must be of this scenario:
    /// it supplies the fee and the fee year).
    pub fn new(s: &Scenario, base: &Comparison, reference: &'r Reference) -> Result<Kernel<'r>> {
        let a = &s.agency;
        let ReferenceRates { ni_rate, ni_threshold, levy_rate } = ReferenceRates::of(a, reference);
        let default_weekly = reference
            .latest("care.weekly.ifa")
            .map(|f| (Money(f.value), f.quantity().price_year.unwrap_or(base.fee.year)));
        let default_weeks =
            reference.latest("wait.placement_order_to_match").map(|f| f.value / Decimal::from(7));
        let own = |lines: &[crate::input::OverheadLine]| {
            lines.iter().map(|l| l.shares.map(|s| s.fractions())).collect()
        };
        let fee_parts = Self::fee_parts(s, base, reference);
        Ok(Kernel {
            fee_parts,
            staff_fractions: a.staff.iter().map(|l| l.shares.fractions()).collect(),
            direct_fractions: a.direct.iter().map(|l| l.shares.fractions()).collect(),
            overhead_fractions: [own(&a.office), own(&a.regulation), own(&a.capital)],
            reference,
            ni_rate,
            ni_threshold,
            levy_rate,
            fee_year: base.fee.year,
            net_fee: base.fee.net,
            default_weekly,
            default_weeks,
        })
    }

    /// What the fee of `s` takes from the reference data and the inputs no draw moves.
    fn fee_parts(s: &Scenario, base: &Comparison, reference: &Reference) -> Option<FeeParts> {
        let r = &s.route;
        let nation = r.nation.unwrap_or(s.agency.nation);
        let date = base.fee.date;
        let london = if r.london {
            let lw = reference.lookup("fee.london_weighting", date, "London weighting", "fee").ok()?;
            Some(Decimal::ONE + Percent(lw.value).fraction())
        } else {
            None
        };
        let monthly_rate = s.agency.overrides.monthly_fee.map(|m| m.money()).or_else(|| {
            let id = format!("fee.{}.monthly", nation.id());
            reference.lookup(&id, date, "monthly interagency fee", "monthly_fee").ok().map(|f| Money(f.value))
        });
        let scheme = crate::fee::scheme_for(&s.case(), reference, nation, date)
            .map(|(sc, _)| (sc.share.map(|sh| Percent(sh).fraction()), sc.amount.map(Money)));
        Some(FeeParts { schedule: base.fee.schedule, london, monthly_rate, scheme })
    }

    /// The net fee of `s` (the scenario the kernel was made for, with fee inputs moved), by the
    /// operations of [`crate::fee::fee`] without its explanation; `None` where only the full
    /// lookup can say (a monthly fee with no rate, which it reports as an error).
    fn net_fee_again(&self, s: &Scenario) -> Option<Money> {
        let p = self.fee_parts.as_ref()?;
        let r = &s.route;
        let schedule = r.fee.map(|f| f.money()).unwrap_or(p.schedule);
        let placement = match p.london {
            Some(factor) => schedule.times(factor),
            None => schedule,
        };
        let months = r.months_beyond_12.unwrap_or(Decimal::ZERO);
        let monthly_total = if months.is_zero() {
            Money::ZERO
        } else {
            r.monthly_fee.map(|m| m.money()).or(p.monthly_rate)?.times(months)
        };
        let contribution = match (&r.contribution, p.scheme) {
            (Some(c), _) => match (c.share, c.amount) {
                (Some(sh), _) => placement.times(Percent(sh).fraction()),
                (None, Some(a)) => a.money(),
                (None, None) => Money::ZERO,
            }
            .min(placement),
            (None, Some((share, amount))) => match (share, amount) {
                (Some(fraction), _) => placement.times(fraction),
                (None, Some(a)) => a,
                (None, None) => Money::ZERO,
            }
            .min(placement),
            (None, None) => Money::ZERO,
        };
        Some(placement + monthly_total - contribution)
    }

    /// The full in-house cost of a placement in the cost base's prices (COSTING.md §3–5).
    pub fn full_cost(&self, s: &Scenario) -> Result<Money> {
        Ok(self.full_from(s, self.stage_totals(s)?))
    }

    /// The totals of stages A, B and C (COSTING.md §3): everything but the volumes.
    pub fn stage_totals(&self, s: &Scenario) -> Result<[Money; 3]> {
        self.totals(s, &self.lines(s)?)
    }

    /// The on-cost rates for the scenario, as fractions.
    fn rates(&self, s: &Scenario) -> Result<Rates> {
        let oc = &s.agency.on_costs;
        let missing =
            |field: &str, what: &str| Error::invalid(field, "not in the reference data", what.to_string());
        let ni_rate =
            oc.ni_rate.or(self.ni_rate).ok_or_else(|| missing("on_costs.ni_rate", "an employer NI rate"))?;
        let ni_threshold = oc
            .ni_threshold
            .map(|m| m.0)
            .or(self.ni_threshold)
            .ok_or_else(|| missing("on_costs.ni_threshold", "an employer NI threshold"))?;
        let levy = if oc.apprenticeship_levy {
            Some(
                oc.levy_rate
                    .or(self.levy_rate)
                    .ok_or_else(|| missing("on_costs.levy_rate", "a levy rate"))?,
            )
        } else {
            None
        };
        Ok(Rates {
            ni_fraction: Percent(ni_rate).fraction(),
            ni_threshold: Money(ni_threshold),
            pension_fraction: Percent(oc.pension_rate).fraction(),
            levy_fraction: levy.map(|r| Percent(r).fraction()),
        })
    }

    /// One staff line's salary cost and on-costs, and their parts by stage.
    fn staff_part(st: &crate::input::StaffLine, fr: [Decimal; 4], r: &Rates) -> StaffPart {
        let salary_cost = st.salary.money().times(st.fte);
        let above = (st.salary.money() - r.ni_threshold).at_least_zero();
        let ni = above.times(st.fte).times(r.ni_fraction);
        let pen = salary_cost.times(r.pension_fraction);
        let lev = r.levy_fraction.map(|f| salary_cost.times(f)).unwrap_or(Money::ZERO);
        let on = ni + pen + lev;
        StaffPart { cost: salary_cost + on, salary: allocate(salary_cost, fr), on_costs: allocate(on, fr) }
    }

    /// The FTE key: each stage's share of the FTE (COSTING.md §3), all zero with no FTE.
    fn fte_key(&self, a: &crate::input::Agency, total_fte: Decimal) -> [Decimal; 4] {
        let mut fte_key = [Decimal::ZERO; 4];
        if !total_fte.is_zero() {
            for (k, key) in fte_key.iter_mut().enumerate() {
                let mut num = Decimal::ZERO;
                for (st, fr) in a.staff.iter().zip(&self.staff_fractions) {
                    num += st.fte * fr[k];
                }
                *key = num / total_fte;
            }
        }
        fte_key
    }

    /// One office, regulation or capital line's amount and its parts by stage.
    fn overhead_part(
        l: &crate::input::OverheadLine,
        own: Option<[Decimal; 4]>,
        total_fte: Decimal,
        fte_key: [Decimal; 4],
    ) -> LinePart {
        let amount = match (l.amount, l.per_fte) {
            (Some(x), _) => x.money(),
            (None, Some(per)) => per.money().times(total_fte),
            (None, None) => Money::ZERO,
        };
        LinePart { amount, parts: allocate(amount, own.unwrap_or(fte_key)) }
    }

    /// Every line's cost by stage (all but the back office, which follows the direct cost).
    pub fn lines(&self, s: &Scenario) -> Result<Lines> {
        let a = &s.agency;
        if a.staff.len() != self.staff_fractions.len()
            || a.direct.len() != self.direct_fractions.len()
            || [a.office.len(), a.regulation.len(), a.capital.len()]
                != self.overhead_fractions.each_ref().map(Vec::len)
        {
            return Err(Error::invalid(
                "agency",
                "lines added or removed",
                "the lines the kernel was made for",
            ));
        }
        let rates = self.rates(s)?;
        let staff = a
            .staff
            .iter()
            .zip(&self.staff_fractions)
            .map(|(st, fr)| Self::staff_part(st, *fr, &rates))
            .collect();
        let total_fte = a.total_fte();
        let fte_key = self.fte_key(a, total_fte);
        let direct = a
            .direct
            .iter()
            .zip(&self.direct_fractions)
            .map(|(d, fr)| LinePart { amount: d.amount.money(), parts: allocate(d.amount.money(), *fr) })
            .collect();
        let mut lines = Lines { staff, direct, overhead: Default::default(), total_fte, fte_key };
        for (g, group) in [&a.office, &a.regulation, &a.capital].into_iter().enumerate() {
            lines.overhead[g] = group
                .iter()
                .zip(&self.overhead_fractions[g])
                .map(|(l, own)| Self::overhead_part(l, *own, total_fte, fte_key))
                .collect();
        }
        Ok(lines)
    }

    /// Works out again the lines `moved` names, for the scenario as it now is (the one `lines`
    /// was made from, with only those inputs changed). The result equals [`Kernel::lines`] of the
    /// scenario: each line is worked out by the same operations, and the others are unchanged.
    pub fn update(&self, s: &Scenario, lines: &mut Lines, moved: &Moved) -> Result<()> {
        let a = &s.agency;
        if moved.all_staff || !moved.staff.is_empty() {
            let rates = self.rates(s)?;
            let mut redo = |i: usize| {
                if let (Some(st), Some(fr), Some(part)) =
                    (a.staff.get(i), self.staff_fractions.get(i), lines.staff.get_mut(i))
                {
                    *part = Self::staff_part(st, *fr, &rates);
                }
            };
            if moved.all_staff {
                (0..a.staff.len()).for_each(&mut redo);
            } else {
                moved.staff.iter().copied().for_each(redo);
            }
        }
        for &i in &moved.direct {
            if let (Some(d), Some(fr), Some(part)) =
                (a.direct.get(i), self.direct_fractions.get(i), lines.direct.get_mut(i))
            {
                *part = LinePart { amount: d.amount.money(), parts: allocate(d.amount.money(), *fr) };
            }
        }
        if moved.fte {
            lines.total_fte = a.total_fte();
            lines.fte_key = self.fte_key(a, lines.total_fte);
        }
        for (g, group) in [&a.office, &a.regulation, &a.capital].into_iter().enumerate() {
            // A change of FTE moves every line costed per FTE or allocated by the FTE key.
            let all = moved.fte;
            for (i, (l, own)) in group.iter().zip(&self.overhead_fractions[g]).enumerate() {
                if all || moved.overhead[g].contains(&i) {
                    lines.overhead[g][i] = Self::overhead_part(l, *own, lines.total_fte, lines.fte_key);
                }
            }
        }
        Ok(())
    }

    /// The stage totals from every line's parts: the lines summed in order, then the back office
    /// allocated by the direct cost (COSTING.md §3).
    pub fn totals(&self, s: &Scenario, lines: &Lines) -> Result<[Money; 3]> {
        let a = &s.agency;
        let mut per_stage: [ByCategory; 4] = Default::default();
        let mut staff_total = Money::ZERO;
        for p in &lines.staff {
            staff_total += p.cost;
            add_parts(Category::Salary, p.salary, &mut per_stage);
            add_parts(Category::OnCosts, p.on_costs, &mut per_stage);
        }
        let mut direct_sum = Money::ZERO;
        for p in &lines.direct {
            direct_sum += p.amount;
            add_parts(Category::Direct, p.parts, &mut per_stage);
        }
        let mut totals = ByCategory::default();
        for (cat, group) in
            [Category::Office, Category::Regulation, Category::Capital].into_iter().zip(&lines.overhead)
        {
            let mut total = Money::ZERO;
            for p in group {
                total += p.amount;
                add_parts(cat, p.parts, &mut per_stage);
            }
            totals.set(cat, total);
        }
        let direct_total = staff_total + direct_sum + totals.office + totals.regulation;
        let mut direct_key = [Decimal::ZERO; 4];
        if !direct_total.amount().is_zero() {
            for (k, key) in direct_key.iter_mut().enumerate() {
                let p = &per_stage[k];
                let d = p.salary + p.on_costs + p.direct + p.office + p.regulation;
                *key = d.amount() / direct_total.amount();
            }
        }
        for (i, l) in a.back_office.iter().enumerate() {
            let amount = match (l.amount, l.recharge) {
                (Some(x), _) => x.money(),
                (None, Some(rate)) => direct_total.times(Percent(rate).fraction()),
                (None, None) => Money::ZERO,
            };
            if !amount.amount().is_zero() && direct_total.amount().is_zero() {
                return Err(Error::invalid(
                    format!("back_office[{}]", i + 1),
                    "a back-office cost with no direct cost to allocate it by",
                    "direct cost to allocate back office by",
                ));
            }
            add_parts(Category::BackOffice, allocate(amount, direct_key), &mut per_stage);
        }
        Ok([per_stage[0].total(), per_stage[1].total(), per_stage[2].total()])
    }

    /// The full cost from the stage totals and the volumes (COSTING.md §5).
    pub fn full_from(&self, s: &Scenario, [a_total, b_total, c_total]: [Money; 3]) -> Money {
        let a = &s.agency;
        let act = &a.activity;
        let matches = a.matches();
        let supported = act.supported_placements.unwrap_or(matches);
        let u = Percent(act.utilisation.unwrap_or(Decimal::ONE_HUNDRED)).fraction();
        let per_approval = a_total.per(act.approvals).unwrap_or_default();
        let per_match = b_total.per(matches).unwrap_or_default();
        let per_supported = c_total.per(supported).unwrap_or_default();
        per_approval.per(u).unwrap_or_default() + per_match + per_supported
    }

    /// Restates an amount from a price year to the fee year's, as the comparison does: with the
    /// scenario's price index where it names one, unchanged otherwise.
    fn restate(&self, s: &Scenario, amount: Money, from: FinancialYear) -> Result<Money> {
        if from == self.fee_year {
            return Ok(amount);
        }
        let Some(ix) = &s.price_index else { return Ok(amount) };
        let value = |y: FinancialYear| {
            ix.values.get(&y).map(|v| v.0).ok_or_else(|| {
                Error::invalid(
                    "price_index.values",
                    format!("no {} value for {y}", ix.name),
                    "a value for every price year used",
                )
            })
        };
        let (i_from, i_to) = (value(from)?, value(self.fee_year)?);
        Ok(amount.times(i_to / i_from))
    }

    /// The routes for a scenario (the one the kernel was made for, with inputs changed).
    /// `fee_varies` says whether any input of the fee has changed; then the fee is worked out
    /// again. `known` is what the caller already has of the agency's cost, where the inputs it
    /// depends on have not changed.
    pub fn evaluate(&self, s: &Scenario, fee_varies: bool, known: Known) -> Result<Evaluation> {
        let net = if fee_varies {
            match self.net_fee_again(s) {
                Some(net) => net,
                None => crate::fee::fee(&s.case(), self.reference, &mut Explanation::new())?.net,
            }
        } else {
            self.net_fee
        };
        let full = match known {
            Known::Full(f) => f,
            Known::StageTotals(t) => self.full_from(s, t),
            Known::Nothing => self.full_cost(s)?,
        };
        let full = self.restate(s, full, s.agency.price_year)?;
        let c = &s.child;
        let r = &s.route;
        let (weekly, weekly_py) = match (c.group_weekly_care_cost, c.weekly_care_cost) {
            (Some(g), _) => (g.money(), self.fee_year),
            (None, Some(w)) => (w.money().times(Decimal::from(c.children)), self.fee_year),
            (None, None) => {
                let (w, py) = self.default_weekly.ok_or_else(|| {
                    Error::invalid(
                        "child.weekly_care_cost",
                        "not given",
                        "the weekly cost of the child's current placement",
                    )
                })?;
                (w.times(Decimal::from(c.children)), py)
            }
        };
        let weekly = self.restate(s, weekly, weekly_py)?;
        let wait = |own: Option<Decimal>, field: &str| {
            own.or(self.default_weeks).ok_or_else(|| {
                Error::invalid(field, "not given", "expected weeks from placement order to match")
            })
        };
        let w_in = wait(r.weeks_in_house, "route.weeks_in_house")?;
        let w_ext = wait(r.weeks_external, "route.weeks_external")?;
        let common = r.common_costs.map(|m| m.money()).unwrap_or(Money::ZERO);
        let in_house = full + weekly.times(w_in) + common;
        let external = net + weekly.times(w_ext) + common;
        let sequential = match (r.search_weeks, r.success_probability) {
            (Some(sw), Some(p)) => {
                let pf = Percent(p).fraction();
                Some(
                    (full + weekly.times(w_in)).times(pf)
                        + (weekly.times(sw) + net + weekly.times(w_ext)).times(Decimal::ONE - pf)
                        + common,
                )
            }
            _ => None,
        };
        Ok(Evaluation { full, in_house, external, sequential, difference: external - in_house })
    }
}
