// The results: every figure shown comes from the library's answer (its exact value in
// data-value, its rounded text from the library's own display), and links to its workings.

import { FIELDS } from "./fields.js";
import { SEGMENTS, barRows, chartBox, lineChart } from "./charts.js";
import { esc, idOf } from "./form.js";

/** The cost categories, `[id, name]`, from the library, the name capitalised for a chart. */
const categories = () => FIELDS.categories.map(([k, name]) => [k, name[0].toUpperCase() + name.slice(1)]);

/**
 * Makes `el`'s content the given HTML by changing only what differs: text that changed, and
 * attributes; an element of another kind is replaced, extra nodes removed, missing ones added.
 * After an input change most of the results keep their shape and only figures change, so the
 * browser restyles and lays out those text nodes instead of the whole column (measured: about
 * 15 ms of style and layout a recompute down to about 5). morphdom does the same and more (keyed
 * moves, form state) but took 8 ms a recompute here against this walk's 3 to 4.
 */
export function patch(el, html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  sync(el, t.content);
}

function sync(from, to) {
  let a = from.firstChild;
  let b = to.firstChild;
  while (a && b) {
    const nextA = a.nextSibling;
    const nextB = b.nextSibling;
    if (a.isEqualNode(b)) {
      // Unchanged (compared natively, which is much quicker than walking it here).
    } else if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) {
      from.replaceChild(b, a);
    } else if (a.nodeType !== Node.ELEMENT_NODE) {
      if (a.nodeValue !== b.nodeValue) a.nodeValue = b.nodeValue;
    } else {
      for (const { name, value } of b.attributes) {
        if (a.getAttribute(name) !== value) a.setAttribute(name, value);
      }
      for (let i = a.attributes.length - 1; i >= 0; i--) {
        const name = a.attributes[i].name;
        if (!b.hasAttribute(name)) a.removeAttribute(name);
      }
      sync(a, b);
    }
    a = nextA;
    b = nextB;
  }
  while (a) {
    const next = a.nextSibling;
    from.removeChild(a);
    a = next;
  }
  while (b) {
    const next = b.nextSibling;
    from.appendChild(b);
    b = next;
  }
}

/** Where a list of workings is: its figures' id prefix and its outer details element's id. */
const COMPARISON = { prefix: "w-", all: "workings-all" };

/** A figure of the answer, as a link to its workings. */
export function figure(by, id, how = "summary", where = COMPARISON) {
  const f = by.get(id);
  if (!f) return `<span class="app-figure">not worked out</span>`;
  return `<a class="govuk-link app-figure" href="#${esc(where.prefix + id)}" data-all="${where.all}" data-figure="${esc(id)}" data-value="${esc(f.value ?? "")}" data-shown="${how}">${esc(f[how])}</a>`;
}

/** The restated figure where the comparison restated it in the fee year's prices. */
const used = (by, id) => (by.has(`restated.${id}`) ? `restated.${id}` : id);

export function table(caption, head, rows, numbers = true) {
  // A wide table scrolls inside its own box on a narrow screen, not the whole page; the box
  // takes the keyboard's focus so it can be scrolled without a mouse.
  return `<div class="app-table-scroll" tabindex="0" role="region" aria-label="${esc(caption.replace(/<[^>]*>/g, ""))}"><table class="govuk-table ${numbers ? "app-table--numbers" : ""}">
    <caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row">${head
      .map((h) => `<th scope="col" class="govuk-table__header">${h}</th>`)
      .join("")}</tr></thead>
    <tbody class="govuk-table__body">${rows
      .map(
        (r) =>
          `<tr class="govuk-table__row">${r
            .map((c, i) => (i === 0 ? `<th scope="row" class="govuk-table__header">${c}</th>` : `<td class="govuk-table__cell">${c}</td>`))
            .join("")}</tr>`,
      )
      .join("")}</tbody></table></div>`;
}

