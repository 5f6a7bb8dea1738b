// The browser calculator: loads the library (WebAssembly), renders the form from the example
// scenario, and recomputes on every change. Workbooks load a second module on first use. Nothing
// leaves the browser: the only requests are for this page's own files.

import init, * as calc from "./pkg/calc.js";
import { LINES, useFields } from "./fields.js";
import { errorSummary, esc, idOf, lineCount, pounds, renderForm, renderLines, setAt, toDocument } from "./form.js";
import { renderAnalyses, scenarioChanged, wireAnalyses } from "./analyses.js";
import { expectCharts, fitCharts } from "./charts.js";
import { patch, renderAnswer, renderResults, renderWorkings } from "./results.js";

const app = document.getElementById("app");
let doc = null; // the scenario document, values as typed
let last = null; // the last answer that costed
let problems = [];
// What the user types is kept in this browser's own storage (never sent anywhere), so a reload
// or a closed tab loses nothing. `edited` says whether the form holds typed work that starting
// again would discard.
const STORE = "adoptcost.scenario";
let edited = false;

/** Keeps the form's document in the browser's storage, where the browser allows it. */
function keep() {
  edited = true;
  try {
    localStorage.setItem(STORE, JSON.stringify(doc));
  } catch {
    // Storage off or full: the page works as before, without keeping the work.
  }
}

/** Whether a value read back is a scenario document of this page's (it has an agency). */
const isDocument = (d) => Boolean(d) && typeof d.agency === "object" && d.agency !== null;

/** The work kept by an earlier visit, if any. */
function kept() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE) ?? "null");
    return isDocument(saved) ? saved : null;
  } catch {
    return null;
  }
}

/** Starts again from `newDoc`, asking first where that would discard typed work. */
function startAgain(newDoc, what) {
  if (edited && !window.confirm(`Replace the figures you have typed with ${what}? What you typed is not kept.`)) return;
  try {
    localStorage.removeItem(STORE);
  } catch {
    // Nothing was kept.
  }
  load(newDoc);
  edited = false;
}

/** Saves bytes or text as a download, without a server. */
function download(name, data, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Tells both modules today's date (the browser's, local), the placement date of a child given
 * none. The page may be left open over midnight, so it is set before each costing.
 */
function setToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  calc.set_today(today);
  workbookModule?.set_today(today);
}

/**
 * The width of the results' column from the window's, as GOV.UK Frontend's grid lays it out
 * (a 960 px container with 15 or 30 px margins; two halves from 641 px, each with 15 px
 * gutters): worked out rather than measured, since measuring would lay out the whole page
 * before the first result.
 */
function resultsWidth() {
  const vw = window.innerWidth; // not the root's clientWidth, which lays out the page
  return vw >= 641 ? Math.min(960, vw - 60) / 2 - 15 : vw - 30;
}

/** Where the form was scrolled to when the results' own view opened, to return to. */
let formAt = 0;

/** Shows the full results alone, across the page, from the heading `id`. */
function showResults(id) {
  if (!app.classList.contains("app-view-results")) {
    formAt = window.scrollY;
    history.pushState({ view: "results" }, "");
    app.classList.add("app-view-results");
  }
  const heading = document.getElementById(id) ?? document.getElementById("results-heading");
  heading.tabIndex = -1;
  // The view from its top: the way back, then the heading (both at the top of the results).
  document.getElementById("view-back").scrollIntoView({ block: "start" });
  heading.focus({ preventScroll: true });
}

/** Back from the results' own view to the form and the results beside it. */
function showForm() {
  if (!app.classList.contains("app-view-results")) return;
  app.classList.remove("app-view-results");
  window.scrollTo(0, formAt);
}

let workbookModule = null;
/** The second module (workbook import and export, and the analyses), loaded on first use. */
async function workbook() {
  if (!workbookModule) {
    const m = await import("./pkg/workbook.js");
    await m.default();
    workbookModule = m;
    setToday();
  }
  return workbookModule;
}

