// Train an LSTM on the built-in corpus for 30 seconds, save it, sample from it.
//   node examples/train.mjs            (EXAMPLE_SECONDS=5 for a shorter run)
import { writeFileSync, readFileSync } from "node:fs";
import { Session, loadModel, sampleText } from "dnc-wasm";

const seconds = Number(process.env.EXAMPLE_SECONDS ?? 30);
const session = await Session.create({ model: "lstm", hidden: 128 }); // no data: the built-in corpus
for await (const ev of session.run({ seconds, printEvery: 100, evalEvery: 500 })) {
  if (ev.type === "progress") console.log(`${ev.time.toFixed(1)} s, iter ${ev.iter}, ${ev.bpc.toFixed(3)} BPC`);
  if (ev.type === "eval") console.log(`  validation ${ev.valBpc.toFixed(3)} BPC (optimal ${ev.optimalBpc.toFixed(3)})`);
}
writeFileSync("example.safetensors", await session.checkpoint());
session.close();

const model = await loadModel(new Uint8Array(readFileSync("example.safetensors")));
console.log(sampleText(model, { prime: "let ", length: 200, temperature: 0.8 }));
