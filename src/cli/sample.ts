// `dnc sample`: stream text from a checkpoint, until --length or until the reader closes the pipe.
import { sampleStream } from "../train/evaluate.js";
import { Rng } from "../train/rng.js";
import { Corpus, VocabError } from "../data/corpus.js";
import { readCheckpoint, modelFromCheckpoint } from "./common.js";
import { UserError } from "./io.js";

export interface SampleOpts { checkpoint: string; length: number; temperature: number; prime?: string; seed: number }

export async function sample(o: SampleOpts): Promise<void> {
  const ck = readCheckpoint(o.checkpoint);
  if (ck.config.task) throw new UserError(`${o.checkpoint} holds a model of the ${ck.config.task} task, not of text`);
  const vocab = new Corpus("", ck.vocab);
  let prime: Int32Array;
  try {
    prime = vocab.encode(o.prime || (vocab.has("\n") ? "\n" : ck.vocab[0]));
  } catch (e) {
    if (e instanceof VocabError) throw new UserError(`--prime: ${e.message}`);
    throw e;
  }
  const m = await modelFromCheckpoint(ck);
  const ids = sampleStream(m, prime, o.temperature, new Rng(o.seed));
  let closed = false;
  process.stdout.once("error", () => { closed = true; });
  let out = o.prime ?? "";
  for (let n = 0; n < o.length && !closed;) {
    for (const end = Math.min(n + 4096, o.length); n < end; n++) out += ck.vocab[ids.next().value];
    if (n === o.length) out += "\n";
    process.stdout.write(out);
    out = "";
    // lets a closed pipe's error in before the next chunk
    await new Promise((r) => setImmediate(r));
  }
  if (o.length === 0) process.stdout.write(out + "\n");
}
