// The page: controls, the BPC chart, the sample, the DNC memory view. All
// training happens in trainer-worker.js; this thread only draws.
const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL("./trainer-worker.js", import.meta.url), { type: "module" });
const state = { text: null, name: null, train: [], val: [], optimal: null, running: false, paused: false, started: false };

function showError(msg) { $("error").textContent = msg ?? ""; }
function setStatus(msg) { $("status").textContent = msg ?? ""; }

// ---- controls ----
function config() {
  const num = (id) => Number($(id).value);
  const task = $("objective").value === "text" ? undefined : $("objective").value;
  const c = { model: $("model").value, hidden: num("hidden"), batch: num("batch"), seq: num("seq"), lr: num("lr"),
    memorySlots: num("memory"), wordSize: num("word"), readHeads: num("reads"), ...(task ? { task } : {}),
    ...(SPARSE.has($("model").value) ? { sparse: num("sparse"), ...(num("lsh") > 0 ? { lsh: { bits: num("lsh"), probes: num("lsh") + 1 } } : {}) } : {}) };
  if (SPARSE.has(c.model) && !(Number.isInteger(num("lsh")) && num("lsh") >= 0 && num("lsh") <= 20)) throw new Error("LSH bits must be an integer in 0..20 (0: the exact scan)");
  for (const k of ["hidden", "batch", "seq", "memorySlots", "wordSize", "readHeads", ...(c.sparse !== undefined ? ["sparse"] : [])]) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`${k} must be a positive integer`);
  }
  // a tab's memory: the SAM keeps one N×W memory per stream (and its gradient), the SDNC N×K links on top, the dense DNC N×N links per step
  const maxN = MAX_SLOTS[c.model];
  if (maxN !== undefined && c.memorySlots > maxN) throw new Error(`memory slots: at most ${maxN} for the ${NAMES[c.model]} in a page`);
  if (!(c.lr > 0)) throw new Error("learning rate must be > 0");
  return c;
}
/**
 * Memory sizes a tab holds at batch 16 (docs/PERFORMANCE.md): the SAM at 65,536 slots peaks near 300 MiB, the
 * SDNC (its links and their column index on top) at 476 MiB, so half that; the dense DNC's links grow as N².
 */
const MAX_SLOTS = { sam: 65536, sdnc: 32768, dnc: 1024 }, NAMES = { sam: "SAM", sdnc: "SDNC", dnc: "DNC" };
const SPARSE = new Set(["sam", "sdnc"]);
function syncModel() {
  const m = $("model").value;
  document.body.classList.toggle("dnc", m === "dnc");
  document.body.classList.toggle("sam", SPARSE.has(m));
  document.body.classList.toggle("mem", m === "dnc" || SPARSE.has(m));
  document.body.classList.toggle("task", $("objective").value !== "text");
}
$("model").addEventListener("change", syncModel);
$("objective").addEventListener("change", () => {
  // the tasks learn fastest with a memory as long as the sequences and one read head (docs/RESULTS.md)
  if ($("objective").value !== "text") { $("model").value = "dnc"; $("memory").value = 48; $("word").value = 12; $("reads").value = 1; $("lr").value = 0.003; }
  syncModel();
});
syncModel();

async function takeFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  state.text = bytes; state.name = file.name;
  $("source").textContent = `using ${file.name} (${bytes.length} bytes)`;
  $("builtin").style.display = "";
  showError("");
}
$("file").addEventListener("change", (e) => { if (e.target.files[0]) takeFile(e.target.files[0]); });
$("builtin").addEventListener("click", () => { state.text = null; state.name = null; $("source").textContent = "using the built-in corpus"; $("builtin").style.display = "none"; $("file").value = ""; });
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer.files[0]) takeFile(e.dataTransfer.files[0]); });

$("start").addEventListener("click", () => {
  showError("");
  let cfg;
  try { cfg = config(); } catch (e) { showError(e.message); return; }
  state.train = []; state.val = []; draw();
  setStatus("starting…");
  const bytes = state.text ? state.text.slice().buffer : undefined;
  worker.postMessage({ type: "start", config: cfg, bytes, name: state.name }, bytes ? [bytes] : []);
});
$("pause").addEventListener("click", () => worker.postMessage({ type: state.paused ? "resume" : "pause" }));
$("download").addEventListener("click", () => worker.postMessage({ type: "checkpoint" }));
$("ckfile").addEventListener("change", async (e) => {
  const f = e.target.files[0];
  if (!f) return;
  showError("");
  const bytes = await f.arrayBuffer();
  const text = state.text ? state.text.slice().buffer : undefined;
  state.train = []; state.val = [];
  worker.postMessage({ type: "load", bytes, name: f.name, textBytes: text, textName: state.name }, [bytes, ...(text ? [text] : [])]);
  e.target.value = "";
});
$("temp").addEventListener("input", () => {
  const t = Number($("temp").value);
  $("tempv").textContent = t.toFixed(2);
  worker.postMessage({ type: "temperature", value: t });
});
$("temp").addEventListener("change", () => worker.postMessage({ type: "sample", temperature: Number($("temp").value) }));
$("show").addEventListener("click", () => { showError(""); worker.postMessage({ type: "inspect", prime: $("prime").value }); });

