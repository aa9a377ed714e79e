// Shared by the DNC memory kernels: element access in precision T, and the
// layout of the interface vector ξ (MODELS.md, in this order):
//   read keys k^r (R·W) | read strengths β^r (R) | write key k^w (W) | write strength β^w (1)
//   | erase e (W) | write vector v (W) | free gates f (R) | allocation gate g^a (1)
//   | write gate g^w (1) | read modes π (3R: backward, content, forward per head)
// Notation (Graves et al. 2016): N slots, W word size, R read heads; M memory
// (N×W), u usage, p precedence, L temporal links (N×N), w^w write weighting,
// w^r_i read weightings, r_i read vectors.

export const EPS: f64 = 1e-6;

// @ts-ignore: decorator
@inline export function ix<T>(p: usize, i: i32): usize { return p + <usize>i * sizeof<T>(); }
// @ts-ignore: decorator
@inline export function get<T>(p: usize, i: i32): T { return load<T>(p + <usize>i * sizeof<T>()); }
// @ts-ignore: decorator
@inline export function put<T>(p: usize, i: i32, v: T): void { store<T>(p + <usize>i * sizeof<T>(), v); }
// @ts-ignore: decorator
@inline export function add<T>(p: usize, i: i32, v: T): void { const q = p + <usize>i * sizeof<T>(); store<T>(q, load<T>(q) + v); }

/**
 * p[i] += v, saturating at the largest finite value of T. Content-addressing
 * gradients scale with the key strength β, which oneplus leaves unbounded; for
 * extreme strengths the true gradient can exceed the f32 range, and a finite
 * (clipped afterwards by the trainer's norm clipping) is better than an Inf.
 */
// @ts-ignore: decorator
@inline export function addSat<T>(p: usize, i: i32, v: f64): void {
  const q = p + <usize>i * sizeof<T>();
  const big: f64 = sizeof<T>() == 4 ? <f64>f32.MAX_VALUE : f64.MAX_VALUE;
  const x = <f64>load<T>(q) + v;
  store<T>(q, <T>(x > big ? big : x < -big ? -big : x));
}

/** p[i] = v, saturating at the largest finite value of T. */
// @ts-ignore: decorator
@inline export function putSat<T>(p: usize, i: i32, v: f64): void {
  const big: f64 = sizeof<T>() == 4 ? <f64>f32.MAX_VALUE : f64.MAX_VALUE;
  store<T>(p + <usize>i * sizeof<T>(), <T>(v > big ? big : v < -big ? -big : v));
}
/** Element i as f64: backward kernels compute in f64 and saturate on store, so that
 *  gradients beyond the f32 range (from extreme strengths) stay finite instead of
 *  turning into Inf − Inf = NaN further down. */
// @ts-ignore: decorator
@inline export function g64<T>(p: usize, i: i32): f64 { return <f64>load<T>(p + <usize>i * sizeof<T>()); }

export function xiSize(R: i32, W: i32): i32 { return R * W + 3 * W + 5 * R + 3; }
// offsets of the pieces inside ξ
// @ts-ignore: decorator
@inline export function oKr(R: i32, W: i32): i32 { return 0; }
// @ts-ignore: decorator
@inline export function oBr(R: i32, W: i32): i32 { return R * W; }
// @ts-ignore: decorator
@inline export function oKw(R: i32, W: i32): i32 { return R * W + R; }
// @ts-ignore: decorator
@inline export function oBw(R: i32, W: i32): i32 { return R * W + R + W; }
// @ts-ignore: decorator
@inline export function oE(R: i32, W: i32): i32 { return R * W + R + W + 1; }
// @ts-ignore: decorator
@inline export function oV(R: i32, W: i32): i32 { return R * W + R + 2 * W + 1; }
// @ts-ignore: decorator
@inline export function oF(R: i32, W: i32): i32 { return R * W + R + 3 * W + 1; }
// @ts-ignore: decorator
@inline export function oGa(R: i32, W: i32): i32 { return R * W + 2 * R + 3 * W + 1; }
// @ts-ignore: decorator
@inline export function oGw(R: i32, W: i32): i32 { return R * W + 2 * R + 3 * W + 2; }
// @ts-ignore: decorator
@inline export function oPi(R: i32, W: i32): i32 { return R * W + 2 * R + 3 * W + 3; }

/**
 * The layout of ξ for the host: the offset of piece 0…9 (k^r, β^r, k^w, β^w, e, v, f, g^a, g^w, π),
 * and piece 10 its size; −1 for any other piece. The host's interfaceLayout is checked against it.
 */
export function xiOffset(R: i32, W: i32, piece: i32): i32 {
  switch (piece) {
    case 0: return oKr(R, W); case 1: return oBr(R, W); case 2: return oKw(R, W); case 3: return oBw(R, W);
    case 4: return oE(R, W); case 5: return oV(R, W); case 6: return oF(R, W); case 7: return oGa(R, W);
    case 8: return oGw(R, W); case 9: return oPi(R, W); case 10: return xiSize(R, W);
  }
  return -1;
}
