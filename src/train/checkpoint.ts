// Checkpoints per MODELS.md: model tensors under their PyTorch-style names;
// metadata `format`, `model`, `config`, `vocab`; training state (optimiser
// moments, the carried state of every stream) under `optim.*`, and the step,
// RNG state, stream positions and optimiser settings in metadata. The bytes are
// made and read here; writing them to disk belongs to the caller.
import { DncError } from "../errors.js";
import { encodeSafetensors, decodeSafetensors, FormatError, StTensor } from "./safetensors.js";
import { CharModel, ModelKind, MODEL_KINDS, ModelConfig, hasMemory, isSparse } from "../models/model.js";
import { modelSpecs, ioFromConfig } from "../models/index.js";
import { DNC_SWITCHES } from "../models/dnc.js";
import { StateData } from "../models/model.js";
import { OptimizerConfig, Optimizer } from "./optimizer.js";
import { TaskOptions } from "../data/tasks.js";
import type { Session } from "../run/session.js";
import type { RunConfig } from "../run/config.js";
import { lshProblem } from "../models/sam.js";
import { Rng } from "./rng.js";

export const FORMAT = "dnc-wasm/1";

/** A checkpoint that cannot be used (truncated, foreign, inconsistent, non-finite): the message says why. */
export class CheckpointError extends DncError {}

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
  config: ModelConfig & Partial<RunConfig>;
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

/**
 * Everything needed to resume a session exactly: weights, optimiser moments,
 * the carried state of every stream (text runs) as `optim.state.*`, and in
 * metadata the config, step, RNG, stream positions, corpus id, elapsed time
 * and (tasks) the task's options now.
 */
export function sessionCheckpoint(s: Session, state: StateData[]): Uint8Array {
  const m = s.model, t: StTensor[] = [...modelTensors(m), ...optimTensors(s.opt)];
  for (const st of state) t.push({ name: `optim.state.${st.name}`, shape: [s.cfg.batch, st.cols], data: st.data });
  const training: TrainingState = {
    step: s.iteration, rng: s.rng.state, positions: s.batcher ? Array.from(s.batcher.pos) : [], optimizer: s.opt.cfg,
    corpus: s.data ? s.data.id : `task:${s.cfg.task}`, elapsed: s.elapsed, ...(s.task ? { taskOptions: s.task.o } : {}),
  };
  return encodeSafetensors(t, {
    format: FORMAT, model: m.kind, config: JSON.stringify({ ...s.cfg, ...m.config }), vocab: JSON.stringify(s.data ? s.data.corpus.vocab : []),
    training: JSON.stringify(training),
  });
}

/**
 * Restores weights, optimiser moments, positions, step, RNG and the task's
 * options into a session built from ck's config; returns the carried state
 * for the session's engine (on several threads that is asynchronous).
 */
export function restoreSession(s: Session, ck: Checkpoint): StateData[] {
  const ts = ck.training;
  if (!ts) throw new CheckpointError("the checkpoint holds weights only, no training state to resume");
  loadWeights(s.model, ck);
  restoreOptim(s.opt, ck);
  const state: StateData[] = [];
  if (s.batcher) {
    const B = s.cfg.batch;
    for (const [name, t] of ck.tensors) {
      if (!name.startsWith("optim.state.")) continue;
      if (t.shape.length !== 2 || t.shape[0] !== B) throw new CheckpointError(`carried state ${name} does not match the batch size`);
      state.push({ name: name.slice("optim.state.".length), cols: t.shape[1], data: t.data });
    }
    const p = ts.positions, m = s.batcher.data.length;
    if (!Array.isArray(p) || p.length !== B || !p.every((x) => Number.isSafeInteger(x) && x >= 0 && x < m)) {
      throw new CheckpointError(`checkpoint stream positions must be ${B} integers in 0..${m - 1}`);
    }
    s.batcher.pos.set(p);
  }
  s.opt.t = ts.step;
  s.rng = new Rng(ts.rng);
  if (s.task && ts.taskOptions) s.task = s.task.with(ts.taskOptions);
  return state;
}

