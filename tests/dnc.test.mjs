// The DNC: loss against an independent literal implementation of MODELS.md,
// the float64 gradient check, state carry, checkpoints, and the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { Backend, createModel, gradcheck } from "../dist/internal.js";
import { dncReferenceLoss, zeroDncState } from "./dnc-reference.mjs";
import { dnc, tmp, jsonLines, randomMemoryModel } from "./helpers.mjs";

const plain = { hidden: 6, memorySlots: 5, wordSize: 3, readHeads: 2 };
const masked = { ...plain, contentMask: true };
const erasing = { ...plain, eraseFreed: true };
const both = { ...plain, contentMask: true, eraseFreed: true };

for (const sizes of [plain, masked, erasing, both]) for (const [precision, tol] of [["f64", 1e-11], ["f32", 3e-5]]) {
  // a batch, and one stream (its products run as matrix-vector products: the sampling path) for 1 and 4 steps
  const what = [sizes.contentMask && "masked content addressing", sizes.eraseFreed && "erasing de-allocation"].filter(Boolean).join(" and ") || "the default DNC";
  for (const [B, S] of [[2, 4], [1, 1], [1, 4]]) test(`dnc ${precision}, ${what}: losses over two windows (state carried) equal the literal MODELS.md implementation (B=${B}, S=${S})`, async () => {
    const s = await randomMemoryModel("dnc", sizes, precision, 6, B, S);
    const state = Array.from({ length: s.B }, () => zeroDncState(sizes));
    for (let w = 0; w < 2; w++) {
      const { ids, tgt } = s.window();
      s.m.forward(s.ws, s.S);
      const got = s.m.loss(s.ws, s.S, false);
      s.m.carry(s.ws, s.S);
      const want = dncReferenceLoss(s.P, sizes, s.V, ids, tgt, s.B, s.S, state);
      assert.ok(Math.abs(got - want) / want < tol, `window ${w}: ${got} vs ${want}`);
    }
  });
}

test("dnc: float64 gradient check passes for every tensor (R=2, N=5, S=4, B=2, state carried in)", async () => {
  for (const seed of [1, 2, 3]) {
    const r = await gradcheck({ model: "dnc", hidden: 5, vocab: 7, batch: 2, seq: 4, memorySlots: 5, wordSize: 3, readHeads: 2, samples: 30, seed });
    assert.deepEqual(r.rows.map((x) => x.name), ["lstm.weight_ih", "lstm.weight_hh", "lstm.bias", "interface.weight", "interface.bias", "out.weight", "out.bias"]);
    for (const row of r.rows) {
      assert.ok(row.checked > 0, row.name);
      assert.ok(row.err.max <= 1e-6, `seed ${seed} ${row.name}: ${row.err.max}`);
    }
  }
});

test("dnc with masked content addressing: float64 gradient check passes for every tensor, every interface entry checked", async () => {
  for (const seed of [1, 2, 3]) {
    const r = await gradcheck({ model: "dnc", hidden: 5, vocab: 7, batch: 2, seq: 4, memorySlots: 5, wordSize: 3, readHeads: 2, contentMask: true, samples: 40, seed });
    const bias = r.rows.find((x) => x.name === "interface.bias");
    assert.deepEqual(bias.shape, [28 + 3 * 3], "ξ gains (R+1)·W mask entries");
    assert.equal(bias.checked + bias.skipped, 37);
    for (const row of r.rows) {
      assert.ok(row.checked > 0, row.name);
      assert.ok(row.err.max <= 1e-6, `seed ${seed} ${row.name}: ${row.err.max}`);
    }
  }
});

test("dnc with erasing de-allocation: float64 gradient check passes for every tensor, alone and with masks; the option changes the loss", async () => {
  for (const [seed, o] of [[1, {}], [2, {}], [3, { contentMask: true }]]) {
    const r = await gradcheck({ model: "dnc", hidden: 5, vocab: 7, batch: 2, seq: 4, memorySlots: 5, wordSize: 3, readHeads: 2, eraseFreed: true, ...o, samples: 40, seed });
    for (const row of r.rows) {
      assert.ok(row.checked > 0, row.name);
      assert.ok(row.err.max <= 1e-6, `seed ${seed} ${row.name}: ${row.err.max}`);
    }
  }
  // the same weights and inputs with and without: a carried-in state with read, freed slots makes them differ
  const losses = [];
  for (const sizes of [plain, erasing]) {
    const s = await randomMemoryModel("dnc", sizes, "f64", 6, 2, 4);
    s.window(); s.m.forward(s.ws, s.S); s.m.carry(s.ws, s.S);
    s.window(); s.m.forward(s.ws, s.S);
    losses.push(s.m.loss(s.ws, s.S, false));
  }
  assert.ok(Math.abs(losses[0] - losses[1]) > 1e-6 * losses[0], `${losses}`);
});

