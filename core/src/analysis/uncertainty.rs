//! Uncertainty: a Monte Carlo run over inputs given as ranges (low, most likely, high).
//!
//! Each draw takes every ranged input from its distribution (triangular, or PERT: the beta
//! distribution with the same mean as (low + 4 × likely + high) ÷ 6), pins each ranged input's
//! node of the comparison's model to its draw and works out again only what depends on them
//! ([`crate::method::Model::recompute`]: the comparison's own expressions, so a draw's
//! difference is, to the last digit, what comparing the drawn scenario gives), and keeps the
//! difference between the routes. The results: the percentiles 5, 25, 50, 75 and 95 of
//! the difference, its mean, a histogram, the probability that the external route is cheaper,
//! and each input's rank correlation with the difference (which inputs drive the spread).
//!
//! Reproducible everywhere: the generator is ChaCha8 (`rand_chacha`), seeded with the user's
//! seed; the draws are made in blocks of [`BLOCK`], block *b* from the generator's stream *b*, so
//! the same seed gives the same draws on every platform, native or wasm, whatever the number of
//! threads. A uniform number is drawn as an integer from 0 to 10¹⁸ − 1 (by rejection, so every
//! integer is equally likely) and divided by 10¹⁸: a decimal with 18 places, exact. Triangular
//! draws use the exact inverse of the distribution function (a decimal square root). PERT draws
//! use the inverse of the distribution function tabulated on [`PERT_STEPS`] equal steps, linear
//! within a step (the table is worked out once per input, in decimals); no binary float is used.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rust_decimal::{Decimal, MathematicalOps};
use serde::Serialize;

use super::inputs::{Baseline, InputId};
use crate::compare::{compare, compare_model};
use crate::error::{Error, Result};
use crate::explain::{Explanation, Origin, Quantity, Unit};
use crate::input::Scenario;
pub use crate::input::{Distribution, Range};
use crate::method::{Expr, Model, NodeId};
use crate::money::{FinancialYear, Money};
use crate::reference::Reference;

/// Draws per block of the generator's streams.
pub const BLOCK: u32 = 1024;

/// Steps of the tabulated PERT distribution function.
pub const PERT_STEPS: usize = 1024;

/// The most draws one run may make.
pub const MAX_DRAWS: u32 = 10_000_000;

/// How to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SimulationOptions {
    /// Draws to make.
    pub draws: u32,
    /// The generator's seed.
    pub seed: u64,
    /// Threads to use (native only; the wasm build uses one). The results do not depend on it.
    pub threads: usize,
}

impl Default for SimulationOptions {
    fn default() -> Self {
        SimulationOptions { draws: 10_000, seed: 1, threads: 1 }
    }
}

/// A percentile of the difference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PercentilePoint {
    /// Which percentile (5, 25, 50, 75, 95).
    pub percent: u32,
    /// The difference at it.
    pub difference: Money,
}

/// One bar of the histogram: draws with a difference from `from` up to (not including) `to`;
/// the last bar includes `to`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bin {
    /// Lower edge.
    pub from: Money,
    /// Upper edge.
    pub to: Money,
    /// Draws in the bar.
    pub count: u32,
}

/// One ranged input's part in the spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// The input's path.
    pub input: String,
    /// The input in words.
    pub label: String,
    /// The range drawn from.
    pub range: Range,
    /// Spearman's rank correlation of the input's draws with the difference, from −1 to 1.
    pub rank_correlation: Decimal,
}

/// One draw: each ranged input's value, in the order of the ranges, and the difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draw {
    /// The ranged inputs' values.
    pub inputs: Vec<Decimal>,
    /// external − in-house at those values.
    pub difference: Money,
}

