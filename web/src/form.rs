//! The form's fields (and the names of the cost categories and quarters), from the library's
//! input tables ([`adoptcost::input::schema`]): each field's label, hint, kind, unit marks and
//! whether it may be left blank, so the page's script holds no rule of its own about any field.

use adoptcost::input::schema::{Field, Kind};
use adoptcost::input::{AGENCY, BACK_OFFICE, CHILD, DIRECT, OVERHEAD, ROUTE, SHARES, STAFF};
use adoptcost::method::Category;
use adoptcost::quantity::Unit;
use serde::Serialize;

/// One field as the page shows it.
#[derive(Debug, Serialize)]
pub struct Spec {
    /// Its name inside its object (`pension_rate` of `on_costs`).
    pub key: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Its hint: what goes there, and what a blank means.
    pub hint: String,
    /// `text`, `number`, `int`, `bool` or `select`.
    pub kind: &'static str,
    /// Shown before the box (`£`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<&'static str>,
    /// Shown after it (`a week`, `%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suffix: Option<&'static str>,
    /// The box's width in characters.
    pub width: u8,
    /// True where it may be left blank.
    pub optional: bool,
    /// A select's options, `[id, name]`; a blank first where the field may be left blank.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<[&'static str; 2]>>,
}

fn spec<T>(f: &Field<T>) -> Spec {
    let key = f.path.rsplit('.').next().unwrap_or(f.path);
    let mut hint = if f.required { f.help.to_string() } else { format!("Optional. {}", f.help) };
    if let Some(b) = f.blank.filter(|_| f.kind != Kind::YesNo) {
        hint.push_str(&format!(" Blank: {b}."));
    }
    let (kind, prefix, suffix, width) = match f.kind {
        Kind::Text => ("text", None, None, if key == "code" { 10 } else { 20 }),
        Kind::Date => ("text", None, None, 10),
        Kind::Year => ("text", None, None, 5),
        Kind::Whole => ("int", None, None, 2),
        Kind::YesNo => ("bool", None, None, 0),
        Kind::List(_) => ("select", None, None, 0),
        Kind::Number(u) => {
            let (prefix, suffix, width) = match u {
                Unit::Gbp => (Some("£"), None, 7),
                Unit::GbpPerWeek => (Some("£"), Some("a week"), 5),
                Unit::GbpPerMonth => (Some("£"), Some("a month"), 6),
                Unit::GbpPerYear => (Some("£"), Some("a year"), 7),
                Unit::GbpPerFte | Unit::GbpPerHour => (Some("£"), None, 6),
                Unit::Percent => (None, Some("%"), 4),
                Unit::Weeks => (None, Some("weeks"), 4),
                Unit::Months => (None, Some("months"), 3),
                Unit::HoursPerYear => (None, Some("hours"), 5),
                _ => (None, None, 5),
            };
            ("number", prefix, suffix, width)
        }
    };
    let options = match f.kind {
        Kind::List(choices) => {
            let own = |b: &&str| choices.iter().all(|c| c.id != *b);
            let blank = f.blank.filter(own).filter(|_| !f.required).map(|b| ["", b]);
            Some(blank.into_iter().chain(choices.iter().map(|c| [c.id, c.name])).collect())
        }
        _ => None,
    };
    Spec { key, label: f.label, hint, kind, prefix, suffix, width, optional: !f.required, options }
}

fn specs<T>(fields: &[Field<T>], group: &str) -> Vec<Spec> {
    fields.iter().filter(|f| group_of(f.path) == group).map(spec).collect()
}

/// The object a field is in: `on_costs` for `on_costs.pension_rate`, `contribution` for
/// `route.contribution.share`, nothing for `name`.
fn group_of(path: &str) -> &str {
    path.rsplit_once('.').map_or("", |(g, _)| g.rsplit('.').next().unwrap_or(g))
}

/// Every field of the form, by the object it is in; a line list's by the list.
#[derive(Debug, Serialize)]
pub struct Form {
    /// The agency's own fields.
    pub agency: Vec<Spec>,
    /// Its on-costs.
    pub on_costs: Vec<Spec>,
    /// Its activity.
    pub activity: Vec<Spec>,
    /// A line's shares by stage.
    pub shares: Vec<Spec>,
    /// Each list's line fields, by the list's key.
    pub lines: Lines,
    /// The child's.
    pub child: Vec<Spec>,
    /// The route's.
    pub route: Vec<Spec>,
    /// The route's contribution.
    pub contribution: Vec<Spec>,
    /// The cost categories, `[id, name]`, in the library's order.
    pub categories: Vec<[&'static str; 2]>,
    /// The quarters of a financial year, as a budget names them.
    pub quarters: [&'static str; 4],
}

/// The fields of each list of lines (their notes left out: the form does not keep them).
#[derive(Debug, Serialize)]
pub struct Lines {
    staff: Vec<Spec>,
    direct: Vec<Spec>,
    office: Vec<Spec>,
    regulation: Vec<Spec>,
    capital: Vec<Spec>,
    back_office: Vec<Spec>,
}

fn line<T>(fields: &[Field<T>]) -> Vec<Spec> {
    fields.iter().filter(|f| f.path != "notes").map(spec).collect()
}

/// The form's fields.
pub fn form() -> Form {
    Form {
        agency: specs(&AGENCY, ""),
        on_costs: specs(&AGENCY, "on_costs"),
        activity: specs(&AGENCY, "activity"),
        shares: SHARES.iter().map(spec).collect(),
        lines: Lines {
            staff: line(&STAFF),
            direct: line(&DIRECT),
            office: line(&OVERHEAD),
            regulation: line(&OVERHEAD),
            capital: line(&OVERHEAD),
            back_office: line(&BACK_OFFICE),
        },
        child: specs(&CHILD, "child"),
        route: specs(&ROUTE, "route"),
        contribution: specs(&ROUTE, "contribution"),
        categories: Category::ALL.iter().map(|c| [c.id(), c.name()]).collect(),
        quarters: adoptcost::analysis::budget::QUARTERS,
    }
}
