// SAM's sparse write (Rae et al. 2016, eq. 5–6): to the slots the heads read
// at the step before and to the least-recently-used slot u, which is erased:
//   w^w = α (γ · w̄^r_{t−1} + (1 − γ) · 1_u),  w̄^r_{t−1} = (1/R) Σ_h w^r_{h,t−1}
//   M_t = (1 − 1_u 1ᵀ) ∘ M_{t−1} + w^w vᵀ
// as Kw = R·K + 1 entries per stream (common.ts): entry 0 sets row u to
// w₀·v, entry e ≥ 1 adds w_e·v to its row. Each entry saves its row before
// (old) and after (new) in the step's log, so that the host can undo steps for
// the backward and redo them (sam_rows) without an N×W copy per step.
import { get, put, g64, addSat, slot, sV, sA, sG } from "./common";
import { axpy, axpySat, dotSat, scaleInto } from "../dnc/vec";

export function sam_write_fwd<T>(B: i32, R: i32, N: i32, W: i32, K: i32, xi: usize, ldx: i32, pidx: usize, pw: usize,
                                 lru: usize, M: usize, widx: usize, wval: usize, old: usize, nw: usize): void {
  const sz = <usize>sizeof<T>(), Kw = R * K + 1, rowB = <usize>W * sz, inv: f64 = 1.0 / <f64>R;
  for (let b = 0; b < B; b++) {
    const x = xi + <usize>b * ldx * sz, v = x + <usize>sV(R, W) * sz;
    const al = <f64>get<T>(x, sA(R, W)), ga = <f64>get<T>(x, sG(R, W));
    const Mb = M + <usize>b * N * rowB;
    for (let e = 0; e < Kw; e++) {
      const n = e == 0 ? slot<T>(lru, b) : slot<T>(pidx, b * R * K + e - 1);
      const we = e == 0 ? al * (1 - ga) : al * ga * inv * <f64>get<T>(pw, b * R * K + e - 1);
      const ei = b * Kw + e, row = Mb + <usize>n * rowB;
      put<T>(widx, ei, <T>n); put<T>(wval, ei, <T>we);
      memory.copy(old + <usize>ei * rowB, row, rowB);
      for (let j = 0; j < W; j++) put<T>(row, j, <T>((e == 0 ? 0 : <f64>get<T>(row, j)) + we * <f64>get<T>(v, j)));
      memory.copy(nw + <usize>ei * rowB, row, rowB);
    }
  }
}

/**
 * The write's backward, entries in reverse: dv += w_e·dM[n_e], dw_e = dM[n_e]·v
 * (plus dwv[e], what else used the weights: the sparse DNC's links; 0 for
 * none) into dα, dγ and dpw (the previous step's read weights); the erased
 * row's gradient stops at entry 0. Needs no memory, only the step's record.
 */
export function sam_write_bwd<T>(B: i32, R: i32, N: i32, W: i32, K: i32, xi: usize, ldx: i32, pw: usize,
                                 widx: usize, wval: usize, dM: usize, dpw: usize, dxi: usize, dwv: usize): void {
  const sz = <usize>sizeof<T>(), Kw = R * K + 1, inv: f64 = 1.0 / <f64>R;
  for (let b = 0; b < B; b++) {
    const x = xi + <usize>b * ldx * sz, v = x + <usize>sV(R, W) * sz, dx = dxi + <usize>b * ldx * sz, dv = dx + <usize>sV(R, W) * sz;
    const al = <f64>get<T>(x, sA(R, W)), ga = <f64>get<T>(x, sG(R, W));
    const dMb = dM + <usize>b * N * W * sz;
    let dal: f64 = 0, dga: f64 = 0;
    for (let e = Kw - 1; e >= 0; e--) {
      const ei = b * Kw + e, n = slot<T>(widx, ei), we = g64<T>(wval, ei);
      let dwe: f64 = dwv ? g64<T>(dwv, ei) : 0;
      for (let j = 0; j < W; j++) { const g = g64<T>(dMb, n * W + j); dwe += g * g64<T>(v, j); addSat<T>(dv, j, we * g); }
      if (e == 0) {
        dal += dwe * (1 - ga); dga -= dwe * al;
        for (let j = 0; j < W; j++) put<T>(dMb, n * W + j, <T>0);
      } else {
        const p = g64<T>(pw, b * R * K + e - 1);
        dal += dwe * ga * inv * p; dga += dwe * al * inv * p;
        addSat<T>(dpw, b * R * K + e - 1, dwe * al * ga * inv);
      }
    }
    addSat<T>(dx, sA(R, W), dal); addSat<T>(dx, sG(R, W), dga);
  }
}

