// File I/O and user-facing errors for the CLI (the only Node-specific layer).
import { DncError } from "../errors.js";
import { writeFileSync, renameSync, statSync, unlinkSync, existsSync, openSync, readSync, closeSync, fsyncSync, writeSync, readdirSync } from "node:fs";
import { dirname, resolve, basename, join } from "node:path";
import { InvalidArgumentError } from "commander";
import { decodeText, TextError } from "../data/text.js";

/** An error the user can fix: printed as one line, exit code 2. */
export class UserError extends DncError {}

/** The most a text may hold (its ids take 4 bytes a character in linear memory), and a checkpoint. */
export const MAX_TEXT_BYTES = 256 * 2 ** 20;
export const MAX_CHECKPOINT_BYTES = 2 * 2 ** 30;

export function readTextFile(path: string): string {
  const buf = readCapped(path, MAX_TEXT_BYTES, "text");
  try { return decodeText(buf, path); } catch (e) {
    if (e instanceof TextError) throw new UserError(e.message);
    throw e;
  }
}

/** A checkpoint's bytes; a file whose first 8 bytes cannot be a safetensors header length is refused before the rest is read. */
export function readBytes(path: string): Uint8Array {
  return readCapped(path, MAX_CHECKPOINT_BYTES, "checkpoint", (head) => {
    if (head.length < 8) return;
    const n = Number(new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true));
    if (n < 2 || n > MAX_HEADER_BYTES) throw new UserError(`${path}: not a safetensors file (its header length would be ${n} bytes)`);
  });
}
const MAX_HEADER_BYTES = 100 * 2 ** 20;

/** A file's bytes, refusing more than `cap` — also from a device or a pipe, which have no size to check first. */
function readCapped(path: string, cap: number, what: string, checkStart?: (first: Uint8Array) => void): Uint8Array {
  const tooBig = () => new UserError(`${path} is larger than ${cap / 2 ** 20} MiB, too large for a ${what}`);
  let fd: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UserError(`${path} is a directory, not a ${what} file`);
    if (st.isFile() && st.size > cap) throw tooBig();
    fd = openSync(path, "r");
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const b = Buffer.allocUnsafe(Math.min(1 << 20, cap + 1 - total));
      const n = readSync(fd, b, 0, b.length, null);
      if (n === 0) break;
      chunks.push(b.subarray(0, n));
      if (total === 0 && checkStart) checkStart(b.subarray(0, n));
      total += n;
      if (total > cap) throw tooBig();
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read ${path}: ${(e as Error).message}`);
  } finally { closeSync(fd); }
}

/**
 * Fails early (before any work) if `path` cannot be written — a probe file is
 * created and removed beside it — or if it holds something that is not a
 * safetensors file.
 */
export function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`cannot save to ${path}: directory ${dir} does not exist`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UserError(`cannot save to ${path}: it is a directory`);
    if (!looksLikeSafetensors(path)) throw new UserError(`refusing to overwrite ${path}: it exists and is not a safetensors checkpoint`);
  }
  const probe = `${path}.probe-${process.pid}`;
  try { writeFileSync(probe, ""); unlinkSync(probe); } catch (e) {
    throw new UserError(`cannot save to ${path}: ${(e as NodeJS.ErrnoException).code === "EACCES" || (e as NodeJS.ErrnoException).code === "EROFS" ? "the location is not writable" : (e as Error).message}`);
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

/**
 * Durably replaces `path`: write a temporary file beside it, fsync it, rename
 * it over the target, fsync the directory. Readers never see half a file, two
 * writers never mix theirs (each has its own temporary), and a crash leaves
 * either the old file or the new one. Temporaries left by killed writers of
 * the same path are removed first.
 */
export function writeAtomic(path: string, bytes: Uint8Array): void {
  const dir = dirname(resolve(path)), tmp = `${path}.tmp-${process.pid}`;
  removeStaleTemps(dir, basename(path));
  try {
    const fd = openSync(tmp, "w");
    try {
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally { closeSync(fd); }
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* nothing to clean */ }
    throw new UserError(`cannot write ${path}: ${(e as Error).message}`);
  }
  try { const d = openSync(dir, "r"); try { fsyncSync(d); } finally { closeSync(d); } } catch { /* not every file system can fsync a directory */ }
}

/** `<name>.tmp-<pid>` files whose writer no longer runs. */
function removeStaleTemps(dir: string, name: string): void {
  let entries: string[];
  try { entries = readdirSync(dir); } catch { return; }
  for (const f of entries) {
    const m = f.startsWith(`${name}.tmp-`) ? /^(\d+)$/.exec(f.slice(name.length + 5)) : null;
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    try { unlinkSync(join(dir, f)); } catch { /* another writer got there first */ }
  }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === "EPERM"; }
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
