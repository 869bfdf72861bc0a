"""GloVe (Pennington, Socher & Manning 2014), fitted in torch.

J = sum over i, j of f(X_ij) (w_i . w~_j + b_i + b~_j - log X_ij)^2, with
f(x) = (x / x_max)^alpha for x < x_max and 1 otherwise (x_max = 100, alpha = 3/4),
over the non-zero co-occurrence counts X_ij (a symmetric window, a pair d words apart
counting 1/d). AdaGrad as in the paper; the embedding is W + W~.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.embeddings.cooccurrence import Cooccurrence
from viz_app.core.jobs import Progress


@dataclass(frozen=True)
class GloveConfig:
    dim: int = 100
    window: int = 10
    x_max: float = 100.0
    alpha: float = 0.75
    epochs: int = 50
    lr: float = 0.05
    batch: int = 16384
    seed: int = 0


def weighting(x: np.ndarray, x_max: float, alpha: float) -> np.ndarray:
    return np.where(x < x_max, (x / x_max) ** alpha, 1.0)


def train(co: Cooccurrence, config: GloveConfig, device: str = "cpu"):
    """Generator: yields Progress (with the mean cost), returns the (V, dim) float32 vectors."""
    import torch

    rng = np.random.default_rng(config.seed)
    torch.manual_seed(config.seed)
    dev = torch.device(device)
    size, dim = co.size, config.dim
    w = torch.nn.Embedding(size, dim, sparse=True).to(dev)  # main word vectors
    w_ctx = torch.nn.Embedding(size, dim, sparse=True).to(dev)  # context vectors w~
    b = torch.nn.Embedding(size, 1, sparse=True).to(dev)
    b_ctx = torch.nn.Embedding(size, 1, sparse=True).to(dev)
    with torch.no_grad():
        for table in (w, w_ctx):
            table.weight.uniform_(-0.5 / dim, 0.5 / dim)
        for table in (b, b_ctx):
            table.weight.zero_()
    params = [w.weight, w_ctx.weight, b.weight, b_ctx.weight]
    optimizer = torch.optim.Adagrad(params, lr=config.lr, initial_accumulator_value=1.0)
    rows = torch.from_numpy(co.rows.astype(np.int64)).to(dev)
    cols = torch.from_numpy(co.cols.astype(np.int64)).to(dev)
    log_x = torch.from_numpy(np.log(co.values).astype(np.float32)).to(dev)
    f_x = torch.from_numpy(weighting(co.values, config.x_max, config.alpha).astype(np.float32)).to(dev)
    n = len(co.values)
    for epoch in range(config.epochs):
        order = torch.from_numpy(rng.permutation(n)).to(dev)
        total = 0.0
        for lo in range(0, n, config.batch):
            idx = order[lo : lo + config.batch]  # (B,)
            i, j = rows[idx], cols[idx]
            diff = (w(i) * w_ctx(j)).sum(-1) + b(i).squeeze(-1) + b_ctx(j).squeeze(-1) - log_x[idx]  # (B,)
            cost = 0.5 * (f_x[idx] * diff * diff).sum()
            optimizer.zero_grad(set_to_none=True)
            cost.backward()
            optimizer.step()
            total += cost.item()
        yield Progress((epoch + 1) / config.epochs, f"GloVe epoch {epoch + 1}/{config.epochs}, cost {total / n:.4f}")
    return (w.weight + w_ctx.weight).detach().float().cpu().numpy()
