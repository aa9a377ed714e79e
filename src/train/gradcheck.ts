// Gradient check in float64: the model runs on the f64 build of the kernels
// (the scalar references), its analytic gradient is compared with a
// fourth-order central difference, (8(f(θ+h) − f(θ−h)) − (f(θ+2h) − f(θ−2h))) / 12h,
// whose truncation error is O(h⁴), so that the relative errors measure the
// backward pass rather than the finite difference.
import { Backend } from "../runtime/backend.js";
import { RecurrentModel, ModelKind } from "../models/recurrent.js";
import { Rng } from "./rng.js";

export interface GradcheckOptions {
  model: ModelKind;
  hidden?: number;
  vocab?: number;
  batch?: number;
  seq?: number;
  /** Entries sampled per tensor (all of them when the tensor is smaller). */
  samples?: number;
  seed?: number;
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

export async function gradcheck(o: GradcheckOptions): Promise<GradcheckResult> {
  const H = o.hidden ?? 5, V = o.vocab ?? 7, B = o.batch ?? 2, S = o.seq ?? 4;
  const samples = o.samples ?? 24, tol = o.tolerance ?? 1e-6, h = 1e-4;
  const rng = new Rng(o.seed ?? 1);
  const be = await Backend.create("f64");
  const m = new RecurrentModel(be, o.model, V, H);
  m.init(rng);
  // non-trivial biases too, so that every term of the backward is exercised
  for (const s of m.params.slots) if (s.name.endsWith("bias")) {
    const v = m.params.view(s.name);
    for (let i = 0; i < v.length; i++) v[i] += rng.uniform(-0.5, 0.5);
  }
  m.paramsChanged();
  const ws = m.workspace(B, S);
  for (let i = 0; i < S * B; i++) { be.I32[(ws.ids >> 2) + i] = rng.int(V); be.I32[(ws.tgt >> 2) + i] = rng.int(V); }
  // a carried-in state, as after an earlier window
  for (const st of m.stateTensors(ws)) {
    for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) be.F[st.off / be.elem + b * st.ld + j] = rng.uniform(-0.8, 0.8);
  }
  const lossAt = (): number => { m.paramsChanged(); m.forward(ws, S); return m.loss(ws, S, false) / (S * B); };

  m.forward(ws, S);
  m.loss(ws, S, true);
  m.grads.zero();
  m.backward(ws, S);

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
      const f = (d: number) => { p[i] = x + d; return lossAt(); };
      const num = (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
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
