// The interface vector ξ = W_ξ h + b_ξ, split and transformed (MODELS.md):
// strengths by oneplus(x) = 1 + ln(1 + e^x), gates and erase vector by σ,
// read modes by a softmax over each head's triple; keys and v unchanged.
// raw and xi hold B rows of |ξ| (stride ld); xi may not alias raw.
import { get, put, g64, putSat, oBr, oBw, oE, oF, oGa, oGw, oPi, xiSize } from "./common";
import { vsigmoid } from "../math";

// @ts-ignore: decorator
@inline export function sigm(x: f64): f64 { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }
// @ts-ignore: decorator
@inline export function oneplus(x: f64): f64 { return 1 + (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x))); }

/**
 * One row of ξ (s → d) but for the sigmoids: everything copied, then the strengths by oneplus and
 * the read modes by their softmaxes. The f32x4 build adds its own sigmoids (simd/interface.ts).
 */
// @ts-ignore: decorator
@inline export function ifaceRow<T>(R: i32, W: i32, s: usize, d: usize): void {
  memory.copy(d, s, <usize>xiSize(R, W) * sizeof<T>());
  for (let i = 0; i < R; i++) put<T>(d, oBr(R, W) + i, <T>oneplus(<f64>get<T>(s, oBr(R, W) + i)));
  put<T>(d, oBw(R, W), <T>oneplus(<f64>get<T>(s, oBw(R, W))));
  for (let i = 0; i < R; i++) {
    const o = oPi(R, W) + 3 * i;
    const a = <f64>get<T>(s, o), c = <f64>get<T>(s, o + 1), e = <f64>get<T>(s, o + 2);
    const m = Math.max(a, Math.max(c, e));
    const ea = Math.exp(a - m), ec = Math.exp(c - m), ee = Math.exp(e - m), z = ea + ec + ee;
    put<T>(d, o, <T>(ea / z)); put<T>(d, o + 1, <T>(ec / z)); put<T>(d, o + 2, <T>(ee / z));
  }
}

export function iface_fwd<T>(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void {
  for (let b = 0; b < B; b++) {
    const s = raw + <usize>b * ld * sizeof<T>(), d = xi + <usize>b * ld * sizeof<T>();
    ifaceRow<T>(R, W, s, d);
    for (let j = 0; j < W; j++) put<T>(d, oE(R, W) + j, <T>sigm(<f64>get<T>(s, oE(R, W) + j)));
    for (let i = 0; i < R; i++) put<T>(d, oF(R, W) + i, <T>sigm(<f64>get<T>(s, oF(R, W) + i)));
    put<T>(d, oGa(R, W), <T>sigm(<f64>get<T>(s, oGa(R, W))));
    put<T>(d, oGw(R, W), <T>sigm(<f64>get<T>(s, oGw(R, W))));
  }
}

/** draw = ∂/∂raw given dxi = ∂/∂xi. */
export function iface_bwd<T>(B: i32, R: i32, W: i32, raw: usize, xi: usize, dxi: usize, draw: usize, ld: i32): void {
  const X = xiSize(R, W);
  for (let b = 0; b < B; b++) {
    const o = <usize>b * ld * sizeof<T>();
    const s = raw + o, y = xi + o, g = dxi + o, d = draw + o;
    for (let j = 0; j < X; j++) put<T>(d, j, get<T>(g, j));
    for (let i = 0; i < R; i++) { const k = oBr(R, W) + i; putSat<T>(d, k, g64<T>(g, k) * sigm(g64<T>(s, k))); }
    { const k = oBw(R, W); putSat<T>(d, k, g64<T>(g, k) * sigm(g64<T>(s, k))); }
    for (let j = 0; j < W; j++) { const k = oE(R, W) + j; const v = g64<T>(y, k); putSat<T>(d, k, g64<T>(g, k) * v * (1 - v)); }
    for (let i = 0; i < R; i++) { const k = oF(R, W) + i; const v = g64<T>(y, k); putSat<T>(d, k, g64<T>(g, k) * v * (1 - v)); }
    { const k = oGa(R, W); const v = g64<T>(y, k); putSat<T>(d, k, g64<T>(g, k) * v * (1 - v)); }
    { const k = oGw(R, W); const v = g64<T>(y, k); putSat<T>(d, k, g64<T>(g, k) * v * (1 - v)); }
    for (let i = 0; i < R; i++) {
      const k = oPi(R, W) + 3 * i;
      let dot: f64 = 0;
      for (let j = 0; j < 3; j++) dot += g64<T>(y, k + j) * g64<T>(g, k + j);
      for (let j = 0; j < 3; j++) putSat<T>(d, k + j, g64<T>(y, k + j) * (g64<T>(g, k + j) - dot));
    }
  }
}

// ---- f32x4 (the SIMD build); the specs compare it with the reference above ----

/**
 * iface_fwd for f32: the erase vector and the gates (W + R + 2 sigmoids per row, most of the row's
 * transcendentals) by the vectorised σ of math.ts instead of f64 Math.exp.
 */
export function iface_fwd_f32(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void {
  const e = <usize>oE(R, W) << 2, f = <usize>oF(R, W) << 2; // the free gates, g^a and g^w are contiguous
  for (let b = 0; b < B; b++) {
    const s = raw + ((<usize>b * ld) << 2), d = xi + ((<usize>b * ld) << 2);
    ifaceRow<f32>(R, W, s, d);
    vsigmoid(W, s + e, d + e);
    vsigmoid(R + 2, s + f, d + f);
  }
}
