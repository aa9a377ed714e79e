// Row-broadcast helpers for the dense layers: bias in, bias gradient out.

/** out[r] = bias for R rows of width W. */
export function rows_set_f32(R: i32, W: i32, bias: usize, out: usize, ldo: i32): void {
  for (let r = 0; r < R; r++) {
    const dst = out + ((<usize>r * ldo) << 2);
    let j = 0;
    for (; j + 4 <= W; j += 4) v128.store(dst + (<usize>j << 2), v128.load(bias + (<usize>j << 2)));
    for (; j < W; j++) store<f32>(dst + (<usize>j << 2), load<f32>(bias + (<usize>j << 2)));
  }
}

/** sum[j] += Σ_r x[r, j]. */
export function colsum_acc_f32(R: i32, W: i32, x: usize, ldx: i32, sum: usize): void {
  let j = 0;
  for (; j + 4 <= W; j += 4) {
    let s = f32x4.splat(0);
    for (let r = 0; r < R; r++) s = f32x4.add(s, v128.load(x + ((<usize>r * ldx + j) << 2)));
    const p = sum + (<usize>j << 2);
    v128.store(p, f32x4.add(v128.load(p), s));
  }
  for (; j < W; j++) {
    let s: f32 = 0;
    for (let r = 0; r < R; r++) s += load<f32>(x + ((<usize>r * ldx + j) << 2));
    const p = sum + (<usize>j << 2);
    store<f32>(p, load<f32>(p) + s);
  }
}

export function rows_set_ref<T>(R: i32, W: i32, bias: usize, out: usize, ldo: i32): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < R; r++) for (let j = 0; j < W; j++) {
    store<T>(out + (<usize>r * ldo + j) * sz, load<T>(bias + <usize>j * sz));
  }
}

export function colsum_acc_ref<T>(R: i32, W: i32, x: usize, ldx: i32, sum: usize): void {
  const sz = <usize>sizeof<T>();
  for (let j = 0; j < W; j++) {
    let s = <T>0;
    for (let r = 0; r < R; r++) s += load<T>(x + (<usize>r * ldx + j) * sz);
    const p = sum + <usize>j * sz;
    store<T>(p, load<T>(p) + s);
  }
}

/** y += a·x over n floats (also the row update of the DNC's memory kernels). */
// @ts-ignore: decorator
@inline export function axpy(n: i32, a: f32, x: usize, y: usize): void {
  const av = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
  }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o)); }
}

/** y += a·x: summing per-thread gradients into one block. */
export function axpy_f32(n: i32, a: f32, x: usize, y: usize): void { axpy(n, a, x, y); }

export function axpy_ref<T>(n: i32, a: T, x: usize, y: usize): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) { const o = <usize>i * sz; store<T>(y + o, load<T>(y + o) + a * load<T>(x + o)); }
}
