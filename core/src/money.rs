//! Exact money, rates and financial years.
//!
//! [`Money`] is a newtype over [`Decimal`]: amounts in pounds, never floats. Arithmetic is exact
//! (division carries 28 significant digits, which is the most a `Decimal` holds; the error is far
//! below a millionth of a penny). Nothing is rounded inside a calculation: [`Money::round_pence`]
//! and [`Money::round_pounds`] exist for display only and use commercial rounding (half away from
//! zero), as COSTING.md §8 requires.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The rounding every displayed figure uses: half away from zero (commercial rounding).
pub const DISPLAY_ROUNDING: RoundingStrategy = RoundingStrategy::MidpointAwayFromZero;

/// An amount of money in pounds sterling, held exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub Decimal);

impl Money {
    /// Zero pounds.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Wraps a decimal number of pounds.
    pub const fn new(pounds: Decimal) -> Self {
        Money(pounds)
    }

    /// The exact amount in pounds.
    pub const fn amount(self) -> Decimal {
        self.0
    }

    /// This amount times a plain number (an FTE, a share, a count of weeks).
    pub fn times(self, factor: Decimal) -> Money {
        Money(self.0 * factor)
    }

    /// This amount divided by a plain number, or `None` when the divisor is zero.
    pub fn per(self, divisor: Decimal) -> Option<Money> {
        if divisor.is_zero() { None } else { Some(Money(self.0 / divisor)) }
    }

    /// The ratio of two amounts, or `None` when the divisor is zero.
    pub fn ratio_to(self, other: Money) -> Option<Decimal> {
        if other.0.is_zero() { None } else { Some(self.0 / other.0) }
    }

    /// The larger of this amount and zero.
    pub fn at_least_zero(self) -> Money {
        if self.0.is_sign_negative() { Money::ZERO } else { self }
    }

    /// Rounded to the penny, half away from zero. For display only.
    pub fn round_pence(self) -> Decimal {
        self.0.round_dp_with_strategy(2, DISPLAY_ROUNDING)
    }

    /// Rounded to the pound, half away from zero. For display only.
    pub fn round_pounds(self) -> Decimal {
        self.0.round_dp_with_strategy(0, DISPLAY_ROUNDING)
    }

    /// `£1,234.57`: rounded to the penny with thousands separators.
    pub fn display_pence(self) -> String {
        format_pounds(self.round_pence(), 2)
    }

    /// `£1,235`: rounded to the pound with thousands separators.
    pub fn display_pounds(self) -> String {
        format_pounds(self.round_pounds(), 0)
    }
}

