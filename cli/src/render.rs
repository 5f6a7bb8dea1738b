//! Text and JSON output. Everything shown is read from the library's comparison and its
//! explanation: this module formats, it does not compute.

use adoptcost::compare::Comparison;
use adoptcost::explain::{Explanation, Figure, Origin, Outcome};
use adoptcost::input::{Nation, Provider, Scenario};
use adoptcost::method::{Category, Stage};
use adoptcost::money::{Money, format_number};
use adoptcost::reference::Reference;
use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};

use crate::Failure;
use crate::args::{FeesCommand, Format};

/// Rules above and below the table and under the header; no lines between rows.
const STYLE: TableStyle = TableStyle::new()
    .top_border(LineStyle::none().fill('─').junction('─'))
    .header_separator(LineStyle::none().fill('─').junction('─'))
    .bottom_border(LineStyle::none().fill('─').junction('─'));

/// A table whose columns listed in `right` (numbers) are right-aligned.
pub fn table(header: &[&str], right: &[usize]) -> Table {
    let mut t = Table::new();
    t.load_style(STYLE);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(110);
    t.set_header(header.to_vec());
    for &i in right {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

fn pounds(m: Money) -> String {
    m.display_pounds()
}

fn fig<'a>(ex: &'a Explanation, id: &str) -> Option<&'a Figure> {
    ex.get(id)
}

/// The figure's summary display (money to the pound), or its reason for having no value.
fn summary(ex: &Explanation, id: &str) -> String {
    match fig(ex, id) {
        Some(f) => match f.result.quantity() {
            Some(q) => q.display_summary(),
            None => "none".to_string(),
        },
        None => "not worked out".to_string(),
    }
}

/// The id of the figure the routes used: the restated one where amounts were restated to the
/// fee year's prices.
fn used(ex: &Explanation, id: &str) -> String {
    let restated = format!("restated.{id}");
    if fig(ex, &restated).is_some() { restated } else { id.to_string() }
}

fn words(ex: &Explanation, id: &str) -> String {
    fig(ex, id).map(|f| f.words.clone()).unwrap_or_default()
}

