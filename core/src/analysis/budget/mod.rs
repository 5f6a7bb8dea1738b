//! Interagency fee budget planning: from a forecast of the children expected to need adoptive
//! placements in a year or several (groups by profile, by quarter, with the share expected to
//! be placed externally), the interagency fees to budget for, quarter by quarter, net of
//! contributions, with the monthly fees and other amounts falling due on placements made before
//! the quarter (module `later`), less the fee income expected from the agency's own adopters placed
//! with other agencies' children; beside it the in-house cost of the placements made in-house
//! and the in-house cost the external placements avoid, at full cost and at marginal (cash)
//! cost. Each year is a budget of its own ([`plan`]), citing the figures of earlier years it
//! carries.
//!
//! Each profile's fee is [`crate::method::fee::fee`] for a group of its size and criteria, placed on the
//! first day of each quarter (fees change on 1 April, so every quarter of a year has the same
//! schedule fee; a contribution scheme's dates are judged at the quarter's first day). The
//! budget year defaults to the latest fee year the reference data covers; a later year needs the
//! user's own fees (`[[fee_override]]`), never an older amount carried forward.

mod forecast;
mod later;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

pub use forecast::{Commitment, Count, Forecast, Profile, Quarters, Sales};
use later::{Falling, months_by_quarter, quarter_of};

use crate::compare::{CostedAgency, cost_agency};
use crate::error::{Error, Result};
use crate::explain::{Explanation, Origin, Quantity, Unit};
use crate::input::{Agency, Case, Child, Nation, Provenance, Provider, Route};
use crate::method::fee::{Fee, schedule_id};
use crate::method::prices::Restater;
use crate::method::{Expr, Model, NodeId};
use crate::money::{FinancialYear, Money, format_number};
use crate::reference::Reference;

/// The four quarters of a financial year: April–June, July–September, October–December,
/// January–March.
pub const QUARTERS: [&str; 4] = ["Q1 (Apr–Jun)", "Q2 (Jul–Sep)", "Q3 (Oct–Dec)", "Q4 (Jan–Mar)"];

/// The most budget years a forecast may name: a medium-term plan, not a projection.
pub const MAX_YEARS: usize = 5;

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

/// What a budget's sibling groups add to the in-house side ([`Budget::sibling`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SiblingExtra {
    /// What each child beyond the first of a group adds to the full cost of a placement.
    pub per_child: Money,
    /// What each adds to the marginal cost.
    pub per_child_marginal: Money,
    /// Children beyond the first of the groups placed in-house.
    pub in_house: Decimal,
    /// Children beyond the first of the groups placed externally.
    pub external: Decimal,
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
    /// The price year of the in-house costs shown: the agency's, or the budget year where a
    /// price index restated them.
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
    /// Fees falling due in the year on placements made before each quarter: monthly fees after
    /// 12 months without an order, and the commitments' amounts.
    pub earlier: ByQuarter<Money>,
    /// Fees on the year's placements and earlier ones that fall due after the year.
    pub due_later: Money,
    /// Sales expected.
    pub sales: ByQuarter<Decimal>,
    /// The fee earned per sale.
    pub income_per_sale: Money,
    /// Fee income from sales.
    pub sales_income: ByQuarter<Money>,
    /// Net fees + fees due on earlier placements − fee income: the budget to sign off.
    pub net_budget: ByQuarter<Money>,
    /// Placements expected in-house, all profiles, the year.
    pub in_house_placements: Decimal,
    /// Placements expected externally, all profiles, the year.
    pub external_placements: Decimal,
    /// The agency's full in-house cost of a placement (restated where a price index is given).
    pub full_cost: Money,
    /// The agency's marginal (cash) cost of a placement (restated where a price index is given).
    pub marginal_cost: Money,
    /// In-house placements × full cost.
    pub in_house_full: Money,
    /// In-house placements × marginal cost.
    pub in_house_marginal: Money,
    /// External placements × full cost: the in-house cost they avoid, in full.
    pub avoided_full: Money,
    /// External placements × marginal cost: the cash they avoid this year.
    pub avoided_marginal: Money,
    /// Where the forecast places sibling groups: what each child beyond the first adds to the
    /// full cost, and how many such children are placed in-house and externally (included in
    /// `in_house_full` and `avoided_full`).
    pub sibling: Option<SiblingExtra>,
    /// Things a reader must know (the year used, price years, illustrative figures).
    pub notes: Vec<String>,
    /// Who prepared the budget and who approves it (blank: to fill in by hand on the page).
    pub sign_off: [String; 2],
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

/// Works out the interagency fee budget for a forecast of one year against an agency. `source`
/// names the forecast in error messages and workings (`forecast file plan.toml`). A forecast of
/// several years is priced by [`plan`].
pub fn budget(agency: &Agency, forecast: &Forecast, source: &str, reference: &Reference) -> Result<Budget> {
    let mut years = plan(agency, forecast, source, reference)?;
    if years.len() != 1 {
        return Err(Error::invalid(
            format!("years ({source})"),
            format!("{} years", years.len()),
            "one budget year here: a forecast of several years is priced by `adoptcost budget`",
        ));
    }
    Ok(years.remove(0))
}

/// Works out the budget of each year a forecast names, in order: each year's placements priced
/// in that year, and the fees that fall due in a year on the placements of earlier years and on
/// the commitments carried into the first.
pub fn plan(
    agency: &Agency,
    forecast: &Forecast,
    source: &str,
    reference: &Reference,
) -> Result<Vec<Budget>> {
    let costed: CostedAgency = cost_agency(agency, reference)?;
    let (years, latest_year_used) = budget_years(agency, forecast, reference, source)?;
    check_sets(forecast, years.len(), source)?;
    let index_place = Provenance::named(format!("{source}, [price_index]"));
    if let Some(ix) = &forecast.price_index {
        ix.check(|f| index_place.place(f))?;
    }
    let mut falling = Vec::new();
    let mut out = Vec::with_capacity(years.len());
    for (i, &year) in years.iter().enumerate() {
        let ask = YearAsk {
            agency,
            forecast,
            source,
            reference,
            costed: &costed,
            index: i,
            index_place: &index_place,
        };
        let mut b = year_budget(&ask, year, &mut falling)?;
        b.latest_year_used = latest_year_used;
        out.push(b);
    }
    Ok(out)
}

