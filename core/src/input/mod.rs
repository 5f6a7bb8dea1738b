//! The inputs of a comparison: an agency's cost base, a child or sibling group, and the route.
//!
//! These are plain data with public fields, read from TOML or JSON ([`Agency::from_text`],
//! [`Scenario::from_text`]), from a workbook, or from a form. Unknown keys are rejected. Money is
//! written in pounds (`38500`, `"38,500.00"`); rates, shares and probabilities are written in
//! percent (`18.5` or `"18.5%"` both mean 18.5%). [`Agency::validate`] checks the rules of the
//! method and names the field of the first one broken.
//!
//! Each input remembers where it came from ([`Provenance`]) so an explanation can cite it: a
//! file, a form, or the workbook cell of each field.

mod ranges;

pub use ranges::{Distribution, Range};

use std::collections::BTreeMap;
use std::fmt::Display;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::money::{FinancialYear, Money, Percent};
use crate::quantity::Origin;
use crate::text::{TextFormat, from_text};

/// The largest amount any single input may hold: £10bn. Far above any agency's budget, and low
/// enough that no product in the model can overflow a `Decimal`.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(1410065408, 2, 0, false, 0); // 10_000_000_000
/// The largest FTE, volume or count any input may hold.
pub const MAX_COUNT: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 0);

/// A UK nation: fees are set nation by nation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nation {
    /// England.
    England,
    /// Wales.
    Wales,
    /// Scotland.
    Scotland,
    /// Northern Ireland.
    NorthernIreland,
}

impl Nation {
    /// All nations, in the order they are listed.
    pub const ALL: [Nation; 4] = [Nation::England, Nation::Wales, Nation::Scotland, Nation::NorthernIreland];

    /// The id used in reference parameters and inputs (`northern_ireland`).
    pub fn id(self) -> &'static str {
        match self {
            Nation::England => "england",
            Nation::Wales => "wales",
            Nation::Scotland => "scotland",
            Nation::NorthernIreland => "northern_ireland",
        }
    }

    /// The name (`Northern Ireland`).
    pub fn name(self) -> &'static str {
        match self {
            Nation::England => "England",
            Nation::Wales => "Wales",
            Nation::Scotland => "Scotland",
            Nation::NorthernIreland => "Northern Ireland",
        }
    }

    /// Parses an id or a name, in any case.
    pub fn parse(text: &str) -> Option<Nation> {
        let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Nation::ALL.into_iter().find(|n| n.id() == t)
    }
}

/// The kind of agency that approved the adopters (and so sets the fee).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// A voluntary adoption agency.
    Vaa,
    /// A council or a regional adoption agency.
    La,
}

impl Provider {
    /// The id used in reference parameters (`vaa`, `la`).
    pub fn id(self) -> &'static str {
        match self {
            Provider::Vaa => "vaa",
            Provider::La => "la",
        }
    }

    /// The name (`VAA`, `LA/RAA`).
    pub fn name(self) -> &'static str {
        match self {
            Provider::Vaa => "VAA",
            Provider::La => "LA/RAA",
        }
    }

    /// Parses `vaa`, `la`, `raa`, `la/raa`, in any case.
    pub fn parse(text: &str) -> Option<Provider> {
        match text.trim().to_ascii_lowercase().as_str() {
            "vaa" => Some(Provider::Vaa),
            "la" | "raa" | "la/raa" | "council" => Some(Provider::La),
            _ => None,
        }
    }
}

/// The kind of agency whose cost base is modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// A regional adoption agency.
    Raa,
    /// A council's own adoption service.
    La,
    /// A voluntary adoption agency.
    Vaa,
}

impl AgencyKind {
    /// The provider type the agency's own sales are charged at.
    pub fn provider(self) -> Provider {
        match self {
            AgencyKind::Vaa => Provider::Vaa,
            AgencyKind::Raa | AgencyKind::La => Provider::La,
        }
    }
}

/// A criterion of a contribution scheme (COSTING.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Aged 5 or over.
    #[serde(rename = "aged_5_or_over")]
    Aged5OrOver,
    /// Disabled.
    Disabled,
    /// Placed with one or more siblings.
    SiblingGroup,
    /// From a Black or minority ethnic background.
    MinorityEthnic,
    /// Waiting more than 18 months.
    #[serde(rename = "waiting_over_18_months")]
    WaitingOver18Months,
}

impl Criterion {
    /// In words.
    pub fn describe(self) -> &'static str {
        match self {
            Criterion::Aged5OrOver => "aged 5 or over",
            Criterion::Disabled => "disabled",
            Criterion::SiblingGroup => "placed with one or more siblings",
            Criterion::MinorityEthnic => "from a Black or minority ethnic background",
            Criterion::WaitingOver18Months => "waiting more than 18 months",
        }
    }
}

