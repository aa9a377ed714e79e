// PyTorch both ways (python/dnc_torch.py): our checkpoints evaluate to the same
// BPC in PyTorch for every model, and a two-process DistributedDataParallel
// training (torchrun, gloo) writes a checkpoint our CLI samples from and that
// both sides score alike. Needs a python3 with torch (Debian's python3-torch;
// .ci/run installs it); without one the tests say they are skipped.
import { test } from "node:test";
import { createServer } from "node:net";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, dnc, tmp } from "./helpers.mjs";

const PY = join(ROOT, "python/dnc_torch.py");
const env = { ...process.env, LD_LIBRARY_PATH: "/usr/lib/x86_64-linux-gnu/openblas-openmp", OMP_NUM_THREADS: "1" };
const python = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["-c", "import torch"], { env }).status === 0);
const torchrun = python && ["torchrun", "/usr/bin/torchrun"].find((p) => spawnSync(p, ["--help"], { env }).status === 0);
const skip = python ? false : "no python3 with torch here (apt-get install python3-torch)";

const dir = tmp(), text = join(dir, "t.txt");
writeFileSync(text, "It was the best of times, it was the worst of times;\r\nit was the age of wisdom — ünïcode.\n".repeat(60));
const ours = (ck) => JSON.parse(dnc(["eval", "--checkpoint", ck, "--data", text, "--split", "all", "--batch", "1", "--json"]).stdout).bpc;
const theirs = (ck) => {
  const r = spawnSync(python, [PY, "eval", "--checkpoint", ck, "--data", text], { encoding: "utf8", env, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return Number(/^([\d.]+) BPC$/.exec(r.stdout.trim())[1]);
};

for (const [model, ...extra] of [["rnn"], ["lstm"], ["dnc"], ["dnc", "--content-mask"], ["dnc", "--erase-freed", "--content-mask"], ["sam", "--sparse", "3"]]) {
  test(`${[model, ...extra].join(" ")}: PyTorch gives the BPC that dnc eval gives (1e-4)`, { skip }, () => {
    const ck = join(dir, `${[model, ...extra].join("")}.safetensors`);
    const t = dnc(["train", "--model", model, ...extra, "--data", text, "--hidden", "16", "--memory", "6", "--word", "4", "--reads", "2", "--batch", "4", "--seq", "20", "--iters", "40", "--save", ck]);
    assert.equal(t.code, 0, t.stderr);
    const a = ours(ck), b = theirs(ck);
    assert.ok(Math.abs(a - b) < 1e-4, `dnc eval ${a}, PyTorch ${b}`);
  });
}

// The sparse DNC in float64 on both sides: its top-K sets (content, link rows, precedence, directional reads) are
// discrete, and the f32 kernels' rounding flips near-equal candidates that float64 orders the other way, so the
// f32 CLI and float64 PyTorch part after a few hundred characters; in float64 they agree to rounding.
const ours64 = async (ck) => {
  const { Backend, createModel, loadWeights, Corpus, evaluateBpc } = await import("../dist/internal.js");
  const { parseCheckpoint } = await import("../dist/index.js");
  const { ioFromConfig } = await import("../dist/models/index.js");
  const c = parseCheckpoint(new Uint8Array(readFileSync(ck)));
  const m = createModel(await Backend.create("f64"), c.kind, ioFromConfig(c.config, c.vocab.length), c.config);
  loadWeights(m, c);
  return evaluateBpc(m, new Corpus("", c.vocab).encode(readFileSync(text, "utf8")), 1, 100);
};
for (const extra of [["--sparse", "3"], ["--sparse", "2", "--memory", "20", "--reads", "1"]]) {
  test(`sdnc ${extra.join(" ")}: float64 PyTorch (links, precedence and read modes written densely) gives the BPC our float64 kernels give (1e-9)`, { skip }, async () => {
    const ck = join(dir, `sdnc${extra.join("")}.safetensors`);
    const t = dnc(["train", "--model", "sdnc", "--data", text, "--hidden", "16", "--memory", "6", "--word", "4", "--reads", "2", "--batch", "4", "--seq", "20", "--iters", "40", ...extra, "--save", ck]);
    assert.equal(t.code, 0, t.stderr);
    const a = await ours64(ck), b = theirs(ck);
    assert.ok(Math.abs(a - b) < 1e-9, `ours ${a}, PyTorch ${b}`);
  });
}

/** A port nobody listens on now: torchrun's default (29500) may be taken by another run on the machine. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

test("torchrun, two processes (DDP over gloo): the DNC trains on, and the CLI samples and scores the result", { skip: skip || (torchrun ? false : "no torchrun") }, async () => {
  const init = join(dir, "dnc.safetensors"), out = join(dir, "dnc-torch.safetensors");
  if (!existsSync(init)) assert.equal(dnc(["train", "--model", "dnc", "--data", text, "--hidden", "16", "--memory", "6", "--word", "4", "--batch", "4", "--seq", "20", "--iters", "40", "--save", init]).code, 0);
  // --redirects 1 --tee 1: Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default "0" (an enum change in 3.11)
  const r = spawnSync(torchrun, ["--redirects", "1", "--tee", "1", "--log_dir", join(dir, "torchrun-logs"), "--master_port", String(await freePort()), "--nproc_per_node", "2", PY, "train",
    "--init", init, "--data", text, "--iters", "30", "--batch", "4", "--seq", "20", "--print-every", "10", "--save", out], { encoding: "utf8", env, timeout: 300_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /iter 30, [\d.]+ BPC \(process 0 of 2\)/);
  const s = dnc(["sample", "--checkpoint", out, "--length", "50"]);
  assert.equal(s.code, 0, s.stderr);
  const before = ours(init), after = ours(out);
  assert.ok(after < before, `PyTorch's training did not lower the BPC: ${before} → ${after}`);
  assert.ok(Math.abs(after - theirs(out)) < 1e-4);
});

test("a SAM that reads through the LSH index is refused by the PyTorch module in one line (it has only the exact scan)", { skip }, () => {
  const ck = join(dir, "samlsh.safetensors");
  const t = dnc(["train", "--model", "sam", "--sparse", "3", "--lsh", "2", "--data", text, "--hidden", "16", "--memory", "24", "--word", "4", "--reads", "2", "--batch", "4", "--seq", "20", "--iters", "3", "--save", ck]);
  assert.equal(t.code, 0, t.stderr);
  const r = spawnSync(python, [PY, "eval", "--checkpoint", ck, "--data", text], { encoding: "utf8", env, timeout: 120_000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr.trim(), /^dnc_torch: error: this SAM reads with the LSH index/);
});
