// The analyses beyond one comparison: sensitivity (a tornado chart), a Monte Carlo run (a
// histogram), the break-even curves, the interagency budget (a printable page) and a benchmark of
// a multi-agency workbook. Every figure is the library's (the second WebAssembly module, loaded
// on first use), shown through its workings; the page only draws and lays out. Charts are drawn
// from the exact values read as numbers, for drawing only; the figures beside them are the
// library's own text.

import { FIELDS } from "./fields.js";
import { errorSummary, esc, pounds, setAt } from "./form.js";
import { chartBox, fitCharts, histogramChart, lineChart, rankChart, tornadoChart } from "./charts.js";
import { figure, renderWorkings, table } from "./results.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const f = Number.parseFloat; // for drawing only

/** What the analyses need from the page. */
let page = null;
/** Each analysis's state: its last answer, and the form of the budget's forecast. */
const state = { forecast: null, inputs: null };

const section = (id, title, hint, body) => `
  <details class="govuk-details app-analysis" id="an-${id}">
    <summary class="govuk-details__summary"><span class="govuk-details__summary-text">${title}</span></summary>
    <div class="govuk-details__text"><p class="govuk-body">${hint}</p>${body}
      <div id="an-${id}-out" aria-live="polite"></div></div>
  </details>`;

const field = (id, label, hint, value, width = 5, extra = "") => `
  <div class="govuk-form-group"><label class="govuk-label" for="${id}">${label}</label>
    ${hint ? `<div class="govuk-hint" id="${id}-hint">${hint}</div>` : ""}
    <input class="govuk-input govuk-input--width-${width}" id="${id}" type="text" inputmode="decimal" spellcheck="false" value="${esc(value)}" ${hint ? `aria-describedby="${id}-hint"` : ""} ${extra}></div>`;

const button = (id, text, secondary = false) =>
  `<button type="button" class="govuk-button ${secondary ? "govuk-button--secondary" : ""}" id="${id}">${text}</button>`;

/** The error summary for problems the library reports (`{message}` each). */
const problems = (title, list) => errorSummary(title, list.map((p) => p.message));

/** The workings of an analysis's figures, as the comparison's are shown. */
function workings(out, name, list) {
  const box = document.createElement("section");
  box.setAttribute("aria-label", `Workings of the ${name}`);
  out.append(box);
  renderWorkings(box, list, { prefix: `w-${name}-`, all: `workings-${name}` });
}

/** A figure of an analysis, as a link to its workings. */
const fig = (by, name, id, how = "summary") => figure(by, id, how, { prefix: `w-${name}-`, all: `workings-${name}` });

/** Runs an analysis and shows its answer; a problem is shown in the section. */
async function run(name, what, call, show) {
  const out = document.getElementById(`an-${name}-out`);
  out.innerHTML = `<p class="govuk-body">Working out the ${esc(what)}…</p>`;
  // Let the message paint before the work starts.
  await new Promise((r) => setTimeout(r, 0));
  try {
    const m = await page.module();
    const t0 = performance.now();
    const answer = call(m);
    const ms = performance.now() - t0;
    if (!answer.ok) {
      out.innerHTML = problems(`The ${what} could not be worked out`, answer.problems);
      out.firstElementChild.focus();
      return;
    }
    const by = new Map(answer.workings.map((w) => [w.id, w]));
    out.innerHTML = show(answer, by, ms);
    fitCharts(out);
    const save = document.createElement("p");
    save.className = "govuk-body";
    save.innerHTML = button(`an-${name}-xlsx`, `Download the ${esc(what)} workbook`, true);
    out.append(save);
    save.querySelector("button").addEventListener("click", () => page.download(`adoptcost-${name}.xlsx`, answer.workbook, XLSX));
    workings(out, name, answer.workings);
    out.dataset.ran = "true";
  } catch (err) {
    out.innerHTML = problems(`The ${what} could not be worked out`, [{ message: err?.message ?? String(err) }]);
  }
}

// ---- Sensitivity -------------------------------------------------------------------------

/** An input's value as people read it, by its unit: pounds (and pence where there are any),
 * weeks to one decimal, other numbers and percentages to two at most. For display only. */