/// The comparison as readable tables.
pub fn comparison(c: &Comparison, s: &Scenario) -> String {
    let mut out = String::new();
    let ex = &c.explanation;
    let a = &s.agency;
    let cost = &c.cost;
    let fee = &c.fee;
    let nation = s.route.nation.unwrap_or(a.nation);
    let provider = s.route.provider.unwrap_or(Provider::Vaa);
    out.push_str(&format!(
        "adoptcost: {}{}, cost base {}\n",
        a.name,
        if a.illustrative { " (ILLUSTRATIVE)" } else { "" },
        cost.price_year
    ));
    out.push_str(&format!(
        "Child: {}, {} {}; external route: {} {} adopters{}; fee year {} ({})\n",
        if s.child.reference.is_empty() { "the child" } else { &s.child.reference },
        s.child.children,
        if s.child.children == 1 { "child" } else { "children" },
        nation.name(),
        provider.name(),
        if s.route.london { " in London" } else { "" },
        fee.year,
        fee.year_basis(),
    ));
    if !s.child.notes.is_empty() {
        out.push_str(&format!("Your note: {}\n", s.child.notes));
    }

    out.push_str(&unit_costs(ex, cost));

    out.push_str("\nThe interagency fee\n");
    let mut t = table(&["", "amount"], &[1]);
    let schedule = if c.fee.estimated { "schedule fee (ESTIMATE, your uplift)" } else { "schedule fee" };
    t.add_row(vec![schedule.to_string(), summary(ex, "fee.schedule")]);
    t.add_row(vec!["placement fee (with any London weighting)".to_string(), summary(ex, "fee.placement")]);
    t.add_row(vec!["monthly fees after 12 months".to_string(), summary(ex, "fee.monthly_total")]);
    t.add_row(vec!["contribution".to_string(), summary(ex, "fee.contribution")]);
    t.add_row(vec!["net fee".to_string(), summary(ex, "fee.net")]);
    out.push_str(&t.to_string());
    out.push('\n');
    let cw = words(ex, "fee.contribution");
    if !cw.is_empty() {
        out.push_str(&format!("  {cw}\n"));
    }

    let r = &c.routes;
    out.push_str("\nThe routes, with the cost of waiting\n");
    let mut t = table(&["", "amount"], &[1]);
    if fig(ex, "restated.unit.full").is_some() {
        t.add_row(vec![
            format!("full in-house cost in {} prices", fee.year),
            summary(ex, "restated.unit.full"),
        ]);
    }
    if s.child.children > 1 {
        t.add_row(vec![
            format!("in-house cost of the group ({} children, sibling uplift)", s.child.children),
            summary(ex, "group.in_house"),
        ]);
        t.add_row(vec![
            "marginal (cash) cost of the group".to_string(),
            summary(ex, &used(ex, "group.marginal")),
        ]);
    }
    t.add_row(vec!["weekly cost of care (group)".to_string(), summary(ex, &used(ex, "care.weekly"))]);
    t.add_row(vec!["expected wait in-house (W_in)".to_string(), summary(ex, "wait.in_house")]);
    t.add_row(vec!["expected wait external (W_ext)".to_string(), summary(ex, "wait.external")]);
    t.add_row(vec!["common costs (both routes)".to_string(), pounds(r.common)]);
    t.add_row(vec!["in-house route".to_string(), summary(ex, "route.in_house")]);
    t.add_row(vec!["external route (go external now)".to_string(), summary(ex, "route.external")]);
    t.add_row(vec!["in-house first (sequential search)".to_string(), summary(ex, "route.sequential")]);
    t.add_row(vec!["difference: external − in-house".to_string(), summary(ex, "route.difference")]);
    out.push_str(&t.to_string());
    out.push('\n');
    out.push_str(&format!("  {}", r.verdict()));
    out.push('\n');
    if let Some(Figure { result: Outcome::NotDefined { reason }, .. }) = fig(ex, "route.sequential") {
        out.push_str(&format!(
            "  Sequential search not worked out: {reason} (--search-weeks, --success-probability).\n"
        ));
    }

    out.push_str("\nBreak-evens\n");
    let mut t = table(&["", "value"], &[1]);
    let be = |id: &str| match fig(ex, id).map(|f| &f.result) {
        Some(Outcome::Value { quantity }) => format_number(quantity.value, 1),
        Some(Outcome::NotDefined { .. }) => "no such number".to_string(),
        None => "not worked out".to_string(),
    };
    t.add_row(vec!["break-even wait Δ* (weeks)".to_string(), be("breakeven.wait")]);
    t.add_row(vec!["break-even approvals a year N*".to_string(), be("breakeven.approvals")]);
    out.push_str(&t.to_string());
    out.push('\n');
    if let Some(sentence) = r.break_even_wait_sentence() {
        out.push_str(&format!("  {sentence}\n"));
    }
    if let Some(Figure { result: Outcome::NotDefined { reason }, .. }) = fig(ex, "breakeven.approvals") {
        out.push_str(&format!("  Break-even approvals: no such number, because {reason}.\n"));
    }

    out.push_str(&roles(ex, cost, a));

    out.push_str(&format!(
        "\nNet cost of the adopter pool, per match with own children: {}\n",
        summary(ex, "unit.pool_net")
    ));
    if let Some(Figure { result: Outcome::NotDefined { reason }, .. }) = fig(ex, "unit.pool_net") {
        out.push_str(&format!("  Not worked out: {reason}\n"));
    }

    out.push_str(&references(&c.references));
    out.push_str(&warnings(&c.warnings));
    out.push_str(
        "\nEvery figure's derivation: adoptcost explain (same options), or adoptcost explain ID for one.\n",
    );
    out
}

