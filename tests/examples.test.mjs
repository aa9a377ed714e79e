// The examples as a user would run them: the Node script (importing the
// package by name), and the browser page bundled by esbuild and opened in
// headless chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tmp } from "./helpers.mjs";
import { openBrowser, serve, hasChromium } from "./browser/page.mjs";

test("examples/train.mjs trains, saves a checkpoint and samples from it", () => {
  const cwd = tmp();
  const r = spawnSync(process.execPath, [join(ROOT, "examples/train.mjs")], { cwd, encoding: "utf8", env: { ...process.env, EXAMPLE_SECONDS: "3" }, timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ {2}validation \d\.\d{3} BPC \(optimal 0\.707\)$/m);
  assert.ok(existsSync(join(cwd, "example.safetensors")));
  const sample = r.stdout.slice(r.stdout.indexOf("(optimal 0.707)\n") + 16);
  assert.ok(sample.length >= 200, `no sample: ${JSON.stringify(sample)}`);
});

test("examples/browser: bundled by esbuild for the browser, it trains in chromium", { skip: hasChromium ? false : "chromium is not installed (.ci/run installs it)" }, async () => {
  const out = join(ROOT, "examples/browser/bundle.js");
  // platform=browser fails the build if a Node built-in reaches the bundle
  execFileSync(join(ROOT, "node_modules/.bin/esbuild"), [join(ROOT, "examples/browser/main.js"), "--bundle", "--format=esm",
    "--platform=browser", `--outfile=${out}`, "--log-level=error"], { cwd: ROOT });
  assert.doesNotMatch(readFileSync(out, "utf8"), /from\s*"node:/);
  const browser = await openBrowser(), srv = await serve(false);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${srv.url}/examples/browser/index.html?seconds=3`);
    await page.waitForFunction(() => document.body.dataset.done, null, { timeout: 60_000 });
    const done = JSON.parse(await page.evaluate(() => document.body.dataset.done));
    assert.equal(done.reason, "time");
    assert.ok(done.iter > 20, `only ${done.iter} iterations`);
    assert.match(await page.textContent("#out"), /BPC\nlet /);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    srv.server.close();
  }
});
