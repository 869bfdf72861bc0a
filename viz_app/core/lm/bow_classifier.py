"""The bag-of-words sentiment baseline: TF-IDF of words and word pairs, then logistic regression.

A review becomes a vector with one entry per known word and word pair (the Document embedding lesson's
bag of words, weighted by TF-IDF: ``(1 + log count) * idf``, scaled to length 1); a logistic
regression turns that vector into P(positive) = sigmoid(w . x + b). It is trained with scikit-learn
(``fit``), but stored without pickle: the vocabulary and the settings in JSON, idf, w and b in
safetensors, and read back by ``BowClassifier``, which needs only numpy and reproduces scikit-learn's
``predict_proba`` (the tests check it). Training:

    python -m viz_app.core.lm.bow_classifier ../shared/data/imdb OUT_DIR [--c 10]

reads imdb_small_3000.csv, holds out a fixed 10% of it to pick C, refits on all 3,000 and writes
OUT_DIR/bow-sentiment.safetensors, bow-sentiment.json and a card; register it with
``python -m viz_app.core.lm.register bow OUT_DIR resources/models``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LABELS = ("negative", "positive")
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's default: words of two or more letters or digits
C_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)


@dataclass
class BowClassifier:
    vocabulary: dict[str, int]  # word or "word word" -> column
    idf: np.ndarray  # (V,) float64
    coef: np.ndarray  # (V,) float64
    intercept: float
    ngram_max: int = 2
    sublinear_tf: bool = True
    token_pattern: str = TOKEN_PATTERN

    def __post_init__(self):
        self._regex = re.compile(self.token_pattern)

    def words(self, text: str) -> list[str]:
        """The words the model sees: lower case, two or more letters or digits (punctuation dropped)."""
        return self._regex.findall(text.lower())

    def terms(self, text: str) -> list[str]:
        """Every word and (up to ``ngram_max``) run of consecutive words, as scikit-learn builds them."""
        words = self.words(text)
        out = list(words)
        for n in range(2, self.ngram_max + 1):
            out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        return out

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of the text's TF-IDF vector (length 1, or empty when no term is known)."""
        counts = Counter(t for t in self.terms(text) if t in self.vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cols = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.sublinear_tf:
            tf = 1.0 + np.log(tf)
        values = tf * self.idf[cols]
        norm = np.sqrt(np.sum(values * values))
        return cols, values / norm if norm > 0 else values

    def logit(self, text: str) -> float:
        cols, values = self.vector(text)
        return float(np.dot(self.coef[cols], values) + self.intercept)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """(N, 2) probabilities of negative / positive, as scikit-learn's ``predict_proba``."""
        z = np.asarray([self.logit(t) for t in texts], dtype=np.float64)
        positive = np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))
        return np.stack([1.0 - positive, positive], axis=1) if len(texts) else np.zeros((0, 2))

    def known_words(self, text: str) -> tuple[int, int]:
        """(words the vocabulary knows, words) of the text."""
        words = self.words(text)
        return sum(1 for w in words if w in self.vocabulary), len(words)

    def contributions(self, text: str, top: int = 5) -> list[tuple[str, float]]:
        """The terms that push the logit most, signed (positive = towards "positive"), largest first."""
        cols, values = self.vector(text)
        names = {i: t for t, i in self.vocabulary.items()} if len(cols) else {}
        pushes = self.coef[cols] * values
        order = np.argsort(-np.abs(pushes))[:top]
        return [(names[int(cols[i])], float(pushes[i])) for i in order]

    # --- files -------------------------------------------------------------------------------------

    def save(self, folder: Path, name: str) -> tuple[Path, Path]:
        from safetensors.numpy import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tensors = folder / f"{name}.safetensors"
        save_file(
            {
                "idf": np.ascontiguousarray(self.idf, dtype=np.float64),
                "coef": np.ascontiguousarray(self.coef, dtype=np.float64),
                "intercept": np.asarray([self.intercept], dtype=np.float64),
            },
            str(tensors),
        )
        terms = [""] * len(self.vocabulary)
        for term, i in self.vocabulary.items():
            terms[i] = term
        settings = folder / f"{name}.json"
        settings.write_text(
            json.dumps(
                {
                    "format": "tfidf-logistic-regression/1",
                    "labels": list(LABELS),
                    "lowercase": True,
                    "token_pattern": self.token_pattern,
                    "ngram_range": [1, self.ngram_max],
                    "sublinear_tf": self.sublinear_tf,
                    "norm": "l2",
                    "terms": terms,
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
            + "\n",
            encoding="utf-8",
        )
        return tensors, settings

    @classmethod
    def load(cls, tensors: Path, settings: Path) -> BowClassifier:
        from safetensors.numpy import load_file

        try:
            meta = json.loads(Path(settings).read_text(encoding="utf-8"))
            arrays = load_file(str(tensors))
            terms = meta["terms"]
            idf, coef = arrays["idf"].astype(np.float64), arrays["coef"].astype(np.float64)
            intercept = float(arrays["intercept"][0])
        except (OSError, ValueError, KeyError, IndexError) as exc:
            raise ValueError(f"{settings}: not a bag-of-words classifier ({exc})") from None
        if meta.get("format") != "tfidf-logistic-regression/1" or not (len(terms) == len(idf) == len(coef)):
            raise ValueError(f"{settings}: the vocabulary, idf and coefficients do not fit together")
        if not (np.isfinite(idf).all() and np.isfinite(coef).all() and np.isfinite(intercept)):
            raise ValueError(f"{tensors}: contains NaN or infinity")
        return cls(
            {t: i for i, t in enumerate(terms)},
            idf,
            coef,
            intercept,
            ngram_max=int(meta["ngram_range"][1]),
            sublinear_tf=bool(meta["sublinear_tf"]),
            token_pattern=meta["token_pattern"],
        )


def load(registry, name: str) -> BowClassifier:
    """A bundled classifier by name: its card's files are the safetensors, then the JSON."""
    return BowClassifier.load(registry.verified_path(name, 0), registry.verified_path(name, 1))


# --- training (scikit-learn) ---------------------------------------------------------------------------


def sklearn_pipeline(c: float, min_df: int = 2):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True, token_pattern=TOKEN_PATTERN),
        LogisticRegression(C=c, max_iter=5000),
    )


