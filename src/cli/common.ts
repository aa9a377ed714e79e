// Shared by the CLI commands: texts and checkpoints from files, and which flags were given.
import { Command } from "commander";
import { VocabError } from "../data/corpus.js";
import { PART_NAMES } from "../data/builtin.js";
import { CharModel, ModelKind, hasMemory } from "../models/model.js";
import { parseCheckpoint, Checkpoint, CheckpointError } from "../train/checkpoint.js";
import { loadModel } from "../run/text.js";
import { evaluateParts, Breakdown } from "../train/evaluate.js";
import { TextData, textData, builtinOptionsOf } from "../run/data.js";
import { readTextFile, readBytes, UserError } from "./io.js";
import type { RunConfig } from "../run/config.js";

/**
 * `--data FILE` or the built-in corpus (with `--live`, or the options the
 * resumed checkpoint's corpus id names), ids by `vocab` when a checkpoint fixes them.
 */
export function loadText(path: string | undefined, vocab?: string[], live?: number, resumedCorpus?: string): TextData {
  const where = path ?? "the built-in corpus";
  try {
    if (path !== undefined) return textData(readTextFile(path), { name: path, vocab });
    const builtin = live !== undefined ? { live } : resumedCorpus ? builtinOptionsOf(resumedCorpus) : {};
    return textData(undefined, { vocab, builtin });
  } catch (e) {
    if (e instanceof VocabError) throw new UserError(`${where}: ${e.message}`);
    throw e;
  }
}

/** The built-in corpus's breakdown by part over [from, end), one stream from a zero state; undefined for other texts. */
export function breakdownFor(d: TextData, model: CharModel, from: number): Breakdown | undefined {
  if (!d.builtin) return undefined;
  return evaluateParts(model, d.corpus.ids.subarray(from), d.builtin.part.subarray(from), d.builtin.bits.subarray(from), PART_NAMES);
}

/** The breakdown as aligned lines. */
export function formatBreakdown(b: Breakdown): string {
  const row = (name: string, chars: number, bpc: number, opt: number, acc: number) =>
    `  ${name.padEnd(34)} ${String(chars).padStart(6)}  ${bpc.toFixed(4).padStart(7)}  ${opt.toFixed(4).padStart(7)}  ${(100 * acc).toFixed(1).padStart(5)}%`;
  return [
    `  ${"part".padEnd(34)} ${"chars".padStart(6)}  ${"BPC".padStart(7)}  ${"optimal".padStart(7)}  ${"right".padStart(6)}`,
    ...b.parts.map((p) => row(p.part, p.chars, p.bpc, p.optimal, p.accuracy)),
    row("all", b.parts.reduce((s, p) => s + p.chars, 0), b.bpc, b.optimal, b.accuracy),
  ].join("\n") + "\n";
}

export function readCheckpoint(path: string): Checkpoint {
  try { return parseCheckpoint(readBytes(path)); } catch (e) {
    if (e instanceof CheckpointError) throw new UserError(`${path}: ${e.message}`);
    throw e;
  }
}

/** The model in a checkpoint (the library's loadModel, without the vocabulary beside it). */
export async function modelFromCheckpoint(ck: Checkpoint): Promise<CharModel> {
  return (await loadModel(ck)).model;
}

/**
 * The fields whose flag was given on the command line ({ field: value } with
 * the flag named by FLAG_OF or the field itself); the rest stay undefined, so
 * that a checkpoint's or the objective's defaults apply.
 */
export function given(cmd: Command, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (cmd.getOptionValueSource(FLAG_OF[k] ?? k) === "cli") out[k] = v;
  return out;
}

/** --lr-decay's three flags as a config field (undefined without --lr-decay; its cadence alone is refused). */
export function lrDecayOf(o: { lrDecay?: number; lrDecayEvery?: number; lrDecayAfter?: number }): RunConfig["lrDecay"] {
  if (o.lrDecay === undefined) {
    if (o.lrDecayEvery !== undefined || o.lrDecayAfter !== undefined) throw new UserError("--lr-decay-every and --lr-decay-after need --lr-decay");
    return undefined;
  }
  if (o.lrDecay > 1) throw new UserError(`--lr-decay must be in (0, 1] (got ${o.lrDecay})`);
  return { factor: o.lrDecay, every: o.lrDecayEvery ?? 1000, after: o.lrDecayAfter ?? 0 };
}

/** ", × 0.5 every 1000 after 6000" for a decaying learning rate; "" otherwise. */
export function decayText(c: { lrDecay?: RunConfig["lrDecay"] }): string {
  return c.lrDecay ? ` (× ${c.lrDecay.factor} every ${c.lrDecay.every} updates${c.lrDecay.after ? ` after ${c.lrDecay.after}` : ""})` : "";
}

/** --lsh and --lsh-probes as a config field (undefined without --lsh; probes alone are refused). */
export function lshOf(o: { lsh?: number; lshProbes?: number }): RunConfig["lsh"] {
  if (o.lsh === undefined) {
    if (o.lshProbes !== undefined) throw new UserError("--lsh-probes needs --lsh");
    return undefined;
  }
  return { bits: o.lsh, probes: o.lshProbes ?? o.lsh + 1 };
}

/** The config fields of the flags that train and task share beyond given(): --lr-decay…, --lsh…. */
export function sharedFields(o: { lrDecay?: number; lrDecayEvery?: number; lrDecayAfter?: number; lsh?: number; lshProbes?: number }): Partial<RunConfig> {
  const lrDecay = lrDecayOf(o), lsh = lshOf(o);
  return { ...(lrDecay ? { lrDecay } : {}), ...(lsh ? { lsh } : {}) };
}

/** The CLI's short names for config fields: the one place they are mapped. */
const FLAG_OF: Record<string, string> = { memorySlots: "memory", wordSize: "word", readHeads: "reads" };

/** ", memory N×W, R read heads" (and ", K slots per read" for SAM) for the memory models; "" for the others. */
export function memoryText(c: { model: ModelKind; memorySlots?: number; wordSize?: number; readHeads?: number; sparse?: number; lsh?: unknown; contentMask?: unknown; eraseFreed?: unknown }): string {
  if (!hasMemory(c.model)) return "";
  const lsh = c.lsh as RunConfig["lsh"];
  return `, memory ${c.memorySlots}×${c.wordSize}, ${c.readHeads} read heads${c.model === "sam" || c.model === "sdnc" ? `, ${c.sparse} slots per read` : ""}` +
    (lsh ? `, LSH index of ${2 ** lsh.bits} buckets (${lsh.probes} probed)` : "") +
    `${c.contentMask === true ? ", masked content addressing" : ""}${c.eraseFreed === true ? ", erasing de-allocation" : ""}`;
}
