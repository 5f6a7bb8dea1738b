// End-to-end tests of the page's analyses in headless Chromium: sensitivity, the Monte Carlo run,
// the break-even curves, the budget and the benchmark, each against the command line's answer for
// the same input, figure by figure and to the last digit; their workbooks read back with openpyxl;
// the budget printed alone; accessibility; and no request leaving 127.0.0.1.
// Run by scripts/web-test (which builds the page and the command line first).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { ROOT, axe, chartText, cli, download, environment, join, open } from "./harness.mjs";

const env = environment();

/** Opens an analysis and waits for its module. */
async function openAnalysis(page, name) {
  await page.click(`#an-${name} summary`);
}

/** Runs an analysis by its button and waits for its answer (or its problem). */
async function runAnalysis(page, name) {
  await page.click(`#an-${name}-run`);
  await page.waitForSelector(`#an-${name}-out [data-figure], #an-${name}-out .govuk-error-summary`, { state: "attached", timeout: 60_000 });
}

/** The figures an analysis shows: id → exact value. */
async function figures(page, name) {
  const list = await page.$$eval(`#an-${name}-out [data-figure]`, (els) => els.map((e) => [e.dataset.figure, e.dataset.value]));
  return new Map(list);
}

/** Checks every figure shown against the command line's explanation; how many there were. */
function sameFigures(shown, json, what) {
  const want = new Map(json.explanation.figures.map((f) => [f.id, f.result.kind === "value" ? f.result.value : ""]));
  assert.ok(shown.size > 0, `${what}: no figures shown`);
  for (const [id, v] of shown) {
    assert.ok(want.has(id), `${what}: the page shows ${id}, which the command line does not have`);
    assert.equal(v, want.get(id), `${what}: ${id}`);
  }
  return shown.size;
}

/** The sheet names of a workbook, read with openpyxl (independently of adoptcost). */
function sheets(path) {
  return execFileSync("python3", ["-c", "import sys, openpyxl; print(','.join(openpyxl.load_workbook(sys.argv[1]).sheetnames))", path], {
    encoding: "utf8",
  }).trim();
}

test("sensitivity: each swing is adoptcost sensitivity's, drawn as a tornado, with its workbook", async () => {
  const page = await open(env);
  await openAnalysis(page, "sensitivity");
  await runAnalysis(page, "sensitivity");
  const json = JSON.parse(cli(["sensitivity", "--format", "json"]));
  const shown = await figures(page, "sensitivity");
  sameFigures(shown, json, "sensitivity");
  // Every input that moves the difference is in the table, by its workings.
  for (const s of json.swings) assert.ok(shown.has(s.figure), `no row for ${s.input}`);
  const bars = await page.locator("#an-sensitivity-out svg rect[fill='#1d70b8']:has(title)").count();
  assert.equal(bars, Math.min(15, json.swings.length));
  // Whole labels (wrapped, never cut), and a £ scale along the foot of the bars.
  const texts = await page.$$eval("#an-sensitivity-out svg text", (ts) => ts.map((t) => t.textContent));
  assert.ok(!texts.some((t) => t.includes("…")), "no label is cut");
  for (const s of json.swings.slice(0, 15)) assert.ok(texts.some((t) => t.replace(/\s+/g, "") === s.label.replace(/\s+/g, "")), `${s.label} whole`);
  assert.ok(texts.filter((t) => /^−?£\d+(\.\d+)?k?$/.test(t)).length >= 3, `a £ scale: ${texts.join(" | ")}`);
  const path = await download(page, "#an-sensitivity-xlsx", "sensitivity.xlsx");
  assert.match(sheets(path), /Sensitivity,.*Workings/);
  // A bad share is named, and nothing is worked out.
  await page.fill("#an-change", "150");
  await runAnalysis(page, "sensitivity");
  assert.match(await page.locator("#an-sensitivity-out .govuk-error-summary").textContent(), /change.*150%.*above 0% and below 100%/);
  assert.deepEqual(page.errors, []);
});

