//! An agency's cost base (COSTING.md §3–4): its lines, on-costs and activity, the fields of
//! each as [`Field`]s, and the rules they must meet.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use super::checks::{
    DIVISOR, HOURS, Odd, Problems, UTILISATION, ambiguous_rate, amount, check_each_field, shares,
};
use super::schema::{Analysed, Check, Choice, Field, KINDS, Kind, NATIONS, Value, money};
use super::{AgencyKind, MoneyIn, Nation, Provenance};
use crate::error::{Error, Result};
use crate::money::{FinancialYear, Percent};
use crate::quantity::Unit;
use crate::text::TextFormat;

/// How each line's time or cost splits across the stages, in percent; the four sum to 100.
#[derive(Debug, Clone, Default, Copy, PartialEq, Eq, Serialize)]
pub struct Shares {
    /// A. approval.
    pub a: Decimal,
    /// B. matching.
    pub b: Decimal,
    /// C. support to the order.
    pub c: Decimal,
    /// Other work of the service, outside the fee's scope.
    pub other: Decimal,
}

impl Shares {
    /// The four shares as fractions, in stage order A, B, C, other.
    pub fn fractions(&self) -> [Decimal; 4] {
        [self.a, self.b, self.c, self.other].map(|p| Percent(p).fraction())
    }

    /// The four percentages in stage order.
    pub fn percents(&self) -> [Decimal; 4] {
        [self.a, self.b, self.c, self.other]
    }
}

/// A staff line: a role, its FTE and salary, and its time by stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StaffLine {
    /// The role (`Senior social worker`).
    pub role: String,
    /// Full-time equivalents on the line.
    pub fte: Decimal,
    /// Annual gross salary per FTE, in pounds.
    pub salary: MoneyIn,
    /// Share of the line's time on each stage.
    pub shares: Shares,
    /// True where the staff are paid by the case (sessional assessors, agency social workers):
    /// their cost then counts in the marginal cost. By default false: staff on the payroll.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub variable: bool,
    /// Free text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// A direct non-staff line.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DirectLine {
    /// What it is (`Adult medicals`).
    pub label: String,
    /// The year's amount, in pounds.
    pub amount: MoneyIn,
    /// True where it grows with cases (a medical, a panel fee); false where it is fixed.
    pub variable: bool,
    /// Share of the amount on each stage.
    pub shares: Shares,
    /// Free text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// An overhead line (office running, regulation, capital): an amount or an amount per FTE,
/// allocated by the FTE key unless it gives its own shares.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OverheadLine {
    /// What it is (`Rent and rates`).
    pub label: String,
    /// The year's amount, in pounds, or
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyIn>,
    /// an amount per FTE of the staff lines, or
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_fte: Option<MoneyIn>,
    /// a published fee that gives the amount, by its reference id (`ofsted.vaa.annual`, one of
    /// [`REGULATION_FEES`]), as it stands on the first day of the agency's price year: for
    /// regulation lines only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Its own shares by stage, instead of the FTE key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shares: Option<Shares>,
    /// Free text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// A back-office (indirect overhead) line: an amount, or a percentage recharge on direct cost.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BackOfficeLine {
    /// What it is (`Finance, HR and payroll`).
    pub label: String,
    /// The year's amount, in pounds, or
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyIn>,
    /// a recharge in percent of direct cost (staff, direct non-staff, office, regulation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recharge: Option<Decimal>,
    /// Free text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// Employer on-costs of the staff lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OnCosts {
    /// The employer's pension contribution rate, in percent of salary. There is no national
    /// default: it must be given.
    pub pension_rate: Decimal,
    /// True where the employer pays the apprenticeship levy (pay bill over £3m).
    pub apprenticeship_levy: bool,
    /// Overrides the reference employer NI rate (percent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ni_rate: Option<Decimal>,
    /// Overrides the reference employer NI secondary threshold (pounds a year).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ni_threshold: Option<MoneyIn>,
    /// Overrides the reference apprenticeship levy rate (percent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levy_rate: Option<Decimal>,
    /// The date whose NI rules apply; by default 6 April in the price year (the tax year that
    /// covers all but five days of the financial year).
    #[serde(serialize_with = "crate::text::opt_date::serialize", skip_serializing_if = "Option::is_none")]
    pub ni_date: Option<Date>,
}