/// The result of a Monte Carlo run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// The fee year, whose prices the differences are in.
    pub year: FinancialYear,
    /// Draws made.
    pub draws: u32,
    /// The seed.
    pub seed: u64,
    /// The generator, named.
    pub generator: &'static str,
    /// The difference with every input at its own value (no draw).
    pub base_difference: Money,
    /// The mean difference over the draws.
    pub mean: Money,
    /// The percentiles 5, 25, 50, 75, 95 of the difference.
    pub percentiles: Vec<PercentilePoint>,
    /// The smallest and largest difference drawn.
    pub min: Money,
    /// The largest difference drawn.
    pub max: Money,
    /// Twenty equal bars from the smallest to the largest difference.
    pub histogram: Vec<Bin>,
    /// Draws in which the external route is cheaper (difference below 0) ÷ draws.
    pub p_external_cheaper: Decimal,
    /// The ranged inputs, largest |rank correlation| first.
    pub drivers: Vec<Driver>,
    /// Every draw, in order (for the workbook's sheet of draws; not in JSON output).
    #[serde(skip)]
    pub samples: Vec<Draw>,
    /// The figures' workings.
    pub explanation: Explanation,
}

/// A sampler for one range: the inverse of its distribution function.
#[derive(Debug, Clone)]
enum Sampler {
    Fixed(Decimal),
    Triangular {
        low: Decimal,
        likely: Decimal,
        high: Decimal,
        split: Decimal,
    },
    /// The distribution function at each step's end, × 10¹⁸ and cut to a whole number, so a
    /// uniform draw (a whole number below 10¹⁸) is placed among the steps by integer comparison.
    Pert {
        low: Decimal,
        width: Decimal,
        cumulative: Vec<u64>,
    },
}

impl Sampler {
    fn new(r: &Range) -> Result<Sampler> {
        let (a, m, b) = (r.low, r.likely, r.high);
        if a == b {
            return Ok(Sampler::Fixed(a));
        }
        let width = b - a;
        Ok(match r.distribution {
            Distribution::Triangular => {
                Sampler::Triangular { low: a, likely: m, high: b, split: (m - a) / width }
            }
            Distribution::Pert => {
                let alpha = Decimal::ONE + Decimal::from(4) * (m - a) / width;
                let beta = Decimal::ONE + Decimal::from(4) * (b - m) / width;
                let steps = Decimal::from(PERT_STEPS as u64);
                let mut cumulative = Vec::with_capacity(PERT_STEPS + 1);
                let mut total = Decimal::ZERO;
                cumulative.push(Decimal::ZERO);
                let fail = || {
                    Error::invalid(
                        r.input.clone(),
                        "a PERT range",
                        "a range whose PERT table can be worked out",
                    )
                };
                for k in 0..PERT_STEPS {
                    // The beta density at the step's midpoint, up to a constant that the
                    // normalisation below removes: x^(α−1) (1−x)^(β−1) = e^((α−1) ln x + (β−1) ln(1−x)).
                    let x = (Decimal::from(k as u64) + Decimal::new(5, 1)) / steps;
                    let ln_x = x.checked_ln().ok_or_else(fail)?;
                    let ln_1x = (Decimal::ONE - x).checked_ln().ok_or_else(fail)?;
                    let f = ((alpha - Decimal::ONE) * ln_x + (beta - Decimal::ONE) * ln_1x)
                        .checked_exp()
                        .ok_or_else(fail)?;
                    total += f;
                    cumulative.push(total);
                }
                let scale = Decimal::from(TEN_TO_18);
                let cumulative = cumulative
                    .into_iter()
                    .map(|c| {
                        rust_decimal::prelude::ToPrimitive::to_u64(&(c / total * scale).trunc())
                            .unwrap_or(TEN_TO_18)
                    })
                    .collect();
                Sampler::Pert { low: a, width, cumulative }
            }
        })
    }

