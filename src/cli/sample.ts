// `dnc sample`: stream text from a checkpoint.
import { sampleIds } from "../train/evaluate.js";
import { Rng } from "../train/rng.js";
import { Corpus, VocabError } from "../data/corpus.js";
import { readCheckpoint, modelFromCheckpoint } from "./common.js";
import { UserError } from "./io.js";

export interface SampleOpts { checkpoint: string; length: number; temperature: number; prime?: string; seed: number }

export async function sample(o: SampleOpts): Promise<void> {
  const ck = readCheckpoint(o.checkpoint);
  const vocab = new Corpus("", ck.vocab);
  let prime: Int32Array;
  try {
    prime = vocab.encode(o.prime || (vocab.has("\n") ? "\n" : ck.vocab[0]));
  } catch (e) {
    if (e instanceof VocabError) throw new UserError(`--prime: ${e.message}`);
    throw e;
  }
  const m = await modelFromCheckpoint(ck);
  let buf = o.prime ?? "";
  const flush = () => { if (buf) { process.stdout.write(buf); buf = ""; } };
  sampleIds(m, prime, o.length, o.temperature, new Rng(o.seed), (id) => {
    buf += ck.vocab[id];
    if (buf.length >= 256) flush();
  });
  buf += "\n";
  flush();
}
