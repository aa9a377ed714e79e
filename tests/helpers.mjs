// Shared by the host tests: the built library, the CLI, temp dirs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CLI = join(ROOT, "dist/cli/main.js");
export const ALICE = join(ROOT, "../shared/data/alice29.txt");
export const hasAlice = existsSync(ALICE);

export function tmp() { return mkdtempSync(join(tmpdir(), "dnc-test-")); }

/** Runs the CLI; returns { code, stdout, stderr }. */
export function dnc(args, opts = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 300_000, ...opts });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** JSON lines of a --json run. */
export function jsonLines(stdout) {
  return stdout.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
