// `dnc task NAME`: train on an algorithmic task, or evaluate a checkpoint at
// other lengths (the generalisation report), or show the memory on one sample.
import { Command } from "commander";
import { Backend } from "../runtime/backend.js";
import { Task, TaskName, TaskOptions } from "../data/tasks.js";
import { TaskTrainer, TaskConfig, ParallelTaskTrainer } from "../train/taskTrainer.js";
import { spawnNodeWorker, defaultThreads } from "./threads.js";
import { taskCheckpoint, restoreTaskTraining, loadWeights, Checkpoint } from "../train/checkpoint.js";
import { DncModel } from "../models/dnc.js";
import { ModelKind } from "../models/model.js";
import { OptimizerName } from "../train/optimizer.js";
import { inspectDnc } from "../train/inspect.js";
import { readCheckpoint } from "./common.js";
import { checkWritable, writeAtomic, UserError } from "./io.js";
import { Progress, stoppedOnNonFinite } from "./progress.js";

export interface TaskOpts {
  model: ModelKind; hidden: number; memory: number; word: number; reads: number; batch: number;
  optimizer: OptimizerName; lr: number; clip: number; eps: number; momentum: number; seed: number;
  bits?: number; minLength?: number; maxLength?: number; minRepeats?: number; maxRepeats?: number; normMax?: number;
  itemLength?: number; minItems?: number; maxItems?: number; sequences?: number;
  iters?: number; time?: number; printEvery: number; save?: string; saveEvery: number; resume?: string;
  targetCost?: number; curriculum: boolean; curriculumErrors: number;
  checkpoint?: string; eval: boolean; length?: number[]; evalBatches: number; inspect: boolean; json: boolean; threads?: number;
}

const STRUCTURAL = ["model", "hidden", "memory", "word", "reads", "batch", "bits"] as const;

function taskOptions(o: TaskOpts): TaskOptions {
  return {
    bits: o.bits, minLength: o.minLength, maxLength: o.maxLength, minRepeats: o.minRepeats, maxRepeats: o.maxRepeats,
    normMax: o.normMax, itemLength: o.itemLength, minItems: o.minItems, maxItems: o.maxItems, sequences: o.sequences,
  };
}

function makeTask(name: TaskName, opts: TaskOptions): Task {
  try { return new Task(name, opts); } catch (e) {
    if (e instanceof RangeError) throw new UserError(`task ${name}: ${e.message}`);
    throw e;
  }
}

export async function task(name: TaskName, o: TaskOpts, cmd: Command): Promise<void> {
  if (o.checkpoint) return evaluateTask(name, o);
  const explicit = (k: string) => cmd.getOptionValueSource(k) === "cli";
  let cfg: TaskConfig = {
    task: name, taskOptions: taskOptions(o), model: o.model, hidden: o.hidden, batch: o.batch,
    optimizer: o.optimizer, lr: o.lr, clip: o.clip, eps: o.eps, momentum: o.momentum, seed: o.seed,
    ...(o.model === "dnc" ? { memorySlots: o.memory, wordSize: o.word, readHeads: o.reads } : {}),
  };
  let ck: Checkpoint | undefined;
  if (o.resume) {
    ck = readCheckpoint(o.resume);
    const saved = ck.config as unknown as TaskConfig;
    if (saved.task !== name) throw new UserError(`${o.resume} was trained on ${saved.task ?? "text"}, not ${name}`);
    if (!ck.training) throw new UserError(`${o.resume} holds no training state to resume`);
    const now: Record<string, unknown> = { model: o.model, hidden: o.hidden, memory: o.memory, word: o.word, reads: o.reads, batch: o.batch, bits: o.bits };
    const was: Record<string, unknown> = { model: saved.model, hidden: saved.hidden, memory: saved.memorySlots, word: saved.wordSize, reads: saved.readHeads, batch: saved.batch, bits: saved.taskOptions.bits };
    for (const k of STRUCTURAL) if (explicit(k) && now[k] !== was[k]) throw new UserError(`--${k} ${now[k]} conflicts with the checkpoint being resumed (${was[k]})`);
    cfg = saved;
  }
  if (o.save) checkWritable(o.save);
  const full = makeTask(name, cfg.taskOptions);
  // a curriculum starts short and grows the maximum length up to the requested one
  let current = full;
  if (o.curriculum && !ck) current = full.with({ maxLength: Math.min(full.o.minLength + 1, full.o.maxLength) });
  const threads = o.threads ?? defaultThreads(cfg.batch);
  if (threads > cfg.batch) throw new UserError(`--threads ${threads} exceeds the batch size ${cfg.batch} (each thread takes whole sequences)`);
  const tr = threads > 1
    ? await ParallelTaskTrainer.create(cfg, threads, spawnNodeWorker, current, full)
    : new TaskTrainer(await Backend.create("f32"), cfg, current, full);
  try {
    await taskLoop(name, o, cfg, tr, full, ck, threads);
  } finally {
    tr.close();
  }
}

