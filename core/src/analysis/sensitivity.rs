//! Sensitivity: how far the difference between the routes moves when one input moves, the others
//! held as they are (a one-at-a-time analysis, drawn as a tornado chart).
//!
//! Each input is moved down and up by a share of its value (10% unless told otherwise), or across
//! a low–high range the user gives, and the whole comparison is worked out again
//! ([`crate::compare()`], with its checks) at each end. The swing is |difference at high −
//! difference at low|; inputs are ranked by it. A share that would take a percentage past 100% or
//! a value below 0 is stopped there, and the workings say so.

use rust_decimal::Decimal;
use serde::Serialize;

use super::inputs::{Baseline, InputId};
use crate::compare::{Comparison, compare, compare_model};
use crate::error::{Error, Result};
use crate::explain::{Explanation, Origin, Quantity, Unit};
use crate::input::Scenario;
use crate::method::{Expr, Model};
use crate::money::{FinancialYear, Money, Percent};
use crate::reference::Reference;

/// A low–high range the user gives for one input, instead of the share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LowHigh {
    /// The input's path (`staff[1].salary`).
    pub input: String,
    /// The low end.
    pub low: Decimal,
    /// The high end.
    pub high: Decimal,
}

/// What to move, and by how much.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityOptions {
    /// The share each input moves down and up, in percent (10 means ±10%).
    pub change: Decimal,
    /// Ranges for particular inputs, used instead of the share.
    pub ranges: Vec<LowHigh>,
}

impl Default for SensitivityOptions {
    fn default() -> Self {
        SensitivityOptions { change: Decimal::TEN, ranges: Vec::new() }
    }
}

/// One input's swing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swing {
    /// The input's path.
    pub input: String,
    /// The input in words.
    pub label: String,
    /// The unit of its values.
    pub unit: Unit,
    /// The value the comparison used.
    pub base: Decimal,
    /// The low value tried.
    pub low: Decimal,
    /// The high value tried.
    pub high: Decimal,
    /// How the low and high values were chosen, in words.
    pub how: String,
    /// The difference between the routes with the input at its low value.
    pub at_low: Money,
    /// The difference between the routes with the input at its high value.
    pub at_high: Money,
    /// |at high − at low|.
    pub swing: Money,
    /// The figure id of its workings.
    pub figure: String,
}

/// The sensitivity of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The fee year, whose prices the differences are in.
    pub year: FinancialYear,
    /// The difference between the routes as worked out (external − in-house).
    pub base_difference: Money,
    /// The share each input moved, in percent, where no range was given.
    pub change: Decimal,
    /// The inputs that move the difference, largest swing first.
    pub swings: Vec<Swing>,
    /// The inputs that did not move it (zero, or outside the routes at this scenario).
    pub no_effect: Vec<Swing>,
    /// Every swing's workings.
    pub explanation: Explanation,
}

/// Works out the sensitivity of a scenario's difference between the routes to each input.
pub fn sensitivity(s: &Scenario, reference: &Reference, opts: &SensitivityOptions) -> Result<Sensitivity> {
    if opts.change <= Decimal::ZERO || opts.change >= Decimal::ONE_HUNDRED {
        return Err(Error::invalid(
            "change",
            format!("{}%", opts.change.normalize()),
            "a share above 0% and below 100%",
        ));
    }
    let (base, model) = compare_model(s, reference)?;
    let baseline = Baseline::of(&model);
    let year = base.fee.year;
    let mut ranges = Vec::new();
    for (i, r) in opts.ranges.iter().enumerate() {
        let field = format!("range[{}]", i + 1);
        let id = InputId::parse(&r.input, s, &format!("{field}.input"))?;
        check_range(id, s, r.low, r.high, &field)?;
        ranges.push((id, r.low, r.high));
    }
    let mut all = InputId::all(s);
    for (id, _, _) in &ranges {
        if !all.contains(id) {
            all.push(*id);
        }
    }
    let mut swings = Vec::new();
    let mut model = Model::new();
    for id in all {
        let Some(value) = id.value(s, &baseline) else { continue };
        let path = id.path(s);
        let unit = id.unit(s);
        let (low, high, how) = match ranges.iter().find(|(r, _, _)| *r == id) {
            Some((_, lo, hi)) => (*lo, *hi, "your range".to_string()),
            None => share_of(id, s, value, opts.change),
        };
        let at = |v: Decimal| -> Result<Comparison> {
            let mut moved = s.clone();
            id.set(&mut moved, v);
            compare(&moved, reference).map_err(|e| {
                Error::invalid(
                    path.clone(),
                    Quantity::plain(v, unit).display(),
                    format!("a value the comparison accepts when moved for the sensitivity ({e})"),
                )
            })
        };
        let (lo_c, hi_c) = (at(low)?, at(high)?);
        let moved = Moved {
            id,
            value,
            low,
            high,
            how,
            at_low: lo_c.routes.difference,
            at_high: hi_c.routes.difference,
        };
        swings.push(moved.swing(&mut model, s, year)?);
    }
    // Largest swing first; equal swings keep the order of the input file.
    swings.sort_by_key(|w| std::cmp::Reverse(w.swing));
    let (swings, no_effect): (Vec<_>, Vec<_>) = swings.into_iter().partition(|w| !w.swing.amount().is_zero());
    Ok(Sensitivity {
        year,
        base_difference: base.routes.difference,
        change: opts.change,
        swings,
        no_effect,
        explanation: model.explanation(),
    })
}

