//! Interagency fee budget planning: from a forecast of the children expected to need adoptive
//! placements in a year (groups by profile, by quarter, with the share expected to be placed
//! externally), the interagency fees to budget for, quarter by quarter, net of contributions,
//! less the fee income expected from the agency's own adopters placed with other agencies'
//! children; beside it the in-house cost of the placements made in-house and the in-house cost
//! the external placements avoid, at full cost and at marginal (cash) cost.
//!
//! Each profile's fee is [`crate::method::fee::fee`] for a group of its size and criteria, placed on the
//! first day of each quarter (fees change on 1 April, so every quarter of a year has the same
//! schedule fee; a contribution scheme's dates are judged at the quarter's first day). The
//! budget year defaults to the latest fee year the reference data covers; a later year needs the
//! user's own fees (`[[fee_override]]`), never an older amount carried forward.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::compare::{CostedAgency, cost_agency};
use crate::error::{Error, Result};
use crate::explain::{Explanation, Origin, Quantity, Unit, fig};
use crate::input::{
    Agency, Case, Child, ContributionIn, FeeOverride, MoneyIn, Nation, Provenance, Provider, Route,
};
use crate::method::fee::{Fee, latest_fee_year, schedule_id};
use crate::money::{FinancialYear, Money, Percent};
use crate::reference::Reference;

/// A number of placements (fractions allowed: an expected count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Count(#[serde(deserialize_with = "crate::text::decimal")] pub Decimal);

/// The four quarters of a financial year: April–June, July–September, October–December,
/// January–March.
pub const QUARTERS: [&str; 4] = ["Q1 (Apr–Jun)", "Q2 (Jul–Sep)", "Q3 (Oct–Dec)", "Q4 (Jan–Mar)"];

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
    /// Groups expected to be placed in each quarter, Q1 (April–June) to Q4 (January–March).
    pub placements: [Count; 4],
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
}

fn one() -> u32 {
    1
}

/// The agency's own approved adopters expected to be matched with other agencies' children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sales {
    /// Households expected to be matched in each quarter.
    pub placements: [Count; 4],
    /// The fee earned per sale; by default the schedule's fee for one child for the agency's
    /// own provider type, with the London weighting where the agency is in London.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_income_per_sale: Option<MoneyIn>,
}

/// A year's forecast (a `forecast` TOML or JSON file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forecast {
    /// The budget year; by default the latest fee year the reference data covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<FinancialYear>,
    /// The profiles of children expected.
    #[serde(default, rename = "profile")]
    pub profiles: Vec<Profile>,
    /// Fee income expected from sales.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales: Option<Sales>,
    /// Fees for schedules and years the reference data does not hold.
    #[serde(default, rename = "fee_override", skip_serializing_if = "Vec::is_empty")]
    pub fee_overrides: Vec<FeeOverride>,
}

/// One figure by quarter, and its year's total.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ByQuarter<T> {
    /// Q1 to Q4.
    pub quarters: [T; 4],
    /// The year.
    pub total: T,
}

/// One profile's budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileBudget {
    /// The profile's name.
    pub name: String,
    /// Children in each group.
    pub children: u32,
    /// Groups expected to be placed.
    pub placements: ByQuarter<Decimal>,
    /// Of which externally.
    pub external: ByQuarter<Decimal>,
    /// The fee for one external placement, each quarter.
    pub fee: [Fee; 4],
    /// External placements × placement fee.
    pub gross_fees: ByQuarter<Money>,
    /// External placements × contribution.
    pub contributions: ByQuarter<Money>,
    /// External placements × net fee.
    pub net_fees: ByQuarter<Money>,
}

impl ProfileBudget {
    /// An amount of the fee (`|f| f.placement`) where it is the same in every quarter, as it is
    /// unless a contribution scheme starts or ends within the year.
    pub fn each_quarter(&self, get: impl Fn(&Fee) -> Money) -> Option<Money> {
        let first = get(&self.fee[0]);
        self.fee.iter().all(|f| get(f) == first).then_some(first)
    }
}

