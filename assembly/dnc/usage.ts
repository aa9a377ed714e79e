// Usage with free gates, and dynamic allocation (MODELS.md steps 1–2).
//   ψ = Π_i (1 − f_i w^r_{i,t−1})
//   u_t = (u_{t−1} + w^w_{t−1} − u_{t−1} ∘ w^w_{t−1}) ∘ ψ
//   û = ε + (1 − ε) u_t;  φ = slots sorted by û ascending (ties: lower index first)
//   a[φ_j] = (1 − û[φ_j]) Π_{m<j} û[φ_m]
// The sort order φ is stored per step and held constant in the backward; with
// `frozen` the forward reuses a stored φ instead of sorting (the gradient
// check holds φ fixed this way, so that its finite differences never cross a
// change of order, where the function has a kink).
// Layouts: u, w^w: B rows of N; w^r: B rows of R·N; ξ: B rows of stride ldxi.
import { get, put, g64, addSat, oF, EPS } from "./common";
import { at, clampf, clampv, hsumSat } from "./vec";
import { DPS } from "../scratch";

/** ψ[n] = Π_i (1 − f_i w^r_{i,t−1}[n]) for stream b, in f64 (xb: that stream's ξ row; fo: the free gates' offset). */
// @ts-ignore: decorator
@inline export function retention<T>(R: i32, N: i32, xb: usize, fo: i32, wrprev: usize, b: i32, n: i32): f64 {
  let psi: f64 = 1;
  for (let i = 0; i < R; i++) psi *= 1 - g64<T>(xb, fo + i) * g64<T>(wrprev, (b * R + i) * N + n);
  return psi;
}

/** ψ[n]'s backward for a gradient dpsi into it: accumulates into w^r_{t−1} and the free gates of dxb. */
// @ts-ignore: decorator
@inline export function retentionBack<T>(R: i32, N: i32, xb: usize, dxb: usize, fo: i32, wrprev: usize, dwrprev: usize, b: i32, n: i32, dpsi: f64): void {
  for (let i = 0; i < R; i++) {
    // ∂ψ/∂(f_i w_i) = −Π_{j≠i}(1 − f_j w_j), formed directly (no division by a factor that may be 0)
    let rest: f64 = 1;
    for (let j = 0; j < R; j++) if (j != i) rest *= 1 - g64<T>(xb, fo + j) * g64<T>(wrprev, (b * R + j) * N + n);
    const fi = g64<T>(xb, fo + i), wi = g64<T>(wrprev, (b * R + i) * N + n);
    addSat<T>(dwrprev, (b * R + i) * N + n, -dpsi * rest * fi);
    addSat<T>(dxb, fo + i, -dpsi * rest * wi);
  }
}

export function usage_fwd<T>(B: i32, N: i32, R: i32, W: i32, uprev: usize, wwprev: usize, wrprev: usize, xi: usize, ldxi: i32, u: usize): void {
  for (let b = 0; b < B; b++) {
    const xb = xi + <usize>b * ldxi * sizeof<T>(), fo = oF(R, W);
    for (let n = 0; n < N; n++) {
      let psi = <T>1;
      for (let i = 0; i < R; i++) psi *= <T>1 - get<T>(xb, fo + i) * get<T>(wrprev, (b * R + i) * N + n);
      const up = get<T>(uprev, b * N + n), wp = get<T>(wwprev, b * N + n);
      put<T>(u, b * N + n, (up + wp - up * wp) * psi);
    }
  }
}

