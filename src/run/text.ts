// Using a character model on text: load it from a checkpoint, sample from it,
// score a text with it. Strings in and out; the ids stay inside.
import { Backend } from "../runtime/backend.js";
import { CharModel } from "../models/model.js";
import { createModel, ioFromConfig } from "../models/index.js";
import { Corpus } from "../data/corpus.js";
import { PART_NAMES } from "../data/builtin.js";
import { parseCheckpoint, loadWeights, Checkpoint } from "../train/checkpoint.js";
import { evaluateBpc, evaluateParts, sampleIds, Breakdown } from "../train/evaluate.js";
import { Rng } from "../train/rng.js";
import { ConfigError } from "../errors.js";
import { TextData, optimalFor } from "./data.js";

/** A model with the vocabulary and config its checkpoint carried. */
export interface LoadedModel { model: CharModel; vocab: string[]; checkpoint: Checkpoint }

/** The model in a checkpoint's bytes (validated; CheckpointError says why not). */
export async function loadModel(bytes: Uint8Array | Checkpoint): Promise<LoadedModel> {
  const ck = bytes instanceof Uint8Array ? parseCheckpoint(bytes) : bytes;
  const model = createModel(await Backend.create("f32"), ck.kind, ioFromConfig(ck.config, ck.vocab.length), ck.config);
  loadWeights(model, ck);
  return { model, vocab: ck.vocab, checkpoint: ck };
}

/**
 * `length` characters after `prime` (default: a newline, or the first
 * character of the vocabulary) from a zero state; `onText` gets them in
 * chunks as they are drawn (for streaming), and the whole text is returned.
 */
export function sampleText(m: LoadedModel, o: { length: number; prime?: string; temperature?: number; seed?: number; onText?: (s: string) => void }): string {
  if (m.model.io.input !== "onehot") throw new ConfigError("sampling needs a character model; this one was trained on a task");
  const vocab = new Corpus("", m.vocab);
  const ids = vocab.encode(o.prime || (vocab.has("\n") ? "\n" : m.vocab[0]));
  let out = "", chunk = "";
  sampleIds(m.model, ids, o.length, o.temperature ?? 1, new Rng(o.seed ?? 1), (id) => {
    chunk += m.vocab[id];
    if (chunk.length >= 256) { o.onText?.(chunk); out += chunk; chunk = ""; }
  });
  o.onText?.(chunk);
  return out + chunk;
}

/** A text's BPC by MODELS.md's evaluation rule, its optimum and (the built-in corpus) the breakdown by part. */
export interface TextScore { bpc: number; optimalBpc: number | null; chars: number; breakdown: Breakdown | null }

/**
 * Scores `data` (its validation split, or all of it) with B streams from a
 * zero state (B = 1 is the canonical value); the built-in corpus's breakdown
 * is always one stream.
 */
export function evaluateText(model: CharModel, data: TextData, o: { split?: "val" | "all"; batch?: number } = {}): TextScore {
  const from = (o.split ?? "val") === "val" ? data.corpus.split : 0, B = o.batch ?? 1;
  const ids = data.corpus.ids.subarray(from);
  if (ids.length < B + 1) throw new ConfigError(`the ${from ? "validation split (last 10%)" : "text"} has ${ids.length} characters; ${B} streams need at least ${B + 1}`);
  const breakdown = data.builtin
    ? evaluateParts(model, ids, data.builtin.part.subarray(from), data.builtin.bits.subarray(from), PART_NAMES)
    : null;
  const bpc = evaluateBpc(model, ids, B, 100);
  return { bpc, optimalBpc: optimalFor(data, from, data.corpus.length) ?? null, chars: ids.length, breakdown };
}
