// Sparse Access Memory (SAM; Rae et al., "Scaling Memory-Augmented Neural
// Networks with Sparse Reads and Writes", NIPS 2016; MODELS.md): the DNC's
// LSTM controller and output layer over a memory that each step touches in
// K slots per read head and R·K + 1 slots for the write, chosen by an exact
// top-K content scan (the one O(N·W) part) and by the least-recently-used
// slot. There are no N×N links and no usage vector to differentiate.
//
// The memory is not copied per step: each stream has one N×W memory that the
// forward pass changes in place, logging the K-row write of each step (rows
// before and after) and the access times it replaces. The backward pass walks
// the steps back, undoing each step's write after its gradients are taken, so
// that step t's reads see M_t; carry() then redoes the window's writes. A
// forward pass that is not carried on (a second forward from the same state,
// as the gradient check does) first undoes the pending one.
//
// Workspace layouts (rows t·B + b; "(S+1)" buffers keep the carried state in
// block 0 and step t's result in block t+1; RK = R·K, Kw = R·K + 1):
//   Z, dZ, Hs, Cs, TC, dH, dC   the controller, as the dense DNC's
//   XR, XI, dXR, dXI            ξ before / after its transforms, and gradients
//   Rv (S+1)·B × R·W            read vectors;  dRv their gradients
//   Ridx, Rw (S+1)·B × RK       read slots (floats) and weights;  Sim S·B × RK  similarities
//   Lru S·B; Widx, Wval S·B × Kw   the write: slot erased, entries' slots and weights
//   Old, New S·B × Kw·W         each write entry's row before and after
//   Tlog S·B × (Kw + RK)        access times each step replaced
//   M B × N·W, Tau B × N, Clock B   the memory, last-access times and step counters (in place)
//   Q B × N records (bytes)     the exact scan's 16-bit copy of M with each row's scale, norm and 1-norm,
//   D B × (N + 1) i32           and the rows changed since the last scan, quantised by the next
//                               (assembly/sam/quant.ts); with R ≥ 2, the f32 build and no LSH index
//   dM B × N·W                  memory gradient, all zero between backward passes
import { ConfigError } from "../errors.js";
import { Backend, ld } from "../runtime/backend.js";
import { ParamBlock, TensorSpec } from "./params.js";
import { Rng } from "../train/rng.js";
import { CharModel, ModelConfig, ModelIO, StateData, StateTensor, Workspace, WorkspaceCache, xentLoss, zeroState, asIO, ioBuffers, inputForward } from "./model.js";
import { initController, transposeWeights, controllerForward, controllerBackward, outputForward, outputBackward, controllerWeightGrads } from "./controller.js";

export interface SamSizes { hidden: number; memorySlots: number; wordSize: number; readHeads: number; sparse: number }

/** The approximate content scan (assembly/sam/lsh.ts): 2^bits buckets, `probes` of them per head; the exact scan when absent. */
export interface Lsh { bits: number; probes: number }

/** Largest `bits` the kernels' scratch holds (assembly/scratch.ts; checked where configs are read, before a module exists). */
export const MAX_LSH_BITS = 20;

/** Why an lsh setting is unusable (a message), or undefined. */
export function lshProblem(lsh: unknown): string | undefined {
  if (lsh === undefined) return undefined;
  const l = lsh as Record<string, unknown>;
  if (typeof l !== "object" || l === null || Object.keys(l).some((k) => k !== "bits" && k !== "probes")) return "lsh must be an object { bits, probes }";
  if (!Number.isInteger(l.bits) || (l.bits as number) < 1 || (l.bits as number) > MAX_LSH_BITS) return `lsh.bits must be an integer in 1..${MAX_LSH_BITS} (got ${JSON.stringify(l.bits)})`;
  if (!Number.isInteger(l.probes) || (l.probes as number) < 1 || (l.probes as number) > (l.bits as number) + 1) return `lsh.probes must be an integer in 1..bits + 1 = ${(l.bits as number) + 1} (got ${JSON.stringify(l.probes)})`;
  return undefined;
}

