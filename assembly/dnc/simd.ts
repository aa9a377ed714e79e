// f32x4 versions of the DNC memory kernels that dominate the step: content
// addressing, reads and links (forward and backward). Same arguments and
// results as the scalar references in content.ts, read.ts and links.ts (to
// float32 round-off), which the specs compare them against. Rows of M (W
// floats) and of L (N floats) are contiguous, so every inner loop runs over a
// row: dot products, row updates (axpy), and sums of rows for column sums.
import { EPS, oPi, oE, oV, oGa, oGw, oF } from "./common";
import { exp4, exp1 } from "../math";

/** Scratch for the row norms ‖M[n]‖ of one stream, shared by its heads (N ≤ MAX_SLOTS). */
export const MAX_SLOTS: i32 = 4096;
const NRM = memory.data(MAX_SLOTS * 4, 16);

/** NRM[n] = √(Σ M[n]² + ε) for the N rows of one stream's memory. */
// @ts-ignore: decorator
@inline function rowNorms(N: i32, W: i32, Mb: usize): void {
  for (let n = 0; n < N; n++) { const row = at(Mb, n * W); store<f32>(at(NRM, n), <f32>Math.sqrt(<f64>dot(W, row, row) + EPS)); }
}

/** c ← softmax(c) over n floats whose max is mx, with the vectorised exp (math.ts). */
// @ts-ignore: decorator
@inline function softmaxInPlace(n: i32, c: usize, mx: f32): void {
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
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}
// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/** Σ a[i]·b[i] over n floats. */
// @ts-ignore: decorator
@inline function dot(n: i32, a: usize, b: usize): f32 {
  let s = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) s = f32x4.add(s, f32x4.mul(v128.load(at(a, i)), v128.load(at(b, i))));
  let t = hsum(s);
  for (; i < n; i++) t += load<f32>(at(a, i)) * load<f32>(at(b, i));
  return t;
}

// @ts-ignore: decorator
@inline function clampv(v: v128): v128 { return f32x4.pmax(f32x4.pmin(v, f32x4.splat(f32.MAX_VALUE)), f32x4.splat(-f32.MAX_VALUE)); }

/** The sum of the lanes, pairwise clamped (MAX + MAX − MAX − MAX would be Inf − Inf). */
// @ts-ignore: decorator
@inline function hsumSat(v: v128): f32 {
  return clampf(clampf(f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + clampf(f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)));
}

/**
 * Σ a[i]·b[i], saturated at the f32 range (saturated gradients meet here). The
 * f32x4 sum is exact unless it overflowed, which leaves it Inf or NaN (an Inf
 * never turns finite again): only then is the sum redone in f64.
 */
// @ts-ignore: decorator
@inline function dotSat(n: i32, a: usize, b: usize): f32 {
  const t = dot(n, a, b);
  return Mathf.abs(t) <= f32.MAX_VALUE ? t : dot64(n, a, b);
}

/** Σ a[i]·b[i] in f64, saturated to f32. */
function dot64(n: i32, a: usize, b: usize): f32 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += <f64>load<f32>(at(a, i)) * <f64>load<f32>(at(b, i));
  return sat32(s);
}

/** y = a·x over n floats. */
// @ts-ignore: decorator
@inline function scaleInto(n: i32, a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.mul(av, v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(y, i), a * load<f32>(at(x, i)));
}

/** Σ a[i]·(b[i]·sb) over n floats: a key scaled into [−1, 1] before it meets memory, so no f32 product overflows. */
// @ts-ignore: decorator
@inline function dotScaled(n: i32, a: usize, b: usize, sb: f32): f32 {
  const sv = f32x4.splat(sb);
  let s = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) s = f32x4.add(s, f32x4.mul(v128.load(at(a, i)), f32x4.mul(v128.load(at(b, i)), sv)));
  let t = hsum(s);
  for (; i < n; i++) t += load<f32>(at(a, i)) * (load<f32>(at(b, i)) * sb);
  return t;
}

/** Σ x[i]² in f64 (once per head: the key's norm, which f32 could overflow). */
// @ts-ignore: decorator
@inline function sumsq64(n: i32, x: usize): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) { const v = <f64>load<f32>(at(x, i)); s += v * v; }
  return s;
}

/** The largest |x[i]| (1 when all are 0): the scale of a key. */
// @ts-ignore: decorator
@inline function maxAbs(n: i32, x: usize): f32 {
  let m: f32 = 0;
  for (let i = 0; i < n; i++) m = max(m, Mathf.abs(load<f32>(at(x, i))));
  return m > 0 ? m : 1;
}

/** y += a·x over n floats, clamped to the finite range (content gradients scale with unbounded strengths). */
// @ts-ignore: decorator
@inline function axpySat(n: i32, a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a), hi = f32x4.splat(f32.MAX_VALUE), lo = f32x4.splat(-f32.MAX_VALUE);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = f32x4.add(v128.load(at(y, i)), f32x4.mul(av, v128.load(at(x, i))));
    v128.store(at(y, i), f32x4.pmax(f32x4.pmin(v, hi), lo));
  }
  for (; i < n; i++) store<f32>(at(y, i), clampf(load<f32>(at(y, i)) + a * load<f32>(at(x, i))));
}
// @ts-ignore: decorator
@inline function clampf(x: f32): f32 { return x > f32.MAX_VALUE ? f32.MAX_VALUE : x < -f32.MAX_VALUE ? -f32.MAX_VALUE : x; }
/** f64 → f32 without overflowing to ±Inf (whose product with a 0 would be NaN). */
// @ts-ignore: decorator
@inline function sat32(x: f64): f32 { return <f32>(x > <f64>f32.MAX_VALUE ? <f64>f32.MAX_VALUE : x < -<f64>f32.MAX_VALUE ? -<f64>f32.MAX_VALUE : x); }

