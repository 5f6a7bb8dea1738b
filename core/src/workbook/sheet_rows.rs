//! A large sheet's rows written as SpreadsheetML by the library and compressed as they come,
//! then spliced into the workbook rust_xlsxwriter writes around them.
//!
//! rust_xlsxwriter compresses every part of a workbook when it saves it, one part after
//! another on one thread, once the last row is written: for a large batch the longest single
//! step of the run, with the other core idle (docs/decisions.md). So Placements' rows are
//! written here, cell for cell the XML rust_xlsxwriter writes for them, and compressed while
//! the rows after them are costed. rust_xlsxwriter writes everything else: the sheet around the
//! rows (header row, columns, panes, filter, print setup) and the other parts. At the end the
//! rows go in before the sheet's `</sheetData>`: its head, the rows and its tail are each a
//! run of raw deflate blocks ending on a byte boundary (a sync flush), so their
//! concatenation is one deflate stream, and their checksums combine into the part's.
#![allow(clippy::disallowed_types)] // Excel cells hold floats: converted at the boundary (cell.rs)

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{Cursor, Read};

use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::text::push_int;

/// The compression level of the spliced rows: rust_xlsxwriter's for the costed workbook's
/// other parts (see `Costed::finish`).
pub(crate) const LEVEL: u32 = 3;

/// The XML of one row of a sheet, its cells added in column order.
pub(crate) struct RowXml {
    xml: String,
    /// The row's number as Excel shows it (1-based), for each cell's reference.
    number: String,
}

impl RowXml {
    /// An empty row at sheet row `r` (0-based).
    pub(crate) fn new(r: u32) -> Self {
        let number = (r + 1).to_string();
        let mut xml = String::with_capacity(1536);
        xml.push_str("<row r=\"");
        xml.push_str(&number);
        xml.push_str("\">");
        RowXml { xml, number }
    }

    /// The opening of a cell: `<c r="B7"` and its style, if it has one.
    fn open(&mut self, col: &str, xf: u32) {
        self.xml.push_str("<c r=\"");
        self.xml.push_str(col);
        self.xml.push_str(&self.number);
        self.xml.push('"');
        if xf > 0 {
            self.xml.push_str(" s=\"");
            push_int(&mut self.xml, xf.into());
            self.xml.push('"');
        }
    }

    /// A number cell in column `col` (letters) with style `xf` (0 for none).
    pub(crate) fn number(&mut self, col: &str, x: f64, xf: u32) {
        self.open(col, xf);
        let _ = write!(self.xml, "><v>{x}</v></c>");
    }

    /// A number cell holding a decimal as the float Excel keeps for it: a whole number a float
    /// holds exactly written from its digits (the float's text is the same, and most cells of
    /// a row are whole), any other through the float; `None` where it has no float.
    pub(crate) fn decimal(&mut self, col: &str, d: Decimal, xf: u32) -> Option<()> {
        match whole(d) {
            Some(n) => {
                self.open(col, xf);
                self.xml.push_str("><v>");
                push_int(&mut self.xml, n);
                self.xml.push_str("</v></c>");
            }
            None => self.number(col, super::cell::float_from_decimal(d)?, xf),
        }
        Some(())
    }

    /// A text cell with style `xf`, held in the cell (an inline string). Text is cut as every
    /// cell's is ([`super::cell::fit`]); empty text writes no cell, as Excel keeps none.
    pub(crate) fn text(&mut self, col: &str, text: &str, xf: u32) {
        if text.is_empty() {
            return;
        }
        let text = super::cell::fit(text);
        self.open(col, xf);
        let preserve = [' ', '\t', '\n'];
        let space = if text.starts_with(preserve) || text.ends_with(preserve) {
            " xml:space=\"preserve\""
        } else {
            ""
        };
        let _ = write!(self.xml, " t=\"inlineStr\"><is><t{space}>");
        escape(&mut self.xml, &literal_escapes(&text));
        self.xml.push_str("</t></is></c>");
    }

