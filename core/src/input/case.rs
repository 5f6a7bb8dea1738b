//! A child or sibling group and the routes to compare, the fields of each as [`Field`]s, and
//! the rules they must meet.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::checks::{
    AGE, GROUP, Lazy, MONTHS, Odd, Problems, WEEKS, ambiguous_rate, amount, check_each_field,
};
use super::schema::{Analysed, Check, Field, Kind, NATIONS, PROVIDERS, Value, money};
use super::{Case, MoneyIn, Nation, Provider};
use crate::error::{Error, Result};
use crate::quantity::Unit;

/// A child or a sibling group to be placed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Child {
    /// A reference for the child or group (never a name: no personal data is needed).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reference: String,
    /// Children in the group.
    pub children: u32,
    /// Age in years of the youngest child, where known (for eligibility).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Disabled (eligibility).
    pub disabled: bool,
    /// From a Black or minority ethnic background (eligibility).
    pub minority_ethnic: bool,
    /// Waiting more than 18 months from entering care (eligibility).
    pub waiting_over_18_months: bool,
    /// Weekly cost of each child's current placement, in pounds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekly_care_cost: Option<MoneyIn>,
    /// Or the group's own weekly cost, in pounds (used instead of the per-child cost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_weekly_care_cost: Option<MoneyIn>,
    /// The user's own note on the child or group (the Notes column of the Children sheet):
    /// carried to the costed row, never used in the costing.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// The cost centre the placement is charged to, for the ledger (never used in the costing).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cost_centre: String,
    /// The budget code the placement is charged to, for the ledger (never used in the costing).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub budget_code: String,
}

impl Default for Child {
    /// One child, with nothing else given.
    fn default() -> Self {
        Child {
            reference: String::new(),
            children: 1,
            age: None,
            disabled: false,
            minority_ethnic: false,
            waiting_over_18_months: false,
            weekly_care_cost: None,
            group_weekly_care_cost: None,
            notes: String::new(),
            cost_centre: String::new(),
            budget_code: String::new(),
        }
    }
}

/// A contribution the user enters instead of a reference scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionIn {
    /// A share of the placement fee, in percent, or
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::text::opt_percent")]
    pub share: Option<Decimal>,
    /// a fixed amount in pounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<MoneyIn>,
}

/// The routes to compare for the child.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Route {
    /// The external adopters' agency type; by default a VAA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// The nation whose fee schedule applies; by default the agency's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nation: Option<Nation>,
    /// True where the external adopters' agency is in London.
    pub london: bool,
    /// The date the child moves in; it decides the fee year. By default today's date, as the
    /// front door passes it.
    #[serde(serialize_with = "crate::text::opt_date::serialize", skip_serializing_if = "Option::is_none")]
    pub placement_date: Option<Date>,
    /// Expected weeks from placement order to match in-house.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weeks_in_house: Option<Decimal>,
    /// Expected weeks from placement order to match externally.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weeks_external: Option<Decimal>,
    /// Sequential search: weeks spent searching in-house first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_weeks: Option<Decimal>,
    /// Sequential search: probability (percent) the in-house search succeeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success_probability: Option<Decimal>,
    /// Costs the child's own council bears in either route (shown, added to both).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_costs: Option<MoneyIn>,
    /// The schedule fee to use instead of the reference figure (before London weighting).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<MoneyIn>,
    /// Where the fee year's schedule is not yet published: the percentage to uprate the latest
    /// published amount by, as an estimate. Never applied by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee_uplift: Option<Decimal>,
    /// The monthly fee after 12 months without an order, instead of the reference figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_fee: Option<MoneyIn>,
    /// Expected months in placement beyond 12 without an adoption order; by default 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months_beyond_12: Option<Decimal>,
    /// A contribution to use instead of the reference schemes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contribution: Option<ContributionIn>,
}

impl Route {
    /// The external adopters' agency's type: the one given, or a VAA (the default).
    pub fn provider_used(&self) -> Provider {
        self.provider.unwrap_or(Provider::Vaa)
    }
}

