//! Reading a filled input workbook (the template's sheets) from its bytes.
//!
//! A workbook that cannot be read at all (not a spreadsheet, a sheet or header missing) is an
//! [`Error::Workbook`]. Otherwise every problem with a cell becomes a [`CellError`] naming the
//! sheet and the cell in A1 notation, and the rest is read: an agency with a bad line is left
//! out (its children are rejected, naming why), a bad child row is left out alone.

use std::collections::BTreeMap;
use std::sync::Arc;

use calamine::Data;
use rust_decimal::Decimal;

use super::cell;
use super::grid::Grid;
pub use super::open::Limits;
use super::schema::{self, Kind};
pub use crate::batch::{AgencyRow, CellError, ChildRow, Input as InputWorkbook, UncostedRow, quote_sheet};
use crate::error::{Error, Result};
use crate::input::{
    Activity, Agency, AgencyKind, AgencyOverrides, BackOfficeLine, Child, ContributionIn, DirectLine,
    FeeOverride, MoneyIn, Nation, OnCosts, OverheadLine, Provenance, Provider, Route, Shares, SheetColumns,
    SheetRow, StaffLine,
};
use crate::money::FinancialYear;

/// A cell's position (zero-based row and column), written in A1 notation only when needed.
#[derive(Debug, Clone, Copy)]
struct At(u32, u32);

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&cell::a1(self.0, self.1))
    }
}

/// Reads one row's cells, collecting every problem.
struct Row<'g> {
    grid: &'g Grid,
    row: u32,
    errors: Vec<CellError>,
    /// Where each field read was found; not kept where the sheet's rows share a column map.
    fields: BTreeMap<String, String>,
    record: bool,
}

impl<'g> Row<'g> {
    fn new(grid: &'g Grid, row: u32) -> Self {
        Row { grid, row, errors: Vec::new(), fields: BTreeMap::new(), record: true }
    }

    fn bad(&mut self, at: At, found: String, expected: impl Into<String>) {
        self.errors.push(CellError {
            sheet: self.grid.sheet.name.into(),
            cell: at.to_string(),
            found,
            expected: expected.into(),
        });
    }

    /// The raw cell of a column, with its A1 address; records the field's location.
    fn raw(&mut self, header: &str, field: &str) -> Option<(&'g Data, At)> {
        let grid = self.grid;
        let i = grid.sheet.col(header);
        let col = grid.sheet.columns.get(i)?;
        let (data, c) = grid.get(self.row, i);
        let at = At(self.row, c?);
        if self.record && !field.is_empty() {
            self.fields.insert(field.into(), format!("{}!{at}", quote_sheet(grid.sheet.name)));
        }
        match data {
            Data::Empty => {
                if col.required {
                    self.bad(at, "an empty cell".into(), format!("{} ({})", col.header, col.help));
                }
                None
            }
            Data::String(s) if s.trim().is_empty() => {
                if col.required {
                    self.bad(at, "an empty cell".into(), format!("{} ({})", col.header, col.help));
                }
                None
            }
            Data::Error(e) => {
                self.bad(
                    at,
                    format!("the formula error {e}"),
                    format!("{}: a value, not an error; check the formula", col.header),
                );
                None
            }
            d if Grid::is_uncached_formula(d) => {
                self.bad(
                    at,
                    "a formula whose result was not saved with the file".into(),
                    format!("{}: a value; open the workbook in Excel or LibreOffice and save it, so its formulas are worked out", col.header),
                );
                None
            }
            d => Some((d, at)),
        }
    }

    fn text(&mut self, header: &str, field: &str) -> Option<String> {
        let (d, at) = self.raw(header, field)?;
        let t = cell::text(d)?;
        let chars = t.chars().count();
        if chars > cell::MAX_CELL_CHARS {
            self.bad(
                at,
                format!("text of {chars} characters"),
                format!("{header}: at most 32,767 characters (Excel's limit for a cell)"),
            );
            return None;
        }
        Some(t)
    }

