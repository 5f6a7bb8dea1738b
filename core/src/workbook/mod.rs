//! Workbooks on bytes: the input template, reading a filled one, and the costed workbook.
//!
//! Everything here takes and returns bytes, never files, so the same code serves the command
//! line and the browser. calamine reads (.xlsx, .xlsm, .xls, .ods); rust_xlsxwriter writes.

pub mod cell;
mod grid;
pub mod open;
pub mod read;
pub mod schema;

pub use read::{CellError, ChildRow, InputWorkbook, Limits, Parsed, parse, parse_within, read};
pub mod template;

pub use template::template;

pub mod analyses;
pub mod bench;
pub mod budget;
pub mod costed;
pub mod run;
mod sheet_rows;
#[cfg(test)]
mod tests;
mod totals;

pub use crate::batch::Batch;
pub use bench::{BenchmarkRun, benchmark_workbook, benchmark_workbook_within};
pub use costed::costed;
pub use run::{Stopped, Written, cost_to_workbook, options, run, scenario, workbook_to_workbook};
