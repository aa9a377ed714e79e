// Node's side of the worker threads: spawning workers for ParallelTrainer.
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { SpawnWorker } from "../run/pool.js";

export const spawnNodeWorker: SpawnWorker = () => {
  const w = new Worker(new URL("./worker-node.js", import.meta.url));
  let handler: (m: unknown) => void = () => {};
  w.on("error", (e) => handler({ type: "error", message: e.message }));
  return {
    post: (m, t) => w.postMessage(m, (t ?? []) as never),
    onMessage: (h) => { handler = h; w.on("message", h); },
    terminate: () => void w.terminate(),
  };
};

/** Default thread count: the cores, at most the batch size. */
export function defaultThreads(batch: number): number { return Math.max(1, Math.min(availableParallelism(), batch)); }
