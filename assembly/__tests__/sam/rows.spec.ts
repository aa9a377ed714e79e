// SAM's and the SDNC's row kernels (sparse reads, the write, the SDNC's mixed read) in f32x4
// against their scalar references: random entries (slots repeat, as they do when heads or parts
// name the same row), word sizes with and without a tail of the f32x4 loops, gradients that
// accumulate into what is there; and extreme inputs, whose gradients must stay finite.
import { randBuf, copyBuf, maxErr, rnd, seed } from "../util";
import { sam_read_fwd, sam_read_bwd, sam_read_fwd_f32, sam_read_bwd_f32 } from "../../sam/read";
import { sam_write_fwd, sam_write_bwd, sam_write_fwd_f32, sam_write_bwd_f32 } from "../../sam/write";
import { sdnc_mix_fwd, sdnc_mix_bwd, sdnc_mix_fwd_f32, sdnc_mix_bwd_f32 } from "../../sdnc/mix";
import { samXiSize, sA, sG } from "../../sam/common";

const SIZES: i32[][] = [[2, 2, 11, 5, 3], [1, 3, 20, 13, 4], [2, 1, 9, 16, 2], [1, 2, 7, 32, 3]]; // B, R, N, W, K
const TOL: f64 = 2e-5;

function slots(n: i32, N: i32): usize {
  const p = randBuf<f32>(n);
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), <f32>Math.floor(rnd(0, <f64>N)));
  return p;
}
function allFinite(p: usize, n: i32): bool { for (let i = 0; i < n; i++) if (!isFinite(load<f32>(p + (<usize>i << 2)))) return false; return true; }
/** An interface row per stream with α, γ in (0, 1). */
function xiBuf(B: i32, R: i32, W: i32, big: f64): usize {
  const X = samXiSize(R, W), x = randBuf<f32>(B * X, -big, big);
  for (let b = 0; b < B; b++) { store<f32>(x + (<usize>(b * X + sA(R, W)) << 2), <f32>rnd(0.1, 0.9)); store<f32>(x + (<usize>(b * X + sG(R, W)) << 2), <f32>rnd(0.1, 0.9)); }
  return x;
}

describe("SAM rows: reads", () => {
  it("forward and backward agree with the references", () => {
    seed(31);
    for (let s = 0; s < SIZES.length; s++) {
      const B = SIZES[s][0], R = SIZES[s][1], N = SIZES[s][2], W = SIZES[s][3], K = SIZES[s][4], RK = B * R * K;
      const M = randBuf<f32>(B * N * W), idx = slots(RK, N), sim = randBuf<f32>(RK), beta = randBuf<f32>(B * R, 1, 5);
      const w1 = randBuf<f32>(RK), r1 = randBuf<f32>(B * R * W), w2 = randBuf<f32>(RK), r2 = randBuf<f32>(B * R * W);
      sam_read_fwd<f32>(B, R, N, W, K, M, idx, sim, beta, R, w1, r1);
      sam_read_fwd_f32(B, R, N, W, K, M, idx, sim, beta, R, w2, r2);
      expect<f64>(maxErr(w2, w1, RK, 1e-6)).toBeLessThan(TOL);
      expect<f64>(maxErr(r2, r1, B * R * W, 1e-6)).toBeLessThan(TOL);
      const k = randBuf<f32>(B * R * W), dr = randBuf<f32>(B * R * W);
      const dw1 = randBuf<f32>(RK), dM1 = randBuf<f32>(B * N * W), dk1 = randBuf<f32>(B * R * W), db1 = randBuf<f32>(B * R);
      const dw2 = copyBuf<f32>(dw1, RK), dM2 = copyBuf<f32>(dM1, B * N * W), dk2 = copyBuf<f32>(dk1, B * R * W), db2 = copyBuf<f32>(db1, B * R);
      sam_read_bwd<f32>(B, R, N, W, K, M, idx, k, R * W, beta, R, w1, dr, dw1, dM1, dk1, db1);
      sam_read_bwd_f32(B, R, N, W, K, M, idx, k, R * W, beta, R, w1, dr, dw2, dM2, dk2, db2);
      expect<f64>(maxErr(dw2, dw1, RK, 1e-5)).toBeLessThan(TOL);
      expect<f64>(maxErr(dM2, dM1, B * N * W, 1e-5)).toBeLessThan(TOL);
      expect<f64>(maxErr(dk2, dk1, B * R * W, 1e-5)).toBeLessThan(TOL);
      expect<f64>(maxErr(db2, db1, B * R, 1e-5)).toBeLessThan(TOL);
    }
  });

  it("stay finite for extreme memory, strengths and gradients", () => {
    seed(32);
    const B = 1, R = 2, N = 6, W = 7, K = 3, RK = R * K;
    const M = randBuf<f32>(N * W, -1e30, 1e30), idx = slots(RK, N), sim = randBuf<f32>(RK), beta = randBuf<f32>(R, 1e30, 3e38);
    const w = randBuf<f32>(RK), r = randBuf<f32>(R * W);
    sam_read_fwd_f32(B, R, N, W, K, M, idx, sim, beta, R, w, r);
    expect<bool>(allFinite(w, RK) && allFinite(r, R * W)).toBe(true);
    const k = randBuf<f32>(R * W, -1e30, 1e30), dr = randBuf<f32>(R * W, -1e30, 1e30);
    const dw = randBuf<f32>(RK), dM = randBuf<f32>(N * W), dk = randBuf<f32>(R * W), db = randBuf<f32>(R);
    sam_read_bwd_f32(B, R, N, W, K, M, idx, k, R * W, beta, R, w, dr, dw, dM, dk, db);
    expect<bool>(allFinite(dw, RK) && allFinite(dM, N * W) && allFinite(dk, R * W) && allFinite(db, R)).toBe(true);
  });
});

