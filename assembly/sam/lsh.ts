// An approximate content scan for SAM (MODELS.md, "SAM: the LSH index"): the
// rows are bucketed by the signs of their projections on `bits` fixed random
// hyperplanes (SimHash). Each head's key names `probes` buckets: its own and
// those one sign away on its least certain planes. A stream's candidates are
// the rows of the buckets any of its heads named, plus its K lowest-numbered
// rows that were never written (all zero: every key scores 0 on them); every
// head scores every candidate with the exact cosine of scan.ts and keeps the
// K best (equal values: the lower slot), so the result is the exact scan's
// over the candidates. Fewer than K candidates: the exact scan.
//
// The index is a function of the memory alone: every change of a row goes
// through sam_index_rows (the write, its undo and redo), and a memory written
// from outside is indexed afresh (sam_index_build). So a resumed run, which
// rebuilds it from the carried memory, scans exactly as an uninterrupted one.
//
// Per stream one i32 table of lshTableSize(N, bits) entries:
//   code[N]   each row's bucket (ZB = 2^bits for an all-zero row)
//   next[N], prev[N]   doubly linked lists of each bucket's rows (−1 ends)
//   head[ZB+1], count[ZB+1]   each bucket's first row and its size
//   zlow      no all-zero row lies below it (a hint, kept by link and the scan)
import { get, slot } from "./common";
import { LSHM, LSHF, LSHQ, LSHW } from "../scratch";
import { sam_scan, sam_scan_f32, insertTop, keyNorm64, cosineAt, lanes, keyNorm, cosine4, offer4, startGroup } from "./scan";

export function lshTableSize(N: i32, bits: i32): i32 { return 3 * N + 2 * ((1 << bits) + 1) + 1; }

