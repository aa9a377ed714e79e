// SAM's top-K content scan and its O(K·W) kernels: hand-worked cases, then the f32x4 scan against
// the scalar reference at sizes that reach its tails (W not a multiple of 4, heads beyond one group of 4).
import { randBuf, seed } from "../util";
import { buf, at, zeros } from "../dnc/helpers";
import { sam_scan, sam_scan_f32 } from "../../sam/scan";
import { sam_write_fwd, sam_rows } from "../../sam/write";
import { sam_lru } from "../../sam/usage";
import { samXiSize, sV, sA, sG } from "../../sam/common";

describe("SAM scan: hand-worked cases", () => {
  it("keeps the K most similar slots in descending order, equal similarities by lower slot", () => {
    // key (1, 0); slots: (0,1) D=0, (1,0) D≈1, (−1,0) D≈−1, (1,0) again (a tie with slot 1), (1,1) D≈0.707
    const M = buf([0, 1, 1, 0, -1, 0, 1, 0, 1, 1]), k = buf([1, 0]);
    const idx = zeros(3), sim = zeros(3);
    sam_scan<f64>(1, 1, 5, 2, 3, M, k, 2, idx, sim, 0);
    expect<f64>(at(idx, 0)).toBe(1); expect<f64>(at(idx, 1)).toBe(3); expect<f64>(at(idx, 2)).toBe(4);
    expect<f64>(Math.abs(at(sim, 2) - Math.SQRT1_2)).toBeLessThan(1e-5);
    // frozen: the same slots, only their similarities
    store<f64>(idx, 2); sam_scan<f64>(1, 1, 5, 2, 3, M, k, 2, idx, sim, 1);
    expect<f64>(at(idx, 0)).toBe(2); expect<f64>(Math.abs(at(sim, 0) + 1)).toBeLessThan(1e-5);
  });

  it("the write erases the least-used slot, adds to the slots read before, and undo/redo restore the rows", () => {
    const R = 1, K = 2, W = 2, N = 3, X = samXiSize(R, W);
    const xi = zeros(X);
    store<f64>(xi + (<usize>sV(R, W) << 3), 1); store<f64>(xi + (<usize>(sV(R, W) + 1) << 3), 2); // v = (1, 2)
    store<f64>(xi + (<usize>sA(R, W) << 3), 0.5); store<f64>(xi + (<usize>sG(R, W) << 3), 0.25); // α, γ
    const tau = buf([3, 1, 2]), lru = zeros(1);
    sam_lru<f64>(1, N, tau, lru);
    expect<f64>(at(lru, 0)).toBe(1);
    const M = buf([1, 1, 5, 5, 2, 2]), pidx = buf([0, 1]), pw = buf([0.6, 0.4]);
    const widx = zeros(3), wval = zeros(3), old = zeros(6), nw = zeros(6);
    sam_write_fwd<f64>(1, R, N, W, K, xi, X, pidx, pw, lru, M, widx, wval, old, nw);
    // w0 = α(1−γ) = 0.375 on slot 1 (erased first); slot 0 gets αγ·0.6 = 0.075, slot 1 αγ·0.4 = 0.05
    expect<f64>(Math.abs(at(M, 0) - 1.075)).toBeLessThan(1e-12); expect<f64>(Math.abs(at(M, 1) - 1.15)).toBeLessThan(1e-12);
    expect<f64>(Math.abs(at(M, 2) - 0.425)).toBeLessThan(1e-12); expect<f64>(Math.abs(at(M, 3) - 0.85)).toBeLessThan(1e-12);
    expect<f64>(at(M, 4)).toBe(2);
    sam_rows<f64>(1, R, N, W, K, M, widx, old, 1);
    expect<f64>(at(M, 0)).toBe(1); expect<f64>(at(M, 2)).toBe(5); expect<f64>(at(M, 3)).toBe(5);
    sam_rows<f64>(1, R, N, W, K, M, widx, nw, 0);
    expect<f64>(Math.abs(at(M, 2) - 0.425)).toBeLessThan(1e-12);
  });
});

describe("SAM scan: the f32x4 version against the reference", () => {
  it("chooses the same slots with the same similarities", () => {
    seed(17);
    const sizes: i32[][] = [[2, 37, 5, 3, 4], [1, 64, 16, 4, 8], [3, 20, 7, 6, 5], [1, 9, 32, 1, 9], [2, 100, 12, 5, 1], [2, 4099, 12, 1, 4], [1, 7, 3, 1, 7], [3, 41, 5, 1, 2], [1, 3, 8, 1, 2]]; // B, N, W, R, K (R = 1, 5: a group of one head)
    for (let s = 0; s < sizes.length; s++) {
      const B = sizes[s][0], N = sizes[s][1], W = sizes[s][2], R = sizes[s][3], K = sizes[s][4];
      const M = randBuf<f32>(B * N * W), k = randBuf<f32>(B * R * W);
      const i1 = randBuf<f32>(B * R * K), s1 = randBuf<f32>(B * R * K), i2 = randBuf<f32>(B * R * K), s2 = randBuf<f32>(B * R * K);
      sam_scan<f32>(B, R, N, W, K, M, k, R * W, i1, s1, 0);
      sam_scan_f32(B, R, N, W, K, M, k, R * W, i2, s2, 0);
      for (let i = 0; i < B * R * K; i++) {
        expect<f32>(load<f32>(i2 + (<usize>i << 2))).toBe(load<f32>(i1 + (<usize>i << 2)));
        expect<f64>(Math.abs(<f64>load<f32>(s2 + (<usize>i << 2)) - <f64>load<f32>(s1 + (<usize>i << 2)))).toBeLessThan(1e-5);
      }
    }
  });
});