/** y += a·x over n floats. */
// @ts-ignore: decorator
@inline function axpy(n: i32, a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.add(v128.load(at(y, i)), f32x4.mul(av, v128.load(at(x, i)))));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + a * load<f32>(at(x, i)));
}

// ---- content addressing ----

/** Keys of one group of heads, each scaled by 1/max|k| (so f32 products with memory cannot overflow), and per-head scalars. */
export const MAX_KEY: i32 = 4096; // so W ≤ 4096 (checked by the host)
const MAX_GROUP: i32 = 32;
const KS = memory.data(MAX_KEY * 4, 16);
const HS = memory.data(MAX_GROUP * 8 * 8, 16); // f64 per head: ‖k‖ scale, ‖k‖, β, c·dc, dβ, d‖k‖
const DT = memory.data(16, 16);                // four dot products

// @ts-ignore: decorator
@inline function hs(i: i32, f: i32): usize { return HS + (<usize>(i * 8 + f) << 3); }

/**
 * KS ← the keys of heads h0 … h0+g−1 of stream b, each scaled by 1/max|k| (unsquashed keys: so
 * no f32 product with memory overflows); HS ← per head its scale, ‖k‖ and β (f64).
 */
// @ts-ignore: decorator
@inline function scaleKeys(b: i32, h0: i32, g: i32, W: i32, k: usize, ldk: i32, beta: usize, ldb: i32): void {
  for (let i = 0; i < g; i++) {
    const h = h0 + i, kb = at(k, b * ldk + h * W);
    const ks = maxAbs(W, kb), kinv = <f32>1 / ks;
    for (let j = 0; j < W; j++) store<f32>(at(KS, i * W + j), load<f32>(at(kb, j)) * kinv);
    store<f64>(hs(i, 0), <f64>ks);
    store<f64>(hs(i, 1), Math.sqrt(sumsq64(W, kb) + EPS));
    store<f64>(hs(i, 2), <f64>load<f32>(at(beta, b * ldb + h)));
  }
}

/** DT[0..3] ← row·k0 … row·k3 over W floats: one read of the row for four vectors. */
// @ts-ignore: decorator
@inline function dots4(W: i32, row: usize, k0: usize, k1: usize, k2: usize, k3: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= W; j += 4) {
    const q = <usize>j << 2, v = v128.load(row + q);
    c0 = f32x4.add(c0, f32x4.mul(v, v128.load(k0 + q)));
    c1 = f32x4.add(c1, f32x4.mul(v, v128.load(k1 + q)));
    c2 = f32x4.add(c2, f32x4.mul(v, v128.load(k2 + q)));
    c3 = f32x4.add(c3, f32x4.mul(v, v128.load(k3 + q)));
  }
  let t0 = hsum(c0), t1 = hsum(c1), t2 = hsum(c2), t3 = hsum(c3);
  for (; j < W; j++) {
    const q = <usize>j << 2, v = load<f32>(row + q);
    t0 += v * load<f32>(k0 + q); t1 += v * load<f32>(k1 + q); t2 += v * load<f32>(k2 + q); t3 += v * load<f32>(k3 + q);
  }
  store<f32>(DT, t0); store<f32>(DT, t1, 4); store<f32>(DT, t2, 8); store<f32>(DT, t3, 12);
}

/** D = k·M[n] / (‖k‖‖M[n]‖ + ε) in f64, from the scaled dot product of head i of the group. */
// @ts-ignore: decorator
@inline function cosine(i: i32, sdot: f32, mn: f64): f64 {
  return load<f64>(hs(i, 0)) * <f64>sdot / (load<f64>(hs(i, 1)) * mn + EPS);
}

export function content_fwd_f32(B: i32, Hh: i32, N: i32, W: i32, M: usize, k: usize, ldk: i32, beta: usize, ldb: i32, c: usize, ldc: i32): void {
  const G = min(MAX_GROUP, max(1, MAX_KEY / W));
  for (let b = 0; b < B; b++) {
    const Mb = M + ((<usize>b * N * W) << 2);
    rowNorms(N, W, Mb);
    for (let h0 = 0; h0 < Hh; h0 += G) {
      const g = min(G, Hh - h0);
      scaleKeys(b, h0, g, W, k, ldk, beta, ldb);
      // scores β·D, four heads per read of a row, then one at a time
      for (let n = 0; n < N; n++) {
        const row = at(Mb, n * W), mn = <f64>load<f32>(at(NRM, n));
        let i = 0;
        for (; i + 4 <= g; i += 4) {
          dots4(W, row, at(KS, i * W), at(KS, (i + 1) * W), at(KS, (i + 2) * W), at(KS, (i + 3) * W));
          for (let q = 0; q < 4; q++) store<f32>(at(c, b * ldc + (h0 + i + q) * N + n), <f32>(load<f64>(hs(i + q, 2)) * cosine(i + q, load<f32>(at(DT, q)), mn)));
        }
        for (; i < g; i++) store<f32>(at(c, b * ldc + (h0 + i) * N + n), <f32>(load<f64>(hs(i, 2)) * cosine(i, dot(W, row, at(KS, i * W)), mn)));
      }
      for (let i = 0; i < g; i++) {
        const cb = at(c, b * ldc + (h0 + i) * N);
        let mx: f32 = -Infinity;
        for (let n = 0; n < N; n++) mx = max(mx, load<f32>(at(cb, n)));
        softmaxInPlace(N, cb, mx);
      }
    }
  }
}

/**
 * x as f32, bounded by MAX/2·s: with s = 1/‖row‖ its products with the row's
 * entries stay finite (the half is margin for rounding in ‖row‖ and in scaled keys).
 */
