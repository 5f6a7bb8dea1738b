//! Fees that fall due after the quarter a placement is made in: the monthly fees after 12
//! months without an order (of the forecast's placements and of placements made before the
//! budget), and amounts still to pay on earlier placements. Each is a figure held in the
//! budget of one year, spread over the quarters its months fall in, and set in the budget of
//! each year it falls in.

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::money::{FinancialYear, Money};

/// A quarter of a financial year: the year and the quarter from 0 (April–June).
pub type Quarter = (FinancialYear, usize);

/// An amount falling due over one quarter or several.
#[derive(Debug, Clone)]
pub(super) struct Falling {
    /// The figure with the whole amount.
    pub id: String,
    /// What it is, for the figures that cite it.
    pub label: String,
    /// The budget year whose workings hold the figure.
    pub held_in: FinancialYear,
    /// The whole amount.
    pub total: Money,
    /// The quarters it falls in, each with its months (or 1 for an amount due on a day).
    pub falls: Vec<(Quarter, Decimal)>,
    /// Months in all: the whole amount is spread over them.
    pub months: Decimal,
}

impl Falling {
    /// The months of the whole that fall in quarters `within` picks.
    pub fn months_where(&self, within: impl Fn(Quarter) -> bool) -> Decimal {
        self.falls.iter().filter(|(q, _)| within(*q)).map(|(_, m)| *m).sum()
    }
}

/// The quarter a date falls in.
pub fn quarter_of(d: Date) -> Quarter {
    month_quarter(i32::from(d.year()), i32::from(d.month()) - 1)
}

/// The quarter of month `m0` (0 = January) of calendar year `y`.
fn month_quarter(y: i32, m0: i32) -> Quarter {
    let fy = if m0 >= 3 { y } else { y - 1 };
    // April (3) is quarter 0, July 1, October 2, January 3.
    let q = ((m0 + 9) % 12 / 3) as usize;
    (FinancialYear(i16::try_from(fy).unwrap_or(i16::MAX)), q)
}

/// How the months beyond 12 of a placement made on `placed` fall by quarter: month 13 begins a
/// year after the placement, each later month a month after the one before, and a part of a
/// month falls with the month it is part of. `months` is at most the method's bound on months
/// (the route's checks), so the loop is short.
pub fn months_by_quarter(placed: Date, months: Decimal) -> Vec<(Quarter, Decimal)> {
    let first = i32::from(placed.year()) * 12 + i32::from(placed.month()) - 1 + 12;
    let mut out: Vec<(Quarter, Decimal)> = Vec::new();
    let mut left = months;
    let mut month = first;
    while left > Decimal::ZERO {
        let part = left.min(Decimal::ONE);
        let q = month_quarter(month.div_euclid(12), month.rem_euclid(12));
        match out.last_mut() {
            Some((last, m)) if *last == q => *m += part,
            _ => out.push((q, part)),
        }
        left -= part;
        month += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal")
    }

    #[test]
    fn month_13_begins_a_year_on_and_the_months_fill_quarters_in_turn() {
        // Placed 1 July 2025: month 13 is July 2026 (2026/27 Q2); 7.5 months run July to
        // February, the half month in February.
        let falls = months_by_quarter(jiff::civil::date(2025, 7, 1), d("7.5"));
        let y = FinancialYear(2026);
        assert_eq!(falls, vec![((y, 1), d("3")), ((y, 2), d("3")), ((y, 3), d("1.5"))]);
        // Placed in January: month 13 is the next January, the fourth quarter of the year the
        // placement's year ends in.
        let falls = months_by_quarter(jiff::civil::date(2025, 1, 20), d("4"));
        assert_eq!(falls, vec![((FinancialYear(2025), 3), d("3")), ((FinancialYear(2026), 0), d("1"))]);
        assert!(months_by_quarter(jiff::civil::date(2025, 1, 20), Decimal::ZERO).is_empty());
    }

    #[test]
    fn a_date_falls_in_its_financial_quarter() {
        assert_eq!(quarter_of(jiff::civil::date(2026, 3, 31)), (FinancialYear(2025), 3));
        assert_eq!(quarter_of(jiff::civil::date(2026, 4, 1)), (FinancialYear(2026), 0));
        assert_eq!(quarter_of(jiff::civil::date(2026, 12, 31)), (FinancialYear(2026), 2));
    }
}
