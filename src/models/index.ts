// Making a model of any kind from its kind, vocabulary size and config.
import { Backend } from "../runtime/backend.js";
import { CharModel, ModelConfig, ModelKind, TensorSpec } from "./model.js";
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

export function createModel(be: Backend, kind: ModelKind, V: number, c: ModelConfig): CharModel {
  return kind === "dnc" ? new DncModel(be, V, dncSizes(c)) : new RecurrentModel(be, kind, V, c.hidden);
}

export function modelSpecs(kind: ModelKind, V: number, c: ModelConfig): TensorSpec[] {
  return kind === "dnc" ? DncModel.specs(V, dncSizes(c)) : RecurrentModel.specs(kind, V, c.hidden);
}

/** The config that defines the tensors (what a checkpoint must record). */
export function modelConfig(kind: ModelKind, c: ModelConfig): ModelConfig {
  return kind === "dnc" ? { ...dncSizes(c) } : { hidden: c.hidden };
}
