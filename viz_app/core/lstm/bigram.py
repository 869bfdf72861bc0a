"""A bigram language model counted from the same corpus: interpolated Kneser-Ney.

    P(w | v) = max(c(v, w) - D, 0) / c(v)  +  D · N(v •) / c(v) · P_cont(w)

c(v, w) is how often w followed v in the training text, c(v) how often v was followed by anything, N(v •) the
number of different words seen after v, and D the discount taken from every seen pair. The mass taken away goes
to the *continuation probability* P_cont(w): the share of distinct words that w was seen after (a word that
follows many different words is a likely guess after a new one too). P_cont itself is discounted the same way and
interpolated with the uniform distribution, so no word of the vocabulary is ever impossible. An unseen pair
(c(v, w) = 0) gets only the second term; a previous word never seen in training (c(v) = 0) gets P_cont(w).

The stored tensors are the raw counts; the continuation counts follow from them when the model is loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

DEFAULT_DISCOUNT = 0.75


@dataclass(frozen=True)
class PairExplanation:
    """Every number behind one P(w | v), for showing how smoothing gives an unseen pair its probability."""

    pair_count: int  # c(v, w)
    prev_count: int  # c(v): how often v was followed by a word
    followers: int  # N(v •): how many different words followed v
    discount: float  # D
    continuation_count: int  # N(• w): after how many different words w was seen
    continuation_total: int  # N(• •): the number of distinct pairs
    continuation: float  # P_cont(w) (itself smoothed with the uniform distribution)
    counted_part: float  # max(c(v, w) - D, 0) / c(v)
    backoff_weight: float  # D · N(v •) / c(v) (1 when c(v) = 0)
    probability: float  # counted_part + backoff_weight · continuation


@dataclass(frozen=True)
class BigramModel:
    indptr: np.ndarray  # (V + 1,) rows of previous words
    cols: np.ndarray  # (nnz,) next words, sorted within each row
    counts: np.ndarray  # (nnz,) pair counts
    row_totals: np.ndarray  # (V,) c(v)
    discount: float = DEFAULT_DISCOUNT
    continuation_counts: np.ndarray = field(init=False, repr=False)  # (V,) N(• w)
    continuation: np.ndarray = field(init=False, repr=False)  # (V,) P_cont(w)

    def __post_init__(self) -> None:
        vocab_size = len(self.row_totals)
        n_cont = np.bincount(self.cols, minlength=vocab_size).astype(np.int64)  # N(• w)
        total = max(int(n_cont.sum()), 1)
        d = self.discount
        seen_types = int((n_cont > 0).sum())
        p = np.maximum(n_cont - d, 0.0) / total + d * seen_types / total / vocab_size
        object.__setattr__(self, "continuation_counts", n_cont)
        object.__setattr__(self, "continuation", p)

    @property
    def vocab_size(self) -> int:
        return len(self.row_totals)

    @classmethod
    def count(cls, sequences_ids: list[list[int]], vocab_size: int, discount: float = DEFAULT_DISCOUNT) -> BigramModel:
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
        return cls(indptr, cols.astype(np.int32), counts.astype(np.int32), row_totals, float(discount))

    def with_discount(self, discount: float) -> BigramModel:
        return BigramModel(self.indptr, self.cols, self.counts, self.row_totals, float(discount))

    def _row(self, prev: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.indptr[prev], self.indptr[prev + 1]
        return self.cols[lo:hi], self.counts[lo:hi]

    def distribution(self, prev: int) -> np.ndarray:
        """P(next | prev) over the whole vocabulary (V,)."""
        total = float(self.row_totals[prev])
        if total <= 0:
            return self.continuation.copy()
        cols, counts = self._row(prev)
        p = (self.discount * len(cols) / total) * self.continuation
        p[cols] += np.maximum(counts - self.discount, 0.0) / total
        return p

    def prob(self, prev: int, word: int) -> float:
        return self.explain(prev, word).probability

    def pair_count(self, prev: int, word: int) -> int:
        cols, counts = self._row(prev)
        k = int(np.searchsorted(cols, word))
        return int(counts[k]) if k < len(cols) and cols[k] == word else 0

    def explain(self, prev: int, word: int) -> PairExplanation:
        c_vw = self.pair_count(prev, word)
        c_v = int(self.row_totals[prev])
        followers = int(self.indptr[prev + 1] - self.indptr[prev])
        d = self.discount
        cont = float(self.continuation[word])
        if c_v > 0:
            counted, weight = max(c_vw - d, 0.0) / c_v, d * followers / c_v
        else:
            counted, weight = 0.0, 1.0
        return PairExplanation(
            c_vw,
            c_v,
            followers,
            d,
            int(self.continuation_counts[word]),
            int(self.continuation_counts.sum()),
            cont,
            counted,
            weight,
            counted + weight * cont,
        )

    def nll(self, sequences_ids: list[list[int]]) -> tuple[float, int]:
        """Total negative log-likelihood (nats) of every pair in the sequences, and the number of pairs."""
        total, n = 0.0, 0
        for ids in sequences_ids:
            for a, b in zip(ids[:-1], ids[1:], strict=True):
                total -= math.log(self.prob(a, b))
                n += 1
        return total, n

    def tensors(self) -> dict[str, np.ndarray]:
        return {
            "indptr": self.indptr,
            "cols": self.cols,
            "counts": self.counts,
            "row_totals": self.row_totals,
            "discount": np.array([self.discount]),
        }

    @classmethod
    def from_tensors(cls, t: dict) -> BigramModel:
        if "discount" not in t:
            raise ValueError("this bigram file predates Kneser-Ney smoothing (no discount); count it again")
        return cls(
            t["indptr"].astype(np.int64),
            t["cols"].astype(np.int32),
            t["counts"].astype(np.int32),
            t["row_totals"].astype(np.float64),
            float(t["discount"][0]),
        )


def tune_discount(train_ids: list[list[int]], dev_ids: list[list[int]], vocab_size: int, grid=None) -> dict:
    """Count on ``train_ids``, score ``dev_ids`` for each discount in ``grid``; returns the best and the table."""
    grid = grid if grid is not None else [round(0.05 * k, 2) for k in range(6, 20)]
    base = BigramModel.count(train_ids, vocab_size, grid[0])
    table = {}
    for d in grid:
        nll, n = base.with_discount(d).nll(dev_ids)
        table[d] = math.exp(nll / n)
    best = min(table, key=table.get)
    return {"discount": best, "dev_perplexity_per_token": table}
