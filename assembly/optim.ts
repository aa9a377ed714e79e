// Optimisers over the whole parameter block in one call (the host keeps every
// parameter tensor in one contiguous block, and every gradient in another).
// gs scales the gradient first: the global-norm clipping factor, 1 when off.
//   sgd      p -= lr·g
//   adagrad  m += g²;                          p -= lr·g / (√m + eps)
//   rmsprop  ms = ρ·ms + (1-ρ)·g²; mom = μ·mom + lr·g / √(ms + eps); p -= mom
//            (TensorFlow's form; the host passes its defaults ρ 0.9, μ 0, eps 1e-10, as DeepMind's DNC code trains with)
//   adam     m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
//            p -= lr1·m / (√v·c2 + eps), lr1 = lr/(1-β1^t), c2 = 1/√(1-β2^t)
//            (PyTorch's form of the bias correction)

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

export function sgd_f32(n: i32, p: usize, g: usize, lr: f64, gs: f64): void {
  const k = f32x4.splat(<f32>(lr * gs));
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), f32x4.mul(k, v128.load(at(g, i)))));
  for (; i < n; i++) store<f32>(at(p, i), load<f32>(at(p, i)) - <f32>(lr * gs) * load<f32>(at(g, i)));
}

export function adagrad_f32(n: i32, p: usize, g: usize, m: usize, lr: f64, eps: f64, gs: f64): void {
  const gsv = f32x4.splat(<f32>gs), lrv = f32x4.splat(<f32>lr), ev = f32x4.splat(<f32>eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gg = f32x4.mul(v128.load(at(g, i)), gsv);
    const mm = f32x4.add(v128.load(at(m, i)), f32x4.mul(gg, gg));
    v128.store(at(m, i), mm);
    v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), f32x4.div(f32x4.mul(lrv, gg), f32x4.add(f32x4.sqrt(mm), ev))));
  }
  for (; i < n; i++) {
    const gg = load<f32>(at(g, i)) * <f32>gs;
    const mm = load<f32>(at(m, i)) + gg * gg;
    store<f32>(at(m, i), mm);
    store<f32>(at(p, i), load<f32>(at(p, i)) - <f32>lr * gg / (Mathf.sqrt(mm) + <f32>eps));
  }
}

export function rmsprop_f32(n: i32, p: usize, g: usize, ms: usize, mom: usize, lr: f64, rho: f64, mu: f64, eps: f64, gs: f64): void {
  const gsv = f32x4.splat(<f32>gs), lrv = f32x4.splat(<f32>lr), ev = f32x4.splat(<f32>eps);
  const rv = f32x4.splat(<f32>rho), r1 = f32x4.splat(<f32>(1 - rho)), muv = f32x4.splat(<f32>mu);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gg = f32x4.mul(v128.load(at(g, i)), gsv);
    const s = f32x4.add(f32x4.mul(rv, v128.load(at(ms, i))), f32x4.mul(r1, f32x4.mul(gg, gg)));
    v128.store(at(ms, i), s);
    const mo = f32x4.add(f32x4.mul(muv, v128.load(at(mom, i))), f32x4.div(f32x4.mul(lrv, gg), f32x4.sqrt(f32x4.add(s, ev))));
    v128.store(at(mom, i), mo);
    v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), mo));
  }
  for (; i < n; i++) {
    const gg = load<f32>(at(g, i)) * <f32>gs;
    const s = <f32>rho * load<f32>(at(ms, i)) + <f32>(1 - rho) * (gg * gg);
    store<f32>(at(ms, i), s);
    const mo = <f32>mu * load<f32>(at(mom, i)) + <f32>lr * gg / Mathf.sqrt(s + <f32>eps);
    store<f32>(at(mom, i), mo);
    store<f32>(at(p, i), load<f32>(at(p, i)) - mo);
  }
}