/// What pricing one year of a forecast needs.
struct YearAsk<'a> {
    agency: &'a Agency,
    forecast: &'a Forecast,
    source: &'a str,
    reference: &'a Reference,
    costed: &'a CostedAgency,
    /// The year's place among the budget years, from 0.
    index: usize,
    index_place: &'a Provenance,
}

/// One year's budget; `falling` holds what earlier years left falling due, and gets this
/// year's placements' monthly fees.
fn year_budget(ask: &YearAsk, year: FinancialYear, falling: &mut Vec<Falling>) -> Result<Budget> {
    let (agency, forecast, reference, source) = (ask.agency, ask.forecast, ask.reference, ask.source);
    let mut b = Builder { m: Model::new(), fees: Explanation::new(), source, year, index: ask.index };
    let mut notes = ask.costed.warnings.clone();
    if ask.index == 0 {
        notes.extend(b.commitments(agency, forecast, reference, falling)?);
    }
    let mut profiles = Vec::with_capacity(forecast.profiles.len());
    for (i, p) in forecast.profiles.iter().enumerate() {
        profiles.push(b.profile(agency, forecast, reference, i, p, falling)?);
    }
    let totals = b.totals(profiles.len())?;
    let (earlier, due_later) = b.falling(falling)?;
    let sales = b.sales(agency, forecast, reference, &totals, &earlier)?;
    let mut restater = Restater::with(forecast.price_index.as_ref(), year, ask.index_place);
    let (in_house, sibling) = b.in_house(ask.costed, &profiles, &mut restater)?;
    if forecast.year.is_none() && forecast.years.is_empty() {
        notes.push(format!(
            "No budget year was given: {year} is the latest fee year the reference data covers. Fees are uprated every 1 April; for a later year, give the budget year and your own fees for it."
        ));
    }
    notes.extend(national_scale(agency, forecast, ask.index, reference));
    let py = ask.costed.cost.price_year;
    match &forecast.price_index {
        Some(ix) if py != year => notes.push(format!(
            "The agency's in-house costs are restated from {py} to {year} prices with {}, to compare with the fees.",
            ix.name
        )),
        None if py != year => notes.push(format!(
            "The agency's in-house costs are in {py} prices, the fees in {year} prices; they are compared as they are (a price index in the forecast restates them)."
        )),
        _ => {}
    }
    // The agency's figures, then the fees' (under their prefixes), then the budget's own.
    let mut explanation = ask.costed.explanation.clone();
    explanation.extend(b.fees);
    explanation.extend(b.m.explanation());
    let q = |nodes: &[NodeId; 4]| sum_q(nodes.map(|n| b.m.money(n)));
    Ok(Budget {
        year,
        latest_year_used: false,
        agency: agency.name.clone(),
        cost_price_year: b.m.quantity(in_house[2]).price_year.unwrap_or(py),
        profiles,
        external: sum_q(totals.external.map(|n| b.m.value(n).unwrap_or_default())),
        gross_fees: q(&totals.gross_fees),
        contributions: q(&totals.contributions),
        net_fees: q(&totals.net_fees),
        earlier: q(&earlier),
        due_later: b.m.money(due_later),
        sales: sum_q(sales.sales),
        income_per_sale: b.m.money(sales.per_sale),
        sales_income: q(&sales.income),
        net_budget: q(&sales.net_budget),
        in_house_placements: b.m.value(in_house[0]).unwrap_or_default(),
        external_placements: b.m.value(in_house[1]).unwrap_or_default(),
        full_cost: b.m.money(in_house[2]),
        marginal_cost: b.m.money(in_house[3]),
        in_house_full: b.m.money(in_house[4]),
        in_house_marginal: b.m.money(in_house[5]),
        avoided_full: b.m.money(in_house[6]),
        avoided_marginal: b.m.money(in_house[7]),
        sibling: sibling.map(|[per, per_marginal, made, external]| SiblingExtra {
            per_child: b.m.money(per),
            per_child_marginal: b.m.money(per_marginal),
            in_house: b.m.value(made).unwrap_or_default(),
            external: b.m.value(external).unwrap_or_default(),
        }),
        notes,
        sign_off: [forecast.prepared_by.clone(), forecast.approved_by.clone()],
        explanation,
    })
}

/// Each profile's and the sales' counts: one set for every year, or one for each budget year.
fn check_sets(forecast: &Forecast, years: usize, source: &str) -> Result<()> {
    let named = forecast
        .profiles
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("profile[{}].placements", i + 1), &p.placements))
        .chain(forecast.sales.iter().map(|s| ("sales.placements".to_string(), &s.placements)));
    for (field, q) in named {
        if let Some(n) = q.years_given()
            && n != years
        {
            return Err(Error::invalid(
                format!("{field} ({source})"),
                format!("{n} sets of four quarters"),
                format!(
                    "one set of four quarters for each of the {years} budget years, or one set for every year"
                ),
            ));
        }
    }
    Ok(())
}

/// A note where the forecast places more children in a year than all of England adopted from
/// care in the latest year published: a count typed in the wrong unit, most likely.
fn national_scale(
    agency: &Agency,
    forecast: &Forecast,
    index: usize,
    reference: &Reference,
) -> Option<String> {
    if agency.nation != Nation::England {
        return None;
    }
    let national = reference.latest("adoptions.england")?;
    let children = forecast.profiles.iter().try_fold(Decimal::ZERO, |sum, p| {
        let groups =
            p.placements.of_year(index)?.iter().try_fold(Decimal::ZERO, |s, c| s.checked_add(c.0))?;
        sum.checked_add(groups.checked_mul(Decimal::from(p.children))?)
    })?;
    (children > national.value).then(|| {
        format!(
            "The forecast places {} children in the year, more than the {} adopted from care in all of England in {} ({}): check the counts are groups placed in each quarter.",
            format_number(children, 2),
            format_number(national.value, 0),
            FinancialYear::of(national.date),
            national.entry.source.title
        )
    })
}

