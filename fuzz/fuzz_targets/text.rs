//! Fuzzes the agency, scenario and forecast readers ([`adoptcost_fuzz::text`]).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| adoptcost_fuzz::text(data));
