// End-to-end tests of the browser calculator in headless Chromium: the page's figures against the
// command line's for the same scenarios, workings, export and import, sharing, errors, keyboard
// use, accessibility (axe-core, WCAG 2.2 AA) and no request leaving 127.0.0.1.
// Run by scripts/web-test (which builds the page and the command line first).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { FIXTURES_DAY, ROOT, axe, chartText, cli, cliFigures, download, environment, join, open, readFileSync, shownFigures, tmp, writeFileSync } from "./harness.mjs";

const env = environment();

/** Rounds exact decimal text half away from zero to `dp` places, as decimal text (no floats). */
function round(text, dp) {
  const neg = text.startsWith("-");
  const [i, f = ""] = text.replace("-", "").split(".");
  const digits = BigInt(i + f.padEnd(dp, "0").slice(0, dp));
  const up = (f[dp] ?? "0") >= "5" ? 1n : 0n;
  const n = (digits + up).toString().padStart(dp + 1, "0");
  const whole = n.slice(0, n.length - dp) || "0";
  return { neg: neg && /[1-9]/.test(n), whole, frac: n.slice(n.length - dp) };
}
const commas = (s) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** What the page must show for a figure of the command line's JSON, worked out here. */
function expectedText(f, shown) {
  const r = f.result;
  if (r.kind !== "value") return shown === "summary" ? "no such number" : `no such number: ${r.reason}`;
  const money = ["gbp", "gbp_per_year", "gbp_per_week", "gbp_per_hour", "gbp_per_month"].includes(r.unit);
  const suffix = { gbp_per_year: " a year", gbp_per_week: " a week", gbp_per_hour: " an hour", gbp_per_month: " a month", weeks: " weeks", fte: " FTE" }[r.unit] ?? "";
  if (money) {
    const x = round(r.value, shown === "summary" ? 0 : 2);
    return `${x.neg ? "−" : ""}£${commas(x.whole)}${shown === "summary" ? "" : "." + x.frac}${suffix}`;
  }
  // Workings to four decimals; a summary as people read it: weeks, months and percentages to
  // one decimal, other numbers to two.
  const dp = shown !== "summary" ? 4 : ["weeks", "months", "percent"].includes(r.unit) ? 1 : 2;
  const x = round(r.value, dp);
  const frac = x.frac.replace(/0+$/, "");
  const num = `${x.neg ? "−" : ""}${commas(x.whole)}${frac ? "." + frac : ""}`;
  if (r.unit === "percent") return `${num}%`;
  if (r.unit === "ratio") return `${num}×`;
  return `${num}${suffix}`;
}

/** Checks every figure the page shows against the command line's, exactly and as displayed. */
async function checkAgainstCli(page, args) {
  const want = cliFigures(args);
  const shown = await shownFigures(page);
  assert.ok(shown.length > 60, `only ${shown.length} figures shown`);
  for (const s of shown) {
    const f = want.get(s.id);
    assert.ok(f, `the page shows ${s.id}, which adoptcost compare does not have`);
    assert.equal(s.value, f.result.kind === "value" ? f.result.value : "", `${s.id}: exact value`);
    assert.equal(s.text, expectedText(f, s.shown), `${s.id}: shown as`);
  }
  return shown.length;
}

/** Opens the section of the cost base a line's field or button is in, as a user would. */
async function openSection(page, selector) {
  const section = page.locator(`details.app-section:has(${selector})`);
  if ((await section.count()) && !(await section.evaluate((d) => d.open))) await section.locator("summary").click();
}

async function fill(page, values) {
  for (const [id, v] of Object.entries(values)) {
    await openSection(page, `#${id}`);
    const el = page.locator(`#${id}`);
    if (typeof v === "boolean") await (v ? el.check() : el.uncheck());
    else if ((await el.evaluate((e) => e.tagName)) === "SELECT") await el.selectOption(v);
    else await el.fill(v);
  }
}

test("scenario 1: the example agency and child, as adoptcost compare with no input", async () => {
  const page = await open(env);
  const n = await checkAgainstCli(page, []);
  assert.match(await page.locator("#verdict").textContent(), /external route costs £10,674 less/);
  assert.deepEqual(page.errors, []);
  assert.ok(n > 90);
  assert.deepEqual(await axe(page), []);
});