function shell() {
  app.innerHTML = `
  <div class="govuk-button-group app-no-print">
    <button type="button" class="govuk-button govuk-button--secondary" id="start-example">Start from the example agency</button>
    <button type="button" class="govuk-button govuk-button--secondary" id="start-vaa">Start from an example VAA</button>
    <button type="button" class="govuk-button govuk-button--secondary" id="start-blank">Start from a blank agency</button>
  </div>
  <div id="error-summary"></div>
  <div class="govuk-grid-row">
    <div class="govuk-grid-column-one-half app-no-print app-form-column">
      <form id="form" novalidate aria-labelledby="form-heading">
        <h2 class="govuk-visually-hidden" id="form-heading">Your figures</h2>
        <div id="fields"></div>
      </form>
    </div>
    <div class="govuk-grid-column-one-half app-results-column">
      <a href="#form-heading" class="govuk-back-link app-no-print app-view-back" id="view-back">Back to your figures</a>
      <div id="status" class="govuk-visually-hidden" role="status" aria-live="polite"></div>
      <div id="results"></div>
    </div>
  </div>
  <section id="workings" aria-label="Workings" class="app-no-print"></section>
  <section id="answer" class="app-answer app-no-print" aria-label="The answer so far"></section>
  ${renderAnalyses()}
  <section class="app-no-print" aria-labelledby="save-heading">
    <h2 class="govuk-heading-l" id="save-heading">Save, share and print</h2>
    <div class="govuk-button-group">
      <button type="button" class="govuk-button" id="export-xlsx">Download the costed workbook</button>
      <button type="button" class="govuk-button govuk-button--secondary" id="export-scenario">Download the scenario (JSON)</button>
      <button type="button" class="govuk-button govuk-button--secondary" id="export-results">Download the results (JSON)</button>
      <button type="button" class="govuk-button govuk-button--secondary" id="print">Print the comparison</button>
    </div>
    <div class="govuk-form-group">
      <label class="govuk-label" for="share-link">A link to this scenario</label>
      <div class="govuk-hint" id="share-hint">The scenario is in the part of the link after #, which browsers never send to a server. Anyone with the link sees your figures.</div>
      <input class="govuk-input" id="share-link" type="text" readonly aria-describedby="share-hint">
    </div>
    <button type="button" class="govuk-button govuk-button--secondary" id="share">Make a link to this scenario</button>
    <p class="govuk-body" id="save-status" role="status"></p>
  </section>
  <section class="app-no-print" aria-labelledby="open-heading">
    <h2 class="govuk-heading-l" id="open-heading">Open a workbook or a scenario</h2>
    <div class="app-drop" id="drop">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-label--s" for="open-workbook">Cost a filled template workbook (.xlsx, .xlsm, .xls, .ods)</label>
        <div class="govuk-hint" id="open-workbook-hint">Or drop it here. Every child row is costed, as <code>adoptcost run</code> does; you get the costed workbook back.</div>
        <input class="govuk-file-upload" id="open-workbook" type="file" accept=".xlsx,.xlsm,.xls,.ods" aria-describedby="open-workbook-hint">
      </div>
      <p class="govuk-body"><button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" id="template">Download the template to fill in</button></p>
      <div class="govuk-form-group govuk-!-margin-bottom-0">
        <label class="govuk-label govuk-label--s" for="open-scenario">Load a scenario (JSON)</label>
        <div class="govuk-hint" id="open-scenario-hint">A scenario this page saved, or any scenario file with the agency in it.</div>
        <input class="govuk-file-upload" id="open-scenario" type="file" accept=".json,application/json" aria-describedby="open-scenario-hint">
      </div>
      <div class="govuk-form-group govuk-!-margin-top-6 govuk-!-margin-bottom-0">
        <label class="govuk-label govuk-label--s" for="open-reference">Use your own reference file (TOML or JSON)</label>
        <div class="govuk-hint" id="open-reference-hint">Published amounts the page's reference data lacks, such as a new year's fees, in the format of the shipped reference data (docs/reference-data.md). Used for every costing on this page until you remove it or leave; each value is cited as yours.</div>
        <input class="govuk-file-upload" id="open-reference" type="file" accept=".toml,.json" aria-describedby="open-reference-hint">
        <p class="govuk-body govuk-!-margin-top-2" id="reference-status" role="status"></p>
      </div>
    </div>
    <div id="batch" aria-live="polite"></div>
  </section>
  <p class="app-print-only govuk-body-s">Printed from adoptcost. Every figure's workings are in the page and the costed workbook.</p>`;
}

