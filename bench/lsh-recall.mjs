// node bench/lsh-recall.mjs [--json]: what SAM's LSH index (--lsh) finds. A
// memory of N random rows (W = 32); each of R = 4 heads per stream asks for
// one stored row, its key that row plus noise (cosine ≈ 0.9 or 0.7 with it).
// Reported per N, bits and probes: how often the asked-for row is among the
// K = 8 the scan returns ("hit"), the share of the exact scan's top-K it
// returns ("overlap"), and the rows scored per read (the exact scan: N).
import { Backend, Rng, lshPlanes } from "../dist/internal.js";

const asJson = process.argv.includes("--json");
const W = 32, R = 4, K = 8, B = 8, QUERIES = 64;
const be = await Backend.create("f32"), k = be.k, rng = new Rng(7);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const rows = [];
for (const N of [1024, 16384, 65536]) {
  const M = be.alloc(B * N * W), keys = be.alloc(B * R * W), idx = be.alloc(B * R * K), sim = be.alloc(B * R * K), ei = be.alloc(B * R * K), es = be.alloc(B * R * K);
  // views are taken after each allocation: a grown memory detaches the old ones
  let Mv = be.view(M, B * N * W);
  for (let i = 0; i < Mv.length; i++) Mv[i] = gauss();
  const base = Math.max(1, Math.round(Math.log2(N / 128)));
  for (const noise of (process.env.NOISE ?? "0.25,0.5,1").split(",").map(Number)) {
    for (const [bits, probes] of [[base, 1], [base, 2], [base, base + 1], [base + 2, 1], [base + 2, 4]]) {
      const planes = be.alloc(bits * W), tab = be.allocI32(B * Number(k.sam_lsh_table_size(N, bits)));
      be.F.set(lshPlanes(bits, W), planes / 4);
      k.sam_index_build(B, N, W, bits, M, planes, tab);
      Mv = be.view(M, B * N * W);
      let hit = 0, overlap = 0, scored = 0, asked = 0;
      for (let q = 0; q < QUERIES; q++) {
        const target = [];
        const kv = be.view(keys, B * R * W);
        for (let b = 0; b < B; b++) for (let h = 0; h < R; h++) {
          const n = rng.int(N); target.push(n);
          for (let j = 0; j < W; j++) kv[(b * R + h) * W + j] = Mv[(b * N + n) * W + j] + noise * gauss();
        }
        scored += Number(k.sam_scan_lsh(B, R, N, W, K, bits, probes, M, keys, R * W, planes, tab, idx, sim));
        k.sam_scan(B, R, N, W, K, M, keys, R * W, ei, es, 0);
        const got = be.view(idx, B * R * K), exact = be.view(ei, B * R * K);
        for (let i = 0; i < B * R; i++) {
          const g = new Set(got.subarray(i * K, i * K + K));
          if (g.has(target[i])) hit++;
          for (const e of exact.subarray(i * K, i * K + K)) if (g.has(e)) overlap++;
          asked++;
        }
      }
      rows.push({ N, noise, bits, probes, hit: hit / asked, overlap: overlap / (asked * K), rowsPerRead: scored / (QUERIES * B * R) });
    }
  }
}
if (asJson) process.stdout.write(JSON.stringify({ wordSize: W, readHeads: R, sparse: K, rows }) + "\n");
else {
  process.stdout.write(`LSH recall: W=${W}, ${R} heads per stream, K=${K}, random rows, keys = a stored row + noise (per entry, rows ~ N(0,1))\n`);
  process.stdout.write(`${"N".padStart(6)} ${"noise".padStart(5)} ${"bits".padStart(4)} ${"probes".padStart(6)} ${"hit".padStart(6)} ${"overlap".padStart(7)} ${"rows/read".padStart(9)}\n`);
  for (const r of rows) process.stdout.write(`${String(r.N).padStart(6)} ${r.noise.toFixed(1).padStart(5)} ${String(r.bits).padStart(4)} ${String(r.probes).padStart(6)} ${(100 * r.hit).toFixed(1).padStart(5)}% ${(100 * r.overlap).toFixed(1).padStart(6)}% ${r.rowsPerRead.toFixed(0).padStart(9)}\n`);
}
