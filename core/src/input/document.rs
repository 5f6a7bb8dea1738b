//! Reading an agency or a scenario from a document's tree (TOML or JSON, as
//! [`crate::text::to_tree`] reads it) through the field tables: each key of a table is the
//! field of that name, read as the field's [`Kind`] says and set with the field's own `set`, as
//! the workbook reader sets a cell. What the tables do not hold (a line's shares, the lists of
//! lines, the child's notes and ledger codes, the NI date, overrides, ranges) is read here by
//! name; a price index by its own serde reader, which a forecast file shares.
//!
//! The words of an error are serde's, as a derived reader gave them: an unknown key, a missing
//! field, a value of the wrong type.

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::Error as _;
use serde_json::Value as Tree;

use super::ranges::{Distribution, Range};
use super::schema::{Field, Kind, Value};
use super::{
    AGENCY, Agency, AgencyOverrides, BACK_OFFICE, BackOfficeLine, CHILD, Child, ChildAndRoute,
    ContributionIn, DIRECT, DirectLine, FEE_OVERRIDE, FeeOverride, MoneyIn, OVERHEAD, OverheadLine, ROUTE,
    Route, SHARES, STAFF, Shares, StaffLine,
};
use crate::money::FinancialYear;
use crate::quantity::Unit;
use crate::text::{DeError, list, object, table, with};

/// How a table is read: the struct's name for serde's words, the prefix of its fields' paths in
/// their table (`on_costs.` of the agency's), the keys the tables do not hold, and the keys that
/// must be there.
struct Shape {
    what: &'static str,
    prefix: &'static str,
    extras: &'static [&'static str],
    required: &'static [&'static str],
}

/// A field's value, read as its kind says.
fn leaf(kind: Kind, v: &Tree) -> Result<Value, DeError> {
    Ok(match kind {
        Kind::Text => Value::Text(with(v, String::deserialize)?),
        Kind::Number(Unit::Percent) => Value::Number(with(v, crate::text::percent)?),
        Kind::Number(_) => Value::Number(with(v, crate::text::decimal)?),
        Kind::Whole => Value::Whole(with(v, u32::deserialize)?),
        Kind::YesNo => Value::Yes(with(v, bool::deserialize)?),
        Kind::Date => Value::Date(with(v, crate::text::date::deserialize)?),
        Kind::Year => Value::Year(with(v, FinancialYear::deserialize)?),
        Kind::List(choices) => {
            let s = with(v, String::deserialize)?;
            match choices.iter().find(|c| c.id == s) {
                Some(c) => Value::Text(c.id.to_string()),
                None => {
                    let ids: Vec<&str> = choices.iter().map(|c| c.id).collect();
                    return Err(DeError::custom(format_args!(
                        "unknown variant `{s}`, expected {}",
                        one_of(&ids)
                    )));
                }
            }
        }
    })
}

/// serde's list of what was expected (`` `a` or `b` ``, `` one of `a`, `b`, `c` ``).
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".into(),
        [a] => format!("`{a}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => format!("one of {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
    }
}

/// Reads the table `v` into `into`: each key that names a field of `fields` (its path less the
/// shape's prefix) by that field, each of the shape's extras by `extra`, in the document's
/// order; a key that is neither refused, and then a required key that is missing. A value of
/// nothing (JSON's `null`) is a field not given.
fn read<T>(
    v: &Tree,
    shape: &Shape,
    fields: &[Field<T>],
    into: &mut T,
    extra: &mut dyn FnMut(&mut T, &str, &Tree) -> Result<(), DeError>,
) -> Result<(), DeError> {
    read_keys(v, shape, &|i| fields.get(i).map(|f| f.path), &mut |key, i, v| match i {
        Some(i) => leaf(fields[i].kind, v).map(|value| (fields[i].set)(into, &value)),
        None => extra(into, key, v),
    })
}

/// Reads one key's value: into the field of that index, or as an extra (`None`).
type SetKey<'a> = dyn FnMut(&str, Option<usize>, &Tree) -> Result<(), DeError> + 'a;

