"""Document embedding with a bag of words, and the three similarity measures of the lecture.

Each document becomes a <word, count> map; over the shared vocabulary of all
documents that map is a count vector of one fixed length, whatever the
document's length. Similarity between documents is then Euclidean distance,
cosine, or the dot product of those vectors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from viz_app.core.messages import msg
from viz_app.core.tokenize import word_tokens

METRICS = ("cosine", "euclidean", "dot")
METRIC_LABELS = {"cosine": "Cosine similarity", "euclidean": "Euclidean distance", "dot": "Dot product"}
MAX_DOCUMENTS = 200
ORDER_EXAMPLE = ("dog bites man", "man bites dog")


@dataclass(frozen=True)
class DocumentCounts:
    text: str
    tokens: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]  # sorted by count, ties in order of first appearance


@dataclass(frozen=True)
class BowResult:
    documents: tuple[DocumentCounts, ...]
    vocabulary: tuple[str, ...]  # columns of ``vectors``, in order of first appearance
    vectors: np.ndarray  # (D, V) float64 counts
    metric: str
    matrix: np.ndarray  # (D, D) pairwise metric
    same_bag_pairs: tuple[tuple[int, int], ...]  # documents with different text but identical vectors
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict:
        return {
            "documents": [{"text": d.text, "counts": [[w, c] for w, c in d.counts]} for d in self.documents],
            "vocabulary": list(self.vocabulary),
            "metric": self.metric,
            "matrix": self.matrix.tolist(),
            "same_bag_pairs": [list(p) for p in self.same_bag_pairs],
            "notes": list(self.notes),
        }


def count_words(text: str) -> DocumentCounts:
    tokens = word_tokens(text)
    # Counter keeps first-appearance order for ties, as in the lecture's list.
    counts = tuple(Counter(tokens).most_common())
    return DocumentCounts(text=text, tokens=tuple(tokens), counts=counts)


def similarity_matrix(vectors: np.ndarray, metric: str) -> np.ndarray:
    """Pairwise ``metric`` between the rows of ``vectors`` (D, V) -> (D, D)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    v = np.asarray(vectors, dtype=np.float64)
    gram = v @ v.T  # (D, D) dot products
    if metric == "dot":
        return gram
    sq = np.diag(gram)
    if metric == "euclidean":
        d2 = sq[:, None] + sq[None, :] - 2.0 * gram
        return np.sqrt(np.clip(d2, 0.0, None))
    norms = np.sqrt(sq)
    denom = norms[:, None] * norms[None, :]
    # An empty document has no direction: its cosine with anything is defined as 0 here.
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.where(denom > 0, gram / np.where(denom > 0, denom, 1.0), 0.0)
    return np.clip(cos, -1.0, 1.0)


def analyze(documents: list[str] | tuple[str, ...], metric: str = "cosine") -> BowResult:
    """Bag-of-words vectors of ``documents`` and their pairwise ``metric``."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    notes: list[str] = []
    docs = [d for d in documents]
    if len(docs) > MAX_DOCUMENTS:
        notes.append(msg("Only the first {n} of {total} documents are compared.", n=MAX_DOCUMENTS, total=len(docs)))
        docs = docs[:MAX_DOCUMENTS]
    counted = tuple(count_words(d) for d in docs)
    vocab: dict[str, int] = {}
    for doc in counted:
        for tok in doc.tokens:
            vocab.setdefault(tok, len(vocab))
    vectors = np.zeros((len(counted), len(vocab)), dtype=np.float64)  # (D, V)
    for row, doc in enumerate(counted):
        for word, count in doc.counts:
            vectors[row, vocab[word]] = count
    matrix = similarity_matrix(vectors, metric)
    pairs = []
    for i in range(len(counted)):
        for j in range(i + 1, len(counted)):
            if counted[i].tokens and counted[i].tokens != counted[j].tokens and np.array_equal(vectors[i], vectors[j]):
                pairs.append((i, j))
    empty = [i + 1 for i, d in enumerate(counted) if not d.tokens]
    if empty:
        notes.append(
            msg("Document(s) {which} contain no words: their vector is all zeros.", which=", ".join(map(str, empty)))
        )
    return BowResult(
        documents=counted,
        vocabulary=tuple(vocab),
        vectors=vectors,
        metric=metric,
        matrix=matrix,
        same_bag_pairs=tuple(pairs),
        notes=tuple(notes),
    )


def split_documents(text: str) -> list[str]:
    """One document per non-blank line of the shared input."""
    return [line.strip() for line in text.splitlines() if line.strip()]
