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

mod agency;
mod case;
pub(crate) mod checks;
mod document;
mod ranges;
pub mod schema;

pub use agency::{
    AGENCY, Activity, Agency, AgencyOverrides, BACK_OFFICE, BackOfficeLine, DIRECT, DirectLine, OVERHEAD,
    OnCosts, OverheadLine, REGULATION_FEES, SHARES, STAFF, Shares, StaffLine,
};
pub use case::{CHILD, Child, ContributionIn, ROUTE, Route};
pub use checks::{DIVISOR, HOURS, MONTHS, WEEKLY, WEEKS};
pub use ranges::{Distribution, Range};
pub use schema::Bounds;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::money::{FinancialYear, Money};
use crate::quantity::Origin;
use crate::text::TextFormat;
use schema::{Field, Kind, Value};

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
    /// Its name in words.
    pub fn name(self) -> &'static str {
        match self {
            AgencyKind::Raa => "regional adoption agency",
            AgencyKind::La => "council adoption service",
            AgencyKind::Vaa => "voluntary adoption agency",
        }
    }

    /// The id inputs give (`raa`).
    pub fn id(self) -> &'static str {
        match self {
            AgencyKind::Raa => "raa",
            AgencyKind::La => "la",
            AgencyKind::Vaa => "vaa",
        }
    }

    /// Parses an id (`council` for `la` too), in any case.
    pub fn parse(text: &str) -> Option<AgencyKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "raa" => Some(AgencyKind::Raa),
            "la" | "council" => Some(AgencyKind::La),
            "vaa" => Some(AgencyKind::Vaa),
            _ => None,
        }
    }

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

/// An amount of money as read from an input: pounds, exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MoneyIn(#[serde(deserialize_with = "crate::text::decimal")] pub Decimal);

impl MoneyIn {
    /// As money.
    pub fn money(self) -> Money {
        Money(self.0)
    }
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
            return Some(cell_ref(&r.columns.sheet, letters, r.row));
        }
        let prefix = format!("{field}.");
        let from_fields = self
            .fields
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v.clone());
        let from_row = self.row.iter().flat_map(|r| {
            r.columns
                .columns
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .map(|(_, letters)| cell_ref(&r.columns.sheet, letters, r.row))
        });
        // In cell order, each put in its place as it comes: a field has a few cells.
        let mut parts: Vec<String> = Vec::new();
        for cell in from_fields.chain(from_row) {
            let key = cell_order(&cell);
            let at = parts.partition_point(|p| cell_order(p) <= key);
            parts.insert(at, cell);
        }
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
        Origin::Input { field: field.to_string(), location, note: None }
    }

    /// The field's path followed by its location, for error messages.
    pub fn place(&self, field: &str) -> String {
        match self.location(field) {
            Some(cell) => format!("{field} ({cell})"),
            None => field.to_string(),
        }
    }
}

/// `Sheet!D7`, written without the formatting machinery: a batch writes one for each input of
/// every row it costs.
fn cell_ref(sheet: &str, letters: &str, row: u32) -> String {
    let mut out = String::with_capacity(sheet.len() + 1 + letters.len() + 10);
    out.push_str(sheet);
    out.push('!');
    out.push_str(letters);
    crate::text::push_int(&mut out, row.into());
    out
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

impl PriceIndex {
    /// A name, and every value above 0; `place` names a field (`price_index.name`) where it is.
    pub fn check(&self, place: impl Fn(&str) -> String) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid(place("price_index.name"), "empty", "the index's name, such as CPIH"));
        }
        for (year, v) in &self.values {
            if v.0 <= Decimal::ZERO || v.0 > MAX_AMOUNT {
                return Err(Error::invalid(
                    place(&format!("price_index.values.\"{year}\"")),
                    v.0.normalize().to_string(),
                    "an index value above 0",
                ));
            }
        }
        Ok(())
    }
}

/// One row of a workbook's Price index sheet: the index's name, a price year and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceIndexRow {
    /// The index's name (`CPIH`), the same on every row.
    pub name: String,
    /// The price year.
    pub year: FinancialYear,
    /// The index's value for the year.
    pub value: Decimal,
    /// Free text.
    pub notes: String,
}

impl Default for PriceIndexRow {
    /// An empty row, for a reader to fill field by field.
    fn default() -> Self {
        PriceIndexRow {
            name: String::new(),
            year: FinancialYear(2025),
            value: Decimal::ZERO,
            notes: String::new(),
        }
    }
}