/// [`read`] for any table: `path(i)` is the `i`th field's path; `set` reads a key's value into
/// field `i` (`Some(i)`) or as an extra (`None`). One copy of the reading whatever the struct:
/// only the setting is the struct's own.
fn read_keys(
    v: &Tree,
    shape: &Shape,
    path: &dyn Fn(usize) -> Option<&'static str>,
    set: &mut SetKey,
) -> Result<(), DeError> {
    let map = object(v, shape.what)?;
    // The fields' names in this table: their paths less the prefix, nested paths left out.
    let names =
        || (0..).map_while(path).map(|p| p.strip_prefix(shape.prefix).filter(|rest| !rest.contains('.')));
    for (key, v) in map {
        let read = if shape.extras.contains(&key.as_str()) {
            set(key, None, v)
        } else if let Some(i) = names().position(|name| name == Some(key.as_str())) {
            if v.is_null() { Ok(()) } else { set(key, Some(i), v) }
        } else {
            let names: Vec<&str> = names()
                .flatten()
                .filter(|name| !shape.extras.contains(name))
                .chain(shape.extras.iter().copied())
                .collect();
            Err(DeError::custom(format_args!("unknown field `{key}`, expected {}", one_of(&names))))
        };
        read.map_err(|e| e.at_key(key))?;
    }
    match shape.required.iter().find(|r| map.get(**r).is_none_or(Tree::is_null)) {
        Some(r) => Err(DeError::missing_field(r)),
        None => Ok(()),
    }
}

fn no_extras<T>(_: &mut T, _: &str, _: &Tree) -> Result<(), DeError> {
    Ok(())
}

fn shares(v: &Tree) -> Result<Shares, DeError> {
    let mut s = Shares::default();
    let shape = Shape { what: "struct Shares", prefix: "", extras: &[], required: &[] };
    read(v, &shape, &SHARES, &mut s, &mut no_extras)?;
    Ok(s)
}

fn staff_line(v: &Tree) -> Result<StaffLine, DeError> {
    let mut l = StaffLine::default();
    let shape = Shape {
        what: "struct StaffLine",
        prefix: "",
        extras: &["shares"],
        required: &["role", "fte", "salary", "shares"],
    };
    read(v, &shape, &STAFF, &mut l, &mut |l, _, v| shares(v).map(|s| l.shares = s))?;
    Ok(l)
}

fn direct_line(v: &Tree) -> Result<DirectLine, DeError> {
    let mut l = DirectLine::default();
    let shape = Shape {
        what: "struct DirectLine",
        prefix: "",
        extras: &["shares"],
        required: &["label", "amount", "variable", "shares"],
    };
    read(v, &shape, &DIRECT, &mut l, &mut |l, _, v| shares(v).map(|s| l.shares = s))?;
    Ok(l)
}

/// An overhead line. Its published fee is read as text: the validation names the fees it may be.
fn overhead_line(v: &Tree) -> Result<OverheadLine, DeError> {
    let mut l = OverheadLine::default();
    let shape = Shape {
        what: "struct OverheadLine",
        prefix: "",
        extras: &["shares", "reference"],
        required: &["label"],
    };
    read(v, &shape, &OVERHEAD, &mut l, &mut |l, key, v| {
        match key {
            "shares" => l.shares = if v.is_null() { None } else { Some(shares(v)?) },
            _ => l.reference = with(v, Option::<String>::deserialize)?,
        }
        Ok(())
    })?;
    Ok(l)
}

fn back_office_line(v: &Tree) -> Result<BackOfficeLine, DeError> {
    let mut l = BackOfficeLine::default();
    let shape = Shape { what: "struct BackOfficeLine", prefix: "", extras: &[], required: &["label"] };
    read(v, &shape, &BACK_OFFICE, &mut l, &mut no_extras)?;
    Ok(l)
}

