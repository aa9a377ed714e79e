// npm run bench -- --scale [--quick]: the dense DNC against sparse access
// memory (SAM) and the sparse DNC (SDNC, SAM with sparse links) as the memory grows, same hidden, W, R, batch and window; each
// configuration has its own wasm instance, so its linear memory is its peak.
// Training steps (forward, loss, backward; no optimiser update, whose cost is
// the same for both) in interleaved blocks; medians of the blocks. SAM and the SDNC run
// twice: with the exact scan and with the LSH index (2^bits ≈ N/32 buckets,
// 4 probed per head; bench/lsh-recall.mjs measures what it finds); their
// memories start full of random rows, as a
// trained memory is (an empty one would flatter the index: unwritten rows are
// not scanned). "rows/read": rows each read scored in f32 (the exact scan
// reads every row's 16-bit copy and scores in full only those its bound
// cannot rule out; the LSH scan scores its candidates).
import { Backend, createModel, Rng, textStep, modelBytes, readState, writeState } from "../dist/internal.js";

export async function scaleBench({ quick = false, asJson = false } = {}) {
  const H = 64, W = 32, R = 4, B = 16, S = 50, V = 64, K = 8, BUDGET = 3.5 * 2 ** 30;
  const Ns = quick ? [64, 1024, 16384] : [64, 256, 1024, 4096, 16384, 65536];
  const ROUNDS = quick ? 2 : 3, BLOCK_S = quick ? 1 : 3;
  const rng = new Rng(1);
  const inputs = Int32Array.from({ length: S * B }, () => rng.int(V)), targets = Int32Array.from({ length: S * B }, () => rng.int(V));
  const configs = [];
  for (const N of Ns) {
    for (const label of ["dnc", "sam", "sam-lsh", "sdnc", "sdnc-lsh"]) {
      const model = label.split("-")[0], bits = Math.max(1, Math.round(Math.log2(N / 32)));
      const c = { hidden: H, memorySlots: N, wordSize: W, readHeads: R, sparse: K, ...(label.endsWith("-lsh") ? { lsh: { bits, probes: Math.min(4, bits + 1) } } : {}) };
      if (modelBytes(model, V, c, B, S) > BUDGET) { configs.push({ model: label, N, skipped: `needs ${(modelBytes(model, V, c, B, S) / 2 ** 30).toFixed(1)} GiB` }); continue; }
      const be = await Backend.create("f32");
      const m = createModel(be, model, V, c);
      m.init(new Rng(2));
      const ws = m.workspace(B, S);
      if (model !== "dnc") {
        const st = readState(m, ws), mem = st.find((x) => x.name === "memory").data, fill = new Rng(3);
        for (let i = 0; i < mem.length; i++) mem[i] = fill.uniform(-1, 1);
        writeState(m, ws, st);
      }
      textStep(m, ws, inputs, targets, []); // warm-up, and the workspace laid out
      configs.push({ model: label, N, m, ws, be, secs: [], steps: 0, scanned0: m.scanned ?? 0 });
    }
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of configs) {
      if (c.skipped) continue;
      let n = 0; const t0 = performance.now();
      do { textStep(c.m, c.ws, inputs, targets, []); n++; } while (performance.now() - t0 < BLOCK_S * 1000);
      c.secs.push((performance.now() - t0) / 1000 / n);
      c.steps += n;
    }
  }
  const median = (a) => { const s = [...a].sort((x, y) => x - y); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };
  const rows = configs.map((c) => c.skipped ? { model: c.model, N: c.N, skipped: c.skipped } : {
    model: c.model, N: c.N, stepSeconds: median(c.secs), charsPerSec: (B * S) / median(c.secs), peakMiB: c.be.memory.buffer.byteLength / 2 ** 20,
    ...(c.model !== "dnc" ? { rowsPerRead: (c.m.scanned - c.scanned0) / (c.steps * B * S * R) } : {}),
  });
  if (asJson) { process.stdout.write(JSON.stringify({ hidden: H, wordSize: W, readHeads: R, batch: B, seq: S, sparse: K, rows }) + "\n"); return rows; }
  process.stdout.write(`\nmemory scale: hidden ${H}, W=${W}, R=${R}, batch ${B}, seq ${S}, SAM K=${K}; one thread, training steps without the optimiser, median of ${ROUNDS} interleaved blocks\n`);
  process.stdout.write(`${"model".padEnd(8)} ${"N".padStart(6)} ${"s/step".padStart(8)} ${"chars/s".padStart(9)} ${"peak MiB".padStart(9)} ${"rows/read".padStart(10)}\n`);
  for (const r of rows) {
    process.stdout.write(r.skipped ? `${r.model.padEnd(8)} ${String(r.N).padStart(6)}   (not run: ${r.skipped})\n`
      : `${r.model.padEnd(8)} ${String(r.N).padStart(6)} ${r.stepSeconds.toFixed(3).padStart(8)} ${r.charsPerSec.toFixed(0).padStart(9)} ${r.peakMiB.toFixed(0).padStart(9)} ${r.rowsPerRead === undefined ? "" : r.rowsPerRead.toFixed(0).padStart(10)}\n`);
  }
  return rows;
}
