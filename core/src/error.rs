//! The one error type of the library.
//!
//! Every message names where the problem is (a field's path such as `staff[2].salary`, or a
//! workbook cell), the value found, and what was expected, in one style:
//! `<where>: <what was found>; expected <what>`. Callers add their own context (the file name,
//! the option that sets the field) and print the chain.

use jiff::civil::Date;
use thiserror::Error;

use crate::money::FinancialYear;

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Error {
    /// An input value breaks a rule of the method.
    #[error("{field}: {found}; expected {expected}")]
    Invalid {
        /// The field's path (`staff[2].salary`), with its location where known.
        field: String,
        /// What was found, quoted where it is text.
        found: String,
        /// What the method needs.
        expected: String,
    },

    /// An input file is not well-formed TOML or JSON, or does not fit the documented format.
    #[error("{format} input, {place}: {message}")]
    Format {
        /// `TOML` or `JSON`.
        format: &'static str,
        /// Line and column, or the field's path.
        place: String,
        /// What the parser said.
        message: String,
    },

    /// The reference data has no published amount for this date: a gap in the record.
    #[error(
        "{what}: no published amount for {date} (the record has a gap from {gap_from}{gap_until}: {note}); give the amount yourself as `{field}`"
    )]
    ReferenceGap {
        /// The figure wanted (`interagency fee, England, VAA, 1 child`).
        what: String,
        /// The date asked for.
        date: Date,
        /// The first day of the gap.
        gap_from: Date,
        /// ` to <last day>` or empty where the gap is open-ended.
        gap_until: String,
        /// Why the amount is missing.
        note: String,
        /// The input field that supplies the amount instead.
        field: String,
    },

    /// The date is after the last year the reference data covers.
    #[error(
        "{what}: the reference data covers only up to {last_day} (fee year {last_year}); fees are uprated every 1 April, so {date} needs your own figure: give the amount yourself as `{field}`"
    )]
    ReferenceEnded {
        /// The figure wanted.
        what: String,
        /// The date asked for.
        date: Date,
        /// The last day covered.
        last_day: Date,
        /// The last fee year covered.
        last_year: FinancialYear,
        /// The input field that supplies the amount instead.
        field: String,
    },

    /// The date is before the first value the reference data holds.
    #[error(
        "{what}: the reference data starts on {first_day}, after {date}; give the amount yourself as `{field}`"
    )]
    ReferenceNotYet {
        /// The figure wanted.
        what: String,
        /// The date asked for.
        date: Date,
        /// The first day of the first value.
        first_day: Date,
        /// The input field that supplies the amount instead.
        field: String,
    },

    /// A sibling group larger than the schedule's top band.
    #[error(
        "children: a group of {children} is beyond the top band of the {schedule} schedule ({top} children) and the schedule has no rule for each extra child; expected {top} or fewer, or give the fee yourself as `fee`"
    )]
    BeyondTopBand {
        /// Children in the group.
        children: u32,
        /// The schedule (`England, VAA`).
        schedule: String,
        /// The largest band.
        top: u32,
    },

    /// A figure whose arithmetic goes beyond what a decimal holds exactly (28 significant
    /// digits): inputs far outside any agency's, such as approvals of 1e-27.
    #[error(
        "{figure}: working it out goes beyond the 28 significant digits adoptcost works to exactly, with {inputs}; expected inputs within the bounds in docs/input-format.md"
    )]
    Overflow {
        /// The figure (`cost per approval [unit.per_approval]`).
        figure: String,
        /// Its inputs with their values and where they are.
        inputs: String,
    },

    /// A workbook that cannot be read at all: not a spreadsheet, encrypted, truncated, or missing
    /// a sheet or a header the template has. Nothing is costed.
    #[error("workbook{place}: {message}")]
    Workbook {
        /// `, sheet 'Staff'` and the like, or empty for the file as a whole.
        place: String,
        /// What is wrong and what was expected.
        message: String,
    },

    /// Something that cannot happen did: a bug in adoptcost, not a fault in the input (a
    /// thread that stopped with a panic, say). Front doors report it apart from bad input.
    #[error("internal error in adoptcost (a bug, not a fault in your input): {message}")]
    Internal {
        /// What stopped, and where.
        message: String,
    },

    /// A user's own reference file is malformed or does not fit the reference data.
    #[error("reference file {file}: {message}")]
    UserReference {
        /// The file.
        file: String,
        /// What is wrong, and where.
        message: String,
    },

    /// The embedded reference data is malformed. A bug in adoptcost, caught by its tests.
    #[error("reference data {file}: {message}")]
    Reference {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, found: impl Into<String>, expected: impl Into<String>) -> Error {
        Error::Invalid { field: field.into(), found: found.into(), expected: expected.into() }
    }

    /// Shorthand for [`Error::Internal`].
    pub fn internal(message: impl Into<String>) -> Error {
        Error::Internal { message: message.into() }
    }

    /// True for a bug in adoptcost rather than a fault in the input.
    pub fn is_internal(&self) -> bool {
        matches!(self, Error::Internal { .. } | Error::Reference { .. })
    }

    /// The message for a form that shows it after the label of the field it names
    /// ([`Error::field`]): without the field's name, which the message needs where it stands
    /// alone (a command line's error). A message asking for a figure ends by naming its field.
    pub fn beside_field(&self) -> String {
        match self {
            Error::Invalid { found, expected, .. } => format!("{found}; expected {expected}"),
            Error::ReferenceGap { .. }
            | Error::ReferenceEnded { .. }
            | Error::ReferenceNotYet { .. }
            | Error::BeyondTopBand { .. } => {
                let text = self.to_string();
                let named = format!(" as `{}`", self.field().unwrap_or_default());
                text.strip_suffix(&named).map_or(text.clone(), str::to_string)
            }
            Error::Format { message, .. } => message.clone(),
            _ => self.to_string(),
        }
    }

    /// The input field that would fix the error, where there is one: a caller maps it to its own
    /// way of setting it (a command-line option, a form field, a workbook column).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::ReferenceGap { field, .. }
            | Error::ReferenceEnded { field, .. }
            | Error::ReferenceNotYet { field, .. } => Some(field),
            Error::BeyondTopBand { .. } => Some("fee"),
            Error::Format { .. }
            | Error::Overflow { .. }
            | Error::Reference { .. }
            | Error::UserReference { .. }
            | Error::Workbook { .. }
            | Error::Internal { .. } => None,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Each error that asks for a figure ends by naming its field, so a form showing it after
    /// the field's label can leave the name out.
    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_message_beside_its_field_leaves_the_field_out() {
        let day = jiff::civil::date(2026, 4, 1);
        let asking = [
            Error::ReferenceGap {
                what: "interagency fee".into(),
                date: day,
                gap_from: day,
                gap_until: String::new(),
                note: "not found".into(),
                field: "fee".into(),
            },
            Error::ReferenceEnded {
                what: "interagency fee".into(),
                date: day,
                last_day: day,
                last_year: FinancialYear(2025),
                field: "fee".into(),
            },
            Error::ReferenceNotYet {
                what: "NI rate".into(),
                date: day,
                first_day: day,
                field: "on_costs.ni_rate".into(),
            },
            Error::BeyondTopBand { children: 9, schedule: "England, VAA".into(), top: 5 },
        ];
        for e in asking {
            let (whole, beside) = (e.to_string(), e.beside_field());
            assert!(whole.ends_with(&format!(" as `{}`", e.field().unwrap_or_default())), "{whole}");
            assert!(!beside.contains('`') && beside.ends_with("yourself"), "{beside}");
        }
        let e = Error::invalid("staff[2].fte", "-1", "0 or more");
        assert_eq!(e.beside_field(), "-1; expected 0 or more");
    }
}
