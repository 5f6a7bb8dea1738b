//! The budget workbook ([`crate::analysis::budget()`]): Budget, a one-page summary for sign-off
//! (set to print on one landscape A4 page) whose totals are live formulas over its own cells,
//! and Workings, every figure with its derivation. A budget of several years
//! ([`crate::analysis::budget::plan`]) has Years, the years side by side as live formulas over
//! their sheets, then a Budget and a Workings sheet for each year.
#![allow(clippy::disallowed_types)] // Excel cells hold floats: converted at the boundary (cell.rs)

use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Workbook};

use super::cell::WriteText;
use super::cell::column_letters;
use super::costed::Out;
use super::template::{Formats, xlsx};
use crate::analysis::budget::{Budget, ByQuarter, QUARTERS};
use crate::error::Result;
use crate::money::Money;

/// The budget workbook's bytes.
pub fn write(b: &Budget) -> Result<Vec<u8>> {
    write_plan(std::slice::from_ref(b))
}

/// The workbook of a budget of one year or several: one year as [`write()`]; several with Years
/// first, then each year's Budget and Workings, named by the year (`Budget 2025-26`).
pub fn write_plan(years: &[Budget]) -> Result<Vec<u8>> {
    let f = Formats::default();
    let mut wb = super::template::new_workbook()?;
    if let [b] = years {
        summary(&mut wb, b, &f, "Budget")?;
        super::analyses::workings(&mut wb, &b.explanation, &f)?;
    } else {
        let names: Vec<String> = years.iter().map(|b| b.year.to_string().replace('/', "-")).collect();
        years_sheet(&mut wb, years, &names, &f)?;
        for (b, name) in years.iter().zip(&names) {
            summary(&mut wb, b, &f, &format!("Budget {name}"))?;
            super::analyses::workings_named(&mut wb, &b.explanation, &f, &format!("Workings {name}"))?;
        }
    }
    wb.save_to_buffer().map_err(xlsx)
}

/// The rows of a Budget sheet (from 0) whose year totals (column F) Years refers to.
const NET_FEES_ROW: u32 = 7;
const EARLIER_ROW: u32 = 8;
const INCOME_ROW: u32 = 10;
const NET_BUDGET_ROW: u32 = 11;
const DUE_LATER_ROW: u32 = 12;

/// Years: each year's totals as formulas over its Budget sheet, and the years' sum.
fn years_sheet(wb: &mut Workbook, years: &[Budget], names: &[String], f: &Formats) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name("Years").map_err(xlsx)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 1);
    ws.set_column_width(0, 14).map_err(xlsx)?;
    for c in 1..=5 {
        ws.set_column_width(c, 22).map_err(xlsx)?;
    }
    let mut o = Out { ws, f };
    let (first, last) = (&years[0], &years[years.len() - 1]);
    let agency = &first.agency;
    o.ws.text_with(
        0,
        0,
        format!("Interagency fee budget {} to {}: {agency}", first.year, last.year),
        &f.title,
    )
    .map_err(xlsx)?;
    o.text(1, 0, "Each year's totals from its Budget sheet; fees due after a year are in the budgets of the years they fall in, so they are not added up.")?;
    let headers = [
        "Year",
        "Net fees",
        "Due on earlier placements",
        "Less fee income",
        "Net budget",
        "Due after the year",
    ];
    for (c, h) in headers.iter().enumerate() {
        o.ws.text_with(3, c as u16, *h, &f.header).map_err(xlsx)?;
    }
    for (i, (b, name)) in years.iter().zip(names).enumerate() {
        let r = 4 + i as u32;
        o.text(r, 0, &b.year.to_string())?;
        for (c, row, v) in [
            (1u16, NET_FEES_ROW, b.net_fees.total),
            (2, EARLIER_ROW, b.earlier.total),
            (3, INCOME_ROW, b.sales_income.total),
            (4, NET_BUDGET_ROW, b.net_budget.total),
            (5, DUE_LATER_ROW, b.due_later),
        ] {
            let fm = Formula::new(format!("='Budget {name}'!F{}", row + 1))
                .set_result(v.amount().normalize().to_string());
            o.ws.write_formula_with_format(r, c, fm, &f.money).map_err(xlsx)?;
        }
    }
    let total = 4 + years.len() as u32;
    o.ws.text_with(total, 0, "The years", &f.header).map_err(xlsx)?;
    for c in 1u16..=4 {
        let sum: Money = years
            .iter()
            .map(|b| match c {
                1 => b.net_fees.total,
                2 => b.earlier.total,
                3 => b.sales_income.total,
                _ => b.net_budget.total,
            })
            .sum();
        let col = column_letters(c.into());
        let fm = Formula::new(format!("=SUM({col}5:{col}{total})"))
            .set_result(sum.amount().normalize().to_string());
        o.ws.write_formula_with_format(total, c, fm, &f.money).map_err(xlsx)?;
    }
    Ok(())
}

