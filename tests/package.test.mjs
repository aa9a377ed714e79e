// The package as a user installs it: `npm pack`, installed into a fresh folder; the CLI through npx, a
// TypeScript consumer type-checked and run, and a browser consumer bundled by esbuild and run in chromium.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tmp } from "./helpers.mjs";
import { openBrowser, hasChromium } from "./browser/page.mjs";

const sh = (cmd, args, cwd, timeout = 180_000) => {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
// the npm that runs this suite (under `npm test`, PATH starts with node_modules/.bin, which holds an old npm 6
// that a dev dependency brings along); outside npm, the one on PATH
const npmCli = process.env.npm_execpath;
const npm = (args, cwd) => (npmCli ? sh(process.execPath, [npmCli, ...args], cwd) : sh("npm", args, cwd));
const npx = (args, cwd) => npm(["exec", "--no", "--", ...args], cwd);
let app;

before(() => {
  const packs = tmp();
  // the suite has just built dist; pack what is there
  npm(["pack", "--ignore-scripts", "--pack-destination", packs, "--loglevel=error"], ROOT);
  const tgz = join(packs, readdirSync(packs).find((f) => f.endsWith(".tgz")));
  const files = sh("tar", ["-tzf", tgz], packs).trim().split("\n");
  assert.ok(files.includes("package/dist/index.d.ts") && files.includes("package/dist/cli/main.js") && files.includes("package/LICENSE"));
  assert.ok(files.includes("package/python/dnc_torch.py") && files.includes("package/README.md"));
  assert.deepEqual(files.filter((f) => !/^package\/(dist\/|python\/dnc_torch\.py$|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(f)), []);
  assert.deepEqual(files.filter((f) => f.endsWith(".wasm") || f.includes("/src/") || f.includes("/tests/")), []);
  app = tmp();
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  npm(["install", "--no-audit", "--no-fund", "--loglevel=error", tgz], app);
});

test("the installed CLI trains and samples (npx dnc)", () => {
  npx(["dnc", "train", "--hidden", "16", "--batch", "4", "--seq", "10", "--iters", "20", "--save", "m.safetensors"], app);
  const out = npx(["dnc", "sample", "--checkpoint", "m.safetensors", "--length", "40"], app);
  assert.equal(Array.from(out).length, 41);
});

test("a TypeScript consumer of the public API type-checks (strict) and runs", () => {
  writeFileSync(join(app, "consumer.ts"), `
import { Session, loadModel, sampleText, DncError, type SessionEvent, type RunConfig } from "dnc-wasm";
const cfg: Partial<RunConfig> = { model: "lstm", hidden: 16, batch: 4, seq: 10 };
const s = await Session.create(cfg);
let last: SessionEvent | undefined;
for await (const ev of s.run({ iters: 5, printEvery: 5 })) last = ev;
if (last?.type !== "done") throw new Error("no done event");
const model = await loadModel(await s.checkpoint());
const text: string = sampleText(model, { length: 12, temperature: 0.5 });
try { await Session.create({ hidden: 0 }); } catch (e) { if (!(e instanceof DncError)) throw e; }
console.log(JSON.stringify({ iter: last.iter, text }));
`);
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  const flags = ["--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "es2022,dom", "--skipLibCheck", "false"];
  sh(process.execPath, [tsc, ...flags, "consumer.ts"], app);
  const r = JSON.parse(sh(process.execPath, ["consumer.js"], app));
  assert.equal(r.iter, 5);
  assert.equal(Array.from(r.text).length, 12);
});

test("a browser consumer bundles with esbuild (no Node built-ins) and trains in chromium", { skip: hasChromium ? false : "chromium is not installed" }, async () => {
  writeFileSync(join(app, "browser.js"), `
import { Session } from "dnc-wasm";
const s = await Session.create({ model: "dnc", hidden: 16, memorySlots: 8, wordSize: 4, readHeads: 1, batch: 4, seq: 10 });
let last;
for await (const ev of s.run({ iters: 8 })) last = ev;
window.result = { iter: last.iter, reason: last.reason, sample: s.sample(20) };
`);
  sh(join(ROOT, "node_modules/.bin/esbuild"), ["browser.js", "--bundle", "--format=esm", "--platform=browser", "--outfile=bundle.js", "--log-level=error"], app);
  const bundle = readFileSync(join(app, "bundle.js"), "utf8");
  const browser = await openBrowser();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto("about:blank");
    await page.addScriptTag({ content: bundle, type: "module" });
    await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
    const r = await page.evaluate(() => window.result);
    assert.deepEqual([r.iter, r.reason], [8, "iterations"]);
    assert.equal(Array.from(r.sample).length, 20);
    assert.deepEqual(errors, []);
  } finally { await browser.close(); }
});