    /// The value at the point u = `n` ÷ 10¹⁸ (0 ≤ n < 10¹⁸) of the distribution function.
    fn at(&self, n: u64) -> Decimal {
        let u = || Decimal::from_i128_with_scale(i128::from(n), 18);
        match self {
            Sampler::Fixed(v) => *v,
            Sampler::Triangular { low, likely, high, split } => {
                let u = u();
                if u < *split {
                    *low + sqrt(u * (*high - *low) * (*likely - *low))
                } else {
                    *high - sqrt((Decimal::ONE - u) * (*high - *low) * (*high - *likely))
                }
            }
            Sampler::Pert { low, width, cumulative } => {
                // The last step whose start is at or below u, and how far into it u lies.
                let k = cumulative.partition_point(|c| *c <= n).saturating_sub(1).min(PERT_STEPS - 1);
                let (from, to) = (cumulative[k], cumulative[k + 1]);
                let within = if to > from {
                    Decimal::from(n - from) / Decimal::from(to - from)
                } else {
                    Decimal::ZERO
                };
                let x =
                    (Decimal::from(k as u64) + within.min(Decimal::ONE)) / Decimal::from(PERT_STEPS as u64);
                *low + *width * x
            }
        }
    }
}

/// Places a square root is carried to.
const ROOT_PLACES: u32 = 12;

/// The square root of a decimal of 0 or more, cut (not rounded) at 12 places: the
/// integer square root of the value × 10²⁴, so it is the same on every platform. (rust_decimal's
/// own `sqrt`, by Newton's method in decimals, gives the same figure to the 12th place and is
/// several times slower.)
pub fn sqrt(v: Decimal) -> Decimal {
    if v <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let scale = v.scale();
    let mantissa = v.mantissa().unsigned_abs();
    let target = 2 * ROOT_PLACES;
    let scaled = if scale <= target {
        10u128.checked_pow(target - scale).and_then(|p| mantissa.checked_mul(p))
    } else {
        Some(mantissa / 10u128.pow(scale - target))
    };
    match scaled {
        Some(x) => Decimal::from_i128_with_scale(x.isqrt() as i128, ROOT_PLACES),
        // Past 10¹⁴ the scaled value would not fit: such a range is not a cost model's.
        None => v.sqrt().unwrap_or(Decimal::ZERO).trunc_with_scale(ROOT_PLACES),
    }
}

const TEN_TO_18: u64 = 1_000_000_000_000_000_000;

/// A uniform whole number from 0 to 10¹⁸ − 1 (the uniform decimal n ÷ 10¹⁸ in [0, 1)).
fn uniform(rng: &mut ChaCha8Rng) -> u64 {
    // 18 × 10¹⁸ is the largest multiple of 10¹⁸ below 2⁶⁴: reject above it so every residue is
    // equally likely.
    const LIMIT: u64 = 18 * TEN_TO_18;
    loop {
        let x = rng.next_u64();
        if x < LIMIT {
            return x % TEN_TO_18;
        }
    }
}

struct Prepared<'a> {
    scenario: &'a Scenario,
    reference: &'a Reference,
    /// The comparison's model at the inputs' own values.
    model: Model,
    /// The node each ranged input pins, or `None` where one of them changes what the model is
    /// made of (an input the comparison did not use), so each draw is costed from scratch.
    targets: Option<Vec<NodeId>>,
    difference: NodeId,
    ids: Vec<InputId>,
    samplers: Vec<Sampler>,
    seed: u64,
}

impl Prepared<'_> {
    /// The draws of one block: each pins the ranged inputs' nodes to their draws and works out
    /// again what depends on them, by the same expressions as the comparison.
    fn block(&self, b: u32, count: u32) -> Result<Vec<Draw>> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(u64::from(b));
        let mut m = self.model.clone();
        let mut s = self.scenario.clone();
        let mut out = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let inputs: Vec<Decimal> =
                self.samplers.iter().map(|sampler| sampler.at(uniform(&mut rng))).collect();
            let difference = match &self.targets {
                Some(nodes) => {
                    for (n, v) in nodes.iter().zip(&inputs) {
                        m.pin(*n, *v);
                    }
                    m.recompute()?;
                    m.value(self.difference).map(Money)
                }
                None => {
                    for (id, v) in self.ids.iter().zip(&inputs) {
                        id.set(&mut s, *v);
                    }
                    Some(compare(&s, self.reference)?.routes.difference)
                }
            };
            let difference = difference.ok_or_else(|| {
                Error::invalid(
                    "range",
                    "a draw with no difference between the routes",
                    "ranges within which both routes are worked out",
                )
            })?;
            out.push(Draw { inputs, difference });
        }
        Ok(out)
    }
}

