//! The costed workbook: Summary, Placements, Workings, Fees, Charts and Errors.
//!
//! Placements carry the route formulas as live Excel formulas over the row's own cells, each
//! with its cached result written (so the figures are right in viewers and tools that do not
//! recalculate). Workings lists every figure of every agency, and of the first
//! [`WORKINGS_PLACEMENT_LIMIT`] child rows, each followed by a row per input: the figure's
//! Value is a live formula over its inputs' Value cells (its expression, [`crate::expr`]), an input that is
//! another figure refers to that figure's cell, and every formula carries its cached result.
#![allow(clippy::disallowed_types)] // Excel cells hold floats: converted at the boundary (cell.rs)

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Format, Formula, Table, TableColumn, Workbook, Worksheet};

use super::cell::{WriteText, column_letters, date_serial, float_from_decimal};
use super::read::CellError;
use super::sheet_rows::{self, Deflater, RowXml};
use super::template::{Formats, xlsx};
use crate::batch::{Batch, BatchAgency, FeeKey, FeeUse, Placed, PlacementRow};
use crate::error::{Error, Result};
use crate::explain::{Explanation, Origin, Unit};
use crate::input::Provider;
use crate::method::Category;
use crate::money::{FinancialYear, Money, Percent};
use std::collections::BTreeMap;

/// Child rows whose figures are listed in full on Workings (about 100 Workings rows each);
/// beyond this the Placements sheet's live formulas carry each row's derivation.
pub const WORKINGS_PLACEMENT_LIMIT: usize = 500;

pub(crate) fn num(d: Decimal) -> Result<f64> {
    float_from_decimal(d)
        .ok_or_else(|| Error::Workbook { place: String::new(), message: format!("{d} has no Excel number") })
}

pub(crate) struct Out<'a> {
    pub(crate) ws: &'a mut Worksheet,
    pub(crate) f: &'a Formats,
}

impl Out<'_> {
    pub(crate) fn text(&mut self, r: u32, c: u16, t: &str) -> Result<()> {
        self.ws.text(r, c, t).map_err(xlsx)?;
        Ok(())
    }
    pub(crate) fn money(&mut self, r: u32, c: u16, m: Money) -> Result<()> {
        self.ws.write_number_with_format(r, c, num(m.amount())?, &self.f.money).map_err(xlsx)?;
        Ok(())
    }
    pub(crate) fn number(&mut self, r: u32, c: u16, d: Decimal) -> Result<()> {
        self.ws.write_number_with_format(r, c, num(d)?, &self.f.number).map_err(xlsx)?;
        Ok(())
    }
    pub(crate) fn percent(&mut self, r: u32, c: u16, fraction: Decimal) -> Result<()> {
        self.ws.write_number_with_format(r, c, num(fraction)?, &self.f.percent).map_err(xlsx)?;
        Ok(())
    }
    pub(crate) fn opt_money(&mut self, r: u32, c: u16, m: Option<Money>) -> Result<()> {
        match m {
            Some(m) => self.money(r, c, m),
            None => self.text(r, c, "none"),
        }
    }
    /// A header row, widths, frozen panes and (where there are rows) a named table.
    pub(crate) fn table(
        &mut self,
        first_row: u32,
        headers: &[(&str, f64)],
        rows: u32,
        name: &str,
    ) -> Result<()> {
        self.header(first_row, headers)?;
        let headers: Vec<&str> = headers.iter().map(|(h, _)| *h).collect();
        named_table(self.ws, first_row, &headers, rows, name)
    }
    /// A header row and its columns' widths.
    pub(crate) fn header(&mut self, first_row: u32, headers: &[(&str, f64)]) -> Result<()> {
        for (i, (h, w)) in headers.iter().enumerate() {
            self.ws.text_with(first_row, i as u16, *h, &self.f.header).map_err(xlsx)?;
            self.ws.set_column_width(i as u16, *w).map_err(xlsx)?;
        }
        Ok(())
    }
}

/// A named table over a header row (at `first_row`) and `rows` rows below it (none where there
/// are no rows: Excel rejects a table of a header alone).
fn named_table(ws: &mut Worksheet, first_row: u32, headers: &[&str], rows: u32, name: &str) -> Result<()> {
    if rows > 0 {
        let cols: Vec<TableColumn> = headers.iter().map(|h| TableColumn::new().set_header(*h)).collect();
        let t = Table::new().set_name(name).set_columns(&cols);
        ws.add_table(first_row, 0, first_row + rows, headers.len() as u16 - 1, &t).map_err(xlsx)?;
    }
    Ok(())
}

/// The costed workbook's bytes.
pub fn costed(batch: &Batch) -> Result<Vec<u8>> {
    let mut w = Costed::start(&batch.agencies, batch.today)?;
    // Workings first, as when a batch is written while it is costed (see `WorkingsJob`).
    let workings = w.workings_job()?;
    let listed: Vec<&PlacementRow> = batch.placements.iter().filter(|p| is_listed(p)).collect();
    workings.write(&listed);
    for line in batch.lines() {
        w.line(line)?;
    }
    w.finish(workings, batch.placements.len(), &batch.fee_uses, &batch.errors)
}

/// Whether a placement's figures are listed on Workings: those of the first
/// [`WORKINGS_PLACEMENT_LIMIT`] child rows are, and only they keep their figures (the batch
/// keeps that many: see [`crate::batch::Options::keep_figures`]).
pub(crate) fn is_listed(p: &PlacementRow) -> bool {
    !p.placement.explanation.figures.is_empty()
}

fn internal(message: String) -> Error {
    Error::internal(message)
}

/// A costed workbook being written: Summary and the top of Placements first, then Placements a
/// row at a time as the child rows are costed (in sheet order), Workings as soon as the rows it
/// lists are costed ([`WorkingsJob`]), then the sheets that need every row (Fees, Charts,
/// Errors). The same writer serves a batch costed beforehand
/// ([`costed`]) and one costed as it is written ([`super::run::cost_to_workbook`]).
pub(crate) struct Costed<'a> {
    wb: Workbook,
    f: Formats,
    agencies: &'a [BatchAgency],
    /// Placements, added to the workbook when it is finished (it is its second sheet): its
    /// header row, columns and settings; its rows are in `rows`.
    placements: Box<Worksheet>,
    /// Placements' rows, compressed as they are written ([`super::sheet_rows`]).
    rows: Deflater,
    /// Workings, blank, until [`Costed::workings_job`] takes it.
    workings: Option<Worksheet>,
    /// The next Placements row.
    next: u32,
    /// What each agency's chart sets its cost against, gathered from its rows.
    chart_fees: Vec<ChartFee>,
    /// The Totals sheet's figures, gathered from the rows.
    totals: super::totals::Totals,
    /// The day the rows were costed for, for the printed footer.
    today: Option<jiff::civil::Date>,
    /// Where Placements' cells go.
    layout: PlacementLayout,
}

