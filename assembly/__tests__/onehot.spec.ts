import { randBuf, copyBuf, idsBuf, maxErr, same } from "./util";
import { onehot_fwd_f32, onehot_bwd_f32, onehot_fwd_ref, onehot_bwd_ref } from "../onehot";
import { rows_set_f32, colsum_acc_f32, rows_set_ref, colsum_acc_ref, axpy_f32, axpy_ref } from "../rows";

describe("one-hot gather / scatter-add and row helpers against scalar references", () => {
  it("gather with bias, odd widths and padded strides", () => {
    const Ws: i32[] = [1, 3, 4, 13, 37];
    for (let k = 0; k < Ws.length; k++) {
      const W = Ws[k], R = 23, V = 11, ldw = W + 2, ldo = W + 5;
      const ids = idsBuf(R, V), WT = randBuf<f32>(V * ldw), b = randBuf<f32>(W);
      const o1 = randBuf<f32>(R * ldo), o2 = copyBuf<f32>(o1, R * ldo);
      onehot_fwd_f32(R, W, ids, WT, ldw, b, o1, ldo);
      onehot_fwd_ref<f32>(R, W, ids, WT, ldw, b, o2, ldo);
      expect<bool>(same(o1, o2, R * ldo)).toBe(true);
    }
  });
  it("scatter-add into rows of dWᵀ and the bias gradient", () => {
    const Ws: i32[] = [1, 5, 8, 29];
    for (let k = 0; k < Ws.length; k++) {
      const W = Ws[k], R = 31, V = 7, ldw = W + 1, ldo = W + 3;
      const ids = idsBuf(R, V), d = randBuf<f32>(R * ldo);
      const g1 = randBuf<f32>(V * ldw), g2 = copyBuf<f32>(g1, V * ldw);
      const b1 = randBuf<f32>(W), b2 = copyBuf<f32>(b1, W);
      onehot_bwd_f32(R, W, ids, d, ldo, g1, ldw, b1);
      onehot_bwd_ref<f32>(R, W, ids, d, ldo, g2, ldw, b2);
      expect<bool>(same(g1, g2, V * ldw)).toBe(true);
      expect<bool>(same(b1, b2, W)).toBe(true);
    }
  });
  it("rows_set and colsum_acc", () => {
    const R = 17, W = 23, ld = 26;
    const b = randBuf<f32>(W), o1 = randBuf<f32>(R * ld), o2 = copyBuf<f32>(o1, R * ld);
    rows_set_f32(R, W, b, o1, ld); rows_set_ref<f32>(R, W, b, o2, ld);
    expect<bool>(same(o1, o2, R * ld)).toBe(true);
    const s1 = randBuf<f32>(W), s2 = copyBuf<f32>(s1, W);
    colsum_acc_f32(R, W, o1, ld, s1); colsum_acc_ref<f32>(R, W, o1, ld, s2);
    expect<f64>(maxErr(s1, s2, W, 1)).toBeLessThan(1e-6);
  });
  it("axpy", () => {
    const n = 37, x = randBuf<f32>(n), y1 = randBuf<f32>(n), y2 = copyBuf<f32>(y1, n);
    axpy_f32(n, 0.37, x, y1); axpy_ref<f32>(n, 0.37, x, y2);
    expect<bool>(same(y1, y2, n)).toBe(true);
  });
});