/** Bar chart: the full in-house cost by category, against the net fee and the marginal cost. */
function categoryChart(by) {
  const v = (id) => Math.max(0, Number.parseFloat(by.get(id)?.value ?? "0")); // for drawing only
  const said = (id) => by.get(id)?.summary ?? "";
  const parts = categories().map(([k, name]) => ({ id: `unit.full.${k}`, name }));
  const rows = [
    { label: `Full in-house cost: ${said("unit.full")}`, v: v("unit.full"), parts: parts.map((p) => ({ v: v(p.id), title: `${p.name}: ${said(p.id)}` })) },
    { label: `Net interagency fee: ${said("fee.net")}`, v: v("fee.net"), fill: "#00703c" },
    { label: `Marginal (cash) cost: ${said("unit.marginal")}`, v: v("unit.marginal"), fill: "#b1b4b6" },
  ];
  const draw = barRows("chart-cat-title", "Full in-house cost of a placement by category, against the net interagency fee (marked across each bar): the key and the table below give the figures", rows, v("fee.net"));
  // The key: each category's colour, name and amount, in the order of the segments.
  const key = parts
    .map(
      (p, i) => `<li><svg class="app-key__swatch" width="16" height="16" aria-hidden="true" focusable="false"><rect x="0.5" y="0.5" width="15" height="15" fill="${SEGMENTS[i]}" stroke="#0b0c0c"></rect></svg>${esc(p.name)}: ${esc(said(p.id))}</li>`,
    )
    .join("");
  const rowsOf = parts.map((p) => [esc(p.name), figure(by, p.id)]);
  rowsOf.push(["Full in-house cost", figure(by, "unit.full")]);
  rowsOf.push(["Net interagency fee", figure(by, "fee.net")]);
  rowsOf.push(["Marginal (cash) cost", figure(by, "unit.marginal")]);
  return `<figure class="govuk-!-margin-0 govuk-!-margin-bottom-6">${chartBox("chart-cat", draw)}
    <ul class="app-key" aria-label="Key to the categories">${key}<li><svg class="app-key__swatch" width="16" height="16" aria-hidden="true" focusable="false"><line x1="8" x2="8" y1="0" y2="16" stroke="#00703c" stroke-width="3" stroke-dasharray="5 3"></line></svg>The net fee, marked across each bar</li></ul>
    <details class="govuk-details govuk-!-margin-top-2 app-no-print"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">The chart's figures as a table</span></summary>
    <div class="govuk-details__text">${table("Full in-house cost by category, and the fee", ["", "per placement"], rowsOf)}</div></details></figure>`;
}

/** Line chart: each route's total cost against the weeks the in-house route takes to a match. */
function waitChart(curve) {
  const pts = curve.points;
  if (!pts.length) return "";
  const f = Number.parseFloat; // for drawing only
  const e = curve.expected;
  const be = curve.breakEven;
  const top = pts.reduce((m, p) => (f(p.inHouse) > f(m.inHouse) ? p : m));
  const draw = lineChart(
    "chart-wait-title",
    "Total cost of each route against the weeks the child waits for an in-house match, with the break-even marked: the table below gives the figures",
    {
      xs: pts.map((p) => f(p.weeks)),
      xLabels: pts.map((p) => p.weeksDisplay.replace(/\.0$/, "")),
      xTitle: "weeks to an in-house match",
      series: [
        { name: "external route", colour: "#00703c", ys: pts.map((p) => f(p.external)) },
        { name: "in-house route", colour: "#1d70b8", ys: pts.map((p) => f(p.inHouse)) },
      ],
      yLabels: [{ v: f(top.inHouse), text: top.inHouseDisplay }],
      dot: { x: f(e.weeks), y: f(e.inHouse), colour: "#1d70b8", title: `The expected wait: ${e.weeksDisplay} weeks` },
      mark: be ? { x: f(be.weeks), y: f(be.external), text: `break-even: ${be.weeksDisplay} weeks` } : undefined,
    },
  );
  const rows = pts.map((p) => [esc(p.weeksDisplay), esc(p.inHouseDisplay), esc(p.externalDisplay)]);
  rows.push([`expected wait: ${esc(e.weeksDisplay)}`, esc(e.inHouseDisplay), esc(e.externalDisplay)]);
  if (be) rows.push([`break-even: ${esc(be.weeksDisplay)}`, esc(be.inHouseDisplay), esc(be.externalDisplay)]);
  const note = be
    ? `The routes cost the same when the in-house match takes ${esc(be.weeksDisplay)} weeks.`
    : "The routes do not cost the same at any wait of zero weeks or more.";
  return `<figure class="govuk-!-margin-0 govuk-!-margin-bottom-6">${chartBox("chart-wait", draw)}
    <p class="govuk-body-s app-chart-note">${note} The in-house route at W weeks is the in-house route plus (W − its expected wait) × the weekly cost of care; the external route does not depend on it.</p>
    <details class="govuk-details app-no-print"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">The chart's figures as a table</span></summary>
    <div class="govuk-details__text">${table("Each route's total cost against the weeks to an in-house match", ["weeks", "in-house route", "external route"], rows)}</div></details></figure>`;
}

