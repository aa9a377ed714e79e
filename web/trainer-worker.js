// The page's trainer: runs in a Web Worker so that the page never freezes.
// Messages in:  start {config, text?, name?} | pause | resume | stop | sample {temperature, length}
//               | inspect {prime} | checkpoint | load {bytes, name, text?}
// Messages out: started | progress | eval | sample | inspect | checkpoint | error | paused | status
import {
  Backend, Corpus, Trainer, ParallelTrainer, builtinCorpus, optimalBpc, evaluateBpc, sampleIds, inspectText,
  trainerCheckpoint, parseCheckpoint, restoreTraining, loadWeights, decodeText, checkLength, fingerprint, DNC_DEFAULTS,
} from "../dist/index.js";

let tr = null, data = null, running = false, paused = false, loopId = 0, temperature = 1, t0 = 0, elapsed0 = 0;
// work that must see the model between two steps (a checkpoint and its BPC, the memory view) waits here
const between = [];
function exclusive(fn) {
  if (!running) return fn();
  return new Promise((ok, ko) => between.push(() => Promise.resolve().then(fn).then(ok, ko)));
}

const post = (m, t) => self.postMessage(m, t ?? []);
const fail = (e) => post({ type: "error", message: e instanceof Error ? e.message : String(e) });

function spawnPart() {
  const w = new Worker(new URL("./part-worker.js", import.meta.url), { type: "module" });
  return { post: (m, t) => w.postMessage(m, t ?? []), onMessage: (h) => { w.onmessage = (e) => h(e.data); }, terminate: () => w.terminate() };
}

/** The corpus: the built-in one, or a user's text (validated: empty, binary, too short). */
function loadData(text, name, vocab) {
  if (text === undefined || text === null) {
    const b = builtinCorpus();
    return { corpus: new Corpus(b.text, vocab), builtin: b, id: b.name, name: "built-in corpus" };
  }
  const corpus = new Corpus(text, vocab);
  return { corpus, id: `file:${fingerprint(corpus.ids)}`, name };
}

async function makeTrainer(cfg) {
  checkLength(data.corpus.train.length, cfg.seq);
  // two workers when the page is cross-origin isolated (COOP/COEP), else this one
  const threads = self.crossOriginIsolated && cfg.batch >= 2 ? 2 : 1;
  const t = threads > 1 ? await ParallelTrainer.create(data.corpus, cfg, threads, spawnPart) : new Trainer(await Backend.create("f32"), data.corpus, cfg);
  return { t, threads };
}

async function start(msg) {
  stopLoop();
  if (tr) { tr.close?.(); tr = null; }
  try {
    const text = msg.bytes ? decodeText(new Uint8Array(msg.bytes), msg.name ?? "the file") : null;
    data = loadData(text, msg.name);
    const c = msg.config;
    const cfg = { model: c.model, hidden: c.hidden, batch: c.batch, seq: c.seq, optimizer: "adam", lr: c.lr, clip: 5, seed: c.seed ?? 1,
      ...(c.model === "dnc" ? { memorySlots: c.memorySlots ?? DNC_DEFAULTS.memorySlots, wordSize: c.wordSize ?? DNC_DEFAULTS.wordSize, readHeads: c.readHeads ?? DNC_DEFAULTS.readHeads } : {}) };
    const { t, threads } = await makeTrainer(cfg);
    tr = t; elapsed0 = 0;
    announce(threads);
    run();
  } catch (e) { fail(e); }
}

function announce(threads) {
  const opt = data.builtin ? optimalBpc(data.builtin, data.corpus.split + 1, data.corpus.length) : null;
  post({ type: "started", config: tr.cfg, parameters: tr.model.params.count, corpus: data.name, chars: data.corpus.length,
    vocab: data.corpus.V, threads, optimalBpc: opt, iter: tr.iteration, isolated: self.crossOriginIsolated });
}

function stopLoop() { running = false; loopId++; }