impl OnCosts {
    /// The date whose NI rules apply: the given one, or 6 April in the price year.
    pub fn ni_date_in(&self, year: FinancialYear) -> Date {
        self.ni_date.unwrap_or_else(|| jiff::civil::date(year.0, 4, 6))
    }
}

/// The year's activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Activity {
    /// Adopter households approved.
    pub approvals: Decimal,
    /// Approved households matched with the agency's own children.
    pub matches_own: Decimal,
    /// Approved households matched with other agencies' children (sales, which earn fee income).
    pub sales: Decimal,
    /// Households in stage C during the year; by default all matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_placements: Option<Decimal>,
    /// Children placed, counting each child of a sibling group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children_placed: Option<Decimal>,
    /// Share of approved households that are ever matched, in percent; by default 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilisation: Option<Decimal>,
    /// Fee income per sale; by default the schedule's fee for the agency's own provider type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee_income_per_sale: Option<MoneyIn>,
    /// What each child of a sibling group beyond the first adds to matching and support (stages
    /// B and C), in percent of a household's cost of them; by default 0 (a group costs as one
    /// household).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sibling_uplift: Option<Decimal>,
}

/// Overrides an agency may hold for its comparisons.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgencyOverrides {
    /// The schedule fee to use instead of the reference figure (before any London weighting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<MoneyIn>,
    /// The monthly fee after 12 months to use instead of the reference figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_fee: Option<MoneyIn>,
}

/// One agency's cost base for one financial year (COSTING.md §3–4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agency {
    /// The agency's name.
    pub name: String,
    /// A short code identifying the agency in a multi-agency workbook.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// RAA, council or VAA.
    pub kind: AgencyKind,
    /// The nation the agency is in.
    pub nation: Nation,
    /// True where the agency is in London (its sales carry the London weighting).
    pub london: bool,
    /// The financial year of the cost base: its amounts are in this year's prices.
    pub price_year: FinancialYear,
    /// Productive hours a year of one FTE, for the full hourly cost of each role.
    pub productive_hours: Decimal,
    /// True for a made-up agency, so every output says it is illustrative.
    pub illustrative: bool,
    /// Employer on-costs.
    pub on_costs: OnCosts,
    /// Staff lines.
    pub staff: Vec<StaffLine>,
    /// Direct non-staff lines.
    pub direct: Vec<DirectLine>,
    /// Office running: accommodation, IT and phones, supplies.
    pub office: Vec<OverheadLine>,
    /// Regulation: Ofsted fees, inspection preparation and hosting.
    pub regulation: Vec<OverheadLine>,
    /// Back office: finance, HR, payroll, IT support, legal, audit, insurance, management.
    pub back_office: Vec<BackOfficeLine>,
    /// Capital: the annual equivalent cost of buildings and equipment.
    pub capital: Vec<OverheadLine>,
    /// The year's activity.
    pub activity: Activity,
    /// Overrides of reference figures for this agency's comparisons.
    #[serde(skip_serializing_if = "is_default")]
    pub overrides: AgencyOverrides,
    /// Where the input came from (not part of the file format).
    #[serde(skip)]
    pub provenance: Provenance,
}

impl Default for Agency {
    /// An agency with nothing filled in, for a reader to fill field by field (its kind, nation
    /// and price year stand until the reader sets them).
    fn default() -> Self {
        Agency {
            name: String::new(),
            code: String::new(),
            kind: AgencyKind::Raa,
            nation: Nation::England,
            london: false,
            price_year: FinancialYear(0),
            productive_hours: Decimal::ZERO,
            illustrative: false,
            on_costs: OnCosts::default(),
            staff: Vec::new(),
            direct: Vec::new(),
            office: Vec::new(),
            regulation: Vec::new(),
            back_office: Vec::new(),
            capital: Vec::new(),
            activity: Activity::default(),
            overrides: AgencyOverrides::default(),
            provenance: Provenance::default(),
        }
    }
}

pub(super) fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

impl Agency {
    /// The note the user wrote on the line an input path is on (`staff[3].salary`: staff line
    /// 3's notes), where there is one.
    pub fn line_note(&self, path: &str) -> Option<&str> {
        let (table, rest) = path.split_once('[')?;
        let index: usize = rest.split_once(']')?.0.parse().ok()?;
        let i = index.checked_sub(1)?;
        let note = match table {
            "staff" => &self.staff.get(i)?.notes,
            "direct" => &self.direct.get(i)?.notes,
            "office" => &self.office.get(i)?.notes,
            "regulation" => &self.regulation.get(i)?.notes,
            "capital" => &self.capital.get(i)?.notes,
            "back_office" => &self.back_office.get(i)?.notes,
            _ => return None,
        };
        Some(note.as_str()).filter(|n| !n.trim().is_empty())
    }

