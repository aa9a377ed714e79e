// The bounded exact scan (sam/quant.ts): its 16-bit records against the scalar reference, and its
// top-K lists against the plain f32x4 scan's, bit for bit, on random memories and on the cases
// that stress the bound (one large entry per row, near-equal rows, exact ties, zero, huge and
// non-finite rows, a zero key), at sizes that reach the tails (W not a multiple of 16, groups of
// fewer than four heads, a last group of one).
import { randBuf, rnd, seed, same } from "../util";
import { sam_scan_f32 } from "../../sam/scan";
import { sam_quant_build, sam_quant_mark, sam_quant_flush, quantRecord, quantWidth, sam_scan_bounded } from "../../sam/quant";

function fbuf(n: i32): usize { return randBuf<f32>(n); }
function qbuf(B: i32, N: i32, W: i32): usize { return randBuf<f32>(B * N * quantRecord(W) / 4); }
function dbuf(B: i32, N: i32): usize { return randBuf<f32>(B * (N + 1)); }
function setf(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
function getf(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }

/** The bounded scan's lists and the plain scan's are the same bits; returns the rows the bounded one scored. */
function sameLists(B: i32, R: i32, N: i32, W: i32, K: i32, M: usize, k: usize): f64 {
  const Q = qbuf(B, N, W), D = dbuf(B, N);
  sam_quant_build<f32>(B, N, W, M, Q, D);
  const i1 = fbuf(B * R * K), s1 = fbuf(B * R * K), i2 = fbuf(B * R * K), s2 = fbuf(B * R * K);
  sam_scan_f32(B, R, N, W, K, M, k, R * W, i1, s1, 0);
  const scored = sam_scan_bounded(B, R, N, W, K, M, Q, D, k, R * W, i2, s2, 0);
  for (let i = 0; i < B * R * K; i++) {
    expect<u32>(load<u32>(i2 + (<usize>i << 2))).toBe(load<u32>(i1 + (<usize>i << 2)));
    expect<u32>(load<u32>(s2 + (<usize>i << 2))).toBe(load<u32>(s1 + (<usize>i << 2)));
  }
  return scored;
}

describe("SAM bounded scan: the 16-bit records", () => {
  it("the f32x4 records equal the scalar reference's, byte for byte", () => {
    seed(5);
    const Ws: i32[] = [1, 5, 12, 16, 17, 32, 33, 70];
    for (let s = 0; s < Ws.length; s++) {
      const W = Ws[s], B = 2, N = 9, Wr = quantRecord(W);
      const M = randBuf<f32>(B * N * W, -3, 3);
      setf(M, 2 * W, 0); // a row whose largest entry comes first
      for (let w = 0; w < W; w++) setf(M, 3 * W + w, 0); // a zero row
      setf(M, 4 * W + (W - 1), Infinity); setf(M, 5 * W, NaN); // non-finite rows
      const Q1 = qbuf(B, N, W), Q2 = qbuf(B, N, W), D1 = dbuf(B, N), D2 = dbuf(B, N), idx = randBuf<f32>(B * N);
      for (let i = 0; i < B * N; i++) setf(idx, i, <f32>(i % N));
      sam_quant_build<f32>(B, N, W, M, Q1, D1);
      // Q2 from stale records: every row marked, then quantised by the scalar reference
      memory.fill(Q2, 0, <usize>(B * N * Wr)); memory.fill(D2, 0, <usize>(B * (N + 1) * 4));
      sam_quant_mark<f32>(B, N, W, Q2, D2, idx, N);
      sam_quant_flush<f32>(B, N, W, M, Q2, D2, true);
      for (let i = 0; i < B * N * Wr; i++) {
        expect<u8>(load<u8>(Q1 + i)).toBe(load<u8>(Q2 + i));
      }
      // a row with ±∞ or NaN gets s = NaN (its bound never passes), a zero row s = 0 and q = 0
      const hd = 2 * quantWidth(W);
      expect<bool>(isNaN(load<f32>(Q1 + 4 * Wr + hd))).toBe(true);
      expect<bool>(isNaN(load<f32>(Q1 + 5 * Wr + hd))).toBe(true);
      expect<f32>(load<f32>(Q1 + 3 * Wr + hd)).toBe(0);
      for (let i = 0; i < W; i++) expect<i16>(load<i16>(Q1 + 3 * Wr + 2 * i)).toBe(0);
    }
  });

  it("q is the row over s to within half a step; the norm is the row's and A the sum of |q|", () => {
    seed(6);
    const W = 21, N = 50, Wr = quantRecord(W), M = randBuf<f32>(N * W, -2, 2), Q = qbuf(1, N, W);
    sam_quant_build<f32>(1, N, W, M, Q, dbuf(1, N));
    for (let n = 0; n < N; n++) {
      const hd = Q + n * Wr + 2 * quantWidth(W), s = <f64>load<f32>(hd), nrm = <f64>load<f32>(hd + 4);
      let mm: f64 = 0, mx: f64 = 0, a = 0;
      for (let w = 0; w < W; w++) {
        const x = <f64>getf(M, n * W + w), q = <f64>load<i16>(Q + n * Wr + 2 * w);
        mm += x * x; mx = Math.max(mx, Math.abs(x)); a += <i32>Math.abs(q);
        expect<f64>(Math.abs(x - s * q)).toBeLessThanOrEqual(s * 0.5059); // 1/2, and 3·32767 f32 roundings
      }
      for (let w = W; w < quantWidth(W); w++) expect<i16>(load<i16>(Q + n * Wr + 2 * w)).toBe(0);
      expect<f64>(Math.abs(s - mx / 32767)).toBeLessThan(1e-6 * mx);
      expect<f64>(Math.abs(nrm - Math.sqrt(mm + 1e-6))).toBeLessThan(1e-5 * nrm);
      expect<i32>(load<i32>(hd + 8)).toBe(a);
    }
  });
});

describe("SAM bounded scan: the same lists as the plain scan", () => {
  it("on random memories, and it scores only a few rows in full", () => {
    seed(7);
    const sizes: i32[][] = [[2, 37, 5, 3, 4], [1, 64, 16, 4, 8], [3, 20, 7, 6, 5], [2, 100, 12, 5, 1], [1, 41, 33, 2, 41], [2, 300, 17, 8, 3], [1, 9, 32, 4, 9]]; // B, N, W, R, K
    for (let s = 0; s < sizes.length; s++) {
      const B = sizes[s][0], N = sizes[s][1], W = sizes[s][2], R = sizes[s][3], K = sizes[s][4];
      sameLists(B, R, N, W, K, randBuf<f32>(B * N * W), randBuf<f32>(B * R * W));
    }
    const B = 2, R = 4, N = 4096, W = 32, K = 8;
    const scored = sameLists(B, R, N, W, K, randBuf<f32>(B * N * W), randBuf<f32>(B * R * W));
    expect<f64>(scored).toBeLessThan(<f64>B * R * N / 8);
  });

  it("on rows that stress the bound: one large entry, near-equal rows, ties, zero, huge and non-finite rows", () => {
    seed(8);
    const B = 1, R = 4, N = 600, W = 20, K = 6;
    const M = randBuf<f32>(N * W), k = randBuf<f32>(R * W);
    for (let n = 0; n < 100; n++) { // a spike and small rest: the largest quantisation error per row
      for (let w = 0; w < W; w++) setf(M, n * W + w, <f32>rnd(-0.02, 0.02));
      setf(M, n * W + (n % W), <f32>(n % 2 ? 1 : -1));
    }
    for (let n = 100; n < 200; n++) { // copies of the first key, each off by about one 16-bit step
      for (let w = 0; w < W; w++) setf(M, n * W + w, getf(k, w) + <f32>rnd(-3e-5, 3e-5));
    }
    for (let n = 200; n < 210; n++) for (let w = 0; w < W; w++) setf(M, n * W + w, getf(k, W + w)); // exact ties for head 1
    for (let n = 210; n < 220; n++) for (let w = 0; w < W; w++) setf(M, n * W + w, 0);
    for (let w = 0; w < W; w++) setf(M, 220 * W + w, <f32>1e20 * getf(k, 2 * W + w)); // Σm² overflows f32
    setf(M, 221 * W + 3, Infinity); setf(M, 222 * W, NaN);
    sameLists(B, R, N, W, K, M, k);
    // zero rows where every written row points away from the keys: the zeros must win (a negative K-th best)
    const N2 = 40, M2 = randBuf<f32>(N2 * W, -1, -0.1), k2 = randBuf<f32>(R * W, 0.1, 1);
    for (let n = 1; n < N2; n += 3) for (let w = 0; w < W; w++) setf(M2, n * W + w, 0);
    sameLists(B, R, N2, W, K, M2, k2);
    // a zero key: every similarity is 0, the lowest slots win
    for (let w = 0; w < W; w++) setf(k, 3 * W + w, 0);
    sameLists(B, R, N, W, K, M, k);
  });

  it("a row whose rounding hides almost all of the bound's allowance is still scored (the bound is not too tight)", () => {
    // a spike sets s; every other entry sits 0.49 of a step above q in the key's direction, so the copy
    // underestimates k·X by nearly s·‖k‖₁/2. Slots 0 and 1 hold Y (0.45 of a step: a little less similar),
    // slot 2 holds X: the plain scan puts X first; a bound short of its allowance would skip X.
    const W = 64, R = 2, K = 2, N = 3, s: f64 = 1.0 / 32767;
    const M = randBuf<f32>(N * W), k = randBuf<f32>(R * W);
    for (let w = 0; w < W; w++) {
      const kw = w == 0 ? 1 : (w % 3 == 0 ? -1 : 1) * rnd(0.5, 1), sg: f64 = kw < 0 ? -1 : 1;
      setf(k, w, <f32>kw); setf(k, W + w, <f32>kw);
      for (let n = 0; n < N; n++) setf(M, n * W + w, <f32>(w == 0 ? 1 : s * sg * (100 + (n == 2 ? 0.49 : 0.45))));
    }
    sameLists(1, R, N, W, K, M, k);
    const i1 = fbuf(R * K), s1 = fbuf(R * K);
    sam_scan_f32(1, R, N, W, K, M, k, R * W, i1, s1, 0);
    expect<f32>(getf(i1, 0)).toBe(2); // X does win
  });

  it("after rows change, marking them stale lists each once, and the next scan quantises them first", () => {
    seed(9);
    const B = 2, R = 3, N = 200, W = 9, K = 4, Wr = quantRecord(W);
    const M = randBuf<f32>(B * N * W), k = randBuf<f32>(B * R * W), Q = qbuf(B, N, W), Q2 = qbuf(B, N, W), D = dbuf(B, N);
    sam_quant_build<f32>(B, N, W, M, Q, D);
    const idx = randBuf<f32>(B * 3);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < 3; j++) {
        const n = 17 * (j + 1) + b;
        setf(idx, b * 3 + j, <f32>n);
        for (let w = 0; w < W; w++) setf(M, (b * N + n) * W + w, getf(k, b * R * W + w) * <f32>(j + 2)); // now the best match of head 0
      }
    }
    sam_quant_mark<f32>(B, N, W, Q, D, idx, 3);
    sam_quant_mark<f32>(B, N, W, Q, D, idx, 3); // named again: listed once
    for (let b = 0; b < B; b++) expect<i32>(load<i32>(D + (<usize>b * (N + 1) << 2))).toBe(3);
    // the scan flushes the list first: its lists are the plain scan's on the changed memory
    const i1 = fbuf(B * R * K), s1 = fbuf(B * R * K), i2 = fbuf(B * R * K), s2 = fbuf(B * R * K);
    sam_scan_f32(B, R, N, W, K, M, k, R * W, i1, s1, 0);
    sam_scan_bounded(B, R, N, W, K, M, Q, D, k, R * W, i2, s2, 0);
    expect<bool>(same(i1, i2, B * R * K) && same(s1, s2, B * R * K)).toBe(true);
    for (let b = 0; b < B; b++) expect<i32>(load<i32>(D + (<usize>b * (N + 1) << 2))).toBe(0);
    sam_quant_build<f32>(B, N, W, M, Q2, dbuf(B, N));
    for (let i = 0; i < B * N * Wr; i++) expect<u8>(load<u8>(Q + i)).toBe(load<u8>(Q2 + i));
  });
});