/// An agency's own view, as readable tables: what a placement it sells costs it, against the
/// fee it charges (a VAA's question).
pub fn sales(c: &adoptcost::compare::CostedAgency, a: &adoptcost::Agency) -> String {
    let ex = &c.explanation;
    let cost = &c.cost;
    let v = &cost.sales;
    let mut out = format!(
        "adoptcost: {}{}, {} in {}, cost base {}\nWhat does a placement cost us, against the fee we charge?\n",
        a.name,
        if a.illustrative { " (ILLUSTRATIVE)" } else { "" },
        a.kind.name(),
        a.nation.name(),
        cost.price_year
    );
    let mut t = table(&["per placement (one household)", "full cost", "marginal cost"], &[1, 2]);
    t.add_row(vec![
        "cost of a placement".to_string(),
        summary(ex, "unit.full"),
        summary(ex, "unit.marginal"),
    ]);
    t.add_row(vec![
        "fee we charge, one child".to_string(),
        summary(ex, "sales.fee"),
        summary(ex, "sales.fee"),
    ]);
    t.add_row(vec![
        "surplus (+) or shortfall (−)".to_string(),
        summary(ex, "sales.margin_full"),
        summary(ex, "sales.margin_marginal"),
    ]);
    out.push('\n');
    out.push_str(&t.to_string());
    out.push('\n');
    out.push_str(&format!("  {}\n", v.verdict()));

    out.push_str(&format!("\nThe year's sales ({})\n", v.year));
    let mut t = table(&["", "amount"], &[1]);
    t.add_row(vec!["placements sold to other agencies".to_string(), format_number(v.sales, 2)]);
    t.add_row(vec!["fee income".to_string(), summary(ex, "sales.income")]);
    t.add_row(vec!["surplus or shortfall, at full cost".to_string(), summary(ex, "sales.year_full")]);
    t.add_row(vec!["surplus or shortfall, at marginal cost".to_string(), summary(ex, "sales.year_marginal")]);
    t.add_row(vec![
        "share of the whole service the fee income covers".to_string(),
        summary(ex, "sales.coverage"),
    ]);
    t.add_row(vec![
        "fee at which a placement breaks even (full cost)".to_string(),
        summary(ex, "sales.break_even_fee"),
    ]);
    out.push_str(&t.to_string());
    out.push('\n');
    if let Some(Figure { result: Outcome::NotDefined { reason }, .. }) = fig(ex, "sales.margin_full") {
        out.push_str(&format!("  Not worked out: {reason} (give `fee_income_per_sale` under [activity]).\n"));
    }

    out.push_str(&format!(
        "\nBy sibling band: the {} schedule against the cost of a placement (per household)\n",
        a.kind.provider().name()
    ));
    let mut t = table(&["children", "fee", "surplus or shortfall, full cost"], &[0, 1, 2]);
    for b in &v.bands {
        t.add_row(vec![
            b.children.to_string(),
            b.fee.map(pounds).unwrap_or_else(|| "not published".into()),
            summary(ex, &format!("sales.band.{}", b.children)),
        ]);
    }
    out.push_str(&t.to_string());
    out.push('\n');
    if v.bands.iter().any(|b| b.fee.is_none()) {
        out.push_str("  A band not published has no amount in the reference data: add it in your own reference file (--reference FILE).\n");
    }
    out.push_str(&unit_costs(ex, cost));
    out.push_str(&roles(ex, cost, a));
    out.push_str(&references(&adoptcost::compare::Comparison::references_in(ex)));
    out.push_str(&warnings(&c.warnings));
    out.push_str(
        "\nEvery figure's derivation: adoptcost explain ID (same options), such as adoptcost explain sales.margin_full.\n",
    );
    out
}

/// The in-house unit cost by stage, and the full cost of a placement by category.
fn unit_costs(ex: &Explanation, cost: &adoptcost::method::CostBase) -> String {
    let mut out = String::new();
    out.push_str("\nIn-house unit cost by stage\n");
    let mut t = table(&["stage", "stage total", "volume", "unit cost"], &[1, 2, 3]);
    let v = &cost.volumes;
    let rows = [
        (Stage::A, "unit.per_approval", format!("{} approvals", format_number(v.approvals, 2))),
        (Stage::B, "unit.per_match", format!("{} matches", format_number(v.matches, 2))),
        (Stage::C, "unit.per_supported", format!("{} supported", format_number(v.supported, 2))),
    ];
    for (stage, id, vol) in rows {
        t.add_row(vec![stage.name().to_string(), pounds(cost.stage_totals.get(stage)), vol, summary(ex, id)]);
    }
    t.add_row(vec![
        Stage::Other.name().to_string(),
        pounds(cost.stage_totals.other),
        "excluded".into(),
        "".into(),
    ]);
    t.add_row(vec!["whole service".to_string(), pounds(cost.total), "".into(), "".into()]);
    out.push_str(&t.to_string());
    out.push('\n');

    out.push_str(&format!(
        "\nFull in-house cost of a placement, by category, per household (utilisation {})\n",
        adoptcost::Percent::from_fraction(v.utilisation).display(2)
    ));
    let mut t = table(&["category", "A", "B", "C", "per placement"], &[1, 2, 3, 4]);
    for cat in Category::ALL {
        t.add_row(vec![
            cat.name().to_string(),
            pounds(cost.stage_categories.a.get(cat)),
            pounds(cost.stage_categories.b.get(cat)),
            pounds(cost.stage_categories.c.get(cat)),
            summary(ex, &format!("unit.full.{}", cat.id())),
        ]);
    }
    t.add_row(vec![
        "full in-house cost".to_string(),
        pounds(cost.stage_totals.a),
        pounds(cost.stage_totals.b),
        pounds(cost.stage_totals.c),
        summary(ex, "unit.full"),
    ]);
    t.add_row(vec![
        "marginal (cash) cost".to_string(),
        "".into(),
        "".into(),
        "".into(),
        summary(ex, "unit.marginal"),
    ]);
    out.push_str(&t.to_string());
    out.push_str("\n  Full cost counts every cost of the service; marginal cost only the lines flagged variable (direct lines that grow with cases, staff paid by the case). Both are shown.\n");

    out
}

