// A text run's data: the corpus, where it came from (so that a resumed run
// can refuse another text), and for the built-in corpus what each character
// costs at best and which part of the grammar it belongs to.
import { Corpus, fingerprint } from "../data/corpus.js";
import { builtinCorpus, BuiltinCorpus, BuiltinOptions, BUILTIN_DEFAULT, optimalBpc } from "../data/builtin.js";

export interface TextData {
  corpus: Corpus;
  /** The built-in corpus's generator output (bits and parts per character). */
  builtin?: BuiltinCorpus;
  /** Identifies the text: a checkpoint records it and --resume compares it. */
  id: string;
  /** For people: "built-in corpus (300007 chars)", "alice.txt (…)". */
  label: string;
}

/**
 * A text (or, without one, the built-in corpus with `builtin`'s options)
 * with its ids; `vocab` fixes the ids (a checkpoint's vocabulary) and throws
 * VocabError for a character outside it.
 */
export function textData(text?: string, o: { name?: string; vocab?: string[]; builtin?: BuiltinOptions } = {}): TextData {
  if (text === undefined) {
    const builtin = builtinCorpus(BUILTIN_DEFAULT.seed, BUILTIN_DEFAULT.chars, o.builtin);
    const corpus = new Corpus(builtin.text, o.vocab);
    return { corpus, builtin, id: builtin.name, label: `built-in corpus (${corpus.length} chars${o.builtin?.live ? `, ${o.builtin.live} live names` : ""})` };
  }
  const corpus = new Corpus(text, o.vocab);
  return { corpus, id: `file:${fingerprint(corpus.ids)}`, label: `${o.name ?? "text"} (${corpus.length} chars, ${corpus.V} distinct)` };
}

/** Optimal BPC over the predicted characters of [from, to) (the built-in corpus only). */
export function optimalFor(d: TextData, from: number, to: number): number | undefined {
  return d.builtin ? optimalBpc(d.builtin, from + 1, to) : undefined;
}

/** The built-in corpus's options from its id ("builtin:1:300000:live2"); {} for any other id. */
export function builtinOptionsOf(id: string): BuiltinOptions {
  const m = /^builtin:\d+:\d+:live(\d+)$/.exec(id);
  return m ? { live: Number(m[1]) } : {};
}
