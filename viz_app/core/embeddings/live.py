"""Live training of a tiny word2vec, for watching word vectors move (in the spirit of the "wevi" demo).

On a small text (a few dozen sentences, one per line) a CBOW or skip-gram model with a
full softmax is trained by plain gradient descent; every few steps the job yields a
snapshot: the vectors projected to 2D (PCA, or the vectors themselves when the dimension
is 2) and the loss. Words that appear in the same contexts drift together as it trains.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viz_app.core.embeddings.projection import pca
from viz_app.core.jobs import Progress
from viz_app.core.tokenize import word_tokens

MAX_WORDS = 300
MAX_PAIRS = 50_000


@dataclass(frozen=True)
class LiveSnapshot:
    step: int
    steps: int
    words: tuple[str, ...]
    coords: np.ndarray  # (V, 2)
    losses: tuple[float, ...]  # the loss after every step so far
    device: str = "cpu"  # where it is trained ("cpu", "cuda", "mps")


def sample_text() -> str:
    from viz_app.core.resources import resources_dir

    return (Path(resources_dir()) / "samples" / "live_training.txt").read_text(encoding="utf-8")


def training_pairs(text: str, method: str, window: int = 2):
    """(vocabulary, contexts (P, 2*window) padded with -1, targets (P,)) for CBOW or skip-gram."""
    sentences = [[t for t in word_tokens(line) if any(ch.isalnum() for ch in t)] for line in text.splitlines()]
    sentences = [s for s in sentences if len(s) >= 2]
    if not sentences:
        raise ValueError("type a few sentences (one per line, at least two words each) to train on")
    vocab = sorted({t for s in sentences for t in s})
    if len(vocab) > MAX_WORDS:
        raise ValueError(f"live training takes at most {MAX_WORDS} different words; this text has {len(vocab)}")
    index = {w: i for i, w in enumerate(vocab)}
    contexts, targets = [], []
    for sent in sentences:
        ids = [index[t] for t in sent]
        for pos, centre in enumerate(ids):
            ctx = [ids[j] for j in range(max(0, pos - window), min(len(ids), pos + window + 1)) if j != pos]
            if method == "cbow":
                contexts.append(ctx + [-1] * (2 * window - len(ctx)))
                targets.append(centre)
            else:  # skip-gram: the centre word predicts each context word
                for c in ctx:
                    contexts.append([centre] + [-1] * (2 * window - 1))
                    targets.append(c)
    if len(targets) > MAX_PAIRS:
        raise ValueError("the text is too long for live training; use a few dozen sentences")
    return vocab, np.asarray(contexts, dtype=np.int64), np.asarray(targets, dtype=np.int64)


def train_live(
    text: str,
    method: str = "skipgram",
    dim: int = 5,
    steps: int = 300,
    lr: float = 0.5,
    seed: int = 0,
    every: int = 5,
    delay_s: float = 0.03,
    paused=lambda: False,
    cancelled=lambda: False,
    device: str = "cpu",
):
    """Generator: yields Progress with a LiveSnapshot in ``data`` every ``every`` steps; returns the last one.

    ``delay_s`` slows each snapshot down so that a class can watch; ``paused()`` holds training. The model trains
    on ``device``; its starting vectors are drawn on the CPU, so a seed starts from the same ones on any device.
    """
    import torch

    if method not in ("cbow", "skipgram"):
        raise ValueError("method must be cbow or skipgram")
    if not 2 <= dim <= 50:
        raise ValueError("the dimension must be between 2 and 50")
    vocab, contexts, targets = training_pairs(text, method)
    torch.manual_seed(seed)
    size = len(vocab)
    w_in = torch.nn.Parameter((torch.randn(size, dim) * 0.5).to(device))  # (V, dim) the word vectors we watch
    w_out = torch.nn.Parameter(torch.zeros(dim, size, device=device))  # (dim, V) output weights, full softmax
    optimizer = torch.optim.SGD([w_in, w_out], lr=lr)
    ctx = torch.from_numpy(contexts).to(device)  # (P, C) word ids, -1 = padding
    mask = (ctx >= 0).float()  # (P, C)
    tgt = torch.from_numpy(targets).to(device)  # (P,)
    losses: list[float] = []

    def snapshot(step: int) -> LiveSnapshot:
        vectors = w_in.detach().cpu().numpy()  # (V, dim)
        coords = vectors.copy() if dim == 2 else pca(vectors).coords
        return LiveSnapshot(step, steps, tuple(vocab), coords.astype(np.float32), tuple(losses), str(device))

    yield Progress(0.0, f"{method}: {size} words, {len(tgt)} training examples", snapshot(0))
    for step in range(1, steps + 1):
        while paused() and not cancelled():
            time.sleep(0.05)
        embedded = w_in[ctx.clamp(min=0)] * mask.unsqueeze(-1)  # (P, C, dim)
        hidden = embedded.sum(1) / mask.sum(1, keepdim=True)  # (P, dim) the mean of the context vectors
        logits = hidden @ w_out  # (P, V)
        loss = torch.nn.functional.cross_entropy(logits, tgt)  # minimising cross entropy, as in the lecture
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
        if step % every == 0 or step == steps:
            if delay_s:
                time.sleep(delay_s)
            yield Progress(step / steps, f"{method} step {step}/{steps}, loss {losses[-1]:.3f}", snapshot(step))
    return snapshot(steps)
