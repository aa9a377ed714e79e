// The DNC's memory kernels of this build against another build's, on the same inputs, in one
// process: first whether every output is bit-identical, then each kernel's time per call
// (medians of interleaved blocks, CPU time), at the benchmark's DNC size (B=32, N=64, W=32, R=4).
//
//   git worktree add ../base <commit> && (cd ../base && npm ci)   # builds ../base/dist
//   node bench/kernels.mjs ../base/dist [kernel,kernel…] [rounds]
import { readFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [other, only, rounds = "9"] = process.argv.slice(2);
if (!other || !existsSync(resolve(other, "wasm/kernels_f32.wasm"))) {
  console.error("usage: node bench/kernels.mjs <other build's dist directory> [kernel,kernel…] [rounds]");
  process.exit(2);
}
const B = 32, N = 64, W = 32, R = 4, X = R * W + 3 * W + 5 * R + 3;

async function load(dist) {
  const { instantiate } = await import(pathToFileURL(resolve(dist, "wasm/kernels_f32.js")).href);
  const memory = new WebAssembly.Memory({ initial: 2000 });
  const k = await instantiate(await WebAssembly.compile(readFileSync(resolve(dist, "wasm/kernels_f32.wasm"))), { env: { memory } });
  // the same inputs in both builds: one seeded generator, buffers from the module's heap base
  const F = () => new Float32Array(memory.buffer);
  let top = Math.ceil(k.heap_base() / 65536) * 65536, s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  const bufs = {};
  const buf = (name, n, lo = -1, hi = 1) => {
    const o = top; top += (n * 4 + 63) & ~63;
    const f = F();
    for (let i = 0; i < n; i++) f[o / 4 + i] = lo + (hi - lo) * rnd();
    bufs[name] = { o, n };
    return o;
  };
  const w = 1 / N; // weightings and links: entries of a (sub)normalised distribution
  const a = {
    M: buf("M", B * N * W), k: buf("k", B * X), L: buf("L", B * N * N, 0, w), wp: buf("wp", B * R * N, 0, w), cr: buf("cr", B * R * N, 0, w),
    xi: buf("xi", B * X, 0, 1), fw: buf("fw", B * R * N, 0, w), bw: buf("bw", B * R * N, 0, w), wr: buf("wr", B * R * N, 0, w), r: buf("r", B * R * W),
    c: buf("c", B * R * N, 0, w), dc: buf("dc", B * R * N), dM: buf("dM", B * N * W), dk: buf("dk", B * X), dL: buf("dL", B * N * N),
    dwp: buf("dwp", B * R * N), dcr: buf("dcr", B * R * N), dx: buf("dx", B * X), dr: buf("dr", B * R * W), dwr: buf("dwr", B * R * N),
    Lp: buf("Lp", B * N * N, 0, w), pp: buf("pp", B * N, 0, w), ww: buf("ww", B * N, 0, w), L2: buf("L2", B * N * N), p2: buf("p2", B * N),
    dLp: buf("dLp", B * N * N), dp: buf("dp", B * N), dpp: buf("dpp", B * N), dww: buf("dww", B * N),
    al: buf("al", B * N, 0, w), M2: buf("M2", B * N * W), dMp: buf("dMp", B * N * W), da: buf("da", B * N), dcw: buf("dcw", B * N),
  };
  return { k, a, bufs, F };
}

const KERNELS = {
  content_fwd: (k, a) => k.dnc_content_fwd(B, R, N, W, a.M, a.k, X, a.k + 4 * R * W, X, a.c, R * N),
  content_fwd1: (k, a) => k.dnc_content_fwd(B, 1, N, W, a.M, a.k, X, a.k + 4 * R * W, X, a.c, N),
  content_bwd: (k, a) => k.dnc_content_bwd(B, R, N, W, a.M, a.k, X, a.k + 4 * R * W, X, a.c, a.dc, R * N, a.dM, a.dk, a.dk + 4 * R * W),
  content_bwd1: (k, a) => k.dnc_content_bwd(B, 1, N, W, a.M, a.k, X, a.k + 4 * R * W, X, a.c, a.dc, N, a.dM, a.dk, a.dk + 4 * R * W),
  read_fwd: (k, a) => k.dnc_read_fwd(B, N, W, R, a.L, a.wp, a.M, a.cr, a.xi, X, a.fw, a.bw, a.wr, a.r),
  read_bwd: (k, a) => k.dnc_read_bwd(B, N, W, R, a.L, a.wp, a.M, a.cr, a.xi, X, a.fw, a.bw, a.wr, a.dr, a.dwr, a.dM, a.dL, a.dwp, a.dcr, a.dx),
  link_fwd: (k, a) => k.dnc_link_fwd(B, N, a.ww, a.Lp, a.pp, a.L2, a.p2),
  link_bwd: (k, a) => k.dnc_link_bwd(B, N, a.ww, a.Lp, a.pp, a.dL, a.dp, a.dLp, a.dpp, a.dww),
  write_fwd: (k, a) => k.dnc_write_fwd(B, N, W, R, a.xi, X, a.al, a.c, a.ww, a.M, a.M2),
  write_bwd: (k, a) => k.dnc_write_bwd(B, N, W, R, a.xi, X, a.al, a.c, a.ww, a.M, a.dM, a.dww, a.dMp, a.da, a.dcw, a.dx),
};
const names = only ? only.split(",") : Object.keys(KERNELS);
for (const n of names) if (!KERNELS[n]) { console.error(`unknown kernel ${n}: one of ${Object.keys(KERNELS).join(", ")}`); process.exit(2); }

const builds = [await load(other), await load(new URL("../dist", import.meta.url).pathname)];

// 1. every kernel once, in order, on both builds; then every buffer compared bit for bit
for (const n of names) for (const b of builds) KERNELS[n](b.k, b.a);
const differing = [];
for (const [name, { n }] of Object.entries(builds[0].bufs)) {
  const x = new Uint32Array(builds[0].F().buffer, builds[0].bufs[name].o, n), y = new Uint32Array(builds[1].F().buffer, builds[1].bufs[name].o, n);
  let d = 0;
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) d++;
  if (d) differing.push(`${name} (${d} of ${n})`);
}
console.log(differing.length ? `outputs differ: ${differing.join(", ")}` : "outputs bit-identical after every kernel");

// 2. time per call, interleaved blocks, CPU time (after a warm-up: V8 tiers wasm up in the background)
for (const n of names) for (const b of builds) for (let q = 0; q < 30; q++) KERNELS[n](b.k, b.a);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const median = (v) => { const s = [...v].sort((p, q) => p - q); return s[s.length >> 1]; };
for (const n of names) {
  const us = [[], []];
  for (let r = 0; r < +rounds; r++) builds.forEach((b, i) => {
    const reps = 40, t = cpu();
    for (let q = 0; q < reps; q++) KERNELS[n](b.k, b.a);
    us[i].push(((cpu() - t) / reps) * 1e6);
  });
  const [o, t] = us.map(median);
  console.log(`${n.padEnd(13)} other ${o.toFixed(1).padStart(7)} µs   this ${t.toFixed(1).padStart(7)} µs   other/this ${(o / t).toFixed(2)}`);
}