/// Formats a decimal (already rounded) as pounds with thousands separators and `dp` decimals.
pub fn format_pounds(value: Decimal, dp: u32) -> String {
    let negative = value.is_sign_negative() && !value.is_zero();
    let text = format!("{:.*}", dp as usize, value.abs());
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let grouped = group_thousands(&whole);
    let mut out = String::new();
    if negative {
        out.push('−');
    }
    out.push('£');
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

/// Formats a plain decimal with thousands separators and at most `dp` decimals (trailing zeros
/// dropped), rounded half away from zero.
pub fn format_number(value: Decimal, dp: u32) -> String {
    let rounded = value.round_dp_with_strategy(dp, DISPLAY_ROUNDING).normalize();
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = rounded.abs().to_string();
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let mut out = String::new();
    if negative {
        out.push('−');
    }
    out.push_str(&group_thousands(&whole));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Money {
    /// Money displays rounded to the penny.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_pence())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// A percentage held as the percent figure itself (`15` means 15%), exactly as people write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Percent(pub Decimal);

impl Percent {
    /// 0%.
    pub const ZERO: Percent = Percent(Decimal::ZERO);
    /// 100%.
    pub const HUNDRED: Percent = Percent(Decimal::ONE_HUNDRED);

    /// The fraction this percentage stands for (`15%` is `0.15`).
    pub fn fraction(self) -> Decimal {
        self.0 / Decimal::ONE_HUNDRED
    }

    /// The percentage that a fraction stands for (`0.15` is `15%`).
    pub fn from_fraction(fraction: Decimal) -> Percent {
        Percent(fraction * Decimal::ONE_HUNDRED)
    }

    /// `15%`, `33.33%`: at most `dp` decimals, rounded half away from zero.
    pub fn display(self, dp: u32) -> String {
        format!("{}%", format_number(self.0, dp))
    }
}

/// A financial year, 1 April to 31 March, named by the calendar year it starts in
/// (`FinancialYear(2025)` is 2025/26). Fee years are financial years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(pub i16);

impl FinancialYear {
    /// The financial year a date falls in.
    pub fn of(date: jiff::civil::Date) -> FinancialYear {
        if date.month() >= 4 { FinancialYear(date.year()) } else { FinancialYear(date.year() - 1) }
    }

    /// 1 April of the year.
    pub fn first_day(self) -> jiff::civil::Date {
        jiff::civil::date(self.0, 4, 1)
    }

    /// 31 March of the next calendar year.
    pub fn last_day(self) -> jiff::civil::Date {
        jiff::civil::date(self.0 + 1, 3, 31)
    }

    /// Parses `2025/26`, `2025-26` or `2025`.
    pub fn parse(text: &str) -> Option<FinancialYear> {
        let text = text.trim();
        let (start, end) = match text.split_once(['/', '-']) {
            Some((s, e)) => (s, Some(e)),
            None => (text, None),
        };
        let start: i16 = start.trim().parse().ok()?;
        if !(1900..=2199).contains(&start) {
            return None;
        }
        if let Some(end) = end {
            let end: i16 = end.trim().parse().ok()?;
            let expected_short = (start + 1) % 100;
            if end != expected_short && end != start + 1 {
                return None;
            }
        }
        Some(FinancialYear(start))
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        FinancialYear::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "\"{text}\" is not a financial year; expected one like \"2025/26\""
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(Money(dec!(2.345)).round_pence(), dec!(2.35));
        assert_eq!(Money(dec!(-2.345)).round_pence(), dec!(-2.35));
        assert_eq!(Money(dec!(2.5)).round_pounds(), dec!(3));
        assert_eq!(Money(dec!(-2.5)).round_pounds(), dec!(-3));
        assert_eq!(Money(dec!(2.344999)).round_pence(), dec!(2.34));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn display_groups_thousands() {
        assert_eq!(Money(dec!(39245)).display_pence(), "£39,245.00");
        assert_eq!(Money(dec!(1234567.891)).display_pounds(), "£1,234,568");
        assert_eq!(Money(dec!(999.995)).display_pence(), "£1,000.00");
        assert_eq!(Money(dec!(-5)).display_pounds(), "−£5");
        assert_eq!(Money(dec!(0.004)).display_pence(), "£0.00");
        assert_eq!(format_number(dec!(1234.5000), 2), "1,234.5");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn tenths_add_exactly() {
        let total: Money = (0..10).map(|_| Money(dec!(0.1))).sum();
        assert_eq!(total, Money(dec!(1)));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn financial_years() {
        assert_eq!(FinancialYear::of(jiff::civil::date(2025, 4, 1)), FinancialYear(2025));
        assert_eq!(FinancialYear::of(jiff::civil::date(2026, 3, 31)), FinancialYear(2025));
        assert_eq!(FinancialYear(2025).to_string(), "2025/26");
        assert_eq!(FinancialYear(1999).to_string(), "1999/00");
        assert_eq!(FinancialYear::parse("2025/26"), Some(FinancialYear(2025)));
        assert_eq!(FinancialYear::parse("2025-2026"), Some(FinancialYear(2025)));
        assert_eq!(FinancialYear::parse("2025/27"), None);
        assert_eq!(FinancialYear::parse("nonsense"), None);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn percent_fraction() {
        assert_eq!(Percent(dec!(15)).fraction(), dec!(0.15));
        assert_eq!(Percent(dec!(33.333)).display(2), "33.33%");
    }
}
