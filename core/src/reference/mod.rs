//! The published reference figures adoptcost ships as defaults (REFERENCE.md).
//!
//! Each figure is a dated parameter in one of the TOML files under `core/reference/`, embedded at
//! build time, in the spirit of OpenFisca's parameters: a list of values keyed by the date each
//! starts to hold. A value holds until the next one starts, or only to its own `until` date where
//! the source covers a limited period (a fee year). A value the record does not have is written
//! as an explicit gap (`missing = "why"`): the lookup then fails with an error that names the gap
//! and the input that supplies the amount, and never carries an older amount forward.
//!
//! Every value carries its unit, source and confidence grade, and the [`Found`] a lookup returns
//! turns them into an [`Origin::Reference`] for the explanation of the figure that uses it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::money::FinancialYear;
use crate::quantity::{Grade, Origin, Quantity, Source, Unit};
use crate::text::{DeError, TextFormat, list, table};
use serde_json::Value;

/// The embedded files: each named as its source in `core/reference/`, with its content as the
/// JSON the build script made from that TOML (see `build.rs`), which every build reads.
pub const FILES: &[(&str, &str)] = &[
    ("fees.toml", include_str!(concat!(env!("OUT_DIR"), "/fees.json"))),
    ("employment.toml", include_str!(concat!(env!("OUT_DIR"), "/employment.json"))),
    ("waiting.toml", include_str!(concat!(env!("OUT_DIR"), "/waiting.json"))),
    ("regulation.toml", include_str!(concat!(env!("OUT_DIR"), "/regulation.json"))),
    ("volumes.toml", include_str!(concat!(env!("OUT_DIR"), "/volumes.json"))),
];

/// A reference file as written, read by the readers below (in serde's words, as a derived
/// reader would; see [`crate::text::table`]).
#[derive(Debug)]
struct FileDef {
    title: String,
    /// The day the file's figures were last checked against their sources.
    reviewed: Date,
    sources: BTreeMap<String, Source>,
    parameter: Vec<ParameterDef>,
    scheme: Vec<SchemeDef>,
}

#[derive(Debug)]
struct ParameterDef {
    id: String,
    label: String,
    unit: Unit,
    values: Vec<ValueDef>,
}

#[derive(Debug)]
struct ValueDef {
    from: Date,
    until: Option<Date>,
    confirmed: Option<Date>,
    value: Option<Decimal>,
    missing: Option<String>,
    grade: Option<Grade>,
    source: String,
    note: Option<String>,
    price_year: Option<FinancialYear>,
}

#[derive(Debug)]
struct SchemeDef {
    id: String,
    name: String,
    nation: crate::input::Nation,
    from: Date,
    until: Date,
    share: Option<Decimal>,
    amount: Option<Decimal>,
    criteria: Vec<crate::input::Criterion>,
    grade: Grade,
    source: String,
    note: Option<String>,
}

/// A value read by its type's own serde reader.
fn leaf<T: serde::de::DeserializeOwned>(v: &Value) -> std::result::Result<T, DeError> {
    crate::text::with(v, T::deserialize)
}

fn date(v: &Value) -> std::result::Result<Date, DeError> {
    crate::text::with(v, crate::text::date::deserialize)
}

fn file_def(v: &Value) -> std::result::Result<FileDef, DeError> {
    let mut f = FileDef {
        title: String::new(),
        reviewed: Date::default(),
        sources: BTreeMap::new(),
        parameter: Vec::new(),
        scheme: Vec::new(),
    };
    let fields = &["title", "reviewed", "sources", "parameter", "scheme"];
    table(v, "struct FileDef", fields, &["title", "reviewed"], &mut |key, v| {
        match key {
            "title" => f.title = leaf(v)?,
            "reviewed" => f.reviewed = date(v)?,
            "sources" => f.sources = sources(v)?,
            "parameter" => f.parameter = list(v, &mut parameter_def)?,
            _ => f.scheme = list(v, &mut scheme_def)?,
        }
        Ok(())
    })?;
    Ok(f)
}

