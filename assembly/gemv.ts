// Matrix-vector product for one stream (sampling, inspection): y[n] += W[n,:]·x
// with W row-major [N, K] (PyTorch's weight layout, row stride ldw), x and y
// contiguous. The 4×8 product kernel (gemm.ts) with a single row of A walks
// the transposed weights by columns and reaches 11–17 GFLOP/s; dot products
// along W's contiguous rows stream it once, four rows per read of x, and reach
// 27–31 (H = 512 / 128 LSTM step shapes).
import { hsum4 } from "./lanes";

export function gemv_f32(N: i32, K: i32, W: usize, ldw: i32, x: usize, y: usize): void {
  const rs = <usize>ldw << 2, K4 = K & ~3;
  const xend = x + (<usize>K4 << 2);
  let n = 0;
  for (; n + 4 <= N; n += 4) {
    // pointers advanced in the loop: address arithmetic from an index costs more here
    let p0 = W + <usize>n * rs, p1 = p0 + rs, p2 = p1 + rs, p3 = p2 + rs, px = x;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    while (px < xend) {
      const xv = v128.load(px);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(p0), xv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(p1), xv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(p2), xv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(p3), xv));
      px += 16; p0 += 16; p1 += 16; p2 += 16; p3 += 16;
    }
    let s = hsum4(a0, a1, a2, a3);
    if (K4 < K) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (let k = K4; k < K; k++) {
        const xk = load<f32>(x + (<usize>k << 2)), o = (<usize>k - <usize>K4) << 2;
        s0 += load<f32>(p0 + o) * xk; s1 += load<f32>(p1 + o) * xk; s2 += load<f32>(p2 + o) * xk; s3 += load<f32>(p3 + o) * xk;
      }
      s = f32x4.add(s, f32x4(s0, s1, s2, s3));
    }
    const py = y + (<usize>n << 2);
    v128.store(py, f32x4.add(v128.load(py), s));
  }
  for (; n < N; n++) {
    const row = W + <usize>n * rs;
    let a = f32x4.splat(0);
    for (let k = 0; k < K4; k += 4) a = f32x4.add(a, f32x4.mul(v128.load(row + (<usize>k << 2)), v128.load(x + (<usize>k << 2))));
    let s = f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
    for (let k = K4; k < K; k++) s += load<f32>(row + (<usize>k << 2)) * load<f32>(x + (<usize>k << 2));
    store<f32>(y + (<usize>n << 2), load<f32>(y + (<usize>n << 2)) + s);
  }
}

/** Scalar reference in the working precision T: y[n] += Σ_k W[n,k]·x[k]. */
export function gemv_ref<T>(N: i32, K: i32, W: usize, ldw: i32, x: usize, y: usize): void {
  const sz = <usize>sizeof<T>();
  for (let n = 0; n < N; n++) {
    let s: T = <T>0;
    for (let k = 0; k < K; k++) s += load<T>(W + (<usize>n * ldw + k) * sz) * load<T>(x + <usize>k * sz);
    store<T>(y + <usize>n * sz, load<T>(y + <usize>n * sz) + s);
  }
}
