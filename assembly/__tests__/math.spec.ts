import { vexp, vsigmoid, vtanh } from "../math";

// Documented bounds (math.ts): exp 2e-7, sigmoid 3e-7, tanh 3e-7 relative.
// A dense sweep, odd length so the scalar tail is exercised too.
function sweep(kind: i32, lo: f64, hi: f64, n: i32): f64 {
  const x = heap.alloc(<usize>n << 2), y = heap.alloc(<usize>n << 2);
  for (let i = 0; i < n; i++) store<f32>(x + (<usize>i << 2), <f32>(lo + (hi - lo) * <f64>i / <f64>(n - 1)));
  if (kind == 0) vexp(n, x, y);
  if (kind == 1) vsigmoid(n, x, y);
  if (kind == 2) vtanh(n, x, y);
  let worst: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = <f64>load<f32>(x + (<usize>i << 2));
    const exact = kind == 0 ? Math.exp(xi) : kind == 1 ? 1.0 / (1.0 + Math.exp(-xi)) : Math.tanh(xi);
    const got = <f64>load<f32>(y + (<usize>i << 2));
    const e = exact == 0 ? Math.abs(got) : Math.abs(got - exact) / Math.abs(exact);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

describe("vectorised exp / sigmoid / tanh error bounds", () => {
  it("exp: relative error ≤ 2e-7 on [-87, 88]", () => {
    expect<f64>(sweep(0, -87, 88, 200003)).toBeLessThan(2e-7);
  });
  it("sigmoid: relative error ≤ 3e-7 on [-80, 80]", () => {
    expect<f64>(sweep(1, -80, 80, 200003)).toBeLessThan(3e-7);
  });
  it("tanh: relative error ≤ 3e-7 on [-20, 20], including around 0 and the branch point 0.625", () => {
    expect<f64>(sweep(2, -20, 20, 200003)).toBeLessThan(3e-7);
    expect<f64>(sweep(2, -1e-3, 1e-3, 1001)).toBeLessThan(3e-7);
    expect<f64>(sweep(2, 0.6, 0.65, 10001)).toBeLessThan(3e-7);
  });
  it("the scalar twins (a row's tail) give the vector functions' results bit for bit", () => {
    const n = 4096, x = heap.alloc(<usize>n << 2), y = heap.alloc(<usize>n << 2), one = heap.alloc(16);
    let mismatches = 0;
    for (let kind = 0; kind < 3; kind++) {
      // odd steps across every branch: both exp clamps, tanh's 0.625 switch, round-half cases
      for (let i = 0; i < n; i++) store<f32>(x + (<usize>i << 2), <f32>(-100.0 + 200.0 * <f64>i / <f64>(n - 1)) * (i % 3 == 0 ? <f32>0.01 : <f32>1));
      if (kind == 0) vexp(n, x, y); else if (kind == 1) vsigmoid(n, x, y); else vtanh(n, x, y);
      for (let i = 0; i < n; i++) {
        if (kind == 0) vexp(1, x + (<usize>i << 2), one); else if (kind == 1) vsigmoid(1, x + (<usize>i << 2), one); else vtanh(1, x + (<usize>i << 2), one);
        if (reinterpret<u32>(load<f32>(one)) != reinterpret<u32>(load<f32>(y + (<usize>i << 2)))) mismatches++;
      }
    }
    expect<i32>(mismatches).toBe(0);
  });
  it("saturates to finite values far outside the range", () => {
    const x = heap.alloc(32), y = heap.alloc(32);
    store<f32>(x, 1e30); store<f32>(x + 4, -1e30); store<f32>(x + 8, 500); store<f32>(x + 12, -500); store<f32>(x + 16, 0);
    vexp(5, x, y);
    expect<bool>(isFinite(load<f32>(y)) && load<f32>(y) > 1e38).toBe(true);
    expect<bool>(load<f32>(y + 4) >= 0 && load<f32>(y + 4) < 1e-37).toBe(true);
    expect<f32>(load<f32>(y + 16)).toBe(1);
    vsigmoid(5, x, y);
    expect<f32>(load<f32>(y)).toBe(1);
    expect<bool>(load<f32>(y + 4) >= 0 && load<f32>(y + 4) < 1e-37).toBe(true);
    expect<f32>(load<f32>(y + 16)).toBe(0.5);
    vtanh(5, x, y);
    expect<f32>(load<f32>(y)).toBe(1);
    expect<f32>(load<f32>(y + 4)).toBe(-1);
    expect<f32>(load<f32>(y + 16)).toBe(0);
  });
});
