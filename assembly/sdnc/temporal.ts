// The sparse DNC's directional read weightings (MODELS.md, "SDNC"): from
// head h's read weighting of the step before (Kr = 3K entries, slot n_e and
// weight w_e, as the write takes them) and the links L_t,
//   f_h[i] = Σ_e w_e L_t[i][n_e]   (forward: the slots written after n_e; L's column n_e)
//   b_h[j] = Σ_e w_e L_t[n_e][j]   (backward: the slots written before n_e; L's row n_e)
// each cut to its K largest entries (equal: the lower slot), padded with
// slot 0 and weight 0. The kept slots are constants of the gradient (held:
// keep the last pass's, for the gradient check).
//   pidx, pw: B·R·Kr previous read entries;  bidx, bval, fidx, fval: B·R·K
import { get, g64, addSat, slot, lslot, cg, find, offer, choose, colSize } from "./common";

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

/** dbval, dfval (B·R·K) → dpw (the previous read weights, added) and dL (added); Li, Lv hold L_t. */
export function sdnc_dir_bwd<T>(B: i32, R: i32, N: i32, K: i32, Kr: i32, pidx: usize, pw: usize, Li: usize, Lv: usize,
                                bidx: usize, bval: usize, fidx: usize, fval: usize, dbval: usize, dfval: usize, dL: usize, dpw: usize): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    const Lib = Li + <usize>(b * N * K) * sz, Lvb = Lv + <usize>(b * N * K) * sz, dLb = dL + <usize>(b * N * K) * sz;
    for (let h = 0; h < R; h++) {
      const eb = (b * R + h) * Kr, ob = (b * R + h) * K;
      for (let q = 0; q < K; q++) {
        const gb = g64<T>(dbval, ob + q), gf = g64<T>(dfval, ob + q);
        const jb = get<T>(bval, ob + q) > <T>0 && gb != 0 ? slot<T>(bidx, ob + q) : -1;
        const jf = get<T>(fval, ob + q) > <T>0 && gf != 0 ? slot<T>(fidx, ob + q) : -1;
        for (let e = 0; e < Kr; e++) {
          const s = slot<T>(pidx, eb + e), w = g64<T>(pw, eb + e);
          if (w == 0) continue;
          if (jb >= 0) {
            // b[jb] ∋ w_e L[s][jb]
            const a = find<T>(Lib + <usize>(s * K) * sz, K, jb);
            if (a >= 0) { addSat<T>(dpw, eb + e, gb * g64<T>(Lvb, s * K + a)); addSat<T>(dLb, s * K + a, gb * w); }
          }
          if (jf >= 0) {
            // f[jf] ∋ w_e L[jf][s]
            const a = find<T>(Lib + <usize>(jf * K) * sz, K, s);
            if (a >= 0) { addSat<T>(dpw, eb + e, gf * g64<T>(Lvb, jf * K + a)); addSat<T>(dLb, jf * K + a, gf * w); }
          }
        }
      }
    }
  }
}