/// How each line's time or cost splits across the stages, in percent; the four sum to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shares {
    /// A. approval.
    #[serde(default, deserialize_with = "crate::text::percent")]
    pub a: Decimal,
    /// B. matching.
    #[serde(default, deserialize_with = "crate::text::percent")]
    pub b: Decimal,
    /// C. support to the order.
    #[serde(default, deserialize_with = "crate::text::percent")]
    pub c: Decimal,
    /// Other work of the service, outside the fee's scope.
    #[serde(default, deserialize_with = "crate::text::percent")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffLine {
    /// The role (`Senior social worker`).
    pub role: String,
    /// Full-time equivalents on the line.
    #[serde(deserialize_with = "crate::text::decimal")]
    pub fte: Decimal,
    /// Annual gross salary per FTE, in pounds.
    pub salary: MoneyIn,
    /// Share of the line's time on each stage.
    pub shares: Shares,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// A direct non-staff line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// An overhead line (office running, regulation, capital): an amount or an amount per FTE,
/// allocated by the FTE key unless it gives its own shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverheadLine {
    /// What it is (`Rent and rates`).
    pub label: String,
    /// The year's amount, in pounds, or
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyIn>,
    /// an amount per FTE of the staff lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_fte: Option<MoneyIn>,
    /// Its own shares by stage, instead of the FTE key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<Shares>,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// A back-office (indirect overhead) line: an amount, or a percentage recharge on direct cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackOfficeLine {
    /// What it is (`Finance, HR and payroll`).
    pub label: String,
    /// The year's amount, in pounds, or
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyIn>,
    /// a recharge in percent of direct cost (staff, direct non-staff, office, regulation).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_percent")]
    pub recharge: Option<Decimal>,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// Employer on-costs of the staff lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnCosts {
    /// The employer's pension contribution rate, in percent of salary. There is no national
    /// default: it must be given.
    #[serde(deserialize_with = "crate::text::percent")]
    pub pension_rate: Decimal,
    /// True where the employer pays the apprenticeship levy (pay bill over £3m).
    pub apprenticeship_levy: bool,
    /// Overrides the reference employer NI rate (percent).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_percent")]
    pub ni_rate: Option<Decimal>,
    /// Overrides the reference employer NI secondary threshold (pounds a year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ni_threshold: Option<MoneyIn>,
    /// Overrides the reference apprenticeship levy rate (percent).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_percent")]
    pub levy_rate: Option<Decimal>,
    /// The date whose NI rules apply; by default 6 April in the price year (the tax year that
    /// covers all but five days of the financial year).
    #[serde(with = "crate::text::opt_date", default, skip_serializing_if = "Option::is_none")]
    pub ni_date: Option<Date>,
}

impl OnCosts {
    /// The date whose NI rules apply: the given one, or 6 April in the price year.
    pub fn ni_date_in(&self, year: FinancialYear) -> Date {
        self.ni_date.unwrap_or_else(|| jiff::civil::date(year.0, 4, 6))
    }
}

/// The year's activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Adopter households approved.
    #[serde(deserialize_with = "crate::text::decimal")]
    pub approvals: Decimal,
    /// Approved households matched with the agency's own children.
    #[serde(deserialize_with = "crate::text::decimal")]
    pub matches_own: Decimal,
    /// Approved households matched with other agencies' children (sales, which earn fee income).
    #[serde(default, deserialize_with = "crate::text::decimal")]
    pub sales: Decimal,
    /// Households in stage C during the year; by default all matches.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_decimal")]
    pub supported_placements: Option<Decimal>,
    /// Children placed, counting each child of a sibling group.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_decimal")]
    pub children_placed: Option<Decimal>,
    /// Share of approved households that are ever matched, in percent; by default 100.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_percent")]
    pub utilisation: Option<Decimal>,
    /// Fee income per sale; by default the schedule's fee for the agency's own provider type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_income_per_sale: Option<MoneyIn>,
}

/// An amount of money as read from an input: pounds, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MoneyIn(#[serde(deserialize_with = "crate::text::decimal")] pub Decimal);

impl MoneyIn {
    /// As money.
    pub fn money(self) -> Money {
        Money(self.0)
    }
}

/// Overrides an agency may hold for its comparisons.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyOverrides {
    /// The schedule fee to use instead of the reference figure (before any London weighting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<MoneyIn>,
    /// The monthly fee after 12 months to use instead of the reference figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_fee: Option<MoneyIn>,
}

/// Where an input came from, so explanations can cite each field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The input as a whole (`agency file acme.toml`, `the example agency (embedded)`).
    pub source: String,
    /// Where particular fields are (`staff[2].salary` → `Staff!D7`), for workbook inputs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// For a row of a sheet: the row and its sheet's columns, shared by every row of the sheet
    /// (a field not in `fields` is looked up here). Saves a map per row in a large workbook.
    #[serde(skip)]
    pub row: Option<SheetRow>,
}

/// One row of a sheet whose columns hold known fields.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    /// The sheet's columns, shared by its rows.
    pub columns: std::sync::Arc<SheetColumns>,
    /// The row as Excel numbers it (1-based).
    pub row: u32,
}

