// Vanilla RNN and LSTM over a window of S steps for B streams, forward and
// backpropagation through time. Tensor names and layouts are PyTorch's
// (MODELS.md): weights are [out, in], the LSTM's gates stacked i, f, g, o.
//
// Activations are time-major: row t·B + b of a matrix is stream b at step t.
// Every non-recurrent product covers all S steps at once (the input gather,
// the output projection and all weight gradients); only W_hh·h_{t-1} and its
// backward run step by step.
//
// Buffer layouts (per workspace, G = gate width: H for the RNN, 4H for the LSTM):
//   ids, tgt  S·B      i32 inputs and targets
//   Z         S·B × G  pre-activations; the LSTM's forward leaves the gates in it
//   dZ        S·B × G  their gradients
//   Hs        (S+1)·B × H   h_{-1} (the carried state) in block 0, h_t in block t+1
//   Cs        (S+1)·B × H   the same for the LSTM's cell state
//   TC        S·B × H  tanh(c_t), cached for the backward
//   dH        S·B × H  gradient into h_t
//   Y         S·B × V  logits, then their gradient
import { ConfigError } from "../errors.js";
import { Backend, ld } from "../runtime/backend.js";
import { ParamBlock, TensorSpec } from "./params.js";
import { Rng } from "../train/rng.js";
import { CharModel, ModelConfig, ModelIO, StateTensor, Workspace, WorkspaceCache, xentLoss, zeroState, asIO, ioBuffers, inputForward, inputBackward, addXWt } from "./model.js";

export class RecurrentWorkspace implements Workspace {
  readonly ids: number; readonly tgt: number; readonly X: number; readonly T: number; readonly mask: number;
  readonly Z: number; readonly dZ: number;
  readonly Hs: number; readonly Cs: number; readonly TC: number;
  readonly dH: number; readonly dC: number; readonly Y: number;
  constructor(readonly m: RecurrentModel, readonly B: number, readonly S: number) {
    const be = m.be, R = S * B;
    ({ ids: this.ids, tgt: this.tgt, X: this.X, T: this.T, mask: this.mask } = ioBuffers(be, m.io, R));
    this.Z = be.alloc(R * m.ldG); this.dZ = be.alloc(R * m.ldG);
    this.Hs = be.alloc((S + 1) * B * m.ldH);
    this.Cs = m.kind === "lstm" ? be.alloc((S + 1) * B * m.ldH) : 0;
    this.TC = m.kind === "lstm" ? be.alloc(R * m.ldH) : 0;
    this.dH = be.alloc(R * m.ldH); this.dC = be.alloc(B * m.ldH);
    this.Y = be.alloc(R * m.ldV);
  }
  /** Row offset of step t (0-based) in a matrix of stride ld. */
  row(base: number, t: number, ld: number): number { return base + t * this.B * ld * this.m.be.elem; }
}

export class RecurrentModel implements CharModel {
  readonly G: number;
  readonly ldG: number; readonly ldH: number; readonly ldV: number;
  readonly params: ParamBlock;
  readonly grads: ParamBlock;
  // transposed weight copies for the forward products, refreshed when params change
  private readonly WihT: number; private readonly WhhT: number; private readonly WoutT: number;
  private readonly dWihT: number;
  private stale = true;

  readonly io: ModelIO;
  readonly V: number;

  constructor(readonly be: Backend, readonly kind: "rnn" | "lstm", io: number | ModelIO, readonly H: number) {
    this.io = asIO(io);
    const V = this.V = this.io.outSize, Vin = this.io.inSize;
    if (!(H >= 1 && V >= 1 && Vin >= 1)) throw new ConfigError("hidden size and input/output sizes must be positive");
    this.G = kind === "lstm" ? 4 * H : H;
    this.ldG = ld(this.G); this.ldH = ld(H); this.ldV = ld(V);
    this.params = new ParamBlock(be, RecurrentModel.specs(kind, this.io, H));
    this.grads = this.params.like();
    this.WihT = be.alloc(Vin * this.ldG); this.WhhT = be.alloc(H * this.ldG);
    this.WoutT = be.alloc(H * this.ldV); this.dWihT = be.alloc(Vin * this.ldG);
  }

  static specs(kind: "rnn" | "lstm", io: number | ModelIO, H: number): TensorSpec[] {
    const G = kind === "lstm" ? 4 * H : H, { inSize, outSize: V } = asIO(io);
    return [
      { name: `${kind}.weight_ih`, shape: [G, inSize] },
      { name: `${kind}.weight_hh`, shape: [G, H] },
      { name: `${kind}.bias`, shape: [G] },
      { name: "out.weight", shape: [V, H] },
      { name: "out.bias", shape: [V] },
    ];
  }

  get config(): ModelConfig {
    return this.io.input === "dense" ? { hidden: this.H, inputSize: this.io.inSize, outputSize: this.io.outSize } : { hidden: this.H };
  }

