#!/usr/bin/env node
// Where a model misses the built-in corpus's ask values: the share right by
// the definition's age (definitions made since it, 1 = the latest), by digit,
// and for the asks whose definition lies before the validation split (a zero
// state cannot know them). One stream from a zero state, as `dnc eval`.
//
//   node scripts/ask-errors.mjs --checkpoint memory.safetensors [--live 8] [--json]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadModel, textData } from "../dist/index.js";
import { evaluateParts, PART, PART_NAMES } from "../dist/internal.js";

const { values: a } = parseArgs({ options: { checkpoint: { type: "string" }, live: { type: "string" }, json: { type: "boolean" } } });
if (!a.checkpoint) { console.error("usage: node scripts/ask-errors.mjs --checkpoint FILE [--live N] [--json]"); process.exit(2); }
const m = await loadModel(new Uint8Array(readFileSync(a.checkpoint)));
const d = textData(undefined, { vocab: m.vocab, builtin: a.live ? { live: Number(a.live) } : {} });
const text = d.builtin.text, from = d.corpus.split;

// every definition's position and age counter: ages count definitions, as the corpus's live list does
const defs = new Map(); // name → { at, index } of its latest definition before a position
const defRe = /let ([a-z]{2}) = \d\d;\n/y;
const defAt = []; // [position, name] in text order
for (let i = 0; i < text.length; i = text.indexOf("\n", i) + 1) {
  defRe.lastIndex = i;
  const mm = defRe.exec(text);
  if (mm) defAt.push([i, mm[1]]);
  if (text.indexOf("\n", i) < 0) break;
}

const right = new Map(); // absolute position → right?
const ids = d.corpus.ids.subarray(from);
evaluateParts(m.model, ids, d.builtin.part.subarray(from), d.builtin.bits.subarray(from), PART_NAMES, 100,
  (i, _nats, ok) => { if (d.builtin.part[from + i] === PART.value) right.set(from + i, ok); });

// walk the text once: the latest definition of each name and how many came after it
const rows = new Map(); // key → [right, total]
const add = (k, ok) => { const r = rows.get(k) ?? [0, 0]; r[0] += ok ? 1 : 0; r[1]++; rows.set(k, r); };
let di = 0, defCount = 0;
for (let i = from; i < text.length; i++) {
  while (di < defAt.length && defAt[di][0] <= i) { defs.set(defAt[di][1], { at: defAt[di][0], index: defCount++ }); di++; }
  if (!right.has(i)) continue;
  const start = text.lastIndexOf("\n", i) + 1, name = text.slice(start, start + 2), def = defs.get(name);
  const digit = i - (start + 6); // "ab is 12": digits at start + 6, start + 7
  const age = defCount - def.index;
  const ok = right.get(i);
  add("all", ok);
  add(`digit ${digit + 1}`, ok);
  if (def.at < from) add("defined before the split", ok);
  else { add(`age ${age}`, ok); add(`distance ${distBucket(i - def.at)}`, ok); }
}
function distBucket(x) { for (const b of [50, 100, 200, 400, 800]) if (x < b) return `< ${b}`; return "≥ 800"; }

const order = [...rows.keys()].sort((p, q) => rank(p) - rank(q) || p.localeCompare(q, "en", { numeric: true }));
function rank(k) { return k === "all" ? 0 : k.startsWith("digit") ? 1 : k.startsWith("defined") ? 2 : k.startsWith("age") ? 3 : 4; }
if (a.json) console.log(JSON.stringify(Object.fromEntries(order.map((k) => [k, { right: rows.get(k)[0], chars: rows.get(k)[1] }]))));
else {
  console.log(`ask values right, ${a.checkpoint} on the validation split (one stream from a zero state)`);
  for (const k of order) { const [r, n] = rows.get(k); console.log(`  ${k.padEnd(26)} ${String(n).padStart(5)}  ${(100 * r / n).toFixed(1).padStart(5)}%`); }
}
