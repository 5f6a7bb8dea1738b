// The page's charts. Each is drawn at the width of the box it sits in, in CSS pixels, with its
// text at the size of the words around it: an SVG drawn once and scaled to fit its column
// shrinks its text with it, to a third of the body size on a phone. A chart is a function of
// the width and the text size; its box keeps that function, and is drawn again when its width
// or the page's text size changes (a window resized, a phone turned, the results' own view).
// Every chart keeps a table of its figures beside it; the values drawn here are for drawing
// only, and the words on the chart are the library's own rounded text.

import { esc } from "./form.js";

const draws = new Map(); // box id -> (width, font size) => SVG
const drawn = new Map(); // box id -> [width, font size] it was last drawn at
let seen = [640, 19]; // the last box measured: the first guess for a box not yet measured

/**
 * A text's width in pixels at `fs`, from each character's width in ems by its kind: a little
 * more than the widest system font's, so that a label measured with it fits.
 */
function textWidth(s, fs) {
  let ems = 0;
  for (const c of String(s)) ems += c === " " ? 0.34 : /[A-Z]/.test(c) ? 0.8 : /[0-9£−]/.test(c) ? 0.65 : 0.58;
  return ems * fs;
}
const num = Number.parseFloat; // for drawing only

/**
 * A chart's box, with its SVG drawn at the width the box had when it was last measured; the
 * page calls `fitCharts` once the box is in place.
 */
export function chartBox(id, draw) {
  draws.set(id, draw);
  const [w, fs] = drawn.get(id) ?? seen;
  drawn.set(id, [w, fs]);
  return `<div class="app-chart-box" id="${id}">${draw(w, fs)}</div>`;
}

/**
 * Takes `width` as the first guess for a chart not yet drawn, so that the first frame draws it
 * once; a wrong guess costs only a second drawing.
 */
export function expectCharts(width) {
  seen = [Math.floor(width), seen[1]];
}

/** Draws again each chart under `root` whose box is not the width or text size it was drawn at. */
export function fitCharts(root) {
  for (const box of root.querySelectorAll(".app-chart-box")) {
    const w = Math.floor(box.clientWidth);
    const draw = draws.get(box.id);
    if (!w || !draw) continue; // hidden, or not a chart this page drew
    const fs = num(getComputedStyle(box).fontSize);
    seen = [w, fs];
    const [dw, dfs] = drawn.get(box.id) ?? [];
    if (dw === w && dfs === fs) continue;
    drawn.set(box.id, [w, fs]);
    box.innerHTML = draw(w, fs);
  }
}

