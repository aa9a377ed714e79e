// The Differentiable Neural Computer (Graves et al., Nature 2016; MODELS.md):
// an LSTM controller over χ_t = [x_t; r_{t−1}], an interface vector ξ_t that
// drives one write head and R read heads over an N×W memory, and an output
// layer over [h_t; r_t]. Forward over S steps, then backpropagation through
// time through every term: controller, interface, usage, allocation, write,
// temporal links, precedence, reads, and the state of earlier steps.
//
// Names from the paper: M memory (N×W), u usage, p precedence, L links (N×N),
// w^w write weighting, w^r_i read weightings, r_i read vectors, a allocation,
// c^w / c^r content weightings, f_i / b_i forward / backward weightings.
//
// Workspace layouts (rows t·B + b; a "(S+1)" buffer keeps the carried state
// from the previous window in block 0 and step t's result in block t+1):
//   Z, dZ      S·B × 4H      controller gates (i, f, g, o) and their gradients
//   Hs, Cs     (S+1)·B × H   controller h and c;  TC  S·B × H  tanh(c)
//   XR, XI     S·B × |ξ|     interface before / after its transforms;  dXR its gradient
//   U, Ww, P   (S+1)·B × N   usage, write weighting, precedence
//   Wr         (S+1)·B × R·N read weightings;  Rv  (S+1)·B × R·W  read vectors
//   Ms         (S+1)·B × N·W memory;  Ls  (S+1)·B × N·N  links
//   A, Phi, Cw S·B × N       allocation, its sort order (i32), write content weighting
//   Cr, Fw, Bw S·B × R·N     read content, forward and backward weightings
//   Y          S·B × V       logits, then their gradient
//   MM, dMM    B × N·W       masked content addressing only: one head's masked memory and its gradient
//   KM, dKM    B × W         … and its masked key (both recomputed in the backward)
//   Psi        S·B × N       erasing de-allocation only: the retention ψ;  dPsi  B × N  its gradient
//   MR, dMR    B × N·W       … the memory scaled by ψ that the write starts from (recomputed) and its gradient
import { ConfigError } from "../errors.js";
import { Backend, ld } from "../runtime/backend.js";
import { ParamBlock, TensorSpec } from "./params.js";
import { Rng } from "../train/rng.js";
import { CharModel, ModelConfig, ModelIO, StateTensor, Workspace, WorkspaceCache, xentLoss, zeroState, asIO, ioBuffers, inputForward } from "./model.js";
import { initController, transposeWeights, controllerForward, controllerBackward, outputForward, outputBackward, controllerWeightGrads } from "./controller.js";

export interface DncSizes { hidden: number; memorySlots: number; wordSize: number; readHeads: number }

/**
 * Initial biases of the interface's gates (pre-sigmoid; default 0, i.e. 0.5):
 * an initialisation choice, not a change to the model.
 */
export interface GateBias { write?: number; allocation?: number; free?: number; readModes?: [number, number, number] }

/**
 * Options of the DNC that default off (MODELS.md, "Options that default off"), after Csordás & Schmidhuber
 * 2019. contentMask: every head's content weighting compares k ∘ s with M[n] ∘ s, for a mask s the
 * interface emits. eraseFreed: the write starts from the memory scaled by the retention ψ, so that a
 * freed word is gone, not only marked free.
 */
export interface DncOptions { gateBias?: GateBias; contentMask?: boolean; eraseFreed?: boolean }

/** The DNC's switches that default off, as config fields (true or absent) and in words. */
export const DNC_SWITCHES = [["contentMask", "masked content addressing"], ["eraseFreed", "de-allocation that erases"]] as const;

/**
 * |ξ| = R·W + 3W + 5R + 3, and the offsets of its pieces (MODELS.md order); with masked content
 * addressing (R+1)·W more after them: the read heads' masks (sr), then the write head's (sw).
 */
export function interfaceLayout(R: number, W: number, masked = false) {
  const kr = 0, br = R * W, kw = br + R, bw = kw + W, e = bw + 1, v = e + W, f = v + W, ga = f + R, gw = ga + 1, pi = gw + 1;
  const sr = pi + 3 * R, sw = sr + R * W;
  return { size: masked ? sw + W : sr, kr, br, kw, bw, e, v, f, ga, gw, pi, sr, sw };
}