/** Shows the problems in the GOV.UK error summary and beside each field. */
function showProblems(list) {
  for (const g of document.querySelectorAll(".govuk-form-group--error")) g.classList.remove("govuk-form-group--error");
  for (const m of document.querySelectorAll(".govuk-error-message")) {
    m.hidden = true;
    m.textContent = "";
  }
  for (const i of document.querySelectorAll(".govuk-input--error, .govuk-select--error")) {
    i.classList.remove("govuk-input--error", "govuk-select--error");
  }
  const summary = document.getElementById("error-summary");
  if (!list.length) {
    summary.innerHTML = "";
    return;
  }
  const items = list.map((p) => {
    const el = fieldElement(p.field);
    if (el) {
      reveal(el);
      const group = el.closest(".govuk-form-group");
      group?.classList.add("govuk-form-group--error");
      if (el.classList.contains("govuk-input")) el.classList.add("govuk-input--error");
      if (el.classList.contains("govuk-select")) el.classList.add("govuk-select--error");
      const msg = document.getElementById(`${el.id}-error`);
      if (msg) {
        msg.hidden = false;
        msg.innerHTML = `<span class="govuk-visually-hidden">Error:</span> ${esc(p.detail)}`;
      }
      // The summary names the field as the form does: its line, if any, and its label.
      const line = el.closest(".app-line")?.querySelector("h4")?.textContent;
      const label = document.querySelector(`label[for="${el.id}"]`)?.textContent ?? p.field;
      return `<li><a href="#${esc(el.id)}">${esc([line, label].filter(Boolean).join(", "))}: ${esc(p.detail)}</a></li>`;
    }
    return `<li>${esc(p.message)}</li>`;
  });
  summary.innerHTML = `<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">
    <h2 class="govuk-error-summary__title">There is a problem</h2>
    <div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${items.join("")}</ul></div>
    </div></div>`;
}

/** The form element for a field the library names (or the first field inside it). */
function fieldElement(field) {
  if (!field) return null;
  const names = [field, field === "fee" ? "route.fee" : null].filter(Boolean);
  for (const n of names) {
    const el = document.getElementById(idOf(n));
    if (el) return el;
    const inside = [...document.querySelectorAll("[data-field]")].find((e) => e.dataset.field.startsWith(n + "."));
    if (inside) return inside;
  }
  return null;
}

/**
 * The scenario for the library. The Monte Carlo ranges go in only when asked for: they are
 * edited apart from the form, and a half-typed range must not stop the comparison.
 */
function scenario({ ranges = false } = {}) {
  setToday();
  const d = toDocument(doc);
  if (!ranges) delete d.range;
  return d;
}

/**
 * The module that costs: the first, or the second while the user's own reference file is laid
 * over the data (only the second reads reference files, so every visit loads less).
 */
let costing = calc;

