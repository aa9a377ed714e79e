import { randBuf, seed, rnd } from "./util";
import { alloc_fwd, usage_fwd } from "../dnc/usage";
import { link_fwd, link_bwd } from "../dnc/links";
import { read_fwd, read_bwd } from "../dnc/read";
import { content_fwd, content_bwd } from "../dnc/content";
import { write_fwd, write_bwd } from "../dnc/write";
import { iface_fwd, iface_bwd } from "../dnc/interface";
import { usage_bwd, alloc_bwd } from "../dnc/usage";
import { xiSize, oF, oPi, oGa, oGw, oE, oV } from "../dnc/common";
import { content_fwd_f32, content_bwd_f32 } from "../dnc/content";
import { read_fwd_f32, read_bwd_f32 } from "../dnc/read";
import { link_fwd_f32, link_bwd_f32 } from "../dnc/links";
import { write_bwd_f32 } from "../dnc/write";
import { usage_bwd_f32 } from "../dnc/usage";

let GMAX: f64 = 1;

function buf(vals: f64[]): usize {
  const p = randBuf<f64>(vals.length + 1);
  for (let i = 0; i < vals.length; i++) store<f64>(p + (<usize>i << 3), vals[i]);
  return p;
}
function at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
function zeros(n: i32): usize { const p = randBuf<f64>(n + 1); memory.fill(p, 0, <usize>(n + 1) << 3); return p; }
function allFinite(p: usize, n: i32): bool { for (let i = 0; i < n; i++) if (!isFinite(at(p, i))) return false; return true; }

describe("DNC memory: hand-worked cases", () => {
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
  it("links and precedence", () => {
    // w = [0.5, 0.3, 0], L' = 0, p' = [0.2, 0.1, 0.3]
    const N = 3, w = buf([0.5, 0.3, 0]), L0 = zeros(9), p0 = buf([0.2, 0.1, 0.3]), L = zeros(9), p = zeros(3);
    link_fwd<f64>(1, N, w, L0, p0, L, p);
    const want: f64[] = [0, 0.05, 0.15, 0.06, 0, 0.09, 0, 0, 0];
    for (let i = 0; i < 9; i++) expect<f64>(Math.abs(at(L, i) - want[i])).toBeLessThan(1e-15);
    const wp: f64[] = [0.54, 0.32, 0.06];
    for (let i = 0; i < 3; i++) expect<f64>(Math.abs(at(p, i) - wp[i])).toBeLessThan(1e-15);
    // second step: w = [0, 0, 1] decays every link into slot 2's row and column
    const w2 = buf([0, 0, 1]), L2 = zeros(9), p2 = zeros(3);
    link_fwd<f64>(1, N, w2, L, p, L2, p2);
    // L2[i,j] = (1 − w_i − w_j) L[i,j] + w_i p[j]
    expect<f64>(Math.abs(at(L2, 1) - 0.05)).toBeLessThan(1e-15);      // [0,1] untouched
    expect<f64>(Math.abs(at(L2, 2) - 0)).toBeLessThan(1e-15);         // [0,2]: (1 − 0 − 1)·0.15
    expect<f64>(Math.abs(at(L2, 6) - 0.54)).toBeLessThan(1e-15);      // [2,0] = p[0]: 2 written after 0
    expect<f64>(Math.abs(at(L2, 7) - 0.32)).toBeLessThan(1e-15);
    expect<f64>(at(L2, 8)).toBe(0);                                   // diagonal
    expect<f64>(Math.abs(at(p2, 2) - 1)).toBeLessThan(1e-15);         // (1 − 1)·p + w
  });
  it("directional reads follow the links forward and backward", () => {
    // slots written in order 0 → 1 → 2: L[1,0] = L[2,1] = 1; read head at slot 1
    const N = 3, W = 2, R = 1, X = xiSize(R, W);
    const L = zeros(9); store<f64>(L + (<usize>3 << 3), 1); store<f64>(L + (<usize>7 << 3), 1);
    const M = buf([1, 2, 3, 4, 5, 6]);
    const wrp = buf([0, 1, 0]), cr = buf([0.2, 0.3, 0.5]);
    const fw = zeros(3), bw = zeros(3), wr = zeros(3), r = zeros(2);
    for (let mode = 0; mode < 3; mode++) {
      const xi = zeros(X);
      store<f64>(xi + (<usize>(oPi(R, W) + mode) << 3), 1); // π = one-hot(mode): backward, content, forward
      read_fwd<f64>(1, N, W, R, L, wrp, M, cr, xi, X, fw, bw, wr, r);
      expect<f64>(at(fw, 2)).toBe(1); expect<f64>(at(fw, 0)).toBe(0); // forward: the slot written after 1
      expect<f64>(at(bw, 0)).toBe(1); expect<f64>(at(bw, 2)).toBe(0); // backward: the slot written before 1
      if (mode == 0) { expect<f64>(at(r, 0)).toBe(1); expect<f64>(at(r, 1)).toBe(2); }
      if (mode == 2) { expect<f64>(at(r, 0)).toBe(5); expect<f64>(at(r, 1)).toBe(6); }
      if (mode == 1) expect<f64>(Math.abs(at(r, 0) - (0.2 * 1 + 0.3 * 3 + 0.5 * 5))).toBeLessThan(1e-12);
    }
  });
  it("content weighting: a key equal to a row with a strong strength picks that row; zero memory is uniform", () => {
    const N = 3, W = 2;
    const M = buf([1, 0, 0, 1, -1, 0]), k = buf([0, 2]), beta = buf([50]), c = zeros(3);
    content_fwd<f64>(1, 1, N, W, M, k, W, beta, 1, c, N);
    expect<f64>(at(c, 1)).toBeGreaterThan(0.999);
    const Z = zeros(6);
    content_fwd<f64>(1, 1, N, W, Z, k, W, beta, 1, c, N);
    for (let n = 0; n < 3; n++) expect<f64>(Math.abs(at(c, n) - 1.0 / 3)).toBeLessThan(1e-12);
  });
});

