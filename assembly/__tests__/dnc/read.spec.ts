// reads: hand-worked cases, then the f32x4 kernels against the scalar reference at odd sizes.
import { randBuf, seed, rnd } from "../util";
import { alloc_fwd, usage_fwd } from "../../dnc/usage";
import { link_fwd, link_bwd } from "../../dnc/links";
import { read_fwd, read_bwd } from "../../dnc/read";
import { content_fwd, content_bwd } from "../../dnc/content";
import { write_fwd, write_bwd } from "../../dnc/write";
import { iface_fwd, iface_bwd } from "../../dnc/interface";
import { usage_bwd, alloc_bwd } from "../../dnc/usage";
import { xiSize, oF, oPi, oGa, oGw, oE, oV } from "../../dnc/common";
import { content_fwd_f32, content_bwd_f32 } from "../../dnc/content";
import { read_fwd_f32, read_bwd_f32 } from "../../dnc/read";
import { link_fwd_f32, link_bwd_f32 } from "../../dnc/links";
import { write_bwd_f32 } from "../../dnc/write";
import { usage_bwd_f32 } from "../../dnc/usage";
import { randBuf, copyBuf, maxErr, seed } from "../util";
import { write_fwd_f32, write_bwd_f32 } from "../../dnc/write";
import { iface_fwd_f32 } from "../../dnc/interface";
import { iface_fwd } from "../../dnc/interface";
import { usage_bwd } from "../../dnc/usage";
import { xiSize } from "../../dnc/common";
import { buf, at, zeros, allFinite, SIZES, wmax } from "./helpers";

describe("DNC reads: hand-worked cases", () => {
  it("directional reads follow the links forward and backward", () => {
    // slots written in order 0 → 1 → 2: L[1,0] = L[2,1] = 1; read head at slot 1
    const N = 3, W = 2, R = 1, X = xiSize(R, W);
    const L = zeros(9); store<f64>(L + (<usize>3 << 3), 1); store<f64>(L + (<usize>7 << 3), 1);
    const M = buf([1, 2, 3, 4, 5, 6]);
    const wrp = buf([0, 1, 0]), cr = buf([0.2, 0.3, 0.5]);
    const fw = zeros(3), bw = zeros(3), wr = zeros(3), r = zeros(2);
    for (let mode = 0; mode < 3; mode++) {
      const xi = zeros(X);
      store<f64>(xi + (<usize>(oPi(R, W) + mode) << 3), 1); // π = one-hot(mode): backward, content, forward
      read_fwd<f64>(1, N, W, R, L, wrp, M, cr, xi, X, fw, bw, wr, r);
      expect<f64>(at(fw, 2)).toBe(1); expect<f64>(at(fw, 0)).toBe(0); // forward: the slot written after 1
      expect<f64>(at(bw, 0)).toBe(1); expect<f64>(at(bw, 2)).toBe(0); // backward: the slot written before 1
      if (mode == 0) { expect<f64>(at(r, 0)).toBe(1); expect<f64>(at(r, 1)).toBe(2); }
      if (mode == 2) { expect<f64>(at(r, 0)).toBe(5); expect<f64>(at(r, 1)).toBe(6); }
      if (mode == 1) expect<f64>(Math.abs(at(r, 0) - (0.2 * 1 + 0.3 * 3 + 0.5 * 5))).toBeLessThan(1e-12);
    }
  });
});

describe("DNC reads: the f32x4 version against the reference", () => {
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
});