fn summary(wb: &mut Workbook, b: &Budget, f: &Formats, name: &str) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name).map_err(xlsx)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 1);
    ws.set_column_width(0, 46).map_err(xlsx)?;
    for c in 1..=6 {
        ws.set_column_width(c, 16).map_err(xlsx)?;
    }
    let mut o = Out { ws, f };
    o.ws.text_with(0, 0, format!("Interagency fee budget {}: {}", b.year, b.agency), &f.title)
        .map_err(xlsx)?;
    o.text(
        1,
        0,
        "Fees at each quarter's first day, net of contributions, less fee income from the agency's own adopters placed elsewhere. Every figure's derivation is on Workings.",
    )?;
    let next = quarter_table(&mut o, b)?;
    let next = profile_table(&mut o, b, next)?;
    let next = in_house_table(&mut o, b, next)?;
    sign_off(&mut o, b, next + 1)
}

/// The sign-off block: who prepared and who approves the budget, each with a date, the names
/// the forecast gives or blanks to fill in.
fn sign_off(o: &mut Out, b: &Budget, top: u32) -> Result<()> {
    let f = o.f;
    o.ws.text_with(top, 0, "Sign-off", &f.header).map_err(xlsx)?;
    for (i, (role, name)) in ["Prepared by", "Approved by"].iter().zip(&b.sign_off).enumerate() {
        let r = top + 1 + i as u32;
        o.text(r, 0, role)?;
        o.text(r, 1, name)?;
        o.text(r, 3, "Date")?;
    }
    Ok(())
}

/// The quarter table, from row 4; the row the next table starts on.
fn quarter_table(o: &mut Out, b: &Budget) -> Result<u32> {
    let f = o.f;
    let top = 3u32;
    o.ws.text_with(top, 0, "", &f.header).map_err(xlsx)?;
    for (k, q) in QUARTERS.iter().enumerate() {
        o.ws.text_with(top, 1 + k as u16, *q, &f.header).map_err(xlsx)?;
    }
    o.ws.text_with(top, 5, "Year", &f.header).map_err(xlsx)?;
    let row = |i: u32| top + 1 + i;
    count_row(o, row(0), "External placements", &b.external)?;
    money_row(o, row(1), "Fees before contributions", &b.gross_fees.quarters)?;
    money_row(o, row(2), "Less contributions", &b.contributions.quarters)?;
    formula_row(o, row(3), "Net fees", &b.net_fees.quarters, &|c| {
        format!("={c}{}-{c}{}", row(1) + 1, row(2) + 1)
    })?;
    money_row(o, row(4), "Fees due on earlier placements", &b.earlier.quarters)?;
    count_row(o, row(5), "Sales expected", &b.sales)?;
    let income = format!("Less fee income ({} a sale)", b.income_per_sale.display_pounds());
    money_row(o, row(6), &income, &b.sales_income.quarters)?;
    formula_row(o, row(7), "NET INTERAGENCY BUDGET", &b.net_budget.quarters, &|c| {
        format!("={c}{}+{c}{}-{c}{}", row(3) + 1, row(4) + 1, row(6) + 1)
    })?;
    o.text(row(8), 0, &format!("Falling due after {}, in later years' budgets", b.year))?;
    o.money(row(8), 5, b.due_later)?;
    debug_assert_eq!(
        [row(3), row(4), row(6), row(7), row(8)],
        [NET_FEES_ROW, EARLIER_ROW, INCOME_ROW, NET_BUDGET_ROW, DUE_LATER_ROW]
    );
    Ok(row(10))
}

/// The table by profile, from row `top`; the row the next table starts on.
fn profile_table(o: &mut Out, b: &Budget, top: u32) -> Result<u32> {
    let f = o.f;
    let headers = [
        "Profile",
        "Groups",
        "External share",
        "External placements",
        "Fee each",
        "Contribution each",
        "Net fees",
    ];
    for (c, h) in headers.iter().enumerate() {
        o.ws.text_with(top, c as u16, *h, &f.header).map_err(xlsx)?;
    }
    for (i, p) in b.profiles.iter().enumerate() {
        let r = top + 1 + i as u32;
        o.text(
            r,
            0,
            &format!("{} ({} {})", p.name, p.children, if p.children == 1 { "child" } else { "children" }),
        )?;
        o.number(r, 1, p.placements.total)?;
        if !p.placements.total.is_zero() {
            o.percent(r, 2, p.external.total / p.placements.total)?;
        }
        o.number(r, 3, p.external.total)?;
        match p.each_quarter(|f| f.placement) {
            Some(m) => o.money(r, 4, m)?,
            None => o.text(r, 4, "varies by quarter")?,
        }
        match p.each_quarter(|f| f.contribution) {
            Some(m) => o.money(r, 5, m)?,
            None => o.text(r, 5, "varies by quarter")?,
        }
        o.money(r, 6, p.net_fees.total)?;
    }

    Ok(top + b.profiles.len() as u32 + 2)
}

