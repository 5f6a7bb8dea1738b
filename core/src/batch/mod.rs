//! Batch costing: every agency of a batch costed once, every child row against its agency, one
//! bad row never stopping the others.
//!
//! [`begin`] costs a batch's agencies, and [`Rows::cost`] its child rows in order, on the
//! threads the caller gives (a chunk of rows at a time, the results handed on in row order),
//! handing each row's outcome, costed or not, to a sink as soon as it and every row before it
//! are costed: the costed workbook's writer is
//! one sink (`workbook::costed`), [`collect`] another (the whole [`Batch`], for JSON, CSV and
//! the browser). A sink can have work done for each costed row on the thread that costed it
//! ([`Prepare`]). Each failure becomes a [`CellError`] where the input has the field.

mod chunks;
pub use chunks::{CHUNK, Chunk, Chunker, Entry};
pub mod fees;
mod rows;

pub use rows::Rows;
use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::compare::{CostedAgency, Placement};
use crate::error::{Error, Result};
use crate::input::{Agency, Child, FeeOverride, Provenance, Route};
use crate::reference::Reference;

pub use fees::{FeeKey, FeeUse};

/// A problem with one cell (or row) of a batch's input, where a workbook (or the sheet-like
/// form of another input) has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellError {
    /// The sheet.
    pub sheet: String,
    /// The cell in A1 notation (or the row, `A7:X7`, for a row-wide problem).
    pub cell: String,
    /// What was found.
    pub found: String,
    /// What was expected.
    pub expected: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sheet '{}', cell {}: {}; expected {}", self.sheet, self.cell, self.found, self.expected)
    }
}

/// One child row, read.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    /// The row's number on the Children sheet (1-based, as Excel shows it).
    pub row: u32,
    /// The agency code it is costed against.
    pub agency_code: String,
    /// The child.
    pub child: Child,
    /// The route.
    pub route: Route,
    /// Where each field came from.
    pub provenance: Provenance,
}

/// A child row that cannot be costed, with what could be read of it. It is listed on the
/// Placements sheet in its place among the costed rows, pointing at its errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UncostedRow {
    /// The row's number on the Children sheet (1-based, as Excel shows it).
    pub row: u32,
    /// Its reference, as written (empty where the cell is).
    pub reference: String,
    /// Its agency code, as written (empty where the cell is).
    pub agency_code: String,
    /// The cells of its errors (`Children!H4`), as listed on the Errors sheet.
    pub cells: Vec<String>,
}

impl UncostedRow {
    /// The row's note on the Placements sheet.
    pub fn note(&self) -> String {
        format!("Not costed: see the Errors sheet ({}).", self.cells.join(", "))
    }
}

/// One agency, read.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyRow {
    /// Its code.
    pub code: String,
    /// Its row on the Agencies sheet.
    pub row: u32,
    /// The agency, or `None` where one of its cells was bad (listed in the errors).
    pub agency: Option<Agency>,
}

/// Everything a batch costs: its agencies and child rows as read (from a workbook, say), with
/// what could not be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Input {
    /// The agencies, in sheet order.
    pub agencies: Vec<AgencyRow>,
    /// The child rows that could be read.
    pub children: Vec<ChildRow>,
    /// The child rows that could not be read, in sheet order.
    pub unread: Vec<UncostedRow>,
    /// Child rows in all, read or not.
    pub child_rows: usize,
    /// Fee overrides.
    pub fee_overrides: Vec<FeeOverride>,
    /// The price index every row's amounts of other price years are restated with, where the
    /// input names one.
    pub price_index: Option<crate::input::PriceIndex>,
    /// Published amounts the input adds to the reference data or puts in place of its own
    /// (the workbook's Reference sheet), each with its row.
    pub reference_rows: Vec<(u32, crate::reference::UserRow)>,
    /// Every cell that could not be read.
    pub errors: Vec<CellError>,
    /// What a reader must know of the input as a whole (a column it lacks).
    pub notes: Vec<String>,
}

