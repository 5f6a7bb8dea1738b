//! Builds the scenario from files and options: the example by default, then the files, then
//! each option, recording each option as the provenance of the field it sets.

use std::path::Path;

use adoptcost::input::{Agency, ChildAndRoute, ContributionIn, MoneyIn, Provenance, Scenario};
use adoptcost::{Error, TextFormat};

use crate::Failure;
use crate::args::ScenarioArgs;

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
            let cr: ChildAndRoute = adoptcost::text::from_text(&text, format)
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
    let given = [
        ("child.children", a.children.is_some()),
        ("child.age", a.age.is_some()),
        ("child.disabled", a.disabled),
        ("child.minority_ethnic", a.minority_ethnic),
        ("child.waiting_over_18_months", a.waiting_over_18_months),
        ("child.weekly_care_cost", a.weekly_care_cost.is_some()),
        ("child.group_weekly_care_cost", a.group_weekly_care_cost.is_some()),
        ("route.provider", a.provider.is_some()),
        ("route.nation", a.nation.is_some()),
        ("route.london", a.london),
        ("route.placement_date", a.placement_date.is_some()),
        ("route.weeks_in_house", a.weeks_in_house.is_some()),
        ("route.weeks_external", a.weeks_external.is_some()),
        ("route.search_weeks", a.search_weeks.is_some()),
        ("route.success_probability", a.success_probability.is_some()),
        ("route.common_costs", a.common_costs.is_some()),
        ("route.fee", a.fee.is_some()),
        ("route.monthly_fee", a.monthly_fee.is_some()),
        ("route.months_beyond_12", a.months_beyond_12.is_some()),
        ("route.contribution.share", a.contribution_share.is_some()),
        ("route.contribution.amount", a.contribution_amount.is_some()),
    ];
    for (field, is_given) in given {
        if let Some(flag) = flag_for(field).filter(|_| is_given) {
            s.provenance.fields.insert(field.to_string(), flag.to_string());
        }
    }
    let money = |d: rust_decimal::Decimal| MoneyIn(d);
    let c = &mut s.child;
    if let Some(n) = a.children {
        c.children = n;
    }
    if let Some(n) = a.age {
        c.age = Some(n);
    }
    c.disabled |= a.disabled;
    c.minority_ethnic |= a.minority_ethnic;
    c.waiting_over_18_months |= a.waiting_over_18_months;
    if let Some(v) = a.weekly_care_cost {
        c.weekly_care_cost = Some(money(v));
    }
    if let Some(v) = a.group_weekly_care_cost {
        c.group_weekly_care_cost = Some(money(v));
    }
    let r = &mut s.route;
    if let Some(v) = a.provider {
        r.provider = Some(v);
    }
    if let Some(v) = a.nation {
        r.nation = Some(v);
    }
    r.london |= a.london;
    if let Some(v) = a.placement_date {
        r.placement_date = Some(v);
    }
    if let Some(v) = a.weeks_in_house {
        r.weeks_in_house = Some(v);
    }
    if let Some(v) = a.weeks_external {
        r.weeks_external = Some(v);
    }
    if let Some(v) = a.search_weeks {
        r.search_weeks = Some(v);
    }
    if let Some(v) = a.success_probability {
        r.success_probability = Some(v);
    }
    if let Some(v) = a.common_costs {
        r.common_costs = Some(money(v));
    }
    if let Some(v) = a.fee {
        r.fee = Some(money(v));
    }
    if let Some(v) = a.monthly_fee {
        r.monthly_fee = Some(money(v));
    }
    if let Some(v) = a.months_beyond_12 {
        r.months_beyond_12 = Some(v);
    }
    if let Some(v) = a.contribution_share {
        r.contribution = Some(ContributionIn { share: Some(v), amount: None });
    }
    if let Some(v) = a.contribution_amount {
        r.contribution = Some(ContributionIn { share: None, amount: Some(money(v)) });
    }
    Ok(s)
}

/// Each scenario field an option sets, with the option: the one table both the provenance of
/// options and the hints of errors use.
const FLAGS: &[(&str, &str)] = &[
    ("child.children", "--children"),
    ("child.age", "--age"),
    ("child.disabled", "--disabled"),
    ("child.minority_ethnic", "--minority-ethnic"),
    ("child.waiting_over_18_months", "--waiting-over-18-months"),
    ("child.weekly_care_cost", "--weekly-care-cost"),
    ("child.group_weekly_care_cost", "--group-weekly-care-cost"),
    ("route.provider", "--provider"),
    ("route.nation", "--nation"),
    ("route.london", "--london"),
    ("route.placement_date", "--placement-date"),
    ("route.weeks_in_house", "--weeks-in-house"),
    ("route.weeks_external", "--weeks-external"),
    ("route.search_weeks", "--search-weeks"),
    ("route.success_probability", "--success-probability"),
    ("route.common_costs", "--common-costs"),
    ("route.fee", "--fee"),
    ("route.monthly_fee", "--monthly-fee"),
    ("route.months_beyond_12", "--months-beyond-12"),
    ("route.contribution.share", "--contribution-share"),
    ("route.contribution.amount", "--contribution-amount"),
];

/// The option that sets a scenario field (`fee` and `monthly_fee` are the library's names for
/// the route's fee fields).
fn flag_for(field: &str) -> Option<&'static str> {
    let f = field.split(' ').next().unwrap_or(field);
    let f = match f {
        "fee" => "route.fee",
        "monthly_fee" => "route.monthly_fee",
        other => other,
    };
    FLAGS.iter().find(|(name, _)| *name == f).map(|(_, flag)| *flag)
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
                    ", or as `fee` under [overrides] in the agency file or under [route] in a scenario file",
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
