//! Benchmarking agencies against each other: each agency's unit costs by stage and by cost
//! category and the full hourly cost of each role, placed among the other agencies' figures
//! (median, quartiles, rank), with figures outside 1.5 interquartile ranges flagged and the cost
//! categories each agency left empty noted.
//!
//! Quartiles are Excel's `QUARTILE.INC` (the position of quartile p among n sorted values is
//! (n − 1) × p, counting from 0, and a position between two values takes the straight line
//! between them), so a finance officer's own spreadsheet over the same figures gives the same
//! numbers. Ranks count from the lowest cost (rank 1), ties sharing the better rank as Excel's
//! `RANK.EQ(…, 1)` does. Flags need at least [`MIN_FOR_FLAGS`] agencies with the figure.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::compare::CostedAgency;
use crate::error::Result;
use crate::explain::{Explanation, Origin, Quantity, Unit};
use crate::input::Agency;
use crate::method::Category;
use crate::method::{Expr, Model, NodeId};
use crate::money::{FinancialYear, Money};

/// Agencies a figure needs before values outside the fences are flagged: with fewer, the
/// quartiles are the values themselves or the lines between them, and every fence is too close
/// to mean anything.
pub const MIN_FOR_FLAGS: usize = 4;

/// One agency to benchmark: its input and its costing.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    /// Its code (the workbook's Agency code).
    pub code: &'a str,
    /// Its input, for the FTE and hours behind a role's hourly cost.
    pub agency: &'a Agency,
    /// Its costing.
    pub costed: &'a CostedAgency,
}

/// What a measure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// A unit cost of a stage (per approval, per match, per supported placement) or of the whole
    /// placement (full and marginal).
    Stage,
    /// One cost category's part of the full cost of a placement.
    Category,
    /// The full hourly cost of a role.
    Role,
}

/// Where a value lies outside the fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Below Q1 − 1.5 × IQR.
    Low,
    /// Above Q3 + 1.5 × IQR.
    High,
}

impl Flag {
    /// `low` or `high`, as the JSON and the workbook write it.
    pub fn word(self) -> &'static str {
        match self {
            Flag::Low => "low",
            Flag::High => "high",
        }
    }

    /// What the flag most likely means, for a reader.
    pub fn meaning(self) -> &'static str {
        match self {
            Flag::Low => {
                "below the lower fence: more likely a cost left out (an empty overhead category, staff time \
                 not allocated to A–C) than greater efficiency"
            }
            Flag::High => {
                "above the upper fence: more likely something counted that others did not (work outside \
                 A–C, a one-off cost, a low activity count) than lower efficiency"
            }
        }
    }
}

/// The middle of a measure's values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Agencies with the figure.
    pub n: usize,
    /// The lowest value.
    pub min: Money,
    /// QUARTILE.INC(…, 1).
    pub q1: Money,
    /// QUARTILE.INC(…, 2): the median.
    pub median: Money,
    /// QUARTILE.INC(…, 3).
    pub q3: Money,
    /// The highest value.
    pub max: Money,
    /// Q3 − Q1.
    pub iqr: Money,
    /// Q1 − 1.5 × IQR.
    pub lower_fence: Money,
    /// Q3 + 1.5 × IQR.
    pub upper_fence: Money,
    /// Whether values outside the fences are flagged (at least [`MIN_FOR_FLAGS`] values).
    pub flags_apply: bool,
}

/// One agency's place in a measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Position {
    /// 1 for the lowest cost; tied values share the better rank.
    pub rank: usize,
    /// Agencies ranked.
    pub of: usize,
    /// Outside a fence, where flags apply.
    pub flag: Option<Flag>,
}

/// One measure across the agencies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// A stable id (`unit.per_approval`, `unit.full.office`, `hourly.social worker`).
    pub id: String,
    /// What it is, in words.
    pub label: String,
    /// What kind of measure.
    pub group: Group,
    /// Each agency's value, in the order of [`Benchmark::agencies`] (none where the agency has no
    /// such figure: no line with the role, say).
    pub values: Vec<Option<Money>>,
    /// Each agency's figure id for its value (`EX01/unit.per_approval`).
    pub sources: Vec<Option<String>>,
    /// Each agency's position, where it has a value.
    pub positions: Vec<Option<Position>>,
    /// The statistics, where any agency has a value.
    pub stats: Option<Stats>,
}

