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
import { NonFiniteGradientError } from "./optimizer.js";

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
      try { this.opt.step(); } catch (err) {
        if (err instanceof NonFiniteGradientError) throw new NonFiniteLossError(err.message);
        throw err;
      }
      m.paramsChanged();
    }
    return { cost, errors };
  }

  step(): TaskResult { return this.run(this.task.batch(this.rng, this.cfg.batch), true); }

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
