//! Workbooks of the one-scenario analyses: sensitivity (a table and a tornado chart), the Monte
//! Carlo run (percentiles, a histogram chart, what drives the spread) and the break-even curves
//! (two line charts). Each has a Workings sheet with every figure of the run.
#![allow(clippy::disallowed_types)] // Excel cells hold floats: converted at the boundary (cell.rs)

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet};

use super::cell::WriteText;
use super::costed::{FigureRows, Out, WORKINGS_COLUMNS, figure_rows};
use super::template::{Formats, xlsx};
use crate::analysis::curves::{ApprovalsCurve, WaitCurve};
use crate::analysis::{Sensitivity, Simulation};
use crate::error::Result;
use crate::explain::{Explanation, Quantity};
use crate::money::{Money, Percent};

/// A Workings sheet listing every figure of one explanation (ids carry any agency or profile
/// prefix), each a live formula over its inputs.
pub(crate) fn workings(wb: &mut Workbook, ex: &Explanation, f: &Formats) -> Result<()> {
    workings_named(wb, ex, f, "Workings")
}

/// [`workings`] on a sheet named `name`, its table named after it (a workbook of several).
pub(crate) fn workings_named(wb: &mut Workbook, ex: &Explanation, f: &Formats, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name).map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    let rows: usize = ex.figures.iter().map(|f| 1 + f.inputs.len()).sum();
    let mut o = Out { ws, f };
    let table: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    o.table(0, &WORKINGS_COLUMNS, rows as u32, &table)?;
    let mut r = 1u32;
    figure_rows(&mut o, &mut r, "", None, ex, &FigureRows::new())?;
    Ok(())
}

fn sheet<'a>(wb: &'a mut Workbook, name: &str, title: &str, f: &Formats) -> Result<&'a mut Worksheet> {
    let ws = wb.add_worksheet();
    ws.set_name(name).map_err(xlsx)?;
    ws.text_with(0, 0, title, &f.title).map_err(xlsx)?;
    Ok(ws)
}

/// The sensitivity workbook: Sensitivity (each input's low and high values, the difference at
/// each, the swing, and a tornado chart of the change from the difference as worked out) and
/// Workings.
pub fn sensitivity(s: &Sensitivity) -> Result<Vec<u8>> {
    let f = Formats::default();
    let mut wb = super::template::new_workbook()?;
    let ws = sheet(
        &mut wb,
        "Sensitivity",
        &format!("Sensitivity of the difference between the routes (external − in-house), {} prices", s.year),
        &f,
    )?;
    let mut o = Out { ws, f: &f };
    o.text(1, 0, &format!("Difference as worked out: {}", s.base_difference.display_pounds()))?;
    let headers = [
        ("Input", 16.0),
        ("What it is", 40.0),
        ("Value used", 12.0),
        ("Low", 12.0),
        ("High", 12.0),
        ("How chosen", 30.0),
        ("Difference at low", 16.0),
        ("Difference at high", 16.0),
        ("Swing", 14.0),
        ("Change at low", 14.0),
        ("Change at high", 14.0),
    ];
    let top = 3u32;
    let n = s.swings.len() as u32;
    o.table(top, &headers, n, "Sensitivity")?;
    for (i, w) in s.swings.iter().enumerate() {
        let r = top + 1 + i as u32;
        o.text(r, 0, &w.input)?;
        o.text(r, 1, &w.label)?;
        for (c, v) in [(2u16, w.base), (3, w.low), (4, w.high)] {
            if w.unit == crate::explain::Unit::Percent {
                o.percent(r, c, Percent(v).fraction())?;
            } else if w.unit.is_money() {
                o.money(r, c, Money::new(v))?;
            } else {
                o.number(r, c, v)?;
            }
        }
        o.text(r, 5, &w.how)?;
        o.money(r, 6, w.at_low)?;
        o.money(r, 7, w.at_high)?;
        o.money(r, 8, w.swing)?;
        o.money(r, 9, w.at_low - s.base_difference)?;
        o.money(r, 10, w.at_high - s.base_difference)?;
    }
    let mut r = top + n + 2;
    if !s.no_effect.is_empty() {
        let names: Vec<&str> = s.no_effect.iter().map(|w| w.input.as_str()).collect();
        o.text(r, 0, &format!("No effect on the difference: {}", names.join(", ")))?;
        r += 1;
    }
    if n > 0 {
        // A tornado: the change in the difference at each end, largest swing at the top.
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name("What moves the difference most (tornado)");
        for (c, name) in [(9u16, "input at its low value"), (10u16, "input at its high value")] {
            chart
                .add_series()
                .set_name(name)
                .set_categories(("Sensitivity", top + 1, 0, top + n, 0))
                .set_values(("Sensitivity", top + 1, c, top + n, c))
                .set_overlap(100);
        }
        chart.y_axis().set_reverse();
        chart
            .x_axis()
            .set_num_format("£#,##0")
            .set_name("change in the difference from the value worked out");
        chart.set_width(760).set_height(320 + 18 * n.min(30));
        o.ws.insert_chart(r + 1, 0, &chart).map_err(xlsx)?;
    }
    workings(&mut wb, &s.explanation, &f)?;
    wb.save_to_buffer().map_err(xlsx)
}

