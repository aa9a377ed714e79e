// The built-in corpus: seeded, deterministic text that mixes predictable
// structure with facts that must be remembered, and whose exact information
// content is known.
//
// Grammar (one line at a time; every choice is uniform over the k options the
// context allows, and every other character is determined by what came before):
//
//   line  := def | ask | count | say          kind: uniform over 4 (3 while no name is live)
//   def   := "let " NAME " = " VAL ";\n"      NAME: two letters a–z not currently live
//                                             (k = 676 − live), VAL: two digits (k = 100)
//   ask   := NAME " is " VAL ".\n"            NAME: one of the live names (k = live);
//                                             VAL: the value it was defined with (determined)
//   count := "count " N ".\n"                 N: the previous count + 1, mod 100 (determined)
//   say   := "the " NOUN " " VERB ".\n"       NOUN, VERB: one of 8 words each (k = 8)
//
// The live names are the last 8 defined (first in, first out), so an ask line
// refers back between about 10 and a few hundred characters. `live` sets that
// number (fewer live names: shorter distances, for a curriculum).
//
// Distinct choice sequences give distinct texts, so −log₂ P(text) is the sum
// of log₂ k over the choices made: a model that knew the grammar would reach
// exactly that many bits. Each choice's bits are charged to the characters
// that reveal it (a name's: its first letter −log₂ P(letter), its second the
// rest), so any stretch of the text has a computable optimal BPC (the bits
// charged in it over its length); a model that starts reading mid-text cannot
// know the names defined before it, so this is a lower bound.
//
// Every character also carries its part (PART): the values of ask lines and
// the letters of ask names after the first can only be predicted by
// remembering a definition, the count's digits by keeping the running count.
import { ConfigError } from "../errors.js";
import { Rng } from "../train/rng.js";

const NOUNS = ["cat", "dog", "owl", "fox", "hen", "bee", "elk", "ant"];
const VERBS = ["runs", "sleeps", "eats", "sings", "hides", "jumps", "waits", "swims"];
const LIVE = 8;
const KINDS = ["def", "ask", "count", "say"] as const;
const KINDS_NO_ASK = ["def", "count", "say"] as const;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** What predicting a character of the built-in corpus takes: PART_NAMES[part]. */
export const PART = { rest: 0, value: 1, name: 2, count: 3 } as const;
export const PART_NAMES = ["rest", "ask values", "ask names after the first letter", "count numbers"] as const;

export interface BuiltinCorpus {
  text: string;
  /** bits[i]: information charged to character i (code unit = code point here: ASCII only). */
  bits: Float64Array;
  /** part[i]: PART of character i. */
  part: Uint8Array;
  name: string;
}

export interface BuiltinOptions {
  /** Names an ask may refer to: the last `live` defined (default 8). */
  live?: number;
}

export const BUILTIN_DEFAULT = { seed: 1, chars: 300_000, live: LIVE };

/**
 * The built-in corpus: `chars` characters of seeded text (docs/MODELS.md) with the bits and the part of
 * every character; the same seed, length and options give the same text.
 */
export function builtinCorpus(seed = BUILTIN_DEFAULT.seed, chars = BUILTIN_DEFAULT.chars, opts: BuiltinOptions = {}): BuiltinCorpus {
  const liveMax = opts.live ?? LIVE;
  if (!Number.isInteger(liveMax) || liveMax < 1 || liveMax > 600) throw new ConfigError(`live names must be an integer in 1..600 (got ${liveMax})`);
  const rng = new Rng(seed ^ 0x5eed);
  const chunks: string[] = [];
  const bits: number[] = [];
  const part: number[] = [];
  const live: { name: string; val: string }[] = [];
  let count = 0, n = 0;
  // emit text of one part; the first character carries `b` bits, the rest none
  const emit = (s: string, b = 0, p: number = PART.rest) => {
    chunks.push(s);
    for (let i = 0; i < s.length; i++) { bits.push(i === 0 ? b : 0); part.push(p); }
    n += s.length;
  };
  // a two-letter name drawn uniformly from `names`: the first letter carries −log₂ P(letter),
  // the second −log₂ P(second | first); their sum is log₂ |names|
  const emitName = (name: string, names: string[], extra: number, p2: number) => {
    const same = names.filter((x) => x[0] === name[0]).length;
    emit(name[0], extra + Math.log2(names.length / same));
    emit(name[1], Math.log2(same), p2);
  };
  while (n < chars) {
    const kinds = live.length > 0 ? KINDS : KINDS_NO_ASK;
    const kind = kinds[rng.int(kinds.length)];
    const kindBits = Math.log2(kinds.length);
    // the kind is visible from the line's first character
    if (kind === "def") {
      // def: "let " then a fresh name
      const free: string[] = [];
      for (const a of LETTERS) for (const b of LETTERS) {
        const nm = a + b;
        if (!live.some((e) => e.name === nm)) free.push(nm);
      }
      const name = free[rng.int(free.length)];
      const val = String(rng.int(100)).padStart(2, "0");
      emit("let ", kindBits);
      emitName(name, free, 0, PART.rest);
      emit(" = ");
      // the two digits of a uniform value in 00..99 are independent: one of 10 each
      emit(val[0], Math.log2(10));
      emit(val[1], Math.log2(10));
      emit(";\n");
      live.push({ name, val });
      if (live.length > liveMax) live.shift();
    } else if (kind === "ask") {
      const e = live[rng.int(live.length)];
      // the name's first letter reveals both the line kind and (part of) the name
      emitName(e.name, live.map((x) => x.name), kindBits, PART.name);
      emit(" is ");
      emit(e.val, 0, PART.value);
      emit(".\n");
    } else if (kind === "count") {
      count = (count + 1) % 100;
      emit("count ", kindBits);
      emit(String(count), 0, PART.count);
      emit(".\n");
    } else {
      const noun = NOUNS[rng.int(8)], verb = VERBS[rng.int(8)];
      emit("the ", kindBits);
      emit(noun, 3);
      emit(" ");
      emit(verb, 3);
      emit(".\n");
    }
  }
  const name = liveMax === LIVE ? `builtin:${seed}:${chars}` : `builtin:${seed}:${chars}:live${liveMax}`;
  return { text: chunks.join(""), bits: Float64Array.from(bits), part: Uint8Array.from(part), name };
}

/** Optimal BPC of text[from, to): the bits charged there over its length. */
export function optimalBpc(c: BuiltinCorpus, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += c.bits[i];
  return s / (to - from);
}
