// The exact content scan, with fewer bytes read per slot (MODELS.md, "SAM:
// the bounded scan"). Beside the memory each stream keeps an 8-bit copy of its
// rows and, per row, the scale and the norm:
//   q[n] = round(M[n]/s_n) ∈ [−127, 127]^W,  s_n = max_i |M[n,i]| / 127,  ‖M[n]‖ = √(Σ M[n,i]² + ε)
// and each head's key is rounded to 16 bits, p = round(k/τ), τ = max|k|/P. With
// I = q[n]·p (exact, in i32) the similarity's numerator k·M[n] lies within
//   s_n·(τ·I ± c),  c = ‖k‖₁/2 + τ·127·W/2
// (|M − s q| ≤ s/2 and |k − τ p| ≤ τ/2 per element). A row whose upper bound
// U = s_n(τI + c)/(‖k‖‖M[n]‖ + ε), plus a rounding allowance ρ, is below a
// head's current K-th best exact similarity cannot enter that head's list;
// every other row is scored exactly (scan.ts's cosine4) and offered as the
// plain scan offers it. The lists therefore go through the same states as the
// plain scan's and end bit for bit the same; only the rows skipped differ.
//
// Layout per stream b: Q at b·N·Wq bytes (row n at n·Wq, Wq = W rounded up
// to 16, zero-padded), F at b·N pairs of f32 (s_n, ‖M[n]‖). A row with a
// non-finite entry gets s = NaN: its bound is never above a threshold, as its
// exact similarity (NaN) is never above one in the plain scan.
import { EPS, get } from "./common";
import { hsum4i } from "../lanes";
import { KQ, QR } from "../scratch";
import { cosine4, keyNorm, lanes, offer4, startGroup, sam_scan_f32 } from "./scan";

/** Bytes of one row's 8-bit copy. */
export function quantWidth(W: i32): i32 { return (W + 15) & ~15; }
/** Bytes of one row's record: the copy, then s and the norm (f32), padded to 16. */
export function quantRecord(W: i32): i32 { return quantWidth(W) + 16; }

/** Rounding allowance in similarity units: the f32 arithmetic of the bound and of the exact score each err by ~1e-6. */
const RHO: f32 = 1.0 / 8192;

/**
 * Row `row` (W floats of T) into its copy: q at qrow (Wq bytes), (s, ‖row‖) at f as f32. The
 * reference, in T's arithmetic; for f32 its q and s are quantRowF32's bit for bit. q = nearest(x·(127/max)),
 * so |x − s·q| ≤ s·(1/2 + 127·4u), which the bound's slack covers.
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
  const inv: T = mx > 0 ? <T>127 / mx : 0;
  for (let i = 0; i < quantWidth(W); i++) {
    store<i8>(qrow + i, finite && i < W ? <i8><i32>nearest<T>(get<T>(row, i) * inv) : 0);
  }
  store<f32>(f, finite ? <f32>(mx / <T>127) : NaN);
  store<f32>(f + 4, <f32>sqrt<T>(((m0 + m1) + (m2 + m3)) + <T>EPS));
}

/** quantRow<f32> in f32x4: the row staged in QR with zeros to Wq, then 16 values per narrowing. */
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
  const inv = f32x4.splat(m > 0 ? <f32>127 / m : 0);
  for (let j: usize = 0; j < Wq; j += 16) {
    const x = QR + (j << 2);
    const i0 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x), inv)));
    const i1 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x + 16), inv)));
    const i2 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x + 32), inv)));
    const i3 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x + 48), inv)));
    v128.store(qrow + j, finite ? i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(i0, i1), i16x8.narrow_i32x4_s(i2, i3)) : i32x4.splat(0));
  }
  const sum = (f32x4.extract_lane(mm, 0) + f32x4.extract_lane(mm, 1)) + (f32x4.extract_lane(mm, 2) + f32x4.extract_lane(mm, 3));
  store<f32>(f, finite ? m / <f32>127 : NaN);
  store<f32>(f + 4, Mathf.sqrt(sum + <f32>EPS));
}

/** All rows of B streams (after the memory was written from outside). */
export function sam_quant_build<T>(B: i32, N: i32, W: i32, M: usize, Q: usize): void {
  const Wq = <usize>quantWidth(W), Wr = <usize>quantRecord(W), sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) {
      const r = <usize>b * N + n, q = Q + r * Wr;
      if (sizeof<T>() == 4) quantRowF32(W, M + r * W * sz, q, q + Wq);
      else quantRow<T>(W, M + r * W * sz, q, q + Wq);
    }
  }
}

/**
 * The rows named by `cnt` slots per stream (stored as floats, stream b's at idx + b·cnt), after they changed;
 * ref: the scalar reference even in the f32 build (the specs).
 */
export function sam_quant_rows<T>(B: i32, N: i32, W: i32, M: usize, Q: usize, idx: usize, cnt: i32, ref: bool = false): void {
  const Wq = <usize>quantWidth(W), Wr = <usize>quantRecord(W), sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < cnt; j++) {
      const r = <usize>b * N + <usize><i32>get<T>(idx, b * cnt + j), q = Q + r * Wr;
      if (sizeof<T>() == 4 && !ref) quantRowF32(W, M + r * W * sz, q, q + Wq);
      else quantRow<T>(W, M + r * W * sz, q, q + Wq);
    }
  }
}

