// Gradient check in float64: the model runs on the f64 build of the kernels
// (the scalar references), and its analytic gradient is compared with a
// numerical derivative by Ridders' method: central differences at steps
// shrinking from h (default 0.05) by 1.4 each time, extrapolated to step 0
// (Neville's tableau), keeping the estimate whose own error estimate is
// smallest. No single step serves every entry: one large enough to keep
// round-off (~1e-16 of the loss, divided by the step) below 1e-6 of a small
// gradient is too large for a sharp one (a strong key strength, a saturated
// gate); the extrapolation adapts the step per entry and says how good it is.
// Weights are drawn 3× wider than at training initialisation and biases
// shifted at random, so that every path (gates, strengths, allocation, links)
// carries a gradient well above round-off; the state carried in from an
// earlier window makes memory, links, usage and read weightings non-trivial.
// The DNC's allocation order φ is held at its value at θ during the
// differences: it is a constant of the gradient (MODELS.md), and a difference
// that crossed a change of order would measure a jump, not a derivative.
import { Backend } from "../runtime/backend.js";
import { ModelKind, lossScale } from "../models/model.js";
import { createModel } from "../models/index.js";
import { DncModel } from "../models/dnc.js";
import { SamModel } from "../models/sam.js";
import { Rng } from "./rng.js";
import { ConfigError } from "../errors.js";
import { DNC_SWITCHES } from "../models/dnc.js";

export interface GradcheckOptions {
  model: ModelKind;
  hidden?: number;
  vocab?: number;
  batch?: number;
  seq?: number;
  /** "sigmoid": dense inputs and the bit tasks' masked sigmoid head (vocab = input width, 4 output bits). */
  head?: "softmax" | "sigmoid";
  /** DNC sizes N, W, R. */
  memorySlots?: number;
  wordSize?: number;
  readHeads?: number;
  /** DNC: masked content addressing; de-allocation that erases. */
  contentMask?: boolean;
  eraseFreed?: boolean;
  /** SAM: slots per read head (default 4: a top-K that leaves slots out of 5). */
  sparse?: number;
  /** SAM: the approximate content scan picks the slots (they are then held fixed as the exact scan's are). */
  lsh?: { bits: number; probes: number };
  /** Entries sampled per tensor (all of them when the tensor is smaller). */
  samples?: number;
  seed?: number;
  /** Finite-difference step h. */
  step?: number;
  /** Max relative error allowed. */
  tolerance?: number;
}

export interface GradcheckRow {
  name: string; shape: number[];
  numeric: [number, number]; analytic: [number, number];
  err: { min: number; max: number; mean: number };
  checked: number; skipped: number;
}

export interface GradcheckResult { rows: GradcheckRow[]; pass: boolean; tolerance: number }

/**
 * Analytic against numerical gradients in float64 (the reference build), per parameter tensor, for a
 * model of any kind with a state carried in from an earlier window; the numerical derivative uses
 * Ridders' extrapolation (the DNC's allocation order frozen at θ). `pass` when every relative error is
 * below the tolerance.
 */
