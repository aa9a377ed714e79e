// npm run bench [-- --quick] [-- --json] [-- --compare] [-- --profile] [-- --scale] [-- --scan]
// 0. Two threads (this one and a worker) against one: LSTM (256,32,50) and
//    (128,32,25), DNC (128,64,32,4,32,25), in a fresh process.
// 1. Training throughput (chars/s) for RNN and LSTM at the issue's shapes,
//    single thread, measured in interleaved blocks: wall-clock and CPU-time
//    based figures, medians (the machine is shared and noisy).
//    The DNC at (hidden, N, W, R, batch, seq) = (64,16,16,4,16,25) and
//    (128,64,32,4,32,25), with the share of time in memory ops vs the rest.
// 2. GFLOP/s of the matrix-product kernels at the shapes those models run,
//    with benchmark.js.
// 3. Sampling speed (one stream: matrix-vector products) for LSTM H=128, H=512
//    and the DNC (128, 64, 32, 4).
// 4. --compare: TensorFlow.js (wasm SIMD backend, one thread) training the
//    same LSTM on the same corpus, in blocks interleaved with ours.
// --profile: per-kernel share of the training step for each configuration.
import { existsSync, readFileSync } from "node:fs";
import Benchmark from "benchmark";
import { parseOptions } from "./options.mjs";
import * as lib from "../dist/internal.js";
import { Backend, Corpus, Batcher, Rng, builtinCorpus, ld, createModel, sampleIds } from "../dist/internal.js";
import { textTrainer } from "./trainer.mjs";

const args = parseOptions("npm run bench [-- option …]   (node bench/run.mjs [option …])",
  "Training, product-kernel and sampling throughput, one thread and two; several minutes.", {
    "--quick": "fewer and shorter blocks: a rougher figure, sooner",
    "--json": "one JSON object with every figure instead of the tables",
    "--compare": "also train TensorFlow.js (wasm SIMD backend) on the same configurations, interleaved",
    "--profile": "per-kernel share of the training step for each configuration",
    "--scale": "only the memory-scale benchmark: dense DNC against sparse access memory, N from 64 to 65,536 (bench/scale.mjs)",
    "--scan": "only the exact scan with and without its 16-bit bound: the kernel on random rows, then SAM and the SDNC on trained memories (bench/scan.mjs)",
  });
if (args.has("--scan")) {
  const { scanBench } = await import("./scan.mjs");
  await scanBench({ quick: args.has("--quick"), asJson: args.has("--json") });
  process.exit(0);
}
if (args.has("--scale")) {
  const { scaleBench } = await import("./scale.mjs");
  await scaleBench({ quick: args.has("--quick"), asJson: args.has("--json") });
  process.exit(0);
}
const quick = args.has("--quick"), asJson = args.has("--json"), profile = args.has("--profile"), compare = args.has("--compare");
const ROUNDS = quick ? 3 : 7, BLOCK_S = quick ? 0.25 : 0.6;
const alice = new URL("../../shared/data/alice29.txt", import.meta.url);
const text = existsSync(alice) ? readFileSync(alice, "utf8") : builtinCorpus().text;
const corpusName = existsSync(alice) ? "alice29.txt" : "built-in corpus";
const corpus = new Corpus(text);

const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const log = (s) => { if (!asJson) process.stdout.write(s); };

