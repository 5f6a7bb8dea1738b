//! The analyses beyond one comparison (docs/analyses.md), in the second module the page loads on
//! first use: sensitivity, the Monte Carlo run, the break-even curves, benchmarking a
//! multi-agency workbook and the interagency budget. Each answer carries the library's result as
//! `--format json` prints it, every figure's workings, and the workbook the command line's `-o`
//! writes from the same run, so the page, the terminal and the workbook show one derivation.

use adoptcost::analysis::curves::{ApprovalsCurve, WaitCurve};
use adoptcost::analysis::{self, Forecast, InputId, SensitivityOptions, SimulationOptions};
use adoptcost::explain::{Explanation, Unit};
use adoptcost::input::Scenario;
use adoptcost::workbook::{self as wb};
use adoptcost::{Error, TextFormat};
use rust_decimal::Decimal;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::workbook::{CellProblem, attach};
use crate::{Problem, Working, problem, reference, rejected, scenario_of, to_js, to_text, workings_of};

/// An analysis's answer: the result, every figure's workings and (attached after) the workbook.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Analysed<T: Serialize> {
    ok: bool,
    result: T,
    workings: Vec<Working>,
}

/// The answer with the workbook's bytes attached as `workbook`.
fn answer<T: Serialize>(
    result: T,
    ex: &Explanation,
    workbook: adoptcost::Result<Vec<u8>>,
) -> Result<JsValue, JsError> {
    let bytes = workbook.map_err(|e| JsError::new(&format!("writing the workbook: {e}")))?;
    let a = to_js(&Analysed { ok: true, result, workings: workings_of(ex) })?;
    attach(a, "workbook", &bytes)
}

/// The page's scenario, or the problem to show.
fn scenario(value: &JsValue) -> Result<Scenario, Problem> {
    scenario_of(&to_text(value)?)
}

/// Runs `f` on the page's scenario; a problem with the scenario or the analysis comes back as
/// `{ok: false, problems}`.
fn with_scenario(
    value: &JsValue,
    f: impl FnOnce(Scenario, &'static adoptcost::Reference) -> Result<JsValue, Outcome>,
) -> Result<JsValue, JsError> {
    let run = || -> Result<JsValue, Outcome> {
        let s = scenario(value).map_err(Outcome::Problem)?;
        let r = reference().map_err(Outcome::Problem)?;
        f(s, r)
    };
    match run() {
        Ok(v) => Ok(v),
        Err(Outcome::Problem(p)) => rejected(p),
        Err(Outcome::Thrown(e)) => Err(e),
    }
}

/// Why an analysis gave no answer: a problem with the input, or a failure to report.
enum Outcome {
    Problem(Problem),
    Thrown(JsError),
}

impl From<Error> for Outcome {
    fn from(e: Error) -> Outcome {
        Outcome::Problem(problem(&e))
    }
}

impl From<JsError> for Outcome {
    fn from(e: JsError) -> Outcome {
        Outcome::Thrown(e)
    }
}

/// A number the page typed, exactly; the problem names the field.
fn number(field: &str, text: &str, expected: &str) -> Result<Decimal, Outcome> {
    adoptcost::text::parse_decimal(text).ok_or_else(|| {
        Outcome::Problem(problem(&Error::invalid(
            field,
            format!("\"{}\" {}", text.trim(), adoptcost::text::number_problem(text)),
            expected.to_string(),
        )))
    })
}

/// One input an analysis can move or draw, for the page's list of inputs.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Input {
    /// Its path, as ranges and errors name it (`staff[1].salary`).
    path: String,
    /// In words.
    label: String,
    /// The unit of its values.
    unit: Unit,
    /// The value the comparison used (the default where the scenario leaves it out).
    value: Option<String>,
}

