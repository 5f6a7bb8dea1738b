//! The analyses' commands: read the scenario, call the library's analysis, print its answer.
//! Bars are scaled here for the terminal; every figure comes from the library.

use adoptcost::analysis::{Sensitivity, SensitivityOptions, Simulation, SimulationOptions};
use adoptcost::compare::Comparison;
use adoptcost::explain::{Explanation, Quantity};
use adoptcost::money::{Money, Percent, format_number};
use adoptcost::reference::Reference;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::Failure;
use crate::args::{BreakevenCommand, Format, SensitivityCommand, SimulateCommand};
use crate::files::Target;
use crate::render::{json, table};
use crate::scenario;

/// "−£10,674 (the external route costs less)".
fn difference_words(d: Money) -> String {
    let side = if d.amount() < Decimal::ZERO {
        "the external route costs less"
    } else if d.amount() > Decimal::ZERO {
        "the in-house route costs less"
    } else {
        "the routes cost the same"
    };
    format!("{} ({side})", d.display_pounds())
}

/// A bar of `cells` characters for `value` out of `max` (display scaling only).
fn cells(value: Decimal, max: Decimal, width: usize) -> usize {
    if max <= Decimal::ZERO {
        return 0;
    }
    (value / max * Decimal::from(width as u64)).round().to_usize().unwrap_or(0).min(width)
}

/// Where `-o` sends an analysis's workbook, checked before any work is done: never over one of
/// the command's `inputs`, nor over anything but a regular file.
fn target(
    out: Option<&std::path::Path>,
    inputs: &[&std::path::Path],
    force: bool,
    command: &str,
) -> Result<Option<Target>, Failure> {
    out.map(|o| crate::files::target(o, inputs, force, command)).transpose()
}

/// The scenario's input files.
fn scenario_inputs(a: &crate::args::ScenarioArgs) -> Vec<&std::path::Path> {
    a.agency.iter().chain(&a.scenario).map(|p| p.as_path()).collect()
}

/// Writes an analysis's workbook where `-o` was given (atomically, or to standard output), and
/// returns the text for standard output: `text` and the line saying where the workbook went,
/// or, where the workbook went to standard output, nothing (the text goes to stderr).
fn write_out(
    target: Option<Target>,
    text: String,
    book: impl FnOnce() -> adoptcost::Result<Vec<u8>>,
) -> Result<String, Failure> {
    let Some(target) = target else { return Ok(text) };
    let bytes = book().map_err(|e| Failure {
        code: 1,
        message: format!("writing the workbook: {e}"),
        hints: Vec::new(),
    })?;
    crate::files::write_to(&target, &bytes)?;
    Ok(match target {
        Target::File(out) => format!("{text}\nwrote {}\n", out.display()),
        Target::Stdout => {
            eprint!("{}", crate::files::printable(&text));
            String::new()
        }
    })
}

/// `adoptcost sensitivity`.
pub fn sensitivity(c: &SensitivityCommand, reference: &Reference) -> Result<String, Failure> {
    let to = target(c.out.as_deref(), &scenario_inputs(&c.scenario), c.force, "sensitivity")?;
    let s = scenario::build(&c.scenario)?;
    let opts = SensitivityOptions { change: c.change, ranges: c.ranges.clone() };
    let r = adoptcost::analysis::sensitivity(&s, reference, &opts).map_err(|e| scenario::failure(e, &s))?;
    let text = match c.format {
        Format::Json => json(&r)?,
        Format::Table => sensitivity_table(&r),
    };
    write_out(to, text, || adoptcost::workbook::analyses::sensitivity(&r))
}