// @ts-ignore: decorator
@inline function ig(t: usize, i: i32): i32 { return load<i32>(t + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function is(t: usize, i: i32, v: i32): void { store<i32>(t + (<usize>i << 2), v); }

// table offsets
// @ts-ignore: decorator
@inline function oNext(N: i32): i32 { return N; }
// @ts-ignore: decorator
@inline function oPrev(N: i32): i32 { return 2 * N; }
// @ts-ignore: decorator
@inline function oHead(N: i32): i32 { return 3 * N; }
// @ts-ignore: decorator
@inline function oCount(N: i32, ZB: i32): i32 { return 3 * N + ZB + 1; }
// @ts-ignore: decorator
@inline function oZlow(N: i32, ZB: i32): i32 { return 3 * N + 2 * (ZB + 1); }

function unlink(t: usize, N: i32, ZB: i32, n: i32): void {
  const c = ig(t, n), p = ig(t, oPrev(N) + n), q = ig(t, oNext(N) + n);
  if (p >= 0) is(t, oNext(N) + p, q); else is(t, oHead(N) + c, q);
  if (q >= 0) is(t, oPrev(N) + q, p);
  is(t, oCount(N, ZB) + c, ig(t, oCount(N, ZB) + c) - 1);
}

function link(t: usize, N: i32, ZB: i32, n: i32, c: i32): void {
  const h = ig(t, oHead(N) + c);
  is(t, n, c); is(t, oPrev(N) + n, -1); is(t, oNext(N) + n, h);
  if (h >= 0) is(t, oPrev(N) + h, n);
  is(t, oHead(N) + c, n);
  is(t, oCount(N, ZB) + c, ig(t, oCount(N, ZB) + c) + 1);
  if (c == ZB && n < ig(t, oZlow(N, ZB))) is(t, oZlow(N, ZB), n);
}

/** v's projection on plane i, in f64 (rows and keys alike). */
// @ts-ignore: decorator
@inline function project<T>(W: i32, v: usize, planes: usize, i: i32): f64 {
  let p: f64 = 0;
  for (let j = 0; j < W; j++) p += <f64>get<T>(v, j) * <f64>get<T>(planes, i * W + j);
  return p;
}

/** The bucket of a row: bit i set when its projection on plane i is ≥ 0; ZB for an all-zero row. */
function rowCode<T>(W: i32, bits: i32, row: usize, planes: usize): i32 {
  let nz = false;
  for (let j = 0; j < W; j++) if (get<T>(row, j) != <T>0) { nz = true; break; }
  if (!nz) return 1 << bits;
  let c = 0;
  for (let i = 0; i < bits; i++) if (project<T>(W, row, planes, i) >= 0) c |= 1 << i;
  return c;
}

/** Every row all zero (a zeroed memory): one bucket holding all rows in order. */
export function sam_index_reset(B: i32, N: i32, bits: i32, tab: usize): void {
  const ZB = 1 << bits, TS = lshTableSize(N, bits);
  for (let b = 0; b < B; b++) {
    const t = tab + (<usize>(b * TS) << 2);
    for (let n = 0; n < N; n++) { is(t, n, ZB); is(t, oNext(N) + n, n + 1 < N ? n + 1 : -1); is(t, oPrev(N) + n, n - 1); }
    for (let c = 0; c <= ZB; c++) { is(t, oHead(N) + c, -1); is(t, oCount(N, ZB) + c, 0); }
    is(t, oHead(N) + ZB, N > 0 ? 0 : -1); is(t, oCount(N, ZB) + ZB, N); is(t, oZlow(N, ZB), 0);
  }
}

/** The index of B memories from scratch (after the memory was written from outside). O(N·bits·W). */
export function sam_index_build<T>(B: i32, N: i32, W: i32, bits: i32, M: usize, planes: usize, tab: usize): void {
  const ZB = 1 << bits, TS = lshTableSize(N, bits), sz = <usize>sizeof<T>();
  sam_index_reset(B, N, bits, tab);
  for (let b = 0; b < B; b++) {
    const t = tab + (<usize>(b * TS) << 2), Mb = M + <usize>b * N * W * sz;
    for (let n = 0; n < N; n++) {
      const c = rowCode<T>(W, bits, Mb + <usize>n * W * sz, planes);
      if (c != ZB) { unlink(t, N, ZB, n); link(t, N, ZB, n, c); }
    }
  }
}

/** Re-buckets the rows that `cnt` entries per stream name (slots stored as floats, as the write's log). */
export function sam_index_rows<T>(B: i32, N: i32, W: i32, bits: i32, M: usize, planes: usize, tab: usize, idx: usize, cnt: i32): void {
  const ZB = 1 << bits, TS = lshTableSize(N, bits), sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) {
    const t = tab + (<usize>(b * TS) << 2), Mb = M + <usize>b * N * W * sz;
    for (let e = 0; e < cnt; e++) {
      const n = slot<T>(idx, b * cnt + e), c = rowCode<T>(W, bits, Mb + <usize>n * W * sz, planes);
      if (c != ig(t, n)) { unlink(t, N, ZB, n); link(t, N, ZB, n, c); }
    }
  }
}

/**
 * Stream b's probed buckets, deduplicated, into LSHQ; returns their count.
 * The planes a probe flips: the key's least certain (smallest |projection|;
 * equal: the lower plane), one at a time.
 */
function probeCodes<T>(R: i32, W: i32, bits: i32, probes: i32, kb0: usize, planes: usize): i32 {
  const sz = <usize>sizeof<T>();
  let nq = 0;
  for (let h = 0; h < R; h++) {
    const kb = kb0 + <usize>(h * W) * sz;
    let code = 0;
    for (let i = 0; i < bits; i++) {
      const p = project<T>(W, kb, planes, i);
      store<f64>(LSHM + (<usize>i << 3), Math.abs(p)); store<i32>(LSHF + (<usize>i << 2), 0);
      if (p >= 0) code |= 1 << i;
    }
    for (let q = 0; q < probes; q++) {
      let c = code;
      if (q > 0) {
        let best = -1, bm: f64 = Infinity;
        for (let i = 0; i < bits; i++) {
          const m = load<f64>(LSHM + (<usize>i << 3));
          if (load<i32>(LSHF + (<usize>i << 2)) == 0 && m < bm) { bm = m; best = i; }
        }
        store<i32>(LSHF + (<usize>best << 2), 1);
        c = code ^ (1 << best);
      }
      let seen = false;
      for (let j = 0; j < nq; j++) if (load<i32>(LSHQ + (<usize>j << 2)) == c) { seen = true; break; }
      if (!seen) { store<i32>(LSHQ + (<usize>nq << 2), c); nq++; }
    }
  }
  return nq;
}

/** How many candidates probeCodes' nq buckets and the K lowest all-zero rows give. */
// @ts-ignore: decorator
@inline function candidateCount(t: usize, N: i32, ZB: i32, K: i32, nq: i32): i32 {
  let c = min(K, ig(t, oCount(N, ZB) + ZB));
  for (let j = 0; j < nq; j++) c += ig(t, oCount(N, ZB) + load<i32>(LSHQ + (<usize>j << 2)));
  return c;
}

/** The next candidate after `n` in the walk (−1 at the end): bucket by bucket, then the zero rows from zlow; `st` holds the walk's position. */
// @ts-ignore: decorator
@inline function nextCandidate(t: usize, N: i32, ZB: i32, K: i32, nq: i32, n: i32, st: usize): i32 {
  // st: [0] the bucket being walked (nq: the zero rows), [1] zero rows found so far
  let j = load<i32>(st);
  if (j < nq) {
    n = n < 0 ? ig(t, oHead(N) + load<i32>(LSHQ + (<usize>j << 2))) : ig(t, oNext(N) + n);
    while (n < 0 && ++j < nq) n = ig(t, oHead(N) + load<i32>(LSHQ + (<usize>j << 2)));
    store<i32>(st, j);
    if (n >= 0) return n;
    n = ig(t, oZlow(N, ZB)) - 1;
  }
  const zeros = min(K, ig(t, oCount(N, ZB) + ZB));
  let found = load<i32>(st + 4);
  if (found >= zeros) return -1;
  n++;
  while (ig(t, n) != ZB) n++;
  if (found == 0) is(t, oZlow(N, ZB), n);
  store<i32>(st + 4, found + 1);
  return n;
}

/**
 * The scan over each stream's candidates (the reference: f64 sums, one head
 * at a time). Returns the rows scored times the heads (the exact scan: R·N
 * per stream), for the benchmarks.
 */
export function sam_scan_lsh<T>(B: i32, R: i32, N: i32, W: i32, K: i32, bits: i32, probes: i32, M: usize, k: usize, ldk: i32,
                                planes: usize, tab: usize, idx: usize, sim: usize): f64 {
  const ZB = 1 << bits, TS = lshTableSize(N, bits), sz = <usize>sizeof<T>();
  let scored: f64 = 0;
  for (let b = 0; b < B; b++) {
    const t = tab + (<usize>(b * TS) << 2), Mb = M + <usize>b * N * W * sz, kb0 = k + <usize>b * ldk * sz;
    const nq = probeCodes<T>(R, W, bits, probes, kb0, planes), total = candidateCount(t, N, ZB, K, nq);
    if (total < K) { sam_scan<T>(1, R, N, W, K, Mb, kb0, ldk, idx + <usize>(b * R * K) * sz, sim + <usize>(b * R * K) * sz, 0); scored += <f64>(R * N); continue; }
    for (let h = 0; h < R; h++) {
      const kb = kb0 + <usize>(h * W) * sz, base = (b * R + h) * K, kn = keyNorm64<T>(W, kb);
      let cnt = 0;
      store<i32>(LSHW, 0); store<i32>(LSHW + 4, 0);
      for (let n = nextCandidate(t, N, ZB, K, nq, -1, LSHW); n >= 0; n = nextCandidate(t, N, ZB, K, nq, n, LSHW)) {
        cnt = insertTop<T>(K, cnt, base, idx, sim, n, cosineAt<T>(W, Mb, n, kb, kn));
      }
    }
    scored += <f64>(R * total);
  }
  return scored;
}

/**
 * sam_scan_lsh for f32: each candidate row is loaded once for up to four heads
 * (a lane each), as sam_scan_f32 does for every row; a row that reaches one
 * of the heads' current K-th best is inserted by the same rule (scalar).
 */
export function sam_scan_lsh_f32(B: i32, R: i32, N: i32, W: i32, K: i32, bits: i32, probes: i32, M: usize, k: usize, ldk: i32,
                                 planes: usize, tab: usize, idx: usize, sim: usize): f64 {
  const ZB = 1 << bits, TS = lshTableSize(N, bits), sw = <usize>W << 2;
  let scored: f64 = 0;
  for (let b = 0; b < B; b++) {
    const t = tab + (<usize>(b * TS) << 2), Mb = M + <usize>b * N * sw, kb0 = k + (<usize>b * ldk << 2);
    const nq = probeCodes<f32>(R, W, bits, probes, kb0, planes), total = candidateCount(t, N, ZB, K, nq);
    if (total < K) { sam_scan_f32(1, R, N, W, K, Mb, kb0, ldk, idx + (<usize>(b * R * K) << 2), sim + (<usize>(b * R * K) << 2), 0); scored += <f64>(R * N); continue; }
    for (let g = 0; g < R; g += 4) {
      const nh = min(4, R - g);
      const k0 = kb0 + (<usize>(g * W) << 2);
      const k1 = k0 + <usize>min(1, nh - 1) * sw, k2 = k0 + <usize>min(2, nh - 1) * sw, k3 = k0 + <usize>min(3, nh - 1) * sw;
      const kn = lanes(keyNorm(W, k0), keyNorm(W, k1), keyNorm(W, k2), keyNorm(W, k3));
      let thr = startGroup(nh);
      store<i32>(LSHW, 0); store<i32>(LSHW + 4, 0);
      for (let n = nextCandidate(t, N, ZB, K, nq, -1, LSHW); n >= 0; n = nextCandidate(t, N, ZB, K, nq, n, LSHW)) {
        const D = cosine4(Mb + <usize>n * sw, W, k0, k1, k2, k3, kn);
        // ≥: candidates come in any order, so a tie with the K-th best may still win by its lower slot
        if (v128.any_true(f32x4.ge(D, thr))) thr = offer4(D, thr, nh, (b * R + g) * K, K, idx, sim, n);
      }
    }
    scored += <f64>(R * total);
  }
  return scored;
}
