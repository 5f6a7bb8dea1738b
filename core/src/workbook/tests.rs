//! The template and the reader agree: what the template writes, the reader reads back exactly.

use super::*;
use crate::input::Provenance;

fn example_template() -> Vec<u8> {
    let agency = crate::example::agency().expect("example");
    let children: Vec<_> =
        template::example_children().into_iter().map(|(c, r)| (agency.code.clone(), c, r)).collect();
    template(&[agency], &children).expect("template writes")
}

#[test]
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

#[test]
fn not_a_spreadsheet_is_a_workbook_error() {
    let e = read(b"this is not a workbook").expect_err("fails");
    assert!(e.to_string().contains("cannot be read as a spreadsheet"), "{e}");
}