// ---- 0. two threads against one (data-parallel over the batch, worker_threads) ----
// (measured first, before the other configurations fill this process; the figure
// swings with the shared host's load, so compare it across a few runs)
const { spawnNodeWorker } = await import("../dist/cli/threads.js");
const threadRows = [];
const label = (c) => c.model === "dnc" ? `(${c.hidden},${c.memorySlots},${c.wordSize},${c.readHeads},${c.batch},${c.seq})` : `(${c.hidden},${c.batch},${c.seq})`;
log("\ntwo threads (this one and a worker) against one, interleaved blocks (wall clock: both cores are in use)\n");
const DNC_MEM = { memorySlots: 64, wordSize: 32, readHeads: 4 };
for (const [model, hidden, batch, seq] of [["lstm", 256, 32, 50], ["lstm", 128, 32, 25], ["dnc", 128, 32, 25]]) {
  const cfg = { model, hidden, batch, seq, optimizer: "adam", lr: 2e-3, clip: 5, seed: 1, ...(model === "dnc" ? DNC_MEM : {}) };
  const one = await textTrainer(lib, corpus.text, cfg), two = await textTrainer(lib, corpus.text, cfg, { threads: 2, spawn: spawnNodeWorker });
  // warm-up: half a second of steps each, so that no block is timed before V8 tiers the kernels up
  for (const t0 = performance.now(); performance.now() - t0 < 500;) await one.step();
  for (const t0 = performance.now(); performance.now() - t0 < 500;) await two.step();
  const iters = model === "dnc" ? 4 : hidden > 128 ? 6 : 25, r1 = [], r2 = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    for (let i = 0; i < iters; i++) await one.step();
    r1.push((iters * batch * seq) / ((performance.now() - t) / 1000));
    t = performance.now();
    for (let i = 0; i < iters; i++) await two.step();
    r2.push((iters * batch * seq) / ((performance.now() - t) / 1000));
  }
  one.close(); two.close();
  const row = { ...cfg, oneThread: Math.round(median(r1)), twoThreads: Math.round(median(r2)) };
  row.speedup = +(row.twoThreads / row.oneThread).toFixed(2);
  threadRows.push(row);
  log(`${model.padEnd(4)} ${label(row).padEnd(22)} 1 thread ${row.oneThread} chars/s   2 threads ${row.twoThreads} chars/s   ${row.speedup}×\n`);
}

// ---- 1. training throughput ----
const SHAPES = [[32, 16, 25], [128, 32, 25], [256, 32, 50], [512, 64, 50]];
const DNC_SHAPES = [[64, 16, 16, 4, 16, 25], [128, 64, 32, 4, 32, 25]];
const configs = [];
for (const model of ["rnn", "lstm"]) for (const [hidden, batch, seq] of SHAPES) configs.push({ model, hidden, batch, seq });
for (const [hidden, memorySlots, wordSize, readHeads, batch, seq] of DNC_SHAPES) {
  configs.push({ model: "dnc", hidden, batch, seq, memorySlots, wordSize, readHeads });
}
const runs = [];
for (const cfg of configs) {
  {
    const { model, hidden, batch, seq } = cfg;
    const tr = await textTrainer(lib, corpus.text, { ...cfg, optimizer: "adam", lr: 2e-3, clip: 5, seed: 1 });
    // warm up (JIT, caches) and size a block to about BLOCK_S seconds
    let t = performance.now(), n = 0;
    while (performance.now() - t < 300 || n < 3) { await tr.step(); n++; }
    const perIter = (performance.now() - t) / 1000 / n;
    runs.push({ cfg, model, hidden, batch, seq, tr, iters: Math.max(2, Math.round(BLOCK_S / perIter)), wall: [], cpu: [] });
  }
}
log(`training throughput on ${corpusName} (V=${corpus.V}), one thread, ${ROUNDS} interleaved rounds\n`);
for (let r = 0; r < ROUNDS; r++) {
  for (const run of runs) {
    const c0 = cpuNow(), w0 = performance.now();
    for (let i = 0; i < run.iters; i++) await run.tr.step();
    const wall = (performance.now() - w0) / 1000, cpu = cpuNow() - c0;
    const chars = run.iters * run.batch * run.seq;
    run.wall.push(chars / wall); run.cpu.push(chars / cpu);
  }
  log(".");
}
log("\n");
// where the time goes: per-kernel timers on a separate few iterations (the timers cost ~0.1 µs a call)
for (const r of runs) {
  if (r.model !== "dnc" && !profile) continue;
  const table = r.tr.model.be.profile();
  for (let i = 0; i < Math.max(2, Math.round(r.iters / 2)); i++) await r.tr.step();
  const rows = [...table.entries()].filter(([, x]) => x.calls).sort((a, b) => b[1].ms - a[1].ms);
  const sum = rows.reduce((a, [, x]) => a + x.ms, 0);
  r.memoryShare = rows.filter(([k]) => k.startsWith("dnc_")).reduce((a, [, x]) => a + x.ms, 0) / sum;
  r.kernels = rows.map(([k, x]) => ({ kernel: k, share: +(x.ms / sum).toFixed(4), ...(x.flops ? { gflops: +(x.flops / x.ms / 1e6).toFixed(1) } : {}) }));
  const gf = rows.filter(([k]) => k.startsWith("gemm_"));
  r.productGflops = +(gf.reduce((a, [, x]) => a + x.flops, 0) / gf.reduce((a, [, x]) => a + x.ms, 0) / 1e6).toFixed(1);
}
const table = runs.map((r) => ({ ...r.cfg,
  charsPerSecWall: Math.round(median(r.wall)), charsPerSecCpu: Math.round(median(r.cpu)),
  ...(r.memoryShare !== undefined ? { memoryShare: +r.memoryShare.toFixed(3) } : {}), ...(profile ? { kernels: r.kernels, productGflops: r.productGflops } : {}) }));
