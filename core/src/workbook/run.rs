//! Costing a whole input workbook: every agency once, every child row against its agency.
//! One bad row never stops the others; each failure becomes a [`CellError`].

use rust_decimal::Decimal;
use serde::Serialize;

use std::collections::BTreeMap;

use super::costed::PlacementCells;
use super::read::{AgencyRow, CellError, ChildRow, InputWorkbook, Parsed, UncostedRow, read};
use crate::compare::{CostedAgency, Detail, Placement, cost_agency, place_into};
use crate::error::{Error, Result};
use crate::explain::{Explanation, Origin};
use crate::input::{Case, Child, Provenance, Route};
use crate::reference::Reference;

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
    /// Its staff roles, in line order (for the hourly cost table).
    pub roles: Vec<(String, rust_decimal::Decimal, crate::money::Money)>,
    /// The costing.
    pub costed: CostedAgency,
}

/// The result of costing a workbook.
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

/// Costs every child row of an input workbook's bytes. `progress` is told (done, total) as
/// rows are costed, for a progress bar.
pub fn run(bytes: &[u8], reference: &Reference, progress: &mut dyn FnMut(usize, usize)) -> Result<Batch> {
    let input: InputWorkbook = read(bytes)?;
    cost(input, reference, progress)
}

/// Costs one scenario (an agency and one child or sibling group) as a batch of one, for the
/// costed workbook of a single comparison (the browser calculator's export). The scenario is
/// first compared as [`crate::compare()`] does, so a bad input gets the same error; the placement
/// is row 2 of a notional Children sheet, and its figures cite the scenario's own provenance.
pub fn scenario(s: &crate::input::Scenario, reference: &Reference) -> Result<Batch> {
    crate::compare::compare(s, reference)?;
    if s.price_index.is_some() {
        return Err(Error::invalid(
            "price_index",
            "a price index",
            "no price index: the costed workbook has no price-index sheet, so its figures would not be \
             the comparison's (restate the amounts, or use adoptcost compare for this scenario)",
        ));
    }
    let code = if s.agency.code.is_empty() { "AGENCY".to_string() } else { s.agency.code.clone() };
    let input = InputWorkbook {
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
        errors: Vec::new(),
    };
    cost(input, reference, &mut |_, _| {})
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
}

