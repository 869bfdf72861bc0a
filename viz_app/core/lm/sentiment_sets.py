"""The labelled texts every sentiment classifier's card is measured on, none of them seen in training.

- ``full reviews``: imdb_small_1000_b.csv minus the 71 reviews it shares with the training file (929).
- ``short sentences``: 275 single sentences cut from those held-out reviews. Rule (``CUT_RULE``): 4 to 22
  words; contains a word of the review's own polarity from a small list (great, loved, boring, worst, ...)
  and none of the other list; no "but", "although", "though", "however", "except" or "yet"; not found in
  the training file; at most one sentence per review; 170 drawn per label (seed 2026). Each of the 340
  drawn was then read by hand and 65 were dropped as not clearly of the review's label (plot summary,
  irony, "not bad", a question, praise of one actor in a negative review, ...). The set is stored as
  references (a hash of the review and the sentence's number in ``data.sentences``), not as text, and is
  rebuilt from the shared IMDB file.
- ``typed reviews``: 120 short reviews (60 / 60) written for this purpose, the kind a teacher types,
  including negations ("It was not bad at all."); resources/eval/typed_reviews.tsv says who wrote them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from viz_app.core.lm import data
from viz_app.core.resources import resources_dir

CUT_RULE = (
    "single sentences of 4-22 words cut from the held-out imdb_small_1000_b reviews, containing a word of the "
    "review's polarity from a short list and none of the other, no 'but/although/though/however/except/yet', "
    "one per review, 170 per label drawn (seed 2026), then each read by hand: 65 unclear ones dropped"
)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def eval_dir() -> Path:
    return resources_dir() / "eval"


def short_sentences(imdb_dir: str | Path) -> list[tuple[str, int]]:
    """The short-sentence set, rebuilt from the held-out reviews; (text, label 1 = positive)."""
    refs = json.loads((eval_dir() / "imdb_short_sentences.json").read_text(encoding="utf-8"))
    _, test = data.imdb_splits(imdb_dir)
    by_hash = {_hash(text): text for text, _ in test}
    out = []
    for ref in refs:
        review = by_hash.get(ref["review"])
        if review is None:
            raise ValueError(f"{imdb_dir}: a held-out review of the sentence set is missing (not the shared file?)")
        sentence = data.sentences(review)[ref["sentence"]]
        if _hash(sentence) != ref["sentence_sha"]:
            raise ValueError(f"{imdb_dir}: a sentence of the set reads differently (sentence splitting changed?)")
        out.append((sentence, int(ref["label"])))
    return out


def typed_reviews() -> list[tuple[str, int]]:
    out = []
    for line in (eval_dir() / "typed_reviews.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, text = line.split("\t", 1)
        out.append((text.strip(), 1 if label == "positive" else 0))
    return out


def held_out_reviews(imdb_dir: str | Path) -> list[tuple[str, int]]:
    return data.imdb_splits(imdb_dir)[1]


def accuracies(predict, imdb_dir: str | Path) -> dict:
    """``predict(texts) -> (N, 2) probabilities``; the card's three figures and the sizes of the sets."""
    import numpy as np

    out = {}
    for key, rows in (
        ("test_accuracy", held_out_reviews(imdb_dir)),
        ("short_sentence_accuracy", short_sentences(imdb_dir)),
        ("typed_review_accuracy", typed_reviews()),
    ):
        probs = np.asarray(predict([t for t, _ in rows]))
        out[key] = round(float((probs.argmax(1) == np.asarray([y for _, y in rows])).mean()), 4)
        out[key.replace("accuracy", "count")] = len(rows)
    return out
