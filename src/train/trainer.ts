// The training loop's state: model, optimiser, batcher, carried state, RNG.
// One call to step() is one truncated-BPTT window and one update. Everything
// that decides the next loss is in here and in the checkpoint, so a resumed
// run continues bit for bit.
import { Backend } from "../runtime/backend.js";
import { CharModel, ModelKind, Workspace, StateData, readState, writeState } from "../models/model.js";
import { createModel } from "../models/index.js";
import { Corpus, Batcher } from "../data/corpus.js";
import { Optimizer, OptimizerName, NonFiniteLossError } from "./optimizer.js";
import { Rng } from "./rng.js";

export interface TrainConfig {
  model: ModelKind;
  hidden: number;
  batch: number;
  seq: number;
  optimizer: OptimizerName;
  lr: number;
  clip: number;
  seed: number;
  /** DNC only: N, W, R. */
  memorySlots?: number;
  wordSize?: number;
  readHeads?: number;
}

export { NonFiniteLossError };

export type { StateData };

/** What checkpoints and the training loop need, on one thread or several. */
export interface TrainerLike {
  readonly model: CharModel;
  readonly opt: Optimizer;
  readonly batcher: Batcher;
  readonly corpus: Corpus;
  readonly cfg: TrainConfig;
  rng: Rng;
  readonly iteration: number;
  step(): number | Promise<number>;
  carriedState(): StateData[] | Promise<StateData[]>;
  setCarriedState(state: StateData[]): void | Promise<void>;
  close?(): void;
}

/** Model (initialised from the seed), batcher, optimiser and RNG of a run: shared by the one- and many-thread trainers. */
export function buildTraining(be: Backend, corpus: Corpus, cfg: TrainConfig): { model: CharModel; batcher: Batcher; opt: Optimizer; rng: Rng } {
  for (const [k, v] of [["hidden", cfg.hidden], ["batch", cfg.batch], ["seq", cfg.seq]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer (got ${v})`);
  }
  const model = createModel(be, cfg.model, corpus.V, { ...cfg });
  const batcher = new Batcher(corpus.train, cfg.batch, cfg.seq);
  const opt = new Optimizer({ name: cfg.optimizer, lr: cfg.lr, clip: cfg.clip }, model.params, model.grads);
  const rng = new Rng(cfg.seed);
  model.init(rng);
  return { model, batcher, opt, rng };
}

export class Trainer implements TrainerLike {
  readonly model: CharModel;
  readonly ws: Workspace;
  readonly batcher: Batcher;
  readonly opt: Optimizer;
  /** Draws for anything random after initialisation (samples shown during training). */
  rng: Rng;
  private readonly inputs: Int32Array;
  private readonly targets: Int32Array;

  constructor(readonly be: Backend, readonly corpus: Corpus, readonly cfg: TrainConfig) {
    ({ model: this.model, batcher: this.batcher, opt: this.opt, rng: this.rng } = buildTraining(be, corpus, cfg));
    this.ws = this.model.workspace(cfg.batch, cfg.seq);
    this.inputs = new Int32Array(cfg.seq * cfg.batch);
    this.targets = new Int32Array(cfg.seq * cfg.batch);
  }

  static async create(corpus: Corpus, cfg: TrainConfig): Promise<Trainer> {
    return new Trainer(await Backend.create("f32"), corpus, cfg);
  }

  get iteration(): number { return this.opt.t; }

  carriedState(): StateData[] { return readState(this.model, this.ws); }
  setCarriedState(state: StateData[]): void { writeState(this.model, this.ws, state); }

  /** One window: forward, backward, update. Returns the window's mean loss in nats. */
  step(): number {
    const { model, ws } = this, S = this.cfg.seq;
    for (const b of this.batcher.next(this.inputs, this.targets)) model.resetState(ws, b);
    const I = this.be.I32;
    I.set(this.inputs, ws.ids >> 2);
    I.set(this.targets, ws.tgt >> 2);
    model.forward(ws, S);
    const loss = model.loss(ws, S, true) / (S * ws.B);
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(`the loss became ${loss} at iteration ${this.iteration + 1}`);
    model.grads.zero();
    model.backward(ws, S);
    this.opt.step();
    model.paramsChanged();
    model.carry(ws, S);
    return loss;
  }
}
