// What the browser tests share: the page served on 127.0.0.1, headless Chromium (Debian's, through
// playwright-core), a record of every request the page makes, axe-core, and the command line to
// check the page's figures against.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { serve } from "../serve.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = process.env.ADOPTCOST_BIN ?? join(ROOT, "target", "debug", "adoptcost");
export const tmp = mkdtempSync(join(tmpdir(), "adoptcost-web-"));

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Every request any page of the run made, for the no-network check. */
export const requests = [];

export async function start() {
  const server = await serve(0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: FLAGS });
  return { server, base, browser };
}

/**
 * The page served and Chromium started before a test file's tests; after them both closed, and
 * every request any page of the file made checked to have stayed on the page's own origin.
 */
export function environment() {
  const env = {};
  before(async () => Object.assign(env, await start()));
  after(async () => {
    await env.browser.close();
    env.server.close();
    const outside = requests.filter((u) => !u.startsWith(env.base) && !u.startsWith("blob:") && !u.startsWith("data:"));
    assert.deepEqual(outside, [], "requests outside 127.0.0.1");
    assert.ok(requests.length > 0);
  });
  return env;
}

/**
 * The day every page and command line run takes as today, so a child given no placement date is
 * placed on a fixed day of fee year 2026/27 whatever the clock says.
 */
export const TODAY = "2026-12-06";

/** The day the filled workbook fixtures were worked for (fee year 2025/26, published). */
export const FIXTURES_DAY = "2025-12-06";

/** A new page on the calculator, ready (the first result shown), its clock at noon on `today`. */
export async function open(env, url = env.base, context = null, { today = TODAY } = {}) {
  const ctx = context ?? (await env.browser.newContext({ acceptDownloads: true }));
  const page = await ctx.newPage();
  await page.clock.setFixedTime(new Date(`${today}T12:00:00`));
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.errors = errors;
  await page.goto(url);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20_000 });
  return page;
}

/** Runs the command line; its standard output. */
export function cli(args, { allowFail = false, today = TODAY } = {}) {
  try {
    const env = { ...process.env, ADOPTCOST_TODAY: today };
    return execFileSync(CLI, args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    if (allowFail) return { stdout: e.stdout, stderr: e.stderr, status: e.status };
    throw new Error(`adoptcost ${args.join(" ")} failed: ${e.stderr}`);
  }
}

/** The figures of `adoptcost compare --format json`, by id. */
export function cliFigures(args) {
  const json = JSON.parse(cli(["compare", "--format", "json", ...args]));
  return new Map(json.explanation.figures.map((f) => [f.id, f]));
}

/** Every figure the page shows: id, exact value, shown text, and how it is shown. */
export async function shownFigures(page) {
  return page.$$eval("#results [data-figure]", (els) =>
    els.map((e) => ({ id: e.dataset.figure, value: e.dataset.value, text: e.textContent.trim(), shown: e.dataset.shown })),
  );
}

/** Saves what a button downloads; the file's path. */
export async function download(page, selector, name) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = join(tmp, name);
  await d.saveAs(path);
  return path;
}

/** Runs axe-core at WCAG 2.2 AA on the page as it stands; the violations. */
export async function axe(page) {
  // Evaluated through the DevTools protocol: the page's own CSP allows no injected script tag.
  await page.evaluate(readFileSync(join(ROOT, "web", "node_modules", "axe-core", "axe.min.js"), "utf8"));
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`);
}

/**
 * The size every chart's text is drawn at on screen (its font size times the chart's scale),
 * the smallest of them, and the size of the page's body text.
 */
export async function chartText(page) {
  return page.evaluate(() => {
    const sizes = [...document.querySelectorAll("svg.app-chart text")]
      .filter((t) => t.getClientRects().length)
      .map((t) => Number.parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a);
    return { texts: sizes.length, smallest: Math.min(...sizes), body: Number.parseFloat(getComputedStyle(document.querySelector("p.govuk-body")).fontSize) };
  });
}

export { readFileSync, writeFileSync, join };
