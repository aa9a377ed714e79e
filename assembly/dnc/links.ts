// Temporal link matrix and precedence (MODELS.md step 5), O(N²) per stream.
//   L_t[i,j] = (1 − w[i] − w[j]) L_{t−1}[i,j] + w[i] p_{t−1}[j],  L_t[i,i] = 0
//   p_t = (1 − Σ_n w[n]) p_{t−1} + w          (w = w^w_t)
// Layouts: w, p: B rows of N; L: B blocks of N×N.
import { get, put, g64, addSat, putSat } from "./common";
import { at, clampRow, clampf, clampv, dotSat, hsumSat } from "./vec";

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

// ---- f32x4 (the SIMD build); the specs compare it with the reference above ----

export function link_fwd_f32(B: i32, N: i32, ww: usize, Lprev: usize, pprev: usize, L: usize, p: usize): void {
  for (let b = 0; b < B; b++) {
    const w = at(ww, b * N), pp = at(pprev, b * N), Lp = Lprev + ((<usize>b * N * N) << 2), Lt = L + ((<usize>b * N * N) << 2);
    let sw: f32 = 0;
    for (let n = 0; n < N; n++) sw += load<f32>(at(w, n));
    const one = f32x4.splat(1), N4 = N & ~3;
    // two rows per pass (the last of an odd number twice): w and p' loaded once for both
    for (let i = 0; i < N; i += 2) {
      const i1 = min(i + 1, N - 1);
      const wa = load<f32>(at(w, i)), wb = load<f32>(at(w, i1)), ca = f32x4.splat(<f32>1 - wa), cb = f32x4.splat(<f32>1 - wb);
      const wav = f32x4.splat(wa), wbv = f32x4.splat(wb);
      const sa = at(Lp, i * N), sb = at(Lp, i1 * N), da = at(Lt, i * N), db = at(Lt, i1 * N);
      for (let j = 0; j < N4; j += 4) {
        const q = <usize>j << 2, wj = v128.load(w + q), pj = v128.load(pp + q);
        v128.store(da + q, f32x4.add(f32x4.mul(f32x4.sub(ca, wj), v128.load(sa + q)), f32x4.mul(wav, pj)));
        v128.store(db + q, f32x4.add(f32x4.mul(f32x4.sub(cb, wj), v128.load(sb + q)), f32x4.mul(wbv, pj)));
      }
      for (let j = N4; j < N; j++) {
        const q = <usize>j << 2, wj = load<f32>(w + q), pj = load<f32>(pp + q);
        store<f32>(da + q, (<f32>1 - wa - wj) * load<f32>(sa + q) + wa * pj);
        store<f32>(db + q, (<f32>1 - wb - wj) * load<f32>(sb + q) + wb * pj);
      }
      store<f32>(at(da, i), 0); store<f32>(at(db, i1), 0);
    }
    for (let n = 0; n < N; n++) store<f32>(at(p, b * N + n), (<f32>1 - sw) * load<f32>(at(pp, n)) + load<f32>(at(w, n)));
  }
}

