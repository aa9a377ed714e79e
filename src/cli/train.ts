// `dnc train`: the training loop with progress, validation, samples and checkpoints.
import { Command } from "commander";
import { Trainer, TrainConfig, TrainerLike } from "../train/trainer.js";
import { ParallelTrainer } from "../train/parallel.js";
import { spawnNodeWorker, defaultThreads } from "./threads.js";
import { Backend } from "../runtime/backend.js";
import { trainerCheckpoint, loadWeights, restoreTraining, Checkpoint } from "../train/checkpoint.js";
import { evaluateBpc, sampleIds } from "../train/evaluate.js";
import { ModelKind } from "../models/model.js";
import { OptimizerName, DEFAULT_LR } from "../train/optimizer.js";
import { modelConfig } from "../models/index.js";
import { loadCorpus, optimalFor, readCheckpoint, LoadedCorpus } from "./common.js";
import { checkWritable, writeAtomic, UserError } from "./io.js";
import { Progress, stoppedOnNonFinite } from "./progress.js";
import { checkLength, TextError } from "../data/text.js";

export interface TrainOpts {
  data?: string; model: ModelKind; hidden: number; batch: number; seq: number; memory: number; word: number; reads: number;
  optimizer: OptimizerName; lr?: number; clip: number; seed: number;
  iters?: number; time?: number; save?: string; saveEvery: number; resume?: string; init?: string;
  printEvery: number; evalEvery: number; evalBatch: number; json: boolean; threads?: number;
}

const STRUCTURAL = ["model", "hidden", "batch", "seq", "optimizer", "lr", "clip", "seed"] as const;

export async function train(o: TrainOpts, cmd: Command): Promise<void> {
  const explicit = (k: string) => cmd.getOptionValueSource(k) === "cli";
  let ck: Checkpoint | undefined;
  let cfg: TrainConfig = {
    model: o.model, hidden: o.hidden, batch: o.batch, seq: o.seq,
    optimizer: o.optimizer, lr: o.lr ?? DEFAULT_LR[o.optimizer], clip: o.clip, seed: o.seed,
    ...(o.model === "dnc" ? { memorySlots: o.memory, wordSize: o.word, readHeads: o.reads } : {}),
  };
  if (o.resume && o.init) throw new UserError("--resume and --init exclude each other");
  if (o.resume) {
    ck = readCheckpoint(o.resume);
    if (!ck.training) throw new UserError(`${o.resume} holds weights only, no training state to resume (use --init to start from its weights)`);
    const saved = ck.config as TrainConfig;
    for (const k of STRUCTURAL) {
      if (explicit(k) && saved[k] !== cfg[k]) throw new UserError(`--${k} ${cfg[k]} conflicts with the checkpoint being resumed (${k} = ${saved[k]})`);
    }
    cfg = { ...saved };
  } else if (o.init) {
    ck = readCheckpoint(o.init);
    if (explicit("model") && ck.kind !== o.model) throw new UserError(`${o.init} holds a ${ck.kind} model, not ${o.model}`);
    if (explicit("hidden") && ck.config.hidden !== o.hidden) throw new UserError(`${o.init} has hidden size ${ck.config.hidden}, not ${o.hidden}`);
    cfg = { ...cfg, ...modelConfig(ck.kind, ck.config), model: ck.kind };
    if (ck.kind !== "dnc") { delete cfg.memorySlots; delete cfg.wordSize; delete cfg.readHeads; }
  }
  // from a checkpoint, ids follow its vocabulary (a text may use only some of its characters)
  const data: LoadedCorpus = loadCorpus(o.data, ck?.vocab);
  if (ck?.training && ck.training.corpus !== data.id) {
    throw new UserError(`${o.resume} was trained on a different text (${ck.training.corpus}); give the same --data`);
  }
  try { checkLength(data.corpus.train.length, cfg.seq); } catch (e) {
    if (e instanceof TextError) throw new UserError(e.message.replace("seq", "--seq"));
    throw e;
  }
  if (o.save) checkWritable(o.save);

  const threads = o.threads ?? defaultThreads(cfg.batch);
  if (threads > cfg.batch) throw new UserError(`--threads ${threads} exceeds the batch size ${cfg.batch} (each thread takes whole streams)`);
  const tr: TrainerLike = threads > 1
    ? await ParallelTrainer.create(data.corpus, cfg, threads, spawnNodeWorker)
    : new Trainer(await Backend.create("f32"), data.corpus, cfg);
  try {
    await trainLoop(tr, o, cfg, data, ck, threads);
  } finally {
    tr.close?.();
  }
}

