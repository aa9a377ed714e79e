// The sparse DNC's directional read weightings (MODELS.md, "SDNC"): from
// head h's read weighting of the step before (Kr = 3K entries, slot n_e and
// weight w_e, as the write takes them) and the links L_t,
//   f_h[i] = Σ_e w_e L_t[i][n_e]   (forward: the slots written after n_e; L's column n_e)
//   b_h[j] = Σ_e w_e L_t[n_e][j]   (backward: the slots written before n_e; L's row n_e)
// each cut to its K largest entries (equal: the lower slot), padded with
// slot 0 and weight 0. The kept slots are constants of the gradient (held:
// keep the last pass's, for the gradient check).
//   pidx, pw: B·R·Kr previous read entries;  bidx, bval, fidx, fval: B·R·K
import { get, g64, addSat, slot, lslot, cg, ig, is, offer, choose, colSize } from "./common";

export function sdnc_dir_fwd<T>(B: i32, R: i32, N: i32, K: i32, Kr: i32, pidx: usize, pw: usize, Li: usize, Lv: usize, col: usize,
                                map: usize, cs: usize, cv: usize, bidx: usize, bval: usize, fidx: usize, fval: usize, held: i32): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    const Lib = Li + <usize>(b * N * K) * sz, Lvb = Lv + <usize>(b * N * K) * sz, cb = col + (<usize>(b * colSize(N, K)) << 2);
    for (let h = 0; h < R; h++) {
      const eb = (b * R + h) * Kr, ob = <usize>((b * R + h) * K) * sz;
      let nc = 0;
      for (let e = 0; e < Kr; e++) {
        const s = slot<T>(pidx, eb + e), w = g64<T>(pw, eb + e);
        if (w == 0) continue;
        for (let q = 0; q < K; q++) {
          const j = lslot<T>(Lib, s * K + q);
          if (j >= 0) nc = offer(map, cs, cv, nc, j, w * g64<T>(Lvb, s * K + q));
        }
      }
      choose<T>(held, K, map, cs, cv, nc, bidx + ob, bval + ob, 0);
      nc = 0;
      for (let e = 0; e < Kr; e++) {
        const s = slot<T>(pidx, eb + e), w = g64<T>(pw, eb + e);
        if (w == 0) continue;
        for (let node = cg(cb, s); node >= 0; node = cg(cb, N + node)) nc = offer(map, cs, cv, nc, node / K, w * g64<T>(Lvb, node));
      }
      choose<T>(held, K, map, cs, cv, nc, fidx + ob, fval + ob, 0);
    }
  }
}

/**
 * dbval, dfval (B·R·K) → dpw (the previous read weights, added) and dL (added); Li, Lv hold L_t.
 * The previous entries are merged by slot first (W_s = Σ_{e: n_e = s} w_e; every entry of a slot gets
 * the same ∂/∂w_e), so each kept slot of b and f meets each link entry once: O(Kr + K²) per head.
 *   map, bmap: i32 N, −1 between calls;  cs: i32 ≥ Kr;  cv: f64 ≥ 2·Kr (W_s, then its gradient at Kr + p)
 */
export function sdnc_dir_bwd<T>(B: i32, R: i32, N: i32, K: i32, Kr: i32, pidx: usize, pw: usize, Li: usize, Lv: usize,
                                bidx: usize, bval: usize, fidx: usize, fval: usize, dbval: usize, dfval: usize, dL: usize, dpw: usize,
                                map: usize, bmap: usize, cs: usize, cv: usize): void {
  const sz = <usize>sizeof<T>(), G = cv + (<usize>Kr << 3);
  for (let b = 0; b < B; b++) {
    const Lib = Li + <usize>(b * N * K) * sz, Lvb = Lv + <usize>(b * N * K) * sz, dLb = dL + <usize>(b * N * K) * sz;
    for (let h = 0; h < R; h++) {
      const eb = (b * R + h) * Kr, ob = (b * R + h) * K;
      let nc = 0;
      for (let e = 0; e < Kr; e++) {
        const w = g64<T>(pw, eb + e);
        if (w != 0) nc = offer(map, cs, cv, nc, slot<T>(pidx, eb + e), w);
      }
      for (let p = 0; p < nc; p++) store<f64>(G + (<usize>p << 3), 0);
      // b[j] = Σ_s W_s L[s][j]: the rows of the previous slots, entries whose slot b kept
      for (let q = 0; q < K; q++) if (get<T>(bval, ob + q) > <T>0 && g64<T>(dbval, ob + q) != 0) is(bmap, slot<T>(bidx, ob + q), q);
      for (let p = 0; p < nc; p++) {
        const s = ig(cs, p), ws = load<f64>(cv + (<usize>p << 3));
        for (let a = 0; a < K; a++) {
          const j = lslot<T>(Lib, s * K + a);
          if (j < 0) continue;
          const q = ig(bmap, j);
          if (q < 0) continue;
          const g = g64<T>(dbval, ob + q);
          store<f64>(G + (<usize>p << 3), load<f64>(G + (<usize>p << 3)) + g * g64<T>(Lvb, s * K + a));
          addSat<T>(dLb, s * K + a, g * ws);
        }
      }
      for (let q = 0; q < K; q++) if (get<T>(bval, ob + q) > <T>0 && g64<T>(dbval, ob + q) != 0) is(bmap, slot<T>(bidx, ob + q), -1);
      // f[i] = Σ_s W_s L[i][s]: the rows f kept, entries naming a previous slot
      for (let q = 0; q < K; q++) {
        const g = g64<T>(dfval, ob + q);
        if (!(get<T>(fval, ob + q) > <T>0) || g == 0) continue;
        const i = slot<T>(fidx, ob + q);
        for (let a = 0; a < K; a++) {
          const s = lslot<T>(Lib, i * K + a);
          if (s < 0) continue;
          const p = ig(map, s);
          if (p < 0) continue;
          store<f64>(G + (<usize>p << 3), load<f64>(G + (<usize>p << 3)) + g * g64<T>(Lvb, i * K + a));
          addSat<T>(dLb, i * K + a, g * load<f64>(cv + (<usize>p << 3)));
        }
      }
      for (let e = 0; e < Kr; e++) {
        if (g64<T>(pw, eb + e) == 0) continue;
        addSat<T>(dpw, eb + e, load<f64>(G + (<usize>ig(map, slot<T>(pidx, eb + e)) << 3)));
      }
      for (let p = 0; p < nc; p++) is(map, ig(cs, p), -1);
    }
  }
}