fn sources(v: &Value) -> std::result::Result<BTreeMap<String, Source>, DeError> {
    let mut out = BTreeMap::new();
    crate::text::entries(v, &mut |key, v| {
        let mut s = Source { title: String::new(), url: None };
        table(v, "struct Source", &["title", "url"], &["title"], &mut |field, v| {
            match field {
                "title" => s.title = leaf(v)?,
                _ => s.url = leaf(v)?,
            }
            Ok(())
        })?;
        out.insert(key.to_string(), s);
        Ok(())
    })?;
    Ok(out)
}

fn parameter_def(v: &Value) -> std::result::Result<ParameterDef, DeError> {
    let mut p =
        ParameterDef { id: String::new(), label: String::new(), unit: Unit::Count, values: Vec::new() };
    let fields = &["id", "label", "unit", "values"];
    table(v, "struct ParameterDef", fields, fields, &mut |key, v| {
        match key {
            "id" => p.id = leaf(v)?,
            "label" => p.label = leaf(v)?,
            "unit" => p.unit = leaf(v)?,
            _ => p.values = list(v, &mut value_def)?,
        }
        Ok(())
    })?;
    Ok(p)
}

fn value_def(v: &Value) -> std::result::Result<ValueDef, DeError> {
    let mut d = ValueDef {
        from: Date::default(),
        until: None,
        confirmed: None,
        value: None,
        missing: None,
        grade: None,
        source: String::new(),
        note: None,
        price_year: None,
    };
    let fields = &["from", "until", "confirmed", "value", "missing", "grade", "source", "note", "price_year"];
    table(v, "struct ValueDef", fields, &["from", "source"], &mut |key, v| {
        match key {
            "from" => d.from = date(v)?,
            "until" => d.until = Some(date(v)?),
            "confirmed" => d.confirmed = Some(date(v)?),
            "value" => d.value = crate::text::with(v, crate::text::opt_decimal)?,
            "missing" => d.missing = leaf(v)?,
            "grade" => d.grade = leaf(v)?,
            "source" => d.source = leaf(v)?,
            "note" => d.note = leaf(v)?,
            _ => d.price_year = leaf(v)?,
        }
        Ok(())
    })?;
    Ok(d)
}

fn scheme_def(v: &Value) -> std::result::Result<SchemeDef, DeError> {
    let mut d = SchemeDef {
        id: String::new(),
        name: String::new(),
        nation: crate::input::Nation::England,
        from: Date::default(),
        until: Date::default(),
        share: None,
        amount: None,
        criteria: Vec::new(),
        grade: Grade::Inferred,
        source: String::new(),
        note: None,
    };
    let fields =
        &["id", "name", "nation", "from", "until", "share", "amount", "criteria", "grade", "source", "note"];
    let required = &["id", "name", "nation", "from", "until", "criteria", "grade", "source"];
    table(v, "struct SchemeDef", fields, required, &mut |key, v| {
        match key {
            "id" => d.id = leaf(v)?,
            "name" => d.name = leaf(v)?,
            "nation" => d.nation = leaf(v)?,
            "from" => d.from = date(v)?,
            "until" => d.until = date(v)?,
            "share" => d.share = crate::text::with(v, crate::text::opt_percent)?,
            "amount" => d.amount = crate::text::with(v, crate::text::opt_decimal)?,
            "criteria" => d.criteria = list(v, &mut leaf)?,
            "grade" => d.grade = leaf(v)?,
            "source" => d.source = leaf(v)?,
            _ => d.note = leaf(v)?,
        }
        Ok(())
    })?;
    Ok(d)
}

/// One row of a workbook's Reference sheet: a value of a reference parameter in pounds, with
/// where the user read it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    /// The parameter's id (`fee.england.vaa.1`).
    pub id: String,
    /// The first day it holds.
    pub from: Date,
    /// The last day, where the source limits it.
    pub until: Option<Date>,
    /// The amount, in pounds.
    pub value: Decimal,
    /// How sure the user is of it.
    pub grade: Grade,
    /// Where the user read it.
    pub source: String,
    /// The user's notes.
    pub notes: String,
    /// Where the row is, for its citation (`Reference sheet, row 3`).
    pub place: String,
}

