// Data-parallel training over worker threads (Node worker_threads or Web
// Workers: the caller supplies the spawner). The B streams are split into
// contiguous parts, one per thread; each part owns a wasm instance with a
// replica of the model and the carried state of its streams. With N threads,
// parts 1 … N−1 run in workers and part 0 on the calling thread itself (the
// same code, served in-process), so N threads means N busy cores and no idle
// coordinator. Per iteration: the caller sends each worker its inputs and the
// current parameters, computes part 0 while they compute theirs, sums the
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
import { TrainConfig, NonFiniteLossError, buildTraining } from "./trainer.js";
import { evaluateLoss } from "./evaluate.js";

/** The side of a worker the main thread sees. */
export interface WorkerPort {
  post(msg: unknown, transfer?: Transferable[]): void;
  onMessage(handler: (msg: any) => void): void;
  terminate(): void;
}
export type SpawnWorker = () => WorkerPort;

interface Part {
  b0: number; B: number; port: WorkerPort; params: Float32Array; grads: Float32Array; queue: ((m: any) => void)[];
  /** Input buffers that travel to the worker and back each step (no allocation per step). */
  io?: ArrayBufferLike[];
}

/**
 * dst ← the rows of part p's streams from T time-major blocks of B rows (row t·B + b) of
 * `width` values each: a part sees its own streams in the same time-major layout.
 */
export function partRows<A extends Int32Array | Float32Array>(src: A, T: number, B: number, p: { b0: number; B: number }, width: number, dst: A): A {
  for (let t = 0; t < T; t++) dst.set(src.subarray((t * B + p.b0) * width, (t * B + p.b0 + p.B) * width), t * p.B * width);
  return dst;
}

/**
 * Workers that each own a contiguous share of a batch of B streams or
 * sequences, and the exchange of one iteration: parameters out, gradients
 * back (by transfer), summed in a fixed order into the main model's gradients.
 */
export class WorkerPool {
  readonly parts: Part[] = [];
  private readonly staging: number;

  constructor(readonly model: CharModel, spawn: SpawnWorker, threads: number, readonly B: number) {
    const n = model.params.n;
    this.staging = model.be.alloc(n);
    for (let p = 0; p < threads; p++) {
      const b0 = Math.floor((p * B) / threads), b1 = Math.floor(((p + 1) * B) / threads);
      const port = p === 0 ? localPort() : spawn();
      const part: Part = { b0, B: b1 - b0, port, params: new Float32Array(n), grads: new Float32Array(n), queue: [] };
      part.port.onMessage((m) => {
        if (m.type === "error") { for (const r of part.queue.splice(0)) r(m); return; }
        part.queue.shift()?.(m);
      });
      this.parts.push(part);
    }
  }

  call(p: Part, msg: unknown, transfer: Transferable[] = []): Promise<any> {
    return new Promise((resolve, reject) => {
      p.queue.push((m) => (m.type === "error" ? reject(new Error(`worker: ${m.message}`)) : resolve(m)));
      p.port.post(msg, transfer);
    });
  }

  all(msg: unknown): Promise<any[]> { return Promise.all(this.parts.map((p) => this.call(p, msg))); }

  /**
   * One iteration: each part gets `payload(p)` plus the current parameters
   * and its gradient buffer; their gradients come back and are summed into
   * the model's, part p weighted by B_p/B (its loss is a mean over its own
   * share). Returns the replies in part order.
   */
  async exchange(payload: (p: Part) => { msg: Record<string, unknown>; transfer: Transferable[] }): Promise<any[]> {
    const m = this.model, be = m.be, e = be.elem, mp = m.params, pOff = mp.off / e;
    // the workers first, so that they compute while this thread serves part 0 (synchronously, in call)
    const pending: Promise<any>[] = [];
    for (let i = this.parts.length - 1; i >= 0; i--) {
      const p = this.parts[i], { msg, transfer } = payload(p);
      p.params.set(be.F.subarray(pOff, pOff + mp.n));
      pending[i] = this.call(p, { ...msg, params: p.params, grads: p.grads }, [...transfer, p.params.buffer, p.grads.buffer]);
    }
    const replies = await Promise.all(pending);
    m.grads.zero();
    replies.forEach((r, i) => {
      const p = this.parts[i];
      p.params = r.params; p.grads = r.grads; p.io = r.io;
      be.F.set(p.grads, this.staging / e);
      be.k.axpy(mp.n, p.B / this.B, this.staging, m.grads.off);
    });
    return replies;
  }

