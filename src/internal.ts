// Everything below the public API, for this repository's tests, benchmarks
// and tools: kernels, models, the data pipeline, checkpoints, threads. Not a
// stable interface; `dnc-wasm` (index.ts) is.
export * from "./index.js";
export { Backend, ld } from "./runtime/backend.js";
export type { Precision, Kernels } from "./runtime/backend.js";
export { RecurrentModel } from "./models/recurrent.js";
export { DncModel, interfaceLayout } from "./models/dnc.js";
export { SamModel, samInterfaceLayout, lshPlanes } from "./models/sam.js";
export { createModel, modelSpecs, modelBytes, DNC_DEFAULTS } from "./models/index.js";
export { MODEL_KINDS, readState, writeState } from "./models/model.js";
export type { ModelKind, Workspace, ModelConfig } from "./models/model.js";
export { ParamBlock } from "./models/params.js";
export { Corpus, Batcher, evalWindows, fingerprint } from "./data/corpus.js";
export { optimalBpc, BUILTIN_DEFAULT, PART, PART_NAMES } from "./data/builtin.js";
export { Optimizer, OPTIMIZERS, DEFAULT_LR } from "./train/optimizer.js";
export { evaluateBpc, evaluateParts, sampleIds } from "./train/evaluate.js";
export { encodeSafetensors, decodeSafetensors, FormatError } from "./train/safetensors.js";
export { modelCheckpoint, loadWeights, FORMAT } from "./train/checkpoint.js";
export { Rng } from "./train/rng.js";
export { inspectDnc } from "./train/inspect.js";
export { TASK_NAMES, TASK_DEFAULTS } from "./data/tasks.js";
export type { TaskName, TaskOptions, TaskBatch } from "./data/tasks.js";
export { runConfig, TEXT_DEFAULTS, TASK_RUN_DEFAULTS } from "./run/config.js";
export type { SessionOptions, StepResult } from "./run/session.js";
export type { TextScore } from "./run/text.js";
export type { InspectStep, TaskInspectStep, SamInspectStep, SamTaskInspectStep } from "./train/inspect.js";
export { optimalFor } from "./run/data.js";
export { textStep, taskStep } from "./run/step.js";
export { WorkerPool, evaluateBpcParallel, localPort } from "./run/pool.js";
export type { WorkerPort, HostPort } from "./run/pool.js";
export { checkLength, TextError } from "./data/text.js";