impl<'a> Costed<'a> {
    /// Writes Summary and the head of Placements: its header and formats.
    pub(crate) fn start(agencies: &'a [BatchAgency], today: Option<jiff::civil::Date>) -> Result<Self> {
        let f = Formats::default();
        let mut wb = super::template::new_workbook()?;
        register_placement_styles(&mut wb, &f);
        let mut placements = Worksheet::new();
        placements_head(&mut placements, &f)?;
        // Workings, blank: made here, on the thread that owns the workbook.
        let workings = large_sheet(&mut wb)?;
        summary(wb.add_worksheet(), agencies, &f)?;
        Ok(Costed {
            wb,
            f,
            agencies,
            placements: Box::new(placements),
            rows: Deflater::new(),
            workings: Some(workings),
            next: 1,
            chart_fees: vec![ChartFee::default(); agencies.len()],
            totals: super::totals::Totals::new(agencies.len()),
            today,
            layout: PlacementLayout::new(),
        })
    }

    /// Workings, to be written as soon as the placements it lists are costed, by whichever
    /// thread has them (see [`WorkingsJob`]); then handed to [`Costed::finish`].
    pub(crate) fn workings_job(&mut self) -> Result<WorkingsJob<'a>> {
        let ws = self.workings.take().ok_or_else(|| internal("Workings was taken twice".into()))?;
        Ok(WorkingsJob {
            agencies: self.agencies,
            f: self.f.clone(),
            state: std::sync::Mutex::new(WorkingsState::Blank(ws)),
        })
    }

    /// Writes the next row of Placements.
    pub(crate) fn line(&mut self, line: Placed) -> Result<()> {
        self.write(line, None)
    }

    /// Writes the next row of Placements, with a costed row's cells where they were made
    /// ready already (for this row: see [`PlacementCells::new`]).
    pub(crate) fn write(&mut self, line: Placed, cells: Option<Result<PlacementCells>>) -> Result<()> {
        let xml = match line {
            Placed::Costed(p) => {
                let a = &self.agencies[p.agency];
                let cells = match cells {
                    Some(c) => c?,
                    None => PlacementCells::new(self.next, p, a, &self.layout)?,
                };
                if cells.row != self.next {
                    return Err(internal(format!(
                        "cells made for row {} written on row {}",
                        cells.row, self.next
                    )));
                }
                self.chart_fees[p.agency].add(p);
                self.totals.costed(p)?;
                cells.xml
            }
            Placed::Uncosted(u) => {
                let mut o = Cells::new(self.next, &self.layout);
                o.number(0, u.row.into())?;
                o.text(1, &u.reference);
                o.text(2, &u.agency_code);
                o.text(27, &u.note());
                self.totals.rejected(u.row);
                o.row.finish()
            }
        };
        self.rows.write(xml.as_bytes())?;
        self.next += 1;
        Ok(())
    }

    /// Writes the sheets after Placements and returns the workbook's bytes: Workings from
    /// `workings` (written already, or now if no placement was), of `costed` placements in all.
    pub(crate) fn finish(
        mut self,
        workings: WorkingsJob,
        costed: usize,
        fee_uses: &BTreeMap<FeeKey, FeeUse>,
        rejected: &[CellError],
    ) -> Result<Vec<u8>> {
        placements_filter(&mut self.placements, self.next - 1)?;
        self.wb.push_worksheet(*self.placements);
        let f = &self.f;
        let mut totals = Worksheet::new();
        super::totals::write(&mut totals, &self.totals, self.agencies, placement_column, f)?;
        self.wb.push_worksheet(totals);
        self.wb.push_worksheet(workings.finish(costed)?);
        fees(self.wb.add_worksheet(), fee_uses, f)?;
        charts(&mut self.wb, self.agencies, &self.chart_fees, f)?;
        errors(self.wb.add_worksheet(), rejected, "No errors: every row was costed.", f)?;
        print_setup(&mut self.wb, self.agencies, self.today)?;
        // Excel's own level: about a third faster than the default 6 for a file about 5% larger.
        self.wb.set_zip_compression_level(sheet_rows::LEVEL as u8);
        let book = self.wb.save_to_buffer().map_err(xlsx)?;
        // Placements is the second sheet (Summary is added first, the others after it).
        let last = column_letters(PLACEMENT_COLUMNS.len() as u32 - 1);
        sheet_rows::splice(
            &book,
            "xl/worksheets/sheet2.xml",
            &format!("A1:{last}1"),
            self.next,
            self.rows.finish()?,
            check_styles,
        )
    }
}

/// Sets every sheet to print on A4, one page wide (landscape, but Totals), its header row
/// repeated on each page where it has one, with a footer naming the agency, the sheet, the page
/// and the day the figures were costed for.
fn print_setup(wb: &mut Workbook, agencies: &[BatchAgency], today: Option<jiff::civil::Date>) -> Result<()> {
    let who = match agencies {
        [a] => a.name.clone(),
        all => format!("{} agencies", all.len()),
    };
    // A footer holds 255 characters; `&` starts a code, so a name's own is doubled.
    let who: String = who.chars().take(80).collect::<String>().replace('&', "&&");
    let when = today.map(|d| format!(", costed for {d}")).unwrap_or_default();
    let footer = format!("&L{who}&C&A, page &P of &N&Radoptcost{when}");
    for ws in wb.worksheets_mut() {
        let name = ws.name();
        ws.set_paper_size(9); // A4
        if name != "Totals" {
            ws.set_landscape();
        }
        ws.set_print_fit_to_pages(1, 0);
        if matches!(name.as_str(), "Summary" | "Placements" | "Workings" | "Fees" | "Errors") {
            ws.set_repeat_rows(0, 0).map_err(xlsx)?;
        }
        ws.set_footer(&footer);
    }
    Ok(())
}

