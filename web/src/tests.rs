//! The bindings' own logic: reading the page's document, and naming fields as the form does.
//! (Every figure's arithmetic is the library's, tested there, natively and on wasm.)

use super::*;
use wasm_bindgen_test::wasm_bindgen_test;

fn example_document() -> String {
    let s = adoptcost::example::scenario().expect("example");
    serde_json::to_string(&s.document()).expect("serialises")
}

#[wasm_bindgen_test(unsupported = test)]
fn the_example_document_compares_to_the_same_figures_as_the_command_line() {
    // The golden file is `adoptcost compare --format json` with no input.
    let golden: serde_json::Value =
        serde_json::from_str(include_str!("../../fixtures/golden/compare-example.json")).expect("golden");
    let c = compare_document(&example_document()).expect("compares");
    let workings = workings_of(&c.explanation);
    let figures = golden["explanation"]["figures"].as_array().expect("figures");
    assert_eq!(figures.len(), workings.len());
    for (g, w) in figures.iter().zip(&workings) {
        assert_eq!(g["id"], w.id.as_str());
        let value = g["result"]["value"].as_str().map(str::to_string);
        assert_eq!(value, w.value, "{}", w.id);
    }
    assert_eq!(serde_json::to_value(&c.routes).expect("routes"), golden["routes"]);
}

#[wasm_bindgen_test(unsupported = test)]
fn workings_are_the_terminal_text() {
    let c = compare_document(&example_document()).expect("compares");
    let workings = workings_of(&c.explanation);
    let w = workings.iter().find(|w| w.id == "unit.full").expect("unit.full");
    let f = c.explanation.get("unit.full").expect("figure");
    let text = w.text.as_deref().expect("with text");
    assert_eq!(text, Explanation::render_text(f));
    assert!(text.contains("cost per approval"), "{text}");
    assert_eq!(w.summary, "£49,919");
}

#[wasm_bindgen_test(unsupported = test)]
fn a_bad_number_names_its_form_field_counted_from_one() {
    let doc = example_document().replacen("\"salary\":\"72000\"", "\"salary\":\"abc\"", 1);
    assert!(doc.contains("\"abc\""), "the example's first salary is 72000");
    let p = compare_document(&doc).expect_err("rejected");
    assert_eq!(p.field.as_deref(), Some("staff[1].salary"));
    assert!(p.detail.contains("\"abc\" is not a number"), "{}", p.detail);
}

#[wasm_bindgen_test(unsupported = test)]
fn a_rule_broken_names_the_field_as_the_library_does() {
    let mut v: serde_json::Value = serde_json::from_str(&example_document()).expect("json");
    v["agency"]["activity"]["approvals"] = "0".into();
    let p = compare_document(&v.to_string()).expect_err("rejected");
    assert_eq!(p.field.as_deref(), Some("activity.approvals"));
    assert_eq!(p.detail, "0; expected approvals a year (it divides a cost): from 0.01 to 10,000,000");
}

#[wasm_bindgen_test(unsupported = test)]
fn a_document_without_an_agency_is_refused_by_name() {
    let p = scenario_of(r#"{"child": {"children": 1}}"#).expect_err("no agency");
    assert!(p.message.contains("missing field `agency`"), "{}", p.message);
}
