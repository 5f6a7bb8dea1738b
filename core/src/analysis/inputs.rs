//! The numeric inputs of a comparison, by the name an input file gives them: what sensitivity
//! moves and a Monte Carlo run draws.
//!
//! An input is named by its field path, as errors and explanations name it: `staff[2].salary`,
//! `office[1].amount`, `activity.approvals`, `child.weekly_care_cost`, `route.weeks_in_house`,
//! `route.fee`. Lines count from 1. Inputs left to their defaults (the weekly care cost, the
//! waits, the fee, utilisation, supported placements, the NI rate and threshold) have the value the
//! comparison used; moving one sets it as the user's own.
//!
//! Only inputs that can change the routes are listed: stage shares are left out (moving one share
//! alone breaks their sum of 100%), and so are productive hours and fee income per sale, which
//! change the hourly costs and the adopter pool but not the routes.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::explain::Unit;
use crate::input::{ContributionIn, MoneyIn, Scenario};

/// Which overhead list a line is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Group {
    /// Office running.
    Office,
    /// Regulation.
    Regulation,
    /// Capital.
    Capital,
}

impl Group {
    fn id(self) -> &'static str {
        match self {
            Group::Office => "office",
            Group::Regulation => "regulation",
            Group::Capital => "capital",
        }
    }
}

/// A numeric input of a comparison. Line numbers are indexes from 0; paths count from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[allow(missing_docs)] // each variant is the field its path names
pub enum InputId {
    StaffFte(usize),
    StaffSalary(usize),
    Direct(usize),
    Overhead(Group, usize),
    BackOffice(usize),
    PensionRate,
    NiRate,
    NiThreshold,
    LevyRate,
    Approvals,
    MatchesOwn,
    Sales,
    SupportedPlacements,
    Utilisation,
    WeeklyCare,
    GroupWeeklyCare,
    WeeksInHouse,
    WeeksExternal,
    SearchWeeks,
    SuccessProbability,
    CommonCosts,
    Fee,
    MonthlyFee,
    MonthsBeyond12,
    ContributionShare,
    ContributionAmount,
}

/// The scalar inputs with their paths.
const SCALARS: [(InputId, &str); 21] = [
    (InputId::PensionRate, "on_costs.pension_rate"),
    (InputId::NiRate, "on_costs.ni_rate"),
    (InputId::NiThreshold, "on_costs.ni_threshold"),
    (InputId::LevyRate, "on_costs.levy_rate"),
    (InputId::Approvals, "activity.approvals"),
    (InputId::MatchesOwn, "activity.matches_own"),
    (InputId::Sales, "activity.sales"),
    (InputId::SupportedPlacements, "activity.supported_placements"),
    (InputId::Utilisation, "activity.utilisation"),
    (InputId::WeeklyCare, "child.weekly_care_cost"),
    (InputId::GroupWeeklyCare, "child.group_weekly_care_cost"),
    (InputId::WeeksInHouse, "route.weeks_in_house"),
    (InputId::WeeksExternal, "route.weeks_external"),
    (InputId::SearchWeeks, "route.search_weeks"),
    (InputId::SuccessProbability, "route.success_probability"),
    (InputId::CommonCosts, "route.common_costs"),
    (InputId::Fee, "route.fee"),
    (InputId::MonthlyFee, "route.monthly_fee"),
    (InputId::MonthsBeyond12, "route.months_beyond_12"),
    (InputId::ContributionShare, "route.contribution.share"),
    (InputId::ContributionAmount, "route.contribution.amount"),
];

/// The values a comparison used, its defaults included: read off the model it was worked out
/// in, by each input's field path.
#[derive(Debug, Clone)]
pub struct Baseline {
    model: crate::method::Model,
}

impl Baseline {
    /// The values the comparison worked out in `model` used.
    pub fn of(model: &crate::method::Model) -> Baseline {
        Baseline { model: model.clone() }
    }
}

