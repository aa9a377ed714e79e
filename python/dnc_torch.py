#!/usr/bin/env python3
"""dnc-wasm's RNN, LSTM, DNC (and, for evaluation, SAM and the sparse DNC) as PyTorch modules, exactly as docs/MODELS.md
writes them, reading and writing dnc-wasm checkpoints (safetensors, format
dnc-wasm/1), so that a model trained in the browser or in Node can be trained
further with PyTorch (DistributedDataParallel, GPUs) and brought back.

    python3 python/dnc_torch.py eval  --checkpoint F --data T
    python3 python/dnc_torch.py train --init F --data T --iters N --save G [--batch B --seq S --lr X --clip C]
    torchrun --nproc_per_node 2 python/dnc_torch.py train ...     (data-parallel over the streams, gloo on CPU)

eval prints the BPC of the whole of T, one stream from a zero state: what
`dnc eval --checkpoint F --data T --split all --batch 1` prints. train writes
weights only (no optimiser state): `dnc sample`, `dnc eval`, `dnc train --init`
and the page load it.
"""
import argparse
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

FORMAT = "dnc-wasm/1"
EPS = 1e-6


# ---- safetensors (F32 only), without the safetensors package ----

def read_safetensors(path):
    """Tensors by name (float32) and the metadata strings of a safetensors file."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: not a safetensors file")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, e in header.items():
        if e["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {e['dtype']}, not F32")
        a, b = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32) if b > a else torch.zeros(0)
        tensors[name] = t.reshape(e["shape"]).clone()
    return tensors, meta


def write_safetensors(path, tensors, meta):
    """Writes F32 tensors (in the given order) and metadata, atomically (a temporary file, then a rename)."""
    header, blobs, off = {"__metadata__": meta}, [], 0
    for name, t in tensors.items():
        b = t.detach().to(torch.float32).contiguous().cpu().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# ---- the models (docs/MODELS.md); tensors keep the checkpoint's names ----

class Model(torch.nn.Module):
    """Common to the three kinds: the checkpoint's tensors as parameters, by their names."""

    def __init__(self, tensors, names):
        super().__init__()
        self.names = names
        self.p = torch.nn.ParameterDict({n.replace(".", "__"): torch.nn.Parameter(tensors[n].clone()) for n in names})

    def w(self, name):
        return self.p[name.replace(".", "__")]

    def tensors(self):
        return {n: self.w(n) for n in self.names}

    def forward(self, x, state):
        """x: [S, B, V] one-hot inputs; state: the carried state (a tuple). Returns logits [S, B, V] and the new state."""
        ys = []
        for t in range(x.shape[0]):
            y, state = self.step(x[t], state)
            ys.append(y)
        return torch.stack(ys), state


class CharRNN(Model):
    """nn.RNN (tanh) or nn.LSTM, one layer, with one bias, then a linear output."""

    def __init__(self, kind, tensors):
        self.kind = kind
        super().__init__(tensors, [f"{kind}.weight_ih", f"{kind}.weight_hh", f"{kind}.bias", "out.weight", "out.bias"])
        self.H = tensors[f"{kind}.weight_hh"].shape[1]

    def zero_state(self, B, dtype):
        z = torch.zeros(B, self.H, dtype=dtype)
        return (z, z.clone())

    def step(self, x, state):
        h, c = state
        k = self.kind
        z = x @ self.w(f"{k}.weight_ih").t() + h @ self.w(f"{k}.weight_hh").t() + self.w(f"{k}.bias")
        if k == "rnn":
            h = torch.tanh(z)
        else:
            i, f, g, o = z.chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        return h @ self.w("out.weight").t() + self.w("out.bias"), (h, c)


class MemoryModel(Model):
    """The DNC's and the SAM's common part: the LSTM controller over [x; r_{t−1}], the interface, the output layer."""
    NAMES = ["lstm.weight_ih", "lstm.weight_hh", "lstm.bias", "interface.weight", "interface.bias", "out.weight", "out.bias"]

    def controller(self, x, r, h, c):
        z = torch.cat([x, r.reshape(x.shape[0], -1)], 1) @ self.w("lstm.weight_ih").t() + h @ self.w("lstm.weight_hh").t() + self.w("lstm.bias")
        i, f, g, o = z.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, c, h @ self.w("interface.weight").t() + self.w("interface.bias")


