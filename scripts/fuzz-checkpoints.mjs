// Seeded mutations of valid LSTM, DNC (text, task, masked) and SAM checkpoints, each fed
// to what reads checkpoints — parse, load + sample, load + evaluate, resume +
// two steps — in-process, and a share of them to the CLI (sample, eval,
// train --resume) as separate processes. Every case must end in a result or
// a DncError (the CLI: exit 0, or exit 2 with one line `dnc: error: …`);
// anything else — another exception, a stack trace, a hang, a signal — is a
// failure, printed with the seed that reproduces it.
//
//   node scripts/fuzz-checkpoints.mjs [--cases 4000] [--cli 200] [--seed 1]   (the full run)
//   npm test runs a seeded subset (tests/fuzz.test.mjs)
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const lib = await import(join(ROOT, "dist/internal.js"));
const { Session, textData, parseCheckpoint, loadModel, sampleText, evaluateText, DncError, Rng } = lib;
const CLI = join(ROOT, "dist/cli/main.js");

/** Runs the fuzz; returns the failures ({ seed, kind, what, error }). */
export async function fuzz({ cases = 4000, cli = 200, seed = 1, log = () => {} } = {}) {
  const text = "let ab = 12;\nthe owl hides.\ncount 7.\nab is 12.\n".repeat(30);
  const data = textData(text);
  const bases = [];
  for (const cfg of [{ model: "lstm", hidden: 8, batch: 2, seq: 6 }, { model: "dnc", hidden: 8, memorySlots: 5, wordSize: 3, readHeads: 2, batch: 2, seq: 6 },
    { model: "dnc", hidden: 8, memorySlots: 4, wordSize: 3, readHeads: 1, batch: 2, task: "copy", taskOptions: { bits: 2, maxLength: 2 } },
    { model: "dnc", hidden: 8, memorySlots: 5, wordSize: 3, readHeads: 2, contentMask: true, batch: 2, seq: 6 },
    { model: "sam", hidden: 8, memorySlots: 12, wordSize: 3, readHeads: 2, sparse: 3, batch: 2, seq: 6 }]) {
    const s = await Session.create(cfg, cfg.task ? {} : { data });
    await s.step(); await s.step();
    bases.push({ name: cfg.task ? "dnc-task" : cfg.contentMask ? "dnc-mask" : cfg.model, bytes: await s.checkpoint() });
    s.close();
  }
  const dir = mkdtempSync(join(tmpdir(), "dnc-fuzz-"));
  writeFileSync(join(dir, "text.txt"), text);
  const failures = [];
  let cliLeft = cli;
  const cliEvery = Math.max(1, Math.floor(cases / Math.max(cli, 1)));
  try {
    for (let c = 0; c < cases; c++) {
      const rng = new Rng(seed * 100003 + c), base = bases[c % bases.length];
      const { bytes, what } = mutate(base.bytes, rng);
      const fail = (kind, error) => failures.push({ seed, case: c, base: base.name, what, kind, error: String(error?.stack ?? error).split("\n").slice(0, 3).join(" | ") });
      try { await readers(bytes, data); } catch (e) { fail("library", e); }
      if (cli && cliLeft > 0 && c % cliEvery === 0) {
        cliLeft--;
        const f = join(dir, `c${c}.safetensors`);
        writeFileSync(f, bytes);
        for (const args of [["sample", "--checkpoint", f, "--length", "20"], ["eval", "--checkpoint", f, "--data", join(dir, "text.txt")],
          ["train", "--resume", f, "--data", join(dir, "text.txt"), "--iters", "4", "--threads", "1"]]) {
          const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 30_000, maxBuffer: 1 << 20 });
          const lines = r.stderr.trim() ? r.stderr.trim().split("\n") : [];
          const ok = (r.status === 0 && lines.length === 0) || (r.status === 2 && lines.length === 1 && /^dnc: error: /.test(lines[0]));
          if (!ok) fail(`cli ${args[0]}`, `exit ${r.status}${r.signal ? ` (${r.signal})` : ""}: ${r.stderr.slice(0, 300)}`);
        }
      }
      if ((c + 1) % 500 === 0) log(`${c + 1} cases, ${failures.length} failures`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
  return failures;
}

/** Everything that reads a checkpoint, in-process; a DncError is an accepted refusal. */
async function readers(bytes, data) {
  const refuse = (e) => { if (!(e instanceof DncError)) throw e; };
  let ck;
  try { ck = parseCheckpoint(bytes); } catch (e) { refuse(e); return; }
  try {
    const m = await loadModel(ck);
    if (!ck.config.task) {
      const s = sampleText(m, { length: 20 });
      if (Array.from(s).length !== 20 || ![...s].every((ch) => ck.vocab.includes(ch))) throw new Error(`sample out of the vocabulary: ${JSON.stringify(s)}`);
      const d = textData(data.corpus.text, { vocab: ck.vocab });
      const r = evaluateText(m.model, d);
      if (!Number.isFinite(r.bpc)) throw new Error(`evaluation gave ${r.bpc}`);
    }
  } catch (e) { refuse(e); }
  try {
    const s = await Session.resume(ck, ck.config.task ? {} : { data: textData(data.corpus.text, { vocab: ck.vocab }) });
    try {
      for await (const ev of s.run({ iters: s.iteration + 2 })) {
        if (ev.type === "stopped" && ev.reason !== "nonFinite") throw new Error(`stopped: ${ev.reason}`);
      }
    } finally { s.close(); }
  } catch (e) { refuse(e); }
}

/** One seeded mutation of a valid checkpoint, and what it was. */
export function mutate(valid, rng) {
  const bytes = valid.slice();
  const dv = new DataView(bytes.buffer);
  if (bytes.length < 8) return { bytes, what: "shorter than 8 bytes" };
  const hlen = Number(dv.getBigUint64(0, true));
  // an already mutated file may have no header to edit: then only its bytes change
  let header;
  try { header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hlen))); if (typeof header !== "object" || !header?.__metadata__) throw 0; } catch { header = undefined; }
  const names = header ? Object.keys(header).filter((k) => k !== "__metadata__") : [];
  const pick = (a) => a[rng.int(a.length)];
  const odd = () => pick([null, -1, 0, 1.5, 1e9, 2 ** 53, "7", "abc", [], {}, true, NaN, -0]);
  const rebuild = (h, data = bytes.subarray(8 + hlen)) => {
    const hb = new TextEncoder().encode(JSON.stringify(h));
    const out = new Uint8Array(8 + hb.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
    out.set(hb, 8); out.set(data, 8 + hb.length);
    return out;
  };
  const md = () => ({ ...header.__metadata__ });
  const kind = header && names.length ? rng.int(9) : rng.int(3);
  try { return apply(); } catch { return { bytes, what: "unchanged (the mutation did not apply to an already mutated file)" }; }
  function apply() {
  switch (kind) {
    case 0: { const n = rng.int(bytes.length); return { bytes: bytes.subarray(0, n), what: `truncated to ${n} bytes` }; }
    case 1: {
      const k = 1 + rng.int(8), at = [];
      for (let i = 0; i < k; i++) { const p = rng.int(bytes.length); bytes[p] ^= 1 << rng.int(8); at.push(p); }
      return { bytes, what: `bits flipped at ${at.join(",")}` };
    }
    case 2: {
      const v = pick([0n, 1n, 7n, BigInt(hlen + 1), BigInt(bytes.length), 2n ** 40n, 2n ** 63n]);
      dv.setBigUint64(0, v, true);
      return { bytes, what: `header length ${v}` };
    }
    case 3: {
      const n = pick(names), e = header[n];
      const change = rng.int(4);
      if (change === 0) e.dtype = pick(["F16", "BF16", "F64", "I32", "U8", "f32", 7, null]);
      else if (change === 1) e.shape = pick([[], [0], [-1], [1e9], [2 ** 31, 2], [...e.shape, 1], e.shape.slice(1), "3", [1.5]]);
      else if (change === 2) e.data_offsets = pick([[0, 4], [e.data_offsets[1], e.data_offsets[0]], [0, 1e12], [-4, 0], [e.data_offsets[0] + 4, e.data_offsets[1] + 4], "x"]);
      else delete header[n];
      return { bytes: rebuild(header), what: `tensor ${n}: ${["dtype", "shape", "offsets", "removed"][change]} → ${JSON.stringify(e)}` };
    }
    case 4: {
      const m = md(), config = JSON.parse(m.config), keys = Object.keys(config), k = pick([...keys, "hidden", "batch", "lr", "optimizer"]);
      config[k] = odd();
      m.config = JSON.stringify(config);
      return { bytes: rebuild({ ...header, __metadata__: m }), what: `config.${k} = ${JSON.stringify(config[k])}` };
    }
    case 5: {
      const m = md();
      if (!m.training) { m.vocab = pick(["[]", "[\"a\",\"a\"]", "{}", "\"abc\"", "[\"ab\"]", "null", "[1,2]"]); return { bytes: rebuild({ ...header, __metadata__: m }), what: `vocab = ${m.vocab}` }; }
      const t = JSON.parse(m.training), k = pick([...Object.keys(t), "positions", "rng", "step"]);
      t[k] = pick([odd(), [0, 0, 0, 0], ["1", "2"], [-1, 5], [1e15, 0]]);
      m.training = JSON.stringify(t);
      return { bytes: rebuild({ ...header, __metadata__: m }), what: `training.${k} = ${JSON.stringify(t[k])}` };
    }
    case 6: {
      const m = md(), k = pick(["format", "model", "config", "vocab", "training"]);
      m[k] = pick(["", "{", "dnc-wasm/2", "gru", "[]", "null", "{\"hidden\":1e400}"]);
      return { bytes: rebuild({ ...header, __metadata__: m }), what: `metadata ${k} = ${m[k]}` };
    }
    case 7: {
      const n = pick(names), e = header[n], count = (e.data_offsets[1] - e.data_offsets[0]) / 4;
      if (count === 0) return { bytes, what: "unchanged" };
      const i = rng.int(count), v = pick([NaN, Infinity, -Infinity, 3e38, -3e38, 1e-45]);
      dv.setFloat32(8 + hlen + e.data_offsets[0] + 4 * i, v, true);
      return { bytes, what: `${n}[${i}] = ${v}` };
    }
    default: {
      // several mutations at once
      let b = valid, whats = [];
      for (let i = 0; i < 2; i++) { const r = mutate(b, rng); b = r.bytes; whats.push(r.what); if (b.length < 8) break; }
      return { bytes: b, what: whats.join("; ") };
    }
  }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? Number(process.argv[i + 1]) : d; };
  const t0 = Date.now();
  const failures = await fuzz({ cases: arg("--cases", 4000), cli: arg("--cli", 200), seed: arg("--seed", 1), log: (s) => console.log(s) });
  for (const f of failures.slice(0, 30)) console.log(JSON.stringify(f));
  console.log(`${failures.length} failures (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  process.exitCode = failures.length ? 1 : 0;
}
