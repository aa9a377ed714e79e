// The sparse DNC's interface: SAM's ξ (sam/common.ts) and then each head's
// three read modes (backward, content, forward), softmaxed per head as the
// dense DNC's are. |ξ| = R·W + R + W + 2 + 3R.
import { get, put, g64, putSat } from "./common";
import { samXiSize } from "../sam/common";
import { sam_iface_fwd, sam_iface_bwd } from "../sam/interface";

export function sdncXiSize(R: i32, W: i32): i32 { return samXiSize(R, W) + 3 * R; }

export function sdnc_iface_fwd<T>(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void {
  sam_iface_fwd<T>(B, R, W, raw, xi, ld);
  const mo = samXiSize(R, W);
  for (let b = 0; b < B; b++) {
    const s = raw + <usize>b * ld * sizeof<T>(), d = xi + <usize>b * ld * sizeof<T>();
    for (let h = 0; h < R; h++) {
      const o = mo + 3 * h;
      const a = <f64>get<T>(s, o), c = <f64>get<T>(s, o + 1), e = <f64>get<T>(s, o + 2);
      const m = Math.max(a, Math.max(c, e));
      const ea = Math.exp(a - m), ec = Math.exp(c - m), ee = Math.exp(e - m), z = ea + ec + ee;
      put<T>(d, o, <T>(ea / z)); put<T>(d, o + 1, <T>(ec / z)); put<T>(d, o + 2, <T>(ee / z));
    }
  }
}

export function sdnc_iface_bwd<T>(B: i32, R: i32, W: i32, raw: usize, xi: usize, dxi: usize, draw: usize, ld: i32): void {
  sam_iface_bwd<T>(B, R, W, raw, xi, dxi, draw, ld);
  const mo = samXiSize(R, W);
  for (let b = 0; b < B; b++) {
    const o = <usize>b * ld * sizeof<T>(), y = xi + o, g = dxi + o, d = draw + o;
    for (let h = 0; h < R; h++) {
      const k = mo + 3 * h;
      let dot: f64 = 0;
      for (let j = 0; j < 3; j++) dot += g64<T>(y, k + j) * g64<T>(g, k + j);
      for (let j = 0; j < 3; j++) putSat<T>(d, k + j, g64<T>(y, k + j) * (g64<T>(g, k + j) - dot));
    }
  }
}
