//! The Excel cell boundary: the only place in core where binary floats appear.
//!
//! Excel stores every number as a binary float. A number read from a cell becomes a decimal
//! through its shortest round-trip text (the digits Excel shows: a typed `0.1` is read as
//! exactly one tenth); a decimal written to a cell becomes the nearest float, checked to be
//! finite. Text cells are read with the library's own parsers (`£38,500.00`, `40%`).
#![allow(clippy::disallowed_types)] // the Excel cell boundary: floats in, floats out, converted here

use calamine::Data;
use jiff::civil::Date;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A1 notation of a zero-based cell (`(6, 3)` is `D7`).
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// Column letters of a zero-based column (`0` is `A`, `26` is `AA`).
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        s.push(b'A' + r);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A float from a cell as a decimal, through its shortest round-trip text.
pub fn decimal_from_float(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    // Most cells hold whole numbers (counts, whole pounds), exactly representable: read them
    // without the round trip through text.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return Some(Decimal::from(f as i64));
    }
    let text = format!("{f}");
    text.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(&text).ok())
}

/// A decimal for a cell, as the nearest float; `None` if it has none (it always has, for the
/// magnitudes the model allows).
pub fn float_from_decimal(d: Decimal) -> Option<f64> {
    d.to_f64().filter(|f| f.is_finite())
}