impl InputId {
    /// Every input of this scenario that can change its routes, in the order of the input file.
    pub fn all(s: &Scenario) -> Vec<InputId> {
        let a = &s.agency;
        let mut out = Vec::new();
        for i in 0..a.staff.len() {
            out.push(InputId::StaffFte(i));
            out.push(InputId::StaffSalary(i));
        }
        out.extend((0..a.direct.len()).map(InputId::Direct));
        for (g, lines) in
            [(Group::Office, &a.office), (Group::Regulation, &a.regulation), (Group::Capital, &a.capital)]
        {
            out.extend((0..lines.len()).map(|i| InputId::Overhead(g, i)));
        }
        out.extend((0..a.back_office.len()).map(InputId::BackOffice));
        out.extend([InputId::PensionRate, InputId::NiRate, InputId::NiThreshold]);
        if a.on_costs.apprenticeship_levy {
            out.push(InputId::LevyRate);
        }
        out.extend([
            InputId::Approvals,
            InputId::MatchesOwn,
            InputId::Sales,
            InputId::SupportedPlacements,
            InputId::Utilisation,
        ]);
        let r = &s.route;
        out.push(if s.child.group_weekly_care_cost.is_some() {
            InputId::GroupWeeklyCare
        } else {
            InputId::WeeklyCare
        });
        out.extend([InputId::WeeksInHouse, InputId::WeeksExternal]);
        if r.search_weeks.is_some() && r.success_probability.is_some() {
            out.extend([InputId::SearchWeeks, InputId::SuccessProbability]);
        }
        if r.common_costs.is_some() {
            out.push(InputId::CommonCosts);
        }
        out.push(InputId::Fee);
        if r.monthly_fee.is_some() {
            out.push(InputId::MonthlyFee);
        }
        if r.months_beyond_12.is_some() {
            out.push(InputId::MonthsBeyond12);
        }
        if let Some(c) = &r.contribution {
            if c.share.is_some() {
                out.push(InputId::ContributionShare);
            }
            if c.amount.is_some() {
                out.push(InputId::ContributionAmount);
            }
        }
        out
    }