function inUnit(text, unit) {
  const n = f(text);
  if (!Number.isFinite(n)) return esc(text);
  const num = (dp) => n.toLocaleString("en-GB", { maximumFractionDigits: dp }).replace("-", "−");
  if (unit?.startsWith("gbp")) {
    const whole = Number.isInteger(n);
    const money = Math.abs(n).toLocaleString("en-GB", { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 });
    const per = { gbp_per_week: " a week", gbp_per_month: " a month", gbp_per_year: " a year", gbp_per_hour: " an hour", gbp_per_fte: " per FTE" }[unit] ?? "";
    return `${n < 0 ? "−" : ""}£${money}${per}`;
  }
  if (unit === "weeks") return `${num(1)} weeks`;
  if (unit === "months") return `${num(1)} months`;
  if (unit === "percent") return `${num(2)}%`;
  if (unit === "fte") return `${num(2)} FTE`;
  return num(2);
}

function tornado(r) {
  const rows = r.swings.slice(0, 15);
  if (!rows.length) return "";
  const draw = tornadoChart(
    "tornado-title",
    "Tornado chart: the difference between the routes with each input at its low (blue) and high (orange) value, largest swing first; the table below gives the figures",
    rows.map((s) => ({
      label: s.label,
      low: f(s.at_low),
      high: f(s.at_high),
      lowTitle: `${s.label} at its low value (${inUnit(s.low, s.unit)}): ${pounds(s.at_low)}`,
      highTitle: `${s.label} at its high value (${inUnit(s.high, s.unit)}): ${pounds(s.at_high)}`,
    })),
    f(r.base_difference),
    pounds(r.base_difference),
  );
  return chartBox("tornado", draw);
}

function showSensitivity(a, by) {
  const r = a.result;
  const rows = r.swings.map((s) => [
    esc(s.label),
    `${inUnit(s.low, s.unit)} – ${inUnit(s.high, s.unit)}`,
    esc(pounds(s.at_low)),
    esc(pounds(s.at_high)),
    fig(by, "sensitivity", s.figure),
  ]);
  const none = r.no_effect.length
    ? `<p class="govuk-body-s">No effect on the difference: ${r.no_effect.map((s) => esc(s.label)).join("; ")}.</p>`
    : "";
  return `<h3 class="govuk-heading-m">What moves the difference most</h3>
    <p class="govuk-body">The difference between the routes (external − in-house) as worked out is ${esc(pounds(r.base_difference))}, in ${esc(r.year)} prices. Each input moved on its own, everything else held.</p>
    <figure class="govuk-!-margin-0 govuk-!-margin-bottom-4">${tornado(r)}</figure>
    ${table("Each input's swing, largest first", ["input", "low – high", "difference at low", "difference at high", "swing"], rows)}${none}`;
}

// ---- Monte Carlo ---------------------------------------------------------------------------

function rangeRows() {
  const ranges = page.doc().range ?? [];
  const options = (sel) =>
    `<option value="">Choose an input</option>` +
    (state.inputs ?? [])
      .map((i) => `<option value="${esc(i.path)}" ${i.path === sel ? "selected" : ""}>${esc(i.label)}${i.value ? ": " + inUnit(i.value, i.unit) : ""}</option>`)
      .join("");
  if (!ranges.length) return `<p class="govuk-body" id="an-ranges-none">No input has a range yet.</p>`;
  return ranges
    .map(
      (r, i) => `<fieldset class="govuk-fieldset app-line" data-range="${i}"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Range ${i + 1}</legend>
      <div class="app-line__fields">
        <div class="govuk-form-group"><label class="govuk-label" for="an-r${i}-input">Input</label>
          <select class="govuk-select" id="an-r${i}-input" data-key="input">${options(r.input)}</select></div>
        ${["low", "likely", "high"].map((k) => field(`an-r${i}-${k}`, k === "likely" ? "Most likely" : k[0].toUpperCase() + k.slice(1), "", r[k] ?? "", 5, `data-key="${k}"`)).join("")}
        <div class="govuk-form-group"><label class="govuk-label" for="an-r${i}-distribution">Distribution</label>
          <select class="govuk-select" id="an-r${i}-distribution" data-key="distribution">
            <option value="triangular" ${r.distribution !== "pert" ? "selected" : ""}>Triangular</option>
            <option value="pert" ${r.distribution === "pert" ? "selected" : ""}>PERT</option></select></div>
        <div class="govuk-form-group"><button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-remove-range="${i}">Remove<span class="govuk-visually-hidden"> range ${i + 1}</span></button></div>
      </div></fieldset>`,
    )
    .join("");
}

async function refreshInputs() {
  const m = await page.module();
  const r = m.analysis_inputs(page.scenario());
  state.inputs = r.ok ? r.inputs : [];
  document.getElementById("an-ranges").innerHTML = rangeRows();
}

