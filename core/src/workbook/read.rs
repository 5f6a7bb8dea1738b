//! Reading a filled input workbook (the template's sheets) from its bytes.
//!
//! A workbook that cannot be read at all (not a spreadsheet, a sheet or header missing) is an
//! [`Error::Workbook`]. Otherwise every problem with a cell becomes a [`CellError`] naming the
//! sheet and the cell in A1 notation, and the rest is read: an agency with a bad line is left
//! out (its children are rejected, naming why), a bad child row is left out alone.
//!
//! Each row is read field by field from the input tables ([`crate::input::schema`]): a cell is
//! read as its field's kind says, and set on the row's struct by the field itself.

use std::collections::BTreeMap;
use std::sync::Arc;

use calamine::Data;
use rust_decimal::Decimal;

use super::cell;
use super::grid::Grid;
pub use super::open::Limits;
use super::schema::{self, CATEGORY, CODE, NOTES, OVERHEADS};
pub use crate::batch::{AgencyRow, CellError, ChildRow, Input as InputWorkbook, UncostedRow, quote_sheet};
use crate::batch::{CHUNK, Chunk, Chunker, Entry};
use crate::error::{Error, Result};
use crate::input::schema::{Field, Kind, Value, choose};
use crate::input::{
    AGENCY, Agency, BACK_OFFICE, BackOfficeLine, CHILD, Child, DIRECT, DirectLine, FEE_OVERRIDE, FeeOverride,
    OVERHEAD, OverheadLine, PRICE_INDEX, PriceIndex, PriceIndexRow, Provenance, ROUTE, Route, SHARES, STAFF,
    Shares, SheetColumns, SheetRow, StaffLine,
};
use crate::money::FinancialYear;
use crate::quantity::Unit;
use crate::reference::rows::{REFERENCE_ROW, UserRow};

/// A cell's position (zero-based row and column), written in A1 notation only when needed.
#[derive(Debug, Clone, Copy)]
struct At(u32, u32);

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&cell::a1(self.0, self.1))
    }
}

/// Reads one row's cells, collecting every problem.
struct Row<'g> {
    grid: &'g Grid,
    row: u32,
    cells: &'g [Data],
    errors: Vec<CellError>,
    /// Where each field read was found; not kept where the sheet's rows share a column map.
    fields: BTreeMap<String, String>,
    record: bool,
}

const EMPTY: Data = Data::Empty;

