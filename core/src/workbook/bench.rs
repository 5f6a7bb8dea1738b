//! Benchmarking the agencies of a multi-agency workbook ([`crate::analysis::benchmark()`]) and the
//! benchmark workbook: Benchmark (each agency's stage unit costs, ranks and empty categories),
//! Positions (every measure for every agency, with its quartiles, fences and flag), Statistics
//! (each measure's quartiles as live `QUARTILE.INC` formulas over Positions), Charts (one per
//! stage), Workings (every figure) and Errors.
#![allow(clippy::disallowed_types)] // Excel cells hold floats: converted at the boundary (cell.rs)

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Formula, Workbook};
use serde::Serialize;

use super::cell::WriteText;
use super::cell::column_letters;
use super::costed::Out;
use super::read::CellError;
use super::template::{Formats, xlsx};
use crate::analysis::benchmark::{Benchmark, Member, STAGE_MEASURES, benchmark};
use crate::batch::cell_error;
use crate::compare::cost_agency;
use crate::error::{Error, Result};
use crate::input::Agency;
use crate::reference::Reference;

/// A benchmark of a workbook's agencies, with the cells that stopped an agency being costed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchmarkRun {
    /// The benchmark of the agencies that could be costed.
    pub benchmark: Benchmark,
    /// Agencies in the workbook (costed or not).
    pub agency_rows: usize,
    /// Every cell that stopped an agency being costed. The Children sheet is not read for a
    /// benchmark, so its errors are not here.
    pub errors: Vec<CellError>,
}

/// Reads a multi-agency workbook's bytes, costs each agency and benchmarks those that could be
/// costed against each other. One bad agency never stops the others: its cells are listed in
/// the errors. Fails only where the workbook cannot be read at all or no agency can be costed.
pub fn benchmark_workbook(bytes: &[u8], reference: &Reference) -> Result<BenchmarkRun> {
    benchmark_workbook_within(bytes, reference, &super::Limits::default())
}

/// [`benchmark_workbook`] within the given limits.
pub fn benchmark_workbook_within(
    bytes: &[u8],
    reference: &Reference,
    limits: &super::Limits,
) -> Result<BenchmarkRun> {
    let input = super::parse_within(bytes, limits)?.read();
    let agency_rows = input.agencies.len();
    // Errors of the agency sheets only: the children are not costed here.
    let mut errors: Vec<CellError> = input.errors.into_iter().filter(|e| e.sheet != "Children").collect();
    let mut costed: Vec<(String, Agency, crate::compare::CostedAgency)> = Vec::new();
    for a in input.agencies {
        let Some(agency) = a.agency else { continue };
        match cost_agency(&agency, reference) {
            Ok(c) => costed.push((a.code, agency, c)),
            Err(e) => errors.push(cell_error(&e, &agency.provenance, "Agencies", &format!("A{}", a.row))),
        }
    }
    if costed.is_empty() {
        return Err(Error::invalid(
            "Agencies",
            "at least one agency that can be costed (two or more to compare)",
            if agency_rows == 0 {
                "no agency rows on the Agencies sheet".to_string()
            } else {
                format!("{agency_rows} agency rows, none of which could be costed (see the errors)")
            },
        ));
    }
    let members: Vec<Member> =
        costed.iter().map(|(code, agency, costed)| Member { code, agency, costed }).collect();
    Ok(BenchmarkRun { benchmark: benchmark(&members)?, agency_rows, errors })
}

/// The benchmark workbook's bytes.
pub fn write(run: &BenchmarkRun) -> Result<Vec<u8>> {
    let f = Formats::default();
    let mut wb = super::template::new_workbook()?;
    let b = &run.benchmark;
    summary_sheet(&mut wb, b, &f)?;
    let blocks = positions_sheet(&mut wb, b, &f)?;
    statistics_sheet(&mut wb, b, &f, &blocks)?;
    charts_sheet(&mut wb, b, &f)?;
    // Figure ids carry their agency (`NORTH/unit.full`); the benchmark's own start `benchmark.`.
    super::analyses::workings(&mut wb, &b.explanation, &f)?;
    super::costed::errors(wb.add_worksheet(), &run.errors, "No errors: every agency was costed.", &f)?;
    wb.save_to_buffer().map_err(xlsx)
}

