// npm run bench:browser — LSTM (128,32,25) training chars/s in headless
// chromium next to Node's, measured in interleaved blocks in one run (wall
// clock for both; the machine is shared, so medians of several blocks).
import { existsSync, readFileSync } from "node:fs";
import { Corpus, Trainer, builtinCorpus } from "../dist/index.js";
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
const ROUNDS = args.has("--quick") ? 3 : 7, ITERS = 40;
const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const { server, url } = await serve(true);
const browser = await openBrowser();
const page = await browser.newPage();
await page.goto(`${url}/web/`);
await page.evaluate(async ({ text, cfg }) => {
  const lib = await import("/dist/index.js");
  window.benchTrainer = await lib.Trainer.create(new lib.Corpus(text), cfg);
  for (let i = 0; i < 5; i++) window.benchTrainer.step();
}, { text, cfg });
const node = await Trainer.create(new Corpus(text), cfg);
for (let i = 0; i < 5; i++) node.step();

const rates = { node: [], browser: [] };
for (let r = 0; r < ROUNDS; r++) {
  const t = performance.now();
  for (let i = 0; i < ITERS; i++) node.step();
  rates.node.push((ITERS * 32 * 25) / ((performance.now() - t) / 1000));
  const ms = await page.evaluate((n) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) window.benchTrainer.step();
    return performance.now() - t0;
  }, ITERS);
  rates.browser.push((ITERS * 32 * 25) / (ms / 1000));
}
const nodeMed = Math.round(median(rates.node)), browserMed = Math.round(median(rates.browser));
const version = browser.version();
console.log(`LSTM (128,32,25) training, one thread, ${ROUNDS} interleaved blocks of ${ITERS} iterations (wall clock, medians)`);
console.log(`Node ${process.versions.node}:        ${nodeMed} chars/s`);
console.log(`Chromium ${version}: ${browserMed} chars/s   (browser/Node = ${(browserMed / nodeMed).toFixed(2)})`);
if (args.has("--json")) console.log(JSON.stringify({ node: nodeMed, browser: browserMed, ratio: browserMed / nodeMed, chromium: version }));
await browser.close();
server.close();
