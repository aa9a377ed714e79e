// Write weighting and the erase-and-add memory write (MODELS.md steps 3–4).
//   w^w = g^w (g^a a + (1 − g^a) c^w)
//   M_t = M_{t−1} ∘ (1 − w^w eᵀ) + w^w vᵀ
// Layouts: a, c^w, w^w: B rows of N; M: B blocks of N×W; ξ: B rows of stride ldxi.
import { get, put, g64, addSat, putSat, oE, oV, oGa, oGw } from "./common";
import { at, clampf, clampv, hsumSat, sat32 } from "./vec";
import { DW } from "../scratch";

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

// ---- f32x4 (the SIMD build); the specs compare it with the reference above ----

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

// (DW, the dw of a pass's one or two rows: scratch.ts)

export function write_bwd_f32(B: i32, N: i32, W: i32, R: i32, xi: usize, ldxi: i32, a: usize, cw: usize, ww: usize, Mprev: usize,
                              dM: usize, dww: usize, dMprev: usize, da: usize, dcw: usize, dxi: usize): void {
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const xb = at(xi, b * ldxi), dxb = at(dxi, b * ldxi);
    const e = at(xb, oE(R, W)), v = at(xb, oV(R, W)), de = at(dxb, oE(R, W)), dv = at(dxb, oV(R, W));
    const ga = <f64>load<f32>(at(xb, oGa(R, W))), gw = <f64>load<f32>(at(xb, oGw(R, W)));
    let dga: f64 = 0, dgw: f64 = 0;
    let n = 0;
    while (n < N) {
      // dw += g·(v − M'∘e);  de −= w·g∘M';  dv += w·g;  dM' += g∘(1 − w·e)
      let rows = 1;
      if (n + 2 <= N && (W & 3) == 0) {
        // rows without a tail two at a time: e, v and de, dv (sums down the columns) are loaded once
        // for both rows, which add to de, dv in row order, as the one-row branch does
        rows = 2;
        const wa = load<f32>(at(ww, b * N + n)), wb = load<f32>(at(ww, b * N + n + 1));
        const wav = f32x4.splat(wa), nwa = f32x4.splat(-wa), wbv = f32x4.splat(wb), nwb = f32x4.splat(-wb);
        const pga = at(dM, (b * N + n) * W), pgb = pga + (<usize>W << 2), pma = at(Mprev, (b * N + n) * W), pmb = pma + (<usize>W << 2);
        const poa = at(dMprev, (b * N + n) * W), pob = poa + (<usize>W << 2);
        let acca = f32x4.splat(0), accb = f32x4.splat(0);
        for (let j = 0; j < W; j += 4) {
          const q = <usize>j << 2, ej = v128.load(e + q), vj = v128.load(v + q);
          const gja = v128.load(pga + q), mja = v128.load(pma + q), gjb = v128.load(pgb + q), mjb = v128.load(pmb + q);
          acca = clampv(f32x4.add(acca, f32x4.mul(gja, f32x4.sub(vj, f32x4.mul(mja, ej)))));
          accb = clampv(f32x4.add(accb, f32x4.mul(gjb, f32x4.sub(vj, f32x4.mul(mjb, ej)))));
          const dej = clampv(f32x4.add(v128.load(de + q), f32x4.mul(f32x4.mul(nwa, mja), gja))); // (w·M')·g: no 0·Inf
          v128.store(de + q, clampv(f32x4.add(dej, f32x4.mul(f32x4.mul(nwb, mjb), gjb))));
          const dvj = clampv(f32x4.add(v128.load(dv + q), f32x4.mul(wav, gja)));
          v128.store(dv + q, clampv(f32x4.add(dvj, f32x4.mul(wbv, gjb))));
          v128.store(poa + q, clampv(f32x4.add(v128.load(poa + q), f32x4.mul(gja, f32x4.sub(one, f32x4.mul(wav, ej))))));
          v128.store(pob + q, clampv(f32x4.add(v128.load(pob + q), f32x4.mul(gjb, f32x4.sub(one, f32x4.mul(wbv, ej))))));
        }
        store<f64>(DW, <f64>hsumSat(acca)); store<f64>(DW, <f64>hsumSat(accb), 8);
      } else {
        const w = load<f32>(at(ww, b * N + n)), wv = f32x4.splat(w), nw = f32x4.splat(-w);
        const g = at(dM, (b * N + n) * W), mp = at(Mprev, (b * N + n) * W), out = at(dMprev, (b * N + n) * W);
        let acc = f32x4.splat(0);
        let j = 0;
        for (; j + 4 <= W; j += 4) {
          const gj = v128.load(at(g, j)), mj = v128.load(at(mp, j)), ej = v128.load(at(e, j));
          acc = clampv(f32x4.add(acc, f32x4.mul(gj, f32x4.sub(v128.load(at(v, j)), f32x4.mul(mj, ej)))));
          v128.store(at(de, j), clampv(f32x4.add(v128.load(at(de, j)), f32x4.mul(f32x4.mul(nw, mj), gj))));
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
        store<f64>(DW, dw);
      }
      // the write weighting's gradient dw of each row, into the gates and the allocation and content weightings
      for (let r = 0; r < rows; r++) {
        const m = b * N + n + r, dw = load<f64>(DW + (<usize>r << 3)) + <f64>load<f32>(at(dww, m));
        const an = <f64>load<f32>(at(a, m)), cn = <f64>load<f32>(at(cw, m));
        dgw += dw * (ga * an + (1 - ga) * cn);
        dga += dw * gw * (an - cn);
        store<f32>(at(da, m), sat32(dw * gw * ga));
        store<f32>(at(dcw, m), sat32(dw * gw * (1 - ga)));
      }
      n += rows;
    }
    store<f32>(at(dxb, oGa(R, W)), sat32(<f64>load<f32>(at(dxb, oGa(R, W))) + dga));
    store<f32>(at(dxb, oGw(R, W)), sat32(<f64>load<f32>(at(dxb, oGw(R, W))) + dgw));
  }
}
