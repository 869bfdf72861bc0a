"""The lecture's GloVe table: P(k | ice), P(k | steam) and their ratio, counted from the corpus.

P(k | w) = X_wk / X_w, where X_wk counts how often k stands within the window of w
and X_w = sum over k of X_wk. The app ships the counts of all the shared English text
(TinyStories, Gutenberg, WikiText-2, Tiny Shakespeare: 5.3 million words) in
``cooccurrence-counts.safetensors`` as a compressed sparse matrix, counted within 10 words
on either side (a window of 5 leaves half the lecture-like pairs under ``MIN_COUNT``); pairs
seen fewer than ``MIN_COUNT`` times are not stored, and the table says "too rare to
estimate" for them rather than print a probability from a few sightings.

The lecture's own table (GloVe paper, 6 billion tokens) is ``LECTURE``; ice and steam are
too rare in this corpus (steam has about 2,000 co-occurrences in all), so the lesson opens
on ``DEFAULT_PAIR``, where these counts show the same pattern: one ratio large, one small,
two near 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.embeddings.cooccurrence import Cooccurrence
from viz_app.core.messages import msg

MIN_COUNT = 5  # a probability from fewer sightings is noise; also keeps the shipped file at ~5 MB
WINDOW = 10  # the bundled counts' window (words on either side)

# Pennington, Socher and Manning (2014), GloVe, Table 1: a 6-billion-token corpus (the lecture's table).
LECTURE = {
    "word1": "ice",
    "word2": "steam",
    "tokens": 6_000_000_000,
    "probes": ("solid", "gas", "water", "fashion"),
    "p1": (1.9e-4, 6.6e-5, 3.0e-3, 1.7e-5),
    "p2": (2.2e-5, 7.8e-4, 2.2e-3, 1.8e-5),
    "ratio": (8.9, 8.5e-2, 1.36, 0.96),
}
# The pair the lesson opens on: in the bundled counts it shows the lecture's pattern, every count in the
# hundreds or more (he and she: the pronouns of a boy and a girl; toys go with both; thought with neither).
DEFAULT_PAIR = ("boy", "girl")
DEFAULT_PROBES = ("he", "she", "toys", "thought")
# What "large", "small" and "near 1" mean for a ratio (the lecture's: 8.9, 0.085, 1.36, 0.96).
LARGE, SMALL, NEAR = 4.0, 0.25, 1.5  # near 1: between 1/NEAR and NEAR


@dataclass(frozen=True)
class CooccurrenceTable:
    words: tuple[str, ...]
    indptr: np.ndarray  # (V + 1,) int64: row w's entries are indptr[w]:indptr[w + 1]
    cols: np.ndarray  # (nnz,) context word ids, sorted within each row
    counts: np.ndarray  # (nnz,) X_wk (only pairs seen at least MIN_COUNT times)
    row_totals: np.ndarray  # (V,) X_w over all pairs, rare ones included
    window: int
    tokens: int = 0  # words in the corpus counted (0: not recorded)

    @classmethod
    def from_cooccurrence(cls, words, co: Cooccurrence, window: int, tokens: int = 0) -> CooccurrenceTable:
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
            tokens,
        )

    def tensors(self) -> dict[str, np.ndarray]:
        return {
            "indptr": self.indptr,
            "cols": self.cols,
            "counts": self.counts,
            "row_totals": self.row_totals.astype(np.float64),
            "window": np.array([self.window], dtype=np.int32),
            "tokens": np.array([self.tokens], dtype=np.int64),
        }

    @classmethod
    def from_tensors(cls, words, t: dict) -> CooccurrenceTable:
        if len(t["indptr"]) != len(words) + 1:
            raise ValueError(f"co-occurrence table for {len(t['indptr']) - 1} words, vocabulary of {len(words)}")
        tokens = int(t["tokens"][0]) if "tokens" in t else 0
        return cls(
            tuple(words),
            t["indptr"].astype(np.int64),
            t["cols"],
            t["counts"],
            t["row_totals"],
            int(t["window"][0]),
            tokens,
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
    c1: tuple[int, ...] = ()  # X_{word1,k}: the sightings behind each probability (0: too rare or unknown)
    c2: tuple[int, ...] = ()
    totals: tuple[float, float] = (0.0, 0.0)  # X_word1, X_word2: all co-occurrences of each word
    tokens: int = 0  # words in the corpus counted

    def pattern(self) -> tuple[str | None, ...]:
        """Each ratio as the lecture reads it: "large", "small", "near 1", "between", or None (too rare)."""
        return tuple(classify(r) for r in self.ratio)

    def to_json(self) -> dict:
        return {
            "word1": self.word1,
            "word2": self.word2,
            "window": self.window,
            "rows": [
                {"k": k, f"P(k|{self.word1})": a, f"P(k|{self.word2})": b, "ratio": r, "counts": [n1, n2]}
                for k, a, b, r, n1, n2 in zip(self.probes, self.p1, self.p2, self.ratio, self.c1, self.c2, strict=True)
            ],
            "notes": list(self.notes),
        }


def classify(ratio: float | None) -> str | None:
    if ratio is None:
        return None
    if ratio >= LARGE:
        return "large"
    if ratio <= SMALL:
        return "small"
    if 1 / NEAR <= ratio <= NEAR:
        return "near 1"
    return "between"


def lecture_table() -> RatioTable:
    """The lecture's published ice/steam table, as a RatioTable (no counts: the paper gives none)."""
    n = len(LECTURE["probes"])
    return RatioTable(
        LECTURE["word1"],
        LECTURE["word2"],
        LECTURE["probes"],
        LECTURE["p1"],
        LECTURE["p2"],
        LECTURE["ratio"],
        (),
        0,
        (0,) * n,
        (0,) * n,
        (0.0, 0.0),
        LECTURE["tokens"],
    )


def ratio_table(table: CooccurrenceTable, word1: str, word2: str, probes: list[str]) -> RatioTable:
    index = {w: i for i, w in enumerate(table.words)}
    notes = []
    for w in (word1, word2):
        if w not in index:
            raise KeyError(f"{w!r} is not in the corpus vocabulary ({len(table.words)} words)")
    i1, i2 = index[word1], index[word2]
    p1, p2, ratio, n1, n2 = [], [], [], [], []
    for k in probes:
        if k not in index:
            notes.append(msg("{word} is not in the vocabulary: too rare to estimate.", word=repr(k)))
            p1.append(None), p2.append(None), ratio.append(None), n1.append(0), n2.append(0)
            continue
        c1, c2 = table.count(i1, index[k]), table.count(i2, index[k])
        n1.append(c1), n2.append(c2)
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
    return RatioTable(
        word1,
        word2,
        tuple(probes),
        tuple(p1),
        tuple(p2),
        tuple(ratio),
        tuple(notes),
        table.window,
        tuple(n1),
        tuple(n2),
        (float(table.row_totals[i1]), float(table.row_totals[i2])),
        table.tokens,
    )


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


def write_bundled(encoded, out_dir, window: int = WINDOW) -> str:
    """Count the corpus's co-occurrences and save the table the app ships (next to vocab.txt)."""
    from pathlib import Path

    from safetensors.numpy import save_file

    from viz_app.core.embeddings.cooccurrence import count

    co = count(encoded.ids, len(encoded.vocabulary.words), window)
    table = CooccurrenceTable.from_cooccurrence(encoded.vocabulary.words, co, window, encoded.tokens_total)
    path = Path(out_dir) / f"{MODEL_NAME}.safetensors"
    save_file(table.tensors(), str(path))
    return str(path)