    fn decimal(&mut self, header: &str, field: &str) -> Option<Decimal> {
        let (d, at) = self.raw(header, field)?;
        let kind = self.grid.sheet.columns[self.grid.sheet.col(header)].kind;
        let (v, expected) = match kind {
            Kind::Percent => (cell::percent(d), "a percentage such as 40%"),
            Kind::Money => (cell::number(d), "an amount in pounds such as 38500 or £38,500.00"),
            _ => (cell::number(d), "a number such as 12 or 12.5"),
        };
        match v {
            Some(v) if kind == Kind::Percent && (v < Decimal::ZERO || v > Decimal::ONE_HUNDRED) => {
                self.bad(
                    at,
                    format!("{} is {}%", cell::describe(d), v.normalize()),
                    "a percentage from 0% to 100% (type 40% or 0.4 for forty percent)",
                );
                None
            }
            Some(v) if v.is_sign_negative() && !v.is_zero() => {
                self.bad(
                    at,
                    format!("{} is negative", cell::describe(d)),
                    format!("{header}: {expected}, 0 or more"),
                );
                None
            }
            Some(v) => Some(v),
            None if kind == Kind::Percent && cell::number(d).is_some() => {
                self.bad(
                    at,
                    format!("{} is far above 100%", cell::describe(d)),
                    "a percentage from 0% to 100% (type 40% or 0.4 for forty percent)",
                );
                None
            }
            None => {
                self.bad(at, cell::not_a_number(d), format!("{header}: {expected}"));
                None
            }
        }
    }

    fn whole(&mut self, header: &str, field: &str) -> Option<u32> {
        let (d, at) = self.raw(header, field)?;
        let v = cell::number(d);
        match v.and_then(|v| v.normalize().to_string().parse::<u32>().ok()) {
            Some(n) => Some(n),
            None => {
                self.bad(at, cell::describe(d), format!("{header}: a whole number, 0 or more"));
                None
            }
        }
    }

    fn yes_no(&mut self, header: &str, field: &str) -> Option<bool> {
        let (d, at) = self.raw(header, field)?;
        let v = cell::yes_no(d);
        if v.is_none() {
            self.bad(at, cell::describe(d), format!("{header}: yes or no"));
        }
        v
    }

    fn date(&mut self, header: &str, field: &str) -> Option<jiff::civil::Date> {
        let (d, at) = self.raw(header, field)?;
        let v = cell::date(d);
        if v.is_none() {
            self.bad(
                at,
                format!("{} is not a date", cell::describe(d)),
                format!("{header}: a date such as 2025-09-01"),
            );
        }
        v
    }

    fn year(&mut self, header: &str, field: &str) -> Option<FinancialYear> {
        let (d, at) = self.raw(header, field)?;
        let v = cell::text(d).and_then(|t| FinancialYear::parse(&t));
        if v.is_none() {
            self.bad(
                at,
                format!("{} is not a financial year", cell::describe(d)),
                format!("{header}: a financial year such as 2025/26"),
            );
        }
        v
    }

    fn choice<T>(&mut self, header: &str, field: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let (d, at) = self.raw(header, field)?;
        let t = cell::text(d).unwrap_or_default();
        let v = parse(&t);
        if v.is_none() {
            let options = match self.grid.sheet.columns[self.grid.sheet.col(header)].kind {
                Kind::List(l) => l.join(", "),
                _ => String::new(),
            };
            self.bad(at, format!("\"{t}\""), format!("{header}: one of {options}"));
        }
        v
    }

    fn shares(&mut self, prefix: &str) -> Option<Shares> {
        let a = self.decimal("Share A", &format!("{prefix}.shares.a"));
        let b = self.decimal("Share B", &format!("{prefix}.shares.b"));
        let c = self.decimal("Share C", &format!("{prefix}.shares.c"));
        let o = self.decimal("Share other", &format!("{prefix}.shares.other"));
        if a.is_none() && b.is_none() && c.is_none() && o.is_none() {
            return None;
        }
        Some(Shares {
            a: a.unwrap_or_default(),
            b: b.unwrap_or_default(),
            c: c.unwrap_or_default(),
            other: o.unwrap_or_default(),
        })
    }
}

