// What the trainer, evaluation, sampling, checkpoints and the gradient check
// need from a model, whatever its kind; and the factory that makes one.
import { Backend } from "../runtime/backend.js";
import { ParamBlock, TensorSpec } from "./params.js";
import { Rng } from "../train/rng.js";

export type ModelKind = "rnn" | "lstm" | "dnc";
export const MODEL_KINDS: ModelKind[] = ["rnn", "lstm", "dnc"];

/** Sizes that define a model's tensors. */
export interface ModelConfig {
  hidden: number;
  memorySlots?: number;
  wordSize?: number;
  readHeads?: number;
  [key: string]: unknown;
}

/** Buffers every workspace has: inputs, targets and logits (time-major rows t·B + b). */
export interface Workspace {
  readonly B: number;
  readonly S: number;
  readonly ids: number;
  readonly tgt: number;
  readonly Y: number;
}

/** A piece of carried state: B rows of `cols` floats at off, stride ld. */
export interface StateTensor { name: string; cols: number; off: number; ld: number }

export interface CharModel {
  readonly kind: ModelKind;
  readonly be: Backend;
  readonly V: number;
  readonly H: number;
  readonly ldV: number;
  readonly params: ParamBlock;
  readonly grads: ParamBlock;
  readonly config: ModelConfig;
  workspace(B: number, S: number): Workspace;
  init(rng: Rng): void;
  /** Call after anything writes the parameters (optimiser, loading, gradcheck). */
  paramsChanged(): void;
  /** Logits for s ≤ S steps of ws.ids into ws.Y, starting from the carried state. */
  forward(ws: Workspace, s: number): void;
  /** Σ loss (nats) over s steps; with grad, Y becomes ∂(mean loss)/∂Y. */
  loss(ws: Workspace, s: number, grad: boolean): number;
  /** Accumulates ∂(mean loss)/∂θ into grads (zero them first). */
  backward(ws: Workspace, s: number): void;
  /** Make the state after step s the carried state for the next window. */
  carry(ws: Workspace, s: number): void;
  /** Zero the carried state of stream b (all streams when b < 0). */
  resetState(ws: Workspace, b?: number): void;
  stateTensors(ws: Workspace): StateTensor[];
}

/** Cross-entropy over the logits of s steps (shared by every kind). */
export function xentLoss(m: CharModel, ws: Workspace, s: number, grad: boolean): number {
  const R = s * ws.B;
  return m.be.k.xent(R, m.V, ws.Y, m.ldV, ws.tgt, 1 / R, grad ? 1 : 0);
}

/** Zero rows of carried state for one stream or all. */
export function zeroState(m: CharModel, ws: Workspace, b = -1): void {
  for (const st of m.stateTensors(ws)) {
    if (b < 0) m.be.zero(st.off, ws.B * st.ld);
    else m.be.zero(st.off + b * st.ld * m.be.elem, st.cols);
  }
}

/** Per-workspace cache, so that a shape's buffers are laid out once. */
export class WorkspaceCache<W extends Workspace> {
  private readonly map = new Map<string, W>();
  get(B: number, S: number, make: () => W): W {
    const key = `${B}x${S}`;
    let ws = this.map.get(key);
    if (!ws) { ws = make(); this.map.set(key, ws); }
    return ws;
  }
}

export type { TensorSpec };