fn sensitivity_table(r: &Sensitivity) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Sensitivity of the difference between the routes (external − in-house), {} prices\n",
        r.year
    ));
    out.push_str(&format!("Difference as worked out: {}\n", difference_words(r.base_difference)));
    out.push_str(&format!(
        "Each input moved −{0}% and +{0}% of the value used (or across your --range), the others held; largest swing first.\n\n",
        r.change.normalize()
    ));
    const HALF: usize = 8;
    let base = r.base_difference.amount();
    let reach = r
        .swings
        .iter()
        .flat_map(|w| [(w.at_low.amount() - base).abs(), (w.at_high.amount() - base).abs()])
        .fold(Decimal::ZERO, Decimal::max);
    let mut t = table(&["input", "moved from → to", "difference from → to", "swing", "tornado"], &[1, 2, 3]);
    for w in &r.swings {
        let q = |v: Decimal| Quantity::plain(v, w.unit).display_summary();
        let lo = w.at_low.amount().min(w.at_high.amount());
        let hi = w.at_low.amount().max(w.at_high.amount());
        let left = cells((base - lo).max(Decimal::ZERO), reach, HALF);
        let right = cells((hi - base).max(Decimal::ZERO), reach, HALF);
        let bar = format!(
            "{}{}│{}{}",
            " ".repeat(HALF - left),
            "█".repeat(left),
            "█".repeat(right),
            " ".repeat(HALF - right)
        );
        t.add_row(vec![
            format!("{}\n{}", w.label, w.input),
            format!("{} → {}", q(w.low), q(w.high)),
            format!("{} → {}", w.at_low.display_pounds(), w.at_high.display_pounds()),
            w.swing.display_pounds(),
            bar,
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str("\nThe tornado's centre line is the difference as worked out; left is lower (the external route more favoured), right higher.\n");
    if !r.no_effect.is_empty() {
        let names: Vec<&str> = r.no_effect.iter().map(|w| w.input.as_str()).collect();
        out.push_str(&format!("No effect on the difference: {}.\n", names.join(", ")));
    }
    out.push_str(
        "Workings of each swing: adoptcost sensitivity --format json (figures sensitivity.<input>).\n",
    );
    out
}

/// `adoptcost simulate`.
pub fn simulate(c: &SimulateCommand, reference: &Reference) -> Result<String, Failure> {
    let to = target(c.out.as_deref(), &scenario_inputs(&c.scenario), c.force, "simulate")?;
    let s = scenario::build(&c.scenario)?;
    let mut ranges = s.ranges.clone();
    ranges.extend(c.ranges.iter().cloned());
    if ranges.is_empty() {
        return Err(Failure::input("no input has a range to draw from")
            .hint("give one with --range, such as --range route.weeks_in_house=13,26,52")
            .hint("or add [[range]] tables to the scenario file (docs/analyses.md)"));
    }
    let threads = match c.threads {
        Some(t) => usize::from(t),
        None => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    };
    let opts = SimulationOptions { draws: c.draws, seed: c.seed, threads };
    let r =
        adoptcost::analysis::simulate(&s, &ranges, reference, &opts).map_err(|e| scenario::failure(e, &s))?;
    let text = match c.format {
        Format::Json => json(&r)?,
        Format::Table => simulation_table(&r),
    };
    write_out(to, text, || adoptcost::workbook::analyses::simulation(&r))
}

fn simulation_table(r: &Simulation) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Monte Carlo: {} draws, seed {}, generator {}\n",
        format_number(Decimal::from(r.draws), 0),
        r.seed,
        r.generator
    ));
    out.push_str(&format!("Difference between the routes (external − in-house), {} prices\n\n", r.year));
    let mut t = table(&["", "difference"], &[1]);
    t.add_row(vec![
        "as worked out (every input at its own value)".into(),
        r.base_difference.display_pounds(),
    ]);
    t.add_row(vec!["mean of the draws".into(), r.mean.display_pounds()]);
    for p in &r.percentiles {
        t.add_row(vec![format!("{}th percentile", p.percent), p.difference.display_pounds()]);
    }
    t.add_row(vec!["lowest drawn".into(), r.min.display_pounds()]);
    t.add_row(vec!["highest drawn".into(), r.max.display_pounds()]);
    out.push_str(&t.to_string());
    out.push_str(&format!(
        "\nProbability that the external route is cheaper: {}\n\n",
        Percent::from_fraction(r.p_external_cheaper).display(1)
    ));
    out.push_str("Histogram of the difference\n");
    let most = r.histogram.iter().map(|b| b.count).max().unwrap_or(0);
    let mut h = table(&["from", "to", "draws", ""], &[0, 1, 2]);
    for b in &r.histogram {
        let n = cells(Decimal::from(b.count), Decimal::from(most), 40);
        h.add_row(vec![b.from.display_pounds(), b.to.display_pounds(), b.count.to_string(), "█".repeat(n)]);
    }
    out.push_str(&h.to_string());
    out.push_str("\n\nWhat drives the spread (Spearman rank correlation with the difference)\n");
    let mut d = table(&["input", "distribution", "low", "likely", "high", "ρ"], &[2, 3, 4, 5]);
    for x in &r.drivers {
        d.add_row(vec![
            format!("{}\n{}", x.label, x.input),
            x.range.distribution.name().into(),
            x.range.low.normalize().to_string(),
            x.range.likely.normalize().to_string(),
            x.range.high.normalize().to_string(),
            // Three places, with the typographic minus the rest of the output uses.
            format!("{:.3}", x.rank_correlation.round_dp(3)).replacen('-', "−", 1),
        ]);
    }
    out.push_str(&d.to_string());
    out.push_str("\nWorkings: adoptcost simulate --format json (figures uncertainty.*).\n");
    out
}

