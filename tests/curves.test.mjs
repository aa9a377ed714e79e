// The plotting scripts: scripts/curves.mjs (learning curves from --json logs, against time or
// iterations, resumed logs joined) and scripts/scale-plot.mjs (the memory-scale benchmark).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tmp } from "./helpers.mjs";

const evalLine = (iter, time, bpc, values) => JSON.stringify({ type: "eval", iter, time, valBpc: bpc, optimalBpc: 0.7,
  breakdown: { bpc, parts: [{ part: "ask values", accuracy: values }] } });

test("curves: one polyline per run and panel; --x iterations; a resumed run's logs joined with +", () => {
  const d = tmp(), a = join(d, "a.jsonl"), b1 = join(d, "b1.jsonl"), b2 = join(d, "b2.jsonl"), out = join(d, "c.svg");
  writeFileSync(a, [evalLine(200, 60, 1.5, 0.1), evalLine(400, 120, 1.2, 0.2)].join("\n") + "\n");
  writeFileSync(b1, evalLine(200, 90, 1.4, 0.1) + "\n");
  writeFileSync(b2, evalLine(400, 180, 1.0, 0.5) + "\n" + evalLine(600, 270, 0.9, 0.8) + "\n");
  const run = (...args) => spawnSync(process.execPath, [join(ROOT, "scripts/curves.mjs"), "--out", out, ...args], { encoding: "utf8" });
  let r = run("--x", "iterations", `${a}=A`, `${b1}+${b2}=B resumed`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 runs, up to 0\.6 k it/);
  const svg = readFileSync(out, "utf8");
  const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1].split(" ").length);
  assert.deepEqual(lines, [2, 3, 2, 3], "BPC and values panels, runs A (2 evaluations) and B (1 + 2)");
  assert.match(svg, /k it<\/text>/);
  assert.match(svg, />B resumed</);
  r = run(`${a}=A`);
  assert.match(r.stdout, /1 runs, up to 2\.0 min/);
  assert.equal(run("--x", "steps", `${a}=A`).status, 2);
});

test("scale-plot: both models' speed and peak memory against N; sizes that were not run are marked", () => {
  const d = tmp(), f = join(d, "scale.json"), out = join(d, "s.svg");
  const rows = [
    { model: "dnc", N: 64, stepSeconds: 0.1, charsPerSec: 8000, peakMiB: 30 }, { model: "sam", N: 64, stepSeconds: 0.1, charsPerSec: 7000, peakMiB: 14 },
    { model: "dnc", N: 1024, stepSeconds: 10, charsPerSec: 80, peakMiB: 3500 }, { model: "sam", N: 1024, stepSeconds: 0.14, charsPerSec: 5700, peakMiB: 18 },
    { model: "dnc", N: 4096, skipped: "needs 53.7 GiB" }, { model: "sam", N: 4096, stepSeconds: 0.24, charsPerSec: 3300, peakMiB: 30 },
  ];
  const lsh = [{ model: "sam-lsh", N: 1024, stepSeconds: 0.1, charsPerSec: 8000, peakMiB: 18, rowsPerRead: 400 }, { model: "sam-lsh", N: 4096, stepSeconds: 0.12, charsPerSec: 6600, peakMiB: 31, rowsPerRead: 500 }];
  writeFileSync(f, JSON.stringify({ hidden: 64, wordSize: 32, readHeads: 4, batch: 16, seq: 50, sparse: 8, rows }));
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/scale-plot.mjs"), f, "--out", out], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /dnc 2 sizes, sam 3 sizes/);
  const svg = readFileSync(out, "utf8");
  assert.equal([...svg.matchAll(/<polyline/g)].length, 4);
  assert.equal([...svg.matchAll(/<circle/g)].length, 10);
  assert.match(svg, /dense: needs 53.7 GiB/);
  // with the LSH rows: a third series
  writeFileSync(f, JSON.stringify({ hidden: 64, wordSize: 32, readHeads: 4, batch: 16, seq: 50, sparse: 8, rows: [...rows, ...lsh] }));
  const r2 = spawnSync(process.execPath, [join(ROOT, "scripts/scale-plot.mjs"), f, "--out", out], { encoding: "utf8" });
  assert.match(r2.stdout, /dnc 2 sizes, sam 3 sizes, sam-lsh 2 sizes/);
  assert.equal([...readFileSync(out, "utf8").matchAll(/<polyline/g)].length, 6);
  assert.match(readFileSync(out, "utf8"), /LSH index/);
  writeFileSync(f, "{}");
  assert.equal(spawnSync(process.execPath, [join(ROOT, "scripts/scale-plot.mjs"), f, "--out", out]).status, 2);
});
