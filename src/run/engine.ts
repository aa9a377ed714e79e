// Where a session's gradients are computed: on this thread, or split by
// streams over worker threads (the pool; part 0 still runs here). Either way
// the caller gets ∂(batch objective)/∂θ in model.grads and makes the update.
import { ConfigError } from "../errors.js";
import { CharModel, ModelIO, StateData, Workspace, readState, writeState } from "../models/model.js";
import { TaskBatch } from "../data/tasks.js";
import { WorkerPool, SpawnWorker, partRows } from "./pool.js";
import { textStep, taskStep } from "./step.js";

export interface Engine {
  readonly threads: number;
  /** Σ nats of one text window over all streams (time-major inputs and targets). */
  text(inputs: Int32Array, targets: Int32Array, resets: readonly number[]): number | Promise<number>;
  /** Σ nats and wrong bits of one task batch. */
  task(batch: TaskBatch): { nats: number; errors: number } | Promise<{ nats: number; errors: number }>;
  /** The carried state of every stream (text runs). */
  carriedState(): StateData[] | Promise<StateData[]>;
  setCarriedState(state: StateData[]): void | Promise<void>;
  close(): void;
}

export class LocalEngine implements Engine {
  readonly threads = 1;
  readonly ws: Workspace;
  constructor(readonly model: CharModel, B: number, S: number) { this.ws = model.workspace(B, S); }
  text(inputs: Int32Array, targets: Int32Array, resets: readonly number[]): number { return textStep(this.model, this.ws, inputs, targets, resets); }
  task(batch: TaskBatch) { return taskStep(this.model, this.ws, batch, true); }
  carriedState(): StateData[] { return readState(this.model, this.ws); }
  setCarriedState(state: StateData[]): void { writeState(this.model, this.ws, state); }
  close(): void {}
}

/**
 * The batch split over `threads` parts (see WorkerPool): each worker holds a
 * replica of the model for its share of the streams, sized for S steps.
 */
export class PoolEngine implements Engine {
  private constructor(readonly model: CharModel, private readonly pool: WorkerPool, readonly threads: number, readonly B: number) {}

  static async create(model: CharModel, cfg: Record<string, unknown>, io: ModelIO, B: number, S: number, threads: number, spawn: SpawnWorker): Promise<PoolEngine> {
    if (!(threads >= 2 && threads <= B)) throw new ConfigError(`threads must be between 2 and the batch size ${B}`);
    const pool = new WorkerPool(model, spawn, threads, B);
    const e = new PoolEngine(model, pool, threads, B);
    try {
      await Promise.all(pool.parts.map((p) => pool.call(p, { type: "init", cfg, io, B: p.B, S })));
    } catch (err) { pool.close(); throw err; }
    return e;
  }

  async text(inputs: Int32Array, targets: Int32Array, resets: readonly number[]): Promise<number> {
    const B = this.B, S = inputs.length / B;
    const replies = await this.pool.exchange((p) => {
      // the buffers that came back from this part last step travel again
      const [ib, tb] = p.io ?? [new ArrayBuffer(4 * S * p.B), new ArrayBuffer(4 * S * p.B)];
      const ins = partRows(inputs, S, B, p, 1, new Int32Array(ib)), tgs = partRows(targets, S, B, p, 1, new Int32Array(tb));
      const r = resets.filter((b) => b >= p.b0 && b < p.b0 + p.B).map((b) => b - p.b0);
      return { msg: { type: "step", inputs: ins, targets: tgs, resets: r }, transfer: [ins.buffer, tgs.buffer] };
    });
    return replies.reduce((a, r) => a + r.loss, 0);
  }

  async task(batch: TaskBatch): Promise<{ nats: number; errors: number }> {
    const B = this.B, { T } = batch, I = batch.inputs.length / (T * B), O = batch.targets.length / (T * B);
    const replies = await this.pool.exchange((p) => {
      const inputs = partRows(batch.inputs, T, B, p, I, new Float32Array(T * p.B * I));
      const targets = partRows(batch.targets, T, B, p, O, new Float32Array(T * p.B * O));
      const mask = partRows(batch.mask, T, B, p, 1, new Float32Array(T * p.B));
      return { msg: { type: "taskStep", T, inputs, targets, mask }, transfer: [inputs.buffer, targets.buffer, mask.buffer] };
    });
    return { nats: replies.reduce((a, r) => a + r.loss, 0), errors: replies.reduce((a, r) => a + r.errors, 0) };
  }

  /** The carried state of all streams, gathered from the parts. */
  async carriedState(): Promise<StateData[]> {
    const replies = await this.pool.all({ type: "getState" });
    return (replies[0].state as StateData[]).map((st, k) => {
      const data = new Float32Array(this.B * st.cols);
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
