// Matrix products on raw offsets, row-major, leading dimensions in elements.
//   gemm_nn: C[M,N] += A[M,K] · B[K,N]
//   gemm_tn: C[M,N] += A[K,M]ᵀ · B[K,N]
//   gemm_nt: C[M,N] += A[M,K] · B[N,K]ᵀ   (B is transposed into `scratch` first)
// The f32 versions use a 4×8 register block: 8 f32x4 accumulators, A broadcast
// with load32_splat, B read as two vectors per k. Wider blocks spill V8's 16
// xmm registers (WASM-PERF.md). nn and tn share one kernel that walks A by a
// row stride and a k stride.
import { KC, PANEL } from "./scratch";
import { storeTransposed4 } from "./lanes";

// @ts-ignore: decorator
@inline function acc(c: usize, v: v128): void {
  v128.store(c, f32x4.add(v128.load(c), v));
}

// Cache blocking: a KC×NC block of B (256 KiB) stays in the 1 MiB L2 while
// every row block of A passes over it; without it, products whose B exceeds
// L2 (H = 512: 4–6 MiB) stream B from memory once per 4 rows and run at half speed.
const NC = 256;
// (KC and PANEL, the packed 4×KC panel of Aᵀ: scratch.ts)

/** C += A·B with A(i,k) at A + i·ars + k·acs (byte strides), B and C row-major. */
function gemm_f32(M: i32, N: i32, K: i32, A: usize, ars: usize, acs: usize,
                  B: usize, ldb: i32, C: usize, ldc: i32): void {
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let n0 = 0; n0 < N; n0 += NC) {
      gemm_block(M, min(NC, N - n0), kc, A + <usize>k0 * acs, ars, acs,
                 B + ((<usize>k0 * ldb + n0) << 2), ldb, C + (<usize>n0 << 2), ldc);
    }
  }
}

/** The register-blocked kernel over one cache block. */
function gemm_block(M: i32, N: i32, K: i32, A: usize, ars0: usize, acs0: usize,
                  B: usize, ldb: i32, C: usize, ldc: i32): void {
  const bstride = <usize>ldb << 2;
  const cstride = <usize>ldc << 2;
  // Aᵀ (k stride > one element): the 4 rows' values at each k sit in one line of A, the next k a
  // whole row further. Pack the block's 4×K panel contiguously once, so the inner loop reads A
  // sequentially as in the plain product (the panel is reused for every 8 columns).
  const packA = acs0 != 4 && N > 8;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    let arow = A + <usize>i * ars0, ars = ars0, acs = acs0;
    if (packA) {
      let src = arow, dst = PANEL;
      for (let k = 0; k < K; k++) { v128.store(dst, v128.load(src)); src += acs; dst += 16; }
      arow = PANEL; ars = 4; acs = 16;
    }
    const ars2 = ars * 2, ars3 = ars * 3;
    const crow = C + <usize>i * cstride;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      // one pointer per row: address arithmetic inside the loop costs ~10%
      let p0 = arow, p1 = arow + ars, p2 = arow + ars2, p3 = arow + ars3;
      let pb = B + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let a = v128.load32_splat(p0);
        c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
        a = v128.load32_splat(p1);
        c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
        a = v128.load32_splat(p2);
        c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
        a = v128.load32_splat(p3);
        c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
        p0 += acs; p1 += acs; p2 += acs; p3 += acs;
        pb += bstride;
      }
      const pc = crow + (<usize>j << 2);
      acc(pc, c00); acc(pc + 16, c01);
      acc(pc + cstride, c10); acc(pc + cstride + 16, c11);
      acc(pc + 2 * cstride, c20); acc(pc + 2 * cstride + 16, c21);
      acc(pc + 3 * cstride, c30); acc(pc + 3 * cstride + 16, c31);
    }
    for (; j + 4 <= N; j += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let pa = arow;
      let pb = B + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa + ars), b0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa + ars2), b0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa + ars3), b0));
        pa += acs;
        pb += bstride;
      }
      const pc = crow + (<usize>j << 2);
      acc(pc, c0); acc(pc + cstride, c1); acc(pc + 2 * cstride, c2); acc(pc + 3 * cstride, c3);
    }
    for (; j < N; j++) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      let pa = arow;
      let pb = B + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const b = load<f32>(pb);
        s0 += load<f32>(pa) * b; s1 += load<f32>(pa + ars) * b;
        s2 += load<f32>(pa + ars2) * b; s3 += load<f32>(pa + ars3) * b;
        pa += acs;
        pb += bstride;
      }
      const pc = crow + (<usize>j << 2);
      store<f32>(pc, load<f32>(pc) + s0);
      store<f32>(pc + cstride, load<f32>(pc + cstride) + s1);
      store<f32>(pc + 2 * cstride, load<f32>(pc + 2 * cstride) + s2);
      store<f32>(pc + 3 * cstride, load<f32>(pc + 3 * cstride) + s3);
    }
  }
  // remaining rows one at a time
  const acs = acs0;
  for (; i < M; i++) {
    const arow = A + <usize>i * ars0;
    const crow = C + <usize>i * cstride;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      let pa = arow;
      let pb = B + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const a = v128.load32_splat(pa);
        c0 = f32x4.add(c0, f32x4.mul(a, v128.load(pb)));
        c1 = f32x4.add(c1, f32x4.mul(a, v128.load(pb, 16)));
        pa += acs;
        pb += bstride;
      }
      const pc = crow + (<usize>j << 2);
      acc(pc, c0); acc(pc + 16, c1);
    }
    for (; j + 4 <= N; j += 4) {
      let c0 = f32x4.splat(0);
      let pa = arow;
      let pb = B + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
        pa += acs;
        pb += bstride;
      }
      acc(crow + (<usize>j << 2), c0);
    }
    for (; j < N; j++) {
      let s: f32 = 0;
      let pa = arow;
      let pb = B + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        s += load<f32>(pa) * load<f32>(pb);
        pa += acs;
        pb += bstride;
      }
      const pc = crow + (<usize>j << 2);
      store<f32>(pc, load<f32>(pc) + s);
    }
  }
}

