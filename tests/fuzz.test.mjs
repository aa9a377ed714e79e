// A seeded subset of the checkpoint fuzz (the full run: node scripts/fuzz-checkpoints.mjs):
// every mutated LSTM, DNC or SAM checkpoint gives a result or a refusal in one line, never a
// stack trace, a hang or a blow-up — in-process, and through the CLI for a share of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzz } from "../scripts/fuzz-checkpoints.mjs";

test("mutated checkpoints: sample, eval and resume refuse them in one line or work", { timeout: 120_000 }, async () => {
  const failures = await fuzz({ cases: 1000, cli: 30, seed: 7 });
  assert.deepEqual(failures, [], JSON.stringify(failures.slice(0, 5), null, 1));
});