    /// A formula cell with its cached numeric result: the formula (without its `=`) is the
    /// pieces of `formula` joined by the row's number (its references are to its own row).
    pub(crate) fn formula(&mut self, col: &str, formula: &[String], result: Decimal, xf: u32) {
        self.open(col, xf);
        self.xml.push_str("><f>");
        for (k, piece) in formula.iter().enumerate() {
            if k > 0 {
                self.xml.push_str(&self.number);
            }
            escape(&mut self.xml, piece);
        }
        self.xml.push_str("</f><v>");
        push_normalized(&mut self.xml, result);
        self.xml.push_str("</v></c>");
    }

    /// The row's XML.
    pub(crate) fn finish(mut self) -> String {
        self.xml.push_str("</row>");
        self.xml
    }
}

/// The whole number `d` is, where a float holds it exactly (below 2^53), and it is not a
/// negative zero (whose float is written `-0`).
fn whole(d: Decimal) -> Option<i64> {
    const EXACT: i128 = 1 << 53;
    let (m, scale) = (d.mantissa(), d.scale());
    let n = if scale == 0 {
        m
    } else {
        let p = 10i128.checked_pow(scale)?;
        if m % p != 0 {
            return None;
        }
        m / p
    };
    (n.abs() < EXACT && (n != 0 || !d.is_sign_negative())).then_some(n as i64)
}

/// `d`'s text as `d.normalize().to_string()` writes it (no trailing zeros after the point,
/// zero unsigned), from the digits of its mantissa: the cached result of every formula cell.
fn push_normalized(out: &mut String, d: Decimal) {
    if d.is_zero() {
        out.push('0');
        return;
    }
    if d.is_sign_negative() {
        out.push('-');
    }
    let mut digits = String::with_capacity(40);
    let _ = write!(digits, "{}", d.mantissa().unsigned_abs());
    let scale = d.scale() as usize;
    if scale == 0 {
        out.push_str(&digits);
        return;
    }
    // Whole digits, then the fraction padded with leading zeros to the scale.
    let (whole, fraction) = if digits.len() > scale {
        let (w, f) = digits.split_at(digits.len() - scale);
        (w, Cow::Borrowed(f))
    } else {
        ("0", Cow::Owned(format!("{}{digits}", "0".repeat(scale - digits.len()))))
    };
    out.push_str(whole);
    let fraction = fraction.trim_end_matches('0');
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
}

/// `text` with what XML and Excel escape in a cell's text escaped: `&`, `<`, `>`, and the
/// control characters and non-characters Excel writes as `_xHHHH_`.
fn escape(out: &mut String, text: &str) {
    // Most text (a reference, a code, a word) has nothing to escape: copied whole. (0xEF leads
    // the encoding of U+FFFE and U+FFFF, among others: such text takes the longer way.)
    let plain = |b: &u8| !matches!(b, b'&' | b'<' | b'>' | 0..=8 | 11..=31 | 0xEF);
    if text.as_bytes().iter().all(plain) {
        out.push_str(text);
        return;
    }
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(ch),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {
                let _ = write!(out, "_x{:04X}_", u32::from(ch));
            }
            _ => out.push(ch),
        }
    }
}

