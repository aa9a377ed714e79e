// `dnc inspect`: the DNC's memory activity over a prime text.
import { inspectText } from "../train/inspect.js";
import { DncModel } from "../models/dnc.js";
import { Corpus, VocabError } from "../data/corpus.js";
import { readCheckpoint, modelFromCheckpoint } from "./common.js";
import { UserError } from "./io.js";

export async function inspect(o: { checkpoint: string; prime: string; json: boolean }): Promise<void> {
  const ck = readCheckpoint(o.checkpoint);
  if (ck.kind !== "dnc") throw new UserError(`${o.checkpoint} holds a ${ck.kind} model; inspect shows a DNC's memory`);
  if (!o.prime) throw new UserError("--prime must not be empty");
  let ids: Int32Array;
  try { ids = new Corpus("", ck.vocab).encode(o.prime); } catch (e) {
    if (e instanceof VocabError) throw new UserError(`--prime: ${e.message}`);
    throw e;
  }
  const m = (await modelFromCheckpoint(ck)) as DncModel;
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
