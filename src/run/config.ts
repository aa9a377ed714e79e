// One run configuration for every front-end (the CLI's flags, the page's
// controls, the API) and for checkpoints, which store it as their `config`.
// The names are the checkpoint's (MODELS.md): memorySlots, wordSize,
// readHeads; the CLI's --memory/--word/--reads map onto them in one place.
import { ModelKind, MODEL_KINDS, hasMemory, isSparse } from "../models/model.js";
import { SAM_DEFAULT_SPARSE } from "../models/index.js";
import { Lsh, lshProblem } from "../models/sam.js";
import { DNC_SWITCHES } from "../models/dnc.js";
import { OptimizerName, OPTIMIZERS, DEFAULT_LR, OptimizerConfig, LrDecay } from "../train/optimizer.js";
import { TaskName, TaskOptions, TASK_NAMES } from "../data/tasks.js";
import { ConfigError } from "../errors.js";

export interface RunConfig {
  model: ModelKind;
  /** Hidden units (the DNC's controller). */
  hidden: number;
  /** DNC: memory slots N, word size W, read heads R. */
  memorySlots?: number;
  wordSize?: number;
  readHeads?: number;
  /** SAM: slots each read head touches (top-K of the content scan). */
  sparse?: number;
  /** SAM: the approximate content scan (LSH index: 2^bits buckets, probes per head); the exact scan when absent. */
  lsh?: Lsh;
  /** DNC: initial biases of the write, allocation and free gates (pre-sigmoid) and of the read modes (backward, content, forward; pre-softmax); default 0. */
  gateBias?: { write?: number; allocation?: number; free?: number; readModes?: [number, number, number] };
  /** DNC: masked content addressing (Csordás & Schmidhuber 2019; MODELS.md); off by default. */
  contentMask?: boolean;
  /** DNC: de-allocation that erases freed words (Csordás & Schmidhuber 2019; MODELS.md); off by default. */
  eraseFreed?: boolean;
  /** An algorithmic task; a text run when absent. */
  task?: TaskName;
  taskOptions?: TaskOptions;
  /** Text runs: steps per truncated-BPTT window. */
  seq?: number;
  /** Streams (text) or sequences (tasks) per batch. */
  batch: number;
  optimizer: OptimizerName;
  lr: number;
  /** Step decay of the learning rate (× factor every `every` updates after `after`); none when absent. */
  lrDecay?: LrDecay;
  /** Global gradient-norm clipping; 0 turns it off. */
  clip: number;
  eps?: number;
  momentum?: number;
  /** Initialisation, the tasks' data, samples. */
  seed: number;
}

/** What a text run uses when a field is not given. */
export const TEXT_DEFAULTS = {
  model: "lstm", hidden: 128, batch: 32, seq: 50, optimizer: "adam", clip: 5, seed: 1,
  memorySlots: 32, wordSize: 16, readHeads: 2,
} as const;

/** What a task run uses when a field is not given: DeepMind's repeat-copy configuration. */
export const TASK_RUN_DEFAULTS = {
  model: "dnc", hidden: 64, batch: 16, optimizer: "rmsprop", lr: 1e-4, eps: 1e-10, momentum: 0, clip: 50, seed: 1,
  memorySlots: 16, wordSize: 16, readHeads: 4,
} as const;

/** The fields that decide a run's tensors and data: a resumed run must keep them. */
export const STRUCTURAL: (keyof RunConfig)[] = [
  "model", "hidden", "memorySlots", "wordSize", "readHeads", "sparse", "lsh", "gateBias", "contentMask", "eraseFreed", "task", "seq", "batch", "optimizer", "lr", "lrDecay", "clip", "eps", "momentum", "seed",
];

/** A complete, validated config from the given fields and the defaults of its objective. */
export function runConfig(c: Partial<RunConfig>): RunConfig {
  const d: Record<string, unknown> = c.task !== undefined ? TASK_RUN_DEFAULTS : TEXT_DEFAULTS;
  const model = (c.model ?? d.model) as ModelKind;
  const optimizer = (c.optimizer ?? d.optimizer) as OptimizerName;
  if (c.sparse !== undefined && !isSparse(model)) throw new ConfigError(`sparse (K slots per read) is for the sam and sdnc models, not ${model}`);
  if (c.lsh !== undefined && !isSparse(model)) throw new ConfigError(`lsh (the approximate content scan) is for the sam and sdnc models, not ${model}`);
  for (const [k, what] of DNC_SWITCHES) {
    if (c[k] !== undefined && c[k] !== false && model !== "dnc") throw new ConfigError(`${k} (${what}) is for the dnc model, not ${model}`);
  }
  const cfg: RunConfig = {
    model, hidden: c.hidden ?? (d.hidden as number),
    ...(hasMemory(model) ? {
      memorySlots: c.memorySlots ?? (d.memorySlots as number), wordSize: c.wordSize ?? (d.wordSize as number),
      readHeads: c.readHeads ?? (d.readHeads as number),
    } : {}),
    ...(isSparse(model) ? { sparse: c.sparse ?? SAM_DEFAULT_SPARSE, ...(c.lsh !== undefined ? { lsh: { ...c.lsh } } : {}) } : {}),
    ...(model === "dnc" && c.gateBias ? { gateBias: { ...c.gateBias } } : {}),
    ...Object.fromEntries(DNC_SWITCHES.filter(([k]) => c[k] !== undefined && c[k] !== false).map(([k]) => [k, c[k]])),
    ...(c.task !== undefined ? { task: c.task, taskOptions: { ...c.taskOptions } } : { seq: c.seq ?? (d.seq as number) }),
    batch: c.batch ?? (d.batch as number),
    optimizer, lr: c.lr ?? (c.task !== undefined ? (d.lr as number) : DEFAULT_LR[optimizer]), clip: c.clip ?? (d.clip as number),
    ...(c.lrDecay !== undefined ? { lrDecay: { ...c.lrDecay } } : {}),
    ...(c.eps ?? d.eps) !== undefined ? { eps: (c.eps ?? d.eps) as number } : {},
    ...(c.momentum ?? d.momentum) !== undefined ? { momentum: (c.momentum ?? d.momentum) as number } : {},
    seed: c.seed ?? (d.seed as number),
  };
  checkConfig(cfg);
  return cfg;
}