/// Runs the Monte Carlo simulation of a scenario over the given ranges.
pub fn simulate(
    s: &Scenario,
    ranges: &[Range],
    reference: &Reference,
    opts: &SimulationOptions,
) -> Result<Simulation> {
    if ranges.is_empty() {
        return Err(Error::invalid(
            "range",
            "none given",
            "at least one input with a range (its lowest, most likely and highest values) to draw from",
        ));
    }
    if opts.draws == 0 || opts.draws > MAX_DRAWS {
        return Err(Error::invalid("draws", opts.draws.to_string(), format!("from 1 to {MAX_DRAWS}")));
    }
    let (base, model) = compare_model(s, reference)?;
    let year = base.fee.year;
    let baseline = Baseline::of(&model);
    let (ids, samplers) = ranged_inputs(s, ranges)?;
    let prepared = prepare(s, reference, model, ids.clone(), samplers, opts.seed)?;
    let samples = run_blocks(&prepared, opts)?;

    // Statistics, exact.
    let n = Decimal::from(opts.draws);
    let mut sorted: Vec<Money> = samples.iter().map(|d| d.difference).collect();
    sorted.sort();
    let sum: Money = sorted.iter().sum();
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let rank = |p: u32| -> usize {
        // Nearest rank: the smallest value with at least p% of the draws at or below it.
        let r = (Decimal::from(p) * n / Decimal::ONE_HUNDRED).ceil();
        rust_decimal::prelude::ToPrimitive::to_usize(&r).unwrap_or(1).clamp(1, sorted.len())
    };
    let percentiles: Vec<PercentilePoint> = [5, 25, 50, 75, 95]
        .iter()
        .map(|&p| PercentilePoint { percent: p, difference: sorted[rank(p) - 1] })
        .collect();
    let cheaper = sorted.iter().filter(|d| d.amount() < Decimal::ZERO).count();
    let histogram = histogram(&sorted, min, max);
    let drivers = drivers(s, &ids, ranges, &samples);
    let (ex, mean, p_external_cheaper) = workings(
        &Workings { s, ids: &ids, ranges, baseline: &baseline, opts, year, n, sum, cheaper, rank: &rank },
        &percentiles,
        &drivers,
    )?;
    Ok(Simulation {
        year,
        draws: opts.draws,
        seed: opts.seed,
        generator: "ChaCha8 (rand_chacha 0.9), stream b for block b of 1024 draws",
        base_difference: base.routes.difference,
        mean,
        percentiles,
        min,
        max,
        histogram,
        p_external_cheaper,
        drivers,
        samples,
        explanation: ex,
    })
}

/// The inputs the ranges name, each checked, with a sampler for each.
fn ranged_inputs(s: &Scenario, ranges: &[Range]) -> Result<(Vec<InputId>, Vec<Sampler>)> {
    let mut ids = Vec::new();
    let mut samplers = Vec::new();
    for (i, r) in ranges.iter().enumerate() {
        let field = format!("range[{}]", i + 1);
        let id = InputId::parse(&r.input, s, &format!("{field}.input"))?;
        if ids.contains(&id) {
            return Err(Error::invalid(
                format!("{field}.input"),
                r.input.clone(),
                "each input given one range only",
            ));
        }
        super::sensitivity::check_range(id, s, r.low, r.high, &field)?;
        if r.likely < r.low || r.likely > r.high {
            let show = |v: Decimal| Quantity::plain(v, id.unit(s)).display();
            return Err(Error::invalid(
                format!("{field}.likely"),
                show(r.likely),
                format!("a most likely value from the low ({}) to the high ({})", show(r.low), show(r.high)),
            ));
        }
        ids.push(id);
        samplers.push(Sampler::new(r)?);
    }
    Ok((ids, samplers))
}