export class DncWorkspace implements Workspace {
  readonly ids: number; readonly tgt: number; readonly X: number; readonly T: number; readonly mask: number; readonly Y: number;
  readonly Z: number; readonly dZ: number; readonly Hs: number; readonly Cs: number; readonly TC: number;
  readonly dH: number; readonly dC: number;
  readonly XR: number; readonly XI: number; readonly dXR: number; readonly dXI: number;
  readonly U: number; readonly Ww: number; readonly P: number; readonly Wr: number; readonly Rv: number;
  readonly Ms: number; readonly Ls: number;
  readonly A: number; readonly Phi: number; readonly Cw: number; readonly Cr: number; readonly Fw: number; readonly Bw: number;
  readonly dRv: number;
  // backward: gradients carried from step t+1 to t, as [current, previous] pairs, and per-step scratch
  readonly gM: [number, number]; readonly gL: [number, number]; readonly gP: [number, number];
  readonly gU: [number, number]; readonly gWw: [number, number]; readonly gWr: [number, number];
  readonly dA: number; readonly dCw: number; readonly dCr: number;
  readonly MM: number = 0; readonly dMM: number = 0; readonly KM: number = 0; readonly dKM: number = 0;
  readonly Psi: number = 0; readonly dPsi: number = 0; readonly MR: number = 0; readonly dMR: number = 0;

  constructor(readonly m: DncModel, readonly B: number, readonly S: number) {
    const be = m.be, R = S * B, T = (S + 1) * B, { N, W, RH, ldG, ldH, ldX, ldV } = m;
    ({ ids: this.ids, tgt: this.tgt, X: this.X, T: this.T, mask: this.mask } = ioBuffers(be, m.io, R));
    this.Y = be.alloc(R * ldV);
    this.Z = be.alloc(R * ldG); this.dZ = be.alloc(R * ldG);
    this.Hs = be.alloc(T * ldH); this.Cs = be.alloc(T * ldH); this.TC = be.alloc(R * ldH);
    this.dH = be.alloc(R * ldH); this.dC = be.alloc(B * ldH);
    this.XR = be.alloc(R * ldX); this.XI = be.alloc(R * ldX); this.dXR = be.alloc(R * ldX); this.dXI = be.alloc(B * ldX);
    this.U = be.alloc(T * N); this.Ww = be.alloc(T * N); this.P = be.alloc(T * N);
    this.Wr = be.alloc(T * RH * N); this.Rv = be.alloc(T * RH * W);
    this.Ms = be.alloc(T * N * W); this.Ls = be.alloc(T * N * N);
    this.A = be.alloc(R * N); this.Phi = be.allocI32(R * N); this.Cw = be.alloc(R * N);
    this.Cr = be.alloc(R * RH * N); this.Fw = be.alloc(R * RH * N); this.Bw = be.alloc(R * RH * N);
    this.dRv = be.alloc(R * RH * W);
    const pair = (n: number): [number, number] => [be.alloc(B * n), be.alloc(B * n)];
    this.gM = pair(N * W); this.gL = pair(N * N); this.gP = pair(N); this.gU = pair(N); this.gWw = pair(N); this.gWr = pair(RH * N);
    this.dA = be.alloc(B * N); this.dCw = be.alloc(B * N); this.dCr = be.alloc(B * RH * N);
    if (m.contentMask) {
      this.MM = be.alloc(B * N * W); this.dMM = be.alloc(B * N * W); this.KM = be.alloc(B * W); this.dKM = be.alloc(B * W);
    }
    if (m.eraseFreed) {
      this.Psi = be.alloc(R * N); this.dPsi = be.alloc(B * N); this.MR = be.alloc(B * N * W); this.dMR = be.alloc(B * N * W);
    }
  }

  /** Offset of block t of a buffer whose rows hold `width` floats. */
  at(base: number, t: number, width: number): number { return base + t * this.B * width * this.m.be.elem; }
}

