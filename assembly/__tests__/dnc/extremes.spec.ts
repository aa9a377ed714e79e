// Every DNC op chained on extreme interface values: every output and gradient stays finite.
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

let GMAX: f64 = 1;

describe("DNC memory: every output finite for extreme inputs", () => {
  it("zero memory, identical rows, huge strengths, saturated gates, f32", () => {
    seed(99);
    const B = 2, N = 6, W = 4, R = 5, X = xiSize(R, W); // five heads: the f32x4 read backward's four-head and one-head paths
    const ext: f64[] = [0, 1e30, -1e30, 80, -80, 1e-30, 3.4e38, -3.4e38];
    for (let trial = 0; trial < 120; trial++) {
      const raw = randBuf<f32>(B * X), xi = randBuf<f32>(B * X);
      for (let i = 0; i < B * X; i++) store<f32>(raw + (<usize>i << 2), <f32>ext[<i32>rnd(0, 8) % 8]);
      // the write vector v is the one piece with no squashing: memory holds what is written, so
      // keep v (and so M) within a range whose sums stay finite in f32; everything else is extreme
      for (let b = 0; b < B; b++) for (let j = 0; j < W; j++) store<f32>(raw + (<usize>(b * X + oV(R, W) + j) << 2), <f32>rnd(-1e3, 1e3));
      iface_fwd<f32>(B, R, W, raw, xi, X);
      const Mp = randBuf<f32>(B * N * W, -1, 1);
      if (trial % 3 == 0) memory.fill(Mp, 0, <usize>(B * N * W) << 2);              // zero memory
      if (trial % 3 == 1) for (let i = 0; i < B * N * W; i++) store<f32>(Mp + (<usize>i << 2), <f32>(i % W)); // identical rows
      const up = randBuf<f32>(B * N, 0, 1), wwp = randBuf<f32>(B * N, 0, 0.2), wrp = randBuf<f32>(B * R * N, 0, 0.2);
      const Lp = randBuf<f32>(B * N * N, 0, 0.1), pp = randBuf<f32>(B * N, 0, 0.1);
      const u = randBuf<f32>(B * N), a = randBuf<f32>(B * N), phi = heap.alloc(<usize>(B * N) << 2), cw = randBuf<f32>(B * N), ww = randBuf<f32>(B * N);
      const M = randBuf<f32>(B * N * W), L = randBuf<f32>(B * N * N), p = randBuf<f32>(B * N);
      const cr = randBuf<f32>(B * R * N), fw = randBuf<f32>(B * R * N), bw = randBuf<f32>(B * R * N), wr = randBuf<f32>(B * R * N), r = randBuf<f32>(B * R * W);
      usage_fwd<f32>(B, N, R, W, up, wwp, wrp, xi, X, u);
      alloc_fwd<f32>(B, N, u, a, phi, 0, 0);
      content_fwd<f32>(B, 1, N, W, Mp, xi, X, xi + (<usize>(R * W + R + W) << 2), X, cw, N);
      write_fwd<f32>(B, N, W, R, xi, X, a, cw, ww, Mp, M);
      link_fwd<f32>(B, N, ww, Lp, pp, L, p);
      content_fwd<f32>(B, R, N, W, M, xi, X, xi + (<usize>(R * W) << 2), X, cr, R * N);
      read_fwd<f32>(B, N, W, R, L, wrp, M, cr, xi, X, fw, bw, wr, r);
      let ok = true;
      const outs: usize[] = [xi, u, a, cw, ww, M, L, p, cr, wr, r];
      const lens: i32[] = [B * X, B * N, B * N, B * N, B * N, B * N * W, B * N * N, B * N, B * R * N, B * R * N, B * R * W];
      for (let o = 0; o < outs.length; o++) for (let i = 0; i < lens[o]; i++) if (!isFinite(load<f32>(outs[o] + (<usize>i << 2)))) { if (ok) trace("non-finite forward output", 2, o, i); ok = false; }
      // and the backward
      // incoming gradients: ordinary, or (every fourth trial) already saturated at the f32 range
      GMAX = trial % 4 == 3 ? 3.4e38 : 1;
      const g = (n: i32): usize => randBuf<f32>(n, -GMAX, GMAX);
      const z = (n: i32): usize => { const q = randBuf<f32>(n); memory.fill(q, 0, <usize>n << 2); return q; };
      const dxi = z(B * X), dM = g(B * N * W), dL = g(B * N * N), dp = g(B * N), dww = g(B * N), dwr = g(B * R * N), dr = g(B * R * W);
      const dMp = z(B * N * W), dLp = z(B * N * N), dpp = z(B * N), dwrp = z(B * R * N), dcr = z(B * R * N), da = z(B * N), dcw = z(B * N), du = g(B * N), dup = z(B * N), dwwp = z(B * N), draw = z(B * X);
      read_bwd<f32>(B, N, W, R, L, wrp, M, cr, xi, X, fw, bw, wr, dr, dwr, dM, dL, dwrp, dcr, dxi);
      content_bwd<f32>(B, R, N, W, M, xi, X, xi + (<usize>(R * W) << 2), X, cr, dcr, R * N, dM, dxi, dxi + (<usize>(R * W) << 2));
      link_bwd<f32>(B, N, ww, Lp, pp, dL, dp, dLp, dpp, dww);
      write_bwd<f32>(B, N, W, R, xi, X, a, cw, ww, Mp, dM, dww, dMp, da, dcw, dxi);
      content_bwd<f32>(B, 1, N, W, Mp, xi, X, xi + (<usize>(R * W + R + W) << 2), X, cw, dcw, N, dMp, dxi, dxi + (<usize>(R * W + R + W) << 2));
      alloc_bwd<f32>(B, N, u, a, phi, da, du);
      usage_bwd<f32>(B, N, R, W, up, wwp, wrp, xi, X, du, dup, dwwp, dwrp, dxi);
      iface_bwd<f32>(B, R, W, raw, xi, dxi, draw, X);
      const gouts: usize[] = [draw, dMp, dLp, dpp, dwrp, dup, dwwp];
      const glens: i32[] = [B * X, B * N * W, B * N * N, B * N, B * R * N, B * N, B * N];
      for (let o = 0; o < gouts.length; o++) for (let i = 0; i < glens[o]; i++) if (!isFinite(load<f32>(gouts[o] + (<usize>i << 2)))) { if (ok) trace("non-finite gradient", 2, o, i); ok = false; }
      // the f32x4 kernels of the training build, on the same extreme inputs
      const cw2 = z(B * N), cr2 = z(B * R * N), L2 = z(B * N * N), p2 = z(B * N), fw2 = z(B * R * N), bw2 = z(B * R * N), wr2 = z(B * R * N), r2 = z(B * R * W);
      content_fwd_f32(B, 1, N, W, Mp, xi, X, xi + (<usize>(R * W + R + W) << 2), X, cw2, N);
      content_fwd_f32(B, R, N, W, M, xi, X, xi + (<usize>(R * W) << 2), X, cr2, R * N);
      link_fwd_f32(B, N, ww, Lp, pp, L2, p2);
      read_fwd_f32(B, N, W, R, L2, wrp, M, cr2, xi, X, fw2, bw2, wr2, r2);
      const sdM = g(B * N * W), sdL = g(B * N * N), sdk = z(B * X), sdLp = z(B * N * N), sdpp = z(B * N), sdw = z(B * N), sdwrp = z(B * R * N), sdcr = z(B * R * N);
      read_bwd_f32(B, N, W, R, L2, wrp, M, cr2, xi, X, fw2, bw2, wr2, g(B * R * W), g(B * R * N), sdM, sdL, sdwrp, sdcr, sdk);
      content_bwd_f32(B, R, N, W, M, xi, X, xi + (<usize>(R * W) << 2), X, cr2, sdcr, R * N, sdM, sdk, sdk + (<usize>(R * W) << 2));
      content_bwd_f32(B, 1, N, W, Mp, xi, X, xi + (<usize>(R * W + R + W) << 2), X, cw2, g(B * N), N, sdM, sdk, sdk + (<usize>(R * W + R + W) << 2));
      link_bwd_f32(B, N, ww, Lp, pp, sdL, g(B * N), sdLp, sdpp, sdw);
      const sdMp = z(B * N * W), sda = z(B * N), sdcw = z(B * N), sdup = z(B * N), sdwwp = z(B * N);
      write_bwd_f32(B, N, W, R, xi, X, a, cw2, ww, Mp, sdM, sdw, sdMp, sda, sdcw, sdk);
      usage_bwd_f32(B, N, R, W, up, wwp, wrp, xi, X, g(B * N), sdup, sdwwp, sdwrp, sdk);
      const souts: usize[] = [cw2, cr2, L2, p2, wr2, r2, sdM, sdk, sdLp, sdpp, sdw, sdwrp, sdMp, sda, sdcw, sdup, sdwwp];
      const slens: i32[] = [B * N, B * R * N, B * N * N, B * N, B * R * N, B * R * W, B * N * W, B * X, B * N * N, B * N, B * N, B * R * N, B * N * W, B * N, B * N, B * N, B * N];
      for (let o = 0; o < souts.length; o++) for (let i = 0; i < slens[o]; i++) if (!isFinite(load<f32>(souts[o] + (<usize>i << 2)))) { if (ok) trace("non-finite simd output", 2, o, i); ok = false; }
      expect<bool>(ok).toBe(true);
    }
  });
});
