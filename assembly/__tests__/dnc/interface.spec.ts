// the interface vector: the f32x4 kernels against the scalar reference at odd sizes.
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

describe("DNC the interface vector: the f32x4 version against the reference", () => {
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