/// `adoptcost breakeven`.
pub fn breakeven(c: &BreakevenCommand, reference: &Reference) -> Result<String, Failure> {
    let to = target(c.out.as_deref(), &scenario_inputs(&c.scenario), c.force, "breakeven")?;
    let s = scenario::build(&c.scenario)?;
    let (cmp, model) =
        adoptcost::compare::compare_model(&s, reference).map_err(|e| scenario::failure(e, &s))?;
    #[derive(Serialize)]
    struct Curves {
        wait: adoptcost::analysis::curves::WaitCurve,
        approvals: adoptcost::analysis::curves::ApprovalsCurve,
        explanation: Explanation,
    }
    let mut explanation = Explanation::new();
    for id in adoptcost::analysis::curves::BREAKEVEN_FIGURES {
        if let Some(f) = cmp.explanation.get(id) {
            explanation.push(f.clone());
        }
    }
    let (wait, approvals) =
        adoptcost::analysis::curves::curves(&model).map_err(|e| scenario::failure(e, &s))?;
    let curves = Curves { wait, approvals, explanation };
    let text = match c.format {
        Format::Json => json(&curves)?,
        Format::Table => breakeven_table(&cmp, &curves.wait, &curves.approvals),
    };
    write_out(to, text, || {
        adoptcost::workbook::analyses::breakeven(&curves.wait, &curves.approvals, &cmp.explanation)
    })
}

