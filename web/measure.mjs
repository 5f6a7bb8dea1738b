// Measures the browser calculator's budgets (docs/benchmarks.md, "The browser page"): navigation to the
// first result, one recompute after an input change, and costing a workbook in the browser
// against the native command line on the same machine. Prints a Markdown table.
// Usage: node web/measure.mjs WORKBOOK NATIVE_SECONDS (scripts/web-bench runs it).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { start } from "./tests/harness.mjs";

const [workbook, nativeSeconds] = process.argv.slice(2);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = await start();

// Navigation to the first result, in a fresh context each time (nothing cached): the page's own
// marks, from navigation start, so the test driver's polling is not counted: the results in
// the page, and the end of the frame that paints them (what the budget means).
const firsts = [];
const shown = [];
for (let i = 0; i < 7; i++) {
  const ctx = await env.browser.newContext({ serviceWorkers: "block" });
  const page = await ctx.newPage();
  await page.goto(env.base);
  await page.waitForFunction(() => performance.getEntriesByName("adoptcost:first-result-painted").length > 0);
  const [inPage, painted] = await page.evaluate(() =>
    ["adoptcost:first-result", "adoptcost:first-result-painted"].map((n) => performance.getEntriesByName(n)[0].startTime),
  );
  shown.push(inPage);
  firsts.push(painted);
  await ctx.close();
}

/** The page, ready, in a context of its own (work kept by one page would open the next); with
 * `today`, its clock fixed to that day first. */
async function ready(today = null) {
  const ctx = await env.browser.newContext({ serviceWorkers: "block" });
  const p = await ctx.newPage();
  if (today) await p.clock.setFixedTime(new Date(`${today}T12:00:00`));
  await p.goto(env.base);
  await p.waitForSelector("html[data-ready=true]");
  return p;
}

// One recompute: an input event through to the updated results, with layout.
const page = await ready();
const recomputes = await page.evaluate(() => {
  const el = document.getElementById("f-route-weeks-in-house");
  const out = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    el.value = String(20 + (i % 30));
    el.dispatchEvent(new Event("input", { bubbles: true }));
    void document.body.offsetHeight; // layout
    out.push(performance.now() - t);
  }
  const part = (name) => performance.getEntriesByName(name).slice(-50).map((e) => e.duration);
  return { total: out.slice(10), compare: part("adoptcost:compare"), render: part("adoptcost:render") };
});

// What the second module answers, the first time in a fresh page (its load and compile
// included, the service worker blocked as on a first visit): every problem of a scenario listed,
// from the input to the full list (the page waits for a typist's pause of 400 ms first), and the
// workings opened, from the click to the first figure's derivation.
const fresh = await ready();
const listed = await fresh.evaluate(async () => {
  const t = performance.now();
  for (const [id, value] of [["f-staff-1-salary", "abc"], ["f-activity-approvals", "0"]]) {
    const el = document.getElementById(id);
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }
  while (document.querySelectorAll(".govuk-error-summary li").length < 2) await new Promise((r) => setTimeout(r, 5));
  return performance.now() - t;
});
const again = await ready();
const opened = await again.evaluate(async () => {
  const t = performance.now();
  document.querySelector('#results a[data-figure="unit.full"]').click();
  while (!document.querySelector('[data-workings="unit.full"]')) await new Promise((r) => setTimeout(r, 5));
  return performance.now() - t;
});

// A workbook costed in the browser (the workbook module loaded first, as after first use).
let browserSeconds = null;
let rows = null;
if (workbook) {
  // Rows with no placement date are placed on the page's today: the day the native run is given
  // (ADOPTCOST_TODAY, as scripts/web-bench sets it), so both cost the same rows at the same fees.
  const costing = await ready(process.env.ADOPTCOST_TODAY);
  await costing.evaluate(() => import("./pkg/workbook.js").then((m) => m.default()));
  const t = performance.now();
  await costing.setInputFiles("#open-workbook", workbook);
  await costing.waitForSelector("#batch-summary", { timeout: 3_600_000 });
  browserSeconds = (performance.now() - t) / 1000;
  rows = await costing.locator("#batch-summary").textContent();
}
await env.browser.close();
env.server.close();

const sizes = readFileSync(join(import.meta.dirname, "dist", "sizes.txt"), "utf8");
const gz = (f) => Number(sizes.split("\n").find((l) => l.trim().endsWith(f))?.trim().split(/\s+/)[1]);
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const first = ["pkg/calc_bg.wasm"].map(gz).reduce((a, b) => a + b, 0);
console.log(`| budget | target | measured |
|---|---|---|
| wasm for the first result, gzipped (pkg/calc_bg.wasm) | < 150 KB | ${kb(first)} |
| second module (workbooks and the analyses), gzipped, loaded on first use (pkg/workbook_bg.wasm) | on demand | ${kb(gz("pkg/workbook_bg.wasm"))} |
| navigation to the first result, 127.0.0.1 (median of 7) | < 500 ms | ${median(firsts).toFixed(0)} ms to the frame that paints it (the results in the page at ${median(shown).toFixed(0)} ms) |
| one recompute after an input change (median of 50) | < 16 ms | ${median(recomputes.total).toFixed(1)} ms (the library, with the answer to JS: ${median(recomputes.compare).toFixed(1)} ms; the page's rendering: ${median(recomputes.render).toFixed(1)} ms) |
| every problem listed, first time (the second module loaded) | | ${listed.toFixed(0)} ms from the input, of which 400 ms is the pause for a typist |
| the workings opened, first time (the second module loaded) | | ${opened.toFixed(0)} ms from the click to the first derivation |
${workbook ? `| ${rows} in the browser, against the native CLI | ratio | ${browserSeconds.toFixed(1)} s vs ${Number(nativeSeconds).toFixed(1)} s: ${(browserSeconds / Number(nativeSeconds)).toFixed(1)}× |` : ""}`);
