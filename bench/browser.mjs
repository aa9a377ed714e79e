// npm run bench:browser — LSTM (128,32,25) training chars/s in headless
// chromium next to Node's, measured in interleaved blocks in one run, medians
// of several blocks. Wall clock for both, and CPU time: Node's own, and the
// chromium processes' (this process's descendants, from /proc; Linux only).
// With 5 warm-up steps the ratio swung from 0.6 to 1.3 between runs (Node alone
// from 62,000 to 92,000 chars/s); with 30 it stayed within 0.88–0.98 in six.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import * as lib from "../dist/internal.js";
import { builtinCorpus } from "../dist/internal.js";
import { textTrainer } from "./trainer.mjs";
import { openBrowser, serve, hasChromium } from "../tests/browser/page.mjs";
import { parseOptions } from "./options.mjs";

const args = parseOptions("npm run bench:browser [-- option …]   (node bench/browser.mjs [option …])",
  "LSTM (128,32,25) training in headless chromium beside Node, interleaved blocks.", {
    "--quick": "3 blocks instead of 7",
    "--json": "the figures as one JSON object",
  });

if (!hasChromium) { console.error("chromium not found (apt-get install chromium)"); process.exit(2); }
const alice = new URL("../../shared/data/alice29.txt", import.meta.url);
const text = existsSync(alice) ? readFileSync(alice, "utf8") : builtinCorpus().text;
const cfg = { model: "lstm", hidden: 128, batch: 32, seq: 25, optimizer: "adam", lr: 2e-3, clip: 5, seed: 1 };
const ROUNDS = args.has("--quick") ? 3 : 7, ITERS = 60;
const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** CPU seconds used so far by this process's descendants (chromium), or NaN where /proc is not readable. */
function childrenCpu() {
  try {
    const procs = [];
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const st = readFileSync(`/proc/${d}/stat`, "utf8"), f = st.slice(st.lastIndexOf(")") + 2).split(" ");
        procs.push({ pid: +d, ppid: +f[1], cpu: (+f[11] + +f[12]) / 100 }); // utime, stime in clock ticks (USER_HZ = 100)
      } catch { /* the process ended meanwhile */ }
    }
    const mine = new Set([process.pid]);
    for (let grew = true; grew;) {
      grew = false;
      for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) { mine.add(p.pid); grew = true; }
    }
    return procs.reduce((a, p) => a + (p.pid !== process.pid && mine.has(p.pid) ? p.cpu : 0), 0);
  } catch { return NaN; }
}
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

const { server, url } = await serve(true);
const browser = await openBrowser();
const page = await browser.newPage();
await page.goto(`${url}/web/`);
await page.evaluate(async ({ text, cfg }) => {
  const lib = await import("/dist/index.js");
  window.benchTrainer = await lib.Session.create(cfg, { data: lib.textData(text) });
  // enough steps that both engines have tiered the kernels up
  for (let i = 0; i < 30; i++) await window.benchTrainer.step();
}, { text, cfg });
const node = await textTrainer(lib, text, cfg);
for (let i = 0; i < 30; i++) await node.step();

const CHARS = ITERS * cfg.batch * cfg.seq;
const rates = { node: [], browser: [], nodeCpu: [], browserCpu: [] };
for (let r = 0; r < ROUNDS; r++) {
  let t = performance.now(), c = cpuNow();
  for (let i = 0; i < ITERS; i++) await node.step();
  rates.node.push(CHARS / ((performance.now() - t) / 1000));
  rates.nodeCpu.push(CHARS / (cpuNow() - c));
  c = childrenCpu();
  const ms = await page.evaluate(async (n) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await window.benchTrainer.step();
    return performance.now() - t0;
  }, ITERS);
  rates.browser.push(CHARS / (ms / 1000));
  rates.browserCpu.push(CHARS / (childrenCpu() - c));
}
const med = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(median(v))]));
const version = browser.version(), hasCpu = Number.isFinite(med.browserCpu);
const row = (name, wall, cpu) => `${name.padEnd(26)} ${String(wall).padStart(7)} wall ${hasCpu ? String(cpu).padStart(9) + " CPU" : ""}`;
console.log(`LSTM (128,32,25) training chars/s, one thread, ${ROUNDS} interleaved blocks of ${ITERS} iterations (medians)`);
console.log(row(`Node ${process.versions.node}`, med.node, med.nodeCpu));
console.log(row(`Chromium ${version}`, med.browser, med.browserCpu));
console.log(`browser/Node = ${(med.browser / med.node).toFixed(2)} wall` + (hasCpu ? `, ${(med.browserCpu / med.nodeCpu).toFixed(2)} CPU (all of chromium's processes: if anything, the page's own rate is higher)` : ""));
if (args.has("--json")) console.log(JSON.stringify({ ...med, ratio: med.browser / med.node, ratioCpu: med.browserCpu / med.nodeCpu, chromium: version }));
await browser.close();
server.close();
