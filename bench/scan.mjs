// npm run bench -- --scan [--quick]: the exact content scan on memories that
// training wrote (the scale benchmark's memories are random rows, which a
// bound separates easily). For SAM and the SDNC at a few sizes (hidden 64,
// W=32, R=4, batch 16, seq 50, K=8, one thread), a seeded run trains on
// alice29 (the built-in corpus without ../shared) for a while; then training
// goes on in interleaved blocks with the bounded scan (the default: rows its
// 16-bit copy rules out are skipped) and with every row scored. Both give the
// same losses bit for bit, so the blocks continue one run. Prints the medians
// of the blocks' seconds per iteration and the share of rows scored in full.
import { existsSync, readFileSync } from "node:fs";
import { Session, textData, builtinCorpus } from "../dist/internal.js";

export async function scanBench({ quick = false, asJson = false } = {}) {
  const alice = new URL("../../shared/data/alice29.txt", import.meta.url);
  const text = existsSync(alice) ? readFileSync(alice, "utf8") : builtinCorpus().text;
  const corpus = existsSync(alice) ? "alice29.txt" : "built-in corpus";
  const configs = quick ? [["sam", 4096]] : [["sam", 4096], ["sdnc", 4096], ["sam", 16384], ["sdnc", 16384]];
  const TRAIN_S = quick ? 10 : 60, ROUNDS = quick ? 2 : 4, BLOCK_S = quick ? 2 : 6;
  const median = (a) => { const s = [...a].sort((x, y) => x - y); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };
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
  if (asJson) process.stdout.write(JSON.stringify({ corpus, rows }) + "\n");
  return rows;
}
