"""Prediction-based embeddings: CBOW and skip-gram with negative sampling, in torch.

As in word2vec (Mikolov et al. 2013): frequent words are subsampled (keep
probability (sqrt(f / (t N)) + 1) t N / f), each centre word gets a random window
of 1..``window`` words, negative words are drawn from the unigram distribution
raised to 3/4, and the learning rate falls linearly to nearly zero. Skip-gram
predicts each context word from the centre word; CBOW predicts the centre word
from the mean of its context words. The embedding is the input matrix.

Training is a generator that yields :class:`Progress` and returns the vectors, so
the worker thread can show a progress bar and stop it between batches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.corpus import BOUNDARY
from viz_app.core.jobs import Progress


@dataclass(frozen=True)
class Word2VecConfig:
    method: str = "skipgram"  # or "cbow"
    dim: int = 100
    window: int = 5
    negative: int = 5
    sample: float = 1e-3
    epochs: int = 5
    lr: float | None = None  # default: 0.025 for skip-gram, 0.05 for CBOW (word2vec's defaults)
    batch: int = 2048  # pairs (skip-gram) or centre words (CBOW) per step
    seed: int = 0

    @property
    def start_lr(self) -> float:
        return self.lr if self.lr is not None else (0.05 if self.method == "cbow" else 0.025)


def keep_probabilities(counts: np.ndarray, sample: float) -> np.ndarray:
    """word2vec's subsampling: the chance of keeping each occurrence of each word."""
    counts = np.asarray(counts, dtype=np.float64)
    threshold = sample * counts.sum()
    return np.minimum(1.0, (np.sqrt(counts / threshold) + 1.0) * threshold / counts)


