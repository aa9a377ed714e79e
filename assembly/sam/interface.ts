// SAM's interface vector ξ = W_ξ h + b_ξ, transformed: strengths by
// oneplus(x) = 1 + ln(1 + e^x), the two gates by σ; keys and v unchanged.
// raw and xi hold B rows (stride ld); xi may not alias raw.
import { get, put, g64, putSat, sBr, sA, sG, samXiSize } from "./common";
import { sigm, oneplus } from "../dnc/interface";

export function sam_iface_fwd<T>(B: i32, R: i32, W: i32, raw: usize, xi: usize, ld: i32): void {
  for (let b = 0; b < B; b++) {
    const s = raw + <usize>b * ld * sizeof<T>(), d = xi + <usize>b * ld * sizeof<T>();
    memory.copy(d, s, <usize>samXiSize(R, W) * sizeof<T>());
    for (let i = 0; i < R; i++) put<T>(d, sBr(R, W) + i, <T>oneplus(<f64>get<T>(s, sBr(R, W) + i)));
    put<T>(d, sA(R, W), <T>sigm(<f64>get<T>(s, sA(R, W))));
    put<T>(d, sG(R, W), <T>sigm(<f64>get<T>(s, sG(R, W))));
  }
}

/** draw = ∂/∂raw given dxi = ∂/∂xi. */
export function sam_iface_bwd<T>(B: i32, R: i32, W: i32, raw: usize, xi: usize, dxi: usize, draw: usize, ld: i32): void {
  const X = samXiSize(R, W);
  for (let b = 0; b < B; b++) {
    const o = <usize>b * ld * sizeof<T>();
    const s = raw + o, y = xi + o, g = dxi + o, d = draw + o;
    for (let j = 0; j < X; j++) put<T>(d, j, get<T>(g, j));
    for (let i = 0; i < R; i++) { const k = sBr(R, W) + i; putSat<T>(d, k, g64<T>(g, k) * sigm(g64<T>(s, k))); }
    { const k = sA(R, W); const v = g64<T>(y, k); putSat<T>(d, k, g64<T>(g, k) * v * (1 - v)); }
    { const k = sG(R, W); const v = g64<T>(y, k); putSat<T>(d, k, g64<T>(g, k) * v * (1 - v)); }
  }
}
