//! The `adoptcost` command line: reads files and options, calls the library, prints its answer.
//! It holds no costing logic: every figure comes from the `adoptcost` library.

mod analyses;
mod args;
mod render;
mod scenario;
mod workbook;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, Format};

/// jemalloc rather than the system allocator: the batch run makes and drops millions of small
/// cells, and with jemalloc it is about a tenth faster at the same peak memory
/// (docs/benchmarks.md). Not with MSVC, where jemalloc does not build.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// A failure, with the exit code it maps to and the context lines to print.
#[derive(Debug)]
pub struct Failure {
    /// 1 for an output that could not be written, 2 for bad input, 3 for rows rejected.
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

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hints.push(hint.into());
        self
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {}", f.message);
            for h in &f.hints {
                let _ = writeln!(err, "hint: {h}");
            }
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let reference = adoptcost::Reference::embedded().map_err(|e| Failure {
        code: 1,
        message: format!("the embedded reference data is broken (a bug in adoptcost): {e}"),
        hints: Vec::new(),
    })?;
    let text = match cli.command {
        Command::Compare(c) => {
            let s = scenario::build(&c.scenario)?;
            let cmp = adoptcost::compare(&s, reference).map_err(|e| scenario::failure(e, &s))?;
            match c.format {
                Format::Table => render::comparison(&cmp, &s),
                Format::Json => render::json(&cmp)?,
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
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .or_else(|e| if e.kind() == std::io::ErrorKind::BrokenPipe { Ok(()) } else { Err(e) })
        .map_err(|e| Failure {
            code: 1,
            message: format!("writing to standard output: {e}"),
            hints: Vec::new(),
        })
}
