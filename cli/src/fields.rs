//! The options that set a field of the child or the route: one for each field of the input
//! tables with a flag ([`adoptcost::input::CHILD`], [`adoptcost::input::ROUTE`]), made from the
//! table, so a new field with a flag is a new option without a line here.

use adoptcost::input::schema::{Field, Kind, Value};
use adoptcost::input::{CHILD, ROUTE, Scenario};
use adoptcost::quantity::Unit;
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

/// The fields the options set, given on the command line, in the tables' order.
#[derive(Debug, Clone, Default)]
pub struct FieldOptions {
    /// Each field given: its path, its option (`--weeks-in-house`) and its value.
    pub given: Vec<(&'static str, String, Value)>,
}

/// A field with an option: its path, flag, kind, help and heading.
struct Opt {
    path: &'static str,
    flag: &'static str,
    kind: Kind,
    help: String,
    heading: &'static str,
}

fn opt<T>(f: &Field<T>, heading: &'static str) -> Option<Opt> {
    // A flag's default is always that it is not given.
    let help = match f.blank.filter(|_| f.kind != Kind::YesNo) {
        Some(b) => format!("{} Default: {b}.", f.help),
        None => f.help.to_string(),
    };
    Some(Opt { path: f.path, flag: f.flag?, kind: f.kind, help, heading })
}

fn opts() -> impl Iterator<Item = Opt> {
    let child = CHILD.iter().filter_map(|f| opt(f, "The child"));
    child.chain(ROUTE.iter().filter_map(|f| opt(f, "The route")))
}

/// What the option's value is called in the help.
fn value_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Number(Unit::Percent) => "%",
        Kind::Number(Unit::Weeks) => "WEEKS",
        Kind::Number(Unit::Months) => "MONTHS",
        Kind::Number(u) if u.is_money() => "£",
        Kind::Number(_) | Kind::Whole => "N",
        Kind::Date => "DATE",
        Kind::Year => "YEAR",
        Kind::List(_) => "ID",
        Kind::Text | Kind::YesNo => "TEXT",
    }
}

/// The option that sets a scenario field (`--fee`), where there is one. `fee` and
/// `monthly_fee` alone are the library's names for the route's fee fields.
pub fn flag_for(field: &str) -> Option<String> {
    let f = field.split(' ').next().unwrap_or(field);
    let f = match f {
        "fee" | "monthly_fee" => format!("route.{f}"),
        other => other.to_string(),
    };
    opts().find(|o| o.path == f).map(|o| format!("--{}", o.flag))
}

impl FieldOptions {
    /// Sets each field given on the scenario, as its option's (the option is cited as where the
    /// field came from). A contribution given by option replaces the file's, share or amount.
    pub fn apply(&self, s: &mut Scenario) {
        for (path, flag, v) in &self.given {
            if path.starts_with("route.contribution.") {
                s.route.contribution = None;
            }
            if let Some(f) = CHILD.iter().find(|f| f.path == *path) {
                (f.set)(&mut s.child, v);
            } else if let Some(f) = ROUTE.iter().find(|f| f.path == *path) {
                (f.set)(&mut s.route, v);
            }
            s.provenance.fields.insert(path.to_string(), flag.clone());
        }
    }
}

impl FromArgMatches for FieldOptions {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut given = Vec::new();
        for o in opts() {
            let v = match o.kind {
                Kind::YesNo => m.get_flag(o.path).then_some(Value::Yes(true)),
                _ => m.get_one::<Value>(o.path).cloned(),
            };
            if let Some(v) = v {
                given.push((o.path, format!("--{}", o.flag), v));
            }
        }
        Ok(FieldOptions { given })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = FieldOptions::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for FieldOptions {
    fn augment_args(mut cmd: Command) -> Command {
        for o in opts() {
            let mut arg = Arg::new(o.path).long(o.flag).help(o.help).help_heading(o.heading);
            arg = match o.kind {
                Kind::YesNo => arg.action(ArgAction::SetTrue),
                kind => arg
                    .value_name(value_name(kind))
                    .allow_negative_numbers(true)
                    .value_parser(move |t: &str| kind.parse_text(t)),
            };
            if o.path == "route.contribution.share" {
                arg = arg.conflicts_with("route.contribution.amount");
            }
            cmd = cmd.arg(arg);
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        FieldOptions::augment_args(cmd)
    }
}