test("today: a child with no placement date is placed on the browser's date, the fee estimated only on request", async () => {
  const page = await open(env);
  // The page's clock is at noon on 2026-12-06: fee year 2026/27, whose LA/RAA fee continues.
  await fill(page, { "f-route-placement-date": "", "f-route-provider": "la" });
  const results = page.locator("#results");
  await page.waitForFunction(() => document.getElementById("results").textContent.includes("2026/27"));
  assert.match(await results.textContent(), /fee year 2026\/27 \(no placement date given: today's date, 2026-12-06\)/);
  assert.match(await results.textContent(), /last confirmed for 2025\/26/);
  // The command line's scenario: the example child without its date, on the same day.
  const child = join(tmp, "undated-child.toml");
  writeFileSync(child, readFileSync(join(ROOT, "fixtures", "example", "child.toml"), "utf8").replace(/^placement_date = .*$/m, ""));
  await checkAgainstCli(page, ["--scenario", child, "--provider", "la"]);
  // The VAA fee for 2026/27 is not published: the page asks, and the uplift gives an estimate.
  await fill(page, { "f-route-provider": "vaa" });
  await page.waitForFunction(() => document.getElementById("error-summary").textContent.includes("fee uplift of 3.6"));
  await fill(page, { "f-route-fee-uplift": "3.6" });
  await page.waitForFunction(() => document.getElementById("results").textContent.includes("ESTIMATE"));
  await checkAgainstCli(page, ["--scenario", child, "--fee-uplift", "3.6"]);
  const schedule = (await shownFigures(page)).find((f) => f.id === "fee.schedule");
  assert.equal(Number(schedule.value), 40657.82);
});

test("reference file: a user's 2026/27 fee, loaded as TOML, is used and cited as theirs", async () => {
  const page = await open(env);
  await fill(page, { "f-route-placement-date": "", "f-route-provider": "vaa" });
  await page.waitForFunction(() => document.getElementById("error-summary").textContent.includes("fee uplift of 3.6"));
  const file = join(ROOT, "fixtures", "reference", "2026-27.toml");
  await page.setInputFiles("#open-reference", file);
  await page.waitForFunction(() => document.getElementById("reference-status").textContent.includes("Using your reference file 2026-27.toml"));
  await page.waitForFunction(() => !document.getElementById("error-summary").textContent.trim());
  const schedule = (await shownFigures(page)).find((f) => f.id === "fee.schedule");
  assert.equal(Number(schedule.value), 40657.82);
  assert.match(await page.locator("#results").textContent(), /your reference file 2026-27\.toml/);
  // The command line with the same file gives the same figures.
  const child = join(tmp, "undated-child-ref.toml");
  writeFileSync(child, readFileSync(join(ROOT, "fixtures", "example", "child.toml"), "utf8").replace(/^placement_date = .*$/m, ""));
  await checkAgainstCli(page, ["--scenario", child, "--reference", file]);
  // Removed, the fee year is unpublished again.
  await page.click("#reference-remove");
  await page.waitForFunction(() => document.getElementById("error-summary").textContent.includes("fee uplift of 3.6"));
  // A file that breaks the format is refused with the reason, and changes nothing.
  await page.setInputFiles("#open-reference", { name: "bad.toml", mimeType: "text/plain", buffer: Buffer.from('title = "x"\nreviewed = 2026-12-06\n[[parameter]]\nid = "fee.england.vaa.1"\nlabel = "x"\nunit = "gbp"\nvalues = [{ from = 2026-04-01, value = 1, source = "none" }]\n') });
  await page.waitForFunction(() => document.getElementById("reference-status").textContent.includes("not a reference file adoptcost can use"));
  assert.match(await page.locator("#reference-status").textContent(), /source `none` is not defined/);
  assert.deepEqual(page.errors, []);
});

test("VAA: the example VAA is asked what a placement costs it, against the fee it charges", async () => {
  const page = await open(env);
  await page.click("#start-vaa");
  // The example agency's results have a heading of the same id: wait for the VAA's own words
  // (its example comes with the second module, loaded on this first use).
  const question = "What does a placement cost us, against the fee we charge?";
  await page.waitForFunction((q) => document.getElementById("sales-heading")?.textContent === q, question);
  assert.equal(await page.locator("#sales-heading").textContent(), question);
  assert.equal(await page.locator("#results-heading").textContent(), "A child's routes, as a council compares them");
  // Every figure shown, the VAA's own included, is the command line's for the same files.
  await checkAgainstCli(page, ["--agency", join(ROOT, "fixtures", "vaa", "agency.toml"), "--view", "routes"]);
  const vaa = JSON.parse(cli(["compare", "--agency", join(ROOT, "fixtures", "vaa", "agency.toml"), "--format", "json"]));
  const shown = new Map((await shownFigures(page)).map((f) => [f.id, f]));
  for (const id of ["sales.fee", "sales.margin_full", "sales.year_full", "sales.coverage", "sales.break_even_fee"]) {
    const want = vaa.explanation.figures.find((f) => f.id === id);
    assert.equal(shown.get(id)?.value, want.result.value, id);
  }
  assert.match(await page.locator("#sales-verdict").textContent(), /Each placement sold earns £6,857 more than its full cost/);
  assert.deepEqual(await axe(page), []);
});

test("the answer stays in view: a change far down the form updates the bar at the foot of the window", async () => {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    const page = await open(env);
    await page.setViewportSize(viewport);
    // The last capital line, far down the form.
    const n = await page.locator("[data-line=capital]").count();
    await openSection(page, `#f-capital-${n}-amount`);
    const amount = page.locator(`#f-capital-${n}-amount`);
    await amount.scrollIntoViewIfNeeded();
    const before = await page.locator("#answer").textContent();
    await amount.fill("250000");
    await page.waitForFunction((b) => document.getElementById("answer").textContent !== b, before);
    const bar = await page.locator("#answer").boundingBox();
    assert.ok(bar && bar.y >= 0 && bar.y + bar.height <= viewport.height + 1, `the bar is in view at ${viewport.width}×${viewport.height}`);
    // The bar shows the library's own figures, as the full results do.
    const shown = new Map((await shownFigures(page)).map((f) => [f.id, f]));
    const inBar = await page.$$eval("#answer a[data-figure]", (els) => els.map((e) => [e.dataset.figure, e.textContent]));
    assert.deepEqual(inBar.map(([id]) => id), ["unit.full", "fee.net", "route.difference"]);
    for (const [id, text] of inBar) assert.equal(text, shown.get(id).text, id);
    assert.match(await page.locator("#answer-verdict").textContent(), /(in-house|external) route costs £[0-9,]+ less|cost the same/);
    await page.close();
  }
});

test("the full results on their own view, from the bar, and back to the form where it was left", async () => {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    const page = await open(env);
    await page.setViewportSize(viewport);
    // A sibling group of two placed through a council (whose fee is published for siblings).
    await page.selectOption("#f-route-provider", "la");
    await page.fill("#f-child-children", "2");
    await page.waitForFunction(() => /group of 2/.test(document.getElementById("answer").textContent));
    const at = await page.evaluate(() => window.scrollY);
    await page.click("#answer a[data-view=results]");
    // The form is set aside and the results span the page, from their heading, in view.
    assert.equal(await page.locator("#form").isVisible(), false);
    for (const id of ["#view-back", "#results-heading"]) {
      const box = await page.locator(id).boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `${id} in view at ${viewport.width}`);
    }
    const widths = await page.evaluate(() => [document.getElementById("results").clientWidth, document.querySelector(".govuk-width-container").clientWidth]);
    assert.ok(widths[0] > widths[1] - 80, `the results span the page: ${widths}`);
    assert.equal(await page.evaluate(() => document.activeElement.id), "results-heading");
    assert.match(await page.locator("#results").textContent(), /2 children/);
    // Its charts are drawn again for the wider box.
    await page.waitForFunction(() => Number(document.querySelector("#chart-cat svg").getAttribute("width")) === Math.floor(document.getElementById("chart-cat").clientWidth));
    // The browser's Back returns to the form, where it was.
    await page.goBack();
    await page.waitForFunction(() => document.getElementById("form").checkVisibility());
    assert.equal(await page.evaluate(() => window.scrollY), at);
    // And so does the view's own back link.
    await page.click("#answer a[data-view=results]");
    await page.click("#view-back");
    await page.waitForFunction(() => document.getElementById("form").checkVisibility());
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test("a few questions at a time: the child and routes first, the cost base in sections opened on demand", async () => {
  const page = await open(env);
  await page.setViewportSize({ width: 1366, height: 768 });
  const headings = await page.$$eval("#fields h2", (hs) => hs.map((h) => h.textContent.trim()));
  assert.deepEqual(headings, ["1. The child or sibling group", "2. The routes", "3. The agency"]);
  const sections = await page.$$eval("details.app-section", (ds) => ds.map((d) => [d.dataset.section, d.open, d.querySelector("summary").textContent.replace(/\s+/g, " ").trim()]));
  assert.equal(sections.length, 6);
  assert.ok(sections.every(([, open]) => !open), "every section of the cost base starts closed");
  assert.match(sections[0][2], /^Staff \d+ staff lines$/);
  const height = await page.evaluate(() => document.body.scrollHeight);
  assert.ok(height < 15000, `the page is ${height} px long with the cost base closed`);
  // A line added is counted in the section's summary.
  const before = Number((await page.locator("[data-count=staff]").textContent()).split(" ")[0]);
  await openSection(page, "[data-add=staff]");
  await page.click("[data-add=staff]");
  assert.equal(await page.locator("[data-count=staff]").textContent(), `${before + 1} staff lines`);
});

test("narrow screens: at 320 px wide nothing makes the page scroll sideways", async () => {
  const page = await open(env);
  await page.setViewportSize({ width: 320, height: 700 });
  await page.waitForTimeout(200);
  const wide = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest(".app-table-scroll, .govuk-visually-hidden"))
      .slice(0, 5)
      .map((e) => `${e.tagName}#${e.id}.${e.className}`);
  });
  assert.deepEqual(wide, []);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
  assert.deepEqual(await axe(page), []);
});