/// Which column of a sheet holds which field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SheetColumns {
    /// The sheet's name as a formula would write it (quoted where it has spaces).
    pub sheet: String,
    /// Field path → column letters (`child.age` → `D`).
    pub columns: BTreeMap<String, String>,
}

impl Provenance {
    /// A provenance naming only the input as a whole.
    pub fn named(source: impl Into<String>) -> Provenance {
        Provenance { source: source.into(), fields: BTreeMap::new(), row: None }
    }

    /// The cell or flag that holds a field (`Staff!D7`, `--fee`), where known. A field made of
    /// several (a line's `shares`, a `contribution`) is the cells of its parts (`Staff!E3:H3`,
    /// or `Children!X5, Children!Y5` where they are not side by side).
    pub fn location(&self, field: &str) -> Option<String> {
        if let Some(at) = self.fields.get(field) {
            return Some(at.clone());
        }
        if let Some(r) = self.row.as_ref()
            && let Some(letters) = r.columns.columns.get(field)
        {
            return Some(format!("{}!{letters}{}", r.columns.sheet, r.row));
        }
        let prefix = format!("{field}.");
        let mut parts: Vec<String> = self
            .fields
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v.clone())
            .collect();
        if let Some(r) = self.row.as_ref() {
            for (k, letters) in &r.columns.columns {
                if k.starts_with(&prefix) {
                    parts.push(format!("{}!{letters}{}", r.columns.sheet, r.row));
                }
            }
        }
        parts.sort_by_key(|cell| cell_order(cell));
        match parts.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            [first, .., last] if same_row(first, last) && parts.len() == columns_between(first, last) => {
                Some(format!("{first}:{}", last.rsplit_once('!').map_or(last.as_str(), |(_, c)| c)))
            }
            _ => Some(parts.join(", ")),
        }
    }

    /// The origin of one field.
    pub fn origin(&self, field: &str) -> Origin {
        let location = self.location(field).unwrap_or_else(|| self.source.clone());
        Origin::Input { field: field.to_string(), location }
    }

    /// The field's path followed by its location, for error messages.
    pub fn place(&self, field: &str) -> String {
        match self.location(field) {
            Some(cell) => format!("{field} ({cell})"),
            None => field.to_string(),
        }
    }
}

/// A cell reference's sheet, row and column, for putting cells in order (`Staff!E3`).
fn cell_order(cell: &str) -> (String, u32, u32) {
    let (sheet, a1) = cell.rsplit_once('!').unwrap_or(("", cell));
    let letters: String = a1.chars().take_while(char::is_ascii_alphabetic).collect();
    let row = a1[letters.len()..].parse().unwrap_or(0);
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    (sheet.to_string(), row, col)
}

fn same_row(a: &str, b: &str) -> bool {
    let (x, y) = (cell_order(a), cell_order(b));
    x.0 == y.0 && x.1 == y.1
}

fn columns_between(a: &str, b: &str) -> usize {
    (cell_order(b).2.saturating_sub(cell_order(a).2) + 1) as usize
}

/// One agency's cost base for one financial year (COSTING.md §3–4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// The agency's name.
    pub name: String,
    /// A short code identifying the agency in a multi-agency workbook.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// RAA, council or VAA.
    pub kind: AgencyKind,
    /// The nation the agency is in.
    pub nation: Nation,
    /// True where the agency is in London (its sales carry the London weighting).
    #[serde(default)]
    pub london: bool,
    /// The financial year of the cost base: its amounts are in this year's prices.
    pub price_year: FinancialYear,
    /// Productive hours a year of one FTE, for the full hourly cost of each role.
    #[serde(deserialize_with = "crate::text::decimal")]
    pub productive_hours: Decimal,
    /// True for a made-up agency, so every output says it is illustrative.
    #[serde(default)]
    pub illustrative: bool,
    /// Employer on-costs.
    pub on_costs: OnCosts,
    /// Staff lines.
    #[serde(default)]
    pub staff: Vec<StaffLine>,
    /// Direct non-staff lines.
    #[serde(default)]
    pub direct: Vec<DirectLine>,
    /// Office running: accommodation, IT and phones, supplies.
    #[serde(default)]
    pub office: Vec<OverheadLine>,
    /// Regulation: Ofsted fees, inspection preparation and hosting.
    #[serde(default)]
    pub regulation: Vec<OverheadLine>,
    /// Back office: finance, HR, payroll, IT support, legal, audit, insurance, management.
    #[serde(default)]
    pub back_office: Vec<BackOfficeLine>,
    /// Capital: the annual equivalent cost of buildings and equipment.
    #[serde(default)]
    pub capital: Vec<OverheadLine>,
    /// The year's activity.
    pub activity: Activity,
    /// Overrides of reference figures for this agency's comparisons.
    #[serde(default, skip_serializing_if = "is_default")]
    pub overrides: AgencyOverrides,
    /// Where the input came from (not part of the file format).
    #[serde(skip)]
    pub provenance: Provenance,
}

fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

