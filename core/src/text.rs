//! Reading TOML and JSON text into typed inputs, exactly.
//!
//! Both formats are first read into a [`serde_json::Value`] in which every number that is not a
//! whole number is kept as the text the user wrote (`"18.5"`), never as a binary float: TOML
//! floats come from toml_edit's record of the source text, JSON numbers from serde_json's
//! `arbitrary_precision` text. Typed structs then read decimals from that text with
//! [`decimal`], so `0.1` is exactly one tenth. Errors name the field's path (`tree`, the
//! library's deserializer over such trees) and the line and column of a syntax error.

use rust_decimal::Decimal;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::Value;

use crate::error::{Error, Result};

mod decimal;
mod json;
#[cfg(feature = "toml")]
pub mod toml;
mod tree;

pub(crate) use tree::{DeError, entries, list, object, table, with};

/// The two text formats an input may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// TOML (with the `toml` feature: the browser's first module reads JSON only).
    #[cfg(feature = "toml")]
    Toml,
    /// JSON.
    Json,
}

impl TextFormat {
    /// `TOML` or `JSON`, as messages name it.
    pub fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "toml")]
            TextFormat::Toml => "TOML",
            TextFormat::Json => "JSON",
        }
    }
}

/// Reads text in the given format into a typed value, naming the field of any error.
pub fn from_text<T: DeserializeOwned>(text: &str, format: TextFormat) -> Result<T> {
    from_value(&to_tree(text, format)?, format)
}

/// Parses text in the given format into a value tree whose fractional numbers are their
/// source text ([`toml_to_value`], [`json_to_value`]), for [`from_value`].
pub fn to_tree(text: &str, format: TextFormat) -> Result<Value> {
    match format {
        #[cfg(feature = "toml")]
        TextFormat::Toml => toml_to_value(text),
        TextFormat::Json => json_to_value(text),
    }
}

/// Reads a [`Value`] (numbers already text) into a typed value, naming the field of any error,
/// with list positions counted from 1 (`staff[1].salary` is the first staff line), as the
/// validation errors and the rest of adoptcost count them.
pub fn from_value<T: DeserializeOwned>(value: &Value, format: TextFormat) -> Result<T> {
    tree::from_value(value).map_err(|e| format_error(&e, format))
}

/// Reads a tree with one of the library's own readers (the inputs' through their field
/// tables), naming the field of any error as [`from_value`] does.
pub(crate) fn read_tree<T>(
    value: &Value,
    format: TextFormat,
    read: fn(&Value) -> Result<T, DeError>,
) -> Result<T> {
    read(value).map_err(|e| format_error(&e, format))
}

fn format_error(e: &DeError, format: TextFormat) -> Error {
    let path = e.path();
    let place = if path.is_empty() { "top level".to_string() } else { format!("field `{path}`") };
    Error::Format { format: format.name(), place, message: e.message().to_string() }
}

/// Parses TOML into a JSON value tree, keeping fractional numbers as their source text.
#[cfg(feature = "toml")]
pub fn toml_to_value(text: &str) -> Result<Value> {
    toml::to_value(text).map_err(|e| Error::Format {
        format: "TOML",
        place: e.place(text),
        message: e.message,
    })
}

/// Parses JSON into a value tree, turning every fractional number into its source text. A key
/// given twice in one object is refused, as TOML refuses it (serde_json would keep the last
/// silently); a byte-order mark before the text is skipped, as it is for TOML.
pub fn json_to_value(text: &str) -> Result<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    json::to_value(text).map_err(|e| Error::Format {
        format: "JSON",
        place: e.place(text),
        message: e.message,
    })
}

/// Parses a decimal as people write it in the UK: `38500`, `38,500.00`, `£38,500`, ` 1 200 `,
/// `-5`, `1.5e3`. Percent signs are not accepted here; see [`parse_percent`].
///
/// Digits may be grouped in threes by commas (or spaces), and a point marks the fraction.
/// Any other grouping is refused rather than guessed at: `38,50`, `72.000,00` (the comma and
/// point of other countries) and `7,20,00` could each mean two amounts a hundred or a
/// thousand times apart. [`number_problem`] says which rule a refused text breaks.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    read_decimal(text).ok()
}