async function taskLoop(name: TaskName, o: TaskOpts, cfg: TaskConfig, tr: TaskTrainer, full: Task, ck: Checkpoint | undefined, threads: number): Promise<void> {
  let elapsed0 = 0;
  if (ck) { restoreTaskTraining(tr, ck); elapsed0 = ck.training!.elapsed; }

  const prog = new Progress(o.json, !!process.stdout.isTTY);
  const itersBudget = o.iters ?? (o.time === undefined ? 20000 : Infinity), timeBudget = o.time ?? Infinity;
  prog.line(`task ${name} (${describe(tr.task)}${o.curriculum ? `; curriculum up to length ${full.o.maxLength}` : ""}) | ${cfg.model} hidden ${cfg.hidden}` +
    (cfg.model === "dnc" ? `, memory ${cfg.memorySlots}×${cfg.wordSize}, ${cfg.readHeads} read heads` : "") +
    `, ${tr.model.params.count} parameters, batch ${cfg.batch}, ${cfg.optimizer} lr ${cfg.lr}, clip ${cfg.clip}, ${threads} thread${threads > 1 ? "s" : ""}` +
    (ck ? ` | resumed at iter ${tr.iteration}` : ""),
    { type: "start", task: name, options: tr.task.o, config: cfg, parameters: tr.model.params.count, iter: tr.iteration });
  const save = () => { if (o.save) writeAtomic(o.save, taskCheckpoint(tr, elapsed0 + (performance.now() - t0) / 1000)); };
  let stop = false;
  const onSig = () => { stop = true; };
  process.once("SIGINT", onSig);
  const t0 = performance.now();
  let lastPrint = t0, lastIter = tr.iteration, sumC = 0, sumE = 0, n = 0, lastBar = 0, reached = false;
  const recent: number[] = [];
  try {
    while (!stop && tr.iteration < itersBudget && (performance.now() - t0) / 1000 < timeBudget) {
      let r;
      try { r = await tr.step(); } catch (e) {
        if (stoppedOnNonFinite(e, prog, o.save)) return;
        throw e;
      }
      sumC += r.cost; sumE += r.errors; n++;
      recent.push(r.cost); if (recent.length > 100) recent.shift();
      const it = tr.iteration, now = performance.now();
      const avg100 = recent.reduce((a, b) => a + b, 0) / recent.length;
      if (it % o.printEvery === 0) {
        const el = elapsed0 + (now - t0) / 1000, ips = (it - lastIter) / ((now - lastPrint) / 1000);
        const cur = o.curriculum ? `, max length ${tr.task.o.maxLength}` : "";
        prog.line(`${el.toFixed(1)} s, iter ${it}, cost ${(sumC / n).toFixed(3)} bits/seq, ${(sumE / n).toFixed(3)} bit errors/seq, ${ips.toFixed(0)} it/s${cur}`,
          { type: "progress", time: +el.toFixed(3), iter: it, cost: sumC / n, bitErrors: sumE / n, cost100: avg100, itersPerSec: Math.round(ips), maxLength: tr.task.o.maxLength });
        if (o.curriculum && sumE / n < o.curriculumErrors && tr.task.o.maxLength < full.o.maxLength) {
          tr.task = tr.task.with({ maxLength: tr.task.o.maxLength + 1 });
        }
        lastPrint = now; lastIter = it; sumC = 0; sumE = 0; n = 0;
      }
      if (o.save && it % o.saveEvery === 0) save();
      if (o.targetCost !== undefined && recent.length === 100 && avg100 < o.targetCost && (!o.curriculum || tr.task.o.maxLength === full.o.maxLength)) {
        reached = true;
        break;
      }
      if (now - lastBar > 200) {
        prog.bar(Math.max(Number.isFinite(itersBudget) ? it / itersBudget : 0, (now - t0) / 1000 / timeBudget), (now - t0) / 1000);
        lastBar = now;
      }
    }
  } finally {
    process.removeListener("SIGINT", onSig);
    prog.clearBar();
  }
  save();
  const el = (performance.now() - t0) / 1000;
  const avg = recent.reduce((a, b) => a + b, 0) / Math.max(recent.length, 1);
  prog.line(`done: ${tr.iteration} iterations, ${el.toFixed(1)} s, cost over the last ${recent.length} iterations ${avg.toFixed(3)} bits/seq` +
    (o.targetCost !== undefined ? (reached ? ` (target ${o.targetCost} reached)` : ` (target ${o.targetCost} not reached)`) : "") +
    `${o.save ? `, saved ${o.save}` : ""}`,
    { type: "done", iter: tr.iteration, time: +el.toFixed(3), cost100: avg, targetReached: o.targetCost !== undefined ? reached : null, saved: o.save ?? null });
}

