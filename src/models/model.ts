// What the trainer, evaluation, sampling, checkpoints and the gradient check
// need from a model, whatever its kind; and the factory that makes one.
import { Backend } from "../runtime/backend.js";
import { ParamBlock, TensorSpec } from "./params.js";
import { Rng } from "../train/rng.js";

export type ModelKind = "rnn" | "lstm" | "dnc" | "sam" | "sdnc";
export const MODEL_KINDS: ModelKind[] = ["rnn", "lstm", "dnc", "sam", "sdnc"];

/** Kinds with an external memory (memorySlots, wordSize, readHeads): the DNC and the sparse memories. */
export function hasMemory(kind: ModelKind): boolean { return kind === "dnc" || isSparse(kind); }

/** Kinds with sparse memory (K slots per read, `sparse`; the optional LSH index): SAM and the sparse DNC. */
export function isSparse(kind: ModelKind): boolean { return kind === "sam" || kind === "sdnc"; }

/**
 * What goes in and comes out: characters (one-hot ids in, softmax over the
 * vocabulary out), or the bit tasks' dense vectors in and independent
 * sigmoids with a mask out.
 */
export interface ModelIO {
  input: "onehot" | "dense";
  inSize: number;
  output: "softmax" | "sigmoid";
  outSize: number;
}
export function charIO(V: number): ModelIO { return { input: "onehot", inSize: V, output: "softmax", outSize: V }; }
export function asIO(v: number | ModelIO): ModelIO { return typeof v === "number" ? charIO(v) : v; }

/** Sizes that define a model's tensors. */
export interface ModelConfig {
  hidden: number;
  /** Bit tasks: dense inputs of this width, sigmoid outputs of that width. */
  inputSize?: number;
  outputSize?: number;
  memorySlots?: number;
  wordSize?: number;
  readHeads?: number;
  [key: string]: unknown;
}

/**
 * Buffers every workspace has (time-major rows t·B + b): character ids and
 * targets (i32), or dense inputs X (S·B × inSize), float targets T
 * (S·B × outSize) and a mask (S·B); and the logits Y (S·B × ldV).
 */
export interface Workspace {
  readonly B: number;
  readonly S: number;
  readonly ids: number;
  readonly tgt: number;
  readonly X: number;
  readonly T: number;
  readonly mask: number;
  readonly Y: number;
}

/** The input/target buffers of a workspace for a model's I/O. */
export function ioBuffers(be: Backend, io: ModelIO, R: number) {
  return {
    ids: be.allocI32(R), tgt: be.allocI32(R),
    X: io.input === "dense" ? be.alloc(R * io.inSize) : 0,
    T: io.output === "sigmoid" ? be.alloc(R * io.outSize) : 0,
    mask: io.output === "sigmoid" ? be.alloc(R) : 0,
  };
}

/** Carried state copied out of linear memory: B rows of `cols` floats. */
export interface StateData { name: string; cols: number; data: Float32Array }

/** A piece of carried state: B rows of `cols` floats at off, stride ld. */
export interface StateTensor { name: string; cols: number; off: number; ld: number }

/**
 * A model of any kind (RNN, LSTM, DNC) over one Backend: its parameters and gradients as blocks of linear
 * memory, and forward, loss, backward and state carry over workspaces of B streams × S steps.
 */
export interface CharModel {
  readonly kind: ModelKind;
  readonly be: Backend;
  readonly io: ModelIO;
  /** Output width: vocabulary size, or bits for the tasks. */
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
  /** Called after writeState() put carried state into ws (derived structures follow it). */
  stateWritten?(ws: Workspace): void;
  stateTensors(ws: Workspace): StateTensor[];
  /** Refuses carried state that would be unsafe to run from (a message; undefined when it is fine). */
  checkState?(state: StateData[]): string | undefined;
}

/**
 * The loss over the logits of s steps (shared by every kind): softmax
 * cross-entropy, whose gradient is that of the mean over the s·B predictions
 * (MODELS.md); or the masked sigmoid cross-entropy of the bit tasks, whose
 * gradient is that of the cost per sequence (the sum over time, mean over B).
 * Returns the sum in nats.
 */
