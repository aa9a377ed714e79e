import { randBuf, copyBuf, idsBuf, maxErr } from "./util";
import { xent_f32, xent_ref, xent_rows_ref, softmax_f32, softmax_ref, sample_ref } from "../softmax";

describe("softmax + cross-entropy against the scalar reference", () => {
  it("loss and gradient, odd vocabulary sizes", () => {
    const Vs: i32[] = [2, 3, 5, 17, 65, 83];
    for (let k = 0; k < Vs.length; k++) {
      const R = 9, V = Vs[k], ld = V + 2;
      const y1 = randBuf<f32>(R * ld, -8, 8), y2 = copyBuf<f32>(y1, R * ld);
      const t = idsBuf(R, V);
      const l1 = xent_f32(R, V, y1, ld, t, 0.25, 1);
      const l2 = xent_ref<f32>(R, V, y2, ld, t, 0.25, 1);
      expect<f64>(Math.abs(l1 - l2) / l2).toBeLessThan(1e-6);
      // atol 0.01 against gradients of size ≤ scale = 0.25: absolute error below 1e-7
      expect<f64>(maxErr(y1, y2, R * ld, 0.01)).toBeLessThan(1e-5);
    }
  });
  it("forward-only leaves logits untouched and agrees", () => {
    const R = 4, V = 37;
    const y = randBuf<f32>(R * V, -3, 3), y0 = copyBuf<f32>(y, R * V), t = idsBuf(R, V);
    const l1 = xent_f32(R, V, y, V, t, 1, 0);
    const l2 = xent_ref<f32>(R, V, y0, V, t, 1, 0);
    expect<f64>(maxErr(y, y0, R * V, 0)).toBe(0);
    expect<f64>(Math.abs(l1 - l2) / l2).toBeLessThan(1e-6);
  });
  it("stays finite for extreme logits (no log(0))", () => {
    const V = 6;
    const y = randBuf<f32>(V), t = idsBuf(1, V);
    store<i32>(t, 1);
    store<f32>(y, 1e30); store<f32>(y + 4, -1e30);
    const l = xent_f32(1, V, y, V, t, 1, 1);
    expect<bool>(isFinite(l)).toBe(true);
    expect<bool>(l > 1e29).toBe(true);
  });
  it("softmax with temperature, and sampling by the cumulative sum", () => {
    const R = 3, V = 23;
    const y1 = randBuf<f32>(R * V, -4, 4), y2 = copyBuf<f32>(y1, R * V);
    softmax_f32(R, V, y1, V, 0.7); softmax_ref<f32>(R, V, y2, V, 0.7);
    expect<f64>(maxErr(y1, y2, R * V, 1e-7)).toBeLessThan(1e-5);
    const p = randBuf<f32>(4);
    store<f32>(p, 0.25); store<f32>(p + 4, 0.25); store<f32>(p + 8, 0.5); store<f32>(p + 12, 0);
    expect<i32>(sample_ref<f32>(4, p, 0.0)).toBe(0);
    expect<i32>(sample_ref<f32>(4, p, 0.3)).toBe(1);
    expect<i32>(sample_ref<f32>(4, p, 0.99)).toBe(2);
  });
  it("per-row loss and argmax: a hand-worked case, and the rows sum to xent", () => {
    // row 0: logits [0, ln 3], target 1 → p = 3/4, loss ln(4/3), the maximum
    // row 1: logits [2, 2, 0], target 1 → a tie goes to the first maximum (id 0), loss ln(2 + e⁻²)
    const y = randBuf<f64>(6), t = idsBuf(2, 2), out = randBuf<f64>(4);
    store<f64>(y, 0); store<f64>(y + 8, Math.log(3)); store<f64>(y + 16, 0);
    store<f64>(y + 24, 2); store<f64>(y + 32, 2); store<f64>(y + 40, 0);
    store<i32>(t, 1); store<i32>(t + 4, 1);
    xent_rows_ref<f64>(1, 2, y, 3, t, out);
    expect<f64>(Math.abs(load<f64>(out) - Math.log(4.0 / 3.0))).toBeLessThan(1e-15);
    expect<f64>(load<f64>(out + 8)).toBe(1);
    xent_rows_ref<f64>(1, 3, y + 24, 3, t + 4, out + 16);
    expect<f64>(Math.abs(load<f64>(out + 16) - Math.log(2 + Math.exp(-2)))).toBeLessThan(1e-15);
    expect<f64>(load<f64>(out + 24)).toBe(0);
    const R = 7, V = 29;
    const z = randBuf<f32>(R * V, -5, 5), ids = idsBuf(R, V), o = randBuf<f32>(2 * R);
    xent_rows_ref<f32>(R, V, z, V, ids, o);
    let sum: f64 = 0;
    for (let r = 0; r < R; r++) sum += <f64>load<f32>(o + <usize>(8 * r));
    const l = xent_ref<f32>(R, V, z, V, ids, 1, 0);
    expect<f64>(Math.abs(sum - l) / l).toBeLessThan(1e-6);
  });
});
