// content addressing: hand-worked cases, then the f32x4 kernels against the scalar reference at odd sizes.
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

describe("DNC content addressing: hand-worked cases", () => {
  it("content weighting: a key equal to a row with a strong strength picks that row; zero memory is uniform", () => {
    const N = 3, W = 2;
    const M = buf([1, 0, 0, 1, -1, 0]), k = buf([0, 2]), beta = buf([50]), c = zeros(3);
    content_fwd<f64>(1, 1, N, W, M, k, W, beta, 1, c, N);
    expect<f64>(at(c, 1)).toBeGreaterThan(0.999);
    const Z = zeros(6);
    content_fwd<f64>(1, 1, N, W, Z, k, W, beta, 1, c, N);
    for (let n = 0; n < 3; n++) expect<f64>(Math.abs(at(c, n) - 1.0 / 3)).toBeLessThan(1e-12);
  });
});

describe("DNC content addressing: the f32x4 version against the reference", () => {
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
});
