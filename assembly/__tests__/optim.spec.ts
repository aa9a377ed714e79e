import { randBuf, copyBuf, maxErr } from "./util";
import * as O from "../optim";

const N = 103; // not a multiple of 4

describe("optimisers and the clipping norm against scalar references", () => {
  it("sgd", () => {
    const p1 = randBuf<f32>(N), p2 = copyBuf<f32>(p1, N), g = randBuf<f32>(N);
    O.sgd_f32(N, p1, g, 0.1, 0.5); O.sgd_ref<f32>(N, p2, g, 0.1, 0.5);
    expect<f64>(maxErr(p1, p2, N, 1e-6)).toBeLessThan(1e-6);
  });
  it("adagrad", () => {
    const p1 = randBuf<f32>(N), p2 = copyBuf<f32>(p1, N), g = randBuf<f32>(N);
    const m1 = randBuf<f32>(N, 0, 1), m2 = copyBuf<f32>(m1, N);
    for (let s = 0; s < 3; s++) { O.adagrad_f32(N, p1, g, m1, 0.1, 1e-8, 0.7); O.adagrad_ref<f32>(N, p2, g, m2, 0.1, 1e-8, 0.7); }
    expect<f64>(maxErr(p1, p2, N, 1e-6)).toBeLessThan(1e-5);
    expect<f64>(maxErr(m1, m2, N, 1e-6)).toBeLessThan(1e-5);
  });
  it("rmsprop with momentum", () => {
    const p1 = randBuf<f32>(N), p2 = copyBuf<f32>(p1, N), g = randBuf<f32>(N);
    const a1 = randBuf<f32>(N, 0, 1), a2 = copyBuf<f32>(a1, N), b1 = randBuf<f32>(N), b2 = copyBuf<f32>(b1, N);
    for (let s = 0; s < 3; s++) {
      O.rmsprop_f32(N, p1, g, a1, b1, 1e-3, 0.9, 0.9, 1e-10, 1);
      O.rmsprop_ref<f32>(N, p2, g, a2, b2, 1e-3, 0.9, 0.9, 1e-10, 1);
    }
    expect<f64>(maxErr(p1, p2, N, 1e-6)).toBeLessThan(1e-5);
    expect<f64>(maxErr(b1, b2, N, 1e-6)).toBeLessThan(1e-5);
  });
  it("adam", () => {
    const p1 = randBuf<f32>(N), p2 = copyBuf<f32>(p1, N), g = randBuf<f32>(N);
    const m1 = randBuf<f32>(N), m2 = copyBuf<f32>(m1, N), v1 = randBuf<f32>(N, 0, 1), v2 = copyBuf<f32>(v1, N);
    for (let s = 0; s < 3; s++) {
      O.adam_f32(N, p1, g, m1, v1, 2e-3, 0.9, 0.999, 3.0, 1e-8, 0.9);
      O.adam_ref<f32>(N, p2, g, m2, v2, 2e-3, 0.9, 0.999, 3.0, 1e-8, 0.9);
    }
    expect<f64>(maxErr(p1, p2, N, 1e-6)).toBeLessThan(1e-5);
    expect<f64>(maxErr(v1, v2, N, 1e-6)).toBeLessThan(1e-5);
  });
  it("sum of squares", () => {
    const g = randBuf<f32>(N);
    const a = O.sumsq_f32(N, g), b = O.sumsq_ref<f32>(N, g);
    expect<f64>(Math.abs(a - b) / b).toBeLessThan(1e-12);
  });
});
