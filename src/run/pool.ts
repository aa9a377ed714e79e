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
import { ConfigError } from "../errors.js";
import { Backend } from "../runtime/backend.js";
import { CharModel, readState, writeState } from "../models/model.js";
import { createModel } from "../models/index.js";
import { evaluateLoss } from "../train/evaluate.js";
import { textStep, taskStep } from "./step.js";

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

/**
 * Evaluation BPC (MODELS.md's rule) with the B segments split between worker
 * threads: each reads its streams' segments with the model's weights; the
 * losses are summed in part order.
 */
export async function evaluateBpcParallel(model: CharModel, cfg: Record<string, unknown>, data: Int32Array, B: number, S: number,
                                          threads: number, spawn: SpawnWorker): Promise<number> {
  const L = Math.floor((data.length - 1) / B);
  if (L < 1) throw new ConfigError(`evaluation needs at least ${B + 1} characters for ${B} streams; the text has ${data.length}`);
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

/**
 * The worker side of a multi-threaded Session: call it in a Web Worker or worker_threads entry with the
 * port to the main thread; it answers init, step, eval and state messages with the same step code.
 */
export function serveWorker(host: HostPort): void {
  let m: CharModel | undefined;
  let ws: ReturnType<CharModel["workspace"]>;
  host.onMessage(async (msg) => {
    try {
      if (msg.type === "init") {
        const be = await Backend.create("f32");
        m = createModel(be, msg.cfg.model, msg.io, { ...msg.cfg });
        ws = m.workspace(msg.B, msg.S);
        host.post({ type: "ready" });
      } else if (msg.type === "eval") {
        // a share of the evaluation segments, read with the given weights
        const be = m?.be ?? await Backend.create("f32");
        if (!m || msg.fresh) m = createModel(be, msg.cfg.model, msg.io, { ...msg.cfg });
        m.be.F.set(msg.params, m.params.off / m.be.elem);
        m.paramsChanged();
        host.post({ type: "evaluated", ...evaluateLoss(m, msg.data, msg.B, msg.S) });
      } else if (msg.type === "taskStep" || msg.type === "step") {
        // a share of the batch with the caller's parameters; its gradients go back in the buffer that came
        const be = m!.be, e = be.elem;
        be.F.set(msg.params, m!.params.off / e);
        m!.paramsChanged();
        const r = msg.type === "step"
          ? { nats: textStep(m!, ws, msg.inputs, msg.targets, msg.resets), errors: 0 }
          : taskStep(m!, ws, msg, true);
        const g: Float32Array = msg.grads;
        g.set(be.F.subarray(m!.grads.off / e, m!.grads.off / e + m!.grads.n));
        const io = [msg.inputs.buffer, msg.targets.buffer, ...(msg.mask ? [msg.mask.buffer] : [])];
        host.post({ type: "stepped", loss: r.nats, errors: r.errors, params: msg.params, grads: g, io }, [msg.params.buffer, g.buffer, ...io]);
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