/** `text` in lines no wider than `width` pixels, broken between words. */
function wrap(text, width, fs) {
  const lines = [];
  for (const word of String(text).split(" ")) {
    const last = lines.length - 1;
    if (last >= 0 && textWidth(`${lines[last]} ${word}`, fs) <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Round steps over [lo, hi], at most `most` of them, each 1, 2 or 5 × a power of ten. */
function steps(lo, hi, most) {
  const raw = (hi - lo) / Math.max(1, most) || 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Pounds in short, for a scale: £500, −£5k, £12.5k. */
const short = (v) => {
  const a = Math.abs(v);
  return `${v < 0 ? "−" : ""}£${a >= 1000 ? `${(a / 1000).toLocaleString("en-GB", { maximumFractionDigits: 1 })}k` : a.toLocaleString("en-GB")}`;
};

const svg = (W, H, titleId, title, body) =>
  `<svg class="app-chart" viewBox="0 0 ${W} ${H.toFixed(0)}" width="${W}" height="${H.toFixed(0)}" role="img" aria-labelledby="${titleId}"><title id="${titleId}">${esc(title)}</title>${body}</svg>`;

const text = (x, y, s, anchor = "start") =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${anchor === "start" ? "" : ` text-anchor="${anchor}"`}>${esc(s)}</text>`;

/** Lines of one text from `y` down, one `lh` apart. */
const lines = (x, y, ls, lh, anchor = "start") =>
  `<text${anchor === "start" ? "" : ` text-anchor="${anchor}"`}>${ls
    .map((l, i) => `<tspan x="${x.toFixed(1)}" y="${(y + i * lh).toFixed(1)}">${esc(l)}</tspan>`)
    .join("")}</text>`;

/** A £ scale along `y` from x(lo) to x(hi), its steps spaced so their labels never meet. */
function poundScale(lo, hi, x, y, width, fs) {
  const label = Math.max(textWidth(short(lo), fs), textWidth(short(hi), fs));
  const fit = steps(lo, hi, Math.max(1, Math.floor(width / (label + fs))));
  // Too narrow for two round steps: the scale's two ends, to a tenth of a thousand.
  const values = fit.length >= 2 ? fit : [lo, hi].map((v) => (Math.abs(v) >= 1000 ? Math.round(v / 100) * 100 : Math.round(v)));
  return `<line x1="${x(lo).toFixed(1)}" x2="${x(hi).toFixed(1)}" y1="${y}" y2="${y}" stroke="#505a5f"></line>${values
    .map((v) => `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${y}" y2="${y + 5}" stroke="#505a5f"></line>${text(x(v), y + 5 + fs, short(v), "middle")}`)
    .join("")}`;
}

/**
 * The segments' colours, dark and light in turn so that any two side by side differ in
 * contrast by at least 3:1 (WCAG's for parts of a graphic), from the GOV.UK palette.
 */
export const SEGMENTS = ["#003078", "#ffdd00", "#4c2c92", "#5694ca", "#0b0c0c", "#f499be", "#912b88"];

/**
 * Bars, one a row under its label: the full in-house cost in its categories' segments, then
 * the net fee and the marginal cost, with the fee marked across each bar.
 * `rows`: `[{ label, v, parts? }]`, `parts`: `[{ name, v, title }]` in `SEGMENTS`' order.
 */
export function barRows(titleId, title, rows, fee) {
  return (W, fs) => {
    const lh = Math.round(fs * 1.25), barH = Math.round(fs * 1.5), gap = Math.round(fs * 0.9);
    const max = Math.max(...rows.map((r) => r.v), fee, 1);
    const len = (v) => (Math.max(0, v) / max) * (W - 2);
    let y = 0;
    let body = "";
    for (const r of rows) {
      const ls = wrap(r.label, W, fs);
      body += lines(0, y + fs, ls, lh);
      y += ls.length * lh + 4;
      let x = 1;
      if (r.parts) {
        for (const [i, p] of r.parts.entries()) {
          const w = len(p.v);
          if (w > 0) body += `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${SEGMENTS[i]}" stroke="#ffffff" stroke-width="1" data-segment="${i}"><title>${esc(p.title)}</title></rect>`;
          x += w;
        }
      } else {
        body += `<rect x="1" y="${y}" width="${len(r.v).toFixed(1)}" height="${barH}" fill="${r.fill}"></rect>`;
      }
      // An outline, so that a light bar or segment stands apart from the page.
      body += `<rect x="1" y="${y}" width="${len(r.v).toFixed(1)}" height="${barH}" fill="none" stroke="#0b0c0c" stroke-width="1"></rect>`;
      const fx = (1 + len(fee)).toFixed(1);
      body += `<line x1="${fx}" x2="${fx}" y1="${y - 3}" y2="${y + barH + 3}" stroke="#00703c" stroke-width="3" stroke-dasharray="5 3"></line>`;
      y += barH + gap;
    }
    return svg(W, y - gap + 4, titleId, title, body);
  };
}

/**
 * Lines against a numeric x: `series` `[{ name, colour, ys }]` over `xs`, labelled at their
 * right-hand ends; `yLabels` `[{ v, text }]` on the left; an optional `dot` `{ x, y, colour, title }`
 * and `mark` `{ x, y?, text }` (a dashed line with its words, and a dot where it meets a series).
 */
