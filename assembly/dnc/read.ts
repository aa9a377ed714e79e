// Reads (MODELS.md step 6), per head i:
//   f_i = L_t w^r_{i,t−1}   b_i = L_tᵀ w^r_{i,t−1}   (forward / backward weightings)
//   w^r_{i,t} = π_i[0] b_i + π_i[1] c^r_i + π_i[2] f_i
//   r_{i,t} = M_tᵀ w^r_{i,t}
// Layouts: w^r, c^r, f, b: B rows of R·N; r: B rows of R·W; L: B blocks of N×N;
// M: B blocks of N×W; ξ: B rows of stride ldxi.
import { get, put, g64, addSat, putSat, oPi } from "./common";
import { WG } from "../scratch";
import { CS4, DOTS, KB4, MAX_SLOTS, at, blocks4, axpy, clampRow, clampf, clampv, colSums4, dot, dotSat, dots3Sat, dots4x2, hsum, orDot64, scaleInto } from "./vec";

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

// ---- f32x4 (the SIMD build); the specs compare it with the reference above ----

/**
 * Reads of four heads of one stream: f_j = L w'_j (row dots), b_j = Lᵀ w'_j (column sums),
 * w^r_j = π_j[0] b_j + π_j[1] c^r_j + π_j[2] f_j, r_j = Mᵀ w^r_j; the four sums of each pass in
 * registers. Rows of w', f, b, c^r, w^r are N floats apart (heads), of r W apart; π_j at pi + 12·j bytes.
 */
function readFwd4(N: i32, W: i32, Lb: usize, Mb: usize, wp: usize, cr: usize, pi: usize, f: usize, bk: usize, w: usize, r: usize): void {
  const s1 = <usize>N << 2, s2 = s1 << 1, s3 = s1 * 3;
  // f_j[n] = L[n,:]·w'_j
  blocks4(N, wp, s1, KB4);
  for (let n = 0; n < N; n += 2) {
    const two = n + 1 < N, o = <usize>n << 2;
    dots4x2(N, at(Lb, n * N), two ? s1 : 0, KB4, 64, wp, s1, DOTS);
    for (let j = 0; j < 4; j++) {
      store<f32>(f + <usize>j * s1 + o, load<f32>(at(DOTS, j)));
      if (two) store<f32>(f + <usize>j * s1 + o, load<f32>(at(DOTS, 4 + j)), 4);
    }
  }
  // b_j = Lᵀ w'_j
  colSums4(N, N, Lb, wp, s1, bk, s1);
  // w^r_j = π_j[0] b_j + π_j[1] c^r_j + π_j[2] f_j, f32x4 along n
  for (let j = 0; j < 4; j++) {
    const hj = <usize>j * s1, p0 = load<f32>(pi + 12 * j), p1 = load<f32>(pi + 12 * j + 4), p2 = load<f32>(pi + 12 * j + 8);
    const v0 = f32x4.splat(p0), v1 = f32x4.splat(p1), v2 = f32x4.splat(p2);
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const o = hj + (<usize>n << 2);
      v128.store(w + o, f32x4.add(f32x4.add(f32x4.mul(v0, v128.load(bk + o)), f32x4.mul(v1, v128.load(cr + o))), f32x4.mul(v2, v128.load(f + o))));
    }
    for (; n < N; n++) {
      const o = hj + (<usize>n << 2);
      store<f32>(w + o, p0 * load<f32>(bk + o) + p1 * load<f32>(cr + o) + p2 * load<f32>(f + o));
    }
  }
  // r_j = Mᵀ w^r_j
  colSums4(N, W, Mb, w, s1, r, <usize>W << 2);
}

