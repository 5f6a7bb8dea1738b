//! The arithmetic of a figure over its own inputs, as a short expression (`$0 * $1`), so the
//! costed workbook can write each figure as a live Excel formula over its input cells, and a
//! test can check that every figure's expression gives its value from its inputs.
//!
//! Grammar: `$n` is the figure's input `n` (0-based; a percentage input counts as a
//! fraction, 15% as 0.15); numbers; `+ - * /`; parentheses; `max(a, b)`, `min(a, b)`;
//! `sum($a:$b)` (inputs a to b) and `sum` (every input). Expressions are parsed only when
//! used (writing Workings, testing), never while costing.

use rust_decimal::Decimal;

use crate::explain::{Figure, Unit};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Input `n` of the figure.
    Input(usize),
    /// A number.
    Number(Decimal),
    /// Sum of inputs `a..=b`.
    Sum(usize, usize),
    /// A binary operation (`+ - * /`).
    Op(char, Box<Expr>, Box<Expr>),
    /// `max` or `min` of two expressions.
    Call(&'static str, Box<Expr>, Box<Expr>),
    /// A negated expression.
    Neg(Box<Expr>),
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
    inputs: usize,
}

impl Parser<'_> {
    fn skip(&mut self) {
        while self.s.get(self.at).is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.skip();
        if self.s.get(self.at) == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn word(&mut self, w: &str) -> bool {
        self.skip();
        if self.s[self.at..].starts_with(w.as_bytes()) {
            self.at += w.len();
            true
        } else {
            false
        }
    }
    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at {} of `{}`", self.at, String::from_utf8_lossy(self.s)))
    }
    fn expr(&mut self) -> Result<Expr, String> {
        let mut e = self.term()?;
        loop {
            if self.eat(b'+') {
                e = Expr::Op('+', Box::new(e), Box::new(self.term()?));
            } else if self.eat(b'-') {
                e = Expr::Op('-', Box::new(e), Box::new(self.term()?));
            } else {
                return Ok(e);
            }
        }
    }
    fn term(&mut self) -> Result<Expr, String> {
        let mut e = self.factor()?;
        loop {
            if self.eat(b'*') {
                e = Expr::Op('*', Box::new(e), Box::new(self.factor()?));
            } else if self.eat(b'/') {
                e = Expr::Op('/', Box::new(e), Box::new(self.factor()?));
            } else {
                return Ok(e);
            }
        }
    }
    fn index(&mut self) -> Result<usize, String> {
        if !self.eat(b'$') {
            return self.fail("expected $n");
        }
        let start = self.at;
        while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let n: usize = std::str::from_utf8(&self.s[start..self.at])
            .ok()
            .and_then(|t| t.parse().ok())
            .map_or_else(|| self.fail("expected an input number"), Ok)?;
        if n >= self.inputs {
            return self.fail(&format!("input ${n} of {}", self.inputs));
        }
        Ok(n)
    }
    fn factor(&mut self) -> Result<Expr, String> {
        self.skip();
        if self.eat(b'-') {
            return Ok(Expr::Neg(Box::new(self.factor()?)));
        }
        if self.eat(b'(') {
            let e = self.expr()?;
            return if self.eat(b')') { Ok(e) } else { self.fail("expected )") };
        }
        for name in ["max", "min"] {
            if self.word(name) {
                if !self.eat(b'(') {
                    return self.fail("expected (");
                }
                let a = self.expr()?;
                if !self.eat(b',') {
                    return self.fail("expected ,");
                }
                let b = self.expr()?;
                if !self.eat(b')') {
                    return self.fail("expected )");
                }
                return Ok(Expr::Call(name, Box::new(a), Box::new(b)));
            }
        }
        if self.word("sum") {
            if self.eat(b'(') {
                let a = self.index()?;
                if !self.eat(b':') {
                    return self.fail("expected :");
                }
                let b = self.index()?;
                if !self.eat(b')') || b < a {
                    return self.fail("expected $a:$b)");
                }
                return Ok(Expr::Sum(a, b));
            }
            if self.inputs == 0 {
                // A total of no lines (an agency with no capital lines) is 0.
                return Ok(Expr::Number(Decimal::ZERO));
            }
            return Ok(Expr::Sum(0, self.inputs - 1));
        }
        if self.s.get(self.at) == Some(&b'$') {
            return Ok(Expr::Input(self.index()?));
        }
        let start = self.at;
        while self.s.get(self.at).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
            self.at += 1;
        }
        match std::str::from_utf8(&self.s[start..self.at]).ok().and_then(|t| t.parse::<Decimal>().ok()) {
            Some(d) => Ok(Expr::Number(d)),
            None => self.fail("expected a number, $n, (, max, min or sum"),
        }
    }
}

