// Write weighting and the erase-and-add memory write (MODELS.md steps 3–4).
//   w^w = g^w (g^a a + (1 − g^a) c^w)
//   M_t = M_{t−1} ∘ (1 − w^w eᵀ) + w^w vᵀ
// Layouts: a, c^w, w^w: B rows of N; M: B blocks of N×W; ξ: B rows of stride ldxi.
import { get, put, add, oE, oV, oGa, oGw } from "./common";

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
    const ga = get<T>(xb, oGa(R, W)), gw = get<T>(xb, oGw(R, W));
    let dga = <T>0, dgw = <T>0;
    for (let n = 0; n < N; n++) {
      const w = get<T>(ww, b * N + n);
      let dw = get<T>(dww, b * N + n);
      for (let j = 0; j < W; j++) {
        const o = (b * N + n) * W + j;
        const g = get<T>(dM, o), mp = get<T>(Mprev, o), e = get<T>(xb, eo + j);
        dw += g * (get<T>(xb, vo + j) - mp * e);
        add<T>(dxb, eo + j, -g * mp * w);
        add<T>(dxb, vo + j, g * w);
        add<T>(dMprev, o, g * (<T>1 - w * e));
      }
      const an = get<T>(a, b * N + n), cn = get<T>(cw, b * N + n);
      dgw += dw * (ga * an + (<T>1 - ga) * cn);
      dga += dw * gw * (an - cn);
      put<T>(da, b * N + n, dw * gw * ga);
      put<T>(dcw, b * N + n, dw * gw * (<T>1 - ga));
    }
    add<T>(dxb, oGa(R, W), dga);
    add<T>(dxb, oGw(R, W), dgw);
  }
}