export class DncModel implements CharModel {
  readonly kind = "dnc" as const;
  readonly H: number;
  readonly N: number; readonly W: number; readonly RH: number;
  readonly In: number; readonly G: number; readonly X: number; readonly HR: number;
  readonly ldG: number; readonly ldH: number; readonly ldX: number; readonly ldV: number;
  readonly params: ParamBlock;
  readonly grads: ParamBlock;
  readonly xi: ReturnType<typeof interfaceLayout>;
  readonly WihT: number; readonly WhhT: number; readonly WxiT: number; readonly WoutT: number;
  readonly dWihT: number;
  private stale = true;
  /** Reuse the allocation sort order of the last forward (for the gradient check). */
  sortFrozen = false;
  private readonly spaces = new WorkspaceCache<DncWorkspace>();

  readonly io: ModelIO;
  readonly V: number;

  readonly gateBias: GateBias;
  readonly contentMask: boolean;
  readonly eraseFreed: boolean;

  constructor(readonly be: Backend, io: number | ModelIO, sizes: DncSizes, options: DncOptions = {}) {
    this.gateBias = options.gateBias ?? {};
    this.contentMask = options.contentMask === true;
    this.eraseFreed = options.eraseFreed === true;
    this.io = asIO(io);
    const V = this.V = this.io.outSize, Vin = this.io.inSize;
    const { hidden: H, memorySlots: N, wordSize: W, readHeads: R } = sizes;
    for (const [k, v] of Object.entries(sizes)) {
      if (!Number.isInteger(v) || v < 1) throw new ConfigError(`${k} must be a positive integer (got ${v})`);
    }
    // the kernels' static scratch holds this many slots and key floats (assembly/scratch.ts)
    const maxN = Number(be.k.MAX_SLOTS), maxW = Number(be.k.MAX_KEY);
    if (N > maxN) throw new ConfigError(`memorySlots must be at most ${maxN} (got ${N})`);
    if (W > maxW) throw new ConfigError(`wordSize must be at most ${maxW} (got ${W})`);
    this.H = H; this.N = N; this.W = W; this.RH = R;
    this.In = Vin + R * W; this.G = 4 * H; this.xi = interfaceLayout(R, W, this.contentMask); this.X = this.xi.size; this.HR = H + R * W;
    this.ldG = ld(this.G); this.ldH = ld(H); this.ldX = ld(this.X); this.ldV = ld(V);
    this.params = new ParamBlock(be, DncModel.specs(this.io, sizes, this.contentMask));
    this.grads = this.params.like();
    this.WihT = be.alloc(this.In * this.ldG); this.WhhT = be.alloc(H * this.ldG);
    this.WxiT = be.alloc(H * this.ldX); this.WoutT = be.alloc(this.HR * this.ldV);
    this.dWihT = be.alloc(Vin * this.ldG);
  }

  static specs(io: number | ModelIO, s: DncSizes, contentMask = false): TensorSpec[] {
    const { hidden: H, wordSize: W, readHeads: R } = s, X = interfaceLayout(R, W, contentMask).size, { inSize, outSize: V } = asIO(io);
    return [
      { name: "lstm.weight_ih", shape: [4 * H, inSize + R * W] },
      { name: "lstm.weight_hh", shape: [4 * H, H] },
      { name: "lstm.bias", shape: [4 * H] },
      { name: "interface.weight", shape: [X, H] },
      { name: "interface.bias", shape: [X] },
      { name: "out.weight", shape: [V, H + R * W] },
      { name: "out.bias", shape: [V] },
    ];
  }

  get config(): ModelConfig {
    const g = this.gateBias;
    const c: ModelConfig = { hidden: this.H, memorySlots: this.N, wordSize: this.W, readHeads: this.RH,
      ...(Object.keys(g).length ? { gateBias: g } : {}), ...(this.contentMask ? { contentMask: true } : {}),
      ...(this.eraseFreed ? { eraseFreed: true } : {}) };
    return this.io.input === "dense" ? { ...c, inputSize: this.io.inSize, outputSize: this.io.outSize } : c;
  }

  /** The controller's initialisation (controller.ts), then any initial gate biases. */
  init(rng: Rng): void {
    initController(this, rng);
    const b = this.params.view("interface.bias"), g = this.gateBias, xi = this.xi;
    if (g.write !== undefined) b[xi.gw] = g.write;
    if (g.allocation !== undefined) b[xi.ga] = g.allocation;
    if (g.free !== undefined) b.fill(g.free, xi.f, xi.f + this.RH);
    if (g.readModes !== undefined) for (let i = 0; i < this.RH; i++) b.set(g.readModes, xi.pi + 3 * i);
    this.paramsChanged();
  }