def content(M, k, beta, s=None):
    """C(M, k, β) for each head: M [B,N,W], k [B,h,W], β [B,h] → [B,h,N]; with masks s [B,h,W],
    masked content addressing: head i compares k_i ∘ s_i with M[n] ∘ s_i."""
    M = M[:, None, :, :] if s is None else M[:, None, :, :] * s[:, :, None, :]
    k = k if s is None else k * s
    kn = torch.sqrt((k * k).sum(-1) + EPS)
    mn = torch.sqrt((M * M).sum(-1) + EPS)
    d = torch.einsum("bhw,bhnw->bhn", k, M) / (kn[:, :, None] * mn + EPS)
    return torch.softmax(beta[:, :, None] * d, dim=-1)


def oneplus(x):
    return 1 + F.softplus(x)


class DNC(MemoryModel):
    """The DNC of Graves et al. 2016 (Methods), one write head, R read heads."""

    def __init__(self, tensors, config):
        super().__init__(tensors, self.NAMES)
        self.H, self.N, self.W, self.R = config["hidden"], config["memorySlots"], config["wordSize"], config["readHeads"]
        self.mask = config.get("contentMask") is True
        self.erase_freed = config.get("eraseFreed") is True

    def zero_state(self, B, dtype):
        z = lambda *s: torch.zeros(*s, dtype=dtype)
        N, W, R, H = self.N, self.W, self.R, self.H
        return (z(B, H), z(B, H), z(B, N, W), z(B, N, N), z(B, N), z(B, N), z(B, N), z(B, R, N), z(B, R, W))

    def step(self, x, state):
        h, c, M, L, u, p, ww, wr, r = state
        B, N, W, R = x.shape[0], self.N, self.W, self.R
        h, c, xi = self.controller(x, r, h, c)
        # the interface vector, in MODELS.md's order
        sizes = [R * W, R, W, 1, W, W, R, 1, 1, 3 * R] + ([R * W, W] if self.mask else [])
        kr, br, kw, bw, e, v, fg, ga, gw, pi, *masks = torch.split(xi, sizes, dim=1)
        sr, sw = (torch.sigmoid(masks[0]).reshape(B, R, W), torch.sigmoid(masks[1])[:, None, :]) if self.mask else (None, None)
        kr, br, kw, bw = kr.reshape(B, R, W), oneplus(br), kw, oneplus(bw)
        e, fg, ga, gw = torch.sigmoid(e), torch.sigmoid(fg), torch.sigmoid(ga), torch.sigmoid(gw)
        pi = torch.softmax(pi.reshape(B, R, 3), dim=-1)
        # 1. usage
        psi = torch.prod(1 - fg[:, :, None] * wr, dim=1)
        u = (u + ww - u * ww) * psi
        # 2. allocation: a stable sort of û (ties: lower index first), the order held constant
        uh = EPS + (1 - EPS) * u
        su, phi = torch.sort(uh, dim=1, stable=True)
        before = torch.cat([torch.ones(B, 1, dtype=su.dtype), torch.cumprod(su, dim=1)[:, :-1]], dim=1)
        a = torch.zeros_like(u).scatter(1, phi, (1 - su) * before)
        # 3. write weighting; 4. memory
        cw = content(M, kw[:, None, :], bw, sw)[:, 0, :]
        ww = gw * (ga * a + (1 - ga) * cw)
        if self.erase_freed:  # de-allocation that erases: the write starts from ψ ∘ M_{t−1}
            M = M * psi[:, :, None]
        M = M * (1 - ww[:, :, None] * e[:, None, :]) + ww[:, :, None] * v[:, None, :]
        # 5. links and precedence
        L = ((1 - ww[:, :, None] - ww[:, None, :]) * L + ww[:, :, None] * p[:, None, :]) * (1 - torch.eye(N, dtype=L.dtype))
        p = (1 - ww.sum(1, keepdim=True)) * p + ww
        # 6. reads: forward L·w, backward Lᵀ·w, content
        fw = torch.einsum("bnm,brm->brn", L, wr)
        bk = torch.einsum("bmn,brm->brn", L, wr)
        cr = content(M, kr, br, sr)
        wr = pi[..., 0:1] * bk + pi[..., 1:2] * cr + pi[..., 2:3] * fw
        r = torch.einsum("brn,bnw->brw", wr, M)
        # 7. output over [h; r]
        y = torch.cat([h, r.reshape(B, -1)], 1) @ self.w("out.weight").t() + self.w("out.bias")
        return y, (h, c, M, L, u, p, ww, wr, r)


DELTA = 0.005  # SAM's access threshold: a slot weighted above it counts as used (and, in the SDNC, has its link row rewritten)


