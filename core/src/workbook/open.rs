//! Opening an input workbook's bytes safely: which format it is, and whether it stays within
//! the limits before anything of it is inflated or laid out.
//!
//! A workbook is small on disk and can be large in memory: a few megabytes of zip can inflate
//! to gigabytes of XML (a decompression bomb), and one cell far down and to the right asks a
//! reader that lays a sheet out as a grid for billions of cells. So the container's parts are
//! checked against [`Limits`] from the sizes its directory declares (the zip reader never
//! inflates a part past its declared size), an OpenDocument sheet's extent is worked out from
//! its XML before calamine lays it out, and the cells themselves are read one at a time into a
//! sparse grid (the `grid` module) that keeps only the template's columns.

use std::io::{Cursor, Read};

use calamine::{Ods, Reader, Xls, Xlsx};

use crate::error::{Error, Result};

/// How much of a workbook adoptcost will read. The defaults take any real input, up to a
/// Children sheet of Excel's 1,048,576 rows; a caller with a legitimate need raises them (the
/// command line has an option for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The workbook's parts inflated, in all, in bytes.
    pub inflated_bytes: u64,
    /// Cells with a value read from the input sheets, in all.
    pub cells: u64,
    /// Text held in those cells, in all, in bytes.
    pub text_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { inflated_bytes: 2 << 30, cells: 1 << 24, text_bytes: 256 << 20 }
    }
}

/// The command-line option that raises each limit, for the messages.
pub const OPTIONS: [(&str, &str); 3] =
    [("inflated", "--max-inflated-mb"), ("cells", "--max-cells"), ("text", "--max-text-mb")];

/// A part this many times larger inflated than compressed is refused (past 4 MiB): deflate
/// tops out near 1,000 to 1; a spreadsheet's XML compresses about 10 to 1, and even a sheet of
/// one value repeated stays well under this.
const MAX_RATIO: u64 = 250;

/// The most rows and columns a sheet can have (Excel's grid).
pub const MAX_ROWS: u32 = 1 << 20;
/// See [`MAX_ROWS`].
pub const MAX_COLUMNS: u32 = 1 << 14;

/// An opened workbook, in its format.
pub enum Book<'b> {
    /// .xlsx or .xlsm: its cells are streamed.
    Xlsx(Xlsx<Cursor<&'b [u8]>>),
    /// .ods (checked for its extent before it is laid out).
    Ods(Ods<Cursor<&'b [u8]>>),
    /// .xls (its grid is bounded by the format: 65,536 rows of 256 columns).
    Xls(Xls<Cursor<&'b [u8]>>),
}

impl std::fmt::Debug for Book<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Book::Xlsx(_) => "Book::Xlsx",
            Book::Ods(_) => "Book::Ods",
            Book::Xls(_) => "Book::Xls",
        })
    }
}

impl Book<'_> {
    /// The names of its sheets.
    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
        }
    }
}

fn whole(message: impl Into<String>) -> Error {
    Error::Workbook { place: String::new(), message: message.into() }
}

/// A limit passed: which, and how to raise it.
pub fn beyond(what: &str, found: String, limit: String, key: &str) -> Error {
    let option = OPTIONS.iter().find(|(k, _)| *k == key).map_or("", |(_, o)| o);
    whole(format!(
        "{what}: {found}, over the limit of {limit}; expected a workbook within the limits (a real one is: if yours is, raise the limit with {option})"
    ))
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// True for a password-protected Office file: an OLE compound file holding an
/// `EncryptedPackage` stream (its name is stored in UTF-16).
fn is_encrypted(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.starts_with(&OLE) && bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// What a reader's panic on a damaged file is reported as.
pub(super) const READER_STOPPED: &str = "the spreadsheet reader stopped at a fault in the file's structure, so the file is damaged; open it in Excel or LibreOffice and save it again";

/// Runs one call into the spreadsheet reader, turning a panic in it into `Err(None)`.
///
/// calamine indexes some of a damaged file's structures without checking them (an Excel 97
/// file whose sector chain points past its end panics in its `cfb` module), and a damaged
/// input is the user's fault to fix, not a bug in adoptcost: the caller reports it as a damaged
/// file. Only calls into calamine are wrapped, so a panic in adoptcost's own code still
/// reaches the front door as an internal error. (Where panics abort, as in the browser's
/// module, this cannot catch one.)
pub(super) fn reader<T, E>(
    f: impl FnOnce() -> std::result::Result<T, E>,
) -> std::result::Result<T, Option<E>> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(Some),
        Err(_) => Err(None),
    }
}

/// Opens a workbook's bytes in its format, after checking they stay within `limits`.
pub fn open<'b>(bytes: &'b [u8], limits: &Limits) -> Result<Book<'b>> {
    if is_encrypted(bytes) {
        return Err(whole(
            "is encrypted (protected with a password to open); expected a workbook without a password: save a copy without one and run that",
        ));
    }
    let cannot = |e: &dyn std::fmt::Display| {
        let e = e.to_string();
        whole(match damage(&e) {
            Some(words) => format!("cannot be read: {words}"),
            None => format!(
                "cannot be read as a spreadsheet ({e}); expected an .xlsx, .xlsm, .xls or .ods workbook that is not damaged"
            ),
        })
    };
    let stopped = |e: Option<calamine::Error>| match e {
        Some(e) => cannot(&e),
        None => whole(format!("cannot be read: {READER_STOPPED}")),
    };
    if bytes.starts_with(&OLE) {
        check_compound_file(bytes)?;
        return reader(|| Xls::new(Cursor::new(bytes)).map_err(calamine::Error::from))
            .map(Book::Xls)
            .map_err(stopped);
    }
    if !bytes.starts_with(ZIP) {
        return Err(cannot(&"it is neither a zip container nor an Excel 97 file"));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| cannot(&e))?;
    check_parts(&mut zip, limits)?;
    if zip.index_for_name("content.xml").is_some() && zip.index_for_name("xl/workbook.xml").is_none() {
        check_ods_extent(&mut zip, limits)?;
        return reader(|| Ods::new(Cursor::new(bytes)).map_err(calamine::Error::from))
            .map(Book::Ods)
            .map_err(stopped);
    }
    if zip.index_for_name("xl/workbook.xml").is_none() {
        return Err(cannot(&"it has no xl/workbook.xml (an .xlsx) or content.xml (an .ods)"));
    }
    reader(|| Xlsx::new(Cursor::new(bytes)).map_err(calamine::Error::from)).map(Book::Xlsx).map_err(stopped)
}

