// The algorithmic tasks: generators produce what they claim; the sigmoid head
// passes the gradient check; a tiny copy task is learned; the CLI round trip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { Task, Rng, gradcheck } from "../dist/internal.js";
import { dnc, tmp, jsonLines } from "./helpers.mjs";

const row = (arr, width, r) => Array.from(arr.subarray(r * width, (r + 1) * width));

test("copy: pattern, end flag, then the pattern as target under the mask; padding masked out", () => {
  const t = new Task("copy", { bits: 3, minLength: 2, maxLength: 5 });
  assert.equal(t.inSize, 4); assert.equal(t.outSize, 3); assert.equal(t.maxSteps(), 11);
  const B = 8, bt = t.batch(new Rng(4), B);
  const lengths = new Set();
  for (let b = 0; b < B; b++) {
    const flagAt = [...Array(bt.T).keys()].find((s) => row(bt.inputs, 4, s * B + b)[3] === 1);
    const L = flagAt;
    lengths.add(L);
    assert.ok(L >= 2 && L <= 5);
    for (let s = 0; s < bt.T; s++) {
      const m = bt.mask[s * B + b];
      assert.equal(m, s > L && s <= 2 * L ? 1 : 0, `mask at ${s}`);
      if (s > L && s <= 2 * L) assert.deepEqual(row(bt.targets, 3, s * B + b), row(bt.inputs, 4, (s - L - 1) * B + b).slice(0, 3));
      if (s >= L) assert.deepEqual(row(bt.inputs, 4, s * B + b).slice(0, 3), [0, 0, 0]);
    }
  }
  assert.ok(lengths.size > 1, "lengths vary");
  assert.equal(bt.T, 2 * Math.max(...lengths) + 1);
});

test("repeat-copy: DeepMind's layout (start flag, pattern, count/normMax, repeats, end marker)", () => {
  const t = new Task("repeat-copy");
  assert.deepEqual([t.o.bits, t.o.minLength, t.o.maxLength, t.o.minRepeats, t.o.maxRepeats, t.o.normMax], [4, 1, 2, 1, 2, 10]);
  assert.equal(t.inSize, 6); assert.equal(t.outSize, 5);
  const B = 16, bt = t.batch(new Rng(9), B);
  for (let b = 0; b < B; b++) {
    assert.equal(row(bt.inputs, 6, b)[4], 1); // start flag at t = 0
    const countAt = [...Array(bt.T).keys()].find((s) => row(bt.inputs, 6, s * B + b)[5] > 0);
    const L = countAt - 1, n = Math.round(row(bt.inputs, 6, countAt * B + b)[5] * 10);
    assert.ok(L >= 1 && L <= 2 && n >= 1 && n <= 2);
    const total = L * (n + 1) + 3;
    for (let s = 0; s < bt.T; s++) assert.equal(bt.mask[s * B + b], s >= L + 2 && s < total ? 1 : 0);
    for (let r = 0; r < n; r++) for (let j = 0; j < L; j++) {
      assert.deepEqual(row(bt.targets, 5, (L + 2 + r * L + j) * B + b).slice(0, 4), row(bt.inputs, 6, (1 + j) * B + b).slice(0, 4));
    }
    assert.equal(row(bt.targets, 5, (total - 1) * B + b)[4], 1); // end marker
  }
});

test("recall: the target is the item after the queried one", () => {
  const t = new Task("recall", { bits: 4, itemLength: 2, minItems: 3, maxItems: 3 });
  const B = 6, bt = t.batch(new Rng(2), B), I = t.inSize;
  for (let b = 0; b < B; b++) {
    const items = [];
    for (let k = 0; k < 3; k++) items.push([1, 2].map((j) => row(bt.inputs, I, (k * 3 + j) * B + b).slice(0, 4)));
    for (let k = 0; k < 3; k++) assert.equal(row(bt.inputs, I, k * 3 * B + b)[4], 1); // item delimiters
    const q0 = 9;
    assert.equal(row(bt.inputs, I, q0 * B + b)[5], 1); // query delimiter
    const query = [1, 2].map((j) => row(bt.inputs, I, (q0 + j) * B + b).slice(0, 4));
    const qi = items.findIndex((it) => JSON.stringify(it) === JSON.stringify(query));
    assert.ok(qi >= 0 && qi < 2);
    const out = [13, 14].map((s) => { assert.equal(bt.mask[s * B + b], 1); return row(bt.targets, 4, s * B + b); });
    assert.deepEqual(out, items[qi + 1]);
  }
});