impl Default for UserRow {
    /// An empty row, for a reader to fill field by field.
    fn default() -> Self {
        UserRow {
            id: String::new(),
            from: Date::constant(2025, 4, 1),
            until: None,
            value: Decimal::ZERO,
            grade: Grade::Confirmed,
            source: String::new(),
            notes: String::new(),
            place: String::new(),
        }
    }
}

/// Why a workbook's Reference sheet could not be laid over the reference data: the row (its
/// index among the rows given) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRowError {
    /// The index of the row at fault among the rows given.
    pub row: usize,
    /// What is wrong, in words.
    pub message: String,
}

/// One dated parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    /// Its id (`fee.england.vaa.1`).
    pub id: String,
    /// What it is, in words.
    pub label: String,
    /// Its unit.
    pub unit: Unit,
    /// The file it comes from.
    pub file: String,
    /// Its values, in date order.
    pub values: Vec<Entry>,
}

/// One value of a parameter, or a gap in the record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The first day it holds.
    #[serde(with = "crate::text::date")]
    pub from: Date,
    /// The last day it holds, where the source limits it.
    #[serde(default, with = "crate::text::opt_date")]
    pub until: Option<Date>,
    /// The last day its source confirmed it, for a value the source says continues (no
    /// `until`): a use after it is named in the output.
    #[serde(default, with = "crate::text::opt_date")]
    pub confirmed: Option<Date>,
    /// The value, or `None` for a gap.
    pub value: Option<Decimal>,
    /// Why the value is missing, for a gap.
    pub missing: Option<String>,
    /// The confidence grade of a value.
    pub grade: Option<Grade>,
    /// The source.
    pub source: Source,
    /// The reasoning for an inferred value, or a caveat.
    pub note: Option<String>,
    /// For money: the price year, where it is not the financial year of `from`.
    pub price_year: Option<FinancialYear>,
}

impl Entry {
    /// How long the value holds, in words: its last day, or that it continues (since its
    /// source last confirmed it, where that is known), or until the next value.
    pub fn until_words(&self) -> String {
        crate::quantity::until_words(self.until, self.confirmed)
    }
}

/// A government scheme that pays part or all of the fee for eligible children.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scheme {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The nation it covers.
    pub nation: crate::input::Nation,
    /// First placement date covered.
    #[serde(with = "crate::text::date")]
    pub from: Date,
    /// Last placement date covered.
    #[serde(with = "crate::text::date")]
    pub until: Date,
    /// The share of the placement fee it pays (percent), or
    pub share: Option<Decimal>,
    /// a fixed amount.
    pub amount: Option<Decimal>,
    /// A child meeting any one of these is eligible.
    pub criteria: Vec<crate::input::Criterion>,
    /// Confidence grade.
    pub grade: Grade,
    /// Source.
    pub source: Source,
    /// Note.
    pub note: Option<String>,
}

/// A value found by a lookup, with everything its explanation needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'a> {
    /// The parameter.
    pub parameter: &'a Parameter,
    /// The entry that holds on the date.
    pub entry: &'a Entry,
    /// The value.
    pub value: Decimal,
    /// The date it was looked up for.
    pub date: Date,
}

impl Found<'_> {
    /// The origin to cite in an explanation.
    pub fn origin(&self) -> Origin {
        Origin::Reference {
            parameter: self.parameter.id.clone(),
            from: self.entry.from,
            until: self.entry.until,
            source: self.entry.source.clone(),
            grade: self.entry.grade.unwrap_or(Grade::Confirmed),
            note: self.entry.note.clone(),
            last_confirmed: self.beyond_confirmed(),
        }
    }

    /// The last day the source confirmed the value, where it is used after that day (it
    /// continues, but nobody has said so for this date).
    pub fn beyond_confirmed(&self) -> Option<Date> {
        self.entry.confirmed.filter(|c| self.date > *c)
    }

    /// The value as a quantity, with the price year of a money value: the entry's own where it
    /// names one (a published average at a given year's prices), otherwise the financial year of
    /// the date looked up (a fee is a price in the year it is paid).
    pub fn quantity(&self) -> Quantity {
        let price_year = if self.parameter.unit.is_money() {
            Some(self.entry.price_year.unwrap_or_else(|| FinancialYear::of(self.date)))
        } else {
            None
        };
        Quantity { value: self.value, unit: self.parameter.unit, price_year }
    }
}

