// Usage backward, f32x4 (reference: ../usage.ts).
import { oF } from "../common";
import { MAX_SLOTS, at, clampf, clampv, hsumSat } from "./vec";

/** dψ·(u' + w' − u'w') per slot of one stream, between the two passes of usage_bwd_f32. */
const DPS = memory.data(MAX_SLOTS * 4, 16);

/** Π_{j≠skip} (1 − f_j w'_j[n…n+3]) for the R heads of one stream (skip = −1: all of them). */
// @ts-ignore: decorator
@inline function retention4(R: i32, N: i32, f: usize, wr: usize, n: i32, skip: i32): v128 {
  const one = f32x4.splat(1);
  let p = one;
  for (let j = 0; j < R; j++) if (j != skip) p = f32x4.mul(p, f32x4.sub(one, f32x4.mul(v128.load32_splat(at(f, j)), v128.load(at(wr, j * N + n)))));
  return p;
}
// @ts-ignore: decorator
@inline function retention1(R: i32, N: i32, f: usize, wr: usize, n: i32, skip: i32): f32 {
  let p: f32 = 1;
  for (let j = 0; j < R; j++) if (j != skip) p *= <f32>1 - load<f32>(at(f, j)) * load<f32>(at(wr, j * N + n));
  return p;
}

/**
 * The backward of u = (u' + w' − u'∘w')∘ψ, ψ = Π_i (1 − f_i w^r'_i), four slots per vector (usage_bwd in
 * usage.ts). Every factor lies in [0, 1], so each term is a gradient times at most 1: finite; sums are
 * clamped where stored.
 */
export function usage_bwd_f32(B: i32, N: i32, R: i32, W: i32, uprev: usize, wwprev: usize, wrprev: usize, xi: usize, ldxi: i32,
                              du: usize, duprev: usize, dwwprev: usize, dwrprev: usize, dxi: usize): void {
  const one = f32x4.splat(1), fo = oF(R, W);
  for (let b = 0; b < B; b++) {
    const f = at(xi, b * ldxi + fo), df = at(dxi, b * ldxi + fo), wr = at(wrprev, b * R * N), dwr = at(dwrprev, b * R * N);
    const up = at(uprev, b * N), wp = at(wwprev, b * N), g = at(du, b * N), dup = at(duprev, b * N), dwp = at(dwwprev, b * N);
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const psi = retention4(R, N, f, wr, n, -1), u4 = v128.load(at(up, n)), w4 = v128.load(at(wp, n)), g4 = v128.load(at(g, n));
      v128.store(at(dup, n), clampv(f32x4.add(v128.load(at(dup, n)), f32x4.mul(g4, f32x4.mul(psi, f32x4.sub(one, w4))))));
      v128.store(at(dwp, n), clampv(f32x4.add(v128.load(at(dwp, n)), f32x4.mul(g4, f32x4.mul(psi, f32x4.sub(one, u4))))));
      v128.store(at(DPS, n), clampv(f32x4.mul(g4, f32x4.sub(f32x4.add(u4, w4), f32x4.mul(u4, w4))))); // (u' + w' − u'w') may round above 1
    }
    for (; n < N; n++) {
      const psi = retention1(R, N, f, wr, n, -1), u1 = load<f32>(at(up, n)), w1 = load<f32>(at(wp, n)), g1 = load<f32>(at(g, n));
      store<f32>(at(dup, n), clampf(load<f32>(at(dup, n)) + g1 * (psi * (<f32>1 - w1))));
      store<f32>(at(dwp, n), clampf(load<f32>(at(dwp, n)) + g1 * (psi * (<f32>1 - u1))));
      store<f32>(at(DPS, n), clampf(g1 * (u1 + w1 - u1 * w1)));
    }
    // ∂ψ/∂(f_i w_i) = −Π_{j≠i}(1 − f_j w_j), formed directly (no division by a factor that may be 0)
    for (let i = 0; i < R; i++) {
      const fi = f32x4.splat(load<f32>(at(f, i))), wi = at(wr, i * N), dwi = at(dwr, i * N);
      let acc = f32x4.splat(0);
      n = 0;
      for (; n + 4 <= N; n += 4) {
        const t = f32x4.mul(v128.load(at(DPS, n)), retention4(R, N, f, wr, n, i));
        v128.store(at(dwi, n), clampv(f32x4.sub(v128.load(at(dwi, n)), f32x4.mul(t, fi))));
        acc = f32x4.add(acc, f32x4.mul(t, v128.load(at(wi, n))));
      }
      let s = hsumSat(clampv(acc));
      for (; n < N; n++) {
        const t = load<f32>(at(DPS, n)) * retention1(R, N, f, wr, n, i);
        store<f32>(at(dwi, n), clampf(load<f32>(at(dwi, n)) - t * f32x4.extract_lane(fi, 0)));
        s += t * load<f32>(at(wi, n));
      }
      store<f32>(at(df, i), clampf(load<f32>(at(df, i)) - clampf(s)));
    }
  }
}
