// The one part of SAM that reads all of memory: for each read head, the
// cosine similarity of its key with every slot,
//   D[n] = k·M[n] / (‖k‖‖M[n]‖ + ε),  ‖a‖ = √(Σa² + ε)   (as the dense DNC's content.ts)
// and the K slots with the largest D, in descending order of D (equal D: the
// lower slot first). O(N·W) per head; everything else a step does is O(K·W).
//   M: B blocks of N×W    k: head h of stream b at k + (b·ldk + h·W)
//   idx, sim: B·R·K entries (common.ts)
// frozen: the slots in idx are kept and only their D computed (the gradient
// check holds the top-K sets fixed, as it holds the dense DNC's allocation order).
import { EPS, get, put, slot } from "./common";
import { hsum4 } from "../lanes";
import { CNT4 } from "../scratch";

/** (d, n) ranks before (d2, n2): a larger value, or an equal one in a lower slot. */
// @ts-ignore: decorator
@inline function before(d: f64, n: i32, d2: f64, n2: i32): bool { return d > d2 || (d == d2 && n < n2); }

/**
 * Inserts (n, d) into the list of `cnt` entries at base, best first (K at
 * most); returns the new count. Equal values are ranked by slot, so rows may
 * come in any order (lsh.ts); in ascending order this is "only a larger value
 * displaces".
 */
// @ts-ignore: decorator
@inline export function insertTop<T>(K: i32, cnt: i32, base: i32, idx: usize, sim: usize, n: i32, d: f64): i32 {
  if (cnt == K && !before(d, n, <f64>get<T>(sim, base + K - 1), slot<T>(idx, base + K - 1))) return cnt;
  let p = cnt < K ? cnt : K - 1;
  while (p > 0 && before(d, n, <f64>get<T>(sim, base + p - 1), slot<T>(idx, base + p - 1))) {
    put<T>(sim, base + p, get<T>(sim, base + p - 1)); put<T>(idx, base + p, get<T>(idx, base + p - 1)); p--;
  }
  put<T>(sim, base + p, <T>d); put<T>(idx, base + p, <T>n);
  return cnt < K ? cnt + 1 : K;
}

/** ‖k‖ = √(Σk² + ε) in f64. */
// @ts-ignore: decorator
@inline export function keyNorm64<T>(W: i32, kb: usize): f64 {
  let kk: f64 = 0;
  for (let w = 0; w < W; w++) { const x = <f64>get<T>(kb, w); kk += x * x; }
  return Math.sqrt(kk + EPS);
}

/** D[n] with key kb of norm kn, summed in f64 and rounded to T as it is stored. */
// @ts-ignore: decorator
@inline export function cosineAt<T>(W: i32, Mb: usize, n: i32, kb: usize, kn: f64): f64 {
  let dt: f64 = 0, mm: f64 = 0;
  for (let w = 0; w < W; w++) { const m = <f64>get<T>(Mb, n * W + w); dt += m * <f64>get<T>(kb, w); mm += m * m; }
  return <f64><T>(dt / (kn * Math.sqrt(mm + EPS) + EPS));
}

export function sam_scan<T>(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, k: usize, ldk: i32, idx: usize, sim: usize, frozen: i32): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * W * sz;
    for (let h = 0; h < R; h++) {
      const kb = k + (<usize>b * ldk + h * W) * sz, base = (b * R + h) * K, kn = keyNorm64<T>(W, kb);
      if (frozen) {
        for (let j = 0; j < K; j++) put<T>(sim, base + j, <T>cosineAt<T>(W, Mb, slot<T>(idx, base + j), kb, kn));
        continue;
      }
      let cnt = 0;
      for (let n = 0; n < N; n++) cnt = insertTop<T>(K, cnt, base, idx, sim, n, cosineAt<T>(W, Mb, n, kb, kn));
    }
  }
}

// ---- f32x4 (the SIMD build); the specs compare it with the reference above ----

// @ts-ignore: decorator
@inline export function keyNorm(W: i32, kp: usize): f32 {
  let kk: f64 = 0;
  for (let w = 0; w < W; w++) { const x = <f64>load<f32>(kp + (<usize>w << 2)); kk += x * x; }
  return <f32>Math.sqrt(kk + EPS);
}
// @ts-ignore: decorator
@inline export function lanes(a: f32, b: f32, c: f32, d: f32): v128 {
  return f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(a), 1, b), 2, c), 3, d);
}
// @ts-ignore: decorator
@inline export function lane(v: v128, i: i32): f32 {
  return i == 0 ? f32x4.extract_lane(v, 0) : i == 1 ? f32x4.extract_lane(v, 1) : i == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}