/// The inputs a Monte Carlo range or a sensitivity range can name, with the values the
/// comparison used: `{ok: true, inputs: [{path, label, unit, value}]}`, or `{ok: false, problems}`.
#[wasm_bindgen]
pub fn analysis_inputs(scenario: JsValue) -> Result<JsValue, JsError> {
    with_scenario(&scenario, |s, r| {
        let (_, model) = adoptcost::compare::compare_model(&s, r)?;
        let baseline = analysis::inputs::Baseline::of(&model);
        let inputs: Vec<Input> = InputId::all(&s)
            .into_iter()
            .map(|id| Input {
                path: id.path(&s),
                label: id.label(&s),
                unit: id.unit(&s),
                value: id.value(&s, &baseline).map(|v| v.normalize().to_string()),
            })
            .collect();
        #[derive(Serialize)]
        struct Inputs {
            ok: bool,
            inputs: Vec<Input>,
        }
        Ok(to_js(&Inputs { ok: true, inputs })?)
    })
}

/// The sensitivity of the scenario's difference between the routes to each input moved by
/// `change` percent either way, as `adoptcost sensitivity --change` works it out: `{ok: true,
/// result, workings, workbook}` or `{ok: false, problems}`.
#[wasm_bindgen]
pub fn sensitivity(scenario: JsValue, change: &str) -> Result<JsValue, JsError> {
    with_scenario(&scenario, |s, r| {
        let change = number("change", change, "a percentage above 0 and below 100, such as 10")?;
        let opts = SensitivityOptions { change, ranges: Vec::new() };
        let result = analysis::sensitivity(&s, r, &opts)?;
        let book = wb::analyses::sensitivity(&result);
        Ok(answer(&result, &result.explanation, book)?)
    })
}

/// A Monte Carlo run over the scenario's ranges (its `range` list), as `adoptcost simulate
/// --draws --seed` runs it on one thread: `{ok: true, result, workings, workbook}` or `{ok:
/// false, problems}`. The seed is text, since a JS number cannot hold every 64-bit seed.
#[wasm_bindgen]
pub fn simulate(scenario: JsValue, draws: &str, seed: &str) -> Result<JsValue, JsError> {
    with_scenario(&scenario, |s, r| {
        let draws: u32 = draws.trim().parse().map_err(|_| {
            Outcome::Problem(problem(&Error::invalid(
                "draws",
                format!("\"{}\"", draws.trim()),
                format!("a whole number of draws from 1 to {}", analysis::uncertainty::MAX_DRAWS),
            )))
        })?;
        let seed: u64 = seed.trim().parse().map_err(|_| {
            Outcome::Problem(problem(&Error::invalid(
                "seed",
                format!("\"{}\"", seed.trim()),
                "a whole number from 0 to 18446744073709551615",
            )))
        })?;
        let opts = SimulationOptions { draws, seed, threads: 1 };
        let result = analysis::simulate(&s, &s.ranges, r, &opts)?;
        let book = wb::analyses::simulation(&result);
        Ok(answer(&result, &result.explanation, book)?)
    })
}

/// The routes against the weeks waited and against approvals a year, with their break-evens, as
/// `adoptcost breakeven` works them out: `{ok: true, result: {wait, approvals}, workings,
/// workbook}` or `{ok: false, problems}`.
#[wasm_bindgen]
pub fn breakeven(scenario: JsValue) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Curves {
        wait: WaitCurve,
        approvals: ApprovalsCurve,
    }
    with_scenario(&scenario, |s, r| {
        let (c, model) = adoptcost::compare::compare_model(&s, r)?;
        let (wait, approvals) = adoptcost::analysis::curves::curves(&model)?;
        let curves = Curves { wait, approvals };
        let book = wb::analyses::breakeven(&curves.wait, &curves.approvals, &c.explanation);
        // The workings of the figures the curves stand on, as `breakeven --format json` gives them.
        let mut ex = Explanation::new();
        for id in adoptcost::analysis::curves::BREAKEVEN_FIGURES {
            if let Some(f) = c.explanation.get(id) {
                ex.push(f.clone());
            }
        }
        Ok(answer(&curves, &ex, book)?)
    })
}

