// de-allocation that erases: hand-worked cases, then the f32x4 row scaling against the scalar reference at odd sizes.
import { randBuf, copyBuf, maxErr, same, seed } from "../util";
import { retention_fwd, retention_bwd, rowscale_fwd, rowscale_bwd, rowscale_fwd_f32, rowscale_bwd_f32 } from "../../dnc/dealloc";
import { usage_fwd } from "../../dnc/usage";
import { xiSize, oF } from "../../dnc/common";
import { buf, at, zeros, SIZES } from "./helpers";

describe("DNC de-allocation: hand-worked cases", () => {
  it("ψ is the usage's retention: a slot read with its free gate open is erased, the others kept", () => {
    // R = 2, W = 1, N = 3: head 0 read slot 1 fully with f = 1; head 1 read slot 2 by half with f = 0.5
    const R = 2, W = 1, N = 3, X = xiSize(R, W);
    const xi = zeros(X);
    store<f64>(xi + (<usize>oF(R, W) << 3), 1); store<f64>(xi + (<usize>(oF(R, W) + 1) << 3), 0.5);
    const wr = buf([0, 1, 0, 0, 0, 0.5]), psi = zeros(N);
    retention_fwd<f64>(1, N, R, W, wr, xi, X, psi);
    expect<f64>(at(psi, 0)).toBe(1); expect<f64>(at(psi, 1)).toBe(0); expect<f64>(at(psi, 2)).toBe(0.75);
    // the same ψ the usage applies: from u_{t−1} = 1 and no write, u_t = ψ
    const ones = buf([1, 1, 1]), none = zeros(N), u = zeros(N);
    usage_fwd<f64>(1, N, R, W, ones, none, wr, xi, X, u);
    for (let n = 0; n < N; n++) expect<f64>(at(u, n)).toBe(at(psi, n));
    const M = buf([1, 2, 3, 4, 5, 6]), Mr = zeros(6);
    rowscale_fwd<f64>(1, N, 2, psi, M, Mr);
    expect<f64>(at(Mr, 0)).toBe(1); expect<f64>(at(Mr, 1)).toBe(2);
    expect<f64>(at(Mr, 2)).toBe(0); expect<f64>(at(Mr, 3)).toBe(0);
    expect<f64>(at(Mr, 4)).toBe(3.75); expect<f64>(at(Mr, 5)).toBe(4.5);
  });

  it("the backward by hand", () => {
    // rows: dx = ψ dy, dψ = dy·x
    const psi = buf([0.5, 2]), x = buf([1, 2, 3, 4]), dy = buf([1, -1, 2, 1]), dx = zeros(4), dpsi = zeros(2);
    rowscale_bwd<f64>(1, 2, 2, psi, x, dy, dx, dpsi);
    expect<f64>(at(dx, 0)).toBe(0.5); expect<f64>(at(dx, 1)).toBe(-0.5); expect<f64>(at(dx, 2)).toBe(4); expect<f64>(at(dx, 3)).toBe(2);
    expect<f64>(at(dpsi, 0)).toBe(-1); expect<f64>(at(dpsi, 1)).toBe(10);
    // retention: ψ = (1 − f0 w0)(1 − f1 w1) with f = (0.5, 0.25), w = (0.4, 0.8) at one slot
    const R = 2, W = 1, X = xiSize(R, W), xi = zeros(X), dxi = zeros(X);
    store<f64>(xi + (<usize>oF(R, W) << 3), 0.5); store<f64>(xi + (<usize>(oF(R, W) + 1) << 3), 0.25);
    const wr = buf([0.4, 0.8]), g = buf([1]), dwr = zeros(2);
    retention_bwd<f64>(1, 1, R, W, wr, xi, X, g, dwr, dxi);
    expect<f64>(Math.abs(at(dwr, 0) - -0.5 * 0.8)).toBeLessThan(1e-15);   // −f0 (1 − f1 w1)
    expect<f64>(Math.abs(at(dwr, 1) - -0.25 * 0.8)).toBeLessThan(1e-15);  // −f1 (1 − f0 w0)
    expect<f64>(Math.abs(at(dxi, oF(R, W)) - -0.4 * 0.8)).toBeLessThan(1e-15);
    expect<f64>(Math.abs(at(dxi, oF(R, W) + 1) - -0.8 * 0.8)).toBeLessThan(1e-15);
  });
});

describe("DNC de-allocation: the f32x4 version against the reference", () => {
  it("row scaling, forward and backward", () => {
    seed(13);
    for (let z = 0; z < SIZES.length; z++) {
      const B = SIZES[z][0], N = SIZES[z][1], W = SIZES[z][2];
      const psi = randBuf<f32>(B * N, 0, 1), x = randBuf<f32>(B * N * W, -2, 2);
      const y1 = randBuf<f32>(B * N * W), y2 = copyBuf<f32>(y1, B * N * W);
      rowscale_fwd_f32(B, N, W, psi, x, y1);
      rowscale_fwd<f32>(B, N, W, psi, x, y2);
      expect<bool>(same(y1, y2, B * N * W)).toBe(true);
      const dy = randBuf<f32>(B * N * W, -3, 3);
      const dx1 = randBuf<f32>(B * N * W), dx2 = copyBuf<f32>(dx1, B * N * W);
      const dp1 = randBuf<f32>(B * N), dp2 = copyBuf<f32>(dp1, B * N);
      rowscale_bwd_f32(B, N, W, psi, x, dy, dx1, dp1);
      rowscale_bwd<f32>(B, N, W, psi, x, dy, dx2, dp2);
      expect<f64>(maxErr(dx1, dx2, B * N * W, 1e-3)).toBeLessThan(1e-5);
      expect<f64>(maxErr(dp1, dp2, B * N, 1e-3)).toBeLessThan(1e-5);
    }
  });

  it("saturates instead of overflowing", () => {
    const N = 3, W = 5;
    const psi = randBuf<f32>(N, 1, 1), x = randBuf<f32>(N * W, 1, 1), dy = randBuf<f32>(N * W, 3e38, 3e38);
    const dx = randBuf<f32>(N * W, 3e38, 3e38), dp = randBuf<f32>(N, 0, 0);
    rowscale_bwd_f32(1, N, W, psi, x, dy, dx, dp);
    for (let j = 0; j < N * W; j++) expect<f32>(load<f32>(dx + (<usize>j << 2))).toBe(f32.MAX_VALUE);
    for (let j = 0; j < N; j++) expect<f32>(load<f32>(dp + (<usize>j << 2))).toBe(f32.MAX_VALUE);
  });
});
