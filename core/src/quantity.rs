//! Values with their units and where they came from: the vocabulary every figure, input and
//! reference value is written in.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{FinancialYear, Money, Percent, format_number, format_pounds};

/// The unit of a value. A fixed list, shared with the reference data files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Pounds sterling.
    Gbp,
    /// Pounds a week.
    GbpPerWeek,
    /// Pounds a month.
    GbpPerMonth,
    /// Pounds a year.
    GbpPerYear,
    /// Pounds an hour.
    GbpPerHour,
    /// Pounds per full-time equivalent.
    GbpPerFte,
    /// A percentage, held as the percent figure (15 means 15%).
    Percent,
    /// Full-time equivalents.
    Fte,
    /// A count (approvals, children, months).
    Count,
    /// Weeks.
    Weeks,
    /// Days.
    Days,
    /// Months.
    Months,
    /// Hours a year.
    HoursPerYear,
    /// A plain ratio (for example full cost to salary).
    Ratio,
    /// A value of a price index.
    Index,
    /// A date, held as the number YYYYMMDD (20251015), shown as 2025-10-15.
    Date,
    /// A fee year (1 April to 31 March), held as the calendar year it starts in, shown as
    /// 2025/26.
    FeeYear,
}

impl Unit {
    /// True for money units.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Unit::Gbp
                | Unit::GbpPerWeek
                | Unit::GbpPerMonth
                | Unit::GbpPerYear
                | Unit::GbpPerHour
                | Unit::GbpPerFte
        )
    }

    /// The words shown after a value (`a week`, `FTE`), empty for plain pounds.
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Gbp | Unit::Percent | Unit::Ratio | Unit::Index | Unit::Date | Unit::FeeYear => "",
            Unit::GbpPerWeek => " a week",
            Unit::GbpPerMonth => " a month",
            Unit::GbpPerYear => " a year",
            Unit::GbpPerHour => " an hour",
            Unit::GbpPerFte => " per FTE",
            Unit::Fte => " FTE",
            Unit::Count => "",
            Unit::Weeks => " weeks",
            Unit::Days => " days",
            Unit::Months => " months",
            Unit::HoursPerYear => " hours a year",
        }
    }
}

/// A value with its unit and, for money, the price year it is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The exact value (serialised as a string, so no precision is lost).
    pub value: Decimal,
    /// Its unit.
    pub unit: Unit,
    /// For money: the financial year whose prices it is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_year: Option<FinancialYear>,
}

impl Quantity {
    /// A money amount in a price year.
    pub fn money(amount: Money, unit: Unit, price_year: Option<FinancialYear>) -> Quantity {
        Quantity { value: amount.amount(), unit, price_year }
    }

    /// A non-money value.
    pub fn plain(value: Decimal, unit: Unit) -> Quantity {
        Quantity { value, unit, price_year: None }
    }

    /// A percentage.
    pub fn percent(p: Percent) -> Quantity {
        Quantity::plain(p.0, Unit::Percent)
    }

    /// The value as people read it in workings: money to the penny, percentages to two decimals,
    /// other numbers to at most four decimals.
    pub fn display(&self) -> String {
        let body = if self.unit.is_money() {
            Money(self.value).display_pence()
        } else {
            match self.unit {
                Unit::Percent => format!("{}%", format_number(self.value, 4)),
                Unit::Ratio => format!("{}×", format_number(self.value, 4)),
                Unit::Date | Unit::FeeYear => self.calendar(),
                _ => format_number(self.value, 4),
            }
        };
        format!("{body}{}", self.unit.suffix())
    }

    /// A date (YYYYMMDD) as 2025-10-15, or a fee year as 2025/26.
    fn calendar(&self) -> String {
        let n = self.value.trunc().to_string().parse::<i64>().unwrap_or_default();
        match self.unit {
            Unit::FeeYear => FinancialYear(i16::try_from(n).unwrap_or_default()).to_string(),
            _ => format!("{:04}-{:02}-{:02}", n / 10_000, n / 100 % 100, n % 100),
        }
    }