async function trainLoop(tr: TrainerLike, o: TrainOpts, cfg: TrainConfig, data: LoadedCorpus, ck: Checkpoint | undefined, threads: number): Promise<void> {
  let elapsed0 = 0;
  if (o.resume && ck) { await tr.setCarriedState(restoreTraining(tr, ck)); elapsed0 = ck.training!.elapsed; }
  else if (o.init && ck) loadWeights(tr.model, ck);

  const itersBudget = o.iters ?? (o.time === undefined ? 2000 : Infinity);
  const timeBudget = o.time ?? Infinity;
  const prog = new Progress(o.json, !!process.stdout.isTTY);
  const { B, S } = { B: cfg.batch, S: cfg.seq };
  const valid = data.corpus.valid;
  const canEval = valid.length >= o.evalBatch + 1;
  const optVal = canEval ? optimalFor(data, data.corpus.split, data.corpus.length) : undefined;

  prog.line(
    `${cfg.model} hidden ${cfg.hidden}, ${tr.model.params.count} parameters, batch ${B}, seq ${S}, ${cfg.optimizer} lr ${cfg.lr}, clip ${cfg.clip}, ${threads} thread${threads > 1 ? "s" : ""}` +
      ` | ${data.label}${o.resume ? ` | resumed at iter ${tr.iteration}` : o.init ? ` | weights from ${o.init}` : ""}`,
    { type: "start", config: cfg, parameters: tr.model.params.count, corpus: data.label, iter: tr.iteration, threads },
  );

  const save = async () => {
    if (o.save) writeAtomic(o.save, trainerCheckpoint(tr, data.id, elapsed0 + (performance.now() - t0) / 1000, await tr.carriedState()));
  };
  const evaluate = () => {
    if (!canEval) return;
    const bpc = evaluateBpc(tr.model, valid, o.evalBatch, 100);
    let sample = "";
    const prime = data.corpus.encode(data.corpus.has("\n") ? "\n" : data.corpus.vocab[0]);
    sampleIds(tr.model, prime, 120, 1, tr.rng, (id) => { sample += data.corpus.vocab[id]; });
    prog.line(
      `  validation ${bpc.toFixed(4)} BPC${optVal !== undefined ? ` (optimal ${optVal.toFixed(4)})` : ""} | sample: ${JSON.stringify(sample)}`,
      { type: "eval", iter: tr.iteration, valBpc: bpc, optimalBpc: optVal ?? null, sample },
    );
  };

  let stop = false;
  const onSig = () => { stop = true; };
  process.once("SIGINT", onSig);
  const t0 = performance.now();
  let lastPrint = t0, lastIter = tr.iteration, lossSum = 0, lossN = 0, lastBar = 0;
  try {
    while (!stop && tr.iteration < itersBudget && (performance.now() - t0) / 1000 < timeBudget) {
      let loss: number;
      try { loss = await tr.step(); } catch (e) {
        if (stoppedOnNonFinite(e, prog, o.save)) return;
        throw e;
      }
      lossSum += loss; lossN++;
      const it = tr.iteration, now = performance.now();
      if (it % o.printEvery === 0) {
        const dt = (now - lastPrint) / 1000, el = elapsed0 + (now - t0) / 1000;
        const cps = ((it - lastIter) * B * S) / dt, bpc = lossSum / lossN / Math.LN2;
        prog.line(`${el.toFixed(1)} s, iter ${it}, ${bpc.toFixed(4)} BPC, ${cps.toFixed(0)} char/s`,
          { type: "progress", time: +el.toFixed(3), iter: it, bpc, charsPerSec: Math.round(cps) });
        lastPrint = now; lastIter = it; lossSum = 0; lossN = 0;
      }
      if (it % o.evalEvery === 0) evaluate();
      if (o.save && it % o.saveEvery === 0) await save();
      if (now - lastBar > 200) {
        const f = Math.max(Number.isFinite(itersBudget) ? it / itersBudget : 0, (now - t0) / 1000 / timeBudget);
        prog.bar(f, (now - t0) / 1000);
        lastBar = now;
      }
    }
  } finally {
    process.removeListener("SIGINT", onSig);
    prog.clearBar();
  }
  if (tr.iteration % o.evalEvery !== 0) evaluate();
  await save();
  const el = (performance.now() - t0) / 1000;
  prog.line(`done: ${tr.iteration} iterations, ${el.toFixed(1)} s${o.save ? `, saved ${o.save}` : ""}${stop ? " (interrupted)" : ""}`,
    { type: "done", iter: tr.iteration, time: +el.toFixed(3), saved: o.save ?? null, interrupted: stop });
}
