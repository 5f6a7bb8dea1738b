//! Costing a filled workbook: its rows read ([`super::read()`]), costed as a batch
//! ([`crate::batch`]), and either kept ([`run`]) or written into the costed workbook as they are
//! costed ([`cost_to_workbook`]).

use super::costed::{Begun, PlacementCells, PlacementFormulas, WorkingsJob};
use super::read::{CellError, InputWorkbook, Parsed, read};
use crate::batch::{self, Batch, BatchAgency, Line, Options, Placed, PlacementRow, Prepare};
use crate::error::{Error, Result};
use crate::reference::Reference;

pub use crate::batch::scenario;

/// The batch options for a costed workbook: rows costed on `threads` threads besides the
/// writer's, the figures kept of the rows Workings lists, and today's date for rows that give
/// no placement date.
pub fn options(threads: usize, today: Option<jiff::civil::Date>) -> Options {
    Options { threads, keep_figures: super::costed::WORKINGS_PLACEMENT_LIMIT, today }
}

/// Costs every child row of an input workbook's bytes. `progress` is told (done, total) as
/// rows are costed, for a progress bar.
pub fn run(
    bytes: &[u8],
    reference: &Reference,
    opts: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Batch> {
    batch::collect(read(bytes)?, reference, opts, progress)
}

/// A costed workbook written by [`cost_to_workbook`], with what a caller reports of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The costed workbook's bytes.
    pub bytes: Vec<u8>,
    /// Agencies costed.
    pub agencies: usize,
    /// Child rows in the workbook.
    pub child_rows: usize,
    /// Child rows costed.
    pub costed: usize,
    /// Every rejected cell or row, as on the Errors sheet.
    pub errors: Vec<CellError>,
    /// What a reader must know of each costed agency ([`crate::batch::notes`]).
    pub notes: Vec<String>,
}

/// Costs what was read from a workbook and writes the costed workbook as the rows are costed:
/// the same bytes as [`super::costed()`] of [`run`]'s batch, but a large batch is never held in
/// memory, and the writing overlaps the costing (on `opts.threads` other threads). A row that
/// cannot be costed is listed, as in [`run`]; an error is the writer's.
pub fn cost_to_workbook(
    input: InputWorkbook,
    reference: &Reference,
    opts: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Written> {
    let rows = input.children.len() + input.unread.len();
    write_costed(rows, || input, reference, opts, progress)
}

/// [`cost_to_workbook`] of a parsed workbook ([`super::parse`]): the same bytes.
pub fn parsed_to_workbook(
    parsed: Parsed,
    reference: &Reference,
    opts: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Written> {
    write_costed(parsed.child_rows(), || parsed.read(), reference, opts, progress)
}

/// What the costed workbook's writer has done for each costed row on the thread that costed
/// it: the row's cells on Placements made ready, and Workings written once its rows are costed.
struct Writer<'a, 'w> {
    formulas: PlacementFormulas,
    workings: &'w WorkingsJob<'a>,
}

impl Prepare for Writer<'_, '_> {
    type Ready = Result<PlacementCells>;

    fn ready(&self, line: u32, p: &PlacementRow, _: &BatchAgency) -> Self::Ready {
        PlacementCells::new(line, p, &self.formulas)
    }

    fn kept(&self, rows: &[&PlacementRow]) {
        self.workings.write(rows);
    }
}

/// Begins a costed workbook of `child_rows` child rows, then reads them with `input`, and costs
/// and writes them.
fn write_costed(
    child_rows: usize,
    input: impl FnOnce() -> InputWorkbook,
    reference: &Reference,
    opts: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Written> {
    let begun = Begun::new(child_rows, opts.today)?;
    let input = input();
    let read = input.children.len() + input.unread.len();
    if read != child_rows {
        return Err(Error::internal(format!("{child_rows} child rows were counted but {read} read")));
    }
    let (mut batch, rows) = batch::begin(input, reference);
    let mut costed = 0;
    let mut errors = Vec::new();
    let mut w = begun.summary(&batch.agencies)?;
    let workings = w.workings_job()?;
    let writer = Writer { formulas: PlacementFormulas::new(), workings: &workings };
    let fee_uses = rows.cost(&batch, opts, &writer, progress, &mut |line| {
        match line {
            Line::Costed(p, cells) => {
                w.write(Placed::Costed(&p), Some(cells))?;
                costed += 1;
            }
            Line::Uncosted(u, e) => {
                w.write(Placed::Uncosted(&u), None)?;
                errors.extend(e);
            }
        }
        Ok(())
    })?;
    batch.errors.append(&mut errors);
    let bytes = w.finish(workings, costed, &fee_uses, &batch.errors)?;
    Ok(Written {
        bytes,
        agencies: batch.agencies.len(),
        child_rows: batch.child_rows,
        costed,
        notes: batch::notes(&batch.notes, &batch.agencies),
        errors: batch.errors,
    })
}
