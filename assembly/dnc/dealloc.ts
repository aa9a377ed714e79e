// De-allocation that erases (Csordás & Schmidhuber, ICLR 2019; MODELS.md,
// "Options that default off"): freeing a slot lowers its usage, but in the
// plain DNC its word stays and a content lookup can still find it. With the
// option the write starts from the memory scaled row by row by the retention
//   ψ[n] = Π_i (1 − f_i w^r_{i,t−1}[n])      (the usage's ψ: usage.ts's retention, shared)
//   M_t = (ψ 1ᵀ ∘ M_{t−1}) ∘ (1 − w^w eᵀ) + w^w vᵀ
// retention_*: ψ from the free gates and the last read weightings (B rows of N);
// rowscale_*:  y[n] = ψ[n] · x[n] over B blocks of N×W, and its backward
//              dx[n] += ψ[n] · dy[n],  dψ[n] += dy[n] · x[n].
// The scaled memory is recomputed for the backward from M_{t−1} and ψ.
import { put, g64, addSat, oF } from "./common";
import { retention, retentionBack } from "./usage";
import { at, clampf, clampv, dotSat } from "./vec";

export function retention_fwd<T>(B: i32, N: i32, R: i32, W: i32, wrprev: usize, xi: usize, ldxi: i32, psi: usize): void {
  for (let b = 0; b < B; b++) {
    const xb = xi + <usize>b * ldxi * sizeof<T>();
    for (let n = 0; n < N; n++) put<T>(psi, b * N + n, <T>retention<T>(R, N, xb, oF(R, W), wrprev, b, n));
  }
}

/** dpsi: the gradient into ψ; accumulates into dwrprev and the free gates of dxi. */
export function retention_bwd<T>(B: i32, N: i32, R: i32, W: i32, wrprev: usize, xi: usize, ldxi: i32, dpsi: usize, dwrprev: usize, dxi: usize): void {
  for (let b = 0; b < B; b++) {
    const o = <usize>b * ldxi * sizeof<T>();
    for (let n = 0; n < N; n++) retentionBack<T>(R, N, xi + o, dxi + o, oF(R, W), wrprev, dwrprev, b, n, g64<T>(dpsi, b * N + n));
  }
}

export function rowscale_fwd<T>(B: i32, N: i32, W: i32, psi: usize, x: usize, y: usize): void {
  for (let r = 0; r < B * N; r++) {
    const p = g64<T>(psi, r);
    for (let j = 0; j < W; j++) put<T>(y, r * W + j, <T>(p * g64<T>(x, r * W + j)));
  }
}

export function rowscale_bwd<T>(B: i32, N: i32, W: i32, psi: usize, x: usize, dy: usize, dx: usize, dpsi: usize): void {
  for (let r = 0; r < B * N; r++) {
    const p = g64<T>(psi, r);
    let acc: f64 = 0;
    for (let j = 0; j < W; j++) {
      const g = g64<T>(dy, r * W + j);
      addSat<T>(dx, r * W + j, p * g);
      acc += g * g64<T>(x, r * W + j);
    }
    addSat<T>(dpsi, r, acc);
  }
}

// ---- f32x4 (the SIMD build); the specs compare it with the reference above ----

export function rowscale_fwd_f32(B: i32, N: i32, W: i32, psi: usize, x: usize, y: usize): void {
  const W4 = W & ~3;
  for (let r = 0; r < B * N; r++) {
    const p = load<f32>(at(psi, r)), pv = f32x4.splat(p), xr = at(x, r * W), yr = at(y, r * W);
    let j = 0;
    for (; j < W4; j += 4) v128.store(at(yr, j), f32x4.mul(pv, v128.load(at(xr, j))));
    for (; j < W; j++) store<f32>(at(yr, j), p * load<f32>(at(xr, j)));
  }
}

export function rowscale_bwd_f32(B: i32, N: i32, W: i32, psi: usize, x: usize, dy: usize, dx: usize, dpsi: usize): void {
  const W4 = W & ~3;
  for (let r = 0; r < B * N; r++) {
    const p = load<f32>(at(psi, r)), pv = f32x4.splat(p), xr = at(x, r * W), gr = at(dy, r * W), dr = at(dx, r * W);
    let j = 0;
    for (; j < W4; j += 4) v128.store(at(dr, j), clampv(f32x4.add(v128.load(at(dr, j)), f32x4.mul(pv, v128.load(at(gr, j))))));
    for (; j < W; j++) store<f32>(at(dr, j), clampf(load<f32>(at(dr, j)) + p * load<f32>(at(gr, j))));
    // dψ by the saturating dot product (f64 when the f32 sum would overflow)
    store<f32>(at(dpsi, r), clampf(load<f32>(at(dpsi, r)) + dotSat(W, gr, xr)));
  }
}
