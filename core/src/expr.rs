//! The expressions the method's figures are written in, and the three things made from each:
//! its exact value, its formula in words, and its live Excel formula.
//!
//! An [`Expr`] is a tree over the nodes of a [`crate::method::Model`] (the user's inputs, reference
//! figures and other figures), numbers, the four operations, `max`, `min`, sums and the one
//! rule no operator says well, the allocation of an amount to the stages
//! ([`allocate`]). A [`Part`] is a named piece of an expression that a figure lists as one of
//! its inputs (one line's share of a stage, say). When a figure is written out for the
//! explanation, its nodes and parts become its inputs, numbered in the order the expression
//! uses them, and the expression is kept over those numbers ([`Expr::Input`]): the costed
//! workbook writes it as an Excel formula over the input cells, and a test evaluates it from
//! the inputs as shown.
//!
//! A percentage counts as a fraction in every expression: 15% is 0.15.

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::money::FinancialYear;
use crate::quantity::{Origin, Unit};

/// Text that is most often a literal.
pub type Text = Cow<'static, str>;

/// The decimal places of a pound that an allocated part is carried to: 18, a billionth of a
/// billionth of a penny. A key is a quotient that may not terminate, and a `Decimal` holds 28
/// significant digits, so a part is cut at a fixed place; with every part at 18 places the
/// parts of any line, and every total of parts, add up exactly.
pub const ALLOCATION_PLACES: u32 = 18;

/// An operation of two operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `a + b`.
    Add,
    /// `a − b`.
    Sub,
    /// `a × b`.
    Mul,
    /// `a ÷ b`.
    Div,
    /// The larger.
    Max,
    /// The smaller.
    Min,
}

/// An expression of the method.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A node of the model (a figure, an input, a reference figure) or, once written out for
    /// an explanation, input `n` of the figure.
    Input(u32),
    /// A named piece that the figure lists as an input of its own.
    Part(Box<Part>),
    /// A number.
    Num(Decimal),
    /// `a op b`.
    Op(Op, Box<Expr>, Box<Expr>),
    /// `−a`.
    Neg(Box<Expr>),
    /// The terms added in order; the words say `Σ` and the caption where there is one.
    Sum(Vec<Expr>, Option<Text>),
    /// Stage `stage`'s part of `amount` split by four fractions ([`allocate`]).
    Allocate(usize, Box<[Expr; 5]>),
    /// The value, where it is above zero; otherwise the figure has no value ([`Stop::NotPositive`]).
    Positive(Box<Expr>),
    /// A value the method chooses rather than works out (a fee year from a date), citing what
    /// it was chosen from.
    Chosen(Decimal, Vec<Expr>),
}

/// A named piece of an expression, listed as one input of the figure that uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Its name in the figure's list of inputs.
    pub name: Text,
    /// Its name inside the formula.
    pub symbol: Text,
    /// Where it comes from.
    pub origin: Origin,
    /// Its unit.
    pub unit: Unit,
    /// For money: its price year.
    pub price_year: Option<FinancialYear>,
    /// What it is.
    pub expr: Expr,
}

/// Why an expression has no value.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// A result too large (or a divisor too small) for 28 significant digits.
    Overflow,
    /// A division by zero.
    DivideByZero,
    /// A [`Expr::Positive`] that was not: the value found.
    NotPositive(Decimal),
    /// An input that has no value itself.
    Undefined(u32),
}

impl Expr {
    /// A number.
    pub fn num(d: impl Into<Decimal>) -> Expr {
        Expr::Num(d.into())
    }

    fn op(op: Op, a: Expr, b: Expr) -> Expr {
        Expr::Op(op, Box::new(a), Box::new(b))
    }

    /// The larger of two.
    pub fn max(a: Expr, b: Expr) -> Expr {
        Expr::op(Op::Max, a, b)
    }

    /// The smaller of two.
    pub fn min(a: Expr, b: Expr) -> Expr {
        Expr::op(Op::Min, a, b)
    }

    /// The terms added in order, shown as `a + b + c`.
    pub fn sum(terms: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::Sum(terms.into_iter().collect(), None)
    }