/// A price index row's fields.
pub static PRICE_INDEX: [Field<PriceIndexRow>; 4] = [
    Field::<PriceIndexRow>::new(
        "name",
        "Index",
        "Index",
        "The index's name, such as CPIH: the same on every row.",
        Kind::Text,
        |r| Some(Value::Text(r.name.clone())),
        |r, v| r.name = v.text().unwrap_or_default().into(),
    )
    .required()
    .width(20),
    Field::<PriceIndexRow>::new(
        "year",
        "Price year",
        "Price year",
        "The financial year, such as 2025/26.",
        Kind::Year,
        |r| Some(Value::Year(r.year)),
        |r, v| r.year = v.year().unwrap_or(r.year),
    )
    .required(),
    Field::<PriceIndexRow>::new(
        "value",
        "Value",
        "Index value",
        "The index's value for the year (any base: only the ratio of two years is used).",
        Kind::Number(crate::quantity::Unit::Index),
        |r| Some(Value::Number(r.value)),
        |r, v| r.value = v.number().unwrap_or_default(),
    )
    .required()
    .check(schema::Check::Within(checks::INDEX, "an index value (it divides an amount)"))
    .width(12),
    Field::<PriceIndexRow>::new(
        "notes",
        "Notes",
        "Notes",
        "Anything you want to record about this row, such as the index's source. Not used in the costing.",
        Kind::Text,
        |r| Some(Value::Text(r.notes.clone())),
        |r, v| r.notes = v.text().unwrap_or_default().into(),
    )
    .width(40),
];

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

impl Default for FeeOverride {
    /// An empty override, for a reader to fill field by field.
    fn default() -> Self {
        FeeOverride {
            nation: Nation::England,
            provider: Provider::Vaa,
            children: 1,
            year: FinancialYear(0),
            amount: MoneyIn(Decimal::ZERO),
            notes: String::new(),
            location: String::new(),
        }
    }
}

/// A fee override's fields, in the order of the workbook's Fee overrides sheet.
pub static FEE_OVERRIDE: [Field<FeeOverride>; 6] = [
    Field::<FeeOverride>::new(
        "nation",
        "Nation",
        "Nation",
        "england, wales, scotland or northern_ireland.",
        Kind::List(schema::NATIONS),
        |o| Some(Value::Text(o.nation.id().into())),
        |o, v| o.nation = v.text().and_then(Nation::parse).unwrap_or(o.nation),
    )
    .required()
    .width(12),
    Field::<FeeOverride>::new(
        "provider",
        "Provider",
        "Provider",
        "vaa, or la (a council or RAA).",
        Kind::List(schema::PROVIDERS),
        |o| Some(Value::Text(o.provider.id().into())),
        |o, v| o.provider = v.text().and_then(Provider::parse).unwrap_or(o.provider),
    )
    .required()
    .width(9),
    Field::<FeeOverride>::new(
        "children",
        "Children",
        "Children",
        "Children in the group the fee is for.",
        Kind::Whole,
        |o| Some(Value::Whole(o.children)),
        |o, v| o.children = v.whole().unwrap_or(o.children),
    )
    .required()
    .width(9),
    Field::<FeeOverride>::new(
        "year",
        "Fee year",
        "Fee year",
        "The fee year, such as 2025/26 (1 April to 31 March).",
        Kind::Year,
        |o| Some(Value::Year(o.year)),
        |o, v| o.year = v.year().unwrap_or(o.year),
    )
    .required(),
    Field::<FeeOverride>::new(
        "amount",
        "Amount",
        "Amount",
        "The schedule fee, £, before any London weighting.",
        Kind::Number(crate::quantity::Unit::Gbp),
        |o| Some(schema::money(o.amount)),
        |o, v| o.amount = MoneyIn(v.number().unwrap_or_default()),
    )
    .required()
    .width(12),
    Field::<FeeOverride>::new(
        "notes",
        "Notes",
        "Notes",
        "Anything you want to record about this row. Not used in the costing.",
        Kind::Text,
        |o| Some(Value::Text(o.notes.clone())),
        |o, v| o.notes = v.text().unwrap_or_default().into(),
    )
    .width(40),
];

/// A child and route, read together from a scenario file; the file may also hold the agency's
/// cost base (as the browser calculator exports it), so one file is the whole scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildAndRoute {
    /// The agency's cost base, where the scenario file carries it (the format of an agency
    /// file, as a table `agency`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<Box<Agency>>,
    /// The child or sibling group.
    pub child: Child,
    /// The routes.
    pub route: Route,
    /// A price index to restate amounts of other price years in the fee year's prices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_index: Option<PriceIndex>,
    /// Fees for schedules and years the reference data does not hold, or to replace its.
    #[serde(rename = "fee_override", skip_serializing_if = "Vec::is_empty")]
    pub fee_overrides: Vec<FeeOverride>,
    /// Ranges (low, most likely, high) for inputs, for the Monte Carlo run
    /// (`adoptcost simulate`); a comparison does not use them.
    #[serde(rename = "range", skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
}

impl ChildAndRoute {
    /// Reads a child and route (and the agency, where the document carries it) from TOML or
    /// JSON text.
    pub fn from_text(text: &str, format: TextFormat) -> Result<ChildAndRoute> {
        ChildAndRoute::from_tree(&crate::text::to_tree(text, format)?, format)
    }

    /// Reads a child and route from a document already parsed into a tree
    /// ([`crate::text::to_tree`]).
    pub fn from_tree(document: &serde_json::Value, format: TextFormat) -> Result<ChildAndRoute> {
        crate::text::read_tree(document, format, document::child_and_route)
    }
}

