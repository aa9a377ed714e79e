// Models against an independent plain-JS implementation of MODELS.md (float64),
// the gradient check, and state carried across windows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Backend, RecurrentModel, Rng, gradcheck } from "../dist/internal.js";

const sig = (x) => 1 / (1 + Math.exp(-x));

/** Mean loss of S steps × B streams by the equations of MODELS.md, written out directly. */
function referenceLoss(kind, P, V, H, B, S, ids, tgt, h0, c0) {
  const G = kind === "lstm" ? 4 * H : H;
  const Wih = P[`${kind}.weight_ih`], Whh = P[`${kind}.weight_hh`], bias = P[`${kind}.bias`];
  let total = 0;
  for (let b = 0; b < B; b++) {
    let h = h0[b].slice(), c = c0[b].slice();
    for (let t = 0; t < S; t++) {
      const x = ids[t * B + b];
      const z = new Array(G).fill(0).map((_, r) => {
        let s = Wih[r * V + x] + bias[r];
        for (let j = 0; j < H; j++) s += Whh[r * H + j] * h[j];
        return s;
      });
      if (kind === "lstm") {
        const nc = [], nh = [];
        for (let j = 0; j < H; j++) {
          const i = sig(z[j]), f = sig(z[H + j]), g = Math.tanh(z[2 * H + j]), o = sig(z[3 * H + j]);
          nc[j] = f * c[j] + i * g;
          nh[j] = o * Math.tanh(nc[j]);
        }
        c = nc; h = nh;
      } else {
        h = z.map(Math.tanh);
      }
      const y = new Array(V).fill(0).map((_, v) => {
        let s = P["out.bias"][v];
        for (let j = 0; j < H; j++) s += P["out.weight"][v * H + j] * h[j];
        return s;
      });
      const m = Math.max(...y);
      const lse = Math.log(y.reduce((a, v) => a + Math.exp(v - m), 0)) + m;
      total += lse - y[tgt[t * B + b]];
    }
  }
  return total / (B * S);
}

async function setup(kind, precision, V = 5, H = 3, B = 2, S = 3) {
  const be = await Backend.create(precision);
  const m = new RecurrentModel(be, kind, V, H);
  const rng = new Rng(3);
  m.init(rng);
  for (const s of m.params.slots) { const v = m.params.view(s.name); for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-1, 1); }
  m.paramsChanged();
  const ws = m.workspace(B, S);
  const ids = Array.from({ length: S * B }, () => rng.int(V)), tgt = Array.from({ length: S * B }, () => rng.int(V));
  be.I32.set(ids, ws.ids >> 2); be.I32.set(tgt, ws.tgt >> 2);
  const h0 = [], c0 = [];
  for (let b = 0; b < B; b++) {
    h0.push(Array.from({ length: H }, () => rng.uniform(-0.5, 0.5)));
    c0.push(Array.from({ length: H }, () => rng.uniform(-0.5, 0.5)));
    for (let j = 0; j < H; j++) {
      be.F[ws.Hs / be.elem + b * m.ldH + j] = h0[b][j];
      if (kind === "lstm") be.F[ws.Cs / be.elem + b * m.ldH + j] = c0[b][j];
    }
  }
  const P = Object.fromEntries(m.params.slots.map((s) => [s.name, Array.from(m.params.view(s.name))]));
  return { be, m, ws, ids, tgt, h0, c0, P, V, H, B, S };
}

for (const kind of ["rnn", "lstm"]) {
  for (const [precision, tol] of [["f64", 1e-12], ["f32", 2e-6]]) {
    // (V, H, B, S): a batch, and one stream (its products run as matrix-vector products) for one and three steps
    for (const [V, H, B, S] of [[5, 3, 2, 3], [5, 6, 1, 1], [7, 6, 1, 3]]) {
      test(`${kind} ${precision}: loss equals the plain-JS reference of MODELS.md (V=${V}, H=${H}, B=${B}, S=${S})`, async () => {
        const s = await setup(kind, precision, V, H, B, S);
        s.m.forward(s.ws, s.S);
        const got = s.m.loss(s.ws, s.S, false) / (s.B * s.S);
        const want = referenceLoss(kind, s.P, s.V, s.H, s.B, s.S, s.ids, s.tgt, s.h0, s.c0);
        assert.ok(Math.abs(got - want) / want < tol, `${got} vs ${want}`);
      });
    }
  }

  test(`${kind}: carrying the state across two windows equals one long window`, async () => {
    const S = 6, half = 3;
    const a = await setup(kind, "f64", 5, 4, 2, S);
    a.m.forward(a.ws, S);
    const whole = a.m.loss(a.ws, S, false);
    // same model and data, in two windows of 3 steps with the state carried
    const ws2 = a.m.workspace(2, half);
    a.be.F.copyWithin(ws2.Hs / 8, a.ws.Hs / 8, a.ws.Hs / 8 + 2 * a.m.ldH);
    if (kind === "lstm") a.be.F.copyWithin(ws2.Cs / 8, a.ws.Cs / 8, a.ws.Cs / 8 + 2 * a.m.ldH);
    let parts = 0;
    for (let w = 0; w < 2; w++) {
      a.be.I32.set(a.ids.slice(w * half * 2, (w + 1) * half * 2), ws2.ids >> 2);
      a.be.I32.set(a.tgt.slice(w * half * 2, (w + 1) * half * 2), ws2.tgt >> 2);
      a.m.forward(ws2, half);
      parts += a.m.loss(ws2, half, false);
      a.m.carry(ws2, half);
    }
    assert.ok(Math.abs(parts - whole) < 1e-12 * whole, `${parts} vs ${whole}`);
  });

  test(`${kind}: float64 gradient check passes at small sizes (max relative error ≤ 1e-6)`, async () => {
    const r = await gradcheck({ model: kind, hidden: 5, vocab: 7, batch: 2, seq: 4, samples: 40 });
    assert.equal(r.rows.length, 5);
    for (const row of r.rows) {
      assert.ok(row.checked > 0, `${row.name}: nothing checked`);
      assert.ok(row.err.max <= 1e-6, `${row.name}: max relative error ${row.err.max}`);
    }
    assert.equal(r.pass, true);
  });
}

test("gradient check detects a wrong gradient", async () => {
  // tolerance below float64 round-off: the check must report failure rather than pass vacuously
  const r = await gradcheck({ model: "lstm", tolerance: 1e-15 });
  assert.equal(r.pass, false);
});

test("resetState zeroes the carried state of one stream only", async () => {
  const s = await setup("lstm", "f32");
  const F = s.be.F, e = s.be.elem, l = s.m.ldH;
  s.m.resetState(s.ws, 1);
  assert.equal(F[s.ws.Hs / e + l], 0);
  assert.notEqual(F[s.ws.Hs / e], 0);
});