    /// The input a path names in this scenario, or an error saying what paths there are.
    /// `field` names where the path was given, for the error.
    pub fn parse(path: &str, s: &Scenario, field: &str) -> Result<InputId> {
        let p = path.trim();
        let bad = |why: String| Error::invalid(field, format!("\"{p}\""), why);
        if let Some((id, _)) = SCALARS.iter().find(|(_, name)| *name == p) {
            return Ok(*id);
        }
        let Some((list, rest)) = p.split_once('[') else {
            return Err(bad(
                "an input's field path, such as staff[1].salary, office[2].amount, activity.approvals or route.weeks_in_house (docs/analyses.md lists them)".into(),
            ));
        };
        let Some((n, field_name)) = rest.split_once("].") else {
            return Err(bad("a line path such as staff[1].salary".into()));
        };
        let n: usize = n
            .parse()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| bad("a line number from 1 between the brackets".into()))?;
        let a = &s.agency;
        let (len, id) = match (list, field_name) {
            ("staff", "fte") => (a.staff.len(), InputId::StaffFte(n - 1)),
            ("staff", "salary") => (a.staff.len(), InputId::StaffSalary(n - 1)),
            ("direct", "amount") => (a.direct.len(), InputId::Direct(n - 1)),
            ("office", "amount" | "per_fte") => (a.office.len(), InputId::Overhead(Group::Office, n - 1)),
            ("regulation", "amount" | "per_fte") => {
                (a.regulation.len(), InputId::Overhead(Group::Regulation, n - 1))
            }
            ("capital", "amount" | "per_fte") => (a.capital.len(), InputId::Overhead(Group::Capital, n - 1)),
            ("back_office", "amount" | "recharge") => (a.back_office.len(), InputId::BackOffice(n - 1)),
            _ => {
                return Err(bad(
                    "staff[N].fte, staff[N].salary, direct[N].amount, office|regulation|capital[N].amount or .per_fte, back_office[N].amount or .recharge".into(),
                ));
            }
        };
        if n > len {
            return Err(bad(format!("a line that exists: the agency has {len} {list} line(s)")));
        }
        if id.path(s) != p {
            return Err(bad(format!("{}: that is the field this line gives", id.path(s))));
        }
        Ok(id)
    }

    /// The input's field path in this scenario.
    pub fn path(self, s: &Scenario) -> String {
        let a = &s.agency;
        match self {
            InputId::StaffFte(i) => format!("staff[{}].fte", i + 1),
            InputId::StaffSalary(i) => format!("staff[{}].salary", i + 1),
            InputId::Direct(i) => format!("direct[{}].amount", i + 1),
            InputId::Overhead(g, i) => {
                let line = overheads(a, g).get(i);
                let f = if line.is_some_and(|l| l.amount.is_none() && l.per_fte.is_some()) {
                    "per_fte"
                } else {
                    "amount"
                };
                format!("{}[{}].{f}", g.id(), i + 1)
            }
            InputId::BackOffice(i) => {
                let line = a.back_office.get(i);
                let f = if line.is_some_and(|l| l.amount.is_none() && l.recharge.is_some()) {
                    "recharge"
                } else {
                    "amount"
                };
                format!("back_office[{}].{f}", i + 1)
            }
            other => {
                SCALARS.iter().find(|(id, _)| *id == other).map(|(_, p)| p.to_string()).unwrap_or_default()
            }
        }
    }

    /// A label a reader understands: `staff line 2, social worker: salary per FTE`.
    pub fn label(self, s: &Scenario) -> String {
        let a = &s.agency;
        let role = |i: usize| a.staff.get(i).map(|l| l.role.as_str()).unwrap_or("");
        match self {
            InputId::StaffFte(i) => format!("staff line {}, {}: FTE", i + 1, role(i)),
            InputId::StaffSalary(i) => format!("staff line {}, {}: salary per FTE", i + 1, role(i)),
            InputId::Direct(i) => {
                format!("direct line {}, {}", i + 1, a.direct.get(i).map(|l| l.label.as_str()).unwrap_or(""))
            }
            InputId::Overhead(g, i) => {
                let line = overheads(a, g).get(i);
                let per = if line.is_some_and(|l| l.amount.is_none()) { " (per FTE)" } else { "" };
                format!("{} line {}, {}{per}", g.id(), i + 1, line.map(|l| l.label.as_str()).unwrap_or(""))
            }
            InputId::BackOffice(i) => {
                let line = a.back_office.get(i);
                let per = if line.is_some_and(|l| l.amount.is_none()) { " (recharge rate)" } else { "" };
                format!("back office line {}, {}{per}", i + 1, line.map(|l| l.label.as_str()).unwrap_or(""))
            }
            InputId::PensionRate => "employer pension rate".into(),
            InputId::NiRate => "employer NI rate".into(),
            InputId::NiThreshold => "employer NI secondary threshold".into(),
            InputId::LevyRate => "apprenticeship levy rate".into(),
            InputId::Approvals => "approvals a year".into(),
            InputId::MatchesOwn => "matches with own children".into(),
            InputId::Sales => "sales (matches with other agencies' children)".into(),
            InputId::SupportedPlacements => "supported placements".into(),
            InputId::Utilisation => "utilisation".into(),
            InputId::WeeklyCare => "weekly care cost per child".into(),
            InputId::GroupWeeklyCare => "weekly care cost of the group".into(),
            InputId::WeeksInHouse => "weeks to match in-house (W_in)".into(),
            InputId::WeeksExternal => "weeks to match externally (W_ext)".into(),
            InputId::SearchWeeks => "weeks searching in-house first (S)".into(),
            InputId::SuccessProbability => "probability the in-house search succeeds (p)".into(),
            InputId::CommonCosts => "common costs".into(),
            InputId::Fee => "schedule fee".into(),
            InputId::MonthlyFee => "monthly fee".into(),
            InputId::MonthsBeyond12 => "months beyond 12 without an order".into(),
            InputId::ContributionShare => "contribution share of the fee".into(),
            InputId::ContributionAmount => "contribution amount".into(),
        }
    }

    /// The unit of the input's value.
    pub fn unit(self, s: &Scenario) -> Unit {
        match self {
            InputId::StaffFte(_) => Unit::Fte,
            InputId::StaffSalary(_) | InputId::NiThreshold => Unit::GbpPerYear,
            InputId::Overhead(g, i) if overheads(&s.agency, g).get(i).is_some_and(|l| l.amount.is_none()) => {
                Unit::GbpPerFte
            }
            InputId::BackOffice(i) if s.agency.back_office.get(i).is_some_and(|l| l.amount.is_none()) => {
                Unit::Percent
            }
            InputId::Direct(_) | InputId::Overhead(..) | InputId::BackOffice(_) => Unit::Gbp,
            InputId::PensionRate
            | InputId::NiRate
            | InputId::LevyRate
            | InputId::Utilisation
            | InputId::SuccessProbability
            | InputId::ContributionShare => Unit::Percent,
            InputId::Approvals | InputId::MatchesOwn | InputId::Sales | InputId::SupportedPlacements => {
                Unit::Count
            }
            InputId::WeeklyCare | InputId::GroupWeeklyCare => Unit::GbpPerWeek,
            InputId::WeeksInHouse | InputId::WeeksExternal | InputId::SearchWeeks => Unit::Weeks,
            InputId::MonthsBeyond12 => Unit::Months,
            InputId::MonthlyFee => Unit::GbpPerMonth,
            InputId::CommonCosts | InputId::Fee | InputId::ContributionAmount => Unit::Gbp,
        }
    }

    /// True for the inputs of the fee: moving one means working the fee out again.
    pub fn moves_fee(self) -> bool {
        matches!(
            self,
            InputId::Fee
                | InputId::MonthlyFee
                | InputId::MonthsBeyond12
                | InputId::ContributionShare
                | InputId::ContributionAmount
        )
    }

    /// The value the comparison used: the scenario's own, or the default it fell back on.
    pub fn value(self, s: &Scenario, base: &Baseline) -> Option<Decimal> {
        let m = &base.model;
        if let Some(n) = m.for_input(&self.path(s)) {
            return Some(m.quantity(n).value);
        }
        // An input the comparison did not use (months beyond 12 given as 0, say): as given.
        let r = &s.route;
        match self {
            InputId::MonthlyFee => r.monthly_fee.map(|m| m.0),
            InputId::MonthsBeyond12 => r.months_beyond_12,
            InputId::ContributionShare => r.contribution.as_ref().and_then(|c| c.share),
            InputId::ContributionAmount => r.contribution.as_ref().and_then(|c| c.amount.map(|m| m.0)),
            InputId::SearchWeeks => r.search_weeks,
            InputId::SuccessProbability => r.success_probability,
            _ => None,
        }
    }

    /// The lowest and highest values the input may take (the rules of `validate`).
    pub fn bounds(self, s: &Scenario) -> (Decimal, Option<Decimal>) {
        match self.unit(s) {
            Unit::Percent => (Decimal::ZERO, Some(Decimal::ONE_HUNDRED)),
            _ => (Decimal::ZERO, None),
        }
    }

    /// True for the inputs of the agency's cost base: moving one means costing the agency again.
    pub fn moves_agency(self) -> bool {
        matches!(
            self,
            InputId::StaffFte(_)
                | InputId::StaffSalary(_)
                | InputId::Direct(_)
                | InputId::Overhead(..)
                | InputId::BackOffice(_)
                | InputId::PensionRate
                | InputId::NiRate
                | InputId::NiThreshold
                | InputId::LevyRate
                | InputId::Approvals
                | InputId::MatchesOwn
                | InputId::Sales
                | InputId::SupportedPlacements
                | InputId::Utilisation
        )
    }

    /// True for the inputs of the stage totals (the lines and on-cost rates, not the volumes).
    pub fn moves_stage_totals(self) -> bool {
        self.moves_agency()
            && !matches!(
                self,
                InputId::Approvals
                    | InputId::MatchesOwn
                    | InputId::Sales
                    | InputId::SupportedPlacements
                    | InputId::Utilisation
            )
    }

    /// True where the input must stay above zero (it divides a cost).
    pub fn must_be_positive(self) -> bool {
        matches!(self, InputId::Approvals)
    }

    /// Sets the input to a value, as the user's own.
    pub fn set(self, s: &mut Scenario, v: Decimal) {
        let a = &mut s.agency;
        let r = &mut s.route;
        let m = MoneyIn(v);
        match self {
            InputId::StaffFte(i) => {
                if let Some(l) = a.staff.get_mut(i) {
                    l.fte = v;
                }
            }
            InputId::StaffSalary(i) => {
                if let Some(l) = a.staff.get_mut(i) {
                    l.salary = m;
                }
            }
            InputId::Direct(i) => {
                if let Some(l) = a.direct.get_mut(i) {
                    l.amount = m;
                }
            }
            InputId::Overhead(g, i) => {
                let lines = match g {
                    Group::Office => &mut a.office,
                    Group::Regulation => &mut a.regulation,
                    Group::Capital => &mut a.capital,
                };
                if let Some(l) = lines.get_mut(i) {
                    if l.amount.is_none() && l.per_fte.is_some() {
                        l.per_fte = Some(m);
                    } else {
                        l.amount = Some(m);
                    }
                }
            }
            InputId::BackOffice(i) => {
                if let Some(l) = a.back_office.get_mut(i) {
                    if l.amount.is_none() && l.recharge.is_some() {
                        l.recharge = Some(v);
                    } else {
                        l.amount = Some(m);
                    }
                }
            }
            InputId::PensionRate => a.on_costs.pension_rate = v,
            InputId::NiRate => a.on_costs.ni_rate = Some(v),
            InputId::NiThreshold => a.on_costs.ni_threshold = Some(m),
            InputId::LevyRate => a.on_costs.levy_rate = Some(v),
            InputId::Approvals => a.activity.approvals = v,
            InputId::MatchesOwn => a.activity.matches_own = v,
            InputId::Sales => a.activity.sales = v,
            InputId::SupportedPlacements => a.activity.supported_placements = Some(v),
            InputId::Utilisation => a.activity.utilisation = Some(v),
            InputId::WeeklyCare => s.child.weekly_care_cost = Some(m),
            InputId::GroupWeeklyCare => s.child.group_weekly_care_cost = Some(m),
            InputId::WeeksInHouse => r.weeks_in_house = Some(v),
            InputId::WeeksExternal => r.weeks_external = Some(v),
            InputId::SearchWeeks => r.search_weeks = Some(v),
            InputId::SuccessProbability => r.success_probability = Some(v),
            InputId::CommonCosts => r.common_costs = Some(m),
            InputId::Fee => r.fee = Some(m),
            InputId::MonthlyFee => r.monthly_fee = Some(m),
            InputId::MonthsBeyond12 => r.months_beyond_12 = Some(v),
            InputId::ContributionShare => {
                r.contribution.get_or_insert(ContributionIn { share: None, amount: None }).share = Some(v)
            }
            InputId::ContributionAmount => {
                r.contribution.get_or_insert(ContributionIn { share: None, amount: None }).amount = Some(m)
            }
        }
    }
}

fn overheads(a: &crate::input::Agency, g: Group) -> &[crate::input::OverheadLine] {
    match g {
        Group::Office => &a.office,
        Group::Regulation => &a.regulation,
        Group::Capital => &a.capital,
    }
}
