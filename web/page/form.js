// The form: renders the scenario document as GOV.UK form fields and keeps the document up to
// date as the user types. Values stay as typed (text); the library reads them exactly.

import { FIELDS, LINES } from "./fields.js";

const esc = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
export { esc };

/** The element id of a field, from the library's name for it. */
export const idOf = (field) => "f-" + field.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "");

const WIDTHS = [2, 3, 4, 5, 10, 20];
const widthClass = (w) => `govuk-input--width-${WIDTHS.find((x) => x >= (w ?? 10)) ?? 20}`;

/** One field. `path` is its place in the document (`agency.staff.0.salary`), `field` the library's name. */
function field(spec, path, fieldName, value) {
  const id = idOf(fieldName);
  const data = `data-path="${esc(path)}" data-field="${esc(fieldName)}"`;
  if (spec.kind === "bool") {
    return `<div class="govuk-form-group" data-group="${esc(fieldName)}">
      <p class="govuk-error-message" id="${id}-error" hidden></p>
      <div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item">
        <input class="govuk-checkboxes__input" id="${id}" type="checkbox" ${data} ${value ? "checked" : ""}>
        <label class="govuk-label govuk-checkboxes__label" for="${id}">${esc(spec.label)}</label>
      </div></div></div>`;
  }
  const hint = spec.hint ? `<div class="govuk-hint" id="${id}-hint">${esc(spec.hint)}</div>` : "";
  const described = [spec.hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" ");
  const label = `<label class="govuk-label" for="${id}">${esc(spec.label)}</label>`;
  const error = `<p class="govuk-error-message" id="${id}-error" hidden></p>`;
  if (spec.kind === "select") {
    const opts = spec.options
      .map(([v, t]) => `<option value="${esc(v)}" ${String(value ?? "") === v ? "selected" : ""}>${esc(t)}</option>`)
      .join("");
    return `<div class="govuk-form-group" data-group="${esc(fieldName)}">${label}${hint}${error}
      <select class="govuk-select" id="${id}" ${data} aria-describedby="${described}">${opts}</select></div>`;
  }
  const numeric = spec.kind === "number" || spec.kind === "int";
  const input = `<input class="govuk-input ${widthClass(spec.width)}" id="${id}" name="${esc(fieldName)}" type="text"
      ${numeric ? `inputmode="${spec.kind === "int" ? "numeric" : "decimal"}"` : ""} spellcheck="false" autocomplete="off"
      aria-describedby="${described}" ${data} value="${esc(value ?? "")}">`;
  const wrapped =
    spec.prefix || spec.suffix
      ? `<div class="govuk-input__wrapper">${spec.prefix ? `<div class="govuk-input__prefix" aria-hidden="true">${esc(spec.prefix)}</div>` : ""}${input}${spec.suffix ? `<div class="govuk-input__suffix" aria-hidden="true">${esc(spec.suffix)}</div>` : ""}</div>`
      : input;
  return `<div class="govuk-form-group" data-group="${esc(fieldName)}">${label}${hint}${error}${wrapped}</div>`;
}

const fields = (specs, obj, path, prefix) =>
  specs.map((s) => field(s, `${path}.${s.key}`, `${prefix}${s.key}`, obj?.[s.key])).join("");

function fieldset(legend, body, size = "m", hint = "") {
  return `<fieldset class="govuk-fieldset govuk-!-margin-bottom-6">
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--${size}">${legend}</legend>
    ${hint ? `<div class="govuk-hint">${esc(hint)}</div>` : ""}${body}</fieldset>`;
}

/** The lines of one list (staff, direct…), each with its fields, shares and a remove button. */
export function renderLines(spec, lines) {
  return (lines ?? [])
    .map((line, i) => {
      const n = i + 1;
      const base = `agency.${spec.key}.${i}`;
      const named = `${spec.key}[${n}]`;
      let shares = "";
      if (spec.shares !== "none") {
        const hint =
          spec.shares === "optional"
            ? "Optional, in percent: leave all four blank to share it by staff time"
            : "In percent; the four add up to 100 (a blank share is 0)";
        shares = fieldset(
          `Share of ${spec.one} ${n} by stage`,
          `<div class="app-line__fields">${fields(FIELDS.shares, line.shares, `${base}.shares`, `${named}.shares.`)}</div>`,
          "s",
          hint,
        );
      }
      return `<div class="app-line" data-line="${spec.key}" data-index="${i}">
        <h4 class="govuk-heading-s">${esc(spec.one[0].toUpperCase() + spec.one.slice(1))} ${n}</h4>
        <div class="app-line__fields">${fields(spec.fields, line, base, `${named}.`)}</div>
        ${shares}
        <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-2" data-remove="${spec.key}" data-index="${i}">Remove ${esc(spec.one)} ${n}</button>
      </div>`;
    })
    .join("");
}

/**
 * The whole form for a document; with `lines: false`, the cost base's lines (most of the form)
 * left empty for the caller to fill with renderLines.
 */
