// Temporal link matrix and precedence (MODELS.md step 5), O(N²) per stream.
//   L_t[i,j] = (1 − w[i] − w[j]) L_{t−1}[i,j] + w[i] p_{t−1}[j],  L_t[i,i] = 0
//   p_t = (1 − Σ_n w[n]) p_{t−1} + w          (w = w^w_t)
// Layouts: w, p: B rows of N; L: B blocks of N×N.
import { get, put, g64, addSat, putSat } from "./common";

export function link_fwd<T>(B: i32, N: i32, ww: usize, Lprev: usize, pprev: usize, L: usize, p: usize): void {
  for (let b = 0; b < B; b++) {
    const o = b * N * N;
    let sw = <T>0;
    for (let n = 0; n < N; n++) sw += get<T>(ww, b * N + n);
    for (let i = 0; i < N; i++) {
      const wi = get<T>(ww, b * N + i);
      for (let j = 0; j < N; j++) {
        const v = i == j ? <T>0 : (<T>1 - wi - get<T>(ww, b * N + j)) * get<T>(Lprev, o + i * N + j) + wi * get<T>(pprev, b * N + j);
        put<T>(L, o + i * N + j, v);
      }
    }
    for (let n = 0; n < N; n++) put<T>(p, b * N + n, (<T>1 - sw) * get<T>(pprev, b * N + n) + get<T>(ww, b * N + n));
  }
}

/** dL, dp: gradients into L_t, p_t. Sets dLprev, dpprev; accumulates into dww. */
export function link_bwd<T>(B: i32, N: i32, ww: usize, Lprev: usize, pprev: usize, dL: usize, dp: usize,
                            dLprev: usize, dpprev: usize, dww: usize): void {
  for (let b = 0; b < B; b++) {
    const o = b * N * N;
    let sw: f64 = 0, dpp: f64 = 0;
    for (let n = 0; n < N; n++) { sw += g64<T>(ww, b * N + n); dpp += g64<T>(dp, b * N + n) * g64<T>(pprev, b * N + n); }
    for (let n = 0; n < N; n++) {
      putSat<T>(dpprev, b * N + n, g64<T>(dp, b * N + n) * (1 - sw));
      addSat<T>(dww, b * N + n, g64<T>(dp, b * N + n) - dpp);
    }
    for (let i = 0; i < N; i++) {
      const wi = g64<T>(ww, b * N + i);
      let dwi: f64 = 0;
      for (let j = 0; j < N; j++) {
        if (i == j) { put<T>(dLprev, o + i * N + j, <T>0); continue; }
        const g = g64<T>(dL, o + i * N + j), lp = g64<T>(Lprev, o + i * N + j);
        putSat<T>(dLprev, o + i * N + j, g * (1 - wi - g64<T>(ww, b * N + j)));
        dwi += g * (g64<T>(pprev, b * N + j) - lp);
        addSat<T>(dww, b * N + j, -g * lp);
        addSat<T>(dpprev, b * N + j, g * wi);
      }
      addSat<T>(dww, b * N + i, dwi);
    }
  }
}
