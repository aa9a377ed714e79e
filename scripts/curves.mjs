// Learning curves from `dnc train --json` logs, as one SVG: validation BPC
// (with the optimum) and the share of ask values right, against wall time, or
// against iterations with --x iterations (to compare levers whose runs saw
// different loads: the losses of a seeded run do not depend on its speed).
// A run resumed into a second log continues it: give the logs joined by '+'.
//
//   node scripts/curves.mjs --out docs/curves.svg [--x time|iterations] run1.jsonl=label1 run2a.jsonl+run2b.jsonl=label2 …
import { readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
if (outAt < 0 || args.length < 3) {
  console.error("usage: node scripts/curves.mjs --out FILE.svg LOG.jsonl=LABEL [LOG.jsonl=LABEL …]");
  process.exit(2);
}
const out = args[outAt + 1], xAt = args.indexOf("--x"), byIter = xAt >= 0 && args[xAt + 1] === "iterations";
if (xAt >= 0 && !["time", "iterations"].includes(args[xAt + 1])) { console.error("--x is time or iterations"); process.exit(2); }
const skip = new Set([outAt, outAt + 1, ...(xAt >= 0 ? [xAt, xAt + 1] : [])]);
const xOf = (e) => (byIter ? e.iter / 1000 : e.time / 60), xUnit = byIter ? "k it" : "min";
const runs = args.filter((_, i) => !skip.has(i)).map((a) => {
  const eq = a.indexOf("="), files = (eq < 0 ? a : a.slice(0, eq)).split("+"), label = eq < 0 ? a : a.slice(eq + 1);
  const evals = files.flatMap((f) => readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)))
    .filter((e) => e.type === "eval" && e.time !== undefined);
  return {
    label, optimal: evals[0]?.optimalBpc ?? null,
    // the built-in corpus's one-stream BPC (the canonical value; the 16-stream one restarts every segment from zero)
    bpc: evals.map((e) => [xOf(e), e.breakdown ? e.breakdown.bpc : e.valBpc]),
    values: evals.filter((e) => e.breakdown).map((e) => [xOf(e), 100 * e.breakdown.parts.find((p) => p.part === "ask values").accuracy]),
  };
});
if (runs.every((r) => r.bpc.length === 0)) { console.error("no evaluation lines with a time in these logs (dnc train --json)"); process.exit(2); }

const COLORS = ["#2455c3", "#d4462a", "#2a9d58", "#8e44ad", "#e08e0b", "#555", "#17a2b8", "#c2185b", "#8d6e63", "#000"];
const W = 900, PH = 260, PAD = { l: 56, r: 16, t: 28, b: 34 }, GAP = 40;
const maxT = Math.max(...runs.flatMap((r) => r.bpc.map((p) => p[0])));
const allBpc = runs.flatMap((r) => r.bpc.map((p) => p[1])).filter(Number.isFinite);
const opt = runs.find((r) => r.optimal !== null)?.optimal ?? null;
const yLo = Math.floor(Math.min(opt ?? Infinity, ...allBpc) * 10) / 10, yHi = Math.min(Math.ceil(Math.max(...allBpc) * 10) / 10, yLo + 2.5);

function panel(y0, title, lo, hi, series, unit, ref) {
  const X = (t) => PAD.l + (t / maxT) * (W - PAD.l - PAD.r), Y = (v) => y0 + PAD.t + (1 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (PH - PAD.t - PAD.b);
  let s = `<text x="${PAD.l}" y="${y0 + 16}" font-size="13" font-weight="600">${title}</text>\n`;
  for (let k = 0; k <= 4; k++) {
    const v = lo + (k / 4) * (hi - lo);
    s += `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${Y(v)}" y2="${Y(v)}" stroke="#e1e4e8"/><text x="${PAD.l - 6}" y="${Y(v) + 4}" font-size="11" text-anchor="end">${v.toFixed(unit === "%" ? 0 : 2)}${unit}</text>\n`;
  }
  for (let k = 0; k <= 6; k++) {
    const t = (k / 6) * maxT;
    s += `<text x="${X(t)}" y="${y0 + PH - 12}" font-size="11" text-anchor="${k === 6 ? "end" : "middle"}">${t.toFixed(byIter && maxT < 12 ? 1 : 0)} ${xUnit}</text>\n`;
  }
  if (ref) s += `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${Y(ref.v)}" y2="${Y(ref.v)}" stroke="#2a9d58" stroke-dasharray="6 4"/><text x="${W - PAD.r}" y="${Y(ref.v) - 4}" font-size="11" text-anchor="end" fill="#2a9d58">${ref.label}</text>\n`;
  series.forEach((pts, i) => {
    if (!pts.length) return;
    s += `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.8" points="${pts.map(([t, v]) => `${X(t).toFixed(1)},${Y(v).toFixed(1)}`).join(" ")}"/>\n`;
  });
  return s;
}

let body = panel(0, "validation BPC (one stream from a zero state)", yLo, yHi, runs.map((r) => r.bpc), "", opt !== null ? { v: opt, label: `optimum ${opt.toFixed(4)}` } : null);
body += panel(PH + GAP, "ask values predicted right (one stream from a zero state)", 0, 100, runs.map((r) => r.values), "%", { v: 10, label: "chance 10%" });
const legendY = 2 * PH + GAP + 14;
runs.forEach((r, i) => {
  body += `<rect x="${PAD.l + (i % 3) * 290}" y="${legendY + Math.floor(i / 3) * 18 - 9}" width="14" height="4" fill="${COLORS[i % COLORS.length]}"/>` +
    `<text x="${PAD.l + (i % 3) * 290 + 20}" y="${legendY + Math.floor(i / 3) * 18 - 4}" font-size="12">${r.label.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text>\n`;
});
const H = legendY + Math.ceil(runs.length / 3) * 18 + 6;
writeFileSync(out, `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" fill="#1c2330">\n` +
  `<rect width="100%" height="100%" fill="#fff"/>\n${body}</svg>\n`);
console.log(`wrote ${out}: ${runs.length} runs, up to ${maxT.toFixed(1)} ${xUnit}`);
