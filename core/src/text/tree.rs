//! Reading typed inputs from a [`Value`] tree, naming the field of any error.
//!
//! The trees [`super::from_text`] builds hold every number that is not a whole number as its
//! source text, so this deserializer knows only whole numbers, text, true/false, lists and
//! tables: a decimal field reads the text exactly, and no binary float is ever made.
//!
//! It does the work serde_path_to_error did over serde_json's own `Value` deserializer, in one
//! layer instead of two: an error is given its path on the way back up (each table adds the key
//! it was reading, each list the position, counted from 1 as adoptcost's messages count lines),
//! and a struct is read only from a table, never from a list, so the structs' list-reading code
//! is never built (docs/decisions.md says why the library has its own).
//!
//! Beside it, the pieces the library's own table readers are made of ([`object`], [`table`],
//! [`entries`], [`list`], [`with`]): the inputs and the reference files are read with these
//! rather than serde's derived readers, in the same words and with the same paths.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};
use std::fmt;

/// A problem reading a value, with the path to it once known.
#[derive(Debug)]
pub struct DeError {
    message: String,
    /// The path's segments from the innermost out (`amount`, `[4]`, `direct`), added as the
    /// error travels up.
    within: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    /// A list position, counted from 1.
    Position(usize),
}

impl DeError {
    /// The error, inside the table entry `key`.
    pub fn at_key(mut self, key: &str) -> DeError {
        self.within.push(Segment::Key(key.to_string()));
        self
    }

    fn at_index(mut self, index: usize) -> DeError {
        self.within.push(Segment::Position(index + 1));
        self
    }

    /// The path to the value (`direct[4].amount`), empty for the top level.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.within.iter().rev() {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Position(n) => {
                    path.push('[');
                    path.push_str(&n.to_string());
                    path.push(']');
                }
            }
        }
        path
    }

    /// What was wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.path() {
            path if path.is_empty() => f.write_str(&self.message),
            path => write!(f, "{path}: {}", self.message),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(message: T) -> DeError {
        DeError { message: message.to_string(), within: Vec::new() }
    }

    // serde's own wording, written out here: its `Unexpected` display also formats binary
    // floats, which these trees never hold and the browser's module need not carry.
    fn invalid_type(found: Unexpected, expected: &dyn de::Expected) -> DeError {
        de::Error::custom(format_args!("invalid type: {}, expected {}", Found(found), in_words(expected)))
    }

    fn invalid_value(found: Unexpected, expected: &dyn de::Expected) -> DeError {
        de::Error::custom(format_args!("invalid value: {}, expected {}", Found(found), in_words(expected)))
    }
}

/// What serde expected, in people's words where serde names a Rust type (`u32`).
fn in_words(expected: &dyn de::Expected) -> String {
    let e = expected.to_string();
    match e.as_str() {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        _ => e,
    }
}

/// What was found, in serde's words.
struct Found<'a>(Unexpected<'a>);

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(n) => write!(f, "integer `{n}`"),
            Unexpected::Signed(n) => write!(f, "integer `{n}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Float(_) => f.write_str("floating point number"),
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("unit value"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

/// Reads a typed value from a tree.
pub fn from_value<T: de::DeserializeOwned>(value: &Value) -> Result<T, DeError> {
    T::deserialize(ValueDe(value))
}

/// Reads one value with a serde reading function (`crate::text::decimal`,
/// `String::deserialize`): the leaves of a table read through the input tables.
pub fn with<'a, T>(value: &'a Value, read: fn(ValueDe<'a>) -> Result<T, DeError>) -> Result<T, DeError> {
    read(ValueDe(value))
}

/// The error for a value that is not the `what` (`struct Child`, `a sequence`) expected, in
/// serde's words.
fn wrong_type(value: &Value, what: &str) -> DeError {
    de::Error::invalid_type(unexpected(value), &what)
}

/// The value as a table, or serde's words for what it is instead of the `what` expected.
pub fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, DeError> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(wrong_type(value, what)),
    }
}

