// The Session in-process: policy that used to be tested through the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Session, textData, parseCheckpoint, ConfigError, CheckpointError } from "../dist/internal.js";
import { remadeCheckpoint, checkpointMetadata } from "./helpers.mjs";

const text = textData("It was the best of times, it was the worst of times, it was the age of wisdom.\n".repeat(40), { name: "t" });
const small = { model: "lstm", hidden: 12, batch: 3, seq: 8 };

async function events(s, o) { const out = []; for await (const ev of s.run(o)) out.push(ev); return out; }

test("run(): budgets, cadence and a final checkpoint; resume continues with the same losses", async () => {
  const a = await Session.create(small, { data: text });
  const evs = await events(a, { iters: 10, printEvery: 1, saveEvery: 5 });
  assert.deepEqual(evs.map((e) => e.type), ["start", ...Array(5).fill("progress"), "checkpoint", ...Array(5).fill("progress"), "checkpoint", "checkpoint", "done"]);
  assert.equal(evs.at(-1).reason, "iterations");
  const mid = evs.find((e) => e.type === "checkpoint").bytes;
  const b = await Session.resume(parseCheckpoint(mid), { data: text });
  assert.equal(b.iteration, 5);
  const rest = (await events(b, { iters: 10, printEvery: 1 })).filter((e) => e.type === "progress").map((e) => e.bpc);
  assert.deepEqual(rest, evs.filter((e) => e.type === "progress").slice(5).map((e) => e.bpc));
  // conflicts and another text are refused
  await assert.rejects(Session.resume(parseCheckpoint(mid), { data: text, expect: { hidden: 13 } }), ConfigError);
  await assert.rejects(Session.resume(parseCheckpoint(mid), { data: textData("other text, other ids ".repeat(30)) }), /different text/);
  await assert.rejects(Session.resume(parseCheckpoint(mid), { data: text, expect: { task: "copy" } }), /trained on text/);
  a.close(); b.close();
});

test("learning-rate step decay: the same updates until it starts, then the scheduled rates; a resumed run follows it exactly", async () => {
  const decay = { factor: 0.5, every: 3, after: 4 };
  const plain = await Session.create(small, { data: text }), a = await Session.create({ ...small, lrDecay: decay }, { data: text });
  const p = (await events(plain, { iters: 12, printEvery: 1 })).filter((e) => e.type === "progress");
  const evs = await events(a, { iters: 12, printEvery: 1, saveEvery: 6 }), d = evs.filter((e) => e.type === "progress");
  // event k follows update k+1; the next update's rate: 2e-3 · 0.5^⌊max(0, t − 4) / 3⌋
  assert.deepEqual(d.map((e) => e.lr), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((t) => 2e-3 * 0.5 ** Math.floor(Math.max(0, t - 4) / 3)));
  assert.ok(p.every((e) => e.lr === 2e-3));
  // updates 1–7 use the undecayed rate: the losses of updates 1–8 agree; update 8 is the first at half the rate
  assert.deepEqual(d.slice(0, 8).map((e) => e.bpc), p.slice(0, 8).map((e) => e.bpc));
  assert.notEqual(d[8].bpc, p[8].bpc);
  const mid = evs.find((e) => e.type === "checkpoint").bytes;
  const b = await Session.resume(parseCheckpoint(mid), { data: text });
  assert.deepEqual(b.cfg.lrDecay, decay);
  assert.deepEqual((await events(b, { iters: 12, printEvery: 1 })).filter((e) => e.type === "progress").map((e) => [e.bpc, e.lr]), d.slice(6).map((e) => [e.bpc, e.lr]));
  await assert.rejects(Session.resume(parseCheckpoint(mid), { data: text, expect: { lrDecay: { ...decay, factor: 0.9 } } }), /lrDecay .* conflicts/);
  for (const [bad, re] of [[{ factor: 0, every: 1, after: 0 }, /factor/], [{ factor: 1.5, every: 1, after: 0 }, /factor/], [{ factor: 0.5, every: 0, after: 0 }, /every/],
    [{ factor: 0.5, every: 1, after: -1 }, /after/], [{ factor: 0.5, every: 1, after: 0, at: 3 }, /object/]]) {
    await assert.rejects(Session.create({ ...small, lrDecay: bad }, { data: text }), (e) => e instanceof ConfigError && re.test(e.message), JSON.stringify(bad));
  }
  plain.close(); a.close(); b.close();
});

test("run(): an abort ends with stopped/interrupted after a final checkpoint; seconds budgets end with done/time", async () => {
  const s = await Session.create(small, { data: text });
  const ac = new AbortController();
  const evs = [];
  for await (const ev of s.run({ printEvery: 1, finalSave: true, signal: ac.signal })) { evs.push(ev); if (ev.iter >= 3) ac.abort(); }
  assert.deepEqual(evs.slice(-2).map((e) => [e.type, e.reason ?? e.final]), [["checkpoint", true], ["stopped", "interrupted"]]);
  const t = await events(s, { seconds: 0.2 });
  assert.equal(t.at(-1).reason, "time");
  s.close();
});

test("a diverging run stops with nonFinite and no checkpoint", async () => {
  const s = await Session.create({ ...small, optimizer: "sgd", lr: 3e38, clip: 0 }, { data: text });
  const evs = await events(s, { iters: 50, saveEvery: 1 });
  const last = evs.at(-1);
  assert.equal(last.type, "stopped");
  assert.equal(last.reason, "nonFinite");
  assert.match(last.message, /became|non-finite/);
  s.close();
});

