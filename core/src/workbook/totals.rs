//! The costed workbook's Totals sheet: net fees by fee year, by agency and by provider, the
//! sum of the differences, and the rows costed, rejected and blank, reconciling to the input.
//! Each total is a live formula over Placements with the value adoptcost worked out as its
//! cached result, so a finance officer can check it and the sheet stays right if Placements is
//! edited.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Worksheet};

use super::cell::{WriteText, column_letters, float_from_decimal};
use super::template::{Formats, xlsx};
use crate::batch::{BatchAgency, PlacementRow};
use crate::error::{Error, Result};
use crate::input::Provider;
use crate::money::FinancialYear;

/// Rows and net fees of one group of placements.
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    rows: u32,
    net_fees: Decimal,
}

impl Sum {
    fn add(&mut self, net: Decimal) -> Result<()> {
        self.rows += 1;
        self.net_fees = self.net_fees.checked_add(net).ok_or_else(too_large)?;
        Ok(())
    }
}

fn too_large() -> Error {
    Error::Workbook {
        place: "Totals".into(),
        message: "a total is beyond what an exact decimal holds".into(),
    }
}

/// The totals, gathered as the rows are written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Totals {
    by_year: BTreeMap<FinancialYear, Sum>,
    by_agency: Vec<Sum>,
    by_provider: [Sum; 2],
    difference: Decimal,
    costed: u32,
    rejected: u32,
    /// The last row of the Children sheet with a line (costed or not).
    last_row: u32,
}

impl Totals {
    pub(crate) fn new(agencies: usize) -> Totals {
        Totals { by_agency: vec![Sum::default(); agencies], ..Totals::default() }
    }

    /// A costed row.
    pub(crate) fn costed(&mut self, p: &PlacementRow) -> Result<()> {
        let (fee, routes) = (&p.placement.fee, &p.placement.routes);
        let net = fee.net.amount();
        self.by_year.entry(fee.year).or_default().add(net)?;
        if let Some(a) = self.by_agency.get_mut(p.agency) {
            a.add(net)?;
        }
        self.by_provider[usize::from(p.route.provider_used() == Provider::La)].add(net)?;
        self.difference = self.difference.checked_add(routes.difference.amount()).ok_or_else(too_large)?;
        self.costed += 1;
        self.last_row = self.last_row.max(p.row);
        Ok(())
    }

    /// A row that could not be costed.
    pub(crate) fn rejected(&mut self, row: u32) {
        self.rejected += 1;
        self.last_row = self.last_row.max(row);
    }
}

/// A block of totals: its title, the Placements range its rows are picked by, and each row's
/// name (matched in that range) and sums.
type Group<'a> = (&'a str, &'a str, Vec<(String, Sum)>);

/// The Totals sheet being written: the worksheet, the formats, and the Placements rows that
/// carry a line (costed or rejected).
struct Out<'a> {
    ws: &'a mut Worksheet,
    f: &'a Formats,
    lines: u32,
}

impl Out<'_> {
    fn text(&mut self, r: u32, c: u16, t: &str) -> Result<()> {
        self.ws.text(r, c, t).map_err(xlsx)?;
        Ok(())
    }
    fn number(&mut self, r: u32, c: u16, d: Decimal) -> Result<()> {
        let x = float_from_decimal(d).ok_or_else(too_large)?;
        self.ws.write_number_with_format(r, c, x, &self.f.number).map_err(xlsx)?;
        Ok(())
    }
    fn header(&mut self, r: u32, headers: &[&str]) -> Result<()> {
        for (c, h) in (0u16..).zip(headers) {
            self.ws.text_with(r, c, *h, &self.f.header).map_err(xlsx)?;
        }
        Ok(())
    }
    /// A live formula with the value adoptcost worked out as its cached result.
    fn formula(&mut self, r: u32, c: u16, text: String, value: Decimal, money: bool) -> Result<()> {
        let fm = Formula::new(text).set_result(value.normalize().to_string());
        let format = if money { &self.f.money } else { &self.f.number };
        self.ws.write_formula_with_format(r, c, fm, format).map_err(xlsx)?;
        Ok(())
    }
    /// A count over Placements where it has lines, else 0 (a formula over no rows is an error).
    fn count_or_zero(&mut self, r: u32, c: u16, text: String, value: Decimal) -> Result<()> {
        if self.lines > 0 { self.formula(r, c, text, value, false) } else { self.number(r, c, Decimal::ZERO) }
    }
}

