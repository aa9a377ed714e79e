// A training session: one run of one model on one objective (text windows or
// an algorithmic task), on one thread or several. It owns the model, the
// optimiser, the data source, the RNG and the clock; `step()` is one
// iteration, `run()` the loop with budgets, cadence, curriculum and events,
// `checkpoint()` / `Session.resume()` the one save/restore pair. Front-ends
// (the CLI, the page's worker, scripts) only map their input to a RunConfig
// and the events to output.
import { Backend } from "../runtime/backend.js";
import { CharModel, ModelIO, Workspace, charIO, hasMemory, isSparse } from "../models/model.js";
import { createModel, modelConfig, modelBytes } from "../models/index.js";
import { DncModel } from "../models/dnc.js";
import { Batcher } from "../data/corpus.js";
import { Task } from "../data/tasks.js";
import { PART_NAMES, PART, BUILTIN_DEFAULT } from "../data/builtin.js";
import { Optimizer } from "../train/optimizer.js";
import { Rng } from "../train/rng.js";
import { evaluateBpc, evaluateParts, sampleIds, Breakdown } from "../train/evaluate.js";
import { Checkpoint, CheckpointError, loadWeights, sessionCheckpoint, restoreSession } from "../train/checkpoint.js";
import { ConfigError } from "../errors.js";
import { NonFiniteLossError } from "../train/optimizer.js";
import { RunConfig, runConfig, STRUCTURAL, optimizerConfig } from "./config.js";
import { TextData, textData, optimalFor, builtinOptionsOf } from "./data.js";
import { Engine, LocalEngine, PoolEngine } from "./engine.js";
import { SpawnWorker } from "./pool.js";
import { taskStep } from "./step.js";
import { StopReason, RunOptions, SessionEvent, EvalReport, Cadence } from "./events.js";

export interface SessionOptions {
  /** Text runs: the text (default: the built-in corpus). */
  data?: TextData;
  /** Threads (this one and threads − 1 workers, each taking a share of the batch); default 1. */
  threads?: number;
  /** Starts a worker (Node worker_threads or a Web Worker); needed for threads > 1. */
  spawn?: SpawnWorker;
  /** Bytes of WebAssembly memory a run may plan for (default 3.5 GiB; wasm32 cannot exceed 4 GiB). */
  memoryBudget?: number;
}

export const DEFAULT_MEMORY_BUDGET = 3.5 * 2 ** 30;
const GiB = (b: number) => `${(b / 2 ** 30).toFixed(b < 2 ** 30 ? 2 : 1)} GiB`;

/** One iteration's result: the loss (text: nats per character; tasks: bits per sequence) and, for tasks, wrong bits per sequence. */
export interface StepResult { loss: number; errors?: number }

export class Session {
  /** Gradient updates made so far (also across resumes). */
  get iteration(): number { return this.opt.t; }
  /** Seconds of training so far, across resumes. */
  get elapsed(): number { return this.elapsed0 + (this.runStart === undefined ? 0 : (performance.now() - this.runStart) / 1000); }
  get threads(): number { return this.engine.threads; }
  /** True while run() is iterating. */
  get running(): boolean { return this.runStart !== undefined; }

  private elapsed0 = 0;
  private runStart?: number;
  private readonly pending: (() => Promise<void>)[] = [];
  /** evaluateTask's workspace, kept between calls. */
  private taskEval?: { ws: Workspace; steps: number };
  private readonly inputs: Int32Array;
  private readonly targets: Int32Array;
  private resumed = false;
  private budget = DEFAULT_MEMORY_BUDGET;

  private constructor(
    readonly cfg: RunConfig,
    readonly model: CharModel,
    readonly opt: Optimizer,
    /** Draws after initialisation: task batches, samples shown during training. */
    public rng: Rng,
    private readonly engine: Engine,
    /** Text runs (a corpus curriculum replaces them: setText). */
    public data: TextData | undefined,
    public batcher: Batcher | undefined,
    /** Task runs: the configuration being trained now (a curriculum changes it) and the largest it will reach. */
    public task: Task | undefined,
    readonly fullTask: Task | undefined,
  ) {
    const R = batcher ? cfg.seq! * cfg.batch : 0;
    this.inputs = new Int32Array(R);
    this.targets = new Int32Array(R);
  }