/// Reads a table as serde's derived reader of a struct with `deny_unknown_fields` does, and
/// in its words: each entry in the document's order through `each` (its error given the
/// entry's key), a key not among `fields` refused, then the first of `required` that is not
/// there. `what` names the struct (`struct Source`) where the value is not a table.
pub fn table<'a>(
    value: &'a Value,
    what: &'static str,
    fields: &'static [&'static str],
    required: &[&'static str],
    each: &mut dyn FnMut(&'a str, &'a Value) -> Result<(), DeError>,
) -> Result<(), DeError> {
    let map = object(value, what)?;
    for (key, v) in map {
        if !fields.contains(&key.as_str()) {
            return Err(<DeError as de::Error>::unknown_field(key, fields).at_key(key));
        }
        each(key, v).map_err(|e| e.at_key(key))?;
    }
    match required.iter().find(|r| !map.contains_key(**r)) {
        Some(r) => Err(de::Error::missing_field(r)),
        None => Ok(()),
    }
}

/// Reads a table whose keys are names the document chooses (a map), each entry by `each`, its
/// error given the entry's key.
pub fn entries<'a>(
    value: &'a Value,
    each: &mut dyn FnMut(&'a str, &'a Value) -> Result<(), DeError>,
) -> Result<(), DeError> {
    object(value, "a map")?.iter().try_for_each(|(key, v)| each(key, v).map_err(|e| e.at_key(key)))
}

/// Reads a list, each item by `item`, an item's error given its position (from 1).
pub fn list<'a, T>(
    value: &'a Value,
    item: &mut dyn FnMut(&'a Value) -> Result<T, DeError>,
) -> Result<Vec<T>, DeError> {
    let Value::Array(items) = value else {
        return Err(wrong_type(value, "a sequence"));
    };
    items.iter().enumerate().map(|(i, v)| item(v).map_err(|e| e.at_index(i))).collect()
}

/// The tree as serde's errors describe what was found.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            (None, None) => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// The integer methods of a deserializer, each reading a whole number ([`ValueDe::number`]):
/// the integer types' own visitors check the range.
macro_rules! integers {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
                self.number(visitor)
            }
        )*
    };
}

/// A deserializer over one value of the tree.
pub struct ValueDe<'a>(&'a Value);

impl<'de> ValueDe<'de> {
    /// The error for a value of the wrong kind (one function, not one per visitor).
    fn wrong(&self, expected: &dyn de::Expected) -> DeError {
        de::Error::invalid_type(unexpected(self.0), expected)
    }

    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                // Not made by `from_text`; read exactly, as text.
                (None, None) => visitor.visit_str(&n.to_string()),
            },
            _ => Err(self.wrong(&visitor)),
        }
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(_) => self.number(visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(_) => self.deserialize_seq(visitor),
            Value::Object(_) => self.deserialize_map(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.wrong(&visitor)),
        }
    }

    integers! {
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items { items: items.iter(), index: 0 }),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Entries::new(map)),
            _ => Err(self.wrong(&visitor)),
        }
    }

    /// A struct is read from a table only (serde would also take a list of its fields in order,
    /// which no input of adoptcost's is).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    /// The inputs' enums are names (`"vaa"`, `"england"`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => Err(self.wrong(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    // Serde's method names, not floats: these trees hold none, so a float field (adoptcost has
    // none; money is Decimal) would be given a whole number or the number's exact text.
    forward_to_deserialize_any! {
        u128 i128 f32 f64 char bytes byte_buf unit unit_struct tuple_struct
    }
}

/// A list's items, each error given its position.
struct Items<'a> {
    items: std::slice::Iter<'a, Value>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.next() else { return Ok(None) };
        let index = self.index;
        self.index += 1;
        seed.deserialize(ValueDe(item)).map(Some).map_err(|e| e.at_index(index))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// A table's entries, each error given its key.
