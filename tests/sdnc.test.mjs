// The sparse DNC: the float64 gradient check through every term (content,
// links, precedence, read modes) with the discrete sets held, the in-place
// memory and links' undo/redo, exact resume, and the commands on an sdnc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { gradcheck } from "../dist/internal.js";
import { randomMemoryModel, dnc, tmp, checkStepCarries, checkExactResume, inspectedSteps } from "./helpers.mjs";

const sizes = { hidden: 6, memorySlots: 9, wordSize: 4, readHeads: 2, sparse: 2 };

test("sdnc: float64 gradient check through every term, sets held fixed (softmax and sigmoid heads, LSH scan)", async () => {
  for (const o of [{}, { seq: 8, memorySlots: 9, wordSize: 4, readHeads: 3, sparse: 2 }, { head: "sigmoid", readHeads: 1, sparse: 3, memorySlots: 5 },
    { memorySlots: 12, sparse: 2, lsh: { bits: 2, probes: 2 } }]) {
    const r = await gradcheck({ model: "sdnc", hidden: 5, ...o });
    assert.ok(r.pass, JSON.stringify({ o, rows: r.rows.map((x) => [x.name, x.err.max]) }));
    assert.ok(r.rows.every((x) => x.checked > 0));
  }
});

test("sdnc: links, precedence and directional reads on a hand-worked case (N=5, K=2): merged entries, δ, j ≠ i, truncation", async () => {
  const { Backend } = await import("../dist/internal.js");
  const be = await Backend.create("f64"), k = be.k, F = be.F, I = be.I32, N = 5, K = 2, Kw = 2;
  const n = Math.max(N, Kw + K), map = be.allocI32(n), cs = be.allocI32(n), cv = be.allocI32(2 * n);
  I.fill(-1, map / 4, map / 4 + n);
  const widx = be.alloc(Kw), wval = be.alloc(Kw), pre = be.alloc(2 * K), pnew = be.alloc(2 * K);
  const Li = be.alloc(N * K), Lv = be.alloc(N * K), col = be.allocI32(Number(k.sdnc_col_size(N, K)));
  const dl = be.alloc(3 * Kw), olog = be.alloc(Kw * 2 * K), nlog = be.alloc(Kw * 2 * K);
  const f = (off, i) => F[off / 8 + i];
  // link and precedence slots are stored plus one (0: none); a record is [K slots | K values]
  const entries = (idx, val, i0, cnt, enc) => Object.fromEntries(Array.from({ length: cnt }, (_, q) => [f(idx, i0 + q) - enc, f(val, i0 + q)]).filter(([, v]) => v > 0));
  const row = (i) => entries(Li, Lv, i * K, K, 1);
  const prec = () => entries(pnew, pnew + K * 8, 0, K, 1);
  const write = (w) => {
    w.forEach(([slot, v], e) => { F[widx / 8 + e] = slot; F[wval / 8 + e] = v; });
    k.sdnc_links_fwd(1, N, K, Kw, widx, wval, pre, Li, Lv, col, map, cs, cv, dl, olog, nlog, pnew, 0);
    F.copyWithin(pre / 8, pnew / 8, pnew / 8 + 2 * K);
  };
  const close = (a, b) => {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), JSON.stringify({ a, b }));
    for (const j in b) assert.ok(Math.abs(a[j] - b[j]) < 1e-12, `${j}: ${a[j]} vs ${b[j]}`);
  };
  write([[0, 1], [0, 0]]);       // w(0) = 1, nothing precedes: row 0 stays empty; p = {0: 1}
  close(row(0), {}); close(prec(), { 0: 1 });
  write([[1, 0.6], [1, 0.2]]);   // two entries of one slot: w(1) = 0.8; row 1 = 0.8 p
  close(row(1), { 0: 0.8 }); close(prec(), { 1: 0.8, 0: 0.2 });
  write([[2, 0.5], [3, 0.004]]); // slot 3 under δ keeps its row; p = 0.496 p + w, cut to 2
  close(row(2), { 1: 0.4, 0: 0.1 }); close(row(3), {}); close(prec(), { 2: 0.5, 1: 0.3968 });
  write([[1, 0.9], [4, 0]]);     // row 1 = 0.1 row 1 + 0.9 p without p(1) (j ≠ i)
  close(row(1), { 2: 0.45, 0: 0.08 }); close(row(4), {}); close(prec(), { 1: 0.93968, 2: 0.05 });
  write([[3, 0.7], [3, 0]]);
  close(row(3), { 1: 0.657776, 2: 0.035 }); close(prec(), { 3: 0.7, 1: 0.281904 });
  write([[2, 0.6], [2, 0]]);     // 0.4 {1: .4, 0: .1} + 0.6 {3: .7, 1: .281904}: three candidates, slot 0 cut
  close(row(2), { 3: 0.42, 1: 0.3291424 });
  // reads from a head that read slots 1 and 2 at 0.5 each: backward = rows 1 and 2; forward = columns 1 and 2
  const pidx = be.alloc(2), pw = be.alloc(2), bidx = be.alloc(K), bval = be.alloc(K), fidx = be.alloc(K), fval = be.alloc(K);
  F.set([1, 2], pidx / 8); F.set([0.5, 0.5], pw / 8);
  k.sdnc_dir_fwd(1, 1, N, K, 2, pidx, pw, Li, Lv, col, map, cs, cv, bidx, bval, fidx, fval, 0);
  close(entries(bidx, bval, 0, K, 0), { 2: 0.225, 3: 0.21 });        // of {2: .225, 0: .04, 3: .21, 1: .1645712}
  close(entries(fidx, fval, 0, K, 0), { 3: 0.346388, 1: 0.225 });    // of {2: .1645712, 3: .346388, 1: .225}
});

