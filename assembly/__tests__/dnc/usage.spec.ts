// usage and allocation: hand-worked cases, then the f32x4 kernels against the scalar reference at odd sizes.
import { randBuf, seed, rnd } from "../util";
import { alloc_fwd, usage_fwd } from "../../dnc/usage";
import { link_fwd, link_bwd } from "../../dnc/links";
import { read_fwd, read_bwd } from "../../dnc/read";
import { content_fwd, content_bwd } from "../../dnc/content";
import { write_fwd, write_bwd } from "../../dnc/write";
import { iface_fwd, iface_bwd } from "../../dnc/interface";
import { usage_bwd, alloc_bwd } from "../../dnc/usage";
import { xiSize, oF, oPi, oGa, oGw, oE, oV } from "../../dnc/common";
import { content_fwd_f32, content_bwd_f32 } from "../../dnc/content";
import { read_fwd_f32, read_bwd_f32 } from "../../dnc/read";
import { link_fwd_f32, link_bwd_f32 } from "../../dnc/links";
import { write_bwd_f32 } from "../../dnc/write";
import { usage_bwd_f32 } from "../../dnc/usage";
import { randBuf, copyBuf, maxErr, seed } from "../util";
import { write_fwd_f32, write_bwd_f32 } from "../../dnc/write";
import { iface_fwd_f32 } from "../../dnc/interface";
import { iface_fwd } from "../../dnc/interface";
import { usage_bwd } from "../../dnc/usage";
import { xiSize } from "../../dnc/common";
import { buf, at, zeros, allFinite, SIZES, wmax } from "./helpers";

