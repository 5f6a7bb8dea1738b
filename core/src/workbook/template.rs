//! The input template: the schema's sheets with formats, validation and input messages,
//! pre-filled with the example agency and a few example children so `template` then `run`
//! works at once.
#![allow(clippy::disallowed_types)] // Excel cells hold floats: converted at the boundary (cell.rs)

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::cell::{WriteText, date_serial, float_from_decimal};
use super::schema::{self, Sheet};
use crate::error::{Error, Result};
use crate::input::schema::{self as input, Field, Kind};
use crate::input::{
    AGENCY, Agency, BACK_OFFICE, CHILD, Child, DIRECT, OVERHEAD, ROUTE, Route, SHARES, STAFF, Shares,
};
use crate::quantity::Unit;

/// Rows of each input sheet that carry validation (blank rows beyond are still read).
pub const VALIDATED_ROWS: u32 = 5000;

/// Formats shared by the writers.
#[derive(Debug, Clone)]
pub struct Formats {
    /// Header cells.
    pub header: Format,
    /// Pounds and pence.
    pub money: Format,
    /// Percentages.
    pub percent: Format,
    /// Plain numbers.
    pub number: Format,
    /// Dates.
    pub date: Format,
    /// Wrapped text.
    pub wrap: Format,
    /// A sheet's title.
    pub title: Format,
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_border_bottom(FormatBorder::Thin)
                .set_background_color("#DDE6EE"),
            money: Format::new().set_num_format("£#,##0.00"),
            percent: Format::new().set_num_format("0.00%"),
            number: Format::new().set_num_format("#,##0.####"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            wrap: Format::new().set_text_wrap(),
            title: Format::new().set_bold().set_font_size(14),
        }
    }
}

/// The day every workbook adoptcost writes says it was created: fixed, so the same inputs give
/// the same bytes (rust_xlsxwriter would stamp the clock's time in each file's properties).
pub const CREATED: (u16, u8, u8) = (2000, 1, 1);

/// A new workbook whose document properties carry [`CREATED`], never the clock's time.
pub(crate) fn new_workbook() -> Result<Workbook> {
    let (y, m, d) = CREATED;
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d).map_err(xlsx)?;
    let mut wb = Workbook::new();
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    Ok(wb)
}

pub(crate) fn xlsx(e: XlsxError) -> Error {
    Error::Workbook { place: String::new(), message: format!("could not be written: {e}") }
}

/// A value for one cell of the template.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Blank,
    Text(String),
    Num(Decimal),
    Percent(Decimal),
    YesNo(bool),
    Date(jiff::civil::Date),
}

pub(crate) fn put(ws: &mut Worksheet, row: u32, col: u16, v: &Value, f: &Formats) -> Result<()> {
    let num = |d: Decimal| {
        float_from_decimal(d).ok_or_else(|| Error::Workbook {
            place: String::new(),
            message: format!("{d} has no Excel number"),
        })
    };
    match v {
        Value::Blank => {}
        Value::Text(t) => {
            ws.text(row, col, t).map_err(xlsx)?;
        }
        Value::Num(d) => {
            ws.write_number(row, col, num(*d)?).map_err(xlsx)?;
        }
        Value::Percent(p) => {
            ws.write_number_with_format(row, col, num(*p / Decimal::ONE_HUNDRED)?, &f.percent)
                .map_err(xlsx)?;
        }
        Value::YesNo(b) => {
            ws.text(row, col, if *b { "yes" } else { "no" }).map_err(xlsx)?;
        }
        Value::Date(d) => {
            ws.write_number_with_format(row, col, date_serial(*d), &f.date).map_err(xlsx)?;
        }
    }
    Ok(())
}

