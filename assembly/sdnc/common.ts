// Shared by the sparse DNC's kernels (MODELS.md, "SDNC"): the temporal link
// store and its column index, and small candidate lists.
//
// Links, per stream: row i of L holds at most K entries (j, L[i][j]) — the
// slots written before i, the j of L's row i — as K slot indices (floats of
// the build's precision; −1 for an empty position) and K values. Node i·K + q
// is position q of row i. The column index lists, for each slot j, the nodes
// whose slot is j, in ascending node order, so that L's column j (the slots
// written after j) is walked without scanning N rows; its order is a
// function of the rows alone, so a rebuilt index walks as the one it replaces.
//   col (i32, per stream): head[N] | next[N·K] | prev[N·K]
// Records of K entries (a row, a precedence): K slots then K values.
// Slots and nodes are stored plus one, 0 meaning none, so that zeroed memory
// is an empty store with an empty index (a reset is a fill with zeros).
import { get, put } from "../sam/common";

export { get, put, g64, addSat, putSat, slot } from "../sam/common";

/** A stored link slot (−1: none). */
// @ts-ignore: decorator
@inline export function lslot<T>(p: usize, i: i32): i32 { return <i32>load<T>(p + <usize>i * sizeof<T>()) - 1; }
// @ts-ignore: decorator
@inline export function lput<T>(p: usize, i: i32, j: i32): void { store<T>(p + <usize>i * sizeof<T>(), <T>(j + 1)); }

/** i32 entries of one stream's column index. */
export function colSize(N: i32, K: i32): i32 { return N + 2 * N * K; }

