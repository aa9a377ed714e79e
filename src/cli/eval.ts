// `dnc eval`: BPC of a text by MODELS.md's evaluation rule.
import { evaluateBpc } from "../train/evaluate.js";
import { loadCorpus, optimalFor, readCheckpoint, modelFromCheckpoint } from "./common.js";
import { UserError } from "./io.js";
import { evaluateBpcParallel } from "../train/parallel.js";
import { spawnNodeWorker, defaultThreads } from "./threads.js";

export interface EvalOpts { checkpoint: string; data?: string; batch: number; split: "val" | "all"; json: boolean; threads?: number }

export async function evaluate(o: EvalOpts): Promise<void> {
  const ck = readCheckpoint(o.checkpoint);
  const d = loadCorpus(o.data, ck.vocab);
  const from = o.split === "val" ? d.corpus.split : 0;
  const ids = d.corpus.ids.subarray(from);
  if (ids.length < o.batch + 1) {
    throw new UserError(`the ${o.split === "val" ? "validation split (last 10%)" : "text"} has ${ids.length} characters; ${o.batch} streams need at least ${o.batch + 1}`);
  }
  const m = await modelFromCheckpoint(ck);
  const threads = o.threads ?? defaultThreads(o.batch);
  if (threads > o.batch) throw new UserError(`--threads ${threads} exceeds the number of streams ${o.batch}`);
  const bpc = threads > 1
    ? await evaluateBpcParallel(m, ck.config, ids, o.batch, 100, threads, spawnNodeWorker)
    : evaluateBpc(m, ids, o.batch, 100);
  const opt = optimalFor(d, from, d.corpus.length);
  const what = `${o.split === "val" ? "validation split of " : ""}${d.label}, ${o.batch} stream${o.batch > 1 ? "s" : ""}`;
  if (o.json) {
    process.stdout.write(JSON.stringify({ bpc, optimalBpc: opt ?? null, chars: ids.length, batch: o.batch, split: o.split }) + "\n");
  } else {
    process.stdout.write(`${bpc.toFixed(4)} BPC on ${what}${opt !== undefined ? ` (optimal ${opt.toFixed(4)})` : ""}\n`);
  }
}