export function gemm_nn_f32(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  gemm_f32(M, N, K, A, <usize>lda << 2, 4, B, ldb, C, ldc);
}

export function gemm_tn_f32(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  gemm_f32(M, N, K, A, 4, <usize>lda << 2, B, ldb, C, ldc);
}

export function gemm_nt_f32(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, scratch: usize): void {
  transpose_f32(N, K, B, ldb, scratch, N);
  gemm_f32(M, N, K, A, <usize>lda << 2, 4, scratch, N, C, ldc);
}

/** dst[c, r] = src[r, c] (or += with acc) for an R×Cn block; blocked by 8 to keep both sides in cache. */
// @ts-ignore: decorator
@inline function transposeBlocked<T>(R: i32, Cn: i32, src: usize, lds: i32, dst: usize, ldd: i32, acc: bool): void {
  const sz = <usize>sizeof<T>();
  for (let r0 = 0; r0 < R; r0 += 8) {
    const r1 = min(r0 + 8, R);
    for (let c0 = 0; c0 < Cn; c0 += 8) {
      const c1 = min(c0 + 8, Cn);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          const d = dst + (<usize>c * ldd + r) * sz, v = load<T>(src + (<usize>r * lds + c) * sz);
          store<T>(d, acc ? load<T>(d) + v : v);
        }
      }
    }
  }
}

/** dst[c, r] = src[r, c]. */
export function transpose<T>(R: i32, Cn: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  transposeBlocked<T>(R, Cn, src, lds, dst, ldd, false);
}

/** dst[c, r] += src[r, c]. */
export function transpose_acc<T>(R: i32, Cn: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  transposeBlocked<T>(R, Cn, src, lds, dst, ldd, true);
}

// ---- scalar references (and the f64 build) ----

/** C += A·B with A(i,k) at A + (i·ars + k·acs) elements: nn and tn walk A by different strides. */
function gemm_ref<T>(M: i32, N: i32, K: i32, A: usize, ars: i32, acs: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      const a = load<T>(A + (<usize>i * ars + <usize>k * acs) * sz);
      for (let j = 0; j < N; j++) {
        const c = C + (<usize>i * ldc + j) * sz;
        store<T>(c, load<T>(c) + a * load<T>(B + (<usize>k * ldb + j) * sz));
      }
    }
  }
}

export function gemm_nn_ref<T>(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  gemm_ref<T>(M, N, K, A, lda, 1, B, ldb, C, ldc);
}

export function gemm_tn_ref<T>(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  gemm_ref<T>(M, N, K, A, 1, lda, B, ldb, C, ldc);
}

export function gemm_nt_ref<T>(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = <T>0;
      for (let k = 0; k < K; k++) s += load<T>(A + (<usize>i * lda + k) * sz) * load<T>(B + (<usize>j * ldb + k) * sz);
      const c = C + (<usize>i * ldc + j) * sz;
      store<T>(c, load<T>(c) + s);
    }
  }
}

/**
 * f32 transpose in 4×4 blocks (four row loads, eight shuffles, four column stores), the
 * edges by the scalar loop. The weight copies are refreshed every step; 2.1–4.4× faster than the
 * scalar loop on their shapes (512×128, 512×74, 74×128, 2048×512).
 */
// @ts-ignore: decorator
@inline function transposeF32(R: i32, Cn: i32, src: usize, lds: i32, dst: usize, ldd: i32, acc: bool): void {
  const ss = <usize>lds << 2, ds = <usize>ldd << 2;
  const R4 = R & ~3, C4 = Cn & ~3;
  // 16×16 tiles, so that a tile's 16 source and 16 destination lines stay in L1 (rows of either
  // side may be 2 KiB apart and share a few cache sets: untiled, this ran slower than the scalar loop)
  for (let r0 = 0; r0 < R4; r0 += 16) {
    const r1 = min(r0 + 16, R4);
    for (let c0 = 0; c0 < C4; c0 += 16) {
      const c1 = min(c0 + 16, C4);
      for (let r = r0; r < r1; r += 4) {
        for (let c = c0; c < c1; c += 4) {
          const p = src + <usize>r * ss + (<usize>c << 2);
          storeTransposed4(dst + <usize>c * ds + (<usize>r << 2), ds, v128.load(p), v128.load(p + ss), v128.load(p + 2 * ss), v128.load(p + 3 * ss), acc);
        }
      }
    }
  }
  // the right edge (columns C4…) of the blocked rows, then the bottom rows in full
  if (C4 < Cn) transposeBlocked<f32>(R4, Cn - C4, src + (<usize>C4 << 2), lds, dst + <usize>C4 * ds, ldd, acc);
  if (R4 < R) transposeBlocked<f32>(R - R4, Cn, src + <usize>R4 * ss, lds, dst + (<usize>R4 << 2), ldd, acc);
}

/** dst[c, r] = src[r, c], f32x4. */
export function transpose_f32(R: i32, Cn: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  transposeF32(R, Cn, src, lds, dst, ldd, false);
}

/** dst[c, r] += src[r, c], f32x4. */
export function transpose_acc_f32(R: i32, Cn: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  transposeF32(R, Cn, src, lds, dst, ldd, true);
}
