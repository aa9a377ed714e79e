// The step, once per objective: forward, loss, backward over one batch of a
// model's workspace. The calling thread and every worker run exactly this;
// the optimiser update is the caller's (one per iteration, after any sum over
// threads). Gradients are those of the mean over the batch the workspace
// holds (a worker's share: its own mean, weighted by its share when summed).
import { CharModel, Workspace } from "../models/model.js";
import { TaskBatch } from "../data/tasks.js";

/**
 * Text: one truncated-BPTT window of S steps (time-major ids and targets of
 * ws.B streams); the streams in `resets` start from a zero state. Returns
 * Σ loss in nats; grads hold ∂(mean loss)/∂θ; the state is carried on.
 */
export function textStep(m: CharModel, ws: Workspace, inputs: Int32Array, targets: Int32Array, resets: readonly number[]): number {
  const S = ws.S, I = m.be.I32;
  for (const b of resets) m.resetState(ws, b);
  I.set(inputs, ws.ids >>> 2);
  I.set(targets, ws.tgt >>> 2);
  m.forward(ws, S);
  const nats = m.loss(ws, S, true);
  m.grads.zero();
  m.backward(ws, S);
  m.carry(ws, S);
  return nats;
}

/**
 * Tasks: fresh episodes from a zero state, T ≤ ws.S steps of dense inputs,
 * targets and mask. Returns Σ loss in nats and the wrong bits in all; with
 * update, grads hold ∂(cost per sequence)/∂θ.
 */
export function taskStep(m: CharModel, ws: Workspace, b: Pick<TaskBatch, "T" | "inputs" | "targets" | "mask">, update: boolean): { nats: number; errors: number } {
  const be = m.be, e = be.elem, T = b.T;
  if (T > ws.S) throw new RangeError(`a sequence of ${T} steps exceeds the workspace (${ws.S})`);
  be.F.set(b.inputs, ws.X / e);
  be.F.set(b.targets, ws.T / e);
  be.F.set(b.mask, ws.mask / e);
  m.resetState(ws);
  m.forward(ws, T);
  const errors = be.k.bit_errors(T * ws.B, m.V, ws.Y, m.ldV, ws.T, m.V, ws.mask);
  const nats = m.loss(ws, T, update);
  if (update) {
    m.grads.zero();
    m.backward(ws, T);
  }
  return { nats, errors };
}