fn breakeven_table(
    c: &Comparison,
    w: &adoptcost::analysis::curves::WaitCurve,
    a: &adoptcost::analysis::curves::ApprovalsCurve,
) -> String {
    let r = &c.routes;
    let mut out = String::new();
    out.push_str(&format!(
        "Total cost of each route against the weeks the in-house route takes to match, {} prices\n",
        c.fee.year
    ));
    out.push_str(&format!(
        "The external route matches in {} weeks whatever the in-house wait; weekly cost of care {}.\n\n",
        format_number(r.weeks_external, 1),
        r.weekly_care.display_pounds()
    ));
    let mut t = table(&["weeks in-house", "in-house route", "external route", "cheaper", ""], &[0, 1, 2]);
    let mut rows: Vec<(adoptcost::analysis::curves::WaitPoint, &str)> =
        w.points.iter().map(|p| (*p, "")).collect();
    mark(&mut rows, w.expected, "← expected wait", |p| p.weeks);
    if let Some(b) = w.break_even {
        mark(&mut rows, b, "← break-even", |p| p.weeks);
    }
    for (p, note) in rows {
        let cheaper = if p.in_house < p.external {
            "in-house"
        } else if p.in_house > p.external {
            "external"
        } else {
            "equal"
        };
        t.add_row(vec![
            format_number(p.weeks, 1),
            p.in_house.display_pounds(),
            p.external.display_pounds(),
            cheaper.into(),
            note.into(),
        ]);
    }
    out.push_str(&t.to_string());
    match w.break_even {
        Some(b) => out.push_str(&format!(
            "\nBreak-even: the routes cost the same when the in-house match takes {} weeks: the external route's {} weeks + Δ* ({} weeks).\n",
            format_number(b.weeks, 1),
            format_number(r.weeks_external, 1),
            c.routes.break_even_wait.map(|d| format_number(d, 1)).unwrap_or_default()
        )),
        None => out.push_str("\nNo break-even wait of 0 weeks or more: one route is cheaper at every wait.\n"),
    }

    out.push_str(&format!(
        "\nFull in-house cost of a placement against approvals a year (the agency's: {}), everything else held\n\n",
        format_number(a.actual.approvals, 1)
    ));
    let mut t = table(
        &["approvals", "full in-house cost", "net fee", "in-house route", "external route", ""],
        &[0, 1, 2, 3, 4],
    );
    let mut rows: Vec<(adoptcost::analysis::curves::ApprovalsPoint, &str)> =
        a.points.iter().map(|p| (*p, "")).collect();
    mark(&mut rows, a.actual, "← the agency's", |p| p.approvals);
    if let Some(b) = a.break_even {
        mark(&mut rows, b, "← break-even N*", |p| p.approvals);
    }
    for (p, note) in rows {
        t.add_row(vec![
            format_number(p.approvals, 1),
            p.full.display_pounds(),
            p.net_fee.display_pounds(),
            p.in_house.display_pounds(),
            p.external.display_pounds(),
            note.into(),
        ]);
    }
    out.push_str(&t.to_string());
    match a.break_even {
        Some(b) => out.push_str(&format!(
            "\nBreak-even approvals N* = {}: at that many approvals a year the full in-house cost equals the net fee.\n",
            format_number(b.approvals, 1)
        )),
        None => out.push_str("\nNo break-even approvals: even with unlimited approvals the full in-house cost would not come down to the net fee.\n"),
    }
    out.push_str("Workings: adoptcost explain breakeven.wait, adoptcost explain breakeven.approvals.\n");
    out
}