  paramsChanged(): void { this.stale = true; }

  private refresh(): void {
    if (!this.stale) return;
    transposeWeights(this);
    this.stale = false;
  }

  workspace(B: number, S: number): DncWorkspace { return this.spaces.get(B, S, () => new DncWorkspace(this, B, S)); }

  forward(ws: DncWorkspace, s: number): void {
    this.refresh();
    const k = this.be.k, p = this.params, { B } = ws;
    const { N, W, RH: R, G, ldG, ldX, xi } = this, RW = R * W, RN = R * N;
    inputForward(this, ws, s * B, G, this.WihT, ldG, p.off_("lstm.bias"), ws.Z);
    for (let t = 0; t < s; t++) {
      controllerForward(this, ws, t);
      const x = ws.at(ws.XI, t, ldX);
      k.dnc_iface_fwd(B, R, W, ws.at(ws.XR, t, ldX), x, ldX);
      if (this.contentMask) k.dnc_mask_iface_fwd(B, R, W, ws.at(ws.XR, t, ldX), x, ldX);
      // access: usage → allocation → write weighting → memory → links → reads
      const Mp = ws.at(ws.Ms, t, N * W), Mt = ws.at(ws.Ms, t + 1, N * W);
      const u = ws.at(ws.U, t + 1, N), a = ws.at(ws.A, t, N), cw = ws.at(ws.Cw, t, N), ww = ws.at(ws.Ww, t + 1, N);
      k.dnc_usage_fwd(B, N, R, W, ws.at(ws.U, t, N), ws.at(ws.Ww, t, N), ws.at(ws.Wr, t, RN), x, ldX, u);
      k.dnc_alloc_fwd(B, N, u, a, ws.Phi + t * B * N * 4, this.sortFrozen ? 1 : 0, t > 0 ? ws.Phi + (t - 1) * B * N * 4 : 0);
      this.contentFwd(ws, 1, Mp, x, xi.kw, xi.bw, xi.sw, cw, N);
      k.dnc_write_fwd(B, N, W, R, x, ldX, a, cw, ww, this.writeBase(ws, t, x), Mt);
      k.dnc_link_fwd(B, N, ww, ws.at(ws.Ls, t, N * N), ws.at(ws.P, t, N), ws.at(ws.Ls, t + 1, N * N), ws.at(ws.P, t + 1, N));
      const cr = ws.at(ws.Cr, t, RN);
      this.contentFwd(ws, R, Mt, x, xi.kr, xi.br, xi.sr, cr, RN);
      k.dnc_read_fwd(B, N, W, R, ws.at(ws.Ls, t + 1, N * N), ws.at(ws.Wr, t, RN), Mt, cr, x, ldX,
        ws.at(ws.Fw, t, RN), ws.at(ws.Bw, t, RN), ws.at(ws.Wr, t + 1, RN), ws.at(ws.Rv, t + 1, RW));
    }
    outputForward(this, ws, s);
  }

  loss(ws: Workspace, s: number, grad: boolean): number { return xentLoss(this, ws, s, grad); }

