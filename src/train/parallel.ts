// Data-parallel training over worker threads (Node worker_threads or Web
// Workers: the caller supplies the spawner). The B streams are split into
// contiguous parts, one per worker; each worker owns a wasm instance with a
// replica of the model and the carried state of its streams. Per iteration:
// the main thread sends each worker its inputs and the current parameters,
// the workers run forward and backward, and the main thread sums their
// gradients in a fixed order (part 0, 1, …, each weighted by its share of the
// batch) and makes one optimiser step. Same seed and thread count → the same
// losses bit for bit; against one thread, the same gradients to float32
// round-off. One round trip per minibatch, never per op (WASM-PERF.md: a
// round trip costs 20–130 µs). Buffers travel by transfer, so nothing is
// copied twice and nothing is allocated per step.
import { Backend } from "../runtime/backend.js";
import { CharModel, StateData, readState, writeState } from "../models/model.js";
import { createModel } from "../models/index.js";
import { Corpus, Batcher } from "../data/corpus.js";
import { Optimizer } from "./optimizer.js";
import { Rng } from "./rng.js";
import { TrainConfig, NonFiniteLossError } from "./trainer.js";
import { NonFiniteGradientError } from "./optimizer.js";

/** The side of a worker the main thread sees. */
export interface WorkerPort {
  post(msg: unknown, transfer?: Transferable[]): void;
  onMessage(handler: (msg: any) => void): void;
  terminate(): void;
}
export type SpawnWorker = () => WorkerPort;

interface Part { b0: number; B: number; port: WorkerPort; params: Float32Array; grads: Float32Array; queue: ((m: any) => void)[] }

export class ParallelTrainer {
  readonly model: CharModel;
  readonly batcher: Batcher;
  readonly opt: Optimizer;
  rng: Rng;
  private readonly parts: Part[];
  private readonly staging: number;
  private readonly inputs: Int32Array;
  private readonly targets: Int32Array;

  private constructor(readonly be: Backend, readonly corpus: Corpus, readonly cfg: TrainConfig, spawn: SpawnWorker, readonly threads: number) {
    const { batch: B, seq: S } = cfg;
    this.model = createModel(be, cfg.model, corpus.V, { ...cfg });
    this.batcher = new Batcher(corpus.train, B, S);
    this.opt = new Optimizer({ name: cfg.optimizer, lr: cfg.lr, clip: cfg.clip }, this.model.params, this.model.grads);
    this.rng = new Rng(cfg.seed);
    this.model.init(this.rng);
    this.staging = be.alloc(this.model.params.n);
    this.inputs = new Int32Array(S * B);
    this.targets = new Int32Array(S * B);
    const n = this.model.params.n;
    this.parts = [];
    for (let p = 0; p < threads; p++) {
      const b0 = Math.floor((p * B) / threads), b1 = Math.floor(((p + 1) * B) / threads);
      const part: Part = { b0, B: b1 - b0, port: spawn(), params: new Float32Array(n), grads: new Float32Array(n), queue: [] };
      part.port.onMessage((m) => {
        if (m.type === "error") { for (const r of part.queue.splice(0)) r(m); return; }
        part.queue.shift()?.(m);
      });
      this.parts.push(part);
    }
  }

  static async create(corpus: Corpus, cfg: TrainConfig, threads: number, spawn: SpawnWorker): Promise<ParallelTrainer> {
    if (!(threads >= 2 && threads <= cfg.batch)) throw new RangeError(`threads must be between 2 and the batch size ${cfg.batch}`);
    const tr = new ParallelTrainer(await Backend.create("f32"), corpus, cfg, spawn, threads);
    await Promise.all(tr.parts.map((p) => tr.call(p, { type: "init", cfg, V: corpus.V, B: p.B, S: cfg.seq })));
    return tr;
  }

  get iteration(): number { return this.opt.t; }

  private call(p: Part, msg: unknown, transfer: Transferable[] = []): Promise<any> {
    return new Promise((resolve, reject) => {
      p.queue.push((m) => (m.type === "error" ? reject(new Error(`worker: ${m.message}`)) : resolve(m)));
      p.port.post(msg, transfer);
    });
  }

