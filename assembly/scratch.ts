// Every static scratch buffer of the kernels, with its size and who uses it.
// The module owns no other memory: the host's arena starts above these
// (heap_base). A buffer is private to its owner unless its comment says who
// else may clobber it; kernels never run concurrently (one instance per
// thread), so a buffer only has to survive within one kernel call.
//
// The limits are exported by both builds (index_f32.ts, index_f64.ts) and the
// host checks a model's sizes against them.

/** Memory slots N and word size W the DNC kernels' buffers hold. */
export const MAX_SLOTS: i32 = 4096;
export const MAX_KEY: i32 = 4096;
/** Heads in one content-addressing group (the read heads, or the write head). */
export const MAX_GROUP: i32 = 32;
/** Rows per block of the content backward. */
export const NB: i32 = 64;
/** The products' cache block (gemm.ts). */
export const KC: i32 = 256;
/** Hyperplanes of SAM's LSH index (sam/lsh.ts): 2^bits buckets. */
export const MAX_LSH_BITS: i32 = 20;

// ---- gemm.ts ----
/** A 4×KC panel of Aᵀ, packed (gemm_block). */
export const PANEL = memory.data(KC * 16, 16);

// ---- dnc/vec.ts: shared building blocks, used within one kernel call ----
/** The row norms ‖M[n]‖ of one stream, shared by its heads (content forward and backward). */
export const NRM = memory.data(MAX_SLOTS * 4, 16);
/** The results of dots4x2 (8 floats) and dots3Sat (3), passed to them as `out` (read, content). */
export const DOTS = memory.data(32, 16);
/** Four keys or vectors interleaved by blocks4 (read forward and backward, content). */
export const KB4 = memory.data(MAX_SLOTS * 16, 16);
/** colSums4's side-by-side copy of its four vectors (private to colSums4). */
export const XT = memory.data(MAX_SLOTS * 16, 16);
/** A destination for colSums4 (four rows of up to MAX_SLOTS floats) that the caller then adds (read backward, content backward). */
export const CS4 = memory.data(MAX_SLOTS * 16, 16);

// ---- dnc/content.ts ----
/** The group's keys, each scaled by 1/max|k| (so f32 products with memory cannot overflow). */
export const KS = memory.data(MAX_KEY * 4, 16);
/** f64 per head: ‖k‖ scale, ‖k‖, β, c·dc, dβ, d‖k‖. */
export const HS = memory.data(MAX_GROUP * 8 * 8, 16);
/** [head][row] scaled dot products of a block. */
export const BDOT = memory.data(MAX_GROUP * NB * 4, 16);
/** [head][row] coefficient of M[n] in dk (ddot, bounded). */
export const BCK = memory.data(MAX_GROUP * NB * 4, 16);
/** [head][row] coefficient of the scaled key in dM[n]. */
export const BAL = memory.data(MAX_GROUP * NB * 4, 16);
/** [row] Σ_heads d‖M[n]‖/‖M[n]‖ (f64). */
export const BGM = memory.data(NB * 8, 16);
/** [row] 1/‖M[n]‖ (f64), once per row for all heads. */
export const BIM = memory.data(NB * 8, 16);
/** [row] one head's terms of dβ (f64), summed in row order. */
export const TD = memory.data(NB * 8, 16);
/** [row] … and of d‖k‖. */
export const TK = memory.data(NB * 8, 16);

// ---- dnc/read.ts ----
/** linkGrads4's copy of four heads' w' and g interleaved by 4-column blocks (8 floats per slot). */
export const WG = memory.data(MAX_SLOTS * 32, 16);

// ---- dnc/usage.ts ----
/** dψ·(u' + w' − u'w') per slot of one stream, between the two passes of usage_bwd_f32. */
export const DPS = memory.data(MAX_SLOTS * 4, 16);

// ---- dnc/write.ts ----
/** write_bwd_f32's dw of the one or two rows of a pass (f64). */
export const DW = memory.data(16, 16);

// ---- sam/lsh.ts ----
/** One key's |projection| on each hyperplane (f64), and which planes a probe flipped (i32). */
export const LSHM = memory.data(MAX_LSH_BITS * 8, 16);
export const LSHF = memory.data(MAX_LSH_BITS * 4, 16);
/** Heads of one stream the index serves: its probed buckets fit LSHQ. */
export const MAX_LSH_HEADS: i32 = 64;
/** One stream's probed buckets, deduplicated (i32). */
export const LSHQ = memory.data(MAX_LSH_HEADS * (MAX_LSH_BITS + 1) * 4, 16);
/** The candidate walk's position (two i32). */
export const LSHW = memory.data(16, 16);

// ---- sam/quant.ts ----
/** A group's four keys rounded to i16 (MAX_KEY each), then the bound's coefficients ‖k‖₁/2 and τ/2 (four f32 each). */
export const KQ = memory.data(4 * MAX_KEY * 2 + 32, 16);
/** One row staged with zeros to a multiple of 16 floats (quantRowF32). */
export const QR = memory.data(MAX_KEY * 4 + 64, 16);

// ---- sam/scan.ts ----
/** The four heads' list lengths of one group in the f32x4 scans (i32; scan.ts and lsh.ts). */
export const CNT4 = memory.data(16, 16);
