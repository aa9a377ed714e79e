// The memory write, forward and backward, f32x4 (reference: ../write.ts).
import { oE, oV, oGa, oGw } from "../common";
import { at, clampf, clampv, hsumSat, sat32 } from "./vec";

/** w^w = g^w (g^a a + (1 − g^a) c^w);  M_t = M_{t−1} ∘ (1 − w^w eᵀ) + w^w vᵀ, the same operations as write_fwd in write.ts. */
export function write_fwd_f32(B: i32, N: i32, W: i32, R: i32, xi: usize, ldxi: i32, a: usize, cw: usize, ww: usize, Mprev: usize, M: usize): void {
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const xb = at(xi, b * ldxi), e = at(xb, oE(R, W)), v = at(xb, oV(R, W));
    const ga = load<f32>(at(xb, oGa(R, W))), gw = load<f32>(at(xb, oGw(R, W)));
    for (let n = 0; n < N; n++) {
      const w = gw * (ga * load<f32>(at(a, b * N + n)) + (<f32>1 - ga) * load<f32>(at(cw, b * N + n)));
      store<f32>(at(ww, b * N + n), w);
      const wv = f32x4.splat(w), mp = at(Mprev, (b * N + n) * W), mt = at(M, (b * N + n) * W);
      let j = 0;
      for (; j + 4 <= W; j += 4) {
        v128.store(at(mt, j), f32x4.add(f32x4.mul(v128.load(at(mp, j)), f32x4.sub(one, f32x4.mul(wv, v128.load(at(e, j))))), f32x4.mul(wv, v128.load(at(v, j)))));
      }
      for (; j < W; j++) store<f32>(at(mt, j), load<f32>(at(mp, j)) * (<f32>1 - w * load<f32>(at(e, j))) + w * load<f32>(at(v, j)));
    }
  }
}

export function write_bwd_f32(B: i32, N: i32, W: i32, R: i32, xi: usize, ldxi: i32, a: usize, cw: usize, ww: usize, Mprev: usize,
                              dM: usize, dww: usize, dMprev: usize, da: usize, dcw: usize, dxi: usize): void {
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const xb = at(xi, b * ldxi), dxb = at(dxi, b * ldxi);
    const e = at(xb, oE(R, W)), v = at(xb, oV(R, W)), de = at(dxb, oE(R, W)), dv = at(dxb, oV(R, W));
    const ga = <f64>load<f32>(at(xb, oGa(R, W))), gw = <f64>load<f32>(at(xb, oGw(R, W)));
    let dga: f64 = 0, dgw: f64 = 0;
    for (let n = 0; n < N; n++) {
      const w = load<f32>(at(ww, b * N + n)), wv = f32x4.splat(w), nw = f32x4.splat(-w);
      const g = at(dM, (b * N + n) * W), mp = at(Mprev, (b * N + n) * W), out = at(dMprev, (b * N + n) * W);
      // dw += g·(v − M'∘e);  de −= w·g∘M';  dv += w·g;  dM' += g∘(1 − w·e)
      let acc = f32x4.splat(0);
      let j = 0;
      for (; j + 4 <= W; j += 4) {
        const gj = v128.load(at(g, j)), mj = v128.load(at(mp, j)), ej = v128.load(at(e, j));
        acc = clampv(f32x4.add(acc, f32x4.mul(gj, f32x4.sub(v128.load(at(v, j)), f32x4.mul(mj, ej)))));
        v128.store(at(de, j), clampv(f32x4.add(v128.load(at(de, j)), f32x4.mul(f32x4.mul(nw, mj), gj)))); // (w·M')·g: no 0·Inf
        v128.store(at(dv, j), clampv(f32x4.add(v128.load(at(dv, j)), f32x4.mul(wv, gj))));
        v128.store(at(out, j), clampv(f32x4.add(v128.load(at(out, j)), f32x4.mul(gj, f32x4.sub(one, f32x4.mul(wv, ej))))));
      }
      let dw = <f64>hsumSat(acc);
      for (; j < W; j++) {
        const gj = load<f32>(at(g, j)), mj = load<f32>(at(mp, j)), ej = load<f32>(at(e, j));
        dw += <f64>gj * (<f64>load<f32>(at(v, j)) - <f64>mj * <f64>ej);
        store<f32>(at(de, j), clampf(load<f32>(at(de, j)) - (w * mj) * gj));
        store<f32>(at(dv, j), clampf(load<f32>(at(dv, j)) + w * gj));
        store<f32>(at(out, j), clampf(load<f32>(at(out, j)) + gj * (<f32>1 - w * ej)));
      }
      dw += <f64>load<f32>(at(dww, b * N + n));
      const an = <f64>load<f32>(at(a, b * N + n)), cn = <f64>load<f32>(at(cw, b * N + n));
      dgw += dw * (ga * an + (1 - ga) * cn);
      dga += dw * gw * (an - cn);
      store<f32>(at(da, b * N + n), sat32(dw * gw * ga));
      store<f32>(at(dcw, b * N + n), sat32(dw * gw * (1 - ga)));
    }
    store<f32>(at(dxb, oGa(R, W)), sat32(<f64>load<f32>(at(dxb, oGa(R, W))) + dga));
    store<f32>(at(dxb, oGw(R, W)), sat32(<f64>load<f32>(at(dxb, oGw(R, W))) + dgw));
  }
}