/// Reads an agency's cost base from its table.
pub(crate) fn agency(v: &Tree) -> Result<Agency, DeError> {
    let mut a = Agency::default();
    let shape = Shape {
        what: "struct Agency",
        prefix: "",
        extras: &[
            "on_costs",
            "staff",
            "direct",
            "office",
            "regulation",
            "back_office",
            "capital",
            "activity",
            "overrides",
        ],
        required: &["name", "kind", "nation", "price_year", "productive_hours", "on_costs", "activity"],
    };
    read(v, &shape, &AGENCY, &mut a, &mut |a, key, v| {
        match key {
            "on_costs" => {
                let shape = Shape {
                    what: "struct OnCosts",
                    prefix: "on_costs.",
                    extras: &["ni_date"],
                    required: &["pension_rate", "apprenticeship_levy"],
                };
                // The day the year's NI threshold changes is not a form's or a workbook's field.
                read(v, &shape, &AGENCY, a, &mut |a, _, v| {
                    a.on_costs.ni_date =
                        if v.is_null() { None } else { Some(with(v, crate::text::date::deserialize)?) };
                    Ok(())
                })?;
            }
            "activity" => {
                let shape = Shape {
                    what: "struct Activity",
                    prefix: "activity.",
                    extras: &[],
                    required: &["approvals", "matches_own"],
                };
                read(v, &shape, &AGENCY, a, &mut no_extras)?;
            }
            "staff" => a.staff = list(v, &mut staff_line)?,
            "direct" => a.direct = list(v, &mut direct_line)?,
            "office" => a.office = list(v, &mut overhead_line)?,
            "regulation" => a.regulation = list(v, &mut overhead_line)?,
            "capital" => a.capital = list(v, &mut overhead_line)?,
            "back_office" => a.back_office = list(v, &mut back_office_line)?,
            _ => a.overrides = overrides(v)?,
        }
        Ok(())
    })?;
    Ok(a)
}

fn overrides(v: &Tree) -> Result<AgencyOverrides, DeError> {
    let mut o = AgencyOverrides::default();
    table(v, "struct AgencyOverrides", &["fee", "monthly_fee"], &[], &mut |key, v| {
        let money = with(v, Option::<MoneyIn>::deserialize)?;
        match key {
            "fee" => o.fee = money,
            _ => o.monthly_fee = money,
        }
        Ok(())
    })?;
    Ok(o)
}

fn child(v: &Tree) -> Result<Child, DeError> {
    let mut c = Child::default();
    let shape = Shape {
        what: "struct Child",
        prefix: "child.",
        extras: &["notes", "cost_centre", "budget_code"],
        required: &[],
    };
    read(v, &shape, &CHILD, &mut c, &mut |c, key, v| {
        let text = with(v, String::deserialize)?;
        match key {
            "notes" => c.notes = text,
            "cost_centre" => c.cost_centre = text,
            _ => c.budget_code = text,
        }
        Ok(())
    })?;
    Ok(c)
}

fn route(v: &Tree) -> Result<Route, DeError> {
    let mut r = Route::default();
    let shape = Shape { what: "struct Route", prefix: "route.", extras: &["contribution"], required: &[] };
    read(v, &shape, &ROUTE, &mut r, &mut |r, _, v| {
        if v.is_null() {
            return Ok(());
        }
        // A table given is a contribution given, even an empty one: the validation says what
        // it lacks.
        r.contribution.get_or_insert(ContributionIn { share: None, amount: None });
        let shape = Shape {
            what: "struct ContributionIn",
            prefix: "route.contribution.",
            extras: &[],
            required: &[],
        };
        read(v, &shape, &ROUTE, r, &mut no_extras)
    })?;
    Ok(r)
}

fn fee_override(v: &Tree) -> Result<FeeOverride, DeError> {
    let mut o = FeeOverride::default();
    let shape = Shape {
        what: "struct FeeOverride",
        prefix: "",
        extras: &[],
        required: &["nation", "provider", "children", "year", "amount"],
    };
    read(v, &shape, &FEE_OVERRIDE, &mut o, &mut no_extras)?;
    Ok(o)
}

fn range(v: &Tree) -> Result<Range, DeError> {
    let mut r = Range {
        input: String::new(),
        low: Decimal::ZERO,
        likely: Decimal::ZERO,
        high: Decimal::ZERO,
        distribution: Distribution::default(),
    };
    let fields = &["input", "low", "likely", "high", "distribution"];
    table(v, "struct Range", fields, &fields[..4], &mut |key, v| {
        match key {
            "input" => r.input = with(v, String::deserialize)?,
            "low" => r.low = with(v, crate::text::decimal)?,
            "likely" => r.likely = with(v, crate::text::decimal)?,
            "high" => r.high = with(v, crate::text::decimal)?,
            _ => r.distribution = with(v, Distribution::deserialize)?,
        }
        Ok(())
    })?;
    Ok(r)
}

