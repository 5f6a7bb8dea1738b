//! The numeric inputs of a comparison, by the name an input file gives them: what sensitivity
//! moves and a Monte Carlo run draws.
//!
//! An input is named by its field path, as errors and explanations name it: `staff[2].salary`,
//! `office[1].amount`, `activity.approvals`, `child.weekly_care_cost`, `route.weeks_in_house`,
//! `route.fee`. Lines count from 1. Which fields are inputs, and their labels, units and ranges,
//! come from the input tables ([`crate::input::schema`]): a field is one where the table says the
//! analyses move it. Inputs left to their defaults (the weekly care cost, the waits, the fee,
//! utilisation, supported placements, the NI rate and threshold) have the value the comparison
//! used; moving one sets it as the user's own.
//!
//! Stage shares are not inputs (moving one share alone breaks their sum of 100%), nor are
//! productive hours and fee income per sale, which change the hourly costs and the adopter
//! pool but not the routes.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::explain::Unit;
use crate::input::schema::{Analysed, Check, Field, Value};
use crate::input::{
    AGENCY, Agency, BACK_OFFICE, CHILD, DIRECT, MAX_AMOUNT, MAX_COUNT, OVERHEAD, ROUTE, STAFF, Scenario,
};

/// Which list of an agency's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Lines {
    /// Staff lines.
    Staff,
    /// Direct non-staff lines.
    Direct,
    /// Office running.
    Office,
    /// Regulation.
    Regulation,
    /// Capital.
    Capital,
    /// Back office.
    BackOffice,
}

impl Lines {
    const ALL: [Lines; 6] =
        [Lines::Staff, Lines::Direct, Lines::Office, Lines::Regulation, Lines::Capital, Lines::BackOffice];

    /// The list's name in a path (`back_office`).
    fn id(self) -> &'static str {
        match self {
            Lines::Staff => "staff",
            Lines::Direct => "direct",
            Lines::Office => "office",
            Lines::Regulation => "regulation",
            Lines::Capital => "capital",
            Lines::BackOffice => "back_office",
        }
    }
}

/// Runs `$body` with `$table` the list's field table and `$list` the agency's list of it.
macro_rules! on_lines {
    ($which:expr, $lists:expr, |$table:ident, $list:ident| $body:expr) => {
        match $which {
            Lines::Staff => {
                let ($table, $list) = (&STAFF[..], $lists.staff);
                $body
            }
            Lines::Direct => {
                let ($table, $list) = (&DIRECT[..], $lists.direct);
                $body
            }
            Lines::Office => {
                let ($table, $list) = (&OVERHEAD[..], $lists.office);
                $body
            }
            Lines::Regulation => {
                let ($table, $list) = (&OVERHEAD[..], $lists.regulation);
                $body
            }
            Lines::Capital => {
                let ($table, $list) = (&OVERHEAD[..], $lists.capital);
                $body
            }
            Lines::BackOffice => {
                let ($table, $list) = (&BACK_OFFICE[..], $lists.back_office);
                $body
            }
        }
    };
}

/// A numeric input of a comparison: a field of one of the input tables, by its index there
/// (a line's by its list and its line, from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum InputId {
    /// A line's field.
    Line(Lines, usize, usize),
    /// An agency's field ([`AGENCY`]).
    Agency(usize),
    /// The child's field ([`CHILD`]).
    Child(usize),
    /// The route's field ([`ROUTE`]).
    Route(usize),
}

/// What the analyses need of a field, whatever its table.
#[derive(Debug, Clone, Copy)]
struct About {
    path: &'static str,
    label: &'static str,
    unit: Unit,
    check: Check,
    /// True where the analyses can move it.
    analysed: bool,
}

impl About {
    fn of<T>(f: &Field<T>) -> About {
        About {
            path: f.path,
            label: f.label,
            unit: f.unit().unwrap_or(Unit::Count),
            check: f.check,
            analysed: !matches!(f.analysed, Analysed::No),
        }
    }
}

fn abouts<T>(table: &[Field<T>]) -> Vec<About> {
    table.iter().map(About::of).collect()
}

/// The fields of `t` the analyses move in this scenario, as inputs (`id` of their index).
fn scalars<T>(
    out: &mut Vec<InputId>,
    table: &[Field<T>],
    t: &T,
    s: &Scenario,
    id: impl Fn(usize) -> InputId,
) {
    let moving = table.iter().enumerate().filter(|(_, f)| moved(f.analysed, (f.get)(t).is_some(), s));
    out.extend(moving.map(|(k, _)| id(k)));
}