/// A child or a sibling group to be placed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    /// A reference for the child or group (never a name: no personal data is needed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
    /// Children in the group.
    #[serde(default = "one")]
    pub children: u32,
    /// Age in years of the youngest child, where known (for eligibility).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Disabled (eligibility).
    #[serde(default)]
    pub disabled: bool,
    /// From a Black or minority ethnic background (eligibility).
    #[serde(default)]
    pub minority_ethnic: bool,
    /// Waiting more than 18 months from entering care (eligibility).
    #[serde(default)]
    pub waiting_over_18_months: bool,
    /// Weekly cost of each child's current placement, in pounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_care_cost: Option<MoneyIn>,
    /// Or the group's own weekly cost, in pounds (used instead of the per-child cost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_weekly_care_cost: Option<MoneyIn>,
}

fn one() -> u32 {
    1
}

/// A contribution the user enters instead of a reference scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionIn {
    /// A share of the placement fee, in percent, or
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_percent")]
    pub share: Option<Decimal>,
    /// a fixed amount in pounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyIn>,
}

/// The routes to compare for the child.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The external adopters' agency type; by default a VAA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// The nation whose fee schedule applies; by default the agency's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nation: Option<Nation>,
    /// True where the external adopters' agency is in London.
    #[serde(default)]
    pub london: bool,
    /// The date the child moves in; it decides the fee year. By default the latest fee year the
    /// reference data covers.
    #[serde(with = "crate::text::opt_date", default, skip_serializing_if = "Option::is_none")]
    pub placement_date: Option<Date>,
    /// Expected weeks from placement order to match in-house.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_decimal")]
    pub weeks_in_house: Option<Decimal>,
    /// Expected weeks from placement order to match externally.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_decimal")]
    pub weeks_external: Option<Decimal>,
    /// Sequential search: weeks spent searching in-house first.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_decimal")]
    pub search_weeks: Option<Decimal>,
    /// Sequential search: probability (percent) the in-house search succeeds.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_percent")]
    pub success_probability: Option<Decimal>,
    /// Costs the child's own council bears in either route (shown, added to both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_costs: Option<MoneyIn>,
    /// The schedule fee to use instead of the reference figure (before London weighting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<MoneyIn>,
    /// The monthly fee after 12 months without an order, instead of the reference figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_fee: Option<MoneyIn>,
    /// Expected months in placement beyond 12 without an adoption order; by default 0.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_decimal")]
    pub months_beyond_12: Option<Decimal>,
    /// A contribution to use instead of the reference schemes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution: Option<ContributionIn>,
}

/// A price index the user names (CPIH, say), to bring amounts of different price years to the
/// fee year's prices (COSTING.md §8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceIndex {
    /// The index's name, shown in every restated figure (`CPIH`).
    pub name: String,
    /// The index's value for each financial year (`"2025/26" = 134.2`).
    pub values: BTreeMap<FinancialYear, IndexValue>,
}

/// One value of a price index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IndexValue(#[serde(deserialize_with = "crate::text::decimal")] pub Decimal);

/// A fee the user supplies for a schedule and fee year: used where the reference data has no
/// amount (a sibling band not published for 2025/26, a year after the last one covered), or to
/// replace one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeOverride {
    /// The nation of the schedule.
    pub nation: Nation,
    /// The provider type.
    pub provider: Provider,
    /// Children in the group.
    pub children: u32,
    /// The fee year.
    pub year: FinancialYear,
    /// The schedule amount (before any London weighting).
    pub amount: MoneyIn,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Where the amount came from (a workbook cell), for explanations.
    #[serde(skip)]
    pub location: String,
}

/// A child and route, read together from a scenario file; the file may also hold the agency's
/// cost base (as the browser calculator exports it), so one file is the whole scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildAndRoute {
    /// The agency's cost base, where the scenario file carries it (the format of an agency
    /// file, as a table `agency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<Box<Agency>>,
    /// The child or sibling group.
    pub child: Child,
    /// The routes.
    #[serde(default)]
    pub route: Route,
    /// A price index to restate amounts of other price years in the fee year's prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_index: Option<PriceIndex>,
    /// Fees for schedules and years the reference data does not hold, or to replace its.
    #[serde(default, rename = "fee_override", skip_serializing_if = "Vec::is_empty")]
    pub fee_overrides: Vec<FeeOverride>,
    /// Ranges (low, most likely, high) for inputs, for the Monte Carlo run
    /// (`adoptcost simulate`); a comparison does not use them.
    #[serde(default, rename = "range", skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
}

/// Everything one comparison needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// The agency's cost base.
    pub agency: Agency,
    /// The child or sibling group.
    pub child: Child,
    /// The routes.
    pub route: Route,
    /// A price index to restate amounts of other price years in the fee year's prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_index: Option<PriceIndex>,
    /// Fees for schedules and years the reference data does not hold, or to replace its.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fee_overrides: Vec<FeeOverride>,
    /// Ranges for inputs, for the Monte Carlo run; a comparison does not use them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Where the child and route inputs came from.
    #[serde(skip)]
    pub provenance: Provenance,
}

