// Vectorised exp / sigmoid / tanh for f32, and the scalar references.
//
// exp: Cephes' expf scheme. x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6
// polynomial, 2ⁿ built by shifting n+127 into the exponent field. n is rounded
// by adding 1.5·2²³ (the float's low mantissa bits then hold n, and subtracting
// it back gives n as a float): V8 lowers f32x4.floor plus the saturating
// float→int conversion to about ten instructions, this to two. Inputs are
// clamped to [-87, 88] so 2ⁿ never leaves the normal range (e^88 ≈ 1.65e38).
// sigmoid(x) = 1 / (1 + e^-x).
// tanh: for |x| < 0.625 Cephes' odd polynomial (no cancellation near 0), else
// 1 - 2/(e^{2|x|} + 1) with the sign put back.
//
// Error bounds (tested in __tests__/math.spec.ts against f64 Math):
//   exp      relative ≤ 2e-7 on [-87, 88]
//   sigmoid  relative ≤ 3e-7 on [-80, 80]
//   tanh     relative ≤ 3e-7 on [-20, 20], exact ±1 beyond where f32 rounds to it
//
// Every vector function has a scalar twin that runs the same arithmetic, so
// the tail of a row (sizes not a multiple of 4) gets bit-identical results.

// Splatted constants live in memory: V8 rematerialises non-trivial v128.const
// values inside loops, a 16-byte-aligned table load is cheaper (WASM-PERF.md).
const K = memory.data<f32>([
  88.0, 88.0, 88.0, 88.0, //                      0  clamp hi
  -87.0, -87.0, -87.0, -87.0, //                  16 clamp lo
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341, // 32 log2(e)
  0.693359375, 0.693359375, 0.693359375, 0.693359375, // 48 ln2 high part
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, // 64 ln2 low part
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, // 80 p0
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, // 96 p1
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, // 112 p2
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, // 128 p3
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, // 144 p4
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, // 160 p5 (and 0.5)
  1.0, 1.0, 1.0, 1.0, //                          176 one
  2.0, 2.0, 2.0, 2.0, //                          192 two
  0.625, 0.625, 0.625, 0.625, //                  208 tanh branch point
  -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, // 224 t0
  2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, // 240 t1
  -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, // 256 t2
  1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, // 272 t3
  -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, // 288 t4
  0.5, 0.5, 0.5, 0.5, //                          304 half
  12582912.0, 12582912.0, 12582912.0, 12582912.0, // 320 1.5·2²³, rounds to an integer
], 16);
const ROUND: f32 = 12582912.0;

// @ts-ignore: decorator
@inline function kv(off: usize): v128 { return v128.load(K + off); }

// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, kv(16)), kv(0));
  const t = f32x4.add(f32x4.mul(x, kv(32)), kv(320));
  const fx = f32x4.sub(t, kv(320));
  x = f32x4.sub(x, f32x4.mul(fx, kv(48)));
  x = f32x4.sub(x, f32x4.mul(fx, kv(64)));
  const z = f32x4.mul(x, x);
  let y = f32x4.add(f32x4.mul(kv(80), x), kv(96));
  y = f32x4.add(f32x4.mul(y, x), kv(112));
  y = f32x4.add(f32x4.mul(y, x), kv(128));
  y = f32x4.add(f32x4.mul(y, x), kv(144));
  y = f32x4.add(f32x4.mul(y, x), kv(160));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), x), kv(176));
  // t's bits are 0x4B400000 + n; shifting by 23 drops all but n's bits
  const p2n = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return f32x4.mul(y, p2n);
}

// @ts-ignore: decorator
@inline export function exp1(x: f32): f32 {
  // Same operations as exp4, one lane.
  x = min<f32>(max<f32>(x, -87.0), 88.0);
  const t = x * <f32>1.44269504088896341 + ROUND;
  const fx = t - ROUND;
  x = x - fx * <f32>0.693359375;
  x = x - fx * <f32>-2.12194440e-4;
  const z = x * x;
  let y = <f32>1.9875691500e-4 * x + <f32>1.3981999507e-3;
  y = y * x + <f32>8.3334519073e-3;
  y = y * x + <f32>4.1665795894e-2;
  y = y * x + <f32>1.6666665459e-1;
  y = y * x + <f32>5.0000001201e-1;
  y = y * z + x + <f32>1.0;
  return y * reinterpret<f32>((reinterpret<i32>(t) + 127) << 23);
}

// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  return f32x4.div(kv(176), f32x4.add(kv(176), exp4(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline export function sigmoid1(x: f32): f32 {
  return <f32>1.0 / (<f32>1.0 + exp1(-x));
}

// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  // large branch: 1 - 2/(e^{2|x|}+1), sign restored by copying x's sign bit
  const e = exp4(f32x4.mul(ax, kv(192)));
  let big = f32x4.sub(kv(176), f32x4.div(kv(192), f32x4.add(e, kv(176))));
  const sign = v128.and(x, i32x4.splat(0x80000000));
  big = v128.or(big, sign);
  // small branch: x + x·z·P(z), z = x²
  const z = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(kv(224), z), kv(240));
  p = f32x4.add(f32x4.mul(p, z), kv(256));
  p = f32x4.add(f32x4.mul(p, z), kv(272));
  p = f32x4.add(f32x4.mul(p, z), kv(288));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  return v128.bitselect(small, big, f32x4.lt(ax, kv(208)));
}

// @ts-ignore: decorator
@inline export function tanh1(x: f32): f32 {
  const ax = Mathf.abs(x);
  if (ax < <f32>0.625) {
    const z = x * x;
    let p = <f32>-5.70498872745e-3 * z + <f32>2.06390887954e-2;
    p = p * z + <f32>-5.37397155531e-2;
    p = p * z + <f32>1.33314422036e-1;
    p = p * z + <f32>-3.33332819422e-1;
    return p * z * x + x;
  }
  const e = exp1(ax * <f32>2.0);
  const big = <f32>1.0 - <f32>2.0 / (e + <f32>1.0);
  return copysign<f32>(big, x);
}

// Scalar references in the working precision T (f32 or f64), through f64 Math.
// @ts-ignore: decorator
@inline export function expT<T>(x: T): T { return <T>Math.exp(<f64>x); }
// @ts-ignore: decorator
@inline export function sigmoidT<T>(x: T): T { return <T>(1.0 / (1.0 + Math.exp(-<f64>x))); }
// @ts-ignore: decorator
@inline export function tanhT<T>(x: T): T { return <T>Math.tanh(<f64>x); }

// Exported array forms, used by tests and benchmarks.
/** out[i] = e^x[i] for n floats (any n). */
export function vexp(n: i32, x: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), exp4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), exp1(load<f32>(x + (<usize>i << 2))));
}
/** out[i] = σ(x[i]) for n floats (any n). */
export function vsigmoid(n: i32, x: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), sigmoid4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), sigmoid1(load<f32>(x + (<usize>i << 2))));
}
/** out[i] = tanh(x[i]) for n floats (any n). */
export function vtanh(n: i32, x: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), tanh4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), tanh1(load<f32>(x + (<usize>i << 2))));
}
