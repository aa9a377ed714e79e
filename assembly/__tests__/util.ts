// Helpers shared by the kernel specs: raw buffers, a seeded generator, comparisons.

let rngState: u32 = 12345;
export function seed(s: u32): void { rngState = s; }
/** Uniform in [lo, hi), xorshift32. */
export function rnd(lo: f64, hi: f64): f64 {
  rngState ^= rngState << 13; rngState ^= rngState >> 17; rngState ^= rngState << 5;
  return lo + (hi - lo) * (<f64>rngState / 4294967296.0);
}
/** n floats of T, 16-byte aligned, filled uniformly in [lo, hi). */
export function randBuf<T>(n: i32, lo: f64 = -1, hi: f64 = 1): usize {
  const p = heap.alloc(<usize>(n + 4) * sizeof<T>() + 16);
  const a = (p + 15) & ~<usize>15;
  for (let i = 0; i < n; i++) store<T>(a + <usize>i * sizeof<T>(), <T>rnd(lo, hi));
  return a;
}
export function copyBuf<T>(src: usize, n: i32): usize {
  const p = heap.alloc(<usize>(n + 4) * sizeof<T>() + 16);
  const a = (p + 15) & ~<usize>15;
  memory.copy(a, src, <usize>n * sizeof<T>());
  return a;
}
export function idsBuf(n: i32, V: i32): usize {
  const p = heap.alloc(<usize>n * 4 + 16);
  for (let i = 0; i < n; i++) store<i32>(p + (<usize>i << 2), <i32>rnd(0, <f64>V) % V);
  return p;
}
/** max over i of |a-b| / (atol + |b|). */
export function maxErr(a: usize, b: usize, n: i32, atol: f64): f64 {
  let m: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = <f64>load<f32>(a + (<usize>i << 2)), y = <f64>load<f32>(b + (<usize>i << 2));
    const e = Math.abs(x - y) / (atol + Math.abs(y));
    if (!(e <= m)) m = e; // NaN propagates as a failure
  }
  return m;
}
/** Bit-identical comparison of n floats. */
export function same(a: usize, b: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (load<u32>(a + (<usize>i << 2)) != load<u32>(b + (<usize>i << 2))) return false;
  return true;
}
