import { randBuf, copyBuf, maxErr, seed } from "./util";
import { content_fwd, content_bwd } from "../dnc/content";
import { read_fwd, read_bwd } from "../dnc/read";
import { link_fwd, link_bwd } from "../dnc/links";
import { content_fwd_f32, content_bwd_f32 } from "../dnc/content";
import { read_fwd_f32, read_bwd_f32 } from "../dnc/read";
import { link_fwd_f32, link_bwd_f32 } from "../dnc/links";
import { write_fwd_f32, write_bwd_f32 } from "../dnc/write";
import { usage_bwd_f32 } from "../dnc/usage";
import { iface_fwd_f32 } from "../dnc/interface";
import { iface_fwd } from "../dnc/interface";
import { usage_bwd } from "../dnc/usage";
import { write_fwd, write_bwd } from "../dnc/write";
import { xiSize } from "../dnc/common";

// odd sizes exercise the scalar tails of every row loop and the last row of the two-row loops
// (40 heads: more than one group of heads in content_bwd_f32; 70 slots: more than one block of rows;
// 7 slots of a word without a tail: the write backward's two-row loop, then its one-row branch)
const SIZES: i32[][] = [[2, 7, 5, 3], [3, 9, 13, 2], [1, 16, 16, 4], [2, 5, 3, 1], [1, 5, 3, 40], [1, 70, 6, 5], [2, 7, 8, 4]]; // B, N, W, R

/** The upper end of random weightings over N slots: small enough that they stay (sub)normalised for large N. */
function wmax(hi: f64, N: i32): f64 { return Math.min(hi, 3.0 / <f64>N); }

