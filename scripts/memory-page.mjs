// A screenshot of the page's memory view for a checkpoint and a text: the page
// loads the checkpoint, reads the text, draws the memory and names, per read
// head, the slot read after the last character and where it was written.
//
//   node scripts/memory-page.mjs --checkpoint memory.safetensors --prime "let qd = 47;\n…\nqd is " --out docs/memory-page.png
import { resolve } from "node:path";
import { openBrowser, serve } from "../tests/browser/page.mjs";

const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const ck = arg("--checkpoint"), prime = arg("--prime"), out = arg("--out", "memory-page.png");
if (!ck || !prime) {
  console.error("usage: node scripts/memory-page.mjs --checkpoint F --prime TEXT [--out F.png]   (\\n in TEXT is a newline)");
  process.exit(2);
}
const browser = await openBrowser(), srv = await serve(true);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(`${srv.url}/web/`);
  await page.setInputFiles("#ckfile", resolve(ck));
  await page.waitForFunction(() => !document.getElementById("download").disabled || document.getElementById("error").textContent, null, { timeout: 60000 });
  const err = await page.textContent("#error");
  if (err) throw new Error(`the page refused the checkpoint: ${err}`);
  await page.fill("#prime", prime.replace(/\\n/g, "\n"));
  const before = await page.evaluate(() => window.memoryDrawn?.draws ?? 0);
  await page.click("#show");
  await page.waitForFunction((n) => (window.memoryDrawn?.draws ?? 0) > n, before, { timeout: 60000 });
  await page.locator("#memview").screenshot({ path: out });
  console.log(await page.textContent("#memtrace"));
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  srv.server.close();
}
