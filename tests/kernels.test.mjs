// The two builds and the host agree on what crosses the boundary: the same
// exports with the same signatures in the f32 and f64 entry files (both are
// written by hand, so this test is what keeps them twins), the interface
// layout, and the limits the host checks sizes against.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";
import { Backend, interfaceLayout, createModel } from "../dist/internal.js";

/** The generated declarations of a build's exports (names, parameter names and wasm types), its path normalised. */
const exportsOf = (t) => readFileSync(join(ROOT, `src/wasm/kernels_${t}.d.ts`), "utf8")
  .replaceAll(`assembly/index_${t}/`, "assembly/index/").split("\n").filter((l) => /^\s+(export |\* @param|\* @returns)/.test(l));

test("index_f32.ts and index_f64.ts export the same kernels with the same signatures", () => {
  const f32 = exportsOf("f32"), f64 = exportsOf("f64");
  assert.ok(f32.filter((l) => l.includes("export function")).length > 40, `${f32.length} lines`);
  assert.deepEqual(f32, f64);
});

test("the host's interface layout is the kernels' (every piece, several sizes), and the limits come from the module", async () => {
  for (const prec of ["f32", "f64"]) {
    const be = await Backend.create(prec);
    const names = ["kr", "br", "kw", "bw", "e", "v", "f", "ga", "gw", "pi", "size"];
    for (const [R, W] of [[1, 1], [2, 3], [4, 16], [7, 33]]) {
      const host = interfaceLayout(R, W);
      names.forEach((n, i) => assert.equal(host[n], be.k.dnc_xi_offset(R, W, i), `${prec} R=${R} W=${W} ${n}`));
    }
    const max = Number(be.k.MAX_SLOTS);
    assert.equal(max, 4096);
    assert.throws(() => createModel(be, "dnc", 5, { hidden: 2, memorySlots: max + 1, wordSize: 2, readHeads: 1 }), new RegExp(`at most ${max}`));
  }
});
