// The exact content scan, with fewer bytes read per slot and a cheap test that
// rules most rows out (MODELS.md, "SAM: the exact scan, bounded"). Beside the
// memory each stream keeps a 16-bit copy of its rows and, per row, the scale,
// the norm and the copy's 1-norm:
//   q[n] = round(M[n]/s_n) ∈ [−32767, 32767]^W,  s_n = max_i |M[n,i]| / 32767,
//   ‖M[n]‖ = √(Σ M[n,i]² + ε),  A_n = Σ_i |q[n,i]|
// and each head's key is rounded too, p = round(k/τ), τ = max|k|/P. With
// I = q[n]·p (products summed exactly in i32 lanes, the lanes in f32) the
// numerator k·M[n] lies within
//   s_n·(τ·I ± (‖k‖₁ + τ·A_n)/2)
// (|M − s q| ≤ s/2 and |k − τ p| ≤ τ/2 per element). A row whose upper bound
// U = s_n(τI + c)/(‖k‖‖M[n]‖ + ε), plus a rounding allowance ρ, is below a
// head's current K-th best exact similarity cannot enter that head's list;
// every other row is scored exactly (scan.ts's cosine4) and offered as the
// plain scan offers it. The lists therefore go through the same states as the
// plain scan's and end bit for bit the same; only the rows skipped differ.
//
// Layout per stream b: row n's record at b·N·Rb + n·Rb, Rb = quantRecord(W):
// q (Wq = W rounded up to 8 entries, i16, zero-padded), then s and ‖M[n]‖
// (f32), A_n (i32) and a flag (i32: 1 while the row is stale, listed in D to
// be quantised before the next scan; sam_quant_mark). A row with a non-finite entry
// gets s = NaN: its bound is never above a threshold, as its exact similarity
// (NaN) is never above one in the plain scan. An all-zero row gets s = 0.
import { EPS, get } from "./common";
import { hsum4 } from "../lanes";
import { KQ, QR } from "../scratch";
import { cosine4, keyNorm, lanes, offer4, startGroup, sam_scan_f32 } from "./scan";

/** Entries of one row's 16-bit copy. */
export function quantWidth(W: i32): i32 { return (W + 7) & ~7; }
/** Bytes of one row's record: the copy, then s, the norm (f32), A and the stale flag (i32). */
export function quantRecord(W: i32): i32 { return 2 * quantWidth(W) + 16; }

/** Rounding allowance in similarity units: the f32 arithmetic of the bound and of the exact score each err by ~1e-6. */
const RHO: f32 = 1.0 / 32768;
const QMAX: f32 = 32767;

/**
 * Row `row` (W floats of T) into its record at qrow (q, then s, ‖row‖, A at f = qrow + 2Wq). The
 * reference, in T's arithmetic; for f32 its q, s and A are quantRowF32's bit for bit.
 * q = nearest(x·(32767/max)), so |x − s·q| ≤ s·(1/2 + 3·32767u), u = 2^−24, which the bound's slack covers.
 */
// @ts-ignore: decorator
@inline function quantRow<T>(W: i32, row: usize, qrow: usize, f: usize): void {
  let mx: T = 0, m0: T = 0, m1: T = 0, m2: T = 0, m3: T = 0, finite = true;
  for (let i = 0; i < W; i++) {
    const x = get<T>(row, i), x2 = x * x;
    if (!isFinite<T>(x)) finite = false;
    if (abs<T>(x) > mx) mx = abs<T>(x);
    // the f32x4 version's lanes, summed in its order
    const l = i & 3;
    if (l == 0) m0 += x2; else if (l == 1) m1 += x2; else if (l == 2) m2 += x2; else m3 += x2;
  }
  const inv: T = mx > 0 ? <T>QMAX / mx : 0;
  let a = 0;
  for (let i = 0; i < quantWidth(W); i++) {
    const q = finite && i < W ? <i32>nearest<T>(get<T>(row, i) * inv) : 0;
    store<i16>(qrow + (<usize>i << 1), <i16>q);
    a += abs<i32>(q);
  }
  store<f32>(f, finite ? <f32>(mx / <T>QMAX) : NaN);
  store<f32>(f + 4, <f32>sqrt<T>(((m0 + m1) + (m2 + m3)) + <T>EPS));
  store<i32>(f + 8, a);
  store<i32>(f + 12, 0); // current
}

