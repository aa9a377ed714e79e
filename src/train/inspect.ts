// Inspection: what the DNC's memory does at each step of a text (for the web
// page's memory view and notebooks). One stream, from a zero state.
import { DncModel, DncWorkspace } from "../models/dnc.js";
import { SamModel, SamWorkspace } from "../models/sam.js";
import { Task } from "../data/tasks.js";
import { Rng } from "./rng.js";

export interface InspectStep {
  /** Input id at this step (character models). */
  input?: number;
  writeWeights: number[];
  readWeights: number[][];
  usage: number[];
  allocation: number[];
  freeGates: number[];
  allocationGate: number;
  writeGate: number;
  /** Per head: (backward, content, forward). */
  readModes: number[][];
  /** Probability the model gives to the next input (character models; NaN at the last step). */
  nextProb?: number;
}

/** A text through a character DNC: the memory per step, and the probability of each next character. */
export function inspectText(m: DncModel, ids: Int32Array): InspectStep[] {
  const be = m.be;
  const steps = inspectDnc(m, ids.length, (ws, t) => { be.I32[ws.ids >>> 2] = ids[t]; });
  steps.forEach((s, t) => {
    s.input = ids[t];
    s.nextProb = t + 1 < ids.length ? s.probs![ids[t + 1]] : NaN;
    delete s.probs;
  });
  return steps;
}

/** n steps of one stream from a zero state; feed(ws, t) writes step t's input into the workspace. */
export function inspectDnc(m: DncModel, n: number, feed: (ws: DncWorkspace, t: number) => void): (InspectStep & { probs?: number[] })[] {
  const ws = m.workspace(1, 1), be = m.be, e = be.elem, { N, RH: R, xi } = m;
  m.resetState(ws);
  const vec = (off: number, k: number) => Array.from(be.F.subarray(off / e, off / e + k));
  const steps: (InspectStep & { probs?: number[] })[] = [];
  for (let t = 0; t < n; t++) {
    feed(ws, t);
    m.forward(ws, 1);
    const x = vec(ws.XI, m.X);
    const wr = vec(ws.at(ws.Wr, 1, R * N), R * N);
    if (m.io.output === "softmax") be.k.softmax(1, m.V, ws.Y, m.ldV, 1);
    steps.push({
      writeWeights: vec(ws.at(ws.Ww, 1, N), N),
      readWeights: Array.from({ length: R }, (_, i) => wr.slice(i * N, (i + 1) * N)),
      usage: vec(ws.at(ws.U, 1, N), N),
      allocation: vec(ws.A, N),
      freeGates: x.slice(xi.f, xi.f + R),
      allocationGate: x[xi.ga],
      writeGate: x[xi.gw],
      readModes: Array.from({ length: R }, (_, i) => x.slice(xi.pi + 3 * i, xi.pi + 3 * i + 3)),
      probs: m.io.output === "softmax" ? vec(ws.Y, m.V) : undefined,
    });
    m.carry(ws, 1);
  }
  return steps;
}

/** One step of a SAM or sparse DNC: the slots each read head touched and their weights, the write's slots, the erased slot. */
export interface SamInspectStep {
  /** Input id at this step (character models). */
  input?: number;
  /** Per read head: the slots it read, by descending weight (the sparse DNC's: a slot reached by content and by a link once, its weights summed, empty link entries dropped). */
  reads: { slots: number[]; weights: number[] }[];
  /** The sparse DNC: per head its read modes (backward, content, forward). */
  readModes?: number[][];
  /** The write: its entries (the previous step's read entries and the least-recently-used slot), by descending weight. */
  write: { slots: number[]; weights: number[] };
  /** The least-recently-used slot, erased and written this step. */
  erased: number;
  /** α (how much is written) and γ (the share that goes to the previously read slots rather than to the erased one). */
  writeGate: number;
  interpolation: number;
  /** Probability the model gives to the next input (character models; NaN at the last step). */
  nextProb?: number;
}