async function run() {
  const id = ++loopId;
  running = true; paused = false; t0 = performance.now();
  let lastEval = performance.now(), lastSample = 0, sum = 0, n = 0, lastPost = performance.now(), lastIter = tr.iteration;
  const B = tr.cfg.batch, S = tr.cfg.seq;
  while (running && id === loopId) {
    while (between.length) await between.shift()();
    if (paused) { await new Promise((r) => setTimeout(r, 50)); continue; }
    const chunkStart = performance.now();
    try {
      while (performance.now() - chunkStart < 100) { sum += await tr.step(); n++; }
    } catch (e) { fail(e); running = false; return; }
    const now = performance.now();
    if (now - lastPost > 250) {
      post({ type: "progress", iter: tr.iteration, bpc: sum / n / Math.LN2, charsPerSec: ((tr.iteration - lastIter) * B * S) / ((now - lastPost) / 1000),
        time: elapsed0 + (now - t0) / 1000 });
      sum = 0; n = 0; lastPost = now; lastIter = tr.iteration;
    }
    if (now - lastSample > 3000) { postSample(200); lastSample = now; }
    if (now - lastEval > 5000) { postEval(); lastEval = performance.now(); }
    await new Promise((r) => setTimeout(r, 0)); // let pause, sample and download requests in
  }
}

function postEval() {
  const valid = data.corpus.valid;
  if (valid.length < 17) return;
  const bpc = evaluateBpc(tr.model, valid, 16, 100);
  post({ type: "eval", iter: tr.iteration, valBpc: bpc });
}

function postSample(length) {
  const prime = data.corpus.encode(data.corpus.has("\n") ? "\n" : data.corpus.vocab[0]);
  let text = "";
  sampleIds(tr.model, prime, length, temperature, tr.rng, (id) => { text += data.corpus.vocab[id]; });
  post({ type: "sample", text, temperature });
}

self.onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.type) {
      case "start": await start(m); break;
      case "pause": paused = true; post({ type: "paused", paused: true }); break;
      case "resume": if (tr && !running) run(); paused = false; post({ type: "paused", paused: false }); break;
      case "temperature": temperature = m.value; break;
      case "sample": if (tr) { temperature = m.temperature ?? temperature; postSample(m.length ?? 200); } break;
      case "inspect": await exclusive(() => {
        if (!tr) return;
        if (tr.model.kind !== "dnc") throw new Error("the memory view needs a DNC");
        const ids = data.corpus.encode(m.prime);
        if (ids.length === 0) throw new Error("type a text for the memory to read");
        post({ type: "inspect", steps: inspectText(tr.model, ids), chars: Array.from(m.prime), N: tr.model.N, R: tr.model.RH });
      }); break;
      case "checkpoint": await exclusive(async () => {
        if (!tr) return;
        const bytes = trainerCheckpoint(tr, data.id, elapsed0 + (performance.now() - t0) / 1000, await tr.carriedState());
        // the canonical single-stream validation BPC of exactly these weights: what `dnc eval` prints for this file
        const valBpc = data.corpus.valid.length > 1 ? evaluateBpc(tr.model, data.corpus.valid, 1, 100) : null;
        post({ type: "checkpoint", bytes: bytes.buffer, name: `${tr.cfg.model}-${tr.iteration}.safetensors`, iter: tr.iteration, valBpc }, [bytes.buffer]);
      }); break;
      case "load": {
        // a checkpoint: resume it (with its training state) or start from its weights, on the current text
        const ck = parseCheckpoint(new Uint8Array(m.bytes));
        stopLoop();
        const text = m.textBytes ? decodeText(new Uint8Array(m.textBytes), m.textName ?? "the file") : null;
        data = loadData(text, m.textName, ck.vocab);
        const cfg = ck.training ? { ...ck.config } : { model: ck.kind, hidden: ck.config.hidden, batch: 16, seq: 50, optimizer: "adam", lr: 2e-3, clip: 5, seed: 1, ...ck.config };
        if (tr) { tr.close?.(); tr = null; }
        const { t, threads } = await makeTrainer(cfg);
        tr = t;
        if (ck.training && ck.training.corpus === data.id) { await tr.setCarriedState(restoreTraining(tr, ck)); elapsed0 = ck.training.elapsed; }
        else loadWeights(tr.model, ck);
        announce(threads);
        postSample(200);
        postEval();
        post({ type: "status", text: `loaded ${m.name} (${ck.kind}, iteration ${tr.iteration}); press Resume to train on` });
        paused = true;
        run();
        post({ type: "paused", paused: true });
        break;
      }
      case "stop": stopLoop(); break;
    }
  } catch (e) { fail(e); }
};
