// Data-parallel training over worker threads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Session, textData, builtinCorpus } from "../dist/internal.js";
import { spawnNodeWorker } from "../dist/cli/threads.js";
import { dnc, jsonLines, tmp } from "./helpers.mjs";

const data = textData(builtinCorpus(3, 20000).text);

for (const [model, extra] of [["lstm", {}], ["dnc", {}], ["sam", { sparse: 3 }], ["sam", { sparse: 3, memorySlots: 24, lsh: { bits: 2, probes: 2 } }]]) {
  test(`${model}${extra.lsh ? " with the LSH index" : ""}: two threads give the gradients of one thread on the same batch (float32 round-off)`, async () => {
    const cfg = { model, hidden: 16, batch: 6, seq: 8, optimizer: "adam", lr: 2e-3, clip: 5, seed: 4, memorySlots: 6, wordSize: 4, readHeads: 2, ...extra };
    const one = await Session.create(cfg, { data });
    const two = await Session.create(cfg, { data, threads: 2, spawn: spawnNodeWorker });
    try {
      for (let it = 0; it < 3; it++) {
        const l1 = (await one.step()).loss, l2 = (await two.step()).loss;
        assert.ok(Math.abs(l1 - l2) < 1e-5 * l1, `iteration ${it}: loss ${l1} vs ${l2}`);
        const g1 = one.model.grads, g2 = two.model.grads;
        let worst = 0, scale = 0;
        for (const s of g1.slots) {
          const a = g1.view(s.name), b = g2.view(s.name);
          for (let i = 0; i < a.length; i++) { worst = Math.max(worst, Math.abs(a[i] - b[i])); scale = Math.max(scale, Math.abs(a[i])); }
        }
        assert.ok(worst <= 1e-4 * scale, `iteration ${it}: max gradient difference ${worst} (largest gradient ${scale})`);
      }
    } finally { two.close(); }
  });
}

test("a fixed thread count gives bit-identical runs, and resume matches an uninterrupted run on two threads", () => {
  const args = ["train", "--hidden", "24", "--batch", "8", "--seq", "10", "--print-every", "1", "--eval-every", "1000", "--json", "--threads", "2"];
  const a = jsonLines(dnc([...args, "--iters", "12"]).stdout).filter((l) => l.type === "progress").map((l) => l.bpc);
  const b = jsonLines(dnc([...args, "--iters", "12"]).stdout).filter((l) => l.type === "progress").map((l) => l.bpc);
  assert.equal(a.length, 12);
  assert.deepEqual(a, b);
  const one = jsonLines(dnc([...args.slice(0, -1), "1", "--iters", "12"]).stdout).filter((l) => l.type === "progress").map((l) => l.bpc);
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(one[i] - a[i]) < 1e-4 * a[i], `iteration ${i + 1}: ${one[i]} vs ${a[i]}`);
  const dir = tmp();
  const ck = `${dir}/t.safetensors`;
  assert.equal(dnc([...args, "--iters", "6", "--save", ck]).code, 0);
  const r = dnc([...args, "--iters", "12", "--resume", ck]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(jsonLines(r.stdout).filter((l) => l.type === "progress").map((l) => l.bpc), a.slice(6));
  const over = dnc(["train", "--batch", "2", "--threads", "3", "--iters", "1"]);
  assert.equal(over.code, 2);
});



test("eval and task training on two threads agree with one thread", () => {
  const dir = tmp(), ck = `${dir}/e.safetensors`;
  assert.equal(dnc(["train", "--hidden", "16", "--batch", "4", "--seq", "10", "--iters", "5", "--save", ck, "--threads", "1"]).code, 0);
  const one = JSON.parse(dnc(["eval", "--checkpoint", ck, "--batch", "6", "--threads", "1", "--json"]).stdout).bpc;
  const two = JSON.parse(dnc(["eval", "--checkpoint", ck, "--batch", "6", "--threads", "2", "--json"]).stdout).bpc;
  assert.ok(Math.abs(one - two) < 1e-9 * one, `${one} vs ${two}`);
  const task = (t) => jsonLines(dnc(["task", "copy", "--bits", "3", "--max-length", "3", "--hidden", "16", "--memory", "6", "--word", "4",
    "--reads", "1", "--batch", "6", "--iters", "4", "--print-every", "1", "--json", "--threads", String(t)]).stdout).filter((l) => l.type === "progress");
  const a = task(1), b = task(2), c = task(2);
  assert.deepEqual(b.map((l) => l.cost), c.map((l) => l.cost));
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(a[i].cost - b[i].cost) < 1e-4 * a[i].cost, `iteration ${i + 1}: ${a[i].cost} vs ${b[i].cost}`);
    assert.equal(a[i].bitErrors, b[i].bitErrors);
  }
});
