"""Generative vs discriminative on one page: a classifier labels the text, a GPT writes more of it."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from viz_app.core.lessons import generative as gen_lesson
from viz_app.core.lessons import lm as lm_lesson
from viz_app.core.lm import probes
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.base import LessonView
from viz_app.qt.lessons.core_labels import label as core_label
from viz_app.qt.lessons.lm.classifiers import (
    CLASSIFIER_TITLES,
    UNSURE_COLOUR,
    card_line,
    percent,
    verdict_html,
)
from viz_app.qt.lessons.lm.model_lesson import ModelLesson
from viz_app.qt.widgets.probability_bars import Bar, ProbabilityBars


class GenerativeView(LessonView):
    """The lecture's first comparison on one page: a discriminative model labels the text, a generative
    model writes more of it. Chinese text: the poet classifier (bert-tang-author) names who wrote the poem and
    the character GPT (gpt-tang) continues it."""

    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        examples, self.example_buttons = self.example_row()  # viz_app.core.examples, with their claims
        self.body.addLayout(examples)
        self.notice = self.rich_label(self, "generativeNotice")
        self.notice.hide()
        self.body.addWidget(self.notice)
        self.make_tabs("generativeTabs")
        self.body.addWidget(self.tabs, 1)
        page = QWidget(self)
        grid = QGridLayout(page)
        self.disc_caption = self.rich_label(page, "discriminativeCaption")
        self._caption_for(None)
        grid.addWidget(self.disc_caption, 0, 0)
        self.gen_caption = self.rich_label(page, "generativeCaption")
        self._gen_caption_for(False)
        grid.addWidget(self.gen_caption, 0, 1)
        self.label = QLabel(page)
        self.label.setObjectName("generativeLabel")
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.label.setFont(font)
        grid.addWidget(self.label, 1, 0)
        self.bars = ProbabilityBars(page, "generativeBars")
        grid.addWidget(self.bars, 2, 0)
        row = QHBoxLayout()
        self.generate_button = QPushButton(tr("Generate"), page)
        self.generate_button.setObjectName("generativeGenerate")
        self.generate_button.clicked.connect(self.start_generation)
        row.addWidget(self.generate_button)
        self.seed = self.spin(row, page, tr("Seed:"), "generativeSeed", 0, 999999, 0)
        row.addStretch(1)
        grid.addLayout(row, 1, 1)
        self.continuation = self.rich_label(page, "generativeText")
        self.continuation.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        grid.addWidget(self.continuation, 2, 1)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.add_tab(page, QT_TR_NOOP("Label vs generate"))

    def _gen_caption_for(self, chinese: bool) -> None:
        self.gen_caption.setText(
            tr(
                "<b>Generative</b>: generates new data. The character GPT ({model}, trained on Tang poems) continues "
                "your poem character by character, sampling each next character from its predicted distribution."
            ).format(model=lm_lesson.GPT_TANG)
            if chinese
            else tr(
                "<b>Generative</b>: generates new data. The GPT continues your text word by word, sampling each next "
                "word from its predicted distribution."
            )
        )

    def chinese(self, text: str | None = None) -> bool:
        """Chinese text, with the poet classifier and the character GPT bundled: the page reads it as a poem."""
        from viz_app.core.language import is_chinese

        cards = self.service.store.registry.cards()
        return is_chinese(self.text if text is None else text) and {gen_lesson.AUTHOR, lm_lesson.GPT_TANG} <= set(cards)

    def generator(self) -> str:
        return lm_lesson.GPT_TANG if self.chinese() else lm_lesson.GPT

    def featured(self) -> str:
        """The classifier this page labels with: the best of the bundled ones by their cards."""
        try:
            return gen_lesson.featured_classifier(self.service.store.registry)
        except (ValueError, OSError, KeyError):
            return lm_lesson.SENTIMENT

    def _caption_for(self, r: gen_lesson.Classified | None) -> None:
        name = r.model if r is not None else self.featured()
        title = tr(CLASSIFIER_TITLES[name]) if name in CLASSIFIER_TITLES else name
        self.disc_caption.setText(
            tr(
                "<b>Discriminative</b>: predicts a label for the input: is your text a positive or a negative review? "
                "Labelled here by {title} ({model}), the best of the three classifiers on the BERT lesson's "
                "Fine-tuning tab by held-out accuracy. {figures}"
            ).format(
                title=escape(title), model=escape(name), figures=escape(card_line(r.metrics)) if r is not None else ""
            )
        )

    def model_label(self) -> str:
        if self.chinese():
            return f"{gen_lesson.AUTHOR} + {lm_lesson.GPT_TANG}"
        return f"{self.featured()} + {lm_lesson.GPT}"

    def show_empty(self) -> None:
        self.label.setText("")
        self.bars.set_bars([])
        self.continuation.setText(tr("Type a review, or the start of a story (or of a Tang poem)."))

    def follow_text(self, text: str) -> None:
        """The text changed: the continuation of the old one is stopped (within a token), so that the worker
        reads the new text at once; the new text's continuation starts when its label is shown."""
        if self.busy("generate"):
            self.stop("generate")

    def make_request(self, text: str):
        if not text.strip():
            return None
        if self.chinese(text):
            return gen_lesson.author_job, (text,), {}
        return gen_lesson.classify_job, (gen_lesson.FEATURED, text), {}

    def _show_poet(self, r: gen_lesson.Attributed) -> None:
        m = r.metrics or {}
        base = m.get("baseline_bag_of_characters") or {}
        poets = list(r.probs)
        self.disc_caption.setText(
            tr(
                "<b>Discriminative</b>: predicts a label for the input: which poet wrote this poem? Labelled by "
                "{model}, bert-tang fine-tuned on the poems of the {n} most prolific poets. Right on {acc} of {count} "
                "poems it never saw; a bag-of-characters logistic regression: {base}; always {first}: {majority}. It "
                "names one of these {n} whatever you type."
            ).format(
                model=escape(r.model),
                n=len(poets),
                acc=percent(m["test_accuracy"]) if "test_accuracy" in m else "?",
                count=m.get("test_poems", "?"),
                base=percent(base["accuracy"]) if "accuracy" in base else "?",
                first=escape(poets[0]) if poets else "",
                majority=percent(base["majority_class_accuracy"]) if "majority_class_accuracy" in base else "?",
            )
        )
        if "test_accuracy" in m and "accuracy" in base and m["test_accuracy"] < base["accuracy"]:
            self.disc_caption.setText(
                self.disc_caption.text()
                + " "
                + tr("Here the simple bag of characters does better than this small fine-tuned BERT.")
            )
        self._gen_caption_for(True)
        if r.verdict == "unreadable":
            unsure = tr("cannot tell: the model does not know these characters")
            self.label.setText(f"<span style='color:{UNSURE_COLOUR}'>{escape(unsure)}</span>")
        else:
            self.label.setText(f"{escape(r.label)} {r.probs[r.label]:.2f}")
        self.bars.set_bars([Bar(k, v) for k, v in r.probs.items()], tr("probability of each poet"))
        self.show_notes(self.notice, ModelLesson.unknown_note(r.unknown))
        self.start_generation()

    def show_result(self, r: gen_lesson.Classified) -> None:
        if isinstance(r, gen_lesson.Attributed):
            self._show_poet(r)
            return
        self._gen_caption_for(False)
        self._caption_for(r)
        self.label.setText(verdict_html(r))
        self.bars.set_bars([Bar(core_label(k), v) for k, v in r.probs.items()], tr("probability of each label"))
        if r.model != gen_lesson.BOW:
            notes = ModelLesson.unknown_note(r.unknown)
        else:  # with no known word the bars are only the model's bias (its intercept)
            notes = [tr("None of these words is in its vocabulary.")] if r.verdict == "unreadable" else []
        self.show_notes(self.notice, notes)
        self.start_generation()  # the text changed: the GPT writes a new continuation of it

    generation_text: str | None = None

    def start_generation(self) -> None:
        if not self.text.strip():
            return
        self.generate_button.setEnabled(False)
        self.generation_text = ""
        gpt = self.generator()
        self.ask(
            "generate", lm_lesson.generate_job, gpt, self.text, 30, probes.Sampling(1.0, 40, 1.0),
            self.seed.value(), label=tr("{model} generating").format(model=gpt),
            on_progress=self._on_progress, on_result=self._on_done, on_failed=self._on_generate_failed,
            on_cancelled=self._on_generate_failed,
        )  # fmt: skip

    def _on_progress(self, progress) -> None:
        if progress.data is not None:
            self.continuation.setText(f"<p style='font-size:large'>{escape(progress.data.text)}</p>")

    def _on_done(self, value, _elapsed) -> None:
        self.generation_text = value.text
        self.continuation.setText(f"<p style='font-size:large'>{escape(value.text)}</p>")
        self.generate_button.setEnabled(True)

    def _on_generate_failed(self, message: str = "") -> None:
        self.generate_button.setEnabled(True)
        if message:
            self.show_error(message)

    def csv_rows(self) -> list[list]:
        if self.result is None:
            raise ValueError(tr("nothing to export yet"))
        rows = [["label", "probability"]] + [[k, f"{v:.6g}"] for k, v in self.result.probs.items()]
        return rows + [["generated", self.generation_text or ""]]