/// One costed child row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacementRow {
    /// The row on the Children sheet (1-based).
    pub row: u32,
    /// The agency it was costed against (index into [`Batch::agencies`]).
    pub agency: usize,
    /// The child, as read.
    pub child: Child,
    /// The route, as read.
    pub route: Route,
    /// The fee and routes.
    pub placement: Placement,
}

/// A costed agency of the batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchAgency {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its nation (the default nation of its children's fees).
    pub nation: crate::input::Nation,
    /// Its kind (a VAA's own view is on Summary).
    pub kind: crate::input::AgencyKind,
    /// Its staff roles, in line order (for the hourly cost table).
    pub roles: Vec<(String, rust_decimal::Decimal, crate::money::Money)>,
    /// The costing.
    pub costed: CostedAgency,
}

/// A whole costed batch.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Batch {
    /// The agencies that could be costed.
    pub agencies: Vec<BatchAgency>,
    /// The child rows that could be costed, in sheet order.
    pub placements: Vec<PlacementRow>,
    /// Child rows in the workbook.
    pub child_rows: usize,
    /// The child rows that could not be costed, in sheet order.
    pub uncosted: Vec<UncostedRow>,
    /// Every rejected cell or row.
    pub errors: Vec<CellError>,
    /// Every schedule row or user figure that set a fee, keyed by parameter and date (or
    /// field and cell), with how many placements used it.
    pub fee_uses: BTreeMap<FeeKey, FeeUse>,
    /// What a reader must know of the input as a whole.
    pub input_notes: Vec<String>,
    /// The day the rows were costed for (today's date, the placement date of a row that gives
    /// none), where the caller gave one.
    #[serde(with = "crate::text::opt_date")]
    pub today: Option<jiff::civil::Date>,
}

/// How to cost a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Threads to cost rows on besides the caller's, which hands the rows on in order (0: all
    /// on the caller's thread, as in the browser). The caller knows the machine; the library
    /// never asks it.
    pub threads: usize,
    /// The first rows whose figures are kept with all their derivations (the rest keep only
    /// their typed results and what set their fees, since the derivations' text is most of the
    /// costing and would need gigabytes for 100,000 rows).
    pub keep_figures: usize,
    /// Today's date, the placement date of a row that gives none (the caller reads the
    /// clock; `None` takes the latest fee year the reference data covers).
    pub today: Option<jiff::civil::Date>,
}

impl Default for Options {
    /// On the caller's thread, keeping no row's derivations, with no today's date.
    fn default() -> Self {
        Options { threads: 0, keep_figures: 0, today: None }
    }
}

/// Work a sink has done for each costed row on the thread that costed it, off the sink's own
/// thread (the workbook's writer has its cells made ready there).
pub trait Prepare: Sync {
    /// What is made for a row.
    type Ready: Send;
    /// Made for costed row `p` of agency `a`, the `line`th child row from 1 (its row among all
    /// child rows, costed or not).
    fn ready(&self, line: u32, p: &PlacementRow, a: &BatchAgency) -> Self::Ready;
    /// The rows that keep their figures, once, as soon as they are all costed.
    fn kept(&self, _rows: &[&PlacementRow]) {}
}

/// No work beside the costing.
impl Prepare for () {
    type Ready = ();
    fn ready(&self, _: u32, _: &PlacementRow, _: &BatchAgency) {}
}

/// One child row's outcome, in row order, with what [`Prepare`] made for it.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // nearly every line is costed: a box would only add an allocation
pub enum Line<R> {
    /// Costed.
    Costed(PlacementRow, R),
    /// Not costed, with the error that stopped it where costing did (a row that could not be
    /// read has its errors listed already).
    Uncosted(UncostedRow, Option<CellError>),
}

/// What costing a batch gives besides its lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Costed {
    /// The agencies that could be costed.
    pub agencies: Vec<BatchAgency>,
    /// Child rows in the input.
    pub child_rows: usize,
    /// Every error of the input and the agencies; a row's own comes with its line.
    pub errors: Vec<CellError>,
    /// The input's notes.
    pub notes: Vec<String>,
}

