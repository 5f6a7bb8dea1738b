//! The sheets and columns of the input workbook, made from the input fields
//! ([`crate::input::schema`]): one description used both to write the template (headers,
//! formats, validation, input messages) and to read a filled one, so the two cannot drift. A
//! sheet adds to its fields only what a workbook needs: the agency code that joins the sheets,
//! an overhead line's category, the shares by stage, and notes.
#![allow(clippy::disallowed_types)] // column widths are Excel's own float unit, not money

use std::sync::LazyLock;

use crate::input::schema::{Choice, Field, Kind};
use crate::input::{
    AGENCY, BACK_OFFICE, CHILD, DIRECT, FEE_OVERRIDE, OVERHEAD, PRICE_INDEX, ROUTE, SHARES, STAFF,
};
use crate::reference::rows::REFERENCE_ROW;

/// One column.
#[derive(Debug, Clone)]
pub struct Column {
    /// The header, exactly as the template writes it.
    pub header: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// True where every row must fill it.
    pub required: bool,
    /// The input message shown on the header: what goes there and in what unit.
    pub help: String,
    /// Column width in characters.
    pub width: f64,
}

impl Column {
    fn of<T>(f: &Field<T>) -> Column {
        let help = match f.kind {
            Kind::YesNo => format!("yes or no: {}", f.help_with_blank()),
            _ => f.help_with_blank(),
        };
        Column { header: f.header, kind: f.kind, required: f.required, help, width: f64::from(f.width) }
    }
}

/// One sheet.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Its name.
    pub name: &'static str,
    /// What the sheet is for, for the README sheet.
    pub about: &'static str,
    /// Its columns.
    pub columns: Vec<Column>,
    /// True where a workbook may leave the sheet out (one made before the sheet was added).
    pub optional: bool,
}

impl Sheet {
    /// The zero-based index of a column by header.
    pub fn col(&self, header: &str) -> usize {
        self.columns.iter().position(|c| c.header == header).unwrap_or(usize::MAX)
    }

    /// The column of each field of a table, by its header (`usize::MAX` where the sheet has
    /// none): looked up once for a sheet's rows.
    pub fn layout<T>(&self, fields: &[Field<T>]) -> Vec<usize> {
        fields.iter().map(|f| self.col(f.header)).collect()
    }
}

/// The header of the column that names each row's agency.
pub const CODE: &str = "Agency code";
/// The header of an overhead line's category.
pub const CATEGORY: &str = "Category";
/// The header of the notes column of the sheets whose rows keep no notes.
pub const NOTES: &str = "Notes";
/// The header of a child row's cost centre, for the ledger.
pub const COST_CENTRE: &str = "Cost centre";
/// The header of a child row's budget code, for the ledger.
pub const BUDGET_CODE: &str = "Budget code";
/// Columns a workbook may lack without a note: a blank there means nothing to cost (a workbook
/// made before they were added loses nothing).
pub const QUIET: &[&str] = &[NOTES, COST_CENTRE, BUDGET_CODE, "Published fee"];

/// The overhead categories: the list an overhead line joins.
pub const OVERHEADS: &[Choice] = &[
    Choice { id: "office", name: "Office running", also: &[] },
    Choice { id: "regulation", name: "Regulation", also: &[] },
    Choice { id: "capital", name: "Capital", also: &[] },
];

fn code() -> Column {
    Column {
        header: CODE,
        kind: Kind::Text,
        required: true,
        help: "The agency's code, as on the Agencies sheet.".into(),
        width: 14.0,
    }
}

fn notes() -> Column {
    Column {
        header: NOTES,
        kind: Kind::Text,
        required: false,
        help: "Anything you want to record about this row. Not used in the costing.".into(),
        width: 40.0,
    }
}

/// A child row's cost centre and budget code: carried to the ledger output, never costed.
fn ledger() -> [Column; 2] {
    let text = |header, help: &str| Column {
        header,
        kind: Kind::Text,
        required: false,
        help: help.into(),
        width: 14.0,
    };
    [
        text(
            COST_CENTRE,
            "Optional: the cost centre the placement is charged to, carried to the ledger output (run --format csv).",
        ),
        text(
            BUDGET_CODE,
            "Optional: the budget code the placement is charged to, carried to the ledger output (run --format csv).",
        ),
    ]
}

fn all<T>(fields: &[Field<T>]) -> impl Iterator<Item = Column> + '_ {
    fields.iter().map(Column::of)
}

