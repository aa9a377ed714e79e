// masked content addressing: a hand-worked case, then the f32x4 kernels against the scalar reference at odd sizes.
import { randBuf, copyBuf, maxErr, same, seed } from "../util";
import { mask_fwd, mask_bwd, mask_iface_fwd, mask_iface_bwd, mask_fwd_f32, mask_bwd_f32, mask_iface_fwd_f32 } from "../../dnc/mask";
import { content_fwd } from "../../dnc/content";
import { xiSize } from "../../dnc/common";
import { buf, at, zeros, SIZES } from "./helpers";

describe("DNC masked content addressing: hand-worked cases", () => {
  it("a mask on the name's columns finds the row whose name matches, whatever its value", () => {
    // rows are [name, value]; the key holds the name of row 1 and a wrong value
    const N = 3, W = 2;
    const M = buf([1, 5, -1, 3, 0.2, -4]), k = buf([-1, -4]), beta = buf([20]), s = buf([1, 0]);
    const c = zeros(N), Mm = zeros(N * W), km = zeros(W);
    content_fwd<f64>(1, 1, N, W, M, k, W, beta, 1, c, N);
    expect<f64>(at(c, 1)).toBeLessThan(0.5); // unmasked, the value decides: row 2 (0.2, −4) is closer
    mask_fwd<f64>(1, N, W, M, N * W, s, W, Mm, N * W);
    mask_fwd<f64>(1, 1, W, k, W, s, W, km, W);
    expect<f64>(at(Mm, 2)).toBe(-1);
    expect<f64>(at(Mm, 3)).toBe(0);
    content_fwd<f64>(1, 1, N, W, Mm, km, W, beta, 1, c, N);
    expect<f64>(at(c, 1)).toBeGreaterThan(0.999);
  });

  it("the backward by hand: dx = dy∘s, ds = Σ_n dy[n]∘x[n]", () => {
    const x = buf([1, 2, 3, 4]), s = buf([0.5, 0.25]), dy = buf([1, -1, 2, 3]);
    const dx = zeros(4), ds = zeros(2);
    mask_bwd<f64>(1, 2, 2, x, 4, s, 2, dy, 4, dx, ds);
    expect<f64>(at(dx, 0)).toBe(0.5); expect<f64>(at(dx, 1)).toBe(-0.25);
    expect<f64>(at(dx, 2)).toBe(1); expect<f64>(at(dx, 3)).toBe(0.75);
    expect<f64>(at(ds, 0)).toBe(1 * 1 + 2 * 3);
    expect<f64>(at(ds, 1)).toBe(-1 * 2 + 3 * 4);
  });

  it("the masks' squash is σ on the (R+1)·W entries after ξ and leaves ξ alone", () => {
    const R = 2, W = 3, X = xiSize(R, W), n = X + (R + 1) * W;
    const raw = randBuf<f64>(n, -3, 3), xi = zeros(n);
    mask_iface_fwd<f64>(1, R, W, raw, xi, n);
    for (let j = 0; j < X; j++) expect<f64>(at(xi, j)).toBe(0);
    for (let j = X; j < n; j++) expect<f64>(Math.abs(at(xi, j) - 1 / (1 + Math.exp(-at(raw, j))))).toBeLessThan(1e-15);
    const dxi = randBuf<f64>(n), draw = zeros(n);
    mask_iface_bwd<f64>(1, R, W, xi, dxi, draw, n);
    for (let j = X; j < n; j++) {
      const v = at(xi, j);
      expect<f64>(Math.abs(at(draw, j) - at(dxi, j) * v * (1 - v))).toBeLessThan(1e-15);
    }
  });
});

describe("DNC masked content addressing: the f32x4 version against the reference", () => {
  it("masked rows, forward and backward, with row strides wider than the rows", () => {
    seed(11);
    for (let z = 0; z < SIZES.length; z++) {
      const B = SIZES[z][0], N = SIZES[z][1], W = SIZES[z][2];
      const ldx = N * W + 3, lds = W + 5, ldy = N * W + 1;
      const x = randBuf<f32>(B * ldx, -2, 2), s = randBuf<f32>(B * lds, 0, 1);
      const y1 = randBuf<f32>(B * ldy), y2 = copyBuf<f32>(y1, B * ldy);
      mask_fwd_f32(B, N, W, x, ldx, s, lds, y1, ldy);
      mask_fwd<f32>(B, N, W, x, ldx, s, lds, y2, ldy);
      expect<bool>(same(y1, y2, B * ldy)).toBe(true); // one rounding of the same product
      const dy = randBuf<f32>(B * ldy, -3, 3);
      const dx1 = randBuf<f32>(B * ldx), dx2 = copyBuf<f32>(dx1, B * ldx);
      const ds1 = randBuf<f32>(B * lds), ds2 = copyBuf<f32>(ds1, B * lds);
      mask_bwd_f32(B, N, W, x, ldx, s, lds, dy, ldy, dx1, ds1);
      mask_bwd<f32>(B, N, W, x, ldx, s, lds, dy, ldy, dx2, ds2);
      expect<f64>(maxErr(dx1, dx2, B * ldx, 1e-3)).toBeLessThan(1e-5);
      expect<f64>(maxErr(ds1, ds2, B * lds, 1e-3)).toBeLessThan(1e-5);
    }
  });

  it("the masks' squash", () => {
    seed(12);
    for (let z = 0; z < SIZES.length; z++) {
      const B = SIZES[z][0], W = SIZES[z][2], R = SIZES[z][3], ld = xiSize(R, W) + (R + 1) * W + 2;
      const raw = randBuf<f32>(B * ld, -20, 20);
      const a = randBuf<f32>(B * ld), b = copyBuf<f32>(a, B * ld);
      mask_iface_fwd_f32(B, R, W, raw, a, ld);
      mask_iface_fwd<f32>(B, R, W, raw, b, ld);
      expect<f64>(maxErr(a, b, B * ld, 1e-6)).toBeLessThan(1e-6);
    }
  });

  it("saturates instead of overflowing", () => {
    const N = 3, W = 5;
    const x = randBuf<f32>(N * W, 1, 1), s = randBuf<f32>(W, 1, 1), dy = randBuf<f32>(N * W, 3e38, 3e38);
    const dx = randBuf<f32>(N * W, 3e38, 3e38), ds = randBuf<f32>(W, 0, 0);
    mask_bwd_f32(1, N, W, x, N * W, s, W, dy, N * W, dx, ds);
    for (let j = 0; j < N * W; j++) expect<f32>(load<f32>(dx + (<usize>j << 2))).toBe(f32.MAX_VALUE);
    for (let j = 0; j < W; j++) expect<f32>(load<f32>(ds + (<usize>j << 2))).toBe(f32.MAX_VALUE);
  });
});