    /// Reads an agency from TOML or JSON text. `source` names it in explanations.
    pub fn from_text(text: &str, format: TextFormat, source: &str) -> Result<Agency> {
        let tree = crate::text::to_tree(text, format)?;
        let mut agency = crate::text::read_tree(&tree, format, super::document::agency)?;
        agency.provenance = Provenance::named(source);
        Ok(agency)
    }

    /// Total FTE of all staff lines.
    pub fn total_fte(&self) -> Decimal {
        // Saturating: every check of the agency runs, the ranges' among them, so an FTE far out
        // of range must not stop the others from being reported.
        self.staff.iter().fold(Decimal::ZERO, |t, s| crate::expr::saturating_add(t, s.fte))
    }

    /// Matches in the year: with own children plus sales.
    pub fn matches(&self) -> Decimal {
        crate::expr::saturating_add(self.activity.matches_own, self.activity.sales)
    }

    /// Notes on rates whose value reads two ways (a rate in a file given as a fraction, or a cell's 1 read as 100%): costed as read, with
    /// both readings named so the user can put it right.
    pub fn rate_notes(&self) -> Vec<String> {
        let p = &self.provenance;
        let o = &self.on_costs;
        let mut rates = vec![
            ("on_costs.pension_rate".to_string(), Some(o.pension_rate), Odd::Both),
            ("on_costs.ni_rate".to_string(), o.ni_rate, Odd::Both),
            // A levy rate is rightly below 1%.
            ("on_costs.levy_rate".to_string(), o.levy_rate, Odd::Whole),
            ("activity.utilisation".to_string(), self.activity.utilisation, Odd::Small),
            ("activity.sibling_uplift".to_string(), self.activity.sibling_uplift, Odd::Small),
        ];
        for (i, b) in self.back_office.iter().enumerate() {
            rates.push((format!("back_office[{}].recharge", i + 1), b.recharge, Odd::Both));
        }
        rates.into_iter().filter_map(|(f, v, odd)| ambiguous_rate(p, &f, v?, odd)).collect()
    }

    /// Checks every rule of the method the inputs must meet, naming the first field that breaks
    /// one: each field's range ([`AGENCY`] and the lines' tables), then the rules across fields.
    pub fn validate(&self) -> Result<()> {
        Problems::of(|ps| self.check(ps)).first()
    }

    /// Every rule of the method the agency breaks, in the order [`Agency::validate`] checks them.
    pub fn problems(&self) -> Vec<Error> {
        Problems::of(|ps| self.check(ps)).into_vec()
    }

    fn check(&self, ps: &mut Problems) {
        let p = &self.provenance;
        let place = |f: &str| p.place(f);
        if self.name.trim().is_empty() {
            ps.note(Err(Error::invalid(place("name"), "empty", "the agency's name")));
        }
        check_each_field(&AGENCY, self, p, "", ps);
        for (i, s) in self.staff.iter().enumerate() {
            let prefix = format!("staff[{}].", i + 1);
            check_each_field(&STAFF, s, p, &prefix, ps);
            ps.note(shares(&place(&format!("{prefix}shares")), &s.shares));
        }
        for (i, d) in self.direct.iter().enumerate() {
            let prefix = format!("direct[{}].", i + 1);
            check_each_field(&DIRECT, d, p, &prefix, ps);
            ps.note(shares(&place(&format!("{prefix}shares")), &d.shares));
        }
        for (group, lines) in self.overheads() {
            for (i, l) in lines.iter().enumerate() {
                self.check_overhead(l, &format!("{group}[{}].", i + 1), ps);
            }
        }
        for (i, b) in self.back_office.iter().enumerate() {
            let prefix = format!("back_office[{}].", i + 1);
            check_each_field(&BACK_OFFICE, b, p, &prefix, ps);
            let found = match (b.amount, b.recharge) {
                (Some(_), Some(_)) => "both an amount and a recharge rate",
                (None, None) => "neither an amount nor a recharge rate",
                _ => continue,
            };
            ps.note(Err(Error::invalid(place(&format!("{prefix}amount")), found, "one of them")));
        }
        ps.note(self.check_matches());
        for (field, v) in
            [("overrides.fee", self.overrides.fee), ("overrides.monthly_fee", self.overrides.monthly_fee)]
        {
            if let Some(v) = v {
                ps.note(amount(place(field), v.0));
            }
        }
    }

