import { randBuf, copyBuf, maxErr } from "./util";
import { rnn_fwd_f32, rnn_bwd_f32, rnn_fwd_ref, rnn_bwd_ref } from "../rnn";
import { lstm_fwd_f32, lstm_bwd_f32, lstm_fwd_ref, lstm_bwd_ref } from "../lstm";

const HS: i32[] = [1, 3, 4, 7, 16, 33];

describe("fused cell kernels against scalar references", () => {
  it("RNN forward and backward", () => {
    for (let k = 0; k < HS.length; k++) {
      const B = 5, H = HS[k], ldz = H + 3, ldh = H + 1;
      const z = randBuf<f32>(B * ldz, -4, 4);
      const h1 = randBuf<f32>(B * ldh), h2 = copyBuf<f32>(h1, B * ldh);
      rnn_fwd_f32(B, H, z, ldz, h1, ldh); rnn_fwd_ref<f32>(B, H, z, ldz, h2, ldh);
      expect<f64>(maxErr(h1, h2, B * ldh, 0.1)).toBeLessThan(2e-6);
      const dh = randBuf<f32>(B * ldh);
      const d1 = randBuf<f32>(B * ldz), d2 = copyBuf<f32>(d1, B * ldz);
      rnn_bwd_f32(B, H, h2, ldh, dh, ldh, d1, ldz); rnn_bwd_ref<f32>(B, H, h2, ldh, dh, ldh, d2, ldz);
      expect<f64>(maxErr(d1, d2, B * ldz, 0.1)).toBeLessThan(2e-6);
    }
  });
  it("LSTM forward and backward (gate order i, f, g, o)", () => {
    for (let k = 0; k < HS.length; k++) {
      const B = 3, H = HS[k], ldz = 4 * H + 2, ldh = H + 3;
      const z1 = randBuf<f32>(B * ldz, -5, 5), z2 = copyBuf<f32>(z1, B * ldz);
      const cp = randBuf<f32>(B * ldh, -2, 2);
      const c1 = randBuf<f32>(B * ldh), c2 = copyBuf<f32>(c1, B * ldh);
      const t1 = randBuf<f32>(B * ldh), t2 = copyBuf<f32>(t1, B * ldh);
      const h1 = randBuf<f32>(B * ldh), h2 = copyBuf<f32>(h1, B * ldh);
      lstm_fwd_f32(B, H, z1, ldz, cp, c1, t1, h1, ldh);
      lstm_fwd_ref<f32>(B, H, z2, ldz, cp, c2, t2, h2, ldh);
      expect<f64>(maxErr(z1, z2, B * ldz, 0.1)).toBeLessThan(2e-6);
      expect<f64>(maxErr(c1, c2, B * ldh, 0.1)).toBeLessThan(2e-6);
      expect<f64>(maxErr(t1, t2, B * ldh, 0.1)).toBeLessThan(2e-6);
      expect<f64>(maxErr(h1, h2, B * ldh, 0.1)).toBeLessThan(2e-6);
      const dh = randBuf<f32>(B * ldh);
      const dc1 = randBuf<f32>(B * ldh), dc2 = copyBuf<f32>(dc1, B * ldh);
      const dz1 = randBuf<f32>(B * ldz), dz2 = copyBuf<f32>(dz1, B * ldz);
      lstm_bwd_f32(B, H, z2, dz1, ldz, cp, t2, dh, dc1, ldh);
      lstm_bwd_ref<f32>(B, H, z2, dz2, ldz, cp, t2, dh, dc2, ldh);
      expect<f64>(maxErr(dz1, dz2, B * ldz, 0.1)).toBeLessThan(2e-6);
      expect<f64>(maxErr(dc1, dc2, B * ldh, 0.1)).toBeLessThan(2e-6);
    }
  });
  it("LSTM forward on a hand-computed case", () => {
    // H = 1, z = (0, 0, 0, 0): i = f = o = 0.5, g = 0; c = 0.5·c_prev, h = 0.5·tanh(c)
    const z = randBuf<f32>(4), cp = randBuf<f32>(1), c = randBuf<f32>(1), t = randBuf<f32>(1), h = randBuf<f32>(1);
    for (let i = 0; i < 4; i++) store<f32>(z + (<usize>i << 2), 0);
    store<f32>(cp, 2);
    lstm_fwd_f32(1, 1, z, 4, cp, c, t, h, 1);
    expect<f32>(load<f32>(c)).toBe(1);
    expect<f64>(Math.abs(<f64>load<f32>(h) - 0.5 * Math.tanh(1))).toBeLessThan(1e-7);
  });
});