/// One child and route against an agency, borrowed: what the fee and the routes need. A batch
/// costs many cases against one costed agency without copying it.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    /// The agency whose in-house cost is compared.
    pub agency: &'a Agency,
    /// The child or sibling group.
    pub child: &'a Child,
    /// The routes.
    pub route: &'a Route,
    /// A price index, where named.
    pub price_index: Option<&'a PriceIndex>,
    /// Fees the user supplies for schedules and years.
    pub fee_overrides: &'a [FeeOverride],
    /// Where the child and route inputs came from.
    pub provenance: &'a Provenance,
}

impl Agency {
    /// Reads an agency from TOML or JSON text. `source` names it in explanations.
    pub fn from_text(text: &str, format: TextFormat, source: &str) -> Result<Agency> {
        let mut agency: Agency = from_text(text, format)?;
        agency.provenance = Provenance::named(source);
        Ok(agency)
    }

    /// Total FTE of all staff lines.
    pub fn total_fte(&self) -> Decimal {
        self.staff.iter().map(|s| s.fte).sum()
    }

    /// Matches in the year: with own children plus sales.
    pub fn matches(&self) -> Decimal {
        self.activity.matches_own + self.activity.sales
    }

    /// Notes on rates whose value reads two ways (see [`ambiguous_rate`]): costed as read, with
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
        ];
        for (i, b) in self.back_office.iter().enumerate() {
            rates.push((format!("back_office[{}].recharge", i + 1), b.recharge, Odd::Both));
        }
        rates.into_iter().filter_map(|(f, v, odd)| ambiguous_rate(p, &f, v?, odd)).collect()
    }

    /// Checks every rule of the method the inputs must meet, naming the first field that breaks
    /// one.
    pub fn validate(&self) -> Result<()> {
        let p = &self.provenance;
        let place = |f: &str| p.place(f);
        if self.name.trim().is_empty() {
            return Err(Error::invalid(place("name"), "empty", "the agency's name"));
        }
        within(&place("productive_hours"), self.productive_hours, HOURS, "productive hours a year per FTE")?;
        percent_range(place("on_costs.pension_rate"), self.on_costs.pension_rate)?;
        if let Some(r) = self.on_costs.ni_rate {
            percent_range(place("on_costs.ni_rate"), r)?;
        }
        if let Some(t) = self.on_costs.ni_threshold {
            amount(place("on_costs.ni_threshold"), t.0)?;
        }
        if let Some(r) = self.on_costs.levy_rate {
            percent_range(place("on_costs.levy_rate"), r)?;
        }
        for (i, s) in self.staff.iter().enumerate() {
            let f = |k: &str| place(&format!("staff[{}].{k}", i + 1));
            count(f("fte"), s.fte, "FTE")?;
            amount(f("salary"), s.salary.0)?;
            shares(&f("shares"), &s.shares)?;
        }
        for (i, d) in self.direct.iter().enumerate() {
            let f = |k: &str| place(&format!("direct[{}].{k}", i + 1));
            amount(f("amount"), d.amount.0)?;
            shares(&f("shares"), &d.shares)?;
        }
        let total_fte = self.total_fte();
        for (group, lines) in
            [("office", &self.office), ("regulation", &self.regulation), ("capital", &self.capital)]
        {
            for (i, l) in lines.iter().enumerate() {
                let f = |k: &str| place(&format!("{group}[{}].{k}", i + 1));
                match (l.amount, l.per_fte) {
                    (Some(a), None) => amount(f("amount"), a.0)?,
                    (None, Some(a)) => amount(f("per_fte"), a.0)?,
                    (Some(_), Some(_)) => {
                        return Err(Error::invalid(
                            f("amount"),
                            "both an amount and an amount per FTE",
                            "one of them",
                        ));
                    }
                    (None, None) => {
                        return Err(Error::invalid(
                            f("amount"),
                            "neither an amount nor an amount per FTE",
                            "one of them",
                        ));
                    }
                }
                match &l.shares {
                    Some(s) => shares(&f("shares"), s)?,
                    None if total_fte.is_zero() => {
                        return Err(Error::invalid(
                            f("shares"),
                            "no shares, and the staff lines have no FTE to allocate by",
                            "the line's own shares, or staff lines with FTE",
                        ));
                    }
                    None => {}
                }
            }
        }
        for (i, b) in self.back_office.iter().enumerate() {
            let f = |k: &str| place(&format!("back_office[{}].{k}", i + 1));
            match (b.amount, b.recharge) {
                (Some(a), None) => amount(f("amount"), a.0)?,
                (None, Some(r)) => percent_range(f("recharge"), r)?,
                (Some(_), Some(_)) => {
                    return Err(Error::invalid(
                        f("amount"),
                        "both an amount and a recharge rate",
                        "one of them",
                    ));
                }
                (None, None) => {
                    return Err(Error::invalid(
                        f("amount"),
                        "neither an amount nor a recharge rate",
                        "one of them",
                    ));
                }
            }
        }
        let a = &self.activity;
        within(&place("activity.approvals"), a.approvals, DIVISOR, "approvals a year (it divides a cost)")?;
        count(place("activity.matches_own"), a.matches_own, "matches")?;
        count(place("activity.sales"), a.sales, "sales")?;
        if self.matches() <= Decimal::ZERO {
            return Err(Error::invalid(
                place("activity.matches_own"),
                "no matches in the year (own matches and sales are both 0)",
                "at least one match, to divide stage B by",
            ));
        }
        if self.matches() < DIVISOR.0 {
            return Err(Error::invalid(
                place("activity.matches_own"),
                format!("{} matches in all (own and sales)", self.matches().normalize()),
                format!("at least {} match, to divide stage B by", DIVISOR.0),
            ));
        }
        if let Some(s) = a.supported_placements {
            within(
                &place("activity.supported_placements"),
                s,
                DIVISOR,
                "households supported (it divides a cost)",
            )?;
        }
        if let Some(c) = a.children_placed {
            count(place("activity.children_placed"), c, "children")?;
        }
        if let Some(u) = a.utilisation
            && !(u >= Decimal::ONE && u <= Decimal::ONE_HUNDRED)
        {
            return Err(Error::invalid(
                place("activity.utilisation"),
                format!("{}%", u.normalize()),
                "a share from 1% to 100% (a share of approved households ever matched; it divides a cost)",
            ));
        }
        if let Some(f) = a.fee_income_per_sale {
            amount(place("activity.fee_income_per_sale"), f.0)?;
        }
        if let Some(f) = self.overrides.fee {
            amount(place("overrides.fee"), f.0)?;
        }
        if let Some(f) = self.overrides.monthly_fee {
            amount(place("overrides.monthly_fee"), f.0)?;
        }
        Ok(())
    }
}

