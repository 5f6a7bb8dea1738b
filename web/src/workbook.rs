//! The workbook import and export, and the JSON exports, in the second module the page loads on
//! first use (they are not needed for the first result, and the first module stays small).

use adoptcost::input::Scenario;
use adoptcost::workbook::{self, Batch, CellError};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{Problem, compare_document, reference, rejected, scenario_of, to_js, to_text};

/// A cell that could not be read, as the command line prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CellProblem<'a> {
    sheet: &'a str,
    cell: &'a str,
    found: &'a str,
    expected: &'a str,
    /// `sheet 'Staff', cell D7: …; expected …`, the command line's `rejected:` line.
    message: String,
}

/// What costing a workbook gave, for the page.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Costed<'a> {
    ok: bool,
    /// Child rows in the workbook, read or not.
    child_rows: usize,
    /// Agencies costed.
    agencies: usize,
    /// Each costed row, as `adoptcost run --format json` prints it.
    placements: Vec<adoptcost::batch::Record>,
    /// Each cell or row that was rejected.
    errors: Vec<CellProblem<'a>>,
}

/// A problem as a thrown JS error, for the calls whose callers catch.
pub(crate) fn thrown(p: Problem) -> JsError {
    JsError::new(&p.message)
}

/// Reads the page's scenario document from a JS value, for the calls that throw.
pub(crate) fn scenario_from_js(scenario: &JsValue) -> Result<Scenario, JsError> {
    scenario_of(&to_text(scenario).map_err(thrown)?).map_err(thrown)
}

fn bytes(b: &[u8]) -> js_sys::Uint8Array {
    js_sys::Uint8Array::from(b)
}

impl<'a> From<&'a CellError> for CellProblem<'a> {
    fn from(e: &'a CellError) -> CellProblem<'a> {
        CellProblem {
            sheet: &e.sheet,
            cell: &e.cell,
            found: &e.found,
            expected: &e.expected,
            message: e.to_string(),
        }
    }
}

/// Sets `key` on a JS object to a workbook's bytes.
pub(crate) fn attach(answer: JsValue, key: &str, b: &[u8]) -> Result<JsValue, JsError> {
    js_sys::Reflect::set(&answer, &JsValue::from_str(key), &bytes(b))
        .map_err(|_| JsError::new("could not attach the workbook (a bug in adoptcost)"))?;
    Ok(answer)
}

fn answer(batch: &Batch) -> Result<JsValue, JsError> {
    let errors = batch.errors.iter().map(CellProblem::from).collect();
    to_js(&Costed {
        ok: true,
        child_rows: batch.child_rows,
        agencies: batch.agencies.len(),
        placements: batch.records(),
        errors,
    })
}

/// A reference file in TOML as the JSON [`crate::set_reference`] reads: `{ok: true, json}`, or
/// `{ok: false, problems}` naming the line and column where the TOML is not well formed. The
/// JSON is on one line, so its values are cited by parameter and date rather than by a line of
/// a text the user never wrote.
#[wasm_bindgen]
pub fn reference_json(text: &str) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Json {
        ok: bool,
        json: String,
    }
    match adoptcost::text::toml_to_value(text) {
        Ok(v) => to_js(&Json { ok: true, json: v.to_string() }),
        Err(e) => rejected(Problem::general(e.to_string())),
    }
}

/// Costs a filled template workbook's bytes, as `adoptcost run` does: `{ok: true, childRows,
/// agencies, placements, errors, costed}` (`costed`: the costed workbook's bytes; `errors`:
/// every rejected cell, the good rows costed all the same), or `{ok: false, problems}` where the
/// file cannot be read as a workbook at all.
#[wasm_bindgen]
pub fn cost_workbook(input: &[u8]) -> Result<JsValue, JsError> {
    let reference = match reference() {
        Ok(r) => r,
        Err(p) => return rejected(p),
    };
    let batch = match workbook::run(input, reference, &workbook::options(0, crate::today()), &mut |_, _| {}) {
        Ok(b) => b,
        Err(e) => return rejected(Problem::general(e.to_string())),
    };
    let costed = workbook::costed(&batch).map_err(|e| JsError::new(&e.to_string()))?;
    attach(answer(&batch)?, "costed", &costed)
}

/// The costed workbook of the page's scenario (the same sheets as `adoptcost run` writes, for
/// one agency and one child), as bytes to download.
#[wasm_bindgen]
pub fn costed_workbook(scenario: JsValue) -> Result<js_sys::Uint8Array, JsError> {
    let s = scenario_from_js(&scenario)?;
    let reference = reference().map_err(thrown)?;
    let batch = workbook::scenario(&s, reference).map_err(|e| JsError::new(&e.to_string()))?;
    let b = workbook::costed(&batch).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(bytes(&b))
}

/// The input workbook to fill in, pre-filled with the example agency and children, as
/// `adoptcost template` writes it.
#[wasm_bindgen]
pub fn template_workbook() -> Result<js_sys::Uint8Array, JsError> {
    let b = workbook::template::example().map_err(|e| JsError::new(&e.to_string()))?;
    Ok(bytes(&b))
}

/// The scenario as the command line's scenario file (pretty JSON text), after reading it as
/// the library does: what the page's "export JSON" saves, and `adoptcost compare --scenario`
/// reads.
#[wasm_bindgen]
pub fn scenario_json(scenario: JsValue) -> Result<String, JsError> {
    let s = scenario_from_js(&scenario)?;
    serde_json::to_string_pretty(&s.document()).map_err(|e| JsError::new(&format!("writing JSON: {e}")))
}

/// The comparison as `adoptcost compare --format json` prints it, for the page's "download
/// the results" (the same serialiser, so the same text for the same scenario).
#[wasm_bindgen]
pub fn results_json(scenario: JsValue) -> Result<String, JsError> {
    let c = compare_document(&to_text(&scenario).map_err(thrown)?).map_err(thrown)?;
    serde_json::to_string_pretty(&c)
        .map(|s| s + "\n")
        .map_err(|e| JsError::new(&format!("writing JSON: {e}")))
}