fn summary_sheet(wb: &mut Workbook, b: &Benchmark, f: &Formats) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name("Benchmark").map_err(xlsx)?;
    ws.set_freeze_panes(1, 2).map_err(xlsx)?;
    let mut headers: Vec<(String, f64)> =
        vec![("Agency code".into(), 12.0), ("Name".into(), 32.0), ("Price year".into(), 10.0)];
    for (_, label) in STAGE_MEASURES {
        headers.push((capitalise(label), 16.0));
        headers.push((format!("Rank: {label}"), 9.0));
    }
    headers.push(("Flags".into(), 8.0));
    headers.push(("Cost categories left empty".into(), 48.0));
    let refs: Vec<(&str, f64)> = headers.iter().map(|(h, w)| (h.as_str(), *w)).collect();
    let mut o = Out { ws, f };
    o.table(0, &refs, b.agencies.len() as u32, "Benchmark")?;
    for (i, a) in b.agencies.iter().enumerate() {
        let r = i as u32 + 1;
        o.text(r, 0, &a.code)?;
        o.text(r, 1, &a.name)?;
        o.text(r, 2, &a.price_year.to_string())?;
        for (k, (id, _)) in STAGE_MEASURES.iter().enumerate() {
            let c = 3 + 2 * k as u16;
            if let Some(m) = b.measure(id) {
                o.opt_money(r, c, m.values[i])?;
                if let Some(p) = &m.positions[i] {
                    o.number(r, c + 1, Decimal::from(p.rank))?;
                }
            }
        }
        let flags =
            b.measures.iter().filter(|m| m.positions[i].as_ref().is_some_and(|p| p.flag.is_some())).count();
        let c = 3 + 2 * STAGE_MEASURES.len() as u16;
        o.number(r, c, Decimal::from(flags))?;
        let empty: Vec<&str> = a.empty.iter().map(|c| c.name()).collect();
        o.text(r, c + 1, &if empty.is_empty() { "none".to_string() } else { empty.join(", ") })?;
    }
    let mut r = b.agencies.len() as u32 + 2;
    for note in &b.notes {
        o.text(r, 0, note)?;
        r += 1;
    }
    o.text(
        r,
        0,
        "Rank 1 is the lowest cost. A figure outside 1.5 interquartile ranges of the quartiles is flagged on Positions: more likely a difference in what was counted than in efficiency. An empty cost category is the usual cause of an implausibly low unit cost.",
    )?;
    Ok(())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Where each measure's rows are on Positions (first and last Excel row, 1-based).
struct Block {
    first: u32,
    last: u32,
}

const POSITION_VALUE_COLUMN: u16 = 4;

fn positions_sheet(wb: &mut Workbook, b: &Benchmark, f: &Formats) -> Result<Vec<Option<Block>>> {
    let ws = wb.add_worksheet();
    ws.set_name("Positions").map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    let headers = [
        ("Measure id", 24.0),
        ("Measure", 40.0),
        ("Agency code", 12.0),
        ("Figure", 30.0),
        ("Value", 14.0),
        ("Rank", 7.0),
        ("Of", 5.0),
        ("Lower quartile", 14.0),
        ("Median", 14.0),
        ("Upper quartile", 14.0),
        ("Lower fence", 14.0),
        ("Upper fence", 14.0),
        ("Flag", 7.0),
        ("What a flag most likely means", 80.0),
    ];
    let rows: usize = b.measures.iter().map(|m| m.values.iter().flatten().count()).sum();
    let mut o = Out { ws, f };
    o.table(0, &headers, rows as u32, "Positions")?;
    let mut r = 1u32;
    let mut blocks = Vec::with_capacity(b.measures.len());
    for m in &b.measures {
        let Some(s) = &m.stats else {
            blocks.push(None);
            continue;
        };
        let first = r + 1;
        for (i, v) in m.values.iter().enumerate() {
            let (Some(v), Some(p)) = (v, &m.positions[i]) else { continue };
            o.text(r, 0, &m.id)?;
            o.text(r, 1, &m.label)?;
            o.text(r, 2, &b.agencies[i].code)?;
            o.text(r, 3, m.sources[i].as_deref().unwrap_or(""))?;
            o.money(r, POSITION_VALUE_COLUMN, *v)?;
            o.number(r, 5, Decimal::from(p.rank))?;
            o.number(r, 6, Decimal::from(p.of))?;
            for (c, q) in [(7, s.q1), (8, s.median), (9, s.q3), (10, s.lower_fence), (11, s.upper_fence)] {
                o.money(r, c, q)?;
            }
            match p.flag {
                Some(flag) => {
                    o.text(r, 12, flag.word())?;
                    o.text(r, 13, flag.meaning())?;
                }
                None if !s.flags_apply => o.text(r, 13, "not flagged: too few agencies have this figure")?,
                None => {}
            }
            r += 1;
        }
        blocks.push(Some(Block { first, last: r }));
    }
    Ok(blocks)
}