/// The budget years: the forecast's `year` or `years`, or the latest fee year the reference
/// data covers (then `true`).
fn budget_years(
    agency: &Agency,
    forecast: &Forecast,
    reference: &Reference,
    source: &str,
) -> Result<(Vec<FinancialYear>, bool)> {
    let years = &forecast.years;
    if let Some(y) = forecast.year {
        if !years.is_empty() {
            return Err(Error::invalid(
                format!("year ({source})"),
                format!("{y}, and years as well"),
                "the budget year as `year`, or the years as `years`, not both",
            ));
        }
        return Ok((vec![y], false));
    }
    if !years.is_empty() {
        let joined = years.windows(2).all(|w| w[1].0.checked_sub(w[0].0) == Some(1));
        if !joined || years.len() > MAX_YEARS {
            let found: Vec<String> = years.iter().map(ToString::to_string).collect();
            return Err(Error::invalid(
                format!("years ({source})"),
                found.join(", "),
                format!(
                    "from one to {MAX_YEARS} financial years one after another, such as [\"2025/26\", \"2026/27\"]"
                ),
            ));
        }
        return Ok((years.clone(), false));
    }
    let latest = reference.latest_fee_year(agency.nation).ok_or_else(|| {
        Error::invalid(
            "year",
            format!("no year given, and the reference data covers no fee year for {}", agency.nation.name()),
            "the budget year, with your own fees for it",
        )
    })?;
    Ok((vec![latest], true))
}

/// A budget's figures as they are worked out: its own model, and the fees' figures it cites,
/// each under its prefix (`profile[1].Q2/fee.net`).
struct Builder<'a> {
    m: Model,
    fees: Explanation,
    source: &'a str,
    year: FinancialYear,
    /// The year's place among the budget years, from 0.
    index: usize,
}

/// A profile and what costing its quarters needs.
struct Profiled<'a> {
    agency: &'a Agency,
    forecast: &'a Forecast,
    reference: &'a Reference,
    p: &'a Profile,
    /// Its number, from 1.
    n: usize,
    /// Its external share's node.
    share: NodeId,
    /// Its groups placed in each quarter of the year.
    placements: [Count; 4],
    child: &'a Child,
    provenance: &'a Provenance,
}

/// The budget's quarterly totals over the profiles.
struct Totals {
    external: [NodeId; 4],
    gross_fees: [NodeId; 4],
    contributions: [NodeId; 4],
    net_fees: [NodeId; 4],
}

/// Sales, their fee income and the net budget.
struct SalesBudget {
    sales: [Decimal; 4],
    per_sale: NodeId,
    income: [NodeId; 4],
    net_budget: [NodeId; 4],
}