  /** One window over all streams; returns the mean loss in nats. */
  async step(): Promise<number> {
    const { batch: B, seq: S } = this.cfg, be = this.be, e = be.elem, mp = this.model.params;
    const resets = this.batcher.next(this.inputs, this.targets);
    const F = be.F, pOff = mp.off / e;
    const replies = await Promise.all(this.parts.map((p) => {
      const ins = new Int32Array(S * p.B), tgs = new Int32Array(S * p.B);
      for (let t = 0; t < S; t++) {
        ins.set(this.inputs.subarray(t * B + p.b0, t * B + p.b0 + p.B), t * p.B);
        tgs.set(this.targets.subarray(t * B + p.b0, t * B + p.b0 + p.B), t * p.B);
      }
      p.params.set(F.subarray(pOff, pOff + mp.n));
      const r = resets.filter((b) => b >= p.b0 && b < p.b0 + p.B).map((b) => b - p.b0);
      return this.call(p, { type: "step", inputs: ins, targets: tgs, resets: r, params: p.params, grads: p.grads },
        [ins.buffer, tgs.buffer, p.params.buffer, p.grads.buffer]);
    }));
    // gradients summed in a fixed order; part p's mean is over its own S·B_p predictions
    this.model.grads.zero();
    let loss = 0;
    replies.forEach((m, i) => {
      const p = this.parts[i];
      p.params = m.params; p.grads = m.grads;
      be.F.set(p.grads, this.staging / e);
      be.k.axpy(mp.n, p.B / B, this.staging, this.model.grads.off);
      loss += m.loss;
    });
    loss /= S * B;
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(`the loss became ${loss} at iteration ${this.iteration + 1}`);
    try { this.opt.step(); } catch (err) {
      if (err instanceof NonFiniteGradientError) throw new NonFiniteLossError(err.message);
      throw err;
    }
    this.model.paramsChanged();
    return loss;
  }

  /** The carried state of all streams, gathered from the workers. */
  async carriedState(): Promise<StateData[]> {
    const replies = await Promise.all(this.parts.map((p) => this.call(p, { type: "getState" })));
    const B = this.cfg.batch;
    return (replies[0].state as StateData[]).map((st, k) => {
      const data = new Float32Array(B * st.cols);
      replies.forEach((m, i) => data.set(m.state[k].data, this.parts[i].b0 * st.cols));
      return { name: st.name, cols: st.cols, data };
    });
  }

  async setCarriedState(state: StateData[]): Promise<void> {
    await Promise.all(this.parts.map((p) => this.call(p, {
      type: "setState",
      state: state.map((st) => ({ ...st, data: st.data.slice(p.b0 * st.cols, (p.b0 + p.B) * st.cols) })),
    })));
  }

  close(): void { for (const p of this.parts) p.port.terminate(); }
}

// ---- the worker's side ----

/** What a worker needs from its host: receive and send messages. */
export interface HostPort {
  post(msg: unknown, transfer?: Transferable[]): void;
  onMessage(handler: (msg: any) => void): void;
}

export function serveWorker(host: HostPort): void {
  let m: CharModel | undefined;
  let ws: ReturnType<CharModel["workspace"]>;
  let S = 0;
  host.onMessage(async (msg) => {
    try {
      if (msg.type === "init") {
        const be = await Backend.create("f32");
        m = createModel(be, msg.cfg.model, msg.V, { ...msg.cfg });
        ws = m.workspace(msg.B, msg.S);
        S = msg.S;
        host.post({ type: "ready" });
      } else if (msg.type === "step") {
        const be = m!.be, e = be.elem, p = m!.params;
        be.F.set(msg.params, p.off / e);
        m!.paramsChanged();
        for (const b of msg.resets) m!.resetState(ws, b);
        be.I32.set(msg.inputs, ws.ids >> 2);
        be.I32.set(msg.targets, ws.tgt >> 2);
        m!.forward(ws, S);
        const loss = m!.loss(ws, S, true);
        m!.grads.zero();
        m!.backward(ws, S);
        m!.carry(ws, S);
        const g: Float32Array = msg.grads;
        g.set(be.F.subarray(m!.grads.off / e, m!.grads.off / e + m!.grads.n));
        host.post({ type: "stepped", loss, params: msg.params, grads: g }, [msg.params.buffer, g.buffer]);
      } else if (msg.type === "getState") {
        host.post({ type: "state", state: readState(m!, ws) });
      } else if (msg.type === "setState") {
        writeState(m!, ws, msg.state);
        host.post({ type: "ok" });
      }
    } catch (err) {
      host.post({ type: "error", message: (err as Error).message });
    }
  });
}

