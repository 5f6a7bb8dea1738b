//! Every embedded reference file loads and validates; lookups honour dates, gaps and coverage.

use super::*;
use jiff::civil::date;
use rust_decimal::dec;

fn reference() -> &'static Reference {
    Reference::embedded().expect("the embedded reference data is valid")
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn every_embedded_file_loads_and_validates() {
    for (name, text) in FILES {
        Reference::from_files(&[(name, text)], TextFormat::Json).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let r = reference();
    assert!(r.parameters.len() >= 30);
    for p in r.parameters.values() {
        for v in &p.values {
            assert!(!v.source.title.is_empty(), "{} has a value with no source", p.id);
            if v.value.is_some() {
                assert!(v.grade.is_some(), "{} has a value with no grade", p.id);
            } else {
                assert!(v.missing.as_deref().is_some_and(|m| !m.is_empty()), "{}: a gap says why", p.id);
            }
        }
    }
}

/// The embedded data as the library decodes it at run time (unchecked) is what the checked
/// reading a user's file gets makes of the same files: so every check holds for the shipped
/// data, and the decoding misses nothing.
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_embedded_data_decodes_as_the_checked_reading_reads_it() {
    let checked =
        Reference::from_files(FILES, TextFormat::Json).expect("the shipped data passes every check");
    assert_eq!(reference(), &checked);
    for (name, json) in FILES {
        let one = parse_file(name, json, TextFormat::Json).expect("checked");
        let decoded = embedded::decode(name, json).expect("decodes");
        assert_eq!(decoded.reviewed, one.reviewed, "{name}");
        assert_eq!(decoded.parameters, one.parameters, "{name}");
        assert_eq!(decoded.schemes, one.schemes, "{name}");
    }
}

/// Each published fee a regulation line can name is a money figure of the shipped data, in force
/// from 2025/26 (the 2025 Ofsted amendment), and the record does not reach back before it.
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn every_regulation_fee_a_line_can_name_is_shipped() {
    let r = reference();
    for choice in crate::input::REGULATION_FEES {
        let p = r.parameter(choice.id).unwrap_or_else(|| panic!("{} is not shipped", choice.id));
        assert_eq!(p.unit, Unit::Gbp, "{}", choice.id);
        let f = r.lookup(choice.id, date(2025, 4, 1), "fee", "amount").expect("in force in 2025/26");
        assert!(f.value > Decimal::ZERO);
        assert!(r.lookup(choice.id, date(2025, 3, 31), "fee", "amount").is_err(), "{}", choice.id);
    }
    let annual = r.lookup("ofsted.vaa.annual", date(2026, 4, 1), "fee", "amount").expect("holds on");
    assert_eq!(annual.value, dec!(2943));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_2025_26_fees() {
    let r = reference();
    let f = r.lookup("fee.england.vaa.1", date(2025, 9, 1), "fee", "fee").expect("2025/26 VAA");
    assert_eq!(f.value, dec!(39245));
    assert_eq!(f.entry.grade, Some(Grade::Confirmed));
    let la = r.lookup("fee.england.la.1", date(2025, 9, 1), "fee", "fee").expect("2025/26 LA");
    assert_eq!(la.value, dec!(27000));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_value_holds_until_the_next_one() {
    let r = reference();
    let f = r.lookup("fee.england.vaa.1", date(2016, 1, 1), "fee", "fee").expect("2011 value holds");
    assert_eq!(f.value, dec!(27000));
    let ni = r.lookup("employer_ni.rate", date(2030, 1, 1), "ni", "ni").expect("NI holds until changed");
    assert_eq!(ni.value, dec!(15));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_gap_is_an_error_naming_the_gap() {
    let e = reference().lookup("fee.england.vaa.1", date(2022, 6, 1), "fee", "fee").expect_err("gap");
    let msg = e.to_string();
    assert!(msg.contains("gap from 2020-04-01 to 2025-03-31"), "{msg}");
    assert!(msg.contains("CPIH"), "{msg}");
    assert_eq!(e.field(), Some("fee"));
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_fee_year_not_yet_published_is_an_error_saying_how_it_is_uprated() {
    let e = reference().lookup("fee.england.vaa.1", date(2026, 4, 1), "fee", "fee").expect_err("missing");
    assert!(matches!(e, Error::ReferenceGap { .. }), "{e}");
    assert!(e.to_string().contains("3.6% in the 12 months to December 2025"), "{e}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn after_the_last_fee_year_is_an_error_not_a_carried_forward_amount() {
    let e = reference().lookup("fee.wales.vaa.1", date(2021, 4, 1), "fee", "fee").expect_err("ended");
    assert!(matches!(e, Error::ReferenceEnded { last_year: FinancialYear(2019), .. }), "{e}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_value_its_source_says_continues_holds_past_its_last_confirmation_and_says_so() {
    let r = reference();
    let within = r.lookup("fee.england.la.1", date(2026, 3, 31), "fee", "fee").expect("2025/26");
    assert_eq!(within.beyond_confirmed(), None);
    let after = r.lookup("fee.england.la.1", date(2026, 12, 6), "fee", "fee").expect("continues");
    assert_eq!(after.value, dec!(27000));
    assert_eq!(after.beyond_confirmed(), Some(date(2026, 3, 31)));
    assert!(
        after.origin().describe().contains("last confirmed for 2025/26"),
        "{}",
        after.origin().describe()
    );
}

#[cfg(feature = "toml")]
const USERS: &str = "title = \"Our fees\"\nreviewed = 2026-12-06\n[sources]\nours = { title = \"Finance working\" }\n\n[[parameter]]\nid = \"fee.england.vaa.1\"\nlabel = \"VAA, one child\"\nunit = \"gbp\"\nvalues = [\n  { from = 2026-04-01, until = 2027-03-31, value = 40657.82, grade = \"inferred\", source = \"ours\" },\n]\n";

#[cfg(feature = "toml")]
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_users_file_adds_a_fee_year_cited_as_theirs_with_the_line() {
    let r = reference().with_user_file("ours.toml", USERS, TextFormat::Toml).expect("the user's file");
    let f = r.lookup("fee.england.vaa.1", date(2026, 12, 6), "fee", "fee").expect("2026/27 from the file");
    assert_eq!(f.value, dec!(40657.82));
    assert_eq!(f.entry.source.title, "your reference file ours.toml, line 11: Finance working");
    // The shipped years before it are untouched.
    let before = r.lookup("fee.england.vaa.1", date(2025, 12, 6), "fee", "fee").expect("2025/26");
    assert_eq!(before.value, dec!(39245));
    assert_eq!(r.latest_fee_year(crate::input::Nation::England), Some(FinancialYear(2026)));
}

#[cfg(feature = "toml")]
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_users_row_replaces_a_continuing_value_from_its_date() {
    let text = USERS.replace("fee.england.vaa.1", "fee.england.la.1").replace("40657.82", "28000");
    let r = reference().with_user_file("ours.toml", &text, TextFormat::Toml).expect("the user's file");
    let old = r.lookup("fee.england.la.1", date(2026, 3, 31), "fee", "fee").expect("2025/26");
    assert_eq!(old.value, dec!(27000));
    let new = r.lookup("fee.england.la.1", date(2026, 4, 1), "fee", "fee").expect("2026/27");
    assert_eq!(new.value, dec!(28000));
}

#[cfg(feature = "toml")]
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_users_file_that_does_not_fit_is_refused_with_the_reason() {
    let cases = [
        (USERS.replace("fee.england.vaa.1", "fee.englnd.vaa.1"), "no parameter `fee.englnd.vaa.1`"),
        (
            USERS.replace("fee.england.vaa.1", "care.weekly.ifa"),
            "unit Gbp where the reference data has GbpPerWeek",
        ),
        (USERS.replace(", grade = \"inferred\"", ""), "a value needs a grade"),
        (USERS.replace("source = \"ours\" }", "source = \"theirs\" }"), "source `theirs` is not defined"),
        (
            USERS.replace("until = 2027-03-31", "until = 2027-03-31, confirmed = 2027-03-31"),
            "`confirmed` is for a value that continues",
        ),
        (USERS.replace("reviewed = 2026-12-06\n", ""), "reviewed"),
    ];
    for (text, want) in cases {
        let e = reference().with_user_file("ours.toml", &text, TextFormat::Toml).expect_err(want);
        assert!(matches!(e, Error::UserReference { .. }), "{e}");
        assert!(!e.is_internal(), "{e}");
        let msg = e.to_string();
        assert!(msg.starts_with("reference file ours.toml: ") && msg.contains(want), "{msg}");
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn before_the_record_is_an_error() {
    let e = reference()
        .lookup("employer_ni.rate", date(2023, 1, 1), "NI", "on_costs.ni_rate")
        .expect_err("before");
    assert!(matches!(e, Error::ReferenceNotYet { .. }), "{e}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_gap_between_values_with_until_dates_is_an_error() {
    // Scotland's 2016 bands end 2017-03-31; the next entry starts 2019-04-01.
    let e = reference().lookup("fee.scotland.vaa.2", date(2018, 1, 1), "fee", "fee").expect_err("gap");
    assert!(e.to_string().contains("gap from 2017-04-01 to 2019-03-31"), "{e}");
}

#[cfg(feature = "toml")]
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn malformed_files_are_rejected() {
    // The same file, well formed, is accepted: each case below breaks it in one way only.
    let good = "title = \"t\"\nreviewed = 2026-01-01\n[sources]\ns = { title = \"s\" }\n[[parameter]]\nid = \"x\"\nlabel = \"x\"\nunit = \"gbp\"\nvalues = [{ from = 2020-01-01, value = 1, grade = \"confirmed\", source = \"s\" }]\n";
    let r = Reference::from_files(&[("good.toml", good)], TextFormat::Toml).expect("a well-formed file");
    assert_eq!(r.reviewed, Some(date(2026, 1, 1)));
    let bad = [
        ("no reviewed date", "title = \"t\"\n"),
        ("unknown key", "title = \"t\"\nreviewed = 2026-01-01\ncolour = 1\n"),
        (
            "value without grade",
            "title = \"t\"\nreviewed = 2026-01-01\n[sources]\ns = { title = \"s\" }\n[[parameter]]\nid = \"x\"\nlabel = \"x\"\nunit = \"gbp\"\nvalues = [{ from = 2020-01-01, value = 1, source = \"s\" }]\n",
        ),
        (
            "unknown unit",
            "title = \"t\"\nreviewed = 2026-01-01\n[sources]\ns = { title = \"s\" }\n[[parameter]]\nid = \"x\"\nlabel = \"x\"\nunit = \"furlongs\"\nvalues = [{ from = 2020-01-01, value = 1, grade = \"confirmed\", source = \"s\" }]\n",
        ),
        (
            "undefined source",
            "title = \"t\"\nreviewed = 2026-01-01\n[[parameter]]\nid = \"x\"\nlabel = \"x\"\nunit = \"gbp\"\nvalues = [{ from = 2020-01-01, value = 1, grade = \"confirmed\", source = \"nope\" }]\n",
        ),
        (
            "out of order",
            "title = \"t\"\nreviewed = 2026-01-01\n[sources]\ns = { title = \"s\" }\n[[parameter]]\nid = \"x\"\nlabel = \"x\"\nunit = \"gbp\"\nvalues = [{ from = 2021-01-01, value = 1, grade = \"confirmed\", source = \"s\" }, { from = 2020-01-01, value = 1, grade = \"confirmed\", source = \"s\" }]\n",
        ),
        (
            "both value and missing",
            "title = \"t\"\nreviewed = 2026-01-01\n[sources]\ns = { title = \"s\" }\n[[parameter]]\nid = \"x\"\nlabel = \"x\"\nunit = \"gbp\"\nvalues = [{ from = 2020-01-01, value = 1, missing = \"m\", grade = \"confirmed\", source = \"s\" }]\n",
        ),
    ];
    for (what, text) in bad {
        assert!(
            Reference::from_files(&[("bad.toml", text)], TextFormat::Toml).is_err(),
            "{what} was accepted"
        );
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn latest_covered_fee_year_for_england_is_2025_26() {
    assert_eq!(reference().latest_fee_year(crate::input::Nation::England), Some(FinancialYear(2025)));
    assert_eq!(
        crate::method::fee::top_band(reference(), crate::input::Nation::England, crate::input::Provider::La),
        Some(5)
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_fee_holding_over_many_years_is_priced_in_the_year_looked_up() {
    // Regression: the £27,000 LA/RAA fee (from 2013) was labelled with 2013/14 prices when
    // used for 2025/26.
    let f = reference().lookup("fee.england.la.1", date(2025, 9, 1), "fee", "fee").expect("holds");
    assert_eq!(f.quantity().price_year, Some(FinancialYear(2025)));
    // A published average names its own price year.
    let w = reference().latest("care.weekly.ifa").expect("IFA weekly");
    assert_eq!(w.quantity().price_year, Some(FinancialYear(2021)));
}

/// The build script turns the shipped TOML into the embedded JSON; reading the TOML here, with
/// the same reader at run time, gives the same tree, file by file.
#[cfg(feature = "toml")]
#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_embedded_json_is_the_shipped_toml() {
    let shipped = [
        include_str!("../../reference/fees.toml"),
        include_str!("../../reference/employment.toml"),
        include_str!("../../reference/waiting.toml"),
        include_str!("../../reference/regulation.toml"),
        include_str!("../../reference/volumes.toml"),
    ];
    assert_eq!(FILES.len(), shipped.len(), "every embedded file is compared");
    for ((name, json), toml) in FILES.iter().zip(shipped) {
        let from_toml = crate::text::toml_to_value(toml).expect("shipped TOML parses");
        let embedded: serde_json::Value = serde_json::from_str(json).expect("embedded JSON parses");
        assert_eq!(embedded, from_toml, "{name}");
    }
    for (json, toml) in [
        (crate::example::AGENCY_JSON, include_str!("../../../fixtures/example/agency.toml")),
        (crate::example::SCENARIO_JSON, include_str!("../../../fixtures/example/child.toml")),
        (crate::example::FORECAST_JSON, include_str!("../../../fixtures/example/forecast.toml")),
        (crate::example::VAA_JSON, include_str!("../../../fixtures/vaa/agency.toml")),
    ] {
        let embedded: serde_json::Value = serde_json::from_str(json).expect("embedded JSON parses");
        assert_eq!(embedded, crate::text::toml_to_value(toml).expect("shipped TOML parses"));
    }
}