test("dnc CLI: masked content addressing is an option of the DNC only, recorded in the checkpoint and kept on resume", () => {
  const dir = tmp(), ck = join(dir, "m.safetensors");
  const r = dnc(["train", "--model", "dnc", "--content-mask", "--hidden", "8", "--memory", "6", "--word", "4", "--batch", "2", "--seq", "10", "--iters", "3", "--save", ck]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /masked content addressing/);
  const meta = JSON.parse(dnc(["eval", "--checkpoint", ck, "--json"]).stdout);
  assert.ok(Number.isFinite(meta.bpc), JSON.stringify(meta));
  const again = dnc(["train", "--resume", ck, "--iters", "5"]);
  assert.equal(again.code, 0, again.stderr);
  const lstm = dnc(["train", "--model", "lstm", "--content-mask", "--iters", "1"]);
  assert.equal(lstm.code, 2);
  assert.match(lstm.stderr, /contentMask .* is for the dnc model, not lstm/);
  const sam = dnc(["train", "--model", "sam", "--erase-freed", "--iters", "1"]);
  assert.equal(sam.code, 2);
  assert.match(sam.stderr, /eraseFreed \(de-allocation that erases\) is for the dnc model, not sam/);
  const ef = join(dir, "e.safetensors");
  const e = dnc(["train", "--model", "dnc", "--erase-freed", "--hidden", "8", "--memory", "6", "--word", "4", "--batch", "2", "--seq", "10", "--iters", "3", "--save", ef]);
  assert.equal(e.code, 0, e.stderr);
  assert.match(e.stdout, /erasing de-allocation/);
  assert.match(dnc(["train", "--resume", ef, "--iters", "4"]).stdout, /erasing de-allocation/);
  assert.match(dnc(["train", "--init", ef, "--iters", "1", "--batch", "2", "--seq", "10"]).stdout, /erasing de-allocation/);
  const plainCk = join(dir, "p.safetensors");
  assert.equal(dnc(["train", "--model", "dnc", "--hidden", "8", "--memory", "6", "--word", "4", "--batch", "2", "--seq", "10", "--iters", "2", "--save", plainCk]).code, 0);
  const conflict = dnc(["train", "--resume", plainCk, "--content-mask", "--iters", "3"]);
  assert.notEqual(conflict.code, 0);
  assert.match(conflict.stderr, /contentMask/);
});

test("dnc CLI: train, resume exactly, sample, eval, gradcheck", () => {
  const dir = tmp(), text = join(dir, "t.txt");
  writeFileSync(text, "let ab = 12;\nab is 12.\ncount 1.\nthe cat runs.\n".repeat(30));
  const common = ["train", "--model", "dnc", "--data", text, "--hidden", "12", "--memory", "6", "--word", "4", "--reads", "2",
    "--batch", "3", "--seq", "8", "--print-every", "1", "--eval-every", "1000", "--json"];
  const full = jsonLines(dnc([...common, "--iters", "12"]).stdout).filter((l) => l.type === "progress");
  const ck = join(dir, "d.safetensors");
  assert.equal(dnc([...common, "--iters", "6", "--save", ck]).code, 0);
  const b = dnc([...common, "--iters", "12", "--resume", ck, "--save", ck]);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(jsonLines(b.stdout).filter((l) => l.type === "progress").map((l) => l.bpc), full.slice(6).map((l) => l.bpc));
  const s = dnc(["sample", "--checkpoint", ck, "--length", "50", "--prime", "let "]);
  assert.equal(s.code, 0, s.stderr);
  assert.equal(Array.from(s.stdout).length, 4 + 50 + 1);
  const e = JSON.parse(dnc(["eval", "--checkpoint", ck, "--data", text, "--json"]).stdout);
  assert.ok(e.bpc > 0 && e.bpc < 8);
  const g = dnc(["gradcheck", "--model", "dnc"]);
  assert.equal(g.code, 0, g.stdout);
  assert.match(g.stdout, /interface\.weight/);
});

test("dnc inspect: per-step weightings, usage, allocation and gates, as JSON", () => {
  const dir = tmp(), text = join(dir, "t.txt"), ck = join(dir, "i.safetensors");
  writeFileSync(text, "let ab = 12;\nab is 12.\ncount 1.\n".repeat(30));
  assert.equal(dnc(["train", "--model", "dnc", "--data", text, "--hidden", "8", "--memory", "5", "--word", "3", "--reads", "2",
    "--batch", "2", "--seq", "6", "--iters", "5", "--save", ck]).code, 0);
  const r = dnc(["inspect", "--checkpoint", ck, "--prime", "let ab", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.steps.length, 6);
  assert.equal(out.steps[0].char, "l");
  for (const s of out.steps) {
    assert.equal(s.writeWeights.length, 5);
    assert.equal(s.readWeights.length, 2);
    const sw = s.writeWeights.reduce((a, b) => a + b, 0);
    assert.ok(sw >= 0 && sw <= 1 + 1e-6, `write weights sum ${sw}`);
    for (const w of s.readWeights) assert.ok(w.reduce((a, b) => a + b, 0) <= 1 + 1e-5);
    for (const m of s.readModes) assert.ok(Math.abs(m.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    for (const g of [s.allocationGate, s.writeGate, ...s.freeGates]) assert.ok(g >= 0 && g <= 1);
    assert.ok(s.usage.every((u) => u >= 0 && u <= 1 + 1e-6));
  }
  // the first step writes into empty memory: usage equals the write weighting
  assert.ok(out.steps[0].usage.every((u) => u === 0)); // usage at step 0 is from w^w_{-1} = 0
  const lstmCk = join(dir, "l.safetensors");
  assert.equal(dnc(["train", "--data", text, "--hidden", "8", "--batch", "2", "--seq", "6", "--iters", "2", "--save", lstmCk]).code, 0);
  const bad = dnc(["inspect", "--checkpoint", lstmCk, "--prime", "ab"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /holds a lstm model/);
});

test("dnc: sizes beyond the kernels' scratch are refused with a clear error", async () => {
  const be = await Backend.create("f32");
  assert.throws(() => createModel(be, "dnc", 6, { ...plain, memorySlots: 4097 }), /memorySlots must be at most 4096/);
  assert.throws(() => createModel(be, "dnc", 6, { ...plain, wordSize: 4097 }), /wordSize must be at most 4096/);
  assert.throws(() => createModel(be, "dnc", 6, { ...plain, readHeads: 0 }), /readHeads must be a positive integer/);
});