fn statistics_sheet(wb: &mut Workbook, b: &Benchmark, f: &Formats, blocks: &[Option<Block>]) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name("Statistics").map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    let headers = [
        ("Measure id", 24.0),
        ("Measure", 40.0),
        ("Agencies", 9.0),
        ("Lowest", 14.0),
        ("Lower quartile", 14.0),
        ("Median", 14.0),
        ("Upper quartile", 14.0),
        ("Highest", 14.0),
        ("Interquartile range", 14.0),
        ("Lower fence", 14.0),
        ("Upper fence", 14.0),
    ];
    let with_stats = b.measures.iter().filter(|m| m.stats.is_some()).count();
    let mut o = Out { ws, f };
    o.table(0, &headers, with_stats as u32, "Statistics")?;
    let col = column_letters(POSITION_VALUE_COLUMN.into());
    let mut r = 1u32;
    for (m, block) in b.measures.iter().zip(blocks) {
        let (Some(s), Some(block)) = (&m.stats, block) else { continue };
        let range = format!("Positions!${col}${}:${col}${}", block.first, block.last);
        o.text(r, 0, &m.id)?;
        o.text(r, 1, &m.label)?;
        let live = |o: &mut Out, c: u16, formula: String, value: Decimal| -> Result<()> {
            let fm = Formula::new(formula).set_result(value.normalize().to_string());
            o.ws.write_formula_with_format(r, c, fm, &o.f.money).map_err(xlsx)?;
            Ok(())
        };
        let row = r + 1;
        o.ws.write_formula_with_format(
            r,
            2,
            Formula::new(format!("=COUNT({range})")).set_result(s.n.to_string()),
            &o.f.number,
        )
        .map_err(xlsx)?;
        live(&mut o, 3, format!("=MIN({range})"), s.min.amount())?;
        live(&mut o, 4, format!("=QUARTILE.INC({range},1)"), s.q1.amount())?;
        live(&mut o, 5, format!("=QUARTILE.INC({range},2)"), s.median.amount())?;
        live(&mut o, 6, format!("=QUARTILE.INC({range},3)"), s.q3.amount())?;
        live(&mut o, 7, format!("=MAX({range})"), s.max.amount())?;
        live(&mut o, 8, format!("=G{row}-E{row}"), s.iqr.amount())?;
        live(&mut o, 9, format!("=E{row}-1.5*I{row}"), s.lower_fence.amount())?;
        live(&mut o, 10, format!("=G{row}+1.5*I{row}"), s.upper_fence.amount())?;
        r += 1;
    }
    Ok(())
}

fn charts_sheet(wb: &mut Workbook, b: &Benchmark, f: &Formats) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name("Charts").map_err(xlsx)?;
    ws.set_column_width(0, 14).map_err(xlsx)?;
    ws.set_column_width(1, 16).map_err(xlsx)?;
    ws.set_column_width(2, 16).map_err(xlsx)?;
    let n = b.agencies.len() as u32;
    let mut top = 0u32;
    // One chart per stage (A, B, C) and one for the full cost of a placement: each agency's
    // value as a column, the median as a line.
    for (id, label) in STAGE_MEASURES.iter().take(4) {
        let Some(m) = b.measure(id) else { continue };
        let Some(s) = &m.stats else { continue };
        ws.text_with(top, 0, capitalise(label), &f.title).map_err(xlsx)?;
        for (c, h) in ["Agency", "Value", "Median"].iter().enumerate() {
            ws.text_with(top + 1, c as u16, *h, &f.header).map_err(xlsx)?;
        }
        for (i, a) in b.agencies.iter().enumerate() {
            let r = top + 2 + i as u32;
            ws.text(r, 0, &a.code).map_err(xlsx)?;
            if let Some(v) = m.values[i] {
                ws.write_number_with_format(r, 1, super::costed::num(v.amount())?, &f.money).map_err(xlsx)?;
            }
            ws.write_number_with_format(r, 2, super::costed::num(s.median.amount())?, &f.money)
                .map_err(xlsx)?;
        }
        let (first, last) = (top + 2, top + 1 + n);
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name(&capitalise(label));
        chart
            .add_series()
            .set_name("each agency")
            .set_categories(("Charts", first, 0, last, 0))
            .set_values(("Charts", first, 1, last, 1));
        let mut median = Chart::new(ChartType::Line);
        median
            .add_series()
            .set_name("median")
            .set_categories(("Charts", first, 0, last, 0))
            .set_values(("Charts", first, 2, last, 2));
        chart.combine(&median);
        chart.y_axis().set_num_format("£#,##0");
        chart.set_width(720);
        ws.insert_chart(top, 4, &chart).map_err(xlsx)?;
        top += (n + 3).max(22);
    }
    Ok(())
}
