//! The adoptcost browser calculator's bindings: JS values in, the `adoptcost` library called,
//! results and explanations out as plain JS objects, errors as readable messages naming the
//! field. No costing happens here; every figure comes from the library, as in the command line.
//!
//! Values cross the boundary as JSON text, both ways: the page's numbers are read exactly (a
//! typed `0.1` is one tenth, never a binary float) and money comes back as exact decimal text.
//! Names the page uses are camelCase; the scenario itself keeps the file format's snake_case,
//! so a scenario the page exports is a file the command line reads (`--scenario`).

use adoptcost::explain::{Explanation, Figure, Outcome};
use adoptcost::input::Scenario;
use adoptcost::{Comparison, Error, Reference, TextFormat};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// How explanations name a scenario that came from the page.
const SOURCE: &str = "the browser form";

/// One problem with the page's input, for the GOV.UK error summary.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// The field in the library's naming (`staff[2].salary`, `child.age`, `route.fee`), where one
    /// field would fix it: the page links the message to that field.
    pub field: Option<String>,
    /// The message, as the command line prints it.
    pub message: String,
    /// The message without the field's name, for the page to put after the field's label.
    pub detail: String,
}

impl Problem {
    /// A problem no one field would fix.
    fn general(message: String) -> Problem {
        Problem { field: None, detail: message.clone(), message }
    }
}

/// One figure's workings, as the terminal prints them (`adoptcost explain ID`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Working {
    /// The figure's id.
    pub id: String,
    /// What it is.
    pub label: String,
    /// The exact value, where the figure has one.
    pub value: Option<String>,
    /// The value rounded for a summary (money to the pound), or why there is no such number.
    pub summary: String,
    /// The value as the workings show it (money to the penny).
    pub display: String,
    /// The derivation, line for line the command line's. Left out of [`compare`]'s answer,
    /// which the page asks for on every change: the page gets the texts from the second
    /// module's `workings` when it shows them (they are three quarters of the answer's size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A reference figure the comparison used, for the page's list of sources.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// The input's name.
    pub name: String,
    /// Its value, as the workings show it.
    pub display: String,
    /// The figure that first used it.
    pub used_by: String,
    /// Its origin: parameter, dates, source, grade and note.
    pub origin: adoptcost::explain::Origin,
}

/// A point of the wait chart, with its values as the page shows them.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurvePoint {
    /// Weeks to an in-house match, exact.
    pub weeks: String,
    /// The weeks to one decimal place.
    pub weeks_display: String,
    /// The in-house route at that wait, exact.
    pub in_house: String,
    /// The in-house route, to the pound.
    pub in_house_display: String,
    /// The external route, exact.
    pub external: String,
    /// The external route, to the pound.
    pub external_display: String,
}

impl From<adoptcost::analysis::curves::WaitPoint> for CurvePoint {
    fn from(p: adoptcost::analysis::curves::WaitPoint) -> CurvePoint {
        CurvePoint {
            weeks: p.weeks.to_string(),
            weeks_display: adoptcost::money::format_number(p.weeks, 1),
            in_house: p.in_house.amount().to_string(),
            in_house_display: p.in_house.display_pounds(),
            external: p.external.amount().to_string(),
            external_display: p.external.display_pounds(),
        }
    }
}

/// The routes against the in-house wait, for the chart and its table.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Curve {
    /// Every quarter-year from 0 weeks.
    pub points: Vec<CurvePoint>,
    /// At the expected in-house wait.
    pub expected: CurvePoint,
    /// Where the routes cost the same, if at a wait of 0 weeks or more.
    pub break_even: Option<CurvePoint>,
}

/// The answer to one comparison, for the page.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer<'a> {
    /// True: the scenario was costed.
    pub ok: bool,
    /// What the page says about the comparison beside its figures (the whole comparison, as
    /// `compare --format json` prints it, is the second module's `results_json`: sending it on
    /// every keystroke would double the answer, since the workings carry every figure).
    pub context: Context<'a>,
    /// Each figure's workings, in the order they were worked out.
    pub workings: Vec<Working>,
    /// Each reference figure used, once, with its source and grade.
    pub sources: Vec<Source>,
    /// The routes against the in-house wait, for the chart.
    pub wait_curve: Curve,
}

/// What the page says about a comparison beside its figures.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Context<'a> {
    /// The agency's name.
    pub agency: &'a str,
    /// True where the agency is made up for illustration.
    pub illustrative: bool,
    /// The cost base's price year.
    pub price_year: String,
    /// The fee year.
    pub fee_year: String,
    /// The date the fee year comes from, in words.
    pub fee_year_basis: String,
    /// Things a reader must know.
    pub warnings: &'a [String],
    /// Which route costs less, and by how much, in words.
    pub verdict: String,
    /// The agency's kind (`vaa`: the page answers a VAA's own question first).
    pub kind: &'static str,
    /// Placements the agency sells in the year.
    pub sales: String,
    /// The surplus or shortfall per placement sold, in words.
    pub sales_verdict: String,
    /// Each sibling band of the agency's own schedule: children and the fee, shown.
    pub bands: Vec<(u32, String)>,
}

