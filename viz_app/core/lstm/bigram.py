"""A bigram language model counted from the same corpus: P(w | previous word), add-k smoothed,
interpolated with the unigram distribution so that an unseen pair is never impossible."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BigramModel:
    indptr: np.ndarray  # (V + 1,) rows of previous words
    cols: np.ndarray  # (nnz,) next words, sorted within each row
    counts: np.ndarray  # (nnz,) pair counts
    row_totals: np.ndarray  # (V,)
    unigram: np.ndarray  # (V,) P(w)
    lam: float  # weight of the bigram estimate; 1 - lam goes to the unigram

    @classmethod
    def count(cls, sequences_ids: list[list[int]], vocab_size: int, lam: float = 0.8) -> BigramModel:
        prev, nxt = [], []
        for ids in sequences_ids:
            prev.extend(ids[:-1])
            nxt.extend(ids[1:])
        key = np.asarray(prev, dtype=np.int64) * vocab_size + np.asarray(nxt, dtype=np.int64)
        unique, counts = np.unique(key, return_counts=True)
        rows, cols = unique // vocab_size, unique % vocab_size
        indptr = np.zeros(vocab_size + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=vocab_size), out=indptr[1:])
        row_totals = np.bincount(rows, weights=counts, minlength=vocab_size)
        uni = np.bincount(np.asarray(nxt, dtype=np.int64), minlength=vocab_size).astype(np.float64) + 1.0
        return cls(indptr, cols.astype(np.int32), counts.astype(np.int32), row_totals, uni / uni.sum(), lam)

    def distribution(self, prev: int) -> np.ndarray:
        """P(next | prev) over the whole vocabulary (V,)."""
        p = (1.0 - self.lam) * self.unigram.copy()
        total = self.row_totals[prev]
        if total > 0:
            lo, hi = self.indptr[prev], self.indptr[prev + 1]
            p[self.cols[lo:hi]] += self.lam * self.counts[lo:hi] / total
        else:
            p += self.lam * self.unigram
        return p

    def prob(self, prev: int, word: int) -> float:
        return float(self.distribution(prev)[word])

    def tensors(self) -> dict[str, np.ndarray]:
        return {
            "indptr": self.indptr,
            "cols": self.cols,
            "counts": self.counts,
            "row_totals": self.row_totals,
            "unigram": self.unigram,
            "lam": np.array([self.lam]),
        }

    @classmethod
    def from_tensors(cls, t: dict) -> BigramModel:
        return cls(
            t["indptr"].astype(np.int64), t["cols"], t["counts"], t["row_totals"], t["unigram"], float(t["lam"][0])
        )
