// The CLI end to end: user errors, resume, init, sample, eval, gradcheck.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readFileSync, existsSync, readdirSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { dnc, tmp, jsonLines } from "./helpers.mjs";

const dir = tmp();
const text = join(dir, "text.txt");
writeFileSync(text, "It was the best of times, it was the worst of times, it was the age of wisdom.\n".repeat(40));
const small = ["--hidden", "16", "--batch", "4", "--seq", "10"];

test("user errors: one line on stderr, exit code 2, no stack trace", () => {
  const empty = join(dir, "empty.txt"); writeFileSync(empty, "");
  const short = join(dir, "short.txt"); writeFileSync(short, "abc");
  const bin = join(dir, "bin.dat"); writeFileSync(bin, Buffer.from([1, 2, 0, 3, 4]));
  const notCk = join(dir, "not.safetensors"); writeFileSync(notCk, "this is not a checkpoint at all");
  const cases = [
    [["train", "--data", join(dir, "missing.txt")], /no such file/],
    [["train", "--data", empty], /is empty/],
    [["train", "--data", short], /needs at least \d+/],
    [["train", "--data", bin], /binary/],
    [["train", "--hidden", "0"], /--hidden.*integer ≥ 1/],
    [["train", "--hidden", "12x"], /--hidden/],
    [["train", "--lr", "abc"], /--lr/],
    [["train", "--model", "gru"], /Allowed choices/],
    [["sample", "--checkpoint", notCk], /not a safetensors file|exceeds the file/],
    [["sample", "--checkpoint", join(dir, "nope.safetensors")], /no such file/],
    [["eval", "--checkpoint", text], /safetensors|exceeds/],
    [["train", "--bogus"], /unknown option/],
    [["train", "--lr-decay-every", "100"], /need --lr-decay/],
    [["train", "--lr-decay", "1.5"], /--lr-decay must be in \(0, 1\]/],
    [["task", "copy", "--lr-decay-after", "5"], /need --lr-decay/],
  ];
  for (const [args, re] of cases) {
    const r = dnc(args[0] === "train" ? [...args, "--iters", "1"] : args);
    assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code}\n${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.match(lines[0], /^dnc: error: /);
    assert.match(lines[0], re);
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
  }
});

test("train --save refuses to overwrite a file that is not a checkpoint, and leaves it intact", () => {
  const victim = join(dir, "notes.txt");
  writeFileSync(victim, "precious");
  const r = dnc(["train", "--data", text, ...small, "--iters", "2", "--save", victim]);
  assert.equal(r.code, 2);
  assert.equal(readFileSync(victim, "utf8"), "precious");
  const r2 = dnc(["train", "--data", text, ...small, "--iters", "2", "--save", join(dir, "no/such/dir/x.safetensors")]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /does not exist/);
});

test("--resume continues exactly: the same losses as an uninterrupted run", () => {
  const common = ["train", "--data", text, ...small, "--print-every", "1", "--eval-every", "1000", "--json"];
  const full = jsonLines(dnc([...common, "--iters", "30"]).stdout).filter((l) => l.type === "progress");
  const ck = join(dir, "resume.safetensors");
  const a = dnc([...common, "--iters", "15", "--save", ck]);
  assert.equal(a.code, 0, a.stderr);
  const b = dnc([...common, "--iters", "30", "--resume", ck, "--save", ck]);
  assert.equal(b.code, 0, b.stderr);
  const resumed = jsonLines(b.stdout).filter((l) => l.type === "progress");
  assert.equal(full.length, 30);
  assert.deepEqual(resumed.map((l) => l.iter), full.slice(15).map((l) => l.iter));
  assert.deepEqual(resumed.map((l) => l.bpc), full.slice(15).map((l) => l.bpc)); // bit for bit
  // a conflicting structural flag is refused
  const c = dnc([...common, "--iters", "40", "--resume", ck, "--hidden", "32"]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /conflicts with the checkpoint/);
  // a different text is refused
  const other = join(dir, "other.txt");
  writeFileSync(other, readFileSync(text, "utf8").replace(/best/g, "west"));
  const d = dnc([...common, "--iters", "40", "--resume", ck, "--data", other]);
  assert.equal(d.code, 2);
  assert.match(d.stderr, /different text/);
});

test("same seed and flags give the same losses; checkpoints are written atomically", () => {
  const args = ["train", "--data", text, ...small, "--iters", "8", "--print-every", "2", "--json", "--seed", "5"];
  const x = jsonLines(dnc(args).stdout).filter((l) => l.type === "progress").map((l) => l.bpc);
  const y = jsonLines(dnc(args).stdout).filter((l) => l.type === "progress").map((l) => l.bpc);
  assert.deepEqual(x, y);
  const z = jsonLines(dnc([...args.slice(0, -1), "6"]).stdout).filter((l) => l.type === "progress").map((l) => l.bpc);
  assert.notDeepEqual(x, z);
  const d2 = tmp();
  const r = dnc(["train", "--data", text, ...small, "--iters", "4", "--save", join(d2, "m.safetensors"), "--save-every", "2"]);
  assert.equal(r.code, 0);
  assert.deepEqual(readdirSync(d2), ["m.safetensors"]); // no temp file left behind
});