export async function gradcheck(o: GradcheckOptions): Promise<GradcheckResult> {
  const H = o.hidden ?? 5, V = o.vocab ?? 7, B = o.batch ?? 2, S = o.seq ?? 4;
  const samples = o.samples ?? 24, tol = o.tolerance ?? 1e-6, h = o.step ?? 0.05;
  for (const [k, what] of DNC_SWITCHES) if (o[k] && o.model !== "dnc") throw new ConfigError(`${k} (${what}) is for the dnc model, not ${o.model}`);
  const rng = new Rng(o.seed ?? 1);
  const be = await Backend.create("f64");
  const sig = o.head === "sigmoid";
  const io = sig ? { input: "dense" as const, inSize: V, output: "sigmoid" as const, outSize: 4 } : V;
  const m = createModel(be, o.model, io, { hidden: H, memorySlots: o.memorySlots ?? 5, wordSize: o.wordSize ?? 3, readHeads: o.readHeads ?? 2, sparse: o.sparse ?? 4,
    ...(o.contentMask ? { contentMask: true } : {}), ...(o.eraseFreed ? { eraseFreed: true } : {}), ...(o.lsh ? { lsh: o.lsh } : {}) });
  m.init(rng);
  for (const s of m.params.slots) {
    const v = m.params.view(s.name), bias = s.name.endsWith("bias");
    for (let i = 0; i < v.length; i++) v[i] = bias ? v[i] + rng.uniform(-0.5, 0.5) : 3 * v[i];
  }
  m.paramsChanged();
  const ws = m.workspace(B, S);
  const randomWindow = () => {
    for (let i = 0; i < S * B; i++) { be.I32[(ws.ids >>> 2) + i] = rng.int(V); be.I32[(ws.tgt >>> 2) + i] = rng.int(V); }
    if (!sig) return;
    const F = be.F, e = be.elem;
    for (let i = 0; i < S * B * V; i++) F[ws.X / e + i] = rng.int(2) ? 1 : rng.uniform(-0.5, 0.5);
    for (let i = 0; i < S * B * 4; i++) F[ws.T / e + i] = rng.int(2);
    for (let i = 0; i < S * B; i++) F[ws.mask / e + i] = i % 3 === 0 ? 0 : 1; // some steps masked out
  };
  // a carried-in state, as after an earlier window: memory, links, usage and
  // read weightings are then non-trivial, and gradients must flow through them
  randomWindow();
  m.forward(ws, S);
  m.carry(ws, S);
  randomWindow();
  const lossAt = (): number => { m.paramsChanged(); m.forward(ws, S); return m.loss(ws, S, false) * lossScale(m, ws, S); };

  m.forward(ws, S);
  m.loss(ws, S, true);
  m.grads.zero();
  m.backward(ws, S);
  // φ is a constant of the gradient (MODELS.md): hold it for the differences too
  // so are the sparse memory's slots: the top-K sets and the least-used slot
  if (m instanceof DncModel) m.sortFrozen = true;
  if (m instanceof SamModel) m.frozen = true;

  const rows: GradcheckRow[] = [];
  let pass = true;
  for (const s of m.params.slots) {
    const p = m.params.view(s.name), g = m.grads.view(s.name);
    const idx = s.size <= samples ? Array.from({ length: s.size }, (_, i) => i) : pickDistinct(rng, s.size, samples);
    const row: GradcheckRow = {
      name: s.name, shape: s.shape, numeric: [Infinity, -Infinity], analytic: [Infinity, -Infinity],
      err: { min: Infinity, max: 0, mean: 0 }, checked: 0, skipped: 0,
    };
    for (const i of idx) {
      const x = p[i];
      // two starting steps: a large one for smooth entries, a 10× smaller one for sharp ones
      const f = (d: number) => { p[i] = x + d; return lossAt(); };
      const r1 = ridders(f, h), r2 = ridders(f, h / 10);
      const num = r1.err <= r2.err ? r1.value : r2.value;
      p[i] = x;
      const ana = g[i];
      row.numeric = [Math.min(row.numeric[0], num), Math.max(row.numeric[1], num)];
      row.analytic = [Math.min(row.analytic[0], ana), Math.max(row.analytic[1], ana)];
      if (Math.abs(num) < 1e-9 && Math.abs(ana) < 1e-9) { row.skipped++; continue; }
      const e = Math.abs(ana - num) / (Math.abs(ana) + Math.abs(num));
      row.checked++;
      row.err.min = Math.min(row.err.min, e);
      row.err.max = Number.isNaN(e) ? NaN : Math.max(row.err.max, e);
      row.err.mean += e;
    }
    m.paramsChanged();
    row.err.mean = row.checked ? row.err.mean / row.checked : 0;
    if (!row.checked) row.err.min = 0;
    if (!(row.err.max <= tol)) pass = false;
    rows.push(row);
  }
  return { rows, pass, tolerance: tol };
}

function pickDistinct(rng: Rng, n: number, k: number): number[] {
  const set = new Set<number>();
  while (set.size < k) set.add(rng.int(n));
  return Array.from(set).sort((a, b) => a - b);
}

/** Ridders' extrapolation of central differences of f at 0, from step h (Numerical Recipes' dfridr). */
export function ridders(f: (d: number) => number, h: number): { value: number; err: number } {
  const CON = 1.4, CON2 = CON * CON, SAFE = 2, NTAB = 12;
  const a: number[][] = Array.from({ length: NTAB }, () => new Array(NTAB).fill(0));
  let hh = h, err = Infinity, ans = NaN;
  a[0][0] = (f(hh) - f(-hh)) / (2 * hh);
  for (let i = 1; i < NTAB; i++) {
    hh /= CON;
    a[0][i] = (f(hh) - f(-hh)) / (2 * hh);
    let fac = CON2;
    for (let j = 1; j <= i; j++) {
      a[j][i] = (a[j - 1][i] * fac - a[j - 1][i - 1]) / (fac - 1);
      fac *= CON2;
      const e = Math.max(Math.abs(a[j][i] - a[j - 1][i]), Math.abs(a[j][i] - a[j - 1][i - 1]));
      if (e <= err) { err = e; ans = a[j][i]; }
    }
    if (Math.abs(a[i][i] - a[i - 1][i - 1]) >= SAFE * err) break;
  }
  return { value: ans, err };
}