impl Case<'_> {
    /// Notes on the route's rates whose value reads two ways (a rate in a file given as a fraction, or a cell's 1 read as 100%).
    pub fn rate_notes(&self) -> Vec<String> {
        let r = self.route;
        [
            ("route.success_probability", r.success_probability),
            ("route.contribution.share", r.contribution.as_ref().and_then(|c| c.share)),
            ("route.fee_uplift", r.fee_uplift),
        ]
        .into_iter()
        .filter_map(|(f, v)| ambiguous_rate(self.provenance, f, v?, Odd::Small))
        .collect()
    }

    /// Checks the child and route (not the agency), naming the first field that breaks a rule.
    pub fn validate(&self) -> Result<()> {
        Problems::of(|ps| self.check(ps)).first()
    }

    /// Every rule of the method the child and route break, in the order [`Case::validate`]
    /// checks them.
    pub fn problems(&self) -> Vec<Error> {
        Problems::of(|ps| self.check(ps)).into_vec()
    }

    fn check(&self, ps: &mut Problems) {
        let p = self.provenance;
        let place = |f: &str| p.place(f);
        check_each_field(&CHILD, self.child, p, "", ps);
        let r = self.route;
        check_each_field(&ROUTE, r, p, "", ps);
        if r.search_weeks.is_some() != r.success_probability.is_some() {
            let missing =
                if r.search_weeks.is_none() { "route.search_weeks" } else { "route.success_probability" };
            ps.note(Err(Error::invalid(
                place(missing),
                "not given, though the other sequential-search input is",
                "both search weeks and the probability of success, or neither",
            )));
        }
        if let Some(cn) = &r.contribution
            && cn.share.is_some() == cn.amount.is_some()
        {
            ps.note(Err(Error::invalid(
                place("route.contribution"),
                "both a share and an amount, or neither",
                "a contribution as one of a share of the placement fee or a fixed amount",
            )));
        }
        if let Some(ix) = self.price_index {
            ps.note(ix.check(|f| place(f)));
        }
        for (i, o) in self.fee_overrides.iter().enumerate() {
            let at = Lazy(|| {
                if o.location.is_empty() {
                    place(&format!("fee_override[{}].amount", i + 1))
                } else {
                    o.location.clone()
                }
            });
            ps.note(amount(at, o.amount.0));
        }
        if r.london && r.nation.unwrap_or(self.agency.nation) != Nation::England {
            ps.note(Err(Error::invalid(
                place("route.london"),
                "true for a placement outside England",
                "London weighting only for an agency in London, England",
            )));
        }
    }
}

fn num(d: Decimal) -> Option<Value> {
    Some(Value::Number(d))
}

/// The child's fields, in the order of the workbook's Children sheet.
pub static CHILD: [Field<Child>; 8] = [
    Field::<Child>::new(
        "child.reference",
        "Reference",
        "Reference for the child or group",
        "A reference for the child or group: never a name, as no personal data is needed.",
        Kind::Text,
        |c| (!c.reference.is_empty()).then(|| Value::Text(c.reference.clone())),
        |c, v| c.reference = v.text().unwrap_or_default().into(),
    )
    .width(14),
    Field::<Child>::new(
        "child.children",
        "Children",
        "Children in the group",
        "Children in the sibling group (1 for a single child).",
        Kind::Whole,
        |c| Some(Value::Whole(c.children)),
        |c, v| c.children = v.whole().unwrap_or(1),
    )
    .required()
    .check(Check::Within(GROUP, "children in the group"))
    .flag("children")
    .width(9),
    Field::<Child>::new(
        "child.age",
        "Age",
        "Age of the youngest child",
        "Age in years of the youngest child (a contribution may apply from 5).",
        Kind::Whole,
        |c| c.age.map(Value::Whole),
        |c, v| c.age = v.whole(),
    )
    .check(Check::Within(AGE, "an age in years"))
    .flag("age")
    .width(6),
    Field::<Child>::new(
        "child.disabled",
        "Disabled",
        "Disabled",
        "A child is disabled (contribution eligibility).",
        Kind::YesNo,
        |c| Some(Value::Yes(c.disabled)),
        |c, v| c.disabled = v.yes().unwrap_or(false),
    )
    .blank("no")
    .flag("disabled")
    .width(9),
    Field::<Child>::new(
        "child.minority_ethnic",
        "Minority ethnic",
        "From a Black or minority ethnic background",
        "A child is from a Black or minority ethnic background (contribution eligibility).",
        Kind::YesNo,
        |c| Some(Value::Yes(c.minority_ethnic)),
        |c, v| c.minority_ethnic = v.yes().unwrap_or(false),
    )
    .blank("no")
    .flag("minority-ethnic"),
    Field::<Child>::new(
        "child.waiting_over_18_months",
        "Waiting over 18 months",
        "Waiting more than 18 months since entering care",
        "The child has waited more than 18 months since entering care (contribution eligibility).",
        Kind::YesNo,
        |c| Some(Value::Yes(c.waiting_over_18_months)),
        |c, v| c.waiting_over_18_months = v.yes().unwrap_or(false),
    )
    .blank("no")
    .flag("waiting-over-18-months")
    .width(12),
    Field::<Child>::new(
        "child.weekly_care_cost",
        "Weekly care cost",
        "Weekly cost of each child's current placement",
        "Weekly cost of each child's current placement, £.",
        Kind::Number(Unit::GbpPerWeek),
        |c| c.weekly_care_cost.map(money),
        |c, v| c.weekly_care_cost = v.number().map(MoneyIn),
    )
    .blank("the published average price of an independent fostering agency")
    .check(Check::Weekly)
    .flag("weekly-care-cost")
    .analysed(Analysed::When(|s| s.child.group_weekly_care_cost.is_none()))
    .width(12),
    Field::<Child>::new(
        "child.group_weekly_care_cost",
        "Group weekly care cost",
        "Or the group's own weekly cost",
        "The whole group's weekly cost of care, £ (instead of the cost of each child).",
        Kind::Number(Unit::GbpPerWeek),
        |c| c.group_weekly_care_cost.map(money),
        |c, v| c.group_weekly_care_cost = v.number().map(MoneyIn),
    )
    .check(Check::Weekly)
    .flag("group-weekly-care-cost")
    .analysed(Analysed::IfGiven)
    .width(12),
];