export function link_bwd_f32(B: i32, N: i32, ww: usize, Lprev: usize, pprev: usize, dL: usize, dp: usize,
                             dLprev: usize, dpprev: usize, dww: usize): void {
  for (let b = 0; b < B; b++) {
    const w = at(ww, b * N), pp = at(pprev, b * N), dpb = at(dp, b * N), dpp = at(dpprev, b * N), dw = at(dww, b * N);
    const Lp = Lprev + ((<usize>b * N * N) << 2), G = dL + ((<usize>b * N * N) << 2), dLp = dLprev + ((<usize>b * N * N) << 2);
    let sw: f32 = 0;
    for (let n = 0; n < N; n++) sw += load<f32>(at(w, n));
    const dpdot = dotSat(N, dpb, pp);
    for (let n = 0; n < N; n++) {
      store<f32>(at(dpp, n), clampf(load<f32>(at(dpb, n)) * (<f32>1 - sw)));
      store<f32>(at(dw, n), clampf(clampf(load<f32>(at(dw, n)) + load<f32>(at(dpb, n))) - dpdot));
    }
    // The diagonal of L_t is forced to 0: its gradient stops there (zeroed in G for the row's pass).
    // G is finite and w, p, L lie in [0, 1] (so do 1 − w_i − w_j and p − L, up to sign): every term is
    // finite, sums can overflow only to ±Inf, never Inf − Inf; they are clamped once, at the end.
    const one = f32x4.splat(1), N4 = N & ~3;
    let i = 0;
    // two rows per pass: dw and dp' (sums down the columns) are loaded and stored once for both rows,
    // which add to them in row order as the one-row loop below does
    for (; i + 2 <= N; i += 2) {
      const wa = load<f32>(at(w, i)), wb = load<f32>(at(w, i + 1)), wav = f32x4.splat(wa), wbv = f32x4.splat(wb);
      const ga = at(G, i * N), gb = ga + (<usize>N << 2), la = at(Lp, i * N), lb = la + (<usize>N << 2);
      const oa = at(dLp, i * N), ob = oa + (<usize>N << 2);
      const gaa = load<f32>(at(ga, i)), gbb = load<f32>(at(gb, i + 1)), dwi = load<f32>(at(dw, i));
      store<f32>(at(ga, i), 0); store<f32>(at(gb, i + 1), 0);
      let acca = f32x4.splat(0), accb = f32x4.splat(0);
      for (let j = 0; j < N4; j += 4) {
        const q = <usize>j << 2, wj = v128.load(w + q), pj = v128.load(pp + q);
        const gva = v128.load(ga + q), lva = v128.load(la + q), gvb = v128.load(gb + q), lvb = v128.load(lb + q);
        v128.store(oa + q, clampv(f32x4.mul(gva, f32x4.sub(f32x4.sub(one, wav), wj))));
        v128.store(ob + q, clampv(f32x4.mul(gvb, f32x4.sub(f32x4.sub(one, wbv), wj))));
        acca = f32x4.add(acca, f32x4.mul(gva, f32x4.sub(pj, lva)));
        accb = f32x4.add(accb, f32x4.mul(gvb, f32x4.sub(pj, lvb)));
        v128.store(dw + q, f32x4.sub(f32x4.sub(v128.load(dw + q), f32x4.mul(gva, lva)), f32x4.mul(gvb, lvb)));
        v128.store(dpp + q, f32x4.add(f32x4.add(v128.load(dpp + q), f32x4.mul(gva, wav)), f32x4.mul(gvb, wbv)));
      }
      let dwa = hsumSat(clampv(acca)), dwb = hsumSat(clampv(accb));
      for (let j = N4; j < N; j++) {
        const q = <usize>j << 2, wj = load<f32>(w + q), pj = load<f32>(pp + q);
        const gja = load<f32>(ga + q), lja = load<f32>(la + q), gjb = load<f32>(gb + q), ljb = load<f32>(lb + q);
        store<f32>(oa + q, clampf(gja * (<f32>1 - wa - wj)));
        store<f32>(ob + q, clampf(gjb * (<f32>1 - wb - wj)));
        dwa = clampf(dwa + gja * (pj - lja));
        dwb = clampf(dwb + gjb * (pj - ljb));
        store<f32>(dw + q, (load<f32>(dw + q) - gja * lja) - gjb * ljb);
        store<f32>(dpp + q, (load<f32>(dpp + q) + gja * wa) + gjb * wb);
      }
      // dw[i] as the one-row loop leaves it: row i's term, then its sum, then row i+1's term
      store<f32>(at(dw, i), ((dwi - load<f32>(at(ga, i)) * load<f32>(at(la, i))) + clampf(dwa)) - load<f32>(at(gb, i)) * load<f32>(at(lb, i)));
      store<f32>(at(dw, i + 1), load<f32>(at(dw, i + 1)) + clampf(dwb));
      store<f32>(at(ga, i), gaa); store<f32>(at(gb, i + 1), gbb);
    }
    for (; i < N; i++) {
      const wi = load<f32>(at(w, i)), wiv = f32x4.splat(wi), g = at(G, i * N), lp = at(Lp, i * N), out = at(dLp, i * N);
      const gii = load<f32>(at(g, i));
      store<f32>(at(g, i), 0);
      let acc = f32x4.splat(0);
      let j = 0;
      for (; j + 4 <= N; j += 4) {
        const gv = v128.load(at(g, j)), lv = v128.load(at(lp, j));
        v128.store(at(out, j), clampv(f32x4.mul(gv, f32x4.sub(f32x4.sub(one, wiv), v128.load(at(w, j))))));
        acc = f32x4.add(acc, f32x4.mul(gv, f32x4.sub(v128.load(at(pp, j)), lv)));
        v128.store(at(dw, j), f32x4.sub(v128.load(at(dw, j)), f32x4.mul(gv, lv)));
        v128.store(at(dpp, j), f32x4.add(v128.load(at(dpp, j)), f32x4.mul(gv, wiv)));
      }
      let dwi = hsumSat(clampv(acc));
      for (; j < N; j++) {
        const gj = load<f32>(at(g, j)), lj = load<f32>(at(lp, j));
        store<f32>(at(out, j), clampf(gj * (<f32>1 - wi - load<f32>(at(w, j)))));
        dwi = clampf(dwi + gj * (load<f32>(at(pp, j)) - lj));
        store<f32>(at(dw, j), load<f32>(at(dw, j)) - gj * lj);
        store<f32>(at(dpp, j), load<f32>(at(dpp, j)) + gj * wi);
      }
      store<f32>(at(g, i), gii);
      store<f32>(at(dw, i), load<f32>(at(dw, i)) + clampf(dwi));
    }
    clampRow(N, dw);
    clampRow(N, dpp);
  }
}
