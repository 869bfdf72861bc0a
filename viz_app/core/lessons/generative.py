"""The generative-vs-discriminative page's discriminative side, as jobs for the worker thread: three sentiment
classifiers side by side (a bag of words, BERT with its last block fine-tuned, BERT fine-tuned whole), and, for
a Chinese poem, which poet wrote it (bert-tang fine-tuned). Its generative side is the GPT's ``generate_job``
(``viz_app.core.lessons.lm``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viz_app.core.lessons.lm import SENTIMENT, model
from viz_app.core.lm import probes
from viz_app.core.messages import msg

# --- sentiment: three classifiers side by side -----------------------------------------------------------

BOW = "bow-sentiment"  # TF-IDF words and word pairs + logistic regression (viz_app.core.lm.bow_classifier)
WHOLE = "bert-sentiment-whole"  # every weight of the BERT fine-tuned
CLASSIFIERS = (BOW, SENTIMENT, WHOLE)  # SENTIMENT: only the last block fine-tuned (the lecture's recipe)
FEATURED = "featured"  # the best of CLASSIFIERS by its card's held-out accuracies
UNCERTAIN_BELOW = 0.6  # the larger probability under this: shown as uncertain, not as a label
UNREADABLE_SHARE = 0.75  # more than this share of the text unknown to the model: it cannot tell
CARD_FIGURES = ("test_accuracy", "short_sentence_accuracy", "typed_review_accuracy")


@dataclass
class Classified:
    label: str  # the more probable label
    probs: dict
    cut: int
    unknown: int = 0  # [UNK] tokens (BERT) or unknown words (bag of words) in the text as the model read it
    read: int = 0  # tokens (BERT) or words (bag of words) of the text the model read
    model: str = ""
    metrics: dict | None = None  # the card's held-out accuracies (CARD_FIGURES)
    evidence: list | None = None  # bag of words: (term, push on the logit), the largest pushes first

    @property
    def verdict(self) -> str:
        """What the screen says: "positive" / "negative", "uncertain" (near 50/50) or "unreadable"
        (nothing, or nearly nothing, of the text is known to the model)."""
        if self.read == 0 or self.unknown > UNREADABLE_SHARE * self.read:
            return "unreadable"
        if max(self.probs.values()) < UNCERTAIN_BELOW:
            return "uncertain"
        return self.label

    def to_json(self) -> dict:
        return {
            "model": self.model,
            "verdict": self.verdict,
            "label": self.label,
            "probs": self.probs,
            "unknown": self.unknown,
            "read": self.read,
        } | ({"evidence": [list(e) for e in self.evidence]} if self.evidence is not None else {})


def card_figures(registry, name: str) -> dict:
    """The held-out accuracies on ``name``'s card (those it has), with the size of each set."""
    metrics = registry.card(name).metrics
    keys = [k for k in CARD_FIGURES if isinstance(metrics.get(k), int | float)]
    return {k: metrics[k] for k in keys} | {
        k.replace("accuracy", "count"): metrics[k.replace("accuracy", "count")]
        for k in keys
        if k.replace("accuracy", "count") in metrics
    }


def classifiers(registry) -> list[str]:
    """The bundled sentiment classifiers of CLASSIFIERS, in that order."""
    cards = registry.cards()
    return [n for n in CLASSIFIERS if n in cards]


def featured_classifier(registry) -> str:
    """The classifier with the best mean of its held-out accuracies on full reviews and on short sentences."""
    names = classifiers(registry)
    if not names:
        raise ValueError(msg("no sentiment classifier is bundled"))

    def score(name: str) -> float:
        m = registry.card(name).metrics
        figures = [m[k] for k in CARD_FIGURES[:2] if isinstance(m.get(k), int | float)]
        return sum(figures) / len(figures) if figures else 0.0

    return max(names, key=lambda n: (score(n), -names.index(n)))


def _bow(ctx, name: str):
    from viz_app.core.lm import bow_classifier

    return ctx.models.get(name, bow_classifier.load)


