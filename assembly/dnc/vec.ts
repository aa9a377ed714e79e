// Shared by the f32x4 DNC kernels (the second half of each dnc/<op>.ts): element
// addressing, dot products, row updates, horizontal sums and the saturation helpers.
// Rows of M (W floats) and of L (N floats) are contiguous, so inner loops run over
// rows (dot products, row updates) or down columns four at a time (sums held in
// registers), four heads per read of a row.
//
// Saturation: every gradient these kernels produce must be finite for any
// finite input (the extreme-input fuzz in __tests__/dnc.spec.ts). Rather than
// clamping after every operation, each term is kept finite by construction: a
// weighting, link or gate in [0, 1] times a gradient saturated at a quarter of
// the range, or a coefficient bounded by MAX/‖M[n]‖ times an entry of M[n].
// Sums of finite terms can overflow only to ±Inf, never to Inf − Inf = NaN, so
// they are clamped once, where stored. Where a term is unbounded (products of
// two gradients or of memory and a gradient) the sum is clamped per step, or
// computed in f32x4 and redone in f64 when it overflowed (dotSat).
import { EPS } from "./common";
import { exp4, exp1 } from "../math";
import { axpy } from "../rows";
import { hsum4, storeTransposed4 } from "../lanes";
import { MAX_SLOTS, NRM, KB4, XT, CS4, DOTS } from "../scratch";
export { NRM, KB4, CS4, DOTS };
export { axpy };

export { MAX_SLOTS };

/**
 * The dot products of four rows (r0 + i·sw bytes) with k (at k0 + i·sk: sk = 0 for one key, sk = sw
 * for each row with itself), as the lanes of a vector. Four independent sums (one dot() at a time
 * is bound by the latency of its adds); each lane's adds are dot()'s, in its order.
 */
// @ts-ignore: decorator
@inline export function dotRows4(W: i32, r0: usize, sw: usize, k0: usize, sk: usize): v128 {
  const W4 = W & ~3, end = r0 + (<usize>W4 << 2);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let p = r0, q = k0;
  while (p < end) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(p), v128.load(q)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(p + sw), v128.load(q + sk)));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(p + 2 * sw), v128.load(q + 2 * sk)));
    s3 = f32x4.add(s3, f32x4.mul(v128.load(p + 3 * sw), v128.load(q + 3 * sk)));
    p += 16; q += 16;
  }
  let t = hsum4(s0, s1, s2, s3);
  if (W4 < W) {
    // the rows' tails one float at a time, as in dot()
    let t0 = f32x4.extract_lane(t, 0), t1 = f32x4.extract_lane(t, 1), t2 = f32x4.extract_lane(t, 2), t3 = f32x4.extract_lane(t, 3);
    for (let j = W4; j < W; j++) {
      const a = r0 + (<usize>j << 2), b = k0 + (<usize>j << 2);
      t0 += load<f32>(a) * load<f32>(b); t1 += load<f32>(a + sw) * load<f32>(b + sk);
      t2 += load<f32>(a + 2 * sw) * load<f32>(b + 2 * sk); t3 += load<f32>(a + 3 * sw) * load<f32>(b + 3 * sk);
    }
    t = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t0), 1, t1), 2, t2), 3, t3);
  }
  return t;
}

/** NRM[n] = √(Σ M[n]² + ε) for the N rows of one stream's memory, four rows at a time. */
// @ts-ignore: decorator
@inline export function rowNorms(N: i32, W: i32, Mb: usize): void {
  const sw = <usize>W << 2, eps = f64x2.splat(EPS);
  let n = 0;
  for (; n + 4 <= N; n += 4) {
    const r0 = at(Mb, n * W), t = dotRows4(W, r0, sw, r0, sw);
    const lo = f64x2.sqrt(f64x2.add(f64x2.promote_low_f32x4(t), eps));
    const hi = f64x2.sqrt(f64x2.add(f64x2.promote_low_f32x4(v128.shuffle<f64>(t, t, 1, 1)), eps));
    v128.store(at(NRM, n), v128.shuffle<f64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2));
  }
  for (; n < N; n++) { const row = at(Mb, n * W); store<f32>(at(NRM, n), <f32>Math.sqrt(<f64>dot(W, row, row) + EPS)); }
}

/**
 * The largest of n floats (n ≥ 1), by f32x4.pmax (plain maxps: V8's f32x4.max adds NaN fix-ups that
 * cost more than they save). A NaN may be skipped here, but then it reaches the caller's sum anyway.
 */
// @ts-ignore: decorator
@inline export function maxOf(n: i32, p: usize): f32 {
  let m: f32 = -Infinity, i = 0;
  if (n >= 4) {
    let mv = v128.load(p);
    for (i = 4; i + 4 <= n; i += 4) mv = f32x4.pmax(mv, v128.load(at(p, i)));
    m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  }
  for (; i < n; i++) m = max(m, load<f32>(at(p, i)));
  return m;
}