/** Refuses, in one line, any field of the wrong type or outside its range. */
export function checkConfig(c: RunConfig): void {
  const bad = (what: string) => { throw new ConfigError(what); };
  if (!MODEL_KINDS.includes(c.model)) bad(`unknown model kind ${JSON.stringify(c.model)} (expected ${MODEL_KINDS.join(", ")})`);
  const ints: [string, unknown][] = [["hidden", c.hidden], ["batch", c.batch], ["seed", c.seed]];
  if (hasMemory(c.model)) ints.push(["memorySlots", c.memorySlots], ["wordSize", c.wordSize], ["readHeads", c.readHeads]);
  if (isSparse(c.model)) ints.push(["sparse", c.sparse]);
  if (c.task === undefined) ints.push(["seq", c.seq]);
  for (const [k, v] of ints) {
    if (!Number.isSafeInteger(v) || (v as number) < (k === "seed" ? 0 : 1)) bad(`${k} must be ${k === "seed" ? "a non-negative" : "a positive"} integer (got ${JSON.stringify(v)})`);
  }
  if (c.gateBias !== undefined) {
    const g = c.gateBias as Record<string, unknown>;
    if (typeof g !== "object" || g === null) bad("gateBias must be an object { write, allocation, free }");
    const ok = (v: unknown) => typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= 50;
    for (const [k, v] of Object.entries(g)) {
      if (k === "readModes") { if (!Array.isArray(v) || v.length !== 3 || !v.every(ok)) bad(`gateBias.readModes must be three numbers in [−50, 50] (got ${JSON.stringify(v)})`); continue; }
      if (!["write", "allocation", "free"].includes(k) || !ok(v)) bad(`gateBias.${k} must be a number in [−50, 50] (got ${JSON.stringify(v)})`);
    }
  }
  const lsh = lshProblem(c.lsh);
  if (lsh) bad(lsh);
  for (const [k] of DNC_SWITCHES) if (c[k] !== undefined && c[k] !== true) bad(`${k} must be true or absent (got ${JSON.stringify(c[k])})`);
  if (c.task !== undefined && !(TASK_NAMES as readonly string[]).includes(c.task)) bad(`unknown task ${JSON.stringify(c.task)} (expected ${TASK_NAMES.join(", ")})`);
  if (!OPTIMIZERS.includes(c.optimizer)) bad(`unknown optimizer ${JSON.stringify(c.optimizer)} (expected ${OPTIMIZERS.join(", ")})`);
  if (typeof c.lr !== "number" || !(c.lr > 0) || !Number.isFinite(c.lr)) bad(`the learning rate must be a finite number > 0 (got ${JSON.stringify(c.lr)})`);
  if (c.lrDecay !== undefined) {
    const d = c.lrDecay as unknown as Record<string, unknown>;
    if (typeof d !== "object" || d === null || Object.keys(d).some((k) => !["factor", "every", "after"].includes(k))) bad("lrDecay must be an object { factor, every, after }");
    if (typeof d.factor !== "number" || !(d.factor > 0 && d.factor <= 1)) bad(`lrDecay.factor must be a number in (0, 1] (got ${JSON.stringify(d.factor)})`);
    if (!Number.isSafeInteger(d.every) || (d.every as number) < 1) bad(`lrDecay.every must be a positive integer (got ${JSON.stringify(d.every)})`);
    if (!Number.isSafeInteger(d.after) || (d.after as number) < 0) bad(`lrDecay.after must be a non-negative integer (got ${JSON.stringify(d.after)})`);
  }
  if (typeof c.clip !== "number" || !(c.clip >= 0) || !Number.isFinite(c.clip)) bad(`clip must be a finite number ≥ 0 (got ${JSON.stringify(c.clip)})`);
  if (c.eps !== undefined && (typeof c.eps !== "number" || !(c.eps > 0) || !Number.isFinite(c.eps))) bad(`eps must be a finite number > 0 (got ${JSON.stringify(c.eps)})`);
  if (c.momentum !== undefined && (typeof c.momentum !== "number" || !(c.momentum >= 0 && c.momentum < 1))) bad(`momentum must be in [0, 1) (got ${JSON.stringify(c.momentum)})`);
}

/** The optimiser's settings in a config. */
export function optimizerConfig(c: RunConfig): OptimizerConfig {
  return { name: c.optimizer, lr: c.lr, clip: c.clip, ...(c.lrDecay !== undefined ? { decay: c.lrDecay } : {}), ...(c.eps !== undefined ? { eps: c.eps } : {}), ...(c.momentum !== undefined ? { momentum: c.momentum } : {}) };
}
