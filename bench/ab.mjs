// Compare this build's training throughput with another build's, interleaved in
// one process (the only comparison that survives a shared, noisy host):
//
//   git worktree add ../base <commit> && (cd ../base && npm ci)   # builds ../base/dist
//   node bench/ab.mjs ../base/dist [lstm|lstm512|dnc|dnc64|sam1k|sdnc1k|sdnc16k] [rounds] [warm-up seconds]
//
// Prints the median CPU-time-based chars/s of each and the ratio (this / other).
import { readFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { textTrainer } from "./trainer.mjs";

const [other, model = "dnc", rounds = "7", warm = "1"] = process.argv.slice(2);
const CONFIGS = {
  lstm: { model: "lstm", hidden: 128, batch: 32, seq: 25, iters: 30 },
  lstm512: { model: "lstm", hidden: 512, batch: 64, seq: 50, iters: 2 },
  dnc: { model: "dnc", hidden: 128, batch: 32, seq: 25, memorySlots: 64, wordSize: 32, readHeads: 4, iters: 4 },
  dnc64: { model: "dnc", hidden: 64, batch: 16, seq: 25, memorySlots: 16, wordSize: 16, readHeads: 4, iters: 16 },
  // the scale benchmark's sparse shapes, trained on text (their memories written by training)
  sam1k: { model: "sam", hidden: 64, batch: 16, seq: 50, memorySlots: 1024, wordSize: 32, readHeads: 4, sparse: 8, iters: 8 },
  sdnc1k: { model: "sdnc", hidden: 64, batch: 16, seq: 50, memorySlots: 1024, wordSize: 32, readHeads: 4, sparse: 8, iters: 4 },
  sdnc16k: { model: "sdnc", hidden: 64, batch: 16, seq: 50, memorySlots: 16384, wordSize: 32, readHeads: 4, sparse: 8, iters: 2 },
};
if (!other || !existsSync(resolve(other, "index.js"))) {
  console.error(`usage: node bench/ab.mjs <other build's dist directory> [${Object.keys(CONFIGS).join("|")}] [rounds] [warm-up seconds]`);
  process.exit(2);
}
const cfg = CONFIGS[model];
if (!cfg) { console.error(`unknown configuration ${model}: one of ${Object.keys(CONFIGS).join(", ")}`); process.exit(2); }
const alice = new URL("../../shared/data/alice29.txt", import.meta.url);
const builds = [pathToFileURL(resolve(other, "index.js")).href, new URL("../dist/index.js", import.meta.url).href];
const trainers = [];
for (const url of builds) {
  const lib = await import(url);
  const text = existsSync(alice) ? readFileSync(alice, "utf8") : lib.builtinCorpus().text;
  const { iters, ...c } = cfg;
  const tr = await textTrainer(lib, text, { ...c, optimizer: "adam", lr: 2e-3, clip: 5, seed: 1 });
  // `warm` seconds of steps first (default 1), so that neither build is timed before V8 has tiered its kernels up
  // (or, given more, before a sparse memory is full: an empty one is cheaper to scan)
  for (const t0 = performance.now(); performance.now() - t0 < +warm * 1000;) await tr.step();
  trainers.push(tr);
}
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const rates = [[], []];
for (let r = 0; r < +rounds; r++) {
  for (let i = 0; i < 2; i++) {
    const t = cpu();
    for (let j = 0; j < cfg.iters; j++) await trainers[i].step();
    rates[i].push((cfg.iters * cfg.batch * cfg.seq) / (cpu() - t));
  }
}
const [a, b] = rates.map(median);
console.log(`${model}: other ${Math.round(a)} chars/s, this ${Math.round(b)} chars/s, this/other ${(b / a).toFixed(3)} (medians of ${rounds} interleaved blocks, CPU time)`);