/// An Excel 97 file's container checked before calamine reads it: readable as a compound file
/// (cfb, in its permissive mode, which takes the quirks real files have but refuses a chain
/// that loops), and no stream longer than the file. calamine follows a stream's chain until it
/// has the length the directory declares, so a loop in a file of a few kilobytes would have it
/// allocate gigabytes; with no stream longer than the file, what it reads stays within it.
fn check_compound_file(bytes: &[u8]) -> Result<()> {
    let damaged = |why: String| {
        whole(format!(
            "cannot be read: its Excel 97 structure is damaged ({why}); open it in Excel or LibreOffice and save it again"
        ))
    };
    let file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let size = bytes.len() as u64;
    match file.walk().find(|e| e.is_stream() && e.len() > size) {
        Some(e) => Err(damaged(format!(
            "stream {} says it holds {} bytes, more than the file's {size}",
            e.path().display(),
            e.len()
        ))),
        None => Ok(()),
    }
}

/// Every part's declared inflated size within the limits, before any is inflated.
fn check_parts<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, limits: &Limits) -> Result<()> {
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part =
            zip.by_index_raw(i).map_err(|e| whole(format!("cannot be read as a spreadsheet ({e})")))?;
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        if size > 4 << 20 && size / packed > MAX_RATIO {
            return Err(whole(format!(
                "part {} inflates from {} to {} bytes, {}:1; expected a spreadsheet (their parts compress about 10:1): this looks like a decompression bomb",
                part.name().unwrap_or_default(),
                packed,
                size,
                size / packed
            )));
        }
        total = total.saturating_add(size);
        if total > limits.inflated_bytes {
            return Err(beyond(
                "workbook",
                format!("its parts inflate to more than {} MB", limits.inflated_bytes >> 20),
                format!("{} MB", limits.inflated_bytes >> 20),
                "inflated",
            ));
        }
    }
    Ok(())
}

/// An OpenDocument sheet's extent, worked out from its XML as calamine would lay it out (the
/// rectangle from the first to the last row and column with a value, repeated rows and columns
/// counted), within the cell limit.
fn check_ods_extent<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, limits: &Limits) -> Result<()> {
    use quick_xml::events::{BytesStart, Event};
    let broken = |e: &dyn std::fmt::Display| whole(format!("cannot be read as a spreadsheet ({e})"));
    let file = zip.by_name("content.xml").map_err(|e| broken(&e))?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(file));
    let mut buf = Vec::new();
    let repeated = |e: &BytesStart, name: &str| -> u64 {
        e.try_get_attribute(name).ok().flatten().and_then(|a| a.value.parse().ok()).unwrap_or(1)
    };
    // Per sheet: the next row, its repeats and columns; the rows and columns with a value.
    let (mut row, mut repeats, mut col) = (0u64, 1u64, 0u64);
    let (mut first, mut last, mut width) = (None::<u64>, 0u64, 0u64);
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| broken(&e))?;
        let mut row_ends = false;
        match &event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                (row, first, last, width) = (0, None, 0, 0);
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                (repeats, col) = (repeated(e, "table:number-rows-repeated"), 0);
                row_ends = matches!(event, Event::Empty(_));
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") =>
            {
                col = col.saturating_add(repeated(e, "table:number-columns-repeated"));
                if e.try_get_attribute("office:value-type").ok().flatten().is_some() {
                    first.get_or_insert(row);
                    last = row.saturating_add(repeats - 1);
                    width = width.max(col);
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => row_ends = true,
            Event::Eof => break,
            _ => {}
        }
        if row_ends {
            row = row.saturating_add(repeats);
        }
        let rows = first.map_or(0, |f| last.saturating_sub(f) + 1);
        if rows.saturating_mul(width) > limits.cells || width > u64::from(MAX_COLUMNS) {
            return Err(beyond(
                "workbook",
                format!("an OpenDocument sheet laid out as {rows} rows of {width} columns"),
                format!("{} cells", limits.cells),
                "cells",
            ));
        }
        buf.clear();
    }
    Ok(())
}

/// A reader's error in words a user can act on, where it is one of the ways a file is commonly
/// damaged.
pub(super) fn damage(e: &str) -> Option<String> {
    const RESAVE: &str = "open it in Excel or LibreOffice and save it again";
    if e.contains("UTF-8") || e.contains("utf-8") {
        Some(format!(
            "a part holds text that is not UTF-8, as the format requires, so the file is damaged; {RESAVE}"
        ))
    } else if e.contains("Worksheet") && e.ends_with("not found") {
        Some(format!(
            "the workbook lists the sheet but its contents are missing, so the file is damaged; {RESAVE}"
        ))
    } else {
        None
    }
}