impl<'g> Row<'g> {
    fn new(grid: &'g Grid, (row, cells): (u32, &'g [Data])) -> Self {
        Row { grid, row, cells, errors: Vec::new(), fields: BTreeMap::new(), record: true }
    }

    fn bad(&mut self, at: At, found: String, expected: impl Into<String>) {
        self.errors.push(CellError {
            sheet: self.grid.sheet.name.into(),
            cell: at.to_string(),
            found,
            expected: expected.into(),
        });
    }

    /// The raw cell of schema column `i`, with its A1 address; records where the field is.
    fn raw(&mut self, i: usize, field: &dyn Fn() -> String) -> Option<(&'g Data, At)> {
        let grid = self.grid;
        let col = grid.sheet.columns.get(i)?;
        let at = At(self.row, grid.column(i)?);
        if self.record {
            let field = field();
            if !field.is_empty() {
                self.fields.insert(field, format!("{}!{at}", quote_sheet(grid.sheet.name)));
            }
        }
        let data = self.cells.get(i).unwrap_or(&EMPTY);
        let blank = match data {
            Data::Empty => true,
            Data::String(s) => s.trim().is_empty(),
            _ => false,
        };
        if blank {
            if col.required {
                self.bad(at, "an empty cell".into(), format!("{} ({})", col.header, col.help));
            }
            return None;
        }
        if let Data::Error(e) = data {
            self.bad(
                at,
                format!("the formula error {e}"),
                format!("{}: a value, not an error; check the formula", col.header),
            );
            return None;
        }
        if Grid::is_uncached_formula(data) {
            self.bad(
                at,
                "a formula whose result was not saved with the file".into(),
                format!("{}: a value; open the workbook in Excel or LibreOffice and save it, so its formulas are worked out", col.header),
            );
            return None;
        }
        Some((data, at))
    }

    /// A cell of a column by header that belongs to no field (a code, a category, notes).
    fn text_of(&mut self, header: &str) -> Option<String> {
        self.text(self.grid.sheet.col(header), &String::new)
    }

    fn text(&mut self, i: usize, field: &dyn Fn() -> String) -> Option<String> {
        let (d, at) = self.raw(i, field)?;
        let t = cell::text(d)?;
        let chars = t.chars().count();
        if chars > cell::MAX_CELL_CHARS {
            let header = self.grid.sheet.columns[i].header;
            self.bad(
                at,
                format!("text of {chars} characters"),
                format!("{header}: at most 32,767 characters (Excel's limit for a cell)"),
            );
            return None;
        }
        Some(t)
    }

    /// Schema column `i`'s cell read as `kind`.
    fn value(&mut self, i: usize, kind: Kind, field: &dyn Fn() -> String) -> Option<Value> {
        match kind {
            Kind::Text => self.text(i, field).map(Value::Text),
            Kind::Number(unit) => self.decimal(i, unit, field).map(Value::Number),
            Kind::Whole => self.whole(i, field).map(Value::Whole),
            Kind::YesNo => self.yes_no(i, field).map(Value::Yes),
            Kind::Date => self.date(i, field).map(Value::Date),
            Kind::Year => self.year(i, field).map(Value::Year),
            Kind::List(choices) => self.choice(i, choices, field).map(|id| Value::Text(id.into())),
        }
    }

    /// Reads each field of a table whose column the sheet has (`layout`: [`schema::Sheet::layout`])
    /// and sets it on `t`; `prefix` goes before each field's path (`staff[2].`).
    fn fields<T>(&mut self, table: &[Field<T>], layout: &[usize], t: &mut T, prefix: &str) {
        for (f, &i) in table.iter().zip(layout) {
            if let Some(v) = self.value(i, f.kind, &|| format!("{prefix}{}", f.path)) {
                (f.set)(t, &v);
            }
        }
    }

    fn decimal(&mut self, i: usize, unit: Unit, field: &dyn Fn() -> String) -> Option<Decimal> {
        let (d, at) = self.raw(i, field)?;
        let header = self.grid.sheet.columns[i].header;
        let percent = unit == Unit::Percent;
        let (v, expected) = if percent {
            (cell::percent(d), "a percentage such as 40%")
        } else if unit.is_money() {
            (cell::number(d), "an amount in pounds such as 38500 or £38,500.00")
        } else {
            (cell::number(d), "a number such as 12 or 12.5")
        };
        const PERCENT: &str = "a percentage from 0% to 100% (type 40% or 0.4 for forty percent)";
        match v {
            Some(v) if percent && (v < Decimal::ZERO || v > Decimal::ONE_HUNDRED) => {
                self.bad(at, format!("{} is {}%", cell::describe(d), v.normalize()), PERCENT);
                None
            }
            Some(v) if v.is_sign_negative() && !v.is_zero() => {
                self.bad(
                    at,
                    format!("{} is negative", cell::describe(d)),
                    format!("{header}: {expected}, 0 or more"),
                );
                None
            }
            Some(v) => Some(v),
            None if percent && cell::number(d).is_some() => {
                self.bad(at, format!("{} is far above 100%", cell::describe(d)), PERCENT);
                None
            }
            None => {
                self.bad(at, cell::not_a_number(d), format!("{header}: {expected}"));
                None
            }
        }
    }

    fn whole(&mut self, i: usize, field: &dyn Fn() -> String) -> Option<u32> {
        let (d, at) = self.raw(i, field)?;
        let v = cell::number(d).and_then(|v| v.normalize().to_string().parse::<u32>().ok());
        if v.is_none() {
            let header = self.grid.sheet.columns[i].header;
            self.bad(at, cell::describe(d), format!("{header}: a whole number, 0 or more"));
        }
        v
    }

    fn yes_no(&mut self, i: usize, field: &dyn Fn() -> String) -> Option<bool> {
        let (d, at) = self.raw(i, field)?;
        let v = cell::yes_no(d);
        if v.is_none() {
            let header = self.grid.sheet.columns[i].header;
            self.bad(at, cell::describe(d), format!("{header}: yes or no"));
        }
        v
    }

    fn date(&mut self, i: usize, field: &dyn Fn() -> String) -> Option<jiff::civil::Date> {
        let (d, at) = self.raw(i, field)?;
        let v = cell::date(d);
        if v.is_none() {
            let header = self.grid.sheet.columns[i].header;
            self.bad(
                at,
                format!("{} is not a date", cell::describe(d)),
                format!("{header}: a date such as 2025-09-01"),
            );
        }
        v
    }

    fn year(&mut self, i: usize, field: &dyn Fn() -> String) -> Option<FinancialYear> {
        let (d, at) = self.raw(i, field)?;
        let v = cell::text(d).and_then(|t| FinancialYear::parse(&t));
        if v.is_none() {
            let header = self.grid.sheet.columns[i].header;
            self.bad(
                at,
                format!("{} is not a financial year", cell::describe(d)),
                format!("{header}: a financial year such as 2025/26"),
            );
        }
        v
    }

    fn choice(
        &mut self,
        i: usize,
        choices: &'static [crate::input::schema::Choice],
        field: &dyn Fn() -> String,
    ) -> Option<&'static str> {
        let (d, at) = self.raw(i, field)?;
        let t = cell::text(d).unwrap_or_default();
        let v = choose(choices, &t);
        if v.is_none() {
            let header = self.grid.sheet.columns[i].header;
            let options = choices.iter().map(|c| c.id).collect::<Vec<_>>().join(", ");
            self.bad(at, format!("\"{t}\""), format!("{header}: one of {options}"));
        }
        v
    }

    /// A line's shares, where any is given.
    fn shares(&mut self, layout: &[usize], prefix: &str) -> Option<Shares> {
        let mut s = Shares::default();
        let mut given = false;
        for (f, &i) in SHARES.iter().zip(layout) {
            if let Some(v) = self.value(i, f.kind, &|| format!("{prefix}shares.{}", f.path)) {
                (f.set)(&mut s, &v);
                given = true;
            }
        }
        given.then_some(s)
    }

    /// The row's code as read, and whether it names an agency read (an error says so where
    /// the cell holds a code that does not).
    fn agency_code(&mut self, known: impl Fn(&str) -> bool) -> (Option<String>, bool) {
        let Some(code) = self.text_of(CODE) else { return (None, false) };
        if known(&code) {
            return (Some(code), true);
        }
        let i = self.grid.sheet.col(CODE);
        let d = self.cells.get(i).unwrap_or(&EMPTY);
        let at = At(self.row, self.grid.column(i).unwrap_or(0));
        self.bad(at, cell::describe(d), "the code of an agency on the Agencies sheet");
        (Some(code), false)
    }
}