/// Marks a point of a curve: on the row with the same x where there is one, else as a row of its
/// own, in order.
fn mark<P: Copy>(rows: &mut Vec<(P, &'static str)>, p: P, note: &'static str, x: impl Fn(&P) -> Decimal) {
    match rows.iter().position(|(q, _)| x(q) >= x(&p)) {
        Some(i) if x(&rows[i].0) == x(&p) && rows[i].1.is_empty() => rows[i].1 = note,
        Some(i) => rows.insert(i, (p, note)),
        None => rows.push((p, note)),
    }
}

/// A value with its rank and any flag: `£21,358 (3) ▲`.
fn ranked(m: &adoptcost::analysis::benchmark::Measure, i: usize) -> String {
    use adoptcost::analysis::benchmark::Flag;
    let Some(v) = m.values[i] else { return "none".to_string() };
    let mut s = v.display_pounds();
    if let Some(p) = &m.positions[i] {
        s.push_str(&format!(" ({})", p.rank));
        match p.flag {
            Some(Flag::High) => s.push_str(" ▲"),
            Some(Flag::Low) => s.push_str(" ▼"),
            None => {}
        }
    }
    s
}

/// The benchmark as tables: stage unit costs per agency, then the categories and roles by
/// their quartiles and flagged agencies, then empty categories and notes.
pub fn benchmark_table(b: &adoptcost::analysis::Benchmark) -> String {
    use adoptcost::analysis::benchmark::{Flag, Group, STAGE_MEASURES};
    let mut out = String::new();
    let years: Vec<String> = b.price_years().iter().map(|y| y.to_string()).collect();
    out.push_str(&format!(
        "Benchmark of {} agencies ({} prices). Rank 1 is the lowest cost. ▲ above the upper fence (Q3 + 1.5 × IQR), ▼ below the lower fence (Q1 − 1.5 × IQR): more likely a difference in what was counted than in efficiency. Quartiles as Excel's QUARTILE.INC.\n\n",
        b.agencies.len(),
        years.join(", ")
    ));
    out.push_str("Unit costs by stage, value (rank)\n");
    let stage: Vec<&adoptcost::analysis::benchmark::Measure> =
        STAGE_MEASURES.iter().filter_map(|(id, _)| b.measure(id)).collect();
    let mut t = table(
        &["agency", "per approval (A)", "per match (B)", "per supported (C)", "full", "marginal"],
        &[1, 2, 3, 4, 5],
    );
    for (i, a) in b.agencies.iter().enumerate() {
        let mut row = vec![a.code.clone()];
        row.extend(stage.iter().map(|m| ranked(m, i)));
        t.add_row(row);
    }
    for (name, get) in [
        ("lower quartile", (|s: &adoptcost::analysis::benchmark::Stats| s.q1) as fn(&_) -> Money),
        ("median", |s| s.median),
        ("upper quartile", |s| s.q3),
    ] {
        let mut row = vec![name.to_string()];
        row.extend(stage.iter().map(|m| m.stats.as_ref().map_or("none".into(), |s| get(s).display_pounds())));
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n"));

    for (group, title, head) in [
        (Group::Category, "Full cost of a placement by cost category", "category"),
        (Group::Role, "Full hourly cost of each role", "role"),
    ] {
        out.push_str(&format!("\n{title}\n"));
        let mut t = table(
            &[head, "agencies", "lower quartile", "median", "upper quartile", "flagged"],
            &[1, 2, 3, 4],
        );
        // Hourly costs to the penny; per-placement amounts to the pound.
        let show = |m: Money| if group == Group::Role { m.display_pence() } else { m.display_pounds() };
        for m in b.measures.iter().filter(|m| m.group == group) {
            let Some(s) = &m.stats else { continue };
            let name = m.label.split(": ").nth(1).unwrap_or(&m.label).to_string();
            let flagged: Vec<String> = m
                .positions
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let f = p.as_ref()?.flag?;
                    let mark = if f == Flag::High { "▲" } else { "▼" };
                    Some(format!("{} {mark} {}", b.agencies[i].code, show(m.values[i]?)))
                })
                .collect();
            let flagged = if !s.flags_apply {
                format!("(fewer than {} agencies)", adoptcost::analysis::benchmark::MIN_FOR_FLAGS)
            } else if flagged.is_empty() {
                "none".into()
            } else {
                flagged.join("; ")
            };
            t.add_row(vec![name, s.n.to_string(), show(s.q1), show(s.median), show(s.q3), flagged]);
        }
        out.push_str(&format!("{t}\n"));
    }

    let empty: Vec<String> = b
        .agencies
        .iter()
        .filter(|a| !a.empty.is_empty())
        .map(|a| {
            let cats: Vec<&str> = a.empty.iter().map(|c| c.name()).collect();
            format!("  {}: {}", a.code, cats.join(", "))
        })
        .collect();
    out.push_str("\nCost categories left empty (missing overheads are the usual cause of an implausibly low unit cost):\n");
    if empty.is_empty() {
        out.push_str("  none: every agency entered every category\n");
    } else {
        out.push_str(&empty.join("\n"));
        out.push('\n');
    }
    for n in &b.notes {
        out.push_str(&format!("\nNote: {n}\n"));
    }
    out.push_str("\nEach figure's workings: --format json, or the Workings sheet with -o OUT.xlsx (benchmark.<measure>.<statistic>, and each agency's own figures as CODE/<id>).\n");
    out
}

