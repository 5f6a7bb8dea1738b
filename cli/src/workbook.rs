//! `adoptcost template`, `adoptcost run` and `adoptcost benchmark`: files in and out
//! ([`crate::files`]) around the library's workbook code, which works on bytes.

use std::io::{IsTerminal, Write};

use adoptcost::Reference;
use adoptcost::workbook::{self, Batch};

use crate::Failure;
use crate::args::{BenchmarkCommand, Format, RunCommand, RunFormat, TemplateCommand};
use crate::files::{Target, limits, read_input, target, write_failure, write_to};

/// `n` and the noun that goes with it: "1 agency", "10 agencies".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `adoptcost template OUT.xlsx`.
pub fn template(c: &TemplateCommand) -> Result<String, Failure> {
    if c.out.as_os_str() != "-" && c.out.exists() && !c.force {
        return Err(Failure::input(format!(
            "{} exists; the template is not written over it",
            c.out.display()
        ))
        .hint("choose another name, or add --force to overwrite it"));
    }
    let to = target(&c.out, &[], c.force, "template")?;
    let bytes = workbook::template::example().map_err(|e| Failure {
        code: 1,
        message: format!("the embedded example is broken (a bug in adoptcost): {e}"),
        hints: Vec::new(),
    })?;
    let children = workbook::template::example_children();
    write_to(&to, &bytes)?;
    if to == Target::Stdout {
        return Ok(String::new());
    }
    Ok(format!(
        "wrote {}: the example agency and {} example children, ready to fill in or to run as it is:\n  adoptcost run {} -o costed.xlsx\n",
        c.out.display(),
        children.len(),
        c.out.display()
    ))
}

/// `adoptcost benchmark IN.xlsx [-o OUT.xlsx]`. Returns the text for standard output and the
/// exit code.
pub fn benchmark(c: &BenchmarkCommand, reference: &Reference) -> Result<(String, u8), Failure> {
    let to = c.out.as_deref().map(|o| target(o, &[&c.input], c.force, "benchmark")).transpose()?;
    let (bytes, name) = read_input(&c.input)?;
    let run = workbook::benchmark_workbook_within(&bytes, reference, &limits().workbook)
        .map_err(|e| Failure::error(Some(&name), &e))?;
    if let (Some(to), Some(out)) = (&to, &c.out) {
        let book = workbook::bench::write(&run).map_err(|e| write_failure(out, e))?;
        write_to(to, &book)?;
    }
    let mut stderr = std::io::stderr().lock();
    for e in &run.errors {
        let _ = writeln!(stderr, "rejected: {}", crate::files::printable(&e.to_string()));
    }
    let text = match c.format {
        Format::Json => crate::render::json(&run)?,
        Format::Table => {
            let mut t = crate::analyses::benchmark_table(&run.benchmark);
            t.push_str(&format!(
                "\nbenchmarked {} of {}{}{}\n",
                run.benchmark.agencies.len(),
                count(run.agency_rows, "agency", "agencies"),
                match run.errors.len() {
                    0 => String::new(),
                    1 => "; 1 problem listed above".to_string(),
                    n => format!("; {n} problems listed above"),
                },
                c.out.as_ref().map(|o| format!("; wrote {}", o.display())).unwrap_or_default()
            ));
            t
        }
    };
    Ok((text, if run.errors.is_empty() { 0 } else { 3 }))
}