test("charts: text at the body's size at every width, and a key of segments that stand apart", async () => {
  const page = await open(env);
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }, { width: 320, height: 700 }]) {
    await page.setViewportSize(viewport);
    // Drawn again for the new width (a resize observer), before the next frame.
    await page.waitForFunction((w) => [...document.querySelectorAll(".app-chart-box")].every((b) => Number(b.querySelector("svg").getAttribute("width")) === Math.floor(b.clientWidth)), viewport.width);
    const sizes = await chartText(page);
    assert.ok(sizes.texts > 10, `${sizes.texts} chart texts at ${viewport.width}`);
    assert.ok(sizes.smallest >= sizes.body - 0.01, `chart text ${sizes.smallest} px against the body's ${sizes.body} px at ${viewport.width}`);
  }
  // The stacked bar: a key naming each category with its amount, and segments side by side
  // that differ in contrast by at least 3:1.
  const key = await page.$$eval("#results .app-key li", (ls) => ls.map((l) => l.textContent));
  assert.equal(key.length, 8);
  assert.ok(key.slice(0, 7).every((k) => /^[A-Z][^:]*: £[0-9,]+$/.test(k)), key.join(" | "));
  const fills = await page.$$eval("#chart-cat rect[data-segment]", (rs) => rs.map((r) => r.getAttribute("fill")));
  assert.equal(fills.length, 7);
  const lum = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  for (let i = 1; i < fills.length; i++) {
    const [hi, lo] = [lum(fills[i - 1]), lum(fills[i])].sort((a, b) => b - a);
    assert.ok((hi + 0.05) / (lo + 0.05) >= 3, `segments ${i} and ${i + 1}: ${fills[i - 1]} against ${fills[i]}`);
  }
});