class SAM(MemoryModel):
    """Sparse access memory (Rae et al. 2016; MODELS.md): the DNC's controller and output, reads of K slots
    chosen by the exact top-K cosine (equal values: the lower slot), writes to the last read slots and the
    least-recently-used one. Evaluation only: the top-K sets and the least-used slot are discrete."""
    MODES = 0  # read modes per head after SAM's ξ (the SDNC's 3)

    def __init__(self, tensors, config):
        super().__init__(tensors, self.NAMES)
        if config.get("lsh") is not None:
            raise ValueError(f"this {type(self).__name__} reads with the LSH index (config lsh); this module has only the exact scan, so its numbers would differ")
        self.H, self.N, self.W, self.R, self.K = config["hidden"], config["memorySlots"], config["wordSize"], config["readHeads"], config["sparse"]
        self.Kr = self.K  # read entries per head

    def zero_state(self, B, dtype):
        N, W, R, H, Kr = self.N, self.W, self.R, self.H, self.Kr
        z = lambda *s: torch.zeros(*s, dtype=dtype)
        # h, c, memory, last-access times τ, clock, read entries (slots, weights), read vectors
        return (z(B, H), z(B, H), z(B, N, W), z(B, N), z(B), torch.zeros(B, R, Kr, dtype=torch.long), z(B, R, Kr), z(B, R, W))

    def interface(self, xi):
        B, R, W = xi.shape[0], self.R, self.W
        kr, br, v, alpha, gamma, modes = torch.split(xi, [R * W, R, W, 1, 1, self.MODES * R], dim=1)
        return kr.reshape(B, R, W), oneplus(br), v, torch.sigmoid(alpha), torch.sigmoid(gamma), modes

    def write(self, M, tau, ridx, rw, v, alpha, gamma):
        """Erase the least-recently-used slot (equal times: the lower), then write v to it and to the previous read entries."""
        B, N, W, R = M.shape[0], self.N, self.W, self.R
        u = torch.argmin(tau, dim=1)
        M = M * (1 - F.one_hot(u, N).to(M.dtype))[:, :, None]
        slots = torch.cat([ridx.reshape(B, -1), u[:, None]], 1)
        ww = torch.cat([alpha * gamma / R * rw.reshape(B, -1), alpha * (1 - gamma)], 1)
        return M.scatter_add(1, slots[:, :, None].expand(B, slots.shape[1], W), ww[:, :, None] * v[:, None, :]), slots, ww

    def content(self, M, kr, br):
        """Each head's K slots of largest cosine (equal: the lower slot) and their softmax weights."""
        kn = torch.sqrt((kr * kr).sum(-1) + EPS)
        mn = torch.sqrt((M * M).sum(-1) + EPS)
        d = torch.einsum("brw,bnw->brn", kr, M) / (kn[:, :, None] * mn[:, None, :] + EPS)
        idx = torch.sort(d, dim=-1, descending=True, stable=True).indices[:, :, :self.K]
        return idx, torch.softmax(br[:, :, None] * torch.gather(d, 2, idx), dim=-1)

    def read(self, M, ridx, rw):
        B, N, W, R = M.shape[0], self.N, self.W, self.R
        return torch.einsum("bre,brew->brw", rw, torch.gather(M[:, None].expand(B, R, N, W), 2, ridx[..., None].expand(*ridx.shape, W)))

    def touch(self, tau, clock, slots, ww, ridx, rw):
        """Access times: every slot an entry of the write or of a read weights above δ (a slot named twice: either)."""
        B, N = tau.shape
        clock = clock + 1
        hit = torch.zeros(B, N, dtype=tau.dtype)
        hit.scatter_add_(1, slots, (ww > DELTA).to(tau.dtype))
        hit.scatter_add_(1, ridx.reshape(B, -1), (rw > DELTA).reshape(B, -1).to(tau.dtype))
        tau = torch.where(hit > 0, clock[:, None], tau)
        big = clock > 2 ** 22
        if big.any():  # times stay exact in f32: moved back by clock − 2^21, below 0 to 0
            shift = torch.where(big, clock - 2 ** 21, torch.zeros_like(clock))
            tau, clock = torch.clamp(tau - shift[:, None], min=0), clock - shift
        return tau, clock

    def output(self, h, r):
        return torch.cat([h, r.reshape(h.shape[0], -1)], 1) @ self.w("out.weight").t() + self.w("out.bias")

    def step(self, x, state):
        h, c, M, tau, clock, ridx, rw, r = state
        h, c, xi = self.controller(x, r, h, c)
        kr, br, v, alpha, gamma, _ = self.interface(xi)
        M, slots, ww = self.write(M, tau, ridx, rw, v, alpha, gamma)
        ridx, rw = self.content(M, kr, br)
        r = self.read(M, ridx, rw)
        tau, clock = self.touch(tau, clock, slots, ww, ridx, rw)
        return self.output(h, r), (h, c, M, tau, clock, ridx, rw, r)