/// Writes the Totals sheet; `column` gives the zero-based column of a Placements header.
pub(crate) fn write(
    ws: &mut Worksheet,
    t: &Totals,
    agencies: &[BatchAgency],
    column: fn(&str) -> u16,
    f: &Formats,
) -> Result<()> {
    ws.set_name("Totals").map_err(xlsx)?;
    ws.set_column_width(0, 46).map_err(xlsx)?;
    ws.set_column_width(1, 10).map_err(xlsx)?;
    ws.set_column_width(2, 18).map_err(xlsx)?;
    let lines = t.costed + t.rejected;
    // Placements has a line per child row that is not blank, from its row 2.
    let range = |header: &str| {
        let c = column_letters(u32::from(column(header)));
        format!("Placements!${c}$2:${c}${}", lines + 1)
    };
    let net = range("Net fee");
    let mut o = Out { ws, f, lines };
    o.ws.text_with(0, 0, "Totals of the costed rows: live formulas over Placements", &f.title)
        .map_err(xlsx)?;
    o.text(
        1,
        0,
        "Each total is worked out from the Placements sheet, with the value adoptcost worked out as its result. Money in pounds; rejected rows are on Errors.",
    )?;
    let mut r = row_counts(&mut o, 3, t, &net)?;
    o.ws.text_with(r - 1, 0, "Net fees of the costed rows", &f.title).map_err(xlsx)?;
    let (year, agency, provider) = (range("Fee year"), range("Agency code"), range("Provider"));
    let groups: [Group; 3] = [
        ("By fee year", &year, t.by_year.iter().map(|(y, s)| (y.to_string(), *s)).collect()),
        (
            "By agency",
            &agency,
            agencies.iter().zip(&t.by_agency).map(|(a, s)| (a.code.clone(), *s)).collect(),
        ),
        (
            "By provider (the external adopters' agency)",
            &provider,
            [Provider::Vaa, Provider::La]
                .iter()
                .zip(t.by_provider)
                .map(|(p, s)| (p.name().to_string(), s))
                .collect(),
        ),
    ];
    for group in groups {
        r = net_fees(&mut o, r, group, &net)? + 2;
    }
    o.header(r, &["Difference (external − in-house), all costed rows"])?;
    if lines > 0 {
        o.formula(
            r + 1,
            2,
            format!("=SUM({})", range("Difference (external − in-house)")),
            t.difference,
            true,
        )?;
    }
    o.text(r + 1, 0, "Below 0: the external routes cost less in all; above 0: the in-house routes do.")?;
    Ok(())
}

/// The child rows costed, rejected and blank from row `r`, reconciling to the Children sheet's
/// rows; the row after the block and its gap.
fn row_counts(o: &mut Out, r: u32, t: &Totals, net: &str) -> Result<u32> {
    let blank = (t.last_row.saturating_sub(1)).saturating_sub(o.lines);
    o.header(r, &["Child rows", "Rows"])?;
    o.text(r + 1, 0, "costed")?;
    o.count_or_zero(r + 1, 1, format!("=COUNT({net})"), t.costed.into())?;
    o.text(r + 2, 0, "rejected (see Errors)")?;
    o.count_or_zero(r + 2, 1, format!("=ROWS({net})-B{}", r + 2), t.rejected.into())?;
    o.text(r + 3, 0, "blank, between the first and the last row used")?;
    o.number(r + 3, 1, blank.into())?;
    o.text(r + 4, 0, "the Children sheet's rows after its header, to the last used")?;
    o.formula(r + 4, 1, format!("=SUM(B{}:B{})", r + 2, r + 4), (o.lines + blank).into(), false)?;
    Ok(r + 7)
}

/// One block of net fees from row `r`: a row for each name, counted and summed over the rows of
/// Placements whose `key` column holds it, then their total; the block's last row.
fn net_fees(o: &mut Out, mut r: u32, (title, key, list): Group, net: &str) -> Result<u32> {
    o.header(r, &[title, "Rows", "Net fees"])?;
    let first = r + 1;
    for (name, s) in &list {
        r += 1;
        o.text(r, 0, name)?;
        if o.lines > 0 {
            o.formula(r, 1, format!("=COUNTIFS({key},A{})", r + 1), s.rows.into(), false)?;
            o.formula(r, 2, format!("=SUMIFS({net},{key},A{})", r + 1), s.net_fees, true)?;
        } else {
            o.number(r, 1, Decimal::ZERO)?;
            let zero = float_from_decimal(Decimal::ZERO).ok_or_else(too_large)?;
            o.ws.write_number_with_format(r, 2, zero, &o.f.money).map_err(xlsx)?;
        }
    }
    r += 1;
    o.text(r, 0, "total")?;
    let total: Decimal =
        list.iter().try_fold(Decimal::ZERO, |a, (_, s)| a.checked_add(s.net_fees)).ok_or_else(too_large)?;
    let rows: u32 = list.iter().map(|(_, s)| s.rows).sum();
    if r > first {
        o.formula(r, 1, format!("=SUM(B{}:B{})", first + 1, r), rows.into(), false)?;
        o.formula(r, 2, format!("=SUM(C{}:C{})", first + 1, r), total, true)?;
    }
    Ok(r)
}
