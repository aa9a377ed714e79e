// An independent, literal float64 implementation of MODELS.md's DNC forward
// pass, written from the spec (plain arrays, one stream at a time), to check
// the wasm model's loss against. sizes.contentMask: masked content addressing
// (each head compares k∘s with M[n]∘s; the masks s are ξ's last (R+1)·W entries);
// sizes.eraseFreed: the write starts from ψ ∘ M_{t−1}, ψ the usage's retention.
const sig = (x) => 1 / (1 + Math.exp(-x));
const oneplus = (x) => 1 + Math.log1p(Math.exp(x));
const EPS = 1e-6;

function content(M, k, beta) {
  const norm = (a) => Math.sqrt(a.reduce((s, x) => s + x * x, 0) + EPS);
  const s = M.map((row) => beta * row.reduce((acc, m, i) => acc + m * k[i], 0) / (norm(k) * norm(row) + EPS));
  const mx = Math.max(...s), e = s.map((x) => Math.exp(x - mx)), z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}

/**
 * P: tensors by name (flat arrays, row-major [out, in]); ids/tgt: per step arrays of length B (time-major);
 * state: per stream { h, c, M, L, u, p, ww, wr, r } (mutated: carried out).
 * Returns the summed loss (nats).
 */
export function dncReferenceLoss(P, sizes, V, ids, tgt, B, S, state) {
  const { hidden: H, memorySlots: N, wordSize: W, readHeads: R } = sizes;
  const mask = sizes.contentMask === true;
  const In = V + R * W, X = R * W + 3 * W + 5 * R + 3 + (mask ? (R + 1) * W : 0), HR = H + R * W;
  const mv = (Wt, rows, cols, x, b) => Array.from({ length: rows }, (_, i) => {
    let s = b ? b[i] : 0;
    for (let j = 0; j < cols; j++) s += Wt[i * cols + j] * x[j];
    return s;
  });
  let total = 0;
  for (let b = 0; b < B; b++) {
    const st = state[b];
    for (let t = 0; t < S; t++) {
      const x = new Array(V).fill(0); x[ids[t * B + b]] = 1;
      const chi = [...x, ...st.r.flat()];
      const z = mv(P["lstm.weight_ih"], 4 * H, In, chi, P["lstm.bias"]).map((v, i) => v + mv(P["lstm.weight_hh"], 4 * H, H, st.h)[i]);
      const c = [], h = [];
      for (let j = 0; j < H; j++) {
        c[j] = sig(z[H + j]) * st.c[j] + sig(z[j]) * Math.tanh(z[2 * H + j]);
        h[j] = sig(z[3 * H + j]) * Math.tanh(c[j]);
      }
      st.h = h; st.c = c;
      const xi = mv(P["interface.weight"], X, H, h, P["interface.bias"]);
      let o = 0;
      const take = (n) => { const v = xi.slice(o, o + n); o += n; return v; };
      const kr = Array.from({ length: R }, () => take(W));
      const br = take(R).map(oneplus);
      const kw = take(W), bw = oneplus(take(1)[0]);
      const e = take(W).map(sig), v = take(W);
      const f = take(R).map(sig), ga = sig(take(1)[0]), gw = sig(take(1)[0]);
      const pi = Array.from({ length: R }, () => {
        const q = take(3), m = Math.max(...q), ex = q.map((y) => Math.exp(y - m)), s = ex[0] + ex[1] + ex[2];
        return ex.map((y) => y / s);
      });
      const sr = Array.from({ length: R }, () => (mask ? take(W).map(sig) : new Array(W).fill(1)));
      const sw = mask ? take(W).map(sig) : new Array(W).fill(1);
      const masked = (Mx, s) => Mx.map((row) => row.map((m, j) => m * s[j]));
      const key = (k, s) => k.map((x, j) => x * s[j]);
      // 1. usage
      const psi = Array.from({ length: N }, (_, n) => st.wr.reduce((acc, w, i) => acc * (1 - f[i] * w[n]), 1));
      const u = st.u.map((up, n) => (up + st.ww[n] - up * st.ww[n]) * psi[n]);
      // 2. allocation
      const uh = u.map((x) => EPS + (1 - EPS) * x);
      const phi = uh.map((x, i) => [x, i]).sort((a1, a2) => a1[0] - a2[0] || a1[1] - a2[1]).map((q) => q[1]);
      const a = new Array(N).fill(0);
      let prod = 1;
      for (const s of phi) { a[s] = (1 - uh[s]) * prod; prod *= uh[s]; }
      // 3. write weighting
      const cw = mask ? content(masked(st.M, sw), key(kw, sw), bw) : content(st.M, kw, bw);
      const ww = a.map((an, n) => gw * (ga * an + (1 - ga) * cw[n]));
      // 4. memory
      const keep = sizes.eraseFreed === true ? psi : new Array(N).fill(1);
      const M = st.M.map((row, n) => row.map((m, j) => keep[n] * m * (1 - ww[n] * e[j]) + ww[n] * v[j]));
      // 5. links and precedence
      const L = st.L.map((row, i) => row.map((l, j) => (i === j ? 0 : (1 - ww[i] - ww[j]) * l + ww[i] * st.p[j])));
      const wsum = ww.reduce((s1, y) => s1 + y, 0);
      const p = st.p.map((pp, n) => (1 - wsum) * pp + ww[n]);
      // 6. reads
      const wr = [], r = [];
      for (let i = 0; i < R; i++) {
        const fw = Array.from({ length: N }, (_, n) => L[n].reduce((s1, l, m) => s1 + l * st.wr[i][m], 0));
        const bk = Array.from({ length: N }, (_, n) => L.reduce((s1, row, m) => s1 + row[n] * st.wr[i][m], 0));
        const cr = mask ? content(masked(M, sr[i]), key(kr[i], sr[i]), br[i]) : content(M, kr[i], br[i]);
        wr[i] = Array.from({ length: N }, (_, n) => pi[i][0] * bk[n] + pi[i][1] * cr[n] + pi[i][2] * fw[n]);
        r[i] = Array.from({ length: W }, (_, j) => M.reduce((s1, row, n) => s1 + row[j] * wr[i][n], 0));
      }
      Object.assign(st, { u, ww, M, L, p, wr, r });
      // 7. output
      const y = mv(P["out.weight"], V, HR, [...h, ...r.flat()], P["out.bias"]);
      const m = Math.max(...y);
      total += Math.log(y.reduce((s1, q) => s1 + Math.exp(q - m), 0)) + m - y[tgt[t * B + b]];
    }
  }
  return total;
}

export function zeroDncState(sizes) {
  const { hidden: H, memorySlots: N, wordSize: W, readHeads: R } = sizes;
  const z = (n) => new Array(n).fill(0);
  return {
    h: z(H), c: z(H), u: z(N), ww: z(N), p: z(N),
    M: Array.from({ length: N }, () => z(W)), L: Array.from({ length: N }, () => z(N)),
    wr: Array.from({ length: R }, () => z(N)), r: Array.from({ length: R }, () => z(W)),
  };
}