/** Entries heaviest first (equal weights by slot); merged, a slot's entries are summed and zero-weight padding dropped. */
function bySlot(slots: number[], weights: number[], merge: boolean): { slots: number[]; weights: number[] } {
  let o = slots.map((n, i): [number, number] => [n, weights[i]]);
  if (merge) {
    const sum = new Map<number, number>();
    for (const [n, w] of o) if (w !== 0) sum.set(n, (sum.get(n) ?? 0) + w);
    o = [...sum];
  }
  o.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return { slots: o.map((e) => e[0]), weights: o.map((e) => e[1]) };
}

/** n steps of one SAM/SDNC stream from a zero state; feed(ws, t) writes step t's input into the workspace. */
function inspectSam(m: SamModel, n: number, feed: (ws: SamWorkspace, t: number) => void): (SamInspectStep & { probs?: number[] })[] {
  const ws = m.workspace(1, 1), be = m.be, e = be.elem, { RH: R, Kr, RK, Kw, xi } = m;
  const temporal = m.kind === "sdnc";
  m.resetState(ws);
  const vec = (off: number, k: number) => Array.from(be.F.subarray(off / e, off / e + k));
  const steps: (SamInspectStep & { probs?: number[] })[] = [];
  for (let t = 0; t < n; t++) {
    feed(ws, t);
    m.forward(ws, 1);
    const x = vec(ws.XI, m.X), ridx = vec(ws.at(ws.Ridx, 1, RK), RK), rw = vec(ws.at(ws.Rw, 1, RK), RK);
    if (m.io.output === "softmax") be.k.softmax(1, m.V, ws.Y, m.ldV, 1);
    steps.push({
      reads: Array.from({ length: R }, (_, i) => bySlot(ridx.slice(i * Kr, (i + 1) * Kr), rw.slice(i * Kr, (i + 1) * Kr), temporal)),
      ...(temporal ? { readModes: Array.from({ length: R }, (_, i) => x.slice(xi.modes + 3 * i, xi.modes + 3 * i + 3)) } : {}),
      write: bySlot(vec(ws.Widx, Kw), vec(ws.Wval, Kw), false),
      erased: vec(ws.Lru, 1)[0],
      writeGate: x[xi.a], interpolation: x[xi.g],
      probs: m.io.output === "softmax" ? vec(ws.Y, m.V) : undefined,
    });
    m.carry(ws, 1);
  }
  return steps;
}

/** A text through a character SAM or sparse DNC, one stream from a zero state: what each step touched. */
export function inspectSamText(m: SamModel, ids: Int32Array): SamInspectStep[] {
  const steps = inspectSam(m, ids.length, (ws, t) => { m.be.I32[ws.ids >>> 2] = ids[t]; });
  steps.forEach((s, t) => {
    s.input = ids[t];
    s.nextProb = t + 1 < ids.length ? s.probs![ids[t + 1]] : NaN;
    delete s.probs;
  });
  return steps;
}

/** A step of a task episode: the memory, and whether the input was data, a flag, or the answer phase. */
export type TaskInspectStep = InspectStep & { phase: Phase };
export type SamTaskInspectStep = SamInspectStep & { phase: Phase };
type Phase = "in" | "flag" | "out";

/** One episode of `task` (drawn from rng; by default the same episode every call) through a task DNC, SAM or sparse DNC: the memory per step, with each step's phase. */
export function inspectTask(m: DncModel, task: Task, rng?: Rng): TaskInspectStep[];
export function inspectTask(m: SamModel, task: Task, rng?: Rng): SamTaskInspectStep[];
export function inspectTask(m: DncModel | SamModel, task: Task, rng: Rng = new Rng(7)): (TaskInspectStep | SamTaskInspectStep)[] {
  const be = m.be, batch = task.batch(rng, 1), I = task.inSize;
  const feed = (ws: { X: number }, t: number) => { be.F.set(batch.inputs.subarray(t * I, (t + 1) * I), ws.X / be.elem); };
  const steps: ((InspectStep | SamInspectStep) & { probs?: number[] })[] = m instanceof SamModel ? inspectSam(m, batch.T, feed) : inspectDnc(m, batch.T, feed);
  return steps.map((s, t) => {
    delete s.probs;
    const flags = batch.inputs.subarray(t * I + task.o.bits, (t + 1) * I);
    return { ...s, phase: batch.mask[t] ? "out" : flags.some((v) => v !== 0) ? "flag" : "in" } as TaskInspectStep | SamTaskInspectStep;
  });
}