/// What a cell holds, in the terms an error message uses.
pub fn describe(data: &Data) -> String {
    match data {
        Data::Empty => "an empty cell".into(),
        Data::String(s) => format!("\"{}\"", crate::text::clip(s, 200)),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            decimal_from_float(*f).map_or_else(|| format!("{f:e}"), |d| d.normalize().to_string())
        }
        Data::Bool(b) => {
            if *b {
                "TRUE".into()
            } else {
                "FALSE".into()
            }
        }
        Data::DateTime(d) => match date(data) {
            Some(day) => format!("the date {day}"),
            None => format!("a date cell holding {}", d.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => format!("\"{s}\""),
        Data::Error(e) => format!("the formula error {e}"),
    }
}

/// What is wrong with a cell that should hold a number: `"n/a" is not a number`, or, for text
/// grouped as UK figures are not written (`"72.000,00"`), what is wrong with its grouping.
pub fn not_a_number(data: &Data) -> String {
    let problem = match data {
        Data::String(s) => crate::text::number_problem(s.trim().strip_suffix('%').unwrap_or(s)),
        Data::Float(f) if f.is_finite() => {
            "is beyond the numbers adoptcost works to exactly (28 significant digits, up to about 7.9e28)"
        }
        _ => "is not a number",
    };
    format!("{} {problem}", describe(data))
}

/// A number cell (or number text) as a decimal.
pub fn number(data: &Data) -> Option<Decimal> {
    match data {
        Data::Int(i) => Some(Decimal::from(*i)),
        Data::Float(f) => decimal_from_float(*f),
        Data::String(s) => crate::text::parse_decimal(s),
        _ => None,
    }
}

/// A percentage cell as the percent figure (`40%` is 40). A number cell holds a fraction, as
/// Excel stores a cell formatted as a percentage (0.4 is 40%); text may say `40%`.
pub fn percent(data: &Data) -> Option<Decimal> {
    let hundredfold = |f: Decimal| f.checked_mul(Decimal::ONE_HUNDRED);
    match data {
        Data::Int(_) | Data::Float(_) => number(data).and_then(hundredfold),
        Data::String(s) if s.trim().ends_with('%') => crate::text::parse_percent(s),
        Data::String(s) => crate::text::parse_decimal(s).and_then(hundredfold),
        _ => None,
    }
}

/// A yes/no cell: `yes`, `no`, `y`, `n`, `true`, `false`, TRUE, FALSE, 1, 0.
pub fn yes_no(data: &Data) -> Option<bool> {
    match data {
        Data::Bool(b) => Some(*b),
        Data::Int(1) => Some(true),
        Data::Int(0) => Some(false),
        Data::Float(f) if *f == 1.0 => Some(true),
        Data::Float(f) if *f == 0.0 => Some(false),
        Data::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" => Some(true),
            "no" | "n" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A date cell: an Excel date, an ISO date text, or a number holding a date serial (days since
/// 1899-12-30). An Excel date is read in its workbook's date system: a workbook made with the
/// 1904 date system (older Mac Excel) counts from 1904-01-01, so its serials are 1,462 lower
/// for the same day. A bare number is taken as a 1900-system serial: nothing says otherwise.
pub fn date(data: &Data) -> Option<Date> {
    let serial = match data {
        Data::DateTime(d) => {
            if !(1.0..=2_958_465.0).contains(&d.as_f64()) {
                return None;
            }
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            return jiff::civil::Date::new(i16::try_from(y).ok()?, m as i8, day as i8).ok();
        }
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        Data::String(s) | Data::DateTimeIso(s) => {
            let t = s.trim();
            return crate::text::parse_date(t.get(..10).unwrap_or(t));
        }
        _ => return None,
    };
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i32;
    jiff::civil::date(1899, 12, 30).checked_add(jiff::Span::new().days(days)).ok()
}

/// An Excel date serial for a date.
pub fn date_serial(d: Date) -> f64 {
    let epoch = jiff::civil::date(1899, 12, 30);
    (d - epoch).get_days() as f64
}

/// Text of a cell (numbers as their shortest text), trimmed; `None` for an empty cell.
pub fn text(data: &Data) -> Option<String> {
    let t = match data {
        Data::Empty => return None,
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => decimal_from_float(*f)?.normalize().to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(_) => return None,
    };
    if t.is_empty() { None } else { Some(t) }
}

/// The most characters a cell holds (Excel's limit).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Writing text into a cell, cut to [`MAX_CELL_CHARS`] where it is longer (a long note, or a
/// message quoting one), so one long text never stops a whole workbook being written.
pub trait WriteText {
    /// Writes text.
    fn text(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
    ) -> Result<&mut Self, rust_xlsxwriter::XlsxError>;
    /// Writes text with a format.
    fn text_with(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut Self, rust_xlsxwriter::XlsxError>;
}

/// The text as a cell can hold it. Excel counts a cell's characters in UTF-16 units (a
/// character beyond the Basic Multilingual Plane, an emoji, is two), and so does this.
pub fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    const MARK: &str = "… (cut at Excel's 32,767 characters)";
    // No text has more UTF-16 units than UTF-8 bytes.
    if text.len() <= MAX_CELL_CHARS || text.encode_utf16().count() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let keep = MAX_CELL_CHARS - MARK.encode_utf16().count();
    let mut units = 0;
    let cut = text
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > keep
        })
        .map_or(text.len(), |(i, _)| i);
    std::borrow::Cow::Owned(format!("{}{MARK}", &text[..cut]))
}

impl WriteText for rust_xlsxwriter::Worksheet {
    fn text(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
    ) -> Result<&mut Self, rust_xlsxwriter::XlsxError> {
        self.write_string(row, col, fit(text.as_ref()))
    }

    fn text_with(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &rust_xlsxwriter::Format,
    ) -> Result<&mut Self, rust_xlsxwriter::XlsxError> {
        self.write_string_with_format(row, col, fit(text.as_ref()), format)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};
    use rust_decimal::dec;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn text_is_cut_to_what_a_cell_holds_in_excels_units() {
        let short = "£".repeat(MAX_CELL_CHARS);
        assert_eq!(fit(&short), short, "two bytes, one unit each: it fits");
        let emoji = "\u{1F600}".repeat(20_000); // 40,000 units
        let cut = fit(&emoji);
        assert!(cut.encode_utf16().count() <= MAX_CELL_CHARS, "{}", cut.encode_utf16().count());
        assert!(cut.starts_with("\u{1F600}") && cut.ends_with("(cut at Excel's 32,767 characters)"));
        let long = "x".repeat(MAX_CELL_CHARS + 1);
        assert_eq!(fit(&long).encode_utf16().count(), MAX_CELL_CHARS);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a1_notation() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 3), "D7");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn floats_read_as_the_digits_excel_shows() {
        assert_eq!(decimal_from_float(0.1), Some(dec!(0.1)));
        assert_eq!(decimal_from_float(38500.5), Some(dec!(38500.5)));
        assert_eq!(decimal_from_float(f64::NAN), None);
        assert_eq!(number(&Data::String("£38,500.00".into())), Some(dec!(38500)));
        assert_eq!(percent(&Data::Float(0.4)), Some(dec!(40)));
        assert_eq!(percent(&Data::String("40%".into())), Some(dec!(40)));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn dates() {
        assert_eq!(date(&Data::Float(45901.0)), Some(jiff::civil::date(2025, 9, 1)));
        assert_eq!(date(&Data::String("2025-09-01".into())), Some(jiff::civil::date(2025, 9, 1)));
        assert_eq!(date_serial(jiff::civil::date(2025, 9, 1)), 45901.0);
        assert_eq!(date(&Data::String("soon".into())), None);
        // The same day as an Excel date in each date system: 1900 counts 45,901 days from
        // 1899-12-30; 1904 counts 1,462 fewer, from 1904-01-01.
        let excel = |serial, is_1904| {
            Data::DateTime(ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904))
        };
        assert_eq!(date(&excel(45901.0, false)), Some(jiff::civil::date(2025, 9, 1)));
        assert_eq!(date(&excel(44439.0, true)), Some(jiff::civil::date(2025, 9, 1)));
        assert_eq!(describe(&excel(44439.0, true)), "the date 2025-09-01", "as the user sees it");
        assert_eq!(describe(&excel(-3.0, false)), "a date cell holding -3");
        assert_eq!(
            date(&excel(44439.75, true)),
            Some(jiff::civil::date(2025, 9, 1)),
            "a time of day is dropped"
        );
    }
}
