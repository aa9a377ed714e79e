// SAM's sparse reads over the K slots each head's scan chose (scan.ts):
//   w_h[j] = softmax_j(β_h · D_h[j]),   r_h = Σ_j w_h[j] · M[idx_h[j]]
// The backward takes dr (from the output and the controller) and dw, what the
// next step's write sent back to these weights (write.ts), recomputes D from
// M and k (O(K·W)) and accumulates into dM, dk and dβ. M is the memory after
// this step's write (the host undoes later steps' writes before calling it).
import { EPS, get, put, g64, addSat, slot } from "./common";
import { axpy, axpySat, dotSat, sumsq64, sat32 } from "../dnc/vec";

/** w[base + j] = softmax_j(βt · sim[base + j]) over K entries, in f64 (both builds). */
// @ts-ignore: decorator
@inline function softmaxEntries<T>(K: i32, bt: f64, sim: usize, w: usize, base: i32): void {
  let mx = -Infinity;
  for (let j = 0; j < K; j++) { const s = bt * <f64>get<T>(sim, base + j); if (s > mx) mx = s; }
  let z: f64 = 0;
  for (let j = 0; j < K; j++) { const e = Math.exp(bt * <f64>get<T>(sim, base + j) - mx); put<T>(w, base + j, <T>e); z += e; }
  for (let j = 0; j < K; j++) put<T>(w, base + j, <T>(<f64>get<T>(w, base + j) / z));
}

export function sam_read_fwd<T>(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, idx: usize, sim: usize,
                                beta: usize, ldb: i32, w: usize, r: usize): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * W * sz;
    for (let h = 0; h < R; h++) {
      const base = (b * R + h) * K, rb = r + (<usize>(b * R + h) * W) * sz;
      softmaxEntries<T>(K, <f64>get<T>(beta, b * ldb + h), sim, w, base);
      for (let x = 0; x < W; x++) {
        let acc: f64 = 0;
        for (let j = 0; j < K; j++) acc += <f64>get<T>(w, base + j) * <f64>get<T>(Mb, slot<T>(idx, base + j) * W + x);
        put<T>(rb, x, <T>acc);
      }
    }
  }
}

export function sam_read_bwd<T>(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, idx: usize, k: usize, ldk: i32,
                                beta: usize, ldb: i32, w: usize, dr: usize, dw: usize, dM: usize, dk: usize, dbeta: usize): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * W * sz, dMb = dM + <usize>b * N * W * sz;
    for (let h = 0; h < R; h++) {
      const base = (b * R + h) * K, bt = <f64>get<T>(beta, b * ldb + h);
      const ko = (<usize>b * ldk + h * W) * sz, kb = k + ko, dkb = dk + ko, drb = dr + (<usize>(b * R + h) * W) * sz;
      // dw[j] += dr·M[j];  dM[j] += w[j]·dr
      for (let j = 0; j < K; j++) {
        const n = slot<T>(idx, base + j), wj = <f64>get<T>(w, base + j);
        let s: f64 = 0;
        for (let x = 0; x < W; x++) { const g = g64<T>(drb, x); s += g * g64<T>(Mb, n * W + x); addSat<T>(dMb, n * W + x, wj * g); }
        addSat<T>(dw, base + j, s);
      }
      let wdw: f64 = 0;
      for (let j = 0; j < K; j++) wdw += g64<T>(w, base + j) * g64<T>(dw, base + j);
      let kk: f64 = 0;
      for (let x = 0; x < W; x++) { const v = g64<T>(kb, x); kk += v * v; }
      const kn = Math.sqrt(kk + EPS);
      let dbt: f64 = 0, dkn: f64 = 0;
      for (let j = 0; j < K; j++) {
        const n = slot<T>(idx, base + j);
        const dz = g64<T>(w, base + j) * (g64<T>(dw, base + j) - wdw);
        let dt: f64 = 0, mm: f64 = 0;
        for (let x = 0; x < W; x++) { const m = g64<T>(Mb, n * W + x); dt += m * g64<T>(kb, x); mm += m * m; }
        const mn = Math.sqrt(mm + EPS), den = kn * mn + EPS, D = dt / den;
        dbt += dz * D;
        const dD = dz * bt, ddot = dD / den, dden = -dD * D / den;
        dkn += dden * mn;
        const dmn = dden * kn;
        for (let x = 0; x < W; x++) {
          const m = g64<T>(Mb, n * W + x);
          addSat<T>(dkb, x, ddot * m);
          addSat<T>(dMb, n * W + x, ddot * g64<T>(kb, x) + dmn * m / mn);
        }
      }
      for (let x = 0; x < W; x++) addSat<T>(dkb, x, dkn * g64<T>(kb, x) / kn);
      addSat<T>(dbeta, b * ldb + h, dbt);
    }
  }
}