export function lineChart(titleId, title, { xs, xLabels, xTitle, series, yLabels, dot, mark }) {
  return (W, fs) => {
    const lh = Math.round(fs * 1.25);
    const L = Math.min(W * 0.4, Math.max(...yLabels.map((l) => textWidth(l.text, fs))) + 10);
    const titled = wrap(xTitle, W, fs);
    const R = 6, T = mark ? 2 * lh + 4 : lh, B = (1 + titled.length) * lh + 14;
    const H = Math.round(Math.min(340, Math.max(240, W * 0.6)));
    const all = series.flatMap((s) => s.ys).concat(yLabels.map((l) => l.v));
    const lo = Math.min(0, ...all), hi = Math.max(...all) * 1.05 || 1;
    const maxX = Math.max(...xs, mark?.x ?? 0) || 1;
    const x = (v) => L + (v / maxX) * (W - L - R);
    const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
    // Tick labels spaced so that they never meet: every k-th, k as small as fits.
    const widest = Math.max(...xLabels.map((s) => textWidth(s, fs))) + fs;
    const every = Math.max(1, Math.ceil(widest / ((W - L - R) / Math.max(1, xs.length - 1))));
    const ticks = xs
      .map((v, i) => (i % every === 0 ? `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${H - B}" y2="${H - B + 5}" stroke="#0b0c0c"></line>${text(x(v), H - B + 5 + fs, xLabels[i], "middle")}` : ""))
      .join("");
    const poly = series
      .map((s) => `<polyline points="${xs.map((v, i) => `${x(v).toFixed(1)},${y(s.ys[i]).toFixed(1)}`).join(" ")}" fill="none" stroke="${s.colour}" stroke-width="3"></polyline>`)
      .join("");
    // Each series named at its right-hand end, under its line; the higher above its line
    // instead where the two ends are too close for a name between them.
    const ends = series.map((s) => ({ s, at: y(s.ys[s.ys.length - 1]) })).sort((a, b) => a.at - b.at);
    const names = ends
      .map((e, i) => {
        const above = i === 0 && ends.length > 1 && ends[1].at - e.at < 1.6 * lh;
        return text(W - R, above ? Math.max(T + fs, e.at - 8) : e.at + fs + 4, e.s.name, "end");
      })
      .join("");
    const left = yLabels.map((l) => text(L - 6, y(l.v) + fs * 0.35, l.text, "end")).join("");
    let marked = "";
    if (mark) {
      const mx = x(mark.x);
      const w = textWidth(mark.text, fs);
      const right = mx + 8 + w <= W - R;
      marked = `<line x1="${mx.toFixed(1)}" x2="${mx.toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#d4351c" stroke-width="2" stroke-dasharray="6 4"></line>${
        mark.y === undefined ? "" : `<circle cx="${mx.toFixed(1)}" cy="${y(mark.y).toFixed(1)}" r="6" fill="#d4351c"></circle>`
      }${text(right ? mx + 8 : Math.max(w, mx - 8), T - lh, mark.text, right ? "start" : "end")}`;
    }
    const dotted = dot ? `<circle cx="${x(dot.x).toFixed(1)}" cy="${y(dot.y).toFixed(1)}" r="6" fill="${dot.colour}"><title>${esc(dot.title)}</title></circle>` : "";
    return svg(W, H, titleId, title, `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#0b0c0c"></line>
      <line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#0b0c0c"></line>${ticks}
      ${lines(W / 2, H - B + 5 + fs + lh + 4, titled, lh, "middle")}${left}${poly}${names}${dotted}${marked}`);
  };
}

/**
 * The tornado: for each row a bar from the base difference to the difference with the input at
 * its low value and one to its high, largest swing first, with a £ scale and a key. Where the
 * chart is wide enough the labels sit to the left of their bars; on a narrow screen, above them.
 * `rows`: `[{ label, low, high, lowTitle, highTitle }]`.
 */
