// Write weighting and the erase-and-add memory write (MODELS.md steps 3–4).
//   w^w = g^w (g^a a + (1 − g^a) c^w)
//   M_t = M_{t−1} ∘ (1 − w^w eᵀ) + w^w vᵀ
// Layouts: a, c^w, w^w: B rows of N; M: B blocks of N×W; ξ: B rows of stride ldxi.
import { get, put, g64, addSat, putSat, oE, oV, oGa, oGw } from "./common";

export function write_fwd<T>(B: i32, N: i32, W: i32, R: i32, xi: usize, ldxi: i32, a: usize, cw: usize, ww: usize, Mprev: usize, M: usize): void {
  for (let b = 0; b < B; b++) {
    const xb = xi + <usize>b * ldxi * sizeof<T>();
    const ga = get<T>(xb, oGa(R, W)), gw = get<T>(xb, oGw(R, W));
    for (let n = 0; n < N; n++) {
      const w = gw * (ga * get<T>(a, b * N + n) + (<T>1 - ga) * get<T>(cw, b * N + n));
      put<T>(ww, b * N + n, w);
      for (let j = 0; j < W; j++) {
        const o = (b * N + n) * W + j;
        put<T>(M, o, get<T>(Mprev, o) * (<T>1 - w * get<T>(xb, oE(R, W) + j)) + w * get<T>(xb, oV(R, W) + j));
      }
    }
  }
}

/**
 * dM: gradient into M_t. dww: gradient into w^w_t from later uses (links,
 * precedence, the next step's usage); the memory write's share is added here
 * first. Accumulates into dMprev and dxi (e, v, g^a, g^w); sets da and dcw.
 */
export function write_bwd<T>(B: i32, N: i32, W: i32, R: i32, xi: usize, ldxi: i32, a: usize, cw: usize, ww: usize, Mprev: usize,
                             dM: usize, dww: usize, dMprev: usize, da: usize, dcw: usize, dxi: usize): void {
  for (let b = 0; b < B; b++) {
    const xb = xi + <usize>b * ldxi * sizeof<T>(), dxb = dxi + <usize>b * ldxi * sizeof<T>();
    const eo = oE(R, W), vo = oV(R, W);
    const ga = g64<T>(xb, oGa(R, W)), gw = g64<T>(xb, oGw(R, W));
    let dga: f64 = 0, dgw: f64 = 0;
    for (let n = 0; n < N; n++) {
      const w = g64<T>(ww, b * N + n);
      let dw = g64<T>(dww, b * N + n);
      for (let j = 0; j < W; j++) {
        const o = (b * N + n) * W + j;
        const g = g64<T>(dM, o), mp = g64<T>(Mprev, o), e = g64<T>(xb, eo + j);
        dw += g * (g64<T>(xb, vo + j) - mp * e);
        addSat<T>(dxb, eo + j, -g * mp * w);
        addSat<T>(dxb, vo + j, g * w);
        addSat<T>(dMprev, o, g * (1 - w * e));
      }
      const an = g64<T>(a, b * N + n), cn = g64<T>(cw, b * N + n);
      dgw += dw * (ga * an + (1 - ga) * cn);
      dga += dw * gw * (an - cn);
      putSat<T>(da, b * N + n, dw * gw * ga);
      putSat<T>(dcw, b * N + n, dw * gw * (1 - ga));
    }
    addSat<T>(dxb, oGa(R, W), dga);
    addSat<T>(dxb, oGw(R, W), dgw);
  }
}