/// All the embedded reference data.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reference {
    /// Parameters by id.
    pub parameters: BTreeMap<String, Parameter>,
    /// Contribution schemes.
    pub schemes: Vec<Scheme>,
    /// The day the data was last checked against its sources: the latest of its files'.
    #[serde(default, with = "crate::text::opt_date")]
    pub reviewed: Option<Date>,
    /// The latest fee year each nation's schedules cover ([`Nation::ALL`] order), worked out
    /// once: every child row of a batch asks.
    #[serde(skip)]
    latest_fee_years: [Option<crate::money::FinancialYear>; 4],
}

static EMBEDDED: OnceLock<Result<Reference>> = OnceLock::new();

/// One reference file, parsed and checked.
struct ParsedFile {
    reviewed: Date,
    parameters: Vec<Parameter>,
    schemes: Vec<Scheme>,
}

/// Parses and checks one reference file: every value against the one before it, every source
/// defined, no parameter twice.
fn parse_file(name: &str, text: &str, format: TextFormat) -> Result<ParsedFile> {
    let bad = |message: String| Error::Reference { file: name.to_string(), message };
    let def = crate::text::to_tree(text, format)
        .and_then(|tree| crate::text::read_tree(&tree, format, file_def))
        .map_err(|e| bad(e.to_string()))?;
    if def.title.trim().is_empty() {
        return Err(bad("the file has no title".into()));
    }
    let source = |key: &str| {
        def.sources
            .get(key)
            .cloned()
            .ok_or_else(|| bad(format!("source `{key}` is not defined under [sources]")))
    };
    let mut parameters: Vec<Parameter> = Vec::with_capacity(def.parameter.len());
    for p in def.parameter {
        if parameters.iter().any(|q| q.id == p.id) {
            return Err(bad(format!("parameter {} is defined twice", p.id)));
        }
        let mut values: Vec<Entry> = Vec::with_capacity(p.values.len());
        for v in p.values {
            let here = format!("parameter {} from {}", p.id, v.from);
            let src = source(&v.source)?;
            values.push(entry(v, values.last(), src).map_err(|e| bad(format!("{here}: {e}")))?);
        }
        if values.is_empty() {
            return Err(bad(format!("parameter {} has no values", p.id)));
        }
        parameters.push(Parameter { id: p.id, label: p.label, unit: p.unit, file: name.to_string(), values });
    }
    let mut schemes = Vec::with_capacity(def.scheme.len());
    for s in def.scheme {
        let src = source(&s.source)?;
        schemes.push(scheme(s, src).map_err(bad)?);
    }
    Ok(ParsedFile { reviewed: def.reviewed, parameters, schemes })
}

/// The line (from 1) of each of a parameter's values in a file's text: the lines after the
/// one naming the id that start a value (`{ from =` in TOML, `"from"` in JSON), in order.
/// `None` for each where the text is laid out otherwise (one line of JSON, say).
fn value_lines(text: &str, id: &str, count: usize) -> Vec<Option<usize>> {
    let quoted = format!("\"{id}\"");
    let mut found = Vec::with_capacity(count);
    let mut lines = text.lines().enumerate().skip_while(|(_, l)| !l.contains(&quoted));
    if lines.next().is_some() {
        for (i, l) in lines {
            let t = l.trim_start();
            if t.starts_with("id") || t.contains("\"id\"") {
                break;
            }
            if t.contains("from")
                && (t.starts_with('{') || t.starts_with("\"from\"") || t.starts_with("from"))
            {
                found.push(Some(i + 1));
                if found.len() == count {
                    break;
                }
            }
        }
    }
    if found.len() != count {
        return vec![None; count];
    }
    found
}

/// Whether an id names a fee band: `fee.<nation>.<provider>.<children>`.
fn is_fee_band(id: &str) -> bool {
    let parts: Vec<&str> = id.split('.').collect();
    matches!(parts.as_slice(), ["fee", nation, provider, n]
        if crate::input::Nation::ALL.iter().any(|x| x.id() == *nation)
            && [crate::input::Provider::Vaa, crate::input::Provider::La].iter().any(|p| p.id() == *provider)
            && n.parse::<u32>().is_ok_and(|n| (1..=20).contains(&n)))
}

