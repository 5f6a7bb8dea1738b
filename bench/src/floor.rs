//! The floor of the batch benchmark (bench/run): what reading the input workbook and writing a
//! costed workbook of the same size costs with the same libraries and no costing at all.
//!
//!     floor [--tables] INPUT.xlsx LIKE.xlsx OUT.xlsx
//!
//! LIKE.xlsx is a costed workbook `adoptcost run` wrote from INPUT.xlsx. Its cells (values,
//! and formulas with their cached results) are loaded first, untimed. The timed part then
//! reads INPUT.xlsx from disk and parses every sheet with calamine (as `adoptcost run` does),
//! and writes LIKE's cells again with rust_xlsxwriter, with the writer settings adoptcost uses
//! (constant-memory mode for Placements and Workings, compression level 3), to OUT.xlsx.
//! Prints the timed seconds.
//!
//! With `--tables` it also makes LIKE's named tables again (same sheets, ranges, names and
//! column headers; loaded untimed, like the cells). They are part of the output (the issue asks
//! for named tables on the data sheets), and rust_xlsxwriter's `add_table` checks every cell of
//! a table's range for overlap, which on a 100,000-row Placements table is a real cost; the
//! benchmark reports the floor both without and with them.
#![allow(clippy::disallowed_types)] // cells hold floats; nothing here is money

use std::io::Cursor;
use std::time::Instant;

use calamine::{Data, Reader, Xlsx, open_workbook_auto_from_rs, open_workbook_from_rs};
use rust_xlsxwriter::{Formula, Table, TableColumn, Workbook};

/// The allocator `adoptcost` uses (cli/src/main.rs), so the floor measures the same libraries
/// the same way.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

type Cells = Vec<(u32, u16, Data, Option<String>)>;

/// A named table: its name, its range (header row included) and its column headers.
struct NamedTable {
    name: String,
    first_row: u32,
    first_col: u16,
    last_row: u32,
    columns: Vec<String>,
}

/// Each sheet's named tables in LIKE.xlsx.
fn tables(path: &str, sheet: &str) -> Result<Vec<NamedTable>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| format!("{path}: {e}"))?;
    wb.load_tables().map_err(|e| format!("{path}: {e}"))?;
    let names: Vec<String> = wb.table_names_in_sheet(sheet).into_iter().cloned().collect();
    let mut out = Vec::new();
    for name in names {
        let t = wb.table_by_name(&name).map_err(|e| format!("{path} table {name}: {e}"))?;
        let (start, end) = match (t.data().start(), t.data().end()) {
            (Some(s), Some(e)) => (s, e),
            _ => return Err(format!("{path} table {name}: no rows")),
        };
        out.push(NamedTable {
            name,
            first_row: start.0 - 1,
            first_col: start.1 as u16,
            last_row: end.0,
            columns: t.columns().to_vec(),
        });
    }
    Ok(out)
}

fn load(path: &str) -> Result<Vec<(String, Cells, Vec<NamedTable>)>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let values = wb.worksheet_range(&name).map_err(|e| format!("{path} {name}: {e}"))?;
        let formulas = wb.worksheet_formula(&name).map_err(|e| format!("{path} {name}: {e}"))?;
        let mut cells = Cells::new();
        for (r, c, d) in values.used_cells() {
            let (ar, ac) =
                (r as u32 + values.start().map_or(0, |s| s.0), c as u32 + values.start().map_or(0, |s| s.1));
            let f = formulas.get_value((ar, ac)).filter(|f| !f.is_empty()).map(|f| format!("={f}"));
            cells.push((ar, ac as u16, d.clone(), f));
        }
        let t = tables(path, &name)?;
        out.push((name, cells, t));
    }
    Ok(out)
}

fn run() -> Result<f64, String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let with_tables = args.first().is_some_and(|a| a == "--tables");
    if with_tables {
        args.remove(0);
    }
    let [input, like, out] = args.as_slice() else {
        return Err("usage: floor [--tables] INPUT.xlsx LIKE.xlsx OUT.xlsx".into());
    };
    let sheets = load(like)?;
    let start = Instant::now();
    let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| format!("{input}: {e}"))?;
    let mut cells = 0usize;
    for name in wb.sheet_names() {
        cells += wb.worksheet_range(&name).map_err(|e| format!("{input} {name}: {e}"))?.used_cells().count();
    }
    std::hint::black_box(cells);
    let mut w = Workbook::new();
    for (name, cells, named) in &sheets {
        let ws = if name == "Placements" || name == "Workings" {
            w.add_worksheet_with_constant_memory().map_err(|e| e.to_string())?
        } else {
            w.add_worksheet()
        };
        ws.set_name(name).map_err(|e| e.to_string())?;
        // Before the cells, as adoptcost does: in constant-memory mode rows are written in order.
        for t in named.iter().filter(|_| with_tables) {
            let cols: Vec<TableColumn> = t.columns.iter().map(|h| TableColumn::new().set_header(h)).collect();
            let table = Table::new().set_name(&t.name).set_columns(&cols);
            let last_col = t.first_col + t.columns.len() as u16 - 1;
            ws.add_table(t.first_row, t.first_col, t.last_row, last_col, &table)
                .map_err(|e| e.to_string())?;
        }
        for (r, c, d, f) in cells {
            let written = match (f, d) {
                (Some(f), d) => {
                    ws.write_formula(*r, *c, Formula::new(f).set_result(d.to_string())).map(|_| ())
                }
                (None, Data::String(s)) => ws.write_string(*r, *c, s).map(|_| ()),
                (None, Data::Float(x)) => ws.write_number(*r, *c, *x).map(|_| ()),
                (None, Data::Int(x)) => ws.write_number(*r, *c, *x as f64).map(|_| ()),
                (None, Data::DateTime(x)) => ws.write_number(*r, *c, x.as_f64()).map(|_| ()),
                (None, Data::Bool(b)) => ws.write_boolean(*r, *c, *b).map(|_| ()),
                _ => Ok(()),
            };
            written.map_err(|e| e.to_string())?;
        }
    }
    w.set_zip_compression_level(3);
    let buf = w.save_to_buffer().map_err(|e| e.to_string())?;
    std::fs::write(out, buf).map_err(|e| format!("{out}: {e}"))?;
    Ok(start.elapsed().as_secs_f64())
}

fn main() {
    match run() {
        Ok(s) => println!("{s:.3}"),
        Err(e) => {
            eprintln!("floor: {e}");
            std::process::exit(2);
        }
    }
}
