// Inspection: what the DNC's memory does at each step of a text (for the web
// page's memory view and notebooks). One stream, from a zero state.
import { DncModel } from "../models/dnc.js";

export interface InspectStep {
  /** Input id at this step. */
  input: number;
  writeWeights: number[];
  readWeights: number[][];
  usage: number[];
  allocation: number[];
  freeGates: number[];
  allocationGate: number;
  writeGate: number;
  /** Per head: (backward, content, forward). */
  readModes: number[][];
  /** Probability the model gives to the next input (NaN at the last step). */
  nextProb: number;
}

export function inspectDnc(m: DncModel, ids: Int32Array): InspectStep[] {
  const ws = m.workspace(1, 1), be = m.be, e = be.elem, { N, RH: R, xi } = m;
  m.resetState(ws);
  const vec = (off: number, n: number) => Array.from(be.F.subarray(off / e, off / e + n));
  const steps: InspectStep[] = [];
  for (let t = 0; t < ids.length; t++) {
    be.I32[ws.ids >> 2] = ids[t];
    m.forward(ws, 1);
    const x = vec(ws.XI, m.X);
    const wr = vec(ws.at(ws.Wr, 1, R * N), R * N);
    be.k.softmax(1, m.V, ws.Y, m.ldV, 1);
    steps.push({
      input: ids[t],
      writeWeights: vec(ws.at(ws.Ww, 1, N), N),
      readWeights: Array.from({ length: R }, (_, i) => wr.slice(i * N, (i + 1) * N)),
      usage: vec(ws.at(ws.U, 1, N), N),
      allocation: vec(ws.A, N),
      freeGates: x.slice(xi.f, xi.f + R),
      allocationGate: x[xi.ga],
      writeGate: x[xi.gw],
      readModes: Array.from({ length: R }, (_, i) => x.slice(xi.pi + 3 * i, xi.pi + 3 * i + 3)),
      nextProb: t + 1 < ids.length ? be.F[ws.Y / e + ids[t + 1]] : NaN,
    });
    m.carry(ws, 1);
  }
  return steps;
}