/// The budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    /// The budget year.
    pub year: FinancialYear,
    /// True where no year was given and the latest fee year covered was used.
    pub latest_year_used: bool,
    /// The agency whose in-house costs are used.
    pub agency: String,
    /// The price year of the agency's costs.
    pub cost_price_year: FinancialYear,
    /// Each profile.
    pub profiles: Vec<ProfileBudget>,
    /// External placements, all profiles.
    pub external: ByQuarter<Decimal>,
    /// Interagency fees before contributions, all profiles.
    pub gross_fees: ByQuarter<Money>,
    /// Contributions, all profiles.
    pub contributions: ByQuarter<Money>,
    /// Net fees, all profiles.
    pub net_fees: ByQuarter<Money>,
    /// Sales expected.
    pub sales: ByQuarter<Decimal>,
    /// The fee earned per sale.
    pub income_per_sale: Money,
    /// Fee income from sales.
    pub sales_income: ByQuarter<Money>,
    /// Net fees − fee income: the budget to sign off.
    pub net_budget: ByQuarter<Money>,
    /// Placements expected in-house, all profiles, the year.
    pub in_house_placements: Decimal,
    /// Placements expected externally, all profiles, the year.
    pub external_placements: Decimal,
    /// The agency's full in-house cost of a placement.
    pub full_cost: Money,
    /// The agency's marginal (cash) cost of a placement.
    pub marginal_cost: Money,
    /// In-house placements × full cost.
    pub in_house_full: Money,
    /// In-house placements × marginal cost.
    pub in_house_marginal: Money,
    /// External placements × full cost: the in-house cost they avoid, in full.
    pub avoided_full: Money,
    /// External placements × marginal cost: the cash they avoid this year.
    pub avoided_marginal: Money,
    /// Things a reader must know (the year used, price years, illustrative figures).
    pub notes: Vec<String>,
    /// Every figure: the agency's and the budget's (`budget.…`, each profile's fees as
    /// `profile[N].QK/fee.…`).
    pub explanation: Explanation,
}

/// The first day of quarter `q` (0-based) of a financial year.
pub fn quarter_start(year: FinancialYear, q: usize) -> Date {
    let (y, m) = match q {
        0 => (year.0, 4),
        1 => (year.0, 7),
        2 => (year.0, 10),
        _ => (year.0 + 1, 1),
    };
    jiff::civil::date(y, m, 1)
}

fn sum_q<T: Copy + std::iter::Sum<T>>(q: [T; 4]) -> ByQuarter<T> {
    ByQuarter { quarters: q, total: q.into_iter().sum() }
}