impl Expr {
    /// The same expression in the method's terms.
    pub fn into_method(self) -> crate::method::Expr {
        use crate::method::Expr as M;
        match self {
            Expr::Input(n) => M::Input(n as u32),
            Expr::Number(d) => M::Num(d),
            Expr::Sum(a, b) => M::sum((a..=b).map(|n| M::Input(n as u32))),
            Expr::Op(op, a, b) => {
                let (a, b) = (a.into_method(), b.into_method());
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    _ => a / b,
                }
            }
            Expr::Call(f, a, b) => {
                if f == "max" {
                    M::max(a.into_method(), b.into_method())
                } else {
                    M::min(a.into_method(), b.into_method())
                }
            }
            Expr::Neg(a) => -a.into_method(),
        }
    }
}

/// Parses an expression over `inputs` inputs.
pub fn parse(text: &str, inputs: usize) -> Result<Expr, String> {
    let mut p = Parser { s: text.as_bytes(), at: 0, inputs };
    let e = p.expr()?;
    p.skip();
    if p.at != p.s.len() {
        return p.fail("unexpected text");
    }
    Ok(e)
}

/// The value an input stands for in an expression: a percentage as a fraction.
pub fn input_value(fig: &Figure, n: usize) -> Option<Decimal> {
    let q = &fig.inputs.get(n)?.value;
    Some(if q.unit == Unit::Percent { q.value / Decimal::ONE_HUNDRED } else { q.value })
}

/// The figure's value as its expression would show it (a percentage as a fraction).
pub fn result_value(fig: &Figure) -> Option<Decimal> {
    let q = fig.result.quantity()?;
    Some(if q.unit == Unit::Percent { q.value / Decimal::ONE_HUNDRED } else { q.value })
}

/// Evaluates an expression over a figure's inputs, exactly; `None` where it divides by zero
/// or overflows.
pub fn eval(e: &Expr, fig: &Figure) -> Option<Decimal> {
    Some(match e {
        Expr::Input(n) => input_value(fig, *n)?,
        Expr::Number(d) => *d,
        Expr::Sum(a, b) => {
            let mut s = Decimal::ZERO;
            for n in *a..=*b {
                s = s.checked_add(input_value(fig, n)?)?;
            }
            s
        }
        Expr::Op(op, a, b) => {
            let (a, b) = (eval(a, fig)?, eval(b, fig)?);
            match op {
                '+' => a.checked_add(b)?,
                '-' => a.checked_sub(b)?,
                '*' => a.checked_mul(b)?,
                _ => a.checked_div(b)?,
            }
        }
        Expr::Call(f, a, b) => {
            let (a, b) = (eval(a, fig)?, eval(b, fig)?);
            if *f == "max" { a.max(b) } else { a.min(b) }
        }
        Expr::Neg(a) => -eval(a, fig)?,
    })
}

/// The expression as an Excel formula (without the `=`), input `n` written as `cell(n)`.
pub fn excel(e: &Expr, cell: &dyn Fn(usize) -> String) -> String {
    match e {
        Expr::Input(n) => cell(*n),
        Expr::Number(d) => d.normalize().to_string(),
        Expr::Sum(a, b) => {
            let cells: Vec<String> = (*a..=*b).map(cell).collect();
            format!("SUM({})", cells.join(","))
        }
        Expr::Op(op, a, b) => format!("({}{op}{})", excel(a, cell), excel(b, cell)),
        Expr::Call(f, a, b) => format!("{}({},{})", f.to_uppercase(), excel(a, cell), excel(b, cell)),
        Expr::Neg(a) => format!("(-{})", excel(a, cell)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{Origin, Quantity, fig};
    use rust_decimal::dec;

    fn f() -> Figure {
        let o = || Origin::Default { reason: "test".into() };
        fig("t", "test")
            .input("a", Quantity::plain(dec!(2), Unit::Count), o())
            .input("b", Quantity::plain(dec!(15), Unit::Percent), o())
            .input("c", Quantity::plain(dec!(10), Unit::Count), o())
            .value(Quantity::plain(dec!(0), Unit::Count))
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn expressions_parse_evaluate_and_write_as_excel() {
        let cell = |n: usize| format!("H{}", n + 5);
        let cases = [
            ("$0 * $1", dec!(0.30), "(H5*H6)"),
            ("$0 * max(0, $2 - 12)", dec!(0), "(H5*MAX(0,(H7-12)))"),
            ("sum", dec!(12.15), "SUM(H5,H6,H7)"),
            ("sum($0:$1) / $2", dec!(0.215), "(SUM(H5,H6)/H7)"),
            ("-($0 - $2) / 4", dec!(2), "((-(H5-H7))/4)"),
            ("$2 - $0 - 1", dec!(7), "((H7-H5)-1)"),
        ];
        for (text, value, formula) in cases {
            let e = parse(text, 3).unwrap_or_else(|m| panic!("{m}"));
            assert_eq!(eval(&e, &f()), Some(value), "{text}");
            assert_eq!(excel(&e, &cell), formula, "{text}");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn bad_expressions_are_refused_with_where() {
        for bad in ["$3", "$0 +", "max($0)", "sum($2:$1)", "$0 $1", "x"] {
            assert!(parse(bad, 3).is_err(), "{bad}");
        }
        assert_eq!(eval(&parse("$0 / ($2 - 10)", 3).expect("parses"), &f()), None);
    }
}