/// The in-house table and the notes under it, from row `top`; the row after them. With sibling
/// groups, a column counts the children beyond the first of each group and a row gives what
/// each adds, both in the table's formulas.
fn in_house_table(o: &mut Out, b: &Budget, top: u32) -> Result<u32> {
    let f = o.f;
    let mut headers = vec![
        format!("The in-house side ({} prices)", b.cost_price_year),
        "Placements".into(),
        "At full cost".into(),
        "At marginal (cash) cost".into(),
    ];
    if b.sibling.is_some() {
        headers.push("Children beyond the first of a group".into());
    }
    for (c, h) in headers.iter().enumerate() {
        o.ws.text_with(top, c as u16, h, &f.header).map_err(xlsx)?;
    }
    o.text(top + 1, 0, "Cost of one in-house placement")?;
    o.money(top + 1, 2, b.full_cost)?;
    o.money(top + 1, 3, b.marginal_cost)?;
    // The row under the table: what each child beyond the first of a group adds.
    let extra_row = top + 4;
    if let Some(s) = &b.sibling {
        o.text(extra_row, 0, "Each child beyond the first of a sibling group adds")?;
        o.money(extra_row, 2, s.per_child)?;
        o.money(extra_row, 3, s.per_child_marginal)?;
    }
    let rows = [
        ("In-house placements: cost incurred", b.in_house_placements, b.in_house_full, b.in_house_marginal),
        (
            "External placements: in-house cost avoided",
            b.external_placements,
            b.avoided_full,
            b.avoided_marginal,
        ),
    ];
    let more = b.sibling.map(|s| [s.in_house, s.external]);
    for (i, (name, n, full, marginal)) in rows.into_iter().enumerate() {
        let r = top + 2 + i as u32;
        o.text(r, 0, name)?;
        o.number(r, 1, n)?;
        if let Some(more) = more {
            o.number(r, 4, more[i])?;
        }
        for (c, v) in [(2u16, full), (3u16, marginal)] {
            let col = column_letters(c.into());
            let mut text = format!("=B{}*{col}{}", r + 1, top + 2);
            if more.is_some() {
                text.push_str(&format!("+E{}*{col}{}", r + 1, extra_row + 1));
            }
            let fm = Formula::new(text).set_result(v.amount().normalize().to_string());
            o.ws.write_formula_with_format(r, c, fm, &f.money).map_err(xlsx)?;
        }
    }
    let notes = if more.is_some() { top + 6 } else { top + 5 };
    for (r, n) in (notes..).zip(&b.notes) {
        o.text(r, 0, &format!("Note: {n}"))?;
    }
    Ok(notes + b.notes.len() as u32)
}

fn count_row(o: &mut Out, r: u32, name: &str, q: &ByQuarter<Decimal>) -> Result<()> {
    o.text(r, 0, name)?;
    for (k, v) in q.quarters.iter().enumerate() {
        o.number(r, 1 + k as u16, *v)?;
    }
    let fm = Formula::new(format!("=SUM(B{0}:E{0})", r + 1)).set_result(q.total.normalize().to_string());
    o.ws.write_formula_with_format(r, 5, fm, &o.f.number).map_err(xlsx)?;
    Ok(())
}

fn money_row(o: &mut Out, r: u32, name: &str, q: &[Money; 4]) -> Result<()> {
    o.text(r, 0, name)?;
    for (k, v) in q.iter().enumerate() {
        o.money(r, 1 + k as u16, *v)?;
    }
    year_total(o, r, q)
}

/// A row whose quarters are live formulas (`formula(column letters)`), with the year's total.
fn formula_row(
    o: &mut Out,
    r: u32,
    name: &str,
    q: &[Money; 4],
    formula: &dyn Fn(&str) -> String,
) -> Result<()> {
    o.ws.text_with(r, 0, name, &o.f.header).map_err(xlsx)?;
    for (k, v) in q.iter().enumerate() {
        let c = 1 + k as u16;
        let fm =
            Formula::new(formula(&column_letters(c.into()))).set_result(v.amount().normalize().to_string());
        o.ws.write_formula_with_format(r, c, fm, &o.f.money).map_err(xlsx)?;
    }
    year_total(o, r, q)
}

fn year_total(o: &mut Out, r: u32, q: &[Money; 4]) -> Result<()> {
    let total: Money = q.iter().copied().sum();
    let fm =
        Formula::new(format!("=SUM(B{0}:E{0})", r + 1)).set_result(total.amount().normalize().to_string());
    o.ws.write_formula_with_format(r, 5, fm, &o.f.money).map_err(xlsx)?;
    Ok(())
}
