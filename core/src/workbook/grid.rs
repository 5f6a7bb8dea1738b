//! One input sheet's cells, read one at a time into a sparse grid that keeps only the rows with
//! a value and, of each, only the template's columns: memory follows the cells a sheet holds,
//! never the furthest cell it names.

use std::collections::BTreeMap;

use calamine::{Data, DataRef, Reader};

use super::open::reader;

use super::cell;
use super::open::{Book, Limits, MAX_COLUMNS, MAX_ROWS, beyond};
use super::schema::{self, Sheet};
use crate::batch::quote_sheet;
use crate::error::{Error, Result};

/// Cells at or past this column are not read (the template's columns are the first few dozen;
/// a header placed past it is not found).
const READ_COLUMNS: u32 = 256;

/// What the sheets read so far hold, against the limits.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Budget {
    cells: u64,
    text: u64,
}

/// A cell that is a formula whose result was not saved with the file.
const UNCACHED: &str = "\u{0}formula";

/// One input sheet, read.
#[derive(Debug)]
pub(crate) struct Grid {
    /// The sheet's schema.
    pub sheet: &'static Sheet,
    /// The absolute column of each schema column, where the sheet has it.
    cols: Vec<Option<u32>>,
    /// Each row after the header with a value in a schema column, in order: its cells by
    /// schema column.
    rows: Vec<(u32, Box<[Data]>)>,
}

impl Grid {
    /// The optional columns the sheet does not have (those whose blank means nothing aside),
    /// none where it is an optional sheet the workbook lacks altogether (it reads as empty).
    pub fn missing(&self) -> impl Iterator<Item = &'static str> + '_ {
        let absent = self.sheet.optional && self.cols.iter().all(Option::is_none);
        let columns = self.sheet.columns.iter().zip(&self.cols);
        columns
            .filter(move |(c, at)| !absent && at.is_none() && !super::schema::QUIET.contains(&c.header))
            .map(|(c, _)| c.header)
    }
}

impl Grid {
    /// True for the marker of a formula with no saved result.
    pub fn is_uncached_formula(d: &Data) -> bool {
        matches!(d, Data::String(s) if s == UNCACHED)
    }

    /// The rows after the header with a value in a schema column, in order.
    pub fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.lines().map(|(r, _)| r)
    }

    /// Those rows with their cells by schema column.
    pub fn lines(&self) -> impl Iterator<Item = (u32, &[Data])> + '_ {
        self.rows.iter().filter(|(_, cells)| !blank(cells)).map(|(r, cells)| (*r, &**cells))
    }

    /// The absolute column of a schema column, where the sheet has it.
    pub fn column(&self, col: usize) -> Option<u32> {
        self.cols.get(col).copied().flatten()
    }
}

/// True for a row whose cells are all empty or blank text.
fn blank(cells: &[Data]) -> bool {
    cells.iter().all(|d| match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    })
}

fn sheet_error(sheet: &Sheet, message: String) -> Error {
    Error::Workbook { place: format!(", sheet '{}'", sheet.name), message }
}

/// Reads a schema sheet from the workbook into a grid.
pub(crate) fn read(
    book: &mut Book,
    sheet: &'static Sheet,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<Grid> {
    let mut rows = Vec::new();
    let mut all = |g: Grid| {
        rows.extend(g.rows);
        Ok(())
    };
    let head = stream(book, sheet, limits, budget, usize::MAX, &mut all)?;
    Ok(Grid { rows, ..head })
}

