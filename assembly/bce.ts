// Independent-sigmoid outputs for the bit tasks (MODELS.md):
//   ℓ_t = mask_t · Σ_k BCE(σ(y_k), z_k),  BCE in the stable form max(y,0) − y·z + ln(1 + e^{−|y|})
//   grad: y ← mask_t · (σ(y) − z) · scale        (in place)
// Rows are a few bits wide, so a scalar loop is all this needs.
//   y: R rows of V logits (stride ldy);  z: targets (stride ldz);  mask: R values

export function bce_ref<T>(R: i32, V: i32, y: usize, ldy: i32, z: usize, ldz: i32, mask: usize, scale: f64, grad: i32): f64 {
  const sz = <usize>sizeof<T>();
  let total: f64 = 0;
  for (let r = 0; r < R; r++) {
    const m = <f64>load<T>(mask + <usize>r * sz);
    for (let k = 0; k < V; k++) {
      const py = y + (<usize>r * ldy + k) * sz;
      const x = <f64>load<T>(py), t = <f64>load<T>(z + (<usize>r * ldz + k) * sz);
      if (m != 0) total += m * (Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x))));
      if (grad) {
        const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        store<T>(py, <T>(m * (s - t) * scale));
      }
    }
  }
  return total;
}

/** Bits wrong where the mask is on: (y > 0) ≠ (z > 0.5). */
export function bit_errors_ref<T>(R: i32, V: i32, y: usize, ldy: i32, z: usize, ldz: i32, mask: usize): i32 {
  const sz = <usize>sizeof<T>();
  let n = 0;
  for (let r = 0; r < R; r++) {
    if (load<T>(mask + <usize>r * sz) == <T>0) continue;
    for (let k = 0; k < V; k++) {
      const on = load<T>(y + (<usize>r * ldy + k) * sz) > <T>0;
      const want = load<T>(z + (<usize>r * ldz + k) * sz) > <T>0.5;
      if (on != want) n++;
    }
  }
  return n;
}