    /// The terms added in order, shown as `Σ caption`.
    pub fn sum_of(caption: impl Into<Text>, terms: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::Sum(terms.into_iter().collect(), Some(caption.into()))
    }

    /// Stage `stage` (0 to 3)'s part of `amount`, split by four fractions that sum to one.
    pub fn allocate(stage: usize, amount: Expr, fractions: [Expr; 4]) -> Expr {
        let [a, b, c, d] = fractions;
        Expr::Allocate(stage, Box::new([amount, a, b, c, d]))
    }

    /// A value chosen by a rule of the method from the inputs it cites, not worked out.
    pub fn chosen(value: Decimal, cites: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::Chosen(value, cites.into_iter().collect())
    }

    /// The value where it is above zero; no value otherwise.
    pub fn positive(self) -> Expr {
        Expr::Positive(Box::new(self))
    }

    /// A named piece, listed as an input of the figure.
    pub fn part(self, name: impl Into<Text>, symbol: impl Into<Text>, origin: Origin, unit: Unit) -> Expr {
        Expr::Part(Box::new(Part {
            name: name.into(),
            symbol: symbol.into(),
            origin,
            unit,
            price_year: None,
            expr: self,
        }))
    }

    /// Evaluates the expression exactly, every operation checked; `input` gives the value of
    /// input `n` (a percentage as its fraction).
    pub fn eval<F: Fn(u32) -> Result<Decimal, Stop>>(&self, input: &F) -> Result<Decimal, Stop> {
        match self {
            Expr::Input(n) => input(*n),
            Expr::Part(p) => p.expr.eval(input),
            Expr::Num(d) => Ok(*d),
            Expr::Op(op, a, b) => {
                let (a, b) = (a.operand(input)?, b.operand(input)?);
                match op {
                    Op::Add => add(a, b).ok_or(Stop::Overflow),
                    Op::Sub => sub(a, b).ok_or(Stop::Overflow),
                    Op::Mul => mul(a, b).ok_or(Stop::Overflow),
                    Op::Div if b.is_zero() => Err(Stop::DivideByZero),
                    Op::Div => div(a, b).ok_or(Stop::Overflow),
                    Op::Max => Ok(a.max(b)),
                    Op::Min => Ok(a.min(b)),
                }
            }
            Expr::Neg(a) => Ok(-a.eval(input)?),
            Expr::Sum(terms, _) => {
                let mut s = Decimal::ZERO;
                for t in terms {
                    s = add(s, t.operand(input)?).ok_or(Stop::Overflow)?;
                }
                Ok(s)
            }
            Expr::Allocate(stage, args) => {
                let amount = args[0].eval(input)?;
                let mut fractions = [Decimal::ZERO; 4];
                for (f, e) in fractions.iter_mut().zip(&args[1..]) {
                    *f = e.eval(input)?;
                }
                allocate_part(*stage, amount, fractions).ok_or(Stop::Overflow)
            }
            Expr::Positive(a) => {
                let v = a.eval(input)?;
                if v > Decimal::ZERO { Ok(v) } else { Err(Stop::NotPositive(v)) }
            }
            Expr::Chosen(v, _) => Ok(*v),
        }
    }

    /// [`Expr::eval`], with an input or a number read in place rather than through a call:
    /// most operands are one or the other, and a model is evaluated many times over in an
    /// analysis.
    #[inline]
    fn operand<F: Fn(u32) -> Result<Decimal, Stop>>(&self, input: &F) -> Result<Decimal, Stop> {
        match self {
            Expr::Input(n) => input(*n),
            Expr::Num(d) => Ok(*d),
            _ => self.eval(input),
        }
    }