/// Benchmarks the agencies of a multi-agency workbook's bytes against each other, as `adoptcost
/// benchmark` does: `{ok: true, result: {benchmark, agency_rows, errors}, problems, workings,
/// workbook}` (`problems`: each cell that stopped an agency being costed, the others benchmarked
/// all the same), or `{ok: false, problems}` where no agency could be costed.
#[wasm_bindgen]
pub fn benchmark(input: &[u8]) -> Result<JsValue, JsError> {
    let r = match reference() {
        Ok(r) => r,
        Err(p) => return rejected(p),
    };
    let run = match wb::bench::benchmark_workbook(input, r) {
        Ok(run) => run,
        Err(e) => return rejected(Problem::general(e.to_string())),
    };
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Benchmarked<'a> {
        ok: bool,
        result: &'a wb::bench::BenchmarkRun,
        problems: Vec<CellProblem<'a>>,
        workings: Vec<Working>,
    }
    let bytes = wb::bench::write(&run).map_err(|e| JsError::new(&format!("writing the workbook: {e}")))?;
    let a = to_js(&Benchmarked {
        ok: true,
        result: &run,
        problems: run.errors.iter().map(CellProblem::from).collect(),
        workings: workings_of(&run.benchmark.explanation),
    })?;
    attach(a, "workbook", &bytes)
}

/// The example VAA with the example child, as a document the page fills its form from (what
/// `adoptcost compare --agency fixtures/vaa/agency.toml` costs).
#[wasm_bindgen]
pub fn example_vaa() -> Result<JsValue, JsError> {
    to_js(&adoptcost::example::vaa_document().map_err(|e| JsError::new(&e.to_string()))?)
}

/// The example forecast (what `adoptcost budget` prices with no input), as a document the page
/// fills its forecast form from.
#[wasm_bindgen]
pub fn example_forecast() -> Result<JsValue, JsError> {
    let f = adoptcost::example::forecast().map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&f)
}

/// Reads a forecast file the page is given (TOML or JSON, by its name's ending, as the command
/// line's `--forecast` reads it): `{ok: true, forecast}` or `{ok: false, problems}`.
#[wasm_bindgen]
pub fn read_forecast(text: &str, name: &str) -> Result<JsValue, JsError> {
    let lower = name.to_ascii_lowercase();
    let format = if lower.ends_with(".toml") {
        TextFormat::Toml
    } else if lower.ends_with(".json") {
        TextFormat::Json
    } else {
        return rejected(Problem::general(format!(
            "forecast file {name}: the name does not end in .toml or .json (forecast files are TOML or JSON; see docs/analyses.md)"
        )));
    };
    match adoptcost::text::from_text::<Forecast>(text, format) {
        Ok(forecast) => {
            #[derive(Serialize)]
            struct Read {
                ok: bool,
                forecast: Forecast,
            }
            to_js(&Read { ok: true, forecast })
        }
        Err(e) => rejected(Problem::general(format!("forecast file {name}: {e}"))),
    }
}

/// Prices a year's forecast against the agency of the page's scenario, as `adoptcost budget`
/// does: `{ok: true, result, workings, workbook}` or `{ok: false, problems}`.
#[wasm_bindgen]
pub fn budget(scenario: JsValue, forecast: JsValue) -> Result<JsValue, JsError> {
    with_scenario(&scenario, |s, r| {
        let text = to_text(&forecast).map_err(Outcome::Problem)?;
        let f: Forecast = adoptcost::text::from_text(&text, TextFormat::Json)?;
        let result = analysis::budget(&s.agency, &f, "the forecast in the browser", r)?;
        let book = wb::budget::write(&result);
        Ok(answer(&result, &result.explanation, book)?)
    })
}
