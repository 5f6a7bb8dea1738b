// Measures the Monte Carlo run in the browser: the page's own module (the second, loaded on first
// use) runs `simulate` on the example scenario with the ranges given, in headless Chromium, three
// times; prints the times in seconds. Usage: node web/measure-mc.mjs DRAWS RANGE... (RANGE as
// `--range` takes it: PATH=LOW,LIKELY,HIGH[,pert]). scripts/mc-bench runs it beside the native runs.
import { open, start } from "./tests/harness.mjs";

const [draws, ...ranges] = process.argv.slice(2);
const range = ranges.map((r) => {
  const [input, rest] = r.split("=");
  const [low, likely, high, distribution = "triangular"] = rest.split(",");
  return { input, low, likely, high, distribution };
});
const env = await start();
const page = await open(env);
const times = await page.evaluate(
  async ({ draws, range }) => {
    const calc = await import("./pkg/calc.js");
    const m = await import("./pkg/workbook.js");
    await m.default();
    const doc = { ...calc.example(), range };
    const out = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const r = m.simulate(doc, draws, "1");
      if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("; "));
      out.push((performance.now() - t) / 1000);
    }
    return out;
  },
  { draws, range },
);
console.log(times.map((t) => t.toFixed(2)).join(" "));
await env.browser.close();
env.server.close();