/// A parameter's value, checked on its own and against the value before it; what is wrong, in
/// words.
fn entry(v: ValueDef, prev: Option<&Entry>, source: Source) -> std::result::Result<Entry, String> {
    match (&v.value, &v.missing) {
        (Some(_), None) if v.grade.is_none() => return Err("a value needs a grade".into()),
        (Some(x), None) if x.is_sign_negative() => return Err(format!("negative value {x}")),
        (Some(_), None) | (None, Some(_)) => {}
        _ => return Err("give exactly one of `value` and `missing`".into()),
    }
    if let Some(until) = v.until
        && until < v.from
    {
        return Err(format!("until {until} is before from"));
    }
    if let Some(confirmed) = v.confirmed {
        if v.value.is_none() || v.until.is_some() {
            return Err(
                "`confirmed` is for a value that continues: give it with `value` and no `until`".into()
            );
        }
        if confirmed < v.from {
            return Err(format!("confirmed {confirmed} is before from"));
        }
    }
    if let Some(prev) = prev {
        if v.from <= prev.from {
            return Err("values are not in date order".into());
        }
        if prev.until.is_some_and(|u| u >= v.from) {
            return Err("overlaps the value before".into());
        }
    }
    Ok(Entry {
        from: v.from,
        until: v.until,
        confirmed: v.confirmed,
        value: v.value,
        missing: v.missing,
        grade: v.grade,
        source,
        note: v.note,
        price_year: v.price_year,
    })
}

/// A contribution scheme, checked; what is wrong, in words.
fn scheme(s: SchemeDef, source: Source) -> std::result::Result<Scheme, String> {
    if s.share.is_some() == s.amount.is_some() {
        return Err(format!("scheme {}: give exactly one of share and amount", s.id));
    }
    if s.until < s.from || s.criteria.is_empty() {
        return Err(format!("scheme {}: bad dates or no criteria", s.id));
    }
    Ok(Scheme {
        id: s.id,
        name: s.name,
        nation: s.nation,
        from: s.from,
        until: s.until,
        share: s.share,
        amount: s.amount,
        criteria: s.criteria,
        grade: s.grade,
        source,
        note: s.note,
    })
}

impl Reference {
    /// The reference data embedded in this build, parsed and checked once.
    pub fn embedded() -> Result<&'static Reference> {
        EMBEDDED
            .get_or_init(|| {
                let files = FILES.iter().map(|(name, text)| {
                    embedded::decode(name, text).map(|f| (*name, f)).ok_or_else(|| Error::Reference {
                        file: (*name).to_string(),
                        message: "the embedded data does not decode (the test suite reads it checked)".into(),
                    })
                });
                Reference::from_parsed(files)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and checks a set of reference files (name, text), all in one format.
    pub fn from_files(files: &[(&str, &str)], format: TextFormat) -> Result<Reference> {
        Reference::from_parsed(files.iter().map(|(name, text)| Ok((*name, parse_file(name, text, format)?))))
    }

    /// The reference data of files already read (name, file), no parameter in two of them.
    fn from_parsed<'n>(files: impl Iterator<Item = Result<(&'n str, ParsedFile)>>) -> Result<Reference> {
        let mut out = Reference::default();
        for file in files {
            let (name, file) = file?;
            out.reviewed = out.reviewed.max(Some(file.reviewed));
            for param in file.parameters {
                if out.parameters.contains_key(&param.id) {
                    return Err(Error::Reference {
                        file: name.to_string(),
                        message: format!("parameter {} is defined twice", param.id),
                    });
                }
                out.parameters.insert(param.id.clone(), param);
            }
            out.schemes.extend(file.schemes);
        }
        out.latest_fee_years = crate::input::Nation::ALL.map(|n| out.latest_covered(n));
        Ok(out)
    }