/// A worksheet for Workings (a row per figure of the listed placements), made standalone (added
/// to the workbook later with `push_worksheet`): in constant-memory mode where the
/// `constant-memory` feature is on (rows go to a temporary file as written), else in memory.
fn large_sheet(wb: &mut Workbook) -> Result<Worksheet> {
    #[cfg(feature = "constant-memory")]
    return wb.new_worksheet_with_constant_memory().map_err(xlsx);
    #[cfg(not(feature = "constant-memory"))]
    {
        let _ = wb; // in memory, a worksheet needs nothing of its workbook until it is added
        Ok(Worksheet::new())
    }
}

fn summary(ws: &mut Worksheet, agencies: &[BatchAgency], f: &Formats) -> Result<()> {
    ws.set_name("Summary").map_err(xlsx)?;
    ws.set_freeze_panes(1, 1).map_err(xlsx)?;
    let mut headers: Vec<(&str, f64)> = vec![
        ("Agency code", 14.0),
        ("Name", 32.0),
        ("Price year", 10.0),
        ("Approvals", 10.0),
        ("Matches", 10.0),
        ("Supported placements", 12.0),
        ("Utilisation", 11.0),
        ("Stage A total", 16.0),
        ("Stage B total", 16.0),
        ("Stage C total", 16.0),
        ("Other (outside the fee)", 16.0),
        ("Cost per approval", 15.0),
        ("Cost per match", 15.0),
        ("Cost per supported placement", 15.0),
        ("Full in-house cost (per household)", 15.0),
        ("Marginal cost", 14.0),
    ];
    let cat_headers: Vec<String> =
        Category::ALL.iter().map(|c| format!("Per placement: {}", c.name())).collect();
    for h in &cat_headers {
        headers.push((h.as_str(), 15.0));
    }
    headers.push(("Net cost of adopter pool", 15.0));
    let mut o = Out { ws, f };
    o.table(0, &headers, agencies.len() as u32, "Agencies")?;
    for (i, a) in agencies.iter().enumerate() {
        let r = i as u32 + 1;
        let c = &a.costed.cost;
        o.text(r, 0, &a.code)?;
        o.text(r, 1, &a.name)?;
        o.text(r, 2, &c.price_year.to_string())?;
        o.number(r, 3, c.volumes.approvals)?;
        o.number(r, 4, c.volumes.matches)?;
        o.number(r, 5, c.volumes.supported)?;
        o.percent(r, 6, c.volumes.utilisation)?;
        for (k, m) in c.stage_totals.to_array().into_iter().enumerate() {
            o.money(r, 7 + k as u16, m)?;
        }
        o.money(r, 11, c.unit.per_approval)?;
        o.money(r, 12, c.unit.per_match)?;
        o.money(r, 13, c.unit.per_supported)?;
        o.money(r, 14, c.unit.full)?;
        o.money(r, 15, c.unit.marginal)?;
        for (k, cat) in Category::ALL.iter().enumerate() {
            o.money(r, 16 + k as u16, c.unit.full_by_category.get(*cat))?;
        }
        o.opt_money(r, 23, a.costed.pool_net_cost)?;
    }
    let next = roles(&mut o, agencies, agencies.len() as u32 + 3)?;
    let next = sales(&mut o, agencies, next + 2)?;
    please_note(&mut o, agencies, next + 2)
}

/// What a reader of every row must know, said once: each agency's warnings, and what a row's
/// "price years differ" means.
fn please_note(o: &mut Out, agencies: &[BatchAgency], top: u32) -> Result<()> {
    o.ws.text_with(top, 0, "Please note", &o.f.title).map_err(xlsx)?;
    let agency =
        agencies.iter().flat_map(|a| a.costed.warnings.iter().map(move |w| format!("{}: {w}", a.code)));
    let price_years = "Where a row's Warnings say the price years differ, it compares amounts of other price years (the agency's cost base, a published weekly cost of care) with the fee as they are. adoptcost restates them to the fee year's prices only with a price index: name one on the input workbook's Price index sheet (or give figures in the fee year's prices).".to_string();
    for (i, line) in agency.chain(std::iter::once(price_years)).enumerate() {
        o.text(top + 1 + i as u32, 0, &line)?;
    }
    Ok(())
}

/// What a placement each selling agency sells costs it, against the fee it charges, in a table
/// from row `top` (under the roles): every VAA, and any other agency with sales; the row after
/// it.
fn sales(o: &mut Out, agencies: &[BatchAgency], top: u32) -> Result<u32> {
    let f = o.f;
    let headers = [
        ("Agency code", 14.0),
        ("Kind", 14.0),
        ("Placements sold", 12.0),
        ("Fee charged, one child", 16.0),
        ("Full cost of a placement", 16.0),
        ("Marginal cost of a placement", 16.0),
        ("Surplus or shortfall per placement, full cost", 18.0),
        ("Surplus or shortfall per placement, marginal cost", 18.0),
        ("Fee income", 16.0),
        ("Surplus or shortfall for the year, full cost", 18.0),
        ("Surplus or shortfall for the year, marginal cost", 18.0),
        ("Share of the whole service the fee income covers", 14.0),
        ("Break-even fee", 16.0),
    ];
    let selling: Vec<&BatchAgency> = agencies
        .iter()
        .filter(|a| a.kind == crate::input::AgencyKind::Vaa || !a.costed.cost.volumes.sales.is_zero())
        .collect();
    o.ws.text_with(
        top - 1,
        0,
        "Placements sold: what each costs the agency, against the fee it charges (per household)",
        &f.title,
    )
    .map_err(xlsx)?;
    for (i, (h, _)) in headers.iter().enumerate() {
        o.ws.text_with(top, i as u16, *h, &f.header).map_err(xlsx)?;
    }
    if !selling.is_empty() {
        let cols: Vec<TableColumn> = headers.iter().map(|(h, _)| TableColumn::new().set_header(*h)).collect();
        let t = Table::new().set_name("Sales").set_columns(&cols);
        o.ws.add_table(top, 0, top + selling.len() as u32, headers.len() as u16 - 1, &t).map_err(xlsx)?;
    }
    for (i, a) in selling.iter().enumerate() {
        let r = top + 1 + i as u32;
        let v = &a.costed.cost.sales;
        o.text(r, 0, &a.code)?;
        o.text(r, 1, a.kind.id())?;
        o.number(r, 2, v.sales)?;
        o.opt_money(r, 3, v.fee_per_sale)?;
        o.money(r, 4, v.full_cost)?;
        o.money(r, 5, v.marginal_cost)?;
        o.opt_money(r, 6, v.margin_full)?;
        o.opt_money(r, 7, v.margin_marginal)?;
        o.opt_money(r, 8, v.income)?;
        o.opt_money(r, 9, v.year_full)?;
        o.opt_money(r, 10, v.year_marginal)?;
        match v.coverage {
            Some(c) => o.percent(r, 11, c / rust_decimal::Decimal::ONE_HUNDRED)?,
            None => o.text(r, 11, "none")?,
        }
        o.money(r, 12, v.break_even_fee)?;
    }
    Ok(top + 1 + selling.len() as u32)
}

