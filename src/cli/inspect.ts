// `dnc inspect`: the DNC's (or SAM's, or the sparse DNC's) memory activity over a prime text.
import { inspectText, inspectSamText, SamInspectStep } from "../train/inspect.js";
import { DncModel } from "../models/dnc.js";
import { SamModel } from "../models/sam.js";
import { Corpus, VocabError } from "../data/corpus.js";
import { readCheckpoint, modelFromCheckpoint } from "./common.js";
import { UserError } from "./io.js";

export async function inspect(o: { checkpoint: string; prime: string; json: boolean }): Promise<void> {
  const ck = readCheckpoint(o.checkpoint);
  if (ck.kind !== "dnc" && ck.kind !== "sam" && ck.kind !== "sdnc") throw new UserError(`${o.checkpoint} holds a ${ck.kind} model; inspect shows the memory of a DNC, a SAM or a sparse DNC`);
  if (!o.prime) throw new UserError("--prime must not be empty");
  let ids: Int32Array;
  try { ids = new Corpus("", ck.vocab).encode(o.prime); } catch (e) {
    if (e instanceof VocabError) throw new UserError(`--prime: ${e.message}`);
    throw e;
  }
  const model = await modelFromCheckpoint(ck);
  if (model instanceof SamModel) return inspectSam(model, ids, ck.vocab, o.json);
  const m = model as DncModel;
  const steps = inspectText(m, ids);
  if (o.json) {
    process.stdout.write(JSON.stringify({ vocab: ck.vocab, config: m.config, steps: steps.map((s) => ({ ...s, char: ck.vocab[s.input!], nextProb: Number.isNaN(s.nextProb) ? null : s.nextProb })) }) + "\n");
    return;
  }
  const argmax = (v: number[]) => v.reduce((b, x, i) => (x > v[b] ? i : b), 0);
  const f = (x: number) => x.toFixed(2);
  process.stdout.write(`step char  write→slot (w)   alloc gate  write gate  free gates   read heads: slot (modes b/c/f)\n`);
  steps.forEach((s, t) => {
    const w = argmax(s.writeWeights);
    const reads = s.readWeights.map((r, i) => `${argmax(r)} (${s.readModes[i].map(f).join("/")})`).join("  ");
    process.stdout.write(`${String(t).padStart(4)} ${JSON.stringify(ck.vocab[s.input!]).padEnd(5)} ${String(w).padStart(3)} (${f(s.writeWeights[w])})      ` +
      `${f(s.allocationGate)}        ${f(s.writeGate)}        ${s.freeGates.map(f).join(" ").padEnd(12)} ${reads}\n`);
  });
}

/** SAM and the sparse DNC: per step the slots each read head touched, the write's heaviest slot, the erased slot, α and γ. */
function inspectSam(m: SamModel, ids: Int32Array, vocab: string[], json: boolean): void {
  const steps = inspectSamText(m, ids);
  if (json) {
    process.stdout.write(JSON.stringify({ vocab, config: m.config, steps: steps.map((s) => ({ ...s, char: vocab[s.input!], nextProb: Number.isNaN(s.nextProb) ? null : s.nextProb })) }) + "\n");
    return;
  }
  process.stdout.write(samTable(m, steps.map((s) => ({ ...s, label: JSON.stringify(vocab[s.input!]) })), "char"));
}

/** The text table of SAM/SDNC steps; `label` is each step's input (a character, a task phase). */
export function samTable(m: SamModel, steps: (SamInspectStep & { label: string })[], labelName: string): string {
  const f = (x: number) => x.toFixed(2);
  const touched = (r: { slots: number[]; weights: number[] }) => r.slots.filter((_, i) => r.weights[i] >= 0.01).map((n, i) => `${n}:${f(r.weights[i])}`).join(" ") || "–";
  const modes = (s: SamInspectStep, h: number) => (s.readModes ? ` (${s.readModes[h].map(f).join("/")})` : "");
  const lines = [
    `${m.K} slots per read head by content${m.kind === "sdnc" ? `, ${m.K} by each link direction (read modes backward/content/forward)` : ""}; each read lists its slots with weight ≥ 0.01 (slot:weight)`,
    `step ${labelName.padEnd(5)} write→slot (w)   erased   α     γ     read heads`,
    ...steps.map((s, t) => `${String(t).padStart(4)} ${s.label.padEnd(5)} ${String(s.write.slots[0]).padStart(5)} (${f(s.write.weights[0] ?? 0)})   ` +
      `${String(s.erased).padStart(6)}   ${f(s.writeGate)}  ${f(s.interpolation)}  ${s.reads.map((r, h) => touched(r) + modes(s, h)).join("  |  ")}`),
  ];
  return lines.join("\n") + "\n";
}
