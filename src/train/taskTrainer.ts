// Training on the algorithmic tasks: every batch is a fresh episode from a
// zero state; the cost is the masked sigmoid cross-entropy per sequence, in
// bits; a bit is wrong when the thresholded output differs from the target.
import { Backend } from "../runtime/backend.js";
import { CharModel, ModelKind, ModelIO } from "../models/model.js";
import { createModel } from "../models/index.js";
import { Task, TaskBatch, TaskName, TaskOptions } from "../data/tasks.js";
import { Optimizer, OptimizerName } from "./optimizer.js";
import { Rng } from "./rng.js";
import { NonFiniteLossError } from "./trainer.js";
import { WorkerPool, SpawnWorker, partRows } from "./parallel.js";

export interface TaskConfig {
  task: TaskName;
  taskOptions: TaskOptions;
  model: ModelKind;
  hidden: number;
  memorySlots?: number;
  wordSize?: number;
  readHeads?: number;
  batch: number;
  optimizer: OptimizerName;
  lr: number;
  clip: number;
  eps?: number;
  momentum?: number;
  seed: number;
}

export interface TaskResult { cost: number; errors: number }

export class TaskTrainer {
  readonly model: CharModel;
  readonly opt: Optimizer;
  task: Task;
  rng: Rng;

  /** maxTask: the largest configuration this run will see (sizes the workspace once). */
  constructor(readonly be: Backend, readonly cfg: TaskConfig, task?: Task, maxTask?: Task) {
    this.task = task ?? new Task(cfg.task, cfg.taskOptions);
    const io: ModelIO = { input: "dense", inSize: this.task.inSize, output: "sigmoid", outSize: this.task.outSize };
    this.model = createModel(be, cfg.model, io, { ...cfg });
    this.opt = new Optimizer({ name: cfg.optimizer, lr: cfg.lr, clip: cfg.clip, eps: cfg.eps, momentum: cfg.momentum }, this.model.params, this.model.grads);
    this.rng = new Rng(cfg.seed);
    this.model.init(this.rng);
    this.model.workspace(cfg.batch, (maxTask ?? this.task).maxSteps());
    this.maxSteps = (maxTask ?? this.task).maxSteps();
  }
  private readonly maxSteps: number;

  get iteration(): number { return this.opt.t; }

  /** Forward one batch; returns cost (bits per sequence) and bit errors per sequence. With update, also backward and step. */
  run(batch: TaskBatch, update: boolean, S = this.maxSteps): TaskResult {
    const m = this.model, be = this.be, e = be.elem, { T, B } = batch;
    const ws = m.workspace(B, S);
    if (T > ws.S) throw new RangeError(`sequence of ${T} steps exceeds the workspace (${ws.S})`);
    be.F.set(batch.inputs, ws.X / e);
    be.F.set(batch.targets, ws.T / e);
    be.F.set(batch.mask, ws.mask / e);
    m.resetState(ws);
    m.forward(ws, T);
    const errors = be.k.bit_errors(T * B, m.V, ws.Y, m.ldV, ws.T, m.V, ws.mask) / B;
    const nats = m.loss(ws, T, update);
    const cost = nats / B / Math.LN2;
    if (!Number.isFinite(cost)) throw new NonFiniteLossError(`the cost became ${cost} at iteration ${this.iteration + 1}`);
    if (update) {
      m.grads.zero();
      m.backward(ws, T);
      this.opt.step();
      m.paramsChanged();
    }
    return { cost, errors };
  }

  step(): TaskResult | Promise<TaskResult> { return this.run(this.task.batch(this.rng, this.cfg.batch), true); }

  close(): void {}

  /** Mean cost and bit errors per sequence over `batches` batches of another configuration (no update; its own RNG). */
  evaluate(task: Task, batches: number, seed = 12345): TaskResult {
    const rng = new Rng(seed);
    let cost = 0, errors = 0;
    for (let i = 0; i < batches; i++) {
      const r = this.run(task.batch(rng, this.cfg.batch), false, Math.max(task.maxSteps(), this.maxSteps));
      cost += r.cost; errors += r.errors;
    }
    return { cost: cost / batches, errors: errors / batches };
  }
}

/**
 * The same training with the batch's sequences split between worker threads
 * (see WorkerPool): the main thread draws the batch from the same RNG, so a
 * given seed sees the same data on any thread count.
 */
export class ParallelTaskTrainer extends TaskTrainer {
  private pool!: WorkerPool;

  static async create(cfg: TaskConfig, threads: number, spawn: SpawnWorker, task?: Task, maxTask?: Task): Promise<ParallelTaskTrainer> {
    if (!(threads >= 2 && threads <= cfg.batch)) throw new RangeError(`threads must be between 2 and the batch size ${cfg.batch}`);
    const tr = new ParallelTaskTrainer(await Backend.create("f32"), cfg, task, maxTask);
    tr.pool = new WorkerPool(tr.model, spawn, threads, cfg.batch);
    const S = (maxTask ?? tr.task).maxSteps();
    await Promise.all(tr.pool.parts.map((p) => tr.pool.call(p, { type: "init", cfg, io: tr.model.io, B: p.B, S })));
    return tr;
  }

  override async step(): Promise<TaskResult> {
    const B = this.cfg.batch, batch = this.task.batch(this.rng, B), { T } = batch, I = this.task.inSize, O = this.task.outSize;
    const replies = await this.pool.exchange((p) => {
      const inputs = partRows(batch.inputs, T, B, p, I, new Float32Array(T * p.B * I));
      const targets = partRows(batch.targets, T, B, p, O, new Float32Array(T * p.B * O));
      const mask = partRows(batch.mask, T, B, p, 1, new Float32Array(T * p.B));
      return { msg: { type: "taskStep", T, inputs, targets, mask }, transfer: [inputs.buffer, targets.buffer, mask.buffer] };
    });
    const nats = replies.reduce((a, r) => a + r.loss, 0), errors = replies.reduce((a, r) => a + r.errors, 0) / B;
    const cost = nats / B / Math.LN2;
    if (!Number.isFinite(cost)) throw new NonFiniteLossError(`the cost became ${cost} at iteration ${this.iteration + 1}`);
    this.opt.step();
    this.model.paramsChanged();
    return { cost, errors };
  }

  override close(): void { this.pool.close(); }
}