/** quantRow<f32> in f32x4: the row staged in QR with zeros to Wq, then 8 values per narrowing. */
// @ts-ignore: decorator
@inline function quantRowF32(W: i32, row: usize, qrow: usize, f: usize): void {
  const Wq = <usize>quantWidth(W);
  memory.copy(QR, row, <usize>W << 2);
  memory.fill(QR + (<usize>W << 2), 0, (Wq - W) << 2);
  let mx = f32x4.splat(0), mm = f32x4.splat(0), bad = i32x4.splat(0);
  for (let j: usize = 0; j < (Wq << 2); j += 16) {
    const x = v128.load(QR + j), d = f32x4.sub(x, x);
    mx = f32x4.pmax(mx, f32x4.abs(x));
    mm = f32x4.add(mm, f32x4.mul(x, x));
    bad = v128.or(bad, f32x4.ne(d, d)); // x − x is NaN for ±∞ and NaN
  }
  const m = max(max(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)), max(f32x4.extract_lane(mx, 2), f32x4.extract_lane(mx, 3)));
  const finite = !v128.any_true(bad);
  const inv = f32x4.splat(m > 0 ? QMAX / m : 0);
  let a = i32x4.splat(0);
  for (let j: usize = 0; j < Wq; j += 8) {
    const x = QR + (j << 2);
    const i0 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x), inv)));
    const i1 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x + 16), inv)));
    const q = finite ? i16x8.narrow_i32x4_s(i0, i1) : i32x4.splat(0);
    v128.store(qrow + (j << 1), q);
    a = i32x4.add(a, i32x4.extadd_pairwise_i16x8_s(i16x8.abs(q)));
  }
  const sum = (f32x4.extract_lane(mm, 0) + f32x4.extract_lane(mm, 1)) + (f32x4.extract_lane(mm, 2) + f32x4.extract_lane(mm, 3));
  store<f32>(f, finite ? m / QMAX : NaN);
  store<f32>(f + 4, Mathf.sqrt(sum + <f32>EPS));
  store<i32>(f + 8, (i32x4.extract_lane(a, 0) + i32x4.extract_lane(a, 1)) + (i32x4.extract_lane(a, 2) + i32x4.extract_lane(a, 3)));
  store<i32>(f + 12, 0); // current
}

/** Row r (counted over all streams) of M into its record in Q: quantRowF32 in the f32 build unless ref, else the reference. */
// @ts-ignore: decorator
@inline function quantRowAt<T>(W: i32, M: usize, Q: usize, r: usize, ref: bool): void {
  const q = Q + r * <usize>quantRecord(W), f = q + (<usize>quantWidth(W) << 1), row = M + r * <usize>W * sizeof<T>();
  if (sizeof<T>() == 4 && !ref) quantRowF32(W, row, q, f);
  else quantRow<T>(W, row, q, f);
}

/** All rows of B streams (after the memory was written from outside); their lists of stale rows emptied. */
export function sam_quant_build<T>(B: i32, N: i32, W: i32, M: usize, Q: usize, D: usize): void {
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) quantRowAt<T>(W, M, Q, <usize>b * N + n, false);
    store<i32>(D + (<usize>b * (N + 1) << 2), 0);
  }
}

/**
 * Marks the rows named by `cnt` slots per stream (stored as floats, stream b's at idx + b·cnt) stale, after
 * they changed: the record's flag, and the stream's list at D + b·(N + 1) (its count, then the rows). A row
 * changes many times between two scans (a write, its undo in the backward, its redo in carry(), the entries
 * of one write naming it twice); it is quantised once, when the next scan flushes the list.
 */
