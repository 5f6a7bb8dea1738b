//! A workbook's Reference sheet: its rows' fields, read by the workbook reader into
//! [`UserRow`]s that [`super::Reference::with_user_rows`] lays over the shipped data.

use crate::input::schema::{Check, Choice, Field, Kind, Value};

pub use super::UserRow;

/// The grades a user's reference row can carry (REFERENCE.md).
pub const GRADES: &[Choice] = &[
    Choice { id: "confirmed", name: "Confirmed", also: &[] },
    Choice { id: "inferred", name: "Inferred", also: &[] },
];

/// A row of the workbook's Reference sheet: a published amount the user adds (a new fee year)
/// or puts in place of a shipped one.
pub static REFERENCE_ROW: [Field<UserRow>; 7] = [
    Field::<UserRow>::new(
        "id",
        "Parameter",
        "Reference id",
        "The id of the figure, as `adoptcost fees` lists it, such as fee.england.vaa.1 (a fee) or ofsted.vaa.annual.",
        Kind::Text,
        |r| Some(Value::Text(r.id.clone())),
        |r, v| r.id = v.text().unwrap_or_default().trim().into(),
    )
    .required()
    .width(24),
    Field::<UserRow>::new(
        "from",
        "From",
        "First day",
        "The first day it holds, as 2026-04-01 (a fee year starts on 1 April).",
        Kind::Date,
        |r| Some(Value::Date(r.from)),
        |r, v| r.from = v.date().unwrap_or(r.from),
    )
    .required()
    .width(12),
    Field::<UserRow>::new(
        "until",
        "Until",
        "Last day",
        "The last day, where the source limits it, as 2027-03-31 (a fee year ends on 31 March).",
        Kind::Date,
        |r| r.until.map(Value::Date),
        |r, v| r.until = v.date(),
    )
    .blank("it holds until the next value")
    .width(12),
    Field::<UserRow>::new(
        "value",
        "Amount",
        "Amount",
        "The amount, £ (amounts only: rates are the agency's own inputs on the Agencies sheet).",
        Kind::Number(crate::quantity::Unit::Gbp),
        |r| Some(Value::Number(r.value)),
        |r, v| r.value = v.number().unwrap_or_default(),
    )
    .required()
    .check(Check::Amount)
    .width(12),
    Field::<UserRow>::new(
        "grade",
        "Grade",
        "Grade",
        "confirmed (seen in the source in so many words) or inferred (worked out from it: say how in Notes).",
        Kind::List(GRADES),
        |r| Some(Value::Text(r.grade.to_string())),
        |r, v| {
            r.grade = match v.text() {
                Some("inferred") => crate::quantity::Grade::Inferred,
                _ => crate::quantity::Grade::Confirmed,
            }
        },
    )
    .required()
    .width(11),
    Field::<UserRow>::new(
        "source",
        "Source",
        "Source",
        "Where you read it, such as CoramBAAF, Inter-agency fees, Fees 2026/27.",
        Kind::Text,
        |r| Some(Value::Text(r.source.clone())),
        |r, v| r.source = v.text().unwrap_or_default().into(),
    )
    .required()
    .width(36),
    Field::<UserRow>::new(
        "notes",
        "Notes",
        "Notes",
        "Anything a reader must know, shown with the figure wherever it is used.",
        Kind::Text,
        |r| Some(Value::Text(r.notes.clone())),
        |r, v| r.notes = v.text().unwrap_or_default().into(),
    )
    .width(40),
];
