// Checkpoints per MODELS.md: model tensors under their PyTorch-style names;
// metadata `format`, `model`, `config`, `vocab`; training state (optimiser
// moments, the carried state of every stream) under `optim.*`, and the step,
// RNG state, stream positions and optimiser settings in metadata. The bytes are
// made and read here; writing them to disk belongs to the caller.
import { encodeSafetensors, decodeSafetensors, FormatError, StTensor } from "./safetensors.js";
import { CharModel, ModelKind, MODEL_KINDS, ModelConfig } from "../models/model.js";
import { modelSpecs, ioFromConfig } from "../models/index.js";
import { TrainerLike, TrainConfig, StateData } from "./trainer.js";
import { OptimizerConfig, Optimizer } from "./optimizer.js";
import { TaskTrainer } from "./taskTrainer.js";
import { TaskOptions } from "../data/tasks.js";
import { Rng } from "./rng.js";

export const FORMAT = "dnc-wasm/1";

export class CheckpointError extends Error {}

export interface TrainingState {
  step: number;
  rng: number[];
  positions: number[];
  optimizer: OptimizerConfig;
  corpus: string;
  elapsed: number;
  /** Task runs: the task's options now (a curriculum changes them). */
  taskOptions?: TaskOptions;
}

export interface Checkpoint {
  kind: ModelKind;
  config: ModelConfig & Partial<TrainConfig>;
  vocab: string[];
  tensors: Map<string, StTensor>;
  training?: TrainingState;
}

function modelTensors(m: CharModel, prefix = ""): StTensor[] {
  return m.params.slots.map((s) => ({ name: prefix + s.name, shape: s.shape, data: Float32Array.from(m.params.view(s.name)) }));
}

/** Weights only (what `--init`, `sample`, `eval` and PyTorch need). */
export function modelCheckpoint(m: CharModel, vocab: string[], config: Record<string, unknown>): Uint8Array {
  return encodeSafetensors(modelTensors(m), {
    format: FORMAT, model: m.kind, config: JSON.stringify({ ...config, ...m.config }), vocab: JSON.stringify(vocab),
  });
}

/** Optimiser moments as `optim.<slot>.<tensor>`. */
function optimTensors(opt: Optimizer): StTensor[] {
  const t: StTensor[] = [];
  for (const [slot, block] of opt.slots) {
    for (const s of block.slots) t.push({ name: `optim.${slot}.${s.name}`, shape: s.shape, data: Float32Array.from(block.view(s.name)) });
  }
  return t;
}

function restoreOptim(opt: Optimizer, ck: Checkpoint): void {
  for (const [slot, block] of opt.slots) {
    for (const s of block.slots) {
      const t = ck.tensors.get(`optim.${slot}.${s.name}`);
      if (!t || t.data.length !== s.size) throw new CheckpointError(`checkpoint lacks optimiser state optim.${slot}.${s.name}`);
      block.view(s.name).set(t.data);
    }
  }
}

/** A task run: weights, optimiser moments, and in metadata the task, step, RNG and curriculum. */
export function taskCheckpoint(tr: TaskTrainer, elapsed: number): Uint8Array {
  const m = tr.model;
  const training: TrainingState = {
    step: tr.iteration, rng: tr.rng.state, positions: [], optimizer: tr.opt.cfg, corpus: `task:${tr.cfg.task}`, elapsed,
    taskOptions: tr.task.o,
  };
  return encodeSafetensors([...modelTensors(m), ...optimTensors(tr.opt)], {
    format: FORMAT, model: m.kind, config: JSON.stringify({ ...tr.cfg, ...m.config }), vocab: "[]", training: JSON.stringify(training),
  });
}

export function restoreTaskTraining(tr: TaskTrainer, ck: Checkpoint): void {
  const ts = ck.training;
  if (!ts) throw new CheckpointError("checkpoint holds weights only, no training state to resume");
  loadWeights(tr.model, ck);
  restoreOptim(tr.opt, ck);
  tr.opt.t = ts.step;
  tr.rng = new Rng(ts.rng);
  if (ts.taskOptions) tr.task = tr.task.with(ts.taskOptions);
}

/** Everything needed to resume training exactly. */
export function trainerCheckpoint(tr: TrainerLike, corpusId: string, elapsed: number, state: StateData[]): Uint8Array {
  const m = tr.model, t: StTensor[] = [...modelTensors(m), ...optimTensors(tr.opt)];
  const B = tr.cfg.batch;
  for (const st of state) t.push({ name: `optim.state.${st.name}`, shape: [B, st.cols], data: st.data });
  const training: TrainingState = {
    step: tr.iteration, rng: tr.rng.state, positions: Array.from(tr.batcher.pos), optimizer: tr.opt.cfg, corpus: corpusId, elapsed,
  };
  return encodeSafetensors(t, {
    format: FORMAT, model: m.kind, config: JSON.stringify({ ...tr.cfg, ...m.config }), vocab: JSON.stringify(tr.corpus.vocab),
    training: JSON.stringify(training),
  });
}

