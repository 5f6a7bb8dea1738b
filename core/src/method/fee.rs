//! The interagency fee (COSTING.md §6).
//!
//! The fee is the schedule's amount for the nation, provider type, fee year and number of
//! children, with the London weighting where the adopters' agency is in London, plus any
//! monthly fee after 12 months without an order, less any contribution. The fee year is the
//! financial year of the placement date; with no date, the latest fee year the reference data
//! covers for the nation is used, and the result says which.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Expr, Model, NodeId, default_origin};
use crate::error::{Error, Result};
use crate::explain::{Origin, Quantity, Unit};
use crate::input::{Case, Criterion, Nation, Provider};
use crate::money::{FinancialYear, Money};
use crate::reference::{Reference, Scheme};

/// The fee for one placement, net of any contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fee {
    /// The fee year used.
    pub year: FinancialYear,
    /// The date the fee was looked up on.
    #[serde(with = "crate::text::date")]
    pub date: Date,
    /// Where the date came from: the placement date, today's, or the latest covered year.
    pub date_from: FeeDate,
    /// What a reader must know of the fee: an estimate, or a value used after its source last
    /// confirmed it.
    pub notes: Vec<String>,
    /// True where the schedule amount is an estimate: the latest published amount uprated by
    /// the user's percentage.
    pub estimated: bool,
    /// The schedule amount, before London weighting.
    pub schedule: Money,
    /// The placement fee, London weighting included.
    pub placement: Money,
    /// Monthly fees after 12 months.
    pub monthly_total: Money,
    /// The contribution from a scheme or the user.
    pub contribution: Money,
    /// placement + monthly − contribution.
    pub net: Money,
}

/// Where the date a fee is looked up on came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeDate {
    /// The placement date given.
    Placement,
    /// No placement date was given: today's date, which the front door passed in.
    Today,
    /// No placement date and no today's date: the first day of the latest fee year the
    /// reference data covers for the nation.
    LatestYear,
}

impl Fee {
    /// The date the fee year comes from, in words: the placement date, or today's where none
    /// was given, or the latest fee year covered.
    pub fn year_basis(&self) -> String {
        match self.date_from {
            FeeDate::Placement => format!("placement date {}", self.date),
            FeeDate::Today => format!("no placement date given: today's date, {}", self.date),
            FeeDate::LatestYear => {
                "no placement date given: the latest fee year the reference data covers".into()
            }
        }
    }
}

/// The fee and its figures.
#[derive(Debug, Clone)]
pub struct FeeNodes {
    /// The typed fee.
    pub fee: Fee,
    /// The fee year.
    pub year: FinancialYear,
    /// The net fee.
    pub net: NodeId,
}

/// The schedule parameter's id for a group of `children`.
pub fn schedule_id(nation: Nation, provider: Provider, children: u32) -> String {
    format!("fee.{}.{}.{}", nation.id(), provider.id(), children)
}

/// The largest band the reference data holds for a schedule, if any.
pub fn top_band(reference: &Reference, nation: Nation, provider: Provider) -> Option<u32> {
    let prefix = format!("fee.{}.{}.", nation.id(), provider.id());
    reference.parameters.keys().filter_map(|k| k.strip_prefix(&prefix)?.parse::<u32>().ok()).max()
}

/// The fee for a case on its own, with its figures' derivations: for an analysis that prices
/// fees without an agency's routes (a budget).
pub fn explained(s: &Case, reference: &Reference) -> Result<(Fee, crate::explain::Explanation)> {
    let mut m = Model::new();
    let f = fee(&mut m, s, reference)?;
    Ok((f.fee, m.explanation()))
}

