//! What set the fees of a batch: every reference schedule row and user figure its placements'
//! fees cite, with how many placements used each (the costed workbook's Fees sheet).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::explain::{Explanation, Origin};

/// A reference parameter and the date it took effect, or a user's fee field and its cell.
pub type FeeKey = (String, String);

/// One schedule row or user figure that set a fee, and how often it was used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeeUse {
    /// The last day it applies (or "next change").
    pub until: String,
    /// The amount, as shown.
    pub amount: String,
    /// Its grade (confirmed, inferred; or "your figure").
    pub grade: String,
    /// Its source.
    pub source: String,
    /// Any note on it.
    pub note: String,
    /// How many placements used it.
    pub times: u64,
}

/// Counts into `all` the reference figures and user fee fields that set a placement's fee, each
/// once however many of its figures cite it.
pub(crate) fn count_fee_uses(ex: &Explanation, all: &mut BTreeMap<FeeKey, FeeUse>) {
    let mut seen: Vec<FeeKey> = Vec::new();
    for fig in ex.figures.iter().filter(|f| f.id.starts_with("fee.")) {
        for t in &fig.inputs {
            let key = match &t.origin {
                // A use after the source last confirmed the value is its own row: it says so.
                Origin::Reference { parameter, from, last_confirmed, .. } => {
                    let beyond = if last_confirmed.is_some() { ", after confirmation" } else { "" };
                    (parameter.clone(), format!("{from}{beyond}"))
                }
                Origin::Input { field, location, .. }
                    if field.contains("fee") || field.contains("contribution") =>
                {
                    (format!("your {field}"), location.clone())
                }
                _ => continue,
            };
            if seen.contains(&key) {
                continue;
            }
            match all.get_mut(&key) {
                Some(u) => u.times += 1,
                None => {
                    if let Some(u) = fee_use(t) {
                        all.insert(key.clone(), FeeUse { times: 1, ..u });
                    }
                }
            }
            seen.push(key);
        }
    }
}

/// What the Fees sheet says of an input that set a fee (its count aside): a reference figure
/// or a user's figure.
fn fee_use(t: &crate::explain::Term) -> Option<FeeUse> {
    Some(match &t.origin {
        Origin::Reference { until, source, grade, note, last_confirmed, .. } => FeeUse {
            until: crate::quantity::until_words(*until, *last_confirmed),
            amount: t.value.display(),
            grade: grade.to_string(),
            source: source.title.clone(),
            note: note.clone().unwrap_or_default(),
            times: 0,
        },
        Origin::Input { location, .. } => FeeUse {
            until: String::new(),
            amount: t.value.display(),
            grade: "your figure".into(),
            source: location.clone(),
            note: String::new(),
            times: 0,
        },
        _ => return None,
    })
}

/// Adds one count of fee uses to another.
pub(crate) fn merge(all: &mut BTreeMap<FeeKey, FeeUse>, more: BTreeMap<FeeKey, FeeUse>) {
    for (key, u) in more {
        match all.get_mut(&key) {
            Some(a) => a.times += u.times,
            None => {
                all.insert(key, u);
            }
        }
    }
}