/// An input moved down and up by `change` percent of its value, within its bounds, and how.
fn share_of(id: InputId, s: &Scenario, value: Decimal, change: Decimal) -> (Decimal, Decimal, String) {
    let fraction = Percent(change).fraction();
    let (min, max) = id.bounds(s);
    let low = (value * (Decimal::ONE - fraction)).max(min);
    let mut high = value * (Decimal::ONE + fraction);
    let mut how = format!("−{0}% and +{0}% of the value used", change.normalize());
    if let Some(max) = max.filter(|m| high > *m) {
        high = max;
        how.push_str(&format!(", the high end stopped at {}", Quantity::plain(max, id.unit(s)).display()));
    }
    (low, high, how)
}

/// One input moved, and the difference between the routes at each end.
struct Moved {
    id: InputId,
    value: Decimal,
    low: Decimal,
    high: Decimal,
    how: String,
    at_low: Money,
    at_high: Money,
}

impl Moved {
    /// The swing: its figure in `model`, derived from the difference at each end.
    fn swing(self, model: &mut Model, s: &Scenario, year: crate::money::FinancialYear) -> Result<Swing> {
        let Moved { id, value, low, high, how, at_low, at_high } = self;
        let (path, unit, label) = (id.path(s), id.unit(s), id.label(s));
        let figure = format!("sensitivity.{path}");
        let q = |v: Decimal| Quantity::plain(v, unit);
        let mq = |m: Money| Quantity::money(m, Unit::Gbp, Some(year));
        let difference = || Origin::Figure { id: "route.difference".into() };
        let lo = model.leaf("", "difference at the low value", "difference at low", mq(at_low), difference());
        let hi =
            model.leaf("", "difference at the high value", "difference at high", mq(at_high), difference());
        let n = model
            .fig(figure.clone(), format!("swing of the difference between the routes: {label}"), "swing")
            .money(Some(year))
            .words(format!(
                "The comparison worked out again with {label} at {} and at {} ({how}), every other input as it is. The value used was {}.",
                q(low).display(),
                q(high).display(),
                q(value).display()
            ))
            .is(Expr::max(hi.e() - lo.e(), lo.e() - hi.e()))?;
        let swing = model.money(n);
        Ok(Swing { input: path, label, unit, base: value, low, high, how, at_low, at_high, swing, figure })
    }
}

/// Checks a user's low–high (or low–likely–high) values against the input's rules.
pub(crate) fn check_range(id: InputId, s: &Scenario, low: Decimal, high: Decimal, field: &str) -> Result<()> {
    let unit = id.unit(s);
    let show = |v: Decimal| Quantity::plain(v, unit).display();
    if low > high {
        return Err(Error::invalid(
            format!("{field}.low"),
            show(low),
            format!("a low value no higher than the high value ({})", show(high)),
        ));
    }
    let (min, max) = id.bounds(s);
    if low < min {
        return Err(Error::invalid(
            format!("{field}.low"),
            show(low),
            format!("a value of {} or more", show(min)),
        ));
    }
    if let Some(max) = max.filter(|m| high > *m) {
        return Err(Error::invalid(format!("{field}.high"), show(high), format!("at most {}", show(max))));
    }
    Ok(())
}
