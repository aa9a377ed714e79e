// The f32 build: SIMD kernels. Every export has a twin of the same name and
// signature in index_f64.ts, so the host drives either build with one code path.
import * as G from "./gemm";
import * as O from "./onehot";
import * as W from "./rows";
import * as RN from "./rnn";
import * as LS from "./lstm";
import * as SM from "./softmax";
import * as OP from "./optim";
export { vexp, vsigmoid, vtanh } from "./math";

export const ELEM_BYTES: i32 = 4;
/** End of the module's static data: the host's arena starts above it. */
export function heap_base(): usize { return __heap_base; }

export function gemm_nn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void { G.gemm_nn_f32(M, N, K, A, lda, B, ldb, C, ldc); }
export function gemm_tn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void { G.gemm_tn_f32(M, N, K, A, lda, B, ldb, C, ldc); }
export function gemm_nt(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, scratch: usize): void { G.gemm_nt_f32(M, N, K, A, lda, B, ldb, C, ldc, scratch); }
export function transpose(R: i32, C: i32, src: usize, lds: i32, dst: usize, ldd: i32): void { G.transpose<f32>(R, C, src, lds, dst, ldd); }
export function transpose_acc(R: i32, C: i32, src: usize, lds: i32, dst: usize, ldd: i32): void { G.transpose_acc<f32>(R, C, src, lds, dst, ldd); }
export function onehot_fwd(R: i32, W_: i32, ids: usize, WT: usize, ldw: i32, bias: usize, out: usize, ldo: i32): void { O.onehot_fwd_f32(R, W_, ids, WT, ldw, bias, out, ldo); }
export function onehot_bwd(R: i32, W_: i32, ids: usize, dout: usize, ldo: i32, dWT: usize, ldw: i32, dbias: usize): void { O.onehot_bwd_f32(R, W_, ids, dout, ldo, dWT, ldw, dbias); }
export function rows_set(R: i32, W_: i32, bias: usize, out: usize, ldo: i32): void { W.rows_set_f32(R, W_, bias, out, ldo); }
export function colsum_acc(R: i32, W_: i32, x: usize, ldx: i32, sum: usize): void { W.colsum_acc_f32(R, W_, x, ldx, sum); }
export function rnn_fwd(B: i32, H: i32, z: usize, ldz: i32, h: usize, ldh: i32): void { RN.rnn_fwd_f32(B, H, z, ldz, h, ldh); }
export function rnn_bwd(B: i32, H: i32, h: usize, ldh: i32, dh: usize, lddh: i32, dz: usize, ldz: i32): void { RN.rnn_bwd_f32(B, H, h, ldh, dh, lddh, dz, ldz); }
export function lstm_fwd(B: i32, H: i32, z: usize, ldz: i32, cprev: usize, c: usize, tc: usize, h: usize, ldh: i32): void { LS.lstm_fwd_f32(B, H, z, ldz, cprev, c, tc, h, ldh); }
export function lstm_bwd(B: i32, H: i32, z: usize, dz: usize, ldz: i32, cprev: usize, tc: usize, dh: usize, dc: usize, ldh: i32): void { LS.lstm_bwd_f32(B, H, z, dz, ldz, cprev, tc, dh, dc, ldh); }
export function xent(R: i32, V: i32, y: usize, ldy: i32, targets: usize, scale: f64, grad: i32): f64 { return SM.xent_f32(R, V, y, ldy, targets, <f32>scale, grad); }
export function softmax(R: i32, V: i32, y: usize, ldy: i32, invT: f64): void { SM.softmax_f32(R, V, y, ldy, <f32>invT); }
export function sample(V: i32, p: usize, u: f64): i32 { return SM.sample_ref<f32>(V, p, u); }
export function sgd(n: i32, p: usize, g: usize, lr: f64, gs: f64): void { OP.sgd_f32(n, p, g, lr, gs); }
export function adagrad(n: i32, p: usize, g: usize, m: usize, lr: f64, eps: f64, gs: f64): void { OP.adagrad_f32(n, p, g, m, lr, eps, gs); }
export function rmsprop(n: i32, p: usize, g: usize, ms: usize, mom: usize, lr: f64, rho: f64, mu: f64, eps: f64, gs: f64): void { OP.rmsprop_f32(n, p, g, ms, mom, lr, rho, mu, eps, gs); }
export function adam(n: i32, p: usize, g: usize, m: usize, v: usize, lr1: f64, b1: f64, b2: f64, c2: f64, eps: f64, gs: f64): void { OP.adam_f32(n, p, g, m, v, lr1, b1, b2, c2, eps, gs); }
export function sumsq(n: i32, g: usize): f64 { return OP.sumsq_f32(n, g); }
