// One-hot input projection. W_ih x for a one-hot x is one column of W_ih
// [out, V]; the host keeps a transposed copy WT [V, out] (refreshed once per
// window), so the gather reads one contiguous row. The backward scatter-adds
// the row gradients into dWT, which the host folds back into dW_ih's columns
// once per window (transpose_acc): a dense product with a one-hot matrix is
// never formed.
//   ids:  R i32 character ids
//   out:  R×W rows (stride ldo), out[r] = WT[ids[r]] + bias

export function onehot_fwd_f32(R: i32, W: i32, ids: usize, WT: usize, ldw: i32, bias: usize, out: usize, ldo: i32): void {
  for (let r = 0; r < R; r++) {
    const src = WT + ((<usize>load<i32>(ids + (<usize>r << 2)) * ldw) << 2);
    const dst = out + ((<usize>r * ldo) << 2);
    let j = 0;
    for (; j + 4 <= W; j += 4) {
      const o = <usize>j << 2;
      v128.store(dst + o, f32x4.add(v128.load(src + o), v128.load(bias + o)));
    }
    for (; j < W; j++) {
      const o = <usize>j << 2;
      store<f32>(dst + o, load<f32>(src + o) + load<f32>(bias + o));
    }
  }
}

/** dWT[ids[r]] += dout[r]; dbias += dout[r]. */
export function onehot_bwd_f32(R: i32, W: i32, ids: usize, dout: usize, ldo: i32, dWT: usize, ldw: i32, dbias: usize): void {
  for (let r = 0; r < R; r++) {
    const dst = dWT + ((<usize>load<i32>(ids + (<usize>r << 2)) * ldw) << 2);
    const src = dout + ((<usize>r * ldo) << 2);
    let j = 0;
    for (; j + 4 <= W; j += 4) {
      const o = <usize>j << 2;
      const g = v128.load(src + o);
      v128.store(dst + o, f32x4.add(v128.load(dst + o), g));
      v128.store(dbias + o, f32x4.add(v128.load(dbias + o), g));
    }
    for (; j < W; j++) {
      const o = <usize>j << 2;
      const g = load<f32>(src + o);
      store<f32>(dst + o, load<f32>(dst + o) + g);
      store<f32>(dbias + o, load<f32>(dbias + o) + g);
    }
  }
}

export function onehot_fwd_ref<T>(R: i32, W: i32, ids: usize, WT: usize, ldw: i32, bias: usize, out: usize, ldo: i32): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < R; r++) {
    const id = <usize>load<i32>(ids + (<usize>r << 2));
    for (let j = 0; j < W; j++) {
      store<T>(out + (<usize>r * ldo + j) * sz, load<T>(WT + (id * ldw + j) * sz) + load<T>(bias + <usize>j * sz));
    }
  }
}

export function onehot_bwd_ref<T>(R: i32, W: i32, ids: usize, dout: usize, ldo: i32, dWT: usize, ldw: i32, dbias: usize): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < R; r++) {
    const id = <usize>load<i32>(ids + (<usize>r << 2));
    for (let j = 0; j < W; j++) {
      const g = load<T>(dout + (<usize>r * ldo + j) * sz);
      const d = dWT + (id * ldw + j) * sz;
      store<T>(d, load<T>(d) + g);
      const db = dbias + <usize>j * sz;
      store<T>(db, load<T>(db) + g);
    }
  }
}