    /// This reference data with a user's own reference file laid over it: a file in the format
    /// of `core/reference/*.toml`, checked the same way. Each of its parameters replaces the
    /// values this data holds from the user's first `from` on (the value in force that day
    /// ends the day before); a parameter this data does not have may be added only as a fee
    /// band (`fee.<nation>.<provider>.<children>`), so a mistyped id is refused, not ignored.
    /// Every value of the file is cited as the user's, with the file and line.
    pub fn with_user_file(&self, name: &str, text: &str, format: TextFormat) -> Result<Reference> {
        let bad = |message: String| Error::UserReference { file: name.to_string(), message };
        let file = parse_file(name, text, format).map_err(|e| match e {
            Error::Reference { message, .. } => bad(message),
            other => other,
        })?;
        let mut parameters = file.parameters;
        for param in &mut parameters {
            let lines = value_lines(text, &param.id, param.values.len());
            for (v, line) in param.values.iter_mut().zip(lines) {
                let at = line.map_or_else(
                    || format!("parameter {} from {}", param.id, v.from),
                    |l| format!("line {l}"),
                );
                v.source.title = format!("your reference file {name}, {at}: {}", v.source.title);
            }
        }
        let mut out = self.overlay(parameters).map_err(bad)?;
        out.schemes.extend(file.schemes);
        Ok(out)
    }