describe("SAM rows: the write", () => {
  it("forward (rows, entries, log) and backward agree with the references", () => {
    seed(33);
    for (let s = 0; s < SIZES.length; s++) {
      const B = SIZES[s][0], R = SIZES[s][1], N = SIZES[s][2], W = SIZES[s][3], K = SIZES[s][4], X = samXiSize(R, W), Kw = R * K + 1;
      const xi = xiBuf(B, R, W, 1), pidx = slots(B * R * K, N), pw = randBuf<f32>(B * R * K, 0, 1), lru = slots(B, N);
      const M1 = randBuf<f32>(B * N * W), M2 = copyBuf<f32>(M1, B * N * W);
      const bufs: usize[] = [];
      for (let i = 0; i < 8; i++) bufs.push(randBuf<f32>(B * Kw * (i < 4 ? 1 : W)));
      sam_write_fwd<f32>(B, R, N, W, K, xi, X, pidx, pw, lru, M1, bufs[0], bufs[1], bufs[4], bufs[5]);
      sam_write_fwd_f32(B, R, N, W, K, xi, X, pidx, pw, lru, M2, bufs[2], bufs[3], bufs[6], bufs[7]);
      expect<f64>(maxErr(M2, M1, B * N * W, 1e-6)).toBeLessThan(TOL);
      expect<f64>(maxErr(bufs[2], bufs[0], B * Kw, 0)).toBe(0); // slots
      expect<f64>(maxErr(bufs[3], bufs[1], B * Kw, 1e-7)).toBeLessThan(TOL);
      expect<f64>(maxErr(bufs[6], bufs[4], B * Kw * W, 1e-6)).toBeLessThan(TOL);
      expect<f64>(maxErr(bufs[7], bufs[5], B * Kw * W, 1e-6)).toBeLessThan(TOL);
      const dM1 = randBuf<f32>(B * N * W), dM2 = copyBuf<f32>(dM1, B * N * W), dpw1 = randBuf<f32>(B * R * K), dpw2 = copyBuf<f32>(dpw1, B * R * K);
      const dx1 = randBuf<f32>(B * X), dx2 = copyBuf<f32>(dx1, B * X), dwv = randBuf<f32>(B * Kw);
      for (let withDwv = 0; withDwv < 2; withDwv++) {
        sam_write_bwd<f32>(B, R, N, W, K, xi, X, pw, bufs[0], bufs[1], dM1, dpw1, dx1, withDwv ? dwv : 0);
        sam_write_bwd_f32(B, R, N, W, K, xi, X, pw, bufs[0], bufs[1], dM2, dpw2, dx2, withDwv ? dwv : 0);
        expect<f64>(maxErr(dM2, dM1, B * N * W, 1e-5)).toBeLessThan(TOL);
        expect<f64>(maxErr(dpw2, dpw1, B * R * K, 1e-5)).toBeLessThan(TOL);
        expect<f64>(maxErr(dx2, dx1, B * X, 1e-5)).toBeLessThan(TOL);
      }
    }
  });

  it("the backward stays finite for extreme gradients and write vectors", () => {
    seed(34);
    const B = 1, R = 2, N = 5, W = 9, K = 2, X = samXiSize(R, W), Kw = R * K + 1;
    const xi = xiBuf(B, R, W, 1e30), pidx = slots(R * K, N), pw = randBuf<f32>(R * K, 0, 1), lru = slots(1, N);
    const M = randBuf<f32>(N * W), widx = randBuf<f32>(Kw), wval = randBuf<f32>(Kw), old = randBuf<f32>(Kw * W), nw = randBuf<f32>(Kw * W);
    sam_write_fwd_f32(B, R, N, W, K, xi, X, pidx, pw, lru, M, widx, wval, old, nw);
    const dM = randBuf<f32>(N * W, -3e38, 3e38), dpw = randBuf<f32>(R * K), dx = randBuf<f32>(X);
    sam_write_bwd_f32(B, R, N, W, K, xi, X, pw, widx, wval, dM, dpw, dx, 0);
    expect<bool>(allFinite(dM, N * W) && allFinite(dpw, R * K) && allFinite(dx, X)).toBe(true);
  });
});