impl Builder<'_> {
    fn money(&self, m: Money) -> Quantity {
        Quantity::money(m, Unit::Gbp, Some(self.year))
    }

    /// One of the forecast's inputs, cited as the forecast's field.
    fn input(&mut self, field: String, label: String, symbol: &'static str, q: Quantity) -> NodeId {
        let origin = Origin::Input { field, location: self.source.to_string(), note: None };
        self.m.leaf("", label, symbol, q, origin)
    }

    /// A fee worked out on its own, its figures kept under `prefix`, and its placement fee,
    /// contribution and monthly fees as leaves citing them.
    fn fee(&mut self, case: &Case, reference: &Reference, prefix: &str) -> Result<(Fee, [NodeId; 3])> {
        let (fee, figures) = crate::method::fee::explained(case, reference)?;
        let cite = |b: &mut Self, id: &str, label: &'static str, v: Money| {
            let q = b.money(v);
            b.m.leaf("", label, label, q, Origin::Figure { id: format!("{prefix}{id}") })
        };
        let nodes = [
            cite(self, "fee.placement", "placement per placement", fee.placement),
            cite(self, "fee.contribution", "contribution per placement", fee.contribution),
            cite(self, "fee.monthly_total", "monthly fees per placement", fee.monthly_total),
        ];
        push_prefixed(&mut self.fees, figures, prefix);
        Ok((fee, nodes))
    }

    /// The sum of quarters or profiles, as a figure.
    fn total(
        &mut self,
        id: String,
        label: String,
        unit: Unit,
        caption: &'static str,
        terms: Vec<Expr>,
    ) -> Result<NodeId> {
        let year = unit.is_money().then_some(self.year);
        self.m.fig(id, label, "total").money_in(unit, year).is(Expr::sum_of(caption, terms))
    }

    /// One profile's budget: each quarter's fee for one external placement, its external
    /// placements, and their fees before and after contributions.
    fn profile(
        &mut self,
        agency: &Agency,
        forecast: &Forecast,
        reference: &Reference,
        i: usize,
        p: &Profile,
        falling: &mut Vec<Falling>,
    ) -> Result<ProfileBudget> {
        let n = i + 1;
        let placements = p.placements.of_year(self.index).unwrap_or_default();
        check_profile(p, &placements, n, self.source)?;
        let child = p.child();
        let provenance = Provenance::named(format!("{}, [[profile]] {n} ({})", self.source, p.name));
        let share = self.input(
            format!("profile[{n}].external_share"),
            "external share".into(),
            "external share",
            Quantity::plain(p.external_share, Unit::Percent),
        );
        let at = Profiled {
            agency,
            forecast,
            reference,
            p,
            n,
            share,
            placements,
            child: &child,
            provenance: &provenance,
        };
        let quarters = (0..4).map(|k| self.quarter(&at, k, falling)).collect::<Result<Vec<_>>>()?;
        // By slot (external, gross fees, contributions, net fees, placements), then quarter.
        let nodes: [[NodeId; 4]; 5] =
            std::array::from_fn(|slot| std::array::from_fn(|k| quarters[k].1[slot]));
        let fees: Vec<Fee> = quarters.into_iter().map(|(fee, _)| fee).collect();
        for (what, label, unit, quarters) in [
            ("placements", "placements", Unit::Count, nodes[4]),
            ("external", "external placements", Unit::Count, nodes[0]),
            ("net_fees", "net fees", Unit::Gbp, nodes[3]),
        ] {
            self.total(
                format!("budget.profile[{n}].{what}"),
                format!("{}: {label}, the year", p.name),
                unit,
                "quarters Q1 to Q4",
                quarters.map(NodeId::e).to_vec(),
            )?;
        }
        let money = |q: [NodeId; 4]| sum_q(q.map(|n| self.m.money(n)));
        let fee: [Fee; 4] = fees
            .try_into()
            .map_err(|_| Error::invalid("profile", "fewer than four quarters", "four quarters"))?;
        Ok(ProfileBudget {
            name: p.name.clone(),
            children: p.children,
            placements: sum_q(nodes[4].map(|n| self.m.value(n).unwrap_or_default())),
            external: sum_q(nodes[0].map(|n| self.m.value(n).unwrap_or_default())),
            fee,
            gross_fees: money(nodes[1]),
            contributions: money(nodes[2]),
            net_fees: money(nodes[3]),
        })
    }

    /// One quarter `k` (from 0) of a profile: the fee for one external placement, and the
    /// nodes of its external placements, fees before contributions, contributions, net fees and
    /// placements.
    fn quarter(&mut self, at: &Profiled, k: usize, falling: &mut Vec<Falling>) -> Result<(Fee, [NodeId; 5])> {
        let (p, n, qn) = (at.p, at.n, QUARTERS[k]);
        let placed = quarter_start(self.year, k);
        let route = p.route(placed);
        let case = Case {
            agency: at.agency,
            child: at.child,
            route: &route,
            price_index: None,
            fee_overrides: &at.forecast.fee_overrides,
            provenance: at.provenance,
            // Each quarter's placements are dated: the clock has no say.
            today: None,
        };
        if k == 0 {
            case.validate().map_err(|e| entry_field(e, &format!("profile[{n}]"), self.source))?;
        }
        let prefix = format!("profile[{n}].Q{}/", k + 1);
        let (fee, per) =
            self.fee(&case, at.reference, &prefix).map_err(|e| no_fee(e, at.agency, p, n, qn, self))?;
        let placements = self.input(
            format!("profile[{n}].placements[{}]", k + 1),
            "placements".into(),
            "placements",
            Quantity::plain(at.placements[k].0, Unit::Count),
        );
        let external = self
            .m
            .fig(
                format!("budget.profile[{n}].Q{}.external", k + 1),
                format!("{}: external placements, {qn}", p.name),
                "external placements",
            )
            .is(placements.e() * at.share.e())?;
        let mut nodes = [external, NodeId::default(), NodeId::default(), NodeId::default(), placements];
        for (slot, (what, label)) in
            [(1, ("gross_fees", "fees before contributions")), (2, ("contributions", "contributions"))]
        {
            nodes[slot] = self
                .m
                .fig(
                    format!("budget.profile[{n}].Q{}.{what}", k + 1),
                    format!("{}: {label}, {qn}", p.name),
                    label,
                )
                .money(Some(self.year))
                .is(per[slot - 1].e() * external.e())?;
        }
        // The placement fees less contributions: the monthly fees fall due a year on at the
        // earliest, so they are set in the quarters their months fall in.
        nodes[3] = self
            .m
            .fig(
                format!("budget.profile[{n}].Q{}.net_fees", k + 1),
                format!("{}: net fees, {qn}", p.name),
                "net fees",
            )
            .money(Some(self.year))
            .is(nodes[1].e() - nodes[2].e())?;
        if let Some(months) = p.months_beyond_12.filter(|m| !m.is_zero()) {
            let id = format!("budget.profile[{n}].Q{}.monthly_fees", k + 1);
            let label = format!("{}: monthly fees on the placements of {qn} {}", p.name, self.year);
            let whole = self
                .m
                .fig(id.clone(), label.clone(), "monthly fees")
                .money(Some(self.year))
                .words("Due from month 13 of each placement, a year after it is made: set in the budget of each quarter its months fall in.")
                .is(per[2].e() * external.e())?;
            falling.push(Falling {
                id,
                label,
                held_in: self.year,
                total: self.m.money(whole),
                falls: months_by_quarter(placed, months),
                months,
            });
        }
        Ok((fee, nodes))
    }

    /// Each quarter's external placements and fees over all the profiles.
    fn totals(&mut self, profiles: usize) -> Result<Totals> {
        let mut out = [[NodeId::default(); 4]; 4];
        for ((what, label, unit), nodes) in [
            ("external", "external placements", Unit::Count),
            ("gross_fees", "interagency fees before contributions", Unit::Gbp),
            ("contributions", "contributions to the fees", Unit::Gbp),
            ("net_fees", "net interagency fees", Unit::Gbp),
        ]
        .into_iter()
        .zip(&mut out)
        {
            for (k, qn) in QUARTERS.iter().enumerate() {
                let parts: Vec<Expr> = (1..=profiles)
                    .filter_map(|n| {
                        self.m.find(&format!("budget.profile[{n}].Q{}.{what}", k + 1)).map(NodeId::e)
                    })
                    .collect();
                nodes[k] = self.total(
                    format!("budget.Q{}.{what}", k + 1),
                    format!("{label}, {qn}, all profiles"),
                    unit,
                    "profiles",
                    parts,
                )?;
            }
        }
        let [external, gross_fees, contributions, net_fees] = out;
        Ok(Totals { external, gross_fees, contributions, net_fees })
    }

    /// The fees falling due in each quarter of the year on placements made before it (each a
    /// share of a figure of this year's or an earlier year's budget: the months falling in the
    /// quarter over all its months), and those falling due after the year.
    fn falling(&mut self, falling: &[Falling]) -> Result<([NodeId; 4], NodeId)> {
        let year = self.year;
        let mut terms: [Vec<Expr>; 4] = Default::default();
        let mut later = Vec::new();
        for f in falling {
            let here = f.months_where(|(y, _)| y == year);
            let after = f.months_where(|(y, _)| y > year);
            if here.is_zero() && after.is_zero() {
                continue;
            }
            let origin = if f.held_in == year {
                Origin::Figure { id: f.id.clone() }
            } else {
                Origin::Input {
                    field: f.id.clone(),
                    location: format!("the {} budget's workings", f.held_in),
                    note: None,
                }
            };
            let whole = self.m.leaf("", f.label.clone(), "whole amount", self.money(f.total), origin);
            let share = |months: Decimal| {
                if months == f.months {
                    whole.e()
                } else {
                    whole.e() * Expr::num(months) / Expr::num(f.months)
                }
            };
            for (k, t) in terms.iter_mut().enumerate() {
                let m = f.months_where(|q| q == (year, k));
                if !m.is_zero() {
                    t.push(share(m));
                }
            }
            if !after.is_zero() {
                later.push(share(after));
            }
        }
        let mut earlier = [NodeId::default(); 4];
        for (k, t) in terms.into_iter().enumerate() {
            earlier[k] = self
                .m
                .fig(
                    format!("budget.Q{}.earlier", k + 1),
                    format!("fees due on earlier placements, {}", QUARTERS[k]),
                    "fees due on earlier placements",
                )
                .money(Some(year))
                .words("Monthly fees after 12 months without an order, each placement's months falling in the quarter as a share of all its months, and amounts still to pay on placements made before the budget.")
                .is(Expr::sum_of("earlier placements: whole amount × months in the quarter ÷ months", t))?;
        }
        let due_later = self
            .m
            .fig("budget.due_later", format!("fees due after {year} on the placements so far"), "due later")
            .money(Some(year))
            .words("Not in this year's budget: the monthly fees and commitments whose months fall after the year, for the budgets of the years they fall in.")
            .is(Expr::sum_of("placements so far: whole amount × months after the year ÷ months", later))?;
        Ok((earlier, due_later))
    }

    /// The commitments carried into the first budget year: each one's monthly fees (worked out
    /// by the method, for the months falling from the budget's first day) and its amount still
    /// to pay; with a note for months that fell before the budget, taken as paid.
    fn commitments(
        &mut self,
        agency: &Agency,
        forecast: &Forecast,
        reference: &Reference,
        falling: &mut Vec<Falling>,
    ) -> Result<Vec<String>> {
        let first = self.year.first_day();
        let mut notes = Vec::new();
        for (i, c) in forecast.commitments.iter().enumerate() {
            let n = i + 1;
            let at = |field: &str| format!("commitment[{n}].{field} ({})", self.source);
            check_commitment(c, first, &at)?;
            let year = self.year;
            if let Some(amount) = c.amount
                && let Some(due) = c.due
            {
                let id = format!("commitment[{n}].amount");
                let label = format!("{}: amount due on {due}", c.reference);
                let origin =
                    Origin::Input { field: id.clone(), location: self.source.to_string(), note: None };
                self.m.leaf(id.clone(), label.clone(), "amount due", self.money(amount.money()), origin);
                falling.push(Falling {
                    id,
                    label,
                    held_in: year,
                    total: amount.money(),
                    falls: vec![(quarter_of(due), Decimal::ONE)],
                    months: Decimal::ONE,
                });
            }
            if let Some(months) = c.months_beyond_12.filter(|m| !m.is_zero()) {
                let (f, note) = self.commitment_monthly(agency, forecast, reference, n, c, months)?;
                falling.push(f);
                notes.extend(note);
            }
        }
        Ok(notes)
    }

    /// A commitment's monthly fees from the budget's first day: worked out by the method (its
    /// figures under `commitment[N]/`), with a note where months fell before the budget.
    fn commitment_monthly(
        &mut self,
        agency: &Agency,
        forecast: &Forecast,
        reference: &Reference,
        n: usize,
        c: &Commitment,
        months: Decimal,
    ) -> Result<(Falling, Option<String>)> {
        let year = self.year;
        let child = Profile::one_child(&c.reference);
        let route = Route {
            provider: c.provider,
            nation: c.nation,
            placement_date: Some(c.placed),
            months_beyond_12: Some(months),
            monthly_fee: c.monthly_fee,
            ..Route::default()
        };
        let provenance = Provenance::named(format!("{}, [[commitment]] {n} ({})", self.source, c.reference));
        let case = Case {
            agency,
            child: &child,
            route: &route,
            price_index: None,
            fee_overrides: &forecast.fee_overrides,
            provenance: &provenance,
            today: None,
        };
        case.validate().map_err(|e| entry_field(e, &format!("commitment[{n}]"), self.source))?;
        let prefix = format!("commitment[{n}]/");
        let (total, figures) =
            crate::method::fee::monthly_explained(&case, reference).map_err(|e| match e {
                Error::Invalid { .. } => entry_field(e, &format!("commitment[{n}]"), self.source),
                other => Error::invalid(
                    format!("commitment[{n}].monthly_fee ({})", self.source),
                    other.to_string(),
                    "the monthly rate in the placement's agreement as `monthly_fee` under its [[commitment]]",
                ),
            })?;
        push_prefixed(&mut self.fees, figures, &prefix);
        let all = months_by_quarter(c.placed, months);
        let falls: Vec<_> = all.iter().filter(|((y, _), _)| *y >= year).cloned().collect();
        let paid: Decimal = all.iter().filter(|((y, _), _)| *y < year).map(|(_, m)| *m).sum();
        let note = (!paid.is_zero()).then(|| {
            format!(
                "Commitment {n} ({}): {} of its {} months beyond 12 fell before {year} and are taken as paid.",
                c.reference,
                format_number(paid, 2),
                format_number(months, 2)
            )
        });
        let label = format!("{}: monthly fees after 12 months without an order", c.reference);
        let f =
            Falling { id: format!("{prefix}fee.monthly_total"), label, held_in: year, total, falls, months };
        Ok((f, note))
    }

    /// Fee income from sales, the net budget, and the year's totals.
    fn sales(
        &mut self,
        agency: &Agency,
        forecast: &Forecast,
        reference: &Reference,
        t: &Totals,
        earlier: &[NodeId; 4],
    ) -> Result<SalesBudget> {
        let counts =
            forecast.sales.as_ref().and_then(|s| s.placements.of_year(self.index)).unwrap_or_default();
        check_counts(&counts, &|k| format!("sales.placements[{k}] ({})", self.source))?;
        let sales: [Decimal; 4] = counts.map(|c| c.0);
        let per_sale = self.income_per_sale(agency, forecast, reference, sales.iter().sum())?;
        let mut income = [NodeId::default(); 4];
        let mut net_budget = [NodeId::default(); 4];
        for (k, qn) in QUARTERS.iter().enumerate() {
            let count = self.input(
                format!("sales.placements[{}]", k + 1),
                "sales".into(),
                "sales",
                Quantity::plain(sales[k], Unit::Count),
            );
            income[k] = self
                .m
                .fig(
                    format!("budget.Q{}.sales_income", k + 1),
                    format!("fee income from sales, {qn}"),
                    "fee income from sales",
                )
                .money(Some(self.year))
                .words(
                    "The agency's own approved adopters matched with other agencies' children earn the fee.",
                )
                .is(per_sale.e() * count.e())?;
            net_budget[k] = self
                .m
                .fig(
                    format!("budget.Q{}.net_budget", k + 1),
                    format!("net interagency budget, {qn}"),
                    "net budget",
                )
                .money(Some(self.year))
                .is(t.net_fees[k].e() + earlier[k].e() - income[k].e())?;
        }
        let year = self.year;
        for (what, label, quarters) in [
            ("gross_fees", "interagency fees before contributions", t.gross_fees),
            ("contributions", "contributions to the fees", t.contributions),
            ("net_fees", "net interagency fees", t.net_fees),
            ("earlier", "fees due on earlier placements", *earlier),
            ("sales_income", "fee income from sales", income),
            ("net_budget", "net interagency budget", net_budget),
        ] {
            self.total(
                format!("budget.year.{what}"),
                format!("{label}, {year}"),
                Unit::Gbp,
                "quarters Q1 to Q4",
                quarters.map(NodeId::e).to_vec(),
            )?;
        }
        Ok(SalesBudget { sales, per_sale, income, net_budget })
    }

    /// The fee earned per sale: the forecast's figure, or the schedule's fee for one child for
    /// the agency's own provider type in the budget year, London-weighted where the agency is
    /// in London (its placement fee: no contribution is netted off the agency's income).
    fn income_per_sale(
        &mut self,
        agency: &Agency,
        forecast: &Forecast,
        reference: &Reference,
        sales: Decimal,
    ) -> Result<NodeId> {
        if let Some(f) = forecast.sales.as_ref().and_then(|s| s.fee_income_per_sale) {
            let q = self.money(f.money());
            return Ok(self.input(
                "sales.fee_income_per_sale".into(),
                "fee income per sale".into(),
                "fee income per sale",
                q,
            ));
        }
        if sales.is_zero() {
            let q = self.money(Money::ZERO);
            let origin = Origin::Default { reason: "no sales expected, so no fee income".into() };
            return Ok(self.m.leaf("", "fee income per sale", "fee income per sale", q, origin));
        }
        let child = Profile::one_child("a sale");
        let route = Route {
            provider: Some(agency.kind.provider()),
            nation: Some(agency.nation),
            london: agency.london,
            placement_date: Some(self.year.first_day()),
            ..Route::default()
        };
        let provenance = Provenance::named(format!("{}, [sales]", self.source));
        let case = Case {
            agency,
            child: &child,
            route: &route,
            price_index: None,
            fee_overrides: &forecast.fee_overrides,
            provenance: &provenance,
            today: None,
        };
        let source = self.source;
        let (_, [placement, _, _]) = self.fee(&case, reference, "sales/").map_err(|e| {
            Error::invalid(
                format!("sales.fee_income_per_sale ({source})"),
                e.to_string(),
                "your fee income per sale, or your own fee for the agency's own schedule",
            )
        })?;
        Ok(placement)
    }

    /// The agency's full and marginal cost of a placement, restated to the budget year's prices
    /// where a price index is given.
    fn unit_costs(&mut self, costed: &CostedAgency, restater: &mut Restater) -> Result<(NodeId, NodeId)> {
        let full = self
            .m
            .import(&costed.model, "unit.full")
            .ok_or_else(|| Error::internal("an agency without its full cost"))?;
        let marginal = self
            .m
            .import(&costed.model, "unit.marginal")
            .ok_or_else(|| Error::internal("an agency without its marginal cost"))?;
        let full =
            restater.apply(&mut self.m, "budget.restated.full", "full in-house cost of a placement", full)?;
        let marginal = restater.apply(
            &mut self.m,
            "budget.restated.marginal",
            "marginal cost of a placement",
            marginal,
        )?;
        Ok((full, marginal))
    }

    /// What each child beyond the first of a sibling group adds to the full and to the marginal
    /// cost of a placement: the agency's uplift of a household's matching and support, and of
    /// their variable lines, restated as the costs are.
    fn sibling_extra(&mut self, costed: &CostedAgency, restater: &mut Restater) -> Result<(NodeId, NodeId)> {
        let mut import = |id: &str| {
            self.m
                .import(&costed.model, id)
                .ok_or_else(|| Error::internal(format!("an agency without its {id}")))
        };
        let (uplift, per_match, per_supported, marginal_bc) = (
            import("activity.sibling_uplift")?,
            import("unit.per_match")?,
            import("unit.per_supported")?,
            import("unit.marginal_bc")?,
        );
        let py = self.m.quantity(per_match).price_year;
        let per = self
            .m
            .fig("budget.sibling.extra", "what each additional child in a sibling group adds", "per additional child")
            .money(py)
            .words("The full cost of a placement is per household. Each child beyond the first in a group adds the agency's sibling uplift of a household's cost of matching and support (stages B and C), as in the comparison of a group; approval (stage A) is the household's once.")
            .is(uplift.e() * (per_match.e() + per_supported.e()))?;
        let per_marginal = self
            .m
            .fig(
                "budget.sibling.marginal_extra",
                "what each additional child in a sibling group adds to the marginal cost",
                "per additional child, marginal",
            )
            .money(py)
            .words("The agency's sibling uplift of the variable lines of matching and support, as in the comparison of a group.")
            .is(uplift.e() * marginal_bc.e())?;
        let per = restater.apply(
            &mut self.m,
            "budget.restated.sibling_extra",
            "what each additional child adds",
            per,
        )?;
        let per_marginal = restater.apply(
            &mut self.m,
            "budget.restated.sibling_marginal_extra",
            "what each additional child adds to the marginal cost",
            per_marginal,
        )?;
        Ok((per, per_marginal))
    }

    /// The placements expected in-house and externally, over the profiles; and where they place
    /// sibling groups, the children beyond the first of them placed each way.
    fn placements(&mut self, profiles: &[ProfileBudget]) -> Result<PlacementCounts> {
        let (mut made, mut external) = (Vec::new(), Vec::new());
        let (mut made_more, mut external_more) = (Vec::new(), Vec::new());
        for (n, p) in (1..).zip(profiles) {
            let find = |what: &str| {
                self.m
                    .find(&format!("budget.profile[{n}].{what}"))
                    .ok_or_else(|| Error::internal(format!("a profile without its {what}")))
            };
            let (placements, ext) = (find("placements")?, find("external")?);
            made.push(placements.e() - ext.e());
            external.push(ext.e());
            if p.children > 1 {
                let more = Expr::num(p.children - 1);
                made_more.push((placements.e() - ext.e()) * more.clone());
                external_more.push(ext.e() * more);
            }
        }
        let mut count = |id: &'static str,
                         label: &'static str,
                         symbol: &'static str,
                         terms: (&'static str, Vec<Expr>)| {
            self.m.fig(id, label, symbol).is(Expr::sum_of(terms.0, terms.1))
        };
        let placements = count(
            "budget.in_house.placements",
            "placements expected in-house",
            "placements in-house",
            ("profiles (placements − external placements)", made),
        )?;
        let external = count(
            "budget.external.placements",
            "placements expected externally",
            "placements externally",
            ("profiles: external placements", external),
        )?;
        if made_more.is_empty() {
            return Ok(PlacementCounts { placements, external, more: None });
        }
        let more = (
            count(
                "budget.in_house.additional_children",
                "children beyond the first of the groups placed in-house",
                "additional children in-house",
                ("sibling profiles: in-house placements × (children − 1)", made_more),
            )?,
            count(
                "budget.external.additional_children",
                "children beyond the first of the groups placed externally",
                "additional children externally",
                ("sibling profiles: external placements × (children − 1)", external_more),
            )?,
        );
        Ok(PlacementCounts { placements, external, more: Some(more) })
    }

    /// The placements made in-house and externally, at full and at marginal cost. The costs are
    /// per household; a sibling group's children beyond the first add the agency's uplift of a
    /// household's matching and support (at marginal cost, of its variable lines), as the
    /// comparison's group does.
    fn in_house(
        &mut self,
        costed: &CostedAgency,
        profiles: &[ProfileBudget],
        restater: &mut Restater,
    ) -> Result<([NodeId; 8], Option<[NodeId; 4]>)> {
        let PlacementCounts { placements, external, more } = self.placements(profiles)?;
        let (full, marginal) = self.unit_costs(costed, restater)?;
        let py = self.m.quantity(full).price_year;
        let (mut in_house, mut avoided) = (full.e() * placements.e(), full.e() * external.e());
        let (mut in_house_marginal, mut avoided_marginal) =
            (marginal.e() * placements.e(), marginal.e() * external.e());
        let mut sibling = None;
        if let Some((made, ext)) = more {
            let (per, per_marginal) = self.sibling_extra(costed, restater)?;
            in_house = in_house + per.e() * made.e();
            avoided = avoided + per.e() * ext.e();
            in_house_marginal = in_house_marginal + per_marginal.e() * made.e();
            avoided_marginal = avoided_marginal + per_marginal.e() * ext.e();
            sibling = Some([per, per_marginal, made, ext]);
        }
        let mut product = |id: &'static str, label: &'static str, words: &'static str, e: Expr| {
            self.m.fig(id, label, label).money(py).words(words).is(e)
        };
        let nodes = [
            placements,
            external,
            full,
            marginal,
            product(
                "budget.in_house.full",
                "in-house placements at full cost",
                "What the placements made in-house cost the agency in full, overheads included: a household's full cost each, and for a sibling group what its additional children add.",
                in_house,
            )?,
            product(
                "budget.in_house.marginal",
                "in-house placements at marginal cost",
                "The cash the placements made in-house add this year: the lines flagged variable only (direct lines that grow with cases, staff paid by the case).",
                in_house_marginal,
            )?,
            product(
                "budget.avoided.full",
                "in-house cost avoided by the external placements, at full cost",
                "What the same placements would have cost in-house in full. Over a year or more the agency can shape its team and overheads to its placements, so this is the long-run comparison with the fees.",
                avoided,
            )?,
            product(
                "budget.avoided.marginal",
                "in-house cost avoided by the external placements, at marginal cost",
                "The cash the same placements would have added in-house this year with the team as it is: the marginal cost counts only the lines flagged variable (direct lines that grow with cases, and staff paid by the case); staff on the payroll count as fixed. The short-run saving.",
                avoided_marginal,
            )?,
        ];
        Ok((nodes, sibling))
    }
}