describe("DNC memory: every output finite for extreme inputs", () => {
  it("zero memory, identical rows, huge strengths, saturated gates, f32", () => {
    seed(99);
    const B = 2, N = 6, W = 4, R = 5, X = xiSize(R, W); // five heads: the f32x4 read backward's four-head and one-head paths
    const ext: f64[] = [0, 1e30, -1e30, 80, -80, 1e-30, 3.4e38, -3.4e38];
    for (let trial = 0; trial < 120; trial++) {
      const raw = randBuf<f32>(B * X), xi = randBuf<f32>(B * X);
      for (let i = 0; i < B * X; i++) store<f32>(raw + (<usize>i << 2), <f32>ext[<i32>rnd(0, 8) % 8]);
      // the write vector v is the one piece with no squashing: memory holds what is written, so
      // keep v (and so M) within a range whose sums stay finite in f32; everything else is extreme
      for (let b = 0; b < B; b++) for (let j = 0; j < W; j++) store<f32>(raw + (<usize>(b * X + oV(R, W) + j) << 2), <f32>rnd(-1e3, 1e3));
      iface_fwd<f32>(B, R, W, raw, xi, X);
      const Mp = randBuf<f32>(B * N * W, -1, 1);
      if (trial % 3 == 0) memory.fill(Mp, 0, <usize>(B * N * W) << 2);              // zero memory
      if (trial % 3 == 1) for (let i = 0; i < B * N * W; i++) store<f32>(Mp + (<usize>i << 2), <f32>(i % W)); // identical rows
      const up = randBuf<f32>(B * N, 0, 1), wwp = randBuf<f32>(B * N, 0, 0.2), wrp = randBuf<f32>(B * R * N, 0, 0.2);
      const Lp = randBuf<f32>(B * N * N, 0, 0.1), pp = randBuf<f32>(B * N, 0, 0.1);
      const u = randBuf<f32>(B * N), a = randBuf<f32>(B * N), phi = heap.alloc(<usize>(B * N) << 2), cw = randBuf<f32>(B * N), ww = randBuf<f32>(B * N);
      const M = randBuf<f32>(B * N * W), L = randBuf<f32>(B * N * N), p = randBuf<f32>(B * N);
      const cr = randBuf<f32>(B * R * N), fw = randBuf<f32>(B * R * N), bw = randBuf<f32>(B * R * N), wr = randBuf<f32>(B * R * N), r = randBuf<f32>(B * R * W);
      usage_fwd<f32>(B, N, R, W, up, wwp, wrp, xi, X, u);
      alloc_fwd<f32>(B, N, u, a, phi, 0, 0);
      content_fwd<f32>(B, 1, N, W, Mp, xi, X, xi + (<usize>(R * W + R + W) << 2), X, cw, N);
      write_fwd<f32>(B, N, W, R, xi, X, a, cw, ww, Mp, M);
      link_fwd<f32>(B, N, ww, Lp, pp, L, p);
      content_fwd<f32>(B, R, N, W, M, xi, X, xi + (<usize>(R * W) << 2), X, cr, R * N);
      read_fwd<f32>(B, N, W, R, L, wrp, M, cr, xi, X, fw, bw, wr, r);
      let ok = true;
      const outs: usize[] = [xi, u, a, cw, ww, M, L, p, cr, wr, r];
      const lens: i32[] = [B * X, B * N, B * N, B * N, B * N, B * N * W, B * N * N, B * N, B * R * N, B * R * N, B * R * W];
      for (let o = 0; o < outs.length; o++) for (let i = 0; i < lens[o]; i++) if (!isFinite(load<f32>(outs[o] + (<usize>i << 2)))) { if (ok) trace("non-finite forward output", 2, o, i); ok = false; }
      // and the backward
      // incoming gradients: ordinary, or (every fourth trial) already saturated at the f32 range
      GMAX = trial % 4 == 3 ? 3.4e38 : 1;
      const g = (n: i32): usize => randBuf<f32>(n, -GMAX, GMAX);
      const z = (n: i32): usize => { const q = randBuf<f32>(n); memory.fill(q, 0, <usize>n << 2); return q; };
      const dxi = z(B * X), dM = g(B * N * W), dL = g(B * N * N), dp = g(B * N), dww = g(B * N), dwr = g(B * R * N), dr = g(B * R * W);
      const dMp = z(B * N * W), dLp = z(B * N * N), dpp = z(B * N), dwrp = z(B * R * N), dcr = z(B * R * N), da = z(B * N), dcw = z(B * N), du = g(B * N), dup = z(B * N), dwwp = z(B * N), draw = z(B * X);
      read_bwd<f32>(B, N, W, R, L, wrp, M, cr, xi, X, fw, bw, wr, dr, dwr, dM, dL, dwrp, dcr, dxi);
      content_bwd<f32>(B, R, N, W, M, xi, X, xi + (<usize>(R * W) << 2), X, cr, dcr, R * N, dM, dxi, dxi + (<usize>(R * W) << 2));
      link_bwd<f32>(B, N, ww, Lp, pp, dL, dp, dLp, dpp, dww);
      write_bwd<f32>(B, N, W, R, xi, X, a, cw, ww, Mp, dM, dww, dMp, da, dcw, dxi);
      content_bwd<f32>(B, 1, N, W, Mp, xi, X, xi + (<usize>(R * W + R + W) << 2), X, cw, dcw, N, dMp, dxi, dxi + (<usize>(R * W + R + W) << 2));
      alloc_bwd<f32>(B, N, u, a, phi, da, du);
      usage_bwd<f32>(B, N, R, W, up, wwp, wrp, xi, X, du, dup, dwwp, dwrp, dxi);
      iface_bwd<f32>(B, R, W, raw, xi, dxi, draw, X);
      const gouts: usize[] = [draw, dMp, dLp, dpp, dwrp, dup, dwwp];
      const glens: i32[] = [B * X, B * N * W, B * N * N, B * N, B * R * N, B * N, B * N];
      for (let o = 0; o < gouts.length; o++) for (let i = 0; i < glens[o]; i++) if (!isFinite(load<f32>(gouts[o] + (<usize>i << 2)))) { if (ok) trace("non-finite gradient", 2, o, i); ok = false; }
      // the f32x4 kernels of the training build, on the same extreme inputs
      const cw2 = z(B * N), cr2 = z(B * R * N), L2 = z(B * N * N), p2 = z(B * N), fw2 = z(B * R * N), bw2 = z(B * R * N), wr2 = z(B * R * N), r2 = z(B * R * W);
      content_fwd_f32(B, 1, N, W, Mp, xi, X, xi + (<usize>(R * W + R + W) << 2), X, cw2, N);
      content_fwd_f32(B, R, N, W, M, xi, X, xi + (<usize>(R * W) << 2), X, cr2, R * N);
      link_fwd_f32(B, N, ww, Lp, pp, L2, p2);
      read_fwd_f32(B, N, W, R, L2, wrp, M, cr2, xi, X, fw2, bw2, wr2, r2);
      const sdM = g(B * N * W), sdL = g(B * N * N), sdk = z(B * X), sdLp = z(B * N * N), sdpp = z(B * N), sdw = z(B * N), sdwrp = z(B * R * N), sdcr = z(B * R * N);
      read_bwd_f32(B, N, W, R, L2, wrp, M, cr2, xi, X, fw2, bw2, wr2, g(B * R * W), g(B * R * N), sdM, sdL, sdwrp, sdcr, sdk);
      content_bwd_f32(B, R, N, W, M, xi, X, xi + (<usize>(R * W) << 2), X, cr2, sdcr, R * N, sdM, sdk, sdk + (<usize>(R * W) << 2));
      content_bwd_f32(B, 1, N, W, Mp, xi, X, xi + (<usize>(R * W + R + W) << 2), X, cw2, g(B * N), N, sdM, sdk, sdk + (<usize>(R * W + R + W) << 2));
      link_bwd_f32(B, N, ww, Lp, pp, sdL, g(B * N), sdLp, sdpp, sdw);
      const sdMp = z(B * N * W), sda = z(B * N), sdcw = z(B * N), sdup = z(B * N), sdwwp = z(B * N);
      write_bwd_f32(B, N, W, R, xi, X, a, cw2, ww, Mp, sdM, sdw, sdMp, sda, sdcw, sdk);
      usage_bwd_f32(B, N, R, W, up, wwp, wrp, xi, X, g(B * N), sdup, sdwwp, sdwrp, sdk);
      const souts: usize[] = [cw2, cr2, L2, p2, wr2, r2, sdM, sdk, sdLp, sdpp, sdw, sdwrp, sdMp, sda, sdcw, sdup, sdwwp];
      const slens: i32[] = [B * N, B * R * N, B * N * N, B * N, B * R * N, B * R * W, B * N * W, B * X, B * N * N, B * N, B * N, B * R * N, B * N * W, B * N, B * N, B * N, B * N];
      for (let o = 0; o < souts.length; o++) for (let i = 0; i < slens[o]; i++) if (!isFinite(load<f32>(souts[o] + (<usize>i << 2)))) { if (ok) trace("non-finite simd output", 2, o, i); ok = false; }
      expect<bool>(ok).toBe(true);
    }
  });
});
