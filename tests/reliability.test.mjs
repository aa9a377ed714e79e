// Signals, pipes and edge inputs: no lost work, no hang.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, dnc, tmp } from "./helpers.mjs";

/** Starts `dnc train`, waits for its first progress line, sends `signal`; resolves with exit code, output and time to exit. */
function trainThenSignal(args, signal) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, "train", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "", sentAt = 0;
    p.stdout.on("data", (d) => {
      out += d;
      if (!sentAt && /iter \d+/.test(out)) { sentAt = Date.now(); p.kill(signal); }
    });
    p.stderr.on("data", (d) => { err += d; });
    p.on("error", reject);
    p.on("close", (code, sig) => resolve({ code, sig, out, err, ms: Date.now() - sentAt }));
  });
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  for (const threads of ["1", "2"]) {
    test(`${signal} on ${threads} thread(s) stops within a second, saves, says so, exits ${code}`, async () => {
      const d = tmp(), ck = join(d, "s.safetensors");
      const r = await trainThenSignal(["--model", "dnc", "--hidden", "32", "--memory", "16", "--batch", "4", "--seq", "100", "--threads", threads,
        "--iters", "1000000", "--print-every", "1", "--eval-every", "1000000", "--save", ck], signal);
      assert.equal(r.code, code, r.err);
      assert.match(r.out, /done: \d+ iterations.*saved .*\(interrupted\)\n$/);
      assert.ok(r.ms < 1500, `${r.ms} ms from the signal to the exit`);
      assert.deepEqual(readdirSync(d), ["s.safetensors"]);
      assert.equal(dnc(["sample", "--checkpoint", ck, "--length", "5"]).code, 0);
    });
  }
}

test("a closed pipe ends sample and train quietly (train still saves)", () => {
  const d = tmp(), ck = join(d, "p.safetensors");
  const t = spawnSync("bash", ["-c", `"${process.execPath}" "${CLI}" train --hidden 16 --batch 4 --seq 10 --threads 1 --iters 10000000 --print-every 1 --save "${ck}" | head -2`],
    { encoding: "utf8", timeout: 60_000 });
  assert.equal(t.status, 0, t.stderr);
  assert.equal(t.stderr, "");
  assert.ok(existsSync(ck));
  const s = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${CLI}" sample --checkpoint "${ck}" --length 1000000000000 | head -c 100 | wc -c`],
    { encoding: "utf8", timeout: 60_000 });
  assert.equal(s.status, 0, s.stderr);
  assert.equal(s.stdout.trim(), "100");
});