/// The full hourly cost of each role.
fn roles(ex: &Explanation, cost: &adoptcost::method::CostBase, a: &adoptcost::Agency) -> String {
    let mut out = String::new();
    out.push_str("\nFull hourly cost of each role\n");
    let mut t =
        table(&["role", "FTE", "salary", "full cost", "per hour", "full cost ÷ salary"], &[1, 2, 3, 4, 5]);
    for (i, (role, line)) in cost.roles.iter().zip(&a.staff).enumerate() {
        let n = i + 1;
        let hourly = fig(ex, &format!("role[{n}].hourly"))
            .and_then(|f| f.money())
            .map(|m| m.display_pence())
            .unwrap_or_else(|| "none".into());
        let ratio = role
            .ratio_to_salary
            .map(|r| format!("{}×", format_number(r, 2)))
            .unwrap_or_else(|| "none".into());
        t.add_row(vec![
            role.role.clone(),
            format_number(line.fte, 2),
            pounds(line.salary.money()),
            pounds(role.full_cost),
            hourly,
            ratio,
        ]);
    }
    out.push_str(&t.to_string());
    out.push_str(&format!(
        "\n  Productive hours a year per FTE: {} ({}).\n",
        format_number(a.productive_hours, 2),
        a.provenance.source
    ));

    out
}

/// Every reference figure used, with its source and grade.
fn references(used: &[adoptcost::compare::ReferenceUse]) -> String {
    let mut out = String::new();
    out.push_str("\nReference figures used (each with its source and confidence grade)\n");
    for u in used {
        if let Origin::Reference { parameter, from, until, source, grade, note, last_confirmed } = &u.origin {
            let span = match (until, last_confirmed) {
                (Some(u), _) => format!("{from} to {u}"),
                (None, Some(c)) => format!(
                    "from {from}, last confirmed for {} (its source says it continues)",
                    adoptcost::money::FinancialYear::of(*c)
                ),
                (None, None) => format!("from {from}"),
            };
            out.push_str(&format!(
                "  - {}: {}, in force {span}, {grade} [{parameter}]\n",
                u.name,
                u.value.display()
            ));
            out.push_str(&format!("    source: {}", source.title));
            if let Some(url) = &source.url {
                out.push_str(&format!(" <{url}>"));
            }
            out.push('\n');
            if let Some(n) = note {
                out.push_str(&format!("    note: {n}\n"));
            }
        }
    }

    out
}

/// What a reader must know.
fn warnings(warnings: &[String]) -> String {
    let mut out = String::new();
    if !warnings.is_empty() {
        out.push_str("\nPlease note\n");
        for w in warnings {
            out.push_str(&format!("  - {w}\n"));
        }
    }
    out
}

/// Any of the library's answers as pretty JSON, ending in a newline (a failure to write it is
/// exit code 1).
pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(v).map(|s| s + "\n").map_err(|e| Failure {
        code: 1,
        message: format!("writing JSON: {e}"),
        hints: Vec::new(),
    })
}

/// Every figure's derivation, or one figure's.
pub fn explain(c: &Comparison, id: Option<&str>, format: Format) -> Result<String, Failure> {
    let figures: Vec<&Figure> = match id {
        None => c.explanation.figures.iter().collect(),
        Some(id) => match c.explanation.get(id) {
            Some(f) => vec![f],
            None => {
                let near: Vec<&str> = c
                    .explanation
                    .figures
                    .iter()
                    .map(|f| f.id.as_str())
                    .filter(|f| f.starts_with(id.split('.').next().unwrap_or(id)))
                    .take(12)
                    .collect();
                let mut fail = Failure::input(format!(
                    "figure id \"{id}\" is not a figure of this comparison; expected an id such as unit.full or route.difference"
                ));
                if !near.is_empty() {
                    fail = fail.hint(format!("figures with a similar id: {}", near.join(", ")));
                }
                return Err(fail.hint("adoptcost explain with no id lists every figure with its id"));
            }
        },
    };
    match format {
        Format::Json => json(&figures),
        Format::Table => {
            let mut out = String::new();
            for f in figures {
                out.push_str(&Explanation::render_text(f));
                out.push('\n');
            }
            Ok(out)
        }
    }
}

