// npm run bench -- --scan [--quick]: the exact content scan. First the kernel
// alone on random rows (B=16, R=4, W=32, K=8): every row scored (sam_scan)
// against the bounded scan (sam_scan_bounded, with its 16-bit copy), their
// lists compared bit for bit, interleaved blocks. Then on memories that
// training wrote (random rows are easy for a bound to separate; trained ones
// are not). For SAM and the SDNC at a few sizes (hidden 64,
// W=32, R=4, batch 16, seq 50, K=8, one thread), a seeded run trains on
// alice29 (the built-in corpus without ../shared) for a while; then training
// goes on in interleaved blocks with the bounded scan (the default: rows its
// 16-bit copy rules out are skipped) and with every row scored. Both give the
// same losses bit for bit, so the blocks continue one run. Prints the medians
// of the blocks' seconds per iteration and the share of rows scored in full.
import { existsSync, readFileSync } from "node:fs";
import { Session, textData, builtinCorpus, Backend, Rng } from "../dist/internal.js";

const median = (a) => { const s = [...a].sort((x, y) => x - y); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };

/** ns per row of each scan at each N (one wasm instance per N, so that each N's buffers are its own). */
async function kernelRows(Ns, ROUNDS, BLOCK_S) {
  const B = 16, R = 4, W = 32, K = 8, rows = [];
  for (const N of Ns) {
    const be = await Backend.create("f32"), k = be.k, Wr = Number(k.sam_quant_record(W));
    const M = be.alloc(B * N * W), key = be.alloc(B * R * W), Q = be.allocI32(B * N * Wr / 4), D = be.allocI32(B * (N + 1));
    const out = [0, 1, 2, 3].map(() => be.alloc(B * R * K));
    const rng = new Rng(3), F = be.F;
    for (let i = 0; i < B * N * W; i++) F[M / 4 + i] = rng.uniform(-1, 1);
    for (let i = 0; i < B * R * W; i++) F[key / 4 + i] = rng.uniform(-1, 1);
    k.sam_quant_build(B, N, W, M, Q, D);
    let scored = 0;
    const ways = {
      plain: () => k.sam_scan(B, R, N, W, K, M, key, R * W, out[0], out[1], 0),
      bounded: () => { scored = Number(k.sam_scan_bounded(B, R, N, W, K, M, Q, D, key, R * W, out[2], out[3], 0)); },
    };
    const secs = { plain: [], bounded: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, run] of Object.entries(ways)) {
        let n = 0; const t0 = performance.now();
        do { run(); n++; } while (performance.now() - t0 < BLOCK_S * 1000);
        secs[name].push((performance.now() - t0) / n);
      }
    }
    const I = be.I32, same = [0, 1].every((j) => I.subarray(out[j] / 4, out[j] / 4 + B * R * K).every((x, i) => x === I[out[j + 2] / 4 + i]));
    if (!same) throw new Error(`N=${N}: the bounded scan's lists differ from the plain scan's`);
    rows.push({ N, plainNsPerRow: median(secs.plain) * 1e6 / (B * N), boundedNsPerRow: median(secs.bounded) * 1e6 / (B * N), scoredShare: scored / (B * R * N) });
  }
  return rows;
}

export async function scanBench({ quick = false, asJson = false } = {}) {
  const alice = new URL("../../shared/data/alice29.txt", import.meta.url);
  const text = existsSync(alice) ? readFileSync(alice, "utf8") : builtinCorpus().text;
  const corpus = existsSync(alice) ? "alice29.txt" : "built-in corpus";
  const configs = quick ? [["sam", 4096]] : [["sam", 4096], ["sdnc", 4096], ["sam", 16384], ["sdnc", 16384]];
  const TRAIN_S = quick ? 10 : 60, ROUNDS = quick ? 2 : 4, BLOCK_S = quick ? 2 : 6;
  const kernel = await kernelRows(quick ? [1024, 16384] : [1024, 16384, 65536], quick ? 3 : 5, quick ? 0.3 : 1);
  if (!asJson) {
    process.stdout.write(`\nthe scan alone, random rows (B=16, R=4, W=32, K=8; the same lists bit for bit; medians of interleaved blocks)\n`);
    for (const r of kernel) process.stdout.write(`N=${String(r.N).padEnd(6)} every row ${r.plainNsPerRow.toFixed(1)} ns/row, bounded ${r.boundedNsPerRow.toFixed(1)} ns/row (${(r.plainNsPerRow / r.boundedNsPerRow).toFixed(2)}x); rows scored in full ${(100 * r.scoredShare).toFixed(1)}%\n`);
  }
  const rows = [];
  if (!asJson) process.stdout.write(`\nexact scan on trained memories (${corpus}): hidden 64, W=32, R=4, batch 16, seq 50, K=8; one thread; ${TRAIN_S} s of training first, then ${ROUNDS} interleaved blocks of ${BLOCK_S} s each way\n`);
  for (const [model, N] of configs) {
    const s = await Session.create({ model, hidden: 64, memorySlots: N, wordSize: 32, readHeads: 4, sparse: 8, batch: 16, seq: 50, seed: 1 }, { data: textData(text) });
    const m = s.model, reads = 16 * 50 * 4;
    for (const t0 = performance.now(); performance.now() - t0 < TRAIN_S * 1000;) await s.step();
    const secs = { bounded: [], plain: [] }, scored = { bounded: 0, plain: 0 }, its = { bounded: 0, plain: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      for (const way of ["bounded", "plain"]) {
        m.boundedScan = way === "bounded";
        const sc0 = m.scanned, t0 = performance.now();
        let n = 0;
        do { await s.step(); n++; } while (performance.now() - t0 < BLOCK_S * 1000);
        secs[way].push((performance.now() - t0) / 1000 / n);
        scored[way] += m.scanned - sc0; its[way] += n;
      }
    }
    m.boundedScan = true;
    const row = { model, N, iteration: s.iteration, boundedSeconds: median(secs.bounded), plainSeconds: median(secs.plain), scoredShare: scored.bounded / (its.bounded * reads * N) };
    rows.push(row);
    s.close();
    if (!asJson) process.stdout.write(`${model.padEnd(5)} N=${String(N).padEnd(6)} after ${String(row.iteration).padStart(5)} it: bounded ${row.boundedSeconds.toFixed(3)} s/it, every row ${row.plainSeconds.toFixed(3)} s/it (${(row.plainSeconds / row.boundedSeconds).toFixed(2)}x); rows scored in full ${(100 * row.scoredShare).toFixed(1)}%\n`);
  }
  if (asJson) process.stdout.write(JSON.stringify({ kernel, corpus, rows }) + "\n");
  return { kernel, rows };
}