/// What a reader must know: the input's notes, then each agency's, its code first
/// (`EXAMPLE: …`).
pub fn notes(input: &[String], agencies: &[BatchAgency]) -> Vec<String> {
    let agency = agencies.iter().flat_map(|a| a.costed.warnings.iter().map(|w| format!("{}: {w}", a.code)));
    input.iter().cloned().chain(agency).collect()
}

/// Begins costing a batch: costs its agencies (the result has them, and every error so far:
/// the input's, then the agencies'), and holds its child rows, which [`Rows::cost`] costs.
pub fn begin(input: Input, reference: &Reference) -> (Costed, Rows<'_>) {
    Rows::new(input, reference)
}

/// Costs a batch and keeps every row.
pub fn collect(
    input: Input,
    reference: &Reference,
    opts: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Batch> {
    let mut placements = Vec::with_capacity(input.children.len());
    let mut uncosted = Vec::new();
    let mut errors = Vec::new();
    let (costed, rows) = begin(input, reference);
    let fee_uses = rows.cost(&costed, opts, &(), progress, &mut |line| {
        match line {
            Line::Costed(p, ()) => placements.push(p),
            Line::Uncosted(u, e) => {
                errors.extend(e);
                uncosted.push(u);
            }
        }
        Ok(())
    })?;
    let mut all = costed.errors;
    all.append(&mut errors);
    Ok(Batch {
        agencies: costed.agencies,
        placements,
        child_rows: costed.child_rows,
        uncosted,
        errors: all,
        fee_uses,
        input_notes: costed.notes,
        today: opts.today,
    })
}

/// Splits a field's place (`staff[1].salary (Staff!D2)`) into a sheet and a cell.
fn locate(place: &str, default_sheet: &str, default_cell: &str) -> (String, String) {
    if let Some(open) = place.rfind(" (")
        && let Some(inner) = place[open + 2..].strip_suffix(')')
        && let Some((sheet, cell)) = inner.rsplit_once('!')
    {
        return (sheet.trim_matches('\'').to_string(), cell.to_string());
    }
    (default_sheet.to_string(), default_cell.to_string())
}

/// An error of the library as a cell error, at the field it names where it can be found.
pub(crate) fn cell_error(e: &Error, provenance: &Provenance, sheet: &str, row_cells: &str) -> CellError {
    let (found, expected, place) = match e {
        Error::Invalid { field, found, expected } => (found.clone(), expected.clone(), field.clone()),
        other => {
            let field = other.field().unwrap_or_default();
            let place = provenance
                .location(&format!("route.{field}"))
                .or_else(|| provenance.location(field))
                .or_else(|| provenance.location("route.placement_date"))
                .map(|c| format!("{field} ({c})"))
                .unwrap_or_default();
            let expected = match field {
                "fee" => "a fee in the row's Fee column, or a row on the Fee overrides sheet for this schedule and year".to_string(),
                "monthly_fee" => "a monthly fee in the row's Monthly fee column".to_string(),
                _ => "a value the method can use".to_string(),
            };
            (other.to_string(), expected, place)
        }
    };
    let (sheet, cell) = locate(&place, sheet, row_cells);
    CellError { sheet, cell, found, expected }
}

/// Quotes a sheet name for a cell reference where it needs it (`'Back office'!B2`).
pub fn quote_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{name}'")
    }
}

/// A child row, costed or not, in row order.
#[derive(Debug, Clone, Copy)]
pub enum Placed<'a> {
    /// A costed child.
    Costed(&'a PlacementRow),
    /// A row that could not be costed.
    Uncosted(&'a UncostedRow),
}

impl Batch {
    /// What a reader must know: of the input as a whole, then of each costed agency, its code
    /// first (`EXAMPLE: …`: the notes each of its placements carries on Placements, said once).
    pub fn notes(&self) -> Vec<String> {
        notes(&self.input_notes, &self.agencies)
    }

    /// Every child row, costed or not, in sheet order.
    pub fn lines(&self) -> impl Iterator<Item = Placed<'_>> {
        let mut costed = self.placements.iter().peekable();
        let mut uncosted = self.uncosted.iter().peekable();
        std::iter::from_fn(move || match (costed.peek(), uncosted.peek()) {
            (Some(p), Some(u)) if u.row < p.row => uncosted.next().map(Placed::Uncosted),
            (Some(_), _) => costed.next().map(Placed::Costed),
            (None, _) => uncosted.next().map(Placed::Uncosted),
        })
    }
}

