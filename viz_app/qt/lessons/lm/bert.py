"""The BERT lesson: fill-mask, attention, contextual embeddings (one word in sentences where its senses differ)
and fine-tuning (three sentiment classifiers side by side)."""

from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from viz_app.core.lessons import generative as gen_lesson
from viz_app.core.lessons import lm as lm_lesson
from viz_app.core.lm import probes
from viz_app.qt.i18n import tr
from viz_app.qt.lessons.lm.classifiers import (
    SentimentPanel,
    sentiment_csv_rows,
)
from viz_app.qt.lessons.lm.model_lesson import ModelLesson
from viz_app.qt.lessons.lm.model_tabs import EXPLAIN_TAB, HEADS_TAB, ExplainTab, HeadsTab
from viz_app.qt.widgets.heatmap import Heatmap
from viz_app.qt.widgets.probability_bars import Bar, ProbabilityBars
from viz_app.qt.widgets.word_scatter import WordScatter
from viz_app.qt.widgets.word_strip import WordStrip

SENSE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")  # contextual points by sense
UNLABELLED_COLOUR = "#7f7f7f"


class BertView(ExplainTab, HeadsTab, ModelLesson):
    TABS = (
        QT_TR_NOOP("Fill-mask"),
        QT_TR_NOOP("Attention"),
        QT_TR_NOOP("Contextual embeddings"),
        QT_TR_NOOP("Fine-tuning"),
        QT_TR_NOOP("BERT vs GPT"),
        HEADS_TAB,
        EXPLAIN_TAB,
    )
    explain_subjects = (
        ("mask", QT_TR_NOOP("the word at [MASK]")),
        ("sentiment", QT_TR_NOOP("the sentiment label (bert-sentiment)")),
    )
    DEFAULT_MODEL = lm_lesson.BERT
    CHINESE_MODEL = lm_lesson.BERT_TANG

    def __init__(self, lesson_def, service, parent=None):
        super().__init__(lesson_def, service, parent)
        self._build_fill_tab()
        self._build_attention_tab()
        self._build_contextual_tab()
        self._build_finetune_tab()
        self._build_compare_tab(self.TABS[4])
        self.build_heads_tab()
        self.build_explain_tab()
        self.tabs.currentChanged.connect(self._tab_changed)

    def tour_action(self) -> list[int]:
        if self.tabs.currentIndex() == self.heads_tab:
            return self.heads_tour_action()
        return super().tour_action()

    CONTEXT_EDITOR_WIDTH = 1200  # below this lesson width the sentence list folds away until asked for

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        if not self._ctx_edit_chosen:
            wide = self.width() >= self.CONTEXT_EDITOR_WIDTH
            if self.ctx_edit_button.isChecked() != wide:
                self.ctx_edit_button.setChecked(wide)

    def _build_fill_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        self.insert_mask = QPushButton(tr("Insert [MASK]"), page)
        self.insert_mask.setObjectName("insertMask")
        self.insert_mask.setToolTip(tr("put [MASK] at the cursor in the text box"))
        self.insert_mask.clicked.connect(lambda: self.insertRequested.emit(" [MASK] "))
        row.addWidget(self.insert_mask)
        self.fill_caption = self.rich_label(page, "fillCaption")
        row.addWidget(self.fill_caption, 1)
        col.addLayout(row)
        self.word_strip = WordStrip(page, "fillWords")
        self.word_strip.wordDoubleClicked.connect(self._mask_word)
        col.addWidget(self.word_strip)
        self.fill_area = QWidget(page)
        self.fill_layout = QGridLayout(self.fill_area)
        self.fill_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(page)
        scroll.setObjectName("fillScroll")
        scroll.setWidget(self.fill_area)
        scroll.setWidgetResizable(True)
        col.addWidget(scroll, 1)
        self.fill_bars: list[ProbabilityBars] = []
        self.add_tab(page, self.TABS[0])

    def _mask_word(self, start: int, end: int) -> None:
        self.textRequested.emit(self.text[:start] + "[MASK]" + self.text[end:])

    def _choose(self, mask_index: int, row: int) -> None:
        r = self.result
        if isinstance(r, probes.FillMask) and mask_index < len(r.masks):
            word = r.masks[mask_index].predictions[row][0]
            self.textRequested.emit(probes.replace_mask(self.text, mask_index, word))

    def _build_contextual_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Word:"), page))
        self.ctx_word = QLineEdit(lm_lesson.AMBIGUOUS_WORD, page)
        self.ctx_word.setObjectName("contextWord")
        self.ctx_word.setMaximumWidth(140)
        self.ctx_word.editingFinished.connect(self.refresh)
        row.addWidget(self.ctx_word)
        row.addWidget(QLabel(tr("BERT layer:"), page))
        self.ctx_layer = QSpinBox(page)
        self.ctx_layer.setObjectName("contextLayer")
        self.ctx_layer.setRange(0, 4)
        self.ctx_layer.setValue(lm_lesson.CONTEXT_LAYER)
        self.ctx_layer.setToolTip(tr("0 = the embedding layer (before any attention)"))
        self.ctx_layer.valueChanged.connect(lambda _v: self.refresh())
        row.addWidget(self.ctx_layer)
        self.ctx_caption = self.rich_label(page, "contextCaption")
        row.addWidget(self.ctx_caption, 1)
        col.addLayout(row)
        split = QSplitter(Qt.Horizontal, page)
        self.ctx_sentences = QPlainTextEdit(page)
        self.ctx_sentences.setObjectName("contextSentences")
        self.ctx_sentences.setPlainText("\n".join(lm_lesson.AMBIGUOUS_SENTENCES))
        self.ctx_sentences.setToolTip(
            tr("one sentence per line, its sense after “|” (the points take the colour of their sense); press Update")
        )
        left = QWidget(page)
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        lcol.addWidget(self.ctx_sentences, 1)
        update = QPushButton(tr("Update"), page)
        update.setObjectName("contextUpdate")
        update.clicked.connect(self.refresh)
        lcol.addWidget(update)
        split.addWidget(left)
        self.ctx_editor = left
        # In a narrow window the sentence list folds away (the points' labels show the sentences), so the
        # scatter and the two cosine maps keep the width to be read; this button brings it back.
        self.ctx_edit_button = QPushButton(tr("Sentences…"), page)
        # No object name on purpose: a tour step or the lesson's default state must not pin it open; it follows
        # the lesson's width until the user clicks it.
        self.ctx_edit_button.setCheckable(True)
        self.ctx_edit_button.setChecked(True)
        self.ctx_edit_button.setToolTip(tr("show or hide the list of sentences (one per line, its sense after “|”)"))
        self.ctx_edit_button.toggled.connect(left.setVisible)
        self._ctx_edit_chosen = False
        self.ctx_edit_button.clicked.connect(lambda _checked: setattr(self, "_ctx_edit_chosen", True))
        row.insertWidget(0, self.ctx_edit_button)
        self.ctx_scatter = WordScatter(page, "contextScatter")
        split.addWidget(self.ctx_scatter)
        maps = QSplitter(Qt.Vertical, page)
        self.ctx_bert_cos = Heatmap(page, object_name="contextBertCosine")
        self.ctx_static_cos = Heatmap(page, object_name="contextStaticCosine")
        maps.addWidget(self.ctx_bert_cos)
        maps.addWidget(self.ctx_static_cos)
        maps.setStretchFactor(0, 3)  # BERT's matrix is the one to read; the static one is all ones
        maps.setStretchFactor(1, 2)
        split.addWidget(maps)
        split.setSizes([260, 360, 300])
        col.addWidget(split, 1)
        self.add_tab(page, self.TABS[2])

    def _build_finetune_tab(self) -> None:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.ft_caption = self.rich_label(page, "finetuneCaption")
        self.ft_caption.setText(
            tr(
                "<b>Pre-train, then fine-tune.</b> The BERT of this lesson was pre-trained on plain text (masked "
                "words, next sentences), then fine-tuned on labelled movie reviews (positive / negative). Three "
                "classifiers read what you type, side by side; each shows its accuracy on reviews and sentences it "
                "never saw in training (from its model card)."
            )
        )
        col.addWidget(self.ft_caption)
        grid = QGridLayout()
        self.ft_panels: dict[str, SentimentPanel] = {}
        for k, name in enumerate(gen_lesson.CLASSIFIERS):
            panel = SentimentPanel(page, name)
            grid.addWidget(panel, 0, k, Qt.AlignTop)
            grid.setColumnStretch(k, 1)
            self.ft_panels[name] = panel
        col.addLayout(grid)
        col.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("finetuneScroll")
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.add_tab(scroll, self.TABS[3])

    # --- requests -------------------------------------------------------------------------------
    def _context_example_follows_model(self) -> None:
        """The contextual tab's example follows the model's language: bert-tang gets the Chinese lines (one
        character in lines where its senses differ), the English BERT the English ones; sentences or a word the
        user changed stay as they are."""
        chinese = self.model_name == lm_lesson.BERT_TANG
        examples = {
            False: (lm_lesson.AMBIGUOUS_WORD, lm_lesson.AMBIGUOUS_SENTENCES, lm_lesson.CONTEXT_LAYER),
            True: (lm_lesson.AMBIGUOUS_WORD_ZH, lm_lesson.AMBIGUOUS_SENTENCES_ZH, lm_lesson.CONTEXT_LAYER_ZH),
        }
        word, lines, layer = examples[not chinese]
        if self.ctx_word.text() != word or self.ctx_sentences.toPlainText() != "\n".join(lines):
            return  # already the model's own example, or the user's
        word, lines, layer = examples[chinese]
        self.ctx_word.setText(word)
        self.ctx_sentences.setPlainText("\n".join(lines))
        blocked = self.ctx_layer.blockSignals(True)  # this request already uses the new layer
        self.ctx_layer.setValue(layer)
        self.ctx_layer.blockSignals(blocked)

    def follow_text(self, text: str) -> None:
        self.language.follow(text)
        self._context_example_follows_model()
        if self.tabs.currentIndex() == 0:
            self.word_strip.set_text(text)

    def show_empty(self) -> None:
        self.result = None
        self.show_notice([tr("Type an English sentence: the models were trained on children's stories (TinyStories).")])
        self.word_strip.set_text("")

    def make_request(self, text: str):
        tab = self.tabs.currentIndex()
        if tab == 2:
            sentences = self.ctx_sentences.toPlainText().split("\n")
            return (
                lm_lesson.contextual_job,
                (self.model_name, sentences, self.ctx_word.text(), self.ctx_layer.value()),
                {},
            )
        if not text.strip():
            return None
        if tab == 0:
            return lm_lesson.fill_mask_job, (self.model_name, text, 10), {}
        if tab == 1:
            return lm_lesson.attention_job, (self.model_name, text), {}
        if tab == 3:
            return gen_lesson.compare_classifiers_job, (text,), {}
        if tab == self.heads_tab:
            return self.heads_request(text)
        if tab == self.explain_tab:
            return self.explain_request(text)
        return lm_lesson.compare_job, (self.model_name, self._partner(lm_lesson.GPT, lm_lesson.GPT_TANG), text), {}

    def show_tab_result(self, r) -> None:
        if isinstance(r, probes.FillMask):
            self._draw_fill(r)
        elif isinstance(r, lm_lesson.Contextual):
            self._draw_contextual(r)
        elif isinstance(r, gen_lesson.SentimentComparison):
            self._draw_sentiment(r)
        elif not self.show_heads_result(r):
            self.show_explain_result(r)

    def _draw_fill(self, r: probes.FillMask) -> None:
        for bars in self.fill_bars:
            bars.setParent(None)
            bars.deleteLater()
        self.fill_bars = []
        if not r.masks:
            self.fill_caption.setText(
                tr(
                    "No [MASK] in your text yet: press <b>Insert [MASK]</b> (it goes where the cursor is in the text "
                    "box) or double-click a word below to mask it. BERT then predicts the hidden word from the words on "
                    "<i>both</i> sides."
                )
            )
            return
        self.fill_caption.setText(
            tr(
                "{n} [MASK]: BERT's top {top} guesses for each, from the words on both "
                "sides at once. Click a guess to put it into the sentence."
            ).format(n=len(r.masks), top=len(r.masks[0].predictions))
        )
        for k, m in enumerate(r.masks):
            context = " ".join(r.tokens[max(1, m.position - 3) : m.position + 4])
            bars = ProbabilityBars(self.fill_area, f"fillBars{k}")
            bars.clickable = True
            bars.set_bars(
                [
                    Bar(t, p, tip=tr("{token}: probability {p} (click to use it)").format(token=t, p=f"{p:.6f}"))
                    for t, p in m.predictions
                ],
                tr("[MASK] {k}, token {position}: … {context} …").format(k=k + 1, position=m.position, context=context),
            )
            bars.rowClicked.connect(lambda row, k=k: self._choose(k, row))
            self.fill_layout.addWidget(bars, k // 2, k % 2)
            self.fill_bars.append(bars)

    def _draw_contextual(self, r: lm_lesson.Contextual) -> None:
        self.ctx_layer.blockSignals(True)
        self.ctx_layer.setMaximum(r.layers)
        self.ctx_layer.setValue(r.layer)
        self.ctx_layer.blockSignals(False)
        notes = (
            [
                tr("Left out (no “{word}”): {sentences}").format(
                    word=escape(r.word), sentences="; ".join(escape(s) for s in r.missing)
                )
            ]
            if r.missing
            else []
        )
        self.show_notice(notes)
        senses = r.sense_names
        colour = {s: SENSE_COLOURS[k % len(SENSE_COLOURS)] for k, s in enumerate(senses)}
        caption = tr(
            "“{word}” in {n} sentences: BERT's vector at layer {layer} (middle, PCA to 2D) depends on the sentence; "
            "the skip-gram vector is the same in all (bottom right)."
        ).format(word=escape(r.word), n=len(r.sentences), layer=r.layer)
        if senses:
            legend = " ".join(f"<span style='color:{colour[s]}'>■ {escape(s)}</span>" for s in senses)
            if None in r.senses:
                unlabelled = tr("no sense given")
                legend += f" <span style='color:{UNLABELLED_COLOUR}'>■ {unlabelled}</span>"
            caption += "<br>" + legend
        shown = r.separation[r.layer] if r.layer < len(r.separation) else None
        if shown is not None:
            by_layer = ", ".join(
                f"{k}: {w - a:+.2f}" if k != r.layer else f"<b>{k}: {w - a:+.2f}</b>"
                for k, (w, a) in enumerate(r.separation)
            )
            caption += " " + tr(
                "Mean cosine within a sense <b>{within}</b>, across senses <b>{across}</b> (layer {layer}); "
                "within − across by layer: {by_layer}."
            ).format(
                within=f"{shown[0]:.2f}",
                across=f"{shown[1]:.2f}",
                layer=r.layer,
                by_layer=by_layer,
            )
        elif not senses:
            caption += " " + tr("Put a sense after “|” at the end of each sentence to colour the points by sense.")
        self.ctx_caption.setText(caption)
        labels = [f"{k + 1}: {lab}" for k, lab in enumerate(r.labels or r.sentences)]
        colours = [colour.get(s, UNLABELLED_COLOUR) for s in r.senses] if r.senses else None
        self.ctx_scatter.set_points(labels, r.coords)
        self.ctx_scatter.set_highlight(list(range(len(labels))), labels, colours)
        self.ctx_scatter.fit_labels()
        names = [f"{k + 1} {s}" if s else str(k + 1) for k, s in enumerate(r.senses or [None] * len(r.sentences))]
        # Columns by number only (the rows name the senses): level labels leave the small maps their height.
        numbers = [str(k + 1) for k in range(len(names))]
        self.ctx_bert_cos.set_matrix(
            r.bert_cosine, names, numbers, (-1.0, 1.0), "CET-D1", colorbar_label=tr("BERT cosine")
        )
        if r.static_cosine is not None:
            self.ctx_static_cos.set_matrix(
                r.static_cosine, names, numbers, (-1.0, 1.0), "CET-D1", colorbar_label=tr("skip-gram cosine (static)")
            )
        else:
            self.ctx_static_cos.set_matrix(np.zeros((1, 1)), [""], [""], (-1.0, 1.0), "CET-D1",
                                           colorbar_label=tr("“{word}” has no skip-gram vector").format(word=r.word))  # fmt: skip

    def _draw_sentiment(self, r: gen_lesson.SentimentComparison) -> None:
        shown = {row.model: row for row in r.rows}
        for name, panel in self.ft_panels.items():
            panel.show_result(shown.get(name), name == r.featured)

    def tab_csv_rows(self, r) -> list[list]:
        if isinstance(r, probes.FillMask):
            rows = [["mask", "position", "prediction", "probability"]]
            for k, m in enumerate(r.masks):
                rows += [[k + 1, m.position, t, f"{p:.6g}"] for t, p in m.predictions]
            return rows
        if isinstance(r, lm_lesson.Contextual):
            return [["sentence", "x", "y"]] + [
                [s, f"{x:.6g}", f"{y:.6g}"] for s, (x, y) in zip(r.sentences, r.coords, strict=True)
            ]
        if isinstance(r, gen_lesson.SentimentComparison):
            return sentiment_csv_rows(r.rows)
        extra = self.heads_csv_rows(r)
        if extra is None:
            extra = self.explain_csv_rows(r)
        if extra is not None:
            return extra
        raise ValueError(tr("nothing to export yet"))