export function adam_f32(n: i32, p: usize, g: usize, m: usize, v: usize, lr1: f64, b1: f64, b2: f64, c2: f64, eps: f64, gs: f64): void {
  const gsv = f32x4.splat(<f32>gs), lrv = f32x4.splat(<f32>lr1), ev = f32x4.splat(<f32>eps), c2v = f32x4.splat(<f32>c2);
  const b1v = f32x4.splat(<f32>b1), b1c = f32x4.splat(<f32>(1 - b1)), b2v = f32x4.splat(<f32>b2), b2c = f32x4.splat(<f32>(1 - b2));
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gg = f32x4.mul(v128.load(at(g, i)), gsv);
    const mm = f32x4.add(f32x4.mul(b1v, v128.load(at(m, i))), f32x4.mul(b1c, gg));
    const vv = f32x4.add(f32x4.mul(b2v, v128.load(at(v, i))), f32x4.mul(b2c, f32x4.mul(gg, gg)));
    v128.store(at(m, i), mm); v128.store(at(v, i), vv);
    const den = f32x4.add(f32x4.mul(f32x4.sqrt(vv), c2v), ev);
    v128.store(at(p, i), f32x4.sub(v128.load(at(p, i)), f32x4.div(f32x4.mul(lrv, mm), den)));
  }
  for (; i < n; i++) {
    const gg = load<f32>(at(g, i)) * <f32>gs;
    const mm = <f32>b1 * load<f32>(at(m, i)) + <f32>(1 - b1) * gg;
    const vv = <f32>b2 * load<f32>(at(v, i)) + <f32>(1 - b2) * (gg * gg);
    store<f32>(at(m, i), mm); store<f32>(at(v, i), vv);
    store<f32>(at(p, i), load<f32>(at(p, i)) - <f32>lr1 * mm / (Mathf.sqrt(vv) * <f32>c2 + <f32>eps));
  }
}

/** Σ g² accumulated in f64 pairs (the clipping norm). */
export function sumsq_f32(n: i32, g: usize): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(at(g, i));
    const lo = f64x2.promote_low_f32x4(x);
    const hi = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1));
    a = f64x2.add(a, f64x2.mul(lo, lo));
    b = f64x2.add(b, f64x2.mul(hi, hi));
  }
  const s = f64x2.add(a, b);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) { const x = <f64>load<f32>(at(g, i)); t += x * x; }
  return t;
}

// ---- scalar references (and the f64 build) ----
// @ts-ignore: decorator
@inline function el<T>(p: usize, i: i32): usize { return p + <usize>i * sizeof<T>(); }

export function sgd_ref<T>(n: i32, p: usize, g: usize, lr: f64, gs: f64): void {
  for (let i = 0; i < n; i++) store<T>(el<T>(p, i), load<T>(el<T>(p, i)) - <T>(lr * gs) * load<T>(el<T>(g, i)));
}

export function adagrad_ref<T>(n: i32, p: usize, g: usize, m: usize, lr: f64, eps: f64, gs: f64): void {
  for (let i = 0; i < n; i++) {
    const gg = load<T>(el<T>(g, i)) * <T>gs;
    const mm = load<T>(el<T>(m, i)) + gg * gg;
    store<T>(el<T>(m, i), mm);
    store<T>(el<T>(p, i), load<T>(el<T>(p, i)) - <T>lr * gg / (<T>Math.sqrt(<f64>mm) + <T>eps));
  }
}

export function rmsprop_ref<T>(n: i32, p: usize, g: usize, ms: usize, mom: usize, lr: f64, rho: f64, mu: f64, eps: f64, gs: f64): void {
  for (let i = 0; i < n; i++) {
    const gg = load<T>(el<T>(g, i)) * <T>gs;
    const s = <T>rho * load<T>(el<T>(ms, i)) + <T>(1 - rho) * (gg * gg);
    store<T>(el<T>(ms, i), s);
    const mo = <T>mu * load<T>(el<T>(mom, i)) + <T>lr * gg / <T>Math.sqrt(<f64>(s + <T>eps));
    store<T>(el<T>(mom, i), mo);
    store<T>(el<T>(p, i), load<T>(el<T>(p, i)) - mo);
  }
}

export function adam_ref<T>(n: i32, p: usize, g: usize, m: usize, v: usize, lr1: f64, b1: f64, b2: f64, c2: f64, eps: f64, gs: f64): void {
  for (let i = 0; i < n; i++) {
    const gg = load<T>(el<T>(g, i)) * <T>gs;
    const mm = <T>b1 * load<T>(el<T>(m, i)) + <T>(1 - b1) * gg;
    const vv = <T>b2 * load<T>(el<T>(v, i)) + <T>(1 - b2) * (gg * gg);
    store<T>(el<T>(m, i), mm); store<T>(el<T>(v, i), vv);
    store<T>(el<T>(p, i), load<T>(el<T>(p, i)) - <T>lr1 * mm / (<T>Math.sqrt(<f64>vv) * <T>c2 + <T>eps));
  }
}

export function sumsq_ref<T>(n: i32, g: usize): f64 {
  let t: f64 = 0;
  for (let i = 0; i < n; i++) { const x = <f64>load<T>(el<T>(g, i)); t += x * x; }
  return t;
}