/// True where the analyses move the field in this scenario, given its value there.
fn moved(analysed: Analysed, given: bool, s: &Scenario) -> bool {
    match analysed {
        Analysed::No => false,
        Analysed::Always => true,
        Analysed::IfGiven => given,
        Analysed::When(when) => when(s),
    }
}

/// The agency's lists, borrowed.
struct Lists<'a> {
    staff: &'a [crate::input::StaffLine],
    direct: &'a [crate::input::DirectLine],
    office: &'a [crate::input::OverheadLine],
    regulation: &'a [crate::input::OverheadLine],
    capital: &'a [crate::input::OverheadLine],
    back_office: &'a [crate::input::BackOfficeLine],
}

impl<'a> Lists<'a> {
    fn of(a: &'a Agency) -> Lists<'a> {
        Lists {
            staff: &a.staff,
            direct: &a.direct,
            office: &a.office,
            regulation: &a.regulation,
            capital: &a.capital,
            back_office: &a.back_office,
        }
    }
}

/// The agency's lists, mutably.
struct ListsMut<'a> {
    staff: &'a mut [crate::input::StaffLine],
    direct: &'a mut [crate::input::DirectLine],
    office: &'a mut [crate::input::OverheadLine],
    regulation: &'a mut [crate::input::OverheadLine],
    capital: &'a mut [crate::input::OverheadLine],
    back_office: &'a mut [crate::input::BackOfficeLine],
}

/// The values a comparison used, its defaults included: read off the model it was worked out
/// in, by each input's field path.
#[derive(Debug, Clone)]
pub struct Baseline {
    model: crate::method::Model,
}

impl Baseline {
    /// The values the comparison worked out in `model` used.
    pub fn of(model: &crate::method::Model) -> Baseline {
        Baseline { model: model.clone() }
    }
}

impl InputId {
    /// Every input of this scenario that can change its routes, in the order of the input file:
    /// the lines, then the agency's fields, the child's and the route's.
    pub fn all(s: &Scenario) -> Vec<InputId> {
        let lists = Lists::of(&s.agency);
        let mut out = Vec::new();
        for which in Lines::ALL {
            on_lines!(which, lists, |table, list| {
                for (line, l) in list.iter().enumerate() {
                    scalars(&mut out, table, l, s, |k| InputId::Line(which, line, k));
                }
            });
        }
        scalars(&mut out, &AGENCY, &s.agency, s, InputId::Agency);
        scalars(&mut out, &CHILD, &s.child, s, InputId::Child);
        scalars(&mut out, &ROUTE, &s.route, s, InputId::Route);
        out
    }

    /// The input a path names in this scenario, or an error saying what paths there are.
    /// `field` names where the path was given, for the error. Any field the analyses move may
    /// be named, given or not, but a line's field only where the line gives it (an amount or a
    /// rate, say).
    pub fn parse(path: &str, s: &Scenario, field: &str) -> Result<InputId> {
        let p = path.trim();
        let bad = |why: String| Error::invalid(field, format!("\"{p}\""), why);
        let named = |table: &[About]| table.iter().position(|f| f.path == p && f.analysed);
        if let Some(k) = named(&abouts(&AGENCY)) {
            return Ok(InputId::Agency(k));
        }
        if let Some(k) = named(&abouts(&CHILD)) {
            return Ok(InputId::Child(k));
        }
        if let Some(k) = named(&abouts(&ROUTE)) {
            return Ok(InputId::Route(k));
        }
        let Some((list, rest)) = p.split_once('[') else {
            return Err(bad(
                "an input's field path, such as staff[1].salary, office[2].amount, activity.approvals or route.weeks_in_house (docs/analyses.md lists them)".into(),
            ));
        };
        let Some(which) = Lines::ALL.into_iter().find(|l| l.id() == list) else {
            return Err(bad("a line of staff, direct, office, regulation, capital or back_office, such as staff[1].salary".into()));
        };
        let Some((n, name)) = rest.split_once("].") else {
            return Err(bad(format!("a line path such as {list}[1].{}", line_fields(which))));
        };
        let len = on_lines!(which, Lists::of(&s.agency), |_table, list| list.len());
        let line = match n.parse::<usize>() {
            Ok(n) if (1..=len).contains(&n) => n - 1,
            Ok(n) if n >= 1 => {
                return Err(bad(format!("a line that exists: the agency has {len} {list} line(s)")));
            }
            _ => return Err(bad("a line number from 1 between the brackets".into())),
        };
        let gives = InputId::all(s)
            .into_iter()
            .filter(|id| matches!(id, InputId::Line(w, l, _) if *w == which && *l == line));
        let gives: Vec<InputId> = gives.collect();
        match gives.iter().find(|id| id.about().path == name) {
            Some(id) => Ok(*id),
            None => Err(bad(format!(
                "a field this line gives that the analyses move: {}",
                gives.iter().map(|id| id.path(s)).collect::<Vec<_>>().join(" or ")
            ))),
        }
    }

