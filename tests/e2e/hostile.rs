//! Workbooks made for the hostile and careless cases of `fixtures/workbooks/cases.toml` (a case
//! with `make` names one of them): the template, with one thing changed in its XML. They are
//! built here rather than committed, since some are large once inflated.

use std::io::{Cursor, Read, Write};

/// The example template with the change `name` says.
pub fn make(name: &str) -> Vec<u8> {
    let base = adoptcost::workbook::template::example().expect("the template");
    match name {
        // One cell at the grid's far corner: a reader that lays the sheet out asks for 549 GB.
        "far-cell" => edit(&base, "Children", |x| add_row(x, 1_048_576, r#"<c r="XFD1048576"><v>1</v></c>"#)),
        // A cell past the grid's last column.
        "beyond-grid" => edit(&base, "Children", |x| add_row(x, 9, r#"<c r="XFE9"><v>1</v></c>"#)),
        // A part that inflates a thousandfold: 64 MB of one letter as a shared string, deflated
        // to kilobytes.
        "bomb" => edit_part(&base, "xl/sharedStrings.xml", |x| {
            x.replace("</sst>", &format!("<si><t>{}</t></si></sst>", "a".repeat(64 << 20)))
        }),
        // Many cells, each within the grid: refused past --max-cells.
        "flood" => edit(&base, "Fee overrides", |x| {
            let rows: String = (2..2_002)
                .map(|r| format!(r#"<row r="{r}"><c r="F{r}" t="inlineStr"><is><t>x</t></is></c></row>"#))
                .collect();
            x.replace("</sheetData>", &format!("{rows}</sheetData>"))
        }),
        // The Staff sheet with a second Salary column.
        "duplicate-header" => edit(&base, "Staff", |x| set_cell(x, "K1", &text("Salary"))),
        // A child's reference longer than a cell may hold.
        "long-reference" => edit(&base, "Children", |x| set_cell(x, "A2", &text(&"R".repeat(40_000)))),
        // A note as long as a cell may hold: legal, so the workbook costs and is written.
        "long-note" => {
            let notes = adoptcost::workbook::schema::children().col(adoptcost::workbook::schema::NOTES);
            let cell = format!("{}2", column_letters(notes));
            edit(&base, "Children", |x| set_cell(x, &cell, &text(&"n".repeat(32_767))))
        }
        // A stage share of 1e27 (×100 as a percentage once overflowed).
        "huge-share" => edit(&base, "Staff", |x| set_cell(x, "F2", "<v>1E+27</v>")),
        // A salary typed the continental way.
        "continental-salary" => edit(&base, "Staff", |x| set_cell(x, "D2", &text("72.000,00"))),
        // A number past what a decimal holds.
        "huge-salary" => edit(&base, "Staff", |x| set_cell(x, "D2", "<v>1E+308</v>")),
        // Shares of a staff line that sum to 90%.
        "shares-90" => edit(&base, "Staff", |x| set_cell(x, "F3", "<v>0.1</v>")),
        // A formula whose result was not saved with the file.
        "uncached-formula" => edit(&base, "Children", |x| set_cell(x, "H2", "<f>700+100</f>")),
        // Text that a spreadsheet would run as a formula, in a reference and an agency's name.
        // A price index on its sheet (illustrative values: 134.4 / 112 = 1.2).
        "price-index" => edit(&base, "Price index", |x| {
            let x = add_row(x, 2, &index_row(2, "CPIH", "2021/22", "112"));
            add_row(x, 3, &index_row(3, "CPIH", "2025/26", "134.4"))
        }),
        // The same price year twice, and a second name: each refused at its cell.
        "price-index-broken" => edit(&base, "Price index", |x| {
            let x = add_row(x, 2, &index_row(2, "CPIH", "2021/22", "112"));
            let x = add_row(x, 3, &index_row(3, "CPIH", "2021/22", "113"));
            add_row(x, 4, &index_row(4, "RPI", "2025/26", "134.4"))
        }),
        // A fee year the reference data lacks, given on the Reference sheet; the first child
        // row is placed in 2026/27 and needs that row.
        "reference-rows" => {
            let b =
                edit(&base, "Reference", |x| add_row(x, 2, &reference_row(2, "fee.england.vaa.1", "40500")));
            edit(&b, "Children", |x| set_cell(x, &placement_date_cell(), &text("2026-12-01")))
        }
        // The same with an id the reference data does not have: refused at its row, the
        // shipped data used, so the row placed in 2026/27 has no fee.
        "reference-unknown" => {
            let b = edit(&base, "Reference", |x| {
                add_row(x, 2, &reference_row(2, "fee.england.vaa.one", "40500"))
            });
            edit(&b, "Children", |x| set_cell(x, &placement_date_cell(), &text("2026-12-01")))
        }
        // A cost centre and a budget code on the first child row, for the ledger.
        "ledger-codes" => {
            let sheet = adoptcost::workbook::schema::children();
            let cell = |h: &str| format!("{}2", column_letters(sheet.col(h)));
            let b = edit(&base, "Children", |x| {
                set_cell(x, &cell(adoptcost::workbook::schema::COST_CENTRE), &text("CC-100"))
            });
            edit(&b, "Children", |x| {
                set_cell(x, &cell(adoptcost::workbook::schema::BUDGET_CODE), &text("ADOPT-7"))
            })
        }
        "formulas-in-text" => {
            let b = edit(&base, "Children", |x| {
                set_cell(x, "A2", &text("=HYPERLINK(\"http://evil.example/x\",\"click\")"))
            });
            let b = edit(&b, "Children", |x| set_cell(x, "A3", &text("+cmd|' /C calc'!A0")));
            edit(&b, "Agencies", |x| {
                set_cell(x, "B2", &text("=HYPERLINK(\"http://evil.example/y\",\"name\")"))
            })
        }
        // A pension rate of 1 in a number cell: the fraction behind 100%, though 1% was meant.
        "pension-one" => edit(&base, "Agencies", |x| set_cell(x, "H2", "<v>1</v>")),
        // Shared strings with bytes that are not UTF-8.
        "not-utf8" => rewrite(&base, "xl/sharedStrings.xml", |mut b| {
            let at = b.windows(7).position(|w| w == b"Example").expect("a string");
            b[at] = 0xFF;
            Some(b)
        }),
        // A sheet the workbook lists, with its part missing.
        "missing-sheet" => rewrite(&base, "xl/worksheets/sheet2.xml", |_| None),
        // A document type that declares an entity: read without it being expanded.
        "doctype" => edit_part(&base, "xl/sharedStrings.xml", |x| {
            let (_, rest) = x.split_once("?>").expect("an XML declaration");
            format!(r#"<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY e "eeeeeeeeee">]>{rest}"#)
        }),
        // A workbook from a template without an optional column: its header cleared.
        "no-weeks-column" => edit(&base, "Children", |x| set_cell(x, "N1", &text(""))),
        // An escape sequence in a cell whose error is printed.
        "escape-in-cell" => edit(&base, "Children", |x| set_cell(x, "H2", &text("\u{1b}[2J\u{1b}[31mred"))),
        other => panic!("no workbook is made for the case `{other}`"),
    }
}

/// An inline text cell's XML.
fn text(t: &str) -> String {
    let escaped = t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(r#" t="inlineStr"><is><t>{escaped}</t></is>"#)
}

/// A Price index row's cells: the index's name, the price year and the value.
fn index_row(r: u32, name: &str, year: &str, value: &str) -> String {
    format!(r#"<c r="A{r}"{}</c><c r="B{r}"{}</c><c r="C{r}"><v>{value}</v></c>"#, text(name), text(year))
}

/// A Reference row's cells: a 2026/27 value of `id`, confirmed, with its source.
fn reference_row(r: u32, id: &str, amount: &str) -> String {
    format!(
        r#"<c r="A{r}"{}</c><c r="B{r}"{}</c><c r="C{r}"{}</c><c r="D{r}"><v>{amount}</v></c><c r="E{r}"{}</c><c r="F{r}"{}</c>"#,
        text(id),
        text("2026-04-01"),
        text("2027-03-31"),
        text("confirmed"),
        text("CoramBAAF, Inter-agency fees, Fees 2026/27"),
    )
}

/// The first child row's Placement date cell.
fn placement_date_cell() -> String {
    let col = adoptcost::workbook::schema::children().col("Placement date");
    format!("{}2", column_letters(col))
}

/// The sheet's XML with a row added at the end of its data.
fn add_row(xml: String, row: u32, cells: &str) -> String {
    xml.replace("</sheetData>", &format!(r#"<row r="{row}">{cells}</row></sheetData>"#))
}

/// The sheet's XML with one cell's content replaced (`body` is what follows `<c r="..."`: its
/// attributes and content, or, starting with `<`, its content alone). A cell not in the sheet
/// is added to its row.
fn set_cell(xml: String, cell: &str, body: &str) -> String {
    let body = if body.starts_with('<') { format!(">{body}") } else { body.to_string() };
    let new = format!(r#"<c r="{cell}"{body}</c>"#);
    let open = format!(r#"<c r="{cell}""#);
    if let Some(start) = xml.find(&open) {
        let rest = &xml[start..];
        let end = match (rest.find("/>"), rest.find("</c>")) {
            (Some(s), Some(c)) if s < rest.find('>').unwrap_or(usize::MAX) + 1 && s < c => start + s + 2,
            (_, Some(c)) => start + c + 4,
            (Some(s), None) => start + s + 2,
            (None, None) => panic!("cell {cell} has no end"),
        };
        return format!("{}{new}{}", &xml[..start], &xml[end..]);
    }
    let row: String = cell.chars().skip_while(char::is_ascii_alphabetic).collect();
    let row_open = format!(r#"<row r="{row}""#);
    let at = xml.find(&row_open).unwrap_or_else(|| panic!("row {row} is not in the sheet"));
    let end = at + xml[at..].find("</row>").expect("the row ends");
    format!("{}{new}{}", &xml[..end], &xml[end..])
}

/// A workbook with one sheet's XML changed.
fn edit(bytes: &[u8], sheet: &str, change: impl FnOnce(String) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml").expect("workbook.xml").read_to_string(&mut workbook).expect("text");
    // rust_xlsxwriter names the sheets' parts in their order: sheet1.xml, sheet2.xml, …
    let k = workbook
        .match_indices("<sheet ")
        .position(|(i, _)| workbook[i..].starts_with(&format!(r#"<sheet name="{sheet}""#)))
        .unwrap_or_else(|| panic!("no sheet {sheet}"));
    edit_part(bytes, &format!("xl/worksheets/sheet{}.xml", k + 1), change)
}

/// A workbook with one part's XML changed.
fn edit_part(bytes: &[u8], part: &str, change: impl FnOnce(String) -> String) -> Vec<u8> {
    rewrite(bytes, part, |b| Some(change(String::from_utf8(b).expect("XML")).into_bytes()))
}

/// A workbook with one part's bytes changed, or the part left out where `change` gives `None`.
fn rewrite(bytes: &[u8], part: &str, change: impl FnOnce(Vec<u8>) -> Option<Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut change = Some(change);
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("an entry");
        let name = file.name().expect("a name").to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("reads");
        if name == part
            && let Some(change) = change.take()
        {
            match change(content) {
                Some(c) => content = c,
                None => continue,
            }
        }
        let options =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, options).expect("starts");
        out.write_all(&content).expect("writes");
    }
    out.finish().expect("finishes").into_inner()
}

/// A zero-based column index as Excel's letters (0 is A, 25 Z, 26 AA).
fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::super::{adoptcost, fixtures, tempdir, text};
    use std::path::Path;
    use std::process::{Command, Stdio};

    fn s(p: &Path) -> &str {
        p.to_str().expect("utf-8")
    }

    /// Runs adoptcost and checks it refused: exit 2, the message, nothing on stdout.
    fn refused(args: &[&str], message: &str) {
        let o = adoptcost(args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: stderr lacks\n  {message}\nit was\n  {err}");
        assert!(o.stdout.is_empty(), "{args:?}: wrote to stdout");
    }

    #[test]
    fn no_command_writes_over_one_of_its_inputs() {
        let tmp = tempdir("over-input");
        let forecast = tmp.join("f.toml");
        std::fs::copy(fixtures().join("budget/forecast.toml"), &forecast).expect("copy");
        let agency = tmp.join("a.toml");
        std::fs::copy(fixtures().join("worked/agency.toml"), &agency).expect("copy");
        let before = std::fs::read(&forecast).expect("reads");
        refused(
            &["budget", "--agency", s(&agency), "--forecast", s(&forecast), "-o", s(&forecast)],
            "is an input of this command",
        );
        assert_eq!(std::fs::read(&forecast).expect("reads"), before, "the forecast is untouched");
        refused(
            &["sensitivity", "--agency", s(&agency), "-o", s(&agency)],
            "sensitivity never writes over its input",
        );
        // A second name for the same file (a hard link) is the same input.
        let link = tmp.join("link.toml");
        let _ = std::fs::remove_file(&link);
        std::fs::hard_link(&agency, &link).expect("link");
        refused(
            &["simulate", "--agency", s(&agency), "--range", "route.weeks_in_house=13,26,52", "-o", s(&link)],
            "is an input",
        );
    }

    #[test]
    fn outputs_are_only_regular_files_and_a_read_only_one_needs_force() {
        let tmp = tempdir("targets");
        refused(&["breakeven", "-o", s(&tmp)], "is not a regular file (a folder, a device or a pipe)");
        let fifo = tmp.join("pipe");
        let _ = std::fs::remove_file(&fifo);
        let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|st| st.success());
        if made {
            refused(&["breakeven", "-o", s(&fifo)], "is not a regular file");
            assert!(
                std::fs::metadata(&fifo).expect("still there").file_type().is_fifo_like(),
                "the pipe is kept"
            );
        }
        let locked = tmp.join("locked.xlsx");
        std::fs::write(&locked, b"keep").expect("write");
        let mut perms = std::fs::metadata(&locked).expect("meta").permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&locked, perms).expect("read-only");
        refused(&["breakeven", "-o", s(&locked)], "is read-only; it is not replaced");
        let o = adoptcost(&["breakeven", "-o", s(&locked), "--force"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(std::fs::read(&locked).expect("reads").starts_with(b"PK"), "replaced with the workbook");
    }

    trait FifoLike {
        fn is_fifo_like(&self) -> bool;
    }

    impl FifoLike for std::fs::FileType {
        fn is_fifo_like(&self) -> bool {
            #[cfg(unix)]
            return std::os::unix::fs::FileTypeExt::is_fifo(self);
            #[cfg(not(unix))]
            return !self.is_file();
        }
    }

    #[test]
    fn dash_o_dash_writes_the_workbook_to_standard_output() {
        let o = adoptcost(&["breakeven", "-o", "-"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(o.stdout.starts_with(b"PK"), "the workbook's bytes");
        assert!(text(&o.stderr).contains("Break-even"), "the table goes to stderr");
        assert!(!Path::new("-").exists(), "no file named -");
        refused(
            &["run", s(&fixtures().join("workbooks/filled.xlsx")), "-o", "-", "--format", "csv"],
            "both write to standard output",
        );
    }

    #[test]
    fn inputs_are_read_only_as_far_as_the_limit() {
        refused(
            &["run", "/dev/zero", "--max-input-mb", "1", "--format", "json"],
            "workbook /dev/zero: more than 1 MB; expected an input within the limit",
        );
        // Endless standard input.
        let mut child = Command::new(env!("CARGO_BIN_EXE_adoptcost"))
            .env("ADOPTCOST_TODAY", crate::TODAY)
            .args(["run", "-", "--max-input-mb", "1", "--format", "json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        let mut stdin = child.stdin.take().expect("stdin");
        let feeder = std::thread::spawn(move || {
            let block = vec![b'x'; 1 << 16];
            while std::io::Write::write_all(&mut stdin, &block).is_ok() {}
        });
        let o = child.wait_with_output().expect("ends");
        let _ = feeder.join();
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("the workbook on standard input: more than 1 MB"),
            "{}",
            text(&o.stderr)
        );
        // A TOML file over the text limit (a sixteenth of the input limit).
        let tmp = tempdir("big-text");
        let big = tmp.join("big.toml");
        std::fs::write(&big, format!("# {}\n", "x".repeat(100_000))).expect("write");
        refused(&["compare", "--agency", s(&big), "--max-input-mb", "1"], "agency file");
        refused(&["compare", "--agency", s(&big), "--max-input-mb", "1"], "more than 0 MB");
    }

    #[test]
    fn text_from_an_input_is_never_a_formula_or_a_terminal_code() {
        let tmp = tempdir("injection");
        let book = tmp.join("in.xlsx");
        std::fs::write(&book, super::make("formulas-in-text")).expect("write");
        let out = tmp.join("out.xlsx");
        let o = adoptcost(&["run", s(&book), "-o", s(&out)]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        // The agency's name is in its chart's title as text, never a formula reference.
        let bytes = std::fs::read(&out).expect("reads");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut chart = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/charts/chart1.xml").expect("a chart"), &mut chart)
            .expect("text");
        assert!(chart.contains("evil.example/y"), "the name is shown");
        assert!(!chart.contains("<c:f>=HYPERLINK") && !chart.contains("<c:f>HYPERLINK"), "{chart}");
        // An escape sequence in an agency's name is shown, not sent to the terminal.
        let agency = tmp.join("a.toml");
        let worked = std::fs::read_to_string(fixtures().join("worked/agency.toml")).expect("reads");
        let name_line = worked.lines().find(|l| l.starts_with("name = ")).expect("a name");
        std::fs::write(&agency, worked.replacen(name_line, "name = \"Acme\\u001b[2J RAA\"", 1))
            .expect("write");
        let o = adoptcost(&["compare", "--agency", s(&agency)]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let shown = text(&o.stdout);
        assert!(shown.contains("Acme\\x1b[2J RAA") && !shown.contains('\u{1b}'), "{shown}");
    }

    #[test]
    fn a_cost_far_outside_published_costs_is_costed_and_flagged() {
        // Salaries entered per month by mistake would read as tiny; entered in pence, as huge.
        let tmp = tempdir("implausible");
        let worked = std::fs::read_to_string(fixtures().join("worked/agency.toml")).expect("reads");
        for (from, to, flagged) in
            [("salary = 40000", "salary = 400000000", true), ("salary = 40000", "salary = 40000", false)]
        {
            assert!(worked.contains(from), "{from}");
            let agency = tmp.join("a.toml");
            std::fs::write(&agency, worked.replacen(from, to, 1)).expect("write");
            let o = adoptcost(&["compare", "--agency", s(&agency)]);
            assert!(o.status.success(), "{}", text(&o.stderr));
            let out = text(&o.stdout);
            assert_eq!(out.contains("is outside the plausible £1,000 to £1,000,000"), flagged, "{out}");
        }
    }

    #[test]
    fn a_rate_typed_as_a_fraction_in_a_file_is_costed_with_both_readings() {
        let tmp = tempdir("fraction-rate");
        let worked = std::fs::read_to_string(fixtures().join("worked/agency.toml")).expect("reads");
        let agency = tmp.join("a.toml");
        std::fs::write(&agency, worked.replacen("pension_rate = 20", "pension_rate = 0.195", 1))
            .expect("write");
        let o = adoptcost(&["compare", "--agency", s(&agency)]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let out = text(&o.stdout);
        let note = "on_costs.pension_rate 0.195 is read as 0.195%: a rate in a file or option is the percent figure. If 19.5% was meant, write 19.5.";
        assert!(out.contains(note), "{out}");
    }
}
