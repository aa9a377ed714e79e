// `dnc task NAME`: train on an algorithmic task, or evaluate a checkpoint at
// other lengths (the generalisation report), or show the memory on one sample.
import { Command } from "commander";
import { Task, TaskName, TaskOptions } from "../data/tasks.js";
import { Session } from "../run/session.js";
import { RunConfig } from "../run/config.js";
import { SessionEvent } from "../run/events.js";
import { ModelKind } from "../models/model.js";
import { OptimizerName } from "../train/optimizer.js";
import { inspectTask as inspectEpisode } from "../train/inspect.js";
import { SamModel } from "../models/sam.js";
import { samTable } from "./inspect.js";
import { readCheckpoint, given, memoryText, decayText, sharedFields } from "./common.js";
import { checkWritable, UserError } from "./io.js";
import { ConfigError } from "../errors.js";
import { runSession } from "./run.js";
import { spawnNodeWorker, defaultThreads } from "./threads.js";

export interface TaskOpts {
  model: ModelKind; hidden: number; memory: number; word: number; reads: number; sparse?: number; lsh?: number; lshProbes?: number; contentMask?: boolean; eraseFreed?: boolean; batch: number;
  optimizer: OptimizerName; lr: number; lrDecay?: number; lrDecayEvery?: number; lrDecayAfter?: number; clip: number; eps: number; momentum: number; seed: number;
  bits?: number; minLength?: number; maxLength?: number; minRepeats?: number; maxRepeats?: number; normMax?: number;
  itemLength?: number; minItems?: number; maxItems?: number; sequences?: number;
  iters?: number; time?: number; printEvery: number; save?: string; saveEvery: number; resume?: string; init?: string;
  targetCost?: number; curriculum: boolean; curriculumErrors: number; curriculumStart?: number;
  checkpoint?: string; eval: boolean; length?: number[]; evalBatches: number; inspect: boolean; json: boolean; threads?: number; memoryBudget: number;
}

function taskOptions(o: TaskOpts): TaskOptions {
  return {
    bits: o.bits, minLength: o.minLength, maxLength: o.maxLength, minRepeats: o.minRepeats, maxRepeats: o.maxRepeats,
    normMax: o.normMax, itemLength: o.itemLength, minItems: o.minItems, maxItems: o.maxItems, sequences: o.sequences,
  };
}

function makeTask(name: TaskName, opts: TaskOptions): Task {
  try { return new Task(name, opts); } catch (e) {
    if (e instanceof ConfigError) throw new UserError(`task ${name}: ${e.message}`);
    throw e;
  }
}

export async function task(name: TaskName, o: TaskOpts, cmd: Command): Promise<void> {
  if (o.checkpoint) return evaluateTask(name, o, cmd);
  if (o.resume && o.init) throw new UserError("--resume and --init exclude each other");
  if (o.curriculumStart !== undefined && !o.curriculum) throw new UserError("--curriculum-start needs --curriculum");
  const cfg = {
    ...given(cmd, {
      model: o.model, hidden: o.hidden, memorySlots: o.memory, wordSize: o.word, readHeads: o.reads, sparse: o.sparse, contentMask: o.contentMask, eraseFreed: o.eraseFreed, batch: o.batch,
      optimizer: o.optimizer, lr: o.lr, clip: o.clip, eps: o.eps, momentum: o.momentum, seed: o.seed,
    }),
    task: name,
  } as Partial<RunConfig>;
  Object.assign(cfg, sharedFields(o));
  const ck = o.resume ? readCheckpoint(o.resume) : undefined, init = o.init ? readCheckpoint(o.init) : undefined;
  if (init && init.config.task !== name) throw new UserError(`${o.init} was trained on ${init.config.task ?? "text"}, not ${name}`);
  if (o.save) checkWritable(o.save);
  const bits = o.bits, from = ck ?? init;
  // the input and output sizes follow the bits: the weights fix them
  const fromBits = from && makeTask(name, (from.config.taskOptions ?? {}) as TaskOptions).o.bits;
  if (from && bits !== undefined && fromBits !== bits) {
    throw new UserError(`--bits ${bits} conflicts with the checkpoint ${ck ? "being resumed" : "of --init"} (${fromBits} bits)`);
  }
  const threads = o.threads ?? defaultThreads(ck ? (ck.config.batch as number) : (cfg.batch ?? 16));
  const opts = { threads, spawn: spawnNodeWorker, memoryBudget: o.memoryBudget * 2 ** 30 };
  const s = ck ? await Session.resume(ck, { ...opts, expect: cfg })
    : await Session.create({ ...cfg, taskOptions: { ...(init?.config.taskOptions as TaskOptions | undefined), ...stripped(taskOptions(o)) } }, { ...opts, init });
  // a curriculum starts short (or at --curriculum-start) and grows the maximum length up to the requested one
  if (o.curriculum && !ck) {
    const full = s.fullTask!.o, start = o.curriculumStart ?? full.minLength + 1;
    if (start < full.minLength || start > full.maxLength) {
      s.close();
      throw new UserError(`--curriculum-start ${start} must lie in the task's lengths ${full.minLength}..${full.maxLength}`);
    }
    s.task = s.fullTask!.with({ maxLength: start });
  }
  const iters = o.iters ?? (o.time === undefined ? 20000 : undefined);
  try {
    await runSession(s, {
      iters, seconds: o.time, targetCost: o.targetCost, printEvery: o.printEvery, ...(o.save ? { saveEvery: o.saveEvery } : {}),
      ...(o.curriculum ? { curriculum: { errors: o.curriculumErrors } } : {}),
    }, { json: o.json, save: o.save, iters, seconds: o.time, text: (ev) => line(ev, o, s), extra: (ev) => extra(ev, o) });
  } finally {
    s.close();
  }
}

