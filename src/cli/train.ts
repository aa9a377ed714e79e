// `dnc train`: flags → a text Session; its events → progress lines, validation, checkpoints.
import { Command } from "commander";
import { Session } from "../run/session.js";
import { RunConfig } from "../run/config.js";
import { SessionEvent } from "../run/events.js";
import { loadText, readCheckpoint, given, memoryText, decayText, sharedFields } from "./common.js";
import { checkWritable, UserError } from "./io.js";
import { runSession } from "./run.js";
import { spawnNodeWorker, defaultThreads } from "./threads.js";

export interface TrainOpts {
  data?: string; live?: number; model: RunConfig["model"]; hidden: number; memory: number; word: number; reads: number; sparse?: number; lsh?: number; lshProbes?: number; contentMask?: boolean; eraseFreed?: boolean;
  batch: number; seq: number; optimizer: RunConfig["optimizer"]; lr?: number; lrDecay?: number; lrDecayEvery?: number; lrDecayAfter?: number; clip: number; seed: number;
  iters?: number; time?: number; save?: string; saveEvery: number; resume?: string; init?: string;
  printEvery: number; evalEvery: number; evalBatch: number; json: boolean; threads?: number; memoryBudget: number;
  gateBias?: RunConfig["gateBias"]; readModeBias?: [number, number, number]; curriculumLive?: number[]; curriculumAccuracy: number;
}

export async function train(o: TrainOpts, cmd: Command): Promise<void> {
  if (o.resume && o.init) throw new UserError("--resume and --init exclude each other");
  // only what was given on the command line: a checkpoint's values win over defaults, and conflicts are refused
  const cfg = given(cmd, {
    model: o.model, hidden: o.hidden, memorySlots: o.memory, wordSize: o.word, readHeads: o.reads, sparse: o.sparse, contentMask: o.contentMask, eraseFreed: o.eraseFreed, batch: o.batch, seq: o.seq,
    optimizer: o.optimizer, lr: o.lr, clip: o.clip, seed: o.seed,
  }) as Partial<RunConfig>;
  Object.assign(cfg, sharedFields(o));
  if (o.gateBias || o.readModeBias) cfg.gateBias = { ...o.gateBias, ...(o.readModeBias ? { readModes: o.readModeBias } : {}) };
  const ck = o.resume ? readCheckpoint(o.resume) : o.init ? readCheckpoint(o.init) : undefined;
  if (o.curriculumLive && (o.data !== undefined || o.live !== undefined)) throw new UserError("--curriculum-live is for the built-in corpus and sets its live names itself");
  // a corpus curriculum starts at its first stage, with the ids of its last
  const vocab = ck?.vocab ?? (o.curriculumLive ? loadText(undefined, undefined, o.curriculumLive.at(-1)).corpus.vocab : undefined);
  const live = o.curriculumLive && !o.resume ? o.curriculumLive[0] : o.live;
  const data = loadText(o.data, vocab, live, o.resume ? ck?.training?.corpus : undefined);
  if (o.save) checkWritable(o.save);
  const batch = ck && o.resume ? (ck.config.batch as number) : (cfg.batch ?? 32);
  const threads = o.threads ?? defaultThreads(batch);
  const opts = { data, threads, spawn: spawnNodeWorker, memoryBudget: o.memoryBudget * 2 ** 30 };
  const s = o.resume ? await Session.resume(ck!, { ...opts, expect: cfg }) : await Session.create(cfg, { ...opts, init: ck });
  try {
    await runSession(s, {
      iters: o.iters ?? (o.time === undefined ? 2000 : undefined), seconds: o.time,
      printEvery: o.printEvery, evalEvery: o.evalEvery, evalBatch: o.evalBatch, ...(o.save ? { saveEvery: o.saveEvery } : {}),
      ...(o.curriculumLive ? { corpusCurriculum: { live: o.curriculumLive, accuracy: o.curriculumAccuracy } } : {}),
    }, { json: o.json, save: o.save, iters: o.iters ?? (o.time === undefined ? 2000 : undefined), seconds: o.time, text: (ev) => line(ev, o, s),
      extra: (ev) => (ev.type === "done" || ev.type === "stopped" ? { saved: o.save ?? null, interrupted: ev.type === "stopped" } : {}) });
  } finally {
    s.close();
  }
}

function line(ev: SessionEvent, o: TrainOpts, s: Session): string | undefined {
  const c = s.cfg;
  switch (ev.type) {
    case "start":
      return `${c.model} hidden ${c.hidden}${memoryText(c)}, ` +
        `${ev.parameters} parameters, batch ${c.batch}, seq ${c.seq}, ${c.optimizer} lr ${c.lr}${decayText(c)}, clip ${c.clip}, ${ev.threads} thread${ev.threads > 1 ? "s" : ""}` +
        ` | ${ev.corpus}${o.resume ? ` | resumed at iter ${ev.iter}` : o.init ? ` | weights from ${o.init}` : ""}`;
    case "progress":
      return `${ev.time.toFixed(1)} s, iter ${ev.iter}, ${ev.bpc!.toFixed(4)} BPC, ${ev.charsPerSec} char/s${c.lrDecay ? `, lr ${ev.lr.toPrecision(3)}` : ""}`;
    case "eval": {
      const parts = ev.breakdown ? ` | right: ${ev.breakdown.parts.slice(1).map((p) => `${p.part.split(" ")[1]} ${(100 * p.accuracy).toFixed(1)}%`).join(", ")}` : "";
      return `  validation ${ev.valBpc.toFixed(4)} BPC${ev.optimalBpc !== null ? ` (optimal ${ev.optimalBpc.toFixed(4)})` : ""}${parts} | sample: ${JSON.stringify(ev.sample)}`;
    }
    case "curriculum":
      return `  curriculum: ${ev.live} live names from here on`;
    case "done": case "stopped":
      return `done: ${ev.iter} iterations, ${ev.time.toFixed(1)} s${o.save ? `, saved ${o.save}` : ""}${ev.type === "stopped" ? " (interrupted)" : ""}`;
    default:
      return undefined;
  }
}