  /**
   * A fresh run; with `init`, starting from a checkpoint's weights (its model spec wins; conflicting fields are
   * refused, except the memory's size, which the weights do not fix).
   */
  static async create(c: Partial<RunConfig>, o: SessionOptions & { init?: Checkpoint } = {}): Promise<Session> {
    if (o.init) {
      const ck = o.init, saved = modelConfig(ck.kind, ck.config) as Record<string, unknown>;
      if (c.model !== undefined && c.model !== ck.kind) throw new ConfigError(`the checkpoint holds a ${ck.kind} model, not ${c.model}`);
      // the memory's size is not in the weights (no tensor depends on N): a model trained with N slots runs with any other
      for (const k of ["hidden", "wordSize", "readHeads", "sparse"] as const) {
        if (c[k] !== undefined && saved[k] !== undefined && c[k] !== saved[k]) throw new ConfigError(`the checkpoint has ${k} ${saved[k]}, not ${c[k]}`);
      }
      // masked content addressing changes the interface's tensors: it comes with the weights
      const mask = saved.contentMask === true;
      if (c.contentMask !== undefined && c.contentMask !== mask) throw new ConfigError(`the checkpoint's DNC ${mask ? "has" : "does not have"} masked content addressing (contentMask)`);
      if ((ck.config.task ?? undefined) !== c.task) {
        throw new ConfigError(c.task ? `the checkpoint was trained on ${ck.config.task ?? "text"}, not ${c.task}` : `the checkpoint was trained on the ${ck.config.task} task, not on text`);
      }
      c = { ...c, model: ck.kind, hidden: saved.hidden as number, ...(hasMemory(ck.kind) ? {
        memorySlots: c.memorySlots ?? saved.memorySlots as number, wordSize: saved.wordSize as number, readHeads: saved.readHeads as number,
      } : {}), ...(isSparse(ck.kind) ? { sparse: saved.sparse as number, ...((c.lsh ?? saved.lsh) !== undefined ? { lsh: (c.lsh ?? saved.lsh) as RunConfig["lsh"] } : {}) } : {}), ...(mask ? { contentMask: true } : {}),
        ...(saved.eraseFreed === true ? { eraseFreed: true } : {}) };
    }
    const s = await Session.build(runConfig(c), o, o.init?.vocab);
    // the workers are running by now: a checkpoint that does not fit must not leave them behind
    if (o.init) try { loadWeights(s.model, o.init); } catch (e) { s.close(); throw e; }
    return s;
  }

  /**
   * Continues a run exactly where its checkpoint stopped (the same next
   * losses as an uninterrupted run on the same thread count). Fields in
   * `expect` that differ from the checkpoint's are refused.
   */
  static async resume(ck: Checkpoint, o: SessionOptions & { expect?: Partial<RunConfig> } = {}): Promise<Session> {
    if (!ck.training) throw new CheckpointError("the checkpoint holds weights only, no training state to resume (start from its weights instead)");
    const saved: Partial<RunConfig> = {};
    for (const k of STRUCTURAL) {
      if (ck.config[k] === null) throw new CheckpointError(`checkpoint config: ${k} is null`);
      if (ck.config[k] !== undefined) (saved as Record<string, unknown>)[k] = ck.config[k];
    }
    if (ck.config.taskOptions !== undefined) saved.taskOptions = ck.config.taskOptions as RunConfig["taskOptions"];
    saved.model = ck.kind;
    let cfg: RunConfig;
    try { cfg = runConfig(saved); } catch (e) {
      if (e instanceof ConfigError) throw new CheckpointError(`checkpoint config: ${e.message}`);
      throw e;
    }
    const expect = o.expect ?? {};
    if (expect.task !== cfg.task) {
      throw new ConfigError(`the checkpoint was trained on ${cfg.task ? `the ${cfg.task} task` : "text"}, not ${expect.task ? `the ${expect.task} task` : "text"}`);
    }
    for (const k of STRUCTURAL) {
      const v = expect[k];
      if (v !== undefined && JSON.stringify(v) !== JSON.stringify(cfg[k])) {
        throw new ConfigError(`${k} ${JSON.stringify(v)} conflicts with the checkpoint being resumed (${k} = ${JSON.stringify(cfg[k])})`);
      }
    }
    // without a text, the built-in corpus the checkpoint names (with its options)
    const data = cfg.task ? undefined : (o.data ?? textData(undefined, { vocab: ck.vocab, builtin: builtinOptionsOf(ck.training.corpus) }));
    if (data && data.id !== ck.training.corpus) throw new ConfigError(`the checkpoint was trained on a different text (${ck.training.corpus}); give the same text`);
    const s = await Session.build(cfg, { ...o, data }, ck.vocab);
    // the workers are running by now: a checkpoint that does not fit must not leave them behind
    try {
      const state = restoreSession(s, ck);
      if (s.batcher) {
        // every piece of carried state the model has, at its width (the engine would fail less clearly)
        for (const st of s.model.stateTensors(s.model.workspace(1, 1))) {
          const got = state.find((x) => x.name === st.name);
          if (!got || got.cols !== st.cols) throw new CheckpointError(`carried state optim.state.${st.name} is missing or not ${st.cols} wide`);
        }
        const bad = s.model.checkState?.(state);
        if (bad) throw new CheckpointError(`carried state: ${bad}`);
        await s.engine.setCarriedState(state);
      }
    } catch (e) { s.close(); throw e; }
    s.elapsed0 = ck.training.elapsed;
    s.resumed = true;
    return s;
  }