/// The full hourly cost of each role, in a table from row `top` (under the agencies); the row
/// after it.
fn roles(o: &mut Out, agencies: &[BatchAgency], top: u32) -> Result<u32> {
    let f = o.f;
    let role_headers = [
        ("Agency code", 14.0),
        ("Role", 44.0),
        ("FTE", 10.0),
        ("Salary", 16.0),
        ("Full cost", 16.0),
        ("Full hourly cost", 16.0),
        ("Full cost ÷ salary", 16.0),
    ];
    let n_roles: usize = agencies.iter().map(|a| a.roles.len()).sum();
    o.ws.text_with(top - 1, 0, "The full hourly cost of each role", &f.title).map_err(xlsx)?;
    for (i, (h, _)) in role_headers.iter().enumerate() {
        o.ws.text_with(top, i as u16, *h, &f.header).map_err(xlsx)?;
    }
    if n_roles > 0 {
        let cols: Vec<TableColumn> =
            role_headers.iter().map(|(h, _)| TableColumn::new().set_header(*h)).collect();
        let t = Table::new().set_name("Roles").set_columns(&cols);
        o.ws.add_table(top, 0, top + n_roles as u32, 6, &t).map_err(xlsx)?;
    }
    let mut r = top + 1;
    for a in agencies {
        for ((role, fte, salary), cost) in a.roles.iter().zip(&a.costed.cost.roles) {
            o.text(r, 0, &a.code)?;
            o.text(r, 1, role)?;
            o.number(r, 2, *fte)?;
            o.money(r, 3, *salary)?;
            o.money(r, 4, cost.full_cost)?;
            o.opt_money(r, 5, cost.hourly)?;
            match cost.ratio_to_salary {
                Some(x) => o.number(r, 6, x)?,
                None => o.text(r, 6, "none")?,
            }
            r += 1;
        }
    }
    Ok(r)
}

/// How a Placements column's numbers are shown.
#[derive(Clone, Copy)]
enum Col {
    Text,
    Number,
    Money,
    Percent,
    Date,
}

/// The zero-based column of Placements with this header.
fn placement_column(header: &str) -> u16 {
    PLACEMENT_COLUMNS.iter().position(|(h, _, _)| *h == header).map_or(u16::MAX, |c| c as u16)
}

/// Columns of the Placements sheet (header, width, format).
const PLACEMENT_COLUMNS: [(&str, f64, Col); 29] = [
    ("Row", 6.0, Col::Number),
    ("Reference", 14.0, Col::Text),
    ("Agency code", 12.0, Col::Text),
    ("Children", 9.0, Col::Number),
    ("Provider", 9.0, Col::Text),
    ("Nation", 11.0, Col::Text),
    ("London", 8.0, Col::Text),
    ("Placement date", 12.0, Col::Date),
    ("Fee year", 9.0, Col::Text),
    ("Weekly care cost", 14.0, Col::Money),
    ("Weeks in-house", 10.0, Col::Number),
    ("Weeks external", 10.0, Col::Number),
    ("Search weeks", 10.0, Col::Number),
    ("Success probability", 11.0, Col::Percent),
    ("Common costs", 14.0, Col::Money),
    ("Schedule fee", 14.0, Col::Money),
    ("Placement fee", 14.0, Col::Money),
    ("Monthly fees", 13.0, Col::Money),
    ("Contribution", 14.0, Col::Money),
    ("Net fee", 14.0, Col::Money),
    ("In-house cost (household + sibling uplift)", 17.0, Col::Money),
    ("In-house route", 15.0, Col::Money),
    ("External route", 15.0, Col::Money),
    ("In-house first (sequential)", 16.0, Col::Money),
    ("Difference (external − in-house)", 17.0, Col::Money),
    ("Break-even wait (weeks)", 13.0, Col::Number),
    ("Break-even approvals", 13.0, Col::Number),
    ("Warnings", 60.0, Col::Text),
    ("Your notes", 40.0, Col::Text),
];

/// The head of Placements: its name, header, column formats and frozen panes.
fn placements_head(ws: &mut Worksheet, f: &Formats) -> Result<()> {
    ws.set_name("Placements").map_err(xlsx)?;
    ws.set_freeze_panes(1, 2).map_err(xlsx)?;
    let headers: Vec<(&str, f64)> = PLACEMENT_COLUMNS.iter().map(|(h, w, _)| (*h, *w)).collect();
    let mut o = Out { ws, f };
    o.header(0, &headers)?;
    for (i, (_, _, kind)) in PLACEMENT_COLUMNS.iter().enumerate() {
        let format = match kind {
            Col::Text => continue,
            Col::Number => &f.number,
            Col::Money => &f.money,
            Col::Percent => &f.percent,
            Col::Date => &f.date,
        };
        o.ws.set_column_format(i as u16, format).map_err(xlsx)?;
    }
    Ok(())
}

/// A filter over Placements' `rows` rows, set once they are written (their number is known only
/// then where they are written as they are read). A filter, not a named table as on the smaller
/// sheets: rust_xlsxwriter checks every cell of a table for overlap with another, which for a
/// large batch costs more memory and time than the rest of the sheet (docs/decisions.md).
fn placements_filter(ws: &mut Worksheet, rows: u32) -> Result<()> {
    if rows > 0 {
        let last = PLACEMENT_COLUMNS.len() as u16 - 1;
        ws.autofilter(0, 0, rows, last).map_err(xlsx)?;
    }
    Ok(())
}