// @ts-ignore: decorator
@inline function satTo(x: f64, s: f64): f32 {
  const lim = <f64>f32.MAX_VALUE * 0.5 * min(s, 1.0);
  return <f32>(x > lim ? lim : x < -lim ? -lim : x);
}

/** x ← x clamped to the finite range (±Inf → ±MAX). */
// @ts-ignore: decorator
@inline function clampRow(n: i32, x: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), clampv(v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(x, i), clampf(load<f32>(at(x, i))));
}

// The content backward works on blocks of NB rows: per row the dot products with the group's keys
// (one read of the row for four heads); per head its scalar chain over the block (its constants and
// sums in registers); then dk by columns of M (four heads' sums in registers) and dM row by row.
const NB: i32 = 64;
const BDOT = memory.data(MAX_GROUP * NB * 4, 16); // [head][row] scaled dot products
const BCK = memory.data(MAX_GROUP * NB * 4, 16);  // [head][row] coefficient of M[n] in dk (ddot, bounded)
const BAL = memory.data(MAX_GROUP * NB * 4, 16);  // [head][row] coefficient of the scaled key in dM[n]
const BGM = memory.data(NB * 8, 16);              // [row] Σ_heads d‖M[n]‖/‖M[n]‖ (f64)

/** dk_i += Σ_n BCK[i][n]·M[n] for four heads (i0 …), by columns of M: the sums stay in registers. */
// @ts-ignore: decorator
@inline function dkColumns4(W: i32, nb: i32, Mrow0: usize, i0: i32, dk0: usize, dk1: usize, dk2: usize, dk3: usize): void {
  const c0 = BCK + (<usize>(i0 * NB) << 2), s1 = <usize>NB << 2, sw = <usize>W << 2;
  let j = 0;
  for (; j + 4 <= W; j += 4) {
    const q = <usize>j << 2;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let row = Mrow0 + q, c = c0;
    for (let n = 0; n < nb; n++) {
      const v = v128.load(row);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(c), v));
      a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(c + s1), v));
      a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(c + 2 * s1), v));
      a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(c + 3 * s1), v));
      row += sw; c += 4;
    }
    v128.store(dk0 + q, f32x4.add(v128.load(dk0 + q), a0));
    v128.store(dk1 + q, f32x4.add(v128.load(dk1 + q), a1));
    v128.store(dk2 + q, f32x4.add(v128.load(dk2 + q), a2));
    v128.store(dk3 + q, f32x4.add(v128.load(dk3 + q), a3));
  }
  for (; j < W; j++) {
    const q = <usize>j << 2;
    let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
    let row = Mrow0 + q, c = c0;
    for (let n = 0; n < nb; n++) {
      const v = load<f32>(row);
      a0 += load<f32>(c) * v; a1 += load<f32>(c + s1) * v; a2 += load<f32>(c + 2 * s1) * v; a3 += load<f32>(c + 3 * s1) * v;
      row += sw; c += 4;
    }
    store<f32>(dk0 + q, load<f32>(dk0 + q) + a0); store<f32>(dk1 + q, load<f32>(dk1 + q) + a1);
    store<f32>(dk2 + q, load<f32>(dk2 + q) + a2); store<f32>(dk3 + q, load<f32>(dk3 + q) + a3);
  }
}

/** dM[n] += γ·M[n] + Σ_i BAL[i][r]·KS_i (r: the row in its block), one read and write of the row for all g heads. */
// @ts-ignore: decorator
@inline function rowUpdate(W: i32, g: i32, r: i32, row: usize, gam: f32, drow: usize): void {
  const gv = f32x4.splat(gam), al = BAL + (<usize>r << 2), s1 = <usize>NB << 2;
  let j = 0;
  for (; j + 4 <= W; j += 4) {
    // every term is finite (|KS| ≤ 1, coefficients saturated), so an Inf can appear but never Inf − Inf: clamp once
    let acc = f32x4.add(v128.load(at(drow, j)), f32x4.mul(gv, v128.load(at(row, j))));
    for (let i = 0; i < g; i++) acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(al + <usize>i * s1), v128.load(at(KS, i * W + j))));
    v128.store(at(drow, j), clampv(acc));
  }
  for (; j < W; j++) {
    let acc = load<f32>(at(drow, j)) + gam * load<f32>(at(row, j));
    for (let i = 0; i < g; i++) acc += load<f32>(al + <usize>i * s1) * load<f32>(at(KS, i * W + j));
    store<f32>(at(drow, j), clampf(acc));
  }
}