impl Scenario {
    /// Reads a child and route from TOML or JSON text, for this agency.
    pub fn from_text(agency: Agency, text: &str, format: TextFormat, source: &str) -> Result<Scenario> {
        let cr: ChildAndRoute = from_text(text, format)?;
        Ok(Scenario::new(agency, cr, Provenance::named(source)))
    }

    /// Reads a whole scenario from one document (TOML or JSON): the agency under `agency`, the
    /// child under `child`, the routes under `route`. This is the browser calculator's scenario
    /// export, and the command line reads it with `--scenario` alone.
    pub fn from_document(text: &str, format: TextFormat, source: &str) -> Result<Scenario> {
        Scenario::from_tree(&crate::text::to_tree(text, format)?, format, source)
    }

    /// Reads a whole scenario from a document already parsed into a tree
    /// ([`crate::text::to_tree`]), as [`Scenario::from_document`] does; the caller keeps the
    /// tree (the browser's form is filled from it).
    pub fn from_tree(document: &serde_json::Value, format: TextFormat, source: &str) -> Result<Scenario> {
        let mut cr: ChildAndRoute = crate::text::from_value(document, format)?;
        let Some(agency) = cr.agency.take() else {
            return Err(Error::Format {
                format: format.name(),
                place: "top level".into(),
                message: "missing field `agency`: a scenario document holds the agency's cost base".into(),
            });
        };
        let mut agency = *agency;
        agency.provenance = Provenance::named(source);
        Ok(Scenario::new(agency, cr, Provenance::named(source)))
    }

    /// A scenario from an agency and a child-and-route input (any agency the input carries is
    /// not used: the caller has chosen `agency`).
    pub fn new(agency: Agency, cr: ChildAndRoute, provenance: Provenance) -> Scenario {
        Scenario {
            agency,
            child: cr.child,
            route: cr.route,
            price_index: cr.price_index,
            fee_overrides: cr.fee_overrides,
            ranges: cr.ranges,
            provenance,
        }
    }

    /// The scenario as one document, the agency included: what [`Scenario::from_document`]
    /// reads back.
    pub fn document(&self) -> ChildAndRoute {
        ChildAndRoute {
            agency: Some(Box::new(self.agency.clone())),
            child: self.child.clone(),
            route: self.route.clone(),
            price_index: self.price_index.clone(),
            fee_overrides: self.fee_overrides.clone(),
            ranges: self.ranges.clone(),
        }
    }

    /// The scenario as a borrowed case.
    pub fn case(&self) -> Case<'_> {
        Case {
            agency: &self.agency,
            child: &self.child,
            route: &self.route,
            price_index: self.price_index.as_ref(),
            fee_overrides: &self.fee_overrides,
            provenance: &self.provenance,
        }
    }

    /// Checks the agency, the child and the route, naming the first field that breaks a rule.
    pub fn validate(&self) -> Result<()> {
        self.agency.validate()?;
        self.case().validate()
    }
}

