//! The interagency fee (COSTING.md §6).
//!
//! The fee is the schedule's amount for the nation, provider type, fee year and number of
//! children, with the London weighting where the adopters' agency is in London, plus any monthly
//! fee after 12 months without an order, less any contribution. The fee year is the financial
//! year of the placement date; with no date, the latest fee year the reference data covers for
//! the nation is used, and the result says which.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::explain::{Explanation, Figure, Origin, Quantity, Unit};
use crate::input::{Case, Criterion, Nation, Provider};
use crate::money::{FinancialYear, Money, Percent};
use crate::reference::{Reference, Scheme};

/// The fee for one placement, net of any contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fee {
    /// The fee year used.
    pub year: FinancialYear,
    /// The date the fee was looked up on.
    #[serde(with = "crate::text::date")]
    pub date: Date,
    /// True where no placement date was given and the latest covered year was used.
    pub latest_year_used: bool,
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

/// The latest fee year the reference data covers for a nation: the year of the last `until`
/// among the nation's fee parameters.
pub fn latest_fee_year(reference: &Reference, nation: Nation) -> Option<FinancialYear> {
    let prefix = format!("fee.{}.", nation.id());
    reference
        .parameters
        .values()
        .filter(|p| p.id.starts_with(&prefix) && !p.id.ends_with(".monthly"))
        .flat_map(|p| p.values.iter())
        .filter(|v| v.value.is_some())
        .filter_map(|v| v.until)
        .max()
        .map(FinancialYear::of)
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

/// Works out the fee for the scenario, pushing each figure to the explanation.
pub fn fee(s: &Case, reference: &Reference, ex: &mut Explanation) -> Result<Fee> {
    let r = &s.route;
    let nation = r.nation.unwrap_or(s.agency.nation);
    let provider = r.provider.unwrap_or(Provider::Vaa);
    let children = s.child.children;
    let input = |f: &str| s.provenance.origin(f);
    let schedule_name = format!("{}, {}", nation.name(), provider.name());

    let (date, latest) = match r.placement_date {
        Some(d) => (d, false),
        None => match latest_fee_year(reference, nation) {
            Some(y) => (y.first_day(), true),
            None => {
                // No year of this nation's fees is covered: look up the first gap, which fails
                // with the reason the amounts are missing.
                let id = schedule_id(nation, provider, 1);
                let first = reference.parameter(&id).map(|p| p.values[0].from);
                match first {
                    Some(d) => (d, true),
                    None => {
                        return Err(Error::invalid(
                            s.provenance.place("route.nation"),
                            nation.name(),
                            "a nation whose fees the reference data holds, or your own fee as `fee`",
                        ));
                    }
                }
            }
        },
    };
    let year = FinancialYear::of(date);
    let mut year_b = ex
        .fig("fee.year", "fee year")
        .formula("the financial year (1 April to 31 March) of the placement date");
    year_b = match r.placement_date {
        Some(d) => year_b
            .words_with(|| format!("The child moves in on {d}, in fee year {year}."))
            .input("placement date", Quantity::plain(Decimal::from(d.year()), Unit::Count), input("route.placement_date")),
        None => year_b.words_with(|| format!(
            "No placement date was given, so the latest fee year the reference data covers for {} is used: {year}. Fees are uprated every 1 April; a placement from {} needs your own fee figure.",
            nation.name(),
            year.last_day().tomorrow().unwrap_or(year.last_day())
        )),
    };
    ex.push(year_b.value(Quantity::plain(Decimal::from(year.0), Unit::Count)));

    // The schedule amount: an override, or the reference figure for the band.
    let what = format!(
        "interagency fee, {schedule_name}, {children} {}",
        if children == 1 { "child" } else { "children" }
    );
    let (schedule, sched_q, sched_o) = if let Some(f) = r.fee {
        (f.money(), Quantity::money(f.money(), Unit::Gbp, Some(year)), input("route.fee"))
    } else if let Some(f) = s.agency.overrides.fee {
        (
            f.money(),
            Quantity::money(f.money(), Unit::Gbp, Some(year)),
            s.agency.provenance.origin("overrides.fee"),
        )
    } else if let Some((i, o)) = s.fee_overrides.iter().enumerate().find(|(_, o)| {
        o.nation == nation && o.provider == provider && o.children == children && o.year == year
    }) {
        let origin = Origin::Input {
            field: format!("fee_override[{}].amount", i + 1),
            location: if o.location.is_empty() { s.provenance.source.clone() } else { o.location.clone() },
        };
        (o.amount.money(), Quantity::money(o.amount.money(), Unit::Gbp, Some(year)), origin)
    } else {
        let id = schedule_id(nation, provider, children);
        if reference.parameter(&id).is_none() {
            let top = top_band(reference, nation, provider).unwrap_or(0);
            return Err(Error::BeyondTopBand { children, schedule: schedule_name, top });
        }
        let found = reference.lookup(&id, date, &what, "fee")?;
        (Money(found.value), found.quantity(), found.origin())
    };
    let f_sched = ex
        .fig("fee.schedule", format!("schedule fee, {what}"))
        .formula("schedule(nation, provider type, fee year, children in the group)")
        .calc("$0")
        .words(if matches!(sched_o, Origin::Input { .. }) {
            "Your own figure, used instead of the reference schedule (before any London weighting)."
        } else {
            "The published amount for the band, from the reference data."
        })
        .input("schedule amount", sched_q, sched_o)
        .value(Quantity::money(schedule, Unit::Gbp, Some(year)));
    ex.push(f_sched.clone());

    // London weighting applies to the placement fee only.
    let mut placement = schedule;
    let mut pb = ex
        .fig("fee.placement", "placement fee")
        .formula("schedule fee × (1 + London weighting, where the adopters' agency is in London)")
        .from_figure("schedule fee", &f_sched);
    if r.london {
        let lw = reference.lookup("fee.london_weighting", date, "London weighting", "fee")?;
        placement = schedule.times(Decimal::ONE + Percent(lw.value).fraction());
        pb = pb.input("London weighting", lw.quantity(), lw.origin()).calc("$0 * (1 + $1)");
    } else {
        pb = pb.words("The adopters' agency is not in London: no weighting.").calc("$0");
    }
    let f_place = pb.value(Quantity::money(placement, Unit::Gbp, Some(year)));
    ex.push(f_place.clone());

    // Monthly fee after 12 months without an order.
    let months = r.months_beyond_12.unwrap_or(Decimal::ZERO);
    let mut mb = ex
        .fig("fee.monthly_total", "monthly fees after 12 months without an order")
        .formula("expected months beyond 12 × monthly rate")
        .words("The London weighting does not apply to the monthly fee.");
    let months_origin = match r.months_beyond_12 {
        Some(_) => input("route.months_beyond_12"),
        None => {
            Origin::Default { reason: "no months beyond 12 expected unless given (COSTING.md §6)".into() }
        }
    };
    mb = mb.input("months beyond 12", Quantity::plain(months, Unit::Months), months_origin);
    let monthly_total = if months.is_zero() {
        Money::ZERO
    } else {
        let (rate, q, o) = if let Some(m) = r.monthly_fee {
            (m.money(), Quantity::money(m.money(), Unit::GbpPerMonth, Some(year)), input("route.monthly_fee"))
        } else if let Some(m) = s.agency.overrides.monthly_fee {
            (
                m.money(),
                Quantity::money(m.money(), Unit::GbpPerMonth, Some(year)),
                s.agency.provenance.origin("overrides.monthly_fee"),
            )
        } else {
            let id = format!("fee.{}.monthly", nation.id());
            if reference.parameter(&id).is_none() {
                return Err(Error::invalid(
                    "monthly_fee",
                    format!("no reference monthly fee for {}", nation.name()),
                    "your own monthly fee as `monthly_fee`",
                ));
            }
            let f = reference.lookup(
                &id,
                date,
                &format!("monthly interagency fee, {}", nation.name()),
                "monthly_fee",
            )?;
            (Money(f.value), f.quantity(), f.origin())
        };
        mb = mb.input("monthly rate", q, o);
        rate.times(months)
    };
    let f_monthly = mb.calc(if months.is_zero() { "0 * $0" } else { "$0 * $1" }).value(Quantity::money(
        monthly_total,
        Unit::Gbp,
        Some(year),
    ));
    ex.push(f_monthly.clone());

    // Contribution: the user's, or a reference scheme covering the date for which the child
    // meets any one criterion.
    let (contribution, f_contrib) = contribution(s, reference, ex, nation, date, year, placement, &f_place);
    ex.push(f_contrib.clone());

    let net = placement + monthly_total - contribution;
    ex.push(
        ex.fig("fee.net", "net fee to the placing council")
            .formula("net fee = placement fee + monthly fees − contribution")
            .calc("$0 + $1 - $2")
            .from_figure("placement fee", &f_place)
            .from_figure("monthly fees", &f_monthly)
            .from_figure("contribution", &f_contrib)
            .value(Quantity::money(net, Unit::Gbp, Some(year))),
    );
    Ok(Fee { year, date, latest_year_used: latest, schedule, placement, monthly_total, contribution, net })
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

#[allow(clippy::too_many_arguments)] // each argument is one plain fact of the contribution
fn contribution(
    s: &Case,
    reference: &Reference,
    ex: &Explanation,
    nation: Nation,
    date: Date,
    year: FinancialYear,
    placement: Money,
    f_place: &Figure,
) -> (Money, Figure) {
    let b = ex
        .fig("fee.contribution", "contribution to the fee")
        .formula("share × placement fee, or a fixed amount, at most the placement fee")
        .from_figure("placement fee", f_place);
    let money = |m: Money| Quantity::money(m, Unit::Gbp, Some(year));
    if let Some(c) = &s.route.contribution {
        let (v, b) = match (c.share, c.amount) {
            (Some(sh), _) => (
                placement.times(Percent(sh).fraction()),
                b.input(
                    "your share of the placement fee",
                    Quantity::plain(sh, Unit::Percent),
                    s.provenance.origin("route.contribution.share"),
                )
                .calc("min($0 * $1, $0)"),
            ),
            (None, Some(a)) => (
                a.money(),
                b.input(
                    "your fixed amount",
                    money(a.money()),
                    s.provenance.origin("route.contribution.amount"),
                )
                .calc("min($1, $0)"),
            ),
            (None, None) => (Money::ZERO, b.calc("0")),
        };
        let capped = v.min(placement);
        return (
            capped,
            b.words("Your own contribution figure, used instead of the reference schemes.")
                .value(money(capped)),
        );
    }
    let in_date = schemes_in_date(reference, nation, date);
    if let Some((sc, met)) = scheme_for(s, reference, nation, date) {
        let origin = Origin::Reference {
            parameter: format!("scheme.{}", sc.id),
            from: sc.from,
            until: Some(sc.until),
            source: sc.source.clone(),
            grade: sc.grade,
            note: sc.note.clone(),
        };
        let (v, b) = match (sc.share, sc.amount) {
            (Some(sh), _) => (
                placement.times(Percent(sh).fraction()),
                b.input(
                    format!("{}: share of the placement fee", sc.name),
                    Quantity::plain(sh, Unit::Percent),
                    origin,
                )
                .calc("min($0 * $1, $0)"),
            ),
            (None, Some(a)) => (
                Money(a),
                b.input(format!("{}: fixed amount", sc.name), money(Money(a)), origin).calc("min($1, $0)"),
            ),
            (None, None) => (Money::ZERO, b.calc("0")),
        };
        let capped = v.min(placement);
        let words = || {
            let why = met.iter().map(|c| c.describe()).collect::<Vec<_>>().join("; ");
            format!(
                "The placement date {date} is within the {} ({} to {}) and the child meets its criteria: {why}.",
                sc.name, sc.from, sc.until
            )
        };
        return (capped, b.words_with(words).value(money(capped)));
    }
    let words = || {
        if in_date.is_empty() {
            format!(
                "No contribution scheme in the reference data covers a placement on {date}; give your own as `contribution` if one applies."
            )
        } else {
            "A scheme covers the date, but the child meets none of its criteria.".to_string()
        }
    };
    (Money::ZERO, b.words_with(words).calc("0").value(money(Money::ZERO)))
}
