// The exact scan's 16-bit copy of the memory (assembly/sam/quant.ts) follows
// the memory wherever the memory changes: the forward's writes, the backward's
// undo, carry()'s redo, a forward rolled back, a reset of one stream or all,
// and state written from outside. After each, once the rows marked stale are
// quantised (as the next scan does first), the records equal ones built
// afresh from the memory; and the bounded scan's losses equal the plain
// scan's (the f32 loss test in sam.test.mjs compares them with MODELS.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readState, writeState } from "../dist/internal.js";
import { randomMemoryModel } from "./helpers.mjs";

const sizes = { hidden: 6, memorySlots: 40, wordSize: 5, readHeads: 3, sparse: 3 };

function recordsFollow(s, what) {
  const { m, ws, be } = s, n = ws.B * m.N * m.quantRecord, fresh = be.allocI32(n / 4), list = be.allocI32(ws.B * (m.N + 1));
  be.k.sam_quant_flush(ws.B, m.N, m.W, ws.M, ws.Q, ws.D); // what the next scan does first
  be.k.sam_quant_build(ws.B, m.N, m.W, ws.M, fresh, list);
  const a = new Uint8Array(be.memory.buffer, ws.Q, n), b = new Uint8Array(be.memory.buffer, fresh, n);
  const bad = a.findIndex((x, i) => x !== b[i]);
  assert.equal(bad, -1, `${what}: record byte ${bad} (row ${Math.floor(bad / m.quantRecord)}) differs from a fresh build`);
}

for (const kind of ["sam", "sdnc"]) {
  test(`${kind}: the exact scan's 16-bit records follow the memory through steps, rollback, resets and written state`, async () => {
    const s = await randomMemoryModel(kind, sizes, "f32", 6, 3, 5), { m, ws } = s;
    assert.ok(ws.Q > 0);
    recordsFollow(s, "new workspace");
    for (let w = 0; w < 4; w++) {
      s.window();
      m.forward(ws, s.S); recordsFollow(s, `forward ${w}`);
      m.loss(ws, s.S, true); m.backward(ws, s.S); recordsFollow(s, `backward ${w}`);
      m.carry(ws, s.S); recordsFollow(s, `carry ${w}`);
    }
    s.window(); m.forward(ws, s.S); m.carry(ws, 2); recordsFollow(s, "carry of 2 of 5 steps");
    s.window(); m.forward(ws, s.S); m.resetState(ws, 1); recordsFollow(s, "rollback and reset of stream 1");
    const st = readState(m, ws);
    for (const x of st) if (x.name === "memory") for (let i = 0; i < x.data.length; i++) x.data[i] = Math.sin(i);
    writeState(m, ws, st); recordsFollow(s, "written state");
    m.resetState(ws); recordsFollow(s, "reset of all streams");
  });
}

test("sam: the bounded scan gives the plain scan's losses bit for bit, scoring fewer rows", async () => {
  const a = await randomMemoryModel("sam", { ...sizes, memorySlots: 300, readHeads: 4, wordSize: 16 }, "f32", 6, 2, 8);
  const b = await randomMemoryModel("sam", { ...sizes, memorySlots: 300, readHeads: 4, wordSize: 16 }, "f32", 6, 2, 8);
  b.m.boundedScan = false;
  for (let w = 0; w < 6; w++) {
    a.window(); b.window();
    const la = [a, b].map((s) => { s.m.forward(s.ws, s.S); const l = s.m.loss(s.ws, s.S, true); s.m.backward(s.ws, s.S); s.m.carry(s.ws, s.S); return l; });
    assert.equal(la[0], la[1], `window ${w}`);
  }
  assert.ok(a.m.scanned < b.m.scanned / 2, `the bounded scan scored ${a.m.scanned} rows, the plain one ${b.m.scanned}`);
});
