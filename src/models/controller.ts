// What the memory models (the DNC, sparse access memory) share: an LSTM
// controller over χ_t = [x_t; r_{t−1}], the raw interface W_ξ h_t + b_ξ, and an
// output layer over [h_t; r_t]. Each model adds its own memory between the
// interface and the reads; these functions are the rest, forward beside backward.
import { Backend } from "../runtime/backend.js";
import { ParamBlock } from "./params.js";
import { Rng } from "../train/rng.js";
import { CharModel, Workspace, addXWt, inputBackward } from "./model.js";

/** A memory model's sizes, parameters and the transposed weight copies its products use. */
export interface Controlled extends CharModel {
  readonly be: Backend; readonly params: ParamBlock; readonly grads: ParamBlock;
  readonly H: number; readonly G: number; readonly X: number; readonly In: number; readonly HR: number; readonly RH: number; readonly W: number;
  readonly ldG: number; readonly ldH: number; readonly ldX: number; readonly ldV: number;
  readonly WihT: number; readonly WhhT: number; readonly WxiT: number; readonly WoutT: number; readonly dWihT: number;
}

/** The workspace buffers the controller and output layer use (rows t·B + b; Hs, Cs, Rv with the carried block 0). */
export interface ControllerWorkspace extends Workspace {
  readonly Z: number; readonly dZ: number; readonly Hs: number; readonly Cs: number; readonly TC: number;
  readonly dH: number; readonly dC: number; readonly XR: number; readonly dXR: number; readonly Rv: number; readonly dRv: number;
  at(base: number, t: number, width: number): number;
}

/**
 * PyTorch's defaults: LSTM weights U(±1/√H), linear layers U(±1/√fan_in);
 * biases zero except the LSTM's forget gate (1).
 */
export function initController(m: Controlled, rng: Rng): void {
  for (const s of m.params.slots) {
    const v = m.params.view(s.name);
    if (s.name.endsWith("bias")) { v.fill(0); continue; }
    const k = 1 / Math.sqrt(s.name === "lstm.weight_ih" ? m.H : s.shape[1]);
    for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-k, k);
  }
  m.params.view("lstm.bias").fill(1, m.H, 2 * m.H);
}

/** The transposed copies of the weights, after the weights changed. */
export function transposeWeights(m: Controlled): void {
  const k = m.be.k, p = m.params;
  k.transpose(m.G, m.In, p.off_("lstm.weight_ih"), m.In, m.WihT, m.ldG);
  k.transpose(m.G, m.H, p.off_("lstm.weight_hh"), m.H, m.WhhT, m.ldG);
  k.transpose(m.X, m.H, p.off_("interface.weight"), m.H, m.WxiT, m.ldX);
  k.transpose(m.V, m.HR, p.off_("out.weight"), m.HR, m.WoutT, m.ldV);
}

/** Step t of the controller (z holds its input part already), then the raw interface into XR. */
export function controllerForward(m: Controlled, ws: ControllerWorkspace, t: number): void {
  const k = m.be.k, p = m.params, e = m.be.elem, { B } = ws, { H, G, X, ldG, ldH, ldX } = m, RW = m.RH * m.W, Vin = m.io.inSize;
  // z += r_{t−1}·W_ih[:, V:]ᵀ + h_{t−1}·W_hhᵀ
  const z = ws.at(ws.Z, t, ldG), h = ws.at(ws.Hs, t + 1, ldH);
  addXWt(m, B, G, RW, ws.at(ws.Rv, t, RW), RW, p.off_("lstm.weight_ih") + Vin * e, m.In, m.WihT + Vin * ldG * e, ldG, z, ldG);
  addXWt(m, B, G, H, ws.at(ws.Hs, t, ldH), ldH, p.off_("lstm.weight_hh"), H, m.WhhT, ldG, z, ldG);
  k.lstm_fwd(B, H, z, ldG, ws.at(ws.Cs, t, ldH), ws.at(ws.Cs, t + 1, ldH), ws.at(ws.TC, t, ldH), h, ldH);
  const xr = ws.at(ws.XR, t, ldX);
  k.rows_set(B, X, p.off_("interface.bias"), xr, ldX);
  addXWt(m, B, X, H, h, ldH, p.off_("interface.weight"), H, m.WxiT, ldX, xr, ldX);
}