function histogram(r) {
  const bins = r.histogram;
  if (!bins.length) return "";
  const draw = histogramChart(
    "histogram-title",
    "Histogram of the difference between the routes over the draws; the table below gives the figures",
    bins.map((b) => ({ from: f(b.from), to: f(b.to), count: b.count, title: `${pounds(b.from)} to ${pounds(b.to)}: ${b.count} draws` })),
    "difference, external − in-house",
  );
  const zero = f(bins[0].from) < 0 && f(bins[bins.length - 1].to) > 0
    ? `<p class="govuk-body-s app-chart-note">Left of the line at £0 the external route is cheaper.</p>`
    : "";
  return `${chartBox("histogram", draw)}${zero}`;
}

function showSimulation(a, by, ms) {
  const r = a.result;
  const name = "simulation";
  const summary = [
    ["Mean of the draws", fig(by, name, "uncertainty.mean")],
    ...r.percentiles.map((p) => [`${p.percent}th percentile`, fig(by, name, `uncertainty.p${p.percent}`)]),
    ["Lowest drawn", esc(pounds(r.min))],
    ["Highest drawn", esc(pounds(r.max))],
    ["Probability the external route is cheaper", fig(by, name, "uncertainty.p_external_cheaper")],
  ];
  const unitOf = (path) => (state.inputs ?? []).find((i) => i.path === path)?.unit;
  const drivers = r.drivers.map((d) => [
    esc(d.label),
    esc(d.range.distribution),
    [d.range.low, d.range.likely, d.range.high].map((v) => inUnit(v, unitOf(d.input))).join(" / "),
    fig(by, name, `uncertainty.driver.${d.input}`),
  ]);
  const bins = r.histogram.map((b) => [`${esc(pounds(b.from))} to ${esc(pounds(b.to))}`, String(b.count)]);
  return `<h3 class="govuk-heading-m">The difference between the routes over ${r.draws.toLocaleString("en-GB")} draws</h3>
    <p class="govuk-body" id="an-simulation-meta">Seed ${esc(String(r.seed))}, generator ${esc(r.generator)}, ${esc(r.year)} prices; as worked out, with every input at its own value: ${esc(pounds(r.base_difference))}. Worked out in this browser in <span id="an-simulation-ms">${Math.round(ms)}</span> ms. The same scenario, draws and seed give the same figures here and with <code>adoptcost simulate</code>.</p>
    <figure class="govuk-!-margin-0 govuk-!-margin-bottom-4">${histogram(r)}
    <details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">The histogram as a table</span></summary>
    <div class="govuk-details__text">${table("Draws by difference", ["difference", "draws"], bins)}</div></details></figure>
    ${table("Summary", ["", "difference"], summary)}
    ${table("What drives the spread (Spearman rank correlation with the difference)", ["input", "distribution", "low / likely / high", "rank correlation (−1 to 1)"], drivers)}`;
}

// ---- Break-even curves ---------------------------------------------------------------------

function approvalsChart(c, breakEven) {
  const pts = c.points;
  if (!pts.length) return "";
  const be = c.break_even;
  return chartBox(
    "approvals",
    lineChart(
      "approvals-title",
      "The full in-house cost of a placement against approvals a year, against the net fee, with the break-even marked; the table below gives the figures",
      {
        xs: pts.map((p) => f(p.approvals)),
        xLabels: pts.map((p) => p.approvals),
        xTitle: "approvals a year",
        series: [
          { name: "net fee", colour: "#00703c", ys: pts.map((p) => f(p.net_fee)) },
          { name: "full in-house cost", colour: "#1d70b8", ys: pts.map((p) => f(p.full)) },
        ],
        yLabels: [
          { v: f(pts[0].full), text: pounds(pts[0].full) },
          { v: f(pts[0].net_fee), text: pounds(pts[0].net_fee) },
        ],
        dot: { x: f(c.actual.approvals), y: f(c.actual.full), colour: "#1d70b8", title: "The agency's approvals" },
        mark: be ? { x: f(be.approvals), text: `break-even N*: ${breakEven}` } : undefined,
      },
    ),
  );
}