test("scenario 2: a sibling group placed through a London council, with the waits given", async () => {
  const page = await open(env);
  await fill(page, {
    "f-child-children": "2",
    "f-child-age": "6",
    "f-child-weekly-care-cost": "910.50",
    "f-route-provider": "la",
    "f-route-london": true,
    "f-route-weeks-in-house": "41",
    "f-route-weeks-external": "18.5",
    "f-route-common-costs": "2500",
  });
  await checkAgainstCli(page, [
    "--children", "2", "--age", "6", "--weekly-care-cost", "910.50", "--provider", "la", "--london",
    "--weeks-in-house", "41", "--weeks-external", "18.5", "--common-costs", "2500",
  ]);
  // Without the sequential search's inputs, the page says it is not worked out.
  await fill(page, { "f-route-search-weeks": "", "f-route-success-probability": "" });
  assert.match(await page.locator("#results").textContent(), /Sequential search not worked out/);
});

test("scenario 3: an agency changed line by line, with a contribution and a placement date", async () => {
  const page = await open(env);
  // Staff line 1's salary, a new staff line, the last direct line removed, the utilisation.
  await fill(page, { "f-staff-1-salary": "75500.25", "f-activity-utilisation": "85", "f-on-costs-pension-rate": "21.3" });
  await openSection(page, "[data-add=staff]");
  await page.click("[data-add=staff]");
  const n = await page.locator("[data-line=staff]").count();
  await fill(page, {
    [`f-staff-${n}-role`]: "Business support officer",
    [`f-staff-${n}-fte`]: "2.5",
    [`f-staff-${n}-salary`]: "26000",
    [`f-staff-${n}-shares-a`]: "40",
    [`f-staff-${n}-shares-b`]: "30",
    [`f-staff-${n}-shares-c`]: "20",
    [`f-staff-${n}-shares-other`]: "10",
  });
  const directs = await page.locator("[data-line=direct]").count();
  await openSection(page, "[data-add=direct]");
  await page.click(`[data-remove=direct][data-index="${directs - 1}"]`);
  await fill(page, { "f-route-placement-date": "2025-10-01", "f-route-contribution-share": "25" });

  // The same agency for the command line, made from the example agency's file by hand.
  let toml = readFileSync(join(ROOT, "fixtures", "example", "agency.toml"), "utf8");
  toml = toml.replace("salary = 72000", "salary = 75500.25").replace("pension_rate = 19.5", "pension_rate = 21.3");
  toml = toml.replace(/utilisation = [0-9.]+/, "utilisation = 85");
  const blocks = toml.split("\n[[direct]]\n");
  assert.ok(blocks.length > 2, "the example has direct lines");
  const lastDirect = blocks.pop();
  const rest = lastDirect.slice(lastDirect.search(/\n\[/));
  toml = blocks.join("\n[[direct]]\n") + rest;
  toml = toml.replace(
    "\n[[direct]]\n",
    '\n[[staff]]\nrole = "Business support officer"\nfte = 2.5\nsalary = 26000\nshares = { a = 40, b = 30, c = 20, other = 10 }\n\n[[direct]]\n',
  );
  const agency = join(tmp, "scenario3-agency.toml");
  writeFileSync(agency, toml);
  await checkAgainstCli(page, [
    "--agency", agency, "--placement-date", "2025-10-01", "--contribution-share", "25",
    "--search-weeks", "13", "--success-probability", "50",
  ]);
});

test("workings: each figure's derivation, as adoptcost explain prints it", async () => {
  const page = await open(env);
  await page.click('#results a[data-figure="unit.full"]');
  const details = page.locator('[id="w-unit.full"]');
  assert.equal(await details.getAttribute("open"), "");
  const text = await page.locator('[data-workings="unit.full"]').textContent();
  const cliText = cli(["explain", "unit.full"]);
  // The same lines, but for where the inputs came from (the form, not the embedded file).
  const strip = (t) => t.split("\n").map((l) => l.replace(/\(the (browser form|example agency[^)]*\))\)?$/, "")).join("\n").trim();
  assert.equal(strip(text), strip(cliText));
  assert.ok(await page.locator("details[id^='w-']").count() > 150);
  // Laid out as a table: each input with its value and where it came from, as the command
  // line's JSON has them; an input that is another figure links to its workings.
  const json = JSON.parse(cli(["compare", "--format", "json"]));
  const want = json.explanation.figures.find((f) => f.id === "route.in_house");
  await page.click('#results a[data-figure="route.in_house"]');
  const rows = await page.$$eval('[id="w-route.in_house"] table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  assert.equal(rows.length, want.inputs.length + 1);
  assert.deepEqual(rows.slice(0, -1).map((r) => r[0]), want.inputs.map((t) => t.name));
  assert.match(rows[0][2], /the figure full in-house cost/);
  assert.match(rows.at(-1)[1], /^£71,590\.44$/);
  await page.click('[id="w-route.in_house"] a[data-working="w-group.in_house"]');
  assert.equal(await page.locator('[id="w-group.in_house"]').getAttribute("open"), "");
  // And back to the result: the figure where the results show it, or else their top.
  await page.click('[id="w-route.in_house"] a[data-back]');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.figure), "route.in_house");
  await page.click('[id="w-group.in_house"] a[data-back]');
  assert.equal(await page.evaluate(() => document.activeElement.id), "results-heading");
  assert.deepEqual(await axe(page), []);
  // After a change, the open list shows the derivations of the run whose figures are shown.
  await fill(page, { "f-route-weeks-in-house": "40" });
  await page.click('#results a[data-figure="route.in_house"]');
  const after = await page.locator('[data-workings="route.in_house"]').textContent();
  assert.equal(strip(after), strip(cli(["explain", "route.in_house", "--weeks-in-house", "40"])));
});

