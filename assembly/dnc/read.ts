// Reads (MODELS.md step 6), per head i:
//   f_i = L_t w^r_{i,t−1}   b_i = L_tᵀ w^r_{i,t−1}   (forward / backward weightings)
//   w^r_{i,t} = π_i[0] b_i + π_i[1] c^r_i + π_i[2] f_i
//   r_{i,t} = M_tᵀ w^r_{i,t}
// Layouts: w^r, c^r, f, b: B rows of R·N; r: B rows of R·W; L: B blocks of N×N;
// M: B blocks of N×W; ξ: B rows of stride ldxi.
import { get, put, g64, addSat, putSat, oPi } from "./common";

export function read_fwd<T>(B: i32, N: i32, W: i32, R: i32, L: usize, wrprev: usize, M: usize, cr: usize, xi: usize, ldxi: i32,
                            fw: usize, bw: usize, wr: usize, r: usize): void {
  for (let b = 0; b < B; b++) {
    const xb = xi + <usize>b * ldxi * sizeof<T>(), lo = b * N * N, mo = b * N * W;
    for (let i = 0; i < R; i++) {
      const h = (b * R + i) * N;
      const p0 = get<T>(xb, oPi(R, W) + 3 * i), p1 = get<T>(xb, oPi(R, W) + 3 * i + 1), p2 = get<T>(xb, oPi(R, W) + 3 * i + 2);
      for (let n = 0; n < N; n++) {
        let f = <T>0, bk = <T>0;
        for (let m = 0; m < N; m++) {
          const w = get<T>(wrprev, h + m);
          f += get<T>(L, lo + n * N + m) * w;
          bk += get<T>(L, lo + m * N + n) * w;
        }
        put<T>(fw, h + n, f); put<T>(bw, h + n, bk);
        put<T>(wr, h + n, p0 * bk + p1 * get<T>(cr, h + n) + p2 * f);
      }
      for (let j = 0; j < W; j++) {
        let s = <T>0;
        for (let n = 0; n < N; n++) s += get<T>(M, mo + n * W + j) * get<T>(wr, h + n);
        put<T>(r, (b * R + i) * W + j, s);
      }
    }
  }
}

/**
 * dr: gradient into r_t. dwr: gradient into w^r_t from the next step (in),
 * the read's share is added to it. Accumulates into dM, dL, dwrprev and dxi
 * (read modes); sets dcr (for the content backward of the read heads).
 */
export function read_bwd<T>(B: i32, N: i32, W: i32, R: i32, L: usize, wrprev: usize, M: usize, cr: usize, xi: usize, ldxi: i32,
                            fw: usize, bw: usize, wr: usize, dr: usize, dwr: usize, dM: usize, dL: usize, dwrprev: usize, dcr: usize, dxi: usize): void {
  for (let b = 0; b < B; b++) {
    const xb = xi + <usize>b * ldxi * sizeof<T>(), dxb = dxi + <usize>b * ldxi * sizeof<T>();
    const lo = b * N * N, mo = b * N * W;
    for (let i = 0; i < R; i++) {
      const h = (b * R + i) * N, ro = (b * R + i) * W, po = oPi(R, W) + 3 * i;
      const p0 = g64<T>(xb, po), p1 = g64<T>(xb, po + 1), p2 = g64<T>(xb, po + 2);
      let d0: f64 = 0, d1: f64 = 0, d2: f64 = 0;
      for (let n = 0; n < N; n++) {
        // r = Mᵀ w^r
        let g = g64<T>(dwr, h + n);
        const wn = g64<T>(wr, h + n);
        for (let j = 0; j < W; j++) {
          const drj = g64<T>(dr, ro + j);
          g += drj * g64<T>(M, mo + n * W + j);
          addSat<T>(dM, mo + n * W + j, wn * drj);
        }
        putSat<T>(dwr, h + n, g);
        g = g64<T>(dwr, h + n);
        d0 += g * g64<T>(bw, h + n); d1 += g * g64<T>(cr, h + n); d2 += g * g64<T>(fw, h + n);
        putSat<T>(dcr, h + n, g * p1);
      }
      addSat<T>(dxb, po, d0); addSat<T>(dxb, po + 1, d1); addSat<T>(dxb, po + 2, d2);
      // f = L w', b = Lᵀ w':  dL[n,m] += df[n] w'[m] + db[m] w'[n];  dw'[m] += Σ_n L[n,m] df[n] + L[m,n] db[n]
      for (let n = 0; n < N; n++) {
        const dfn = p2 * g64<T>(dwr, h + n), wpn = g64<T>(wrprev, h + n);
        let dwp: f64 = 0;
        for (let m = 0; m < N; m++) {
          const gm = g64<T>(dwr, h + m), wpm = g64<T>(wrprev, h + m);
          addSat<T>(dL, lo + n * N + m, dfn * wpm + p0 * gm * wpn);
          dwp += g64<T>(L, lo + m * N + n) * p2 * gm + g64<T>(L, lo + n * N + m) * p0 * gm;
        }
        addSat<T>(dwrprev, h + n, dwp);
      }
    }
  }
}
