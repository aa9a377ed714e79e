// SAM's LSH index: a hand-worked bucket case, then the f32x4 scan and least-used slot against their
// scalar references at sizes that reach the tails (W not a multiple of 4, heads beyond one group of 4,
// never-written rows, too few candidates).
import { randBuf, seed, rnd } from "../util";
import { buf, at, zeros } from "../dnc/helpers";
import { lshTableSize, sam_index_reset, sam_index_build, sam_index_rows, sam_scan_lsh, sam_scan_lsh_f32 } from "../../sam/lsh";
import { sam_lru, sam_lru_f32 } from "../../sam/usage";

function table(B: i32, N: i32, bits: i32): usize { const n = B * lshTableSize(N, bits); const p = heap.alloc(<usize>n * 4 + 16); return (p + 15) & ~<usize>15; }
function code(t: usize, n: i32): i32 { return load<i32>(t + (<usize>n << 2)); }

describe("SAM LSH: hand-worked buckets", () => {
  it("buckets rows by the signs of their projections, never-written rows apart, and follows a changed row", () => {
    // planes e1, e2 (W = 2): (1, 1) → 3, (−1, 2) → 2, (0, 0) → the zero bucket 4, (2, −1) → 1
    const planes = buf([1, 0, 0, 1]), M = buf([1, 1, -1, 2, 0, 0, 2, -1]), t = table(1, 4, 2);
    sam_index_build<f64>(1, 4, 2, 2, M, planes, t);
    expect<i32>(code(t, 0)).toBe(3); expect<i32>(code(t, 1)).toBe(2); expect<i32>(code(t, 2)).toBe(4); expect<i32>(code(t, 3)).toBe(1);
    // row 2 written as (−3, −1): bucket 0; a key (−1, −0.1) names bucket 0 and, one sign away on its least certain plane, bucket 2
    store<f64>(M + 32, -3); store<f64>(M + 40, -1);
    const idx = buf([2]); sam_index_rows<f64>(1, 4, 2, 2, M, planes, t, idx, 1);
    expect<i32>(code(t, 2)).toBe(0);
    const k = buf([-1, -0.1]), out = zeros(2), sim = zeros(2);
    const scored = sam_scan_lsh<f64>(1, 1, 4, 2, 2, 2, 2, M, k, 2, planes, t, out, sim);
    expect<f64>(scored).toBe(2); // rows 2 and 1 only
    expect<f64>(at(out, 0)).toBe(2); expect<f64>(at(out, 1)).toBe(1);
    // probes 1: one candidate, fewer than K = 2: the exact scan (rows 2, then 1 by cosine)
    expect<f64>(sam_scan_lsh<f64>(1, 1, 4, 2, 2, 2, 1, M, k, 2, planes, t, out, sim)).toBe(4);
    expect<f64>(at(out, 0)).toBe(2); expect<f64>(at(out, 1)).toBe(1);
  });
});

describe("SAM LSH: the f32x4 versions against the references", () => {
  it("scan: the same slots with the same similarities", () => {
    seed(23);
    const sizes: i32[][] = [[2, 200, 5, 3, 4, 4, 3, 20], [1, 300, 16, 6, 8, 5, 2, 0], [3, 64, 7, 4, 5, 2, 3, 64], [1, 40, 32, 1, 9, 3, 1, 0]]; // B, N, W, R, K, bits, probes, zero rows
    for (let s = 0; s < sizes.length; s++) {
      const B = sizes[s][0], N = sizes[s][1], W = sizes[s][2], R = sizes[s][3], K = sizes[s][4], bits = sizes[s][5], probes = sizes[s][6], Z = sizes[s][7];
      const M = randBuf<f32>(B * N * W), k = randBuf<f32>(B * R * W), planes = randBuf<f32>(bits * W);
      for (let b = 0; b < B; b++) for (let n = N - Z; n < N; n++) for (let w = 0; w < W; w++) store<f32>(M + (<usize>((b * N + n) * W + w) << 2), 0);
      const t1 = table(B, N, bits), t2 = table(B, N, bits);
      sam_index_build<f32>(B, N, W, bits, M, planes, t1); sam_index_build<f32>(B, N, W, bits, M, planes, t2);
      const i1 = randBuf<f32>(B * R * K), s1 = randBuf<f32>(B * R * K), i2 = randBuf<f32>(B * R * K), s2 = randBuf<f32>(B * R * K);
      const n1 = sam_scan_lsh<f32>(B, R, N, W, K, bits, probes, M, k, R * W, planes, t1, i1, s1);
      const n2 = sam_scan_lsh_f32(B, R, N, W, K, bits, probes, M, k, R * W, planes, t2, i2, s2);
      expect<f64>(n2).toBe(n1);
      for (let i = 0; i < B * R * K; i++) {
        expect<f32>(load<f32>(i2 + (<usize>i << 2))).toBe(load<f32>(i1 + (<usize>i << 2)));
        expect<f64>(Math.abs(<f64>load<f32>(s2 + (<usize>i << 2)) - <f64>load<f32>(s1 + (<usize>i << 2)))).toBeLessThan(1e-5);
      }
    }
  });

  it("least-used slot: the first slot of the smallest time", () => {
    seed(5);
    const Ns: i32[] = [1, 3, 4, 9, 64, 101];
    for (let s = 0; s < Ns.length; s++) {
      const N = Ns[s], B = 3, tau = randBuf<f32>(B * N), a = randBuf<f32>(B), b = randBuf<f32>(B);
      // integer times with repeats, as the clock stamps them
      for (let i = 0; i < B * N; i++) store<f32>(tau + (<usize>i << 2), <f32>Math.floor(rnd(0, 5)));
      sam_lru<f32>(B, N, tau, a); sam_lru_f32(B, N, tau, b);
      for (let i = 0; i < B; i++) expect<f32>(load<f32>(b + (<usize>i << 2))).toBe(load<f32>(a + (<usize>i << 2)));
    }
    // the one oldest slot in each of the f32x4 loop's four accumulators, its 4-wide tail and its scalar tail
    const N = 203, pos: i32[] = [5, 22, 43, 60, 197, 201];
    for (let s = 0; s < pos.length; s++) {
      const tau = randBuf<f32>(N, 7, 9), a = randBuf<f32>(1), b = randBuf<f32>(1);
      store<f32>(tau + (<usize>pos[s] << 2), 3);
      sam_lru<f32>(1, N, tau, a); sam_lru_f32(1, N, tau, b);
      expect<f32>(load<f32>(b)).toBe(<f32>pos[s]);
      expect<f32>(load<f32>(a)).toBe(<f32>pos[s]);
    }
  });
});

describe("SAM LSH: reset", () => {
  it("puts every row in the zero bucket", () => {
    const t = table(2, 5, 3);
    sam_index_reset(2, 5, 3, t);
    for (let n = 0; n < 5; n++) expect<i32>(code(t, n)).toBe(8);
    expect<i32>(code(t + (<usize>lshTableSize(5, 3) << 2), 4)).toBe(8);
  });
});