  backward(ws: DncWorkspace, s: number): void {
    const k = this.be.k, be = this.be, { B } = ws;
    const { N, W, RH: R, ldX, xi } = this, RW = R * W, RN = R * N;
    outputBackward(this, ws, s);
    // nothing flows in from beyond the window (truncated BPTT)
    for (const [pair, w] of [[ws.gM, N * W], [ws.gL, N * N], [ws.gP, N], [ws.gU, N], [ws.gWw, N], [ws.gWr, RN]] as const) {
      be.zero(pair[0], B * w);
    }
    let [dM, dMp] = ws.gM, [dL, dLp] = ws.gL, [dp, dpp] = ws.gP, [du, dup] = ws.gU, [dww, dwwp] = ws.gWw, [dwr, dwrp] = ws.gWr;
    for (let t = s - 1; t >= 0; t--) {
      const x = ws.at(ws.XI, t, ldX), dx = ws.dXI;
      const Mp = ws.at(ws.Ms, t, N * W), Mt = ws.at(ws.Ms, t + 1, N * W);
      const cr = ws.at(ws.Cr, t, RN), ww = ws.at(ws.Ww, t + 1, N);
      be.zero(dx, B * ldX);
      be.zero(dMp, B * N * W); be.zero(dup, B * N); be.zero(dwwp, B * N); be.zero(dwrp, B * RN);
      // reads, and the read heads' content weighting on M_t
      k.dnc_read_bwd(B, N, W, R, ws.at(ws.Ls, t + 1, N * N), ws.at(ws.Wr, t, RN), Mt, cr, x, ldX,
        ws.at(ws.Fw, t, RN), ws.at(ws.Bw, t, RN), ws.at(ws.Wr, t + 1, RN), ws.at(ws.dRv, t, RW), dwr, dM, dL, dwrp, ws.dCr, dx);
      this.contentBwd(ws, R, Mt, x, xi.kr, xi.br, xi.sr, cr, ws.dCr, RN, dM, dx);
      // links and precedence, then the memory write and the write weighting
      k.dnc_link_bwd(B, N, ww, ws.at(ws.Ls, t, N * N), ws.at(ws.P, t, N), dL, dp, dLp, dpp, dww);
      if (!this.eraseFreed) k.dnc_write_bwd(B, N, W, R, x, ldX, ws.at(ws.A, t, N), ws.at(ws.Cw, t, N), ww, Mp, dM, dww, dMp, ws.dA, ws.dCw, dx);
      else {
        // the write started from ψ ∘ M_{t−1}: its gradient goes back through the row scaling to M_{t−1} and ψ
        const psi = ws.at(ws.Psi, t, N);
        k.dnc_rowscale_fwd(B, N, W, psi, Mp, ws.MR);
        be.zero(ws.dMR, B * N * W); be.zero(ws.dPsi, B * N);
        k.dnc_write_bwd(B, N, W, R, x, ldX, ws.at(ws.A, t, N), ws.at(ws.Cw, t, N), ww, ws.MR, dM, dww, ws.dMR, ws.dA, ws.dCw, dx);
        k.dnc_rowscale_bwd(B, N, W, psi, Mp, ws.dMR, dMp, ws.dPsi);
        k.dnc_retention_bwd(B, N, R, W, ws.at(ws.Wr, t, RN), x, ldX, ws.dPsi, dwrp, dx);
      }
      this.contentBwd(ws, 1, Mp, x, xi.kw, xi.bw, xi.sw, ws.at(ws.Cw, t, N), ws.dCw, N, dMp, dx);
      // allocation and usage
      const u = ws.at(ws.U, t + 1, N);
      k.dnc_alloc_bwd(B, N, u, ws.at(ws.A, t, N), ws.Phi + t * B * N * 4, ws.dA, du);
      k.dnc_usage_bwd(B, N, R, W, ws.at(ws.U, t, N), ws.at(ws.Ww, t, N), ws.at(ws.Wr, t, RN), x, ldX, du, dup, dwwp, dwrp, dx);
      // interface → h_t → the controller
      k.dnc_iface_bwd(B, R, W, ws.at(ws.XR, t, ldX), x, dx, ws.at(ws.dXR, t, ldX), ldX);
      if (this.contentMask) k.dnc_mask_iface_bwd(B, R, W, x, dx, ws.at(ws.dXR, t, ldX), ldX);
      controllerBackward(this, ws, t, s);
      [dM, dMp] = [dMp, dM]; [dL, dLp] = [dLp, dL]; [dp, dpp] = [dpp, dp];
      [du, dup] = [dup, du]; [dww, dwwp] = [dwwp, dww]; [dwr, dwrp] = [dwrp, dwr];
    }
    controllerWeightGrads(this, ws, s);
  }

  /**
   * The memory step t's write starts from: M_{t−1}, or with erasing de-allocation ψ ∘ M_{t−1} (ψ from
   * the free gates and the last read weightings, kept per step for the backward).
   */
  private writeBase(ws: DncWorkspace, t: number, x: number): number {
    const Mp = ws.at(ws.Ms, t, this.N * this.W);
    if (!this.eraseFreed) return Mp;
    const k = this.be.k, { B } = ws, { N, W, RH: R, ldX } = this, psi = ws.at(ws.Psi, t, N);
    k.dnc_retention_fwd(B, N, R, W, ws.at(ws.Wr, t, R * N), x, ldX, psi);
    k.dnc_rowscale_fwd(B, N, W, psi, Mp, ws.MR);
    return ws.MR;
  }