    /// This reference data with the rows of a workbook's Reference sheet laid over it, as
    /// [`Reference::with_user_file`] lays a file: a parameter's rows (in date order) replace its
    /// values from the first row's date on; each value is cited with the row's place. Only
    /// amounts in pounds: rates have their own fields on the agency. The error names the row.
    pub fn with_user_rows(&self, rows: &[UserRow]) -> std::result::Result<Reference, UserRowError> {
        let mut parameters: Vec<Parameter> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let bad = |message: String| UserRowError { row: i, message };
            let unit = match self.parameters.get(&r.id) {
                Some(held) => held.unit,
                None if is_fee_band(&r.id) => Unit::Gbp,
                None => {
                    return Err(bad(format!(
                        "no parameter `{}` in the reference data (a new one may only be a fee band, fee.<nation>.<provider>.<children>); `adoptcost fees` lists the ids",
                        r.id
                    )));
                }
            };
            if !unit.is_money() {
                return Err(bad(format!(
                    "`{}` is not an amount in pounds: rates are the agency's own inputs on the Agencies sheet",
                    r.id
                )));
            }
            let def = ValueDef {
                from: r.from,
                until: r.until,
                confirmed: None,
                value: Some(r.value),
                missing: None,
                grade: Some(r.grade),
                source: String::new(),
                note: (!r.notes.trim().is_empty()).then(|| r.notes.clone()),
                price_year: None,
            };
            let source = Source { title: format!("your {}: {}", r.place, r.source), url: None };
            let param = match parameters.iter_mut().position(|p| p.id == r.id) {
                Some(k) => &mut parameters[k],
                None => {
                    let label = self.parameters.get(&r.id).map_or_else(|| r.id.clone(), |p| p.label.clone());
                    parameters.push(Parameter {
                        id: r.id.clone(),
                        label,
                        unit,
                        file: "Reference sheet".into(),
                        values: Vec::new(),
                    });
                    parameters.last_mut().expect("just pushed")
                }
            };
            let value = entry(def, param.values.last(), source).map_err(|e| bad(format!("{}: {e}", r.id)))?;
            param.values.push(value);
        }
        self.overlay(parameters).map_err(|message| UserRowError { row: 0, message })
    }

    /// This data with the user's parameters laid over it (their values already cited): each
    /// replaces the values held from its first `from` on, the value in force that day ending
    /// the day before; a parameter not held may only be a fee band.
    fn overlay(&self, parameters: Vec<Parameter>) -> std::result::Result<Reference, String> {
        let mut out = self.clone();
        for param in parameters {
            match out.parameters.get_mut(&param.id) {
                Some(held) => {
                    if held.unit != param.unit {
                        return Err(format!(
                            "parameter {}: unit {:?} where the reference data has {:?}",
                            param.id, param.unit, held.unit
                        ));
                    }
                    let first = param.values[0].from;
                    held.values.retain(|v| v.from < first);
                    if let Some(last) = held.values.last_mut() {
                        let day_before = first.yesterday().unwrap_or(first);
                        last.until = Some(last.until.map_or(day_before, |u| u.min(day_before)));
                        last.confirmed = last.confirmed.map(|c| c.min(day_before));
                    }
                    held.values.extend(param.values);
                }
                None if is_fee_band(&param.id) => {
                    out.parameters.insert(param.id.clone(), param);
                }
                None => {
                    return Err(format!(
                        "no parameter `{}` in the reference data (a new one may only be a fee band, fee.<nation>.<provider>.<children>); see `adoptcost fees` for the ids",
                        param.id
                    ));
                }
            }
        }
        out.latest_fee_years = crate::input::Nation::ALL.map(|n| out.latest_covered(n));
        Ok(out)
    }

    /// The latest fee year the reference data covers for a nation: the year of the last
    /// `until` among the nation's fee parameters.
    pub fn latest_fee_year(&self, nation: crate::input::Nation) -> Option<crate::money::FinancialYear> {
        self.latest_fee_years[nation as usize]
    }

    /// [`Reference::latest_fee_year`] worked out: read once, when the data is loaded.
    fn latest_covered(&self, nation: crate::input::Nation) -> Option<crate::money::FinancialYear> {
        let prefix = format!("fee.{}.", nation.id());
        self.parameters
            .values()
            .filter(|p| p.id.starts_with(&prefix) && !p.id.ends_with(".monthly"))
            .flat_map(|p| p.values.iter())
            .filter(|v| v.value.is_some())
            .filter_map(|v| v.until)
            .max()
            .map(crate::money::FinancialYear::of)
    }

    /// The parameter with this id.
    pub fn parameter(&self, id: &str) -> Option<&Parameter> {
        self.parameters.get(id)
    }

    /// The value of a parameter on a date.
    ///
    /// `what` names the figure for the error and `field` the input that can supply it instead.
    pub fn lookup(&self, id: &str, date: Date, what: &str, field: &str) -> Result<Found<'_>> {
        let parameter = self.parameters.get(id).ok_or_else(|| Error::Reference {
            file: "(any)".into(),
            message: format!("no parameter `{id}`"),
        })?;
        let values = &parameter.values;
        let Some(i) = values.iter().rposition(|v| v.from <= date) else {
            return Err(Error::ReferenceNotYet {
                what: what.into(),
                date,
                first_day: values[0].from,
                field: field.into(),
            });
        };
        let entry = &values[i];
        if let Some(until) = entry.until
            && date > until
        {
            return match values.get(i + 1) {
                Some(next) => Err(Error::ReferenceGap {
                    what: what.into(),
                    date,
                    gap_from: until.tomorrow().unwrap_or(until),
                    gap_until: format!(" to {}", next.from.yesterday().unwrap_or(next.from)),
                    note: "no value is published for these dates".into(),
                    field: field.into(),
                }),
                None => Err(Error::ReferenceEnded {
                    what: what.into(),
                    date,
                    last_day: until,
                    last_year: FinancialYear::of(until),
                    field: field.into(),
                }),
            };
        }
        match entry.value {
            Some(value) => Ok(Found { parameter, entry, value, date }),
            None => Err(Error::ReferenceGap {
                what: what.into(),
                date,
                gap_from: entry.from,
                gap_until: entry.until.map(|u| format!(" to {u}")).unwrap_or_default(),
                note: entry.missing.clone().unwrap_or_default(),
                field: field.into(),
            }),
        }
    }

    /// The latest value of a parameter that is not a gap and starts on or before `date`: the
    /// amount an uplift starts from where the date's own is not published.
    pub fn latest_before(&self, id: &str, date: Date) -> Option<Found<'_>> {
        let parameter = self.parameters.get(id)?;
        let entry = parameter.values.iter().rev().filter(|v| v.from <= date).find(|v| v.value.is_some())?;
        Some(Found { parameter, entry, value: entry.value?, date: entry.until.unwrap_or(entry.from) })
    }

    /// The latest value of a parameter that is not a gap (for defaults such as a typical wait).
    pub fn latest(&self, id: &str) -> Option<Found<'_>> {
        let parameter = self.parameters.get(id)?;
        let entry = parameter.values.iter().rev().find(|v| v.value.is_some())?;
        Some(Found { parameter, entry, value: entry.value?, date: entry.until.unwrap_or(entry.from) })
    }
}

pub mod rows;

mod embedded;
#[cfg(test)]
mod tests;
