//! The input fields, declared once. Each field of an agency, a line, a child or a route that a
//! workbook column, a command-line option or a form field can hold is one [`Field`]: its path,
//! its header and label, what goes there, its kind and unit, the check it must pass, whether the
//! analyses move it, and how to get and set it on its struct. The template and the workbook
//! reader, the validation of ranges, the analyses' list of inputs, the command line's options
//! and the browser's form are all made from these tables ([`super::AGENCY`] and the lines'
//! tables, [`super::CHILD`], [`super::ROUTE`], [`super::FEE_OVERRIDE`]), so a new field is one
//! entry beside its struct.
//!
//! Cross-field rules (shares that sum to 100%, an amount or a rate but not both) stay in the
//! validation code, which names the same paths.

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::money::FinancialYear;
use crate::quantity::Unit;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// A number in a unit: money (any of the pound units), a percentage (the percent figure),
    /// a count, FTE, weeks, months or hours.
    Number(Unit),
    /// A whole number, 0 or more (children, an age).
    Whole,
    /// Yes or no.
    YesNo,
    /// A date, `2025-09-01`.
    Date,
    /// A financial year, `2025/26`.
    Year,
    /// One of a list, by id.
    List(&'static [Choice]),
}

impl Kind {
    /// Reads a value of this kind from text as a person types it (an option, a form): money as
    /// `38500`, `38,500.00` or `£38,500`; a percentage as `50` or `50%`; a date as
    /// `2025-09-01`; a list option by its id. The error says what was expected.
    pub fn parse_text(self, text: &str) -> Result<Value, String> {
        let t = text.trim();
        let problem = || crate::text::number_problem(t);
        match self {
            Kind::Text => Ok(Value::Text(t.to_string())),
            Kind::Number(Unit::Percent) => crate::text::parse_percent(t)
                .map(Value::Number)
                .ok_or_else(|| format!("\"{t}\" is not a percentage; expected one such as 50 or 50%")),
            Kind::Number(u) if u.is_money() => crate::text::parse_decimal(t)
                .map(Value::Number)
                .ok_or_else(|| format!("\"{t}\" {}; expected pounds such as 38500 or 38,500.00", problem())),
            Kind::Number(_) => crate::text::parse_decimal(t)
                .map(Value::Number)
                .ok_or_else(|| format!("\"{t}\" {}; expected one such as 26 or 26.5", problem())),
            Kind::Whole => t
                .parse::<u32>()
                .map(Value::Whole)
                .map_err(|_| format!("\"{t}\" is not a whole number; expected one such as 2")),
            Kind::YesNo => match t.to_ascii_lowercase().as_str() {
                "yes" | "y" | "true" => Ok(Value::Yes(true)),
                "no" | "n" | "false" => Ok(Value::Yes(false)),
                _ => Err(format!("\"{t}\" is not yes or no")),
            },
            Kind::Date => crate::text::parse_date(t)
                .map(Value::Date)
                .ok_or_else(|| format!("\"{t}\" is not a date; expected YYYY-MM-DD, such as 2025-09-01")),
            Kind::Year => FinancialYear::parse(t)
                .map(Value::Year)
                .ok_or_else(|| format!("\"{t}\" is not a financial year; expected one such as 2025/26")),
            Kind::List(choices) => choose(choices, t).map(|id| Value::Text(id.into())).ok_or_else(|| {
                let ids: Vec<&str> = choices.iter().map(|c| c.id).collect();
                let (last, rest) = ids.split_last().map_or(("", &[][..]), |(l, r)| (*l, r));
                format!("\"{t}\" is not one of the options; expected {} or {last}", rest.join(", "))
            }),
        }
    }
}

/// One option of a [`Kind::List`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The id an input gives (`northern_ireland`).
    pub id: &'static str,
    /// What a reader sees (`Northern Ireland`).
    pub name: &'static str,
    /// Other ids it is known by (`council` for `la`).
    pub also: &'static [&'static str],
}

/// The id of the choice a text names: by its id, another id it is known by, or its name, in
/// any case, with spaces or hyphens for underscores.
pub fn choose(choices: &'static [Choice], text: &str) -> Option<&'static str> {
    let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    choices
        .iter()
        .find(|c| {
            c.id == t
                || c.also.contains(&t.as_str())
                || c.name.to_ascii_lowercase().replace([' ', '-'], "_") == t
        })
        .map(|c| c.id)
}

/// A field's value, as read from a cell, an option or a form.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number, exactly (a percentage as the percent figure).
    Number(Decimal),
    /// A whole number.
    Whole(u32),
    /// Yes or no.
    Yes(bool),
    /// Text, or a list option's id.
    Text(String),
    /// A date.
    Date(Date),
    /// A financial year.
    Year(FinancialYear),
}

impl Value {
    /// The number, where it is one (a whole number too).
    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Number(d) => Some(*d),
            Value::Whole(n) => Some(Decimal::from(*n)),
            _ => None,
        }
    }

    /// The whole number, where it is one.
    pub fn whole(&self) -> Option<u32> {
        match self {
            Value::Whole(n) => Some(*n),
            _ => None,
        }
    }

    /// Yes or no, where it is one.
    pub fn yes(&self) -> Option<bool> {
        match self {
            Value::Yes(b) => Some(*b),
            _ => None,
        }
    }

    /// The text, where it is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The date, where it is one.
    pub fn date(&self) -> Option<Date> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// The financial year, where it is one.
    pub fn year(&self) -> Option<FinancialYear> {
        match self {
            Value::Year(y) => Some(*y),
            _ => None,
        }
    }
}

