//! The embedded reference data, decoded without being checked again.
//!
//! The shipped files pass every check a user's file gets ([`super::parse_file`]) in the test
//! suite, which also holds this decoding equal to that reading, field for field. At run time
//! they are only decoded: the table readers, their messages and the checks are what a user's file
//! needs, and the browser's first module, which reads no user's file, carries none of them.

use rust_decimal::Decimal;
use serde::de::{DeserializeOwned, IntoDeserializer, value::StrDeserializer};
use serde_json::Value;

use super::{Entry, Parameter, ParsedFile, Scheme};
use crate::money::FinancialYear;
use crate::quantity::Source;
use crate::text::{parse_date, parse_decimal, parse_percent};

/// One embedded file (`name`, its JSON). The decoding checks nothing: a value it does not find
/// is left empty, which the test that holds it equal to the checked reading would show.
pub(super) fn decode(name: &str, json: &str) -> Option<ParsedFile> {
    let tree = crate::text::json_to_value(json).ok()?;
    let sources = field(&tree, "sources");
    let source = |v: &Value| {
        let s = sources.and_then(|all| field(all, &text(v, "source")));
        Source {
            title: s.map(|s| text(s, "title")).unwrap_or_default(),
            url: s.and_then(|s| opt_text(s, "url")),
        }
    };
    let mut parameters = Vec::new();
    for p in items(&tree, "parameter") {
        let mut values = Vec::new();
        for v in items(p, "values") {
            values.push(Entry {
                from: date(v, "from").unwrap_or_default(),
                until: date(v, "until"),
                confirmed: date(v, "confirmed"),
                value: number(v, "value", parse_decimal),
                missing: opt_text(v, "missing"),
                grade: named(v, "grade"),
                source: source(v),
                note: opt_text(v, "note"),
                price_year: opt_text(v, "price_year").and_then(|y| FinancialYear::parse(&y)),
            });
        }
        parameters.push(Parameter {
            id: text(p, "id"),
            label: text(p, "label"),
            unit: named(p, "unit").unwrap_or(crate::quantity::Unit::Count),
            file: name.to_string(),
            values,
        });
    }
    let mut schemes = Vec::new();
    for s in items(&tree, "scheme") {
        schemes.push(Scheme {
            id: text(s, "id"),
            name: text(s, "name"),
            nation: named(s, "nation").unwrap_or(crate::input::Nation::England),
            from: date(s, "from").unwrap_or_default(),
            until: date(s, "until").unwrap_or_default(),
            share: number(s, "share", parse_percent),
            amount: number(s, "amount", parse_decimal),
            criteria: items(s, "criteria").iter().filter_map(by_name).collect(),
            grade: named(s, "grade").unwrap_or(crate::quantity::Grade::Inferred),
            source: source(s),
            note: opt_text(s, "note"),
        });
    }
    Some(ParsedFile { reviewed: date(&tree, "reviewed").unwrap_or_default(), parameters, schemes })
}

/// The value under `key` of a table.
fn field<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object()?.get(key)
}

/// The items of a list under `key` (none where there is no such list).
fn items<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    field(v, key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn opt_text(v: &Value, key: &str) -> Option<String> {
    field(v, key)?.as_str().map(str::to_string)
}

fn text(v: &Value, key: &str) -> String {
    opt_text(v, key).unwrap_or_default()
}

fn date(v: &Value, key: &str) -> Option<jiff::civil::Date> {
    parse_date(field(v, key)?.as_str()?)
}

/// A number as the tree holds it: a whole number, or the text of any other (read as the
/// checked reading reads it).
fn number(v: &Value, key: &str, text: fn(&str) -> Option<Decimal>) -> Option<Decimal> {
    match field(v, key)? {
        Value::Number(n) => n.as_u64().map(Into::into).or_else(|| n.as_i64().map(Into::into)),
        Value::String(s) => text(s),
        _ => None,
    }
}

fn named<T: DeserializeOwned>(v: &Value, key: &str) -> Option<T> {
    by_name(field(v, key)?)
}

/// A unit, grade, nation or criterion by its name, through the type's own serde names (so the
/// names are written once, on the type).
fn by_name<T: DeserializeOwned>(v: &Value) -> Option<T> {
    let name: StrDeserializer<'_, serde::de::value::Error> = v.as_str()?.into_deserializer();
    T::deserialize(name).ok()
}
