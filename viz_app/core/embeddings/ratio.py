"""The lecture's GloVe table: P(k | ice), P(k | steam) and their ratio, counted from the corpus.

P(k | w) = X_wk / X_w, where X_wk counts how often k stands within the window of w
and X_w = sum over k of X_wk. The app ships the counts of the bundled corpus in
``cooccurrence.safetensors`` (window 5, the PPMI-SVD model's counts) as a compressed
sparse matrix; pairs seen fewer than ``MIN_COUNT`` times are not stored, and the table
says "too rare to estimate" for them rather than print a probability from one sighting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.embeddings.cooccurrence import Cooccurrence
from viz_app.core.messages import msg

MIN_COUNT = 5  # a probability from fewer sightings is noise; also keeps the shipped file at ~3 MB


@dataclass(frozen=True)
class CooccurrenceTable:
    words: tuple[str, ...]
    indptr: np.ndarray  # (V + 1,) int64: row w's entries are indptr[w]:indptr[w + 1]
    cols: np.ndarray  # (nnz,) context word ids, sorted within each row
    counts: np.ndarray  # (nnz,) X_wk (only pairs seen at least MIN_COUNT times)
    row_totals: np.ndarray  # (V,) X_w over all pairs, rare ones included
    window: int

    @classmethod
    def from_cooccurrence(cls, words, co: Cooccurrence, window: int) -> CooccurrenceTable:
        totals = np.bincount(co.rows, weights=co.values, minlength=co.size)
        keep = co.values >= MIN_COUNT
        rows, cols, vals = co.rows[keep], co.cols[keep], co.values[keep]
        order = np.lexsort((cols, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        indptr = np.zeros(co.size + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=co.size), out=indptr[1:])
        return cls(
            tuple(words),
            indptr,
            cols.astype(np.uint16 if co.size < 65536 else np.int32),
            np.minimum(vals, 65535).astype(np.uint16),
            totals,
            window,
        )

    def tensors(self) -> dict[str, np.ndarray]:
        return {
            "indptr": self.indptr,
            "cols": self.cols,
            "counts": self.counts,
            "row_totals": self.row_totals.astype(np.float64),
            "window": np.array([self.window], dtype=np.int32),
        }

    @classmethod
    def from_tensors(cls, words, t: dict) -> CooccurrenceTable:
        if len(t["indptr"]) != len(words) + 1:
            raise ValueError(f"co-occurrence table for {len(t['indptr']) - 1} words, vocabulary of {len(words)}")
        return cls(
            tuple(words), t["indptr"].astype(np.int64), t["cols"], t["counts"], t["row_totals"], int(t["window"][0])
        )

    def count(self, w: int, k: int) -> int:
        lo, hi = self.indptr[w], self.indptr[w + 1]
        pos = lo + np.searchsorted(self.cols[lo:hi], k)
        return int(self.counts[pos]) if pos < hi and self.cols[pos] == k else 0


@dataclass(frozen=True)
class RatioTable:
    word1: str
    word2: str
    probes: tuple[str, ...]
    p1: tuple[float | None, ...]  # P(k | word1), None where too rare to estimate
    p2: tuple[float | None, ...]
    ratio: tuple[float | None, ...]
    notes: tuple[str, ...]
    window: int

    def to_json(self) -> dict:
        return {
            "word1": self.word1,
            "word2": self.word2,
            "window": self.window,
            "rows": [
                {"k": k, f"P(k|{self.word1})": a, f"P(k|{self.word2})": b, "ratio": r}
                for k, a, b, r in zip(self.probes, self.p1, self.p2, self.ratio, strict=True)
            ],
            "notes": list(self.notes),
        }


def ratio_table(table: CooccurrenceTable, word1: str, word2: str, probes: list[str]) -> RatioTable:
    index = {w: i for i, w in enumerate(table.words)}
    notes = []
    for w in (word1, word2):
        if w not in index:
            raise KeyError(f"{w!r} is not in the corpus vocabulary ({len(table.words)} words)")
    i1, i2 = index[word1], index[word2]
    p1, p2, ratio = [], [], []
    for k in probes:
        if k not in index:
            notes.append(msg("{word} is not in the vocabulary: too rare to estimate.", word=repr(k)))
            p1.append(None), p2.append(None), ratio.append(None)
            continue
        c1, c2 = table.count(i1, index[k]), table.count(i2, index[k])
        a = c1 / table.row_totals[i1] if c1 else None
        b = c2 / table.row_totals[i2] if c2 else None
        for word, c in ((word1, c1), (word2, c2)):
            if not c:
                notes.append(
                    msg(
                        "{probe} is seen near {word} fewer than {n} times: too rare to estimate.",
                        probe=repr(k),
                        word=repr(word),
                        n=MIN_COUNT,
                    )
                )
        p1.append(a), p2.append(b), ratio.append(a / b if a is not None and b is not None else None)
    return RatioTable(word1, word2, tuple(probes), tuple(p1), tuple(p2), tuple(ratio), tuple(notes), table.window)


MODEL_NAME = "cooccurrence-counts"


def load_bundled(registry, name: str = MODEL_NAME) -> CooccurrenceTable:
    tensors = registry.load_numpy_tensors(name, 0)
    words_path = registry.verified_path(name, 1)
    words = words_path.read_text(encoding="utf-8").split("\n")
    if words and words[-1] == "":
        words.pop()
    return CooccurrenceTable.from_tensors(words, tensors)


def bundled_table(store) -> CooccurrenceTable:
    return store.get(MODEL_NAME, load_bundled)


def write_bundled(encoded, out_dir, window: int = 5) -> str:
    """Count the corpus's co-occurrences and save the table the app ships (next to vocab.txt)."""
    from pathlib import Path

    from safetensors.numpy import save_file

    from viz_app.core.embeddings.cooccurrence import count

    co = count(encoded.ids, len(encoded.vocabulary.words), window)
    table = CooccurrenceTable.from_cooccurrence(encoded.vocabulary.words, co, window)
    path = Path(out_dir) / f"{MODEL_NAME}.safetensors"
    save_file(table.tensors(), str(path))
    return str(path)