/// Reads an input workbook from its bytes (.xlsx, .xlsm, .xls or .ods).
pub fn read(bytes: &[u8]) -> Result<InputWorkbook> {
    Ok(parse(bytes)?.read())
}

/// An input workbook whose sheets are parsed and whose headers are checked, its cells not yet
/// read into rows: enough to know how many child rows it has (see [`parse`]).
#[derive(Debug)]
pub struct Parsed {
    grids: [Grid; 9],
}

/// Parses an input workbook's bytes (.xlsx, .xlsm, .xls or .ods) within the default
/// [`Limits`]: the half of [`read`] that can fail. The other half, [`Parsed::read`], cannot: a
/// bad cell is an error in what it returns. Knowing the child rows between the two lets a
/// costed workbook be started while they are read.
pub fn parse(bytes: &[u8]) -> Result<Parsed> {
    parse_within(bytes, &Limits::default())
}

/// [`parse`] within the given limits.
pub fn parse_within(bytes: &[u8], limits: &Limits) -> Result<Parsed> {
    let mut book = super::open::open(bytes, limits)?;
    let mut budget = super::grid::Budget::default();
    let grids: Vec<Grid> = schema::INPUT_SHEETS
        .iter()
        .map(|s| super::grid::read(&mut book, s, limits, &mut budget))
        .collect::<Result<_>>()?;
    let grids = <[Grid; 9]>::try_from(grids).map_err(|_| Error::internal("the input sheets' count"))?;
    Ok(Parsed { grids })
}

