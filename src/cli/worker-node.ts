// Entry point of a Node worker thread for data-parallel training.
import { parentPort } from "node:worker_threads";
import { serveWorker } from "../run/pool.js";

serveWorker({
  post: (m, t) => parentPort!.postMessage(m, (t ?? []) as never),
  onMessage: (h) => parentPort!.on("message", h),
});
