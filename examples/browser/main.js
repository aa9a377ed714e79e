// A page that trains a small DNC on the built-in corpus for a few seconds and
// shows a sample, with dnc-wasm imported as a package and bundled by esbuild:
//   npx esbuild examples/browser/main.js --bundle --format=esm --outfile=examples/browser/bundle.js
import { Session } from "dnc-wasm";

const out = document.getElementById("out");
const session = await Session.create({ model: "dnc", hidden: 32, memorySlots: 16, wordSize: 8, readHeads: 1, batch: 8, seq: 25 });
let last;
for await (const ev of session.run({ seconds: Number(new URLSearchParams(location.search).get("seconds") ?? 5), printEvery: 20 })) {
  if (ev.type === "progress") out.textContent = `iteration ${ev.iter}: ${ev.bpc.toFixed(3)} BPC`;
  last = ev;
}
out.textContent += `\nlet ${session.sample(120, 0.8, "let ")}`;
document.body.dataset.done = JSON.stringify({ iter: last.iter, reason: last.reason });
