//! The command line, declared with clap. Doc comments are the help text.
//!
//! Numbers on the command line are read exactly, as decimals, by the library's own parsers
//! (`38500`, `38,500.00`, `£38,500` for money; `50` or `50%` for percentages).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;

/// adoptcost: what an adoptive placement really costs in-house, against the interagency fee.
///
/// With no input, every command uses the embedded example agency (illustrative) and an example
/// child. Exit codes: 0 success; 1 an output could not be written; 2 bad input (a file, a field
/// or an option), with the field, the value and what was expected; 70 an internal error (a bug).
#[derive(Debug, Parser)]
#[command(name = "adoptcost", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
    /// The most an input file (or standard input) may hold, in MB; a TOML or JSON file, a
    /// sixteenth of it. Raise it for a legitimately larger input.
    #[arg(long, global = true, value_name = "MB", default_value_t = 256, help_heading = "Limits")]
    pub max_input_mb: u64,
    /// The most a workbook's parts may inflate to, in all, in MB.
    #[arg(long, global = true, value_name = "MB", default_value_t = 2048, help_heading = "Limits")]
    pub max_inflated_mb: u64,
    /// The most cells with a value a workbook's input sheets may hold, in all (the default takes
    /// a Children sheet of 1,048,576 rows of 16 columns).
    #[arg(long, global = true, value_name = "N", default_value_t = 1 << 24, help_heading = "Limits")]
    pub max_cells: u64,
    /// The most text a workbook's cells may hold, in all, in MB.
    #[arg(long, global = true, value_name = "MB", default_value_t = 256, help_heading = "Limits")]
    pub max_text_mb: u64,
    /// Your own reference file, in the format of the reference data adoptcost ships (see
    /// docs/reference-data.md): its rows add fee years or bands, or replace the shipped values
    /// from their first date on, and are cited as yours wherever they are used.
    #[arg(long, global = true, value_name = "FILE")]
    pub reference: Option<std::path::PathBuf>,
    /// The date to take as today: the placement date of a child given none, which decides its
    /// fee year. Default: the date on this computer's clock.
    #[arg(long, global = true, value_name = "YYYY-MM-DD", env = "ADOPTCOST_TODAY", value_parser = date)]
    pub today: Option<jiff::civil::Date>,
}

/// A date as YYYY-MM-DD.
fn date(s: &str) -> Result<jiff::civil::Date, String> {
    s.trim().parse().map_err(|_| format!("expected a date as YYYY-MM-DD, found \"{s}\""))
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare the full in-house cost of a placement with the interagency fee, with the cost of
    /// waiting.
    Compare(CompareCommand),
    /// Show the full derivation of every figure of a comparison, or of one figure by its id.
    Explain(ExplainCommand),
    /// List the interagency fee schedules in the reference data, with sources and grades.
    Fees(FeesCommand),
    /// Write the input workbook to fill in, pre-filled with the example agency and children.
    Template(TemplateCommand),
    /// Cost every child row of a filled workbook and write the costed workbook with workings.
    ///
    /// Exit codes: 0 every row costed; 3 some rows rejected (listed on the Errors sheet and on
    /// stderr; the others are costed); 2 the workbook cannot be read (nothing is written);
    /// 1 the output cannot be written; 70 an internal error (a bug; nothing is written).
    Run(RunCommand),
    /// Rank the inputs by how far each moves the difference between the routes when it moves
    /// ±10% (or across your range): a tornado table.
    Sensitivity(SensitivityCommand),
    /// Monte Carlo: draw the inputs given as ranges (low, most likely, high) and report the spread
    /// of the difference between the routes, the chance the external route is cheaper, and which
    /// inputs drive the spread. The same seed gives the same result on every platform.
    Simulate(SimulateCommand),
    /// The total cost of each route against weeks waited (0 to 104) and against approvals a year,
    /// with the break-even points marked.
    Breakeven(BreakevenCommand),
    /// Benchmark the agencies of a multi-agency workbook against each other: unit costs by stage
    /// and category, the full hourly cost of each role, median, quartiles and rank, figures
    /// outside 1.5 interquartile ranges flagged, and the cost categories each agency left empty.
    ///
    /// Exit codes: 0 every agency benchmarked; 3 some agencies rejected (listed on stderr and on
    /// the Errors sheet; the others are benchmarked); 2 the workbook cannot be read or no agency
    /// can be costed; 1 the output cannot be written; 70 an internal error (a bug).
    Benchmark(BenchmarkCommand),
    /// The interagency fee budget for a year's forecast of children needing placements: fees by
    /// quarter and profile, net of contributions, less fee income from sales, with the in-house
    /// cost of the in-house placements and the in-house cost the external ones avoid (full and
    /// marginal). A one-page summary for sign-off.
    Budget(BudgetCommand),
    /// Print a shell's completion script for adoptcost (bash, zsh, fish, elvish or powershell).
    ///
    /// For bash: adoptcost completions bash > ~/.local/share/bash-completion/completions/adoptcost
    Completions(CompletionsCommand),
    /// Print adoptcost's manual page (roff), for `man`: adoptcost manpage > adoptcost.1
    Manpage,
}

