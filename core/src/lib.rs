//! adoptcost: what an adoptive placement really costs an agency in-house, against the
//! interagency fee for the same work, with the cost of the child waiting.
//!
//! The method is `COSTING.md` (shipped in `docs/`): an agency's cost base for one financial year
//! ([`input::Agency`]) is costed stage by stage ([`method`]): approval (A), matching (B) and
//! support to the order (C), with office running, regulation, back office and capital
//! allocated by the method's keys. The unit costs are set against the interagency fee
//! ([`method::fee`]) looked up in dated reference data ([`reference::Reference`]), and the
//! routes are compared with the cost of waiting ([`compare::compare`]). Each figure is one
//! expression in a model ([`method::Model`]) from which its value, its words and its Excel
//! formula all come.
//!
//! Data flows one way: inputs ([`input::Scenario`]) and reference data go in, a
//! [`compare::Comparison`] comes out, holding typed results and an [`explain::Explanation`]: every
//! figure with its formula, inputs and their origins. The command line, the workbook and the
//! browser render that one structure.
//!
//! The library does no I/O: no files, no clock, no environment. Text and bytes come in as
//! arguments. Money is exact ([`money::Money`] over `rust_decimal`); no binary float is used.

#![deny(missing_docs)]

pub mod analysis;
pub mod batch;
pub mod compare;
pub mod error;
pub mod example;
pub mod explain;
pub mod expr;
pub mod input;
pub mod method;
pub mod money;
pub mod quantity;
pub mod reference;
pub mod text;
#[cfg(feature = "workbook")]
pub mod workbook;

pub use compare::{Comparison, compare};
pub use error::{Error, Result};
pub use input::{Agency, Child, Route, Scenario};
pub use money::{FinancialYear, Money, Percent};
pub use reference::Reference;
pub use text::TextFormat;