/// Why a text is not a number [`parse_decimal`] reads, in the words of an error message
/// (after the quoted text): `is not a number`, or what is wrong with its grouping.
pub fn number_problem(text: &str) -> &'static str {
    match read_decimal(text) {
        Err(NotANumber::Grouping) => {
            "groups its digits as UK figures are not written (commas group thousands in threes before the point, and a point marks the pence)"
        }
        _ => "is not a number",
    }
}

/// Why [`read_decimal`] refused a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotANumber {
    /// Not a number at all.
    Text,
    /// Digits grouped in a way UK figures are not written.
    Grouping,
}

fn read_decimal(text: &str) -> Result<Decimal, NotANumber> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let t = t.strip_prefix('£').unwrap_or(t);
    let (negative, t) = match (negative, t.strip_prefix(['-', '−'])) {
        (false, Some(rest)) => (true, rest),
        _ => (negative, t),
    };
    // The whole part ends where the fraction or the exponent begins.
    let end = t.find(['.', 'e', 'E']).unwrap_or(t.len());
    let (whole, rest) = t.split_at(end);
    if rest.contains([',', ' ', '\u{a0}', '_']) {
        return Err(NotANumber::Grouping);
    }
    let digits = ungroup(whole)?;
    if digits.is_empty() && !rest.starts_with('.') {
        return Err(NotANumber::Text);
    }
    let cleaned = format!("{}{digits}{rest}", if negative { "-" } else { "" });
    // Exponent forms (`1.5e3`) too, as rust_decimal's from_str reads them.
    decimal::from_text(&cleaned).ok_or(NotANumber::Text)
}

/// The digits of a whole part, with its grouping checked: none, or one separator throughout
/// (a comma, a space, a no-break space or an underscore) between groups of three after a
/// first group of one to three.
fn ungroup(whole: &str) -> Result<String, NotANumber> {
    let separator = |c: char| matches!(c, ',' | ' ' | '\u{a0}' | '_');
    if !whole.chars().all(|c| c.is_ascii_digit() || separator(c)) {
        return Err(NotANumber::Text);
    }
    let Some(sep) = whole.chars().find(|&c| separator(c)) else {
        return Ok(whole.to_string());
    };
    let mut groups = whole.split(sep);
    let first = groups.next().unwrap_or_default();
    let mut out = first.to_string();
    let mut well_grouped = (1..=3).contains(&first.len());
    for g in groups {
        well_grouped &= g.len() == 3 && g.chars().all(|c| c.is_ascii_digit());
        out.push_str(g);
    }
    if well_grouped { Ok(out) } else { Err(NotANumber::Grouping) }
}

/// At most `chars` characters of a text, for quoting a value in a message: a longer one is cut
/// at a character boundary and says how long it was.
pub fn clip(text: &str, chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(chars) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => {
            std::borrow::Cow::Owned(format!("{}… ({} characters in all)", &text[..cut], text.chars().count()))
        }
    }
}

/// Appends `n`'s digits, as `n.to_string()` writes them, without the formatting machinery (which
/// costs more than the digits where a batch writes a few for every cell of every row).
pub(crate) fn push_int(out: &mut String, n: i64) {
    let mut digits = [0u8; 20];
    let (mut at, mut rest) = (digits.len(), n.unsigned_abs());
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Parses a percentage: `18.5`, `18.5%` and ` 18.5 % ` all mean 18.5%.
pub fn parse_percent(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let t = t.strip_suffix('%').unwrap_or(t);
    if t.contains('£') {
        return None;
    }
    parse_decimal(t)
}

struct DecimalVisitor {
    percent: bool,
}

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.percent {
            f.write_str("a percentage such as 18.5 or \"18.5%\"")
        } else {
            f.write_str("a number such as 38500 or \"38,500.00\"")
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        let parsed = if self.percent { parse_percent(v) } else { parse_decimal(v) };
        parsed.ok_or_else(|| {
            E::custom(format!(
                "\"{v}\" {}; expected {}",
                number_problem(v.trim().strip_suffix('%').unwrap_or(v)),
                if self.percent {
                    "a percentage such as 18.5 or \"18.5%\""
                } else {
                    "a number such as 38500 or \"38,500.00\""
                }
            ))
        })
    }
}

/// Serde helper: a decimal from a whole number or from number text.
pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor { percent: false })
}

/// Serde helper: an optional decimal.
pub fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    decimal(d).map(Some)
}