export function read_fwd_f32(B: i32, N: i32, W: i32, R: i32, L: usize, wrprev: usize, M: usize, cr: usize, xi: usize, ldxi: i32,
                             fw: usize, bw: usize, wr: usize, r: usize): void {
  const piOff = oPi(R, W);
  for (let b = 0; b < B; b++) {
    const xb = at(xi, b * ldxi), Lb = L + ((<usize>b * N * N) << 2), Mb = M + ((<usize>b * N * W) << 2);
    let i = 0;
    for (; i + 4 <= R; i += 4) {
      const h = (b * R + i) * N;
      readFwd4(N, W, Lb, Mb, at(wrprev, h), at(cr, h), at(xb, piOff + 3 * i), at(fw, h), at(bw, h), at(wr, h), at(r, (b * R + i) * W));
    }
    for (; i < R; i++) {
      const h = (b * R + i) * N, wp = at(wrprev, h), f = at(fw, h), bk = at(bw, h), w = at(wr, h), rv = at(r, (b * R + i) * W);
      const p0 = load<f32>(at(xb, piOff + 3 * i)), p1 = load<f32>(at(xb, piOff + 3 * i + 1)), p2 = load<f32>(at(xb, piOff + 3 * i + 2));
      // f[n] = L[n,:]·w';  b = Σ_m w'[m] L[m,:]
      memory.fill(bk, 0, <usize>N << 2);
      for (let n = 0; n < N; n++) {
        store<f32>(at(f, n), dot(N, at(Lb, n * N), wp));
        axpy(N, load<f32>(at(wp, n)), at(Lb, n * N), bk);
      }
      for (let n = 0; n < N; n++) store<f32>(at(w, n), p0 * load<f32>(at(bk, n)) + p1 * load<f32>(at(cr, h + n)) + p2 * load<f32>(at(f, n)));
      // r = Σ_n w[n] M[n,:]
      memory.fill(rv, 0, <usize>W << 2);
      for (let n = 0; n < N; n++) axpy(W, load<f32>(at(w, n)), at(Mb, n * W), rv);
    }
  }
}

// (WG, linkGrads4's interleaved copy of four heads' w' and g: scratch.ts)

/** y += a·x, x clamped to the finite range first (the sums of a column pass may have overflowed). */
// @ts-ignore: decorator
@inline function addClamped(n: i32, a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(av, clampv(v128.load(at(x, i))))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + a * clampf(load<f32>(at(x, i))));
}

/**
 * dw^r_{i+q}[n] += M[n,:]·dr_{i+q} for four heads q from their dot products at d (h: the index of
 * head i's entry n, heads N apart), saturated at a quarter of the range so that the link terms
 * stay finite; a product that overflowed f32 is redone in f64.
 */
// @ts-ignore: decorator
@inline function addReads(W: i32, row: usize, d0: usize, sw: usize, dwr: usize, h: i32, N: i32, d: usize): void {
  for (let q = 0; q < 4; q++) {
    const t = orDot64(load<f32>(d + (<usize>q << 2)), W, row, d0 + <usize>q * sw), hq = h + q * N;
    store<f32>(at(dwr, hq), clampq(load<f32>(at(dwr, hq)) + t));
  }
}

/** y_j += π_j·clamp(d_j) for four heads' entries (y_j at y + j·s1) and four dot products d at d. */
// @ts-ignore: decorator
@inline function addDots(y: usize, s1: usize, p0: f32, p1: f32, p2: f32, p3: f32, d: usize): void {
  store<f32>(y, load<f32>(y) + p0 * clampf(load<f32>(d)));
  store<f32>(y + s1, load<f32>(y + s1) + p1 * clampf(load<f32>(d, 4)));
  store<f32>(y + 2 * s1, load<f32>(y + 2 * s1) + p2 * clampf(load<f32>(d, 8)));
  store<f32>(y + 3 * s1, load<f32>(y + 3 * s1) + p3 * clampf(load<f32>(d, 12)));
}

/** A quarter of the f32 range: gradients saturated here keep their products with weights (≤ 1) and sums of a few such products finite. */
const QMAX: f32 = f32.MAX_VALUE * 0.25;
// @ts-ignore: decorator
@inline function clampq(x: f32): f32 { return x > QMAX ? QMAX : x < -QMAX ? -QMAX : x; }

/**
 * The link part of the read backward for four heads whose weightings w' (wp), gradients g and
 * outputs dw' (dwp) are rows of N floats, N apart; π of head j at pi + 12·j bytes.
 */