  /**
   * The content weightings of n heads over memory M (rows of c ldc apart); their keys and strengths at
   * ξ offsets ko and bo of the step's rows x. With masked content addressing, head by head: the
   * memory and the key times the head's mask (at ξ offset so), then the plain weighting.
   */
  private contentFwd(ws: DncWorkspace, n: number, M: number, x: number, ko: number, bo: number, so: number, c: number, ldc: number): void {
    const k = this.be.k, e = this.be.elem, { B } = ws, { N, W, ldX } = this;
    if (!this.contentMask) { k.dnc_content_fwd(B, n, N, W, M, x + ko * e, ldX, x + bo * e, ldX, c, ldc); return; }
    for (let h = 0; h < n; h++) {
      const s = x + (so + h * W) * e;
      k.dnc_mask_fwd(B, N, W, M, N * W, s, ldX, ws.MM, N * W);
      k.dnc_mask_fwd(B, 1, W, x + (ko + h * W) * e, ldX, s, ldX, ws.KM, W);
      k.dnc_content_fwd(B, 1, N, W, ws.MM, ws.KM, W, x + (bo + h) * e, ldX, c + h * N * e, ldc);
    }
  }

  /** The backward of contentFwd: gradients into dM and the step's ξ gradient dx (keys, strengths, masks). */
  private contentBwd(ws: DncWorkspace, n: number, M: number, x: number, ko: number, bo: number, so: number,
                     c: number, dc: number, ldc: number, dM: number, dx: number): void {
    const k = this.be.k, be = this.be, e = be.elem, { B } = ws, { N, W, ldX } = this;
    if (!this.contentMask) {
      k.dnc_content_bwd(B, n, N, W, M, x + ko * e, ldX, x + bo * e, ldX, c, dc, ldc, dM, dx + ko * e, dx + bo * e);
      return;
    }
    for (let h = 0; h < n; h++) {
      const s = x + (so + h * W) * e, ds = dx + (so + h * W) * e, kh = x + (ko + h * W) * e;
      k.dnc_mask_fwd(B, N, W, M, N * W, s, ldX, ws.MM, N * W);
      k.dnc_mask_fwd(B, 1, W, kh, ldX, s, ldX, ws.KM, W);
      be.zero(ws.dMM, B * N * W); be.zero(ws.dKM, B * W);
      k.dnc_content_bwd(B, 1, N, W, ws.MM, ws.KM, W, x + (bo + h) * e, ldX, c + h * N * e, dc + h * N * e, ldc, ws.dMM, ws.dKM, dx + (bo + h) * e);
      k.dnc_mask_bwd(B, N, W, M, N * W, s, ldX, ws.dMM, N * W, dM, ds);
      k.dnc_mask_bwd(B, 1, W, kh, ldX, s, ldX, ws.dKM, W, dx + (ko + h * W) * e, ds);
    }
  }

  carry(ws: DncWorkspace, s: number): void {
    for (const st of this.stateTensors(ws)) this.be.copy(st.off, ws.at(st.off, s, st.ld), ws.B * st.ld);
  }

  resetState(ws: DncWorkspace, b = -1): void { zeroState(this, ws, b); }

  stateTensors(ws: DncWorkspace): StateTensor[] {
    const { H, N, W, RH: R, ldH } = this;
    return [
      { name: "h", cols: H, off: ws.Hs, ld: ldH }, { name: "c", cols: H, off: ws.Cs, ld: ldH },
      { name: "usage", cols: N, off: ws.U, ld: N }, { name: "write_weights", cols: N, off: ws.Ww, ld: N },
      { name: "precedence", cols: N, off: ws.P, ld: N }, { name: "read_weights", cols: R * N, off: ws.Wr, ld: R * N },
      { name: "read_vectors", cols: R * W, off: ws.Rv, ld: R * W }, { name: "memory", cols: N * W, off: ws.Ms, ld: N * W },
      { name: "links", cols: N * N, off: ws.Ls, ld: N * N },
    ];
  }
}