/// The styles (rust_xlsxwriter's xf indices) of Placements' cells, by their column's kind. The
/// formats are registered with the workbook before any other, in this order
/// ([`register_placement_styles`]), so it gives them these indices (0 is its default); the
/// columns of the sheet it writes are checked to carry them ([`check_styles`]).
fn style(kind: &Col) -> u32 {
    match kind {
        Col::Text => 0,
        Col::Number => 2,
        Col::Date => 3,
        Col::Money => 4,
        Col::Percent => 5,
    }
}

/// Registers the header's and Placements' column formats, first, so that their styles are
/// those [`style`] gives.
fn register_placement_styles(wb: &mut Workbook, f: &Formats) {
    for format in [&f.header, &f.number, &f.date, &f.money, &f.percent] {
        wb.register_format(format);
    }
}

/// Checks that each column of Placements, as rust_xlsxwriter wrote its `<cols>` (`head`, the
/// sheet's XML before its rows), has the style its rows were written with.
pub(super) fn check_styles(head: &str) -> Result<()> {
    let mut found = vec![0u32; PLACEMENT_COLUMNS.len()];
    let attr = |col: &str, name: &str| -> Option<u32> {
        let at = col.find(&format!("{name}=\""))? + name.len() + 2;
        col[at..].split('"').next()?.parse().ok()
    };
    for col in head.split("<col ").skip(1) {
        let col = col.split("/>").next().unwrap_or_default();
        let (Some(min), Some(max)) = (attr(col, "min"), attr(col, "max")) else { continue };
        for c in min..=max {
            if let Some(x) = found.get_mut(c as usize - 1) {
                *x = attr(col, "style").unwrap_or(0);
            }
        }
    }
    let want: Vec<u32> = PLACEMENT_COLUMNS.iter().map(|(_, _, kind)| style(kind)).collect();
    if found != want {
        return Err(internal(format!(
            "Placements' columns have the styles {found:?}; its rows were written with {want:?}"
        )));
    }
    Ok(())
}

/// Where Placements' cells go: each column's letters and style, and the row formulas, each
/// split where the row number goes (formatting every reference of every formula of 100,000
/// rows is a real part of writing them).
pub(crate) struct PlacementLayout {
    letters: Vec<String>,
    styles: Vec<u32>,
    net: Vec<String>,
    in_house: Vec<String>,
    external: Vec<String>,
    sequential: Vec<String>,
    difference: Vec<String>,
    wait: Vec<String>,
}

impl PlacementLayout {
    pub(crate) fn new() -> Self {
        let l = |name: &str| {
            let col = PLACEMENT_COLUMNS.iter().position(|(h, _, _)| *h == name).map_or(0, |i| i as u32);
            format!("{}#", column_letters(col))
        };
        let (pf, mf, cn) = (l("Placement fee"), l("Monthly fees"), l("Contribution"));
        let (fl, wk, wi, we, cc, nf) = (
            l("In-house cost (household + sibling uplift)"),
            l("Weekly care cost"),
            l("Weeks in-house"),
            l("Weeks external"),
            l("Common costs"),
            l("Net fee"),
        );
        let (sw, sp, ex, ih) =
            (l("Search weeks"), l("Success probability"), l("External route"), l("In-house route"));
        let f = |template: String| template.split('#').map(str::to_string).collect();
        PlacementLayout {
            letters: (0..PLACEMENT_COLUMNS.len() as u32).map(column_letters).collect(),
            styles: PLACEMENT_COLUMNS.iter().map(|(_, _, kind)| style(kind)).collect(),
            net: f(format!("{pf}+{mf}-{cn}")),
            in_house: f(format!("{fl}+{wi}*{wk}+{cc}")),
            external: f(format!("{nf}+{we}*{wk}+{cc}")),
            sequential: f(format!("{sp}*({fl}+{wi}*{wk})+(1-{sp})*({sw}*{wk}+{nf}+{we}*{wk})+{cc}")),
            difference: f(format!("{ex}-{ih}")),
            wait: f(format!("({nf}-{fl})/{wk}")),
        }
    }
}

/// A Placements row being written, a cell at a time in column order, each in its column's
/// style.
struct Cells<'a> {
    row: RowXml,
    layout: &'a PlacementLayout,
}

impl<'a> Cells<'a> {
    fn new(r: u32, layout: &'a PlacementLayout) -> Self {
        Cells { row: RowXml::new(r), layout }
    }
    fn at(&self, c: u16) -> (&'a str, u32) {
        (&self.layout.letters[c as usize], self.layout.styles[c as usize])
    }
    fn number(&mut self, c: u16, d: Decimal) -> Result<()> {
        let (col, xf) = self.at(c);
        match self.row.decimal(col, d, xf) {
            Some(()) => Ok(()),
            // A decimal with no float: refused as every cell's is.
            None => num(d).map(drop),
        }
    }
    fn text(&mut self, c: u16, t: &str) {
        let (col, xf) = self.at(c);
        self.row.text(col, t, xf);
    }
    fn formula(&mut self, c: u16, formula: &[String], result: Decimal) {
        let (col, xf) = self.at(c);
        self.row.formula(col, formula, result, xf);
    }
}

/// A costed child's row of Placements, written: the part of writing a row that needs no
/// worksheet, so it is done on a costing thread while the writer writes the rows before it.
pub(crate) struct PlacementCells {
    /// The sheet row (0-based) it was made for.
    row: u32,
    xml: String,
}