/**
 * What a placement the agency sells costs it, against the fee it charges: first, worded for a
 * VAA, where the agency is one; after the routes for any other agency that sells placements.
 */
function salesSection(by, c) {
  const vaa = c.kind === "vaa";
  const heading = vaa ? "What does a placement cost us, against the fee we charge?" : "Placements this agency sells, against the fee it charges";
  const row = ([k, id, how]) =>
    `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${figure(by, id, how)}</dd></div>`;
  return `<section aria-labelledby="sales-heading" id="sales">
  <h2 class="${vaa ? "govuk-heading-l" : "govuk-heading-m"}" id="sales-heading">${heading}</h2>
  <dl class="govuk-summary-list">${[
    ["Fee charged for one child", "sales.fee"],
    ["Full cost of a placement (per household)", "unit.full"],
    ["Marginal (cash) cost of a placement", "unit.marginal"],
    ["Surplus (+) or shortfall (−) per placement, full cost", "sales.margin_full"],
    ["Surplus (+) or shortfall (−) per placement, marginal cost", "sales.margin_marginal"],
    [`Fee income from ${esc(c.sales)} placements sold`, "sales.income"],
    ["Surplus or shortfall for the year, full cost", "sales.year_full"],
    ["Surplus or shortfall for the year, marginal cost", "sales.year_marginal"],
    ["Share of the whole service the fee income covers", "sales.coverage", "display"],
    ["Fee at which a placement breaks even", "sales.break_even_fee"],
  ]
    .map(row)
    .join("")}</dl>
  <p class="app-verdict" id="sales-verdict">${esc(c.salesVerdict)}</p>
  ${table(
    "By sibling band: the schedule fee against the cost of a placement (per household)",
    ["children", "fee", "surplus or shortfall, full cost"],
    c.bands.map(([n, fee]) => [String(n), esc(fee), figure(by, `sales.band.${n}`)]),
  )}
  </section>`;
}

/**
 * The answer in brief, for the bar that stays in view while the form is worked on: for a
 * council the in-house cost, the net fee, the difference and the verdict; for a VAA the cost of
 * a placement against the fee it charges and the surplus or shortfall. Each figure links to
 * its place in the full results.
 */