  close(): void { for (const p of this.parts) p.port.terminate(); }
}

export class ParallelTrainer {
  readonly model: CharModel;
  readonly batcher: Batcher;
  readonly opt: Optimizer;
  rng: Rng;
  private readonly pool: WorkerPool;
  private readonly inputs: Int32Array;
  private readonly targets: Int32Array;

  private constructor(readonly be: Backend, readonly corpus: Corpus, readonly cfg: TrainConfig, spawn: SpawnWorker, readonly threads: number) {
    const { batch: B, seq: S } = cfg;
    ({ model: this.model, batcher: this.batcher, opt: this.opt, rng: this.rng } = buildTraining(be, corpus, cfg));
    this.inputs = new Int32Array(S * B);
    this.targets = new Int32Array(S * B);
    this.pool = new WorkerPool(this.model, spawn, threads, B);
  }

  static async create(corpus: Corpus, cfg: TrainConfig, threads: number, spawn: SpawnWorker): Promise<ParallelTrainer> {
    if (!(threads >= 2 && threads <= cfg.batch)) throw new RangeError(`threads must be between 2 and the batch size ${cfg.batch}`);
    const tr = new ParallelTrainer(await Backend.create("f32"), corpus, cfg, spawn, threads);
    await Promise.all(tr.pool.parts.map((p) => tr.pool.call(p, { type: "init", cfg, io: corpus.V, B: p.B, S: cfg.seq })));
    return tr;
  }

  get iteration(): number { return this.opt.t; }

  /** One window over all streams; returns the mean loss in nats. */
  async step(): Promise<number> {
    const { batch: B, seq: S } = this.cfg;
    const resets = this.batcher.next(this.inputs, this.targets);
    const replies = await this.pool.exchange((p) => {
      const [ib, tb] = p.io ?? [new ArrayBuffer(4 * S * p.B), new ArrayBuffer(4 * S * p.B)];
      const ins = partRows(this.inputs, S, B, p, 1, new Int32Array(ib)), tgs = partRows(this.targets, S, B, p, 1, new Int32Array(tb));
      const r = resets.filter((b) => b >= p.b0 && b < p.b0 + p.B).map((b) => b - p.b0);
      return { msg: { type: "step", inputs: ins, targets: tgs, resets: r }, transfer: [ins.buffer, tgs.buffer] };
    });
    const loss = replies.reduce((a, r) => a + r.loss, 0) / (S * B);
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(`the loss became ${loss} at iteration ${this.iteration + 1}`);
    this.opt.step();
    this.model.paramsChanged();
    return loss;
  }

  /** The carried state of all streams, gathered from the workers. */
  async carriedState(): Promise<StateData[]> {
    const replies = await this.pool.all({ type: "getState" });
    const B = this.cfg.batch;
    return (replies[0].state as StateData[]).map((st, k) => {
      const data = new Float32Array(B * st.cols);
      replies.forEach((m, i) => data.set(m.state[k].data, this.pool.parts[i].b0 * st.cols));
      return { name: st.name, cols: st.cols, data };
    });
  }

  async setCarriedState(state: StateData[]): Promise<void> {
    await Promise.all(this.pool.parts.map((p) => this.pool.call(p, {
      type: "setState",
      state: state.map((st) => ({ ...st, data: st.data.slice(p.b0 * st.cols, (p.b0 + p.B) * st.cols) })),
    })));
  }

