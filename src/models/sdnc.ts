// The sparse DNC (SDNC; Rae et al. 2016, MODELS.md): SAM's memory, write and
// usage (sam.ts) plus sparse temporal links and read modes. Each head reads
// 3K entries: K by content (SAM's scan), K forward and K backward through the
// links from its entries of the step before, mixed by its read modes.
//
// The links are one sparse N×K store per stream, changed in place as the
// memory is: each step logs its written rows before and after, the backward
// pass undoes them step by step after their gradients are taken, carry()
// redoes them. The precedence (K entries) is per-step state like the read
// entries. See sam.ts for the memory's log and the buffers it shares.
//
// Workspace buffers beyond SAM's (rows t·B + b; RK = R·K here, Kw = R·3K + 1):
//   Cidx, Cw S·B × RK           content entries and softmax weights (similarities in Sim)
//   Bidx, Bval, Fidx, Fval S·B × RK   backward and forward entries
//   P (S+1)·B × 2K              precedence records (slots + 1, values); block 0 carried
//   Dl S·B × 3Kw                the distinct written slots, their weights, whether their rows changed
//   Olog, Nlog S·B × Kw·2K      written link rows before and after
//   Li, Lv B × N·K; Col i32 B × (N + 2NK)   the links (in place) and their column index
//   dL B × N·K; dP 2 × B × K; dBv, dCw, dFv B × RK; dWv B × Kw; dR0 B × R·W (zeros)
import { Backend } from "../runtime/backend.js";
import { ModelIO, StateData, StateTensor, inputForward } from "./model.js";
import { controllerForward, controllerBackward, outputForward, outputBackward, controllerWeightGrads } from "./controller.js";
import { SamModel, SamSizes, SamWorkspace, Lsh } from "./sam.js";

export class SdncWorkspace extends SamWorkspace {
  readonly Cidx: number; readonly Cw: number; readonly Bidx: number; readonly Bval: number; readonly Fidx: number; readonly Fval: number;
  readonly P: number; readonly Dl: number; readonly Olog: number; readonly Nlog: number;
  readonly Li: number; readonly Lv: number; readonly Col: number;
  readonly dP: [number, number]; readonly dBv: number; readonly dCw: number; readonly dFv: number; readonly dWv: number; readonly dR0: number;
  private dL_ = 0;

  constructor(override readonly m: SdncModel, B: number, S: number) {
    super(m, B, S);
    const be = m.be, R = S * B, T = (S + 1) * B, { N, K, Kw, RH } = m, RK = RH * K;
    this.Cidx = be.alloc(R * RK); this.Cw = be.alloc(R * RK);
    this.Bidx = be.alloc(R * RK); this.Bval = be.alloc(R * RK); this.Fidx = be.alloc(R * RK); this.Fval = be.alloc(R * RK);
    this.P = be.alloc(T * 2 * K); this.Dl = be.alloc(R * 3 * Kw);
    this.Olog = be.alloc(R * Kw * 2 * K); this.Nlog = be.alloc(R * Kw * 2 * K);
    this.Li = be.alloc(B * N * K); this.Lv = be.alloc(B * N * K); this.Col = be.allocI32(B * m.colSize);
    this.dP = [be.alloc(B * K), be.alloc(B * K)];
    this.dBv = be.alloc(B * RK); this.dCw = be.alloc(B * RK); this.dFv = be.alloc(B * RK); this.dWv = be.alloc(B * Kw);
    this.dR0 = be.alloc(B * RH * m.W);
  }

  /** The links' gradient, laid out at the first backward pass. */
  get dL(): number { if (!this.dL_) this.dL_ = this.m.be.alloc(this.B * this.m.N * this.m.K); return this.dL_; }
}

export class SdncModel extends SamModel {
  override readonly kind = "sdnc" as const;
  /** i32 entries of one stream's column index. */
  readonly colSize: number;
  /** Candidate-list scratch of the link kernels (assembly/sdnc/common.ts): map (all −1 between calls), slots, f64 sums. */
  private readonly map: number; private readonly cs: number; private readonly cv: number;
  /** sdnc_dir_bwd's slot → position of the kept backward entries (all −1 between calls). */
  private readonly bmap: number;

  constructor(be: Backend, io: number | ModelIO, sizes: SamSizes, o: { lsh?: Lsh } = {}) {
    super(be, io, sizes, { ...o, temporal: true });
    const k = be.k, n = Math.max(this.N, this.Kw + this.K, 2 * this.Kr);
    this.colSize = Number(k.sdnc_col_size(this.N, this.K));
    this.map = be.allocI32(n); this.cs = be.allocI32(n); this.cv = be.allocI32(2 * n); this.bmap = be.allocI32(this.N);
    be.I32.fill(-1, this.map / 4, this.map / 4 + n); be.I32.fill(-1, this.bmap / 4, this.bmap / 4 + this.N);
  }

