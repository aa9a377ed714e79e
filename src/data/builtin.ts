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
// refers back between about 10 and a few hundred characters.
//
// Distinct choice sequences give distinct texts, so −log₂ P(text) is the sum
// of log₂ k over the choices made: a model that knew the grammar would reach
// exactly that many bits. Each choice's bits are charged to the first
// character it shows in, so any stretch of the text has a computable optimal
// BPC (the bits charged in it over its length); a model that starts reading
// mid-text cannot know the names defined before it, so this is a lower bound.
import { Rng } from "../train/rng.js";

const NOUNS = ["cat", "dog", "owl", "fox", "hen", "bee", "elk", "ant"];
const VERBS = ["runs", "sleeps", "eats", "sings", "hides", "jumps", "waits", "swims"];
const LIVE = 8;
const KINDS = ["def", "ask", "count", "say"] as const;
const KINDS_NO_ASK = ["def", "count", "say"] as const;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

export interface BuiltinCorpus {
  text: string;
  /** bits[i]: information charged to character i (code unit = code point here: ASCII only). */
  bits: Float64Array;
  name: string;
}

export const BUILTIN_DEFAULT = { seed: 1, chars: 300_000 };

export function builtinCorpus(seed = BUILTIN_DEFAULT.seed, chars = BUILTIN_DEFAULT.chars): BuiltinCorpus {
  const rng = new Rng(seed ^ 0x5eed);
  const parts: string[] = [];
  const bits: number[] = [];
  const live: { name: string; val: string }[] = [];
  let count = 0, n = 0;
  // emit text; the first character carries `b` bits, the rest none
  const emit = (s: string, b = 0) => {
    parts.push(s);
    for (let i = 0; i < s.length; i++) bits.push(i === 0 ? b : 0);
    n += s.length;
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
      emitChoice(emit, name, Math.log2(free.length));
      emit(" = ");
      emitChoice(emit, val, Math.log2(100));
      emit(";\n");
      live.push({ name, val });
      if (live.length > LIVE) live.shift();
    } else if (kind === "ask") {
      const e = live[rng.int(live.length)];
      // the name's first letter reveals both the line kind and (part of) the name
      emitChoice(emit, e.name, kindBits + Math.log2(live.length));
      emit(" is " + e.val + ".\n");
    } else if (kind === "count") {
      count = (count + 1) % 100;
      emit("count " + count + ".\n", kindBits);
    } else {
      const noun = NOUNS[rng.int(8)], verb = VERBS[rng.int(8)];
      emit("the ", kindBits);
      emitChoice(emit, noun, 3);
      emit(" ");
      emitChoice(emit, verb, 3);
      emit(".\n");
    }
  }
  return { text: parts.join(""), bits: Float64Array.from(bits), name: `builtin:${seed}:${chars}` };
}

function emitChoice(emit: (s: string, b?: number) => void, s: string, b: number): void {
  emit(s[0], b);
  if (s.length > 1) emit(s.slice(1));
}

/** Optimal BPC of text[from, to): the bits charged there over its length. */
export function optimalBpc(c: BuiltinCorpus, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += c.bits[i];
  return s / (to - from);
}
