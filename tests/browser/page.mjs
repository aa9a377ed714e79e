// Shared by the browser tests and the browser bench: serve the page, drive Debian's chromium.
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";
import { startServer } from "../../scripts/serve.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

export async function openBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
}

export async function serve(isolated = true) {
  const server = await startServer(0, { isolated });
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}