/// The monthly fees alone of a placement already made (its placement fee paid): months beyond
/// 12 × the monthly rate, with the figures' derivations. The case must give its placement date.
pub fn monthly_explained(s: &Case, reference: &Reference) -> Result<(Money, crate::explain::Explanation)> {
    let date = s.route.placement_date.ok_or_else(|| {
        Error::invalid(s.provenance.place("route.placement_date"), "not given", "the date of the placement")
    })?;
    let nation = s.route.nation.unwrap_or(s.agency.nation);
    let mut m = Model::new();
    let monthly = monthly(&mut m, s, reference, nation, date, FinancialYear::of(date))?;
    Ok((m.money(monthly), m.explanation()))
}

/// The date the fee is looked up on: the placement date, or today's, or the first day of the
/// latest fee year the reference data covers.
fn fee_date(s: &Case, reference: &Reference, nation: Nation, provider: Provider) -> Result<(Date, FeeDate)> {
    if let Some(d) = s.route.placement_date {
        return Ok((d, FeeDate::Placement));
    }
    if let Some(d) = s.today {
        return Ok((d, FeeDate::Today));
    }
    if let Some(y) = reference.latest_fee_year(nation) {
        return Ok((y.first_day(), FeeDate::LatestYear));
    }
    // No year of this nation's fees is covered: look up the first gap, which fails with the
    // reason the amounts are missing.
    match reference.parameter(&schedule_id(nation, provider, 1)).map(|p| p.values[0].from) {
        Some(d) => Ok((d, FeeDate::LatestYear)),
        None => Err(Error::invalid(
            s.provenance.place("route.nation"),
            nation.name(),
            "a nation whose fees the reference data holds, or your own fee as `fee`",
        )),
    }
}

/// Works out the fee for the case into `m`.
pub fn fee(m: &mut Model, s: &Case, reference: &Reference) -> Result<FeeNodes> {
    let nation = s.route.nation.unwrap_or(s.agency.nation);
    let provider = s.route.provider_used();
    let (date, date_from) = fee_date(s, reference, nation, provider)?;
    let year = FinancialYear::of(date);
    fee_year(m, s, nation, date, date_from)?;
    let mut notes = Vec::new();
    let at = At { nation, provider, date, year };
    let (schedule, estimated) = schedule(m, s, reference, at, &mut notes)?;
    let placement = placement(m, s, reference, schedule, date, year)?;
    let monthly = monthly(m, s, reference, nation, date, year)?;
    let contribution = contribution(m, s, reference, nation, date, year, placement)?;
    let net = m
        .fig("fee.net", "net fee to the placing council", "net fee")
        .money(Some(year))
        .is(placement.e() + monthly.e() - contribution.e())?;
    let fee = Fee {
        year,
        date,
        date_from,
        estimated,
        notes,
        schedule: m.money(schedule),
        placement: m.money(placement),
        monthly_total: m.money(monthly),
        contribution: m.money(contribution),
        net: m.money(net),
    };
    Ok(FeeNodes { fee, year, net })
}

/// The fee year: a choice of the method, not arithmetic.
fn fee_year(m: &mut Model, s: &Case, nation: Nation, date: Date, from: FeeDate) -> Result<NodeId> {
    let year = FinancialYear::of(date);
    let words = match from {
        FeeDate::Placement => format!("The child moves in on {date}, in fee year {year}."),
        FeeDate::Today => format!(
            "No placement date was given, so today's date is taken as the placement date: {date}, in fee year {year}. Give the placement date where the child moves in on another day."
        ),
        FeeDate::LatestYear => format!(
            "No placement date was given, so the latest fee year the reference data covers for {} is used: {year}. The VAA schedule is uprated every 1 April; a placement from {} needs that year's fee.",
            nation.name(),
            year.last_day().tomorrow().unwrap_or(year.last_day())
        ),
    };
    let cites: Vec<NodeId> = match s.route.placement_date {
        Some(d) => vec![m.input_leaf(
            "route.placement_date",
            "placement date",
            "placement date",
            Quantity::date(d),
            s.provenance.origin("route.placement_date"),
        )],
        None => Vec::new(),
    };
    m.fig("fee.year", "fee year", "fee year")
        .unit(Unit::FeeYear)
        .formula("the financial year (1 April to 31 March) of the placement date")
        .words(words)
        .is(Expr::chosen(Decimal::from(year.0), cites.into_iter().map(NodeId::e)))
}