impl PlacementCells {
    /// The row of placement `p` of agency `a` on sheet row `r` (0-based; the formulas refer to
    /// the row's own cells).
    pub(crate) fn new(r: u32, p: &PlacementRow, a: &BatchAgency, layout: &PlacementLayout) -> Result<Self> {
        let (pl, rt, l) = (&p.placement, &p.placement.routes, layout);
        let mut o = Cells::new(r, layout);
        o.number(0, p.row.into())?;
        o.text(1, &p.child.reference);
        o.text(2, &a.code);
        o.number(3, p.child.children.into())?;
        o.text(4, p.route.provider_used().name());
        o.text(5, p.route.nation.unwrap_or(a.nation).name());
        o.text(6, if p.route.london { "yes" } else { "no" });
        let (col, xf) = o.at(7);
        o.row.number(col, date_serial(pl.fee.date), xf);
        o.text(8, &pl.fee.year.to_string());
        o.number(9, rt.weekly_care.amount())?;
        o.number(10, rt.weeks_in_house)?;
        o.number(11, rt.weeks_external)?;
        if let (Some(s), Some(pr)) = (p.route.search_weeks, p.route.success_probability) {
            o.number(12, s)?;
            o.number(13, Percent(pr).fraction())?;
        }
        o.number(14, rt.common.amount())?;
        o.number(15, pl.fee.schedule.amount())?;
        o.number(16, pl.fee.placement.amount())?;
        o.number(17, pl.fee.monthly_total.amount())?;
        o.number(18, pl.fee.contribution.amount())?;
        o.formula(19, &l.net, pl.fee.net.amount());
        o.number(20, rt.in_house_cost.amount())?;
        o.formula(21, &l.in_house, rt.in_house.amount());
        o.formula(22, &l.external, rt.external.amount());
        if let Some(seq) = rt.sequential {
            o.formula(23, &l.sequential, seq.amount());
        }
        o.formula(24, &l.difference, rt.difference.amount());
        match rt.break_even_wait {
            Some(w) => o.formula(25, &l.wait, w),
            None => o.text(25, "none"),
        }
        match rt.break_even_approvals {
            Some(n) => o.number(26, n)?,
            None => o.text(26, "none"),
        }
        o.text(27, &warnings(p));
        o.text(28, &p.child.notes);
        Ok(PlacementCells { row: r, xml: o.row.finish() })
    }
}

/// A costed row's warnings, as its Warnings cell says them (empty where it has none). The
/// price-year paragraph is said once, on Summary; the row names what it concerns.
fn warnings(p: &PlacementRow) -> String {
    let pl = &p.placement;
    let mut warnings: Vec<String> =
        pl.warnings.iter().filter(|w| !w.starts_with(crate::compare::UNRESTATED)).cloned().collect();
    if !pl.unrestated.is_empty() {
        let years: Vec<String> = pl.unrestated.iter().map(|y| y.to_string()).collect();
        warnings.push(format!(
            "Price years differ (see Summary): amounts in {} prices against fee year {}.",
            years.join(" and "),
            pl.fee.year
        ));
    }
    warnings.join(" ")
}

/// Columns of the Workings sheet (header, width).
pub(crate) const WORKINGS_COLUMNS: [(&str, f64); 10] = [
    ("Agency code", 12.0),
    ("Child row", 9.0),
    ("Figure id", 28.0),
    ("Figure, or one of its inputs", 48.0),
    ("Formula", 50.0),
    ("In words", 50.0),
    ("Where the input came from", 60.0),
    ("Value", 16.0),
    ("Unit", 12.0),
    ("Price year", 10.0),
];

/// The Value column of Workings, as letters for formulas.
const VALUE_COLUMN: u16 = 7;

/// Workings, written by whichever thread first has the placements it lists: for a batch
/// written as it is costed, the costing thread that costs the first rows (every listed row is
/// among them), so the sheet is written beside the writing of Placements rather than after it.
/// It is written before any row of Placements in every case, so the formats it adds are
/// registered with the workbook in the same order on every run.
pub(crate) struct WorkingsJob<'a> {
    agencies: &'a [BatchAgency],
    f: Formats,
    state: std::sync::Mutex<WorkingsState>,
}

enum WorkingsState {
    Blank(Worksheet),
    Written(Result<WorkingsSheet>),
    /// Between the two (only while the lock is held).
    Writing,
}

/// Workings with every listed figure written.
struct WorkingsSheet {
    ws: Worksheet,
    /// The row after the last written.
    next: u32,
    /// The placements listed.
    listed: usize,
}

impl WorkingsJob<'_> {
    /// Writes the figures of the agencies and of `listed`, every placement Workings lists, unless
    /// they were written already.
    pub(crate) fn write(&self, listed: &[&PlacementRow]) {
        // A poisoned lock means a panic on another thread, which the caller carries on.
        let Ok(mut state) = self.state.lock() else { return };
        *state = match std::mem::replace(&mut *state, WorkingsState::Writing) {
            WorkingsState::Blank(ws) => WorkingsState::Written(workings(ws, self.agencies, listed, &self.f)),
            other => other,
        };
    }

    /// The finished sheet, with a note where `costed` placements outnumber those listed.
    fn finish(self, costed: usize) -> Result<Worksheet> {
        let (agencies, f) = (self.agencies, &self.f);
        let state = self.state.into_inner().map_err(|_| internal("writing Workings stopped".into()))?;
        let WorkingsSheet { mut ws, next, listed } = match state {
            WorkingsState::Blank(ws) => workings(ws, agencies, &[], f)?,
            WorkingsState::Written(w) => w?,
            WorkingsState::Writing => return Err(internal("writing Workings stopped".into())),
        };
        if costed > listed {
            Out { ws: &mut ws, f }.text(
                next + 1,
                0,
                &format!(
                    "The figures of the placements among the first {WORKINGS_PLACEMENT_LIMIT} child rows are listed; every placement's route figures are live formulas on the Placements sheet."
                ),
            )?;
        }
        Ok(ws)
    }
}

fn workings(
    mut ws: Worksheet,
    agencies: &[BatchAgency],
    placements: &[&PlacementRow],
    f: &Formats,
) -> Result<WorkingsSheet> {
    ws.set_name("Workings").map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    // Each agency's figures, then each listed placement's: a figure's row, then a row for each
    // of its inputs. A figure's Value is a live formula over its inputs' Value cells, and an
    // input that is another figure refers to that figure's Value cell.
    let listed: Vec<(usize, Option<u32>, &Explanation)> = agencies
        .iter()
        .enumerate()
        .map(|(k, a)| (k, None, &a.costed.explanation))
        .chain(placements.iter().map(|p| (p.agency, Some(p.row), &p.placement.explanation)))
        .collect();
    let rows: usize = listed.iter().flat_map(|(_, _, e)| &e.figures).map(|f| 1 + f.inputs.len()).sum();
    let mut o = Out { ws: &mut ws, f };
    o.table(0, &WORKINGS_COLUMNS, rows as u32, "Workings")?;
    let mut agency_rows: Vec<FigureRows> = vec![Default::default(); agencies.len()];
    let mut r: u32 = 1;
    for (k, row, ex) in listed {
        let here = figure_rows(&mut o, &mut r, &agencies[k].code, row, ex, &agency_rows[k])?;
        if row.is_none() {
            agency_rows[k] = here;
        }
    }
    Ok(WorkingsSheet { ws, next: r, listed: placements.len() })
}