test("--init starts from a checkpoint's weights; a checkpoint of another kind is refused", () => {
  const ck = join(dir, "init.safetensors");
  assert.equal(dnc(["train", "--data", text, ...small, "--iters", "200", "--lr", "0.01", "--save", ck]).code, 0);
  const args = ["train", "--data", text, "--batch", "4", "--seq", "10", "--iters", "1", "--print-every", "1", "--json"];
  const fresh = jsonLines(dnc(args).stdout).find((l) => l.type === "progress").bpc;
  const init = jsonLines(dnc([...args, "--init", ck]).stdout);
  const first = init.find((l) => l.type === "progress").bpc;
  assert.equal(init[0].config.hidden, 16); // taken from the checkpoint
  assert.ok(first < fresh - 0.5, `initialised ${first} vs fresh ${fresh}`);
  const r = dnc([...args, "--init", ck, "--model", "rnn"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /holds a lstm model, not rnn/);
  const s = dnc(["train", "--data", text, ...small, "--iters", "2", "--resume", ck.replace("init", "nothing")]);
  assert.equal(s.code, 2);
});

test("sample streams text from the vocabulary; prime outside the vocabulary is refused", () => {
  const ck = join(dir, "init.safetensors");
  if (!existsSync(ck)) assert.equal(dnc(["train", "--data", text, ...small, "--iters", "30", "--save", ck]).code, 0);
  const r = dnc(["sample", "--checkpoint", ck, "--length", "200", "--prime", "It was", "--seed", "3", "--temperature", "0.8"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith("It was"));
  assert.equal(Array.from(r.stdout).length, 6 + 200 + 1);
  const allowed = new Set(Array.from(readFileSync(text, "utf8")));
  for (const ch of r.stdout.slice(0, -1)) assert.ok(allowed.has(ch), JSON.stringify(ch));
  const again = dnc(["sample", "--checkpoint", ck, "--length", "200", "--prime", "It was", "--seed", "3", "--temperature", "0.8"]);
  assert.equal(again.stdout, r.stdout);
  const bad = dnc(["sample", "--checkpoint", ck, "--prime", "Zebra"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /"Z".*not in the model's vocabulary/);
  const t0 = dnc(["sample", "--checkpoint", ck, "--temperature", "0"]);
  assert.equal(t0.code, 2);
});

test("eval prints BPC by the evaluation rule, for any stream count", () => {
  const ck = join(dir, "init.safetensors");
  const one = JSON.parse(dnc(["eval", "--checkpoint", ck, "--data", text, "--json"]).stdout);
  const four = JSON.parse(dnc(["eval", "--checkpoint", ck, "--data", text, "--batch", "4", "--json"]).stdout);
  assert.ok(one.bpc > 0 && one.bpc < 8);
  assert.ok(Math.abs(one.bpc - four.bpc) < 0.5); // segments restart from zero state, so close but not equal
  const all = JSON.parse(dnc(["eval", "--checkpoint", ck, "--data", text, "--split", "all", "--json"]).stdout);
  assert.equal(all.chars, readFileSync(text, "utf8").length);
  const foreign = join(dir, "foreign.txt");
  writeFileSync(foreign, "QQQQ QQQQ");
  const r = dnc(["eval", "--checkpoint", ck, "--data", foreign]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not in the model's vocabulary/);
});

test("gradcheck command prints the table and exits 0 for rnn and lstm", () => {
  for (const model of ["rnn", "lstm"]) {
    const r = dnc(["gradcheck", "--model", model]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`${model}\\.weight_hh`));
    assert.match(r.stdout, /PASS: max relative error/);
  }
  const strict = dnc(["gradcheck", "--model", "rnn", "--tolerance", "1e-16"]);
  assert.equal(strict.code, 1);
  assert.match(strict.stdout, /FAIL/);
});

test("a non-finite loss stops training with a clear message and keeps the last checkpoint", () => {
  const d = tmp(), ck = join(d, "nf.safetensors");
  const r = dnc(["train", "--optimizer", "sgd", "--lr", "3e38", "--clip", "0", "--hidden", "8", "--batch", "4", "--seq", "10",
    "--iters", "50", "--save", ck, "--save-every", "1", "--threads", "1"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^dnc: error: (the (loss|gradient norm) became (Infinity|NaN|-Infinity) at (iteration|update) \d+|\S+ holds a non-finite value at iteration \d+); stopping \(the last good checkpoint stays in .* try a lower learning rate/);
  assert.deepEqual(readdirSync(d), ["nf.safetensors"]); // complete, and no temporary file left
  const s = dnc(["sample", "--checkpoint", ck, "--length", "5"]);
  assert.equal(s.code, 0, s.stderr); // it loads
});
