import { randBuf, copyBuf, maxErr } from "./util";
import { gemv_f32, gemv_ref } from "../gemv";
import { gemm_nn_ref } from "../gemm";

// (N, K): four-row blocks, leftover rows, K with and without a scalar tail, K < 4, and the LSTM step's shapes.
const SHAPES: i32[][] = [[1, 1], [3, 5], [4, 4], [5, 7], [8, 3], [13, 29], [512, 128], [74, 128], [247, 130]];

function check(N: i32, K: i32, pad: i32): f64 {
  const ldw = K + pad;
  const W = randBuf<f32>(N * ldw), x = randBuf<f32>(K);
  const y1 = randBuf<f32>(N), y2 = copyBuf<f32>(y1, N);
  gemv_f32(N, K, W, ldw, x, y1);
  gemv_ref<f32>(N, K, W, ldw, x, y2);
  // sums of K products of magnitude ≤ 1 with random signs: the error relative to √K
  return maxErr(y1, y2, N, Math.sqrt(<f64>K));
}

describe("gemv f32x4 (four rows per read of x) against the scalar reference", () => {
  it("y += W·x over padded and unpadded rows", () => {
    for (let s = 0; s < SHAPES.length; s++) for (let pad = 0; pad < 2; pad++) {
      expect<f64>(check(SHAPES[s][0], SHAPES[s][1], pad * 5)).toBeLessThan(2e-6);
    }
  });
  it("is the one-row case of x·Wᵀ (the product the batched step computes)", () => {
    const N = 37, K = 22;
    const W = randBuf<f32>(N * K), x = randBuf<f32>(K), WT = randBuf<f32>(K * N);
    for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) store<f32>(WT + (<usize>(k * N + n) << 2), load<f32>(W + (<usize>(n * K + k) << 2)));
    const y1 = randBuf<f32>(N), y2 = copyBuf<f32>(y1, N);
    gemv_f32(N, K, W, K, x, y1);
    gemm_nn_ref<f32>(1, N, K, x, K, WT, N, y2, N);
    expect<f64>(maxErr(y1, y2, N, Math.sqrt(<f64>K))).toBeLessThan(2e-6);
  });
  it("a hand-computed 2×3 case accumulates into y", () => {
    const W = randBuf<f32>(6), x = randBuf<f32>(3), y = randBuf<f32>(2);
    for (let i = 0; i < 6; i++) store<f32>(W + (<usize>i << 2), <f32>(i + 1)); // [[1 2 3] [4 5 6]]
    store<f32>(x, 1); store<f32>(x + 4, -1); store<f32>(x + 8, 2);
    store<f32>(y, 10); store<f32>(y + 4, 20);
    gemv_f32(2, 3, W, 3, x, y);
    expect<f32>(load<f32>(y)).toBe(15);     // 10 + 1 − 2 + 6
    expect<f32>(load<f32>(y + 4)).toBe(31); // 20 + 4 − 5 + 12
  });
});