// ---- f32x4 (the SIMD build); the specs compare them with the references above ----
// The softmax and every per-entry scalar stay in f64 as above; the row work (the read's weighted sum,
// dr·M[n], the cosine's dot products and the row updates) runs in f32x4, saturated as dnc/vec.ts's.

/** sam_read_fwd in f32x4 rows: r_h = Σ_j w_j M[n_j] as scaled row sums. */
export function sam_read_fwd_f32(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, idx: usize, sim: usize,
                                 beta: usize, ldb: i32, w: usize, r: usize): void {
  for (let b = 0; b < B; b++) {
    const Mb = M + (<usize>b * N * W << 2);
    for (let h = 0; h < R; h++) {
      const base = (b * R + h) * K;
      softmaxEntries<f32>(K, <f64>get<f32>(beta, b * ldb + h), sim, w, base);
      weightedRows(K, W, Mb, idx, w, base, r + (<usize>(b * R + h) * W << 2));
    }
  }
}

/** out = Σ_e w[base + e] · M[idx[base + e]] over n entries (rows of W floats). */
// @ts-ignore: decorator
@inline export function weightedRows(n: i32, W: i32, Mb: usize, idx: usize, w: usize, base: i32, out: usize): void {
  memory.fill(out, 0, <usize>W << 2);
  for (let e = 0; e < n; e++) axpy(W, get<f32>(w, base + e), Mb + (<usize>slot<f32>(idx, base + e) * W << 2), out);
}

/** sam_read_bwd with its row work in f32x4. */
export function sam_read_bwd_f32(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, idx: usize, k: usize, ldk: i32,
                                 beta: usize, ldb: i32, w: usize, dr: usize, dw: usize, dM: usize, dk: usize, dbeta: usize): void {
  for (let b = 0; b < B; b++) {
    const Mb = M + (<usize>b * N * W << 2), dMb = dM + (<usize>b * N * W << 2);
    for (let h = 0; h < R; h++) {
      const base = (b * R + h) * K, bt = <f64>get<f32>(beta, b * ldb + h);
      const ko = (<usize>b * ldk + h * W) << 2, kb = k + ko, dkb = dk + ko, drb = dr + (<usize>(b * R + h) * W << 2);
      for (let j = 0; j < K; j++) {
        const row = <usize>slot<f32>(idx, base + j) * W << 2;
        addSat<f32>(dw, base + j, <f64>dotSat(W, drb, Mb + row));
        axpySat(W, get<f32>(w, base + j), drb, dMb + row);
      }
      let wdw: f64 = 0;
      for (let j = 0; j < K; j++) wdw += g64<f32>(w, base + j) * g64<f32>(dw, base + j);
      const kn = Math.sqrt(sumsq64(W, kb) + EPS);
      let dbt: f64 = 0, dkn: f64 = 0;
      for (let j = 0; j < K; j++) {
        const row = Mb + (<usize>slot<f32>(idx, base + j) * W << 2);
        const dz = g64<f32>(w, base + j) * (g64<f32>(dw, base + j) - wdw);
        const dt = <f64>dotSat(W, row, kb), mn = Math.sqrt(<f64>dotSat(W, row, row) + EPS), den = kn * mn + EPS, D = dt / den;
        dbt += dz * D;
        const dD = dz * bt, ddot = dD / den, dden = -dD * D / den;
        dkn += dden * mn;
        axpySat(W, sat32(ddot), row, dkb);
        const dRow = dMb + (row - Mb);
        axpySat(W, sat32(ddot), kb, dRow);
        axpySat(W, sat32(dden * kn / mn), row, dRow);
      }
      axpySat(W, sat32(dkn / kn), kb, dkb);
      addSat<f32>(dbeta, b * ldb + h, dbt);
    }
  }
}