    /// The office, regulation and capital lists, by name.
    pub fn overheads(&self) -> [(&'static str, &Vec<OverheadLine>); 3] {
        [("office", &self.office), ("regulation", &self.regulation), ("capital", &self.capital)]
    }

    /// An overhead line's rules: an amount or an amount per FTE, and shares where the staff
    /// lines have no FTE to allocate it by.
    fn check_overhead(&self, l: &OverheadLine, prefix: &str, ps: &mut Problems) {
        check_each_field(&OVERHEAD, l, &self.provenance, prefix, ps);
        ps.note(self.overhead_rules(l, prefix));
    }

    /// An overhead line's own rules, beyond its fields' ranges.
    fn overhead_rules(&self, l: &OverheadLine, prefix: &str) -> Result<()> {
        let p = &self.provenance;
        let f = |k: &str| p.place(&format!("{prefix}{k}"));
        if let Some(r) = &l.reference {
            if !prefix.starts_with("regulation[") {
                return Err(Error::invalid(
                    f("reference"),
                    format!("the published fee `{r}` on a line that is not regulation"),
                    "an amount or an amount per FTE (published fees go on regulation lines)",
                ));
            }
            if l.regulation_fee().is_none() {
                return Err(Error::invalid(f("reference"), format!("`{r}`"), regulation_fee_words()));
            }
        }
        let given = [l.amount.is_some(), l.per_fte.is_some(), l.reference.is_some()];
        let found = match given.iter().filter(|g| **g).count() {
            0 => Some("neither an amount, an amount per FTE nor a published fee"),
            1 => None,
            _ if given[0] && given[1] => Some("both an amount and an amount per FTE"),
            _ => Some("a published fee as well as an amount"),
        };
        if let Some(found) = found {
            return Err(Error::invalid(f("amount"), found, "one of them"));
        }
        match &l.shares {
            Some(s) => shares(&f("shares"), s),
            None if self.total_fte().is_zero() => Err(Error::invalid(
                f("shares"),
                "no shares, and the staff lines have no FTE to allocate by",
                "the line's own shares, or staff lines with FTE",
            )),
            None => Ok(()),
        }
    }

    /// At least a little of a match in the year, to divide stage B by.
    fn check_matches(&self) -> Result<()> {
        let place = self.provenance.place("activity.matches_own");
        if self.matches() <= Decimal::ZERO {
            return Err(Error::invalid(
                place,
                "no matches in the year (own matches and sales are both 0)",
                "at least one match, to divide stage B by",
            ));
        }
        if self.matches() < DIVISOR.0 {
            return Err(Error::invalid(
                place,
                format!("{} matches in all (own and sales)", self.matches().normalize()),
                format!("at least {} match, to divide stage B by", DIVISOR.0),
            ));
        }
        Ok(())
    }
}

/// A number field's value.
fn num(d: Decimal) -> Option<Value> {
    Some(Value::Number(d))
}

/// The agency's own fields, in the order of the workbook's Agencies sheet. Not here: the lines
/// (their own tables), `on_costs.ni_date` and `overrides` (files only).
pub static AGENCY: [Field<Agency>; 21] = [
    Field::<Agency>::new(
        "code",
        "Agency code",
        "Short code",
        "A short code that names the agency on every other sheet of a workbook (for example EXAMPLE).",
        Kind::Text,
        |a| (!a.code.is_empty()).then(|| Value::Text(a.code.clone())),
        |a, v| a.code = v.text().unwrap_or_default().to_string(),
    )
    .width(14),
    Field::<Agency>::new(
        "name",
        "Name",
        "Agency name",
        "The agency's name.",
        Kind::Text,
        |a| Some(Value::Text(a.name.clone())),
        |a, v| a.name = v.text().unwrap_or_default().to_string(),
    )
    .required()
    .width(34),
    Field::<Agency>::new(
        "kind",
        "Kind",
        "Kind of agency",
        "raa (regional adoption agency), la (a council's own service) or vaa (voluntary adoption agency).",
        Kind::List(KINDS),
        |a| Some(Value::Text(a.kind.id().into())),
        |a, v| {
            if let Some(k) = v.text().and_then(AgencyKind::parse) {
                a.kind = k;
            }
        },
    )
    .required()
    .width(8),
    Field::<Agency>::new(
        "nation",
        "Nation",
        "Nation",
        "england, wales, scotland or northern_ireland.",
        Kind::List(NATIONS),
        |a| Some(Value::Text(a.nation.id().into())),
        |a, v| {
            if let Some(n) = v.text().and_then(Nation::parse) {
                a.nation = n;
            }
        },
    )
    .required()
    .width(12),
    Field::<Agency>::new(
        "london",
        "London",
        "The agency is in London",
        "The agency is in London: its own sales then carry the London weighting.",
        Kind::YesNo,
        |a| Some(Value::Yes(a.london)),
        |a, v| a.london = v.yes().unwrap_or(false),
    )
    .blank("no")
    .width(9),
    Field::<Agency>::new(
        "price_year",
        "Price year",
        "Price year of the cost base",
        "The financial year of the cost base, such as 2025/26. Its amounts are in this year's prices.",
        Kind::Year,
        |a| Some(Value::Year(a.price_year)),
        |a, v| {
            if let Some(y) = v.year() {
                a.price_year = y;
            }
        },
    )
    .required()
    .width(11),
    Field::<Agency>::new(
        "productive_hours",
        "Productive hours",
        "Productive hours a year of one FTE",
        "Productive hours a year of one FTE, for the full hourly cost of each role (for example 1665).",
        Kind::Number(Unit::HoursPerYear),
        |a| num(a.productive_hours),
        |a, v| a.productive_hours = v.number().unwrap_or_default(),
    )
    .required()
    .check(Check::Within(HOURS, "productive hours a year per FTE"))
    .width(11),
    Field::<Agency>::new(
        "on_costs.pension_rate",
        "Pension rate",
        "Employer pension rate",
        "The employer's pension contribution rate, percent of salary. There is no national default.",
        Kind::Number(Unit::Percent),
        |a| num(a.on_costs.pension_rate),
        |a, v| a.on_costs.pension_rate = v.number().unwrap_or_default(),
    )
    .required()
    .check(Check::Percent)
    .analysed(Analysed::Always),
    Field::<Agency>::new(
        "on_costs.apprenticeship_levy",
        "Apprenticeship levy",
        "The employer pays the apprenticeship levy",
        "The employer pays the apprenticeship levy (a pay bill over £3m).",
        Kind::YesNo,
        |a| Some(Value::Yes(a.on_costs.apprenticeship_levy)),
        |a, v| a.on_costs.apprenticeship_levy = v.yes().unwrap_or(false),
    )
    .required()
    .width(12),
    Field::<Agency>::new(
        "on_costs.ni_rate",
        "NI rate",
        "Employer NI rate",
        "Your own employer NI rate, percent.",
        Kind::Number(Unit::Percent),
        |a| a.on_costs.ni_rate.and_then(num),
        |a, v| a.on_costs.ni_rate = v.number(),
    )
    .blank("the HMRC rate for the price year")
    .check(Check::Percent)
    .analysed(Analysed::Always)
    .width(9),
    Field::<Agency>::new(
        "on_costs.ni_threshold",
        "NI threshold",
        "Employer NI secondary threshold",
        "Your own employer NI secondary threshold, £ a year.",
        Kind::Number(Unit::GbpPerYear),
        |a| a.on_costs.ni_threshold.map(money),
        |a, v| a.on_costs.ni_threshold = v.number().map(MoneyIn),
    )
    .blank("the HMRC threshold")
    .check(Check::Amount)
    .analysed(Analysed::Always)
    .width(12),
    Field::<Agency>::new(
        "on_costs.levy_rate",
        "Levy rate",
        "Apprenticeship levy rate",
        "Your own apprenticeship levy rate, percent.",
        Kind::Number(Unit::Percent),
        |a| a.on_costs.levy_rate.and_then(num),
        |a, v| a.on_costs.levy_rate = v.number(),
    )
    .blank("the published rate")
    .check(Check::Percent)
    .analysed(Analysed::When(|s| s.agency.on_costs.apprenticeship_levy))
    .width(9),
    Field::<Agency>::new(
        "activity.approvals",
        "Approvals",
        "Adopter households approved a year",
        "Adopter households approved in the year (more than 0).",
        Kind::Number(Unit::Count),
        |a| num(a.activity.approvals),
        |a, v| a.activity.approvals = v.number().unwrap_or_default(),
    )
    .required()
    .check(Check::Within(DIVISOR, "approvals a year (it divides a cost)"))
    .analysed(Analysed::Always),
    Field::<Agency>::new(
        "activity.matches_own",
        "Matches own",
        "Matches with the agency's own children",
        "Approved households matched with the agency's own children in the year.",
        Kind::Number(Unit::Count),
        |a| num(a.activity.matches_own),
        |a, v| a.activity.matches_own = v.number().unwrap_or_default(),
    )
    .required()
    .check(Check::Count("matches"))
    .analysed(Analysed::Always),
    Field::<Agency>::new(
        "activity.sales",
        "Sales",
        "Sales: matches with other agencies' children",
        "Approved households matched with other agencies' children in the year (they earn fee income).",
        Kind::Number(Unit::Count),
        |a| num(a.activity.sales),
        |a, v| a.activity.sales = v.number().unwrap_or_default(),
    )
    .blank("0")
    .check(Check::Count("sales"))
    .analysed(Analysed::Always)
    .width(8),
    Field::<Agency>::new(
        "activity.supported_placements",
        "Supported placements",
        "Households supported to the order",
        "Households in stage C (support to the order) during the year.",
        Kind::Number(Unit::Count),
        |a| a.activity.supported_placements.and_then(num),
        |a, v| a.activity.supported_placements = v.number(),
    )
    .blank("own matches + sales")
    .check(Check::Within(DIVISOR, "households supported (it divides a cost)"))
    .analysed(Analysed::Always)
    .width(12),
    Field::<Agency>::new(
        "activity.children_placed",
        "Children placed",
        "Children placed",
        "Children placed in the year, counting each child of a sibling group. Shown only.",
        Kind::Number(Unit::Count),
        |a| a.activity.children_placed.and_then(num),
        |a, v| a.activity.children_placed = v.number(),
    )
    .check(Check::Count("children")),
    Field::<Agency>::new(
        "activity.utilisation",
        "Utilisation",
        "Utilisation",
        "Percent of approved households ever matched.",
        Kind::Number(Unit::Percent),
        |a| a.activity.utilisation.and_then(num),
        |a, v| a.activity.utilisation = v.number(),
    )
    .blank("100%")
    .check(Check::Within(UTILISATION, "a share of approved households ever matched (it divides a cost)"))
    .analysed(Analysed::Always),
    Field::<Agency>::new(
        "activity.fee_income_per_sale",
        "Fee income per sale",
        "Fee income per sale",
        "The fee earned per sale, £.",
        Kind::Number(Unit::Gbp),
        |a| a.activity.fee_income_per_sale.map(money),
        |a, v| a.activity.fee_income_per_sale = v.number().map(MoneyIn),
    )
    .blank("the schedule's fee for the agency's own provider type")
    .check(Check::Amount)
    .width(12),
    Field::<Agency>::new(
        "activity.sibling_uplift",
        "Sibling uplift",
        "Sibling uplift per additional child (stages B and C)",
        "What each child of a sibling group beyond the first adds to matching and support, in percent of a household's cost of them.",
        Kind::Number(Unit::Percent),
        |a| a.activity.sibling_uplift.and_then(num),
        |a, v| a.activity.sibling_uplift = v.number(),
    )
    .blank("0%: a group costs as one household")
    .check(Check::Percent)
    .analysed(Analysed::IfGiven)
    .width(11),
    Field::<Agency>::new(
        "illustrative",
        "Illustrative",
        "These are made-up figures",
        "The figures are made up: every output then says so.",
        Kind::YesNo,
        |a| Some(Value::Yes(a.illustrative)),
        |a, v| a.illustrative = v.yes().unwrap_or(false),
    )
    .blank("no")
    .width(11),
];

/// A line's shares by stage, in the workbook's order.
pub static SHARES: [Field<Shares>; 4] = [
    Field::<Shares>::new(
        "a",
        "Share A",
        "A: approval",
        "Percent of this line on A, approval (recruitment to approval). A, B, C and other sum to 100%.",
        Kind::Number(Unit::Percent),
        |s| num(s.a),
        |s, v| s.a = v.number().unwrap_or_default(),
    )
    .check(Check::Percent),
    Field::<Shares>::new(
        "b",
        "Share B",
        "B: matching",
        "Percent of this line on B, matching (family finding to placement).",
        Kind::Number(Unit::Percent),
        |s| num(s.b),
        |s, v| s.b = v.number().unwrap_or_default(),
    )
    .check(Check::Percent),
    Field::<Shares>::new(
        "c",
        "Share C",
        "C: support to the order",
        "Percent of this line on C, support to the adoption order.",
        Kind::Number(Unit::Percent),
        |s| num(s.c),
        |s, v| s.c = v.number().unwrap_or_default(),
    )
    .check(Check::Percent),
    Field::<Shares>::new(
        "other",
        "Share other",
        "Other work",
        "Percent of this line on other work, outside the fee's scope (support after the order, and so on).",
        Kind::Number(Unit::Percent),
        |s| num(s.other),
        |s, v| s.other = v.number().unwrap_or_default(),
    )
    .check(Check::Percent)
    .width(11),
];

const fn notes<T>(get: fn(&T) -> Option<Value>, set: fn(&mut T, &Value)) -> Field<T> {
    Field::new(
        "notes",
        "Notes",
        "Notes",
        "Anything you want to record about this row. Not used in the costing.",
        Kind::Text,
        get,
        set,
    )
    .width(40)
}

const fn label<T>(example: &'static str, get: fn(&T) -> Option<Value>, set: fn(&mut T, &Value)) -> Field<T> {
    Field::new("label", "Label", "What it is", example, Kind::Text, get, set).required().width(34)
}

/// A staff line's fields (its shares: [`SHARES`]).
pub static STAFF: [Field<StaffLine>; 5] = [
    Field::<StaffLine>::new(
        "role",
        "Role",
        "Role",
        "The role, such as Senior social worker.",
        Kind::Text,
        |l| Some(Value::Text(l.role.clone())),
        |l, v| l.role = v.text().unwrap_or_default().to_string(),
    )
    .required()
    .width(34),
    Field::<StaffLine>::new(
        "fte",
        "FTE",
        "FTE",
        "Full-time equivalents on this line.",
        Kind::Number(Unit::Fte),
        |l| num(l.fte),
        |l, v| l.fte = v.number().unwrap_or_default(),
    )
    .required()
    .check(Check::Count("FTE"))
    .analysed(Analysed::Always)
    .width(7),
    Field::<StaffLine>::new(
        "salary",
        "Salary",
        "Salary per FTE",
        "Annual gross salary per FTE, £ (before employer on-costs).",
        Kind::Number(Unit::GbpPerYear),
        |l| Some(money(l.salary)),
        |l, v| l.salary = MoneyIn(v.number().unwrap_or_default()),
    )
    .required()
    .check(Check::Amount)
    .analysed(Analysed::Always)
    .width(12),
    Field::<StaffLine>::new(
        "variable",
        "Variable",
        "Paid by the case",
        "Yes where these staff are paid by the case (sessional assessors, agency social workers): their cost then counts in the marginal cost. Blank or no for staff on the payroll.",
        Kind::YesNo,
        |l| Some(Value::Yes(l.variable)),
        |l, v| l.variable = v.yes().unwrap_or(false),
    )
    .width(9),
    notes(|l| Some(Value::Text(l.notes.clone())), |l, v| l.notes = v.text().unwrap_or_default().into()),
];

/// A direct non-staff line's fields (its shares: [`SHARES`]).
pub static DIRECT: [Field<DirectLine>; 4] = [
    label(
        "What the cost is, such as Adult medicals.",
        |l| Some(Value::Text(l.label.clone())),
        |l, v| l.label = v.text().unwrap_or_default().into(),
    ),
    Field::<DirectLine>::new(
        "amount",
        "Amount",
        "Amount",
        "The year's amount, £.",
        Kind::Number(Unit::Gbp),
        |l| Some(money(l.amount)),
        |l, v| l.amount = MoneyIn(v.number().unwrap_or_default()),
    )
    .required()
    .check(Check::Amount)
    .analysed(Analysed::Always)
    .width(12),
    Field::<DirectLine>::new(
        "variable",
        "Variable",
        "Grows with cases",
        "The cost grows with cases (a medical, a panel fee) rather than being fixed for the year.",
        Kind::YesNo,
        |l| Some(Value::Yes(l.variable)),
        |l, v| l.variable = v.yes().unwrap_or(false),
    )
    .required()
    .width(9),
    notes(|l| Some(Value::Text(l.notes.clone())), |l, v| l.notes = v.text().unwrap_or_default().into()),
];

/// An office, regulation or capital line's fields (its own shares, where it has them:
/// [`SHARES`]).
pub static OVERHEAD: [Field<OverheadLine>; 5] = [
    label(
        "What the cost is, such as Rent and rates.",
        |l| Some(Value::Text(l.label.clone())),
        |l, v| l.label = v.text().unwrap_or_default().into(),
    ),
    Field::<OverheadLine>::new(
        "amount",
        "Amount",
        "Amount",
        "The year's amount, £. Give this or Per FTE.",
        Kind::Number(Unit::Gbp),
        |l| l.amount.map(money),
        |l, v| l.amount = v.number().map(MoneyIn),
    )
    .check(Check::Amount)
    .analysed(Analysed::IfGiven)
    .width(12),
    Field::<OverheadLine>::new(
        "per_fte",
        "Per FTE",
        "Or per FTE",
        "An amount per FTE of the staff lines, £. Give this or Amount.",
        Kind::Number(Unit::GbpPerFte),
        |l| l.per_fte.map(money),
        |l, v| l.per_fte = v.number().map(MoneyIn),
    )
    .check(Check::Amount)
    .analysed(Analysed::IfGiven),
    Field::<OverheadLine>::new(
        "reference",
        "Published fee",
        "Or a published fee",
        "For a regulation line: an Ofsted fee from the reference data, as it stands at the start of the price year, instead of Amount.",
        Kind::List(REGULATION_FEES),
        |l| l.reference.clone().map(Value::Text),
        |l, v| l.reference = v.text().map(str::to_string),
    )
    .width(22),
    notes(|l| Some(Value::Text(l.notes.clone())), |l, v| l.notes = v.text().unwrap_or_default().into()),
];

/// The published fees a regulation line can take as its amount: the ids of reference figures
/// (`core/reference/regulation.toml`).
pub const REGULATION_FEES: &[Choice] = &[
    Choice { id: "ofsted.vaa.annual", name: "Ofsted VAA annual fee", also: &[] },
    Choice { id: "ofsted.vaa.registration", name: "Ofsted VAA registration", also: &[] },
    Choice { id: "ofsted.vaa.small_registration", name: "Ofsted small branch registration", also: &[] },
    Choice { id: "ofsted.vaa.minor_variation", name: "Ofsted minor variation", also: &[] },
];

/// The published fees a regulation line can name, in words for an error.
fn regulation_fee_words() -> String {
    let ids: Vec<&str> = REGULATION_FEES.iter().map(|c| c.id).collect();
    format!("one of {}", ids.join(", "))
}

impl OverheadLine {
    /// The reference id of the published fee the line takes, where it names one of
    /// [`REGULATION_FEES`] (by id or name).
    pub fn regulation_fee(&self) -> Option<&'static str> {
        self.reference.as_deref().and_then(|r| super::schema::choose(REGULATION_FEES, r))
    }
}

/// A back-office line's fields.
pub static BACK_OFFICE: [Field<BackOfficeLine>; 4] = [
    label(
        "What the cost is, such as Corporate recharge.",
        |l| Some(Value::Text(l.label.clone())),
        |l, v| l.label = v.text().unwrap_or_default().into(),
    ),
    Field::<BackOfficeLine>::new(
        "amount",
        "Amount",
        "Amount",
        "The year's amount, £. Give this or Recharge.",
        Kind::Number(Unit::Gbp),
        |l| l.amount.map(money),
        |l, v| l.amount = v.number().map(MoneyIn),
    )
    .check(Check::Amount)
    .analysed(Analysed::IfGiven)
    .width(12),
    Field::<BackOfficeLine>::new(
        "recharge",
        "Recharge",
        "Or recharge",
        "A recharge as a percentage of direct cost (staff + direct non-staff + office + regulation).",
        Kind::Number(Unit::Percent),
        |l| l.recharge.and_then(num),
        |l, v| l.recharge = v.number(),
    )
    .check(Check::Percent)
    .analysed(Analysed::IfGiven),
    notes(|l| Some(Value::Text(l.notes.clone())), |l, v| l.notes = v.text().unwrap_or_default().into()),
];