/// Which schedule, on which day: what the schedule amount is looked up by.
#[derive(Debug, Clone, Copy)]
struct At {
    nation: Nation,
    provider: Provider,
    date: Date,
    year: FinancialYear,
}

/// The schedule amount: the user's own, or the reference figure for the band, or (where the
/// year's is not published and the user names an uplift) the latest published amount uprated.
fn schedule(
    m: &mut Model,
    s: &Case,
    reference: &Reference,
    at: At,
    notes: &mut Vec<String>,
) -> Result<(NodeId, bool)> {
    let At { nation, provider, date, year } = at;
    let children = s.child.children;
    let schedule_name = format!("{}, {}", nation.name(), provider.name());
    let what = format!(
        "interagency fee, {schedule_name}, {children} {}",
        if children == 1 { "child" } else { "children" }
    );
    let own = |amount: Money, origin: Origin| (Quantity::money(amount, Unit::Gbp, Some(year)), origin);
    let override_of = s.fee_overrides.iter().enumerate().find(|(_, o)| {
        o.nation == nation && o.provider == provider && o.children == children && o.year == year
    });
    let (q, origin) = if let Some(f) = s.route.fee {
        own(f.money(), s.provenance.origin("route.fee"))
    } else if let Some(f) = s.agency.overrides.fee {
        own(f.money(), s.agency.provenance.origin("overrides.fee"))
    } else if let Some((i, o)) = override_of {
        let location = if o.location.is_empty() { s.provenance.source.clone() } else { o.location.clone() };
        let note = Some(o.notes.clone()).filter(|n| !n.trim().is_empty());
        own(
            o.amount.money(),
            Origin::Input { field: format!("fee_override[{}].amount", i + 1), location, note },
        )
    } else {
        let id = schedule_id(nation, provider, children);
        if reference.parameter(&id).is_none() {
            let top = top_band(reference, nation, provider).unwrap_or(0);
            return Err(Error::BeyondTopBand { children, schedule: schedule_name, top });
        }
        match reference.lookup(&id, date, &what, "fee") {
            Ok(found) => {
                notes.extend(published_notes(s, &found, &what, year));
                (found.quantity(), found.origin())
            }
            Err(e @ (Error::ReferenceGap { .. } | Error::ReferenceEnded { .. })) => {
                let (Some(uplift), Some(latest)) = (s.route.fee_uplift, reference.latest_before(&id, date))
                else {
                    return Err(e);
                };
                return uplifted(m, s, year, &what, latest, uplift, notes).map(|n| (n, true));
            }
            Err(e) => return Err(e),
        }
    };
    let users = matches!(origin, Origin::Input { .. });
    let amount = m.input_leaf("route.fee", "schedule amount", "schedule amount", q, origin);
    m.fig("fee.schedule", format!("schedule fee, {what}"), "schedule fee")
        .money(Some(year))
        .formula("schedule(nation, provider type, fee year, children in the group)")
        .words(if users {
            "Your own figure, used instead of the reference schedule (before any London weighting)."
        } else {
            "The published amount for the band, from the reference data."
        })
        .is(amount.e())
        .map(|n| (n, false))
}

/// What a reader must know of a published amount: that it is used after its source last
/// confirmed it, or that the user's uplift was not needed.
fn published_notes(
    s: &Case,
    found: &crate::reference::Found<'_>,
    what: &str,
    year: FinancialYear,
) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(last) = found.beyond_confirmed() {
        notes.push(format!(
            "The {what} of {} was last confirmed for {} by its source, which says it continues; it is used for {year}. Check it has not changed.",
            found.quantity().display(),
            FinancialYear::of(last)
        ));
    }
    if s.route.fee_uplift.is_some() {
        notes.push(format!("The fee uplift was not used: the {year} amount is in the reference data."));
    }
    notes
}

