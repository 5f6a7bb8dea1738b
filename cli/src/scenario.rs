//! Builds the scenario from files and options: the example by default, then the files, then
//! each option, recording each option as the provenance of the field it sets.

use std::path::Path;

use adoptcost::input::{Agency, ChildAndRoute, Provenance, Scenario};
use adoptcost::{Error, TextFormat};

use crate::Failure;
use crate::args::ScenarioArgs;
use crate::fields::flag_for;

fn read(path: &Path, what: &str) -> Result<(String, TextFormat), Failure> {
    let format = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("toml") => TextFormat::Toml,
        Some("json") => TextFormat::Json,
        _ => {
            return Err(Failure::input(format!(
                "{what} {}: the name does not end in .toml or .json",
                path.display()
            ))
            .hint("agency, scenario and forecast files are TOML or JSON; see docs/input-format.md and docs/analyses.md"));
        }
    };
    Ok((crate::files::read_text(path, what)?, format))
}

/// The embedded reference data with the user's reference file laid over it.
pub fn reference(embedded: &adoptcost::Reference, path: &Path) -> Result<adoptcost::Reference, Failure> {
    let (text, format) = read(path, "reference file")?;
    let name = path.display().to_string();
    embedded.with_user_file(&name, &text, format).map_err(|e| {
        Failure::input(e.to_string()).hint(
            "a reference file has the format of the shipped data: title, reviewed, [sources] and [[parameter]] tables; see docs/reference-data.md",
        )
    })
}

/// An agency file's agency, or the example agency.
pub fn agency(path: Option<&Path>) -> Result<Agency, Failure> {
    match path {
        Some(path) => {
            let (text, format) = read(path, "agency file")?;
            let source = format!("agency file {}", path.display());
            Agency::from_text(&text, format, &source).map_err(|e| Failure::input(format!("{source}: {e}")))
        }
        None => adoptcost::example::agency().map_err(broken_example),
    }
}

/// A forecast file's forecast and its name, or the example forecast.
pub fn forecast(path: Option<&Path>) -> Result<(adoptcost::analysis::Forecast, String), Failure> {
    match path {
        Some(path) => {
            let (text, format) = read(path, "forecast file")?;
            let source = format!("forecast file {}", path.display());
            let f = adoptcost::text::from_text(&text, format)
                .map_err(|e| Failure::input(format!("{source}: {e}")))?;
            Ok((f, source))
        }
        None => Ok((
            adoptcost::example::forecast().map_err(broken_example)?,
            adoptcost::example::FORECAST_SOURCE.to_string(),
        )),
    }
}

fn broken_example(e: Error) -> Failure {
    Failure {
        code: 1,
        message: format!("the embedded example is broken (a bug in adoptcost): {e}"),
        hints: Vec::new(),
    }
}

/// The scenario the options describe.
pub fn build(a: &ScenarioArgs) -> Result<Scenario, Failure> {
    let example = broken_example;
    // A scenario file may carry the agency (the browser's export): then it is the whole scenario.
    let scenario_file = match &a.scenario {
        Some(path) => {
            let (text, format) = read(path, "scenario file")?;
            let source = format!("scenario file {}", path.display());
            let cr = ChildAndRoute::from_text(&text, format)
                .map_err(|e| Failure::input(format!("{source}: {e}")))?;
            Some((cr, source))
        }
        None => None,
    };
    let carried = scenario_file.as_ref().is_some_and(|(cr, _)| cr.agency.is_some());
    if carried && let Some(path) = &a.agency {
        return Err(Failure::input(format!(
            "both --agency {} and an agency inside the scenario file were given",
            path.display()
        ))
        .hint("give one: drop --agency to use the scenario file's agency, or remove its [agency] table"));
    }
    let agency = match &a.agency {
        Some(path) => agency(Some(path))?,
        None => match scenario_file.as_ref().and_then(|(cr, source)| cr.agency.as_ref().map(|a| (a, source)))
        {
            Some((carried, source)) => {
                let mut agency = (**carried).clone();
                agency.provenance = Provenance::named(source.clone());
                agency
            }
            None => adoptcost::example::agency().map_err(example)?,
        },
    };
    let mut s = match scenario_file {
        Some((cr, source)) => Scenario::new(agency, cr, Provenance::named(source)),
        None => {
            let ex = adoptcost::example::scenario().map_err(example)?;
            Scenario { agency, ..ex }
        }
    };
    // Each option given is cited as the origin of the field it sets.
    a.fields.apply(&mut s);
    s.today = Some(crate::files::today());
    Ok(s)
}

/// A library error as a failure, with a hint naming where to fix it.
pub fn failure(e: Error, s: &Scenario) -> Failure {
    let mut f = Failure::error(None, &e);
    if let Some(field) = e.field() {
        let bare = field.split(' ').next().unwrap_or(field);
        if let Some(flag) = flag_for(bare) {
            let mut hint = format!("set it with {flag}");
            if bare == "fee" || bare == "route.fee" {
                hint.push_str(
                    ", or as `fee` under [overrides] in the agency file or under [route] in a scenario file; or, where only the fee year is new, estimate it with --fee-uplift PCT (the year before's amount uprated), or give the year's published row in your own --reference FILE",
                );
            }
            f = f.hint(hint);
        } else if !s.agency.provenance.source.is_empty()
            && !bare.starts_with("child.")
            && !bare.starts_with("route.")
        {
            f = f.hint(format!("the field is in {}", s.agency.provenance.source));
        }
    }
    f
}