export function xentLoss(m: CharModel, ws: Workspace, s: number, grad: boolean): number {
  const R = s * ws.B, scale = lossScale(m, ws, s);
  if (m.io.output === "sigmoid") return m.be.k.bce(R, m.V, ws.Y, m.ldV, ws.T, m.V, ws.mask, scale, grad ? 1 : 0);
  return m.be.k.xent(R, m.V, ws.Y, m.ldV, ws.tgt, scale, grad ? 1 : 0);
}

/** The factor that turns the summed loss into the objective whose gradient is taken. */
export function lossScale(m: CharModel, ws: Workspace, s: number): number {
  return m.io.output === "sigmoid" ? 1 / ws.B : 1 / (s * ws.B);
}

/**
 * C += X·Wᵀ for R rows of X: W is a weight [N, K] as stored (row stride ldw), WT its transposed copy
 * [K, N] (row stride ldwt). A single row (one stream: sampling, inspection) is a matrix-vector
 * product along W's contiguous rows, 1.6–2.5× the 4×8 product kernel with one row of A.
 */
export function addXWt(m: CharModel, R: number, N: number, K: number, X: number, ldx: number,
                       W: number, ldw: number, WT: number, ldwt: number, C: number, ldc: number): void {
  if (R === 1) m.be.k.gemv(N, K, W, ldw, X, C);
  else m.be.k.gemm_nn(R, N, K, X, ldx, WT, ldwt, C, ldc);
}

/** Z = W_ih[:, :inSize]·x + b for R rows: a gather for one-hot ids, a product for dense inputs. WT is W_ihᵀ. */
export function inputForward(m: CharModel, ws: Workspace, R: number, G: number, WT: number, ldG: number, bias: number, Z: number): void {
  const k = m.be.k;
  if (m.io.input === "onehot") { k.onehot_fwd(R, G, ws.ids, WT, ldG, bias, Z, ldG); return; }
  k.rows_set(R, G, bias, Z, ldG);
  k.gemm_nn(R, G, m.io.inSize, ws.X, m.io.inSize, WT, ldG, Z, ldG);
}

/** The backward of inputForward: into dW (W_ih, row stride In) and db; dWT is scratch for the one-hot scatter. */
export function inputBackward(m: CharModel, ws: Workspace, R: number, G: number, dZ: number, ldG: number, dWT: number, dW: number, In: number, db: number): void {
  const k = m.be.k, Vin = m.io.inSize;
  if (m.io.input === "onehot") {
    m.be.zero(dWT, Vin * ldG);
    k.onehot_bwd(R, G, ws.ids, dZ, ldG, dWT, ldG, db);
    k.transpose_acc(Vin, G, dWT, ldG, dW, In);
    return;
  }
  k.gemm_tn(G, Vin, R, dZ, ldG, ws.X, Vin, dW, In);
  k.colsum_acc(R, G, dZ, ldG, db);
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

/** The carried state of a workspace as B×cols arrays. */
export function readState(m: CharModel, ws: Workspace): StateData[] {
  const F = m.be.F, e = m.be.elem;
  return m.stateTensors(ws).map((st) => {
    const data = new Float32Array(ws.B * st.cols);
    for (let b = 0; b < ws.B; b++) data.set(F.subarray(st.off / e + b * st.ld, st.off / e + b * st.ld + st.cols), b * st.cols);
    return { name: st.name, cols: st.cols, data };
  });
}

export function writeState(m: CharModel, ws: Workspace, state: StateData[]): void {
  const F = m.be.F, e = m.be.elem;
  for (const st of m.stateTensors(ws)) {
    const s = state.find((x) => x.name === st.name);
    if (!s || s.data.length !== ws.B * st.cols) throw new RangeError(`carried state ${st.name} is missing or has the wrong size`);
    for (let b = 0; b < ws.B; b++) F.set(s.data.subarray(b * st.cols, (b + 1) * st.cols), st.off / e + b * st.ld);
  }
  m.stateWritten?.(ws);
}