/**
 * Rows from a step's log back into memory: the old rows in reverse entry order
 * (undo: M_t → M_{t−1}), or the new rows in order (redo: M_{t−1} → M_t).
 */
export function sam_rows<T>(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, widx: usize, log: usize, undo: i32): void {
  const sz = <usize>sizeof<T>(), Kw = R * K + 1, rowB = <usize>W * sz;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Kw; i++) {
      const e = undo ? Kw - 1 - i : i, ei = b * Kw + e;
      memory.copy(M + (<usize>b * N + slot<T>(widx, ei)) * rowB, log + <usize>ei * rowB, rowB);
    }
  }
}

/** Zeroes the rows of dM that `cnt` entries per stream name: the backward leaves dM all zero at O(K·W) a step. */
export function sam_zero_rows<T>(B: i32, N: i32, W: i32, cnt: i32, idx: usize, dM: usize): void {
  const rowB = <usize>W * sizeof<T>();
  for (let b = 0; b < B; b++) {
    for (let e = 0; e < cnt; e++) memory.fill(dM + (<usize>b * N + slot<T>(idx, b * cnt + e)) * rowB, 0, rowB);
  }
}

// ---- f32x4 (the SIMD build); the specs compare them with the references above ----

/** sam_write_fwd with its rows in f32x4 (the weights in f64 as above, then rounded). */
export function sam_write_fwd_f32(B: i32, R: i32, N: i32, W: i32, K: i32, xi: usize, ldx: i32, pidx: usize, pw: usize,
                                  lru: usize, M: usize, widx: usize, wval: usize, old: usize, nw: usize): void {
  const Kw = R * K + 1, rowB = <usize>W << 2, inv: f64 = 1.0 / <f64>R;
  for (let b = 0; b < B; b++) {
    const x = xi + (<usize>b * ldx << 2), v = x + (<usize>sV(R, W) << 2);
    const al = <f64>get<f32>(x, sA(R, W)), ga = <f64>get<f32>(x, sG(R, W));
    const Mb = M + <usize>b * N * rowB;
    for (let e = 0; e < Kw; e++) {
      const n = e == 0 ? slot<f32>(lru, b) : slot<f32>(pidx, b * R * K + e - 1);
      const we = <f32>(e == 0 ? al * (1 - ga) : al * ga * inv * <f64>get<f32>(pw, b * R * K + e - 1));
      const ei = b * Kw + e, row = Mb + <usize>n * rowB;
      put<f32>(widx, ei, <f32>n); put<f32>(wval, ei, we);
      memory.copy(old + <usize>ei * rowB, row, rowB);
      if (e == 0) scaleInto(W, we, v, row); else axpy(W, we, v, row);
      memory.copy(nw + <usize>ei * rowB, row, rowB);
    }
  }
}

/** sam_write_bwd with its rows in f32x4: dw_e = dM[n_e]·v (dotSat), dv += w_e·dM[n_e] (axpySat). */
export function sam_write_bwd_f32(B: i32, R: i32, N: i32, W: i32, K: i32, xi: usize, ldx: i32, pw: usize,
                                  widx: usize, wval: usize, dM: usize, dpw: usize, dxi: usize, dwv: usize): void {
  const Kw = R * K + 1, inv: f64 = 1.0 / <f64>R;
  for (let b = 0; b < B; b++) {
    const x = xi + (<usize>b * ldx << 2), v = x + (<usize>sV(R, W) << 2), dx = dxi + (<usize>b * ldx << 2), dv = dx + (<usize>sV(R, W) << 2);
    const al = <f64>get<f32>(x, sA(R, W)), ga = <f64>get<f32>(x, sG(R, W));
    const dMb = dM + (<usize>b * N * W << 2);
    let dal: f64 = 0, dga: f64 = 0;
    for (let e = Kw - 1; e >= 0; e--) {
      const ei = b * Kw + e, row = dMb + (<usize>slot<f32>(widx, ei) * W << 2);
      const dwe = (dwv ? g64<f32>(dwv, ei) : 0) + <f64>dotSat(W, row, v);
      axpySat(W, get<f32>(wval, ei), row, dv);
      if (e == 0) {
        dal += dwe * (1 - ga); dga -= dwe * al;
        memory.fill(row, 0, <usize>W << 2);
      } else {
        const p = g64<f32>(pw, b * R * K + e - 1);
        dal += dwe * ga * inv * p; dga += dwe * al * inv * p;
        addSat<f32>(dpw, b * R * K + e - 1, dwe * al * ga * inv);
      }
    }
    addSat<f32>(dx, sA(R, W), dal); addSat<f32>(dx, sG(R, W), dga);
  }
}
