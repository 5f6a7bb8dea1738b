//! Files in and out. Inputs are read whole but never past a limit (a file, a device such as
//! /dev/zero, or standard input). Outputs are written atomically (to a temporary file in the
//! target's folder, then renamed over the target), only over a regular file, never over any of
//! the command's inputs, and over a read-only file only with --force.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::Failure;

/// How much the command reads: set once from the options, before any input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// An input file's or standard input's bytes.
    pub input: u64,
    /// A TOML or JSON input's bytes: a sixteenth of `input` (agency and scenario files are a
    /// few kilobytes; reading text into a tree takes many times its size).
    pub text: u64,
    /// A workbook's own limits.
    pub workbook: adoptcost::workbook::Limits,
}

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the limits (the first call wins; the default otherwise).
pub fn set_limits(l: Limits) {
    let _ = LIMITS.set(l);
}

static TODAY: OnceLock<jiff::civil::Date> = OnceLock::new();

/// Sets today's date from `--today`, or else the computer's clock: read once, here, so every
/// figure of a run agrees on the day.
pub fn set_today(given: Option<jiff::civil::Date>) {
    let _ = TODAY.set(given.unwrap_or_else(|| jiff::Zoned::now().date()));
}

/// Today's date, as [`set_today`] set it (the clock's, if it was not called).
pub fn today() -> jiff::civil::Date {
    *TODAY.get_or_init(|| jiff::Zoned::now().date())
}

/// The limits in force.
pub fn limits() -> Limits {
    *LIMITS.get_or_init(|| Limits::from_mb(256, adoptcost::workbook::Limits::default()))
}

impl Limits {
    /// From `--max-input-mb` and the workbook's limits.
    pub fn from_mb(input_mb: u64, workbook: adoptcost::workbook::Limits) -> Limits {
        let input = input_mb.saturating_mul(1 << 20);
        Limits { input, text: input / 16, workbook }
    }
}

pub fn write_failure(path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure { code: 1, message: format!("writing {}: {e}", path.display()), hints: Vec::new() }
}

/// At most `limit` bytes of a reader; more is an error saying which limit and how to raise it.
fn read_at_most(r: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    r.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::input(format!("{what}: cannot be read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(Failure::input(format!(
            "{what}: more than {} MB; expected an input within the limit",
            limit >> 20
        ))
        .hint("if it is the right input, raise the limit with --max-input-mb"));
    }
    Ok(bytes)
}

/// A file's bytes, within `limit`: a device or a pipe is read only as far as the limit.
fn read_file(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, Failure> {
    let file = std::fs::File::open(path)
        .map_err(|e| Failure::input(format!("{what} {}: cannot be read: {e}", path.display())))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Failure::input(format!("{what} {}: is a folder; expected a file", path.display())));
    }
    read_at_most(file, limit, &format!("{what} {}", path.display()))
}

/// A TOML or JSON file's text, within the text limit, without a byte-order mark.
pub fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    let bytes = read_file(path, limits().text, what)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Failure::input(format!(
            "{what} {}: is not UTF-8 text (byte {} is not); expected a TOML or JSON file saved as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to() + 1
        ))
    })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

/// A workbook's bytes from a file, or from standard input for `-`, and its name for messages.
pub fn read_input(input: &Path) -> Result<(Vec<u8>, String), Failure> {
    let limit = limits().input;
    if input.as_os_str() == "-" {
        let b = read_at_most(std::io::stdin().lock(), limit, "the workbook on standard input")?;
        return Ok((b, "standard input".to_string()));
    }
    Ok((read_file(input, limit, "workbook")?, input.display().to_string()))
}

/// Where an output goes: a file, or standard output (`-o -`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file, written atomically.
    File(PathBuf),
    /// Standard output.
    Stdout,
}

/// Checks that `out` may be written by `command`: never over one of its `inputs`, only over a
/// regular file, over a read-only file only with `force`. `-` is standard output where the
/// output can go there (a workbook, not to a terminal).
pub fn target(out: &Path, inputs: &[&Path], force: bool, command: &str) -> Result<Target, Failure> {
    if out.as_os_str() == "-" {
        if std::io::stdout().is_terminal() {
            return Err(Failure::input(format!(
                "-o -: the {command} workbook is binary and standard output is a terminal"
            ))
            .hint("redirect it to a file (-o - > out.xlsx), or give the output a name"));
        }
        return Ok(Target::Stdout);
    }
    for input in inputs.iter().filter(|i| i.as_os_str() != "-") {
        if out == *input || same_file(out, input) {
            return Err(Failure::input(format!(
                "-o {} is an input of this command ({}); {command} never writes over its input",
                out.display(),
                input.display()
            ))
            .hint("give the output another name"));
        }
    }
    if let Ok(meta) = std::fs::metadata(out) {
        if !meta.is_file() {
            return Err(Failure::input(format!(
                "-o {}: is not a regular file (a folder, a device or a pipe); adoptcost writes only regular files",
                out.display()
            ))
            .hint("give the output a file's name"));
        }
        if meta.permissions().readonly() && !force {
            return Err(Failure::input(format!("-o {}: is read-only; it is not replaced", out.display()))
                .hint("add --force to replace it, or give the output another name"));
        }
    }
    Ok(Target::File(out.to_path_buf()))
}

/// Writes bytes to a checked target: a file atomically, or standard output.
pub fn write_to(target: &Target, bytes: &[u8]) -> Result<(), Failure> {
    match target {
        Target::File(path) => write_atomically(path, bytes),
        Target::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|()| out.flush()).map_err(|e| Failure {
                code: 1,
                message: format!("writing to standard output: {e}"),
                hints: Vec::new(),
            })
        }
    }
}

/// True where two paths name the same file: the same canonical path, or (on Unix) the same
/// device and inode, so a hard link or a second name for the input is caught too.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b))
            && x.dev() == y.dev()
            && x.ino() == y.ino()
        {
            return true;
        }
    }
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// Writes bytes to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".adoptcost-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| write_failure(path, e))?;
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(|e| write_failure(path, e))?;
    // A temporary file is private (0600); the output keeps the target's permissions where it
    // exists (made writable: it is replaced only with --force where it was read-only), and
    // otherwise gets a normal file's (0644).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map(|m| m.permissions().mode() | 0o200).unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| write_failure(path, e))?;
    }
    tmp.persist(path).map_err(|e| write_failure(path, e.error))?;
    Ok(())
}

/// Control characters in text for a terminal (an agency name holding an escape sequence, say)
/// written visibly (`\x1b`), so text from an input never drives the terminal. Line breaks and
/// tabs stay.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A text field of CSV output made safe to open in a spreadsheet: one that begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return is prefixed with `'`, so no spreadsheet reads it as a
/// formula (OWASP's rule for CSV injection).
pub fn csv_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_is_neutralised_in_csv() {
        for (raw, safe) in [
            (
                "=HYPERLINK(\"http://evil.example/x\",\"click\")",
                "'=HYPERLINK(\"http://evil.example/x\",\"click\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("@SUM(1)", "'@SUM(1)"),
            ("-2+3", "'-2+3"),
            ("\tx", "'\tx"),
            ("C000123", "C000123"),
        ] {
            assert_eq!(csv_text(raw), safe);
        }
    }

    #[test]
    fn control_characters_are_shown_not_sent_to_the_terminal() {
        assert_eq!(printable("Acme\u{1b}[2J\u{7}RAA\nnext\tcol"), "Acme\\x1b[2J\\x07RAA\nnext\tcol");
        assert_eq!(printable("plain"), "plain");
    }
}