/**
 * A checkpoint from its bytes, validated before any byte is used: the safetensors structure, the format,
 * model kind, config, vocabulary, every tensor's shape and finiteness, and the training metadata's types.
 * Throws CheckpointError with a one-line reason.
 */
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
  if (hasMemory(kind)) {
    for (const k of ["memorySlots", "wordSize", "readHeads", ...(isSparse(kind) ? ["sparse"] as const : [])] as const) {
      if (!Number.isInteger(config[k]) || (config[k] as number) < 1) throw new CheckpointError(`${kind.toUpperCase()} checkpoint config lacks a positive integer ${k}`);
    }
  }
  if (config.lsh !== undefined) {
    const bad = isSparse(kind) ? lshProblem(config.lsh) : `lsh is for a sam or sdnc, not a ${kind}`;
    if (bad) throw new CheckpointError(`checkpoint config: ${bad}`);
  }
  // read as given: a mistyped "true" must not quietly load as the plain DNC
  for (const [k] of DNC_SWITCHES) {
    if (config[k] !== undefined && (kind !== "dnc" || config[k] !== true)) {
      throw new CheckpointError(`checkpoint config ${k} must be true or absent, and only for a dnc (got ${JSON.stringify(config[k])} for ${kind})`);
    }
  }
  const H = config.hidden as number, V = vocab.length;
  for (const s of modelSpecs(kind, ioFromConfig(config, V), config)) {
    const t = f.tensors.get(s.name);
    if (!t) throw new CheckpointError(`checkpoint lacks tensor ${s.name}`);
    if (JSON.stringify(t.shape) !== JSON.stringify(s.shape)) {
      throw new CheckpointError(`tensor ${s.name} has shape ${JSON.stringify(t.shape)}, expected ${JSON.stringify(s.shape)} for ${kind} H=${H} V=${V}${hasMemory(kind) ? ` N=${config.memorySlots} W=${config.wordSize} R=${config.readHeads}${config.contentMask ? ", masked content addressing" : ""}` : ""}`);
    }
  }
  let training: TrainingState | undefined;
  if (md.training !== undefined) {
    try { training = JSON.parse(md.training); } catch { throw new CheckpointError("checkpoint training metadata is not valid JSON"); }
    checkTraining(training);
  }
  if (new Set(vocab).size !== vocab.length) throw new CheckpointError("checkpoint vocab lists a character twice");
  // a NaN or an infinity anywhere (weights, moments, carried state) would only reappear as NaN output
  for (const [name, t] of f.tensors) {
    const d = t.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) throw new CheckpointError(`tensor ${name} holds a non-finite value (${d[i]}) at index ${i}`);
    }
  }
  return { kind, config, vocab, tensors: f.tensors, training };
}

/** Training metadata of the types a resume relies on (ranges that depend on the run are checked there). */
function checkTraining(t: unknown): asserts t is TrainingState {
  const bad = (what: string) => { throw new CheckpointError(`checkpoint training metadata: ${what}`); };
  if (typeof t !== "object" || t === null || Array.isArray(t)) bad("not an object");
  const o = t as Record<string, unknown>;
  if (!Number.isSafeInteger(o.step) || (o.step as number) < 0) bad("step must be a non-negative integer");
  if (!Array.isArray(o.rng) || o.rng.length !== 4 || !o.rng.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32) || o.rng.every((x) => x === 0)) {
    bad("rng must be four 32-bit unsigned integers, not all zero");
  }
  if (!Array.isArray(o.positions) || !o.positions.every((x) => Number.isSafeInteger(x) && x >= 0)) bad("positions must be an array of non-negative integers");
  if (typeof o.corpus !== "string") bad("corpus must be a string");
  if (typeof o.elapsed !== "number" || !(o.elapsed >= 0) || !Number.isFinite(o.elapsed)) bad("elapsed must be a finite number ≥ 0");
  if (o.taskOptions !== undefined && (typeof o.taskOptions !== "object" || o.taskOptions === null)) bad("taskOptions must be an object");
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