/// Writes a sheet's header row, formats, widths, validation and input messages.
fn prepare(ws: &mut Worksheet, sheet: &Sheet, f: &Formats) -> Result<()> {
    ws.set_name(sheet.name).map_err(xlsx)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx)?;
    ws.set_row_height(0, 32).map_err(xlsx)?;
    for (i, col) in sheet.columns.iter().enumerate() {
        let c = i as u16;
        let title = if col.required { format!("{} (required)", col.header) } else { col.header.to_string() };
        ws.text_with(0, c, col.header, &f.header).map_err(xlsx)?;
        ws.set_column_width(c, col.width).map_err(xlsx)?;
        let message = DataValidation::new()
            .allow_any_value()
            .set_input_title(truncate(&title, 32))
            .map_err(xlsx)?
            .set_input_message(truncate(&col.help, 255))
            .map_err(xlsx)?;
        ws.add_data_validation(0, c, 0, c, &message).map_err(xlsx)?;
        let at_least_zero =
            || DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0));
        let (format, rule) = match col.kind {
            Kind::Number(Unit::Percent) => (
                Some(&f.percent),
                Some(DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 1.0))),
            ),
            Kind::Number(u) if u.is_money() => (Some(&f.money), Some(at_least_zero())),
            Kind::Number(_) => (Some(&f.number), Some(at_least_zero())),
            Kind::Whole => (
                None,
                Some(DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))),
            ),
            Kind::Date => (Some(&f.date), None),
            Kind::YesNo => {
                (None, Some(DataValidation::new().allow_list_strings(&["yes", "no"]).map_err(xlsx)?))
            }
            Kind::List(choices) => {
                let ids: Vec<&str> = choices.iter().map(|c| c.id).collect();
                (None, Some(DataValidation::new().allow_list_strings(&ids).map_err(xlsx)?))
            }
            Kind::Text | Kind::Year => (None, None),
        };
        if let Some(fmt) = format {
            ws.set_column_format(c, fmt).map_err(xlsx)?;
        }
        if let Some(rule) = rule {
            let rule = rule
                .set_error_title(truncate(col.header, 32))
                .map_err(xlsx)?
                .set_error_message(truncate(&format!("Expected: {}", col.help), 255))
                .map_err(xlsx)?;
            ws.add_data_validation(1, c, VALIDATED_ROWS, c, &rule).map_err(xlsx)?;
        }
    }
    Ok(())
}