test("errors: every bad field is listed at once, linked to its field, and named beside it", async () => {
  const page = await open(env);
  await fill(page, { "f-staff-1-salary": "abc", "f-staff-2-fte": "three", "f-staff-3-fte": "-1", "f-activity-approvals": "0" });
  await page.waitForFunction(() => document.querySelectorAll(".govuk-error-summary li").length === 4);
  const summary = await page.locator(".govuk-error-summary").textContent();
  assert.match(summary, /There is a problem/);
  assert.match(summary, /Staff line 1, Salary[^:]*: "abc" is not a number/);
  assert.match(summary, /Staff line 2, FTE: "three" is not a number/);
  assert.match(summary, /Staff line 3, FTE: −1 is negative/);
  assert.match(summary, /Adopter households approved a year: 0; expected approvals a year \(it divides a cost\): from 0.01 to/);
  const links = await page.$$eval(".govuk-error-summary a", (as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links.sort(), ["#f-activity-approvals", "#f-staff-1-salary", "#f-staff-2-fte", "#f-staff-3-fte"]);
  for (const id of ["f-staff-1-salary", "f-staff-2-fte", "f-staff-3-fte", "f-activity-approvals"]) {
    assert.ok((await page.locator(`#${id}-error`).textContent()).trim().length > 0, `${id} has its message beside it`);
  }
  // The bar at the foot of the window, where the user is, says how many and links to the list.
  assert.match(await page.locator("#answer-problems").textContent(), /There are 4 problems with the figures/);
  // The summary's link takes the keyboard to the field.
  await page.click(`.govuk-error-summary a[href="#f-staff-2-fte"]`);
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-staff-2-fte");
  assert.match(await page.locator("#stale").textContent(), /before your last change/);
  assert.deepEqual(await axe(page), []);
  await fill(page, { "f-staff-1-salary": "40000", "f-staff-2-fte": "3", "f-staff-3-fte": "1" });
  await page.waitForFunction(() => document.querySelectorAll(".govuk-error-summary li").length === 1);
  assert.match(await page.locator(".govuk-error-summary").textContent(), /Adopter households approved a year: 0; expected/);
});

test("errors: a sibling fee the reference data lacks is asked for at the fee field", async () => {
  const page = await open(env);
  await fill(page, { "f-child-children": "2" });
  await page.waitForSelector(".govuk-error-summary");
  const summary = await page.locator(".govuk-error-summary").textContent();
  assert.match(summary, /no published amount/);
  // Asked for by the field's label, not by its path.
  assert.match(summary, /Schedule fee to use instead of the published one: .*give the amount yourself/);
  assert.doesNotMatch(summary, /`fee`/);
  assert.equal(await page.locator(".govuk-error-summary a").getAttribute("href"), "#f-route-fee");
  await fill(page, { "f-route-fee": "45000" });
  await page.waitForSelector(".govuk-error-summary", { state: "detached" });
  await checkAgainstCli(page, ["--children", "2", "--fee", "45000"]);
});

test("export: the costed workbook holds the page's figures", async () => {
  const page = await open(env);
  await fill(page, { "f-child-children": "3", "f-route-provider": "la" });
  const path = await download(page, "#export-xlsx", "page.costed.xlsx");
  const shown = new Map((await shownFigures(page)).map((s) => [s.id, s.value]));
  // Read back independently of adoptcost, with openpyxl.
  const out = execFileSync("python3", ["-c", `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
ws = wb["Summary"]
head = [c.value for c in ws[1]]
row = [c.value for c in ws[2]]
print(row[head.index("Full in-house cost (per household)")])
ws = wb["Placements"]
head = [c.value for c in ws[1]]
row = [c.value for c in ws[2]]
print(row[head.index("Net fee")]); print(row[head.index("Children")]); print(",".join(wb.sheetnames))
`, path], { encoding: "utf8" }).trim().split("\n");
  const pence = (v) => Math.round(Number(v) * 100);
  assert.equal(pence(out[0]), pence(shown.get("unit.full")));
  assert.equal(pence(out[1]), pence(shown.get("fee.net")));
  assert.equal(out[2], "3");
  assert.match(out[3], /Summary,Placements,Totals,Workings,Fees/);
});

test("export and load: the scenario JSON, which the command line also reads", async () => {
  const page = await open(env);
  await fill(page, { "f-child-children": "2", "f-route-provider": "la", "f-route-weeks-in-house": "33" });
  const before = await shownFigures(page);
  const path = await download(page, "#export-scenario", "scenario.json");
  // The command line costs the saved file to the same figures.
  await checkAgainstCli(page, ["--scenario", path]);
  const results = await download(page, "#export-results", "results.json");
  const r = JSON.parse(readFileSync(results, "utf8"));
  assert.equal(r.routes.in_house, before.find((f) => f.id === "route.in_house").value);
  // Change the form, then load the file: the form and figures come back.
  await fill(page, { "f-child-children": "1", "f-route-weeks-in-house": "10" });
  await page.setInputFiles("#open-scenario", path);
  await page.waitForSelector(".govuk-notification-banner");
  assert.equal(await page.inputValue("#f-child-children"), "2");
  assert.deepEqual(await shownFigures(page), before);
  // A file that is not a scenario is refused, by name.
  const bad = join(tmp, "not-a-scenario.json");
  writeFileSync(bad, '{"child": {"children": 1}}');
  await page.setInputFiles("#open-scenario", bad);
  await page.waitForSelector("#batch .govuk-error-summary");
  assert.match(await page.locator("#batch").textContent(), /missing field `agency`/);
});

test("share: the scenario in the link's fragment opens the same scenario", async () => {
  const page = await open(env);
  await fill(page, { "f-child-children": "2", "f-route-provider": "la", "f-route-london": true, "f-staff-3-salary": "48000" });
  const before = await shownFigures(page);
  await page.click("#share");
  await page.waitForFunction(() => document.getElementById("share-link").value.includes("#s="));
  const link = await page.inputValue("#share-link");
  assert.ok(link.startsWith(env.base) && link.includes("#s="));
  const other = await open(env, link);
  assert.equal(await other.inputValue("#f-staff-3-salary"), "48000");
  assert.deepEqual(await shownFigures(other), before);
  // A link cut short says so and opens the example.
  const cut = await open(env, link.slice(0, link.length - 40));
  assert.match(await cut.locator("#error-summary").textContent(), /could not be opened/);
});

test("import: a filled workbook is costed as adoptcost run costs it", async () => {
  const page = await open(env, env.base, null, { today: FIXTURES_DAY });
  const file = join(ROOT, "fixtures", "workbooks", "filled.xlsx");
  await page.setInputFiles("#open-workbook", file);
  await page.waitForSelector("#batch-summary");
  const rows = JSON.parse(cli(["run", file, "--format", "json"], { today: FIXTURES_DAY }));
  assert.equal(await page.locator("#batch-summary").textContent(), `Costed ${rows.length} of ${rows.length} child rows against 1 agency.`);
  const cells = await page.$$eval("#batch td[data-value]", (els) => els.map((e) => e.dataset.value));
  assert.deepEqual(cells, rows.flatMap((r) => [r.full_in_house_cost, r.net_fee, r.difference]));
  const out = await download(page, "#batch-download", "filled.costed.xlsx");
  assert.ok(readFileSync(out).subarray(0, 2).toString() === "PK");
  assert.deepEqual(await axe(page), []);
});

test("import: a broken workbook lists each bad cell as adoptcost run does, and costs the rest", async () => {
  const page = await open(env, env.base, null, { today: FIXTURES_DAY });
  const file = join(ROOT, "fixtures", "workbooks", "bad-rows.xlsx");
  await page.setInputFiles("#open-workbook", file);
  await page.waitForSelector("#batch-summary");
  const r = cli(["run", file, "--format", "json"], { allowFail: true, today: FIXTURES_DAY });
  assert.equal(r.status, 3);
  const rejected = r.stderr.split("\n").filter((l) => l.startsWith("rejected: ")).map((l) => l.slice(10));
  const shown = await page.$$eval("#batch .govuk-error-summary li", (els) => els.map((e) => e.textContent));
  assert.deepEqual(shown, rejected);
  assert.match(await page.locator("#batch-summary").textContent(), new RegExp(`Costed ${JSON.parse(r.stdout).length} of`));
  // Not a workbook at all: one clear message.
  await page.setInputFiles("#open-workbook", join(ROOT, "fixtures", "workbooks", "not-a-spreadsheet.xlsx"));
  await page.waitForSelector("#batch .govuk-error-summary h2:text('could not be costed')");
  assert.deepEqual(await axe(page), []);
});

test("keyboard: the form works without a mouse", async () => {
  const page = await open(env);
  // Tab from the top of the page to the children field, then type.
  let id = "";
  for (let i = 0; i < 600 && id !== "f-child-weekly-care-cost"; i++) {
    await page.keyboard.press("Tab");
    id = await page.evaluate(() => document.activeElement.id);
  }
  assert.equal(id, "f-child-weekly-care-cost", "Tab reaches the weekly care cost");
  await page.keyboard.type("900");
  assert.equal(await page.locator('#results [data-figure="care.weekly"]').getAttribute("data-value"), "900");
  // Enter on a section's summary opens it; Enter on its add button adds a line and moves focus
  // into it.
  await page.focus("[data-section=office] summary");
  await page.keyboard.press("Enter");
  await page.focus("[data-add=office]");
  const before = await page.locator("[data-line=office]").count();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("[data-line=office]").count(), before + 1);
  assert.equal(await page.evaluate(() => document.activeElement.id), `f-office-${before + 1}-label`);
  // Space ticks a checkbox.
  await page.focus("#f-route-london");
  await page.keyboard.press("Space");
  assert.equal(await page.isChecked("#f-route-london"), true);
});