/** A group of nh heads starts with empty lists: thresholds −∞ (+∞ for the lanes beyond nh, which never insert). */
// @ts-ignore: decorator
@inline export function startGroup(nh: i32): v128 {
  memory.fill(CNT4, 0, 16);
  const inf: f32 = Infinity;
  return lanes(-inf, nh > 1 ? -inf : inf, nh > 2 ? -inf : inf, nh > 3 ? -inf : inf);
}

/** Four heads' cosines with one row (f32x4 products, the row's norm alongside; W not a multiple of 4 in scalar tails). */
// @ts-ignore: decorator
@inline export function cosine4(row: usize, W: i32, k0: usize, k1: usize, k2: usize, k3: usize, kn: v128): v128 {
  const W4 = W & ~3;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0), am = f32x4.splat(0);
  for (let j: usize = 0; j < (<usize>W4 << 2); j += 16) {
    const m = v128.load(row + j);
    a0 = f32x4.add(a0, f32x4.mul(m, v128.load(k0 + j))); a1 = f32x4.add(a1, f32x4.mul(m, v128.load(k1 + j)));
    a2 = f32x4.add(a2, f32x4.mul(m, v128.load(k2 + j))); a3 = f32x4.add(a3, f32x4.mul(m, v128.load(k3 + j)));
    am = f32x4.add(am, f32x4.mul(m, m));
  }
  let d = hsum4(a0, a1, a2, a3);
  let mm = (f32x4.extract_lane(am, 0) + f32x4.extract_lane(am, 1)) + (f32x4.extract_lane(am, 2) + f32x4.extract_lane(am, 3));
  for (let w = W4; w < W; w++) {
    const o = <usize>w << 2, m = load<f32>(row + o);
    mm += m * m;
    d = f32x4.add(d, f32x4.mul(f32x4.splat(m), lanes(load<f32>(k0 + o), load<f32>(k1 + o), load<f32>(k2 + o), load<f32>(k3 + o))));
  }
  const eps = f32x4.splat(<f32>EPS);
  return f32x4.div(d, f32x4.add(f32x4.mul(kn, f32x4.sqrt(f32x4.add(f32x4.splat(mm), eps))), eps));
}

/**
 * One head's cosines with the four rows from `row` (a lane each, `sw` bytes apart): per row the same
 * products and sums in the same order as cosine4's lane for that head, so the values are the same.
 */
// @ts-ignore: decorator
@inline function cosineRows4(row: usize, sw: usize, W: i32, kp: usize, kn: v128): v128 {
  const W4 = W & ~3, r1 = row + sw, r2 = r1 + sw, r3 = r2 + sw;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let m0 = f32x4.splat(0), m1 = f32x4.splat(0), m2 = f32x4.splat(0), m3 = f32x4.splat(0);
  for (let j: usize = 0; j < (<usize>W4 << 2); j += 16) {
    const q = v128.load(kp + j), x0 = v128.load(row + j), x1 = v128.load(r1 + j), x2 = v128.load(r2 + j), x3 = v128.load(r3 + j);
    a0 = f32x4.add(a0, f32x4.mul(x0, q)); a1 = f32x4.add(a1, f32x4.mul(x1, q));
    a2 = f32x4.add(a2, f32x4.mul(x2, q)); a3 = f32x4.add(a3, f32x4.mul(x3, q));
    m0 = f32x4.add(m0, f32x4.mul(x0, x0)); m1 = f32x4.add(m1, f32x4.mul(x1, x1));
    m2 = f32x4.add(m2, f32x4.mul(x2, x2)); m3 = f32x4.add(m3, f32x4.mul(x3, x3));
  }
  let d = hsum4(a0, a1, a2, a3), mm = hsum4(m0, m1, m2, m3);
  for (let w = W4; w < W; w++) {
    const o = <usize>w << 2, x = lanes(load<f32>(row + o), load<f32>(r1 + o), load<f32>(r2 + o), load<f32>(r3 + o));
    d = f32x4.add(d, f32x4.mul(x, f32x4.splat(load<f32>(kp + o))));
    mm = f32x4.add(mm, f32x4.mul(x, x));
  }
  const eps = f32x4.splat(<f32>EPS);
  return f32x4.div(d, f32x4.add(f32x4.mul(kn, f32x4.sqrt(f32x4.add(mm, eps))), eps));
}

