//! End-to-end tests of the `adoptcost` binary, driven by the fixtures.
//!
//! - the worked example (`fixtures/worked/`): every figure worked out by hand matches to the penny;
//! - the golden comparison of the example agency (`fixtures/golden/`), regenerated only when
//!   `UPDATE_GOLDEN=1` is set;
//! - every bad-input case of `fixtures/bad/cases.toml`: exit code 2, the expected message, no panic;
//! - the commands' other promises (fees, explain, table output).

mod hostile;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// The day every run takes as today, so a child given no placement date is placed on a fixed
/// day of fee year 2026/27 (whose VAA fee is not published) whatever the clock says.
pub const TODAY: &str = "2026-12-06";

/// The day the filled workbook fixtures were worked for: their rows with no placement date are
/// placed in fee year 2025/26, whose fees are published (fixtures/workbooks/make.py).
const FIXTURES_DAY: &str = "2025-12-06";

fn adoptcost(args: &[&str]) -> Output {
    adoptcost_on(TODAY, args)
}

/// `adoptcost` run on `day`, taken as today.
fn adoptcost_on(day: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_adoptcost"))
        .env("ADOPTCOST_TODAY", day)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The most memory a run of a workbook case may use: every case, hostile or not, runs within
/// it, so a blow-up fails its case. util-linux's `prlimit` sets the process's data limit (its
/// heap and private mappings; a reservation the allocator never touches is not counted).
const CASE_MEMORY: u64 = 1 << 30;

fn adoptcost_within_memory(args: &[&str]) -> Output {
    adoptcost_within(CASE_MEMORY, args)
}

fn adoptcost_within(bytes: u64, args: &[&str]) -> Output {
    Command::new("prlimit")
        .arg(format!("--data={bytes}"))
        .arg(env!("CARGO_BIN_EXE_adoptcost"))
        // The workbook cases are the filled fixture's rows, broken one way each.
        .env("ADOPTCOST_TODAY", FIXTURES_DAY)
        .args(args)
        .output()
        .expect("prlimit (util-linux) runs the binary")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn json_of(args: &[&str]) -> Value {
    json_of_on(TODAY, args)
}

fn json_of_on(day: &str, args: &[&str]) -> Value {
    let out = adoptcost_on(day, args);
    assert!(out.status.success(), "adoptcost {args:?} failed: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn toml_value(path: &Path) -> Value {
    let t = std::fs::read_to_string(path).expect("fixture reads");
    adoptcost::text::toml_to_value(&t).expect("fixture parses")
}

/// The figure with this id in a comparison's JSON.
fn figure<'a>(cmp: &'a Value, id: &str) -> Option<&'a Value> {
    cmp["explanation"]["figures"].as_array()?.iter().find(|f| f["id"] == id)
}

/// Every expected figure of a fixture, checked to the penny (2 dp, half away from zero).
fn check(args: &[&str], expected: &Value) {
    let cmp = json_of(args);
    let table = expected["expected"].as_object().expect("an [expected] table");
    assert!(!table.is_empty());
    let mut failures = Vec::new();
    for (id, want) in table {
        let want = match want {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => panic!("{id}: expected value {other} is not a number"),
        };
        let Some(f) = figure(&cmp, id) else {
            failures.push(format!("{id}: no such figure"));
            continue;
        };
        let got = match f["result"]["kind"].as_str() {
            Some("value") => {
                let v: Decimal = f["result"]["value"].as_str().expect("value text").parse().expect("decimal");
                v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).normalize().to_string()
            }
            _ => "none".to_string(),
        };
        let want_norm = match want.parse::<Decimal>() {
            Ok(d) => d.normalize().to_string(),
            Err(_) => want.clone(),
        };
        if got != want_norm {
            failures.push(format!("{id}: adoptcost gives {got}, the working gives {want_norm}"));
        }
    }
    assert!(failures.is_empty(), "figures that differ from the working:\n{}", failures.join("\n"));
}

/// Checks the worked example's expected figures for an agency file (TOML or JSON).
fn check_worked(agency: &Path) {
    let dir = fixtures().join("worked");
    let child = dir.join("child.toml");
    check(
        &[
            "compare",
            "--agency",
            agency.to_str().expect("utf-8 path"),
            "--scenario",
            child.to_str().expect("utf-8 path"),
            "--format",
            "json",
            // The worked agency is a VAA, whose own view is the default: its routes are asked for.
            "--view",
            "routes",
        ],
        &toml_value(&dir.join("expected.toml")),
    );
}

#[test]
fn worked_example_matches_the_hand_working_to_the_penny() {
    check_worked(&fixtures().join("worked/agency.toml"));
}

#[test]
fn worked_sibling_group_matches_the_hand_working_to_the_penny() {
    let dir = fixtures().join("worked");
    let (agency, group) = (dir.join("agency.toml"), dir.join("siblings.toml"));
    let args = ["compare", "--format", "json", "--view", "routes", "--agency"];
    let mut args: Vec<&str> = args.to_vec();
    args.extend([agency.to_str().expect("utf-8"), "--scenario", group.to_str().expect("utf-8")]);
    check(&args, &toml_value(&dir.join("siblings.expected.toml")));
    // Every place that shows the in-house cost says it is per household.
    args.retain(|a| !["--format", "json"].contains(a));
    let o = adoptcost(&args);
    let t = text(&o.stdout);
    assert!(t.contains("by category, per household"), "{t}");
    assert!(t.contains("in-house cost of the group (3 children, sibling uplift)"), "{t}");
    assert!(t.contains("marginal (cash) cost of the group"), "{t}");
}

