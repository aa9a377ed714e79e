// The sparse DNC's temporal links and precedence (MODELS.md, "SDNC"). One
// step, per stream, with the step's write entries (slot n_e, weight w_e;
// w(i) = Σ_{e: n_e = i} w_e over the distinct written slots D):
//   row i ∈ D, w(i) > δ:  L_t[i][j] = (1 − w(i)) L_{t−1}[i][j] + w(i) p_{t−1}(j)   (j ≠ i)
//               then its K largest entries;  other rows unchanged
// (δ = 0.005, SAM's access threshold: a slot the write barely touches keeps
// its row, so the slots in p do not collect entries from every read slot)
//   p_t = (1 − Σ_e w_e) p_{t−1} + w, its K largest entries
// Each step records D with w(D), and each written row before and after, so
// that the host undoes and redoes steps as it does the memory's rows.
//   pre, pnew: precedence records (K slots, K values) per stream, before/after
//   dl: per stream Kw link slots of D (none past |D|), Kw weights w(D), Kw flags (row updated: 1)
// Link slots (rows, precedence, D) are stored plus one (common.ts).
//   olog, nlog: per stream Kw row records (rows of D before, after)
//   map, cs (i32 N), cv (f64 N): scratch of common.ts
//   held: keep the kept sets of nlog and pnew (the gradient check; common.ts pickHeld)
import { DELTA } from "../sam/usage";
import { get, put, g64, addSat, slot, lslot, lput, ig, is, cs_, find, offer, choose, setRow, getRow, colSize } from "./common";

export function sdnc_links_fwd<T>(B: i32, N: i32, K: i32, Kw: i32, widx: usize, wval: usize, pre: usize,
                                  Li: usize, Lv: usize, col: usize, map: usize, cs: usize, cv: usize,
                                  dl: usize, olog: usize, nlog: usize, pnew: usize, held: i32): void {
  const sz = <usize>sizeof<T>(), rec = <usize>(2 * K) * sz;
  for (let b = 0; b < B; b++) {
    const Lib = Li + <usize>(b * N * K) * sz, Lvb = Lv + <usize>(b * N * K) * sz, cb = col + (<usize>(b * colSize(N, K)) << 2);
    const pb = pre + <usize>b * rec, pn = pnew + <usize>b * rec, db = dl + <usize>(b * 3 * Kw) * sz;
    // D and w(D), in the order of first appearance
    let nd = 0;
    for (let e = 0; e < Kw; e++) nd = offer(map, cs, cv, nd, slot<T>(widx, b * Kw + e), g64<T>(wval, b * Kw + e));
    let wsum: f64 = 0;
    for (let d = 0; d < Kw; d++) {
      if (d < nd) { lput<T>(db, d, ig(cs, d)); put<T>(db, Kw + d, <T>load<f64>(cv + (<usize>d << 3))); is(map, ig(cs, d), -1); }
      else { lput<T>(db, d, -1); put<T>(db, Kw + d, <T>0); }
      wsum += g64<T>(db, Kw + d);
    }
    for (let d = 0; d < nd; d++) {
      const i = lslot<T>(db, d), wi = g64<T>(db, Kw + d);
      const ro = olog + <usize>(b * Kw + d) * rec, rn = nlog + <usize>(b * Kw + d) * rec;
      getRow<T>(Lib, Lvb, K, i, ro);
      // held: the last pass's choice of rows (common.ts pickHeld)
      if (held ? get<T>(db, 2 * Kw + d) == <T>0 : !(wi > DELTA)) { put<T>(db, 2 * Kw + d, <T>0); memory.copy(rn, ro, rec); continue; }
      put<T>(db, 2 * Kw + d, <T>1);
      let nc = 0;
      for (let q = 0; q < K; q++) {
        const j = lslot<T>(ro, q);
        if (j >= 0) nc = offer(map, cs, cv, nc, j, (1 - wi) * g64<T>(ro + <usize>K * sz, q));
      }
      for (let q = 0; q < K; q++) {
        const j = lslot<T>(pb, q);
        if (j >= 0 && j != i) nc = offer(map, cs, cv, nc, j, wi * g64<T>(pb + <usize>K * sz, q));
      }
      choose<T>(held, K, map, cs, cv, nc, rn, rn + <usize>K * sz, 1);
      setRow<T>(Lib, Lvb, cb, N, K, i, rn);
    }
    let nc = 0;
    for (let q = 0; q < K; q++) {
      const j = lslot<T>(pb, q);
      if (j >= 0) nc = offer(map, cs, cv, nc, j, (1 - wsum) * g64<T>(pb + <usize>K * sz, q));
    }
    for (let d = 0; d < nd; d++) nc = offer(map, cs, cv, nc, lslot<T>(db, d), g64<T>(db, Kw + d));
    choose<T>(held, K, map, cs, cv, nc, pn, pn + <usize>K * sz, 1);
  }
}

/**
 * The step's backward, before it is undone (Li, Lv hold L_t): dL (N×K per
 * stream, aligned with L's positions) of the written rows becomes the
 * gradient of L_{t−1}'s rows; dpn (K per stream, p_t's) gives dpo (p_{t−1}'s,
 * added); dwval (Kw per stream) gets ∂/∂w_e of both updates (added).
 */