/// The answer when the scenario cannot be costed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejected {
    /// False (true only from the second module's `problems`, for a scenario that costs).
    pub ok: bool,
    /// What to fix.
    pub problems: Vec<Problem>,
}

/// Turns a serialisable value into a JS value, through JSON text (exact decimals stay text).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&format!("writing JSON: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("the answer was not valid JSON (a bug in adoptcost)"))
}

/// A JS value as JSON text.
fn to_text(value: &JsValue) -> Result<String, Problem> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Problem::general("the scenario is not a plain object that JSON can hold".into()))
}

/// The field a library error names, in the page's naming (`staff[2].salary`, lines counted from
/// 1, as both the library's validation and its reading errors count them; the page's document
/// holds the agency under `agency`, which the form's names leave out).
pub fn field_of(e: &Error) -> Option<String> {
    if let Some(f) = e.field() {
        return Some(f.split(' ').next().unwrap_or(f).to_string());
    }
    let Error::Format { place, .. } = e else { return None };
    let path = place.strip_prefix("field `")?.strip_suffix('`')?;
    Some(path.strip_prefix("agency.").unwrap_or(path).to_string())
}

fn problem(e: &Error) -> Problem {
    // The page puts the detail after the label of the field the error names.
    Problem { field: field_of(e), message: e.to_string(), detail: e.beside_field() }
}

#[cfg(feature = "workbook")]
thread_local! {
    /// The reference data with the user's own file laid over it, where the page loaded one
    /// ([`set_reference`]).
    static USER_REFERENCE: std::cell::Cell<Option<&'static Reference>> = const { std::cell::Cell::new(None) };
}

/// The reference data every costing uses: the embedded data, with the user's own file laid over
/// it where the page loaded one (into the second module: see [`set_reference`]).
fn reference() -> Result<&'static Reference, Problem> {
    #[cfg(feature = "workbook")]
    if let Some(r) = USER_REFERENCE.get() {
        return Ok(r);
    }
    embedded()
}

fn embedded() -> Result<&'static Reference, Problem> {
    Reference::embedded().map_err(|e| {
        Problem::general(format!("the embedded reference data is broken (a bug in adoptcost): {e}"))
    })
}

/// Lays the user's own reference file over the embedded data for every costing after it, as
/// `adoptcost --reference FILE` does: `{ok: true}`, or `{ok: false, problems}` (then the data
/// stays as it was). The text is JSON in the format of `core/reference/*.toml` (the page turns a
/// TOML file into it with the second module's `reference_json`); an empty text removes the file.
///
/// In the second module only: the page costs with that module while a file of the user's is
/// laid over the data, so the first module, which every visit loads, carries no reader of the
/// reference files' format beyond what the embedded data needs.
#[cfg(feature = "workbook")]
#[wasm_bindgen]
pub fn set_reference(name: &str, text: &str) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Done {
        ok: bool,
    }
    if text.trim().is_empty() {
        USER_REFERENCE.set(None);
        return to_js(&Done { ok: true });
    }
    let base = match embedded() {
        Ok(r) => r,
        Err(p) => return rejected(p),
    };
    match base.with_user_file(name, text, TextFormat::Json) {
        Ok(r) => {
            // Kept for the page's life, as the embedded data is, so each costing borrows it
            // the same way; a page loads a file a few times at most.
            USER_REFERENCE.set(Some(Box::leak(Box::new(r))));
            to_js(&Done { ok: true })
        }
        Err(e) => rejected(problem(&e)),
    }
}

thread_local! {
    /// Today's date in the browser, as the page last set it ([`set_today`]).
    static TODAY: std::cell::Cell<Option<jiff::civil::Date>> = const { std::cell::Cell::new(None) };
}

/// Sets today's date (`YYYY-MM-DD`, the browser's local date): the placement date of a
/// scenario that gives none. The library never reads a clock; the page passes its own.
#[wasm_bindgen]
pub fn set_today(date: &str) -> Result<(), JsError> {
    // The library's own date reader: jiff's parser would add its whole grammar to the module.
    let d = adoptcost::text::parse_date(date)
        .ok_or_else(|| JsError::new(&format!("today's date \"{date}\" is not YYYY-MM-DD")))?;
    TODAY.set(Some(d));
    Ok(())
}

/// Today's date as the page last set it.
pub fn today() -> Option<jiff::civil::Date> {
    TODAY.get()
}