export function renderForm(doc, { lines = true } = {}) {
  const a = doc.agency;
  // The cost base's lists, each a section the user opens (most people change a few lines, and
  // the full detail is hundreds of fields), its summary saying what it holds.
  const lists = LINES.map(
    (spec) => `<details class="govuk-details app-section" data-section="${spec.key}">
      <summary class="govuk-details__summary"><span class="govuk-details__summary-text">${esc(spec.title)}</span>
        <span class="app-section__count" data-count="${spec.key}">${esc(lineCount(spec, a[spec.key]))}</span></summary>
      <div class="govuk-details__text">${fieldset(
        spec.title,
        `<div data-lines="${spec.key}">${lines ? renderLines(spec, a[spec.key]) : ""}</div>
         <button type="button" class="govuk-button govuk-button--secondary" data-add="${spec.key}">Add a ${esc(spec.one)}</button>`,
        "s",
        spec.about,
      )}</div></details>`,
  ).join("");
  // The child and the routes first: what a commissioner brings to a meeting; the agency's
  // headline figures next, its cost base line by line last.
  return `
  <h2 class="govuk-heading-l" id="child-heading">1. The child or sibling group</h2>
  ${fieldset("The child or group", fields(FIELDS.child, doc.child, "child", "child."))}
  <h2 class="govuk-heading-l" id="route-heading">2. The routes</h2>
  ${fieldset("The external route and the waits", fields(FIELDS.route, doc.route, "route", "route."))}
  ${fieldset("A contribution instead of the published schemes", fields(FIELDS.contribution, doc.route?.contribution, "route.contribution", "route.contribution."), "s")}
  <h2 class="govuk-heading-l" id="agency-heading">3. The agency</h2>
  ${fieldset("The agency and its year", fields(FIELDS.agency, a, "agency", ""))}
  ${fieldset("The year's activity", fields(FIELDS.activity, a.activity, "agency.activity", "activity."))}
  ${fieldset("Employer on-costs", fields(FIELDS.on_costs, a.on_costs, "agency.on_costs", "on_costs."))}
  <h3 class="govuk-heading-m">The cost base, line by line</h3>
  <p class="govuk-body">Open a section to check or change its lines.</p>
  ${lists}`;
}

/** What a section of the cost base holds, for its summary: "10 staff lines". */
export function lineCount(spec, lines) {
  const n = (lines ?? []).length;
  return n === 0 ? "none" : `${n} ${spec.one}${n === 1 ? "" : "s"}`;
}

/** Sets a value at a dotted path, creating objects on the way. */
export function setAt(doc, path, value) {
  const keys = path.split(".");
  let o = doc;
  for (const k of keys.slice(0, -1)) {
    if (o[k] === undefined || o[k] === null) o[k] = {};
    o = o[k];
  }
  o[keys[keys.length - 1]] = value;
}

/**
 * The document to hand to the library: blank optional fields left out (so the method's defaults
 * apply), blank shares left out (a share not given is 0), whole-number fields as numbers where
 * they are whole numbers (anything else is passed as typed, for the library to name).
 */
export function toDocument(doc) {
  const out = structuredClone(doc);
  // Required fields stay as typed, even blank, so the library names them.
  const requiredTop = new Set(FIELDS.agency.filter((f) => !f.optional).map((f) => `agency.${f.key}`));
  const required = (path) => {
    if (requiredTop.has(path)) return true;
    const m = /^agency\.(\w+)\.\d+\.(\w+)$/.exec(path);
    return Boolean(m && FIELDS.lines[m[1]]?.some((f) => f.key === m[2] && !f.optional && f.kind === "text"));
  };
  const prune = (o, path) => {
    for (const [k, v] of Object.entries(o)) {
      const at = path ? `${path}.${k}` : k;
      if (required(at)) continue;
      if (v === "" || v === null || v === undefined) delete o[k];
      else if (typeof v === "string") o[k] = v.trim();
      else if (Array.isArray(v)) v.forEach((x, i) => x && typeof x === "object" && prune(x, `${at}.${i}`));
      else if (typeof v === "object") {
        prune(v, at);
        if (Object.keys(v).length === 0 && !["shares", "on_costs", "activity"].includes(k)) delete o[k];
      }
    }
  };
  prune(out, "");
  for (const spec of LINES) {
    for (const line of out.agency?.[spec.key] ?? []) {
      if (spec.shares === "optional" && line.shares && Object.keys(line.shares).length === 0) delete line.shares;
      if (spec.shares === "required" && !line.shares) line.shares = {};
    }
  }
  for (const f of FIELDS.child.filter((f) => f.kind === "int")) {
    const v = out.child?.[f.key];
    if (typeof v === "string" && /^\d+$/.test(v)) out.child[f.key] = Number(v);
  }
  return out;
}

/** Whole pounds, from exact decimal text (half away from zero), for figures the library gives
 * as values without a figure of their own (a table's cells, a chart's labels). */
export function pounds(text) {
  const neg = text.startsWith("-");
  const [int, frac = ""] = text.replace("-", "").split(".");
  let n = BigInt(int);
  if ((frac[0] ?? "0") >= "5") n += 1n;
  const s = n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg && n !== 0n ? "−" : ""}£${s}`;
}

/** A GOV.UK error summary with a title and one item per message (focusable, to move focus to it). */
export function errorSummary(title, messages) {
  return `<div class="govuk-error-summary" tabindex="-1"><div role="alert"><h2 class="govuk-error-summary__title">${esc(title)}</h2>
    <div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${messages
      .map((m) => `<li>${esc(m)}</li>`)
      .join("")}</ul></div></div></div>`;
}