/// Serde helper: a percentage (the percent figure: `15` is 15%).
pub fn percent<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor { percent: true })
}

/// Serde helper: an optional percentage.
pub fn opt_percent<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    percent(d).map(Some)
}

/// Parses a date written as ISO 8601 `YYYY-MM-DD` (surrounding spaces allowed), the one form
/// inputs take dates in; `None` for anything else, or a day that does not exist.
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let t = text.trim().as_bytes();
    let digits = |from: usize, to: usize| -> Option<i16> {
        let part = t.get(from..to)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + i16::from(d - b'0')))
    };
    if t.len() != 10 || t[4] != b'-' || t[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    jiff::civil::Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

const DATE_EXPECTED: &str = "a date written as YYYY-MM-DD, such as 2025-10-15";

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = jiff::civil::Date;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(DATE_EXPECTED)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_date(v).ok_or_else(|| E::custom(format!("\"{v}\" is not a date; expected {DATE_EXPECTED}")))
    }
}

/// Serde helper (`#[serde(with = "crate::text::date")]`): a date as `YYYY-MM-DD` text, read
/// with [`parse_date`] and written with the date's ISO display. Kept in the library rather than
/// taken from jiff's serde support, whose parser reads every ISO 8601 and RFC 9557 form (times,
/// offsets, time zones) and is most of jiff's size in the browser's module.
pub mod date {
    use super::{DateVisitor, Deserializer};
    use jiff::civil::Date;
    use serde::Serializer;

    /// Writes the date as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(date)
    }

    /// Reads a date from `YYYY-MM-DD` text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        d.deserialize_str(DateVisitor)
    }
}

/// Serde helper (`#[serde(default, with = "crate::text::opt_date")]`): an optional date as
/// [`date`] reads and writes it; absent means `None`.
pub mod opt_date {
    use super::{DateVisitor, Deserializer};
    use jiff::civil::Date;
    use serde::Serializer;

    /// Writes the date as `YYYY-MM-DD`, or nothing.
    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    /// Reads a date from `YYYY-MM-DD` text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        d.deserialize_str(DateVisitor).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn an_integer_is_appended_as_its_digits() {
        for n in [0, 7, -7, 10, 1_000_000, i64::MAX, i64::MIN] {
            let mut text = String::new();
            push_int(&mut text, n);
            assert_eq!(text, n.to_string());
        }
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct T {
        #[serde(deserialize_with = "decimal")]
        a: Decimal,
        #[serde(deserialize_with = "percent")]
        p: Decimal,
    }

