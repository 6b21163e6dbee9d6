"""PyTorch CPU anchor for fluctlab's `lenet`: the same network, data, batch and optimizer, one process.

input standardized with the training set's mean and std -> conv 5x5x6 (same) -> ReLU -> max-pool 2 -> conv 5x5x16 (valid) -> ReLU -> max-pool 2 -> dense 120 -> ReLU -> dense 84
-> ReLU -> dense 10; MNIST, batch 64, Adam lr 0.001, per-step parameter-change statistics on (as fluctlab records).

Usage: python3 lenet_torch.py IDX_DIR [--epochs 1] [--steps N] [--threads 1] [--record none|stats] [--seed 1]
                               [--init default|glorot] [--no-standardize]
Prints one JSON line: steps, train_s, samples_per_s, test_acc.
--init glorot starts as fluctlab does (Glorot uniform weights, zero biases), to compare accuracy with the same
initialisation; PyTorch's default (Kaiming uniform with a = sqrt(5)) is the default here. --no-standardize feeds the
pixels / 255 as they are (fluctlab's `layers:` spec of lenet without its leading `standardize`).
"""
import argparse, json, os, struct, time
import numpy as np


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, 1, rows, cols)
    if magic == 2049:
        return np.frombuffer(data, dtype=np.uint8, offset=8)
    raise ValueError(f"bad magic {magic} in {path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("idx_dir")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--steps", type=int, default=0, help="stop after this many steps (0: the whole epochs)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--record", default="stats", choices=["none", "stats"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--init", default="default", choices=["default", "glorot"])
    ap.add_argument("--no-standardize", dest="standardize", action="store_false")
    a = ap.parse_args()
    import torch
    from torch import nn
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    load = lambda name: read_idx(os.path.join(a.idx_dir, name))
    xtr = torch.from_numpy(load("train-images-idx3-ubyte").astype(np.float32) / 255.0)
    ytr = torch.from_numpy(load("train-labels-idx1-ubyte").astype(np.int64))
    xte = torch.from_numpy(load("t10k-images-idx3-ubyte").astype(np.float32) / 255.0)
    yte = torch.from_numpy(load("t10k-labels-idx1-ubyte").astype(np.int64))
    if a.standardize:
        # fluctlab's standardize: the training set's statistics in float64, then float32 (x - mean) / std
        raw = load("train-images-idx3-ubyte").astype(np.float64) / 255.0
        mean, std = np.float32(raw.mean()), np.float32(raw.std())
        xtr, xte = (xtr - mean) / std, (xte - mean) / std
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    if a.init == "glorot":
        for m in model:
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    lossf = nn.CrossEntropyLoss()
    params = list(model.parameters())
    prev = [p.detach().clone() for p in params]
    sum_abs = [torch.zeros(()) for _ in params]
    sum_sq = [torch.zeros_like(p) for p in params]
    batch, n, steps = 64, xtr.shape[0], 0
    g = torch.Generator().manual_seed(a.seed)
    t0 = time.perf_counter()
    for _ in range(a.epochs):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n - batch + 1, batch):
            idx = perm[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            steps += 1
            if a.record == "stats":
                with torch.no_grad():
                    for k, p in enumerate(params):
                        d = p - prev[k]
                        sum_abs[k] += d.abs().sum()
                        sum_sq[k] += d * d
                        prev[k].copy_(p)
            if a.steps and steps >= a.steps:
                break
        if a.steps and steps >= a.steps:
            break
    train_s = time.perf_counter() - t0
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    print(json.dumps({"model": "lenet", "steps": steps, "train_s": train_s, "samples_per_s": steps * batch / train_s, "test_acc": acc, "seed": a.seed, "init": a.init, "standardize": a.standardize, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