/** c ← softmax(c) over n floats whose max is mx, with the vectorised exp (math.ts). */
// @ts-ignore: decorator
@inline export function softmaxInPlace(n: i32, c: usize, mx: f32): void {
  const mv = f32x4.splat(mx);
  let sv = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) { const e = exp4(f32x4.sub(v128.load(at(c, i)), mv)); v128.store(at(c, i), e); sv = f32x4.add(sv, e); }
  let z = hsum(sv);
  for (; i < n; i++) { const e = exp1(load<f32>(at(c, i)) - mx); store<f32>(at(c, i), e); z += e; }
  const iz = f32x4.splat(<f32>1 / z);
  i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(c, i), f32x4.mul(v128.load(at(c, i)), iz));
  for (; i < n; i++) store<f32>(at(c, i), load<f32>(at(c, i)) * (<f32>1 / z));
}

// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}
// @ts-ignore: decorator
@inline export function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/** Σ a[i]·b[i] over n floats. */
// @ts-ignore: decorator
@inline export function dot(n: i32, a: usize, b: usize): f32 {
  let s = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) s = f32x4.add(s, f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i))));
  let t = hsum(s);
  for (; i < n; i++) t += load<f32>(at(a, i)) * load<f32>(at(b, i));
  return t;
}

// @ts-ignore: decorator
@inline export function clampv(v: v128): v128 { return f32x4.pmax(f32x4.pmin(v, f32x4.splat(f32.MAX_VALUE)), f32x4.splat(-f32.MAX_VALUE)); }

/** The sum of the lanes, pairwise clamped (MAX + MAX − MAX − MAX would be Inf − Inf). */
// @ts-ignore: decorator
@inline export function hsumSat(v: v128): f32 {
  return clampf(clampf(f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + clampf(f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)));
}

/**
 * t, an f32 sum of a[i]·b[i] over n floats, or, if it overflowed (which leaves it Inf or NaN: an
 * Inf never turns finite again), the sum redone in f64 and saturated.
 */
// @ts-ignore: decorator
@inline export function orDot64(t: f32, n: i32, a: usize, b: usize): f32 {
  return Mathf.abs(t) <= f32.MAX_VALUE ? t : dot64(n, a, b);
}

/** Σ a[i]·b[i], saturated at the f32 range (saturated gradients meet here). */
// @ts-ignore: decorator
@inline export function dotSat(n: i32, a: usize, b: usize): f32 { return orDot64(dot(n, a, b), n, a, b); }

/** out[j] ← dotSat(n, g, x_j) for j = 0, 1, 2, in one pass over g (three sums in flight). */
// @ts-ignore: decorator
@inline export function dots3Sat(n: i32, g: usize, x0: usize, x1: usize, x2: usize, out: usize): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gv = v128.load(at(g, i));
    s0 = f32x4.add(s0, f32x4.mul(gv, v128.load(at(x0, i))));
    s1 = f32x4.add(s1, f32x4.mul(gv, v128.load(at(x1, i))));
    s2 = f32x4.add(s2, f32x4.mul(gv, v128.load(at(x2, i))));
  }
  let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2);
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    t0 += gi * load<f32>(at(x0, i)); t1 += gi * load<f32>(at(x1, i)); t2 += gi * load<f32>(at(x2, i));
  }
  store<f32>(out, orDot64(t0, n, g, x0)); store<f32>(out, orDot64(t1, n, g, x1), 4); store<f32>(out, orDot64(t2, n, g, x2), 8);
}

/** Σ a[i]·b[i] in f64, saturated to f32. */
function dot64(n: i32, a: usize, b: usize): f32 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += <f64>load<f32>(at(a, i)) * <f64>load<f32>(at(b, i));
  return sat32(s);
}

/** y = a·x over n floats. */
// @ts-ignore: decorator
@inline export function scaleInto(n: i32, a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.mul(av, v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(y, i), a * load<f32>(at(x, i)));
}

/** Σ x[i]² in f64 (once per head: the key's norm, which f32 could overflow). */
// @ts-ignore: decorator
@inline export function sumsq64(n: i32, x: usize): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) { const v = <f64>load<f32>(at(x, i)); s += v * v; }
  return s;
}

/** The largest |x[i]| (1 when all are 0): the scale of a key. */
// @ts-ignore: decorator
@inline export function maxAbs(n: i32, x: usize): f32 {
  let m: f32 = 0;
  for (let i = 0; i < n; i++) m = max(m, Mathf.abs(load<f32>(at(x, i))));
  return m > 0 ? m : 1;
}

