// f32x4 versions of the DNC memory kernels (one file per op in simd/): content
// addressing, reads, links, usage and the memory write, forward and backward,
// and the interface's forward.
// Same arguments and results as the scalar references in content.ts, read.ts,
// links.ts, usage.ts and write.ts (to float32 round-off), which the specs
// compare them against. Rows of M (W floats) and of L (N floats) are
// contiguous, so inner loops run over rows (dot products, row updates) or down
// columns four at a time (sums held in registers), four heads per read of a row.
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
export { MAX_SLOTS } from "./simd/vec";
export { MAX_KEY, content_fwd_f32, content_bwd_f32 } from "./simd/content";
export { read_fwd_f32, read_bwd_f32 } from "./simd/read";
export { link_fwd_f32, link_bwd_f32 } from "./simd/links";
export { usage_bwd_f32 } from "./simd/usage";
export { write_fwd_f32, write_bwd_f32 } from "./simd/write";
export { iface_fwd_f32 } from "./simd/interface";
