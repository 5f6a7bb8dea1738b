//! Turns the embedded TOML files (the reference data and the example agency, child, forecast
//! and VAA) into JSON at build time, with the library's own TOML reader
//! (`src/text/toml.rs`, included below), so every build embeds and reads the same JSON and a
//! build without the `toml` feature (the browser's first module) needs no TOML parser. A file
//! that is not valid TOML fails the build, naming the file, line and column.

use std::path::Path;

#[path = "src/text/toml.rs"]
#[allow(dead_code)]
mod toml;

/// The embedded files: where they are, relative to this crate, and the JSON file each becomes
/// in OUT_DIR.
const FILES: &[(&str, &str)] = &[
    ("reference/fees.toml", "fees.json"),
    ("reference/employment.toml", "employment.json"),
    ("reference/waiting.toml", "waiting.json"),
    ("reference/regulation.toml", "regulation.json"),
    ("reference/volumes.toml", "volumes.json"),
    ("../fixtures/example/agency.toml", "example-agency.json"),
    ("../fixtures/example/child.toml", "example-child.json"),
    ("../fixtures/example/forecast.toml", "example-forecast.json"),
    ("../fixtures/vaa/agency.toml", "example-vaa.json"),
];

fn main() {
    println!("cargo::rerun-if-changed=src/text/toml.rs");
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    for (from, to) in FILES {
        println!("cargo::rerun-if-changed={from}");
        let text = std::fs::read_to_string(from).unwrap_or_else(|e| panic!("reading {from}: {e}"));
        let value =
            toml::to_value(&text).unwrap_or_else(|e| panic!("{from}, {}: {}", e.place(&text), e.message));
        let json = serde_json::to_string(&value).expect("a JSON value always writes");
        std::fs::write(Path::new(&out).join(to), json).unwrap_or_else(|e| panic!("writing {to}: {e}"));
    }
}