  private static async build(cfg: RunConfig, o: SessionOptions, vocab?: string[]): Promise<Session> {
    const threads = o.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new ConfigError(`threads must be a positive integer (got ${threads})`);
    if (threads > cfg.batch) throw new ConfigError(`${threads} threads exceed the batch size ${cfg.batch} (each thread takes whole ${cfg.task ? "sequences" : "streams"})`);
    if (threads > 1 && !o.spawn) throw new ConfigError("more than one thread needs a way to start workers (spawn)");
    let data: TextData | undefined, task: Task | undefined, full: Task | undefined, io: ModelIO, S: number;
    if (cfg.task) {
      try { full = new Task(cfg.task, cfg.taskOptions); } catch (e) {
        if (e instanceof ConfigError) throw new ConfigError(`task ${cfg.task}: ${e.message}`);
        throw e;
      }
      task = full;
      io = { input: "dense", inSize: full.inSize, output: "sigmoid", outSize: full.outSize };
      S = full.maxSteps();
    } else {
      data = o.data ?? textData(undefined, { vocab });
      const m = data.corpus.train.length;
      if (m < cfg.seq! + 1) {
        throw new ConfigError(`the training text (the first 90% of the corpus) has ${m} characters; seq ${cfg.seq} needs at least ${cfg.seq! + 1}`);
      }
      io = charIO(data.corpus.V);
      S = cfg.seq!;
    }
    // sizes fit before anything is allocated (a batch of 1e9 would otherwise grow memory for minutes)
    const budget = o.memoryBudget ?? DEFAULT_MEMORY_BUDGET, need = modelBytes(cfg.model, io, { ...cfg }, cfg.batch, S);
    if (!(need <= Math.min(budget, 4 * 2 ** 30))) {
      throw new ConfigError(`this run needs about ${GiB(need)} of WebAssembly memory (batch ${cfg.batch} × ${cfg.task ? `${S} steps` : `seq ${S}`}); ` +
        `the budget is ${GiB(Math.min(budget, 4 * 2 ** 30))}: use a smaller batch, window, hidden size or memory (or raise the budget, at most 4 GiB)`);
    }
    const be = await Backend.create("f32");
    const model = createModel(be, cfg.model, io, { ...cfg });
    const batcher = data ? new Batcher(data.corpus.train, cfg.batch, cfg.seq!) : undefined;
    const opt = new Optimizer(optimizerConfig(cfg), model.params, model.grads);
    const rng = new Rng(cfg.seed);
    model.init(rng);
    const engine = threads > 1
      ? await PoolEngine.create(model, { ...cfg }, io, cfg.batch, S, threads, o.spawn!)
      : new LocalEngine(model, cfg.batch, S);
    const session = new Session(cfg, model, opt, rng, engine, data, batcher, task, full);
    session.budget = Math.min(budget, 4 * 2 ** 30);
    return session;
  }