export function renderAnswer(answer, doc, problems = []) {
  if (!answer) {
    const n = problems.length;
    const what = n === 1 ? "There is a problem with the figures" : n > 1 ? `There are ${n} problems with the figures` : "There is a problem with the figures";
    return `<p class="app-answer__verdict" id="answer-problems">${what}: <a class="govuk-link" href="#error-summary">see the list of problems</a>. The answer comes back when they are put right.</p>`;
  }
  const c = answer.context;
  const by = new Map(answer.workings.map((w) => [w.id, w]));
  const n = Number(doc.child?.children ?? 1);
  const item = (label, id) => `<div class="app-answer__item"><dt>${label}</dt><dd>${figure(by, id)}</dd></div>`;
  const vaa = c.kind === "vaa";
  const items = vaa
    ? [item("Cost of a placement (per household)", "unit.full"), item("Fee we charge, one child", "sales.fee"), item("Surplus (+) or shortfall (−)", "sales.margin_full")]
    : [
        item(n > 1 ? `In-house cost of the group of ${n}` : "Full in-house cost (per household)", n > 1 ? "group.in_house" : "unit.full"),
        item("Net interagency fee", "fee.net"),
        item("External − in-house", "route.difference"),
      ];
  return `<dl class="app-answer__figures">${items.join("")}</dl>
  <p class="app-answer__verdict" id="answer-verdict">${esc(vaa ? c.salesVerdict : c.verdict)} <a class="govuk-link app-answer__more" data-view="results" href="#${vaa ? "sales-heading" : "results-heading"}">See the full results</a></p>`;
}