/// Reads a schema sheet from the workbook, handing its rows to `sink` as they are read, a grid
/// of at least `every` rows at a time (the last may have fewer), each with the sheet's columns.
/// Returns the sheet's grid without its rows (its columns, for what it lacks). A sheet whose
/// rows are not in order is refused: Excel and LibreOffice always save them in order, and a
/// row handed on cannot be added to afterwards.
pub(crate) fn stream(
    book: &mut Book,
    sheet: &'static Sheet,
    limits: &Limits,
    budget: &mut Budget,
    every: usize,
    sink: &mut dyn FnMut(Grid) -> Result<()>,
) -> Result<Grid> {
    let names = book.sheet_names();
    let Some(name) = names.iter().find(|n| n.trim().eq_ignore_ascii_case(sheet.name)) else {
        if sheet.optional {
            // A workbook made before the sheet was added: as if it were there and empty.
            return Ok(Grid { sheet, cols: vec![None; sheet.columns.len()], rows: Vec::new() });
        }
        return Err(Error::Workbook {
            place: String::new(),
            message: format!(
                "there is no sheet '{}'; expected the sheets of the adoptcost template ({}); make one with `adoptcost template`",
                sheet.name,
                schema::INPUT_SHEETS
                    .iter()
                    .filter(|s| !s.optional)
                    .map(|s| format!("'{}'", s.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    };
    let mut cells = Cells {
        sheet,
        limits,
        budget,
        header: BTreeMap::new(),
        cols: None,
        open: None,
        done: Vec::new(),
        every,
        sink,
    };
    let unreadable = |e: Option<calamine::Error>| {
        let e = e.map_or_else(|| super::open::READER_STOPPED.to_string(), |e| e.to_string());
        sheet_error(sheet, format!("cannot be read: {}", super::open::damage(&e).unwrap_or(e)))
    };
    match book {
        Book::Xlsx(b) => {
            let mut cells_reader = reader(|| b.worksheet_cells_reader(name).map_err(calamine::Error::from))
                .map_err(unreadable)?;
            while let Some(c) =
                reader(|| cells_reader.next_cell_with_formula().map_err(calamine::Error::from))
                    .map_err(unreadable)?
            {
                let uncached = c.value == DataRef::Empty && c.formula.as_ref().is_some_and(|f| !f.is_empty());
                let value = if uncached { Data::String(UNCACHED.into()) } else { Data::from(c.value) };
                cells.add(c.pos, value)?;
            }
        }
        Book::Ods(b) => {
            let range =
                reader(|| b.worksheet_range(name).map_err(calamine::Error::from)).map_err(unreadable)?;
            for (r, c, d) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                cells.add((r0 + r as u32, c0 + c as u32), d.clone())?;
            }
        }
        Book::Xls(b) => {
            let range =
                reader(|| b.worksheet_range(name).map_err(calamine::Error::from)).map_err(unreadable)?;
            for (r, c, d) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                cells.add((r0 + r as u32, c0 + c as u32), d.clone())?;
            }
        }
    }
    cells.finish()
}

/// The cells of one sheet as they are read.
struct Cells<'a> {
    sheet: &'static Sheet,
    limits: &'a Limits,
    budget: &'a mut Budget,
    /// Row 1's text, by column.
    header: BTreeMap<u32, String>,
    /// The absolute column of each schema column, once row 1 is read.
    cols: Option<Vec<Option<u32>>>,
    /// The row being read, with its cells that have a value.
    open: Option<(u32, Vec<(u32, Data)>)>,
    /// The rows read and not yet handed on, by schema column.
    done: Vec<(u32, Box<[Data]>)>,
    /// How many rows to hand on at a time.
    every: usize,
    sink: &'a mut dyn FnMut(Grid) -> Result<()>,
}

impl Cells<'_> {
    fn add(&mut self, (row, col): (u32, u32), value: Data) -> Result<()> {
        if row >= MAX_ROWS || col >= MAX_COLUMNS {
            return Err(sheet_error(
                self.sheet,
                format!(
                    "has a cell beyond Excel's grid (row {}, column {}); expected cells within A1:XFD1048576",
                    u64::from(row) + 1,
                    u64::from(col) + 1
                ),
            ));
        }
        if col >= READ_COLUMNS || matches!(value, Data::Empty) {
            return Ok(());
        }
        let text = match &value {
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.len() as u64,
            _ => 0,
        };
        self.budget.cells += 1;
        self.budget.text += text;
        if self.budget.cells > self.limits.cells {
            let limit = format!("{} cells", self.limits.cells);
            return Err(beyond("workbook", format!("its sheets hold more than {limit}"), limit, "cells"));
        }
        if self.budget.text > self.limits.text_bytes {
            let limit = format!("{} MB of text", self.limits.text_bytes >> 20);
            return Err(beyond("workbook", format!("its cells hold more than {limit}"), limit, "text"));
        }
        if row == 0 && self.open.is_none() {
            if let Some(t) = cell::text(&value) {
                self.header.insert(col, t);
            }
            return Ok(());
        }
        match &mut self.open {
            Some((r, found)) if *r == row => {
                found.push((col, value));
                return Ok(());
            }
            Some((r, _)) if *r > row => {
                return Err(sheet_error(
                    self.sheet,
                    format!(
                        "has row {} after row {}; expected its rows in order, as Excel and LibreOffice save them: open it in one of them and save it again",
                        u64::from(row) + 1,
                        u64::from(*r) + 1
                    ),
                ));
            }
            _ => {}
        }
        self.close()?;
        self.open = Some((row, vec![(col, value)]));
        Ok(())
    }

    /// Places the row being read by schema column, and hands the rows on once there are enough.
    fn close(&mut self) -> Result<()> {
        let Some((row, found)) = self.open.take() else { return Ok(()) };
        let cols = self.columns()?;
        let mut cells = vec![Data::Empty; cols.len()].into_boxed_slice();
        let mut any = false;
        for (c, value) in found {
            if let Some(k) = cols.iter().position(|&x| x == Some(c)) {
                cells[k] = value;
                any = true;
            }
        }
        if any {
            self.done.push((row, cells));
        }
        if self.done.len() >= self.every {
            self.hand_on()?;
        }
        Ok(())
    }

    fn hand_on(&mut self) -> Result<()> {
        let cols = self.columns()?.to_vec();
        (self.sink)(Grid { sheet: self.sheet, cols, rows: std::mem::take(&mut self.done) })
    }

    /// The rows left handed on; the sheet's grid without its rows.
    fn finish(mut self) -> Result<Grid> {
        self.close()?;
        if !self.done.is_empty() {
            self.hand_on()?;
        }
        let cols = self.columns()?.to_vec();
        Ok(Grid { sheet: self.sheet, cols, rows: Vec::new() })
    }

    /// The absolute column of each of the schema's columns, found among the headers once.
    fn columns(&mut self) -> Result<&[Option<u32>]> {
        if self.cols.is_none() {
            self.cols = Some(header_columns(self.sheet, &self.header)?);
        }
        Ok(self.cols.as_deref().unwrap_or_default())
    }
}

/// The schema's columns found among a sheet's headers.
fn header_columns(sheet: &'static Sheet, header: &BTreeMap<u32, String>) -> Result<Vec<Option<u32>>> {
    let mut cols = Vec::with_capacity(sheet.columns.len());
    for column in &sheet.columns {
        let mut found = header.iter().filter(|(_, t)| t.eq_ignore_ascii_case(column.header));
        let first = found.next().map(|(c, _)| *c);
        if let Some((second, _)) = found.next() {
            let at = |c: u32| format!("{}!{}", quote_sheet(sheet.name), cell::a1(0, c));
            return Err(sheet_error(
                sheet,
                format!(
                    "the header \"{}\" is in two columns, {} and {}; expected each of the template's headers once",
                    column.header,
                    at(first.unwrap_or_default()),
                    at(*second)
                ),
            ));
        }
        // An optional column may be missing (a workbook made from an older template): its
        // rows take the blank's default, and the run says so.
        if first.is_none() && column.required {
            return Err(sheet_error(
                sheet,
                format!(
                    "row 1 has no header \"{}\"; expected the template's headers ({}) (was one renamed?)",
                    column.header,
                    sheet.columns.iter().map(|c| c.header).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        cols.push(first);
    }
    Ok(cols)
}
