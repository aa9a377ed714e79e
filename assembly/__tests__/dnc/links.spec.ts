// temporal links and precedence: hand-worked cases, then the f32x4 kernels against the scalar reference at odd sizes.
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

describe("DNC temporal links and precedence: hand-worked cases", () => {
  it("links and precedence", () => {
    // w = [0.5, 0.3, 0], L' = 0, p' = [0.2, 0.1, 0.3]
    const N = 3, w = buf([0.5, 0.3, 0]), L0 = zeros(9), p0 = buf([0.2, 0.1, 0.3]), L = zeros(9), p = zeros(3);
    link_fwd<f64>(1, N, w, L0, p0, L, p);
    const want: f64[] = [0, 0.05, 0.15, 0.06, 0, 0.09, 0, 0, 0];
    for (let i = 0; i < 9; i++) expect<f64>(Math.abs(at(L, i) - want[i])).toBeLessThan(1e-15);
    const wp: f64[] = [0.54, 0.32, 0.06];
    for (let i = 0; i < 3; i++) expect<f64>(Math.abs(at(p, i) - wp[i])).toBeLessThan(1e-15);
    // second step: w = [0, 0, 1] decays every link into slot 2's row and column
    const w2 = buf([0, 0, 1]), L2 = zeros(9), p2 = zeros(3);
    link_fwd<f64>(1, N, w2, L, p, L2, p2);
    // L2[i,j] = (1 − w_i − w_j) L[i,j] + w_i p[j]
    expect<f64>(Math.abs(at(L2, 1) - 0.05)).toBeLessThan(1e-15);      // [0,1] untouched
    expect<f64>(Math.abs(at(L2, 2) - 0)).toBeLessThan(1e-15);         // [0,2]: (1 − 0 − 1)·0.15
    expect<f64>(Math.abs(at(L2, 6) - 0.54)).toBeLessThan(1e-15);      // [2,0] = p[0]: 2 written after 0
    expect<f64>(Math.abs(at(L2, 7) - 0.32)).toBeLessThan(1e-15);
    expect<f64>(at(L2, 8)).toBe(0);                                   // diagonal
    expect<f64>(Math.abs(at(p2, 2) - 1)).toBeLessThan(1e-15);         // (1 − 1)·p + w
  });
});

describe("DNC temporal links and precedence: the f32x4 version against the reference", () => {
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
});