def classify_job(ctx, name: str, text: str) -> Classified:
    registry = ctx.models.registry
    if name == FEATURED:
        name = featured_classifier(registry)
    cards = registry.cards()
    figures = card_figures(registry, name) if name in cards else {}
    if name in cards and cards[name].kind == "bow-sentiment":
        bow = _bow(ctx, name)
        probs = bow.predict_proba([text])[0]
        known, words = bow.known_words(text)
        label = probes.LABELS[int(np.argmax(probs))]
        rounded = {k: round(float(v), 6) for k, v in zip(probes.LABELS, probs, strict=True)}
        evidence = [(t, round(v, 4)) for t, v in bow.contributions(text, 4)]
        return Classified(label, rounded, 0, words - known, words, name, figures, evidence)
    lm = model(ctx, name)
    result = probes.classify(lm, text)
    read = len(probes.prepare(lm, text).ids) - len(lm.start_ids) - len(lm.end_ids)
    probs, cut, unknown = result["probs"], result["cut_tokens"], result["unknown_tokens"]
    if cut and isinstance(lm, probes.OwnModel):  # longer than the context: read whole, in windows, as the card
        from viz_app.core.lm import finetune

        averaged = finetune.predict_texts(lm.model, lm.tok, [text], lm.max_len)[0]
        probs = {k: round(float(v), 6) for k, v in zip(probes.LABELS, averaged, strict=True)}
        unknown = sum(1 for i in lm.tok.encode(text).ids if i == lm.unk_id)
        read, cut = read + cut, 0
    if not any(ch.isalnum() for ch in text):  # punctuation or symbols only: no word to judge
        read = 0
    label = max(probs, key=probs.get)
    return Classified(label, probs, cut, unknown, read, name, figures)


@dataclass
class SentimentComparison:
    rows: list[Classified]  # one per bundled classifier, in CLASSIFIERS order
    featured: str
    masks_left_out: int = 0  # [MASK]s of the fill-mask sentence, taken out: the classifiers read plain text

    @property
    def model(self) -> str:
        """The models whose numbers are on screen (the status bar names them)."""
        return " + ".join(r.model for r in self.rows)

    def to_json(self) -> dict:
        return {"featured": self.featured, "classifiers": [r.to_json() | {"card": r.metrics} for r in self.rows]}


def compare_classifiers_job(ctx, text: str) -> SentimentComparison:
    """Every bundled classifier's reading of ``text``, with its card's accuracies, and which one is featured."""
    import re

    registry = ctx.models.registry
    # The lesson's text box often holds the fill-mask sentence; a [MASK] is no word of a review (the bag of
    # words would read it as "mask"), so the classifiers get the text without them, and the view says so.
    plain, masks = re.subn(r"\[MASK\]", " ", text)
    plain = re.sub(r"[ \t]{2,}", " ", plain)
    rows = [classify_job(ctx, name, plain) for name in classifiers(registry)]
    return SentimentComparison(rows, featured_classifier(registry), masks)


# --- who wrote this poem (the generative page with Chinese text) ---------------------------------------------

AUTHOR = "bert-tang-author"  # bert-tang fine-tuned to name the poet (viz_app.core.lm.author)


@dataclass
class Attributed:
    """The poet classifier's reading of a poem: a probability per poet."""

    label: str  # the most probable poet
    probs: dict
    cut: int
    unknown: int
    read: int
    model: str
    metrics: dict  # the card's held-out accuracy, per poet, and the bag-of-characters baseline

    @property
    def verdict(self) -> str:
        """The poet, or "unreadable" when (nearly) nothing of the text is a character the model knows."""
        if self.read == 0 or self.unknown > UNREADABLE_SHARE * self.read:
            return "unreadable"
        return self.label

    def to_json(self) -> dict:
        return {"model": self.model, "verdict": self.verdict, "label": self.label, "probs": self.probs,
                "unknown": self.unknown, "read": self.read}  # fmt: skip


def author_job(ctx, text: str, name: str = AUTHOR) -> Attributed:
    from viz_app.core.lm import author

    classifier = ctx.models.get(name, author.load)
    if classifier.lm.device != ctx.device:
        classifier.to(ctx.device)
    r = classifier.classify(text)
    probs = {k: round(v, 6) for k, v in r["probs"].items()}
    read = r["read"] if any(ch.isalnum() for ch in text) else 0
    return Attributed(max(probs, key=probs.get), probs, r["cut_tokens"], r["unknown_tokens"], read, name,
                      ctx.models.registry.card(name).metrics)  # fmt: skip