test("copy-reuse: several copies in sequence, each output right after its flag", () => {
  const t = new Task("copy-reuse", { bits: 2, minLength: 2, maxLength: 2, sequences: 3 });
  const bt = t.batch(new Rng(1), 1);
  assert.equal(bt.T, 15);
  assert.deepEqual(Array.from(bt.mask), [0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1]);
  for (const s0 of [0, 5, 10]) {
    assert.equal(row(bt.inputs, 3, s0 + 2)[2], 1);
    for (let j = 0; j < 2; j++) assert.deepEqual(row(bt.targets, 2, s0 + 3 + j), row(bt.inputs, 3, s0 + j).slice(0, 2));
  }
});

test("generators are deterministic for a seed, and reject impossible options", () => {
  for (const name of ["copy", "repeat-copy", "recall", "copy-reuse"]) {
    const t = new Task(name);
    const a = t.batch(new Rng(7), 4), b = t.batch(new Rng(7), 4), c = t.batch(new Rng(8), 4);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.inputs, c.inputs);
    assert.ok(a.T <= t.maxSteps());
  }
  assert.throws(() => new Task("copy", { minLength: 5, maxLength: 2 }), /maxLength/);
  assert.throws(() => new Task("recall", { minItems: 1 }), /items/);
});

test("the masked sigmoid head passes the float64 gradient check for rnn, lstm and dnc", async () => {
  for (const model of ["rnn", "lstm", "dnc"]) {
    const r = await gradcheck({ model, head: "sigmoid" });
    for (const x of r.rows) assert.ok(x.checked > 0 && x.err.max <= 1e-6, `${model} ${x.name}: ${x.err.max}`);
  }
});