export function sam_quant_mark<T>(B: i32, N: i32, W: i32, Q: usize, D: usize, idx: usize, cnt: i32): void {
  const Wb = <usize>quantWidth(W) << 1, Wr = <usize>quantRecord(W);
  for (let b = 0; b < B; b++) {
    const Db = D + (<usize>b * (N + 1) << 2);
    let c = load<i32>(Db);
    for (let j = 0; j < cnt; j++) {
      const n = <i32>get<T>(idx, b * cnt + j), flag = Q + (<usize>b * N + n) * Wr + Wb + 12;
      if (load<i32>(flag)) continue;
      store<i32>(flag, 1);
      c++;
      store<i32>(Db + (<usize>c << 2), n);
    }
    store<i32>(Db, c);
  }
}

/** Quantises the rows marked stale and empties the lists; ref: the scalar reference even in the f32 build (the specs). */
export function sam_quant_flush<T>(B: i32, N: i32, W: i32, M: usize, Q: usize, D: usize, ref: bool = false): void {
  for (let b = 0; b < B; b++) {
    const Db = D + (<usize>b * (N + 1) << 2), c = load<i32>(Db);
    for (let i = 1; i <= c; i++) quantRowAt<T>(W, M, Q, <usize>b * N + load<i32>(Db + (<usize>i << 2)), ref);
    store<i32>(Db, 0);
  }
}

/** Largest |p|: each i32 lane sums Wq/4 products of at most 32767·P. */
// @ts-ignore: decorator
@inline function keyRange(Wq: i32): f64 { return Math.min(32767, Math.floor(2147483647 / (32767 * <f64>(Wq >> 2)))); }

/**
 * Head key kp into KQ + h·2Wq as i16; returns τ (a non-finite key: τ = NaN, p = 0) and stores the
 * bound's two coefficients ‖k‖₁/2 and τ/2 (with slack for q's rounding and their own in f32) at
 * cOut and cOut + 16.
 */
// @ts-ignore: decorator
@inline function quantKey(W: i32, Wq: i32, kp: usize, h: i32, cOut: usize): f32 {
  let mx: f64 = 0, l1: f64 = 0, finite = true;
  for (let i = 0; i < W; i++) {
    const x = <f64>load<f32>(kp + (<usize>i << 2));
    if (!isFinite(x)) finite = false;
    const a = Math.abs(x);
    if (a > mx) mx = a;
    l1 += a;
  }
  const tau = <f32>(mx / keyRange(Wq)), dst = KQ + <usize>h * Wq * 2;
  for (let i = 0; i < Wq; i++) {
    let p: f64 = 0;
    if (finite && tau > 0 && i < W) p = Math.round(<f64>load<f32>(kp + (<usize>i << 2)) / <f64>tau);
    store<i16>(dst + (<usize>i << 1), <i16><i32>p);
  }
  // q's error is s·(1/2 + 3·32767·2^−24) at most (f32 rounding of x·(32767/max), and of s): 1.2% over s/2
  const slack = 1 + 1.0 / 32;
  store<f32>(cOut, <f32>(l1 * 0.5 * slack));
  store<f32>(cOut + 16, <f32>(<f64>tau * 0.5 * slack));
  return finite ? tau : NaN;
}

/** I for four heads (KQ's first four keys) with one 16-bit row: each head's i32 lanes summed in f32. */
// @ts-ignore: decorator
@inline function qdot4(q: usize, Wq: usize): v128 {
  const h1 = Wq << 1, h2 = h1 << 1, h3 = h1 * 3;
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  for (let j: usize = 0; j < (Wq << 1); j += 16) {
    const x = v128.load(q + j), p = KQ + j;
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x, v128.load(p)));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(x, v128.load(p + h1)));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(x, v128.load(p + h2)));
    a3 = i32x4.add(a3, i32x4.dot_i16x8_s(x, v128.load(p + h3)));
  }
  return hsum4(f32x4.convert_i32x4_s(a0), f32x4.convert_i32x4_s(a1), f32x4.convert_i32x4_s(a2), f32x4.convert_i32x4_s(a3));
}