describe("SDNC rows: the mixed read", () => {
  it("forward and backward agree with the references", () => {
    seed(35);
    for (let s = 0; s < SIZES.length; s++) {
      const B = SIZES[s][0], R = SIZES[s][1], N = SIZES[s][2], W = SIZES[s][3], K = SIZES[s][4], Kr = 3 * K;
      const ldx = 3 * R + 2, mo = 1, CK = B * R * K, RK = B * R * Kr;
      const M = randBuf<f32>(B * N * W), xi = randBuf<f32>(B * ldx, 0, 1);
      const bidx = slots(CK, N), cidx = slots(CK, N), fidx = slots(CK, N), bval = randBuf<f32>(CK, 0, 1), cw = randBuf<f32>(CK, 0, 1), fval = randBuf<f32>(CK, 0, 1);
      const ri1 = randBuf<f32>(RK), rw1 = randBuf<f32>(RK), r1 = randBuf<f32>(B * R * W), ri2 = randBuf<f32>(RK), rw2 = randBuf<f32>(RK), r2 = randBuf<f32>(B * R * W);
      sdnc_mix_fwd<f32>(B, R, N, W, K, M, xi, ldx, mo, bidx, bval, cidx, cw, fidx, fval, ri1, rw1, r1);
      sdnc_mix_fwd_f32(B, R, N, W, K, M, xi, ldx, mo, bidx, bval, cidx, cw, fidx, fval, ri2, rw2, r2);
      expect<f64>(maxErr(ri2, ri1, RK, 0)).toBe(0);
      expect<f64>(maxErr(rw2, rw1, RK, 1e-7)).toBeLessThan(TOL);
      expect<f64>(maxErr(r2, r1, B * R * W, 1e-6)).toBeLessThan(TOL);
      const dr = randBuf<f32>(B * R * W), drw = randBuf<f32>(RK);
      const dM1 = randBuf<f32>(B * N * W), dM2 = copyBuf<f32>(dM1, B * N * W), dx1 = randBuf<f32>(B * ldx), dx2 = copyBuf<f32>(dx1, B * ldx);
      const g1: usize[] = [randBuf<f32>(CK), randBuf<f32>(CK), randBuf<f32>(CK)], g2: usize[] = [randBuf<f32>(CK), randBuf<f32>(CK), randBuf<f32>(CK)];
      sdnc_mix_bwd<f32>(B, R, N, W, K, M, xi, ldx, mo, bval, cw, fval, ri1, rw1, dr, drw, dM1, dx1, g1[0], g1[1], g1[2]);
      sdnc_mix_bwd_f32(B, R, N, W, K, M, xi, ldx, mo, bval, cw, fval, ri1, rw1, dr, drw, dM2, dx2, g2[0], g2[1], g2[2]);
      expect<f64>(maxErr(dM2, dM1, B * N * W, 1e-5)).toBeLessThan(TOL);
      expect<f64>(maxErr(dx2, dx1, B * ldx, 1e-5)).toBeLessThan(TOL);
      for (let i = 0; i < 3; i++) expect<f64>(maxErr(g2[i], g1[i], CK, 1e-5)).toBeLessThan(TOL);
    }
  });
});
