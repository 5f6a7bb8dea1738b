//! The child rows of a batch, costed against its costed agencies.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::chunks::{Chunk, Chunker, Entry, in_order};
use super::fees::{count_fee_uses, merge};
use super::*;
use crate::compare::{Detail, Placer, cost_agency};
use crate::explain::Explanation;
use crate::input::Case;

/// The child rows of a batch, ready to cost against its costed agencies ([`super::begin`]).
#[derive(Debug)]
pub struct Rows<'r> {
    inputs: Vec<Agency>,
    index: BTreeMap<String, Option<usize>>,
    fee_overrides: Vec<FeeOverride>,
    price_index: Option<crate::input::PriceIndex>,
    children: Vec<ChildRow>,
    unread: Vec<UncostedRow>,
    /// The reference data, with the input's own rows laid over it where it has any.
    reference: std::borrow::Cow<'r, Reference>,
}

/// The reference data with the input's Reference rows laid over it; where they cannot be, the
/// shipped data, and the error at the row at fault.
fn with_rows<'r>(
    reference: &'r Reference,
    rows: &[(u32, crate::reference::UserRow)],
    errors: &mut Vec<CellError>,
) -> std::borrow::Cow<'r, Reference> {
    if rows.is_empty() {
        return std::borrow::Cow::Borrowed(reference);
    }
    let values: Vec<crate::reference::UserRow> = rows.iter().map(|(_, r)| r.clone()).collect();
    match reference.with_user_rows(&values) {
        Ok(r) => std::borrow::Cow::Owned(r),
        Err(e) => {
            let line = rows.get(e.row).map_or(rows[0].0, |(l, _)| *l);
            errors.push(CellError {
                sheet: "Reference".into(),
                cell: format!("A{line}"),
                found: e.message,
                expected:
                    "a row the reference data can take (docs/reference-data.md); no row of the sheet is used"
                        .into(),
            });
            std::borrow::Cow::Borrowed(reference)
        }
    }
}

impl<'r> Rows<'r> {
    /// Costs the agencies read (the result has them, and every error so far: the reading's,
    /// then the agencies'), and holds the child rows to cost against them.
    pub(super) fn new(input: Input, reference: &'r Reference) -> (Costed, Rows<'r>) {
        let mut costed = Costed {
            errors: input.errors,
            child_rows: input.child_rows,
            notes: input.notes,
            ..Costed::default()
        };
        let reference = with_rows(reference, &input.reference_rows, &mut costed.errors);
        let mut index: BTreeMap<String, Option<usize>> = BTreeMap::new();
        // The agencies' inputs, beside their costings, for placing their children.
        let mut inputs = Vec::new();
        for a in input.agencies {
            let Some(agency) = a.agency else {
                index.insert(a.code, None);
                continue;
            };
            match cost_agency(&agency, &reference) {
                Ok(c) => {
                    index.insert(a.code.clone(), Some(costed.agencies.len()));
                    let roles =
                        agency.staff.iter().map(|s| (s.role.clone(), s.fte, s.salary.money())).collect();
                    costed.agencies.push(BatchAgency {
                        code: a.code,
                        name: agency.name.clone(),
                        nation: agency.nation,
                        kind: agency.kind,
                        roles,
                        costed: c,
                    });
                    inputs.push(agency);
                }
                Err(e) => {
                    costed.errors.push(cell_error(
                        &e,
                        &agency.provenance,
                        "Agencies",
                        &format!("A{}", a.row),
                    ));
                    index.insert(a.code, None);
                }
            }
        }
        let rows = Rows {
            inputs,
            index,
            fee_overrides: input.fee_overrides,
            price_index: input.price_index,
            children: input.children,
            unread: input.unread,
            reference,
        };
        (costed, rows)
    }

    /// Costs every child row against `costed`'s agencies and hands each row's outcome to `sink` in
    /// row order, rows that could not be read among them. The rows are costed a chunk at a time
    /// on `opts.threads` threads while this one hands them on; `prepare` has each costed row's
    /// work for the sink done beside its costing. `progress` hears (done, total). An error from
    /// `sink` stops the costing and is returned.
    pub fn cost<P: Prepare>(
        mut self,
        costed: &Costed,
        opts: &Options,
        prepare: &P,
        progress: &mut dyn FnMut(usize, usize),
        sink: &mut dyn FnMut(Line<P::Ready>) -> Result<()>,
    ) -> Result<BTreeMap<FeeKey, FeeUse>> {
        let total = self.children.len() + self.unread.len();
        let mut read = std::mem::take(&mut self.children).into_iter().peekable();
        let mut unread = std::mem::take(&mut self.unread).into_iter().peekable();
        // Both in sheet order: merged, a row that could not be read before a later read one.
        let rows = std::iter::from_fn(move || match (read.peek(), unread.peek()) {
            (Some(r), Some(u)) if u.row < r.row => unread.next().map(Entry::Unread),
            (Some(_), _) => read.next().map(Entry::Read),
            (None, _) => unread.next().map(Entry::Unread),
        });
        let mut chunker = Chunker::new(opts.keep_figures);
        let mut chunks = rows.filter_map(|row| chunker.push(row)).collect::<Vec<_>>();
        chunks.extend(chunker.finish());
        let total = AtomicUsize::new(total);
        self.cost_chunks(chunks.into_iter(), &total, costed, opts, prepare, progress, sink)
    }