impl Case<'_> {
    /// Notes on the route's rates whose value reads two ways (see [`ambiguous_rate`]).
    pub fn rate_notes(&self) -> Vec<String> {
        let r = self.route;
        [
            ("route.success_probability", r.success_probability),
            ("route.contribution.share", r.contribution.as_ref().and_then(|c| c.share)),
        ]
        .into_iter()
        .filter_map(|(f, v)| ambiguous_rate(self.provenance, f, v?, Odd::Small))
        .collect()
    }

    /// Checks the child and route (not the agency), naming the first field that breaks a rule.
    pub fn validate(&self) -> Result<()> {
        let p = self.provenance;
        let place = |f: &str| p.place(f);
        let at = |f: &'static str| Lazy(move || p.place(f));
        let c = self.child;
        if c.children == 0 || c.children > 20 {
            return Err(Error::invalid(
                place("child.children"),
                c.children.to_string(),
                "a group of 1 to 20 children",
            ));
        }
        if let Some(age) = c.age
            && age > 18
        {
            return Err(Error::invalid(place("child.age"), age.to_string(), "an age from 0 to 18"));
        }
        if let Some(w) = c.weekly_care_cost {
            weekly(at("child.weekly_care_cost"), w.0)?;
        }
        if let Some(w) = c.group_weekly_care_cost {
            weekly(at("child.group_weekly_care_cost"), w.0)?;
        }
        let r = self.route;
        for (name, v, bounds, what) in [
            ("route.weeks_in_house", r.weeks_in_house, WEEKS, "weeks"),
            ("route.weeks_external", r.weeks_external, WEEKS, "weeks"),
            ("route.search_weeks", r.search_weeks, WEEKS, "weeks"),
            ("route.months_beyond_12", r.months_beyond_12, MONTHS, "months"),
        ] {
            if let Some(v) = v {
                within(&at(name).to_string(), v, bounds, what)?;
            }
        }
        if let Some(pr) = r.success_probability {
            percent_range(at("route.success_probability"), pr)?;
        }
        if r.search_weeks.is_some() != r.success_probability.is_some() {
            let missing =
                if r.search_weeks.is_none() { "route.search_weeks" } else { "route.success_probability" };
            return Err(Error::invalid(
                place(missing),
                "not given, though the other sequential-search input is",
                "both search weeks and the probability of success, or neither",
            ));
        }
        for (name, v) in [
            ("route.common_costs", r.common_costs),
            ("route.fee", r.fee),
            ("route.monthly_fee", r.monthly_fee),
        ] {
            if let Some(v) = v {
                amount(at(name), v.0)?;
            }
        }
        if let Some(cn) = &r.contribution {
            match (cn.share, cn.amount) {
                (Some(s), None) => percent_range(at("route.contribution.share"), s)?,
                (None, Some(a)) => amount(at("route.contribution.amount"), a.0)?,
                _ => {
                    return Err(Error::invalid(
                        place("route.contribution"),
                        "both a share and an amount, or neither",
                        "a contribution as one of a share of the placement fee or a fixed amount",
                    ));
                }
            }
        }
        if let Some(ix) = self.price_index {
            if ix.name.trim().is_empty() {
                return Err(Error::invalid(
                    place("price_index.name"),
                    "empty",
                    "the index's name, such as CPIH",
                ));
            }
            for (year, v) in &ix.values {
                if v.0 <= Decimal::ZERO || v.0 > MAX_AMOUNT {
                    return Err(Error::invalid(
                        place(&format!("price_index.values.\"{year}\"")),
                        v.0.normalize().to_string(),
                        "an index value above 0",
                    ));
                }
            }
        }
        for (i, o) in self.fee_overrides.iter().enumerate() {
            let at = Lazy(|| {
                if o.location.is_empty() {
                    place(&format!("fee_override[{}].amount", i + 1))
                } else {
                    o.location.clone()
                }
            });
            amount(at, o.amount.0)?;
        }
        if r.london && r.nation.unwrap_or(self.agency.nation) != Nation::England {
            return Err(Error::invalid(
                place("route.london"),
                "true for a placement outside England",
                "London weighting only for an agency in London, England",
            ));
        }
        Ok(())
    }
}

/// Text made only when shown: where a checked field is, written out only if it fails (most
/// rows of a batch pass every check).
struct Lazy<F>(F);

impl<F: Fn() -> String> Display for Lazy<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&(self.0)())
    }
}

fn amount(field: impl Display, v: Decimal) -> Result<()> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(Error::invalid(
            field.to_string(),
            format!("{} is negative", Money(v)),
            "an amount of £0 or more",
        ));
    }
    if v > MAX_AMOUNT {
        return Err(Error::invalid(
            field.to_string(),
            format!("{} is too large", Money(v)),
            "an amount up to £10,000,000,000",
        ));
    }
    Ok(())
}

fn count(field: impl Display, v: Decimal, what: &str) -> Result<()> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(Error::invalid(
            field.to_string(),
            format!("{} is negative", v.normalize()),
            format!("{what}: 0 or more"),
        ));
    }
    if v > MAX_COUNT {
        return Err(Error::invalid(
            field.to_string(),
            format!("{} is too large", v.normalize()),
            format!("{what}: up to 10,000,000"),
        ));
    }
    Ok(())
}

