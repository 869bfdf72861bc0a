"""The sentiment classifiers as the BERT lesson's Fine-tuning tab and the generative page show them: each one's
title, note, held-out accuracies (from its card), verdict and bars."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lessons import generative as gen_lesson
from viz_app.core.lessons import lm as lm_lesson
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.core_labels import label as core_label
from viz_app.qt.widgets.probability_bars import Bar, ProbabilityBars
from viz_app.qt.widgets.wrap_label import WrapLabel

CLASSIFIER_TITLES = {
    gen_lesson.BOW: QT_TR_NOOP("(a) Bag of words + logistic regression"),
    lm_lesson.SENTIMENT: QT_TR_NOOP("(b) BERT, only its last block fine-tuned"),
    gen_lesson.WHOLE: QT_TR_NOOP("(c) BERT, every layer fine-tuned"),
}
CLASSIFIER_NOTES = {
    gen_lesson.BOW: QT_TR_NOOP(
        "No BERT at all: the text's words and word pairs, weighted by TF-IDF (the bag of words of the Document "
        "embedding lesson), each with a weight learned from the reviews. Word order beyond pairs is lost."
    ),
    lm_lesson.SENTIMENT: QT_TR_NOOP(
        "The lecture's recipe: the pre-trained BERT stays as it was, except its last block and a small new layer "
        "on [CLS], trained on the labelled reviews."
    ),
    gen_lesson.WHOLE: QT_TR_NOOP(
        "Every weight of the pre-trained BERT adjusted, with the new layer on [CLS], on the labelled reviews and "
        "short sentences cut from them."
    ),
}
POSITIVE_COLOUR, NEGATIVE_COLOUR, UNSURE_COLOUR = "#2ca02c", "#d62728", "#7f7f7f"


def percent(x) -> str:
    return f"{100 * float(x):.1f}%"


def card_line(metrics: dict | None) -> str:
    """The held-out accuracies of a classifier's card, as one line."""
    m = metrics or {}
    parts = []
    if "test_accuracy" in m:
        parts.append(tr("{p} of {n} reviews").format(p=percent(m["test_accuracy"]), n=m.get("test_count", "?")))
    if "short_sentence_accuracy" in m:
        parts.append(
            tr("{p} of {n} short sentences").format(
                p=percent(m["short_sentence_accuracy"]), n=m.get("short_sentence_count", "?")
            )
        )
    if "typed_review_accuracy" in m:
        parts.append(
            tr("{p} of {n} typed reviews").format(
                p=percent(m["typed_review_accuracy"]), n=m.get("typed_review_count", "?")
            )
        )
    if not parts:
        return tr("its card has no held-out accuracy")
    return tr("Right on held-out text: {figures}").format(figures=" · ".join(parts))


def verdict_html(r: gen_lesson.Classified) -> str:
    """The label in its colour; near 50/50 a grey "uncertain"; text the model cannot read: it cannot tell."""
    p = r.probs.get(r.label, 0.0)
    if r.verdict == "unreadable":
        text = tr("cannot tell: the model does not know these words")
        return f"<span style='color:{UNSURE_COLOUR}'>{escape(text)}</span>"
    if r.verdict == "uncertain":
        text = tr("uncertain ({label} {p})").format(label=core_label(r.label), p=f"{p:.2f}")
        return f"<span style='color:{UNSURE_COLOUR}'>{escape(text)}</span>"
    colour = POSITIVE_COLOUR if r.label == "positive" else NEGATIVE_COLOUR
    return f"<span style='color:{colour}'>{escape(core_label(r.label))} {p:.2f}</span>"


def sentiment_csv_rows(rows: list[gen_lesson.Classified]) -> list[list]:
    out = [["model", "shown as", "label", "probability", "unknown", "read", "held-out accuracy (reviews)",
            "held-out accuracy (short sentences)"]]  # fmt: skip
    for r in rows:
        m = r.metrics or {}
        for k, v in r.probs.items():
            out.append([r.model, r.verdict, k, f"{v:.6g}", r.unknown, r.read, m.get("test_accuracy", ""),
                        m.get("short_sentence_accuracy", "")])  # fmt: skip
    return out


class SentimentPanel(QWidget):
    """One classifier's column: its title, what it is, its card's held-out accuracies, its verdict and bars."""

    def __init__(self, parent, name: str):
        super().__init__(parent)
        self.name = name
        self.setObjectName(f"sentimentPanel-{name}")
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        self.title = WrapLabel(self, "sentimentTitle", Qt.AutoText)
        self.title.setTextFormat(Qt.RichText)
        col.addWidget(self.title)
        self.verdict = WrapLabel(self, "sentimentLabel", Qt.AutoText)
        self.verdict.setTextFormat(Qt.RichText)
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.verdict.setFont(font)
        col.addWidget(self.verdict)
        self.bars = ProbabilityBars(self, "sentimentBars")
        col.addWidget(self.bars)
        self.evidence = WrapLabel(self, "sentimentEvidence", Qt.AutoText)
        self.evidence.setTextFormat(Qt.RichText)
        col.addWidget(self.evidence)
        self.card = WrapLabel(self, "sentimentCard", Qt.AutoText)
        col.addWidget(self.card)
        self.note = WrapLabel(self, "sentimentNote", Qt.AutoText)
        col.addWidget(self.note)
        col.addStretch(1)
        self.show_result(None, False)

    def show_result(self, r: gen_lesson.Classified | None, featured: bool) -> None:
        title = escape(tr(CLASSIFIER_TITLES.get(self.name, self.name)))
        if featured:
            title += (
                "<br><small>" + escape(tr("the best by held-out accuracy: the generative page uses it")) + "</small>"
            )
        self.title.setText(f"<b>{title}</b>")
        self.note.setText(tr(CLASSIFIER_NOTES[self.name]) if self.name in CLASSIFIER_NOTES else self.name)
        if r is None:
            self.card.setText(tr("{model} is not bundled").format(model=self.name))
            self.verdict.setText("")
            self.bars.set_bars([])
            self.evidence.setText("")
            return
        self.card.setText(card_line(r.metrics))
        self.verdict.setText(verdict_html(r))
        self.bars.set_bars([Bar(core_label(k), v) for k, v in r.probs.items()], tr("probability of each label"))
        if r.evidence:
            parts = [
                f"<span style='color:{POSITIVE_COLOUR if v > 0 else NEGATIVE_COLOUR}'>{escape(t)} "
                f"{'+' if v > 0 else '−'}{abs(v):.2f}</span>"
                for t, v in r.evidence
            ]
            self.evidence.setText(
                tr("Pushed most (towards positive +, negative −): {terms}").format(terms=", ".join(parts))
            )
        elif r.verdict == "unreadable" and r.model == gen_lesson.BOW:
            self.evidence.setText(tr("None of these words is in its vocabulary."))
        else:
            self.evidence.setText("")
