// Evaluation BPC by MODELS.md's rule, and sampling: forward passes only.
import { CharModel } from "../models/model.js";
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
    I.set(w.inputs, ws.ids >> 2);
    I.set(w.targets, ws.tgt >> 2);
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
  if (prime.length < 1) throw new RangeError("sampling needs at least one character to start from");
  if (!(temperature > 0)) throw new RangeError("temperature must be > 0");
  const ws = model.workspace(1, 1);
  const k = model.be.k;
  model.resetState(ws);
  const step = (id: number) => {
    model.be.I32[ws.ids >> 2] = id;
    model.forward(ws, 1);
    model.carry(ws, 1);
  };
  for (let i = 0; i < prime.length; i++) step(prime[i]);
  for (let n = 0; n < length; n++) {
    k.softmax(1, model.V, ws.Y, model.ldV, 1 / temperature);
    const id = k.sample(model.V, ws.Y, rng.next());
    onId(id);
    if (n + 1 < length) step(id);
  }
}