/// The schedule amount estimated: the latest published amount before the fee year, uprated by
/// the user's percentage. An estimate the user chose, labelled so wherever it shows. An uplift
/// stands for one April's uprating: from an amount older than the year before, one percentage
/// would hide years of changes, so that is refused.
fn uplifted(
    m: &mut Model,
    s: &Case,
    year: FinancialYear,
    what: &str,
    latest: crate::reference::Found<'_>,
    uplift: Decimal,
    notes: &mut Vec<String>,
) -> Result<NodeId> {
    let latest_year = FinancialYear::of(latest.entry.until.unwrap_or(latest.entry.from));
    if latest_year.0 + 1 != year.0 {
        return Err(Error::invalid(
            s.provenance.place("route.fee_uplift"),
            format!("{}%", uplift.normalize()),
            format!(
                "a fee uplift only where the year before is published: the latest published {what} is for {latest_year}, not {}; give the {year} amount as `fee`",
                FinancialYear(year.0 - 1)
            ),
        ));
    }
    let published = latest.quantity();
    let from_year = published.price_year.unwrap_or(year);
    let shown = published.display();
    let amount =
        m.leaf("fee.published", "latest published amount", "latest published", published, latest.origin());
    let pct = m.input_leaf(
        "route.fee_uplift",
        "your fee uplift",
        "uplift",
        Quantity::plain(uplift, Unit::Percent),
        s.provenance.origin("route.fee_uplift"),
    );
    notes.push(format!(
        "The {what} for {year} is an ESTIMATE: the {year} amount is not published, so the latest published amount ({shown}, {from_year}) is uprated by your {}%. Replace it when the year is published.",
        uplift.normalize()
    ));
    m.fig("fee.schedule", format!("schedule fee, {what} (estimate)"), "schedule fee (estimate)")
        .money(Some(year))
        .formula("latest published amount × (1 + your uplift)")
        .words(format!(
            "An estimate: the {year} amount is not published, so the latest published amount, {shown} for {from_year}, is uprated once by your percentage."
        ))
        .is(amount.e() * (Expr::num(1) + pct.e()))
}

/// The placement fee: the schedule fee, with the London weighting where the adopters' agency
/// is in London.
fn placement(
    m: &mut Model,
    s: &Case,
    reference: &Reference,
    schedule: NodeId,
    date: Date,
    year: FinancialYear,
) -> Result<NodeId> {
    if !s.route.london {
        return m
            .fig("fee.placement", "placement fee", "placement fee")
            .money(Some(year))
            .words("The adopters' agency is not in London: no weighting.")
            .is(schedule.e());
    }
    let lw = reference.lookup("fee.london_weighting", date, "London weighting", "fee")?;
    let weighting =
        m.leaf("fee.london_weighting", "London weighting", "London weighting", lw.quantity(), lw.origin());
    m.fig("fee.placement", "placement fee", "placement fee")
        .money(Some(year))
        .is(schedule.e() * (Expr::num(1) + weighting.e()))
}