function linkGrads4(N: i32, Lb: usize, dLb: usize, wp: usize, g: usize, dwp: usize, pi: usize): void {
  const s1 = <usize>N << 2, s2 = s1 << 1, s3 = s1 * 3;
  const p00 = load<f32>(pi), p02 = load<f32>(pi, 8), p10 = load<f32>(pi, 12), p12 = load<f32>(pi, 20);
  const p20 = load<f32>(pi, 24), p22 = load<f32>(pi, 32), p30 = load<f32>(pi, 36), p32 = load<f32>(pi, 44);
  // dL[n,:] += Σ_j π_j[2]·g_j[n]·w'_j + π_j[0]·w'_j[n]·g_j
  // The eight rows w'_j, g_j are first interleaved by 4-column blocks (WG), so the loop below reads
  // them through one pointer at fixed offsets instead of computing eight addresses per vector.
  const N4 = N & ~3;
  blocks4(N, wp, s1, WG, 128);
  blocks4(N, g, s1, WG + 64, 128);
  for (let n = 0; n < N; n++) {
    const drow = at(dLb, n * N), o = <usize>n << 2;
    const a0 = f32x4.splat(p02 * load<f32>(g + o)), a1 = f32x4.splat(p12 * load<f32>(g + s1 + o));
    const a2 = f32x4.splat(p22 * load<f32>(g + s2 + o)), a3 = f32x4.splat(p32 * load<f32>(g + s3 + o));
    const b0 = f32x4.splat(p00 * load<f32>(wp + o)), b1 = f32x4.splat(p10 * load<f32>(wp + s1 + o));
    const b2 = f32x4.splat(p20 * load<f32>(wp + s2 + o)), b3 = f32x4.splat(p30 * load<f32>(wp + s3 + o));
    let pd = drow, pw = WG;
    const dend = drow + (<usize>N4 << 2);
    while (pd < dend) {
      let acc = v128.load(pd);
      acc = f32x4.add(acc, f32x4.add(f32x4.mul(a0, v128.load(pw)), f32x4.mul(b0, v128.load(pw, 64))));
      acc = f32x4.add(acc, f32x4.add(f32x4.mul(a1, v128.load(pw, 16)), f32x4.mul(b1, v128.load(pw, 80))));
      acc = f32x4.add(acc, f32x4.add(f32x4.mul(a2, v128.load(pw, 32)), f32x4.mul(b2, v128.load(pw, 96))));
      acc = f32x4.add(acc, f32x4.add(f32x4.mul(a3, v128.load(pw, 48)), f32x4.mul(b3, v128.load(pw, 112))));
      v128.store(pd, clampv(acc));
      pd += 16; pw += 128;
    }
    let m = N4;
    for (; m < N; m++) {
      const q = <usize>m << 2;
      let acc = load<f32>(drow + q);
      acc += f32x4.extract_lane(a0, 0) * load<f32>(wp + q) + f32x4.extract_lane(b0, 0) * load<f32>(g + q);
      acc += f32x4.extract_lane(a1, 0) * load<f32>(wp + s1 + q) + f32x4.extract_lane(b1, 0) * load<f32>(g + s1 + q);
      acc += f32x4.extract_lane(a2, 0) * load<f32>(wp + s2 + q) + f32x4.extract_lane(b2, 0) * load<f32>(g + s2 + q);
      acc += f32x4.extract_lane(a3, 0) * load<f32>(wp + s3 + q) + f32x4.extract_lane(b3, 0) * load<f32>(g + s3 + q);
      store<f32>(drow + q, clampf(acc));
    }
  }
  // dw'_j += π_j[2]·(Lᵀ g_j): the four column sums by colSums4, clamped where added (π may be 0)
  colSums4(N, N, Lb, g, s1, CS4, s1);
  addClamped(N, p02, CS4, dwp); addClamped(N, p12, CS4 + s1, dwp + s1);
  addClamped(N, p22, CS4 + s2, dwp + s2); addClamped(N, p32, CS4 + s3, dwp + s3);
  // dw'_j[n] += π_j[0]·(L[n,:]·g_j): four dot products per row of L, two rows at a time
  for (let n = 0; n < N; n += 2) {
    const two = n + 1 < N;
    dots4x2(N, at(Lb, n * N), two ? s1 : 0, WG + 64, 128, g, s1, DOTS); // the g rows of WG
    addDots(dwp + (<usize>n << 2), s1, p00, p10, p20, p30, DOTS);
    if (two) addDots(dwp + (<usize>n << 2) + 4, s1, p00, p10, p20, p30, DOTS + 16);
  }
}

