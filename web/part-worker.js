// A training part: one share of the streams, for the data-parallel trainer.
import { serveWorker } from "../dist/index.js";

serveWorker({
  post: (m, t) => self.postMessage(m, t ?? []),
  onMessage: (h) => { self.onmessage = (e) => h(e.data); },
});