log(`${"model".padEnd(6)} ${"config".padEnd(22)} ${"chars/s wall".padStart(13)} ${"chars/s CPU".padStart(13)}\n`);
for (const r of table) {
  const extra = r.model === "dnc" && r.memoryShare !== undefined ? `   memory ops ${(100 * r.memoryShare).toFixed(0)}% of kernel time` : "";
  log(`${r.model.padEnd(6)} ${label(r).padEnd(22)} ${String(r.charsPerSecWall).padStart(13)} ${String(r.charsPerSecCpu).padStart(13)}${extra}\n`);
}
if (profile) {
  for (const r of table) {
    log(`\nprofile ${r.model} ${label(r)}, products average ${r.productGflops} GFLOP/s: ` +
      r.kernels.slice(0, 10).map((k) => `${k.kernel} ${(100 * k.share).toFixed(1)}%${k.gflops ? ` (${k.gflops} GFLOP/s)` : ""}`).join(", ") + "\n");
  }
}

// ---- 2. kernel GFLOP/s ----
const be = await Backend.create("f32");
const k = be.k;
const GEMMS = [
  // [label, kind, M, N, K]
  ["issue reference 512×202×32", "nn", 512, 32, 202],
  ["LSTM 128: step h·W_hhᵀ (32×128·128×512)", "nn", 32, 512, 128],
  ["LSTM 128: dW_hh = dZᵀ·H (K = S·B = 800)", "tn", 512, 128, 800],
  ["LSTM 512: step h·W_hhᵀ (64×512·512×2048)", "nn", 64, 2048, 512],
  ["LSTM 512: dW_hh = dZᵀ·H (K = 3200)", "tn", 2048, 512, 3200],
  ["LSTM 512: dH = dZ·W_hh (64×2048·2048×512)", "nn", 64, 512, 2048],
];
const kernels = [];
const suite = new Benchmark.Suite();
for (const [label, kind, M, N, K] of GEMMS) {
  // leading dimensions padded as the models pad them (ld(): never a multiple of 1024 floats)
  const lda = ld(kind === "nn" ? K : M), ldb = ld(N);
  const A = be.alloc((kind === "nn" ? M : K) * lda), B = be.alloc(K * ldb), C = be.alloc(M * ldb);
  const F = be.F;
  for (const [off, n] of [[A, (kind === "nn" ? M : K) * lda], [B, K * ldb]]) for (let i = 0; i < n; i++) F[off / 4 + i] = Math.random() - 0.5;
  const fn = kind === "nn" ? () => k.gemm_nn(M, N, K, A, lda, B, ldb, C, ldb) : () => k.gemm_tn(M, N, K, A, lda, B, ldb, C, ldb);
  suite.add(label, fn, { minSamples: quick ? 10 : 40, maxTime: quick ? 0.5 : 1.5 });
  kernels.push({ label, kind, M, N, K });
}
log("\nmatrix-product kernels (f32x4, 4×8 register block), benchmark.js, wall-clock\n");
suite.on("cycle", (ev) => {
  const b = ev.target, g = kernels.find((x) => x.label === b.name);
  g.gflops = +(2 * g.M * g.N * g.K * b.hz / 1e9).toFixed(1);
  g.rme = +b.stats.rme.toFixed(1);
  log(`${b.name.padEnd(46)} ${String(g.gflops).padStart(6)} GFLOP/s  ±${g.rme}%\n`);
});
suite.run();