impl Parsed {
    /// The child rows, read or not: the Children sheet's rows after its header that are not
    /// blank (as [`InputWorkbook::child_rows`] will be).
    pub fn child_rows(&self) -> usize {
        self.grids[CHILDREN].rows().count()
    }

    /// Reads the parsed sheets' cells into agencies and rows, each bad cell an error listed in
    /// what is returned.
    pub fn read(self) -> InputWorkbook {
        let [agencies, staff, direct, overheads, back, children, fees, index, reference] = &self.grids;
        let mut out = read_others([agencies, staff, direct, overheads, back, fees, index, reference]);
        let at = notes_before_children(&self.grids[..CHILDREN]);
        let notes: Vec<String> = notes_of(children).collect();
        out.notes.splice(at..at, notes);
        let InputWorkbook { agencies, children: read, unread, errors, child_rows: n, .. } = &mut out;
        child_rows(children, &|c| agencies.iter().any(|a| a.code == c), errors, &mut |row| {
            *n += 1;
            match row {
                Entry::Read(c) => read.push(c),
                Entry::Unread(u) => unread.push(u),
            }
        });
        out
    }
}

/// Where the Children sheet is among the input sheets.
const CHILDREN: usize = 5;

/// What a sheet lacks, as notes.
fn notes_of(g: &Grid) -> impl Iterator<Item = String> + '_ {
    g.missing().map(|header| {
        format!(
            "sheet '{}' has no column \"{header}\": each of its rows takes what a blank cell there means",
            g.sheet.name
        )
    })
}

/// How many notes the sheets before Children give.
fn notes_before_children(before: &[Grid]) -> usize {
    before.iter().map(|g| g.missing().count()).sum()
}

/// Reads every sheet but Children: the agencies and their lines, the fee overrides, the price
/// index and the reference rows, with the sheets' notes and every bad cell.
fn read_others(grids: [&Grid; 8]) -> InputWorkbook {
    let [agencies, staff, direct, overheads, back, fees, index, reference] = grids;
    let mut out = InputWorkbook::default();
    for g in grids {
        out.notes.extend(notes_of(g));
    }
    let mut read = Agencies::read(agencies, &mut out.errors);
    read.lines(staff, &mut out.errors, staff_line);
    read.lines(direct, &mut out.errors, direct_line);
    read.lines(overheads, &mut out.errors, overhead_line);
    read.lines(back, &mut out.errors, back_office_line);
    for (code, row) in read.order {
        let agency = read.by_code.remove(&code).and_then(|(a, ok)| ok.then_some(a));
        out.agencies.push(AgencyRow { code, row, agency });
    }
    fee_overrides(fees, &mut out);
    price_index(index, &mut out);
    reference_rows(reference, &mut out);
    out
}

/// An input workbook read but for its Children sheet, whose rows are read as they are costed
/// ([`Opened::read_children`]): the other sheets are small, Children can be most of the file.
pub struct Opened<'b> {
    book: super::open::Book<'b>,
    limits: Limits,
    budget: super::grid::Budget,
    /// Every sheet but Children, read.
    pub others: InputWorkbook,
    /// Where Children's notes go among the others'.
    notes_at: usize,
}

impl std::fmt::Debug for Opened<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("book", &self.book)
            .field("others", &self.others)
            .finish_non_exhaustive()
    }
}