function showBreakeven(a, by) {
  const { wait, approvals } = a.result;
  const name = "breakeven";
  const arows = approvals.points.map((p) => [esc(p.approvals), esc(pounds(p.full)), esc(pounds(p.net_fee)), esc(pounds(p.in_house)), esc(pounds(p.external))]);
  arows.push([`the agency's: ${esc(approvals.actual.approvals)}`, esc(pounds(approvals.actual.full)), esc(pounds(approvals.actual.net_fee)), esc(pounds(approvals.actual.in_house)), esc(pounds(approvals.actual.external))]);
  const wrows = wait.points.map((p) => [esc(p.weeks), esc(pounds(p.in_house)), esc(pounds(p.external))]);
  return `<h3 class="govuk-heading-m">Against approvals a year</h3>
    <p class="govuk-body">Break-even approvals N*: ${fig(by, name, "breakeven.approvals")}. At that many approvals a year the full in-house cost of a placement equals the net fee; everything else is held as it is.</p>
    <figure class="govuk-!-margin-0 govuk-!-margin-bottom-4">${approvalsChart(approvals, by.get("breakeven.approvals")?.summary ?? "")}</figure>
    ${table("Each route against approvals a year", ["approvals", "full in-house cost", "net fee", "in-house route", "external route"], arows)}
    <h3 class="govuk-heading-m">Against the weeks waited</h3>
    <p class="govuk-body">Break-even wait Δ*: ${fig(by, name, "breakeven.wait")}. The chart is under "The cost of waiting" in the comparison.</p>
    ${table("Each route against the weeks to an in-house match", ["weeks", "in-house route", "external route"], wrows)}`;
}

// ---- Budget --------------------------------------------------------------------------------

/** The quarters' names, from the library. */
const quarters = () => FIELDS.quarters;

function check(id, label, checked, key) {
  return `<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="${id}" type="checkbox" data-key="${key}" ${checked ? "checked" : ""}>
    <label class="govuk-label govuk-checkboxes__label" for="${id}">${label}</label></div>`;
}

function profileRows() {
  const ps = state.forecast.profile ?? [];
  return ps
    .map(
      (p, i) => `<fieldset class="govuk-fieldset app-line" data-profile="${i}"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Profile ${i + 1}</legend>
      <div class="app-line__fields">
        ${field(`an-p${i}-name`, "What it is", "", p.name ?? "", 20, `data-key="name"`)}
        ${field(`an-p${i}-children`, "Children in each group", "", p.children ?? 1, 2, `data-key="children"`)}
        ${field(`an-p${i}-age`, "Age of the youngest", "", p.age ?? "", 2, `data-key="age"`)}
        ${quarters().map((q, k) => field(`an-p${i}-q${k + 1}`, `Placed ${q}`, "", p.placements?.[k] ?? 0, 2, `data-key="placements.${k}"`)).join("")}
        ${field(`an-p${i}-share`, "Placed externally, %", "", p.external_share ?? "", 3, `data-key="external_share"`)}
        <div class="govuk-form-group"><label class="govuk-label" for="an-p${i}-provider">External adopters' agency</label>
          <select class="govuk-select" id="an-p${i}-provider" data-key="provider">
            <option value="vaa" ${p.provider !== "la" ? "selected" : ""}>VAA</option>
            <option value="la" ${p.provider === "la" ? "selected" : ""}>Council or RAA</option></select></div>
        <div class="govuk-form-group"><div class="govuk-checkboxes govuk-checkboxes--small">
          ${check(`an-p${i}-london`, "In London", p.london, "london")}
          ${check(`an-p${i}-disabled`, "Disabled", p.disabled, "disabled")}
          ${check(`an-p${i}-bme`, "Black or minority ethnic", p.minority_ethnic, "minority_ethnic")}
          ${check(`an-p${i}-wait`, "Waiting over 18 months", p.waiting_over_18_months, "waiting_over_18_months")}
        </div></div>
        <div class="govuk-form-group"><button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-remove-profile="${i}">Remove<span class="govuk-visually-hidden"> profile ${i + 1}</span></button></div>
      </div>${p.contribution ? `<p class="govuk-body-s">This profile's own contribution, from the file, is kept.</p>` : ""}</fieldset>`,
    )
    .join("");
}

function renderForecast() {
  const fc = state.forecast;
  fc.sales ??= { placements: [0, 0, 0, 0] };
  const overrides = fc.fee_override?.length
    ? `<p class="govuk-body-s">The forecast's ${fc.fee_override.length} fee override(s), from the file, are kept.</p>`
    : "";
  document.getElementById("an-forecast").innerHTML = `
    ${field("an-year", "Budget year", "As 2026/27; blank for the latest fee year the reference data covers", fc.year ?? "", 5, `data-forecast="year"`)}
    <div id="an-profiles">${profileRows()}</div>
    ${button("an-add-profile", "Add a profile", true)}
    <fieldset class="govuk-fieldset app-line"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Sales: the agency's own adopters matched with other agencies' children</legend>
      <div class="app-line__fields">
      ${quarters().map((q, k) => field(`an-s-q${k + 1}`, `Matched ${q}`, "", fc.sales.placements?.[k] ?? 0, 2, `data-forecast="sales.placements.${k}"`)).join("")}
      ${field("an-s-fee", "Fee income per sale", "Blank for the schedule fee", fc.sales.fee_income_per_sale ?? "", 7, `data-forecast="sales.fee_income_per_sale"`)}
      </div></fieldset>${overrides}`;
}

