// The sparse DNC's read (MODELS.md, "SDNC"): head h's weighting is its three
// parts, scaled by its read modes π_h = (backward, content, forward),
//   w^r_h = π_h,1 b_h ⊕ π_h,2 c_h ⊕ π_h,3 f_h   (Kr = 3K entries: b's K, c's K, f's K)
// where c_h is SAM's content weighting (sam/read.ts) and b_h, f_h the
// directional ones (temporal.ts); a slot in two parts has two entries. Then
//   r_h = Σ_e w_e M_t[n_e].
//   xi + b·ldx + mo + 3h: π_h (after the softmax)
import { get, put, g64, addSat, slot } from "./common";
import { axpySat, dotSat } from "../dnc/vec";
import { weightedRows } from "../sam/read";

/** Head h's 3K entries (backward, content, forward parts) and their weights π_part · part weight, from entry eb. */
// @ts-ignore: decorator
@inline function mixEntries<T>(K: i32, xi: usize, pi: i32, eb: i32, sb: i32, bidx: usize, bval: usize, cidx: usize, cw: usize,
                               fidx: usize, fval: usize, ridx: usize, rw: usize): void {
  const pb = g64<T>(xi, pi), pc = g64<T>(xi, pi + 1), pf = g64<T>(xi, pi + 2);
  for (let j = 0; j < K; j++) {
    put<T>(ridx, eb + j, get<T>(bidx, sb + j)); put<T>(rw, eb + j, <T>(pb * g64<T>(bval, sb + j)));
    put<T>(ridx, eb + K + j, get<T>(cidx, sb + j)); put<T>(rw, eb + K + j, <T>(pc * g64<T>(cw, sb + j)));
    put<T>(ridx, eb + 2 * K + j, get<T>(fidx, sb + j)); put<T>(rw, eb + 2 * K + j, <T>(pf * g64<T>(fval, sb + j)));
  }
}

export function sdnc_mix_fwd<T>(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, xi: usize, ldx: i32, mo: i32,
                                bidx: usize, bval: usize, cidx: usize, cw: usize, fidx: usize, fval: usize,
                                ridx: usize, rw: usize, r: usize): void {
  const sz = <usize>sizeof<T>(), Kr = 3 * K;
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * W * sz;
    for (let h = 0; h < R; h++) {
      const eb = (b * R + h) * Kr, sb = (b * R + h) * K, pi = b * ldx + mo + 3 * h;
      mixEntries<T>(K, xi, pi, eb, sb, bidx, bval, cidx, cw, fidx, fval, ridx, rw);
      const rb = r + <usize>((b * R + h) * W) * sz;
      for (let x = 0; x < W; x++) {
        let acc: f64 = 0;
        for (let e = 0; e < Kr; e++) acc += g64<T>(rw, eb + e) * g64<T>(Mb, slot<T>(ridx, eb + e) * W + x);
        put<T>(rb, x, <T>acc);
      }
    }
  }
}

/**
 * dr (B·R·W) and drw (B·R·Kr: what later steps sent back to these weights)
 * → dM (added), dπ into dxi (added), and the parts' gradients dbval, dcw,
 * dfval (B·R·K, set).
 */