/// The placements a budget expects in-house and externally, as figures; and where it places
/// sibling groups, the children beyond the first of them placed each way.
struct PlacementCounts {
    placements: NodeId,
    external: NodeId,
    more: Option<(NodeId, NodeId)>,
}

impl Profile {
    /// The child or group the profile describes.
    fn child(&self) -> Child {
        Child {
            reference: self.name.clone(),
            children: self.children,
            age: self.age,
            disabled: self.disabled,
            minority_ethnic: self.minority_ethnic,
            waiting_over_18_months: self.waiting_over_18_months,
            weekly_care_cost: None,
            group_weekly_care_cost: None,
            ..Child::default()
        }
    }

    /// One child with no criteria.
    fn one_child(reference: &str) -> Child {
        Child {
            reference: reference.into(),
            children: 1,
            age: None,
            disabled: false,
            minority_ethnic: false,
            waiting_over_18_months: false,
            weekly_care_cost: None,
            group_weekly_care_cost: None,
            ..Child::default()
        }
    }

    /// Its external placements' route, placed on `date`.
    fn route(&self, date: Date) -> Route {
        Route {
            provider: self.provider,
            nation: self.nation,
            london: self.london,
            placement_date: Some(date),
            contribution: self.contribution.clone(),
            months_beyond_12: self.months_beyond_12,
            monthly_fee: self.monthly_fee,
            ..Route::default()
        }
    }
}