export function sdnc_links_bwd<T>(B: i32, N: i32, K: i32, Kw: i32, widx: usize, pre: usize, pnew: usize,
                                  Li: usize, Lv: usize, dl: usize, olog: usize, dL: usize, dpn: usize, dpo: usize,
                                  dwval: usize, map: usize, cv: usize): void {
  const sz = <usize>sizeof<T>(), rec = <usize>(2 * K) * sz;
  for (let b = 0; b < B; b++) {
    const Lib = Li + <usize>(b * N * K) * sz, Lvb = Lv + <usize>(b * N * K) * sz, dLb = dL + <usize>(b * N * K) * sz;
    const pb = pre + <usize>b * rec, pn = pnew + <usize>b * rec, db = dl + <usize>(b * 3 * Kw) * sz;
    const pvals = pb + <usize>K * sz, dw = cv, tmp = cv + (<usize>Kw << 3);
    let nd = 0, wsum: f64 = 0;
    for (let d = 0; d < Kw; d++) {
      store<f64>(dw + (<usize>d << 3), 0);
      wsum += g64<T>(db, Kw + d);
      if (lslot<T>(db, d) >= 0) { is(map, lslot<T>(db, d), d); nd++; }
    }
    // p_t = (1 − Σw) p_{t−1} + w over the kept slots
    let dW: f64 = 0;
    for (let q = 0; q < K; q++) {
      const j = lslot<T>(pn, q), g = g64<T>(dpn, b * K + q);
      if (j < 0 || g == 0) continue;
      const a = find<T>(pb, K, j);
      if (a >= 0) { addSat<T>(dpo, b * K + a, (1 - wsum) * g); dW -= g * g64<T>(pvals, a); }
      const d = ig(map, j);
      if (d >= 0) store<f64>(dw + (<usize>d << 3), load<f64>(dw + (<usize>d << 3)) + g);
    }
    // the written rows
    for (let d = 0; d < nd; d++) {
      const i = lslot<T>(db, d), wi = g64<T>(db, Kw + d);
      if (get<T>(db, 2 * Kw + d) == <T>0) continue;
      const ro = olog + <usize>(b * Kw + d) * rec;
      for (let a = 0; a < K; a++) store<f64>(tmp + (<usize>a << 3), 0);
      let dwi: f64 = 0;
      for (let q = 0; q < K; q++) {
        const j = lslot<T>(Lib, i * K + q);
        if (j < 0) continue;
        const g = g64<T>(dLb, i * K + q), a = find<T>(ro, K, j), c = j == i ? -1 : find<T>(pb, K, j);
        dwi += g * ((c >= 0 ? g64<T>(pvals, c) : 0) - (a >= 0 ? g64<T>(ro + <usize>K * sz, a) : 0));
        if (a >= 0) store<f64>(tmp + (<usize>a << 3), load<f64>(tmp + (<usize>a << 3)) + (1 - wi) * g);
        if (c >= 0) addSat<T>(dpo, b * K + c, wi * g);
      }
      store<f64>(dw + (<usize>d << 3), load<f64>(dw + (<usize>d << 3)) + dwi);
      for (let a = 0; a < K; a++) put<T>(dLb, i * K + a, <T>load<f64>(tmp + (<usize>a << 3)));
    }
    for (let e = 0; e < Kw; e++) {
      const d = ig(map, slot<T>(widx, b * Kw + e));
      addSat<T>(dwval, b * Kw + e, load<f64>(dw + (<usize>d << 3)) + dW);
    }
    for (let d = 0; d < nd; d++) is(map, lslot<T>(db, d), -1);
  }
}

/** A step's written rows from its log back into the links (undo: rows before; redo: after). */
export function sdnc_links_rows<T>(B: i32, N: i32, K: i32, Kw: i32, Li: usize, Lv: usize, col: usize, dl: usize, log: usize): void {
  const sz = <usize>sizeof<T>(), rec = <usize>(2 * K) * sz;
  for (let b = 0; b < B; b++) {
    const Lib = Li + <usize>(b * N * K) * sz, Lvb = Lv + <usize>(b * N * K) * sz, cb = col + (<usize>(b * colSize(N, K)) << 2);
    const db = dl + <usize>(b * 3 * Kw) * sz;
    for (let d = 0; d < Kw; d++) {
      const i = lslot<T>(db, d);
      if (i >= 0 && get<T>(db, 2 * Kw + d) != <T>0) setRow<T>(Lib, Lvb, cb, N, K, i, log + <usize>(b * Kw + d) * rec);
    }
  }
}

/** The column index of B link stores from their rows (after the links were written from outside). O(N·K). */
export function sdnc_col_build<T>(B: i32, N: i32, K: i32, Li: usize, col: usize): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    const Lib = Li + <usize>(b * N * K) * sz, cb = col + (<usize>(b * colSize(N, K)) << 2), nx = N, pv = N + N * K;
    memory.fill(cb, 0, <usize>colSize(N, K) << 2);
    // nodes in descending order, each in front of its column: every column ascending
    for (let node = N * K - 1; node >= 0; node--) {
      const j = lslot<T>(Lib, node);
      if (j < 0) continue;
      const h = ig(cb, j) - 1;
      cs_(cb, nx + node, h); cs_(cb, pv + node, -1);
      if (h >= 0) cs_(cb, pv + h, node);
      cs_(cb, j, node);
    }
  }
}
