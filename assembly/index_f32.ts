// The f32 build: SIMD kernels. Every export has a twin of the same name and
// signature in index_f64.ts, so the host drives either build with one code path.
import * as G from "./gemm";
import * as GV from "./gemv";
import * as O from "./onehot";
import * as W from "./rows";
import * as RN from "./rnn";
import * as LS from "./lstm";
import * as SM from "./softmax";
import * as OP from "./optim";
import * as BC from "./bce";
import * as IF from "./dnc/interface";
import * as CT from "./dnc/content";
import * as US from "./dnc/usage";
import * as WR from "./dnc/write";
import * as LK from "./dnc/links";
import * as RD from "./dnc/read";
import * as MK from "./dnc/mask";
import * as DA from "./dnc/dealloc";
import * as SI from "./sam/interface";
import * as SS from "./sam/scan";
import * as SL from "./sam/lsh";
import * as SQ from "./sam/quant";
import * as SR from "./sam/read";
import * as SW from "./sam/write";
import * as SU from "./sam/usage";
import * as DI from "./sdnc/interface";
import * as DL from "./sdnc/links";
import * as DT from "./sdnc/temporal";
import * as DX from "./sdnc/mix";

export const ELEM_BYTES: i32 = 4;
/** The DNC kernels' limits on memory slots and word size (their static scratch, scratch.ts). */
export { MAX_SLOTS, MAX_KEY, MAX_LSH_BITS, MAX_LSH_HEADS } from "./scratch";
/** Offsets of the interface vector's pieces (dnc/common.ts), for the host to check its layout against. */
export { xiOffset as dnc_xi_offset } from "./dnc/common";
/** End of the module's static data: the host's arena starts above it. */
export function heap_base(): usize { return __heap_base; }

export function gemm_nn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void { G.gemm_nn_f32(M, N, K, A, lda, B, ldb, C, ldc); }
export function gemm_tn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void { G.gemm_tn_f32(M, N, K, A, lda, B, ldb, C, ldc); }
export function gemm_nt(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, scratch: usize): void { G.gemm_nt_f32(M, N, K, A, lda, B, ldb, C, ldc, scratch); }
export function gemv(N: i32, K: i32, W_: usize, ldw: i32, x: usize, y: usize): void { GV.gemv_f32(N, K, W_, ldw, x, y); }
export function transpose(R: i32, C: i32, src: usize, lds: i32, dst: usize, ldd: i32): void { G.transpose_f32(R, C, src, lds, dst, ldd); }
export function transpose_acc(R: i32, C: i32, src: usize, lds: i32, dst: usize, ldd: i32): void { G.transpose_acc_f32(R, C, src, lds, dst, ldd); }
export function onehot_fwd(R: i32, W_: i32, ids: usize, WT: usize, ldw: i32, bias: usize, out: usize, ldo: i32): void { O.onehot_fwd_f32(R, W_, ids, WT, ldw, bias, out, ldo); }
export function onehot_bwd(R: i32, W_: i32, ids: usize, dout: usize, ldo: i32, dWT: usize, ldw: i32, dbias: usize): void { O.onehot_bwd_f32(R, W_, ids, dout, ldo, dWT, ldw, dbias); }
export function rows_set(R: i32, W_: i32, bias: usize, out: usize, ldo: i32): void { W.rows_set_f32(R, W_, bias, out, ldo); }
export function colsum_acc(R: i32, W_: i32, x: usize, ldx: i32, sum: usize): void { W.colsum_acc_f32(R, W_, x, ldx, sum); }
export function rnn_fwd(B: i32, H: i32, z: usize, ldz: i32, h: usize, ldh: i32): void { RN.rnn_fwd_f32(B, H, z, ldz, h, ldh); }
export function rnn_bwd(B: i32, H: i32, h: usize, ldh: i32, dh: usize, lddh: i32, dz: usize, ldz: i32): void { RN.rnn_bwd_f32(B, H, h, ldh, dh, lddh, dz, ldz); }
export function lstm_fwd(B: i32, H: i32, z: usize, ldz: i32, cprev: usize, c: usize, tc: usize, h: usize, ldh: i32): void { LS.lstm_fwd_f32(B, H, z, ldz, cprev, c, tc, h, ldh); }
export function lstm_bwd(B: i32, H: i32, z: usize, dz: usize, ldz: i32, cprev: usize, tc: usize, dh: usize, dc: usize, ldh: i32): void { LS.lstm_bwd_f32(B, H, z, dz, ldz, cprev, tc, dh, dc, ldh); }
export function xent(R: i32, V: i32, y: usize, ldy: i32, targets: usize, scale: f64, grad: i32): f64 { return SM.xent_f32(R, V, y, ldy, targets, <f32>scale, grad); }
export function xent_rows(R: i32, V: i32, y: usize, ldy: i32, targets: usize, out: usize): void { SM.xent_rows_ref<f32>(R, V, y, ldy, targets, out); }
export function softmax(R: i32, V: i32, y: usize, ldy: i32, invT: f64): void { SM.softmax_f32(R, V, y, ldy, <f32>invT); }
export function sample(V: i32, p: usize, u: f64): i32 { return SM.sample_ref<f32>(V, p, u); }
export function sgd(n: i32, p: usize, g: usize, lr: f64, gs: f64): void { OP.sgd_f32(n, p, g, lr, gs); }
export function adagrad(n: i32, p: usize, g: usize, m: usize, lr: f64, eps: f64, gs: f64): void { OP.adagrad_f32(n, p, g, m, lr, eps, gs); }
export function rmsprop(n: i32, p: usize, g: usize, ms: usize, mom: usize, lr: f64, rho: f64, mu: f64, eps: f64, gs: f64): void { OP.rmsprop_f32(n, p, g, ms, mom, lr, rho, mu, eps, gs); }
export function adam(n: i32, p: usize, g: usize, m: usize, v: usize, lr1: f64, b1: f64, b2: f64, c2: f64, eps: f64, gs: f64): void { OP.adam_f32(n, p, g, m, v, lr1, b1, b2, c2, eps, gs); }
export function sumsq(n: i32, g: usize): f64 { return OP.sumsq_f32(n, g); }