export function content_bwd_f32(B: i32, Hh: i32, N: i32, W: i32, M: usize, k: usize, ldk: i32, beta: usize, ldb: i32,
                                c: usize, dc: usize, ldc: i32, dM: usize, dk: usize, dbeta: usize): void {
  // heads go in groups whose scaled keys fit the scratch; each row of M and dM is then read once per group
  const G = min(MAX_GROUP, max(1, MAX_KEY / W));
  for (let b = 0; b < B; b++) {
    const Mb = M + ((<usize>b * N * W) << 2), dMb = dM + ((<usize>b * N * W) << 2);
    rowNorms(N, W, Mb);
    for (let h0 = 0; h0 < Hh; h0 += G) {
      const g = min(G, Hh - h0);
      scaleKeys(b, h0, g, W, k, ldk, beta, ldb);
      for (let i = 0; i < g; i++) {
        const h = h0 + i;
        store<f64>(hs(i, 3), <f64>dotSat(N, at(c, b * ldc + h * N), at(dc, b * ldc + h * N))); // softmax backward: ds = c∘(dc − c·dc)
        store<f64>(hs(i, 4), 0);
        store<f64>(hs(i, 5), 0);
      }
      for (let n0 = 0; n0 < N; n0 += NB) {
        const nb = min(NB, N - n0);
        // the dot products of the block's rows with the group's scaled keys
        for (let r = 0; r < nb; r++) {
          const row = at(Mb, (n0 + r) * W);
          let i = 0;
          for (; i + 4 <= g; i += 4) {
            dots4(W, row, at(KS, i * W), at(KS, (i + 1) * W), at(KS, (i + 2) * W), at(KS, (i + 3) * W));
            for (let q = 0; q < 4; q++) store<f32>(at(BDOT, (i + q) * NB + r), load<f32>(at(DT, q)));
          }
          for (; i < g; i++) store<f32>(at(BDOT, i * NB + r), dot(W, row, at(KS, i * W)));
          store<f64>(BGM + (<usize>r << 3), 0);
        }
        // per head: D = cosine, ds = c(dc − c·dc); dβ += ds·D; ddot = ds·β/den, dden = −ds·β·D/den
        for (let i = 0; i < g; i++) {
          const h = h0 + i, co = b * ldc + h * N + n0;
          const ksd = load<f64>(hs(i, 0)), kn = load<f64>(hs(i, 1)), bt = load<f64>(hs(i, 2)), cdc = load<f64>(hs(i, 3));
          let dbt: f64 = 0, dkn: f64 = 0;
          for (let r = 0; r < nb; r++) {
            const o = i * NB + r;
            const ds = <f64>load<f32>(at(c, co + r)) * (<f64>load<f32>(at(dc, co + r)) - cdc);
            const mn = <f64>load<f32>(at(NRM, n0 + r)), imn = 1 / mn;
            const iden = 1 / (kn * mn + EPS), D = ksd * <f64>load<f32>(at(BDOT, o)) * iden;
            dbt += ds * D;
            const dD = ds * bt, ddot = dD * iden, dden = -dD * D * iden;
            dkn += dden * mn;
            store<f64>(BGM + (<usize>r << 3), load<f64>(BGM + (<usize>r << 3)) + dden * kn * imn);
            // dk += ddot·M[n]: |M[n][j]| ≤ ‖M[n]‖, so bounding |ddot| by MAX/‖M[n]‖ keeps every product
            // finite; the sums may overflow to ±Inf but never meet an opposite Inf: clamped once at the end
            store<f32>(at(BCK, o), satTo(ddot, imn));
            store<f32>(at(BAL, o), satTo(ddot * ksd, 1)); // dM[n] += ddot·k
          }
          store<f64>(hs(i, 4), load<f64>(hs(i, 4)) + dbt);
          store<f64>(hs(i, 5), load<f64>(hs(i, 5)) + dkn);
        }
        const Mrow0 = at(Mb, n0 * W);
        let i = 0;
        for (; i + 4 <= g; i += 4) {
          const d = b * ldk + (h0 + i) * W;
          dkColumns4(W, nb, Mrow0, i, at(dk, d), at(dk, d + W), at(dk, d + 2 * W), at(dk, d + 3 * W));
        }
        for (; i < g; i++) {
          const dkb = at(dk, b * ldk + (h0 + i) * W);
          for (let r = 0; r < nb; r++) axpy(W, load<f32>(at(BCK, i * NB + r)), at(Mb, (n0 + r) * W), dkb);
        }
        for (let r = 0; r < nb; r++) {
          const n = n0 + r;
          rowUpdate(W, g, r, at(Mb, n * W), satTo(load<f64>(BGM + (<usize>r << 3)), 1 / <f64>load<f32>(at(NRM, n))), at(dMb, n * W));
        }
      }
      for (let i = 0; i < g; i++) {
        const h = h0 + i, ksd = load<f64>(hs(i, 0)), kn = load<f64>(hs(i, 1)), dkb = at(dk, b * ldk + h * W);
        clampRow(W, dkb);
        axpySat(W, sat32(load<f64>(hs(i, 5)) * ksd / kn), at(KS, i * W), dkb); // dk += d‖k‖·k/‖k‖
        store<f32>(at(dbeta, b * ldb + h), sat32(<f64>load<f32>(at(dbeta, b * ldb + h)) + load<f64>(hs(i, 4))));
      }
    }
  }
}

// ---- reads ----

/**
 * Reads of four heads of one stream: f_j = L w'_j (row dots), b_j = Lᵀ w'_j (column sums),
 * w^r_j = π_j[0] b_j + π_j[1] c^r_j + π_j[2] f_j, r_j = Mᵀ w^r_j; the four sums of each pass in
 * registers. Rows of w', f, b, c^r, w^r are N floats apart (heads), of r W apart; π_j at pi + 12·j bytes.
 */
