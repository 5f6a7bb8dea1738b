//! The floor of the batch benchmark (bench/run): what reading the input workbook and writing a
//! costed workbook of the same size costs with the same libraries and no costing at all.
//!
//!     floor INPUT.xlsx LIKE.xlsx OUT.xlsx
//!
//! LIKE.xlsx is a costed workbook `adoptcost run` wrote from INPUT.xlsx. Its cells (values,
//! and formulas with their cached results) are loaded first, untimed. The timed part then
//! reads INPUT.xlsx from disk and parses every sheet with calamine (as `adoptcost run` does),
//! and writes LIKE's cells again with rust_xlsxwriter, with the writer settings adoptcost uses
//! (constant-memory mode for Placements and Workings, compression level 3), to OUT.xlsx.
//! Prints the timed seconds.
#![allow(clippy::disallowed_types)] // cells hold floats; nothing here is money

use std::io::Cursor;
use std::time::Instant;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use rust_xlsxwriter::{Formula, Workbook};

type Cells = Vec<(u32, u16, Data, Option<String>)>;

fn load(path: &str) -> Result<Vec<(String, Cells)>, String> {
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
        out.push((name, cells));
    }
    Ok(out)
}

fn run() -> Result<f64, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, like, out] = args.as_slice() else {
        return Err("usage: floor INPUT.xlsx LIKE.xlsx OUT.xlsx".into());
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
    for (name, cells) in &sheets {
        let ws = if name == "Placements" || name == "Workings" {
            w.add_worksheet_with_constant_memory().map_err(|e| e.to_string())?
        } else {
            w.add_worksheet()
        };
        ws.set_name(name).map_err(|e| e.to_string())?;
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