// ---- DNC memory (assembly/dnc/<op>.ts): the f32x4 versions of content, reads, links, the write, the usage backward and the interface forward; the usage forward and allocation are the references ----
export function dnc_iface_fwd(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void { IF.iface_fwd_f32(B, R, W, raw, xi, ld); }
export function dnc_iface_bwd(B: i32, R: i32, W: i32, raw: usize, xi: usize, dxi: usize, draw: usize, ld: i32): void { IF.iface_bwd<f32>(B, R, W, raw, xi, dxi, draw, ld); }
export function dnc_content_fwd(B: i32, Hh: i32, N: i32, W: i32, M: usize, k: usize, ldk: i32, beta: usize, ldb: i32, c: usize, ldc: i32): void { CT.content_fwd_f32(B, Hh, N, W, M, k, ldk, beta, ldb, c, ldc); }
export function dnc_content_bwd(B: i32, Hh: i32, N: i32, W: i32, M: usize, k: usize, ldk: i32, beta: usize, ldb: i32, c: usize, dc: usize, ldc: i32, dM: usize, dk: usize, dbeta: usize): void { CT.content_bwd_f32(B, Hh, N, W, M, k, ldk, beta, ldb, c, dc, ldc, dM, dk, dbeta); }
export function dnc_usage_fwd(B: i32, N: i32, R: i32, W: i32, uprev: usize, wwprev: usize, wrprev: usize, xi: usize, ldxi: i32, u: usize): void { US.usage_fwd<f32>(B, N, R, W, uprev, wwprev, wrprev, xi, ldxi, u); }
export function dnc_usage_bwd(B: i32, N: i32, R: i32, W: i32, uprev: usize, wwprev: usize, wrprev: usize, xi: usize, ldxi: i32, du: usize, duprev: usize, dwwprev: usize, dwrprev: usize, dxi: usize): void { US.usage_bwd_f32(B, N, R, W, uprev, wwprev, wrprev, xi, ldxi, du, duprev, dwwprev, dwrprev, dxi); }
export function dnc_alloc_fwd(B: i32, N: i32, u: usize, a: usize, phi: usize, frozen: i32, start: usize): void { US.alloc_fwd<f32>(B, N, u, a, phi, frozen, start); }
export function dnc_alloc_bwd(B: i32, N: i32, u: usize, a: usize, phi: usize, da: usize, du: usize): void { US.alloc_bwd<f32>(B, N, u, a, phi, da, du); }
export function dnc_write_fwd(B: i32, N: i32, W: i32, R: i32, xi: usize, ldxi: i32, a: usize, cw: usize, ww: usize, Mprev: usize, M: usize): void { WR.write_fwd_f32(B, N, W, R, xi, ldxi, a, cw, ww, Mprev, M); }
export function dnc_write_bwd(B: i32, N: i32, W: i32, R: i32, xi: usize, ldxi: i32, a: usize, cw: usize, ww: usize, Mprev: usize, dM: usize, dww: usize, dMprev: usize, da: usize, dcw: usize, dxi: usize): void { WR.write_bwd_f32(B, N, W, R, xi, ldxi, a, cw, ww, Mprev, dM, dww, dMprev, da, dcw, dxi); }
export function dnc_link_fwd(B: i32, N: i32, ww: usize, Lprev: usize, pprev: usize, L: usize, p: usize): void { LK.link_fwd_f32(B, N, ww, Lprev, pprev, L, p); }
export function dnc_link_bwd(B: i32, N: i32, ww: usize, Lprev: usize, pprev: usize, dL: usize, dp: usize, dLprev: usize, dpprev: usize, dww: usize): void { LK.link_bwd_f32(B, N, ww, Lprev, pprev, dL, dp, dLprev, dpprev, dww); }
export function dnc_read_fwd(B: i32, N: i32, W: i32, R: i32, L: usize, wrprev: usize, M: usize, cr: usize, xi: usize, ldxi: i32, fw: usize, bw: usize, wr: usize, r: usize): void { RD.read_fwd_f32(B, N, W, R, L, wrprev, M, cr, xi, ldxi, fw, bw, wr, r); }
export function dnc_read_bwd(B: i32, N: i32, W: i32, R: i32, L: usize, wrprev: usize, M: usize, cr: usize, xi: usize, ldxi: i32, fw: usize, bw: usize, wr: usize, dr: usize, dwr: usize, dM: usize, dL: usize, dwrprev: usize, dcr: usize, dxi: usize): void { RD.read_bwd_f32(B, N, W, R, L, wrprev, M, cr, xi, ldxi, fw, bw, wr, dr, dwr, dM, dL, dwrprev, dcr, dxi); }
export function dnc_mask_fwd(B: i32, N: i32, W: i32, x: usize, ldx: i32, s: usize, lds: i32, y: usize, ldy: i32): void { MK.mask_fwd_f32(B, N, W, x, ldx, s, lds, y, ldy); }
export function dnc_mask_bwd(B: i32, N: i32, W: i32, x: usize, ldx: i32, s: usize, lds: i32, dy: usize, ldy: i32, dx: usize, ds: usize): void { MK.mask_bwd_f32(B, N, W, x, ldx, s, lds, dy, ldy, dx, ds); }
export function dnc_mask_iface_fwd(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void { MK.mask_iface_fwd_f32(B, R, W, raw, xi, ld); }
export function dnc_mask_iface_bwd(B: i32, R: i32, W: i32, xi: usize, dxi: usize, draw: usize, ld: i32): void { MK.mask_iface_bwd<f32>(B, R, W, xi, dxi, draw, ld); }
export function dnc_retention_fwd(B: i32, N: i32, R: i32, W: i32, wrprev: usize, xi: usize, ldxi: i32, psi: usize): void { DA.retention_fwd<f32>(B, N, R, W, wrprev, xi, ldxi, psi); }
export function dnc_retention_bwd(B: i32, N: i32, R: i32, W: i32, wrprev: usize, xi: usize, ldxi: i32, dpsi: usize, dwrprev: usize, dxi: usize): void { DA.retention_bwd<f32>(B, N, R, W, wrprev, xi, ldxi, dpsi, dwrprev, dxi); }
export function dnc_rowscale_fwd(B: i32, N: i32, W: i32, psi: usize, x: usize, y: usize): void { DA.rowscale_fwd_f32(B, N, W, psi, x, y); }
export function dnc_rowscale_bwd(B: i32, N: i32, W: i32, psi: usize, x: usize, dy: usize, dx: usize, dpsi: usize): void { DA.rowscale_bwd_f32(B, N, W, psi, x, dy, dx, dpsi); }

// ---- sigmoid outputs with a mask (bit tasks) ----
export function bce(R: i32, V: i32, y: usize, ldy: i32, z: usize, ldz: i32, mask: usize, scale: f64, grad: i32): f64 { return BC.bce_ref<f32>(R, V, y, ldy, z, ldz, mask, scale, grad); }
export function bit_errors(R: i32, V: i32, y: usize, ldy: i32, z: usize, ldz: i32, mask: usize): i32 { return BC.bit_errors_ref<f32>(R, V, y, ldy, z, ldz, mask); }
export function axpy(n: i32, a: f64, x: usize, y: usize): void { W.axpy_f32(n, <f32>a, x, y); }

// ---- sparse access memory (assembly/sam/<op>.ts): the scan in f32x4 , the rest O(K·W) references ----
export { samXiOffset as sam_xi_offset } from "./sam/common";
export function sam_iface_fwd(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void { SI.sam_iface_fwd<f32>(B, R, W, raw, xi, ld); }
export function sam_iface_bwd(B: i32, R: i32, W: i32, raw: usize, xi: usize, dxi: usize, draw: usize, ld: i32): void { SI.sam_iface_bwd<f32>(B, R, W, raw, xi, dxi, draw, ld); }
export function sam_scan(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, k: usize, ldk: i32, idx: usize, sim: usize, frozen: i32): void { SS.sam_scan_f32(B, R, N, W, K, M, k, ldk, idx, sim, frozen); }
export function sam_scan_bounded(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, Q: usize, D: usize, k: usize, ldk: i32, idx: usize, sim: usize, frozen: i32): f64 { return SQ.sam_scan_bounded(B, R, N, W, K, M, Q, D, k, ldk, idx, sim, frozen); }
export function sam_quant_build(B: i32, N: i32, W: i32, M: usize, Q: usize, D: usize): void { SQ.sam_quant_build<f32>(B, N, W, M, Q, D); }
export function sam_quant_mark(B: i32, N: i32, W: i32, Q: usize, D: usize, idx: usize, cnt: i32): void { SQ.sam_quant_mark<f32>(B, N, W, Q, D, idx, cnt); }
export function sam_quant_flush(B: i32, N: i32, W: i32, M: usize, Q: usize, D: usize): void { SQ.sam_quant_flush<f32>(B, N, W, M, Q, D); }
export { quantRecord as sam_quant_record } from "./sam/quant";
export function sam_read_fwd(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, idx: usize, sim: usize, beta: usize, ldb: i32, w: usize, r: usize): void { SR.sam_read_fwd_f32(B, R, N, W, K, M, idx, sim, beta, ldb, w, r); }
export function sam_read_bwd(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, idx: usize, k: usize, ldk: i32, beta: usize, ldb: i32, w: usize, dr: usize, dw: usize, dM: usize, dk: usize, dbeta: usize): void { SR.sam_read_bwd_f32(B, R, N, W, K, M, idx, k, ldk, beta, ldb, w, dr, dw, dM, dk, dbeta); }
export function sam_write_fwd(B: i32, R: i32, N: i32, W: i32, K: i32, xi: usize, ldx: i32, pidx: usize, pw: usize, lru: usize, M: usize, widx: usize, wval: usize, old: usize, nw: usize): void { SW.sam_write_fwd_f32(B, R, N, W, K, xi, ldx, pidx, pw, lru, M, widx, wval, old, nw); }
export function sam_write_bwd(B: i32, R: i32, N: i32, W: i32, K: i32, xi: usize, ldx: i32, pw: usize, widx: usize, wval: usize, dM: usize, dpw: usize, dxi: usize, dwv: usize): void { SW.sam_write_bwd_f32(B, R, N, W, K, xi, ldx, pw, widx, wval, dM, dpw, dxi, dwv); }
export function sam_rows(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, widx: usize, log: usize, undo: i32): void { SW.sam_rows<f32>(B, R, N, W, K, M, widx, log, undo); }
export function sam_zero_rows(B: i32, N: i32, W: i32, cnt: i32, idx: usize, dM: usize): void { SW.sam_zero_rows<f32>(B, N, W, cnt, idx, dM); }
export function sam_lru(B: i32, N: i32, tau: usize, lru: usize): void { SU.sam_lru_f32(B, N, tau, lru); }
export function sam_usage_fwd(B: i32, N: i32, Kw: i32, RK: i32, tau: usize, clock: usize, widx: usize, wval: usize, ridx: usize, rw: usize, tlog: usize): void { SU.sam_usage_fwd<f32>(B, N, Kw, RK, tau, clock, widx, wval, ridx, rw, tlog); }
export function sam_usage_undo(B: i32, N: i32, Kw: i32, RK: i32, tau: usize, clock: usize, widx: usize, ridx: usize, tlog: usize): void { SU.sam_usage_undo<f32>(B, N, Kw, RK, tau, clock, widx, ridx, tlog); }
export function sam_rebase(B: i32, N: i32, tau: usize, clock: usize, limit: f64): void { SU.sam_rebase<f32>(B, N, tau, clock, limit); }
export { lshTableSize as sam_lsh_table_size, sam_index_reset } from "./sam/lsh";
export function sam_index_build(B: i32, N: i32, W: i32, bits: i32, M: usize, planes: usize, tab: usize): void { SL.sam_index_build<f32>(B, N, W, bits, M, planes, tab); }
export function sam_index_rows(B: i32, N: i32, W: i32, bits: i32, M: usize, planes: usize, tab: usize, idx: usize, cnt: i32): void { SL.sam_index_rows<f32>(B, N, W, bits, M, planes, tab, idx, cnt); }
export function sam_scan_lsh(B: i32, R: i32, N: i32, W: i32, K: i32, bits: i32, probes: i32, M: usize, k: usize, ldk: i32, planes: usize, tab: usize, idx: usize, sim: usize): f64 { return SL.sam_scan_lsh_f32(B, R, N, W, K, bits, probes, M, k, ldk, planes, tab, idx, sim); }

// ---- the sparse DNC (assembly/sdnc/<op>.ts): SAM's kernels and these O(K²) references ----
export { sdncXiSize as sdnc_xi_size } from "./sdnc/interface";
export { colSize as sdnc_col_size } from "./sdnc/common";
export function sdnc_iface_fwd(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void { DI.sdnc_iface_fwd<f32>(B, R, W, raw, xi, ld); }
export function sdnc_iface_bwd(B: i32, R: i32, W: i32, raw: usize, xi: usize, dxi: usize, draw: usize, ld: i32): void { DI.sdnc_iface_bwd<f32>(B, R, W, raw, xi, dxi, draw, ld); }
export function sdnc_links_fwd(B: i32, N: i32, K: i32, Kw: i32, widx: usize, wval: usize, pre: usize, Li: usize, Lv: usize, col: usize, map: usize, cs: usize, cv: usize, dl: usize, olog: usize, nlog: usize, pnew: usize, held: i32): void { DL.sdnc_links_fwd<f32>(B, N, K, Kw, widx, wval, pre, Li, Lv, col, map, cs, cv, dl, olog, nlog, pnew, held); }
export function sdnc_links_bwd(B: i32, N: i32, K: i32, Kw: i32, widx: usize, pre: usize, pnew: usize, Li: usize, Lv: usize, dl: usize, olog: usize, dL: usize, dpn: usize, dpo: usize, dwval: usize, map: usize, cv: usize): void { DL.sdnc_links_bwd<f32>(B, N, K, Kw, widx, pre, pnew, Li, Lv, dl, olog, dL, dpn, dpo, dwval, map, cv); }
export function sdnc_links_rows(B: i32, N: i32, K: i32, Kw: i32, Li: usize, Lv: usize, col: usize, dl: usize, log: usize): void { DL.sdnc_links_rows<f32>(B, N, K, Kw, Li, Lv, col, dl, log); }
export function sdnc_col_build(B: i32, N: i32, K: i32, Li: usize, col: usize): void { DL.sdnc_col_build<f32>(B, N, K, Li, col); }
export function sdnc_dir_fwd(B: i32, R: i32, N: i32, K: i32, Kr: i32, pidx: usize, pw: usize, Li: usize, Lv: usize, col: usize, map: usize, cs: usize, cv: usize, bidx: usize, bval: usize, fidx: usize, fval: usize, held: i32): void { DT.sdnc_dir_fwd<f32>(B, R, N, K, Kr, pidx, pw, Li, Lv, col, map, cs, cv, bidx, bval, fidx, fval, held); }
export function sdnc_dir_bwd(B: i32, R: i32, N: i32, K: i32, Kr: i32, pidx: usize, pw: usize, Li: usize, Lv: usize, bidx: usize, bval: usize, fidx: usize, fval: usize, dbval: usize, dfval: usize, dL: usize, dpw: usize, map: usize, bmap: usize, cs: usize, cv: usize): void { DT.sdnc_dir_bwd<f32>(B, R, N, K, Kr, pidx, pw, Li, Lv, bidx, bval, fidx, fval, dbval, dfval, dL, dpw, map, bmap, cs, cv); }
export function sdnc_mix_fwd(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, xi: usize, ldx: i32, mo: i32, bidx: usize, bval: usize, cidx: usize, cw: usize, fidx: usize, fval: usize, ridx: usize, rw: usize, r: usize): void { DX.sdnc_mix_fwd_f32(B, R, N, W, K, M, xi, ldx, mo, bidx, bval, cidx, cw, fidx, fval, ridx, rw, r); }
export function sdnc_mix_bwd(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, xi: usize, ldx: i32, mo: i32, bval: usize, cw: usize, fval: usize, ridx: usize, rw: usize, dr: usize, drw: usize, dM: usize, dxi: usize, dbval: usize, dcw: usize, dfval: usize): void { DX.sdnc_mix_bwd_f32(B, R, N, W, K, M, xi, ldx, mo, bval, cw, fval, ridx, rw, dr, drw, dM, dxi, dbval, dcw, dfval); }
