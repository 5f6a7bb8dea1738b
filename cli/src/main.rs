//! The `adoptcost` command line: reads files and options, calls the library, prints its answer.
//! It holds no costing logic: every figure comes from the `adoptcost` library.

mod analyses;
mod args;
mod fields;
mod files;
mod render;
mod scenario;
mod workbook;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use args::{Cli, Command, Format, View};

/// jemalloc rather than the system allocator: the batch run makes and drops millions of small
/// cells, and with jemalloc it is about a tenth faster at the same peak memory
/// (docs/benchmarks.md). Not on Windows, where it does not build with MSVC and is not tried
/// with MinGW.
#[cfg(not(windows))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The exit code of an internal error (a bug in adoptcost, not a fault in the input):
/// sysexits' EX_SOFTWARE, apart from every code that speaks of the input or the output.
pub const INTERNAL: u8 = 70;

/// A failure, with the exit code it maps to and the context lines to print.
#[derive(Debug)]
pub struct Failure {
    /// 1 for an output that could not be written, 2 for bad input, 3 for rows rejected,
    /// [`INTERNAL`] for a bug.
    pub code: u8,
    /// The message, `error: ` is added when printed.
    pub message: String,
    /// Hints, printed as `hint: ` lines.
    pub hints: Vec<String>,
}

impl Failure {
    /// Bad input.
    pub fn input(message: impl Into<String>) -> Failure {
        Failure { code: 2, message: message.into(), hints: Vec::new() }
    }

    /// An error of the library, with the file or step it came from in front (`None` for
    /// none): bad input, or an internal error where the library says it is one.
    pub fn error(context: Option<&str>, e: &adoptcost::Error) -> Failure {
        let message = match context {
            Some(c) => format!("{c}: {e}"),
            None => e.to_string(),
        };
        if e.is_internal() { Failure::internal(message) } else { Failure::input(message) }
    }

    /// An internal error: nothing is written, and the user is asked to report it.
    pub fn internal(message: impl Into<String>) -> Failure {
        Failure { code: INTERNAL, message: message.into(), hints: Vec::new() }
            .hint("nothing was written; please report this, with the input that caused it")
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hints.push(hint.into());
        self
    }
}

/// The command line's definition, with a version that names the reference data's review date,
/// so a printed result can be matched to the figures it used.
fn command() -> clap::Command {
    let reviewed = adoptcost::Reference::embedded()
        .ok()
        .and_then(|r| r.reviewed)
        .map_or_else(|| "unknown".to_string(), |d| d.to_string());
    let version = format!("{} (reference data reviewed {reviewed})", env!("CARGO_PKG_VERSION"));
    Cli::command().version(version)
}

fn main() -> ExitCode {
    let cli = Cli::from_arg_matches(&command().get_matches()).unwrap_or_else(|e| e.exit());
    let mb = |n: u64| n.saturating_mul(1 << 20);
    files::set_limits(files::Limits::from_mb(
        cli.max_input_mb,
        adoptcost::workbook::Limits {
            inflated_bytes: mb(cli.max_inflated_mb),
            cells: cli.max_cells,
            text_bytes: mb(cli.max_text_mb),
        },
    ));
    files::set_today(cli.today);
    let outcome = guarded(|| run(cli));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            // Text from an input (an agency's name, a cell) is in messages: shown, never sent
            // to the terminal as control codes.
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {}", files::printable(&f.message));
            for h in &f.hints {
                let _ = writeln!(err, "hint: {}", files::printable(h));
            }
            ExitCode::from(f.code)
        }
    }
}

/// Runs `f`, turning a panic into an internal error. A panic is a bug: it is reported with
/// its own exit code, in the same form as every other error, instead of Rust's default
/// message. Outputs are written to a temporary file and renamed only at the end, so a panic
/// writes nothing.
fn guarded(f: impl FnOnce() -> Result<(), Failure> + std::panic::UnwindSafe) -> Result<(), Failure> {
    let panicked = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let seen = std::sync::Arc::clone(&panicked);
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let what = match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
            (Some(s), _) => s.to_string(),
            (None, Some(s)) => s.clone(),
            (None, None) => "a panic".into(),
        };
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        if let Ok(mut first) = seen.lock() {
            first.get_or_insert(format!("{what}{at}"));
        }
    }));
    std::panic::catch_unwind(f).unwrap_or_else(|_| {
        let what = panicked.lock().ok().and_then(|m| m.clone()).unwrap_or_else(|| "a panic".into());
        Err(Failure::internal(format!(
            "internal error in adoptcost (a bug, not a fault in your input): {what}"
        )))
    })
}