export function tornadoChart(titleId, title, rows, base, baseText) {
  return (W, fs) => {
    const lh = Math.round(fs * 1.25), bar = Math.round(fs * 1.1);
    const beside = W >= 560;
    const L = beside ? Math.round(W * 0.4) : 0;
    const R = 10, T = lh + 10;
    const labels = rows.map((r) => wrap(r.label, beside ? L - 12 : W, fs));
    const heights = labels.map((ls) => (beside ? Math.max(bar, ls.length * lh) : ls.length * lh + bar + 4) + 10);
    const tops = heights.map((_, i) => T + heights.slice(0, i).reduce((a, b) => a + b, 0));
    const plotted = T + heights.reduce((a, b) => a + b, 0);
    const vals = rows.flatMap((r) => [r.low, r.high]).concat(base);
    const lo = Math.min(...vals), hi = Math.max(...vals);
    const span = hi - lo || 1;
    const pad = Math.max(textWidth(short(lo), fs), textWidth(short(hi), fs)) / 2;
    const x = (v) => L + pad + ((v - lo) / span) * (W - L - R - 2 * pad);
    const bx = x(base);
    const bars = rows
      .map((r, i) => {
        const top = tops[i];
        const y = beside ? top + (heights[i] - 10 - bar) / 2 : top + labels[i].length * lh + 4;
        const seg = (v, fill, t) => {
          const a = Math.min(bx, x(v)), b = Math.max(bx, x(v));
          return `<rect x="${a.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, b - a).toFixed(1)}" height="${bar}" fill="${fill}"><title>${esc(t)}</title></rect>`;
        };
        const words = beside ? lines(L - 12, top + fs, labels[i], lh, "end") : lines(0, top + fs, labels[i], lh);
        // Under the labels of a narrow chart, the base line only where the bars are.
        const through = beside ? "" : `<line x1="${bx.toFixed(1)}" x2="${bx.toFixed(1)}" y1="${(y - 4).toFixed(1)}" y2="${(y + bar + 4).toFixed(1)}" stroke="#0b0c0c" stroke-width="2"></line>`;
        return `${words}${seg(r.low, "#1d70b8", r.lowTitle)}${seg(r.high, "#f47738", r.highTitle)}${through}`;
      })
      .join("");
    const baseWords = `as worked out: ${baseText}`;
    const bw = textWidth(baseWords, fs);
    const baseAt = Math.min(Math.max(bx, bw / 2), W - bw / 2);
    // The key, its two entries side by side where they fit, else one under the other.
    const keyY = plotted + 2 * lh + 16;
    const one = "input at its low value";
    const oneWide = textWidth(one, fs) + fs * 2.5;
    const sideBySide = L + oneWide * 2 <= W;
    const k2x = sideBySide ? L + oneWide : L;
    const k2y = sideBySide ? keyY : keyY + lh;
    const key = `<rect x="${L}" y="${keyY - fs * 0.8}" width="${fs * 0.8}" height="${fs * 0.8}" fill="#1d70b8"></rect>${text(L + fs * 1.2, keyY, one)}
      <rect x="${k2x}" y="${k2y - fs * 0.8}" width="${fs * 0.8}" height="${fs * 0.8}" fill="#f47738"></rect>${text(k2x + fs * 1.2, k2y, "input at its high value")}`;
    const baseLine = beside ? `<line x1="${bx.toFixed(1)}" x2="${bx.toFixed(1)}" y1="${T - 6}" y2="${plotted}" stroke="#0b0c0c" stroke-width="2"></line>` : "";
    return svg(W, k2y + 8, titleId, title, `${baseLine}
      ${text(baseAt, T - 10, baseWords, "middle")}${bars}${poundScale(lo, hi, x, plotted + 4, W - L - R - 2 * pad, fs)}${key}`);
  };
}

/**
 * Columns of counts over ranges of pounds, with a £ scale and, where the ranges cross zero, a
 * line at £0. `bins`: `[{ from, to, count, title }]`.
 */