    fn about(self) -> About {
        match self {
            InputId::Line(which, _, k) => {
                on_lines!(
                    which,
                    Lists {
                        staff: &[],
                        direct: &[],
                        office: &[],
                        regulation: &[],
                        capital: &[],
                        back_office: &[]
                    },
                    |table, _list| About::of(&table[k])
                )
            }
            InputId::Agency(k) => About::of(&AGENCY[k]),
            InputId::Child(k) => About::of(&CHILD[k]),
            InputId::Route(k) => About::of(&ROUTE[k]),
        }
    }

    /// The input's field path in this scenario.
    pub fn path(self, _s: &Scenario) -> String {
        match self {
            InputId::Line(which, line, _) => format!("{}[{}].{}", which.id(), line + 1, self.about().path),
            _ => self.about().path.to_string(),
        }
    }

    /// A label a reader understands: `staff line 2, Social worker: Salary per FTE`.
    pub fn label(self, s: &Scenario) -> String {
        match self {
            InputId::Line(which, line, _) => {
                let name = on_lines!(which, Lists::of(&s.agency), |table, list| {
                    list.get(line).and_then(|l| (table[0].get)(l)).and_then(|v| v.text().map(str::to_string))
                });
                let list = which.id().replace('_', " ");
                format!("{list} line {}, {}: {}", line + 1, name.unwrap_or_default(), self.about().label)
            }
            _ => self.about().label.to_string(),
        }
    }

    /// The unit of the input's value.
    pub fn unit(self, _s: &Scenario) -> Unit {
        self.about().unit
    }

    /// The value the comparison used: the scenario's own, or the default it fell back on.
    pub fn value(self, s: &Scenario, base: &Baseline) -> Option<Decimal> {
        let m = &base.model;
        if let Some(n) = m.for_input(&self.path(s)) {
            return Some(m.quantity(n).value);
        }
        // An input the comparison did not use (months beyond 12 given as 0, say): as given.
        self.given(s).and_then(|v| v.number())
    }

    /// The input's value as the scenario gives it.
    fn given(self, s: &Scenario) -> Option<Value> {
        match self {
            InputId::Line(which, line, k) => {
                on_lines!(which, Lists::of(&s.agency), |table, list| list
                    .get(line)
                    .and_then(|l| (table[k].get)(l)))
            }
            InputId::Agency(k) => (AGENCY[k].get)(&s.agency),
            InputId::Child(k) => (CHILD[k].get)(&s.child),
            InputId::Route(k) => (ROUTE[k].get)(&s.route),
        }
    }

    /// The lowest and highest values the input may take (its field's check).
    pub fn bounds(self, _s: &Scenario) -> (Decimal, Option<Decimal>) {
        match self.about().check {
            Check::Percent => (Decimal::ZERO, Some(Decimal::ONE_HUNDRED)),
            Check::Within(b, _) => (b.0, Some(b.1)),
            Check::Amount => (Decimal::ZERO, Some(MAX_AMOUNT)),
            Check::Count(_) => (Decimal::ZERO, Some(MAX_COUNT)),
            Check::Weekly | Check::Any => (Decimal::ZERO, None),
        }
    }

    /// Sets the input to a value, as the user's own.
    pub fn set(self, s: &mut Scenario, v: Decimal) {
        let v = Value::Number(v);
        match self {
            InputId::Line(which, line, k) => {
                let a = &mut s.agency;
                let lists = ListsMut {
                    staff: &mut a.staff,
                    direct: &mut a.direct,
                    office: &mut a.office,
                    regulation: &mut a.regulation,
                    capital: &mut a.capital,
                    back_office: &mut a.back_office,
                };
                on_lines!(which, lists, |table, list| {
                    if let Some(l) = list.get_mut(line) {
                        (table[k].set)(l, &v);
                    }
                })
            }
            InputId::Agency(k) => (AGENCY[k].set)(&mut s.agency, &v),
            InputId::Child(k) => (CHILD[k].set)(&mut s.child, &v),
            InputId::Route(k) => (ROUTE[k].set)(&mut s.route, &v),
        }
    }
}

/// The fields of a list's lines the analyses move, for a message.
fn line_fields(which: Lines) -> String {
    let empty =
        Lists { staff: &[], direct: &[], office: &[], regulation: &[], capital: &[], back_office: &[] };
    on_lines!(which, empty, |table, _list| {
        table
            .iter()
            .filter(|f| !matches!(f.analysed, Analysed::No))
            .map(|f| f.path)
            .collect::<Vec<_>>()
            .join(" or ")
    })
}