describe("DNC usage and allocation: hand-worked cases", () => {
  it("allocation: usage [0.4, 0.6, 0.2, 0.5] → a = [0.12, 0.016, 0.8, 0.04]", () => {
    const u = buf([0.4, 0.6, 0.2, 0.5]), a = zeros(4), phi = heap.alloc(16);
    alloc_fwd<f64>(1, 4, u, a, phi, 0, 0);
    // sorted ascending: slot 2 (0.2), 0 (0.4), 3 (0.5), 1 (0.6)
    expect<i32>(load<i32>(phi)).toBe(2); expect<i32>(load<i32>(phi + 4)).toBe(0);
    expect<i32>(load<i32>(phi + 8)).toBe(3); expect<i32>(load<i32>(phi + 12)).toBe(1);
    const want: f64[] = [0.6 * 0.2, 0.4 * 0.2 * 0.4 * 0.5, 0.8, 0.5 * 0.2 * 0.4];
    for (let i = 0; i < 4; i++) expect<f64>(Math.abs(at(a, i) - want[i])).toBeLessThan(1e-5);
  });
  it("allocation: ties keep the lower index first; full memory allocates ~nothing", () => {
    const u = buf([0.3, 0.3, 1.0]), a = zeros(3), phi = heap.alloc(12);
    alloc_fwd<f64>(1, 3, u, a, phi, 0, 0);
    expect<i32>(load<i32>(phi)).toBe(0); expect<i32>(load<i32>(phi + 4)).toBe(1);
    expect<f64>(Math.abs(at(a, 0) - 0.7)).toBeLessThan(1e-5);
    expect<f64>(Math.abs(at(a, 1) - 0.7 * 0.3)).toBeLessThan(1e-5);
    expect<f64>(at(a, 2)).toBeLessThan(1e-5);
  });
  it("allocation in f32: usages that differ only by rounding but give equal û are ordered by index (the contract's key is û)", () => {
    // find two usages just below 1 whose û = ε + (1 − ε)·u round to the same f32
    const e = <f32>1e-6;
    let hi: f32 = 0, lo: f32 = 0;
    for (let k = 1; k < 4000000 && hi == 0; k++) { // (1 − ε) compresses: about one pair in 1/ε ulps
      const x = <f32>1 - <f32>k * <f32>5.9604645e-8, y = <f32>1 - <f32>(k + 1) * <f32>5.9604645e-8;
      if (e + (<f32>1 - e) * x == e + (<f32>1 - e) * y) { hi = x; lo = y; }
    }
    expect<bool>(hi > lo).toBe(true);
    // slot 0 holds the larger usage: sorting u would put slot 1 first, sorting û ties them and keeps slot 0 first
    const u = randBuf<f32>(3), a = randBuf<f32>(3), phi = heap.alloc(12);
    store<f32>(u, hi); store<f32>(u + 4, lo); store<f32>(u + 8, 0.5);
    alloc_fwd<f32>(1, 3, u, a, phi, 0, 0);
    expect<i32>(load<i32>(phi)).toBe(2); expect<i32>(load<i32>(phi + 4)).toBe(0); expect<i32>(load<i32>(phi + 8)).toBe(1);
  });
  it("allocation: the order is the same from any starting permutation (the previous step's)", () => {
    const u = buf([0.3, 0.3, 1.0, 0.1, 0.3]), a = zeros(5), phi = heap.alloc(20), start = heap.alloc(20);
    for (let j = 0; j < 5; j++) store<i32>(start + (<usize>j << 2), 4 - j);
    alloc_fwd<f64>(1, 5, u, a, phi, 0, start);
    const want: i32[] = [3, 0, 1, 4, 2]; // by usage, ties by index
    for (let j = 0; j < 5; j++) expect<i32>(load<i32>(phi + (<usize>j << 2))).toBe(want[j]);
    // random usages with many ties, random starting permutations
    seed(3);
    const N = 23, u2 = zeros(N), a1 = zeros(N), a2 = zeros(N), p1 = heap.alloc(N * 4), p2 = heap.alloc(N * 4), st = heap.alloc(N * 4);
    for (let trial = 0; trial < 50; trial++) {
      for (let j = 0; j < N; j++) { store<f64>(u2 + (<usize>j << 3), <f64>(<i32>rnd(0, 5)) / 4); store<i32>(st + (<usize>j << 2), j); }
      for (let j = N - 1; j > 0; j--) { // Fisher–Yates
        const r = <i32>rnd(0, <f64>(j + 1)), t = load<i32>(st + (<usize>j << 2));
        store<i32>(st + (<usize>j << 2), load<i32>(st + (<usize>r << 2))); store<i32>(st + (<usize>r << 2), t);
      }
      alloc_fwd<f64>(1, N, u2, a1, p1, 0, 0);
      alloc_fwd<f64>(1, N, u2, a2, p2, 0, st);
      for (let j = 0; j < N; j++) expect<i32>(load<i32>(p2 + (<usize>j << 2))).toBe(load<i32>(p1 + (<usize>j << 2)));
    }
  });
  it("usage: freed after a read with free gate 1, kept by a write", () => {
    // u' = [0.5, 0], w^w' = [0.5, 1], one head: f = 1, w^r' = [1, 0]  →  ψ = [0, 1], u = [0, 1]
    const R = 1, W = 1, X = xiSize(R, W);
    const xi = zeros(X); store<f64>(xi + (<usize>oF(R, W) << 3), 1);
    const u = zeros(2);
    usage_fwd<f64>(1, 2, R, W, buf([0.5, 0]), buf([0.5, 1]), buf([1, 0]), xi, X, u);
    expect<f64>(at(u, 0)).toBe(0);
    expect<f64>(at(u, 1)).toBe(1);
  });
});

describe("DNC usage and allocation: the f32x4 version against the reference", () => {
  it("usage backward", () => {
    seed(9);
    for (let s = 0; s < SIZES.length; s++) {
      const B = SIZES[s][0], N = SIZES[s][1], W = SIZES[s][2], R = SIZES[s][3], X = xiSize(R, W);
      const xi = randBuf<f32>(B * X, 0, 1), up = randBuf<f32>(B * N, 0, 1), wwp = randBuf<f32>(B * N, 0, 0.5), wrp = randBuf<f32>(B * R * N, 0, 0.5);
      const du = randBuf<f32>(B * N);
      const a1 = randBuf<f32>(B * N), a2 = copyBuf<f32>(a1, B * N), b1 = randBuf<f32>(B * N), b2 = copyBuf<f32>(b1, B * N);
      const c1 = randBuf<f32>(B * R * N), c2 = copyBuf<f32>(c1, B * R * N), x1 = randBuf<f32>(B * X), x2 = copyBuf<f32>(x1, B * X);
      usage_bwd_f32(B, N, R, W, up, wwp, wrp, xi, X, du, a1, b1, c1, x1);
      usage_bwd<f32>(B, N, R, W, up, wwp, wrp, xi, X, du, a2, b2, c2, x2);
      expect<f64>(maxErr(a1, a2, B * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(b1, b2, B * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(c1, c2, B * R * N, 1e-2)).toBeLessThan(1e-5);
      expect<f64>(maxErr(x1, x2, B * X, 1e-2)).toBeLessThan(1e-5);
    }
  });
});
