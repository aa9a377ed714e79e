// File I/O and user-facing errors for the CLI (the only Node-specific layer).
import { DncError } from "../errors.js";
import { readFileSync, writeFileSync, renameSync, statSync, unlinkSync, existsSync, openSync, readSync, closeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import { decodeText, TextError } from "../data/text.js";

/** An error the user can fix: printed as one line, exit code 2. */
export class UserError extends DncError {}

export function readTextFile(path: string): string {
  let buf: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new UserError(`${path} is a directory, not a text file`);
    buf = readFileSync(path);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  try { return decodeText(buf, path); } catch (e) {
    if (e instanceof TextError) throw new UserError(e.message);
    throw e;
  }
}

export function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UserError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
}

/** Fails early (before any work) if `path` cannot be written, or holds something that is not a safetensors file. */
export function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`cannot save to ${path}: directory ${dir} does not exist`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UserError(`cannot save to ${path}: it is a directory`);
    if (!looksLikeSafetensors(path)) throw new UserError(`refusing to overwrite ${path}: it exists and is not a safetensors checkpoint`);
  }
}

function looksLikeSafetensors(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const b = Buffer.alloc(9);
    const n = readSync(fd, b, 0, 9, 0);
    return n === 9 && b[8] === 0x7b; // header length, then "{"
  } finally { closeSync(fd); }
}

/** Write to a temporary file beside the target, then rename: readers never see half a file. */
export function writeAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* nothing to clean */ }
    throw new UserError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

// ---- option parsers (commander reports their errors as one line) ----

export function intArg(min: number) {
  return (v: string): number => {
    if (!/^[+]?\d+$/.test(v.trim())) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

export function numArg(min: number, exclusive = false) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || (exclusive ? n <= min : n < min)) {
      throw new InvalidArgumentError(`expected a number ${exclusive ? ">" : "≥"} ${min}`);
    }
    return n;
  };
}
