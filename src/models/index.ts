// Making a model of any kind from its kind, vocabulary size and config.
import { Backend } from "../runtime/backend.js";
import { CharModel, ModelConfig, ModelIO, ModelKind, TensorSpec, asIO, isSparse } from "./model.js";
import { RecurrentModel } from "./recurrent.js";
import { DncModel, DncSizes, GateBias, interfaceLayout } from "./dnc.js";
import { SamModel, SamSizes, samInterfaceLayout, Lsh, usesQuantCopy } from "./sam.js";
import { SdncModel } from "./sdnc.js";

export const DNC_DEFAULTS = { memorySlots: 32, wordSize: 16, readHeads: 2 };
/** SAM: slots each read head touches. */
export const SAM_DEFAULT_SPARSE = 8;

/** The DNC's sizes from a config, with defaults for what it lacks. */
export function dncSizes(c: ModelConfig): DncSizes {
  return {
    hidden: c.hidden,
    memorySlots: c.memorySlots ?? DNC_DEFAULTS.memorySlots,
    wordSize: c.wordSize ?? DNC_DEFAULTS.wordSize,
    readHeads: c.readHeads ?? DNC_DEFAULTS.readHeads,
  };
}

/** SAM's sizes: the DNC's, and K, the slots per read head. */
export function samSizes(c: ModelConfig): SamSizes {
  return { ...dncSizes(c), sparse: (c.sparse as number | undefined) ?? SAM_DEFAULT_SPARSE };
}

/** The DNC's options that default off (masked content addressing changes its interface's tensors). */
function contentMask(c: ModelConfig): boolean { return c.contentMask === true; }
function eraseFreed(c: ModelConfig): boolean { return c.eraseFreed === true; }

export function createModel(be: Backend, kind: ModelKind, io: number | ModelIO, c: ModelConfig): CharModel {
  if (kind === "sam") return new SamModel(be, io, samSizes(c), { lsh: c.lsh as Lsh | undefined });
  if (kind === "sdnc") return new SdncModel(be, io, samSizes(c), { lsh: c.lsh as Lsh | undefined });
  return kind === "dnc" ? new DncModel(be, io, dncSizes(c), { gateBias: (c.gateBias ?? {}) as GateBias, contentMask: contentMask(c), eraseFreed: eraseFreed(c) }) : new RecurrentModel(be, kind, io, c.hidden);
}

export function modelSpecs(kind: ModelKind, io: number | ModelIO, c: ModelConfig): TensorSpec[] {
  if (kind === "sam" || kind === "sdnc") return SamModel.specs(io, samSizes(c), kind === "sdnc");
  return kind === "dnc" ? DncModel.specs(io, dncSizes(c), contentMask(c)) : RecurrentModel.specs(kind, io, c.hidden);
}

/** The I/O a checkpoint's config describes: bit-task sizes if present, else characters of the vocabulary. */
export function ioFromConfig(c: ModelConfig, vocabSize: number): ModelIO {
  if (c.inputSize !== undefined && c.outputSize !== undefined) {
    return { input: "dense", inSize: c.inputSize, output: "sigmoid", outSize: c.outputSize };
  }
  return asIO(vocabSize);
}

/** The config that defines the tensors (what a checkpoint must record). */
export function modelConfig(kind: ModelKind, c: ModelConfig): ModelConfig {
  const io = c.inputSize !== undefined ? { inputSize: c.inputSize, outputSize: c.outputSize } : {};
  if (isSparse(kind)) return { ...samSizes(c), ...(c.lsh !== undefined ? { lsh: { ...(c.lsh as Lsh) } } : {}), ...io };
  return kind === "dnc" ? { ...dncSizes(c), ...(contentMask(c) ? { contentMask: true } : {}), ...(eraseFreed(c) ? { eraseFreed: true } : {}), ...io } : { hidden: c.hidden, ...io };
}

/**
 * An upper bound on the bytes a model of this config takes in linear memory:
 * parameters with their gradients, optimiser moments and transposed copies,
 * plus a workspace of B streams × S steps (the buffers each model's workspace
 * lays out). Checked before anything is allocated, so that a size that cannot
 * fit is refused in one line instead of growing memory until it fails.
 */
export function modelBytes(kind: ModelKind, io: number | ModelIO, c: ModelConfig, B: number, S: number): number {
  const { inSize: Vin, outSize: V } = asIO(io), H = c.hidden, R = S * B, T = (S + 1) * B;
  const params = modelSpecs(kind, io, c).reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
  let ws: number;
  if (isSparse(kind)) {
    // one N×W memory and its gradient per stream; per step only K-row records
    const temporal = kind === "sdnc", { memorySlots: N, wordSize: W, readHeads: RH, sparse: K } = samSizes(c);
    const X = samInterfaceLayout(RH, W, temporal).size, G = 4 * H;
    const RK = RH * K * (temporal ? 3 : 1), Kw = RK + 1, CK = RH * K;
    const lsh = c.lsh as Lsh | undefined, tab = lsh ? (3 * N + 2 * (2 ** lsh.bits + 1) + 1): 0; // i32 entries, as many bytes as f32s
    // the exact scan's 16-bit records (bytes / 4) and stale-row lists, planned as for the f32 build (the f64 one keeps none)
    const quant = usesQuantCopy(lsh, RH, "f32") ? N * (2 * Math.ceil(W / 8) * 8 + 16) / 4 + N + 1 : 0;
    ws = B * (2 * N * W + N + 1 + 2 * RK + X + H + tab + quant) + (lsh ? lsh.bits * W : 0) + T * (2 * H + RH * W + 2 * RK)
      + R * (2 * G + 3 * X + 2 * H + V + Vin + RH * W + RK + 1 + 2 * Kw + 2 * Kw * W + Kw + RK);
    // the sparse DNC: links (slots, values, gradient, column index) per stream; content, directional and link records per step
    if (temporal) {
      ws += B * (3 * N * K + N + 2 * N * K + 2 * K + 3 * CK + Kw + RH * W) + 4 * Math.max(N, Kw + K, 2 * RK / RH) + N + T * 2 * K
        + R * (6 * CK + 3 * Kw + 4 * Kw * K);
    }
  } else if (kind === "dnc") {
    const { memorySlots: N, wordSize: W, readHeads: RH } = dncSizes(c), X = interfaceLayout(RH, W, contentMask(c)).size, G = 4 * H;
    ws = (contentMask(c) ? 2 * B * (N * W + W) : 0) + (eraseFreed(c) ? R * N + B * N + 2 * B * N * W : 0) + T * (N * W + N * N + 3 * N + RH * N + RH * W + 2 * H) + R * (3 * N + 3 * RH * N + 2 * G + 3 * X + 2 * H + V + RH * W + Vin)
      + B * (2 * N * W + 2 * N * N + 8 * N + 4 * RH * N + X + H);
  } else {
    const G = kind === "lstm" ? 4 * H : H;
    ws = R * (2 * G + 2 * H + V + Vin) + 2 * T * H + B * H;
  }
  return 4 * (6 * params + ws);
}