/// Each figure id written on Workings → the Excel row of its Value cell and its value, so a
/// later figure's input can refer to it.
pub(crate) type FigureRows<'a> = std::collections::HashMap<&'a str, (u32, Option<Decimal>)>;

/// Writes an explanation's figures on a Workings sheet from row `r` on (a figure's row, then a
/// row for each of its inputs), under `code` and the child `row` where given. A figure's Value is
/// a live formula over its inputs' Value cells; an input that is another figure of `ex`, or of
/// `earlier` (the agency's own figures, for a placement), refers to that figure's Value cell.
/// Returns where `ex`'s figures were written.
pub(crate) fn figure_rows<'a>(
    o: &mut Out,
    r: &mut u32,
    code: &str,
    row: Option<u32>,
    ex: &'a Explanation,
    earlier: &FigureRows,
) -> Result<FigureRows<'a>> {
    let v = column_letters(VALUE_COLUMN.into());
    let mut here = FigureRows::new();
    for fig in &ex.figures {
        let fig_row = *r;
        o.text(*r, 0, code)?;
        if let Some(row) = row {
            o.number(*r, 1, row.into())?;
        }
        o.text(*r, 2, &fig.id)?;
        o.text(*r, 3, &fig.label)?;
        o.text(*r, 4, &fig.formula)?;
        o.text(*r, 5, &fig.words)?;
        let live = fig.calc.as_ref().and_then(|e| e.excel(&|n| format!("{v}{}", fig_row + n + 2)));
        match (fig.result.quantity(), fig.expression_value(), live) {
            (Some(q), Some(_), _) if calendar(q.unit) => o.text(*r, VALUE_COLUMN, &q.display())?,
            (Some(q), Some(value), Some(excel)) => {
                let formula = format!("={excel}");
                let f = Formula::new(formula).set_result(value.normalize().to_string());
                o.ws.write_formula_with_format(*r, VALUE_COLUMN, f, format_of(o.f, q.unit)).map_err(xlsx)?;
            }
            (Some(q), Some(value), None) => {
                o.ws.write_number_with_format(*r, VALUE_COLUMN, num(value)?, format_of(o.f, q.unit))
                    .map_err(xlsx)?;
            }
            _ => o.text(*r, VALUE_COLUMN, &fig.result.display())?,
        }
        if let Some(q) = fig.result.quantity() {
            o.text(*r, 8, unit_name(q.unit))?;
            if let Some(py) = q.price_year {
                o.text(*r, 9, &py.to_string())?;
            }
        }
        here.insert(fig.id.as_str(), (fig_row + 1, fig.expression_value()));
        *r += 1;
        for n in 0..fig.inputs.len() {
            input_row(o, *r, (code, row), fig, n, (&here, earlier))?;
            *r += 1;
        }
    }
    Ok(here)
}

/// The row of a figure's input `n`: what it is, where it comes from, and its value, a formula
/// referring to the figure it is (`known`: this explanation's figures, then the earlier ones)
/// where it is one.
fn input_row(
    o: &mut Out,
    r: u32,
    (code, row): (&str, Option<u32>),
    fig: &crate::explain::Figure,
    n: usize,
    (here, earlier): (&FigureRows, &FigureRows),
) -> Result<()> {
    let v = column_letters(VALUE_COLUMN.into());
    let t = &fig.inputs[n];
    o.text(r, 0, code)?;
    if let Some(row) = row {
        o.number(r, 1, row.into())?;
    }
    o.text(r, 3, &format!("  input {}: {}", n + 1, t.name))?;
    o.ws.text_with(r, 6, t.origin.describe(), &o.f.wrap).map_err(xlsx)?;
    let value = fig.input_value(n).unwrap_or_default();
    // An input that is another figure's value refers to it; one that is a part of it (a line's
    // share of a stage) is written as the part.
    let source = match &t.origin {
        Origin::Figure { id } => here
            .get(id.as_str())
            .or_else(|| earlier.get(id.as_str()))
            .filter(|(_, v)| *v == Some(value))
            .map(|(at, _)| *at),
        _ => None,
    };
    let format = format_of(o.f, t.value.unit);
    match source {
        _ if calendar(t.value.unit) => o.text(r, VALUE_COLUMN, &t.value.display())?,
        Some(at) => {
            let f = Formula::new(format!("={v}{at}")).set_result(value.normalize().to_string());
            o.ws.write_formula_with_format(r, VALUE_COLUMN, f, format).map_err(xlsx)?;
        }
        None => {
            o.ws.write_number_with_format(r, VALUE_COLUMN, num(value)?, format).map_err(xlsx)?;
        }
    }
    o.text(r, 8, unit_name(t.value.unit))?;
    if let Some(py) = t.value.price_year {
        o.text(r, 9, &py.to_string())?;
    }
    Ok(())
}

/// The number format of a unit's values.
fn format_of(f: &Formats, u: Unit) -> &Format {
    match u {
        u if u.is_money() => &f.money,
        Unit::Percent => &f.percent,
        _ => &f.number,
    }
}

fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Gbp => "£",
        Unit::GbpPerWeek => "£ a week",
        Unit::GbpPerMonth => "£ a month",
        Unit::GbpPerYear => "£ a year",
        Unit::GbpPerHour => "£ an hour",
        Unit::GbpPerFte => "£ per FTE",
        Unit::Percent => "%",
        Unit::Fte => "FTE",
        Unit::Count => "count",
        Unit::Weeks => "weeks",
        Unit::Days => "days",
        Unit::Months => "months",
        Unit::HoursPerYear => "hours a year",
        Unit::Ratio => "ratio",
        Unit::Index => "index",
        Unit::Date => "date",
        Unit::FeeYear => "fee year",
    }
}

/// A unit whose values are shown as text (a date, a fee year), not as a number to format.
fn calendar(u: Unit) -> bool {
    matches!(u, Unit::Date | Unit::FeeYear)
}