/// Monthly fees after 12 months without an order (the London weighting does not apply).
fn monthly(
    m: &mut Model,
    s: &Case,
    reference: &Reference,
    nation: Nation,
    date: Date,
    year: FinancialYear,
) -> Result<NodeId> {
    let r = s.route;
    let given = r.months_beyond_12.is_some();
    let months_value = r.months_beyond_12.unwrap_or(Decimal::ZERO);
    let origin = if given {
        s.provenance.origin("route.months_beyond_12")
    } else {
        default_origin("no months beyond 12 expected unless given (COSTING.md §6)")
    };
    let q = Quantity::plain(months_value, Unit::Months);
    let (expr, words) = if months_value.is_zero() {
        // No rate is looked up for no months, so an analysis that moves the months must cost
        // the case again (the leaf does not stand for the input).
        let months = m.leaf("route.months_beyond_12", "months beyond 12", "months beyond 12", q, origin);
        (
            Expr::num(0) * months.e(),
            "No months beyond 12 are expected, so there is no monthly fee and no rate is needed.".to_string(),
        )
    } else {
        let months =
            m.input_leaf("route.months_beyond_12", "months beyond 12", "months beyond 12", q, origin);
        let (rate, words) = monthly_rate(m, s, reference, nation, date, year)?;
        (months.e() * rate.e(), words)
    };
    m.fig("fee.monthly_total", "monthly fees after 12 months without an order", "monthly fees")
        .money(Some(year))
        .words(words)
        .is(expr)
}

/// The same day a year on (29 February: 28 February), worked by hand: jiff's span arithmetic
/// would add its calendar machinery to the page's first module for this one sum.
pub(crate) fn a_year_on(d: Date) -> Date {
    let year = d.year().saturating_add(1);
    Date::new(year, d.month(), d.day()).or_else(|_| Date::new(year, d.month(), 28)).unwrap_or(d)
}

/// The monthly rate: the user's own, or the reference figure for the provider type in force on
/// the day month 13 begins (the months it prices fall then, often in the next fee year); with
/// the words that say which.
fn monthly_rate(
    m: &mut Model,
    s: &Case,
    reference: &Reference,
    nation: Nation,
    date: Date,
    year: FinancialYear,
) -> Result<(NodeId, String)> {
    let no_weighting = "The London weighting does not apply to the monthly fee.";
    let own =
        |amount: Money, origin: Origin| (Quantity::money(amount, Unit::GbpPerMonth, Some(year)), origin);
    let (q, origin, words) = if let Some(f) = s.route.monthly_fee {
        let (q, o) = own(f.money(), s.provenance.origin("route.monthly_fee"));
        (q, o, format!("Your own monthly rate. {no_weighting}"))
    } else if let Some(f) = s.agency.overrides.monthly_fee {
        let (q, o) = own(f.money(), s.agency.provenance.origin("overrides.monthly_fee"));
        (q, o, format!("The agency's own monthly rate. {no_weighting}"))
    } else {
        let provider = s.route.provider_used();
        let id = format!("fee.{}.{}.monthly", nation.id(), provider.id());
        if reference.parameter(&id).is_none() {
            return Err(Error::invalid(
                s.provenance.place("route.monthly_fee"),
                format!("no published monthly fee for {} placements in {}", provider.name(), nation.name()),
                "your own monthly rate as `monthly_fee` (the rate in your agreement, or 0): the published monthly fee (CVAA's briefing) covers VAA placements in England and Wales only",
            ));
        }
        let month_13 = a_year_on(date);
        let f = reference.lookup(
            &id,
            month_13,
            &format!("monthly interagency fee, {}, {}", nation.name(), provider.name()),
            "monthly_fee",
        )?;
        let words = format!(
            "The published rate in force on {month_13}, when month 13 of the placement begins (fee year {}): the months it prices fall then. {no_weighting}",
            FinancialYear::of(month_13)
        );
        (f.quantity(), f.origin(), words)
    };
    Ok((m.input_leaf("route.monthly_fee", "monthly rate", "monthly rate", q, origin), words))
}

fn meets(s: &Case, c: Criterion) -> bool {
    let ch = &s.child;
    match c {
        Criterion::Aged5OrOver => ch.age.is_some_and(|a| a >= 5),
        Criterion::Disabled => ch.disabled,
        Criterion::SiblingGroup => ch.children > 1,
        Criterion::MinorityEthnic => ch.minority_ethnic,
        Criterion::WaitingOver18Months => ch.waiting_over_18_months,
    }
}