  override workspace(B: number, S: number): SdncWorkspace {
    return this.spaces.get(B, S, () => new SdncWorkspace(this, B, S)) as SdncWorkspace;
  }

  /** Step t's memory rows and link rows from its log (undo: before; redo: after). */
  protected override logRows(ws: SamWorkspace, t: number, undo: boolean): void {
    super.logRows(ws, t, undo);
    const w = ws as SdncWorkspace, { N, K, Kw } = this;
    this.be.k.sdnc_links_rows(w.B, N, K, Kw, w.Li, w.Lv, w.Col, w.at(w.Dl, t, 3 * Kw), w.at(undo ? w.Olog : w.Nlog, t, Kw * 2 * K));
  }

  override forward(wsIn: SamWorkspace, s: number): void {
    const ws = wsIn as SdncWorkspace;
    this.refresh();
    this.rollback(ws);
    const k = this.be.k, p = this.params, e = this.be.elem, { B } = ws;
    const { N, W, RH: R, K, Kr, RK, Kw, G, ldG, ldX, xi } = this, RW = R * W, CK = R * K;
    inputForward(this, ws, s * B, G, this.WihT, ldG, p.off_("lstm.bias"), ws.Z);
    for (let t = 0; t < s; t++) {
      controllerForward(this, ws, t);
      const x = ws.at(ws.XI, t, ldX);
      k.sdnc_iface_fwd(B, R, W, ws.at(ws.XR, t, ldX), x, ldX);
      const lru = ws.at(ws.Lru, t, 1), widx = ws.at(ws.Widx, t, Kw), wval = ws.at(ws.Wval, t, Kw);
      const pidx = ws.at(ws.Ridx, t, RK), pw = ws.at(ws.Rw, t, RK);
      const cidx = ws.at(ws.Cidx, t, CK), sim = ws.at(ws.Sim, t, CK), cw = ws.at(ws.Cw, t, CK);
      const bidx = ws.at(ws.Bidx, t, CK), bval = ws.at(ws.Bval, t, CK), fidx = ws.at(ws.Fidx, t, CK), fval = ws.at(ws.Fval, t, CK);
      // write, then the links it extends, then the reads of M_t through content and links
      if (!this.frozen) k.sam_lru(B, N, ws.Tau, lru);
      k.sam_write_fwd(B, R, N, W, Kr, x, ldX, pidx, pw, lru, ws.M, widx, wval, ws.at(ws.Old, t, Kw * W), ws.at(ws.New, t, Kw * W));
      this.reindex(ws, widx, Kw);
      k.sdnc_links_fwd(B, N, K, Kw, widx, wval, ws.at(ws.P, t, 2 * K), ws.Li, ws.Lv, ws.Col, this.map, this.cs, this.cv,
        ws.at(ws.Dl, t, 3 * Kw), ws.at(ws.Olog, t, Kw * 2 * K), ws.at(ws.Nlog, t, Kw * 2 * K), ws.at(ws.P, t + 1, 2 * K), this.frozen ? 1 : 0);
      this.scan(ws, x, cidx, sim);
      const rv = ws.at(ws.Rv, t + 1, RW);
      k.sam_read_fwd(B, R, N, W, K, ws.M, cidx, sim, x + xi.br * e, ldX, cw, rv);
      k.sdnc_dir_fwd(B, R, N, K, Kr, pidx, pw, ws.Li, ws.Lv, ws.Col, this.map, this.cs, this.cv, bidx, bval, fidx, fval, this.frozen ? 1 : 0);
      const ridx = ws.at(ws.Ridx, t + 1, RK), rw = ws.at(ws.Rw, t + 1, RK);
      k.sdnc_mix_fwd(B, R, N, W, K, ws.M, x, ldX, xi.modes, bidx, bval, cidx, cw, fidx, fval, ridx, rw, rv);
      k.sam_usage_fwd(B, N, Kw, RK, ws.Tau, ws.Clock, widx, wval, ridx, rw, ws.at(ws.Tlog, t, Kw + RK));
    }
    ws.pending = s; ws.applied = s;
    outputForward(this, ws, s);
  }

