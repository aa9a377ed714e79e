// Shared by the sparse-memory (SAM) kernels: the layout of the interface
// vector ξ and of the per-step records, in this order (MODELS.md, "SAM"):
//   read keys k^r (R·W) | read strengths β^r (R) | write vector v (W)
//   | write gate α (1) | interpolation gate γ (1)
// Per stream b, one step holds R·K read entries (slot, weight, similarity;
// head h's K entries at b·R·K + h·K) and Kw = R·K + 1 write entries (entry 0
// the least-recently-used slot, entry 1 + h·K + j head h's j-th read of the
// step before). Slot indices are stored as floats of the build's precision
// (exact below 2^24), so that they travel with the rest of the carried state.
export { EPS, get, put, g64, addSat, putSat } from "../dnc/common";

export function samXiSize(R: i32, W: i32): i32 { return R * W + R + W + 2; }
// @ts-ignore: decorator
@inline export function sBr(R: i32, W: i32): i32 { return R * W; }
// @ts-ignore: decorator
@inline export function sV(R: i32, W: i32): i32 { return R * W + R; }
// @ts-ignore: decorator
@inline export function sA(R: i32, W: i32): i32 { return R * W + R + W; }
// @ts-ignore: decorator
@inline export function sG(R: i32, W: i32): i32 { return R * W + R + W + 1; }

/** Offsets of ξ's pieces, for the host to check its layout against: 0 br, 1 v, 2 α, 3 γ, 4 size. */
export function samXiOffset(R: i32, W: i32, piece: i32): i32 {
  return piece == 0 ? sBr(R, W) : piece == 1 ? sV(R, W) : piece == 2 ? sA(R, W) : piece == 3 ? sG(R, W) : samXiSize(R, W);
}

/** A stored slot index. */
// @ts-ignore: decorator
@inline export function slot<T>(p: usize, i: i32): i32 { return <i32>load<T>(p + <usize>i * sizeof<T>()); }
