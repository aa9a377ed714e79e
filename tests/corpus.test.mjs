// Corpus, batcher and evaluation segments follow MODELS.md exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Corpus, Batcher, evalWindows, builtinCorpus, optimalBpc } from "../dist/internal.js";

test("vocabulary is the sorted set of code points; last 10% held out", () => {
  const c = new Corpus("bca😀ab\n");
  assert.deepEqual(c.vocab, ["\n", "a", "b", "c", "😀"]);
  assert.equal(c.length, 7); // the emoji is one code point
  assert.deepEqual(Array.from(c.ids), [2, 3, 1, 4, 1, 2, 0]);
  assert.equal(c.split, Math.floor(0.9 * 7));
  assert.equal(c.train.length + c.valid.length, 7);
});

test("batcher: stream offsets, windows of S steps, advancing by S, time-major", () => {
  const data = Int32Array.from({ length: 103 }, (_, i) => i);
  const B = 3, S = 5, b = new Batcher(data, B, S);
  const stride = Math.floor((103 - S - 1) / B); // 32
  assert.deepEqual(Array.from(b.pos), [0, stride, 2 * stride]);
  const x = new Int32Array(S * B), y = new Int32Array(S * B);
  assert.deepEqual(b.next(x, y), []);
  for (let s = 0; s < B; s++) for (let t = 0; t < S; t++) {
    assert.equal(x[t * B + s], s * stride + t);
    assert.equal(y[t * B + s], s * stride + t + 1);
  }
  b.next(x, y);
  assert.equal(x[0 * B + 1], stride + S); // second window of stream 1 continues where the first ended
});

test("batcher: a stream that would run past the end restarts cyclically and asks for a state reset", () => {
  const data = Int32Array.from({ length: 50 }, (_, i) => i);
  const B = 2, S = 4, b = new Batcher(data, B, S);
  const x = new Int32Array(S * B), y = new Int32Array(S * B);
  const period = B * Math.floor((50 - S - 1) / B);
  let resets = [];
  for (let w = 0; w < 40; w++) {
    const r = b.next(x, y);
    for (let s = 0; s < B; s++) {
      for (let t = 0; t < S; t++) assert.equal(y[t * B + s], x[t * B + s] + 1);
      assert.ok(x[(S - 1) * B + s] + 1 < 50); // never reads past the end
    }
    if (r.length) resets.push([w, r]);
  }
  assert.ok(resets.length > 0);
  // stream 1 wraps first (it starts later), at its position mod the period
  assert.deepEqual(resets[0][1], [1]);
  assert.ok(period > 0);
});

test("batcher rejects a text shorter than S+1", () => {
  assert.throws(() => new Batcher(new Int32Array(5), 2, 5), /at least seq\+1/);
});

test("evaluation segments: L = ⌊(n−1)/B⌋, each predicts L characters from a zero state", () => {
  const data = Int32Array.from({ length: 23 }, (_, i) => i);
  const B = 3, S = 4, L = Math.floor(22 / 3); // 7
  const seen = Array.from({ length: B }, () => []);
  let total = 0;
  for (const w of evalWindows(data, B, S)) {
    for (let t = 0; t < w.s; t++) for (let b = 0; b < B; b++) {
      assert.equal(w.targets[t * B + b], w.inputs[t * B + b] + 1);
      seen[b].push(w.inputs[t * B + b]);
    }
    total += w.s * B;
  }
  assert.equal(total, L * B);
  for (let b = 0; b < B; b++) assert.deepEqual(seen[b], Array.from({ length: L }, (_, i) => b * L + i));
});

test("built-in corpus: deterministic, follows its grammar, bits add up", () => {
  const a = builtinCorpus(7, 20000), b = builtinCorpus(7, 20000), c = builtinCorpus(8, 20000);
  assert.equal(a.text, b.text);
  assert.notEqual(a.text, c.text);
  assert.equal(a.bits.length, a.text.length);
  const live = new Map();
  let count = 0;
  for (const line of a.text.split("\n").slice(0, -1)) {
    let m;
    if ((m = /^let ([a-z]{2}) = (\d\d);$/.exec(line))) {
      assert.ok(!live.has(m[1]), `redefined live name ${m[1]}`);
      live.set(m[1], m[2]);
      if (live.size > 8) live.delete(live.keys().next().value);
    } else if ((m = /^([a-z]{2}) is (\d\d)\.$/.exec(line))) {
      assert.equal(live.get(m[1]), m[2], `ask of ${m[1]} must repeat its live value`);
    } else if ((m = /^count (\d+)\.$/.exec(line))) {
      count = (count + 1) % 100;
      assert.equal(Number(m[1]), count);
    } else {
      assert.match(line, /^the (cat|dog|owl|fox|hen|bee|elk|ant) (runs|sleeps|eats|sings|hides|jumps|waits|swims)\.$/);
    }
  }
  const opt = optimalBpc(a, 0, a.text.length);
  assert.ok(opt > 0.5 && opt < 0.9, `optimal BPC ${opt}`);
});
