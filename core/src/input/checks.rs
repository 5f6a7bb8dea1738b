//! The range checks of input values, and the notes on values that read two ways: each names
//! the field's place (its path, and its cell or option where known) and what was expected.

use std::fmt::Display;

use rust_decimal::Decimal;

use super::schema::{Bounds, Check, Field, Value};
use super::{MAX_AMOUNT, MAX_COUNT, Provenance, Shares};
use crate::error::{Error, Result};
use crate::money::Money;
use crate::quantity::Unit;

/// Text made only when shown: where a checked field is, written out only if it fails (most
/// rows of a batch pass every check).
pub(crate) struct Lazy<F>(pub(crate) F);

impl<F: Fn() -> String> Display for Lazy<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&(self.0)())
    }
}

pub(crate) fn amount(field: impl Display, v: Decimal) -> Result<()> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(Error::invalid(
            field.to_string(),
            format!("{} is negative", Money(v)),
            "an amount of £0 or more",
        ));
    }
    if v > MAX_AMOUNT {
        return Err(Error::invalid(
            field.to_string(),
            format!("{} is too large", Money(v)),
            "an amount up to £10,000,000,000",
        ));
    }
    Ok(())
}

pub(crate) fn count(field: impl Display, v: Decimal, what: &str) -> Result<()> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(Error::invalid(
            field.to_string(),
            // The minus sign money is shown with, so a form's messages read alike.
            format!("{} is negative", v.normalize().to_string().replacen('-', "−", 1)),
            format!("{what}: 0 or more"),
        ));
    }
    if v > MAX_COUNT {
        return Err(Error::invalid(
            field.to_string(),
            format!("{} is too large", v.normalize()),
            format!("{what}: up to 10,000,000"),
        ));
    }
    Ok(())
}

/// Approvals, matches and supported placements: at least a hundredth (they divide a cost).
pub const DIVISOR: Bounds = Bounds(Decimal::from_parts(1, 0, 0, false, 2), MAX_COUNT);
/// Productive hours a year per FTE: at least 1, at most the hours of a leap year.
pub const HOURS: Bounds = Bounds(Decimal::ONE, Decimal::from_parts(8_784, 0, 0, false, 0));
/// Expected weeks: up to ten years.
pub const WEEKS: Bounds = Bounds(Decimal::ZERO, Decimal::from_parts(520, 0, 0, false, 0));
/// Expected months beyond 12 without an order: up to ten years.
pub const MONTHS: Bounds = Bounds(Decimal::ZERO, Decimal::from_parts(120, 0, 0, false, 0));
/// Children in a sibling group.
pub const GROUP: Bounds = Bounds(Decimal::ONE, Decimal::from_parts(20, 0, 0, false, 0));
/// A child's age in years.
pub const AGE: Bounds = Bounds(Decimal::ZERO, Decimal::from_parts(18, 0, 0, false, 0));
/// Utilisation, in percent: at least 1% (it divides a cost).
pub const UTILISATION: Bounds = Bounds(Decimal::ONE, Decimal::ONE_HUNDRED);
/// A price index's value: above nothing and below a million (it divides an amount).
pub const INDEX: Bounds =
    Bounds(Decimal::from_parts(1, 0, 0, false, 4), Decimal::from_parts(1_000_000, 0, 0, false, 0));
/// A weekly cost of care: nothing, or from £1 to £100,000 a week (it divides a difference).
pub const WEEKLY: Bounds = Bounds(Decimal::ONE, Decimal::from_parts(100_000, 0, 0, false, 0));

/// `v` within bounds; `unit` is how the value and bounds are shown (a percentage with `%`).
pub(crate) fn within(
    field: impl Display,
    v: Decimal,
    Bounds(low, high): Bounds,
    what: &str,
    unit: Unit,
) -> Result<()> {
    if v < low || v > high {
        let pct = if unit == Unit::Percent { "%" } else { "" };
        return Err(Error::invalid(
            field.to_string(),
            format!("{}{pct}", v.normalize()),
            format!(
                "{what}: from {}{pct} to {}{pct}",
                crate::money::format_number(low, 2),
                crate::money::format_number(high, 0)
            ),
        ));
    }
    Ok(())
}

pub(crate) fn weekly(field: impl Display, v: Decimal) -> Result<()> {
    amount(&field, v)?;
    if !v.is_zero() && (v < WEEKLY.0 || v > WEEKLY.1) {
        return Err(Error::invalid(
            field.to_string(),
            format!("{} a week", Money(v)),
            "a weekly cost of £0, or from £1 to £100,000 a week",
        ));
    }
    Ok(())
}

/// Which reading of a rate is out of the ordinary for its field.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Odd {
    /// A rate of 1% or less (typed as a fraction into a file), and 100% (a cell's 1).
    Both,
    /// Only a rate of 1% or less: 100% is a real value of the field.
    Small,
    /// Only 100%: a rate below 1% is a real value of the field.
    Whole,
}