/// Reads the page's scenario document (`{agency, child, route}`), with today's date as the
/// page set it.
pub fn scenario_of(document: &str) -> Result<Scenario, Problem> {
    let mut s = Scenario::from_document(document, TextFormat::Json, SOURCE).map_err(|e| problem(&e))?;
    s.today = TODAY.get();
    Ok(s)
}

/// Reads a scenario document, keeping its tree: the document as written, once the library has
/// read it (the page fills its form from the tree, so the input types need no serialiser in
/// this module).
#[cfg(feature = "workbook")]
fn document_of(text: &str) -> Result<serde_json::Value, Problem> {
    let tree = adoptcost::text::json_to_value(text).map_err(|e| problem(&e))?;
    Scenario::from_tree(&tree, TextFormat::Json, SOURCE).map_err(|e| problem(&e))?;
    Ok(tree)
}

/// Compares a scenario document, as `adoptcost compare` does.
pub fn compare_document(document: &str) -> Result<Comparison, Problem> {
    compare_document_model(document).map(|(c, _)| c)
}

/// [`compare_document`], with the model the figures were worked out in (for the curves).
pub fn compare_document_model(document: &str) -> Result<(Comparison, adoptcost::method::Model), Problem> {
    let s = scenario_of(document)?;
    adoptcost::compare::compare_model(&s, reference()?).map_err(|e| problem(&e))
}

/// Each figure's workings, in the order they were worked out, with their texts.
pub fn workings_of(ex: &Explanation) -> Vec<Working> {
    figures_of(ex, true)
}

/// Each figure's workings, with or without the derivation's text.
fn figures_of(ex: &Explanation, with_text: bool) -> Vec<Working> {
    ex.figures
        .iter()
        .map(|f: &Figure| Working {
            id: f.id.clone(),
            label: f.label.clone(),
            value: f.value().map(|v| v.to_string()),
            summary: match &f.result {
                Outcome::Value { quantity } => quantity.display_summary(),
                Outcome::NotDefined { .. } => "no such number".to_string(),
            },
            display: f.result.display(),
            text: with_text.then(|| Explanation::render_text(f)),
        })
        .collect()
}

/// Each figure's derivation for a scenario, in the answer's order.
#[cfg(feature = "workbook")]
#[derive(Debug, Serialize)]
struct Derivations<'a> {
    /// What `adoptcost explain` prints for each.
    texts: Vec<String>,
    /// The same laid out for the page's tables.
    rows: Vec<WorkingRows<'a>>,
}

/// One figure's workings laid out for a table: its formula and words, each input with its value
/// as the workings show it and where it came from, and its result.
#[cfg(feature = "workbook")]
#[derive(Debug, Serialize)]
struct WorkingRows<'a> {
    id: &'a str,
    formula: &'a str,
    words: &'a str,
    inputs: Vec<InputRow<'a>>,
    result: String,
}

/// An input of a figure's workings.
#[cfg(feature = "workbook")]
#[derive(Debug, Serialize)]
struct InputRow<'a> {
    name: &'a str,
    shown: String,
    origin: &'a adoptcost::explain::Origin,
}

/// The derivation of every figure of the scenario, in the answer's order: `{texts, rows}`, what
/// `adoptcost explain` prints and the same laid out as rows for the page's tables.
///
/// In the second module only: the page asks when its workings are opened, and this module works
/// the scenario out again, with the same library, reference data and today's date as the first
/// module's answer, so the figures are the answer's.
#[cfg(feature = "workbook")]
#[wasm_bindgen]
pub fn workings(scenario: JsValue) -> Result<JsValue, JsError> {
    let c =
        to_text(&scenario).and_then(|text| compare_document(&text)).map_err(|p| JsError::new(&p.message))?;
    let figures = &c.explanation.figures;
    to_js(&Derivations {
        texts: figures.iter().map(Explanation::render_text).collect(),
        rows: figures
            .iter()
            .map(|f| WorkingRows {
                id: &f.id,
                formula: &f.formula,
                words: &f.words,
                inputs: f
                    .inputs
                    .iter()
                    .map(|t| InputRow { name: &t.name, shown: t.value.display(), origin: &t.origin })
                    .collect(),
                result: f.result.display(),
            })
            .collect(),
    })
}

fn rejected(p: Problem) -> Result<JsValue, JsError> {
    to_js(&Rejected { ok: false, problems: vec![p] })
}

/// The example scenario (the example agency and child), as a document the page fills its form
/// from: what `adoptcost compare` costs with no input.
#[wasm_bindgen]
pub fn example() -> Result<JsValue, JsError> {
    js_sys::JSON::parse(&adoptcost::example::document_text())
        .map_err(|_| JsError::new("the example is not valid JSON (a bug in adoptcost)"))
}

