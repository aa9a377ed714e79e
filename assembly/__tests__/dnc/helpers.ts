// Shared by the DNC op specs: f64 buffers from values, element access, sizes that reach every loop's tail.
import { randBuf } from "../util";

export function buf(vals: f64[]): usize {
  const p = randBuf<f64>(vals.length + 1);
  for (let i = 0; i < vals.length; i++) store<f64>(p + (<usize>i << 3), vals[i]);
  return p;
}
export function at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
export function zeros(n: i32): usize { const p = randBuf<f64>(n + 1); memory.fill(p, 0, <usize>(n + 1) << 3); return p; }
export function allFinite(p: usize, n: i32): bool { for (let i = 0; i < n; i++) if (!isFinite(at(p, i))) return false; return true; }

// odd sizes exercise the scalar tails of every row loop and the last row of the two-row loops
// (40 heads: more than one group of heads in content_bwd_f32; 70 slots: more than one block of rows;
// 7 slots of a word without a tail: the write backward's two-row loop, then its one-row branch)
export const SIZES: i32[][] = [[2, 7, 5, 3], [3, 9, 13, 2], [1, 16, 16, 4], [2, 5, 3, 1], [1, 5, 3, 40], [1, 70, 6, 5], [2, 7, 8, 4]]; // B, N, W, R

/** The upper end of random weightings over N slots: small enough that they stay (sub)normalised for large N. */
export function wmax(hi: f64, N: i32): f64 { return Math.min(hi, 3.0 / <f64>N); }
