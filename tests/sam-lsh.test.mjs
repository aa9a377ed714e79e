// SAM's approximate content scan (assembly/sam/lsh.ts): the kernel against a
// plain JavaScript transcription of MODELS.md's rule, the exact scan when
// every bucket is probed, an index that always equals one built afresh from
// the memory (so a resumed run scans as an uninterrupted one), and the
// options' validation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Backend, lshPlanes, textStep, readState, writeState, Rng, Session, textData, parseCheckpoint, runConfig, ConfigError, CheckpointError } from "../dist/internal.js";
import { randomMemoryModel, dnc, tmp, remadeCheckpoint, checkpointMetadata } from "./helpers.mjs";
import { join } from "node:path";

const EPS = 1e-6;

/** MODELS.md's candidates of one stream (all its heads' probed buckets) and each head's top-K, in float64. */
function referenceScan(M, N, W, keys, K, bits, probes, planes) {
  const ZB = 2 ** bits;
  const row = (n) => M.slice(n * W, n * W + W);
  const project = (v) => Array.from({ length: bits }, (_, i) => { let p = 0; for (let j = 0; j < W; j++) p += v[j] * planes[i * W + j]; return p; });
  const code = (v) => (v.every((x) => x === 0) ? ZB : project(v).reduce((c, p, i) => (p >= 0 ? c | (1 << i) : c), 0));
  const probed = new Set();
  for (const key of keys) {
    const proj = project(key), own = proj.reduce((c, p, i) => (p >= 0 ? c | (1 << i) : c), 0);
    const order = proj.map((p, i) => [Math.abs(p), i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[1]);
    for (const c of [own, ...order.slice(0, probes - 1).map((i) => own ^ (1 << i))]) probed.add(c);
  }
  const codes = Array.from({ length: N }, (_, n) => code(row(n)));
  let cand = codes.map((c, n) => (probed.has(c) ? n : -1)).filter((n) => n >= 0);
  cand.push(...codes.map((c, n) => (c === ZB ? n : -1)).filter((n) => n >= 0).slice(0, K));
  if (cand.length < K) cand = Array.from({ length: N }, (_, n) => n);
  return keys.map((key) => {
    let kk = 0; for (const x of key) kk += x * x;
    const kn = Math.sqrt(kk + EPS);
    const cos = (n) => { let dt = 0, mm = 0; const r = row(n); for (let j = 0; j < W; j++) { dt += r[j] * key[j]; mm += r[j] * r[j]; } return dt / (kn * Math.sqrt(mm + EPS) + EPS); };
    return cand.map((n) => [cos(n), n]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, K);
  });
}

test("sam lsh: the kernel's slots and similarities are the transcription's (clustered rows, never-written rows, too few candidates)", async () => {
  const be = await Backend.create("f64"), k = be.k, rng = new Rng(5);
  for (const [N, W, R, K, bits, probes, zeros] of [[200, 8, 3, 5, 4, 5, 30], [200, 8, 2, 4, 6, 2, 0], [40, 5, 2, 8, 5, 1, 0], [64, 4, 1, 3, 3, 4, 64], [9, 3, 2, 4, 1, 2, 2]]) {
    const B = 2, planes = lshPlanes(bits, W), Mo = be.alloc(B * N * W), Po = be.alloc(bits * W), tab = be.allocI32(B * Number(k.sam_lsh_table_size(N, bits)));
    const ldk = R * W + 3, ko = be.alloc(B * ldk), idx = be.alloc(B * R * K), sim = be.alloc(B * R * K);
    be.F.set(planes, Po / 8);
    const centres = Array.from({ length: 4 }, () => Array.from({ length: W }, () => rng.uniform(-1, 1)));
    const M = be.view(Mo, B * N * W), key = be.view(ko, B * ldk);
    for (let b = 0; b < B; b++) for (let n = 0; n < N; n++) for (let j = 0; j < W; j++) {
      // rows near four centres (buckets with many rows), the last `zeros` never written
      M[(b * N + n) * W + j] = n >= N - zeros ? 0 : centres[n % 4][j] + 0.3 * rng.uniform(-1, 1);
    }
    for (let i = 0; i < key.length; i++) key[i] = rng.uniform(-1, 1);
    k.sam_index_build(B, N, W, bits, Mo, Po, tab);
    const scored = Number(k.sam_scan_lsh(B, R, N, W, K, bits, probes, Mo, ko, ldk, Po, tab, idx, sim));
    assert.ok(scored >= B * R * K);
    for (let b = 0; b < B; b++) for (let h = 0; h < R; h++) {
      const keys = Array.from({ length: R }, (_, i) => Array.from(key.subarray(b * ldk + i * W, b * ldk + i * W + W)));
      const want = referenceScan(Array.from(M.subarray(b * N * W, (b + 1) * N * W)), N, W, keys, K, bits, probes, planes)[h];
      const base = (b * R + h) * K;
      assert.deepEqual(Array.from(be.view(idx, B * R * K).subarray(base, base + K)), want.map((x) => x[1]), `N=${N} bits=${bits} stream ${b} head ${h}`);
      const got = Array.from(be.view(sim, B * R * K).subarray(base, base + K));
      got.forEach((g, j) => assert.ok(Math.abs(g - want[j][0]) <= 1e-15, `${g} vs ${want[j][0]}`));
    }
  }
});

const sizes = { hidden: 6, memorySlots: 12, wordSize: 4, readHeads: 2, sparse: 3 };

test("sam lsh: with every bucket probed (bits 1, probes 2) training steps are the exact scan's, bit for bit", async () => {
  const a = await randomMemoryModel("sam", sizes, "f64", 6, 2, 5), b = await randomMemoryModel("sam", { ...sizes, lsh: { bits: 1, probes: 2 } }, "f64", 6, 2, 5);
  for (let w = 0; w < 8; w++) {
    const { ids, tgt } = a.window();
    b.be.I32.set(ids, b.ws.ids >> 2); b.be.I32.set(tgt, b.ws.tgt >> 2);
    const la = textStep(a.m, a.ws, Int32Array.from(ids), Int32Array.from(tgt), w === 4 ? [1] : []);
    const lb = textStep(b.m, b.ws, Int32Array.from(ids), Int32Array.from(tgt), w === 4 ? [1] : []);
    assert.equal(lb, la, `window ${w}`);
    assert.deepEqual(Array.from(b.be.view(b.m.grads.off, b.m.grads.n)), Array.from(a.be.view(a.m.grads.off, a.m.grads.n)));
  }
  assert.ok(b.m.scanned > 0);
});

test("sam lsh: after training, evaluation, a reset stream and written state, the index is the one built afresh from the memory", async () => {
  const s = await randomMemoryModel("sam", { ...sizes, memorySlots: 40, lsh: { bits: 3, probes: 2 } }, "f64", 6, 3, 6);
  const { be, m, ws } = s, k = be.k, TS = m.tableSize, N = m.N;
  const check = (what) => {
    const fresh = be.allocI32(ws.B * TS);
    k.sam_index_build(ws.B, N, m.W, 3, ws.M, m.planes, fresh);
    for (let b = 0; b < ws.B; b++) {
      const live = be.I32.subarray((ws.Tab >> 2) + b * TS, (ws.Tab >> 2) + (b + 1) * TS), ref = be.I32.subarray((fresh >> 2) + b * TS, (fresh >> 2) + (b + 1) * TS);
      // the rows' buckets and the buckets' sizes (the order inside a bucket does not change a scan)
      assert.deepEqual(Array.from(live.subarray(0, N)), Array.from(ref.subarray(0, N)), `${what}: stream ${b} codes`);
      assert.deepEqual(Array.from(live.subarray(3 * N + 9, 3 * N + 18)), Array.from(ref.subarray(3 * N + 9, 3 * N + 18)), `${what}: stream ${b} counts`);
    }
  };
  for (let w = 0; w < 6; w++) {
    const { ids, tgt } = s.window();
    textStep(m, ws, Int32Array.from(ids), Int32Array.from(tgt), w === 3 ? [2] : []);
    check(`window ${w}`);
  }
  m.forward(ws, ws.S); m.resetState(ws, 1); check("forward, then stream 1 reset");
  s.window();
  m.forward(ws, ws.S); m.loss(ws, ws.S, true); m.backward(ws, ws.S); check("forward and backward, not carried");
  m.forward(ws, ws.S); m.forward(ws, ws.S); m.carry(ws, 2); check("two forwards, two steps carried");
  // state written from outside (a resume, a worker's share): another model's memory
  const o = await randomMemoryModel("sam", { ...sizes, memorySlots: 40, lsh: { bits: 3, probes: 2 } }, "f64", 6, 3, 6);
  for (let w = 0; w < 2; w++) { const { ids, tgt } = o.window(); textStep(o.m, o.ws, Int32Array.from(ids), Int32Array.from(tgt), []); }
  m.forward(ws, ws.S);
  writeState(m, ws, readState(o.m, o.ws));
  check("state written");
});

test("sam lsh: a session with the index resumes exactly; the options are checked where they are read", async () => {
  const text = textData("let ab = 12;\ncount 3.\nab is 12.\n".repeat(60), { name: "t" });
  const cfg = { model: "sam", hidden: 8, memorySlots: 64, wordSize: 4, readHeads: 2, sparse: 3, lsh: { bits: 3, probes: 2 }, batch: 2, seq: 10 };
  const a = await Session.create(cfg, { data: text });
  const losses = [];
  let mid;
  for (let i = 0; i < 6; i++) { losses.push((await a.step()).loss); if (i === 2) mid = await a.checkpoint(); }
  const ck = parseCheckpoint(mid);
  assert.deepEqual(ck.config.lsh, { bits: 3, probes: 2 });
  const b = await Session.resume(ck, { data: text });
  const rest = [];
  for (let i = 0; i < 3; i++) rest.push((await b.step()).loss);
  assert.deepEqual(rest, losses.slice(3));
  a.close(); b.close();
  assert.throws(() => runConfig({ model: "lstm", lsh: { bits: 2, probes: 1 } }), /for the sam and sdnc models/);
  for (const [lsh, re] of [[{ bits: 0, probes: 1 }, /bits/], [{ bits: 21, probes: 1 }, /bits/], [{ bits: 3, probes: 5 }, /probes/], [{ bits: 3 }, /probes/], [{ bits: 3, probes: 1, x: 1 }, /object/]]) {
    assert.throws(() => runConfig({ model: "sam", lsh }), (e) => e instanceof ConfigError && re.test(e.message), JSON.stringify(lsh));
  }
  const config = JSON.parse(checkpointMetadata(mid).config);
  for (const lsh of [{ bits: 3, probes: 9 }, { bits: "3", probes: 2 }, null]) {
    assert.throws(() => parseCheckpoint(remadeCheckpoint(mid, { config: JSON.stringify({ ...config, lsh }) })), (e) => e instanceof CheckpointError && /lsh/.test(e.message), JSON.stringify(lsh));
  }
});

test("sam lsh: the CLI trains with --lsh, and refuses --lsh-probes alone or --lsh for another model", () => {
  const dir = tmp(), save = join(dir, "s.safetensors");
  const r = dnc(["train", "--model", "sam", "--hidden", "8", "--memory", "256", "--word", "8", "--reads", "2", "--lsh", "4", "--batch", "2", "--seq", "10", "--iters", "3", "--save", save]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /LSH index of 16 buckets \(5 probed\)/);
  for (const [args, re] of [[["--model", "sam", "--lsh-probes", "3"], /--lsh-probes needs --lsh/], [["--model", "lstm", "--lsh", "3"], /for the sam and sdnc models/]]) {
    const e = dnc(["train", ...args, "--iters", "1"]);
    assert.equal(e.code, 2, e.stderr);
    assert.match(e.stderr, re);
  }
});