/// The Monte Carlo workbook: Uncertainty (the summary, percentiles, the histogram with a chart,
/// and each ranged input's rank correlation with the difference) and Workings.
pub fn simulation(s: &Simulation) -> Result<Vec<u8>> {
    let f = Formats::default();
    let mut wb = super::template::new_workbook()?;
    let ws = sheet(
        &mut wb,
        "Uncertainty",
        &format!("Monte Carlo: the difference between the routes (external − in-house), {} prices", s.year),
        &f,
    )?;
    ws.set_column_width(0, 36).map_err(xlsx)?;
    for c in 1..=4 {
        ws.set_column_width(c, 16).map_err(xlsx)?;
    }
    let mut o = Out { ws, f: &f };
    let r = simulation_summary(&mut o, s)?;
    let r = histogram(&mut o, s, r + 2)?;
    drivers(&mut o, s, r + 2)?;
    workings(&mut wb, &s.explanation, &f)?;
    wb.save_to_buffer().map_err(xlsx)
}

/// The run's summary and percentiles from row 2; the last row written.
fn simulation_summary(o: &mut Out, s: &Simulation) -> Result<u32> {
    let f = o.f;
    let rows: Vec<(String, Quantity)> = vec![
        ("Draws".into(), Quantity::plain(Decimal::from(s.draws), crate::explain::Unit::Count)),
        ("Seed".into(), Quantity::plain(Decimal::from(s.seed), crate::explain::Unit::Count)),
        ("Difference as worked out".into(), money_q(s.base_difference)),
        ("Mean difference".into(), money_q(s.mean)),
        ("Lowest draw".into(), money_q(s.min)),
        ("Highest draw".into(), money_q(s.max)),
        (
            "Probability the external route is cheaper".into(),
            Quantity::percent(Percent::from_fraction(s.p_external_cheaper)),
        ),
    ];
    o.text(1, 0, &format!("Generator: {}", s.generator))?;
    for (i, (name, q)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        o.text(r, 0, name)?;
        write_q(o, r, 1, q)?;
    }
    let mut r = 3 + rows.len() as u32 + 1;
    o.ws.text_with(r, 0, "Percentile", &f.header).map_err(xlsx)?;
    o.ws.text_with(r, 1, "Difference", &f.header).map_err(xlsx)?;
    for p in &s.percentiles {
        r += 1;
        o.text(r, 0, &format!("{}th", p.percent))?;
        o.money(r, 1, p.difference)?;
    }
    Ok(r)
}

/// The histogram of the draws from row `hist_top`, with a chart; the last row written.
fn histogram(o: &mut Out, s: &Simulation, hist_top: u32) -> Result<u32> {
    let f = o.f;
    let mut r = hist_top;
    for (c, h) in ["From", "To", "Draws", "Bar"].iter().enumerate() {
        o.ws.text_with(r, c as u16, *h, &f.header).map_err(xlsx)?;
    }
    for b in &s.histogram {
        r += 1;
        o.money(r, 0, b.from)?;
        o.money(r, 1, b.to)?;
        o.number(r, 2, Decimal::from(b.count))?;
        o.text(r, 3, &format!("{} to {}", b.from.display_pounds(), b.to.display_pounds()))?;
    }
    let bins = s.histogram.len() as u32;
    if bins > 0 {
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("Draws of the difference between the routes");
        chart
            .add_series()
            .set_name("draws")
            .set_categories(("Uncertainty", hist_top + 1, 3, hist_top + bins, 3))
            .set_values(("Uncertainty", hist_top + 1, 2, hist_top + bins, 2))
            .set_gap(10);
        chart.set_width(760).set_height(360);
        o.ws.insert_chart(3, 6, &chart).map_err(xlsx)?;
    }
    Ok(r)
}

/// Each ranged input's range and rank correlation, from row `top`.
fn drivers(o: &mut Out, s: &Simulation, top: u32) -> Result<()> {
    let f = o.f;
    let mut r = top;
    for (c, h) in
        ["Ranged input", "What it is", "Low", "Most likely", "High", "Rank correlation"].iter().enumerate()
    {
        o.ws.text_with(r, c as u16, *h, &f.header).map_err(xlsx)?;
    }
    for d in &s.drivers {
        r += 1;
        o.text(r, 0, &d.input)?;
        o.text(r, 1, &d.label)?;
        o.number(r, 2, d.range.low)?;
        o.number(r, 3, d.range.likely)?;
        o.number(r, 4, d.range.high)?;
        o.number(r, 5, d.rank_correlation)?;
    }
    Ok(())
}

fn money_q(m: Money) -> Quantity {
    Quantity::money(m, crate::explain::Unit::Gbp, None)
}

fn write_q(o: &mut Out, r: u32, c: u16, q: &Quantity) -> Result<()> {
    match q.unit {
        u if u.is_money() => o.money(r, c, Money::new(q.value)),
        crate::explain::Unit::Percent => o.percent(r, c, Percent(q.value).fraction()),
        _ => o.number(r, c, q.value),
    }
}