/** linkGrads4 for one head. */
function linkGrads1(N: i32, Lb: usize, dLb: usize, wp: usize, g: usize, dwp: usize, pi: usize): void {
  const p0 = load<f32>(pi), p2 = load<f32>(pi, 8);
  for (let n = 0; n < N; n++) {
    const drow = at(dLb, n * N), row = at(Lb, n * N), o = <usize>n << 2;
    const gn = p2 * load<f32>(g + o), a = f32x4.splat(gn), b = f32x4.splat(p0 * load<f32>(wp + o));
    let c = f32x4.splat(0);
    let m = 0;
    for (; m + 4 <= N; m += 4) {
      const q = <usize>m << 2, gm = v128.load(g + q), l = v128.load(row + q);
      v128.store(drow + q, clampv(f32x4.add(v128.load(drow + q), f32x4.add(f32x4.mul(a, v128.load(wp + q)), f32x4.mul(b, gm)))));
      v128.store(dwp + q, f32x4.add(v128.load(dwp + q), f32x4.mul(a, l)));
      c = f32x4.add(c, f32x4.mul(l, gm));
    }
    let t = hsum(c);
    for (; m < N; m++) {
      const q = <usize>m << 2, gm = load<f32>(g + q), l = load<f32>(row + q);
      store<f32>(drow + q, clampf(load<f32>(drow + q) + (gn * load<f32>(wp + q) + f32x4.extract_lane(b, 0) * gm)));
      store<f32>(dwp + q, load<f32>(dwp + q) + gn * l);
      t += l * gm;
    }
    store<f32>(dwp + o, load<f32>(dwp + o) + p0 * clampf(t));
  }
}