/// One benchmarked agency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The price year of its figures.
    pub price_year: FinancialYear,
    /// Whether its figures are made up.
    pub illustrative: bool,
    /// The cost categories it left empty (a total of zero), in the method's order.
    pub empty: Vec<Category>,
}

/// The benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmark {
    /// The agencies, in the order given.
    pub agencies: Vec<Entry>,
    /// The measures: stage unit costs, then categories, then roles (alphabetically).
    pub measures: Vec<Measure>,
    /// Things a reader must know (mixed price years, too few agencies for flags…).
    pub notes: Vec<String>,
    /// Every figure: each agency's own (ids prefixed `CODE/`) and the benchmark's (`benchmark.…`).
    pub explanation: Explanation,
}

impl Benchmark {
    /// The price years of the agencies' cost bases, each once, earliest first.
    pub fn price_years(&self) -> Vec<FinancialYear> {
        let mut years: Vec<FinancialYear> = self.agencies.iter().map(|a| a.price_year).collect();
        years.sort();
        years.dedup();
        years
    }

    /// A measure by id.
    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }
}

/// The stage measures, in order: the cost-base figure id and its label.
pub const STAGE_MEASURES: [(&str, &str); 5] = [
    ("unit.per_approval", "cost per approval (stage A)"),
    ("unit.per_match", "cost per match (stage B)"),
    ("unit.per_supported", "cost per supported placement (stage C)"),
    ("unit.full", "full in-house cost of a placement"),
    ("unit.marginal", "marginal cost of a placement"),
];

/// The position of quartile `q` (1, 2 or 3) among `n` sorted values as QUARTILE.INC finds it:
/// (n − 1) × q ÷ 4 counting from 0, as the index below, the index above, and how far between
/// (0, ¼, ½ or ¾).
pub fn quartile_position(n: usize, q: usize) -> (usize, usize, Decimal) {
    let quarters = n.saturating_sub(1) * q;
    let below = quarters / 4;
    let above = (below + 1).min(n.saturating_sub(1));
    (below, above, Decimal::from(quarters % 4) / Decimal::from(4))
}

/// QUARTILE.INC between the sorted values at its position: lower + (upper − lower) ×
/// fraction of the way.
fn quartile_expr(lower: Expr, upper: Expr, fraction: Expr) -> Expr {
    lower.clone() + (upper - lower) * fraction
}

/// QUARTILE.INC(sorted, q) for q = 1, 2 or 3.
pub fn quartile(sorted: &[Money], q: usize) -> Money {
    let (below, above, frac) = quartile_position(sorted.len(), q);
    let e = quartile_expr(Expr::Num(sorted[below].0), Expr::Num(sorted[above].0), Expr::Num(frac));
    Money(e.eval(&|_| Err(crate::expr::Stop::Undefined(0))).unwrap_or_default())
}

/// Benchmarks the agencies against each other.
pub fn benchmark(members: &[Member]) -> Result<Benchmark> {
    let mut ex = Explanation::new();
    let mut model = Model::new();
    for m in members {
        for f in &m.costed.explanation.figures {
            let mut f = f.clone();
            f.id = format!("{}/{}", m.code, f.id);
            for t in &mut f.inputs {
                if let Origin::Figure { id } = &mut t.origin {
                    *id = format!("{}/{id}", m.code);
                }
            }
            ex.push(f);
        }
    }
    let agencies: Vec<Entry> = members
        .iter()
        .map(|m| Entry {
            code: m.code.to_string(),
            name: m.agency.name.clone(),
            price_year: m.costed.cost.price_year,
            illustrative: m.agency.illustrative,
            empty: Category::ALL
                .into_iter()
                .filter(|&c| m.costed.cost.category_totals.get(c).amount().is_zero())
                .collect(),
        })
        .collect();
    let measures = measures(members, &mut model);
    let measures = measures.into_iter().map(|m| place(m, members, &mut model)).collect::<Result<_>>()?;
    ex.extend(model.explanation());
    let mut b = Benchmark { agencies, measures, notes: Vec::new(), explanation: ex };
    b.notes = notes(&b, members.len());
    Ok(b)
}

/// A measure before it is placed: its id, label, group, each agency's value and the figure it
/// comes from.
type Unplaced = (String, String, Group, Vec<Option<Money>>, Vec<Option<String>>);

