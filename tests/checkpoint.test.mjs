// safetensors reader/writer and checkpoints: round trips are bit-exact, bad
// files are refused with a reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeSafetensors, decodeSafetensors, FormatError, Session, textData, Backend, Corpus,
  parseCheckpoint, modelCheckpoint, CheckpointError, RecurrentModel, loadWeights, createModel } from "../dist/internal.js";

function randomF32(n, seed) {
  const a = new Float32Array(n), u = new Uint32Array(a.buffer);
  let x = seed;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; u[i] = (x >>> 0) & 0xbf7fffff; } // finite values of every exponent
  return a;
}

test("safetensors: bit-exact round trip, 8-byte aligned data, standard layout", () => {
  const t = [
    { name: "a", shape: [3, 5], data: randomF32(15, 1) },
    { name: "b.c", shape: [7], data: randomF32(7, 2) },
    { name: "empty", shape: [0, 4], data: new Float32Array(0) },
  ];
  const bytes = encodeSafetensors(t, { format: "x", note: "ü" });
  const hl = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + hl) % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hl)));
  assert.deepEqual(header.a, { dtype: "F32", shape: [3, 5], data_offsets: [0, 60] });
  const back = decodeSafetensors(bytes);
  for (const x of t) {
    const y = back.tensors.get(x.name);
    assert.deepEqual(y.shape, x.shape);
    assert.deepEqual(new Uint32Array(y.data.buffer), new Uint32Array(x.data.buffer));
  }
  assert.deepEqual(back.metadata, { format: "x", note: "ü" });
});

test("safetensors: truncated, foreign and inconsistent files are refused", () => {
  const good = encodeSafetensors([{ name: "w", shape: [4], data: new Float32Array(4) }], {});
  const bad = (b, re) => assert.throws(() => decodeSafetensors(b), (e) => e instanceof FormatError && re.test(e.message));
  bad(good.subarray(0, 5), /shorter than/);
  bad(good.subarray(0, good.length - 1), /past the end/);
  bad(good.subarray(0, 20), /exceeds the file/);
  bad(new TextEncoder().encode("hello world, this is text"), /header length|not valid JSON/);
  const mk = (h) => {
    const j = new TextEncoder().encode(JSON.stringify(h));
    const out = new Uint8Array(8 + j.length + 32);
    new DataView(out.buffer).setBigUint64(0, BigInt(j.length), true);
    out.set(j, 8);
    return out;
  };
  bad(mk({ w: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }), /dtype F16/);
  bad(mk({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }), /do not hold shape/);
  bad(mk({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }), /bad shape/);
  bad(mk({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [2], data_offsets: [4, 12] } }), /overlap/);
  bad(mk([1, 2]), /not an object/);
});

test("session checkpoint: weights, optimiser state and carried state round-trip bit-exactly", async () => {
  const data = textData("the quick brown fox jumps over the lazy dog. ".repeat(20)), c = data.corpus;
  const tr = await Session.create({ model: "lstm", hidden: 6, batch: 3, seq: 5, optimizer: "adam", lr: 0.01, clip: 5, seed: 2 }, { data });
  for (let i = 0; i < 4; i++) await tr.step();
  const bytes = await tr.checkpoint();
  const ck = parseCheckpoint(bytes);
  assert.equal(ck.kind, "lstm");
  assert.equal(ck.config.hidden, 6);
  assert.deepEqual(ck.vocab, c.vocab);
  assert.equal(ck.training.step, 4);
  for (const s of tr.model.params.slots) {
    assert.deepEqual(Array.from(ck.tensors.get(s.name).data), Array.from(tr.model.params.view(s.name)), s.name);
  }
  for (const name of ["optim.m.lstm.weight_hh", "optim.v.out.bias", "optim.state.h", "optim.state.c"]) assert.ok(ck.tensors.has(name), name);
  // metadata per MODELS.md
  const md = decodeSafetensors(bytes).metadata;
  assert.equal(md.format, "dnc-wasm/1");
  assert.equal(md.model, "lstm");
  assert.equal(JSON.parse(md.config).hidden, 6);
  // load into a fresh model: same weights
  const m2 = new RecurrentModel(await Backend.create("f32"), "lstm", c.V, 6);
  loadWeights(m2, ck);
  for (const s of m2.params.slots) assert.deepEqual(Array.from(m2.params.view(s.name)), Array.from(tr.model.params.view(s.name)));
  // a weights-only checkpoint of the same model has the same model tensors
  const w = parseCheckpoint(modelCheckpoint(tr.model, c.vocab, {}));
  assert.equal(w.training, undefined);
  assert.equal([...w.tensors.keys()].filter((k) => k.startsWith("optim.")).length, 0);
});

test("checkpoints of the wrong shape, kind or metadata are refused", async () => {
  const c = new Corpus("abcdefgh".repeat(10));
  const m = new RecurrentModel(await Backend.create("f32"), "rnn", c.V, 4);
  const ck = parseCheckpoint(modelCheckpoint(m, c.vocab, {}));
  const lstm = new RecurrentModel(await Backend.create("f32"), "lstm", c.V, 4);
  assert.throws(() => loadWeights(lstm, ck), (e) => e instanceof CheckpointError && /rnn model, not lstm/.test(e.message));
  const noMeta = encodeSafetensors([{ name: "x", shape: [1], data: new Float32Array(1) }], {});
  assert.throws(() => parseCheckpoint(noMeta), /not a dnc-wasm checkpoint/);
  const wrongShape = encodeSafetensors(
    m.params.slots.map((s) => ({ name: s.name, shape: s.name === "out.bias" ? [c.V + 1] : s.shape, data: new Float32Array(s.name === "out.bias" ? c.V + 1 : s.size) })),
    { format: "dnc-wasm/1", model: "rnn", config: '{"hidden":4}', vocab: JSON.stringify(c.vocab) });
  assert.throws(() => parseCheckpoint(wrongShape), /out.bias has shape/);
});

test("a DNC checkpoint's switches (contentMask, eraseFreed) are read as given: only true, only for a dnc", async () => {
  const c = new Corpus("abcdefgh".repeat(10));
  const m = createModel(await Backend.create("f32"), "dnc", c.V, { hidden: 4, memorySlots: 3, wordSize: 2, readHeads: 1, contentMask: true, eraseFreed: true });
  const bytes = modelCheckpoint(m, c.vocab, {});
  const ck = parseCheckpoint(bytes);
  assert.equal(ck.config.contentMask, true);
  assert.equal(ck.config.eraseFreed, true);
  const f = decodeSafetensors(bytes);
  for (const k of ["contentMask", "eraseFreed"]) for (const bad of ['"true"', "1", "false"]) {
    const meta = { ...f.metadata, config: f.metadata.config.replace(`"${k}":true`, `"${k}":${bad}`) };
    assert.throws(() => parseCheckpoint(encodeSafetensors([...f.tensors.values()], meta)), new RegExp(`${k} must be true or absent`));
  }
  // without the flag, the masks' rows make interface.weight the wrong shape for the plain DNC
  const plain = { ...f.metadata, config: f.metadata.config.replace(',"contentMask":true', "") };
  assert.throws(() => parseCheckpoint(encodeSafetensors([...f.tensors.values()], plain)), /interface.weight has shape \[20,4\], expected \[16,4\]/);
});