def from_sklearn(pipeline) -> BowClassifier:
    """The numpy classifier holding the fitted pipeline's vocabulary, idf and coefficients."""
    vectorizer, lr = pipeline.steps[0][1], pipeline.steps[-1][1]
    if list(lr.classes_) != [0, 1]:
        raise ValueError("labels must be 0 (negative) and 1 (positive)")
    return BowClassifier(
        {t: int(i) for t, i in vectorizer.vocabulary_.items()},
        np.asarray(vectorizer.idf_, dtype=np.float64),
        np.asarray(lr.coef_[0], dtype=np.float64),
        float(lr.intercept_[0]),
        ngram_max=vectorizer.ngram_range[1],
        sublinear_tf=vectorizer.sublinear_tf,
        token_pattern=vectorizer.token_pattern,
    )


def fit(texts: list[str], labels, c: float, min_df: int = 2):
    """The fitted scikit-learn pipeline (TF-IDF unigrams + bigrams, logistic regression with L2, strength 1/c)."""
    pipeline = sklearn_pipeline(c, min_df)
    pipeline.fit(texts, np.asarray(labels))
    return pipeline


def dev_split(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(fit indices, dev indices): the same fixed 10% of the training reviews the BERT fine-tuning holds out."""
    order = np.random.default_rng(seed).permutation(n)
    return order[n // 10 :], order[: n // 10]


def train(imdb_dir: Path, out: Path, c: float | None = None, name: str = "bow-sentiment", command: str = "") -> dict:
    from viz_app.core.lm import data

    train_reviews, test_reviews = data.imdb_splits(imdb_dir)
    texts = [t for t, _ in train_reviews]
    y = np.asarray([label for _, label in train_reviews])
    fit_idx, dev_idx = dev_split(len(texts))
    grid = []
    for candidate in (c,) if c else C_GRID:
        model = from_sklearn(fit([texts[i] for i in fit_idx], y[fit_idx], candidate))
        acc = float((model.predict_proba([texts[i] for i in dev_idx]).argmax(1) == y[dev_idx]).mean())
        grid.append({"C": candidate, "dev_accuracy": round(acc, 4)})
    best_c = max(grid, key=lambda g: (g["dev_accuracy"], -g["C"]))["C"]
    model = from_sklearn(fit(texts, y, best_c))
    model.save(out, name)
    test_acc = float(
        (model.predict_proba([t for t, _ in test_reviews]).argmax(1) == np.asarray([y for _, y in test_reviews])).mean()
    )
    card = {
        "name": name,
        "C": best_c,
        "c_grid": grid,
        "min_df": 2,
        "train_reviews": len(texts),
        "dev_reviews": len(dev_idx),
        "terms": len(model.vocabulary),
        "test_reviews": len(test_reviews),
        "test_accuracy": round(test_acc, 4),
        "training_command": command,
    }
    (Path(out) / f"{name}.card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return card


if __name__ == "__main__":  # pragma: no cover
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("imdb_dir")
    parser.add_argument("out")
    parser.add_argument(
        "--c", type=float, default=None, help="inverse regularisation (default: picked on the dev split)"
    )
    parser.add_argument("--name", default="bow-sentiment")
    args = parser.parse_args()
    command = "python -m viz_app.core.lm.bow_classifier " + " ".join(sys.argv[1:])
    print(json.dumps(train(Path(args.imdb_dir), Path(args.out), args.c, args.name, command)))