fn parse_kind(t: &str) -> Option<AgencyKind> {
    match t.trim().to_ascii_lowercase().as_str() {
        "raa" => Some(AgencyKind::Raa),
        "la" | "council" => Some(AgencyKind::La),
        "vaa" => Some(AgencyKind::Vaa),
        _ => None,
    }
}

/// Reads an input workbook from its bytes (.xlsx, .xlsm, .xls or .ods).
pub fn read(bytes: &[u8]) -> Result<InputWorkbook> {
    Ok(parse(bytes)?.read())
}

/// An input workbook whose sheets are parsed and whose headers are checked, its cells not yet
/// read into rows: enough to know how many child rows it has (see [`parse`]).
#[derive(Debug)]
pub struct Parsed {
    grids: [Grid; 7],
}

/// Parses an input workbook's bytes (.xlsx, .xlsm, .xls or .ods) within the default
/// [`Limits`]: the half of [`read`] that can fail. The other half, [`Parsed::read`], cannot: a
/// bad cell is an error in what it returns. Knowing the child rows between the two lets a
/// costed workbook be started while they are read.
pub fn parse(bytes: &[u8]) -> Result<Parsed> {
    parse_within(bytes, &Limits::default())
}

/// [`parse`] within the given limits.
pub fn parse_within(bytes: &[u8], limits: &Limits) -> Result<Parsed> {
    let mut book = super::open::open(bytes, limits)?;
    let mut budget = super::grid::Budget::default();
    let grids: Vec<Grid> = schema::INPUT_SHEETS
        .iter()
        .map(|s| super::grid::read(&mut book, s, limits, &mut budget))
        .collect::<Result<_>>()?;
    let grids = <[Grid; 7]>::try_from(grids).map_err(|_| Error::internal("the input sheets' count"))?;
    Ok(Parsed { grids })
}

impl Parsed {
    /// The child rows, read or not: the Children sheet's rows after its header that are not
    /// blank (as [`InputWorkbook::child_rows`] will be).
    pub fn child_rows(&self) -> usize {
        let children = self.grids.iter().find(|g| g.sheet.name == schema::CHILDREN.name);
        children.map_or(0, |g| g.rows().count())
    }

    /// Reads the parsed sheets' cells into agencies and rows, each bad cell an error listed in
    /// what is returned.
    pub fn read(self) -> InputWorkbook {
        read_grids(self.grids)
    }
}

