// LSTM cell (PyTorch nn.LSTM), one time step for a batch of B rows.
// z holds the 4H pre-activations in gate order i, f, g, o; the forward
// overwrites them with the activated gates, which the backward reads.
//   i = σ(z_i)  f = σ(z_f)  g = tanh(z_g)  o = σ(z_o)
//   c = f∘c_prev + i∘g      tc = tanh(c)    h = o∘tc
// Buffers of width H (c_prev, c, tc, h, dh, dc) share the stride ldh;
// z and dz share ldz.
import { sigmoid4, sigmoid1, tanh4, tanh1, sigmoidT, tanhT } from "./math";

export function lstm_fwd_f32(B: i32, H: i32, z: usize, ldz: i32, cprev: usize, c: usize, tc: usize, h: usize, ldh: i32): void {
  const gs = <usize>H << 2; // byte distance between gate blocks
  for (let b = 0; b < B; b++) {
    const pz = z + ((<usize>b * ldz) << 2);
    const ro = (<usize>b * ldh) << 2;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const iv = sigmoid4(v128.load(pz + o));
      const fv = sigmoid4(v128.load(pz + gs + o));
      const gv = tanh4(v128.load(pz + 2 * gs + o));
      const ov = sigmoid4(v128.load(pz + 3 * gs + o));
      v128.store(pz + o, iv); v128.store(pz + gs + o, fv);
      v128.store(pz + 2 * gs + o, gv); v128.store(pz + 3 * gs + o, ov);
      const cv = f32x4.add(f32x4.mul(fv, v128.load(cprev + ro + o)), f32x4.mul(iv, gv));
      const tv = tanh4(cv);
      v128.store(c + ro + o, cv); v128.store(tc + ro + o, tv);
      v128.store(h + ro + o, f32x4.mul(ov, tv));
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      const iv = sigmoid1(load<f32>(pz + o));
      const fv = sigmoid1(load<f32>(pz + gs + o));
      const gv = tanh1(load<f32>(pz + 2 * gs + o));
      const ov = sigmoid1(load<f32>(pz + 3 * gs + o));
      store<f32>(pz + o, iv); store<f32>(pz + gs + o, fv);
      store<f32>(pz + 2 * gs + o, gv); store<f32>(pz + 3 * gs + o, ov);
      const cv = fv * load<f32>(cprev + ro + o) + iv * gv;
      const tv = tanh1(cv);
      store<f32>(c + ro + o, cv); store<f32>(tc + ro + o, tv);
      store<f32>(h + ro + o, ov * tv);
    }
  }
}

/**
 * dh: total gradient into h_t; dc: in, gradient into c_t from step t+1;
 * out, gradient into c_{t-1}. Writes dz (pre-activation gradients).
 */
export function lstm_bwd_f32(B: i32, H: i32, z: usize, dz: usize, ldz: i32, cprev: usize, tc: usize, dh: usize, dc: usize, ldh: i32): void {
  const gs = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const pz = z + ((<usize>b * ldz) << 2), pdz = dz + ((<usize>b * ldz) << 2);
    const ro = (<usize>b * ldh) << 2;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const iv = v128.load(pz + o), fv = v128.load(pz + gs + o);
      const gv = v128.load(pz + 2 * gs + o), ov = v128.load(pz + 3 * gs + o);
      const tv = v128.load(tc + ro + o), dhv = v128.load(dh + ro + o);
      const dcv = f32x4.add(v128.load(dc + ro + o), f32x4.mul(f32x4.mul(dhv, ov), f32x4.sub(one, f32x4.mul(tv, tv))));
      v128.store(pdz + o, f32x4.mul(f32x4.mul(dcv, gv), f32x4.mul(iv, f32x4.sub(one, iv))));
      v128.store(pdz + gs + o, f32x4.mul(f32x4.mul(dcv, v128.load(cprev + ro + o)), f32x4.mul(fv, f32x4.sub(one, fv))));
      v128.store(pdz + 2 * gs + o, f32x4.mul(f32x4.mul(dcv, iv), f32x4.sub(one, f32x4.mul(gv, gv))));
      v128.store(pdz + 3 * gs + o, f32x4.mul(f32x4.mul(dhv, tv), f32x4.mul(ov, f32x4.sub(one, ov))));
      v128.store(dc + ro + o, f32x4.mul(dcv, fv));
    }
    for (; j < H; j++) {
      const o = <usize>j << 2;
      const iv = load<f32>(pz + o), fv = load<f32>(pz + gs + o);
      const gv = load<f32>(pz + 2 * gs + o), ov = load<f32>(pz + 3 * gs + o);
      const tv = load<f32>(tc + ro + o), dhv = load<f32>(dh + ro + o);
      const dcv = load<f32>(dc + ro + o) + dhv * ov * (<f32>1 - tv * tv);
      store<f32>(pdz + o, dcv * gv * (iv * (<f32>1 - iv)));
      store<f32>(pdz + gs + o, dcv * load<f32>(cprev + ro + o) * (fv * (<f32>1 - fv)));
      store<f32>(pdz + 2 * gs + o, dcv * iv * (<f32>1 - gv * gv));
      store<f32>(pdz + 3 * gs + o, dhv * tv * (ov * (<f32>1 - ov)));
      store<f32>(dc + ro + o, dcv * fv);
    }
  }
}

export function lstm_fwd_ref<T>(B: i32, H: i32, z: usize, ldz: i32, cprev: usize, c: usize, tc: usize, h: usize, ldh: i32): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) {
    const pz = z + (<usize>b * ldz + j) * sz, gs = <usize>H * sz;
    const r = (<usize>b * ldh + j) * sz;
    const iv = sigmoidT<T>(load<T>(pz)), fv = sigmoidT<T>(load<T>(pz + gs));
    const gv = tanhT<T>(load<T>(pz + 2 * gs)), ov = sigmoidT<T>(load<T>(pz + 3 * gs));
    store<T>(pz, iv); store<T>(pz + gs, fv); store<T>(pz + 2 * gs, gv); store<T>(pz + 3 * gs, ov);
    const cv = fv * load<T>(cprev + r) + iv * gv;
    const tv = tanhT<T>(cv);
    store<T>(c + r, cv); store<T>(tc + r, tv); store<T>(h + r, ov * tv);
  }
}

export function lstm_bwd_ref<T>(B: i32, H: i32, z: usize, dz: usize, ldz: i32, cprev: usize, tc: usize, dh: usize, dc: usize, ldh: i32): void {
  const sz = <usize>sizeof<T>();
  for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) {
    const zo = (<usize>b * ldz + j) * sz, gs = <usize>H * sz;
    const r = (<usize>b * ldh + j) * sz;
    const iv = load<T>(z + zo), fv = load<T>(z + zo + gs), gv = load<T>(z + zo + 2 * gs), ov = load<T>(z + zo + 3 * gs);
    const tv = load<T>(tc + r), dhv = load<T>(dh + r);
    const dcv = load<T>(dc + r) + dhv * ov * (<T>1 - tv * tv);
    store<T>(dz + zo, dcv * gv * iv * (<T>1 - iv));
    store<T>(dz + zo + gs, dcv * load<T>(cprev + r) * fv * (<T>1 - fv));
    store<T>(dz + zo + 2 * gs, dcv * iv * (<T>1 - gv * gv));
    store<T>(dz + zo + 3 * gs, dhv * tv * ov * (<T>1 - ov));
    store<T>(dc + r, dcv * fv);
  }
}