def keep(x, K):
    """The K largest entries of x's last axis that are > 0 (equal: the lower slot), as (slots, values);
    fewer than K: padded with slot 0, value 0."""
    idx = torch.sort(x, dim=-1, descending=True, stable=True).indices[..., :K]
    val = torch.gather(x, -1, idx)
    return torch.where(val > 0, idx, torch.zeros_like(idx)), torch.where(val > 0, val, torch.zeros_like(val))


def dense(idx, val, N):
    """Entries (slots, values) as a dense last axis of N, a slot named twice summed."""
    return torch.zeros(*idx.shape[:-1], N, dtype=val.dtype).scatter_add(-1, idx, val)


class SDNC(SAM):
    """The sparse DNC (Rae et al. 2016; MODELS.md "SDNC"): SAM plus temporal links kept to K entries per row,
    a precedence of K entries and three read modes per head. Written densely (the links as N×N, zero outside the
    kept entries): only the math, not the sparse store, so it checks the kernels independently. Evaluation only."""
    MODES = 3

    def __init__(self, tensors, config):
        super().__init__(tensors, config)
        self.Kr = 3 * self.K  # backward, content, forward: K entries each

    def zero_state(self, B, dtype):
        h, c, M, tau, clock, ridx, rw, r = super().zero_state(B, dtype)
        N = self.N
        # links L[i][j] (j written before i) and the precedence, dense
        return (h, c, M, tau, clock, torch.zeros(B, N, N, dtype=dtype), torch.zeros(B, N, dtype=dtype), ridx, rw, r)

    def step(self, x, state):
        h, c, M, tau, clock, L, p, ridx, rw, r = state
        B, N, R, K = x.shape[0], self.N, self.R, self.K
        h, c, xi = self.controller(x, r, h, c)
        kr, br, v, alpha, gamma, modes = self.interface(xi)
        pi = torch.softmax(modes.reshape(B, R, 3), dim=-1)
        M, slots, ww = self.write(M, tau, ridx, rw, v, alpha, gamma)
        # links: each row i the write weights above δ becomes (1 − w(i)) L[i] + w(i) p_{t−1} (j ≠ i), its K largest kept
        w = dense(slots, ww, N)
        off = 1 - torch.eye(N, dtype=L.dtype)
        rows = dense(*keep((1 - w)[:, :, None] * L + w[:, :, None] * p[:, None, :] * off, K), N)
        L = torch.where((w > DELTA)[:, :, None], rows, L)
        p = dense(*keep((1 - ww.sum(1, keepdim=True)) * p + w, K), N)
        # reads of M_t: content, and through L_t from each head's previous read weighting
        cidx, cw = self.content(M, kr, br)
        prev = dense(ridx, rw, N)
        bidx, bval = keep(torch.einsum("brn,bnj->brj", prev, L), K)
        fidx, fval = keep(torch.einsum("bin,brn->bri", L, prev), K)
        ridx = torch.cat([bidx, cidx, fidx], -1)
        rw = torch.cat([pi[..., 0:1] * bval, pi[..., 1:2] * cw, pi[..., 2:3] * fval], -1)
        r = self.read(M, ridx, rw)
        tau, clock = self.touch(tau, clock, slots, ww, ridx, rw)
        return self.output(h, r), (h, c, M, tau, clock, L, p, ridx, rw, r)


def load(path):
    """The model, its config and vocabulary from a dnc-wasm checkpoint."""
    tensors, meta = read_safetensors(path)
    if meta.get("format", FORMAT) != FORMAT:
        raise ValueError(f"{path}: format {meta.get('format')!r}, expected {FORMAT}")
    kind, config, vocab = meta["model"], json.loads(meta["config"]), json.loads(meta["vocab"])
    if config.get("task"):
        raise ValueError(f"{path}: a model of the {config['task']} task; this module handles text models")
    model = {"dnc": DNC, "sam": SAM, "sdnc": SDNC}[kind](tensors, config) if kind in ("dnc", "sam", "sdnc") else CharRNN(kind, tensors)
    return model, kind, config, vocab


def save(path, model, kind, config, vocab):
    write_safetensors(path, {n: t for n, t in model.tensors().items()},
                      {"format": FORMAT, "model": kind, "config": json.dumps(config), "vocab": json.dumps(vocab, ensure_ascii=False)})


def encode(text, vocab):
    index = {ch: i for i, ch in enumerate(vocab)}
    missing = sorted({ch for ch in text if ch not in index})
    if missing:
        raise ValueError(f"characters not in the model's vocabulary: {missing[:10]}")
    return torch.tensor([index[ch] for ch in text], dtype=torch.long)