struct Entries<'a> {
    entries: serde_json::map::Iter<'a>,
    next: Option<(&'a str, &'a Value)>,
}

impl<'a> Entries<'a> {
    fn new(map: &'a Map<String, Value>) -> Entries<'a> {
        Entries { entries: map.iter(), next: None }
    }
}

impl<'de> de::MapAccess<'de> for Entries<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.next = Some((key, value));
        seed.deserialize(BorrowedStrDeserializer::<DeError>::new(key)).map(Some).map_err(|e| e.at_key(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (key, value) =
            self.next.take().ok_or_else(|| de::Error::custom("a value was asked for before its key"))?;
        seed.deserialize(ValueDe(value)).map_err(|e| e.at_key(key))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        lines: Vec<Line>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        quarters: Vec<u32>,
        flag: bool,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Raa,
        Vaa,
    }

    /// The path and message of reading `value` as an [`Outer`].
    fn fails(value: Value) -> (String, String) {
        let e = from_value::<Outer>(&value).expect_err("the value is bad");
        (e.path(), e.message().to_string())
    }

    fn pair(path: &str, message: &str) -> (String, String) {
        (path.to_string(), message.to_string())
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn reads_tables_lists_names_and_nothing() {
        let ok: Outer =
            from_value(&json!({"name": "a", "lines": [{"quarters": [1, 2], "flag": true}], "kind": "vaa"}))
                .expect("reads");
        assert_eq!((ok.lines[0].quarters.as_slice(), ok.kind), (&[1, 2][..], Some(Kind::Vaa)));
        let ok: Outer = from_value(&json!({"name": "a", "lines": [], "kind": null})).expect("reads");
        assert_eq!(ok.kind, None);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn errors_name_the_path_with_positions_from_one() {
        let line = |quarters: Value| json!({"quarters": quarters, "flag": true});
        assert_eq!(
            fails(json!({"name": "a", "lines": [line(json!([1])), line(json!([1, "x"]))]})),
            pair("lines[2].quarters[2]", "invalid type: string \"x\", expected a whole number, 0 or more")
        );
        assert_eq!(
            fails(json!({"name": "a", "lines": [line(json!([-1]))]})),
            pair("lines[1].quarters[1]", "invalid value: integer `-1`, expected a whole number, 0 or more")
        );
        assert_eq!(
            fails(json!({"name": "a", "lines": [line(json!([5_000_000_000_u64]))]})),
            pair(
                "lines[1].quarters[1]",
                "invalid value: integer `5000000000`, expected a whole number, 0 or more"
            )
        );
        assert_eq!(
            fails(json!({"name": "a", "lines": [{"quarters": [], "flag": true, "flg": 1}]})),
            pair("lines[1].flg", "unknown field `flg`, expected `quarters` or `flag`")
        );
        assert_eq!(
            fails(json!({"name": "a", "lines": [{"quarters": []}]})),
            pair("lines[1]", "missing field `flag`")
        );
        assert_eq!(
            fails(json!({"name": "a", "lines": [], "kind": "france"})),
            pair("kind", "unknown variant `france`, expected `raa` or `vaa`")
        );
        assert_eq!(
            fails(json!({"name": "a", "lines": [], "kind": {"vaa": 1}})),
            pair("kind", "invalid type: map, expected enum Kind")
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_struct_is_read_from_a_table_only() {
        assert_eq!(fails(json!(["a", []])), pair("", "invalid type: sequence, expected struct Outer"));
        assert_eq!(fails(json!("a")), pair("", "invalid type: string \"a\", expected struct Outer"));
        assert_eq!(
            fails(json!({"name": "a", "lines": {"quarters": []}})),
            pair("lines", "invalid type: map, expected a sequence")
        );
        assert_eq!(
            fails(json!({"name": 1, "lines": []})),
            pair("name", "invalid type: integer `1`, expected a string")
        );
    }
}