    /// [`Rows::cost`] of child rows handed on in chunks as they are read (from a [`Chunker`]);
    /// `total` is the rows known so far, for `progress`.
    #[allow(clippy::too_many_arguments)] // `cost`'s, with the rows' source
    pub fn cost_chunks<P: Prepare>(
        &self,
        chunks: impl Iterator<Item = Chunk> + Send,
        total: &AtomicUsize,
        costed: &Costed,
        opts: &Options,
        prepare: &P,
        progress: &mut dyn FnMut(usize, usize),
        sink: &mut dyn FnMut(Line<P::Ready>) -> Result<()>,
    ) -> Result<BTreeMap<FeeKey, FeeUse>> {
        let mut done = 0;
        let mut fee_uses = BTreeMap::new();
        // Each chunk counts its own fee uses, so what crosses to this thread is a few lines of
        // the Fees sheet rather than every row's.
        let chunk = |c: Chunk| {
            let mut uses = BTreeMap::new();
            // A placer for each agency with rows in the chunk, made at its first row.
            let mut placers: Vec<Option<Placer>> = vec![None; costed.agencies.len()];
            // The next read row's place among the read rows.
            let mut i = c.read_before;
            let mut lines = Vec::with_capacity(c.rows.len());
            for (k, row) in c.rows.into_iter().enumerate() {
                lines.push(match row {
                    Entry::Read(row) => {
                        let line = self.place(
                            costed,
                            opts,
                            (i, c.rows_before + k + 1),
                            row,
                            &mut placers,
                            &mut uses,
                            prepare,
                        );
                        i += 1;
                        line
                    }
                    Entry::Unread(u) => Line::Uncosted(u, None),
                });
            }
            if c.read_before == 0 && i > 0 {
                let kept: Vec<&PlacementRow> = lines
                    .iter()
                    .filter_map(|l| match l {
                        Line::Costed(p, _) if !p.placement.explanation.figures.is_empty() => Some(p),
                        _ => None,
                    })
                    .collect();
                prepare.kept(&kept);
            }
            (lines, uses)
        };
        progress(0, total.load(Ordering::Relaxed));
        in_order(chunks, &chunk, opts.threads, &mut |(lines, uses)| {
            merge(&mut fee_uses, uses);
            for line in lines {
                sink(line)?;
                done += 1;
            }
            progress(done, total.load(Ordering::Relaxed).max(done));
            Ok(())
        })?;
        progress(done, done);
        Ok(fee_uses)
    }

    /// Costs the `i`th read child row, the `line`th child row from 1 (among all, read or not),
    /// with its agency's placer (made here where `placers` has none yet), counting what set its
    /// fee into `uses`, with `prepare`'s work for it done here. A panic in the costing (a bug)
    /// rejects this row alone, as an internal error, so one row never stops the others.
    #[allow(clippy::too_many_arguments)] // the chunk's state, passed down a row at a time
    fn place<P: Prepare>(
        &self,
        costed: &Costed,
        opts: &Options,
        (i, line): (usize, usize),
        row: ChildRow,
        placers: &mut [Option<Placer>],
        uses: &mut BTreeMap<FeeKey, FeeUse>,
        prepare: &P,
    ) -> Line<P::Ready> {
        let at = format!("A{}", row.row);
        let uncosted = |e: CellError| {
            let u = UncostedRow {
                row: row.row,
                reference: row.child.reference.clone(),
                agency_code: row.agency_code.clone(),
                cells: vec![format!("{}!{}", quote_sheet(&e.sheet), e.cell)],
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
            price_index: self.price_index.as_ref(),
            fee_overrides: &self.fee_overrides,
            provenance: &row.provenance,
            today: opts.today,
        };
        let kept = i < opts.keep_figures;
        let detail = if kept { Detail::Full } else { Detail::FeeSources };
        let placer = placers[k].get_or_insert_with(|| Placer::new(&costed.agencies[k].costed));
        // A placer that stopped part way is whole again for its next row (it takes off what a
        // row added before placing another), so a panic leaves nothing behind.
        let placed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            placer.place(&case, &self.reference, detail)
        }))
        .unwrap_or_else(|_| {
            Err(Error::internal(format!("costing child row {} stopped with a panic", row.row)))
        });
        match placed {
            Ok(mut placement) => {
                count_fee_uses(&placement.explanation, uses);
                if !kept {
                    placement.explanation = Explanation::new();
                }
                let p =
                    PlacementRow { row: row.row, agency: k, child: row.child, route: row.route, placement };
                let ready = prepare.ready(line as u32, &p, &costed.agencies[k]);
                Line::Costed(p, ready)
            }
            Err(e) => uncosted(cell_error(&e, &row.provenance, "Children", &at)),
        }
    }
}
