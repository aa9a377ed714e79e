// safetensors reader and writer (F32 only, which is all the format of
// MODELS.md uses): 8-byte little-endian header length, a JSON header, then
// the raw little-endian data. The reader validates everything a truncated or
// foreign file could get wrong before any byte is used.
import { DncError } from "../errors.js";

export interface StTensor { name: string; shape: number[]; data: Float32Array }
export interface StFile { tensors: Map<string, StTensor>; metadata: Record<string, string> }

export class FormatError extends DncError {}

const MAX_HEADER = 100 * 1024 * 1024;

export function encodeSafetensors(tensors: StTensor[], metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let off = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`${t.name}: shape ${JSON.stringify(t.shape)} does not match ${t.data.length} values`);
    header[t.name] = { dtype: "F32", shape: t.shape, data_offsets: [off, off + 4 * n] };
    off += 4 * n;
  }
  let json = JSON.stringify(header);
  // pad with spaces so that the data starts 8-byte aligned, as the reference writer does
  const enc = new TextEncoder();
  let hb = enc.encode(json);
  const pad = (8 - (hb.length % 8)) % 8;
  if (pad) { json += " ".repeat(pad); hb = enc.encode(json); }
  const out = new Uint8Array(8 + hb.length + off);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, p += 4) dv.setFloat32(p, t.data[i], true);
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array): StFile {
  if (bytes.length < 8) throw new FormatError("not a safetensors file: shorter than its 8-byte header length");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = dv.getBigUint64(0, true);
  if (hlen > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) {
    throw new FormatError(`not a safetensors file or truncated: header length ${hlen} exceeds the file (${bytes.length} bytes)`);
  }
  const hl = Number(hlen);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + hl)));
  } catch {
    throw new FormatError("not a safetensors file: the header is not valid JSON");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw new FormatError("safetensors header is not an object");
  const dataStart = 8 + hl, dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, StTensor>();
  const ranges: [number, number, string][] = [];
  for (const [name, v] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (typeof v !== "object" || v === null) throw new FormatError("__metadata__ must be an object of strings");
      for (const [k, s] of Object.entries(v)) {
        if (typeof s !== "string") throw new FormatError(`metadata ${k} is not a string`);
        metadata[k] = s;
      }
      continue;
    }
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== "object" || e === null) throw new FormatError(`tensor ${name}: entry is not an object`);
    if (e.dtype !== "F32") throw new FormatError(`tensor ${name}: dtype ${String(e.dtype)} is not supported (F32 only)`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new FormatError(`tensor ${name}: bad shape`);
    const o = e.data_offsets;
    if (!Array.isArray(o) || o.length !== 2 || !o.every((d) => Number.isInteger(d) && d >= 0) || o[1] < o[0]) {
      throw new FormatError(`tensor ${name}: bad data_offsets`);
    }
    const n = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (o[1] - o[0] !== 4 * n) throw new FormatError(`tensor ${name}: ${o[1] - o[0]} bytes do not hold shape ${JSON.stringify(e.shape)}`);
    if (o[1] > dataLen) throw new FormatError(`tensor ${name}: data runs past the end of the file (truncated?)`);
    ranges.push([o[0], o[1], name]);
    const data = new Float32Array(n);
    const base = dataStart + o[0];
    for (let i = 0; i < n; i++) data[i] = dv.getFloat32(base + 4 * i, true);
    tensors.set(name, { name, shape: e.shape as number[], data });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i][0] < ranges[i - 1][1]) throw new FormatError(`tensors ${ranges[i - 1][2]} and ${ranges[i][2]} overlap`);
  }
  return { tensors, metadata };
}
