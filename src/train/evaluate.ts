// Evaluation BPC by MODELS.md's rule, and sampling: forward passes only.
import { ConfigError } from "../errors.js";
import { CharModel, Workspace } from "../models/model.js";
import { evalWindows } from "../data/corpus.js";
import { Rng } from "./rng.js";

/** BPC of `data` read as B contiguous segments from a zero state. */
export function evaluateBpc(model: CharModel, data: Int32Array, B = 1, S = 100): number {
  const { total, count } = evaluateLoss(model, data, B, S);
  return total / count / Math.LN2;
}

/** Σ loss (nats) and the number of predictions, for evaluateBpc and its threaded form. */
export function evaluateLoss(model: CharModel, data: Int32Array, B: number, S: number): { total: number; count: number } {
  const ws = model.workspace(B, S);
  model.resetState(ws);
  let total = 0, count = 0;
  for (const w of evalWindows(data, B, S)) {
    const I = model.be.I32;
    I.set(w.inputs, ws.ids >>> 2);
    I.set(w.targets, ws.tgt >>> 2);
    model.forward(ws, w.s);
    total += model.loss(ws, w.s, false);
    model.carry(ws, w.s);
    count += w.s * B;
  }
  return { total, count };
}

/**
 * Generates `length` ids after feeding `prime` (at least one id) through the
 * model from a zero state; calls onId for each new id as it is drawn.
 */
export function sampleIds(model: CharModel, prime: Int32Array, length: number, temperature: number, rng: Rng,
                          onId: (id: number) => void): void {
  const ids = sampleStream(model, prime, temperature, rng);
  for (let n = 0; n < length; n++) onId(ids.next().value);
}

/** Beyond this 1/T every choice is the most likely id: softmax(y/T) is one-hot up to ties (and 1/T stays finite in f32). */
const GREEDY_INV_T = 1e30;

/**
 * Ids drawn one at a time, for as long as the caller asks (a CLI that stops
 * when its pipe closes). Any temperature > 0 works; tiny ones give the greedy text.
 */
export function* sampleStream(model: CharModel, prime: Int32Array, temperature: number, rng: Rng): Generator<number, never> {
  if (prime.length < 1) throw new ConfigError("sampling needs at least one character to start from");
  if (!(temperature > 0)) throw new ConfigError("temperature must be > 0");
  const invT = Math.min(1 / temperature, GREEDY_INV_T);
  const ws = model.workspace(1, 1);
  const k = model.be.k;
  model.resetState(ws);
  const step = (id: number) => {
    model.be.I32[ws.ids >>> 2] = id;
    model.forward(ws, 1);
    model.carry(ws, 1);
  };
  for (let i = 0; i < prime.length; i++) step(prime[i]);
  for (;;) {
    k.softmax(1, model.V, ws.Y, model.ldV, invT);
    const id = k.sample(model.V, ws.Y, rng.next());
    yield id;
    step(id);
  }
}

/** One part of a text in a breakdown: its predicted characters, BPC beside its optimum, and the share predicted right. */
export interface PartScore {
  part: string;
  chars: number;
  bpc: number;
  /** Bits the text's generator charged to these characters, per character (a lower bound). */
  optimal: number;
  /** Share of characters whose target was the model's most likely id. */
  accuracy: number;
}

/** BPC over the whole text and per part. */
export interface Breakdown { bpc: number; optimal: number; accuracy: number; parts: PartScore[] }

/** Per workspace (laid out once per shape, so a scratch per workspace is too): xent_rows' output. */
const rowScores = new WeakMap<Workspace, number>();

/**
 * Scores one stream from a zero state over `ids` (MODELS.md's rule with B = 1),
 * split by `part[i]` of each predicted character i ≥ 1: part p is named
 * names[p]; `bits[i]` is the information charged to character i. `onChar`
 * sees every predicted character (its nats and whether it was the most likely id).
 */
export function evaluateParts(model: CharModel, ids: Int32Array, part: Uint8Array, bits: Float64Array,
                              names: readonly string[], S = 100,
                              onChar?: (i: number, nats: number, right: boolean) => void): Breakdown {
  const P = names.length;
  const loss = new Float64Array(P), right = new Float64Array(P), opt = new Float64Array(P), n = new Float64Array(P);
  const ws = model.workspace(1, S);
  const be = model.be, e = be.elem;
  let out = rowScores.get(ws);
  if (out === undefined) { out = be.alloc(2 * S); rowScores.set(ws, out); }
  model.resetState(ws);
  let i = 1;
  for (const w of evalWindows(ids, 1, S)) {
    be.I32.set(w.inputs, ws.ids >>> 2);
    be.I32.set(w.targets, ws.tgt >>> 2);
    model.forward(ws, w.s);
    be.k.xent_rows(w.s, model.V, ws.Y, model.ldV, ws.tgt, out);
    model.carry(ws, w.s);
    const o = be.F.subarray(out / e, out / e + 2 * w.s);
    for (let t = 0; t < w.s; t++, i++) {
      const p = part[i];
      loss[p] += o[2 * t]; right[p] += o[2 * t + 1]; opt[p] += bits[i]; n[p]++;
      onChar?.(i, o[2 * t], o[2 * t + 1] > 0);
    }
  }
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0), N = sum(n);
  return {
    bpc: sum(loss) / N / Math.LN2, optimal: sum(opt) / N, accuracy: sum(right) / N,
    parts: names.map((name, p) => ({
      part: name, chars: n[p], bpc: n[p] ? loss[p] / n[p] / Math.LN2 : NaN,
      optimal: n[p] ? opt[p] / n[p] : NaN, accuracy: n[p] ? right[p] / n[p] : NaN,
    })),
  };
}