  /**
   * PyTorch's default, U(-1/√H, 1/√H), for every weight; biases zero except
   * the LSTM's forget gate, 1 (MODELS.md), so that early gradients flow.
   */
  init(rng: Rng): void {
    const k = 1 / Math.sqrt(this.H);
    for (const s of this.params.slots) {
      const v = this.params.view(s.name);
      if (s.name.endsWith("bias")) v.fill(0);
      else for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-k, k);
    }
    if (this.kind === "lstm") this.params.view("lstm.bias").fill(1, this.H, 2 * this.H);
    this.paramsChanged();
  }

  /** Call after anything writes the parameters (optimiser, loading, gradcheck). */
  paramsChanged(): void { this.stale = true; }

  private refresh(): void {
    if (!this.stale) return;
    const k = this.be.k, p = this.params, { V, H, G } = this;
    k.transpose(G, this.io.inSize, p.off_(`${this.kind}.weight_ih`), this.io.inSize, this.WihT, this.ldG);
    k.transpose(G, H, p.off_(`${this.kind}.weight_hh`), H, this.WhhT, this.ldG);
    k.transpose(V, H, p.off_("out.weight"), H, this.WoutT, this.ldV);
    this.stale = false;
  }

  private readonly spaces = new WorkspaceCache<RecurrentWorkspace>();
  workspace(B: number, S: number): RecurrentWorkspace { return this.spaces.get(B, S, () => new RecurrentWorkspace(this, B, S)); }

  /** Logits for s ≤ S steps of ws.ids, starting from the carried state. */
  forward(ws: RecurrentWorkspace, s: number): void {
    this.refresh();
    const k = this.be.k, p = this.params, { B } = ws, { H, V, G, ldG, ldH, ldV } = this;
    const R = s * B;
    inputForward(this, ws, R, G, this.WihT, ldG, p.off_(`${this.kind}.bias`), ws.Z);
    for (let t = 0; t < s; t++) {
      const z = ws.row(ws.Z, t, ldG);
      addXWt(this, B, G, H, ws.row(ws.Hs, t, ldH), ldH, p.off_(`${this.kind}.weight_hh`), H, this.WhhT, ldG, z, ldG);
      if (this.kind === "lstm") {
        k.lstm_fwd(B, H, z, ldG, ws.row(ws.Cs, t, ldH), ws.row(ws.Cs, t + 1, ldH), ws.row(ws.TC, t, ldH), ws.row(ws.Hs, t + 1, ldH), ldH);
      } else {
        k.rnn_fwd(B, H, z, ldG, ws.row(ws.Hs, t + 1, ldH), ldH);
      }
    }
    k.rows_set(R, V, p.off_("out.bias"), ws.Y, ldV);
    addXWt(this, R, V, H, ws.row(ws.Hs, 1, ldH), ldH, p.off_("out.weight"), H, this.WoutT, ldV, ws.Y, ldV);
  }

  loss(ws: Workspace, s: number, grad: boolean): number { return xentLoss(this, ws, s, grad); }

  /** Accumulates ∂(mean loss)/∂θ into grads (zero them first). */
  backward(ws: RecurrentWorkspace, s: number): void {
    const k = this.be.k, g = this.grads, { B } = ws, { H, V, G, ldG, ldH, ldV } = this;
    const R = s * B;
    const Hs1 = ws.row(ws.Hs, 1, ldH);
    // output layer
    k.gemm_tn(V, H, R, ws.Y, ldV, Hs1, ldH, g.off_("out.weight"), H);
    k.colsum_acc(R, V, ws.Y, ldV, g.off_("out.bias"));
    this.be.zero(ws.dH, R * ldH);
    k.gemm_nn(R, H, V, ws.Y, ldV, this.params.off_("out.weight"), H, ws.dH, ldH);
    // through time; no gradient enters from beyond the window (truncated BPTT)
    this.be.zero(ws.dC, B * ldH);
    const Whh = this.params.off_(`${this.kind}.weight_hh`);
    for (let t = s - 1; t >= 0; t--) {
      const dh = ws.row(ws.dH, t, ldH), dz = ws.row(ws.dZ, t, ldG);
      if (t < s - 1) k.gemm_nn(B, H, G, ws.row(ws.dZ, t + 1, ldG), ldG, Whh, H, dh, ldH);
      if (this.kind === "lstm") {
        k.lstm_bwd(B, H, ws.row(ws.Z, t, ldG), dz, ldG, ws.row(ws.Cs, t, ldH), ws.row(ws.TC, t, ldH), dh, ws.dC, ldH);
      } else {
        k.rnn_bwd(B, H, ws.row(ws.Hs, t + 1, ldH), ldH, dh, ldH, dz, ldG);
      }
    }
    // weight gradients over the whole window at once
    k.gemm_tn(G, H, R, ws.dZ, ldG, ws.Hs, ldH, g.off_(`${this.kind}.weight_hh`), H);
    inputBackward(this, ws, R, G, ws.dZ, ldG, this.dWihT, g.off_(`${this.kind}.weight_ih`), this.io.inSize, g.off_(`${this.kind}.bias`));
  }

  /** Make the state after step s the carried state for the next window. */
  carry(ws: RecurrentWorkspace, s: number): void {
    const n = ws.B * this.ldH;
    this.be.copy(ws.Hs, ws.row(ws.Hs, s, this.ldH), n);
    if (this.kind === "lstm") this.be.copy(ws.Cs, ws.row(ws.Cs, s, this.ldH), n);
  }

  resetState(ws: RecurrentWorkspace, b = -1): void { zeroState(this, ws, b); }

  stateTensors(ws: RecurrentWorkspace): StateTensor[] {
    const t = [{ name: "h", cols: this.H, off: ws.Hs, ld: this.ldH }];
    if (this.kind === "lstm") t.push({ name: "c", cols: this.H, off: ws.Cs, ld: this.ldH });
    return t;
  }
}