test("uncertainty: the same ranges, draws and seed give adoptcost simulate's figures exactly (wasm = native)", async () => {
  const page = await open(env);
  await openAnalysis(page, "simulation");
  // With no range, the page says what to do, as the command line does.
  await runAnalysis(page, "simulation");
  assert.match(await page.locator("#an-simulation-out").textContent(), /at least one input with a range/);
  const ranges = [
    ["route.weeks_in_house", "13", "26", "52", "triangular"],
    ["activity.approvals", "40", "60", "80", "pert"],
  ];
  for (const [i, [input, low, likely, high, dist]] of ranges.entries()) {
    await page.click("#an-add-range");
    await page.waitForSelector(`#an-r${i}-input option[value='${input}']`, { state: "attached" });
    await page.selectOption(`#an-r${i}-input`, input);
    // Choosing the input starts the range at the value the comparison used.
    if (input === "activity.approvals") assert.equal(await page.inputValue(`#an-r${i}-likely`), "60");
    await page.fill(`#an-r${i}-low`, low);
    await page.fill(`#an-r${i}-likely`, likely);
    await page.fill(`#an-r${i}-high`, high);
    await page.selectOption(`#an-r${i}-distribution`, dist);
  }
  await page.fill("#an-draws", "3000");
  await page.fill("#an-seed", "42");
  await runAnalysis(page, "simulation");
  const json = JSON.parse(
    cli(["simulate", "--range", "route.weeks_in_house=13,26,52", "--range", "activity.approvals=40,60,80,pert", "--draws", "3000", "--seed", "42", "--threads", "1", "--format", "json"]),
  );
  const n = sameFigures(await figures(page, "simulation"), json, "simulation");
  assert.ok(n >= 8, `only ${n} figures`);
  assert.equal(await page.locator("#an-simulation-out svg rect").count(), json.histogram.length);
  // The ranges are part of the scenario: saved with it, and the command line reads them.
  const path = await download(page, "#export-scenario", "ranged.json");
  const again = JSON.parse(cli(["simulate", "--scenario", path, "--draws", "3000", "--seed", "42", "--format", "json"]));
  assert.deepEqual(again.percentiles, json.percentiles);
  // More draws than the page runs: it says so, and points to the command line.
  await page.fill("#an-draws", "200000");
  await page.click("#an-simulation-run");
  assert.match(await page.locator("#an-simulation-out").textContent(), /adoptcost simulate --draws 200000/);
  assert.deepEqual(page.errors, []);
});

test("break-even: the curves and N* and Δ* as adoptcost breakeven gives them", async () => {
  const page = await open(env);
  await openAnalysis(page, "breakeven");
  await runAnalysis(page, "breakeven");
  const json = JSON.parse(cli(["breakeven", "--format", "json"]));
  const shown = await figures(page, "breakeven");
  sameFigures(shown, json, "breakeven");
  assert.ok(shown.has("breakeven.approvals") && shown.has("breakeven.wait"));
  const rows = await page.locator("#an-breakeven-out table").first().locator("tbody tr").count();
  assert.equal(rows, json.approvals.points.length + 1);
  // A change to the form marks the curves out of date.
  await page.fill("#f-activity-approvals", "80");
  await page.waitForSelector("#an-breakeven-out .app-stale");
  assert.deepEqual(page.errors, []);
});

test("budget: the example forecast and a forecast file priced as adoptcost budget, printed alone on one page", async () => {
  const page = await open(env);
  await openAnalysis(page, "budget");
  await page.waitForSelector("#an-p0-name");
  await runAnalysis(page, "budget");
  const json = JSON.parse(cli(["budget", "--format", "json"]));
  const n = sameFigures(await figures(page, "budget"), json, "budget");
  assert.ok(n > 40, `only ${n} figures`);
  assert.equal(await page.getAttribute("#budget-page [data-figure='budget.year.net_budget']", "data-value"), json.explanation.figures.find((f) => f.id === "budget.year.net_budget").result.value);

  // Printing the budget prints it alone, on one page.
  await page.evaluate(() => document.body.classList.add("app-print-budget"));
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible("#budget-page"), true);
  // The printed page carries the sign-off block, to fill in by hand.
  assert.match(await page.locator("#budget-sign-off").textContent(), /Prepared by.*Date.*Approved by.*Date/s);
  assert.equal(await page.isVisible("#results"), false);
  assert.equal(await page.isVisible("#an-forecast"), false);
  const pdf = await page.pdf();
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.equal(pages, 1, `the printed budget takes ${pages} pages`);
  await page.emulateMedia({ media: "screen" });
  await page.evaluate(() => document.body.classList.remove("app-print-budget"));

  // A forecast file, as the command line reads it.
  const file = join(ROOT, "fixtures", "budget", "forecast.toml");
  await page.setInputFiles("#an-forecast-file", file);
  await page.waitForSelector("#an-forecast-status p");
  await runAnalysis(page, "budget");
  const fromFile = JSON.parse(cli(["budget", "--forecast", file, "--format", "json"]));
  sameFigures(await figures(page, "budget"), fromFile, "budget from the file");

  const path = await download(page, "#an-budget-xlsx", "budget.xlsx");
  assert.match(sheets(path), /Budget,Workings/);
  assert.deepEqual(page.errors, []);
});