/// The most placements of one profile a forecast may expect in a quarter. England places a few
/// thousand children a year in all, so more is a slip (a cost typed in the count's cell), and a
/// bound keeps every product of a count and a fee far inside exact decimal arithmetic.
const MAX_PLACEMENTS: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// A profile's share and placements within their rules.
fn check_profile(p: &Profile, placements: &[Count; 4], n: usize, source: &str) -> Result<()> {
    let at = |field: &str| format!("profile[{n}].{field} ({source})");
    if p.external_share < Decimal::ZERO || p.external_share > Decimal::ONE_HUNDRED {
        return Err(Error::invalid(
            at("external_share"),
            format!("{}%", p.external_share.normalize()),
            "a percentage from 0 to 100",
        ));
    }
    check_counts(placements, &|k| at(&format!("placements[{k}]")))
}

/// A commitment's dates and amounts within their rules: placed before the budget's first day
/// (a placement within it is a profile's), an amount with the day it falls due, from that day
/// on, and something still to pay. `at` names a field.
fn check_commitment(c: &Commitment, first: Date, at: &dyn Fn(&str) -> String) -> Result<()> {
    if c.placed >= first {
        return Err(Error::invalid(
            at("placed"),
            c.placed.to_string(),
            format!(
                "a placement made before the budget's first day, {first} (a placement in the budget years is a profile's)"
            ),
        ));
    }
    match (c.amount, c.due) {
        (Some(_), None) => {
            return Err(Error::invalid(at("due"), "not given", "the day the amount falls due"));
        }
        (None, Some(d)) => {
            return Err(Error::invalid(
                at("amount"),
                format!("not given, though due is {d}"),
                "the amount due on that day",
            ));
        }
        (Some(a), Some(d)) => {
            if d < first {
                return Err(Error::invalid(
                    at("due"),
                    d.to_string(),
                    format!(
                        "a day from the budget's first day, {first}: an amount due before it is paid or overdue, not budgeted"
                    ),
                ));
            }
            crate::input::checks::amount(at("amount"), a.0)?;
        }
        (None, None) => {}
    }
    if c.amount.is_none() && c.months_beyond_12.is_none_or(|m| m.is_zero()) {
        return Err(Error::invalid(
            at("months_beyond_12"),
            "no months and no amount",
            "months beyond 12 still expected, or an amount still to pay, or both",
        ));
    }
    Ok(())
}

