// f32x4 lane shuffles shared by the kernels: 4×4 transposes, and four horizontal sums at once.

// @ts-ignore: decorator
@inline function zipLo(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 0, 4, 1, 5); } // a0 b0 a1 b1
// @ts-ignore: decorator
@inline function zipHi(a: v128, b: v128): v128 { return v128.shuffle<f32>(a, b, 2, 6, 3, 7); } // a2 b2 a3 b3
// @ts-ignore: decorator
@inline function lowPairs(a: v128, b: v128): v128 { return v128.shuffle<f64>(a, b, 0, 2); }
// @ts-ignore: decorator
@inline function highPairs(a: v128, b: v128): v128 { return v128.shuffle<f64>(a, b, 1, 3); }

/**
 * Column j of the 4×4 block whose rows are x0…x3, stored at dst + j·stride bytes (j = 0…3);
 * added to what is there when acc.
 */
// @ts-ignore: decorator
@inline export function storeTransposed4(dst: usize, stride: usize, x0: v128, x1: v128, x2: v128, x3: v128, acc: bool): void {
  const t0 = zipLo(x0, x1), t1 = zipLo(x2, x3), t2 = zipHi(x0, x1), t3 = zipHi(x2, x3);
  let y0 = lowPairs(t0, t1), y1 = highPairs(t0, t1), y2 = lowPairs(t2, t3), y3 = highPairs(t2, t3);
  if (acc) {
    y0 = f32x4.add(y0, v128.load(dst)); y1 = f32x4.add(y1, v128.load(dst + stride));
    y2 = f32x4.add(y2, v128.load(dst + 2 * stride)); y3 = f32x4.add(y3, v128.load(dst + 3 * stride));
  }
  v128.store(dst, y0); v128.store(dst + stride, y1); v128.store(dst + 2 * stride, y2); v128.store(dst + 3 * stride, y3);
}

/** Lane i: the sum of a_i's four lanes (the columns of the transposed block, added pairwise). */
// @ts-ignore: decorator
@inline export function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = zipLo(a0, a1), t1 = zipLo(a2, a3), t2 = zipHi(a0, a1), t3 = zipHi(a2, a3);
  return f32x4.add(f32x4.add(lowPairs(t0, t1), highPairs(t0, t1)), f32x4.add(lowPairs(t2, t3), highPairs(t2, t3)));
}