/**
 * sam_scan_f32's result, reading 16-bit rows and scoring exactly only the rows
 * whose bound reaches a head's list. Groups of one head (R = 1, or the last of
 * R = 5, 9, …), frozen sets and a missing copy (Q = 0) take sam_scan_f32's own
 * paths. Returns the rows scored exactly, per head, for the benchmarks.
 */
export function sam_scan_bounded(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, Q: usize, D: usize, k: usize, ldk: i32, idx: usize, sim: usize, frozen: i32): f64 {
  if (frozen || R == 1 || Q == 0) { sam_scan_f32(B, R, N, W, K, M, k, ldk, idx, sim, frozen); return <f64>B * R * (frozen ? K : N); }
  sam_quant_flush<f32>(B, N, W, M, Q, D);
  const sw = <usize>W << 2, Wq = quantWidth(W), Wb = <usize>Wq << 1, Wr = <usize>quantRecord(W);
  const eps = f32x4.splat(<f32>EPS), rho = f32x4.splat(RHO), zero = f32x4.splat(0);
  let scored: f64 = 0;
  const cq = KQ + <usize>(4 * Wq * 2); // four ‖k‖₁/2 after the keys, then four τ/2
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * sw, Qb = Q + <usize>b * N * Wr;
    for (let g = 0; g < R; g += 4) {
      const nh = min(4, R - g);
      if (nh == 1) { sam_scan_f32(1, 1, N, W, K, Mb, k + ((<usize>b * ldk + g * W) << 2), 0, idx + ((<usize>(b * R + g) * K) << 2), sim + ((<usize>(b * R + g) * K) << 2), 0); scored += N; continue; }
      const k0 = k + ((<usize>b * ldk + g * W) << 2);
      const k1 = k0 + <usize>min(1, nh - 1) * sw, k2 = k0 + <usize>min(2, nh - 1) * sw, k3 = k0 + <usize>min(3, nh - 1) * sw;
      const kn = lanes(keyNorm(W, k0), keyNorm(W, k1), keyNorm(W, k2), keyNorm(W, k3));
      const tau = lanes(quantKey(W, Wq, k0, 0, cq), quantKey(W, Wq, k1, 1, cq + 4), quantKey(W, Wq, k2, 2, cq + 8), quantKey(W, Wq, k3, 3, cq + 12));
      const l1 = v128.load(cq), th = v128.load(cq + 16);
      let thr = startGroup(nh), thrU = f32x4.sub(thr, rho);
      for (let n = 0; n < N; n++) {
        const qp = Qb + <usize>n * Wr, s = load<f32>(qp + Wb);
        if (s == 0) {
          // a zero row (an unwritten slot): its similarity is exactly ±0, above a list's K-th best only if that is negative
          if (!v128.any_true(f32x4.lt(thr, zero))) continue;
        } else {
          const c = f32x4.add(l1, f32x4.mul(th, f32x4.splat(<f32>load<i32>(qp + Wb + 8))));
          const U = f32x4.mul(f32x4.add(f32x4.mul(tau, qdot4(qp, Wq)), c), f32x4.splat(s));
          const den = f32x4.add(f32x4.mul(kn, f32x4.splat(load<f32>(qp + Wb + 4))), eps);
          if (!v128.any_true(f32x4.ge(U, f32x4.mul(thrU, den)))) continue;
        }
        scored += nh;
        const D = cosine4(Mb + <usize>n * sw, W, k0, k1, k2, k3, kn);
        if (v128.any_true(f32x4.gt(D, thr))) { thr = offer4(D, thr, nh, (b * R + g) * K, K, idx, sim, n); thrU = f32x4.sub(thr, rho); }
      }
    }
  }
  return scored;
}