/// Opens an input workbook's bytes and reads every sheet but Children, within `limits`. An
/// error is the one [`parse_within`] gives: where a sheet after Children cannot be read, the
/// whole workbook is parsed in order to find which problem comes first.
pub fn open_within<'b>(bytes: &'b [u8], limits: &Limits) -> Result<Opened<'b>> {
    let mut book = super::open::open(bytes, limits)?;
    let mut budget = super::grid::Budget::default();
    let mut read = |sheets: &'static [schema::Sheet]| -> Result<Vec<Grid>> {
        sheets.iter().map(|s| super::grid::read(&mut book, s, limits, &mut budget)).collect()
    };
    let mut grids = read(&schema::INPUT_SHEETS[..CHILDREN])?;
    match read(&schema::INPUT_SHEETS[CHILDREN + 1..]) {
        Ok(after) => grids.extend(after),
        Err(e) => return Err(parse_within(bytes, limits).err().unwrap_or(e)),
    }
    let grids: [Grid; 8] = grids.try_into().map_err(|_| Error::internal("the input sheets' count"))?;
    let notes_at = notes_before_children(&grids[..CHILDREN]);
    let others = read_others(grids.each_ref());
    Ok(Opened { book, limits: *limits, budget, others, notes_at })
}

/// What reading the Children sheet found besides its rows.
#[derive(Debug, Default)]
pub struct ChildrenRead {
    /// Its rows, read or not.
    pub rows: usize,
    /// Its bad cells.
    pub errors: Vec<CellError>,
    /// What it lacks, as notes.
    pub notes: Vec<String>,
    /// Where its notes go among the other sheets' (those of the sheets before it).
    pub notes_at: usize,
}

impl Opened<'_> {
    /// Reads the Children sheet, handing its rows to `send` in sheet order as chunks
    /// ([`Chunker`]) whose first keeps the figures of `keep` rows; `send` returns false when no
    /// more are wanted. The agencies are the others' ([`Opened::others`]), passed in as their
    /// codes; `read` is kept at the rows read so far.
    pub fn read_children(
        mut self,
        codes: &[String],
        keep: usize,
        read: &std::sync::atomic::AtomicUsize,
        send: &mut dyn FnMut(Chunk) -> bool,
    ) -> Result<ChildrenRead> {
        let mut out = ChildrenRead::default();
        let mut chunker = Chunker::new(keep);
        let known = |c: &str| codes.iter().any(|a| a == c);
        let mut wanted = true;
        let mut each = |g: Grid| {
            child_rows(&g, &known, &mut out.errors, &mut |row| {
                out.rows += 1;
                if let Some(chunk) = chunker.push(row) {
                    wanted = wanted && send(chunk);
                }
            });
            read.store(out.rows, std::sync::atomic::Ordering::Relaxed);
            // Stopped: the costing has ended, so the rest need not be read.
            if wanted {
                Ok(())
            } else {
                Err(Error::internal("the costing stopped before the rows were read"))
            }
        };
        let sheet = &schema::INPUT_SHEETS[CHILDREN];
        let head =
            super::grid::stream(&mut self.book, sheet, &self.limits, &mut self.budget, CHUNK, &mut each)?;
        if let Some(chunk) = chunker.finish() {
            send(chunk);
        }
        out.notes = notes_of(&head).collect();
        out.notes_at = self.notes_at;
        Ok(out)
    }
}

/// The agencies read, by code, each with whether all its rows read cleanly.
struct Agencies {
    by_code: BTreeMap<String, (Agency, bool)>,
    order: Vec<(String, u32)>,
}

impl Agencies {
    fn read(grid: &Grid, errors: &mut Vec<CellError>) -> Agencies {
        let mut out = Agencies { by_code: BTreeMap::new(), order: Vec::new() };
        // The code is the sheet's join column; the table's own code field is not read.
        let layout = grid.sheet.layout(&AGENCY[1..]);
        for line in grid.lines() {
            let mut row = Row::new(grid, line);
            let code = row.text(grid.sheet.col(CODE), &|| "code".into());
            let mut agency = Agency::default();
            row.fields(&AGENCY[1..], &layout, &mut agency, "");
            let _ = row.text_of(NOTES);
            let Some(code) = code else {
                errors.append(&mut row.errors);
                continue;
            };
            if out.by_code.contains_key(&code) {
                let at = At(row.row, grid.column(grid.sheet.col(CODE)).unwrap_or(0));
                row.bad(at, format!("\"{code}\" again"), "a code used by only one agency");
                errors.append(&mut row.errors);
                continue;
            }
            let ok = row.errors.is_empty();
            errors.append(&mut row.errors);
            agency.code = code.clone();
            agency.provenance = Provenance {
                source: format!("workbook sheet Agencies, row {}", row.row + 1),
                fields: std::mem::take(&mut row.fields),
                row: None,
            };
            out.order.push((code.clone(), row.row + 1));
            out.by_code.insert(code, (agency, ok));
        }
        out
    }

