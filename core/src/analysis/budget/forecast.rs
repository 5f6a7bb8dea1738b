//! What a budget is asked: the forecast of placements by profile and quarter, over one year or
//! several, the sales, and the commitments carried from placements already made.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::input::{ContributionIn, FeeOverride, MoneyIn, Nation, PriceIndex, Provider};
use crate::money::FinancialYear;

/// A number of placements (fractions allowed: an expected count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Count(#[serde(deserialize_with = "crate::text::decimal")] pub Decimal);

/// One profile of child or sibling group the forecast expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// What the profile is (`sibling groups of 2`).
    pub name: String,
    /// Children in each group (1 for a single child).
    #[serde(default = "one")]
    pub children: u32,
    /// Age in years of the youngest child (a contribution may apply from 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Disabled (contribution eligibility).
    #[serde(default)]
    pub disabled: bool,
    /// From a Black or minority ethnic background (contribution eligibility).
    #[serde(default)]
    pub minority_ethnic: bool,
    /// Waiting more than 18 months from entering care (contribution eligibility).
    #[serde(default)]
    pub waiting_over_18_months: bool,
    /// Groups expected to be placed in each quarter, Q1 (April–June) to Q4 (January–March):
    /// the same in every budget year, or one set for each.
    pub placements: Quarters,
    /// Percent of those placements expected to be made with another agency's adopters.
    #[serde(deserialize_with = "crate::text::percent")]
    pub external_share: Decimal,
    /// The external adopters' agency type (by default a VAA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// The nation whose fees apply (by default the agency's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nation: Option<Nation>,
    /// True where the external adopters' agency is expected to be in London.
    #[serde(default)]
    pub london: bool,
    /// A contribution expected from a scheme the reference data does not hold (a share of the
    /// placement fee or a fixed amount), instead of the reference schemes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contribution: Option<ContributionIn>,
    /// Months beyond 12 in placement without an adoption order expected of each external
    /// placement (an average: fractions allowed), each earning the monthly fee; by default 0.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_decimal")]
    pub months_beyond_12: Option<Decimal>,
    /// The monthly fee, instead of the reference figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_fee: Option<MoneyIn>,
}

fn one() -> u32 {
    1
}

/// The agency's own approved adopters expected to be matched with other agencies' children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sales {
    /// Households expected to be matched in each quarter: the same in every budget year, or
    /// one set for each.
    pub placements: Quarters,
    /// The fee earned per sale; by default the schedule's fee for one child for the agency's
    /// own provider type, with the London weighting where the agency is in London.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_income_per_sale: Option<MoneyIn>,
}

/// A forecast of one year or several (a `forecast` TOML or JSON file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forecast {
    /// The budget year; by default the latest fee year the reference data covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<FinancialYear>,
    /// The budget years, one after another, instead of `year`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<FinancialYear>,
    /// The profiles of children expected.
    #[serde(default, rename = "profile")]
    pub profiles: Vec<Profile>,
    /// Fee income expected from sales.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales: Option<Sales>,
    /// Placements made before the budget years whose fees still fall due in them.
    #[serde(default, rename = "commitment", skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<Commitment>,
    /// Fees for schedules and years the reference data does not hold.
    #[serde(default, rename = "fee_override", skip_serializing_if = "Vec::is_empty")]
    pub fee_overrides: Vec<FeeOverride>,
    /// A price index to restate the agency's in-house costs in the budget year's prices, where
    /// their price year differs (COSTING.md §8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_index: Option<PriceIndex>,
    /// Who prepared the budget, for the sign-off block (left to fill in by hand where blank).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prepared_by: String,
    /// Who approves it, for the sign-off block.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub approved_by: String,
}

/// Counts by quarter, Q1 (April–June) to Q4 (January–March): the same in every budget year
/// (`[4, 3, 5, 4]`), or one set for each year in order (`[[4, 3, 5, 4], [5, 4, 4, 4]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "four counts, Q1 to Q4 (the same every year), or a list of four counts for each budget year"
)]
pub enum Quarters {
    /// The same in every year.
    Every([Count; 4]),
    /// One set for each budget year, in order.
    ByYear(Vec<[Count; 4]>),
}

impl Default for Quarters {
    fn default() -> Self {
        Quarters::Every([Count::default(); 4])
    }
}

impl From<[Count; 4]> for Quarters {
    fn from(q: [Count; 4]) -> Self {
        Quarters::Every(q)
    }
}

impl Quarters {
    /// The counts of budget year `i` (from 0), where given.
    pub fn of_year(&self, i: usize) -> Option<[Count; 4]> {
        match self {
            Quarters::Every(q) => Some(*q),
            Quarters::ByYear(years) => years.get(i).copied(),
        }
    }

    /// How many years' counts are given one by one (`None`: the same every year).
    pub fn years_given(&self) -> Option<usize> {
        match self {
            Quarters::Every(_) => None,
            Quarters::ByYear(years) => Some(years.len()),
        }
    }
}

/// A placement made before the budget years whose fees still fall due in them: its monthly
/// fees after 12 months without an order, or an amount still to pay (an invoice not yet paid),
/// or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// The placement's reference (a child's or an invoice's).
    pub reference: String,
    /// The date the child moved in.
    #[serde(with = "crate::text::date")]
    pub placed: Date,
    /// The external adopters' agency type (by default a VAA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// The nation whose fees apply (by default the agency's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nation: Option<Nation>,
    /// Months beyond 12 in placement without an order expected in all, counted from month 13;
    /// those that fell before the budget years are taken as paid.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_decimal")]
    pub months_beyond_12: Option<Decimal>,
    /// The monthly fee, instead of the reference figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_fee: Option<MoneyIn>,
    /// An amount still to pay on the placement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyIn>,
    /// The day `amount` falls due.
    #[serde(with = "crate::text::opt_date", default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
}
