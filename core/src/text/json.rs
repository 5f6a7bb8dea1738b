//! JSON text into a value tree: every object's keys unique, every number that is not a whole
//! number kept as its source text (money stays exact: no number is ever a float).
//!
//! Written here rather than read with serde_json's parser, which builds floats and would keep
//! the last of two equal keys: the tree this builds is the one the readers need, directly. The
//! grammar is RFC 8259's; the messages are worded as serde_json words them.

use serde_json::{Map, Value};

/// How deep arrays and objects may nest (serde_json's limit), so hostile text cannot exhaust
/// the stack.
const DEPTH: usize = 128;

/// Why JSON text could not be read, and the byte offset it was found at.
#[derive(Debug)]
pub struct Problem {
    /// Where in the text, as a byte offset.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// Where in `text` the problem is, as `line L, column C` (counted from 1).
    pub fn place(&self, text: &str) -> String {
        let before = text.get(..self.offset).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {col}")
    }
}

/// Parses JSON text into a value tree.
pub fn to_value(text: &str) -> Result<Value, Problem> {
    let mut p = Parser { text, at: 0, depth: 0 };
    let value = p.value()?;
    p.blank();
    if p.at < text.len() {
        return Err(p.problem("trailing characters"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn problem(&self, message: impl Into<String>) -> Problem {
        Problem { offset: self.at, message: message.into() }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// The next byte after blanks, or the end named as `what` (`value`, `list`, `object`).
    fn next(&mut self, what: &str) -> Result<u8, Problem> {
        self.blank();
        self.peek().ok_or_else(|| self.problem(format!("EOF while parsing {what}")))
    }

    fn value(&mut self) -> Result<Value, Problem> {
        match self.next("a value")? {
            b'{' => self.nested(Parser::object),
            b'[' => self.nested(Parser::list),
            b'"' => self.string().map(Value::String),
            b't' => self.word("true", Value::Bool(true)),
            b'f' => self.word("false", Value::Bool(false)),
            b'n' => self.word("null", Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(self.problem("expected value")),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Problem>) -> Result<Value, Problem> {
        self.depth += 1;
        if self.depth > DEPTH {
            return Err(self.problem("recursion limit exceeded"));
        }
        self.at += 1;
        let value = read(self)?;
        self.depth -= 1;
        Ok(value)
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, Problem> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.problem("expected value"))
        }
    }

    fn list(&mut self) -> Result<Value, Problem> {
        let mut out = Vec::new();
        self.items(b']', "a list", |p| p.value().map(|v| out.push(v)))?;
        Ok(Value::Array(out))
    }

    fn object(&mut self) -> Result<Value, Problem> {
        let mut out = Map::new();
        self.items(b'}', "an object", |p| {
            if p.next("an object")? != b'"' {
                return Err(p.problem("key must be a string"));
            }
            let start = p.at;
            let key = p.string()?;
            if p.next("an object")? != b':' {
                return Err(p.problem("expected `:`"));
            }
            p.at += 1;
            let value = p.value()?;
            if out.contains_key(&key) {
                return Err(Problem {
                    offset: start,
                    message: format!("the key `{key}` is given twice in one object"),
                });
            }
            out.insert(key, value);
            Ok(())
        })?;
        Ok(Value::Object(out))
    }

    /// The items of a list or an object, each read by `item`, separated by commas, up to the
    /// `close` bracket (named `what` where the text ends first).
    fn items(
        &mut self,
        close: u8,
        what: &str,
        mut item: impl FnMut(&mut Self) -> Result<(), Problem>,
    ) -> Result<(), Problem> {
        if self.next(what)? == close {
            self.at += 1;
            return Ok(());
        }
        loop {
            item(self)?;
            match self.next(what)? {
                b',' => self.at += 1,
                b if b == close => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(self.problem(format!("expected `,` or `{}`", char::from(close)))),
            }
        }
    }

    /// A string, from its opening quote.
    fn string(&mut self) -> Result<String, Problem> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy up to the next quote, backslash or control character in one piece.
            let rest = &self.text[self.at..];
            let plain = rest.find(|c: char| c == '"' || c == '\\' || c < ' ').unwrap_or(rest.len());
            out.push_str(&rest[..plain]);
            self.at += plain;
            match self.peek() {
                None => return Err(self.problem("EOF while parsing a string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                Some(_) => {
                    return Err(
                        self.problem("control character (\\u0000-\\u001F) found while parsing a string")
                    );
                }
            }
        }
    }

    /// The character an escape stands for, from the byte after its backslash.
    fn escape(&mut self) -> Result<char, Problem> {
        let Some(b) = self.peek() else { return Err(self.problem("EOF while parsing a string")) };
        self.at += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex()?;
                if !(0xD800..0xDC00).contains(&first) {
                    return char::from_u32(first)
                        .ok_or_else(|| self.problem("lone trailing surrogate in hex escape"));
                }
                if !self.text[self.at..].starts_with("\\u") {
                    return Err(self.problem("lone leading surrogate in hex escape"));
                }
                self.at += 2;
                let second = self.hex()?;
                if !(0xDC00..0xE000).contains(&second) {
                    return Err(self.problem("lone leading surrogate in hex escape"));
                }
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                char::from_u32(code).ok_or_else(|| self.problem("invalid unicode code point"))?
            }
            _ => {
                self.at -= 1;
                return Err(self.problem("invalid escape"));
            }
        })
    }

    /// Four hex digits of a `\u` escape.
    fn hex(&mut self) -> Result<u32, Problem> {
        let digits = self.text.get(self.at..self.at + 4).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        let Some(digits) = digits else { return Err(self.problem("invalid escape")) };
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.problem("invalid escape"))
    }

    /// A number: a whole number that fits 64 bits as a number, anything else as its text.
    fn number(&mut self) -> Result<Value, Problem> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let digits = |at: usize| bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        let mut at = start + usize::from(bytes[start] == b'-');
        match (bytes.get(at), digits(at)) {
            (Some(b'0'), _) => at += 1,
            (_, 0) => return Err(Problem { offset: at, message: "invalid number".to_string() }),
            (_, n) => at += n,
        }
        if bytes.get(at) == Some(&b'.') {
            match digits(at + 1) {
                0 => return Err(Problem { offset: at + 1, message: "invalid number".to_string() }),
                n => at += 1 + n,
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            match digits(at) {
                0 => return Err(Problem { offset: at, message: "invalid number".to_string() }),
                n => at += n,
            }
        }
        self.at = at;
        let text = &self.text[start..at];
        Ok(match (text.parse::<u64>(), text.parse::<i64>()) {
            (Ok(u), _) => Value::from(u),
            (_, Ok(i)) => Value::from(i),
            _ => Value::String(text.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problem(text: &str) -> String {
        let e = to_value(text).expect_err(text);
        format!("{} at {}", e.message, e.place(text))
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn reads_every_kind_of_value() {
        let text = r#" {"a": [1, -2, 0, 1.50, 1e+3, -0.0, true, false, null],
            "b": {"c": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}, "": []} "#;
        assert_eq!(
            to_value(text).expect("reads"),
            json!({"a": [1, -2, 0, "1.50", "1e+3", "-0.0", true, false, null],
                   "b": {"c": "x\"\\/\u{8}\u{c}\n\r\té😀"}, "": []})
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn keeps_numbers_too_big_for_64_bits_as_their_text() {
        let big = "123456789012345678901234567890";
        assert_eq!(to_value(big).expect("reads"), json!(big));
        assert_eq!(to_value("-9223372036854775808").expect("reads"), json!(i64::MIN));
        assert_eq!(to_value("18446744073709551615").expect("reads"), json!(u64::MAX));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn keeps_the_order_of_keys() {
        let v = to_value(r#"{"z": 1, "a": 2}"#).expect("reads");
        let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["z", "a"]);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn refuses_malformed_text_saying_where() {
        for (text, want) in [
            ("", "EOF while parsing a value at line 1, column 1"),
            ("{\"a\": 1,\n \"a\": 2}", "the key `a` is given twice in one object at line 2, column 2"),
            ("[1, 2", "EOF while parsing a list at line 1, column 6"),
            ("[1 2]", "expected `,` or `]` at line 1, column 4"),
            ("{\"a\" 1}", "expected `:` at line 1, column 6"),
            ("{\"a\": 1 \"b\": 2}", "expected `,` or `}` at line 1, column 9"),
            ("{1: 2}", "key must be a string at line 1, column 2"),
            ("{\"a\": 1,}", "key must be a string at line 1, column 9"),
            ("[1,]", "expected value at line 1, column 4"),
            ("tru", "expected value at line 1, column 1"),
            ("01", "trailing characters at line 1, column 2"),
            ("1.", "invalid number at line 1, column 3"),
            ("1e", "invalid number at line 1, column 3"),
            ("-", "invalid number at line 1, column 2"),
            ("+1", "expected value at line 1, column 1"),
            (".5", "expected value at line 1, column 1"),
            ("\"a", "EOF while parsing a string at line 1, column 3"),
            (
                "\"a\nb\"",
                "control character (\\u0000-\\u001F) found while parsing a string at line 1, column 3",
            ),
            ("\"\\x\"", "invalid escape at line 1, column 3"),
            ("\"\\u12\"", "invalid escape at line 1, column 4"),
            ("\"\\ud800\"", "lone leading surrogate in hex escape at line 1, column 8"),
            ("\"\\udc00\"", "lone trailing surrogate in hex escape at line 1, column 8"),
            ("[] []", "trailing characters at line 1, column 4"),
            ("\"é\" x", "trailing characters at line 1, column 5"),
        ] {
            assert_eq!(problem(text), want, "{text:?}");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn refuses_nesting_deeper_than_the_limit() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(to_value(&deep(DEPTH)).is_ok());
        assert_eq!(to_value(&deep(DEPTH + 1)).expect_err("too deep").message, "recursion limit exceeded");
    }

    // Native only: proptest has no wasm32 build.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Any value serde_json writes reads back as the same tree (a fraction as its text).
        #[test]
        fn reads_what_serde_json_writes(v in any_value()) {
            let text = serde_json::to_string_pretty(&v).expect("writes");
            proptest::prop_assert_eq!(to_value(&text).expect("reads"), v);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn any_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::btree_map(any::<String>(), inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