/** Step t's backward from the raw interface's gradient (dXR, step t) to dZ, and into the read vectors of step t − 1. */
export function controllerBackward(m: Controlled, ws: ControllerWorkspace, t: number, s: number): void {
  const k = m.be.k, p = m.params, e = m.be.elem, { B } = ws, { H, G, X, ldG, ldH, ldX } = m, RW = m.RH * m.W, Vin = m.io.inSize;
  const dxr = ws.at(ws.dXR, t, ldX), dh = ws.at(ws.dH, t, ldH), dz = ws.at(ws.dZ, t, ldG);
  k.gemm_nn(B, H, X, dxr, ldX, p.off_("interface.weight"), H, dh, ldH);
  if (t < s - 1) k.gemm_nn(B, H, G, ws.at(ws.dZ, t + 1, ldG), ldG, p.off_("lstm.weight_hh"), H, dh, ldH);
  k.lstm_bwd(B, H, ws.at(ws.Z, t, ldG), dz, ldG, ws.at(ws.Cs, t, ldH), ws.at(ws.TC, t, ldH), dh, ws.dC, ldH);
  if (t > 0) k.gemm_nn(B, RW, G, dz, ldG, p.off_("lstm.weight_ih") + Vin * e, m.In, ws.at(ws.dRv, t - 1, RW), RW);
}

/** Logits over [h_t; r_t] for s steps at once. */
export function outputForward(m: Controlled, ws: ControllerWorkspace, s: number): void {
  const k = m.be.k, p = m.params, e = m.be.elem, { H, V, ldH, ldV } = m, RW = m.RH * m.W, n = s * ws.B;
  k.rows_set(n, V, p.off_("out.bias"), ws.Y, ldV);
  const Wout = p.off_("out.weight");
  addXWt(m, n, V, H, ws.at(ws.Hs, 1, ldH), ldH, Wout, m.HR, m.WoutT, ldV, ws.Y, ldV);
  addXWt(m, n, V, RW, ws.at(ws.Rv, 1, RW), RW, Wout + H * e, m.HR, m.WoutT + H * ldV * e, ldV, ws.Y, ldV);
}

/** The output layer's backward: its weight gradients, and dH, dRv (zeroed first), dC zeroed for the walk back. */
export function outputBackward(m: Controlled, ws: ControllerWorkspace, s: number): void {
  const k = m.be.k, p = m.params, g = m.grads, e = m.be.elem, be = m.be, { H, V, HR, ldH, ldV } = m, RW = m.RH * m.W, n = s * ws.B;
  k.gemm_tn(V, H, n, ws.Y, ldV, ws.at(ws.Hs, 1, ldH), ldH, g.off_("out.weight"), HR);
  k.gemm_tn(V, RW, n, ws.Y, ldV, ws.at(ws.Rv, 1, RW), RW, g.off_("out.weight") + H * e, HR);
  k.colsum_acc(n, V, ws.Y, ldV, g.off_("out.bias"));
  be.zero(ws.dH, n * ldH);
  be.zero(ws.dRv, n * RW);
  k.gemm_nn(n, H, V, ws.Y, ldV, p.off_("out.weight"), HR, ws.dH, ldH);
  k.gemm_nn(n, RW, V, ws.Y, ldV, p.off_("out.weight") + H * e, HR, ws.dRv, RW);
  be.zero(ws.dC, ws.B * ldH);
}

/** The controller's and interface's weight gradients over the whole window. */
export function controllerWeightGrads(m: Controlled, ws: ControllerWorkspace, s: number): void {
  const k = m.be.k, g = m.grads, e = m.be.elem, { H, G, X, In, ldG, ldH, ldX } = m, RW = m.RH * m.W, Vin = m.io.inSize, n = s * ws.B;
  k.gemm_tn(G, H, n, ws.dZ, ldG, ws.Hs, ldH, g.off_("lstm.weight_hh"), H);
  k.gemm_tn(G, RW, n, ws.dZ, ldG, ws.Rv, RW, g.off_("lstm.weight_ih") + Vin * e, In);
  inputBackward(m, ws, n, G, ws.dZ, ldG, m.dWihT, g.off_("lstm.weight_ih"), In, g.off_("lstm.bias"));
  k.gemm_tn(X, H, n, ws.dXR, ldX, ws.at(ws.Hs, 1, ldH), ldH, g.off_("interface.weight"), H);
  k.colsum_acc(n, X, ws.dXR, ldX, g.off_("interface.bias"));
}
