// Sparse access memory: the loss against the literal implementation of
// MODELS.md (tests/sam-reference.mjs), the float64 gradient check with the
// slots held fixed, and the in-place memory's undo/redo (a training step
// leaves the state a forward pass alone leaves).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Backend, createModel, gradcheck, evaluateBpc } from "../dist/internal.js";
import { samReferenceLoss, zeroSamState } from "./sam-reference.mjs";
import { join } from "node:path";
import { randomMemoryModel, dnc, tmp, checkStepCarries, checkExactResume, inspectedSteps } from "./helpers.mjs";

const sizes = { hidden: 6, memorySlots: 9, wordSize: 4, readHeads: 2, sparse: 3 };

async function setup(precision, V = 6, B = 2, S = 5) {
  return randomMemoryModel("sam", sizes, precision, V, B, S);
}

for (const [precision, tol] of [["f64", 1e-11], ["f32", 3e-5]]) {
  for (const [B, S] of [[2, 5], [1, 1]]) test(`sam ${precision}: losses over windows (state carried) equal the literal MODELS.md implementation (B=${B}, S=${S})`, async () => {
    const s = await setup(precision, 6, B, S);
    const state = Array.from({ length: s.B }, () => zeroSamState(sizes));
    // enough steps that every slot is written and the least-used slot comes round again
    for (let w = 0; w < Math.ceil(24 / S); w++) {
      const { ids, tgt } = s.window();
      s.m.forward(s.ws, s.S);
      const got = s.m.loss(s.ws, s.S, false);
      s.m.carry(s.ws, s.S);
      const want = samReferenceLoss(s.P, sizes, s.V, ids, tgt, s.B, s.S, state);
      assert.ok(Math.abs(got - want) <= tol * Math.abs(want), `window ${w}: ${got} vs ${want}`);
    }
  });
}

test("sam: float64 gradient check through every term, slots held fixed (softmax and sigmoid heads)", async () => {
  for (const o of [{}, { seq: 8, memorySlots: 9, wordSize: 4, readHeads: 3, sparse: 2 }, { head: "sigmoid", readHeads: 1, sparse: 5, memorySlots: 5 }]) {
    const r = await gradcheck({ model: "sam", ...o });
    assert.ok(r.pass, JSON.stringify({ o, rows: r.rows.map((x) => [x.name, x.err.max]) }));
    assert.ok(r.rows.every((x) => x.checked > 0));
  }
});

test("sam: a training step leaves the carried state a forward pass leaves; a second forward starts from the carried state", async () => {
  await checkStepCarries(await setup("f64"), await setup("f64"), 3);
});

test("sam: evaluation does not depend on the window length", async () => {
  const s = await setup("f64", 11);
  const data = Int32Array.from({ length: 300 }, () => s.rng.int(11));
  const a = evaluateBpc(s.m, data, 1, 100), b = evaluateBpc(s.m, data, 1, 1), c = evaluateBpc(s.m, data, 1, 37);
  assert.ok(Math.abs(a - b) < 1e-12 && Math.abs(a - c) < 1e-12, `${a} ${b} ${c}`);
});

test("sam: a session resumes exactly, and refuses carried read slots outside the memory", async () => {
  await checkExactResume({ model: "sam", hidden: 8, memorySlots: 24, wordSize: 4, readHeads: 2, sparse: 3, batch: 2, seq: 10 },
    (t) => { t.get("optim.state.read_slots").data[1] = 24; }, /read_slots/);
});

test("sam: --sparse is refused for other models, and K must fit the memory", async () => {
  const { runConfig, ConfigError } = await import("../dist/internal.js");
  assert.throws(() => runConfig({ model: "dnc", sparse: 4 }), ConfigError);
  assert.equal(runConfig({ model: "sam" }).sparse, 8);
  const be = await Backend.create("f32");
  assert.throws(() => createModel(be, "sam", 5, { hidden: 4, memorySlots: 4, wordSize: 4, readHeads: 1, sparse: 5 }), /must not exceed/);
});

test("sam: dnc inspect shows the K slots each read touched and the write's slots, consistent with SAM's rules", () => {
  const N = 40, K = 4, R = 2, { steps, ck } = inspectedSteps("sam", N, K, R);
  assert.equal(steps.length, 20);
  steps.forEach((s, i) => {
    for (const h of s.reads) {
      assert.equal(h.slots.length, K);
      assert.equal(new Set(h.slots).size, K, `step ${i}: distinct slots`);
      assert.ok(h.slots.every((n) => Number.isInteger(n) && n >= 0 && n < N));
      assert.ok(Math.abs(h.weights.reduce((a, b) => a + b, 0) - 1) < 1e-5, "a softmax over the K slots");
      assert.ok(h.weights.every((w, j) => j === 0 || w <= h.weights[j - 1]), "heaviest first");
    }
    // the write goes to the previous step's read slots (none read yet at step 0: the zero state's) and the erased one
    assert.equal(s.write.slots.length, R * K + 1);
    assert.ok(s.write.slots.includes(s.erased));
    if (i > 0) {
      const prev = steps[i - 1].reads.flatMap((h) => h.slots).sort((a, b) => a - b);
      const rest = [...s.write.slots]; rest.splice(rest.indexOf(s.erased), 1);
      assert.deepEqual(rest.sort((a, b) => a - b), prev, `step ${i}`);
    }
  });
  assert.equal(steps[0].erased, 0, "from a zero state every slot is as old: the lowest goes first");
  const text = dnc(["inspect", "--checkpoint", ck, "--prime", "ab"]);
  assert.match(text.stdout, /4 slots per read head/);
});
