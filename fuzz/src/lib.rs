//! What each fuzz target does with one input, kept apart from libFuzzer so the normal test
//! suite (`core/tests/fuzz_findings.rs`) runs every input the fuzzer has ever found a fault
//! with through the same code, on the stable toolchain.
//!
//! A finding is a panic, an abort, a hang, a blow-up of memory, or an internal error (a bug,
//! not a fault in the input): these functions panic on an internal error so the fuzzer
//! records it, though the product reports one and carries on.

use adoptcost::analysis::{Forecast, SensitivityOptions, SimulationOptions, budget, sensitivity, simulate};
use adoptcost::batch::{self, Options};
use adoptcost::input::{ChildAndRoute, Provenance};
use adoptcost::workbook::{self, Limits};
use adoptcost::{Agency, Error, Reference, Scenario, TextFormat, compare, example, text};

fn no_bug<T>(r: Result<T, Error>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            assert!(!e.is_internal(), "{e}");
            None
        }
    }
}

/// Lets a panic inside calamine unwind to adoptcost's reader, which reports the file as
/// damaged (`workbook::open`), instead of aborting at libFuzzer's panic hook as every other
/// panic does: the hook runs before the unwinding that adoptcost catches. A panic in
/// calamine that adoptcost does not catch still aborts the target when it reaches it.
pub fn init() {
    let fuzzer_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.location().is_some_and(|l| l.file().contains("/calamine-")) {
            fuzzer_hook(info);
        }
    }));
}

/// The workbook reader and the batch behind `adoptcost run`: bytes → open within limits →
/// sheets read a cell at a time → rows → every row costed → the costed workbook written. The
/// batch catches a row's panic so the other rows are costed, and lists it as the row's
/// internal error: that is a finding too.
pub fn workbook(bytes: &[u8]) {
    let reference = Reference::embedded().expect("the embedded reference data");
    // Far below the defaults, so that one input cannot take the fuzzer's memory (libFuzzer
    // stops at 2 GB); the limits themselves are what is being tested.
    let limits = Limits { inflated_bytes: 64 << 20, cells: 100_000, text_bytes: 16 << 20 };
    let Ok(parsed) = workbook::parse_within(bytes, &limits) else { return };
    // A fixed today, so rows with no placement date take the same path on every run.
    let opts = Options { threads: 0, keep_figures: 10, today: adoptcost::text::parse_date("2026-12-06") };
    let Some(batch) = no_bug(batch::collect(parsed.read(), reference, &opts, &mut |_, _| {})) else { return };
    for e in &batch.errors {
        let text = e.to_string();
        assert!(!text.contains("internal error in adoptcost"), "{text}");
    }
    no_bug(workbook::costed(&batch));
    // The same workbook costed as its Children rows are read, as `adoptcost run -o` does.
    let streamed = workbook::workbook_to_workbook(bytes, &limits, reference, &opts, &mut |_, _| {});
    no_bug(streamed.map_err(|(workbook::Stopped::Input(e) | workbook::Stopped::Output(e))| e));
}

/// The text readers behind `--agency`, `--scenario` and `--forecast`: the first byte picks the
/// format (TOML or JSON) and what the rest is (an agency, a scenario, a forecast); the rest is
/// read and, where it reads, costed as the command line would cost it.
pub fn text(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(input) = std::str::from_utf8(rest) else { return };
    let format = if mode & 1 == 0 { TextFormat::Toml } else { TextFormat::Json };
    let reference = Reference::embedded().expect("the embedded reference data");
    let scenario = match (mode >> 1) % 3 {
        0 => {
            let Some(agency) = no_bug(Agency::from_text(input, format, "fuzzed agency")) else { return };
            Scenario { agency, ..example::scenario().expect("the example") }
        }
        1 => {
            let Some(cr) = no_bug(ChildAndRoute::from_text(input, format)) else { return };
            let agency = match &cr.agency {
                Some(a) => (**a).clone(),
                None => example::agency().expect("the example"),
            };
            Scenario::new(agency, cr, Provenance::named("fuzzed scenario"))
        }
        _ => {
            let Some(f) = no_bug(text::from_text::<Forecast>(input, format)) else { return };
            let agency = example::agency().expect("the example");
            no_bug(budget(&agency, &f, "fuzzed forecast", reference));
            return;
        }
    };
    if no_bug(compare(&scenario, reference)).is_none() {
        return;
    }
    no_bug(sensitivity(&scenario, reference, &SensitivityOptions::default()));
    if !scenario.ranges.is_empty() {
        let opts = SimulationOptions { draws: 20, seed: 1, threads: 1 };
        no_bug(simulate(&scenario, &scenario.ranges, reference, &opts));
    }
}