/// `text` with each `_xHHHH_` it holds literally marked as literal (`_x005F_xHHHH_`), as
/// Excel does, so it is not read as an escaped character.
fn literal_escapes(text: &str) -> Cow<'_, str> {
    const LEN: usize = "_xHHHH_".len();
    let is_escape = |i: usize| {
        text.get(i..i + LEN).is_some_and(|s| {
            s.as_bytes()[LEN - 1] == b'_' && s.as_bytes()[2..LEN - 1].iter().all(u8::is_ascii_hexdigit)
        })
    };
    let at: Vec<usize> = text.match_indices("_x").map(|(i, _)| i).filter(|&i| is_escape(i)).collect();
    if at.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 5 * at.len());
    let mut from = 0;
    for i in at {
        out.push_str(&text[from..i]);
        out.push_str("_x005F");
        from = i;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// Raw deflate blocks of a part's text and its checksum, ending on a byte boundary so that
/// another run can follow.
pub(crate) struct Deflated {
    /// The compressed bytes.
    bytes: Vec<u8>,
    /// The CRC-32 of the text.
    crc: Crc,
    /// The text's length in bytes.
    len: u64,
}

/// Text compressed as it is written, in pieces of at least [`Deflater::PIECE`] bytes (the
/// compressor's fixed cost a call is then nothing beside its work).
pub(crate) struct Deflater {
    compress: Compress,
    pending: Vec<u8>,
    out: Deflated,
}

impl Deflater {
    const PIECE: usize = 1 << 16;

    pub(crate) fn new() -> Self {
        Deflater {
            compress: Compress::new(Compression::new(LEVEL), false),
            pending: Vec::with_capacity(Self::PIECE * 2),
            out: Deflated { bytes: Vec::new(), crc: Crc::new(), len: 0 },
        }
    }

    /// Adds text.
    pub(crate) fn write(&mut self, text: &[u8]) -> Result<()> {
        self.pending.extend_from_slice(text);
        if self.pending.len() >= Self::PIECE { self.run(FlushCompress::None) } else { Ok(()) }
    }

    /// The blocks of everything written, ending with a sync flush.
    pub(crate) fn finish(mut self) -> Result<Deflated> {
        self.run(FlushCompress::Sync)?;
        Ok(self.out)
    }

    fn run(&mut self, flush: FlushCompress) -> Result<()> {
        let input = std::mem::take(&mut self.pending);
        self.out.crc.update(&input);
        self.out.len += input.len() as u64;
        let mut at = 0;
        loop {
            // Deflate never grows text by more than a few bytes in 16 KB, plus a flush's marker.
            self.out.bytes.reserve(input.len() - at + input.len() / 64 + 64);
            let before = self.compress.total_in();
            let status = self
                .compress
                .compress_vec(&input[at..], &mut self.out.bytes, flush)
                .map_err(|e| Error::internal(format!("compressing Placements: {e}")))?;
            at += (self.compress.total_in() - before) as usize;
            // A flush is complete once every byte is in and the output had room to spare; the
            // stream's end once the compressor says so.
            let room = self.out.bytes.len() < self.out.bytes.capacity();
            match (flush, status) {
                (FlushCompress::Finish, Status::StreamEnd) => break,
                (FlushCompress::Finish, _) => {}
                _ if at == input.len() && room => break,
                _ => {}
            }
        }
        self.pending = input;
        self.pending.clear();
        Ok(())
    }
}

/// Text compressed at once: the end of a part, with `last` set, ends its stream.
fn deflate(text: &[u8], last: bool) -> Result<Deflated> {
    let mut d = Deflater::new();
    d.pending.extend_from_slice(text);
    d.run(if last { FlushCompress::Finish } else { FlushCompress::Sync })?;
    Ok(d.out)
}

/// The workbook `book` (rust_xlsxwriter's) with `rows` put into its part `part` (a worksheet)
/// before `</sheetData>`, and the sheet's `<dimension>` made to reach row `last_row` (1-based)
/// from `dimension`, its extent without them. `check` is given the sheet's XML before the rows
/// (to check that they fit it).
pub(crate) fn splice(
    book: &[u8],
    part: &str,
    dimension: &str,
    last_row: u32,
    rows: Deflated,
    check: impl Fn(&str) -> Result<()>,
) -> Result<Vec<u8>> {
    let zip_error =
        |e: zip::result::ZipError| Error::internal(format!("splicing Placements into the workbook: {e}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(book)).map_err(zip_error)?;
    let mut sheet = String::new();
    archive
        .by_name(part)
        .map_err(zip_error)?
        .read_to_string(&mut sheet)
        .map_err(|e| Error::internal(e.to_string()))?;
    let (head, tail) = sheet
        .split_once("</sheetData>")
        .ok_or_else(|| Error::internal(format!("{part} has no sheetData")))?;
    check(head)?;
    let (from, to) = (
        format!("<dimension ref=\"{dimension}\"/>"),
        format!("<dimension ref=\"{}\"/>", reach(dimension, last_row)?),
    );
    if head.matches(&from).count() != 1 {
        return Err(Error::internal(format!("{part} does not hold {from} once")));
    }
    let head = head.replacen(&from, &to, 1);
    let tail = format!("</sheetData>{tail}");
    let runs = [deflate(head.as_bytes(), false)?, rows, deflate(tail.as_bytes(), true)?];
    let one = single_entry(part, runs)?;
    let mut single = zip::ZipArchive::new(Cursor::new(one)).map_err(zip_error)?;

    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(
        book.len() + single.central_directory_start() as usize,
    )));
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(zip_error)?;
        if file.name_raw() == part.as_bytes() {
            let spliced = single.by_index_raw(0).map_err(zip_error)?;
            out.raw_copy_file(spliced).map_err(zip_error)?;
        } else {
            out.raw_copy_file(file).map_err(zip_error)?;
        }
    }
    Ok(out.finish().map_err(zip_error)?.into_inner())
}

