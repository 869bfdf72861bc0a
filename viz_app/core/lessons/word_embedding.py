"""The word-embedding lesson's probes and worker jobs (Qt-free): one function per view, shared by GUI, CLI and
tests. Each job returns a frozen result that records the device it ran on (``ctx.device``); only the live training
uses torch, the bundled embeddings are numpy."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields

import numpy as np

from viz_app.core.embeddings import live, ratio, word_vectors
from viz_app.core.embeddings import projection as projections
from viz_app.core.embeddings.projection import Projection, pca
from viz_app.core.language import is_han
from viz_app.core.tokenize import word_tokens

MODELS = ("embedding-skipgram", "embedding-cbow", "embedding-glove", "embedding-ppmi-svd")
MODEL_LABELS = {
    "embedding-skipgram": "Skip-gram (prediction)",
    "embedding-cbow": "CBOW (prediction)",
    "embedding-glove": "GloVe (counting)",
    "embedding-ppmi-svd": "PPMI + SVD (counting)",
}
# The Tang-poem character embeddings (viz_app.core.embeddings.tang): one vector per character. Their labels are kept
# apart from MODEL_LABELS (the English models' labels, translated through viz_app.qt.lessons.core_labels); the view
# names these for translation itself.
CHINESE_MODELS = ("embedding-tang-skipgram", "embedding-tang-ppmi")
CHINESE_MODEL_LABELS = {
    "embedding-tang-skipgram": "Tang poems: skip-gram (characters, prediction)",
    "embedding-tang-ppmi": "Tang poems: PPMI + SVD (characters, counting)",
}
ALL_MODELS = MODELS + CHINESE_MODELS
DEFAULT_CHINESE = "embedding-tang-skipgram"
# The counterpart of each bundled model in the other language (a counting model for a counting one).
COUNTERPART = {
    "embedding-skipgram": "embedding-tang-skipgram",
    "embedding-cbow": "embedding-tang-skipgram",
    "embedding-glove": "embedding-tang-ppmi",
    "embedding-ppmi-svd": "embedding-tang-ppmi",
}
ANALOGY_PRESETS = {"en": ("man", "woman", "king"), "zh": ("東", "西", "南"), "zh-seasons": ("春", "秋", "夏")}
PROJECTIONS = ("pca", "tsne", "umap")
PROJECTION_LABELS = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
SEED = 0
MAX_SENTENCE_WORDS = 60


def is_chinese_model(name: str) -> bool:
    return name in CHINESE_MODELS


def mostly_chinese(text: str) -> bool:
    """True when at least half of the text's words are Chinese characters (each character counts as one word, as
    the lesson reads it; punctuation, spaces and emoji do not count)."""
    words = [t for t in word_tokens(text) if any(ch.isalnum() for ch in t)]
    han = sum(len(t) == 1 and is_han(t) for t in words)
    return han > 0 and 2 * han >= len(words)


def _is_punctuation(token: str) -> bool:
    return all(unicodedata.category(ch).startswith(("P", "Z")) for ch in token)


def vectors(store, name: str) -> word_vectors.WordVectors:
    """A bundled embedding by registry name, or a vectors file by path (loaded once per worker)."""
    return store.get(name, lambda registry, n: word_vectors.resolve(n, registry))


def projection(store, name: str, method: str = "pca", report=None, cancelled=None) -> Projection:
    """The 2D map of a whole embedding; computed once per model and method, then reused."""
    if method not in PROJECTIONS:
        raise ValueError(f"unknown projection {method!r}; choose one of {', '.join(PROJECTIONS)}")
    key = f"{name}#{method}"
    cached = store.peek(key)
    if cached is not None:
        return cached
    x = vectors(store, name).vectors
    if method == "pca":
        result = pca(x)
    else:
        result = projections.in_subprocess(
            method, x, seed=SEED, report=report or projections._no_report, cancelled=cancelled or (lambda: False)
        )
    store.put(key, result)
    return result


def cached_projection(store, name: str, method: str) -> Projection | None:
    return store.peek(f"{name}#{method}")


@dataclass(frozen=True)
class ProjectionLesson(Projection):
    """A projection computed (or reused) by the worker, and the device of that worker (numpy: for uniformity)."""

    device: str = "cpu"


def projection_job(ctx, name: str, method: str) -> ProjectionLesson:
    """Worker job: compute (or reuse) a slow projection, with progress and cancellation."""
    result = projection(ctx.models, name, method, report=ctx.progress, cancelled=lambda: ctx.cancelled)
    return ProjectionLesson(result.method, result.coords, result.explained, device=ctx.device)


@dataclass(frozen=True)
class SentenceWords:
    tokens: tuple[str, ...]  # the typed words, lowercased (punctuation dropped)
    ids: tuple[int | None, ...]  # row in the vocabulary, None if unknown
    dense: np.ndarray  # (T, D) the dense vectors (zeros for unknown words)
    vocab_size: int
    truncated: int  # words left out past MAX_SENTENCE_WORDS

    @property
    def unknown(self) -> list[str]:
        return [t for t, i in zip(self.tokens, self.ids, strict=True) if i is None]


@dataclass(frozen=True)
class EmbeddingLessonResult:
    model: str
    words: tuple[str, ...]  # the whole vocabulary, in the order of ``coords``
    coords: np.ndarray  # (V, 2) projection of every word
    method: str  # the projection shown
    explained: tuple[float, float] | None
    sentence: SentenceWords
    pending: str | None = None  # a slower projection asked for but not computed yet (PCA is shown meanwhile)
    device: str = "cpu"  # the device of the worker that computed it (the vectors are numpy)

    def to_json(self) -> dict:
        return {
            "model": self.model,
            "projection": self.method,
            "explained_variance": self.explained,
            "sentence": [
                {
                    "word": t,
                    "index": i,
                    "one_hot_length": self.sentence.vocab_size,
                    "vector": None if i is None else [round(float(x), 6) for x in self.sentence.dense[k]],
                }
                for k, (t, i) in enumerate(zip(self.sentence.tokens, self.sentence.ids, strict=True))
            ],
            "unknown": self.sentence.unknown,
        }


def sentence_words(wv: word_vectors.WordVectors, text: str) -> SentenceWords:
    # Words and Chinese characters; punctuation (，。 too) is not a word. Other symbols (emoji) are kept, so the
    # view can say they are not in the vocabulary.
    tokens = [t for t in word_tokens(text) if any(ch.isalnum() for ch in t) or not (t.isascii() or _is_punctuation(t))]
    truncated = max(0, len(tokens) - MAX_SENTENCE_WORDS)
    tokens = tokens[:MAX_SENTENCE_WORDS]
    ids = tuple(wv.lookup(t) for t in tokens)
    dense = np.zeros((len(tokens), wv.dim), dtype=np.float32)  # (T, D)
    for k, i in enumerate(ids):
        if i is not None:
            dense[k] = wv.vectors[i]
    return SentenceWords(tuple(tokens), ids, dense, len(wv.words), truncated)


def lesson_probe(store, model: str, text: str, method: str = "pca", device: str = "cpu") -> EmbeddingLessonResult:
    """The map (the asked projection if already computed, else PCA) and the typed words."""
    wv = vectors(store, model)
    proj = cached_projection(store, model, method) if method != "pca" else None
    pending = None
    if proj is None:
        pending = None if method == "pca" else method
        proj = projection(store, model, "pca")
    return EmbeddingLessonResult(
        model, wv.words, proj.coords, proj.method, proj.explained, sentence_words(wv, text), pending, device
    )


def neighbors_probe(store, model: str, word: str, k: int = 10) -> list[tuple[str, float]]:
    return vectors(store, model).neighbors(word, k)


def analogy_probe(store, model: str, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
    return vectors(store, model).analogy(a, b, c, k)


# --- worker jobs ---------------------------------------------------------------------------------


def embedding_job(ctx, model: str, text: str, method: str = "pca") -> EmbeddingLessonResult:
    """Worker job: the map of ``model`` (``method`` if already computed, else PCA) and the words of ``text``."""
    return lesson_probe(ctx.models, model, text, method, device=ctx.device)


@dataclass(frozen=True)
class Neighbors:
    model: str
    word: str  # the word asked about
    neighbors: tuple[tuple[str, float], ...]  # (word, cosine), nearest first
    device: str = "cpu"


def neighbors_job(ctx, model: str, word: str, k: int = 10) -> Neighbors:
    """Worker job: the ``k`` nearest neighbours of ``word`` in ``model`` by cosine."""
    return Neighbors(model, word, tuple(neighbors_probe(ctx.models, model, word, k)), ctx.device)


@dataclass(frozen=True)
class Analogy:
    model: str
    words: tuple[str, str, str]  # a, b, c: a is to b as c is to ?
    answers: tuple[tuple[str, float], ...]  # (word, cosine), best first
    ids: tuple[int, int, int, int | None]  # rows of a, b, c and of the best answer (None: no answer)
    offset_cosine: float | None  # cosine of b - a with answer - c in all dimensions (None: no answer)
    device: str = "cpu"


def offset_cosine(vectors: np.ndarray, ids) -> float:
    """Are the arrows a -> b and c -> d parallel in the full dimensions? The cosine of b - a with d - c."""
    u = vectors[ids[1]] - vectors[ids[0]]  # (D,) b - a
    v = vectors[ids[3]] - vectors[ids[2]]  # (D,) answer - c
    return float(u @ v / max(np.linalg.norm(u) * np.linalg.norm(v), 1e-12))


def analogy_job(ctx, model: str, a: str, b: str, c: str, k: int = 5) -> Analogy:
    """Worker job: a is to b as c is to ? in ``model``, with the rows to draw and the arrows' cosine."""
    wv = vectors(ctx.models, model)
    answers = tuple(wv.analogy(a, b, c, k))
    ids = (wv.require(a), wv.require(b), wv.require(c), wv.require(answers[0][0]) if answers else None)
    cosine = offset_cosine(wv.vectors, ids) if ids[3] is not None else None
    return Analogy(model, (a, b, c), answers, ids, cosine, ctx.device)


def live_job(ctx, text: str, method: str = "skipgram", dim: int = 5, paused=None, **options):
    """Worker job (a generator: yields Progress with a ``live.LiveSnapshot``): train a tiny word2vec on ``text``
    on ``ctx.device``; ``paused`` (a ``threading.Event``, or None) holds training while set; ``options`` go to
    ``live.train_live`` (steps, every, delay_s, ...). Returns the last snapshot."""
    held = paused.is_set if paused is not None else (lambda: False)
    return (
        yield from live.train_live(
            text, method, dim, paused=held, cancelled=lambda: ctx.cancelled, device=ctx.device, **options
        )
    )


@dataclass(frozen=True)
class RatioLesson(ratio.RatioTable):
    """``ratio.RatioTable`` and the device of the worker that counted it (plain numpy: kept for uniformity)."""

    device: str = "cpu"


def ratio_job(ctx, word1: str, word2: str, probes: list[str]) -> RatioLesson:
    """Worker job: the GloVe ratio table P(k | word1) / P(k | word2) from the shipped co-occurrence counts."""
    table = ratio.ratio_table(ratio.bundled_table(ctx.models), word1, word2, probes)
    return RatioLesson(**{f.name: getattr(table, f.name) for f in fields(table)}, device=ctx.device)