  /**
   * One iteration: the next batch, its gradients, one update. A non-finite
   * loss or gradient norm throws NonFiniteLossError before anything is updated.
   */
  async step(): Promise<StepResult> {
    const { cfg, model } = this;
    let loss: number, errors: number | undefined;
    if (this.batcher) {
      const resets = this.batcher.next(this.inputs, this.targets);
      loss = (await this.engine.text(this.inputs, this.targets, resets)) / (cfg.seq! * cfg.batch);
    } else {
      const r = await this.engine.task(this.task!.batch(this.rng, cfg.batch));
      loss = r.nats / cfg.batch / Math.LN2;
      errors = r.errors / cfg.batch;
    }
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(`the ${this.batcher ? "loss" : "cost"} became ${loss} at iteration ${this.iteration + 1}`);
    this.opt.step();
    model.paramsChanged();
    return errors === undefined ? { loss } : { loss, errors };
  }

  /**
   * Runs `fn` between two steps: now when no run() is iterating, else at its
   * next yield (at most yieldMs away). For work that must see a consistent
   * model (a checkpoint, the memory view) while training goes on.
   */
  between<T>(fn: () => T | Promise<T>): Promise<T> {
    if (!this.running) return Promise.resolve().then(fn);
    return new Promise((ok, ko) => this.pending.push(() => Promise.resolve().then(fn).then(ok, ko)));
  }

  /** The loop: events as they happen; ends after `done` or `stopped`. */
  async *run(o: RunOptions = {}): AsyncGenerator<SessionEvent> {
    if (this.running) throw new ConfigError("this session is already running");
    const text = !!this.batcher, B = this.cfg.batch;
    const itersBudget = o.iters ?? Infinity;
    const secondsBudget = o.seconds ?? Infinity;
    const yieldMs = o.yieldMs ?? 100;
    const t0 = performance.now();
    this.runStart = t0;
    const due = cadence(t0);
    const every = { print: due(o.printEvery), eval: due(o.evalEvery), save: due(o.saveEvery), sample: due(o.sampleEvery) };
    const recent: number[] = [];
    let lossSum = 0, errSum = 0, n = 0, lastPrintAt = t0, lastPrintIter = this.iteration, lastYield = t0, lastEvalIter = -1;
    let reason: StopReason | undefined;
    const ev = (e: Record<string, unknown>) => ({ ...e, iter: this.iteration, time: +this.elapsed.toFixed(3) }) as SessionEvent;
    try {
      yield ev({
        type: "start", config: this.cfg, parameters: this.model.params.count, threads: this.threads, resumed: this.resumed,
        ...(text ? { corpus: this.data!.label } : { task: this.task!.name, options: this.task!.o }),
      });
      while (reason === undefined) {
        if (o.signal?.aborted) { reason = "interrupted"; break; }
        if (this.iteration >= itersBudget) { reason = "iterations"; break; }
        if ((performance.now() - t0) / 1000 >= secondsBudget) { reason = "time"; break; }
        let r: StepResult;
        try { r = await this.step(); } catch (e) {
          if (!(e instanceof NonFiniteLossError)) throw e;
          yield ev({ type: "stopped", reason: "nonFinite", message: e.message });
          return;
        }
        lossSum += r.loss; errSum += r.errors ?? 0; n++;
        recent.push(r.loss); if (recent.length > 100) recent.shift();
        const it = this.iteration, now = performance.now();
        const avg100 = recent.reduce((a, b) => a + b, 0) / recent.length;
        if (every.print(it, now)) {
          const dt = (now - lastPrintAt) / 1000, iters = it - lastPrintIter;
          yield ev(text
            ? { type: "progress", bpc: lossSum / n / Math.LN2, charsPerSec: Math.round((iters * B * this.cfg.seq!) / dt), lr: this.opt.lr }
            : { type: "progress", lr: this.opt.lr, cost: lossSum / n, bitErrors: errSum / n, cost100: avg100, itersPerSec: Math.round(iters / dt), maxLength: this.task!.o.maxLength });
          if (!text && o.curriculum && errSum / n < o.curriculum.errors && this.task!.o.maxLength < this.fullTask!.o.maxLength) {
            this.task = this.task!.with({ maxLength: this.task!.o.maxLength + 1 });
            yield ev({ type: "curriculum", maxLength: this.task.o.maxLength });
          }
          lastPrintAt = now; lastPrintIter = it; lossSum = 0; errSum = 0; n = 0;
        }
        if (text && every.eval(it, now)) {
          const why = this.notFinite();
          if (why) { yield ev({ type: "stopped", reason: "nonFinite", message: why }); return; }
          const r = this.evaluate(o.evalBatch);
          yield ev({ type: "eval", ...r });
          lastEvalIter = it;
          const next = o.corpusCurriculum && nextLive(o.corpusCurriculum, this.data!, r);
          if (next) { this.setText(textData(undefined, { builtin: { live: next }, vocab: this.data!.corpus.vocab })); yield ev({ type: "curriculum", live: next }); }
        }
        if (every.sample(it, now)) yield ev({ type: "sample", text: this.sample(o.sampleLength ?? 200, o.temperature ?? 1) });
        if (every.save(it, now)) {
          const ck = await this.checkedCheckpoint();
          if (typeof ck === "string") { yield ev({ type: "stopped", reason: "nonFinite", message: ck }); return; }
          yield ev({ type: "checkpoint", bytes: ck, final: false });
        }
        if (o.targetCost !== undefined && recent.length === 100 && avg100 < o.targetCost &&
            (!o.curriculum || !this.fullTask || this.task!.o.maxLength === this.fullTask.o.maxLength)) { reason = "target"; break; }
        // the one place the loop lets the event loop in: signals, pipes, a page's messages, between()
        if (now - lastYield >= yieldMs) {
          await breathe();
          // awaited: the work sees the model between two steps (a worker pool mid-step would give it a mix)
          for (const fn of this.pending.splice(0)) await fn();
          lastYield = performance.now();
        }
      }
      // an interrupted run ends fast: no final evaluation, only the checkpoint
      if (text && o.evalEvery !== undefined && lastEvalIter !== this.iteration && o.finalEval !== false && reason !== "interrupted") {
        const why = this.notFinite();
        if (why) { yield ev({ type: "stopped", reason: "nonFinite", message: why }); return; }
        yield ev({ type: "eval", ...this.evaluate(o.evalBatch) });
      }
      if (o.saveEvery !== undefined || o.finalSave) {
        const ck = await this.checkedCheckpoint();
        if (typeof ck === "string") { yield ev({ type: "stopped", reason: "nonFinite", message: ck }); return; }
        yield ev({ type: "checkpoint", bytes: ck, final: true });
      }
      const cost100 = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : NaN;
      if (reason === "interrupted") yield ev({ type: "stopped", reason, message: "interrupted" });
      else yield ev({ type: "done", reason, ...(text ? {} : { cost100, recent: recent.length }) });
    } finally {
      this.elapsed0 = this.elapsed;
      this.runStart = undefined;
      for (const fn of this.pending.splice(0)) await fn();
    }
  }

