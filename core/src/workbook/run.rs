//! Costing a whole input workbook: every agency once, every child row against its agency.
//! One bad row never stops the others; each failure becomes a [`CellError`].

use rust_decimal::Decimal;
use serde::Serialize;

use std::collections::BTreeMap;

use super::read::{AgencyRow, CellError, ChildRow, InputWorkbook, read};
use crate::compare::{CostedAgency, Placement, cost_agency, place};
use crate::error::{Error, Result};
use crate::explain::Origin;
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
        child_rows: 1,
        fee_overrides: s.fee_overrides.clone(),
        errors: Vec::new(),
    };
    cost(input, reference, &mut |_, _| {})
}

/// Costs what was read from a workbook.
pub fn cost(
    input: InputWorkbook,
    reference: &Reference,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Batch> {
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
                let roles = agency.staff.iter().map(|s| (s.role.clone(), s.fte, s.salary.money())).collect();
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
    let total = input.children.len();
    let shared = Shared {
        inputs: &inputs,
        batch: &batch,
        index: &index,
        fee_overrides: &input.fee_overrides,
        reference,
    };
    let outcomes = in_chunks(&input.children, &|i, row| shared.place(i, row), progress);
    for (outcome, uses) in outcomes {
        match outcome {
            Ok(p) => batch.placements.push(p),
            Err(e) => batch.errors.push(e),
        }
        for (key, u) in uses {
            batch.fee_uses.entry(key).or_insert(u).times += 1;
        }
    }
    progress(total, total);
    Ok(batch)
}

/// What costing one child row needs, shared by the threads costing rows.
struct Shared<'a> {
    inputs: &'a [crate::input::Agency],
    batch: &'a Batch,
    index: &'a BTreeMap<String, Option<usize>>,
    fee_overrides: &'a [crate::input::FeeOverride],
    reference: &'a Reference,
}

type Outcome = (std::result::Result<PlacementRow, CellError>, Vec<(FeeKey, FeeUse)>);

impl Shared<'_> {
    /// Costs the `i`th child row.
    fn place(&self, i: usize, row: &ChildRow) -> Outcome {
        let at = format!("A{}", row.row);
        let Some(k) = self.index.get(&row.agency_code).copied().flatten() else {
            let cell = row
                .provenance
                .location("child.reference")
                .and_then(|c| c.rsplit_once('!').map(|(_, c)| c.to_string()))
                .unwrap_or_else(|| at.clone());
            let e = CellError {
                sheet: "Children".into(),
                cell,
                found: format!("agency \"{}\", which could not be costed", row.agency_code),
                expected: "an agency whose own rows have no errors (see the errors for its sheets above)"
                    .into(),
            };
            return (Err(e), Vec::new());
        };
        let case = Case {
            agency: &self.inputs[k],
            child: &row.child,
            route: &row.route,
            price_index: None,
            fee_overrides: self.fee_overrides,
            provenance: &row.provenance,
        };
        match place(&self.batch.agencies[k].costed, &case, self.reference) {
            Ok(mut placement) => {
                let uses = fee_uses(&placement.explanation);
                // Only the first rows' figures are listed on Workings; the rest keep their
                // typed results, so memory does not grow with every figure of every row
                // (100,000 rows would need gigabytes).
                if i >= super::costed::WORKINGS_PLACEMENT_LIMIT {
                    placement.explanation = crate::explain::Explanation::new();
                }
                let p = PlacementRow {
                    row: row.row,
                    agency: k,
                    child: row.child.clone(),
                    route: row.route.clone(),
                    placement,
                };
                (Ok(p), uses)
            }
            Err(e) => (Err(cell_error(&e, &row.provenance, "Children", &at)), Vec::new()),
        }
    }
}

/// Rows costed at a time by one thread.
const CHUNK: usize = 512;

/// Applies `f` to every row, in order, on every core the machine has (on one where threads
/// are not available, as in the browser). `progress` hears (done, total) from this thread.
fn in_chunks<T: Sync, R: Send>(
    rows: &[T],
    f: &(dyn Fn(usize, &T) -> R + Sync),
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<R> {
    let chunk = |c: usize| -> Vec<R> {
        let start = c * CHUNK;
        rows[start..(start + CHUNK).min(rows.len())]
            .iter()
            .enumerate()
            .map(|(i, r)| f(start + i, r))
            .collect()
    };
    let chunks = rows.len().div_ceil(CHUNK);
    progress(0, rows.len());
    #[cfg(not(target_arch = "wasm32"))]
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(chunks);
    #[cfg(target_arch = "wasm32")]
    let threads = 1;
    if threads <= 1 {
        let mut out = Vec::with_capacity(rows.len());
        for c in 0..chunks {
            progress(c * CHUNK, rows.len());
            out.extend(chunk(c));
        }
        return out;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut mine = Vec::new();
        loop {
            let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if c >= chunks {
                return mine;
            }
            mine.push((c, chunk(c)));
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut parts = Vec::with_capacity(chunks);
        // This thread works too, reporting progress between its chunks.
        loop {
            let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if c >= chunks {
                break;
            }
            parts.push((c, chunk(c)));
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress((d * CHUNK).min(rows.len()), rows.len());
        }
        for h in helpers {
            // A panic in a helper is a bug; carry it on rather than lose rows.
            parts.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        parts
    });
    parts.sort_unstable_by_key(|(c, _)| *c);
    parts.into_iter().flat_map(|(_, v)| v).collect()
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

/// The reference figures and user fee fields that set a placement's fee.
fn fee_uses(ex: &crate::explain::Explanation) -> Vec<(FeeKey, FeeUse)> {
    let mut out = Vec::new();
    for fig in ex.figures.iter().filter(|f| f.id.starts_with("fee.")) {
        for t in &fig.inputs {
            let (key, value) = match &t.origin {
                Origin::Reference { parameter, from, until, source, grade, note } => (
                    (parameter.clone(), from.to_string()),
                    FeeUse {
                        until: until.map(|u| u.to_string()).unwrap_or_else(|| "next change".into()),
                        amount: t.value.display(),
                        grade: grade.to_string(),
                        source: source.title.clone(),
                        note: note.clone().unwrap_or_default(),
                        times: 0,
                    },
                ),
                Origin::Input { field, location }
                    if field.contains("fee") || field.contains("contribution") =>
                {
                    (
                        (format!("your {field}"), location.clone()),
                        FeeUse {
                            until: String::new(),
                            amount: t.value.display(),
                            grade: "your figure".into(),
                            source: location.clone(),
                            note: String::new(),
                            times: 0,
                        },
                    )
                }
                _ => continue,
            };
            // Counted once per placement however many figures cite it.
            if !out.iter().any(|(k, _): &(FeeKey, FeeUse)| *k == key) {
                out.push((key, value));
            }
        }
    }
    out
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
