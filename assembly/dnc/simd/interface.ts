// The interface transforms, f32x4 (reference: ../interface.ts).
import { oE, oF } from "../common";
import { ifaceRow } from "../interface";
import { vsigmoid } from "../../math";

/**
 * iface_fwd for f32: the erase vector and the gates (W + R + 2 sigmoids per row, most of the row's
 * transcendentals) by the vectorised σ of math.ts instead of f64 Math.exp.
 */
export function iface_fwd_f32(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void {
  const e = <usize>oE(R, W) << 2, f = <usize>oF(R, W) << 2; // the free gates, g^a and g^w are contiguous
  for (let b = 0; b < B; b++) {
    const s = raw + ((<usize>b * ld) << 2), d = xi + ((<usize>b * ld) << 2);
    ifaceRow<f32>(R, W, s, d);
    vsigmoid(W, s + e, d + e);
    vsigmoid(R + 2, s + f, d + f);
  }
}