function readFwd4(N: i32, W: i32, Lb: usize, Mb: usize, wp: usize, cr: usize, pi: usize, f: usize, bk: usize, w: usize, r: usize): void {
  const s1 = <usize>N << 2, s2 = s1 << 1, s3 = s1 * 3;
  // f_j[n] = L[n,:]·w'_j
  for (let n = 0; n < N; n++) {
    const row = at(Lb, n * N);
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let m = 0;
    for (; m + 4 <= N; m += 4) {
      const q = <usize>m << 2, l = v128.load(row + q);
      c0 = f32x4.add(c0, f32x4.mul(l, v128.load(wp + q)));
      c1 = f32x4.add(c1, f32x4.mul(l, v128.load(wp + s1 + q)));
      c2 = f32x4.add(c2, f32x4.mul(l, v128.load(wp + s2 + q)));
      c3 = f32x4.add(c3, f32x4.mul(l, v128.load(wp + s3 + q)));
    }
    let t0 = hsum(c0), t1 = hsum(c1), t2 = hsum(c2), t3 = hsum(c3);
    for (; m < N; m++) {
      const q = <usize>m << 2, l = load<f32>(row + q);
      t0 += l * load<f32>(wp + q); t1 += l * load<f32>(wp + s1 + q); t2 += l * load<f32>(wp + s2 + q); t3 += l * load<f32>(wp + s3 + q);
    }
    const o = <usize>n << 2;
    store<f32>(f + o, t0); store<f32>(f + s1 + o, t1); store<f32>(f + s2 + o, t2); store<f32>(f + s3 + o, t3);
  }
  // b_j[m] = Σ_n w'_j[n]·L[n,m]: four columns at a time down L
  let m = 0;
  for (; m + 4 <= N; m += 4) {
    const q = <usize>m << 2;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    for (let n = 0; n < N; n++) {
      const l = v128.load(at(Lb, n * N) + q), o = <usize>n << 2;
      c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(wp + o), l));
      c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(wp + s1 + o), l));
      c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(wp + s2 + o), l));
      c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(wp + s3 + o), l));
    }
    v128.store(bk + q, c0); v128.store(bk + s1 + q, c1); v128.store(bk + s2 + q, c2); v128.store(bk + s3 + q, c3);
  }
  for (; m < N; m++) {
    const q = <usize>m << 2;
    let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0;
    for (let n = 0; n < N; n++) {
      const l = load<f32>(at(Lb, n * N) + q), o = <usize>n << 2;
      c0 += load<f32>(wp + o) * l; c1 += load<f32>(wp + s1 + o) * l; c2 += load<f32>(wp + s2 + o) * l; c3 += load<f32>(wp + s3 + o) * l;
    }
    store<f32>(bk + q, c0); store<f32>(bk + s1 + q, c1); store<f32>(bk + s2 + q, c2); store<f32>(bk + s3 + q, c3);
  }
  for (let j = 0; j < 4; j++) {
    const hj = <usize>j * s1, p0 = load<f32>(pi + 12 * j), p1 = load<f32>(pi + 12 * j + 4), p2 = load<f32>(pi + 12 * j + 8);
    for (let n = 0; n < N; n++) {
      const o = hj + (<usize>n << 2);
      store<f32>(w + o, p0 * load<f32>(bk + o) + p1 * load<f32>(cr + o) + p2 * load<f32>(f + o));
    }
  }
  // r_j = Σ_n w^r_j[n]·M[n,:]: four columns at a time down M
  const t1 = <usize>W << 2, t2 = t1 << 1, t3 = t1 * 3;
  let j = 0;
  for (; j + 4 <= W; j += 4) {
    const q = <usize>j << 2;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    for (let n = 0; n < N; n++) {
      const v = v128.load(at(Mb, n * W) + q), o = <usize>n << 2;
      c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(w + o), v));
      c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(w + s1 + o), v));
      c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(w + s2 + o), v));
      c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(w + s3 + o), v));
    }
    v128.store(r + q, c0); v128.store(r + t1 + q, c1); v128.store(r + t2 + q, c2); v128.store(r + t3 + q, c3);
  }
  for (; j < W; j++) {
    const q = <usize>j << 2;
    let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0;
    for (let n = 0; n < N; n++) {
      const v = load<f32>(at(Mb, n * W) + q), o = <usize>n << 2;
      c0 += load<f32>(w + o) * v; c1 += load<f32>(w + s1 + o) * v; c2 += load<f32>(w + s2 + o) * v; c3 += load<f32>(w + s3 + o) * v;
    }
    store<f32>(r + q, c0); store<f32>(r + t1 + q, c1); store<f32>(r + t2 + q, c2); store<f32>(r + t3 + q, c3);
  }
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
  for (let n = 0; n < N; n++) {
    const drow = at(dLb, n * N), o = <usize>n << 2;
    const a0 = f32x4.splat(p02 * load<f32>(g + o)), a1 = f32x4.splat(p12 * load<f32>(g + s1 + o));
    const a2 = f32x4.splat(p22 * load<f32>(g + s2 + o)), a3 = f32x4.splat(p32 * load<f32>(g + s3 + o));
    const b0 = f32x4.splat(p00 * load<f32>(wp + o)), b1 = f32x4.splat(p10 * load<f32>(wp + s1 + o));
    const b2 = f32x4.splat(p20 * load<f32>(wp + s2 + o)), b3 = f32x4.splat(p30 * load<f32>(wp + s3 + o));
    let m = 0;
    for (; m + 4 <= N; m += 4) {
      const q = <usize>m << 2;
      let acc = v128.load(drow + q);
      acc = f32x4.add(acc, f32x4.add(f32x4.mul(a0, v128.load(wp + q)), f32x4.mul(b0, v128.load(g + q))));
      acc = f32x4.add(acc, f32x4.add(f32x4.mul(a1, v128.load(wp + s1 + q)), f32x4.mul(b1, v128.load(g + s1 + q))));
      acc = f32x4.add(acc, f32x4.add(f32x4.mul(a2, v128.load(wp + s2 + q)), f32x4.mul(b2, v128.load(g + s2 + q))));
      acc = f32x4.add(acc, f32x4.add(f32x4.mul(a3, v128.load(wp + s3 + q)), f32x4.mul(b3, v128.load(g + s3 + q))));
      v128.store(drow + q, clampv(acc));
    }
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
  // dw'_j += π_j[2]·(Lᵀ g_j): four columns at a time down L, the sums in registers (clamped: π may be 0)
  let m = 0;
  for (; m + 4 <= N; m += 4) {
    const q = <usize>m << 2;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    for (let n = 0; n < N; n++) {
      const l = v128.load(at(Lb, n * N) + q), o = <usize>n << 2;
      c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(g + o), l));
      c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(g + s1 + o), l));
      c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(g + s2 + o), l));
      c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(g + s3 + o), l));
    }
    v128.store(dwp + q, f32x4.add(v128.load(dwp + q), f32x4.mul(f32x4.splat(p02), clampv(c0))));
    v128.store(dwp + s1 + q, f32x4.add(v128.load(dwp + s1 + q), f32x4.mul(f32x4.splat(p12), clampv(c1))));
    v128.store(dwp + s2 + q, f32x4.add(v128.load(dwp + s2 + q), f32x4.mul(f32x4.splat(p22), clampv(c2))));
    v128.store(dwp + s3 + q, f32x4.add(v128.load(dwp + s3 + q), f32x4.mul(f32x4.splat(p32), clampv(c3))));
  }
  for (; m < N; m++) {
    const q = <usize>m << 2;
    let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0;
    for (let n = 0; n < N; n++) {
      const l = load<f32>(at(Lb, n * N) + q), o = <usize>n << 2;
      c0 += load<f32>(g + o) * l; c1 += load<f32>(g + s1 + o) * l; c2 += load<f32>(g + s2 + o) * l; c3 += load<f32>(g + s3 + o) * l;
    }
    store<f32>(dwp + q, load<f32>(dwp + q) + p02 * clampf(c0));
    store<f32>(dwp + s1 + q, load<f32>(dwp + s1 + q) + p12 * clampf(c1));
    store<f32>(dwp + s2 + q, load<f32>(dwp + s2 + q) + p22 * clampf(c2));
    store<f32>(dwp + s3 + q, load<f32>(dwp + s3 + q) + p32 * clampf(c3));
  }
  // dw'_j[n] += π_j[0]·(L[n,:]·g_j): four dot products per row of L
  for (let n = 0; n < N; n++) {
    const row = at(Lb, n * N);
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let m = 0;
    for (; m + 4 <= N; m += 4) {
      const q = <usize>m << 2, l = v128.load(row + q);
      c0 = f32x4.add(c0, f32x4.mul(l, v128.load(g + q)));
      c1 = f32x4.add(c1, f32x4.mul(l, v128.load(g + s1 + q)));
      c2 = f32x4.add(c2, f32x4.mul(l, v128.load(g + s2 + q)));
      c3 = f32x4.add(c3, f32x4.mul(l, v128.load(g + s3 + q)));
    }
    let t0 = hsum(c0), t1 = hsum(c1), t2 = hsum(c2), t3 = hsum(c3);
    for (; m < N; m++) {
      const q = <usize>m << 2, l = load<f32>(row + q);
      t0 += l * load<f32>(g + q); t1 += l * load<f32>(g + s1 + q); t2 += l * load<f32>(g + s2 + q); t3 += l * load<f32>(g + s3 + q);
    }
    const o = <usize>n << 2;
    store<f32>(dwp + o, load<f32>(dwp + o) + p00 * clampf(t0));
    store<f32>(dwp + s1 + o, load<f32>(dwp + s1 + o) + p10 * clampf(t1));
    store<f32>(dwp + s2 + o, load<f32>(dwp + s2 + o) + p20 * clampf(t2));
    store<f32>(dwp + s3 + o, load<f32>(dwp + s3 + o) + p30 * clampf(t3));
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
      for (let n = 0; n < N; n++) {
        const row = at(Mb, n * W);
        dots4(W, row, d0, d0 + sw, d0 + 2 * sw, d0 + 3 * sw);
        for (let q = 0; q < 4; q++) {
          let t = load<f32>(at(DT, q));
          if (!(Mathf.abs(t) <= f32.MAX_VALUE)) t = dot64(W, row, d0 + <usize>q * sw); // it overflowed: redo in f64
          const h = H0 + (i + q) * N + n;
          store<f32>(at(dwr, h), clampq(load<f32>(at(dwr, h)) + t));
        }
      }
    }
    for (; i < R; i++) {
      const dri = at(dr, (b * R + i) * W);
      for (let n = 0; n < N; n++) { const h = H0 + i * N + n; store<f32>(at(dwr, h), clampq(load<f32>(at(dwr, h)) + dotSat(W, at(Mb, n * W), dri))); }
    }
    // the read modes: dπ_i = (g_i·b_i, g_i·c^r_i, g_i·f_i); and dc^r_i = π_i[1]·g_i
    for (let i = 0; i < R; i++) {
      const po = piOff + 3 * i, h = H0 + i * N, g = at(dwr, h);
      store<f32>(at(dxb, po), clampf(load<f32>(at(dxb, po)) + dotSat(N, g, at(bw, h))));
      store<f32>(at(dxb, po + 1), clampf(load<f32>(at(dxb, po + 1)) + dotSat(N, g, at(cr, h))));
      store<f32>(at(dxb, po + 2), clampf(load<f32>(at(dxb, po + 2)) + dotSat(N, g, at(fw, h))));
      scaleInto(N, load<f32>(at(xb, po + 1)), g, at(dcr, h));
    }
    // dM[n,:] += Σ_i w^r_i[n]·dr_i: one pass over the row for all heads
    for (let n = 0; n < N; n++) {
      const drow = at(dMb, n * W);
      let j = 0;
      for (; j + 4 <= W; j += 4) {
        let acc = v128.load(at(drow, j));
        for (let i = 0; i < R; i++) acc = clampv(f32x4.add(acc, f32x4.mul(v128.load32_splat(at(wr, H0 + i * N + n)), v128.load(at(dr, (b * R + i) * W + j)))));
        v128.store(at(drow, j), acc);
      }
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

// ---- links ----

export function link_fwd_f32(B: i32, N: i32, ww: usize, Lprev: usize, pprev: usize, L: usize, p: usize): void {
  for (let b = 0; b < B; b++) {
    const w = at(ww, b * N), pp = at(pprev, b * N), Lp = Lprev + ((<usize>b * N * N) << 2), Lt = L + ((<usize>b * N * N) << 2);
    let sw: f32 = 0;
    for (let n = 0; n < N; n++) sw += load<f32>(at(w, n));
    const one = f32x4.splat(1);
    for (let i = 0; i < N; i++) {
      const wi = load<f32>(at(w, i)), wiv = f32x4.splat(wi), src = at(Lp, i * N), dst = at(Lt, i * N);
      let j = 0;
      for (; j + 4 <= N; j += 4) {
        const keep = f32x4.sub(f32x4.sub(one, wiv), v128.load(at(w, j)));
        v128.store(at(dst, j), f32x4.add(f32x4.mul(keep, v128.load(at(src, j))), f32x4.mul(wiv, v128.load(at(pp, j)))));
      }
      for (; j < N; j++) store<f32>(at(dst, j), (<f32>1 - wi - load<f32>(at(w, j))) * load<f32>(at(src, j)) + wi * load<f32>(at(pp, j)));
      store<f32>(at(dst, i), 0);
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
    const one = f32x4.splat(1);
    for (let i = 0; i < N; i++) {
      const wi = load<f32>(at(w, i)), wiv = f32x4.splat(wi), g = at(G, i * N), lp = at(Lp, i * N), out = at(dLp, i * N);
      // the diagonal of L_t is forced to 0: its gradient stops there
      const gii = load<f32>(at(g, i));
      store<f32>(at(g, i), 0);
      // G is finite and w, p, L lie in [0, 1] (so do 1 − w_i − w_j and p − L, up to sign): every term is
      // finite, sums can overflow only to ±Inf, never Inf − Inf; they are clamped once, at the end
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

// ---- the memory write ----

// ---- usage ----

/** dψ·(u' + w' − u'w') per slot of one stream, between the two passes of usage_bwd_f32. */
const DPS = memory.data(MAX_SLOTS * 4, 16);

/** Π_{j≠skip} (1 − f_j w'_j[n…n+3]) for the R heads of one stream (skip = −1: all of them). */
// @ts-ignore: decorator
@inline function retention4(R: i32, N: i32, f: usize, wr: usize, n: i32, skip: i32): v128 {
  const one = f32x4.splat(1);
  let p = one;
  for (let j = 0; j < R; j++) if (j != skip) p = f32x4.mul(p, f32x4.sub(one, f32x4.mul(v128.load32_splat(at(f, j)), v128.load(at(wr, j * N + n)))));
  return p;
}
// @ts-ignore: decorator
@inline function retention1(R: i32, N: i32, f: usize, wr: usize, n: i32, skip: i32): f32 {
  let p: f32 = 1;
  for (let j = 0; j < R; j++) if (j != skip) p *= <f32>1 - load<f32>(at(f, j)) * load<f32>(at(wr, j * N + n));
  return p;
}

/**
 * The backward of u = (u' + w' − u'∘w')∘ψ, ψ = Π_i (1 − f_i w^r'_i), four slots per vector (usage_bwd in
 * usage.ts). Every factor lies in [0, 1], so each term is a gradient times at most 1: finite; sums are
 * clamped where stored.
 */
export function usage_bwd_f32(B: i32, N: i32, R: i32, W: i32, uprev: usize, wwprev: usize, wrprev: usize, xi: usize, ldxi: i32,
                              du: usize, duprev: usize, dwwprev: usize, dwrprev: usize, dxi: usize): void {
  const one = f32x4.splat(1), fo = oF(R, W);
  for (let b = 0; b < B; b++) {
    const f = at(xi, b * ldxi + fo), df = at(dxi, b * ldxi + fo), wr = at(wrprev, b * R * N), dwr = at(dwrprev, b * R * N);
    const up = at(uprev, b * N), wp = at(wwprev, b * N), g = at(du, b * N), dup = at(duprev, b * N), dwp = at(dwwprev, b * N);
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const psi = retention4(R, N, f, wr, n, -1), u4 = v128.load(at(up, n)), w4 = v128.load(at(wp, n)), g4 = v128.load(at(g, n));
      v128.store(at(dup, n), clampv(f32x4.add(v128.load(at(dup, n)), f32x4.mul(g4, f32x4.mul(psi, f32x4.sub(one, w4))))));
      v128.store(at(dwp, n), clampv(f32x4.add(v128.load(at(dwp, n)), f32x4.mul(g4, f32x4.mul(psi, f32x4.sub(one, u4))))));
      v128.store(at(DPS, n), clampv(f32x4.mul(g4, f32x4.sub(f32x4.add(u4, w4), f32x4.mul(u4, w4))))); // (u' + w' − u'w') may round above 1
    }
    for (; n < N; n++) {
      const psi = retention1(R, N, f, wr, n, -1), u1 = load<f32>(at(up, n)), w1 = load<f32>(at(wp, n)), g1 = load<f32>(at(g, n));
      store<f32>(at(dup, n), clampf(load<f32>(at(dup, n)) + g1 * (psi * (<f32>1 - w1))));
      store<f32>(at(dwp, n), clampf(load<f32>(at(dwp, n)) + g1 * (psi * (<f32>1 - u1))));
      store<f32>(at(DPS, n), clampf(g1 * (u1 + w1 - u1 * w1)));
    }
    // ∂ψ/∂(f_i w_i) = −Π_{j≠i}(1 − f_j w_j), formed directly (no division by a factor that may be 0)
    for (let i = 0; i < R; i++) {
      const fi = f32x4.splat(load<f32>(at(f, i))), wi = at(wr, i * N), dwi = at(dwr, i * N);
      let acc = f32x4.splat(0);
      n = 0;
      for (; n + 4 <= N; n += 4) {
        const t = f32x4.mul(v128.load(at(DPS, n)), retention4(R, N, f, wr, n, i));
        v128.store(at(dwi, n), clampv(f32x4.sub(v128.load(at(dwi, n)), f32x4.mul(t, fi))));
        acc = f32x4.add(acc, f32x4.mul(t, v128.load(at(wi, n))));
      }
      let s = hsumSat(clampv(acc));
      for (; n < N; n++) {
        const t = load<f32>(at(DPS, n)) * retention1(R, N, f, wr, n, i);
        store<f32>(at(dwi, n), clampf(load<f32>(at(dwi, n)) - t * f32x4.extract_lane(fi, 0)));
        s += t * load<f32>(at(wi, n));
      }
      store<f32>(at(df, i), clampf(load<f32>(at(df, i)) - clampf(s)));
    }
  }
}

/** w^w = g^w (g^a a + (1 − g^a) c^w);  M_t = M_{t−1} ∘ (1 − w^w eᵀ) + w^w vᵀ, the same operations as write_fwd in write.ts. */
export function write_fwd_f32(B: i32, N: i32, W: i32, R: i32, xi: usize, ldxi: i32, a: usize, cw: usize, ww: usize, Mprev: usize, M: usize): void {
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const xb = at(xi, b * ldxi), e = at(xb, oE(R, W)), v = at(xb, oV(R, W));
    const ga = load<f32>(at(xb, oGa(R, W))), gw = load<f32>(at(xb, oGw(R, W)));
    for (let n = 0; n < N; n++) {
      const w = gw * (ga * load<f32>(at(a, b * N + n)) + (<f32>1 - ga) * load<f32>(at(cw, b * N + n)));
      store<f32>(at(ww, b * N + n), w);
      const wv = f32x4.splat(w), mp = at(Mprev, (b * N + n) * W), mt = at(M, (b * N + n) * W);
      let j = 0;
      for (; j + 4 <= W; j += 4) {
        v128.store(at(mt, j), f32x4.add(f32x4.mul(v128.load(at(mp, j)), f32x4.sub(one, f32x4.mul(wv, v128.load(at(e, j))))), f32x4.mul(wv, v128.load(at(v, j)))));
      }
      for (; j < W; j++) store<f32>(at(mt, j), load<f32>(at(mp, j)) * (<f32>1 - w * load<f32>(at(e, j))) + w * load<f32>(at(v, j)));
    }
  }
}

export function write_bwd_f32(B: i32, N: i32, W: i32, R: i32, xi: usize, ldxi: i32, a: usize, cw: usize, ww: usize, Mprev: usize,
                              dM: usize, dww: usize, dMprev: usize, da: usize, dcw: usize, dxi: usize): void {
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const xb = at(xi, b * ldxi), dxb = at(dxi, b * ldxi);
    const e = at(xb, oE(R, W)), v = at(xb, oV(R, W)), de = at(dxb, oE(R, W)), dv = at(dxb, oV(R, W));
    const ga = <f64>load<f32>(at(xb, oGa(R, W))), gw = <f64>load<f32>(at(xb, oGw(R, W)));
    let dga: f64 = 0, dgw: f64 = 0;
    for (let n = 0; n < N; n++) {
      const w = load<f32>(at(ww, b * N + n)), wv = f32x4.splat(w), nw = f32x4.splat(-w);
      const g = at(dM, (b * N + n) * W), mp = at(Mprev, (b * N + n) * W), out = at(dMprev, (b * N + n) * W);
      // dw += g·(v − M'∘e);  de −= w·g∘M';  dv += w·g;  dM' += g∘(1 − w·e)
      let acc = f32x4.splat(0);
      let j = 0;
      for (; j + 4 <= W; j += 4) {
        const gj = v128.load(at(g, j)), mj = v128.load(at(mp, j)), ej = v128.load(at(e, j));
        acc = clampv(f32x4.add(acc, f32x4.mul(gj, f32x4.sub(v128.load(at(v, j)), f32x4.mul(mj, ej)))));
        v128.store(at(de, j), clampv(f32x4.add(v128.load(at(de, j)), f32x4.mul(f32x4.mul(nw, mj), gj)))); // (w·M')·g: no 0·Inf
        v128.store(at(dv, j), clampv(f32x4.add(v128.load(at(dv, j)), f32x4.mul(wv, gj))));
        v128.store(at(out, j), clampv(f32x4.add(v128.load(at(out, j)), f32x4.mul(gj, f32x4.sub(one, f32x4.mul(wv, ej))))));
      }
      let dw = <f64>hsumSat(acc);
      for (; j < W; j++) {
        const gj = load<f32>(at(g, j)), mj = load<f32>(at(mp, j)), ej = load<f32>(at(e, j));
        dw += <f64>gj * (<f64>load<f32>(at(v, j)) - <f64>mj * <f64>ej);
        store<f32>(at(de, j), clampf(load<f32>(at(de, j)) - (w * mj) * gj));
        store<f32>(at(dv, j), clampf(load<f32>(at(dv, j)) + w * gj));
        store<f32>(at(out, j), clampf(load<f32>(at(out, j)) + gj * (<f32>1 - w * ej)));
      }
      dw += <f64>load<f32>(at(dww, b * N + n));
      const an = <f64>load<f32>(at(a, b * N + n)), cn = <f64>load<f32>(at(cw, b * N + n));
      dgw += dw * (ga * an + (1 - ga) * cn);
      dga += dw * gw * (an - cn);
      store<f32>(at(da, b * N + n), sat32(dw * gw * ga));
      store<f32>(at(dcw, b * N + n), sat32(dw * gw * (1 - ga)));
    }
    store<f32>(at(dxb, oGa(R, W)), sat32(<f64>load<f32>(at(dxb, oGa(R, W))) + dga));
    store<f32>(at(dxb, oGw(R, W)), sat32(<f64>load<f32>(at(dxb, oGw(R, W))) + dgw));
  }
}