/**
 * One head's scan (a group of one: R = 1, or the last of R = 5, 9, …): four rows at a time in the lanes,
 * where cosine4 would fill three lanes with copies of the head; the rows past the last multiple of 4 one by one.
 */
// @ts-ignore: decorator
@inline function scanOneHead(Mb: usize, sw: usize, N: i32, W: i32, K: i32, kp: usize, base: i32, idx: usize, sim: usize): void {
  const kn1 = keyNorm(W, kp), kn = f32x4.splat(kn1);
  let cnt = 0, thr: f32 = -Infinity, n = 0;
  for (; n + 4 <= N; n += 4) {
    const D = cosineRows4(Mb + <usize>n * sw, sw, W, kp, kn);
    if (!v128.any_true(f32x4.gt(D, f32x4.splat(thr)))) continue;
    for (let i = 0; i < 4; i++) cnt = insertTop<f32>(K, cnt, base, idx, sim, n + i, <f64>lane(D, i));
    if (cnt == K) thr = load<f32>(sim + (<usize>(base + K - 1) << 2));
  }
  for (; n < N; n++) {
    cnt = insertTop<f32>(K, cnt, base, idx, sim, n, <f64>f32x4.extract_lane(cosine4(Mb + <usize>n * sw, W, kp, kp, kp, kp, kn), 0));
  }
}

/**
 * Offers row n's cosines D to the nh heads' lists from `base` (K each; their
 * counts in CNT4), scalar; returns the heads' K-th best as the new threshold.
 */
// @ts-ignore: decorator
@inline export function offer4(D: v128, thr: v128, nh: i32, base: i32, K: i32, idx: usize, sim: usize, n: i32): v128 {
  for (let i = 0; i < nh; i++) {
    const bi = base + i * K, cnt = load<i32>(CNT4 + (<usize>i << 2));
    const c = insertTop<f32>(K, cnt, bi, idx, sim, n, <f64>lane(D, i));
    store<i32>(CNT4 + (<usize>i << 2), c);
    if (c == K) {
      const t = load<f32>(sim + (<usize>(bi + K - 1) << 2));
      thr = i == 0 ? f32x4.replace_lane(thr, 0, t) : i == 1 ? f32x4.replace_lane(thr, 1, t) : i == 2 ? f32x4.replace_lane(thr, 2, t) : f32x4.replace_lane(thr, 3, t);
    }
  }
  return thr;
}

/**
 * sam_scan for f32: each row of M is loaded once for up to four heads (a lane
 * each) and its own norm, the dot products in f32x4; a row's similarities are
 * compared with the four heads' current K-th best at once, and only a row that
 * beats one of them is inserted (scalar; rare once the lists are full). A
 * group of one head puts four rows in the lanes instead (scanOneHead).
 */
export function sam_scan_f32(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, k: usize, ldk: i32, idx: usize, sim: usize, frozen: i32): void {
  if (frozen) { sam_scan<f32>(B, R, N, W, K, M, k, ldk, idx, sim, frozen); return; } // O(K·W)
  const sw = <usize>W << 2;
  for (let b = 0; b < B; b++) {
    const Mb = M + <usize>b * N * sw;
    for (let g = 0; g < R; g += 4) {
      const nh = min(4, R - g);
      if (nh == 1) { scanOneHead(Mb, sw, N, W, K, k + ((<usize>b * ldk + g * W) << 2), (b * R + g) * K, idx, sim); continue; }
      // lanes beyond the last head repeat it; their thresholds stay +∞, so they never insert
      const k0 = k + ((<usize>b * ldk + g * W) << 2);
      const k1 = k0 + <usize>min(1, nh - 1) * sw, k2 = k0 + <usize>min(2, nh - 1) * sw, k3 = k0 + <usize>min(3, nh - 1) * sw;
      const kn = lanes(keyNorm(W, k0), keyNorm(W, k1), keyNorm(W, k2), keyNorm(W, k3));
      let thr = startGroup(nh);
      for (let n = 0; n < N; n++) {
        const D = cosine4(Mb + <usize>n * sw, W, k0, k1, k2, k3, kn);
        if (v128.any_true(f32x4.gt(D, thr))) thr = offer4(D, thr, nh, (b * R + g) * K, K, idx, sim, n);
      }
    }
  }
}