  /**
   * Text runs: train on another text from the next step on (a corpus
   * curriculum), with the same vocabulary; the streams start over from their
   * first positions and keep their carried state.
   */
  setText(d: TextData): void {
    if (!this.batcher || !this.data) throw new ConfigError("setText() is for text runs");
    if (d.corpus.V !== this.data.corpus.V || d.corpus.vocab.some((c, i) => c !== this.data!.corpus.vocab[i])) throw new ConfigError("the new text must have the same vocabulary");
    if (d.corpus.train.length < this.cfg.seq! + 1) throw new ConfigError(`the new text is too short for seq ${this.cfg.seq}`);
    this.data = d;
    this.batcher = new Batcher(d.corpus.train, this.cfg.batch, this.cfg.seq!);
  }

  /** Text runs: validation BPC (B streams of the held-out 10%), the built-in corpus's breakdown, a short sample. */
  evaluate(evalBatch = 16): EvalReport {
    const d = this.data;
    if (!d) throw new ConfigError("evaluate() is for text runs; task runs use evaluateTask()");
    const valid = d.corpus.valid;
    const B = Math.max(1, Math.min(evalBatch, valid.length - 1));
    const [Be, Se] = this.evalShape(B, 100), [, S1] = this.evalShape(1, 100);
    const valBpc = valid.length >= 2 ? evaluateBpc(this.model, valid, Be, Se) : NaN;
    const breakdown: Breakdown | null = d.builtin
      ? evaluateParts(this.model, valid, d.builtin.part.subarray(d.corpus.split), d.builtin.bits.subarray(d.corpus.split), PART_NAMES, S1)
      : null;
    return { valBpc, optimalBpc: optimalFor(d, d.corpus.split, d.corpus.length) ?? null, breakdown, sample: this.sample(120, 1) };
  }