fn read_grids(grids: [Grid; 7]) -> InputWorkbook {
    let [agencies_g, staff_g, direct_g, overheads_g, back_g, children_g, fees_g] = grids;
    let mut out = InputWorkbook::default();
    // Agencies.
    let mut by_code: BTreeMap<String, (Agency, bool)> = BTreeMap::new();
    let mut order: Vec<(String, u32)> = Vec::new();
    for r in agencies_g.rows() {
        let mut row = Row::new(&agencies_g, r);
        let code = row.text("Agency code", "code");
        let name = row.text("Name", "name");
        let kind = row.choice("Kind", "kind", parse_kind);
        let nation = row.choice("Nation", "nation", Nation::parse);
        let london = row.yes_no("London", "london");
        let price_year = row.year("Price year", "price_year");
        let hours = row.decimal("Productive hours", "productive_hours");
        let pension = row.decimal("Pension rate", "on_costs.pension_rate");
        let levy = row.yes_no("Apprenticeship levy", "on_costs.apprenticeship_levy");
        let ni_rate = row.decimal("NI rate", "on_costs.ni_rate");
        let ni_threshold = row.decimal("NI threshold", "on_costs.ni_threshold");
        let levy_rate = row.decimal("Levy rate", "on_costs.levy_rate");
        let approvals = row.decimal("Approvals", "activity.approvals");
        let matches_own = row.decimal("Matches own", "activity.matches_own");
        let sales = row.decimal("Sales", "activity.sales");
        let supported = row.decimal("Supported placements", "activity.supported_placements");
        let placed = row.decimal("Children placed", "activity.children_placed");
        let utilisation = row.decimal("Utilisation", "activity.utilisation");
        let income = row.decimal("Fee income per sale", "activity.fee_income_per_sale");
        let illustrative = row.yes_no("Illustrative", "illustrative");
        let _ = row.text("Notes", "");
        let Some(code) = code else {
            out.errors.append(&mut row.errors);
            continue;
        };
        if by_code.contains_key(&code) {
            let (_, c) = agencies_g.get(r, agencies_g.sheet.col("Agency code"));
            row.bad(At(r, c.unwrap_or(0)), format!("\"{code}\" again"), "a code used by only one agency");
            out.errors.append(&mut row.errors);
            continue;
        }
        let ok = row.errors.is_empty();
        let fields = std::mem::take(&mut row.fields);
        out.errors.append(&mut row.errors);
        let agency = Agency {
            name: name.unwrap_or_default(),
            code: code.clone(),
            kind: kind.unwrap_or(AgencyKind::Raa),
            nation: nation.unwrap_or(Nation::England),
            london: london.unwrap_or(false),
            price_year: price_year.unwrap_or(FinancialYear(2025)),
            productive_hours: hours.unwrap_or_default(),
            illustrative: illustrative.unwrap_or(false),
            on_costs: OnCosts {
                pension_rate: pension.unwrap_or_default(),
                apprenticeship_levy: levy.unwrap_or(false),
                ni_rate,
                ni_threshold: ni_threshold.map(MoneyIn),
                levy_rate,
                ni_date: None,
            },
            staff: Vec::new(),
            direct: Vec::new(),
            office: Vec::new(),
            regulation: Vec::new(),
            back_office: Vec::new(),
            capital: Vec::new(),
            activity: Activity {
                approvals: approvals.unwrap_or_default(),
                matches_own: matches_own.unwrap_or_default(),
                sales: sales.unwrap_or_default(),
                supported_placements: supported,
                children_placed: placed,
                utilisation,
                fee_income_per_sale: income.map(MoneyIn),
            },
            overrides: AgencyOverrides::default(),
            provenance: Provenance {
                source: format!("workbook sheet Agencies, row {}", r + 1),
                fields,
                row: None,
            },
        };
        order.push((code.clone(), r + 1));
        by_code.insert(code, (agency, ok));
    }

    // The agencies' lines: each row attaches to its agency by code.
    type Attach<'f> = Box<dyn FnMut(&mut Row, &mut Agency) -> bool + 'f>;
    let mut line_rows = |grid: &Grid, mut attach: Attach<'_>, errors: &mut Vec<CellError>| {
        for r in grid.rows() {
            let mut row = Row::new(grid, r);
            let code = row.text("Agency code", "");
            match code.and_then(|c| by_code.get_mut(&c).map(|e| (c, e))) {
                Some((_, (agency, ok))) => {
                    let added = attach(&mut row, agency);
                    if !row.errors.is_empty() || !added {
                        *ok = false;
                    }
                    agency.provenance.fields.append(&mut row.fields);
                }
                None => {
                    let (d, c) = grid.get(r, 0);
                    if !matches!(d, Data::Empty) {
                        row.bad(
                            At(r, c.unwrap_or(0)),
                            cell::describe(d),
                            "the code of an agency on the Agencies sheet",
                        );
                    }
                }
            }
            errors.append(&mut row.errors);
        }
    };
    let mut errors = Vec::new();
    line_rows(
        &staff_g,
        Box::new(|row, a| {
            let n = a.staff.len() + 1;
            let p = format!("staff[{n}]");
            let role = row.text("Role", &format!("{p}.role"));
            let fte = row.decimal("FTE", &format!("{p}.fte"));
            let salary = row.decimal("Salary", &format!("{p}.salary"));
            let shares = row.shares(&p);
            let notes = row.text("Notes", "").unwrap_or_default();
            match (role, fte, salary) {
                (Some(role), Some(fte), Some(salary)) => {
                    a.staff.push(StaffLine {
                        role,
                        fte,
                        salary: MoneyIn(salary),
                        shares: shares.unwrap_or(ZERO_SHARES),
                        notes,
                    });
                    true
                }
                _ => false,
            }
        }),
        &mut errors,
    );
    line_rows(
        &direct_g,
        Box::new(|row, a| {
            let p = format!("direct[{}]", a.direct.len() + 1);
            let label = row.text("Label", &format!("{p}.label"));
            let amount = row.decimal("Amount", &format!("{p}.amount"));
            let variable = row.yes_no("Variable", &format!("{p}.variable"));
            let shares = row.shares(&p);
            let notes = row.text("Notes", "").unwrap_or_default();
            match (label, amount, variable) {
                (Some(label), Some(amount), Some(variable)) => {
                    a.direct.push(DirectLine {
                        label,
                        amount: MoneyIn(amount),
                        variable,
                        shares: shares.unwrap_or(ZERO_SHARES),
                        notes,
                    });
                    true
                }
                _ => false,
            }
        }),
        &mut errors,
    );
    line_rows(
        &overheads_g,
        Box::new(|row, a| {
            let category = row.choice("Category", "", |t| {
                schema::OVERHEADS.iter().find(|o| o.eq_ignore_ascii_case(t.trim())).copied()
            });
            let Some(category) = category else { return false };
            let n = match category {
                "office" => a.office.len(),
                "regulation" => a.regulation.len(),
                _ => a.capital.len(),
            } + 1;
            let p = format!("{category}[{n}]");
            let label = row.text("Label", &format!("{p}.label"));
            let amount = row.decimal("Amount", &format!("{p}.amount"));
            let per_fte = row.decimal("Per FTE", &format!("{p}.per_fte"));
            let shares = row.shares(&p);
            let notes = row.text("Notes", "").unwrap_or_default();
            let Some(label) = label else { return false };
            let line = OverheadLine {
                label,
                amount: amount.map(MoneyIn),
                per_fte: per_fte.map(MoneyIn),
                shares,
                notes,
            };
            match category {
                "office" => a.office.push(line),
                "regulation" => a.regulation.push(line),
                _ => a.capital.push(line),
            }
            true
        }),
        &mut errors,
    );
    line_rows(
        &back_g,
        Box::new(|row, a| {
            let p = format!("back_office[{}]", a.back_office.len() + 1);
            let label = row.text("Label", &format!("{p}.label"));
            let amount = row.decimal("Amount", &format!("{p}.amount"));
            let recharge = row.decimal("Recharge", &format!("{p}.recharge"));
            let notes = row.text("Notes", "").unwrap_or_default();
            let Some(label) = label else { return false };
            a.back_office.push(BackOfficeLine { label, amount: amount.map(MoneyIn), recharge, notes });
            true
        }),
        &mut errors,
    );
    out.errors.append(&mut errors);
    for (code, row) in order {
        let agency = by_code.remove(&code).and_then(|(a, ok)| ok.then_some(a));
        out.agencies.push(AgencyRow { code, row, agency });
    }

    // Fee overrides.
    for r in fees_g.rows() {
        let mut row = Row::new(&fees_g, r);
        let nation = row.choice("Nation", "", Nation::parse);
        let provider = row.choice("Provider", "", Provider::parse);
        let children = row.whole("Children", "children");
        let year = row.year("Fee year", "");
        let amount = row.decimal("Amount", "amount");
        let notes = row.text("Notes", "").unwrap_or_default();
        if let (Some(nation), Some(provider), Some(children), Some(year), Some(amount)) =
            (nation, provider, children, year, amount)
        {
            let location = row.fields.get("amount").cloned().unwrap_or_default();
            out.fee_overrides.push(FeeOverride {
                nation,
                provider,
                children,
                year,
                amount: MoneyIn(amount),
                notes,
                location,
            });
        }
        out.errors.append(&mut row.errors);
    }

    // Children.
    let mut shared: Option<Arc<SheetColumns>> = None;
    for r in children_g.rows() {
        out.child_rows += 1;
        // The first row read notes which column holds which field; every row shares that map.
        let mut row = Row { record: shared.is_none(), ..Row::new(&children_g, r) };
        let reference = row.text("Reference", "child.reference");
        let code = row.text("Agency code", "");
        let children = row.whole("Children", "child.children");
        let age = row.whole("Age", "child.age");
        let disabled = row.yes_no("Disabled", "child.disabled");
        let minority = row.yes_no("Minority ethnic", "child.minority_ethnic");
        let waiting = row.yes_no("Waiting over 18 months", "child.waiting_over_18_months");
        let weekly = row.decimal("Weekly care cost", "child.weekly_care_cost");
        let group_weekly = row.decimal("Group weekly care cost", "child.group_weekly_care_cost");
        let provider = row.choice("Provider", "route.provider", Provider::parse);
        let nation = row.choice("Nation", "route.nation", Nation::parse);
        let london = row.yes_no("London", "route.london");
        let date = row.date("Placement date", "route.placement_date");
        let w_in = row.decimal("Weeks in-house", "route.weeks_in_house");
        let w_ext = row.decimal("Weeks external", "route.weeks_external");
        let search = row.decimal("Search weeks", "route.search_weeks");
        let p = row.decimal("Success probability", "route.success_probability");
        let common = row.decimal("Common costs", "route.common_costs");
        let fee = row.decimal("Fee", "route.fee");
        let monthly = row.decimal("Monthly fee", "route.monthly_fee");
        let months = row.decimal("Months beyond 12", "route.months_beyond_12");
        let c_share = row.decimal("Contribution share", "route.contribution.share");
        let c_amount = row.decimal("Contribution amount", "route.contribution.amount");
        let _ = row.text("Notes", "");
        if let Some(code) = &code
            && !by_code_known(&out.agencies, code)
        {
            let (d, c) = children_g.get(r, children_g.sheet.col("Agency code"));
            row.bad(At(r, c.unwrap_or(0)), cell::describe(d), "the code of an agency on the Agencies sheet");
        }
        let columns = shared
            .get_or_insert_with(|| {
                let columns = row
                    .fields
                    .iter()
                    .filter_map(|(field, at)| {
                        let cell = at.rsplit_once('!')?.1;
                        Some((field.clone(), cell.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()))
                    })
                    .collect();
                Arc::new(SheetColumns { sheet: quote_sheet(children_g.sheet.name), columns })
            })
            .clone();
        // Both are required columns, so a row without either has an error for it already.
        if let (true, Some(code), Some(children)) = (row.errors.is_empty(), &code, children) {
            let code = code.clone();

            let contribution = match (c_share, c_amount) {
                (None, None) => None,
                (share, amount) => Some(ContributionIn { share, amount: amount.map(MoneyIn) }),
            };
            out.children.push(ChildRow {
                row: r + 1,
                agency_code: code,
                child: Child {
                    reference: reference.unwrap_or_default(),
                    children,
                    age,
                    disabled: disabled.unwrap_or(false),
                    minority_ethnic: minority.unwrap_or(false),
                    waiting_over_18_months: waiting.unwrap_or(false),
                    weekly_care_cost: weekly.map(MoneyIn),
                    group_weekly_care_cost: group_weekly.map(MoneyIn),
                },
                route: Route {
                    provider,
                    nation,
                    london: london.unwrap_or(false),
                    placement_date: date,
                    weeks_in_house: w_in,
                    weeks_external: w_ext,
                    search_weeks: search,
                    success_probability: p,
                    common_costs: common.map(MoneyIn),
                    fee: fee.map(MoneyIn),
                    monthly_fee: monthly.map(MoneyIn),
                    months_beyond_12: months,
                    contribution,
                },
                provenance: Provenance {
                    source: format!("workbook sheet Children, row {}", r + 1),
                    fields: BTreeMap::new(),
                    row: Some(SheetRow { columns, row: r + 1 }),
                },
            });
            continue;
        }
        out.unread.push(UncostedRow {
            row: r + 1,
            reference: reference.unwrap_or_default(),
            agency_code: code.unwrap_or_default(),
            cells: row.errors.iter().map(|e| format!("{}!{}", quote_sheet(&e.sheet), e.cell)).collect(),
        });
        out.errors.append(&mut row.errors);
    }
    out
}

fn by_code_known(agencies: &[AgencyRow], code: &str) -> bool {
    agencies.iter().any(|a| a.code == code)
}

const ZERO_SHARES: Shares =
    Shares { a: Decimal::ZERO, b: Decimal::ZERO, c: Decimal::ZERO, other: Decimal::ZERO };