/// `A1:AC1` reaching row `last_row`: `A1:AC{last_row}` (a sheet whose extent so far is its
/// header row).
fn reach(dimension: &str, last_row: u32) -> Result<String> {
    let (from, to) =
        dimension.split_once(':').ok_or_else(|| Error::internal(format!("dimension {dimension}")))?;
    let letters = to.trim_end_matches(|c: char| c.is_ascii_digit());
    Ok(format!("{from}:{letters}{}", last_row.max(1)))
}

/// A zip archive of one entry, the runs of deflate blocks one after another (the zip crate
/// copies an entry compressed already only from an archive): a local header, the data, the
/// central directory and its end, as rust_xlsxwriter writes its entries (dated 1980-01-01,
/// Unix mode 0600).
fn single_entry(name: &str, runs: [Deflated; 3]) -> Result<Vec<u8>> {
    let too_large = || Error::Workbook {
        place: "Placements".into(),
        message: "could not be written: the sheet is larger than a workbook's 4 GB part".into(),
    };
    let mut crc = Crc::new();
    for run in &runs {
        crc.combine(&run.crc);
    }
    let size = u32::try_from(runs.iter().map(|r| r.len).sum::<u64>()).map_err(|_| too_large())?;
    let packed_len: usize = runs.iter().map(|r| r.bytes.len()).sum();
    let packed = u32::try_from(packed_len).map_err(|_| too_large())?;
    let name_len = u16::try_from(name.len()).map_err(|_| Error::internal(format!("part name {name}")))?;
    let (crc, date) = (crc.sum(), (1 << 5) | 1u16); // 1980-01-01
    let mut z = Vec::with_capacity(packed_len + 2 * name.len() + 128);
    let common = |z: &mut Vec<u8>| {
        z.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0, deflate
        z.extend_from_slice(&0u16.to_le_bytes()); // flags
        z.extend_from_slice(&8u16.to_le_bytes()); // deflate
        z.extend_from_slice(&0u16.to_le_bytes()); // time
        z.extend_from_slice(&date.to_le_bytes());
        z.extend_from_slice(&crc.to_le_bytes());
        z.extend_from_slice(&packed.to_le_bytes());
        z.extend_from_slice(&size.to_le_bytes());
        z.extend_from_slice(&name_len.to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes()); // extra field
    };
    z.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    common(&mut z);
    z.extend_from_slice(name.as_bytes());
    for run in runs {
        z.extend_from_slice(&run.bytes);
    }
    let central = u32::try_from(z.len()).map_err(|_| too_large())?;
    z.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    z.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made by: Unix, 2.0
    common(&mut z);
    z.extend_from_slice(&0u16.to_le_bytes()); // comment
    z.extend_from_slice(&0u16.to_le_bytes()); // disk
    z.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    z.extend_from_slice(&(0o100_600u32 << 16).to_le_bytes()); // a file, mode 0600
    z.extend_from_slice(&0u32.to_le_bytes()); // local header at 0
    z.extend_from_slice(name.as_bytes());
    let central_len = u32::try_from(z.len()).map_err(|_| too_large())? - central;
    z.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    z.extend_from_slice(&[0; 4]); // this disk, the central directory's disk
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&central_len.to_le_bytes());
    z.extend_from_slice(&central.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes()); // comment
    Ok(z)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_row_is_written_as_excel_writes_its_cells() {
        let mut row = RowXml::new(6);
        row.number("A", 7.0, 2);
        row.text("B", " R&D <one>\u{1}_x0041_", 0);
        row.text("C", "", 3);
        row.formula("D", &["A".into(), "*(1-B".into(), ")".into()], dec!(-12.5), 4);
        row.text("E", "none", 2);
        row.number("F", 0.1, 0);
        assert_eq!(
            row.finish(),
            "<row r=\"7\"><c r=\"A7\" s=\"2\"><v>7</v></c>\
             <c r=\"B7\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> R&amp;D &lt;one&gt;_x0001__x005F_x0041_</t></is></c>\
             <c r=\"D7\" s=\"4\"><f>A7*(1-B7)</f><v>-12.5</v></c>\
             <c r=\"E7\" s=\"2\" t=\"inlineStr\"><is><t>none</t></is></c><c r=\"F7\"><v>0.1</v></c></row>"
        );
    }

    /// Decimals at the edges: zero of each sign and scale, whole numbers written with a scale,
    /// the float's exact limit, fractions below one, the largest mantissa and scale.
    fn edges() -> Vec<Decimal> {
        let mut all = vec![
            Decimal::ZERO,
            -Decimal::ZERO,
            Decimal::new(0, 5),
            -Decimal::new(0, 5),
            dec!(2100),
            dec!(60000.00),
            dec!(-43000.000),
            dec!(0.5),
            dec!(-0.000125),
            dec!(91919.00668391007528873140608),
            dec!(9007199254740991),
            dec!(9007199254740992),
            dec!(-9007199254740991.0),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
            Decimal::new(10, 28),
        ];
        all.extend((0..=28).map(|s| Decimal::new(1_000_000, s)));
        all
    }

    fn check_text(d: Decimal) {
        let mut text = String::new();
        push_normalized(&mut text, d);
        assert_eq!(text, d.normalize().to_string(), "{d:?}");
        let mut row = RowXml::new(0);
        row.decimal("A", d, 0).expect("a float");
        let float = format!("{}", crate::workbook::cell::float_from_decimal(d).expect("a float"));
        assert_eq!(row.finish(), format!("<row r=\"1\"><c r=\"A1\"><v>{float}</v></c></row>"), "{d:?}");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_decimal_is_written_as_its_float_and_a_result_as_its_normal_text() {
        for d in edges() {
            check_text(d);
        }
    }

    // Native only: proptest has no wasm32 build.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_decimal_is_written_as_its_float_and_a_result_as_its_normal_text(
            lo: u32, mid: u32, hi in 0u32..4, negative: bool, scale in 0u32..=28,
        ) {
            check_text(Decimal::from_parts(lo, mid, hi, negative, scale));
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn a_non_character_is_escaped_and_other_text_copied() {
        let mut out = String::new();
        escape(&mut out, "a\u{FFFE}b\u{FFFF}\u{F8FF}\tc\r");
        assert_eq!(out, "a_xFFFE_b_xFFFF_\u{F8FF}\tc_x000D_");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn only_a_whole_escape_is_marked_literal() {
        assert_eq!(literal_escapes("a_x00_b_xZZZZ_c_x004"), "a_x00_b_xZZZZ_c_x004");
        assert_eq!(literal_escapes("_x00e9_"), "_x005F_x00e9_");
    }

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn an_entry_of_runs_of_blocks_inflates_to_the_texts_joined() {
        let texts: [&[u8]; 3] = [b"<head>", &b"<row/>".repeat(40_000), b"</tail>"];
        let mut middle = Deflater::new();
        for piece in texts[1].chunks(999) {
            middle.write(piece).expect("write");
        }
        let runs = [
            deflate(texts[0], false).expect("head"),
            middle.finish().expect("rows"),
            deflate(texts[2], true).expect("tail"),
        ];
        let z = single_entry("xl/worksheets/sheet2.xml", runs).expect("zip");
        let mut archive = zip::ZipArchive::new(Cursor::new(z)).expect("archive");
        let mut back = Vec::new();
        let mut entry = archive.by_index(0).expect("entry");
        assert_eq!(entry.name_raw(), b"xl/worksheets/sheet2.xml");
        entry.read_to_end(&mut back).expect("inflates, its length and checksum checked");
        assert_eq!(back, texts.concat());
    }
}