function describe(t: Task): string {
  const o = t.o;
  switch (t.name) {
    case "copy": return `bits ${o.bits}, length ${o.minLength}..${o.maxLength}`;
    case "repeat-copy": return `bits ${o.bits}, length ${o.minLength}..${o.maxLength}, repeats ${o.minRepeats}..${o.maxRepeats}, norm ${o.normMax}`;
    case "recall": return `bits ${o.bits}, items ${o.minItems}..${o.maxItems} of ${o.itemLength} vectors`;
    case "copy-reuse": return `bits ${o.bits}, ${o.sequences} sequences of length ${o.minLength}..${o.maxLength}`;
  }
}

/** --checkpoint F: --eval (bit errors as a function of length) or --inspect (the memory on one sample). */
async function evaluateTask(name: TaskName, o: TaskOpts): Promise<void> {
  const ck = readCheckpoint(o.checkpoint!);
  const cfg = ck.config as unknown as TaskConfig;
  if (cfg.task !== name) throw new UserError(`${o.checkpoint} was trained on ${cfg.task ?? "text"}, not ${name}`);
  const trained = makeTask(name, ck.training?.taskOptions ?? cfg.taskOptions);
  const tr = new TaskTrainer(await Backend.create("f32"), cfg, trained);
  loadWeights(tr.model, ck);
  if (o.inspect) return inspectTask(tr, trained.with({ ...stripped(taskOptions(o)) }), o.json);
  if (!o.eval) throw new UserError("with --checkpoint, give --eval (and --length L[,L…]) or --inspect");
  const lengths = o.length ?? [trained.o.maxLength];
  const rows = lengths.map((L) => {
    const t = makeTask(name, { ...trained.o, ...stripped(taskOptions(o)), minLength: L, maxLength: L });
    return { length: L, ...tr.evaluate(t, o.evalBatches) };
  });
  if (o.json) { process.stdout.write(JSON.stringify({ task: name, model: cfg.model, rows }) + "\n"); return; }
  process.stdout.write(`${name}, ${cfg.model} (trained on length ${trained.o.minLength}..${trained.o.maxLength}), ${o.evalBatches * cfg.batch} sequences per length\n`);
  process.stdout.write(`length  bit errors/seq  cost bits/seq\n`);
  for (const r of rows) process.stdout.write(`${String(r.length).padStart(6)}  ${r.errors.toFixed(3).padStart(14)}  ${r.cost.toFixed(3).padStart(13)}\n`);
}

function stripped(o: TaskOptions): TaskOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as TaskOptions;
}

/** One sample through the DNC, with its memory activity per step. */
function inspectTask(tr: TaskTrainer, t: Task, json: boolean): void {
  if (!(tr.model instanceof DncModel)) throw new UserError("--inspect shows a DNC's memory; this checkpoint holds a " + tr.model.kind);
  const m = tr.model, be = m.be;
  const batch = t.batch(tr.rng, 1);
  const steps = inspectDnc(m, batch.T, (ws, s) => {
    be.F.set(batch.inputs.subarray(s * t.inSize, (s + 1) * t.inSize), ws.X / be.elem);
  });
  const phase = (s: number) => {
    const x = batch.inputs.subarray(s * t.inSize, (s + 1) * t.inSize);
    if (batch.mask[s]) return "out";
    return x.slice(t.o.bits).some((v) => v !== 0) ? "flag" : "in";
  };
  if (json) {
    process.stdout.write(JSON.stringify({ task: t.name, steps: steps.map((s, i) => ({ ...s, phase: phase(i), nextProb: undefined })) }) + "\n");
    return;
  }
  const argmax = (v: number[]) => v.reduce((b, x, i) => (x > v[b] ? i : b), 0);
  const f = (x: number) => x.toFixed(2);
  process.stdout.write(`step phase  write→slot (w)  alloc gate  write gate  free gates        read→slot  usage (slots > 0.5)\n`);
  steps.forEach((s, i) => {
    const w = argmax(s.writeWeights);
    const used = s.usage.map((u, k) => (u > 0.5 ? k : -1)).filter((k) => k >= 0).join(",");
    process.stdout.write(`${String(i).padStart(4)} ${phase(i).padEnd(5)} ${String(w).padStart(4)} (${f(s.writeWeights[w])})     ${f(s.allocationGate)}        ${f(s.writeGate)}        ` +
      `${s.freeGates.map(f).join(" ").padEnd(16)} ${s.readWeights.map(argmax).join(",").padEnd(10)} ${used}\n`);
  });
}