/// Works out the interagency fee budget for a forecast against an agency. `source` names the
/// forecast in error messages and workings (`forecast file plan.toml`).
pub fn budget(agency: &Agency, forecast: &Forecast, source: &str, reference: &Reference) -> Result<Budget> {
    let costed: CostedAgency = cost_agency(agency, reference)?;
    let mut ex = costed.explanation.clone();
    let (year, latest_year_used) = match forecast.year {
        Some(y) => (y, false),
        None => match latest_fee_year(reference, agency.nation) {
            Some(y) => (y, true),
            None => {
                return Err(Error::invalid(
                    "year",
                    format!(
                        "no year given, and the reference data covers no fee year for {}",
                        agency.nation.name()
                    ),
                    "the budget year as `year = \"2025/26\"` with your fees as [[fee_override]] tables",
                ));
            }
        },
    };
    let money = |m: Money| Quantity::money(m, Unit::Gbp, Some(year));
    let count = |d: Decimal| Quantity::plain(d, Unit::Count);
    let from_forecast = |field: String| Origin::Input { field, location: source.to_string() };

    let mut profiles = Vec::with_capacity(forecast.profiles.len());
    for (i, p) in forecast.profiles.iter().enumerate() {
        profiles.push(profile_budget(agency, forecast, source, reference, year, i, p, &mut ex)?);
    }
    type Get = fn(&ProfileBudget) -> &ByQuarter<Money>;
    let mut totals = [ByQuarter::<Money>::default(); 3];
    for ((what, label, get), all) in [
        ("gross_fees", "interagency fees before contributions", (|p| &p.gross_fees) as Get),
        ("contributions", "contributions to the fees", |p| &p.contributions),
        ("net_fees", "net interagency fees", |p| &p.net_fees),
    ]
    .into_iter()
    .zip(&mut totals)
    {
        let mut q = [Money::ZERO; 4];
        for (k, qn) in QUARTERS.iter().enumerate() {
            let mut b = fig(format!("budget.Q{}.{what}", k + 1), format!("{label}, {qn}, all profiles"))
                .formula("Σ profiles")
                .calc("sum");
            for (n, p) in profiles.iter().enumerate() {
                let v = get(p).quarters[k];
                q[k] += v;
                b = b.input(
                    p.name.clone(),
                    money(v),
                    Origin::Figure { id: format!("budget.profile[{}].Q{}.{what}", n + 1, k + 1) },
                );
            }
            ex.push(b.value(money(q[k])));
        }
        *all = sum_q(q);
    }
    let [gross_fees, contributions, net_fees] = totals;
    let mut external_q = [Decimal::ZERO; 4];
    for p in &profiles {
        for (k, e) in p.external.quarters.iter().enumerate() {
            external_q[k] += e;
        }
    }
    let external = sum_q(external_q);

    // Sales and their fee income.
    let sales_q: [Decimal; 4] =
        forecast.sales.as_ref().map_or([Decimal::ZERO; 4], |s| s.placements.map(|c| c.0));
    let sales = sum_q(sales_q);
    let (income_per_sale, per_sale_q, per_sale_o) =
        income_per_sale(agency, forecast, source, reference, year, sales.total, &mut ex)?;
    let mut income_q = [Money::ZERO; 4];
    for (k, qn) in QUARTERS.iter().enumerate() {
        income_q[k] = income_per_sale.times(sales_q[k]);
        ex.push(
            fig(format!("budget.Q{}.sales_income", k + 1), format!("fee income from sales, {qn}"))
                .formula("sales × fee income per sale")
                .words(
                    "The agency's own approved adopters matched with other agencies' children earn the fee.",
                )
                .calc("$0 * $1")
                .input("sales", count(sales_q[k]), from_forecast(format!("sales.placements[{}]", k + 1)))
                .input("fee income per sale", per_sale_q.clone(), per_sale_o.clone())
                .value(money(income_q[k])),
        );
    }
    let sales_income = sum_q(income_q);
    let mut net_q = [Money::ZERO; 4];
    for (k, qn) in QUARTERS.iter().enumerate() {
        net_q[k] = net_fees.quarters[k] - sales_income.quarters[k];
        ex.push(
            fig(format!("budget.Q{}.net_budget", k + 1), format!("net interagency budget, {qn}"))
                .formula("net fees − fee income from sales")
                .calc("$0 - $1")
                .input(
                    "net fees",
                    money(net_fees.quarters[k]),
                    Origin::Figure { id: format!("budget.Q{}.net_fees", k + 1) },
                )
                .input(
                    "fee income from sales",
                    money(sales_income.quarters[k]),
                    Origin::Figure { id: format!("budget.Q{}.sales_income", k + 1) },
                )
                .value(money(net_q[k])),
        );
    }
    let net_budget = sum_q(net_q);
    for (what, label, all) in [
        ("gross_fees", "interagency fees before contributions", &gross_fees),
        ("contributions", "contributions to the fees", &contributions),
        ("net_fees", "net interagency fees", &net_fees),
        ("sales_income", "fee income from sales", &sales_income),
        ("net_budget", "net interagency budget", &net_budget),
    ] {
        let mut b = fig(format!("budget.year.{what}"), format!("{label}, {year}"))
            .formula("Q1 + Q2 + Q3 + Q4")
            .calc("sum");
        for (k, qn) in QUARTERS.iter().enumerate() {
            b = b.input(
                *qn,
                money(all.quarters[k]),
                Origin::Figure { id: format!("budget.Q{}.{what}", k + 1) },
            );
        }
        ex.push(b.value(money(all.total)));
    }

    // The in-house side.
    let in_house_placements: Decimal = profiles.iter().map(|p| p.placements.total - p.external.total).sum();
    let external_placements = external.total;
    let unit = &costed.cost.unit;
    let py = costed.cost.price_year;
    let cost_q = |m: Money| Quantity::money(m, Unit::Gbp, Some(py));
    let mut placements_b = fig("budget.in_house.placements", "placements expected in-house")
        .formula("Σ profiles (placements − external placements)")
        .calc(if profiles.is_empty() {
            "0".to_string()
        } else {
            (0..profiles.len())
                .map(|n| format!("${} - ${}", 2 * n, 2 * n + 1))
                .collect::<Vec<_>>()
                .join(" + ")
        });
    let mut external_b = fig("budget.external.placements", "placements expected externally")
        .formula("Σ profiles, Σ quarters: placements × external share")
        .calc("sum");
    for (n, p) in profiles.iter().enumerate() {
        placements_b = placements_b
            .input(
                format!("{}: placements", p.name),
                count(p.placements.total),
                from_forecast(format!("profile[{}].placements", n + 1)),
            )
            .input(
                format!("{}: external placements", p.name),
                count(p.external.total),
                Origin::Figure { id: format!("budget.profile[{}].external", n + 1) },
            );
        external_b = external_b.input(
            format!("{}: external placements", p.name),
            count(p.external.total),
            Origin::Figure { id: format!("budget.profile[{}].external", n + 1) },
        );
    }
    ex.push(placements_b.value(count(in_house_placements)));
    ex.push(external_b.value(count(external_placements)));
    let mut product = |id: &str,
                       label: &str,
                       words: &str,
                       n: Decimal,
                       n_id: &str,
                       m: Money,
                       m_id: &str,
                       m_name: &str|
     -> Money {
        let v = m.times(n);
        ex.push(
            fig(id, label)
                .formula(format!("placements × {m_name}"))
                .words(words)
                .calc("$0 * $1")
                .input("placements", count(n), Origin::Figure { id: n_id.into() })
                .input(m_name, cost_q(m), Origin::Figure { id: m_id.into() })
                .value(cost_q(v)),
        );
        v
    };
    let in_house_full = product(
        "budget.in_house.full",
        "in-house placements at full cost",
        "What the placements made in-house cost the agency in full, overheads included.",
        in_house_placements,
        "budget.in_house.placements",
        unit.full,
        "unit.full",
        "full in-house cost",
    );
    let in_house_marginal = product(
        "budget.in_house.marginal",
        "in-house placements at marginal cost",
        "The cash the placements made in-house add this year: the variable direct lines only.",
        in_house_placements,
        "budget.in_house.placements",
        unit.marginal,
        "unit.marginal",
        "marginal cost",
    );
    let avoided_full = product(
        "budget.avoided.full",
        "in-house cost avoided by the external placements, at full cost",
        "What the same placements would have cost in-house in full. Over a year or more the agency can shape its team and overheads to its placements, so this is the long-run comparison with the fees.",
        external_placements,
        "budget.external.placements",
        unit.full,
        "unit.full",
        "full in-house cost",
    );
    let avoided_marginal = product(
        "budget.avoided.marginal",
        "in-house cost avoided by the external placements, at marginal cost",
        "The cash the same placements would have added in-house this year with the team as it is: the short-run saving.",
        external_placements,
        "budget.external.placements",
        unit.marginal,
        "unit.marginal",
        "marginal cost",
    );

    let mut notes = costed.warnings.clone();
    if latest_year_used {
        notes.push(format!(
            "No budget year was given: {year} is the latest fee year the reference data covers. Fees are uprated every 1 April; for a later year give `year` and your fees as [[fee_override]] tables."
        ));
    }
    if py != year {
        notes.push(format!(
            "The agency's in-house costs are in {py} prices, the fees in {year} prices; they are compared as they are."
        ));
    }
    Ok(Budget {
        year,
        latest_year_used,
        agency: agency.name.clone(),
        cost_price_year: py,
        profiles,
        external,
        gross_fees,
        contributions,
        net_fees,
        sales,
        income_per_sale,
        sales_income,
        net_budget,
        in_house_placements,
        external_placements,
        full_cost: unit.full,
        marginal_cost: unit.marginal,
        in_house_full,
        in_house_marginal,
        avoided_full,
        avoided_marginal,
        notes,
        explanation: ex,
    })
}