// @ts-ignore: decorator
@inline export function ig(t: usize, i: i32): i32 { return load<i32>(t + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline export function is(t: usize, i: i32, v: i32): void { store<i32>(t + (<usize>i << 2), v); }
/** Column-index entries: a node or −1, stored plus one. */
// @ts-ignore: decorator
@inline export function cg(t: usize, i: i32): i32 { return load<i32>(t + (<usize>i << 2)) - 1; }
// @ts-ignore: decorator
@inline export function cs_(t: usize, i: i32, v: i32): void { store<i32>(t + (<usize>i << 2), v + 1); }

function colUnlink(c: usize, N: i32, K: i32, node: i32, j: i32): void {
  const nx = N, pv = N + N * K, p = cg(c, pv + node), n = cg(c, nx + node);
  if (p >= 0) cs_(c, nx + p, n); else cs_(c, j, n);
  if (n >= 0) cs_(c, pv + n, p);
}

/** Into column j, before the first node above it. O(column length). */
function colLink(c: usize, N: i32, K: i32, node: i32, j: i32): void {
  const nx = N, pv = N + N * K;
  let p = -1, n = cg(c, j);
  while (n >= 0 && n < node) { p = n; n = cg(c, nx + n); }
  cs_(c, nx + node, n); cs_(c, pv + node, p);
  if (p >= 0) cs_(c, nx + p, node); else cs_(c, j, node);
  if (n >= 0) cs_(c, pv + n, node);
}

/** Row i of one stream's links from a record (K slots, K values), the column index following. */
export function setRow<T>(Li: usize, Lv: usize, c: usize, N: i32, K: i32, i: i32, rec: usize): void {
  const sz = <usize>sizeof<T>();
  for (let q = 0; q < K; q++) {
    const node = i * K + q, jo = lslot<T>(Li, node), jn = lslot<T>(rec, q);
    if (jo != jn) {
      if (jo >= 0) colUnlink(c, N, K, node, jo);
      if (jn >= 0) colLink(c, N, K, node, jn);
      lput<T>(Li, node, jn);
    }
    put<T>(Lv, node, get<T>(rec + <usize>K * sz, q));
  }
}

/** Row i of one stream's links into a record. */
export function getRow<T>(Li: usize, Lv: usize, K: i32, i: i32, rec: usize): void {
  const sz = <usize>sizeof<T>(), rb = <usize>K * sz;
  memory.copy(rec, Li + <usize>(i * K) * sz, rb);
  memory.copy(rec + rb, Lv + <usize>(i * K) * sz, rb);
}

/** Position of slot j among the K link slots at p (−1: absent). */
// @ts-ignore: decorator
@inline export function find<T>(p: usize, K: i32, j: i32): i32 {
  for (let q = 0; q < K; q++) if (lslot<T>(p, q) == j) return q;
  return -1;
}

/**
 * Candidate lists: slots (i32 cs) with f64 sums (cv), merged by slot through
 * map (i32 per slot, −1 where a slot is not listed; left all −1 by pick).
 */
// @ts-ignore: decorator
@inline export function offer(map: usize, cs: usize, cv: usize, nc: i32, j: i32, v: f64): i32 {
  const m = ig(map, j);
  if (m >= 0) { store<f64>(cv + (<usize>m << 3), load<f64>(cv + (<usize>m << 3)) + v); return nc; }
  is(map, j, nc); is(cs, nc, j); store<f64>(cv + (<usize>nc << 3), v);
  return nc + 1;
}

/**
 * The K candidates of largest sum (equal: the lower slot; only sums > 0)
 * into K slots at idx (stored plus `enc`: 1 for link records, 0 for read
 * entries) and K values at val, best first; the rest padded with stored
 * slot 0 and value 0. Clears map. Returns how many were kept.
 */
export function pick<T>(K: i32, map: usize, cs: usize, cv: usize, nc: i32, idx: usize, val: usize, enc: i32): i32 {
  let cnt = 0;
  for (let c = 0; c < nc; c++) {
    const j = ig(cs, c), v = <f64><T>load<f64>(cv + (<usize>c << 3));
    is(map, j, -1);
    if (v <= 0) continue;
    if (cnt == K && !before(v, j, <f64>get<T>(val, K - 1), <i32>get<T>(idx, K - 1) - enc)) continue;
    let p = cnt < K ? cnt : K - 1;
    while (p > 0 && before(v, j, <f64>get<T>(val, p - 1), <i32>get<T>(idx, p - 1) - enc)) {
      put<T>(val, p, get<T>(val, p - 1)); put<T>(idx, p, get<T>(idx, p - 1)); p--;
    }
    put<T>(val, p, <T>v); put<T>(idx, p, <T>(j + enc));
    if (cnt < K) cnt++;
  }
  for (let q = cnt; q < K; q++) { put<T>(idx, q, <T>0); put<T>(val, q, <T>0); }
  return cnt;
}

/**
 * pick with the set held (the gradient check's finite differences): the K
 * slots already at idx keep their positions and take their candidates' sums
 * now (0 if no longer candidates); padding (value 0) stays padding. Clears map.
 */
export function pickHeld<T>(K: i32, map: usize, cs: usize, cv: usize, nc: i32, idx: usize, val: usize, enc: i32): void {
  for (let q = 0; q < K; q++) {
    if (get<T>(val, q) == <T>0) continue;
    const m = ig(map, <i32>get<T>(idx, q) - enc);
    put<T>(val, q, <T>(m >= 0 ? load<f64>(cv + (<usize>m << 3)) : 0));
  }
  for (let c = 0; c < nc; c++) is(map, ig(cs, c), -1);
}

/** pick, or pickHeld when `held`. */
// @ts-ignore: decorator
@inline export function choose<T>(held: i32, K: i32, map: usize, cs: usize, cv: usize, nc: i32, idx: usize, val: usize, enc: i32): void {
  if (held) pickHeld<T>(K, map, cs, cv, nc, idx, val, enc); else pick<T>(K, map, cs, cv, nc, idx, val, enc);
}

// @ts-ignore: decorator
@inline function before(d: f64, n: i32, d2: f64, n2: i32): bool { return d > d2 || (d == d2 && n < n2); }
