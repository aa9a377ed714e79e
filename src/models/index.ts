// Making a model of any kind from its kind, vocabulary size and config.
import { Backend } from "../runtime/backend.js";
import { CharModel, ModelConfig, ModelIO, ModelKind, TensorSpec, asIO } from "./model.js";
import { RecurrentModel } from "./recurrent.js";
import { DncModel, DncSizes } from "./dnc.js";

export const DNC_DEFAULTS = { memorySlots: 32, wordSize: 16, readHeads: 2 };

/** The DNC's sizes from a config, with defaults for what it lacks. */
export function dncSizes(c: ModelConfig): DncSizes {
  return {
    hidden: c.hidden,
    memorySlots: c.memorySlots ?? DNC_DEFAULTS.memorySlots,
    wordSize: c.wordSize ?? DNC_DEFAULTS.wordSize,
    readHeads: c.readHeads ?? DNC_DEFAULTS.readHeads,
  };
}

export function createModel(be: Backend, kind: ModelKind, io: number | ModelIO, c: ModelConfig): CharModel {
  return kind === "dnc" ? new DncModel(be, io, dncSizes(c)) : new RecurrentModel(be, kind, io, c.hidden);
}

export function modelSpecs(kind: ModelKind, io: number | ModelIO, c: ModelConfig): TensorSpec[] {
  return kind === "dnc" ? DncModel.specs(io, dncSizes(c)) : RecurrentModel.specs(kind, io, c.hidden);
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
  return kind === "dnc" ? { ...dncSizes(c), ...io } : { hidden: c.hidden, ...io };
}