    /// Whether the expression names a part anywhere.
    pub fn has_part(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| found |= matches!(e, Expr::Part(_)));
        found
    }

    /// Every input and part, in the order the expression first uses them.
    pub fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        match self {
            Expr::Input(_) | Expr::Part(_) => f(self),
            Expr::Num(_) => {}
            Expr::Op(_, a, b) => {
                a.visit(f);
                b.visit(f);
            }
            Expr::Neg(a) | Expr::Positive(a) => a.visit(f),
            Expr::Sum(terms, _) => terms.iter().for_each(|t| t.visit(f)),
            Expr::Allocate(_, args) => args.iter().for_each(|t| t.visit(f)),
            Expr::Chosen(_, cites) => cites.iter().for_each(|t| t.visit(f)),
        }
    }

    /// The expression with each input and part replaced as `slot` says (by its input number in
    /// a figure's list).
    pub fn renumber(&self, slot: &mut impl FnMut(&Expr) -> u32) -> Expr {
        match self {
            Expr::Input(_) | Expr::Part(_) => Expr::Input(slot(self)),
            Expr::Num(d) => Expr::Num(*d),
            Expr::Op(op, a, b) => Expr::op(*op, a.renumber(slot), b.renumber(slot)),
            Expr::Neg(a) => Expr::Neg(Box::new(a.renumber(slot))),
            Expr::Positive(a) => Expr::Positive(Box::new(a.renumber(slot))),
            Expr::Sum(terms, caption) => {
                Expr::Sum(terms.iter().map(|t| t.renumber(slot)).collect(), caption.clone())
            }
            Expr::Chosen(v, cites) => Expr::Chosen(*v, cites.iter().map(|t| t.renumber(slot)).collect()),
            Expr::Allocate(stage, args) => {
                let [a, b, c, d, e] = &**args;
                Expr::Allocate(
                    *stage,
                    Box::new([
                        a.renumber(slot),
                        b.renumber(slot),
                        c.renumber(slot),
                        d.renumber(slot),
                        e.renumber(slot),
                    ]),
                )
            }
        }
    }

    /// The formula in words: each input by its symbol (`FTE × salary`).
    pub fn words(&self, symbol: &dyn Fn(&Expr) -> String) -> String {
        self.words_at(symbol, 0)
    }

    /// How tightly an expression binds: a sum 1, a product 2, anything else 3.
    fn binding(&self) -> u8 {
        match self {
            Expr::Op(Op::Add | Op::Sub, ..) | Expr::Sum(_, None) => 1,
            Expr::Op(Op::Mul | Op::Div, ..) => 2,
            Expr::Positive(a) => a.binding(),
            _ => 3,
        }
    }

    fn words_at(&self, symbol: &dyn Fn(&Expr) -> String, least: u8) -> String {
        let text = match self {
            Expr::Input(_) | Expr::Part(_) => return symbol(self),
            Expr::Num(d) => return crate::money::format_number(*d, 28),
            Expr::Op(op @ (Op::Max | Op::Min), a, b) => {
                let name = if *op == Op::Max { "max" } else { "min" };
                return format!("{name}({}, {})", a.words_at(symbol, 0), b.words_at(symbol, 0));
            }
            Expr::Op(op, a, b) => {
                let (sign, level) = match op {
                    Op::Add => ("+", 1),
                    Op::Sub => ("−", 1),
                    Op::Mul => ("×", 2),
                    _ => ("÷", 2),
                };
                // The right operand of − and ÷ needs brackets at its own level too.
                let right = if matches!(op, Op::Sub | Op::Div) { level + 1 } else { level };
                format!("{} {sign} {}", a.words_at(symbol, level), b.words_at(symbol, right))
            }
            Expr::Neg(a) => return format!("−{}", a.words_at(symbol, 3)),
            Expr::Sum(_, Some(caption)) => return format!("Σ {caption}"),
            Expr::Sum(terms, None) => {
                terms.iter().map(|t| t.words_at(symbol, 1)).collect::<Vec<_>>().join(" + ")
            }
            Expr::Allocate(stage, args) => {
                return format!(
                    "{} × share {} (to 18 places, the remainder to the largest share)",
                    args[0].words_at(symbol, 2),
                    ["A", "B", "C", "other"][*stage]
                );
            }
            Expr::Positive(a) => return a.words_at(symbol, least),
            Expr::Chosen(v, _) => return crate::money::format_number(*v, 28),
        };
        if self.binding() < least { format!("({text})") } else { text }
    }

    /// The expression as an Excel formula (without the `=`), input `n` written as `cell(n)`.
    /// `None` where it uses a rule Excel has no function for (the allocation).
    pub fn excel(&self, cell: &dyn Fn(u32) -> String) -> Option<String> {
        Some(match self {
            Expr::Input(n) => cell(*n),
            Expr::Part(_) | Expr::Allocate(..) | Expr::Chosen(..) => return None,
            Expr::Num(d) => d.normalize().to_string(),
            Expr::Op(op, a, b) => {
                let (a, b) = (a.excel(cell)?, b.excel(cell)?);
                match op {
                    Op::Add => format!("({a}+{b})"),
                    Op::Sub => format!("({a}-{b})"),
                    Op::Mul => format!("({a}*{b})"),
                    Op::Div => format!("({a}/{b})"),
                    Op::Max => format!("MAX({a},{b})"),
                    Op::Min => format!("MIN({a},{b})"),
                }
            }
            Expr::Neg(a) => format!("(-{})", a.excel(cell)?),
            Expr::Positive(a) => a.excel(cell)?,
            Expr::Sum(terms, _) if terms.is_empty() => "0".into(),
            Expr::Sum(terms, _) => {
                let parts: Option<Vec<String>> = terms.iter().map(|t| t.excel(cell)).collect();
                format!("SUM({})", parts?.join(","))
            }
        })
    }
}

