// Public API: usable from Node and browsers (no Node-only module on this path).
export { Backend, ld } from "./runtime/backend.js";
export type { Precision, Kernels } from "./runtime/backend.js";
export { RecurrentModel } from "./models/recurrent.js";
export { DncModel, interfaceLayout } from "./models/dnc.js";
export { createModel, modelSpecs, DNC_DEFAULTS } from "./models/index.js";
export { MODEL_KINDS } from "./models/model.js";
export type { ModelKind, CharModel, Workspace, ModelConfig } from "./models/model.js";
export { ParamBlock } from "./models/params.js";
export { Corpus, Batcher, evalWindows, VocabError } from "./data/corpus.js";
export { builtinCorpus, optimalBpc, BUILTIN_DEFAULT } from "./data/builtin.js";
export { Trainer, NonFiniteLossError } from "./train/trainer.js";
export type { TrainConfig } from "./train/trainer.js";
export { Optimizer, OPTIMIZERS, DEFAULT_LR } from "./train/optimizer.js";
export { evaluateBpc, sampleIds } from "./train/evaluate.js";
export { gradcheck } from "./train/gradcheck.js";
export { encodeSafetensors, decodeSafetensors, FormatError } from "./train/safetensors.js";
export { modelCheckpoint, trainerCheckpoint, parseCheckpoint, loadWeights, restoreTraining, CheckpointError, FORMAT } from "./train/checkpoint.js";
export { Rng } from "./train/rng.js";
