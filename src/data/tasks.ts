// The DNC paper's algorithmic tasks as seeded generators of padded,
// time-major batches: dense binary inputs with flag channels, binary targets,
// and a mask that is 1 where an output is scored.
import { ConfigError } from "../errors.js";
import { Rng } from "../train/rng.js";

export interface TaskBatch {
  /** Steps (the longest sequence of the batch; shorter ones are padded with mask 0). */
  T: number;
  B: number;
  /** T·B rows of inSize (row t·B + b). */
  inputs: Float32Array;
  /** T·B rows of outSize. */
  targets: Float32Array;
  /** T·B values, 1 where the target is scored. */
  mask: Float32Array;
}

/** One sequence: steps × channels, row-major. */
interface Sample { steps: number; obs: Float32Array; targ: Float32Array; mask: Float32Array }

export interface TaskOptions {
  bits?: number;
  minLength?: number;
  maxLength?: number;
  /** repeat-copy */
  minRepeats?: number;
  maxRepeats?: number;
  normMax?: number;
  /** recall */
  itemLength?: number;
  minItems?: number;
  maxItems?: number;
  /** copy-reuse */
  sequences?: number;
}

export const TASK_NAMES = ["copy", "repeat-copy", "recall", "copy-reuse"] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** Each task's defaults; repeat-copy's are DeepMind's reference configuration. */
export const TASK_DEFAULTS: Record<TaskName, Required<Pick<TaskOptions, "bits" | "minLength" | "maxLength">> & TaskOptions> = {
  copy: { bits: 8, minLength: 1, maxLength: 10 },
  "repeat-copy": { bits: 4, minLength: 1, maxLength: 2, minRepeats: 1, maxRepeats: 2, normMax: 10 },
  recall: { bits: 6, minLength: 3, maxLength: 3, itemLength: 3, minItems: 2, maxItems: 6 },
  "copy-reuse": { bits: 8, minLength: 3, maxLength: 6, sequences: 4 },
};

/** One of the DNC paper's algorithmic tasks with its options: draws seeded batches (`batch(rng, B)`). */
export class Task {
  readonly o: Required<TaskOptions>;
  readonly inSize: number;
  readonly outSize: number;

  constructor(readonly name: TaskName, opts: TaskOptions = {}) {
    const d = TASK_DEFAULTS[name];
    const o = { minRepeats: 1, maxRepeats: 2, normMax: 10, itemLength: 3, minItems: 2, maxItems: 6, sequences: 4, ...d, ...stripUndefined(opts) };
    if (name === "recall") { o.minLength = o.itemLength; o.maxLength = o.itemLength; }
    for (const [k, v] of Object.entries(o)) {
      if (!(Number.isInteger(v) && v >= (k === "minLength" || k === "minRepeats" || k === "minItems" ? 0 : 1)) && k !== "normMax") {
        throw new ConfigError(`${k} must be a non-negative integer (got ${v})`);
      }
    }
    if (o.minLength < 1) throw new ConfigError("minLength must be ≥ 1");
    if (o.maxLength < o.minLength) throw new ConfigError(`maxLength ${o.maxLength} is below minLength ${o.minLength}`);
    if (o.maxRepeats < o.minRepeats || o.minRepeats < 1) throw new ConfigError("repeats must satisfy 1 ≤ minRepeats ≤ maxRepeats");
    if (o.maxItems < o.minItems || o.minItems < 2) throw new ConfigError("items must satisfy 2 ≤ minItems ≤ maxItems");
    if (!(o.normMax > 0)) throw new ConfigError("normMax must be > 0");
    this.o = o;
    this.inSize = name === "repeat-copy" || name === "recall" ? o.bits + 2 : o.bits + 1;
    this.outSize = name === "repeat-copy" ? o.bits + 1 : o.bits;
  }

  /** The same task with other options (a curriculum step, a generalisation length). */
  with(opts: TaskOptions): Task { return new Task(this.name, { ...this.o, ...opts }); }

  /** The options that matter for this task, in a few words. */
  describe(): string {
    const o = this.o;
    switch (this.name) {
      case "copy": return `bits ${o.bits}, length ${o.minLength}..${o.maxLength}`;
      case "repeat-copy": return `bits ${o.bits}, length ${o.minLength}..${o.maxLength}, repeats ${o.minRepeats}..${o.maxRepeats}, norm ${o.normMax}`;
      case "recall": return `bits ${o.bits}, items ${o.minItems}..${o.maxItems} of ${o.itemLength} vectors`;
      case "copy-reuse": return `bits ${o.bits}, ${o.sequences} sequences of length ${o.minLength}..${o.maxLength}`;
    }
  }

