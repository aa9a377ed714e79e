// dnc-wasm: character-level RNN, LSTM and DNC training on WebAssembly SIMD.
// The public API; it runs unchanged in Node and browsers (no Node module on
// this import path). Internals for tools live in ./internal.js.

/** A training run: create or resume, step, run with budgets and events, checkpoint. */
export { Session } from "./run/session.js";
/** The one run configuration (CLI flags, the page, checkpoints' `config`). */
export type { RunConfig } from "./run/config.js";
/** Budgets, cadence and signal of Session.run(), and the events it yields. */
export type { RunOptions, SessionEvent } from "./run/events.js";

/** A text to train on or score (the built-in corpus without one). */
export { textData } from "./run/data.js";
export type { TextData } from "./run/data.js";
/** The built-in corpus: seeded text with facts to remember and an exactly known optimum. */
export { builtinCorpus } from "./data/builtin.js";
/** UTF-8 bytes a user gave → text, or TextError saying why not (empty, binary, not UTF-8). */
export { decodeText } from "./data/text.js";

/** Models from checkpoints, sampling, scoring. */
export { loadModel, sampleText, evaluateText } from "./run/text.js";
export type { LoadedModel } from "./run/text.js";
export { parseCheckpoint } from "./train/checkpoint.js";
export type { CharModel } from "./models/model.js";
/** What a DNC's memory does over a text, or over one episode of a task, step by step. */
export { inspectText, inspectTask, inspectSamText } from "./train/inspect.js";

/** The DNC paper's algorithmic tasks. */
export { Task } from "./data/tasks.js";

/** Float64 gradient check of any model, per tensor. */
export { gradcheck } from "./train/gradcheck.js";

/** The worker side of multi-threaded sessions (a Web Worker or worker_threads entry calls it); SpawnWorker starts one. */
export { serveWorker } from "./run/pool.js";
export type { SpawnWorker } from "./run/pool.js";

/** Errors: DncError is the base of every error a user can act on; its message is meant for them. */
export { DncError, ConfigError } from "./errors.js";
export { CheckpointError } from "./train/checkpoint.js";
export { VocabError } from "./data/corpus.js";
export { NonFiniteLossError } from "./train/optimizer.js";