test("sdnc: the links carry weight (directional reads are not empty after a few steps)", async () => {
  const s = await randomMemoryModel("sdnc", sizes, "f64", 6, 2, 6);
  s.window(); s.m.forward(s.ws, 6);
  const F = s.be.F, e = s.be.elem, ws = s.ws, n = 2 * 2 * 2;
  const sum = (off) => Array.from(F.subarray(off / e, off / e + n)).reduce((a, b) => a + b, 0);
  assert.ok(sum(ws.at(ws.Bval, 5, 4)) > 0 && sum(ws.at(ws.Fval, 5, 4)) > 0);
});

test("sdnc: a training step leaves the carried state a forward pass leaves; a second forward starts from the carried state", async () => {
  const a = await randomMemoryModel("sdnc", sizes, "f64", 6, 2, 5), b = await randomMemoryModel("sdnc", sizes, "f64", 6, 2, 5);
  await checkStepCarries(a, b, 4, (a) => {
    // the column index follows the rows: rebuilding it changes nothing
    const col = Array.from(a.be.I32.subarray(a.ws.Col / 4, a.ws.Col / 4 + a.B * a.m.colSize));
    a.m.stateWritten(a.ws);
    assert.deepEqual(Array.from(a.be.I32.subarray(a.ws.Col / 4, a.ws.Col / 4 + a.B * a.m.colSize)), col, "column index");
  });
});

test("sdnc: a session resumes exactly, and refuses carried link slots outside the memory", async () => {
  await checkExactResume({ model: "sdnc", hidden: 8, memorySlots: 24, wordSize: 4, readHeads: 2, sparse: 3, batch: 2, seq: 10 },
    (t) => { t.get("optim.state.link_slots").data[5] = 25; }, /link_slots/);
});

test("sdnc: train, resume, sample and eval from the command line; two threads", () => {
  const d = tmp(), ck = join(d, "s.safetensors");
  const base = ["--model", "sdnc", "--hidden", "12", "--memory", "40", "--word", "6", "--reads", "2", "--sparse", "3", "--batch", "2", "--seq", "12"];
  let r = dnc(["train", ...base, "--iters", "10", "--save", ck]);
  assert.equal(r.code, 0, r.stderr);
  r = dnc(["train", "--resume", ck, "--iters", "15"]);
  assert.equal(r.code, 0, r.stderr);
  r = dnc(["sample", "--checkpoint", ck, "--length", "30"]);
  assert.equal(r.code, 0, r.stderr);
  r = dnc(["eval", "--checkpoint", ck]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /BPC|all/);
  r = dnc(["train", ...base, "--iters", "4", "--threads", "2"]);
  assert.equal(r.code, 0, r.stderr);
});

test("sdnc: dnc inspect shows each head's touched slots and read modes; the write goes to the previous reads and the erased slot", () => {
  const N = 40, K = 3, R = 2, { steps, ck } = inspectedSteps("sdnc", N, K, R);
  assert.equal(steps.length, 20);
  let linked = 0;
  steps.forEach((s, i) => {
    s.reads.forEach((h, j) => {
      assert.ok(h.slots.length >= K && h.slots.length <= 3 * K, `step ${i}: K by content, up to K per link direction`);
      assert.equal(new Set(h.slots).size, h.slots.length, "each slot once");
      assert.ok(h.slots.every((n) => Number.isInteger(n) && n >= 0 && n < N));
      assert.ok(h.weights.every((w, k) => w > 0 && (k === 0 || w <= h.weights[k - 1])), "heaviest first, no empty entries");
      const modes = s.readModes[j], total = h.weights.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(modes.reduce((a, b) => a + b, 0) - 1) < 1e-5, "modes are a softmax");
      // content is a softmax over K slots; each directional part sums to at most 1
      assert.ok(total >= modes[1] - 1e-5 && total <= 1 + 1e-5, `step ${i}: ${total}`);
      if (h.slots.length > K) linked++;
    });
    assert.equal(s.write.slots.length, R * 3 * K + 1, "every previous read entry (empty ones too) and the erased slot");
    assert.ok(s.write.slots.includes(s.erased));
    if (i > 0) {
      const prev = new Set(steps[i - 1].reads.flatMap((h) => h.slots));
      assert.ok(s.write.slots.filter((n, k) => s.write.weights[k] > 0 && n !== s.erased).every((n) => prev.has(n)), `step ${i}`);
    }
  });
  assert.ok(linked > 0, "some reads reach slots through the links");
  const text = dnc(["inspect", "--checkpoint", ck, "--prime", "ab"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /3 slots per read head by content, 3 by each link direction/);
  assert.match(text.stdout, /\(\d\.\d\d\/\d\.\d\d\/\d\.\d\d\)/);
});

test("sdnc: dnc task --inspect shows a copy episode's reads, phases and read modes", () => {
  const d = tmp(), ck = join(d, "c.safetensors");
  let r = dnc(["task", "copy", "--model", "sdnc", "--hidden", "12", "--memory", "30", "--word", "8", "--reads", "1", "--sparse", "2",
    "--batch", "2", "--iters", "5", "--threads", "1", "--save", ck]);
  assert.equal(r.code, 0, r.stderr);
  r = dnc(["task", "copy", "--checkpoint", ck, "--inspect", "--length", "6", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const { steps } = JSON.parse(r.stdout);
  assert.equal(steps.length, 6 + 1 + 6, "pattern, flag, answer");
  assert.deepEqual([...new Set(steps.map((s) => s.phase))], ["in", "flag", "out"]);
  assert.ok(steps.every((s) => s.readModes.length === 1 && s.reads.length === 1));
  r = dnc(["task", "copy", "--checkpoint", ck, "--inspect", "--length", "6,7"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /one --length/);
});