    #[cfg(feature = "toml")]
    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn toml_floats_are_exact() {
        let t: T = from_text("a = 0.1\np = 18.5", TextFormat::Toml).expect("parses");
        assert_eq!(t.a, dec!(0.1));
        assert_eq!(t.p, dec!(18.5));
        let t: T = from_text("a = 1_000.25\np = \"18.5%\"", TextFormat::Toml).expect("parses");
        assert_eq!(t.a, dec!(1000.25));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn json_numbers_are_exact() {
        let t: T = from_text(r#"{"a": 0.30000000000000004, "p": 15}"#, TextFormat::Json).expect("parses");
        assert_eq!(t.a, dec!(0.30000000000000004));
        assert_eq!(t.p, dec!(15));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_json_tree_holds_whole_numbers_as_numbers_and_the_rest_as_their_text() {
        let text = r#"[1, -2, 1.50, 1e3, -0.0, 18446744073709551616]"#;
        let tree = json_to_value(text).expect("parses");
        let big = "18446744073709551616";
        // A number's text is kept as written, which the decimal reader takes.
        assert_eq!(tree, serde_json::json!([1, -2, "1.50", "1e3", "-0.0", big]));
        assert_eq!(parse_decimal("1e3"), Some(dec!(1000)));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_json_key_given_twice_is_refused_and_a_byte_order_mark_is_skipped() {
        let e = from_text::<T>(r#"{"a": 1, "p": 2, "a": 3}"#, TextFormat::Json).expect_err("twice");
        assert!(e.to_string().contains("the key `a` is given twice in one object"), "{e}");
        assert!(e.to_string().contains("line 1, column"), "{e}");
        let t: T = from_text("\u{feff}{\"a\": 1.5, \"p\": 2}", TextFormat::Json).expect("a BOM is skipped");
        assert_eq!(t.a, dec!(1.5));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn dates_are_iso() {
        assert_eq!(parse_date(" 2025-10-15 "), Some(jiff::civil::date(2025, 10, 15)));
        assert_eq!(parse_date("2024-02-29"), Some(jiff::civil::date(2024, 2, 29)));
        for bad in
            ["2025-02-29", "2025-13-01", "2025-1-15", "15/10/2025", "2025-10-15T00:00", "", "+025-10-15"]
        {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        #[derive(serde::Deserialize, serde::Serialize, Debug)]
        struct D {
            #[serde(with = "date")]
            on: jiff::civil::Date,
            #[serde(default, with = "opt_date", skip_serializing_if = "Option::is_none")]
            until: Option<jiff::civil::Date>,
        }
        let d: D = from_text(r#"{"on": "2025-04-01"}"#, TextFormat::Json).expect("parses");
        assert_eq!((d.on, d.until), (jiff::civil::date(2025, 4, 1), None));
        assert_eq!(serde_json::to_string(&d).expect("writes"), r#"{"on":"2025-04-01"}"#);
        let e = from_text::<D>(r#"{"on": "2025-04-01", "until": "1 April"}"#, TextFormat::Json)
            .expect_err("fails");
        assert!(
            e.to_string()
                .contains("field `until`: \"1 April\" is not a date; expected a date written as YYYY-MM-DD"),
            "{e}"
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn error_paths_count_list_positions_from_one() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct L {
            lines: Vec<T>,
        }
        let e = from_text::<L>(r#"{"lines": [{"a": 1, "p": 1}, {"a": "n/a", "p": 1}]}"#, TextFormat::Json)
            .expect_err("the second line is bad");
        assert!(e.to_string().contains("field `lines[2].a`"), "{e}");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn money_text() {
        assert_eq!(parse_decimal("£38,500.00"), Some(dec!(38500)));
        assert_eq!(parse_decimal(" 1 200 "), Some(dec!(1200)));
        assert_eq!(parse_decimal("n/a"), None);
        assert_eq!(parse_decimal("1.5e3"), Some(dec!(1500)));
        assert_eq!(parse_decimal("2E-3"), Some(dec!(0.002)));
        assert_eq!(parse_decimal("-£5"), Some(dec!(-5)));
        assert_eq!(parse_decimal("£-5"), Some(dec!(-5)));
        assert_eq!(parse_decimal("−1,234.5"), Some(dec!(-1234.5)));
        assert_eq!(parse_decimal("1_000.25"), Some(dec!(1000.25)));
        assert_eq!(parse_decimal(".5"), Some(dec!(0.5)));
        assert_eq!(parse_decimal("1,234,567"), Some(dec!(1234567)));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn money_text_grouped_as_other_countries_do_is_refused_not_guessed() {
        // Each of these once read as an amount a hundred or a thousand times off.
        for grouped in
            ["38,50", "1.234,56", "72.000,00", "7,20,00", "1,2345", "12,34,567", "1 20", "1,000 000"]
        {
            assert_eq!(parse_decimal(grouped), None, "{grouped}");
            assert!(number_problem(grouped).starts_with("groups its digits"), "{grouped}");
        }
        for text in ["n/a", "", "£", "-", "1.2.3", "12a", "a,123"] {
            assert_eq!(parse_decimal(text), None, "{text}");
            assert_eq!(number_problem(text), "is not a number", "{text}");
        }
        assert_eq!(parse_percent("18.5 %"), Some(dec!(18.5)));
        assert_eq!(parse_percent("£5"), None);
    }

    #[cfg(feature = "toml")]
    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn errors_name_the_field_and_value() {
        let e = from_text::<T>("a = \"n/a\"\np = 1", TextFormat::Toml).expect_err("fails");
        let msg = e.to_string();
        assert!(msg.contains("field `a`"), "{msg}");
        assert!(msg.contains("\"n/a\" is not a number"), "{msg}");
        let e = from_text::<T>("a = 1\np = 1\nq = 2", TextFormat::Toml).expect_err("fails");
        assert!(e.to_string().contains("unknown field `q`"), "{e}");
        let e = from_text::<T>("a = = 1", TextFormat::Toml).expect_err("fails");
        assert!(e.to_string().contains("line 1, column"), "{e}");
        let e = from_text::<T>("{\"a\": 1,\n \"p\": }", TextFormat::Json).expect_err("fails");
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
