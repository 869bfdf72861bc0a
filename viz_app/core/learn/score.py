"""How close each head's attention is to the task's ideal pattern.

A head's score is the mean, over the answer query positions (and the examples), of the attention weight it puts
on the ideal key position: 1 when every answer looks only at the input it needs, about 1 / (keys seen) for a head
spreading its attention evenly. The best head counts as "pattern formed" above 0.5: more than half of every row's
attention on one key makes that key the row's clear favourite (no other key can weigh as much), and a random
head over the ~8-16 keys of these tasks scores well under 0.2.

For the French pairs ``ideal`` holds the diagonal (no ideal is known); there the score is the attention within
one word of it, inside the French (``diagonality``).
"""

from __future__ import annotations

import numpy as np

FORMED = 0.5


def head_scores(weights: np.ndarray, ideal: np.ndarray, tolerance: int = 0, source_len=None) -> np.ndarray:
    """weights (B, L, H, T, T) (or (L, H, T, T) for one example), ideal (B, T) (or (T,)): key position per query,
    -1 where not scored -> (L, H) scores in 0..1 (NaN when no query is scored). ``tolerance``: also count keys
    that many positions from the ideal one; ``source_len`` (B,): only keys before it count."""
    w = np.asarray(weights, np.float32)
    ideal = np.asarray(ideal)
    if w.ndim == 4:
        w, ideal = w[None], ideal[None]
        source_len = None if source_len is None else np.asarray(source_len).reshape(1)
    b, layers, heads, t, k = w.shape
    ideal = ideal[:, :t]
    keys = np.arange(k)
    near = np.abs(keys[None, None, :] - ideal[:, :, None]) <= tolerance  # (B, T, K)
    if source_len is not None:
        near &= keys[None, None, :] < np.asarray(source_len)[:, None, None]
    near &= (ideal >= 0)[:, :, None]
    scored = ideal >= 0  # (B, T)
    count = scored.sum()
    if count == 0:
        return np.full((layers, heads), np.nan, np.float32)
    mass = (w * near[:, None, None]).sum(-1)  # (B, L, H, T)
    return (mass.sum(axis=(0, 3)) / count).astype(np.float32)


def source_lengths(answer: np.ndarray) -> np.ndarray:
    """(B, T) answer mask -> (B,) the first answer query position: the input's length (SEP's position)."""
    return np.argmax(np.asarray(answer), axis=1)


def diagonality(weights: np.ndarray, ideal: np.ndarray, answer: np.ndarray) -> np.ndarray:
    """(L, H) attention within one position of the diagonal ``ideal``, inside the input."""
    return head_scores(weights, ideal, tolerance=1, source_len=source_lengths(answer))


def best_head(scores: np.ndarray) -> tuple[int, int, float]:
    """(layer, head, score) of the highest score; (-1, -1, nan) when there is none."""
    s = np.asarray(scores, np.float64)
    if s.size == 0 or np.all(np.isnan(s)):
        return -1, -1, float("nan")
    layer, head = np.unravel_index(int(np.nanargmax(s)), s.shape)
    return int(layer), int(head), float(s[layer, head])


def formed(scores: np.ndarray, threshold: float = FORMED) -> bool:
    _, _, best = best_head(scores)
    return bool(best > threshold)
