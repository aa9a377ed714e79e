// The sparse DNC's read (MODELS.md, "SDNC"): head h's weighting is its three
// parts, scaled by its read modes π_h = (backward, content, forward),
//   w^r_h = π_h,1 b_h ⊕ π_h,2 c_h ⊕ π_h,3 f_h   (Kr = 3K entries: b's K, c's K, f's K)
// where c_h is SAM's content weighting (sam/read.ts) and b_h, f_h the
// directional ones (temporal.ts); a slot in two parts has two entries. Then
//   r_h = Σ_e w_e M_t[n_e].
//   xi + b·ldx + mo + 3h: π_h (after the softmax)
import { get, put, g64, addSat, slot } from "./common";

export function sdnc_mix_fwd<T>(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, xi: usize, ldx: i32, mo: i32,
                                bidx: usize, bval: usize, cidx: usize, cw: usize, fidx: usize, fval: usize,
                                ridx: usize, rw: usize, r: usize): void {
  const sz = <usize>sizeof<T>(), Kr = 3 * K;
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * W * sz;
    for (let h = 0; h < R; h++) {
      const eb = (b * R + h) * Kr, sb = (b * R + h) * K, pi = b * ldx + mo + 3 * h;
      const pb = g64<T>(xi, pi), pc = g64<T>(xi, pi + 1), pf = g64<T>(xi, pi + 2);
      for (let j = 0; j < K; j++) {
        put<T>(ridx, eb + j, get<T>(bidx, sb + j)); put<T>(rw, eb + j, <T>(pb * g64<T>(bval, sb + j)));
        put<T>(ridx, eb + K + j, get<T>(cidx, sb + j)); put<T>(rw, eb + K + j, <T>(pc * g64<T>(cw, sb + j)));
        put<T>(ridx, eb + 2 * K + j, get<T>(fidx, sb + j)); put<T>(rw, eb + 2 * K + j, <T>(pf * g64<T>(fval, sb + j)));
      }
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
