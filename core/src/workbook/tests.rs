//! The template and the reader agree: what the template writes, the reader reads back exactly.

use super::*;
use crate::input::Provenance;

fn example_template() -> Vec<u8> {
    let agency = crate::example::agency().expect("example");
    let children: Vec<_> =
        template::example_children().into_iter().map(|(c, r)| (agency.code.clone(), c, r)).collect();
    template(&[agency], &children).expect("template writes")
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_template_reads_back_as_the_example_agency_and_children() {
    let bytes = example_template();
    let wb = read(&bytes).expect("reads");
    assert!(wb.errors.is_empty(), "{:?}", wb.errors);
    assert_eq!(wb.agencies.len(), 1);
    let mut got = wb.agencies[0].agency.clone().expect("the agency reads");
    let mut want = crate::example::agency().expect("example");
    assert_eq!(got.provenance.fields.get("staff[2].salary").map(String::as_str), Some("Staff!D3"));
    got.provenance = Provenance::default();
    want.provenance = Provenance::default();
    assert_eq!(got, want);
    let kids = template::example_children();
    assert_eq!(wb.children.len(), kids.len());
    for (row, (c, r)) in wb.children.iter().zip(&kids) {
        assert_eq!(&row.child, c);
        assert_eq!(&row.route, r);
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn not_a_spreadsheet_is_a_workbook_error() {
    let e = read(b"this is not a workbook").expect_err("fails");
    assert!(e.to_string().contains("cannot be read as a spreadsheet"), "{e}");
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn every_row_counts_on_the_fees_sheet_and_in_order_even_past_the_listed_workings() {
    // Row k is a child of the example template; the last row alone is in London, so the
    // London weighting is used once, by a row whose figures are not kept for Workings.
    let mut wb = read(&example_template()).expect("reads");
    let first = wb.children[0].clone();
    let n = costed::WORKINGS_PLACEMENT_LIMIT + 600;
    wb.children = (0..n)
        .map(|k| {
            let mut c = first.clone();
            c.row = k as u32 + 2;
            c.child.reference = format!("R{k}");
            c.route.london = k == n - 1;
            c
        })
        .collect();
    let reference = crate::Reference::embedded().expect("reference");
    let batch =
        crate::batch::collect(wb.clone(), reference, &options(0, None), &mut |_, _| {}).expect("costs");
    assert_eq!(batch.placements.len(), n);
    // Written as it is costed (Workings then written by a costing thread, from the first
    // chunk's rows), the workbook is the costed batch's, the note under Workings among it.
    let written = cost_to_workbook(wb, reference, &options(0, None), &mut |_, _| {}).expect("writes");
    let (want, got) = (cells(&costed(&batch).expect("writes")), cells(&written.bytes));
    assert_eq!(want, got);
    let workings = &got.iter().find(|(name, _)| name == "Workings").expect("a Workings sheet").1;
    let note = workings.iter().rev().find(|c| !c.ends_with("Empty"));
    assert!(
        note.is_some_and(|c| c.contains("The figures of the placements among the first 500")),
        "{note:?}"
    );
    assert!(batch.placements.iter().enumerate().all(|(k, p)| p.child.reference == format!("R{k}")));
    let london: Vec<_> = batch.fee_uses.iter().filter(|((id, _), _)| id.contains("london")).collect();
    assert_eq!(london.len(), 1, "{:?}", batch.fee_uses.keys().collect::<Vec<_>>());
    assert_eq!(london[0].1.times, 1);
    let schedule = batch.fee_uses.iter().filter(|((id, _), _)| id.starts_with("fee.")).map(|(_, u)| u.times);
    assert!(schedule.clone().all(|t| t >= 1));
    assert!(batch.placements[n - 1].placement.explanation.figures.is_empty());
    assert!(!batch.placements[0].placement.explanation.figures.is_empty());
}

/// Every sheet of a workbook as text, cell by cell (formulas by their cached results).
fn cells(bytes: &[u8]) -> Vec<(String, Vec<String>)> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("opens");
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).expect("sheet");
            let cells = range.cells().map(|(r, c, d)| format!("{r},{c}: {d:?}")).collect();
            (name, cells)
        })
        .collect()
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_workbook_written_while_costing_is_the_costed_batchs() {
    // Among the rows, rows that could not be read (between costed rows and at the end) and
    // rows that fail in costing (a group beyond the schedule's top band, with no fee of its
    // own). A few dozen rows: writing the figures of hundreds of placements takes seconds in a
    // debug build. Rows over several threads are `run`'s own tests; rows past the Workings
    // limit the test above's.
    let mut wb = read(&example_template()).expect("reads");
    let first = wb.children[0].clone();
    let n = 60;
    wb.children = (0..n)
        .filter(|k| k % 17 != 5)
        .map(|k| {
            let mut c = first.clone();
            c.row = k as u32 + 2;
            c.child.reference = format!("R{k}");
            if k % 13 == 3 {
                c.child.children = 9;
            }
            c
        })
        .collect();
    wb.unread = (0..n + 2)
        .filter(|k| k % 17 == 5 || *k >= n)
        .map(|k| read::UncostedRow {
            row: k as u32 + 2,
            reference: format!("R{k}"),
            agency_code: "X".into(),
            cells: vec![format!("Children!C{}", k + 2)],
        })
        .collect();
    wb.child_rows = n + 2;
    let reference = crate::Reference::embedded().expect("reference");
    let batch =
        crate::batch::collect(wb.clone(), reference, &options(0, None), &mut |_, _| {}).expect("costs");
    assert!(batch.uncosted.len() > wb.unread.len(), "some rows fail in costing");
    assert_eq!(batch.placements.len() + batch.uncosted.len(), n + 2);
    let written = cost_to_workbook(wb, reference, &options(0, None), &mut |_, _| {}).expect("writes");
    assert_eq!(written.costed, batch.placements.len());
    assert_eq!(written.errors, batch.errors);
    let (want, got) = (cells(&costed(&batch).expect("writes")), cells(&written.bytes));
    assert_eq!(want.len(), got.len());
    for ((name, w), (_, g)) in want.iter().zip(&got) {
        assert_eq!(w.len(), g.len(), "{name}");
        if let Some(k) = (0..w.len()).find(|&k| w[k] != g[k]) {
            panic!("{name}: {} against {}", w[k], g[k]);
        }
    }
    let placements = &got[1].1;
    assert!(placements.iter().any(|c| c.contains("Not costed: see the Errors sheet (Children!C7).")));
}

/// `bytes` again with blank rows among the Children sheet's rows and after them (one of them
/// holding only spaces): cell values only, which is all the reader needs.
fn with_blank_child_rows(bytes: &[u8]) -> Vec<u8> {
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("opens");
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        let ws = out.add_worksheet();
        ws.set_name(&name).expect("name");
        let children = name == "Children";
        // Rows 3 and 5 of the sheet become blank; the rest move down.
        let at = |r: u32| if children && r >= 2 { r + 1 + u32::from(r >= 3) } else { r };
        for (r, c, d) in range.cells() {
            let (r, c) = (at(r as u32), c as u16);
            match d {
                Data::String(s) => ws.write_string(r, c, s),
                Data::Float(x) => ws.write_number(r, c, *x),
                Data::Int(x) => ws.write_number(r, c, i32::try_from(*x).expect("a small whole number")),
                Data::Bool(b) => ws.write_boolean(r, c, *b),
                Data::DateTime(x) => ws.write_number(r, c, x.as_f64()),
                Data::DateTimeIso(s) | Data::DurationIso(s) => ws.write_string(r, c, s),
                Data::Empty | Data::Error(_) => continue,
            }
            .expect("writes");
        }
        if children {
            ws.write_string(2, 0, "   ").expect("writes");
            ws.write_string(range.height() as u32 + 4, 1, "").expect("writes");
        }
    }
    out.save_to_buffer().expect("saves")
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_workbook_costed_as_its_rows_are_read_is_the_one_read_whole() {
    let blanks = with_blank_child_rows(&example_template());
    let rows = template::example_children().len();
    assert_eq!(parse(&blanks).expect("parses").child_rows(), rows, "blank rows are not child rows");
    let reference = crate::Reference::embedded().expect("reference");
    for (what, bytes) in [
        ("the template", example_template()),
        ("the template with blank rows", blanks),
        ("rows with bad cells", include_bytes!("../../../fixtures/workbooks/bad-rows.xlsx").to_vec()),
        ("a bad agency", include_bytes!("../../../fixtures/workbooks/bad-agency.xlsx").to_vec()),
        (
            "saved by LibreOffice",
            include_bytes!("../../../fixtures/workbooks/filled-libreoffice.ods").to_vec(),
        ),
        ("two chunks, some rows unreadable", many_rows(700)),
    ] {
        let whole = read(&bytes).expect("reads");
        assert_eq!(parse(&bytes).expect("parses").child_rows(), whole.child_rows, "{what}");
        if what.starts_with("two chunks") {
            assert!(whole.children.len() > crate::batch::CHUNK && whole.unread.len() > 5, "{what}");
        }
        assert_eq!(whole.child_rows, whole.children.len() + whole.unread.len(), "{what}");
        let want = cost_to_workbook(whole, reference, &options(1, None), &mut |_, _| {}).expect("writes");
        for threads in [0, 1, 2] {
            let opts = options(threads, None);
            let got = workbook_to_workbook(&bytes, &Limits::default(), reference, &opts, &mut |_, _| {})
                .expect("writes");
            assert_eq!(cells(&got.bytes), cells(&want.bytes), "{what}, {threads} threads");
            assert!(got.bytes == want.bytes, "{what}, {threads} threads: the same bytes");
            assert_eq!(
                (got.child_rows, got.costed, &got.errors, &got.notes),
                (want.child_rows, want.costed, &want.errors, &want.notes),
                "{what}, {threads} threads"
            );
        }
    }
}

/// An input workbook of the example agency and `n` child rows, every 97th with an agency code
/// no agency has (a row that cannot be read).
fn many_rows(n: usize) -> Vec<u8> {
    let agency = crate::example::agency().expect("example");
    let (c, r) = template::example_children().remove(0);
    let children: Vec<_> = (0..n)
        .map(|k| {
            let code = if k % 97 == 5 { "NOBODY".to_string() } else { agency.code.clone() };
            (code, crate::input::Child { reference: format!("R{k}"), ..c.clone() }, r.clone())
        })
        .collect();
    template(&[agency], &children).expect("template writes")
}

/// One part of a workbook's zip container, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).expect("the part"), &mut text).expect("text");
    text
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn the_same_inputs_give_the_same_workbook_bytes_with_no_clock_in_them() {
    let reference = crate::Reference::embedded().expect("reference");
    let input = include_bytes!("../../../fixtures/workbooks/filled.xlsx");
    let costed = |threads| {
        let batch = run(input, reference, &options(threads, None), &mut |_, _| {}).expect("runs");
        costed(&batch).expect("writes")
    };
    let first = costed(0);
    assert_eq!(first, costed(1), "the same bytes, whatever the threads");
    // The document's creation time is fixed, not the clock's, so no two runs can differ by it.
    let core = part(&first, "docProps/core.xml");
    assert!(core.contains(">2000-01-01T00:00:00Z</dcterms:created>"), "{core}");
    assert!(
        part(&template::example().expect("template"), "docProps/core.xml").contains(">2000-01-01T00:00:00Z<")
    );
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_damaged_excel_97_file_is_refused_before_calamine_reads_it() {
    // Found by the fuzzer: a sector chain past the file's end (calamine panicked) and a loop in
    // a 3 KB file (calamine asked for 2 GB). Both are refused by the container check first.
    for bytes in [
        &include_bytes!("../../../fixtures/fuzz/workbook/xls-sector-chain-past-end.xls")[..],
        &include_bytes!("../../../fixtures/fuzz/workbook/xls-chain-loop-asks-gigabytes.xls")[..],
    ] {
        let Err(e) = parse(bytes) else { panic!("a damaged file is refused") };
        assert!(!e.is_internal());
        assert!(
            e.to_string().starts_with("workbook: cannot be read: its Excel 97 structure is damaged ("),
            "{e}"
        );
    }
}

/// A workbook's bytes with one part's text changed.
fn with_part(bytes: &[u8], name: &str, change: impl Fn(String) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("a part");
        let part = file.name().expect("a name").to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut data).expect("reads");
        if part == name {
            data = change(String::from_utf8(data).expect("text")).into_bytes();
        }
        out.start_file(part, zip::write::SimpleFileOptions::default()).expect("starts");
        std::io::Write::write_all(&mut out, &data).expect("writes");
    }
    out.finish().expect("finishes").into_inner()
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn a_children_sheet_with_its_rows_out_of_order_is_refused_saying_how_to_mend_it() {
    let bytes = example_template();
    // The Children sheet's part, from the workbook's list of sheets and its relationships.
    let book = part(&bytes, "xl/workbook.xml");
    let id = book.split("<sheet ").find(|s| s.contains("name=\"Children\"")).expect("a Children sheet");
    let id = id.split("r:id=\"").nth(1).and_then(|s| s.split('"').next()).expect("its id");
    let rels = part(&bytes, "xl/_rels/workbook.xml.rels");
    let target =
        rels.split("<Relationship ").find(|r| r.contains(&format!("Id=\"{id}\""))).expect("its part");
    let target = target.split("Target=\"").nth(1).and_then(|s| s.split('"').next()).expect("a target");
    let name = format!("xl/{target}");
    // Rows 3 and 4 swapped.
    let swapped = with_part(&bytes, &name, |xml| {
        let row = |r: u32| {
            let start = xml.find(&format!("<row r=\"{r}\"")).expect("the row");
            let end = start + xml[start..].find("</row>").expect("its end") + "</row>".len();
            (start, end)
        };
        let ((a, b), (c, d)) = (row(3), row(4));
        assert_eq!(b, c, "rows 3 and 4 are neighbours");
        format!("{}{}{}{}", &xml[..a], &xml[c..d], &xml[a..b], &xml[d..])
    });
    let reference = crate::Reference::embedded().expect("reference");
    for e in [
        read(&swapped).expect_err("refused").to_string(),
        match workbook_to_workbook(&swapped, &Limits::default(), reference, &options(1, None), &mut |_, _| {})
        {
            Err(Stopped::Input(e)) => e.to_string(),
            other => panic!("an input error, not {other:?}"),
        },
    ] {
        assert!(e.contains("sheet 'Children'") && e.contains("row 3 after row 4"), "{e}");
        assert!(e.contains("save it again"), "{e}");
    }
}

#[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
fn placements_rows_are_written_in_the_styles_of_their_columns() {
    let reference = crate::Reference::embedded().expect("reference");
    let input = include_bytes!("../../../fixtures/workbooks/filled.xlsx");
    let batch = run(input, reference, &options(0, None), &mut |_, _| {}).expect("runs");
    let sheet = part(&costed(&batch).expect("writes"), "xl/worksheets/sheet2.xml");
    let (head, rows) = sheet.split_once("<row r=\"2\"").expect("a row under the header");
    costed::check_styles(head).expect("the columns' styles are the rows'");
    // A costed row's money is in the money column's style, its date in the date column's.
    assert!(rows.contains("<c r=\"J2\" s=\"4\"><v>") && rows.contains("<c r=\"H2\" s=\"3\"><v>"), "{rows}");
    // A sheet whose date column had another style would be refused, not written wrong.
    let moved = head.replacen("style=\"3\"", "style=\"2\"", 1);
    assert!(costed::check_styles(&moved).is_err());
}
