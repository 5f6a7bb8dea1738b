// The page's assets, after scripts/web-build has built the two WebAssembly modules into
// dist/pkg: the stylesheet (GOV.UK Frontend with the system font), the page's scripts, the
// method as HTML (from docs/COSTING.md), the offline service worker, and a report of sizes.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { marked } from "marked";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const page = join(here, "page");
const dist = join(here, "dist");
mkdirSync(dist, { recursive: true });

const css = sass.compile(join(page, "style.scss"), {
  loadPaths: [join(here, "node_modules")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(dist, "style.css"), css.css);

for (const f of ["index.html", "app.js", "form.js", "fields.js", "results.js", "charts.js", "analyses.js"]) {
  copyFileSync(join(page, f), join(dist, f));
}

const method = readFileSync(join(here, "..", "docs", "COSTING.md"), "utf8");
writeFileSync(
  join(dist, "method.html"),
  `<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head><meta charset="utf-8"><title>The costing method: adoptcost</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'self'; base-uri 'none'">
<link rel="stylesheet" href="style.css"></head>
<body class="govuk-template__body">
<div class="govuk-width-container"><main class="govuk-main-wrapper app-method" id="main">
<p class="govuk-body"><a class="govuk-back-link" href="./">Back to the calculator</a></p>
${marked.parse(method)}
</main></div></body></html>
`,
);

// Every file the page may need, for the service worker to cache.
const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (!/\.(d\.ts|txt)$/.test(f) && f !== "sw.js") files.push(relative(dist, p));
  }
};
walk(dist);
files.sort();
const hash = createHash("sha256");
for (const f of files) hash.update(f).update(readFileSync(join(dist, f)));
const version = `adoptcost-${hash.digest("hex").slice(0, 12)}`;
const sw = readFileSync(join(page, "sw.js"), "utf8")
  .replace("__VERSION__", version)
  .replace("__FILES__", JSON.stringify(["./", ...files]));
writeFileSync(join(dist, "sw.js"), sw);

const lines = files.concat("sw.js").map((f) => {
  const b = readFileSync(join(dist, f));
  return `${String(b.length).padStart(9)} ${String(gzipSync(b, { level: 9 }).length).padStart(9)}  ${f}`;
});
const report = `    bytes   gzipped  file\n${lines.join("\n")}\n`;
writeFileSync(join(dist, "sizes.txt"), report);
process.stdout.write(report);
