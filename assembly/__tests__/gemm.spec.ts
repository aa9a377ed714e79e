import { randBuf, copyBuf, maxErr } from "./util";
import { gemm_nn_f32, gemm_tn_f32, gemm_nt_f32, gemm_nn_ref, gemm_tn_ref, gemm_nt_ref, transpose, transpose_acc, transpose_f32, transpose_acc_f32 } from "../gemm";

// Shapes cover every path of the 4×8 block: full blocks, 4-wide and scalar
// column tails, single-row tails, K = 1, and padded leading dimensions.
// the last two span several 256×256 cache blocks (and packed panels of Aᵀ), with few rows and
// with many
const SHAPES: i32[][] = [[1, 1, 1], [3, 5, 7], [4, 8, 1], [7, 13, 9], [9, 12, 5], [33, 37, 29], [16, 64, 40], [5, 3, 64], [9, 300, 270], [131, 300, 270]];

function check(kind: i32, M: i32, N: i32, K: i32, pad: i32): f64 {
  // kind 0: nn, 1: tn, 2: nt
  const lda = (kind == 1 ? M : K) + pad, ldb = (kind == 2 ? K : N) + pad, ldc = N + pad;
  const A = randBuf<f32>((kind == 1 ? K : M) * lda);
  const B = randBuf<f32>((kind == 2 ? N : K) * ldb);
  const C1 = randBuf<f32>(M * ldc);
  const C2 = copyBuf<f32>(C1, M * ldc);
  const scratch = randBuf<f32>(N * K + 4);
  if (kind == 0) { gemm_nn_f32(M, N, K, A, lda, B, ldb, C1, ldc); gemm_nn_ref<f32>(M, N, K, A, lda, B, ldb, C2, ldc); }
  if (kind == 1) { gemm_tn_f32(M, N, K, A, lda, B, ldb, C1, ldc); gemm_tn_ref<f32>(M, N, K, A, lda, B, ldb, C2, ldc); }
  if (kind == 2) { gemm_nt_f32(M, N, K, A, lda, B, ldb, C1, ldc, scratch); gemm_nt_ref<f32>(M, N, K, A, lda, B, ldb, C2, ldc); }
  // entries are sums of K products of magnitude ≤ 1 with random signs, so of scale √K: the error relative to it
  return maxErr(C1, C2, M * ldc, Math.sqrt(<f64>max(K, 1)));
}

describe("gemm f32x4 4×8 against the scalar reference", () => {
  it("C += A·B", () => {
    for (let s = 0; s < SHAPES.length; s++) for (let pad = 0; pad < 2; pad++) {
      expect<f64>(check(0, SHAPES[s][0], SHAPES[s][1], SHAPES[s][2], pad * 3)).toBeLessThan(2e-6);
    }
  });
  it("C += Aᵀ·B", () => {
    for (let s = 0; s < SHAPES.length; s++) for (let pad = 0; pad < 2; pad++) {
      expect<f64>(check(1, SHAPES[s][0], SHAPES[s][1], SHAPES[s][2], pad * 3)).toBeLessThan(2e-6);
    }
  });
  it("C += A·Bᵀ", () => {
    for (let s = 0; s < SHAPES.length; s++) for (let pad = 0; pad < 2; pad++) {
      expect<f64>(check(2, SHAPES[s][0], SHAPES[s][1], SHAPES[s][2], pad * 3)).toBeLessThan(2e-6);
    }
  });
  it("a hand-computed 2×2 product accumulates into C", () => {
    const A = randBuf<f32>(4), B = randBuf<f32>(4), C = randBuf<f32>(4);
    store<f32>(A, 1); store<f32>(A + 4, 2); store<f32>(A + 8, 3); store<f32>(A + 12, 4);
    store<f32>(B, 5); store<f32>(B + 4, 6); store<f32>(B + 8, 7); store<f32>(B + 12, 8);
    for (let i = 0; i < 4; i++) store<f32>(C + (<usize>i << 2), 1);
    gemm_nn_f32(2, 2, 2, A, 2, B, 2, C, 2);
    expect<f32>(load<f32>(C)).toBe(20);      // 1 + 1·5 + 2·7
    expect<f32>(load<f32>(C + 4)).toBe(23);  // 1 + 1·6 + 2·8
    expect<f32>(load<f32>(C + 8)).toBe(44);  // 1 + 3·5 + 4·7
    expect<f32>(load<f32>(C + 12)).toBe(51); // 1 + 3·6 + 4·8
  });
  it("transpose and transpose_acc", () => {
    const R = 11, Cn = 19;
    const S = randBuf<f32>(R * Cn), D = randBuf<f32>(R * Cn), D0 = randBuf<f32>(R * Cn);
    transpose<f32>(R, Cn, S, Cn, D, R);
    let ok = true;
    for (let r = 0; r < R; r++) for (let c = 0; c < Cn; c++) {
      if (load<f32>(D + (<usize>(c * R + r) << <usize>2)) != load<f32>(S + (<usize>(r * Cn + c) << <usize>2))) ok = false;
    }
    expect<bool>(ok).toBe(true);
    const D1 = copyBuf<f32>(D0, R * Cn);
    transpose_acc<f32>(R, Cn, S, Cn, D0, R);
    let ok2 = true;
    for (let i = 0; i < R * Cn; i++) {
      const o = <usize>i << 2;
      if (load<f32>(D0 + o) != load<f32>(D1 + o) + load<f32>(D + o)) ok2 = false;
    }
    expect<bool>(ok2).toBe(true);
  });
  it("the f32x4 transposes match the scalar ones bit for bit (4×4 blocks, right and bottom edges, padded strides)", () => {
    const shapes: i32[] = [4, 4, 8, 12, 11, 19, 3, 9, 16, 5, 74, 128, 128, 74, 1, 7];
    let bad = 0;
    for (let s = 0; s < shapes.length; s += 2) {
      const R = shapes[s], Cn = shapes[s + 1], lds = Cn + 3, ldd = R + 5;
      const S = randBuf<f32>(R * lds), D = randBuf<f32>(Cn * ldd), E = copyBuf<f32>(D, Cn * ldd);
      transpose_f32(R, Cn, S, lds, D, ldd);
      transpose<f32>(R, Cn, S, lds, E, ldd);
      for (let i = 0; i < Cn * ldd; i++) if (load<u32>(D + (<usize>i << 2)) != load<u32>(E + (<usize>i << 2))) bad++;
      const F = randBuf<f32>(Cn * ldd), H = copyBuf<f32>(F, Cn * ldd);
      transpose_acc_f32(R, Cn, S, lds, F, ldd);
      transpose_acc<f32>(R, Cn, S, lds, H, ldd);
      for (let i = 0; i < Cn * ldd; i++) if (load<u32>(F + (<usize>i << 2)) != load<u32>(H + (<usize>i << 2))) bad++;
    }
    expect<i32>(bad).toBe(0);
  });
});