function line(ev: SessionEvent, o: TaskOpts, s: Session): string | undefined {
  const c = s.cfg;
  switch (ev.type) {
    case "start":
      return `task ${c.task} (${s.task!.describe()}${o.curriculum ? `; curriculum up to length ${s.fullTask!.o.maxLength}` : ""}) | ${c.model} hidden ${c.hidden}` +
        memoryText(c) +
        `, ${ev.parameters} parameters, batch ${c.batch}, ${c.optimizer} lr ${c.lr}${decayText(c)}, clip ${c.clip}, ${ev.threads} thread${ev.threads > 1 ? "s" : ""}` +
        (ev.resumed ? ` | resumed at iter ${ev.iter}` : o.init ? ` | weights from ${o.init}` : "");
    case "progress":
      return `${ev.time.toFixed(1)} s, iter ${ev.iter}, cost ${ev.cost!.toFixed(3)} bits/seq, ${ev.bitErrors!.toFixed(3)} bit errors/seq, ${ev.itersPerSec} it/s` +
        (o.curriculum ? `, max length ${ev.maxLength}` : "") + (c.lrDecay ? `, lr ${ev.lr.toPrecision(3)}` : "");
    case "done": case "stopped": {
      const cost = ev.type === "done" ? ev.cost100 ?? NaN : NaN, n = ev.type === "done" ? ev.recent ?? 0 : 0;
      return `done: ${ev.iter} iterations, ${ev.time.toFixed(1)} s` + (ev.type === "done" ? `, cost over the last ${n} iterations ${cost.toFixed(3)} bits/seq` : " (interrupted)") +
        (o.targetCost !== undefined ? (ev.type === "done" && ev.reason === "target" ? ` (target ${o.targetCost} reached)` : ` (target ${o.targetCost} not reached)`) : "") +
        `${o.save ? `, saved ${o.save}` : ""}`;
    }
    default:
      return undefined;
  }
}

/** The JSON fields the done line has always had. */
function extra(ev: SessionEvent, o: TaskOpts): Record<string, unknown> {
  if (ev.type !== "done" && ev.type !== "stopped") return {};
  return { targetReached: o.targetCost !== undefined ? ev.type === "done" && ev.reason === "target" : null, saved: o.save ?? null };
}

