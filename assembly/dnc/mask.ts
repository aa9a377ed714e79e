// Masked content addressing (Csordás & Schmidhuber, ICLR 2019; MODELS.md,
// "Options that default off"): a head compares k ∘ s with every M[n] ∘ s, so
// that a key holding only a name can match a word holding name and value.
// The masks s ∈ (0, 1)^W are σ of the (R+1)·W entries after the standard ξ:
// read heads' masks first, then the write head's.
//
// mask_fwd:  y[n] = x[n] ∘ s for the N rows of W of each of B streams
//            (x: rows at x + b·ldx + n·W; s at s + b·lds; y at y + b·ldy + n·W)
// mask_bwd:  dx[n] += dy[n] ∘ s,  ds += Σ_n dy[n] ∘ x[n]
// The masked rows are recomputed for the backward (one pass over N×W) rather
// than kept per step.
import { put, g64, addSat, putSat, xiSize } from "./common";
import { sigm } from "./interface";
import { at, clampv, clampf } from "./vec";
import { vsigmoid } from "../math";

export function mask_fwd<T>(B: i32, N: i32, W: i32, x: usize, ldx: i32, s: usize, lds: i32, y: usize, ldy: i32): void {
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < W; j++) put<T>(y, b * ldy + n * W + j, <T>(g64<T>(x, b * ldx + n * W + j) * g64<T>(s, b * lds + j)));
    }
  }
}

export function mask_bwd<T>(B: i32, N: i32, W: i32, x: usize, ldx: i32, s: usize, lds: i32, dy: usize, ldy: i32, dx: usize, ds: usize): void {
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < W; j++) {
      const sj = g64<T>(s, b * lds + j);
      let acc: f64 = 0;
      for (let n = 0; n < N; n++) {
        const g = g64<T>(dy, b * ldy + n * W + j);
        addSat<T>(dx, b * ldx + n * W + j, g * sj);
        acc += g * g64<T>(x, b * ldx + n * W + j);
      }
      addSat<T>(ds, b * lds + j, acc);
    }
  }
}

/** The masks' squash, s = σ(raw), for the (R+1)·W entries from xiSize(R, W) of each of B rows (stride ld). */
export function mask_iface_fwd<T>(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void {
  const o = xiSize(R, W), n = (R + 1) * W;
  for (let b = 0; b < B; b++) for (let j = 0; j < n; j++) put<T>(xi, b * ld + o + j, <T>sigm(g64<T>(raw, b * ld + o + j)));
}

/** draw = dxi · s(1 − s) on the masks' entries. */
export function mask_iface_bwd<T>(B: i32, R: i32, W: i32, xi: usize, dxi: usize, draw: usize, ld: i32): void {
  const o = xiSize(R, W), n = (R + 1) * W;
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < n; j++) {
      const k = b * ld + o + j, v = g64<T>(xi, k);
      putSat<T>(draw, k, g64<T>(dxi, k) * v * (1 - v));
    }
  }
}

// ---- f32x4 (the SIMD build); the specs compare it with the reference above ----

export function mask_fwd_f32(B: i32, N: i32, W: i32, x: usize, ldx: i32, s: usize, lds: i32, y: usize, ldy: i32): void {
  const W4 = W & ~3;
  for (let b = 0; b < B; b++) {
    const sb = at(s, b * lds);
    for (let n = 0; n < N; n++) {
      const xr = at(x, b * ldx + n * W), yr = at(y, b * ldy + n * W);
      let j = 0;
      for (; j < W4; j += 4) v128.store(at(yr, j), f32x4.mul(v128.load(at(xr, j)), v128.load(at(sb, j))));
      for (; j < W; j++) store<f32>(at(yr, j), load<f32>(at(xr, j)) * load<f32>(at(sb, j)));
    }
  }
}

export function mask_bwd_f32(B: i32, N: i32, W: i32, x: usize, ldx: i32, s: usize, lds: i32, dy: usize, ldy: i32, dx: usize, ds: usize): void {
  const W4 = W & ~3;
  for (let b = 0; b < B; b++) {
    const sb = at(s, b * lds), dsb = at(ds, b * lds);
    let j = 0;
    // four columns at a time down the rows: ds's sums stay in a register; every term is finite
    // (|s| < 1, dy saturated), so a sum can reach ±Inf but never Inf − Inf: clamped once
    for (; j < W4; j += 4) {
      const sv = v128.load(at(sb, j));
      let acc = f32x4.splat(0);
      for (let n = 0; n < N; n++) {
        const o = b * ldx + n * W + j, g = v128.load(at(dy, b * ldy + n * W + j));
        v128.store(at(dx, o), clampv(f32x4.add(v128.load(at(dx, o)), f32x4.mul(g, sv))));
        acc = f32x4.add(acc, f32x4.mul(g, v128.load(at(x, o))));
      }
      v128.store(at(dsb, j), clampv(f32x4.add(v128.load(at(dsb, j)), clampv(acc))));
    }
    for (; j < W; j++) {
      const sj = load<f32>(at(sb, j));
      let acc: f32 = 0;
      for (let n = 0; n < N; n++) {
        const o = b * ldx + n * W + j, g = load<f32>(at(dy, b * ldy + n * W + j));
        store<f32>(at(dx, o), clampf(load<f32>(at(dx, o)) + g * sj));
        acc += g * load<f32>(at(x, o));
      }
      store<f32>(at(dsb, j), clampf(load<f32>(at(dsb, j)) + clampf(acc)));
    }
  }
}

export function mask_iface_fwd_f32(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void {
  const o = xiSize(R, W), n = (R + 1) * W;
  for (let b = 0; b < B; b++) vsigmoid(n, at(raw, b * ld + o), at(xi, b * ld + o));
}