/// The comparison's model made ready for the draws: the ranged inputs' nodes found, and the
/// figures the difference between the routes does not depend on set aside.
fn prepare<'a>(
    s: &'a Scenario,
    reference: &'a Reference,
    mut model: Model,
    ids: Vec<InputId>,
    samplers: Vec<Sampler>,
    seed: u64,
) -> Result<Prepared<'a>> {
    let targets: Option<Vec<NodeId>> = ids.iter().map(|id| model.for_input(&id.path(s))).collect();
    let difference = model
        .find("route.difference")
        .ok_or_else(|| Error::internal("a comparison without the difference between the routes"))?;
    // A draw reads only the difference: the figures it does not depend on are left as they are.
    model.focus(&[difference]);
    Ok(Prepared { scenario: s, reference, model, targets, difference, ids, samplers, seed })
}

/// Each ranged input with the rank correlation of its draws with the difference, largest first.
fn drivers(s: &Scenario, ids: &[InputId], ranges: &[Range], samples: &[Draw]) -> Vec<Driver> {
    let diffs: Vec<Decimal> = samples.iter().map(|d| d.difference.amount()).collect();
    let diff_ranks = ranks(&diffs);
    let mut drivers: Vec<Driver> = ids
        .iter()
        .enumerate()
        .map(|(k, id)| {
            let xs: Vec<Decimal> = samples.iter().map(|d| d.inputs[k]).collect();
            Driver {
                input: id.path(s),
                label: id.label(s),
                range: ranges[k].clone(),
                rank_correlation: pearson(&ranks(&xs), &diff_ranks),
            }
        })
        .collect();
    drivers.sort_by_key(|d| std::cmp::Reverse(d.rank_correlation.abs()));
    drivers
}

/// What the run's figures are worked out from.
struct Workings<'a> {
    s: &'a Scenario,
    ids: &'a [InputId],
    ranges: &'a [Range],
    baseline: &'a Baseline,
    opts: &'a SimulationOptions,
    year: FinancialYear,
    n: Decimal,
    sum: Money,
    cheaper: usize,
    rank: &'a dyn Fn(u32) -> usize,
}

/// The run's figures: the mean, the percentiles, the probability that the external route is
/// cheaper and each input's rank correlation, with the ranges drawn from.
fn workings(
    w: &Workings,
    percentiles: &[PercentilePoint],
    drivers: &[Driver],
) -> Result<(Explanation, Money, Decimal)> {
    let mut m = Model::new();
    let mq = |v: Money| Quantity::money(v, Unit::Gbp, Some(w.year));
    let count = |v: Decimal| Quantity::plain(v, Unit::Count);
    let method = || Origin::Default {
        reason: format!("{} draws, seed {}, ChaCha8 generator", w.opts.draws, w.opts.seed),
    };
    let about = about_ranges(w);
    let draws = m.leaf("", "draws", "draws", count(w.n), method());
    let sum = m.leaf("", "sum of the differences drawn", "Σ difference", mq(w.sum), method());
    let mean = m
        .fig("uncertainty.mean", "mean difference between the routes over the draws", "mean")
        .money(Some(w.year))
        .words(about.clone())
        .is(sum.e() / draws.e())?;
    for p in percentiles {
        percentile(&mut m, w, p, draws, &about)?;
    }
    let cheaper = m.leaf(
        "",
        "draws with the external route cheaper",
        "draws with the external route cheaper",
        count(Decimal::from(w.cheaper as u64)),
        method(),
    );
    let p = m
        .fig(
            "uncertainty.p_external_cheaper",
            "probability that the external route is cheaper",
            "P(external cheaper)",
        )
        .unit(Unit::Percent)
        .words(format!("The share of draws in which the difference between the routes is below 0. {about}"))
        .is(cheaper.e() / draws.e())?;
    for d in drivers {
        m.fig(format!("uncertainty.driver.{}", d.input), format!("rank correlation with the difference: {}", d.label), "ρ")
            .unit(Unit::Count)
            .formula("Spearman's ρ: the correlation of the ranks of the input's draws with the ranks of the differences")
            .words("From −1 to 1: near ±1, this input's range drives the spread of the difference; near 0, it barely moves it. Ties share the average rank.")
            .is(Expr::chosen(d.rank_correlation, [draws.e()]))?;
    }
    Ok((m.explanation(), m.money(mean), m.value(p).unwrap_or_default()))
}