test("a tiny copy task (bits 2, length 1..2) reaches zero bit errors within 1500 iterations", () => {
  const r = dnc(["task", "copy", "--bits", "2", "--min-length", "1", "--max-length", "2", "--hidden", "32", "--memory", "8",
    "--word", "8", "--reads", "1", "--optimizer", "adam", "--lr", "3e-3", "--iters", "1500", "--print-every", "100", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const p = jsonLines(r.stdout).filter((l) => l.type === "progress");
  assert.equal(p.at(-1).bitErrors, 0, `bit errors ${p.at(-1).bitErrors}`);
});

test("dnc task CLI: save, resume exactly, evaluate at other lengths, inspect, errors", () => {
  const dir = tmp(), ck = join(dir, "c.safetensors");
  const common = ["task", "copy", "--bits", "3", "--max-length", "3", "--hidden", "16", "--memory", "6", "--word", "4", "--reads", "1",
    "--batch", "4", "--print-every", "1", "--json"];
  const full = jsonLines(dnc([...common, "--iters", "10"]).stdout).filter((l) => l.type === "progress");
  assert.equal(dnc([...common, "--iters", "5", "--save", ck]).code, 0);
  const b = dnc([...common, "--iters", "10", "--resume", ck]);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(jsonLines(b.stdout).filter((l) => l.type === "progress").map((l) => l.cost), full.slice(5).map((l) => l.cost));
  const ev = dnc(["task", "copy", "--checkpoint", ck, "--eval", "--length", "2,6", "--eval-batches", "2", "--json"]);
  assert.equal(ev.code, 0, ev.stderr);
  const rows = JSON.parse(ev.stdout).rows;
  assert.deepEqual(rows.map((r) => r.length), [2, 6]);
  assert.ok(rows.every((r) => r.errors >= 0 && r.errors <= 3 * r.length));
  const ins = dnc(["task", "copy", "--checkpoint", ck, "--inspect", "--max-length", "2"]);
  assert.equal(ins.code, 0, ins.stderr);
  assert.match(ins.stdout, /flag/);
  const wrong = dnc(["task", "recall", "--checkpoint", ck, "--eval"]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /trained on copy, not recall/);
  const bad = dnc(["task", "sort"]);
  assert.equal(bad.code, 2);
});

test("dnc task --init and --checkpoint --memory: trained weights in a memory of another size; --curriculum-start; conflicts refused", async () => {
  const { parseCheckpoint } = await import("../dist/internal.js");
  const dir = tmp(), ck = join(dir, "c.safetensors"), next = join(dir, "n.safetensors");
  const base = ["--bits", "3", "--max-length", "4", "--hidden", "16", "--word", "4", "--reads", "1", "--batch", "4", "--threads", "1"];
  assert.equal(dnc(["task", "copy", ...base, "--memory", "6", "--iters", "30", "--save", ck]).code, 0);
  // the same weights in 6 and in 40 slots: the memory's size is not in the checkpoint's tensors
  const ev = (extra) => JSON.parse(dnc(["task", "copy", "--checkpoint", ck, "--eval", "--length", "4", "--eval-batches", "2", "--json", ...extra]).stdout);
  const same = ev([]), six = ev(["--memory", "6"]), big = ev(["--memory", "40"]);
  assert.equal(six.memorySlots, 6); assert.equal(big.memorySlots, 40);
  assert.deepEqual(six.rows, same.rows);
  assert.notDeepEqual(big.rows, same.rows);
  assert.ok(Number.isFinite(big.rows[0].cost));
  const text = dnc(["task", "copy", "--checkpoint", ck, "--eval", "--length", "4", "--eval-batches", "1", "--memory", "40"]);
  assert.match(text.stdout, /40 slots \(trained with 6\)/);
  // --init: a fresh Adam run from those weights in 40 slots; its first step moves no weight by more than lr
  const r = dnc(["task", "copy", "--init", ck, "--memory", "40", "--optimizer", "adam", "--lr", "1e-3", "--curriculum", "--curriculum-start", "3",
    "--iters", "1", "--print-every", "1", "--threads", "1", "--json", "--save", next]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(jsonLines(r.stdout).find((l) => l.type === "progress").maxLength, 3);
  const a = parseCheckpoint(new Uint8Array(readFileSync(ck))), b = parseCheckpoint(new Uint8Array(readFileSync(next)));
  assert.equal(b.config.memorySlots, 40);
  assert.equal(b.config.taskOptions.bits, 3, "task options come from the checkpoint");
  for (const [name, t] of a.tensors) {
    if (name.startsWith("optim.")) continue;
    const u = b.tensors.get(name).data;
    assert.ok(t.data.every((x, i) => Math.abs(x - u[i]) <= 1.001e-3), name);
  }
  for (const [args, msg] of [
    [["--init", ck, "--resume", ck], /exclude each other/], [["--init", ck, "--hidden", "8"], /hidden 16, not 8/],
    [["--init", ck, "--bits", "4"], /--bits 4 conflicts with the checkpoint of --init \(3 bits\)/],
    [["--curriculum-start", "3"], /needs --curriculum/], [["--curriculum", "--curriculum-start", "9", "--max-length", "4"], /must lie in the task's lengths 1..4/],
  ]) {
    const e = dnc(["task", "copy", ...args, "--iters", "1", "--threads", "1"]);
    assert.equal(e.code, 2, args.join(" "));
    assert.match(e.stderr, msg);
  }
  const wrong = dnc(["task", "recall", "--init", ck, "--iters", "1"]);
  assert.match(wrong.stderr, /trained on copy, not recall/);
});

test("evaluateTask keeps its workspace: a table of lengths allocates once for the longest, and results do not depend on the order", async () => {
  const { Session } = await import("../dist/internal.js");
  const s = await Session.create({ model: "dnc", hidden: 8, memorySlots: 6, wordSize: 4, readHeads: 1, batch: 2, task: "copy", taskOptions: { bits: 3, maxLength: 3 } });
  const at = (L) => s.task.with({ minLength: L, maxLength: L });
  const first = s.evaluateTask(at(4), 2, undefined, at(9).maxSteps());
  const used = s.model.be.bytesUsed;
  const rows = [9, 2, 4].map((L) => s.evaluateTask(at(L), 2));
  assert.equal(s.model.be.bytesUsed, used, "no new workspace for shorter or reserved lengths");
  assert.deepEqual(rows[2], first);
  s.evaluateTask(at(12), 1);
  assert.ok(s.model.be.bytesUsed > used, "a longer task than reserved gets a larger workspace");
  s.close();
});