let problemTimer = 0;
/** Counts the costings, so a list of problems that comes after the figures changed is dropped. */
let costings = 0;
/** Costs the scenario as it stands and shows the answer. */
function recompute() {
  // Marks for the budget measurement (web/measure.mjs): the library's part and the page's.
  const t0 = performance.now();
  const sc = scenario();
  const answer = costing.compare(sc);
  const run = ++costings;
  performance.measure("adoptcost:compare", { start: t0 });
  const t1 = performance.now();
  clearTimeout(problemTimer);
  if (answer.ok) {
    last = answer;
    problems = [];
    showProblems([]);
    // The charts are drawn at the width their boxes had; the resize observer draws them again,
    // after the frame's layout, where that changed.
    patch(document.getElementById("results"), renderResults(answer, doc));
    patch(document.getElementById("answer"), renderAnswer(answer, doc));
    renderWorkings(document.getElementById("workings"), answer.workings, undefined, async () => (await workbook()).workings(sc));
    const d = answer.workings.find((w) => w.id === "route.difference");
    document.getElementById("status").textContent = `Results updated. Difference, external minus in-house: ${d?.summary ?? ""}.`;
    performance.measure("adoptcost:render", { start: t1 });
    scenarioChanged();
  } else {
    problems = answer.problems;
    // While someone is typing, a half-typed number is not yet a mistake: wait for a pause. The
    // costing names the problem that stopped it; the second module lists every one.
    problemTimer = setTimeout(async () => {
      const all = await everyProblem(sc);
      if (run !== costings) return;
      if (all) {
        problems = all;
        patch(document.getElementById("answer"), renderAnswer(null, doc, problems));
      }
      showProblems(problems);
    }, 400);
    document.getElementById("status").textContent = "The results are not up to date: there is a problem with the figures.";
    patch(document.getElementById("answer"), renderAnswer(null, doc, problems));
    const r = document.getElementById("results");
    if (!r.querySelector("#stale")) {
      r.insertAdjacentHTML("afterbegin", `<div class="govuk-inset-text" id="stale">These results are for the figures before your last change, which has a problem (see the top of the form).</div>`);
    }
  }
}

/** Every problem of the scenario (the second module's list), or null where it cannot say. */
async function everyProblem(sc) {
  try {
    const r = (await workbook()).problems(sc);
    return r.ok ? null : r.problems;
  } catch {
    return null;
  }
}

/**
 * Shows a document in the form and costs it. With `later`, the cost base's lines are left for
 * linesLater() (the page's start: the first result is painted without waiting for the layout
 * of the form's longest part).
 */
function load(newDoc, { later = false } = {}) {
  doc = newDoc;
  doc.route ??= {};
  for (const spec of LINES) doc.agency[spec.key] ??= [];
  document.getElementById("fields").innerHTML = renderForm(doc, { lines: !later });
  recompute();
  if (!later) showProblems(problems);
}

/** Builds the cost base's lines that load(…, {later: true}) left out. */
function linesLater() {
  for (const spec of LINES) rerenderLines(spec.key);
  showProblems(problems);
}

function blankAgency() {
  const lines = Object.fromEntries(LINES.map((s) => [s.key, [s.blank()]]));
  return {
    agency: {
      name: "", kind: "raa", nation: "england", london: false, price_year: doc?.agency?.price_year ?? "2025/26",
      productive_hours: "", illustrative: false,
      on_costs: { pension_rate: "", apprenticeship_levy: true },
      ...lines,
      activity: { approvals: "", matches_own: "", sales: "" },
    },
    child: structuredClone(doc?.child ?? { children: 1 }),
    route: structuredClone(doc?.route ?? {}),
  };
}

function rerenderLines(key) {
  const spec = LINES.find((s) => s.key === key);
  document.querySelector(`[data-lines="${key}"]`).innerHTML = renderLines(spec, doc.agency[key]);
  document.querySelector(`[data-count="${key}"]`).textContent = lineCount(spec, doc.agency[key]);
}

/** Opens every section (of the cost base) around an element, so it can be seen and focused. */
function reveal(el) {
  for (let d = el?.closest("details"); d; d = d.parentElement?.closest("details")) d.open = true;
}

