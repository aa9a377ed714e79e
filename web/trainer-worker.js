// The page's trainer: a Session in a Web Worker, so that the page never freezes.
// Messages in:  start {config, bytes?, name?} | pause | resume | stop | temperature {value}
//               | sample {temperature, length} | inspect {prime} | checkpoint | load {bytes, name, textBytes?, textName?}
// Messages out: started | progress | eval | sample | inspect | checkpoint | error | paused | status
import { Session, textData, decodeText, parseCheckpoint, evaluateText, inspectText, inspectTask, inspectSamText } from "../dist/index.js";

let session = null, abort = null, temperature = 1;

const post = (m, t) => self.postMessage(m, t ?? []);
const fail = (e) => post({ type: "error", message: e instanceof Error ? e.message : String(e) });

function spawnPart() {
  const w = new Worker(new URL("./part-worker.js", import.meta.url), { type: "module" });
  return { post: (m, t) => w.postMessage(m, t ?? []), onMessage: (h) => { w.onmessage = (e) => h(e.data); }, terminate: () => w.terminate() };
}

/** Two threads when the page is cross-origin isolated (COOP/COEP), else this one. */
const threadsFor = (batch) => (self.crossOriginIsolated && batch >= 2 ? 2 : 1);

function dataOf(bytes, name, vocab) {
  return textData(bytes ? decodeText(new Uint8Array(bytes), name ?? "the file") : undefined, { name, vocab });
}

async function replace(make) {
  await halt();
  session?.close();
  session = null;
  session = await make();
  const d = session.data, base = { config: session.cfg, parameters: session.model.params.count, threads: session.threads, iter: session.iteration, isolated: self.crossOriginIsolated };
  if (!d) post({ type: "started", ...base, describe: session.task.describe(), optimalBpc: null });
  else post({ type: "started", ...base, corpus: d.builtin ? "built-in corpus" : d.label, chars: d.corpus.length, vocab: d.corpus.V, optimalBpc: optimal() });
}

function optimal() {
  const d = session.data;
  if (!d?.builtin) return null;
  let s = 0;
  for (let i = d.corpus.split + 1; i < d.corpus.length; i++) s += d.builtin.bits[i];
  return s / (d.corpus.length - d.corpus.split - 1);
}

/**
 * Trains until paused: progress four times a second; for text a sample every
 * 3 s and validation every 5 s; for a task, the memory on one episode every second.
 */
async function train() {
  if (!session || session.running) return;
  abort = new AbortController();
  let lastSample = 0, lastMemory = 0;
  post({ type: "paused", paused: false });
  const text = !!session.data;
  for await (const ev of session.run({ printEvery: { seconds: 0.25 }, ...(text ? { evalEvery: { seconds: 5 } } : {}), finalEval: false, signal: abort.signal })) {
    if (ev.type === "progress" && !text) {
      post({ type: "progress", iter: ev.iter, cost: ev.cost, bitErrors: ev.bitErrors, itersPerSec: ev.itersPerSec, time: ev.time });
      if (hasMemory() && performance.now() - lastMemory > 1000) { postTaskMemory(); lastMemory = performance.now(); }
    } else if (ev.type === "progress") {
      post({ type: "progress", iter: ev.iter, bpc: ev.bpc, charsPerSec: ev.charsPerSec, time: ev.time });
      if (performance.now() - lastSample > 3000) { postSample(200); lastSample = performance.now(); }
    } else if (ev.type === "eval") {
      post({ type: "eval", iter: ev.iter, valBpc: ev.valBpc, breakdown: ev.breakdown });
    } else if (ev.type === "stopped" && ev.reason === "nonFinite") {
      fail(new Error(ev.message));
    }
  }
  abort = null;
}

/** Stops a running loop and waits for it to end. */
async function halt() {
  if (!session?.running) return;
  abort?.abort();
  while (session.running) await new Promise((r) => setTimeout(r, 5));
}

const sparse = () => session.model.kind === "sam" || session.model.kind === "sdnc";
const hasMemory = () => session.dnc || sparse();

function postTaskMemory() {
  const t = session.task.with({ minLength: session.task.o.maxLength }), steps = inspectTask(session.dnc ?? session.model, t);
  if (sparse()) post({ type: "saminspect", task: true, steps, chars: steps.map((s) => s.phase[0]) });
  else post({ type: "inspect", task: true, steps, chars: steps.map((s) => s.phase[0]), N: session.dnc.N, R: session.dnc.RH });
}