test("configs are validated in one place, with one line per problem", async () => {
  for (const [c, re] of [[{ hidden: 0 }, /hidden/], [{ lr: -1 }, /learning rate/], [{ lr: "abc" }, /learning rate/], [{ optimizer: "bogus" }, /optimizer/],
    [{ clip: "x" }, /clip/], [{ model: "gru" }, /model kind/], [{ model: "dnc", memorySlots: 1.5 }, /memorySlots/], [{ batch: 4, seq: 10000 }, /needs at least/],
    [{ model: "dnc", gateBias: { write: "high" } }, /gateBias/]]) {
    await assert.rejects(Session.create({ ...small, ...c }, { data: text }), (e) => e instanceof ConfigError && re.test(e.message), JSON.stringify(c));
  }
});

test("a checkpoint whose config or training metadata is of the wrong type is refused", async () => {
  const s = await Session.create(small, { data: text });
  await s.step();
  const bytes = await s.checkpoint();
  const remade = (md) => remadeCheckpoint(bytes, md), header = { __metadata__: checkpointMetadata(bytes) };
  const training = JSON.parse(header.__metadata__.training), config = JSON.parse(header.__metadata__.config);
  for (const md of [{ training: JSON.stringify({ ...training, rng: [0, 0, 0, 0] }) }, { training: JSON.stringify({ ...training, positions: ["1", 2, 3] }) },
    { training: JSON.stringify({ ...training, step: -1 }) }, { vocab: JSON.stringify(["a", "a", ...JSON.parse(header.__metadata__.vocab).slice(2)]) }]) {
    assert.throws(() => parseCheckpoint(remade(md)), CheckpointError, JSON.stringify(md).slice(0, 80));
  }
  for (const bad of [{ optimizer: "bogus" }, { lr: -1 }, { lr: null }, { clip: "x" }, { batch: 1e9 }]) {
    const ck = parseCheckpoint(remade({ config: JSON.stringify({ ...config, ...bad }) }));
    await assert.rejects(Session.resume(ck, { data: text }), (e) => e instanceof CheckpointError || e instanceof ConfigError, JSON.stringify(bad));
  }
  s.close();
});

test("the corpus curriculum moves to more live names when the values are right; gate biases start where asked", async () => {
  const live2 = textData(undefined, { builtin: { live: 2 }, vocab: textData().corpus.vocab });
  const s = await Session.create({ model: "dnc", hidden: 8, memorySlots: 6, wordSize: 4, readHeads: 1, batch: 2, seq: 10, gateBias: { write: -2, allocation: 3, free: -4, readModes: [0, 2, -1] } }, { data: live2 });
  const b = s.model.params.view("interface.bias"), xi = s.model.xi;
  assert.deepEqual([b[xi.gw], b[xi.ga], b[xi.f], b[xi.pi], b[xi.pi + 1], b[xi.pi + 2]], [-2, 3, -4, 0, 2, -1]);
  // accuracy 0 moves on at every evaluation: 2 → 4 → 8, then stays
  const evs = await events(s, { iters: 4, evalEvery: 1, corpusCurriculum: { live: [2, 4, 8], accuracy: 0 } });
  assert.deepEqual(evs.filter((e) => e.type === "curriculum").map((e) => e.live), [4, 8]);
  assert.equal(s.data.id, "builtin:1:300000");
  const ck = parseCheckpoint(await s.checkpoint());
  assert.equal(ck.training.corpus, "builtin:1:300000");
  assert.deepEqual(ck.config.gateBias, { write: -2, allocation: 3, free: -4, readModes: [0, 2, -1] });
  s.close();
});

test("evaluation fits what the memory budget leaves (fewer streams, shorter windows), so a big memory keeps its run", async () => {
  const cfg = { model: "dnc", hidden: 8, memorySlots: 64, wordSize: 4, readHeads: 1, batch: 4, seq: 20 };
  const roomy = await Session.create(cfg, { data: text });
  const need = roomy.model.be.bytesUsed;
  const tight = await Session.create(cfg, { data: text, memoryBudget: need + 4 * 2 ** 20 });
  await roomy.step(); await tight.step();
  const a = roomy.evaluate(16), b = tight.evaluate(16);
  assert.ok(tight.model.be.bytesUsed <= need + 6 * 2 ** 20, `${tight.model.be.bytesUsed - need} bytes over`);
  assert.ok(Number.isFinite(b.valBpc) && Math.abs(a.valBpc - b.valBpc) < 0.05, `${a.valBpc} vs ${b.valBpc}`);
  await assert.rejects(Session.create(cfg, { data: text, memoryBudget: 2 ** 20 }), /WebAssembly memory/);
  roomy.close(); tight.close();
});

test("between(): work during a two-thread run sees the model between two steps (its checkpoint resumes to the same losses)", async () => {
  const { spawnNodeWorker } = await import("../dist/cli/threads.js");
  const opts = { data: text, threads: 2, spawn: spawnNodeWorker };
  const s = await Session.create({ ...small, batch: 4 }, opts);
  const losses = [];
  let pending;
  for await (const ev of s.run({ iters: 16, printEvery: 1, yieldMs: 0 })) {
    if (ev.type !== "progress") continue;
    losses.push(ev.bpc);
    if (ev.iter === 5) pending = s.between(async () => ({ iter: s.iteration, bytes: await s.checkpoint() }));
  }
  const { iter, bytes } = await pending;
  assert.ok(iter >= 5 && iter < 16, `ran at iteration ${iter}`);
  const r = await Session.resume(parseCheckpoint(bytes), opts);
  const rest = (await events(r, { iters: 16, printEvery: 1 })).filter((e) => e.type === "progress").map((e) => e.bpc);
  assert.deepEqual(rest, losses.slice(iter));
  s.close(); r.close();
});