/// Compares the scenario: `{ok: true, comparison, workings, waitCurve}`, or `{ok: false,
/// problems: [{field, message}]}` with the problem that stopped the costing (the second module's
/// `problems` lists every one).
#[wasm_bindgen]
pub fn compare(scenario: JsValue) -> Result<JsValue, JsError> {
    let text = match to_text(&scenario) {
        Ok(t) => t,
        Err(p) => return rejected(p),
    };
    match compare_document_model(&text).and_then(|(c, m)| {
        adoptcost::analysis::curves::wait_curve(&m).map(|w| (c, w)).map_err(|e| problem(&e))
    }) {
        Ok((c, w)) => {
            let workings = figures_of(&c.explanation, false);
            let wait_curve = Curve {
                points: w.points.into_iter().map(CurvePoint::from).collect(),
                expected: w.expected.into(),
                break_even: w.break_even.map(CurvePoint::from),
            };
            let sources = c
                .references
                .iter()
                .map(|r| Source {
                    name: r.name.clone(),
                    display: r.value.display(),
                    used_by: r.used_by.clone(),
                    origin: r.origin.clone(),
                })
                .collect();
            let context = Context {
                agency: &c.agency,
                illustrative: c.illustrative,
                price_year: c.cost.price_year.to_string(),
                fee_year: c.fee.year.to_string(),
                fee_year_basis: c.fee.year_basis(),
                warnings: &c.warnings,
                verdict: c.routes.verdict(),
                kind: c.kind.id(),
                sales: c.cost.sales.sales.normalize().to_string(),
                sales_verdict: c.cost.sales.verdict(),
                bands: c
                    .cost
                    .sales
                    .bands
                    .iter()
                    .map(|b| {
                        (b.children, b.fee.map_or_else(|| "not published".into(), |f| f.display_pounds()))
                    })
                    .collect(),
            };
            to_js(&Answer { ok: true, context, workings, sources, wait_curve })
        }
        Err(p) => rejected(p),
    }
}

/// Every problem of the scenario, for the form to list together: `{ok: false, problems}` with
/// each value the reading refuses and every rule of the method the rest breaks (or else the one
/// that stopped the costing), or `{ok: true, problems: []}` where it costs.
///
/// In the second module only: the first module's [`compare`] names the problem that stopped
/// the costing at once, and the page asks for the rest while the user pauses, so every visit
/// loads less.
#[cfg(feature = "workbook")]
#[wasm_bindgen]
pub fn problems(scenario: JsValue) -> Result<JsValue, JsError> {
    let text = match to_text(&scenario) {
        Ok(t) => t,
        Err(p) => return rejected(p),
    };
    match compare_document(&text) {
        Ok(_) => to_js(&Rejected { ok: true, problems: Vec::new() }),
        Err(first) => rejected_all(&text, first),
    }
}

/// Every problem of the scenario the page sent where its inputs break rules (the form lists
/// them together), or else the one that stopped the costing.
#[cfg(feature = "workbook")]
fn rejected_all(text: &str, first: Problem) -> Result<JsValue, JsError> {
    let all: Vec<Problem> = adoptcost::text::json_to_value(text)
        .map(|tree| {
            Scenario::document_problems(&tree, TextFormat::Json, SOURCE).iter().map(problem).collect()
        })
        .unwrap_or_default();
    let problems = if all.is_empty() { vec![first] } else { all };
    to_js(&Rejected { ok: false, problems })
}

/// Reads a scenario file the page is given (JSON, as the page exports it and the command line
/// reads it): `{ok: true, scenario}` with the document once the library has read it (its
/// fractional numbers as exact text), or `{ok: false, problems}`.
///
/// In the second module only: a file is opened on the user's asking; a share link holds the
/// page's own document, which the page reads as it reads the work it keeps in the browser.
#[cfg(feature = "workbook")]
#[wasm_bindgen]
pub fn read_scenario(text: &str) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Read {
        ok: bool,
        scenario: serde_json::Value,
    }
    match document_of(text) {
        Ok(scenario) => to_js(&Read { ok: true, scenario }),
        Err(p) => rejected(p),
    }
}

/// The form's fields, from the library's input tables: `{agency, on_costs, activity, shares,
/// lines: {staff, …}, child, route, contribution}`, each a list of `{key, label, hint, kind,
/// prefix, suffix, width, optional, options}`.
#[wasm_bindgen]
pub fn form_fields() -> Result<JsValue, JsError> {
    to_js(&form::form())
}

/// The version of adoptcost, shown on the page.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(feature = "workbook")]
mod analyses;
mod form;
#[cfg(feature = "workbook")]
pub use analyses::*;
#[cfg(feature = "workbook")]
mod workbook;
#[cfg(feature = "workbook")]
pub use workbook::*;

#[cfg(test)]
mod tests;