/// The reference contribution schemes of a nation in force on a date.
fn schemes_in_date(reference: &Reference, nation: Nation, date: Date) -> Vec<&Scheme> {
    reference.schemes.iter().filter(|sc| sc.nation == nation && sc.from <= date && date <= sc.until).collect()
}

/// The first reference scheme in force on the date whose criteria the child meets, with the
/// criteria met: the scheme that sets the contribution where the user gives none.
pub fn scheme_for<'r>(
    s: &Case,
    reference: &'r Reference,
    nation: Nation,
    date: Date,
) -> Option<(&'r Scheme, Vec<Criterion>)> {
    schemes_in_date(reference, nation, date).into_iter().find_map(|sc| {
        let met: Vec<_> = sc.criteria.iter().copied().filter(|&c| meets(s, c)).collect();
        (!met.is_empty()).then_some((sc, met))
    })
}

/// The contribution: the user's, or a reference scheme covering the date for which the child
/// meets any one criterion; a share of the placement fee or a fixed amount, at most the
/// placement fee.
fn contribution(
    m: &mut Model,
    s: &Case,
    reference: &Reference,
    nation: Nation,
    date: Date,
    year: FinancialYear,
    placement: NodeId,
) -> Result<NodeId> {
    let money = |a: Money| Quantity::money(a, Unit::Gbp, Some(year));
    let capped = |share: Option<NodeId>, amount: Option<NodeId>| match (share, amount) {
        (Some(sh), _) => Expr::min(placement.e() * sh.e(), placement.e()),
        (None, Some(a)) => Expr::min(a.e(), placement.e()),
        (None, None) => Expr::min(Expr::num(0), placement.e()),
    };
    let (expr, words) = if let Some(c) = &s.route.contribution {
        let share = c.share.map(|sh| {
            let origin = s.provenance.origin("route.contribution.share");
            let q = Quantity::plain(sh, Unit::Percent);
            m.input_leaf("route.contribution.share", "your share of the placement fee", "share", q, origin)
        });
        let amount = c.amount.filter(|_| share.is_none()).map(|a| {
            let origin = s.provenance.origin("route.contribution.amount");
            m.input_leaf(
                "route.contribution.amount",
                "your fixed amount",
                "fixed amount",
                money(a.money()),
                origin,
            )
        });
        (
            capped(share, amount),
            "Your own contribution figure, used instead of the reference schemes.".to_string(),
        )
    } else if let Some((sc, met)) = scheme_for(s, reference, nation, date) {
        let origin = Origin::Reference {
            parameter: format!("scheme.{}", sc.id),
            from: sc.from,
            until: Some(sc.until),
            source: sc.source.clone(),
            grade: sc.grade,
            note: sc.note.clone(),
            last_confirmed: None,
        };
        let (share, amount) = match (sc.share, sc.amount) {
            (Some(sh), _) => {
                let name = format!("{}: share of the placement fee", sc.name);
                (Some(m.leaf("", name, "share", Quantity::plain(sh, Unit::Percent), origin)), None)
            }
            (None, Some(a)) => {
                let name = format!("{}: fixed amount", sc.name);
                (None, Some(m.leaf("", name, "fixed amount", money(Money(a)), origin)))
            }
            (None, None) => (None, None),
        };
        let why = met.iter().map(|c| c.describe()).collect::<Vec<_>>().join("; ");
        let words = format!(
            "The placement date {date} is within the {} ({} to {}) and the child meets its criteria: {why}.",
            sc.name, sc.from, sc.until
        );
        (capped(share, amount), words)
    } else {
        let words = if schemes_in_date(reference, nation, date).is_empty() {
            format!(
                "No contribution scheme in the reference data covers a placement on {date}; give your own as `contribution` if one applies."
            )
        } else {
            "A scheme covers the date, but the child meets none of its criteria.".to_string()
        };
        (Expr::num(0), words)
    };
    m.fig("fee.contribution", "contribution to the fee", "contribution")
        .money(Some(year))
        .words(words)
        .is(expr)
}
