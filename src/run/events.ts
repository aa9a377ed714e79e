// What Session.run() takes and what it emits.
import { RunConfig } from "./config.js";
import { Breakdown } from "../train/evaluate.js";
import { TaskOptions } from "../data/tasks.js";

/** Every n iterations, or every so many seconds of wall time. */
export type Cadence = number | { seconds: number };

export interface RunOptions {
  /** Stop at this iteration count (the total, also when resumed). */
  iters?: number;
  /** Stop after this many seconds of this run. */
  seconds?: number;
  /** Tasks: stop once the cost averaged over the last 100 iterations is below this (bits per sequence). */
  targetCost?: number;
  /** Tasks: grow the maximum length by one whenever the wrong bits per sequence of a progress interval fall below `errors`. */
  curriculum?: { errors: number };
  /**
   * Text on the built-in corpus: start at live[0] names and move to the next
   * count whenever an evaluation gets at least `accuracy` of the ask values right.
   */
  corpusCurriculum?: { live: number[]; accuracy: number };
  printEvery?: Cadence;
  /** Text: validation BPC, breakdown and a sample (and once more at the end unless finalEval is false). */
  evalEvery?: Cadence;
  evalBatch?: number;
  finalEval?: boolean;
  /** A checkpoint event (and one at the end). */
  saveEvery?: Cadence;
  /** A checkpoint event at the end even without saveEvery. */
  finalSave?: boolean;
  /** Text: a sample event of sampleLength characters at temperature. */
  sampleEvery?: Cadence;
  sampleLength?: number;
  temperature?: number;
  /** Aborting stops the run after the current step (a final checkpoint, then `stopped`). */
  signal?: AbortSignal;
  /** The loop lets the event loop in at least this often (ms; default 100). */
  yieldMs?: number;
}

/** Why a run ended: a budget or the target (`done`), or an interruption or divergence (`stopped`). */
export type StopReason = "iterations" | "time" | "target" | "interrupted" | "nonFinite";

/** Validation of a text run. */
export interface EvalReport {
  valBpc: number;
  optimalBpc: number | null;
  /** The built-in corpus: BPC, optimum and share right per part (one stream from a zero state). */
  breakdown: Breakdown | null;
  sample: string;
}

interface At { iter: number; time: number }

export type SessionEvent = At & (
  | { type: "start"; config: RunConfig; parameters: number; threads: number; resumed: boolean; corpus?: string; task?: string; options?: TaskOptions }
  | { type: "progress"; lr: number; bpc?: number; charsPerSec?: number; cost?: number; bitErrors?: number; cost100?: number; itersPerSec?: number; maxLength?: number }
  | ({ type: "eval" } & EvalReport)
  | { type: "sample"; text: string }
  | { type: "curriculum"; maxLength?: number; live?: number }
  | { type: "checkpoint"; bytes: Uint8Array; final: boolean }
  | { type: "done"; reason: "iterations" | "time" | "target"; cost100?: number; recent?: number }
  | { type: "stopped"; reason: "interrupted" | "nonFinite"; message: string }
);
