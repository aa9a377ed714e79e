// Shared by the CLI commands: the corpus to use and models from checkpoints.
import { Corpus, VocabError } from "../data/corpus.js";
import { builtinCorpus, optimalBpc, BuiltinCorpus } from "../data/builtin.js";
import { Backend } from "../runtime/backend.js";
import { CharModel } from "../models/model.js";
import { createModel, ioFromConfig } from "../models/index.js";
import { parseCheckpoint, loadWeights, Checkpoint, CheckpointError } from "../train/checkpoint.js";
import { readTextFile, readBytes, UserError } from "./io.js";
import { fingerprint } from "../data/corpus.js";

export interface LoadedCorpus {
  corpus: Corpus;
  builtin?: BuiltinCorpus;
  /** Identifies the text, so that --resume can refuse a different one. */
  id: string;
  label: string;
}

export function loadCorpus(data: string | undefined, vocab?: string[]): LoadedCorpus {
  if (data === undefined) {
    const builtin = builtinCorpus();
    const corpus = withVocab(builtin.text, vocab, "the built-in corpus");
    return { corpus, builtin, id: builtin.name, label: `built-in corpus (${corpus.length} chars)` };
  }
  const corpus = withVocab(readTextFile(data), vocab, data);
  return { corpus, id: `file:${fingerprint(corpus.ids)}`, label: `${data} (${corpus.length} chars, ${corpus.V} distinct)` };
}

function withVocab(text: string, vocab: string[] | undefined, where: string): Corpus {
  try { return new Corpus(text, vocab); } catch (e) {
    if (e instanceof VocabError) throw new UserError(`${where}: ${e.message}`);
    throw e;
  }
}

/** Optimal BPC over the predicted characters of [from, to) for the built-in corpus. */
export function optimalFor(c: LoadedCorpus, from: number, to: number): number | undefined {
  return c.builtin ? optimalBpc(c.builtin, from + 1, to) : undefined;
}

export function readCheckpoint(path: string): Checkpoint {
  try { return parseCheckpoint(readBytes(path)); } catch (e) {
    if (e instanceof CheckpointError) throw new UserError(`${path}: ${e.message}`);
    throw e;
  }
}

export async function modelFromCheckpoint(ck: Checkpoint): Promise<CharModel> {
  const m = createModel(await Backend.create("f32"), ck.kind, ioFromConfig(ck.config, ck.vocab.length), ck.config);
  loadWeights(m, ck);
  return m;
}
