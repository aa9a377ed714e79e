// Learning, with fixed seeds and bounded iterations (never timed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { dnc, jsonLines, hasAlice, ALICE } from "./helpers.mjs";

test("LSTM on the built-in corpus gets within 0.5 BPC of the optimum in 800 iterations", () => {
  // The remaining gap is mostly the facts to remember (values of names defined
  // hundreds of characters earlier, the running count): what the DNC is for.
  const r = dnc(["train", "--iters", "800", "--eval-every", "800", "--json", "--seed", "1"]);
  assert.equal(r.code, 0, r.stderr);
  const ev = jsonLines(r.stdout).filter((l) => l.type === "eval").at(-1);
  assert.ok(ev.optimalBpc > 0.6 && ev.optimalBpc < 0.8);
  assert.ok(ev.valBpc < ev.optimalBpc + 0.5, `validation ${ev.valBpc} vs optimal ${ev.optimalBpc}`);
  assert.ok(ev.valBpc > ev.optimalBpc, "no model beats the entropy rate");
});

test("LSTM on alice29.txt falls well below the unigram entropy (4.57 bits)", { skip: hasAlice ? false : "../shared/data/alice29.txt is not here" }, () => {
  const r = dnc(["train", "--data", ALICE, "--iters", "500", "--lr", "0.005", "--eval-every", "500", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const ev = jsonLines(r.stdout).filter((l) => l.type === "eval").at(-1);
  assert.ok(ev.valBpc < 3.5, `validation ${ev.valBpc} BPC`);
});

test("DNC on the built-in corpus falls below 1.4 BPC (optimal 0.71) in 800 iterations", () => {
  const r = dnc(["train", "--model", "dnc", "--hidden", "64", "--memory", "16", "--word", "16", "--reads", "2",
    "--batch", "16", "--seq", "25", "--iters", "800", "--eval-every", "800", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const ev = jsonLines(r.stdout).filter((l) => l.type === "eval").at(-1);
  assert.ok(ev.valBpc < 1.4, `validation ${ev.valBpc}`);
  assert.ok(ev.valBpc > ev.optimalBpc);
});