/// The measures: the unit costs by stage, the full cost by category, and each role's full
/// hourly cost (worked out into `model`).
fn measures(members: &[Member], model: &mut Model) -> Vec<Unplaced> {
    let mut measures = Vec::new();
    for (id, label) in STAGE_MEASURES {
        let values = members.iter().map(|m| Some(stage_value(&m.costed.cost.unit, id))).collect();
        let sources = members.iter().map(|m| Some(format!("{}/{id}", m.code))).collect();
        measures.push((id.to_string(), label.to_string(), Group::Stage, values, sources));
    }
    for c in Category::ALL {
        let id = format!("unit.full.{}", c.id());
        let values = members.iter().map(|m| Some(m.costed.cost.unit.full_by_category.get(c))).collect();
        let sources = members.iter().map(|m| Some(format!("{}/{id}", m.code))).collect();
        measures.push((
            id,
            format!("full cost of a placement: {}", c.name()),
            Group::Category,
            values,
            sources,
        ));
    }
    for (key, role) in role_names(members) {
        let (values, sources) = members.iter().map(|m| role_hourly(m, &key, &role, model).unzip()).unzip();
        measures.push((
            format!("hourly.{key}"),
            format!("full hourly cost: {role}"),
            Group::Role,
            values,
            sources,
        ));
    }
    measures
}

/// What a reader must know of a benchmark of `n` agencies.
fn notes(b: &Benchmark, n: usize) -> Vec<String> {
    let mut notes = Vec::new();
    let years = b.price_years();
    if years.len() > 1 {
        let list: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        notes.push(format!(
            "The agencies' cost bases are in different price years ({}): their figures are compared as \
             they are, not restated to one year, so part of any difference is inflation.",
            list.join(", ")
        ));
    }
    if n < MIN_FOR_FLAGS {
        notes.push(format!(
            "{n} agencies: figures are flagged only where at least {MIN_FOR_FLAGS} agencies have them."
        ));
    }
    if b.agencies.iter().any(|a| a.illustrative) {
        notes.push("Some agencies are illustrative: their figures are made up to show the method.".into());
    }
    notes
}

fn stage_value(u: &crate::method::UnitCosts, id: &str) -> Money {
    match id {
        "unit.per_approval" => u.per_approval,
        "unit.per_match" => u.per_match,
        "unit.per_supported" => u.per_supported,
        "unit.full" => u.full,
        _ => u.marginal,
    }
}