#[allow(clippy::too_many_arguments)]
fn profile_budget(
    agency: &Agency,
    forecast: &Forecast,
    source: &str,
    reference: &Reference,
    year: FinancialYear,
    i: usize,
    p: &Profile,
    ex: &mut Explanation,
) -> Result<ProfileBudget> {
    let n = i + 1;
    let at = |field: &str| format!("profile[{n}].{field} ({source})");
    let money = |m: Money| Quantity::money(m, Unit::Gbp, Some(year));
    let count = |d: Decimal| Quantity::plain(d, Unit::Count);
    let from_forecast = |field: String| Origin::Input { field, location: source.to_string() };
    if p.external_share < Decimal::ZERO || p.external_share > Decimal::ONE_HUNDRED {
        return Err(Error::invalid(
            at("external_share"),
            format!("{}%", p.external_share.normalize()),
            "a percentage from 0 to 100",
        ));
    }
    for (k, c) in p.placements.iter().enumerate() {
        if c.0 < Decimal::ZERO {
            return Err(Error::invalid(
                at(&format!("placements[{}]", k + 1)),
                c.0.normalize().to_string(),
                "a number of placements, 0 or more",
            ));
        }
    }
    let child = Child {
        reference: p.name.clone(),
        children: p.children,
        age: p.age,
        disabled: p.disabled,
        minority_ethnic: p.minority_ethnic,
        waiting_over_18_months: p.waiting_over_18_months,
        weekly_care_cost: None,
        group_weekly_care_cost: None,
    };
    let provenance = Provenance::named(format!("{source}, [[profile]] {n} ({})", p.name));
    let share = Percent(p.external_share).fraction();
    let mut fees = Vec::with_capacity(4);
    let (mut external, mut gross, mut contrib, mut net) =
        ([Decimal::ZERO; 4], [Money::ZERO; 4], [Money::ZERO; 4], [Money::ZERO; 4]);
    for (k, qn) in QUARTERS.iter().enumerate() {
        let route = Route {
            provider: p.provider,
            nation: p.nation,
            london: p.london,
            placement_date: Some(quarter_start(year, k)),
            contribution: p.contribution.clone(),
            ..Route::default()
        };
        let case = Case {
            agency,
            child: &child,
            route: &route,
            price_index: None,
            fee_overrides: &forecast.fee_overrides,
            provenance: &provenance,
        };
        let fail = |e: Error| -> Error {
            let nation = p.nation.unwrap_or(agency.nation);
            let provider = p.provider.unwrap_or(Provider::Vaa);
            Error::invalid(
                format!("profile[{n}] ({}), {qn} ({source})", p.name),
                e.to_string(),
                format!(
                    "a fee the method can use: for a schedule the reference data lacks in {year}, a [[fee_override]] with nation = \"{}\", provider = \"{}\", children = {}, year = \"{year}\" and your amount ({})",
                    nation.id(),
                    provider.id(),
                    p.children,
                    schedule_id(nation, provider, p.children)
                ),
            )
        };
        if k == 0 {
            case.validate().map_err(|e| match e {
                Error::Invalid { field, found, expected } => Error::Invalid {
                    field: at(field.trim_start_matches("child.").trim_start_matches("route.")),
                    found,
                    expected,
                },
                other => other,
            })?;
        }
        let (f, fee_ex) = crate::method::fee::explained(&case, reference).map_err(fail)?;
        let prefix = format!("profile[{n}].Q{}/", k + 1);
        push_prefixed(ex, fee_ex, &prefix);
        let placements = p.placements[k].0;
        external[k] = placements * share;
        ex.push(
            fig(
                format!("budget.profile[{n}].Q{}.external", k + 1),
                format!("{}: external placements, {qn}", p.name),
            )
            .formula("placements × external share")
            .calc("$0 * $1")
            .input(
                "placements",
                count(placements),
                from_forecast(format!("profile[{n}].placements[{}]", k + 1)),
            )
            .input(
                "external share",
                Quantity::percent(Percent(p.external_share)),
                from_forecast(format!("profile[{n}].external_share")),
            )
            .value(count(external[k])),
        );
        gross[k] = f.placement.times(external[k]);
        contrib[k] = f.contribution.times(external[k]);
        net[k] = f.net.times(external[k]);
        for (what, label, per, fee_id, v) in [
            ("gross_fees", "fees before contributions", f.placement, "fee.placement", gross[k]),
            ("contributions", "contributions", f.contribution, "fee.contribution", contrib[k]),
            ("net_fees", "net fees", f.net, "fee.net", net[k]),
        ] {
            ex.push(
                fig(format!("budget.profile[{n}].Q{}.{what}", k + 1), format!("{}: {label}, {qn}", p.name))
                    .formula(format!("external placements × {}", fee_id.trim_start_matches("fee.")))
                    .calc("$0 * $1")
                    .input(
                        "external placements",
                        count(external[k]),
                        Origin::Figure { id: format!("budget.profile[{n}].Q{}.external", k + 1) },
                    )
                    .input(
                        format!("{} per placement", fee_id.trim_start_matches("fee.")),
                        money(per),
                        Origin::Figure { id: format!("{prefix}{fee_id}") },
                    )
                    .value(money(v)),
            );
        }
        fees.push(f);
    }
    let ext = sum_q(external);
    let net_fees = sum_q(net);
    // The profile's year totals of its external placements and its net fees.
    let quantities = [external.map(count), net.map(money)];
    let totals = [count(ext.total), money(net_fees.total)];
    for ((what, label), (qs, total)) in [("external", "external placements"), ("net_fees", "net fees")]
        .into_iter()
        .zip(quantities.into_iter().zip(totals))
    {
        let mut b = fig(format!("budget.profile[{n}].{what}"), format!("{}: {label}, the year", p.name))
            .formula("Q1 + Q2 + Q3 + Q4")
            .calc("sum");
        for (k, (qn, q)) in QUARTERS.iter().zip(qs).enumerate() {
            b = b.input(*qn, q, Origin::Figure { id: format!("budget.profile[{n}].Q{}.{what}", k + 1) });
        }
        ex.push(b.value(total));
    }
    let fee: [Fee; 4] = fees
        .try_into()
        .map_err(|_| Error::invalid("profile", "fewer than four quarters", "four quarters"))?;
    Ok(ProfileBudget {
        name: p.name.clone(),
        children: p.children,
        placements: sum_q(p.placements.map(|c| c.0)),
        external: ext,
        fee,
        gross_fees: sum_q(gross),
        contributions: sum_q(contrib),
        net_fees,
    })
}