/// Costs one scenario (an agency and one child or sibling group) as a batch of one, for the
/// costed workbook of a single comparison (the browser calculator's export). The scenario is
/// first compared as [`crate::compare()`] does, so a bad input gets the same error; the placement
/// is row 2 of a notional Children sheet, and its figures cite the scenario's own provenance.
pub fn scenario(s: &crate::input::Scenario, reference: &Reference) -> Result<Batch> {
    crate::compare::compare(s, reference)?;
    let code = if s.agency.code.is_empty() { "AGENCY".to_string() } else { s.agency.code.clone() };
    let input = Input {
        agencies: vec![AgencyRow { code: code.clone(), row: 2, agency: Some(s.agency.clone()) }],
        children: vec![ChildRow {
            row: 2,
            agency_code: code,
            child: s.child.clone(),
            route: s.route.clone(),
            provenance: s.provenance.clone(),
        }],
        unread: Vec::new(),
        child_rows: 1,
        fee_overrides: s.fee_overrides.clone(),
        price_index: s.price_index.clone(),
        reference_rows: Vec::new(),
        errors: Vec::new(),
        notes: Vec::new(),
    };
    collect(input, reference, &Options { threads: 0, keep_figures: 1, today: None }, &mut |_, _| {})
}

/// One costed row in brief, for JSON and CSV output: money as exact decimal text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// The row on the Children sheet.
    pub row: u32,
    /// The child's reference.
    pub reference: String,
    /// The agency's code.
    pub agency: String,
    /// Children in the group.
    pub children: u32,
    /// The fee year.
    pub fee_year: String,
    /// The user's own note on the row.
    pub notes: String,
    /// The net fee.
    pub net_fee: Decimal,
    /// The full in-house cost of a placement (per household).
    pub full_in_house_cost: Decimal,
    /// The in-house cost of placing the group: per household, plus the sibling uplift.
    pub in_house_cost: Decimal,
    /// The agency's marginal cost of a placement (per household).
    pub marginal_cost: Decimal,
    /// The weekly care cost of the group.
    pub weekly_care_cost: Decimal,
    /// The in-house route.
    pub in_house_route: Decimal,
    /// The external route.
    pub external_route: Decimal,
    /// The sequential route, where worked out.
    pub sequential_route: Option<Decimal>,
    /// external − in-house.
    pub difference: Decimal,
    /// Break-even wait in weeks, where defined.
    pub break_even_wait_weeks: Option<Decimal>,
    /// Break-even approvals, where defined.
    pub break_even_approvals: Option<Decimal>,
}

/// One child row of the input for the ledger (`run --format csv`): every row in sheet order,
/// costed or rejected, money rounded to pence (the exact values are in [`Record`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerRow {
    /// The row on the Children sheet.
    pub row: u32,
    /// `costed` or `rejected`.
    pub status: &'static str,
    /// Why a rejected row was not costed: each of its errors, as on the Errors sheet.
    pub error: String,
    /// The child's reference.
    pub reference: String,
    /// The agency's code.
    pub agency: String,
    /// The cost centre the user gave.
    pub cost_centre: String,
    /// The budget code the user gave.
    pub budget_code: String,
    /// Children in the group.
    pub children: Option<u32>,
    /// The external adopters' agency: `vaa` or `la`.
    pub provider: String,
    /// The fee's nation.
    pub nation: String,
    /// The date the fee year was taken from (the placement date, or today's where none was given).
    pub placement_date: String,
    /// The fee year.
    pub fee_year: String,
    /// The net fee, to the penny.
    pub net_fee: Option<Decimal>,
    /// The full in-house cost of a placement (per household), to the penny.
    pub full_in_house_cost: Option<Decimal>,
    /// The in-house cost of placing the group, to the penny.
    pub in_house_cost: Option<Decimal>,
    /// The agency's marginal cost of a placement (per household), to the penny.
    pub marginal_cost: Option<Decimal>,
    /// The in-house route, to the penny.
    pub in_house_route: Option<Decimal>,
    /// The external route, to the penny.
    pub external_route: Option<Decimal>,
    /// external − in-house, to the penny.
    pub difference: Option<Decimal>,
    /// The user's own note on the row.
    pub notes: String,
}