/// Everything one comparison needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// The agency's cost base.
    pub agency: Agency,
    /// The child or sibling group.
    pub child: Child,
    /// The routes.
    pub route: Route,
    /// A price index to restate amounts of other price years in the fee year's prices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_index: Option<PriceIndex>,
    /// Fees for schedules and years the reference data does not hold, or to replace its.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fee_overrides: Vec<FeeOverride>,
    /// Ranges for inputs, for the Monte Carlo run; a comparison does not use them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Where the child and route inputs came from.
    #[serde(skip)]
    pub provenance: Provenance,
    /// Today's date, from the front door: the placement date where none is given. `None`
    /// takes the latest fee year the reference data covers.
    #[serde(skip)]
    pub today: Option<jiff::civil::Date>,
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
    /// Today's date, which the front door passes in (the library never reads the clock): the
    /// placement date where none is given.
    pub today: Option<jiff::civil::Date>,
}

impl Scenario {
    /// Reads a child and route from TOML or JSON text, for this agency.
    pub fn from_text(agency: Agency, text: &str, format: TextFormat, source: &str) -> Result<Scenario> {
        let cr = ChildAndRoute::from_text(text, format)?;
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
        let mut cr = ChildAndRoute::from_tree(document, format)?;
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

    /// Every rule of the method the scenario's inputs break: the agency's, then the child's and
    /// the route's, in the order the comparison checks them.
    pub fn problems(&self) -> Vec<Error> {
        let mut all = self.agency.problems();
        all.extend(self.case().problems());
        all
    }

    /// Every problem of a scenario document found at once, for a form that shows them together:
    /// each value the reading refuses (set aside, and the rest read again), then every rule of
    /// the method the rest breaks ([`Scenario::problems`]). Empty where its inputs can be
    /// costed.
    pub fn document_problems(document: &serde_json::Value, format: TextFormat, source: &str) -> Vec<Error> {
        let mut tree = document.clone();
        let mut found = Vec::new();
        // The paths of the values set aside, as the method's checks name fields (no `agency.`):
        // first replaced by 0 (most refusals are of a number, and a required field must stay),
        // then, where 0 is refused too, removed.
        let mut set_aside: Vec<String> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        for _ in 0..MAX_SET_ASIDE {
            let e = match Scenario::from_tree(&tree, format, source) {
                Ok(s) => {
                    let named = |e: &Error| e.field().and_then(|f| f.split(' ').next()).map(str::to_string);
                    found.extend(
                        s.problems().into_iter().filter(|e| named(e).is_none_or(|f| !set_aside.contains(&f))),
                    );
                    return found;
                }
                Err(e) => e,
            };
            let Some(path) = (match &e {
                Error::Format { place, .. } => {
                    place.strip_prefix("field `").and_then(|p| p.strip_suffix('`'))
                }
                _ => None,
            })
            .map(str::to_string) else {
                found.push(e);
                return found;
            };
            let short = path.strip_prefix("agency.").unwrap_or(&path).to_string();
            let fixed = if set_aside.contains(&short) {
                // 0 was refused too: the field is not a number.
                !removed.contains(&short) && {
                    removed.push(short.clone());
                    value_at(&mut tree, &path, None)
                }
            } else if removed.iter().any(|r| r.starts_with(&short)) {
                // A value removed is needed: nothing more can be read.
                false
            } else {
                found.push(e);
                set_aside.push(short);
                value_at(&mut tree, &path, Some(serde_json::Value::from(0)))
            };
            if !fixed {
                return found;
            }
        }
        found
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
            today: None,
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
            today: self.today,
        }
    }

    /// Checks the agency, the child and the route, naming the first field that breaks a rule.
    pub fn validate(&self) -> Result<()> {
        self.agency.validate()?;
        self.case().validate()
    }
}

/// The most values [`Scenario::document_problems`] sets aside before it stops looking.
const MAX_SET_ASIDE: usize = 100;

/// Replaces the value at a reading error's path (`agency.staff[2].fte`: keys, and lines counted
/// from 1) by `with`, or removes it where `with` is `None`; false where there is none, or the
/// path ends at a line or has a key the path cannot spell.
fn value_at(tree: &mut serde_json::Value, path: &str, with: Option<serde_json::Value>) -> bool {
    let mut parts: Vec<&str> = path.split('.').collect();
    let Some(last) = parts.pop() else { return false };
    if last.contains(['[', '"']) {
        return false;
    }
    let mut at = tree;
    for part in parts {
        let (key, lines) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        let Some(next) = at.get_mut(key) else { return false };
        at = next;
        for n in lines.split('[').filter(|s| !s.is_empty()) {
            let Some(i) =
                n.strip_suffix(']').and_then(|n| n.parse::<usize>().ok()).and_then(|n| n.checked_sub(1))
            else {
                return false;
            };
            let Some(next) = at.get_mut(i) else { return false };
            at = next;
        }
    }
    let Some(o) = at.as_object_mut() else { return false };
    match with {
        Some(v) => o.get_mut(last).map(|old| *old = v).is_some(),
        None => o.remove(last).is_some(),
    }
}
