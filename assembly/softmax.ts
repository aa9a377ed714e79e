// Softmax + cross-entropy over rows of logits, fused forward and backward.
// The max is subtracted first, so every exponent is ≤ 0 and the normaliser
// is ≥ 1: no overflow and no log(0).
//   loss_r = ln Σ_v e^{y_v - m} - (y_target - m)
//   grad:  y ← (softmax(y) - onehot(target)) · scale     (in place)
import { exp4, exp1, expT } from "./math";

// @ts-ignore: decorator
@inline function rowmax_f32(V: i32, p: usize): f32 {
  let mv = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= V; j += 4) mv = f32x4.pmax(mv, v128.load(p + (<usize>j << 2)));
  let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
  for (; j < V; j++) m = max(m, load<f32>(p + (<usize>j << 2)));
  return m;
}

/** e ← exp(a·(y - m)) in place; returns Σ e. */
// @ts-ignore: decorator
@inline function rowexp_f32(V: i32, p: usize, m: f32, a: f32): f32 {
  const mv = f32x4.splat(m), av = f32x4.splat(a);
  let sv = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= V; j += 4) {
    const q = p + (<usize>j << 2);
    const e = exp4(f32x4.mul(f32x4.sub(v128.load(q), mv), av));
    v128.store(q, e);
    sv = f32x4.add(sv, e);
  }
  let s = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
  for (; j < V; j++) {
    const q = p + (<usize>j << 2);
    const e = exp1((load<f32>(q) - m) * a);
    store<f32>(q, e);
    s += e;
  }
  return s;
}

// @ts-ignore: decorator
@inline function rowscale_f32(V: i32, p: usize, k: f32): void {
  const kv = f32x4.splat(k);
  let j = 0;
  for (; j + 4 <= V; j += 4) { const q = p + (<usize>j << 2); v128.store(q, f32x4.mul(v128.load(q), kv)); }
  for (; j < V; j++) { const q = p + (<usize>j << 2); store<f32>(q, load<f32>(q) * k); }
}

/**
 * Σ over R rows of the cross-entropy (nats). targets: R i32 ids.
 * grad ≠ 0: y is replaced by the gradient of scale·Σloss.
 */
export function xent_f32(R: i32, V: i32, y: usize, ldy: i32, targets: usize, scale: f32, grad: i32): f64 {
  let total: f64 = 0;
  for (let r = 0; r < R; r++) {
    const p = y + ((<usize>r * ldy) << 2);
    const t = <usize>load<i32>(targets + (<usize>r << 2)) << 2;
    const m = rowmax_f32(V, p);
    const yt = load<f32>(p + t);
    if (grad) {
      const s = rowexp_f32(V, p, m, 1);
      total += Math.log(<f64>s) - <f64>(yt - m);
      rowscale_f32(V, p, scale / s);
      store<f32>(p + t, load<f32>(p + t) - scale);
    } else {
      // forward only: do not disturb the logits
      const mv = f32x4.splat(m);
      let sv = f32x4.splat(0);
      let j = 0;
      for (; j + 4 <= V; j += 4) sv = f32x4.add(sv, exp4(f32x4.sub(v128.load(p + (<usize>j << 2)), mv)));
      let s = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
      for (; j < V; j++) s += exp1(load<f32>(p + (<usize>j << 2)) - m);
      total += Math.log(<f64>s) - <f64>(yt - m);
    }
  }
  return total;
}

/** Rows of logits → probabilities of softmax(y / T), invT = 1/T, in place. */
export function softmax_f32(R: i32, V: i32, y: usize, ldy: i32, invT: f32): void {
  for (let r = 0; r < R; r++) {
    const p = y + ((<usize>r * ldy) << 2);
    const s = rowexp_f32(V, p, rowmax_f32(V, p), invT);
    rowscale_f32(V, p, <f32>1 / s);
  }
}

/** Index j of the first cumulative probability exceeding u ∈ [0,1); the last index if rounding leaves u above the total. */
export function sample_ref<T>(V: i32, p: usize, u: f64): i32 {
  let c: f64 = 0;
  for (let j = 0; j < V; j++) {
    c += <f64>load<T>(p + <usize>j * sizeof<T>());
    if (u < c) return j;
  }
  return V - 1;
}

export function xent_ref<T>(R: i32, V: i32, y: usize, ldy: i32, targets: usize, scale: T, grad: i32): f64 {
  const sz = <usize>sizeof<T>();
  let total: f64 = 0;
  for (let r = 0; r < R; r++) {
    const p = y + <usize>r * ldy * sz;
    const t = <usize>load<i32>(targets + (<usize>r << 2));
    let m = load<T>(p);
    for (let j = 1; j < V; j++) m = max(m, load<T>(p + <usize>j * sz));
    let s: f64 = 0;
    for (let j = 0; j < V; j++) s += <f64>expT<T>(load<T>(p + <usize>j * sz) - m);
    total += Math.log(s) - <f64>(load<T>(p + t * sz) - m);
    if (grad) {
      for (let j = 0; j < V; j++) {
        const q = p + <usize>j * sz;
        store<T>(q, <T>(<f64>expT<T>(load<T>(q) - m) / s) * scale - (<usize>j == t ? scale : <T>0));
      }
    }
  }
  return total;
}

export function softmax_ref<T>(R: i32, V: i32, y: usize, ldy: i32, invT: T): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < R; r++) {
    const p = y + <usize>r * ldy * sz;
    let m = load<T>(p);
    for (let j = 1; j < V; j++) m = max(m, load<T>(p + <usize>j * sz));
    let s: f64 = 0;
    for (let j = 0; j < V; j++) s += <f64>expT<T>((load<T>(p + <usize>j * sz) - m) * invT);
    for (let j = 0; j < V; j++) {
      const q = p + <usize>j * sz;
      store<T>(q, <T>(<f64>expT<T>((load<T>(q) - m) * invT) / s));
    }
  }
}

/**
 * Per-row cross-entropy and whether the target is the most likely id, for
 * breakdowns by position (evaluation only, so the plain loop suffices):
 * out[2r] = loss of row r in nats, out[2r+1] = 1 when y[target] is the row's
 * first maximum, else 0. The logits are not changed.
 */
export function xent_rows_ref<T>(R: i32, V: i32, y: usize, ldy: i32, targets: usize, out: usize): void {
  const sz = <usize>sizeof<T>();
  for (let r = 0; r < R; r++) {
    const p = y + <usize>r * ldy * sz;
    const t = load<i32>(targets + (<usize>r << 2));
    let m = load<T>(p), am = 0;
    for (let j = 1; j < V; j++) { const v = load<T>(p + <usize>j * sz); if (v > m) { m = v; am = j; } }
    let s: f64 = 0;
    for (let j = 0; j < V; j++) s += Math.exp(<f64>(load<T>(p + <usize>j * sz) - m));
    store<T>(out + <usize>(2 * r) * sz, <T>(Math.log(s) - <f64>(load<T>(p + <usize>t * sz) - m)));
    store<T>(out + <usize>(2 * r + 1) * sz, am == t ? <T>1 : <T>0);
  }
}