impl Batch {
    /// Every child row of the input, costed or rejected, in sheet order, for the ledger.
    pub fn ledger(&self) -> Vec<LedgerRow> {
        // Always two places, as a ledger writes pounds and pence.
        let pence = |m: crate::money::Money| {
            let mut d = m.round_pence();
            d.rescale(2);
            Some(d)
        };
        let costed = self.placements.iter().map(|p| {
            let a = &self.agencies[p.agency];
            let (f, r) = (&p.placement.fee, &p.placement.routes);
            LedgerRow {
                row: p.row,
                status: "costed",
                error: String::new(),
                reference: p.child.reference.clone(),
                agency: a.code.clone(),
                cost_centre: p.child.cost_centre.clone(),
                budget_code: p.child.budget_code.clone(),
                children: Some(p.child.children),
                provider: p.route.provider_used().id().to_string(),
                nation: p.route.nation.unwrap_or(a.nation).id().to_string(),
                placement_date: f.date.to_string(),
                fee_year: f.year.to_string(),
                net_fee: pence(f.net),
                full_in_house_cost: pence(a.costed.cost.unit.full),
                in_house_cost: pence(r.in_house_cost),
                marginal_cost: pence(a.costed.cost.unit.marginal),
                in_house_route: pence(r.in_house),
                external_route: pence(r.external),
                difference: pence(r.difference),
                notes: p.child.notes.clone(),
            }
        });
        let rejected = self.uncosted.iter().map(|u| {
            let error: Vec<String> = self
                .errors
                .iter()
                .filter(|e| u.cells.iter().any(|c| *c == format!("{}!{}", e.sheet, e.cell)))
                .map(ToString::to_string)
                .collect();
            LedgerRow {
                row: u.row,
                status: "rejected",
                error: if error.is_empty() { u.note() } else { error.join("; ") },
                reference: u.reference.clone(),
                agency: u.agency_code.clone(),
                cost_centre: String::new(),
                budget_code: String::new(),
                children: None,
                provider: String::new(),
                nation: String::new(),
                placement_date: String::new(),
                fee_year: String::new(),
                net_fee: None,
                full_in_house_cost: None,
                in_house_cost: None,
                marginal_cost: None,
                in_house_route: None,
                external_route: None,
                difference: None,
                notes: String::new(),
            }
        });
        let mut rows: Vec<LedgerRow> = costed.chain(rejected).collect();
        rows.sort_by_key(|r| r.row);
        rows
    }

    /// Every costed row in brief.
    pub fn records(&self) -> Vec<Record> {
        self.placements
            .iter()
            .map(|p| {
                let a = &self.agencies[p.agency];
                let r = &p.placement.routes;
                Record {
                    row: p.row,
                    reference: p.child.reference.clone(),
                    agency: a.code.clone(),
                    children: p.child.children,
                    fee_year: p.placement.fee.year.to_string(),
                    notes: p.child.notes.clone(),
                    net_fee: p.placement.fee.net.amount(),
                    full_in_house_cost: a.costed.cost.unit.full.amount(),
                    in_house_cost: r.in_house_cost.amount(),
                    marginal_cost: a.costed.cost.unit.marginal.amount(),
                    weekly_care_cost: r.weekly_care.amount(),
                    in_house_route: r.in_house.amount(),
                    external_route: r.external.amount(),
                    sequential_route: r.sequential.map(|m| m.amount()),
                    difference: r.difference.amount(),
                    break_even_wait_weeks: r.break_even_wait,
                    break_even_approvals: r.break_even_approvals,
                }
            })
            .collect()
    }
}