/// The contribution's share or amount, the other left as it is.
fn contribution(r: &mut Route) -> &mut ContributionIn {
    r.contribution.get_or_insert(ContributionIn { share: None, amount: None })
}

/// The route's fields, in the order of the workbook's Children sheet.
pub static ROUTE: [Field<Route>; 15] = [
    Field::<Route>::new(
        "route.provider",
        "Provider",
        "External adopters' agency",
        "The external adopters' agency: vaa, or la (a council or RAA).",
        Kind::List(PROVIDERS),
        |r| r.provider.map(|p| Value::Text(p.id().into())),
        |r, v| r.provider = v.text().and_then(Provider::parse),
    )
    .blank("vaa")
    .flag("provider")
    .width(9),
    Field::<Route>::new(
        "route.nation",
        "Nation",
        "Nation whose fee schedule applies",
        "The nation whose fee schedule applies.",
        Kind::List(NATIONS),
        |r| r.nation.map(|n| Value::Text(n.id().into())),
        |r, v| r.nation = v.text().and_then(Nation::parse),
    )
    .blank("the agency's own")
    .flag("nation")
    .width(12),
    Field::<Route>::new(
        "route.london",
        "London",
        "The external adopters' agency is in London",
        "The external adopters' agency is in London (London weighting on the placement fee).",
        Kind::YesNo,
        |r| Some(Value::Yes(r.london)),
        |r, v| r.london = v.yes().unwrap_or(false),
    )
    .blank("no")
    .flag("london")
    .width(9),
    Field::<Route>::new(
        "route.placement_date",
        "Placement date",
        "Date the child moves in",
        "The date the child moves in, as 2025-09-01; it decides the fee year.",
        Kind::Date,
        |r| r.placement_date.map(Value::Date),
        |r, v| r.placement_date = v.date(),
    )
    .blank("today's date")
    .flag("placement-date")
    .width(12),
    Field::<Route>::new(
        "route.weeks_in_house",
        "Weeks in-house",
        "Expected weeks to a match in-house (W_in)",
        "Expected weeks from placement order to a match in-house.",
        Kind::Number(Unit::Weeks),
        |r| r.weeks_in_house.and_then(num),
        |r, v| r.weeks_in_house = v.number(),
    )
    .blank("the published average")
    .check(Check::Within(WEEKS, "weeks"))
    .flag("weeks-in-house")
    .analysed(Analysed::Always),
    Field::<Route>::new(
        "route.weeks_external",
        "Weeks external",
        "Expected weeks to a match externally (W_ext)",
        "Expected weeks from placement order to a match externally.",
        Kind::Number(Unit::Weeks),
        |r| r.weeks_external.and_then(num),
        |r, v| r.weeks_external = v.number(),
    )
    .blank("the published average")
    .check(Check::Within(WEEKS, "weeks"))
    .flag("weeks-external")
    .analysed(Analysed::Always),
    Field::<Route>::new(
        "route.search_weeks",
        "Search weeks",
        "Sequential search: weeks searching in-house first (S)",
        "Sequential search: weeks searching in-house before going external. Give with the success probability, or neither.",
        Kind::Number(Unit::Weeks),
        |r| r.search_weeks.and_then(num),
        |r, v| r.search_weeks = v.number(),
    )
    .check(Check::Within(WEEKS, "weeks"))
    .flag("search-weeks")
    .analysed(Analysed::IfGiven),
    Field::<Route>::new(
        "route.success_probability",
        "Success probability",
        "Sequential search: chance the in-house search succeeds (p)",
        "Sequential search: the chance the in-house search succeeds, percent.",
        Kind::Number(Unit::Percent),
        |r| r.success_probability.and_then(num),
        |r, v| r.success_probability = v.number(),
    )
    .check(Check::Percent)
    .flag("success-probability")
    .analysed(Analysed::IfGiven)
    .width(11),
    Field::<Route>::new(
        "route.common_costs",
        "Common costs",
        "Costs borne in either route",
        "The child's council's own costs in either route, £ (added to both).",
        Kind::Number(Unit::Gbp),
        |r| r.common_costs.map(money),
        |r, v| r.common_costs = v.number().map(MoneyIn),
    )
    .check(Check::Amount)
    .flag("common-costs")
    .analysed(Analysed::IfGiven)
    .width(11),
    Field::<Route>::new(
        "route.fee",
        "Fee",
        "Schedule fee to use instead of the published one",
        "Your schedule fee, £, before London weighting (still added with London), instead of the reference figure. Needed where the reference data has no amount.",
        Kind::Number(Unit::Gbp),
        |r| r.fee.map(money),
        |r, v| r.fee = v.number().map(MoneyIn),
    )
    .check(Check::Amount)
    .flag("fee")
    .analysed(Analysed::Always)
    .width(11),
    Field::<Route>::new(
        "route.fee_uplift",
        "Fee uplift",
        "Uplift on the latest published fee, where the year is not published",
        "Where the fee year's schedule is not published yet: the percentage to uprate the latest published amount by, as an estimate (CVAA uprates by CPIH for the previous calendar year). Not used where the year is published.",
        Kind::Number(Unit::Percent),
        |r| r.fee_uplift.and_then(num),
        |r, v| r.fee_uplift = v.number(),
    )
    .check(Check::Percent)
    .flag("fee-uplift")
    .analysed(Analysed::IfGiven)
    .width(11),
    Field::<Route>::new(
        "route.monthly_fee",
        "Monthly fee",
        "Monthly fee after 12 months without an order",
        "Your monthly fee after 12 months in placement without an adoption order, £.",
        Kind::Number(Unit::GbpPerMonth),
        |r| r.monthly_fee.map(money),
        |r, v| r.monthly_fee = v.number().map(MoneyIn),
    )
    .blank("the published one")
    .check(Check::Amount)
    .flag("monthly-fee")
    .analysed(Analysed::IfGiven)
    .width(11),
    Field::<Route>::new(
        "route.months_beyond_12",
        "Months beyond 12",
        "Expected months in placement beyond 12 without an order",
        "Expected months in placement beyond 12 without an adoption order.",
        Kind::Number(Unit::Months),
        |r| r.months_beyond_12.and_then(num),
        |r, v| r.months_beyond_12 = v.number(),
    )
    .blank("0")
    .check(Check::Within(MONTHS, "months"))
    .flag("months-beyond-12")
    .analysed(Analysed::IfGiven),
    Field::<Route>::new(
        "route.contribution.share",
        "Contribution share",
        "Contribution: share of the placement fee",
        "A contribution to the fee as a share of the placement fee, percent, instead of the reference schemes.",
        Kind::Number(Unit::Percent),
        |r| r.contribution.as_ref().and_then(|c| c.share).and_then(num),
        |r, v| contribution(r).share = v.number(),
    )
    .check(Check::Percent)
    .flag("contribution-share")
    .analysed(Analysed::IfGiven)
    .width(12),
    Field::<Route>::new(
        "route.contribution.amount",
        "Contribution amount",
        "Or a fixed contribution",
        "A contribution to the fee as a fixed amount, £, instead of the reference schemes.",
        Kind::Number(Unit::Gbp),
        |r| r.contribution.as_ref().and_then(|c| c.amount).map(money),
        |r, v| contribution(r).amount = v.number().map(MoneyIn),
    )
    .check(Check::Amount)
    .flag("contribution-amount")
    .analysed(Analysed::IfGiven)
    .width(12),
];