/** The results for an answer of the library, and the scenario it answers. */
export function renderResults(answer, doc) {
  const c = answer.context;
  const by = new Map(answer.workings.map((w) => [w.id, w]));
  const child = doc.child ?? {};
  const n = Number(child.children ?? 1);
  const context = `${esc(c.agency)}${c.illustrative ? " (illustrative)" : ""}, cost base ${esc(c.priceYear)}. ${
    child.reference ? esc(child.reference) + ": " : ""
  }${n} ${n === 1 ? "child" : "children"}; fee year ${esc(c.feeYear)}${c.feeYearBasis ? ` (${esc(c.feeYearBasis)})` : ""}.`;
  const seq = by.get("route.sequential");
  const stages = [
    ["A: approval", "stage.a.total", "unit.per_approval"],
    ["B: matching", "stage.b.total", "unit.per_match"],
    ["C: support to the order", "stage.c.total", "unit.per_supported"],
    ["Other work (outside the fee)", "stage.other.total", null],
    ["Whole service", "cost.total", null],
  ];
  const roles = (doc.agency.staff ?? []).map((s, i) => [
    esc(s.role || `staff line ${i + 1}`),
    figure(by, `role[${i + 1}].full_cost`),
    figure(by, `role[${i + 1}].hourly`, "display"),
    figure(by, `role[${i + 1}].ratio_to_salary`, "display"),
  ]);
  const sources = answer.sources
    .map((s) => {
      const o = s.origin;
      const span = o.until ? `${o.from} to ${o.until}` : `from ${o.from}`;
      const src = o.source.url
        ? `${esc(o.source.title)} (<span class="govuk-!-font-size-16">${esc(o.source.url)}</span>)`
        : esc(o.source.title);
      return `<li><strong>${esc(s.name)}: ${esc(s.display)}</strong>, in force ${esc(span)}, <strong class="govuk-tag ${
        o.grade === "confirmed" ? "govuk-tag--green" : "govuk-tag--yellow"
      }">${esc(o.grade)}</strong> [${esc(o.parameter)}]<br>Source: ${src}${o.note ? `<br>Note: ${esc(o.note)}` : ""}</li>`;
    })
    .join("");
  const warnings = c.warnings.length
    ? `<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><div class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span><ul class="govuk-list">${c.warnings
        .map((w) => `<li>${esc(w)}</li>`)
        .join("")}</ul></div></div>`
    : "";
  const vaa = c.kind === "vaa";
  const sells = vaa || Number(c.sales) > 0;
  return `
  ${vaa ? `<p class="govuk-body">${esc(c.agency)}${c.illustrative ? " (illustrative)" : ""}, cost base ${esc(c.priceYear)}.</p>${warnings}${salesSection(by, c)}` : ""}
  <h2 class="govuk-heading-l" id="results-heading">${vaa ? "A child's routes, as a council compares them" : "The comparison"}</h2>
  <p class="govuk-body">${context}</p>
  ${vaa ? "" : warnings}
  <dl class="govuk-summary-list">
    ${[
      ["Full in-house cost of a placement (per household)", "unit.full"],
      ["Marginal (cash) cost", "unit.marginal"],
      ["Net interagency fee", "fee.net"],
      ["In-house route, with waiting", "route.in_house"],
      ["External route (go external now), with waiting", "route.external"],
      ["In-house first (sequential search)", "route.sequential"],
      ["Difference: external − in-house", "route.difference"],
    ]
      .map(
        ([k, id]) =>
          `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${figure(by, id)}</dd></div>`,
      )
      .join("")}
  </dl>
  <p class="app-verdict" id="verdict">${esc(c.verdict)}</p>
  ${seq && seq.value === null ? `<p class="govuk-body">Sequential search not worked out: give the weeks searching in-house first and the chance it succeeds.</p>` : ""}
  <div class="app-print-pair">
  <section aria-labelledby="chart-cat-h"><h3 class="govuk-heading-m" id="chart-cat-h">In-house cost by category, against the fee</h3>${categoryChart(by)}</section>
  <section aria-labelledby="chart-wait-h"><h3 class="govuk-heading-m" id="chart-wait-h">The cost of waiting</h3>${waitChart(answer.waitCurve)}</section>
  </div>
  <div class="app-print-pair">
  ${table(
    "In-house unit cost by stage",
    ["stage", "stage total", "unit cost"],
    stages.map(([name, total, unit]) => [name, figure(by, total), unit ? figure(by, unit) : ""]),
  )}
  ${table("The interagency fee", ["", "amount"], [
    ["Schedule fee", figure(by, "fee.schedule")],
    ["Placement fee (with any London weighting)", figure(by, "fee.placement")],
    ["Monthly fees after 12 months", figure(by, "fee.monthly_total")],
    ["Contribution", figure(by, "fee.contribution")],
    ["Net fee", figure(by, "fee.net")],
  ])}
  </div>
  <div class="app-no-print">
  ${table(
    "Full in-house cost of a placement, by category (per household)",
    ["category", "A", "B", "C", "per placement"],
    categories().map(([k, name]) => [
      esc(name),
      figure(by, `stage.a.${k}`),
      figure(by, `stage.b.${k}`),
      figure(by, `stage.c.${k}`),
      figure(by, `unit.full.${k}`),
    ]).concat([
      ["Full in-house cost", figure(by, "stage.a.total"), figure(by, "stage.b.total"), figure(by, "stage.c.total"), figure(by, "unit.full")],
      ["Marginal (cash) cost", "", "", "", figure(by, "unit.marginal")],
    ]),
  )}
  <p class="govuk-body-s">Full cost counts every cost of the service; marginal cost only the lines flagged variable (direct lines that grow with cases, staff paid by the case). Both are shown.</p>
  </div>
  ${table("The routes, with the cost of waiting", ["", "amount"], [
    ...(by.has("restated.unit.full") ? [[`Full in-house cost in ${esc(c.feeYear)} prices`, figure(by, "restated.unit.full")]] : []),
    ...(n > 1
      ? [
          [`In-house cost of the group (${n} children, with the sibling uplift)`, figure(by, "group.in_house")],
          ["Marginal (cash) cost of the group", figure(by, used(by, "group.marginal"))],
        ]
      : []),
    ["Weekly cost of care (group)", figure(by, used(by, "care.weekly"), "display")],
    ["Expected wait in-house (W_in)", figure(by, "wait.in_house")],
    ["Expected wait external (W_ext)", figure(by, "wait.external")],
    ["In-house route", figure(by, "route.in_house")],
    ["External route (go external now)", figure(by, "route.external")],
    ["In-house first (sequential search)", figure(by, "route.sequential")],
    ["Difference: external − in-house", figure(by, "route.difference")],
  ])}
  <div class="app-print-pair">
  ${table("Break-evens", ["", "value"], [
    ["Break-even wait Δ*", figure(by, "breakeven.wait")],
    ["Break-even approvals a year N*", figure(by, "breakeven.approvals")],
  ])}
  ${assumptions(answer)}
  </div>
  <p class="govuk-body-s app-no-print">Δ* is how many weeks sooner the external route must find a match to cost no more than the in-house route; negative means the external route is cheaper even that many weeks slower.</p>
  <div class="app-no-print">
  ${table("Full hourly cost of each role", ["role", "full cost", "per hour", "full cost ÷ salary"], roles)}
  ${table("The adopter pool", ["", "amount"], [["Net cost of the pool, per match with own children", figure(by, "unit.pool_net")]])}
  </div>
  ${sells && !vaa ? `<div class="app-no-print">${salesSection(by, c)}</div>` : ""}
  <section aria-labelledby="sources-heading" class="app-no-print">
    <h3 class="govuk-heading-m" id="sources-heading">Reference figures used</h3>
    <p class="govuk-body">Each published figure the comparison used, with its source and how sure it is (confirmed, or inferred from published figures).</p>
    <ul class="govuk-list govuk-list--spaced">${sources}</ul>
  </section>`;
}