/// A note where a rate's value reads two ways. Every route reads a rate as the percentage the
/// user sees: a file, an option or the page gives the percent figure (19.5 is 19.5%); a
/// workbook's number cell holds the fraction Excel keeps behind a percentage (0.195 shows as
/// 19.5%). So 0.195 in a file is 0.195%, and 1 in a cell is 100%: both legal, both almost
/// always a slip for a rate like a pension's, and costed as read with both readings named.
pub(crate) fn ambiguous_rate(p: &Provenance, field: &str, v: Decimal, odd: Odd) -> Option<String> {
    // Most rates read one way only: the field's place is looked up for the few that do not.
    let small = v > Decimal::ZERO && v <= Decimal::ONE;
    if !small && v != Decimal::ONE_HUNDRED {
        return None;
    }
    let in_cell = p.location(field).is_some_and(|at| at.contains('!'));
    let place = p.place(field);
    if in_cell {
        (odd != Odd::Small && v == Decimal::ONE_HUNDRED).then(|| {
            format!(
                "{place} is read as 100%: a number in a rate cell is the fraction behind a percentage, so 1 is 100%. If 1% was meant, enter 1%."
            )
        })
    } else {
        let shown = v.normalize();
        let whole = crate::expr::percent_of(v).normalize();
        (odd != Odd::Whole && small).then(|| {
            format!(
                "{place} {shown} is read as {shown}%: a rate in a file or option is the percent figure. If {whole}% was meant, write {whole}."
            )
        })
    }
}

pub(crate) fn percent_range(field: impl Display, v: Decimal) -> Result<()> {
    if v.is_sign_negative() && !v.is_zero() || v > Decimal::ONE_HUNDRED {
        return Err(Error::invalid(
            field.to_string(),
            format!("{}%", v.normalize()),
            "a percentage from 0% to 100%",
        ));
    }
    Ok(())
}

pub(crate) fn shares(field: &str, s: &Shares) -> Result<()> {
    for (name, v) in ["a", "b", "c", "other"].iter().zip(s.percents()) {
        percent_range(format!("{field}.{name}"), v)?;
    }
    // Each share is 0% to 100% by now, so the sum cannot overflow; checked all the same.
    let sum = s
        .percents()
        .iter()
        .try_fold(Decimal::ZERO, |sum, v| crate::expr::add(sum, *v))
        .unwrap_or(Decimal::MAX);
    if sum != Decimal::ONE_HUNDRED {
        return Err(Error::invalid(
            field,
            format!(
                "A {}% + B {}% + C {}% + other {}% = {}%",
                s.a.normalize(),
                s.b.normalize(),
                s.c.normalize(),
                s.other.normalize(),
                sum.normalize()
            ),
            "shares that sum to exactly 100%",
        ));
    }
    Ok(())
}

/// Checks a value, in `unit`, against its field's range. Not inlined: it is called for every
/// field of every table, and one copy keeps the browser's first module small.
#[inline(never)]
pub(crate) fn check(place: impl Display, c: Check, v: &Value, unit: Unit) -> Result<()> {
    let Some(d) = v.number() else { return Ok(()) };
    match c {
        Check::Any => Ok(()),
        Check::Amount => amount(place, d),
        Check::Count(what) => count(place, d, what),
        Check::Percent => percent_range(place, d),
        Check::Within(bounds, what) => within(place, d, bounds, what, unit),
        Check::Weekly => weekly(place, d),
    }
}

/// Every rule an input breaks, in the order checked: a form shows them all at once, a command
/// reports the first.
#[derive(Debug, Default)]
pub struct Problems(Vec<Error>);

impl Problems {
    /// What `check` finds: one list for the first problem (`validate`) and for all of them
    /// (`problems`), so the two never check differently.
    pub fn of(check: impl FnOnce(&mut Problems)) -> Problems {
        let mut ps = Problems::default();
        check(&mut ps);
        ps
    }

    /// Keeps the problem a check found, if any.
    pub fn note(&mut self, r: Result<()>) {
        if let Err(e) = r {
            self.0.push(e);
        }
    }

    /// The first problem as an error, or none.
    pub fn first(self) -> Result<()> {
        self.0.into_iter().next().map_or(Ok(()), Err)
    }

    /// Every problem.
    pub fn into_vec(self) -> Vec<Error> {
        self.0
    }
}

/// Checks each field of `t` that has a value against its range, keeping each out of it, named
/// by its place (`prefix` before its path: `staff[2].`).
pub(crate) fn check_each_field<T>(
    fields: &[Field<T>],
    t: &T,
    p: &Provenance,
    prefix: &str,
    ps: &mut Problems,
) {
    for f in fields.iter().filter(|f| f.check != Check::Any) {
        if let Some(v) = (f.get)(t) {
            ps.note(check(
                Lazy(|| p.place(&format!("{prefix}{}", f.path))),
                f.check,
                &v,
                f.unit().unwrap_or(Unit::Count),
            ));
        }
    }
}