export function read_bwd_f32(B: i32, N: i32, W: i32, R: i32, L: usize, wrprev: usize, M: usize, cr: usize, xi: usize, ldxi: i32,
                             fw: usize, bw: usize, wr: usize, dr: usize, dwr: usize, dM: usize, dL: usize, dwrprev: usize, dcr: usize, dxi: usize): void {
  const piOff = oPi(R, W);
  for (let b = 0; b < B; b++) {
    const xb = at(xi, b * ldxi), dxb = at(dxi, b * ldxi);
    const Lb = L + ((<usize>b * N * N) << 2), dLb = dL + ((<usize>b * N * N) << 2);
    const Mb = M + ((<usize>b * N * W) << 2), dMb = dM + ((<usize>b * N * W) << 2);
    const H0 = b * R * N; // head i of this stream: weightings at H0 + i·N, read vectors at (b·R + i)·W
    // r_i = Mᵀ w^r_i: dw^r_i[n] += M[n,:]·dr_i, four heads per read of a row, saturated at a
    // quarter of the range so that the link terms below stay finite
    let i = 0;
    for (; i + 4 <= R; i += 4) {
      const d0 = at(dr, (b * R + i) * W), sw = <usize>W << 2;
      blocks4(W, d0, sw, KB4);
      for (let n = 0; n < N; n += 2) {
        const two = n + 1 < N;
        dots4x2(W, at(Mb, n * W), two ? sw : 0, KB4, 64, d0, sw, DOTS);
        addReads(W, at(Mb, n * W), d0, sw, dwr, H0 + i * N + n, N, DOTS);
        if (two) addReads(W, at(Mb, (n + 1) * W), d0, sw, dwr, H0 + i * N + n + 1, N, DOTS + 16);
      }
    }
    for (; i < R; i++) {
      const dri = at(dr, (b * R + i) * W);
      for (let n = 0; n < N; n++) { const h = H0 + i * N + n; store<f32>(at(dwr, h), clampq(load<f32>(at(dwr, h)) + dotSat(W, at(Mb, n * W), dri))); }
    }
    // the read modes: dπ_i = (g_i·b_i, g_i·c^r_i, g_i·f_i); and dc^r_i = π_i[1]·g_i
    for (let i = 0; i < R; i++) {
      const po = piOff + 3 * i, h = H0 + i * N, g = at(dwr, h);
      dots3Sat(N, g, at(bw, h), at(cr, h), at(fw, h), DOTS);
      store<f32>(at(dxb, po), clampf(load<f32>(at(dxb, po)) + load<f32>(DOTS)));
      store<f32>(at(dxb, po + 1), clampf(load<f32>(at(dxb, po + 1)) + load<f32>(DOTS, 4)));
      store<f32>(at(dxb, po + 2), clampf(load<f32>(at(dxb, po + 2)) + load<f32>(DOTS, 8)));
      scaleInto(N, load<f32>(at(xb, po + 1)), g, at(dcr, h));
    }
    // dM[n,:] += Σ_i w^r_i[n]·dr_i: one pass over the row per four heads, their coefficients in
    // registers (the same adds in the same order as one head at a time)
    const W4 = W & ~3, sw = <usize>W << 2;
    for (let n = 0; n < N; n++) {
      const drow = at(dMb, n * W), dend = drow + (<usize>W4 << 2);
      let i = 0;
      for (; i + 4 <= R; i += 4) {
        const w0 = f32x4.splat(load<f32>(at(wr, H0 + i * N + n))), w1 = f32x4.splat(load<f32>(at(wr, H0 + (i + 1) * N + n)));
        const w2 = f32x4.splat(load<f32>(at(wr, H0 + (i + 2) * N + n))), w3 = f32x4.splat(load<f32>(at(wr, H0 + (i + 3) * N + n)));
        let pd = drow, p0 = at(dr, (b * R + i) * W);
        while (pd < dend) {
          let acc = v128.load(pd);
          acc = clampv(f32x4.add(acc, f32x4.mul(w0, v128.load(p0))));
          acc = clampv(f32x4.add(acc, f32x4.mul(w1, v128.load(p0 + sw))));
          acc = clampv(f32x4.add(acc, f32x4.mul(w2, v128.load(p0 + 2 * sw))));
          acc = clampv(f32x4.add(acc, f32x4.mul(w3, v128.load(p0 + 3 * sw))));
          v128.store(pd, acc);
          pd += 16; p0 += 16;
        }
      }
      for (; i < R; i++) {
        const wv = f32x4.splat(load<f32>(at(wr, H0 + i * N + n)));
        let pd = drow, p0 = at(dr, (b * R + i) * W);
        while (pd < dend) { v128.store(pd, clampv(f32x4.add(v128.load(pd), f32x4.mul(wv, v128.load(p0))))); pd += 16; p0 += 16; }
      }
      let j = W4;
      for (; j < W; j++) {
        let acc = load<f32>(at(drow, j));
        for (let i = 0; i < R; i++) acc = clampf(acc + load<f32>(at(wr, H0 + i * N + n)) * load<f32>(at(dr, (b * R + i) * W + j)));
        store<f32>(at(drow, j), acc);
      }
    }
    // f_i = L w'_i, b_i = Lᵀ w'_i with df_i = π_i[2]·g_i, db_i = π_i[0]·g_i (g = dw^r):
    //   dL[n,:] += Σ_i df_i[n]·w'_i + w'_i[n]·db_i;   dw'_i += π_i[2]·(Lᵀ g_i) + π_i[0]·(L g_i)
    // Every term is a product of a saturated gradient (≤ MAX/4) and a weighting or link (≤ 1): finite,
    // so sums can overflow only to ±Inf, never Inf − Inf; they are clamped once, when stored.
    // Heads go four at a time (their coefficients and sums held in registers), then one at a time.
    i = 0;
    for (; i + 4 <= R; i += 4) linkGrads4(N, Lb, dLb, at(wrprev, H0 + i * N), at(dwr, H0 + i * N), at(dwrprev, H0 + i * N), at(xb, piOff + 3 * i));
    for (; i < R; i++) linkGrads1(N, Lb, dLb, at(wrprev, H0 + i * N), at(dwr, H0 + i * N), at(dwrprev, H0 + i * N), at(xb, piOff + 3 * i));
    clampRow(R * N, at(dwrprev, H0));
  }
}