macro_rules! operator {
    ($trait:ident, $method:ident, $op:expr) => {
        impl std::ops::$trait for Expr {
            type Output = Expr;
            fn $method(self, other: Expr) -> Expr {
                Expr::op($op, self, other)
            }
        }
    };
}
operator!(Add, add, Op::Add);
operator!(Sub, sub, Op::Sub);
operator!(Mul, mul, Op::Mul);
operator!(Div, div, Op::Div);

impl std::ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        Expr::Neg(Box::new(self))
    }
}

/// Stage `k`'s part of [`allocate`]: the same decimal, worked out with one product where the
/// stage does not take the remainder.
pub fn allocate_part(k: usize, amount: Decimal, fractions: [Decimal; 4]) -> Option<Decimal> {
    if largest(&fractions) == k {
        allocate(amount, fractions).map(|parts| parts[k])
    } else {
        Some(mul(amount, fractions[k])?.round_dp(ALLOCATION_PLACES))
    }
}

// The checked operations. In the browser each is called rather than inlined (rust_decimal's
// are inlined at every use, and the evaluator and the allocation use each several times), for
// a smaller module; natively inlined, for the analyses' speed.
#[cfg_attr(target_family = "wasm", inline(never))]
#[cfg_attr(not(target_family = "wasm"), inline)]
pub(crate) fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

#[cfg_attr(target_family = "wasm", inline(never))]
#[cfg_attr(not(target_family = "wasm"), inline)]
pub(crate) fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_sub(b)
}

#[cfg_attr(target_family = "wasm", inline(never))]
#[cfg_attr(not(target_family = "wasm"), inline)]
pub(crate) fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

#[cfg_attr(target_family = "wasm", inline(never))]
#[cfg_attr(not(target_family = "wasm"), inline)]
pub(crate) fn div(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_div(b)
}

/// The percent figure of a fraction (0.15 is 15), or the fraction itself where that overflows.
pub(crate) fn percent_of(fraction: Decimal) -> Decimal {
    mul(fraction, Decimal::ONE_HUNDRED).unwrap_or(fraction)
}

/// `a + b`, or the largest or smallest decimal where that overflows (only two values of the same
/// sign can).
pub(crate) fn saturating_add(a: Decimal, b: Decimal) -> Decimal {
    add(a, b).unwrap_or(if a.is_sign_negative() { Decimal::MIN } else { Decimal::MAX })
}

/// The stage with the largest fraction (the first of equals), which takes the remainder.
fn largest(fractions: &[Decimal; 4]) -> usize {
    let mut largest = 0;
    for i in 1..4 {
        if fractions[i] > fractions[largest] {
            largest = i;
        }
    }
    largest
}

