//! Files in and out: inputs read whole (a workbook from a path or standard input), outputs
//! written atomically (to a temporary file in the target's folder, then renamed over the
//! target), never over an input.

use std::io::{Read, Write};
use std::path::Path;

use crate::Failure;

pub fn write_failure(path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure { code: 1, message: format!("writing {}: {e}", path.display()), hints: Vec::new() }
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
    // exists, and otherwise gets a normal file's (0644, then narrowed by the umask on open
    // files elsewhere).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map(|m| m.permissions().mode()).unwrap_or(0o644);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| write_failure(path, e))?;
    }
    tmp.persist(path).map_err(|e| write_failure(path, e.error))?;
    Ok(())
}

fn is_same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Refuses an output that is the input.
pub fn not_the_input(out: &Path, input: &Path, command: &str) -> Result<(), Failure> {
    if input.as_os_str() != "-" && (out == input || is_same_file(out, input)) {
        return Err(Failure::input(format!(
            "-o {} is the input workbook; {command} never writes over its input",
            out.display()
        ))
        .hint("give the output workbook another name"));
    }
    Ok(())
}

/// A workbook's bytes from a file, or from standard input for `-`, and its name for messages.
pub fn read_input(input: &Path) -> Result<(Vec<u8>, String), Failure> {
    if input.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| Failure::input(format!("reading the workbook from standard input: {e}")))?;
        return Ok((b, "standard input".to_string()));
    }
    let b = std::fs::read(input)
        .map_err(|e| Failure::input(format!("workbook {}: cannot be read: {e}", input.display())))?;
    Ok((b, input.display().to_string()))
}
