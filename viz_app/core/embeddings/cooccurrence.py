"""Word-word co-occurrence counts in a symmetric window, as a sparse matrix in coordinate form."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.corpus import BOUNDARY


@dataclass(frozen=True)
class Cooccurrence:
    rows: np.ndarray  # (nnz,) int32 word i
    cols: np.ndarray  # (nnz,) int32 context word j
    values: np.ndarray  # (nnz,) float64 X_ij
    size: int  # V

    def dense_row(self, i: int) -> np.ndarray:
        out = np.zeros(self.size)
        mask = self.rows == i
        out[self.cols[mask]] = self.values[mask]
        return out


def count(ids: np.ndarray, size: int, window: int = 5, weighting: str = "uniform", progress=None) -> Cooccurrence:
    """X_ij = how often j stands within ``window`` words of i (both sides), inside one paragraph.

    ``weighting="harmonic"`` counts a pair d words apart as 1/d, as GloVe does.
    """
    ids = np.asarray(ids, dtype=np.int64)
    segment = np.cumsum(ids == BOUNDARY)  # paragraph number of each position
    keys, weights = [], []
    for d in range(1, window + 1):
        left, right = ids[:-d], ids[d:]
        ok = (left >= 0) & (right >= 0) & (segment[:-d] == segment[d:])
        a, b = left[ok], right[ok]
        w = 1.0 / d if weighting == "harmonic" else 1.0
        keys += [a * size + b, b * size + a]  # symmetric: both directions
        weights.append(np.full(2 * len(a), w))
        if progress:
            progress(d / (window + 1), f"co-occurrences at distance {d}")
    key = np.concatenate(keys)
    weight = np.concatenate(weights)
    order = np.argsort(key, kind="stable")
    key, weight = key[order], weight[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    values = np.add.reduceat(weight, starts)
    unique = key[starts]
    return Cooccurrence(
        rows=(unique // size).astype(np.int32), cols=(unique % size).astype(np.int32), values=values, size=size
    )