/// `adoptcost budget`.
pub fn budget(c: &crate::args::BudgetCommand, reference: &Reference) -> Result<String, Failure> {
    let inputs: Vec<&std::path::Path> = c.agency.iter().chain(&c.forecast).map(|p| p.as_path()).collect();
    let to = target(c.out.as_deref(), &inputs, c.force, "budget")?;
    let agency = scenario::agency(c.agency.as_deref())?;
    let (mut forecast, source) = scenario::forecast(c.forecast.as_deref())?;
    if let Some(y) = c.year {
        forecast.year = Some(y);
        forecast.years.clear();
    }
    let years = adoptcost::analysis::budget::plan(&agency, &forecast, &source, reference).map_err(|e| {
        let mut f = Failure::error(None, &e);
        if c.forecast.is_none() && forecast.year.is_some() {
            f = f.hint("the example forecast has no fees for that year: give --forecast FILE with [[fee_override]] tables");
        } else if e.to_string().contains("your own fee") {
            f = f.hint(
                "in the forecast file your own fee is a [[fee_override]] table: nation, provider, children, year and amount (docs/analyses.md)",
            );
        }
        f
    })?;
    let text = match (c.format, years.as_slice()) {
        (Format::Json, [one]) => json(one)?,
        (Format::Json, _) => json(&serde_json::json!({ "years": years }))?,
        (Format::Table, [one]) => budget_table(one),
        (Format::Table, _) => plan_table(&years),
    };
    write_out(to, text, || adoptcost::workbook::budget::write_plan(&years))
}

