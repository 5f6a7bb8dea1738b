//! Fuzzes the workbook reader and batch ([`adoptcost_fuzz::workbook`]).
#![no_main]

libfuzzer_sys::fuzz_target!(init: adoptcost_fuzz::init(), |bytes: &[u8]| adoptcost_fuzz::workbook(bytes));