/**
 * For the printed page: the published figures the fee and the cost of waiting rest on, each with
 * its source and grade, and the day it was printed (the cost base is the agency's own, named at
 * the top).
 */
function assumptions(answer) {
  const key = answer.sources.filter((s) => /^(fee|care|wait|route)\./.test(s.usedBy));
  const items = key
    .map((s) => `<li>${esc(s.name[0].toUpperCase() + s.name.slice(1))}: ${esc(s.display)}, ${esc(s.origin.source.title)} (${esc(s.origin.grade)})</li>`)
    .join("");
  // By hand: the first use of the browser's date formatting loads its locale data, which
  // delayed the page's first result by tens of milliseconds.
  const d = new Date();
  const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const day = `${d.getDate()} ${months[d.getMonth()]} ${d.getFullYear()}`;
  return `<section class="app-print-only app-assumptions" aria-label="Key assumptions">
    <h3 class="govuk-heading-s govuk-!-margin-bottom-1">Key assumptions and their sources</h3>
    <ul class="govuk-list govuk-body-s govuk-!-margin-bottom-1">${items || "<li>No published figure: every input is the agency's or the user's own.</li>"}</ul>
    <p class="govuk-body-s" id="printed-on">Printed on ${esc(day)}.</p>
  </section>`;
}

/** Where an input of a figure's workings came from, in words; another figure is a link to its
 * workings. */
function originOf(o, where, labels) {
  switch (o.kind) {
    case "figure":
      return `<a class="govuk-link" href="#${esc(where.prefix + o.id)}" data-working="${esc(where.prefix + o.id)}">the figure ${esc(labels.get(o.id) ?? "")}</a>`;
    case "input": {
      const el = document.getElementById(idOf(o.field));
      const line = el?.closest(".app-line")?.querySelector("h4")?.textContent;
      const label = el ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      const named = label ? [line, label].filter(Boolean).join(", ") : o.location;
      return `Your figure: ${esc(named)}${o.note ? ` (your note: ${esc(o.note)})` : ""}`;
    }
    case "reference":
      return `Published: ${esc(o.source.title)}, in force ${esc(o.until ? `${o.from} to ${o.until}` : `from ${o.from}`)}, ${esc(o.grade)}`;
    case "default":
      return `Default: ${esc(o.reason)}`;
    case "part_of":
      return `Part of: ${originOf(o.of, where, labels)}`;
    default:
      return "";
  }
}

/** One figure's workings as a table: its formula, each input with its value and where it came
 * from, its result; then a way back to the result, and the text the command line prints. */
