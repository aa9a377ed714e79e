// Shared by the host tests: the built library, the CLI, temp dirs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CLI = join(ROOT, "dist/cli/main.js");
export const ALICE = join(ROOT, "../shared/data/alice29.txt");
export const hasAlice = existsSync(ALICE);

export function tmp() { return mkdtempSync(join(tmpdir(), "dnc-test-")); }

/** Runs the CLI; returns { code, stdout, stderr }. */
export function dnc(args, opts = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 300_000, ...opts });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** JSON lines of a --json run. */
export function jsonLines(stdout) {
  return stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

/**
 * A memory model of `kind` with random weights in ±0.8, its B×S workspace, its parameters as plain
 * arrays (for a literal reference), and `window()`, which writes random ids and targets into the workspace.
 */
export async function randomMemoryModel(kind, sizes, precision, V, B, S) {
  const { Backend, createModel, Rng } = await import("../dist/internal.js");
  const be = await Backend.create(precision);
  const m = createModel(be, kind, V, sizes);
  const rng = new Rng(11);
  m.init(rng);
  for (const s of m.params.slots) { const v = m.params.view(s.name); for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-0.8, 0.8); }
  m.paramsChanged();
  const ws = m.workspace(B, S);
  const P = Object.fromEntries(m.params.slots.map((s) => [s.name, Array.from(m.params.view(s.name))]));
  const window = () => {
    const ids = Array.from({ length: S * B }, () => rng.int(V)), tgt = Array.from({ length: S * B }, () => rng.int(V));
    be.I32.set(ids, ws.ids >> 2); be.I32.set(tgt, ws.tgt >> 2);
    return { ids, tgt };
  };
  return { be, m, ws, P, window, V, B, S, rng };
}

/** A checkpoint's bytes with some metadata strings replaced (the header re-padded), and the header it had. */
export function remadeCheckpoint(bytes, md) {
  const hdrLen = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hdrLen)));
  const h = new TextEncoder().encode(JSON.stringify({ ...header, __metadata__: { ...header.__metadata__, ...md } }));
  const pad = (8 - (h.length % 8)) % 8, out = new Uint8Array(8 + h.length + pad + bytes.length - 8 - hdrLen);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length + pad), true);
  out.set(h, 8); out.fill(32, 8 + h.length, 8 + h.length + pad); out.set(bytes.subarray(8 + hdrLen), 8 + h.length + pad);
  return out;
}

/** The metadata of a checkpoint's bytes. */
export function checkpointMetadata(bytes) {
  const hdrLen = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hdrLen))).__metadata__;
}

/**
 * For `windows` windows: a training step on a (textStep) and a forward pass, a second forward (which first undoes
 * the pending one) and carry() on b, from the same ids, leave the same loss and every carried state tensor alike.
 * `after(a)` runs after each window's comparison (a model's own invariants).
 */
export async function checkStepCarries(a, b, windows, after = () => {}) {
  const { textStep } = await import("../dist/internal.js");
  const { default: assert } = await import("node:assert/strict");
  for (let w = 0; w < windows; w++) {
    const { ids, tgt } = a.window();
    b.be.I32.set(ids, b.ws.ids >> 2); b.be.I32.set(tgt, b.ws.tgt >> 2);
    textStep(a.m, a.ws, Int32Array.from(ids), Int32Array.from(tgt), []);
    b.m.forward(b.ws, b.S);
    const first = b.m.loss(b.ws, b.S, false);
    b.m.forward(b.ws, b.S);
    assert.equal(b.m.loss(b.ws, b.S, false), first);
    b.m.carry(b.ws, b.S);
    for (const st of a.m.stateTensors(a.ws)) {
      const o = b.m.stateTensors(b.ws).find((x) => x.name === st.name);
      assert.deepEqual(Array.from(a.be.view(st.off, a.B * st.ld)), Array.from(b.be.view(o.off, b.B * o.ld)), st.name);
    }
    after(a);
  }
}

/**
 * A text session of `cfg` resumed from the checkpoint of its third step continues with the uninterrupted run's
 * losses; the same checkpoint with `corrupt(tensors)` applied is refused with a CheckpointError matching `refused`.
 */
export async function checkExactResume(cfg, corrupt, refused) {
  const { Session, textData, parseCheckpoint, CheckpointError } = await import("../dist/internal.js");
  const { default: assert } = await import("node:assert/strict");
  const text = textData("let ab = 12;\ncount 3.\nab is 12.\n".repeat(60), { name: "t" });
  const a = await Session.create(cfg, { data: text });
  const losses = [];
  let mid;
  for (let i = 0; i < 6; i++) { losses.push((await a.step()).loss); if (i === 2) mid = await a.checkpoint(); }
  const b = await Session.resume(parseCheckpoint(mid), { data: text });
  const rest = [];
  for (let i = 0; i < 3; i++) rest.push((await b.step()).loss);
  assert.ok(losses.every(Number.isFinite));
  assert.deepEqual(rest, losses.slice(3));
  const ck = parseCheckpoint(mid);
  corrupt(ck.tensors);
  await assert.rejects(Session.resume(ck, { data: text }), (e) => e instanceof CheckpointError && refused.test(e.message));
  a.close(); b.close();
}

/** A `kind` (sam, sdnc) trained 20 iterations with N slots, K per read, R heads, then `dnc inspect --json` over a 20-character prime: its steps and the checkpoint. */
export function inspectedSteps(kind, N, K, R) {
  const ck = join(tmp(), "s.safetensors");
  const t = dnc(["train", "--model", kind, "--hidden", "12", "--memory", String(N), "--word", "6", "--reads", String(R), "--sparse", String(K),
    "--batch", "2", "--seq", "20", "--iters", "20", "--threads", "1", "--save", ck]);
  if (t.code !== 0) throw new Error(t.stderr);
  const r = dnc(["inspect", "--checkpoint", ck, "--prime", "let ab = 12;\nab is 1", "--json"]);
  if (r.code !== 0) throw new Error(r.stderr);
  return { steps: JSON.parse(r.stdout).steps, ck };
}