test("any temperature > 0 samples; tiny ones give the greedy text", () => {
  const d = tmp(), ck = join(d, "t.safetensors");
  assert.equal(dnc(["train", "--hidden", "16", "--batch", "4", "--seq", "10", "--iters", "60", "--save", ck]).code, 0);
  const greedy = dnc(["sample", "--checkpoint", ck, "--length", "80", "--temperature", "1e-30"]);
  for (const t of ["1e-39", "5e-45", "1e-300"]) {
    const r = dnc(["sample", "--checkpoint", ck, "--length", "80", "--temperature", t, "--seed", "9"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, greedy.stdout, `temperature ${t}`);
  }
});

test("sizes are checked before any allocation; inputs are read with a cap", () => {
  const t0 = Date.now();
  for (const args of [["train", "--batch", "1000000000", "--iters", "1"], ["train", "--model", "dnc", "--memory", "4096", "--word", "64", "--iters", "1"],
    ["train", "--data", "/dev/zero", "--iters", "1"], ["sample", "--checkpoint", "/dev/zero"], ["eval", "--checkpoint", "/dev/urandom"]]) {
    const r = dnc(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^dnc: error: .*(WebAssembly memory|too large|not a safetensors file)/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
  }
  assert.ok(Date.now() - t0 < 30_000, "refusing took too long");
});

test("--save is proven writable before training; stale temporaries of killed saves are removed", () => {
  const r = dnc(["train", "--hidden", "8", "--batch", "2", "--seq", "5", "--iters", "1", "--save", "/proc/dnc-test.safetensors"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^dnc: error: cannot save to \/proc\/dnc-test.safetensors/);
  assert.equal(r.stdout, ""); // nothing trained
  const d = tmp(), ck = join(d, "m.safetensors");
  writeFileSync(`${ck}.tmp-999999999`, "left by a killed save");
  assert.equal(dnc(["train", "--hidden", "8", "--batch", "2", "--seq", "5", "--iters", "2", "--save", ck]).code, 0);
  assert.deepEqual(readdirSync(d), ["m.safetensors"]);
});

test("an update that makes the weights non-finite writes nothing, names the tensor, exits 2 with a hint", () => {
  const d = tmp(), ck = join(d, "n.safetensors");
  const r = dnc(["train", "--model", "lstm", "--hidden", "16", "--optimizer", "adam", "--lr", "3e38", "--iters", "1", "--save", ck]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^dnc: error: lstm\.\S+ holds a non-finite value at iteration 1; stopping — try a lower learning rate/);
  assert.doesNotMatch(r.stderr, /last good checkpoint/); // there is none
  assert.deepEqual(readdirSync(d), []);
});

test("two runs saving to the same path at every step never leave a torn file", async () => {
  const d = tmp(), ck = join(d, "shared.safetensors");
  const run = () => new Promise((ok) => {
    const p = spawn(process.execPath, [CLI, "train", "--hidden", "16", "--batch", "2", "--seq", "5", "--threads", "1", "--iters", "150", "--save", ck, "--save-every", "1"], { stdio: "ignore" });
    p.on("close", ok);
  });
  let done = false;
  const both = Promise.all([run(), run()]).then((codes) => { done = true; return codes; });
  // read while the runs write, however long a loaded machine takes to start them
  let reads = 0;
  while (!done && reads < 40) {
    await new Promise((r) => setTimeout(r, 50));
    if (!existsSync(ck)) continue;
    const s = dnc(["sample", "--checkpoint", ck, "--length", "3"]);
    assert.equal(s.code, 0, s.stderr);
    reads++;
  }
  assert.deepEqual(await both, [0, 0]);
  assert.ok(reads > 0, "the runs ended before their checkpoint could be read");
  assert.deepEqual(readdirSync(d), ["shared.safetensors"]);
});

test("--memory-budget: a size that fits the default is refused under a lower budget, before any work", () => {
  const args = ["train", "--model", "dnc", "--hidden", "16", "--memory", "256", "--word", "8", "--batch", "8", "--seq", "20", "--iters", "1"];
  assert.equal(dnc(args).code, 0);
  const r = dnc([...args, "--memory-budget", "0.02"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^dnc: error: this run needs about .* GiB of WebAssembly memory .* the budget is 0\.02 GiB/);
  assert.equal(r.stdout, "");
});

test("a checkpoint refused after the workers started leaves none behind: the command exits", async () => {
  const { decodeSafetensors, encodeSafetensors } = await import("../dist/internal.js");
  const d = tmp(), ck = join(d, "s.safetensors"), bad = join(d, "bad.safetensors");
  const args = ["--model", "dnc", "--hidden", "8", "--memory", "6", "--word", "4", "--batch", "2", "--seq", "10", "--threads", "2"];
  assert.equal(dnc(["train", ...args, "--iters", "2", "--save", ck]).code, 0);
  const f = decodeSafetensors(new Uint8Array(readFileSync(ck)));
  // carried memory one column short: only the resume's state check (after the pool is up) can see it
  const mem = [...f.tensors.keys()].find((k) => k.endsWith(".memory"));
  const t = f.tensors.get(mem);
  const cols = t.shape.at(-1) - 1, rows = t.data.length / t.shape.at(-1);
  f.tensors.set(mem, { name: mem, shape: [...t.shape.slice(0, -1), cols], data: new Float32Array(rows * cols) });
  writeFileSync(bad, encodeSafetensors([...f.tensors.values()], f.metadata));
  const r = dnc(["train", "--resume", bad, "--threads", "2", "--iters", "4"], { timeout: 30_000 });
  assert.equal(r.code, 2, `exit ${r.code} (null: still running after 30 s) ${r.stderr}`);
  assert.match(r.stderr, /memory/);
});