/// The fee earned per sale: the forecast's figure, or the schedule's fee for one child for the
/// agency's own provider type in the budget year, London-weighted where the agency is in London.
fn income_per_sale(
    agency: &Agency,
    forecast: &Forecast,
    source: &str,
    reference: &Reference,
    year: FinancialYear,
    sales: Decimal,
    ex: &mut Explanation,
) -> Result<(Money, Quantity, Origin)> {
    let money = |m: Money| Quantity::money(m, Unit::Gbp, Some(year));
    if let Some(f) = forecast.sales.as_ref().and_then(|s| s.fee_income_per_sale) {
        let origin =
            Origin::Input { field: "sales.fee_income_per_sale".into(), location: source.to_string() };
        return Ok((f.money(), money(f.money()), origin));
    }
    if sales.is_zero() {
        return Ok((
            Money::ZERO,
            money(Money::ZERO),
            Origin::Default { reason: "no sales expected, so no fee income".into() },
        ));
    }
    // As a one-child placement by this agency, in the budget year.
    let child = Child {
        reference: "a sale".into(),
        children: 1,
        age: None,
        disabled: false,
        minority_ethnic: false,
        waiting_over_18_months: false,
        weekly_care_cost: None,
        group_weekly_care_cost: None,
    };
    let route = Route {
        provider: Some(agency.kind.provider()),
        nation: Some(agency.nation),
        london: agency.london,
        placement_date: Some(year.first_day()),
        ..Route::default()
    };
    let provenance = Provenance::named(format!("{source}, [sales]"));
    let case = Case {
        agency,
        child: &child,
        route: &route,
        price_index: None,
        fee_overrides: &forecast.fee_overrides,
        provenance: &provenance,
    };
    let (f, fee_ex) = crate::method::fee::explained(&case, reference).map_err(|e| {
        Error::invalid(
            format!("sales.fee_income_per_sale ({source})"),
            e.to_string(),
            "your fee income per sale as `fee_income_per_sale` under [sales], or a [[fee_override]] for the agency's own schedule",
        )
    })?;
    // The fee's own figures, under `sales/`; income per sale is its placement fee (no
    // contribution is netted off the agency's income).
    push_prefixed(ex, fee_ex, "sales/");
    Ok((f.placement, money(f.placement), Origin::Figure { id: "sales/fee.placement".into() }))
}

/// Adds figures with `prefix` before their ids and the ids of the figures they cite.
fn push_prefixed(ex: &mut Explanation, figures: Explanation, prefix: &str) {
    for mut figure in figures.figures {
        figure.id = format!("{prefix}{}", figure.id);
        for t in &mut figure.inputs {
            if let Origin::Figure { id } = &mut t.origin {
                *id = format!("{prefix}{id}");
            }
        }
        ex.push(figure);
    }
}