/// `adoptcost completions`.
#[derive(Debug, Args)]
pub struct CompletionsCommand {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// `adoptcost budget`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct BudgetCommand {
    /// The forecast, a TOML or JSON file of [[profile]] tables (and [sales], [[fee_override]]);
    /// see docs/analyses.md. Default: the embedded example forecast.
    #[arg(long, value_name = "FILE", help_heading = "Inputs")]
    pub forecast: Option<PathBuf>,
    /// The agency whose in-house costs and fee income are used, a TOML or JSON file. Default:
    /// the embedded example agency.
    #[arg(long, value_name = "FILE", help_heading = "Inputs")]
    pub agency: Option<PathBuf>,
    /// The budget year (such as 2025/26), instead of the forecast's `year`. Default: the latest
    /// fee year the reference data covers; a later year needs your fees as [[fee_override]].
    #[arg(long, value_name = "YEAR", value_parser = parse_year, help_heading = "Inputs")]
    pub year: Option<adoptcost::money::FinancialYear>,
    /// Also write the budget as a workbook (.xlsx): the one-page summary, set to print on one
    /// landscape page, and every figure's workings. Written atomically.
    #[arg(short, long, value_name = "OUT.xlsx")]
    pub out: Option<PathBuf>,
    /// Replace OUT where it is read-only (an existing OUT is replaced atomically either way).
    #[arg(long)]
    pub force: bool,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_year(s: &str) -> Result<adoptcost::money::FinancialYear, String> {
    adoptcost::money::FinancialYear::parse(s)
        .ok_or_else(|| format!("\"{s}\" is not a financial year; expected one such as 2025/26"))
}

/// `adoptcost benchmark`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct BenchmarkCommand {
    /// The workbook holding the agencies (the template's form: one row per agency on Agencies,
    /// their lines under their codes), or - to read it from standard input. Its Children sheet
    /// is not read.
    pub input: PathBuf,
    /// Also write the benchmark workbook (.xlsx): positions, live quartile formulas, a chart per
    /// stage and every figure's workings. Written atomically; never the input itself.
    #[arg(short, long, value_name = "OUT.xlsx")]
    pub out: Option<PathBuf>,
    /// Replace OUT where it is read-only (an existing OUT is replaced atomically either way).
    #[arg(long)]
    pub force: bool,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `adoptcost sensitivity`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct SensitivityCommand {
    /// The scenario.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// How far each input moves down and up, in percent of the value used.
    #[arg(long, value_name = "%", value_parser = parse_percent, default_value = "10", help_heading = "Analysis")]
    pub change: Decimal,
    /// A low and high value for one input instead of the ±change, as PATH=LOW,HIGH (for example
    /// route.weeks_in_house=13,52). Repeat for more inputs. Paths: docs/analyses.md.
    #[arg(long = "range", value_name = "PATH=LOW,HIGH", value_parser = parse_low_high, help_heading = "Analysis")]
    pub ranges: Vec<adoptcost::analysis::LowHigh>,
    /// Also write the table and its tornado chart as a workbook (.xlsx), with every figure's workings. Written
    /// atomically.
    #[arg(short, long, value_name = "OUT.xlsx")]
    pub out: Option<PathBuf>,
    /// Replace OUT where it is read-only (an existing OUT is replaced atomically either way).
    #[arg(long)]
    pub force: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `adoptcost simulate`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct SimulateCommand {
    /// The scenario. Its file's [[range]] tables are used with any --range given.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A range for one input, as PATH=LOW,LIKELY,HIGH or PATH=LOW,LIKELY,HIGH,pert (triangular
    /// unless pert is named). Repeat for more inputs. Paths: docs/analyses.md.
    #[arg(long = "range", value_name = "PATH=LOW,LIKELY,HIGH[,pert]", value_parser = parse_range, help_heading = "Analysis")]
    pub ranges: Vec<adoptcost::analysis::Range>,
    /// Draws to make.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000), help_heading = "Analysis")]
    pub draws: u32,
    /// The generator's seed: the same seed and inputs give the same draws everywhere.
    #[arg(long, default_value_t = 1, help_heading = "Analysis")]
    pub seed: u64,
    /// Threads to draw on (default: the machine's cores). The results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256), help_heading = "Analysis")]
    pub threads: Option<u16>,
    /// Also write the summary, percentiles, histogram chart and drivers as a workbook (.xlsx), with every figure's workings. Written
    /// atomically.
    #[arg(short, long, value_name = "OUT.xlsx")]
    pub out: Option<PathBuf>,
    /// Replace OUT where it is read-only (an existing OUT is replaced atomically either way).
    #[arg(long)]
    pub force: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `adoptcost breakeven`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct BreakevenCommand {
    /// The scenario.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Also write both curves with their charts as a workbook (.xlsx), with every figure's workings. Written
    /// atomically.
    #[arg(short, long, value_name = "OUT.xlsx")]
    pub out: Option<PathBuf>,
    /// Replace OUT where it is read-only (an existing OUT is replaced atomically either way).
    #[arg(long)]
    pub force: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `adoptcost template`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct TemplateCommand {
    /// Where to write the template (.xlsx). An existing file is not overwritten without --force.
    pub out: PathBuf,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Output of `adoptcost run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// The costed workbook, written to -o.
    Xlsx,
    /// The costed rows as JSON on standard output.
    Json,
    /// The costed rows as CSV on standard output.
    Csv,
}

/// `adoptcost run`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct RunCommand {
    /// The filled workbook (.xlsx, .xlsm, .xls or .ods), or - to read it from standard input.
    pub input: PathBuf,
    /// Where to write the costed workbook (.xlsx). Written to a temporary file beside it, then
    /// renamed, so a failed run never leaves half a workbook. Never the input itself.
    #[arg(short, long, value_name = "OUT.xlsx")]
    pub out: Option<PathBuf>,
    /// Replace OUT where it is read-only (an existing OUT is replaced atomically either way).
    #[arg(long)]
    pub force: bool,
    /// What to write: the costed workbook (needs -o), or the costed rows as JSON or CSV on
    /// standard output (with -o the workbook is written as well).
    #[arg(long, value_enum, default_value_t = RunFormat::Xlsx)]
    pub format: RunFormat,
    /// CSV text exactly as read: without it, a text field that begins with =, +, -, @, a tab or
    /// a carriage return is written with a ' in front, so no spreadsheet opening the CSV runs it
    /// as a formula (the OWASP rule for CSV injection). For a pipeline that needs the text raw.
    #[arg(long)]
    pub csv_raw: bool,
}

/// Output format of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// The whole comparison as JSON, every figure with its derivation (money as exact strings).
    Json,
}

/// Which answer `adoptcost compare` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum View {
    /// `sales` for a voluntary adoption agency (kind = "vaa"), `routes` for a council or RAA.
    Auto,
    /// A council's question: the child's in-house and external routes, with the cost of waiting.
    Routes,
    /// An agency selling placements: what a placement costs it against the fee it charges.
    Sales,
}

/// `adoptcost compare`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct CompareCommand {
    /// The scenario.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Which answer: what a placement costs the agency against the fee it charges (sales: the
    /// default for a VAA), or the child's routes (routes: the default for a council or RAA; a
    /// VAA's agency file can be compared so too).
    #[arg(long, value_enum, default_value_t = View::Auto)]
    pub view: View,
}

/// `adoptcost explain`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct ExplainCommand {
    /// A figure's id (as shown in brackets, such as `unit.full`); all figures when left out.
    pub id: Option<String>,
    /// The scenario.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `adoptcost fees`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct FeesCommand {
    /// Only this nation: england, wales, scotland, northern_ireland.
    #[arg(long, value_parser = parse_nation)]
    pub nation: Option<adoptcost::input::Nation>,
    /// Only this provider type: vaa, or la (a council or RAA).
    #[arg(long, value_parser = parse_provider)]
    pub provider: Option<adoptcost::input::Provider>,
    /// Only the amounts in force on this date (YYYY-MM-DD); gaps are shown with their reason.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<jiff::civil::Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The inputs of a comparison. Options override the files, which override the example.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// The agency's cost base, a TOML or JSON file (see docs/input-format.md). Default: the
    /// embedded example agency.
    #[arg(long, value_name = "FILE", help_heading = "Inputs")]
    pub agency: Option<PathBuf>,
    /// The child and route, a TOML or JSON file with `[child]` and `[route]` tables. Default: the
    /// embedded example child.
    #[arg(long, value_name = "FILE", help_heading = "Inputs")]
    pub scenario: Option<PathBuf>,

    /// The child's and the route's fields, an option each.
    #[command(flatten)]
    pub fields: crate::fields::FieldOptions,
}

fn parse_percent(s: &str) -> Result<Decimal, String> {
    adoptcost::text::parse_percent(s)
        .ok_or_else(|| format!("\"{s}\" is not a percentage; expected one such as 50 or 50%"))
}

/// A number as an input file gives it: pounds, a plain number or a percentage.
fn parse_value(s: &str) -> Option<Decimal> {
    adoptcost::text::parse_decimal(s).or_else(|| adoptcost::text::parse_percent(s))
}

fn split_path(s: &str, shape: &str) -> Result<(String, Vec<String>), String> {
    let (path, values) =
        s.split_once('=').ok_or_else(|| format!("\"{s}\" is not a range; expected {shape}"))?;
    Ok((path.trim().to_string(), values.split(',').map(|v| v.trim().to_string()).collect()))
}

fn value_of(v: &str, s: &str) -> Result<Decimal, String> {
    parse_value(v).ok_or_else(|| {
        let problem = adoptcost::text::number_problem(v.trim().strip_suffix('%').unwrap_or(v));
        format!("\"{v}\" in \"{s}\" {problem}; expected one such as 26, 38500 or 50%")
    })
}

fn parse_low_high(s: &str) -> Result<adoptcost::analysis::LowHigh, String> {
    let shape = "PATH=LOW,HIGH, such as route.weeks_in_house=13,52";
    let (input, v) = split_path(s, shape)?;
    match v.as_slice() {
        [low, high] => {
            Ok(adoptcost::analysis::LowHigh { input, low: value_of(low, s)?, high: value_of(high, s)? })
        }
        _ => Err(format!("\"{s}\" is not a range; expected {shape}")),
    }
}

fn parse_range(s: &str) -> Result<adoptcost::analysis::Range, String> {
    use adoptcost::analysis::{Distribution, Range};
    let shape = "PATH=LOW,LIKELY,HIGH[,pert], such as route.weeks_in_house=13,26,52";
    let (input, v) = split_path(s, shape)?;
    let (low, likely, high, dist) = match v.as_slice() {
        [l, m, h] => (l, m, h, Distribution::Triangular),
        [l, m, h, d] => (
            l,
            m,
            h,
            Distribution::parse(d)
                .ok_or_else(|| format!("\"{d}\" is not a distribution; expected triangular or pert"))?,
        ),
        _ => return Err(format!("\"{s}\" is not a range; expected {shape}")),
    };
    Ok(Range {
        input,
        low: value_of(low, s)?,
        likely: value_of(likely, s)?,
        high: value_of(high, s)?,
        distribution: dist,
    })
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    adoptcost::text::parse_date(s)
        .ok_or_else(|| format!("\"{s}\" is not a date; expected YYYY-MM-DD, such as 2025-09-01"))
}

fn parse_nation(s: &str) -> Result<adoptcost::input::Nation, String> {
    adoptcost::input::Nation::parse(s).ok_or_else(|| {
        format!("\"{s}\" is not a nation; expected england, wales, scotland or northern_ireland")
    })
}

fn parse_provider(s: &str) -> Result<adoptcost::input::Provider, String> {
    adoptcost::input::Provider::parse(s)
        .ok_or_else(|| format!("\"{s}\" is not a provider type; expected vaa or la"))
}