  /**
   * Streams and window for an evaluation that fits in what the budget leaves
   * (halving the streams, then the window): a large memory must not lose a
   * run at its first evaluation. The streams change the value slightly (each
   * segment starts from a zero state); the window does not change it at all.
   */
  private evalShape(B: number, S: number): [number, number] {
    const m = this.model, free = this.budget - m.be.bytesUsed, base = modelBytes(m.kind, m.io, m.config, 0, 0);
    const fits = (b: number, s: number) => m.workspace === undefined || modelBytes(m.kind, m.io, m.config, b, s) - base <= free;
    while (!fits(B, S) && (B > 1 || S > 1)) { if (B > 1) B = Math.ceil(B / 2); else S = Math.ceil(S / 2); }
    return [B, S];
  }

  /** Text runs: `length` characters at `temperature` after `prime` (default a newline), drawn from the session's RNG. */
  sample(length: number, temperature = 1, prime?: string): string {
    const d = this.data;
    if (!d) throw new ConfigError("sample() is for text runs");
    const ids = d.corpus.encode(prime ?? (d.corpus.has("\n") ? "\n" : d.corpus.vocab[0]));
    let s = "";
    sampleIds(this.model, ids, length, temperature, this.rng, (id) => { s += d.corpus.vocab[id]; });
    return s;
  }

  /**
   * Task runs: mean cost and wrong bits per sequence over `batches` batches of another configuration (no update;
   * its own RNG). The workspace is kept for the next call (linear memory is never given back, so one per call
   * would add up over a table of lengths); `reserveSteps` sizes it for the longest task still to come.
   */
  evaluateTask(task: Task, batches: number, seed = 12345, reserveSteps = 0): { cost: number; errors: number } {
    if (!this.fullTask) throw new ConfigError("evaluateTask() is for task runs");
    const rng = new Rng(seed), B = this.cfg.batch, steps = Math.max(task.maxSteps(), this.fullTask.maxSteps());
    if (!this.taskEval || this.taskEval.steps < steps) {
      const n = Math.max(steps, reserveSteps);
      this.taskEval = { ws: this.model.workspace(B, n), steps: n };
    }
    const ws = this.taskEval.ws;
    let cost = 0, errors = 0;
    for (let i = 0; i < batches; i++) {
      const r = taskStep(this.model, ws, task.batch(rng, B), false);
      cost += r.nats / B / Math.LN2; errors += r.errors / B;
    }
    return { cost: cost / batches, errors: errors / batches };
  }

  /** The checkpoint of this moment: weights, optimiser moments, carried state, step, RNG, positions. */
  async checkpoint(): Promise<Uint8Array> {
    const state = this.batcher ? await this.engine.carriedState() : [];
    return sessionCheckpoint(this, state);
  }

  /** The checkpoint, or why it must not be written (a non-finite parameter or moment, by tensor). */
  private async checkedCheckpoint(): Promise<Uint8Array | string> {
    return this.notFinite() ?? this.checkpoint();
  }

  /** Why the parameters or optimiser moments must not be used or saved (a NaN or infinity, by tensor), or undefined. */
  private notFinite(): string | undefined {
    const bad = this.opt.nonFinite();
    return bad ? `${bad} holds a non-finite value at iteration ${this.iteration}` : undefined;
  }

  /** A DNC session's model (for inspection), or undefined. */
  get dnc(): DncModel | undefined { return this.model instanceof DncModel ? this.model : undefined; }

  close(): void { this.engine.close(); }
}

/** The built-in corpus's next number of live names, once the ask values are right often enough; undefined to stay. */
function nextLive(c: { live: number[]; accuracy: number }, d: TextData, r: EvalReport): number | undefined {
  if (!d.builtin || !r.breakdown) return undefined;
  const now = builtinOptionsOf(d.id).live ?? BUILTIN_DEFAULT.live, i = c.live.indexOf(now);
  if (i < 0 || i + 1 >= c.live.length) return undefined;
  const values = r.breakdown.parts[PART.value];
  return values.accuracy >= c.accuracy ? c.live[i + 1] : undefined;
}

/** Lets timers, I/O and signals run (a macrotask, not a microtask). */
function breathe(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

/** A due-check for a cadence in iterations or seconds (undefined: never). */
function cadence(t0: number) {
  return (c: Cadence | undefined) => {
    if (c === undefined) return () => false;
    if (typeof c === "number") return (it: number) => it % c === 0;
    let next = t0 + c.seconds * 1000;
    return (_: number, now: number) => { if (now < next) return false; next = now + c.seconds * 1000; return true; };
  };
}
