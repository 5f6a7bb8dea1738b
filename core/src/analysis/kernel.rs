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
//! What it does not redo: the reference lookups (NI rates, the fee schedule, the default weekly
//! care cost and wait) are made once, in [`Kernel::new`], by the explained model. Where an input
//! of the fee is among those varied, the fee is worked out again by [`crate::fee::fee`] on every
//! evaluation (slower, and equally exact).

use rust_decimal::Decimal;

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
        Ok(Kernel {
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

    /// The full in-house cost of a placement in the cost base's prices (COSTING.md §3–5).
    pub fn full_cost(&self, s: &Scenario) -> Result<Money> {
        Ok(self.full_from(s, self.stage_totals(s)?))
    }

    /// The totals of stages A, B and C (COSTING.md §3): everything but the volumes.
    pub fn stage_totals(&self, s: &Scenario) -> Result<[Money; 3]> {
        let a = &s.agency;
        let oc = &a.on_costs;
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
        let ni_fraction = Percent(ni_rate).fraction();
        let pension_fraction = Percent(oc.pension_rate).fraction();
        let levy_fraction = levy.map(|r| Percent(r).fraction());
        let mut per_stage: [ByCategory; 4] = Default::default();
        let mut staff_total = Money::ZERO;
        for (st, fr) in a.staff.iter().zip(&self.staff_fractions) {
            let salary_cost = st.salary.money().times(st.fte);
            let above = (st.salary.money() - Money(ni_threshold)).at_least_zero();
            let ni = above.times(st.fte).times(ni_fraction);
            let pen = salary_cost.times(pension_fraction);
            let lev = levy_fraction.map(|f| salary_cost.times(f)).unwrap_or(Money::ZERO);
            let on = ni + pen + lev;
            staff_total += salary_cost + on;
            add_parts(Category::Salary, allocate(salary_cost, *fr), &mut per_stage);
            add_parts(Category::OnCosts, allocate(on, *fr), &mut per_stage);
        }
        let total_fte = a.total_fte();
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
        let mut direct_sum = Money::ZERO;
        for (d, fr) in a.direct.iter().zip(&self.direct_fractions) {
            direct_sum += d.amount.money();
            add_parts(Category::Direct, allocate(d.amount.money(), *fr), &mut per_stage);
        }
        let mut totals = ByCategory::default();
        for (g, (cat, lines)) in [
            (Category::Office, &a.office),
            (Category::Regulation, &a.regulation),
            (Category::Capital, &a.capital),
        ]
        .into_iter()
        .enumerate()
        {
            let mut total = Money::ZERO;
            for (l, own) in lines.iter().zip(&self.overhead_fractions[g]) {
                let amount = match (l.amount, l.per_fte) {
                    (Some(x), _) => x.money(),
                    (None, Some(per)) => per.money().times(total_fte),
                    (None, None) => Money::ZERO,
                };
                total += amount;
                let fractions = own.unwrap_or(fte_key);
                add_parts(cat, allocate(amount, fractions), &mut per_stage);
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
            crate::fee::fee(&s.case(), self.reference, &mut Explanation::new())?.net
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