fn truncate(s: &str, max: usize) -> String {
    if s.encode_utf16().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for ch in s.chars() {
        if out.encode_utf16().count() + ch.len_utf16() > max.saturating_sub(1) {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}

fn row(ws: &mut Worksheet, r: u32, values: &[Value], f: &Formats) -> Result<()> {
    for (c, v) in values.iter().enumerate() {
        put(ws, r, c as u16, v, f)?;
    }
    Ok(())
}

/// A field's value as the template writes it.
fn cell_value(v: input::Value) -> Value {
    match v {
        input::Value::Number(d) => Value::Num(d),
        input::Value::Whole(n) => Value::Num(n.into()),
        input::Value::Yes(b) => Value::YesNo(b),
        input::Value::Text(t) => Value::Text(t),
        input::Value::Date(d) => Value::Date(d),
        input::Value::Year(y) => Value::Text(y.to_string()),
    }
}

/// A row of a sheet, blank.
fn blank(sheet: &Sheet) -> Vec<Value> {
    vec![Value::Blank; sheet.columns.len()]
}

/// Puts each field of `t` with a value into its column of a row of `sheet`.
fn fill<T>(row: &mut [Value], sheet: &Sheet, table: &[Field<T>], t: &T) {
    for f in table {
        if let (Some(v), Some(cell)) = ((f.get)(t), row.get_mut(sheet.col(f.header))) {
            *cell = match (f.kind, cell_value(v)) {
                (Kind::Number(Unit::Percent), Value::Num(d)) => Value::Percent(d),
                (_, v) => v,
            };
        }
    }
}

/// A line's row: its code, its fields and its shares, with `extra` (a category) by header.
fn line_row<T>(sheet: &Sheet, code: &str, table: &[Field<T>], l: &T, shares: Option<&Shares>) -> Vec<Value> {
    let mut row = blank(sheet);
    row[sheet.col(schema::CODE)] = Value::Text(code.into());
    fill(&mut row, sheet, table, l);
    if let Some(s) = shares {
        fill(&mut row, sheet, &SHARES, s);
    }
    row
}

/// The agency's rows on each of its sheets, in the schema's column order.
pub(crate) fn agency_rows(a: &Agency) -> [Vec<Vec<Value>>; 5] {
    let [agencies, staff, direct, overheads, back, ..] = &*schema::INPUT_SHEETS;
    let mut first = blank(agencies);
    fill(&mut first, agencies, &AGENCY, a);
    let code = a.code.as_str();
    let staff_rows = a.staff.iter().map(|l| line_row(staff, code, &STAFF, l, Some(&l.shares))).collect();
    let direct_rows = a.direct.iter().map(|l| line_row(direct, code, &DIRECT, l, Some(&l.shares))).collect();
    let mut overhead_rows = Vec::new();
    for (category, lines) in a.overheads() {
        for l in lines {
            let mut row = line_row(overheads, code, &OVERHEAD, l, l.shares.as_ref());
            row[overheads.col(schema::CATEGORY)] = Value::Text(category.into());
            overhead_rows.push(row);
        }
    }
    let back_rows = a.back_office.iter().map(|l| line_row(back, code, &BACK_OFFICE, l, None)).collect();
    [vec![first], staff_rows, direct_rows, overhead_rows, back_rows]
}

/// A child row in the schema's column order.
pub(crate) fn child_row(code: &str, c: &Child, r: &Route) -> Vec<Value> {
    let sheet = schema::children();
    let mut row = blank(sheet);
    row[sheet.col(schema::CODE)] = Value::Text(code.into());
    fill(&mut row, sheet, &CHILD, c);
    fill(&mut row, sheet, &ROUTE, r);
    for (header, text) in [
        (schema::NOTES, &c.notes),
        (schema::COST_CENTRE, &c.cost_centre),
        (schema::BUDGET_CODE, &c.budget_code),
    ] {
        if !text.is_empty() {
            row[sheet.col(header)] = Value::Text(text.clone());
        }
    }
    row
}

/// The example children of the template: varied enough to show each part of the method, and
/// all costable from the reference data alone. Each carries a placement date in the latest
/// fee year whose fees are published, so the example runs the same whatever today's date.
pub fn example_children() -> Vec<(Child, Route)> {
    use crate::input::{MoneyIn, Provider};
    use rust_decimal::dec;
    let child = |reference: &str, children: u32, age: u32| Child {
        reference: reference.into(),
        children,
        age: Some(age),
        disabled: false,
        minority_ethnic: false,
        waiting_over_18_months: false,
        weekly_care_cost: None,
        group_weekly_care_cost: None,
        ..Child::default()
    };
    let route = |provider: Provider, (y, m, d): (i16, i8, i8)| Route {
        provider: Some(provider),
        placement_date: Some(jiff::civil::date(y, m, d)),
        ..Route::default()
    };
    vec![
        // The example child of `adoptcost compare` (fixtures/example/child.toml).
        (
            child("EX-01", 1, 3),
            Route {
                search_weeks: Some(dec!(13)),
                success_probability: Some(dec!(50)),
                ..route(Provider::Vaa, (2025, 10, 15))
            },
        ),
        (
            Child { weekly_care_cost: Some(MoneyIn(dec!(950))), ..child("EX-02", 1, 6) },
            Route {
                london: true,
                weeks_in_house: Some(dec!(40)),
                weeks_external: Some(dec!(22)),
                ..route(Provider::Vaa, (2025, 7, 7))
            },
        ),
        (
            Child {
                weekly_care_cost: Some(MoneyIn(dec!(850))),
                notes: "Brothers, to be placed together; an in-house search first".into(),
                ..child("EX-03", 2, 4)
            },
            Route {
                search_weeks: Some(dec!(13)),
                success_probability: Some(dec!(40)),
                ..route(Provider::La, (2025, 9, 1))
            },
        ),
        (
            Child { group_weekly_care_cost: Some(MoneyIn(dec!(2400))), ..child("EX-04", 3, 7) },
            Route {
                months_beyond_12: Some(dec!(3)),
                monthly_fee: Some(MoneyIn(dec!(950))),
                weeks_in_house: Some(dec!(52)),
                weeks_external: Some(dec!(30)),
                ..route(Provider::La, (2026, 1, 12))
            },
        ),
        (
            Child { disabled: true, weekly_care_cost: Some(MoneyIn(dec!(900))), ..child("EX-05", 1, 2) },
            Route { common_costs: Some(MoneyIn(dec!(4500))), ..route(Provider::Vaa, (2025, 10, 15)) },
        ),
    ]
}

/// The template as `adoptcost template` writes it: pre-filled with the example agency and the
/// example children ([`example_children`]), ready to fill in or to run as it is.
pub fn example() -> Result<Vec<u8>> {
    let agency = crate::example::agency()?;
    let children: Vec<_> =
        example_children().into_iter().map(|(ch, r)| (agency.code.clone(), ch, r)).collect();
    template(&[agency], &children)
}

/// The template workbook's bytes, pre-filled with these agencies and children.
pub fn template(agencies: &[Agency], children: &[(String, Child, Route)]) -> Result<Vec<u8>> {
    let f = Formats::default();
    let mut wb = new_workbook()?;
    readme(wb.add_worksheet(), &f)?;
    let [agencies_sheet, staff, direct, overheads, back, children_sheet, fees, index, reference] =
        &*schema::INPUT_SHEETS;
    let rows: Vec<[Vec<Vec<Value>>; 5]> = agencies.iter().map(agency_rows).collect();
    for (k, sheet) in [agencies_sheet, staff, direct, overheads, back].into_iter().enumerate() {
        let ws = wb.add_worksheet();
        prepare(ws, sheet, &f)?;
        for (next, values) in (1..).zip(rows.iter().flat_map(|r| r[k].iter())) {
            row(ws, next, values, &f)?;
        }
    }
    let ws = wb.add_worksheet();
    prepare(ws, children_sheet, &f)?;
    for (i, (code, c, r)) in children.iter().enumerate() {
        row(ws, i as u32 + 1, &child_row(code, c, r), &f)?;
    }
    let ws = wb.add_worksheet();
    prepare(ws, fees, &f)?;
    let ws = wb.add_worksheet();
    prepare(ws, index, &f)?;
    let ws = wb.add_worksheet();
    prepare(ws, reference, &f)?;
    wb.save_to_buffer().map_err(xlsx)
}

fn readme(ws: &mut Worksheet, f: &Formats) -> Result<()> {
    ws.set_name("README").map_err(xlsx)?;
    ws.set_column_width(0, 120).map_err(xlsx)?;
    let mut r = 0;
    let mut line = |ws: &mut Worksheet, text: &str, fmt: Option<&Format>| -> Result<()> {
        match fmt {
            Some(fm) => ws.text_with(r, 0, text, fm).map_err(xlsx)?,
            None => ws.text_with(r, 0, text, &f.wrap).map_err(xlsx)?,
        };
        r += 1;
        Ok(())
    };
    line(ws, "adoptcost input workbook", Some(&f.title))?;
    for t in [
        "Fill in one or more agencies' cost bases and the children to cost, then run: adoptcost run THIS.xlsx -o costed.xlsx",
        "The workbook comes filled with the ILLUSTRATIVE example agency and children: replace them with your own figures.",
        "Money is in pounds. Percentages are percentages (type 40%). Dates as 2025-09-01. Every header shows what goes there when you select it.",
        "Each agency has a code; its staff, direct, overhead and back-office lines carry the same code. Several agencies can share the workbook.",
        "Blank optional cells take the method's defaults (the published reference figures, with their sources, or the defaults of the method).",
        "A row that cannot be read is listed, with its sheet and cell, on the Errors sheet of the costed workbook; the other rows are still costed.",
        "",
    ] {
        line(ws, t, None)?;
    }
    line(ws, "The sheets", Some(&f.header))?;
    for s in schema::INPUT_SHEETS.iter() {
        line(ws, &format!("{}: {}", s.name, s.about), None)?;
    }
    line(ws, "", None)?;
    line(ws, "The method: docs/COSTING.md in the adoptcost repository.", None)?;
    Ok(())
}