    /// Reads a sheet of lines, each attached to its agency by code (`add` reads the rest of a
    /// row into the agency); an agency with a bad line is marked so.
    fn lines(&mut self, grid: &Grid, errors: &mut Vec<CellError>, add: fn(&mut Row, &mut Agency)) {
        for line in grid.lines() {
            let mut row = Row::new(grid, line);
            let by_code = &mut self.by_code;
            if let (Some(code), true) = row.agency_code(|c| by_code.contains_key(c))
                && let Some((agency, ok)) = self.by_code.get_mut(&code)
            {
                add(&mut row, agency);
                *ok &= row.errors.is_empty();
                agency.provenance.fields.append(&mut row.fields);
            }
            errors.append(&mut row.errors);
        }
    }
}

/// Reads a line of a table into a default line, with its shares where the sheet has them.
fn line<T: Default>(row: &mut Row, table: &[Field<T>], prefix: &str) -> (T, Option<Shares>) {
    let sheet = row.grid.sheet;
    let mut l = T::default();
    row.fields(table, &sheet.layout(table), &mut l, prefix);
    let shares = row.shares(&sheet.layout(&SHARES), prefix);
    (l, shares)
}

fn staff_line(row: &mut Row, a: &mut Agency) {
    let (mut l, shares): (StaffLine, _) = line(row, &STAFF, &format!("staff[{}].", a.staff.len() + 1));
    l.shares = shares.unwrap_or_default();
    a.staff.push(l);
}

fn direct_line(row: &mut Row, a: &mut Agency) {
    let (mut l, shares): (DirectLine, _) = line(row, &DIRECT, &format!("direct[{}].", a.direct.len() + 1));
    l.shares = shares.unwrap_or_default();
    a.direct.push(l);
}

fn overhead_line(row: &mut Row, a: &mut Agency) {
    let i = row.grid.sheet.col(CATEGORY);
    let Some(category) = row.choice(i, OVERHEADS, &String::new) else { return };
    let list = match category {
        "office" => &mut a.office,
        "regulation" => &mut a.regulation,
        _ => &mut a.capital,
    };
    let (mut l, shares): (OverheadLine, _) =
        line(row, &OVERHEAD, &format!("{category}[{}].", list.len() + 1));
    l.shares = shares;
    list.push(l);
}

fn back_office_line(row: &mut Row, a: &mut Agency) {
    let (l, _): (BackOfficeLine, _) =
        line(row, &BACK_OFFICE, &format!("back_office[{}].", a.back_office.len() + 1));
    a.back_office.push(l);
}

fn fee_overrides(grid: &Grid, out: &mut InputWorkbook) {
    let layout = grid.sheet.layout(&FEE_OVERRIDE);
    for line in grid.lines() {
        let mut row = Row::new(grid, line);
        let mut o = FeeOverride::default();
        row.fields(&FEE_OVERRIDE, &layout, &mut o, "");
        if row.errors.is_empty() {
            o.location = row.fields.get("amount").cloned().unwrap_or_default();
            out.fee_overrides.push(o);
        }
        out.errors.append(&mut row.errors);
    }
}