  override backward(wsIn: SamWorkspace, s: number): void {
    const ws = wsIn as SdncWorkspace;
    if (ws.pending !== s || ws.applied !== s) throw new Error(`backward over ${s} steps needs the forward pass of those steps`);
    const k = this.be.k, e = this.be.elem, be = this.be, { B } = ws;
    const { N, W, RH: R, K, Kr, RK, Kw, ldX, xi } = this, RW = R * W, CK = R * K;
    const dM = ws.dM, dL = ws.dL;
    outputBackward(this, ws, s);
    let [dw, dwp] = ws.dRw, [dpn, dpo] = ws.dP;
    be.zero(dw, B * RK); be.zero(dpn, B * K); // nothing flows in from beyond the window
    be.zero(dL, B * N * K);
    for (let t = s - 1; t >= 0; t--) {
      const x = ws.at(ws.XI, t, ldX), dx = ws.dXI;
      be.zero(dx, B * ldX); be.zero(dwp, B * RK); be.zero(dpo, B * K); be.zero(ws.dWv, B * Kw);
      const widx = ws.at(ws.Widx, t, Kw), pidx = ws.at(ws.Ridx, t, RK), pw = ws.at(ws.Rw, t, RK);
      const cidx = ws.at(ws.Cidx, t, CK), cw = ws.at(ws.Cw, t, CK);
      const bidx = ws.at(ws.Bidx, t, CK), bval = ws.at(ws.Bval, t, CK), fidx = ws.at(ws.Fidx, t, CK), fval = ws.at(ws.Fval, t, CK);
      // the reads of M_t and L_t, the links' update, the write; then M and L back to step t − 1
      k.sdnc_mix_bwd(B, R, N, W, K, ws.M, x, ldX, xi.modes, bval, cw, fval, ws.at(ws.Ridx, t + 1, RK), ws.at(ws.Rw, t + 1, RK),
        ws.at(ws.dRv, t, RW), dw, dM, dx, ws.dBv, ws.dCw, ws.dFv);
      k.sam_read_bwd(B, R, N, W, K, ws.M, cidx, x + xi.kr * e, ldX, x + xi.br * e, ldX, cw, ws.dR0, ws.dCw, dM, dx + xi.kr * e, dx + xi.br * e);
      k.sdnc_dir_bwd(B, R, N, K, Kr, pidx, pw, ws.Li, ws.Lv, bidx, bval, fidx, fval, ws.dBv, ws.dFv, dL, dwp, this.map, this.bmap, this.cs, this.cv);
      k.sdnc_links_bwd(B, N, K, Kw, widx, ws.at(ws.P, t, 2 * K), ws.at(ws.P, t + 1, 2 * K), ws.Li, ws.Lv, ws.at(ws.Dl, t, 3 * Kw),
        ws.at(ws.Olog, t, Kw * 2 * K), dL, dpn, dpo, ws.dWv, this.map, this.cv);
      k.sam_write_bwd(B, R, N, W, Kr, x, ldX, pw, widx, ws.at(ws.Wval, t, Kw), dM, dwp, dx, ws.dWv);
      this.logRows(ws, t, true);
      k.sdnc_iface_bwd(B, R, W, ws.at(ws.XR, t, ldX), x, dx, ws.at(ws.dXR, t, ldX), ldX);
      controllerBackward(this, ws, t, s);
      [dw, dwp] = [dwp, dw]; [dpn, dpo] = [dpo, dpn];
    }
    ws.applied = 0;
    for (let t = 0; t < s; t++) {
      k.sam_zero_rows(B, N, W, RK, ws.at(ws.Ridx, t + 1, RK), dM);
      k.sam_zero_rows(B, N, W, Kw, ws.at(ws.Widx, t, Kw), dM);
    }
    controllerWeightGrads(this, ws, s);
  }

  override resetState(wsIn: SamWorkspace, b = -1): void {
    super.resetState(wsIn, b);
    const ws = wsIn as SdncWorkspace;
    const from = ws.Col / 4 + (b < 0 ? 0 : b * this.colSize);
    this.be.I32.fill(0, from, from + (b < 0 ? ws.B : 1) * this.colSize);
  }

  override stateWritten(wsIn: SamWorkspace): void {
    super.stateWritten(wsIn);
    const ws = wsIn as SdncWorkspace;
    this.be.k.sdnc_col_build(ws.B, this.N, this.K, ws.Li, ws.Col);
  }

  /** Read slots index memory rows, link and precedence slots (plus one, 0 for none) the same rows. */
  override checkState(state: StateData[]): string | undefined {
    const bad = super.checkState(state);
    if (bad) return bad;
    for (const name of ["link_slots", "precedence_slots"]) {
      const s = state.find((x) => x.name === name);
      if (!s) continue;
      for (const v of s.data) if (!(Number.isInteger(v) && v >= 0 && v <= this.N)) return `${name} holds ${v}, not a slot + 1 in [0, ${this.N}]`;
    }
    return undefined;
  }

  protected override stepState(wsIn: SamWorkspace): StateTensor[] {
    const ws = wsIn as SdncWorkspace, { K } = this;
    return [
      ...super.stepState(ws),
      { name: "precedence_slots", cols: K, off: ws.P, ld: 2 * K }, { name: "precedence", cols: K, off: ws.P + K * this.be.elem, ld: 2 * K },
    ];
  }

  override stateTensors(wsIn: SamWorkspace): StateTensor[] {
    const ws = wsIn as SdncWorkspace, { N, K } = this;
    return [
      ...super.stateTensors(ws),
      { name: "link_slots", cols: N * K, off: ws.Li, ld: N * K }, { name: "links", cols: N * K, off: ws.Lv, ld: N * K },
    ];
  }
}