/** du is the gradient into u_t; accumulates into duprev, dwwprev, dwrprev and the free gates of dxi. */
export function usage_bwd<T>(B: i32, N: i32, R: i32, W: i32, uprev: usize, wwprev: usize, wrprev: usize, xi: usize, ldxi: i32,
                             du: usize, duprev: usize, dwwprev: usize, dwrprev: usize, dxi: usize): void {
  for (let b = 0; b < B; b++) {
    const xb = xi + <usize>b * ldxi * sizeof<T>(), dxb = dxi + <usize>b * ldxi * sizeof<T>(), fo = oF(R, W);
    for (let n = 0; n < N; n++) {
      const psi = retention<T>(R, N, xb, fo, wrprev, b, n);
      const up = g64<T>(uprev, b * N + n), wp = g64<T>(wwprev, b * N + n), g = g64<T>(du, b * N + n);
      addSat<T>(duprev, b * N + n, g * psi * (1 - wp));
      addSat<T>(dwwprev, b * N + n, g * psi * (1 - up));
      retentionBack<T>(R, N, xb, dxb, fo, wrprev, dwrprev, b, n, g * (up + wp - up * wp));
    }
  }
}

export function alloc_fwd<T>(B: i32, N: i32, u: usize, a: usize, phi: usize, frozen: i32, start: usize): void {
  const e = <T>EPS;
  for (let b = 0; b < B; b++) {
    const ph = phi + (<usize>b * N << 2), u0 = u + <usize>b * N * sizeof<T>();
    if (!frozen) {
      // insertion sort by (û, index): a total order, so any starting permutation gives the same φ.
      // Started from the previous step's order (`start`, if not 0), which usage changes little, it
      // moves few slots: O(N) instead of O(N²) per step.
      for (let j = 0; j < N; j++) store<i32>(ph + (<usize>j << 2), start ? load<i32>(start + (<usize>(b * N + j) << 2)) : j);
      // the key is û as computed below, not u: usages that differ by rounding can give equal û
      // (after saturated gates), and then the index decides, as the contract says
      for (let j = 1; j < N; j++) {
        const s = load<i32>(ph + (<usize>j << 2)), x = e + (<T>1 - e) * get<T>(u0, s);
        let m = j - 1;
        while (m >= 0) {
          const q = load<i32>(ph + (<usize>m << 2)), y = e + (<T>1 - e) * get<T>(u0, q);
          if (!(y > x || (y == x && q > s))) break;
          store<i32>(ph + (<usize>(m + 1) << 2), q);
          m--;
        }
        store<i32>(ph + (<usize>(m + 1) << 2), s);
      }
    }
    let prod = <T>1;
    for (let j = 0; j < N; j++) {
      const s = load<i32>(ph + (<usize>j << 2));
      const uh = e + (<T>1 - e) * get<T>(u, b * N + s);
      put<T>(a, b * N + s, (<T>1 - uh) * prod);
      prod *= uh;
    }
  }
}

/** Accumulates into du the gradient of a (given da), with φ held constant. */
export function alloc_bwd<T>(B: i32, N: i32, u: usize, a: usize, phi: usize, da: usize, du: usize): void {
  const e = EPS;
  for (let b = 0; b < B; b++) {
    const ph = phi + (<usize>b * N << 2);
    // a_j = (1 − û_j)·Π_{m<j} û_m in sorted order:
    //   ∂a_j/∂û_j = −Π_{m<j} û_m,   ∂a_j/∂û_m = a_j / û_m for m < j
    // so dû_m = −da_m·Π_{l<m} û_l + (Σ_{j>m} da_j a_j) / û_m, with û ≥ ε > 0.
    let prefix: f64 = 1;
    for (let j = 0; j < N; j++) {
      const s = load<i32>(ph + (<usize>j << 2));
      addSat<T>(du, b * N + s, -g64<T>(da, b * N + s) * prefix * (1 - e));
      prefix *= e + (1 - e) * g64<T>(u, b * N + s);
    }
    let suffix: f64 = 0;
    for (let j = N - 1; j >= 0; j--) {
      const s = load<i32>(ph + (<usize>j << 2));
      const uh = e + (1 - e) * g64<T>(u, b * N + s);
      addSat<T>(du, b * N + s, suffix / uh * (1 - e));
      suffix += g64<T>(da, b * N + s) * g64<T>(a, b * N + s);
    }
  }
}

// ---- f32x4 (the SIMD build); the specs compare it with the reference above ----

// (DPS, dψ·(u' + w' − u'w') per slot between the two passes: scratch.ts)

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