/** The index's hyperplanes: bits × W standard normals from a fixed seed (MODELS.md), the same in every build and thread. */
export function lshPlanes(bits: number, W: number): Float64Array {
  const rng = new Rng(LSH_SEED), out = new Float64Array(bits * W);
  for (let i = 0; i < out.length; i++) {
    // Box–Muller; 1 − u keeps the logarithm finite
    const u = 1 - rng.next(), v = rng.next();
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}
const LSH_SEED = 0x15ca11;

/**
 * |ξ| = R·W + R + W + 2, and the offsets of its pieces (assembly/sam/common.ts);
 * the sparse DNC's (temporal) adds 3R read modes at `modes` (assembly/sdnc/interface.ts).
 */
export function samInterfaceLayout(R: number, W: number, temporal = false) {
  const kr = 0, br = R * W, v = br + R, a = v + W, g = a + 1, modes = g + 1;
  return { size: modes + (temporal ? 3 * R : 0), kr, br, v, a, g, modes };
}
export type SamLayout = ReturnType<typeof samInterfaceLayout>;

/** Whether the exact scan keeps its 16-bit copy: it reads it for groups of two to four heads, in the f32 build, without an LSH index. */
export function usesQuantCopy(lsh: Lsh | undefined, readHeads: number, precision: string): boolean {
  return lsh === undefined && readHeads >= 2 && precision === "f32";
}

/** Times stay exact integers in f32 below 2^24; a clock past this is moved back (sam_rebase). */
const CLOCK_LIMIT = 2 ** 22;

export class SamWorkspace implements Workspace {
  readonly ids: number; readonly tgt: number; readonly X: number; readonly T: number; readonly mask: number; readonly Y: number;
  readonly Z: number; readonly dZ: number; readonly Hs: number; readonly Cs: number; readonly TC: number;
  readonly dH: number; readonly dC: number;
  readonly XR: number; readonly XI: number; readonly dXR: number; readonly dXI: number;
  readonly Rv: number; readonly dRv: number; readonly Ridx: number; readonly Rw: number; readonly Sim: number;
  readonly Lru: number; readonly Widx: number; readonly Wval: number; readonly Old: number; readonly New: number; readonly Tlog: number;
  readonly M: number; readonly Tau: number; readonly Clock: number;
  readonly dRw: [number, number];
  /** The LSH index's tables (i32, one per stream), when the model has one. */
  readonly Tab: number;
  /** The exact scan's 16-bit records of M (B × N × quantRecord bytes) and its stale rows; 0 where the scan cannot use them. */
  readonly Q: number;
  readonly D: number;
  private dM_ = 0;
  /** Steps forwarded since the last carry, and how many of their writes M holds (that many, or 0 after a backward). */
  pending = 0;
  applied = 0;

  constructor(readonly m: SamModel, readonly B: number, readonly S: number) {
    const be = m.be, R = S * B, T = (S + 1) * B, { N, W, RK, Kw, ldG, ldH, ldX, ldV } = m, RW = m.RH * W;
    ({ ids: this.ids, tgt: this.tgt, X: this.X, T: this.T, mask: this.mask } = ioBuffers(be, m.io, R));
    this.Y = be.alloc(R * ldV);
    this.Z = be.alloc(R * ldG); this.dZ = be.alloc(R * ldG);
    this.Hs = be.alloc(T * ldH); this.Cs = be.alloc(T * ldH); this.TC = be.alloc(R * ldH);
    this.dH = be.alloc(R * ldH); this.dC = be.alloc(B * ldH);
    this.XR = be.alloc(R * ldX); this.XI = be.alloc(R * ldX); this.dXR = be.alloc(R * ldX); this.dXI = be.alloc(B * ldX);
    this.Rv = be.alloc(T * RW); this.dRv = be.alloc(R * RW);
    this.Ridx = be.alloc(T * RK); this.Rw = be.alloc(T * RK); this.Sim = be.alloc(R * RK);
    this.Lru = be.alloc(R); this.Widx = be.alloc(R * Kw); this.Wval = be.alloc(R * Kw);
    this.Old = be.alloc(R * Kw * W); this.New = be.alloc(R * Kw * W); this.Tlog = be.alloc(R * (Kw + RK));
    this.M = be.alloc(B * N * W); this.Tau = be.alloc(B * N); this.Clock = be.alloc(B);
    this.dRw = [be.alloc(B * RK), be.alloc(B * RK)];
    this.Tab = m.lsh ? be.allocI32(B * m.tableSize) : 0;
    if (m.lsh) be.k.sam_index_reset(B, N, m.lsh.bits, this.Tab);
    const bounded = usesQuantCopy(m.lsh, m.RH, be.precision);
    this.Q = bounded ? be.allocI32(B * N * m.quantRecord / 4) : 0;
    this.D = bounded ? be.allocI32(B * (N + 1)) : 0;
    if (this.Q) be.k.sam_quant_build(B, N, W, this.M, this.Q, this.D);
  }

  /** The memory gradient, laid out at the first backward pass (evaluation and sampling never need it). */
  get dM(): number { if (!this.dM_) this.dM_ = this.m.be.alloc(this.B * this.m.N * this.m.W); return this.dM_; }

  /** Offset of block t of a buffer whose rows hold `width` floats. */
  at(base: number, t: number, width: number): number { return base + t * this.B * width * this.m.be.elem; }
}

export class SamModel implements CharModel {
  readonly kind: "sam" | "sdnc" = "sam";
  readonly H: number; readonly N: number; readonly W: number; readonly RH: number; readonly K: number;
  /** Read entries per head (K; the sparse DNC's 3K), all heads' (R·Kr) and the write's (R·Kr + 1). */
  readonly Kr: number; readonly RK: number; readonly Kw: number;
  readonly In: number; readonly G: number; readonly X: number; readonly HR: number;
  readonly ldG: number; readonly ldH: number; readonly ldX: number; readonly ldV: number;
  readonly params: ParamBlock;
  readonly grads: ParamBlock;
  readonly xi: SamLayout;
  readonly io: ModelIO;
  readonly V: number;
  /** Reuse the slots (top-K sets, least-used slot) of the last forward pass (for the gradient check). */
  frozen = false;
  /** The exact scan skips the rows its 16-bit copy rules out (the default; the same results); false scores every row (bench/scan.mjs). */
  boundedScan = true;
  readonly lsh?: Lsh;
  /** The LSH index: hyperplanes (bits × W) and the i32 entries of one stream's table. */
  readonly planes: number = 0;
  readonly tableSize: number = 0;
  /** Rows the content scan scored in full precision since creation, per head, for the benchmarks. */
  scanned = 0;
  /** Bytes of one row's record in the exact scan's 16-bit copy (assembly/sam/quant.ts). */
  readonly quantRecord: number;
  readonly WihT: number; readonly WhhT: number; readonly WxiT: number; readonly WoutT: number;
  readonly dWihT: number;
  private stale = true;
  protected readonly spaces = new WorkspaceCache<SamWorkspace>();

  constructor(readonly be: Backend, io: number | ModelIO, sizes: SamSizes, o: { lsh?: Lsh; temporal?: boolean } = {}) {
    this.io = asIO(io);
    const V = this.V = this.io.outSize, Vin = this.io.inSize;
    const { hidden: H, memorySlots: N, wordSize: W, readHeads: R, sparse: K } = sizes;
    for (const [k, v] of Object.entries(sizes)) {
      if (!Number.isInteger(v) || v < 1) throw new ConfigError(`${k} must be a positive integer (got ${v})`);
    }
    if (K > N) throw new ConfigError(`sparse reads K (${K}) must not exceed the memory slots N (${N})`);
    if (N >= 2 ** 24) throw new ConfigError(`memorySlots must be below 2^24 (got ${N}): slots are stored as floats`);
    const bad = lshProblem(o.lsh);
    if (bad) throw new ConfigError(bad);
    const maxHeads = Number(be.k.MAX_LSH_HEADS);
    if (o.lsh && R > maxHeads) throw new ConfigError(`the LSH index serves at most ${maxHeads} read heads (got ${R})`);
    const temporal = o.temporal === true;
    this.H = H; this.N = N; this.W = W; this.RH = R; this.K = K; this.Kr = temporal ? 3 * K : K; this.RK = R * this.Kr; this.Kw = this.RK + 1;
    this.In = Vin + R * W; this.G = 4 * H; this.xi = samInterfaceLayout(R, W, temporal); this.X = this.xi.size; this.HR = H + R * W;
    const k = be.k;
    if (Number(k.sam_xi_offset(R, W, 4)) !== this.xi.modes || Number(k.sam_xi_offset(R, W, 1)) !== this.xi.v
        || (temporal && Number(k.sdnc_xi_size(R, W)) !== this.X)) {
      throw new Error("the host's SAM interface layout disagrees with the kernels'");
    }
    this.ldG = ld(this.G); this.ldH = ld(H); this.ldX = ld(this.X); this.ldV = ld(V);
    this.params = new ParamBlock(be, SamModel.specs(this.io, sizes, temporal));
    this.grads = this.params.like();
    this.WihT = be.alloc(this.In * this.ldG); this.WhhT = be.alloc(H * this.ldG);
    this.WxiT = be.alloc(H * this.ldX); this.WoutT = be.alloc(this.HR * this.ldV);
    this.dWihT = be.alloc(Vin * this.ldG);
    // the exact scan's copy stages a row and four keys in the kernels' scratch
    if (usesQuantCopy(o.lsh, R, be.precision) && W > Number(k.MAX_KEY)) throw new ConfigError(`wordSize must be at most ${Number(k.MAX_KEY)} for the exact scan (got ${W}; the LSH index has no such limit)`);
    this.quantRecord = Number(k.sam_quant_record(W));
    if (o.lsh) {
      this.lsh = { ...o.lsh };
      this.planes = be.alloc(o.lsh.bits * W);
      be.F.set(lshPlanes(o.lsh.bits, W), this.planes / be.elem);
      this.tableSize = Number(k.sam_lsh_table_size(N, o.lsh.bits));
    }
  }

  /** The dense DNC's tensors, but for the interface's size. */
  static specs(io: number | ModelIO, s: SamSizes, temporal = false): TensorSpec[] {
    const { hidden: H, wordSize: W, readHeads: R } = s, X = samInterfaceLayout(R, W, temporal).size, { inSize, outSize: V } = asIO(io);
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
    const c: ModelConfig = { hidden: this.H, memorySlots: this.N, wordSize: this.W, readHeads: this.RH, sparse: this.K, ...(this.lsh ? { lsh: { ...this.lsh } } : {}) };
    return this.io.input === "dense" ? { ...c, inputSize: this.io.inSize, outputSize: this.io.outSize } : c;
  }

  /** The controller's initialisation (controller.ts). */
  init(rng: Rng): void {
    initController(this, rng);
    this.paramsChanged();
  }

  paramsChanged(): void { this.stale = true; }

  protected refresh(): void {
    if (!this.stale) return;
    transposeWeights(this);
    this.stale = false;
  }

  workspace(B: number, S: number): SamWorkspace { return this.spaces.get(B, S, () => new SamWorkspace(this, B, S)); }

  /** Re-buckets the rows `cnt` entries per stream name, or marks them stale in the exact scan's copy, after they changed. */
  protected reindex(ws: SamWorkspace, idx: number, cnt: number): void {
    if (this.lsh) this.be.k.sam_index_rows(ws.B, this.N, this.W, this.lsh.bits, ws.M, this.planes, ws.Tab, idx, cnt);
    if (ws.Q) this.be.k.sam_quant_mark(ws.B, this.N, this.W, ws.Q, ws.D, idx, cnt);
  }

  /** Step t's write rows from its log back into memory (undo: the rows before; redo: after), and the index after them. */
  protected logRows(ws: SamWorkspace, t: number, undo: boolean): void {
    const { N, W, RH: R, Kr, Kw } = this, widx = ws.at(ws.Widx, t, Kw);
    this.be.k.sam_rows(ws.B, R, N, W, Kr, ws.M, widx, ws.at(undo ? ws.Old : ws.New, t, Kw * W), undo ? 1 : 0);
    this.reindex(ws, widx, Kw);
  }

  /** Undo steps [from, to) of the pending forward pass: their writes (if M holds them) and access times. */
  protected undo(ws: SamWorkspace, from: number, to: number): void {
    const k = this.be.k, { B } = ws, { N, Kw, RK } = this;
    for (let t = to - 1; t >= from; t--) {
      if (ws.applied === ws.pending) this.logRows(ws, t, true);
      k.sam_usage_undo(B, N, Kw, RK, ws.Tau, ws.Clock, ws.at(ws.Widx, t, Kw), ws.at(ws.Ridx, t + 1, RK), ws.at(ws.Tlog, t, Kw + RK));
    }
  }

  /** Forget a pending forward pass: the state is the carried one again. */
  protected rollback(ws: SamWorkspace): void {
    if (ws.pending === 0) return;
    this.undo(ws, 0, ws.pending);
    ws.pending = 0; ws.applied = 0;
  }

  /** The content scan of step t's keys (in ξ row x) over M: K slots and similarities per head into idx, sim. */
  protected scan(ws: SamWorkspace, x: number, idx: number, sim: number): void {
    const k = this.be.k, { B } = ws, { N, W, RH: R, K, ldX, xi } = this, key = x + xi.kr * this.be.elem;
    if (this.lsh && !this.frozen) this.scanned += Number(k.sam_scan_lsh(B, R, N, W, K, this.lsh.bits, this.lsh.probes, ws.M, key, ldX, this.planes, ws.Tab, idx, sim));
    else this.scanned += Number(k.sam_scan_bounded(B, R, N, W, K, ws.M, this.boundedScan ? ws.Q : 0, ws.D, key, ldX, idx, sim, this.frozen ? 1 : 0));
  }

  forward(ws: SamWorkspace, s: number): void {
    this.refresh();
    this.rollback(ws);
    const k = this.be.k, p = this.params, e = this.be.elem, { B } = ws;
    const { N, W, RH: R, K, RK, Kw, G, ldG, ldX, xi } = this, RW = R * W;
    inputForward(this, ws, s * B, G, this.WihT, ldG, p.off_("lstm.bias"), ws.Z);
    for (let t = 0; t < s; t++) {
      controllerForward(this, ws, t);
      const x = ws.at(ws.XI, t, ldX);
      k.sam_iface_fwd(B, R, W, ws.at(ws.XR, t, ldX), x, ldX);
      // write (to the last step's read slots and the least-used slot), then read M_t
      const lru = ws.at(ws.Lru, t, 1), widx = ws.at(ws.Widx, t, Kw), wval = ws.at(ws.Wval, t, Kw);
      const ridx = ws.at(ws.Ridx, t + 1, RK), rw = ws.at(ws.Rw, t + 1, RK), sim = ws.at(ws.Sim, t, RK);
      if (!this.frozen) k.sam_lru(B, N, ws.Tau, lru);
      k.sam_write_fwd(B, R, N, W, K, x, ldX, ws.at(ws.Ridx, t, RK), ws.at(ws.Rw, t, RK), lru, ws.M, widx, wval,
        ws.at(ws.Old, t, Kw * W), ws.at(ws.New, t, Kw * W));
      this.reindex(ws, widx, Kw);
      this.scan(ws, x, ridx, sim);
      k.sam_read_fwd(B, R, N, W, K, ws.M, ridx, sim, x + xi.br * e, ldX, rw, ws.at(ws.Rv, t + 1, RW));
      k.sam_usage_fwd(B, N, Kw, RK, ws.Tau, ws.Clock, widx, wval, ridx, rw, ws.at(ws.Tlog, t, Kw + RK));
    }
    ws.pending = s; ws.applied = s;
    outputForward(this, ws, s);
  }

  loss(ws: Workspace, s: number, grad: boolean): number { return xentLoss(this, ws, s, grad); }

  backward(ws: SamWorkspace, s: number): void {
    if (ws.pending !== s || ws.applied !== s) throw new Error(`backward over ${s} steps needs the forward pass of those steps`);
    const k = this.be.k, e = this.be.elem, be = this.be, { B } = ws;
    const { N, W, RH: R, K, RK, Kw, ldX, xi } = this, RW = R * W;
    const dM = ws.dM;
    outputBackward(this, ws, s);
    let [dw, dwp] = ws.dRw;
    be.zero(dw, B * RK); // nothing flows in from beyond the window
    for (let t = s - 1; t >= 0; t--) {
      const x = ws.at(ws.XI, t, ldX), dx = ws.dXI;
      be.zero(dx, B * ldX);
      be.zero(dwp, B * RK);
      // reads of M_t, then the write that made M_t from M_{t−1}, then M back to M_{t−1}
      k.sam_read_bwd(B, R, N, W, K, ws.M, ws.at(ws.Ridx, t + 1, RK), x + xi.kr * e, ldX, x + xi.br * e, ldX,
        ws.at(ws.Rw, t + 1, RK), ws.at(ws.dRv, t, RW), dw, dM, dx + xi.kr * e, dx + xi.br * e);
      k.sam_write_bwd(B, R, N, W, K, x, ldX, ws.at(ws.Rw, t, RK), ws.at(ws.Widx, t, Kw), ws.at(ws.Wval, t, Kw), dM, dwp, dx, 0);
      this.logRows(ws, t, true);
      k.sam_iface_bwd(B, R, W, ws.at(ws.XR, t, ldX), x, dx, ws.at(ws.dXR, t, ldX), ldX);
      controllerBackward(this, ws, t, s);
      [dw, dwp] = [dwp, dw];
    }
    ws.applied = 0;
    // dM back to all zero: only rows the window touched can be non-zero
    for (let t = 0; t < s; t++) {
      k.sam_zero_rows(B, N, W, RK, ws.at(ws.Ridx, t + 1, RK), dM);
      k.sam_zero_rows(B, N, W, Kw, ws.at(ws.Widx, t, Kw), dM);
    }
    controllerWeightGrads(this, ws, s);
  }

  carry(ws: SamWorkspace, s: number): void {
    if (s > ws.pending) throw new Error(`cannot carry ${s} steps of a forward pass of ${ws.pending}`);
    const k = this.be.k, { B } = ws, { N } = this;
    this.undo(ws, s, ws.pending);
    if (ws.applied === 0) for (let t = 0; t < s; t++) this.logRows(ws, t, false);
    ws.pending = 0; ws.applied = 0;
    for (const st of this.stepState(ws)) this.be.copy(st.off, ws.at(st.off, s, st.ld), B * st.ld);
    k.sam_rebase(B, N, ws.Tau, ws.Clock, CLOCK_LIMIT);
  }

  resetState(ws: SamWorkspace, b = -1): void {
    this.rollback(ws);
    zeroState(this, ws, b);
    if (this.lsh) this.be.k.sam_index_reset(b < 0 ? ws.B : 1, this.N, this.lsh.bits, ws.Tab + (b < 0 ? 0 : b * this.tableSize * 4));
    if (ws.Q) {
      const { N, W } = this, first = Math.max(b, 0);
      this.be.k.sam_quant_build(b < 0 ? ws.B : 1, N, W, ws.M + first * N * W * this.be.elem, ws.Q + first * N * this.quantRecord, ws.D + first * (N + 1) * 4);
    }
  }

  /** The carried state was written from outside (a resumed run, a worker's share): the index follows the memory. */
  stateWritten(ws: SamWorkspace): void {
    ws.pending = 0; ws.applied = 0;
    if (this.lsh) this.be.k.sam_index_build(ws.B, this.N, this.W, this.lsh.bits, ws.M, this.planes, ws.Tab);
    if (ws.Q) this.be.k.sam_quant_build(ws.B, this.N, this.W, ws.M, ws.Q, ws.D);
  }

  /** Read slots index memory rows: anything but an integer in [0, N) would address memory outside the stream's. */
  checkState(state: StateData[]): string | undefined {
    const s = state.find((x) => x.name === "read_slots");
    if (!s) return undefined;
    for (const v of s.data) if (!(Number.isInteger(v) && v >= 0 && v < this.N)) return `read_slots holds ${v}, not a slot in [0, ${this.N})`;
    return undefined;
  }

  /** The carried state kept per step (block 0 carried in, block t+1 after step t). */
  protected stepState(ws: SamWorkspace): StateTensor[] {
    const { H, RH: R, W, RK, ldH } = this;
    return [
      { name: "h", cols: H, off: ws.Hs, ld: ldH }, { name: "c", cols: H, off: ws.Cs, ld: ldH },
      { name: "read_vectors", cols: R * W, off: ws.Rv, ld: R * W },
      { name: "read_slots", cols: RK, off: ws.Ridx, ld: RK }, { name: "read_weights", cols: RK, off: ws.Rw, ld: RK },
    ];
  }

  stateTensors(ws: SamWorkspace): StateTensor[] {
    const { N, W } = this;
    return [
      ...this.stepState(ws),
      { name: "memory", cols: N * W, off: ws.M, ld: N * W },
      { name: "access_times", cols: N, off: ws.Tau, ld: N },
      { name: "clock", cols: 1, off: ws.Clock, ld: 1 },
    ];
  }
}