// ---- 3. sampling ----
const SAMPLERS = [["lstm", { hidden: 128 }], ["lstm", { hidden: 512 }], ["dnc", { hidden: 128, memorySlots: 64, wordSize: 32, readHeads: 4 }]];
const sampling = [];
log("\nsampling (one stream, temperature 1)\n");
for (const [kind, cfg] of SAMPLERS) {
  const m = createModel(await Backend.create("f32"), kind, corpus.V, cfg);
  m.init(new Rng(1));
  const rng = new Rng(2), prime = corpus.ids.subarray(0, 1), n = kind === "dnc" ? 2000 : 20000;
  sampleIds(m, prime, n, 1, rng, () => {}); // untimed: a fresh backend's kernels are not tiered up yet
  const rates = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = cpuNow();
    sampleIds(m, prime, n, 1, rng, () => {});
    rates.push(n / (cpuNow() - c0));
  }
  const row = { model: kind, ...cfg, charsPerSecCpu: Math.round(median(rates)) };
  sampling.push(row);
  log(`${kind.padEnd(6)} ${JSON.stringify(cfg).padEnd(66)} ${String(row.charsPerSecCpu).padStart(9)} chars/s (CPU time)\n`);
}

// ---- 4. TensorFlow.js in the same run ----
const peers = [];
if (compare) {
  const { initTfjs, createTfjsLstm } = await import("./peers/tfjs-lstm.mjs");
  const backend = await initTfjs(1);
  log(`\nLSTM training, dnc-wasm vs TensorFlow.js (${backend} backend, SIMD, one thread), interleaved blocks\n`);
  for (const [H, B, S] of [[128, 32, 25], [256, 32, 50]]) {
    const ours = await textTrainer(lib, corpus.text, { model: "lstm", hidden: H, batch: B, seq: S, optimizer: "adam", lr: 2e-3, clip: 5, seed: 1 });
    const tfm = createTfjsLstm({ V: corpus.V, H, B, S });
    const batcher = new Batcher(corpus.train, B, S), x = new Int32Array(S * B), y = new Int32Array(S * B);
    const tfStep = () => { batcher.next(x, y); return tfm.step(x, y); };
    for (let i = 0; i < 2; i++) { await ours.step(); tfStep(); }
    const res = { ours: { wall: [], cpu: [] }, tfjs: { wall: [], cpu: [] } };
    const block = async (fn, key, iters) => {
      const c0 = cpuNow(), w0 = performance.now();
      for (let i = 0; i < iters; i++) await fn();
      const chars = iters * B * S;
      res[key].wall.push(chars / ((performance.now() - w0) / 1000)); res[key].cpu.push(chars / (cpuNow() - c0));
    };
    for (let r = 0; r < (quick ? 2 : 4); r++) {
      await block(() => ours.step(), "ours", H > 128 ? 10 : 40);
      await block(tfStep, "tfjs", H > 128 ? 1 : 3);
    }
    tfm.dispose();
    const row = { hidden: H, batch: B, seq: S,
      oursWall: Math.round(median(res.ours.wall)), oursCpu: Math.round(median(res.ours.cpu)),
      tfjsWall: Math.round(median(res.tfjs.wall)), tfjsCpu: Math.round(median(res.tfjs.cpu)) };
    row.ratioCpu = +(row.oursCpu / row.tfjsCpu).toFixed(1);
    peers.push(row);
  }
  log(`${"(H,B,S)".padEnd(14)} ${"ours wall".padStart(10)} ${"ours CPU".padStart(10)} ${"tfjs wall".padStart(10)} ${"tfjs CPU".padStart(10)} ${"ratio (CPU)".padStart(12)}\n`);
  for (const r of peers) {
    log(`${`(${r.hidden},${r.batch},${r.seq})`.padEnd(14)} ${String(r.oursWall).padStart(10)} ${String(r.oursCpu).padStart(10)} ${String(r.tfjsWall).padStart(10)} ${String(r.tfjsCpu).padStart(10)} ${(r.ratioCpu + "×").padStart(12)}\n`);
  }
}

if (asJson) process.stdout.write(JSON.stringify({ corpus: corpusName, training: table, kernels, threads: threadRows, sampling, peers }, null, 1) + "\n");