/// A plausible range of a figure the method needs within bounds (the lowest and highest
/// values it may take): a divisor above a small floor, so no quotient overflows; a span of
/// weeks or months within what a placement takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds(pub Decimal, pub Decimal);

/// The range a field's value must be in, checked by validation with the field's place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Check {
    /// Anything its kind can hold.
    Any,
    /// An amount of money: £0 to [`super::MAX_AMOUNT`].
    Amount,
    /// A count of `what`: 0 to [`super::MAX_COUNT`].
    Count(&'static str),
    /// A percentage from 0% to 100%.
    Percent,
    /// A value within [`Bounds`], described as `what`.
    Within(Bounds, &'static str),
    /// A weekly cost of care: £0, or within [`super::checks::WEEKLY`].
    Weekly,
}

/// Whether the analyses (sensitivity, Monte Carlo) move a field.
#[derive(Debug, Clone, Copy)]
pub enum Analysed {
    /// Never: it does not change the routes, or moving it alone breaks a rule.
    No,
    /// Always: its value (given, or the default the comparison used) is moved.
    Always,
    /// Where the input gives it.
    IfGiven,
    /// Where this says so of the scenario.
    When(fn(&super::Scenario) -> bool),
}

/// One input field of a struct `T` (an agency, a staff line, a child, a route).
#[derive(Debug)]
pub struct Field<T: 'static> {
    /// The field's path, as errors, explanations and files name it (`route.weeks_in_house`,
    /// `on_costs.pension_rate`; a line's fields without the line: `salary`).
    pub path: &'static str,
    /// The workbook column's header.
    pub header: &'static str,
    /// What it is, for a form's label and an analysis's rows.
    pub label: &'static str,
    /// What goes there, in what unit: the workbook's input message, the option's help, the
    /// form's hint.
    pub help: &'static str,
    /// What a blank means (`the published average`), where a blank is allowed and means
    /// something; each front door words it ("Blank: …", "Default: …").
    pub blank: Option<&'static str>,
    /// What it holds.
    pub kind: Kind,
    /// True where every row of a workbook and every form must give it.
    pub required: bool,
    /// The range its value must be in.
    pub check: Check,
    /// The command line's option for it (`weeks-in-house` for `--weeks-in-house`), where it
    /// has one.
    pub flag: Option<&'static str>,
    /// Whether the analyses move it.
    pub analysed: Analysed,
    /// The workbook column's width, in whole characters (the workbook writer makes it Excel's
    /// float width).
    pub width: u8,
    /// Its value on a `T`, where it has one.
    pub get: fn(&T) -> Option<Value>,
    /// Sets it on a `T` (a value of another kind is ignored: the readers give each field its
    /// kind).
    pub set: fn(&mut T, &Value),
}

impl<T> Field<T> {
    /// An optional field that no option sets and the analyses do not move, with the column
    /// width its header needs.
    pub const fn new(
        path: &'static str,
        header: &'static str,
        label: &'static str,
        help: &'static str,
        kind: Kind,
        get: fn(&T) -> Option<Value>,
        set: fn(&mut T, &Value),
    ) -> Field<T> {
        Field {
            path,
            header,
            label,
            help,
            blank: None,
            kind,
            required: false,
            check: Check::Any,
            flag: None,
            analysed: Analysed::No,
            width: 10,
            get,
            set,
        }
    }

    /// Required.
    pub const fn required(self) -> Self {
        Field { required: true, ..self }
    }

    /// A blank means `what`.
    pub const fn blank(self, what: &'static str) -> Self {
        Field { blank: Some(what), ..self }
    }

    /// Checked so.
    pub const fn check(self, check: Check) -> Self {
        Field { check, ..self }
    }

    /// Set by the option `--flag`.
    pub const fn flag(self, flag: &'static str) -> Self {
        Field { flag: Some(flag), ..self }
    }

    /// Moved by the analyses so.
    pub const fn analysed(self, analysed: Analysed) -> Self {
        Field { analysed, ..self }
    }

    /// A workbook column this wide.
    pub const fn width(self, width: u8) -> Self {
        Field { width, ..self }
    }

    /// The unit of a number field.
    pub fn unit(&self) -> Option<Unit> {
        match self.kind {
            Kind::Number(u) => Some(u),
            Kind::Whole => Some(Unit::Count),
            _ => None,
        }
    }

    /// The help with what a blank means, as the workbook and the page say it.
    pub fn help_with_blank(&self) -> String {
        match self.blank {
            Some(b) => format!("{} Blank: {b}.", self.help),
            None => self.help.to_string(),
        }
    }
}

/// The nations, as inputs name them.
pub const NATIONS: &[Choice] = &[
    Choice { id: "england", name: "England", also: &[] },
    Choice { id: "wales", name: "Wales", also: &[] },
    Choice { id: "scotland", name: "Scotland", also: &[] },
    Choice { id: "northern_ireland", name: "Northern Ireland", also: &[] },
];

/// The provider types of the external adopters' agency.
pub const PROVIDERS: &[Choice] = &[
    Choice { id: "vaa", name: "Voluntary adoption agency (VAA)", also: &[] },
    Choice { id: "la", name: "Council or RAA", also: &["raa", "la/raa", "council"] },
];

/// The kinds of agency.
pub const KINDS: &[Choice] = &[
    Choice { id: "raa", name: "Regional adoption agency (RAA)", also: &[] },
    Choice { id: "la", name: "Council adoption service", also: &["council"] },
    Choice { id: "vaa", name: "Voluntary adoption agency (VAA)", also: &[] },
];

/// Money as a field value.
pub fn money(m: super::MoneyIn) -> Value {
    Value::Number(m.0)
}