/** Largest |p|: 127·P·Wq must stay below 2^31, so I cannot overflow. */
// @ts-ignore: decorator
@inline function keyRange(Wq: i32): f64 { return Math.min(32767, Math.floor(2147483647 / (127 * <f64>Wq)) - 1); }

/** Head key kp into KQ + h·2Wq as i16; returns τ, and its c in `cOut` (a non-finite key: τ = NaN, p = 0). */
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
  // with slack for q's rounding (up to 127·4u beyond 1/2) and for c's own in f32
  store<f32>(cOut, <f32>((l1 + <f64>tau * 127 * W) * 0.5 * (1 + 1.0 / 1024)));
  return finite ? tau : NaN;
}

/** I for four heads (KQ's first four keys) with one 8-bit row: i32 lanes. */
// @ts-ignore: decorator
@inline function qdot4(q: usize, Wq: usize): v128 {
  const h1 = Wq << 1, h2 = h1 << 1, h3 = h1 * 3;
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  for (let j: usize = 0; j < Wq; j += 16) {
    const x = v128.load(q + j), lo = i16x8.extend_low_i8x16_s(x), hi = i16x8.extend_high_i8x16_s(x), p = KQ + (j << 1);
    a0 = i32x4.add(a0, i32x4.add(i32x4.dot_i16x8_s(lo, v128.load(p)), i32x4.dot_i16x8_s(hi, v128.load(p + 16))));
    a1 = i32x4.add(a1, i32x4.add(i32x4.dot_i16x8_s(lo, v128.load(p + h1)), i32x4.dot_i16x8_s(hi, v128.load(p + h1 + 16))));
    a2 = i32x4.add(a2, i32x4.add(i32x4.dot_i16x8_s(lo, v128.load(p + h2)), i32x4.dot_i16x8_s(hi, v128.load(p + h2 + 16))));
    a3 = i32x4.add(a3, i32x4.add(i32x4.dot_i16x8_s(lo, v128.load(p + h3)), i32x4.dot_i16x8_s(hi, v128.load(p + h3 + 16))));
  }
  return hsum4i(a0, a1, a2, a3);
}

/**
 * sam_scan_f32's result, reading 8-bit rows and scoring exactly only the rows
 * whose bound reaches a head's list. Groups of one head (R = 1, or the last of
 * R = 5, 9, …) and frozen sets take sam_scan_f32's own paths. Returns the rows
 * scored exactly (summed over streams and groups), for the benchmarks.
 */
export function sam_scan_bounded(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, Q: usize, k: usize, ldk: i32, idx: usize, sim: usize, frozen: i32): f64 {
  if (frozen || R == 1 || Q == 0) { sam_scan_f32(B, R, N, W, K, M, k, ldk, idx, sim, frozen); return <f64>B * R * (frozen ? K : N); }
  const sw = <usize>W << 2, Wq = quantWidth(W), Wr = <usize>quantRecord(W), eps = f32x4.splat(<f32>EPS), rho = f32x4.splat(RHO), zero = f32x4.splat(0);
  let scored: f64 = 0;
  const cq = KQ + <usize>(4 * Wq * 2); // four c values after the keys
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * sw, Qb = Q + <usize>b * N * Wr;
    for (let g = 0; g < R; g += 4) {
      const nh = min(4, R - g);
      if (nh == 1) { sam_scan_f32(1, 1, N, W, K, Mb, k + ((<usize>b * ldk + g * W) << 2), 0, idx + ((<usize>(b * R + g) * K) << 2), sim + ((<usize>(b * R + g) * K) << 2), 0); scored += N; continue; }
      const k0 = k + ((<usize>b * ldk + g * W) << 2);
      const k1 = k0 + <usize>min(1, nh - 1) * sw, k2 = k0 + <usize>min(2, nh - 1) * sw, k3 = k0 + <usize>min(3, nh - 1) * sw;
      const kn = lanes(keyNorm(W, k0), keyNorm(W, k1), keyNorm(W, k2), keyNorm(W, k3));
      const tau = lanes(quantKey(W, Wq, k0, 0, cq), quantKey(W, Wq, k1, 1, cq + 4), quantKey(W, Wq, k2, 2, cq + 8), quantKey(W, Wq, k3, 3, cq + 12));
      const c = v128.load(cq);
      let thr = startGroup(nh), thrU = f32x4.sub(thr, rho);
      for (let n = 0; n < N; n++) {
        const qp = Qb + <usize>n * Wr, s = load<f32>(qp + Wq);
        if (s == 0) {
          // a zero row (an unwritten slot): its similarity is exactly ±0, above a list's K-th best only if that is negative
          if (!v128.any_true(f32x4.lt(thr, zero))) continue;
        } else {
          const I = f32x4.convert_i32x4_s(qdot4(qp, Wq));
          const U = f32x4.mul(f32x4.add(f32x4.mul(tau, I), c), f32x4.splat(s));
          const den = f32x4.add(f32x4.mul(kn, f32x4.splat(load<f32>(qp + Wq + 4))), eps);
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