/// Splits an amount by four fractions that sum to one, exactly: each part is carried to
/// [`ALLOCATION_PLACES`] and the remainder goes to the stage with the largest fraction (the
/// first of equals), so the parts always add up to the amount. `None` on overflow.
pub fn allocate(amount: Decimal, fractions: [Decimal; 4]) -> Option<[Decimal; 4]> {
    let mut parts = [Decimal::ZERO; 4];
    let mut sum = Decimal::ZERO;
    for (p, f) in parts.iter_mut().zip(fractions) {
        *p = mul(amount, f)?.round_dp(ALLOCATION_PLACES);
        sum = add(sum, *p)?;
    }
    let remainder = sub(amount, sum)?;
    if !remainder.is_zero() {
        let l = largest(&fractions);
        parts[l] = add(parts[l], remainder)?;
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn inputs(n: u32) -> Result<Decimal, Stop> {
        Ok([dec!(2), dec!(0.15), dec!(10)][n as usize])
    }

    fn symbol(e: &Expr) -> String {
        match e {
            Expr::Input(n) => ["a", "b", "c"][*n as usize].to_string(),
            _ => "part".into(),
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn an_expression_gives_its_value_its_words_and_its_excel_formula() {
        let (a, b, c) = (Expr::Input(0), Expr::Input(1), Expr::Input(2));
        let cell = |n: u32| format!("H{}", n + 5);
        let cases = [
            (a.clone() * b.clone(), dec!(0.30), "a × b", "(H5*H6)"),
            (
                a.clone() * Expr::max(Expr::num(0), b.clone() - Expr::num(12)),
                dec!(0),
                "a × max(0, b − 12)",
                "(H5*MAX(0,(H6-12)))",
            ),
            (Expr::sum([a.clone(), b.clone(), c.clone()]), dec!(12.15), "a + b + c", "SUM(H5,H6,H7)"),
            (
                Expr::sum_of("lines", [a.clone(), b.clone()]) / c.clone(),
                dec!(0.215),
                "Σ lines ÷ c",
                "(SUM(H5,H6)/H7)",
            ),
            (-(a.clone() - c.clone()) / Expr::num(4), dec!(2), "−(a − c) ÷ 4", "((-(H5-H7))/4)"),
            (c.clone() - (a.clone() - b.clone()), dec!(8.15), "c − (a − b)", "(H7-(H5-H6))"),
            ((a.clone() + b.clone()) * c.clone(), dec!(21.5), "(a + b) × c", "((H5+H6)*H7)"),
            (
                a.clone() / (b.clone() * c.clone()),
                dec!(1.3333333333333333333333333333),
                "a ÷ (b × c)",
                "(H5/(H6*H7))",
            ),
        ];
        for (e, value, words, excel) in cases {
            assert_eq!(e.eval(&inputs), Ok(value), "{words}");
            assert_eq!(e.words(&symbol), words);
            assert_eq!(e.excel(&cell).as_deref(), Some(excel), "{words}");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn arithmetic_that_cannot_be_done_exactly_stops_and_says_why() {
        let big = Expr::num(Decimal::MAX);
        assert_eq!((big.clone() * Expr::num(2)).eval(&inputs), Err(Stop::Overflow));
        assert_eq!((big.clone() + big.clone()).eval(&inputs), Err(Stop::Overflow));
        assert_eq!((Expr::num(1) / Expr::num(0)).eval(&inputs), Err(Stop::DivideByZero));
        assert_eq!(
            (big / Expr::num(dec!(0.0000000000000000000000000001))).eval(&inputs),
            Err(Stop::Overflow)
        );
        assert_eq!((Expr::num(-3)).positive().eval(&inputs), Err(Stop::NotPositive(dec!(-3))));
        assert_eq!(allocate(Decimal::MAX, [dec!(2), dec!(0), dec!(0), dec!(0)]), None);
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn allocated_parts_add_up_to_the_amount_and_the_remainder_goes_to_the_largest_share() {
        let third = Decimal::ONE / dec!(3);
        let parts = allocate(dec!(100), [third, third, third, Decimal::ZERO]).expect("allocates");
        assert_eq!(parts.iter().sum::<Decimal>(), dec!(100));
        assert_eq!(parts[1], dec!(33.333333333333333333));
        assert_eq!(parts[0], dec!(33.333333333333333334), "the first of equal largest shares");
        let e = Expr::allocate(
            0,
            Expr::num(100),
            [Expr::num(third), Expr::num(third), Expr::num(third), Expr::num(0)],
        );
        assert_eq!(e.eval(&inputs), Ok(dec!(33.333333333333333334)));
        assert_eq!(e.excel(&|n| n.to_string()), None, "Excel has no largest-remainder rule");
    }
}