def _subsample(ids: np.ndarray, keep: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    is_word = ids >= 0
    chance = np.ones(len(ids))
    chance[is_word] = keep[ids[is_word]]
    return ids[rng.random(len(ids)) < chance]


def _window_pairs(seq: np.ndarray, window: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(centre position, context position) pairs inside each paragraph, each centre with its own window."""
    segment = np.cumsum(seq == BOUNDARY)
    reach = rng.integers(1, window + 1, size=len(seq))  # each centre's window size
    centres, contexts = [], []
    positions = np.arange(len(seq))
    for d in range(1, window + 1):
        ok = (seq[:-d] >= 0) & (seq[d:] >= 0) & (segment[:-d] == segment[d:])
        left, right = positions[:-d], positions[d:]
        forward = ok & (reach[:-d] >= d)  # centre on the left, context d words to its right
        backward = ok & (reach[d:] >= d)  # centre on the right, context d words to its left
        centres += [left[forward], right[backward]]
        contexts += [right[forward], left[backward]]
    return np.concatenate(centres), np.concatenate(contexts)


class _NegativeTable:
    """Unigram^0.75 sampling through a large table of word ids, as word2vec does."""

    def __init__(self, counts: np.ndarray, size: int = 10_000_000):
        weights = np.asarray(counts, dtype=np.float64) ** 0.75
        cumulative = np.cumsum(weights / weights.sum())
        self.table = np.searchsorted(cumulative, (np.arange(size) + 0.5) / size).astype(np.int64)

    def draw(self, rng: np.random.Generator, shape) -> np.ndarray:
        return self.table[rng.integers(0, len(self.table), size=shape)]


def train(ids: np.ndarray, counts: np.ndarray, config: Word2VecConfig, device: str = "cpu"):
    """Generator: yields Progress, returns the (V, dim) float32 input vectors."""
    import torch
    import torch.nn.functional as F  # noqa: N812

    if config.method not in ("skipgram", "cbow"):
        raise ValueError(f"unknown method {config.method!r}: use skipgram or cbow")
    rng = np.random.default_rng(config.seed)
    torch.manual_seed(config.seed)
    vocab_size, dim = len(counts), config.dim
    dev = torch.device(device)
    w_in = torch.nn.Embedding(vocab_size, dim, sparse=True).to(dev)  # the embedding being learnt
    w_out = torch.nn.Embedding(vocab_size, dim, sparse=True).to(dev)  # output ("context") vectors
    with torch.no_grad():
        w_in.weight.uniform_(-0.5 / dim, 0.5 / dim)
        w_out.weight.zero_()
    optimizer = torch.optim.SGD([w_in.weight, w_out.weight], lr=config.start_lr)
    negatives = _NegativeTable(counts)
    keep = keep_probabilities(counts, config.sample)
    words_per_epoch = int((ids >= 0).sum())
    total_steps_estimate = None
    step = 0
    for epoch in range(config.epochs):
        seq = _subsample(np.asarray(ids), keep, rng)
        centre_pos, context_pos = _window_pairs(seq, config.window, rng)
        if config.method == "skipgram":
            order = rng.permutation(len(centre_pos))
            centre_ids, context_ids = seq[centre_pos[order]], seq[context_pos[order]]
            starts = np.arange(0, len(order), config.batch)
            bounds = np.r_[starts, len(order)]
        else:
            # Group the context words of each centre together, centres in random order.
            rank = rng.permutation(len(seq))
            order = np.argsort(rank[centre_pos], kind="stable")
            bag_centres, context_ids = centre_pos[order], seq[context_pos[order]]
            first = np.flatnonzero(np.r_[True, bag_centres[1:] != bag_centres[:-1]])  # start of each bag
            centre_ids = seq[bag_centres[first]]
            bag_starts = first
            n_bags = len(first)
            starts = np.arange(0, n_bags, config.batch)
            bounds = np.r_[starts, n_bags]
        if total_steps_estimate is None:
            total_steps_estimate = (len(bounds) - 1) * config.epochs
        for b in range(len(bounds) - 1):
            lo, hi = bounds[b], bounds[b + 1]
            frac = min(step / total_steps_estimate, 1.0)
            lr = config.start_lr * max(1.0 - frac, 1e-4)
            for group in optimizer.param_groups:
                group["lr"] = lr
            if config.method == "skipgram":
                centre = torch.from_numpy(centre_ids[lo:hi].astype(np.int64)).to(dev)  # (B,)
                target = torch.from_numpy(context_ids[lo:hi].astype(np.int64)).to(dev)  # (B,)
                hidden = w_in(centre)  # (B, D)
            else:
                bag_lo, bag_hi = bag_starts[lo], bag_starts[hi] if hi < n_bags else len(context_ids)
                words = torch.from_numpy(context_ids[bag_lo:bag_hi].astype(np.int64)).to(dev)  # (sum of bags,)
                offsets = torch.from_numpy((bag_starts[lo:hi] - bag_lo).astype(np.int64)).to(dev)  # (B,)
                hidden = F.embedding_bag(words, w_in.weight, offsets, mode="mean", sparse=True)  # (B, D)
                target = torch.from_numpy(centre_ids[lo:hi].astype(np.int64)).to(dev)  # (B,)
            noise = torch.from_numpy(negatives.draw(rng, (hi - lo, config.negative))).to(dev)  # (B, K)
            positive = (hidden * w_out(target)).sum(-1)  # (B,)
            negative = torch.bmm(w_out(noise), hidden.unsqueeze(-1)).squeeze(-1)  # (B, K)
            # Summed, not averaged: each pair gets the step word2vec would give it.
            loss = -(F.logsigmoid(positive).sum() + F.logsigmoid(-negative).sum())
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
            if b % 50 == 0:
                done = (epoch + (b + 1) / (len(bounds) - 1)) / config.epochs
                yield Progress(
                    done,
                    f"{config.method} epoch {epoch + 1}/{config.epochs}, "
                    f"loss {loss.item() / (hi - lo):.3f} per {'pair' if config.method == 'skipgram' else 'word'}",
                )
    del words_per_epoch
    return w_in.weight.detach().float().cpu().numpy()