/// A role's key: its name trimmed, inner spaces collapsed, lower case, so `Social Worker` and
/// `social  worker` are one role.
fn role_key(role: &str) -> String {
    role.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Every role any agency has, by key, with the first spelling met; sorted by key.
fn role_names(members: &[Member]) -> Vec<(String, String)> {
    let mut seen: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for m in members {
        for s in &m.agency.staff {
            let key = role_key(&s.role);
            if !key.is_empty() {
                seen.entry(key).or_insert_with(|| s.role.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
    seen.into_iter().collect()
}

/// An agency's full hourly cost of a role, and the figure that gives it: the line's own
/// `role[n].hourly`, or, where several lines share the role, a figure combining them (their full
/// costs over their FTE × productive hours).
fn role_hourly(m: &Member, key: &str, role: &str, model: &mut Model) -> Option<(Money, String)> {
    let lines: Vec<usize> =
        (0..m.agency.staff.len()).filter(|&i| role_key(&m.agency.staff[i].role) == key).collect();
    match lines.as_slice() {
        [] => None,
        [i] => {
            let h = m.costed.cost.roles.get(*i)?.hourly?;
            Some((h, format!("{}/role[{}].hourly", m.code, i + 1)))
        }
        many => {
            let year = Some(m.costed.cost.price_year);
            let id = format!("{}/benchmark.hourly.{key}", m.code);
            let costs: Vec<Expr> = many
                .iter()
                .map(|&i| {
                    let q = Quantity::money(m.costed.cost.roles[i].full_cost, Unit::Gbp, year);
                    let origin = Origin::Figure { id: format!("{}/role[{}].full_cost", m.code, i + 1) };
                    model.leaf("", format!("staff line {}: full cost", i + 1), "full cost", q, origin).e()
                })
                .collect();
            let ftes: Vec<Expr> = many
                .iter()
                .map(|&i| {
                    let q = Quantity::plain(m.agency.staff[i].fte, Unit::Fte);
                    let origin = m.agency.provenance.origin(&format!("staff[{}].fte", i + 1));
                    model.leaf("", format!("staff line {}: FTE", i + 1), "FTE", q, origin).e()
                })
                .collect();
            let hours = model.leaf(
                "",
                "productive hours a year per FTE",
                "productive hours",
                Quantity::plain(m.agency.productive_hours, Unit::HoursPerYear),
                m.agency.provenance.origin("productive_hours"),
            );
            let lines_text: Vec<String> = many.iter().map(|i| (i + 1).to_string()).collect();
            let n = model
                .fig(id.clone(), format!("{}: full hourly cost, {role} (staff lines {})", m.code, lines_text.join(", ")), "full hourly cost")
                .money_in(Unit::GbpPerHour, year)
                .words("Several staff lines share this role: their full costs are added and divided by their hours together, so the role's hourly cost weighs each line by its FTE.")
                .undefined("the lines have no FTE")
                .is(Expr::sum_of("full cost of the lines", costs) / (Expr::sum_of("FTE of the lines", ftes) * hours.e()))
                .ok()?;
            Some((model.value(n).map(Money)?, id))
        }
    }
}

/// Sorts a measure's values, works out its statistics and each agency's position, and explains them.
fn place(
    (id, label, group, values, sources): Unplaced,
    members: &[Member],
    model: &mut Model,
) -> Result<Measure> {
    let unit = if group == Group::Role { Unit::GbpPerHour } else { Unit::Gbp };
    // Present values with their agency, sorted by value then by agency order.
    let mut present: Vec<(Money, usize)> =
        values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (v, i))).collect();
    present.sort();
    let n = present.len();
    if n == 0 {
        let positions = vec![None; values.len()];
        return Ok(Measure { id, label, group, values, sources, positions, stats: None });
    }
    let year = present.first().map(|&(_, i)| members[i].costed.cost.price_year);
    let sorted_list: Vec<String> = present
        .iter()
        .map(|(v, i)| format!("{} {}", members[*i].code, Quantity::money(*v, unit, year).display()))
        .collect();
    let words = format!("The {n} values in order: {}.", sorted_list.join("; "));
    let sorted = Sorted { id: &id, label: &label, unit, year, members, sources: &sources, present, words };
    let (stats, [lower, median, upper]) = sorted.stats(model)?;
    let mut positions = vec![None; values.len()];
    for &(v, i) in &sorted.present {
        positions[i] = Some(sorted.position(model, &stats, (v, i), [lower, median, upper])?);
    }
    Ok(Measure { id, label, group, values, sources, positions, stats: Some(stats) })
}

/// A measure's values in order, with what its figures' explanations need.
struct Sorted<'a> {
    id: &'a str,
    label: &'a str,
    unit: Unit,
    year: Option<FinancialYear>,
    members: &'a [Member<'a>],
    sources: &'a [Option<String>],
    /// Each value with its agency's index, in order.
    present: Vec<(Money, usize)>,
    /// The values in order, in words.
    words: String,
}

impl Sorted<'_> {
    fn fid(&self, what: &str) -> String {
        format!("benchmark.{}.{what}", self.id)
    }

    /// An agency's value, as a leaf citing where it came from.
    fn value_of(&self, model: &mut Model, (v, i): (Money, usize), name: String) -> NodeId {
        let q = Quantity::money(v, self.unit, self.year);
        model.leaf("", name, format!("{}'s value", self.members[i].code), q, source_origin(&self.sources[i]))
    }

    /// A quartile (1, 2 or 3) by Excel's QUARTILE.INC, as a figure.
    fn quartile(
        &self,
        model: &mut Model,
        q: usize,
        name: &str,
        what: &str,
        symbol: &'static str,
    ) -> Result<NodeId> {
        let n = self.present.len();
        let (below, above, frac) = quartile_position(n, q);
        let p = Decimal::from(q as u32) / Decimal::from(4);
        let code = |k: usize| self.members[self.present[k].1].code;
        let lo = self.value_of(
            model,
            self.present[below],
            format!("sorted value {} ({})", below + 1, code(below)),
        );
        let hi = self.value_of(
            model,
            self.present[above],
            format!("sorted value {} ({})", above + 1, code(above)),
        );
        let fraction = model.leaf(
            "",
            "fraction of the way",
            "fraction",
            Quantity::plain(frac, Unit::Ratio),
            Origin::Default { reason: "QUARTILE.INC position".into() },
        );
        model
            .fig(self.fid(what), format!("{}: {name}", self.label), symbol)
            .money_in(self.unit, self.year)
            .words(format!(
                "Excel's QUARTILE.INC: sort the values; quartile {p} lies at position (n − 1) × {p} = {} counting from 0, \
                 so between sorted values {} and {}, {frac} of the way. {}",
                Decimal::from(n - 1) * p,
                below + 1,
                above + 1,
                self.words
            ))
            .is(quartile_expr(lo.e(), hi.e(), fraction.e()))
    }

    /// The statistics, each a figure; with the lower fence, median and upper fence's nodes.
    fn stats(&self, model: &mut Model) -> Result<(Stats, [NodeId; 3])> {
        let (unit, year, label) = (self.unit, self.year, self.label);
        let q1 = self.quartile(model, 1, "lower quartile (Q1)", "q1", "Q1")?;
        let median = self.quartile(model, 2, "median", "median", "median")?;
        let q3 = self.quartile(model, 3, "upper quartile (Q3)", "q3", "Q3")?;
        let iqr = model
            .fig(self.fid("iqr"), format!("{label}: interquartile range"), "IQR")
            .money_in(unit, year)
            .is(q3.e() - q1.e())?;
        let one_half = Expr::num(Decimal::new(15, 1));
        let lower_fence = model
            .fig(self.fid("lower_fence"), format!("{label}: lower fence"), "lower fence")
            .money_in(unit, year)
            .words("A value below this is flagged: more likely a cost left out than greater efficiency.")
            .is(q1.e() - iqr.e() * one_half.clone())?;
        let upper_fence = model
            .fig(self.fid("upper_fence"), format!("{label}: upper fence"), "upper fence")
            .money_in(unit, year)
            .words("A value above this is flagged: more likely something counted that others did not.")
            .is(q3.e() + iqr.e() * one_half)?;
        let n = self.present.len();
        let stats = Stats {
            n,
            min: self.present[0].0,
            q1: model.money(q1),
            median: model.money(median),
            q3: model.money(q3),
            max: self.present[n - 1].0,
            iqr: model.money(iqr),
            lower_fence: model.money(lower_fence),
            upper_fence: model.money(upper_fence),
            flags_apply: n >= MIN_FOR_FLAGS,
        };
        Ok((stats, [lower_fence, median, upper_fence]))
    }

    /// An agency's rank and flag, with its figure.
    fn position(
        &self,
        model: &mut Model,
        stats: &Stats,
        (v, i): (Money, usize),
        nodes: [NodeId; 3],
    ) -> Result<Position> {
        let n = self.present.len();
        let rank = 1 + self.present.iter().filter(|(w, _)| *w < v).count();
        let flag = if !stats.flags_apply {
            None
        } else if v < stats.lower_fence {
            Some(Flag::Low)
        } else if v > stats.upper_fence {
            Some(Flag::High)
        } else {
            None
        };
        let code = self.members[i].code;
        let verdict = match flag {
            Some(f) => format!("Flagged: {}.", f.meaning()),
            None if stats.flags_apply => "Within the fences.".to_string(),
            None => format!("Not flagged: fewer than {MIN_FOR_FLAGS} agencies have this figure."),
        };
        let own = self.value_of(model, (v, i), format!("{code}'s value"));
        let [lower, median, upper] = nodes;
        model
            .fig(format!("benchmark.rank.{}.{code}", self.id), format!("{}: {code}, rank {rank} of {n}", self.label), "rank")
            .formula("rank = 1 + number of agencies with a lower value; flag where below the lower fence or above the upper fence")
            .words(format!("{} {verdict}", self.words))
            .is(Expr::chosen(Decimal::from(rank), [own.e(), lower.e(), upper.e(), median.e()]))?;
        Ok(Position { rank, of: n, flag })
    }
}

fn source_origin(source: &Option<String>) -> Origin {
    Origin::Figure { id: source.clone().unwrap_or_default() }
}
