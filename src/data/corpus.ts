// Corpus, training windows and evaluation segments exactly as MODELS.md
// defines them, so that an outside implementation reproduces our numbers.
import { DncError, ConfigError } from "../errors.js";

export class Corpus {
  /** Characters (code points) sorted by code point; index = id. */
  readonly vocab: string[];
  readonly ids: Int32Array;
  private readonly index: Map<string, number>;

  constructor(readonly text: string, vocab?: string[]) {
    const chars = Array.from(text);
    this.vocab = vocab ?? Array.from(new Set(chars)).sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    this.index = new Map(this.vocab.map((c, i) => [c, i]));
    this.ids = new Int32Array(chars.length);
    for (let i = 0; i < chars.length; i++) {
      const id = this.index.get(chars[i]);
      if (id === undefined) throw new VocabError(chars[i]);
      this.ids[i] = id;
    }
  }

  get length(): number { return this.ids.length; }
  get V(): number { return this.vocab.length; }
  /** Index of the first held-out character: training is [0, split), validation the rest. */
  get split(): number { return Math.floor(0.9 * this.ids.length); }
  get train(): Int32Array { return this.ids.subarray(0, this.split); }
  get valid(): Int32Array { return this.ids.subarray(this.split); }

  encode(s: string): Int32Array {
    const chars = Array.from(s);
    return Int32Array.from(chars, (c) => {
      const id = this.index.get(c);
      if (id === undefined) throw new VocabError(c);
      return id;
    });
  }
  has(c: string): boolean { return this.index.has(c); }
}

/** A character outside the model's vocabulary (a prime, or a text scored with another model's ids). */
export class VocabError extends DncError {
  constructor(readonly char: string) {
    super(`character ${JSON.stringify(char)} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}) is not in the model's vocabulary`);
  }
}

/**
 * B streams over the training ids. Stream b starts at b·⌊(m−S−1)/B⌋ and
 * advances S per window. A stream whose next window would run past the end
 * continues cyclically at (P_b + S) mod (B·⌊(m−S−1)/B⌋) with a zero state, so
 * the streams keep their spacing.
 */
export class Batcher {
  readonly pos: Int32Array;
  readonly stride: number;
  readonly period: number;

  constructor(readonly data: Int32Array, readonly B: number, readonly S: number) {
    const m = data.length;
    if (m < S + 1) throw new ConfigError(`the training text has ${m} characters; a window needs at least seq+1 = ${S + 1}`);
    this.stride = Math.floor((m - S - 1) / B);
    this.period = Math.max(B * this.stride, 1);
    this.pos = Int32Array.from({ length: B }, (_, b) => b * this.stride);
  }

  /**
   * Fill inputs/targets (time-major: [t·B + b]) for the next window.
   * Returns the streams that restarted and need a zero state.
   */
  next(inputs: Int32Array, targets: Int32Array): number[] {
    const { B, S, data } = this;
    const reset: number[] = [];
    for (let b = 0; b < B; b++) {
      if (this.pos[b] + S + 1 > data.length) { this.pos[b] = this.pos[b] % this.period; reset.push(b); }
      const p = this.pos[b];
      for (let t = 0; t < S; t++) {
        inputs[t * B + b] = data[p + t];
        targets[t * B + b] = data[p + t + 1];
      }
      this.pos[b] = p + S;
    }
    return reset;
  }
}

/**
 * Evaluation segments: segment b covers text[b·L, (b+1)·L + 1) with
 * L = ⌊(n−1)/B⌋, read from a zero state with the state carried throughout;
 * every character after a segment's first is predicted. Yields windows of
 * at most S steps.
 */
export function* evalWindows(data: Int32Array, B: number, S: number): Generator<{ s: number; inputs: Int32Array; targets: Int32Array }> {
  const L = Math.floor((data.length - 1) / B);
  if (L < 1) throw new ConfigError(`evaluation needs at least ${B + 1} characters for ${B} streams; the text has ${data.length}`);
  const inputs = new Int32Array(S * B), targets = new Int32Array(S * B);
  for (let t0 = 0; t0 < L; t0 += S) {
    const s = Math.min(S, L - t0);
    for (let b = 0; b < B; b++) {
      const p = b * L + t0;
      for (let t = 0; t < s; t++) {
        inputs[t * B + b] = data[p + t];
        targets[t * B + b] = data[p + t + 1];
      }
    }
    yield { s, inputs: inputs.subarray(0, s * B), targets: targets.subarray(0, s * B) };
  }
}

/** FNV-1a over the ids: identifies a corpus so that --resume refuses a different one. */
export function fingerprint(ids: Int32Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < ids.length; i++) { h ^= ids[i]; h = Math.imul(h, 0x01000193) >>> 0; }
  return `${ids.length}:${h.toString(16).padStart(8, "0")}`;
}