test("work kept: a reload keeps what was typed, and starting again asks first", async () => {
  const ctx = await env.browser.newContext();
  const page = await open(env, env.base, ctx);
  const example = await page.locator("#verdict").textContent();
  await fill(page, { "f-staff-1-salary": "75500.25", "f-child-weekly-care-cost": "910.50" });
  const typed = await page.locator("#verdict").textContent();
  assert.notEqual(typed, example);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.inputValue("#f-staff-1-salary"), "75500.25");
  assert.equal(await page.inputValue("#f-child-weekly-care-cost"), "910.50");
  assert.equal(await page.locator("#verdict").textContent(), typed);
  // Starting again asks; saying no keeps the work.
  const asked = [];
  page.once("dialog", (d) => { asked.push(d.message()); d.dismiss(); });
  await page.click("#start-example");
  assert.match(asked[0] ?? "", /Replace the figures you have typed with the example agency/);
  assert.equal(await page.inputValue("#f-staff-1-salary"), "75500.25");
  // Saying yes starts again, and a reload then shows the example.
  page.once("dialog", (d) => d.accept());
  await page.click("#start-example");
  assert.equal(await page.locator("#verdict").textContent(), example);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.locator("#verdict").textContent(), example);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test("print: the comparison fits one A4 page, with its key assumptions, their sources and the day", async () => {
  const page = await open(env);
  const pdf = await page.pdf({ format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.equal(pages, 1, `the printed comparison takes ${pages} pages`);
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => document.querySelector(".app-assumptions").innerText);
  assert.match(printed, /Key assumptions and their sources/);
  assert.match(printed, /Schedule amount: £39,245\.00.*CoramBAAF.*\(confirmed\)/);
  assert.match(printed, /Weekly cost per child: £820\.00 a week, Competition and Markets Authority/);
  assert.match(printed, /Printed on \d{1,2} [A-Z][a-z]+ \d{4}\./);
  for (const id of ["route.in_house", "route.external", "route.difference"]) {
    assert.ok(await page.locator(`#results [data-figure="${id}"]`).first().isVisible(), `${id} is printed`);
  }
});

test("offline: once loaded, the page works with the network off", async () => {
  const ctx = await env.browser.newContext();
  const page = await open(env, env.base, ctx);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  await ctx.setOffline(true);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]", { timeout: 20_000 });
  assert.match(await page.locator("#verdict").textContent(), /less than/);
  await ctx.close();
});