export function sdnc_mix_bwd<T>(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, xi: usize, ldx: i32, mo: i32,
                                bval: usize, cw: usize, fval: usize, ridx: usize, rw: usize, dr: usize, drw: usize,
                                dM: usize, dxi: usize, dbval: usize, dcw: usize, dfval: usize): void {
  const sz = <usize>sizeof<T>(), Kr = 3 * K;
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * W * sz, dMb = dM + <usize>b * N * W * sz;
    for (let h = 0; h < R; h++) {
      const eb = (b * R + h) * Kr, sb = (b * R + h) * K, pi = b * ldx + mo + 3 * h, drb = dr + <usize>((b * R + h) * W) * sz;
      let db: f64 = 0, dc: f64 = 0, df: f64 = 0;
      for (let e = 0; e < Kr; e++) {
        const n = slot<T>(ridx, eb + e), we = g64<T>(rw, eb + e);
        let g = g64<T>(drw, eb + e);
        for (let x = 0; x < W; x++) { const d = g64<T>(drb, x); g += d * g64<T>(Mb, n * W + x); addSat<T>(dMb, n * W + x, we * d); }
        const j = e % K, part = e / K;
        if (part == 0) { db += g * g64<T>(bval, sb + j); put<T>(dbval, sb + j, <T>(g * g64<T>(xi, pi))); }
        else if (part == 1) { dc += g * g64<T>(cw, sb + j); put<T>(dcw, sb + j, <T>(g * g64<T>(xi, pi + 1))); }
        else { df += g * g64<T>(fval, sb + j); put<T>(dfval, sb + j, <T>(g * g64<T>(xi, pi + 2))); }
      }
      addSat<T>(dxi, pi, db); addSat<T>(dxi, pi + 1, dc); addSat<T>(dxi, pi + 2, df);
    }
  }
}

// ---- f32x4 (the SIMD build); the specs compare them with the references above ----

/** sdnc_mix_fwd with r_h = Σ_e w_e M[n_e] as scaled row sums (sam/read.ts's weightedRows). */
export function sdnc_mix_fwd_f32(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, xi: usize, ldx: i32, mo: i32,
                                 bidx: usize, bval: usize, cidx: usize, cw: usize, fidx: usize, fval: usize,
                                 ridx: usize, rw: usize, r: usize): void {
  const Kr = 3 * K;
  for (let b = 0; b < B; b++) {
    const Mb = M + (<usize>b * N * W << 2);
    for (let h = 0; h < R; h++) {
      const eb = (b * R + h) * Kr, sb = (b * R + h) * K, pi = b * ldx + mo + 3 * h;
      mixEntries<f32>(K, xi, pi, eb, sb, bidx, bval, cidx, cw, fidx, fval, ridx, rw);
      weightedRows(Kr, W, Mb, ridx, rw, eb, r + (<usize>(b * R + h) * W << 2));
    }
  }
}

/** sdnc_mix_bwd with its rows in f32x4: g_e = drw_e + dr·M[n_e] (dotSat), dM[n_e] += w_e·dr (axpySat). */
export function sdnc_mix_bwd_f32(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, xi: usize, ldx: i32, mo: i32,
                                 bval: usize, cw: usize, fval: usize, ridx: usize, rw: usize, dr: usize, drw: usize,
                                 dM: usize, dxi: usize, dbval: usize, dcw: usize, dfval: usize): void {
  const Kr = 3 * K;
  for (let b = 0; b < B; b++) {
    const Mb = M + (<usize>b * N * W << 2), dMb = dM + (<usize>b * N * W << 2);
    for (let h = 0; h < R; h++) {
      const eb = (b * R + h) * Kr, sb = (b * R + h) * K, pi = b * ldx + mo + 3 * h, drb = dr + (<usize>(b * R + h) * W << 2);
      let db: f64 = 0, dc: f64 = 0, df: f64 = 0;
      for (let e = 0; e < Kr; e++) {
        const row = <usize>slot<f32>(ridx, eb + e) * W << 2;
        const g = g64<f32>(drw, eb + e) + <f64>dotSat(W, drb, Mb + row);
        axpySat(W, get<f32>(rw, eb + e), drb, dMb + row);
        const j = e % K, part = e / K;
        if (part == 0) { db += g * g64<f32>(bval, sb + j); put<f32>(dbval, sb + j, <f32>(g * g64<f32>(xi, pi))); }
        else if (part == 1) { dc += g * g64<f32>(cw, sb + j); put<f32>(dcw, sb + j, <f32>(g * g64<f32>(xi, pi + 1))); }
        else { df += g * g64<f32>(fval, sb + j); put<f32>(dfval, sb + j, <f32>(g * g64<f32>(xi, pi + 2))); }
      }
      addSat<f32>(dxi, pi, db); addSat<f32>(dxi, pi + 1, dc); addSat<f32>(dxi, pi + 2, df);
    }
  }
}
