// A literal, loop-by-loop implementation of MODELS.md's sparse access memory
// (SAM) forward pass and loss, independent of the kernels: plain arrays,
// float64, one stream at a time. tests/sam.test.mjs compares the model with it.
const EPS = 1e-6, DELTA = 0.005;
const sigm = (x) => 1 / (1 + Math.exp(-x));
const oneplus = (x) => 1 + Math.log1p(Math.exp(x));

export function zeroSamState({ hidden: H, memorySlots: N, wordSize: W, readHeads: R, sparse: K }) {
  return { h: new Array(H).fill(0), c: new Array(H).fill(0), rv: new Array(R * W).fill(0),
    ridx: Array.from({ length: R }, () => new Array(K).fill(0)), rw: Array.from({ length: R }, () => new Array(K).fill(0)),
    M: Array.from({ length: N }, () => new Array(W).fill(0)), tau: new Array(N).fill(0), clock: 0 };
}

const matvec = (Wm, rows, cols, x, b) => Array.from({ length: rows }, (_, i) => {
  let s = b ? b[i] : 0;
  for (let j = 0; j < cols; j++) s += Wm[i * cols + j] * x[j];
  return s;
});
const norm = (a) => Math.sqrt(a.reduce((s, x) => s + x * x, 0) + EPS);

/** One step of one stream: mutates st, returns the logits. */
function step(P, sz, V, id, st) {
  const { hidden: H, memorySlots: N, wordSize: W, readHeads: R, sparse: K } = sz, In = V + R * W;
  const input = [...Array.from({ length: V }, (_, i) => (i === id ? 1 : 0)), ...st.rv];
  const z = matvec(P["lstm.weight_ih"], 4 * H, In, input, P["lstm.bias"]).map((v, i) => v + matvec(P["lstm.weight_hh"], 4 * H, H, st.h)[i]);
  for (let j = 0; j < H; j++) {
    const ig = sigm(z[j]), fg = sigm(z[H + j]), gg = Math.tanh(z[2 * H + j]), og = sigm(z[3 * H + j]);
    st.c[j] = fg * st.c[j] + ig * gg;
    st.h[j] = og * Math.tanh(st.c[j]);
  }
  const X = R * W + R + W + 2, xi = matvec(P["interface.weight"], X, H, st.h, P["interface.bias"]);
  const keys = Array.from({ length: R }, (_, h) => xi.slice(h * W, h * W + W));
  const beta = Array.from({ length: R }, (_, h) => oneplus(xi[R * W + h]));
  const v = xi.slice(R * W + R, R * W + R + W), alpha = sigm(xi[R * W + R + W]), gamma = sigm(xi[R * W + R + W + 1]);
  // write: erase and fill the least-recently-used slot, add to the slots read at the step before
  let lru = 0;
  for (let n = 1; n < N; n++) if (st.tau[n] < st.tau[lru]) lru = n;
  const writes = [[lru, alpha * (1 - gamma)]];
  for (let h = 0; h < R; h++) for (let j = 0; j < K; j++) writes.push([st.ridx[h][j], alpha * gamma * st.rw[h][j] / R]);
  st.M[lru] = v.map((x) => writes[0][1] * x);
  for (const [n, w] of writes.slice(1)) st.M[n] = st.M[n].map((m, x) => m + w * v[x]);
  // reads: the K most similar slots of each head, a softmax over them
  const ridx = [], rw = [], rv = [];
  for (let h = 0; h < R; h++) {
    const kn = norm(keys[h]);
    const D = st.M.map((row) => row.reduce((s, m, x) => s + m * keys[h][x], 0) / (kn * norm(row) + EPS));
    const order = D.map((d, n) => n).sort((a, b) => D[b] - D[a] || a - b).slice(0, K);
    const mx = Math.max(...order.map((n) => beta[h] * D[n]));
    const e = order.map((n) => Math.exp(beta[h] * D[n] - mx)), zs = e.reduce((a, b) => a + b, 0);
    const w = e.map((x) => x / zs);
    ridx.push(order); rw.push(w);
    for (let x = 0; x < W; x++) rv.push(order.reduce((s, n, j) => s + w[j] * st.M[n][x], 0));
  }
  st.clock += 1;
  for (const [n, w] of writes) if (w > DELTA) st.tau[n] = st.clock;
  for (let h = 0; h < R; h++) for (let j = 0; j < K; j++) if (rw[h][j] > DELTA) st.tau[ridx[h][j]] = st.clock;
  st.ridx = ridx; st.rw = rw; st.rv = rv;
  return matvec(P["out.weight"], V, H + R * W, [...st.h, ...rv], P["out.bias"]);
}

/** Σ cross-entropy (nats) of S steps × B streams (time-major ids), carrying `state` (one per stream) on. */
export function samReferenceLoss(P, sz, V, ids, tgt, B, S, state) {
  let total = 0;
  for (let t = 0; t < S; t++) {
    for (let b = 0; b < B; b++) {
      const y = step(P, sz, V, ids[t * B + b], state[b]);
      const mx = Math.max(...y);
      total += Math.log(y.reduce((s, v) => s + Math.exp(v - mx), 0)) + mx - y[tgt[t * B + b]];
    }
  }
  return total;
}
