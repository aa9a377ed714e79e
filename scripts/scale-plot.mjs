// The memory-scale benchmark as an SVG: chars/s and peak memory against the
// number of slots N (both axes logarithmic), dense DNC against SAM (exact
// scan, and with the LSH index when the benchmark ran it).
//
//   node bench/run.mjs --scale --json > scale.json && node scripts/scale-plot.mjs scale.json --out docs/scale.svg
import { readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2), outAt = args.indexOf("--out");
const file = args.find((a, i) => i !== outAt && i !== outAt + 1);
if (!file || outAt < 0) { console.error("usage: node scripts/scale-plot.mjs SCALE.json --out FILE.svg"); process.exit(2); }
const r = JSON.parse(readFileSync(file, "utf8"));
if (!Array.isArray(r.rows)) { console.error(`${file}: not the output of node bench/run.mjs --scale --json`); process.exit(2); }
const series = ["dnc", "sam", "sam-lsh", "sdnc", "sdnc-lsh"].filter((model) => r.rows.some((x) => x.model === model))
  .map((model) => ({ model, pts: r.rows.filter((x) => x.model === model && !x.skipped) }));
const COLOR = { dnc: "#d4462a", sam: "#2455c3", "sam-lsh": "#2a9d58", sdnc: "#8a3fb8", "sdnc-lsh": "#c08a12" };
const NAME = { dnc: "dense DNC", sam: `SAM, K=${r.sparse}, exact scan`, "sam-lsh": `SAM, K=${r.sparse}, LSH index`, sdnc: `SDNC, K=${r.sparse}, exact scan`, "sdnc-lsh": `SDNC, K=${r.sparse}, LSH index` };
const W = 900, PH = 280, PAD = { l: 70, r: 20, t: 30, b: 40 }, GAP = 30;
const Ns = r.rows.map((x) => x.N), nLo = Math.log2(Math.min(...Ns)), nHi = Math.log2(Math.max(...Ns));
const X = (N) => PAD.l + ((Math.log2(N) - nLo) / (nHi - nLo)) * (W - PAD.l - PAD.r);

function panel(y0, title, key, unit) {
  const vals = series.flatMap((s) => s.pts.map((p) => p[key]));
  const lo = Math.floor(Math.log10(Math.min(...vals))), hi = Math.ceil(Math.log10(Math.max(...vals)));
  const Y = (v) => y0 + PAD.t + (1 - (Math.log10(v) - lo) / (hi - lo)) * (PH - PAD.t - PAD.b);
  let s = `<text x="${PAD.l}" y="${y0 + 18}" font-size="13" font-weight="600">${title}</text>\n`;
  for (let e = lo; e <= hi; e++) {
    s += `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${Y(10 ** e)}" y2="${Y(10 ** e)}" stroke="#e1e4e8"/>` +
      `<text x="${PAD.l - 6}" y="${Y(10 ** e) + 4}" font-size="11" text-anchor="end">${(10 ** e).toLocaleString("en-US")}${unit}</text>\n`;
  }
  const anchor = (N) => (Math.log2(N) === nHi ? "end" : Math.log2(N) === nLo ? "start" : "middle");
  for (const N of [...new Set(Ns)]) s += `<text x="${X(N)}" y="${y0 + PH - 14}" font-size="11" text-anchor="${anchor(N)}">${N.toLocaleString("en-US")}</text>\n`;
  for (const { model, pts } of series) {
    if (!pts.length) continue;
    s += `<polyline fill="none" stroke="${COLOR[model]}" stroke-width="2" points="${pts.map((p) => `${X(p.N).toFixed(1)},${Y(p[key]).toFixed(1)}`).join(" ")}"/>\n`;
    for (const p of pts) s += `<circle cx="${X(p.N).toFixed(1)}" cy="${Y(p[key]).toFixed(1)}" r="3.5" fill="${COLOR[model]}"/>\n`;
  }
  // configurations that were not run (they would not fit) marked at the top
  // (one line each, so that neighbours' labels do not run into each other)
  r.rows.filter((x) => x.skipped && x.model === "dnc").forEach((x, k) => {
    s += `<text x="${X(x.N)}" y="${y0 + PAD.t + 10 + 12 * k}" font-size="10" text-anchor="${anchor(x.N)}" fill="${COLOR.dnc}">dense: ${x.skipped}</text>\n`;
  });
  return s;
}
let body = panel(0, "training speed (chars/s, one thread)", "charsPerSec", "");
body += panel(PH + GAP, "peak WebAssembly memory (MiB)", "peakMiB", "");
// the legend three to a row, then the axis and the configuration on a line of their own
const ly = 2 * PH + GAP + 12, PER_ROW = 3, COL = 260;
series.forEach(({ model }, i) => {
  const x = PAD.l + (i % PER_ROW) * COL, y = ly + Math.floor(i / PER_ROW) * 18;
  body += `<rect x="${x}" y="${y - 6}" width="14" height="4" fill="${COLOR[model]}"/><text x="${x + 20}" y="${y}" font-size="12">${NAME[model]}</text>\n`;
});
const cy = ly + Math.ceil(series.length / PER_ROW) * 18 + 4;
body += `<text x="${PAD.l}" y="${cy}" font-size="11">memory slots N (log scale); hidden ${r.hidden}, W=${r.wordSize}, R=${r.readHeads}, batch ${r.batch}, seq ${r.seq}</text>\n`;
const H = cy + 12;
writeFileSync(args[outAt + 1], `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" fill="#1c2330">\n<rect width="100%" height="100%" fill="#fff"/>\n${body}</svg>\n`);
console.log(`wrote ${args[outAt + 1]}: ${series.map((s) => `${s.model} ${s.pts.length} sizes`).join(", ")}`);
