//! A range for an input (low, most likely, high), as a scenario file gives it for an analysis
//! that draws the input (a Monte Carlo run).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The shape of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// Triangular: density rising in a straight line from low to most likely, falling to high.
    #[default]
    Triangular,
    /// PERT: a beta distribution on low–high with shape 1 + 4 × (likely − low) ÷ (high − low)
    /// and 1 + 4 × (high − likely) ÷ (high − low); less weight in the tails than triangular.
    Pert,
}

impl Distribution {
    /// The name as written in input files.
    pub fn name(self) -> &'static str {
        match self {
            Distribution::Triangular => "triangular",
            Distribution::Pert => "pert",
        }
    }

    /// Reads a name (`triangular`, `pert`), any case.
    pub fn parse(s: &str) -> Option<Distribution> {
        match s.trim().to_ascii_lowercase().as_str() {
            "triangular" | "triangle" => Some(Distribution::Triangular),
            "pert" | "beta-pert" | "beta_pert" => Some(Distribution::Pert),
            _ => None,
        }
    }
}

/// A range for one input, as an input file gives it (`[[range]]` in a scenario file).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Range {
    /// The input's path (`route.weeks_in_house`, `staff[2].salary`).
    pub input: String,
    /// The lowest value.
    pub low: Decimal,
    /// The most likely value.
    pub likely: Decimal,
    /// The highest value.
    pub high: Decimal,
    /// The distribution; by default triangular.
    pub distribution: Distribution,
}
