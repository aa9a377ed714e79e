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
      let psi: f64 = 1;
      for (let i = 0; i < R; i++) psi *= 1 - g64<T>(xb, fo + i) * g64<T>(wrprev, (b * R + i) * N + n);
      const up = g64<T>(uprev, b * N + n), wp = g64<T>(wwprev, b * N + n), g = g64<T>(du, b * N + n);
      addSat<T>(duprev, b * N + n, g * psi * (1 - wp));
      addSat<T>(dwwprev, b * N + n, g * psi * (1 - up));
      const dpsi = g * (up + wp - up * wp);
      for (let i = 0; i < R; i++) {
        // ∂ψ/∂(f_i w_i) = −Π_{j≠i}(1 − f_j w_j), formed directly (no division by a factor that may be 0)
        let rest: f64 = 1;
        for (let j = 0; j < R; j++) if (j != i) rest *= 1 - g64<T>(xb, fo + j) * g64<T>(wrprev, (b * R + j) * N + n);
        const fi = g64<T>(xb, fo + i), wi = g64<T>(wrprev, (b * R + i) * N + n);
        addSat<T>(dwrprev, (b * R + i) * N + n, -dpsi * rest * fi);
        addSat<T>(dxb, fo + i, -dpsi * rest * wi);
      }
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