fn fees(ws: &mut Worksheet, used: &BTreeMap<FeeKey, FeeUse>, f: &Formats) -> Result<()> {
    ws.set_name("Fees").map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    // Every reference or user figure that set a schedule fee, London weighting, monthly fee or
    // contribution, keyed by (parameter or field, from date or cell); gathered while costing.
    let headers = [
        ("Schedule or figure", 30.0),
        ("From", 12.0),
        ("Until", 12.0),
        ("Amount", 16.0),
        ("Grade", 11.0),
        ("Source", 50.0),
        ("Note", 60.0),
        ("Times used", 10.0),
    ];
    let mut o = Out { ws, f };
    o.table(0, &headers, used.len() as u32, "Fees")?;
    for (i, ((id, from), u)) in used.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, t) in [id, from, &u.until, &u.amount, &u.grade, &u.source, &u.note].iter().enumerate() {
            o.text(r, c as u16, t)?;
        }
        o.number(r, 7, Decimal::from(u.times))?;
    }
    Ok(())
}

/// What an agency's chart sets its in-house cost against: the schedule fee for one child (before
/// London weighting) for the provider type most of its rows place with, in the fee year most of
/// its one-child rows with that provider fall in. A fee a reader would choose to compare with,
/// rather than whichever row came first.
#[derive(Debug, Clone, Default)]
struct ChartFee {
    /// Costed rows placing with a VAA, and with a council or RAA.
    rows: [u32; 2],
    /// One-child rows by provider (VAA, LA/RAA), fee year and schedule amount.
    one_child: [BTreeMap<(FinancialYear, Decimal), u32>; 2],
}

impl ChartFee {
    fn add(&mut self, p: &PlacementRow) {
        let k = usize::from(p.route.provider_used() == Provider::La);
        self.rows[k] += 1;
        if p.child.children == 1 {
            let fee = &p.placement.fee;
            *self.one_child[k].entry((fee.year, fee.schedule.amount())).or_default() += 1;
        }
    }

    /// The provider type (a VAA where the rows are even), and the fee year and schedule fee of
    /// one child where any of its rows is of one child (the most rows; then the latest year).
    fn chosen(&self) -> (Provider, Option<(FinancialYear, Decimal)>) {
        let k = usize::from(self.rows[1] > self.rows[0]);
        let fee = self.one_child[k].iter().max_by_key(|((year, _), n)| (**n, *year)).map(|(key, _)| *key);
        ([Provider::Vaa, Provider::La][k], fee)
    }
}

fn charts(wb: &mut Workbook, agencies: &[BatchAgency], fees: &[ChartFee], f: &Formats) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name("Charts").map_err(xlsx)?;
    ws.set_column_width(0, 28).map_err(xlsx)?;
    ws.set_column_width(1, 16).map_err(xlsx)?;
    ws.set_column_width(2, 16).map_err(xlsx)?;
    let mut top = 0u32;
    for (a, chart_fee) in agencies.iter().zip(fees) {
        let c = &a.costed.cost;
        ws.text_with(top, 0, format!("{}: full in-house cost by category against the fee", a.name), &f.title)
            .map_err(xlsx)?;
        ws.text_with(top + 1, 0, "category", &f.header).map_err(xlsx)?;
        ws.text_with(top + 1, 1, "in-house", &f.header).map_err(xlsx)?;
        let (provider, fee) = chart_fee.chosen();
        let fee_label = match fee {
            Some((year, _)) => format!("{} fee, one child, {year}", provider.name()),
            None => format!("{} fee, one child (no such row)", provider.name()),
        };
        ws.text_with(top + 1, 2, &fee_label, &f.header).map_err(xlsx)?;
        for (k, cat) in Category::ALL.iter().enumerate() {
            let r = top + 2 + k as u32;
            ws.text(r, 0, cat.name()).map_err(xlsx)?;
            ws.write_number_with_format(r, 1, num(c.unit.full_by_category.get(*cat).amount())?, &f.money)
                .map_err(xlsx)?;
        }
        let fee_row = top + 2 + Category::ALL.len() as u32;
        ws.text(fee_row, 0, "interagency fee").map_err(xlsx)?;
        if let Some((_, amount)) = fee {
            ws.write_number_with_format(fee_row, 2, num(amount)?, &f.money).map_err(xlsx)?;
        }
        let [vaa, la] = chart_fee.rows;
        ws.text(
            fee_row + 1,
            0,
            format!(
                "The fee: the schedule fee for one child, before London weighting, for the provider type most of the agency's rows place with (VAA {vaa}, LA/RAA {la}; a VAA where even), in the fee year most of its one-child rows with that provider fall in."
            ),
        )
        .map_err(xlsx)?;
        let mut chart = Chart::new(ChartType::ColumnStacked);
        // The title leads with fixed words: a chart title that starts with `=` is read as a formula.
        chart.title().set_name(&format!("In-house cost against the fee: {}", a.name));
        for k in 0..Category::ALL.len() as u32 {
            let r = top + 2 + k;
            chart
                .add_series()
                .set_name(("Charts", r, 0))
                .set_categories(("Charts", top + 1, 1, top + 1, 2))
                .set_values(("Charts", r, 1, r, 2));
        }
        chart
            .add_series()
            .set_name(("Charts", fee_row, 0))
            .set_categories(("Charts", top + 1, 1, top + 1, 2))
            .set_values(("Charts", fee_row, 1, fee_row, 2));
        chart.y_axis().set_num_format("£#,##0");
        ws.insert_chart(top, 4, &chart).map_err(xlsx)?;
        top += 22;
    }
    Ok(())
}

/// An Errors sheet: every rejected cell, or `none` where there were none.
pub(crate) fn errors(
    ws: &mut Worksheet,
    errors: &[super::read::CellError],
    none: &str,
    f: &Formats,
) -> Result<()> {
    ws.set_name("Errors").map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    let headers = [("Sheet", 14.0), ("Cell", 10.0), ("Found", 60.0), ("Expected", 80.0)];
    let mut o = Out { ws, f };
    o.table(0, &headers, errors.len() as u32, "Errors")?;
    if errors.is_empty() {
        o.text(1, 0, none)?;
    }
    for (i, e) in errors.iter().enumerate() {
        let r = i as u32 + 1;
        o.text(r, 0, &e.sheet)?;
        o.text(r, 1, &e.cell)?;
        o.text(r, 2, &e.found)?;
        o.text(r, 3, &e.expected)?;
    }
    Ok(())
}