/// The Price index sheet's rows, as one index: one name on every row, each price year once.
/// A row that breaks either is an error at its cell, and the index is not used.
fn price_index(grid: &Grid, out: &mut InputWorkbook) {
    let layout = grid.sheet.layout(&PRICE_INDEX);
    let mut index: Option<PriceIndex> = None;
    let mut broken = false;
    for line in grid.lines() {
        let mut row = Row::new(grid, line);
        let mut r = PriceIndexRow::default();
        row.fields(&PRICE_INDEX, &layout, &mut r, "");
        if row.errors.is_empty() {
            let at = |field: &str| {
                let cell = row.fields.get(field).and_then(|c| c.rsplit_once('!').map(|(_, c)| c.to_string()));
                cell.unwrap_or_default()
            };
            let ix =
                index.get_or_insert_with(|| PriceIndex { name: r.name.clone(), values: BTreeMap::new() });
            let problem = if ix.name.trim() != r.name.trim() {
                Some((
                    at("name"),
                    format!("\"{}\"", r.name),
                    format!("the same index name on every row (\"{}\" above)", ix.name),
                ))
            } else if ix.values.insert(r.year, crate::input::IndexValue(r.value)).is_some() {
                Some((at("year"), r.year.to_string(), "each price year once".to_string()))
            } else {
                None
            };
            if let Some((cell, found, expected)) = problem {
                broken = true;
                row.errors.push(CellError { sheet: grid.sheet.name.into(), cell, found, expected });
            }
        } else {
            broken = true;
        }
        out.errors.append(&mut row.errors);
    }
    out.price_index = index.filter(|_| !broken);
}

/// The Reference sheet's rows, each cited by its place; laid over the reference data when the
/// rows are costed ([`crate::batch`]).
fn reference_rows(grid: &Grid, out: &mut InputWorkbook) {
    let layout = grid.sheet.layout(&REFERENCE_ROW);
    for line in grid.lines() {
        let mut row = Row::new(grid, line);
        let mut r = UserRow::default();
        row.fields(&REFERENCE_ROW, &layout, &mut r, "");
        if row.errors.is_empty() {
            r.place = format!("sheet '{}', row {}", grid.sheet.name, row.row + 1);
            out.reference_rows.push((row.row + 1, r));
        }
        out.errors.append(&mut row.errors);
    }
}

fn child_rows(
    grid: &Grid,
    known: &dyn Fn(&str) -> bool,
    errors: &mut Vec<CellError>,
    each: &mut dyn FnMut(Entry),
) {
    let (child_layout, route_layout) = (grid.sheet.layout(&CHILD), grid.sheet.layout(&ROUTE));
    let mut shared: Option<Arc<SheetColumns>> = None;
    for line in grid.lines() {
        // The first row read notes which column holds which field; every row shares that map.
        let mut row = Row { record: shared.is_none(), ..Row::new(grid, line) };
        let mut child = Child::default();
        let mut route = Route::default();
        let (code, is_known) = row.agency_code(known);
        row.fields(&CHILD, &child_layout, &mut child, "");
        row.fields(&ROUTE, &route_layout, &mut route, "");
        child.notes = row.text_of(NOTES).unwrap_or_default();
        child.cost_centre = row.text_of(schema::COST_CENTRE).unwrap_or_default();
        child.budget_code = row.text_of(schema::BUDGET_CODE).unwrap_or_default();
        let columns = shared.get_or_insert_with(|| columns_of(&row)).clone();
        let r = row.row + 1;
        match code {
            Some(agency_code) if is_known && row.errors.is_empty() => each(Entry::Read(ChildRow {
                row: r,
                agency_code,
                child,
                route,
                provenance: Provenance {
                    source: format!("workbook sheet Children, row {r}"),
                    fields: BTreeMap::new(),
                    row: Some(SheetRow { columns, row: r }),
                },
            })),
            code => {
                each(Entry::Unread(UncostedRow {
                    row: r,
                    reference: child.reference,
                    agency_code: code.unwrap_or_default(),
                    cells: row
                        .errors
                        .iter()
                        .map(|e| format!("{}!{}", quote_sheet(&e.sheet), e.cell))
                        .collect(),
                }));
                errors.append(&mut row.errors);
            }
        }
    }
}

/// Which column holds which field, from the cells a row's fields were found in.
fn columns_of(row: &Row) -> Arc<SheetColumns> {
    let columns = row
        .fields
        .iter()
        .filter_map(|(field, at)| {
            let cell = at.rsplit_once('!')?.1;
            Some((field.clone(), cell.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()))
        })
        .collect();
    Arc::new(SheetColumns { sheet: quote_sheet(row.grid.sheet.name), columns })
}
