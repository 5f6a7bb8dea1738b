//! TOML text into a JSON value tree, keeping every fractional number as its source text.
//!
//! Shared by the library (`text::from_text` with [`TextFormat::Toml`](super::TextFormat)) and by
//! the build script, which turns the embedded reference and example files into JSON with this
//! same code, so a build without TOML (the browser's first module) reads exactly the same data.
//! It depends only on toml_edit and serde_json for that reason.

use serde_json::{Map, Value};

/// Why TOML text could not be read: toml_edit's message, and the byte offset it points at.
#[derive(Debug)]
pub struct Problem {
    /// Where in the text, as a byte offset, when toml_edit knows.
    pub offset: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// Where in `text` the problem is, as `line L, column C` (counted from 1), or `somewhere`.
    pub fn place(&self, text: &str) -> String {
        let Some(offset) = self.offset else { return "somewhere".to_string() };
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {col}")
    }
}

/// Parses TOML into a JSON value tree, keeping fractional numbers as their source text.
pub fn to_value(text: &str) -> Result<Value, Problem> {
    let doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| Problem {
        offset: e.span().map(|span| span.start),
        message: e.message().trim().to_string(),
    })?;
    Ok(table_to_value(doc.as_table()))
}

fn table_to_value(table: &toml_edit::Table) -> Value {
    let mut map = Map::new();
    for (key, item) in table.iter() {
        if let Some(v) = item_to_value(item) {
            map.insert(key.to_string(), v);
        }
    }
    Value::Object(map)
}

fn item_to_value(item: &toml_edit::Item) -> Option<Value> {
    match item {
        toml_edit::Item::None => None,
        toml_edit::Item::Value(v) => Some(toml_value(v)),
        toml_edit::Item::Table(t) => Some(table_to_value(t)),
        toml_edit::Item::ArrayOfTables(a) => Some(Value::Array(a.iter().map(table_to_value).collect())),
    }
}

fn toml_value(value: &toml_edit::Value) -> Value {
    match value {
        toml_edit::Value::String(s) => Value::String(s.value().clone()),
        toml_edit::Value::Integer(i) => Value::from(*i.value()),
        // The source text of the float, not the float: `18.5` stays the decimal 18.5. A float
        // without a recorded source text cannot come from parsing, but fall back to its shortest
        // round-trip display rather than fail.
        toml_edit::Value::Float(f) => {
            let raw = f
                .as_repr()
                .and_then(|r| r.as_raw().as_str())
                .map(|s| s.trim().replace('_', ""))
                .unwrap_or_else(|| f.value().to_string());
            Value::String(raw)
        }
        toml_edit::Value::Boolean(b) => Value::Bool(*b.value()),
        toml_edit::Value::Datetime(d) => Value::String(d.value().to_string()),
        toml_edit::Value::Array(a) => Value::Array(a.iter().map(toml_value).collect()),
        toml_edit::Value::InlineTable(t) => {
            let mut map = Map::new();
            for (k, v) in t.iter() {
                map.insert(k.to_string(), toml_value(v));
            }
            Value::Object(map)
        }
    }
}
