//! Every input the fuzzer (fuzz/, scripts/fuzz) has failed on, kept in `fixtures/fuzz/TARGET/`,
//! run through the same code as the fuzz target, so a fault it found stays fixed; and the seeds
//! the fuzzer starts from, so the targets' code is known to run on stable.

#[allow(dead_code, clippy::unwrap_used)]
#[path = "../../fuzz/src/lib.rs"]
mod one_input;

use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn files(dir: &Path, ext: Option<&str>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_file() && ext.is_none_or(|x| p.extension().is_some_and(|e| e == x)));
    out.sort();
    out
}

/// Runs each input, naming every one that panicked (the functions panic on a finding).
fn run_each(inputs: Vec<(String, Vec<u8>)>, one: fn(&[u8])) {
    assert!(!inputs.is_empty(), "no inputs");
    let failed: Vec<String> = inputs
        .into_iter()
        .filter(|(_, bytes)| std::panic::catch_unwind(|| one(bytes)).is_err())
        .map(|(name, _)| name)
        .collect();
    assert!(failed.is_empty(), "failed on {failed:?}");
}

fn read(paths: Vec<PathBuf>) -> Vec<(String, Vec<u8>)> {
    paths.into_iter().map(|p| (p.display().to_string(), std::fs::read(&p).expect("reads"))).collect()
}

#[test]
fn the_workbooks_the_fuzzer_failed_on_and_its_seeds_run() {
    let mut inputs = read(files(&fixtures().join("fuzz/workbook"), None));
    inputs.extend(read(files(&fixtures().join("workbooks"), Some("xlsx"))));
    inputs.extend(read(files(&fixtures().join("workbooks"), Some("ods"))));
    run_each(inputs, one_input::workbook);
}

#[test]
fn the_texts_the_fuzzer_failed_on_and_its_seeds_run() {
    let mut inputs = read(files(&fixtures().join("fuzz/text"), None));
    // The seeds: each TOML fixture as an agency (0), a scenario (2) and a forecast (4).
    for dir in ["example", "worked", "budget", "price-index"] {
        for (name, text) in read(files(&fixtures().join(dir), Some("toml"))) {
            for mode in [0u8, 2, 4] {
                inputs.push((format!("{mode}+{name}"), [&[mode][..], &text].concat()));
            }
        }
    }
    run_each(inputs, one_input::text);
}