def bpc(model, ids, V, window=100):
    """One stream from a zero state over all of ids (float64, state carried): mean loss / ln 2."""
    model = model.double()
    state, total, n = model.zero_state(1, torch.float64), 0.0, 0
    with torch.no_grad():
        for t0 in range(0, len(ids) - 1, window):
            x = ids[t0:min(t0 + window, len(ids) - 1)]
            y = ids[t0 + 1:t0 + 1 + len(x)]
            logits, state = model(F.one_hot(x, V).double()[:, None, :], state)
            total += F.cross_entropy(logits[:, 0, :], y, reduction="sum").item()
            n += len(y)
    return total / n / math.log(2)


def cmd_eval(a):
    model, kind, config, vocab = load(a.checkpoint)
    with open(a.data, encoding="utf-8", newline="") as f:
        text = f.read()
    print(f"{bpc(model, encode(text.lstrip(chr(0xFEFF)), vocab), len(vocab)):.12f} BPC")


def cmd_train(a):
    world, rank = int(os.environ.get("WORLD_SIZE", "1")), int(os.environ.get("RANK", "0"))
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}" if torch.cuda.is_available() else "cpu")
    if world > 1:
        import torch.distributed as dist
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    model, kind, config, vocab = load(a.init)
    if kind in ("sam", "sdnc"):
        raise ValueError(f"this module evaluates {kind.upper()} checkpoints but does not train them (its top-K sets are discrete); train them with dnc train")
    model.to(device)
    with open(a.data, encoding="utf-8", newline="") as f:
        text = f.read().lstrip(chr(0xFEFF))
    ids = encode(text, vocab)
    train_ids = ids[: int(0.9 * len(ids))]
    B, S, V = a.batch, a.seq, len(vocab)
    if B % world:
        raise ValueError(f"the batch ({B}) must split evenly over {world} processes")
    m = len(train_ids)
    if m < S + 1:
        raise ValueError(f"the training text has {m} characters; seq {S} needs {S + 1}")
    # MODELS.md's streams: b starts at b·⌊(m−S−1)/B⌋, advances S, wraps with a zero state; this process takes its share
    stride = (m - S - 1) // B
    period = max(B * stride, 1)
    mine = list(range(rank * B // world, (rank + 1) * B // world))
    pos = [b * stride for b in mine]
    net = model
    if world > 1:
        net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    state = model.zero_state(len(mine), torch.float32)
    state = tuple(s.to(device) for s in state)
    for it in range(1, a.iters + 1):
        xs, ys = [], []
        for j, b in enumerate(mine):
            if pos[j] + S + 1 > m:
                pos[j] %= period
                state = tuple(torch.cat([s[:j], torch.zeros_like(s[j:j + 1]), s[j + 1:]]) for s in state)
            xs.append(train_ids[pos[j]:pos[j] + S])
            ys.append(train_ids[pos[j] + 1:pos[j] + S + 1])
            pos[j] += S
        x = F.one_hot(torch.stack(xs, 1), V).float().to(device)
        y = torch.stack(ys, 1).to(device)
        logits, state = net(x, state)
        loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        if a.clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        opt.step()
        state = tuple(s.detach() for s in state)
        if rank == 0 and (it % a.print_every == 0 or it == a.iters):
            print(f"iter {it}, {loss.item() / math.log(2):.4f} BPC (process 0 of {world})", flush=True)
    if rank == 0:
        save(a.save, model.cpu(), kind, {**config, "batch": B, "seq": S, "optimizer": "adam", "lr": a.lr, "clip": a.clip}, vocab)
        print(f"saved {a.save}")
    if world > 1:
        import torch.distributed as dist
        dist.barrier()
        dist.destroy_process_group()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("eval", help="BPC of a whole text, one stream from a zero state")
    e.add_argument("--checkpoint", required=True)
    e.add_argument("--data", required=True)
    t = sub.add_parser("train", help="train a checkpoint's model further (torchrun for several processes)")
    t.add_argument("--init", required=True, help="a dnc-wasm checkpoint to start from")
    t.add_argument("--data", required=True)
    t.add_argument("--iters", type=int, required=True)
    t.add_argument("--save", required=True)
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--seq", type=int, default=50)
    t.add_argument("--lr", type=float, default=2e-3)
    t.add_argument("--clip", type=float, default=5.0)
    t.add_argument("--print-every", type=int, default=100)
    a = ap.parse_args(argv)
    try:
        cmd_eval(a) if a.cmd == "eval" else cmd_train(a)
    except (ValueError, KeyError, OSError) as err:
        print(f"dnc_torch: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