/** y += a·x over n floats, clamped to the finite range (content gradients scale with unbounded strengths). */
// @ts-ignore: decorator
@inline export function axpySat(n: i32, a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), clampv(f32x4.add(v128.load(at(y, i)), f32x4.mul(av, v128.load(at(x, i))))));
  for (; i < n; i++) store<f32>(at(y, i), clampf(load<f32>(at(y, i)) + a * load<f32>(at(x, i))));
}
// @ts-ignore: decorator
@inline export function clampf(x: f32): f32 { return x > f32.MAX_VALUE ? f32.MAX_VALUE : x < -f32.MAX_VALUE ? -f32.MAX_VALUE : x; }
/** f64 → f32 without overflowing to ±Inf (whose product with a 0 would be NaN). */
// @ts-ignore: decorator
@inline export function sat32(x: f64): f32 { return <f32>(x > <f64>f32.MAX_VALUE ? <f64>f32.MAX_VALUE : x < -<f64>f32.MAX_VALUE ? -<f64>f32.MAX_VALUE : x); }


/**
 * dst ← four vectors k_j = k0 + j·sk (bytes) of W floats interleaved by blocks of four: block b
 * (at dst + b·bstride) holds k_0[4b…4b+3], …, k_3[4b…4b+3] (64 bytes), for the first W & ~3
 * floats. dots4x2 then reads the four through one pointer at fixed offsets, not four computed
 * addresses per step. KB4 is the usual destination.
 */
// @ts-ignore: decorator
@inline export function blocks4(W: i32, k0: usize, sk: usize, dst: usize, bstride: usize = 64): void {
  let d = dst;
  for (let j = 0; j + 4 <= W; j += 4, d += bstride) {
    const q = <usize>j << 2;
    v128.store(d, v128.load(k0 + q)); v128.store(d, v128.load(k0 + sk + q), 16);
    v128.store(d, v128.load(k0 + 2 * sk + q), 32); v128.store(d, v128.load(k0 + 3 * sk + q), 48);
  }
}

/**
 * Four dot products of each of two rows (row0, and row1 = row0 + rd bytes; rd = 0 for one row):
 * out[0..3] ← row0·k_j, out[4..7] ← row1·k_j over W floats. The first W & ~3 floats of the k_j come
 * from blocks as blocks4 lays them out (kb, blocks kstride bytes apart), the rest from k0 + j·sk.
 * Two rows keep eight sums in flight (with four, the adds' latency bounded the loop) and load each
 * block of the keys once for both.
 */
// @ts-ignore: decorator
@inline export function dots4x2(W: i32, row0: usize, rd: usize, kb: usize, kstride: usize, k0: usize, sk: usize, out: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let e0 = f32x4.splat(0), e1 = f32x4.splat(0), e2 = f32x4.splat(0), e3 = f32x4.splat(0);
  const W4 = W & ~3, rend = row0 + (<usize>W4 << 2);
  let pr = row0, pk = kb;
  while (pr < rend) {
    const v = v128.load(pr), u = v128.load(pr + rd);
    const k0v = v128.load(pk), k1v = v128.load(pk, 16), k2v = v128.load(pk, 32), k3v = v128.load(pk, 48);
    c0 = f32x4.add(c0, f32x4.mul(v, k0v)); e0 = f32x4.add(e0, f32x4.mul(u, k0v));
    c1 = f32x4.add(c1, f32x4.mul(v, k1v)); e1 = f32x4.add(e1, f32x4.mul(u, k1v));
    c2 = f32x4.add(c2, f32x4.mul(v, k2v)); e2 = f32x4.add(e2, f32x4.mul(u, k2v));
    c3 = f32x4.add(c3, f32x4.mul(v, k3v)); e3 = f32x4.add(e3, f32x4.mul(u, k3v));
    pr += 16; pk += kstride;
  }
  let t = hsum4(c0, c1, c2, c3), s = hsum4(e0, e1, e2, e3);
  if (W4 < W) {
    // the rows' tails one float at a time, after the lanes' sums
    let t0 = f32x4.extract_lane(t, 0), t1 = f32x4.extract_lane(t, 1), t2 = f32x4.extract_lane(t, 2), t3 = f32x4.extract_lane(t, 3);
    let s0 = f32x4.extract_lane(s, 0), s1 = f32x4.extract_lane(s, 1), s2 = f32x4.extract_lane(s, 2), s3 = f32x4.extract_lane(s, 3);
    for (let j = W4; j < W; j++) {
      const q = <usize>j << 2, v = load<f32>(row0 + q), u = load<f32>(row0 + rd + q);
      const a0 = load<f32>(k0 + q), a1 = load<f32>(k0 + sk + q), a2 = load<f32>(k0 + 2 * sk + q), a3 = load<f32>(k0 + 3 * sk + q);
      t0 += v * a0; t1 += v * a1; t2 += v * a2; t3 += v * a3;
      s0 += u * a0; s1 += u * a1; s2 += u * a2; s3 += u * a3;
    }
    t = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t0), 1, t1), 2, t2), 3, t3);
    s = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(s0), 1, s1), 2, s2), 3, s3);
  }
  v128.store(out, t); v128.store(out, s, 16);
}