fn run(cli: Cli) -> Result<(), Failure> {
    let embedded = adoptcost::Reference::embedded().map_err(|e| Failure {
        code: 1,
        message: format!("the embedded reference data is broken (a bug in adoptcost): {e}"),
        hints: Vec::new(),
    })?;
    let users = cli.reference.as_deref().map(|p| scenario::reference(embedded, p)).transpose()?;
    let reference = users.as_ref().unwrap_or(embedded);
    let text = match cli.command {
        Command::Compare(c) => {
            let s = scenario::build(&c.scenario)?;
            let sales = match c.view {
                View::Auto => s.agency.kind == adoptcost::input::AgencyKind::Vaa,
                View::Routes => false,
                View::Sales => true,
            };
            if sales {
                // The agency's own question needs no child: only the agency is costed.
                let costed = adoptcost::compare::cost_agency(&s.agency, reference)
                    .map_err(|e| scenario::failure(e, &s))?;
                match c.format {
                    Format::Table => render::sales(&costed, &s.agency),
                    Format::Json => render::json(&costed)?,
                }
            } else {
                let cmp = adoptcost::compare(&s, reference).map_err(|e| scenario::failure(e, &s))?;
                match c.format {
                    Format::Table => render::comparison(&cmp, &s),
                    Format::Json => render::json(&cmp)?,
                }
            }
        }
        Command::Explain(c) => {
            let s = scenario::build(&c.scenario)?;
            let cmp = adoptcost::compare(&s, reference).map_err(|e| scenario::failure(e, &s))?;
            render::explain(&cmp, c.id.as_deref(), c.format)?
        }
        Command::Fees(c) => render::fees(reference, &c)?,
        Command::Template(c) => workbook::template(&c)?,
        Command::Sensitivity(c) => analyses::sensitivity(&c, reference)?,
        Command::Simulate(c) => analyses::simulate(&c, reference)?,
        Command::Breakeven(c) => analyses::breakeven(&c, reference)?,
        Command::Budget(c) => analyses::budget(&c, reference)?,
        Command::Run(c) => {
            let (text, code) = workbook::run(&c, reference)?;
            return partial(
                &text,
                code,
                "some rows were rejected; they are listed above and on the Errors sheet",
            );
        }
        Command::Completions(c) => {
            let mut out = Vec::new();
            clap_complete::generate(c.shell, &mut command(), "adoptcost", &mut out);
            String::from_utf8_lossy(&out).into_owned()
        }
        Command::Manpage => {
            let mut out = Vec::new();
            clap_mangen::Man::new(command()).render(&mut out).map_err(|e| Failure {
                code: 1,
                message: format!("writing the manual page: {e}"),
                hints: Vec::new(),
            })?;
            String::from_utf8_lossy(&out).into_owned()
        }
        Command::Benchmark(c) => {
            let (text, code) = workbook::benchmark(&c, reference)?;
            return partial(
                &text,
                code,
                "some agencies were rejected; they are listed above (and on the Errors sheet with -o)",
            );
        }
    };
    emit(&text)
}

/// Prints `text`, then fails with `code` where it is not 0 (some rows were rejected).
fn partial(text: &str, code: u8, message: &str) -> Result<(), Failure> {
    emit(text)?;
    if code == 0 { Ok(()) } else { Err(Failure { code, message: message.into(), hints: Vec::new() }) }
}

fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(files::printable(text).as_bytes())
        .and_then(|()| out.flush())
        .or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e) })
        .map_err(|e| Failure {
            code: 1,
            message: format!("writing to standard output: {e}"),
            hints: Vec::new(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_an_internal_error_with_its_own_code_not_bad_input() {
        let f = guarded(|| panic!("overflow in a test")).expect_err("a panic fails");
        assert_eq!(f.code, INTERNAL);
        assert!(
            f.message.starts_with(
                "internal error in adoptcost (a bug, not a fault in your input): overflow in a test at "
            ),
            "{}",
            f.message
        );
        assert!(f.hints.iter().any(|h| h.contains("nothing was written")), "{:?}", f.hints);
        let fine = guarded(|| Err(Failure::input("bad"))).expect_err("passes errors on");
        assert_eq!(fine.code, 2);
    }

    #[test]
    fn an_internal_error_of_the_library_is_not_called_bad_input() {
        let f = Failure::error(Some("book.xlsx"), &adoptcost::Error::internal("a thread stopped"));
        assert_eq!(f.code, INTERNAL);
        let f = Failure::error(None, &adoptcost::Error::invalid("fte", "-1", "0 or more"));
        assert_eq!(f.code, 2);
    }
}