/// Reads a child and route (and the agency, where the document carries it).
pub(crate) fn child_and_route(v: &Tree) -> Result<ChildAndRoute, DeError> {
    let mut cr = ChildAndRoute {
        agency: None,
        child: Child::default(),
        route: Route::default(),
        price_index: None,
        fee_overrides: Vec::new(),
        ranges: Vec::new(),
    };
    let map = object(v, "struct ChildAndRoute")?;
    for (key, v) in map {
        let read = match key.as_str() {
            "agency" if v.is_null() => Ok(()),
            "agency" => agency(v).map(|a| cr.agency = Some(Box::new(a))),
            "child" => child(v).map(|c| cr.child = c),
            "route" => route(v).map(|r| cr.route = r),
            "price_index" => with(v, Option::deserialize).map(|p| cr.price_index = p),
            "fee_override" => list(v, &mut fee_override).map(|o| cr.fee_overrides = o),
            "range" => list(v, &mut range).map(|r| cr.ranges = r),
            _ => Err(DeError::custom(format_args!(
                "unknown field `{key}`, expected {}",
                one_of(&["agency", "child", "route", "price_index", "fee_override", "range"])
            ))),
        };
        read.map_err(|e| e.at_key(key))?;
    }
    if map.get("child").is_none_or(Tree::is_null) {
        return Err(DeError::missing_field("child"));
    }
    Ok(cr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    /// The example agency's tree, changed by `edit`.
    fn example(edit: impl FnOnce(&mut Map<String, Tree>)) -> Tree {
        let mut tree = crate::text::json_to_value(crate::example::AGENCY_JSON).expect("the example reads");
        edit(tree.as_object_mut().expect("a table"));
        tree
    }

    fn fails(tree: &Tree) -> (String, String) {
        let e = agency(tree).expect_err("the tree is bad");
        (e.path(), e.message().to_string())
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn reads_the_example_as_the_tables_say() {
        // As fixtures/example/agency.toml gives them.
        let a = agency(&example(|_| {})).expect("reads");
        assert_eq!(
            (a.name.as_str(), a.code.as_str(), a.kind, a.nation),
            (
                "Example Regional Adoption Agency",
                "EXAMPLE",
                super::super::AgencyKind::Raa,
                super::super::Nation::England
            )
        );
        assert_eq!(
            (a.price_year, a.productive_hours, a.illustrative),
            (FinancialYear(2025), Decimal::from(1665), true)
        );
        assert_eq!((a.on_costs.pension_rate, a.on_costs.apprenticeship_levy), (Decimal::new(195, 1), true));
        let head = &a.staff[0];
        assert_eq!(
            (head.role.as_str(), head.fte, head.salary),
            ("Head of service", Decimal::ONE, MoneyIn(Decimal::from(72000)))
        );
        assert_eq!(head.shares.percents(), [30, 25, 15, 30].map(Decimal::from));
        let c = child(&serde_json::json!({"children": 2, "weekly_care_cost": "1045.5", "notes": "n"}))
            .expect("reads");
        assert_eq!(
            (c.children, c.weekly_care_cost, c.notes.as_str()),
            (2, Some(MoneyIn(Decimal::new(10455, 1))), "n")
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn errors_are_in_serdes_words_with_the_path() {
        let renamed = example(|a| {
            let act = a["activity"].as_object_mut().expect("a table");
            let approvals = act.remove("approvals").expect("given");
            act.insert("aprovals".into(), approvals);
        });
        let (path, message) = fails(&renamed);
        assert_eq!(path, "activity.aprovals");
        assert!(
            message.starts_with("unknown field `aprovals`, expected one of `approvals`, `matches_own`"),
            "{message}"
        );
        let no_levy = example(|a| {
            a["on_costs"].as_object_mut().expect("a table").remove("apprenticeship_levy");
        });
        assert_eq!(fails(&no_levy), ("on_costs".into(), "missing field `apprenticeship_levy`".into()));
        let france = example(|a| {
            a.insert("nation".into(), "france".into());
        });
        assert_eq!(
            fails(&france),
            (
                "nation".into(),
                "unknown variant `france`, expected one of `england`, `wales`, `scotland`, `northern_ireland`"
                    .into()
            )
        );
        let sometimes = example(|a| {
            a["staff"][0].as_object_mut().expect("a table").insert("variable".into(), "sometimes".into());
        });
        assert_eq!(
            fails(&sometimes),
            ("staff[1].variable".into(), "invalid type: string \"sometimes\", expected a boolean".into())
        );
        let dotted = example(|a| {
            a["on_costs"].as_object_mut().expect("a table").insert("on_costs.ni_rate".into(), 13.into());
        });
        assert!(fails(&dotted).1.starts_with("unknown field `on_costs.ni_rate`"));
    }
}