export function parseCheckpoint(bytes: Uint8Array): Checkpoint {
  let f;
  try { f = decodeSafetensors(bytes); } catch (e) {
    if (e instanceof FormatError) throw new CheckpointError(e.message);
    throw e;
  }
  const md = f.metadata;
  if (md.format !== undefined && md.format !== FORMAT) throw new CheckpointError(`unsupported checkpoint format ${JSON.stringify(md.format)} (expected ${FORMAT})`);
  if (md.model === undefined || md.config === undefined || md.vocab === undefined) {
    throw new CheckpointError("not a dnc-wasm checkpoint: metadata lacks model, config or vocab (MODELS.md)");
  }
  if (!MODEL_KINDS.includes(md.model as ModelKind)) throw new CheckpointError(`unknown model kind ${JSON.stringify(md.model)}`);
  const kind = md.model as ModelKind;
  let config: Checkpoint["config"], vocab: string[];
  try { config = JSON.parse(md.config); vocab = JSON.parse(md.vocab); } catch {
    throw new CheckpointError("checkpoint metadata config/vocab is not valid JSON");
  }
  if (typeof config !== "object" || config === null || !Number.isInteger(config.hidden) || (config.hidden as number) < 1) throw new CheckpointError("checkpoint config lacks a positive integer hidden size");
  const task = config?.inputSize !== undefined;
  if (task && (!Number.isInteger(config.inputSize) || !Number.isInteger(config.outputSize) || (config.inputSize as number) < 1 || (config.outputSize as number) < 1)) {
    throw new CheckpointError("checkpoint config inputSize/outputSize must be positive integers");
  }
  if (!Array.isArray(vocab) || (vocab.length < 1 && !task) || !vocab.every((c) => typeof c === "string" && Array.from(c).length === 1)) {
    throw new CheckpointError("checkpoint vocab must be a JSON array of single characters");
  }
  if (kind === "dnc") {
    for (const k of ["memorySlots", "wordSize", "readHeads"] as const) {
      if (!Number.isInteger(config[k]) || (config[k] as number) < 1) throw new CheckpointError(`DNC checkpoint config lacks a positive integer ${k}`);
    }
  }
  const H = config.hidden as number, V = vocab.length;
  for (const s of modelSpecs(kind, ioFromConfig(config, V), config)) {
    const t = f.tensors.get(s.name);
    if (!t) throw new CheckpointError(`checkpoint lacks tensor ${s.name}`);
    if (JSON.stringify(t.shape) !== JSON.stringify(s.shape)) {
      throw new CheckpointError(`tensor ${s.name} has shape ${JSON.stringify(t.shape)}, expected ${JSON.stringify(s.shape)} for ${kind} H=${H} V=${V}${kind === "dnc" ? ` N=${config.memorySlots} W=${config.wordSize} R=${config.readHeads}` : ""}`);
    }
  }
  let training: TrainingState | undefined;
  if (md.training !== undefined) {
    try { training = JSON.parse(md.training); } catch { throw new CheckpointError("checkpoint training metadata is not valid JSON"); }
  }
  return { kind, config, vocab, tensors: f.tensors, training };
}

/** Copy a checkpoint's weights into a model of the same kind and shape. */
export function loadWeights(m: CharModel, ck: Checkpoint): void {
  if (ck.kind !== m.kind) throw new CheckpointError(`checkpoint holds a ${ck.kind} model, not ${m.kind}`);
  for (const s of m.params.slots) {
    const t = ck.tensors.get(s.name);
    if (!t || t.data.length !== s.size) throw new CheckpointError(`checkpoint tensor ${s.name} does not fit the model`);
    m.params.view(s.name).set(t.data);
  }
  m.paramsChanged();
}

/**
 * Restore weights, optimiser moments, positions and RNG into a trainer built
 * from ck.config; returns the carried state, for the caller to hand to
 * setCarriedState (on several threads that is asynchronous).
 */
export function restoreTraining(tr: TrainerLike, ck: Checkpoint): StateData[] {
  const ts = ck.training;
  if (!ts) throw new CheckpointError("checkpoint holds weights only, no training state to resume (use --init to start from its weights)");
  loadWeights(tr.model, ck);
  restoreOptim(tr.opt, ck);
  const B = tr.cfg.batch;
  const state: StateData[] = [];
  for (const [name, t] of ck.tensors) {
    if (!name.startsWith("optim.state.")) continue;
    if (t.shape.length !== 2 || t.shape[0] !== B) throw new CheckpointError(`carried state ${name} does not match the batch size`);
    state.push({ name: name.slice("optim.state.".length), cols: t.shape[1], data: t.data });
  }
  if (ts.positions.length !== tr.batcher.pos.length) throw new CheckpointError("checkpoint stream positions do not match the batch size");
  tr.batcher.pos.set(ts.positions);
  tr.opt.t = ts.step;
  tr.rng = new Rng(ts.rng);
  return state;
}