test("budget: a broken forecast file is named and loses nothing", async () => {
  const page = await open(env);
  await openAnalysis(page, "budget");
  await page.waitForSelector("#an-p0-name");
  const before = await page.inputValue("#an-p0-name");
  await page.setInputFiles("#an-forecast-file", { name: "bad.toml", mimeType: "text/plain", buffer: Buffer.from("[[profile]]\nname = \"x\"\nplacements = [1, 2]\nexternal_share = 10\n") });
  await page.waitForSelector("#an-forecast-status .govuk-error-summary");
  assert.match(await page.locator("#an-forecast-status").textContent(), /bad\.toml.*placements/);
  assert.equal(await page.inputValue("#an-p0-name"), before);
  // A bad share in the form is named by the library.
  await page.fill("#an-p0-share", "150");
  await runAnalysis(page, "budget");
  assert.match(await page.locator("#an-budget-out .govuk-error-summary").textContent(), /profile\[1\]\.external_share/);
});

test("benchmark: one bad agency named by its cell, the rest benchmarked as adoptcost benchmark does", async () => {
  const page = await open(env);
  await openAnalysis(page, "benchmark");
  const file = join(ROOT, "fixtures", "benchmark", "agencies-one-bad.xlsx");
  await page.setInputFiles("#an-benchmark-file", file);
  await page.waitForSelector("#an-benchmark-out [data-figure]", { state: "attached", timeout: 60_000 });
  const out = cli(["benchmark", file, "--format", "json"], { allowFail: true });
  assert.equal(out.status, 3);
  const json = JSON.parse(out.stdout);
  const n = sameFigures(await figures(page, "benchmark"), json.benchmark, "benchmark");
  assert.ok(n > 60, `only ${n} figures`);
  const text = await page.locator("#an-benchmark-out").textContent();
  assert.match(text, /sheet 'Staff', cell D37: "lots" is not a number/);
  assert.match(text, new RegExp(`Benchmarked ${json.benchmark.agencies.length} of ${json.agency_rows} agencies`));
  // A chart per stage and the full cost, with the flagged agencies in red.
  assert.equal(await page.locator("#an-benchmark-out svg").count(), 4);
  const flagged = json.benchmark.measures.find((m) => m.id === "unit.per_approval").positions.filter((p) => p?.flag).length;
  assert.equal(await page.locator("#an-benchmark-out svg").first().locator("rect[fill='#d4351c']").count(), flagged);
  const path = await download(page, "#an-benchmark-xlsx", "benchmark.xlsx");
  assert.match(sheets(path), /Benchmark,Positions,Statistics,Charts,Workings,Errors/);
  assert.deepEqual(page.errors, []);
});

test("accessibility: the analyses, opened and worked out, meet WCAG 2.2 AA (axe-core)", async () => {
  const page = await open(env);
  for (const name of ["sensitivity", "breakeven", "budget"]) {
    await openAnalysis(page, name);
    if (name === "budget") await page.waitForSelector("#an-p0-name");
    await runAnalysis(page, name);
  }
  await openAnalysis(page, "simulation");
  await page.click("#an-add-range");
  await page.waitForSelector("#an-r0-input option[value='route.fee']", { state: "attached" });
  assert.deepEqual(await axe(page), []);
  // The analyses' charts, drawn again for a phone, keep their text at the body's size.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => Number(document.querySelector("#tornado svg").getAttribute("width")) === Math.floor(document.getElementById("tornado").clientWidth));
  const sizes = await chartText(page);
  assert.ok(sizes.texts > 30, `${sizes.texts} chart texts`);
  assert.ok(sizes.smallest >= sizes.body - 0.01, `chart text ${sizes.smallest} px against the body's ${sizes.body} px`);
});

test("people's words: no field path, option or table syntax, nor raw precision, in what the page shows", async () => {
  const page = await open(env);
  await openAnalysis(page, "sensitivity");
  await runAnalysis(page, "sensitivity");
  await openAnalysis(page, "breakeven");
  await runAnalysis(page, "breakeven");
  await openAnalysis(page, "simulation");
  await page.click("#an-add-range");
  await page.waitForSelector("#an-r0-input option[value='route.weeks_in_house']", { state: "attached" });
  await page.selectOption("#an-r0-input", "route.weeks_in_house");
  for (const [k, v] of [["low", "13"], ["likely", "26"], ["high", "52"]]) await page.fill(`#an-r0-${k}`, v);
  await page.fill("#an-draws", "2000");
  await runAnalysis(page, "simulation");
  await openAnalysis(page, "budget");
  await page.waitForSelector("#an-p0-name");
  await runAnalysis(page, "budget");
  const text = await page.evaluate(() => document.body.innerText);
  const bad = [
    [/\b(route|child|activity|on_costs|agency|staff\[\d+\]|direct\[\d+\])\.[a-z_]+/, "a field path"],
    [/\[\[|\[price_index\]|(^|\s)--[a-z]/m, "command-line or file syntax"],
    [/\d\.\d{5,}/, "a number unrounded"],
  ];
  for (const [pattern, what] of bad) {
    const line = text.split("\n").find((l) => pattern.test(l));
    assert.equal(line, undefined, `the page shows ${what}: ${line}`);
  }
  assert.deepEqual(page.errors, []);
});