describe("DNC f32x4 kernels against their scalar references", () => {
  it("content addressing, forward and backward", () => {
    seed(5);
    for (let s = 0; s < SIZES.length; s++) {
      const B = SIZES[s][0], N = SIZES[s][1], W = SIZES[s][2], H = SIZES[s][3];
      const M = randBuf<f32>(B * N * W), k = randBuf<f32>(B * H * W), beta = randBuf<f32>(B * H, 1, 8);
      const c1 = randBuf<f32>(B * H * N), c2 = copyBuf<f32>(c1, B * H * N);
      content_fwd_f32(B, H, N, W, M, k, H * W, beta, H, c1, H * N);
      content_fwd<f32>(B, H, N, W, M, k, H * W, beta, H, c2, H * N);
      expect<f64>(maxErr(c1, c2, B * H * N, 1e-3)).toBeLessThan(1e-4);
      const dc = randBuf<f32>(B * H * N);
      const dM1 = randBuf<f32>(B * N * W), dM2 = copyBuf<f32>(dM1, B * N * W);
      const dk1 = randBuf<f32>(B * H * W), dk2 = copyBuf<f32>(dk1, B * H * W);
      const db1 = randBuf<f32>(B * H), db2 = copyBuf<f32>(db1, B * H);
      content_bwd_f32(B, H, N, W, M, k, H * W, beta, H, c2, dc, H * N, dM1, dk1, db1);
      content_bwd<f32>(B, H, N, W, M, k, H * W, beta, H, c2, dc, H * N, dM2, dk2, db2);
      expect<f64>(maxErr(dM1, dM2, B * N * W, 1e-2)).toBeLessThan(1e-4);
      expect<f64>(maxErr(dk1, dk2, B * H * W, 1e-2)).toBeLessThan(1e-4);
      expect<f64>(maxErr(db1, db2, B * H, 1e-2)).toBeLessThan(1e-4);
    }
  });
  it("reads, forward and backward", () => {
    seed(6);
    for (let s = 0; s < SIZES.length; s++) {
      const B = SIZES[s][0], N = SIZES[s][1], W = SIZES[s][2], R = SIZES[s][3], X = xiSize(R, W);
      const L = randBuf<f32>(B * N * N, 0, wmax(0.3, N)), wp = randBuf<f32>(B * R * N, 0, wmax(0.3, N)), M = randBuf<f32>(B * N * W);
      const cr = randBuf<f32>(B * R * N, 0, wmax(0.3, N)), xi = randBuf<f32>(B * X, 0, 1);
      const f1 = randBuf<f32>(B * R * N), b1 = randBuf<f32>(B * R * N), w1 = randBuf<f32>(B * R * N), r1 = randBuf<f32>(B * R * W);
      const f2 = randBuf<f32>(B * R * N), b2 = randBuf<f32>(B * R * N), w2 = randBuf<f32>(B * R * N), r2 = randBuf<f32>(B * R * W);
      read_fwd_f32(B, N, W, R, L, wp, M, cr, xi, X, f1, b1, w1, r1);
      read_fwd<f32>(B, N, W, R, L, wp, M, cr, xi, X, f2, b2, w2, r2);
      expect<f64>(maxErr(f1, f2, B * R * N, 1e-3)).toBeLessThan(1e-5);
      expect<f64>(maxErr(b1, b2, B * R * N, 1e-3)).toBeLessThan(1e-5);
      expect<f64>(maxErr(w1, w2, B * R * N, 1e-3)).toBeLessThan(1e-5);
      expect<f64>(maxErr(r1, r2, B * R * W, 1e-3)).toBeLessThan(1e-5);
      const dr = randBuf<f32>(B * R * W);
      const g1 = randBuf<f32>(B * R * N), g2 = copyBuf<f32>(g1, B * R * N);
      const dM1 = randBuf<f32>(B * N * W), dM2 = copyBuf<f32>(dM1, B * N * W);
      const dL1 = randBuf<f32>(B * N * N), dL2 = copyBuf<f32>(dL1, B * N * N);
      const dp1 = randBuf<f32>(B * R * N), dp2 = copyBuf<f32>(dp1, B * R * N);
      const dc1 = randBuf<f32>(B * R * N), dc2 = randBuf<f32>(B * R * N);
      const dx1 = randBuf<f32>(B * X), dx2 = copyBuf<f32>(dx1, B * X);
      read_bwd_f32(B, N, W, R, L, wp, M, cr, xi, X, f2, b2, w2, dr, g1, dM1, dL1, dp1, dc1, dx1);
      read_bwd<f32>(B, N, W, R, L, wp, M, cr, xi, X, f2, b2, w2, dr, g2, dM2, dL2, dp2, dc2, dx2);
      expect<f64>(maxErr(g1, g2, B * R * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dM1, dM2, B * N * W, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dL1, dL2, B * N * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dp1, dp2, B * R * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dc1, dc2, B * R * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dx1, dx2, B * X, 1e-2)).toBeLessThan(1e-5);
    }
  });
  it("links and precedence, forward and backward", () => {
    seed(7);
    for (let s = 0; s < SIZES.length; s++) {
      const B = SIZES[s][0], N = SIZES[s][1];
      const w = randBuf<f32>(B * N, 0, wmax(0.2, N)), Lp = randBuf<f32>(B * N * N, 0, wmax(0.3, N)), pp = randBuf<f32>(B * N, 0, wmax(0.3, N));
      const L1 = randBuf<f32>(B * N * N), L2 = randBuf<f32>(B * N * N), p1 = randBuf<f32>(B * N), p2 = randBuf<f32>(B * N);
      link_fwd_f32(B, N, w, Lp, pp, L1, p1);
      link_fwd<f32>(B, N, w, Lp, pp, L2, p2);
      expect<f64>(maxErr(L1, L2, B * N * N, 1e-3)).toBeLessThan(1e-6);
      expect<f64>(maxErr(p1, p2, B * N, 1e-3)).toBeLessThan(1e-6);
      const dL = randBuf<f32>(B * N * N), dL0 = copyBuf<f32>(dL, B * N * N), dp = randBuf<f32>(B * N);
      const o1 = randBuf<f32>(B * N * N), o2 = randBuf<f32>(B * N * N), q1 = randBuf<f32>(B * N), q2 = randBuf<f32>(B * N);
      const dw1 = randBuf<f32>(B * N), dw2 = copyBuf<f32>(dw1, B * N);
      link_bwd_f32(B, N, w, Lp, pp, dL, dp, o1, q1, dw1);
      link_bwd<f32>(B, N, w, Lp, pp, dL, dp, o2, q2, dw2);
      expect<f64>(maxErr(o1, o2, B * N * N, 1e-3)).toBeLessThan(1e-5);
      expect<f64>(maxErr(q1, q2, B * N, 1e-3)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dw1, dw2, B * N, 1e-3)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dL, dL0, B * N * N, 0)).toBe(0); // its input left as it was
    }
  });
  it("usage backward", () => {
    seed(9);
    for (let s = 0; s < SIZES.length; s++) {
      const B = SIZES[s][0], N = SIZES[s][1], W = SIZES[s][2], R = SIZES[s][3], X = xiSize(R, W);
      const xi = randBuf<f32>(B * X, 0, 1), up = randBuf<f32>(B * N, 0, 1), wwp = randBuf<f32>(B * N, 0, 0.5), wrp = randBuf<f32>(B * R * N, 0, 0.5);
      const du = randBuf<f32>(B * N);
      const a1 = randBuf<f32>(B * N), a2 = copyBuf<f32>(a1, B * N), b1 = randBuf<f32>(B * N), b2 = copyBuf<f32>(b1, B * N);
      const c1 = randBuf<f32>(B * R * N), c2 = copyBuf<f32>(c1, B * R * N), x1 = randBuf<f32>(B * X), x2 = copyBuf<f32>(x1, B * X);
      usage_bwd_f32(B, N, R, W, up, wwp, wrp, xi, X, du, a1, b1, c1, x1);
      usage_bwd<f32>(B, N, R, W, up, wwp, wrp, xi, X, du, a2, b2, c2, x2);
      expect<f64>(maxErr(a1, a2, B * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(b1, b2, B * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(c1, c2, B * R * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(x1, x2, B * X, 1e-2)).toBeLessThan(1e-5);
    }
  });
  it("memory write, forward and backward", () => {
    seed(8);
    for (let s = 0; s < SIZES.length; s++) {
      const B = SIZES[s][0], N = SIZES[s][1], W = SIZES[s][2], R = SIZES[s][3], X = xiSize(R, W);
      const xi = randBuf<f32>(B * X, 0, 1), a = randBuf<f32>(B * N, 0, 1), cw = randBuf<f32>(B * N, 0, 1), ww = randBuf<f32>(B * N, 0, 0.5);
      const Mp = randBuf<f32>(B * N * W), dM = randBuf<f32>(B * N * W), dww = randBuf<f32>(B * N);
      // the forward does the reference's operations in its order: equal to the bit
      const w1 = randBuf<f32>(B * N), w2 = randBuf<f32>(B * N), M1 = randBuf<f32>(B * N * W), M2 = randBuf<f32>(B * N * W);
      write_fwd_f32(B, N, W, R, xi, X, a, cw, w1, Mp, M1);
      write_fwd<f32>(B, N, W, R, xi, X, a, cw, w2, Mp, M2);
      expect<f64>(maxErr(w1, w2, B * N, 1e-3)).toBe(0);
      expect<f64>(maxErr(M1, M2, B * N * W, 1e-3)).toBe(0);
      const o1 = randBuf<f32>(B * N * W), o2 = copyBuf<f32>(o1, B * N * W), da1 = randBuf<f32>(B * N), da2 = randBuf<f32>(B * N);
      const dc1 = randBuf<f32>(B * N), dc2 = randBuf<f32>(B * N), dx1 = randBuf<f32>(B * X), dx2 = copyBuf<f32>(dx1, B * X);
      write_bwd_f32(B, N, W, R, xi, X, a, cw, ww, Mp, dM, dww, o1, da1, dc1, dx1);
      write_bwd<f32>(B, N, W, R, xi, X, a, cw, ww, Mp, dM, dww, o2, da2, dc2, dx2);
      expect<f64>(maxErr(o1, o2, B * N * W, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(da1, da2, B * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dc1, dc2, B * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dx1, dx2, B * X, 1e-2)).toBeLessThan(1e-5);
    }
  });
  it("interface forward", () => {
    seed(9);
    for (let s = 0; s < SIZES.length; s++) {
      // rows wider than ξ (ld = X + 3), raw values over a wide range: saturated sigmoids at both ends
      const B = SIZES[s][0], W = SIZES[s][2], R = SIZES[s][3], X = xiSize(R, W), ld = X + 3;
      const raw = randBuf<f32>(B * ld, -30, 30), x1 = randBuf<f32>(B * ld), x2 = copyBuf<f32>(x1, B * ld);
      iface_fwd_f32(B, R, W, raw, x1, ld);
      iface_fwd<f32>(B, R, W, raw, x2, ld);
      // σ to its relative bound (math.ts); copies, strengths and read modes equal to the bit
      expect<f64>(maxErr(x1, x2, B * ld, 0)).toBeLessThan(4e-7);
      expect<f64>(maxErr(x1, x2, B * ld, 0)).toBeGreaterThan(0); // the sigmoids did take the f32x4 path
    }
  });
});