/// A line sheet: the code, the line's fields but its notes, the shares where it has them, then
/// its notes (each line table ends with them).
fn lines<T>(fields: &[Field<T>], shares: bool, category: bool) -> Vec<Column> {
    let (notes, rest) = fields.split_last().map_or((None, fields), |(n, r)| (Some(n), r));
    let mut c = vec![code()];
    if category {
        c.push(Column {
            header: CATEGORY,
            kind: Kind::List(OVERHEADS),
            required: true,
            help: "office, regulation or capital.".into(),
            width: 11.0,
        });
    }
    c.extend(all(rest));
    if shares {
        c.extend(all(&SHARES));
    }
    c.extend(notes.map(Column::of));
    c
}

fn sheets() -> [Sheet; 9] {
    // The Agencies sheet's code is its join column, required, in place of the field.
    let agencies = std::iter::once(code()).chain(all(&AGENCY[1..])).chain([notes()]).collect();
    let children = all(&CHILD[..1])
        .chain([code()])
        .chain(all(&CHILD[1..]))
        .chain(all(&ROUTE))
        .chain(ledger())
        .chain([notes()]);
    [
        Sheet {
            name: "Agencies",
            about: "One row per agency: who it is, its year, its on-costs and its activity. Each agency's lines are on the Staff, Direct, Overheads and Back office sheets, under its code.",
            columns: agencies,
            optional: false,
        },
        Sheet {
            name: "Staff",
            about: "One row per staff line: a role, its FTE, its salary, and how its time splits across the stages.",
            columns: lines(&STAFF, true, false),
            optional: false,
        },
        Sheet {
            name: "Direct",
            about: "One row per direct non-staff cost: panel fees, medicals, DBS checks, training, recruitment and marketing, family-finding subscriptions, travel, interpreters.",
            columns: lines(&DIRECT, true, false),
            optional: false,
        },
        Sheet {
            name: "Overheads",
            about: "Office running (accommodation, IT and phones, supplies), regulation (Ofsted fees, inspection preparation) and capital (annual equivalent cost of buildings and equipment). Allocated by staff time unless the row gives its own shares.",
            columns: lines(&OVERHEAD, true, true),
            optional: false,
        },
        Sheet {
            name: "Back office",
            about: "Finance, HR, payroll, IT support, legal, procurement, audit, insurance, corporate management: an amount, or a recharge as a percentage of direct cost.",
            columns: lines(&BACK_OFFICE, false, false),
            optional: false,
        },
        Sheet {
            name: "Children",
            about: "One row per child or sibling group to cost against an agency: the in-house route against the external route, with the cost of waiting. Use a reference, never a name.",
            columns: children.collect(),
            optional: false,
        },
        Sheet {
            name: "Fee overrides",
            about: "Fees for schedules and years the reference data does not hold (sibling bands for 2025/26, a year after 2025/26), or to replace its. Used for every child row they match.",
            columns: all(&FEE_OVERRIDE).collect(),
            optional: false,
        },
        Sheet {
            name: "Price index",
            about: "Optional: a price index (one name, a value for each price year used) to restate amounts of other price years (an agency's cost base, a published weekly cost of care) in each child's fee year's prices. Leave it empty to compare them as they are.",
            columns: all(&PRICE_INDEX).collect(),
            optional: true,
        },
        Sheet {
            name: "Reference",
            about: "Optional: published amounts the reference data does not hold yet (a new fee year, a sibling band) or that you put in place of its own, one row per value, with where you read it. Each replaces the shipped values from its first day on, and is cited as yours with its row. `adoptcost fees` lists the ids.",
            columns: all(&REFERENCE_ROW).collect(),
            optional: true,
        },
    ]
}

/// Every input sheet, in workbook order.
pub static INPUT_SHEETS: LazyLock<[Sheet; 9]> = LazyLock::new(sheets);

/// The sheets by name, in workbook order.
pub fn sheet(name: &str) -> &'static Sheet {
    INPUT_SHEETS.iter().find(|s| s.name == name).unwrap_or(&INPUT_SHEETS[0])
}

/// The Agencies sheet.
pub fn agencies() -> &'static Sheet {
    &INPUT_SHEETS[0]
}

/// The Children sheet.
pub fn children() -> &'static Sheet {
    &INPUT_SHEETS[5]
}
