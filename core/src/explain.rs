//! Explanations: every figure with its derivation (COSTING.md §9).
//!
//! A [`Figure`] is a label, a formula in symbols, a sentence in words, its inputs ([`Term`]s, each
//! with a value, a unit and an [`Origin`]) and its result. The whole run's figures are kept in an
//! [`Explanation`], in the order they were worked out, so each figure's inputs appear before it.
//! The command line, the workbook and the browser all render this one structure.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::Money;
pub use crate::quantity::{Grade, Origin, Quantity, Source, Unit};

/// One input of a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// What it is, in words (`salary per FTE`).
    pub name: String,
    /// Its value.
    pub value: Quantity,
    /// Where it came from.
    pub origin: Origin,
}

/// The result of a figure: a value, or the reason there is no such number.
///
/// Serialise-only: explanations flow out of the library, never back in (and serde's `flatten`
/// would bring floats into a `Deserialize` impl).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The figure's value.
    Value {
        /// The exact value.
        #[serde(flatten)]
        quantity: Quantity,
    },
    /// The formula has no answer for these inputs (a zero or negative denominator, say).
    NotDefined {
        /// Why, in words.
        reason: String,
    },
}

impl Outcome {
    /// The value, if there is one.
    pub fn quantity(&self) -> Option<&Quantity> {
        match self {
            Outcome::Value { quantity } => Some(quantity),
            Outcome::NotDefined { .. } => None,
        }
    }

    /// The workings display of the result, or the reason.
    pub fn display(&self) -> String {
        match self {
            Outcome::Value { quantity } => quantity.display(),
            Outcome::NotDefined { reason } => format!("no such number: {reason}"),
        }
    }
}

/// One figure with its derivation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// A stable id (`unit.per_approval`), unique within a run.
    pub id: String,
    /// What it is (`cost per approval`).
    pub label: String,
    /// The formula in symbols (`stage A total ÷ approvals`).
    pub formula: String,
    /// The formula in words, with any choice the method leaves open.
    pub words: String,
    /// The inputs, in the order the formula uses them.
    pub inputs: Vec<Term>,
    /// The figure's expression over its inputs (input `n` is [`crate::expr::Expr::Input`]`(n)`,
    /// a percentage as its fraction): the costed workbook writes it as a live Excel formula,
    /// and a test checks it gives the figure's value from the inputs as shown.
    #[serde(skip)]
    pub calc: Option<crate::expr::Expr>,
    /// The result.
    pub result: Outcome,
}

impl Figure {
    /// The value input `n` stands for in the figure's expression: a percentage as its fraction.
    pub fn input_value(&self, n: usize) -> Option<Decimal> {
        let q = &self.inputs.get(n)?.value;
        Some(if q.unit == Unit::Percent { q.value / Decimal::ONE_HUNDRED } else { q.value })
    }

    /// The figure's value as its expression gives it: a percentage as its fraction.
    pub fn expression_value(&self) -> Option<Decimal> {
        let q = self.result.quantity()?;
        Some(if q.unit == Unit::Percent { q.value / Decimal::ONE_HUNDRED } else { q.value })
    }

    /// The money value of the figure, if it has one.
    pub fn money(&self) -> Option<Money> {
        self.result.quantity().map(|q| Money(q.value))
    }

    /// The plain value of the figure, if it has one.
    pub fn value(&self) -> Option<Decimal> {
        self.result.quantity().map(|q| q.value)
    }
}

/// All the figures of one run, in the order they were worked out.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Explanation {
    /// The figures.
    pub figures: Vec<Figure>,
    #[serde(skip)]
    index: BTreeMap<String, usize>,
}

impl Explanation {
    /// An empty explanation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a figure. Ids are unique: a second figure with the same id is a bug in the model.
    pub fn push(&mut self, figure: Figure) {
        debug_assert!(!self.index.contains_key(&figure.id), "duplicate figure id {}", figure.id);
        self.index.insert(figure.id.clone(), self.figures.len());
        self.figures.push(figure);
    }

    /// Appends another explanation's figures, in order.
    pub fn extend(&mut self, other: Explanation) {
        for f in other.figures {
            self.push(f);
        }
    }

    /// The figure with this id.
    pub fn get(&self, id: &str) -> Option<&Figure> {
        self.index.get(id).and_then(|&i| self.figures.get(i))
    }

    /// Renders one figure's derivation as plain text, the form the terminal prints.
    pub fn render_text(figure: &Figure) -> String {
        let mut out = String::new();
        out.push_str(&format!("{} [{}]\n", figure.label, figure.id));
        out.push_str(&format!("  = {}\n", figure.formula));
        if !figure.words.is_empty() {
            out.push_str(&format!("  {}\n", figure.words));
        }
        for term in &figure.inputs {
            out.push_str(&format!(
                "    {:<44} {:>22}   {}\n",
                term.name,
                term.value.display(),
                term.origin.describe()
            ));
        }
        out.push_str(&format!("  result: {}\n", figure.result.display()));
        out
    }
}