// ---- messages from the trainer ----
worker.onmessage = (e) => {
  const m = e.data;
  switch (m.type) {
    case "started":
      state.started = true; state.paused = false; state.optimal = m.optimalBpc;
      $("pause").disabled = false; $("download").disabled = false; $("pause").textContent = "Pause";
      $("threads").textContent = `${m.threads} worker${m.threads > 1 ? "s" : ""}${m.isolated ? "" : " (page not cross-origin isolated)"}`;
      $("opt").textContent = m.optimalBpc === null ? "–" : m.optimalBpc.toFixed(3);
      $("optWrap").style.display = m.optimalBpc === null ? "none" : "";
      setStatus(m.config.task ? `${m.config.model}, ${m.parameters} parameters, on the ${m.config.task} task (${m.describe})`
        : `${m.config.model}, ${m.parameters} parameters, on ${m.corpus} (${m.chars} chars, ${m.vocab} distinct)`);
      $("model").value = m.config.model;
      $("objective").value = m.config.task ?? "text";
      syncModel();
      break;
    case "progress":
      if (m.cost !== undefined) {
        // a task: the cost line, wrong bits as dots
        state.train.push([m.iter, m.cost]); state.val.push([m.iter, m.bitErrors]);
        $("iter").textContent = m.iter; $("bpc").textContent = m.cost.toFixed(3); $("val").textContent = m.bitErrors.toFixed(2);
        $("cps").textContent = Math.round(m.itersPerSec);
        draw();
        break;
      }
      state.train.push([m.iter, m.bpc]);
      $("iter").textContent = m.iter; $("bpc").textContent = m.bpc.toFixed(3); $("cps").textContent = Math.round(m.charsPerSec);
      draw();
      break;
    case "eval":
      state.val.push([m.iter, m.valBpc]);
      $("val").textContent = m.valBpc.toFixed(3);
      draw();
      break;
    case "sample": $("sample").textContent = m.text; break;
    case "paused": state.paused = m.paused; $("pause").textContent = m.paused ? "Resume" : "Pause"; break;
    case "checkpoint": {
      const url = URL.createObjectURL(new Blob([m.bytes], { type: "application/octet-stream" }));
      const a = Object.assign(document.createElement("a"), { href: url, download: m.name });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      $("ckinfo").textContent = `${m.name}: iteration ${m.iter}` + (m.valBpc === null ? "" : `, validation ${m.valBpc.toFixed(4)} BPC (one stream, as \`dnc eval\` computes it)`);
      break;
    }
    case "inspect": drawMemory(m); $("memtrace").textContent = m.task ? "" : traceReads(m).join("\n"); break;
    case "saminspect": $("memtrace").textContent = samTrace(m).join("\n"); window.memoryDrawn = { steps: m.steps.length, draws: (window.memoryDrawn?.draws ?? 0) + 1 }; break;
    case "status": setStatus(m.text); break;
    case "error": showError(m.message); setStatus(""); break;
  }
};
worker.onerror = (e) => showError(`the trainer stopped: ${e.message}`);

// ---- the BPC chart ----
function draw() {
  const cv = $("chart"), g = cv.getContext("2d"), W = cv.width, H = cv.height, pad = 36;
  g.clearRect(0, 0, W, H);
  const pts = state.train.concat(state.val);
  const maxI = Math.max(10, ...pts.map((p) => p[0]));
  const ys = pts.map((p) => p[1]).concat(state.optimal ?? []);
  const cap = document.body.classList.contains("task") ? 200 : 8;
  const maxY = ys.length ? Math.min(cap, Math.max(...ys)) * 1.05 : 5, minY = 0;
  const X = (i) => pad + (i / maxI) * (W - pad - 10), Y = (v) => H - 22 - ((Math.min(v, maxY) - minY) / (maxY - minY)) * (H - 32);
  g.strokeStyle = "#ccd2da"; g.fillStyle = "#5a6473"; g.font = "11px system-ui"; g.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const v = minY + (k / 4) * (maxY - minY);
    g.beginPath(); g.moveTo(pad, Y(v)); g.lineTo(W - 10, Y(v)); g.stroke();
    g.fillText(v.toFixed(1), 4, Y(v) + 4);
  }
  g.fillText("iterations", W - 70, H - 6); g.fillText(String(maxI), W - 10 - g.measureText(String(maxI)).width, H - 6 - 10);
  if (state.optimal !== null) {
    g.setLineDash([6, 4]); g.strokeStyle = "#2a9d58"; g.beginPath(); g.moveTo(pad, Y(state.optimal)); g.lineTo(W - 10, Y(state.optimal)); g.stroke(); g.setLineDash([]);
  }
  g.strokeStyle = "#2455c3"; g.lineWidth = 1.5; g.beginPath();
  state.train.forEach(([i, v], k) => (k ? g.lineTo(X(i), Y(v)) : g.moveTo(X(i), Y(v))));
  g.stroke();
  g.fillStyle = "#d4462a";
  for (const [i, v] of state.val) { g.beginPath(); g.arc(X(i), Y(v), 3.5, 0, 2 * Math.PI); g.fill(); }
}
draw();