/// The ranges the run drew from, in words, for the figures' explanations.
fn about_ranges(w: &Workings) -> String {
    let s = w.s;
    let ranges_words: Vec<String> = w
        .ids
        .iter()
        .zip(w.ranges)
        .map(|(id, r)| {
            let q = |v: Decimal| Quantity::plain(v, id.unit(s)).display();
            let used = id.value(s, w.baseline).map(|v| format!(", value used {}", q(v))).unwrap_or_default();
            format!(
                "{} ({}): {} {} – {} – {}{used}",
                id.label(s),
                r.input,
                r.distribution.name(),
                q(r.low),
                q(r.likely),
                q(r.high)
            )
        })
        .collect();
    format!(
        "Each draw takes every ranged input from its distribution and works the comparison out again. Ranges: {}.",
        ranges_words.join("; ")
    )
}

/// A percentile of the difference, as a figure.
fn percentile(
    m: &mut Model,
    w: &Workings,
    p: &PercentilePoint,
    draws: NodeId,
    about: &str,
) -> Result<NodeId> {
    let r = (w.rank)(p.percent);
    let method = Origin::Default {
        reason: format!("{} draws, seed {}, ChaCha8 generator", w.opts.draws, w.opts.seed),
    };
    let rank = m.leaf("", "rank", "rank", Quantity::plain(Decimal::from(r as u64), Unit::Count), method);
    m.fig(
        format!("uncertainty.p{}", p.percent),
        format!("{}th percentile of the difference between the routes", p.percent),
        format!("P{}", p.percent),
    )
    .money(Some(w.year))
    .formula(format!("the difference at rank ⌈{} × draws ÷ 100⌉ of the draws sorted from lowest", p.percent))
    .words(format!(
        "Nearest-rank percentile: {} of the {} draws have a difference at or below this one. {about}",
        r, w.opts.draws
    ))
    .is(Expr::chosen(p.difference.0, [draws.e(), rank.e()]))
}

/// The draws, block by block, on up to `threads` threads; the same draws whatever the count.
fn run_blocks(p: &Prepared, opts: &SimulationOptions) -> Result<Vec<Draw>> {
    let blocks: Vec<(u32, u32)> =
        (0..opts.draws.div_ceil(BLOCK)).map(|b| (b, BLOCK.min(opts.draws - b * BLOCK))).collect();
    let threads = if cfg!(target_arch = "wasm32") { 1 } else { opts.threads.clamp(1, blocks.len().max(1)) };
    let results: Vec<Result<Vec<Draw>>> = if threads == 1 {
        blocks.iter().map(|&(b, c)| p.block(b, c)).collect()
    } else {
        // Thread t takes blocks t, t + threads, …; the blocks are put back in order after.
        let mut per_thread: Vec<Vec<(u32, Result<Vec<Draw>>)>> = Vec::new();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let mine: Vec<(u32, u32)> = blocks.iter().copied().skip(t).step_by(threads).collect();
                    scope.spawn(move || mine.into_iter().map(|(b, c)| (b, p.block(b, c))).collect::<Vec<_>>())
                })
                .collect();
            for h in handles {
                per_thread.push(h.join().unwrap_or_default());
            }
        });
        let mut all: Vec<(u32, Result<Vec<Draw>>)> = per_thread.into_iter().flatten().collect();
        if all.len() != blocks.len() {
            return Err(Error::internal("a Monte Carlo thread stopped with a panic"));
        }
        all.sort_by_key(|(b, _)| *b);
        all.into_iter().map(|(_, r)| r).collect()
    };
    let mut out = Vec::with_capacity(opts.draws as usize);
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}