/// Each quarter's count from 0 to [`MAX_PLACEMENTS`]; `at(k)` names quarter `k`'s field.
fn check_counts(counts: &[Count; 4], at: &dyn Fn(usize) -> String) -> Result<()> {
    for (k, c) in counts.iter().enumerate() {
        if c.0 < Decimal::ZERO || c.0 > MAX_PLACEMENTS {
            return Err(Error::invalid(
                at(k + 1),
                c.0.normalize().to_string(),
                format!(
                    "a number of placements in a quarter: from 0 to {}",
                    format_number(MAX_PLACEMENTS, 0)
                ),
            ));
        }
    }
    Ok(())
}

/// A rule of the child or route broken by a forecast's entry (`profile[2]`, `commitment[1]`),
/// named as that entry's field.
fn entry_field(e: Error, entry: &str, source: &str) -> Error {
    match e {
        Error::Invalid { field, found, expected } => Error::Invalid {
            field: format!(
                "{entry}.{} ({source})",
                field.trim_start_matches("child.").trim_start_matches("route.")
            ),
            found,
            expected,
        },
        other => other,
    }
}

/// A profile's fee that cannot be worked out, with the override that would give it.
fn no_fee(e: Error, agency: &Agency, p: &Profile, n: usize, qn: &str, b: &Builder) -> Error {
    let nation = p.nation.unwrap_or(agency.nation);
    let provider = p.provider.unwrap_or(Provider::Vaa);
    let year = b.year;
    Error::invalid(
        format!("profile[{n}] ({}), {qn} ({})", p.name, b.source),
        e.to_string(),
        format!(
            "a fee the method can use: the reference data has none in {year} for {} {} placed with {} in {}, so give your own fee for them ({})",
            p.children,
            if p.children == 1 { "child" } else { "children" },
            match provider {
                Provider::Vaa => "a VAA",
                Provider::La => "a council or RAA",
            },
            nation.name(),
            schedule_id(nation, provider, p.children)
        ),
    )
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