/** The forecast as the library reads it: blanks left out, whole numbers as numbers. */
function forecastDocument() {
  const fc = structuredClone(state.forecast);
  const clean = (o) => {
    for (const [k, v] of Object.entries(o)) {
      if (v === "" || v === null || v === undefined) delete o[k];
      else if (typeof v === "string") o[k] = v.trim();
    }
  };
  clean(fc);
  for (const p of fc.profile ?? []) {
    clean(p);
    for (const k of ["children", "age"]) if (typeof p[k] === "string" && /^\d+$/.test(p[k])) p[k] = Number(p[k]);
  }
  if (fc.sales) clean(fc.sales);
  return fc;
}

const row = (by, name, label, prefix, how = "display") => [
  label,
  ...[1, 2, 3, 4].map((q) => fig(by, name, `${prefix.replace("#", `Q${q}`)}`, how)),
  fig(by, name, prefix.replace("#", "year"), how),
];

function showBudget(a, by) {
  const b = a.result;
  const name = "budget";
  const head = ["", ...quarters(), "year"];
  const profiles = b.profiles.map((p, i) => [
    esc(p.name),
    ...[1, 2, 3, 4].map((q) => fig(by, name, `budget.profile[${i + 1}].Q${q}.net_fees`, "display")),
    fig(by, name, `budget.profile[${i + 1}].net_fees`, "display"),
  ]);
  const external = b.profiles.map((p, i) => [
    esc(p.name),
    ...[1, 2, 3, 4].map((q) => fig(by, name, `budget.profile[${i + 1}].Q${q}.external`, "display")),
    fig(by, name, `budget.profile[${i + 1}].external`, "display"),
  ]);
  const notes = b.notes.length ? `<ul class="govuk-list govuk-list--bullet">${b.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "";
  return `<div id="budget-page" class="app-budget-page">
    <h3 class="govuk-heading-m">Interagency fee budget ${esc(b.year)}: ${esc(b.agency)}</h3>
    ${notes}
    ${table("The budget to sign off", head, [
      row(by, name, "Interagency fees", "budget.#.gross_fees"),
      row(by, name, "less contributions", "budget.#.contributions"),
      row(by, name, "Net fees", "budget.#.net_fees"),
      ...(Number(b.earlier.total) !== 0 ? [row(by, name, "Fees due on earlier placements", "budget.#.earlier")] : []),
      row(by, name, "less fee income from sales", "budget.#.sales_income"),
      row(by, name, "<strong>Net budget</strong>", "budget.#.net_budget"),
    ])}
    ${Number(b.due_later) !== 0 ? `<p class="govuk-body">Falling due after ${esc(b.year)}, in the budgets of the years they fall in: ${fig(by, name, "budget.due_later", "display")} (monthly fees after 12 months without an order, and commitments).</p>` : ""}
    ${table("Net fees by profile", head, profiles)}
    ${table("External placements expected", head, external)}
    ${table("The in-house cost beside it", ["", "full cost", "marginal (cash) cost"], [
      [`Incurred: ${fig(by, name, "budget.in_house.placements", "display")} placements in-house`, fig(by, name, "budget.in_house.full", "display"), fig(by, name, "budget.in_house.marginal", "display")],
      [`Avoided: ${fig(by, name, "budget.external.placements", "display")} placements externally`, fig(by, name, "budget.avoided.full", "display"), fig(by, name, "budget.avoided.marginal", "display")],
    ])}
    <p class="govuk-body-s">Fees at each quarter's first day, from the reference data; contributions from the schemes in force then. The in-house cost per placement is the agency's (cost base ${esc(b.cost_price_year)}): full ${esc(pounds(b.full_cost))}, marginal ${esc(pounds(b.marginal_cost))}.${
      b.sibling
        ? ` The costs include the sibling groups' children beyond the first (${fig(by, name, "budget.in_house.additional_children", "display")} in-house, ${fig(by, name, "budget.external.additional_children", "display")} externally), each adding ${fig(by, name, by.has("budget.restated.sibling_extra") ? "budget.restated.sibling_extra" : "budget.sibling.extra")} at full cost and ${fig(by, name, by.has("budget.restated.sibling_marginal_extra") ? "budget.restated.sibling_marginal_extra" : "budget.sibling.marginal_extra")} at marginal cost (the agency's sibling uplift of a household's matching and support).`
        : ""
    } Every figure's workings are below and in the workbook.</p>
    <dl class="govuk-summary-list app-sign-off" id="budget-sign-off">
      ${["Prepared by", "Approved by"].map((role, i) => `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${role}</dt><dd class="govuk-summary-list__value">${esc(b.sign_off[i]) || "&nbsp;"}</dd><dt class="govuk-summary-list__key">Date</dt><dd class="govuk-summary-list__value">&nbsp;</dd></div>`).join("")}
    </dl>
    <p class="govuk-body app-no-print">${button("an-budget-print", "Print the budget", true)}</p>
  </div>`;
}

// ---- Benchmark -----------------------------------------------------------------------------

const STAGES = [
  ["unit.per_approval", "A: per approval"],
  ["unit.per_match", "B: per match"],
  ["unit.per_supported", "C: per supported placement"],
  ["unit.full", "Full cost of a placement"],
];

function stageChart(b, m, label) {
  const vals = m.values.map((v, i) => ({ v, i })).filter((e) => e.v !== null);
  if (!vals.length || !m.stats) return "";
  vals.sort((a, c) => f(a.v) - f(c.v));
  const id = `bench-${m.id.replace(/[^a-z0-9]+/gi, "-")}`;
  const rows = vals.map((e) => {
    const flag = m.positions[e.i]?.flag;
    const a = b.agencies[e.i];
    return { code: a.code, v: f(e.v), flagged: Boolean(flag), title: `${a.name}: ${pounds(e.v)}${flag ? ` (${flag})` : ""}` };
  });
  return chartBox(id, rankChart(`${id}-title`, `${label}: each agency's figure, lowest first, against the median; flagged figures in red. The table gives the figures`, rows, f(m.stats.median), pounds(m.stats.median)));
}

