//! The embedded example agency and child: the default input of every command.
//!
//! The example is an illustrative mid-sized regional adoption agency. Its figures are made up to
//! be plausible, and how each was chosen is written beside them in
//! `fixtures/example/agency.toml` and `fixtures/example/README.md`.

use crate::error::Result;
use crate::input::{Agency, ChildAndRoute, Provenance, Scenario};
use crate::text::{TextFormat, from_text, json_to_value};

/// The example agency, as JSON the build script made from `fixtures/example/agency.toml` (where
/// each figure's reasoning is written beside it).
pub(crate) const AGENCY_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/example-agency.json"));

/// The example child and route, as JSON made from `fixtures/example/child.toml`.
pub(crate) const SCENARIO_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/example-child.json"));

/// How explanations name the example agency.
pub const AGENCY_SOURCE: &str = "the example agency (embedded, illustrative)";

/// How explanations name the example child.
pub const CHILD_SOURCE: &str = "the example child (embedded, illustrative)";

/// The example agency.
pub fn agency() -> Result<Agency> {
    Agency::from_text(AGENCY_JSON, TextFormat::Json, AGENCY_SOURCE)
}

/// The example scenario: the example agency and child.
pub fn scenario() -> Result<Scenario> {
    let cr = ChildAndRoute::from_text(SCENARIO_JSON, TextFormat::Json)?;
    Ok(Scenario::new(agency()?, cr, Provenance::named(CHILD_SOURCE)))
}

/// The example scenario as one document, `{agency, child, route}`, exactly as the embedded
/// files hold it: what [`scenario`] reads, in the form [`Scenario::from_tree`] reads (the
/// browser's form starts from it).
pub fn document() -> Result<serde_json::Value> {
    let mut document = json_to_value(SCENARIO_JSON)?;
    if let serde_json::Value::Object(fields) = &mut document {
        fields.insert("agency".into(), json_to_value(AGENCY_JSON)?);
    }
    Ok(document)
}

/// [`document`] as JSON text: the embedded child and route with the agency added as their
/// last key, put together as text (a caller that only hands the document on, as the browser's
/// first module does, then needs no writer of a document tree).
pub fn document_text() -> String {
    let scenario = SCENARIO_JSON.trim_end();
    let fields = scenario.strip_suffix('}').unwrap_or(scenario);
    format!("{fields},\"agency\":{AGENCY_JSON}}}")
}

/// The example VAA, as JSON made from `fixtures/vaa/agency.toml`.
pub(crate) const VAA_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/example-vaa.json"));

/// The example VAA with the example child, as one document `{agency, child, route}` (the
/// browser's form starts from it).
pub fn vaa_document() -> Result<serde_json::Value> {
    let mut document = json_to_value(SCENARIO_JSON)?;
    if let serde_json::Value::Object(fields) = &mut document {
        fields.insert("agency".into(), json_to_value(VAA_JSON)?);
    }
    Ok(document)
}

/// The example forecast, as JSON made from `fixtures/example/forecast.toml`.
pub(crate) const FORECAST_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/example-forecast.json"));

/// How explanations name the example forecast.
pub const FORECAST_SOURCE: &str = "the example forecast (embedded, illustrative)";

/// The example forecast: the children the example agency expects to place in the budget year.
pub fn forecast() -> Result<crate::analysis::Forecast> {
    from_text(FORECAST_JSON, TextFormat::Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn the_document_as_text_is_the_document() {
        let text = document_text();
        assert_eq!(json_to_value(&text).expect("reads"), document().expect("document"));
        assert_eq!(text, serde_json::to_string(&document().expect("document")).expect("writes"));
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn the_document_reads_as_the_example_scenario() {
        let read = Scenario::from_tree(&document().expect("document"), TextFormat::Json, CHILD_SOURCE)
            .expect("the document reads");
        let example = scenario().expect("example");
        let tree = |s: &Scenario| serde_json::to_value(s.document()).expect("serialises");
        assert_eq!(tree(&read), tree(&example));
        assert_eq!(read.agency.name, example.agency.name);
    }
}