/// The fee schedules.
pub fn fees(reference: &Reference, c: &FeesCommand) -> Result<String, Failure> {
    let wanted = |id: &str| -> bool {
        let parts: Vec<&str> = id.split('.').collect();
        if parts.first() != Some(&"fee") {
            return false;
        }
        let nation_ok = c.nation.is_none_or(|n: Nation| {
            parts.get(1) == Some(&n.id()) || parts.get(1) == Some(&"london_weighting")
        });
        let provider_ok =
            c.provider.is_none_or(|p: Provider| parts.len() < 4 || parts.get(2) == Some(&p.id()));
        nation_ok && provider_ok
    };
    let params: Vec<_> = reference.parameters.values().filter(|p| wanted(&p.id)).collect();
    if c.format == Format::Json {
        return json(&params);
    }
    let mut t = table(&["schedule", "from", "until", "amount", "grade", "source"], &[3]);
    let mut notes = Vec::new();
    for p in &params {
        match c.date {
            Some(d) => match reference.lookup(
                &p.id,
                d,
                &p.label,
                if p.id.ends_with(".monthly") { "monthly_fee" } else { "fee" },
            ) {
                Ok(found) => {
                    t.add_row(vec![
                        p.id.clone(),
                        found.entry.from.to_string(),
                        found.entry.until_words(),
                        found.quantity().display(),
                        found.entry.grade.map(|g| g.to_string()).unwrap_or_default(),
                        found.entry.source.title.clone(),
                    ]);
                }
                Err(e) => {
                    t.add_row(vec![
                        p.id.clone(),
                        "".into(),
                        "".into(),
                        "none".into(),
                        "".into(),
                        "see notes".into(),
                    ]);
                    notes.push(format!("{}: {e}", p.id));
                }
            },
            None => {
                for v in &p.values {
                    let amount = match v.value {
                        Some(x) => adoptcost::explain::Quantity::plain(x, p.unit).display(),
                        None => "missing".into(),
                    };
                    t.add_row(vec![
                        p.id.clone(),
                        v.from.to_string(),
                        v.until_words(),
                        amount,
                        v.grade.map(|g| g.to_string()).unwrap_or_else(|| "—".into()),
                        v.source.title.clone(),
                    ]);
                    if let Some(m) = &v.missing {
                        notes.push(format!("{} from {}: missing: {m}", p.id, v.from));
                    }
                    if let Some(n) = &v.note {
                        notes.push(format!("{} from {}: {n}", p.id, v.from));
                    }
                }
            }
        }
    }
    let mut out = String::from(
        "Interagency fee schedules in the reference data (ids: fee.<nation>.<provider>.<children>)\n",
    );
    out.push_str(&t.to_string());
    out.push('\n');
    if !notes.is_empty() {
        out.push_str("\nNotes\n");
        for n in notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    let schemes: Vec<_> =
        reference.schemes.iter().filter(|s| c.nation.is_none_or(|n| n == s.nation)).collect();
    if !schemes.is_empty() {
        out.push_str("\nContribution schemes\n");
        for s in schemes {
            let what = match (s.share, s.amount) {
                (Some(sh), _) => format!("{} of the placement fee", adoptcost::Percent(sh).display(2)),
                (None, Some(a)) => Money(a).display_pence(),
                _ => String::new(),
            };
            let crit: Vec<_> = s.criteria.iter().map(|c| c.describe()).collect();
            out.push_str(&format!(
                "  {}: {what}, placements {} to {}, for a child {} ({}: {})\n",
                s.name,
                s.from,
                s.until,
                crit.join(", or "),
                s.grade,
                s.source.title
            ));
            if let Some(n) = &s.note {
                out.push_str(&format!("    {n}\n"));
            }
        }
    }
    out.push_str("\nA fee the data does not hold is never carried forward: give your own with --fee.\n");
    Ok(out)
}
