// SAM's usage: the time of each slot's last access (Rae et al. 2016, §3.3),
//   τ[n] ← t  when the step's write or read weight on n exceeds δ,
// and the least-recently-used slot u = argmin_n τ[n] (equal times: the lower
// slot) that the next write erases and fills. Not differentiable: the slots
// are constants of the gradient, as the dense DNC's allocation order is.
// A stream's clock counts its steps; each update logs the times it replaces,
// so that a forward pass can be undone (sam_usage_undo).
import { get, put, slot } from "./common";

export const DELTA: f64 = 0.005;

/** u = argmin τ per stream, into lru (a float per stream). O(N). */
export function sam_lru<T>(B: i32, N: i32, tau: usize, lru: usize): void {
  for (let b = 0; b < B; b++) {
    const tb = tau + <usize>b * N * sizeof<T>();
    let best = 0, bv = get<T>(tb, 0);
    for (let n = 1; n < N; n++) { const v = get<T>(tb, n); if (v < bv) { bv = v; best = n; } }
    put<T>(lru, b, <T>best);
  }
}

/**
 * sam_lru for f32: the minimum in f32x4, then its first slot (two passes of N/4 at most). Times are
 * never NaN, so pmin (a plain minps, where min pays V8's NaN fix-ups) gives min's result; four
 * accumulators keep four minima in flight.
 */
export function sam_lru_f32(B: i32, N: i32, tau: usize, lru: usize): void {
  const N4 = N & ~3, N16 = N & ~15;
  for (let b = 0; b < B; b++) {
    const tb = tau + (<usize>b * N << 2);
    let mv: f32 = Infinity;
    if (N4 > 0) {
      const inf = f32x4.splat(Infinity);
      let v0 = inf, v1 = inf, v2 = inf, v3 = inf, n = 0;
      for (; n < N16; n += 16) {
        const p = tb + (<usize>n << 2);
        v0 = f32x4.pmin(v0, v128.load(p)); v1 = f32x4.pmin(v1, v128.load(p + 16));
        v2 = f32x4.pmin(v2, v128.load(p + 32)); v3 = f32x4.pmin(v3, v128.load(p + 48));
      }
      for (; n < N4; n += 4) v0 = f32x4.pmin(v0, v128.load(tb + (<usize>n << 2)));
      const v = f32x4.pmin(f32x4.pmin(v0, v1), f32x4.pmin(v2, v3));
      mv = min(min(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), min(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
    }
    for (let n = N4; n < N; n++) mv = min(mv, load<f32>(tb + (<usize>n << 2)));
    const m = f32x4.splat(mv);
    let n = 0;
    while (n < N4 && !v128.any_true(f32x4.eq(v128.load(tb + (<usize>n << 2)), m))) n += 4;
    while (load<f32>(tb + (<usize>n << 2)) != mv) n++;
    store<f32>(lru + (<usize>b << 2), <f32>n);
  }
}

/** The step's accesses (Kw write entries, then R·K read entries) stamp τ with clock + 1; old times go to tlog. */
export function sam_usage_fwd<T>(B: i32, N: i32, Kw: i32, RK: i32, tau: usize, clock: usize,
                                 widx: usize, wval: usize, ridx: usize, rw: usize, tlog: usize): void {
  for (let b = 0; b < B; b++) {
    const tb = tau + <usize>b * N * sizeof<T>(), now = <T>(<f64>get<T>(clock, b) + 1), lb = b * (Kw + RK);
    for (let e = 0; e < Kw + RK; e++) {
      const w = e < Kw ? <f64>get<T>(wval, b * Kw + e) : <f64>get<T>(rw, b * RK + e - Kw);
      const n = e < Kw ? slot<T>(widx, b * Kw + e) : slot<T>(ridx, b * RK + e - Kw);
      put<T>(tlog, lb + e, get<T>(tb, n));
      if (w > DELTA) put<T>(tb, n, now);
    }
    put<T>(clock, b, now);
  }
}

/** Undoes sam_usage_fwd of one step (entries in reverse, then the clock). */
export function sam_usage_undo<T>(B: i32, N: i32, Kw: i32, RK: i32, tau: usize, clock: usize, widx: usize, ridx: usize, tlog: usize): void {
  for (let b = 0; b < B; b++) {
    const tb = tau + <usize>b * N * sizeof<T>(), lb = b * (Kw + RK);
    for (let e = Kw + RK - 1; e >= 0; e--) {
      const n = e < Kw ? slot<T>(widx, b * Kw + e) : slot<T>(ridx, b * RK + e - Kw);
      put<T>(tb, n, get<T>(tlog, lb + e));
    }
    put<T>(clock, b, <T>(<f64>get<T>(clock, b) - 1));
  }
}

/**
 * Keeps the times exact in f32 (integers below 2^24): a stream whose clock
 * passed `limit` has every time moved back by clock − limit/2 (those older
 * than that become 0, the oldest). Order among the recent times is kept.
 */
export function sam_rebase<T>(B: i32, N: i32, tau: usize, clock: usize, limit: f64): void {
  for (let b = 0; b < B; b++) {
    const c = <f64>get<T>(clock, b);
    if (c <= limit) continue;
    const shift = c - limit / 2, tb = tau + <usize>b * N * sizeof<T>();
    for (let n = 0; n < N; n++) { const v = <f64>get<T>(tb, n) - shift; put<T>(tb, n, <T>(v > 0 ? v : 0)); }
    put<T>(clock, b, <T>(c - shift));
  }
}
