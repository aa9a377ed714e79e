// the memory write: the f32x4 kernels against the scalar reference at odd sizes.
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

describe("DNC the memory write: the f32x4 version against the reference", () => {
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
});