#[test]
fn worked_example_from_json_input_gives_the_same_figures() {
    // The same agency written as JSON, with amounts as numbers with fractions, reads exactly.
    let tmp = tempdir("json-input");
    let agency_json = tmp.join("agency.json");
    let v = toml_value(&fixtures().join("worked/agency.toml"));
    std::fs::write(&agency_json, serde_json::to_string_pretty(&v).expect("json")).expect("write");
    check_worked(&agency_json);
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("adoptcost-e2e-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn golden_comparison_of_the_example_agency() {
    let out = adoptcost(&["compare", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let golden = fixtures().join("golden/compare-example.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &out.stdout).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
        panic!("{} is missing: run UPDATE_GOLDEN=1 cargo test -p adoptcost-cli --test e2e", golden.display())
    });
    let got = text(&out.stdout);
    if got != want {
        let actual = golden.with_extension("actual.json");
        std::fs::write(&actual, &got).expect("write actual");
        panic!(
            "compare --format json differs from {}; the new output is in {}. If the change is intended, \
             regenerate with UPDATE_GOLDEN=1 cargo test -p adoptcost-cli --test e2e",
            golden.display(),
            actual.display()
        );
    }
}

#[test]
fn bad_input_gives_a_clear_error_and_exit_code_2() {
    let cases = toml_value(&fixtures().join("bad/cases.toml"));
    let tmp = tempdir("bad");
    let mut failures = Vec::new();
    for case in cases["case"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let mut written = None;
        if let Some(base) = case["base"].as_str() {
            let original = std::fs::read_to_string(fixtures().join(base)).expect("base reads");
            let from = case["replace"]["from"].as_str().expect("from");
            let to = case["replace"]["to"].as_str().expect("to");
            assert!(original.contains(from), "{name}: `{from}` is not in {base}");
            let file = tmp.join(format!("{}.{}", name.replace(' ', "-"), "toml"));
            std::fs::write(&file, original.replacen(from, to, 1)).expect("write case");
            written = Some(file);
        } else if let Some(content) = case["text"].as_str() {
            // A case may bring its whole input, named with its own extension.
            let ext = case["ext"].as_str().unwrap_or("toml");
            let file = tmp.join(format!("{}.{ext}", name.replace(' ', "-")));
            std::fs::write(&file, content).expect("write case");
            written = Some(file);
        }
        let args: Vec<String> = case["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|a| {
                let a = a.as_str().expect("arg");
                match (&written, a) {
                    (Some(f), "{agency}" | "{scenario}" | "{forecast}" | "{reference}") => {
                        f.to_string_lossy().into_owned()
                    }
                    _ => a.to_string(),
                }
            })
            .collect();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = adoptcost(&refs);
        let stderr = text(&out.stderr);
        if out.status.code() != Some(2) {
            failures.push(format!("{name}: exit code {:?}, expected 2; stderr: {stderr}", out.status.code()));
        }
        if stderr.contains("panicked") {
            failures.push(format!("{name}: panicked: {stderr}"));
        }
        if !out.stdout.is_empty() {
            failures.push(format!("{name}: wrote to stdout: {}", text(&out.stdout)));
        }
        for e in case["expect"].as_array().expect("expect") {
            let e = e.as_str().expect("expect text");
            if !stderr.contains(e) {
                failures.push(format!("{name}: stderr lacks\n    {e}\n  it was\n    {}", stderr.trim()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn compare_with_no_input_costs_the_example_against_the_2025_26_vaa_fee() {
    let out = adoptcost(&["compare"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    for want in [
        "Example Regional Adoption Agency (ILLUSTRATIVE)",
        "fee year 2025/26 (placement date 2025-10-15)",
        "£39,245",
        "CoramBAAF, Inter-agency fees, Fees 2025/26",
        "confirmed",
        "in-house first (sequential search)",
        "break-even wait",
    ] {
        assert!(t.contains(want), "compare output lacks {want:?}:\n{t}");
    }
    // Every cost category is non-zero for the example agency.
    let cmp = json_of(&["compare", "--format", "json"]);
    for cat in ["salary", "on_costs", "direct", "office", "regulation", "back_office", "capital"] {
        let v: Decimal =
            cmp["cost"]["category_totals"][cat].as_str().expect("money text").parse().expect("dec");
        assert!(v > Decimal::ZERO, "category {cat} is zero");
    }
}

#[test]
fn every_reference_figure_shown_names_its_source_and_grade() {
    let cmp = json_of(&["compare", "--format", "json"]);
    let refs = cmp["references"].as_array().expect("references");
    assert!(refs.len() >= 5);
    for r in refs {
        let o = &r["origin"];
        assert_eq!(o["kind"], "reference");
        assert!(!o["source"]["title"].as_str().unwrap_or("").is_empty(), "{r}");
        assert!(matches!(o["grade"].as_str(), Some("confirmed" | "inferred")), "{r}");
    }
}

#[test]
fn explain_one_figure_shows_its_inputs_and_origins() {
    let out = adoptcost(&["explain", "fee.schedule"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("[fee.schedule]"), "{t}");
    assert!(t.contains("£39,245.00"), "{t}");
    assert!(t.contains("reference fee.england.vaa.1, 2025-04-01 to 2026-03-31, confirmed"), "{t}");
    let all = text(&adoptcost(&["explain"]).stdout);
    assert!(all.matches("\n  result: ").count() > 100, "explain lists every figure");
}

#[test]
fn options_are_cited_as_the_origin_of_what_they_set() {
    let cmp = json_of(&["compare", "--format", "json", "--fee", "41000", "--weekly-care-cost", "£1,000"]);
    let f = figure(&cmp, "fee.schedule").expect("fee.schedule");
    assert_eq!(f["inputs"][0]["origin"]["location"], "--fee");
    assert_eq!(f["result"]["value"], "41000");
    let w = figure(&cmp, "care.weekly_per_child").expect("weekly");
    assert_eq!(w["inputs"][0]["origin"]["location"], "--weekly-care-cost");
}

#[test]
fn fees_lists_schedules_with_sources_gaps_and_filters() {
    let out = adoptcost(&["fees", "--nation", "england", "--provider", "vaa"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("fee.england.vaa.1"));
    assert!(t.contains("£39,245.00"));
    assert!(t.contains("missing"));
    assert!(!t.contains("fee.england.la.1"), "provider filter");
    assert!(!t.contains("fee.wales"), "nation filter");
    let on_date = text(&adoptcost(&["fees", "--nation", "england", "--date", "2022-06-01"]).stdout);
    assert!(on_date.contains("no published amount for 2022-06-01"), "{on_date}");
    assert!(on_date.contains("£27,000.00"), "the LA/RAA fee holds in 2022: {on_date}");
}

#[test]
fn a_contribution_scheme_applies_within_its_dates_to_an_eligible_child() {
    // A sibling group of two placed with an LA/RAA in 2016: £43,000 band, paid in full by the
    // 2015 grant (inferred share 100%).
    let cmp = json_of(&[
        "compare",
        "--format",
        "json",
        "--children",
        "2",
        "--provider",
        "la",
        "--placement-date",
        "2016-05-01",
    ]);
    let value = |id: &str| -> Decimal {
        let f = figure(&cmp, id).unwrap_or_else(|| panic!("no figure {id}"));
        f["result"]["value"].as_str().expect("value").parse().expect("decimal")
    };
    assert_eq!(value("fee.placement"), Decimal::from(43000));
    assert_eq!(value("fee.contribution"), Decimal::from(43000));
    assert_eq!(value("fee.net"), Decimal::ZERO);
}

#[test]
fn a_named_price_index_restates_amounts_to_the_fee_year() {
    let child = fixtures().join("price-index/child.toml");
    let cmp = json_of(&["compare", "--format", "json", "--scenario", child.to_str().expect("utf-8")]);
    let f = figure(&cmp, "restated.care.weekly").expect("restated weekly care");
    let v: Decimal = f["result"]["value"].as_str().expect("value").parse().expect("decimal");
    assert_eq!(v, Decimal::from(984), "£820 × 134.4 / 112");
    assert_eq!(f["result"]["price_year"], "2025/26");
    // The routes use the restated figure.
    let ext = figure(&cmp, "route.external").expect("external");
    let weekly = ext["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .find(|t| t["name"].as_str().is_some_and(|n| n.starts_with("weekly cost of care for the group")))
        .expect("weekly");
    assert_eq!(weekly["origin"]["id"], "restated.care.weekly");
    // Without an index the same amount is compared as it is, with a warning saying so.
    let plain = json_of(&["compare", "--format", "json"]);
    let warnings = plain["warnings"].as_array().expect("warnings");
    assert!(
        warnings.iter().any(|w| w.as_str().is_some_and(|w| w.contains("(2021/22 prices)"))),
        "{warnings:?}"
    );
}

#[test]
fn a_vaa_is_shown_what_a_placement_costs_it_against_the_fee_it_charges() {
    let vaa = fixtures().join("vaa/agency.toml");
    let vaa = vaa.to_str().expect("utf-8");
    let o = adoptcost(&["compare", "--agency", vaa]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let t = text(&o.stdout);
    for want in [
        "voluntary adoption agency in England, cost base 2025/26",
        "What does a placement cost us, against the fee we charge?",
        "fee we charge, one child",
        "£39,245",
        "share of the whole service the fee income covers",
        "By sibling band",
    ] {
        assert!(t.contains(want), "lacks {want:?}:\n{t}");
    }
    assert!(!t.contains("The routes, with the cost of waiting"), "a VAA is not shown a council's routes");
    // The same figures as JSON, checked against each other by plain arithmetic.
    let j = json_of(&["compare", "--agency", vaa, "--format", "json"]);
    let money = |id: &str| -> Decimal {
        let f = j["explanation"]["figures"].as_array().expect("figures").iter().find(|f| f["id"] == id);
        f.unwrap_or_else(|| panic!("no {id}"))["result"]["value"]
            .as_str()
            .expect("value")
            .parse()
            .expect("decimal")
    };
    let sales = Decimal::from(20);
    assert_eq!(money("sales.fee"), Decimal::from(39245));
    assert_eq!(money("sales.margin_full"), money("sales.fee") - money("unit.full"));
    assert_eq!(money("sales.margin_marginal"), money("sales.fee") - money("unit.marginal"));
    assert_eq!(money("sales.income"), sales * Decimal::from(39245));
    assert_eq!(money("sales.year_full"), sales * money("sales.margin_full"));
    assert_eq!(money("sales.break_even_fee"), money("unit.full"));
    assert_eq!(j["cost"]["sales"]["sales"], "20");
    // A council can still ask for the routes with the VAA's agency file.
    let o = adoptcost(&["compare", "--agency", vaa, "--view", "routes"]);
    assert!(text(&o.stdout).contains("The routes, with the cost of waiting"), "{}", text(&o.stderr));
}

// ---------------------------------------------------------------- workbooks

use calamine::{Data, Reader, open_workbook_auto};

fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut wb = open_workbook_auto(path).expect("the costed workbook opens");
    wb.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

fn cell_decimal(d: &Data) -> Decimal {
    match d {
        Data::Float(f) => format!("{f}").parse().expect("decimal"),
        Data::Int(i) => Decimal::from(*i),
        Data::DateTime(d) => format!("{}", d.as_f64()).parse().expect("serial"),
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn template_then_run_costs_every_example_row_like_compare_does() {
    let tmp = tempdir("template-run");
    let t = tmp.join("t.xlsx");
    let out = tmp.join("out.xlsx");
    let _ = std::fs::remove_file(&t);
    let o = adoptcost(&["template", t.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = adoptcost(&["run", t.to_str().expect("utf-8"), "-o", out.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("costed 5 of 5 child rows"), "{}", text(&o.stdout));

    // Row EX-01 is the example child: the workbook's cached figures equal compare's to the penny.
    let cmp = json_of(&["compare", "--format", "json"]);
    let value = |id: &str| -> Decimal {
        figure(&cmp, id).expect("figure")["result"]["value"]
            .as_str()
            .expect("value")
            .parse()
            .expect("decimal")
    };
    let p = sheet(&out, "Placements");
    let header: Vec<String> = p.rows().next().expect("header").iter().map(|d| d.to_string()).collect();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("no column {h}"));
    let row = p.rows().nth(1).expect("first placement");
    assert_eq!(row[col("Reference")].to_string(), "EX-01");
    let penny = |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    for (h, id) in [
        ("Net fee", "fee.net"),
        ("In-house cost (household + sibling uplift)", "group.in_house"),
        ("In-house route", "route.in_house"),
        ("External route", "route.external"),
        ("Difference (external − in-house)", "route.difference"),
    ] {
        assert_eq!(penny(cell_decimal(&row[col(h)])), penny(value(id)), "{h}");
    }
    // Workings holds every figure of the agency and of row EX-01 (the example comparison),
    // each equal to compare's (a percentage as a fraction), with a row per input below it.
    let w = sheet(&out, "Workings");
    let mut checked = 0;
    for r in w.rows().skip(1) {
        let id = r[2].to_string();
        let child_row = r[1].to_string();
        if id.is_empty() || !(child_row.is_empty() || child_row == "2") {
            continue;
        }
        let f = figure(&cmp, &id).unwrap_or_else(|| panic!("Workings figure {id} is not in compare's"));
        let Some(v) = f["result"]["value"].as_str() else { continue };
        // A fee year or a date is written as it reads (2025/26), not as a number.
        if f["result"]["unit"] == "fee_year" {
            assert_eq!(
                r[7].to_string(),
                format!("{v}/{:02}", (v.parse::<u32>().expect("year") + 1) % 100),
                "{id}"
            );
            continue;
        }
        let mut want: Decimal = v.parse().expect("decimal");
        if f["result"]["unit"] == "percent" {
            want /= Decimal::ONE_HUNDRED;
        }
        let got = cell_decimal(&r[7]);
        assert!(
            (got - want).abs() <= Decimal::new(1, 9) * want.abs().max(Decimal::ONE),
            "{id}: {got} != {want}"
        );
        checked += 1;
    }
    assert!(checked > 150, "only {checked} Workings figures checked");
    let errors = sheet(&out, "Errors");
    assert_eq!(errors.rows().nth(1).expect("a row")[0].to_string(), "No errors: every row was costed.");
    // The note written on a row comes back on it, apart from the tool's own warnings.
    let ex03 = p.rows().find(|r| r[col("Reference")] == "EX-03").expect("EX-03");
    assert_eq!(
        ex03[col("Your notes")].to_string(),
        "Brothers, to be placed together; an in-house search first"
    );
    assert!(!ex03[col("Warnings")].to_string().contains("Brothers"));
    let rows = json_of(&["run", t.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(rows[2]["notes"], "Brothers, to be placed together; an in-house search first");
}

#[test]
fn a_price_index_on_its_sheet_restates_every_row_as_a_scenario_file_does() {
    let tmp = tempdir("price-index");
    let book = tmp.join("index.xlsx");
    std::fs::write(&book, hostile::make("price-index")).expect("write");
    let rows = json_of(&["run", book.to_str().expect("utf-8"), "--format", "json"]);
    // EX-01 gives no weekly cost: the published £820 (2021/22 prices) × 134.4 / 112 = £984.
    assert_eq!(rows[0]["reference"], "EX-01");
    let weekly: Decimal = rows[0]["weekly_care_cost"].as_str().expect("money").parse().expect("decimal");
    assert_eq!(weekly, Decimal::from(984));
    // The same child and index through compare.
    let cmp = json_of(&[
        "compare",
        "--format",
        "json",
        "--scenario",
        fixtures().join("price-index/child.toml").to_str().expect("utf-8"),
    ]);
    let f = figure(&cmp, "restated.care.weekly").expect("restated");
    assert_eq!(
        f["result"]["value"].as_str().map(|v| v.parse::<Decimal>().expect("decimal")),
        Some(Decimal::from(984))
    );
}

#[test]
fn run_never_writes_over_its_input_and_template_never_over_a_file() {
    let tmp = tempdir("guards");
    let t = tmp.join("t.xlsx");
    let _ = std::fs::remove_file(&t);
    assert!(adoptcost(&["template", t.to_str().expect("utf-8")]).status.success());
    let before = std::fs::read(&t).expect("template");
    let o = adoptcost(&["run", t.to_str().expect("utf-8"), "-o", t.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("run never writes over its input"));
    let o = adoptcost(&["template", t.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&t).expect("still there"), before, "the input is untouched");
}

#[test]
fn an_unreadable_workbook_fails_with_exit_2_and_writes_nothing() {
    let tmp = tempdir("unreadable");
    let bad = tmp.join("bad.xlsx");
    std::fs::write(&bad, b"not a spreadsheet at all").expect("write");
    let out = tmp.join("out.xlsx");
    let _ = std::fs::remove_file(&out);
    let o = adoptcost(&["run", bad.to_str().expect("utf-8"), "-o", out.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("cannot be read as a spreadsheet"), "{}", text(&o.stderr));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn every_workbook_fixture_gives_its_expected_result() {
    let dir = fixtures().join("workbooks");
    let cases = toml_value(&dir.join("cases.toml"));
    let tmp = tempdir("workbook-cases");
    let mut failures = Vec::new();
    for case in cases["case"].as_array().expect("cases") {
        // A fixture's file, or a workbook made for the case (tests/e2e/hostile.rs).
        let (file, input) = match (case["file"].as_str(), case["make"].as_str()) {
            (Some(f), _) => (f.to_string(), dir.join(f)),
            (None, Some(m)) => {
                let path = tmp.join(format!("{m}.xlsx"));
                std::fs::write(&path, hostile::make(m)).expect("the case's workbook is written");
                (m.to_string(), path)
            }
            (None, None) => panic!("a case names a file or a workbook to make"),
        };
        let file = file.as_str();
        // A case may name a file elsewhere under fixtures/ (a fuzzer's finding): the output is
        // named for the file alone, inside the temporary folder.
        let name = Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or(file);
        let out = tmp.join(format!("{name}.costed.xlsx"));
        let _ = std::fs::remove_file(&out);
        let extra: Vec<&str> =
            case["args"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let csv = extra.contains(&"csv");
        let mut args = vec!["run", input.to_str().expect("utf-8")];
        if !csv {
            args.extend(["-o", out.to_str().expect("utf-8")]);
        }
        args.extend(&extra);
        let o = adoptcost_within_memory(&args);
        let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
        let want_exit = case["exit"].as_i64().expect("exit") as i32;
        if o.status.code() != Some(want_exit) {
            failures.push(format!("{file}: exit {:?}, expected {want_exit}: {all}", o.status.code()));
        }
        if all.contains("panicked") {
            failures.push(format!("{file}: panicked: {all}"));
        }
        for e in case["expect"].as_array().expect("expect") {
            let e = e.as_str().expect("text");
            if !all.contains(e) {
                failures.push(format!("{file}: output lacks\n    {e}\n  it was\n    {}", all.trim()));
            }
        }
        for e in case["lacks"].as_array().into_iter().flatten() {
            let e = e.as_str().expect("text");
            if all.contains(e) {
                failures.push(format!("{file}: output has\n    {e}"));
            }
        }
        if csv {
            continue;
        }
        match case["costed"].as_i64() {
            Some(n) => {
                if !out.exists() {
                    failures.push(format!("{file}: no costed workbook written"));
                    continue;
                }
                // Every child row is on Placements; those not costed say so and point at
                // their errors, each of which is on the Errors sheet.
                let placed = sheet(&out, "Placements");
                let notes = placed.rows().next().and_then(|h| h.iter().position(|c| c == "Warnings"));
                let notes = notes.expect("Placements has a Warnings column");
                let not_costed: Vec<String> = placed
                    .rows()
                    .skip(1)
                    .map(|r| r[notes].to_string())
                    .filter(|n| n.starts_with("Not costed: see the Errors sheet ("))
                    .collect();
                let rows = placed.rows().count() - 1 - not_costed.len();
                if rows != n as usize {
                    failures.push(format!("{file}: {rows} placements costed, expected {n}"));
                }
                let errors = sheet(&out, "Errors");
                let cells: Vec<String> =
                    errors.rows().skip(1).map(|r| format!("{}!{}", r[0], r[1])).collect();
                for cell in not_costed.iter().flat_map(|n| {
                    n.trim_start_matches("Not costed: see the Errors sheet (")
                        .trim_end_matches(").")
                        .split(", ")
                        .map(|c| c.replace('\'', ""))
                        .collect::<Vec<_>>()
                }) {
                    if !cells.contains(&cell) {
                        failures.push(format!("{file}: Placements points at {cell}, which is not on Errors"));
                    }
                }
                let listed =
                    errors.rows().skip(1).filter(|r| r[0] != "No errors: every row was costed.").count();
                let want = if want_exit == 3 { listed > 0 } else { listed == 0 };
                if !want {
                    failures.push(format!("{file}: {listed} rows on the Errors sheet"));
                }
            }
            None => {
                if out.exists() {
                    failures.push(format!("{file}: a workbook was written though the input cannot be read"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The content of a sheet as text lines: numbers rounded to the penny, cells joined by tabs.
fn sheet_text(path: &Path, name: &str) -> String {
    let mut out = String::new();
    for row in sheet(path, name).rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|d| match d {
                Data::Float(f) => {
                    let v: Decimal = format!("{f}").parse().unwrap_or_default();
                    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                        .normalize()
                        .to_string()
                }
                other => other.to_string(),
            })
            .collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// Costs fixtures/workbooks/filled.xlsx into a folder, returning the costed workbook's path.
fn cost_filled(tmp: &Path) -> PathBuf {
    let out = tmp.join("filled.costed.xlsx");
    let input = fixtures().join("workbooks/filled.xlsx");
    let o = adoptcost_on(
        FIXTURES_DAY,
        &["run", input.to_str().expect("utf-8"), "-o", out.to_str().expect("utf-8")],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    out
}

#[test]
fn the_costed_workbook_of_the_filled_fixture_matches_its_golden_content() {
    let dir = fixtures().join("workbooks");
    let out = cost_filled(&tempdir("golden-workbook"));
    for name in ["Summary", "Placements", "Fees"] {
        let got = sheet_text(&out, name);
        let golden = dir.join(format!("filled.costed.{}.tsv", name.to_lowercase()));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &got).expect("write golden");
            continue;
        }
        let want = std::fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("{} is missing: run UPDATE_GOLDEN=1 scripts/test", golden.display()));
        assert!(
            got == want,
            "sheet {name} differs from {}; regenerate with UPDATE_GOLDEN=1 only if intended",
            golden.display()
        );
    }
}

/// Each agency's chart sets its cost against the schedule fee a reader would choose: one child,
/// the provider type most of its rows place with (the filled fixture's rows are even, so a
/// VAA), in their fee year: £39,245 in 2025/26 (REFERENCE.md), not whichever row came first.
#[test]
fn the_chart_sets_the_cost_against_the_fee_for_one_child_of_the_usual_provider() {
    let out = cost_filled(&tempdir("chart-fee"));
    let charts = sheet(&out, "Charts");
    let cell = |r: u32, c: u32| charts.get_value((r, c)).map(ToString::to_string).unwrap_or_default();
    assert_eq!(cell(1, 2), "VAA fee, one child, 2025/26");
    assert_eq!(cell(9, 0), "interagency fee");
    assert_eq!(cell(9, 2), "39245");
    assert!(cell(10, 0).contains("(VAA 11, LA/RAA 11; a VAA where even)"), "{}", cell(10, 0));
}

/// The Totals sheet reconciles: its rows costed, rejected and blank add up to the Children
/// sheet's rows, and the net fees by fee year, by agency and by provider each add up to the sum
/// of Placements' net fees, as does nothing else.
#[test]
fn the_totals_reconcile_with_the_input_and_with_placements() {
    let tmp = tempdir("totals");
    let out = tmp.join("bad-rows.costed.xlsx");
    let input = fixtures().join("workbooks/bad-rows.xlsx");
    let o = adoptcost_on(
        FIXTURES_DAY,
        &["run", input.to_str().expect("utf-8"), "-o", out.to_str().expect("utf-8")],
    );
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    let children = sheet(&input, "Children");
    let input_rows = children.rows().skip(1).filter(|r| r.iter().any(|c| !matches!(c, Data::Empty))).count();
    let placed = sheet(&out, "Placements");
    let header: Vec<String> = placed.rows().next().expect("header").iter().map(ToString::to_string).collect();
    let net_col = header.iter().position(|h| h == "Net fee").expect("Net fee");
    let net_sum: Decimal = placed
        .rows()
        .skip(1)
        .filter_map(|r| match &r[net_col] {
            Data::Empty => None,
            d => Some(cell_decimal(d)),
        })
        .sum();
    let totals = sheet(&out, "Totals");
    let label = |r: &[Data]| r.first().map(ToString::to_string).unwrap_or_default();
    let value = |name: &str, col: usize| {
        let row = totals.rows().find(|r| label(r) == name).unwrap_or_else(|| panic!("no row {name}"));
        cell_decimal(&row[col])
    };
    assert_eq!(value("costed", 1), Decimal::from(17));
    assert_eq!(value("rejected (see Errors)", 1), Decimal::from(5));
    assert_eq!(
        value("the Children sheet's rows after its header, to the last used", 1),
        Decimal::from(input_rows as u32)
    );
    let penny = |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let totals_of_groups: Vec<Decimal> =
        totals.rows().filter(|r| label(r) == "total").map(|r| penny(cell_decimal(&r[2]))).collect();
    assert_eq!(totals_of_groups, vec![penny(net_sum); 3], "by year, agency and provider");
}

#[test]
fn every_filled_row_costs_the_same_through_compare_and_through_the_workbook() {
    let dir = fixtures().join("workbooks");
    let tmp = tempdir("same-figures");
    let out = cost_filled(&tmp);
    // A scenario with nothing set, so only the row's own cells (as options) apply.
    let blank = tmp.join("blank.toml");
    std::fs::write(&blank, "[child]\nchildren = 1\n").expect("write");
    let input = sheet(&dir.join("filled.xlsx"), "Children");
    let header: Vec<String> = input.rows().next().expect("header").iter().map(|d| d.to_string()).collect();
    let placed = sheet(&out, "Placements");
    let p_header: Vec<String> = placed.rows().next().expect("header").iter().map(|d| d.to_string()).collect();
    let pcol = |h: &str| p_header.iter().position(|x| x == h).expect("column");
    let penny = |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let mut checked = 0;
    for (row, result) in input.rows().skip(1).zip(placed.rows().skip(1)) {
        let mut args: Vec<String> = vec![
            "compare".into(),
            "--format".into(),
            "json".into(),
            "--scenario".into(),
            blank.to_string_lossy().into(),
        ];
        for (h, d) in header.iter().zip(row) {
            if matches!(d, Data::Empty) {
                continue;
            }
            let number = || cell_decimal(d).normalize().to_string();
            let percent = || (cell_decimal(d) * Decimal::ONE_HUNDRED).normalize().to_string();
            let yes = *d == "yes";
            let flag = |f: &str, v: String| vec![f.to_string(), v];
            let extra: Vec<String> = match h.as_str() {
                "Children" => flag("--children", number()),
                "Age" => flag("--age", number()),
                "Disabled" if yes => vec!["--disabled".into()],
                "Minority ethnic" if yes => vec!["--minority-ethnic".into()],
                "Waiting over 18 months" if yes => vec!["--waiting-over-18-months".into()],
                "London" if yes => vec!["--london".into()],
                "Weekly care cost" => flag("--weekly-care-cost", number()),
                "Group weekly care cost" => flag("--group-weekly-care-cost", number()),
                "Provider" => flag("--provider", d.to_string()),
                "Nation" => flag("--nation", d.to_string()),
                "Placement date" => {
                    let serial = cell_decimal(d).trunc().to_string().parse::<i32>().expect("serial");
                    let date = jiff::civil::date(1899, 12, 30)
                        .checked_add(jiff::Span::new().days(serial))
                        .expect("date");
                    flag("--placement-date", date.to_string())
                }
                "Weeks in-house" => flag("--weeks-in-house", number()),
                "Weeks external" => flag("--weeks-external", number()),
                "Search weeks" => flag("--search-weeks", number()),
                "Success probability" => flag("--success-probability", percent()),
                "Common costs" => flag("--common-costs", number()),
                "Fee" => flag("--fee", number()),
                "Monthly fee" => flag("--monthly-fee", number()),
                "Months beyond 12" => flag("--months-beyond-12", number()),
                "Contribution share" => flag("--contribution-share", percent()),
                "Contribution amount" => flag("--contribution-amount", number()),
                _ => vec![],
            };
            args.extend(extra);
        }
        // The Fee overrides sheet's row (VAA, two children, 2025/26) stands in for --fee.
        if row[0] == "B-15" {
            args.extend(["--fee".to_string(), "58000".to_string()]);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let cmp = json_of_on(FIXTURES_DAY, &refs);
        let value = |id: &str| -> Decimal {
            figure(&cmp, id).unwrap_or_else(|| panic!("no {id}"))["result"]["value"]
                .as_str()
                .expect("value")
                .parse()
                .expect("decimal")
        };
        for (h, id) in [
            ("Net fee", "fee.net"),
            ("In-house route", "route.in_house"),
            ("External route", "route.external"),
            ("Difference (external − in-house)", "route.difference"),
        ] {
            assert_eq!(penny(cell_decimal(&result[pcol(h)])), penny(value(id)), "row {}: {h}", row[0]);
        }
        checked += 1;
    }
    assert_eq!(checked, 22);
}

#[test]
fn workbooks_saved_by_libreoffice_or_in_the_1904_date_system_cost_the_same_as_the_original() {
    let dir = fixtures().join("workbooks");
    let csv = |file: &str| {
        let o =
            adoptcost_on(FIXTURES_DAY, &["run", dir.join(file).to_str().expect("utf-8"), "--format", "csv"]);
        assert!(o.status.success(), "{file}: {}", text(&o.stderr));
        text(&o.stdout)
    };
    let original = csv("filled.xlsx");
    assert_eq!(original.lines().count(), 23, "a header and 22 rows");
    assert_eq!(csv("filled-libreoffice.ods"), original);
    assert_eq!(csv("filled-libreoffice.xlsx"), original);
    // The same workbook in the 1904 date system (older Mac Excel): its placement dates are
    // stored as serials 1,462 lower, and must read as the same days.
    assert_eq!(csv("filled-1904.xlsx"), original);
}

#[test]
fn run_reads_the_workbook_from_standard_input() {
    use std::io::Write as _;
    let bytes = std::fs::read(fixtures().join("workbooks/filled.xlsx")).expect("fixture");
    let mut child = Command::new(env!("CARGO_BIN_EXE_adoptcost"))
        .env("ADOPTCOST_TODAY", FIXTURES_DAY)
        .args(["run", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(&bytes).expect("write stdin");
    let out = child.wait_with_output().expect("runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(rows.as_array().expect("rows").len(), 22);
    assert_eq!(rows[0]["reference"], "B-01");
}

#[test]
fn sensitivity_simulate_and_breakeven_run_on_the_example_and_the_worked_files() {
    let worked = fixtures().join("worked");
    let agency = worked.join("agency.toml");
    let child = worked.join("child.toml");
    let (a, c) = (agency.to_str().expect("path"), child.to_str().expect("path"));
    for cmd in ["sensitivity", "breakeven"] {
        let out = adoptcost(&[cmd]);
        assert!(out.status.success(), "{cmd}: {}", text(&out.stderr));
    }
    // The worked example's swings as worked by hand (fixtures/analyses/WORKING.md), via the CLI.
    let s = json_of(&["sensitivity", "--agency", a, "--scenario", c, "--format", "json"]);
    let swing = |input: &str| {
        s["swings"]
            .as_array()
            .expect("swings")
            .iter()
            .find(|w| w["input"] == input)
            .map(|w| w["swing"].clone())
    };
    assert_eq!(
        swing("route.weeks_in_house").and_then(|v| v.as_str().map(|s| s.parse::<Decimal>().ok())),
        Some(Some(Decimal::from(5400)))
    );
    // The table says which route is favoured and ranks the fee's swing.
    let out = adoptcost(&["sensitivity", "--agency", a, "--scenario", c]);
    let t = text(&out.stdout);
    assert!(t.contains("−£18,450 (the external route costs less)"), "{t}");
    assert!(t.contains("route.weeks_in_house") && t.contains("£5,400"), "{t}");
    // The same seed gives the same output; the threads do not change it.
    let run = |threads: &str| {
        let out = adoptcost(&[
            "simulate",
            "--agency",
            a,
            "--scenario",
            c,
            "--range",
            "route.weeks_in_house=0,10,40",
            "--draws",
            "5000",
            "--seed",
            "9",
            "--threads",
            threads,
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    // 77.44% by the closed form (fixtures/analyses/WORKING.md); 5,000 draws land within 2 points.
    let p: Decimal = one
        .split("Probability that the external route is cheaper: ")
        .nth(1)
        .and_then(|r| r.split('%').next())
        .and_then(|v| v.parse().ok())
        .expect("a probability");
    assert!((p - Decimal::new(7744, 2)).abs() < Decimal::TWO, "{one}");
    let b = adoptcost(&["breakeven", "--agency", a, "--scenario", c]);
    let t = text(&b.stdout);
    assert!(t.contains("← break-even N*") && t.contains("24.7"), "{t}");
}

#[test]
fn analyses_refuse_bad_ranges_with_exit_2_and_name_them() {
    for (args, says) in [
        (vec!["simulate"], "no input has a range"),
        (vec!["simulate", "--range", "route.weeks_in_house=30,10,40"], "range[1].likely"),
        (vec!["simulate", "--range", "route.wait=1,2,3"], "route.wait"),
        (vec!["simulate", "--range", "route.weeks_in_house=1,2"], "PATH=LOW,LIKELY,HIGH"),
        (vec!["simulate", "--range", "route.weeks_in_house=1,2,3,normal"], "triangular or pert"),
        (vec!["sensitivity", "--range", "activity.utilisation=50,150"], "range[1].high"),
        (vec!["sensitivity", "--change", "100"], "change"),
    ] {
        let out = adoptcost(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = text(&out.stderr);
        assert!(e.contains(says), "{args:?}: {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
}

#[test]
fn benchmark_ranks_flags_and_notes_the_fixture_agencies_and_writes_its_workbook() {
    let tmp = tempdir("benchmark");
    let input = fixtures().join("benchmark/agencies.xlsx");
    let out = tmp.join("bench.xlsx");
    let _ = std::fs::remove_file(&out);
    let o = adoptcost(&["benchmark", input.to_str().expect("utf-8"), "-o", out.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let t = text(&o.stdout);
    for want in [
        "Benchmark of 13 agencies (2025/26 prices)",
        "£17,394 (1) ▼",
        "£97,081 (13) ▲",
        "LOWCOUNT: office running, regulation, back office, capital",
        "Panel adviser",
        "benchmarked 13 of 13 agencies; wrote",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
    // The workbook: its Statistics agree with the independent working (expected.toml).
    let stats = sheet(&out, "Statistics");
    let row =
        stats.rows().find(|r| matches!(&r[0], Data::String(s) if s == "unit.full")).expect("a unit.full row");
    let median = cell_decimal(&row[5]).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(median, "23205.87".parse::<Decimal>().expect("decimal"));
    for name in ["Benchmark", "Positions", "Charts", "Workings", "Errors"] {
        assert!(sheet(&out, name).height() > 1, "{name} is empty");
    }
    // JSON carries every measure with its positions.
    let v = json_of(&["benchmark", input.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(v["benchmark"]["agencies"].as_array().map(Vec::len), Some(13));
    assert!(v["benchmark"]["measures"].as_array().is_some_and(|m| m.len() == 17));
}

#[test]
fn benchmark_rejects_a_bad_agency_and_benchmarks_the_rest_and_guards_its_input() {
    let input = fixtures().join("benchmark/agencies-one-bad.xlsx");
    let o = adoptcost(&["benchmark", input.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("sheet 'Staff', cell D37: \"lots\" is not a number"),
        "{}",
        text(&o.stderr)
    );
    assert!(text(&o.stdout).contains("benchmarked 12 of 13 agencies; 1 problem listed above"));
    assert!(!text(&o.stdout).contains("MOOR"), "the rejected agency is not benchmarked");

    let tmp = tempdir("benchmark-guards");
    let copy = tmp.join("agencies.xlsx");
    std::fs::copy(fixtures().join("benchmark/agencies.xlsx"), &copy).expect("copy");
    let before = std::fs::read(&copy).expect("read");
    let o = adoptcost(&["benchmark", copy.to_str().expect("utf-8"), "-o", copy.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("benchmark never writes over its input"));
    assert_eq!(std::fs::read(&copy).expect("read"), before);

    let bad = tmp.join("bad.xlsx");
    std::fs::write(&bad, b"not a spreadsheet").expect("write");
    let o = adoptcost(&["benchmark", bad.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("cannot be read as a spreadsheet"), "{}", text(&o.stderr));
}

#[test]
fn budget_gives_the_hand_worked_budget_and_writes_its_workbook() {
    // The example runs with no input.
    let o = adoptcost(&["budget"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("NET INTERAGENCY BUDGET"));
    assert!(text(&o.stdout).contains("2025/26 is the latest fee year the reference data covers"));
    // The hand-worked fixture (fixtures/budget/WORKING.md).
    let tmp = tempdir("budget");
    let out = tmp.join("budget.xlsx");
    let _ = std::fs::remove_file(&out);
    let agency = fixtures().join("worked/agency.toml");
    let forecast = fixtures().join("budget/forecast.toml");
    let args = [
        "budget",
        "--agency",
        agency.to_str().expect("utf-8"),
        "--forecast",
        forecast.to_str().expect("utf-8"),
    ];
    let mut with_out = args.to_vec();
    with_out.extend(["-o", out.to_str().expect("utf-8")]);
    let o = adoptcost(&with_out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let t = text(&o.stdout);
    for want in ["£41,123", "£70,556", "£29,434", "£101,868", "£242,980", "£469,305", "£337,565"] {
        assert!(t.contains(want), "missing {want} in\n{t}");
    }
    assert!(sheet(&out, "Budget").height() > 10);
    assert!(sheet(&out, "Workings").height() > 100);
    // JSON: exact figures.
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let v = json_of(&json_args);
    assert_eq!(v["net_budget"]["total"], "242980.00");
    assert_eq!(v["contributions"]["total"], "78490.00");
}

#[test]
fn a_budget_of_two_years_prints_each_year_and_writes_the_years_side_by_side() {
    // The hand-worked fixture (fixtures/budget/WORKING.md, "Two years").
    let tmp = tempdir("budget-years");
    let out = tmp.join("years.xlsx");
    let _ = std::fs::remove_file(&out);
    let agency = fixtures().join("worked/agency.toml");
    let forecast = fixtures().join("budget/two-years.toml");
    let args = [
        "budget",
        "--agency",
        agency.to_str().expect("utf-8"),
        "--forecast",
        forecast.to_str().expect("utf-8"),
    ];
    let mut with_out = args.to_vec();
    with_out.extend(["-o", out.to_str().expect("utf-8")]);
    let o = adoptcost(&with_out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let t = text(&o.stdout);
    for want in [
        "Interagency fee budget 2025/26",
        "Interagency fee budget 2026/27",
        "fees due on earlier placements",
        "The years, 2025/26 to 2026/27",
        "£50,642",
        "£75,038",
        "Falling due after 2025/26, in the budgets of the years they fall in: £7,380",
    ] {
        assert!(t.contains(want), "missing {want} in\n{t}");
    }
    let years = sheet(&out, "Years");
    assert_eq!(years.get_value((4, 0)), Some(&Data::String("2025/26".into())));
    assert!(sheet(&out, "Budget 2026-27").height() > 10);
    assert!(sheet(&out, "Workings 2025-26").height() > 100);
    // JSON: each year, exactly.
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let v = json_of(&json_args);
    let exact = |v: &serde_json::Value| v.as_str().and_then(|s| s.parse::<rust_decimal::Decimal>().ok());
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().ok();
    assert_eq!(exact(&v["years"][0]["net_budget"]["total"]), d("50641.67"));
    assert_eq!(exact(&v["years"][1]["earlier"]["total"]), d("7380"));
    assert_eq!(exact(&v["years"][1]["net_budget"]["total"]), d("75037.82"));
}

#[test]
fn budget_asks_for_fees_it_does_not_have_and_names_bad_fields() {
    let o = adoptcost(&["budget", "--year", "2026/27"]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(e.contains("for 1 child placed with a VAA in England, so give your own fee"), "{e}");
    assert!(e.contains("give --forecast FILE with [[fee_override]] tables"), "{e}");
    let tmp = tempdir("budget-bad");
    let bad = tmp.join("forecast.toml");
    std::fs::write(&bad, "[[profile]]\nname = \"x\"\nplacements = [1, 2, 3, 4]\nexternal_share = 120\n")
        .expect("write");
    let o = adoptcost(&["budget", "--forecast", bad.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("profile[1].external_share"), "{}", text(&o.stderr));
    let o = adoptcost(&["budget", "--year", "next year"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("not a financial year"), "{}", text(&o.stderr));
}

#[test]
fn sensitivity_simulate_and_breakeven_write_their_workbooks() {
    let tmp = tempdir("analysis-books");
    for (args, sheet_name) in [
        (vec!["sensitivity"], "Sensitivity"),
        (vec!["simulate", "--range", "route.weeks_in_house=13,26,52", "--draws", "500"], "Uncertainty"),
        (vec!["breakeven"], "Break-even"),
    ] {
        let out = tmp.join(format!("{sheet_name}.xlsx"));
        let _ = std::fs::remove_file(&out);
        let mut a = args.clone();
        a.extend(["-o", out.to_str().expect("utf-8")]);
        let o = adoptcost(&a);
        assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
        assert!(text(&o.stdout).contains("wrote "), "{args:?}");
        assert!(sheet(&out, sheet_name).height() > 5, "{sheet_name}");
        assert!(sheet(&out, "Workings").height() > 10, "{sheet_name} workings");
    }
    // The sensitivity workbook's swings are the table's: the largest first, as in JSON.
    let v = json_of(&["sensitivity", "--format", "json"]);
    let first = v["swings"][0]["input"].as_str().expect("an input").to_string();
    let s = sheet(&tmp.join("Sensitivity.xlsx"), "Sensitivity");
    let row = s
        .rows()
        .nth(4)
        .expect("the first swing's row (after the title, the difference, a blank and the header)");
    assert_eq!(row[0], Data::String(first));
}

#[test]
fn the_memory_limit_of_the_workbook_cases_holds_a_run_to_it() {
    let filled = fixtures().join("workbooks/filled.xlsx");
    let args = ["run", filled.to_str().expect("utf-8"), "--format", "json"];
    assert!(adoptcost_within_memory(&args).status.success(), "a real workbook runs within the limit");
    let o = adoptcost_within(8 << 20, &args);
    assert!(!o.status.success(), "8 MB is too little for any run, so the limit is in force");
}

// ---------------------------------------------------------------- version, completions, manual

#[test]
fn the_version_names_the_reference_data_it_carries() {
    let out = adoptcost(&["--version"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let reviewed = adoptcost::Reference::embedded().expect("reference").reviewed.expect("a review date");
    assert_eq!(
        text.trim(),
        format!("adoptcost {} (reference data reviewed {reviewed})", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_and_the_manual_are_made_from_the_command_line_itself() {
    let bash = adoptcost(&["completions", "bash"]);
    assert!(bash.status.success());
    let bash = String::from_utf8_lossy(&bash.stdout);
    // Every command, and an option of one, is completed.
    for word in ["compare", "breakeven", "--weekly-care-cost", "--max-input-mb"] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let man = adoptcost(&["manpage"]);
    assert!(man.status.success());
    let man = String::from_utf8_lossy(&man.stdout);
    assert!(man.contains(".TH adoptcost 1"), "{man}");
    assert!(man.contains("interagency fee"), "the manual says what the tool is for");
    let bad = adoptcost(&["completions", "nushell"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("possible values: bash, elvish, fish, powershell, zsh")
    );
}