function postSample(length) {
  post({ type: "sample", text: session.sample(length, temperature), temperature });
}

function postEval() {
  if (session.data.corpus.valid.length < 17) return;
  const r = session.evaluate(16);
  post({ type: "eval", iter: session.iteration, valBpc: r.valBpc, breakdown: r.breakdown });
}

function configOf(c) {
  return { model: c.model, hidden: c.hidden, batch: c.batch, optimizer: "adam", lr: c.lr, clip: c.task ? 50 : 5, seed: c.seed ?? 1,
    ...(c.task ? { task: c.task } : { seq: c.seq }),
    ...(c.model === "dnc" || c.model === "sam" || c.model === "sdnc" ? { memorySlots: c.memorySlots, wordSize: c.wordSize, readHeads: c.readHeads } : {}),
    ...(c.model === "sam" || c.model === "sdnc" ? { sparse: c.sparse, ...(c.lsh ? { lsh: c.lsh } : {}) } : {}) };
}

self.onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.type) {
      case "start": {
        const cfg = configOf(m.config), data = cfg.task ? undefined : dataOf(m.bytes, m.name);
        await replace(() => Session.create(cfg, { data, threads: threadsFor(cfg.batch), spawn: spawnPart }));
        train().catch(fail);
        break;
      }
      case "pause": await halt(); post({ type: "paused", paused: true }); break;
      case "resume": train().catch(fail); break;
      case "stop": await halt(); break;
      case "temperature": temperature = m.value; break;
      case "sample": if (session?.data) { temperature = m.temperature ?? temperature; await session.between(() => postSample(m.length ?? 200)); } break;
      case "inspect": if (session?.data) await session.between(() => {
        const ids = session.data.corpus.encode(m.prime);
        if (ids.length === 0) throw new Error("type a text for the memory to read");
        if (sparse()) { post({ type: "saminspect", steps: inspectSamText(session.model, ids), chars: Array.from(m.prime) }); return; }
        if (!session.dnc) throw new Error("the memory view needs a DNC, a SAM or an SDNC");
        post({ type: "inspect", steps: inspectText(session.dnc, ids), chars: Array.from(m.prime), N: session.dnc.N, R: session.dnc.RH });
      }); break;
      case "checkpoint": if (session) await session.between(async () => {
        const bytes = await session.checkpoint();
        // the canonical single-stream validation BPC of exactly these weights: what `dnc eval` prints for this file
        const valBpc = session.data?.corpus.valid.length > 1 ? evaluateText(session.model, session.data, { batch: 1 }).bpc : null;
        const name = `${session.cfg.task ? `${session.cfg.task}-` : ""}${session.cfg.model}-${session.iteration}.safetensors`;
        post({ type: "checkpoint", bytes: bytes.buffer, name, iter: session.iteration, valBpc }, [bytes.buffer]);
      }); break;
      case "load": {
        // a checkpoint: resume it (with its training state) on the same text, else start from its weights
        const ck = parseCheckpoint(new Uint8Array(m.bytes));
        if (ck.config.task) {
          const opts = { threads: threadsFor(ck.config.batch), spawn: spawnPart };
          await replace(() => ck.training ? Session.resume(ck, { ...opts, expect: { task: ck.config.task } })
            : Session.create({ task: ck.config.task, taskOptions: ck.config.taskOptions }, { ...opts, init: ck }));
          if (hasMemory()) postTaskMemory();
          post({ type: "status", text: `loaded ${m.name} (${ck.config.task}, ${ck.kind}, iteration ${session.iteration}); press Resume to train on` });
          post({ type: "paused", paused: true });
          break;
        }
        const data = dataOf(m.textBytes, m.textName, ck.vocab);
        const same = ck.training && ck.training.corpus === data.id && !ck.config.task;
        const batch = same ? ck.config.batch : 16;
        await replace(() => same
          ? Session.resume(ck, { data, threads: threadsFor(batch), spawn: spawnPart })
          : Session.create({ batch: 16, seq: 50 }, { init: ck, data, threads: threadsFor(batch), spawn: spawnPart }));
        postSample(200);
        postEval();
        post({ type: "status", text: `loaded ${m.name} (${ck.kind}, iteration ${session.iteration}); press Resume to train on` });
        post({ type: "paused", paused: true });
        break;
      }
    }
  } catch (err) { fail(err); }
};
