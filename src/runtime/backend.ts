// Loading the kernels and the memory they work on.
//
// Two builds of the same kernels share one export list (assembly/index_*.ts):
// "f32" (SIMD, for training and sampling) and "f64" (scalar references in
// double precision, for the gradient check). The host drives either through
// this Backend, so models are written once.
//
// We use asc's generated raw bindings (`instantiate(module, imports)`) rather
// than @assemblyscript/loader: the loader has been deprecated since
// AssemblyScript 0.20 and its value is marshalling managed objects, which our
// kernels never take: they see only numbers and byte offsets.
import { ConfigError } from "../errors.js";
import { instantiate as instantiateF32 } from "../wasm/kernels_f32.js";
import { instantiate as instantiateF64 } from "../wasm/kernels_f64.js";
import { KERNELS_F32, KERNELS_F64 } from "../wasm/bytes.js";

export type Kernels = Awaited<ReturnType<typeof instantiateF32>>;
export type Precision = "f32" | "f64";
export type FloatArray = Float32Array | Float64Array;

const PAGE = 65536;
const compiled = new Map<Precision, Promise<WebAssembly.Module>>();

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The compiled module for a precision (compiled once per process or page). */
export function kernelModule(precision: Precision): Promise<WebAssembly.Module> {
  let m = compiled.get(precision);
  if (!m) {
    m = WebAssembly.compile(decodeBase64(precision === "f32" ? KERNELS_F32 : KERNELS_F64) as BufferSource);
    compiled.set(precision, m);
  }
  return m;
}

/**
 * One kernel instance and its linear memory, with a bump allocator: the host
 * lays out every tensor once per model and batch shape, and the hot path only
 * passes offsets.
 */
export class Backend {
  readonly elem: number;
  private top: number;
  private f?: FloatArray;
  private i?: Int32Array;

  private constructor(readonly precision: Precision, public k: Kernels, readonly memory: WebAssembly.Memory) {
    this.elem = precision === "f32" ? 4 : 8;
    this.top = align(k.heap_base(), 64);
  }

  static async create(precision: Precision = "f32"): Promise<Backend> {
    // 16 pages: more than the kernels' static scratch (7 today; untouched pages cost nothing)
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
    const module = await kernelModule(precision);
    const inst = precision === "f32" ? instantiateF32 : instantiateF64;
    const k = (await inst(module, { env: { memory } } as {})) as Kernels;
    return new Backend(precision, k, memory);
  }

  /** Reserve n floats (64-byte aligned), zeroed; returns the byte offset. */
  alloc(n: number): number { return this.allocBytes(n * this.elem); }

  /** Reserve n 32-bit ints; returns the byte offset. */
  allocI32(n: number): number { return this.allocBytes(n * 4); }

  private allocBytes(bytes: number): number {
    const off = this.top;
    this.top = align(off + Math.max(bytes, 0), 64);
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) {
      try {
        this.memory.grow(Math.ceil(need / PAGE));
      } catch {
        throw new ConfigError(`out of WebAssembly memory: ${(this.top / 2 ** 20).toFixed(0)} MiB needed (4 GiB is the limit)`);
      }
      this.f = undefined;
      this.i = undefined;
    }
    return off; // memory from grow() is zeroed, and nothing is ever freed
  }

  /** Float view over all of memory (re-made after growth). */
  get F(): FloatArray {
    if (!this.f || this.f.buffer !== this.memory.buffer) {
      this.f = this.precision === "f32" ? new Float32Array(this.memory.buffer) : new Float64Array(this.memory.buffer);
    }
    return this.f;
  }

  get I32(): Int32Array {
    if (!this.i || this.i.buffer !== this.memory.buffer) this.i = new Int32Array(this.memory.buffer);
    return this.i;
  }

  /** A float view of n elements at byte offset off. */
  view(off: number, n: number): FloatArray { return this.F.subarray(off / this.elem, off / this.elem + n); }

  /** Set n floats at off to zero. */
  zero(off: number, n: number): void { this.F.fill(0, off / this.elem, off / this.elem + n); }

  /** Copy n floats from src to dst (byte offsets). */
  copy(dst: number, src: number, n: number): void {
    this.F.copyWithin(dst / this.elem, src / this.elem, src / this.elem + n);
  }

  get bytesUsed(): number { return this.top; }

  /**
   * Wrap every kernel in a timer (for `npm run bench -- --profile`): returns
   * the table it fills, by kernel name. Costs ~0.1 µs per call, so profile
   * runs only.
   */
  profile(): Map<string, { calls: number; ms: number; flops: number }> {
    const table = new Map<string, { calls: number; ms: number; flops: number }>();
    const raw = this.k as unknown as Record<string, unknown>;
    const wrapped: Record<string, unknown> = {};
    for (const name of Object.keys(raw).concat(Object.keys(Object.getPrototypeOf(raw) ?? {}))) {
      const fn = raw[name];
      if (typeof fn !== "function") { wrapped[name] = fn; continue; }
      const row = { calls: 0, ms: 0, flops: 0 };
      table.set(name, row);
      // products: gemm_* (M, N, K, …) 2·M·N·K flops, gemv (N, K, …) 2·N·K
      const flops = name.startsWith("gemm_") ? (a: number[]) => 2 * a[0] * a[1] * a[2] : name === "gemv" ? (a: number[]) => 2 * a[0] * a[1] : undefined;
      wrapped[name] = (...a: number[]) => {
        const t = performance.now();
        const r = (fn as (...x: number[]) => unknown)(...a);
        row.ms += performance.now() - t; row.calls++;
        if (flops) row.flops += flops(a);
        return r;
      };
    }
    this.k = wrapped as unknown as Kernels;
    return table;
  }
}

export function align(n: number, a: number): number { return Math.ceil(n / a) * a; }

/**
 * Leading dimension for a row of n floats: a multiple of 4 (whole SIMD
 * vectors), and never a multiple of 1024, where strided products lose ~45%
 * to cache-set conflicts (WASM-PERF.md).
 */
export function ld(n: number): number {
  const l = align(n, 4);
  return l % 1024 === 0 ? l + 16 : l;
}