function showBenchmark(a, by, file) {
  const run = a.result;
  const b = run.benchmark;
  const name = "benchmark";
  const measureTable = (m, caption) => {
    const rows = b.agencies.map((ag, i) => {
      const p = m.positions[i];
      return [
        `${esc(ag.code)}: ${esc(ag.name)}`,
        m.sources[i] ? fig(by, name, m.sources[i]) : "no figure",
        p ? `${p.rank} of ${p.of}` : "",
        p?.flag ? `<strong class="govuk-tag govuk-tag--red">${esc(p.flag)}</strong>` : "",
      ];
    });
    const s = m.stats;
    if (s) {
      const id = (k) => `benchmark.${m.id}.${k}`;
      rows.push(["Lower quartile", fig(by, name, id("q1")), "", ""]);
      rows.push(["Median", fig(by, name, id("median")), "", ""]);
      rows.push(["Upper quartile", fig(by, name, id("q3")), "", ""]);
    }
    return table(caption, ["agency", "value", "rank (1 = lowest)", "flag"], rows);
  };
  const stages = STAGES.map(([id, label]) => {
    const m = b.measures.find((x) => x.id === id);
    return m ? `<section><h4 class="govuk-heading-s">${esc(label)}</h4>${stageChart(b, m, label)}${measureTable(m, `${esc(label)}, by agency`)}</section>` : "";
  }).join("");
  const others = b.measures
    .filter((m) => !STAGES.some(([id]) => id === m.id))
    .map((m) => `<details class="govuk-details govuk-!-margin-bottom-2"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">${esc(m.label)}</span></summary>
      <div class="govuk-details__text">${measureTable(m, esc(m.label))}</div></details>`)
    .join("");
  const empty = b.agencies.filter((ag) => ag.empty.length).map((ag) => `<li>${esc(ag.code)}: ${esc(ag.empty.join(", ").replace(/_/g, " "))}</li>`).join("");
  const notes = b.notes.length ? `<ul class="govuk-list govuk-list--bullet">${b.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "";
  const errs = a.problems.length ? problems(`${a.problems.length} ${a.problems.length === 1 ? "problem" : "problems"} in ${file}: these agencies were not benchmarked`, a.problems) : "";
  return `${errs}<p class="govuk-body" id="an-benchmark-summary">Benchmarked ${b.agencies.length} of ${run.agency_rows} agencies in ${esc(file)}.</p>${notes}
    ${empty ? `<h4 class="govuk-heading-s">Cost categories left empty</h4><p class="govuk-body">Missing overheads are the usual cause of an implausibly low unit cost.</p><ul class="govuk-list govuk-list--bullet">${empty}</ul>` : ""}
    <p class="govuk-body">Flags mark figures outside 1.5 interquartile ranges of the quartiles: more likely a difference in what was counted than in efficiency.</p>
    ${stages}<h4 class="govuk-heading-s">By cost category and role</h4>${others}`;
}

// ---- The section ---------------------------------------------------------------------------

/** The analyses' section of the page. */
export function renderAnalyses() {
  return `<section id="analyses" aria-labelledby="analyses-heading">
    <h2 class="govuk-heading-l app-no-print" id="analyses-heading">Analyse this scenario</h2>
    <p class="govuk-body app-no-print">Beyond the one comparison: the same analyses as <code>adoptcost sensitivity</code>, <code>simulate</code>, <code>breakeven</code>, <code>budget</code> and <code>benchmark</code>, worked out in this browser on the figures in the form. Each gives a workbook like the command line's <code>-o</code>.</p>
    <div class="app-no-print">
    ${section("sensitivity", "Sensitivity: which inputs move the difference most", "Each input moved down and up by a share of its value, one at a time.",
      `${field("an-change", "Move each input by", "In percent, either way", "10", 3)}${button("an-sensitivity-run", "Work out the sensitivity")}`)}
    ${section("simulation", "Uncertainty: a Monte Carlo run over ranges", "Give inputs a range (lowest, most likely, highest); each draw takes every ranged input from its distribution. The ranges are part of the scenario: they are saved with it, and the command-line tool reads them from the saved scenario.",
      `<div id="an-ranges"></div>${button("an-add-range", "Add a range", true)}
       ${field("an-draws", "Draws", "From 1 to 100,000 in the browser (the command line runs up to 10,000,000)", "10000", 5)}
       ${field("an-seed", "Seed", "The same seed gives the same draws, here and in the command line", "1", 10)}
       ${button("an-simulation-run", "Run the simulation")}`)}
    ${section("breakeven", "Break-even: the routes against approvals and waits", "The full in-house cost against approvals a year, and each route against the weeks waited.",
      button("an-breakeven-run", "Draw the curves"))}
    </div>
    ${section("budget", "Budget: the interagency fee budget for a year", "From a forecast of the children expected to need placements, by quarter: the fees, net of contributions and of fee income from the agency's own adopters placed elsewhere, against the agency in the form. Starts from the example forecast.",
      `<div class="app-no-print"><div id="an-forecast"></div>
       <div class="govuk-form-group"><label class="govuk-label" for="an-forecast-file">Or load a forecast file (TOML or JSON, in the format the command-line tool reads)</label>
       <input class="govuk-file-upload" id="an-forecast-file" type="file" accept=".toml,.json"></div>
       <div id="an-forecast-status" role="status"></div>
       ${button("an-budget-run", "Work out the budget")}</div>`)}
    <div class="app-no-print">
    ${section("benchmark", "Benchmark: agencies against each other", "Open a workbook with many agencies' cost bases (the template, one row per agency on the Agencies sheet). Nothing leaves this browser.",
      `<div class="govuk-form-group"><label class="govuk-label" for="an-benchmark-file">Multi-agency workbook (.xlsx, .xlsm, .xls, .ods)</label>
       <input class="govuk-file-upload" id="an-benchmark-file" type="file" accept=".xlsx,.xlsm,.xls,.ods"></div>`)}
    </div>
  </section>`;
}

/** Marks every scenario analysis's answer out of date after a change to the form. */
export function scenarioChanged() {
  for (const name of ["sensitivity", "simulation", "breakeven", "budget"]) {
    const out = document.getElementById(`an-${name}-out`);
    if (out?.dataset.ran === "true" && !out.querySelector(".app-stale")) {
      out.insertAdjacentHTML("afterbegin", `<div class="govuk-inset-text app-stale">These figures are for the form as it was when they were worked out: work them out again for the figures as they are now.</div>`);
    }
  }
}

/**
 * Wires the section. `p`: {module() (the analyses' module, loaded on first use), doc() (the
 * scenario as typed), scenario({ranges}) (the document for the library, with the Monte Carlo
 * ranges only when asked for: a half-typed range must not stop the other analyses),
 * download(name, data, type), changed() (the scenario's ranges changed)}.
 */
export function wireAnalyses(p) {
  page = p;
  const on = (id, ev, fn) => document.getElementById(id).addEventListener(ev, fn);
  on("an-sensitivity-run", "click", () =>
    run("sensitivity", "sensitivity", (m) => m.sensitivity(page.scenario(), document.getElementById("an-change").value), showSensitivity));

  on("an-simulation", "toggle", (e) => e.target.open && refreshInputs());
  const ranges = document.getElementById("an-ranges");
  const setRange = (e) => {
    const box = e.target.closest("[data-range]");
    if (!box || !e.target.dataset.key) return;
    const r = page.doc().range[Number(box.dataset.range)];
    r[e.target.dataset.key] = e.target.value;
    if (e.target.dataset.key === "input") {
      // Start the range at the value the comparison used, for the user to widen.
      const v = state.inputs.find((i) => i.path === e.target.value)?.value ?? "";
      for (const k of ["low", "likely", "high"]) if (!r[k]) r[k] = v;
      ranges.innerHTML = rangeRows();
    }
    page.changed();
  };
  ranges.addEventListener("input", setRange);
  ranges.addEventListener("change", (e) => e.target.tagName === "SELECT" && setRange(e));
  ranges.addEventListener("click", (e) => {
    const t = e.target.closest("[data-remove-range]");
    if (!t) return;
    page.doc().range.splice(Number(t.dataset.removeRange), 1);
    ranges.innerHTML = rangeRows();
    document.getElementById("an-add-range").focus();
    page.changed();
  });
  on("an-add-range", "click", () => {
    const d = page.doc();
    d.range ??= [];
    d.range.push({ input: "", low: "", likely: "", high: "", distribution: "triangular" });
    ranges.innerHTML = rangeRows();
    document.getElementById(`an-r${d.range.length - 1}-input`)?.focus();
  });
  on("an-simulation-run", "click", () => {
    const draws = document.getElementById("an-draws").value.trim();
    if (/^\d+$/.test(draws) && Number(draws) > 100_000) {
      document.getElementById("an-simulation-out").innerHTML = problems("The simulation was not run", [
        { message: `Draws: ${draws} is more than this page runs (100,000 at most, so the page stays responsive); run adoptcost simulate --draws ${draws} for more.` },
      ]);
      return;
    }
    run("simulation", "simulation", (m) => m.simulate(page.scenario({ ranges: true }), draws, document.getElementById("an-seed").value), showSimulation);
  });

  on("an-breakeven-run", "click", () => run("breakeven", "break-even", (m) => m.breakeven(page.scenario()), showBreakeven));

  on("an-budget", "toggle", async (e) => {
    if (!e.target.open || state.forecast) return;
    state.forecast = (await page.module()).example_forecast();
    renderForecast();
  });
  const forecast = document.getElementById("an-forecast");
  forecast.addEventListener("input", (e) => {
    const t = e.target;
    const box = t.closest("[data-profile]");
    const value = t.type === "checkbox" ? t.checked : t.value;
    if (box && t.dataset.key) setAt(state.forecast.profile[Number(box.dataset.profile)], t.dataset.key, value);
    else if (t.dataset.forecast) setAt(state.forecast, t.dataset.forecast, value);
  });
  forecast.addEventListener("click", (e) => {
    const t = e.target.closest("button");
    if (!t) return;
    if (t.id === "an-add-profile") {
      state.forecast.profile.push({ name: "", children: 1, placements: [0, 0, 0, 0], external_share: "", provider: "vaa" });
      document.getElementById("an-profiles").innerHTML = profileRows();
      document.getElementById(`an-p${state.forecast.profile.length - 1}-name`).focus();
    } else if (t.dataset.removeProfile) {
      state.forecast.profile.splice(Number(t.dataset.removeProfile), 1);
      document.getElementById("an-profiles").innerHTML = profileRows();
      document.getElementById("an-add-profile").focus();
    }
  });
  on("an-forecast-file", "change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const read = (await page.module()).read_forecast(await file.text(), file.name);
    const status = document.getElementById("an-forecast-status");
    if (!read.ok) {
      status.innerHTML = problems(`${file.name} is not a forecast adoptcost can read`, read.problems);
      return;
    }
    state.forecast = read.forecast;
    state.forecast.profile ??= [];
    renderForecast();
    status.innerHTML = `<p class="govuk-body">Loaded ${esc(file.name)}.</p>`;
  });
  on("an-budget-run", "click", () => run("budget", "budget", (m) => m.budget(page.scenario(), forecastDocument()), showBudget));
  document.getElementById("an-budget-out").addEventListener("click", (e) => {
    if (e.target.closest("#an-budget-print")) printBudget();
  });

  on("an-benchmark-file", "change", (e) => {
    const file = e.target.files[0];
    if (!file) return;
    file.arrayBuffer().then((buf) =>
      run("benchmark", "benchmark", (m) => m.benchmark(new Uint8Array(buf)), (a, by) => showBenchmark(a, by, file.name)),
    );
  });
}

/** Prints the budget alone, on its own page. */
function printBudget() {
  document.body.classList.add("app-print-budget");
  const done = () => {
    document.body.classList.remove("app-print-budget");
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}
