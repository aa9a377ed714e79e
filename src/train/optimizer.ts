// Optimiser state and one update over the whole parameter block, with
// global-norm gradient clipping (clip ≤ 0 turns it off).
import { DncError } from "../errors.js";
import { ParamBlock } from "../models/params.js";

export type OptimizerName = "adam" | "adagrad" | "rmsprop" | "sgd";
export const OPTIMIZERS: OptimizerName[] = ["adam", "adagrad", "rmsprop", "sgd"];

export interface OptimizerConfig {
  name: OptimizerName;
  lr: number;
  clip: number;
  beta1?: number; beta2?: number; eps?: number; // adam (eps also adagrad, rmsprop)
  rho?: number; momentum?: number;              // rmsprop
  decay?: LrDecay;
}

/**
 * Step decay, as char-rnn's: the learning rate is multiplied by `factor`
 * every `every` updates once `after` updates are made. A closed form of the
 * update count, so a resumed run follows it with no state of its own.
 */
export interface LrDecay { factor: number; every: number; after: number }

/** The learning rate of the update that follows `t` updates. */
export function scheduledLr(lr: number, t: number, d?: LrDecay): number {
  return d === undefined ? lr : lr * d.factor ** Math.floor(Math.max(0, t - d.after) / d.every);
}

/** Learning rates that work for each optimiser on char-level models. */
export const DEFAULT_LR: Record<OptimizerName, number> = { adam: 2e-3, adagrad: 0.1, rmsprop: 1e-3, sgd: 1 };
const SLOTS: Record<OptimizerName, string[]> = { adam: ["m", "v"], adagrad: ["sum"], rmsprop: ["ms", "mom"], sgd: [] };

export class Optimizer {
  /** Number of updates made so far. */
  t = 0;
  readonly slots: Map<string, ParamBlock>;

  constructor(readonly cfg: OptimizerConfig, readonly params: ParamBlock, readonly grads: ParamBlock) {
    this.slots = new Map(SLOTS[cfg.name].map((s) => [s, params.like()]));
  }

  /** The learning rate the next update uses. */
  get lr(): number { return scheduledLr(this.cfg.lr, this.t, this.cfg.decay); }

  /** One update from the gradients; returns the gradient norm before clipping. */
  step(): number {
    const k = this.params.be.k, p = this.params.off, g = this.grads.off, n = this.params.n, c = this.cfg;
    const norm = Math.sqrt(k.sumsq(n, g));
    if (!Number.isFinite(norm)) throw new NonFiniteLossError(`the gradient norm became ${norm} at update ${this.t + 1}`);
    const gs = c.clip > 0 && norm > c.clip ? c.clip / norm : 1;
    const lr = this.lr;
    this.t++;
    switch (c.name) {
      case "sgd": k.sgd(n, p, g, lr, gs); break;
      case "adagrad": k.adagrad(n, p, g, this.slot("sum"), lr, c.eps ?? 1e-8, gs); break;
      case "rmsprop":
        k.rmsprop(n, p, g, this.slot("ms"), this.slot("mom"), lr, c.rho ?? 0.9, c.momentum ?? 0, c.eps ?? 1e-10, gs);
        break;
      case "adam": {
        const b1 = c.beta1 ?? 0.9, b2 = c.beta2 ?? 0.999;
        k.adam(n, p, g, this.slot("m"), this.slot("v"), lr / (1 - b1 ** this.t), b1, b2, 1 / Math.sqrt(1 - b2 ** this.t), c.eps ?? 1e-8, gs);
        break;
      }
    }
    return norm;
  }

  /**
   * The first tensor, parameter or optimiser moment, that holds a NaN or an
   * infinity; undefined when all are finite. One pass in wasm per block (a
   * sum of squares in f64 cannot overflow for finite f32 inputs), per tensor
   * only to name the culprit.
   */
  nonFinite(): string | undefined {
    const k = this.params.be.k;
    const blocks: [string, ParamBlock][] = [["", this.params], ...[...this.slots].map(([s, b]) => [`optim.${s}.`, b] as [string, ParamBlock])];
    for (const [prefix, b] of blocks) {
      if (Number.isFinite(k.sumsq(b.n, b.off))) continue;
      for (const t of b.slots) if (!Number.isFinite(k.sumsq(t.size, t.off))) return prefix + t.name;
    }
    return undefined;
  }

  private slot(s: string): number { return this.slots.get(s)!.off; }
}

/** Training produced a non-finite loss or gradient norm: stop, keep the last checkpoint. */
export class NonFiniteLossError extends DncError {}