  close(): void { this.pool.close(); }
}

/**
 * Evaluation BPC (MODELS.md's rule) with the B segments split between worker
 * threads: each reads its streams' segments with the model's weights; the
 * losses are summed in part order.
 */
export async function evaluateBpcParallel(model: CharModel, cfg: Record<string, unknown>, data: Int32Array, B: number, S: number,
                                          threads: number, spawn: SpawnWorker): Promise<number> {
  const L = Math.floor((data.length - 1) / B);
  if (L < 1) throw new RangeError(`evaluation needs at least ${B + 1} characters for ${B} streams; the text has ${data.length}`);
  const pool = new WorkerPool(model, spawn, threads, B);
  try {
    const e = model.be.elem, p = model.params;
    const replies = await Promise.all(pool.parts.map((part) => pool.call(part, {
      type: "eval", fresh: true, cfg: { ...cfg, model: model.kind }, io: model.io, B: part.B, S,
      params: Float32Array.from(model.be.F.subarray(p.off / e, p.off / e + p.n)),
      data: data.slice(part.b0 * L, (part.b0 + part.B) * L + 1),
    })));
    const total = replies.reduce((a, r) => a + r.total, 0), count = replies.reduce((a, r) => a + r.count, 0);
    return total / count / Math.LN2;
  } finally {
    pool.close();
  }
}

/**
 * A part served on the calling thread by the same code as a worker: a message
 * is handled at once (a step computes before post returns), the reply arrives
 * as a microtask, as a worker's would arrive later.
 */
export function localPort(): WorkerPort {
  let toPool: ((m: any) => void) | undefined, toServer: ((m: any) => void) | undefined;
  serveWorker({ post: (m) => queueMicrotask(() => toPool?.(m)), onMessage: (h) => { toServer = h; } });
  return { post: (m) => toServer?.(m), onMessage: (h) => { toPool = h; }, terminate: () => { toServer = undefined; } };
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
        m = createModel(be, msg.cfg.model, msg.io, { ...msg.cfg });
        ws = m.workspace(msg.B, msg.S);
        S = msg.S;
        host.post({ type: "ready" });
      } else if (msg.type === "eval") {
        // a share of the evaluation segments, read with the given weights
        const be = m?.be ?? await Backend.create("f32");
        if (!m || msg.fresh) m = createModel(be, msg.cfg.model, msg.io, { ...msg.cfg });
        m.be.F.set(msg.params, m.params.off / m.be.elem);
        m.paramsChanged();
        host.post({ type: "evaluated", ...evaluateLoss(m, msg.data, msg.B, msg.S) });
      } else if (msg.type === "taskStep") {
        // a share of a task batch: fresh episodes from a zero state, T ≤ S steps
        const be = m!.be, e = be.elem, p = m!.params, T: number = msg.T;
        be.F.set(msg.params, p.off / e);
        m!.paramsChanged();
        be.F.set(msg.inputs, ws.X / e); be.F.set(msg.targets, ws.T / e); be.F.set(msg.mask, ws.mask / e);
        m!.resetState(ws);
        m!.forward(ws, T);
        const errors = be.k.bit_errors(T * ws.B, m!.V, ws.Y, m!.ldV, ws.T, m!.V, ws.mask);
        const loss = m!.loss(ws, T, true);
        m!.grads.zero();
        m!.backward(ws, T);
        const g: Float32Array = msg.grads;
        g.set(be.F.subarray(m!.grads.off / e, m!.grads.off / e + m!.grads.n));
        host.post({ type: "stepped", loss, errors, params: msg.params, grads: g }, [msg.params.buffer, g.buffer]);
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
        const io = [msg.inputs.buffer, msg.targets.buffer];
        host.post({ type: "stepped", loss, params: msg.params, grads: g, io }, [msg.params.buffer, g.buffer, ...io]);
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