function workingTable(w, row, text, where, labels) {
  const rows = row.inputs.map((t) => [esc(t.name), esc(t.shown), originOf(t.origin, where, labels)]);
  rows.push(["<strong>Result</strong>", `<strong>${esc(row.result)}</strong>`, ""]);
  return `${table(`= ${esc(row.formula)}`, ["input", "value", "where it came from"], rows, false).replace("govuk-table__caption--m", "govuk-table__caption--s")}
    ${row.words ? `<p class="govuk-body-s">${esc(row.words)}</p>` : ""}
    <p class="govuk-body-s"><a class="govuk-link" href="#results-heading" data-back="${esc(w.id)}">Back to the result</a></p>
    <details class="govuk-details govuk-!-margin-bottom-0"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">As text, as the command line prints it</span></summary>
    <div class="govuk-details__text"><pre class="app-workings" data-workings="${esc(w.id)}">${esc(text)}</pre></div></details>`;
}

/**
 * The workings of every figure, each in its own details element; open ones stay open. The list
 * is built only while the outer details element is open: it is long, and rebuilding it on every
 * keystroke would cost more than the comparison itself. `laid` gives each figure's derivation,
 * asked for only then: `{texts, rows}` in the list's order, or a promise of them (the
 * comparison's answer leaves them out, and the second module works them out: see `workings`
 * there), `rows` laying them out as tables where given; by default each working's own `text`.
 * A list asked for before the figures changed again is dropped.
 */
export function renderWorkings(container, workings, where = COMPARISON, laid = () => ({ texts: workings.map((w) => w.text), rows: null })) {
  const open = new Set([...container.querySelectorAll("details[open]")].map((d) => d.id));
  const asked = String(Number(container.dataset.asked ?? 0) + 1);
  container.dataset.asked = asked;
  const list = () => `<p class="govuk-body">Each figure's formula, its inputs with where each came from, and its result: the same workings as the command line's <code>explain</code> prints for the same scenario.</p>
    ${workings
      .map(
        (w, i) => `<details class="govuk-details govuk-!-margin-bottom-2" id="${esc(where.prefix + w.id)}" ${open.has(where.prefix + w.id) ? "open" : ""}>
      <summary class="govuk-details__summary"><span class="govuk-details__summary-text">${esc(w.label)}: ${esc(w.summary)}</span></summary>
      <div class="govuk-details__text" data-derivation="${i}" aria-busy="true"><p class="govuk-body-s">Working out the derivation…</p></div></details>`,
      )
      .join("")}`;
  // Each figure's derivation, once the texts (and rows) are to hand.
  const fill = async (body) => {
    let got = null;
    try {
      got = await laid();
    } catch {
      // Said below, in each figure's place.
    }
    if (container.dataset.asked !== asked) return;
    const labels = new Map(workings.map((w) => [w.id, w.label]));
    for (const el of body.querySelectorAll("[data-derivation]")) {
      const i = Number(el.dataset.derivation);
      const w = workings[i];
      el.removeAttribute("aria-busy");
      el.innerHTML = !got
        ? `<p class="govuk-body-s">The derivation could not be worked out: the page's second part did not load.</p>`
        : got.rows
          ? workingTable(w, got.rows[i], got.texts[i], where, labels)
          : `<pre class="app-workings" data-workings="${esc(w.id)}">${esc(got.texts[i])}</pre>`;
    }
  };
  const isOpen = open.has(where.all);
  container.innerHTML = `<details class="govuk-details" id="${where.all}" ${isOpen ? "open" : ""}>
    <summary class="govuk-details__summary"><span class="govuk-details__summary-text">The workings of every figure (${workings.length})</span></summary>
    <div class="govuk-details__text">${isOpen ? list() : ""}</div></details>`;
  const outer = container.querySelector(`#${where.all}`);
  const body = outer.querySelector(".govuk-details__text");
  if (isOpen) fill(body);
  outer.addEventListener("toggle", () => {
    if (outer.open && !body.firstChild) {
      body.innerHTML = list();
      fill(body);
    }
  });
}
