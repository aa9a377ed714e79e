// Content-based addressing, for Hh heads per stream over that stream's memory:
//   ‖a‖ = √(Σa² + ε),  D[n] = k·M[n] / (‖k‖‖M[n]‖ + ε),  c = softmax_n(β·D)
// ε keeps zero keys and zero rows finite (the seed's division by zero).
//   M: B blocks of N×W (stride N·W)   k: head h of stream b at k + (b·ldk + h·W)
//   beta: at beta + (b·ldb + h)       c: at c + (b·ldc + h·N)
// The backward recomputes ‖k‖, ‖M[n]‖ and D from M and k (O(N·W), cheaper
// than storing them) and accumulates into dk, dbeta and dM.
import { get, put, addSat, EPS } from "./common";

export function content_fwd<T>(B: i32, Hh: i32, N: i32, W: i32, M: usize, k: usize, ldk: i32, beta: usize, ldb: i32, c: usize, ldc: i32): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * W * sz;
    for (let h = 0; h < Hh; h++) {
      const kb = k + (<usize>b * ldk + h * W) * sz, cb = c + (<usize>b * ldc + h * N) * sz;
      const bt = <f64>get<T>(beta, b * ldb + h);
      let kk: f64 = 0;
      for (let w = 0; w < W; w++) { const x = <f64>get<T>(kb, w); kk += x * x; }
      const kn = Math.sqrt(kk + EPS);
      let mx = -Infinity;
      for (let n = 0; n < N; n++) {
        let dot: f64 = 0, mm: f64 = 0;
        for (let w = 0; w < W; w++) { const m = <f64>get<T>(Mb, n * W + w); dot += m * <f64>get<T>(kb, w); mm += m * m; }
        const s = bt * dot / (kn * Math.sqrt(mm + EPS) + EPS);
        put<T>(cb, n, <T>s);
        // the max of the stored (rounded) values: an f32 rounding above the
        // f64 max would make e^{s−max} overflow for huge strengths
        const sr = <f64>get<T>(cb, n);
        if (sr > mx) mx = sr;
      }
      let z: f64 = 0;
      for (let n = 0; n < N; n++) { const e = Math.exp(<f64>get<T>(cb, n) - mx); put<T>(cb, n, <T>e); z += e; }
      for (let n = 0; n < N; n++) put<T>(cb, n, <T>(<f64>get<T>(cb, n) / z));
    }
  }
}

export function content_bwd<T>(B: i32, Hh: i32, N: i32, W: i32, M: usize, k: usize, ldk: i32, beta: usize, ldb: i32,
                               c: usize, dc: usize, ldc: i32, dM: usize, dk: usize, dbeta: usize): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * W * sz, dMb = dM + <usize>b * N * W * sz;
    for (let h = 0; h < Hh; h++) {
      const ko = (<usize>b * ldk + h * W) * sz, co = (<usize>b * ldc + h * N) * sz;
      const kb = k + ko, dkb = dk + ko, cb = c + co, dcb = dc + co;
      const bt = <f64>get<T>(beta, b * ldb + h);
      let kk: f64 = 0;
      for (let w = 0; w < W; w++) { const x = <f64>get<T>(kb, w); kk += x * x; }
      const kn = Math.sqrt(kk + EPS);
      // softmax backward: ds = c ∘ (dc − c·dc)
      let cdc: f64 = 0;
      for (let n = 0; n < N; n++) cdc += <f64>get<T>(cb, n) * <f64>get<T>(dcb, n);
      let dbt: f64 = 0, dkn: f64 = 0;
      for (let n = 0; n < N; n++) {
        const ds = <f64>get<T>(cb, n) * (<f64>get<T>(dcb, n) - cdc);
        let dot: f64 = 0, mm: f64 = 0;
        for (let w = 0; w < W; w++) { const m = <f64>get<T>(Mb, n * W + w); dot += m * <f64>get<T>(kb, w); mm += m * m; }
        const mn = Math.sqrt(mm + EPS), den = kn * mn + EPS, D = dot / den;
        dbt += ds * D;
        const dD = ds * bt;
        const ddot = dD / den, dden = -dD * D / den;
        dkn += dden * mn;
        const dmn = dden * kn;
        // dk += ddot·M[n];  dM[n] += ddot·k + dmn·M[n]/‖M[n]‖
        for (let w = 0; w < W; w++) {
          const m = <f64>get<T>(Mb, n * W + w);
          addSat<T>(dkb, w, ddot * m);
          addSat<T>(dMb, n * W + w, ddot * <f64>get<T>(kb, w) + dmn * m / mn);
        }
      }
      for (let w = 0; w < W; w++) addSat<T>(dkb, w, dkn * <f64>get<T>(kb, w) / kn);
      addSat<T>(dbeta, b * ldb + h, dbt);
    }
  }
}