fn histogram(sorted: &[Money], min: Money, max: Money) -> Vec<Bin> {
    const BARS: u32 = 20;
    if min == max {
        return vec![Bin { from: min, to: max, count: sorted.len() as u32 }];
    }
    let width = (max - min).amount() / Decimal::from(BARS);
    let edge = |k: u32| if k == BARS { max } else { Money(min.amount() + width * Decimal::from(k)) };
    let mut bins: Vec<Bin> = (0..BARS).map(|k| Bin { from: edge(k), to: edge(k + 1), count: 0 }).collect();
    let mut k = 0usize;
    for d in sorted {
        while k + 1 < bins.len() && *d >= bins[k].to {
            k += 1;
        }
        bins[k].count += 1;
    }
    bins
}

/// Ranks from 1, ties sharing the average of their ranks.
fn ranks(xs: &[Decimal]) -> Vec<Decimal> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].cmp(&xs[b]));
    let mut out = vec![Decimal::ZERO; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && xs[order[j + 1]] == xs[order[i]] {
            j += 1;
        }
        // Positions i..=j (ranks i+1..=j+1) share their average.
        let avg = Decimal::from((i + j + 2) as u64) / Decimal::TWO;
        for &o in &order[i..=j] {
            out[o] = avg;
        }
        i = j + 1;
    }
    out
}

/// Pearson's correlation of two series; 0 where either does not vary.
fn pearson(xs: &[Decimal], ys: &[Decimal]) -> Decimal {
    let n = Decimal::from(xs.len() as u64);
    let mx: Decimal = xs.iter().sum::<Decimal>() / n;
    let my: Decimal = ys.iter().sum::<Decimal>() / n;
    let (mut sxy, mut sxx, mut syy) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (x, y) in xs.iter().zip(ys) {
        let (dx, dy) = (*x - mx, *y - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    match (sxx.sqrt(), syy.sqrt()) {
        (Some(a), Some(b)) if !a.is_zero() && !b.is_zero() => sxy / a / b,
        _ => Decimal::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn ranks_share_ties() {
        let d = |v: i64| Decimal::from(v);
        assert_eq!(
            ranks(&[d(30), d(10), d(20), d(10)]),
            vec![d(4), Decimal::new(15, 1), d(3), Decimal::new(15, 1)]
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn triangular_inverse_hits_its_corners() {
        let r = Range {
            input: "x".into(),
            low: Decimal::from(10),
            likely: Decimal::from(20),
            high: Decimal::from(40),
            distribution: Distribution::Triangular,
        };
        let s = Sampler::new(&r).unwrap_or(Sampler::Fixed(Decimal::ZERO));
        assert_eq!(s.at(0), Decimal::from(10));
        // F(likely) = (20 − 10) ÷ (40 − 10) = 1/3; at u = 1/3 the draw is the most likely value.
        assert!((s.at(333_333_333_333_333_334) - Decimal::from(20)).abs() < Decimal::new(1, 10));
        // The median of this triangle, by hand: 40 − √(0.5 × 30 × 20) = 40 − √300
        // = 40 − 17.320508075688 (√300 = 17.3205080756887729…, cut at 12 places).
        assert_eq!(s.at(500_000_000_000_000_000), "22.679491924312".parse::<Decimal>().unwrap_or_default());
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn square_roots_are_cut_at_twelve_places() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert_eq!(sqrt(d("2")), d("1.414213562373")); // √2 = 1.41421356237309504…
        assert_eq!(sqrt(d("144")), d("12"));
        assert_eq!(sqrt(d("0.0001")), d("0.01"));
        assert_eq!(sqrt(d("1234567.891")), d("1111.111106505555")); // √ = 1111.11110650555554…
        assert_eq!(sqrt(Decimal::ZERO), Decimal::ZERO);
    }
}