/** x ← x clamped to the finite range (±Inf → ±MAX). */
// @ts-ignore: decorator
@inline export function clampRow(n: i32, x: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), clampv(v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(x, i), clampf(load<f32>(at(x, i))));
}

/**
 * colSums4's copy of its four vectors side by side: XT[4n + j] = x_j[n] (x_j N floats, sx bytes
 * apart), so that a loop down N reaches all four through one pointer at fixed offsets (computing
 * four addresses per step costs as much as the multiply-adds it feeds).
 */
// @ts-ignore: decorator
@inline function sideBySide4(N: i32, x: usize, sx: usize): void {
  let n = 0;
  for (; n + 4 <= N; n += 4) {
    // a 4×4 transpose: x_0…x_3 at n…n+3 become XT[4n…4n+15]
    const o = <usize>n << 2;
    storeTransposed4(XT + (o << 2), 16, v128.load(x + o), v128.load(x + sx + o), v128.load(x + 2 * sx + o), v128.load(x + 3 * sx + o), false);
  }
  for (; n < N; n++) {
    const o = <usize>n << 2, d = XT + (o << 2);
    store<f32>(d, load<f32>(x + o)); store<f32>(d, load<f32>(x + sx + o), 4);
    store<f32>(d, load<f32>(x + 2 * sx + o), 8); store<f32>(d, load<f32>(x + 3 * sx + o), 12);
  }
}


/**
 * out_j = Σ_n x_j[n]·A[n,:] for four vectors x_j (N floats, sx bytes apart) over the N×C matrix A
 * (rows C floats apart), out_j C floats, so bytes apart: four columns at a time down A, the four
 * sums in registers (a matrix-vector product with Aᵀ, without transposing A).
 */
export function colSums4(N: i32, C: i32, A: usize, x: usize, sx: usize, out: usize, so: usize): void {
  const ar = <usize>C << 2, xend = XT + (<usize>N << 4);
  sideBySide4(N, x, sx);
  let m = 0;
  // eight columns per pass: eight sums in flight, so the adds' latency no longer bounds the loop
  for (; m + 8 <= C; m += 8) {
    const q = <usize>m << 2;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let d0 = f32x4.splat(0), d1 = f32x4.splat(0), d2 = f32x4.splat(0), d3 = f32x4.splat(0);
    let a = A + q, px = XT;
    while (px < xend) {
      const l = v128.load(a), h = v128.load(a, 16);
      const x0 = v128.load32_splat(px), x1 = v128.load32_splat(px, 4), x2 = v128.load32_splat(px, 8), x3 = v128.load32_splat(px, 12);
      c0 = f32x4.add(c0, f32x4.mul(x0, l)); d0 = f32x4.add(d0, f32x4.mul(x0, h));
      c1 = f32x4.add(c1, f32x4.mul(x1, l)); d1 = f32x4.add(d1, f32x4.mul(x1, h));
      c2 = f32x4.add(c2, f32x4.mul(x2, l)); d2 = f32x4.add(d2, f32x4.mul(x2, h));
      c3 = f32x4.add(c3, f32x4.mul(x3, l)); d3 = f32x4.add(d3, f32x4.mul(x3, h));
      a += ar; px += 16;
    }
    v128.store(out + q, c0); v128.store(out + so + q, c1); v128.store(out + 2 * so + q, c2); v128.store(out + 3 * so + q, c3);
    v128.store(out + q, d0, 16); v128.store(out + so + q, d1, 16); v128.store(out + 2 * so + q, d2, 16); v128.store(out + 3 * so + q, d3, 16);
  }
  for (; m + 4 <= C; m += 4) {
    const q = <usize>m << 2;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let a = A + q, px = XT;
    while (px < xend) {
      const l = v128.load(a);
      c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(px), l));
      c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(px, 4), l));
      c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(px, 8), l));
      c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(px, 12), l));
      a += ar; px += 16;
    }
    v128.store(out + q, c0); v128.store(out + so + q, c1); v128.store(out + 2 * so + q, c2); v128.store(out + 3 * so + q, c3);
  }
  for (; m < C; m++) {
    const q = <usize>m << 2;
    let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0;
    let a = A + q, px = XT;
    while (px < xend) {
      const l = load<f32>(a);
      c0 += load<f32>(px) * l; c1 += load<f32>(px, 4) * l; c2 += load<f32>(px, 8) * l; c3 += load<f32>(px, 12) * l;
      a += ar; px += 16;
    }
    store<f32>(out + q, c0); store<f32>(out + so + q, c1); store<f32>(out + 2 * so + q, c2); store<f32>(out + 3 * so + q, c3);
  }
}
