// `dnc eval`: BPC of a text by MODELS.md's evaluation rule.
import { evaluateBpc } from "../train/evaluate.js";
import { loadText, readCheckpoint, modelFromCheckpoint, breakdownFor, formatBreakdown } from "./common.js";
import { optimalFor } from "../run/data.js";
import { UserError } from "./io.js";
import { evaluateBpcParallel } from "../run/pool.js";
import { spawnNodeWorker, defaultThreads } from "./threads.js";

export interface EvalOpts { checkpoint: string; data?: string; batch: number; split: "val" | "all"; json: boolean; threads?: number; live?: number }

export async function evaluate(o: EvalOpts): Promise<void> {
  const ck = readCheckpoint(o.checkpoint);
  const d = loadText(o.data, ck.vocab, o.live, ck.training?.corpus);
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
  // the built-in corpus: what the model remembers, part by part (one stream, whatever --batch)
  const parts = breakdownFor(d, m, from);
  if (o.json) {
    process.stdout.write(JSON.stringify({ bpc, optimalBpc: opt ?? null, chars: ids.length, batch: o.batch, split: o.split, breakdown: parts ?? null }) + "\n");
  } else {
    process.stdout.write(`${bpc.toFixed(4)} BPC on ${what}${opt !== undefined ? ` (optimal ${opt.toFixed(4)})` : ""}\n`);
    if (parts) process.stdout.write(`by part (one stream from a zero state):\n${formatBreakdown(parts)}`);
  }
}
