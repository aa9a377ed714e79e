// Named tensors carved out of one contiguous block of linear memory, so that
// an optimiser, the clipping norm or a gradient reset is one kernel call over
// the whole block. Each tensor starts on a 16-byte boundary; the padding is
// zero in the gradients, so optimisers leave it at zero.
import { Backend, FloatArray, align } from "../runtime/backend.js";

export interface TensorSpec { name: string; shape: number[] }
export interface TensorSlot extends TensorSpec { size: number; off: number }

export class ParamBlock {
  readonly slots: TensorSlot[] = [];
  readonly off: number;
  readonly n: number;

  constructor(readonly be: Backend, specs: TensorSpec[]) {
    let n = 0;
    const rel: number[] = [];
    for (const s of specs) {
      rel.push(n);
      n += align(s.shape.reduce((a, b) => a * b, 1), 4);
    }
    this.n = n;
    this.off = be.alloc(n);
    specs.forEach((s, i) => {
      const size = s.shape.reduce((a, b) => a * b, 1);
      this.slots.push({ name: s.name, shape: s.shape.slice(), size, off: this.off + rel[i] * be.elem });
    });
  }

  /** A block with the same tensors (gradients, optimiser moments). */
  like(): ParamBlock { return new ParamBlock(this.be, this.slots); }

  slot(name: string): TensorSlot {
    const s = this.slots.find((x) => x.name === name);
    if (!s) throw new Error(`no tensor ${name}`);
    return s;
  }
  off_(name: string): number { return this.slot(name).off; }
  view(name: string): FloatArray { const s = this.slot(name); return this.be.view(s.off, s.size); }
  zero(): void { this.be.zero(this.off, this.n); }
  copyFrom(o: ParamBlock): void { this.be.F.set(o.be.F.subarray(o.off / o.be.elem, o.off / o.be.elem + o.n), this.off / this.be.elem); }
  get count(): number { return this.slots.reduce((a, s) => a + s.size, 0); }
}