/// A budget of several years: each year's summary, then the years side by side.
pub fn plan_table(years: &[adoptcost::analysis::Budget]) -> String {
    let mut out = String::new();
    for b in years {
        out.push_str(&budget_table(b));
        out.push('\n');
    }
    let first = years.first().map(|b| b.year.to_string()).unwrap_or_default();
    let last = years.last().map(|b| b.year.to_string()).unwrap_or_default();
    out.push_str(&format!("The years, {first} to {last}\n"));
    let mut t = table(
        &[
            "year",
            "net fees",
            "due on earlier placements",
            "less fee income",
            "NET BUDGET",
            "due after the year",
        ],
        &[1, 2, 3, 4, 5],
    );
    for b in years {
        t.add_row(vec![
            b.year.to_string(),
            b.net_fees.total.display_pounds(),
            b.earlier.total.display_pounds(),
            b.sales_income.total.display_pounds(),
            b.net_budget.total.display_pounds(),
            b.due_later.display_pounds(),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    out
}

/// The budget as the one-page summary.
pub fn budget_table(b: &adoptcost::analysis::Budget) -> String {
    use adoptcost::analysis::budget::{ByQuarter, QUARTERS};
    let mut out = format!("Interagency fee budget {}: {}\n", b.year, b.agency);
    out.push_str(
        "Fees at each quarter's first day, net of contributions, less fee income from the agency's own adopters placed elsewhere.\n\n",
    );
    let mut head = vec![""];
    head.extend(QUARTERS);
    head.push("year");
    let mut t = table(&head, &[1, 2, 3, 4, 5]);
    let count_row = |name: &str, q: &ByQuarter<Decimal>| {
        let mut row = vec![name.to_string()];
        row.extend(q.quarters.iter().chain([&q.total]).map(|d| format_number(*d, 2)));
        row
    };
    let money_row = |name: &str, q: &ByQuarter<Money>| {
        let mut row = vec![name.to_string()];
        row.extend(q.quarters.iter().chain([&q.total]).map(|m| m.display_pounds()));
        row
    };
    t.add_row(count_row("external placements", &b.external));
    t.add_row(money_row("fees before contributions", &b.gross_fees));
    t.add_row(money_row("less contributions", &b.contributions));
    t.add_row(money_row("net fees", &b.net_fees));
    if b.earlier.total != Money::ZERO {
        t.add_row(money_row("fees due on earlier placements", &b.earlier));
    }
    t.add_row(count_row("sales expected", &b.sales));
    t.add_row(money_row(
        &format!("less fee income ({} a sale)", b.income_per_sale.display_pounds()),
        &b.sales_income,
    ));
    t.add_row(money_row("NET INTERAGENCY BUDGET", &b.net_budget));
    out.push_str(&format!("{t}\n"));
    if b.due_later != Money::ZERO {
        out.push_str(&format!(
            "Falling due after {}, in the budgets of the years they fall in: {} (monthly fees after 12 months without an order, and commitments).\n",
            b.year,
            b.due_later.display_pounds()
        ));
    }
    out.push_str("\nBy profile (the year)\n");
    let mut t = table(
        &[
            "profile",
            "children",
            "groups",
            "external",
            "external placements",
            "fee each",
            "contribution each",
            "net fees",
        ],
        &[1, 2, 3, 4, 5, 6, 7],
    );
    for p in &b.profiles {
        let share = if p.placements.total.is_zero() {
            "—".to_string()
        } else {
            Percent::from_fraction(p.external.total / p.placements.total).display(0)
        };
        let each = |m: fn(&adoptcost::method::fee::Fee) -> Money| {
            p.each_quarter(m).map_or_else(|| "varies by quarter".to_string(), Money::display_pounds)
        };
        t.add_row(vec![
            p.name.clone(),
            p.children.to_string(),
            format_number(p.placements.total, 2),
            share,
            format_number(p.external.total, 2),
            each(|f| f.placement),
            each(|f| f.contribution),
            p.net_fees.total.display_pounds(),
        ]);
    }
    out.push_str(&format!("{t}\n\nThe in-house side ({} prices)\n", b.cost_price_year));
    let mut t = table(&["", "placements", "at full cost", "at marginal (cash) cost"], &[1, 2, 3]);
    t.add_row(vec![
        "cost of one in-house placement".into(),
        String::new(),
        b.full_cost.display_pounds(),
        b.marginal_cost.display_pounds(),
    ]);
    t.add_row(vec![
        "in-house placements: cost incurred".into(),
        format_number(b.in_house_placements, 2),
        b.in_house_full.display_pounds(),
        b.in_house_marginal.display_pounds(),
    ]);
    t.add_row(vec![
        "external placements: in-house cost avoided".into(),
        format_number(b.external_placements, 2),
        b.avoided_full.display_pounds(),
        b.avoided_marginal.display_pounds(),
    ]);
    out.push_str(&format!("{t}\n"));
    if let Some(s) = &b.sibling {
        out.push_str(&format!(
            "The costs include the sibling groups' children beyond the first ({} in-house, {} externally), each adding {} at full cost and {} at marginal cost (the agency's sibling uplift of a household's matching and support).\n",
            format_number(s.in_house, 2),
            format_number(s.external, 2),
            s.per_child.display_pounds(),
            s.per_child_marginal.display_pounds()
        ));
    }
    out.push_str(&format!(
        "\nThe external placements' net fees ({}) against the in-house cost they avoid: {} at full cost, {} at marginal cost (the lines flagged variable: direct lines that grow with cases, staff paid by the case).\n",
        b.net_fees.total.display_pounds(),
        b.avoided_full.display_pounds(),
        b.avoided_marginal.display_pounds()
    ));
    for n in &b.notes {
        out.push_str(&format!("Note: {n}\n"));
    }
    let blank = |s: &str| if s.is_empty() { "________________________".to_string() } else { s.to_string() };
    out.push_str(&format!(
        "\nPrepared by: {}   Date: __________\nApproved by: {}   Date: __________\n\n",
        blank(&b.sign_off[0]),
        blank(&b.sign_off[1])
    ));
    out.push_str("Every figure's workings: --format json, or the Workings sheet with -o OUT.xlsx (budget.Q1.net_fees, budget.year.net_budget…).\n");
    out
}