    /// A date as a quantity (YYYYMMDD).
    pub fn date(d: Date) -> Quantity {
        let n = i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day());
        Quantity::plain(Decimal::from(n), Unit::Date)
    }

    /// The exact value, every digit, with its unit (`£0.000000000000000000000000001`): for
    /// messages about values too extreme to round.
    pub fn display_exact(&self) -> String {
        let v = self.value.normalize();
        match self.unit {
            u if u.is_money() => {
                let sign = if v.is_sign_negative() { "−" } else { "" };
                format!("{sign}£{}{}", v.abs(), u.suffix())
            }
            Unit::Percent => format!("{v}%"),
            Unit::Date | Unit::FeeYear => self.calendar(),
            u => format!("{v}{}", u.suffix()),
        }
    }

    /// The value rounded as people read it in a summary: money to the pound, weeks, months and
    /// percentages to one decimal, other numbers to at most two (the workings keep more:
    /// [`Quantity::display`]).
    pub fn display_summary(&self) -> String {
        let (v, suffix) = (self.value, self.unit.suffix());
        match self.unit {
            u if u.is_money() => format!("{}{suffix}", format_pounds(Money(v).round_pounds(), 0)),
            Unit::Weeks | Unit::Months => format!("{}{suffix}", format_number(v, 1)),
            Unit::Percent => format!("{}%", format_number(v, 1)),
            Unit::Ratio => format!("{}×", format_number(v, 2)),
            Unit::Date | Unit::FeeYear => self.calendar(),
            _ => format!("{}{suffix}", format_number(v, 2)),
        }
    }
}

/// How sure we are of a reference figure (REFERENCE.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// Seen in the named source in so many words.
    Confirmed,
    /// Follows from confirmed sources; the reasoning is given in the note.
    Inferred,
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Grade::Confirmed => "confirmed",
            Grade::Inferred => "inferred",
        })
    }
}

/// A published source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The title as a reader would look it up.
    pub title: String,
    /// Where it was published, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// The user's own input: a field of an agency or scenario file, a cell of a workbook, a form
    /// field or a command-line option.
    Input {
        /// The field's path in the input (`staff[3].salary`).
        field: String,
        /// Where the user can find it (`Staff!D7`, `--fee`, `agency file acme.toml`).
        location: String,
        /// The note the user wrote on the line or row the input is on, where there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A published reference figure shipped with adoptcost.
    Reference {
        /// The parameter's id (`fee.england.vaa.1`).
        parameter: String,
        /// The first day the value holds.
        #[serde(with = "crate::text::date")]
        from: Date,
        /// The last day the value holds, where the source says so.
        #[serde(with = "crate::text::opt_date", default, skip_serializing_if = "Option::is_none")]
        until: Option<Date>,
        /// The published source.
        source: Source,
        /// How sure the figure is.
        grade: Grade,
        /// The reasoning for an inferred figure, or a caveat.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// The last day the source confirmed the value, where it is used after that day: the
        /// source says it continues, but has not said so for the date it is used on.
        #[serde(with = "crate::text::opt_date", default, skip_serializing_if = "Option::is_none")]
        last_confirmed: Option<Date>,
    },
    /// Another figure of the same run.
    Figure {
        /// The other figure's id.
        id: String,
    },
    /// A part of another value: one line's share of a stage (a part of the line's cost), or a
    /// share worked out from a figure. Its value is the part's, not the whole's.
    PartOf {
        /// What it is a part of.
        of: Box<Origin>,
    },
    /// A default of the method itself, used because the input left it out.
    Default {
        /// Why this default (COSTING.md section or the project's documented decision).
        reason: String,
    },
}

/// How long a reference value holds, in the words of a table's Until column: its last day, or
/// "continues; last confirmed for 2025/26" for a value its source says continues, or "next
/// change".
pub fn until_words(until: Option<Date>, confirmed: Option<Date>) -> String {
    match (until, confirmed) {
        (Some(u), _) => u.to_string(),
        (None, Some(c)) => format!("continues; last confirmed for {}", FinancialYear::of(c)),
        (None, None) => "next change".into(),
    }
}

impl Origin {
    /// A short description for tables: `input staff[3].salary (agency file)`,
    /// `reference fee.england.vaa.1, from 2025-04-01, confirmed: CoramBAAF …`.
    pub fn describe(&self) -> String {
        match self {
            Origin::Input { field, location, note: None } => format!("input {field} ({location})"),
            Origin::Input { field, location, note: Some(n) } => {
                format!("input {field} ({location}; your note: {n})")
            }
            Origin::Reference { parameter, from, until, source, grade, last_confirmed, .. } => {
                let span = match until {
                    Some(u) => format!("{from} to {u}"),
                    None => format!("from {from}"),
                };
                let confirmed = last_confirmed
                    .map(|d| format!(", last confirmed for {}", FinancialYear::of(d)))
                    .unwrap_or_default();
                format!("reference {parameter}, {span}{confirmed}, {grade}: {}", source.title)
            }
            Origin::Figure { id } => format!("figure {id}"),
            Origin::PartOf { of } => format!("part of {}", of.describe()),
            Origin::Default { reason } => format!("default: {reason}"),
        }
    }
}