// ---- the memory views ----
/**
 * SAM and the SDNC: one line per character (a task's: per step, its phase): each read head's touched slots
 * (weight ≥ 0.01), the SDNC's read modes (backward/content/forward), the write's main slot, the erased slot.
 */
function samTrace({ steps, chars }) {
  const show = (c) => (c === "\n" ? "⏎" : c), f = (x) => x.toFixed(2);
  return steps.map((s, t) => {
    const reads = s.reads.map((r, i) => `read ${i + 1} ${r.slots.filter((_, j) => r.weights[j] >= 0.01).map((n, j) => `${n}:${f(r.weights[j])}`).join(" ") || "–"}` +
      (s.readModes ? ` (${s.readModes[i].map(f).join("/")})` : ""));
    return `“${show(chars[t])}”  write → ${s.write.slots[0]} (${f(s.write.weights[0])}), erased ${s.erased}  |  ${reads.join("  |  ")}`;
  });
}

/**
 * For the last character: where each read head looks (its heaviest slot) and the step that wrote
 * that slot most, with the text up to it: a read that lands on a definition's slot says so in words.
 */
function traceReads({ steps, chars, R }) {
  const last = steps.length - 1, argmax = (v) => v.reduce((b, x, i) => (x > v[b] ? i : b), 0);
  const show = (c) => (c === "\n" ? "⏎" : c);
  return Array.from({ length: R }, (_, r) => {
    const w = steps[last].readWeights[r], n = argmax(w);
    let at = -1, ww = 0;
    for (let t = 0; t < last; t++) if (steps[t].writeWeights[n] > ww) { ww = steps[t].writeWeights[n]; at = t; }
    const where = at < 0 ? "never written" : `written most at “${chars.slice(Math.max(0, at - 9), at).map(show).join("")}[${show(chars[at])}]” (weight ${ww.toFixed(2)})`;
    return `after “${show(chars[last])}”, read ${r + 1} → slot ${n} (weight ${w[n].toFixed(2)}), ${where}`;
  });
}

function drawMemory({ steps, chars, N, R }) {
  const cv = $("heat"), T = steps.length, cell = Math.max(4, Math.min(18, Math.floor((cv.width - 120) / T)));
  const panels = [["write", (s) => s.writeWeights, N]];
  for (let r = 0; r < R; r++) panels.push([`read ${r + 1}`, (s) => s.readWeights[r], N]);
  panels.push(["usage", (s) => s.usage, N], ["allocation", (s) => s.allocation, N]);
  panels.push(["gates", (s) => [...s.freeGates, s.allocationGate, s.writeGate], R + 2]);
  for (let r = 0; r < R; r++) panels.push([`modes ${r + 1}`, (s) => s.readModes[r], 3]);
  const rowH = Math.max(3, Math.min(8, Math.floor(160 / N))), gap = 18;
  const height = panels.reduce((a, [, , n]) => a + n * (n === N ? rowH : 8) + gap, 20);
  cv.height = height;
  const g = cv.getContext("2d");
  g.clearRect(0, 0, cv.width, cv.height);
  g.font = "11px system-ui";
  let y = 4;
  for (const [name, get, n] of panels) {
    const h = n === N ? rowH : 8;
    g.fillStyle = "#3a4350"; g.fillText(name, 2, y + 11);
    for (let t = 0; t < T; t++) {
      const v = get(steps[t]);
      for (let k = 0; k < n; k++) {
        const a = Math.max(0, Math.min(1, v[k]));
        g.fillStyle = `rgb(${Math.round(255 - 220 * a)},${Math.round(255 - 170 * a)},${Math.round(255 - 60 * a)})`;
        g.fillRect(110 + t * cell, y + 14 + k * h, cell - 1, h - (h > 4 ? 1 : 0));
      }
    }
    y += 14 + n * h + gap - 14;
  }
  g.fillStyle = "#3a4350";
  chars.forEach((c, t) => { if (cell >= 8) g.fillText(c === "\n" ? "⏎" : c, 110 + t * cell + 1, cv.height - 4); });
  window.memoryDrawn = { steps: T, panels: panels.length, draws: (window.memoryDrawn?.draws ?? 0) + 1 };
}
