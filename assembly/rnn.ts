// Vanilla RNN cell (PyTorch nn.RNN, tanh), one time step for a batch of B rows.
// The pre-activation z = W_ih x + b + W_hh h_{t-1} is formed by the host's
// gather and product; the cell applies the non-linearity and its derivative.
//   forward:  h = tanh(z)
//   backward: dz = dh ∘ (1 - h²)
import { tanh4, tanh1, tanhT } from "./math";

export function rnn_fwd_f32(B: i32, H: i32, z: usize, ldz: i32, h: usize, ldh: i32): void {
  for (let b = 0; b < B; b++) {
    const pz = z + ((<usize>b * ldz) << 2), ph = h + ((<usize>b * ldh) << 2);
    let j = 0;
    for (; j + 4 <= H; j += 4) v128.store(ph + (<usize>j << 2), tanh4(v128.load(pz + (<usize>j << 2))));
    for (; j < H; j++) store<f32>(ph + (<usize>j << 2), tanh1(load<f32>(pz + (<usize>j << 2))));
  }
}

export function rnn_bwd_f32(B: i32, H: i32, h: usize, ldh: i32, dh: usize, lddh: i32, dz: usize, ldz: i32): void {
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const ph = h + ((<usize>b * ldh) << 2), pdh = dh + ((<usize>b * lddh) << 2), pdz = dz + ((<usize>b * ldz) << 2);
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const hv = v128.load(ph + o);
      v128.store(pdz + o, f32x4.mul(v128.load(pdh + o), f32x4.sub(one, f32x4.mul(hv, hv))));
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      const hv = load<f32>(ph + o);
      store<f32>(pdz + o, load<f32>(pdh + o) * (<f32>1 - hv * hv));
    }
  }
}

export function rnn_fwd_ref<T>(B: i32, H: i32, z: usize, ldz: i32, h: usize, ldh: i32): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) {
    store<T>(h + (<usize>b * ldh + j) * sz, tanhT<T>(load<T>(z + (<usize>b * ldz + j) * sz)));
  }
}

export function rnn_bwd_ref<T>(B: i32, H: i32, h: usize, ldh: i32, dh: usize, lddh: i32, dz: usize, ldz: i32): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) {
    const hv = load<T>(h + (<usize>b * ldh + j) * sz);
    store<T>(dz + (<usize>b * ldz + j) * sz, load<T>(dh + (<usize>b * lddh + j) * sz) * (<T>1 - hv * hv));
  }
}