/// Costs what was read from a workbook and writes the costed workbook as the rows are costed:
/// the same bytes as [`super::costed()`] of [`cost`], but a large batch is never held in
/// memory, and the writing overlaps the costing (on another core where there is one). A row
/// that cannot be costed is listed, as in [`cost`]; an error is the writer's.
pub fn cost_to_workbook(
    input: InputWorkbook,
    reference: &Reference,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Written> {
    let rows = input.children.len() + input.unread.len();
    write_costed(rows, || input, reference, progress)
}

/// [`cost_to_workbook`] of a parsed workbook ([`super::parse`]): the same bytes, but the
/// costed workbook is begun (Placements' named table added, on another thread where there is
/// one) while the parsed sheets are read into rows.
pub fn parsed_to_workbook(
    parsed: Parsed,
    reference: &Reference,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Written> {
    write_costed(parsed.child_rows(), || parsed.read(), reference, progress)
}

/// Begins a costed workbook of `child_rows` child rows, then reads them with `input`, and costs
/// and writes them.
fn write_costed(
    child_rows: usize,
    input: impl FnOnce() -> InputWorkbook,
    reference: &Reference,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Written> {
    let begun = super::costed::Begun::new(child_rows)?;
    let input = input();
    if input.children.len() + input.unread.len() != child_rows {
        return Err(Error::Workbook {
            place: String::new(),
            message: format!(
                "internal: {child_rows} child rows were counted but {} read",
                input.children.len() + input.unread.len()
            ),
        });
    }
    let (mut batch, rows) = Rows::new(input, reference);
    let mut costed = 0;
    let mut errors = Vec::new();
    let mut w = begun.summary(&batch.agencies)?;
    let workings = w.workings_job()?;
    let writing = Writing { workings: &|listed| workings.write(listed) };
    let fee_uses = rows.each(&batch, Some(writing), progress, &mut |line| {
        match line {
            Line::Costed(p, cells) => {
                w.write(Placed::Costed(&p), cells)?;
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
        errors: batch.errors,
    })
}

/// A child row on the Placements sheet.
#[derive(Debug, Clone, Copy)]
pub enum Placed<'a> {
    /// A costed child.
    Costed(&'a PlacementRow),
    /// A row that could not be costed.
    Uncosted(&'a UncostedRow),
}

impl Batch {
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

/// Costs what was read from a workbook.
pub fn cost(
    input: InputWorkbook,
    reference: &Reference,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Batch> {
    let (mut batch, rows) = Rows::new(input, reference);
    let mut placements = Vec::with_capacity(rows.children.len());
    let mut uncosted = Vec::new();
    let mut errors = Vec::new();
    let fee_uses = rows.each(&batch, None, progress, &mut |line| {
        match line {
            Line::Costed(p, _) => placements.push(p),
            Line::Uncosted(u, e) => {
                errors.extend(e);
                uncosted.push(u);
            }
        }
        Ok(())
    })?;
    batch.placements = placements;
    batch.uncosted = uncosted;
    batch.errors.append(&mut errors);
    batch.fee_uses = fee_uses;
    Ok(batch)
}

/// Adds one count of fee uses to another.
fn merge(all: &mut BTreeMap<FeeKey, FeeUse>, more: BTreeMap<FeeKey, FeeUse>) {
    for (key, u) in more {
        match all.get_mut(&key) {
            Some(a) => a.times += u.times,
            None => {
                all.insert(key, u);
            }
        }
    }
}

/// One child row's outcome, in sheet order.
#[allow(clippy::large_enum_variant)] // nearly every line is costed: a box would only add an allocation
pub(crate) enum Line {
    /// Costed, with its cells on Placements where they were made ready for a writer.
    Costed(PlacementRow, Option<Result<PlacementCells>>),
    /// Not costed, with the error that stopped it where costing did (a row that could not be
    /// read has its errors listed already).
    Uncosted(UncostedRow, Option<CellError>),
}

/// What [`Rows::each`] does for a sink that writes a costed workbook.
#[derive(Clone, Copy)]
pub(crate) struct Writing<'w> {
    /// Told the placements whose figures Workings lists, once, as soon as they are costed
    /// (by the thread that costs them: see [`super::costed::WorkingsJob`]).
    pub(crate) workings: &'w (dyn Fn(&[&PlacementRow]) + Sync),
}

// Every row whose figures Workings lists is in the first chunk, so the costing of that chunk
// can hand them all on.
const _: () = assert!(CHUNK >= super::costed::WORKINGS_PLACEMENT_LIMIT);

/// The child rows of a workbook, ready to cost against its costed agencies.
pub(crate) struct Rows<'r> {
    inputs: Vec<crate::input::Agency>,
    index: BTreeMap<String, Option<usize>>,
    fee_overrides: Vec<crate::input::FeeOverride>,
    pub(crate) children: Vec<ChildRow>,
    unread: Vec<UncostedRow>,
    reference: &'r Reference,
}

impl<'r> Rows<'r> {
    /// Costs the agencies read (the returned batch has them, and every error so far: the
    /// reading's, then the agencies'), and holds the child rows to cost against them.
    pub(crate) fn new(input: InputWorkbook, reference: &'r Reference) -> (Batch, Rows<'r>) {
        let mut batch = Batch { errors: input.errors, child_rows: input.child_rows, ..Batch::default() };
        let mut index: BTreeMap<String, Option<usize>> = BTreeMap::new();
        // The agencies' inputs, beside their costings, for placing their children.
        let mut inputs = Vec::new();
        for a in input.agencies {
            let Some(agency) = a.agency else {
                index.insert(a.code, None);
                continue;
            };
            match cost_agency(&agency, reference) {
                Ok(costed) => {
                    index.insert(a.code.clone(), Some(batch.agencies.len()));
                    let roles =
                        agency.staff.iter().map(|s| (s.role.clone(), s.fte, s.salary.money())).collect();
                    batch.agencies.push(BatchAgency {
                        code: a.code,
                        name: agency.name.clone(),
                        nation: agency.nation,
                        roles,
                        costed,
                    });
                    inputs.push(agency);
                }
                Err(e) => {
                    batch.errors.push(cell_error(&e, &agency.provenance, "Agencies", &format!("A{}", a.row)));
                    index.insert(a.code, None);
                }
            }
        }
        let rows = Rows {
            inputs,
            index,
            fee_overrides: input.fee_overrides,
            children: input.children,
            unread: input.unread,
            reference,
        };
        (batch, rows)
    }

    /// Costs every child row against `batch`'s agencies and hands each row's outcome to `sink`
    /// in sheet order, rows that could not be read among them. The rows are costed on other
    /// threads (where there are threads: not in the browser) while this one hands them on, so
    /// a costed workbook is written as the rows are costed; `writing` says the sink writes one
    /// (it has work of its own, see [`in_chunks`]; each costed row's cells are made ready for
    /// it, and Workings is written beside it). `progress` hears (done, total). An error from
    /// `sink` stops the costing and is returned.
    pub(crate) fn each(
        self,
        batch: &Batch,
        writing: Option<Writing>,
        progress: &mut dyn FnMut(usize, usize),
        sink: &mut dyn FnMut(Line) -> Result<()>,
    ) -> Result<BTreeMap<FeeKey, FeeUse>> {
        let total = self.children.len() + self.unread.len();
        let mut unread = self.unread.iter().cloned().peekable();
        let mut done = 0;
        let mut fee_uses = BTreeMap::new();
        // A costed row's cells are made ready beside its costing, off the writing thread.
        let formulas = writing.map(|_| super::costed::PlacementFormulas::new());
        // Each chunk counts its own fee uses, so what crosses to this thread is a few lines of
        // the Fees sheet rather than every row's.
        let chunk = |start: usize, rows: &[ChildRow]| {
            let mut uses = BTreeMap::new();
            let lines: Vec<Line> = rows
                .iter()
                .enumerate()
                .map(|(k, row)| self.place(batch, start + k, row, &mut uses, formulas.as_ref()))
                .collect();
            if let Some(w) = writing
                && start == 0
            {
                let listed: Vec<&PlacementRow> = lines
                    .iter()
                    .filter_map(|l| match l {
                        Line::Costed(p, _) if super::costed::is_listed(p) => Some(p),
                        _ => None,
                    })
                    .collect();
                (w.workings)(&listed);
            }
            (lines, uses)
        };
        progress(0, total);
        in_chunks(&self.children, CHUNK, &chunk, writing.is_some(), &mut |(lines, uses)| {
            merge(&mut fee_uses, uses);
            for line in lines {
                let row = match &line {
                    Line::Costed(p, _) => p.row,
                    Line::Uncosted(u, _) => u.row,
                };
                while let Some(u) = unread.next_if(|u| u.row < row) {
                    sink(Line::Uncosted(u, None))?;
                    done += 1;
                }
                sink(line)?;
                done += 1;
            }
            progress(done, total);
            Ok(())
        })?;
        for u in unread {
            sink(Line::Uncosted(u, None))?;
        }
        progress(total, total);
        Ok(fee_uses)
    }

    /// Costs the `i`th child row, counting what set its fee into `uses`, and with `formulas`
    /// makes its cells on Placements ready.
    fn place(
        &self,
        batch: &Batch,
        i: usize,
        row: &ChildRow,
        uses: &mut BTreeMap<FeeKey, FeeUse>,
        formulas: Option<&super::costed::PlacementFormulas>,
    ) -> Line {
        let at = format!("A{}", row.row);
        let uncosted = |e: CellError| {
            let u = UncostedRow {
                row: row.row,
                reference: row.child.reference.clone(),
                agency_code: row.agency_code.clone(),
                cells: vec![format!("{}!{}", super::read::quote_sheet(&e.sheet), e.cell)],
            };
            Line::Uncosted(u, Some(e))
        };
        let Some(k) = self.index.get(&row.agency_code).copied().flatten() else {
            let cell = row
                .provenance
                .location("child.reference")
                .and_then(|c| c.rsplit_once('!').map(|(_, c)| c.to_string()))
                .unwrap_or_else(|| at.clone());
            return uncosted(CellError {
                sheet: "Children".into(),
                cell,
                found: format!("agency \"{}\", which could not be costed", row.agency_code),
                expected: "an agency whose own rows have no errors (see the errors for its sheets above)"
                    .into(),
            });
        };
        let case = Case {
            agency: &self.inputs[k],
            child: &row.child,
            route: &row.route,
            price_index: None,
            fee_overrides: &self.fee_overrides,
            provenance: &row.provenance,
        };
        // Only the first rows' figures are listed on Workings. The rest are worked out keeping
        // only what set the fee (for the Fees sheet), and then keep only their typed results:
        // building every figure's text is most of the costing, and keeping it would need
        // gigabytes for 100,000 rows.
        let listed = i < super::costed::WORKINGS_PLACEMENT_LIMIT;
        let detail = if listed { Detail::Full } else { Detail::FeeSources };
        match place_into(&batch.agencies[k].costed, &case, self.reference, detail) {
            Ok(mut placement) => {
                count_fee_uses(&placement.explanation, uses);
                if !listed {
                    placement.explanation = Explanation::new();
                }
                let p = PlacementRow {
                    row: row.row,
                    agency: k,
                    child: row.child.clone(),
                    route: row.route.clone(),
                    placement,
                };
                // Its row on Placements: after the header, the rows before it, costed or not.
                let line = i + self.unread.partition_point(|u| u.row < row.row) + 1;
                let cells = formulas.map(|f| PlacementCells::new(line as u32, &p, &batch.agencies[k], f));
                Line::Costed(p, cells)
            }
            Err(e) => uncosted(cell_error(&e, &row.provenance, "Children", &at)),
        }
    }
}

/// Rows costed at a time by one thread.
const CHUNK: usize = 512;

/// Applies `f` to the rows a chunk (`size` rows) at a time, and hands each chunk's result to
/// `sink` in order. `f` is told where its chunk starts. Where threads are available (not in the
/// browser) and the machine has more than one core, other threads apply `f` and this one only
/// hands the results on as they come in: one thread a core, or, where the sink is `busy`
/// (writing the costed workbook, the longest part of a run), one fewer, so the writing keeps a
/// core to itself and the costing runs beside it.
fn in_chunks<T: Sync, R: Send>(
    rows: &[T],
    size: usize,
    f: &(dyn Fn(usize, &[T]) -> R + Sync),
    busy: bool,
    sink: &mut dyn FnMut(R) -> Result<()>,
) -> Result<()> {
    let chunk = |c: usize| -> R {
        let start = c * size;
        f(start, &rows[start..(start + size).min(rows.len())])
    };
    let chunks = rows.len().div_ceil(size);
    #[cfg(not(target_arch = "wasm32"))]
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    #[cfg(target_arch = "wasm32")]
    let cores = 1;
    let threads = if cores <= 1 { 0 } else { (cores - usize::from(busy)).min(chunks) };
    if threads == 0 {
        for c in 0..chunks {
            sink(chunk(c))?;
        }
        return Ok(());
    }
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, R)>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, chunk) = (&next, &stop, &chunk);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks || tx.send((c, chunk(c))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // Chunks finish out of order; each waits here until those before it are handed on.
        let mut waiting = BTreeMap::new();
        let mut want = 0;
        for (c, results) in rx {
            waiting.insert(c, results);
            while let Some(results) = waiting.remove(&want) {
                if let Err(e) = sink(results) {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
                want += 1;
            }
        }
        // A helper that panicked (a bug) stops sending; the scope carries its panic on.
        Ok(())
    })
}

/// A reference parameter and the date it took effect, or a user's fee field and its cell.
pub type FeeKey = (String, String);

/// One schedule row or user figure that set a fee, and how often it was used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeeUse {
    /// The last day it applies (or "next change").
    pub until: String,
    /// The amount, as shown.
    pub amount: String,
    /// Its grade (confirmed, inferred; or "your figure").
    pub grade: String,
    /// Its source.
    pub source: String,
    /// Any note on it.
    pub note: String,
    /// How many placements used it.
    pub times: u64,
}

/// Counts into `all` the reference figures and user fee fields that set a placement's fee, each
/// once however many of its figures cite it.
fn count_fee_uses(ex: &Explanation, all: &mut BTreeMap<FeeKey, FeeUse>) {
    let mut seen: Vec<FeeKey> = Vec::new();
    for fig in ex.figures.iter().filter(|f| f.id.starts_with("fee.")) {
        for t in &fig.inputs {
            let key = match &t.origin {
                Origin::Reference { parameter, from, .. } => (parameter.clone(), from.to_string()),
                Origin::Input { field, location }
                    if field.contains("fee") || field.contains("contribution") =>
                {
                    (format!("your {field}"), location.clone())
                }
                _ => continue,
            };
            if seen.contains(&key) {
                continue;
            }
            match all.get_mut(&key) {
                Some(u) => u.times += 1,
                None => {
                    if let Some(u) = fee_use(t) {
                        all.insert(key.clone(), FeeUse { times: 1, ..u });
                    }
                }
            }
            seen.push(key);
        }
    }
}

/// What the Fees sheet says of an input that set a fee (its count aside): a reference figure
/// or a user's figure.
fn fee_use(t: &crate::explain::Term) -> Option<FeeUse> {
    Some(match &t.origin {
        Origin::Reference { until, source, grade, note, .. } => FeeUse {
            until: until.map(|u| u.to_string()).unwrap_or_else(|| "next change".into()),
            amount: t.value.display(),
            grade: grade.to_string(),
            source: source.title.clone(),
            note: note.clone().unwrap_or_default(),
            times: 0,
        },
        Origin::Input { location, .. } => FeeUse {
            until: String::new(),
            amount: t.value.display(),
            grade: "your figure".into(),
            source: location.clone(),
            note: String::new(),
            times: 0,
        },
        _ => return None,
    })
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
    /// The net fee.
    pub net_fee: Decimal,
    /// The full in-house cost.
    pub full_in_house_cost: Decimal,
    /// The marginal cost.
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

impl Batch {
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
                    net_fee: p.placement.fee.net.amount(),
                    full_in_house_cost: a.costed.cost.unit.full.amount(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn chunks_costed_on_several_threads_reach_the_sink_in_order() {
        let rows: Vec<usize> = (0..1000).collect();
        for busy in [false, true] {
            let mut seen = Vec::new();
            let double = |start: usize, chunk: &[usize]| -> Vec<(usize, usize)> {
                chunk.iter().enumerate().map(|(k, r)| (start + k, r * 2)).collect()
            };
            in_chunks(&rows, 7, &double, busy, &mut |chunk| {
                assert!(chunk.len() <= 7);
                seen.extend(chunk);
                Ok(())
            })
            .expect("no sink error");
            assert_eq!(seen, rows.iter().map(|&r| (r, r * 2)).collect::<Vec<_>>());
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_sink_error_stops_the_chunks_and_is_returned() {
        let rows: Vec<usize> = (0..1000).collect();
        let mut handed = 0;
        let e = in_chunks(&rows, 10, &|start, _: &[usize]| start, true, &mut |_| {
            handed += 1;
            if handed == 3 { Err(Error::invalid("sink", "full", "room")) } else { Ok(()) }
        })
        .expect_err("the sink's error");
        assert!(e.to_string().contains("full"), "{e}");
        assert_eq!(handed, 3);
    }
}