function wire() {
  const form = document.getElementById("form");
  const onChange = (e) => {
    const t = e.target;
    if (!t.dataset?.path) return;
    setAt(doc, t.dataset.path, t.type === "checkbox" ? t.checked : t.value);
    recompute();
    keep();
  };
  form.addEventListener("input", onChange);
  form.addEventListener("change", (e) => e.target.type === "checkbox" || e.target.tagName === "SELECT" ? onChange(e) : null);
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("click", (e) => {
    const t = e.target.closest("button");
    if (!t) return;
    if (t.dataset.add) {
      const spec = LINES.find((s) => s.key === t.dataset.add);
      doc.agency[spec.key].push(spec.blank());
      rerenderLines(spec.key);
      const n = doc.agency[spec.key].length;
      document.querySelector(`[data-line="${spec.key}"][data-index="${n - 1}"] input`)?.focus();
      recompute();
      keep();
    } else if (t.dataset.remove) {
      const key = t.dataset.remove;
      const i = Number(t.dataset.index);
      doc.agency[key].splice(i, 1);
      rerenderLines(key);
      const next = document.querySelector(`[data-remove="${key}"][data-index="${Math.min(i, doc.agency[key].length - 1)}"]`);
      (next ?? document.querySelector(`[data-add="${key}"]`)).focus();
      recompute();
      keep();
    }
  });
  // A figure's link opens its workings.
  document.addEventListener("click", (e) => {
    const a = e.target.closest("a.app-figure[data-all]");
    if (!a) return;
    const all = document.getElementById(a.dataset.all);
    if (all && !all.open) {
      all.open = true; // builds the list (see renderWorkings)
      all.dispatchEvent(new Event("toggle"));
    }
    const target = document.getElementById(a.getAttribute("href").slice(1));
    if (target) target.open = true;
  });
  // The full results on their own view: the bar's link opens it, its back link (and the
  // browser's Back) returns to the form where it was left.
  document.addEventListener("click", (e) => {
    const more = e.target.closest("a[data-view=results]");
    const back = e.target.closest("#view-back");
    if (!more && !back) return;
    e.preventDefault();
    if (more) showResults(more.getAttribute("href").slice(1));
    else history.back();
  });
  window.addEventListener("popstate", (e) => {
    if (e.state?.view !== "results") showForm();
  });
  // In the workings: an input that is another figure opens that figure's workings; "Back to
  // the result" returns to the figure in the results.
  document.addEventListener("click", (e) => {
    const to = e.target.closest("a[data-working]");
    const back = e.target.closest("a[data-back]");
    if (to) {
      const d = document.getElementById(to.dataset.working);
      if (!d) return;
      e.preventDefault();
      d.open = true;
      d.scrollIntoView({ block: "start" });
      d.querySelector("summary")?.focus();
    } else if (back) {
      // The figure where the results show it, or else the top of the results.
      const at = document.querySelector(`#results a[data-figure="${CSS.escape(back.dataset.back)}"]`) ?? document.getElementById("results-heading");
      if (!at) return;
      e.preventDefault();
      if (!at.matches("a")) at.tabIndex = -1;
      at.scrollIntoView({ block: "center" });
      at.focus();
    }
  });
  document.getElementById("error-summary").addEventListener("click", (e) => {
    const a = e.target.closest("a[href^='#f-']");
    if (!a) return;
    e.preventDefault();
    const field = document.getElementById(a.getAttribute("href").slice(1));
    reveal(field);
    field?.focus();
  });
  document.getElementById("start-example").addEventListener("click", () => startAgain(calc.example(), "the example agency"));
  document.getElementById("start-blank").addEventListener("click", () => startAgain(blankAgency(), "a blank agency"));
  document.getElementById("start-vaa").addEventListener("click", async () => startAgain((await workbook()).example_vaa(), "the example VAA"));

  const saveStatus = (t) => (document.getElementById("save-status").textContent = t);
  const guard = (f) => async () => {
    try {
      await f();
    } catch (err) {
      saveStatus(`Could not do that: ${err?.message ?? err}`);
    }
  };
  document.getElementById("export-xlsx").addEventListener("click", guard(async () => {
    const wb = await workbook();
    download("adoptcost-costed.xlsx", wb.costed_workbook(scenario()), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    saveStatus("Saved the costed workbook.");
  }));
  document.getElementById("export-scenario").addEventListener("click", guard(async () => {
    const wb = await workbook();
    download("adoptcost-scenario.json", wb.scenario_json(toDocument(doc)), "application/json");
    saveStatus("Saved the scenario. Load it here again, or cost it with: adoptcost compare --scenario adoptcost-scenario.json");
  }));
  document.getElementById("export-results").addEventListener("click", guard(async () => {
    const wb = await workbook();
    download("adoptcost-results.json", wb.results_json(scenario()), "application/json");
    saveStatus("Saved the results, as adoptcost compare --format json prints them.");
  }));
  document.getElementById("print").addEventListener("click", () => window.print());
  document.getElementById("share").addEventListener("click", guard(async () => {
    const link = await shareLink();
    const box = document.getElementById("share-link");
    box.value = link;
    box.focus();
    box.select();
    history.replaceState(null, "", link);
    saveStatus("The link is in the box above, and in the address bar.");
  }));
  document.getElementById("template").addEventListener("click", guard(async () => {
    const wb = await workbook();
    download("adoptcost-template.xlsx", wb.template_workbook(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  }));
  document.getElementById("open-workbook").addEventListener("change", (e) => e.target.files[0] && costWorkbook(e.target.files[0]));
  document.getElementById("open-scenario").addEventListener("change", (e) => e.target.files[0] && openScenario(e.target.files[0]));
  document.getElementById("open-reference").addEventListener("change", (e) => e.target.files[0] && openReference(e.target.files[0]));
  const drop = document.getElementById("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("app-drop--over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("app-drop--over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("app-drop--over");
    const f = e.dataTransfer.files[0];
    if (f) (/\.json$/i.test(f.name) ? openScenario(f) : costWorkbook(f));
  });
}

async function openScenario(file) {
  const out = document.getElementById("batch");
  const read = (await workbook()).read_scenario(await file.text());
  if (!read.ok) {
    out.innerHTML = errorSummary(`${file.name} is not a scenario adoptcost can read`, read.problems.map((p) => p.message));
    return;
  }
  load(read.scenario);
  keep();
  out.innerHTML = `<div class="govuk-notification-banner govuk-notification-banner--success" role="alert"><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">Loaded ${esc(file.name)}.</p></div></div>`;
}

/**
 * Lays a reference file over the second module's reference data (it reads TOML too, and is the
 * one that reads reference files at all) and costs with that module until the file is removed.
 */
async function openReference(file) {
  const status = document.getElementById("reference-status");
  const wb = await workbook();
  let json = await file.text();
  if (/\.toml$/i.test(file.name)) {
    const read = wb.reference_json(json);
    if (!read.ok) {
      status.innerHTML = errorSummary(`${file.name} is not a reference file adoptcost can read`, read.problems.map((p) => p.message));
      return;
    }
    json = read.json;
  }
  const set = wb.set_reference(file.name, json);
  if (!set.ok) {
    status.innerHTML = errorSummary(`${file.name} is not a reference file adoptcost can use`, set.problems.map((p) => p.message));
    return;
  }
  costing = wb;
  status.innerHTML = `Using your reference file ${esc(file.name)}. <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" id="reference-remove">Stop using it</button>`;
  document.getElementById("reference-remove").addEventListener("click", () => {
    wb.set_reference("", "");
    costing = calc;
    document.getElementById("open-reference").value = "";
    status.textContent = "Using the reference data adoptcost ships.";
    recompute();
  });
  recompute();
}

async function costWorkbook(file) {
  const out = document.getElementById("batch");
  out.innerHTML = `<p class="govuk-body">Costing ${esc(file.name)}…</p>`;
  const wb = await workbook();
  const bytes = new Uint8Array(await file.arrayBuffer());
  setToday();
  const r = wb.cost_workbook(bytes);
  if (!r.ok) {
    out.innerHTML = errorSummary(`${file.name} could not be costed`, r.problems.map((p) => p.message));
    return;
  }
  const name = file.name.replace(/\.[^.]+$/, "") + ".costed.xlsx";
  const rows = r.placements
    .map(
      (p) => `<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${esc(p.reference)} (row ${p.row})</th>
      <td class="govuk-table__cell">${esc(p.agency)}</td><td class="govuk-table__cell">${p.children}</td>
      <td class="govuk-table__cell" data-value="${esc(p.full_in_house_cost)}">${esc(pounds(p.full_in_house_cost))}</td>
      <td class="govuk-table__cell" data-value="${esc(p.net_fee)}">${esc(pounds(p.net_fee))}</td>
      <td class="govuk-table__cell" data-value="${esc(p.difference)}">${esc(pounds(p.difference))}</td></tr>`,
    )
    .join("");
  const errors = r.errors.length
    ? errorSummary(`${r.errors.length} ${r.errors.length === 1 ? "problem" : "problems"} in ${file.name}: these rows were not costed`, r.errors.map((e) => e.message))
    : "";
  out.innerHTML = `${errors}
    <p class="govuk-body" id="batch-summary">Costed ${r.placements.length} of ${r.childRows} child rows against ${r.agencies} ${r.agencies === 1 ? "agency" : "agencies"}.</p>
    <button type="button" class="govuk-button" id="batch-download">Download ${esc(name)}</button>
    <table class="govuk-table app-table--numbers"><caption class="govuk-table__caption govuk-table__caption--m">Each child row of ${esc(file.name)}</caption>
    <thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">child</th><th scope="col" class="govuk-table__header">agency</th><th scope="col" class="govuk-table__header">children</th><th scope="col" class="govuk-table__header">full in-house cost</th><th scope="col" class="govuk-table__header">net fee</th><th scope="col" class="govuk-table__header">difference, external − in-house</th></tr></thead>
    <tbody class="govuk-table__body">${rows}</tbody></table>`;
  document.getElementById("batch-download").addEventListener("click", () =>
    download(name, r.costed, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
  );
}

/** base64url of bytes. */
const b64 = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/** The page's address with the scenario, compressed, in the fragment. */
async function shareLink() {
  const json = new TextEncoder().encode(JSON.stringify(toDocument(doc)));
  const packed = await pipe(json, new CompressionStream("deflate-raw"));
  return `${location.origin}${location.pathname}#s=${b64(packed)}`;
}

/** The scenario in the address's fragment, if there is one. */
async function fromLink() {
  const m = /^#s=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m) return null;
  try {
    const json = new TextDecoder().decode(await pipe(unb64(m[1]), new DecompressionStream("deflate-raw")));
    // The page's own document, as the work kept in the browser is: the form and the costing
    // say what is wrong with its figures.
    const linked = JSON.parse(json);
    if (isDocument(linked)) return linked;
    return { problems: [{ message: "The link's scenario has no agency: it was not made by this page." }] };
  } catch {
    return { problems: [{ message: "The link's scenario could not be read: it may have been cut short when copied." }] };
  }
}

async function main() {
  performance.mark("adoptcost:start");
  await init();
  performance.mark("adoptcost:wasm-ready");
  useFields(calc.form_fields());
  document.getElementById("version").textContent = calc.version();
  shell();
  wire();
  // A window resized or a phone turned changes the width the charts are drawn at.
  const resized = new ResizeObserver((seen) => seen.forEach((e) => fitCharts(e.target)));
  for (const id of ["results", "analyses"]) resized.observe(document.getElementById(id));
  expectCharts(resultsWidth());
  performance.mark("adoptcost:shell-built");
  wireAnalyses({ module: workbook, doc: () => doc, scenario, download, changed: scenarioChanged });
  // A link's scenario first (the user asked for it), then the work kept from a last visit,
  // then the example. Kept work that no longer fits the form (from an older page) is dropped.
  const linked = await fromLink();
  const saved = linked ? null : kept();
  try {
    load(linked && !linked.problems ? linked : saved ?? calc.example(), { later: true });
    edited = Boolean(saved);
  } catch {
    startAgain(calc.example(), "the example agency");
  }
  performance.mark("adoptcost:first-result");
  // After the frame that paints it (the budget's "first result" is what the user sees), the
  // rest of the form: the cost base's lines.
  await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));
  performance.mark("adoptcost:first-result-painted");
  linesLater();
  if (linked?.problems) document.getElementById("error-summary").innerHTML = errorSummary("The link could not be opened", linked.problems.map((p) => p.message));
  app.setAttribute("aria-busy", "false");
  document.documentElement.dataset.ready = "true";
  if ("serviceWorker" in navigator && location.protocol.startsWith("http")) {
    navigator.serviceWorker.register("sw.js").catch(() => {});
  }
}

main().catch((err) => {
  app.innerHTML = `<div class="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">The calculator could not start</h2><div class="govuk-error-summary__body"><p class="govuk-body">${esc(err?.message ?? err)}</p></div></div></div>`;
});