/// A plausible range of a figure the method needs within bounds (the lowest and highest
/// values it may take): a divisor above a small floor, so no quotient overflows; a span of
/// weeks or months within what a placement takes.
#[derive(Debug, Clone, Copy)]
pub struct Bounds(pub Decimal, pub Decimal);

/// Approvals, matches and supported placements: at least a hundredth (they divide a cost).
pub const DIVISOR: Bounds = Bounds(Decimal::from_parts(1, 0, 0, false, 2), MAX_COUNT);
/// Productive hours a year per FTE: at least 1, at most the hours of a leap year.
pub const HOURS: Bounds = Bounds(Decimal::ONE, Decimal::from_parts(8_784, 0, 0, false, 0));
/// Expected weeks: up to ten years.
pub const WEEKS: Bounds = Bounds(Decimal::ZERO, Decimal::from_parts(520, 0, 0, false, 0));
/// Expected months beyond 12 without an order: up to ten years.
pub const MONTHS: Bounds = Bounds(Decimal::ZERO, Decimal::from_parts(120, 0, 0, false, 0));
/// A weekly cost of care: nothing, or from £1 to £100,000 a week (it divides a difference).
pub const WEEKLY: Bounds = Bounds(Decimal::ONE, Decimal::from_parts(100_000, 0, 0, false, 0));

fn within(field: &str, v: Decimal, Bounds(low, high): Bounds, what: &str) -> Result<()> {
    if v < low || v > high {
        return Err(Error::invalid(
            field,
            v.normalize().to_string(),
            format!(
                "{what}: from {} to {}",
                crate::money::format_number(low, 2),
                crate::money::format_number(high, 0)
            ),
        ));
    }
    Ok(())
}

fn weekly(field: impl Display, v: Decimal) -> Result<()> {
    amount(&field, v)?;
    if !v.is_zero() && (v < WEEKLY.0 || v > WEEKLY.1) {
        return Err(Error::invalid(
            field.to_string(),
            format!("{} a week", Money(v)),
            "a weekly cost of £0, or from £1 to £100,000 a week",
        ));
    }
    Ok(())
}

/// Which reading of a rate is out of the ordinary for its field.
#[derive(Clone, Copy, PartialEq)]
enum Odd {
    /// A rate of 1% or less (typed as a fraction into a file), and 100% (a cell's 1).
    Both,
    /// Only a rate of 1% or less: 100% is a real value of the field.
    Small,
    /// Only 100%: a rate below 1% is a real value of the field.
    Whole,
}

/// A note where a rate's value reads two ways. Every route reads a rate as the percentage the
/// user sees: a file, an option or the page gives the percent figure (19.5 is 19.5%); a
/// workbook's number cell holds the fraction Excel keeps behind a percentage (0.195 shows as
/// 19.5%). So 0.195 in a file is 0.195%, and 1 in a cell is 100%: both legal, both almost
/// always a slip for a rate like a pension's, and costed as read with both readings named.
fn ambiguous_rate(p: &Provenance, field: &str, v: Decimal, odd: Odd) -> Option<String> {
    let in_cell = p.location(field).is_some_and(|at| at.contains('!'));
    let place = p.place(field);
    if in_cell {
        (odd != Odd::Small && v == Decimal::ONE_HUNDRED).then(|| {
            format!(
                "{place} is read as 100%: a number in a rate cell is the fraction behind a percentage, so 1 is 100%. If 1% was meant, enter 1%."
            )
        })
    } else {
        let shown = v.normalize();
        let whole = (v * Decimal::ONE_HUNDRED).normalize();
        (odd != Odd::Whole && v > Decimal::ZERO && v <= Decimal::ONE).then(|| {
            format!(
                "{place} {shown} is read as {shown}%: a rate in a file or option is the percent figure. If {whole}% was meant, write {whole}."
            )
        })
    }
}

fn percent_range(field: impl Display, v: Decimal) -> Result<()> {
    if v.is_sign_negative() && !v.is_zero() || v > Decimal::ONE_HUNDRED {
        return Err(Error::invalid(
            field.to_string(),
            format!("{}%", v.normalize()),
            "a percentage from 0% to 100%",
        ));
    }
    Ok(())
}

fn shares(field: &str, s: &Shares) -> Result<()> {
    for (name, v) in ["a", "b", "c", "other"].iter().zip(s.percents()) {
        percent_range(format!("{field}.{name}"), v)?;
    }
    let sum: Decimal = s.percents().iter().sum();
    if sum != Decimal::ONE_HUNDRED {
        return Err(Error::invalid(
            field,
            format!(
                "A {}% + B {}% + C {}% + other {}% = {}%",
                s.a.normalize(),
                s.b.normalize(),
                s.c.normalize(),
                s.other.normalize(),
                sum.normalize()
            ),
            "shares that sum to exactly 100%",
        ));
    }
    Ok(())
}
