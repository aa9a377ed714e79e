// The peer: a char-level LSTM trained with TensorFlow.js on its wasm SIMD
// backend, written the fastest way TF.js allows: one fused gate matrix, the
// one-hot input projection as a row gather, and a hand-written backward for
// the whole window (tf.customGrad) in which every product is a plain matMul
// against transposed weight copies made once per window, instead of the
// transposed matMuls autodiff emits (WASM-PERF.md: ~3× faster than tf.layers.lstm).
import * as tf from "@tensorflow/tfjs";
import { setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname } from "node:path";

let ready;
export async function initTfjs(threads = 1) {
  if (!ready) {
    ready = (async () => {
      const dir = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json"));
      setWasmPaths(`${dir}/dist/`);
      setThreadsCount(threads);
      await tf.setBackend("wasm");
      await tf.ready();
      return tf.getBackend();
    })();
  }
  return ready;
}

export function createTfjsLstm({ V, H, B, S, lr = 2e-3, seed = 1 }) {
  const k = 1 / Math.sqrt(H);
  const Wx = tf.variable(tf.randomUniform([V, 4 * H], -k, k, "float32", seed));
  const Wh = tf.variable(tf.randomUniform([H, 4 * H], -k, k, "float32", seed + 1));
  const b = tf.variable(tf.concat([tf.zeros([H]), tf.ones([H]), tf.zeros([2 * H])]));
  const Wo = tf.variable(tf.randomUniform([H, V], -k, k, "float32", seed + 2));
  const bo = tf.variable(tf.zeros([V]));
  const opt = tf.train.adam(lr);
  // (each window starts from a zero state: throughput is what is compared here)
  const h0 = tf.zeros([B, H]), c0 = tf.zeros([B, H]);

  // forward over the window with a hand-written backward
  let ids2d; // the window's ids as [S·B, 1], for the scatter in the backward
  const window = tf.customGrad((WxV, bV, WhV, WoV, boV, save) => {
    const xw = tf.add(tf.gather(WxV, tf.reshape(ids2d, [S * B])), bV);
    const hs = [], cs = [], gates = [], tcs = [];
    let h = h0, c = c0;
    const xws = tf.unstack(tf.reshape(xw, [S, B, 4 * H])); // one op instead of S slices (slices are slow in tfjs-wasm)
    for (let t = 0; t < S; t++) {
      const z = tf.add(xws[t], tf.matMul(h, WhV));
      const [zi, zf, zg, zo] = tf.split(z, 4, 1);
      const i = tf.sigmoid(zi), f = tf.sigmoid(zf), g = tf.tanh(zg), o = tf.sigmoid(zo);
      const cn = tf.add(tf.mul(f, c), tf.mul(i, g)), tc = tf.tanh(cn);
      const hn = tf.mul(o, tc);
      hs.push(h); cs.push(c); gates.push([i, f, g, o]); tcs.push(tc);
      h = hn; c = cn;
    }
    const Hall = tf.concat([...hs.slice(1), h], 0);
    const logits = tf.add(tf.matMul(Hall, WoV), boV);
    // intermediates survive into the backward only through save()
    save([...hs, ...cs, ...gates.flat(), ...tcs, Hall, WhV, WoV]);
    return {
      value: logits,
      gradFunc: (dy, saved) => {
        let q = 0;
        const take = (n) => saved.slice(q, (q += n));
        const hs = take(S), cs = take(S), gf = take(4 * S), tcs = take(S), [Hall, WhV, WoV] = take(3);
        const gates = Array.from({ length: S }, (_, t) => gf.slice(4 * t, 4 * t + 4));
        const WhT = tf.transpose(WhV), WoT = tf.transpose(WoV), HallT = tf.transpose(Hall);
        const dWo = tf.matMul(HallT, dy), dbo = tf.sum(dy, 0);
        const dH = tf.matMul(dy, WoT);
        const dzs = new Array(S), dHs = tf.unstack(tf.reshape(dH, [S, B, H]));
        let dh = tf.zeros([B, H]), dc = tf.zeros([B, H]);
        for (let t = S - 1; t >= 0; t--) {
          const [i, f, g, o] = gates[t], tc = tcs[t];
          dh = tf.add(dh, dHs[t]);
          const dct = tf.add(dc, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc))));
          const dz = tf.concat([
            tf.mul(tf.mul(dct, g), tf.mul(i, tf.sub(1, i))),
            tf.mul(tf.mul(dct, cs[t]), tf.mul(f, tf.sub(1, f))),
            tf.mul(tf.mul(dct, i), tf.sub(1, tf.square(g))),
            tf.mul(tf.mul(dh, tc), tf.mul(o, tf.sub(1, o))),
          ], 1);
          dzs[t] = dz;
          dc = tf.mul(dct, f);
          dh = tf.matMul(dz, WhT);
        }
        const dZ = tf.concat(dzs, 0);
        const Hprev = tf.concat(hs, 0);
        const dWh = tf.matMul(tf.transpose(Hprev), dZ);
        // the one-hot input's gradient is a scatter-add of rows (no dense one-hot product)
        const dWx = tf.scatterND(ids2d, dZ, [V, 4 * H]);
        return [dWx, tf.sum(dZ, 0), dWh, dWo, dbo];
      },
    };
  });

  return {
    /** One window: inputs/targets time-major Int32Array(S·B). Returns the mean loss in nats. */
    step(inputs, targets) {
      const lossT = tf.tidy(() => {
        ids2d = tf.tensor2d(inputs, [S * B, 1], "int32");
        const tg = tf.oneHot(tf.tensor1d(targets, "int32"), V);
        const { value, grads } = opt.computeGradients(() => {
          const logits = window(Wx, b, Wh, Wo, bo);
          return tf.losses.softmaxCrossEntropy(tg, logits);
        });
        opt.applyGradients(grads);
        return value;
      });
      const loss = lossT.dataSync()[0];
      lossT.dispose();
      return loss;
    },
    dispose() { for (const v of [Wx, Wh, b, Wo, bo]) v.dispose(); h0.dispose(); c0.dispose(); },
  };
}