/// The break-even workbook: Break-even (each route against the in-house wait, and the full cost
/// and in-house route against approvals a year, each with a chart and the break-even marked) and
/// Workings (the comparison's figures).
pub fn breakeven(wait: &WaitCurve, approvals: &ApprovalsCurve, ex: &Explanation) -> Result<Vec<u8>> {
    let f = Formats::default();
    let mut wb = super::template::new_workbook()?;
    let ws = sheet(
        &mut wb,
        "Break-even",
        "Each route's total cost against the wait and against approvals a year",
        &f,
    )?;
    for c in 0..=4 {
        ws.set_column_width(c, 16).map_err(xlsx)?;
    }
    let mut o = Out { ws, f: &f };
    let r = wait_table(&mut o, wait)?;
    approvals_table(&mut o, approvals, r + 3)?;
    workings(&mut wb, ex, &f)?;
    wb.save_to_buffer().map_err(xlsx)
}

/// The routes against the in-house wait from row 3, with a chart; the last row written.
fn wait_table(o: &mut Out, wait: &WaitCurve) -> Result<u32> {
    let f = o.f;
    let top = 2u32;
    for (c, h) in
        ["Weeks to an in-house match", "In-house route", "External route", "Point"].iter().enumerate()
    {
        o.ws.text_with(top, c as u16, *h, &f.header).map_err(xlsx)?;
    }
    let mut r = top;
    for p in &wait.points {
        r += 1;
        o.number(r, 0, p.weeks)?;
        o.money(r, 1, p.in_house)?;
        o.money(r, 2, p.external)?;
        if p.weeks == wait.expected.weeks {
            o.text(r, 3, "expected wait")?;
        }
    }
    let wait_last = r;
    for (label, p) in [("expected wait", Some(&wait.expected)), ("break-even wait", wait.break_even.as_ref())]
    {
        r += 1;
        match p {
            Some(p) => {
                o.number(r, 0, p.weeks)?;
                o.money(r, 1, p.in_house)?;
                o.money(r, 2, p.external)?;
                o.text(r, 3, label)?;
            }
            None => o.text(
                r,
                3,
                &format!("{label}: none (the routes do not cross at a wait of 0 weeks or more)"),
            )?,
        }
    }
    let mut chart = Chart::new(ChartType::ScatterStraightWithMarkers);
    chart.title().set_name("Each route against the in-house wait");
    for (c, name) in [(1u16, "in-house route"), (2u16, "external route")] {
        chart
            .add_series()
            .set_name(name)
            .set_categories(("Break-even", top + 1, 0, wait_last, 0))
            .set_values(("Break-even", top + 1, c, wait_last, c));
    }
    chart.x_axis().set_name("weeks to an in-house match");
    chart.y_axis().set_num_format("£#,##0");
    chart.set_width(640);
    o.ws.insert_chart(top, 6, &chart).map_err(xlsx)?;

    Ok(r)
}

/// The full cost and the routes against approvals a year from row `top2`, with a chart.
fn approvals_table(o: &mut Out, approvals: &ApprovalsCurve, top2: u32) -> Result<()> {
    let f = o.f;
    let mut r = top2;
    for (c, h) in
        ["Approvals a year", "Full in-house cost", "In-house route", "Net fee", "External route", "Point"]
            .iter()
            .enumerate()
    {
        o.ws.text_with(r, c as u16, *h, &f.header).map_err(xlsx)?;
    }
    for p in &approvals.points {
        r += 1;
        approvals_row(o, r, p, "")?;
    }
    let last = r;
    r += 1;
    approvals_row(o, r, &approvals.actual, "the agency's own approvals")?;
    r += 1;
    match &approvals.break_even {
        Some(p) => approvals_row(o, r, p, "break-even approvals")?,
        None => o.text(r, 5, "break-even approvals: none (see breakeven.approvals on Workings)")?,
    }
    let mut chart = Chart::new(ChartType::ScatterStraightWithMarkers);
    chart.title().set_name("Full in-house cost against approvals a year");
    for (c, name) in [(1u16, "full in-house cost"), (3u16, "net fee")] {
        chart.add_series().set_name(name).set_categories(("Break-even", top2 + 1, 0, last, 0)).set_values((
            "Break-even",
            top2 + 1,
            c,
            last,
            c,
        ));
    }
    chart.x_axis().set_name("approvals a year");
    chart.y_axis().set_num_format("£#,##0");
    chart.set_width(640);
    o.ws.insert_chart(top2, 6, &chart).map_err(xlsx)?;
    Ok(())
}

fn approvals_row(
    o: &mut Out,
    r: u32,
    p: &crate::analysis::curves::ApprovalsPoint,
    label: &str,
) -> Result<()> {
    o.number(r, 0, p.approvals)?;
    o.money(r, 1, p.full)?;
    o.money(r, 2, p.in_house)?;
    o.money(r, 3, p.net_fee)?;
    o.money(r, 4, p.external)?;
    if !label.is_empty() {
        o.text(r, 5, label)?;
    }
    Ok(())
}