export function histogramChart(titleId, title, bins, xTitle) {
  return (W, fs) => {
    const lh = Math.round(fs * 1.25);
    const most = Math.max(...bins.map((b) => b.count), 1);
    const lo = bins[0].from, hi = bins[bins.length - 1].to;
    const span = hi - lo || 1;
    const pad = Math.max(textWidth(short(lo), fs), textWidth(short(hi), fs)) / 2;
    const L = pad, R = pad + 4, T = lh + 8;
    const H = Math.round(Math.min(320, Math.max(220, W * 0.5)));
    const titled = wrap(xTitle, W, fs);
    const B = (1 + titled.length) * lh + 16;
    const x = (v) => L + ((v - lo) / span) * (W - L - R);
    const y = (n) => T + (1 - n / most) * (H - T - B);
    const cols = bins
      .map((b) => {
        const x0 = x(b.from), x1 = x(b.to);
        return `<rect x="${x0.toFixed(1)}" y="${y(b.count).toFixed(1)}" width="${Math.max(1, x1 - x0 - 1).toFixed(1)}" height="${(H - B - y(b.count)).toFixed(1)}" fill="#1d70b8"><title>${esc(b.title)}</title></rect>`;
      })
      .join("");
    const zero = lo < 0 && hi > 0
      ? `<line x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#d4351c" stroke-width="2" stroke-dasharray="6 4"></line>`
      : "";
    return svg(W, H, titleId, title, `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#0b0c0c"></line>
      ${cols}${zero}${poundScale(lo, hi, x, H - B, W - L - R, fs)}
      ${lines(W / 2, H - B + 5 + fs + lh + 4, titled, lh, "middle")}
      <line x1="${L}" x2="${W - R}" y1="${T}" y2="${T}" stroke="#b1b4b6" stroke-dasharray="2 3"></line>${text(L, T - 6, `${most} draws`)}`);
  };
}

/**
 * One bar a row for each agency, lowest first, with the median marked and a £ scale; flagged
 * figures in red. `rows`: `[{ code, v, flagged, title }]`, sorted.
 */
export function rankChart(titleId, title, rows, median, medianText) {
  return (W, fs) => {
    const lh = Math.round(fs * 1.25), bar = Math.round(fs * 1.1);
    const L = Math.min(W * 0.5, Math.max(...rows.map((r) => textWidth(r.code, fs))) + 10);
    const hi = Math.max(...rows.map((r) => r.v), median) * 1.05 || 1;
    const pad = textWidth(short(hi), fs) / 2;
    const R = pad + 4, T = lh + 10;
    const rowH = Math.max(bar, lh) + 6;
    const x = (v) => L + (Math.max(0, v) / hi) * (W - L - R);
    const plotted = T + rows.length * rowH;
    const bars = rows
      .map((r, k) => {
        const top = T + k * rowH;
        return `${text(L - 6, top + (rowH + fs * 0.7) / 2, r.code, "end")}<rect x="${L}" y="${(top + (rowH - bar) / 2).toFixed(1)}" width="${(x(r.v) - L).toFixed(1)}" height="${bar}" fill="${r.flagged ? "#d4351c" : "#1d70b8"}"><title>${esc(r.title)}</title></rect>`;
      })
      .join("");
    const mx = x(median);
    const words = `median ${medianText}`;
    const w = textWidth(words, fs);
    return svg(W, plotted + 4 + lh + 10, titleId, title, `<line x1="${L}" x2="${L}" y1="${T}" y2="${plotted}" stroke="#0b0c0c"></line>${bars}
      <line x1="${mx.toFixed(1)}" x2="${mx.toFixed(1)}" y1="${T - 4}" y2="${plotted}" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"></line>
      ${text(Math.min(Math.max(mx, L + w / 2), W - w / 2), T - 8, words, "middle")}${poundScale(0, hi / 1.05, x, plotted + 4, W - L - R, fs)}`);
  };
}