/** --checkpoint F: --eval (bit errors as a function of length) or --inspect (the memory on one sample). */
async function evaluateTask(name: TaskName, o: TaskOpts, cmd: Command): Promise<void> {
  const ck = readCheckpoint(o.checkpoint!);
  if (ck.config.task !== name) throw new UserError(`${o.checkpoint} was trained on ${ck.config.task ?? "text"}, not ${name}`);
  const trainedOpts = ck.training?.taskOptions ?? (ck.config.taskOptions as TaskOptions);
  const memory = given(cmd, { memorySlots: o.memory }) as Partial<RunConfig>;
  const s = await Session.create({ ...(ck.config as Partial<RunConfig>), ...memory, taskOptions: trainedOpts, task: name },
    { init: ck, memoryBudget: o.memoryBudget * 2 ** 30 });
  const trained = s.task!;
  if (o.inspect) {
    if (o.length && o.length.length !== 1) throw new UserError("--inspect shows one sample: give one --length");
    const L = o.length?.[0];
    return inspectTask(s, trained.with({ ...stripped(taskOptions(o)), ...(L ? { minLength: L, maxLength: L } : {}) }), o.json);
  }
  if (!o.eval) throw new UserError("with --checkpoint, give --eval (and --length L[,L…]) or --inspect");
  const lengths = o.length ?? [trained.o.maxLength];
  const slots = memory.memorySlots !== undefined ? `, ${memory.memorySlots} slots (trained with ${ck.config.memorySlots})` : "";
  if (!o.json) {
    process.stdout.write(`${name}, ${s.cfg.model} (trained on length ${trained.o.minLength}..${trained.o.maxLength})${slots}, ${o.evalBatches * s.cfg.batch} sequences per length\n`);
    process.stdout.write(`length  bit errors/seq  cost bits/seq\n`);
  }
  // the text table row by row (long lengths take minutes, and one that does not fit must not lose the others)
  const tasks = lengths.map((L) => makeTask(name, { ...trained.o, ...stripped(taskOptions(o)), minLength: L, maxLength: L }));
  const longest = Math.max(...tasks.map((t) => t.maxSteps()));
  const rows = tasks.map((t, i) => {
    const r = { length: lengths[i], ...s.evaluateTask(t, o.evalBatches, undefined, longest) };
    if (!o.json) process.stdout.write(`${String(r.length).padStart(6)}  ${r.errors.toFixed(3).padStart(14)}  ${r.cost.toFixed(3).padStart(13)}\n`);
    return r;
  });
  if (o.json) process.stdout.write(JSON.stringify({ task: name, model: s.cfg.model, memorySlots: s.cfg.memorySlots, rows }) + "\n");
}

function stripped(o: TaskOptions): TaskOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as TaskOptions;
}

/** One sample through the DNC (or SAM, or sparse DNC), with its memory activity per step. */
function inspectTask(s: Session, t: Task, json: boolean): void {
  if (s.model instanceof SamModel) {
    const steps = inspectEpisode(s.model, t, s.rng);
    if (json) { process.stdout.write(JSON.stringify({ task: t.name, steps }) + "\n"); return; }
    process.stdout.write(samTable(s.model, steps.map((x) => ({ ...x, label: x.phase })), "phase"));
    return;
  }
  if (!s.dnc) throw new UserError("--inspect shows the memory of a DNC, a SAM or a sparse DNC; this checkpoint holds a " + s.model.kind);
  const steps = inspectEpisode(s.dnc, t, s.rng);
  if (json) { process.stdout.write(JSON.stringify({ task: t.name, steps }) + "\n"); return; }
  const argmax = (v: number[]) => v.reduce((b, x, i) => (x > v[b] ? i : b), 0);
  const f = (x: number) => x.toFixed(2);
  process.stdout.write(`step phase  write→slot (w)  alloc gate  write gate  free gates        read→slot  usage (slots > 0.5)\n`);
  steps.forEach((s, i) => {
    const w = argmax(s.writeWeights);
    const used = s.usage.map((u, k) => (u > 0.5 ? k : -1)).filter((k) => k >= 0).join(",");
    process.stdout.write(`${String(i).padStart(4)} ${s.phase.padEnd(5)} ${String(w).padStart(4)} (${f(s.writeWeights[w])})     ${f(s.allocationGate)}        ${f(s.writeGate)}        ` +
      `${s.freeGates.map(f).join(" ").padEnd(16)} ${s.readWeights.map(argmax).join(",").padEnd(10)} ${used}\n`);
  });
}