  /** The longest sequence this configuration can produce. */
  maxSteps(): number {
    const o = this.o;
    switch (this.name) {
      case "copy": return 2 * o.maxLength + 1;
      case "repeat-copy": return o.maxLength * (o.maxRepeats + 1) + 3;
      case "recall": return o.maxItems * (o.itemLength + 1) + 2 * o.itemLength + 2;
      case "copy-reuse": return o.sequences * (2 * o.maxLength + 1);
    }
  }

  batch(rng: Rng, B: number): TaskBatch {
    const samples = Array.from({ length: B }, () => this.sample(rng));
    const T = Math.max(...samples.map((s) => s.steps));
    const inputs = new Float32Array(T * B * this.inSize), targets = new Float32Array(T * B * this.outSize), mask = new Float32Array(T * B);
    samples.forEach((s, b) => {
      for (let t = 0; t < s.steps; t++) {
        inputs.set(s.obs.subarray(t * this.inSize, (t + 1) * this.inSize), (t * B + b) * this.inSize);
        targets.set(s.targ.subarray(t * this.outSize, (t + 1) * this.outSize), (t * B + b) * this.outSize);
        mask[t * B + b] = s.mask[t];
      }
    });
    return { T, B, inputs, targets, mask };
  }

  private sample(rng: Rng): Sample {
    const o = this.o, I = this.inSize, Oz = this.outSize;
    const between = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);
    const pattern = (L: number) => Array.from({ length: L }, () => Array.from({ length: o.bits }, () => rng.int(2)));
    const make = (steps: number): Sample => ({ steps, obs: new Float32Array(steps * I), targ: new Float32Array(steps * Oz), mask: new Float32Array(steps) });
    const putBits = (arr: Float32Array, width: number, t: number, v: number[]) => v.forEach((x, k) => { arr[t * width + k] = x; });
    switch (this.name) {
      case "copy": {
        // pattern (L steps), end flag, then the pattern is output (mask 1)
        const L = between(o.minLength, o.maxLength), p = pattern(L), s = make(2 * L + 1);
        p.forEach((v, t) => putBits(s.obs, I, t, v));
        s.obs[L * I + o.bits] = 1;
        p.forEach((v, t) => { putBits(s.targ, Oz, L + 1 + t, v); s.mask[L + 1 + t] = 1; });
        return s;
      }
      case "repeat-copy": {
        // DeepMind's layout: start flag, pattern, repeat count / normMax, then the pattern n times and an end marker
        const L = between(o.minLength, o.maxLength), n = between(o.minRepeats, o.maxRepeats), p = pattern(L);
        const s = make(L * (n + 1) + 3);
        s.obs[o.bits] = 1;
        p.forEach((v, t) => putBits(s.obs, I, 1 + t, v));
        s.obs[(L + 1) * I + o.bits + 1] = n / o.normMax;
        for (let r = 0; r < n; r++) p.forEach((v, t) => putBits(s.targ, Oz, L + 2 + r * L + t, v));
        s.targ[(L + 2 + n * L) * Oz + o.bits] = 1;
        for (let t = L + 2; t < s.steps; t++) s.mask[t] = 1;
        return s;
      }
      case "recall": {
        // K items, each after an item delimiter; a query delimiter, one of the first K−1 items, a query delimiter;
        // then the item that followed it (mask 1)
        const K = between(o.minItems, o.maxItems), len = o.itemLength;
        const items = Array.from({ length: K }, () => pattern(len)), q = rng.int(K - 1);
        const s = make(K * (len + 1) + 2 * len + 2);
        let t = 0;
        for (const it of items) { s.obs[t * I + o.bits] = 1; t++; for (const v of it) putBits(s.obs, I, t++, v); }
        s.obs[t * I + o.bits + 1] = 1; t++;
        for (const v of items[q]) putBits(s.obs, I, t++, v);
        s.obs[t * I + o.bits + 1] = 1; t++;
        for (const v of items[q + 1]) { putBits(s.targ, Oz, t, v); s.mask[t] = 1; t++; }
        return s;
      }
      case "copy-reuse": {
        // several copies one after another: what was read must be freed for the next sequence
        const lens = Array.from({ length: o.sequences }, () => between(o.minLength, o.maxLength));
        const s = make(lens.reduce((a, L) => a + 2 * L + 1, 0));
        let t = 0;
        for (const L of lens) {
          const p = pattern(L);
          for (const v of p) putBits(s.obs, I, t++, v);
          s.obs[t * I + o.bits] = 1; t++;
          for (const v of p) { putBits(s.targ, Oz, t, v); s.mask[t] = 1; t++; }
        }
        return s;
      }
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
