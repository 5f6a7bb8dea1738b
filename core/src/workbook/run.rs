//! Costing a filled workbook: its rows read ([`super::read()`]), costed as a batch
//! ([`crate::batch`]), and either kept ([`run`]) or written into the costed workbook as they are
//! costed ([`cost_to_workbook`]), or read, costed and written together
//! ([`workbook_to_workbook`]).

use std::collections::BTreeMap;
use std::sync::atomic::AtomicUsize;

use super::costed::{Costed, PlacementCells, PlacementLayout, WorkingsJob};
use super::read::{CellError, ChildrenRead, InputWorkbook, read};
use crate::batch::{
    self, Batch, BatchAgency, Chunk, FeeKey, FeeUse, Line, Options, Placed, PlacementRow, Prepare,
};
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
    let (batch, rows) = batch::begin(input, reference);
    let read = batch.errors.len();
    let written = write_costed(batch, read, opts, |batch, writer, sink| {
        Ok((rows.cost(batch, opts, writer, progress, sink).map_err(Stopped::Output)?, None))
    });
    written.map_err(|(Stopped::Input(e) | Stopped::Output(e))| e)
}

/// Why an input workbook was not costed into a costed workbook.
#[derive(Debug)]
pub enum Stopped {
    /// The input cannot be read (not a spreadsheet, a sheet or header missing, over a limit).
    Input(Error),
    /// The costed workbook cannot be written.
    Output(Error),
}

/// Costs an input workbook's bytes into a costed workbook: [`cost_to_workbook`] of the
/// workbook [`super::read()`], but the Children sheet's rows are costed and written as they are
/// read, on `opts.threads` threads besides one that reads them (reading a large sheet takes
/// about as long as costing it). The same bytes, and the same errors as reading the whole
/// workbook first.
pub fn workbook_to_workbook(
    bytes: &[u8],
    limits: &super::read::Limits,
    reference: &Reference,
    opts: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> std::result::Result<Written, Stopped> {
    let mut opened = super::read::open_within(bytes, limits).map_err(Stopped::Input)?;
    let codes: Vec<String> = opened.others.agencies.iter().map(|a| a.code.clone()).collect();
    let others = std::mem::take(&mut opened.others);
    // The Children sheet's errors go after the other sheets', before the agencies' costing's.
    let read_before = others.errors.len();
    let (batch, rows) = batch::begin(others, reference);
    let (keep, total) = (opts.keep_figures, AtomicUsize::new(0));
    write_costed(batch, read_before, opts, |batch, writer, sink| {
        // The browser has no threads: there the rows are read, then costed.
        let (fee_uses, read) = if opts.threads == 0 || cfg!(target_arch = "wasm32") {
            let mut chunks = Vec::new();
            let read = opened.read_children(&codes, keep, &total, &mut |c| {
                chunks.push(c);
                true
            });
            (rows.cost_chunks(chunks.into_iter(), &total, batch, opts, writer, progress, sink), read)
        } else {
            std::thread::scope(|scope| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(READ_AHEAD);
                let (codes, total) = (&codes, &total);
                let reader = scope
                    .spawn(move || opened.read_children(codes, keep, total, &mut |c| tx.send(c).is_ok()));
                let costed = rows.cost_chunks(rx.into_iter(), total, batch, opts, writer, progress, sink);
                (costed, reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            })
        };
        // A writing error stops the reading too; a reading error ends the rows early.
        let fee_uses = fee_uses.map_err(Stopped::Output)?;
        Ok((fee_uses, Some(read.map_err(Stopped::Input)?)))
    })
}

/// Chunks of Children rows the reading thread may have read and not yet handed to the costing.
/// Enough that it keeps reading while the first chunk's costing writes Workings (the costing and
/// the writer wait on that, so a reader held back would leave a core idle), few enough that a
/// large sheet is never held whole (see docs/decisions.md).
const READ_AHEAD: usize = 32;

/// What the costed workbook's writer has done for each costed row on the thread that costed
/// it: the row's cells on Placements made ready, and Workings written once its rows are costed.
struct Writer<'a, 'w> {
    layout: PlacementLayout,
    workings: &'w WorkingsJob<'a>,
}

impl Prepare for Writer<'_, '_> {
    type Ready = Result<PlacementCells>;

    fn ready(&self, line: u32, p: &PlacementRow, a: &BatchAgency) -> Self::Ready {
        PlacementCells::new(line, p, a, &self.layout)
    }

    fn kept(&self, rows: &[&PlacementRow]) {
        self.workings.write(rows);
    }
}

/// The rows' costing: their fee uses, and what reading them found where they were read as
/// they were costed.
type RowsCosted = (BTreeMap<FeeKey, FeeUse>, Option<ChildrenRead>);

/// Writes the costed workbook of `batch`'s agencies, the rows costed by `cost` (given the batch,
/// the writer's work for each row and the sink for each row's line, in order). Rows read as
/// they were costed add their errors after the first `read_before` of the batch's (those of
/// the sheets read before them).
fn write_costed(
    mut batch: batch::Costed,
    read_before: usize,
    opts: &Options,
    cost: impl FnOnce(
        &batch::Costed,
        &Writer,
        &mut dyn FnMut(Line<Result<PlacementCells>>) -> Result<()>,
    ) -> std::result::Result<RowsCosted, Stopped>,
) -> std::result::Result<Written, Stopped> {
    let mut costed = 0;
    let mut errors = Vec::new();
    let mut w = Costed::start(&batch.agencies, opts.today).map_err(Stopped::Output)?;
    let workings = w.workings_job().map_err(Stopped::Output)?;
    let writer = Writer { layout: PlacementLayout::new(), workings: &workings };
    let (fee_uses, read) = cost(&batch, &writer, &mut |line| {
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
    if let Some(read) = read {
        batch.errors.splice(read_before..read_before, read.errors);
        batch.notes.splice(read.notes_at..read.notes_at, read.notes);
        batch.child_rows = read.rows;
    }
    batch.errors.append(&mut errors);
    let bytes = w.finish(workings, costed, &fee_uses, &batch.errors).map_err(Stopped::Output)?;
    Ok(Written {
        bytes,
        agencies: batch.agencies.len(),
        child_rows: batch.child_rows,
        costed,
        notes: batch::notes(&batch.notes, &batch.agencies),
        errors: batch.errors,
    })
}
