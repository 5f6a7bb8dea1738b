//! Every problem of a scenario at once, as the browser's form lists them: the values the reading
//! refuses, each set aside so the rest can be read, then every rule of the method the rest
//! breaks. Runs natively and on wasm.

use adoptcost::text::TextFormat;
use adoptcost::{Scenario, example};
use serde_json::{Value, json};

fn example_with(edits: &[(&str, Value)]) -> Value {
    let mut d = example::document().expect("the example");
    for (pointer, v) in edits {
        *d.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer} in the example")) = v.clone();
    }
    d
}

fn problems(d: &Value) -> Vec<String> {
    Scenario::document_problems(d, TextFormat::Json, "form").iter().map(ToString::to_string).collect()
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn four_bad_fields_are_named_together_in_form_order() {
    let d = example_with(&[
        ("/agency/staff/0/salary", json!("abc")),
        ("/agency/staff/1/fte", json!(-1)),
        ("/agency/staff/2/shares/a", json!(39)),
        ("/agency/activity/approvals", json!("x")),
    ]);
    let found = problems(&d);
    assert_eq!(found.len(), 4, "{found:#?}");
    // The reading's refusals first (each value set aside), then the method's rules.
    assert!(found[0].contains("agency.staff[1].salary") && found[0].contains("\"abc\""), "{found:#?}");
    assert!(found[1].contains("agency.activity.approvals") && found[1].contains("\"x\""), "{found:#?}");
    assert!(found[2].contains("staff[2].fte") && found[2].contains("negative"), "{found:#?}");
    assert!(found[3].contains("staff[3].shares") && found[3].contains("sum to exactly 100%"), "{found:#?}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_good_scenario_has_no_problems_and_one_problem_is_its_first_error() {
    assert!(problems(&example::document().expect("the example")).is_empty());
    let d = example_with(&[("/child/children", json!(0))]);
    let found = problems(&d);
    let s = Scenario::from_tree(&d, TextFormat::Json, "form").expect("read");
    let first = adoptcost::compare::compare(&s, adoptcost::Reference::embedded().expect("reference"))
        .expect_err("refused")
        .to_string();
    assert_eq!(found, vec![first]);
}