/// `adoptcost run IN.xlsx -o OUT.xlsx`. Returns the text for standard output and the exit code.
pub fn run(c: &RunCommand, reference: &Reference) -> Result<(String, u8), Failure> {
    if c.format == RunFormat::Xlsx && c.out.is_none() {
        return Err(Failure::input("no output: give -o OUT.xlsx for the costed workbook")
            .hint("or --format json or --format csv to write the costed rows to standard output"));
    }
    let to = c.out.as_deref().map(|o| target(o, &[&c.input], c.force, "run")).transpose()?;
    if to == Some(Target::Stdout) && c.format != RunFormat::Xlsx {
        return Err(Failure::input("-o - and --format json or csv both write to standard output")
            .hint("give the workbook a file's name, or leave -o out"));
    }
    let (bytes, name) = read_input(&c.input)?;

    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} rows ({eta} left)")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b.set_message("costing");
        b
    });
    let mut progress = |done: usize, total: usize| {
        // Told once per chunk of rows (hundreds of rows), from whichever thread finished one.
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    // The rows are costed on a thread a core; where the costed workbook is written as they are,
    // its writing (the longest part of a run) keeps a core of its own.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = |writing: bool| if cores <= 1 { 0 } else { cores - usize::from(writing) };
    // The costed workbook alone is written as the rows are read and costed; JSON and CSV need
    // every costed row at the end, so the batch is kept whole for them.
    let (batch, written) = match (&c.out, c.format) {
        (Some(out), RunFormat::Xlsx) => {
            let opts = workbook::options(threads(true), Some(crate::files::today()));
            let w =
                workbook::workbook_to_workbook(&bytes, &limits().workbook, reference, &opts, &mut progress)
                    .map_err(|stopped| match stopped {
                    workbook::Stopped::Input(e) => Failure::error(Some(&name), &e),
                    workbook::Stopped::Output(e) => write_failure(out, e),
                })?;
            (None, w)
        }
        _ => {
            let parsed = workbook::parse_within(&bytes, &limits().workbook)
                .map_err(|e| Failure::error(Some(&name), &e))?;
            let opts = workbook::options(threads(false), Some(crate::files::today()));
            let batch: Batch = adoptcost::batch::collect(parsed.read(), reference, &opts, &mut progress)
                .map_err(|e| Failure::error(Some(&name), &e))?;
            let bytes = match &c.out {
                Some(out) => workbook::costed(&batch).map_err(|e| write_failure(out, e))?,
                None => Vec::new(),
            };
            let w = workbook::Written {
                bytes,
                agencies: batch.agencies.len(),
                child_rows: batch.child_rows,
                costed: batch.placements.len(),
                errors: batch.errors.clone(),
                notes: batch.notes(),
            };
            (Some(batch), w)
        }
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(to) = &to {
        write_to(to, &written.bytes)?;
    }
    let mut stderr = std::io::stderr().lock();
    for e in &written.errors {
        let _ = writeln!(stderr, "rejected: {}", crate::files::printable(&e.to_string()));
    }
    for n in &written.notes {
        let _ = writeln!(stderr, "note: {}", crate::files::printable(n));
    }
    let summary = format!(
        "costed {} of {} against {}{}{}\n",
        written.costed,
        count(written.child_rows, "child row", "child rows"),
        count(written.agencies, "agency", "agencies"),
        if written.errors.is_empty() {
            String::new()
        } else {
            format!("; {} listed on the Errors sheet", count(written.errors.len(), "problem", "problems"))
        },
        c.out.as_ref().map(|o| format!("; wrote {}", o.display())).unwrap_or_default(),
    );
    let records = || batch.as_ref().map(Batch::records).unwrap_or_default();
    let stdout = match c.format {
        RunFormat::Xlsx if to == Some(Target::Stdout) => {
            let _ = write!(stderr, "{}", crate::files::printable(&summary));
            String::new()
        }
        RunFormat::Xlsx => summary,
        RunFormat::Json => {
            let _ = write!(stderr, "{summary}");
            crate::render::json(&records())?
        }
        RunFormat::Csv => {
            let _ = write!(stderr, "{summary}");
            // The ledger: every input row in order, costed or rejected, money to the penny.
            let mut w = csv::Writer::from_writer(Vec::new());
            for mut r in batch.as_ref().map(Batch::ledger).unwrap_or_default() {
                if !c.csv_raw {
                    for t in [
                        &mut r.reference,
                        &mut r.agency,
                        &mut r.cost_centre,
                        &mut r.budget_code,
                        &mut r.notes,
                        &mut r.error,
                    ] {
                        *t = crate::files::csv_text(t).into_owned();
                    }
                }
                w.serialize(r).map_err(|e| Failure {
                    code: 1,
                    message: format!("writing CSV: {e}"),
                    hints: Vec::new(),
                })?;
            }
            let bytes = w.into_inner().map_err(|e| Failure {
                code: 1,
                message: format!("writing CSV: {e}"),
                hints: Vec::new(),
            })?;
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    let code = if written.errors.is_empty() { 0 } else { 3 };
    Ok((stdout, code))
}
